import type { HubspotClient } from './client';

/**
 * One cheap authenticated call. Private app: the account it belongs to (`GET /account-info/v3/details`);
 * OAuth: the token's own metadata (`GET /oauth/v1/access-tokens/{token}`), which names the user and portal.
 */
export async function whoAmI(client: HubspotClient): Promise<{ id: string; name?: string }> {
	if (client.config.auth === 'privateApp') {
		const details = await client.get<{ portalId?: unknown; uiDomain?: unknown }>('/account-info/v3/details');
		return { id: String(details?.portalId ?? ''), name: `HubSpot account ${String(details?.portalId ?? '')}` };
	}
	const token = await client.currentToken();
	const info = (await client.call((sdk, options) => sdk.oauth.accessTokensApi.get(token, options))) as { hubId?: unknown; user?: string; hubDomain?: string };
	return { id: String(info.hubId ?? ''), name: info.user ?? info.hubDomain };
}
