/**
 * The queue-mode stack the queue e2e scenarios share (main + webhook processor + 2 workers on PostgreSQL and Redis),
 * and what they read back: executions from n8n's public API, which worker ran an execution (its log), and the
 * receipt chains from PostgreSQL through the pack's own PostgresReceiptStore.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeBackends } from '../../../connectors/core';
import { EvidenceLedger, PostgresReceiptStore } from '../../../connectors/evidence';
import type { Execution } from '../support/context';
import type { Sandbox } from '../support/types';

const { startStack } = require('../../../scripts/stack');
const { listExecutions } = require('../../../scripts/n8n/api');
const { defaultCacheDir } = require('../../../scripts/n8n/runtime');

/** Its own ports (5840–5848) and user folders, away from `npm start` (5678) and the regular e2e stack. */
export const QUEUE_E2E_PORT = 5840;

export interface N8nProcess {
	role: string;
	pid: number;
	baseUrl: string;
	logFile: string;
}

export interface QueueContext {
	stack: any;
	sb: Sandbox;
	apiKey: string;
	urls: { main: string; webhook: string };
	ids: { main: string; errors: string; reconciler: string };
	ledger: EvidenceLedger;
	/** Every worker this stack ran, killed ones included (their logs say what they ran). */
	workersSeen: N8nProcess[];
}

/**
 * Whether the machine's PostgreSQL and Redis answer, asked synchronously (a child process) so the suite can be
 * declared skipped with the reason before any test runs.
 */
export function queueBackends(): { ok: boolean; reason: string } {
	const probe = "require('./scripts/stack/queue-backends').queueBackendsAvailable().then((r) => process.stdout.write(JSON.stringify(r)), (e) => process.stdout.write(JSON.stringify({ ok: false, reason: String(e && e.message) })))";
	const result = spawnSync(process.execPath, ['-e', probe], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8', timeout: 30_000 });
	try {
		return JSON.parse(result.stdout);
	} catch {
		return { ok: false, reason: `the backend probe failed: ${result.stderr || result.error?.message}` };
	}
}

let current: QueueContext | undefined;
const log = (message: string) => process.stdout.write(`[queue e2e stack] ${message}\n`);

export async function startQueueE2e(): Promise<QueueContext> {
	if (current) return current;
	const started = Date.now();
	const stack = await startStack({
		port: QUEUE_E2E_PORT,
		userFolder: join(defaultCacheDir(), 'stack-e2e-queue'),
		fresh: true,
		log,
		tarball: process.env.Q2C_E2E_TARBALL || undefined,
		// Concurrency 3: a batch of contracts cannot all land on one worker.
		queue: { workers: 2, concurrency: 3 },
	});
	log(`queue-mode stack started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const env = stack.sharedEnv;
	current = {
		stack,
		sb: stack.sandbox,
		apiKey: stack.owner.apiKey,
		urls: stack.webhookUrls,
		ids: { main: stack.workflowIds.main, errors: stack.workflowIds.errors, reconciler: stack.workflowIds.reconciler },
		ledger: new EvidenceLedger(new PostgresReceiptStore({ connectionString: env.Q2C_POSTGRES_URL, schema: env.Q2C_POSTGRES_SCHEMA })),
		workersSeen: [...stack.processes.workers],
	};
	return current;
}

export async function stopQueueE2e(): Promise<void> {
	const running = current;
	current = undefined;
	await closeBackends();
	if (running) await running.stack.stop();
}

export function queueE2e(): QueueContext {
	if (!current) throw new Error('the queue-mode stack is not running (startQueueE2e in beforeAll failed?)');
	return current;
}

/** Executions of a workflow through the main's public API (newest first). */
export async function executionsOf(workflowId: string, includeData = false): Promise<Execution[]> {
	const { stack, apiKey } = queueE2e();
	return listExecutions(stack.processes.main.baseUrl, apiKey, { workflowId, includeData });
}

/** The ids already there, so a scenario only looks at the executions it caused. */
export async function markExecutions(workflowId: string): Promise<Set<string>> {
	return new Set((await executionsOf(workflowId)).map((execution) => execution.id));
}

export async function newExecutionsOf(workflowId: string, known: Set<string>, includeData = false): Promise<Execution[]> {
	return (await executionsOf(workflowId, includeData)).filter((execution) => !known.has(execution.id)).sort((a, b) => Number(a.id) - Number(b.id));
}

/** The processes whose log says they ran the execution (n8n's worker logs "Worker started execution <id>"). */
export function processesThatRan(executionId: string): string[] {
	const { stack, workersSeen } = queueE2e();
	const all: N8nProcess[] = [stack.processes.main, stack.processes.webhook, ...workersSeen];
	const pattern = new RegExp(`Worker started execution ${executionId} \\(`);
	return all.filter((process) => pattern.test(readFileSync(process.logFile, 'utf8'))).map((process) => process.role);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(500);
	}
}

/** Runs a scenario body and prints how long it took (the report's timings). */
export async function timed<T>(name: string, body: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await body();
	} finally {
		process.stdout.write(`[queue e2e] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	}
}
