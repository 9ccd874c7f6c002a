import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { loadTierMatrix, type TierMatrix } from '../../connectors/superadmin';
import bundledMatrix from '../../connectors/superadmin/tier-matrix.json';

/** Tenant picker: search the platform's tenants, or paste an id. */
export const tenantIdField: INodeProperties = {
	displayName: 'Tenant',
	name: 'tenantId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTenants', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'tn_123',
			validation: [{ type: 'regex', properties: { regex: '^[^/?#\\s]+$', errorMessage: 'A tenant ID has no "/", "?", "#" or spaces' } }],
		},
	],
};

export const businessKeyField: INodeProperties = {
	displayName: 'Business Key',
	name: 'businessKey',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.businessKey }}',
	description: 'The contract or order ID. The idempotency key is derived from it, so a repeated run never acts twice.',
};

export const tierField: INodeProperties = {
	displayName: 'Tier',
	name: 'tier',
	type: 'options',
	default: 'grassroots',
	required: true,
	options: [
		{ name: 'Grassroots', value: 'grassroots' },
		{ name: 'Professional', value: 'professional' },
		{ name: 'World Class', value: 'world_class' },
	],
	description: 'Subscription tier; its feature flags come from the tier matrix. Use an expression for a tier defined only in a custom matrix.',
};

/** Optional edited matrix; pre-filled with the bundled one so a business user edits rather than writes. */
export const tierMatrixFields: INodeProperties[] = [
	{
		displayName: 'Use Custom Tier Matrix',
		name: 'useCustomTierMatrix',
		type: 'boolean',
		default: false,
		description: 'Whether to use the matrix below instead of the bundled feature-flag matrix (seed 004)',
	},
	{
		displayName: 'Tier Matrix',
		name: 'tierMatrix',
		type: 'json',
		default: JSON.stringify(bundledMatrix, null, 2),
		description: 'Modules × tiers with levels disabled, basic, advanced or full. It is validated before use; an error names the module and tier at fault.',
		displayOptions: { show: { useCustomTierMatrix: [true] } },
	},
];

/** The matrix in force for this item. */
export function tierMatrixFor(context: IExecuteFunctions, itemIndex: number): TierMatrix {
	const custom = context.getNodeParameter('useCustomTierMatrix', itemIndex, false) as boolean;
	return loadTierMatrix(custom ? context.getNodeParameter('tierMatrix', itemIndex) : undefined);
}

export function tenantIdOf(context: IExecuteFunctions, itemIndex: number): string {
	return context.getNodeParameter('tenantId', itemIndex, '', { extractValue: true }) as string;
}

export function stringParam(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return context.getNodeParameter(name, itemIndex, '') as string;
}

/** Connector results are plain JSON already; this drops `undefined` and gives n8n's item type. */
export function asJson(value: unknown): IDataObject {
	return JSON.parse(JSON.stringify(value)) as IDataObject;
}
