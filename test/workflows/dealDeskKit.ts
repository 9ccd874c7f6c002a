/**
 * What the deal-desk template tests share: the sandbox (SMTP sink, Salesforce, DocuSign), a RevOps config credential
 * on the built-in engine, the quote posted to the template's webhook, and the two ways an execution waiting in the
 * send-and-wait node goes on in n8n: the approver submits the emailed form (the node's webhook turns the multipart
 * POST into its output, the node is disabled and the run continues), or the wait time runs out (the engine disables
 * the node itself, so it passes its input on without `data`).
 */
import { randomBytes } from 'node:crypto';
import { Container } from '@n8n/di';
import { InstanceSettings, validateUrlSignature, WebhookContext, WorkflowExecute } from 'n8n-core';
import type { ExecutionStatus, IDataObject, IHttpRequestMethods, INodeExecutionData, INodeType, IRun, IWebhookData } from 'n8n-workflow';
import { runWebhook, type HarnessOptions, type WorkflowJson } from '../harness';
import { CapturedResponse } from '../harness/http-fakes';
import { buildWorkflow, createHooks, harnessAdditionalData, resolveNodeTypes, workflowIdentity } from '../harness/workflow';
import { template, type Sandbox } from './context';

const { CRM_FIELDS } = require('../../sandbox/quoteToCash');

export const DEAL_DESK_TOKEN = { name: 'X-Q2C-Deal-Desk-Token', value: `dd_test_${randomBytes(8).toString('hex')}` };
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const ASK = 'Ask Approver';

/** The shipped template with Config values replaced (a shallow merge per top-level key), as an operator edits it. */
export function dealDeskTemplate(patch: Record<string, unknown> = {}): WorkflowJson {
	const copy = structuredClone(template('deal-desk.json'));
	const config = copy.nodes.find((node) => node.name === 'Config')!;
	const values = JSON.parse(String(config.parameters.jsonOutput));
	for (const [key, value] of Object.entries(patch)) values[key] = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...values[key], ...value } : value;
	config.parameters.jsonOutput = JSON.stringify(values);
	return copy;
}

/** Where an execution stands: a run that ended, or one waiting for an approver. */
export interface DealDeskRun {
	status: ExecutionStatus;
	error?: unknown;
	executionId: string;
	staticData: IDataObject;
	run: IRun;
	/** Nodes this part of the execution ran. */
	executedNodes: string[];
	/** json of a node's items in its last run (output 0), [] if it never ran. */
	nodeOutput(name: string): Array<Record<string, any>>;
}

function asDealDeskRun(run: IRun, executionId: string, staticData: IDataObject, executedNodes: string[]): DealDeskRun {
	const runData = run.data.resultData.runData;
	return {
		status: run.status,
		error: run.data.resultData.error,
		executionId,
		staticData,
		run,
		executedNodes,
		nodeOutput: (name) => (runData[name]?.at(-1)?.data?.main?.[0] ?? []).map((item) => item.json),
	};
}

export interface Quote {
	id: string;
	opportunity_id: string;
	segment: string;
	list_price_total: number;
	discount_percentage: number;
	term_length_months: number;
	has_non_standard_terms: boolean;
	non_standard_terms?: string[];
	product_mix?: string[];
}

export function newQuote(overrides: Partial<Quote> = {}): Quote {
	const suffix = randomBytes(4).toString('hex');
	return { id: `Q-${suffix}`, opportunity_id: `OPP-${suffix}`, segment: 'smb', list_price_total: 40000, discount_percentage: 0.35, term_length_months: 12, has_non_standard_terms: false, ...overrides };
}

/** An open Salesforce opportunity carrying what quote-to-cash reads once it is won (signer, term, plan). */
export function openOpportunity(sb: Sandbox & Record<string, any>): string {
	const f = CRM_FIELDS.salesforce;
	const opportunity = sb.crm.salesforce.seedOpportunity({
		Name: 'Acme platform deal',
		Amount: 26000,
		CurrencyIsoCode: 'USD',
		[f.signerName]: 'Dana Buyer',
		[f.signerEmail]: 'dana.buyer@acme.example',
		[f.termMonths]: 12,
		[f.country]: 'US',
		[f.plan]: 'professional',
		[f.envelopeId]: '',
		[f.signatureStatus]: '',
		[f.subscriptionId]: '',
		[f.tenantId]: '',
	});
	return String(opportunity.Id);
}

export const SUBMITTER = { id: 'user:ae-7', role: 'ae', email: 'ae-7@example.com' };

export class DealDesk {
	readonly options: HarnessOptions;

	constructor(
		readonly sb: Sandbox & Record<string, any>,
		readonly workflow: WorkflowJson = dealDeskTemplate(),
	) {
		this.options = {
			// The sandbox's RevOps credential: the default profile on the built-in engine, as the stack imports it.
			credentials: { ...sb.credentials, httpHeaderAuth: DEAL_DESK_TOKEN },
		};
	}

	/** POST /webhook/q2c-deal-desk-quote: the HTTP answer and, when it started, the execution. */
	async submit(body: unknown, headers: Record<string, string> = { [DEAL_DESK_TOKEN.name.toLowerCase()]: DEAL_DESK_TOKEN.value }) {
		const { response, run } = await runWebhook(this.workflow, 'Quote Submitted', { method: 'POST', headers, body }, this.options);
		return { response: response as { status: number; body: any }, run: run && asDealDeskRun(run.run, run.executionId, run.staticData, run.executedNodes) };
	}

	/** GET /webhook/q2c-deal-desk-evidence?… */
	async evidence(query: Record<string, string>) {
		const { response } = await runWebhook(this.workflow, 'Evidence Requested', { method: 'GET', headers: { [DEAL_DESK_TOKEN.name.toLowerCase()]: DEAL_DESK_TOKEN.value }, query }, this.options);
		return response as { status: number; body: any };
	}

	/** The mails an address received, oldest first. */
	mailTo(address: string): Array<Record<string, any>> {
		return this.sb.mail.messages().filter((message) => String(message.to).includes(address));
	}

	/**
	 * The approver opens the form link of their latest email (its signature checked as n8n does, and naming this
	 * execution) and submits it: Decision, Comment, Counter discount %.
	 */
	async answer(waiting: DealDeskRun, approver: string, decision: 'Approve' | 'Reject' | 'Counter-propose', comment = '', counterPercent = ''): Promise<DealDeskRun> {
		const mail = this.mailTo(approver).at(-1);
		if (!mail) throw new Error(`no mail to ${approver}`);
		const links = [...String(mail.text).matchAll(/href="([^"]+)"/g)].map((match) => new URL(match[1].replace(/&amp;/g, '&')));
		const link = links.find((url) => url.pathname.startsWith('/webhook-waiting/'));
		if (!link) throw new Error(`no form link in the mail to ${approver}`);
		if (!link.pathname.includes(`/${waiting.executionId}/`)) throw new Error(`the mail to ${approver} is for another execution: ${link.pathname}`);
		if (!validateUrlSignature(link.searchParams.get('signature')!, link, Container.get(InstanceSettings).hmacSignatureSecret)) throw new Error('unsigned link');
		const items = await this.submitForm(waiting, Object.fromEntries(link.searchParams.entries()), [decision, comment, counterPercent]);
		return this.resume(waiting, items);
	}

	/** The wait time ran out before anyone answered. */
	async timeOut(waiting: DealDeskRun): Promise<DealDeskRun> {
		if (waiting.status !== 'waiting' || !waiting.run.data.waitTill) throw new Error('the execution is not waiting');
		return this.resume(waiting);
	}

	/** The multipart POST of the form, through the node's own webhook(); returns the items it hands the run. */
	private async submitForm(waiting: DealDeskRun, query: IDataObject, values: string[]): Promise<INodeExecutionData[][]> {
		const nodeTypes = resolveNodeTypes(this.options);
		const workflow = buildWorkflow(this.workflow, nodeTypes, waiting.staticData);
		const node = workflow.getNode(ASK)!;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
		const { additionalData } = harnessAdditionalData(this.workflow, this.options, waiting.executionId);
		const headers = { 'content-type': 'multipart/form-data; boundary=q2c', 'user-agent': BROWSER };
		const body = { data: Object.fromEntries(values.map((value, index) => [`field-${index}`, value])), files: {} };
		const request = { method: 'POST', contentType: 'multipart/form-data', headers, body, query, params: {}, url: '/webhook-waiting', path: '/webhook-waiting', header: (name: string) => headers[name.toLowerCase() as keyof typeof headers], get: (name: string) => headers[name.toLowerCase() as keyof typeof headers] };
		additionalData.httpRequest = request as unknown as NonNullable<typeof additionalData.httpRequest>;
		additionalData.httpResponse = new CapturedResponse() as unknown as NonNullable<typeof additionalData.httpResponse>;
		const webhookData: IWebhookData = {
			httpMethod: 'POST' as IHttpRequestMethods,
			node: node.name,
			path: node.id,
			webhookDescription: nodeType.description.webhooks!.find((hook) => hook.httpMethod === 'POST')!,
			workflowId: workflowIdentity(this.workflow).id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], waiting.run.data);
		const result = await nodeType.webhook!.call(context);
		if (!result.workflowData) throw new Error('the form answer did not resume the execution');
		return result.workflowData;
	}

	/**
	 * Continues the waiting execution: with the form's items as n8n's waiting webhooks do (the node's last run dropped,
	 * the node disabled so the items pass through it), or, without items, as the wait tracker does when time is up.
	 */
	private async resume(waiting: DealDeskRun, items?: INodeExecutionData[][]): Promise<DealDeskRun> {
		const data = waiting.run.data;
		if (items) {
			const entry = data.executionData!.nodeExecutionStack[0];
			entry.node = { ...entry.node, disabled: true };
			entry.data.main = items;
			data.waitTill = undefined;
			data.resultData.runData[data.resultData.lastNodeExecuted!]?.pop();
		}
		const workflow = buildWorkflow(this.workflow, resolveNodeTypes(this.options), waiting.staticData);
		const recorder = createHooks(this.workflow, 'webhook', waiting.executionId);
		const { additionalData } = harnessAdditionalData(this.workflow, this.options, waiting.executionId, recorder);
		const run = await new WorkflowExecute(additionalData, 'webhook', data).processRunExecutionData(workflow);
		return asDealDeskRun(run, waiting.executionId, waiting.staticData, recorder.executedNodes);
	}
}
