/**
 * The Super Admin fake's Customer 360 (seed 003) through the connector: a profile written in stages (account at
 * purchase, contract when signed) merges, the view computes ages and expiries and lists what is missing, SysOps'
 * repair/troubleshoot requests are its history, an unknown customer is `not_found`, bad input fails before a call.
 */
import { isConnectorError } from '../../connectors/core';
import { SuperAdminClient } from '../../connectors/superadmin';
import { getCustomer360, upsertCustomerProfile } from '../../connectors/superadmin/customers/customer360';

const { startSandbox } = require('../../sandbox');

describe('Super Admin fake: Customer 360', () => {
	let sb: any;
	let client: SuperAdminClient;
	beforeAll(async () => {
		sb = await startSandbox({ latencyMs: 0 });
		client = new SuperAdminClient({ baseUrl: String(sb.urls.superAdmin), apiKey: sb.credentials.superAdminApi.apiKey, retry: { retries: 0 } });
	});
	afterAll(async () => sb?.close());

	it('merges the stages, computes ages and expiry, and shows the request history', async () => {
		const signedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
		const endsAt = new Date(Date.now() + 325 * 86_400_000).toISOString().slice(0, 10);
		await upsertCustomerProfile(client.transport, { customerKey: 'sup-1', businessKey: 'sup-1', stage: 'account', name: 'Acme', email: 'a@acme.test', address: { line1: '1 High St', country: 'GB' }, contacts: [{ name: 'Olu', email: 'o@acme.test' }], payment: { method: 'card', schedule: 'yearly' } });
		const again = await upsertCustomerProfile(client.transport, { customerKey: 'sup-1', businessKey: 'sup-1', stage: 'contract', name: 'Acme', email: 'a@acme.test', payment: { method: 'card', schedule: 'yearly', cardExpMonth: 2, cardExpYear: 2031 }, contract: { id: 'env-1', signedAt, endsAt }, product: { name: 'SysOps Support', since: signedAt } });
		expect(again.idempotencyKey).not.toBe((await upsertCustomerProfile(client.transport, { customerKey: 'sup-1', businessKey: 'sup-1', stage: 'account', name: 'Acme', email: 'a@acme.test', address: { line1: '1 High St', country: 'GB' }, contacts: [{ name: 'Olu', email: 'o@acme.test' }], payment: { method: 'card', schedule: 'yearly' } })).idempotencyKey);
		const request = await fetch(`${sb.urls.superAdmin}/v1/customers/sup-1/support-requests`, { method: 'POST', headers: { authorization: `Bearer ${sb.credentials.superAdminApi.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'repair', summary: 'Disk' }) });
		expect(request.status).toBe(201);

		const view = await getCustomer360(client.transport, 'sup-1');
		expect(view).toMatchObject({ name: 'Acme', contacts: [{ name: 'Olu' }], address: { line1: '1 High St' }, payment: { schedule: 'yearly', cardExpiry: '2031-02-28' }, contract: { id: 'env-1', ageDays: 40, daysToExpiry: 325 }, product: { ageDays: 40 }, complete: true, missing: [] });
		expect(view.supportRequests.map((r) => r.summary)).toEqual(['Disk']);
	});

	it('names what is missing; an unknown customer is not_found; bad input fails before any call', async () => {
		await upsertCustomerProfile(client.transport, { customerKey: 'sup-2', businessKey: 'sup-2', name: 'Bare', email: 'b@bare.test' });
		expect((await getCustomer360(client.transport, 'sup-2')).missing).toEqual(['address', 'contacts', 'payment.method', 'payment.schedule', 'payment.cardExpiry', 'contract', 'contract.endsAt', 'product']);
		const unknown = await getCustomer360(client.transport, 'nobody').catch((error) => error);
		expect(isConnectorError(unknown) && unknown.kind).toBe('not_found');
		const before = sb.requests().superAdmin.length;
		await expect(upsertCustomerProfile(client.transport, { customerKey: 'x', businessKey: 'x', name: 'X', email: 'not-mail' })).rejects.toMatchObject({ kind: 'validation', field: 'email' });
		await expect(upsertCustomerProfile(client.transport, { customerKey: 'a/b', businessKey: 'x', name: 'X', email: 'x@x.test' })).rejects.toMatchObject({ field: 'customerKey' });
		expect(sb.requests().superAdmin.length).toBe(before);
	});
});
