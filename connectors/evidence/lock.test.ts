import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorError } from '../core';
import { acquireFileLock, withFileLock } from './lock';

let dir: string;
let lockPath: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'q2c-lock-'));
	lockPath = join(dir, 'chain.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const holder = (overrides: Record<string, unknown> = {}) =>
	JSON.stringify({ token: 'other', pid: process.pid, host: hostname(), acquired_at: Date.now(), ...overrides });

describe('withFileLock', () => {
	it('runs work exclusively and removes the lock afterwards, also when work throws', async () => {
		let inside = 0;
		let maxInside = 0;
		await Promise.all(
			Array.from({ length: 10 }, () =>
				withFileLock(lockPath, async () => {
					inside++;
					maxInside = Math.max(maxInside, inside);
					await new Promise((resolve) => setTimeout(resolve, 2));
					inside--;
				}),
			),
		);
		expect(maxInside).toBe(1);
		await expect(withFileLock(lockPath, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(existsSync(lockPath)).toBe(false);
	});

	it('times out with a transient error while a live holder keeps the lock', async () => {
		writeFileSync(lockPath, holder());
		let clock = 0;
		const error = await acquireFileLock(lockPath, { timeoutMs: 100, now: () => clock, sleep: async () => void (clock += 30) }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error).toMatchObject({ kind: 'transient', code: 'LOCK_TIMEOUT' });
		expect(JSON.parse(readFileSync(lockPath, 'utf8')).token).toBe('other');
	});

	it('breaks a lock older than staleMs', async () => {
		writeFileSync(lockPath, holder({ acquired_at: Date.now() - 60_000 }));
		const release = await acquireFileLock(lockPath, { staleMs: 30_000, timeoutMs: 1_000 });
		expect(JSON.parse(readFileSync(lockPath, 'utf8')).token).not.toBe('other');
		await release();
		expect(existsSync(lockPath)).toBe(false);
	});

	it('breaks a fresh lock whose holder process on this machine is gone', async () => {
		writeFileSync(lockPath, holder({ pid: 2 ** 22 + 12345 }));
		const release = await acquireFileLock(lockPath, { timeoutMs: 1_000 });
		await release();
		expect(existsSync(lockPath)).toBe(false);
	});

	it('breaks an empty lock file only after a grace period (its holder may still be writing it)', async () => {
		writeFileSync(lockPath, '');
		let clock = Date.now();
		await expect(acquireFileLock(lockPath, { timeoutMs: 50, now: () => clock, sleep: async () => void (clock += 20) })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
		const old = new Date(Date.now() - 10_000);
		utimesSync(lockPath, old, old);
		const release = await acquireFileLock(lockPath, { timeoutMs: 1_000 });
		await release();
	});

	it('does not delete a lock that another holder owns by the time it releases', async () => {
		const release = await acquireFileLock(lockPath);
		writeFileSync(lockPath, holder({ token: 'successor' }));
		await release();
		expect(JSON.parse(readFileSync(lockPath, 'utf8')).token).toBe('successor');
	});

	it('reports file-system errors other than "exists"', async () => {
		await expect(acquireFileLock(join(dir, 'missing-dir', 'chain.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
	});
});
