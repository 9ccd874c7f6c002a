import { idempotencyKey } from '../../core';
import { TENANT_CREATE_STEP, createTenant } from '../tenants/create';
import { API_KEY, api, errorBody, failure, makeClient, setupNock } from './helpers';

setupNock();

const tenant = { id: 'tn_1', name: 'Rovers FC', status: 'active', tier: 'professional', ownerEmail: 'owner@rovers.example', createdAt: '2025-01-01T00:00:00Z' };

describe('tenants', () => {
	it('gets a tenant by id with the bearer key and parses it', async () => {
		const { client } = makeClient();
		api()
			.get('/v1/tenants/tn_1')
			.matchHeader('authorization', `Bearer ${API_KEY}`)
			.matchHeader('accept', 'application/json')
			.reply(200, { ...tenant, plan: 'kept' });
		const result = await client.getTenant('tn_1');
		expect(result).toMatchObject({ id: 'tn_1', name: 'Rovers FC', status: 'active', plan: 'kept' });
	});

	it('sends X-Api-Key instead when asked', async () => {
		const { client } = makeClient({ authScheme: 'x-api-key' });
		api()
			.get('/v1/tenants/tn_1')
			.matchHeader('x-api-key', API_KEY)
			.matchHeader('authorization', (value) => value === undefined)
			.reply(200, tenant);
		await expect(client.getTenant('tn_1')).resolves.toMatchObject({ id: 'tn_1' });
	});

	it('rejects a tenant id that would change the URL before any call', async () => {
		const { client } = makeClient();
		const error = await failure(client.getTenant('../admin'));
		expect(error.kind).toBe('validation');
		expect(error.field).toBe('tenantId');
	});

	it('maps 404 tenant_not_found to not_found with the code and message', async () => {
		const { client } = makeClient();
		api().get('/v1/tenants/nope').reply(404, errorBody('tenant_not_found', 'No tenant nope'));
		const error = await failure(client.getTenant('nope'));
		expect(error.kind).toBe('not_found');
		expect(error.code).toBe('tenant_not_found');
		expect(error.status).toBe(404);
		expect(error.message).toContain('No tenant nope (tenant_not_found)');
	});

	it('fails clearly on a response of the wrong shape', async () => {
		const { client } = makeClient();
		api().get('/v1/tenants/tn_1').reply(200, { name: 'no id' });
		const error = await failure(client.getTenant('tn_1'));
		expect(error.kind).toBe('permanent');
		expect(error.message).toContain('unexpected shape');
	});

	it('lists tenants with query, limit and cursor', async () => {
		const { client } = makeClient();
		api()
			.get('/v1/tenants')
			.query({ query: 'rov', limit: '10', cursor: 'c1' })
			.reply(200, { data: [tenant], nextCursor: 'c2' });
		const page = await client.listTenants({ query: 'rov', limit: 10, cursor: 'c1' });
		expect(page.data.map((t) => t.id)).toEqual(['tn_1']);
		expect(page.nextCursor).toBe('c2');
	});

	it('lists with the default limit and no empty query', async () => {
		const { client } = makeClient();
		api().get('/v1/tenants').query({ limit: '50' }).reply(200, { data: [] });
		await expect(client.listTenants({ query: '' })).resolves.toEqual({ data: [] });
	});

	it('creates a tenant with an idempotency key from the contract id', async () => {
		const { client } = makeClient();
		const key = idempotencyKey('CTR-1', TENANT_CREATE_STEP);
		api()
			.post('/v1/tenants', {
				businessKey: 'CTR-1',
				name: 'Rovers FC',
				ownerEmail: 'owner@rovers.example',
				tier: 'professional',
				country: 'GB',
				subdomain: 'rovers',
			})
			.matchHeader('idempotency-key', key)
			.matchHeader('content-type', /application\/json/)
			.reply(201, tenant);
		const result = await client.createTenant({
			businessKey: 'CTR-1',
			name: 'Rovers FC',
			ownerEmail: 'owner@rovers.example',
			tier: 'Professional',
			country: 'gb',
			subdomain: 'rovers',
		});
		expect(result).toEqual({ tenant: expect.objectContaining({ id: 'tn_1' }), idempotencyKey: key });
	});

	it('uses the same key for a redelivery and retries a 503 honouring Retry-After', async () => {
		const { client, sleeps } = makeClient();
		const input = { businessKey: 'CTR-2', name: 'A', ownerEmail: 'a@b.example', tier: 'grassroots' };
		const keys: string[] = [];
		api()
			.post('/v1/tenants')
			.times(2)
			.reply(function () {
				keys.push(this.req.headers['idempotency-key'] as string);
				return keys.length === 1 ? [503, errorBody('unavailable', 'busy'), { 'Retry-After': '3' }] : [200, tenant];
			});
		await client.createTenant(input);
		expect(sleeps).toEqual([3000]);
		expect(keys[0]).toBe(keys[1]);
		expect(keys[0]).toBe(idempotencyKey('CTR-2', TENANT_CREATE_STEP));
	});

	it.each([
		[{ businessKey: '', name: 'A', ownerEmail: 'a@b.example', tier: 'grassroots' }, 'businessKey'],
		[{ businessKey: 'C', name: 'A', ownerEmail: 'not-an-email', tier: 'grassroots' }, 'ownerEmail'],
		[{ businessKey: 'C', name: 'A', ownerEmail: 'a@b.example', tier: 'grassroots', country: 'GBR' }, 'country'],
		[{ businessKey: 'C', name: 'A', ownerEmail: 'a@b.example', tier: 'grassroots', subdomain: 'My Club' }, 'subdomain'],
		[{ businessKey: 'C', name: 'A', ownerEmail: 'a@b.example', tier: 'grassroots', colour: 'red' }, ''],
	])('rejects invalid input #%# before any call', async (input, field) => {
		const { client } = makeClient();
		const error = await failure(client.createTenant(input as never));
		expect(error.kind).toBe('validation');
		if (field) expect(error.field).toBe(field);
		expect(error.status).toBeUndefined();
	});

	it('requires a World Class contract to run at least two years (seed 004)', async () => {
		const { client } = makeClient();
		const now = new Date('2025-06-01T00:00:00Z');
		const base = { businessKey: 'C', name: 'Federation', ownerEmail: 'a@b.example', tier: 'world_class' };
		const error = await failure(createTenant(client.transport, { ...base, contractEndDate: '2026-06-01' }, now));
		expect(error.field).toBe('contractEndDate');
		expect(error.message).toContain('2027-06-01');
		api().post('/v1/tenants').reply(201, tenant);
		await expect(createTenant(client.transport, { ...base, contractEndDate: '2027-06-01' }, now)).resolves.toBeDefined();
	});

	it('maps a validation answer with its field', async () => {
		const { client } = makeClient();
		api().post('/v1/tenants').reply(422, errorBody('validation_error', 'Subdomain taken', 'subdomain'));
		const error = await failure(client.createTenant({ businessKey: 'C', name: 'A', ownerEmail: 'a@b.example', tier: 'grassroots', subdomain: 'x' }));
		expect(error).toMatchObject({ kind: 'validation', field: 'subdomain', status: 422, code: 'validation_error' });
	});
});
