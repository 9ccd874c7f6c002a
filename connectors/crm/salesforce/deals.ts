import { isConnectorError, validationError, ConnectorError } from '../../core';
import type { CrmDeal, CrmPage, CrmSearch } from '../types';
import type { SalesforceClient } from './client';
import { VENDOR } from './errors';
import { checkRecordId, OPPORTUNITY_ID } from './ids';
import { toDeal, type SalesforceRecord } from './mapping';
import { pageClause, pageRequest, toPage } from './paging';
import { checkFieldNames, soqlDateTime, soqlLikeContains, soqlString } from './soql';

export const DEAL_FIELDS = ['Id', 'Name', 'Amount', 'StageName', 'IsClosed', 'IsWon', 'CloseDate', 'OwnerId', 'AccountId', 'SystemModstamp'];
const CURRENCY_FIELD = 'CurrencyIsoCode';
export const MAX_WON_DEALS = 2000;

/** Whether an org has multi-currency (CurrencyIsoCode exists); learnt from the first query, per org. */
const multiCurrencyByOrg = new Map<string, boolean>();

/**
 * SELECT of deal fields with CurrencyIsoCode when the org has it: single-currency orgs answer INVALID_FIELD,
 * so the query is repeated once without it and the org remembered.
 */
export async function queryDeals(client: SalesforceClient, tail: string, extraFields: string[] = []): Promise<CrmDeal[]> {
	await client.ensureSession();
	const org = client.orgKey;
	const withCurrency = multiCurrencyByOrg.get(org) !== false;
	const fields = [...new Set([...DEAL_FIELDS, ...(withCurrency ? [CURRENCY_FIELD] : []), ...extraFields])];
	try {
		const result = await client.query<SalesforceRecord>(`SELECT ${fields.join(', ')} FROM Opportunity ${tail}`);
		if (withCurrency) multiCurrencyByOrg.set(org, true);
		return result.records.map((record) => toDeal(record, client.instanceUrl));
	} catch (error) {
		const missingCurrency = isConnectorError(error) && error.code === 'INVALID_FIELD' && error.message.includes(CURRENCY_FIELD);
		if (!withCurrency || !missingCurrency || extraFields.includes(CURRENCY_FIELD)) throw error;
		multiCurrencyByOrg.set(org, false);
		return queryDeals(client, tail, extraFields);
	}
}

export async function getDeal(client: SalesforceClient, id: string, properties: string[] = []): Promise<CrmDeal> {
	const dealId = checkRecordId(id, 'dealId');
	if (!Array.isArray(properties)) throw validationError('properties', 'a list of field API names', properties, VENDOR);
	const extra = checkFieldNames(properties, 'properties');
	const [deal] = await queryDeals(client, `WHERE Id = ${soqlString(dealId)} LIMIT 1`, extra);
	if (!deal) throw new ConnectorError('not_found', `Salesforce opportunity ${dealId} not found`, { vendor: VENDOR, code: 'NOT_FOUND' });
	return deal;
}

/** Name contains the query (or Id equals it, for an opportunity id); newest changes first. */
export async function searchDeals(client: SalesforceClient, search: CrmSearch): Promise<CrmPage<CrmDeal>> {
	const page = pageRequest(search);
	const conditions: string[] = [];
	if (page.query) conditions.push(`Name LIKE ${soqlLikeContains(page.query)}`);
	if (OPPORTUNITY_ID.test(page.query)) conditions.push(`Id = ${soqlString(page.query)}`);
	const where = conditions.length ? `WHERE ${conditions.join(' OR ')} ` : '';
	const deals = await queryDeals(client, `${where}ORDER BY LastModifiedDate DESC, Id DESC ${pageClause(page)}`);
	return toPage(deals, page, (deal) => deal);
}

/** Won deals changed at or after `sinceIso` (floored to the second: SOQL datetimes have no milliseconds), oldest first. */
export async function listWonDealsModifiedSince(client: SalesforceClient, sinceIso: string, limit: number): Promise<CrmDeal[]> {
	const since = soqlDateTime(sinceIso);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_WON_DEALS) {
		throw validationError('limit', `an integer from 1 to ${MAX_WON_DEALS}`, limit, VENDOR);
	}
	return queryDeals(client, `WHERE IsWon = true AND SystemModstamp >= ${since} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${limit}`);
}
