import { CrmAdapter, type CrmOperations } from '../adapter';
import { findAccountByDomain, getAccount, searchAccounts } from './accounts';
import { HubspotClient, type HubspotClientDeps } from './client';
import type { HubspotConfig } from './config';
import { getDeal, searchDeals } from './deals';
import { changeOwner, updateDeal, updateDeals } from './dealUpdates';
import { changeLeadOwner, findLeads, getLead, upsertLead } from './leads';
import { listOwners } from './owners';
import { createTask } from './tasks';
import { whoAmI } from './whoAmI';
import { listWonDealsModifiedSince } from './wonDeals';

const HUBSPOT_OPERATIONS: CrmOperations<HubspotClient> = {
	whoAmI,
	getDeal,
	searchDeals,
	updateDeal,
	updateDeals,
	changeOwner,
	getAccount,
	findAccountByDomain,
	searchAccounts,
	listOwners,
	createTask,
	listWonDealsModifiedSince,
	upsertLead,
	getLead,
	changeLeadOwner,
	findLeads,
};

/** HubSpot behind the shared CRM surface (`connectors/crm/types.ts`). */
export class HubspotCrm extends CrmAdapter<HubspotClient> {
	declare readonly name: 'hubspot';

	constructor(config: HubspotConfig, deps: HubspotClientDeps = {}) {
		super('hubspot', new HubspotClient(config, deps), HUBSPOT_OPERATIONS);
	}
}

export function createHubspotCrm(config: HubspotConfig, deps?: HubspotClientDeps): HubspotCrm {
	return new HubspotCrm(config, deps);
}
