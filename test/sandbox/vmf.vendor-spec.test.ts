import { VmfClient } from '../../connectors/vmf';
import { describeWithVendorSpecs, loadVendorSpec } from '../support/vendorSpecs';

const { compareApis } = require('../../sandbox/core/conformance');
const { loadSpec } = require('../../sandbox/core/openapi');
const { specLayerReport } = require('../../sandbox/core/vendorSpecs');
const { platformApi, marketplaceApi } = require('../../sandbox/vmf/api');
const { createVmfFake } = require('../../sandbox/vmf');
const { buildSignedOrder } = require('../../sandbox/seed');

/**
 * The VMF fake's own schemas (sandbox/vmf/api.js) against Vendasta's published specs, and live traffic through
 * the optional vendor-spec layer. Needs Q2C_VENDOR_SPECS; skipped (with the reason) without it.
 */
describeWithVendorSpecs('VMF fake agrees with Vendasta’s published specs', () => {
	it('declares only Platform API endpoints and parameters the Platform spec documents (own design aside)', () => {
		const vendor = loadVendorSpec('vendastaPlatform', loadSpec);
		// The spec's server is https://prod.apigateway.co/platform: its paths are relative to /platform.
		const report = compareApis(platformApi, vendor, { mapPath: (p: string) => p.replace(/^\/platform/, '') });
		console.log('VMF Platform conformance', JSON.stringify(report, null, 2));
		expect(report.mismatches).toEqual([]);
		expect(report.notes).toEqual([expect.stringMatching(/^PATCH \/platform\/orders\/\{id\}: our own design/)]);
		expect(report.compared).toHaveLength(Object.values(platformApi.paths).flatMap((item: any) => Object.keys(item)).length - 1);
	});

	it('declares only Marketplace endpoints and fields the Marketplace spec documents', () => {
		const vendor = loadVendorSpec('vendastaMarketplace', loadSpec);
		// The spec's server is https://developers.vendasta.com/api/v1: its paths are relative to /api/v1.
		const report = compareApis(marketplaceApi, vendor, { mapPath: (p: string) => p.replace(/^\/api\/v1/, '') });
		console.log('VMF Marketplace conformance', JSON.stringify(report, null, 2));
		expect(report.mismatches).toEqual([]);
		expect(report.compared).toEqual(['POST /api/v1/activation/resolve/']);
	});

	describe('live traffic through the vendor-spec layer', () => {
		const partnerId = 'PTNR-SPEC';
		const fake = createVmfFake({ accessToken: 'vmf-spec-token' });
		let client: VmfClient;

		beforeAll(async () => {
			const { url } = await fake.listen();
			const fast = { retry: { jitter: 0, baseDelayMs: 1, maxDelayMs: 5 }, rateLimit: { perSecond: 1000, burst: 1000 }, sleep: async () => undefined };
			client = new VmfClient({ accessToken: 'vmf-spec-token', partnerId, platformBaseUrl: `${url}/platform`, marketplaceBaseUrl: `${url}/api/v1`, ...fast });
		});
		afterAll(() => fake.close());

		const counts = () => {
			const { on, stats } = specLayerReport();
			return { on, platform: stats.vendastaPlatform ?? { checked: 0, rejected: 0, problems: [] }, marketplace: stats.vendastaMarketplace ?? { checked: 0, rejected: 0, problems: [] } };
		};

		it('checks representative requests against the vendor specs and finds nothing to reject', async () => {
			const seeded = [0, 1, 2].map(() => buildSignedOrder({ activationId: 'act-1' }, { partnerId }));
			for (const built of seeded) fake.putOrder({ order: built.order, partnerId, customFields: built.customFields, activationId: 'act-1' });
			const before = counts();
			expect(before.on).toBe(true);

			// Platform: list with filters and paging, get, custom fields, status change (own design: not checked), cancel/undo.
			const first = await client.listOrders({ limit: 2 });
			expect(first.orders).toHaveLength(2);
			const second = await client.listOrders({ limit: 2, cursor: first.nextCursor });
			expect(second.orders).toHaveLength(1);
			const [one] = seeded;
			const byLocation = await client.listOrders({ businessLocationId: one.accountGroupId, limit: 10 });
			expect(byLocation.orders.map((o) => o.id)).toEqual([one.orderId]);
			const { customFields } = await client.getOrderWithCustomFields(one.orderId);
			expect(customFields.length).toBeGreaterThan(0);
			await client.updateOrderStatus({ orderId: one.orderId, status: 'fulfilled' }); // GET (checked) + PATCH (ours)
			const assignmentId = `${one.accountGroupId}:MP-PLATFORM:act-1`;
			await client.cancelSubscriptionAssignment({ assignmentId, businessKey: one.orderId, reasons: ['customerReachedEndOfContract'], comments: 'Contract ended', deactivationType: 'cancel' });
			await client.undoCancelSubscriptionAssignment({ assignmentId, businessKey: one.orderId });
			const assignment = await fetch(`${fake.app.url}/platform/subscriptionAssignments/${assignmentId}`, { headers: { Authorization: 'Bearer vmf-spec-token' } });
			expect(assignment.status).toBe(200);

			// Marketplace: approve, and reject with a reason.
			await client.resolveActivation({ activationId: 'act-1', businessId: one.accountGroupId, approved: true });
			await client.resolveActivation({ activationId: 'act-2', businessId: one.accountGroupId, addonId: 'A-1', approved: false, rejectionReason: 'Duplicate' });

			const after = counts();
			expect(after.platform.checked - before.platform.checked).toBe(9); // 3 lists, get, custom fields, get before PATCH, cancel, undo, assignment
			expect(after.platform.rejected).toBe(before.platform.rejected);
			expect(after.marketplace.checked - before.marketplace.checked).toBe(2);
			expect(after.marketplace.rejected).toBe(before.marketplace.rejected);
			expect([...after.platform.problems.slice(before.platform.problems.length), ...after.marketplace.problems.slice(before.marketplace.problems.length)]).toEqual([]);
		});

		it('still answers our own schema’s errors first, without the vendor-spec suffix', async () => {
			const response = await fetch(`${fake.app.url}/platform/orders?filter[partner.id]=${partnerId}&page[size]=2`, { headers: { Authorization: 'Bearer vmf-spec-token' } });
			expect(response.status).toBe(400);
			expect(((await response.json()) as any).errors[0].detail).toBe('Received unknown parameter: page[size]');
		});
	});
});

/** The layer's rejection path, with small stand-in specs of our own (stricter than ours) so it runs without the files. */
describe('VMF vendor-spec layer: a request our schema takes but the vendor spec refuses', () => {
	const standIns = {
		platformSpec: {
			openapi: '3.0.3',
			paths: {
				'/orders': { get: { parameters: [{ name: 'filter[partner.id]', in: 'query', required: true, schema: { type: 'string' } }] } },
				'/subscriptionAssignments/{id}/actions/requestCancellation': {
					post: { requestBody: { content: { 'application/vnd.api+json': { schema: { type: 'object', properties: { comments: { type: 'string', maxLength: 5 } } } } } } },
				},
			},
		},
		marketplaceSpec: {
			openapi: '3.0.3',
			paths: { '/activation/resolve/': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { activation_id: { type: 'string', maxLength: 3 } } } } } } } } },
		},
	};
	const fake = createVmfFake({ accessToken: 't', ...standIns });
	let url = '';
	const auth = { Authorization: 'Bearer t' };
	beforeAll(async () => {
		url = (await fake.listen()).url;
	});
	afterAll(() => fake.close());

	it('answers the API’s own error shapes, suffixed, and records the rejections', async () => {
		const rejected = () => {
			const { stats } = specLayerReport();
			return (stats.vendastaPlatform?.rejected ?? 0) + (stats.vendastaMarketplace?.rejected ?? 0);
		};
		const before = rejected();
		const list = await fetch(`${url}/platform/orders?filter[partner.id]=P&page[limit]=2`, { headers: auth });
		expect(list.status).toBe(400);
		expect(((await list.json()) as any).errors[0]).toMatchObject({
			code: 'InvalidParameter',
			detail: "Received unknown parameter: page[limit] (per Vendasta's published spec)",
			source: { parameter: 'page[limit]' },
		});
		const cancel = await fetch(`${url}/platform/subscriptionAssignments/AG-1:MP-1:a/actions/requestCancellation`, {
			method: 'POST',
			headers: { ...auth, 'Content-Type': 'application/vnd.api+json' },
			body: JSON.stringify({ comments: 'Contract ended' }),
		});
		expect(cancel.status).toBe(400);
		expect(((await cancel.json()) as any).errors[0]).toMatchObject({ detail: "Invalid comments: must be at most 5 characters (per Vendasta's published spec)", source: { pointer: '/comments' } });
		const resolve = await fetch(`${url}/api/v1/activation/resolve/`, {
			method: 'POST',
			headers: { ...auth, 'Content-Type': 'application/json' },
			body: JSON.stringify({ activation_id: 'act-1', business_id: 'AG-1', approved: true }),
		});
		expect(resolve.status).toBe(400);
		expect(await resolve.json()).toEqual({
			error_code: 'INVALID_ARGUMENT',
			message: "Invalid activation_id: must be at most 3 characters (per Vendasta's published spec)",
			human_readable_message: "Invalid activation_id: must be at most 3 characters (per Vendasta's published spec)",
		});
		expect(rejected() - before).toBe(3);
		expect(fake.state.activations).toEqual([]); // refused before the handler ran
	});
});
