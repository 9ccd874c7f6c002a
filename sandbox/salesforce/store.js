// @ts-check
'use strict';

const { createSchema, stageInfo, LEAD_STATUSES } = require('./schema');
const { createIdFactory, normaliseId } = require('./ids');

/**
 * Records of the Salesforce fake and the write rules the REST API applies: unknown / read-only fields, value types,
 * restricted picklists, references, required fields, validation rules, and the derived fields Salesforce keeps
 * (IsWon / IsClosed / Probability from StageName, Name from First/LastName, Lead Status, audit fields, SystemModstamp)
 * and a lead's LastActivityDate from its completed tasks.
 */

class SfError extends Error {
	/** @param {number} status @param {string} errorCode @param {string} message @param {string[]} [fields] */
	constructor(status, errorCode, message, fields = []) {
		super(message);
		this.status = status;
		this.errorCode = errorCode;
		this.fields = fields;
	}
	toBody() {
		return [{ message: this.message, errorCode: this.errorCode, fields: this.fields }];
	}
}

/** Salesforce's JSON datetime format. @param {number} ms */
const sfDateTime = (ms) => new Date(ms).toISOString().replace('Z', '+0000');
const REQUIRED = /** @type {Record<string, string[]>} */ ({ Opportunity: ['Name', 'StageName', 'CloseDate'], Account: ['Name'], Task: [], Lead: ['LastName', 'Company'], User: ['LastName', 'Username', 'Email'] });
const RESTRICTED = new Set(['Opportunity.StageName', 'Opportunity.CurrencyIsoCode', 'Task.Status', 'Task.Priority']);
const NUMERIC = new Set(['currency', 'double', 'percent', 'int']);

/**
 * @typedef {{ object: string, message: string, field?: string, when: (record: Record<string, any>) => boolean }} ValidationRule
 * @param {{ multiCurrency: boolean }} options
 */
function createStore(options) {
	let schema = createSchema();
	const ids = createIdFactory();
	/** @type {Map<string, { object: string, record: Record<string, any> }>} */
	let byId = new Map();
	/** @type {ValidationRule[]} */
	let rules = [];
	let lastTick = 0;
	let apiUserId = '';

	/** A strictly increasing clock, so every change gets a later SystemModstamp. */
	const tick = () => {
		lastTick = Math.max(Date.now(), lastTick + 1);
		return lastTick;
	};

	function resetSchema() {
		schema = createSchema();
		if (!options.multiCurrency) schema.objects.Opportunity.fields.delete('currencyisocode');
		schema.defineField('Opportunity', 'Subscription_Id__c');
		schema.defineField('Opportunity', 'Billing_Status__c');
	}
	resetSchema();

	/** @param {string} id */
	const get = (id) => {
		const normal = normaliseId(id);
		return normal ? byId.get(normal) : undefined;
	};
	/** @param {string} object */
	const records = (object) => [...byId.values()].filter((e) => e.object === object).map((e) => e.record);

	/**
	 * Check and coerce one written value.
	 * @param {string} object @param {import('./schema').FieldDef} def @param {unknown} value
	 */
	function coerce(object, def, value) {
		if (value === null) return null;
		const bad = (/** @type {string} */ type) =>
			new SfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${type} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${JSON.stringify(value)} or request may be missing a required field`);
		if (def.type === 'boolean') {
			if (typeof value !== 'boolean') throw bad('boolean');
			return value;
		}
		if (NUMERIC.has(def.type)) {
			const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			if (typeof n !== 'number' || !Number.isFinite(n)) throw bad(def.type === 'int' ? 'int' : 'double');
			return n;
		}
		if (def.type === 'date') {
			if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw bad('date');
			return value;
		}
		if (def.type === 'datetime') {
			if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw bad('datetime');
			return sfDateTime(Date.parse(value));
		}
		if (typeof value === 'object') throw bad('string');
		const text = String(value);
		if (RESTRICTED.has(`${object}.${def.name}`) && def.picklist && !def.picklist.includes(text)) {
			throw new SfError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${def.name}: bad value for restricted picklist field: ${text}`, [def.name]);
		}
		if (def.type === 'reference') {
			const target = normaliseId(text);
			const found = target ? byId.get(target) : undefined;
			const expected = def.referenceTo === 'Opportunity' && def.name === 'WhatId' ? ['Opportunity', 'Account'] : [def.referenceTo];
			if (!target || !expected.includes(schema.objectOfId(target))) {
				throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', `${def.name}: id value of incorrect type: ${text}`, [def.name]);
			}
			if (!found) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [def.name]);
			if (found.object === 'User' && found.record.IsActive === false) {
				throw new SfError(400, 'INACTIVE_OWNER_OR_USER', `operation performed with inactive user [${target}] as owner of ${object.toLowerCase()}`, [def.name]);
			}
			return target;
		}
		return text;
	}

	/**
	 * Validate a create/update body and return the record it would produce (nothing is stored).
	 * @param {string} object @param {Record<string, unknown>} fields @param {Record<string, any> | undefined} current
	 */
	function prepare(object, fields, current) {
		if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
		/** @type {Record<string, any>} */
		const next = { ...(current || {}) };
		for (const [key, value] of Object.entries(fields)) {
			if (key === 'attributes') continue;
			const def = schema.field(object, key);
			if (!def) throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object}`);
			if (!def.writable) {
				throw new SfError(
					400,
					'INVALID_FIELD_FOR_INSERT_UPDATE',
					`Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
					[def.name],
				);
			}
			next[def.name] = coerce(object, def, value);
		}
		const missing = REQUIRED[object].filter((name) => next[name] === null || next[name] === undefined || next[name] === '');
		if (missing.length) throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
		derive(object, next, fields, current);
		for (const rule of rules) {
			if (rule.object === object && rule.when(next)) throw new SfError(400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, rule.field ? [rule.field] : []);
		}
		return next;
	}

	/** @param {string} object @param {Record<string, any>} next @param {Record<string, unknown>} fields @param {Record<string, any> | undefined} current */
	function derive(object, next, fields, current) {
		const now = sfDateTime(tick());
		if (!current) {
			next.CreatedDate = now;
			next.CreatedById = apiUserId || next.Id;
			next.IsDeleted = false;
		}
		next.LastModifiedDate = now;
		next.LastModifiedById = apiUserId || next.Id;
		next.SystemModstamp = now;
		if (object === 'Opportunity') {
			const stage = stageInfo(next.StageName);
			next.IsClosed = stage ? stage.closed : false;
			next.IsWon = stage ? stage.won : false;
			if (stage && (!current || current.StageName !== next.StageName) && !('Probability' in fields)) next.Probability = stage.probability;
			next.ForecastCategoryName = stage ? (stage.won ? 'Closed' : stage.closed ? 'Omitted' : 'Pipeline') : next.ForecastCategoryName ?? null;
			if (options.multiCurrency && !next.CurrencyIsoCode) next.CurrencyIsoCode = 'USD';
		}
		if (object === 'Task') {
			next.Status = next.Status || 'Not Started';
			next.Priority = next.Priority || 'Normal';
			next.IsClosed = next.Status === 'Completed';
		}
		if (object === 'Lead') {
			next.Status = next.Status || LEAD_STATUSES[0];
			next.IsConverted = false;
			next.Name = [next.FirstName, next.LastName].filter(Boolean).join(' ');
		}
		if (object === 'User') {
			next.Name = [next.FirstName, next.LastName].filter(Boolean).join(' ');
			if (next.IsActive === undefined || next.IsActive === null) next.IsActive = true;
		}
		if (!next.OwnerId && schema.field(object, 'OwnerId') && apiUserId) next.OwnerId = apiUserId;
	}

	/**
	 * A completed task on a lead moves the lead's LastActivityDate (the later of it and the task's due date, else
	 * today), as Salesforce keeps it. Runs after a stored write only, never for a dry-run check.
	 * @param {string} object @param {Record<string, any>} record
	 */
	function afterWrite(object, record) {
		const lead = object === 'Task' && record.IsClosed && record.WhoId ? get(record.WhoId) : undefined;
		if (!lead || lead.object !== 'Lead') return;
		const day = record.ActivityDate || new Date(tick()).toISOString().slice(0, 10);
		if (!lead.record.LastActivityDate || lead.record.LastActivityDate < day) lead.record.LastActivityDate = day;
	}

	return {
		get schema() {
			return schema;
		},
		get,
		records,
		tick,
		sfDateTime,
		/** The API (integration) user: default owner and CreatedById. @param {string} id */
		setApiUser(id) {
			apiUserId = id;
		},
		/** @param {string} object @param {Record<string, unknown>} fields @returns {Record<string, any>} */
		create(object, fields) {
			const id = ids.next(schema.objects[object].prefix);
			const record = prepare(object, fields, undefined);
			const stored = { Id: id, ...record };
			byId.set(id, { object, record: stored });
			afterWrite(object, stored);
			return stored;
		},
		/** @param {string} object @param {string} id @param {Record<string, unknown>} fields */
		update(object, id, fields) {
			const entry = get(id);
			if (!entry || entry.object !== object) throw notFound();
			const next = prepare(object, fields, entry.record);
			entry.record = next;
			byId.set(next.Id, entry);
			afterWrite(object, next);
			return next;
		},
		/** Validate without storing (composite allOrNone). @param {string} object @param {string} id @param {Record<string, unknown>} fields */
		check(object, id, fields) {
			const entry = get(id);
			if (!entry || entry.object !== object) throw notFound();
			prepare(object, fields, entry.record);
		},
		/** Validate a create without storing. @param {string} object @param {Record<string, unknown>} fields */
		checkCreate(object, fields) {
			prepare(object, fields, undefined);
		},
		/** Write fields directly (seeding and test helpers), bypassing API rules but keeping derived fields. @param {string} id @param {Record<string, any>} fields @param {number} [at] */
		force(id, fields, at) {
			const entry = get(id);
			if (!entry) throw new Error(`No record ${id}`);
			const next = { ...entry.record, ...fields };
			derive(entry.object, next, fields, entry.record);
			if (at !== undefined) next.SystemModstamp = next.LastModifiedDate = sfDateTime(at);
			entry.record = next;
			return next;
		},
		/** @param {ValidationRule} rule */
		addValidationRule(rule) {
			rules.push(rule);
		},
		snapshot() {
			/** @type {Record<string, Record<string, any>[]>} */
			const out = {};
			for (const object of Object.keys(schema.objects)) out[object] = records(object).map((r) => ({ ...r }));
			return out;
		},
		reset() {
			byId = new Map();
			rules = [];
			ids.reset();
			apiUserId = '';
			resetSchema();
		},
	};
}

const notFound = () => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');

module.exports = { createStore, SfError, notFound, sfDateTime };
