import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';
import { isConnectorError, registerSecret, validationError } from '../../connectors/core';
import { createDocusignClient, type DocusignClient, type DocusignConfig, type DocusignEnvironment } from '../../connectors/docusign';

export const CREDENTIAL_NAME = 'docusignApi';

const ENVIRONMENTS: readonly DocusignEnvironment[] = ['demo', 'production', 'custom'];

type DocusignContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

const text = (credentials: ICredentialDataDecryptedObject, name: string): string | undefined => {
	const value = credentials[name];
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * Maps the decrypted `docusignApi` credential to the connector config: blank optional fields are left
 * out and the environment is checked, so a wrong value is reported by field name before any request.
 */
export function docusignConfigFromCredentials(credentials: ICredentialDataDecryptedObject): DocusignConfig {
	// The key is a secret even when it is malformed; never let a message echo it.
	registerSecret(typeof credentials.privateKey === 'string' ? credentials.privateKey : undefined);
	const environment = (text(credentials, 'environment') ?? 'demo') as DocusignEnvironment;
	if (!ENVIRONMENTS.includes(environment)) throw validationError('environment', '"demo", "production" or "custom"', environment);
	const config: DocusignConfig = {
		environment,
		integrationKey: text(credentials, 'integrationKey') ?? '',
		userId: text(credentials, 'userId') ?? '',
		privateKey: typeof credentials.privateKey === 'string' ? credentials.privateKey : '',
	};
	const authServer = text(credentials, 'authServer');
	if (environment === 'custom' && authServer) config.authServer = authServer;
	const accountId = text(credentials, 'accountId');
	if (accountId) config.accountId = accountId;
	const basePath = text(credentials, 'basePath');
	if (basePath) config.basePath = basePath;
	return config;
}

/** The DocuSign connector for the node's credential (nodes never touch the SDK themselves). */
export async function docusignClient(context: DocusignContext): Promise<DocusignClient> {
	const credentials = await context.getCredentials(CREDENTIAL_NAME);
	try {
		return createDocusignClient(docusignConfigFromCredentials(credentials));
	} catch (error) {
		const field = isConnectorError(error) ? error.field : undefined;
		throw new NodeOperationError(context.getNode(), error instanceof Error ? error.message : String(error), {
			description: field ? `Open the "${CREDENTIAL_NAME}" credential and check "${field}".` : undefined,
		});
	}
}
