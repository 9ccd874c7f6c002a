/** Shared fixtures for the Salesforce connector tests: nock'd login and REST endpoints, a CRM with a fake sleep. */
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import type { SalesforceConfig } from '../config';
import { SalesforceCrm } from '../crm';

export const LOGIN = 'https://login.salesforce.com';
export const INSTANCE = 'https://acme.my.salesforce.com';
export const API = '/services/data/v62.0';
export const CLIENT_ID = '3MVG9consumer-key';
export const CLIENT_SECRET = 'client-secret-value-123';
export const REFRESH_TOKEN = '5Aep861refresh-token-value';
export const USER_ID = '005000000000001AAA';

let orgCounter = 0;
/** Each test gets its own org so per-org state (limits, multi-currency) never leaks between tests. */
export function nextOrgId(): string {
	orgCounter += 1;
	return `00D${String(orgCounter).padStart(12, '0')}`;
}

export interface TokenCall {
	params: URLSearchParams;
}

export function tokenBody(orgId: string, accessToken: string, instanceUrl = INSTANCE) {
	return { access_token: accessToken, instance_url: instanceUrl, id: `${LOGIN}/id/${orgId}/${USER_ID}`, token_type: 'Bearer', issued_at: '1700000000000' };
}

/** Answers the token endpoint once with `accessToken` and records the form parameters. */
export function mockToken(calls: TokenCall[], orgId: string, accessToken = `00D!access-${orgId}`, login = LOGIN, instanceUrl = INSTANCE) {
	return nock(login)
		.post('/services/oauth2/token')
		.reply(function (_uri, body) {
			calls.push({ params: new URLSearchParams(String(body)) });
			return [200, tokenBody(orgId, accessToken, instanceUrl)];
		});
}

export interface ApiCall {
	method: string;
	path: string;
	soql?: string;
	body?: unknown;
	authorization?: string;
}

/** A nock reply function that records the request (decoded SOQL for /query). */
export function record(calls: ApiCall[], status: number, response: unknown, headers: Record<string, string> = {}) {
	return function (this: nock.ReplyFnContext, uri: string, body: nock.Body): nock.ReplyFnResult {
		const url = new URL(uri, INSTANCE);
		calls.push({
			method: this.req.method,
			path: url.pathname,
			soql: url.searchParams.get('q') ?? undefined,
			body: typeof body === 'string' && body !== '' ? JSON.parse(body) : body || undefined,
			authorization: this.req.headers.authorization as string | undefined,
		});
		return [status, response as nock.Body, { 'Content-Type': 'application/json', ...headers }];
	};
}

export function queryResult(records: Record<string, unknown>[]) {
	return { totalSize: records.length, done: true, records: records.map((r) => ({ attributes: { type: 'X', url: '/x' }, ...r })) };
}

export function opportunity(id: string, extra: Record<string, unknown> = {}) {
	return {
		Id: id,
		Name: 'Acme renewal',
		Amount: 12000.5,
		CurrencyIsoCode: 'EUR',
		StageName: 'Closed Won',
		IsClosed: true,
		IsWon: true,
		CloseDate: '2026-11-20',
		OwnerId: USER_ID,
		AccountId: '001000000000001AAA',
		SystemModstamp: '2026-11-22T07:00:00.000+0000',
		...extra,
	};
}

export function sfError(errorCode: string, message: string, fields: string[] = []) {
	return [{ message, errorCode, fields }];
}

export function makeCrm(overrides: Partial<SalesforceConfig> = {}, now = () => 1_800_000_000_000) {
	const sleeps: number[] = [];
	const crm = new SalesforceCrm(
		{ auth: 'refreshToken', loginUrl: LOGIN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, apiVersion: '62.0', ...overrides },
		{
			sleep: async (ms) => {
				sleeps.push(ms);
			},
			now,
			retry: { retries: 3, baseDelayMs: 100, jitter: 0 },
		},
	);
	return { crm, sleeps };
}

/** A CRM whose first call logs in with a fresh org; returns what the tests inspect. */
export function setup(overrides: Partial<SalesforceConfig> = {}) {
	const orgId = nextOrgId();
	const tokens: TokenCall[] = [];
	mockToken(tokens, orgId);
	const api = nock(INSTANCE);
	const calls: ApiCall[] = [];
	return { ...makeCrm(overrides), orgId, tokens, api, calls };
}

let keys: { privateKey: string; publicKey: string } | undefined;
export function rsaKeys() {
	keys ??= generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
	return keys;
}

/**
 * A loopback server that drops every connection (nock's replyWithError never reaches node-fetch 2, which
 * jsforce uses, so network failures are tested against a real socket). Loopback is allowed by the nock setup.
 */
export async function droppingServer(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
	const { createServer } = await import('node:http');
	let hits = 0;
	const server = createServer((req) => {
		hits += 1;
		req.socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
