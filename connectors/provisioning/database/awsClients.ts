/**
 * The AWS SDK clients of the database backends, built from plain settings (region, static keys or the host's
 * default chain, an endpoint override for LocalStack or the sandbox), so callers never import an AWS SDK themselves.
 */
import { RDSClient } from '@aws-sdk/client-rds';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface AwsClientSettings {
	region: string;
	/** Absent: the SDK's default chain (environment, the host's IAM role). */
	credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
	endpoint?: string;
}

export function createRdsClient(settings: AwsClientSettings): RDSClient {
	return new RDSClient({ region: settings.region, credentials: settings.credentials, endpoint: settings.endpoint });
}

export function createSecretsManagerClient(settings: AwsClientSettings): SecretsManagerClient {
	return new SecretsManagerClient({ region: settings.region, credentials: settings.credentials, endpoint: settings.endpoint });
}
