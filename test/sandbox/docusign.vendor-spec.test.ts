import { createDocusignClient, type DocusignClient } from '../../connectors/docusign';
import { describeWithVendorSpecs } from '../support/vendorSpecs';

const { compareApis } = require('../../sandbox/core/conformance');
const { specLayerReport } = require('../../sandbox/core/vendorSpecs');
const { ownApi } = require('../../sandbox/docusign/api');
const { loadDocusignVendorSpec, toSpecPath } = require('../../sandbox/docusign/swagger');
const { createDocusignFake } = require('../../sandbox/docusign');

type Json = Record<string, any>;

/**
 * The DocuSign fake's own schema (sandbox/docusign/api.js) against DocuSign's published Swagger (v2), and live
 * traffic through the optional vendor-spec layer. Needs Q2C_VENDOR_SPECS; skipped (with the reason) without it.
 */

const operations = (doc: Json) => Object.values(doc.paths as Json).flatMap((item: Json) => Object.values(item)) as Json[];

describeWithVendorSpecs('DocuSign fake agrees with DocuSign’s published spec', () => {
	it('declares only endpoints and fields the spec documents, v2.1 additions marked newer', () => {
		const report = compareApis(ownApi, loadDocusignVendorSpec(), { mapPath: toSpecPath });
		console.log('DocuSign conformance', JSON.stringify(report, null, 2));
		expect(report.mismatches).toEqual([]);
		expect(report.notes).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^deliveryMode: newer than the spec file/),
				expect.stringMatching(/^events: newer than the spec file/),
				expect.stringMatching(/^eventData: newer than the spec file/),
				...['search_text', 'include', 'order', 'order_by'].map((name) => expect.stringMatching(new RegExp(`envelopes: query ${name}: newer than the spec file`))),
			]),
		);
		expect(report.compared).toHaveLength(operations(ownApi).length);
	});

	describe('live traffic through the vendor-spec layer', () => {
		const fake = createDocusignFake();
		let client: DocusignClient;
		let creds: Json;

		beforeAll(async () => {
			await fake.listen();
			creds = fake.credentials();
			client = createDocusignClient(creds.docusignApi, { retry: { retries: 0 }, rateLimit: { perSecond: 1000, burst: 1000 }, sleep: async () => undefined });
		});
		afterAll(() => fake.close());

		const counts = () => {
			const { on, stats } = specLayerReport();
			return { on, ...(stats.docusign ?? { checked: 0, rejected: 0, problems: [] }) } as { on: boolean; checked: number; rejected: number; problems: string[] };
		};

		it('checks representative requests against the spec and finds nothing to reject', async () => {
			const template = fake.seedTemplate({ name: 'Order form', roles: ['Signer'], textTabs: ['plan', 'seats'] });
			const before = counts();
			expect(before.on).toBe(true);

			// From a template, with text tabs and custom fields: a search by business key (custom_field, include, order), then the POST.
			const created = await client.createEnvelopeFromTemplate({
				businessKey: 'ORD-SPEC-1',
				templateId: template.templateId,
				emailSubject: 'Please sign ORD-SPEC-1',
				roles: [{ roleName: 'Signer', name: 'Ada Buyer', email: 'ada@example.com', tabs: { plan: 'Pro', seats: '10' } }],
				customFields: { dealId: 'D-1' },
			});
			expect(created).toMatchObject({ created: true, status: 'sent' });
			// List with search_text, count, start_position, order, order_by.
			expect((await client.listEnvelopes({ query: 'ORD-SPEC', limit: 5 })).items.map((e) => e.envelopeId)).toEqual([created.envelopeId]);
			expect((await client.listTemplates({ query: 'order', limit: 10 })).items.map((t) => t.id)).toEqual([template.templateId]);
			const { connectId } = await client.createConnectConfig({ name: 'q2c-spec', url: 'http://127.0.0.1:9/hook', events: ['envelope-completed', 'envelope-declined'] });
			expect(fake.state().connectConfigurations).toEqual([expect.objectContaining({ connectId, deliveryMode: 'SIM', includeHMAC: 'true' })]);

			const after = counts();
			expect(after.checked - before.checked).toBe(5);
			expect(after.rejected).toBe(before.rejected);
			expect(after.problems.slice(before.problems.length)).toEqual([]);
		});

		it('still answers our own schema’s errors first, without the vendor-spec suffix', async () => {
			const before = counts();
			const token = await client.getAccessToken();
			const response = await fetch(`${creds.docusignApi.basePath}/v2.1/accounts/${creds.docusignApi.accountId}/templates?serch_text=x`, { headers: { Authorization: `Bearer ${token}` } });
			expect(response.status).toBe(400);
			const body = (await response.json()) as Json;
			expect(body).toEqual({ errorCode: 'INVALID_REQUEST_PARAMETER', message: expect.stringContaining('serch_text') });
			expect(body.message).not.toContain('published spec');
			expect(counts().checked).toBe(before.checked); // refused before the vendor check
		});
	});
});

/** The layer's rejection path, with a small stand-in spec of our own (stricter than ours) so it runs without the files. */
describe('DocuSign vendor-spec layer: a request our schema takes but the vendor spec refuses', () => {
	const accountId = { name: 'accountId', in: 'path', required: true, schema: { type: 'string' } };
	const jsonBody = (properties: Json) => ({ content: { 'application/json': { schema: { type: 'object', properties } } } });
	const standIn = {
		openapi: '3.0.3',
		paths: {
			'/v2/accounts/{accountId}/templates': { get: { parameters: [accountId, { name: 'search_text', in: 'query', schema: { type: 'string', maxLength: 3 } }] } },
			'/v2/accounts/{accountId}/envelopes': { post: { parameters: [accountId], requestBody: jsonBody({ templateId: { type: 'string' }, emailSubject: { type: 'string', maxLength: 5 } }) } },
			// No deliveryMode, events or eventData, like DocuSign's v2 file: api.js marks them newer, so they are not sent here.
			'/v2/accounts/{accountId}/connect': { post: { parameters: [accountId], requestBody: jsonBody({ name: { type: 'string' }, urlToPublishTo: { type: 'string' } }) } },
		},
	};
	const fake = createDocusignFake({ vendorSpec: standIn });
	let rest = '';
	let headers: Record<string, string> = {};
	beforeAll(async () => {
		await fake.listen();
		const { docusignApi } = fake.credentials();
		rest = `${docusignApi.basePath}/v2.1/accounts/${docusignApi.accountId}`;
		headers = { Authorization: `Bearer ${await createDocusignClient(docusignApi).getAccessToken()}`, 'Content-Type': 'application/json' };
	});
	afterAll(() => fake.close());

	const call = async (method: string, path: string, body?: Json) => {
		const response = await fetch(`${rest}${path}`, { method, headers, body: body && JSON.stringify(body) });
		return { status: response.status, body: (await response.json()) as Json };
	};

	it('answers DocuSign’s 400 shape, suffixed, records the rejections, and leaves fields marked newer to our schema', async () => {
		const stats = () => specLayerReport().stats.docusign ?? { checked: 0, rejected: 0 };
		const before = stats();
		const template = fake.seedTemplate();
		expect(await call('GET', '/templates?search_text=order')).toEqual({
			status: 400,
			body: { errorCode: 'INVALID_REQUEST_PARAMETER', message: "The request contained at least one invalid parameter. Invalid search_text: must be at most 3 characters (per DocuSign's published spec)" },
		});
		const envelope = await call('POST', '/envelopes', { templateId: template.templateId, emailSubject: 'Too long' });
		expect(envelope).toMatchObject({ status: 400, body: { errorCode: 'INVALID_REQUEST_BODY', message: expect.stringMatching(/\(emailSubject\) \(per DocuSign's published spec\)$/) } });
		expect(fake.state().envelopes).toEqual([]); // refused before the handler ran
		const list = await call('GET', '/connect');
		expect(list.body.message).toMatch(/DocuSign's spec has no GET \/v2\/accounts\/[^/]+\/connect\. \(per DocuSign's published spec\)$/);
		const created = await call('POST', '/connect', { name: 'q2c', urlToPublishTo: 'http://127.0.0.1:9/hook', deliveryMode: 'SIM', events: ['envelope-completed'], eventData: { version: 'restv2.1', format: 'json', includeData: ['recipients'] } });
		expect(created).toMatchObject({ status: 201, body: { events: ['envelope-completed'], deliveryMode: 'SIM' } });
		const after = stats();
		expect([after.checked - before.checked, after.rejected - before.rejected]).toEqual([4, 3]);
	});
});
