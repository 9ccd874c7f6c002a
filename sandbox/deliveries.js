// @ts-check
'use strict';

const crypto = require('node:crypto');
const { contactCreationEvents } = require('./hubspot/webhooks');

/**
 * What Vendasta sends to our triggers: the Automations "Send a webhook" step (JSON body + static `Verifier-Token`
 * header, per vendasta-automations-webhook-action.md) and Marketplace purchase/cancellation webhooks (an RS256
 * JWT as a text/plain body, per vendasta-marketplace-webhooks.md), signed with a test key pair made at start.
 */

const MARKETPLACE_ISSUER = 'Vendasta Marketplace';
const MARKETPLACE_CLAIM = 'vendasta.com/marketplace/webhook';
/** The app id of the product the sandbox's Marketplace webhooks are for (the VMF Webhook credential names it). */
const MARKETPLACE_APP_ID = 'MP-PLATFORM';
const CANCELLATION_EVENTS = ['cancel', 'undo-cancel'];

/** @param {Buffer | string} data */
const base64url = (data) => Buffer.from(data).toString('base64url');

/** A fresh RSA key pair (PEM) for signing Marketplace webhooks. */
function generateMarketplaceKeys() {
	const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		publicPem: /** @type {string} */ (publicKey.export({ type: 'spki', format: 'pem' })),
		privatePem: /** @type {string} */ (privateKey.export({ type: 'pkcs8', format: 'pem' })),
	};
}

/** RS256 compact JWT. @param {Record<string, unknown>} claims @param {string} privatePem @param {Record<string, unknown>} [header] */
function signJwtRs256(claims, privatePem, header = {}) {
	const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header }));
	const body = base64url(JSON.stringify(claims));
	const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privatePem);
	return `${head}.${body}.${base64url(signature)}`;
}

/**
 * An Automations delivery for an order. `token: null` sends no Verifier-Token (unsigned); `body` overrides fields.
 * @param {{ orderId: string, partnerId: string, token: string | null, body?: Record<string, unknown> }} input
 */
function automationsDelivery(input) {
	const accountId = input.orderId.includes(':') ? input.orderId.split(':')[0] : input.orderId;
	const body = { accountId, entityId: input.orderId, marketId: 'default', orderId: input.orderId, partnerId: input.partnerId, ...(input.body || {}) };
	/** @type {Record<string, string>} */
	const headers = { 'Content-Type': 'application/json', 'User-Agent': 'Vendasta-Automations/1.0' };
	if (input.token !== null) headers['Verifier-Token'] = input.token;
	return { headers, body, rawBody: JSON.stringify(body) };
}

/**
 * A Marketplace webhook as Vendasta signs it. `fields` go into the webhook claim (override the defaults);
 * `jwt` overrides token claims (`iat`, `exp`, `iss`) for stale / wrong-issuer cases; `privatePem` signs with
 * another key (forged).
 * @param {string} event provisioned | de-provisioned | change-edition | provisioned-trial | cancel | undo-cancel
 * @param {Record<string, unknown>} fields
 * @param {{ privatePem: string, partnerId: string, jwt?: Record<string, unknown>, now?: number }} options
 */
function marketplaceDelivery(event, fields, options) {
	const iat = Math.floor((options.now ?? Date.now()) / 1000);
	const orderId = typeof fields.vendor_order_id === 'string' ? fields.vendor_order_id : undefined;
	const accountId = typeof fields.account_id === 'string' ? fields.account_id : orderId && orderId.includes(':') ? orderId.split(':')[0] : 'AG-SANDBOX';
	const time = new Date(iat * 1000).toISOString();
	const payload = CANCELLATION_EVENTS.includes(event)
		? {
				webhook_id: 'cancellation',
				action: event,
				activation_id: `act-${crypto.randomBytes(6).toString('hex')}`,
				account_group_id: accountId,
				partner_id: options.partnerId,
				app_id: MARKETPLACE_APP_ID,
				...(event === 'cancel' ? { cancellation_time: time } : { undo_cancellation_time: time }),
				...fields,
			}
		: {
				webhook_id: 'purchase',
				action: event,
				activation_id: `act-${crypto.randomBytes(6).toString('hex')}`,
				account: { id: accountId },
				partner_id: options.partnerId,
				market_id: 'default',
				app_id: MARKETPLACE_APP_ID,
				edition_id: 'EDITION-STANDARD',
				activation_time: time,
				...fields,
			};
	delete (/** @type {any} */ (payload)).account_id;
	const claims = { iss: MARKETPLACE_ISSUER, iat, exp: iat + 600, [MARKETPLACE_CLAIM]: payload, ...(options.jwt || {}) };
	return { headers: { 'Content-Type': 'text/plain' }, rawBody: signJwtRs256(claims, options.privatePem), payload, claims };
}

/**
 * POST a delivery to a URL and report what came back.
 * @param {string} url @param {{ headers: Record<string, string>, rawBody: string }} delivery @param {number} [timeoutMs]
 */
async function send(url, delivery, timeoutMs = 60000) {
	const sentAt = new Date().toISOString();
	const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody, signal: AbortSignal.timeout(timeoutMs) });
	const text = await response.text();
	/** @type {unknown} */
	let body = text;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body, sentAt };
}

/**
 * New-lead events from the CRM fakes, next to their deal-won deliveries (`deliverOutboundMessage`, `deliverWebhook`).
 * Salesforce: an Outbound Message on Lead (the lead's fields, the credential's `?token=`), acknowledged or not;
 * options as for deliverOutboundMessage (token, orgId, notificationIds, fields).
 * @param {any} salesforce a createSalesforceFake() @param {string} url @param {string[]} leadIds @param {Record<string, unknown>} [opts]
 */
async function deliverSalesforceNewLeads(salesforce, url, leadIds, opts = {}) {
	const known = new Set((salesforce.state().records.Lead || []).map((/** @type {{ Id: string }} */ lead) => lead.Id));
	const missing = leadIds.filter((id) => !known.has(id));
	if (missing.length > 0) throw new Error(`No Salesforce lead ${missing.join(', ')}: seed it first (seedLead)`);
	return salesforce.deliverOutboundMessage(url, leadIds, opts);
}

/**
 * HubSpot: `contact.creation` webhook events for these contacts, signed (v3) for the URL with the app's client secret.
 * Options as for deliverWebhook (secret, timestamp, forge).
 * @param {any} hubspot a createHubspotFake() @param {string} url @param {(string | number)[]} contactIds @param {Record<string, unknown>} [opts]
 */
async function deliverHubspotNewContacts(hubspot, url, contactIds, opts = {}) {
	const known = new Set((hubspot.state().contacts || []).map((/** @type {{ id: string }} */ contact) => String(contact.id)));
	const missing = contactIds.filter((id) => !known.has(String(id)));
	if (missing.length > 0) throw new Error(`No HubSpot contact ${missing.join(', ')}: seed it first (seedLead)`);
	return hubspot.deliverWebhook(url, contactCreationEvents(contactIds), opts);
}

module.exports = { generateMarketplaceKeys, signJwtRs256, automationsDelivery, marketplaceDelivery, send, MARKETPLACE_ISSUER, MARKETPLACE_CLAIM, MARKETPLACE_APP_ID, deliverSalesforceNewLeads, deliverHubspotNewContacts };
