import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * AWS access for the Cloud Provisioning node: RDS instances, Secrets Manager (tenant credentials) and Route 53.
 * Requests are signed by the AWS SDK inside the connectors (SigV4), which a declarative `authenticate` cannot do;
 * the node's credential test makes one cheap read through the connectors instead.
 */
export class ProvisioningAwsApi implements ICredentialType {
	name = 'provisioningAwsApi';

	displayName = 'Provisioning AWS API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- applies to n8n's main repo (doc slugs); a community credential links a full URL
	documentationUrl = 'https://docs.aws.amazon.com/sdkref/latest/guide/access-iam-users.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'accessKey',
			options: [
				{ name: 'Access Key', value: 'accessKey', description: 'An IAM user access key (and a session token for temporary keys)' },
				{ name: 'Default Credential Chain', value: 'defaultChain', description: "The n8n host's own AWS identity: environment variables, profile, or the EC2 / ECS / EKS role" },
			],
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: 'eu-central-1',
			required: true,
			description: 'Region of the RDS instances and Secrets Manager secrets (Route 53 is global)',
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessKey'] } },
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessKey'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary credentials (STS)',
			displayOptions: { show: { authentication: ['accessKey'] } },
		},
		{
			displayName: 'Custom Endpoints',
			name: 'customEndpoints',
			type: 'notice',
			default: '',
			description: 'Leave the endpoints below empty for AWS itself; set them for LocalStack or a sandbox',
		},
		{ displayName: 'RDS Endpoint', name: 'rdsEndpoint', type: 'string', default: '', placeholder: 'http://localhost:4566' },
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field, n8n-nodes-base/cred-class-field-type-options-password-missing -- a service URL; "secrets" is the service's name
		{ displayName: 'Secrets Manager Endpoint', name: 'secretsManagerEndpoint', type: 'string', default: '', placeholder: 'http://localhost:4566' },
		{ displayName: 'Route 53 Endpoint', name: 'route53Endpoint', type: 'string', default: '', placeholder: 'http://localhost:4566' },
		{
			displayName: 'Database TLS',
			name: 'databaseTls',
			type: 'options',
			default: 'require',
			description: 'How tenant connection strings (migrations, the stored secret) connect to new RDS instances',
			options: [
				{ name: 'Require (Encrypted)', value: 'require', description: 'Encrypted; RDS for PostgreSQL 15+ refuses anything else' },
				{ name: 'Verify Full', value: 'verify-full', description: "Encrypted and the server's certificate checked: n8n must trust the RDS CA bundle (NODE_EXTRA_CA_CERTS)" },
				{ name: 'Disable (Local Emulators Only)', value: 'disable', description: 'Plain TCP, for LocalStack or a sandbox whose PostgreSQL has no TLS' },
			],
		},
	];
}
