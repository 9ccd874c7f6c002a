// @ts-check
'use strict';
/**
 * README command two (`npm test`): all set-up, then every suite. Stages run in order and stop at the
 * first failure; the last line is the plain "tests: N passed, N failed" summary CI reads.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { ensureDependencies } = require('./ensure-deps');
const { specLayerStatus } = require('../sandbox/core/vendorSpecs');

const root = join(__dirname, '..');
const only = process.argv.slice(2);
const counts = { passed: 0, failed: 0, skipped: 0, specSkipped: 0 };

/** @param {string} title @param {string} command @param {string[]} args @param {Record<string, string>} [env] */
function run(title, command, args, env = {}) {
	const started = Date.now();
	console.log(`\n━━ ${title}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`✗ ${title} failed (exit ${result.status}) after ${seconds} s`);
		return false;
	}
	console.log(`✓ ${title} (${seconds} s)`);
	return true;
}

/** @param {string} title @param {string[]} args */
function jestStage(title, args) {
	const report = join(root, 'coverage', `jest-${title.replace(/\W+/g, '-')}.json`);
	rmSync(report, { force: true });
	const ok = run(title, 'npx', ['jest', '--json', `--outputFile=${report}`, ...args]);
	if (existsSync(report)) {
		/** jest --json's report, as far as it is read here. @type {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests?: number, testResults?: { assertionResults?: { status: string, ancestorTitles?: string[] }[] }[] }} */
		const summary = JSON.parse(readFileSync(report, 'utf8'));
		counts.passed += summary.numPassedTests;
		counts.failed += summary.numFailedTests;
		counts.skipped += summary.numPendingTests + (summary.numTodoTests || 0);
		for (const file of summary.testResults || []) {
			for (const test of file.assertionResults || []) {
				if (test.status === 'pending' && (test.ancestorTitles || []).some((t) => t.includes('[skipped: vendor spec layer off'))) counts.specSkipped += 1;
			}
		}
	} else if (!ok) counts.failed += 1;
	return ok;
}

// Suites named *.vendor-spec.test.ts compare the fakes with the vendors' published specs (Q2C_VENDOR_SPECS); with
// the layer off they report themselves as skipped. `npm test -- spec e2e` re-runs only what the layer adds.
/** @type {[name: string, stage: () => boolean][]} */
const stages = [
	['build', () => run('build (tsc + assets)', 'npm', ['run', '--silent', 'build'])],
	['lint', () => run('lint (eslint, n8n community rules)', 'npm', ['run', '--silent', 'lint'])],
	['unit', () => jestStage('unit and workflow tests (jest, coverage of connectors/)', ['--coverage'])],
	['spec', () => jestStage('vendor-spec conformance (our schemas vs the vendors\' specs)', ['--testPathPattern', '\\.vendor-spec\\.test\\.ts$'])],
	['package', () => jestStage('package contents (npm pack)', ['--config', 'test/package/jest.config.js'])],
	// Real n8n 2.40 on Node 24 (installed once into a cache outside the repo), the packed pack, the sandbox.
	['e2e', () => jestStage('end-to-end in real n8n (sandboxed vendors)', ['--config', 'test/e2e/jest.config.js', '--runInBand'])],
];

function main() {
	ensureDependencies();
	const layer = specLayerStatus();
	console.log(`\n${layer.reason}`);
	let ok = true;
	for (const [name, stage] of stages) {
		if (only.length > 0 && !only.includes(name)) continue;
		// The unit stage already ran the vendor-spec suites; `spec` is for a re-run of just those.
		if (name === 'spec' && !only.includes('spec')) continue;
		if (!stage()) {
			ok = false;
			break;
		}
	}
	const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
	if (counts.specSkipped) console.log(`\n${counts.specSkipped} vendor-spec tests skipped: ${layer.reason}`);
	console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed${skipped}`);
	process.exit(ok && counts.failed === 0 ? 0 : 1);
}

main();
