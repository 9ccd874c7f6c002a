/**
 * The one stack every scenario shares (real n8n + the pack + the sandbox) and the helpers scenarios use to drive
 * it and read results back: deliveries over HTTP, executions from n8n's public API, the sandbox's state and
 * request log, the SMTP sink, and the evidence store under n8n's user folder.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EvidenceLedger, FileReceiptStore } from '../../../connectors/evidence';
import { hubspotVariant } from '../../workflows/variants';
import type { Sandbox } from './types';

const { startStack } = require('../../../scripts/stack');
const { listExecutions } = require('../../../scripts/n8n/api');
const { freePort } = require('../../../scripts/n8n/instance');
const { defaultCacheDir } = require('../../../scripts/n8n/runtime');

export const MARKETPLACE_WORKFLOW = join(__dirname, '..', 'fixtures', 'marketplace-trigger.json');
const QUOTE_TO_CASH = join(__dirname, '..', '..', '..', 'workflows', 'quote-to-cash.json');

/** The quote-to-cash template as a HubSpot user would set it up, imported beside the (Salesforce) original. */
function writeHubspotVariant(dir: string): string {
	mkdirSync(dir, { recursive: true });
	const file = join(dir, 'quote-to-cash-hubspot.json');
	const variant = hubspotVariant(JSON.parse(readFileSync(QUOTE_TO_CASH, 'utf8')), { id: 'q2cQuoteToCashHS', name: 'Quote → signature → cash (HubSpot)', webhookSuffix: '-hubspot' });
	writeFileSync(file, JSON.stringify(variant, null, 2));
	return file;
}

export interface Execution {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: { resultData?: { error?: { message?: string; description?: string }; lastNodeExecuted?: string; runData?: Record<string, NodeRun[]> } };
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<Array<{ json: Record<string, any> }> | null> };
}

export interface Delivery {
	headers: Record<string, string>;
	rawBody: string;
}

/** Execution ids already present per workflow, so a scenario only looks at what it caused. */
export type Marker = Map<string, Set<string>>;

export interface E2eContext {
	stack: any;
	sb: Sandbox;
	baseUrl: string;
	apiKey: string;
	webhookUrl: string;
	marketplaceUrl: string;
	ids: { main: string; errors: string; marketplace: string; quoteToCash: string; quoteToCashHubspot: string; selfService: string; enterprise: string; tierUpgrade: string; enterpriseIntake: string; supportPurchase: string; supportPayment: string; supportContract: string; supportAcceptance: string; leadRouting: string; dealDesk: string; revOpsWhatIf: string };
	/** The self-service template's Stripe Trigger URL (registered in the Stripe fake by the stack). */
	selfServiceUrl: string;
	/** Production URLs of the quote-to-cash triggers (CRM Trigger per provider, DocuSign Trigger per workflow). */
	quoteToCashUrls: { salesforceDealWon: string; hubspotDealWon: string; envelopeEvents: string; envelopeEventsHubspot: string };
	ledger: EvidenceLedger;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stdout.write(`[e2e stack] ${message}\n`);

let current: E2eContext | undefined;

/** Starts the stack once (idempotent); a fresh user folder under the runtime cache, on a free port. */
export async function startE2e(): Promise<E2eContext> {
	if (current) return current;
	const port = await freePort();
	const stack = await startStack({
		port,
		userFolder: join(defaultCacheDir(), 'stack-e2e'),
		fresh: true,
		log,
		tarball: process.env.Q2C_E2E_TARBALL || undefined,
		workflows: [MARKETPLACE_WORKFLOW, writeHubspotVariant(join(defaultCacheDir(), 'stack-e2e-fixtures'))],
	});
	current = {
		stack,
		sb: stack.sandbox,
		baseUrl: stack.n8n.baseUrl,
		apiKey: stack.owner.apiKey,
		webhookUrl: stack.webhookUrl,
		marketplaceUrl: `${stack.n8n.baseUrl}/webhook/q2c-e2e-marketplace/webhook`,
		ids: {
			main: stack.workflowIds.main,
			errors: stack.workflowIds.errors,
			marketplace: stack.workflowIds['marketplace-trigger'],
			quoteToCash: stack.workflowIds.quoteToCash,
			quoteToCashHubspot: stack.workflowIds['quote-to-cash-hubspot'],
			selfService: stack.workflowIds.selfService,
			enterprise: stack.workflowIds.enterprise,
			tierUpgrade: stack.workflowIds.tierUpgrade,
			enterpriseIntake: stack.workflowIds.enterpriseIntake,
			supportPurchase: stack.workflowIds.supportPurchase,
			supportPayment: stack.workflowIds.supportPayment,
			supportContract: stack.workflowIds.supportContract,
			supportAcceptance: stack.workflowIds.supportAcceptance,
			leadRouting: stack.workflowIds.leadRouting,
			dealDesk: stack.workflowIds.dealDesk,
			revOpsWhatIf: stack.workflowIds.revOpsWhatIf,
		},
		selfServiceUrl: `${stack.n8n.baseUrl}/webhook/q2c-self-service-signup/webhook`,
		quoteToCashUrls: {
			salesforceDealWon: `${stack.n8n.baseUrl}/webhook/q2c-deal-won/webhook`,
			hubspotDealWon: `${stack.n8n.baseUrl}/webhook/q2c-deal-won-hubspot/webhook`,
			envelopeEvents: `${stack.n8n.baseUrl}/webhook/q2c-envelope-events/webhook`,
			envelopeEventsHubspot: `${stack.n8n.baseUrl}/webhook/q2c-envelope-events-hubspot/webhook`,
		},
		ledger: new EvidenceLedger(new FileReceiptStore(join(stack.dataDir, 'evidence'))),
	};
	return current;
}

export async function stopE2e(): Promise<void> {
	const running = current;
	current = undefined;
	if (running) await running.stack.stop();
}

/** The shared context inside a test (after beforeAll). */
export function e2e(): E2eContext {
	if (!current) throw new Error('the e2e stack is not running (startE2e in beforeAll failed?)');
	return current;
}

/** POSTs a delivery exactly as prepared (raw bytes and headers) and returns status and parsed body. */
export async function deliver(delivery: Delivery, url = e2e().webhookUrl): Promise<{ status: number; body: any }> {
	const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody });
	const text = await response.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body };
}

/**
 * A copy the once-per-contract gate held off: 200 duplicate (in flight with receipts, or finished), or 503 "starting"
 * while the accepted run has written no receipt yet (the vendor is asked to retry; see nodes/shared/contractGate.ts).
 */
export function heldOff(answer: { status: number; body: any }): boolean {
	return (answer.status === 200 && answer.body?.duplicate === true) || (answer.status === 503 && answer.body?.starting === true);
}

/** One call to n8n's public API (`/api/v1…`) with the stack's API key; throws with the body on a non-2xx. */
export async function api(method: string, path: string, body?: unknown): Promise<any> {
	const { baseUrl, apiKey } = e2e();
	const response = await fetch(`${baseUrl}/api/v1${path}`, {
		method,
		headers: { 'X-N8N-API-KEY': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /api/v1${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
	return text ? JSON.parse(text) : null;
}

export async function executions(workflowId: string, includeData = false): Promise<Execution[]> {
	const { baseUrl, apiKey } = e2e();
	return listExecutions(baseUrl, apiKey, { workflowId, includeData });
}

export async function mark(): Promise<Marker> {
	const { ids } = e2e();
	const marker: Marker = new Map();
	for (const id of Object.values(ids)) marker.set(id, new Set((await executions(id)).map((execution) => execution.id)));
	return marker;
}

/** Executions of `workflowId` started after `marker` (oldest first). */
export async function newExecutions(marker: Marker, workflowId: string, includeData = false): Promise<Execution[]> {
	const known = marker.get(workflowId) ?? new Set<string>();
	const fresh = (await executions(workflowId, includeData)).filter((execution) => !known.has(execution.id));
	return fresh.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Waits until `count` new executions of the workflow finished, then keeps watching for `settleMs` so an extra
 * (duplicate) execution would be seen too. Returns all new executions, with their run data.
 */
export async function waitForNew(
	marker: Marker,
	workflowId: string,
	{ count = 1, timeoutMs = 90_000, settleMs = 0 }: { count?: number; timeoutMs?: number; settleMs?: number } = {},
): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = await newExecutions(marker, workflowId);
		if (fresh.length >= count && fresh.every((execution) => execution.stoppedAt)) break;
		if (Date.now() > deadline) {
			throw new Error(`expected ${count} finished new execution(s) of ${workflowId} within ${timeoutMs} ms, saw ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
		}
		await sleep(300);
	}
	if (settleMs > 0) await sleep(settleMs);
	return newExecutions(marker, workflowId, true);
}

/** Node name → its runs, from an execution fetched with data. */
export function runsOf(execution: Execution): Record<string, NodeRun[]> {
	return execution.data?.resultData?.runData ?? {};
}

/** The first output item of a node's first run. */
export function outputOf(execution: Execution, node: string): Record<string, any> | undefined {
	return runsOf(execution)[node]?.[0]?.data?.main?.[0]?.[0]?.json;
}

/** The execution's error message (and description), as n8n stored it. */
export function errorOf(execution: Execution): string {
	const error = execution.data?.resultData?.error;
	return [error?.message, error?.description].filter(Boolean).join(' — ');
}

/** Vendor requests that change something (everything but GET/HEAD), per fake. */
export function writeCalls(sb: Sandbox): Record<string, Array<{ method: string; path: string }>> {
	const requests = sb.requests();
	return Object.fromEntries(
		Object.entries(requests).map(([fake, list]) => [fake, list.filter((r) => !['GET', 'HEAD'].includes(r.method)).map((r) => ({ method: r.method, path: r.path }))]),
	);
}

export { sleep };
