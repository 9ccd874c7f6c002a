// @ts-check
'use strict';

const crypto = require('node:crypto');
const { SfError, notFound } = require('./store');
const { normaliseId } = require('./ids');
const { runSoql } = require('./query');

/**
 * The REST data API routes of the Salesforce fake (`/services/data/vXX.X/…`): resources, limits, query + queryMore,
 * describe, sObject rows, and sObject Collections. `api(method, template, handler)` adds auth, the daily limit
 * and `Sforce-Limit-Info` (see index.js).
 *
 * @typedef {(req: import('../core/server').SandboxRequest & { version: string, userId: string }) => import('../core/server').SandboxResponse} ApiHandler
 * @param {(method: string, template: string, handler: ApiHandler) => void} api
 * @param {{ store: ReturnType<import('./store').createStore>, baseUrl: () => string, orgId: string, limits: () => { used: number, max: number } }} env
 */
function registerRest(api, env) {
	const { store } = env;
	const WRITABLE = new Set(['Opportunity', 'Account', 'Task', 'Lead']);
	/** @type {Map<string, { rows: Record<string, unknown>[], batchSize: number }>} */
	const cursors = new Map();

	/** @param {string} version @param {string} object @param {string} id */
	const recordUrl = (version, object, id) => `/services/data/${version}/sobjects/${object}/${id}`;
	/** @param {string} version */
	const queryContext = (version) => ({ schema: store.schema, records: store.records, get: store.get, recordUrl: (/** @type {string} */ o, /** @type {string} */ id) => recordUrl(version, o, id) });

	/** @param {string} type */
	const objectOrNotFound = (type) => {
		const object = store.schema.objectName(type);
		if (!object || object !== type) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
		return object;
	};

	api('GET', '/services/data/{version}', (req) => {
		const v = `/services/data/${req.version}`;
		return {
			body: {
				limits: `${v}/limits`,
				sobjects: `${v}/sobjects`,
				query: `${v}/query`,
				composite: `${v}/composite`,
				identity: `${env.baseUrl()}/id/${env.orgId}/${req.userId}`,
			},
		};
	});

	api('GET', '/services/data/{version}/limits', () => {
		const { used, max } = env.limits();
		return { body: { DailyApiRequests: { Max: max, Remaining: Math.max(max - used, 0) } } };
	});

	/** @param {string} version @param {string} id @param {Record<string, unknown>[]} rows @param {number} batchSize */
	const page = (version, id, rows, batchSize) => {
		const done = rows.length <= batchSize;
		/** @type {Record<string, unknown>} */
		const body = { totalSize: rows.length, done, records: rows.slice(0, batchSize) };
		if (!done) {
			cursors.set(id, { rows, batchSize });
			body.nextRecordsUrl = `/services/data/${version}/query/${id}-${batchSize}`;
		}
		return body;
	};

	api('GET', '/services/data/{version}/query', (req) => {
		const q = new URLSearchParams(req.rawQuery).get('q');
		if (!q) throw new SfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
		const result = runSoql(queryContext(req.version), q);
		if (result.count) return { body: { totalSize: result.totalSize, done: true, records: [] } };
		const option = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] || ''));
		const batchSize = option ? Math.min(Math.max(Number(option[1]), 200), 2000) : 2000;
		const cursorId = `01g${crypto.randomBytes(8).toString('hex').slice(0, 12)}AAA`;
		return { body: page(req.version, cursorId, result.records, batchSize) };
	});

	api('GET', '/services/data/{version}/query/{locator}', (req) => {
		const match = /^(.+)-(\d+)$/.exec(req.params.locator);
		const cursor = match ? cursors.get(match[1]) : undefined;
		if (!match || !cursor) throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		const offset = Number(match[2]);
		const rest = cursor.rows.slice(offset);
		const done = rest.length <= cursor.batchSize;
		/** @type {Record<string, unknown>} */
		const body = { totalSize: cursor.rows.length, done, records: rest.slice(0, cursor.batchSize) };
		if (!done) body.nextRecordsUrl = `/services/data/${req.version}/query/${match[1]}-${offset + cursor.batchSize}`;
		return { body };
	});

	api('GET', '/services/data/{version}/sobjects/{type}/describe', (req) => {
		const object = objectOrNotFound(req.params.type);
		const fields = store.schema.fields(object).map((d) => ({
			name: d.name,
			label: d.name.replace(/__c$/, '').replace(/_/g, ' '),
			type: d.type,
			custom: d.name.endsWith('__c'),
			createable: d.writable,
			updateable: d.writable,
			nillable: !['Id', 'Name', 'StageName', 'CloseDate', 'LastName', 'Company'].includes(d.name),
			referenceTo: d.referenceTo ? [d.referenceTo] : [],
			relationshipName: d.relationshipName || null,
			picklistValues: (d.picklist || []).map((value) => ({ value, label: value, active: true, defaultValue: false })),
		}));
		return { body: { name: object, label: object, keyPrefix: store.schema.objects[object].prefix, createable: WRITABLE.has(object), updateable: WRITABLE.has(object), queryable: true, fields } };
	});

	/** @param {string} version @param {string} object @param {Record<string, any>} record @param {string[] | null} only */
	const present = (version, object, record, only) => {
		/** @type {Record<string, unknown>} */
		const out = { attributes: { type: object, url: recordUrl(version, object, record.Id) } };
		const names = only || store.schema.fields(object).map((d) => d.name);
		for (const name of names) {
			const def = store.schema.field(object, name);
			if (!def) throw new SfError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
			out[def.name] = record[def.name] ?? null;
		}
		return out;
	};

	/** @param {string} object @param {string} id */
	const existing = (object, id) => {
		const entry = store.get(id);
		if (!entry || entry.object !== object) throw notFound();
		return entry.record;
	};

	api('GET', '/services/data/{version}/sobjects/{type}/{id}', (req) => {
		const object = objectOrNotFound(req.params.type);
		const record = existing(object, req.params.id);
		const fields = new URLSearchParams(req.rawQuery).get('fields');
		return { body: present(req.version, object, record, fields ? fields.split(',').map((f) => f.trim()).filter(Boolean) : null) };
	});

	/** @param {string} object */
	const writable = (object) => {
		if (!WRITABLE.has(object)) throw new SfError(405, 'METHOD_NOT_ALLOWED', `The sandbox does not write ${object} records through the API`);
	};

	api('PATCH', '/services/data/{version}/sobjects/{type}/{id}', (req) => {
		const object = objectOrNotFound(req.params.type);
		existing(object, req.params.id);
		writable(object);
		store.update(object, req.params.id, /** @type {any} */ (req.body));
		return { status: 204 };
	});

	api('POST', '/services/data/{version}/sobjects/{type}', (req) => {
		const object = objectOrNotFound(req.params.type);
		writable(object);
		const created = store.create(object, /** @type {any} */ (req.body));
		return { status: 201, body: { id: created.Id, success: true, errors: [] } };
	});

	/** @param {unknown} error */
	const failure = (error) => {
		if (!(error instanceof SfError)) throw error;
		return { success: false, errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }] };
	};

	/** Records of an sObject Collections body, checked as Salesforce does before any write. @param {unknown} body */
	const collection = (body) => {
		const input = /** @type {any} */ (body);
		if (!input || !Array.isArray(input.records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body needs a records array.');
		if (input.records.length > 200) throw new SfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
		for (const record of input.records) {
			const type = record && record.attributes && record.attributes.type;
			if (typeof type !== 'string') throw new SfError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
			objectOrNotFound(type);
			writable(type);
		}
		return { allOrNone: input.allOrNone === true, records: /** @type {Record<string, any>[]} */ (input.records) };
	};

	/** @param {Record<string, any>} record */
	const splitId = (record) => {
		const { attributes, id, Id, ...fields } = record;
		return { type: attributes.type, id: id ?? Id, fields };
	};

	/**
	 * Validate every record first; with allOrNone one failure rolls all back, otherwise the valid ones are written.
	 * @param {{ allOrNone: boolean, records: Record<string, any>[] }} input
	 * @param {(type: string, id: unknown, fields: Record<string, unknown>, dryRun: boolean) => string} write returns the id
	 */
	const runCollection = (input, write) => {
		const checks = input.records.map((record) => {
			const { type, id, fields } = splitId(record);
			try {
				write(type, id, fields, true);
				return null;
			} catch (error) {
				return failure(error);
			}
		});
		if (input.allOrNone && checks.some(Boolean)) {
			const rolledBack = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };
			return checks.map((c) => c || { success: false, errors: [rolledBack] });
		}
		return input.records.map((record, index) => {
			if (checks[index]) return checks[index];
			const { type, id, fields } = splitId(record);
			try {
				return { id: write(type, id, fields, false), success: true, errors: [] };
			} catch (error) {
				return failure(error);
			}
		});
	};

	api('PATCH', '/services/data/{version}/composite/sobjects', (req) => {
		const input = collection(req.body);
		const results = runCollection(input, (type, id, fields, dryRun) => {
			if (id === undefined || id === null || id === '') throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call');
			if (!normaliseId(id)) throw new SfError(400, 'MALFORMED_ID', `malformed id ${id}`, ['Id']);
			const entry = store.get(String(id));
			if (!entry || entry.object !== type) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
			if (dryRun) store.check(type, String(id), fields);
			else store.update(type, String(id), fields);
			return entry.record.Id;
		});
		return { body: results };
	});

	api('POST', '/services/data/{version}/composite/sobjects', (req) => {
		const input = collection(req.body);
		const results = runCollection(input, (type, id, fields, dryRun) => {
			if (id !== undefined) throw new SfError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
			if (dryRun) {
				// a create validates like an update of an empty record
				store.checkCreate(type, fields);
				return '';
			}
			return store.create(type, fields).Id;
		});
		return { status: 200, body: results };
	});

	return { reset: () => cursors.clear() };
}

module.exports = { registerRest };
