/**
 * An exclusive lock file (O_EXCL) shared by the file-backed stores: the dedupe marks and the evidence chains. A lock
 * left by a crashed holder is broken, and breaking is the racy part: two contenders that both judged one lock stale
 * could each remove it and re-create it, and both hold it. So the right to remove one stale *instance* of a lock is
 * itself a lock, named after that instance (inode, time, content): exactly one contender gets it, and the others
 * find it taken or the lock already replaced. A right left behind by a crashed breaker is taken over the same way.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ConnectorError } from './errors';
import { sha256Hex } from './idempotency';

export interface FileLockOptions {
	/** A lock older than this is considered abandoned (its holder crashed) and is broken. */
	staleMs?: number;
	/** acquireFileLock: give up waiting after this long. */
	timeoutMs?: number;
	/** Injected for tests. */
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export type ReleaseLock = () => Promise<void>;

interface LockContent {
	token: string;
	pid: number;
	host: string;
	acquired_at: number;
}

const DEFAULT_STALE_MS = 30_000;
/** A lock file without content: its holder is writing it now, or crashed between creating and writing it. */
const EMPTY_LOCK_GRACE_MS = 2_000;
/** A right to break a right to break a lock: deeper chains mean something else is wrong. */
const MAX_TAKEOVER_DEPTH = 2;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One try: the lock's release, or undefined while a live holder has it. */
export async function tryFileLock(path: string, options: FileLockOptions = {}, depth = 0): Promise<ReleaseLock | undefined> {
	const now = options.now ?? Date.now;
	const mine: LockContent = { token: randomUUID(), pid: process.pid, host: hostname(), acquired_at: now() };
	const release = () => releaseIfHolding(path, mine.token);
	if (await tryCreate(path, JSON.stringify(mine))) return release;
	const seen = await instanceOf(path);
	if (!seen || depth >= MAX_TAKEOVER_DEPTH || !isStale(seen, options.staleMs ?? DEFAULT_STALE_MS, now())) return undefined;
	const releaseRight = await tryFileLock(`${path}.${seen.id}`, options, depth + 1);
	if (!releaseRight) return undefined;
	try {
		// Still the instance judged stale? Otherwise another contender broke it already.
		if ((await instanceOf(path))?.id !== seen.id) return undefined;
		await unlink(path).catch(() => undefined);
		mine.acquired_at = now();
		return (await tryCreate(path, JSON.stringify(mine))) ? release : undefined;
	} finally {
		await releaseRight();
	}
}

/** Waits for the lock (up to `timeoutMs`), breaking a stale one. */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<ReleaseLock> {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? defaultSleep;
	const deadline = now() + (options.timeoutMs ?? 20_000);
	for (let attempt = 0; ; attempt++) {
		const release = await tryFileLock(path, options);
		if (release) return release;
		if (now() >= deadline) throw new ConnectorError('transient', `Timed out waiting for the lock ${path}; another execution holds it`, { code: 'LOCK_TIMEOUT' });
		await sleep(Math.min(50, 2 + attempt) + Math.random() * 5);
	}
}

/** Runs `work` while holding the lock. */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
	const release = await acquireFileLock(path, options);
	try {
		return await work();
	} finally {
		await release();
	}
}

/**
 * Creates `path` with `content` only if it does not exist (O_EXCL): false when it does. A file that could not be
 * written (ENOSPC) is removed again, so no empty, ownerless file stays behind.
 */
export async function tryCreate(path: string, content: string): Promise<boolean> {
	let handle;
	try {
		handle = await open(path, 'wx');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
	try {
		await handle.writeFile(content);
		await handle.close();
		return true;
	} catch (error) {
		await handle.close().catch(() => undefined);
		await unlink(path).catch(() => undefined);
		throw error;
	}
}

interface Instance {
	id: string;
	mtimeMs: number;
	content: string;
}

/** One instance of a file: one re-created at the same path (new inode, time or content) has another id. */
async function instanceOf(path: string): Promise<Instance | undefined> {
	try {
		const info = await stat(path);
		const content = await readFile(path, 'utf8');
		return { id: sha256Hex(`${info.ino}:${info.mtimeMs}:${content}`).slice(0, 16), mtimeMs: info.mtimeMs, content };
	} catch {
		return undefined;
	}
}

function parse(content: string): LockContent | undefined {
	try {
		const parsed = JSON.parse(content) as LockContent;
		return parsed && typeof parsed.token === 'string' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function isStale(instance: Instance, staleMs: number, now: number): boolean {
	if (instance.content === '') return Date.now() - instance.mtimeMs > EMPTY_LOCK_GRACE_MS;
	if (Date.now() - instance.mtimeMs > staleMs) return true;
	const holder = parse(instance.content);
	if (!holder) return false;
	if (now - holder.acquired_at > staleMs) return true;
	return holder.host === hostname() && holder.pid !== process.pid && !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Removes the lock only while it is still ours: one taken over as stale belongs to its new holder. */
async function releaseIfHolding(path: string, token: string): Promise<void> {
	const content = await readFile(path, 'utf8').catch(() => undefined);
	if (content !== undefined && parse(content)?.token === token) await unlink(path).catch(() => undefined);
}

/** Replaces `path` with `text` all at once (a temporary file, synced, then renamed): readers never see half a file. */
export async function atomicWrite(path: string, text: string): Promise<void> {
	const temp = `${path}.${randomUUID()}.tmp`;
	const handle = await open(temp, 'w');
	try {
		await handle.writeFile(text);
		await handle.datasync();
	} finally {
		await handle.close();
	}
	try {
		await rename(temp, path);
	} catch (error) {
		await unlink(temp).catch(() => undefined);
		throw error;
	}
}
