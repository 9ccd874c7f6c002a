// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * OAuth 2.0 for the Salesforce fake: one connected app (consumer key/secret), refresh-token and JWT-bearer grants,
 * access tokens that can be expired on demand, and the token response Salesforce sends.
 */

/** @param {string} text */
const b64urlJson = (text) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
const oauthError = (/** @type {string} */ error, /** @type {string} */ description) => ({ status: 400, body: { error, error_description: description } });

/**
 * @param {{ orgId: string, baseUrl: () => string, tick: () => number }} env
 */
function createOAuth(env) {
	const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const app = {
		clientId: `3MVG9${crypto.randomBytes(20).toString('base64url')}`,
		clientSecret: crypto.randomBytes(32).toString('hex').toUpperCase(),
		privatePem: /** @type {string} */ (keys.privateKey.export({ type: 'pkcs8', format: 'pem' })),
		publicPem: /** @type {string} */ (keys.publicKey.export({ type: 'spki', format: 'pem' })),
	};
	/** @type {Map<string, { userId: string }>} refresh token → user */
	const refreshTokens = new Map();
	/** @type {Map<string, { userId: string, expired: boolean }>} */
	const sessions = new Map();

	/** @param {string} userId */
	function issueRefreshToken(userId) {
		const token = `5Aep861${crypto.randomBytes(32).toString('base64url')}`;
		refreshTokens.set(token, { userId });
		return token;
	}

	/** @param {string} userId */
	function tokenResponse(userId) {
		const accessToken = `${env.orgId.slice(0, 15)}!AR${crypto.randomBytes(40).toString('base64url')}`;
		sessions.set(accessToken, { userId, expired: false });
		const id = `${env.baseUrl()}/id/${env.orgId}/${userId}`;
		const issuedAt = String(env.tick());
		const signature = crypto.createHmac('sha256', app.clientSecret).update(id + issuedAt).digest('base64');
		return { access_token: accessToken, signature, scope: 'refresh_token api', instance_url: env.baseUrl(), id, token_type: 'Bearer', issued_at: issuedAt };
	}

	/**
	 * @param {Record<string, any>} body form fields
	 * @param {{ userByUsername: (username: string) => { Id: string, IsActive: boolean } | undefined, userById: (id: string) => { IsActive: boolean } | undefined }} users
	 */
	function token(body, users) {
		const grant = body && body.grant_type;
		if (grant === 'refresh_token') {
			if (body.client_id !== app.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
			if (body.client_secret !== undefined && body.client_secret !== app.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
			const known = refreshTokens.get(String(body.refresh_token || ''));
			if (!known) return oauthError('invalid_grant', 'expired access/refresh token');
			const user = users.userById(known.userId);
			if (!user || !user.IsActive) return oauthError('invalid_grant', 'inactive user');
			return { status: 200, body: tokenResponse(known.userId) };
		}
		if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return jwtBearer(String(body.assertion || ''), users);
		return oauthError('unsupported_grant_type', 'grant type not supported');
	}

	/** @param {string} assertion @param {Parameters<typeof token>[1]} users */
	function jwtBearer(assertion, users) {
		const parts = assertion.split('.');
		if (parts.length !== 3) return oauthError('invalid_grant', 'invalid assertion');
		let header;
		let claims;
		try {
			header = b64urlJson(parts[0]);
			claims = b64urlJson(parts[1]);
		} catch {
			return oauthError('invalid_grant', 'invalid assertion');
		}
		if (header.alg !== 'RS256') return oauthError('invalid_grant', 'invalid assertion: algorithm must be RS256');
		const valid = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), app.publicPem, Buffer.from(parts[2], 'base64url'));
		if (!valid) return oauthError('invalid_grant', 'invalid assertion: signature does not verify against the certificate of the connected app');
		if (claims.iss !== app.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
		const audience = String(claims.aud || '').replace(/\/+$/, '');
		if (audience !== env.baseUrl()) return oauthError('invalid_grant', 'audience is invalid');
		const now = Math.floor(Date.now() / 1000);
		if (typeof claims.exp !== 'number' || claims.exp < now) return oauthError('invalid_grant', 'expired authorization code');
		if (claims.exp > now + 300) return oauthError('invalid_grant', 'invalid assertion: exp is more than 3 minutes in the future');
		const user = users.userByUsername(String(claims.sub || ''));
		if (!user) return oauthError('invalid_grant', 'user hasn\'t approved this consumer');
		if (!user.IsActive) return oauthError('invalid_grant', 'inactive user');
		const response = /** @type {Record<string, unknown>} */ (tokenResponse(user.Id));
		response.scope = 'api';
		return { status: 200, body: response };
	}

	return {
		app,
		issueRefreshToken,
		token,
		/** The session for `Authorization: Bearer …` / `OAuth …`, or why not. @param {import('node:http').IncomingHttpHeaders} headers @param {string} [queryToken] */
		session(headers, queryToken) {
			const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(String(headers.authorization || ''));
			const presented = match ? match[1] : queryToken;
			const session = presented ? sessions.get(presented) : undefined;
			return session && !session.expired ? session : null;
		},
		/** Expire every access token issued so far (refresh tokens stay valid). */
		expireSessions() {
			for (const session of sessions.values()) session.expired = true;
		},
		/** Revoke refresh tokens too (credential test failures). */
		revokeRefreshTokens: () => refreshTokens.clear(),
		sessionCount: () => [...sessions.values()].filter((s) => !s.expired).length,
	};
}

module.exports = { createOAuth };
