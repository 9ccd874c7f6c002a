/**
 * Secret redaction for anything that leaves a connector (errors, node output, receipts, logs).
 * Two mechanisms: keys whose names say "secret", and exact values registered as secrets at runtime
 * (credentials), so a token echoed inside a vendor message is masked too.
 */
export const REDACTED = '[redacted]';
const TRUNCATED = '[truncated]';
const MAX_DEPTH = 12;

const SECRET_KEY =
	/(secret|password|passwd|token|authorization|api[-_]?key|private[-_]?key|signing[-_]?key|client[-_]?secret|cookie|signature|credential)/i;
/** Keys that contain a secret-looking word but are safe, public identifiers. */
const PUBLIC_KEYS = new Set(['tokenType', 'token_type', 'expiresIn', 'apiKeyId', 'keyId', 'publicKey', 'public_key']);

const registered = new Set<string>();

/** Registers a secret value (at least 6 characters) so it is masked wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
	if (typeof value === 'string' && value.length >= 6) registered.add(value);
}

export function isSecretKey(key: string): boolean {
	return !PUBLIC_KEYS.has(key) && SECRET_KEY.test(key);
}

function maskString(text: string, extra: readonly string[]): string {
	let out = text.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`);
	// Stripe API keys carry a mode (sk_test_…); webhook signing secrets do not (whsec_…).
	out = out.replace(/\b(?:(?:sk|rk|pk)_(?:test|live)|whsec)_[A-Za-z0-9]{6,}/g, REDACTED);
	for (const secret of [...registered, ...extra]) {
		if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join(REDACTED);
	}
	return out;
}

/** Returns a deep copy of `value` with secrets masked. Cycles and depth are bounded. */
export function redact<T>(value: T, extraSecrets: readonly string[] = [], depth = 0): T {
	if (typeof value === 'string') return maskString(value, extraSecrets) as unknown as T;
	if (value === null || typeof value !== 'object') return value;
	if (value instanceof Date || Buffer.isBuffer(value)) return value;
	// Beyond the bound (or in a cycle) nothing is inspected, so nothing may be passed through either.
	if (depth > MAX_DEPTH) return TRUNCATED as unknown as T;
	if (Array.isArray(value)) return value.map((item) => redact(item, extraSecrets, depth + 1)) as unknown as T;
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
		out[key] = isSecretKey(key) && inner !== null && inner !== undefined && inner !== '' ? REDACTED : redact(inner, extraSecrets, depth + 1);
	}
	return out as T;
}
