import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { isConnectorError, redact, registerSecret } from '../../connectors/core';
import { verifyAutomationsWebhook, verifyMarketplaceWebhook, type AutomationsEvent, type MarketplaceEvent } from '../../connectors/vmf';

export type VmfSource = 'marketplacePurchase' | 'automations';

import { admitDelivery, type ContractGateOptions } from '../shared/contractGate';
import { startRun } from '../shared/earlyAnswer';
import { answerUnstarted, dedupeSettings, dedupeStores, MAX_DELIVERY_BYTES, rawBodyOf, refuseOversized, replyJson as reply, text, type DedupeOptions } from '../shared/webhookTrigger';

export { dedupeStores };

interface TriggerOptions extends DedupeOptions, ContractGateOptions {
	allowTestIssuer?: boolean;
}

/**
 * Size → verify → parse → filter → dedupe → start one execution. Oversized → 413, forged/stale/unconfigured → 401,
 * malformed → 400 naming the field, duplicates and filtered events → 200 without an execution.
 */
export async function handleVmfWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const oversized = refuseOversized(context, MAX_DELIVERY_BYTES.vmf, 'a Vendasta webhook');
	if (oversized) return oversized;
	const source = context.getNodeParameter('source', 'marketplacePurchase') as VmfSource;
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	let event: MarketplaceEvent | AutomationsEvent;
	try {
		const credentials = await context.getCredentials('vmfWebhookApi');
		if (source === 'automations') {
			const tokens = [text(credentials.verifierToken), text(credentials.previousVerifierToken)];
			tokens.forEach((token) => registerSecret(token));
			const request = context.getRequestObject() as unknown as { rawBody?: Buffer | string };
			event = verifyAutomationsWebhook({ headers: context.getHeaderData() as Record<string, string>, rawBody: request.rawBody, body: context.getBodyData() }, { tokens });
		} else {
			event = verifyMarketplaceWebhook(rawBodyOf(context), {
				publicKeys: [text(credentials.marketplacePublicPem), text(credentials.secondaryPublicPem)],
				replayWindowSec: Number(credentials.replayWindowSec) || 300,
				appIds: String(credentials.marketplaceAppIds ?? '').split(','),
				allowTestIssuer: options.allowTestIssuer === true,
			});
		}
	} catch (error) {
		if (isConnectorError(error) && error.kind === 'validation') {
			return reply(context, 400, { error: 'malformed payload', message: error.message, field: error.field ?? null });
		}
		const reason = isConnectorError(error) && error.kind === 'auth' ? error.message : 'webhook could not be verified';
		return reply(context, 401, { error: 'unauthorized', message: redact(reason) });
	}

	if (event.source === 'marketplacePurchase') {
		const wanted = context.getNodeParameter('events', []) as string[];
		if (wanted.length > 0 && !wanted.includes(event.event)) return { webhookResponse: { received: true, ignored: true, event: event.event } };
	}

	const { dir, ttlMs } = dedupeSettings(context, options, 'vmf');
	// A signed order (Automations) or a provisioned purchase starts the provisioning of a contract: at most one run per contract.
	const startsProvisioning = event.source === 'automations' || event.event === 'provisioned';
	const store = dedupeStores.create(dir);
	const gateKey = startsProvisioning ? event.businessKey : null;
	let attempt: number;
	try {
		const admission = await admitDelivery(store, { deliveryId: event.deliveryId, businessKey: gateKey, ttlMs }, options);
		if (!admission.start) return answerUnstarted(context, admission);
		attempt = admission.attempt;
	} catch (error) {
		// Cannot tell a duplicate from a first delivery: answer 5xx so the vendor redelivers later.
		context.logger?.error('VMF Trigger could not record the delivery for dedupe', { error: redact(String(error)) });
		return reply(context, 503, { error: 'dedupe store unavailable; retry later' });
	}

	const json = { ...event, businessKey: event.businessKey, deliveryId: event.deliveryId, attempt, receivedAt: new Date().toISOString() } as unknown as IDataObject;
	return startRun(context, { vendor: 'vmf', businessKey: gateKey, deliveryId: event.deliveryId, attempt, store, options }, { received: true, deliveryId: event.deliveryId }, json);
}
