import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { isConnectorError, redact, registerSecret } from '../../connectors/core';
import {
	GITLAB_EVENT_HEADER,
	verifyGitlabPipelineWebhook,
	verifyTerraformWebhook,
	type GitlabPipelineEvent,
	type TerraformNotificationEvent,
	type WebhookRequest,
} from '../../connectors/provisioning/pipeline';
import { dedupeSettings, dedupeStores, rawBodyOf, refuseOversized, replyJson as reply, text, type DedupeOptions } from '../shared/webhookTrigger';
import {
	DEFAULT_GITLAB_STATUSES,
	DEFAULT_TERRAFORM_TRIGGERS,
	GITLAB_WEBHOOK_CREDENTIAL,
	MAX_PROVISIONING_DELIVERY_BYTES,
	TERRAFORM_WEBHOOK_CREDENTIAL,
	type ProvisioningSource,
} from './sources';

export { dedupeStores };

type ProvisioningEvent = GitlabPipelineEvent | TerraformNotificationEvent;

const SOURCE_NAMES: Record<ProvisioningSource, string> = { gitlab: 'GitLab', terraform: 'HCP Terraform' };

/** Current and previous secret (rotation). A credential that cannot be loaded counts as none: every delivery gets 401. */
async function secretsOf(context: IWebhookFunctions, source: ProvisioningSource): Promise<(string | undefined)[]> {
	try {
		if (source === 'gitlab') {
			const credentials = await context.getCredentials(GITLAB_WEBHOOK_CREDENTIAL);
			return [text(credentials.secretToken), text(credentials.previousSecretToken)];
		}
		const credentials = await context.getCredentials(TERRAFORM_WEBHOOK_CREDENTIAL);
		return [text(credentials.notificationToken), text(credentials.previousNotificationToken)];
	} catch (error) {
		context.logger?.error(`Provisioning Trigger could not load its ${SOURCE_NAMES[source]} webhook credential`, { error: redact(String(error)) });
		return [];
	}
}

function verify(context: IWebhookFunctions, source: ProvisioningSource, secrets: (string | undefined)[]): ProvisioningEvent {
	const request: WebhookRequest = {
		headers: context.getHeaderData() as WebhookRequest['headers'],
		rawBody: rawBodyOf(context),
		body: context.getBodyData(),
	};
	if (source === 'gitlab') return verifyGitlabPipelineWebhook(request, { secrets });
	// The signature covers the exact bytes: never fall back to n8n's re-serialised body.
	return verifyTerraformWebhook({ headers: request.headers, rawBody: request.rawBody }, { tokens: secrets });
}

/**
 * The answer to a delivery that did not verify or parse. GitLab checks the token before the event header, so a
 * wrong `X-Gitlab-Event` comes from the genuine hook with more events ticked: acknowledged, since GitLab disables
 * a hook that keeps answering 4xx.
 */
function refuse(context: IWebhookFunctions, source: ProvisioningSource, error: unknown): IWebhookResponseData {
	if (isConnectorError(error) && error.kind === 'validation') {
		if (error.field === `headers.${GITLAB_EVENT_HEADER}`) {
			const event = text(context.getHeaderData()[GITLAB_EVENT_HEADER.toLowerCase()]) ?? null;
			return { webhookResponse: { received: true, ignored: true, event } };
		}
		// Without the raw bytes there is nothing to check a signature against.
		if (error.field === 'rawBody') return reply(context, 401, { error: 'unauthorized', message: 'the request has no body to verify' });
		return reply(context, 400, { error: 'malformed payload', message: redact(error.message), field: error.field ?? null });
	}
	const reason = isConnectorError(error) && error.kind === 'auth' ? error.message : `${SOURCE_NAMES[source]} webhook could not be verified`;
	return reply(context, 401, { error: 'unauthorized', message: redact(reason) });
}

/** The source's filter value of the event and whether the node's selection wants it (none selected = all). */
function selection(context: IWebhookFunctions, event: ProvisioningEvent): { value: string; wanted: boolean } {
	const [parameter, fallback, value] =
		event.source === 'gitlab' ? ['gitlabStatuses', DEFAULT_GITLAB_STATUSES, event.rawStatus] : ['terraformTriggers', DEFAULT_TERRAFORM_TRIGGERS, event.trigger];
	const selected = context.getNodeParameter(parameter, fallback) as string[];
	return { value, wanted: selected.length === 0 || selected.includes(value) };
}

/** One shape for both vendors, so a provisioning workflow reacts without knowing where the run happened. */
function normalize(event: ProvisioningEvent): IDataObject {
	const gitlab = event.source === 'gitlab';
	return {
		source: event.source,
		runId: gitlab ? event.pipelineId : event.runId,
		status: event.status,
		vendorStatus: event.rawStatus,
		terminal: event.terminal,
		businessKey: event.businessKey,
		idempotencyKey: event.idempotencyKey,
		ref: gitlab ? event.ref : null,
		url: event.url,
		projectId: gitlab ? event.projectId : null,
		workspaceId: gitlab ? null : event.workspaceId,
		trigger: gitlab ? null : event.trigger,
		deliveryId: event.dedupeKey,
		receivedAt: new Date().toISOString(),
	};
}

/**
 * Size → verify (current or previous secret) → filter → dedupe → one execution. Oversized → 413; forged, missing
 * or unconfigured secret → 401; malformed → 400 naming the field; HCP Terraform's verification request, unselected
 * statuses/triggers and redeliveries → 200 without an execution.
 */
export async function handleProvisioningWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const source = context.getNodeParameter('source', 'gitlab') as ProvisioningSource;
	const oversized = refuseOversized(context, MAX_PROVISIONING_DELIVERY_BYTES[source], `a ${SOURCE_NAMES[source]} delivery`);
	if (oversized) return oversized;
	const secrets = await secretsOf(context, source);
	secrets.forEach((secret) => registerSecret(secret));

	let event: ProvisioningEvent;
	try {
		event = verify(context, source, secrets);
	} catch (error) {
		return refuse(context, source, error);
	}

	// Sent when a notification configuration is saved or tested: it must get a 2xx, and is no run.
	if (event.source === 'terraform' && event.verification) return { webhookResponse: { received: true, verification: true } };

	const { value, wanted } = selection(context, event);
	if (!wanted) return { webhookResponse: { received: true, ignored: true, event: value } };

	// Per workflow: two workflows listening to the same pipeline each get every status change once.
	const options = context.getNodeParameter('options', {}) as DedupeOptions;
	const { dir, ttlMs } = dedupeSettings(context, options, 'provisioning');
	try {
		const first = await dedupeStores.create(dir).claim(event.dedupeKey, ttlMs);
		if (!first) return { webhookResponse: { received: true, duplicate: true, deliveryId: event.dedupeKey } };
	} catch (error) {
		// Cannot tell a duplicate from a first delivery: answer 5xx so the vendor redelivers later.
		context.logger?.error('Provisioning Trigger could not record the delivery for dedupe', { error: redact(String(error)) });
		return reply(context, 503, { error: 'dedupe store unavailable; retry later' });
	}

	return { workflowData: [[{ json: normalize(event) }]], webhookResponse: { received: true, deliveryId: event.dedupeKey } };
}
