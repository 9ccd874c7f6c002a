/**
 * Webhook authenticity checks shared by every trigger. All comparisons are constant time, a missing
 * secret is a rejection (never "skip verification"), and several secrets may be valid at once so a
 * vendor secret can be rotated without downtime.
 */
import { createHmac, createPublicKey, createSign, createVerify, timingSafeEqual, createHash, type KeyObject } from 'node:crypto';

export type VerifyResult<T = undefined> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Compares two strings/buffers in time independent of where they differ (and of their lengths). */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const ha = createHash('sha256').update(a).digest();
	const hb = createHash('sha256').update(b).digest();
	return timingSafeEqual(ha, hb) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

export type SignatureEncoding = 'hex' | 'base64';

export function hmacDigest(secret: string | Buffer, payload: string | Buffer, encoding: SignatureEncoding = 'hex', algorithm = 'sha256'): string {
	return createHmac(algorithm, secret).update(payload).digest(encoding);
}

function nonEmpty(values: string | readonly (string | undefined | null)[] | undefined | null): string[] {
	const list = Array.isArray(values) ? values : [values];
	return list.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export interface HmacCheck {
	/** The exact bytes the vendor signed (raw body, or a vendor-defined concatenation). */
	payload: string | Buffer;
	/** Signature(s) presented by the sender. */
	signatures: string | readonly (string | undefined | null)[] | undefined | null;
	/** Currently valid secret(s); more than one during rotation. */
	secrets: string | readonly (string | undefined | null)[] | undefined | null;
	encoding?: SignatureEncoding;
	algorithm?: string;
	/** Prefix the sender puts before the digest, e.g. "sha256=". */
	prefix?: string;
}

/** True if any presented signature matches any valid secret. */
export function verifyHmac(check: HmacCheck): VerifyResult {
	const secrets = nonEmpty(check.secrets);
	if (secrets.length === 0) return fail('no signing secret is configured');
	const signatures = nonEmpty(check.signatures);
	if (signatures.length === 0) return fail('the request carries no signature');
	const prefix = check.prefix ?? '';
	let matched = false;
	for (const secret of secrets) {
		const expected = prefix + hmacDigest(secret, check.payload, check.encoding, check.algorithm);
		// Check every pair (no early exit) so timing does not reveal which secret matched.
		for (const presented of signatures) matched = constantTimeEqual(expected, presented.trim()) || matched;
	}
	return matched ? { ok: true, value: undefined } : fail('signature does not match');
}

/** Rejects timestamps outside the replay window (seconds). */
export function checkTimestamp(timestampSec: number, toleranceSec: number, nowMs = Date.now()): VerifyResult {
	if (!Number.isFinite(timestampSec)) return fail('the request carries no valid timestamp');
	const age = Math.abs(nowMs / 1000 - timestampSec);
	return age > toleranceSec ? fail(`timestamp is outside the ${toleranceSec}s tolerance`) : { ok: true, value: undefined };
}

export interface TimestampedSignatureCheck {
	payload: string | Buffer;
	/** Header like `t=1700000000,v1=abc,v1=def` (Stripe's scheme). */
	header: string | undefined | null;
	secrets: HmacCheck['secrets'];
	toleranceSec?: number;
	now?: number;
	timestampKey?: string;
	signatureKey?: string;
}

/** `t=…,v1=…` scheme: HMAC-SHA256 hex over `${t}.${payload}`; any v1 may match (rotation). */
export function verifyTimestampedSignature(check: TimestampedSignatureCheck): VerifyResult<{ timestamp: number }> {
	if (nonEmpty(check.secrets).length === 0) return fail('no signing secret is configured');
	if (!check.header) return fail('the request carries no signature header');
	const tKey = check.timestampKey ?? 't';
	const sKey = check.signatureKey ?? 'v1';
	let timestamp = Number.NaN;
	const signatures: string[] = [];
	for (const part of check.header.split(',')) {
		const index = part.indexOf('=');
		if (index < 0) continue;
		const key = part.slice(0, index).trim();
		const value = part.slice(index + 1).trim();
		if (key === tKey) timestamp = Number(value);
		else if (key === sKey) signatures.push(value);
	}
	if (!Number.isFinite(timestamp)) return fail('the signature header has no timestamp');
	const fresh = checkTimestamp(timestamp, check.toleranceSec ?? 300, check.now);
	if (!fresh.ok) return fresh;
	const payload = Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.isBuffer(check.payload) ? check.payload : Buffer.from(check.payload)]);
	const result = verifyHmac({ payload, signatures, secrets: check.secrets, encoding: 'hex' });
	return result.ok ? { ok: true, value: { timestamp } } : result;
}

/** Builds a `t=…,v1=…` header; for tests and the sandbox's signed events. */
export function signTimestamped(payload: string, secret: string, timestampSec = Math.floor(Date.now() / 1000)): string {
	return `t=${timestampSec},v1=${hmacDigest(secret, `${timestampSec}.${payload}`)}`;
}

// ---------- RS256 JWT ----------

export interface JwtCheck {
	issuer?: string;
	audience?: string;
	/** Allowed clock skew for exp/nbf/iat, seconds. */
	clockToleranceSec?: number;
	/** Reject tokens whose iat is older than this (replay window), seconds. */
	maxAgeSec?: number;
	/** Demand an `exp` or `iat` claim so a captured token cannot be replayed forever. */
	requireTimeClaim?: boolean;
	/** Demand `iat`: without it a replay window (maxAgeSec) could not be applied at all. */
	requireIssuedAt?: boolean;
	now?: number;
}

export interface JwtResult {
	header: Record<string, unknown>;
	payload: Record<string, unknown>;
}

function base64UrlDecode(part: string): Buffer {
	return Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function base64UrlJson(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function toPublicKey(pem: string): KeyObject | undefined {
	try {
		return createPublicKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
	} catch {
		return undefined;
	}
}

/** Verifies a compact RS256 JWT against any of the given public keys (PEM); only RS256 is accepted. */
export function verifyJwtRs256(token: string | undefined | null, publicKeys: HmacCheck['secrets'], check: JwtCheck = {}): VerifyResult<JwtResult> {
	const keys = nonEmpty(publicKeys).map(toPublicKey).filter((k): k is KeyObject => k !== undefined);
	if (nonEmpty(publicKeys).length === 0) return fail('no verification public key is configured');
	if (keys.length === 0) return fail('the configured public key is not a valid PEM key');
	if (typeof token !== 'string' || token.trim() === '') return fail('the request carries no token');
	const parts = token.trim().split('.');
	if (parts.length !== 3) return fail('the body is not a compact JWT');
	let header: Record<string, unknown>;
	let payload: Record<string, unknown>;
	try {
		header = JSON.parse(base64UrlDecode(parts[0]).toString('utf8'));
		payload = JSON.parse(base64UrlDecode(parts[1]).toString('utf8'));
	} catch {
		return fail('the JWT header or payload is not JSON');
	}
	if (header.alg !== 'RS256') return fail(`JWT algorithm ${String(header.alg)} is not accepted (RS256 only)`);
	const signingInput = `${parts[0]}.${parts[1]}`;
	const signature = base64UrlDecode(parts[2]);
	let verified = false;
	for (const key of keys) {
		const verifier = createVerify('RSA-SHA256');
		verifier.update(signingInput);
		verified = verifier.verify(key, signature) || verified;
	}
	if (!verified) return fail('JWT signature does not verify');

	const now = (check.now ?? Date.now()) / 1000;
	const skew = check.clockToleranceSec ?? 60;
	const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
	const nbf = typeof payload.nbf === 'number' ? payload.nbf : undefined;
	const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
	if (check.requireTimeClaim !== false && exp === undefined && iat === undefined) return fail('JWT has neither exp nor iat');
	if (check.requireIssuedAt && iat === undefined) return fail('JWT has no iat, so its replay window cannot be checked');
	if (exp !== undefined && now > exp + skew) return fail('JWT has expired');
	if (nbf !== undefined && now + skew < nbf) return fail('JWT is not yet valid');
	if (iat !== undefined && iat > now + skew) return fail('JWT is issued in the future');
	if (check.maxAgeSec !== undefined && iat !== undefined && now - iat > check.maxAgeSec + skew) return fail('JWT is older than the replay window');
	if (check.issuer !== undefined && payload.iss !== check.issuer) return fail('JWT issuer does not match');
	if (check.audience !== undefined) {
		const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
		if (!aud.includes(check.audience)) return fail('JWT audience does not match');
	}
	return { ok: true, value: { header, payload } };
}

/** Signs an RS256 JWT; the sandbox and tests use it to send vendor-shaped webhooks. */
export function signJwtRs256(payload: Record<string, unknown>, privateKeyPem: string, header: Record<string, unknown> = {}): string {
	const signingInput = `${base64UrlJson({ alg: 'RS256', typ: 'JWT', ...header })}.${base64UrlJson(payload)}`;
	const signer = createSign('RSA-SHA256');
	signer.update(signingInput);
	return `${signingInput}.${signer.sign(privateKeyPem).toString('base64url')}`;
}
