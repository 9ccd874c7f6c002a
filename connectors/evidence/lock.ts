import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ConnectorError } from '../core';

export interface LockOptions {
	/** A lock older than this is considered abandoned (its holder crashed) and is broken. */
	staleMs?: number;
	/** Give up waiting after this long. */
	timeoutMs?: number;
	/** Injected for tests. */
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

interface LockContent {
	token: string;
	pid: number;
	host: string;
	acquired_at: number;
}

const EMPTY_LOCK_GRACE_MS = 2_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` while holding an exclusive lock file created with O_EXCL, so concurrent executions (and
 * processes) on one machine append to a chain one at a time. A lock left by a crashed holder is broken
 * when its process is gone or it is older than `staleMs`.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
	const release = await acquireFileLock(lockPath, options);
	try {
		return await work();
	} finally {
		await release();
	}
}

export async function acquireFileLock(lockPath: string, options: LockOptions = {}): Promise<() => Promise<void>> {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? defaultSleep;
	const staleMs = options.staleMs ?? 30_000;
	const deadline = now() + (options.timeoutMs ?? 20_000);
	const mine: LockContent = { token: randomUUID(), pid: process.pid, host: hostname(), acquired_at: now() };
	for (let attempt = 0; ; attempt++) {
		mine.acquired_at = now();
		if (await tryCreate(lockPath, mine)) return () => releaseIfMine(lockPath, mine.token);
		const holder = await readLock(lockPath);
		if (holder ? isStale(holder, staleMs, now()) : await emptyLockAbandoned(lockPath, now())) await breakStaleLock(lockPath, holder);
		else if (now() >= deadline) {
			throw new ConnectorError('transient', `Timed out waiting for the evidence lock ${lockPath}; another execution holds it`, { code: 'LOCK_TIMEOUT' });
		} else await sleep(Math.min(50, 2 + attempt) + Math.random() * 5);
	}
}

async function tryCreate(lockPath: string, content: LockContent): Promise<boolean> {
	try {
		const handle = await open(lockPath, 'wx');
		try {
			await handle.writeFile(JSON.stringify(content));
		} finally {
			await handle.close();
		}
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/** Undefined when the file vanished or is unreadable (a holder crashed between create and write). */
async function readLock(lockPath: string): Promise<LockContent | undefined> {
	try {
		const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as LockContent;
		return typeof parsed.token === 'string' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function isStale(holder: LockContent, staleMs: number, now: number): boolean {
	if (now - holder.acquired_at > staleMs) return true;
	return holder.host === hostname() && holder.pid !== process.pid && !processAlive(holder.pid);
}

/** A lock file without content: its holder crashed between creating and writing it, or is writing now. */
async function emptyLockAbandoned(lockPath: string, now: number): Promise<boolean> {
	try {
		return now - (await stat(lockPath)).mtimeMs > EMPTY_LOCK_GRACE_MS;
	} catch {
		return false;
	}
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Moves the stale lock aside atomically (only one breaker's rename succeeds). If what was moved is not
 * the lock judged stale (a live holder re-created it meanwhile), it is put back with link(), which
 * never overwrites.
 */
async function breakStaleLock(lockPath: string, stale: LockContent | undefined): Promise<void> {
	const aside = `${lockPath}.${randomUUID()}.stale`;
	try {
		await rename(lockPath, aside);
	} catch {
		return;
	}
	const moved = await readLock(aside);
	if (moved !== undefined && moved.token !== stale?.token) {
		await link(aside, lockPath).catch(() => undefined);
	}
	await unlink(aside).catch(() => undefined);
}

async function releaseIfMine(lockPath: string, token: string): Promise<void> {
	const holder = await readLock(lockPath);
	if (holder?.token === token) await unlink(lockPath).catch(() => undefined);
}
