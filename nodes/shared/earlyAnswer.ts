/**
 * When a gated trigger answers the vendor. n8n answers a webhook once the run has a slot under
 * N8N_CONCURRENCY_PRODUCTION_LIMIT; in a burst of a thousand signed orders that is minutes, the vendor times out
 * and redelivers, and each redelivery costs n8n about what a run's start does (measured: 4,878 redeliveries in a
 * 1,000-contract burst, vendor gave up on 232). Answering "as soon as recorded", the trigger first appends a
 * `<vendor>.delivery.accepted` receipt to the contract's chain, then answers 200 and hands n8n the run. Should n8n
 * never create that run (killed in between, its database timing out under the burst), the chain holds the
 * acceptance and nothing after it: the reconciler (Only Chains With Steps listing the step) reports it to a person.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { idempotencyKey, redact, type DedupeStore } from '../../connectors/core';
import { evidenceLedgerAt } from './receipt';
import { releaseAdmission, type ContractGateOptions } from './contractGate';
import { replyJson } from './webhookTrigger';

/** An admitted delivery; `businessKey` is the contract the gate admitted it for (none when it gated by delivery id). */
export interface AdmittedDelivery {
	vendor: string;
	businessKey?: string | null;
	deliveryId: string;
	attempt: number;
	store: DedupeStore;
	options: ContractGateOptions;
}

/**
 * Starts the run of an admitted delivery, answering `body`: at once after the acceptance receipt when Answer Vendor
 * says so and the contract gate admitted it, else by n8n once the run has a slot.
 */
export async function startRun(context: IWebhookFunctions, delivery: AdmittedDelivery, body: IDataObject, json: IDataObject): Promise<IWebhookResponseData> {
	const { businessKey, options } = delivery;
	const once = typeof businessKey === 'string' && businessKey !== '' && options.answerVendor === 'whenRecorded' && options.oncePerContract !== false;
	if (!once) return { workflowData: [[{ json }]], webhookResponse: body };
	return answerOnceRecorded(context, { ...delivery, businessKey }, body, json);
}

/**
 * Records the delivery, answers it 200 with `body`, and hands n8n the run. When the receipt cannot be written the
 * contract's claim is released and the vendor is told 503, so its redelivery starts the contract afresh.
 */
async function answerOnceRecorded(context: IWebhookFunctions, delivery: AdmittedDelivery & { businessKey: string }, body: IDataObject, json: IDataObject): Promise<IWebhookResponseData> {
	const { vendor, businessKey, deliveryId, attempt } = delivery;
	const step = `${vendor}.delivery.accepted`;
	try {
		await evidenceLedgerAt(delivery.options.evidenceStorePath?.trim() || undefined).append({
			businessKey,
			workflowStep: step,
			subject: `system:${vendor}`,
			resourceRef: deliveryId,
			effect: { type: `${vendor}.delivery`, id: deliveryId, attempt },
			idempotencyKey: idempotencyKey(businessKey, `${step}#attempt-${attempt}`),
		});
	} catch (error) {
		context.logger?.error(`${vendor} trigger could not record the accepted delivery`, { error: redact(String(error)) });
		await releaseAdmission(delivery.store, businessKey, attempt).catch(() => undefined);
		return replyJson(context, 503, { error: 'evidence store unavailable; retry later' }, { 'Retry-After': '30' });
	}
	replyJson(context, 200, body);
	return { noWebhookResponse: true, workflowData: [[{ json }]] };
}
