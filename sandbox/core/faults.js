// @ts-check
'use strict';

/**
 * Fault rules for the sandbox servers. A rule's `route` is `METHOD PATH`: METHOD may be `*`; PATH is a route
 * template (`/v1/customers/{customer}`), a concrete path, `*`, or a prefix ending in `*`. A bare `*` matches all.
 * `times` limits how many requests the rule hits (absent: until cleared).
 *
 * @typedef {object} Fault
 * @property {number} [latencyMs] delay before anything else happens (alone: the request then proceeds normally)
 * @property {number} [status] answer with this status instead of running the route
 * @property {number} [retryAfter] seconds, sent as `Retry-After`
 * @property {unknown} [body] response body (default: the fake's vendor-shaped `faultBody`)
 * @property {Record<string, string>} [headers]
 * @property {boolean} [timeout] never answer (the socket stays open until the client gives up)
 * @property {boolean} [drop] destroy the socket without a response
 * @property {boolean} [dropResponse] run the request (its effect happens, an idempotent result is stored), then
 *   destroy the socket instead of answering: the answer is lost in transit
 *
 * @typedef {{ id: number, route: string, times: number | null, hits: number, fault: Fault }} FaultRule
 */

function createFaultRegistry() {
	/** @type {FaultRule[]} */
	let rules = [];
	let sequence = 0;

	/**
	 * @param {FaultRule} rule
	 * @param {string} method
	 * @param {string} path
	 * @param {string | null} template
	 */
	function matches(rule, method, path, template) {
		const spec = rule.route.trim();
		const [ruleMethod, rulePath] = spec === '*' ? ['*', '*'] : spec.split(/\s+/, 2);
		if (ruleMethod !== '*' && ruleMethod.toUpperCase() !== method) return false;
		if (!rulePath || rulePath === '*' || rulePath === path || rulePath === template) return true;
		return rulePath.endsWith('*') && path.startsWith(rulePath.slice(0, -1));
	}

	return {
		/** @returns {FaultRule[]} */
		list: () => rules,
		/**
		 * Add one rule `{ route, fault, times? }` or an array of them.
		 * @param {unknown} body
		 */
		add(body) {
			const list = Array.isArray(body) ? body : [body];
			/** @type {FaultRule[]} */
			const added = [];
			for (const item of list) {
				const entry = /** @type {any} */ (item || {});
				if (typeof entry.route !== 'string' || !entry.fault || typeof entry.fault !== 'object') {
					throw Object.assign(new Error('Each fault needs { route: "METHOD /path", fault: { … }, times? }'), { status: 400 });
				}
				const rule = { id: ++sequence, route: entry.route, times: Number.isInteger(entry.times) ? entry.times : null, hits: 0, fault: entry.fault };
				rules.push(rule);
				added.push(rule);
			}
			return added;
		},
		/** Clear the rules for one route key, or all. @param {string} [route] */
		clear(route) {
			rules = route ? rules.filter((r) => r.route !== route) : [];
		},
		/**
		 * The fault for this request, counting the hit (first matching rule wins).
		 * @param {string} method
		 * @param {string} path
		 * @param {string | null} template
		 * @returns {Fault | null}
		 */
		take(method, path, template) {
			const rule = rules.find((r) => matches(r, method, path, template));
			if (!rule) return null;
			rule.hits++;
			if (rule.times !== null && rule.hits >= rule.times) rules = rules.filter((r) => r !== rule);
			return rule.fault;
		},
	};
}

module.exports = { createFaultRegistry };
