import type { CrmAccount, CrmDeal, CrmOwner } from '../types';
import type { StageCatalog } from './pipelines';

/** Read for every deal; callers may ask for more (custom properties). */
export const DEAL_PROPERTIES = [
	'dealname',
	'amount',
	'deal_currency_code',
	'dealstage',
	'pipeline',
	'closedate',
	'hubspot_owner_id',
	'hs_lastmodifieddate',
	'hs_is_closed_won',
	'hs_is_closed',
];

export const COMPANY_PROPERTIES = ['name', 'domain', 'website', 'hubspot_owner_id', 'hs_lastmodifieddate'];

/** What the SDK returns for a CRM object (properties are strings or null). */
export interface HubspotRecord {
	id: string;
	properties: Record<string, string | null | undefined>;
	createdAt?: Date | string;
	updatedAt?: Date | string;
}

/** Currencies whose minor unit is not 1/100 (ISO 4217). */
const MINOR_UNIT_DIGITS: Record<string, number> = {
	bif: 0, clp: 0, djf: 0, gnf: 0, isk: 0, jpy: 0, kmf: 0, krw: 0, pyg: 0, rwf: 0, ugx: 0, vnd: 0, vuv: 0, xaf: 0, xof: 0, xpf: 0,
	bhd: 3, iqd: 3, jod: 3, kwd: 3, lyd: 3, omr: 3, tnd: 3,
};

export function toMinorUnits(amount: number, currency?: string): number {
	const digits = MINOR_UNIT_DIGITS[currency ?? ''] ?? 2;
	// toPrecision first: 1.005 * 100 is 100.49999… in binary floating point.
	return Math.round(Number((amount * 10 ** digits).toPrecision(15)));
}

const text = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value === '' ? undefined : value);

/** HubSpot dates arrive as ISO strings or epoch milliseconds. */
export function toIso(value: string | Date | null | undefined): string | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	const raw = text(value ?? undefined);
	if (raw === undefined) return undefined;
	const date = /^\d+$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function dealUrl(portalId: string | undefined, id: string): string | undefined {
	return portalId ? `https://app.hubspot.com/contacts/${portalId}/record/0-3/${id}` : undefined;
}

export function toDeal(record: HubspotRecord, stages: StageCatalog, accountId: string | undefined, portalId: string | undefined): CrmDeal {
	const p = record.properties ?? {};
	const stageId = text(p.dealstage) ?? '';
	const pipelineId = text(p.pipeline);
	const stage = stageId ? stages.find(stageId, pipelineId) : undefined;
	const amountNumber = text(p.amount) === undefined ? Number.NaN : Number(p.amount);
	const currency = text(p.deal_currency_code)?.toLowerCase();
	const deal: CrmDeal = {
		provider: 'hubspot',
		id: String(record.id),
		name: text(p.dealname) ?? '',
		stageId,
		// A stage missing from the pipelines (deleted, or newer than the cache) falls back to HubSpot's own flags.
		isClosed: stage ? stage.isClosed : p.hs_is_closed === 'true' || p.hs_is_closed_won === 'true',
		isWon: stage ? stage.isWon : p.hs_is_closed_won === 'true',
		modifiedAt: toIso(p.hs_lastmodifieddate) ?? toIso(record.updatedAt) ?? new Date(0).toISOString(),
		properties: { ...p },
	};
	if (Number.isFinite(amountNumber)) {
		deal.amount = amountNumber;
		deal.amountMinor = toMinorUnits(amountNumber, currency);
	}
	if (currency) deal.currency = currency;
	if (stage?.label) deal.stageLabel = stage.label;
	if (pipelineId) deal.pipelineId = pipelineId;
	const closeDate = toIso(p.closedate);
	if (closeDate) deal.closeDate = closeDate.slice(0, 10);
	const ownerId = text(p.hubspot_owner_id);
	if (ownerId) deal.ownerId = ownerId;
	if (accountId) deal.accountId = accountId;
	const url = dealUrl(portalId, deal.id);
	if (url) deal.url = url;
	return deal;
}

export function toAccount(record: HubspotRecord): CrmAccount {
	const p = record.properties ?? {};
	const account: CrmAccount = { provider: 'hubspot', id: String(record.id), name: text(p.name) ?? '', properties: { ...p } };
	const domain = text(p.domain);
	if (domain) account.domain = domain;
	const website = text(p.website);
	if (website) account.website = website;
	const ownerId = text(p.hubspot_owner_id);
	if (ownerId) account.ownerId = ownerId;
	return account;
}

export interface HubspotOwnerRecord {
	id: string;
	email?: string;
	firstName?: string;
	lastName?: string;
	archived?: boolean;
}

export function toOwner(owner: HubspotOwnerRecord): CrmOwner {
	const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ').trim();
	const result: CrmOwner = { id: String(owner.id), name: name || owner.email || String(owner.id), active: owner.archived !== true };
	if (owner.email) result.email = owner.email;
	return result;
}
