import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validationError } from '../../connectors/core';

export function stringParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
}

/** A resource locator's value (list or ID mode). */
export function locatorParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(context.getNodeParameter(name, itemIndex, '', { extractValue: true }) ?? '').trim();
}

export function optionsParameter(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** The rows of a fixedCollection parameter (`{ [group]: rows[] }` in n8n's shape). */
export function collectionRows(context: IExecuteFunctions, name: string, group: string, itemIndex: number): IDataObject[] {
	const value = context.getNodeParameter(name, itemIndex, {}) as IDataObject | undefined;
	const rows = value?.[group];
	return Array.isArray(rows) ? (rows as IDataObject[]) : [];
}

/** A JSON parameter: an object/array when set by expression, else a JSON string (blank → fallback). */
export function parseJson(raw: unknown, field: string, fallback: unknown): unknown {
	if (raw === undefined || raw === null) return fallback;
	if (typeof raw !== 'string') return raw;
	if (raw.trim() === '') return fallback;
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		throw validationError(field, 'valid JSON', raw);
	}
}
