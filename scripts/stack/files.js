// @ts-check
'use strict';
/**
 * The files startStack hands to n8n's CLI: the packed package, the credentials the workflows reference (filled
 * with the sandbox's data), and the workflow JSON (ids guaranteed so they can be published and looked up).
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { basename, join } = require('node:path');
const { run } = require('../n8n/child');

const root = join(__dirname, '..', '..');

/** The templates every stack imports, keyed like `stack.workflowIds`. */
const TEMPLATES = {
	main: join(root, 'workflows', 'contract-signed-provisioning.json'),
	errors: join(root, 'workflows', 'provisioning-error-handler.json'),
	quoteToCash: join(root, 'workflows', 'quote-to-cash.json'),
	reconciler: join(root, 'workflows', 'provisioning-reconciler.json'),
	selfService: join(root, 'workflows', 'self-service-signup.json'),
	enterprise: join(root, 'workflows', 'enterprise-provisioning.json'),
	tierUpgrade: join(root, 'workflows', 'tier-upgrade.json'),
	enterpriseIntake: join(root, 'workflows', 'enterprise-intake.json'),
	supportPurchase: join(root, 'workflows', 'support-onboarding.json'),
	supportPayment: join(root, 'workflows', 'support-onboarding-payment.json'),
	supportContract: join(root, 'workflows', 'support-onboarding-contract.json'),
	supportAcceptance: join(root, 'workflows', 'support-onboarding-acceptance.json'),
	leadRouting: join(root, 'workflows', 'lead-routing.json'),
	dealDesk: join(root, 'workflows', 'deal-desk.json'),
	revOpsWhatIf: join(root, 'workflows', 'revops-what-if.json'),
};

/**
 * Each template's Stripe Trigger URL and events (self-service signup, support-contract payments, …): what a user
 * registers as an endpoint in Stripe's dashboard, and what the stack registers in the Stripe fake.
 * @param {string} baseUrl @param {PreparedWorkflow[]} workflows
 * @returns {Array<{ url: string, events: string[] }>}
 */
function stripeEndpointsFor(baseUrl, workflows) {
	return workflows.flatMap((workflow) =>
		(workflow.json.nodes ?? [])
			.filter((/** @type {any} */ node) => String(node.type).endsWith('.stripeTrigger') && !node.disabled)
			.map((/** @type {any} */ trigger) => ({ url: `${baseUrl}/webhook/${trigger.webhookId}/webhook`, events: /** @type {string[]} */ (trigger.parameters?.events ?? []) })),
	);
}

/**
 * `npm run build` then `npm pack` (scripts skipped: the build just ran) into `destination`.
 * @param {string} destination @param {(message: string) => void} log @returns {Promise<string>} the tarball path
 */
async function buildAndPack(destination, log) {
	fs.mkdirSync(destination, { recursive: true });
	await run('npm', ['run', '--silent', 'build'], { cwd: root, env: process.env });
	log('  built dist/');
	const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
		cwd: root,
		env: process.env,
	});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	const tarball = join(destination, packed.filename);
	log(`  packed ${basename(tarball)} (${packed.entryCount} files, ${Math.round(packed.size / 1024)} kB)`);
	return tarball;
}

/**
 * A stable 16-character n8n workflow id for a file that has none (same file name → same id).
 * @param {string} name
 */
function workflowIdFor(name) {
	const digits = createHash('sha256').update(`q2c-workflow:${name}`).digest('base64').replace(/[^A-Za-z0-9]/g, '');
	return `q2c${digits}`.slice(0, 16);
}

/**
 * @typedef {object} PreparedWorkflow
 * @property {string} key   `main`, `errors`, or the extra file's name without `.json`
 * @property {string} id
 * @property {string} file  the JSON n8n imports (a copy under `dir` when an id had to be added)
 * @property {any} json
 */

/**
 * Loads the templates plus extra workflow files; extras without an id get one (written to a copy in `dir`).
 * @param {string[]} extra @param {string} dir @returns {PreparedWorkflow[]}
 */
function prepareWorkflows(extra, dir) {
	fs.mkdirSync(dir, { recursive: true });
	/** @type {PreparedWorkflow[]} */
	const prepared = [];
	const entries = [...Object.entries(TEMPLATES), ...extra.map((file) => [basename(file).replace(/\.json$/i, ''), file])];
	for (const [key, file] of entries) {
		const json = JSON.parse(fs.readFileSync(file, 'utf8'));
		let target = file;
		if (typeof json.id !== 'string' || json.id === '') {
			json.id = workflowIdFor(key);
			target = join(dir, `${key}.json`);
			fs.writeFileSync(target, JSON.stringify(json, null, '\t'));
		}
		if (prepared.some((workflow) => workflow.key === key || workflow.id === json.id)) {
			throw new Error(`workflow ${file}: its name "${key}" or id "${json.id}" is already used by another workflow of the stack`);
		}
		prepared.push({ key, id: json.id, file: target, json });
	}
	return prepared;
}

/**
 * The credentials n8n must hold: every `{ id, name }` the workflows reference, typed, with the sandbox's data.
 * @param {PreparedWorkflow[]} workflows @param {Record<string, Record<string, unknown>>} sandboxCredentials
 * @param {(message: string) => void} log
 * @returns {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>}
 */
function credentialsFor(workflows, sandboxCredentials, log) {
	/** @type {Map<string, { id: string, name: string, type: string, data: Record<string, unknown> }>} */
	const byId = new Map();
	for (const workflow of workflows) {
		for (const node of workflow.json.nodes ?? []) {
			for (const [type, reference] of Object.entries(node.credentials ?? {})) {
				const { id, name } = /** @type {{ id?: string, name?: string }} */ (reference);
				if (!id || byId.has(id)) continue;
				const data = sandboxCredentials[type];
				if (!data) {
					log(`  ! no sandbox data for credential type ${type} (${workflow.key} → ${node.name}); not imported`);
					continue;
				}
				byId.set(id, { id, name: name ?? id, type, data });
			}
		}
	}
	return [...byId.values()];
}

module.exports = { TEMPLATES, buildAndPack, prepareWorkflows, credentialsFor, workflowIdFor, stripeEndpointsFor };
