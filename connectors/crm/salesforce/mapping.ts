import type { CrmAccount, CrmDeal, CrmOwner } from '../types';

/** Currencies without a minor unit: their amount already is the "minor" amount (as in Stripe). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

export type SalesforceRecord = Record<string, unknown> & { attributes?: unknown };

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The record's fields without jsforce/REST `attributes`. */
export function fieldsOf(record: SalesforceRecord): Record<string, unknown> {
	const fields: Record<string, unknown> = { ...record };
	delete fields.attributes;
	return fields;
}

/** Salesforce datetimes look like 2026-11-22T07:00:00.000+0000; the contract wants ISO 8601 UTC. */
export function isoTimestamp(value: unknown): string {
	const ms = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
	return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

export function toMinorUnits(amount: number, currency: string | undefined): number {
	return Math.round(currency && ZERO_DECIMAL.has(currency) ? amount : amount * 100);
}

export function toDeal(record: SalesforceRecord, instanceUrl: string | undefined): CrmDeal {
	const id = String(record.Id);
	const amount = typeof record.Amount === 'number' ? record.Amount : undefined;
	const currency = str(record.CurrencyIsoCode)?.toLowerCase();
	return {
		provider: 'salesforce',
		id,
		name: str(record.Name) ?? '',
		amount,
		amountMinor: amount === undefined ? undefined : toMinorUnits(amount, currency),
		currency,
		stageId: str(record.StageName) ?? '',
		stageLabel: str(record.StageName),
		isClosed: record.IsClosed === true,
		isWon: record.IsWon === true,
		closeDate: str(record.CloseDate),
		ownerId: str(record.OwnerId),
		accountId: str(record.AccountId),
		modifiedAt: isoTimestamp(record.SystemModstamp),
		url: instanceUrl ? `${instanceUrl}/lightning/r/Opportunity/${id}/view` : undefined,
		properties: fieldsOf(record),
	};
}

export function toAccount(record: SalesforceRecord): CrmAccount {
	const website = str(record.Website);
	return {
		provider: 'salesforce',
		id: String(record.Id),
		name: str(record.Name) ?? '',
		domain: website ? hostOf(website) : undefined,
		website,
		ownerId: str(record.OwnerId),
		properties: fieldsOf(record),
	};
}

export function toOwner(record: SalesforceRecord): CrmOwner {
	return { id: String(record.Id), name: str(record.Name) ?? '', email: str(record.Email), active: record.IsActive === true };
}

/** "ops@www.Acme.com", "https://www.acme.com/x", "acme.com" → "acme.com"; undefined when no host can be read. */
export function hostOf(value: string): string | undefined {
	let text = value.trim().toLowerCase();
	if (text.includes('@') && !text.includes('/')) text = text.slice(text.lastIndexOf('@') + 1);
	try {
		const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`).hostname;
		return host.replace(/^www\./, '').replace(/\.$/, '') || undefined;
	} catch {
		return undefined;
	}
}
