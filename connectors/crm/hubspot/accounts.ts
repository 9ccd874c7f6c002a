import { validationError } from '../../core';
import type { CrmAccount, CrmPage, CrmSearch } from '../types';
import type { HubspotClient } from './client';
import { searchBody, type SearchAnswer } from './deals';
import { VENDOR } from './errors';
import { COMPANY_PROPERTIES, toAccount, type HubspotRecord } from './mapping';
import { parseId, parseSearch } from './schemas';

const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** "ops@Acme.com", "https://www.acme.com/about", "www.acme.com" → "acme.com". */
export function normaliseDomain(input: string): string {
	if (typeof input !== 'string' || input.trim() === '') throw validationError('domain', 'a domain, URL or email address', input, VENDOR);
	let value = input.trim().toLowerCase();
	if (value.includes('@') && !value.includes('/')) value = value.slice(value.lastIndexOf('@') + 1);
	try {
		value = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`).hostname;
	} catch {
		throw validationError('domain', 'a domain, URL or email address', input, VENDOR);
	}
	value = value.replace(/^www\./, '').replace(/\.$/, '');
	if (!HOST.test(value)) throw validationError('domain', 'a domain such as "acme.com", a URL or an email address', input, VENDOR);
	return value;
}

/** One company by id (`GET /crm/v3/objects/companies/{id}`); a missing one is HubSpot's 404, mapped to not_found. */
export async function getAccount(client: HubspotClient, id: string): Promise<CrmAccount> {
	const companyId = parseId(id, 'accountId');
	const record = (await client.call((sdk, options) => sdk.crm.companies.basicApi.getById(companyId, COMPANY_PROPERTIES, undefined, undefined, undefined, undefined, options))) as HubspotRecord;
	return toAccount(record);
}

/** Companies search `domain EQ host`; the oldest match is the canonical record when duplicates exist. */
export async function findAccountByDomain(client: HubspotClient, domainOrEmail: string): Promise<CrmAccount | undefined> {
	const host = normaliseDomain(domainOrEmail);
	const body = {
		filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: host }] }],
		sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
		properties: COMPANY_PROPERTIES,
		limit: 1,
	};
	const answer = (await client.call((sdk, options) => sdk.crm.companies.searchApi.doSearch(body as never, options))) as SearchAnswer;
	const first = answer.results?.[0];
	return first ? toAccount(first) : undefined;
}

export async function searchAccounts(client: HubspotClient, search: CrmSearch): Promise<CrmPage<CrmAccount>> {
	const parsed = parseSearch(search, 'search');
	const body = searchBody(parsed, 'name', COMPANY_PROPERTIES);
	const answer = (await client.call((sdk, options) => sdk.crm.companies.searchApi.doSearch(body as never, options))) as SearchAnswer;
	const items = (answer.results ?? []).map(toAccount);
	const next = answer.paging?.next?.after;
	return next ? { items, nextCursor: String(next) } : { items };
}
