import type { ContractActivationDecision, DiscountApprovalsDecision, LeadRoutingDecision } from './attributes';
import { parseRevOpsConfig, type RevOpsConfig } from './config';

export type DecisionKind = 'lead_routing' | 'discount_approvals' | 'contract_activation';

export const DECISION_KINDS: readonly DecisionKind[] = ['lead_routing', 'discount_approvals', 'contract_activation'];

export interface DecisionOfKind {
	lead_routing: LeadRoutingDecision;
	discount_approvals: DiscountApprovalsDecision;
	contract_activation: ContractActivationDecision;
}

export type DecisionOf<K extends DecisionKind> = DecisionOfKind[K];

export interface TraceStep {
	rule: string;
	outcome: 'matched' | 'skipped' | 'fired';
	detail: string;
}

export interface PolicyResult<D> {
	kind: DecisionKind;
	engine: 'builtin' | 'opa';
	decision: D;
	/** The normalised input attributes the decision was made on. */
	attributes: unknown;
	trace: TraceStep[];
	config_version: string;
	evaluated_at: string;
}

/**
 * A RevOps policy evaluator. Implementations validate and normalise `attributes` with the shared
 * `normaliseAttributes(kind, attributes, config)` before applying any rule.
 */
export interface PolicyEngine {
	readonly name: 'builtin' | 'opa';
	evaluate<K extends DecisionKind>(kind: K, attributes: unknown, config: RevOpsConfig): Promise<PolicyResult<DecisionOf<K>>>;
}

/** Evaluates with any engine from a raw config (object, JSON or YAML text), parsing it first. */
export function evaluateWith<K extends DecisionKind>(
	engine: PolicyEngine,
	kind: K,
	attributes: unknown,
	config: unknown,
): Promise<PolicyResult<DecisionOf<K>>> {
	return engine.evaluate(kind, attributes, parseRevOpsConfig(config));
}
