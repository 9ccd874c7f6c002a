import { VmfClient, toContract } from '../../connectors/vmf';
import { SuperAdminClient } from '../../connectors/superadmin/superAdminClient';
import { createStripeBillingClient, findOrCreateCustomer, createSubscription } from '../../connectors/billing/stripe';

const { startSandbox } = require('../../sandbox');

/** Our real connectors pointed at the sandbox: each fake must answer their calls as the vendor would. */
describe('sandbox vendors answer our connectors', () => {
	let sb: any;
	const fast = { retry: { jitter: 0, baseDelayMs: 1, maxDelayMs: 5 }, rateLimit: { perSecond: 1000, burst: 1000 }, sleep: async () => undefined };
	const vmf = () => new VmfClient({ ...sb.credentials.vmfApi, ...fast });
	const admin = () => new SuperAdminClient({ ...sb.credentials.superAdminApi, ...fast });

	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(async () => {
		await sb.reset();
	});

	it('seeds a signed order the VMF connector maps to a contract the default policy allows', async () => {
		const { orderId, contract } = await sb.seedSignedOrder();
		const { order, customFields } = await vmf().getOrderWithCustomFields(orderId);
		const mapped = toContract(order, customFields, { partnerId: sb.credentials.vmfApi.partnerId });
		expect(mapped).toMatchObject({ businessKey: orderId, jurisdiction: 'US', termMonths: 12, currency: 'usd', tier: 'professional' });
		expect(mapped.signature.signed).toBe(true);
		expect(mapped.approvals).toEqual([expect.objectContaining({ role: 'finance' })]);
		expect(mapped.lineItems.map((i) => i.sku)).toEqual(['MP-PLATFORM', 'MP-SEATS']);
		expect(mapped.totalAmount).toBe(49900 + 10 * 1500);
		expect(mapped.totalAmount).toBeLessThanOrEqual(5_000_000);
		expect(contract.totalAmount).toBe(mapped.totalAmount);
		const page = await vmf().listOrders({ limit: 10 });
		expect(page.orders.map((o) => o.id)).toEqual([orderId]);
		const [request] = sb.requests().vmf;
		expect(request.headers.accept).toBe('application/vnd.api+json');
	});

	it('lets overrides block or break the contract', async () => {
		const blocked = await sb.seedSignedOrder({ jurisdiction: 'KP', approvals: [] });
		const got = await vmf().getOrderWithCustomFields(blocked.orderId);
		const mapped = toContract(got.order, got.customFields);
		expect(mapped.jurisdiction).toBe('KP');
		expect(mapped.approvals).toEqual([]);
		const broken = await sb.seedSignedOrder({ customerEmail: null });
		const again = await vmf().getOrderWithCustomFields(broken.orderId);
		expect(() => toContract(again.order, again.customFields)).toThrow(/q2c-customer-email/);
	});

	it('answers unknown orders, bad params and bad tokens in the JSON:API error shape', async () => {
		await expect(vmf().getOrder('AG-1:ORD-404')).rejects.toMatchObject({ kind: 'not_found', message: expect.stringMatching(/ORD-404/) });
		const response = await fetch(`${sb.urls.vmfPlatform}/orders?filter[partner.id]=X&page[size]=2`, { headers: { Authorization: `Bearer ${sb.credentials.vmfApi.accessToken}` } });
		expect(response.status).toBe(400);
		expect((await response.json()) as any).toEqual({ errors: [expect.objectContaining({ status: '400', code: 'InvalidParameter', detail: 'Received unknown parameter: page[size]', source: { parameter: 'page[size]' } })] });
		const wrong = new VmfClient({ ...sb.credentials.vmfApi, accessToken: 'nope', ...fast });
		await expect(wrong.getOrder('AG-1:ORD-1')).rejects.toMatchObject({ kind: 'auth' });
	});

	it('moves order status along the lifecycle, refusing invalid transitions', async () => {
		const { orderId } = await sb.seedSignedOrder();
		const done = await vmf().updateOrderStatus({ orderId, status: 'fulfilled' });
		expect(done).toMatchObject({ changed: true, previousStatus: 'processing' });
		expect(sb.state().vmf.orders[0].attributes.statusCode).toBe('fulfilled');
		const patch = sb.requests().vmf.find((r: any) => r.method === 'PATCH');
		expect(patch.headers['idempotency-key']).toBe(done.idempotencyKey);
		const raw = await fetch(`${sb.urls.vmfPlatform}/orders/${orderId}`, {
			method: 'PATCH',
			headers: { Authorization: `Bearer ${sb.credentials.vmfApi.accessToken}`, 'Content-Type': 'application/vnd.api+json' },
			body: JSON.stringify({ data: { type: 'orders', id: orderId, attributes: { statusCode: 'processing' } } }),
		});
		expect(raw.status).toBe(409);
		expect(((await raw.json()) as any).errors[0].code).toBe('invalid_transition');
	});

	it('cancels and restores subscription assignments, validating the body against the spec', async () => {
		const { orderId } = await sb.seedSignedOrder({ activationId: 'act-1' });
		const assignmentId = `${orderId.split(':')[0]}:MP-PLATFORM:act-1`;
		await vmf().cancelSubscriptionAssignment({ assignmentId, businessKey: orderId, deactivationType: 'immediate', reasons: ['other'] });
		expect(sb.state().vmf.subscriptionAssignments.find((a: any) => a.id === assignmentId).status).toBe('canceled');
		await vmf().undoCancelSubscriptionAssignment({ assignmentId, businessKey: orderId });
		expect(sb.state().vmf.subscriptionAssignments.find((a: any) => a.id === assignmentId).status).toBe('active');
		const bad = await fetch(`${sb.urls.vmfPlatform}/subscriptionAssignments/${assignmentId}/actions/requestCancellation`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.credentials.vmfApi.accessToken}`, 'Content-Type': 'application/vnd.api+json' },
			body: JSON.stringify({ reason: ['bored'] }),
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as any).errors[0].source).toEqual({ pointer: '/reason/0' });
		await expect(vmf().cancelSubscriptionAssignment({ assignmentId: 'AG-X:MP-X:none', businessKey: orderId })).rejects.toMatchObject({ kind: 'not_found' });
	});

	it('resolves Marketplace activations and rejects unknown fields in the Marketplace error shape', async () => {
		const result = await vmf().resolveActivation({ activationId: 'act-9', businessId: 'AG-9', approved: true, businessKey: 'AG-9:ORD-9' });
		expect(sb.state().vmf.activations).toEqual([expect.objectContaining({ activation_id: 'act-9', approved: true, idempotencyKey: result.idempotencyKey })]);
		const bad = await fetch(`${sb.urls.vmfMarketplace}/activation/resolve/`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.credentials.vmfApi.accessToken}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ activation_id: 'a', approved: true }),
		});
		expect(bad.status).toBe(400);
		expect((await bad.json()) as any).toEqual({ error_code: 'INVALID_ARGUMENT', message: 'Missing required param: business_id.', human_readable_message: 'Missing required param: business_id.' });
	});

	it('lists and completes VTM tasks idempotently; conflicting replays answer 409', async () => {
		const { orderId } = await sb.seedSignedOrder();
		const page = await vmf().listVtmTasks({ orderId, status: 'open' });
		expect(page.tasks).toHaveLength(2);
		const [task] = page.tasks;
		const first = await vmf().completeVtmTask({ taskId: task.id, businessKey: orderId, completedBy: 'n8n' });
		const again = await vmf().completeVtmTask({ taskId: task.id, businessKey: orderId, completedBy: 'n8n' });
		expect(first).toMatchObject({ status: 'done', completedBy: 'n8n' });
		expect(again.completedAt).toBe(first.completedAt);
		const replays = sb.requests().vtm.filter((r: any) => r.method === 'POST');
		expect(replays.map((r: any) => r.headers['idempotency-key'])).toEqual([expect.any(String), replays[0].headers['idempotency-key']]);
		await expect(vmf().completeVtmTask({ taskId: task.id, businessKey: orderId, completedBy: 'someone else' })).rejects.toMatchObject({ kind: 'conflict', code: 'idempotency_conflict' });
		expect((await vmf().listVtmTasks({ orderId, status: 'open' })).tasks).toHaveLength(1);
		const comment = await vmf().commentVtmTask({ taskId: task.id, businessKey: orderId, body: 'Live.' });
		expect(comment).toMatchObject({ taskId: task.id, body: 'Live.' });
		const missingKey = await fetch(`${sb.urls.vtm}/tasks/${task.id}/complete`, { method: 'POST', headers: { Authorization: `Bearer ${sb.credentials.vmfApi.accessToken}` } });
		expect((await missingKey.json()) as any).toEqual({ error: { code: 'validation_error', message: 'Missing required header: Idempotency-Key.', field: 'Idempotency-Key' } });
		await expect(vmf().listVtmTasks({ orderId: 'AG-0:ORD-0' })).rejects.toMatchObject({ kind: 'not_found' });
	});

	it('super admin: tenant, entitlement with tier flags, replay and conflicts, maintenance, api keys', async () => {
		const { orderId } = await sb.seedSignedOrder();
		const input = { businessKey: orderId, name: 'Acme Fitness LLC', ownerEmail: 'owner@acme.example', tier: 'professional', edition: 'standard', country: 'US' };
		const created = await admin().createTenant(input);
		const replay = await admin().createTenant(input);
		expect(replay.tenant.id).toBe(created.tenant.id);
		expect(sb.state().superAdmin.tenants).toHaveLength(1);
		const enabled = await admin().enableSubscription({ tenantId: created.tenant.id, businessKey: orderId, edition: 'standard', tier: 'professional' });
		expect(enabled.changed).toBe(true);
		const flags = sb.state().superAdmin.featureFlags[0];
		expect(flags).toMatchObject({ tenantId: created.tenant.id, tier: 'professional' });
		expect(Object.keys(flags.flags).length).toBeGreaterThan(0);
		const secondTime = await admin().enableSubscription({ tenantId: created.tenant.id, businessKey: orderId, edition: 'standard', tier: 'professional' });
		expect(secondTime.changed).toBe(false);
		const key = await admin().generateApiKey({ tenantId: created.tenant.id, businessKey: orderId, name: 'integration' });
		expect(JSON.stringify(sb.state().superAdmin)).not.toContain((key as any).secret ?? 'no-secret-returned');
		await admin().setMaintenance({ tenantId: created.tenant.id, businessKey: orderId, enabled: true, message: 'Migrating' });
		expect(sb.state().superAdmin.maintenance[0]).toMatchObject({ enabled: true, message: 'Migrating' });
		const disabled = await admin().disableSubscription({ tenantId: created.tenant.id, businessKey: orderId });
		expect(sb.state().superAdmin.subscriptions[0].status).toBe('disabled');
		expect(disabled).toBeDefined();
		const bad = await fetch(`${sb.urls.superAdmin}/v1/tenants`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.credentials.superAdminApi.apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ ...input, businessKey: 'other', plan: 'gold' }),
		});
		expect(bad.status).toBe(400);
		expect((await bad.json()) as any).toEqual({ error: { code: 'validation_error', message: 'Received unknown parameter: plan', field: 'plan' } });
		const conflict = await fetch(`${sb.urls.superAdmin}/v1/tenants`, {
			method: 'POST',
			headers: { 'X-Api-Key': sb.credentials.superAdminApi.apiKey, 'Content-Type': 'application/json', 'Idempotency-Key': created.idempotencyKey },
			body: JSON.stringify({ ...input, name: 'Other name' }),
		});
		expect(conflict.status).toBe(409);
		expect(((await conflict.json()) as any).error.code).toBe('idempotency_conflict');
		await expect(new SuperAdminClient({ ...sb.credentials.superAdminApi, apiKey: 'wrong', ...fast }).listTenants()).rejects.toMatchObject({ kind: 'auth' });
	});

	it('Stripe: the seeded catalog serves the Config lookup keys; 429 faults are retried into one subscription', async () => {
		const { orderId, contract } = await sb.seedSignedOrder();
		const stripe = createStripeBillingClient({ ...sb.credentials.billingStripeApi, maxNetworkRetries: 0, sleep: async () => undefined } as any);
		const customer = await findOrCreateCustomer(stripe, { businessKey: orderId, name: contract.customer.name, email: contract.customer.email });
		sb.addFault('stripe', { route: 'POST /v1/subscriptions', times: 2, fault: { status: 429, retryAfter: 0 } });
		const input = {
			businessKey: orderId,
			customerId: customer.id,
			currency: 'usd',
			lineItems: contract.lineItems,
			priceMapping: { 'MP-PLATFORM': 'platform_monthly', 'MP-SEATS': 'seat_monthly', 'MP-ONBOARDING': 'onboarding_fee' },
			priceSource: 'contract' as const,
		};
		const sub = await createSubscription(stripe, input);
		await createSubscription(stripe, input);
		const subscriptions = sb.state().stripe.objects.subscription;
		expect(subscriptions).toHaveLength(1);
		expect(sub.id).toBe(subscriptions[0].id);
		const posts = sb.requests().stripe.filter((r: any) => r.path === '/v1/subscriptions' && r.method === 'POST');
		expect(posts.map((r: any) => r.status)).toEqual([429, 429, 200]); // the replay found the subscription without a second create
		expect(new Set(posts.map((r: any) => r.headers['idempotency-key'])).size).toBe(1);
	});

	it('every fake honours faults and latency', async () => {
		await sb.seedSignedOrder();
		sb.addFault('vmf', { route: 'GET /platform/orders', times: 1, fault: { status: 503 } });
		const once = await fetch(`${sb.urls.vmfPlatform}/orders?filter[partner.id]=${sb.partnerId}`, { headers: { Authorization: `Bearer ${sb.credentials.vmfApi.accessToken}` } });
		expect(once.status).toBe(503);
		expect(((await once.json()) as any).errors[0].status).toBe('503');
		sb.addFault('superAdmin', { route: '*', fault: { status: 429, retryAfter: 7 } });
		const limited = await fetch(`${sb.urls.superAdmin}/v1/health`);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(((await limited.json()) as any).error.code).toBe('rate_limited');
		sb.clearFaults();
		sb.setLatency(120);
		const started = Date.now();
		const ok = await fetch(`${sb.urls.superAdmin}/v1/health`, { headers: { 'X-Api-Key': sb.credentials.superAdminApi.apiKey } });
		expect(ok.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
		sb.setLatency(0);
		expect(() => sb.addFault('nope', {})).toThrow(/Unknown fake/);
	});
});
