// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { addLatency } = require('../lib/common');
const { createStore, HubspotError } = require('./store');
const { registerCrm } = require('./crm');
const { buildDelivery, post } = require('./webhooks');
const { createHubspotRateLimit } = require('./rateLimit');

/**
 * HubSpot CRM fake on loopback: private-app and OAuth bearer auth (+ refresh), account info, deals / companies /
 * tasks / contacts (v3 objects, search, batch update), deal pipelines, v4 associations, owners, and signed (v3) webhook
 * deliveries of deal stage changes. Errors use HubSpot's `{ status: 'error', message, correlationId, category }`.
 */

const uuid = () => crypto.randomUUID();

/**
 * @param {{ latencyMs?: () => number, now?: () => number, vendorLimits?: boolean | Partial<import('./rateLimit').HubspotLimits> }} [options]
 *   vendorLimits: HubSpot's API limits (./rateLimit.js), off by default; now: the limiter's clock in ms
 */
function createHubspotFake(options = {}) {
	const portalId = String(40_000_000 + crypto.randomInt(9_000_000));
	const appId = String(3_000_000 + crypto.randomInt(900_000));
	const privateAppToken = `pat-na1-${uuid()}`;
	const app_ = { clientId: uuid(), clientSecret: uuid(), refreshToken: `na1-${crypto.randomBytes(4).toString('hex')}-${uuid()}` };
	/** @type {Map<string, { expired: boolean, issuedAt: number }>} */
	const oauthTokens = new Map();
	const store = createStore();
	/** @type {Record<string, unknown>[]} */
	let deliveries = [];
	const usage = { daily: 0 };
	const rateLimit = createHubspotRateLimit({ now: options.now });
	rateLimit.configure(options.vendorLimits);

	/** @param {number} status @param {string} category @param {string} message @param {Record<string, unknown>} [extra] */
	const errorBody = (status, category, message, extra = {}) => ({ status, body: { status: 'error', message, correlationId: uuid(), category, ...extra } });

	const app = createSandboxServer({
		name: 'hubspot',
		state: () => ({ portalId, ...store.snapshot(), webhookDeliveries: deliveries, apiCalls: usage.daily }),
		reset: () => {
			store.reset();
			deliveries = [];
			usage.daily = 0;
			rateLimit.reset();
			seedBase();
		},
		faultBody: (status) =>
			status === 429
				? { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: uuid(), policyName: 'TEN_SECONDLY_ROLLING', groupName: `publicapi:private-app:${appId}`, category: 'RATE_LIMITS' }
				: errorBody(status, 'INTERNAL_ERROR', `Injected fault ${status}`).body,
		notFound: (req) => errorBody(404, 'OBJECT_NOT_FOUND', `Unable to route ${req.method} ${req.path}`),
		onError: (error) => {
			if (error instanceof HubspotError) return errorBody(error.status, error.category, error.message, { ...(error.errors ? { errors: error.errors } : {}), ...(error.extra || {}) });
			return errorBody(500, 'INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
		},
	});

	app.before((req) => {
		if (req.path.startsWith('/oauth/v1/')) return undefined; // token endpoints authenticate by their parameters
		const match = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization || ''));
		const presented = match ? match[1] : '';
		const oauth = oauthTokens.get(presented);
		if (oauth && oauth.expired) {
			return errorBody(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${Math.max(1, Math.round((Date.now() - oauth.issuedAt) / 1000))} second(s) ago.`);
		}
		if (presented !== privateAppToken && !oauth) {
			return errorBody(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
		}
		const limited = rateLimit.check(req, { oauth: Boolean(oauth) });
		if (limited) return limited;
		if (req.bodyError) return errorBody(400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: ${req.bodyError.message}`);
		usage.daily++;
		req.locals.token = presented;
		return undefined;
	});
	if (options.latencyMs) addLatency(app, options.latencyMs);

	app.route('POST', '/oauth/v1/token', (req) => {
		const body = /** @type {Record<string, string>} */ (req.body || {});
		const fail = (/** @type {string} */ status, /** @type {string} */ message) => ({ status: 400, body: { status, message, correlationId: uuid() } });
		if (body.grant_type !== 'refresh_token') return fail('BAD_GRANT_TYPE', 'grant_type must be refresh_token or authorization_code');
		if (body.client_id !== app_.clientId) return fail('BAD_CLIENT_ID', 'missing or unknown client id');
		if (body.client_secret !== app_.clientSecret) return fail('BAD_CLIENT_SECRET', 'missing or invalid client secret');
		if (body.refresh_token !== app_.refreshToken) return fail('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
		const accessToken = `C${crypto.randomBytes(36).toString('base64url')}`;
		oauthTokens.set(accessToken, { expired: false, issuedAt: Date.now() });
		return { body: { token_type: 'bearer', refresh_token: app_.refreshToken, access_token: accessToken, expires_in: 1800 } };
	});

	app.route('GET', '/oauth/v1/access-tokens/{token}', (req) => {
		const known = oauthTokens.get(req.params.token);
		if (!known || known.expired) return { status: 404, body: { status: 'error', message: 'The access token is expired or invalid', correlationId: uuid() } };
		return {
			body: {
				token: req.params.token,
				user: 'integration@q2c-sandbox.example',
				hub_domain: 'q2c-sandbox.example',
				scopes: ['crm.objects.deals.read', 'crm.objects.deals.write', 'crm.objects.companies.read', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.owners.read', 'oauth'],
				hub_id: Number(portalId),
				app_id: Number(appId),
				expires_in: Math.max(0, 1800 - Math.round((Date.now() - known.issuedAt) / 1000)),
				user_id: 1_000_001,
				token_type: 'access',
			},
		};
	});

	app.route('GET', '/account-info/v3/details', () => ({
		body: { portalId: Number(portalId), accountType: 'DEVELOPER_TEST', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: ['EUR'], utcOffset: '-05:00', utcOffsetMilliseconds: -18_000_000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' },
	}));

	registerCrm(app, store);

	let seq = 0;
	/** The token's owner (the integration user) always exists. */
	function seedBase() {
		store.addOwner({ id: '41000001', email: 'integration@q2c-sandbox.example', type: 'PERSON', firstName: 'Integration', lastName: 'User', userId: 1_000_001, userIdIncludingInactive: 1_000_001, createdAt: '2024-01-02T09:00:00.000Z', updatedAt: '2024-01-02T09:00:00.000Z', archived: false, teams: [] });
	}
	seedBase();

	/** @param {Record<string, unknown>} props @param {string} type */
	const defineCustom = (type, props) => Object.keys(props).forEach((name) => !store.known(type, name) && store.defineProperty(type, name));

	/** @param {Record<string, unknown>} [c] properties */
	function seedCompany(c = {}) {
		const n = ++seq;
		defineCustom('companies', c);
		return clone(store.create('companies', { name: `Acme ${n} Inc`, domain: `acme${n}.example.com`, website: `https://www.acme${n}.example.com`, industry: 'COMPUTER_SOFTWARE', country: 'United States', ...c }));
	}
	/** @param {Record<string, unknown>} [o] owner fields */
	function seedOwner(o = {}) {
		const n = ++seq;
		const at = new Date().toISOString();
		const id = String(41_000_001 + n);
		return { ...store.addOwner({ id, email: `rep${n}@q2c-sandbox.example`, type: 'PERSON', firstName: 'Sales', lastName: `Rep ${n}`, userId: 1_000_001 + n, userIdIncludingInactive: 1_000_001 + n, createdAt: at, updatedAt: at, archived: false, teams: [], ...o }) };
	}
	/**
	 * A deal associated to a company (a new one unless `companyId` is given, or `companyId: null` for none).
	 * @param {Record<string, unknown> & { companyId?: string | null }} [d] properties (+ companyId)
	 */
	function seedDeal(d = {}) {
		const { companyId, ...props } = d;
		const n = ++seq;
		defineCustom('deals', props);
		const deal = store.create('deals', { dealname: `Deal ${n}`, amount: '64900', deal_currency_code: 'USD', pipeline: (props.dealstage && store.stageOf(String(props.dealstage))?.pipeline.id) || 'default', dealstage: 'contractsent', closedate: new Date(Date.now() + 30 * 86_400_000).toISOString(), hubspot_owner_id: '41000001', ...props });
		const company = companyId === null ? null : companyId ? String(companyId) : seedCompany().id;
		if (company) store.associate('deals', deal.id, 'companies', company);
		return { ...clone(deal), companyId: company };
	}
	/** A contact as lead routing sees it: lifecycle stage lead, status NEW, owned by the integration user. @param {Record<string, unknown>} [l] properties */
	function seedLead(l = {}) {
		const n = ++seq;
		defineCustom('contacts', l);
		return clone(store.create('contacts', { email: `lead${n}@prospect${n}.example.com`, firstname: 'Ada', lastname: `Lead ${n}`, company: `Prospect ${n} Ltd`, country: 'United States', state: 'CA', lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: '41000001', ...l }));
	}
	/**
	 * A rep worked the lead: `status` sets hs_lead_status; `activityAt` sets notes_last_contacted and
	 * hs_last_sales_activity_timestamp as a logged call would. Neither given: an activity now.
	 * @param {string} id @param {{ status?: string, activityAt?: number | string | Date }} [opts]
	 */
	function markLeadTouched(id, opts = {}) {
		if (!store.get('contacts', id)) throw new Error(`No contact ${id}`);
		/** @type {Record<string, string>} */
		const properties = {};
		if (opts.status !== undefined) properties.hs_lead_status = opts.status;
		if (opts.activityAt !== undefined || opts.status === undefined) {
			const at = new Date(opts.activityAt ?? Date.now()).toISOString();
			properties.notes_last_contacted = at;
			properties.hs_last_sales_activity_timestamp = at;
		}
		return clone(store.update('contacts', id, properties, { skipValidation: true }));
	}
	/** @param {string} id @param {string} stageId @param {{ at?: number | string | Date }} [opts] */
	function moveDeal(id, stageId, opts = {}) {
		const found = store.stageOf(stageId);
		if (!found) throw new Error(`Unknown stage ${stageId}`);
		return clone(store.update('deals', id, { dealstage: stageId, pipeline: found.pipeline.id }, { skipValidation: true, at: opts.at === undefined ? undefined : new Date(opts.at).getTime() }));
	}

	/**
	 * Complete webhook events: an entry may be a deal id or a partial event; propertyValue defaults to the deal's stage.
	 * @param {(string | Record<string, unknown>)[]} events
	 */
	function completeEvents(events) {
		return events.map((entry, index) => {
			const partial = typeof entry === 'string' || typeof entry === 'number' ? { objectId: entry } : entry;
			const deal = store.get('deals', String(partial.objectId));
			return {
				eventId: crypto.randomInt(1_000_000_000, 2_000_000_000),
				subscriptionId: 2_456_789,
				portalId: Number(portalId),
				appId: Number(appId),
				occurredAt: Date.now() - (events.length - index),
				subscriptionType: 'deal.propertyChange',
				attemptNumber: 0,
				propertyName: 'dealstage',
				propertyValue: deal ? deal.properties.dealstage : undefined,
				changeSource: 'CRM_UI',
				sourceId: 'userId:1000001',
				...partial,
				objectId: Number(partial.objectId),
			};
		});
	}
	/**
	 * @param {string} url the receiver URL (signed exactly as given)
	 * @param {(string | Record<string, unknown>)[]} events
	 * @param {{ secret?: string, timestamp?: number, forge?: boolean }} [opts] secret: default the app client secret
	 */
	const webhookDelivery = (url, events, opts = {}) => buildDelivery(url, completeEvents(events), { secret: opts.secret ?? app_.clientSecret, timestamp: opts.timestamp, forge: opts.forge });
	/** @param {string} url @param {(string | Record<string, unknown>)[]} events @param {{ secret?: string, timestamp?: number, forge?: boolean }} [opts] */
	async function deliverWebhook(url, events, opts) {
		const delivery = webhookDelivery(url, events, opts);
		const result = await post(url, delivery);
		deliveries.push({ url, events: JSON.parse(delivery.rawBody), status: result.status, at: new Date().toISOString() });
		return result;
	}

	const baseUrl = () => {
		if (!app.url) throw new Error('The HubSpot fake is not listening yet: await fake.listen() first');
		return app.url;
	};
	const admin = (/** @type {(body: any) => unknown} */ fn) => async (/** @type {import('../core/server').SandboxRequest} */ req) => {
		try {
			return { body: await fn(req.body || {}) };
		} catch (error) {
			return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
		}
	};
	app.route('POST', '/__sandbox/hubspot/seed-deal', admin((b) => seedDeal(b)));
	app.route('POST', '/__sandbox/hubspot/move-deal', admin((b) => moveDeal(b.id, b.stageId, b)));
	app.route('POST', '/__sandbox/hubspot/seed-lead', admin((b) => seedLead(b)));
	app.route('POST', '/__sandbox/hubspot/touch-lead', admin((b) => markLeadTouched(b.id, b)));
	app.route('POST', '/__sandbox/hubspot/expire-tokens', admin(() => (expireTokens(), { expired: true })));
	app.route('POST', '/__sandbox/hubspot/webhook', admin((b) => deliverWebhook(b.url, b.events, b)));

	function expireTokens() {
		for (const token of oauthTokens.values()) token.expired = true;
	}

	return {
		app,
		rateLimit,
		listen: app.listen,
		close: app.close,
		get url() {
			return app.url;
		},
		portalId,
		appId,
		credentials: () => ({ hubspotCrmApi: { authentication: 'privateApp', accessToken: privateAppToken, basePath: baseUrl(), portalId, appClientSecret: app_.clientSecret } }),
		oauthCredentials: () => ({
			hubspotCrmApi: { authentication: 'oauth', accessToken: '', clientId: app_.clientId, clientSecret: app_.clientSecret, refreshToken: app_.refreshToken, basePath: baseUrl(), portalId, appClientSecret: app_.clientSecret },
		}),
		state: () => app.state(),
		requests: () => app.requests,
		reset: () => app.reset(),
		get pipelines() {
			return store.pipelines;
		},
		seedCompany,
		seedOwner,
		seedDeal,
		seedLead,
		markLeadTouched,
		moveDeal,
		/** Change properties as a user would in the UI (no API validation). @param {string} id @param {Record<string, string | null>} properties */
		touchDeal: (id, properties) => clone(store.update('deals', id, properties, { skipValidation: true })),
		/** @param {'deals' | 'companies' | 'tasks' | 'contacts'} type @param {string} name */
		defineProperty: (type, name) => store.defineProperty(type, name),
		expireTokens,
		webhookDelivery,
		deliverWebhook,
	};
}

const clone = (/** @type {any} */ value) => JSON.parse(JSON.stringify(value));

module.exports = { createHubspotFake };

if (require.main === module) {
	const fake = createHubspotFake();
	fake.listen(Number(process.env.PORT || process.argv[2] || 0)).then(({ url }) => {
		process.stdout.write(`${JSON.stringify({ url, credentials: fake.credentials() }, null, 2)}\n`);
	});
	const stop = () => fake.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
