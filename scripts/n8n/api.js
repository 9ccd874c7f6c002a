// @ts-check
'use strict';
/**
 * HTTP helpers against a running n8n: owner bootstrap (REST, cookie session), webhook readiness, and executions
 * through the public API. Uses the global fetch of Node 20+.
 */
const { randomUUID } = require('node:crypto');
const { sleep } = require('./util');

/** @param {string} url @param {RequestInit} [init] @returns {Promise<Response | undefined>} */
async function tryFetch(url, init) {
	try {
		return await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
	} catch {
		return undefined;
	}
}

/**
 * @param {Response} response @param {string} what
 * @returns {Promise<any>}
 */
async function jsonOrThrow(response, what) {
	const text = await response.text();
	if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 500)}`);
	return text ? JSON.parse(text) : undefined;
}

/**
 * Creates the owner account, logs in and creates a public-API key with every scope the owner may have.
 * @param {string} baseUrl
 * @param {{ email: string, password: string, firstName: string, lastName: string }} owner password: 8+ chars,
 *   a digit and an uppercase letter (n8n's rule)
 * @returns {Promise<{ cookie: string, browserId: string, apiKey: string }>} send both `cookie` and `browser-id`
 *   headers on /rest calls (n8n binds the session to the browser id); use `X-N8N-API-KEY: apiKey` on /api/v1
 */
async function setupOwner(baseUrl, owner) {
	const browserId = randomUUID();
	const json = { 'content-type': 'application/json', 'browser-id': browserId };
	await jsonOrThrow(
		await fetch(`${baseUrl}/rest/owner/setup`, { method: 'POST', headers: json, body: JSON.stringify(owner) }),
		'POST /rest/owner/setup',
	);
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: json,
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	await jsonOrThrow(login, 'POST /rest/login');
	const authCookie = login.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
	if (!authCookie) throw new Error('POST /rest/login: no n8n-auth cookie in the response');
	const cookie = authCookie.split(';')[0];
	const session = { ...json, cookie };
	const scopes = (await jsonOrThrow(await fetch(`${baseUrl}/rest/api-keys/scopes`, { headers: session }), 'GET /rest/api-keys/scopes')).data;
	const created = await jsonOrThrow(
		await fetch(`${baseUrl}/rest/api-keys`, {
			method: 'POST',
			headers: session,
			body: JSON.stringify({ label: `q2c-${Date.now()}`, scopes, expiresAt: null }),
		}),
		'POST /rest/api-keys',
	);
	const apiKey = created?.data?.rawApiKey;
	if (typeof apiKey !== 'string') throw new Error('POST /rest/api-keys: no rawApiKey in the response');
	return { cookie, browserId, apiKey };
}

/**
 * Waits until n8n serves a production webhook, without triggering it: a CORS preflight (OPTIONS with an Origin)
 * answers 204 only once the path is registered for `method` (n8n logs a stack trace for each miss; harmless).
 * @param {string} url e.g. http://127.0.0.1:5678/webhook/my-path
 * @param {{ method?: string, timeoutMs?: number }} [options]
 */
async function waitForWebhook(url, { method = 'POST', timeoutMs = 60_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	while (Date.now() < deadline) {
		const response = await tryFetch(url, {
			method: 'OPTIONS',
			headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
		});
		if (response) {
			last = `HTTP ${response.status}`;
			await response.arrayBuffer();
			if (response.ok) return;
		}
		await sleep(500);
	}
	throw new Error(`webhook ${url} not registered after ${timeoutMs} ms (last: ${last})`);
}

/**
 * Lists executions through the public API (all pages, newest first).
 * @param {string} baseUrl @param {string} apiKey
 * @param {{ workflowId?: string, status?: 'canceled'|'error'|'running'|'success'|'waiting', includeData?: boolean }} [filter]
 * @returns {Promise<Array<{ id: string, workflowId: string, status: string, finished: boolean, mode: string,
 *   startedAt: string, stoppedAt: string | null, data?: unknown }>>}
 */
async function listExecutions(baseUrl, apiKey, { workflowId, status, includeData } = {}) {
	const results = [];
	/** @type {string | undefined} */
	let cursor;
	do {
		const query = new URLSearchParams({ limit: '250' });
		if (workflowId) query.set('workflowId', workflowId);
		if (status) query.set('status', status);
		if (includeData) query.set('includeData', 'true');
		if (cursor) query.set('cursor', cursor);
		const page = await jsonOrThrow(
			await fetch(`${baseUrl}/api/v1/executions?${query}`, { headers: { 'X-N8N-API-KEY': apiKey } }),
			'GET /api/v1/executions',
		);
		results.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return results;
}

/**
 * Polls the public API until at least `count` executions of the workflow have finished (any status).
 * @param {string} baseUrl @param {string} apiKey
 * @param {{ workflowId: string, count?: number, timeoutMs?: number, includeData?: boolean }} options
 */
async function waitForExecutions(baseUrl, apiKey, { workflowId, count = 1, timeoutMs = 30_000, includeData }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await listExecutions(baseUrl, apiKey, { workflowId, includeData });
		const done = executions.filter((execution) => execution.stoppedAt);
		if (done.length >= count) return done;
		if (Date.now() > deadline) {
			throw new Error(`expected ${count} finished execution(s) of ${workflowId}, saw ${done.length} after ${timeoutMs} ms`);
		}
		await sleep(300);
	}
}

module.exports = { setupOwner, waitForWebhook, listExecutions, waitForExecutions, tryFetch };
