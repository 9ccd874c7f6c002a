import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

/**
 * Webhook secrets verify what the vendor sends to n8n; no vendor API accepts them, so the test can only check
 * that one is set. A wrong one shows up as 401 answers in the vendor's delivery log.
 */
function secretsSet(credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>, fields: readonly string[], what: string, where: string): INodeCredentialTestResult {
	const set = fields.filter((field) => {
		const value = credential.data?.[field];
		return typeof value === 'string' && value.trim() !== '';
	});
	if (set.length === 0) return { status: 'Error', message: `Set the ${what} (${where}): without it every delivery is refused.` };
	return { status: 'OK', message: `${set.length} ${what}(s) set. Deliveries with another one are answered 401.` };
}

export async function provisioningGitlabWebhookApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	return secretsSet(credential, ['secretToken', 'previousSecretToken'], 'secret token', 'GitLab project → Settings → Webhooks');
}

export async function provisioningTerraformWebhookApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	return secretsSet(credential, ['notificationToken', 'previousNotificationToken'], 'notification token', 'HCP Terraform workspace → Settings → Notifications');
}
