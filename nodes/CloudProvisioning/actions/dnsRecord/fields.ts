import type { INodeProperties } from 'n8n-workflow';
import { DNS_RECORD_TYPES } from '../../../../connectors/provisioning/dns';

/** Parameters of the DNS record resource; each is shown for the operations (and providers) that read it. */

const ALL_OPERATIONS = ['upsert', 'get', 'remove'];

const show = (operation: string[], more: Record<string, string[]> = {}) => ({ show: { resource: ['dnsRecord'], operation, ...more } });

export const providerField: INodeProperties = {
	displayName: 'Provider',
	name: 'dnsProvider',
	type: 'options',
	noDataExpression: true,
	default: 'cloudflare',
	options: [
		{ name: 'Cloudflare', value: 'cloudflare' },
		{ name: 'Amazon Route 53', value: 'route53', description: 'Uses the AWS credential' },
	],
	displayOptions: show(ALL_OPERATIONS),
};

export const zoneField: INodeProperties = {
	displayName: 'Zone',
	name: 'zone',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The DNS zone (Cloudflare zone or Route 53 hosted zone) the record lives in',
	modes: [
		{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchDnsZones', searchable: true } },
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '023e105f4ecef8ad9ca31a8372d0c353 or Z1D633PJN98FT9',
			validation: [{ type: 'regex', properties: { regex: '^[A-Za-z0-9/_-]{1,128}$', errorMessage: 'A zone ID has letters, digits, "/", "_" or "-" only' } }],
		},
		{
			displayName: 'By Domain',
			name: 'name',
			type: 'string',
			placeholder: 'example.com',
			validation: [{ type: 'regex', properties: { regex: '^[^\\s]+\\.[^\\s]+$', errorMessage: 'A domain name such as example.com' } }],
		},
	],
	displayOptions: show(ALL_OPERATIONS),
};

export const nameModeField: INodeProperties = {
	displayName: 'Record Name Given As',
	name: 'recordNameMode',
	type: 'options',
	default: 'subdomain',
	options: [
		{ name: 'Subdomain Label', value: 'subdomain', description: 'One label from tenant data, e.g. "myclub" → myclub.example.com (strictly checked)' },
		{ name: 'Full Name', value: 'fullName', description: 'The fully qualified name inside the zone, e.g. _acme-challenge.myclub.example.com' },
	],
	displayOptions: show(ALL_OPERATIONS),
};

export const subdomainField: INodeProperties = {
	displayName: 'Subdomain',
	name: 'subdomain',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'myclub',
	description: 'One DNS label: letters, digits and inner hyphens (no dots); the zone name is appended',
	displayOptions: show(ALL_OPERATIONS, { recordNameMode: ['subdomain'] }),
};

export const recordNameField: INodeProperties = {
	displayName: 'Record Name',
	name: 'recordName',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'myclub.example.com',
	description: 'The fully qualified record name; it must end in the zone name',
	displayOptions: show(ALL_OPERATIONS, { recordNameMode: ['fullName'] }),
};

export const typeField: INodeProperties = {
	displayName: 'Type',
	name: 'recordType',
	type: 'options',
	default: 'CNAME',
	options: DNS_RECORD_TYPES.map((type) => ({ name: type, value: type })),
	displayOptions: show(ALL_OPERATIONS),
};

export const contentField: INodeProperties = {
	displayName: 'Content',
	name: 'content',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'lb.example.net',
	description: 'A host name for CNAME, an IPv4 address for A, an IPv6 address for AAAA, printable text for TXT',
	displayOptions: show(['upsert']),
};

export const ttlField: INodeProperties = {
	displayName: 'TTL',
	name: 'ttl',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 86400, numberPrecision: 0 },
	default: 0,
	description:
		"Seconds, 60 to 86400. 0: keep the record's current TTL, or the provider's default for a new one (Cloudflare automatic, Route 53 300). On Cloudflare 1 means automatic.",
	displayOptions: show(['upsert']),
};

export const proxiedField: INodeProperties = {
	displayName: 'Proxied',
	name: 'proxied',
	type: 'boolean',
	default: false,
	description: "Whether traffic goes through Cloudflare's proxy (A, AAAA and CNAME only)",
	displayOptions: show(['upsert'], { dnsProvider: ['cloudflare'], recordType: ['A', 'AAAA', 'CNAME'] }),
};

export const onlyIfContentField: INodeProperties = {
	displayName: 'Only If Content Is',
	name: 'onlyIfContent',
	type: 'string',
	default: '',
	placeholder: '={{ $json.content }}',
	description:
		'Remove the record only while it still holds this content, so a rollback never deletes what someone changed since (the item fails with a conflict instead). Empty: remove whatever it holds.',
	displayOptions: show(['remove']),
};

export const properties: INodeProperties[] = [
	providerField,
	zoneField,
	nameModeField,
	subdomainField,
	recordNameField,
	typeField,
	contentField,
	ttlField,
	proxiedField,
	onlyIfContentField,
];
