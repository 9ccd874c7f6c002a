// @ts-check
'use strict';

/**
 * Salesforce record ids: a 3-char key prefix, 12 more case-sensitive chars, then a 3-char suffix that encodes
 * which of the first 15 chars are upper case (so 18-char ids survive case-insensitive systems).
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** @param {string} id15 */
function checksumSuffix(id15) {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const c = id15.charAt(chunk * 5 + i);
			if (c >= 'A' && c <= 'Z') bits |= 1 << i;
		}
		suffix += SUFFIX_ALPHABET.charAt(bits);
	}
	return suffix;
}

/** @param {string} id15 */
const to18 = (id15) => id15 + checksumSuffix(id15);

/** @param {number} n @param {number} width */
function base62(n, width) {
	let out = '';
	let rest = n;
	while (rest > 0) {
		out = BASE62[rest % 62] + out;
		rest = Math.floor(rest / 62);
	}
	return out.padStart(width, '0');
}

/** Sequential ids per prefix, like an org's: `006` + pod `Dn0` + 9 base62 chars + suffix. */
function createIdFactory() {
	/** @type {Map<string, number>} */
	const counters = new Map();
	return {
		/** @param {string} prefix */
		next(prefix) {
			const n = (counters.get(prefix) || 0) + 1;
			counters.set(prefix, n);
			return to18(`${prefix}Dn0${base62(n + 11_000_000, 9)}`);
		},
		// Record ids never repeat across resets (a real org never reuses one; triggers remember them). Only User
		// ids restart, so the integration user is re-created with the same id and issued sessions stay valid.
		reset: () => counters.delete('005'),
	};
}

/** Normalise a 15- or 18-char id to 18 chars; anything else → null. @param {unknown} id */
function normaliseId(id) {
	if (typeof id !== 'string' || !/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(id)) return null;
	const id15 = id.slice(0, 15);
	return to18(id15);
}

module.exports = { createIdFactory, normaliseId, to18, checksumSuffix };
