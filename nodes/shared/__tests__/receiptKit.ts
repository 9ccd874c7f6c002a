/** Test helpers for "Record Receipt": a temp evidence store, the node parameters that turn it on, an n8n context. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { EvidenceLedger, FileReceiptStore, type Receipt } from '../../../connectors/evidence';

export type Params = Record<string, unknown>;

/** A fresh store directory per test; call the returned `cleanup` in afterEach. */
export function tempStore(): { dir: string; cleanup: () => void } {
	const dir = mkdtempSync(join(tmpdir(), 'q2c-receipt-'));
	return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh store directory for each test of the calling file, removed after it: read `.dir` inside a test. */
export function useTempStore(): { readonly dir: string } {
	let current: ReturnType<typeof tempStore> | undefined;
	beforeEach(() => {
		current = tempStore();
	});
	afterEach(() => current?.cleanup());
	return {
		get dir(): string {
			if (!current) throw new Error('useTempStore: read .dir inside a test');
			return current.dir;
		},
	};
}

/** No real network in the calling file, and every interceptor a test declares must have been used. */
export function useNockWithoutNetwork(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		expect(pending).toEqual([]);
	});
	afterAll(() => nock.enableNetConnect());
}

/** A store path that cannot be created (it sits under a regular file), so every append fails. */
export function brokenStore(dir: string): string {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'not-a-directory'), '');
	return join(dir, 'not-a-directory', 'evidence');
}

/** The parameters that turn "Record Receipt" on for one item. */
export function recordReceipt(storePath: string, businessKey = 'ORD-7', step?: string): Params {
	return { recordReceipt: true, receiptBusinessKey: businessKey, receiptOptions: { storePath, ...(step ? { step } : {}) } };
}

export async function receiptsIn(storePath: string, businessKey = 'ORD-7'): Promise<Receipt[]> {
	return new EvidenceLedger(new FileReceiptStore(storePath)).list(businessKey);
}

/** Whether anything at all was written to the store directory. */
export function storeIsEmpty(storePath: string): boolean {
	try {
		return readdirSync(storePath).length === 0;
	} catch {
		return true;
	}
}

export interface ContextOptions {
	node: INode;
	continueOnFail?: boolean;
	executionId?: string;
	credentials?: unknown;
	/** Extra members (helpers, …) some nodes need. */
	extra?: Params;
}

/** An IExecuteFunctions for one run: one parameter set per input item, locators resolved like n8n's extractValue. */
export function executeContext(perItem: Params[], options: ContextOptions): IExecuteFunctions {
	return {
		getInputData: () => perItem.map(() => ({ json: {} })),
		getNodeParameter: (name: string, index: number, fallback?: unknown, opts?: { extractValue?: boolean }) => {
			const value = name in perItem[index] ? perItem[index][name] : fallback;
			if (opts?.extractValue && value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
			return value;
		},
		getCredentials: async () => options.credentials,
		continueOnFail: () => options.continueOnFail ?? false,
		getNode: () => options.node,
		getExecutionId: () => options.executionId ?? 'exec-1',
		...options.extra,
	} as unknown as IExecuteFunctions;
}
