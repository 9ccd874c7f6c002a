import type { CrmProvider, CrmProviderName } from './types';

type Method = Exclude<keyof CrmProvider, 'name'>;

/** A vendor's CRM operations as plain functions of its client: one small file per operation, like every connector. */
export type CrmOperations<C> = {
	[K in Method]: (client: C, ...args: Parameters<CrmProvider[K]>) => ReturnType<CrmProvider[K]>;
};

/**
 * Binds a vendor client to its operations behind the shared CrmProvider surface, so each vendor lists which
 * function does what instead of repeating the same delegating methods.
 */
export class CrmAdapter<C> implements CrmProvider {
	constructor(
		readonly name: CrmProviderName,
		readonly client: C,
		private readonly operations: CrmOperations<C>,
	) {}

	whoAmI: CrmProvider['whoAmI'] = () => this.operations.whoAmI(this.client);
	getDeal: CrmProvider['getDeal'] = (...args) => this.operations.getDeal(this.client, ...args);
	searchDeals: CrmProvider['searchDeals'] = (...args) => this.operations.searchDeals(this.client, ...args);
	updateDeal: CrmProvider['updateDeal'] = (...args) => this.operations.updateDeal(this.client, ...args);
	updateDeals: CrmProvider['updateDeals'] = (...args) => this.operations.updateDeals(this.client, ...args);
	changeOwner: CrmProvider['changeOwner'] = (...args) => this.operations.changeOwner(this.client, ...args);
	getAccount: CrmProvider['getAccount'] = (...args) => this.operations.getAccount(this.client, ...args);
	findAccountByDomain: CrmProvider['findAccountByDomain'] = (...args) => this.operations.findAccountByDomain(this.client, ...args);
	searchAccounts: CrmProvider['searchAccounts'] = (...args) => this.operations.searchAccounts(this.client, ...args);
	listOwners: CrmProvider['listOwners'] = (...args) => this.operations.listOwners(this.client, ...args);
	createTask: CrmProvider['createTask'] = (...args) => this.operations.createTask(this.client, ...args);
	listWonDealsModifiedSince: CrmProvider['listWonDealsModifiedSince'] = (...args) => this.operations.listWonDealsModifiedSince(this.client, ...args);
	upsertLead: CrmProvider['upsertLead'] = (...args) => this.operations.upsertLead(this.client, ...args);
	getLead: CrmProvider['getLead'] = (...args) => this.operations.getLead(this.client, ...args);
	changeLeadOwner: CrmProvider['changeLeadOwner'] = (...args) => this.operations.changeLeadOwner(this.client, ...args);
	findLeads: CrmProvider['findLeads'] = (...args) => this.operations.findLeads(this.client, ...args);
}
