// @ts-check
'use strict';

const { isPlainObject } = require('./form');

/**
 * A small OpenAPI 3 schema validator for request parameters and bodies: type, enum, required, properties,
 * additionalProperties, items, $ref, anyOf / oneOf / allOf, nullable, min/max length and value, pattern.
 * In `coerce` mode (form bodies, query and path parameters) strings are read as the schema's scalar type,
 * objects with integer keys become arrays, and messages follow Stripe's wording.
 */

/** @typedef {{ param: string, message: string, code: string }} Problem */
/**
 * @typedef {object} SchemaContext
 * @property {any} spec the whole document, for `$ref`
 * @property {boolean} coerce strings → integers/numbers/booleans, integer-keyed objects → arrays
 * @property {boolean} strictObjects reject unknown keys when `additionalProperties` is absent and `properties` exist
 * @property {'bracket' | 'dot'} paramStyle how nested parameter names are written in problems
 */

/**
 * @param {any} spec
 * @param {string} ref
 * @returns {any}
 */
function resolveRef(spec, ref) {
	if (!ref.startsWith('#/')) throw new Error(`Only local $ref is supported, got ${ref}`);
	let node = spec;
	for (const raw of ref.slice(2).split('/')) {
		const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		node = node == null ? undefined : node[key];
	}
	if (node === undefined) throw new Error(`Unresolvable $ref ${ref}`);
	return node;
}

/**
 * @param {any} spec
 * @param {any} schema
 * @returns {any}
 */
function deref(spec, schema) {
	let current = schema;
	for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
		if (hops > 32) throw new Error(`$ref cycle at ${schema.$ref}`);
		current = resolveRef(spec, current.$ref);
	}
	return current;
}

/**
 * @param {string} parent
 * @param {string | number} key
 * @param {SchemaContext} ctx
 */
function childParam(parent, key, ctx) {
	if (!parent) return String(key);
	return ctx.paramStyle === 'dot' ? `${parent}.${key}` : `${parent}[${key}]`;
}

/** @param {unknown} value */
function show(value) {
	return typeof value === 'string' ? value : JSON.stringify(value);
}

/** @param {string[]} values */
function oneOfList(values) {
	const shown = values.map((v) => (v === '' ? '""' : v));
	if (shown.length <= 1) return shown.join('');
	return `${shown.slice(0, -1).join(', ')}, or ${shown[shown.length - 1]}`;
}

/**
 * Which JSON type a schema branch expects, for choosing the most telling branch of a failed anyOf.
 * @param {any} schema
 */
function expectedKind(schema) {
	if (schema.type) return schema.type;
	if (schema.properties || schema.additionalProperties) return 'object';
	if (schema.items) return 'array';
	return undefined;
}

/** @param {unknown} value */
function actualKind(value) {
	if (Array.isArray(value)) return 'array';
	if (value === null) return 'null';
	return typeof value;
}

/**
 * @param {unknown} value
 * @param {any} schema
 * @param {string} param
 * @param {SchemaContext} ctx
 * @returns {{ value: unknown, problems: Problem[] }}
 */
function validateValue(value, schema, param, ctx) {
	const resolved = deref(ctx.spec, schema);
	if (!resolved || typeof resolved !== 'object') return { value, problems: [] };
	// OpenAPI 3.0: `nullable` on a composed schema admits null before its parts are checked.
	if (value === null && resolved.nullable === true) return { value, problems: [] };
	if (resolved.anyOf || resolved.oneOf) return validateAlternatives(value, resolved, param, ctx);
	if (resolved.allOf) {
		let current = value;
		/** @type {Problem[]} */
		const problems = [];
		for (const part of resolved.allOf) {
			const result = validateValue(current, part, param, { ...ctx, strictObjects: false });
			current = result.value;
			problems.push(...result.problems);
		}
		const { allOf: _ignored, ...rest } = resolved;
		if (Object.keys(rest).length > 0) {
			const result = validateValue(current, rest, param, ctx);
			return { value: result.value, problems: [...problems, ...result.problems] };
		}
		return { value: current, problems };
	}
	return validateTyped(value, resolved, param, ctx);
}

/**
 * @param {unknown} value
 * @param {any} schema
 * @param {string} param
 * @param {SchemaContext} ctx
 */
function validateAlternatives(value, schema, param, ctx) {
	const branches = schema.anyOf || schema.oneOf;
	/** @type {{ value: unknown, problems: Problem[], schema: any }[]} */
	const failures = [];
	/** @type {unknown[]} */
	const passes = [];
	for (const branch of branches) {
		const result = validateValue(value, branch, param, ctx);
		if (result.problems.length === 0) {
			passes.push(result.value);
			if (schema.anyOf || ctx.coerce) return { value: result.value, problems: [] };
		} else failures.push({ ...result, schema: deref(ctx.spec, branch) });
	}
	if (passes.length === 1) return { value: passes[0], problems: [] };
	if (passes.length > 1) {
		return { value, problems: [{ param, code: 'parameter_invalid', message: `Invalid ${param}: matches more than one of its allowed shapes` }] };
	}
	// Prefer the branch shaped like the value (object ↔ object): its problems name the nested parameter at fault.
	const kind = actualKind(value);
	const sameKind = failures.filter((f) => {
		const expected = expectedKind(f.schema);
		return expected === kind || (kind === 'object' && expected === 'array') || (kind === 'string' && ctx.coerce && expected !== 'object' && expected !== 'array');
	});
	const pool = sameKind.length > 0 ? sameKind : failures;
	pool.sort((a, b) => a.problems.length - b.problems.length);
	const blankOnly = failures.every((f) => f.problems.every((p) => p.code === 'parameter_invalid_empty'));
	if (pool.length > 0 && (sameKind.length > 0 || blankOnly)) return { value, problems: pool[0].problems };
	return { value, problems: [{ param, code: 'parameter_invalid', message: `Invalid ${param || 'value'}: ${show(value)}` }] };
}

/**
 * @param {unknown} value
 * @param {any} schema
 * @param {string} param
 * @param {SchemaContext} ctx
 * @returns {{ value: unknown, problems: Problem[] }}
 */
function validateTyped(value, schema, param, ctx) {
	/** @param {string} code @param {string} message */
	const fail = (code, message) => ({ value, problems: [{ param, code, message }] });
	if (value === null) {
		return schema.nullable ? { value, problems: [] } : fail('parameter_invalid', `Invalid ${param}: null is not allowed`);
	}
	const type = expectedKind(schema);
	if (ctx.coerce && value === '' && type !== 'string' && !(schema.enum && schema.enum.includes(''))) {
		return fail(
			'parameter_invalid_empty',
			`You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
		);
	}
	let current = value;
	switch (type) {
		case 'integer':
		case 'number': {
			if (ctx.coerce && typeof current === 'string') {
				const pattern = type === 'integer' ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
				if (pattern.test(current.trim())) current = Number(current);
			}
			const ok = typeof current === 'number' && Number.isFinite(current) && (type === 'number' || Number.isInteger(current));
			if (!ok) return fail(`parameter_invalid_${type}`, `Invalid ${type === 'integer' ? 'integer' : 'decimal'}: ${show(value)}`);
			if (schema.minimum !== undefined && /** @type {number} */ (current) < schema.minimum) {
				return fail('parameter_invalid', `Invalid ${param}: must be at least ${schema.minimum}`);
			}
			if (schema.maximum !== undefined && /** @type {number} */ (current) > schema.maximum) {
				return fail('parameter_invalid', `Invalid ${param}: must be at most ${schema.maximum}`);
			}
			break;
		}
		case 'boolean': {
			if (ctx.coerce && (current === 'true' || current === 'false')) current = current === 'true';
			if (typeof current !== 'boolean') return fail('parameter_invalid_boolean', `Invalid boolean: ${show(value)}`);
			break;
		}
		case 'string': {
			if (typeof current !== 'string') return fail('parameter_invalid_string', `Invalid string: ${show(value)}`);
			if (schema.maxLength !== undefined && current.length > schema.maxLength) {
				return fail('parameter_invalid', `Invalid ${param}: must be at most ${schema.maxLength} characters`);
			}
			if (schema.minLength !== undefined && current.length < schema.minLength) {
				return fail('parameter_invalid', `Invalid ${param}: must be at least ${schema.minLength} characters`);
			}
			if (schema.pattern && !new RegExp(schema.pattern, 'u').test(current)) {
				return fail('parameter_invalid', `Invalid ${param}: must match ${schema.pattern}`);
			}
			break;
		}
		case 'array':
			return validateArray(value, schema, param, ctx);
		case 'object':
			return validateObject(value, schema, param, ctx);
		default:
			break;
	}
	if (schema.enum && !schema.enum.includes(current)) {
		return fail('parameter_invalid', `Invalid ${param}: must be one of ${oneOfList(schema.enum.map(String))}`);
	}
	return { value: current, problems: [] };
}

/**
 * @param {unknown} value
 * @param {any} schema
 * @param {string} param
 * @param {SchemaContext} ctx
 * @returns {{ value: unknown, problems: Problem[] }}
 */
function validateArray(value, schema, param, ctx) {
	let list = value;
	if (ctx.coerce && isPlainObject(value)) {
		const keys = Object.keys(value);
		if (keys.every((k) => /^\d+$/.test(k))) list = keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
	}
	if (!Array.isArray(list)) return { value, problems: [{ param, code: 'parameter_invalid_array', message: 'Invalid array' }] };
	/** @type {Problem[]} */
	const problems = [];
	const out = list.map((item, index) => {
		const result = schema.items ? validateValue(item, schema.items, childParam(param, index, ctx), ctx) : { value: item, problems: [] };
		problems.push(...result.problems);
		return result.value;
	});
	if (schema.maxItems !== undefined && out.length > schema.maxItems) {
		problems.push({ param, code: 'parameter_invalid', message: `Invalid ${param}: at most ${schema.maxItems} items` });
	}
	if (schema.minItems !== undefined && out.length < schema.minItems) {
		problems.push({ param, code: 'parameter_invalid', message: `Invalid ${param}: at least ${schema.minItems} items` });
	}
	return { value: out, problems };
}

/**
 * @param {unknown} value
 * @param {any} schema
 * @param {string} param
 * @param {SchemaContext} ctx
 * @returns {{ value: unknown, problems: Problem[] }}
 */
function validateObject(value, schema, param, ctx) {
	if (!isPlainObject(value)) {
		return { value, problems: [{ param, code: 'parameter_invalid_object', message: param ? `Invalid object: ${param}` : 'Invalid object' }] };
	}
	const properties = schema.properties || {};
	const extra = schema.additionalProperties;
	const rejectUnknown = extra === false || (extra === undefined && ctx.strictObjects && schema.properties !== undefined);
	/** @type {Problem[]} */
	const problems = [];
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [key, item] of Object.entries(value)) {
		const name = childParam(param, key, ctx);
		let result;
		if (Object.prototype.hasOwnProperty.call(properties, key)) result = validateValue(item, properties[key], name, ctx);
		else if (rejectUnknown) {
			problems.push({ param: name, code: 'parameter_unknown', message: `Received unknown parameter: ${name}` });
			continue;
		} else if (extra && typeof extra === 'object') result = validateValue(item, extra, name, ctx);
		else result = { value: item, problems: [] };
		problems.push(...result.problems);
		Object.defineProperty(out, key, { value: result.value, enumerable: true, writable: true, configurable: true });
	}
	for (const key of schema.required || []) {
		if (!Object.prototype.hasOwnProperty.call(value, key)) {
			const name = childParam(param, key, ctx);
			problems.push({ param: name, code: 'parameter_missing', message: `Missing required param: ${name}.` });
		}
	}
	return { value: out, problems };
}

module.exports = { validateValue, resolveRef, deref };
