/**
 * A separate OS process for the routing state store's cross-process races (the n8n worker of the test). Like
 * child.js it loads the TypeScript store through typescript.transpileModule, builds the store named in argv[2]
 * (JSON), prints `ready`, waits for a line on stdin (so every child starts together), claims all its leads at once
 * and prints one JSON line with the answers.
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
const routing = require(join(root, 'connectors/revops/routingState.ts'));

function store(spec) {
	if (spec.kind === 'file') return new routing.FileRoutingStateStore(spec.dir);
	if (spec.kind === 'postgres') return new routing.PostgresRoutingStateStore({ connectionString: spec.url, schema: spec.schema });
	if (spec.kind === 'redis') return new routing.RedisRoutingStateStore({ url: spec.url, prefix: spec.prefix });
	throw new Error(`no shared routing state store ${spec.kind}`);
}

async function main() {
	const job = JSON.parse(process.argv[2]);
	const routingStore = store(job.store);
	// Connect (and migrate) before the race starts.
	await routingStore.openLeads(job.tenant, job.members);
	process.stdout.write('ready\n');
	await new Promise((resolve) => process.stdin.once('data', resolve));
	const answers = await Promise.all(
		job.leadIds.map((leadId) => routingStore.claim({ tenant: job.tenant, pool: job.pool, leadId, members: job.members, capacity: job.capacity })),
	);
	process.stdout.write(`${JSON.stringify({ result: answers })}\n`);
	await routingStore.close();
	await core.closeBackends();
	process.exit(0);
}

main().catch((error) => {
	process.stdout.write(`${JSON.stringify({ error: String(error && error.message) })}\n`);
	process.exit(1);
});
