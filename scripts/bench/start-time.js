// @ts-check
'use strict';
/**
 * How long real n8n takes to start (spawn → /healthz/readiness) in a fresh user folder, with and without this pack
 * installed. Each start gets its own new folder, so both pay the same first-start database migrations.
 */
const fs = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { installPack, startN8n } = require('../n8n/instance');

/**
 * @param {{ tarball: string, runtime: import('../n8n/runtime').Runtime, runs?: number, log?: (m: string) => void }} options
 * @returns {Promise<{ without: number[], withPack: number[] }>} seconds per start
 */
async function measureStartTimes({ tarball, runtime, runs = 1, log = () => {} }) {
	/** @type {number[]} */
	const without = [];
	/** @type {number[]} */
	const withPack = [];
	for (let run = 0; run < runs; run += 1) {
		for (const installed of [false, true]) {
			const userFolder = fs.mkdtempSync(join(os.tmpdir(), `q2c-bench-start-${installed ? 'pack' : 'bare'}-`));
			try {
				if (installed) await installPack(userFolder, tarball, { runtime });
				const started = Date.now();
				const n8n = await startN8n({ userFolder, runtime });
				const secondsTaken = (Date.now() - started) / 1000;
				await n8n.stop();
				(installed ? withPack : without).push(secondsTaken);
				log(`  n8n start ${installed ? 'with the pack' : 'without the pack'}: ${secondsTaken.toFixed(1)} s`);
			} finally {
				fs.rmSync(userFolder, { recursive: true, force: true });
			}
		}
	}
	return { without, withPack };
}

module.exports = { measureStartTimes };
