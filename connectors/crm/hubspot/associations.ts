import type { HubspotClient } from './client';

/** HUBSPOT_DEFINED deal → company "Primary" association type. */
export const PRIMARY_DEAL_COMPANY_TYPE_ID = 5;
/** HUBSPOT_DEFINED task → deal association type. */
export const TASK_TO_DEAL_TYPE_ID = 216;

interface AssociatedObject {
	toObjectId?: unknown;
	associationTypes?: Array<{ typeId?: unknown; label?: unknown }>;
}

/** The primary company when one is labelled so, else the first associated company. */
export function primaryCompanyId(associated: AssociatedObject[] | undefined): string | undefined {
	if (!associated || associated.length === 0) return undefined;
	const isPrimary = (item: AssociatedObject) =>
		(item.associationTypes ?? []).some((type) => Number(type.typeId) === PRIMARY_DEAL_COMPANY_TYPE_ID || String(type.label ?? '').toLowerCase() === 'primary');
	const chosen = associated.find(isPrimary) ?? associated[0];
	return chosen.toObjectId === undefined || chosen.toObjectId === null ? undefined : String(chosen.toObjectId);
}

/** `GET /crm/v4/objects/deals/{id}/associations/companies`. */
export async function companyOfDeal(client: HubspotClient, dealId: string): Promise<string | undefined> {
	const page = await client.call((sdk, options) => sdk.crm.associations.v4.basicApi.getPage('deals', dealId, 'companies', undefined, 500, options));
	return primaryCompanyId(page.results as AssociatedObject[]);
}

/** One `POST /crm/v4/associations/deals/companies/batch/read` for a page of deals (deals without a company are absent). */
export async function companiesOfDeals(client: HubspotClient, dealIds: string[]): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	if (dealIds.length === 0) return out;
	const answer = await client.call((sdk, options) => sdk.crm.associations.v4.batchApi.getPage('deals', 'companies', { inputs: dealIds.map((id) => ({ id })) }, options));
	for (const row of (answer.results ?? []) as Array<{ _from?: { id?: unknown }; to?: AssociatedObject[] }>) {
		const company = primaryCompanyId(row.to);
		if (row._from?.id !== undefined && company) out.set(String(row._from.id), company);
	}
	return out;
}
