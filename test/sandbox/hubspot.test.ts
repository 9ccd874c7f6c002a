import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';

const { createHubspotFake } = require('../../sandbox/hubspot');

/** The HubSpot fake answers the real @hubspot/api-client as HubSpot would. */
describe('HubSpot sandbox fake', () => {
	let fake: any;
	let cred: any;
	const client = (token?: string) => new Client({ accessToken: token ?? cred.accessToken, basePath: cred.basePath, numberOfApiCallRetries: 0 });
	const wonStages = (pipelines: any[]) => pipelines.flatMap((p) => p.stages.filter((s: any) => s.metadata.isClosed === 'true' && Number(s.metadata.probability) === 1).map((s: any) => s.id));

	beforeAll(async () => {
		fake = createHubspotFake();
		await fake.listen();
	});
	afterAll(async () => {
		await fake.close();
	});
	beforeEach(() => {
		fake.reset();
		cred = fake.credentials().hubspotCrmApi;
	});

	it('hands out hubspotCrmApi credentials and answers account info', async () => {
		expect(cred).toMatchObject({ authentication: 'privateApp', basePath: fake.url, portalId: fake.portalId, accessToken: expect.stringMatching(/^pat-na1-/), appClientSecret: expect.any(String) });
		const response = await fetch(`${cred.basePath}/account-info/v3/details`, { headers: { Authorization: `Bearer ${cred.accessToken}` } });
		expect(await response.json()).toMatchObject({ portalId: Number(fake.portalId), companyCurrency: 'USD' });
	});

	it('refuses bad tokens with INVALID_AUTHENTICATION', async () => {
		await expect(client('pat-na1-nope').crm.deals.basicApi.getById('1')).rejects.toMatchObject({ code: 401, body: expect.objectContaining({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.any(String) }) });
	});

	it('refreshes OAuth tokens and expires them on demand', async () => {
		const oauth = fake.oauthCredentials().hubspotCrmApi;
		expect(oauth).toMatchObject({ authentication: 'oauth', clientId: expect.any(String), refreshToken: expect.any(String), basePath: fake.url });
		const tokens = await client('').oauth.tokensApi.create('refresh_token', undefined, undefined, oauth.clientId, oauth.clientSecret, oauth.refreshToken);
		expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: 1800, refreshToken: oauth.refreshToken });
		const deal = fake.seedDeal();
		expect((await client(tokens.accessToken).crm.deals.basicApi.getById(deal.id)).id).toBe(deal.id);
		const info = await fetch(`${cred.basePath}/oauth/v1/access-tokens/${tokens.accessToken}`);
		expect(await info.json()).toMatchObject({ hub_id: Number(fake.portalId), token_type: 'access' });
		fake.expireTokens();
		await expect(client(tokens.accessToken).crm.deals.basicApi.getById(deal.id)).rejects.toMatchObject({ code: 401, body: expect.objectContaining({ category: 'EXPIRED_AUTHENTICATION' }) });
		await expect(client('').oauth.tokensApi.create('refresh_token', undefined, undefined, oauth.clientId, oauth.clientSecret, 'bad')).rejects.toMatchObject({ code: 400, body: expect.objectContaining({ status: 'BAD_REFRESH_TOKEN' }) });
	});

	it('gets a deal with properties and associations, and updates it', async () => {
		const deal = fake.seedDeal({ dealname: 'Acme platform', amount: '1200.5' });
		const got = await client().crm.deals.basicApi.getById(deal.id, ['dealname', 'amount', 'dealstage', 'deal_currency_code', 'no_such_property'], undefined, ['companies']);
		expect(got.properties).toEqual({ dealname: 'Acme platform', amount: '1200.5', dealstage: 'contractsent', deal_currency_code: 'USD', createdate: expect.any(String), hs_lastmodifieddate: expect.any(String), hs_object_id: deal.id });
		expect(got.associations?.companies.results).toContainEqual(expect.objectContaining({ id: deal.companyId, type: 'deal_to_company' }));
		const owner = fake.seedOwner();
		const before = Date.parse(got.properties.hs_lastmodifieddate as string);
		const updated = await client().crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'closedwon', hubspot_owner_id: owner.id, amount: 99 as any } });
		expect(updated.properties).toMatchObject({ dealstage: 'closedwon', hubspot_owner_id: owner.id, amount: '99' });
		const after = await client().crm.deals.basicApi.getById(deal.id, ['hs_is_closed_won', 'hs_lastmodifieddate']);
		expect(after.properties.hs_is_closed_won).toBe('true');
		expect(Date.parse(after.properties.hs_lastmodifieddate as string)).toBeGreaterThan(before);
	});

	it('answers unknown deals and invalid properties with HubSpot error bodies', async () => {
		await expect(client().crm.deals.basicApi.getById('999')).rejects.toMatchObject({ code: 404, body: expect.objectContaining({ category: 'OBJECT_NOT_FOUND' }) });
		const deal = fake.seedDeal();
		const problems = [
			[{ colour: 'red' }, 'PROPERTY_DOESNT_EXIST', 'colour'],
			[{ dealstage: '1093785' }, 'INVALID_OPTION', 'dealstage'],
			[{ amount: 'lots' }, 'INVALID_FLOAT', 'amount'],
			[{ hubspot_owner_id: '1' }, 'INVALID_OWNER_ID', 'hubspot_owner_id'],
			[{ hs_lastmodifieddate: '0' }, 'READ_ONLY_VALUE', 'hs_lastmodifieddate'],
		] as const;
		for (const [properties, code, name] of problems) {
			await expect(client().crm.deals.basicApi.update(deal.id, { properties: properties as any })).rejects.toMatchObject({
				code: 400,
				body: expect.objectContaining({ category: 'VALIDATION_ERROR', errors: [expect.objectContaining({ code, context: { propertyName: [name] } })] }),
			});
		}
	});

	it('lists the default and a custom pipeline whose won stage has a numeric id', async () => {
		const { results } = await client().crm.pipelines.pipelinesApi.getAll('deals');
		expect(results.map((p) => p.id)).toEqual(['default', '684213']);
		expect(wonStages(results)).toEqual(['closedwon', '1093785']);
		const custom = results[1].stages.find((s) => s.id === '1093785');
		expect(custom?.metadata).toEqual({ isClosed: 'true', probability: '1.0' });
	});

	it('searches deals by won stages of every pipeline and modified-since, ascending, with the after cursor', async () => {
		const t0 = Date.now() - 1;
		const a = fake.seedDeal({ dealname: 'Alpha' });
		const b = fake.seedDeal({ dealname: 'Beta', dealstage: '1093781' });
		const c = fake.seedDeal({ dealname: 'Gamma' });
		fake.seedDeal({ dealname: 'Lost', dealstage: 'closedlost' });
		fake.moveDeal(c.id, 'closedwon');
		fake.moveDeal(b.id, '1093785');
		fake.moveDeal(a.id, 'closedwon');
		const { results: pipelines } = await client().crm.pipelines.pipelinesApi.getAll('deals');
		const request = (after?: string) =>
			client().crm.deals.searchApi.doSearch({
				filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'IN' as any, values: wonStages(pipelines) }, { propertyName: 'hs_lastmodifieddate', operator: 'GTE' as any, value: String(t0) }] }],
				sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] as any,
				properties: ['dealname', 'dealstage'],
				limit: 2,
				after,
			});
		const first = await request();
		expect(first.total).toBe(3);
		expect(first.results.map((r) => r.properties.dealname)).toEqual(['Gamma', 'Beta']);
		expect(first.paging?.next?.after).toBe('2');
		const second = await request(first.paging?.next?.after);
		expect(second.results.map((r) => r.properties.dealname)).toEqual(['Alpha']);
		expect(second.paging).toBeUndefined();
		const none = await client().crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GT' as any, value: new Date(Date.now() + 60_000).toISOString() }] }], limit: 10 } as any);
		expect(none.total).toBe(0);
	});

	it('supports NEQ, LT/LTE/GT, CONTAINS_TOKEN, query text and refuses limit > 200', async () => {
		fake.seedDeal({ dealname: 'Acme platform renewal', amount: '100' });
		fake.seedDeal({ dealname: 'Globex seats', amount: '200' });
		const names = async (filters: any[], query?: string) =>
			(await client().crm.deals.searchApi.doSearch({ filterGroups: filters.length ? [{ filters }] : [], query, properties: ['dealname'], sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }] as any, limit: 10 } as any)).results.map((r) => r.properties.dealname);
		expect(await names([{ propertyName: 'dealname', operator: 'NEQ', value: 'globex seats' }])).toEqual(['Acme platform renewal']);
		expect(await names([{ propertyName: 'amount', operator: 'LT', value: '200' }])).toEqual(['Acme platform renewal']);
		expect(await names([{ propertyName: 'amount', operator: 'LTE', value: '200' }])).toEqual(['Globex seats', 'Acme platform renewal']);
		expect(await names([{ propertyName: 'amount', operator: 'GT', value: '100' }])).toEqual(['Globex seats']);
		expect(await names([{ propertyName: 'dealname', operator: 'CONTAINS_TOKEN', value: 'platf*' }])).toEqual(['Acme platform renewal']);
		expect(await names([], 'glob')).toEqual(['Globex seats']);
		await expect(client().crm.deals.searchApi.doSearch({ filterGroups: [], limit: 201 } as any)).rejects.toMatchObject({ code: 400, body: expect.objectContaining({ category: 'VALIDATION_ERROR' }) });
		await expect(client().crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }] } as any)).rejects.toMatchObject({ code: 400 });
	});

	it('batch-updates up to 100 deals with per-record results', async () => {
		const a = fake.seedDeal();
		const b = fake.seedDeal();
		const ok = await client().crm.deals.batchApi.update({ inputs: [{ id: a.id, properties: { dealstage: 'closedwon' } }, { id: b.id, properties: { dealname: 'Renamed' } }] });
		expect(ok.status).toBe('COMPLETE');
		expect(ok.results.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
		const partial: any = await client().crm.deals.batchApi.update({ inputs: [{ id: a.id, properties: { dealname: 'Again' } }, { id: '404', properties: { dealname: 'x' } }] });
		expect(partial.results.map((r: any) => r.id)).toEqual([a.id]);
		expect(partial.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: ['404'] } })]);
		const inputs = Array.from({ length: 101 }, () => ({ id: a.id, properties: { dealname: 'x' } }));
		await expect(client().crm.deals.batchApi.update({ inputs })).rejects.toMatchObject({ code: 400 });
		await expect(client().crm.deals.batchApi.update({ inputs: [{ id: a.id, properties: { dealstage: 'nope' } }] })).rejects.toMatchObject({ code: 400, body: expect.objectContaining({ category: 'VALIDATION_ERROR' }) });
	});

	it('finds companies by domain and reads one', async () => {
		const acme = fake.seedCompany({ name: 'Acme', domain: 'acme.com' });
		fake.seedCompany({ name: 'Acme Labs', domain: 'acmelabs.com' });
		const found = await client().crm.companies.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ' as any, value: 'acme.com' }] }], properties: ['name', 'domain'], limit: 5 } as any);
		expect(found.results.map((r) => r.id)).toEqual([acme.id]);
		const got = await client().crm.companies.basicApi.getById(acme.id, ['name', 'website']);
		expect(got.properties).toMatchObject({ name: 'Acme', website: expect.stringContaining('https://') });
	});

	it('lists v4 associations with the primary label', async () => {
		const deal = fake.seedDeal();
		const page = await client().crm.associations.v4.basicApi.getPage('deals', deal.id, 'companies');
		expect(page.results).toEqual([
			expect.objectContaining({
				toObjectId: Number(deal.companyId),
				associationTypes: expect.arrayContaining([expect.objectContaining({ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }), expect.objectContaining({ typeId: 341, label: null })]),
			}),
		]);
		const lonely = fake.seedDeal({ companyId: null });
		expect((await client().crm.associations.v4.basicApi.getPage('deals', lonely.id, 'companies')).results).toEqual([]);
	});

	it('pages owners with paging.next.after', async () => {
		for (let i = 0; i < 3; i++) fake.seedOwner();
		const first = await client().crm.owners.ownersApi.getPage(undefined, undefined, 2);
		expect(first.results).toHaveLength(2);
		expect(first.paging?.next?.after).toBe('2');
		const second = await client().crm.owners.ownersApi.getPage(undefined, first.paging?.next?.after, 2);
		expect(second.results).toHaveLength(2);
		expect(second.paging).toBeUndefined();
		const byEmail = await client().crm.owners.ownersApi.getPage('integration@q2c-sandbox.example');
		expect(byEmail.results.map((o) => o.id)).toEqual(['41000001']);
	});

	it('creates a task associated to a deal and finds it by subject and deal', async () => {
		const deal = fake.seedDeal();
		const created = await client().crm.objects.tasks.basicApi.create({
			properties: { hs_task_subject: 'Kick-off [q2c:ab12]', hs_task_body: 'Call the customer', hs_timestamp: '2026-12-01T09:00:00Z', hubspot_owner_id: '41000001', hs_task_status: 'NOT_STARTED' },
			associations: [{ to: { id: deal.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as any, associationTypeId: 216 }] }],
		});
		expect(created.properties).toMatchObject({ hs_task_subject: 'Kick-off [q2c:ab12]', hs_task_status: 'NOT_STARTED' });
		const found = await client().crm.objects.tasks.searchApi.doSearch({
			filterGroups: [{ filters: [{ propertyName: 'hs_task_subject', operator: 'EQ' as any, value: 'Kick-off [q2c:ab12]' }, { propertyName: 'associations.deal', operator: 'EQ' as any, value: deal.id }] }],
			properties: ['hs_task_subject'],
			limit: 1,
		} as any);
		expect(found.results.map((r) => r.id)).toEqual([created.id]);
		const links = await client().crm.associations.v4.basicApi.getPage('tasks', created.id, 'deals');
		expect(links.results).toEqual([expect.objectContaining({ toObjectId: Number(deal.id), associationTypes: [expect.objectContaining({ typeId: 216 })] })]);
		await expect(client().crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'No due date' }, associations: [] })).rejects.toMatchObject({
			code: 400,
			body: expect.objectContaining({ errors: [expect.objectContaining({ code: 'REQUIRED_PROPERTY' })] }),
		});
		await expect(
			client().crm.objects.tasks.basicApi.create({ properties: { hs_timestamp: '2026-12-01T09:00:00Z' }, associations: [{ to: { id: '404' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as any, associationTypeId: 216 }] }] }),
		).rejects.toMatchObject({ code: 400 });
	});

	it('answers an injected 429 with a HubSpot rate-limit body', async () => {
		fake.app.addFaults({ route: 'POST /crm/v3/objects/{type}/search', times: 1, fault: { status: 429, retryAfter: 1 } });
		await expect(client().crm.deals.searchApi.doSearch({ filterGroups: [], limit: 1 } as any)).rejects.toMatchObject({ code: 429, body: expect.objectContaining({ policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' }) });
	});

	describe('webhooks (v3 signature)', () => {
		let receiver: http.Server;
		let url: string;
		let received: { headers: http.IncomingHttpHeaders; body: string; url: string }[];
		beforeAll(async () => {
			receiver = http.createServer((req, res) => {
				let body = '';
				req.on('data', (c) => (body += c));
				req.on('end', () => {
					received.push({ headers: req.headers, body, url: req.url || '' });
					const host = `http://${req.headers.host}${req.url}`;
					const expected = crypto.createHmac('sha256', cred.appClientSecret).update(`POST${host}${body}${req.headers['x-hubspot-request-timestamp']}`).digest('base64');
					const ok = expected === req.headers['x-hubspot-signature-v3'];
					res.writeHead(ok ? 204 : 401);
					res.end(ok ? '' : 'bad signature');
				});
			});
			await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
			url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/hubspot?workflow=a%20b`;
		});
		afterAll(() => new Promise((resolve) => receiver.close(resolve)));
		beforeEach(() => {
			received = [];
		});

		it('delivers deal stage changes signed with the app client secret', async () => {
			const deal = fake.seedDeal({ dealstage: '1093781' });
			fake.moveDeal(deal.id, '1093785');
			const result = await fake.deliverWebhook(url, [deal.id]);
			expect(result.status).toBe(204);
			const [delivery] = received;
			expect(delivery.headers['x-hubspot-signature-version']).toBe('v3');
			expect(Number(delivery.headers['x-hubspot-request-timestamp'])).toBeGreaterThan(Date.now() - 5000);
			const events = JSON.parse(delivery.body);
			expect(events).toEqual([
				expect.objectContaining({ subscriptionType: 'deal.propertyChange', objectId: Number(deal.id), propertyName: 'dealstage', propertyValue: '1093785', portalId: Number(fake.portalId), attemptNumber: 0, occurredAt: expect.any(Number) }),
			]);
			expect(fake.state().webhookDeliveries).toEqual([expect.objectContaining({ status: 204 })]);
		});

		it('forges or re-times signatures on request', async () => {
			const deal = fake.seedDeal();
			expect((await fake.deliverWebhook(url, [{ objectId: deal.id, propertyValue: 'closedwon' }], { forge: true })).status).toBe(401);
			const old = fake.webhookDelivery(url, [deal.id], { timestamp: 1_700_000_000_000 });
			expect(old.headers['X-HubSpot-Request-Timestamp']).toBe('1700000000000');
			const resigned = crypto.createHmac('sha256', cred.appClientSecret).update(`POST${url}${old.rawBody}1700000000000`).digest('base64');
			expect(old.headers['X-HubSpot-Signature-v3']).toBe(resigned);
			const other = fake.webhookDelivery(url, [deal.id], { secret: 'rotated' });
			expect(other.headers['X-HubSpot-Signature-v3']).not.toBe(fake.webhookDelivery(url, [deal.id]).headers['X-HubSpot-Signature-v3']);
		});
	});

	it('exposes seeding, stage moves and token expiry over admin HTTP', async () => {
		const admin = (path: string, body: unknown) => fetch(`${fake.url}/__sandbox/hubspot/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as any);
		const deal = await admin('seed-deal', { dealname: 'Via HTTP' });
		const moved = await admin('move-deal', { id: deal.id, stageId: '1093785' });
		expect(moved.properties).toMatchObject({ dealstage: '1093785', pipeline: '684213', hs_is_closed_won: 'true' });
		expect((await admin('move-deal', { id: deal.id, stageId: 'nope' })).error).toMatch(/Unknown stage/);
		expect(await admin('expire-tokens', {})).toEqual({ expired: true });
	});

	it('keeps credentials across reset but clears objects', async () => {
		const deal = fake.seedDeal();
		fake.reset();
		await expect(client().crm.deals.basicApi.getById(deal.id)).rejects.toMatchObject({ code: 404 });
		expect(fake.state().owners).toHaveLength(1);
	});
});
