import { OAuth2 } from 'jsforce';
import { ConnectorError, registerSecret, signJwtRs256, z } from '../../core';
import type { ResolvedConfig } from './config';
import { mapOAuthError, VENDOR } from './errors';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce accepts JWT assertions valid for at most 3 minutes. */
const JWT_LIFETIME_SEC = 180;

export interface SalesforceSession {
	accessToken: string;
	instanceUrl: string;
	/** From the identity URL in the token response (…/id/<orgId>/<userId>). */
	organizationId?: string;
	userId?: string;
}

const tokenResponseSchema = z.object({
	access_token: z.string().min(1),
	instance_url: z.string().url().optional(),
	id: z.string().optional(),
});

/** Builds the RS256 assertion of the JWT bearer flow: iss = consumer key, sub = username, aud = login URL. */
export function jwtAssertion(config: ResolvedConfig, nowMs: number): string {
	const exp = Math.floor(nowMs / 1000) + JWT_LIFETIME_SEC;
	return signJwtRs256({ iss: config.clientId, sub: config.username, aud: config.loginUrl, exp }, config.privateKey as string);
}

/** Gets a fresh access token through jsforce OAuth2 (refresh-token or JWT bearer grant). */
export async function requestSession(config: ResolvedConfig, nowMs: number): Promise<SalesforceSession> {
	const oauth2 = new OAuth2({ loginUrl: config.loginUrl, clientId: config.clientId, clientSecret: config.clientSecret });
	let raw: unknown;
	try {
		const pending =
			config.auth === 'refreshToken'
				? oauth2.refreshToken(config.refreshToken as string)
				: oauth2.requestToken({ grant_type: JWT_BEARER_GRANT, assertion: jwtAssertion(config, nowMs) });
		raw = await withTimeout(pending, config.timeoutMs);
	} catch (error) {
		throw mapOAuthError(error);
	}
	const parsed = tokenResponseSchema.safeParse(raw);
	if (!parsed.success) throw new ConnectorError('auth', 'Salesforce token response has no access_token', { vendor: VENDOR });
	registerSecret(parsed.data.access_token);
	const instanceUrl = (config.instanceUrl ?? parsed.data.instance_url)?.replace(/\/+$/, '');
	if (!instanceUrl) {
		throw new ConnectorError('auth', 'Salesforce token response has no instance_url; set the instance URL in the credential', { vendor: VENDOR });
	}
	const [organizationId, userId] = identityIds(parsed.data.id);
	return { accessToken: parsed.data.access_token, instanceUrl, organizationId, userId };
}

function identityIds(idUrl: string | undefined): [string?, string?] {
	const match = /\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(idUrl ?? '');
	return match ? [match[1], match[2]] : [];
}

/** jsforce's OAuth2 calls have no timeout of their own (30 minutes), so one is put around them. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { name: 'AbortError', code: 'ETIMEDOUT' })), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
