// @ts-check
'use strict';

/**
 * Objects of the HubSpot fake (deals, companies, tasks, contacts), owners, deal pipelines and associations, with
 * HubSpot's property rules: values are strings, unknown / read-only properties and invalid options are
 * VALIDATION_ERRORs, hs_lastmodifieddate (contacts: lastmodifieddate) moves on every change, closed-won flags follow
 * the stage's pipeline metadata, a contact's email is unique and hubspot_owner_assigneddate follows its owner.
 */

const { defaultPipelines, DEFAULTS, READ_ONLY, PROPERTIES, ENUMS, ASSOCIATION_TYPES, OBJECT_TYPES, ID_BASE } = require('./schema');

class HubspotError extends Error {
	/** @param {number} status @param {string} category @param {string} message @param {Record<string, unknown>[]} [errors] @param {Record<string, unknown>} [extra] */
	constructor(status, category, message, errors, extra) {
		super(message);
		this.status = status;
		this.category = category;
		this.errors = errors;
		this.extra = extra;
	}
}

/** @param {string} name @param {string} code @param {string} message */
const propertyProblem = (name, code, message) => ({ message, code, context: { propertyName: [name] } });
/** @param {{ message: string, code: string, context: { propertyName: string[] } }[]} problems */
const invalidProperties = (problems) =>
	new HubspotError(
		400,
		'VALIDATION_ERROR',
		`Property values were not valid: ${JSON.stringify(problems.map((p) => ({ isValid: false, message: p.message, error: p.code, name: p.context.propertyName[0] })))}`,
		problems,
	);

function createStore() {
	/** @type {Record<string, Map<string, { id: string, properties: Record<string, string | null>, createdAt: string, updatedAt: string, archived: boolean }>>} */
	let objects = emptyObjects();
	/** @type {Map<string, Record<string, any>>} */
	let owners = new Map();
	/** @type {{ from: string, fromId: string, to: string, toId: string, typeIds: number[] }[]} */
	let associations = [];
	let pipelines = defaultPipelines();
	/** @type {Record<string, Set<string>>} */
	let custom = customProperties();
	let sequence = 0;
	let lastTick = 0;

	const tick = () => (lastTick = Math.max(Date.now(), lastTick + 1));
	/** @param {number} base */
	const nextId = (base) => String(base + ++sequence);
	/** @param {string} stageId */
	const stageOf = (stageId) => {
		for (const pipeline of pipelines) {
			const stage = pipeline.stages.find((s) => s.id === stageId);
			if (stage) return { pipeline, stage };
		}
		return undefined;
	};

	/** Read-only properties every object has (createdate, hs_object_id, …); type-specific ones are in PROPERTIES. @param {string} name */
	const common = (name) => READ_ONLY.has(name) && !Object.values(PROPERTIES).some((known) => name in known);
	/** @param {string} type @param {string} name */
	const known = (type, name) => Boolean(PROPERTIES[type][name]) || custom[type].has(name) || common(name);

	/** A contact's email is unique (compared without case), as in HubSpot. @param {string} type @param {Record<string, string | null>} changes @param {string} [id] */
	function checkUnique(type, changes, id) {
		const email = type === 'contacts' && changes.email ? changes.email.toLowerCase() : undefined;
		const other = email ? [...objects.contacts.values()].find((c) => c.id !== id && String(c.properties.email ?? '').toLowerCase() === email) : undefined;
		if (other) throw new HubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${other.id}`);
	}

	/** Change stamps: contacts keep lastmodifieddate, and the owner's assignment time. @param {string} type @param {Record<string, string | null>} properties @param {Record<string, string | null>} changes @param {string} at */
	function stamp(type, properties, changes, at) {
		properties.hs_lastmodifieddate = at;
		if (type !== 'contacts') return;
		properties.lastmodifieddate = at;
		if ('hubspot_owner_id' in changes && !('hubspot_owner_assigneddate' in changes)) properties.hubspot_owner_assigneddate = changes.hubspot_owner_id ? at : null;
	}

	/**
	 * Check and stringify written properties (HubSpot stores every value as a string).
	 * @param {string} type @param {unknown} input @param {Record<string, string | null>} current
	 */
	function validate(type, input, current) {
		if (!input || typeof input !== 'object' || Array.isArray(input)) throw new HubspotError(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: properties must be an object');
		/** @type {Record<string, string | null>} */
		const out = {};
		const problems = [];
		for (const [name, raw] of Object.entries(input)) {
			if (!known(type, name)) {
				problems.push(propertyProblem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
				continue;
			}
			if (READ_ONLY.has(name)) {
				problems.push(propertyProblem(name, 'READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`));
				continue;
			}
			if (raw !== null && typeof raw === 'object') {
				problems.push(propertyProblem(name, 'INVALID_TYPE', `${JSON.stringify(raw)} is not a valid value for ${name}`));
				continue;
			}
			const value = raw === null || raw === undefined || raw === '' ? null : String(raw);
			const kind = PROPERTIES[type][name] || 'string';
			if (value !== null && kind === 'number' && !Number.isFinite(Number(value))) problems.push(propertyProblem(name, 'INVALID_FLOAT', `${value} was not a valid number.`));
			else if (value !== null && kind === 'datetime' && !/^\d+$/.test(value) && Number.isNaN(Date.parse(value))) problems.push(propertyProblem(name, 'INVALID_DATE', `${value} was not a valid date.`));
			else if (value !== null && kind === 'owner' && !owners.has(value)) problems.push(propertyProblem(name, 'INVALID_OWNER_ID', `${value} is not a valid owner id`));
			else if (value !== null && ENUMS[name] && !ENUMS[name].includes(value)) {
				problems.push(propertyProblem(name, 'INVALID_OPTION', `${value} was not one of the allowed options: ${ENUMS[name].join(', ')}`));
			} else out[name] = kind === 'datetime' && value !== null && /^\d+$/.test(value) ? new Date(Number(value)).toISOString() : value;
		}
		if (type === 'deals' && ('dealstage' in out || 'pipeline' in out)) {
			const pipelineId = out.pipeline ?? current.pipeline ?? 'default';
			const pipeline = pipelines.find((p) => p.id === pipelineId);
			const stageId = out.dealstage ?? current.dealstage;
			if (!pipeline) problems.push(propertyProblem('pipeline', 'INVALID_OPTION', `${pipelineId} is not a valid pipeline`));
			else if (stageId && !pipeline.stages.some((s) => s.id === stageId)) {
				problems.push(propertyProblem('dealstage', 'INVALID_OPTION', `${stageId} was not one of the allowed options: [${pipeline.stages.map((s) => s.id).join(', ')}]`));
			}
		}
		if (problems.length) throw invalidProperties(problems);
		return out;
	}

	/** @param {string} type @param {Record<string, string | null>} properties */
	function derive(type, properties) {
		if (type !== 'deals') return;
		const found = properties.dealstage ? stageOf(properties.dealstage) : undefined;
		properties.pipeline = properties.pipeline || found?.pipeline.id || 'default';
		const closed = found?.stage.metadata.isClosed === 'true';
		const won = closed && Number(found?.stage.metadata.probability) === 1;
		properties.hs_is_closed = String(closed);
		properties.hs_is_closed_won = String(won);
		properties.hs_deal_stage_probability = found ? found.stage.metadata.probability : null;
	}

	const api = {
		tick,
		get pipelines() {
			return pipelines;
		},
		stageOf,
		known,
		/** Mark a custom property as existing. @param {string} type @param {string} name */
		defineProperty: (type, name) => custom[type].add(name),
		/** @param {string} type */
		all: (type) => [...objects[type].values()],
		/** @param {string} type @param {string} id */
		get: (type, id) => objects[type].get(String(id)),
		/** The oldest record whose property equals the value (without case), e.g. a contact by email. @param {string} type @param {string} name @param {string} value */
		findBy: (type, name, value) => [...objects[type].values()].find((r) => String(r.properties[name] ?? '').toLowerCase() === value.toLowerCase()),
		/** @param {string} type @param {unknown} input @param {{ skipValidation?: boolean }} [opts] */
		create(type, input, opts = {}) {
			const properties = opts.skipValidation ? /** @type {Record<string, string | null>} */ (input) : validate(type, input, {});
			checkUnique(type, properties);
			const at = new Date(tick()).toISOString();
			const id = nextId(ID_BASE[type]);
			const record = { id, properties: { ...properties, createdate: at, hs_object_id: id }, createdAt: at, updatedAt: at, archived: false };
			stamp(type, record.properties, properties, at);
			derive(type, record.properties);
			objects[type].set(id, record);
			return record;
		},
		/** @param {string} type @param {string} id @param {unknown} input @param {{ skipValidation?: boolean, at?: number }} [opts] */
		update(type, id, input, opts = {}) {
			const record = objects[type].get(String(id));
			if (!record) throw new HubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
			const changes = opts.skipValidation ? /** @type {Record<string, string | null>} */ (input) : validate(type, input, record.properties);
			checkUnique(type, changes, record.id);
			const at = new Date(opts.at ?? tick()).toISOString();
			Object.assign(record.properties, changes);
			stamp(type, record.properties, changes, at);
			record.updatedAt = at;
			derive(type, record.properties);
			return record;
		},
		/** Validate only (batch calls check every input first). @param {string} type @param {string} id @param {unknown} input */
		check(type, id, input) {
			const record = objects[type].get(String(id));
			if (!record) throw new HubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
			validate(type, input, record.properties);
		},
		/** @param {Record<string, any>} owner */
		addOwner(owner) {
			owners.set(String(owner.id), owner);
			return owner;
		},
		owners: () => [...owners.values()],
		/** @param {string} from @param {string} fromId @param {string} to @param {string} toId @param {number[]} [typeIds] */
		associate(from, fromId, to, toId, typeIds) {
			const forwardTypes = ASSOCIATION_TYPES[`${from}:${to}`] || [];
			const reverseTypes = ASSOCIATION_TYPES[`${to}:${from}`] || [];
			const forward = typeIds || forwardTypes.map((t) => t.typeId);
			// the reverse direction carries the matching type (Primary ↔ Primary, unlabeled ↔ unlabeled)
			const reverse = forward.map((id) => reverseTypes[forwardTypes.findIndex((t) => t.typeId === id)]?.typeId).filter((id) => id !== undefined);
			associations = associations.filter((a) => !(a.from === from && a.fromId === fromId && a.to === to && a.toId === toId) && !(a.from === to && a.fromId === toId && a.to === from && a.toId === fromId));
			associations.push({ from, fromId, to, toId, typeIds: forward }, { from: to, fromId: toId, to: from, toId: fromId, typeIds: reverse });
		},
		/** @param {string} from @param {string} fromId @param {string} to */
		associationsOf: (from, fromId, to) => associations.filter((a) => a.from === from && a.fromId === String(fromId) && a.to === to),
		/** @param {string} from @param {string} to @param {number} typeId */
		typeLabel: (from, to, typeId) => (ASSOCIATION_TYPES[`${from}:${to}`] || []).find((t) => t.typeId === typeId),
		/** @param {string} type */
		defaults: (type) => DEFAULTS[type],
		snapshot() {
			/** Deep copies of one object type's records. @param {string} type */
			const copy = (type) => [...objects[type].values()].map((r) => /** @type {typeof r} */ (JSON.parse(JSON.stringify(r))));
			return { deals: copy('deals'), companies: copy('companies'), tasks: copy('tasks'), contacts: copy('contacts'), owners: api.owners(), associations: associations.map((a) => ({ ...a })), pipelines };
		},
		reset() {
			objects = emptyObjects();
			owners = new Map();
			associations = [];
			pipelines = defaultPipelines();
			custom = customProperties();
			// Object ids keep counting across resets: HubSpot never reuses one, and triggers remember the ids they saw.
		},
	};
	return api;
}

/** @returns {Record<string, Map<string, { id: string, properties: Record<string, string | null>, createdAt: string, updatedAt: string, archived: boolean }>>} */
const emptyObjects = () => Object.fromEntries(OBJECT_TYPES.map((type) => [type, new Map()]));
/** @returns {Record<string, Set<string>>} */
const customProperties = () => Object.fromEntries(OBJECT_TYPES.map((type) => [type, new Set()]));

module.exports = { createStore, HubspotError, ASSOCIATION_TYPES };
