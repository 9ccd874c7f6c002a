// @ts-check
'use strict';

const crypto = require('node:crypto');
const xml2js = require('xml2js');

/**
 * Salesforce workflow outbound messages: the SOAP `notifications` envelope Salesforce POSTs (one Notification per
 * record, fields as `sf:` elements), and a delivery that reports whether the receiver acknowledged it with
 * `<Ack>true</Ack>` in a SOAP `notificationsResponse` (anything else: Salesforce would retry).
 */

/** @param {unknown} value */
const xmlEscape = (value) =>
	String(value).replace(/[&<>"']/g, (c) => /** @type {Record<string, string>} */ ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

const DEFAULT_FIELDS = ['Id', 'Name', 'StageName', 'IsWon', 'IsClosed', 'Amount', 'CurrencyIsoCode', 'CloseDate', 'AccountId', 'OwnerId', 'SystemModstamp', 'LastModifiedDate'];
/** What a new-lead Outbound Message on Lead typically sends (the CRM Trigger's New Lead event reads the lead back). */
const LEAD_FIELDS = ['Id', 'Email', 'FirstName', 'LastName', 'Company', 'Country', 'State', 'NumberOfEmployees', 'Industry', 'LeadSource', 'Status', 'OwnerId', 'IsConverted', 'CreatedDate', 'SystemModstamp'];
/** The fields sent when the caller names none, by sObject type (others: the Opportunity list, what is present). */
const FIELDS_BY_TYPE = /** @type {Record<string, string[]>} */ ({ Lead: LEAD_FIELDS });

/**
 * @param {{ organizationId: string, actionId: string, sessionId?: string | null, baseUrl: string, apiVersion: string,
 *   notifications: { id: string, sObjectType: string, record: Record<string, unknown> }[], fields?: string[] }} input
 */
function buildEnvelope(input) {
	const org15 = input.organizationId.slice(0, 15);
	const notifications = input.notifications
		.map((n) => {
			const fields = input.fields || FIELDS_BY_TYPE[n.sObjectType] || DEFAULT_FIELDS;
			const values = fields
				.filter((f) => n.record[f] !== undefined && n.record[f] !== null)
				.map((f) => `     <sf:${f}>${xmlEscape(n.record[f])}</sf:${f}>`)
				.join('\n');
			return `   <Notification>\n    <Id>${xmlEscape(n.id)}</Id>\n    <sObject xsi:type="sf:${n.sObjectType}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">\n${values}\n    </sObject>\n   </Notification>`;
		})
		.join('\n');
	const session = input.sessionId ? `<SessionId>${xmlEscape(input.sessionId)}</SessionId>` : '<SessionId xsi:nil="true"/>';
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
		' <soapenv:Body>',
		'  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">',
		`   <OrganizationId>${xmlEscape(input.organizationId)}</OrganizationId>`,
		`   <ActionId>${xmlEscape(input.actionId)}</ActionId>`,
		`   ${session}`,
		`   <EnterpriseUrl>${xmlEscape(`${input.baseUrl}/services/Soap/c/${input.apiVersion}/${org15}`)}</EnterpriseUrl>`,
		`   <PartnerUrl>${xmlEscape(`${input.baseUrl}/services/Soap/u/${input.apiVersion}/${org15}`)}</PartnerUrl>`,
		notifications,
		'  </notifications>',
		' </soapenv:Body>',
		'</soapenv:Envelope>',
	].join('\n');
}

/** A notification id (`04l…`, 18 chars). */
const notificationId = () => `04l${crypto.randomBytes(12).toString('base64url').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 15)}`;

/**
 * True when the body is a SOAP envelope whose Body holds notificationsResponse/Ack = true (any namespace prefixes).
 * @param {string} body
 */
async function isAck(body) {
	try {
		const parsed = await xml2js.parseStringPromise(body, { explicitArray: false, tagNameProcessors: [xml2js.processors.stripPrefix], ignoreAttrs: true });
		const ack = parsed?.Envelope?.Body?.notificationsResponse?.Ack;
		return String(typeof ack === 'object' && ack !== null ? ack._ : ack).trim() === 'true';
	} catch {
		return false;
	}
}

/**
 * POST an envelope as Salesforce does.
 * @param {string} url receiver URL (the token query is appended here)
 * @param {{ headers: Record<string, string>, rawBody: string, query: string }} message
 */
async function deliver(url, message) {
	const target = message.query ? `${url}${url.includes('?') ? '&' : '?'}${message.query.replace(/^\?/, '')}` : url;
	const response = await fetch(target, { method: 'POST', headers: message.headers, body: message.rawBody });
	const body = await response.text();
	const acked = response.status >= 200 && response.status < 300 && (await isAck(body));
	return { status: response.status, body, acked, url: target };
}

module.exports = { buildEnvelope, notificationId, isAck, deliver, DEFAULT_FIELDS, LEAD_FIELDS };
