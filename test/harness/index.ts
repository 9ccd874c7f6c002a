/**
 * In-process workflow test harness: runs workflow JSON (our nodes + real n8n-nodes-base nodes) with
 * n8n-core's engine, delivers webhooks to trigger nodes, runs error workflows, and sinks SMTP mail.
 *
 * @example
 * const sink = await startSmtpSink();
 * const run = await runWorkflow(template, {
 * 	startData: [{ orderId: 'O-1' }],                      // what the trigger emits
 * 	credentials: { smtp: sink.credentials, vmfApi: { apiKey: 'k' } },
 * 	executionId: 'exec-1',                               // $execution.id
 * });
 * expect(run.status).toBe('success');
 * expect(run.nodeOutput('Create Subscription')[0]).toMatchObject({ ... });
 */
import './bootstrap';

export * from './types';
export {
	createNodeTypes,
	ourNodeTypes,
	baseNodeTypes,
	harnessNodeTypes,
	ourCredentialTypes,
	baseCredentialTypes,
	harnessCredentialTypes,
	DEFAULT_BASE_NODES,
	DEFAULT_BASE_CREDENTIALS,
	type HarnessNodeTypes,
	type NodeTypeEntry,
	type NodeTypeMap,
} from './node-types';
export { HarnessCredentialsHelper, type CredentialRequest } from './credentials-helper';
export { createAdditionalData } from './additional-data';
export type { HarnessOptions } from './workflow';
export { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from './run-workflow';
export { deliverWebhook, runWebhook, type WebhookDelivery, type WebhookRequest, type WebhookRun } from './webhook';
export { runErrorWorkflow, buildErrorTriggerItem, serializeExecutionError, type ErrorWorkflowOptions } from './error-workflow';
export { startSmtpSink, parseMessage, type SinkMessage, type SmtpSink } from './smtp-sink';
