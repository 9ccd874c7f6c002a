import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validationError } from '../../connectors/core';

/** A JSON parameter: already an object/array when set by expression, else a JSON string. */
export function jsonParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	return parseJson(context.getNodeParameter(name, itemIndex, fallback) as unknown, name, fallback);
}

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

export function stringParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(context.getNodeParameter(name, itemIndex, '') ?? '');
}

/** A resource locator's value (list, ID or URL mode). */
export function locatorParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(context.getNodeParameter(name, itemIndex, '', { extractValue: true }) ?? '');
}

export function optionsParameter(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** Drops empty strings so optional fields left blank in the editor do not fail validation. */
export function withoutBlanks<T extends Record<string, unknown>>(value: T): T {
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) if (inner !== '' && inner !== undefined && inner !== null) out[key] = inner;
	return out as T;
}
