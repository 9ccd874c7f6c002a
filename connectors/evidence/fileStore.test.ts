import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson } from '../core';
import { EvidenceLedger, FileReceiptStore, chainDirName, defaultEvidenceDir, receiptHash, type Receipt } from './index';

let root: string;
let store: FileReceiptStore;
let ledger: EvidenceLedger;
const KEY = 'ORD-42/β';

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'q2c-evidence-'));
	store = new FileReceiptStore(root);
	ledger = new EvidenceLedger(store);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const receiptsFile = () => join(store.chainDir(KEY), 'receipts.jsonl');
const headFile = () => join(store.chainDir(KEY), 'head.json');
const readLines = () => readFileSync(receiptsFile(), 'utf8').split('\n').filter(Boolean);
const writeLines = (lines: string[]) => writeFileSync(receiptsFile(), lines.map((l) => `${l}\n`).join(''));

let step = 0;
/** Appends `count` distinct steps (distinct content, so none is an idempotent replay). */
async function appendSteps(count: number, key = KEY): Promise<Receipt[]> {
	const out: Receipt[] = [];
	for (let i = 1; i <= count; i++) out.push((await ledger.append({ businessKey: key, workflowStep: `STEP_${++step}`, subject: 'system:n8n', resourceRef: `r${i}` })).receipt);
	return out;
}

describe('FileReceiptStore layout and durability', () => {
	it('stores a chain as JSON Lines plus a head pointer in a readable, collision-free directory', async () => {
		const [first, second] = await appendSteps(2);
		expect(store.chainDir(KEY)).toBe(join(root, 'chains', chainDirName(KEY)));
		expect(chainDirName(KEY)).toMatch(/^ORD-42__-[0-9a-f]{16}$/);
		expect(chainDirName('ORD-42/β')).not.toBe(chainDirName('ORD-42_β'));
		expect(readLines()).toEqual([canonicalJson(first), canonicalJson(second)]);
		expect(JSON.parse(readFileSync(headFile(), 'utf8'))).toMatchObject({ business_key: KEY, count: 2, last_receipt_id: second.id, last_sha256: second.sha256 });
		expect(readdirSync(store.chainDir(KEY)).sort()).toEqual(['head.json', 'receipts.jsonl']);
		expect(defaultEvidenceDir({ Q2C_DATA_DIR: '/data' })).toBe(join('/data', 'evidence'));
	});

	it('survives a restart: a new store instance reads and extends the same chain', async () => {
		const before = await appendSteps(3);
		const reopened = new EvidenceLedger(new FileReceiptStore(root));
		expect(await reopened.list(KEY)).toEqual(before);
		const next = await reopened.append({ businessKey: KEY, workflowStep: 'AFTER_RESTART', subject: 's', resourceRef: 'r' });
		expect(next.receipt).toMatchObject({ sequence: 4, previous_receipt_id: before[2].id, previous_sha256: before[2].sha256 });
		expect(await reopened.verify(KEY)).toMatchObject({ valid: true, count: 4 });
	});

	it('50 concurrent appends to one chain give 50 receipts in one unbroken chain', async () => {
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				new EvidenceLedger(new FileReceiptStore(root)).append({ businessKey: KEY, workflowStep: 'PARALLEL', subject: 's', resourceRef: `r${i}`, executionId: `exec-${i}` }),
			),
		);
		expect(results.every((r) => r.appended)).toBe(true);
		const chain = await ledger.list(KEY);
		expect(chain).toHaveLength(50);
		expect(chain.map((r) => r.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
		expect(new Set(chain.map((r) => r.previous_receipt_id)).size).toBe(50);
		expect(await ledger.verify(KEY)).toEqual({ business_key: KEY, valid: true, count: 50, problems: [] });
		expect(existsSync(join(store.chainDir(KEY), 'chain.lock'))).toBe(false);
	});

	it('several processes appending at once keep one unbroken chain', async () => {
		const run = promisify(execFile);
		const script = `
			const fs = require('fs'); const ts = require('typescript');
			require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions: { module: 1, target: 9, esModuleInterop: true } }).outputText, f);
			const { EvidenceLedger, FileReceiptStore } = require(${JSON.stringify(join(__dirname, 'index.ts'))});
			const ledger = new EvidenceLedger(new FileReceiptStore(process.argv[1]));
			Promise.all(Array.from({ length: 10 }, (_, i) => ledger.append({ businessKey: process.argv[2], workflowStep: 'MULTI', subject: 'p' + process.pid, resourceRef: 'r' + i, executionId: process.pid + '-' + i })))
				.then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
		await Promise.all(Array.from({ length: 4 }, () => run(process.execPath, ['-e', script, root, KEY], { cwd: join(__dirname, '..', '..') })));
		expect(await ledger.verify(KEY)).toEqual({ business_key: KEY, valid: true, count: 40, problems: [] });
	}, 60_000);

	it('drops a torn (half-written) last line on the next append and keeps the chain valid', async () => {
		await appendSteps(2);
		appendFileSync(receiptsFile(), '{"id":"rcpt_torn","busin');
		expect(await ledger.list(KEY)).toHaveLength(2);
		await appendSteps(1);
		expect(readLines()).toHaveLength(3);
		expect(await ledger.verify(KEY)).toMatchObject({ valid: true, count: 3 });
	});

	it('rolls the head forward after a crash between writing a receipt and moving the head', async () => {
		await appendSteps(2);
		const headAfterTwo = readFileSync(headFile(), 'utf8');
		await appendSteps(1);
		writeFileSync(headFile(), headAfterTwo);
		expect(await ledger.verify(KEY)).toMatchObject({ valid: true, count: 3 });
		const next = await ledger.append({ businessKey: KEY, workflowStep: 'NEXT', subject: 's', resourceRef: 'r' });
		expect(next.receipt.sequence).toBe(4);
		expect(await ledger.verify(KEY)).toMatchObject({ valid: true, count: 4 });
	});
});

describe('verify detects tampering in the stored chain', () => {
	let receipts: Receipt[];
	beforeEach(async () => {
		receipts = await appendSteps(4);
	});
	const problems = async () => (await ledger.verify(KEY)).problems.map((p) => `${p.index}:${p.problem.split(':')[0]}`);

	it('an edited field', async () => {
		const lines = readLines();
		lines[1] = lines[1].replace('"r2"', '"r2-edited"');
		writeLines(lines);
		const result = await ledger.verify(KEY);
		expect(result.valid).toBe(false);
		expect(result.problems).toEqual([{ index: 1, receipt_id: receipts[1].id, problem: 'content was edited: sha256 does not match the receipt' }]);
	});

	it('an edited field whose hash was recomputed (the next receipt no longer links to it)', async () => {
		const edited = { ...receipts[1], resource_ref: 'r2-edited' };
		const lines = readLines();
		lines[1] = canonicalJson({ ...edited, sha256: receiptHash(edited) });
		writeLines(lines);
		expect(await problems()).toEqual(['2:broken link']);
	});

	it('the last receipt edited with a recomputed hash (the head no longer matches)', async () => {
		const edited = { ...receipts[3], resource_ref: 'r4-edited' };
		const lines = readLines();
		lines[3] = canonicalJson({ ...edited, sha256: receiptHash(edited) });
		writeLines(lines);
		expect(await problems()).toEqual(['3:the last receipt is not the one the head records (the tail was replaced)']);
	});

	it('a removed receipt', async () => {
		const lines = readLines();
		lines.splice(1, 1);
		writeLines(lines);
		const result = await ledger.verify(KEY);
		expect(result.valid).toBe(false);
		expect(result.problems.map((p) => p.receipt_id)).toContain(receipts[2].id);
		expect(result.problems.some((p) => /removed from the end|the head records 4/.test(p.problem))).toBe(true);
	});

	it('two receipts swapped', async () => {
		const lines = readLines();
		[lines[1], lines[2]] = [lines[2], lines[1]];
		writeLines(lines);
		const result = await ledger.verify(KEY);
		expect(result.valid).toBe(false);
		expect(result.problems.filter((p) => p.problem.startsWith('out of place')).map((p) => p.receipt_id)).toEqual([receipts[2].id, receipts[1].id]);
	});

	it('a truncated tail (last receipts removed, everything left is internally consistent)', async () => {
		writeLines(readLines().slice(0, 2));
		const result = await ledger.verify(KEY);
		expect(result).toMatchObject({ valid: false, count: 2 });
		expect(result.problems).toEqual([{ index: 2, receipt_id: null, problem: 'the head records 4 receipts but the chain holds 2 (receipts were removed from the end)' }]);
	});

	it('a truncation stays visible after the next append (it chains from the head, not the shortened file)', async () => {
		writeLines(readLines().slice(0, 2));
		const next = await ledger.append({ businessKey: KEY, workflowStep: 'AFTER', subject: 's', resourceRef: 'r' });
		expect(next.receipt).toMatchObject({ sequence: 5, previous_receipt_id: receipts[3].id });
		expect((await ledger.verify(KEY)).valid).toBe(false);
	});

	it('a deleted head pointer, an unreadable line, a foreign receipt and a duplicate', async () => {
		unlinkSync(headFile());
		expect(await problems()).toEqual(['4:the chain head pointer is missing']);
		const lines = readLines();
		writeLines([lines[0], 'not json', lines[2], lines[3]]);
		const result = await ledger.verify(KEY);
		expect(result.problems[0]).toMatchObject({ index: 1, receipt_id: null });
		expect(result.problems[0].problem).toMatch(/^not a well-formed receipt/);
		const foreign = { ...receipts[1], business_key: 'OTHER' };
		writeLines([lines[0], canonicalJson({ ...foreign, sha256: receiptHash(foreign) }), lines[0]]);
		const more = (await ledger.verify(KEY)).problems.map((p) => p.problem);
		expect(more).toEqual(expect.arrayContaining(['belongs to business key "OTHER", not this chain', 'duplicate receipt id']));
	});

	it('receipts added outside the ledger', async () => {
		writeLines([...readLines(), readLines()[0]]);
		writeLines([...readLines(), readLines()[1]]);
		expect((await problems()).at(-1)).toBe('6:the head records 4 receipts but the chain holds 6 (receipts were added outside the ledger)');
	});
});
