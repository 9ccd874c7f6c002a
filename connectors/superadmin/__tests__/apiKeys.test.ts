import { idempotencyKey, redact } from '../../core';
import { generateApiKeyStep } from '../apiKeys/generate';
import { revokeApiKeyStep } from '../apiKeys/revoke';
import { api, errorBody, failure, makeClient, setupNock } from './helpers';

setupNock();

const NEW_SECRET = 'tnk_live_9f8e7d6c5b4a39281706';
const keyInfo = { id: 'key_1', name: 'billing-sync', prefix: 'tnk_live_9f8', scopes: ['billing:read'], createdAt: '2025-01-01T00:00:00Z' };

describe('api keys', () => {
	it('generates a key, returns the secret once and registers it for redaction', async () => {
		const { client } = makeClient();
		const key = idempotencyKey('CTR-1', generateApiKeyStep('billing-sync'));
		api()
			.post('/v1/tenants/tn_1/api-keys', { businessKey: 'CTR-1', name: 'billing-sync', scopes: ['billing:read'] })
			.matchHeader('idempotency-key', key)
			.reply(201, { ...keyInfo, secret: NEW_SECRET });
		const result = await client.generateApiKey({ tenantId: 'tn_1', businessKey: 'CTR-1', name: 'billing-sync', scopes: ['billing:read'] });
		expect(result.secret).toBe(NEW_SECRET);
		expect(result.secretReturned).toBe(true);
		expect(result.apiKey).toEqual({ ...keyInfo });
		expect(JSON.stringify(result.apiKey)).not.toContain(NEW_SECRET);
		// Anything else that carries it (logs, receipts, errors) is masked from now on.
		expect(redact(`copied ${NEW_SECRET} into a log`)).toBe('copied [redacted] into a log');
		expect(redact(result)).toMatchObject({ secret: '[redacted]' });
	});

	it('reports secretReturned:false on an idempotent replay without a secret', async () => {
		const { client } = makeClient();
		api().post('/v1/tenants/tn_1/api-keys').reply(200, keyInfo);
		const result = await client.generateApiKey({ tenantId: 'tn_1', businessKey: 'CTR-1', name: 'billing-sync', expiresAt: '2026-01-01T00:00:00Z' });
		expect(result.secretReturned).toBe(false);
		expect('secret' in result).toBe(false);
	});

	it('sends expiresAt and validates it', async () => {
		const { client } = makeClient();
		api()
			.post('/v1/tenants/tn_1/api-keys', { businessKey: 'C', name: 'n', scopes: [], expiresAt: '2026-01-01T00:00:00Z' })
			.reply(201, { ...keyInfo, secret: 'another_secret_value_123' });
		await client.generateApiKey({ tenantId: 'tn_1', businessKey: 'C', name: 'n', expiresAt: '2026-01-01T00:00:00Z' });
		expect((await failure(client.generateApiKey({ tenantId: 'tn_1', businessKey: 'C', name: 'n', expiresAt: 'tomorrow' }))).field).toBe('expiresAt');
		expect((await failure(client.generateApiKey({ tenantId: 'tn_1', businessKey: 'C', name: '' }))).field).toBe('name');
	});

	it('does not leak a secret the platform echoes in an error', async () => {
		const { client } = makeClient();
		api().post('/v1/tenants/tn_1/api-keys').reply(409, { error: { code: 'already_exists', message: 'exists', secret: 'leaky-secret-123456' } });
		const error = await failure(client.generateApiKey({ tenantId: 'tn_1', businessKey: 'C', name: 'dup' }));
		expect(error.kind).toBe('conflict');
		expect(JSON.stringify(error.toJSON())).not.toContain('leaky-secret-123456');
	});

	it('revokes a key with DELETE and a stable key', async () => {
		const { client } = makeClient();
		const key = idempotencyKey('CTR-1', revokeApiKeyStep('key_1'));
		api()
			.delete('/v1/tenants/tn_1/api-keys/key_1')
			.matchHeader('idempotency-key', key)
			.reply(200, { ...keyInfo, revokedAt: '2025-02-01T00:00:00Z' });
		const result = await client.revokeApiKey({ tenantId: 'tn_1', businessKey: 'CTR-1', keyId: 'key_1' });
		expect(result).toEqual({ tenantId: 'tn_1', businessKey: 'CTR-1', apiKey: expect.objectContaining({ id: 'key_1', revokedAt: '2025-02-01T00:00:00Z' }), idempotencyKey: key });
	});

	it('maps an unknown key to not_found and rejects a key id with a slash', async () => {
		const { client } = makeClient();
		api().delete('/v1/tenants/tn_1/api-keys/key_9').reply(404, errorBody('api_key_not_found', 'No key'));
		expect((await failure(client.revokeApiKey({ tenantId: 'tn_1', businessKey: 'C', keyId: 'key_9' }))).kind).toBe('not_found');
		expect((await failure(client.revokeApiKey({ tenantId: 'tn_1', businessKey: 'C', keyId: 'a/b' }))).field).toBe('keyId');
	});

	describe('a replay without the secret', () => {
		const input = { tenantId: 'tn_1', businessKey: 'CTR-1', name: 'billing-sync' };
		const gen = (n: number) => idempotencyKey('CTR-1', generateApiKeyStep('billing-sync', n));
		const replay = (id: string, more: Record<string, unknown> = {}) => ({ ...keyInfo, id, createdAt: new Date().toISOString(), secretReturned: false, ...more });

		it('after a gateway lost the answer (502): revokes that key and returns the next generation with its secret', async () => {
			const { client } = makeClient();
			api().post('/v1/tenants/tn_1/api-keys').matchHeader('idempotency-key', gen(0)).reply(502, 'Bad Gateway');
			api().post('/v1/tenants/tn_1/api-keys').matchHeader('idempotency-key', gen(0)).reply(200, replay('key_1'));
			api().delete('/v1/tenants/tn_1/api-keys/key_1').matchHeader('idempotency-key', idempotencyKey('CTR-1', revokeApiKeyStep('key_1'))).reply(200, { ...keyInfo, revokedAt: '2025-02-01T00:00:00Z' });
			api().post('/v1/tenants/tn_1/api-keys').matchHeader('idempotency-key', gen(1)).reply(201, { ...keyInfo, id: 'key_2', secret: NEW_SECRET, secretReturned: true });
			const result = await client.generateApiKey(input);
			expect(result).toMatchObject({ secret: NEW_SECRET, secretReturned: true, generation: 1, replacedKeyIds: ['key_1'], idempotencyKey: gen(1), apiKey: { id: 'key_2' } });
			expect(result.apiKey).not.toHaveProperty('secretReturned');
		});

		it("keeps the key when the platform itself answered every failed attempt, or the key is older than the call", async () => {
			const { client } = makeClient();
			api().post('/v1/tenants/tn_1/api-keys').reply(429, errorBody('rate_limited', 'slow down'), { 'Retry-After': '0' });
			api().post('/v1/tenants/tn_1/api-keys').reply(200, replay('key_1'));
			expect(await client.generateApiKey(input)).toMatchObject({ secretReturned: false, generation: 0, replacedKeyIds: [], apiKey: { id: 'key_1' } });

			api().post('/v1/tenants/tn_1/api-keys').replyWithError({ code: 'ECONNRESET', message: 'reset' });
			api().post('/v1/tenants/tn_1/api-keys').reply(200, replay('key_1', { createdAt: '2020-01-01T00:00:00Z' }));
			expect(await client.generateApiKey(input)).toMatchObject({ secretReturned: false, replacedKeyIds: [], apiKey: { id: 'key_1' } });
		});

		it('goes on past a revoked key to the next generation', async () => {
			const { client } = makeClient();
			api().post('/v1/tenants/tn_1/api-keys').matchHeader('idempotency-key', gen(0)).reply(200, replay('key_1', { revokedAt: '2025-02-01T00:00:00Z' }));
			api().post('/v1/tenants/tn_1/api-keys').matchHeader('idempotency-key', gen(1)).reply(200, replay('key_2'));
			expect(await client.generateApiKey(input)).toMatchObject({ secretReturned: false, generation: 1, replacedKeyIds: [], apiKey: { id: 'key_2' } });
		});

		it('names the key left live when revoking it fails', async () => {
			const { client } = makeClient({ retry: { jitter: 0, retries: 0 } });
			api().post('/v1/tenants/tn_1/api-keys').reply(200, replay('key_1'));
			api().delete('/v1/tenants/tn_1/api-keys/key_1').reply(403, errorBody('forbidden', 'no'));
			const error = await failure(client.generateApiKey({ ...input, ifSecretNotShown: 'replace' }));
			expect(error).toMatchObject({ kind: 'auth', code: 'api_key_secret_lost', details: { keyId: 'key_1' } });
			expect(error.message).toContain('key_1');
		});

		it('gives up after ten generations without a usable secret', async () => {
			const { client } = makeClient();
			api().post('/v1/tenants/tn_1/api-keys').times(10).reply(200, replay('key_x', { revokedAt: '2025-02-01T00:00:00Z' }));
			expect(await failure(client.generateApiKey(input))).toMatchObject({ kind: 'conflict', field: 'name' });
		});
	});
});
