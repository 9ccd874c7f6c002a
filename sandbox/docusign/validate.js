// @ts-check
'use strict';

const { createValidator } = require('../core/openapi');
const { deref } = require('../core/schema');
const { recordCheck } = require('../core/vendorSpecs');
const { ownApi } = require('./api');
const { errors } = require('./errors');
const { loadDocusignVendorSpec, stringifyScalars, toSpecPath } = require('./swagger');

/**
 * Request validation for `/restapi/v2.1/…`: always against the fake's own schema (api.js); with the vendor-spec
 * layer on, a request that passed is checked against DocuSign's published spec too, minus the fields api.js marks
 * as newer than that file (they were checked against our schema, written from the v2.1 reference).
 * @typedef {{ where: 'query' | 'body' | 'path', param: string, message: string, bySpec?: boolean }} RequestProblem
 * @typedef {{ method: string, path: string, rawQuery: string, body: unknown }} IncomingRequest
 * @typedef {{ known: boolean, problem?: RequestProblem, query: Record<string, unknown>, body: unknown }} Validation
 */

const NEWER = 'x-newer-than-spec';

/** The query string as one value per key (an array for repeated keys). @param {string} rawQuery */
function flatQuery(rawQuery) {
	const query = new URLSearchParams(rawQuery);
	query.delete('_'); // the SDK's cache buster when apiClient.cache = false
	/** @type {Record<string, unknown>} */
	const flat = {};
	for (const [key, value] of query) flat[key] = flat[key] === undefined ? value : [].concat(/** @type {any} */ (flat[key]), /** @type {any} */ (value));
	return flat;
}

/**
 * `value` without the properties `schema` (ours) marks as newer than the vendor's spec file, at any depth.
 * @param {any} doc @param {unknown} value @param {any} schema
 * @returns {unknown}
 */
function withoutNewer(doc, value, schema) {
	const resolved = deref(doc, schema || {});
	if (!resolved) return value;
	if (Array.isArray(value)) return resolved.items ? value.map((item) => withoutNewer(doc, item, resolved.items)) : value;
	if (!value || typeof value !== 'object' || !resolved.properties) return value;
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [key, item] of Object.entries(value)) {
		const property = deref(doc, resolved.properties[key]);
		if (property && property[NEWER]) continue;
		out[key] = property ? withoutNewer(doc, item, property) : item;
	}
	return out;
}

/**
 * Run one validator (ours or the vendor's) over a request.
 * @param {ReturnType<typeof createValidator>} validator
 * @param {any} doc
 * @param {{ method: string, path: string, query: Record<string, unknown>, body: unknown }} req
 * @returns {{ found: import('../core/openapi').OperationMatch | null, problem?: RequestProblem, query: Record<string, unknown>, body: unknown }}
 */
function runValidator(validator, doc, req) {
	const found = validator.match(req.method, req.path);
	if (!found) return { found, query: req.query, body: req.body };
	const media = found.operation.requestBody && found.operation.requestBody.content['application/json'];
	const body = media && req.body !== undefined ? stringifyScalars(doc, req.body, media.schema) : req.body;
	const result = validator.validateRequest({ method: req.method, path: req.path, query: req.query, body, contentType: 'application/json' });
	const first = result.problems[0];
	if (!first) return { found, query: result.query, body: result.body };
	const parameters = /** @type {any[]} */ (found.operation.parameters || []);
	const isQuery = first.param in req.query || parameters.some((p) => p.in === 'query' && p.name === first.param);
	const where = isQuery ? 'query' : parameters.some((p) => p.in === 'path' && p.name === first.param) ? 'path' : 'body';
	return { found, problem: { where, param: first.param, message: first.message }, query: result.query, body: result.body };
}

/**
 * @param {{ ownApi?: any, vendorSpec?: any }} [options] vendorSpec: DocuSign's spec converted by swagger.js;
 *   default: from the vendor-spec layer (null when Q2C_VENDOR_SPECS is unset); null turns the layer off
 */
function createDocusignValidator(options = {}) {
	const own = options.ownApi || ownApi;
	const vendorSpec = options.vendorSpec === undefined ? loadDocusignVendorSpec() : options.vendorSpec;
	const ownValidator = createValidator(own, { paramStyle: 'dot' });
	const vendorValidator = vendorSpec ? createValidator(vendorSpec, { paramStyle: 'dot' }) : null;

	/**
	 * The first problem DocuSign's spec finds with a request our schema accepted, or null.
	 * @param {IncomingRequest} req @param {any} ownOperation @param {Record<string, unknown>} query @param {unknown} body
	 * @returns {RequestProblem | null}
	 */
	function vendorProblem(req, ownOperation, query, body) {
		const specPath = toSpecPath(req.path);
		if (!vendorValidator || !vendorValidator.match(req.method, specPath)) {
			return { where: 'path', param: '', message: `DocuSign's spec has no ${req.method} ${specPath}.`, bySpec: true };
		}
		const parameters = /** @type {any[]} */ (ownOperation.parameters || []);
		const newerQuery = new Set(parameters.filter((p) => p.in === 'query' && p.schema && p.schema[NEWER]).map((p) => p.name));
		const media = ownOperation.requestBody && ownOperation.requestBody.content['application/json'];
		const result = runValidator(vendorValidator, vendorSpec, {
			method: req.method,
			path: specPath,
			query: Object.fromEntries(Object.entries(query).filter(([key]) => !newerQuery.has(key))),
			body: media && body !== undefined ? withoutNewer(own, body, media.schema) : body,
		});
		return result.problem ? { ...result.problem, bySpec: true } : null;
	}

	/** @param {IncomingRequest} req @returns {Validation} */
	function validate(req) {
		const query = flatQuery(req.rawQuery);
		const ours = runValidator(ownValidator, own, { method: req.method, path: req.path, query, body: req.body });
		if (!ours.found) return { known: false, query, body: req.body };
		if (ours.problem) return { known: true, problem: ours.problem, query: ours.query, body: ours.body };
		const operation = ours.found.operation;
		if (vendorSpec && !operation[NEWER]) {
			const problem = vendorProblem(req, operation, query, ours.body);
			recordCheck('docusign', problem ? `${req.method} ${ours.found.template}: ${problem.where} ${problem.param}: ${problem.message}` : null);
			if (problem) return { known: true, problem, query: ours.query, body: ours.body };
		}
		return { known: true, query: ours.query, body: ours.body };
	}
	return { validate, ownApi: own, vendorSpec };
}

/** DocuSign's 400 for a request that failed validation. @param {RequestProblem} problem */
function problemResponse(problem) {
	const { where, param, message } = problem;
	const response = where === 'body' ? errors.invalidBody(`${message}${param ? ` (${param})` : ''}`) : errors.invalidParameter(param, message);
	if (problem.bySpec) response.body.message += " (per DocuSign's published spec)";
	return response;
}

module.exports = { createDocusignValidator, problemResponse, withoutNewer, flatQuery };
