// @ts-check
'use strict';

/**
 * Bracket-notation form / query decoding, as Stripe (and Rails/PHP-style APIs) read it:
 * `items[0][price]=p&metadata[k]=v&expand[]=x` → `{ items: { 0: { price: 'p' } }, metadata: { k: 'v' }, expand: ['x'] }`.
 * Indexed containers stay objects with numeric keys: only the schema knows whether `metadata[0]` is an
 * array element or a metadata key, so the validator turns them into arrays where the schema says array.
 */

/** @typedef {string | FormObject | FormList} FormValue */
/** @typedef {{ [key: string]: FormValue }} FormObject */
/** @typedef {Array<FormValue>} FormList */

/**
 * Split `a[b][][c]` into `['a', 'b', '', 'c']`. A key without brackets is one segment.
 * @param {string} key
 * @returns {string[]}
 */
function splitKey(key) {
	const open = key.indexOf('[');
	if (open <= 0) return [key];
	const segments = [key.slice(0, open)];
	const pattern = /\[([^\]]*)\]/gy;
	pattern.lastIndex = open;
	let match;
	let end = open;
	while ((match = pattern.exec(key)) !== null) {
		segments.push(match[1]);
		end = pattern.lastIndex;
	}
	// Trailing garbage such as `a[b]c` is kept literally in the last segment, like qs does.
	if (end < key.length) segments[segments.length - 1] += key.slice(end);
	return segments;
}

/**
 * Own-property assignment that also works for a key named `__proto__` (no prototype pollution).
 * @param {Record<string, unknown>} target
 * @param {string} key
 * @param {unknown} value
 */
function setOwn(target, key, value) {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * @param {unknown} value
 * @returns {value is FormObject}
 */
function isPlainObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Insert one decoded pair into the tree.
 * @param {FormObject} root
 * @param {string[]} segments
 * @param {string} value
 */
function assign(root, segments, value) {
	/** @type {FormObject | FormValue[]} */
	let node = root;
	for (let i = 0; i < segments.length; i++) {
		const segment = segments[i];
		const last = i === segments.length - 1;
		const nextIsPush = !last && segments[i + 1] === '';
		if (Array.isArray(node)) {
			if (segment !== '') return; // `a[]x` shapes that mix push and keys: ignore, like qs.
			if (last) {
				node.push(value);
				return;
			}
			// `a[][b]=1&a[][c]=2` builds one element per `[]`; good enough for the shapes APIs send.
			/** @type {FormObject | FormValue[]} */
			const child = nextIsPush ? [] : {};
			node.push(child);
			node = child;
			continue;
		}
		/** @type {FormValue | undefined} */
		const current = Object.prototype.hasOwnProperty.call(node, segment) ? node[segment] : undefined;
		if (last) {
			if (current === undefined) setOwn(node, segment, value);
			else if (Array.isArray(current)) current.push(value);
			else if (typeof current === 'string') setOwn(node, segment, [current, value]); // repeated `a=x&a=y`
			else setOwn(node, segment, value);
			continue;
		}
		if (nextIsPush) {
			if (Array.isArray(current)) node = current;
			else {
				/** @type {FormValue[]} */
				const list = typeof current === 'string' ? [current] : [];
				setOwn(node, segment, list);
				node = list;
			}
			continue;
		}
		if (isPlainObject(current)) node = current;
		else {
			/** @type {FormObject} */
			const child = {};
			setOwn(node, segment, child);
			node = child;
		}
	}
}

/**
 * Decode an `application/x-www-form-urlencoded` body or a query string (leading `?` allowed).
 * @param {string} text
 * @returns {FormObject}
 */
function decodeForm(text) {
	/** @type {FormObject} */
	const root = {};
	const source = text.startsWith('?') ? text.slice(1) : text;
	if (!source) return root;
	for (const [key, value] of new URLSearchParams(source)) {
		if (!key) continue;
		assign(root, splitKey(key), value);
	}
	return root;
}

/**
 * The inverse, for tests and clients: nested objects/arrays → `a[b][0]=v` pairs (indexed arrays, like stripe-node).
 * @param {Record<string, unknown>} data
 * @returns {string}
 */
function encodeForm(data) {
	/** @type {string[]} */
	const pairs = [];
	/**
	 * @param {string} key
	 * @param {unknown} value
	 */
	const walk = (key, value) => {
		if (value === undefined) return;
		if (Array.isArray(value)) value.forEach((item, index) => walk(`${key}[${index}]`, item));
		else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walk(`${key}[${k}]`, v);
		else pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value === null ? '' : String(value))}`);
	};
	for (const [key, value] of Object.entries(data)) walk(key, value);
	return pairs.join('&');
}

module.exports = { decodeForm, encodeForm, splitKey, isPlainObject };
