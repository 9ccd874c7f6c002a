// @ts-check
'use strict';
/**
 * Makes `npm start` / `npm test` the whole set-up on a fresh clone: installs the locked dependencies
 * (`npm ci`) when node_modules is missing or was installed from a different package-lock.json.
 * Runs on the system Node (20) before anything is compiled, so it is plain JavaScript.
 */
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const stampFile = join(root, 'node_modules', '.q2c-lock-sha256');

function lockHash() {
	return createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
}

function ensureDependencies(log = console.log) {
	const wanted = lockHash();
	if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === wanted) return false;
	log('› Installing locked dependencies (npm ci; the first run takes a few minutes)…');
	const started = Date.now();
	const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`npm ci failed with exit code ${result.status}`);
	writeFileSync(stampFile, wanted);
	log(`› Dependencies installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return true;
}

module.exports = { ensureDependencies };

if (require.main === module) ensureDependencies();
