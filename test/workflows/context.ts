/**
 * Shared set-up for the template workflow tests: the sandboxed vendors on loopback (the same fakes the
 * end-to-end suite uses), a fresh data dir per test (evidence chains, webhook dedupe marks), and no
 * network beyond 127.0.0.1.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { EvidenceLedger, FileReceiptStore } from '../../connectors/evidence';
import type { CredentialsMap, WorkflowJson } from '../harness';

const { startSandbox } = require('../../sandbox');

export interface Sandbox {
	urls: Record<string, string | number>;
	credentials: CredentialsMap & Record<string, Record<string, any>>;
	seedSignedOrder(overrides?: Record<string, unknown>): Promise<{ orderId: string; businessKey: string; contract: Record<string, any> }>;
	automationsDelivery(orderId: string, options?: { token?: string; body?: Record<string, unknown> }): { headers: Record<string, string>; body: unknown; rawBody: string };
	mail: { messages(): Array<Record<string, any>>; waitFor(n: number, timeoutMs?: number): Promise<Array<Record<string, any>>> };
	state(): Record<string, any>;
	requests(): Record<string, Array<{ method: string; path: string; headers: Record<string, string>; body: any }>>;
	addFault(fake: string, rule: Record<string, unknown>): void;
	clearFaults(): void;
	reset(): Promise<void>;
	close(): Promise<void>;
}

export const root = join(__dirname, '..', '..');

export function template(name: string): WorkflowJson {
	return JSON.parse(readFileSync(join(root, 'workflows', name), 'utf8'));
}

export async function openSandbox(): Promise<Sandbox> {
	nock.disableNetConnect();
	nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
	return startSandbox({ latencyMs: 0 });
}

/** Points the pack's embedded stores at a fresh directory; returns the evidence ledger reading it. */
export function freshDataDir(): { dir: string; ledger: EvidenceLedger } {
	const dir = mkdtempSync(join(tmpdir(), 'q2c-wf-'));
	process.env.Q2C_DATA_DIR = dir;
	return { dir, ledger: new EvidenceLedger(new FileReceiptStore(join(dir, 'evidence'))) };
}

/** Vendor write calls (anything but GET) a fake received. */
export function writes(sb: Sandbox, fake: string): Array<{ method: string; path: string }> {
	return (sb.requests()[fake] ?? []).filter((r) => r.method !== 'GET');
}
