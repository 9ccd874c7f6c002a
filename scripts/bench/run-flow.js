// @ts-check
'use strict';
/**
 * Drives signed contracts through one flow of a running stack and measures signature → live per contract:
 * t0 = just before the signed Automations delivery is sent, end = when the execution's last node finished
 * (from its run data). Executions are read back through n8n's public API and matched by order id.
 */
const { sleep } = require('../n8n/util');
const { listExecutions } = require('../n8n/api');
const { executionEnd, getExecution, firstJson, percentile } = require('./stack-client');

/**
 * @typedef {object} Flow
 * @property {'ours' | 'baseline'} name
 * @property {string} label
 * @property {string[]} urls        production webhook URL(s); deliveries are spread over them (queue mode: main + webhook processor)
 * @property {string} workflowId
 * @property {(execution: any) => string | undefined} orderIdOf  the order id its trigger received
 */
/** @typedef {{ orderId: string, businessKey: string, sentAt: number, answeredAt: number, status: number, attempts: number }} Delivery */
/** @typedef {{ orderId: string, latencyMs: number, sentAt: number, endAt: number, status: string, executionId: string, error?: string }} Result */
/** @typedef {{ baseUrl: string, apiKey: string, sandbox: any, flow: Flow }} FlowContext */

/** Order id as each kind of trigger outputs it. */
const orderIdOf = {
	/** @param {any} execution */
	ours: (execution) => firstJson(execution, 'VMF Trigger')?.orderId,
	/** @param {any} execution */
	baseline: (execution) => firstJson(execution, 'Webhook')?.body?.orderId,
};

/** @param {{ orderId: string, businessKey: string }} order */
const orderKeys = ({ orderId, businessKey }) => ({ orderId, businessKey });

/** Ids of the workflow's executions so far. @param {FlowContext} context */
async function knownIds({ baseUrl, apiKey, flow }) {
	return new Set((await listExecutions(baseUrl, apiKey, { workflowId: flow.workflowId })).map((e) => String(e.id)));
}

/**
 * How a vendor delivers: at least once. A delivery that times out, or is answered 429 or 5xx, is signed and sent again
 * after a growing pause (Vendasta, Stripe and DocuSign all redeliver), so a burst the receiver cannot take at once is
 * spread out instead of lost. Latency is still measured from the first send.
 */
const DELIVERY_TIMEOUT_MS = 30_000;
const REDELIVERY_PAUSES_MS = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

/** Delivers a seeded order's signed Automations webhook, redelivering as a vendor does. @param {any} sandbox @param {string} url @param {{ orderId: string, businessKey: string }} order @returns {Promise<Delivery>} */
async function deliver(sandbox, url, order) {
	const sentAt = Date.now();
	let status = 0;
	let attempts = 0;
	for (;;) {
		attempts += 1;
		// Signed at send time, like the vendor: a redelivery carries a fresh timestamp inside the replay window.
		const delivery = sandbox.automationsDelivery(order.orderId);
		try {
			const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
			await response.arrayBuffer();
			status = response.status;
		} catch {
			status = 0;
		}
		const again = status === 0 || status === 429 || status >= 500;
		if (!again || attempts > REDELIVERY_PAUSES_MS.length) break;
		await sleep(REDELIVERY_PAUSES_MS[attempts - 1] * (0.75 + Math.random() / 2));
	}
	return { ...order, sentAt, answeredAt: Date.now(), status, attempts };
}

/**
 * Waits until every accepted delivery has a finished execution (or the time is up), then reads each execution's run
 * data. Only summaries are polled while the flow runs, so measuring adds little load. Deliveries without a finished
 * execution are returned as `missing`.
 * @param {FlowContext & { known: Set<string>, deliveries: Delivery[], timeoutMs: number }} options
 * @returns {Promise<{ results: Result[], missing: Delivery[] }>}
 */
async function collect({ baseUrl, apiKey, flow, known, deliveries, timeoutMs }) {
	const deadline = Date.now() + timeoutMs;
	/** @type {string[]} */
	let finished = [];
	for (;;) {
		const all = await listExecutions(baseUrl, apiKey, { workflowId: flow.workflowId });
		const fresh = all.filter((e) => !known.has(String(e.id)));
		finished = fresh.filter((e) => e.stoppedAt).map((e) => String(e.id));
		if (finished.length >= deliveries.length || Date.now() > deadline) break;
		await sleep(deliveries.length > 50 ? 2_000 : 150);
	}
	const byOrder = new Map(deliveries.map((d) => [d.orderId, d]));
	/** One result per contract: a redelivery can run it again, and one successful run makes it done. @type {Map<string, Result>} */
	const results = new Map();
	for (let start = 0; start < finished.length; start += 8) {
		const executions = await Promise.all(finished.slice(start, start + 8).map((id) => getExecution(baseUrl, apiKey, id)));
		for (const execution of executions) {
			const delivery = byOrder.get(flow.orderIdOf(execution) ?? '');
			if (!delivery || results.get(delivery.orderId)?.status === 'success') continue;
			const endAt = executionEnd(execution);
			const failure = execution.data?.resultData?.error;
			const error = failure ? `${execution.data.resultData.lastNodeExecuted ?? '?'}: ${failure.message ?? ''} ${failure.description ?? ''}`.trim() : undefined;
			results.set(delivery.orderId, { orderId: delivery.orderId, sentAt: delivery.sentAt, endAt, latencyMs: endAt - delivery.sentAt, status: execution.status, executionId: String(execution.id), error });
		}
	}
	return { results: [...results.values()], missing: deliveries.filter((d) => !results.has(d.orderId)) };
}

/**
 * One contract on its own; also counts the vendor calls it made (sandbox request log + mails in its time window).
 * @param {FlowContext} context
 */
async function calibrate(context) {
	const { sandbox, flow } = context;
	const known = await knownIds(context);
	const delivery = await deliver(sandbox, flow.urls[0], orderKeys(await sandbox.seedSignedOrder({})));
	const { results, missing } = await collect({ ...context, known, deliveries: [delivery], timeoutMs: 120_000 });
	if (missing.length || results.length === 0) throw new Error(`${flow.label}: the calibration contract ${delivery.orderId} did not finish (HTTP ${delivery.status})`);
	const [result] = results;
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

/** N contracts one after another (latency without contention). @param {FlowContext & { n: number }} context */
async function sequential(context) {
	/** @type {Result[]} */
	const results = [];
	let failed = 0;
	for (let i = 0; i < context.n; i += 1) {
		const known = await knownIds(context);
		const delivery = await deliver(context.sandbox, context.flow.urls[i % context.flow.urls.length], orderKeys(await context.sandbox.seedSignedOrder({})));
		const collected = await collect({ ...context, known, deliveries: [delivery], timeoutMs: 120_000 });
		results.push(...collected.results);
		failed += collected.missing.length;
	}
	return { results, missing: failed };
}

/**
 * N contracts sent at once (throughput): orders are seeded first so only deliveries are timed; deliveries are spread
 * over the flow's URLs. Returns every contract's result, the contracts never finished, and the deliveries the vendor
 * gave up on (no 2xx after its last redelivery). Those are still collected: a request the vendor stopped waiting for
 * can have started its run, and a contract counts as done when its execution succeeded, whatever the vendor saw.
 * @param {FlowContext & { n: number }} context
 */
async function burst(context) {
	const { sandbox, flow, n } = context;
	const known = await knownIds(context);
	const orders = [];
	for (let i = 0; i < n; i += 1) orders.push(orderKeys(await sandbox.seedSignedOrder({})));
	const deliveries = await Promise.all(orders.map((order, i) => deliver(sandbox, flow.urls[i % flow.urls.length], order)));
	const gaveUp = deliveries.filter((d) => d.status < 200 || d.status >= 300).length;
	const { results, missing } = await collect({ ...context, known, deliveries, timeoutMs: 120_000 + n * 2_000 });
	const firstSent = Math.min(...deliveries.map((d) => d.sentAt));
	const lastEnd = Math.max(...results.map((r) => r.endAt));
	const wallMs = lastEnd - firstSent;
	const redelivered = deliveries.reduce((sum, d) => sum + d.attempts - 1, 0);
	return { orders, deliveries, results, gaveUp, missing: missing.length, redelivered, firstSent, lastEnd, wallMs };
}

/** @param {Result[]} results */
function summarise(results) {
	const completed = results.filter((r) => r.status === 'success');
	const latencies = completed.map((r) => r.latencyMs);
	const errors = new Map();
	for (const r of results) if (r.status !== 'success') errors.set(r.error ?? r.status, (errors.get(r.error ?? r.status) ?? 0) + 1);
	return {
		n: results.length,
		completed: completed.length,
		failed: results.length - completed.length,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		/** The most frequent failure messages, to say why. */
		topErrors: [...errors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3),
	};
}

module.exports = { orderIdOf, deliver, collect, calibrate, sequential, burst, summarise };
