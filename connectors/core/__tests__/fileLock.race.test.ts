/**
 * The shared file lock (dedupe marks, evidence chains) when several contenders find a stale lock at once, one
 * file-system call at a time: in every interleaving exactly one of them holds the lock. The evidence store's old
 * lock moved a stale lock aside and put back what it moved by mistake; that put-back raced (two holders).
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterleaver, seededChooser } from '../../../test/support/interleave';
import { acquireFileLock, tryFileLock } from '../fileLock';

const mockInterleaver = createInterleaver();

jest.mock('node:fs/promises', () => {
	const actual = jest.requireActual('node:fs/promises');
	const gated =
		(name: string) =>
		async (...args: unknown[]) => {
			await mockInterleaver.gate(`${name} ${basename(String(args[0]))}`);
			return actual[name](...args);
		};
	const names = ['open', 'readFile', 'stat', 'unlink', 'rename', 'link', 'writeFile'];
	return { ...actual, ...Object.fromEntries(names.map((name) => [name, gated(name)])) };
});

let dir: string;
let lock: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'q2c-filelock-race-'));
	lock = join(dir, 'chain.lock');
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

/** A lock a crashed holder left a minute ago (its content says so, and so does the file's time). */
async function staleLock() {
	await writeFile(lock, JSON.stringify({ token: 'crashed', pid: process.pid, host: 'elsewhere', acquired_at: Date.now() - 60_000 }));
	const old = new Date(Date.now() - 60_000);
	await utimes(lock, old, old);
}

describe('tryFileLock: contenders breaking one stale lock', () => {
	it.each([2, 3, 5])('exactly one of %i contenders holds it, in every one of 80 seeded interleavings, and no break marker is left', async (contenders) => {
		for (let seed = 1; seed <= 80; seed++) {
			await staleLock();
			const { results, trace } = await mockInterleaver.run(
				Array.from({ length: contenders }, () => () => tryFileLock(lock, { staleMs: 30_000 })),
				seededChooser(seed * 31 + contenders),
			);
			const holders = results.filter((result) => result.ok && result.value !== undefined);
			expect({ seed, holders: holders.length, trace: holders.length === 1 ? [] : trace }).toEqual({ seed, holders: 1, trace: [] });
			expect(await readdir(dir)).toEqual(['chain.lock']);
			await rm(lock, { force: true });
		}
	});
});

describe('acquireFileLock after a stale lock', () => {
	it('never lets two holders overlap while contenders wait, break and release in turn', async () => {
		await staleLock();
		let inside = 0;
		let most = 0;
		const { results } = await mockInterleaver.run(
			Array.from({ length: 4 }, () => async () => {
				const release = await acquireFileLock(lock, { staleMs: 30_000, timeoutMs: 60_000, sleep: async () => undefined });
				inside++;
				most = Math.max(most, inside);
				await new Promise((resolve) => setImmediate(resolve));
				inside--;
				await release();
			}),
			seededChooser(7),
		);
		expect(results.every((result) => result.ok)).toBe(true);
		expect(most).toBe(1);
		expect(await readdir(dir)).toEqual([]);
	});
});
