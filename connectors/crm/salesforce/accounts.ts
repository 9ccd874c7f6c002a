import { ConnectorError, validationError } from '../../core';
import type { CrmAccount, CrmOwner, CrmPage, CrmSearch } from '../types';
import type { SalesforceClient } from './client';
import { VENDOR } from './errors';
import { checkAccountId } from './ids';
import { hostOf, toAccount, toOwner, type SalesforceRecord } from './mapping';
import { pageClause, pageRequest, toPage } from './paging';
import { soqlLikeContains, soqlString } from './soql';

const ACCOUNT_FIELDS = 'Id, Name, Website, OwnerId, LastModifiedDate';
/** Hostname labels; `_` is tolerated (seen in real Website values) and escaped in LIKE like `%`. */
const DOMAIN = /^(?=.{3,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)+$/;
/** Enough candidates for LIKE '%acme.com%' to include the exact match next to notacme.com and acme.com.au. */
const DOMAIN_CANDIDATES = 50;

/** The domain of an email address, URL or bare domain, lower case, without "www.". */
export function normaliseDomain(domainOrEmail: string): string {
	const host = typeof domainOrEmail === 'string' ? hostOf(domainOrEmail) : undefined;
	if (!host || !DOMAIN.test(host)) throw validationError('domain', 'a domain ("acme.com"), URL or email address ("ops@acme.com")', domainOrEmail, VENDOR);
	return host;
}

/** One Account by id, with the fields the searches read. */
export async function getAccount(client: SalesforceClient, id: string): Promise<CrmAccount> {
	const accountId = checkAccountId(id, 'accountId');
	const result = await client.query<SalesforceRecord>(`SELECT ${ACCOUNT_FIELDS} FROM Account WHERE Id = ${soqlString(accountId)} LIMIT 1`);
	const [record] = result.records;
	if (!record) throw new ConnectorError('not_found', `Salesforce account ${accountId} not found`, { vendor: VENDOR, code: 'NOT_FOUND' });
	return toAccount(record);
}

/** The account whose Website host is the domain; a subdomain of it (eu.acme.com) when no exact match exists. */
export async function findAccountByDomain(client: SalesforceClient, domainOrEmail: string): Promise<CrmAccount | undefined> {
	const domain = normaliseDomain(domainOrEmail);
	const result = await client.query<SalesforceRecord>(
		`SELECT ${ACCOUNT_FIELDS} FROM Account WHERE Website LIKE ${soqlLikeContains(domain)} ORDER BY LastModifiedDate DESC LIMIT ${DOMAIN_CANDIDATES}`,
	);
	const accounts = result.records.map(toAccount);
	return accounts.find((account) => account.domain === domain) ?? accounts.find((account) => account.domain?.endsWith(`.${domain}`));
}

export async function searchAccounts(client: SalesforceClient, search: CrmSearch): Promise<CrmPage<CrmAccount>> {
	const page = pageRequest(search);
	const where = page.query ? `WHERE Name LIKE ${soqlLikeContains(page.query)} ` : '';
	const result = await client.query<SalesforceRecord>(`SELECT ${ACCOUNT_FIELDS} FROM Account ${where}ORDER BY LastModifiedDate DESC, Id DESC ${pageClause(page)}`);
	return toPage(result.records, page, toAccount);
}

/** Active users (who can own deals), by name. */
export async function listOwners(client: SalesforceClient, search: CrmSearch): Promise<CrmPage<CrmOwner>> {
	const page = pageRequest(search);
	const byName = page.query ? ` AND (Name LIKE ${soqlLikeContains(page.query)} OR Email = ${soqlString(page.query)})` : '';
	const result = await client.query<SalesforceRecord>(
		`SELECT Id, Name, Email, IsActive FROM User WHERE IsActive = true${byName} ORDER BY Name ASC, Id ASC ${pageClause(page)}`,
	);
	return toPage(result.records, page, toOwner);
}
