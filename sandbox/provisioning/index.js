// @ts-check
'use strict';

const crypto = require('node:crypto');
const { newAwsCredentials } = require('./awsAuth');
const { createSecretsManagerFake } = require('./secretsManager');
const { createRdsFake } = require('./rds');
const { createRoute53Fake } = require('./route53');
const { createCloudflareFake } = require('./cloudflare');
const { createGitlabFake } = require('./gitlab');
const { createJenkinsFake } = require('./jenkins');
const { createTerraformFake } = require('./terraform');

/**
 * Every cloud-provisioning fake on loopback, with fresh random credentials. `close()` stops them all and drops
 * every real database the RDS fake created (or stops its PGlite processes).
 *
 * @typedef {{ rds?: Partial<{ creating: number, backingUp: number, deleting: number }>, route53?: Partial<{ sync: number }>,
 *   cloudflare?: Partial<{ zoneActivation: number }>, gitlab?: Partial<{ pending: number, running: number, finish: number }>,
 *   jenkins?: Partial<{ queue: number, build: number }>, terraform?: Partial<{ queue: number, plan: number, apply: number }> }} ProvisioningDelays
 * @typedef {Partial<Record<'rds' | 'secretsManager' | 'route53' | 'cloudflare' | 'gitlab' | 'jenkins' | 'terraform', number>>} ProvisioningPorts
 */

/**
 * @param {{ postgresAdminUrl?: string, delays?: ProvisioningDelays, ports?: ProvisioningPorts, timeScale?: number, region?: string }} [options]
 */
async function startProvisioningFakes(options = {}) {
	const delays = options.delays ?? {};
	const ports = options.ports ?? {};
	const region = options.region ?? 'us-east-1';
	const accountId = String(100_000_000_000 + crypto.randomInt(800_000_000_000));
	const aws = newAwsCredentials();
	const timeScale = options.timeScale;

	const secretsManager = createSecretsManagerFake({ credentials: aws, region, accountId });
	const fakes = {
		secretsManager,
		rds: createRdsFake({ credentials: aws, secrets: secretsManager, postgresAdminUrl: options.postgresAdminUrl, region, accountId, timeScale, delays: delays.rds }),
		route53: createRoute53Fake({ credentials: aws, timeScale, delays: delays.route53 }),
		cloudflare: createCloudflareFake({ timeScale, delays: delays.cloudflare }),
		gitlab: createGitlabFake({ timeScale, delays: delays.gitlab }),
		jenkins: createJenkinsFake({ timeScale, delays: delays.jenkins }),
		terraform: createTerraformFake({ timeScale, delays: delays.terraform }),
	};
	/** @type {Record<string, string>} */
	const urls = {};
	try {
		for (const [name, fake] of Object.entries(fakes)) urls[name] = (await fake.listen(/** @type {any} */ (ports)[name] ?? 0)).url;
	} catch (error) {
		await Promise.all(Object.values(fakes).map((fake) => fake.close()));
		throw error;
	}

	return {
		urls: { ...urls, cloudflareApi: `${urls.cloudflare}/client/v4`, gitlabApi: `${urls.gitlab}/api/v4`, terraformApi: `${urls.terraform}/api/v2` },
		credentials: {
			aws: { ...aws, region, accountId },
			cloudflare: fakes.cloudflare.credentials(),
			gitlab: fakes.gitlab.credentials(),
			jenkins: fakes.jenkins.credentials(),
			terraform: fakes.terraform.credentials(),
		},
		fakes,
		/** What every fake holds, by name. */
		state: () => Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.state()])),
		/** Stop every fake; the RDS fake drops its databases first. */
		async close() {
			await Promise.all(Object.values(fakes).map((fake) => fake.close()));
		},
	};
}

module.exports = { startProvisioningFakes };
