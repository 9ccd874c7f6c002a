import { inspect } from 'node:util';
import { REDACTED, registerSecret } from '../../core';

/**
 * A secret text (a connection string, a password) that does not leak by accident: JSON.stringify, String(),
 * template literals and console.log / util.inspect all show "[redacted]". The value is only read by calling
 * `reveal()`, which makes every use deliberate and easy to find. The value is also registered with the shared
 * redaction, so it is masked if it ever reaches an error message or a log line anyway.
 */
export class SecretString {
	readonly #value: string;

	constructor(value: string) {
		this.#value = value;
		registerSecret(value);
	}

	/** The secret itself: pass it straight to the driver, never into node output. */
	reveal(): string {
		return this.#value;
	}

	toJSON(): string {
		return REDACTED;
	}

	toString(): string {
		return REDACTED;
	}

	[inspect.custom](): string {
		return `SecretString(${REDACTED})`;
	}
}

export function isSecretString(value: unknown): value is SecretString {
	return value instanceof SecretString;
}
