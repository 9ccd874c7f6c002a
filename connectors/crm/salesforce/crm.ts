import { CrmAdapter, type CrmOperations } from '../adapter';
import { findAccountByDomain, getAccount, listOwners, searchAccounts } from './accounts';
import { SalesforceClient } from './client';
import type { SalesforceConfig, SalesforceDeps } from './config';
import { changeOwner, updateDeal, updateDeals } from './dealUpdate';
import { getDeal, listWonDealsModifiedSince, searchDeals } from './deals';
import { changeLeadOwner, findLeads, getLead, upsertLead } from './leads';
import { createTask } from './tasks';
import { whoAmI } from './whoAmI';

const SALESFORCE_OPERATIONS: CrmOperations<SalesforceClient> = {
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

/** Salesforce behind the shared CRM contract: Opportunity = deal, Account = account, User = owner, Lead = lead. */
export class SalesforceCrm extends CrmAdapter<SalesforceClient> {
	declare readonly name: 'salesforce';

	constructor(config: SalesforceConfig, deps: SalesforceDeps = {}) {
		super('salesforce', new SalesforceClient(config, deps), SALESFORCE_OPERATIONS);
	}
}

export function createSalesforceCrm(config: SalesforceConfig, deps?: SalesforceDeps): SalesforceCrm {
	return new SalesforceCrm(config, deps);
}
