// @ts-check
'use strict';

const { parseSoql, SoqlError } = require('./soql');
const { normaliseId } = require('./ids');

/**
 * Runs a parsed SOQL query against the store: field and literal-type checks with Salesforce's INVALID_FIELD
 * messages, filtering, ordering and parent-relationship fields (Account.Name, Owner.Email).
 *
 * @typedef {import('./schema').FieldDef} FieldDef
 * @typedef {{ schema: ReturnType<import('./schema').createSchema>, records: (object: string) => Record<string, any>[], get: (id: string) => { object: string, record: Record<string, any> } | undefined, recordUrl: (object: string, id: string) => string }} QueryContext
 */

const NUMERIC = new Set(['currency', 'double', 'percent', 'int']);
const STRINGY = new Set(['string', 'textarea', 'picklist', 'email', 'url', 'id', 'reference']);
const TYPE_NAMES = /** @type {Record<string, string>} */ ({ boolean: 'boolean', datetime: 'dateTime', date: 'date', currency: 'currency', double: 'double', percent: 'percent', int: 'int' });

/** `2026-01-02T03:04:05.000+0000` → ms. @param {unknown} value */
const datetimeMs = (value) => (typeof value === 'string' ? Date.parse(value.replace(/\+0000$/, 'Z')) : NaN);

/**
 * Resolve `Name` or `Account.Name` on an object to its field definition and a value getter.
 * @param {QueryContext} ctx @param {string} object @param {string} path
 */
function resolveField(ctx, object, path) {
	const parts = path.split('.');
	if (parts.length > 2) throw new SoqlError('INVALID_FIELD', `Didn't understand relationship '${parts.slice(0, -1).join('.')}' in field path.`);
	if (parts.length === 2) {
		const relationship = ctx.schema.fields(object).find((d) => d.relationshipName && d.relationshipName.toLowerCase() === parts[0].toLowerCase());
		if (!relationship) {
			throw new SoqlError('INVALID_FIELD', `Didn't understand relationship '${parts[0]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
		}
		const parentObject = /** @type {string} */ (relationship.referenceTo);
		const def = ctx.schema.field(parentObject, parts[1]);
		if (!def) throw new SoqlError('INVALID_FIELD', `No such column '${parts[1]}' on entity '${parentObject}'.`);
		/** @param {Record<string, any>} record */
		const parent = (record) => {
			const found = record[relationship.name] ? ctx.get(record[relationship.name]) : undefined;
			return found && found.object === parentObject ? found.record : undefined;
		};
		return { def, relationship, parentObject, get: (/** @type {Record<string, any>} */ record) => parent(record)?.[def.name] ?? null, parent };
	}
	const def = ctx.schema.field(object, path);
	if (!def) {
		throw new SoqlError(
			'INVALID_FIELD',
			`No such column '${path}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
		);
	}
	return { def, relationship: undefined, parentObject: undefined, get: (/** @type {Record<string, any>} */ record) => record[def.name] ?? null, parent: undefined };
}

/** @param {FieldDef} def @param {import('./soql').Token} literal */
function checkLiteral(def, literal) {
	if (literal.type === 'null') return;
	const ok =
		(def.type === 'boolean' && literal.type === 'boolean') ||
		(def.type === 'datetime' && literal.type === 'datetime') ||
		(def.type === 'date' && literal.type === 'date') ||
		(NUMERIC.has(def.type) && literal.type === 'number') ||
		(STRINGY.has(def.type) && literal.type === 'string');
	if (ok) {
		if ((def.type === 'id' || def.type === 'reference') && !normaliseId(literal.value)) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${literal.value}`);
		return;
	}
	const quoted = literal.type === 'string' ? ' and should not be enclosed in quotes' : '';
	throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${def.name}' must be of type ${TYPE_NAMES[def.type] || 'string'}${quoted}`);
}

/** Comparable form of a stored value. @param {FieldDef} def @param {unknown} value */
function comparable(def, value) {
	if (value === null || value === undefined || value === '') return null;
	if (def.type === 'datetime') return datetimeMs(value);
	if (def.type === 'id' || def.type === 'reference') return normaliseId(value);
	if (STRINGY.has(def.type)) return String(value).toLowerCase();
	return value;
}

/** @param {FieldDef} def @param {import('./soql').Token} literal */
function literalComparable(def, literal) {
	if (literal.type === 'null') return null;
	if (def.type === 'id' || def.type === 'reference') return normaliseId(literal.value);
	if (typeof literal.value === 'string') return literal.value.toLowerCase();
	return literal.value;
}

/** @param {unknown} a @param {unknown} b */
const compare = (a, b) => (/** @type {any} */ (a) < /** @type {any} */ (b) ? -1 : /** @type {any} */ (a) > /** @type {any} */ (b) ? 1 : 0);

/**
 * @param {QueryContext} ctx @param {string} object @param {import('./soql').Condition} condition
 * @returns {(record: Record<string, any>) => boolean}
 */
function compileCondition(ctx, object, condition) {
	if (condition.kind === 'and' || condition.kind === 'or') {
		const terms = condition.terms.map((t) => compileCondition(ctx, object, t));
		return condition.kind === 'and' ? (r) => terms.every((t) => t(r)) : (r) => terms.some((t) => t(r));
	}
	if (condition.kind === 'not') {
		const term = compileCondition(ctx, object, condition.term);
		return (r) => !term(r);
	}
	const leaf = /** @type {any} */ (condition);
	const { def, get } = resolveField(ctx, object, leaf.field);
	if (condition.kind === 'in') {
		condition.values.forEach((v) => checkLiteral(def, v));
		const wanted = condition.values.map((v) => literalComparable(def, v));
		return (r) => wanted.includes(comparable(def, get(r))) !== condition.negate;
	}
	const { op, value } = /** @type {{ op: string, value: import('./soql').Token }} */ (leaf);
	checkLiteral(def, value);
	if (op === 'LIKE') {
		if (!STRINGY.has(def.type)) throw new SoqlError('INVALID_FIELD', `invalid operator on ${TYPE_NAMES[def.type] || def.type} field: ${def.name}`);
		const regex = /** @type {RegExp} */ (value.like);
		return (r) => {
			const v = get(r);
			return v !== null && regex.test(String(v));
		};
	}
	if (def.type === 'boolean' && !['=', '!='].includes(op)) throw new SoqlError('INVALID_FIELD', `invalid operator on boolean field: ${def.name}`);
	const target = literalComparable(def, value);
	return (r) => {
		const actual = comparable(def, get(r));
		if (op === '=') return actual === target;
		if (op === '!=') return actual !== target;
		if (actual === null || target === null) return false;
		const c = compare(actual, target);
		return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
	};
}

/**
 * Run a SOQL string. Returns all matching rows (before paging into batches) or a count.
 * @param {QueryContext} ctx @param {string} soql
 * @returns {{ count: true, totalSize: number } | { count: false, records: Record<string, unknown>[] }}
 */
function runSoql(ctx, soql) {
	const query = parseSoql(soql);
	const object = ctx.schema.objectName(query.object);
	if (!object) {
		throw new SoqlError('INVALID_TYPE', `sObject type '${query.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`);
	}
	const selected = query.fields.map((path) => ({ path, ...resolveField(ctx, object, path) }));
	const filter = query.where ? compileCondition(ctx, object, query.where) : () => true;
	const order = query.orderBy.map((o) => ({ ...o, ...resolveField(ctx, object, o.field) }));
	let rows = ctx.records(object).filter(filter);
	if (order.length) {
		rows = [...rows].sort((a, b) => {
			for (const o of order) {
				const va = comparable(o.def, o.get(a));
				const vb = comparable(o.def, o.get(b));
				if (va === vb) continue;
				if (va === null) return o.nullsLast ? 1 : -1;
				if (vb === null) return o.nullsLast ? -1 : 1;
				const c = compare(va, vb);
				if (c !== 0) return o.desc ? -c : c;
			}
			return 0;
		});
	}
	rows = rows.slice(query.offset, query.limit === null ? undefined : query.offset + query.limit);
	if (query.count) return { count: true, totalSize: rows.length };
	const records = rows.map((record) => {
		/** @type {Record<string, any>} */
		const out = { attributes: { type: object, url: ctx.recordUrl(object, record.Id) } };
		for (const field of selected) {
			if (!field.relationship) {
				out[field.def.name] = record[field.def.name] ?? null;
				continue;
			}
			const parent = /** @type {(r: Record<string, any>) => Record<string, any> | undefined} */ (field.parent)(record);
			const key = /** @type {string} */ (field.relationship.relationshipName);
			if (!parent) {
				out[key] = null;
				continue;
			}
			out[key] = out[key] || { attributes: { type: field.parentObject, url: ctx.recordUrl(/** @type {string} */ (field.parentObject), parent.Id) } };
			out[key][field.def.name] = parent[field.def.name] ?? null;
		}
		return out;
	});
	return { count: false, records };
}

module.exports = { runSoql, datetimeMs };
