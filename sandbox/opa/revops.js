// @ts-check
'use strict';

/**
 * The RevOps documents of the OPA fake, answered by a policy engine (`evaluate(kind, attributes, config)`, e.g. the
 * built-in one from connectors/revops): `<packagePath>/<kind>/decision` is the decision, `<packagePath>/<kind>` the
 * package document `{ decision }`. Any other path, or a request without `input`, is undefined, as in OPA.
 *
 * @typedef {{ evaluate: (kind: any, attributes: unknown, config: any) => Promise<{ decision: unknown }> }} RevOpsEngine
 */

const KINDS = ['lead_routing', 'discount_approvals', 'contract_activation'];

/**
 * @param {RevOpsEngine} engine
 * @param {{ packagePath?: string }} [options]
 * @returns {import('./index').Decide}
 */
function revopsDecide(engine, options = {}) {
	const prefix = `${(options.packagePath ?? 'q2c/revops').replace(/^\/+|\/+$/g, '')}/`;
	return async (path, input) => {
		if (!path.startsWith(prefix) || !input || typeof input !== 'object') return undefined;
		const [kind, rule, ...rest] = path.slice(prefix.length).split('/');
		if (!KINDS.includes(kind) || rest.length > 0 || (rule !== undefined && rule !== 'decision')) return undefined;
		const { attributes, config } = /** @type {{ attributes?: unknown, config?: unknown }} */ (input);
		const { decision } = await engine.evaluate(kind, attributes, config);
		return rule === 'decision' ? decision : { decision };
	};
}

module.exports = { revopsDecide, REVOPS_KINDS: KINDS };
