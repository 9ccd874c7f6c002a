// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { addLatency } = require('../lib/common');
const { createStore, SfError, sfDateTime } = require('./store');
const { SoqlError } = require('./soql');
const { createOAuth } = require('./oauth');
const { registerRest } = require('./rest');
const { to18 } = require('./ids');
const { buildEnvelope, notificationId, deliver } = require('./outbound');
const { createSalesforceRateLimit } = require('./rateLimit');
const { createSeeders } = require('./seed');

/**
 * Salesforce fake on loopback (login server and instance on one URL): OAuth refresh-token and JWT-bearer grants,
 * identity/userinfo, the REST data API for Opportunity, Account, Task, Lead and User with a SOQL subset, sObject
 * Collections, a daily API limit reported in `Sforce-Limit-Info`, and workflow outbound messages (SOAP).
 */

const API_VERSION = '62.0';
const VERSIONS = Array.from({ length: 64 - 20 + 1 }, (_, i) => `${20 + i}.0`);
const errorBody = (/** @type {string} */ errorCode, /** @type {string} */ message) => [{ message, errorCode }];

/**
 * @param {{ latencyMs?: () => number, dailyApiLimit?: number, multiCurrency?: boolean, now?: () => number, vendorLimits?: boolean | Partial<import('./rateLimit').SalesforceLimits> }} [options]
 *   multiCurrency: org has CurrencyIsoCode (default true); vendorLimits: the org's allocation as ./rateLimit.js
 *   documents (off: dailyApiLimit, default 100,000); now: the allocation's clock
 */
function createSalesforceFake(options = {}) {
	const orgId = to18(`00D${crypto.randomBytes(6).toString('hex').toUpperCase().slice(0, 12)}`);
	const store = createStore({ multiCurrency: options.multiCurrency !== false });
	const rateLimit = createSalesforceRateLimit({ now: options.now, dailyApiLimit: options.dailyApiLimit });
	rateLimit.configure(options.vendorLimits);
	const outboundMessageToken = `om_${crypto.randomBytes(18).toString('base64url')}`;
	const actionId = to18(`04k${crypto.randomBytes(6).toString('hex').toUpperCase().slice(0, 12)}`);
	/** @type {Record<string, unknown>[]} */
	let deliveries = [];
	const baseUrl = () => {
		if (!app.url) throw new Error('The Salesforce fake is not listening yet: await fake.listen() first');
		return app.url;
	};
	const oauth = createOAuth({ orgId, baseUrl, tick: store.tick });
	/** @type {Record<string, any>} */
	let apiUser = {};
	/** @type {() => void} */
	let resetRest = () => undefined;

	function seedBase() {
		apiUser = store.create('User', { FirstName: 'Integration', LastName: 'User', Email: 'integration@q2c-sandbox.example', Username: 'integration@q2c-sandbox.example', Title: 'API user' });
		store.setApiUser(apiUser.Id);
	}

	const app = createSandboxServer({
		name: 'salesforce',
		state: () => ({ orgId, apiUsage: rateLimit.usage(), records: store.snapshot(), outboundMessages: deliveries }),
		reset: () => {
			store.reset();
			resetRest();
			rateLimit.reset();
			deliveries = [];
			seedBase();
		},
		faultBody: (status) =>
			errorBody(status === 403 || status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : status === 503 ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION', `Injected fault ${status}`),
		notFound: () => ({ status: 404, body: errorBody('NOT_FOUND', 'The requested resource does not exist') }),
		onError: (error) => {
			if (error instanceof SfError) return { status: error.status, body: error.toBody() };
			if (error instanceof SoqlError) return { status: 400, body: errorBody(error.errorCode, error.message) };
			return { status: 500, body: errorBody('UNKNOWN_EXCEPTION', error instanceof Error ? error.message : String(error)) };
		},
	});
	if (options.latencyMs) addLatency(app, options.latencyMs);
	seedBase();

	const users = {
		/** @param {string} username */
		userByUsername: (username) => store.records('User').find((u) => String(u.Username).toLowerCase() === username.toLowerCase()),
		/** @param {string} id */
		userById: (id) => store.get(id)?.record,
	};

	app.route('POST', '/services/oauth2/token', (req) => oauth.token(/** @type {any} */ (req.body), /** @type {any} */ (users)));

	/** @param {string} userId */
	const identity = (userId) => {
		const user = /** @type {Record<string, any>} */ (store.get(userId)?.record);
		const url = baseUrl();
		const rest = `${url}/services/data/v{version}/`;
		return {
			id: `${url}/id/${orgId}/${user.Id}`,
			asserted_user: true,
			user_id: user.Id,
			organization_id: orgId,
			username: user.Username,
			nick_name: String(user.Username).split('@')[0],
			display_name: user.Name,
			email: user.Email,
			email_verified: true,
			first_name: user.FirstName ?? null,
			last_name: user.LastName,
			timezone: 'America/Los_Angeles',
			active: user.IsActive,
			user_type: 'STANDARD',
			language: 'en_US',
			locale: 'en_US',
			utcOffset: -28800000,
			last_modified_date: user.LastModifiedDate,
			is_app_installed: true,
			urls: {
				enterprise: `${url}/services/Soap/c/{version}/${orgId.slice(0, 15)}`,
				partner: `${url}/services/Soap/u/{version}/${orgId.slice(0, 15)}`,
				rest,
				sobjects: `${rest}sobjects/`,
				query: `${rest}query/`,
				profile: `${url}/${user.Id}`,
			},
		};
	};
	const badToken = { status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'Bad_OAuth_Token' };

	app.route('GET', '/services/oauth2/userinfo', (req) => {
		const session = oauth.session(req.headers);
		if (!session) return badToken;
		const id = identity(session.userId);
		return {
			body: {
				sub: id.id,
				user_id: id.user_id,
				organization_id: orgId,
				preferred_username: id.username,
				nickname: id.nick_name,
				name: id.display_name,
				email: id.email,
				email_verified: true,
				given_name: id.first_name,
				family_name: id.last_name,
				zoneinfo: id.timezone,
				profile: id.urls.profile,
				active: id.active,
				user_type: id.user_type,
				language: id.language,
				locale: id.locale,
				utcOffset: id.utcOffset,
				updated_at: id.last_modified_date,
				is_app_installed: true,
				urls: id.urls,
			},
		};
	});

	app.route('GET', '/id/{orgId}/{userId}', (req) => {
		const session = oauth.session(req.headers, new URLSearchParams(req.rawQuery).get('oauth_token') || undefined);
		if (!session) return badToken;
		if (req.params.orgId !== orgId || !store.get(req.params.userId)) return { status: 404, body: errorBody('NOT_FOUND', 'The requested resource does not exist') };
		return { body: identity(req.params.userId) };
	});

	app.route('GET', '/services/data', () => ({ body: VERSIONS.map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version })) }));

	/**
	 * Authenticated API call: version check, session, the daily limit (every call counts), Sforce-Limit-Info.
	 * @param {import('../core/server').SandboxRequest} req @param {import('./rest').ApiHandler} handler
	 * @returns {import('../core/server').SandboxResponse}
	 */
	const apiCall = (req, handler) => {
		const version = req.params.version;
		if (!/^v\d{2}\.0$/.test(version) || !VERSIONS.includes(version.slice(1))) return { status: 404, body: errorBody('NOT_FOUND', 'The requested resource does not exist') };
		const session = oauth.session(req.headers);
		if (!session) return { status: 401, headers: { 'WWW-Authenticate': 'Token' }, body: errorBody('INVALID_SESSION_ID', 'Session expired or invalid') };
		const usage = rateLimit.take();
		/** @type {Record<string, string>} */
		const limitHeader = { 'Sforce-Limit-Info': `api-usage=${usage.used}/${usage.max}` };
		if (!usage.allowed) return { status: 403, headers: limitHeader, body: errorBody('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') };
		if (req.bodyError) return { status: 400, headers: limitHeader, body: errorBody('JSON_PARSER_ERROR', `Unexpected character in the body: ${req.bodyError.message}`) };
		try {
			const response = handler(Object.assign(req, { version, userId: session.userId }));
			return { ...response, headers: { ...(response.headers || {}), ...limitHeader } };
		} catch (error) {
			if (error instanceof SfError) return { status: error.status, headers: limitHeader, body: error.toBody() };
			if (error instanceof SoqlError) return { status: 400, headers: limitHeader, body: errorBody(error.errorCode, error.message) };
			throw error;
		}
	};
	/** @param {string} method @param {string} template @param {import('./rest').ApiHandler} handler */
	const api = (method, template, handler) => app.route(method, template, (req) => apiCall(req, handler));
	resetRest = registerRest(api, { store, baseUrl, orgId, limits: () => rateLimit.usage() }).reset;

	const { seedAccount, seedUser, seedOpportunity, seedLead, winOpportunity, setStage, markLeadTouched } = createSeeders(store);

	/**
	 * The SOAP request Salesforce would send for these Opportunities. token: undefined → the credential's
	 * outboundMessageToken, null → no `?token=`; orgId overrides OrganizationId (wrong-org tests).
	 * @param {string[]} oppIds
	 * @param {{ token?: string | null, orgId?: string, notificationIds?: string[], sessionId?: string | null, fields?: string[] }} [opts]
	 */
	function outboundMessage(oppIds, opts = {}) {
		const notifications = oppIds.map((id, index) => {
			const entry = store.get(id);
			if (!entry) throw Object.assign(new Error(`No record ${id}`), { status: 404 });
			return { id: opts.notificationIds?.[index] ?? notificationId(), sObjectType: entry.object, record: entry.record };
		});
		const rawBody = buildEnvelope({ organizationId: opts.orgId ?? orgId, actionId, sessionId: opts.sessionId, baseUrl: baseUrl(), apiVersion: API_VERSION, notifications, fields: opts.fields });
		const token = opts.token === undefined ? outboundMessageToken : opts.token;
		return {
			query: token ? `token=${encodeURIComponent(token)}` : '',
			headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', 'User-Agent': 'Jakarta Commons-HttpClient/3.1' },
			rawBody,
			notificationIds: notifications.map((n) => n.id),
		};
	}
	/** @param {string} url @param {string[]} oppIds @param {Parameters<typeof outboundMessage>[1]} [opts] */
	async function deliverOutboundMessage(url, oppIds, opts) {
		const message = outboundMessage(oppIds, opts);
		const result = await deliver(url, message);
		deliveries.push({ url, oppIds, notificationIds: message.notificationIds, status: result.status, acked: result.acked, at: new Date().toISOString() });
		return { status: result.status, body: result.body, acked: result.acked, notificationIds: message.notificationIds };
	}

	/** @param {'refreshToken' | 'jwtBearer'} auth */
	const credential = (auth) => {
		const url = baseUrl();
		const common = { environment: 'custom', loginUrl: url, instanceUrl: url, clientId: oauth.app.clientId, apiVersion: API_VERSION, outboundMessageToken, organizationId: orgId };
		if (auth === 'refreshToken') return { authentication: 'refreshToken', ...common, clientSecret: oauth.app.clientSecret, refreshToken: oauth.issueRefreshToken(apiUser.Id) };
		return { authentication: 'jwtBearer', ...common, username: apiUser.Username, privateKey: oauth.app.privatePem };
	};

	const admin = (/** @type {(body: any) => unknown} */ fn) => async (/** @type {import('../core/server').SandboxRequest} */ req) => {
		try {
			return { body: await fn(req.body || {}) };
		} catch (error) {
			return { status: /** @type {any} */ (error).status || 400, body: { error: error instanceof Error ? error.message : String(error) } };
		}
	};
	app.route('POST', '/__sandbox/salesforce/seed', admin((b) => ({ Opportunity: seedOpportunity, Account: seedAccount, User: seedUser, Lead: seedLead })[/** @type {'User'} */ (b.object)](b.fields)));
	app.route('POST', '/__sandbox/salesforce/win', admin((b) => winOpportunity(b.id, { at: b.at })));
	app.route('POST', '/__sandbox/salesforce/stage', admin((b) => setStage(b.id, b.stage)));
	app.route('POST', '/__sandbox/salesforce/touch-lead', admin((b) => markLeadTouched(b.id, b)));
	app.route('POST', '/__sandbox/salesforce/expire-sessions', admin(() => (oauth.expireSessions(), { expired: true })));
	app.route('POST', '/__sandbox/salesforce/outbound', admin((b) => deliverOutboundMessage(b.url, b.oppIds, b)));

	return {
		app,
		rateLimit,
		listen: app.listen,
		close: app.close,
		get url() {
			return app.url;
		},
		orgId,
		credentials: () => ({ salesforceCrmApi: credential('refreshToken') }),
		jwtCredentials: () => ({ salesforceCrmApi: credential('jwtBearer') }),
		state: () => app.state(),
		requests: () => app.requests,
		reset: () => app.reset(),
		apiUser: () => ({ ...apiUser }),
		seedAccount,
		seedUser,
		seedOpportunity,
		seedLead,
		winOpportunity,
		setStage,
		markLeadTouched,
		/** Update fields as a user would in the UI (no API rules; derived fields and SystemModstamp follow). @param {string} id @param {Record<string, unknown>} fields */
		touch: (id, fields = {}) => ({ ...store.force(id, fields) }),
		/** @param {import('./store').ValidationRule} rule */
		addValidationRule: (rule) => store.addValidationRule(rule),
		/** @param {string} object @param {string} name @param {import('./schema').FieldType} [type] */
		defineField: (object, name, type) => store.schema.defineField(object, name, type),
		expireSessions: () => oauth.expireSessions(),
		revokeRefreshTokens: () => oauth.revokeRefreshTokens(),
		/** Set the daily API counter (e.g. close to the limit). @param {number} used @param {number} [max] */
		setApiUsage(used, max) {
			rateLimit.setUsage(used, max);
		},
		outboundMessage,
		deliverOutboundMessage,
		sfDateTime,
	};
}

module.exports = { createSalesforceFake, API_VERSION };

if (require.main === module) {
	const fake = createSalesforceFake();
	fake.listen(Number(process.env.PORT || process.argv[2] || 0)).then(({ url }) => {
		process.stdout.write(`${JSON.stringify({ url, credentials: fake.credentials() }, null, 2)}\n`);
	});
	const stop = () => fake.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
