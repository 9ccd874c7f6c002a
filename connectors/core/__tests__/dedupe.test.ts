import { chmod, mkdir, mkdtemp, open, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDedupeStore, MemoryDedupeStore, type DedupeStore } from '../dedupe';
import { sha256Hex } from '../idempotency';

function clock(start = 1_000_000) {
	let now = start;
	return { now: () => now, advance: (ms: number) => void (now += ms) };
}

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'q2c-dedupe-'));
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

const stores: [string, (now: () => number) => DedupeStore][] = [
	['MemoryDedupeStore', (now) => new MemoryDedupeStore(now)],
	['FileDedupeStore', (now) => new FileDedupeStore(join(dir, 'nested', 'dedupe'), now)],
];

describe.each(stores)('%s', (_name, make) => {
	it('claims a new key once, then reports duplicates', async () => {
		const c = clock();
		const store = make(c.now);
		expect(await store.claim('evt_1', 60_000)).toBe(true);
		expect(await store.claim('evt_1', 60_000)).toBe(false);
		expect(await store.claim('evt_2', 60_000)).toBe(true);
	});

	it('lets a key be claimed again after it expired', async () => {
		const c = clock();
		const store = make(c.now);
		expect(await store.claim('evt_1', 1000)).toBe(true);
		c.advance(999);
		expect(await store.claim('evt_1', 1000)).toBe(false);
		c.advance(1);
		expect(await store.claim('evt_1', 1000)).toBe(true);
		expect(await store.claim('evt_1', 1000)).toBe(false);
	});

	it('forgets a released claim', async () => {
		const c = clock();
		const store = make(c.now);
		await store.claim('evt_1', 60_000);
		await store.release('evt_1');
		expect(await store.claim('evt_1', 60_000)).toBe(true);
		await expect(store.release('never-claimed')).resolves.toBeUndefined();
	});
});

describe('MemoryDedupeStore', () => {
	it('uses the real clock by default', async () => {
		const store = new MemoryDedupeStore();
		expect(await store.claim('k', 60_000)).toBe(true);
		expect(await store.claim('k', 60_000)).toBe(false);
	});
});

describe('FileDedupeStore', () => {
	it('exactly one of 20 concurrent claims of one key wins', async () => {
		const stores = Array.from({ length: 20 }, () => new FileDedupeStore(dir));
		const results = await Promise.all(stores.map((store) => store.claim('evt_race', 60_000)));
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('exactly one of 20 concurrent re-claims of an expired key wins', async () => {
		for (let round = 0; round < 15; round++) {
			const c = clock();
			await new FileDedupeStore(dir, c.now).claim(`evt_expired_${round}`, 1000);
			c.advance(5000);
			const stores = Array.from({ length: 20 }, () => new FileDedupeStore(dir, c.now));
			// staggered starts interleave the contenders' file operations differently each time
			const results = await Promise.all(
				stores.map((store, i) => new Promise((resolve) => setTimeout(resolve, i % 3)).then(() => store.claim(`evt_expired_${round}`, 1000))),
			);
			expect(results.filter(Boolean)).toHaveLength(1);
		}
	});

	it('treats a fresh lock on an expired mark as a re-claim in progress, and breaks a stale one', async () => {
		const c = clock();
		const store = new FileDedupeStore(dir, c.now);
		await store.claim('evt_locked', 1000);
		c.advance(5000);
		const lock = join(dir, `${sha256Hex('evt_locked')}.seen.lock`);
		await writeFile(lock, '');
		expect(await store.claim('evt_locked', 1000)).toBe(false);
		const longAgo = new Date(Date.now() - 120_000);
		await utimes(lock, longAgo, longAgo);
		expect(await store.claim('evt_locked', 1000)).toBe(true);
		expect(await readdir(dir)).toEqual([`${sha256Hex('evt_locked')}.seen`]);
	});

	it('re-claims a mark released while another claimant looked at it', async () => {
		const c = clock();
		const store = new FileDedupeStore(dir, c.now);
		expect(await store.claim('evt_gone', 1000)).toBe(true);
		await store.release('evt_gone');
		expect(await store.claim('evt_gone', 1000)).toBe(true);
	});

	it('survives a new instance on the same directory (restart)', async () => {
		const c = clock();
		expect(await new FileDedupeStore(dir, c.now).claim('evt_1', 60_000)).toBe(true);
		expect(await new FileDedupeStore(dir, c.now).claim('evt_1', 60_000)).toBe(false);
	});

	it('stores one file per key under a hashed name (no raw ids in file names)', async () => {
		await new FileDedupeStore(dir).claim('../../etc/passwd', 60_000);
		expect(await readdir(dir)).toEqual([`${sha256Hex('../../etc/passwd')}.seen`]);
	});

	it('falls back to the file time when a mark is empty or unreadable', async () => {
		const file = join(dir, `${sha256Hex('evt_blank')}.seen`);
		await writeFile(file, '');
		// mtime is "now" on the real clock, so the mark is fresh
		expect(await new FileDedupeStore(dir).claim('evt_blank', 60_000)).toBe(false);
		await writeFile(file, 'garbage');
		expect(await new FileDedupeStore(dir).claim('evt_blank', 60_000)).toBe(false);
	});

	it('leaves no mark behind when writing it fails (disk full), so the retry is not taken for a duplicate', async () => {
		// FileHandle is not exported: reach its prototype through a handle, and fail its next write.
		const probe = await open(join(dir, 'probe'), 'w');
		const fileHandle = Object.getPrototypeOf(probe);
		await probe.close();
		await rm(join(dir, 'probe'));
		const spy = jest.spyOn(fileHandle, 'writeFile').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
		try {
			const store = new FileDedupeStore(dir);
			await expect(store.claim('evt_full', 60_000)).rejects.toMatchObject({ code: 'ENOSPC' });
			expect(await readdir(dir)).toEqual([]);
			expect(await store.claim('evt_full', 60_000)).toBe(true);
		} finally {
			spy.mockRestore();
		}
	});

	it('takes an empty mark older than the stale-lock age for a claim whose writer died', async () => {
		const file = join(dir, `${sha256Hex('evt_torn')}.seen`);
		await writeFile(file, '');
		const old = new Date(Date.now() - 60_000);
		await utimes(file, old, old);
		expect(await new FileDedupeStore(dir).claim('evt_torn', 3_600_000)).toBe(true);
	});

	const asRoot = process.getuid?.() === 0;
	(asRoot ? it.skip : it)('propagates a failure to write the mark (read-only directory)', async () => {
		const readOnly = join(dir, 'ro');
		await mkdir(readOnly);
		await chmod(readOnly, 0o500);
		try {
			await expect(new FileDedupeStore(readOnly).claim('evt_1', 1000)).rejects.toMatchObject({ code: 'EACCES' });
		} finally {
			await chmod(readOnly, 0o700);
		}
	});

	it('propagates file system errors other than "already exists"', async () => {
		const blocker = join(dir, 'not-a-dir');
		await writeFile(blocker, 'x');
		await expect(new FileDedupeStore(blocker).claim('evt_1', 1000)).rejects.toMatchObject({ code: expect.stringMatching(/EEXIST|ENOTDIR/) });
	});
});
