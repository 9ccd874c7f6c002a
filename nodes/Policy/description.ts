import type { INodeProperties } from 'n8n-workflow';

/** The policy thresholds (business users edit these) and the contract attributes they are checked against. */
export const policyProperties: INodeProperties[] = [
	{
		displayName:
			'Items whose contract passes every rule leave on the "allowed" output; the rest leave on "blocked" with the reasons in <code>policy.blocking_issues</code>',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Require Signature',
		name: 'requireSignature',
		type: 'boolean',
		default: true,
		description: 'Whether the contract must be signed before it is activated',
	},
	{
		displayName: 'Required Approvals',
		name: 'requiredApprovals',
		type: 'string',
		default: '',
		placeholder: 'SALES_MANAGER, FINANCE',
		description: 'Comma-separated approval roles that must all be present (case-insensitive). Empty means none.',
	},
	{
		displayName: 'Allowed Jurisdictions',
		name: 'allowedJurisdictions',
		type: 'string',
		default: '',
		placeholder: 'US, CA, GB',
		description: 'Comma-separated ISO country codes; a region such as US-CA passes under US. Empty means any jurisdiction.',
	},
	{
		displayName: 'Max Amount (Minor Units)',
		name: 'maxAmount',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Largest contract amount per billing interval, in cents, that activates without review. 0 means no limit.',
	},
	{
		displayName: 'Min Term (Months)',
		name: 'minTermMonths',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Shortest contract term allowed. 0 means no minimum.',
	},
	{
		displayName: 'Max Term (Months)',
		name: 'maxTermMonths',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Longest contract term allowed. 0 means no maximum.',
	},
	{
		displayName: 'Required Receipts',
		name: 'requiredReceipts',
		type: 'string',
		default: '',
		placeholder: 'ACTIVATE_ORDER, PROVISION',
		description: 'Comma-separated receipt steps the activation must record; passed on in the decision',
	},
	{
		displayName: 'Signed',
		name: 'signed',
		type: 'boolean',
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-boolean -- reads the normalized contract by default
		default: '={{ $json.signature.signed }}',
		description: 'Whether the contract is signed',
	},
	{
		displayName: 'Approvals',
		name: 'approvals',
		type: 'string',
		default: '={{ ($json.approvals || []).map(a => a.role) }}',
		description: 'Approval roles present on the contract: a list, or comma-separated text',
	},
	{
		displayName: 'Jurisdiction',
		name: 'jurisdiction',
		type: 'string',
		default: '={{ $json.jurisdiction || $json.customer.country }}',
		description: 'ISO country or region code the contract falls under',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-number -- reads the normalized contract by default
		default: '={{ $json.totalAmount }}',
		description: 'Contract amount per billing interval, in minor units (cents)',
	},
	{
		displayName: 'Term (Months)',
		name: 'termMonths',
		type: 'number',
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-number -- reads the normalized contract by default
		default: '={{ $json.termMonths }}',
		description: 'Contract term in months',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '={{ $json.currency }}',
		description: 'ISO currency code of the amount; recorded with the decision',
	},
];
