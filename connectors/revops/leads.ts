import { ConnectorError, isConnectorError, sha256Hex, type z } from '../core';
import type { leadSchema } from './attributes';
import { parseCsv } from './csv';
import { amountOf, booleanOf, countOf, countryCodeOf, domainOf, keyOf, stateCodeOf, textOf, utmFromUrl } from './leadFields';
import { throwValidation } from './validation';

export const LEAD_SOURCES = ['marketing_form', 'partner', 'product_signal', 'csv', 'crm'] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** The lead part of lead_routing attributes: only fields that schema accepts. */
export type NormalisedLead = z.input<typeof leadSchema> & { id: string; source: LeadSource };

/** What a lead payload carries that routing policy does not read, for the CRM record and attribution. */
export interface LeadContext {
	first_name?: string;
	last_name?: string;
	company_name?: string;
	phone?: string;
	/** The payload's own source (Salesforce LeadSource, HubSpot hs_analytics_source, a form's `source`). */
	lead_source?: string;
	utm_source?: string;
	utm_medium?: string;
	utm_term?: string;
	utm_content?: string;
	landing_page?: string;
	partner?: string;
	signal?: string;
	account_domain?: string;
	/** Optional values present but not understood (kept out of the lead rather than guessed). */
	unrecognised: { field: string; path: string; value: string }[];
}

type Scope = 'root' | 'properties' | 'contact' | 'user' | 'lead' | 'company' | 'account' | 'geo' | 'utm' | 'partner' | 'query';
interface Found {
	value: unknown;
	path: string;
}

const PERSON: Scope[] = ['root', 'properties', 'contact', 'user', 'lead'];
const FIRM: Scope[] = ['root', 'properties', 'lead', 'company', 'account'];
const PLACE: Scope[] = ['root', 'properties', 'contact', 'lead', 'company', 'account', 'geo'];

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The payload's objects by role, each with its path for error messages. An n8n Webhook item
 * (`{ headers, body, query }`) is unwrapped to its body, its query string kept for UTM tags.
 */
function scopesOf(payload: Record<string, unknown>): Map<Scope, { path: string; fields: Map<string, Found> }> {
	const scopes = new Map<Scope, { path: string; fields: Map<string, Found> }>();
	const add = (scope: Scope, value: unknown, path: string) => {
		if (!isRecord(value) || scopes.has(scope)) return;
		const fields = new Map<string, Found>();
		for (const [key, field] of Object.entries(value)) {
			if (!fields.has(keyOf(key))) fields.set(keyOf(key), { value: field, path: path === '' ? key : `${path}.${key}` });
		}
		scopes.set(scope, { path, fields });
	};
	const webhook = isRecord(payload.body) && (isRecord(payload.headers) || isRecord(payload.query));
	const root = webhook ? (payload.body as Record<string, unknown>) : payload;
	const prefix = webhook ? 'body.' : '';
	add('root', root, webhook ? 'body' : '');
	if (webhook) add('query', payload.query, 'query');
	for (const [scope, key] of [['properties', 'properties'], ['contact', 'contact'], ['user', 'user'], ['lead', 'lead'], ['company', 'company'], ['account', 'account'], ['geo', 'geo'], ['geo', 'location'], ['utm', 'utm'], ['partner', 'partner']] as const) {
		add(scope, root[key], `${prefix}${key}`);
	}
	return scopes;
}

/** Reads one logical field from the first scope (in the given order) holding any of `keys`. */
function reader(payload: Record<string, unknown>) {
	const scopes = scopesOf(payload);
	return (keys: string[], order: Scope[]): Found | undefined => {
		for (const scope of order) {
			const fields = scopes.get(scope)?.fields;
			for (const key of keys) {
				const found = fields?.get(key);
				if (found !== undefined && textOf(found.value) !== undefined) return found;
				if (found !== undefined && typeof found.value === 'boolean') return found;
			}
		}
		return undefined;
	};
}

const EMAIL_KEYS = ['email', 'emailaddress', 'workemail', 'businessemail', 'useremail', 'contactemail'];
export const LEAD_EMAIL_KEYS: readonly string[] = EMAIL_KEYS;

/** Fills the lead and context from one payload; throws only for a missing identity or a bad email. */
function extract(payload: Record<string, unknown>, source: LeadSource): { lead: NormalisedLead; context: LeadContext } {
	const read = reader(payload);
	const context: LeadContext = { unrecognised: [] };
	const lead: Partial<NormalisedLead> = {};
	const optional = <T>(field: string, found: Found | undefined, parse: (value: unknown) => T | undefined): T | undefined => {
		if (found === undefined) return undefined;
		const parsed = parse(found.value);
		if (parsed === undefined) context.unrecognised.push({ field, path: found.path, value: String(textOf(found.value) ?? found.value) });
		return parsed;
	};

	const emailFound = read(EMAIL_KEYS, PERSON);
	const email = textOf(emailFound?.value)?.toLowerCase();
	if (emailFound !== undefined && (email === undefined || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))) {
		throwValidation('lead payload', emailFound.path, 'an email address such as "ana@acme.com"', ` (received ${JSON.stringify(String(emailFound.value).slice(0, 40))})`);
	}
	const givenId = textOf(read(['id', 'leadid', 'hsobjectid', 'vid', 'objectid', 'recordid', 'externalid', 'partnerleadid'], ['root', 'properties', 'lead'])?.value);
	if (givenId === undefined && email === undefined) {
		throwValidation('lead payload', 'email', 'an email address or a lead id (the payload has neither)');
	}
	// Same source and email, same id: a re-delivered webhook or re-uploaded row is the same lead.
	lead.id = givenId ?? `lead_${sha256Hex(`${source}\n${email}`).slice(0, 32)}`;
	if (email !== undefined) {
		lead.email = email;
		lead.email_domain = email.slice(email.lastIndexOf('@') + 1);
	}

	const accountDomain = optional('account_domain', read(['accountdomain', 'companydomain', 'domain', 'website'], ['root', 'properties', 'lead', 'company', 'account']), domainOf);
	if (accountDomain !== undefined) {
		context.account_domain = accountDomain;
		lead.email_domain ??= accountDomain;
	}
	const country = optional('country', read(['countrycode', 'country', 'countryname', 'addresscountry', 'ipcountry'], PLACE), countryCodeOf);
	if (country !== undefined) lead.country = country;
	const state = read(['statecode', 'state', 'stateorprovince', 'province', 'region', 'ipstate'], PLACE.filter((s) => s !== 'root' && s !== 'properties'));
	const rootState = read(['statecode', 'state', 'stateorprovince', 'province', 'ipstate'], ['root', 'properties']);
	const stateCode = stateCodeOf((rootState ?? state)?.value, country);
	if (stateCode !== undefined) lead.state = stateCode;

	const size = optional('company_size', read(['companysize', 'numberofemployees', 'numemployees', 'employees', 'employeecount', 'headcount', 'size'], FIRM), countOf);
	if (size !== undefined) lead.company_size = size;
	const industry = textOf(read(['industry', 'companyindustry'], FIRM)?.value);
	if (industry !== undefined) lead.industry = industry;
	const segment = textOf(read(['segment', 'customersegment'], ['root', 'properties', 'lead'])?.value);
	if (segment !== undefined) lead.segment = segment;
	const arr = optional('arr_estimate', read(['arrestimate', 'estimatedarr', 'expectedarr', 'arr'], FIRM), amountOf);
	if (arr !== undefined) lead.arr_estimate = arr;
	lead.source = source;

	// UTM tags: explicit fields, then a `utm` object, then the landing page's query string.
	const landing = read(['landingpage', 'landingpageurl', 'pageurl', 'pageuri', 'url', 'hsanalyticsfirsturl', 'conversionpage', 'sourceurl', 'referrer'], ['root', 'properties', 'lead']);
	const fromUrl = utmFromUrl(landing?.value);
	if (landing !== undefined) context.landing_page = textOf(landing.value);
	const utm = (name: string) => textOf(read([`utm${name}`], ['root', 'query', 'properties', 'lead'])?.value) ?? textOf(read([name], ['utm'])?.value) ?? fromUrl[name];
	const campaign = utm('campaign');
	if (campaign !== undefined) lead.utm_campaign = campaign;
	for (const name of ['source', 'medium', 'term', 'content'] as const) {
		const value = utm(name);
		if (value !== undefined) context[`utm_${name}`] = value;
	}

	const spam = optional('is_spam_signal', read(['isspamsignal', 'isspam', 'spam', 'spamsignal'], ['root', 'properties', 'lead']), booleanOf);
	// A filled-in honeypot field is a bot: people never see it.
	const honeypot = read(['honeypot', 'gotcha', 'botfield', 'hpfield'], ['root']) !== undefined;
	if (spam !== undefined || honeypot) lead.is_spam_signal = spam === true || honeypot;

	const contextText: [keyof LeadContext, string[], Scope[]][] = [
		['first_name', ['firstname', 'fname', 'givenname'], PERSON],
		['last_name', ['lastname', 'lname', 'surname', 'familyname'], PERSON],
		['company_name', ['companyname', 'company', 'organization', 'organisation'], ['root', 'properties', 'lead']],
		['company_name', ['name'], ['company', 'account']],
		['phone', ['phone', 'phonenumber', 'mobilephone'], PERSON],
		['lead_source', ['leadsource', 'hsanalyticssource', 'originalsource', 'source'], ['root', 'properties', 'lead']],
		['partner', ['name', 'id'], ['partner']],
		['partner', ['partnername', 'partnerid', 'partner'], ['root']],
		['signal', ['signal', 'event', 'eventtype', 'eventname'], ['root']],
	];
	for (const [field, keys, order] of contextText) {
		const found = read(keys, order);
		const value = typeof found?.value === 'boolean' ? undefined : textOf(found?.value);
		if (value !== undefined && context[field] === undefined) (context as unknown as Record<string, string>)[field] = value;
	}
	return { lead: lead as NormalisedLead, context };
}

function assertSource(source: unknown): asserts source is LeadSource {
	if (!LEAD_SOURCES.includes(source as LeadSource)) {
		throwValidation('lead payload', 'source', `one of ${LEAD_SOURCES.map((s) => JSON.stringify(s)).join(', ')}`, ` (received ${JSON.stringify(source)})`);
	}
}

/**
 * A lead payload from any ingest channel (form post, partner handoff, product signal, CSV row, HubSpot
 * or Salesforce record) as lead_routing `lead` attributes plus the rest as context.
 */
export function normaliseLeadWithContext(payload: unknown, source: LeadSource): { lead: NormalisedLead; context: LeadContext } {
	assertSource(source);
	if (!isRecord(payload)) {
		return throwValidation('lead payload', '(root)', 'an object such as a form post, a CRM record or a partner payload', ` (received ${Array.isArray(payload) ? 'an array' : typeof payload})`);
	}
	return extract(payload, source);
}

/** The lead_routing `lead` attributes of a payload (see normaliseLeadWithContext). */
export function normaliseLead(payload: unknown, source: LeadSource): NormalisedLead {
	return normaliseLeadWithContext(payload, source).lead;
}

export interface LeadCsvError {
	/** Spreadsheet row: the header is row 1, the first lead row 2. */
	row: number;
	/** The header of the column at fault, or null for the whole row. */
	column: string | null;
	message: string;
}

export interface LeadCsvResult {
	leads: { row: number; lead: NormalisedLead; context: LeadContext }[];
	errors: LeadCsvError[];
}

export const DEFAULT_MAX_CSV_ROWS = 10_000;

/**
 * A CSV upload (RFC 4180, header row, BOM tolerated) as leads. Every row becomes a lead or an error
 * naming its row and column; none is dropped silently. A repeated email (same lead id) is an error.
 */
export function parseLeadCsv(text: unknown, options: { maxRows?: number; source?: LeadSource } = {}): LeadCsvResult {
	if (typeof text !== 'string') return throwValidation('lead CSV', 'text', 'CSV text with a header row', ` (received ${typeof text})`);
	const source = options.source ?? 'csv';
	assertSource(source);
	const maxRows = options.maxRows ?? DEFAULT_MAX_CSV_ROWS;
	const { records, issues } = parseCsv(text);
	const errors: LeadCsvError[] = [];
	const leads: LeadCsvResult['leads'] = [];
	if (records.length === 0) return { leads, errors: [{ row: 1, column: null, message: 'the file is empty: expected a header row such as "email,first_name,country"' }] };
	if (records.length - 1 > maxRows) {
		throw new ConnectorError('validation', `Invalid lead CSV: rows: expected at most ${maxRows} lead rows (received ${records.length - 1}); split the file`, {
			field: 'rows',
			expected: `at most ${maxRows} lead rows`,
		});
	}
	const header = records[0].map((name) => name.trim());
	const emailColumn = header.find((name) => EMAIL_KEYS.includes(keyOf(name)));
	const badRecords = new Set(issues.map((issue) => issue.record));
	for (const issue of issues) errors.push({ row: issue.record + 1, column: header[issue.field] ?? null, message: issue.message });
	if (emailColumn === undefined) {
		errors.push({ row: 1, column: null, message: `no email column: expected a header such as "email" (found ${header.map((h) => JSON.stringify(h)).join(', ')})` });
		return { leads, errors };
	}
	const rowOfId = new Map<string, number>();
	records.slice(1).forEach((fields, index) => {
		const row = index + 2;
		if (badRecords.has(row - 1)) return;
		if (fields.length > header.length) {
			errors.push({ row, column: null, message: `expected ${header.length} fields as in the header row, found ${fields.length}` });
			return;
		}
		const values: Record<string, string> = {};
		header.forEach((name, column) => {
			if (!(name in values)) values[name] = fields[column] ?? '';
		});
		if (textOf(values[emailColumn]) === undefined) {
			errors.push({ row, column: emailColumn, message: 'no email: every lead in an upload needs one' });
			return;
		}
		try {
			const { lead, context } = normaliseLeadWithContext(values, source);
			const first = rowOfId.get(lead.id);
			if (first !== undefined) {
				errors.push({ row, column: emailColumn, message: `the same lead as row ${first} (same email, so the same lead id ${lead.id})` });
				return;
			}
			rowOfId.set(lead.id, row);
			leads.push({ row, lead, context });
		} catch (error) {
			if (!isConnectorError(error)) throw error;
			errors.push({ row, column: error.field !== undefined && header.includes(error.field) ? error.field : null, message: error.message });
		}
	});
	errors.sort((a, b) => a.row - b.row);
	return { leads, errors };
}
