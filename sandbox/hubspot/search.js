// @ts-check
'use strict';

const { HubspotError } = require('./store');

/**
 * The CRM search API (`POST /crm/v3/objects/{type}/search`): filterGroups (OR of ANDed filters) with HubSpot's
 * operators and limits, a free-text `query`, sorts, and the `after` offset cursor. Datetime properties compare as
 * milliseconds (filter values may be ms or ISO), numbers numerically, strings case-insensitively.
 */

const OPERATORS = new Set(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);
const TEXT_PROPERTIES = /** @type {Record<string, string[]>} */ ({
	deals: ['dealname'],
	companies: ['name', 'domain', 'website'],
	tasks: ['hs_task_subject', 'hs_task_body'],
	contacts: ['firstname', 'lastname', 'email', 'company'],
});
const DATETIME = new Set(['createdate', 'hs_lastmodifieddate', 'lastmodifieddate', 'closedate', 'hs_timestamp', 'notes_last_contacted', 'hs_last_sales_activity_timestamp', 'hubspot_owner_assigneddate']);
const NUMBER = new Set(['amount', 'hs_object_id', 'hs_deal_stage_probability']);
const SINGULAR = /** @type {Record<string, string>} */ ({ deal: 'deals', company: 'companies', task: 'tasks', contact: 'contacts' });

/** @param {string} message */
const invalid = (message) => new HubspotError(400, 'VALIDATION_ERROR', message);

/** @param {string} name @param {unknown} value */
function comparable(name, value) {
	if (value === null || value === undefined || value === '') return null;
	const text = String(value);
	if (DATETIME.has(name)) return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
	if (NUMBER.has(name)) return Number(text);
	return text.toLowerCase();
}

/** @param {string} pattern token with optional `*` wildcards */
const tokenRegex = (pattern) => new RegExp(`^${pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
/** @param {unknown} value */
const tokens = (value) => String(value ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * @param {ReturnType<import('./store').createStore>} store
 * @param {string} type deals | companies | tasks | contacts
 * @param {Record<string, any>} body
 */
function search(store, type, body) {
	const input = body && typeof body === 'object' ? body : {};
	const limit = input.limit === undefined ? 10 : Number(input.limit);
	if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalid(`limit must be between 1 and 200 (got ${input.limit})`);
	const groups = Array.isArray(input.filterGroups) ? input.filterGroups : [];
	if (groups.length > 5) throw invalid('Too many filter groups: at most 5 are allowed');
	let total = 0;
	const compiled = groups.map((/** @type {any} */ group, /** @type {number} */ g) => {
		const filters = Array.isArray(group && group.filters) ? group.filters : [];
		if (filters.length > 6) throw invalid(`Too many filters in filterGroups[${g}]: at most 6 are allowed`);
		total += filters.length;
		return filters.map((/** @type {any} */ filter) => compileFilter(store, type, filter));
	});
	if (total > 18) throw invalid('Too many filters: at most 18 are allowed across all filter groups');
	const words = tokens(input.query);
	let rows = store.all(type).filter((record) => {
		if (compiled.length && !compiled.some((group) => group.every((/** @type {(r: any) => boolean} */ test) => test(record)))) return false;
		if (!words.length) return true;
		const haystack = TEXT_PROPERTIES[type].flatMap((name) => tokens(record.properties[name]));
		return words.every((word) => haystack.some((t) => t.startsWith(word)));
	});
	const sorts = (Array.isArray(input.sorts) ? input.sorts : []).map((/** @type {any} */ s) =>
		typeof s === 'string' ? { name: s.replace(/^-/, ''), desc: s.startsWith('-') } : { name: String(s && s.propertyName), desc: String(s && s.direction).toUpperCase() === 'DESCENDING' },
	);
	rows = [...rows].sort((a, b) => {
		for (const sort of sorts) {
			const va = comparable(sort.name, a.properties[sort.name]);
			const vb = comparable(sort.name, b.properties[sort.name]);
			if (va === vb) continue;
			if (va === null) return 1;
			if (vb === null) return -1;
			const c = va < vb ? -1 : 1;
			return sort.desc ? -c : c;
		}
		return Number(a.id) - Number(b.id);
	});
	const start = input.after === undefined || input.after === null || input.after === '' ? 0 : Number(input.after);
	if (!Number.isInteger(start) || start < 0) throw invalid(`after must be a non-negative integer offset (got ${input.after})`);
	const page = rows.slice(start, start + limit);
	const next = start + limit < rows.length ? String(start + limit) : null;
	return { total: rows.length, records: page, next, properties: Array.isArray(input.properties) ? input.properties.map(String) : null };
}

/**
 * @param {ReturnType<import('./store').createStore>} store @param {string} type @param {any} filter
 * @returns {(record: any) => boolean}
 */
function compileFilter(store, type, filter) {
	const name = filter && typeof filter.propertyName === 'string' ? filter.propertyName : '';
	const operator = filter && typeof filter.operator === 'string' ? filter.operator : 'EQ';
	if (!OPERATORS.has(operator)) throw invalid(`Invalid filter operator: ${operator}`);
	const association = /^associations\.(\w+)$/.exec(name);
	if (association) {
		const target = SINGULAR[association[1]];
		if (!target) throw invalid(`Unknown association filter: ${name}`);
		return (record) => {
			const ids = store.associationsOf(type, record.id, target).map((a) => a.toId);
			return operator === 'NEQ' ? !ids.includes(String(filter.value)) : ids.includes(String(filter.value));
		};
	}
	if (!name || !store.known(type, name)) {
		throw new HubspotError(400, 'VALIDATION_ERROR', `There was a problem with the request. Property ${JSON.stringify(name)} does not exist.`, [{ message: `Property "${name}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [name] } }]);
	}
	const get = (/** @type {any} */ record) => comparable(name, record.properties[name]);
	const value = comparable(name, filter.value);
	if (['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'].includes(operator) && (filter.value === undefined || filter.value === null)) {
		throw invalid(`Filter on ${name} with operator ${operator} needs a value`);
	}
	switch (operator) {
		case 'EQ':
			return (r) => get(r) === value;
		case 'NEQ':
			return (r) => get(r) !== value;
		case 'LT':
			return (r) => get(r) !== null && /** @type {any} */ (get(r)) < /** @type {any} */ (value);
		case 'LTE':
			return (r) => get(r) !== null && /** @type {any} */ (get(r)) <= /** @type {any} */ (value);
		case 'GT':
			return (r) => get(r) !== null && /** @type {any} */ (get(r)) > /** @type {any} */ (value);
		case 'GTE':
			return (r) => get(r) !== null && /** @type {any} */ (get(r)) >= /** @type {any} */ (value);
		case 'BETWEEN': {
			const high = comparable(name, filter.highValue);
			return (r) => get(r) !== null && /** @type {any} */ (get(r)) >= /** @type {any} */ (value) && /** @type {any} */ (get(r)) <= /** @type {any} */ (high);
		}
		case 'IN':
		case 'NOT_IN': {
			if (!Array.isArray(filter.values)) throw invalid(`Filter on ${name} with operator ${operator} needs values (an array)`);
			const wanted = filter.values.map((/** @type {unknown} */ v) => comparable(name, v));
			return (r) => wanted.includes(get(r)) === (operator === 'IN');
		}
		case 'HAS_PROPERTY':
			return (r) => get(r) !== null;
		case 'NOT_HAS_PROPERTY':
			return (r) => get(r) === null;
		default: {
			const regex = tokenRegex(String(filter.value));
			const contains = (/** @type {any} */ r) => tokens(r.properties[name]).some((t) => regex.test(t));
			return operator === 'CONTAINS_TOKEN' ? contains : (r) => !contains(r);
		}
	}
}

module.exports = { search };
