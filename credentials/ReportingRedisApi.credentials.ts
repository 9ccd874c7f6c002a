import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** The Redis server that carries the real-time reporting queue (Redis Streams). */
export class ReportingRedisApi implements ICredentialType {
	name = 'reportingRedisApi';

	displayName = 'Reporting Queue (Redis)';

	icon: Icon = { light: 'file:reporting.svg', dark: 'file:reporting.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- a community credential links a full URL
	documentationUrl = 'https://redis.io/docs/latest/develop/data-types/streams/';

	properties: INodeProperties[] = [
		{ displayName: 'Host', name: 'host', type: 'string', default: '127.0.0.1', required: true },
		{ displayName: 'Port', name: 'port', type: 'number', default: 6379, typeOptions: { minValue: 1, maxValue: 65535 } },
		{ displayName: 'Username', name: 'username', type: 'string', default: '', description: 'Redis 6 ACL user; leave empty for the default user' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Database', name: 'database', type: 'number', default: 0, typeOptions: { minValue: 0, maxValue: 15 } },
		{ displayName: 'TLS', name: 'tls', type: 'boolean', default: false, description: 'Whether to connect with TLS (rediss://)' },
	];
}
