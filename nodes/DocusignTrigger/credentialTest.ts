import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

/**
 * Connect HMAC keys verify what DocuSign sends to n8n; no DocuSign API accepts them, so the test can only
 * check that a key is set. A wrong key shows up as 401 answers in DocuSign's Connect failure log.
 */
export async function docusignConnectApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const keys = [credential.data?.hmacKey, credential.data?.previousHmacKey].filter((key) => typeof key === 'string' && key.trim() !== '');
	if (keys.length === 0) return { status: 'Error', message: 'Set the HMAC key (DocuSign Admin → Connect → Connect Keys): without it every delivery is refused.' };
	return { status: 'OK', message: `${keys.length} HMAC key(s) set. DocuSign deliveries signed with another key are answered 401.` };
}
