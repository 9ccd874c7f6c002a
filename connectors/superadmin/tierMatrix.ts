import { validationError } from '../core';
import { FLAG_LEVELS, normalizeTier, type FeatureFlagSet, type FlagLevel } from './schemas/common';
import bundledMatrix from './tier-matrix.json';

/**
 * The feature-flag matrix (modules × tiers → level) ships as editable configuration in
 * tier-matrix.json. A user may paste an edited copy into the node; it is validated here first so a
 * typo names the module and tier at fault instead of switching the wrong features on.
 */
export interface TierMatrix {
	version: number;
	description?: string;
	tiers: { key: string; name: string }[];
	modules: {
		key: string;
		name: string;
		access: Record<string, FlagLevel>;
		extras?: Record<string, string[]>;
	}[];
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9_]*$/;
const KEY_EXPECTED = 'a lower-case key such as "sports_medicine" (letters, digits, underscores)';
const LEVELS_EXPECTED = `one of ${FLAG_LEVELS.map((l) => JSON.stringify(l)).join(', ')}`;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function validateTiers(raw: unknown): TierMatrix['tiers'] {
	if (!Array.isArray(raw) || raw.length === 0) throw validationError('tierMatrix.tiers', 'a non-empty list of tiers like {"key": "grassroots", "name": "Grassroots"}', raw);
	const seen = new Set<string>();
	return raw.map((tier, index) => {
		const at = `tierMatrix.tiers[${index}]`;
		if (!isObject(tier)) throw validationError(at, 'an object with "key" and "name"', tier);
		if (typeof tier.key !== 'string' || !KEY_PATTERN.test(tier.key)) throw validationError(`${at}.key`, KEY_EXPECTED, tier.key);
		if (seen.has(tier.key)) throw validationError(`${at}.key`, `a tier key used once (tier "${tier.key}" is listed twice)`, tier.key);
		seen.add(tier.key);
		const name = tier.name === undefined ? tier.key : tier.name;
		if (typeof name !== 'string' || name.trim() === '') throw validationError(`${at}.name`, 'a non-empty display name', tier.name);
		return { key: tier.key, name };
	});
}

function validateModule(raw: unknown, index: number, tierKeys: string[], seen: Set<string>): TierMatrix['modules'][number] {
	if (!isObject(raw)) throw validationError(`tierMatrix.modules[${index}]`, 'an object with "key", "name" and "access"', raw);
	if (typeof raw.key !== 'string' || !KEY_PATTERN.test(raw.key)) throw validationError(`tierMatrix.modules[${index}].key`, KEY_EXPECTED, raw.key);
	const key = raw.key;
	const at = `tierMatrix.modules[${key}]`;
	if (seen.has(key)) throw validationError(`${at}.key`, `a module key used once (module "${key}" is listed twice)`, key);
	seen.add(key);
	const name = raw.name === undefined ? key : raw.name;
	if (typeof name !== 'string' || name.trim() === '') throw validationError(`${at}.name`, 'a non-empty display name', raw.name);
	if (!isObject(raw.access)) throw validationError(`${at}.access`, `an object giving a level for each tier (${tierKeys.join(', ')})`, raw.access);
	const access: Record<string, FlagLevel> = {};
	for (const tier of tierKeys) {
		const level = raw.access[tier];
		if (level === undefined) throw validationError(`${at}.access.${tier}`, `a level for tier "${tier}" of module "${key}": ${LEVELS_EXPECTED}`);
		const normalized = typeof level === 'string' ? level.trim().toLowerCase() : level;
		if (!(FLAG_LEVELS as readonly unknown[]).includes(normalized)) throw validationError(`${at}.access.${tier}`, LEVELS_EXPECTED, level);
		access[tier] = normalized as FlagLevel;
	}
	for (const tier of Object.keys(raw.access)) {
		if (!tierKeys.includes(tier)) throw validationError(`${at}.access.${tier}`, `a tier listed in tierMatrix.tiers (${tierKeys.join(', ')}); "${tier}" is not one`);
	}
	const module: TierMatrix['modules'][number] = { key, name, access };
	if (raw.extras !== undefined) module.extras = validateExtras(raw.extras, `${at}.extras`, tierKeys, key, access);
	return module;
}

function validateExtras(raw: unknown, at: string, tierKeys: string[], moduleKey: string, access: Record<string, FlagLevel>): Record<string, string[]> {
	if (!isObject(raw)) throw validationError(at, 'an object mapping a tier to a list of extra feature names', raw);
	const extras: Record<string, string[]> = {};
	for (const [tier, features] of Object.entries(raw)) {
		if (!tierKeys.includes(tier)) throw validationError(`${at}.${tier}`, `a tier listed in tierMatrix.tiers (${tierKeys.join(', ')}); "${tier}" is not one`);
		if (!Array.isArray(features) || features.some((f) => typeof f !== 'string' || !KEY_PATTERN.test(f))) {
			throw validationError(`${at}.${tier}`, `a list of feature keys such as ["custom_exports"]`, features);
		}
		if (access[tier] === 'disabled' && features.length > 0) {
			throw validationError(`${at}.${tier}`, `no extras while module "${moduleKey}" is disabled for tier "${tier}"`, features);
		}
		extras[tier] = features as string[];
	}
	return extras;
}

/** Validates a matrix (object or JSON text); errors name the module and tier at fault. */
export function parseTierMatrix(input: unknown): TierMatrix {
	let raw = input;
	if (typeof raw === 'string') {
		try {
			raw = JSON.parse(raw);
		} catch {
			throw validationError('tierMatrix', 'valid JSON (copy the bundled tier-matrix.json and edit it)', raw);
		}
	}
	if (!isObject(raw)) throw validationError('tierMatrix', 'an object with "tiers" and "modules"', raw);
	const version = raw.version ?? 1;
	if (version !== 1) throw validationError('tierMatrix.version', '1', version);
	const tiers = validateTiers(raw.tiers);
	const tierKeys = tiers.map((t) => t.key);
	if (!Array.isArray(raw.modules) || raw.modules.length === 0) throw validationError('tierMatrix.modules', 'a non-empty list of modules', raw.modules);
	const seen = new Set<string>();
	const modules = raw.modules.map((m, index) => validateModule(m, index, tierKeys, seen));
	return { version: 1, ...(typeof raw.description === 'string' ? { description: raw.description } : {}), tiers, modules };
}

/**
 * The matrix in force: the override when one is given (object or JSON text; empty means none),
 * else the bundled tier-matrix.json.
 */
export function loadTierMatrix(override?: unknown): TierMatrix {
	const empty = override === undefined || override === null || (typeof override === 'string' && override.trim() === '') || (isObject(override) && Object.keys(override).length === 0);
	return parseTierMatrix(empty ? bundledMatrix : override);
}

/** The flags one tier gets: every module's level plus any extras. */
export function flagsForTier(matrix: TierMatrix, tier: string): FeatureFlagSet {
	const key = normalizeTier(tier);
	if (!matrix.tiers.some((t) => t.key === key)) {
		throw validationError('tier', `one of ${matrix.tiers.map((t) => JSON.stringify(t.key)).join(', ')} (the tiers in the feature-flag matrix)`, tier);
	}
	const flags: Record<string, FlagLevel> = {};
	const extras: Record<string, string[]> = {};
	for (const module of matrix.modules) {
		flags[module.key] = module.access[key];
		const moduleExtras = module.extras?.[key];
		if (moduleExtras && moduleExtras.length > 0) extras[module.key] = [...moduleExtras];
	}
	return { tier: key, flags, extras };
}
