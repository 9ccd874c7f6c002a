/**
 * Delivers an HTTP request to a trigger node's `webhook()` through n8n-core's real WebhookContext,
 * and optionally runs the workflow with what the trigger returned.
 */
import './bootstrap';
import { WebhookContext } from 'n8n-core';
import { isNodeClassInstance } from 'n8n-workflow';
import type {
	IDataObject,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { CapturedResponse, createRequest, type WebhookRequest } from './http-fakes';
import { runWorkflow, type WorkflowRunResult } from './run-workflow';
import type { WorkflowJson } from './types';
import {
	assertKnownTypes,
	buildWorkflow,
	findNode,
	harnessAdditionalData,
	type HarnessOptions,
	nextExecutionId,
	resolveNodeTypes,
	workflowIdentity,
} from './workflow';

export type { WebhookRequest } from './http-fakes';

export interface WebhookDelivery {
	/** HTTP status the caller would get (for responseMode lastNode/responseNode see runWebhook). */
	status: number;
	/** What was sent: the node's own res.json/send/end, else webhookResponse, else n8n's default message. */
	body: unknown;
	headers: Record<string, string>;
	/** True when the node wrote the response itself through getResponseObject(). */
	responded: boolean;
	/** Items the trigger hands to the workflow; undefined means the workflow would not start. */
	workflowData?: INodeExecutionData[][];
	webhookResponse?: unknown;
	noWebhookResponse: boolean;
	/** The node's `responseMode` parameter (n8n default 'onReceived'). */
	responseMode: string;
	/** Thrown by webhook(); status is then 500 like n8n. */
	error?: Error;
	staticData: IDataObject;
}

export async function deliverWebhook(
	workflowJson: WorkflowJson,
	triggerNodeName: string,
	request: WebhookRequest,
	options: HarnessOptions = {},
): Promise<WebhookDelivery> {
	const nodeTypes = resolveNodeTypes(options);
	assertKnownTypes(workflowJson, nodeTypes);
	const jsonNode = findNode(workflowJson, triggerNodeName);
	const nodeType = nodeTypes.getByNameAndVersion(jsonNode.type, jsonNode.typeVersion) as INodeType;
	if (typeof nodeType.webhook !== 'function') throw new Error(`[harness] node "${triggerNodeName}" has no webhook() method`);

	const staticData = options.staticData ?? (workflowJson.staticData ? structuredClone(workflowJson.staticData) : {});
	const workflow = buildWorkflow(workflowJson, nodeTypes, staticData);
	const node = workflow.getNode(triggerNodeName)!;
	const webhookName = request.webhookName ?? 'default';
	const description = nodeType.description.webhooks?.find((hook) => hook.name === webhookName) ?? nodeType.description.webhooks?.[0];
	if (!description) throw new Error(`[harness] node "${triggerNodeName}" declares no webhooks in its description`);

	const { additionalData } = harnessAdditionalData(workflowJson, options, nextExecutionId(options));
	const path = node.webhookId ?? String(node.parameters.path ?? triggerNodeName);
	const req = createRequest(request, path);
	const res = new CapturedResponse();
	additionalData.httpRequest = req as unknown as NonNullable<typeof additionalData.httpRequest>;
	additionalData.httpResponse = res as unknown as NonNullable<typeof additionalData.httpResponse>;
	const webhookData: IWebhookData = {
		httpMethod: req.method as IHttpRequestMethods,
		node: node.name,
		path,
		webhookDescription: description,
		workflowId: workflowIdentity(workflowJson).id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
	const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
	const responseMode = String(node.parameters.responseMode ?? 'onReceived');

	let result: IWebhookResponseData;
	try {
		// Class-style nodes (extending n8n's `Node`) take the context as an argument, like n8n calls them.
		result = isNodeClassInstance(nodeType) ? await nodeType.webhook(context) : await nodeType.webhook.call(context);
	} catch (error) {
		const failure = error as Error;
		return {
			status: 500,
			body: { code: 0, message: failure.message },
			headers: res.headers,
			responded: false,
			noWebhookResponse: false,
			responseMode,
			error: failure,
			staticData,
		};
	}
	return {
		...describeResponse(result, res, responseMode),
		headers: res.headers,
		responded: res.finished,
		workflowData: result.workflowData,
		webhookResponse: result.webhookResponse,
		noWebhookResponse: result.noWebhookResponse === true,
		responseMode,
		staticData,
	};
}

/** The response n8n's webhook helper would send, given what webhook() did. */
function describeResponse(result: IWebhookResponseData, res: CapturedResponse, responseMode: string): { status: number; body: unknown } {
	if (res.finished) return { status: res.statusCode, body: res.body };
	if (result.webhookResponse !== undefined) return { status: 200, body: result.webhookResponse };
	if (result.workflowData === undefined) return { status: 200, body: { message: 'Webhook call received' } };
	if (responseMode === 'onReceived') return { status: 200, body: { message: 'Workflow was started' } };
	// lastNode / responseNode: only known after the run (runWebhook fills it in).
	return { status: 0, body: undefined };
}

export interface WebhookRun {
	delivery: WebhookDelivery;
	/** The workflow run, when the trigger returned workflowData. */
	run?: WorkflowRunResult;
	/** Final HTTP answer, including Respond to Webhook / last-node responses. */
	response: { status: number; body: unknown; headers: Record<string, string> };
}

/** deliverWebhook, then (if the trigger returned workflowData) run the workflow from that trigger. */
export async function runWebhook(
	workflowJson: WorkflowJson,
	triggerNodeName: string,
	request: WebhookRequest,
	options: HarnessOptions = {},
): Promise<WebhookRun> {
	const delivery = await deliverWebhook(workflowJson, triggerNodeName, request, options);
	const immediate = { status: delivery.status, body: delivery.body, headers: delivery.headers };
	if (!delivery.workflowData) return { delivery, response: immediate };

	const run = await runWorkflow(workflowJson, {
		...options,
		staticData: delivery.staticData,
		startNode: triggerNodeName,
		startData: delivery.workflowData,
		mode: 'webhook',
	});
	if (delivery.responseMode === 'responseNode' && !delivery.responded) {
		const sent = run.responses[0];
		const response = sent
			? { status: Number(sent.statusCode ?? 200), body: sent.body as unknown, headers: (sent.headers as Record<string, string>) ?? {} }
			: { status: 500, body: { message: 'No item to return was found' }, headers: {} };
		return { delivery, run, response };
	}
	if (delivery.responseMode === 'lastNode' && !delivery.responded) {
		const lastNode = run.lastNodeExecuted;
		const first = lastNode && run.status === 'success' ? run.nodeOutput(lastNode)[0] : undefined;
		const response = run.status === 'success'
			? { status: 200, body: first ?? {}, headers: {} }
			: { status: 500, body: { message: 'Error in workflow' }, headers: {} };
		return { delivery, run, response };
	}
	return { delivery, run, response: immediate };
}
