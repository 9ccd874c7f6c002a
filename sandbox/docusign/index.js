// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { presentedToken, addLatency } = require('../lib/common');
const { createDocusignValidator, problemResponse } = require('./validate');
const { BASE } = require('./api');
const { createOAuthServer, oauthError } = require('./oauth');
const { createStore, EVENTS } = require('./store');
const { errors, faultBody } = require('./errors');
const { registerEnvelopeRoutes } = require('./envelopes');
const { registerTemplateRoutes } = require('./templates');
const { registerConnectRoutes, buildConnectPayload, connectHeaders, postDelivery } = require('./connect');
const { createDocusignRateLimit } = require('./rateLimit');

/**
 * DocuSign eSignature fake on one loopback server: the account server (`/oauth/token` JWT Grant, `/oauth/userinfo`)
 * and the REST API (`/restapi/v2.1/accounts/{accountId}/…`: templates, envelopes, Connect), requests validated against
 * the fake's own schema (api.js) and, when the vendor-spec layer is on, DocuSign's published spec too (validate.js),
 * and Connect JSON SIM deliveries signed with two HMAC keys. See README.md next to this file.
 * @typedef {import('./store').Envelope} Envelope
 * @typedef {'envelope-completed' | 'envelope-declined' | 'envelope-voided' | 'envelope-delivered'} TransitionEvent
 */

const REST_PREFIX = '/restapi/';

/**
 * @param {{ latencyMs?: () => number, vendorSpec?: any, now?: () => number, vendorLimits?: boolean | Partial<import('./rateLimit').DocusignLimits> }} [options]
 *   vendorSpec: DocuSign's spec converted by swagger.js (default: from the vendor-spec layer, null when it is off);
 *   null turns that layer off. vendorLimits: DocuSign's resource limits (./rateLimit.js), off by default; now: their clock
 */
function createDocusignFake(options = {}) {
	const oauth = createOAuthServer();
	const store = createStore();
	const rateLimit = createDocusignRateLimit({ now: options.now });
	rateLimit.configure(options.vendorLimits);
	const { validate } = createDocusignValidator({ vendorSpec: options.vendorSpec });
	const hmacKeys = [crypto.randomBytes(32).toString('base64'), crypto.randomBytes(32).toString('base64')];
	/** @type {Set<Promise<unknown>>} */
	const pending = new Set();

	const app = createSandboxServer({
		name: 'docusign',
		state: () => ({ accountId: oauth.identity.accountId, userId: oauth.identity.userId, oauth: oauth.stats(), ...store.snapshot() }),
		reset: () => {
			store.reset();
			oauth.reset();
			rateLimit.reset();
		},
		faultBody,
		notFound: (req) => (req.path.startsWith(REST_PREFIX) ? errors.unknownUrl(req.path) : { status: 404, body: { error: 'not_found' } }),
		onError: (error) => ({ status: 500, body: { errorCode: 'UNSPECIFIED_ERROR', message: error instanceof Error ? error.message : String(error) } }),
	});

	app.before((req) => {
		if (!req.path.startsWith(REST_PREFIX)) return undefined;
		if (!oauth.tokenIsValid(presentedToken(req.headers))) return errors.invalidToken();
		const account = /^\/restapi\/v2(?:\.1)?\/accounts\/([^/]+)/.exec(req.path);
		if (account && decodeURIComponent(account[1]) !== oauth.identity.accountId) return errors.noMembership();
		const limited = rateLimit.check(req, oauth.identity.accountId);
		if (limited) return limited;
		if (req.bodyError) return errors.invalidBody('The JSON could not be parsed.');
		const result = validate(req);
		// api.js is the gate: the fake serves exactly the endpoints it declares.
		if (!result.known) return errors.unknownUrl(req.path);
		if (result.problem) return problemResponse(result.problem);
		req.locals.query = result.query;
		req.locals.body = result.body;
		return undefined;
	});
	if (options.latencyMs) addLatency(app, options.latencyMs);

	const host = () => new URL(app.url).host;
	app.route('POST', '/oauth/token', (req) => {
		if (req.bodyError) return oauthError('invalid_request', 'The body could not be parsed.');
		return oauth.token(req.body, host());
	});
	app.route('GET', '/oauth/userinfo', (req) => oauth.userinfo(presentedToken(req.headers), app.url));

	/**
	 * Deliver `event` for `envelope` to every configuration subscribed to it.
	 * @param {string} event @param {Envelope} envelope
	 * @returns {Promise<{ url: string, status: number, body: string }[]>}
	 */
	async function publish(event, envelope) {
		const targets = [...store.state.connect.values()].filter((c) => String(c.allowEnvelopePublish) !== 'false' && (c.events || []).includes(event));
		return Promise.all(
			targets.map(async (config) => {
				const payload = buildConnectPayload({
					event,
					envelope,
					accountId: oauth.identity.accountId,
					userId: oauth.identity.userId,
					configurationId: config.connectId,
					includeData: config.eventData && config.eventData.includeData,
				});
				const rawBody = JSON.stringify(payload);
				const headers = connectHeaders(rawBody, String(config.includeHMAC) === 'true' ? hmacKeys : []);
				const sentAt = new Date().toISOString();
				const response = await postDelivery(config.urlToPublishTo, headers, rawBody);
				store.state.deliveries.push({ sentAt, configurationId: config.connectId, url: config.urlToPublishTo, event, envelopeId: envelope.envelopeId, generatedDateTime: payload.generatedDateTime, signed: headers['X-DocuSign-Signature-1'] !== undefined, status: response.status, response: response.body });
				return { url: config.urlToPublishTo, status: response.status, body: response.body };
			}),
		);
	}

	/** Publishing triggered by a REST call runs in the background, like DocuSign's queue. @param {string} event @param {Envelope} envelope */
	function publishInBackground(event, envelope) {
		const job = publish(event, envelope).finally(() => pending.delete(job));
		pending.add(job);
	}

	registerTemplateRoutes(app, { base: BASE, store });
	registerEnvelopeRoutes(app, { base: BASE, store, publish: publishInBackground });
	registerConnectRoutes(app, { base: BASE, store });

	/** @param {string} envelopeId */
	function envelopeOrThrow(envelopeId) {
		const envelope = store.state.envelopes.get(envelopeId);
		if (!envelope) throw new Error(`No envelope ${envelopeId} in the DocuSign sandbox.`);
		return envelope;
	}

	return {
		app,
		rateLimit,
		/** @param {number} [port] */
		listen: (port) => app.listen(port),
		close: async () => {
			await Promise.allSettled([...pending]);
			await app.close();
		},
		/** n8n credential data pointing at this fake (call after listen). */
		credentials() {
			if (!app.url) throw new Error('Call listen() before credentials().');
			return {
				docusignApi: {
					environment: 'custom',
					authServer: app.url,
					integrationKey: oauth.identity.integrationKey,
					userId: oauth.identity.userId,
					privateKey: oauth.privatePem,
					accountId: oauth.identity.accountId,
					basePath: `${app.url}/restapi`,
				},
				docusignConnectApi: { hmacKey: hmacKeys[0], previousHmacKey: hmacKeys[1] },
			};
		},
		state: () => app.state(),
		requests: () => app.requests,
		/**
		 * Clears everything; with `keepConnect` the Connect configurations survive, as account settings do between
		 * test cases while an n8n workflow that registered them stays active.
		 * @param {{ keepConnect?: boolean }} [opts]
		 */
		reset: (opts = {}) => {
			const kept = opts.keepConnect ? [...store.state.connect.entries()] : [];
			app.reset();
			for (const [id, configuration] of kept) store.state.connect.set(id, configuration);
		},
		/** @param {Parameters<typeof store.seedTemplate>[0]} [template] */
		seedTemplate: (template) => store.seedTemplate(template),
		/** @param {boolean} granted */
		setConsent: (granted) => oauth.setConsent(granted),
		/** Invalidate every access token issued so far. */
		revokeTokens: () => oauth.revokeTokens(),
		/** Wait for background Connect deliveries (from REST-triggered sends and voids). */
		idle: async () => {
			await Promise.allSettled([...pending]);
		},
		/**
		 * Move an envelope on (as its signer or sender would) and deliver the event to subscribed Connect configurations.
		 * @param {string} envelopeId
		 * @param {TransitionEvent} event
		 * @param {{ reason?: string }} [opts] decline / void reason
		 */
		async transition(envelopeId, event, opts = {}) {
			if (!['envelope-completed', 'envelope-declined', 'envelope-voided', 'envelope-delivered'].includes(event)) {
				throw new Error(`Unsupported event ${event}; use envelope-completed, envelope-declined, envelope-voided or envelope-delivered.`);
			}
			const envelope = envelopeOrThrow(envelopeId);
			store.applyEvent(envelope, event, opts);
			return publish(event, envelope);
		},
		/**
		 * A Connect delivery for a test to send itself (state is not changed).
		 * @param {string} event
		 * @param {string} envelopeId
		 * @param {{ keys?: string[], forge?: boolean, generatedDateTime?: string, configurationId?: string }} [opts]
		 *   keys: HMAC keys to sign with (default both credential keys; [] = unsigned); forge: sign with a random key
		 */
		connectDelivery(event, envelopeId, opts = {}) {
			const envelope = envelopeOrThrow(envelopeId);
			const payload = buildConnectPayload({ event, envelope, accountId: oauth.identity.accountId, userId: oauth.identity.userId, configurationId: opts.configurationId, generatedDateTime: opts.generatedDateTime });
			const rawBody = JSON.stringify(payload);
			const keys = opts.forge ? [crypto.randomBytes(32).toString('base64')] : opts.keys || hmacKeys;
			return { headers: connectHeaders(rawBody, keys), rawBody, payload };
		},
	};
}

module.exports = { createDocusignFake, EVENTS, BASE };
