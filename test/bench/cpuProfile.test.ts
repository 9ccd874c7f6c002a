import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

// Plain CommonJS scripts (they run on the system Node before anything is built).
const { bucketOf, summariseProfile, summariseDir } = require('../../scripts/bench/cpu-profile');
const { parseArgs } = require('../../scripts/bench/options');

const NODES = '/home/u/.n8n/nodes/node_modules';
const N8N = '/home/u/.cache/n8n-nodes-quote-to-cash/n8n-2.40.7/node_modules';

function frame(functionName: string, url: string) {
	return { functionName, url, lineNumber: 9, columnNumber: 0, scriptId: '1' };
}

/** A profile whose samples are spread over known frames: ms per node id. */
function profileOf(msPerNode: Array<[ReturnType<typeof frame>, number]>) {
	const nodes = msPerNode.map(([callFrame], index) => ({ id: index + 1, callFrame, children: [] as number[] }));
	const samples: number[] = [];
	const timeDeltas: number[] = [];
	msPerNode.forEach(([, ms], index) => {
		for (let i = 0; i < ms; i += 1) {
			samples.push(index + 1);
			timeDeltas.push(1000); // 1 ms in µs
		}
	});
	return { nodes, samples, timeDeltas, startTime: 0, endTime: samples.length * 1000 };
}

describe('bench CPU profile summary', () => {
	it('puts each frame in its package: the pack (not the cache folder named after it), scoped packages, Node, GC', () => {
		expect(bucketOf(frame('append', `${NODES}/n8n-nodes-quote-to-cash/dist/connectors/evidence/fileStore.js`))).toBe('quote-to-cash pack');
		// The cache folder carries the pack's name too; n8n's own code must not be counted as ours.
		expect(bucketOf(frame('execute', `${N8N}/@n8n/expression-runtime/dist/cjs/bridge/isolated-vm-bridge.js`))).toBe('@n8n/expression-runtime');
		expect(bucketOf(frame('run', `${N8N}/n8n-core/dist/execution-engine/workflow-execute.js`))).toBe('n8n-core');
		expect(bucketOf(frame('create', `${NODES}/stripe/cjs/stripe.core.js`))).toBe('stripe');
		expect(bucketOf(frame('wrapSafe', 'node:internal/modules/cjs/loader'))).toBe('node internals');
		expect(bucketOf(frame('(garbage collector)', ''))).toBe('garbage collection');
		expect(bucketOf(frame('(idle)', ''))).toBe('(idle)');
	});

	it('adds up self time per package and per function, and reports busy time without idle', () => {
		const dir = fs.mkdtempSync(join(os.tmpdir(), 'q2c-cpuprof-'));
		try {
			const profile = profileOf([
				[frame('execute', `${N8N}/@n8n/expression-runtime/dist/cjs/bridge/isolated-vm-bridge.js`), 300],
				[frame('append', `${NODES}/n8n-nodes-quote-to-cash/dist/connectors/evidence/fileStore.js`), 100],
				[frame('(idle)', ''), 600],
			]);
			// Pad past the size filter that skips short-lived CLI processes.
			const file = join(dir, 'CPU.main.cpuprofile');
			fs.writeFileSync(file, JSON.stringify({ ...profile, padding: 'x'.repeat(1_000_000) }));
			fs.writeFileSync(join(dir, 'CPU.cli.cpuprofile'), JSON.stringify(profileOf([[frame('import', 'node:fs'), 5]])));

			const summary = summariseProfile(file);
			expect(summary.totalMs).toBeCloseTo(1000);
			expect(summary.buckets.get('@n8n/expression-runtime')).toBeCloseTo(300);
			expect(summary.buckets.get('quote-to-cash pack')).toBeCloseTo(100);

			const text: string = summariseDir(dir, 5);
			expect(text).toContain('CPU.main.cpuprofile: 1.0 s profiled, 0.4 s busy');
			expect(text).toMatch(/0\.3 s\s+75\.0 %\s+@n8n\/expression-runtime/);
			expect(text).toMatch(/0\.1 s\s+25\.0 %\s+quote-to-cash pack/);
			expect(text).not.toContain('CPU.cli.cpuprofile');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('takes --cpu-profile as an absolute directory', () => {
		expect(parseArgs(['--cpu-profile', 'profiles']).cpuProfileDir).toBe(join(process.cwd(), 'profiles'));
		expect(parseArgs([]).cpuProfileDir).toBeUndefined();
	});
});
