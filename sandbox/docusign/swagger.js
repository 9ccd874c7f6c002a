// @ts-check
'use strict';

const path = require('node:path');
const fs = require('node:fs');
const { createValidator } = require('../core/openapi');
const { deref } = require('../core/schema');

/**
 * DocuSign publishes Swagger 2.0 with v2 paths; core/openapi.js reads OpenAPI 3. This adapter turns the swagger
 * into the OpenAPI 3 subset the validator needs (path/query parameters with `schema`, a JSON `requestBody` from the
 * `in: body` parameter; `$ref`s keep pointing at `#/definitions/…`), adds the v2.1 fields our clients send that the
 * v2 document lacks, and maps request paths `/restapi/v2.1/…` to the spec's `/v2/…`.
 */

const DEFAULT_SPEC = path.resolve(__dirname, '../../../shared/reference/docusign-esignature-v2.swagger.json');

/** v2.1 additions (from DocuSign's v2.1 reference) missing from the v2 swagger. */
const EXTRA_QUERY = {
	'GET /v2/accounts/{accountId}/envelopes': ['search_text', 'include', 'order', 'order_by', 'continuation_token'],
};
/** @type {Record<string, Record<string, unknown>>} */
const EXTRA_PROPERTIES = {
	connectCustomConfiguration: {
		events: { type: 'array', items: { type: 'string' } },
		deliveryMode: { type: 'string', enum: ['SIM', 'aggregate'] },
		eventData: {
			type: 'object',
			properties: { version: { type: 'string' }, format: { type: 'string' }, includeData: { type: 'array', items: { type: 'string' } } },
		},
	},
};

/** @param {any} parameter a swagger 2 non-body parameter */
function parameterSchema(parameter) {
	/** @type {Record<string, unknown>} */
	const schema = {};
	for (const key of ['type', 'enum', 'items', 'format', 'pattern', 'minimum', 'maximum']) if (parameter[key] !== undefined) schema[key] = parameter[key];
	return schema;
}

/**
 * Swagger 2.0 → the OpenAPI 3 shape core/openapi.js validates against.
 * @param {any} swagger
 */
function swaggerToOpenApi3(swagger) {
	/** @type {Record<string, any>} */
	const paths = {};
	for (const [template, item] of Object.entries(swagger.paths || {})) {
		/** @type {Record<string, any>} */
		const out = {};
		for (const [method, operation] of Object.entries(/** @type {Record<string, any>} */ (item))) {
			if (method === 'parameters' || !operation || typeof operation !== 'object') continue;
			/** @type {any[]} */
			const parameters = [];
			/** @type {any} */
			let requestBody;
			for (const raw of operation.parameters || []) {
				const parameter = deref(swagger, raw);
				if (parameter.in === 'body') requestBody = { required: Boolean(parameter.required), content: { 'application/json': { schema: parameter.schema || {} } } };
				else if (parameter.in === 'path' || parameter.in === 'query') {
					parameters.push({ name: parameter.name, in: parameter.in, required: Boolean(parameter.required), schema: parameterSchema(parameter) });
				}
			}
			for (const name of /** @type {Record<string, string[]>} */ (EXTRA_QUERY)[`${method.toUpperCase()} ${template}`] || []) {
				if (!parameters.some((p) => p.in === 'query' && p.name === name)) parameters.push({ name, in: 'query', required: false, schema: { type: 'string' } });
			}
			out[method] = { operationId: operation.operationId, parameters, ...(requestBody ? { requestBody } : {}) };
		}
		paths[template] = out;
	}
	const definitions = JSON.parse(JSON.stringify(swagger.definitions || {}));
	for (const [name, extra] of Object.entries(EXTRA_PROPERTIES)) {
		if (definitions[name]) definitions[name].properties = { ...definitions[name].properties, ...extra };
	}
	return { openapi: '3.0.0', paths, definitions };
}

/** @type {Map<string, any>} */
const cache = new Map();

/** Load and convert once per file (the swagger is ~2 MB). @param {string} [file] */
function loadDocusignSpec(file = process.env.Q2C_DOCUSIGN_SPEC || DEFAULT_SPEC) {
	if (!cache.has(file)) cache.set(file, swaggerToOpenApi3(JSON.parse(fs.readFileSync(file, 'utf8'))));
	return cache.get(file);
}

/**
 * DocuSign's JSON reader accepts `true` / `1` where its model has strings (nearly every field is a string), so
 * turn such scalars into strings before the strict type check.
 * @param {any} spec
 * @param {unknown} value
 * @param {any} schema
 * @returns {unknown}
 */
function stringifyScalars(spec, value, schema) {
	const resolved = deref(spec, schema || {});
	if (!resolved) return value;
	if (resolved.type === 'string' && (typeof value === 'boolean' || typeof value === 'number')) return String(value);
	if (Array.isArray(value) && resolved.items) return value.map((item) => stringifyScalars(spec, item, resolved.items));
	if (value && typeof value === 'object' && !Array.isArray(value) && resolved.properties) {
		const out = /** @type {Record<string, unknown>} */ ({});
		for (const [key, item] of Object.entries(value)) out[key] = resolved.properties[key] ? stringifyScalars(spec, item, resolved.properties[key]) : item;
		return out;
	}
	return value;
}

/**
 * A request validator for `/restapi/v2.1/…` (and `/restapi/v2/…`) paths.
 * @param {any} [spec] converted spec (default: the reference swagger)
 */
function createDocusignValidator(spec = loadDocusignSpec()) {
	const validator = createValidator(spec, { paramStyle: 'dot' });
	/**
	 * @param {{ method: string, path: string, rawQuery: string, body: unknown }} req
	 * @returns {{ known: boolean, problem?: { where: 'query' | 'body' | 'path', param: string, message: string }, query: Record<string, unknown>, body: unknown }}
	 */
	function validate(req) {
		const specPath = req.path.replace(/^\/restapi\/v2(\.1)?\//, '/v2/');
		const query = new URLSearchParams(req.rawQuery);
		query.delete('_'); // the SDK's cache buster when apiClient.cache = false
		/** @type {Record<string, unknown>} */
		const flat = {};
		for (const [key, value] of query) flat[key] = flat[key] === undefined ? value : [].concat(/** @type {any} */ (flat[key]), /** @type {any} */ (value));
		const found = validator.match(req.method, specPath);
		if (!found) return { known: false, query: flat, body: req.body };
		const media = found.operation.requestBody && found.operation.requestBody.content['application/json'];
		const body = media && req.body !== undefined ? stringifyScalars(spec, req.body, media.schema) : req.body;
		const result = validator.validateRequest({ method: req.method, path: specPath, query: flat, body, contentType: 'application/json' });
		const first = result.problems[0];
		if (!first) return { known: true, query: result.query, body: result.body };
		const queryNames = new Set((found.operation.parameters || []).filter((/** @type {any} */ p) => p.in === 'query').map((/** @type {any} */ p) => p.name));
		const where = first.param in flat || queryNames.has(first.param) ? 'query' : found.operation.parameters.some((/** @type {any} */ p) => p.in === 'path' && p.name === first.param) ? 'path' : 'body';
		return { known: true, problem: { where, param: first.param, message: first.message }, query: result.query, body: result.body };
	}
	return { validate, spec };
}

module.exports = { swaggerToOpenApi3, loadDocusignSpec, createDocusignValidator, stringifyScalars, DEFAULT_SPEC };
