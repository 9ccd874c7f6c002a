/** Bad input stops before any vendor write, with an error that names the field. */
import { deliver, e2e, errorOf, mark, newExecutions, sleep, waitForNew, writeCalls } from '../support/context';

export function malformed(): void {
	describe('malformed order payload', () => {
		it('an order missing a required contract field fails naming the field, with no vendor write', async () => {
			const { sb, ids } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder({ customerEmail: null });

			expect((await deliver(sb.automationsDelivery(order.orderId))).status).toBe(200);
			const [execution] = await waitForNew(marker, ids.main);
			expect(execution.status).toBe('error');
			expect(execution.data?.resultData?.lastNodeExecuted).toBe('Get Signed Order');
			expect(errorOf(execution)).toContain('q2c-customer-email');
			// The error workflow runs too (no receipts → nothing to compensate) and must not write either.
			await waitForNew(marker, ids.errors);

			expect(writeCalls(sb)).toEqual({ vmf: [], vtm: [], superAdmin: [], stripe: [], docusign: [], salesforce: [], hubspot: [] });
			expect(sb.requests().stripe).toEqual([]);
			expect(sb.requests().superAdmin).toEqual([]);
		});

		it('a delivery with a malformed body is answered 400 naming the field, and starts nothing', async () => {
			const { sb, ids } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder();

			const wrongType = await deliver(sb.automationsDelivery(order.orderId, { body: { orderId: 42 } }));
			expect(wrongType.status).toBe(400);
			expect(wrongType.body).toMatchObject({ error: 'malformed payload', field: expect.stringContaining('orderId') });
			expect(wrongType.body.message).toContain('orderId');

			// Sent as text, the broken JSON reaches the trigger, which names the body; declared as JSON, n8n's own
			// body parser refuses it (422) before any node runs.
			const valid = sb.automationsDelivery(order.orderId);
			const notJson = await deliver({ headers: { ...valid.headers, 'Content-Type': 'text/plain' }, rawBody: '{"orderId": ' });
			expect(notJson).toEqual({ status: 400, body: expect.objectContaining({ error: 'malformed payload', field: 'body' }) });
			const brokenJson = await deliver({ headers: valid.headers, rawBody: '{"orderId": ' });
			expect(brokenJson.status).toBe(422);

			await sleep(2000);
			expect(await newExecutions(marker, ids.main)).toEqual([]);
			expect(Object.values(sb.requests()).flat()).toEqual([]);
		});
	});
}
