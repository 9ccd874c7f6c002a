/**
 * What the lead-routing template tests share: the Salesforce fake and an SMTP sink on loopback, the RevOps Config
 * credential, the webhook call and the CSV form submission as n8n's webhook server hands them over, and the SLA
 * watches the template starts by calling itself (Execute Workflow, not waited for). Each watch runs in-process up to
 * its Wait node, which stores it as a waiting execution (the deadline is minutes away); `passDeadline` then resumes it
 * the way n8n's wait tracker does at the deadline (WorkflowExecute on the stored execution data).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookContext, WorkflowExecute } from 'n8n-core';
import { isNodeClassInstance, type IDataObject, type IHttpRequestMethods, type INodeType, type IRun, type IWebhookData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { baseNodeTypes, harnessNodeTypes, runWebhook, runWorkflow, startSmtpSink, type CredentialsMap, type SmtpSink, type WebhookRun, type WorkflowJson, type WorkflowRunResult } from '../harness';
import { CapturedResponse, createRequest } from '../harness/http-fakes';
import { buildWorkflow, createHooks, harnessAdditionalData, nextExecutionId } from '../harness/workflow';
import { template } from './context';
import { withConfig } from './selfServiceKit';

const { createSalesforceFake } = require('../../sandbox/salesforce');

export const WEBHOOK = 'Lead Webhook';
export const FORM = 'Lead CSV Upload';
export const CALLED = 'Called by This Workflow';
export const CRM_TRIGGER = 'CRM New Lead';
export const HEADER = { name: 'X-Q2C-Lead-Token', value: 'test-lead-token-12' };
export const nodeTypes = harnessNodeTypes(baseNodeTypes(['wait', 'form', 'formTrigger']));

/** The RevOps Config credential: the default profile (territories, enterprise teams, SDR pool, SLA minutes). */
export const revOps = (config: Record<string, unknown> = {}) => ({ tenant: 'acme', profile: 'default', config: JSON.stringify(config), engine: 'builtin' });

export interface Vendors {
	salesforce: any;
	smtp: SmtpSink;
	close(): Promise<void>;
}

export async function openVendors(): Promise<Vendors> {
	const salesforce = createSalesforceFake();
	await salesforce.listen();
	const smtp = await startSmtpSink();
	return { salesforce, smtp, close: async () => void (await Promise.all([salesforce.close(), smtp.close()])) };
}

/** One SLA watch the template started: the inputs it was called with, and its execution (waiting at the deadline). */
export interface Watch {
	input: IDataObject;
	run: WorkflowRunResult;
}

/** A test's world: the template (with Config patched), credentials, and the SLA watches started so far. */
export class LeadRouting {
	readonly watches: Watch[] = [];
	/** The routing executions the form started (the call of this workflow with purpose route_upload). */
	readonly uploads: WorkflowRunResult[] = [];
	readonly workflow: WorkflowJson;

	constructor(
		private readonly vendors: Vendors,
		configPatch: Record<string, unknown>,
		private readonly revOpsConfig: Record<string, unknown> = {},
	) {
		this.workflow = withConfig(template('lead-routing.json'), configPatch);
	}

	get credentials(): CredentialsMap {
		return {
			...this.vendors.salesforce.credentials(),
			smtp: this.vendors.smtp.credentials,
			httpHeaderAuth: HEADER,
			revOpsConfigApi: revOps(this.revOpsConfig),
		};
	}

	/**
	 * n8n's executeWorkflow for the template calling itself (its trigger passes items through): the upload's routing is
	 * run and its last node's output returned; each SLA watch is started and kept (n8n does not wait for it either).
	 */
	private executeWorkflow: IWorkflowExecuteAdditionalData['executeWorkflow'] = async (info, _additionalData, options) => {
		if (info.id !== this.workflow.id) throw new Error(`unexpected sub-workflow ${info.id}`);
		const items = options.inputData ?? [];
		const run = (executionId: string, startData: typeof items) =>
			runWorkflow(this.workflow, { startNode: CALLED, startData, credentials: this.credentials, nodeTypes, executionId, mode: 'integrated', executeWorkflow: this.executeWorkflow });
		if (items.every((item) => item.json.purpose === 'sla_watch')) {
			const executionId = `watch-${this.watches.length + 1}`;
			this.watches.push({ input: items[0].json, run: await run(executionId, items) });
			return { executionId, data: [null] } as never;
		}
		const routing = await run(nextExecutionId({}), items);
		this.uploads.push(routing);
		if (routing.status !== 'success') throw routing.error ?? new Error(`the upload's routing ended ${routing.status}`);
		return { executionId: routing.executionId, data: [routing.nodeItems(routing.lastNodeExecuted!)] };
	};

	/** POST /webhook/q2c-leads with the header token (`token: ''` sends none). */
	postLead(body: Record<string, unknown>, options: { query?: Record<string, string>; token?: string } = {}): Promise<WebhookRun> {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (options.token !== '') headers[HEADER.name.toLowerCase()] = options.token ?? HEADER.value;
		const request = { method: 'POST', headers, rawBody: JSON.stringify(body), query: options.query ?? {} };
		return runWebhook(this.workflow, WEBHOOK, request, { credentials: this.credentials, nodeTypes, executeWorkflow: this.executeWorkflow });
	}

	/** Salesforce's Outbound Message on Lead for these leads (the fake builds it with the credential's token) to the CRM trigger. */
	salesforceNewLeads(leadIds: string[], options: { notificationIds?: string[] } = {}): Promise<WebhookRun> {
		const message = this.vendors.salesforce.outboundMessage(leadIds, options);
		const request = { method: 'POST', headers: message.headers, rawBody: message.rawBody, query: Object.fromEntries(new URLSearchParams(message.query)) };
		return runWebhook(this.workflow, CRM_TRIGGER, request, { credentials: this.credentials, nodeTypes, executeWorkflow: this.executeWorkflow });
	}

	/** The CSV submitted on the form (multipart: the file in a temporary file, as n8n's form parser leaves it). */
	async uploadCsv(csv: string, fileName = 'leads.csv'): Promise<{ run: WorkflowRunResult; routing?: WorkflowRunResult; page?: { title: string; message: string } }> {
		const formNode = this.workflow.nodes.find((node) => node.name === FORM)!;
		const fields = (formNode.parameters.formFields as { values: Array<{ fieldName: string }> }).values;
		const filepath = join(mkdtempSync(join(tmpdir(), 'q2c-leads-')), 'upload');
		writeFileSync(filepath, csv);
		const files = { [`field-${fields.findIndex((field) => field.fieldName === 'leads')}`]: { filepath, originalFilename: fileName, mimetype: 'text/csv', size: Buffer.byteLength(csv) } };
		const executionId = nextExecutionId({});
		const options = { credentials: this.credentials, nodeTypes, executionId, executeWorkflow: this.executeWorkflow };
		const workflow = buildWorkflow(this.workflow, nodeTypes, {});
		const node = workflow.getNode(FORM)!;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
		const { additionalData } = harnessAdditionalData(this.workflow, options, executionId);
		const path = String((node.parameters.options as { path: string }).path);
		const headers = { 'content-type': 'multipart/form-data; boundary=x', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' };
		additionalData.httpRequest = Object.assign(createRequest({ method: 'POST', headers, body: { data: {}, files } }, path), { contentType: 'multipart/form-data' }) as never;
		additionalData.httpResponse = new CapturedResponse() as never;
		const webhookData: IWebhookData = {
			httpMethod: 'POST' as IHttpRequestMethods,
			node: node.name,
			path,
			webhookDescription: nodeType.description.webhooks!.find((hook) => hook.name === 'default')!,
			workflowId: this.workflow.id!,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
		const result = isNodeClassInstance(nodeType) ? await nodeType.webhook!(context) : await nodeType.webhook!.call(context);
		if (!result.workflowData) throw new Error('the form trigger started nothing');
		const run = await runWorkflow(this.workflow, { ...options, startNode: FORM, startData: result.workflowData, mode: 'webhook' });
		const ending = run.runData['Form Ending'] ? run.nodeOutput('Form Ending')[0] : undefined;
		return { run, routing: this.uploads.at(-1), page: ending ? { title: String(ending.formTitle), message: String(ending.formMessage) } : undefined };
	}

	/** The deadline passed: n8n's wait tracker resumes the watch's stored execution (its Wait node passes through). */
	async passDeadline(watch: Watch): Promise<{ status: string; executedNodes: string[]; run: IRun; nodeOutput(name: string): IDataObject[] }> {
		if (watch.run.status !== 'waiting') throw new Error(`the watch is not waiting (status ${watch.run.status})`);
		const data = structuredClone(watch.run.run.data);
		const workflow = buildWorkflow(this.workflow, nodeTypes, {});
		const recorder = createHooks(this.workflow, 'trigger', watch.run.executionId);
		const { additionalData } = harnessAdditionalData(this.workflow, { credentials: this.credentials, nodeTypes }, watch.run.executionId, recorder);
		const run = await new WorkflowExecute(additionalData, 'trigger', data).processRunExecutionData(workflow);
		const runData = run.data.resultData.runData;
		return {
			status: run.status,
			executedNodes: recorder.executedNodes,
			run,
			nodeOutput: (name) => (runData[name]?.at(-1)?.data?.main?.[0] ?? []).map((item) => item.json),
		};
	}
}
