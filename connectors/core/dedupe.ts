import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from './idempotency';

const STALE_LOCK_MS = 30_000;
/** Crashed breakers in a row a stale lock survives (each crash would have to hit a window of milliseconds). */
const MAX_TAKEOVER_DEPTH = 2;

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
		if (await this.tryCreate(file, String(this.now()))) return true;
		if (!(await this.isExpired(file, ttlMs))) return false;
		// Expired: only the holder of the lock may replace the mark. Renaming it aside without a lock let
		// a slow contender move away a mark another contender had just re-claimed (two winners).
		const lock = `${file}.lock`;
		const token = randomUUID();
		if (!(await this.acquire(lock, token, 0))) return false;
		try {
			if (!(await this.isExpired(file, ttlMs))) return false;
			await unlink(file).catch(() => undefined);
			return await this.tryCreate(file, String(this.now()));
		} finally {
			await unlinkIfHolding(lock, token);
		}
	}

	async release(key: string): Promise<void> {
		await unlink(this.pathFor(key)).catch(() => undefined);
	}

	private async tryCreate(file: string, content: string): Promise<boolean> {
		let handle;
		try {
			handle = await open(file, 'wx');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
			throw error;
		}
		try {
			await handle.writeFile(content);
			await handle.close();
			return true;
		} catch (error) {
			// A mark we could not write (ENOSPC, EIO) must not stay behind: it would turn the retry into a "duplicate".
			await handle.close().catch(() => undefined);
			await unlink(file).catch(() => undefined);
			throw error;
		}
	}

	/**
	 * Creates `path` holding `token`, or takes it over when it is stale: a lock is held for milliseconds, so one
	 * older than STALE_LOCK_MS was left by a crashed process. Unlinking and re-creating it let two contenders that
	 * both saw it stale both hold it. So the right to remove that stale instance is an O_EXCL file named after the
	 * instance itself: one contender gets it, and the others (also any that looked before it was replaced) find
	 * the name taken or the lock changed. A right left behind by a crashed breaker is taken over the same way.
	 */
	private async acquire(path: string, token: string, depth: number): Promise<boolean> {
		if (await this.tryCreate(path, token)) return true;
		const seen = await instanceOf(path);
		if (!seen || depth >= MAX_TAKEOVER_DEPTH || Date.now() - seen.mtimeMs < STALE_LOCK_MS) return false;
		const right = `${path}.${seen.id}`;
		const rightToken = randomUUID();
		if (!(await this.acquire(right, rightToken, depth + 1))) return false;
		try {
			// Still the instance judged stale? Otherwise another contender has broken it already.
			if ((await instanceOf(path))?.id !== seen.id) return false;
			await unlink(path).catch(() => undefined);
			return await this.tryCreate(path, token);
		} finally {
			await unlinkIfHolding(right, rightToken);
		}
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

/** One instance of a file: a file re-created at the same path (new inode, time or token) has another id. */
async function instanceOf(path: string): Promise<{ id: string; mtimeMs: number } | undefined> {
	try {
		const info = await stat(path);
		const content = await readFile(path, 'utf8');
		return { id: sha256Hex(`${info.ino}:${info.mtimeMs}:${content}`).slice(0, 16), mtimeMs: info.mtimeMs };
	} catch {
		return undefined;
	}
}

/** Removes a lock only while it still holds our token (one taken over as stale is no longer ours to remove). */
async function unlinkIfHolding(path: string, token: string): Promise<void> {
	const content = await readFile(path, 'utf8').catch(() => undefined);
	if (content === token) await unlink(path).catch(() => undefined);
}
