/**
 * Races on a stale `.lock` of an expired mark, one file-system call at a time: every interleaving of the
 * contenders' calls must leave exactly one winner.
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterleaver, scriptedChooser, seededChooser, type Chooser } from '../../../test/support/interleave';
import { FileDedupeStore } from '../dedupe';
import { sha256Hex } from '../idempotency';

const mockInterleaver = createInterleaver();
/** A call this matches never returns: the process "crashed" there. */
const mockCrash: { at?: (call: string) => boolean } = {};

jest.mock('node:fs/promises', () => {
	const actual = jest.requireActual('node:fs/promises');
	const gated =
		(name: string) =>
		async (...args: unknown[]) => {
			const call = `${name} ${String(basename(String(args[0]))).replace(/^[0-9a-f]{64}/, 'K')}`;
			if (mockCrash.at?.(call)) return new Promise(() => undefined);
			await mockInterleaver.gate(call);
			return actual[name](...args);
		};
	const names = ['mkdir', 'open', 'readFile', 'stat', 'unlink', 'rename', 'link', 'writeFile'];
	return { ...actual, ...Object.fromEntries(names.map((name) => [name, gated(name)])) };
});

const KEY = 'evt_stale_lock';
const TTL = 1000;
let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'q2c-dedupe-race-'));
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

/** An expired mark for KEY plus the lock a crashed re-claimer left on it two minutes ago. */
async function expiredMarkWithStaleLock() {
	let now = 1_000_000;
	const clock = () => now;
	expect(await new FileDedupeStore(dir, clock).claim(KEY, TTL)).toBe(true);
	now += 5 * TTL;
	const lock = join(dir, `${sha256Hex(KEY)}.seen.lock`);
	await writeFile(lock, '999');
	const longAgo = new Date(Date.now() - 120_000);
	await utimes(lock, longAgo, longAgo);
	return clock;
}

async function race(contenders: number, choose: Chooser) {
	const clock = await expiredMarkWithStaleLock();
	const stores = Array.from({ length: contenders }, () => new FileDedupeStore(dir, clock));
	const { results, trace } = await mockInterleaver.run(
		stores.map((store) => () => store.claim(KEY, TTL)),
		choose,
	);
	const errors = results.filter((r) => !r.ok);
	expect(errors).toEqual([]);
	const winners = results.filter((r) => r.ok && r.value === true).length;
	return { winners, trace, files: (await readdir(dir)).sort() };
}

describe('FileDedupeStore, contenders breaking a stale lock', () => {
	it('two contenders that both saw the lock stale: one wins, whoever breaks it first', async () => {
		// In lockstep until both have looked at the stale lock (six calls each), then 0 runs three calls ahead and they
		// alternate: 1 then breaks the lock 0 had just taken, and both re-claimed the mark (two winners) before the fix.
		const script = [...Array(6).fill([0, 1]).flat(), 0, 0, 0, ...Array(30).fill([1, 0]).flat()];
		for (const order of [script, script.map((id) => 1 - id)]) {
			const { winners, files } = await race(2, scriptedChooser(order));
			expect(winners).toBe(1);
			expect(files).toEqual([`${sha256Hex(KEY)}.seen`]);
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('exactly one of two contenders wins in every one of 300 seeded interleavings', async () => {
		const failures: { seed: number; winners: number; trace: string[] }[] = [];
		for (let seed = 1; seed <= 300; seed++) {
			const { winners, trace, files } = await race(2, seededChooser(seed));
			if (winners !== 1) failures.push({ seed, winners, trace });
			// Nothing left behind: no lock, no break marker, only the re-claimed mark.
			expect(files).toEqual([`${sha256Hex(KEY)}.seen`]);
			await rm(dir, { recursive: true, force: true });
		}
		expect(failures.slice(0, 1)).toEqual([]);
	});

	it('exactly one of eight contenders wins in every one of 60 seeded interleavings', async () => {
		for (let seed = 1; seed <= 60; seed++) {
			const { winners, trace } = await race(8, seededChooser(seed * 7919));
			expect({ seed, winners, trace: winners === 1 ? [] : trace }).toEqual({ seed, winners: 1, trace: [] });
			await rm(dir, { recursive: true, force: true });
		}
	});
});

describe('FileDedupeStore, many concurrent claims on an expired mark with a stale lock', () => {
	it('exactly one of 25 unsynchronised contenders wins, round after round', async () => {
		for (let round = 0; round < 25; round++) {
			const clock = await expiredMarkWithStaleLock();
			const stores = Array.from({ length: 25 }, () => new FileDedupeStore(dir, clock));
			const results = await Promise.all(
				stores.map((store, i) => new Promise((resolve) => setTimeout(resolve, i % 4)).then(() => store.claim(KEY, TTL))),
			);
			expect(results.filter(Boolean)).toHaveLength(1);
			expect(await new FileDedupeStore(dir, clock).claim(KEY, TTL)).toBe(false);
			await rm(dir, { recursive: true, force: true });
		}
	});
});

describe('FileDedupeStore, a breaker that crashed while breaking the lock', () => {
	it('leaves its right to break the lock behind; once that is stale too, the next claim takes it over and wins', async () => {
		const clock = await expiredMarkWithStaleLock();
		mockCrash.at = (call) => call === 'unlink K.seen.lock';
		void new FileDedupeStore(dir, clock).claim(KEY, TTL);
		let right: string | undefined;
		for (let tries = 0; !right && tries < 200; tries++) {
			await new Promise((resolve) => setTimeout(resolve, 5));
			right = (await readdir(dir)).find((name) => /\.lock\.[0-9a-f]{16}$/.test(name));
		}
		if (!right) throw new Error('the breaker left no right behind');
		// Give the crashed breaker time to have written its token, then the right is as old as the lock.
		await new Promise((resolve) => setTimeout(resolve, 20));
		mockCrash.at = undefined;
		expect(await new FileDedupeStore(dir, clock).claim(KEY, TTL)).toBe(false);
		const longAgo = new Date(Date.now() - 120_000);
		await utimes(join(dir, right), longAgo, longAgo);
		expect(await new FileDedupeStore(dir, clock).claim(KEY, TTL)).toBe(true);
		expect(await new FileDedupeStore(dir, clock).claim(KEY, TTL)).toBe(false);
		expect((await readdir(dir)).sort()).toEqual([`${sha256Hex(KEY)}.seen`]);
	});
});
