import type { CreateTaskInput, CrmAccount, CrmBatchResult, CrmDeal, CrmDealUpdate, CrmOwner, CrmPage, CrmProvider, CrmSearch, CrmTask } from '../types';
import { findAccountByDomain, getAccount, searchAccounts } from './accounts';
import { HubspotClient, type HubspotClientDeps } from './client';
import type { HubspotConfig } from './config';
import { getDeal, searchDeals } from './deals';
import { changeOwner, updateDeal, updateDeals } from './dealUpdates';
import { listOwners } from './owners';
import { createTask } from './tasks';
import { whoAmI } from './whoAmI';
import { listWonDealsModifiedSince } from './wonDeals';

/** HubSpot behind the shared CRM surface (`connectors/crm/types.ts`). */
export class HubspotCrm implements CrmProvider {
	readonly name = 'hubspot' as const;
	readonly client: HubspotClient;

	constructor(config: HubspotConfig, deps: HubspotClientDeps = {}) {
		this.client = new HubspotClient(config, deps);
	}

	whoAmI(): Promise<{ id: string; name?: string }> {
		return whoAmI(this.client);
	}

	getDeal(id: string, properties?: string[]): Promise<CrmDeal> {
		return getDeal(this.client, id, properties);
	}

	searchDeals(search: CrmSearch): Promise<CrmPage<CrmDeal>> {
		return searchDeals(this.client, search);
	}

	updateDeal(id: string, update: CrmDealUpdate): Promise<CrmDeal> {
		return updateDeal(this.client, id, update);
	}

	updateDeals(updates: Array<{ id: string } & CrmDealUpdate>): Promise<CrmBatchResult[]> {
		return updateDeals(this.client, updates);
	}

	changeOwner(dealId: string, ownerId: string): Promise<CrmDeal> {
		return changeOwner(this.client, dealId, ownerId);
	}

	getAccount(id: string): Promise<CrmAccount> {
		return getAccount(this.client, id);
	}

	findAccountByDomain(domainOrEmail: string): Promise<CrmAccount | undefined> {
		return findAccountByDomain(this.client, domainOrEmail);
	}

	searchAccounts(search: CrmSearch): Promise<CrmPage<CrmAccount>> {
		return searchAccounts(this.client, search);
	}

	listOwners(search: CrmSearch): Promise<CrmPage<CrmOwner>> {
		return listOwners(this.client, search);
	}

	createTask(input: CreateTaskInput): Promise<CrmTask> {
		return createTask(this.client, input);
	}

	listWonDealsModifiedSince(sinceIso: string, limit: number): Promise<CrmDeal[]> {
		return listWonDealsModifiedSince(this.client, sinceIso, limit);
	}
}

export function createHubspotCrm(config: HubspotConfig, deps?: HubspotClientDeps): HubspotCrm {
	return new HubspotCrm(config, deps);
}
