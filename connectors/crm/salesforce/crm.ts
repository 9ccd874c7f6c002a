import type { CreateTaskInput, CrmAccount, CrmBatchResult, CrmDeal, CrmDealUpdate, CrmOwner, CrmPage, CrmProvider, CrmSearch, CrmTask } from '../types';
import { findAccountByDomain, getAccount, listOwners, searchAccounts } from './accounts';
import { SalesforceClient } from './client';
import type { SalesforceConfig, SalesforceDeps } from './config';
import { changeOwner, updateDeal, updateDeals } from './dealUpdate';
import { getDeal, listWonDealsModifiedSince, searchDeals } from './deals';
import { createTask } from './tasks';
import { whoAmI } from './whoAmI';

/** Salesforce behind the shared CRM contract: Opportunity = deal, Account = account, User = owner. */
export class SalesforceCrm implements CrmProvider {
	readonly name = 'salesforce' as const;
	readonly client: SalesforceClient;

	constructor(config: SalesforceConfig, deps: SalesforceDeps = {}) {
		this.client = new SalesforceClient(config, deps);
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

export function createSalesforceCrm(config: SalesforceConfig, deps?: SalesforceDeps): SalesforceCrm {
	return new SalesforceCrm(config, deps);
}
