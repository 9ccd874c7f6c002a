import { validationError } from '../../core';
import { VMF_VENDOR } from '../errors';

/** JSON:API media type the Platform API speaks. */
export const JSON_API = 'application/vnd.api+json';
export const JSON_API_HEADERS = { Accept: JSON_API, 'Content-Type': JSON_API };

/** Validates an id taken from user input and puts it in a path; ':' stays readable as in Vendasta's docs. */
export function pathId(value: unknown, field: string, expected: string): string {
	if (typeof value !== 'string' || value.trim() === '' || /[/?#\s]/.test(value.trim())) {
		throw validationError(field, expected, value, VMF_VENDOR);
	}
	return encodeURIComponent(value.trim()).replace(/%3A/gi, ':');
}

export const ORDER_ID_EXPECTED = 'a VMF order id such as "AG-1234567:ORD-1234567"';
