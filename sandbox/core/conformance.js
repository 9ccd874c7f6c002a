// @ts-check
'use strict';

const { deref } = require('./schema');
const { parametersOf } = require('./openapi');

/**
 * Do a fake's own API description (core/apiDoc.js) and the vendor's published spec agree? For every endpoint the
 * fake serves: the vendor documents it (unless marked as our own design or newer than the spec file), every path,
 * query and body parameter we accept exists there with a compatible type, our enum values are the vendor's, and
 * whatever the vendor requires we require too. Fields marked `x-newer-than-spec` are listed, not failed.
 * @typedef {{ mismatches: string[], notes: string[], compared: string[] }} ConformanceReport
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const MAX_DEPTH = 24;

/** @param {string} template */
const normalise = (template) => template.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '');

/**
 * @param {any} doc
 * @returns {Map<string, { template: string, operation: any, pathItem: any }>}
 */
function indexOperations(doc, mapPath = (/** @type {string} */ p) => p) {
	const out = new Map();
	for (const [template, pathItem] of Object.entries(doc.paths || {})) {
		for (const method of METHODS) {
			const operation = /** @type {any} */ (pathItem)[method];
			if (operation) out.set(`${method.toUpperCase()} ${normalise(mapPath(template))}`, { template, operation, pathItem });
		}
	}
	return out;
}

/** @param {any} schema */
function kindOf(schema) {
	if (!schema) return undefined;
	if (schema.type) return schema.type;
	if (schema.properties || schema.additionalProperties) return 'object';
	if (schema.items) return 'array';
	return undefined;
}

/**
 * Flatten an allOf into one schema (properties and required merged), so it compares like a plain object.
 * @param {any} doc @param {any} schema
 */
function flattenAllOf(doc, schema) {
	if (!schema || !schema.allOf) return schema;
	/** @type {any} */
	const merged = { ...schema, allOf: undefined, properties: { ...(schema.properties || {}) }, required: [...(schema.required || [])] };
	for (const part of schema.allOf) {
		const resolved = flattenAllOf(doc, deref(doc, part));
		Object.assign(merged.properties, resolved.properties || {});
		merged.required.push(...(resolved.required || []));
		if (!merged.type && resolved.type) merged.type = resolved.type;
		if (resolved.additionalProperties !== undefined && merged.additionalProperties === undefined) merged.additionalProperties = resolved.additionalProperties;
	}
	return merged;
}

/**
 * @param {{ own: any, vendor: any }} docs
 * @param {any} ownSchema
 * @param {any} vendorSchema
 * @param {string} where
 * @param {string[]} out mismatches
 * @param {string[]} notes
 * @param {number} depth
 */
function compareSchema(docs, ownSchema, vendorSchema, where, out, notes, depth = 0) {
	const own = flattenAllOf(docs.own, deref(docs.own, ownSchema || {}));
	const vendor = flattenAllOf(docs.vendor, deref(docs.vendor, vendorSchema || {}));
	if (depth > MAX_DEPTH || !own || !vendor) return;
	if (own['x-newer-than-spec']) {
		/** @type {string[]} */
		const soft = [];
		compareSchema(docs, { ...own, 'x-newer-than-spec': undefined }, vendor, where, soft, notes, depth + 1);
		if (soft.length) notes.push(`${where}: newer than the spec file (${own['x-newer-than-spec']})`);
		return;
	}
	if (own.anyOf || own.oneOf) {
		for (const [index, branch] of (own.anyOf || own.oneOf).entries()) compareSchema(docs, branch, vendor, `${where}<${index}>`, out, notes, depth + 1);
		return;
	}
	if (vendor.anyOf || vendor.oneOf) {
		/** @type {string[] | null} */
		let best = null;
		for (const branch of vendor.anyOf || vendor.oneOf) {
			/** @type {string[]} */
			const trial = [];
			compareSchema(docs, own, branch, where, trial, notes, depth + 1);
			if (trial.length === 0) return;
			if (!best || trial.length < best.length) best = trial;
		}
		out.push(...(best || []));
		return;
	}
	const ownKind = kindOf(own);
	const vendorKind = kindOf(vendor);
	if (!vendorKind) return; // the vendor leaves it open
	if (ownKind && ownKind !== vendorKind && !(ownKind === 'integer' && vendorKind === 'number')) {
		out.push(`${where}: ours is ${ownKind}, the vendor's is ${vendorKind}`);
		return;
	}
	if (own.enum && vendor.enum) {
		const extra = own.enum.filter((/** @type {unknown} */ value) => !vendor.enum.includes(value));
		if (extra.length) out.push(`${where}: values ${extra.join(', ')} are not among the vendor's (${vendor.enum.join(', ')})`);
	}
	if (vendorKind === 'array') {
		if (own.items) compareSchema(docs, own.items, vendor.items, `${where}[]`, out, notes, depth + 1);
		return;
	}
	if (vendorKind !== 'object') return;
	const vendorProps = vendor.properties || {};
	const vendorOpen = vendor.additionalProperties;
	for (const [name, schema] of Object.entries(own.properties || {})) {
		const child = where ? `${where}.${name}` : name;
		if (Object.prototype.hasOwnProperty.call(vendorProps, name)) compareSchema(docs, schema, vendorProps[name], child, out, notes, depth + 1);
		else if (vendorOpen && typeof vendorOpen === 'object') compareSchema(docs, schema, vendorOpen, child, out, notes, depth + 1);
		else if (vendorOpen !== true && vendor.properties) {
			if (deref(docs.own, schema)?.['x-newer-than-spec']) notes.push(`${child}: newer than the spec file (${deref(docs.own, schema)['x-newer-than-spec']})`);
			else out.push(`${child}: not in the vendor's spec`);
		}
	}
	if (own.additionalProperties && !own.properties && vendor.properties && !vendorOpen) out.push(`${where || 'body'}: ours accepts any key, the vendor's lists ${Object.keys(vendorProps).length} properties`);
	if (own.additionalProperties && typeof own.additionalProperties === 'object' && vendorOpen && typeof vendorOpen === 'object') {
		compareSchema(docs, own.additionalProperties, vendorOpen, `${where}.*`, out, notes, depth + 1);
	}
	if (own.properties) {
		const ownRequired = new Set(own.required || []);
		for (const name of vendor.required || []) {
			if (!ownRequired.has(name)) out.push(`${where ? `${where}.` : ''}${name}: the vendor requires it, ours does not`);
		}
	}
}

/** @param {string} type */
const mediaFamily = (type) => (/json/.test(type) ? 'json' : type);

/**
 * @param {any} own our API description (core/apiDoc.js)
 * @param {any} vendor the vendor's spec in OpenAPI 3 form
 * @param {{ mapPath?: (ownTemplate: string) => string }} [options] maps our request paths to the spec's
 * @returns {ConformanceReport}
 */
function compareApis(own, vendor, options = {}) {
	const docs = { own, vendor };
	const vendorOps = indexOperations(vendor);
	/** @type {ConformanceReport} */
	const report = { mismatches: [], notes: [], compared: [] };
	for (const [key, ownEntry] of indexOperations(own, options.mapPath)) {
		const label = ownEntry.operation.operationId || key;
		const vendorEntry = vendorOps.get(key);
		if (ownEntry.operation['x-own-design']) {
			if (vendorEntry) report.mismatches.push(`${label}: marked as our own design, but the vendor's spec documents ${key}`);
			else report.notes.push(`${label}: our own design (${ownEntry.operation['x-own-design']})`);
			continue;
		}
		if (!vendorEntry) {
			if (ownEntry.operation['x-newer-than-spec']) report.notes.push(`${label}: newer than the spec file (${ownEntry.operation['x-newer-than-spec']})`);
			else report.mismatches.push(`${label}: the vendor's spec has no ${key}`);
			continue;
		}
		report.compared.push(label);
		/** @type {string[]} */
		const out = [];
		const vendorParams = parametersOf(vendor, vendorEntry);
		const ownParams = parametersOf(own, ownEntry);
		for (const parameter of ownParams.filter((p) => p.in === 'query')) {
			const match = vendorParams.find((p) => p.in === 'query' && p.name === parameter.name);
			const newerThanSpec = deref(own, parameter.schema || {})?.['x-newer-than-spec'];
			if (!match && newerThanSpec) report.notes.push(`${label}: query ${parameter.name}: newer than the spec file (${newerThanSpec})`);
			else if (!match) out.push(`query ${parameter.name}: not in the vendor's spec`);
			else compareSchema(docs, parameter.schema, match.schema, `query ${parameter.name}`, out, report.notes);
		}
		for (const parameter of vendorParams.filter((p) => p.in === 'query' && p.required)) {
			if (!ownParams.some((p) => p.in === 'query' && p.name === parameter.name && p.required)) out.push(`query ${parameter.name}: the vendor requires it, ours does not`);
		}
		const ownContent = deref(own, ownEntry.operation.requestBody || {})?.content || {};
		const vendorContent = deref(vendor, vendorEntry.operation.requestBody || {})?.content || {};
		for (const [type, media] of Object.entries(ownContent)) {
			const vendorType = Object.keys(vendorContent).find((t) => mediaFamily(t) === mediaFamily(type));
			if (!vendorType) out.push(`body: the vendor's spec takes ${Object.keys(vendorContent).join(', ') || 'no body'}, ours ${type}`);
			else compareSchema(docs, /** @type {any} */ (media).schema, vendorContent[vendorType].schema, '', out, report.notes);
		}
		report.mismatches.push(...out.map((line) => `${label}: ${line || 'body'}`));
	}
	return report;
}

module.exports = { compareApis, compareSchema };
