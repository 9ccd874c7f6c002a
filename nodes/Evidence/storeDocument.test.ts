import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { EvidenceLedger, FileReceiptStore } from '../../connectors/evidence';
import { Evidence } from './Evidence.node';

let storePath: string;
beforeEach(() => {
	storePath = mkdtempSync(join(tmpdir(), 'q2c-evidence-doc-'));
});
afterEach(() => rmSync(storePath, { recursive: true, force: true }));

const pdf = Buffer.from('%PDF-1.7\n% secret terms of the contract\n%%EOF\n', 'latin1');
const item = (data = pdf, mimeType = 'application/pdf'): INodeExecutionData => ({
	json: { dealId: 'DEAL-1' },
	binary: { contract: { data: data.toString('base64'), mimeType, fileName: 'contract.pdf' } },
});

function run(params: Record<string, unknown>, items: INodeExecutionData[] = [item()]) {
	const all: Record<string, unknown> = { resource: 'receipt', operation: 'storeDocument', businessKey: 'DEAL-1', binaryPropertyName: 'contract', workflowStep: 'intake.contract.stored', subject: 'form:intake', allowedMimeTypes: 'application/pdf', ...params, options: { storePath, ...(params.options as object) } };
	const context = {
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in all ? all[name] : fallback),
		getExecutionId: () => '91',
		continueOnFail: () => false,
		getNode: () => ({ name: 'Evidence', type: 'n8n-nodes-quote-to-cash.evidence', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' }),
		helpers: { getBinaryDataBuffer: async (index: number, name: string) => Buffer.from(String(items[index].binary?.[name]?.data), 'base64') },
	} as unknown as IExecuteFunctions;
	return new Evidence().execute.call(context);
}

describe('Evidence node: Store Document', () => {
	it('keeps the file in the evidence store and appends one receipt naming its hash, size and name, never its content', async () => {
		const sha256 = createHash('sha256').update(pdf).digest('hex');
		const [[out]] = await run({});
		expect(out.json).toMatchObject({ dealId: 'DEAL-1', document: { sha256, size: pdf.length, fileName: 'contract.pdf', created: true }, receipt: { workflow_step: 'intake.contract.stored', resource_ref: `document:sha256:${sha256}`, execution_id: '91' } });
		const location = String((out.json.document as { location: string }).location);
		expect(readFileSync(join(storePath, location)).equals(pdf)).toBe(true);

		const [[again]] = await run({}); // the same bytes again: same receipt, nothing new
		expect((again.json.receipt as { id: string }).id).toBe((out.json.receipt as { id: string }).id);
		const receipts = await new EvidenceLedger(new FileReceiptStore(storePath)).list('DEAL-1');
		expect(receipts).toHaveLength(1);
		expect(JSON.stringify(receipts)).not.toContain('secret terms');
	});

	it('refuses a missing file, a type not allowed and a fake PDF, naming the field, before storing anything', async () => {
		await expect(run({ binaryPropertyName: 'nope' })).rejects.toThrow(/"nope"/);
		await expect(run({}, [item(pdf, 'image/png')])).rejects.toThrow(/"mimeType".*application\/pdf/);
		await expect(run({}, [item(Buffer.from('MZ not a pdf'))])).rejects.toThrow(/a PDF file/);
		expect(await new EvidenceLedger(new FileReceiptStore(storePath)).list('DEAL-1')).toEqual([]);
	});
});
