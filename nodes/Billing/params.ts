import type { IExecuteFunctions } from 'n8n-workflow';
import { validationError } from '../../connectors/core';

export { jsonParameter, locatorParameter, optionsParameter, parseJson, stringParameter, withoutBlanks } from '../shared/params';

/** A number parameter (an expression may give a numeric string); blank → fallback, anything else non-numeric is refused. */
export function numberParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback: number): number {
	const value = context.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return fallback;
	const number = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(number)) throw validationError(name, 'a number', value);
	return number;
}

/** A comma-separated list (or an array from an expression), trimmed, blanks dropped. */
export function listParameter(raw: unknown): string[] {
	const parts = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [];
	return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/**
 * A point in time for Stripe: Unix seconds stay numbers, a Date or Luxon DateTime (from an expression) becomes ISO,
 * and a date-time without a zone (the editor's date picker) is read as UTC. Anything else is passed on as it is,
 * so the connector's validation names the field.
 */
export function timeParameter(context: IExecuteFunctions, name: string, itemIndex: number): number | string | undefined {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') return value;
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') return String((value as { toISO: () => string }).toISO());
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+$/.test(text)) return Number(text);
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00Z`;
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return `${text.length === 16 ? `${text}:00` : text}Z`;
	return text;
}
