import { appendFile, mkdir, open, readdir, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite, canonicalJson, defaultDataDir, sha256Hex } from '../core';
import { receiptHash } from './chain';
import { withFileLock, type LockOptions } from './lock';
import { receiptSchema, type ChainHead, type Receipt } from './schemas';
import { headFor, type AppendDecision, type ReceiptStore, type StoredChain } from './store';

/** The default store location: `<data dir>/evidence`. */
export function defaultEvidenceDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(defaultDataDir(env), 'evidence');
}

/** A directory name that is safe for any business key, unique, and still readable by a person. */
export function chainDirName(businessKey: string): string {
	const readable = businessKey.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
	return `${readable}-${sha256Hex(businessKey).slice(0, 16)}`;
}

interface RawChain extends StoredChain {
	/** Bytes of whole lines; anything after is a torn write that never committed. */
	committedBytes: number;
	fileBytes: number;
}

/**
 * Embedded durable ledger: append-only JSON Lines per business key, a head pointer replaced
 * atomically (write + fsync + rename), and an O_EXCL lock per chain. Layout under `root`:
 *   chains/<key>-<hash>/receipts.jsonl   one canonical receipt per line, in chain order
 *   chains/<key>-<hash>/head.json        { business_key, count, last_receipt_id, last_sha256, updated_at }
 *   chains/<key>-<hash>/chain.lock       present only while an append runs
 *   executions/<sha256(execution id)>.keys   business keys the execution wrote to, one per line
 */
export class FileReceiptStore implements ReceiptStore {
	readonly root: string;

	constructor(
		root: string = defaultEvidenceDir(),
		private readonly lockOptions: LockOptions = {},
		private readonly now: () => Date = () => new Date(),
	) {
		this.root = root;
	}

	chainDir(businessKey: string): string {
		return join(this.root, 'chains', chainDirName(businessKey));
	}

	async append(businessKey: string, decide: (chain: StoredChain) => AppendDecision): Promise<AppendDecision> {
		const dir = this.chainDir(businessKey);
		await mkdir(dir, { recursive: true });
		return withFileLock(
			join(dir, 'chain.lock'),
			async () => {
				const chain = await this.readRaw(businessKey);
				const receiptsPath = join(dir, 'receipts.jsonl');
				if (chain.committedBytes < chain.fileBytes) await truncate(receiptsPath, chain.committedBytes);
				const decision = decide({ entries: chain.entries, head: chain.head });
				if (!decision.appended) return decision;
				const { receipt } = decision;
				// Index first: a crash after it leaves a harmless pointer, never an unfindable receipt.
				if (receipt.execution_id !== null) await this.indexExecution(receipt.execution_id, businessKey);
				await durableAppend(receiptsPath, `${canonicalJson(receipt)}\n`);
				await atomicWrite(join(dir, 'head.json'), `${JSON.stringify(headFor(receipt, this.now().toISOString()))}\n`);
				return decision;
			},
			this.lockOptions,
		);
	}

	async read(businessKey: string): Promise<StoredChain> {
		const { entries, head } = await this.readRaw(businessKey);
		return head === undefined ? { entries } : { entries, head };
	}

	async businessKeysForExecution(executionId: string): Promise<string[]> {
		const text = await readOptional(this.executionIndexPath(executionId));
		return [...new Set(text.split('\n').filter((line) => line !== ''))];
	}

	/**
	 * The chain directories' business keys. A directory name is lossy, so the key is read from the head pointer, or
	 * from the first receipt when the head was never written (a crash before the first head write); a directory with
	 * neither (an append that never committed) has no chain.
	 */
	async businessKeys(): Promise<string[]> {
		let dirs: string[];
		try {
			dirs = await readdir(join(this.root, 'chains'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
			throw error;
		}
		const keys = new Set<string>();
		for (const dir of dirs) {
			const key = keyOf(await readOptional(join(this.root, 'chains', dir, 'head.json'))) ?? keyOf(firstLine(await readOptional(join(this.root, 'chains', dir, 'receipts.jsonl'))));
			if (key !== undefined) keys.add(key);
		}
		return [...keys].sort();
	}

	private executionIndexPath(executionId: string): string {
		return join(this.root, 'executions', `${sha256Hex(executionId)}.keys`);
	}

	private async indexExecution(executionId: string, businessKey: string): Promise<void> {
		if ((await this.businessKeysForExecution(executionId)).includes(businessKey)) return;
		await mkdir(join(this.root, 'executions'), { recursive: true });
		await appendFile(this.executionIndexPath(executionId), `${businessKey.replace(/\n/g, ' ')}\n`);
	}

	private async readRaw(businessKey: string): Promise<RawChain> {
		const dir = this.chainDir(businessKey);
		const text = await readOptional(join(dir, 'receipts.jsonl'));
		const committed = text.slice(0, text.lastIndexOf('\n') + 1);
		const entries = committed
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => {
				try {
					return JSON.parse(line) as unknown;
				} catch {
					return line;
				}
			});
		const headText = await readOptional(join(dir, 'head.json'));
		let head: ChainHead | undefined;
		try {
			head = headText === '' ? undefined : (JSON.parse(headText) as ChainHead);
		} catch {
			head = undefined;
		}
		return {
			entries,
			head: rollForward(entries, head),
			committedBytes: Buffer.byteLength(committed),
			fileBytes: Buffer.byteLength(text),
		};
	}
}

/**
 * A crash between writing a receipt and moving the head leaves exactly one extra, well-formed receipt
 * that chains onto the head; it was fully written, so the head moves forward to include it.
 */
function rollForward(entries: unknown[], head: ChainHead | undefined): ChainHead | undefined {
	const count = head?.count ?? 0;
	if (entries.length !== count + 1) return head;
	const parsed = receiptSchema.safeParse(entries[count]);
	if (!parsed.success) return head;
	const receipt: Receipt = parsed.data;
	const chainsOn = receipt.sequence === count + 1 && receipt.previous_sha256 === (head?.last_sha256 ?? null) && receiptHash(receipt) === receipt.sha256;
	return chainsOn ? headFor(receipt, head?.updated_at ?? receipt.timestamp) : head;
}

/** The `business_key` of a head pointer or receipt written as JSON, if it has one. */
function keyOf(text: string): string | undefined {
	if (text.trim() === '') return undefined;
	try {
		const key = (JSON.parse(text) as { business_key?: unknown }).business_key;
		return typeof key === 'string' && key !== '' ? key : undefined;
	} catch {
		return undefined;
	}
}

function firstLine(text: string): string {
	const end = text.indexOf('\n');
	return end === -1 ? '' : text.slice(0, end);
}

async function readOptional(path: string): Promise<string> {
	try {
		return await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
		throw error;
	}
}

async function durableAppend(path: string, text: string): Promise<void> {
	const handle = await open(path, 'a');
	try {
		await handle.write(text);
		await handle.datasync();
	} finally {
		await handle.close();
	}
}

