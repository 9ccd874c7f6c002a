import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorError } from '../core';
import { DEFAULT_FINISHED_STEPS, EvidenceLedger, FileReceiptStore, MemoryReceiptStore, lastAttempt, stalledAttempt, stepList, type Receipt, type ReceiptStore } from './index';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0 + n * 60_000);

/** A ledger whose clock the test moves: receipts are written "at" a minute, findStalled runs "at" another. */
function clockedLedger(store: ReceiptStore): { ledger: EvidenceLedger; at: (minute: number) => void } {
	let now = minutes(0);
	return { ledger: new EvidenceLedger(store, { now: () => now }), at: (minute) => (now = minutes(minute)) };
}

describe.each([
	['memory', () => new MemoryReceiptStore()],
	['file', () => new FileReceiptStore(mkdtempSync(join(tmpdir(), 'q2c-stalled-')))],
])('findStalled on the %s store', (_name, makeStore: () => ReceiptStore) => {
	let store: ReceiptStore;
	let ledger: EvidenceLedger;
	let at: (minute: number) => void;
	beforeEach(() => {
		store = makeStore();
		({ ledger, at } = clockedLedger(store));
	});
	afterEach(() => {
		if (store instanceof FileReceiptStore) rmSync(store.root, { recursive: true, force: true });
	});

	async function write(businessKey: string, minute: number, executionId: string | null, ...steps: string[]): Promise<Receipt[]> {
		at(minute);
		const written: Receipt[] = [];
		for (const step of steps) {
			written.push((await ledger.append({ businessKey, workflowStep: step, subject: 'system:n8n', resourceRef: `${businessKey}:${step}`, executionId })).receipt);
		}
		return written;
	}

	it('finds only the contracts whose last attempt started, neither finished nor failed, and went quiet', async () => {
		await write('FINISHED', 0, '1', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create', 'superadmin.subscription.enable', 'provisioning.committed');
		await write('LIVE', 0, '2', 'vmf.order.received', 'provisioning.committed', 'vmf.vtm.tasks.complete', 'provisioning.live');
		await write('BLOCKED', 0, '3', 'vmf.order.received', 'policy.blocked');
		await write('EXCEPTED', 0, '4', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create');
		await write('EXCEPTED', 1, '5', 'compensation.billing.subscription.cancel', 'exception');
		await write('WAITING', 0, '6', 'crm.deal.won', 'docusign.envelope.sent');
		await write('DECLINED', 0, '7', 'crm.deal.won', 'docusign.envelope.sent');
		await write('DECLINED', 2, '8', 'docusign.envelope.declined');
		const [half] = await write('HALF-DONE', 0, '9', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create');
		await write('AGAIN', 0, '10', 'vmf.order.received', 'billing.subscription.create');
		await write('AGAIN', 1, '11', 'compensation.billing.subscription.cancel', 'exception');
		await write('AGAIN', 5, '12', 'vmf.order.received', 'policy.allowed', 'billing.subscription.create');
		await write('FRESH', 50, '13', 'vmf.order.received', 'billing.subscription.create');
		// Self-service: a declined card leaves the customer on Stripe's page (waiting); an ended checkout is done.
		await write('CARD-DECLINED', 0, '14', 'billing.checkout.declined');
		await write('CHECKOUT-ENDED', 0, '15', 'billing.checkout.declined');
		await write('CHECKOUT-ENDED', 1, '16', 'billing.checkout.declined', 'billing.checkout.expire');

		at(60);
		const stalled = await ledger.findStalled({ stalledAfterMinutes: 30 });
		expect(stalled.map((chain) => chain.businessKey)).toEqual(['HALF-DONE', 'AGAIN']);
		expect(stalled[0]).toEqual({
			businessKey: 'HALF-DONE',
			executionId: '9',
			executionIds: ['9'],
			attempt: 0,
			steps: ['vmf.order.received', 'policy.allowed', 'billing.subscription.create'],
			lastStep: 'billing.subscription.create',
			lastReceiptId: expect.any(String),
			lastReceiptAt: minutes(0).toISOString(),
			startedAt: half.timestamp,
			ageMinutes: 60,
		});
		// Stalled after an earlier exception: only the receipts after it count, and the attempt number is the gate's.
		expect(stalled[1]).toMatchObject({
			businessKey: 'AGAIN',
			executionId: '12',
			executionIds: ['12'],
			attempt: 1,
			steps: ['vmf.order.received', 'policy.allowed', 'billing.subscription.create'],
			ageMinutes: 55,
		});

		// The age is a parameter: a shorter one also takes the fresh chain, a longer one none.
		expect((await ledger.findStalled({ stalledAfterMinutes: 10 })).map((chain) => chain.businessKey)).toEqual(['HALF-DONE', 'AGAIN', 'FRESH']);
		expect(await ledger.findStalled({ stalledAfterMinutes: 61 })).toEqual([]);
		// So are the finished and waiting steps.
		const custom = await ledger.findStalled({ stalledAfterMinutes: 30, finishedSteps: ['provisioning.live'], waitingSteps: [] });
		expect(custom.map((chain) => chain.businessKey)).toEqual(['BLOCKED', 'CARD-DECLINED', 'FINISHED', 'HALF-DONE', 'WAITING', 'CHECKOUT-ENDED', 'DECLINED', 'AGAIN']);
	});

	it('names the execution that stopped, not the error workflow that died half-way through undoing it', async () => {
		await write('CRM', 0, 'crm-run', 'crm.deal.won', 'docusign.envelope.sent');
		await write('CRM', 1, 'signed-run', 'docusign.envelope.completed', 'billing.subscription.create');
		await write('CRM', 2, 'handler-run', 'compensation.billing.subscription.cancel');
		await write('NO-EXECUTION', 0, null, 'vmf.order.received');
		at(40);
		const [none, crm] = await ledger.findStalled({ stalledAfterMinutes: 30 });
		expect(crm).toMatchObject({ businessKey: 'CRM', executionId: 'signed-run', executionIds: ['crm-run', 'signed-run', 'handler-run'], lastStep: 'compensation.billing.subscription.cancel', ageMinutes: 38 });
		expect(none).toMatchObject({ businessKey: 'NO-EXECUTION', executionId: null, executionIds: [] });
	});

	it('with started steps, only the chains of the flows it names: a routed lead or an invited form is nobody\'s stalled contract', async () => {
		await write('CONTRACT', 0, 'run-1', 'vmf.order.received', 'billing.subscription.create');
		await write('LEAD', 0, 'run-2', 'revops.lead.routed', 'crm.lead.changeOwner');
		await write('INVITED', 0, 'run-3', 'intake.enterprise.invited');
		await write('DEAL', 0, 'run-4', 'dealdesk.quote.approved', 'crm.deal.won', 'billing.subscription.create');
		at(40);
		expect((await ledger.findStalled({ stalledAfterMinutes: 30 })).map((chain) => chain.businessKey).sort()).toEqual(['CONTRACT', 'DEAL', 'INVITED', 'LEAD']);
		const reconciled = await ledger.findStalled({ stalledAfterMinutes: 30, startedSteps: ['vmf.order.received', 'crm.deal.won'] });
		expect(reconciled.map((chain) => chain.businessKey).sort()).toEqual(['CONTRACT', 'DEAL']);
		expect(await ledger.findStalled({ stalledAfterMinutes: 30, startedSteps: [] })).toHaveLength(4);
	});

	it('an empty store has nothing stalled; a bad age names the field', async () => {
		expect(await store.businessKeys()).toEqual([]);
		expect(await ledger.findStalled({ stalledAfterMinutes: 0 })).toEqual([]);
		await expect(ledger.findStalled({ stalledAfterMinutes: -1 })).rejects.toThrow(ConnectorError);
		await expect(ledger.findStalled({ stalledAfterMinutes: Number.NaN })).rejects.toThrow(/stalledAfterMinutes/);
	});

	it('enumerates every chain once, sorted', async () => {
		await write('B-2', 0, '1', 'a', 'b');
		await write('A/1 β', 0, '1', 'a');
		expect(await store.businessKeys()).toEqual(['A/1 β', 'B-2']);
	});
});

describe('FileReceiptStore.businessKeys', () => {
	let root: string;
	beforeEach(() => {
		root = mkdtempSync(join(tmpdir(), 'q2c-keys-'));
	});
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	it('reads the key from the first receipt when the head was never written, and skips chains that never committed', async () => {
		const store = new FileReceiptStore(root);
		const ledger = new EvidenceLedger(store);
		await ledger.append({ businessKey: 'NO-HEAD', workflowStep: 'a', subject: 's', resourceRef: 'r' });
		unlinkSync(join(store.chainDir('NO-HEAD'), 'head.json'));
		await ledger.append({ businessKey: 'BROKEN-HEAD', workflowStep: 'a', subject: 's', resourceRef: 'r' });
		writeFileSync(join(store.chainDir('BROKEN-HEAD'), 'head.json'), '{not json');
		mkdirSync(store.chainDir('EMPTY'), { recursive: true });
		mkdirSync(store.chainDir('TORN'), { recursive: true });
		writeFileSync(join(store.chainDir('TORN'), 'receipts.jsonl'), '{"business_key":"TORN"');
		expect(await store.businessKeys()).toEqual(['BROKEN-HEAD', 'NO-HEAD']);
	});

	it('fails loudly when the chains directory cannot be read', async () => {
		writeFileSync(join(root, 'chains'), 'a file, not a directory');
		await expect(new FileReceiptStore(root).businessKeys()).rejects.toThrow(/ENOTDIR/);
	});
});

describe('stalled attempt rules', () => {
	const receipt = (sequence: number, step: string, minute: number, executionId: string | null = 'e'): Receipt => ({
		id: `r${sequence}`,
		business_key: 'K',
		sequence,
		workflow_step: step,
		subject: 's',
		resource_ref: 'r',
		policy_decision: null,
		execution_id: executionId,
		idempotency_key: `k${sequence}`,
		timestamp: minutes(minute).toISOString(),
		previous_receipt_id: null,
		previous_sha256: null,
		sha256: '0'.repeat(64),
	});

	it('an attempt is what follows the last exception', () => {
		const chain = [receipt(1, 'a', 0), receipt(2, 'exception', 1), receipt(3, 'b', 2), receipt(4, 'exception', 3)];
		expect(lastAttempt(chain)).toEqual({ attempt: 2, receipts: [] });
		expect(lastAttempt(chain.slice(0, 3))).toEqual({ attempt: 1, receipts: [chain[2]] });
		// A chain that ends in an exception has not started again: nothing is stalled.
		expect(stalledAttempt('K', chain, { stalledAfterMinutes: 0 }, minutes(100))).toBeUndefined();
	});

	it('a finished step anywhere in the attempt ends it, even with receipts after it', () => {
		const chain = [receipt(1, 'a', 0), receipt(2, 'provisioning.committed', 1), receipt(3, 'exception.after_commit', 2)];
		expect(stalledAttempt('K', chain, { stalledAfterMinutes: 0 }, minutes(100))).toBeUndefined();
		expect(stalledAttempt('K', chain, { stalledAfterMinutes: 0, finishedSteps: [] }, minutes(100))).toMatchObject({ lastStep: 'exception.after_commit' });
	});

	it('a receipt whose time cannot be read is left alone; the threshold is inclusive', () => {
		const unreadable = { ...receipt(1, 'a', 0), timestamp: 'yesterday' };
		expect(stalledAttempt('K', [unreadable], { stalledAfterMinutes: 0 }, minutes(100))).toBeUndefined();
		expect(stalledAttempt('K', [receipt(1, 'a', 0)], { stalledAfterMinutes: 30 }, minutes(30))).toMatchObject({ ageMinutes: 30 });
		expect(stalledAttempt('K', [receipt(1, 'a', 0)], { stalledAfterMinutes: 30 }, new Date(T0 + 30 * 60_000 - 1))).toBeUndefined();
	});

	it('step lists are comma- or newline-separated, blanks dropped; defaults include the envelope outcomes', () => {
		expect(stepList(' a, b ,\nc,, ', [])).toEqual(['a', 'b', 'c']);
		expect(stepList(undefined, ['x'])).toEqual(['x']);
		expect(stepList(['a ', ''], [])).toEqual(['a']);
		expect(DEFAULT_FINISHED_STEPS).toEqual(expect.arrayContaining(['provisioning.committed', 'provisioning.live', 'policy.blocked', 'docusign.envelope.declined']));
	});
});
