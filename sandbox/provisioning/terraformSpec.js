// @ts-check
'use strict';

const { loadSpec, createValidator, parametersOf } = require('../core/openapi');
const { validateValue, deref } = require('../core/schema');
const { loadVendorSpec, recordCheck } = require('../core/vendorSpecs');
const { flatQuery } = require('../lib/common');

/**
 * The HCP Terraform fake's vendor-spec layer (Q2C_VENDOR_SPECS): every request it serves is checked against
 * HashiCorp's published OpenAPI (`hcp-terraform-openapi-v2.json`, paths relative to `/api/v2`) and refused the way
 * the API refuses (JSON:API errors: 422 with a pointer for the body, 400 for the query); every JSON answer it gives
 * is checked against the operation's response schema. Requests are counted under `terraform` in the layer's report,
 * answers under `terraformResponses` ("rejected" there = did not conform; the answer itself is sent unchanged).
 * Keys an answer carries beyond the file's schema (HashiCorp's docs have more than the file) are listed, not failed.
 * @typedef {import('../core/server').SandboxRequest} SandboxRequest
 * @typedef {import('../core/server').SandboxResponse} SandboxResponse
 */

const BASE = '/api/v2';
const JSON_API = 'application/vnd.api+json';
const SUFFIX = " (per HashiCorp's published spec)";

/**
 * Run actions HashiCorp documents (API docs, "Runs": cancel, discard, force-cancel) that the spec file lacks. They
 * take the same optional `{ comment }` body as apply, so they are checked against the apply operation.
 */
const ACTION_ALIAS = /^(\/api\/v2\/runs\/[^/]+\/actions\/)(cancel|discard|force-cancel)$/;

/** HashiCorp's spec as the layer uses it (one parse per process, shared with the suites), or null when off. */
const loadTerraformSpec = () => loadVendorSpec('terraform', (file) => loadSpec(file));

/**
 * @param {{ spec?: any }} [options] spec: a stand-in for the published spec (tests); default: the pinned file when
 *   the layer is on; null: off
 * @returns {ReturnType<typeof build> | null}
 */
function createTerraformSpecLayer(options = {}) {
	const spec = options.spec === undefined ? loadTerraformSpec() : options.spec;
	return spec ? build(spec) : null;
}

/** @param {any} spec */
function build(spec) {
	const validator = createValidator(spec, { basePath: BASE, paramStyle: 'dot' });
	/** @type {Set<string>} */
	const notes = new Set();
	/** @type {Set<string>} */
	const beyondSpec = new Set();

	/** The path to validate as, with a note when it stands in for a documented action. @param {string} method @param {string} path */
	function specPath(method, path) {
		const alias = method === 'POST' ? ACTION_ALIAS.exec(path) : null;
		if (!alias) return path;
		notes.add(`POST /runs/{run_id}/actions/${alias[2]}: documented by HashiCorp, absent from the spec file; checked as the apply action (same optional comment body)`);
		return `${alias[1]}apply`;
	}

	/** Query → the spec's names; `explode: false` arrays (`include=a,b`) split on commas. @param {any} found @param {string} raw */
	function queryOf(found, raw) {
		const query = /** @type {Record<string, unknown>} */ (flatQuery(raw));
		for (const parameter of parametersOf(spec, { operation: found.operation, pathItem: spec.paths[found.template] })) {
			const value = query[parameter.name];
			if (parameter.in === 'query' && parameter.explode === false && typeof value === 'string' && deref(spec, parameter.schema || {}).type === 'array') query[parameter.name] = value.split(',');
		}
		return query;
	}

	/**
	 * Check one request the fake serves; the JSON:API refusal when the spec rejects it, else undefined.
	 * @param {SandboxRequest} req @param {unknown} body the parsed document (undefined when none was sent)
	 * @returns {SandboxResponse | undefined}
	 */
	function checkRequest(req, body) {
		const path = specPath(req.method, req.path);
		const found = validator.match(req.method, path);
		if (!found) {
			recordCheck('terraform', `${req.method} ${req.path}: HashiCorp's spec has no such operation, yet the fake serves it`);
			return undefined; // the fake's gap, not the client's: answered, and the check fails the suites
		}
		const query = queryOf(found, req.rawQuery);
		const result = validator.validateRequest({ method: req.method, path, query, body, contentType: String(req.headers['content-type'] || '') });
		const [problem] = result.problems;
		recordCheck('terraform', problem ? `${req.method} ${found.template}: ${problem.param ? `${problem.param}: ` : ''}${problem.message}` : null);
		if (!problem) return undefined;
		const detail = `${problem.param && !problem.message.includes(problem.param) ? `${problem.param}: ` : ''}${problem.message}${SUFFIX}`;
		const queryNames = [...Object.keys(query), ...parametersOf(spec, { operation: found.operation, pathItem: spec.paths[found.template] }).filter((p) => p.in === 'query').map((p) => p.name)];
		const inQuery = queryNames.some((name) => problem.param === name || problem.param.startsWith(`${name}.`)); // `include.1`: an item of ?include
		// As HCP Terraform answers: a bad query parameter is a 400, a body it cannot accept a 422 pointing at the attribute.
		const error = inQuery
			? { status: '400', title: 'invalid query parameter', detail, source: { parameter: problem.param } }
			: { status: '422', title: 'invalid attribute', detail, source: { pointer: problem.param ? `/${problem.param.replace(/\./g, '/')}` : '' } };
		return { status: Number(error.status), headers: { 'Content-Type': JSON_API }, body: { errors: [error] } };
	}

	/**
	 * Check an answer against the operation's response schema (by status, else `default`). Answers without a JSON
	 * body (the empty 202 of run actions, 204) have nothing to check. Never changes the answer.
	 * @param {SandboxRequest} req @param {SandboxResponse | undefined | void} response
	 */
	function checkResponse(req, response) {
		if (!response || typeof response.body !== 'object' || response.body === null || !req.path.startsWith(`${BASE}/`)) return;
		const found = validator.match(req.method, specPath(req.method, req.path));
		if (!found) return; // counted once, as a request
		const status = String(response.status || 200);
		const declared = found.operation.responses?.[status] ?? found.operation.responses?.default;
		const schema = declared && deref(spec, declared).content?.[JSON_API]?.schema;
		if (!schema) return;
		const label = `${req.method} ${found.template} → ${status}`;
		/** @type {import('../core/schema').Problem[]} */
		let problems;
		try {
			({ problems } = validateValue(response.body, schema, '', { spec, coerce: false, strictObjects: true, paramStyle: 'dot' }));
		} catch (error) {
			// A schema the validator cannot read (a bad $ref) fails the check, never the answer.
			problems = [{ param: '', code: 'unreadable_schema', message: `could not check: ${error instanceof Error ? error.message : String(error)}` }];
		}
		for (const p of problems.filter((x) => x.code === 'parameter_unknown')) beyondSpec.add(`${label}: ${p.param.replace(/\.\d+(?=\.|$)/g, '[]')}`);
		const [problem] = problems.filter((x) => x.code !== 'parameter_unknown');
		recordCheck('terraformResponses', problem ? `${label}: ${problem.param || 'body'}: ${problem.message}` : null);
	}

	return {
		checkRequest,
		checkResponse,
		/** Whether the spec documents a request the fake does not serve. @param {string} method @param {string} path */
		documents: (method, path) => validator.match(method, path) !== null,
		/** What was checked beyond the file: aliased actions, and answer keys the file's schemas do not list. */
		report: () => ({ notes: [...notes].sort(), beyondSpec: [...beyondSpec].sort() }),
	};
}

module.exports = { createTerraformSpecLayer, loadTerraformSpec };
