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

/**
 * A Salesforce Lead or a HubSpot contact (created with lifecycle stage "lead"): what lead routing writes the owner to
 * and what the SLA check reads back. Optional fields are absent when the CRM holds no value.
 */
export interface CrmLead {
	provider: CrmProviderName;
	id: string;
	/** Lower case. */
	email: string;
	firstName?: string;
	lastName?: string;
	company?: string;
	country?: string;
	state?: string;
	/** Salesforce user (005…) or queue (00G…); HubSpot owner id. */
	ownerId?: string;
	/** Salesforce Status; HubSpot hs_lead_status. */
	status?: string;
	/** Salesforce LeadSource; HubSpot hs_analytics_source (HubSpot sets it). */
	source?: string;
	/** ISO timestamp. */
	createdAt: string;
	/**
	 * The last logged activity. Salesforce keeps only its day (LastActivityDate, YYYY-MM-DD: the latest event or
	 * completed task); HubSpot the later of notes_last_contacted and hs_last_sales_activity_timestamp (ISO).
	 */
	lastActivityAt?: string;
	/** HubSpot hubspot_owner_assigneddate (ISO); Salesforce keeps no assignment time. */
	ownerAssignedAt?: string;
	/** See LeadTouchOptions for the rule. */
	touched: boolean;
	url?: string;
	/** Fields/properties as returned. */
	raw?: Record<string, unknown>;
}

/**
 * How `touched` is decided (the routing SLA: "was the lead worked before its deadline?"). A lead is touched when
 * - its status moved past the initial ones: Salesforce Status not in `initialStatuses` (default ["Open - Not
 *   Contacted"]), HubSpot hs_lead_status not in `initialStatuses` (default ["NEW"]); no status counts as initial, and
 *   the comparison ignores case; or
 * - an activity was logged at or after the assignment (`lastActivityAt` ≥ `assignedAt`). Salesforce keeps only the
 *   day of the last activity, so an activity on the day of the assignment (UTC) counts. Without `assignedAt`, HubSpot
 *   uses hubspot_owner_assigneddate, and Salesforce (no assignment time) counts any logged activity.
 */
export interface LeadTouchOptions {
	/** ISO date-time the lead was routed to its owner (routed_at). */
	assignedAt?: string;
	initialStatuses?: string[];
}

export interface CrmLeadInput {
	/** The key: one lead per email address (compared without case). */
	email: string;
	/** Salesforce needs lastName and company to create a lead. */
	firstName?: string;
	lastName?: string;
	company?: string;
	country?: string;
	state?: string;
	/** Owner of a lead this call creates; an existing lead keeps its owner (use changeLeadOwner). */
	ownerId?: string;
	status?: string;
	/** Salesforce LeadSource; refused for HubSpot, whose source property is read-only. */
	source?: string;
	/** More fields (Salesforce API names / HubSpot property names), written on create. */
	properties?: Record<string, unknown>;
}

/** `created` false: a lead with the email existed and is returned unchanged. */
export type CrmLeadUpsert = CrmLead & { created: boolean };

/** `changed` false: the lead already had that owner, nothing was written. */
export type CrmLeadOwnerChange = CrmLead & { changed: boolean; previousOwnerId?: string };

export interface CrmLeadFilter extends LeadTouchOptions {
	email?: string;
	/** ISO date-time: leads changed at or after it, oldest change first. */
	updatedSince?: string;
	/** 1–200, default 100. */
	limit?: number;
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
	/** Finds the lead by email and creates it when there is none: repeating the call never makes a second lead. */
	upsertLead(input: CrmLeadInput): Promise<CrmLeadUpsert>;
	/** An unknown id rejects with kind `not_found`. */
	getLead(id: string, options?: LeadTouchOptions): Promise<CrmLead>;
	/** Idempotent: with the same owner already set it writes nothing and answers `changed: false`. */
	changeLeadOwner(id: string, ownerId: string): Promise<CrmLeadOwnerChange>;
	/** Leads by email and/or changed since a time (at least one of them). */
	findLeads(filter: CrmLeadFilter): Promise<CrmLead[]>;
}
