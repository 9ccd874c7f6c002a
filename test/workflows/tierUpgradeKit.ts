/**
 * What the tier-upgrade template tests share: a Grassroots tenant with its Stripe subscription and its rows in the
 * shared database, the dashboard's call to the webhook, and the owner's form answer. n8n resumes a Wait node waiting
 * for a form the way its WaitingWebhooks does: the Wait node's last run is dropped and the node is disabled, so the
 * submitted fields pass through it as its output, and the same execution data runs on (resumeWithForm).
 */
import { WorkflowExecute } from 'n8n-core';
import type { IDataObject, IRun } from 'n8n-workflow';
import Stripe from 'stripe';
import { SuperAdminClient } from '../../connectors/superadmin';
import { baseNodeTypes, harnessNodeTypes, runWebhook, type WebhookRun, type WorkflowJson } from '../harness';
import { buildWorkflow, createHooks, harnessAdditionalData } from '../harness/workflow';
import { template, type Sandbox } from './context';

export const WEBHOOK = 'Upgrade Requested';
export const HEADER = { name: 'X-Q2C-Upgrade-Token', value: 'test-dashboard-token-upgrade-41' };
export const nodeTypes = harnessNodeTypes(baseNodeTypes(['wait']));

export type UpgradeSandbox = Sandbox & { seedSharedTenant(tenantId: string, size?: { courses?: number; perCourse?: number }): Promise<{ total: number }> };

/** The shipped template with Config values replaced (a shallow merge per top-level key), as an operator edits it. */
export function upgradeTemplate(patch: Record<string, Record<string, unknown>> = {}): WorkflowJson {
	const copy = structuredClone(template('tier-upgrade.json'));
	const config = copy.nodes.find((node) => node.name === 'Config')!;
	const values = JSON.parse(String(config.parameters.jsonOutput));
	for (const [key, value] of Object.entries(patch)) values[key] = { ...values[key], ...value };
	config.parameters.jsonOutput = JSON.stringify(values);
	return copy;
}

export interface Academy {
	tenantId: string;
	subscriptionId: string;
	ownerEmail: string;
	businessKey: string;
	rows: number;
}

let sequence = 0;

/** Grassroots tenant + subscription + `courses × (1 + perCourse)` shared rows. */
export async function grassrootsAcademy(sb: UpgradeSandbox, stripe: Stripe, size: { courses: number; perCourse: number }): Promise<Academy> {
	const n = `${Date.now().toString(36)}${++sequence}`;
	const ownerEmail = `owner-${n}@academy.test`;
	const admin = new SuperAdminClient({ baseUrl: String(sb.urls.superAdmin), apiKey: String(sb.credentials.superAdminApi.apiKey) });
	const { tenant } = await admin.createTenant({ businessKey: `signup-${n}`, name: `Academy ${n}`, tier: 'grassroots', ownerEmail } as never);
	await admin.enableSubscription({ tenantId: tenant.id, businessKey: `signup-${n}`, tier: 'grassroots', edition: 'standard' } as never);
	const prices = await planPrices(stripe);
	const customer = await stripe.customers.create({ email: ownerEmail });
	const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: prices.grassroots }] });
	const seeded = await sb.seedSharedTenant(tenant.id, size);
	return { tenantId: tenant.id, subscriptionId: subscription.id, ownerEmail, businessKey: `UPG-${n}`, rows: seeded.total };
}

async function planPrices(stripe: Stripe): Promise<{ grassroots: string; professional: string }> {
	const found = await stripe.prices.list({ lookup_keys: ['grassroots_monthly', 'professional_monthly'] });
	const byKey = new Map(found.data.map((price) => [price.lookup_key, price.id]));
	for (const [key, amount] of [['grassroots_monthly', 2900], ['professional_monthly', 9900]] as const) {
		if (byKey.has(key)) continue;
		const product = await stripe.products.create({ name: `Academy (${key})` });
		byKey.set(key, (await stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: amount, recurring: { interval: 'month' }, lookup_key: key })).id);
	}
	return { grassroots: byKey.get('grassroots_monthly')!, professional: byKey.get('professional_monthly')! };
}

/** The dashboard's request: JSON body, header token. */
export function requestUpgrade(sb: Sandbox, workflow: WorkflowJson, body: Record<string, unknown>, options: { executionId?: string; token?: string } = {}): Promise<WebhookRun> {
	const headers = { 'content-type': 'application/json', [HEADER.name.toLowerCase()]: options.token ?? HEADER.value };
	return runWebhook(workflow, WEBHOOK, { method: 'POST', headers, rawBody: JSON.stringify(body) }, { credentials: { ...sb.credentials, httpHeaderAuth: HEADER }, nodeTypes, executionId: options.executionId });
}

export interface ResumedRun {
	status: string;
	run: IRun;
	executedNodes: string[];
	nodeOutput(name: string, outputIndex?: number): IDataObject[];
	ran(name: string): boolean;
	errorMessage?: string;
}

/** Submits the owner's form to the execution waiting in `run` (see the file comment). */
export async function resumeWithForm(sb: Sandbox, workflowJson: WorkflowJson, waiting: IRun, executionId: string, answer: IDataObject): Promise<ResumedRun> {
	const data = waiting.data;
	const waitNode = String(data.resultData.lastNodeExecuted);
	const stack = data.executionData!.nodeExecutionStack;
	if (stack[0]?.node.name !== waitNode) throw new Error(`the execution is not waiting at a form (next: ${stack[0]?.node.name}, last: ${waitNode})`);
	const runs = data.resultData.runData[waitNode];
	runs.pop();
	if (runs.length === 0) delete data.resultData.runData[waitNode];
	const resumedJson = structuredClone(workflowJson);
	for (const node of resumedJson.nodes) if (node.name === waitNode) node.disabled = true;
	stack[0] = { ...stack[0], node: { ...stack[0].node, disabled: true }, data: { main: [[{ json: answer }]] } };
	data.waitTill = undefined;
	const workflow = buildWorkflow(resumedJson, nodeTypes, {});
	const recorder = createHooks(resumedJson, 'webhook', executionId);
	const { additionalData } = harnessAdditionalData(resumedJson, { credentials: sb.credentials, nodeTypes }, executionId, recorder);
	const run = await new WorkflowExecute(additionalData, 'webhook', data).processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	return {
		status: run.status,
		run,
		executedNodes: recorder.executedNodes,
		nodeOutput: (name, outputIndex = 0) => (runData[name]?.[0]?.data?.main?.[outputIndex] ?? []).map((item) => item.json),
		ran: (name) => Boolean(runData[name]),
		errorMessage: run.data.resultData.error?.message,
	};
}

/** The academy app's write through the Super Admin fake: 201 { database } or 423 while read-only. */
export async function appWrite(sb: Sandbox, tenantId: string, code: string): Promise<{ status: number; body: any }> {
	const response = await fetch(`${sb.urls.superAdmin}/v1/tenants/${tenantId}/app/courses`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${sb.credentials.superAdminApi.apiKey}` },
		body: JSON.stringify({ code, title: `Course ${code}` }),
	});
	return { status: response.status, body: await response.json() };
}
