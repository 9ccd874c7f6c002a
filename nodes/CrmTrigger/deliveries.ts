import type { INodeExecutionData } from 'n8n-workflow';
import { isConnectorError, type DedupeStore } from '../../connectors/core';
import type { CrmDeal, CrmProvider } from '../../connectors/crm/types';
import { wonDedupeKey } from '../../connectors/crm/wonDealPoller';
import { dealItem } from './wonDeal';

/** One vendor notification about one deal. */
export interface Delivery {
	/** Dedupe key: vendor, account and notification/event id. */
	key: string;
	/** The vendor's id for the notification, put on the item. */
	deliveryId: string;
	dealId: string;
}

export interface DeliveryOptions {
	ttlMs: number;
	/** Skip deals that are not won (default). */
	onlyWon: boolean;
	/** Fire once per won deal, whatever the number of notifications about it. */
	oncePerDeal: boolean;
	wonTtlMs: number;
}

export type DeliveryOutcome =
	| { ok: true; items: INodeExecutionData[]; duplicates: number; ignored: number }
	/** The outcome is unknown (a deal could not be read, the store failed): the vendor must redeliver. */
	| { ok: false; reason: string; cause: unknown };

/**
 * Claims each delivery, reads each deal once, keeps won ones (and each won deal once). Any failure before
 * the answer releases every claim of this request, so the vendor's redelivery is processed in full.
 */
export async function processDeliveries(provider: CrmProvider, store: DedupeStore, deliveries: Delivery[], options: DeliveryOptions): Promise<DeliveryOutcome> {
	const claimed: string[] = [];
	const retryLater = async (reason: string, cause: unknown): Promise<DeliveryOutcome> => {
		await Promise.all(claimed.map((key) => store.release(key).catch(() => undefined)));
		return { ok: false, reason, cause };
	};
	try {
		const fresh: Delivery[] = [];
		for (const delivery of deliveries) {
			if (await store.claim(delivery.key, options.ttlMs)) {
				claimed.push(delivery.key);
				fresh.push(delivery);
			}
		}
		const fetched = await fetchDeals(provider, fresh);
		if ('failedId' in fetched) return await retryLater(`deal ${fetched.failedId} could not be read`, fetched.cause);
		const items: INodeExecutionData[] = [];
		const receivedAt = new Date().toISOString();
		for (const delivery of fresh) {
			const deal = fetched.deals.get(delivery.dealId);
			if (deal === undefined || (options.onlyWon && !deal.isWon)) continue;
			if (deal.isWon && options.oncePerDeal) {
				if (!(await store.claim(wonDedupeKey(deal), options.wonTtlMs))) continue;
				claimed.push(wonDedupeKey(deal));
			}
			items.push(dealItem(deal, delivery.deliveryId, receivedAt));
		}
		return { ok: true, items, duplicates: deliveries.length - fresh.length, ignored: fresh.length - items.length };
	} catch (error) {
		return await retryLater('the dedupe store is unavailable', error);
	}
}

/** Each deal once; a deleted/invisible deal is skipped (redelivery would not help), other failures retry. */
async function fetchDeals(provider: CrmProvider, deliveries: Delivery[]): Promise<{ deals: Map<string, CrmDeal> } | { failedId: string; cause: unknown }> {
	const ids = [...new Set(deliveries.map((d) => d.dealId))];
	const results = await Promise.allSettled(ids.map((id) => provider.getDeal(id)));
	const deals = new Map<string, CrmDeal>();
	for (const [index, result] of results.entries()) {
		if (result.status === 'fulfilled') deals.set(ids[index], result.value);
		else if (!(isConnectorError(result.reason) && result.reason.kind === 'not_found')) return { failedId: ids[index], cause: result.reason };
	}
	return { deals };
}
