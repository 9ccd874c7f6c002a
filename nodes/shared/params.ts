import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validationError, type RateLimit } from '../../connectors/core';

/** Reading node parameters the same way in every action node: trimmed text, locator values, JSON, collections. */

/** A trimmed string parameter ('' when unset). */
export function stringParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

/** A string parameter that must not be blank: checked before any vendor call. */
export function requiredString(context: IExecuteFunctions, name: string, itemIndex: number, expected: string): string {
	const value = stringParameter(context, name, itemIndex);
	if (value === '') throw validationError(name, expected, value);
	return value;
}

/** A resource locator's value (list, ID or URL mode), trimmed. */
export function locatorParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value ?? '').trim();
	return value === undefined || value === null ? '' : String(value).trim();
}

export function requiredLocator(context: IExecuteFunctions, name: string, itemIndex: number, expected: string): string {
	const value = locatorParameter(context, name, itemIndex);
	if (value === '') throw validationError(name, expected, value);
	return value;
}

/** The node's "Options" collection ({} when unset). */
export function optionsParameter(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** A JSON value: already parsed when set by an expression, else a JSON string; blank → fallback. */
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

/** A JSON parameter, parsed (see parseJson). */
export function jsonParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	return parseJson(context.getNodeParameter(name, itemIndex, fallback) as unknown, name, fallback);
}

/** The rows of a fixedCollection parameter (`{ [group]: rows[] }` in n8n's shape). */
export function collectionRows(context: IExecuteFunctions, name: string, group: string, itemIndex: number): IDataObject[] {
	const value = context.getNodeParameter(name, itemIndex, {}) as IDataObject | undefined;
	const rows = value?.[group];
	return Array.isArray(rows) ? (rows as IDataObject[]) : [];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops empty strings so optional fields left blank in the editor do not fail validation. */
export function withoutBlanks<T extends Record<string, unknown>>(value: T): T {
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) if (inner !== '' && inner !== undefined && inner !== null) out[key] = inner;
	return out as T;
}

/**
 * A credential's "Requests per Second" as the connector's rate limit (burst = two seconds' worth); undefined (the
 * connector's default) when the credential predates the field or holds no positive number.
 */
export function rateLimitOf(requestsPerSecond: unknown): RateLimit | undefined {
	const perSecond = Number(requestsPerSecond);
	if (!Number.isFinite(perSecond) || perSecond <= 0) return undefined;
	return { perSecond, burst: Math.max(1, Math.round(perSecond * 2)) };
}
