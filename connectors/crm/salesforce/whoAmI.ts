import { ConnectorError } from '../../core';
import type { SalesforceClient } from './client';
import { VENDOR } from './errors';

interface UserInfo {
	user_id?: string;
	name?: string;
	preferred_username?: string;
	organization_id?: string;
}

/** OpenID userinfo of the session: the cheapest authenticated call, used to test a credential. */
export async function whoAmI(client: SalesforceClient): Promise<{ id: string; name?: string; username?: string; organizationId?: string }> {
	const info = await client.request<UserInfo>({ method: 'GET', path: '/services/oauth2/userinfo' }, { idempotent: true });
	if (!info?.user_id) throw new ConnectorError('permanent', 'Salesforce userinfo has no user_id', { vendor: VENDOR });
	return { id: info.user_id, name: info.name, username: info.preferred_username, organizationId: info.organization_id };
}
