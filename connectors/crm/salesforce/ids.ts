import { validationError } from '../../core';
import { VENDOR } from './errors';

const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
export const USER_ID = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
export const OPPORTUNITY_ID = /^006[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
export const ACCOUNT_ID = /^001[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
export const LEAD_ID = /^00Q[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
/** Leads can be owned by a user (005…) or a queue (00G…). */
const LEAD_OWNER_ID = /^00[5G][A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

/** 15- or 18-character Salesforce id, checked before any request (ids are also put into SOQL). */
export function checkRecordId(value: unknown, field: string): string {
	if (typeof value !== 'string' || !RECORD_ID.test(value.trim())) {
		throw validationError(field, 'a 15- or 18-character Salesforce record id', value, VENDOR);
	}
	return value.trim();
}

export function checkUserId(value: unknown, field: string): string {
	if (typeof value !== 'string' || !USER_ID.test(value.trim())) {
		throw validationError(field, 'a Salesforce user id (15 or 18 characters starting with 005)', value, VENDOR);
	}
	return value.trim();
}

export function checkAccountId(value: unknown, field: string): string {
	if (typeof value !== 'string' || !ACCOUNT_ID.test(value.trim())) {
		throw validationError(field, 'a Salesforce Account id (15 or 18 characters starting with 001)', value, VENDOR);
	}
	return value.trim();
}

export function checkLeadId(value: unknown, field: string): string {
	if (typeof value !== 'string' || !LEAD_ID.test(value.trim())) {
		throw validationError(field, 'a Salesforce Lead id (15 or 18 characters starting with 00Q)', value, VENDOR);
	}
	return value.trim();
}

export function checkLeadOwnerId(value: unknown, field: string): string {
	if (typeof value !== 'string' || !LEAD_OWNER_ID.test(value.trim())) {
		throw validationError(field, 'a Salesforce user id (005…) or queue id (00G…), 15 or 18 characters', value, VENDOR);
	}
	return value.trim();
}

/** Whether two ids name the same record (15- and 18-character forms share the first 15). */
export function sameRecordId(a: string | undefined, b: string | undefined): boolean {
	return a !== undefined && b !== undefined && a.slice(0, 15) === b.slice(0, 15);
}
