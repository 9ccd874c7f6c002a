import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { NodeOperationError, type INode } from 'n8n-workflow';
import { brokenStore, executeContext, receiptsIn, recordReceipt, storeIsEmpty, useNockWithoutNetwork, useTempStore, type Params } from '../shared/__tests__/receiptKit';
import { SuperAdmin } from './SuperAdmin.node';

const BASE = 'https://admin.receipt.test';
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake key that only nock sees
const credentials = { baseUrl: BASE, apiKey: 'receipt_test_key_123456' };
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a fake generated key that only nock sees; the test checks it never reaches the store
const GENERATED_KEY_VALUE = 'sa_live_freshsecret_0123456789abcdef';
const node: INode = { id: '1', name: 'Provision Tenant', type: 'n8n-nodes-quote-to-cash.superAdmin', typeVersion: 1, position: [0, 0], parameters: {} };
const tenant = { __rl: true, mode: 'id', value: 'tn_1' };

const store = useTempStore();
useNockWithoutNetwork();

const run = (items: Params[], continueOnFail = false, executionId = '77') => new SuperAdmin().execute.call(executeContext(items, { node, credentials, continueOnFail, executionId }));
const generate = { resource: 'apiKey', operation: 'generate', tenantId: tenant, businessKey: 'ORD-7', keyName: 'sync', scopes: '', expiresAt: '' };

/** Every file the store wrote, as one string. */
function storeText(dir: string): string {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.map((path) => join(dir, path))
		.filter((path) => statSync(path).isFile())
		.map((path) => readFileSync(path, 'utf8'))
		.join('\n');
}

describe('Super Admin: Record Receipt', () => {
	it('records every change with its step and the tenant / key id, and puts the receipt on the output', async () => {
		nock(BASE)
			.post('/v1/tenants')
			.reply(201, { id: 'tn_2', name: 'Rovers', status: 'provisioning' })
			.post('/v1/tenants/tn_1/subscription/enable')
			.reply(200, { subscription: { tenantId: 'tn_1', status: 'active' }, changed: true })
			.post('/v1/tenants/tn_1/subscription/change-edition')
			.reply(200, { subscription: { tenantId: 'tn_1', status: 'active' }, changed: false })
			.put('/v1/tenants/tn_1/feature-flags')
			.reply(200, { tenantId: 'tn_1', tier: 'world_class', flags: {} })
			.put('/v1/tenants/tn_1/maintenance')
			.reply(200, { tenantId: 'tn_1', enabled: true })
			.delete('/v1/tenants/tn_1/api-keys/key_9')
			.reply(200, { id: 'key_9', name: 'old', revokedAt: '2026-01-01T00:00:00Z' })
			.post('/v1/tenants/tn_1/subscription/disable')
			.reply(200, { subscription: { tenantId: 'tn_1', status: 'disabled' }, changed: true });
		const on = recordReceipt(store.dir);
		const [items] = await run([
			{ resource: 'tenant', operation: 'create', businessKey: 'ORD-7', tenantName: 'Rovers', ownerEmail: 'o@rovers.example', tier: 'grassroots', ...on },
			{ resource: 'subscription', operation: 'enable', tenantId: tenant, businessKey: 'ORD-7', edition: 'PRO', tier: 'professional', ...on },
			{ resource: 'subscription', operation: 'changeEdition', tenantId: tenant, businessKey: 'ORD-7', edition: 'WC', tier: 'world_class', ...on },
			{ resource: 'featureFlags', operation: 'applyTier', tenantId: tenant, businessKey: 'ORD-7', tier: 'world_class', ...on },
			{ resource: 'maintenance', operation: 'set', tenantId: tenant, businessKey: 'ORD-7', enabled: true, message: 'Upgrading', ...on },
			{ resource: 'apiKey', operation: 'revoke', tenantId: tenant, businessKey: 'ORD-7', keyId: 'key_9', ...on },
			{ resource: 'subscription', operation: 'disable', tenantId: tenant, businessKey: 'ORD-7', ...on },
		]);
		const receipts = await receiptsIn(store.dir);
		expect(receipts.map((r) => [r.workflow_step, r.resource_ref, r.business_key, r.execution_id, r.outcome])).toEqual([
			['superadmin.tenant.create', 'tn_2', 'ORD-7', '77', 'succeeded'],
			['superadmin.subscription.enable', 'tn_1', 'ORD-7', '77', 'succeeded'],
			['superadmin.subscription.changeEdition', 'tn_1', 'ORD-7', '77', 'succeeded'],
			['superadmin.featureFlags.applyTier', 'tn_1', 'ORD-7', '77', 'succeeded'],
			['superadmin.maintenance.set', 'tn_1', 'ORD-7', '77', 'succeeded'],
			['superadmin.apiKey.revoke', 'key_9', 'ORD-7', '77', 'succeeded'],
			['superadmin.subscription.disable', 'tn_1', 'ORD-7', '77', 'succeeded'],
		]);
		expect(receipts[3].effect).toEqual({ type: 'superadmin.featureFlags', id: 'tn_1', tenantId: 'tn_1', tier: 'world_class' });
		expect(receipts[6].effect).toEqual({ type: 'superadmin.subscription', id: 'tn_1', tenantId: 'tn_1', alreadyDisabled: false });
		expect(items.map((item) => (item.json.receipt as { id: string }).id)).toEqual(receipts.map((r) => r.id));
	});

	it('never puts a generated key secret (or its prefix) in the receipt: only the key id and tenant', async () => {
		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(201, { id: 'key_1', name: 'sync', prefix: 'sa_live_fresh', secret: GENERATED_KEY_VALUE });
		const [[item]] = await run([{ ...generate, ...recordReceipt(store.dir) }]);
		expect(item.json).toMatchObject({ secret: GENERATED_KEY_VALUE, receipt: { step: 'superadmin.apiKey.generate' } });
		const [receipt] = await receiptsIn(store.dir);
		expect(receipt.resource_ref).toBe('key_1');
		expect(receipt.effect).toEqual({ type: 'superadmin.apiKey', id: 'key_1', tenantId: 'tn_1' });
		const written = storeText(store.dir);
		expect(written).toContain('key_1');
		expect(written).not.toContain('freshsecret');
		expect(written).not.toContain('sa_live_fresh');
		expect(JSON.stringify(item.json.receipt)).not.toContain('fresh');
	});

	it('names the keys a generated key replaced (their answer was lost) in its receipt', async () => {
		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(200, { id: 'key_1', name: 'sync', secretReturned: false });
		nock(BASE).delete('/v1/tenants/tn_1/api-keys/key_1').reply(200, { id: 'key_1', name: 'sync', revokedAt: '2026-01-01T00:00:00Z' });
		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(201, { id: 'key_2', name: 'sync', secret: GENERATED_KEY_VALUE, secretReturned: true });
		await run([{ ...generate, ifSecretNotShown: 'replace', ...recordReceipt(store.dir) }]);
		const [receipt] = await receiptsIn(store.dir);
		expect(receipt.effect).toEqual({ type: 'superadmin.apiKey', id: 'key_2', tenantId: 'tn_1', replacedKeyIds: ['key_1'] });
		expect(storeText(store.dir)).not.toContain('freshsecret');
	});

	it('does not append twice when the same execution generates the key again; another execution adds its own', async () => {
		nock(BASE).post('/v1/tenants/tn_1/api-keys').times(3).reply(201, { id: 'key_1', name: 'sync' });
		const [[first]] = await run([{ ...generate, ...recordReceipt(store.dir) }]);
		const [[again]] = await run([{ ...generate, ...recordReceipt(store.dir) }]);
		expect(again.json.receipt).toEqual(first.json.receipt);
		expect(await receiptsIn(store.dir)).toHaveLength(1);
		await run([{ ...generate, ...recordReceipt(store.dir) }], false, '78');
		expect((await receiptsIn(store.dir)).map((r) => r.execution_id)).toEqual(['77', '78']);
	});

	it('fails the step naming the tenant when the store fails, and gives an error item with Continue On Fail', async () => {
		nock(BASE).post('/v1/tenants/tn_1/subscription/enable').twice().reply(200, { subscription: { tenantId: 'tn_1', status: 'active' }, changed: true });
		const enable = { resource: 'subscription', operation: 'enable', tenantId: tenant, businessKey: 'ORD-7', edition: 'PRO', tier: 'professional', ...recordReceipt(brokenStore(store.dir)) };
		const error = await run([enable]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('receipt could not be recorded: superadmin.subscription.enable of tn_1, business key ORD-7');
		const [[item]] = await run([enable], true);
		expect(item.json).toMatchObject({ error: expect.stringContaining('tn_1'), unrecordedReceipt: { resourceRef: 'tn_1', step: 'superadmin.subscription.enable' } });
	});

	it('writes nothing with Record Receipt off', async () => {
		nock(BASE).post('/v1/tenants/tn_1/api-keys').reply(201, { id: 'key_1', name: 'sync' });
		const [[item]] = await run([{ ...generate, receiptBusinessKey: 'ORD-7', receiptOptions: { storePath: store.dir } }]);
		expect(item.json).not.toHaveProperty('receipt');
		expect(storeIsEmpty(store.dir)).toBe(true);
	});
});
