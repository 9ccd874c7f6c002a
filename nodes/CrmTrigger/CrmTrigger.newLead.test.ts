import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IWebhookFunctions } from 'n8n-workflow';
import { ConnectorError } from '../../connectors/core';
import { toLead as hubspotLead } from '../../connectors/crm/hubspot/leads';
import { toLead as salesforceLead } from '../../connectors/crm/salesforce/leads';
import type { CrmLead, CrmProvider } from '../../connectors/crm/types';
import { normaliseLeadWithContext } from '../../connectors/revops/leads';
import { crmProviderFor } from '../Crm/transport';
import { CrmTrigger } from './CrmTrigger.node';
import { hubspotRequest, salesforceBody, SF_ORG, OM_CURRENT, HS_SECRET, WEBHOOK_URL } from './__tests__/vendors';

// The real credential helpers; only the provider factory is replaced by a fake CRM.
jest.mock('../Crm/transport', () => ({ ...jest.requireActual('../Crm/transport'), crmProviderFor: jest.fn() }));

// 00Q = Lead, 006 = Opportunity.
const LEAD_A = '00Q5g000000LeadAAA';
const LEAD_B = '00Q5g000000LeadBAA';
const OPP_A = '006000000000000AAA';

const sfLead = (id: string, fields: Record<string, unknown> = {}) =>
	salesforceLead(
		{ Id: id, Email: 'Iris@BigBank.example.co.uk', FirstName: 'Iris', LastName: 'Banks', Company: 'Big Bank', Country: 'United Kingdom', OwnerId: '005000000000001AAA', Status: 'Open - Not Contacted', LeadSource: 'Web', IsConverted: false, CreatedDate: '2026-11-22T10:00:00.000+0000', ...fields },
		{},
		'https://acme.my.salesforce.com',
	);
const hsContact = (id: string, properties: Record<string, string> = {}) =>
	hubspotLead({ id, properties: { email: 'ana@globex.example', firstname: 'Ana', lastname: 'Lopez', company: 'Globex', country: 'US', state: 'TX', lifecyclestage: 'lead', hs_analytics_source: 'ORGANIC_SEARCH', createdate: '2026-11-22T10:00:00.000Z', ...properties } } as never, {}, '42');

let leads: Map<string, CrmLead | Error>;
let getLead: jest.Mock;
let getDeal: jest.Mock;
let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'crm-trigger-lead-'));
	leads = new Map();
	getLead = jest.fn(async (id: string) => {
		const found = leads.get(id);
		if (found instanceof Error) throw found;
		if (found === undefined) throw new ConnectorError('not_found', `no lead ${id}`);
		return found;
	});
	getDeal = jest.fn();
	(crmProviderFor as jest.Mock).mockReset().mockImplementation(async () => ({ getLead, getDeal }) as unknown as CrmProvider);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Call {
	provider?: 'salesforce' | 'hubspot';
	event?: string;
	options?: Record<string, unknown>;
	rawBody?: string;
	query?: Record<string, string>;
	headers?: Record<string, string>;
}

const trigger = new CrmTrigger();
async function run(call: Call) {
	const response = { statusCode: 200, body: undefined as unknown };
	const res = {
		status: (code: number) => ((response.statusCode = code), res),
		type: () => res,
		send: (body: unknown) => ((response.body = body), res),
		json: (body: unknown) => ((response.body = body), res),
	};
	const params: Record<string, unknown> = { provider: call.provider ?? 'salesforce', event: call.event ?? 'newLead', options: { dedupeDir: dir, ...call.options } };
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getCredentials: async () => ({ outboundMessageToken: OM_CURRENT, organizationId: SF_ORG, appClientSecret: HS_SECRET }),
		getQueryData: () => call.query ?? {},
		getRequestObject: () => ({ rawBody: call.rawBody === undefined ? undefined : Buffer.from(call.rawBody), body: {}, originalUrl: '/webhook/abc/webhook' }),
		getResponseObject: () => res,
		getHeaderData: () => call.headers ?? {},
		getBodyData: () => ({}),
		getNodeWebhookUrl: () => WEBHOOK_URL,
		getWebhookResourceUrl: () => WEBHOOK_URL,
		getNode: () => ({ name: 'CRM Trigger' }),
		logger: { warn: jest.fn(), error: jest.fn() },
	} as unknown as IWebhookFunctions;
	return { result: await trigger.webhook.call(ctx), response };
}

describe('CRM Trigger, New Lead — Salesforce Outbound Messages on Lead', () => {
	const note = (id: string, recordId: string, sObjectType = 'Lead', fields: Record<string, string> = {}) => ({ id, sObjectType, fields: { Id: recordId, Email: 'iris@bigbank.example.co.uk', ...fields } });
	const message = (notifications = [note('04l1', LEAD_A, 'Lead', { NumberOfEmployees: '5000', Industry: 'Banking' })], token = OM_CURRENT) => ({
		rawBody: salesforceBody({ organizationId: SF_ORG, notifications }),
		query: { token },
	});

	it('reads the lead back and emits it in the shape Lead → Normalise (source crm) reads, with the SOAP ack', async () => {
		leads.set(LEAD_A, sfLead(LEAD_A));
		const { result, response } = await run(message());
		expect(String(response.body)).toContain('<Ack>true</Ack>');
		const [item, ...more] = result.workflowData?.[0] ?? [];
		expect(more).toEqual([]);
		expect(item.json).toMatchObject({ provider: 'salesforce', event: 'lead.created', leadId: LEAD_A, businessKey: LEAD_A, deliveryId: '04l1', lead: { id: LEAD_A, email: 'iris@bigbank.example.co.uk', ownerId: '005000000000001AAA' } });
		// The notification's extra fields travel with the record read back (which wins where both have a field).
		expect(item.json.properties).toMatchObject({ NumberOfEmployees: '5000', Industry: 'Banking', Email: 'Iris@BigBank.example.co.uk', LeadSource: 'Web' });
		expect(getLead).toHaveBeenCalledWith(LEAD_A);

		const { lead, context } = normaliseLeadWithContext(item.json, 'crm');
		expect(lead).toMatchObject({ id: LEAD_A, source: 'crm', email: 'iris@bigbank.example.co.uk', email_domain: 'bigbank.example.co.uk', country: 'GB', company_size: 5000, industry: 'Banking' });
		expect(context).toMatchObject({ first_name: 'Iris', last_name: 'Banks', company_name: 'Big Bank', lead_source: 'Web' });
	});

	it('answers 401 without an execution or a CRM read for a forged token or another organization', async () => {
		leads.set(LEAD_A, sfLead(LEAD_A));
		const forged = await run(message(undefined, 'forged-token'));
		const otherOrg = await run({ rawBody: salesforceBody({ organizationId: '00D000000000OTHERX', notifications: [note('04l1', LEAD_A)] }), query: { token: OM_CURRENT } });
		for (const { result, response } of [forged, otherOrg]) {
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(401);
			expect(String(response.body)).toContain('Fault');
		}
		expect(getLead).not.toHaveBeenCalled();
	});

	it('fires once for a redelivered notification and once per lead across notifications, unless told otherwise', async () => {
		leads.set(LEAD_A, sfLead(LEAD_A));
		expect((await run(message())).result.workflowData?.[0]).toHaveLength(1);
		const redelivered = await run(message());
		expect(redelivered.result.workflowData).toBeUndefined();
		expect(String(redelivered.response.body)).toContain('<Ack>true</Ack>');
		expect(getLead).toHaveBeenCalledTimes(1);
		// An edit of the same lead sends a new notification: still the same new lead.
		expect((await run(message([note('04l2', LEAD_A)]))).result.workflowData).toBeUndefined();
		expect((await run({ ...message([note('04l3', LEAD_A)]), options: { oncePerLead: false } })).result.workflowData?.[0]).toHaveLength(1);
	});

	it('acknowledges and ignores opportunity notifications, converted and deleted leads', async () => {
		leads.set(LEAD_B, sfLead(LEAD_B, { IsConverted: true }));
		const { result, response } = await run(message([note('04l4', OPP_A, 'Opportunity'), note('04l5', LEAD_B), note('04l6', '00Q5g000000GoneAAA')]));
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(200);
		expect(String(response.body)).toContain('<Ack>true</Ack>');
		expect(getDeal).not.toHaveBeenCalled();
		expect(getLead.mock.calls.map((call) => call[0]).sort()).toEqual(['00Q5g000000GoneAAA', LEAD_B]);
	});

	it('in Deal Won mode, leaves Lead notifications alone (acknowledged, nothing read)', async () => {
		leads.set(LEAD_A, sfLead(LEAD_A));
		const { result, response } = await run({ ...message(), event: 'dealWon' });
		expect(result.workflowData).toBeUndefined();
		expect(String(response.body)).toContain('<Ack>true</Ack>');
		expect(getLead).not.toHaveBeenCalled();
		expect(getDeal).not.toHaveBeenCalled();
	});

	it('answers a fault naming the lead and releases the claims when it cannot be read, so the redelivery fires', async () => {
		leads.set(LEAD_A, new ConnectorError('transient', 'Salesforce unavailable'));
		const failed = await run(message());
		expect(failed.response.statusCode).toBe(500);
		expect(String(failed.response.body)).toContain(`lead ${LEAD_A} could not be read`);
		leads.set(LEAD_A, sfLead(LEAD_A));
		expect((await run(message())).result.workflowData?.[0]).toHaveLength(1);
	});
});

describe('CRM Trigger, New Lead — HubSpot contact.creation', () => {
	const events = (list: Array<Record<string, unknown>>) => list.map((e, i) => ({ eventId: 300 + i, subscriptionId: 7, portalId: 42, occurredAt: Date.now(), attemptNumber: 0, ...e }));
	const created = (objectId: number) => ({ subscriptionType: 'contact.creation', objectId, changeFlag: 'CREATED' });
	const call = (body: unknown, extra: { secret?: string; options?: Record<string, unknown> } = {}): Call => ({ provider: 'hubspot', ...hubspotRequest(body, { secret: extra.secret }), options: extra.options });

	it('reads the new contact back and emits it as a lead Lead → Normalise understands', async () => {
		leads.set('701', hsContact('701'));
		const { result } = await run(call(events([created(701)])));
		expect(result.webhookResponse).toEqual({ received: true, accepted: 1, duplicates: 0, ignored: 0 });
		const item = result.workflowData?.[0][0];
		expect(item?.json).toMatchObject({ provider: 'hubspot', event: 'lead.created', leadId: '701', deliveryId: '300', lead: { id: '701', email: 'ana@globex.example' }, properties: { lifecyclestage: 'lead' } });
		const { lead, context } = normaliseLeadWithContext(item?.json, 'crm');
		expect(lead).toMatchObject({ id: '701', source: 'crm', email_domain: 'globex.example', country: 'US', state: 'TX' });
		expect(context).toMatchObject({ first_name: 'Ana', company_name: 'Globex', lead_source: 'ORGANIC_SEARCH' });
	});

	it('answers 401 without an execution for a forged signature', async () => {
		leads.set('701', hsContact('701'));
		const { result, response } = await run(call(events([created(701)]), { secret: 'not-the-app-secret' }));
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect(getLead).not.toHaveBeenCalled();
	});

	it('drops a redelivered event id', async () => {
		leads.set('702', hsContact('702'));
		const body = events([created(702)]);
		expect((await run(call(body))).result.workflowData?.[0]).toHaveLength(1);
		const again = await run(call(body));
		expect(again.result.workflowData).toBeUndefined();
		expect(again.result.webhookResponse).toMatchObject({ accepted: 0, duplicates: 1 });
		expect(getLead).toHaveBeenCalledTimes(1);
	});

	it('ignores deal events and contacts past the lead stage, unless every new contact is wanted', async () => {
		leads.set('703', hsContact('703', { lifecyclestage: 'customer' }));
		const body = events([{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'closedwon', objectId: 903 }, created(703)]);
		const { result } = await run(call(body));
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, accepted: 0, duplicates: 0, ignored: 2 });
		expect(getDeal).not.toHaveBeenCalled();
		const everyContact = await run(call(events([{ ...created(703), eventId: 399 }]), { options: { onlyLeadStage: false } }));
		expect(everyContact.result.workflowData?.[0][0].json).toMatchObject({ leadId: '703' });
	});
});

describe('CRM Trigger event parameter', () => {
	it('defaults to Deal Won, so existing workflows keep their behaviour', () => {
		const event = trigger.description.properties.find((property) => property.name === 'event');
		expect(event).toMatchObject({ default: 'dealWon', options: [expect.objectContaining({ value: 'dealWon' }), expect.objectContaining({ value: 'newLead' })] });
	});
});
