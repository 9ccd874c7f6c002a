/** Workflow JSON used by the harness self-tests (the shape n8n exports). */
import type { INode } from 'n8n-workflow';
import type { WorkflowJson } from '../types';

let position = 0;
function node(name: string, type: string, typeVersion: number, parameters: INode['parameters'] = {}, extra: Partial<INode> = {}): INode {
	position += 200;
	return { id: `id-${name}`, name, type, typeVersion, position: [position, 0], parameters, ...extra };
}

function chain(...names: string[]): WorkflowJson['connections'] {
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/** Manual Trigger → Config (Set) → Greet (custom) → Gold? (If) → [Send Email | Not Gold (NoOp)]. */
export const orderMailWorkflow: WorkflowJson = {
	id: 'wf-order-mail',
	name: 'Order mail',
	settings: { executionOrder: 'v1', errorWorkflow: 'wf-errors' },
	nodes: [
		node('Start', 'n8n-nodes-base.manualTrigger', 1),
		node('Config', 'n8n-nodes-base.set', 3.4, {
			assignments: {
				assignments: [
					{ id: 'a1', name: 'tier', value: '={{ $json.amount > 100 ? "gold" : "basic" }}', type: 'string' },
					{ id: 'a2', name: 'name', value: '={{ $json.customer }}', type: 'string' },
				],
			},
			options: {},
		}),
		node('Greet', 'test.greeter', 1, {
			greeting: "={{ 'Hello ' + $json.name + ' (' + $('Config').item.json.tier + ') run ' + $execution.id }}",
		}),
		node('Gold?', 'n8n-nodes-base.if', 2.2, {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{ id: 'c1', leftValue: "={{ $('Config').item.json.tier }}", rightValue: 'gold', operator: { type: 'string', operation: 'equals' } },
				],
				combinator: 'and',
			},
			options: {},
		}),
		node(
			'Send Email',
			'n8n-nodes-base.emailSend',
			2.1,
			{
				fromEmail: 'billing@example.test',
				toEmail: "={{ $('Start').item.json.email }}",
				subject: '={{ "Welcome " + $json.name + " ✓" }}',
				emailFormat: 'text',
				text: '={{ $json.message }}',
				options: {},
			},
			{ credentials: { smtp: { id: 'smtp-1', name: 'SMTP sink' } } },
		),
		node('Not Gold', 'n8n-nodes-base.noOp', 1),
	],
	connections: {
		...chain('Start', 'Config', 'Greet', 'Gold?'),
		'Gold?': {
			main: [[{ node: 'Send Email', type: 'main', index: 0 }], [{ node: 'Not Gold', type: 'main', index: 0 }]],
		},
	},
};

/** Manual Trigger → Before (NoOp) → Boom (always throws) → After (NoOp). */
export const failingWorkflow: WorkflowJson = {
	id: 'wf-failing',
	name: 'Failing',
	settings: { executionOrder: 'v1', errorWorkflow: 'wf-errors' },
	nodes: [
		node('Start', 'n8n-nodes-base.manualTrigger', 1),
		node('Before', 'n8n-nodes-base.noOp', 1),
		node('Boom', 'test.boom', 1),
		node('After', 'n8n-nodes-base.noOp', 1),
	],
	connections: chain('Start', 'Before', 'Boom', 'After'),
};

/** Error Trigger → Summarise (Set reading the error item). */
export const errorWorkflow: WorkflowJson = {
	id: 'wf-errors',
	name: 'Errors',
	settings: { executionOrder: 'v1' },
	nodes: [
		node('On Error', 'n8n-nodes-base.errorTrigger', 1),
		node('Summarise', 'n8n-nodes-base.set', 3.4, {
			assignments: {
				assignments: [
					{ id: 's1', name: 'summary', value: '={{ $json.workflow.name }} failed at {{ $json.execution.lastNodeExecuted }}: {{ $json.execution.error.message }}', type: 'string' },
					{ id: 's2', name: 'failedNode', value: '={{ $json.execution.error.node.name }}', type: 'string' },
					{ id: 's3', name: 'mode', value: '={{ $execution.mode }}', type: 'string' },
				],
			},
			options: {},
		}),
	],
	connections: chain('On Error', 'Summarise'),
};

/** Signed Hook (custom webhook trigger) → Who Am I (credentialed HTTP call). */
export const signedHookWorkflow: WorkflowJson = {
	id: 'wf-signed',
	name: 'Signed hook',
	settings: { executionOrder: 'v1' },
	nodes: [
		node('Signed Hook', 'test.signedHookTrigger', 1, { eventPrefix: 'vmf' }, { webhookId: 'hook-1', credentials: { harnessTestApi: { id: 'cred-1', name: 'Test API' } } }),
		node('Who Am I', 'test.whoAmI', 1, {}, { credentials: { harnessTestApi: { id: 'cred-1', name: 'Test API' } } }),
	],
	connections: chain('Signed Hook', 'Who Am I'),
};

/** n8n's own Webhook node (respond via node) → Respond to Webhook. */
export const respondWorkflow: WorkflowJson = {
	id: 'wf-respond',
	name: 'Respond',
	settings: { executionOrder: 'v1' },
	nodes: [
		node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: 'orders', responseMode: 'responseNode', options: {} }, { webhookId: 'wh-2' }),
		node('Respond', 'n8n-nodes-base.respondToWebhook', 1.1, {
			respondWith: 'json',
			responseBody: '={{ { "received": $json.body.orderId, "via": $json.headers["x-source"] } }}',
			options: { responseCode: 202 },
		}),
	],
	connections: chain('Webhook', 'Respond'),
};
