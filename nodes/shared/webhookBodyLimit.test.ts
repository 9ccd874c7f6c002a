/**
 * Every webhook trigger answers a delivery over its vendor's size limit with 413 before verifying or parsing it,
 * and starts nothing; a delivery of exactly the limit goes on to verification.
 */
import type { IWebhookFunctions } from 'n8n-workflow';
import { verifyAutomationsWebhook, verifyMarketplaceWebhook } from '../../connectors/vmf';
import { parseConnectEvent, verifyConnectSignature } from '../../connectors/docusign';
import { parseHubspotEvents, verifyHubspotSignatureV3 } from '../../connectors/crm/hubspot';
import { parseOutboundMessage } from '../../connectors/crm/salesforce';
import { CrmTrigger } from '../CrmTrigger/CrmTrigger.node';
import { DocusignTrigger } from '../DocusignTrigger/DocusignTrigger.node';
import { VmfTrigger } from '../VmfTrigger/VmfTrigger.node';
import { OM_CURRENT } from '../CrmTrigger/__tests__/vendors';
import { dedupeStores, MAX_DELIVERY_BYTES } from './webhookTrigger';

// The real verifiers and parsers, watched: an oversized delivery must reach none of them.
jest.mock('../../connectors/vmf', () => {
	const actual = jest.requireActual('../../connectors/vmf');
	return { ...actual, verifyMarketplaceWebhook: jest.fn(actual.verifyMarketplaceWebhook), verifyAutomationsWebhook: jest.fn(actual.verifyAutomationsWebhook) };
});
jest.mock('../../connectors/docusign', () => {
	const actual = jest.requireActual('../../connectors/docusign');
	return { ...actual, verifyConnectSignature: jest.fn(actual.verifyConnectSignature), parseConnectEvent: jest.fn(actual.parseConnectEvent) };
});
jest.mock('../../connectors/crm/hubspot', () => {
	const actual = jest.requireActual('../../connectors/crm/hubspot');
	return { ...actual, verifyHubspotSignatureV3: jest.fn(actual.verifyHubspotSignatureV3), parseHubspotEvents: jest.fn(actual.parseHubspotEvents) };
});
jest.mock('../../connectors/crm/salesforce', () => {
	const actual = jest.requireActual('../../connectors/crm/salesforce');
	return { ...actual, parseOutboundMessage: jest.fn(actual.parseOutboundMessage) };
});

interface Case {
	name: string;
	trigger: { webhook: (this: IWebhookFunctions) => Promise<unknown> };
	limit: number;
	params: Record<string, unknown>;
	query?: Record<string, string>;
	/** What reads the body, first the step the size check must come before. */
	readers: unknown[];
	/** The Salesforce listener checks its URL token first: that needs the credential but not the body. */
	credentialBeforeSize?: boolean;
}

const cases: Case[] = [
	{ name: 'VMF Trigger, Marketplace JWT', trigger: new VmfTrigger(), limit: MAX_DELIVERY_BYTES.vmf, params: { source: 'marketplacePurchase' }, readers: [verifyMarketplaceWebhook] },
	{ name: 'VMF Trigger, Automations', trigger: new VmfTrigger(), limit: MAX_DELIVERY_BYTES.vmf, params: { source: 'automations' }, readers: [verifyAutomationsWebhook] },
	{ name: 'DocuSign Trigger', trigger: new DocusignTrigger(), limit: MAX_DELIVERY_BYTES.docusign, params: { events: [] }, readers: [verifyConnectSignature, parseConnectEvent] },
	{ name: 'CRM Trigger, HubSpot', trigger: new CrmTrigger(), limit: MAX_DELIVERY_BYTES.hubspot, params: { provider: 'hubspot' }, readers: [verifyHubspotSignatureV3, parseHubspotEvents] },
	{
		name: 'CRM Trigger, Salesforce',
		trigger: new CrmTrigger(),
		limit: MAX_DELIVERY_BYTES.salesforce,
		params: { provider: 'salesforce' },
		query: { token: OM_CURRENT },
		readers: [parseOutboundMessage],
		credentialBeforeSize: true,
	},
];

function context(call: { params: Record<string, unknown>; rawBody?: Buffer; headers?: Record<string, string>; query?: Record<string, string> }) {
	const response = { statusCode: 200, body: undefined as unknown };
	const res = {
		status: (code: number) => ((response.statusCode = code), res),
		type: () => res,
		json: (body: unknown) => ((response.body = body), res),
		send: (body: unknown) => ((response.body = body), res),
	};
	const params: Record<string, unknown> = { options: { dedupeDir: '/nonexistent/never-used' }, ...call.params };
	const getCredentials = jest.fn(async () => ({ outboundMessageToken: OM_CURRENT, organizationId: '00D5g000000AbCdEAF', appClientSecret: 'hs-secret', hmacKey: 'hmac-key', verifierToken: 'tok', marketplaceAppIds: 'MP-1' }));
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => params[name] ?? fallback,
		getCredentials,
		getQueryData: () => call.query ?? {},
		getRequestObject: () => ({ rawBody: call.rawBody, body: {}, originalUrl: '/webhook/abc/webhook' }),
		getResponseObject: () => res,
		getHeaderData: () => call.headers ?? {},
		getBodyData: () => ({}),
		getWorkflow: () => ({ id: 'wf-1' }),
		getNodeWebhookUrl: () => 'https://n8n.example/webhook/abc/webhook',
		getWebhookResourceUrl: () => 'https://n8n.example/webhook/abc/webhook',
		getNode: () => ({ name: 'Trigger' }),
		logger: { warn: jest.fn(), error: jest.fn() },
	} as unknown as IWebhookFunctions;
	return { ctx, response, getCredentials };
}

const createStore = jest.spyOn(dedupeStores, 'create');
beforeEach(() => jest.clearAllMocks());

describe.each(cases)('$name', ({ trigger, limit, params, query, readers, credentialBeforeSize }) => {
	it(`answers 413 to a body one byte over ${limit} bytes, before reading it, and starts nothing`, async () => {
		const { ctx, response, getCredentials } = context({ params, query, rawBody: Buffer.alloc(limit + 1, 'x') });
		const result = (await trigger.webhook.call(ctx)) as { workflowData?: unknown };
		expect(response.statusCode).toBe(413);
		expect(JSON.stringify(response.body)).toContain(`at most ${limit} bytes, this one has ${limit + 1}`);
		expect(result.workflowData).toBeUndefined();
		for (const reader of readers) expect(reader).not.toHaveBeenCalled();
		expect(getCredentials).toHaveBeenCalledTimes(credentialBeforeSize ? 1 : 0);
		expect(createStore).not.toHaveBeenCalled();
	});

	it('lets a body of exactly the limit go on to verification', async () => {
		const { ctx, response } = context({ params, query, rawBody: Buffer.alloc(limit, 'x') });
		await trigger.webhook.call(ctx);
		expect(response.statusCode).not.toBe(413);
		expect(readers[0]).toHaveBeenCalled();
	});
});

it('judges by Content-Length when n8n kept no raw body', async () => {
	const { ctx, response } = context({ params: { source: 'automations' }, headers: { 'content-length': String(MAX_DELIVERY_BYTES.vmf + 1) } });
	await new VmfTrigger().webhook.call(ctx);
	expect(response.statusCode).toBe(413);
	expect(response.body).toMatchObject({ error: 'payload too large', limitBytes: MAX_DELIVERY_BYTES.vmf });
	expect(verifyAutomationsWebhook).not.toHaveBeenCalled();
});
