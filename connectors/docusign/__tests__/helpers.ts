/** Shared fixtures for the DocuSign connector tests: an RSA key pair, a client with fake clock/sleep, nock capture. */
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { clearDocusignTokenCache } from '../auth';
import { DocusignClient, type DocusignClientDeps } from '../client';
import type { DocusignConfig } from '../config';

export const { privateKey: PRIVATE_KEY, publicKey: PUBLIC_KEY } = generateKeyPairSync('rsa', {
	modulusLength: 2048,
	privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
	publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export const AUTH = 'https://account-d.docusign.com';
export const BASE_URI = 'https://demo.docusign.net';
export const ACCOUNT = 'acc-1111';
export const REST = `/restapi/v2.1/accounts/${ACCOUNT}`;
export const INTEGRATION_KEY = 'ik-2222-3333';
export const USER_ID = 'user-4444-5555';
export const TOKEN = 'eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.test-access-token';
export const ENVELOPE_ID = 'a1b2c3d4-0000-1111-2222-333344445555';
export const T0 = Date.parse('2026-03-01T12:00:00Z');

export interface Captured {
	method: string;
	path: string;
	query: URLSearchParams;
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
}

export function baseConfig(overrides: Partial<DocusignConfig> = {}): DocusignConfig {
	return { environment: 'demo', integrationKey: INTEGRATION_KEY, userId: USER_ID, privateKey: PRIVATE_KEY, ...overrides };
}

export interface TestClient {
	client: DocusignClient;
	sleeps: number[];
	clock: { now: number };
}

export function makeClient(overrides: Partial<DocusignConfig> = {}, deps: Partial<DocusignClientDeps> = {}): TestClient {
	const sleeps: number[] = [];
	const clock = { now: T0 };
	const client = new DocusignClient(baseConfig(overrides), {
		now: () => clock.now,
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		retry: { retries: 3, baseDelayMs: 100, jitter: 0 },
		rateLimit: { perSecond: 1000, burst: 1000 },
		...deps,
	});
	return { client, sleeps, clock };
}

/** A nock reply function that records the request. */
export function reply(calls: Captured[], status: number, response: unknown, headers: Record<string, string> = {}) {
	return function (this: nock.ReplyFnContext, uri: string, body: nock.Body): nock.ReplyFnResult {
		const url = new URL(uri, 'http://x');
		calls.push({ method: this.req.method, path: url.pathname, query: url.searchParams, body, headers: this.req.headers as Captured['headers'] });
		return [status, response as nock.Body, headers];
	};
}

export const userInfo = (accounts: unknown[] = [{ account_id: ACCOUNT, is_default: true, account_name: 'Acme', base_uri: BASE_URI }]) => ({
	sub: USER_ID,
	name: 'Ada Admin',
	email: 'ada@acme.test',
	accounts,
});

/** Token + userinfo interceptors (persisting); returns the recorded auth calls. */
export function mockAuth(options: { token?: string; expiresIn?: number; info?: unknown } = {}): Captured[] {
	const calls: Captured[] = [];
	nock(AUTH)
		.persist()
		.post('/oauth/token')
		.reply(reply(calls, 200, { access_token: options.token ?? TOKEN, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600 }))
		.get('/oauth/userinfo')
		.reply(reply(calls, 200, options.info ?? userInfo()));
	return calls;
}

export function rest(): nock.Scope {
	return nock(BASE_URI);
}

export function docusignError(errorCode: string, message = 'error') {
	return { errorCode, message };
}

export function resetAll(): void {
	nock.cleanAll();
	clearDocusignTokenCache();
}
