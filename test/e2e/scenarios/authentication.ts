/** Only genuine deliveries start a run: forged, stale or unsigned webhooks get 401 and leave no execution. */
import { generateKeyPairSync } from 'node:crypto';
import { deliver, e2e, mark, newExecutions, sleep, waitForNew, type Delivery } from '../support/context';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Same claims, `alg: none`, no signature. */
function unsignedJwt(delivery: Delivery): Delivery {
	const [, payload] = delivery.rawBody.split('.');
	return { ...delivery, rawBody: `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.` };
}

/** A validly signed token whose claims were edited afterwards. */
function tamperedJwt(delivery: Delivery): Delivery {
	const [header, payload, signature] = delivery.rawBody.split('.');
	const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
	claims['vendasta.com/marketplace/webhook'].partner_id = 'PTNR-ATTACKER';
	return { ...delivery, rawBody: `${header}.${b64(claims)}.${signature}` };
}

export function authentication(): void {
	describe('webhook authentication', () => {
		it('Automations: a wrong or missing Verifier-Token is refused with 401 and starts nothing', async () => {
			const { sb, ids } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder();

			const forged = await deliver(sb.automationsDelivery(order.orderId, { token: 'vt_sandbox_guessed' }));
			const unsigned = await deliver(sb.automationsDelivery(order.orderId, { token: null }));
			expect(forged).toEqual({ status: 401, body: expect.objectContaining({ error: 'unauthorized' }) });
			expect(unsigned).toEqual({ status: 401, body: expect.objectContaining({ error: 'unauthorized' }) });
			expect(JSON.stringify([forged.body, unsigned.body])).not.toContain('vt_sandbox_guessed');

			await sleep(2000);
			expect(await newExecutions(marker, ids.main)).toEqual([]);
			expect(Object.values(sb.requests()).flat()).toEqual([]);
		});

		it('Marketplace JWT: forged, tampered, stale and unsigned tokens get 401; the genuine one runs once', async () => {
			const { sb, ids, marketplaceUrl } = e2e();
			const marker = await mark();
			const fields = { vendor_order_id: 'AG-E2E:ORD-MARKETPLACE' };
			const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

			const refused = {
				forged: await deliver(sb.marketplaceDelivery('provisioned', fields, { privatePem: otherKey }), marketplaceUrl),
				tampered: await deliver(tamperedJwt(sb.marketplaceDelivery('provisioned', fields)), marketplaceUrl),
				stale: await deliver(sb.marketplaceDelivery('provisioned', fields, { now: Date.now() - 3_600_000 }), marketplaceUrl),
				unsigned: await deliver(unsignedJwt(sb.marketplaceDelivery('provisioned', fields)), marketplaceUrl),
			};
			for (const [kind, answer] of Object.entries(refused)) expect({ kind, status: answer.status }).toEqual({ kind, status: 401 });

			const genuine = await deliver(sb.marketplaceDelivery('provisioned', fields), marketplaceUrl);
			expect(genuine.status).toBe(200);
			const runs = await waitForNew(marker, ids.marketplace, { count: 1, settleMs: 2000 });
			expect(runs).toHaveLength(1);
			expect(runs[0].status).toBe('success');
			expect(await newExecutions(marker, ids.main)).toEqual([]);
		});

		it('a 20 MB delivery is answered 413 naming the limit (not n8n\'s 500), and starts nothing', async () => {
			const { sb, ids } = e2e();
			const marker = await mark();
			const order = await sb.seedSignedOrder();
			const genuine = sb.automationsDelivery(order.orderId, { body: { padding: 'x'.repeat(20 * 1024 * 1024) } });
			const answer = await deliver(genuine);
			expect(answer.status).toBe(413);
			expect(JSON.stringify(answer.body)).toMatch(/request too large/);
			await sleep(1000);
			expect(await newExecutions(marker, ids.main)).toEqual([]);
		});
	});
}
