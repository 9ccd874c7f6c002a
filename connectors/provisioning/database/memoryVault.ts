import { registerSecret, validationError } from '../../core';
import { SecretString } from './secret';
import type { PutSecretOptions, SecretVault, StoredSecret } from './types';

export const MEMORY_VAULT_PREFIX = 'memory:';

/** A SecretVault in this process's memory: for tests and single-process demos (secrets vanish on restart). */
export class InMemorySecretVault implements SecretVault {
	private readonly secrets = new Map<string, string>();

	async put(name: string, value: string, options: PutSecretOptions = {}): Promise<StoredSecret> {
		const key = checkName(name);
		if (typeof value !== 'string' || value === '') throw validationError('value', 'a non-empty secret text');
		const created = !this.secrets.has(key);
		if (created || options.overwrite) this.secrets.set(key, value);
		registerSecret(value);
		return { reference: MEMORY_VAULT_PREFIX + key, created };
	}

	async get(name: string): Promise<{ reference: string; value: SecretString } | undefined> {
		const key = checkName(name);
		const value = this.secrets.get(key);
		return value === undefined ? undefined : { reference: MEMORY_VAULT_PREFIX + key, value: new SecretString(value) };
	}

	async delete(name: string): Promise<void> {
		this.secrets.delete(checkName(name));
	}

	/** Names held, for tests that check clean-up. */
	names(): string[] {
		return [...this.secrets.keys()];
	}
}

function checkName(name: string): string {
	const key = typeof name === 'string' && name.startsWith(MEMORY_VAULT_PREFIX) ? name.slice(MEMORY_VAULT_PREFIX.length) : name;
	if (typeof key !== 'string' || key.trim() === '') throw validationError('name', 'a non-empty secret name', name);
	return key;
}
