// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { flatQuery } = require('../lib/common');
const { createScheduler, createFailSwitches, addFailRoute } = require('./timing');

/**
 * Cloudflare API v4 fake (zones and DNS records): `Authorization: Bearer`, envelope `{ success, errors, messages,
 * result, result_info }`, page/per_page pagination, name filters (`name`, `name.exact|contains|startswith|
 * endswith`) and `type`, create / PUT / PATCH / delete. Errors as Cloudflare sends them: 81058 identical record,
 * 81057 record already exists (single-valued type), 81053 CNAME conflicts, 1004 DNS Validation Error with an
 * `error_chain`, 10000 Authentication error, 6003/6111 malformed auth header. Zones added with `pending: true`
 * turn `active` after `delays.zoneActivation`. Fail switch `dns-record`: the next create answers 500.
 */

/** @param {number} status @param {{ code: number, message: string, error_chain?: unknown[] }[]} errors */
const failure = (status, errors) => ({ status, body: { success: false, errors, messages: [], result: null } });
const TOKEN_VERIFY = '/client/v4/user/tokens/verify';
/** @param {unknown} result @param {Record<string, number>} [resultInfo] */
const ok = (result, resultInfo) => ({ body: { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) } });
/** @param {number} code @param {string} message */
const dnsValidation = (code, message) => failure(400, [{ code: 1004, message: 'DNS Validation Error', error_chain: [{ code, message }] }]);
const cfId = () => crypto.randomBytes(16).toString('hex');
const TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS'];
const SINGLE = ['CNAME'];

/** @param {{ apiToken?: string, timeScale?: number, delays?: Partial<{ zoneActivation: number }>, zones?: string[] }} [options] */
function createCloudflareFake(options = {}) {
	const apiToken = options.apiToken ?? crypto.randomBytes(20).toString('base64url').slice(0, 40);
	const tokenId = crypto.randomBytes(16).toString('hex');
	const delays = { zoneActivation: 1000, ...options.delays };
	const scheduler = createScheduler({ timeScale: options.timeScale });
	const switches = createFailSwitches(['dns-record']);
	const account = { id: cfId(), name: 'Q2C Sandbox' };
	/** @type {Map<string, any>} */
	const zones = new Map();
	/** @type {Map<string, any>} */
	const records = new Map();

	/** Add a zone (admin helper). @param {string} name @param {{ pending?: boolean }} [spec] */
	function addZone(name, spec = {}) {
		const now = new Date().toISOString();
		const zone = { id: cfId(), name, status: spec.pending ? 'pending' : 'active', paused: false, type: 'full', development_mode: 0, name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'], original_name_servers: [], account, owner: { id: null, type: 'user', email: null }, permissions: ['#dns_records:edit', '#dns_records:read', '#zone:read'], plan: { id: cfId(), name: 'Free Website', price: 0, currency: 'USD', frequency: '', is_subscribed: false, can_subscribe: false, legacy_id: 'free', legacy_discount: false, externally_managed: false }, created_on: now, modified_on: now, activated_on: spec.pending ? null : now, meta: { page_rule_quota: 3, phishing_detected: false } };
		zones.set(zone.id, zone);
		if (spec.pending) scheduler.after(delays.zoneActivation, () => Object.assign(zone, { status: 'active', activated_on: new Date().toISOString() }));
		return { ...zone };
	}
	for (const name of options.zones ?? ['example.com']) addZone(name);

	/** @param {string} raw @param {{ name: string }} zone */
	const fqdn = (raw, zone) => {
		const name = raw.replace(/\.$/, '').toLowerCase();
		if (name === '@' || name === zone.name) return zone.name;
		return name.endsWith(`.${zone.name}`) ? name : `${name}.${zone.name}`;
	};

	/** @param {Record<string, string>} q @param {any[]} items */
	function page(q, items) {
		const perPage = Math.min(Number(q.per_page) || 100, 5000);
		const pageNo = Math.max(1, Number(q.page) || 1);
		const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
		return ok(slice, { page: pageNo, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) });
	}

	/** @param {string} name @param {Record<string, string>} q */
	const nameMatches = (name, q) => {
		const exact = q['name.exact'] ?? q.name;
		return (!exact || name === exact.toLowerCase()) && (!q['name.contains'] || name.includes(q['name.contains'].toLowerCase())) && (!q['name.startswith'] || name.startsWith(q['name.startswith'].toLowerCase())) && (!q['name.endswith'] || name.endsWith(q['name.endswith'].toLowerCase()));
	};

	/**
	 * Validate a record body and check conflicts; returns the record fields or an error response.
	 * @param {any} zone @param {any} body @param {any} [existing] the record being replaced
	 */
	function recordFields(zone, body, existing) {
		if (!body || typeof body !== 'object') return dnsValidation(9000, 'Request body must be a JSON object.');
		const type = String(body.type ?? '').toUpperCase();
		if (!TYPES.includes(type)) return dnsValidation(9000, `DNS record type "${body.type ?? ''}" is invalid.`);
		if (typeof body.name !== 'string' || !body.name.trim()) return dnsValidation(9007, 'DNS record name is required.');
		if (typeof body.content !== 'string' || !body.content) return dnsValidation(9008, 'DNS record content is required.');
		if (type === 'A' && !/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(body.content)) return dnsValidation(9005, 'Content for A record must be a valid IPv4 address.');
		const ttl = body.ttl === undefined ? 1 : body.ttl;
		if (!Number.isInteger(ttl) || (ttl !== 1 && (ttl < 60 || ttl > 86400))) return dnsValidation(9021, 'Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.');
		const name = fqdn(body.name, zone);
		const proxiable = ['A', 'AAAA', 'CNAME'].includes(type);
		const others = [...records.values()].filter((r) => r.zone_id === zone.id && r.name === name && r !== existing);
		if (others.some((r) => r.type === type && r.content === body.content)) return failure(400, [{ code: 81058, message: 'An identical record already exists.' }]);
		if (SINGLE.includes(type) && others.some((r) => r.type === type)) return failure(400, [{ code: 81057, message: 'Record already exists.' }]);
		if ((type === 'CNAME' && others.length) || others.some((r) => r.type === 'CNAME')) return failure(400, [{ code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' }]);
		return { fields: { name, type, content: body.content, ttl, proxied: proxiable && body.proxied === true, proxiable, comment: typeof body.comment === 'string' ? body.comment : null, tags: Array.isArray(body.tags) ? body.tags : [] } };
	}

	const app = createSandboxServer({
		name: 'cloudflare',
		state: () => ({ zones: [...zones.values()], records: [...records.values()], failNext: switches.list() }),
		reset: () => {
			records.clear();
			switches.clear();
		},
		faultBody: (status) => failure(status, [{ code: status === 429 ? 10429 : 10000 + status, message: status === 429 ? 'Rate limited. Please wait and consider throttling your request speed' : `Injected fault ${status}` }]).body,
		notFound: () => failure(404, [{ code: 7003, message: 'Could not route to the requested path, perhaps your object identifier is invalid?' }]),
		onError: (error) => failure(500, [{ code: 10001, message: error instanceof Error ? error.message : String(error) }]),
	});
	addFailRoute(app, switches);
	app.before((req) => {
		const header = String(req.headers.authorization || '');
		if (!header) return failure(400, [{ code: 6003, message: 'Invalid request headers', error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }] }]);
		const bearer = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header);
		if (!bearer) return failure(400, [{ code: 6003, message: 'Invalid request headers', error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }] }]);
		// Verifying a token that is not valid answers 401 "Invalid API Token"; other endpoints 403 "Authentication error".
		if (bearer[1] !== apiToken) return req.path === TOKEN_VERIFY ? failure(401, [{ code: 1000, message: 'Invalid API Token' }]) : failure(403, [{ code: 10000, message: 'Authentication error' }]);
		if (req.bodyError) return failure(400, [{ code: 6007, message: 'Malformed JSON in request body' }]);
		req.locals.q = flatQuery(req.rawQuery);
		return undefined;
	});

	/** @param {import('../core/server').SandboxRequest} req */
	const zoneOf = (req) => zones.get(req.params.zone_id);
	const noZone = () => failure(404, [{ code: 7003, message: 'Could not route to /zones/…, perhaps your object identifier is invalid?' }]);
	const noRecord = () => failure(404, [{ code: 81044, message: 'Record does not exist.' }]);

	// The credential test (GET /user/tokens/verify).
	app.route('GET', TOKEN_VERIFY, () => ({ body: { success: true, errors: [], messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }], result: { id: tokenId, status: 'active' } } }));
	app.route('GET', '/client/v4/zones', (req) => {
		const q = /** @type {Record<string, string>} */ (req.locals.q);
		return page(q, [...zones.values()].filter((z) => (!q.name || z.name === q.name.toLowerCase()) && (!q.status || z.status === q.status)));
	});
	app.route('GET', '/client/v4/zones/{zone_id}', (req) => (zoneOf(req) ? ok(zoneOf(req)) : noZone()));
	app.route('GET', '/client/v4/zones/{zone_id}/dns_records', (req) => {
		const zone = zoneOf(req);
		if (!zone) return noZone();
		const q = /** @type {Record<string, string>} */ (req.locals.q);
		return page(q, [...records.values()].filter((r) => r.zone_id === zone.id && nameMatches(r.name, q) && (!q.type || r.type === q.type.toUpperCase()) && (!q.content || r.content === q.content)));
	});
	app.route('GET', '/client/v4/zones/{zone_id}/dns_records/{id}', (req) => {
		const record = records.get(req.params.id);
		return record && record.zone_id === req.params.zone_id ? ok(record) : noRecord();
	});
	app.route('POST', '/client/v4/zones/{zone_id}/dns_records', (req) => {
		const zone = zoneOf(req);
		if (!zone) return noZone();
		const checked = recordFields(zone, req.body);
		if (!('fields' in checked)) return checked;
		const injected = switches.take('dns-record');
		if (injected) return failure(500, [{ code: 10001, message: injected.message ?? 'Internal server error' }]);
		const now = new Date().toISOString();
		const record = { id: cfId(), zone_id: zone.id, zone_name: zone.name, ...checked.fields, settings: {}, meta: {}, created_on: now, modified_on: now };
		records.set(record.id, record);
		return ok(record);
	});
	/** @param {boolean} partial */
	const update = (partial) => (/** @type {import('../core/server').SandboxRequest} */ req) => {
		const zone = zoneOf(req);
		const record = records.get(req.params.id);
		if (!zone) return noZone();
		if (!record || record.zone_id !== zone.id) return noRecord();
		const body = partial ? { ...record, ...(/** @type {object} */ (req.body || {})) } : req.body;
		const checked = recordFields(zone, body, record);
		if (!('fields' in checked)) return checked;
		Object.assign(record, checked.fields, { modified_on: new Date().toISOString() });
		return ok(record);
	};
	app.route('PUT', '/client/v4/zones/{zone_id}/dns_records/{id}', update(false));
	app.route('PATCH', '/client/v4/zones/{zone_id}/dns_records/{id}', update(true));
	app.route('DELETE', '/client/v4/zones/{zone_id}/dns_records/{id}', (req) => {
		const record = records.get(req.params.id);
		if (!record || record.zone_id !== req.params.zone_id) return noRecord();
		records.delete(record.id);
		return ok({ id: record.id });
	});

	const close = app.close;
	return Object.assign(app, {
		credentials: () => ({ apiToken }),
		addZone,
		/** Records of a zone (admin view). @param {string} zoneName */
		records: (zoneName) => [...records.values()].filter((r) => r.zone_name === zoneName),
		failNext: switches.arm,
		close() {
			scheduler.clear();
			return close();
		},
	});
}

module.exports = { createCloudflareFake };
