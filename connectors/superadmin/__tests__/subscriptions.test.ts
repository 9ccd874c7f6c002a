import { idempotencyKey } from '../../core';
import { changeEditionStep } from '../subscriptions/changeEdition';
import { SUBSCRIPTION_DISABLE_STEP } from '../subscriptions/disable';
import { SUBSCRIPTION_ENABLE_STEP } from '../subscriptions/enable';
import { flagsForTier, loadTierMatrix, parseTierMatrix } from '../tierMatrix';
import bundled from '../tier-matrix.json';
import { api, errorBody, failure, makeClient, setupNock } from './helpers';

setupNock();

const active = { tenantId: 'tn_1', status: 'active', edition: 'EDITION-PRO', tier: 'professional', businessKey: 'CTR-1' };
const disabled = { ...active, status: 'disabled' };

describe('subscription.enable', () => {
	it('enables with the tier flags in one request keyed by contract + step', async () => {
		const { client } = makeClient();
		const key = idempotencyKey('CTR-1', SUBSCRIPTION_ENABLE_STEP);
		const expectedFlags = flagsForTier(loadTierMatrix(), 'professional');
		api()
			.post('/v1/tenants/tn_1/subscription/enable', { businessKey: 'CTR-1', edition: 'EDITION-PRO', tier: 'professional', featureFlags: expectedFlags })
			.matchHeader('idempotency-key', key)
			.reply(200, { subscription: active, changed: true });
		const result = await client.enableSubscription({ tenantId: 'tn_1', businessKey: 'CTR-1', edition: 'EDITION-PRO', tier: 'Professional' });
		expect(result).toEqual({
			tenantId: 'tn_1',
			businessKey: 'CTR-1',
			subscription: active,
			featureFlags: expectedFlags,
			changed: true,
			idempotencyKey: key,
		});
		expect(result.featureFlags.flags.sports_medicine).toBe('full');
	});

	it('gives each attempt at a contract its own keys for enable and disable, so a re-run is not answered with the compensated state', async () => {
		const { client } = makeClient();
		const keys: string[] = [];
		const record = function (this: { req: { headers: Record<string, unknown> } }) {
			keys.push(this.req.headers['idempotency-key'] as string);
			return [200, { subscription: active, changed: true }] as [number, unknown];
		};
		api().post('/v1/tenants/tn_1/subscription/enable').times(2).reply(record);
		api().post('/v1/tenants/tn_1/subscription/disable').reply(record);
		const input = { tenantId: 'tn_1', businessKey: 'CTR-1', edition: 'EDITION-PRO', tier: 'professional' };
		await client.enableSubscription(input);
		await client.enableSubscription({ ...input, attempt: 1 });
		await client.disableSubscription({ tenantId: 'tn_1', businessKey: 'CTR-1', attempt: 1 });
		expect(keys).toEqual([
			idempotencyKey('CTR-1', SUBSCRIPTION_ENABLE_STEP),
			idempotencyKey('CTR-1', `${SUBSCRIPTION_ENABLE_STEP}.attempt-1`),
			idempotencyKey('CTR-1', `${SUBSCRIPTION_DISABLE_STEP}.attempt-1`),
		]);
	});

	it('reports a replay as changed:false and keeps the key stable', async () => {
		const { client } = makeClient();
		const keys: string[] = [];
		api()
			.post('/v1/tenants/tn_1/subscription/enable')
			.times(2)
			.reply(function () {
				keys.push(this.req.headers['idempotency-key'] as string);
				return [200, { subscription: active, changed: keys.length === 1 }];
			});
		const input = { tenantId: 'tn_1', businessKey: 'CTR-1', edition: 'EDITION-PRO', tier: 'professional' };
		expect((await client.enableSubscription(input)).changed).toBe(true);
		expect((await client.enableSubscription(input)).changed).toBe(false);
		expect(keys[0]).toBe(keys[1]);
	});

	it('applies an edited matrix passed by the caller', async () => {
		const { client } = makeClient();
		const edited = JSON.parse(JSON.stringify(bundled));
		edited.modules[6].access.grassroots = 'basic';
		let sent: any;
		api()
			.post('/v1/tenants/tn_1/subscription/enable', (body) => {
				sent = body;
				return true;
			})
			.reply(200, { subscription: { ...active, tier: 'grassroots' } });
		const result = await client.enableSubscription({ tenantId: 'tn_1', businessKey: 'CTR-1', edition: 'E', tier: 'grassroots' }, parseTierMatrix(edited));
		expect(sent.featureFlags.flags.sports_medicine).toBe('basic');
		expect(result.changed).toBe(true);
	});

	it('rejects an unknown tier and a missing edition before any call', async () => {
		const { client } = makeClient();
		expect((await failure(client.enableSubscription({ tenantId: 'tn_1', businessKey: 'C', edition: 'E', tier: 'gold' }))).field).toBe('tier');
		expect((await failure(client.enableSubscription({ tenantId: 'tn_1', businessKey: 'C', edition: ' ', tier: 'grassroots' }))).field).toBe('edition');
		expect((await failure(client.enableSubscription({ tenantId: 'tn_1', businessKey: 'C', edition: 'E' } as never))).field).toBe('tier');
	});

	it('retries 429 after Retry-After, then gives up with rate_limited', async () => {
		const { client, sleeps } = makeClient({ retry: { retries: 2, jitter: 0 } });
		api().post('/v1/tenants/tn_1/subscription/enable').times(3).reply(429, errorBody('rate_limited', 'slow down'), { 'Retry-After': '2' });
		const error = await failure(client.enableSubscription({ tenantId: 'tn_1', businessKey: 'C', edition: 'E', tier: 'grassroots' }));
		expect(error.kind).toBe('rate_limited');
		expect(error.retryAfterMs).toBe(2000);
		expect(sleeps).toEqual([2000, 2000]);
	});

	it('maps 401 to auth without leaking the key', async () => {
		const { client } = makeClient();
		api().post('/v1/tenants/tn_1/subscription/enable').reply(401, errorBody('unauthorized', 'Bad key sa_live_key_0123456789abcdef'));
		const error = await failure(client.enableSubscription({ tenantId: 'tn_1', businessKey: 'C', edition: 'E', tier: 'grassroots' }));
		expect(error.kind).toBe('auth');
		expect(JSON.stringify(error.toJSON())).not.toContain('sa_live_key_0123456789abcdef');
		expect(error.message).toContain('[redacted]');
	});

	it('treats a 500 as transient even with a client-looking code, and retries it', async () => {
		const { client, sleeps } = makeClient();
		api().post('/v1/tenants/tn_1/subscription/enable').reply(500, errorBody('conflict', 'boom'));
		api().post('/v1/tenants/tn_1/subscription/enable').reply(200, { subscription: active, changed: true });
		await client.enableSubscription({ tenantId: 'tn_1', businessKey: 'C', edition: 'E', tier: 'professional' });
		expect(sleeps).toEqual([250]);
	});
});

describe('subscription.changeEdition', () => {
	it('changes edition with the new tier flags and a key per target', async () => {
		const { client } = makeClient();
		const key = idempotencyKey('CTR-9', changeEditionStep('EDITION-WC', 'world_class'));
		let sent: any;
		api()
			.post('/v1/tenants/tn_1/subscription/change-edition', (body) => {
				sent = body;
				return true;
			})
			.matchHeader('idempotency-key', key)
			.reply(200, { subscription: { ...active, edition: 'EDITION-WC', tier: 'world_class' }, changed: true });
		const result = await client.changeEdition({ tenantId: 'tn_1', businessKey: 'CTR-9', edition: 'EDITION-WC', tier: 'world class' });
		expect(sent).toMatchObject({ businessKey: 'CTR-9', edition: 'EDITION-WC', tier: 'world_class' });
		expect(sent.featureFlags.extras).toEqual({ analytics_reporting: ['custom_exports'] });
		expect(result.idempotencyKey).toBe(key);
		expect(result.subscription.tier).toBe('world_class');
		expect(changeEditionStep('A', 'grassroots')).not.toBe(changeEditionStep('B', 'grassroots'));
	});

	it('maps 409 conflict', async () => {
		const { client } = makeClient();
		api().post('/v1/tenants/tn_1/subscription/change-edition').reply(409, errorBody('conflict', 'Subscription is disabled'));
		const error = await failure(client.changeEdition({ tenantId: 'tn_1', businessKey: 'C', edition: 'E', tier: 'grassroots' }));
		expect(error).toMatchObject({ kind: 'conflict', code: 'conflict', status: 409 });
	});
});

describe('subscription.disable (a compensation)', () => {
	const input = { tenantId: 'tn_1', businessKey: 'CTR-1', reason: 'billing failed' };

	it('disables with a stable key and reports alreadyDisabled:false', async () => {
		const { client } = makeClient();
		const key = idempotencyKey('CTR-1', SUBSCRIPTION_DISABLE_STEP);
		api()
			.post('/v1/tenants/tn_1/subscription/disable', { businessKey: 'CTR-1', reason: 'billing failed' })
			.matchHeader('idempotency-key', key)
			.reply(200, { subscription: disabled, changed: true });
		await expect(client.disableSubscription(input)).resolves.toEqual({
			tenantId: 'tn_1',
			businessKey: 'CTR-1',
			subscription: disabled,
			alreadyDisabled: false,
			idempotencyKey: key,
		});
	});

	it('succeeds with alreadyDisabled:true when it was already off (200 changed:false)', async () => {
		const { client } = makeClient();
		api().post('/v1/tenants/tn_1/subscription/disable', { businessKey: 'CTR-1' }).reply(200, { subscription: disabled, changed: false });
		const result = await client.disableSubscription({ tenantId: 'tn_1', businessKey: 'CTR-1' });
		expect(result.alreadyDisabled).toBe(true);
		expect(result.subscription?.status).toBe('disabled');
	});

	it.each([
		[409, 'already_disabled'],
		[404, 'subscription_not_found'],
	])('succeeds with alreadyDisabled:true on %i %s', async (status, code) => {
		const { client } = makeClient();
		api().post('/v1/tenants/tn_1/subscription/disable').reply(status, errorBody(code, 'nothing to disable'));
		const result = await client.disableSubscription(input);
		expect(result).toMatchObject({ alreadyDisabled: true, tenantId: 'tn_1' });
		expect(result.subscription).toBeUndefined();
	});

	it('still fails for an unknown tenant or a plain 404', async () => {
		const { client } = makeClient();
		api().post('/v1/tenants/tn_x/subscription/disable').reply(404, errorBody('tenant_not_found', 'No tenant'));
		expect((await failure(client.disableSubscription({ ...input, tenantId: 'tn_x' }))).kind).toBe('not_found');
		api().post('/v1/tenants/tn_x/subscription/disable').reply(404, 'Not Found');
		expect((await failure(client.disableSubscription({ ...input, tenantId: 'tn_x' }))).code).toBeUndefined();
	});
});
