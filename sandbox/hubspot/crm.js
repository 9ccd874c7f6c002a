// @ts-check
'use strict';

const { HubspotError, ASSOCIATION_TYPES } = require('./store');
const { search } = require('./search');

/**
 * CRM routes of the HubSpot fake: v3 objects (get / create / update / search / batch update) for deals, companies,
 * tasks and contacts, deal pipelines, v4 associations and owners. Auth happened in index.js's `before` hook.
 */

const TYPES = /** @type {Record<string, string>} */ ({
	deals: 'deals',
	deal: 'deals',
	'0-3': 'deals',
	companies: 'companies',
	company: 'companies',
	'0-2': 'companies',
	tasks: 'tasks',
	task: 'tasks',
	'0-27': 'tasks',
	contacts: 'contacts',
	contact: 'contacts',
	'0-1': 'contacts',
});
const SINGULAR = /** @type {Record<string, string>} */ ({ deals: 'deal', companies: 'company', tasks: 'task', contacts: 'contact' });
const ALWAYS = /** @type {Record<string, string[]>} */ ({ contacts: ['createdate', 'lastmodifieddate', 'hs_object_id'] });
const ALWAYS_DEFAULT = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];
const REQUIRED = /** @type {Record<string, string[]>} */ ({ deals: ['dealname'], companies: [], tasks: ['hs_timestamp'], contacts: [] });

/** @param {string} raw */
function objectType(raw) {
	const type = TYPES[String(raw).toLowerCase()];
	if (!type) throw new HubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
	return type;
}

/** Comma-separated or repeated query parameter. @param {string} rawQuery @param {string} name */
function listParam(rawQuery, name) {
	return new URLSearchParams(rawQuery)
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean);
}

/**
 * @param {ReturnType<import('../core/server').createSandboxServer>} app
 * @param {ReturnType<import('./store').createStore>} store
 */
function registerCrm(app, store) {
	/**
	 * An object as the v3 API returns it: requested properties (null when unset, omitted when unknown) or the defaults.
	 * @param {string} type @param {any} record @param {string[] | null} requested @param {string[]} [withAssociations]
	 */
	function present(type, record, requested, withAssociations = []) {
		const names = requested && requested.length ? [...new Set([...requested, ...(ALWAYS[type] || ALWAYS_DEFAULT)])] : store.defaults(type);
		/** @type {Record<string, string | null>} */
		const properties = {};
		for (const name of names) if (store.known(type, name)) properties[name] = record.properties[name] ?? null;
		/** @type {Record<string, unknown>} */
		const out = { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false };
		/** @type {Record<string, unknown>} */
		const associations = {};
		for (const raw of withAssociations) {
			const to = TYPES[raw.toLowerCase()];
			if (!to) continue;
			const results = store.associationsOf(type, record.id, to).flatMap((a) =>
				a.typeIds.map((typeId) => {
					const label = store.typeLabel(type, to, typeId);
					return { id: a.toId, type: `${SINGULAR[type]}_to_${SINGULAR[to]}${label && label.label ? '' : '_unlabeled'}` };
				}),
			);
			if (results.length) associations[raw] = { results };
		}
		if (Object.keys(associations).length) out.associations = associations;
		return out;
	}

	/** @param {string} type @param {string} id */
	const existing = (type, id) => {
		const record = store.get(type, id);
		if (!record) throw new HubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
		return record;
	};

	app.route('GET', '/crm/v3/objects/{type}/{id}', (req) => {
		const type = objectType(req.params.type);
		// `idProperty` names a unique property to look the record up by (e.g. a contact's email).
		const idProperty = new URLSearchParams(req.rawQuery).get('idProperty');
		if (idProperty && idProperty !== 'hs_object_id' && !(type === 'contacts' && idProperty === 'email')) {
			throw new HubspotError(400, 'VALIDATION_ERROR', `${idProperty} is not a unique identifier property of ${type}`);
		}
		const record = idProperty === 'email' ? store.findBy(type, 'email', req.params.id) : existing(type, req.params.id);
		if (!record) throw new HubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found');
		return { body: present(type, record, listParam(req.rawQuery, 'properties'), listParam(req.rawQuery, 'associations')) };
	});

	app.route('PATCH', '/crm/v3/objects/{type}/{id}', (req) => {
		const type = objectType(req.params.type);
		existing(type, req.params.id);
		const body = /** @type {any} */ (req.body);
		if (!body || typeof body.properties !== 'object' || body.properties === null) throw new HubspotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties is required');
		const record = store.update(type, req.params.id, body.properties);
		return { body: present(type, record, Object.keys(body.properties)) };
	});

	app.route('POST', '/crm/v3/objects/{type}', (req) => {
		const type = objectType(req.params.type);
		const body = /** @type {any} */ (req.body);
		if (!body || typeof body.properties !== 'object' || body.properties === null) throw new HubspotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties is required');
		const missing = REQUIRED[type].filter((name) => body.properties[name] === undefined || body.properties[name] === null || body.properties[name] === '');
		if (missing.length) {
			throw new HubspotError(
				400,
				'VALIDATION_ERROR',
				`Property values were not valid: ${missing.map((m) => `${m} is required`).join(', ')}`,
				missing.map((name) => ({ message: `${name} is required`, code: 'REQUIRED_PROPERTY', context: { propertyName: [name] } })),
			);
		}
		const links = Array.isArray(body.associations) ? body.associations.map((/** @type {any} */ a, /** @type {number} */ i) => association(type, a, i)) : [];
		const properties = type === 'tasks' ? { hs_task_status: 'NOT_STARTED', hs_task_priority: 'NONE', hs_task_type: 'TODO', ...body.properties } : body.properties;
		const record = store.create(type, properties);
		for (const link of links) store.associate(type, record.id, link.to, link.toId, link.typeIds);
		return { status: 201, body: present(type, record, Object.keys(properties)) };
	});

	/** Check one `associations[]` entry of a create body. @param {string} type @param {any} entry @param {number} index */
	function association(type, entry, index) {
		const toId = entry && entry.to && entry.to.id !== undefined ? String(entry.to.id) : '';
		const types = Array.isArray(entry && entry.types) ? entry.types : [];
		/** @type {number[]} */
		const typeIds = types.map((/** @type {any} */ t) => Number(t && t.associationTypeId));
		const to = Object.keys(ASSOCIATION_TYPES)
			.filter((key) => key.startsWith(`${type}:`))
			.find((key) => typeIds.length > 0 && typeIds.every((id) => ASSOCIATION_TYPES[key].some((t) => t.typeId === id)));
		if (!toId || !to) throw new HubspotError(400, 'VALIDATION_ERROR', `associations[${index}] needs to.id and types with a known associationTypeId for ${type} (got ${typeIds.join(', ') || 'none'})`);
		const target = to.split(':')[1];
		if (!store.get(target, toId)) throw new HubspotError(400, 'VALIDATION_ERROR', `associations[${index}]: ${SINGULAR[target]} ${toId} does not exist`);
		return { to: target, toId, typeIds };
	}

	app.route('POST', '/crm/v3/objects/{type}/search', (req) => {
		const type = objectType(req.params.type);
		const result = search(store, type, /** @type {any} */ (req.body));
		/** @type {Record<string, unknown>} */
		const body = { total: result.total, results: result.records.map((r) => present(type, r, result.properties)) };
		if (result.next) body.paging = { next: { after: result.next, link: `?after=${result.next}` } };
		return { body };
	});

	app.route('POST', '/crm/v3/objects/{type}/batch/update', (req) => {
		const type = objectType(req.params.type);
		const inputs = /** @type {any} */ (req.body)?.inputs;
		if (!Array.isArray(inputs)) throw new HubspotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: inputs is required');
		if (inputs.length > 100) throw new HubspotError(400, 'VALIDATION_ERROR', `Batch input size ${inputs.length} exceeds the limit of 100`);
		const startedAt = new Date().toISOString();
		/** @type {string[]} */
		const missing = [];
		for (const input of inputs) {
			if (!input || input.id === undefined || typeof input.properties !== 'object' || input.properties === null) throw new HubspotError(400, 'VALIDATION_ERROR', 'Every input needs id and properties');
			if (!store.get(type, String(input.id))) missing.push(String(input.id));
			else store.check(type, String(input.id), input.properties);
		}
		const results = inputs.filter((i) => !missing.includes(String(i.id))).map((i) => present(type, store.update(type, String(i.id), i.properties), Object.keys(i.properties)));
		/** @type {Record<string, unknown>} */
		const body = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
		if (!missing.length) return { body };
		body.numErrors = 1;
		body.errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: missing }, errors: [] }];
		return { status: 207, body };
	});

	app.route('GET', '/crm/v3/pipelines/{type}', (req) => {
		if (objectType(req.params.type) !== 'deals') return { body: { results: [] } };
		return { body: { results: store.pipelines } };
	});
	app.route('GET', '/crm/v3/pipelines/{type}/{pipelineId}', (req) => {
		const pipeline = objectType(req.params.type) === 'deals' ? store.pipelines.find((p) => p.id === req.params.pipelineId) : undefined;
		if (!pipeline) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${req.params.pipelineId}`);
		return { body: pipeline };
	});

	app.route('GET', '/crm/v4/objects/{from}/{id}/associations/{to}', (req) => {
		const from = objectType(req.params.from);
		const to = objectType(req.params.to);
		existing(from, req.params.id);
		const params = new URLSearchParams(req.rawQuery);
		const limit = Math.min(Number(params.get('limit') || 500), 500);
		const start = Number(params.get('after') || 0);
		const all = store.associationsOf(from, req.params.id, to).map((a) => ({
			toObjectId: Number(a.toId),
			associationTypes: a.typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: store.typeLabel(from, to, typeId)?.label ?? null })),
		}));
		/** @type {Record<string, unknown>} */
		const body = { results: all.slice(start, start + limit) };
		if (start + limit < all.length) body.paging = { next: { after: String(start + limit), link: `?after=${start + limit}` } };
		return { body };
	});

	// Batch read (v4): one row per input that has associations; unknown ids are reported in `errors` (HTTP 207).
	app.route('POST', '/crm/v4/associations/{from}/{to}/batch/read', (req) => {
		const from = objectType(req.params.from);
		const to = objectType(req.params.to);
		const inputs = /** @type {any} */ (req.body)?.inputs;
		if (!Array.isArray(inputs) || inputs.some((/** @type {any} */ input) => !input || typeof input.id !== 'string' && typeof input.id !== 'number')) {
			throw new HubspotError(400, 'VALIDATION_ERROR', 'inputs must be an array of { id }');
		}
		if (inputs.length > 1000) throw new HubspotError(400, 'VALIDATION_ERROR', 'at most 1000 inputs per batch read');
		const at = new Date().toISOString();
		const results = [];
		const errors = [];
		for (const input of inputs) {
			const id = String(input.id);
			if (!store.get(from, id)) {
				errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `No ${from} ${id}`, context: { fromObjectId: [id] } });
				continue;
			}
			const links = store.associationsOf(from, id, to);
			if (links.length === 0) continue;
			results.push({
				from: { id },
				to: links.map((a) => ({
					toObjectId: Number(a.toId),
					associationTypes: a.typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: store.typeLabel(from, to, typeId)?.label ?? null })),
				})),
			});
		}
		const body = { status: 'COMPLETE', results, ...(errors.length ? { numErrors: errors.length, errors } : {}), startedAt: at, completedAt: at };
		return { status: errors.length ? 207 : 200, body };
	});

	app.route('PUT', '/crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}', (req) => {
		const from = objectType(req.params.from);
		const to = objectType(req.params.to);
		existing(from, req.params.id);
		existing(to, req.params.toId);
		const typeIds = (ASSOCIATION_TYPES[`${from}:${to}`] || []).slice(-1).map((t) => t.typeId);
		store.associate(from, req.params.id, to, req.params.toId, typeIds);
		return {
			body: { status: 'COMPLETE', results: [{ from: { id: req.params.id }, to: { id: req.params.toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeIds[0] } }], startedAt: new Date().toISOString(), completedAt: new Date().toISOString() },
		};
	});

	app.route('GET', '/crm/v3/owners', (req) => {
		const params = new URLSearchParams(req.rawQuery);
		const limit = Number(params.get('limit') || 100);
		if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HubspotError(400, 'VALIDATION_ERROR', `limit must be between 1 and 500 (got ${params.get('limit')})`);
		const email = (params.get('email') || '').toLowerCase();
		const archived = params.get('archived') === 'true';
		const owners = store.owners().filter((o) => o.archived === archived && (!email || String(o.email).toLowerCase() === email));
		const start = Number(params.get('after') || 0);
		/** @type {Record<string, unknown>} */
		const body = { results: owners.slice(start, start + limit) };
		if (start + limit < owners.length) body.paging = { next: { after: String(start + limit), link: `?after=${start + limit}` } };
		return { body };
	});
	app.route('GET', '/crm/v3/owners/{ownerId}', (req) => {
		const owner = store.owners().find((o) => o.id === req.params.ownerId);
		if (!owner) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `Owner ${req.params.ownerId} not found`);
		return { body: owner };
	});
}

module.exports = { registerCrm };
