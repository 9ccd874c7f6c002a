/**
 * Salesforce Outbound Messages (workflow/flow SOAP notifications). They are not signed, so the listener
 * authenticates them with a secret token in its URL (?token=…) plus the sending organization's id, and
 * answers with the SOAP Ack (or a fault, which makes Salesforce resend for up to 24 hours).
 */
import { parseStringPromise, processors } from 'xml2js';
import { constantTimeEqual, redact, registerSecret, validationError, type VerifyResult } from '../../core';
import { VENDOR } from './errors';

export interface OutboundNotification {
	/** Notification id (04l…): the same across Salesforce's redeliveries, so the dedupe key. */
	id: string;
	/** sObject type without namespace prefix, e.g. "Opportunity". */
	sObjectType: string;
	recordId: string;
	/** The fields the outbound message action sends, as text. */
	fields: Record<string, string>;
}

export interface OutboundMessage {
	organizationId: string;
	actionId?: string;
	enterpriseUrl?: string;
	partnerUrl?: string;
	notifications: OutboundNotification[];
}

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const OUTBOUND_NS = 'http://soap.sforce.com/2005/09/outbound';
const SOBJECT_NS = 'urn:sobject.enterprise.soap.sforce.com';
const SF_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

type XmlNode = Record<string, unknown> & { $?: Record<string, string>; _?: string };

const malformed = (element: string, expected: string, received?: unknown) => validationError(element, expected, received, VENDOR);

/** Text of the first child element (`<x>text</x>`, `<x attr="…">text</x>`, or `<x xsi:nil="true"/>` → ''). */
function textOf(node: unknown, key: string): string | undefined {
	const child = (node as XmlNode | undefined)?.[key];
	const first = Array.isArray(child) ? child[0] : child;
	if (first === undefined) return undefined;
	if (typeof first === 'string') return first;
	return typeof (first as XmlNode)._ === 'string' ? ((first as XmlNode)._ as string) : '';
}

function childOf(node: unknown, key: string): XmlNode | undefined {
	const child = (node as XmlNode | undefined)?.[key];
	const first = Array.isArray(child) ? child[0] : undefined;
	return first && typeof first === 'object' ? (first as XmlNode) : undefined;
}

export async function parseOutboundMessage(xml: string | Buffer): Promise<OutboundMessage> {
	const text = (Buffer.isBuffer(xml) ? xml.toString('utf8') : String(xml ?? '')).replace(/^\uFEFF/, '').trim();
	if (text === '') throw malformed('body', 'a SOAP envelope with an Outbound Message (the body is empty)');
	let doc: unknown;
	try {
		doc = await parseStringPromise(text, { tagNameProcessors: [processors.stripPrefix], explicitArray: true });
	} catch {
		throw malformed('body', 'well-formed XML (a SOAP envelope with an Outbound Message)');
	}
	const envelope = (doc as Record<string, unknown> | null)?.Envelope;
	if (!envelope || typeof envelope !== 'object') throw malformed('Envelope', 'a SOAP Envelope as the root element');
	const body = childOf(envelope, 'Body');
	if (!body) throw malformed('Envelope.Body', 'a SOAP Body element');
	const root = childOf(body, 'notifications');
	if (!root) throw malformed('Body.notifications', 'a notifications element (http://soap.sforce.com/2005/09/outbound)');

	const organizationId = textOf(root, 'OrganizationId')?.trim() ?? '';
	if (!SF_ID.test(organizationId)) throw malformed('notifications.OrganizationId', 'a 15- or 18-character organization id', organizationId || undefined);
	// A message may carry the sender's session id; it is a live credential, so it is masked and dropped.
	registerSecret(textOf(root, 'SessionId'));

	const list = Array.isArray(root.Notification) ? root.Notification : [];
	if (list.length === 0) throw malformed('notifications.Notification', 'at least one Notification element');
	const notifications = list.map((node, index) => parseNotification(node, `notifications.Notification.${index}`));
	return {
		organizationId,
		actionId: textOf(root, 'ActionId') || undefined,
		enterpriseUrl: textOf(root, 'EnterpriseUrl') || undefined,
		partnerUrl: textOf(root, 'PartnerUrl') || undefined,
		notifications,
	};
}

function parseNotification(node: unknown, path: string): OutboundNotification {
	const id = textOf(node, 'Id')?.trim();
	if (!id) throw malformed(`${path}.Id`, 'a notification id');
	const sObject = childOf(node, 'sObject');
	if (!sObject) throw malformed(`${path}.sObject`, 'an sObject element with the record fields');
	const fields: Record<string, string> = {};
	for (const key of Object.keys(sObject)) {
		if (key === '$' || key === '_') continue;
		fields[key] = textOf(sObject, key) ?? '';
	}
	const recordId = fields.Id?.trim();
	if (!recordId || !SF_ID.test(recordId)) throw malformed(`${path}.sObject.Id`, 'the record id (15 or 18 characters)', recordId || undefined);
	const type = sObject.$?.['xsi:type'] ?? Object.entries(sObject.$ ?? {}).find(([name]) => name.endsWith(':type'))?.[1] ?? '';
	return { id, sObjectType: type.split(':').pop() ?? '', recordId, fields };
}

export function xmlEscape(value: string): string {
	return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

/** The notificationsResponse Salesforce waits for; without Ack=true it resends the message. */
export function outboundMessageAck(ack = true): string {
	return (
		'<?xml version="1.0" encoding="UTF-8"?>' +
		`<soapenv:Envelope xmlns:soapenv="${SOAP_NS}"><soapenv:Body>` +
		`<notificationsResponse xmlns="${OUTBOUND_NS}"><Ack>${ack ? 'true' : 'false'}</Ack></notificationsResponse>` +
		'</soapenv:Body></soapenv:Envelope>'
	);
}

/** A SOAP fault (send with HTTP 500): Salesforce keeps the message queued and retries it. */
export function outboundMessageFault(message: string): string {
	return (
		'<?xml version="1.0" encoding="UTF-8"?>' +
		`<soapenv:Envelope xmlns:soapenv="${SOAP_NS}"><soapenv:Body><soapenv:Fault>` +
		`<faultcode>soapenv:Server</faultcode><faultstring>${xmlEscape(redact(String(message)))}</faultstring>` +
		'</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
	);
}

export interface VerifyOutboundInput {
	message: OutboundMessage;
	/** The `token` query parameter of the request. */
	presentedToken: string | undefined;
	/** Currently valid tokens (two during rotation). */
	tokens: (string | undefined)[];
	/** When set, only this org's messages are accepted (15 or 18 characters). */
	organizationId?: string;
}

export function verifyOutboundMessage(input: VerifyOutboundInput): VerifyResult {
	const tokens = (input.tokens ?? []).filter((token): token is string => typeof token === 'string' && token.length > 0);
	if (tokens.length === 0) return { ok: false, reason: 'no outbound message token is configured' };
	const presented = input.presentedToken;
	if (typeof presented !== 'string' || presented === '') return { ok: false, reason: 'the request carries no token (?token=…)' };
	let matched = false;
	// Every token is compared (no early exit) so timing does not reveal which one matched.
	for (const token of tokens) matched = constantTimeEqual(token, presented) || matched;
	if (!matched) return { ok: false, reason: 'token does not match' };
	const expectedOrg = input.organizationId?.trim();
	if (expectedOrg) {
		if (!SF_ID.test(expectedOrg)) return { ok: false, reason: 'the configured organization id is not a 15- or 18-character id' };
		// 18-character ids only add a case checksum to the 15-character id.
		if (input.message?.organizationId?.slice(0, 15) !== expectedOrg.slice(0, 15)) return { ok: false, reason: 'organization id does not match' };
	}
	return { ok: true, value: undefined };
}

export interface BuildOutboundInput {
	organizationId: string;
	actionId?: string;
	notifications: Array<{ id: string; sObjectType?: string; fields: Record<string, string | number | boolean> }>;
}

/** An Outbound Message as Salesforce sends it; for tests and the sandbox. */
export function buildOutboundMessage(input: BuildOutboundInput): string {
	const notifications = input.notifications
		.map((notification, index) => {
			const type = notification.sObjectType ?? 'Opportunity';
			const fields = Object.entries(notification.fields)
				.map(([name, value]) => {
					if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw validationError(`notifications.${index}.fields.${name}`, 'a field API name', name, VENDOR);
					return `<sf:${name}>${xmlEscape(String(value))}</sf:${name}>`;
				})
				.join('');
			return `<Notification><Id>${xmlEscape(notification.id)}</Id><sObject xsi:type="sf:${xmlEscape(type)}" xmlns:sf="${SOBJECT_NS}">${fields}</sObject></Notification>`;
		})
		.join('');
	return (
		'<?xml version="1.0" encoding="UTF-8"?>' +
		`<soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<soapenv:Body><notifications xmlns="${OUTBOUND_NS}">` +
		`<OrganizationId>${xmlEscape(input.organizationId)}</OrganizationId>` +
		(input.actionId ? `<ActionId>${xmlEscape(input.actionId)}</ActionId>` : '') +
		'<SessionId xsi:nil="true"/>' +
		`<EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/62.0/${xmlEscape(input.organizationId.slice(0, 15))}</EnterpriseUrl>` +
		`<PartnerUrl>https://example.my.salesforce.com/services/Soap/u/62.0/${xmlEscape(input.organizationId.slice(0, 15))}</PartnerUrl>` +
		`${notifications}</notifications></soapenv:Body></soapenv:Envelope>`
	);
}
