// @ts-check
'use strict';
/**
 * Summarises V8 .cpuprofile files (written by `npm run bench -- --cpu-profile DIR`): self time per package (the pack,
 * n8n's own packages, vendor SDKs, Node internals, garbage collection) and the heaviest functions, so per-execution
 * overhead is measured rather than guessed.
 *
 *   node scripts/bench/cpu-profile.js DIR [--top 25]
 */
const fs = require('node:fs');
const { join } = require('node:path');

/** Which bucket a call frame's time belongs to. @param {{ url: string, functionName: string }} frame */
function bucketOf({ url, functionName }) {
	if (!url) {
		if (functionName === '(garbage collector)') return 'garbage collection';
		if (functionName === '(idle)' || functionName === '(program)') return functionName;
		return 'native / V8';
	}
	if (url.startsWith('node:')) return 'node internals';
	const packagePath = url.split('/node_modules/').pop() ?? url;
	const parts = packagePath.split('/');
	if (parts[0] === 'n8n-nodes-quote-to-cash') return 'quote-to-cash pack';
	return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * @param {string} file
 * @returns {{ totalMs: number, buckets: Map<string, number>, functions: Map<string, number> }}
 */
function summariseProfile(file) {
	/** @type {{ nodes: Array<{ id: number, callFrame: { url: string, functionName: string, lineNumber: number } }>, samples: number[], timeDeltas: number[] }} */
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const buckets = new Map();
	const functions = new Map();
	let totalMs = 0;
	profile.samples.forEach((id, index) => {
		const ms = (profile.timeDeltas[index] ?? 0) / 1000;
		const frame = byId.get(id)?.callFrame;
		if (!frame) return;
		totalMs += ms;
		const bucket = bucketOf(frame);
		buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms);
		const name = `${frame.functionName || '(anonymous)'} ${(frame.url.split('/node_modules/').pop() ?? frame.url).slice(-70)}:${frame.lineNumber + 1}`;
		functions.set(name, (functions.get(name) ?? 0) + ms);
	});
	return { totalMs, buckets, functions };
}

/** @param {Map<string, number>} map @param {number} top @param {number} busyMs */
function rows(map, top, busyMs) {
	return [...map.entries()]
		.filter(([name]) => !name.startsWith('(idle)'))
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.map(([name, ms]) => `  ${(ms / 1000).toFixed(1).padStart(7)} s ${((100 * ms) / busyMs).toFixed(1).padStart(5)} %  ${name}`);
}

/** Text summary of every profile in `dir` (one block per process). @param {string} dir @param {number} [top] */
function summariseDir(dir, top = 20) {
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
	const out = [];
	for (const name of files) {
		const file = join(dir, name);
		if (fs.statSync(file).size < 1_000_000) continue; // CLI imports and short-lived helpers
		const { totalMs, buckets, functions } = summariseProfile(file);
		const busyMs = totalMs - (buckets.get('(idle)') ?? 0);
		out.push(`${name}: ${(totalMs / 1000).toFixed(1)} s profiled, ${(busyMs / 1000).toFixed(1)} s busy`, ' self time by package:', ...rows(buckets, top, busyMs), ' heaviest functions (self time):', ...rows(functions, top, busyMs));
	}
	return out.join('\n');
}

if (require.main === module) {
	const [dir, flag, value] = process.argv.slice(2);
	if (!dir) {
		console.error('usage: node scripts/bench/cpu-profile.js DIR [--top N]');
		process.exit(2);
	}
	console.log(summariseDir(dir, flag === '--top' ? Number(value) : 20));
}

module.exports = { summariseDir, summariseProfile, bucketOf };
