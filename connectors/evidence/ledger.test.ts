import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorError, canonicalJson, registerSecret, sha256Hex } from '../core';
import { EvidenceLedger, FileReceiptStore, MemoryReceiptStore, receiptHash, tipOf, type ReceiptStore } from './index';

const fixedClock = () => new Date('2025-01-02T03:04:05.000Z');
function counterIds(): () => string {
	let n = 0;
	return () => `rcpt_${++n}`;
}

const decision = { allow: true, blocking_issues: [], policy_version: 'abc' };

describe.each([
	['memory', () => new MemoryReceiptStore(fixedClock)],
	['file', () => new FileReceiptStore(mkdtempSync(join(tmpdir(), 'q2c-evidence-')), {}, fixedClock)],
])('EvidenceLedger on the %s store', (_name, makeStore: () => ReceiptStore) => {
	let store: ReceiptStore;
	let ledger: EvidenceLedger;
	beforeEach(() => {
		store = makeStore();
		ledger = new EvidenceLedger(store, { now: fixedClock, newId: counterIds() });
	});
	afterEach(() => {
		if (store instanceof FileReceiptStore) rmSync(store.root, { recursive: true, force: true });
	});

	it('chains receipts: each links to the previous id and sha256, and hashes its own canonical content', async () => {
		const first = await ledger.append({ businessKey: 'ORD-1', workflowStep: 'EVALUATE_POLICY', subject: 'system:n8n', resourceRef: 'vmf:order:ORD-1', policyDecision: decision, executionId: '101' });
		const second = await ledger.append({ businessKey: 'ORD-1', workflowStep: 'ACTIVATE_ORDER', subject: 'system:n8n', resourceRef: { entity: 'stripe:subscription', id: 'sub_1' }, executionId: 101 });
		expect(first.appended).toBe(true);
		expect(first.receipt).toMatchObject({
			id: 'rcpt_1',
			business_key: 'ORD-1',
			sequence: 1,
			workflow_step: 'EVALUATE_POLICY',
			policy_decision: decision,
			execution_id: '101',
			timestamp: '2025-01-02T03:04:05.000Z',
			previous_receipt_id: null,
			previous_sha256: null,
		});
		const { sha256, ...content } = first.receipt;
		expect(sha256).toBe(sha256Hex(canonicalJson(content)));
		expect(second.receipt).toMatchObject({ sequence: 2, previous_receipt_id: 'rcpt_1', previous_sha256: first.receipt.sha256, policy_decision: null, execution_id: '101' });
		expect(receiptHash(second.receipt)).toBe(second.receipt.sha256);
		expect(await ledger.list('ORD-1')).toEqual([first.receipt, second.receipt]);
		expect(await ledger.verify('ORD-1')).toEqual({ business_key: 'ORD-1', valid: true, count: 2, problems: [] });
	});

	it('keeps chains of different business keys apart', async () => {
		await ledger.append({ businessKey: 'ORD-1', workflowStep: 'A', subject: 's', resourceRef: 'r' });
		const other = await ledger.append({ businessKey: 'ORD-2', workflowStep: 'A', subject: 's', resourceRef: 'r' });
		expect(other.receipt).toMatchObject({ sequence: 1, previous_receipt_id: null });
		expect(await ledger.list('ORD-2')).toHaveLength(1);
		expect(await ledger.list('nothing-here')).toEqual([]);
		expect(await ledger.verify('nothing-here')).toEqual({ business_key: 'nothing-here', valid: true, count: 0, problems: [] });
	});

	it('is idempotent: a retry in the same execution returns the stored receipt instead of a second one', async () => {
		const input = { businessKey: 'ORD-1', workflowStep: 'ACTIVATE_ORDER', subject: 'system:n8n', resourceRef: 'sub_1', executionId: '7' };
		const first = await ledger.append(input);
		const retry = await ledger.append({ ...input, resourceRef: 'sub_1 (retried)' });
		expect(retry).toEqual({ receipt: first.receipt, appended: false });
		const otherExecution = await ledger.append({ ...input, executionId: '8' });
		expect(otherExecution.appended).toBe(true);
		const sameContentNoExecution = { businessKey: 'ORD-1', workflowStep: 'NOTE', subject: 'x', resourceRef: 'y' };
		await ledger.append(sameContentNoExecution);
		expect((await ledger.append(sameContentNoExecution)).appended).toBe(false);
		expect((await ledger.append({ ...sameContentNoExecution, resourceRef: 'z' })).appended).toBe(true);
		const explicit = await ledger.append({ ...sameContentNoExecution, idempotencyKey: 'my-key' });
		expect(explicit.receipt.idempotency_key).toBe('my-key');
		expect((await ledger.append({ ...sameContentNoExecution, resourceRef: 'other', idempotencyKey: 'my-key' })).appended).toBe(false);
		expect(await ledger.list('ORD-1')).toHaveLength(5);
	});

	it('derives the same default idempotency key on every run (stable across ledgers)', async () => {
		const input = { businessKey: 'ORD-9', workflowStep: 'PROVISION', subject: 's', resourceRef: 'r', executionId: '55' };
		const { receipt } = await ledger.append(input);
		const other = new EvidenceLedger(new MemoryReceiptStore(), { now: fixedClock });
		expect((await other.append(input)).receipt.idempotency_key).toBe(receipt.idempotency_key);
		expect(receipt.idempotency_key).toMatch(/^q2c-evidence\.PROVISION\.execution_55-[0-9a-f]{40}$/);
	});

	it('never stores secrets: subject, resource_ref and policy_decision are redacted', async () => {
		registerSecret('sk_live_supersecretvalue123');
		const { receipt } = await ledger.append({
			businessKey: 'ORD-1',
			workflowStep: 'BILLING',
			subject: { user: 'ops', apiKey: 'abc123456' },
			resourceRef: 'customer created with sk_live_supersecretvalue123',
			policyDecision: { allow: true, authorization: 'Bearer abcdefghijkl' },
		});
		const stored = JSON.stringify(await ledger.list('ORD-1'));
		expect(stored).not.toContain('supersecretvalue');
		expect(stored).not.toContain('abc123456');
		expect(stored).not.toContain('abcdefghijkl');
		expect(receipt.subject).toEqual({ user: 'ops', apiKey: '[redacted]' });
	});

	it('keeps an outcome and the effect ids (redacted) in the hash; receipts without them are unchanged', async () => {
		const plain = await ledger.append({ businessKey: 'ORD-3', workflowStep: 'A', subject: 's', resourceRef: 'r', executionId: '1' });
		expect(plain.receipt).not.toHaveProperty('outcome');
		expect(plain.receipt).not.toHaveProperty('effect');
		const { receipt } = await ledger.append({
			businessKey: 'ORD-3',
			workflowStep: 'billing.subscription.create',
			subject: 'system:n8n',
			resourceRef: 'sub_1',
			outcome: 'succeeded',
			effect: { type: 'stripe.subscription', id: 'sub_1', token: 'abcdefghijkl' },
			executionId: '1',
		});
		expect(receipt).toMatchObject({ outcome: 'succeeded', effect: { type: 'stripe.subscription', id: 'sub_1', token: '[redacted]' } });
		expect(receiptHash(receipt)).toBe(receipt.sha256);
		expect(receiptHash({ ...receipt, effect: { type: 'stripe.subscription', id: 'sub_2' } })).not.toBe(receipt.sha256);
		expect(await ledger.verify('ORD-3')).toMatchObject({ valid: true, count: 2 });
		await expect(ledger.append({ businessKey: 'ORD-3', workflowStep: 'A', subject: 's', resourceRef: 'r', outcome: 'Not OK' })).rejects.toMatchObject({ field: 'outcome' });
	});

	it('rejects bad input naming the field, before anything is stored', async () => {
		const base = { businessKey: 'ORD-1', workflowStep: 'A', subject: 's', resourceRef: 'r' };
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ ...base, businessKey: ' ' }, 'businessKey'],
			[{ ...base, workflowStep: 'has spaces' }, 'workflowStep'],
			[{ ...base, subject: '' }, 'subject'],
			[{ ...base, resourceRef: 42 }, 'resourceRef'],
			[{ ...base, policyDecision: 'allow' }, 'policyDecision'],
		];
		for (const [input, field] of cases) {
			const error = await ledger.append(input as never).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ConnectorError);
			expect({ field: (error as ConnectorError).field, kind: (error as ConnectorError).kind }).toEqual({ field, kind: 'validation' });
		}
		await expect(ledger.verify('')).rejects.toMatchObject({ field: 'businessKey' });
		await expect(ledger.findByExecution('')).rejects.toMatchObject({ field: 'executionId' });
		expect(await ledger.list('ORD-1')).toEqual([]);
	});

	it('finds what an execution recorded, across contracts, and nothing for an unknown execution', async () => {
		await ledger.append({ businessKey: 'ORD-1', workflowStep: 'A', subject: 's', resourceRef: 'r', executionId: '1' });
		await ledger.append({ businessKey: 'ORD-1', workflowStep: 'B', subject: 's', resourceRef: 'r', executionId: '2' });
		await ledger.append({ businessKey: 'ORD-1', workflowStep: 'C', subject: 's', resourceRef: 'r', executionId: '2' });
		await ledger.append({ businessKey: 'ORD-3', workflowStep: 'A', subject: 's', resourceRef: 'r', executionId: '2' });
		const found = await ledger.findByExecution(2);
		expect(found.executionId).toBe('2');
		expect(found.businessKey).toBe('ORD-3');
		expect(found.businessKeys).toEqual(['ORD-1', 'ORD-3']);
		expect(found.receipts.map((r) => `${r.business_key}:${r.workflow_step}`)).toEqual(['ORD-1:B', 'ORD-1:C', 'ORD-3:A']);
		expect(await ledger.findByExecution('404')).toEqual({ executionId: '404', businessKey: null, businessKeys: [], receipts: [] });
	});

	it('exports a bundle whose hash is stable across exports and changes with the chain', async () => {
		await ledger.append({ businessKey: 'ORD-1', workflowStep: 'A', subject: 's', resourceRef: 'r' });
		const later = new EvidenceLedger(store, { now: () => new Date('2030-01-01T00:00:00Z') });
		const bundle = await ledger.export('ORD-1');
		const again = await later.export('ORD-1');
		expect(bundle).toMatchObject({ format: 'q2c-evidence-bundle/1', business_key: 'ORD-1', generated_at: '2025-01-02T03:04:05.000Z' });
		expect(bundle.verification).toEqual({ business_key: 'ORD-1', valid: true, count: 1, problems: [] });
		expect(again.generated_at).toBe('2030-01-01T00:00:00.000Z');
		expect(again.bundle_sha256).toBe(bundle.bundle_sha256);
		const { format, business_key, receipts, verification } = bundle;
		expect(bundle.bundle_sha256).toBe(sha256Hex(canonicalJson({ format, business_key, receipts, verification })));
		await ledger.append({ businessKey: 'ORD-1', workflowStep: 'B', subject: 's', resourceRef: 'r' });
		expect((await ledger.export('ORD-1')).bundle_sha256).not.toBe(bundle.bundle_sha256);
	});
});

describe('tipOf', () => {
	it('falls back to the last stored receipt when the head is missing, and to the count when it is unreadable', () => {
		expect(tipOf({ entries: [] })).toEqual({ count: 0, previous_receipt_id: null, previous_sha256: null });
		expect(tipOf({ entries: ['garbage'] })).toEqual({ count: 1, previous_receipt_id: null, previous_sha256: null });
	});
});

describe('EvidenceLedger defaults', () => {
	it('uses the file store under <data dir>/evidence and random receipt ids', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'q2c-data-'));
		const previous = process.env.Q2C_DATA_DIR;
		process.env.Q2C_DATA_DIR = dir;
		try {
			const ledger = new EvidenceLedger();
			expect((ledger.store as FileReceiptStore).root).toBe(join(dir, 'evidence'));
			const { receipt } = await ledger.append({ businessKey: 'ORD-1', workflowStep: 'A', subject: 's', resourceRef: 'r' });
			expect(receipt.id).toMatch(/^rcpt_[0-9a-f]{32}$/);
		} finally {
			if (previous === undefined) delete process.env.Q2C_DATA_DIR;
			else process.env.Q2C_DATA_DIR = previous;
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
