import { canonicalJson, ConnectorError, parseInput, sha256Hex, validationError, verifyJwtRs256 } from '../../core';
import { VMF_VENDOR } from '../errors';
import {
	CANCELLATION_ACTIONS,
	cancellationPayloadSchema,
	MARKETPLACE_CLAIM,
	MARKETPLACE_EVENTS,
	MARKETPLACE_ISSUER,
	MARKETPLACE_TEST_ISSUER,
	purchasePayloadSchema,
	type MarketplaceEventType,
} from '../schemas/webhooks';

export interface MarketplaceVerifyOptions {
	/** PEM public keys; more than one while Vendasta rotates its key. Empty = every delivery rejected. */
	publicKeys: readonly (string | undefined | null)[];
	/** Reject tokens issued longer ago than this (seconds). Default 300. */
	replayWindowSec?: number;
	clockToleranceSec?: number;
	/**
	 * The Marketplace app id(s) of this integration (`MP-…`). Vendasta signs every vendor's webhooks with the same
	 * key, so the signature alone does not say the event is for us. Empty = every delivery rejected.
	 */
	appIds: readonly (string | undefined | null)[];
	/** Also accept Vendor Center's "Send test webhook" issuer. Default false. */
	allowTestIssuer?: boolean;
	now?: number;
}

export interface MarketplaceEvent {
	source: 'marketplacePurchase';
	event: MarketplaceEventType;
	webhookId: string | null;
	/** Stable across redeliveries of the same event: the dedupe key. */
	deliveryId: string;
	/** `vendor_order_id`; absent on some de-provision / edition-change deliveries. */
	orderId: string | null;
	/** The order id when known, else the activation id: what idempotency keys hang off. */
	businessKey: string;
	activationId: string;
	accountGroupId: string | null;
	partnerId: string | null;
	marketId: string | null;
	appId: string | null;
	editionId: string | null;
	previousEditionId: string | null;
	addonId: string | null;
	/** When the event happened per the payload (activation/cancellation time), if it says. */
	occurredAt: string | null;
	issuer: string;
	issuedAt: string | null;
	payload: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Verifies a Marketplace webhook body (an RS256 JWT) and returns the typed event. Throws a
 * ConnectorError: kind `auth` for anything about authenticity (forged, expired, wrong issuer, no key
 * configured), kind `validation` naming the field for a genuine but malformed payload.
 */
export function verifyMarketplaceWebhook(rawBody: string | Buffer | undefined | null, options: MarketplaceVerifyOptions): MarketplaceEvent {
	const { event, claims } = verifyAndParse(rawBody, options);
	checkAppBinding(claims, event.appId, options.appIds);
	return event;
}

function verifyAndParse(rawBody: string | Buffer | undefined | null, options: MarketplaceVerifyOptions): { event: MarketplaceEvent; claims: Record<string, unknown> } {
	const token = rawBody === undefined || rawBody === null ? '' : (Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody).trim();
	const verified = verifyJwtRs256(token, options.publicKeys, {
		maxAgeSec: options.replayWindowSec ?? 300,
		requireIssuedAt: true,
		clockToleranceSec: options.clockToleranceSec,
		now: options.now,
	});
	if (!verified.ok) throw new ConnectorError('auth', `Marketplace webhook rejected: ${verified.reason}`, { vendor: VMF_VENDOR, code: 'invalid_signature' });
	const claims = verified.value.payload;
	const issuers = options.allowTestIssuer ? [MARKETPLACE_ISSUER, MARKETPLACE_TEST_ISSUER] : [MARKETPLACE_ISSUER];
	if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss)) {
		throw new ConnectorError('auth', `Marketplace webhook rejected: issuer ${JSON.stringify(claims.iss)} is not ${issuers.join(' or ')}`, { vendor: VMF_VENDOR, code: 'invalid_issuer' });
	}
	const body = claims[MARKETPLACE_CLAIM];
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw validationError(`payload.${MARKETPLACE_CLAIM}`, 'an object', body, VMF_VENDOR);
	const action = (body as Record<string, unknown>).action;
	if (typeof action !== 'string' || !(MARKETPLACE_EVENTS as readonly string[]).includes(action)) {
		throw validationError('payload.action', `one of ${MARKETPLACE_EVENTS.join(', ')}`, action, VMF_VENDOR);
	}
	const issuedAt = typeof claims.iat === 'number' ? new Date(claims.iat * 1000).toISOString() : null;
	const base = { source: 'marketplacePurchase' as const, issuer: claims.iss, issuedAt, payload: body as Record<string, unknown> };

	if ((CANCELLATION_ACTIONS as readonly string[]).includes(action)) {
		const p = parseInput(cancellationPayloadSchema, body, 'payload', VMF_VENDOR);
		const occurredAt = text(p.action === 'cancel' ? p.cancellation_time : p.undo_cancellation_time);
		const event = finish({
			...base,
			event: p.action,
			webhookId: text(p.webhook_id),
			orderId: text(p.vendor_order_id),
			activationId: p.activation_id,
			accountGroupId: p.account_group_id,
			partnerId: text(p.partner_id),
			marketId: null,
			appId: text(p.app_id),
			editionId: text(p.edition_id),
			previousEditionId: null,
			addonId: text(p.addon_id),
			occurredAt,
		});
		return { event, claims };
	}
	const p = parseInput(purchasePayloadSchema, body, 'payload', VMF_VENDOR);
	const event = finish({
		...base,
		event: p.action,
		webhookId: text(p.webhook_id),
		orderId: text(p.vendor_order_id),
		activationId: p.activation_id,
		accountGroupId: text(p.account?.id) ?? text((p.order_form as Record<string, unknown> | null | undefined)?.business_account_group_id),
		partnerId: text(p.partner_id),
		marketId: text(p.market_id),
		appId: text(p.app_id),
		editionId: text(p.edition_id),
		previousEditionId: text(p.previous_edition_id),
		addonId: text(p.addon_id),
		occurredAt: text(p.action === 'de-provisioned' ? (p.deactivation_time ?? p.activation_time) : p.activation_time),
	});
	return { event, claims };
}

/** The token must name one of our app ids, in its body's `app_id` and, where it has one, its `aud`. */
function checkAppBinding(claims: Record<string, unknown>, appId: string | null, configured: readonly (string | undefined | null)[]): void {
	const appIds = configured.map((id) => (typeof id === 'string' ? id.trim() : '')).filter((id) => id !== '');
	const reject = (reason: string) => new ConnectorError('auth', `Marketplace webhook rejected: ${reason}`, { vendor: VMF_VENDOR, code: 'invalid_audience' });
	if (appIds.length === 0) throw reject('no Marketplace app id is configured (VMF Webhook credential)');
	if (appId === null || !appIds.includes(appId)) throw reject(`the event is for app ${JSON.stringify(appId)}, not this integration`);
	if (claims.aud !== undefined) {
		const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
		if (!audiences.some((aud) => typeof aud === 'string' && appIds.includes(aud))) throw reject('the token is addressed to another audience');
	}
}

/**
 * Adds the business key and the delivery id. Vendasta re-signs redeliveries (new iat/exp), so the id
 * comes from what identifies the event itself, not from the token.
 */
function finish(event: Omit<MarketplaceEvent, 'deliveryId' | 'businessKey'>): MarketplaceEvent {
	const identity = {
		event: event.event,
		activationId: event.activationId,
		addonId: event.addonId,
		orderId: event.orderId,
		editionId: event.editionId,
		previousEditionId: event.previousEditionId,
		occurredAt: event.occurredAt,
	};
	return { ...event, businessKey: event.orderId ?? event.activationId, deliveryId: `vmf-mp-${sha256Hex(canonicalJson(identity)).slice(0, 40)}` };
}
