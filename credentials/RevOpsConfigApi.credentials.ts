import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * One tenant's RevOps rules (segments, routing, discount thresholds, approval chains, activation gates) and the policy
 * engine that applies them. Several tenants on one n8n each get their own credential. Checked on save by the RevOps
 * node's credential test (the config is parsed; OPA's /health is asked).
 */
export class RevOpsConfigApi implements ICredentialType {
	name = 'revOpsConfigApi';

	displayName = 'RevOps Config API';

	icon: Icon = { light: 'file:revOps.svg', dark: 'file:revOps.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- a community credential links a full URL
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-quote-to-cash#revops';

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant ID',
			name: 'tenant',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acme',
			description: 'The tenant these rules belong to; recorded with every decision and used to keep routing state apart',
		},
		{
			displayName: 'Start From Profile',
			name: 'profile',
			type: 'options',
			default: 'default',
			options: [
				{ name: 'Default', value: 'default', description: 'Territory routing, SMB / mid-market / enterprise discount thresholds' },
				{ name: 'SMB', value: 'smb', description: 'Round-robin SDR pools with capacity, simple approvals' },
				{ name: 'Enterprise', value: 'enterprise', description: 'Named-account teams, legal review of non-standard terms' },
				{ name: 'Custom', value: 'custom', description: 'No profile: the config below is the whole config' },
			],
		},
		{
			displayName: 'Config Overrides (JSON or YAML)',
			name: 'config',
			type: 'string',
			typeOptions: { rows: 12 },
			default: '',
			placeholder: 'discounts:\n  smb:\n    ae_self_approve_pct: 0.15',
			description:
				'Optional. Merged over the profile as a JSON Merge Patch: objects merge key by key, lists and values replace, null removes a key.',
			displayOptions: { hide: { profile: ['custom'] } },
		},
		{
			displayName: 'Config (JSON or YAML)',
			name: 'config',
			type: 'string',
			typeOptions: { rows: 16 },
			default: '',
			required: true,
			placeholder: 'segments:\n  - name: smb\n    arr_max: 50000\nrouting:\n  default_strategy: territory\ndiscounts:\n  smb:\n    ae_self_approve_pct: 0.2',
			description: 'The whole RevOps config (segments, routing, discounts, approvals, terms, activation)',
			displayOptions: { show: { profile: ['custom'] } },
		},
		{
			displayName: 'Policy Engine',
			name: 'engine',
			type: 'options',
			default: 'builtin',
			options: [
				{ name: 'Built-In', value: 'builtin', description: 'Evaluated inside n8n; no server needed' },
				{ name: 'Open Policy Agent', value: 'opa', description: "The pack's Rego policies on an OPA server (same decisions)" },
			],
		},
		{
			displayName: 'OPA URL',
			name: 'opaUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:8181',
			description: 'Base URL of the OPA server (no path)',
			displayOptions: { show: { engine: ['opa'] } },
		},
		{
			displayName: 'Package Path',
			name: 'opaPackagePath',
			type: 'string',
			default: 'q2c/revops',
			description: 'Data path of the RevOps policies: q2c/revops asks /v1/data/q2c/revops/&lt;kind&gt;/decision',
			displayOptions: { show: { engine: ['opa'] } },
		},
		{
			displayName: 'Bearer Token',
			name: 'opaToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Sent as "Authorization: Bearer …" when OPA runs with --authentication=token. Empty sends none.',
			displayOptions: { show: { engine: ['opa'] } },
		},
	];
}
