// @ts-check
'use strict';

const crypto = require('node:crypto');
const { clone } = require('../lib/common');

/**
 * What the DocuSign fake holds: templates, envelopes (with their signers and prefilled text tabs), Connect
 * configurations and the Connect deliveries made. Envelope state changes go through `applyEvent`, which follows
 * DocuSign's lifecycle: created → sent → delivered → completed | declined, and sent/delivered → voided.
 *
 * @typedef {{ templateId: string, name: string, description: string, emailSubject: string, roles: { roleName: string, routingOrder: string }[],
 *   textTabs?: string[], created: string, lastModified: string }} Template
 * @typedef {{ recipientId: string, recipientIdGuid: string, roleName: string, name: string, email: string, routingOrder: string, status: string,
 *   tabs: { tabLabel: string, value: string }[], sentDateTime?: string, deliveredDateTime?: string, signedDateTime?: string,
 *   declinedDateTime?: string, declinedReason?: string }} Signer
 * @typedef {{ envelopeId: string, templateId: string, status: string, emailSubject: string, createdDateTime: string, lastModifiedDateTime: string,
 *   statusChangedDateTime: string, sentDateTime?: string, deliveredDateTime?: string, completedDateTime?: string, declinedDateTime?: string,
 *   voidedDateTime?: string, voidedReason?: string, textCustomFields: { fieldId: string, name: string, value: string, show: string, required: string }[],
 *   signers: Signer[] }} Envelope
 */

const EVENTS = /** @type {const} */ (['envelope-sent', 'envelope-delivered', 'envelope-completed', 'envelope-declined', 'envelope-voided']);
/** Which statuses each event may leave from. */
const FROM = {
	'envelope-sent': ['created'],
	'envelope-delivered': ['sent'],
	'envelope-completed': ['sent', 'delivered'],
	'envelope-declined': ['sent', 'delivered'],
	'envelope-voided': ['sent', 'delivered'],
};

/** @param {{ now?: () => Date }} [options] */
function createStore(options = {}) {
	const iso = () => (options.now ? options.now() : new Date()).toISOString();
	const state = {
		/** @type {Map<string, Template>} */
		templates: new Map(),
		/** @type {Map<string, Envelope>} */
		envelopes: new Map(),
		/** @type {Map<string, any>} */
		connect: new Map(),
		/** @type {any[]} */
		deliveries: [],
	};
	let connectSequence = 100000;

	/** @param {Omit<Partial<Template>, 'roles'> & { roles?: (string | { roleName: string, routingOrder?: string })[] }} [input] */
	function seedTemplate(input = {}) {
		const at = iso();
		const roles = (input.roles || ['Signer']).map((role, index) =>
			typeof role === 'string' ? { roleName: role, routingOrder: String(index + 1) } : { roleName: role.roleName, routingOrder: role.routingOrder || String(index + 1) },
		);
		/** @type {Template} */
		const template = {
			templateId: input.templateId || crypto.randomUUID(),
			name: input.name || 'Q2C Order Form',
			description: input.description || 'Sandbox order form',
			emailSubject: input.emailSubject || `Please DocuSign: ${input.name || 'Q2C Order Form'}`,
			roles,
			...(input.textTabs ? { textTabs: [...input.textTabs] } : {}),
			created: at,
			lastModified: at,
		};
		state.templates.set(template.templateId, template);
		return clone(template);
	}

	/** @param {Envelope} envelope @param {typeof EVENTS[number]} event @param {{ reason?: string }} [details] */
	function applyEvent(envelope, event, details = {}) {
		if (!FROM[event] || !FROM[event].includes(envelope.status)) {
			throw Object.assign(new Error(`Envelope ${envelope.envelopeId} is ${envelope.status}; ${event} is not possible from there.`), { status: 409 });
		}
		const at = iso();
		envelope.statusChangedDateTime = at;
		envelope.lastModifiedDateTime = at;
		if (event === 'envelope-sent') {
			envelope.status = 'sent';
			envelope.sentDateTime = at;
			for (const signer of envelope.signers) Object.assign(signer, { status: 'sent', sentDateTime: at });
		} else if (event === 'envelope-delivered') {
			envelope.status = 'delivered';
			envelope.deliveredDateTime = at;
			for (const signer of envelope.signers) Object.assign(signer, { status: 'delivered', deliveredDateTime: at });
		} else if (event === 'envelope-completed') {
			envelope.status = 'completed';
			envelope.deliveredDateTime = envelope.deliveredDateTime || at;
			envelope.completedDateTime = at;
			for (const signer of envelope.signers) Object.assign(signer, { status: 'completed', deliveredDateTime: signer.deliveredDateTime || at, signedDateTime: at });
		} else if (event === 'envelope-declined') {
			envelope.status = 'declined';
			envelope.declinedDateTime = at;
			const [first] = envelope.signers;
			if (first) Object.assign(first, { status: 'declined', declinedDateTime: at, declinedReason: details.reason || 'Declined by the signer.' });
		} else {
			envelope.status = 'voided';
			envelope.voidedDateTime = at;
			envelope.voidedReason = details.reason || 'Voided by the sender.';
		}
		return envelope;
	}

	function nextConnectId() {
		connectSequence += 1;
		return String(connectSequence);
	}

	function snapshot() {
		return {
			templates: clone([...state.templates.values()]),
			envelopes: clone([...state.envelopes.values()]),
			connectConfigurations: clone([...state.connect.values()]),
			deliveries: clone(state.deliveries),
		};
	}

	function reset() {
		state.templates.clear();
		state.envelopes.clear();
		state.connect.clear();
		state.deliveries = [];
	}

	return { state, iso, seedTemplate, applyEvent, nextConnectId, snapshot, reset };
}

module.exports = { createStore, EVENTS };
