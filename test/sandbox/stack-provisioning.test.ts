import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { Client } from 'pg';
import Stripe from 'stripe';

const { startSandbox } = require('../../sandbox');

/**
 * The local stack hands out working provisioning credentials under the fixed credential type names: each
 * vendor's credential-test endpoint answers 200 with them and 401 with a wrong token, the webhook secrets are
 * the ones the fakes sign with, and close() stops everything.
 */

type Hit = { path: string; headers: http.IncomingHttpHeaders; raw: string };

describe('startSandbox: provisioning fakes in the local stack', () => {
	let sb: any;
	let receiver: http.Server;
	let receiverUrl: string;
	const hits: Hit[] = [];
	const waitFor = async (path: string) => {
		for (let i = 0; i < 100; i++) {
			const hit = hits.find((h) => h.path === path);
			if (hit) return hit;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`nothing arrived at ${path}`);
	};
	const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				hits.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(200).end('{}');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as any).port}`;
		sb = await startSandbox();
	});
	afterAll(async () => {
		await sb?.close();
		await new Promise((resolve) => receiver.close(resolve));
	});

	it('answers each credential test with the handed-out token, and 401 with a wrong one', async () => {
		const { provisioningGitlabApi: gitlab, provisioningJenkinsApi: jenkins, provisioningTerraformApi: terraform, provisioningCloudflareApi: cloudflare } = sb.credentials;
		const check = async (url: string, good: Record<string, string>, bad: Record<string, string>) => {
			const ok = await fetch(url, { headers: good });
			const refused = await fetch(url, { headers: bad });
			return { ok: ok.status, body: await ok.json(), refused: refused.status };
		};
		const gitlabVersion = await check(`${gitlab.baseUrl}/api/v4/version`, { 'PRIVATE-TOKEN': gitlab.accessToken }, { 'PRIVATE-TOKEN': 'glpat-wrong' });
		expect(gitlabVersion).toMatchObject({ ok: 200, refused: 401, body: { version: expect.any(String) } });
		const jenkinsRoot = await check(`${jenkins.baseUrl}/api/json`, { Authorization: basic(jenkins.username, jenkins.apiToken) }, { Authorization: basic(jenkins.username, 'wrong') });
		expect(jenkinsRoot).toMatchObject({ ok: 200, refused: 401, body: { _class: 'hudson.model.Hudson', jobs: expect.arrayContaining([expect.objectContaining({ name: 'provision-tenant' })]) } });
		const account = await check(`${terraform.baseUrl}/api/v2/account/details`, { Authorization: `Bearer ${terraform.token}` }, { Authorization: 'Bearer wrong' });
		expect(account).toMatchObject({ ok: 200, refused: 401, body: { data: { type: 'users' } } });
		expect((await fetch(`${terraform.baseUrl}/api/v2/organizations/${terraform.organization}/workspaces`, { headers: { Authorization: `Bearer ${terraform.token}` } })).status).toBe(200);
		const verify = await check(`${cloudflare.baseUrl}/user/tokens/verify`, { Authorization: `Bearer ${cloudflare.apiToken}` }, { Authorization: 'Bearer wrongtoken' });
		expect(verify).toMatchObject({ ok: 200, refused: 401, body: { success: true, result: { status: 'active' } } });
	});

	it('hands out AWS access keys with endpoint overrides, and the PostgreSQL the fakes use', async () => {
		const aws = sb.credentials.provisioningAwsApi;
		expect(aws).toMatchObject({ authentication: 'accessKey', region: 'us-east-1', rdsEndpoint: sb.urls.rds, secretsManagerEndpoint: sb.urls.secretsManager, route53Endpoint: sb.urls.route53 });
		const route53 = (secretAccessKey: string) => new Route53Client({ region: aws.region, endpoint: aws.route53Endpoint, credentials: { accessKeyId: aws.accessKeyId, secretAccessKey }, maxAttempts: 1 });
		expect((await route53(aws.secretAccessKey).send(new ListHostedZonesCommand({}))).HostedZones).toEqual([]);
		await expect(route53('wrong-secret').send(new ListHostedZonesCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });

		const pg = sb.credentials.provisioningPostgresApi;
		expect(pg).toMatchObject({ host: expect.any(String), port: expect.any(Number), database: expect.any(String), user: expect.any(String), ssl: false });
		const client = new Client({ host: pg.host, port: pg.port, database: pg.database, user: pg.user, password: pg.password });
		await client.connect();
		try {
			expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
		} finally {
			await client.end();
		}
	});

	it('signs webhooks with the secrets in stripeWebhookApi, provisioningGitlabWebhookApi and provisioningTerraformWebhookApi', async () => {
		const { billingStripeApi, stripeWebhookApi, provisioningGitlabApi: gitlab, provisioningGitlabWebhookApi, provisioningTerraformWebhookApi } = sb.credentials;
		const admin = async (path: string, body: unknown) => (await fetch(`${sb.urls.admin}${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<any>;

		expect(await admin('/stripe/webhook-endpoints', { url: `${receiverUrl}/stripe`, enabledEvents: ['checkout.session.completed'] })).toMatchObject({ secret: stripeWebhookApi.signingSecret });
		const { priceId } = await admin('/seed-metered', {});
		const stripe = new Stripe(billingStripeApi.secretKey, { host: '127.0.0.1', port: Number(new URL(billingStripeApi.baseUrl).port), protocol: 'http', maxNetworkRetries: 0 });
		const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: priceId }], customer_email: 'a@b.test', success_url: 'https://app.test/ok' });
		await fetch(`${sb.urls.stripe}/__sandbox/checkout/sessions/${session.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"success"}' });
		const stripeHit = await waitFor('/stripe');
		const event = stripe.webhooks.constructEvent(stripeHit.raw, String(stripeHit.headers['stripe-signature']), stripeWebhookApi.signingSecret);
		expect(event).toMatchObject({ type: 'checkout.session.completed', data: { object: { id: session.id } } });

		sb.provisioning.registerGitlabHook(`${receiverUrl}/gitlab`);
		const triggered = await fetch(`${gitlab.baseUrl}/api/v4/projects/1/trigger/pipeline`, { method: 'POST', body: new URLSearchParams({ token: gitlab.triggerToken, ref: 'main' }) });
		expect(triggered.status).toBe(201);
		expect((await waitFor('/gitlab')).headers['x-gitlab-token']).toBe(provisioningGitlabWebhookApi.secretToken);

		await admin('/provisioning/terraform-notifications', { url: `${receiverUrl}/terraform` });
		const terraformHit = await waitFor('/terraform');
		expect(terraformHit.headers['x-tfe-notification-signature']).toBe(createHmac('sha512', provisioningTerraformWebhookApi.notificationToken).update(terraformHit.raw).digest('hex'));
	});

	it('close() stops every provisioning fake', async () => {
		const { urls } = sb;
		await sb.close();
		sb = null;
		for (const url of [urls.gitlab, urls.jenkins, urls.terraform, urls.cloudflare, urls.rds, urls.stripe, urls.admin]) {
			await expect(fetch(url)).rejects.toThrow();
		}
	});
});
