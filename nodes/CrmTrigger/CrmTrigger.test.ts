import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { ConnectorError } from '../../connectors/core';
import type { CrmDeal, CrmProvider } from '../../connectors/crm/types';
import { parseOutboundMessage } from '../../connectors/crm/salesforce';
import { crmProviderFor } from '../Crm/transport';
import { CrmTrigger } from './CrmTrigger.node';
import { dedupeStores } from './wonDeal';
import { hubspotRequest, salesforceBody, SF_ORG, OM_CURRENT, OM_PREVIOUS, HS_SECRET, HS_OLD_SECRET, WEBHOOK_URL } from './__tests__/vendors';

// The real credential helpers; only the provider factory is replaced by a fake CRM.
jest.mock('../Crm/transport', () => ({ ...jest.requireActual('../Crm/transport'), crmProviderFor: jest.fn() }));
// The real Outbound Message parser, watched: an unauthenticated caller must not get it to run.
jest.mock('../../connectors/crm/salesforce', () => {
	const actual = jest.requireActual('../../connectors/crm/salesforce');
	return { ...actual, parseOutboundMessage: jest.fn(actual.parseOutboundMessage) };
});

function deal(id: string, isWon: boolean, provider: 'salesforce' | 'hubspot' = 'salesforce'): CrmDeal {
	return { provider, id, name: `Deal ${id}`, stageId: isWon ? 'Closed Won' : 'Negotiation', isClosed: isWon, isWon, modifiedAt: '2026-11-22T10:00:00.000Z', properties: {} };
}

let deals: Map<string, CrmDeal | Error>;
let getDeal: jest.Mock;
const fakeProvider = () => ({ getDeal } as unknown as CrmProvider);

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'crm-trigger-'));
	deals = new Map();
	getDeal = jest.fn(async (id: string) => {
		const found = deals.get(id);
		if (found instanceof Error) throw found;
		if (found === undefined) throw new ConnectorError('not_found', `no deal ${id}`);
		return found;
	});
	(crmProviderFor as jest.Mock).mockReset().mockImplementation(async () => fakeProvider());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Call {
	provider?: 'salesforce' | 'hubspot';
	options?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	rawBody?: string;
	query?: Record<string, string>;
	headers?: Record<string, string>;
	originalUrl?: string;
}

function context(call: Call) {
	const response = { statusCode: 200, body: undefined as unknown, type: undefined as string | undefined };
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		type(value: string) {
			response.type = value;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
	};
	const params: Record<string, unknown> = { provider: call.provider ?? 'salesforce', options: { dedupeDir: dir, ...call.options } };
	const credentials = call.credentials ?? {
		outboundMessageToken: OM_CURRENT,
		previousOutboundMessageToken: OM_PREVIOUS,
		organizationId: SF_ORG,
		appClientSecret: HS_SECRET,
		previousAppClientSecret: HS_OLD_SECRET,
	};
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getCredentials: jest.fn(async () => credentials),
		getQueryData: () => call.query ?? {},
		getRequestObject: () => ({ rawBody: call.rawBody === undefined ? undefined : Buffer.from(call.rawBody), body: {}, originalUrl: call.originalUrl ?? '/webhook/abc/webhook' }),
		getResponseObject: () => res,
		getHeaderData: () => call.headers ?? {},
		getBodyData: () => ({}),
		getNodeWebhookUrl: () => WEBHOOK_URL,
		getWebhookResourceUrl: () => WEBHOOK_URL,
		getNode: () => ({ name: 'CRM Trigger' }),
		logger: { warn: jest.fn(), error: jest.fn() },
	} as unknown as IWebhookFunctions;
	return { ctx, response };
}

const trigger = new CrmTrigger();
const run = (call: Call) => {
	const { ctx, response } = context(call);
	return trigger.webhook.call(ctx).then((result) => ({ result, response, ctx }));
};

// Salesforce ids are 15 or 18 characters; 006 = Opportunity, 001 = Account.
const sfId = (prefix: string, suffix: string) => `${prefix}${suffix.padStart(12, '0')}`;
const OPP_A = sfId('006', 'A');
const OPP_B = sfId('006', 'B');
const OPP_C = sfId('006', 'C');
const OPP_GONE = sfId('006', 'GONE');
const ACCOUNT_X = sfId('001', 'X');
const notification = (id: string, recordId: string, sObjectType = 'Opportunity') => ({ id, sObjectType, fields: { Id: recordId, IsWon: 'true' } });

describe('CRM Trigger — Salesforce Outbound Messages', () => {
	const valid = (notifications = [notification('04l1', OPP_A)]) => ({ rawBody: salesforceBody({ organizationId: SF_ORG, notifications }), query: { token: OM_CURRENT } });

	it('starts one execution for a won opportunity and answers the SOAP ack', async () => {
		deals.set(OPP_A, deal(OPP_A, true));
		const { result, response } = await run(valid());
		expect(result.noWebhookResponse).toBe(true);
		const items = result.workflowData?.[0] ?? [];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ provider: 'salesforce', event: 'deal.won', dealId: OPP_A, businessKey: OPP_A, deliveryId: '04l1', deal: { id: OPP_A, isWon: true } });
		expect(typeof items[0].json.receivedAt).toBe('string');
		expect(response).toMatchObject({ statusCode: 200, type: 'text/xml' });
		expect(String(response.body)).toContain('<Ack>true</Ack>');
		expect(crmProviderFor).toHaveBeenCalledWith(expect.anything(), 'salesforce');
	});

	it('accepts the previous token (rotation)', async () => {
		deals.set(OPP_A, deal(OPP_A, true));
		const { result } = await run({ ...valid(), query: { token: OM_PREVIOUS } });
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('answers 401 (SOAP fault) without an execution or a CRM call for a forged, missing or unconfigured token', async () => {
		const attempts: Call[] = [{ ...valid(), query: { token: 'forged-token' } }, { ...valid(), query: {} }, { ...valid(), credentials: { organizationId: SF_ORG } }];
		for (const call of attempts) {
			const { result, response } = await run(call);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(401);
			expect(String(response.body)).toContain('Fault');
			expect(String(response.body)).not.toContain(OM_CURRENT);
		}
		expect(getDeal).not.toHaveBeenCalled();
	});

	it('answers 401 for another organization', async () => {
		const { result, response } = await run({ rawBody: salesforceBody({ organizationId: '00D000000000OTHERX', notifications: [notification('04l1', OPP_A)] }), query: { token: OM_CURRENT } });
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(401);
	});

	it('answers 400 for a malformed message with the right token, 401 without it', async () => {
		const authorised = await run({ rawBody: '<not-soap', query: { token: OM_CURRENT } });
		expect(authorised.response.statusCode).toBe(400);
		expect(String(authorised.response.body)).toMatch(/malformed/);
		const anonymous = await run({ rawBody: '<not-soap', query: { token: 'nope' } });
		expect(anonymous.response.statusCode).toBe(401);
		const empty = await run({ query: { token: OM_CURRENT } });
		expect(empty.response.statusCode).toBe(400);
	});

	it('checks the token before reading the body: a caller without it never gets the XML parsed', async () => {
		const parse = parseOutboundMessage as jest.MockedFunction<typeof parseOutboundMessage>;
		parse.mockClear();
		const anonymous = await run({ ...valid(), query: { token: 'nope' } });
		expect(anonymous.response.statusCode).toBe(401);
		expect(parse).not.toHaveBeenCalled();
		await run(valid());
		expect(parse).toHaveBeenCalledTimes(1);
	});

	it('answers 413 (SOAP fault, nothing parsed) for a body over the Outbound Message size limit, 401 to a caller without the token', async () => {
		const parse = parseOutboundMessage as jest.MockedFunction<typeof parseOutboundMessage>;
		parse.mockClear();
		const huge = salesforceBody({ organizationId: SF_ORG, notifications: [notification('04l1', OPP_A)] }).replace('<soapenv:Body>', `<soapenv:Body><!--${'x'.repeat(2 * 1024 * 1024)}-->`);
		const authorised = await run({ rawBody: huge, query: { token: OM_CURRENT } });
		expect(authorised.response.statusCode).toBe(413);
		expect(String(authorised.response.body)).toMatch(/too large/);
		expect(authorised.result.workflowData).toBeUndefined();
		expect((await run({ rawBody: huge, query: { token: 'nope' } })).response.statusCode).toBe(401);
		expect(parse).not.toHaveBeenCalled();
	});

	it('acknowledges a redelivered notification without a second execution', async () => {
		deals.set(OPP_A, deal(OPP_A, true));
		expect((await run(valid())).result.workflowData?.[0]).toHaveLength(1);
		const again = await run(valid());
		expect(again.result.workflowData).toBeUndefined();
		expect(again.response.statusCode).toBe(200);
		expect(String(again.response.body)).toContain('<Ack>true</Ack>');
		expect(getDeal).toHaveBeenCalledTimes(1);
	});

	it('acknowledges and ignores not-won opportunities, other objects and deleted records', async () => {
		deals.set(OPP_B, deal(OPP_B, false));
		const { result, response } = await run(valid([notification('04l2', OPP_B), notification('04l3', ACCOUNT_X, 'Account'), notification('04l4', OPP_GONE)]));
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(200);
		expect(String(response.body)).toContain('<Ack>true</Ack>');
		expect(getDeal.mock.calls.map((c) => c[0]).sort()).toEqual([OPP_B, OPP_GONE]);
	});

	it('emits not-won deals as deal.changed when Only Won Deals is off', async () => {
		deals.set(OPP_B, deal(OPP_B, false));
		const { result } = await run({ ...valid([notification('04l2', OPP_B)]), options: { onlyWon: false } });
		expect(result.workflowData?.[0][0].json).toMatchObject({ event: 'deal.changed', dealId: OPP_B });
	});

	it('fires once per won deal across notifications, unless turned off', async () => {
		deals.set(OPP_A, deal(OPP_A, true));
		const first = await run(valid([notification('04l1', OPP_A), notification('04l2', OPP_A)]));
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		expect((await run(valid([notification('04l3', OPP_A)]))).result.workflowData).toBeUndefined();
		const loose = await run({ ...valid([notification('04l4', OPP_A)]), options: { oncePerDeal: false } });
		expect(loose.result.workflowData?.[0]).toHaveLength(1);
	});

	it('answers a SOAP fault (5xx) and releases the claims when a deal cannot be read, so the redelivery fires', async () => {
		deals.set(OPP_A, deal(OPP_A, true));
		deals.set(OPP_C, new ConnectorError('transient', 'Salesforce unavailable'));
		const message = valid([notification('04l1', OPP_A), notification('04l5', OPP_C)]);
		const failed = await run(message);
		expect(failed.result).toEqual({ noWebhookResponse: true });
		expect(failed.response.statusCode).toBe(500);
		expect(String(failed.response.body)).toMatch(new RegExp(`Fault[\\s\\S]*${OPP_C} could not be read`));
		deals.set(OPP_C, deal(OPP_C, true));
		const redelivered = await run(message);
		expect(redelivered.result.workflowData?.[0].map((i) => i.json.dealId)).toEqual([OPP_A, OPP_C]);
	});

	it('answers a fault when the dedupe store fails', async () => {
		const original = dedupeStores.create;
		dedupeStores.create = () => ({ claim: async () => Promise.reject(new Error('disk full')), release: async () => undefined });
		try {
			const { result, response } = await run(valid());
			expect(result.workflowData).toBeUndefined();
			expect(response.statusCode).toBe(500);
		} finally {
			dedupeStores.create = original;
		}
	});
});

describe('CRM Trigger — HubSpot webhooks v3', () => {
	const events = (list: Array<Record<string, unknown>>) => list.map((e, i) => ({ eventId: 100 + i, subscriptionId: 7, portalId: 42, occurredAt: Date.now(), attemptNumber: 0, ...e }));
	const stageChange = (objectId: number, eventId?: number) => ({ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: '123456', objectId, ...(eventId ? { eventId } : {}) });
	const call = (body: unknown, extra: { secret?: string; timestamp?: number; options?: Record<string, unknown>; credentials?: Record<string, unknown>; originalUrl?: string; signedUri?: string } = {}): Call => ({
		provider: 'hubspot',
		...hubspotRequest(body, { ...extra, originalUrl: extra.originalUrl }),
		options: extra.options,
		credentials: extra.credentials,
		originalUrl: extra.originalUrl,
	});

	it('starts an execution for a deal moved to a won stage and answers 200 JSON', async () => {
		deals.set('901', deal('901', true, 'hubspot'));
		const { result } = await run(call(events([stageChange(901)])));
		expect(result.workflowData?.[0][0].json).toMatchObject({ provider: 'hubspot', event: 'deal.won', dealId: '901', businessKey: '901', deliveryId: '100' });
		expect(result.webhookResponse).toEqual({ received: true, accepted: 1, duplicates: 0, ignored: 0 });
		expect(crmProviderFor).toHaveBeenCalledWith(expect.anything(), 'hubspot');
	});

	it('verifies against the URL with its query string, and the previous secret', async () => {
		deals.set('901', deal('901', true, 'hubspot'));
		const { result } = await run(call(events([stageChange(901)]), { secret: HS_OLD_SECRET, originalUrl: '/webhook/abc/webhook?env=prod' }));
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('uses the Signed URL Override when a proxy changes the URL', async () => {
		deals.set('901', deal('901', true, 'hubspot'));
		const proxied = 'https://hooks.example.com/crm';
		const body = events([stageChange(901)]);
		expect((await run(call(body, { signedUri: proxied }))).response.statusCode).toBe(401);
		const { result } = await run(call(body, { signedUri: proxied, options: { signedUrl: proxied } }));
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('answers 401 without an execution for a forged, stale or unsigned request, or without a secret', async () => {
		const body = events([stageChange(901)]);
		const forged = call(body, { secret: 'not-the-app-secret' });
		const stale = call(body, { timestamp: Date.now() - 10 * 60_000 });
		const unsigned = { ...call(body), headers: {} };
		const noSecret = call(body, { credentials: {} });
		for (const attempt of [forged, stale, unsigned, noSecret]) {
			const { result, response } = await run(attempt);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(401);
			expect(JSON.stringify(response.body)).not.toContain(HS_SECRET);
		}
		expect(getDeal).not.toHaveBeenCalled();
	});

	it('answers 400 naming the field for a signed but malformed body', async () => {
		const { response } = await run(call([{ eventId: 1, occurredAt: Date.now(), objectId: 5 }]));
		expect(response.statusCode).toBe(400);
		expect(response.body).toMatchObject({ error: 'malformed payload', field: expect.stringContaining('subscriptionType') });
		const notJson = await run({ ...call([]), ...hubspotRequest('not json'), provider: 'hubspot' });
		expect(notJson.response.statusCode).toBe(400);
	});

	it('ignores other events and not-won deals; never treats "closedwon" as won by name', async () => {
		deals.set('902', { ...deal('902', false, 'hubspot'), stageId: 'closedwon' });
		const body = events([{ subscriptionType: 'contact.creation', objectId: 5 }, { subscriptionType: 'deal.propertyChange', propertyName: 'amount', objectId: 902 }, stageChange(902)]);
		const { result } = await run(call(body));
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, accepted: 0, duplicates: 0, ignored: 3 });
		expect(getDeal).toHaveBeenCalledTimes(1);
	});

	it('drops redelivered event ids and fires once for creation plus stage change of one deal', async () => {
		deals.set('903', deal('903', true, 'hubspot'));
		const body = events([{ subscriptionType: 'deal.creation', objectId: 903 }, stageChange(903)]);
		const first = await run(call(body));
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		expect(getDeal).toHaveBeenCalledTimes(1);
		const again = await run(call(body));
		expect(again.result.workflowData).toBeUndefined();
		expect(again.result.webhookResponse).toMatchObject({ accepted: 0, duplicates: 2 });
	});

	it('answers 503 and releases the claims when the deal cannot be read', async () => {
		deals.set('904', new ConnectorError('rate_limited', 'HubSpot 429'));
		const body = events([stageChange(904)]);
		const failed = await run(call(body));
		expect(failed.result).toEqual({ noWebhookResponse: true });
		expect(failed.response.statusCode).toBe(503);
		deals.set('904', deal('904', true, 'hubspot'));
		expect((await run(call(body))).result.workflowData?.[0]).toHaveLength(1);
	});
});

describe('CRM Trigger — unusable credential', () => {
	it('asks both vendors to redeliver when the CRM connector cannot be built from the credential', async () => {
		(crmProviderFor as jest.Mock).mockRejectedValue(new Error('Invalid "clientId": expected a consumer key'));
		const sf = await run({ rawBody: salesforceBody({ organizationId: SF_ORG, notifications: [notification('04l1', OPP_A)] }), query: { token: OM_CURRENT } });
		expect(sf.response.statusCode).toBe(500);
		expect(String(sf.response.body)).toMatch(/Salesforce credential could not be used/);
		const hs = await run({ provider: 'hubspot', ...hubspotRequest([{ eventId: 1, portalId: 42, occurredAt: Date.now(), subscriptionType: 'deal.creation', objectId: 9 }]) });
		expect(hs.response.statusCode).toBe(503);
		expect(hs.result.workflowData).toBeUndefined();
	});
});

describe('CRM Trigger webhook lifecycle', () => {
	it('records the URL on create, reports it in checkExists and forgets it on delete', async () => {
		const staticData: Record<string, unknown> = {};
		const hook = { getWorkflowStaticData: () => staticData, getNodeWebhookUrl: () => WEBHOOK_URL } as unknown as IHookFunctions;
		const methods = trigger.webhookMethods.default;
		expect(await methods.checkExists.call(hook)).toBe(false);
		expect(await methods.create.call(hook)).toBe(true);
		expect(staticData.webhookUrl).toBe(WEBHOOK_URL);
		expect(await methods.checkExists.call(hook)).toBe(true);
		expect(await methods.delete.call(hook)).toBe(true);
		expect(await methods.checkExists.call(hook)).toBe(false);
	});

	it('shows the credential of the selected provider only', () => {
		expect(trigger.description.credentials).toEqual([
			{ name: 'salesforceCrmApi', required: true, displayOptions: { show: { provider: ['salesforce'] } } },
			{ name: 'hubspotCrmApi', required: true, displayOptions: { show: { provider: ['hubspot'] } } },
		]);
	});
});
