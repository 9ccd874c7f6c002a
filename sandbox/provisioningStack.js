// @ts-check
'use strict';

const crypto = require('node:crypto');
const net = require('node:net');
const { startProvisioningFakes } = require('./provisioning');
const { reachable, startPglite } = require('./provisioning/postgres');

/**
 * The cloud-provisioning fakes inside the local stack (startSandbox): started with it, closed with it, and their
 * URLs and credentials handed out as n8n credential data under the credential types' names (fields as the
 * credentials define them). The webhook secrets are the ones the fakes sign with once a receiver is registered
 * through `registerGitlabHook` / `registerTerraformNotification`.
 *
 * `provisioningPostgresApi` is the cluster tenant databases are created on: the machine's PostgreSQL
 * (`postgresAdminUrl`, else `Q2C_TEST_POSTGRES_URL`, else postgres://postgres@127.0.0.1:5432/postgres) when it
 * answers; otherwise a loopback port that starts one PGlite process on its first connection (so startup stays
 * fast) and forwards to it: user `postgres`, database `postgres`, no password (PGlite checks none), no TLS.
 *
 * @typedef {import('./provisioning').ProvisioningPorts & { postgres?: number }} ProvisioningStackPorts
 */

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const secret = (/** @type {string} */ prefix) => `${prefix}${crypto.randomBytes(16).toString('hex')}`;

/** @param {string} url */
function postgresCredential(url) {
	const parsed = new URL(url);
	const sslmode = parsed.searchParams.get('sslmode');
	return {
		host: parsed.hostname,
		port: Number(parsed.port) || 5432,
		database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
		user: decodeURIComponent(parsed.username) || 'postgres',
		password: decodeURIComponent(parsed.password),
		ssl: Boolean(sslmode && sslmode !== 'disable'),
		tenantHost: '',
	};
}

/**
 * A loopback PostgreSQL endpoint backed by PGlite, started on the first connection.
 * @param {number} port
 * @returns {Promise<{ port: number, started: () => boolean, close: () => Promise<void> }>}
 */
function lazyPglite(port) {
	/** @type {Promise<{ port: number, stop: () => Promise<void> }> | null} */
	let backend = null;
	/** @type {Set<net.Socket>} */
	const sockets = new Set();
	const server = net.createServer((client) => {
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
		client.pause();
		(backend ??= startPglite())
			.then(({ port: target }) => {
				const upstream = net.connect(target, '127.0.0.1');
				sockets.add(upstream);
				upstream.on('close', () => sockets.delete(upstream));
				upstream.on('error', () => client.destroy());
				client.on('error', () => upstream.destroy());
				client.pipe(upstream).pipe(client);
				client.resume();
			})
			.catch(() => client.destroy());
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () =>
			resolve({
				port: /** @type {net.AddressInfo} */ (server.address()).port,
				started: () => backend !== null,
				async close() {
					for (const socket of sockets) socket.destroy();
					await new Promise((done) => server.close(() => done(undefined)));
					if (backend) await (await backend.catch(() => null))?.stop();
				},
			}),
		);
	});
}

/**
 * @param {{ ports?: ProvisioningStackPorts, postgresAdminUrl?: string, delays?: import('./provisioning').ProvisioningDelays }} [options]
 */
async function startProvisioningStack(options = {}) {
	const { postgres: postgresPort, ...ports } = options.ports ?? {};
	const adminUrl = options.postgresAdminUrl ?? process.env.Q2C_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
	const [machinePostgres, fakes] = await Promise.all([reachable(adminUrl), startProvisioningFakes({ postgresAdminUrl: adminUrl, ports, delays: options.delays })]);
	let pglite = null;
	try {
		if (!machinePostgres) pglite = await lazyPglite(postgresPort ?? 0);
	} catch (error) {
		await fakes.close();
		throw error;
	}
	const webhookSecrets = { gitlab: secret('glwh_'), terraform: secret('tfnt_') };
	const { aws, gitlab, jenkins, terraform, cloudflare } = fakes.credentials;
	const urls = /** @type {Record<string, string>} */ (fakes.urls);
	const credentials = {
		provisioningAwsApi: {
			authentication: 'accessKey',
			region: aws.region,
			accessKeyId: aws.accessKeyId,
			secretAccessKey: aws.secretAccessKey,
			sessionToken: '',
			rdsEndpoint: urls.rds,
			secretsManagerEndpoint: urls.secretsManager,
			route53Endpoint: urls.route53,
			// The fake hands out the machine's PostgreSQL (or PGlite), which has no TLS; real RDS gets `require`.
			databaseTls: 'disable',
		},
		provisioningPostgresApi: pglite ? { host: '127.0.0.1', port: pglite.port, database: 'postgres', user: 'postgres', password: '', ssl: false, tenantHost: '' } : postgresCredential(adminUrl),
		provisioningGitlabApi: { baseUrl: urls.gitlab, triggerToken: gitlab.triggerToken, accessToken: gitlab.privateToken },
		provisioningJenkinsApi: { baseUrl: urls.jenkins, username: jenkins.user, apiToken: jenkins.apiToken },
		provisioningTerraformApi: { baseUrl: urls.terraform, token: terraform.token, organization: terraform.organization },
		provisioningCloudflareApi: { apiToken: cloudflare.apiToken, baseUrl: urls.cloudflareApi },
		provisioningGitlabWebhookApi: { secretToken: webhookSecrets.gitlab, previousSecretToken: '' },
		provisioningTerraformWebhookApi: { notificationToken: webhookSecrets.terraform, previousNotificationToken: '' },
	};

	return {
		/** Each fake's base URL (rds, secretsManager, route53, cloudflare, gitlab, jenkins, terraform) and the PostgreSQL's. */
		urls: {
			rds: urls.rds,
			secretsManager: urls.secretsManager,
			route53: urls.route53,
			cloudflare: urls.cloudflare,
			gitlab: urls.gitlab,
			jenkins: urls.jenkins,
			terraform: urls.terraform,
			postgres: `postgres://${credentials.provisioningPostgresApi.host}:${credentials.provisioningPostgresApi.port}`,
		},
		credentials,
		/** `machine` (the PostgreSQL server answered) or `pglite` (started on first use). */
		postgresBackend: /** @type {'machine' | 'pglite'} */ (pglite ? 'pglite' : 'machine'),
		pgliteStarted: () => Boolean(pglite?.started()),
		fakes: fakes.fakes,
		state: fakes.state,
		/** Send GitLab Pipeline Hooks of project `projectId` (1) to `url`, with the credential's secret token. @param {string} url @param {number} [projectId] */
		registerGitlabHook: (url, projectId = 1) => fakes.fakes.gitlab.addHook(projectId, { url, token: webhookSecrets.gitlab }),
		/**
		 * Send HCP Terraform run notifications of the workspace (the seeded one) to `url`, signed with the credential's token.
		 * @param {string} url @param {{ workspaceId?: string, triggers?: string[] }} [options]
		 */
		async registerTerraformNotification(url, options = {}) {
			const workspaceId = options.workspaceId ?? terraform.workspaceId;
			const triggers = options.triggers ?? ['run:created', 'run:planning', 'run:needs_attention', 'run:applying', 'run:completed', 'run:errored'];
			const body = { data: { type: 'notification-configurations', attributes: { 'destination-type': 'generic', enabled: true, name: 'q2c provisioning', url, token: webhookSecrets.terraform, triggers } } };
			const response = await fetch(`${urls.terraformApi}/workspaces/${workspaceId}/notification-configurations`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${terraform.token}`, 'Content-Type': 'application/vnd.api+json' },
				body: JSON.stringify(body),
			});
			const answer = /** @type {any} */ (await response.json());
			if (!response.ok) throw Object.assign(new Error(`Terraform fake refused the notification configuration: ${JSON.stringify(answer.errors)}`), { status: 400 });
			return { id: answer.data.id, url, triggers };
		},
		/** Clear every fake's runs, pipelines, records and deliveries (credentials, projects, jobs and workspaces stay). */
		reset() {
			for (const fake of Object.values(fakes.fakes)) fake.reset();
		},
		async close() {
			await Promise.all([fakes.close(), pglite?.close()]);
		},
	};
}

/**
 * The stack's admin routes for what it adds (sandbox/index.js startAdmin; JSON in and out):
 * `POST /seed-metered`, `POST /stripe/webhook-endpoints` `{ url, enabledEvents? }`,
 * `POST /provisioning/gitlab-hooks` `{ url, projectId? }`, `POST /provisioning/terraform-notifications` `{ url, workspaceId?, triggers? }`.
 * @param {any} sandbox the started sandbox @param {(message: string) => Error} badRequest
 * @returns {Record<string, (body: any) => unknown>}
 */
function extraAdminRoutes(sandbox, badRequest) {
	/** @param {any} body @param {string} expected */
	const urlOf = (body, expected) => {
		if (!body || typeof body.url !== 'string') throw badRequest(`Expected ${expected}`);
		return body.url;
	};
	return {
		'POST /seed-metered': () => sandbox.seedMeteredCatalog(),
		'POST /stripe/webhook-endpoints': (body) => sandbox.addStripeWebhookEndpoint(urlOf(body, '{ url, enabledEvents? }'), body.enabledEvents),
		'POST /provisioning/gitlab-hooks': (body) => sandbox.provisioning.registerGitlabHook(urlOf(body, '{ url, projectId? }'), body.projectId),
		'POST /provisioning/terraform-notifications': (body) => sandbox.provisioning.registerTerraformNotification(urlOf(body, '{ url, workspaceId?, triggers? }'), body),
	};
}

module.exports = { startProvisioningStack, extraAdminRoutes };
