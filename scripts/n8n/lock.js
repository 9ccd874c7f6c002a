// @ts-check
'use strict';
/**
 * An install lock shared by concurrent runs (e.g. `npm start` and `npm test` on a cold cache): an O_EXCL lock
 * file holding { pid, host, startedAt }, kept fresh by a heartbeat so a dead or hard-killed holder is detected.
 */
const fs = require('node:fs');
const os = require('node:os');
const { sleep, seconds, readJson, isAlive } = require('./util');

const LOCK_HEARTBEAT_MS = 10_000;
const LOCK_STALE_MS = 120_000;

/** @typedef {(message: string) => void} Log */

/**
 * A lock is stale when its holder died on this host, or its heartbeat stopped (e.g. another host, a hard kill).
 * @param {string} lockFile
 */
function lockIsStale(lockFile) {
	let stat;
	try {
		stat = fs.statSync(lockFile);
	} catch {
		return false; // already gone: not stale, just retry
	}
	const holder = readJson(lockFile);
	if (holder && holder.host === os.hostname() && typeof holder.pid === 'number' && !isAlive(holder.pid)) return true;
	return Date.now() - stat.mtimeMs > LOCK_STALE_MS;
}

/**
 * Takes the O_EXCL install lock, waiting for another live installer. Returns a release function.
 * @param {string} lockFile @param {Log} log @returns {Promise<() => void>}
 */
async function acquireLock(lockFile, log) {
	const started = Date.now();
	let lastNotice = 0;
	for (;;) {
		try {
			const fd = fs.openSync(lockFile, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644);
			fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }));
			fs.closeSync(fd);
			const heartbeat = setInterval(() => {
				const now = new Date();
				try {
					fs.utimesSync(lockFile, now, now);
				} catch {
					// the lock was removed under us; the marker check after install still guards correctness
				}
			}, LOCK_HEARTBEAT_MS);
			heartbeat.unref();
			return () => {
				clearInterval(heartbeat);
				fs.rmSync(lockFile, { force: true });
			};
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
		}
		if (lockIsStale(lockFile)) {
			log(`  removing a stale install lock (${lockFile})`);
			fs.rmSync(lockFile, { force: true });
			continue;
		}
		if (Date.now() - lastNotice > 30_000) {
			const holder = readJson(lockFile) || {};
			log(`  another install is running (pid ${holder.pid ?? '?'}); waiting… ${seconds(started)}`);
			lastNotice = Date.now();
		}
		await sleep(1000);
	}
}

module.exports = { acquireLock, lockIsStale };
