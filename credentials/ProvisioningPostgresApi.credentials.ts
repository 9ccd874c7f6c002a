import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * An existing PostgreSQL cluster the Cloud Provisioning node creates tenant databases on. The user must be a
 * superuser or have CREATEDB and CREATEROLE (e.g. the RDS master user). PostgreSQL speaks its own protocol, not HTTP,
 * so the node's credential test connects and checks those rights instead of a declarative request.
 */
export class ProvisioningPostgresApi implements ICredentialType {
	name = 'provisioningPostgresApi';

	displayName = 'Provisioning PostgreSQL API';

	icon: Icon = { light: 'file:provisioning.svg', dark: 'file:provisioning.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- applies to n8n's main repo (doc slugs); a community credential links a full URL
	documentationUrl = 'https://www.postgresql.org/docs/current/role-attributes.html';

	properties: INodeProperties[] = [
		{ displayName: 'Host', name: 'host', type: 'string', default: '', placeholder: 'db.internal.example.com', required: true },
		{ displayName: 'Port', name: 'port', type: 'number', default: 5432 },
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'postgres',
			description: 'The admin database the node connects to (it also holds the password table when that is the secret store)',
		},
		{ displayName: 'User', name: 'user', type: 'string', default: '', required: true, description: 'A superuser, or a role with CREATEDB and CREATEROLE' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'SSL', name: 'ssl', type: 'boolean', default: false, description: "Whether to connect with TLS, verifying the server's certificate and host name" },
		{
			displayName: 'Tenant Host',
			name: 'tenantHost',
			type: 'string',
			default: '',
			placeholder: 'tenants-db.example.com',
			description: "Host name tenants' connection strings should use, when it differs from Host (a pooler, a private DNS name)",
		},
	];
}
