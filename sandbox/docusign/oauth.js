// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * DocuSign's account server, JWT Grant only: `POST /oauth/token` verifies an RS256 assertion against the public
 * half of a key pair made here (the private PEM is handed out in the credential), `GET /oauth/userinfo` names the
 * user's one account. Access tokens are opaque, live `expires_in` seconds and are checked by the REST routes.
 */

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CONSENTED_SCOPES = ['signature', 'impersonation'];

/** @param {string} error @param {string} [description] */
const oauthError = (error, description) => ({ status: 400, body: { error, ...(description ? { error_description: description } : {}) } });

/** @param {string} part */
function decodeJson(part) {
	try {
		return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
	} catch {
		return null;
	}
}

/**
 * @param {{ now?: () => number, expiresIn?: number }} [options]
 */
function createOAuthServer(options = {}) {
	const now = options.now || Date.now;
	const expiresIn = options.expiresIn || 3600;
	const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const identity = {
		integrationKey: crypto.randomUUID(),
		userId: crypto.randomUUID(),
		accountId: crypto.randomUUID(),
		name: 'Sandbox Sender',
		email: 'sender@sandbox.docusign.test',
		accountName: 'Q2C Sandbox Account',
	};
	const privatePem = /** @type {string} */ (privateKey.export({ type: 'pkcs1', format: 'pem' }));
	let consent = true;
	/** @type {Map<string, { expiresAt: number, userId: string }>} */
	let tokens = new Map();
	let issued = 0;

	/**
	 * @param {unknown} body form body
	 * @param {string} audience the host the assertion must name (`127.0.0.1:port`)
	 */
	function token(body, audience) {
		const form = /** @type {Record<string, unknown>} */ (body && typeof body === 'object' ? body : {});
		if (form.grant_type !== JWT_BEARER) return oauthError('unsupported_grant_type');
		if (typeof form.assertion !== 'string') return oauthError('invalid_request', 'assertion is required');
		const parts = form.assertion.split('.');
		const header = parts.length === 3 ? decodeJson(parts[0]) : null;
		const claims = parts.length === 3 ? decodeJson(parts[1]) : null;
		if (!header || !claims) return oauthError('invalid_grant', 'invalid_jwt');
		if (header.alg !== 'RS256') return oauthError('invalid_grant', 'unsupported_algorithm');
		const signed = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url'));
		if (!signed) return oauthError('invalid_grant', 'no_valid_keys_or_signatures');
		if (claims.iss !== identity.integrationKey) return oauthError('invalid_grant', 'issuer_not_found');
		if (claims.sub !== identity.userId) return oauthError('invalid_grant', 'user_not_found');
		if (claims.aud !== audience) return oauthError('invalid_grant', 'invalid_audience');
		const seconds = Math.floor(now() / 1000);
		if (typeof claims.exp !== 'number' || claims.exp <= seconds) return oauthError('invalid_grant', 'expired_grant');
		if (typeof claims.iat === 'number' && claims.iat > seconds + 300) return oauthError('invalid_grant', 'invalid_iat');
		const scopes = String(claims.scope || '').split(/\s+/).filter(Boolean);
		if (!scopes.includes('signature') || !scopes.includes('impersonation')) return oauthError('invalid_scope', 'signature and impersonation scopes are required');
		if (!consent || scopes.some((s) => !CONSENTED_SCOPES.includes(s))) return oauthError('consent_required');
		const accessToken = `eyJ0eXAiOiJNVCJ9.${crypto.randomBytes(24).toString('base64url')}`;
		tokens.set(accessToken, { expiresAt: now() + expiresIn * 1000, userId: identity.userId });
		issued++;
		return { status: 200, body: { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn } };
	}

	/** @param {string | null} presented */
	function tokenIsValid(presented) {
		const entry = presented ? tokens.get(presented) : undefined;
		return Boolean(entry && entry.expiresAt > now());
	}

	/** @param {string | null} presented @param {string} baseUri */
	function userinfo(presented, baseUri) {
		if (!tokenIsValid(presented)) return { status: 401, body: { error: 'invalid_request', error_description: 'The access token provided is expired, revoked or malformed.' } };
		return {
			status: 200,
			body: {
				sub: identity.userId,
				name: identity.name,
				given_name: 'Sandbox',
				family_name: 'Sender',
				email: identity.email,
				accounts: [{ account_id: identity.accountId, is_default: true, account_name: identity.accountName, base_uri: baseUri }],
			},
		};
	}

	return {
		identity,
		privatePem,
		publicPem: /** @type {string} */ (publicKey.export({ type: 'spki', format: 'pem' })),
		token,
		userinfo,
		tokenIsValid,
		/** @param {boolean} granted */
		setConsent(granted) {
			consent = Boolean(granted);
		},
		get consent() {
			return consent;
		},
		/** Forget every access token (clients must fetch a new one). */
		revokeTokens() {
			tokens = new Map();
		},
		stats: () => ({ tokensIssued: issued, activeTokens: [...tokens.values()].filter((t) => t.expiresAt > now()).length, consent }),
		reset() {
			tokens = new Map();
			issued = 0;
			consent = true;
		},
	};
}

module.exports = { createOAuthServer, JWT_BEARER, oauthError };
