// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createVmfFake } = require('./vmf');
const { createVtmFake } = require('./vtm');
const { createSuperAdminFake } = require('./superadmin');
const { createStripeFake } = require('./stripe');
const { createSmtpSink } = require('./smtp');
const { startQuoteToCashFakes } = require('./quoteToCash');
const { buildSignedOrder, ensureCatalog } = require('./seed');
const deliveries = require('./deliveries');
const { specLayerReport } = require('./core/vendorSpecs');
const { createVendorLimits, parseVendorLimits } = require('./lib/rateLimitVendors');
const { startProvisioningStack, extraAdminRoutes } = require('./provisioningStack');
const { serveJsonRoutes } = require('./adminServer');
const sharedDatabase = require('./superadmin/sharedDatabase');
const { createOpaFake } = require('./opa');

/**
 * Every fake vendor the templates call, started together on loopback, with the n8n credential data that points at
 * them, order seeding, signed deliveries, and an admin HTTP surface for other processes (see sandbox/README.md).
 *
 * @typedef {{ vmf?: number, vtm?: number, superAdmin?: number, stripe?: number, smtp?: number, admin?: number, docusign?: number, salesforce?: number, hubspot?: number,
 *   provisioning?: import('./provisioningStack').ProvisioningStackPorts }} SandboxPorts
 * @typedef {'vmf' | 'vtm' | 'superAdmin' | 'stripe' | 'docusign' | 'salesforce' | 'hubspot'} FakeName
 */

const FAKES = /** @type {const} */ (['vmf', 'vtm', 'superAdmin', 'stripe', 'docusign', 'salesforce', 'hubspot']);
const CRM_ESIGN_FAKES = /** @type {const} */ (['docusign', 'salesforce', 'hubspot']);
const secret = (/** @type {string} */ prefix) => `${prefix}${crypto.randomBytes(12).toString('hex')}`;

/** The Reporting Queue (Redis) credential's fields from a redis:// URL. @param {string} url */
function redisCredential(url) {
	const parsed = new URL(url);
	return {
		host: parsed.hostname,
		port: Number(parsed.port || 6379),
		username: decodeURIComponent(parsed.username),
		password: decodeURIComponent(parsed.password),
		database: Number(parsed.pathname.slice(1) || 0),
		tls: parsed.protocol === 'rediss:',
	};
}

/**
 * @param {{ latencyMs?: number, ports?: SandboxPorts, partnerId?: string, vendorLimits?: import('./lib/rateLimitVendors').VendorLimitsSetting, postgresAdminUrl?: string }} [options]
 *   vendorLimits: the vendors' own rate limits (lib/rateLimitVendors.js), off by default; postgresAdminUrl: see provisioningStack.js
 */
async function startSandbox(options = {}) {
	let latency = Math.max(0, Number(options.latencyMs) || 0);
	const latencyMs = () => latency;
	const ports = options.ports || {};
	const partnerId = options.partnerId || 'PTNR-SANDBOX';
	const keys = deliveries.generateMarketplaceKeys();
	const tokens = {
		vmf: secret('vmf_sandbox_'),
		superAdmin: secret('sa_sandbox_'),
		stripe: secret('sk_test_sandbox'),
		verifier: secret('vt_sandbox_'),
		stripeWebhook: secret('whsec_sandbox'),
	};

	const vmf = createVmfFake({ accessToken: tokens.vmf, latencyMs });
	const vtm = createVtmFake({ accessToken: tokens.vmf, latencyMs });
	const superAdmin = createSuperAdminFake({ apiKey: tokens.superAdmin, latencyMs });
	const stripe = createStripeFake({ webhookSecret: tokens.stripeWebhook });
	stripe.app.before(async () => {
		if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
		return undefined;
	});
	const mail = createSmtpSink({ latencyMs });
	/** @type {Record<string, { app: any }>} */
	const fakes = { vmf, vtm, superAdmin, stripe };
	/** @type {Awaited<ReturnType<typeof startQuoteToCashFakes>>} */
	let crm;
	/** @type {Awaited<ReturnType<typeof startProvisioningStack>>} */
	let provisioning;

	const started = [];
	/** @type {{ vmfPlatform: string, vmfMarketplace: string, vtm: string, superAdmin: string, stripe: string, smtpHost: string, smtpPort: number, docusign: string, salesforce: string, hubspot: string, admin: string } & Awaited<ReturnType<typeof startProvisioningStack>>['urls']} */
	let urls;
	try {
		const vmfUrl = (await vmf.listen(ports.vmf || 0)).url;
		started.push(vmf);
		const vtmUrl = (await vtm.listen(ports.vtm || 0)).url;
		started.push(vtm);
		const superAdminUrl = (await superAdmin.listen(ports.superAdmin || 0)).url;
		started.push(superAdmin);
		const stripeUrl = (await stripe.listen(ports.stripe || 0)).url;
		started.push(stripe);
		await mail.listen(ports.smtp || 0);
		started.push(mail);
		crm = await startQuoteToCashFakes({ latencyMs, ports });
		started.push(crm);
		Object.assign(fakes, { docusign: crm.docusign, salesforce: crm.salesforce, hubspot: crm.hubspot });
		provisioning = await startProvisioningStack({ ports: ports.provisioning, postgresAdminUrl: options.postgresAdminUrl });
		started.push(provisioning);
		// The academy app stand-in (Super Admin fake) and the shared Tier 1 tables live in the provisioning PostgreSQL.
		superAdmin.useDatabase({ adminUrl: sharedDatabase.platformDatabaseUrl(provisioning.credentials.provisioningPostgresApi) });
		urls = {
			vmfPlatform: `${vmfUrl}${vmf.PLATFORM_BASE}`,
			vmfMarketplace: `${vmfUrl}${vmf.MARKETPLACE_BASE}`,
			vtm: `${vtmUrl}${vtm.BASE}`,
			superAdmin: superAdminUrl,
			stripe: stripeUrl,
			smtpHost: mail.host,
			smtpPort: mail.port,
			docusign: crm.urls.docusign,
			salesforce: crm.urls.salesforce,
			hubspot: crm.urls.hubspot,
			...provisioning.urls,
			admin: '',
		};
	} catch (error) {
		await Promise.all(started.map((s) => s.close()));
		throw error;
	}

	const vendorLimits = createVendorLimits({ stripe: stripe.rateLimit, hubspot: crm.hubspot.rateLimit, docusign: crm.docusign.rateLimit, salesforce: crm.salesforce.rateLimit });
	try {
		vendorLimits.set(options.vendorLimits);
	} catch (error) {
		await Promise.all(started.map((s) => s.close()));
		throw error;
	}

	const credentials = {
		vmfApi: {
			accessToken: tokens.vmf,
			partnerId,
			platformBaseUrl: urls.vmfPlatform,
			marketplaceBaseUrl: urls.vmfMarketplace,
			marketplaceAccessToken: '',
			vtmBaseUrl: urls.vtm,
			vtmAccessToken: '',
			// The VMF, VTM and Super Admin fakes enforce no limit; the stack sets these credentials as a user sets theirs to what the platform allows.
			requestsPerSecond: 100,
		},
		vmfWebhookApi: { marketplacePublicPem: keys.publicPem, secondaryPublicPem: '', marketplaceAppIds: deliveries.MARKETPLACE_APP_ID, replayWindowSec: 300, verifierToken: tokens.verifier, previousVerifierToken: '' },
		superAdminApi: { baseUrl: urls.superAdmin, apiKey: tokens.superAdmin, requestsPerSecond: 100 },
		billingStripeApi: { secretKey: tokens.stripe, baseUrl: urls.stripe, webhookSigningSecrets: tokens.stripeWebhook },
		smtp: { host: urls.smtpHost, port: urls.smtpPort, secure: false, disableStartTls: true, user: '', password: '' },
		...crm.credentials,
		stripeWebhookApi: { signingSecret: tokens.stripeWebhook, previousSigningSecret: '', toleranceSeconds: 300 },
		// Header auth of the enterprise-provisioning webhook (what the super-admin dashboard sends).
		httpHeaderAuth: { name: 'X-Q2C-Provisioning-Token', value: secret('ent_sandbox_') },
		// The support templates' risk stream: the machine's Redis (Q2C_REDIS_URL), which the sandbox does not start.
		reportingRedisApi: redisCredential(process.env.Q2C_REDIS_URL || 'redis://127.0.0.1:6379'),
		// The RevOps templates' tenant: the shipped default profile on the built-in engine.
		revOpsConfigApi: { tenant: 'default', profile: 'default', config: '', engine: 'builtin', opaUrl: '', opaPackagePath: 'q2c/revops', opaToken: '' },
		...provisioning.credentials,
	};

	/** @param {import('./seed').SeedOverrides} [overrides] */
	function seedSignedOrder(overrides = {}) {
		const built = buildSignedOrder(overrides, { partnerId });
		vmf.putOrder({ order: built.order, partnerId: built.partnerId, customFields: built.customFields, activationId: overrides.activationId });
		const project = vtm.putProject(built.orderId, built.tasks);
		const prices = ensureCatalog(stripe.store);
		stripe.ensureMeteredCatalog();
		return Promise.resolve({ orderId: built.orderId, businessKey: built.orderId, contract: built.contract, tasks: project.tasks, prices });
	}

	/** @param {FakeName} name */
	function fake(name) {
		const found = fakes[name];
		if (!found) throw Object.assign(new Error(`Unknown fake "${name}" (one of ${FAKES.join(', ')})`), { status: 400 });
		return found.app;
	}

	const sandbox = {
		urls,
		credentials,
		partnerId,
		marketplaceKeys: keys,
		seedSignedOrder,
		/** @param {string} orderId @param {{ token?: string | null, body?: Record<string, unknown> }} [opts] token null = unsigned */
		automationsDelivery: (orderId, opts = {}) =>
			deliveries.automationsDelivery({ orderId, partnerId, token: opts.token === undefined ? tokens.verifier : opts.token, body: opts.body }),
		/** @param {string} event @param {Record<string, unknown>} [fields] @param {{ jwt?: Record<string, unknown>, privatePem?: string, now?: number }} [opts] */
		marketplaceDelivery: (event, fields = {}, opts = {}) =>
			deliveries.marketplaceDelivery(event, fields, { privatePem: opts.privatePem || keys.privatePem, partnerId, jwt: opts.jwt, now: opts.now }),
		mail: { messages: mail.messages, waitFor: mail.waitFor, clear: mail.clear, setDown: mail.setDown },
		/** Quote-to-cash vendors: seedWonDeal(provider, overrides?), deliverDealWon(deal, url, { forge? }), envelopesFor(businessKey). */
		/** @param {'salesforce' | 'hubspot'} provider @param {import('./quoteToCash').DealOverrides} [overrides] */
		seedWonDeal: (provider, overrides) => {
			ensureCatalog(stripe.store);
			stripe.ensureMeteredCatalog();
			return crm.seedWonDeal(provider, overrides);
		},
		deliverDealWon: crm.deliverDealWon,
		envelopesFor: crm.envelopesFor,
		/** @param {string} envelopeId @param {'envelope-completed' | 'envelope-declined' | 'envelope-voided' | 'envelope-delivered'} event @param {{ reason?: string }} [opts] */
		transitionEnvelope: (envelopeId, event, opts) => crm.docusign.transition(envelopeId, event, opts),
		/** @param {string} event @param {string} envelopeId @param {{ keys?: string[], forge?: boolean, generatedDateTime?: string }} [opts] */
		connectDelivery: (event, envelopeId, opts) => crm.docusign.connectDelivery(event, envelopeId, opts),
		crm,
		/** Cloud-provisioning fakes; the metered catalog; Stripe events to `url` (see provisioningStack.js, README). */
		provisioning,
		seedMeteredCatalog: () => stripe.ensureMeteredCatalog(),
		/** Tier 1 rows of `tenantId` in the shared tables (courses × (1 + perCourse) rows); see superadmin/sharedDatabase.js. @param {string} tenantId @param {{ courses?: number, perCourse?: number }} [size] */
		seedSharedTenant: (tenantId, size) => sharedDatabase.withDatabase(sharedDatabase.platformDatabaseUrl(provisioning.credentials.provisioningPostgresApi), (c) => sharedDatabase.seedTenant(c, tenantId, size)),
		/** @param {string} url @param {string[]} [enabledEvents] */
		addStripeWebhookEndpoint: (url, enabledEvents) => stripe.webhooks.add({ url, enabledEvents }),
		state: () => ({
			vmf: vmf.app.state(),
			vtm: vtm.app.state(),
			superAdmin: superAdmin.app.state(),
			stripe: stripe.app.state(),
			...crm.state(),
			mail: mail.messages(),
			provisioning: provisioning.state(),
		}),
		requests: () => Object.fromEntries(FAKES.map((name) => [name, fake(name).requests])),
		/** Whether the vendor-spec layer is on and what it checked (Q2C_VENDOR_SPECS; see core/vendorSpecs.js). */
		specLayer: () => specLayerReport(),
		/** @param {number} ms */
		setLatency(ms) {
			latency = Math.max(0, Number(ms) || 0);
		},
		get latencyMs() {
			return latency;
		},
		/** Vendor rate limits: false (off), true (documented defaults) or per-vendor settings; returns what applies now. @param {import('./lib/rateLimitVendors').VendorLimitsSetting} setting */
		setVendorLimits: (setting) => vendorLimits.set(setting),
		vendorLimitSettings: vendorLimits.settings,
		/** Per vendor `{ enabled, requests, limited, byPolicy }` since start or the last reset(). */
		vendorLimitStats: vendorLimits.stats,
		/** @param {FakeName} name @param {object | object[]} rule */
		addFault: (name, rule) => fake(name).addFaults(rule),
		clearFaults() {
			for (const name of FAKES) fake(name).clearFaults();
		},
		/** Clears every fake's state, request log, faults and rate-limit windows/counters, and the mailbox (latency and vendor-limit settings are kept). */
		async reset() {
			for (const name of FAKES) if (!CRM_ESIGN_FAKES.includes(/** @type {any} */ (name))) fake(name).reset();
			await crm.docusign.idle();
			crm.reset();
			mail.clear();
			mail.setDown(false);
			provisioning.reset();
		},
		async close() {
			await Promise.all([vmf.close(), vtm.close(), superAdmin.close(), stripe.close(), mail.close(), crm.close(), provisioning.close(), closeAdmin()]);
		},
	};

	const { url: adminUrl, close: closeAdmin } = await startAdmin(sandbox, ports.admin || 0);
	urls.admin = adminUrl;
	return sandbox;
}

/** @typedef {Awaited<ReturnType<typeof startSandbox>>} Sandbox */

/**
 * The admin HTTP surface for other processes (demo, bench).
 * @param {Sandbox} sandbox @param {number} port
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
function startAdmin(sandbox, port) {
	/** Deals seeded over HTTP, so a later delivery can name them by id. @type {Map<string, any>} */
	const seededDeals = new Map();
	/** @type {Record<string, (body: any, url: URL) => unknown>} */
	const routes = {
		'GET /': () => ({ urls: sandbox.urls, latencyMs: sandbox.latencyMs }),
		'GET /urls': () => sandbox.urls,
		'GET /credentials': () => sandbox.credentials,
		'GET /state': () => sandbox.state(),
		'GET /requests': () => sandbox.requests(),
		'GET /spec-layer': () => sandbox.specLayer(),
		'GET /mail': () => ({ messages: sandbox.mail.messages() }),
		'POST /seed-order': (body) => sandbox.seedSignedOrder(body || {}),
		'POST /deliver/automations': async (body) => {
			if (!body || typeof body.url !== 'string' || typeof body.orderId !== 'string') throw badRequest('Expected { url, orderId, token? }');
			return deliveries.send(body.url, sandbox.automationsDelivery(body.orderId, { token: body.token, body: body.body }));
		},
		'POST /deliver/marketplace': async (body) => {
			if (!body || typeof body.url !== 'string' || typeof body.event !== 'string') throw badRequest('Expected { url, event, fields?, jwt? }');
			return deliveries.send(body.url, sandbox.marketplaceDelivery(body.event, body.fields || {}, { jwt: body.jwt }));
		},
		'POST /seed-deal': (body) => {
			if (!body || (body.provider !== 'salesforce' && body.provider !== 'hubspot')) throw badRequest('Expected { provider: "salesforce" | "hubspot", ...overrides }');
			const { provider, ...overrides } = body;
			const deal = sandbox.seedWonDeal(provider, overrides);
			seededDeals.set(deal.dealId, deal);
			return deal;
		},
		'POST /deliver/deal-won': async (body) => {
			const deal = body && seededDeals.get(body.dealId);
			if (!deal || typeof body.url !== 'string') throw badRequest('Expected { url, dealId } of a deal seeded through POST /seed-deal');
			return { ...(await sandbox.deliverDealWon(deal, body.url, { forge: body.forge === true })), sentAt: new Date().toISOString() };
		},
		'GET /envelopes': (_body, url) => sandbox.envelopesFor(url.searchParams.get('businessKey') ?? ''),
		'POST /envelopes/transition': async (body) => {
			if (!body || typeof body.envelopeId !== 'string' || typeof body.event !== 'string') throw badRequest('Expected { envelopeId, event, reason? }');
			const sentAt = new Date().toISOString();
			return { deliveries: await sandbox.transitionEnvelope(body.envelopeId, body.event, { reason: body.reason }), sentAt };
		},
		'POST /latency': (body) => {
			if (!body || !Number.isFinite(Number(body.ms))) throw badRequest('Expected { ms }');
			sandbox.setLatency(Number(body.ms));
			return { latencyMs: sandbox.latencyMs };
		},
		'POST /faults': (body) => {
			if (!body || typeof body.fake !== 'string' || !body.rule) throw badRequest('Expected { fake, rule }');
			return { faults: sandbox.addFault(body.fake, body.rule) };
		},
		'GET /vendor-limits': () => ({ settings: sandbox.vendorLimitSettings(), stats: sandbox.vendorLimitStats() }),
		'POST /vendor-limits': (body) => {
			if (body === undefined) throw badRequest('Expected true, false or { stripe?, hubspot?, docusign?, salesforce? }');
			return { settings: sandbox.setVendorLimits(body) };
		},
		'POST /faults/clear': () => {
			sandbox.clearFaults();
			return { cleared: true };
		},
		'POST /reset': async () => {
			await sandbox.reset();
			return { reset: true };
		},
		...extraAdminRoutes(sandbox, badRequest),
	};
	return serveJsonRoutes(routes, port);
}

/** @param {string} message */
const badRequest = (message) => Object.assign(new Error(message), { status: 400 });

module.exports = { startSandbox, createOpaFake };

if (require.main === module) {
	/** @param {string} name */
	const arg = (name) => {
		const found = process.argv.find((a) => a.startsWith(`--${name}=`));
		return found ? found.slice(name.length + 3) : process.env[`Q2C_SANDBOX_${name.toUpperCase().replace(/-/g, '_')}`];
	};
	const ports = JSON.parse(arg('ports') || '{}');
	if (arg('admin-port')) ports.admin = Number(arg('admin-port'));
	startSandbox({ latencyMs: Number(arg('latency') || 0), ports, vendorLimits: parseVendorLimits(arg('vendor-limits')) })
		.then((sandbox) => {
			process.stdout.write(`${JSON.stringify({ urls: sandbox.urls, credentials: sandbox.credentials }, null, 2)}\n`);
			const stop = () => sandbox.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((error) => {
			process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
			process.exit(1);
		});
}
