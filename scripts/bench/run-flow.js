// @ts-check
'use strict';
/**
 * Drives signed contracts through one flow of a running stack and measures signature → live per contract:
 * t0 = just before the signed Automations delivery is sent, end = when the execution's last node finished
 * (from its run data). Executions are read back through n8n's public API and matched by order id.
 */
const { sleep } = require('../n8n/util');
const { executionIds, executionEnd, fetchJson, getExecution, firstJson, percentile } = require('./stack-client');

/**
 * @typedef {object} Flow
 * @property {string} label
 * @property {string} url           production webhook URL
 * @property {string} workflowId
 * @property {(execution: any) => string | undefined} orderIdOf  the order id its trigger received
 */
/** @typedef {{ orderId: string, sentAt: number, status: number }} Delivery */
/** @typedef {{ orderId: string, latencyMs: number, sentAt: number, endAt: number, status: string, executionId: string, error?: string }} Result */

/** Order id as each kind of trigger outputs it. */
const orderIdOf = {
	/** @param {any} execution */
	ours: (execution) => firstJson(execution, 'VMF Trigger')?.orderId,
	/** @param {any} execution */
	baseline: (execution) => firstJson(execution, 'Webhook')?.body?.orderId,
};

/**
 * Seeds a signed order and delivers its signed Automations webhook to `url`.
 * @param {any} sandbox @param {string} url @returns {Promise<Delivery>}
 */
async function sendContract(sandbox, url) {
	const { orderId } = await sandbox.seedSignedOrder({});
	const delivery = sandbox.automationsDelivery(orderId);
	const sentAt = Date.now();
	const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody, signal: AbortSignal.timeout(30_000) });
	await response.arrayBuffer();
	if (!response.ok) throw new Error(`delivery of ${orderId} to ${url}: HTTP ${response.status}`);
	return { orderId, sentAt, status: response.status };
}

/**
 * Waits until every delivery has a finished execution, and measures each.
 * @param {{ baseUrl: string, apiKey: string, flow: Flow, known: Set<string>, deliveries: Delivery[], timeoutMs?: number }} options
 * @returns {Promise<Result[]>}
 */
async function collect({ baseUrl, apiKey, flow, known, deliveries, timeoutMs = 120_000 }) {
	const pending = new Map(deliveries.map((d) => [d.orderId, d]));
	/** @type {Result[]} */
	const results = [];
	const seen = new Set(known);
	const deadline = Date.now() + timeoutMs;
	while (pending.size > 0) {
		const page = await fetchJson(`${baseUrl}/api/v1/executions?workflowId=${encodeURIComponent(flow.workflowId)}&limit=250`, {
			headers: { 'X-N8N-API-KEY': apiKey },
		});
		for (const summary of page.data) {
			const id = String(summary.id);
			if (seen.has(id) || !summary.stoppedAt) continue;
			seen.add(id);
			const execution = await getExecution(baseUrl, apiKey, id);
			const delivery = pending.get(flow.orderIdOf(execution) ?? '');
			if (!delivery) continue;
			pending.delete(delivery.orderId);
			const endAt = executionEnd(execution);
			const failure = execution.data?.resultData?.error;
			const error = failure ? `${execution.data.resultData.lastNodeExecuted ?? '?'}: ${failure.message ?? ''} ${failure.description ?? ''}`.trim() : undefined;
			results.push({ orderId: delivery.orderId, sentAt: delivery.sentAt, endAt, latencyMs: endAt - delivery.sentAt, status: execution.status, executionId: id, error });
		}
		if (pending.size === 0) break;
		if (Date.now() > deadline) throw new Error(`${flow.label}: ${pending.size} contract(s) without a finished execution after ${timeoutMs} ms`);
		await sleep(250);
	}
	return results;
}

/**
 * One contract on its own; also counts the vendor calls it made (sandbox request log + mails in its time window).
 * @param {{ baseUrl: string, apiKey: string, sandbox: any, flow: Flow }} options
 */
async function calibrate({ baseUrl, apiKey, sandbox, flow }) {
	const known = await executionIds(baseUrl, apiKey, flow.workflowId);
	const delivery = await sendContract(sandbox, flow.url);
	const [result] = await collect({ baseUrl, apiKey, flow, known, deliveries: [delivery] });
	const inWindow = (/** @type {string} */ at) => {
		const time = Date.parse(at);
		return time >= result.sentAt && time <= result.endAt + 5;
	};
	/** @type {Record<string, number>} */
	const calls = {};
	for (const [fake, requests] of Object.entries(sandbox.requests())) {
		calls[fake] = /** @type {Array<{ at: string }>} */ (requests).filter((request) => inWindow(request.at)).length;
	}
	calls.smtp = sandbox.mail.messages().filter((/** @type {{ receivedAt: string }} */ message) => inWindow(message.receivedAt)).length;
	const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
	return { result, calls, total };
}

/**
 * N contracts one after another (latency without contention).
 * @param {{ baseUrl: string, apiKey: string, sandbox: any, flow: Flow, n: number }} options
 */
async function sequential({ baseUrl, apiKey, sandbox, flow, n }) {
	/** @type {Result[]} */
	const results = [];
	for (let i = 0; i < n; i += 1) {
		const known = await executionIds(baseUrl, apiKey, flow.workflowId);
		const delivery = await sendContract(sandbox, flow.url);
		results.push(...(await collect({ baseUrl, apiKey, flow, known, deliveries: [delivery] })));
	}
	return results;
}

/**
 * N contracts sent at once (throughput): orders are seeded first so only deliveries are timed.
 * @param {{ baseUrl: string, apiKey: string, sandbox: any, flow: Flow, n: number }} options
 */
async function burst({ baseUrl, apiKey, sandbox, flow, n }) {
	const known = await executionIds(baseUrl, apiKey, flow.workflowId);
	const orders = [];
	for (let i = 0; i < n; i += 1) orders.push((await sandbox.seedSignedOrder({})).orderId);
	const deliveries = await Promise.all(
		orders.map(async (orderId) => {
			const delivery = sandbox.automationsDelivery(orderId);
			const sentAt = Date.now();
			const response = await fetch(flow.url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody, signal: AbortSignal.timeout(60_000) });
			await response.arrayBuffer();
			return { orderId, sentAt, status: response.status };
		}),
	);
	const refused = deliveries.filter((d) => d.status >= 300);
	if (refused.length > 0) throw new Error(`${flow.label}: ${refused.length} deliveries refused (HTTP ${refused[0].status})`);
	const results = await collect({ baseUrl, apiKey, flow, known, deliveries, timeoutMs: 60_000 + n * 5_000 });
	const firstSent = Math.min(...results.map((r) => r.sentAt));
	const lastEnd = Math.max(...results.map((r) => r.endAt));
	return { results, wallMs: lastEnd - firstSent, perSecond: (results.length * 1000) / (lastEnd - firstSent) };
}

/** @param {Result[]} results */
function summarise(results) {
	const latencies = results.map((r) => r.latencyMs);
	return {
		n: results.length,
		failed: results.filter((r) => r.status !== 'success').length,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		min: Math.min(...latencies),
		max: Math.max(...latencies),
	};
}

module.exports = { orderIdOf, sendContract, collect, calibrate, sequential, burst, summarise };
