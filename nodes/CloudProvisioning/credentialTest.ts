/**
 * Credential tests that cannot be declarative: AWS requests are SigV4-signed by the SDK, and PostgreSQL is not HTTP.
 * Both go through the same code the operations use, and report without quoting a secret.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { isConnectorError, redact } from '../../connectors/core';
import { describeAdminRole, RdsProvisioner } from '../../connectors/provisioning/database';
import { Route53DnsProvider } from '../../connectors/provisioning/dns';
import { adminConnectionString, awsConfig, rdsClientFor, text } from './clients';

/** A key no instance is made for: RDS answers DBInstanceNotFound, which proves the keys and the region work. */
const PROBE_TENANT = 'n8n-credential-test';

function failure(error: unknown): INodeCredentialTestResult {
	const message = error instanceof Error ? error.message : String(error);
	return { status: 'Error', message: redact(message) };
}

function isAccessDenied(error: unknown): boolean {
	return isConnectorError(error) && error.kind === 'auth' && /AccessDenied/i.test(String(error.code ?? ''));
}

export async function provisioningAwsApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		await new RdsProvisioner({ client: rdsClientFor(data) }).get(PROBE_TENANT);
		return { status: 'OK', message: `Connection successful: RDS in ${text(data.region)} answered` };
	} catch (error) {
		if (!isAccessDenied(error)) return failure(error);
	}
	// The keys are valid but may not read RDS: enough for a credential that is only used for DNS.
	try {
		const config = awsConfig(data);
		await new Route53DnsProvider({ ...config, endpoint: text(data.route53Endpoint) || undefined }).listZones();
		return { status: 'OK', message: 'Connection successful: Route 53 answered (this identity may not read RDS)' };
	} catch (error) {
		return failure(error);
	}
}

export async function provisioningPostgresApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>): Promise<INodeCredentialTestResult> {
	try {
		const role = await describeAdminRole(adminConnectionString(credential.data ?? {}));
		if (!role.superuser && !(role.createDatabase && role.createRole)) {
			return { status: 'Error', message: `Connected as ${role.user}, but that role needs CREATEDB and CREATEROLE (or superuser) to create tenant databases` };
		}
		return { status: 'OK', message: `Connection successful: PostgreSQL ${role.serverVersion} as ${role.user}` };
	} catch (error) {
		return failure(error);
	}
}
