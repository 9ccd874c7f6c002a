import { loadProfile, parseRevOpsConfig, type RevOpsConfig } from '../config';
import type { DecisionKind } from '../engine';
import { contractActivationCases } from './contractActivationCases';
import { discountApprovalCases } from './discountApprovalCases';
import { leadRoutingCases } from './leadRoutingCases';

/**
 * A shipped profile by short name ("default", "smb", "enterprise"), or a profile with a partial
 * override deep-merged on top: objects merge key by key, arrays and scalars replace, and `null`
 * removes the key (so the schema default applies).
 */
export type GoldenConfig = string | { base: string; override: Record<string, unknown> };

export interface GoldenCase {
	name: string;
	kind: DecisionKind;
	config: GoldenConfig;
	attributes: Record<string, unknown>;
	/** The full decision, as plain JSON; both engines must produce exactly this. */
	expected: Record<string, unknown>;
}

/** The golden table: the arbiter between the built-in engine and the OPA bundle. */
export const goldenCases: GoldenCase[] = [...leadRoutingCases, ...discountApprovalCases, ...contractActivationCases];

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
	const merged: Record<string, unknown> = { ...base };
	for (const [key, value] of Object.entries(override)) {
		if (value === null) delete merged[key];
		else if (isPlainObject(value) && isPlainObject(merged[key])) merged[key] = deepMerge(merged[key] as Record<string, unknown>, value);
		else merged[key] = value;
	}
	return merged;
}

/** The parsed RevOpsConfig a case runs against. */
export function resolveGoldenConfig(config: GoldenConfig): RevOpsConfig {
	if (typeof config === 'string') return loadProfile(config);
	return parseRevOpsConfig(deepMerge(loadProfile(config.base) as unknown as Record<string, unknown>, config.override));
}
