// @ts-check
'use strict';

/**
 * Objects of the HubSpot fake (deals, companies, tasks), owners, deal pipelines and associations, with HubSpot's
 * property rules: values are strings, unknown / read-only properties and invalid options are VALIDATION_ERRORs,
 * hs_lastmodifieddate moves on every change and closed-won flags follow the stage's pipeline metadata.
 */

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
});
const READ_ONLY = new Set(['createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_is_closed_won', 'hs_is_closed', 'hs_deal_stage_probability', 'hs_createdate']);
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
});
const ENUMS = /** @type {Record<string, string[]>} */ ({
	deal_currency_code: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'],
	dealtype: ['newbusiness', 'existingbusiness'],
	hs_priority: ['low', 'medium', 'high'],
	hs_task_status: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
	hs_task_priority: ['NONE', 'LOW', 'MEDIUM', 'HIGH'],
	hs_task_type: ['TODO', 'CALL', 'EMAIL'],
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

function createStore() {
	/** @type {Record<string, Map<string, { id: string, properties: Record<string, string | null>, createdAt: string, updatedAt: string, archived: boolean }>>} */
	let objects = { deals: new Map(), companies: new Map(), tasks: new Map() };
	/** @type {Map<string, Record<string, any>>} */
	let owners = new Map();
	/** @type {{ from: string, fromId: string, to: string, toId: string, typeIds: number[] }[]} */
	let associations = [];
	let pipelines = defaultPipelines();
	/** @type {Record<string, Set<string>>} */
	let custom = { deals: new Set(), companies: new Set(), tasks: new Set() };
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

	/** @param {string} type @param {string} name */
	const known = (type, name) => Boolean(PROPERTIES[type][name]) || custom[type].has(name) || READ_ONLY.has(name);

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
		/** @param {string} type @param {unknown} input @param {{ skipValidation?: boolean }} [opts] */
		create(type, input, opts = {}) {
			const properties = opts.skipValidation ? /** @type {Record<string, string | null>} */ (input) : validate(type, input, {});
			const at = new Date(tick()).toISOString();
			const id = nextId(type === 'deals' ? 15_000_000_000 : type === 'companies' ? 21_000_000_000 : 48_000_000_000);
			const record = { id, properties: { ...properties, createdate: at, hs_lastmodifieddate: at, hs_object_id: id }, createdAt: at, updatedAt: at, archived: false };
			derive(type, record.properties);
			objects[type].set(id, record);
			return record;
		},
		/** @param {string} type @param {string} id @param {unknown} input @param {{ skipValidation?: boolean, at?: number }} [opts] */
		update(type, id, input, opts = {}) {
			const record = objects[type].get(String(id));
			if (!record) throw new HubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
			const changes = opts.skipValidation ? /** @type {Record<string, string | null>} */ (input) : validate(type, input, record.properties);
			const at = new Date(opts.at ?? tick()).toISOString();
			Object.assign(record.properties, changes, { hs_lastmodifieddate: at });
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
			/** Deep copies of one object type's records (the three types `objects` always holds). @param {string} type */
			const copy = (type) => [...objects[type].values()].map((r) => /** @type {typeof r} */ (JSON.parse(JSON.stringify(r))));
			return { deals: copy('deals'), companies: copy('companies'), tasks: copy('tasks'), owners: api.owners(), associations: associations.map((a) => ({ ...a })), pipelines };
		},
		reset() {
			objects = { deals: new Map(), companies: new Map(), tasks: new Map() };
			owners = new Map();
			associations = [];
			pipelines = defaultPipelines();
			custom = { deals: new Set(), companies: new Set(), tasks: new Set() };
			// Object ids keep counting across resets: HubSpot never reuses one, and triggers remember the ids they saw.
		},
	};
	return api;
}

module.exports = { createStore, HubspotError, ASSOCIATION_TYPES };
