// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * HubSpot webhooks (v3 signature): the body is a JSON array of events; `X-HubSpot-Signature-v3` is
 * base64(HMAC-SHA256(app client secret, method + uri + body + timestamp)) with the timestamp in ms, sent as
 * `X-HubSpot-Request-Timestamp`. The uri is the URL exactly as delivered (we do not percent-decode it).
 */

/** @param {{ method: string, uri: string, rawBody: string, timestamp: string, secret: string }} input */
const signV3 = (input) => crypto.createHmac('sha256', input.secret).update(`${input.method}${input.uri}${input.rawBody}${input.timestamp}`, 'utf8').digest('base64');

/**
 * @param {string} url
 * @param {Record<string, unknown>[]} events complete events (see index.js for defaults)
 * @param {{ secret: string, timestamp?: number, forge?: boolean }} opts forge: sign with a random secret
 */
function buildDelivery(url, events, opts) {
	const rawBody = JSON.stringify(events);
	const timestamp = String(opts.timestamp ?? Date.now());
	const secret = opts.forge ? crypto.randomBytes(16).toString('hex') : opts.secret;
	return {
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
			'X-HubSpot-Signature-v3': signV3({ method: 'POST', uri: url, rawBody, timestamp, secret }),
			'X-HubSpot-Signature-Version': 'v3',
			'X-HubSpot-Request-Timestamp': timestamp,
		},
		rawBody,
	};
}

/**
 * Partial `contact.creation` events (one per contact) for the fake's webhookDelivery/deliverWebhook, which complete
 * them (event id, portal, app, time) and sign them. The deal-only fields it defaults are cleared.
 * @param {(string | number)[]} contactIds
 */
const contactCreationEvents = (contactIds) =>
	contactIds.map((id) => ({ objectId: id, subscriptionType: 'contact.creation', changeFlag: 'CREATED', changeSource: 'CRM_UI', propertyName: undefined, propertyValue: undefined }));

/** @param {string} url @param {{ headers: Record<string, string>, rawBody: string }} delivery */
async function post(url, delivery) {
	const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody });
	return { status: response.status, body: await response.text() };
}

module.exports = { signV3, buildDelivery, post, contactCreationEvents };
