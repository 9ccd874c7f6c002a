// @ts-check
'use strict';

/**
 * The sandbox-wide switch for the vendors' own rate limits (each fake's rateLimit.js): `false` = off (the default),
 * `true` = every vendor's documented defaults, an object = per vendor `true` / `false` / overrides, vendors it does
 * not name at their defaults (`{ stripe: { testPerSecond: 10 }, salesforce: false }`).
 *
 * @typedef {'stripe' | 'hubspot' | 'docusign' | 'salesforce'} LimitedVendor
 * @typedef {boolean | Partial<Record<LimitedVendor, boolean | Record<string, unknown>>>} VendorLimitsSetting
 * @typedef {{ configure: (setting: any) => unknown, config: unknown, stats: () => Record<string, unknown> }} VendorRateLimit
 */

const LIMITED_VENDORS = /** @type {const} */ (['stripe', 'hubspot', 'docusign', 'salesforce']);

/** @param {Record<LimitedVendor, VendorRateLimit>} limiters */
function createVendorLimits(limiters) {
	/**
	 * Applies a setting to every vendor; an invalid one changes nothing.
	 * @param {unknown} setting
	 */
	function set(setting) {
		if (setting !== undefined && setting !== null && typeof setting !== 'boolean' && (typeof setting !== 'object' || Array.isArray(setting))) {
			throw Object.assign(new Error('Vendor limits are true, false or { stripe?, hubspot?, docusign?, salesforce? }'), { status: 400 });
		}
		const perVendor = /** @type {Record<string, unknown>} */ (setting && typeof setting === 'object' ? setting : {});
		const unknown = Object.keys(perVendor).filter((name) => !LIMITED_VENDORS.includes(/** @type {LimitedVendor} */ (name)));
		if (unknown.length) throw Object.assign(new Error(`Unknown vendor(s) ${unknown.join(', ')} in vendor limits (known: ${LIMITED_VENDORS.join(', ')})`), { status: 400 });
		const before = LIMITED_VENDORS.map((name) => limiters[name].config);
		try {
			for (const name of LIMITED_VENDORS) {
				const own = typeof setting === 'object' && setting ? (perVendor[name] ?? true) : Boolean(setting);
				limiters[name].configure(own);
			}
		} catch (error) {
			LIMITED_VENDORS.forEach((name, index) => limiters[name].configure(before[index] ?? false));
			throw error;
		}
		return settings();
	}

	/** What each vendor enforces now (null = off). */
	const settings = () => Object.fromEntries(LIMITED_VENDORS.map((name) => [name, limiters[name].config ?? null]));

	/** Per vendor: `{ enabled, requests, limited, byPolicy }` since the last reset. */
	const stats = () => Object.fromEntries(LIMITED_VENDORS.map((name) => [name, limiters[name].stats()]));

	return { set, settings, stats };
}

/** The CLI / env form: `true`, `false`, or JSON. @param {string | undefined} text @returns {VendorLimitsSetting} */
function parseVendorLimits(text) {
	if (text === undefined || text === '' || text === 'false' || text === '0') return false;
	if (text === 'true' || text === '1') return true;
	return JSON.parse(text);
}

module.exports = { createVendorLimits, parseVendorLimits, LIMITED_VENDORS };
