// @ts-check
'use strict';
/**
 * Editor check in a real browser: headless Debian Chromium (installed with apt-get when missing), driven by
 * playwright-core, logs in to n8n as the owner, opens each imported template and checks that every node of this
 * pack renders with its own icon (an <img> served from /icons/<package>/…, loaded — not the unknown-node
 * placeholder) and that opening one of our nodes shows its parameters. Screenshots go to artifacts/editor/.
 *
 *   npm run editor:check [-- --port 5678]   reuses the stack on that port if one is running, else starts one
 *
 * `runEditorCheck(options)` is exported for the e2e suite; it resolves to { ok, failures, checked, screenshots }.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { join } = require('node:path');
const { readStack, stackJsonPath } = require('./bench/stack-client');

const root = join(__dirname, '..');
const PACKAGE = require(join(root, 'package.json')).name;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
/** Which node to open per template, to check its parameters render (falls back to the first node of ours). */
const OPEN_NODE = /** @type {Record<string, { node: string, parameters: string[] }>} */ ({
	q2cContractSignd: { node: 'Create Subscription', parameters: ['resource', 'operation', 'businessKey', 'customerId', 'lineItems'] },
	q2cProvisionErrs: { node: 'Cancel Subscription', parameters: ['resource', 'operation', 'businessKey', 'subscriptionId'] },
});

/** @typedef {(message: string) => void} Log */

/** Debian's chromium, installed with apt-get (progress shown) when missing. @param {Log} log */
function ensureChromium(log) {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	log('› Chromium is missing: apt-get update && apt-get install -y chromium (a few minutes)…');
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const sudo = asRoot ? [] : ['sudo'];
	for (const args of [
		['apt-get', 'update'],
		['apt-get', 'install', '-y', 'chromium'],
	]) {
		const [command, ...rest] = [...sudo, ...args];
		const result = spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${result.status})`);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
	return CHROMIUM;
}

/** Templates as imported (workflows/*.json): id, name and the names of our nodes in each. */
function templates() {
	const dir = join(root, 'workflows');
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(join(dir, file), 'utf8'));
			const ours = workflow.nodes.filter((/** @type {{ type: string }} */ n) => n.type.startsWith(`${PACKAGE}.`));
			return {
				file,
				id: String(workflow.id),
				name: String(workflow.name),
				nodes: workflow.nodes.map((/** @type {{ name: string }} */ n) => n.name),
				ours: ours.map((/** @type {{ name: string, type: string }} */ n) => ({ name: n.name, type: n.type })),
			};
		});
}

/** @param {string} baseUrl */
async function isUp(baseUrl) {
	try {
		const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(3000) });
		return response.ok;
	} catch {
		return false;
	}
}

/**
 * A running stack to check: the one described by stack.json on `port` if it answers, else a fresh one (stopped
 * afterwards).
 * @param {{ port: number, log: Log }} options
 * @returns {Promise<{ baseUrl: string, email: string, password: string, stop: () => Promise<void> }>}
 */
async function acquireStack({ port, log }) {
	const file = stackJsonPath(port);
	if (fs.existsSync(file)) {
		try {
			const stack = readStack(file);
			if ((await isUp(stack.baseUrl)) && stack.owner.email && stack.owner.password) {
				log(`› Reusing the running stack at ${stack.baseUrl}`);
				return { baseUrl: stack.baseUrl, email: stack.owner.email, password: stack.owner.password, stop: async () => {} };
			}
		} catch {
			// unreadable or stale: start our own below
		}
	}
	log(`› No stack on port ${port}: starting one (build, pack, n8n)…`);
	const { startStack } = require('./stack');
	const stack = await startStack({ port, fresh: true, log });
	return { baseUrl: stack.n8n.baseUrl, email: stack.owner.email, password: stack.owner.password, stop: () => stack.stop() };
}

/**
 * @param {{ baseUrl: string, email: string, password: string, outDir?: string, log?: Log, timeoutMs?: number }} options
 * @returns {Promise<{ ok: boolean, failures: string[], checked: Array<{ workflow: string, node: string, icon: string }>, screenshots: string[] }>}
 */
async function checkEditor({ baseUrl, email, password, outDir = join(root, 'artifacts', 'editor'), log = console.log, timeoutMs = 30_000 }) {
	const executablePath = ensureChromium(log);
	const { chromium } = require('playwright-core');
	fs.mkdirSync(outDir, { recursive: true });
	/** @type {string[]} */
	const failures = [];
	/** @type {Array<{ workflow: string, node: string, icon: string }>} */
	const checked = [];
	/** @type {string[]} */
	const screenshots = [];
	const shot = async (/** @type {import('playwright-core').Page} */ page, /** @type {string} */ name) => {
		const path = join(outDir, `${name}.png`);
		await page.screenshot({ path });
		screenshots.push(path);
	};

	const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
	try {
		const page = await browser.newPage({ viewport: { width: 1680, height: 1000 } });
		page.setDefaultTimeout(timeoutMs);
		log(`› Signing in to ${baseUrl} as ${email}`);
		await page.goto(`${baseUrl}/signin`);
		await page.fill('input[name=emailOrLdapLoginId]', email);
		await page.fill('input[name=password]', password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		for (const template of templates()) {
			log(`› Opening "${template.name}" (${template.id})`);
			await page.goto(`${baseUrl}/workflow/${template.id}`);
			await page.waitForSelector('[data-test-id=canvas-node]');
			// Icons load asynchronously; wait until every <img> on the canvas settled.
			await page
				.waitForFunction(() => {
					// Runs in the page; tsconfig.js.json has no DOM lib (these are Node scripts), so type what is read here.
					const { document } = /** @type {{ document: { querySelectorAll(selector: string): Iterable<{ complete: boolean }> } }} */ (/** @type {unknown} */ (globalThis));
					return [...document.querySelectorAll('[data-test-id=canvas-node] img')].every((img) => img.complete);
				}, undefined, { timeout: 10_000 })
				.catch(() => {});
			const rendered = await page.$$eval('[data-test-id=canvas-node]', (elements) =>
				elements.map((element) => {
					const images = [...element.querySelectorAll('img')].map((img) => ({
						src: img.getAttribute('src') ?? '',
						loaded: img.complete && img.naturalWidth > 0,
					}));
					return { name: element.getAttribute('data-node-name') ?? '', type: element.getAttribute('data-node-type') ?? '', images };
				}),
			);
			await shot(page, `${template.id}-canvas`);
			const byName = new Map(rendered.map((node) => [node.name, node]));
			for (const expected of template.ours) {
				const node = byName.get(expected.name);
				if (!node) {
					failures.push(`${template.id}: node "${expected.name}" is not on the canvas`);
					continue;
				}
				if (node.type !== expected.type) failures.push(`${template.id}: "${expected.name}" renders as type ${node.type}, expected ${expected.type}`);
				const icon = node.images.find((image) => image.src.includes(`/icons/${PACKAGE}/`));
				if (!icon) failures.push(`${template.id}: "${expected.name}" has no icon of ours (unknown-node placeholder?); images: ${JSON.stringify(node.images)}`);
				else if (!icon.loaded) failures.push(`${template.id}: "${expected.name}" icon ${icon.src} did not load`);
				else checked.push({ workflow: template.id, node: expected.name, icon: icon.src });
			}
			const missing = template.nodes.filter((/** @type {string} */ name) => !byName.has(name) && name !== 'About This Workflow');
			if (missing.length > 0) failures.push(`${template.id}: not rendered: ${missing.join(', ')}`);

			const open = OPEN_NODE[template.id] ?? (template.ours[0] ? { node: template.ours[0].name, parameters: [] } : undefined);
			if (!open) continue;
			log(`  opening "${open.node}"`);
			await page.dblclick(`[data-test-id=canvas-node][data-node-name="${open.node}"]`);
			try {
				await page.waitForSelector('[data-test-id=ndv] [data-test-id=node-parameters]');
				const shown = await page.$$eval('[data-test-id=ndv] [data-test-id^=parameter-input-]', (inputs) =>
					inputs.map((input) => (input.getAttribute('data-test-id') ?? '').replace(/^parameter-input-/, '')),
				);
				const absent = open.parameters.filter((parameter) => !shown.includes(parameter));
				if (shown.length === 0) failures.push(`${template.id}: "${open.node}" opened without parameters`);
				if (absent.length > 0) failures.push(`${template.id}: "${open.node}" lacks parameters ${absent.join(', ')} (shown: ${shown.join(', ')})`);
				const unknown = await page.$$eval('[data-test-id=ndv]', (ndv) => /not (currently )?installed|unknown node/i.test(ndv.map((n) => /** @type {{ innerText: string }} */ (n).innerText).join(' ')));
				if (unknown) failures.push(`${template.id}: "${open.node}" is reported as not installed`);
			} catch (error) {
				failures.push(`${template.id}: opening "${open.node}" showed no parameters (${error instanceof Error ? error.message.split('\n')[0] : error})`);
			}
			await shot(page, `${template.id}-${open.node.replace(/\W+/g, '-').toLowerCase()}`);
			await page.keyboard.press('Escape');
		}
	} finally {
		await browser.close();
	}
	return { ok: failures.length === 0, failures, checked, screenshots };
}

/**
 * Start (or reuse) a stack, then check the editor.
 * @param {{ port?: number, outDir?: string, log?: Log }} [options]
 */
async function runEditorCheck({ port = 5678, outDir, log = console.log } = {}) {
	const stack = await acquireStack({ port, log });
	try {
		return await checkEditor({ baseUrl: stack.baseUrl, email: stack.email, password: stack.password, outDir, log });
	} finally {
		await stack.stop();
	}
}

async function main() {
	const args = process.argv.slice(2);
	let port = 5678;
	for (let i = 0; i < args.length; i += 1) {
		if (args[i] === '--port') port = Number(args[++i]);
		else throw new Error(`unknown argument ${args[i]} (use --port N)`);
	}
	const result = await runEditorCheck({ port });
	for (const item of result.checked) console.log(`  ✓ ${item.workflow}: ${item.node} — ${item.icon}`);
	for (const failure of result.failures) console.error(`  ✗ ${failure}`);
	console.log(`Screenshots: ${result.screenshots.join(', ')}`);
	console.log(result.ok ? `✓ Editor check passed (${result.checked.length} nodes of ours)` : `✗ Editor check failed (${result.failures.length} problems)`);
	process.exit(result.ok ? 0 : 1);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(`✗ editor check failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
		process.exit(1);
	});
}

module.exports = { runEditorCheck, checkEditor, ensureChromium, CHROMIUM_FLAGS };
