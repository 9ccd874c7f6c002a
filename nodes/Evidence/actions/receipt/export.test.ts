import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IExecuteFunctions } from 'n8n-workflow';
import { canonicalJson, sha256Hex } from '../../../../connectors/core';
import { EvidenceLedger, FileReceiptStore } from '../../../../connectors/evidence';
import { Evidence } from '../../Evidence.node';

let storePath: string;
beforeEach(async () => {
	storePath = mkdtempSync(join(tmpdir(), 'q2c-evidence-export-'));
	const ledger = new EvidenceLedger(new FileReceiptStore(storePath));
	for (const step of ['dealdesk.quote.submitted', 'dealdesk.quote.evaluated', 'dealdesk.approval.requested', 'dealdesk.approval.approved', 'dealdesk.handoff.crm']) {
		await ledger.append({ businessKey: 'OPP-1', workflowStep: step, subject: 'system:n8n', resourceRef: 'quote:Q-1@v1' });
	}
});
afterEach(() => rmSync(storePath, { recursive: true, force: true }));

async function exportBundle(onlySteps?: string) {
	const params: Record<string, unknown> = { resource: 'receipt', operation: 'export', businessKey: 'OPP-1', options: { storePath }, ...(onlySteps === undefined ? {} : { onlySteps }) };
	const context = {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback),
		continueOnFail: () => false,
		getNode: () => ({ name: 'Export', type: 'n8n-nodes-quote-to-cash.evidence', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' }),
	} as unknown as IExecuteFunctions;
	const [[item]] = await new Evidence().execute.call(context);
	return item.json as Record<string, any>;
}

describe('Evidence → Export, Only Steps', () => {
	it('without it exports the whole chain, as before', async () => {
		const bundle = await exportBundle();
		expect(bundle.receipts).toHaveLength(5);
		expect(bundle.filter).toBeUndefined();
	});

	it('keeps exact steps and "."-ending prefixes, with the whole chain verified and the filter under the hash', async () => {
		const bundle = await exportBundle(' dealdesk.quote.evaluated, dealdesk.approval. ');
		expect(bundle.receipts.map((r: any) => [r.sequence, r.workflow_step])).toEqual([
			[2, 'dealdesk.quote.evaluated'],
			[3, 'dealdesk.approval.requested'],
			[4, 'dealdesk.approval.approved'],
		]);
		expect(bundle.verification).toMatchObject({ valid: true, count: 5 });
		expect(bundle.filter).toEqual({ steps: ['dealdesk.quote.evaluated', 'dealdesk.approval.'], chain_receipts: 5 });
		const { format, business_key, receipts, verification, filter } = bundle;
		expect(bundle.bundle_sha256).toBe(sha256Hex(canonicalJson({ format, business_key, receipts, verification, filter })));
		expect(bundle.bundle_sha256).not.toBe((await exportBundle()).bundle_sha256);
	});

	it('an exact step does not match longer steps that start with it', async () => {
		const bundle = await exportBundle('dealdesk.quote');
		expect(bundle.receipts).toEqual([]);
		expect(bundle.filter.chain_receipts).toBe(5);
	});
});
