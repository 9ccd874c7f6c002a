/**
 * The reconciler template made quick for a test, through n8n's public API (what a person would change in the editor):
 * a schedule in seconds and a short Stalled After; `restore` puts the shipped nodes back.
 */
import { queueE2e } from './context';

async function api(method: string, path: string, body?: unknown): Promise<any> {
	const { stack, apiKey } = queueE2e();
	const response = await fetch(`${stack.processes.main.baseUrl}/api/v1${path}`, {
		method,
		headers: { 'X-N8N-API-KEY': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /api/v1${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
	return text ? JSON.parse(text) : null;
}

async function saveNodes(id: string, workflow: any, nodes: any[]): Promise<void> {
	const saved = await api('PUT', `/workflows/${encodeURIComponent(id)}`, { name: workflow.name, nodes, connections: workflow.connections, settings: workflow.settings ?? { executionOrder: 'v1' } });
	if (saved.active !== true) throw new Error(`the reconciler ${id} is not published after the update`);
}

/** Switches the reconciler to every `everySeconds` and stalled after `stalledAfterMinutes`; returns the restore. */
export async function quickReconciler(everySeconds: number, stalledAfterMinutes: number): Promise<() => Promise<void>> {
	const id = queueE2e().ids.reconciler;
	const shipped = await api('GET', `/workflows/${encodeURIComponent(id)}`);
	const quick = shipped.nodes.map((node: any) => {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') return { ...node, parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: everySeconds }] } } };
		if (node.name !== 'Config') return node;
		const config = JSON.parse(node.parameters.jsonOutput);
		config.reconcile.stalledAfterMinutes = stalledAfterMinutes;
		return { ...node, parameters: { ...node.parameters, jsonOutput: JSON.stringify(config, null, 2) } };
	});
	await saveNodes(id, shipped, quick);
	return () => saveNodes(id, shipped, shipped.nodes);
}
