/**
 * The connectors behind the Cloud Provisioning node, built lazily from the credentials of one item: an operation
 * only asks for what it uses, so a DNS step never needs a database credential. The node never touches a vendor SDK;
 * the AWS clients are handed to the connectors ready-made.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { registerSecret, validationError, type HttpTransport } from '../../connectors/core';
import {
	createRdsClient,
	createSecretsManagerClient,
	PostgresServerProvisioner,
	PostgresTableVault,
	RdsProvisioner,
	SecretsManagerVault,
	type DatabaseProvisioner,
	type RdsProvisionerOptions,
	type SecretVault,
} from '../../connectors/provisioning/database';
import { CloudflareDnsProvider, Route53DnsProvider, type DnsProvider, type DnsProviderName } from '../../connectors/provisioning/dns';
import { runMigrations, type MigrationRunResult, type RunMigrationsOptions } from '../../connectors/provisioning/migrations';
import {
	createGitlabApiTransport,
	createTerraformTransport,
	GitlabPipelineRunner,
	JenkinsPipelineRunner,
	TerraformPipelineRunner,
	type PipelineRunner,
} from '../../connectors/provisioning/pipeline';

export const AWS_CREDENTIAL = 'provisioningAwsApi';
export const POSTGRES_CREDENTIAL = 'provisioningPostgresApi';
export const GITLAB_CREDENTIAL = 'provisioningGitlabApi';
export const JENKINS_CREDENTIAL = 'provisioningJenkinsApi';
export const TERRAFORM_CREDENTIAL = 'provisioningTerraformApi';
export const CLOUDFLARE_CREDENTIAL = 'provisioningCloudflareApi';

/** Values of the node's provider parameters (`databaseBackend`, `secretStore`, `pipelineProvider`, `dnsProvider`). */
export type DatabaseBackend = 'postgresServer' | 'rds';
/** Where a postgresServer backend keeps tenant passwords: a table in the admin database, or AWS Secrets Manager. */
export type SecretStore = 'postgresTable' | 'secretsManager';
export type PipelineProvider = 'gitlab' | 'jenkins' | 'terraform';
export type { DnsProviderName };

/** RDS settings an operation may set (everything but the client and vault, which come from the credential). */
export type RdsSettings = Omit<RdsProvisionerOptions, 'client' | 'vault'>;

export interface DatabaseSettings {
	backend: DatabaseBackend;
	/** postgresServer only; default postgresTable. */
	secretStore?: SecretStore;
	/** postgresServer only: database / role name prefix (default tenant_). */
	postgres?: { namePrefix?: string };
	/** rds only. */
	rds?: RdsSettings;
}

/** What a pipeline runner works on: GitLab project (+ default ref), Jenkins job or Terraform workspace. */
export interface PipelineTarget {
	projectId?: string;
	defaultRef?: string;
	job?: string;
	workspaceId?: string;
	autoApply?: boolean;
}

export interface CloudClients {
	database(settings: DatabaseSettings): Promise<DatabaseProvisioner>;
	/** The vault the database backend keeps credentials in (for Store Connection). */
	vault(settings: DatabaseSettings): Promise<SecretVault>;
	migrations: (options: RunMigrationsOptions) => Promise<MigrationRunResult>;
	pipeline(provider: PipelineProvider, target: PipelineTarget): Promise<PipelineRunner>;
	/** GitLab REST (PRIVATE-TOKEN) for the project picker. */
	gitlabApi(): Promise<HttpTransport>;
	/** HCP Terraform REST and the credential's organization, for the workspace picker and outputs. */
	terraformApi(): Promise<{ transport: HttpTransport; organization: string }>;
	dns(provider: DnsProviderName): Promise<DnsProvider>;
}

/** Reads one credential type's decrypted data (per item in execute, node-wide in list searches). */
export type CredentialSource = (type: string) => Promise<ICredentialDataDecryptedObject>;

/** Test seam: the AWS clients are built here, so tests can hand mocked ones in through aws-sdk-client-mock. */
export interface AwsClientConfig {
	region: string;
	credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

function optional(value: unknown): string | undefined {
	return text(value) || undefined;
}

/** Region and static keys (or the host's default chain) of a provisioningAwsApi credential. */
export function awsConfig(credential: ICredentialDataDecryptedObject): AwsClientConfig {
	const region = text(credential.region);
	if (!region) throw validationError('region', 'an AWS region such as "eu-central-1" in the AWS credential');
	if (credential.authentication === 'defaultChain') return { region };
	const accessKeyId = text(credential.accessKeyId);
	const secretAccessKey = typeof credential.secretAccessKey === 'string' ? credential.secretAccessKey : '';
	if (!accessKeyId || !secretAccessKey) throw validationError('accessKeyId', 'an access key id and secret access key in the AWS credential (or the default chain)');
	const sessionToken = optional(credential.sessionToken);
	registerSecret(secretAccessKey);
	registerSecret(sessionToken);
	return { region, credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
}

export function rdsClientFor(credential: ICredentialDataDecryptedObject): ReturnType<typeof createRdsClient> {
	return createRdsClient({ ...awsConfig(credential), endpoint: optional(credential.rdsEndpoint) });
}

export function secretsManagerClientFor(credential: ICredentialDataDecryptedObject): ReturnType<typeof createSecretsManagerClient> {
	return createSecretsManagerClient({ ...awsConfig(credential), endpoint: optional(credential.secretsManagerEndpoint) });
}

/** postgres:// URL of the admin role in a provisioningPostgresApi credential (ssl on → verify-full). */
export function adminConnectionString(credential: ICredentialDataDecryptedObject): string {
	const host = text(credential.host);
	if (!host) throw validationError('host', 'the PostgreSQL host name in the PostgreSQL credential');
	const user = text(credential.user);
	if (!user) throw validationError('user', 'the admin user name in the PostgreSQL credential');
	const port = Number(credential.port ?? 5432) || 5432;
	const password = typeof credential.password === 'string' ? credential.password : '';
	registerSecret(password);
	const url = new URL('postgres://localhost');
	url.hostname = host;
	url.port = String(port);
	url.username = encodeURIComponent(user);
	if (password) url.password = encodeURIComponent(password);
	url.pathname = `/${encodeURIComponent(text(credential.database) || 'postgres')}`;
	if (credential.ssl === true) url.searchParams.set('sslmode', 'verify-full');
	const connection = url.toString();
	registerSecret(connection);
	return connection;
}

export function createCloudClients(credentials: CredentialSource): CloudClients {
	const cache = new Map<string, Promise<ICredentialDataDecryptedObject>>();
	const credential = (type: string) => {
		let found = cache.get(type);
		if (!found) {
			found = credentials(type);
			cache.set(type, found);
		}
		return found;
	};
	let secretsManager: SecretsManagerVault | undefined;
	const secretsManagerVault = async () => (secretsManager ??= new SecretsManagerVault({ client: secretsManagerClientFor(await credential(AWS_CREDENTIAL)) }));

	const vault = async (settings: DatabaseSettings): Promise<SecretVault> => {
		if (settings.backend === 'rds' || settings.secretStore === 'secretsManager') return secretsManagerVault();
		return new PostgresTableVault({ adminConnectionString: adminConnectionString(await credential(POSTGRES_CREDENTIAL)) });
	};

	return {
		async database(settings) {
			if (settings.backend === 'rds') {
				const aws = await credential(AWS_CREDENTIAL);
				return new RdsProvisioner({ ...settings.rds, client: rdsClientFor(aws), vault: await secretsManagerVault(), connectionParameters: { sslmode: databaseTls(aws.databaseTls) } });
			}
			if (settings.backend !== 'postgresServer') throw validationError('databaseBackend', '"postgresServer" or "rds"', settings.backend);
			const postgres = await credential(POSTGRES_CREDENTIAL);
			const admin = adminConnectionString(postgres);
			return new PostgresServerProvisioner({
				adminConnectionString: admin,
				vault: await vault(settings),
				namePrefix: settings.postgres?.namePrefix,
				host: optional(postgres.tenantHost),
				connectionParameters: postgres.ssl === true ? { sslmode: 'verify-full' } : undefined,
			});
		},
		vault,
		migrations: runMigrations,
		async pipeline(provider, target) {
			if (provider === 'gitlab') {
				const gitlab = await credential(GITLAB_CREDENTIAL);
				return new GitlabPipelineRunner({
					baseUrl: optional(gitlab.baseUrl),
					privateToken: String(gitlab.accessToken ?? ''),
					triggerToken: String(gitlab.triggerToken ?? ''),
					projectId: target.projectId ?? '',
					defaultRef: target.defaultRef,
				});
			}
			if (provider === 'jenkins') {
				const jenkins = await credential(JENKINS_CREDENTIAL);
				return new JenkinsPipelineRunner({ baseUrl: text(jenkins.baseUrl), user: text(jenkins.username), apiToken: String(jenkins.apiToken ?? ''), job: target.job ?? '' });
			}
			if (provider === 'terraform') {
				const terraform = await credential(TERRAFORM_CREDENTIAL);
				return new TerraformPipelineRunner({ baseUrl: optional(terraform.baseUrl), token: String(terraform.token ?? ''), workspaceId: target.workspaceId ?? '', autoApply: target.autoApply });
			}
			throw validationError('pipelineProvider', '"gitlab", "jenkins" or "terraform"', provider);
		},
		async gitlabApi() {
			const gitlab = await credential(GITLAB_CREDENTIAL);
			return createGitlabApiTransport({ baseUrl: optional(gitlab.baseUrl), privateToken: String(gitlab.accessToken ?? '') });
		},
		async terraformApi() {
			const terraform = await credential(TERRAFORM_CREDENTIAL);
			return { transport: createTerraformTransport({ baseUrl: optional(terraform.baseUrl), token: String(terraform.token ?? '') }), organization: text(terraform.organization) };
		},
		async dns(provider) {
			if (provider === 'cloudflare') {
				const cloudflare = await credential(CLOUDFLARE_CREDENTIAL);
				return new CloudflareDnsProvider({ apiToken: String(cloudflare.apiToken ?? ''), baseUrl: optional(cloudflare.baseUrl) });
			}
			if (provider === 'route53') {
				const aws = await credential(AWS_CREDENTIAL);
				return new Route53DnsProvider({ ...awsConfig(aws), endpoint: optional(aws.route53Endpoint) });
			}
			throw validationError('dnsProvider', '"cloudflare" or "route53"', provider);
		},
	};
}

/** The clients of one input item: credentials are resolved for that item (expressions in them see its data). */
export function cloudClientsFor(context: IExecuteFunctions, itemIndex: number): CloudClients {
	return createCloudClients((type) => context.getCredentials(type, itemIndex));
}

/** The clients for a list search (resource locator picker). */
export function cloudClientsForLoadOptions(context: ILoadOptionsFunctions): CloudClients {
	return createCloudClients((type) => context.getCredentials(type));
}

/** The credential's Database TLS, checked: `require` when unset (credentials saved before the field existed). */
function databaseTls(value: unknown): 'require' | 'verify-full' | 'disable' {
	if (value === undefined || value === null || value === '') return 'require';
	if (value === 'require' || value === 'verify-full' || value === 'disable') return value;
	throw validationError('databaseTls', '"require", "verify-full" or "disable"', value);
}
