import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tryCreate, tryFileLock } from './fileLock';
import { sha256Hex } from './idempotency';

const STALE_LOCK_MS = 30_000;

/** Remembers which deliveries were already accepted, so at-least-once webhooks start one execution. */
export interface DedupeStore {
	/** True if `key` was not seen within `ttlMs` and is now claimed; false for a duplicate. Atomic. */
	claim(key: string, ttlMs: number): Promise<boolean>;
	/** Forgets a claim (e.g. the delivery was rejected after claiming and should be retried). */
	release(key: string): Promise<void>;
}

export class MemoryDedupeStore implements DedupeStore {
	private readonly seen = new Map<string, number>();
	constructor(private readonly now: () => number = Date.now) {}
	async claim(key: string, ttlMs: number): Promise<boolean> {
		const at = this.seen.get(key);
		if (at !== undefined && this.now() - at < ttlMs) return false;
		this.seen.set(key, this.now());
		return true;
	}
	async release(key: string): Promise<void> {
		this.seen.delete(key);
	}
}

/**
 * One file per key, created with O_EXCL: the file system makes the claim atomic across concurrent
 * executions and processes on one machine, and it survives restarts.
 */
export class FileDedupeStore implements DedupeStore {
	constructor(
		private readonly dir: string,
		private readonly now: () => number = Date.now,
	) {}

	private pathFor(key: string): string {
		return join(this.dir, `${sha256Hex(key)}.seen`);
	}

	async claim(key: string, ttlMs: number): Promise<boolean> {
		await mkdir(this.dir, { recursive: true });
		const file = this.pathFor(key);
		if (await tryCreate(file, String(this.now()))) return true;
		if (!(await this.isExpired(file, ttlMs))) return false;
		// Expired: only the holder of the lock may replace the mark. Renaming it aside without a lock let
		// a slow contender move away a mark another contender had just re-claimed (two winners).
		const release = await tryFileLock(`${file}.lock`, { staleMs: STALE_LOCK_MS });
		if (!release) return false;
		try {
			if (!(await this.isExpired(file, ttlMs))) return false;
			await unlink(file).catch(() => undefined);
			return await tryCreate(file, String(this.now()));
		} finally {
			await release();
		}
	}

	async release(key: string): Promise<void> {
		await unlink(this.pathFor(key)).catch(() => undefined);
	}

	private async isExpired(file: string, ttlMs: number): Promise<boolean> {
		const claimedAt = await this.claimedAt(file);
		if (claimedAt === undefined) return true;
		// An empty mark is a claim being written, or one whose writer died; after STALE_LOCK_MS it is the latter.
		if ((await this.isEmpty(file)) && Date.now() - claimedAt >= STALE_LOCK_MS) return true;
		return this.now() - claimedAt >= ttlMs;
	}

	private async isEmpty(file: string): Promise<boolean> {
		return stat(file).then((info) => info.size === 0, () => false);
	}

	private async claimedAt(file: string): Promise<number | undefined> {
		try {
			const text = await readFile(file, 'utf8');
			const at = Number(text);
			return Number.isFinite(at) && text !== '' ? at : (await stat(file)).mtimeMs;
		} catch {
			return undefined;
		}
	}
}
