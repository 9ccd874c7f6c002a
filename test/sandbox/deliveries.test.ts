import http from 'node:http';
import { verifyAutomationsWebhook, verifyMarketplaceWebhook } from '../../connectors/vmf';

const { startSandbox } = require('../../sandbox');
const { generateMarketplaceKeys } = require('../../sandbox/deliveries');
const { parseMail } = require('../../sandbox/smtp');
// nodemailer ships with n8n-nodes-base (its Send Email node uses it)
const nodemailer = require('nodemailer');

describe('sandbox deliveries, SMTP sink and admin surface', () => {
	let sb: any;
	beforeAll(async () => {
		sb = await startSandbox({ latencyMs: 0 });
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(async () => {
		await sb.reset();
	});

	it('Automations deliveries verify with the credential token, and fail without it', () => {
		const delivery = sb.automationsDelivery('AG-1:ORD-1');
		const event = verifyAutomationsWebhook(delivery, { tokens: [sb.credentials.vmfWebhookApi.verifierToken] });
		expect(event).toMatchObject({ orderId: 'AG-1:ORD-1', accountGroupId: 'AG-1', partnerId: sb.partnerId });
		expect(delivery.headers['Verifier-Token']).toBe(sb.credentials.vmfWebhookApi.verifierToken);
		expect(() => verifyAutomationsWebhook(sb.automationsDelivery('AG-1:ORD-1', { token: null }), { tokens: [sb.credentials.vmfWebhookApi.verifierToken] })).toThrow(/no Verifier-Token/);
		expect(() => verifyAutomationsWebhook(sb.automationsDelivery('AG-1:ORD-1', { token: 'forged' }), { tokens: [sb.credentials.vmfWebhookApi.verifierToken] })).toThrow(/does not match/);
	});

	it('Marketplace deliveries are RS256 JWTs the connector verifies with the credential public key', () => {
		const keys = [sb.credentials.vmfWebhookApi.marketplacePublicPem];
		const delivery = sb.marketplaceDelivery('provisioned', { vendor_order_id: 'AG-2:ORD-2' });
		expect(delivery.headers['Content-Type']).toBe('text/plain');
		const event = verifyMarketplaceWebhook(delivery.rawBody, { publicKeys: keys, appIds: [sb.credentials.vmfWebhookApi.marketplaceAppIds] });
		expect(event).toMatchObject({ event: 'provisioned', orderId: 'AG-2:ORD-2', accountGroupId: 'AG-2', partnerId: sb.partnerId });
		const cancel = verifyMarketplaceWebhook(sb.marketplaceDelivery('cancel', { vendor_order_id: 'AG-2:ORD-2' }).rawBody, { publicKeys: keys, appIds: [sb.credentials.vmfWebhookApi.marketplaceAppIds] });
		expect(cancel).toMatchObject({ event: 'cancel', accountGroupId: 'AG-2' });
		const forged = sb.marketplaceDelivery('provisioned', {}, { privatePem: generateMarketplaceKeys().privatePem });
		expect(() => verifyMarketplaceWebhook(forged.rawBody, { publicKeys: keys, appIds: [sb.credentials.vmfWebhookApi.marketplaceAppIds] })).toThrow(/rejected/);
		const stale = sb.marketplaceDelivery('provisioned', {}, { now: Date.now() - 3600_000 });
		expect(() => verifyMarketplaceWebhook(stale.rawBody, { publicKeys: keys, appIds: [sb.credentials.vmfWebhookApi.marketplaceAppIds] })).toThrow(/expired|replay window/);
	});

	it('the SMTP sink receives and parses a mail sent with nodemailer', async () => {
		const transport = nodemailer.createTransport({ host: sb.credentials.smtp.host, port: sb.credentials.smtp.port, secure: false, ignoreTLS: true });
		await transport.sendMail({ from: '"Provisioning" <provisioning@example.com>', to: 'owner@acme.example, ops@example.com', subject: 'Your subscription is live ✓', text: 'Hello Acme,\n\nyour order is live — tier professional.' });
		const [mail] = await sb.mail.waitFor(1, 5000);
		expect(mail).toMatchObject({ from: 'provisioning@example.com', to: ['owner@acme.example', 'ops@example.com'], subject: 'Your subscription is live ✓' });
		expect(mail.text).toBe('Hello Acme,\n\nyour order is live — tier professional.');
		expect(mail.envelope.to).toEqual(['owner@acme.example', 'ops@example.com']);
		await expect(sb.mail.waitFor(2, 50)).rejects.toThrow(/expected 2/);
		transport.close();
	});

	it('parses base64 and multipart bodies', () => {
		const b64 = parseMail('From: a@x\r\nTo: b@y\r\nSubject: =?UTF-8?B?w6k=?=\r\nContent-Transfer-Encoding: base64\r\n\r\naMOpbGxv\r\n');
		expect(b64).toMatchObject({ subject: 'é', text: 'héllo' });
		const multi = parseMail('From: a@x\r\nContent-Type: multipart/alternative; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nplain\r\n--B\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--B--\r\n');
		expect(multi.text).toBe('plain');
	});

	it('admin HTTP: seed, deliver to a URL, faults, latency, state, requests, mail, reset', async () => {
		const admin = sb.urls.admin;
		const call = async (method: string, path: string, body?: unknown) => {
			const response = await fetch(`${admin}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
			return { status: response.status, body: (await response.json()) as any };
		};
		const seeded = await call('POST', '/seed-order', { tier: 'grassroots' });
		expect(seeded.body.contract.tier).toBe('grassroots');
		let received: any;
		const receiver = http.createServer((req, res) => {
			let raw = '';
			req.on('data', (c) => (raw += c));
			req.on('end', () => {
				received = { headers: req.headers, raw };
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end('{"ok":true}');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
		const port = (receiver.address() as any).port;
		const delivered = await call('POST', '/deliver/automations', { url: `http://127.0.0.1:${port}/hook`, orderId: seeded.body.orderId });
		expect(delivered.body).toMatchObject({ status: 200, body: { ok: true }, sentAt: expect.any(String) });
		expect(received.headers['verifier-token']).toBe(sb.credentials.vmfWebhookApi.verifierToken);
		expect(JSON.parse(received.raw).orderId).toBe(seeded.body.orderId);
		const market = await call('POST', '/deliver/marketplace', { url: `http://127.0.0.1:${port}/mp`, event: 'provisioned', fields: { vendor_order_id: seeded.body.orderId } });
		expect(market.body.status).toBe(200);
		expect(received.raw.split('.')).toHaveLength(3);
		receiver.close();
		expect((await call('POST', '/faults', { fake: 'vtm', rule: { route: '*', times: 1, fault: { status: 500 } } })).status).toBe(200);
		expect((await call('POST', '/faults', { fake: 'nope', rule: {} })).status).toBe(400);
		expect((await call('POST', '/faults', {})).status).toBe(400);
		expect((await call('POST', '/latency', { ms: 5 })).body).toEqual({ latencyMs: 5 });
		expect((await call('POST', '/latency', {})).status).toBe(400);
		await call('POST', '/latency', { ms: 0 });
		const state = await call('GET', '/state');
		expect(state.body.vmf.orders).toHaveLength(1);
		expect(state.body.vtm.tasks).toHaveLength(2);
		// The three catalog prices and the metered one.
		expect(state.body.stripe.objects.price).toHaveLength(4);
		expect(Object.keys((await call('GET', '/requests')).body)).toEqual(['vmf', 'vtm', 'superAdmin', 'stripe', 'docusign', 'salesforce', 'hubspot']);
		expect((await call('GET', '/mail')).body).toEqual({ messages: [] });
		expect((await call('POST', '/faults/clear')).body).toEqual({ cleared: true });
		expect((await call('POST', '/reset')).body).toEqual({ reset: true });
		expect((await call('GET', '/state')).body.vmf.orders).toHaveLength(0);
		expect((await call('GET', '/nowhere')).status).toBe(404);
		expect((await call('POST', '/deliver/automations', { url: 1 })).status).toBe(400);
	});
});
