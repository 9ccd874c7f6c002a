import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { EvidenceLedger, FileReceiptStore } from '../../connectors/evidence';
import { Evidence } from './Evidence.node';

let storePath: string;
beforeEach(() => {
	storePath = mkdtempSync(join(tmpdir(), 'q2c-evidence-node-'));
});
afterEach(() => rmSync(storePath, { recursive: true, force: true }));

function run(params: Record<string, unknown>, items: INodeExecutionData[] = [{ json: { businessKey: 'ORD-1', orderId: 'ORD-1' } }], continueOnFail = false) {
	const all: Record<string, unknown> = { resource: 'receipt', subject: 'system:n8n', policyDecision: '', executionId: '77', ...params, options: { storePath, ...(params.options as object) } };
	const context = {
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in all ? all[name] : fallback),
		continueOnFail: () => continueOnFail,
		getNode: () => ({ name: 'Evidence', type: 'n8n-nodes-quote-to-cash.evidence', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' }),
	} as unknown as IExecuteFunctions;
	return new Evidence().execute.call(context);
}

const append = (extra: Record<string, unknown> = {}) =>
	run({ operation: 'append', businessKey: 'ORD-1', workflowStep: 'ACTIVATE_ORDER', resourceRef: 'stripe:subscription:sub_1', ...extra });

describe('Evidence node', () => {
	it('is usable as a tool and defines the seven receipt operations', () => {
		const { description } = new Evidence();
		expect(description.usableAsTool).toBe(true);
		const operation = description.properties.find((p) => p.name === 'operation');
		expect(operation?.options?.map((o) => (o as { value: string }).value)).toEqual(['append', 'export', 'findByExecution', 'findStalled', 'list', 'storeDocument', 'verify']);
	});

	it('append passes the input through with the receipt added, and can output the receipt alone', async () => {
		const [[out]] = await append({ policyDecision: '{"allow": true}' });
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json).toMatchObject({
			businessKey: 'ORD-1',
			orderId: 'ORD-1',
			receipt: { business_key: 'ORD-1', workflow_step: 'ACTIVATE_ORDER', sequence: 1, execution_id: '77', policy_decision: { allow: true } },
		});
		const [[alone]] = await append({ workflowStep: 'PROVISION', policyDecision: { allow: true }, options: { passThrough: false } });
		expect(alone.json).toMatchObject({ workflow_step: 'PROVISION', sequence: 2, previous_receipt_id: (out.json.receipt as { id: string }).id });
	});

	it('list, verify, export and findByExecution read the chain back', async () => {
		await append();
		const [[listed]] = await run({ operation: 'list', businessKey: 'ORD-1' });
		expect(listed.json).toMatchObject({ business_key: 'ORD-1', count: 1 });
		const [[verified]] = await run({ operation: 'verify', businessKey: 'ORD-1' });
		expect(verified.json).toEqual({ business_key: 'ORD-1', valid: true, count: 1, problems: [] });
		const [[bundle]] = await run({ operation: 'export', businessKey: 'ORD-1' });
		expect(bundle.json).toMatchObject({ business_key: 'ORD-1', verification: { valid: true }, bundle_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
		const [[found]] = await run({ operation: 'findByExecution', executionId: '77' });
		expect(found.json).toMatchObject({ executionId: '77', businessKey: 'ORD-1', businessKeys: ['ORD-1'] });
	});

	it('findByExecution can return one item per contract, each with only its own receipts and its whole chain\'s steps', async () => {
		await run({ operation: 'append', businessKey: 'ORD-1', workflowStep: 'provisioning.live', resourceRef: 'sub_0', executionId: '70' });
		await run({ operation: 'append', businessKey: 'ORD-1', workflowStep: 'billing.subscription.create', resourceRef: 'sub_1', executionId: '77' });
		await run({ operation: 'append', businessKey: 'ORD-2', workflowStep: 'billing.subscription.create', resourceRef: 'sub_2', executionId: '77' });
		await run({ operation: 'append', businessKey: 'ORD-2', workflowStep: 'superadmin.subscription.enable', resourceRef: 'ten_2', executionId: '77' });

		const [[whole]] = await run({ operation: 'findByExecution', executionId: '77' });
		expect(whole.json).toMatchObject({ businessKey: 'ORD-2', businessKeys: ['ORD-1', 'ORD-2'] });

		const [contracts] = await run({ operation: 'findByExecution', executionId: '77', output: 'perContract' });
		expect(contracts.map((c) => c.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(contracts.map((c) => c.json)).toEqual([
			{
				executionId: '77',
				businessKey: 'ORD-1',
				receipts: [expect.objectContaining({ business_key: 'ORD-1', resource_ref: 'sub_1' })],
				steps: ['billing.subscription.create'],
				chainSteps: ['provisioning.live', 'billing.subscription.create'],
				handledBy: null,
			},
			{
				executionId: '77',
				businessKey: 'ORD-2',
				receipts: [expect.objectContaining({ resource_ref: 'sub_2' }), expect.objectContaining({ resource_ref: 'ten_2' })],
				steps: ['billing.subscription.create', 'superadmin.subscription.enable'],
				chainSteps: ['billing.subscription.create', 'superadmin.subscription.enable'],
				handledBy: null,
			},
		]);

		const [none] = await run({ operation: 'findByExecution', executionId: '404', output: 'perContract' });
		expect(none.map((c) => c.json)).toEqual([{ executionId: '404', businessKey: null, receipts: [], steps: [], chainSteps: [], handledBy: null }]);
	});

	it('findByExecution names the exception receipt that already closed a run, and only one written after it', async () => {
		// An earlier attempt's exception (before the run) does not count; the one after the run's receipts does.
		await run({ operation: 'append', businessKey: 'ORD-9', workflowStep: 'billing.subscription.create', resourceRef: 'sub_a', executionId: '80' });
		await run({ operation: 'append', businessKey: 'ORD-9', workflowStep: 'exception', resourceRef: 'step', executionId: 'handler-80' });
		await run({ operation: 'append', businessKey: 'ORD-9', workflowStep: 'billing.subscription.create', resourceRef: 'sub_b', executionId: '81' });
		const [[open]] = await run({ operation: 'findByExecution', executionId: '81', output: 'perContract' });
		expect(open.json.handledBy).toBeNull();

		const [[closing]] = await run({ operation: 'append', businessKey: 'ORD-9', workflowStep: 'exception', resourceRef: 'step', executionId: 'handler-81' });
		const [[closed]] = await run({ operation: 'findByExecution', executionId: '81', output: 'perContract' });
		expect(closed.json.handledBy).toBe((closing.json.receipt as { id: string }).id);
		const [[earlier]] = await run({ operation: 'findByExecution', executionId: '80', output: 'perContract' });
		expect(earlier.json.handledBy).not.toBeNull();
	});

	it('findStalled returns one item per contract whose last attempt went quiet unfinished, with parameters for age and steps', async () => {
		// Receipts written an hour ago (another ledger on the same store, with its own clock).
		const anHourAgo = new EvidenceLedger(new FileReceiptStore(storePath), { now: () => new Date(Date.now() - 60 * 60_000) });
		const write = (businessKey: string, executionId: string, ...steps: string[]) =>
			Promise.all(steps.map((workflowStep) => anHourAgo.append({ businessKey, workflowStep, subject: 's', resourceRef: `${businessKey}:${workflowStep}`, executionId })));
		await write('DONE', '1', 'billing.subscription.create');
		await write('DONE', '1', 'provisioning.committed');
		await write('HALF', '2', 'billing.subscription.create');
		await write('SENT', '3', 'docusign.envelope.sent');
		await run({ operation: 'append', businessKey: 'FRESH', workflowStep: 'billing.subscription.create', resourceRef: 'sub_fresh', executionId: '4' });

		const [stalled] = await run({ operation: 'findStalled', stalledAfterMinutes: 30, finishedSteps: 'provisioning.committed, provisioning.live, policy.blocked', waitingSteps: 'docusign.envelope.sent' });
		expect(stalled.map((item) => item.json)).toEqual([
			expect.objectContaining({ businessKey: 'HALF', executionId: '2', executionIds: ['2'], attempt: 0, steps: ['billing.subscription.create'], lastStep: 'billing.subscription.create' }),
		]);
		expect(stalled[0].json.ageMinutes).toBeGreaterThanOrEqual(59.9);
		expect(stalled[0].pairedItem).toEqual({ item: 0 });

		const [more] = await run({ operation: 'findStalled', stalledAfterMinutes: 0, finishedSteps: '', waitingSteps: '' });
		expect(more.map((item) => item.json.businessKey).sort()).toEqual(['DONE', 'FRESH', 'HALF', 'SENT']);
		// Defaults when the step parameters are absent: committed is finished, a sent envelope is waiting.
		const [defaults] = await run({ operation: 'findStalled', stalledAfterMinutes: 0 });
		expect(defaults.map((item) => item.json.businessKey).sort()).toEqual(['FRESH', 'HALF']);

		const error = await run({ operation: 'findStalled', stalledAfterMinutes: -5 }).catch((e: unknown) => e);
		expect((error as Error).message).toMatch(/stalledAfterMinutes/);
		const found = new Evidence().description.properties.filter((p) => p.displayOptions?.show?.operation?.includes('findStalled')).map((p) => [p.name, p.default]);
		expect(found).toEqual([
			['stalledAfterMinutes', 30],
			['finishedSteps', 'provisioning.committed, provisioning.live, policy.blocked, docusign.envelope.declined, docusign.envelope.voided, billing.checkout.expire'],
			['waitingSteps', 'docusign.envelope.sent, billing.checkout.declined'],
			['startedSteps', ''],
		]);
	});

	it('names the field at fault, or returns an error item with Continue On Fail', async () => {
		const error = await append({ policyDecision: 'not json' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/policyDecision/);
		const [[item]] = await run({ operation: 'append', businessKey: '', workflowStep: 'X', resourceRef: 'r' }, undefined, true);
		expect(item.json).toMatchObject({ kind: 'validation', field: 'businessKey' });
	});
});
