// @ts-check
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { decodeForm, isPlainObject } = require('./form');
const { validateValue, deref } = require('./schema');

/**
 * OpenAPI 3 loading, request → operation matching and request validation (query, path, body).
 * @typedef {import('./schema').Problem} Problem
 * @typedef {{ method: string, template: string, operation: any, pathItem: any, regex: RegExp, names: string[], literalLength: number }} CompiledOperation
 * @typedef {{ operation: any, operationId: string | undefined, template: string, pathParams: Record<string, string> }} OperationMatch
 * @typedef {{ method: string, path: string, query?: string | Record<string, unknown>, body?: unknown, rawBody?: string, contentType?: string }} RequestToValidate
 * @typedef {{ match: OperationMatch | null, problems: Problem[], query: Record<string, unknown>, body: unknown, pathParams: Record<string, unknown> }} ValidationResult
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Where parsed specs are cached: `$Q2C_CACHE_DIR/openapi` or the OS temp dir. */
function cacheDirectory() {
	const base = process.env.Q2C_CACHE_DIR || path.join(os.tmpdir(), 'q2c-cache');
	return path.join(base, 'openapi');
}

/**
 * Load a YAML or JSON OpenAPI document. The parse is cached as JSON keyed by the file's SHA-256, because the
 * Stripe spec takes ~2 s to parse as YAML and ~50 ms as JSON.
 * @param {string} file
 * @param {{ cacheDir?: string | false }} [options] `cacheDir: false` disables the cache
 * @returns {any}
 */
function loadSpec(file, options = {}) {
	const text = fs.readFileSync(file, 'utf8');
	if (/\.json$/i.test(file)) return JSON.parse(text);
	const hash = crypto.createHash('sha256').update(text).digest('hex');
	const dir = options.cacheDir === false ? null : options.cacheDir || cacheDirectory();
	const cached = dir ? path.join(dir, `${hash}.json`) : null;
	if (cached) {
		try {
			return JSON.parse(fs.readFileSync(cached, 'utf8'));
		} catch {
			// missing or torn cache entry: parse again below
		}
	}
	const spec = require('yaml').parse(text, { maxAliasCount: -1 });
	if (dir && cached) {
		try {
			fs.mkdirSync(dir, { recursive: true });
			const temp = `${cached}.${process.pid}.${Date.now()}.tmp`;
			fs.writeFileSync(temp, JSON.stringify(spec));
			fs.renameSync(temp, cached); // atomic, so concurrent loaders never read half a file
		} catch {
			// a read-only cache dir only costs speed
		}
	}
	return spec;
}

/** @param {string} text */
function escapeRegex(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * @param {any} spec
 * @param {string} basePath prefix stripped from request paths (e.g. '/api/v1'), '' for none
 * @returns {CompiledOperation[]}
 */
function compileOperations(spec, basePath) {
	/** @type {CompiledOperation[]} */
	const compiled = [];
	for (const [template, pathItem] of Object.entries(spec.paths || {})) {
		/** @type {string[]} */
		const names = [];
		const source = template
			.split(/(\{[^}]+\})/)
			.map((part) => {
				const name = /^\{([^}]+)\}$/.exec(part);
				if (!name) return escapeRegex(part);
				names.push(name[1]);
				return '([^/]+)';
			})
			.join('');
		const regex = new RegExp(`^${escapeRegex(basePath)}${source}/?$`);
		const literalLength = template.replace(/\{[^}]+\}/g, '').length;
		for (const method of METHODS) {
			const operation = /** @type {any} */ (pathItem)[method];
			if (operation) compiled.push({ method: method.toUpperCase(), template, operation, pathItem, regex, names, literalLength });
		}
	}
	// Literal segments win over templates: `/v1/customers/search` before `/v1/customers/{customer}`.
	compiled.sort((a, b) => a.names.length - b.names.length || b.literalLength - a.literalLength);
	return compiled;
}

/**
 * Merge path-level and operation-level parameters (operation wins), resolving `$ref`s.
 * @param {any} spec
 * @param {{ operation: any, pathItem: any }} entry
 * @returns {any[]}
 */
function parametersOf(spec, entry) {
	/** @type {Map<string, any>} */
	const byKey = new Map();
	for (const raw of [...(entry.pathItem.parameters || []), ...(entry.operation.parameters || [])]) {
		const parameter = deref(spec, raw);
		byKey.set(`${parameter.in}:${parameter.name}`, parameter);
	}
	return [...byKey.values()];
}

/**
 * Build a validator bound to one spec.
 * @param {any} spec a parsed OpenAPI 3 document (see loadSpec)
 * @param {{ basePath?: string, strictObjects?: boolean, paramStyle?: 'bracket' | 'dot', queryAsBody?: string[] }} [options]
 *   basePath: prefix before the spec's paths; strictObjects (default true): object schemas with `properties` and no
 *   `additionalProperties` reject unknown keys; queryAsBody: methods whose query string carries the request body's
 *   fields (stripe-node sends DELETE parameters in the query while the spec documents them as a form body).
 */
function createValidator(spec, options = {}) {
	const operations = compileOperations(spec, options.basePath || '');
	const queryAsBody = new Set((options.queryAsBody || []).map((m) => m.toUpperCase()));
	/** @type {import('./schema').SchemaContext} */
	const base = { spec, coerce: true, strictObjects: options.strictObjects !== false, paramStyle: options.paramStyle || 'bracket' };

	/**
	 * @param {string} method
	 * @param {string} requestPath path without query string
	 * @returns {OperationMatch | null}
	 */
	function match(method, requestPath) {
		const wanted = method.toUpperCase();
		for (const entry of operations) {
			if (entry.method !== wanted) continue;
			const found = entry.regex.exec(requestPath);
			if (!found) continue;
			/** @type {Record<string, string>} */
			const pathParams = {};
			entry.names.forEach((name, index) => {
				pathParams[name] = decodeURIComponent(found[index + 1]);
			});
			return { operation: entry.operation, operationId: entry.operation.operationId, template: entry.template, pathParams };
		}
		return null;
	}

	/** @param {OperationMatch} found */
	function entryFor(found) {
		return /** @type {CompiledOperation} */ (operations.find((e) => e.operation === found.operation));
	}

	/**
	 * Validate one request. `query` may be the raw query string or an already decoded object; `body` the parsed
	 * body (an object decoded from a form or JSON) — or pass `rawBody` + `contentType` and it is decoded here.
	 * @param {RequestToValidate} request
	 * @returns {ValidationResult}
	 */
	function validateRequest(request) {
		const method = request.method.toUpperCase();
		const found = match(method, request.path);
		/** @type {Record<string, unknown>} */
		let query = typeof request.query === 'string' ? decodeForm(request.query) : { ...(request.query || {}) };
		if (!found) {
			return { match: null, query, body: request.body, pathParams: {}, problems: [{ param: '', code: 'unrecognized_url', message: `Unrecognized request URL (${method}: ${request.path}).` }] };
		}
		/** @type {Problem[]} */
		const problems = [];
		const parameters = parametersOf(spec, entryFor(found));
		/** @type {Record<string, unknown>} */
		const pathParams = {};
		for (const parameter of parameters.filter((p) => p.in === 'path')) {
			const result = validateValue(found.pathParams[parameter.name], parameter.schema || {}, parameter.name, base);
			pathParams[parameter.name] = result.value;
			problems.push(...result.problems);
		}
		const queryParameters = parameters.filter((p) => p.in === 'query');
		const contentTypes = (found.operation.requestBody && deref(spec, found.operation.requestBody).content) || {};
		let body = request.body;
		if (body === undefined && request.rawBody) body = decodeBody(request.rawBody, request.contentType || '');
		if (queryAsBody.has(method) && contentTypes['application/x-www-form-urlencoded']) {
			// Query keys the operation does not declare as query parameters belong to the body.
			const declared = new Set(queryParameters.map((p) => p.name));
			/** @type {Record<string, unknown>} */
			const moved = isPlainObject(body) ? { ...body } : {};
			for (const key of Object.keys(query)) if (!declared.has(key)) moved[key] = query[key];
			query = Object.fromEntries(Object.entries(query).filter(([key]) => declared.has(key)));
			if (Object.keys(moved).length > 0) body = moved;
		}
		/** @type {Record<string, unknown>} */
		const queryOut = {};
		for (const [key, value] of Object.entries(query)) {
			const parameter = queryParameters.find((p) => p.name === key);
			if (!parameter) {
				problems.push({ param: key, code: 'parameter_unknown', message: `Received unknown parameter: ${key}` });
				continue;
			}
			const schema = deref(spec, parameter.schema || {});
			let candidate = value;
			// `?ids=a` for a form-style array parameter is a one-element list.
			if (schema.type === 'array' && typeof value === 'string' && (parameter.style || 'form') === 'form') candidate = [value];
			const result = validateValue(candidate, schema, key, base);
			queryOut[key] = result.value;
			problems.push(...result.problems);
		}
		for (const parameter of queryParameters) {
			if (parameter.required && !(parameter.name in query)) {
				problems.push({ param: parameter.name, code: 'parameter_missing', message: `Missing required param: ${parameter.name}.` });
			}
		}
		const bodyResult = validateBody(found.operation, contentTypes, body, request.contentType || '');
		problems.push(...bodyResult.problems);
		return { match: found, query: queryOut, body: bodyResult.value, pathParams, problems };
	}

	/**
	 * @param {any} operation
	 * @param {Record<string, any>} contentTypes
	 * @param {unknown} body
	 * @param {string} contentType
	 * @returns {{ value: unknown, problems: Problem[] }}
	 */
	function validateBody(operation, contentTypes, body, contentType) {
		const empty = body === undefined || body === null || (isPlainObject(body) && Object.keys(body).length === 0 && !contentType.includes('json'));
		const requestBody = operation.requestBody ? deref(spec, operation.requestBody) : null;
		if (empty) {
			if (requestBody && requestBody.required) return { value: body, problems: [{ param: '', code: 'parameter_missing', message: 'Missing request body.' }] };
			const form = contentTypes['application/x-www-form-urlencoded'];
			// Form operations still have required fields when nothing was sent at all.
			if (form && form.schema) return validateValue({}, form.schema, '', base);
			return { value: body, problems: [] };
		}
		if (!requestBody) {
			if (isPlainObject(body)) {
				return { value: body, problems: Object.keys(body).map((key) => ({ param: key, code: 'parameter_unknown', message: `Received unknown parameter: ${key}` })) };
			}
			return { value: body, problems: [{ param: '', code: 'parameter_unknown', message: 'This endpoint takes no request body.' }] };
		}
		const mediaType = pickMediaType(contentTypes, contentType);
		if (!mediaType) {
			return { value: body, problems: [{ param: '', code: 'invalid_content_type', message: `Unsupported Content-Type ${contentType || '(none)'}; expected ${Object.keys(contentTypes).join(' or ')}` }] };
		}
		const isForm = mediaType === 'application/x-www-form-urlencoded';
		return validateValue(body, contentTypes[mediaType].schema || {}, '', { ...base, coerce: isForm });
	}

	return { match, validateRequest, operations };
}

/**
 * @param {Record<string, any>} contentTypes
 * @param {string} contentType
 */
function pickMediaType(contentTypes, contentType) {
	const wanted = contentType.split(';')[0].trim().toLowerCase();
	if (!wanted) return Object.keys(contentTypes)[0];
	if (contentTypes[wanted]) return wanted;
	if (wanted.endsWith('+json') || wanted === 'application/json') return Object.keys(contentTypes).find((t) => /json/.test(t));
	return Object.keys(contentTypes).find((t) => t === '*/*');
}

/**
 * Decode a raw body by Content-Type: form (bracket notation), JSON, else the text itself.
 * @param {string} raw
 * @param {string} contentType
 * @returns {unknown}
 */
function decodeBody(raw, contentType) {
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (type === 'application/x-www-form-urlencoded') return decodeForm(raw);
	if (type === 'application/json' || type.endsWith('+json')) return raw ? JSON.parse(raw) : undefined;
	return raw;
}

module.exports = { loadSpec, createValidator, decodeBody, decodeForm, cacheDirectory, parametersOf };
