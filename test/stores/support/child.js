/**
 * A separate OS process for the store suites' cross-process cases. It loads the TypeScript stores through a tiny
 * require hook (typescript.transpileModule: no build, no extra dependency), builds the store named in argv[2] (JSON),
 * prints `ready`, waits for a line on stdin (so every child starts the race together), runs the job and prints one
 * JSON line with its result. Job `appendAndHang` prints `locked` from inside the append and never finishes: the
 * parent SIGKILLs it there, while it holds the chain's lock or transaction.
 */
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
	});
	/** @type {any} */ (module)._compile(outputText, filename);
};

const { join } = require('node:path');
const root = join(__dirname, '..', '..', '..');
const core = require(join(root, 'connectors/core/index.ts'));
const evidence = require(join(root, 'connectors/evidence/index.ts'));

function receiptStore(spec) {
	if (spec.kind === 'file') return new evidence.FileReceiptStore(spec.root, { staleMs: spec.staleMs });
	if (spec.kind === 'postgres') return new evidence.PostgresReceiptStore({ connectionString: spec.url, schema: spec.schema, namespace: spec.namespace });
	throw new Error(`no shared receipt store ${spec.kind}`);
}

function dedupeStore(spec) {
	if (spec.kind === 'file') return new core.FileDedupeStore(spec.dir);
	if (spec.kind === 'postgres') return new core.PostgresDedupeStore({ connectionString: spec.url, schema: spec.schema, namespace: spec.namespace });
	if (spec.kind === 'redis') return new core.RedisDedupeStore({ url: spec.url, prefix: spec.prefix, namespace: spec.namespace });
	throw new Error(`no shared dedupe store ${spec.kind}`);
}

const jobs = {
	async append(job) {
		const ledger = new evidence.EvidenceLedger(receiptStore(job.store));
		await ledger.store.read(job.businessKey); // connect (and migrate) before the race starts
		return async () => {
			const appended = await Promise.all(
				Array.from({ length: job.count }, (_, i) =>
					ledger.append({ businessKey: job.businessKey, workflowStep: 'race.append', subject: 'system:test', resourceRef: `${job.tag}-${i}`, executionId: job.tag, idempotencyKey: `${job.tag}-${i}` }),
				),
			);
			return appended.filter((decision) => decision.appended).length;
		};
	},
	async appendAndHang(job) {
		const store = receiptStore(job.store);
		await store.read(job.businessKey);
		return async () =>
			store.append(job.businessKey, () => {
				fs.writeSync(1, 'locked\n');
				// Busy, holding the lock/transaction, until SIGKILL.
				for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
			});
	},
	async claim(job) {
		const store = dedupeStore(job.store);
		await store.release('warm-up-' + process.pid);
		return async () => {
			const results = await Promise.all(Array.from({ length: job.count }, () => store.claim(job.key, job.ttlMs)));
			return results.filter(Boolean).length;
		};
	},
	async acquire(job) {
		const limiter = new core.RedisRateLimiter(job.key, job.limit, { url: job.url, prefix: job.prefix });
		return async () => {
			const times = [];
			await Promise.all(Array.from({ length: job.count }, () => limiter.acquire().then(() => times.push(Date.now()))));
			return times;
		};
	},
};

async function main() {
	const job = JSON.parse(process.argv[2]);
	const run = await jobs[job.job](job);
	process.stdout.write('ready\n');
	await new Promise((resolve) => process.stdin.once('data', resolve));
	const result = await run();
	process.stdout.write(`${JSON.stringify({ result })}\n`);
	await core.closeBackends();
	process.exit(0);
}

main().catch((error) => {
	process.stdout.write(`${JSON.stringify({ error: String(error && error.message) })}\n`);
	process.exit(1);
});
