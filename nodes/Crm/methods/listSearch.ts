import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import type { CrmProvider, CrmProviderName } from '../../../connectors/crm';
import { toNodeError } from '../../shared/errors';
import { crmProviderFor } from '../transport';

const PAGE_SIZE = 50;

async function currentProvider(context: ILoadOptionsFunctions): Promise<CrmProvider> {
	const name = context.getNodeParameter('provider', 'salesforce') as CrmProviderName;
	return await crmProviderFor(context, name);
}

function searchOf(filter: string | undefined, paginationToken: string | undefined) {
	const query = filter?.trim() ?? '';
	return { ...(query ? { query } : {}), limit: PAGE_SIZE, ...(paginationToken ? { cursor: paginationToken } : {}) };
}

/** Deals matching the typed text (names, ids), most recently changed first. */
export async function searchDeals(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const page = await (await currentProvider(this)).searchDeals(searchOf(filter, paginationToken));
		return {
			results: page.items.map((deal) => ({
				name: [deal.name || deal.id, deal.stageLabel ?? deal.stageId].filter(Boolean).join(' · '),
				value: deal.id,
				...(deal.url ? { url: deal.url } : {}),
			})),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}

/** Accounts (Salesforce Accounts, HubSpot companies) matching the typed name, most recently changed first. */
export async function searchAccounts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const page = await (await currentProvider(this)).searchAccounts(searchOf(filter, paginationToken));
		return {
			results: page.items.map((account) => ({
				name: [account.name || account.id, account.domain].filter(Boolean).join(' · '),
				value: account.id,
			})),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}

/** Owners (Salesforce active users, HubSpot owners) matching the typed name or email. */
export async function searchOwners(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const page = await (await currentProvider(this)).listOwners(searchOf(filter, paginationToken));
		return {
			results: page.items.map((owner) => ({
				name: `${owner.name || owner.id}${owner.email ? ` (${owner.email})` : ''}`,
				value: owner.id,
			})),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}
