// @ts-check
'use strict';

const fs = require('node:fs');
const { deref } = require('../core/schema');
const { loadVendorSpec } = require('../core/vendorSpecs');

/**
 * DocuSign's published Swagger 2.0 file, for the optional vendor-spec layer (core/vendorSpecs.js): it is never
 * needed to run the fake. DocuSign publishes v2 paths and core/openapi.js reads OpenAPI 3, so this adapter turns
 * the swagger into the OpenAPI 3 subset the validator needs (path/query parameters with `schema`, a JSON
 * `requestBody` from the `in: body` parameter; `$ref`s keep pointing at `#/definitions/…`) and maps our request
 * paths `/restapi/v2.1/…` to the spec's `/v2/…`. It adds nothing: what v2.1 added is marked in api.js.
 */

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
			out[method] = { operationId: operation.operationId, parameters, ...(requestBody ? { requestBody } : {}) };
		}
		paths[template] = out;
	}
	return { openapi: '3.0.0', paths, definitions: JSON.parse(JSON.stringify(swagger.definitions || {})) };
}

/** Our request path (or path template) → the spec's: `/restapi/v2.1/…` and `/restapi/v2/…` → `/v2/…`. @param {string} path */
const toSpecPath = (path) => path.replace(/^\/restapi\/v2(\.1)?\//, '/v2/');

/**
 * DocuSign's spec, converted (once per process), when the vendor-spec layer is on (Q2C_VENDOR_SPECS); else null.
 * @returns {any | null}
 */
function loadDocusignVendorSpec() {
	return loadVendorSpec('docusign', (file) => swaggerToOpenApi3(JSON.parse(fs.readFileSync(file, 'utf8'))));
}

/**
 * DocuSign's JSON reader accepts `true` / `1` where its model has strings (nearly every field is a string), so
 * turn such scalars into strings before the strict type check.
 * @param {any} spec the document `schema`'s `$ref`s point into
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

module.exports = { swaggerToOpenApi3, toSpecPath, loadDocusignVendorSpec, stringifyScalars };
