import { businessKeySchema, idempotencyKey, parseInput, stepForAttempt, validationError } from '../../core';
import { ACTION_VARIABLE, BUSINESS_KEY_VARIABLE, DESTROY_ACTION, IDEMPOTENCY_VARIABLE, RESERVED_VARIABLES, type TriggerInput } from './types';

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Git ref names: no whitespace, no `..`, none of ~^:?*[\ (git check-ref-format). */
const REF = /^(?!.*\.\.)[^\s~^:?*[\\]+$/;

export interface ParsedTrigger {
	businessKey: string;
	/** The caller's variables plus the two Q2C_* variables. */
	variables: Record<string, string>;
	ref?: string;
	message?: string;
	idempotencyKey: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks a trigger before any request; every failure names the field at fault. */
export function parseTriggerInput(input: TriggerInput | unknown, step: string, vendor: string): ParsedTrigger {
	if (!isPlainObject(input)) throw validationError('input', 'an object with a businessKey', input, vendor);
	const businessKey = parseInput(businessKeySchema, input.businessKey, 'businessKey', vendor);
	const variables: Record<string, string> = {};
	if (input.variables !== undefined) {
		if (!isPlainObject(input.variables)) throw validationError('variables', 'an object of variable name to string value', input.variables, vendor);
		for (const [name, value] of Object.entries(input.variables)) {
			if (!VARIABLE_NAME.test(name)) throw validationError(`variables.${name}`, 'a variable name matching [A-Za-z_][A-Za-z0-9_]*', name, vendor);
			if (RESERVED_VARIABLES.includes(name)) throw validationError(`variables.${name}`, `a name other than the reserved ${RESERVED_VARIABLES.join(' and ')}`, name, vendor);
			if (typeof value !== 'string') throw validationError(`variables.${name}`, 'a string value', value, vendor);
			variables[name] = value;
		}
	}
	const ref = input.ref;
	if (ref !== undefined && (typeof ref !== 'string' || ref.trim() === '' || ref.length > 255 || !REF.test(ref.trim()))) {
		throw validationError('ref', 'a branch or tag name such as "main"', ref, vendor);
	}
	const attempt = input.attempt;
	if (attempt !== undefined && (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 0)) {
		throw validationError('attempt', 'a whole number of at least 0', attempt, vendor);
	}
	const message = input.message;
	if (message !== undefined && (typeof message !== 'string' || message.length > 500)) {
		throw validationError('message', 'text of at most 500 characters', message, vendor);
	}
	const key = idempotencyKey(businessKey, stepForAttempt(step, attempt));
	variables[IDEMPOTENCY_VARIABLE] = key;
	variables[BUSINESS_KEY_VARIABLE] = businessKey;
	return { businessKey, variables, ref: typeof ref === 'string' ? ref.trim() : undefined, message, idempotencyKey: key };
}

/** A required configuration string (token, project id, URL); never echoes a secret back. */
export function requireText(value: unknown, field: string, expected: string, vendor: string, secret = false): string {
	if (typeof value === 'number' && Number.isFinite(value) && !secret) return String(value);
	if (typeof value !== 'string' || value.trim() === '') throw validationError(field, expected, secret ? undefined : value, vendor);
	return value.trim();
}

/** A run id segment: digits only (GitLab pipeline ids, Jenkins queue/build numbers). */
export function requireNumericId(value: unknown, field: string, vendor: string): string {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !/^[1-9][0-9]{0,18}$/.test(text.trim())) throw validationError(field, 'a positive whole-number id', value, vendor);
	return text.trim();
}

/** The destroy run's input: the caller's variables plus Q2C_ACTION=destroy (which the caller may not set itself). */
export function withDestroyAction(input: TriggerInput, vendor: string): TriggerInput {
	const variables = (input as { variables?: Record<string, string> } | undefined)?.variables;
	if (variables && Object.prototype.hasOwnProperty.call(variables, ACTION_VARIABLE)) {
		throw validationError(`variables.${ACTION_VARIABLE}`, `no ${ACTION_VARIABLE} variable: Destroy sets it to "${DESTROY_ACTION}"`, variables[ACTION_VARIABLE], vendor);
	}
	return { ...input, variables: { ...variables, [ACTION_VARIABLE]: DESTROY_ACTION } };
}
