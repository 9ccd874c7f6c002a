// @ts-check
'use strict';

/**
 * What the HubSpot fake's objects are made of: deal pipelines, the known properties of each object type (with
 * their kinds, enumerations and which are read-only), the properties a read returns by default, and the
 * association types HubSpot defines.
 */

const STAGE = (/** @type {string} */ id, /** @type {string} */ label, /** @type {number} */ order, /** @type {string} */ probability, closed = false) => ({
	id,
	label,
	displayOrder: order,
	metadata: { isClosed: closed ? 'true' : 'false', probability },
	archived: false,
});
function defaultPipelines() {
	const at = '2024-01-02T09:00:00.000Z';
	return [
		{
			id: 'default',
			label: 'Sales Pipeline',
			displayOrder: 0,
			archived: false,
			createdAt: at,
			updatedAt: at,
			stages: [
				STAGE('appointmentscheduled', 'Appointment Scheduled', 0, '0.2'),
				STAGE('qualifiedtobuy', 'Qualified To Buy', 1, '0.4'),
				STAGE('presentationscheduled', 'Presentation Scheduled', 2, '0.6'),
				STAGE('decisionmakerboughtin', 'Decision Maker Bought-In', 3, '0.8'),
				STAGE('contractsent', 'Contract Sent', 4, '0.9'),
				STAGE('closedwon', 'Closed Won', 5, '1.0', true),
				STAGE('closedlost', 'Closed Lost', 6, '0.0', true),
			].map((s) => ({ ...s, createdAt: at, updatedAt: at })),
		},
		{
			id: '684213',
			label: 'Partner Pipeline',
			displayOrder: 1,
			archived: false,
			createdAt: at,
			updatedAt: at,
			stages: [
				STAGE('1093781', 'Partner Intro', 0, '0.1'),
				STAGE('1093782', 'Partner Proposal', 1, '0.5'),
				STAGE('1093783', 'Partner Contract Out', 2, '0.9'),
				STAGE('1093785', 'Partner Signed', 3, '1.0', true),
				STAGE('1093786', 'Partner Lost', 4, '0.0', true),
			].map((s) => ({ ...s, createdAt: at, updatedAt: at })),
		},
	];
}

const DEFAULTS = /** @type {Record<string, string[]>} */ ({
	deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
	companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
	tasks: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
	contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
});
// Contacts: the activity dates, owner assignment date and original source are HubSpot's own calculations.
const READ_ONLY = new Set([
	'createdate',
	'hs_lastmodifieddate',
	'lastmodifieddate',
	'hs_object_id',
	'hs_is_closed_won',
	'hs_is_closed',
	'hs_deal_stage_probability',
	'hs_createdate',
	'notes_last_contacted',
	'hs_last_sales_activity_timestamp',
	'hubspot_owner_assigneddate',
	'hs_analytics_source',
]);
const PROPERTIES = /** @type {Record<string, Record<string, 'string' | 'number' | 'datetime' | 'enumeration' | 'owner'>>} */ ({
	deals: {
		dealname: 'string',
		amount: 'number',
		deal_currency_code: 'enumeration',
		dealstage: 'enumeration',
		pipeline: 'enumeration',
		closedate: 'datetime',
		hubspot_owner_id: 'owner',
		dealtype: 'enumeration',
		description: 'string',
		hs_priority: 'enumeration',
		hs_next_step: 'string',
		closed_won_reason: 'string',
		closed_lost_reason: 'string',
		subscription_id: 'string',
		billing_status: 'string',
	},
	companies: { name: 'string', domain: 'string', website: 'string', industry: 'string', country: 'string', city: 'string', phone: 'string', hubspot_owner_id: 'owner', description: 'string' },
	tasks: {
		hs_task_subject: 'string',
		hs_task_body: 'string',
		hs_timestamp: 'datetime',
		hs_task_status: 'enumeration',
		hs_task_priority: 'enumeration',
		hs_task_type: 'enumeration',
		hubspot_owner_id: 'owner',
	},
	contacts: {
		email: 'string',
		lastmodifieddate: 'datetime',
		firstname: 'string',
		lastname: 'string',
		company: 'string',
		jobtitle: 'string',
		phone: 'string',
		country: 'string',
		state: 'string',
		city: 'string',
		hubspot_owner_id: 'owner',
		hubspot_owner_assigneddate: 'datetime',
		hs_lead_status: 'enumeration',
		lifecyclestage: 'enumeration',
		hs_analytics_source: 'enumeration',
		notes_last_contacted: 'datetime',
		hs_last_sales_activity_timestamp: 'datetime',
	},
});
const ENUMS = /** @type {Record<string, string[]>} */ ({
	deal_currency_code: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'],
	dealtype: ['newbusiness', 'existingbusiness'],
	hs_priority: ['low', 'medium', 'high'],
	hs_task_status: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
	hs_task_priority: ['NONE', 'LOW', 'MEDIUM', 'HIGH'],
	hs_task_type: ['TODO', 'CALL', 'EMAIL'],
	hs_lead_status: ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'],
	lifecyclestage: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'],
	hs_analytics_source: ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL'],
});

/** Association type ids HubSpot defines (from → to). */
const ASSOCIATION_TYPES = /** @type {Record<string, { typeId: number, label: string | null }[]>} */ ({
	'deals:companies': [
		{ typeId: 5, label: 'Primary' },
		{ typeId: 341, label: null },
	],
	'companies:deals': [
		{ typeId: 6, label: 'Primary' },
		{ typeId: 342, label: null },
	],
	'tasks:deals': [{ typeId: 216, label: null }],
	'deals:tasks': [{ typeId: 215, label: null }],
	'tasks:companies': [{ typeId: 192, label: null }],
	'companies:tasks': [{ typeId: 191, label: null }],
});

/** Object types the fake stores, and where each one's ids start. */
const OBJECT_TYPES = ['deals', 'companies', 'tasks', 'contacts'];
const ID_BASE = /** @type {Record<string, number>} */ ({ deals: 15_000_000_000, companies: 21_000_000_000, tasks: 48_000_000_000, contacts: 51_000_000_000 });

module.exports = { defaultPipelines, DEFAULTS, READ_ONLY, PROPERTIES, ENUMS, ASSOCIATION_TYPES, OBJECT_TYPES, ID_BASE };
