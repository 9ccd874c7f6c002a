import { idempotencyKey } from '../../core';
import { applyTierStep } from '../featureFlags/apply';
import { maintenanceStep } from '../maintenance/set';
import { flagsForTier, loadTierMatrix, parseTierMatrix } from '../tierMatrix';
import bundled from '../tier-matrix.json';
import { api, errorBody, failure, makeClient, setupNock } from './helpers';

setupNock();

describe('feature flags', () => {
	it('reads the flags applied to a tenant', async () => {
		const { client } = makeClient();
		api()
			.get('/v1/tenants/tn_1/feature-flags')
			.reply(200, { tenantId: 'tn_1', tier: 'grassroots', flags: { sports_medicine: 'disabled' } });
		await expect(client.getTenantFeatureFlags('tn_1')).resolves.toEqual({ tenantId: 'tn_1', tier: 'grassroots', flags: { sports_medicine: 'disabled' }, extras: {} });
	});

	it('rejects an unknown level from the platform', async () => {
		const { client } = makeClient();
		api().get('/v1/tenants/tn_1/feature-flags').reply(200, { tenantId: 'tn_1', tier: 'x', flags: { a: 'partial' } });
		expect((await failure(client.getTenantFeatureFlags('tn_1'))).message).toContain('unexpected shape');
	});

	it('applies a tier with PUT, the matrix flags and a key that follows the flags', async () => {
		const { client } = makeClient();
		const requested = flagsForTier(loadTierMatrix(), 'grassroots');
		const key = idempotencyKey('CTR-1', applyTierStep(requested));
		api()
			.put('/v1/tenants/tn_1/feature-flags', { businessKey: 'CTR-1', ...requested })
			.matchHeader('idempotency-key', key)
			.reply(200, { tenantId: 'tn_1', ...requested, updatedAt: '2025-01-01T00:00:00Z' });
		const result = await client.applyTierFlags({ tenantId: 'tn_1', businessKey: 'CTR-1', tier: 'grassroots' });
		expect(result.requested).toEqual(requested);
		expect(result.applied.flags.sports_medicine).toBe('disabled');
		expect(result.idempotencyKey).toBe(key);

		const edited = JSON.parse(JSON.stringify(bundled));
		edited.modules[6].access.grassroots = 'basic';
		expect(applyTierStep(flagsForTier(parseTierMatrix(edited), 'grassroots'))).not.toBe(applyTierStep(requested));
		expect(applyTierStep(flagsForTier(loadTierMatrix(), 'grassroots'))).toBe(applyTierStep(requested));
	});

	it('retries a transient failure of the PUT', async () => {
		const { client, sleeps } = makeClient();
		api().put('/v1/tenants/tn_1/feature-flags').reply(502, 'bad gateway');
		api().put('/v1/tenants/tn_1/feature-flags').reply(200, { tenantId: 'tn_1', tier: 'professional', flags: {} });
		await client.applyTierFlags({ tenantId: 'tn_1', businessKey: 'CTR-1', tier: 'professional' });
		expect(sleeps).toHaveLength(1);
	});

	it('validates the tier against the matrix before any call', async () => {
		const { client } = makeClient();
		expect((await failure(client.applyTierFlags({ tenantId: 'tn_1', businessKey: 'CTR-1', tier: 'diamond' }))).field).toBe('tier');
	});
});

describe('maintenance', () => {
	it('reads the maintenance state', async () => {
		const { client } = makeClient();
		api().get('/v1/tenants/tn_1/maintenance').reply(200, { tenantId: 'tn_1', enabled: false });
		await expect(client.getMaintenance('tn_1')).resolves.toEqual({ tenantId: 'tn_1', enabled: false });
	});

	it('switches read-only mode on with a message and a key per direction', async () => {
		const { client } = makeClient();
		const key = idempotencyKey('UPG-1', maintenanceStep(true));
		api()
			.put('/v1/tenants/tn_1/maintenance', { businessKey: 'UPG-1', enabled: true, message: 'Upgrading' })
			.matchHeader('idempotency-key', key)
			.reply(200, { tenantId: 'tn_1', enabled: true, message: 'Upgrading', since: '2025-01-01T00:00:00Z' });
		const result = await client.setMaintenance({ tenantId: 'tn_1', businessKey: 'UPG-1', enabled: true, message: 'Upgrading' });
		expect(result).toEqual({ maintenance: expect.objectContaining({ enabled: true }), businessKey: 'UPG-1', idempotencyKey: key });
		expect(maintenanceStep(false)).not.toBe(maintenanceStep(true));
	});

	it('switches it off without a message', async () => {
		const { client } = makeClient();
		api().put('/v1/tenants/tn_1/maintenance', { businessKey: 'UPG-1', enabled: false }).reply(200, { tenantId: 'tn_1', enabled: false, message: null });
		expect((await client.setMaintenance({ tenantId: 'tn_1', businessKey: 'UPG-1', enabled: false })).maintenance.enabled).toBe(false);
	});

	it('requires enabled to be a boolean', async () => {
		const { client } = makeClient();
		const error = await failure(client.setMaintenance({ tenantId: 'tn_1', businessKey: 'UPG-1', enabled: 'yes' } as never));
		expect(error.field).toBe('enabled');
		expect(error.message).toContain('expected a boolean');
	});

	it('maps 404 to not_found', async () => {
		const { client } = makeClient();
		api().get('/v1/tenants/tn_9/maintenance').reply(404, errorBody('not_found', 'No tenant'));
		expect((await failure(client.getMaintenance('tn_9'))).kind).toBe('not_found');
	});
});
