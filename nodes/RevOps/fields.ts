import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../connectors/core';
import type { PolicyResult } from '../../connectors/revops';
import { parseJson } from '../shared/params';

/** A JSON parameter (object from an expression, or JSON text); blank or unset → undefined. */
export function jsonValue(context: IExecuteFunctions, name: string, itemIndex: number): unknown {
	return parseJson(context.getNodeParameter(name, itemIndex, undefined) as unknown, name, undefined);
}

/** A list parameter: a list from an expression, or comma-separated text; blank → []. */
export function listValue(raw: unknown, field: string): string[] {
	if (raw === undefined || raw === null || raw === '') return [];
	if (Array.isArray(raw)) {
		return raw.map((entry, index) => {
			if (typeof entry !== 'string') throw validationError(`${field}[${index}]`, 'text, e.g. "FINANCE"', entry);
			return entry.trim();
		});
	}
	if (typeof raw !== 'string') throw validationError(field, 'a list or comma-separated text', raw);
	return raw
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

export function listParameter(context: IExecuteFunctions, name: string, itemIndex: number): string[] {
	return listValue(context.getNodeParameter(name, itemIndex, '') as unknown, name);
}

/** The "Put Result In" option: the field the decision is written to (default "policy"). */
export function outputKey(context: IExecuteFunctions, itemIndex: number, fallback = 'policy'): string {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const key = typeof options.outputKey === 'string' ? options.outputKey.trim() : '';
	return key || fallback;
}

export const outputKeyOption: INodeProperties = {
	displayName: 'Put Result In Field',
	name: 'outputKey',
	type: 'string',
	default: 'policy',
	description: "The output field the decision goes to; the item's own fields pass through beside it",
};

/** A policy result as item json: the tenant first, then exactly what the engine returned. */
export function policyJson(tenant: string, result: PolicyResult<unknown>): IDataObject {
	return {
		tenant,
		kind: result.kind,
		engine: result.engine,
		decision: result.decision as IDataObject,
		attributes: result.attributes as IDataObject,
		trace: result.trace as unknown as IDataObject[],
		config_version: result.config_version,
		evaluated_at: result.evaluated_at,
	};
}

/** The input item's own json and binary, to pass through beside a result. */
export function inputItem(context: IExecuteFunctions, itemIndex: number) {
	return context.getInputData()[itemIndex];
}
