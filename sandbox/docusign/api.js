// @ts-check
'use strict';

const { api, op, obj, str, oneOf, arr, newer } = require('../core/apiDoc');

/**
 * The fake's own description of the eSignature REST API v2.1 endpoints it serves, written from DocuSign's v2.1
 * reference (developers.docusign.com, "eSignature REST API"): exactly the parameters and body fields the handlers
 * read, our connector sends through docusign-esign and the tests send. Requests are validated against this;
 * anything else is rejected (stricter than DocuSign, which ignores unknown JSON properties: it catches typos).
 * DocuSign's model types nearly everything as a string, booleans included ("true"/"false"); its JSON reader also
 * takes true/1 there, which the validator turns into strings first (see validate.js).
 * DocuSign's published Swagger file is the v2 API: what v2.1 added is marked `newer(…)`.
 */

const BASE = '/restapi/v2.1/accounts/{accountId}';
const V21 = 'eSignature REST v2.1 reference';

/** "true" / "false": DocuSign's string booleans. */
const flag = () => oneOf('true', 'false');
/** Counts and offsets are strings holding whole numbers in DocuSign's model. */
const whole = () => str({ pattern: '^\\d+$' });
/** Envelope statuses (Envelopes resource, `status`); which moves are allowed is the handlers' business. */
const envelopeStatus = () => oneOf('completed', 'created', 'declined', 'delivered', 'sent', 'signed', 'voided');

const account = { accountId: str() };
const envelope = { ...account, envelopeId: str() };

/** A template role filled in at creation: who signs, and prefilled values for the template's text tabs. */
const templateRole = obj({
	roleName: str(),
	name: str(),
	email: str(),
	routingOrder: whole(),
	tabs: obj({ textTabs: arr(obj({ tabLabel: str(), value: str() })) }),
});

/** Hidden envelope custom fields (our business key lives in one). */
const textCustomField = obj({ name: str(), value: str(), show: flag(), required: flag() });

/** The JSON SIM event names (Connect "events"); the fake publishes the envelope-* ones it models. */
const CONNECT_EVENTS = [
	'envelope-created',
	'envelope-sent',
	'envelope-resent',
	'envelope-delivered',
	'envelope-completed',
	'envelope-declined',
	'envelope-voided',
	'envelope-corrected',
	'envelope-purge',
	'envelope-deleted',
	'envelope-discard',
	'recipient-sent',
	'recipient-autoresponded',
	'recipient-delivered',
	'recipient-completed',
	'recipient-declined',
	'recipient-authenticationfailed',
	'recipient-resent',
	'recipient-reassign',
	'recipient-finish-later',
	'recipient-delegate',
];

/** What the Connect trigger registers: an account-level JSON SIM configuration. */
const connectCustomConfiguration = obj({
	configurationType: oneOf('custom', 'customrecipient'),
	name: str(),
	urlToPublishTo: str(),
	allUsers: flag(),
	allowEnvelopePublish: flag(),
	includeHMAC: flag(),
	requiresAcknowledgement: flag(),
	// JSON SIM (Connect 2.0) came with v2.1; the v2 model only has envelopeEvents / recipientEvents.
	deliveryMode: newer(oneOf('SIM', 'aggregate'), `${V21}: connectCustomConfiguration.deliveryMode (JSON SIM)`),
	events: newer(arr(oneOf(...CONNECT_EVENTS)), `${V21}: connectCustomConfiguration.events (JSON SIM)`),
	eventData: newer(
		obj({
			version: oneOf('restv2.1'),
			format: oneOf('json'),
			includeData: arr(oneOf('attachments', 'custom_fields', 'documents', 'extensions', 'folders', 'payment_tabs', 'powerform', 'prefill_tabs', 'recipients', 'tabs')),
		}),
		`${V21}: connectCustomConfiguration.eventData (connectEventData)`,
	),
});

/** Envelopes::listStatusChanges query parameters that v2.1 documents and the v2 file lacks. @param {string} name */
const newerListQuery = (name) => newer(str(), `${V21}: Envelopes::listStatusChanges ${name}`);

const ownApi = api(
	{
		[`GET ${BASE}/templates`]: op({
			path: account,
			query: { search_text: str(), count: whole(), start_position: whole(), order: oneOf('asc', 'desc'), order_by: oneOf('name', 'modified', 'used') },
		}),
		[`POST ${BASE}/envelopes`]: op({
			path: account,
			// From a template only (README "Gaps"): no documents, recipients or composite templates.
			json: obj({
				templateId: str(),
				status: envelopeStatus(),
				emailSubject: str(),
				templateRoles: arr(templateRole),
				customFields: obj({ textCustomFields: arr(textCustomField) }),
			}),
		}),
		[`GET ${BASE}/envelopes`]: op({
			path: account,
			query: {
				from_date: str(),
				to_date: str(),
				envelope_ids: str(),
				status: str(), // a comma-separated list
				custom_field: str(), // name=value
				count: whole(),
				start_position: whole(),
				search_text: newerListQuery('search_text'),
				include: newerListQuery('include'), // custom_fields, recipients, … (comma-separated)
				order: { ...newerListQuery('order'), enum: ['asc', 'desc'] },
				order_by: {
					...newerListQuery('order_by'),
					enum: ['action_required', 'created', 'completed', 'sent', 'signer_list', 'status', 'subject', 'user_name', 'status_changed', 'last_modified'],
				},
			},
		}),
		[`GET ${BASE}/envelopes/{envelopeId}`]: op({ path: envelope, query: { include: str() } }),
		[`PUT ${BASE}/envelopes/{envelopeId}`]: op({
			path: envelope,
			// Void ({ status: 'voided', voidedReason }), send a draft ({ status: 'sent' }) or rename.
			json: obj({ status: envelopeStatus(), voidedReason: str(), emailSubject: str() }),
		}),
		[`GET ${BASE}/envelopes/{envelopeId}/custom_fields`]: op({ path: envelope }),
		[`GET ${BASE}/envelopes/{envelopeId}/recipients`]: op({ path: envelope, query: { include_tabs: flag() } }),
		[`GET ${BASE}/envelopes/{envelopeId}/form_data`]: op({ path: envelope }),
		[`GET ${BASE}/envelopes/{envelopeId}/documents/{documentId}`]: op({ path: { ...envelope, documentId: str() } }),
		[`POST ${BASE}/connect`]: op({ path: account, json: connectCustomConfiguration }),
		[`GET ${BASE}/connect`]: op({ path: account }),
		[`GET ${BASE}/connect/{connectId}`]: op({ path: { ...account, connectId: str() } }),
		[`DELETE ${BASE}/connect/{connectId}`]: op({ path: { ...account, connectId: str() } }),
	},
	{ title: 'DocuSign eSignature REST v2.1 (sandbox)' },
);

module.exports = { ownApi, BASE, CONNECT_EVENTS };
