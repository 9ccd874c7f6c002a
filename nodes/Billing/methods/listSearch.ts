import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { listSubscriptions, searchCustomers as searchStripeCustomers } from '../../../connectors/billing';
import { toNodeError } from '../../shared/errors';
import { billingClient } from '../transport';

const DASHBOARD = 'https://dashboard.stripe.com';

export async function searchCustomers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const page = await searchStripeCustomers(await billingClient(this), filter, paginationToken);
		return {
			results: page.items.map((customer) => ({
				name: `${customer.name ?? customer.id}${customer.email ? ` (${customer.email})` : ''}`,
				value: customer.id,
				url: `${DASHBOARD}/customers/${customer.id}`,
			})),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}

/** Newest subscriptions; a "cus_…" filter lists that customer's, other text filters by ID or business key. */
export async function searchSubscriptions(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	try {
		const page = await listSubscriptions(await billingClient(this), {
			customerId: /^cus_/.test(text) ? text : undefined,
			cursor: paginationToken,
		});
		const needle = /^cus_/.test(text) ? '' : text.toLowerCase();
		const items = page.items.filter((s) => !needle || s.id.toLowerCase().includes(needle) || (s.businessKey ?? '').toLowerCase().includes(needle));
		return {
			results: items.map((subscription) => ({
				name: `${subscription.businessKey ?? subscription.id} · ${subscription.status} · ${subscription.customerId}`,
				value: subscription.id,
				url: `${DASHBOARD}/subscriptions/${subscription.id}`,
			})),
			paginationToken: page.nextCursor,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
}
