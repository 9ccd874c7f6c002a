import { normaliseAttributes } from './attributes';
import { decideContractActivation } from './builtin/contractActivation';
import { decideDiscountApprovals } from './builtin/discountApprovals';
import { decideLeadRouting } from './builtin/leadRouting';
import { configVersion, type RevOpsConfig } from './config';
import type { DecisionKind, DecisionOf, PolicyEngine, PolicyResult } from './engine';
import type { Evaluation } from './builtin/shared';

export interface BuiltinEngineOptions {
	/** Clock for `evaluated_at`; tests pin it. */
	now?: () => Date;
}

/** Runs the kind's rules on normalised attributes; pure and deterministic. */
function decide(kind: DecisionKind, attributes: unknown, config: RevOpsConfig): { attributes: unknown; evaluation: Evaluation<unknown> } {
	switch (kind) {
		case 'lead_routing': {
			const normalised = normaliseAttributes('lead_routing', attributes, config);
			return { attributes: normalised, evaluation: decideLeadRouting(normalised, config) };
		}
		case 'discount_approvals': {
			const normalised = normaliseAttributes('discount_approvals', attributes, config);
			return { attributes: normalised, evaluation: decideDiscountApprovals(normalised, config) };
		}
		default: {
			const normalised = normaliseAttributes('contract_activation', attributes, config);
			return { attributes: normalised, evaluation: decideContractActivation(normalised, config) };
		}
	}
}

/** The in-process policy engine: no network, same decisions as the OPA bundle (the golden table checks both). */
export function createBuiltinEngine(options: BuiltinEngineOptions = {}): PolicyEngine {
	const now = options.now ?? (() => new Date());
	return {
		name: 'builtin',
		async evaluate<K extends DecisionKind>(kind: K, attributes: unknown, config: RevOpsConfig): Promise<PolicyResult<DecisionOf<K>>> {
			const { attributes: normalised, evaluation } = decide(kind, attributes, config);
			return {
				kind,
				engine: 'builtin',
				decision: evaluation.decision as DecisionOf<K>,
				attributes: normalised,
				trace: evaluation.trace,
				config_version: configVersion(config),
				evaluated_at: now().toISOString(),
			};
		},
	};
}
