// @ts-check
'use strict';

const crypto = require('node:crypto');
const { stripeError } = require('./errors');

/**
 * The Stripe fake's in-memory state: objects by type, ids, lists with cursor pagination, expansion and the
 * search query language (the subset our connector and templates use).
 */

const PREFIX_TO_TYPE = {
	cus: 'customer',
	price: 'price',
	prod: 'product',
	sub: 'subscription',
	si: 'subscription_item',
	in: 'invoice',
	il: 'line_item',
	ch: 'charge',
	pi: 'payment_intent',
	re: 'refund',
	evt: 'event',
	inpay: 'invoice_payment',
	cs: 'checkout.session',
	mtr: 'billing.meter',
};
/** @type {Record<string, string>} */
const TYPE_TO_PREFIX = { customer: 'cus', price: 'price', product: 'prod', subscription: 'sub', subscription_item: 'si', invoice: 'in', line_item: 'il', charge: 'ch', payment_intent: 'pi', refund: 're', event: 'evt', invoice_payment: 'inpay' };
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** @param {number} length */
function randomId(length) {
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
	return out;
}

/** The object type an id names, by its prefix (`cus_…` → customer). @param {string} id */
const typeOfId = (id) => /** @type {Record<string, string>} */ (PREFIX_TO_TYPE)[id.split('_')[0]];

/** @template T @param {T} value @returns {T} */
const clone = (value) => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

class StripeStore {
	/** @param {{ now?: () => number }} [options] now in milliseconds (injectable clock) */
	constructor(options = {}) {
		this.clock = options.now || (() => Date.now());
		/** @type {Map<string, Map<string, any>>} */
		this.objects = new Map();
		this.counter = 0;
	}

	reset() {
		this.objects = new Map();
		this.counter = 0;
	}

	/** Unix seconds. */
	now() {
		return Math.floor(this.clock() / 1000);
	}

	/** @param {string} type */
	newId(type) {
		return `${TYPE_TO_PREFIX[type] || type}_${randomId(type === 'subscription' || type === 'invoice' ? 24 : 14)}`;
	}

	/** @param {string} type */
	collection(type) {
		let map = this.objects.get(type);
		if (!map) {
			map = new Map();
			this.objects.set(type, map);
		}
		return map;
	}

	/**
	 * Store an object; `_seq` keeps a stable newest-first order for objects created within one second.
	 * @param {any} object
	 */
	put(object) {
		if (object._seq === undefined) Object.defineProperty(object, '_seq', { value: ++this.counter, enumerable: false, writable: true });
		this.collection(object.object).set(object.id, object);
		return object;
	}

	/** @param {string} type @param {string} id */
	find(type, id) {
		return this.collection(type).get(id);
	}

	/**
	 * @param {string} type
	 * @param {string} id
	 * @param {string} [param] the request parameter that named it ('id' for the path)
	 */
	require(type, id, param = 'id') {
		const found = this.find(type, id);
		if (!found || found.deleted) {
			throw stripeError(404, { code: 'resource_missing', param, message: `No such ${type.replace(/_/g, ' ')}: '${id}'` });
		}
		return found;
	}

	/**
	 * Objects of a type, newest first, filtered.
	 * @param {string} type
	 * @param {(object: any) => boolean} [filter]
	 */
	all(type, filter = () => true) {
		return [...this.collection(type).values()].filter((o) => !o.deleted && filter(o)).sort((a, b) => b.created - a.created || b._seq - a._seq);
	}

	/**
	 * A Stripe list object with `limit` / `starting_after` / `ending_before` pagination.
	 * @param {any[]} items newest first
	 * @param {Record<string, any>} params
	 * @param {string} url
	 */
	page(items, params, url) {
		const limit = Math.min(Math.max(params.limit ?? 10, 1), 100);
		let start = 0;
		let end = items.length;
		if (params.starting_after) {
			const index = items.findIndex((o) => o.id === params.starting_after);
			start = index + 1;
		} else if (params.ending_before) {
			end = Math.max(items.findIndex((o) => o.id === params.ending_before), 0);
			start = Math.max(end - limit, 0);
		}
		const data = items.slice(start, Math.min(start + limit, end));
		return { object: 'list', data: clone(data), has_more: start + limit < end, url };
	}

	/**
	 * A search result page; `page` cursors are opaque offsets.
	 * @param {any[]} items
	 * @param {Record<string, any>} params
	 * @param {string} url
	 */
	searchPage(items, params, url) {
		const limit = Math.min(Math.max(params.limit ?? 10, 1), 100);
		const offset = params.page ? Number(Buffer.from(String(params.page), 'base64url').toString('utf8').replace(/^offset:/, '')) || 0 : 0;
		const data = items.slice(offset, offset + limit);
		const hasMore = offset + limit < items.length;
		return {
			object: 'search_result',
			data: clone(data),
			has_more: hasMore,
			next_page: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : null,
			total_count: items.length,
			url,
		};
	}

	/**
	 * Replace ids by objects along each dotted path (`latest_invoice.payment_intent`, `data.customer`).
	 * @param {any} object a clone, safe to mutate
	 * @param {string[] | undefined} paths
	 */
	expand(object, paths) {
		for (const path of paths || []) this.expandPath(object, path.split('.'));
		return object;
	}

	/**
	 * @param {any} node
	 * @param {string[]} segments
	 */
	expandPath(node, segments) {
		if (!node || typeof node !== 'object' || segments.length === 0) return;
		if (Array.isArray(node)) {
			for (const item of node) this.expandPath(item, segments);
			return;
		}
		const [head, ...rest] = segments;
		let value = node[head];
		if (typeof value === 'string') {
			const type = typeOfId(value);
			const target = type && this.find(type, value);
			if (target) node[head] = value = clone(target);
		}
		this.expandPath(value, rest);
	}

	/** Everything held, for `GET /__sandbox/state`. */
	snapshot() {
		/** @type {Record<string, any[]>} */
		const out = {};
		for (const [type, map] of this.objects) out[type] = clone([...map.values()]);
		return out;
	}
}

/**
 * Parse Stripe's search query language: clauses `field:'v'`, `field~'v'` (substring), `-field:'v'`,
 * `metadata['k']:'v'`, `field>123` (also <, >=, <=), `field:null`, joined by AND or OR (not both).
 * @param {string} query
 * @returns {(object: any) => boolean}
 */
function parseSearchQuery(query) {
	const clause = /\s*(-)?([a-z_.]+|metadata\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\])\s*(:|~|>=|<=|>|<)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|(null))\s*/y;
	/** @type {((object: any) => boolean)[]} */
	const tests = [];
	/** @type {Set<string>} */
	const joins = new Set();
	let position = 0;
	const fail = () => stripeError(400, { param: 'query', message: `The query \`${query}\` is not valid search syntax. See https://stripe.com/docs/search#search-query-language.` });
	while (position < query.length) {
		clause.lastIndex = position;
		const m = clause.exec(query);
		if (!m) throw fail();
		position = clause.lastIndex;
		const [, negate, field, metaSingle, metaDouble, op, single, double, number, isNull] = m;
		const metaKey = metaSingle ?? metaDouble;
		const unescape = (/** @type {string} */ s) => s.replace(/\\(.)/g, '$1');
		const expected = single !== undefined ? unescape(single) : double !== undefined ? unescape(double) : number !== undefined ? Number(number) : null;
		/** @param {any} object */
		const read = (object) => (metaKey !== undefined ? object.metadata?.[unescape(metaKey)] : field.split('.').reduce((o, k) => (o == null ? undefined : o[k]), object));
		/** @param {any} object */
		const test = (object) => {
			const actual = read(object);
			if (isNull) return actual === null || actual === undefined;
			if (op === '~') return typeof actual === 'string' && actual.toLowerCase().includes(String(expected).toLowerCase());
			if (op === ':') return actual !== undefined && actual !== null && String(actual) === String(expected);
			const a = Number(actual);
			const b = Number(expected);
			return op === '>' ? a > b : op === '<' ? a < b : op === '>=' ? a >= b : a <= b;
		};
		tests.push(negate ? (object) => !test(object) : test);
		const join = /(AND|OR)\s+/y;
		join.lastIndex = position;
		const joined = join.exec(query);
		if (joined) {
			joins.add(joined[1]);
			position = join.lastIndex;
			if (position >= query.length) throw fail();
		} else if (position < query.length) throw fail();
	}
	if (tests.length === 0 || joins.size > 1) throw fail();
	return joins.has('OR') ? (object) => tests.some((t) => t(object)) : (object) => tests.every((t) => t(object));
}

/**
 * Metadata update semantics: '' clears everything, a key set to '' is removed.
 * @param {Record<string, string>} current
 * @param {unknown} update
 */
function mergeMetadata(current, update) {
	if (update === undefined) return current;
	if (update === '') return {};
	/** @type {Record<string, string>} */
	const out = { ...current };
	for (const [key, value] of Object.entries(/** @type {Record<string, string>} */ (update))) {
		if (value === '') delete out[key];
		else out[key] = String(value);
	}
	return out;
}

module.exports = { StripeStore, parseSearchQuery, mergeMetadata, clone, randomId, typeOfId };
