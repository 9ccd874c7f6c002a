import { SuperAdminClient } from '../superAdminClient';
import { mapSuperAdminError } from '../errors';
import { API_KEY, api, errorBody, failure, makeClient, setupNock } from './helpers';

setupNock();

describe('client', () => {
	it('checks health with the credential', async () => {
		const { client } = makeClient({ baseUrl: 'https://admin.superadmin.test/' });
		api().get('/v1/health').matchHeader('authorization', `Bearer ${API_KEY}`).reply(200, { status: 'ok' });
		await expect(client.health()).resolves.toEqual({ status: 'ok' });
	});

	it.each([
		[{ baseUrl: 'admin.example.com', apiKey: 'k' }, 'baseUrl'],
		[{ baseUrl: '', apiKey: 'k' }, 'baseUrl'],
		[{ baseUrl: 'https://admin.example.com', apiKey: ' ' }, 'apiKey'],
	])('rejects a bad credential %#', (options, field) => {
		expect(() => new SuperAdminClient(options)).toThrow(expect.objectContaining({ kind: 'validation', field }));
	});

	it('does not retry GETs on a 400 and reports the message', async () => {
		const { client, sleeps } = makeClient();
		api().get('/v1/tenants').query(true).reply(400, errorBody('invalid_request', 'bad cursor', 'cursor'));
		const error = await failure(client.listTenants({ cursor: 'zzz' }));
		expect(error).toMatchObject({ kind: 'validation', field: 'cursor', code: 'invalid_request' });
		expect(sleeps).toEqual([]);
	});

	it('retries a reset connection on a read', async () => {
		const { client, sleeps } = makeClient();
		api().get('/v1/health').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		api().get('/v1/health').reply(200, { status: 'ok' });
		await expect(client.health()).resolves.toEqual({ status: 'ok' });
		expect(sleeps).toHaveLength(1);
	});

	it('falls back to status-based kinds for bodies without our error shape', () => {
		expect(mapSuperAdminError(403, 'Forbidden')).toBeUndefined();
		expect(mapSuperAdminError(400, { error: 'x' })).toBeUndefined();
		expect(mapSuperAdminError(418, { error: { code: 'teapot', message: '' } })).toEqual({ code: 'teapot' });
		expect(mapSuperAdminError(400, { error: { message: 'no code', field: 'a.b' } })).toEqual({ message: 'no code', field: 'a.b' });
	});
});
