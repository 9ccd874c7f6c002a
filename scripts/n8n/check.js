// @ts-check
'use strict';
/**
 * Self-check of the real-n8n runtime: `node scripts/n8n/check.js` (add `--keep` to keep the temp folder).
 * Installs Node 24 + n8n (cached), packs a tiny fixture community package, installs it the way n8n does,
 * checks `export:nodes`, starts n8n, creates the owner and an API key, imports and publishes a
 * Webhook → fixture-node workflow, restarts, calls the webhook and finds the execution in the public API.
 */
const { spawnSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { ensureRuntime } = require('./runtime');
const { installPack, cli, startN8n, setupOwner, waitForWebhook, waitForExecutions } = require('./instance');

const FIXTURE_NAME = 'n8n-nodes-q2c-fixture';
const FIXTURE_NODE = 'q2cEcho';
const WORKFLOW_ID = 'q2cCheckFlow0001';
const WEBHOOK_PATH = 'q2c-check';

/** @param {number} started */
const seconds = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** @param {string} title @param {() => Promise<any>} body */
async function step(title, body) {
	const started = Date.now();
	console.log(`› ${title}…`);
	const result = await body();
	console.log(`✓ ${title} (${seconds(started)})`);
	return result;
}

/** @param {unknown} condition @param {string} message @returns {asserts condition} */
function expect(condition, message) {
	if (!condition) throw new Error(`check failed: ${message}`);
}

const ECHO_NODE_SOURCE = `'use strict';
class Q2cEcho {
	constructor() {
		this.description = {
			displayName: 'Q2C Echo',
			name: '${FIXTURE_NODE}',
			icon: 'fa:reply',
			group: ['transform'],
			version: 1,
			description: 'Fixture node for the quote-to-cash runtime self-check',
			defaults: { name: 'Q2C Echo' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'Greeting', name: 'greeting', type: 'string', default: 'hello' }],
		};
	}
	async execute() {
		const items = this.getInputData();
		return [items.map((item, index) => ({
			json: { echoed: item.json.body ?? item.json, greeting: this.getNodeParameter('greeting', index) },
			pairedItem: { item: index },
		}))];
	}
}
module.exports = { Q2cEcho };
`;

/**
 * Writes the fixture package (with dev/peer deps that installPack must strip) and packs it.
 * @param {string} dir @returns {string} the tarball path
 */
function packFixture(dir) {
	const source = join(dir, 'fixture');
	fs.mkdirSync(join(source, 'dist', 'nodes', 'Q2cEcho'), { recursive: true });
	const manifest = {
		name: FIXTURE_NAME,
		version: '0.0.1',
		description: 'Fixture community package for the quote-to-cash runtime self-check',
		license: 'MIT',
		keywords: ['n8n-community-node-package'],
		files: ['dist'],
		n8n: { n8nNodesApiVersion: 1, credentials: [], nodes: ['dist/nodes/Q2cEcho/Q2cEcho.node.js'] },
		peerDependencies: { 'n8n-workflow': '*' },
		devDependencies: { typescript: '5.9.3' },
	};
	fs.writeFileSync(join(source, 'package.json'), JSON.stringify(manifest, null, 2));
	fs.writeFileSync(join(source, 'dist', 'nodes', 'Q2cEcho', 'Q2cEcho.node.js'), ECHO_NODE_SOURCE);
	const packed = spawnSync('npm', ['pack', '--quiet', '--pack-destination', dir], { cwd: source, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
	return join(dir, packed.stdout.trim().split('\n').pop() || '');
}

/** @param {string} dir @returns {string} the workflow file */
function writeWorkflow(dir) {
	const workflow = {
		id: WORKFLOW_ID,
		name: 'Q2C runtime self-check',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Webhook: { main: [[{ node: 'Q2C Echo', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Q2C Echo',
				type: `${FIXTURE_NAME}.${FIXTURE_NODE}`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { greeting: 'hi from the check' },
			},
		],
	};
	const file = join(dir, 'workflow.json');
	fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
	return file;
}

async function main() {
	const keep = process.argv.includes('--keep');
	const started = Date.now();
	const runtime = await step('runtime (Node 24 + n8n, cached)', () => ensureRuntime({ log: console.log }));
	console.log(`  node ${runtime.nodeVersion}: ${runtime.nodeBin}\n  n8n ${runtime.n8nVersion}: ${runtime.n8nBin}`);

	const dir = fs.mkdtempSync(join(os.tmpdir(), 'q2c-n8n-check-'));
	const userFolder = join(dir, 'user');
	/** @type {import('./instance').N8nInstance | undefined} */
	let n8n;
	let ok = false;
	try {
		const tarball = await step('pack the fixture community package', async () => packFixture(dir));
		const installed = await step('install it like n8n does', () => installPack(userFolder, tarball, { runtime }));
		const installedManifest = JSON.parse(fs.readFileSync(join(installed.directory, 'package.json'), 'utf8'));
		expect(!installedManifest.peerDependencies && !installedManifest.devDependencies, 'dev/peer deps stripped');
		expect(!fs.existsSync(join(installed.directory, 'node_modules', 'n8n-workflow')), 'peer n8n-workflow not installed');
		const ledger = JSON.parse(fs.readFileSync(join(userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
		expect(ledger.dependencies[FIXTURE_NAME] === '0.0.1', 'nodes/package.json lists the package');

		await step('export:nodes lists the fixture node', async () => {
			const out = join(dir, 'nodes.json');
			await cli(['export:nodes', `--output=${out}`], { userFolder, runtime });
			const types = JSON.parse(fs.readFileSync(out, 'utf8')).map((/** @type {{ name: string }} */ n) => n.name);
			expect(types.includes(`${FIXTURE_NAME}.${FIXTURE_NODE}`), `${FIXTURE_NAME}.${FIXTURE_NODE} in export:nodes`);
			console.log(`  ${types.length} node types, including ${FIXTURE_NAME}.${FIXTURE_NODE}`);
		});

		const first = await step('start n8n', () => startN8n({ userFolder, runtime, log: console.log }));
		n8n = first;
		const { baseUrl, port } = first;
		const owner = { email: 'owner@example.com', password: 'Q2c-check-Passw0rd', firstName: 'Q2C', lastName: 'Owner' };
		const { apiKey } = await step('owner setup, login, API key', () => setupOwner(baseUrl, owner));

		await step('import + publish the workflow (CLI), restart', async () => {
			const file = writeWorkflow(dir);
			await first.stop();
			n8n = undefined;
			await cli(['import:workflow', `--input=${file}`], { userFolder, runtime });
			await cli(['publish:workflow', `--id=${WORKFLOW_ID}`], { userFolder, runtime });
			n8n = await startN8n({ userFolder, port, runtime, log: console.log });
		});

		const webhookUrl = `${baseUrl}/webhook/${WEBHOOK_PATH}`;
		await step('webhook registered', () => waitForWebhook(webhookUrl));
		await step('call the webhook', async () => {
			const response = await fetch(webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ contract: 'C-1' }),
			});
			// The fixture node's echo (ECHO_NODE_SOURCE): checked field by field below.
			const body = /** @type {{ greeting?: unknown, echoed?: { contract?: unknown } }} */ (await response.json());
			expect(response.status === 200, `webhook answered ${response.status}: ${JSON.stringify(body)}`);
			expect(body.greeting === 'hi from the check' && body.echoed?.contract === 'C-1', `echo body ${JSON.stringify(body)}`);
			console.log(`  answered ${JSON.stringify(body)}`);
		});
		await step('execution visible in the public API', async () => {
			const [execution] = await waitForExecutions(baseUrl, apiKey, { workflowId: WORKFLOW_ID });
			expect(execution.status === 'success', `execution status ${execution.status}`);
			console.log(`  execution ${execution.id}: ${execution.status} (${execution.mode})`);
		});
		ok = true;
	} finally {
		const running = n8n;
		if (running) await step('stop n8n', () => running.stop());
		if (ok && !keep) fs.rmSync(dir, { recursive: true, force: true });
		else console.log(`  kept ${dir} (n8n logs in ${userFolder})`);
	}
	console.log(`\n✓ n8n runtime self-check passed in ${seconds(started)}`);
}

main().catch((error) => {
	console.error(`\n✗ ${error instanceof Error ? error.message : error}`);
	process.exit(1);
});
