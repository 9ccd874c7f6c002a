import type { INodeExecutionData } from 'n8n-workflow';
import { isConnectorError, type DedupeStore } from '../../connectors/core';
import type { CrmDeal, CrmProvider } from '../../connectors/crm/types';
import { wonDedupeKey } from '../../connectors/crm/wonDealPoller';
import { dealItem } from './wonDeal';

/** One vendor notification about one CRM record (a deal or a lead). */
export interface Delivery {
	/** Dedupe key: vendor, account and notification/event id. */
	key: string;
	/** The vendor's id for the notification, put on the item. */
	deliveryId: string;
	recordId: string;
	/** The fields the notification itself carried (Salesforce Outbound Messages), when any. */
	fields?: Record<string, string>;
}

/** How one kind of record is read back, kept or skipped, and emitted. */
export interface RecordKind<T> {
	/** "deal", "lead": names the record in a retry reason. */
	noun: string;
	/** Rejects with kind `not_found` for a deleted or invisible record (skipped: a redelivery would not help). */
	read(id: string): Promise<T>;
	keep(record: T): boolean;
	/** Claimed for a kept record so it fires once within `onceTtlMs`; undefined: no such limit. */
	onceKey(record: T): string | undefined;
	onceTtlMs: number;
	item(record: T, delivery: Delivery, receivedAt: string): INodeExecutionData;
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
	/** The outcome is unknown (a record could not be read, the store failed): the vendor must redeliver. */
	| { ok: false; reason: string; cause: unknown };

/** Won deals (or every changed deal), each won deal once unless told otherwise. */
export function dealKind(provider: CrmProvider, options: DeliveryOptions): RecordKind<CrmDeal> {
	return {
		noun: 'deal',
		read: (id) => provider.getDeal(id),
		keep: (deal) => !options.onlyWon || deal.isWon,
		onceKey: (deal) => (deal.isWon && options.oncePerDeal ? wonDedupeKey(deal) : undefined),
		onceTtlMs: options.wonTtlMs,
		item: (deal, delivery, receivedAt) => dealItem(deal, delivery.deliveryId, receivedAt),
	};
}

/**
 * Claims each delivery, reads each record once, keeps what the kind keeps (each record once when it says so).
 * Any failure before the answer releases every claim of this request, so the vendor's redelivery is processed in full.
 */
export async function processRecords<T>(store: DedupeStore, deliveries: Delivery[], ttlMs: number, kind: RecordKind<T>): Promise<DeliveryOutcome> {
	const claimed: string[] = [];
	const retryLater = async (reason: string, cause: unknown): Promise<DeliveryOutcome> => {
		await Promise.all(claimed.map((key) => store.release(key).catch(() => undefined)));
		return { ok: false, reason, cause };
	};
	try {
		const fresh: Delivery[] = [];
		for (const delivery of deliveries) {
			if (await store.claim(delivery.key, ttlMs)) {
				claimed.push(delivery.key);
				fresh.push(delivery);
			}
		}
		const fetched = await fetchRecords(kind, fresh);
		if ('failedId' in fetched) return await retryLater(`${kind.noun} ${fetched.failedId} could not be read`, fetched.cause);
		const items: INodeExecutionData[] = [];
		const receivedAt = new Date().toISOString();
		for (const delivery of fresh) {
			const record = fetched.records.get(delivery.recordId);
			if (record === undefined || !kind.keep(record)) continue;
			const onceKey = kind.onceKey(record);
			if (onceKey !== undefined) {
				if (!(await store.claim(onceKey, kind.onceTtlMs))) continue;
				claimed.push(onceKey);
			}
			items.push(kind.item(record, delivery, receivedAt));
		}
		return { ok: true, items, duplicates: deliveries.length - fresh.length, ignored: fresh.length - items.length };
	} catch (error) {
		return await retryLater('the dedupe store is unavailable', error);
	}
}

/** Each record once; a deleted/invisible one is skipped (redelivery would not help), other failures retry. */
async function fetchRecords<T>(kind: RecordKind<T>, deliveries: Delivery[]): Promise<{ records: Map<string, T> } | { failedId: string; cause: unknown }> {
	const ids = [...new Set(deliveries.map((d) => d.recordId))];
	const results = await Promise.allSettled(ids.map((id) => kind.read(id)));
	const records = new Map<string, T>();
	for (const [index, result] of results.entries()) {
		if (result.status === 'fulfilled') records.set(ids[index], result.value);
		else if (!(isConnectorError(result.reason) && result.reason.kind === 'not_found')) return { failedId: ids[index], cause: result.reason };
	}
	return { records };
}
