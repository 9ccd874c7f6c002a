import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { isConnectorError, parseInput, redact, registerSecret, validationError } from '../../connectors/core';
import { stripeEventSchema, summarizeStripeEvent, verifyStripeSignature, type StripeEventSummary } from '../../connectors/billing';
import { admitDelivery, type ContractGateOptions } from '../shared/contractGate';
import { startRun } from '../shared/earlyAnswer';
import { answerUnstarted, dedupeSettings, dedupeStores, rawBodyOf, refuseOversized, replyJson as reply, text, type DedupeOptions } from '../shared/webhookTrigger';

export { dedupeStores };

export const STRIPE_WEBHOOK_CREDENTIAL_NAME = 'stripeWebhookApi';

/** One Stripe event is at most a few hundred KB (an expanded invoice with many lines); far more is not Stripe's. */
export const MAX_STRIPE_DELIVERY_BYTES = 1024 * 1024;

interface Verification {
	secrets: string[];
	toleranceSec?: number;
}

/** Both signing secrets (rotation) and the tolerance. A credential that cannot be loaded counts as none: every delivery gets 401. */
async function verification(context: IWebhookFunctions): Promise<Verification> {
	try {
		const credentials = await context.getCredentials(STRIPE_WEBHOOK_CREDENTIAL_NAME);
		const secrets = [text(credentials.signingSecret), text(credentials.previousSigningSecret)].filter((secret): secret is string => secret !== undefined);
		const tolerance = Number(credentials.toleranceSeconds);
		return { secrets, toleranceSec: Number.isInteger(tolerance) && tolerance > 0 ? Math.min(tolerance, 86_400) : undefined };
	} catch (error) {
		context.logger?.error('Stripe Trigger could not load its signing secret credential', { error: redact(String(error)) });
		return { secrets: [] };
	}
}

/** Parses the verified text (not n8n's parsed body) so the event is exactly what Stripe signed. */
function parseVerified(body: string): StripeEventSummary {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		throw validationError('body', 'a JSON Stripe event');
	}
	return summarizeStripeEvent(parseInput(stripeEventSchema, parsed, 'event'));
}

/**
 * Size → verify (Stripe-Signature over the raw body, current or previous secret, within the tolerance) → parse →
 * filter → dedupe → one execution. Oversized → 413, forged/stale/unsigned/no secret → 401, malformed → 400 naming
 * the field, unselected events and redeliveries → 200 without an execution (Stripe stops retrying on any 2xx).
 */
export async function handleStripeWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const oversized = refuseOversized(context, MAX_STRIPE_DELIVERY_BYTES, 'a Stripe event');
	if (oversized) return oversized;
	const options = context.getNodeParameter('options', {}) as DedupeOptions & ContractGateOptions;
	const { secrets, toleranceSec } = await verification(context);
	secrets.forEach((secret) => registerSecret(secret));

	const rawBody = rawBodyOf(context);
	if (secrets.length === 0) return reply(context, 401, { error: 'unauthorized', message: 'Stripe webhook rejected: no signing secret is configured' });
	if (rawBody === undefined) return reply(context, 401, { error: 'unauthorized', message: 'Stripe webhook rejected: the request has no body' });
	let body: string;
	try {
		const headers = context.getHeaderData() as Record<string, string | string[] | undefined>;
		body = verifyStripeSignature({ rawBody, signatureHeader: headers['stripe-signature'], secrets, toleranceSec });
	} catch (error) {
		const reason = isConnectorError(error) && error.kind === 'auth' ? error.message : 'Stripe webhook could not be verified';
		return reply(context, 401, { error: 'unauthorized', message: redact(reason) });
	}

	let event: StripeEventSummary;
	try {
		event = parseVerified(body);
	} catch (error) {
		const field = isConnectorError(error) ? error.field : undefined;
		return reply(context, 400, { error: 'malformed payload', message: redact(error instanceof Error ? error.message : String(error)), field: field ?? null });
	}

	const wanted = context.getNodeParameter('events', []) as string[];
	if (wanted.length > 0 && !wanted.includes(event.type)) return { webhookResponse: { received: true, ignored: true, event: event.type } };

	// Per workflow by default: two workflows on the same Stripe endpoint events must each get every event once.
	const { dir, ttlMs } = dedupeSettings(context, options, 'stripe');
	// A confirmed payment starts the signup's provisioning: at most one run per client_reference_id, whichever of
	// checkout.session.completed (paid) and async_payment_succeeded says so. Everything else: once per event id.
	const startsProvisioning = event.outcome === 'payment_confirmed';
	const store = dedupeStores.create(dir);
	const gateKey = startsProvisioning ? event.businessKey : null;
	let attempt: number;
	try {
		const admission = await admitDelivery(store, { deliveryId: event.eventId, businessKey: gateKey, ttlMs }, options);
		if (!admission.start) return answerUnstarted(context, admission);
		attempt = admission.attempt;
	} catch (error) {
		// Cannot tell a duplicate from a first delivery: answer 5xx so Stripe redelivers later.
		context.logger?.error('Stripe Trigger could not record the delivery for dedupe', { error: redact(String(error)) });
		return reply(context, 503, { error: 'dedupe store unavailable; retry later' });
	}

	const json = { ...event, deliveryId: event.eventId, attempt, receivedAt: new Date().toISOString() } as unknown as IDataObject;
	return startRun(context, { vendor: 'stripe', businessKey: gateKey, deliveryId: event.eventId, attempt, store, options }, { received: true, eventId: event.eventId }, json);
}
