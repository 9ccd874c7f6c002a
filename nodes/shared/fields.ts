import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** The standard "Return All" + "Limit" pair of a list operation (n8n's usual wording and defaults). */
export function returnAllFields(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** The "Operation" selector shown for one resource (the resource/operation pattern of n8n's nodes). */
export function operationProperty(resource: string, defaultOperation: string, options: INodeProperties['options']): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		default: defaultOperation,
		options,
	};
}

/**
 * "Attempt" of a saga write: which run at this contract this is (the triggers output `attempt`, the number of earlier
 * runs that failed and were compensated). A later attempt gets fresh idempotency keys, so the vendor acts again
 * instead of replaying what was since cancelled or disabled.
 */
export const attemptField: INodeProperties = {
	displayName: 'Attempt',
	name: 'attempt',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: 0,
	description: "Which attempt at this contract the run is: the trigger's attempt (0 the first time). A run after a compensated one must not get the compensated resources back.",
};

/** The Attempt parameter as a whole number (0 when blank or not shown). */
export function attemptOf(context: { getNodeParameter(name: string, itemIndex: number, fallback?: unknown): unknown }, itemIndex: number): number {
	const value = Number(context.getNodeParameter('attempt', itemIndex, 0));
	return Number.isInteger(value) && value > 0 ? value : 0;
}
