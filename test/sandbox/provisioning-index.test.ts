import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient, waitUntilDBInstanceAvailable } from '@aws-sdk/client-rds';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import Cloudflare from 'cloudflare';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const { startProvisioningFakes } = require('../../sandbox/provisioning');

/**
 * startProvisioningFakes: every fake answers with the credentials it hands out, and close() stops them all and
 * drops the real database an instance left behind.
 */

const ADMIN_URL = process.env.Q2C_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

it('starts every provisioning fake with working credentials and cleans up on close', async () => {
	const sandbox = await startProvisioningFakes({ postgresAdminUrl: ADMIN_URL, delays: { rds: { creating: 100, backingUp: 100 } } });
	const { urls, credentials } = sandbox;
	const aws = { region: credentials.aws.region, credentials: { accessKeyId: credentials.aws.accessKeyId, secretAccessKey: credentials.aws.secretAccessKey }, maxAttempts: 1 };
	const rds = new RDSClient({ ...aws, endpoint: urls.rds });
	try {
		await expect(new SecretsManagerClient({ ...aws, endpoint: urls.secretsManager }).send(new GetSecretValueCommand({ SecretId: 'nothing' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
		expect((await new Route53Client({ ...aws, endpoint: urls.route53 }).send(new ListHostedZonesCommand({}))).HostedZones).toEqual([]);
		expect((await new Cloudflare({ apiToken: credentials.cloudflare.apiToken, baseURL: urls.cloudflareApi, maxRetries: 0 }).zones.list()).result.map((z) => z.name)).toEqual(['example.com']);
		expect((await fetch(`${urls.gitlabApi}/projects`, { headers: { 'PRIVATE-TOKEN': credentials.gitlab.privateToken } })).status).toBe(200);
		expect((await fetch(`${urls.jenkins}/job/provision-tenant/api/json`, { headers: { Authorization: `Basic ${Buffer.from(`${credentials.jenkins.user}:${credentials.jenkins.apiToken}`).toString('base64')}` } })).status).toBe(200);
		expect((await fetch(`${urls.terraformApi}/organizations/${credentials.terraform.organization}/workspaces`, { headers: { Authorization: `Bearer ${credentials.terraform.token}` } })).status).toBe(200);

		const suffix = randomBytes(3).toString('hex');
		const dbName = `q2c_idx_${suffix}`;
		await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `q2c-idx-${suffix}`, DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUsername: `idx_${suffix}`, DBName: dbName, MasterUserPassword: 'long-enough-1' }));
		await waitUntilDBInstanceAvailable({ client: rds, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: `q2c-idx-${suffix}` });
		expect((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances).toHaveLength(1);
		expect(sandbox.state().rds.databases).toHaveLength(1);
		const kind = sandbox.state().rds.databases[0].kind;
		await sandbox.close();

		await expect(fetch(`${urls.gitlabApi}/projects`)).rejects.toThrow();
		if (kind === 'server') {
			const admin = new Client({ connectionString: ADMIN_URL });
			await admin.connect();
			const left = await admin.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [dbName]);
			await admin.end();
			expect(left.rows[0].n).toBe(0);
		}
	} finally {
		rds.destroy();
		await sandbox.close();
	}
}, 30_000);
