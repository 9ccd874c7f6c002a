import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The HMAC keys DocuSign Connect signs its deliveries with (X-DocuSign-Signature-N). Two keys allow a
 * rotation without dropping events. Nothing at DocuSign accepts these keys, so the DocuSign Trigger tests
 * the credential itself (`testedBy`): it checks that a key is present.
 */
export class DocusignConnectApi implements ICredentialType {
	name = 'docusignConnectApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- the fixed name the pack's templates and sandbox use
	displayName = 'DocuSign Connect HMAC';

	icon: Icon = { light: 'file:docusign.svg', dark: 'file:docusign.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for n8n's own repo (slugs); community credentials link a full URL
	documentationUrl = 'https://developers.docusign.com/platform/webhooks/connect/hmac/';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- an HMAC signing key is a secret
		{
			displayName: 'HMAC Key',
			name: 'hmacKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A Connect HMAC key (Settings → Connect → Connect Keys). Deliveries not signed with it are rejected.',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- an HMAC signing key is a secret
		{
			displayName: 'Previous HMAC Key',
			name: 'previousHmacKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. Still accepted while DocuSign moves to the new key; clear it afterwards.',
		},
	];
}
