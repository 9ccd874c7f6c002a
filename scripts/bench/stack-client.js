// @ts-check
'use strict';
/**
 * Talks to a running stack (see scripts/stack): finds its stack.json, calls the sandbox admin surface, and reads
 * executions back through n8n's public API, turning their run data into a timeline. Shared by demo.js and bench.js.
 * Plain CommonJS for the system Node 20; uses the global fetch.
 */
const fs = require('node:fs');
const { join } = require('node:path');
const { defaultCacheDir } = require('../n8n/runtime');
const { sleep } = require('../n8n/util');

/** Which step of the contract each node of the main template belongs to (names as in workflows/*.json). */
const MAIN_PHASES = /** @type {Record<string, string>} */ ({
	'VMF Trigger': 'signature received',
	Config: 'configuration',
	'Get Signed Order': 'order',
	'Receipt: Order Received': 'order',
	'Contract Policy': 'policy',
	'Receipt: Policy Allowed': 'policy',
	'Receipt: Policy Blocked': 'policy',
	'Notify Ops: Contract Blocked': 'notification',
	'Find or Create Customer': 'billing',
	'Create Subscription': 'billing',
	'Create Tenant': 'entitlement',
	'Enable Subscription': 'entitlement',
	'List VTM Tasks': 'VTM tasks',
	'Has Open Task?': 'VTM tasks',
	'Complete VTM Task': 'VTM tasks',
	'Receipt: Tasks Completed': 'VTM tasks',
	'Notify Partner': 'notification',
	'Receipt: Committed': 'committed',
	'Receipt: Needs a Person': 'exception',
	'Notify Ops: Needs a Person': 'exception',
	'Receipt: Live': 'live',
});

/** @param {number} [port] @param {string} [userFolder] */
function stackJsonPath(port = 5678, userFolder) {
	return join(userFolder ?? join(defaultCacheDir(), `stack-${port}`), 'stack.json');
}

/**
 * The running stack's description, normalised over small naming differences.
 * @param {string} file
 * @returns {{ baseUrl: string, apiKey: string, webhookUrl: string, adminUrl: string, workflowIds: Record<string, string>,
 *   owner: { email?: string, password?: string }, raw: any }}
 */
function readStack(file) {
	if (!fs.existsSync(file)) throw new Error(`no running stack: ${file} is missing. Start one with \`npm start\` first.`);
	const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
	const sandboxUrls = raw.sandbox?.urls ?? raw.sandboxUrls ?? raw.sandbox ?? raw.urls ?? {};
	const stack = {
		baseUrl: raw.baseUrl ?? raw.n8n?.baseUrl,
		apiKey: raw.apiKey ?? raw.owner?.apiKey,
		webhookUrl: raw.webhookUrl,
		adminUrl: sandboxUrls.admin ?? raw.adminUrl,
		workflowIds: raw.workflowIds ?? { main: 'q2cContractSignd', errors: 'q2cProvisionErrs' },
		owner: raw.owner ?? {},
		raw,
	};
	for (const key of /** @type {const} */ (['baseUrl', 'apiKey', 'webhookUrl', 'adminUrl'])) {
		if (typeof stack[key] !== 'string' || stack[key] === '') throw new Error(`${file} has no ${key}`);
	}
	return stack;
}

/**
 * @param {string} url @param {RequestInit & { json?: unknown }} [init]
 * @returns {Promise<any>}
 */
async function fetchJson(url, init = {}) {
	const { json, ...rest } = init;
	const response = await fetch(url, {
		...rest,
		headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(/** @type {any} */ (rest.headers) ?? {}) },
		body: json === undefined ? rest.body : JSON.stringify(json),
		signal: rest.signal ?? AbortSignal.timeout(30_000),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text.slice(0, 400)}`);
	return text ? JSON.parse(text) : undefined;
}

/** The sandbox admin HTTP surface (sandbox/index.js). @param {string} adminUrl */
function sandboxAdmin(adminUrl) {
	const base = adminUrl.replace(/\/$/, '');
	return {
		/** @param {object} [overrides] @returns {Promise<{ orderId: string, businessKey: string, contract: any }>} */
		seedOrder: (overrides = {}) => fetchJson(`${base}/seed-order`, { method: 'POST', json: overrides }),
		/** @param {string} url @param {string} orderId @returns {Promise<{ status: number, body: any, sentAt: string | number }>} */
		deliverAutomations: (url, orderId) => fetchJson(`${base}/deliver/automations`, { method: 'POST', json: { url, orderId } }),
		state: () => fetchJson(`${base}/state`),
		requests: () => fetchJson(`${base}/requests`),
		mail: () => fetchJson(`${base}/mail`),
		/** @param {number} ms */
		setLatency: (ms) => fetchJson(`${base}/latency`, { method: 'POST', json: { ms } }),
	};
}

/** @param {string | number | Date} value @returns {number} epoch ms */
function toEpochMs(value) {
	if (typeof value === 'number') return value;
	if (value instanceof Date) return value.getTime();
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed)) throw new Error(`not a time: ${value}`);
	return parsed;
}

/** One execution with its run data (public API). @param {string} baseUrl @param {string} apiKey @param {string} id */
async function getExecution(baseUrl, apiKey, id) {
	return fetchJson(`${baseUrl}/api/v1/executions/${id}?includeData=true`, { headers: { 'X-N8N-API-KEY': apiKey } });
}

/** Ids of a workflow's executions so far (to tell the next one apart). @returns {Promise<Set<string>>} */
async function executionIds(/** @type {string} */ baseUrl, /** @type {string} */ apiKey, /** @type {string} */ workflowId) {
	const page = await fetchJson(`${baseUrl}/api/v1/executions?workflowId=${encodeURIComponent(workflowId)}&limit=250`, {
		headers: { 'X-N8N-API-KEY': apiKey },
	});
	return new Set(page.data.map((/** @type {{ id: string | number }} */ e) => String(e.id)));
}

/**
 * Waits for a finished execution of `workflowId` that is not in `known` and satisfies `matches` (e.g. its trigger
 * carried our order id). Returns it with run data.
 * @param {{ baseUrl: string, apiKey: string, workflowId: string, known: Set<string>,
 *   matches?: (execution: any) => boolean, timeoutMs?: number }} options
 */
async function waitForExecution({ baseUrl, apiKey, workflowId, known, matches = () => true, timeoutMs = 60_000 }) {
	const deadline = Date.now() + timeoutMs;
	const rejected = new Set();
	for (;;) {
		const page = await fetchJson(`${baseUrl}/api/v1/executions?workflowId=${encodeURIComponent(workflowId)}&limit=250`, {
			headers: { 'X-N8N-API-KEY': apiKey },
		});
		for (const summary of page.data) {
			const id = String(summary.id);
			if (known.has(id) || rejected.has(id) || !summary.stoppedAt) continue;
			const execution = await getExecution(baseUrl, apiKey, id);
			if (matches(execution)) return execution;
			rejected.add(id);
		}
		if (Date.now() > deadline) throw new Error(`no finished execution of ${workflowId} after ${timeoutMs} ms`);
		await sleep(200);
	}
}

/** @param {any} execution @returns {Record<string, Array<{ startTime: number, executionTime: number, executionStatus?: string, error?: any, data?: any }>>} */
function runDataOf(execution) {
	let data = execution?.data;
	if (typeof data === 'string') data = JSON.parse(data);
	return data?.resultData?.runData ?? {};
}

/** The first output item of a node's first run, if any. @param {any} execution @param {string} nodeName */
function firstJson(execution, nodeName) {
	return runDataOf(execution)[nodeName]?.[0]?.data?.main?.[0]?.[0]?.json;
}

/**
 * Every node run of an execution in start order, times relative to `t0`.
 * @param {any} execution @param {number} t0 epoch ms
 * @returns {Array<{ node: string, phase: string, startMs: number, durationMs: number, endMs: number, status: string, items: number }>}
 */
function nodeTimeline(execution, t0, phases = MAIN_PHASES) {
	const rows = [];
	for (const [node, runs] of Object.entries(runDataOf(execution))) {
		for (const run of runs) {
			const items = (run.data?.main ?? []).reduce((/** @type {number} */ sum, /** @type {unknown[] | null} */ branch) => sum + (branch?.length ?? 0), 0);
			rows.push({
				node,
				phase: phases[node] ?? 'other',
				startMs: run.startTime - t0,
				durationMs: run.executionTime,
				endMs: run.startTime + run.executionTime - t0,
				status: run.error ? 'error' : (run.executionStatus ?? 'success'),
				items,
			});
		}
	}
	return rows.sort((a, b) => a.startMs - b.startMs);
}

/** When the last node of an execution finished (epoch ms): "live" for the happy path. @param {any} execution */
function executionEnd(execution) {
	let end = 0;
	for (const runs of Object.values(runDataOf(execution))) {
		for (const run of runs) end = Math.max(end, run.startTime + run.executionTime);
	}
	return end || toEpochMs(execution.stoppedAt);
}

/** Receipts this execution appended (Evidence nodes' outputs), with the last chain sequence seen. @param {any} execution */
function receiptsOf(execution) {
	const receipts = [];
	for (const runs of Object.values(runDataOf(execution))) {
		for (const run of runs) {
			for (const branch of run.data?.main ?? []) {
				for (const item of branch ?? []) {
					const receipt = item?.json?.receipt;
					// Evidence nodes output the whole receipt; a node's own receipt (Record Receipt) a stamp with `step`.
					if (receipt && typeof receipt === 'object' && typeof receipt.sequence === 'number') receipts.push({ workflow_step: receipt.step, ...receipt });
				}
			}
		}
	}
	const unique = new Map(receipts.map((r) => [r.receipt_id ?? r.id ?? `${r.business_key}#${r.sequence}`, r]));
	return [...unique.values()].sort((a, b) => a.sequence - b.sequence);
}

/** @param {number[]} values @param {number} p 0..100 (nearest-rank) */
function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

module.exports = {
	MAIN_PHASES,
	stackJsonPath,
	readStack,
	fetchJson,
	sandboxAdmin,
	toEpochMs,
	getExecution,
	executionIds,
	waitForExecution,
	runDataOf,
	firstJson,
	nodeTimeline,
	executionEnd,
	receiptsOf,
	percentile,
};
