// @ts-check
'use strict';
/** The stack's n8n owner: created on a fresh user folder, logged in again (new API key) on a reused one. */
const { randomUUID } = require('node:crypto');
const { setupOwner } = require('../n8n/api');

/** Fixed and printed by `npm start`: a loopback-only development instance, not a secret. */
const OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'Q2c-Sandbox-Passw0rd',
	firstName: 'Quote',
	lastName: 'ToCash',
});

/**
 * @param {string} baseUrl @param {string} path @param {Record<string, string>} headers @param {unknown} [body]
 * @returns {Promise<Response>}
 */
async function call(baseUrl, path, headers, body) {
	const init = body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) };
	const response = await fetch(`${baseUrl}${path}`, init);
	if (!response.ok) throw new Error(`${body === undefined ? 'GET' : 'POST'} ${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
	return response;
}

/**
 * Logs in an existing owner and creates a fresh public-API key (the raw key of an old one cannot be read back).
 * @param {string} baseUrl @param {{ email: string, password: string }} owner
 * @returns {Promise<{ cookie: string, browserId: string, apiKey: string }>}
 */
async function loginOwner(baseUrl, owner) {
	const browserId = randomUUID();
	const json = { 'content-type': 'application/json', 'browser-id': browserId };
	const login = await call(baseUrl, '/rest/login', json, { emailOrLdapLoginId: owner.email, password: owner.password });
	const authCookie = login.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
	if (!authCookie) throw new Error('POST /rest/login: no n8n-auth cookie in the response');
	const session = { ...json, cookie: authCookie.split(';')[0] };
	// n8n's internal REST answers { data }; only the fields used here are typed.
	const scopes = /** @type {{ data: string[] }} */ (await (await call(baseUrl, '/rest/api-keys/scopes', session)).json()).data;
	const created = /** @type {{ data?: { rawApiKey?: unknown } } | null} */ (
		await (await call(baseUrl, '/rest/api-keys', session, { label: `q2c-stack-${Date.now()}`, scopes, expiresAt: null })).json()
	);
	const apiKey = created?.data?.rawApiKey;
	if (typeof apiKey !== 'string') throw new Error('POST /rest/api-keys: no rawApiKey in the response');
	return { cookie: session.cookie, browserId, apiKey };
}

/**
 * @param {string} baseUrl @param {boolean} fresh
 * @returns {Promise<{ email: string, password: string, apiKey: string, cookie: string, browserId: string }>}
 */
async function ensureOwner(baseUrl, fresh) {
	if (fresh) return { ...OWNER, ...(await setupOwner(baseUrl, OWNER)) };
	try {
		return { ...OWNER, ...(await setupOwner(baseUrl, OWNER)) };
	} catch {
		// A reused user folder already has its owner.
		return { ...OWNER, ...(await loginOwner(baseUrl, OWNER)) };
	}
}

module.exports = { OWNER, ensureOwner, loginOwner };
