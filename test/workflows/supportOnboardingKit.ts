/**
 * What the support-onboarding tests share: the self-service stack (the sandbox with a receiver registered as a Stripe
 * webhook endpoint), the support product's prices, a purchase posted to the template's webhook, n8n's Form Trigger and
 * Wait nodes registered, and a resume of an execution waiting in a send-and-wait node the way n8n's waiting webhooks
 * do it (the node disabled, the webhook's items on it, the run continued).
 */
import { randomBytes } from 'node:crypto';
import { WorkflowExecute } from 'n8n-core';
import type { ExecutionStatus, INodeExecutionData, IRunData } from 'n8n-workflow';
import { baseNodeTypes, harnessNodeTypes, runWebhook, type HarnessNodeTypes, type HarnessOptions, type WorkflowJson, type WorkflowRunResult } from '../harness';
import { buildWorkflow, createHooks, harnessAdditionalData } from '../harness/workflow';
import { openSelfServiceStack, type SelfServiceStack } from './selfServiceKit';

export const PURCHASE_TOKEN = { name: 'X-Q2C-Support-Token', value: `sup_test_${randomBytes(8).toString('hex')}` };

export interface Purchase {
	purchaseId: string;
	name: string;
	email: string;
	preferredEmail: string;
	company: string;
	billingCycle: string;
	address: Record<string, string>;
	contacts: Array<{ name: string; email: string; role?: string }>;
}

/** The sandbox's DocuSign helpers these tests use beyond the self-service type (see sandbox/README.md). */
export type SupportSandbox = SelfServiceStack['sb'] & {
	envelopesFor(businessKey: string): Array<Record<string, any>>;
	transitionEnvelope(envelopeId: string, event: string): Promise<unknown>;
	connectDelivery(event: string, envelopeId: string): { headers: Record<string, string>; rawBody: string };
};

export interface SupportStack extends SelfServiceStack {
	sb: SupportSandbox;
	nodeTypes: HarnessNodeTypes;
	credentials: NonNullable<HarnessOptions['credentials']>;
	newPurchase(overrides?: Partial<Purchase>): Purchase;
	post(workflow: WorkflowJson, body: unknown, headers?: Record<string, string>): ReturnType<typeof runWebhook>;
	/** A support request (repair / troubleshoot) SysOps logged on the platform: the 360's history. */
	logSupportRequest(customerKey: string, kind: 'repair' | 'troubleshoot', summary: string): Promise<void>;
}

let nodeTypes: HarnessNodeTypes | undefined;

export async function openSupportStack(): Promise<SupportStack> {
	const stack = await openSelfServiceStack();
	const product = await stack.stripe.products.create({ name: 'SysOps Support' });
	for (const [lookupKey, interval, amount] of [['support_monthly', 'month', 4900], ['support_yearly', 'year', 49000]] as const) {
		await stack.stripe.prices.create({ product: product.id, currency: 'gbp', unit_amount: amount, recurring: { interval }, lookup_key: lookupKey, transfer_lookup_key: true });
	}
	const credentials = { ...stack.sb.credentials, httpHeaderAuth: PURCHASE_TOKEN, reportingRedisApi: { host: '127.0.0.1', port: 6379, database: 0 } };
	nodeTypes ??= harnessNodeTypes(baseNodeTypes(['formTrigger', 'wait']));
	return Object.assign(stack as SelfServiceStack & { sb: SupportSandbox }, {
		nodeTypes,
		credentials,
		newPurchase(overrides: Partial<Purchase> = {}): Purchase {
			const suffix = randomBytes(4).toString('hex');
			return {
				purchaseId: `support-${suffix}`,
				name: 'Dana Buyer',
				email: `buyer-${suffix}@acme.test`,
				preferredEmail: `inbox-${suffix}@acme.test`,
				company: `Acme ${suffix}`,
				billingCycle: 'monthly',
				address: { line1: '1 High Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' },
				contacts: [{ name: 'Olu Ops', email: `ops-${suffix}@acme.test`, role: 'operations' }],
				...overrides,
			};
		},
		post: (workflow: WorkflowJson, body: unknown, headers: Record<string, string> = { [PURCHASE_TOKEN.name.toLowerCase()]: PURCHASE_TOKEN.value }) =>
			runWebhook(workflow, 'Purchase', { method: 'POST', headers, body }, { credentials, nodeTypes }),
		async logSupportRequest(customerKey: string, kind: 'repair' | 'troubleshoot', summary: string) {
			const response = await fetch(`${stack.sb.urls.superAdmin}/v1/customers/${encodeURIComponent(customerKey)}/support-requests`, {
				method: 'POST',
				headers: { authorization: `Bearer ${stack.sb.credentials.superAdminApi.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ kind, summary }),
			});
			if (response.status !== 201) throw new Error(`support request not logged: ${response.status} ${await response.text()}`);
		},
	});
}

export interface ResumedRun {
	status: ExecutionStatus;
	error?: unknown;
	runData: IRunData;
	executedNodes: string[];
	nodeOutput(name: string): Array<Record<string, any>>;
}

/**
 * Continues an execution that a send-and-wait node put to wait, with the items its webhook returned (what n8n's
 * WaitingWebhooks does after checking the link's signature: the waiting node is disabled so it passes them on).
 */
export async function resumeWaiting(workflowJson: WorkflowJson, waiting: WorkflowRunResult, items: INodeExecutionData[][], options: HarnessOptions): Promise<ResumedRun> {
	const data = waiting.run.data;
	const entry = data.executionData!.nodeExecutionStack[0];
	entry.node.disabled = true;
	entry.data.main = items;
	entry.metadata = { ...entry.metadata, forwardAllOutputs: true } as typeof entry.metadata;
	data.waitTill = undefined;
	const workflow = buildWorkflow(workflowJson, options.nodeTypes!, waiting.staticData);
	const recorder = createHooks(workflowJson, 'webhook', waiting.executionId);
	const { additionalData } = harnessAdditionalData(workflowJson, options, waiting.executionId, recorder);
	const run = await new WorkflowExecute(additionalData, 'webhook', data).processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	return {
		status: run.status,
		error: run.data.resultData.error,
		runData,
		executedNodes: recorder.executedNodes,
		nodeOutput: (name) => (runData[name]?.at(-1)?.data?.main?.[0] ?? []).map((item) => item.json),
	};
}
