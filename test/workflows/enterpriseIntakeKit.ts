/**
 * What the enterprise-intake template tests share: the template pointed at a stand-in for the provisioning
 * workflow's webhook (it runs workflows/enterprise-provisioning.json in-process, so the intake's request is checked
 * against that template's real contract), the won deal delivered to the CRM Trigger, and the n8n form submitted as
 * n8n's webhook server hands it to the Form Trigger (multipart: `data` fields `field-<n>`, uploaded `files`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookContext } from 'n8n-core';
import { isNodeClassInstance, type IHttpRequestMethods, type INodeType, type IWebhookData } from 'n8n-workflow';
import { baseNodeTypes, harnessNodeTypes, runWebhook, runWorkflow, type WebhookRun, type WorkflowJson, type WorkflowRunResult } from '../harness';
import { CapturedResponse, createRequest } from '../harness/http-fakes';
import { buildWorkflow, harnessAdditionalData, nextExecutionId } from '../harness/workflow';
import { template, type Sandbox } from './context';
import { enterpriseTemplate, HEADER, startProvisioning } from './enterpriseKit';
import { withConfig } from './selfServiceKit';

export const FORM = 'Enterprise Intake Form';
export const SEED_MESSAGE = 'Enterprise contracts must have a minimum duration of 2 years.';
export const nodeTypes = harnessNodeTypes(baseNodeTypes(['wait', 'form', 'formTrigger']));

export type IntakeSandbox = Sandbox & {
	seedWonDeal(provider: 'salesforce' | 'hubspot', overrides?: Record<string, unknown>): { dealId: string; name: string; businessKey: string };
	crm: { salesforce: { outboundMessage(ids: string[]): { headers: Record<string, string>; rawBody: string; query: string } } };
};

export interface ProvisioningCall {
	token: string | undefined;
	body: Record<string, any>;
	answer: WebhookRun;
}

/** A loopback stand-in for n8n's production webhook of the provisioning template: each POST runs that template. */
export async function openProvisioningEndpoint(sb: Sandbox): Promise<{ url: string; calls: ProvisioningCall[]; close(): Promise<void> }> {
	const calls: ProvisioningCall[] = [];
	const workflow = enterpriseTemplate();
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const token = req.headers[HEADER.name.toLowerCase()] as string | undefined;
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
			startProvisioning(sb, workflow, body, { token: token ?? '' }).then(
				(answer) => {
					calls.push({ token, body, answer });
					res.writeHead(answer.response.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.response.body ?? {}));
				},
				(error: Error) => res.writeHead(500).end(error.message),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/q2c-enterprise-provisioning`;
	return { url, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The shipped template, with the provisioning webhook URL of this test run. */
export function intakeTemplate(provisioningUrl: string, patch: Record<string, unknown> = {}): WorkflowJson {
	return withConfig(template('enterprise-intake.json'), { provisioning: { webhookUrl: provisioningUrl }, ...patch });
}

/** The CRM's won-deal notification (Salesforce Outbound Message) to the template's CRM Trigger. */
export function dealWon(sb: IntakeSandbox, workflow: WorkflowJson, dealId: string, executionId?: string): Promise<WebhookRun> {
	const message = sb.crm.salesforce.outboundMessage([dealId]);
	const request = { method: 'POST', headers: message.headers, rawBody: message.rawBody, query: Object.fromEntries(new URLSearchParams(message.query)) };
	return runWebhook(workflow, 'CRM Trigger', request, { credentials: sb.credentials, nodeTypes, executionId });
}

export interface Upload {
	fileName: string;
	mimeType: string;
	data: Buffer;
}

export const pdf = (text = 'signed enterprise contract'): Upload => ({
	fileName: 'contract.pdf',
	mimeType: 'application/pdf',
	data: Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`, 'latin1'),
});

/** YYYY-MM-DD, `months` from today. */
export function monthsFromToday(months: number): string {
	const date = new Date();
	date.setMonth(date.getMonth() + months);
	return date.toISOString().slice(0, 10);
}

export interface FormSubmission {
	/** What the Form Trigger answered (undefined workflowData: n8n would start nothing). */
	started: boolean;
	run?: WorkflowRunResult;
	/** The Form Ending page the super admin would see: the title and message its Answer node set. */
	page?: { title: string; message: string };
}

/**
 * POSTs the form as n8n's webhook server hands it to the Form Trigger's webhook() (multipart parsed into `data` and
 * `files`, the upload in a temporary file), then runs the workflow with what the trigger returned.
 */
export async function submitForm(sb: Sandbox, workflow: WorkflowJson, answers: Record<string, string>, upload?: Upload, executionId = nextExecutionId({})): Promise<FormSubmission> {
	const formNode = workflow.nodes.find((node) => node.name === FORM)!;
	const fields = (formNode.parameters.formFields as { values: Array<{ fieldName: string }> }).values;
	const data: Record<string, string> = {};
	const files: Record<string, unknown> = {};
	fields.forEach((field, index) => {
		if (field.fieldName in answers) data[`field-${index}`] = answers[field.fieldName];
		if (field.fieldName === 'contract' && upload) {
			const filepath = join(mkdtempSync(join(tmpdir(), 'q2c-form-')), 'upload');
			writeFileSync(filepath, upload.data);
			files[`field-${index}`] = { filepath, originalFilename: upload.fileName, mimetype: upload.mimeType, size: upload.data.length };
		}
	});
	// The provisioning webhook's Header Auth credential: the HTTP Request sends what the webhook checks.
	const options = { credentials: { ...sb.credentials, httpHeaderAuth: HEADER }, nodeTypes, executionId };
	const workflowObject = buildWorkflow(workflow, nodeTypes, {});
	const node = workflowObject.getNode(FORM)!;
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const { additionalData } = harnessAdditionalData(workflow, options, executionId);
	const path = String((node.parameters.options as { path?: string }).path);
	const req = Object.assign(createRequest({ method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' }, body: { data, files } }, path), {
		contentType: 'multipart/form-data',
	});
	additionalData.httpRequest = req as unknown as NonNullable<typeof additionalData.httpRequest>;
	additionalData.httpResponse = new CapturedResponse() as unknown as NonNullable<typeof additionalData.httpResponse>;
	const description = nodeType.description.webhooks!.find((hook) => hook.name === 'default')!;
	const webhookData: IWebhookData = {
		httpMethod: 'POST' as IHttpRequestMethods,
		node: node.name,
		path,
		webhookDescription: description,
		workflowId: workflow.id ?? 'harness-workflow',
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
	const context = new WebhookContext(workflowObject, node, additionalData, 'webhook', webhookData, [], null);
	const result = isNodeClassInstance(nodeType) ? await nodeType.webhook!(context) : await nodeType.webhook!.call(context);
	if (!result.workflowData) return { started: false };
	const run = await runWorkflow(workflow, { ...options, startNode: FORM, startData: result.workflowData, mode: 'webhook' });
	const ended = run.runData['Form Ending'] ? run.nodeOutput('Form Ending')[0] : undefined;
	return { started: true, run, page: ended ? { title: String(ended.formTitle), message: String(ended.formMessage) } : undefined };
}

/** The form link the super admin was emailed, and the answers it prefills (n8n fills fields named like its query). */
export function formLinkIn(text: string): { url: URL; prefilled: Record<string, string> } {
	const match = /https?:\/\/\S+\/form\/q2c-enterprise-intake\?\S+/.exec(text);
	if (!match) throw new Error(`no intake form link in: ${text}`);
	const url = new URL(match[0]);
	return { url, prefilled: Object.fromEntries(url.searchParams.entries()) };
}
