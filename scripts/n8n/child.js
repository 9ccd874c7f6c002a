// @ts-check
'use strict';
/** Child-process helpers: `run` collects output, `runStreaming` shows a long npm step as it moves. */
const { spawn } = require('node:child_process');
const { seconds } = require('./util');

const PROGRESS_EVERY_MS = 15_000;

/** @typedef {(message: string) => void} Log */

/**
 * Runs a child to completion, collecting its output. Rejects with the output when it exits non-zero.
 * @param {string} command @param {string[]} args @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
function run(command, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve({ stdout, stderr });
			else reject(new Error(`${[command, ...args].join(' ')} failed (exit ${code}):\n${stdout}\n${stderr}`.trim()));
		});
	});
}

/**
 * Runs a command, streaming its stderr/stdout lines through `log` (indented) and printing a heartbeat so a
 * long, quiet npm install visibly moves. Rejects with the tail of the output when it fails.
 * @param {string} command @param {string[]} args
 * With `stallMs`, a child that prints nothing for that long (npm waiting forever on a registry connection that
 * went quiet) is killed and the promise rejects with `stalled: true`, so the caller can run it again.
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, log: Log, progress?: () => string, stallMs?: number }} options
 * @returns {Promise<string>}
 */
function runStreaming(command, args, { cwd, env, log, progress, stallMs }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		let lastOutput = Date.now();
		let stalled = false;
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		/** @type {string[]} */
		const tail = [];
		let buffered = '';
		let warnings = 0;
		let fetches = 0;
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			lastOutput = Date.now();
			buffered += chunk.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop() || '';
			for (const line of lines) {
				if (!line.trim()) continue;
				// --loglevel=http: one `npm http fetch` line per registry request; counted as progress only
				if (/^npm http/i.test(line)) {
					if (/^npm http fetch/i.test(line)) fetches += 1;
					continue;
				}
				tail.push(line);
				if (tail.length > 40) tail.shift();
				// npm prints hundreds of ERESOLVE peer warnings for n8n; count them instead of flooding the log
				if (/^npm warn/i.test(line)) warnings += 1;
				else log(`    ${line}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const ticker = setInterval(() => {
			const parts = [seconds(started)];
			if (fetches > 0) parts.push(`${fetches} registry requests`);
			if (progress) parts.push(progress());
			log(`    … ${parts.join(', ')}`);
			if (stallMs && !stalled && Date.now() - lastOutput > stallMs) {
				stalled = true;
				log(`    ! no output for ${Math.round((Date.now() - lastOutput) / 1000)} s: stopping ${command} to start it again`);
				child.kill('SIGKILL');
			}
		}, PROGRESS_EVERY_MS);
		child.on('error', (error) => {
			clearInterval(ticker);
			reject(error);
		});
		child.on('close', (code) => {
			clearInterval(ticker);
			if (buffered.trim()) tail.push(buffered);
			if (warnings > 0) log(`    (${warnings} npm warnings not shown)`);
			if (stalled) reject(Object.assign(new Error(`${command} ${args.join(' ')} stalled (no output for ${Math.round((stallMs ?? 0) / 1000)} s) in ${cwd}`), { stalled: true }));
			else if (code === 0) resolve(tail.join('\n'));
			else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}) in ${cwd}:\n${tail.join('\n')}`));
		});
	});
}

module.exports = { run, runStreaming };
