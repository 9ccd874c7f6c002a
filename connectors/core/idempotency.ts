import { createHash } from 'node:crypto';
import { validationError } from './errors';

/**
 * Deterministic idempotency key from a business key (contract/order id) and a workflow step.
 * The same contract and step always give the same key, so a redelivered webhook replays the
 * vendor's stored result instead of charging or provisioning twice. Stays under Stripe's 255 chars.
 */
/**
 * The step of an idempotency key for one attempt at a contract. Attempt 0 keeps the plain step (keys stay what they
 * were); after a compensated attempt the next one gets fresh keys, so the vendor creates anew instead of replaying
 * what was since cancelled or disabled.
 */
export function stepForAttempt(step: string, attempt: number | undefined): string {
	return attempt ? `${step}.attempt-${attempt}` : step;
}

export function idempotencyKey(businessKey: string, step: string, namespace = 'q2c'): string {
	if (typeof businessKey !== 'string' || businessKey.trim() === '') {
		throw validationError('businessKey', 'a non-empty contract or order id', businessKey);
	}
	if (typeof step !== 'string' || step.trim() === '') {
		throw validationError('step', 'a non-empty step name such as "billing.subscription.create"', step);
	}
	const digest = createHash('sha256').update(`${namespace}\u0000${businessKey.trim()}\u0000${step.trim()}`).digest('hex');
	const readableStep = step.trim().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
	return `${namespace}-${readableStep}-${digest.slice(0, 40)}`;
}

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

/** JSON with sorted keys, so equal objects hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value && typeof value === 'object' && !(value instanceof Date)) {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value as object).sort()) {
			const inner = (value as Record<string, unknown>)[key];
			// defineProperty, not assignment: `out['__proto__'] = …` would set the prototype and drop the member from the hash.
			if (inner !== undefined) Object.defineProperty(out, key, { value: sortKeys(inner), enumerable: true, writable: true, configurable: true });
		}
		return out;
	}
	return value;
}
