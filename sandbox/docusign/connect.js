// @ts-check
'use strict';

const crypto = require('node:crypto');
const { dsError, errors } = require('./errors');
const { recipientsOf, customFieldsOf } = require('./envelopes');
const { clone } = require('../lib/common');

/**
 * Connect: custom configurations (`POST/GET /connect`, `GET/DELETE /connect/{connectId}`) and the JSON SIM
 * deliveries DocuSign posts to them, signed `X-DocuSign-Signature-N` = base64 HMAC-SHA256(key N, raw body).
 * @typedef {import('./store').Envelope} Envelope
 */

/** @param {string} rawBody @param {string} key */
const signConnectBody = (rawBody, key) => crypto.createHmac('sha256', key).update(rawBody, 'utf8').digest('base64');

/**
 * A JSON SIM (Connect 2.0) message as DocuSign documents it, trimmed to what a listener reads.
 * @param {{ event: string, envelope: Envelope, accountId: string, userId: string, configurationId?: string, generatedDateTime?: string, includeData?: string[] }} input
 */
function buildConnectPayload(input) {
	const { envelope } = input;
	const include = new Set(input.includeData || ['custom_fields', 'recipients']);
	const recipients = recipientsOf(envelope);
	return {
		event: input.event,
		apiVersion: 'v2.1',
		uri: `/restapi/v2.1/accounts/${input.accountId}/envelopes/${envelope.envelopeId}`,
		retryCount: 0,
		configurationId: Number(input.configurationId || 0),
		generatedDateTime: input.generatedDateTime || new Date().toISOString(),
		data: {
			accountId: input.accountId,
			userId: input.userId,
			envelopeId: envelope.envelopeId,
			envelopeSummary: {
				status: envelope.status,
				emailSubject: envelope.emailSubject,
				envelopeId: envelope.envelopeId,
				createdDateTime: envelope.createdDateTime,
				statusChangedDateTime: envelope.statusChangedDateTime,
				...(envelope.sentDateTime ? { sentDateTime: envelope.sentDateTime } : {}),
				...(envelope.deliveredDateTime ? { deliveredDateTime: envelope.deliveredDateTime } : {}),
				...(envelope.completedDateTime ? { completedDateTime: envelope.completedDateTime } : {}),
				...(envelope.declinedDateTime ? { declinedDateTime: envelope.declinedDateTime } : {}),
				...(envelope.voidedDateTime ? { voidedDateTime: envelope.voidedDateTime, voidedReason: envelope.voidedReason } : {}),
				...(include.has('custom_fields') ? { customFields: customFieldsOf(envelope) } : {}),
				...(include.has('recipients') ? { recipients: { signers: recipients.signers, recipientCount: recipients.recipientCount } } : {}),
			},
		},
	};
}

/**
 * Headers for a delivery: one signature header per key (`[]` = unsigned).
 * @param {string} rawBody
 * @param {string[]} keys
 */
function connectHeaders(rawBody, keys) {
	/** @type {Record<string, string>} */
	const headers = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'DocuSign Connect (sandbox)' };
	keys.forEach((key, index) => (headers[`X-DocuSign-Signature-${index + 1}`] = signConnectBody(rawBody, key)));
	return headers;
}

/**
 * POST one delivery; never throws (a refused connection is recorded as status 0).
 * @param {string} url @param {Record<string, string>} headers @param {string} rawBody @param {number} [timeoutMs]
 */
async function postDelivery(url, headers, rawBody, timeoutMs = 10000) {
	try {
		const response = await fetch(url, { method: 'POST', headers, body: rawBody, signal: AbortSignal.timeout(timeoutMs) });
		return { status: response.status, body: (await response.text()).slice(0, 2000) };
	} catch (error) {
		return { status: 0, body: error instanceof Error ? error.message : String(error) };
	}
}

const CONFIG_DEFAULTS = {
	configurationType: 'custom',
	allUsers: 'false',
	allowEnvelopePublish: 'true',
	enableLog: 'true',
	includeHMAC: 'false',
	requiresAcknowledgement: 'false',
	deliveryMode: 'SIM',
};

/**
 * @param {ReturnType<typeof import('../core/server').createSandboxServer>} app
 * @param {{ base: string, store: ReturnType<typeof import('./store').createStore> }} ctx
 */
function registerConnectRoutes(app, ctx) {
	const { connect } = ctx.store.state;
	const missing = (/** @type {string} */ id) => dsError(400, 'INVALID_CONNECT_CONFIGURATION_ID', `Connect configuration ${id} does not exist.`);

	app.route('POST', `${ctx.base}/connect`, (req) => {
		const body = /** @type {any} */ (req.locals.body || {});
		if (!body.urlToPublishTo || !/^https?:\/\/\S+$/.test(body.urlToPublishTo)) {
			return errors.invalidParameter('urlToPublishTo', 'urlToPublishTo must be an http(s) URL.');
		}
		if (!body.name) return errors.invalidParameter('name', 'A Connect configuration needs a name.');
		const events = body.events || [];
		if (!Array.isArray(events) || events.length === 0) {
			return errors.invalidParameter('events', 'Select at least one event (events[]) for a JSON SIM configuration.');
		}
		const config = { ...CONFIG_DEFAULTS, ...clone(body), connectId: ctx.store.nextConnectId(), events: [...events] };
		connect.set(config.connectId, config);
		return { status: 201, body: clone(config) };
	});
	app.route('GET', `${ctx.base}/connect`, () => ({ body: { configurations: clone([...connect.values()]), totalRecords: String(connect.size) } }));
	app.route('GET', `${ctx.base}/connect/{connectId}`, (req) => {
		const config = connect.get(req.params.connectId);
		return config ? { body: { configurations: [clone(config)], totalRecords: '1' } } : missing(req.params.connectId);
	});
	app.route('DELETE', `${ctx.base}/connect/{connectId}`, (req) => {
		if (!connect.delete(req.params.connectId)) return missing(req.params.connectId);
		return { status: 200 };
	});
}

module.exports = { registerConnectRoutes, buildConnectPayload, connectHeaders, signConnectBody, postDelivery };
