// @ts-check
'use strict';

/**
 * The sObjects the Salesforce fake knows, with field types (SOQL literal checks, describe) and whether the
 * REST API lets a client write them. Custom fields (`…__c`) are added per fake with `defineField`.
 *
 * @typedef {'id' | 'reference' | 'string' | 'textarea' | 'picklist' | 'email' | 'url' | 'boolean' | 'currency' | 'double' | 'percent' | 'int' | 'date' | 'datetime'} FieldType
 * @typedef {{ name: string, type: FieldType, writable: boolean, referenceTo?: string, relationshipName?: string, picklist?: string[] }} FieldDef
 */

const OPPORTUNITY_STAGES = [
	{ value: 'Prospecting', probability: 10, closed: false, won: false },
	{ value: 'Qualification', probability: 10, closed: false, won: false },
	{ value: 'Needs Analysis', probability: 20, closed: false, won: false },
	{ value: 'Value Proposition', probability: 50, closed: false, won: false },
	{ value: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
	{ value: 'Negotiation/Review', probability: 90, closed: false, won: false },
	{ value: 'Closed Won', probability: 100, closed: true, won: true },
	{ value: 'Closed Lost', probability: 0, closed: true, won: false },
];

/** The standard Lead Status picklist; the first is the default of a new lead. */
const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

/** @param {FieldType} type @param {boolean} [writable] @param {Partial<FieldDef>} [extra] */
const f = (type, writable = true, extra = {}) => ({ type, writable, ...extra });
const AUDIT = {
	CreatedDate: f('datetime', false),
	CreatedById: f('reference', false, { referenceTo: 'User', relationshipName: 'CreatedBy' }),
	LastModifiedDate: f('datetime', false),
	LastModifiedById: f('reference', false, { referenceTo: 'User', relationshipName: 'LastModifiedBy' }),
	SystemModstamp: f('datetime', false),
	IsDeleted: f('boolean', false),
};

/** @type {Record<string, { prefix: string, fields: Record<string, Omit<FieldDef, 'name'>> }>} */
const OBJECTS = {
	Opportunity: {
		prefix: '006',
		fields: {
			Id: f('id', false),
			Name: f('string'),
			AccountId: f('reference', true, { referenceTo: 'Account', relationshipName: 'Account' }),
			Amount: f('currency'),
			CurrencyIsoCode: f('picklist', true, { picklist: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'] }),
			StageName: f('picklist', true, { picklist: OPPORTUNITY_STAGES.map((s) => s.value) }),
			Probability: f('percent'),
			CloseDate: f('date'),
			IsClosed: f('boolean', false),
			IsWon: f('boolean', false),
			OwnerId: f('reference', true, { referenceTo: 'User', relationshipName: 'Owner' }),
			Type: f('picklist', true, { picklist: ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Renewal'] }),
			LeadSource: f('picklist'),
			NextStep: f('string'),
			Description: f('textarea'),
			ForecastCategoryName: f('picklist'),
			LastActivityDate: f('date', false),
			...AUDIT,
		},
	},
	Account: {
		prefix: '001',
		fields: {
			Id: f('id', false),
			Name: f('string'),
			Website: f('url'),
			Industry: f('picklist'),
			Type: f('picklist'),
			Phone: f('string'),
			BillingCountry: f('string'),
			BillingCity: f('string'),
			OwnerId: f('reference', true, { referenceTo: 'User', relationshipName: 'Owner' }),
			Description: f('textarea'),
			...AUDIT,
		},
	},
	Task: {
		prefix: '00T',
		fields: {
			Id: f('id', false),
			Subject: f('string'),
			Description: f('textarea'),
			WhatId: f('reference', true, { referenceTo: 'Opportunity', relationshipName: 'What' }),
			// Contacts are not modelled: Who is a Lead here.
			WhoId: f('reference', true, { referenceTo: 'Lead', relationshipName: 'Who' }),
			OwnerId: f('reference', true, { referenceTo: 'User', relationshipName: 'Owner' }),
			ActivityDate: f('date'),
			Status: f('picklist', true, { picklist: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] }),
			Priority: f('picklist', true, { picklist: ['High', 'Normal', 'Low'] }),
			IsClosed: f('boolean', false),
			...AUDIT,
		},
	},
	Lead: {
		prefix: '00Q',
		fields: {
			Id: f('id', false),
			FirstName: f('string'),
			LastName: f('string'),
			Name: f('string', false),
			Company: f('string'),
			Email: f('email'),
			Phone: f('string'),
			Title: f('string'),
			Country: f('string'),
			State: f('string'),
			Status: f('picklist', true, { picklist: LEAD_STATUSES }),
			LeadSource: f('picklist', true, { picklist: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] }),
			OwnerId: f('reference', true, { referenceTo: 'User', relationshipName: 'Owner' }),
			IsConverted: f('boolean', false),
			LastActivityDate: f('date', false),
			Description: f('textarea'),
			...AUDIT,
		},
	},
	User: {
		prefix: '005',
		fields: {
			Id: f('id', false),
			Name: f('string', false),
			FirstName: f('string'),
			LastName: f('string'),
			Email: f('email'),
			Username: f('string'),
			Title: f('string'),
			IsActive: f('boolean'),
			...AUDIT,
		},
	},
};

/**
 * A per-fake copy of the schema (so custom fields one test defines do not leak into another fake).
 */
function createSchema() {
	/** @type {Record<string, { prefix: string, fields: Map<string, FieldDef> }>} */
	const objects = {};
	for (const [name, def] of Object.entries(OBJECTS)) {
		objects[name] = { prefix: def.prefix, fields: new Map(Object.entries(def.fields).map(([field, d]) => [field.toLowerCase(), { name: field, ...d }])) };
	}
	return {
		objects,
		/** Canonical object name for any casing, or undefined. @param {string} name */
		objectName: (name) => Object.keys(objects).find((o) => o.toLowerCase() === String(name).toLowerCase()),
		/** @param {string} object @param {string} field @returns {FieldDef | undefined} */
		field: (object, field) => objects[object]?.fields.get(String(field).toLowerCase()),
		/** @param {string} object */
		fields: (object) => [...objects[object].fields.values()],
		/** Add a custom field (name must end in `__c`). @param {string} object @param {string} name @param {FieldType} [type] */
		defineField(object, name, type = 'string') {
			if (!objects[object]) throw new Error(`Unknown sObject ${object}`);
			if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(name)) throw new Error(`Custom field names end in __c (got ${name})`);
			objects[object].fields.set(name.toLowerCase(), { name, type, writable: true });
		},
		/** The object an id belongs to, by its 3-char key prefix. @param {string} id */
		objectOfId: (id) => Object.keys(objects).find((o) => objects[o].prefix === String(id).slice(0, 3)),
	};
}

/** @param {string} stage */
const stageInfo = (stage) => OPPORTUNITY_STAGES.find((s) => s.value === stage);

module.exports = { createSchema, OPPORTUNITY_STAGES, LEAD_STATUSES, stageInfo };
