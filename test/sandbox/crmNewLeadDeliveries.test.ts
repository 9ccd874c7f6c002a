/**
 * The CRM fakes' new-lead deliveries (sandbox/deliveries.js), checked with the connectors the CRM Trigger uses: a
 * Salesforce Outbound Message on Lead that the credential's token and org id accept, and HubSpot contact.creation
 * events whose v3 signature the app's client secret verifies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseHubspotEvents, verifyHubspotSignatureV3 } from '../../connectors/crm/hubspot';
import { parseOutboundMessage, verifyOutboundMessage } from '../../connectors/crm/salesforce';

const { createSalesforceFake } = require('../../sandbox/salesforce');
const { createHubspotFake } = require('../../sandbox/hubspot');
const { deliverSalesforceNewLeads, deliverHubspotNewContacts } = require('../../sandbox/deliveries');

const ACK =
	'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

let salesforce: any;
let hubspot: any;
let receiver: http.Server;
let url: string;
let received: { url: string; headers: http.IncomingHttpHeaders; body: string }[];
beforeAll(async () => {
	salesforce = createSalesforceFake();
	hubspot = createHubspotFake();
	await Promise.all([salesforce.listen(), hubspot.listen()]);
	receiver = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			received.push({ url: req.url ?? '', headers: req.headers, body });
			res.writeHead(200, { 'Content-Type': 'text/xml' });
			res.end(ACK);
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/new-lead/webhook`;
});
afterAll(async () => {
	await Promise.all([salesforce.close(), hubspot.close(), new Promise((resolve) => receiver.close(resolve))]);
});
beforeEach(() => {
	received = [];
	salesforce.reset();
	hubspot.reset();
});

describe('sandbox new-lead deliveries', () => {
	it('Salesforce: an Outbound Message on Lead with the lead fields, accepted by the credential token and org id', async () => {
		const lead = salesforce.seedLead({ Email: 'iris@bigbank.example.co.uk', Country: 'United Kingdom' });
		const result = await deliverSalesforceNewLeads(salesforce, url, [lead.Id]);
		expect(result).toMatchObject({ status: 200, acked: true });
		const [request] = received;
		const token = new URL(request.url, 'http://receiver').searchParams.get('token') ?? undefined;
		const credential = salesforce.credentials().salesforceCrmApi;
		const message = await parseOutboundMessage(request.body);
		expect(verifyOutboundMessage({ message, presentedToken: token, tokens: [credential.outboundMessageToken], organizationId: credential.organizationId })).toEqual({ ok: true, value: undefined });
		expect(message.notifications).toEqual([
			expect.objectContaining({ id: result.notificationIds[0], sObjectType: 'Lead', recordId: lead.Id, fields: expect.objectContaining({ Email: 'iris@bigbank.example.co.uk', LastName: lead.LastName, Company: lead.Company, Country: 'United Kingdom', OwnerId: lead.OwnerId }) }),
		]);
	});

	it('HubSpot: contact.creation events signed (v3) for the URL with the app client secret', async () => {
		const contact = hubspot.seedLead({ email: 'ana@globex.example' });
		const result = await deliverHubspotNewContacts(hubspot, url, [contact.id]);
		expect(result.status).toBe(200);
		const [request] = received;
		const secret = hubspot.credentials().hubspotCrmApi.appClientSecret;
		const signature = { method: 'POST', uri: url, rawBody: request.body, signature: String(request.headers['x-hubspot-signature-v3']), timestamp: String(request.headers['x-hubspot-request-timestamp']) };
		expect(verifyHubspotSignatureV3({ ...signature, secrets: [secret] }).ok).toBe(true);
		expect(verifyHubspotSignatureV3({ ...signature, secrets: ['another-secret'] }).ok).toBe(false);
		const [event, ...more] = parseHubspotEvents(JSON.parse(request.body));
		expect(more).toEqual([]);
		expect(event).toMatchObject({ subscriptionType: 'contact.creation', objectId: String(contact.id), portalId: String(hubspot.portalId) });
		expect(event.propertyName).toBeUndefined();
	});

	it('a forged HubSpot delivery does not verify; unknown records are refused before anything is sent', async () => {
		const contact = hubspot.seedLead();
		await deliverHubspotNewContacts(hubspot, url, [contact.id], { forge: true });
		const secret = hubspot.credentials().hubspotCrmApi.appClientSecret;
		const [request] = received;
		expect(verifyHubspotSignatureV3({ method: 'POST', uri: url, rawBody: request.body, signature: String(request.headers['x-hubspot-signature-v3']), timestamp: String(request.headers['x-hubspot-request-timestamp']), secrets: [secret] }).ok).toBe(false);
		await expect(deliverSalesforceNewLeads(salesforce, url, ['00Q000000000000AAA'])).rejects.toThrow(/No Salesforce lead 00Q000000000000AAA/);
		await expect(deliverHubspotNewContacts(hubspot, url, ['999999'])).rejects.toThrow(/No HubSpot contact 999999/);
		expect(received).toHaveLength(1);
	});
});
