// @ts-check
'use strict';
/**
 * The benchmark's baseline workflow (test/bench/baseline-workflow.json): the same vendor calls as the main template,
 * built only from n8n's own Webhook / Set / If / Split Out / HTTP Request / Send Email nodes. Its Config node holds
 * the sandbox URLs and tokens, which are only known once the sandbox runs, so they are filled in through the public
 * API after startStack imported the file.
 */
const { join } = require('node:path');
const { fetchJson } = require('./stack-client');

const BASELINE_FILE = join(__dirname, '..', '..', 'test', 'bench', 'baseline-workflow.json');
const BASELINE_PATH = 'q2c-bench-baseline';

/**
 * The Config node's `sandbox` block for a running sandbox.
 * @param {{ urls: Record<string, any>, credentials: Record<string, any> }} sandbox
 */
function sandboxConfig(sandbox) {
	const { urls, credentials } = sandbox;
	return {
		vmfPlatform: urls.vmfPlatform,
		vtm: urls.vtm,
		superAdmin: urls.superAdmin,
		stripe: urls.stripe,
		vmfToken: credentials.vmfApi.accessToken,
		superAdminKey: credentials.superAdminApi.apiKey,
		stripeKey: credentials.billingStripeApi.secretKey,
		verifierToken: credentials.vmfWebhookApi.verifierToken,
	};
}

/**
 * Points the imported baseline at the sandbox (PUT through the public API) and publishes it again.
 * @param {{ baseUrl: string, apiKey: string, workflowId: string, sandbox: { urls: Record<string, any>, credentials: Record<string, any> } }} options
 * @returns {Promise<string>} the baseline's production webhook URL
 */
async function configureBaseline({ baseUrl, apiKey, workflowId, sandbox }) {
	const headers = { 'X-N8N-API-KEY': apiKey };
	const url = `${baseUrl}/api/v1/workflows/${encodeURIComponent(workflowId)}`;
	const workflow = await fetchJson(url, { headers });
	const config = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'Config');
	if (!config) throw new Error(`baseline workflow ${workflowId} has no Config node`);
	const values = JSON.parse(config.parameters.jsonOutput);
	values.sandbox = sandboxConfig(sandbox);
	config.parameters.jsonOutput = JSON.stringify(values, null, 2);
	await fetchJson(`${url}/deactivate`, { method: 'POST', headers });
	await fetchJson(url, {
		method: 'PUT',
		headers,
		json: { name: workflow.name, nodes: workflow.nodes, connections: workflow.connections, settings: { executionOrder: 'v1' } },
	});
	await fetchJson(`${url}/activate`, { method: 'POST', headers });
	return `${baseUrl}/webhook/${BASELINE_PATH}`;
}

module.exports = { BASELINE_FILE, BASELINE_PATH, configureBaseline, sandboxConfig };
