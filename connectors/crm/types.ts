/**
 * The one CRM surface nodes and workflows use. Salesforce (jsforce) and HubSpot (@hubspot/api-client)
 * each implement it, so a template switches CRM by switching provider and credential, nothing else.
 */

export type CrmProviderName = 'salesforce' | 'hubspot';

/** An opportunity (Salesforce) or deal (HubSpot), normalised. */
export interface CrmDeal {
	provider: CrmProviderName;
	id: string;
	name: string;
	/** As the CRM stores it, in major units (e.g. 12000.5). */
	amount?: number;
	/** `amount` in minor units (cents), rounded; what billing and policy compare. */
	amountMinor?: number;
	/** ISO 4217, lower case, when the CRM knows it. */
	currency?: string;
	/** Stage value as stored: Salesforce StageName, HubSpot stage id (numeric in custom pipelines). */
	stageId: string;
	stageLabel?: string;
	pipelineId?: string;
	isClosed: boolean;
	/** Salesforce IsWon; HubSpot from pipeline stage metadata (closed with probability 1), never a hard-coded id. */
	isWon: boolean;
	/** YYYY-MM-DD. */
	closeDate?: string;
	ownerId?: string;
	/** Salesforce AccountId; HubSpot primary associated company id. */
	accountId?: string;
	/** ISO timestamp of the last change (SystemModstamp / hs_lastmodifieddate): the polling cursor. */
	modifiedAt: string;
	/** Link to the record in the CRM's UI, when it can be built. */
	url?: string;
	/** Raw fields/properties as returned, for expressions (custom fields included). */
	properties: Record<string, unknown>;
}

/** A Salesforce Account or HubSpot company. */
export interface CrmAccount {
	provider: CrmProviderName;
	id: string;
	name: string;
	domain?: string;
	website?: string;
	ownerId?: string;
	properties: Record<string, unknown>;
}

export interface CrmOwner {
	id: string;
	name: string;
	email?: string;
	active?: boolean;
}

export interface CrmTask {
	provider: CrmProviderName;
	id: string;
	subject: string;
	dealId: string;
	ownerId?: string;
	status?: string;
	dueDate?: string;
	/** False when a task for the same business key already existed and was returned instead. */
	created: boolean;
}

export interface CrmDealUpdate {
	/** Stage to move to (Salesforce StageName, HubSpot stage id). */
	stage?: string;
	ownerId?: string;
	/** Any other fields/properties, custom ones included (e.g. Subscription_Id__c / subscription_id). */
	properties?: Record<string, unknown>;
}

export interface CrmBatchResult {
	id: string;
	ok: boolean;
	error?: string;
}

export interface CrmPage<T> {
	items: T[];
	nextCursor?: string;
}

export interface CrmSearch {
	/** Free text matched against names (and ids); empty lists recent records. */
	query?: string;
	limit?: number;
	cursor?: string;
}

export interface CreateTaskInput {
	dealId: string;
	subject: string;
	body?: string;
	ownerId?: string;
	/** YYYY-MM-DD. */
	dueDate?: string;
	/** Contract/deal id + step: a second call with the same key returns the first task (created: false). */
	businessKey: string;
}

export interface CrmProvider {
	readonly name: CrmProviderName;
	/** Cheap authenticated call for credential tests; returns who the credential acts as. */
	whoAmI(): Promise<{ id: string; name?: string }>;
	getDeal(id: string, properties?: string[]): Promise<CrmDeal>;
	searchDeals(search: CrmSearch): Promise<CrmPage<CrmDeal>>;
	updateDeal(id: string, update: CrmDealUpdate): Promise<CrmDeal>;
	/** Many deals in one request (Salesforce Composite sObject Collections / HubSpot batch update). */
	updateDeals(updates: Array<{ id: string } & CrmDealUpdate>): Promise<CrmBatchResult[]>;
	changeOwner(dealId: string, ownerId: string): Promise<CrmDeal>;
	/** One account (Salesforce Account / HubSpot company) by id; an unknown id rejects with kind `not_found`. */
	getAccount(id: string): Promise<CrmAccount>;
	/** Accepts a domain ("acme.com"), a URL or an email address ("ops@acme.com"). */
	findAccountByDomain(domainOrEmail: string): Promise<CrmAccount | undefined>;
	searchAccounts(search: CrmSearch): Promise<CrmPage<CrmAccount>>;
	listOwners(search: CrmSearch): Promise<CrmPage<CrmOwner>>;
	createTask(input: CreateTaskInput): Promise<CrmTask>;
	/**
	 * Won deals changed at or after `sinceIso`, oldest first, ties broken by id. Inclusive on purpose:
	 * the poller keeps the ids seen at the boundary, so records sharing a timestamp are neither missed nor repeated.
	 */
	listWonDealsModifiedSince(sinceIso: string, limit: number): Promise<CrmDeal[]>;
}
