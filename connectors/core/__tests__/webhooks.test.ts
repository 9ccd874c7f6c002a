import { createHmac, generateKeyPairSync } from 'node:crypto';
import {
	checkTimestamp,
	constantTimeEqual,
	hmacDigest,
	signJwtRs256,
	signTimestamped,
	verifyHmac,
	verifyJwtRs256,
	verifyTimestampedSignature,
} from '../webhooks';

const body = '{"event":"order.approved","orderId":"ORD-1"}';
const secret = 'wh-secret-current';
const oldSecret = 'wh-secret-previous';
const hex = (key: string, payload = body) => createHmac('sha256', key).update(payload).digest('hex');
const b64 = (key: string, payload = body) => createHmac('sha256', key).update(payload).digest('base64');

describe('constantTimeEqual', () => {
	it('compares strings and buffers', () => {
		expect(constantTimeEqual('abc', 'abc')).toBe(true);
		expect(constantTimeEqual(Buffer.from('abc'), 'abc')).toBe(true);
		expect(constantTimeEqual('abc', 'abd')).toBe(false);
	});
	it('handles different lengths without throwing', () => {
		expect(constantTimeEqual('abc', 'abcd')).toBe(false);
		expect(constantTimeEqual('', 'a')).toBe(false);
		expect(constantTimeEqual('', '')).toBe(true);
	});
});

describe('verifyHmac', () => {
	it('accepts a valid hex signature (default sha256)', () => {
		expect(hmacDigest(secret, body)).toBe(hex(secret));
		expect(verifyHmac({ payload: body, signatures: hex(secret), secrets: secret })).toEqual({ ok: true, value: undefined });
		expect(verifyHmac({ payload: Buffer.from(body), signatures: ` ${hex(secret)} `, secrets: [secret] }).ok).toBe(true);
	});

	it('accepts a valid base64 signature', () => {
		expect(verifyHmac({ payload: body, signatures: b64(secret), secrets: secret, encoding: 'base64' }).ok).toBe(true);
		expect(verifyHmac({ payload: body, signatures: hex(secret), secrets: secret, encoding: 'base64' }).ok).toBe(false);
	});

	it('supports a prefix and other algorithms', () => {
		expect(verifyHmac({ payload: body, signatures: `sha256=${hex(secret)}`, secrets: secret, prefix: 'sha256=' }).ok).toBe(true);
		expect(verifyHmac({ payload: body, signatures: hex(secret), secrets: secret, prefix: 'sha256=' }).ok).toBe(false);
		const sha1 = createHmac('sha1', secret).update(body).digest('hex');
		expect(verifyHmac({ payload: body, signatures: sha1, secrets: secret, algorithm: 'sha1' }).ok).toBe(true);
	});

	it('rejects a forged signature or a tampered body', () => {
		expect(verifyHmac({ payload: body, signatures: hex('attacker'), secrets: secret })).toEqual({ ok: false, reason: 'signature does not match' });
		expect(verifyHmac({ payload: `${body} `, signatures: hex(secret), secrets: secret }).ok).toBe(false);
	});

	it('rejects when no secret is configured, never skipping verification', () => {
		for (const secrets of [undefined, null, '', [], [undefined, '']]) {
			expect(verifyHmac({ payload: body, signatures: hex(''), secrets })).toEqual({ ok: false, reason: 'no signing secret is configured' });
		}
	});

	it('rejects a request without a signature', () => {
		for (const signatures of [undefined, null, '', [null]]) {
			expect(verifyHmac({ payload: body, signatures, secrets: secret })).toEqual({ ok: false, reason: 'the request carries no signature' });
		}
	});

	it('accepts either secret during rotation and any presented signature', () => {
		expect(verifyHmac({ payload: body, signatures: hex(oldSecret), secrets: [secret, oldSecret] }).ok).toBe(true);
		expect(verifyHmac({ payload: body, signatures: hex(oldSecret), secrets: [secret] }).ok).toBe(false);
		expect(verifyHmac({ payload: body, signatures: ['junk', hex(secret)], secrets: secret }).ok).toBe(true);
	});
});

describe('checkTimestamp', () => {
	const now = 1_700_000_000_000;
	it('accepts timestamps within tolerance either way', () => {
		expect(checkTimestamp(1_700_000_000 - 299, 300, now).ok).toBe(true);
		expect(checkTimestamp(1_700_000_000 + 299, 300, now).ok).toBe(true);
	});
	it('rejects stale, future and invalid timestamps', () => {
		expect(checkTimestamp(1_700_000_000 - 301, 300, now)).toEqual({ ok: false, reason: 'timestamp is outside the 300s tolerance' });
		expect(checkTimestamp(1_700_000_000 + 301, 300, now).ok).toBe(false);
		expect(checkTimestamp(Number.NaN, 300, now)).toEqual({ ok: false, reason: 'the request carries no valid timestamp' });
	});
});

describe('verifyTimestampedSignature', () => {
	const now = 1_700_000_000_000;
	const t = 1_700_000_000;
	const sig = (key: string, ts = t, payload = body) => hex(key, `${ts}.${payload}`);

	it('accepts a valid header and returns the timestamp', () => {
		expect(verifyTimestampedSignature({ payload: body, header: `t=${t},v1=${sig(secret)}`, secrets: secret, now })).toEqual({ ok: true, value: { timestamp: t } });
		expect(verifyTimestampedSignature({ payload: Buffer.from(body), header: signTimestamped(body, secret, t), secrets: secret, now }).ok).toBe(true);
	});

	it('accepts any of several v1 values and ignores other schemes/garbage parts', () => {
		const header = `t=${t}, v0=${sig('legacy')}, v1=${sig('other')}, junk, v1=${sig(secret)}`;
		expect(verifyTimestampedSignature({ payload: body, header, secrets: secret, now }).ok).toBe(true);
	});

	it('accepts the previous secret during rotation', () => {
		expect(verifyTimestampedSignature({ payload: body, header: `t=${t},v1=${sig(oldSecret)}`, secrets: [secret, oldSecret], now }).ok).toBe(true);
	});

	it('rejects stale and future timestamps even with a valid signature', () => {
		const stale = t - 301;
		const future = t + 301;
		expect(verifyTimestampedSignature({ payload: body, header: `t=${stale},v1=${sig(secret, stale)}`, secrets: secret, now })).toEqual({
			ok: false,
			reason: 'timestamp is outside the 300s tolerance',
		});
		expect(verifyTimestampedSignature({ payload: body, header: `t=${future},v1=${sig(secret, future)}`, secrets: secret, now }).ok).toBe(false);
		expect(verifyTimestampedSignature({ payload: body, header: `t=${stale},v1=${sig(secret, stale)}`, secrets: secret, now, toleranceSec: 600 }).ok).toBe(true);
	});

	it('rejects a forged signature, and a signature over another timestamp', () => {
		expect(verifyTimestampedSignature({ payload: body, header: `t=${t},v1=${sig('attacker')}`, secrets: secret, now })).toEqual({
			ok: false,
			reason: 'signature does not match',
		});
		expect(verifyTimestampedSignature({ payload: body, header: `t=${t},v1=${sig(secret, t - 1)}`, secrets: secret, now }).ok).toBe(false);
	});

	it('rejects a missing header, missing timestamp, missing signature or missing secret', () => {
		expect(verifyTimestampedSignature({ payload: body, header: undefined, secrets: secret, now })).toEqual({ ok: false, reason: 'the request carries no signature header' });
		expect(verifyTimestampedSignature({ payload: body, header: `v1=${sig(secret)}`, secrets: secret, now })).toEqual({ ok: false, reason: 'the signature header has no timestamp' });
		expect(verifyTimestampedSignature({ payload: body, header: `t=${t}`, secrets: secret, now })).toEqual({ ok: false, reason: 'the request carries no signature' });
		expect(verifyTimestampedSignature({ payload: body, header: `t=${t},v1=${sig(secret)}`, secrets: undefined, now })).toEqual({ ok: false, reason: 'no signing secret is configured' });
	});

	it('supports custom header keys', () => {
		const header = `ts=${t},sig=${sig(secret)}`;
		expect(verifyTimestampedSignature({ payload: body, header, secrets: secret, now, timestampKey: 'ts', signatureKey: 'sig' }).ok).toBe(true);
	});
});

describe('RS256 JWT', () => {
	const keyPair = () => {
		const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		return {
			publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
			privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		};
	};
	const vendor = keyPair();
	const other = keyPair();
	const now = 1_700_000_000_000;
	const nowSec = now / 1000;
	const claims = { iss: 'vendasta', aud: 'q2c', iat: nowSec - 10, exp: nowSec + 300, orderId: 'ORD-1' };
	const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

	it('round-trips signJwtRs256 -> verifyJwtRs256', () => {
		const token = signJwtRs256(claims, vendor.privatePem, { kid: 'k1' });
		const result = verifyJwtRs256(token, vendor.publicPem, { issuer: 'vendasta', audience: 'q2c', now });
		expect(result).toEqual({ ok: true, value: { header: { alg: 'RS256', typ: 'JWT', kid: 'k1' }, payload: claims } });
	});

	it('accepts an audience array and a key with literal \\n escapes', () => {
		const token = signJwtRs256({ ...claims, aud: ['other', 'q2c'] }, vendor.privatePem);
		const escaped = vendor.publicPem.replace(/\n/g, '\\n');
		expect(escaped).not.toContain('\n');
		expect(verifyJwtRs256(token, escaped, { audience: 'q2c', now }).ok).toBe(true);
	});

	it('rejects a signature made with another key', () => {
		const forged = signJwtRs256(claims, other.privatePem);
		expect(verifyJwtRs256(forged, vendor.publicPem, { now })).toEqual({ ok: false, reason: 'JWT signature does not verify' });
	});

	it('rejects a tampered payload', () => {
		const [h, , s] = signJwtRs256(claims, vendor.privatePem).split('.');
		expect(verifyJwtRs256(`${h}.${b64url({ ...claims, orderId: 'ORD-2' })}.${s}`, vendor.publicPem, { now }).ok).toBe(false);
	});

	it('accepts the second key during rotation', () => {
		const token = signJwtRs256(claims, vendor.privatePem);
		expect(verifyJwtRs256(token, [other.publicPem, vendor.publicPem], { now }).ok).toBe(true);
		expect(verifyJwtRs256(token, [other.publicPem, 'not a pem', vendor.publicPem], { now }).ok).toBe(true);
	});

	it('rejects alg none and HS256 (algorithm confusion)', () => {
		const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
		expect(verifyJwtRs256(none, vendor.publicPem, { now })).toEqual({ ok: false, reason: 'JWT algorithm none is not accepted (RS256 only)' });
		const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
		const hs = `${input}.${createHmac('sha256', vendor.publicPem).update(input).digest('base64url')}`;
		expect(verifyJwtRs256(hs, vendor.publicPem, { now })).toEqual({ ok: false, reason: 'JWT algorithm HS256 is not accepted (RS256 only)' });
		// even a correctly RS256-signed token whose header claims another alg is refused
		expect(verifyJwtRs256(signJwtRs256(claims, vendor.privatePem, { alg: 'RS512' }), vendor.publicPem, { now }).ok).toBe(false);
	});

	it.each([
		['expired', { exp: nowSec - 61 }, 'JWT has expired'],
		['not yet valid', { nbf: nowSec + 61 }, 'JWT is not yet valid'],
		['issued in the future', { iat: nowSec + 61 }, 'JWT is issued in the future'],
		['without exp or iat', { exp: undefined, iat: undefined }, 'JWT has neither exp nor iat'],
	])('rejects a token %s', (_label, overrides, reason) => {
		const token = signJwtRs256({ ...claims, ...overrides }, vendor.privatePem);
		expect(verifyJwtRs256(token, vendor.publicPem, { now })).toEqual({ ok: false, reason });
	});

	it('tolerates clock skew within clockToleranceSec', () => {
		const token = signJwtRs256({ ...claims, exp: nowSec - 30, nbf: nowSec + 30 }, vendor.privatePem);
		expect(verifyJwtRs256(token, vendor.publicPem, { now }).ok).toBe(true);
		expect(verifyJwtRs256(token, vendor.publicPem, { now, clockToleranceSec: 0 }).ok).toBe(false);
	});

	it('allows tokens without time claims only when asked', () => {
		const token = signJwtRs256({ orderId: 'ORD-1' }, vendor.privatePem);
		expect(verifyJwtRs256(token, vendor.publicPem, { now, requireTimeClaim: false }).ok).toBe(true);
	});

	it('rejects a token older than the replay window', () => {
		const token = signJwtRs256({ ...claims, iat: nowSec - 3600, exp: nowSec + 3600 }, vendor.privatePem);
		expect(verifyJwtRs256(token, vendor.publicPem, { now, maxAgeSec: 300 })).toEqual({ ok: false, reason: 'JWT is older than the replay window' });
		expect(verifyJwtRs256(token, vendor.publicPem, { now, maxAgeSec: 7200 }).ok).toBe(true);
	});

	it('rejects issuer and audience mismatches', () => {
		const token = signJwtRs256(claims, vendor.privatePem);
		expect(verifyJwtRs256(token, vendor.publicPem, { now, issuer: 'someone-else' })).toEqual({ ok: false, reason: 'JWT issuer does not match' });
		expect(verifyJwtRs256(token, vendor.publicPem, { now, audience: 'other-app' })).toEqual({ ok: false, reason: 'JWT audience does not match' });
		const noAud = signJwtRs256({ ...claims, aud: undefined }, vendor.privatePem);
		expect(verifyJwtRs256(noAud, vendor.publicPem, { now, audience: 'q2c' }).ok).toBe(false);
	});

	it.each([
		[undefined, 'the request carries no token'],
		['   ', 'the request carries no token'],
		['not-a-jwt', 'the body is not a compact JWT'],
		['a.b', 'the body is not a compact JWT'],
		['%%%.###.!!!', 'the JWT header or payload is not JSON'],
		[`${b64url({ alg: 'RS256' })}.bm90IGpzb24.sig`, 'the JWT header or payload is not JSON'],
	])('rejects garbage token %p', (token, reason) => {
		expect(verifyJwtRs256(token, vendor.publicPem, { now })).toEqual({ ok: false, reason });
	});

	it('rejects a well-formed RS256 token with a garbage signature', () => {
		const token = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.AAAA`;
		expect(verifyJwtRs256(token, vendor.publicPem, { now })).toEqual({ ok: false, reason: 'JWT signature does not verify' });
	});

	it('rejects when no key, or only an invalid key, is configured', () => {
		const token = signJwtRs256(claims, vendor.privatePem);
		expect(verifyJwtRs256(token, undefined, { now })).toEqual({ ok: false, reason: 'no verification public key is configured' });
		expect(verifyJwtRs256(token, ['', null], { now })).toEqual({ ok: false, reason: 'no verification public key is configured' });
		expect(verifyJwtRs256(token, '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----', { now })).toEqual({
			ok: false,
			reason: 'the configured public key is not a valid PEM key',
		});
	});

	it('uses the real clock by default', () => {
		const fresh = signJwtRs256({ iat: Math.floor(Date.now() / 1000) }, vendor.privatePem);
		expect(verifyJwtRs256(fresh, vendor.publicPem).ok).toBe(true);
	});
});
