// @ts-check
'use strict';

/**
 * A compact way to write the sandbox's own API descriptions: each fake declares the endpoints it serves and the
 * parameters it accepts, written from the vendor's documentation, and core/openapi.js validates requests against
 * the OpenAPI 3 document built here. The fakes never need a vendor's published spec to run; that is an optional,
 * extra check (see core/vendorSpecs.js).
 *
 *   api({ 'POST /v1/customers': op({ form: { email: str(), metadata: map(str()) } }) })
 */

/** @typedef {Record<string, any>} Schema */

const REQUIRED = Symbol('required');

/** Mark an object property or a parameter as required. @param {Schema} schema @returns {Schema} */
const req = (schema) => Object.assign({}, schema, { [REQUIRED]: true });

/** @param {Schema} [extra] */
const str = (extra = {}) => ({ type: 'string', ...extra });
/** @param {Schema} [extra] */
const int = (extra = {}) => ({ type: 'integer', ...extra });
/** @param {Schema} [extra] */
const num = (extra = {}) => ({ type: 'number', ...extra });
const bool = () => ({ type: 'boolean' });
/** @param {...string} values */
const oneOf = (...values) => ({ type: 'string', enum: values });
/** @param {Schema} items @param {Schema} [extra] */
const arr = (items, extra = {}) => ({ type: 'array', items, ...extra });
/** A string-keyed map (Stripe `metadata`, free-form objects). @param {Schema} [values] */
const map = (values) => ({ type: 'object', additionalProperties: values || {} });
/** Any of several shapes. @param {...Schema} branches */
const anyOf = (...branches) => ({ anyOf: branches });
/** @param {Schema} schema */
const nullable = (schema) => ({ ...schema, nullable: true });
/**
 * A field the vendor documents for a newer API version than its published spec file (say which, and where):
 * the conformance check lists it instead of failing on it.
 * @param {Schema} schema @param {string} why
 */
const newer = (schema, why) => ({ ...schema, 'x-newer-than-spec': why });

/**
 * An object with exactly these properties (unknown keys are rejected, as the vendors do); `req(…)` marks the
 * required ones.
 * @param {Record<string, Schema>} properties
 * @param {Schema} [extra] e.g. `{ additionalProperties: true }` for objects the vendor leaves open
 */
function obj(properties, extra = {}) {
	/** @type {Record<string, Schema>} */
	const props = {};
	/** @type {string[]} */
	const required = [];
	for (const [name, schema] of Object.entries(properties)) {
		if (/** @type {any} */ (schema)[REQUIRED]) required.push(name);
		props[name] = strip(schema);
	}
	return { type: 'object', properties: props, ...(required.length ? { required } : {}), ...extra };
}

/** @param {Schema} schema */
function strip(schema) {
	const { [REQUIRED]: _ignored, ...rest } = /** @type {any} */ (schema);
	return rest;
}

/**
 * @typedef {object} OperationSpec
 * @property {Record<string, Schema>} [path] path parameters (always required)
 * @property {Record<string, Schema>} [query] query parameters; `req(…)` for required ones
 * @property {Record<string, Schema>} [form] an `application/x-www-form-urlencoded` body's fields (Stripe)
 * @property {Schema} [json] a JSON body's schema (use `obj(…)`)
 * @property {boolean} [bodyRequired] the JSON body must be present
 * @property {string} [jsonType] media type of the JSON body (default application/json)
 * @property {string} [ownDesign] set on endpoints that are not the vendor's but ours (the reason): the
 *   conformance check expects them to be absent from the vendor's spec
 * @property {string} [newerThanSpec] set where the vendor documents the endpoint or a field in a newer API
 *   version than its published spec file (which version, where): the conformance check lists these instead of
 *   failing on them
 */

/** @param {OperationSpec} spec */
function op(spec = {}) {
	/** @type {any[]} */
	const parameters = [];
	for (const [name, schema] of Object.entries(spec.path || {})) parameters.push({ name, in: 'path', required: true, schema: strip(schema) });
	for (const [name, schema] of Object.entries(spec.query || {})) {
		const style = schema.type === 'object' ? { style: 'deepObject', explode: true } : {};
		parameters.push({ name, in: 'query', required: Boolean(/** @type {any} */ (schema)[REQUIRED]), schema: strip(schema), ...style });
	}
	/** @type {any} */
	const operation = { parameters };
	if (spec.form) operation.requestBody = { required: false, content: { 'application/x-www-form-urlencoded': { schema: obj(spec.form) } } };
	if (spec.json) operation.requestBody = { required: Boolean(spec.bodyRequired), content: { [spec.jsonType || 'application/json']: { schema: spec.json } } };
	if (spec.ownDesign) operation['x-own-design'] = spec.ownDesign;
	if (spec.newerThanSpec) operation['x-newer-than-spec'] = spec.newerThanSpec;
	return operation;
}

/**
 * Build an OpenAPI 3 document from `'METHOD /path': op(…)` entries.
 * @param {Record<string, any>} operations
 * @param {{ title?: string }} [info]
 */
function api(operations, info = {}) {
	/** @type {Record<string, Record<string, any>>} */
	const paths = {};
	for (const [key, operation] of Object.entries(operations)) {
		const [method, template] = key.split(' ');
		if (!method || !template) throw new Error(`apiDoc: "${key}" must read "METHOD /path"`);
		paths[template] = { ...paths[template], [method.toLowerCase()]: { operationId: key, ...operation } };
	}
	return { openapi: '3.0.3', info: { title: info.title || 'sandbox', version: 'own' }, paths };
}

module.exports = { api, op, obj, req, str, int, num, bool, oneOf, arr, map, anyOf, nullable, newer };
