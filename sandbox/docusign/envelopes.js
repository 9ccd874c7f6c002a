// @ts-check
'use strict';

const crypto = require('node:crypto');
const { errors, dsError } = require('./errors');
const { buildPdf } = require('./pdf');
const { clone } = require('../lib/common');

/**
 * Envelope routes under `/restapi/v2.1/accounts/{accountId}`: create from a template, list (status changes),
 * get, custom fields, recipients, form data, the combined PDF, and PUT for void (or sending a draft).
 * @typedef {import('./store').Envelope} Envelope
 * @typedef {import('../core/server').SandboxRequest} SandboxRequest
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** @param {Envelope} envelope @param {{ tabs?: boolean }} [options] */
function recipientsOf(envelope, options = {}) {
	const signers = envelope.signers.map((signer) => {
		const { tabs, ...rest } = signer;
		return { ...rest, recipientType: 'signer', deliveryMethod: 'email', requireIdLookup: 'false', completedCount: signer.status === 'completed' ? '1' : '0', ...(options.tabs ? { tabs: { textTabs: clone(tabs) } } : {}) };
	});
	const pending = envelope.signers.filter((s) => !['completed', 'declined'].includes(s.status)).map((s) => Number(s.routingOrder));
	return {
		signers,
		agents: [],
		editors: [],
		intermediaries: [],
		carbonCopies: [],
		certifiedDeliveries: [],
		inPersonSigners: [],
		seals: [],
		witnesses: [],
		notaries: [],
		recipientCount: String(signers.length),
		currentRoutingOrder: String(pending.length ? Math.min(...pending) : signers.length),
	};
}

/** @param {Envelope} envelope */
const customFieldsOf = (envelope) => ({ textCustomFields: clone(envelope.textCustomFields), listCustomFields: [] });

/** @param {Envelope} envelope @param {Set<string>} include */
function envelopeBody(envelope, include) {
	const uri = `/envelopes/${envelope.envelopeId}`;
	const { signers, textCustomFields, templateId, ...fields } = envelope;
	return {
		...clone(fields),
		envelopeUri: uri,
		customFieldsUri: `${uri}/custom_fields`,
		recipientsUri: `${uri}/recipients`,
		documentsUri: `${uri}/documents`,
		documentsCombinedUri: `${uri}/documents/combined`,
		templatesUri: `${uri}/templates`,
		...(envelope.sentDateTime ? { initialSentDateTime: envelope.sentDateTime } : {}),
		...(include.has('custom_fields') ? { customFields: customFieldsOf(envelope) } : {}),
		...(include.has('recipients') ? { recipients: recipientsOf(envelope) } : {}),
	};
}

/** @param {unknown} value */
const includeSet = (value) => new Set(String(value || '').split(',').map((s) => s.trim()).filter(Boolean));

/** DocuSign-style page envelope: counts as strings, `nextUri` empty at the end, the list omitted when empty. */
function pageMeta(/** @type {number} */ start, /** @type {number} */ size, /** @type {number} */ total, /** @type {(start: number) => string} */ uriAt, /** @type {number} */ count) {
	return {
		resultSetSize: String(size),
		totalSetSize: String(total),
		startPosition: String(start),
		endPosition: String(size ? start + size - 1 : start),
		nextUri: start + size < total ? uriAt(start + size) : '',
		previousUri: start > 0 ? uriAt(Math.max(0, start - count)) : '',
	};
}

/** @param {unknown} raw @param {string} name @param {number} fallback */
function nonNegative(raw, name, fallback) {
	if (raw === undefined) return { value: fallback };
	const text = String(raw);
	if (!/^\d+$/.test(text)) return { error: errors.invalidParameter(name) };
	return { value: Number(text) };
}

/**
 * @param {ReturnType<typeof import('../core/server').createSandboxServer>} app
 * @param {{ base: string, store: ReturnType<typeof import('./store').createStore>, publish: (event: string, envelope: Envelope) => void }} ctx
 */
function registerEnvelopeRoutes(app, ctx) {
	const { store, base } = ctx;
	const { envelopes, templates } = store.state;
	/** @param {SandboxRequest} req */
	const find = (req) => envelopes.get(req.params.envelopeId);

	app.route('POST', `${base}/envelopes`, (req) => {
		const body = /** @type {any} */ (req.locals.body || {});
		if (!body.templateId) return errors.invalidBody('templateId is required (the sandbox creates envelopes from templates only).');
		const template = templates.get(body.templateId);
		if (!template) return dsError(400, 'TEMPLATE_ID_INVALID', `Invalid template ID: ${body.templateId}.`);
		const status = body.status || 'created';
		if (!['created', 'sent'].includes(status)) return dsError(400, 'INVALID_ENVELOPE_STATUS', `An envelope can be created as 'created' or 'sent', not '${status}'.`);
		/** @type {any[]} */
		const roles = body.templateRoles || [];
		for (const role of roles) {
			const match = template.roles.find((r) => r.roleName === role.roleName);
			if (!match) return errors.invalidParameter('templateRoles.roleName', `Role '${role.roleName}' is not a role of template ${template.templateId} (${template.roles.map((r) => r.roleName).join(', ')}).`);
			if (!role.email || !EMAIL.test(role.email)) return dsError(400, 'INVALID_EMAIL_ADDRESS_FOR_RECIPIENT', `The email address for the recipient is invalid: '${role.email || ''}'.`);
			if (!role.name) return dsError(400, 'RECIPIENT_NAME_REQUIRED', 'A name is required for every recipient.');
		}
		if (status === 'sent' && template.roles.some((r) => !roles.some((role) => role.roleName === r.roleName))) {
			return dsError(400, 'ENVELOPE_HAS_NO_RECIPIENTS', 'Every template role needs a recipient before the envelope can be sent.');
		}
		const at = store.iso();
		/** @type {Envelope} */
		const envelope = {
			envelopeId: crypto.randomUUID(),
			templateId: template.templateId,
			status: 'created',
			emailSubject: body.emailSubject || template.emailSubject,
			createdDateTime: at,
			lastModifiedDateTime: at,
			statusChangedDateTime: at,
			textCustomFields: ((body.customFields && body.customFields.textCustomFields) || []).map((/** @type {any} */ field, /** @type {number} */ index) => ({
				fieldId: String(10000000 + envelopes.size * 100 + index),
				name: field.name,
				value: field.value ?? '',
				show: field.show ?? 'true',
				required: field.required ?? 'false',
			})),
			signers: roles.map((role, index) => {
				const match = /** @type {{ routingOrder: string }} */ (template.roles.find((r) => r.roleName === role.roleName));
				// Tabs the template does not define are ignored, as DocuSign matches prefill values by tab label.
				const tabs = ((role.tabs && role.tabs.textTabs) || [])
					.filter((/** @type {any} */ tab) => !template.textTabs || template.textTabs.includes(tab.tabLabel))
					.map((/** @type {any} */ tab) => ({ tabLabel: tab.tabLabel, value: tab.value ?? '' }));
				return {
					recipientId: String(index + 1),
					recipientIdGuid: crypto.randomUUID(),
					roleName: role.roleName,
					name: role.name,
					email: role.email,
					routingOrder: role.routingOrder || match.routingOrder,
					status: 'created',
					tabs,
				};
			}),
		};
		envelopes.set(envelope.envelopeId, envelope);
		if (status === 'sent') {
			store.applyEvent(envelope, 'envelope-sent');
			ctx.publish('envelope-sent', envelope);
		}
		return { status: 201, body: { envelopeId: envelope.envelopeId, status: envelope.status, statusDateTime: envelope.statusChangedDateTime, uri: `/envelopes/${envelope.envelopeId}` } };
	});

	app.route('GET', `${base}/envelopes`, (req) => {
		const query = /** @type {Record<string, unknown>} */ (req.locals.query || {});
		if (query.from_date === undefined && query.envelope_ids === undefined) {
			return errors.invalidParameter('from_date', "A value was not found for parameter 'from_date'.");
		}
		const from = query.from_date === undefined ? 0 : Date.parse(String(query.from_date));
		if (Number.isNaN(from)) return errors.invalidParameter('from_date', `Invalid value specified for 'from_date': ${query.from_date}.`);
		const to = query.to_date === undefined ? Infinity : Date.parse(String(query.to_date));
		const count = nonNegative(query.count, 'count', 100);
		const start = nonNegative(query.start_position, 'start_position', 0);
		if (count.error) return count.error;
		if (start.error) return start.error;
		/** @type {[string, string][]} */
		const fieldFilters = [];
		for (const raw of [].concat(/** @type {any} */ (query.custom_field ?? []))) {
			const text = String(raw);
			const cut = text.indexOf('=');
			if (cut <= 0) return errors.invalidParameter('custom_field', "custom_field must look like 'name=value'.");
			fieldFilters.push([text.slice(0, cut), text.slice(cut + 1)]);
		}
		const ids = query.envelope_ids === undefined ? null : new Set(String(query.envelope_ids).split(',').map((s) => s.trim()));
		const statuses = query.status === undefined ? null : new Set(String(query.status).split(',').map((s) => s.trim().toLowerCase()));
		const needle = String(query.search_text || '').toLowerCase();
		const matches = [...envelopes.values()].filter((envelope) => {
			const changed = Date.parse(envelope.statusChangedDateTime);
			if (changed < from || changed > to) return false;
			if (ids && !ids.has(envelope.envelopeId)) return false;
			if (statuses && !statuses.has(envelope.status)) return false;
			if (!fieldFilters.every(([name, value]) => envelope.textCustomFields.some((f) => f.name === name && f.value === value))) return false;
			if (needle) {
				const haystack = [envelope.emailSubject, envelope.envelopeId, ...envelope.signers.flatMap((s) => [s.name, s.email]), ...envelope.textCustomFields.map((f) => f.value)];
				if (!haystack.some((v) => String(v).toLowerCase().includes(needle))) return false;
			}
			return true;
		});
		const include = includeSet(query.include);
		const page = matches.slice(start.value, start.value + count.value).map((envelope) => envelopeBody(envelope, include));
		const params = new URLSearchParams(req.rawQuery);
		const uriAt = (/** @type {number} */ position) => {
			params.set('start_position', String(position));
			params.set('count', String(count.value));
			return `/accounts/${req.params.accountId}/envelopes?${params}`;
		};
		return { body: { ...pageMeta(start.value, page.length, matches.length, uriAt, count.value), ...(page.length ? { envelopes: page } : {}) } };
	});

	app.route('GET', `${base}/envelopes/{envelopeId}`, (req) => {
		const envelope = find(req);
		if (!envelope) return errors.envelopeMissing();
		return { body: envelopeBody(envelope, includeSet(/** @type {any} */ (req.locals.query || {}).include)) };
	});

	app.route('GET', `${base}/envelopes/{envelopeId}/custom_fields`, (req) => {
		const envelope = find(req);
		return envelope ? { body: customFieldsOf(envelope) } : errors.envelopeMissing();
	});

	app.route('GET', `${base}/envelopes/{envelopeId}/recipients`, (req) => {
		const envelope = find(req);
		if (!envelope) return errors.envelopeMissing();
		return { body: recipientsOf(envelope, { tabs: String(/** @type {any} */ (req.locals.query || {}).include_tabs) === 'true' }) };
	});

	app.route('GET', `${base}/envelopes/{envelopeId}/form_data`, (req) => {
		const envelope = find(req);
		if (!envelope) return errors.envelopeMissing();
		const formData = envelope.signers.flatMap((s) => s.tabs.map((t) => ({ name: t.tabLabel, value: t.value, originalValue: t.value })));
		return {
			body: {
				formData,
				envelopeId: envelope.envelopeId,
				status: envelope.status,
				...(envelope.sentDateTime ? { sentDateTime: envelope.sentDateTime } : {}),
				recipientFormData: envelope.signers.map((s) => ({
					formData: s.tabs.map((t) => ({ name: t.tabLabel, value: t.value, originalValue: t.value })),
					recipientId: s.recipientIdGuid,
					name: s.name,
					email: s.email,
					...(s.signedDateTime ? { SignedTime: s.signedDateTime } : {}),
					...(s.deliveredDateTime ? { DeliveredTime: s.deliveredDateTime } : {}),
					...(s.sentDateTime ? { SentTime: s.sentDateTime } : {}),
				})),
			},
		};
	});

	app.route('GET', `${base}/envelopes/{envelopeId}/documents/{documentId}`, (req) => {
		const envelope = find(req);
		if (!envelope) return errors.envelopeMissing();
		if (!['combined', '1'].includes(req.params.documentId)) return dsError(400, 'DOCUMENT_DOES_NOT_EXIST', `The document ${req.params.documentId} does not exist in envelope ${envelope.envelopeId}.`);
		const lines = [
			`Envelope ${envelope.envelopeId}`,
			`Subject: ${envelope.emailSubject}`,
			`Status: ${envelope.status}`,
			...envelope.signers.map((s) => `${s.roleName}: ${s.name} <${s.email}> ${s.status}${s.signedDateTime ? ` ${s.signedDateTime}` : ''}`),
			...envelope.signers.flatMap((s) => s.tabs.map((t) => `${t.tabLabel}: ${t.value}`)),
		];
		const name = req.params.documentId === 'combined' ? 'Combined' : 'Document1';
		return { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `file; filename="${name}.pdf"` }, body: buildPdf(lines) };
	});

	app.route('PUT', `${base}/envelopes/{envelopeId}`, (req) => {
		const envelope = find(req);
		if (!envelope) return errors.envelopeMissing();
		const body = /** @type {any} */ (req.locals.body || {});
		if (body.status === 'voided') {
			if (!['sent', 'delivered'].includes(envelope.status)) {
				return dsError(400, 'ENVELOPE_CANNOT_VOID_INVALID_STATE', `Only envelopes in the 'Sent' or 'Delivered' states may be voided (this one is '${envelope.status}').`);
			}
			if (!body.voidedReason) return dsError(400, 'INVALID_VOIDED_REASON', 'A voidedReason is required to void an envelope.');
			store.applyEvent(envelope, 'envelope-voided', { reason: body.voidedReason });
			ctx.publish('envelope-voided', envelope);
		} else if (body.status === 'sent') {
			if (envelope.status !== 'created') return dsError(400, 'ENVELOPE_INVALID_STATUS', `Envelope is '${envelope.status}'; only a draft can be sent.`);
			if (!envelope.signers.length) return dsError(400, 'ENVELOPE_HAS_NO_RECIPIENTS', 'The envelope has no recipients.');
			store.applyEvent(envelope, 'envelope-sent');
			ctx.publish('envelope-sent', envelope);
		} else if (body.status !== undefined) {
			return dsError(400, 'ENVELOPE_INVALID_STATUS', `Status '${body.status}' cannot be set through an update (use 'voided' or 'sent').`);
		} else if (body.emailSubject !== undefined) {
			envelope.emailSubject = body.emailSubject;
			envelope.lastModifiedDateTime = store.iso();
		}
		return { body: { envelopeId: envelope.envelopeId } };
	});
}

module.exports = { registerEnvelopeRoutes, recipientsOf, customFieldsOf, envelopeBody };
