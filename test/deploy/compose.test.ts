/**
 * deploy/ is the production shape of the local queue-mode stack: the same n8n version, the same topology and the same
 * environment. These checks parse the real files, so the compose deployment and the e2e stack cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const { queueEnv, PER_DEPLOYMENT } = require('../../scripts/n8n/queue');
const { N8N_VERSION } = require('../../scripts/n8n/runtime');

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const compose = parse(read('deploy/compose.yaml'), { merge: true });
const services: Record<string, any> = compose.services;
const N8N_SERVICES = ['n8n-main', 'n8n-webhook', 'n8n-worker'];
/** Variables .env.example documents (`NAME=` lines). */
const documented = new Set([...read('deploy/.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
/** `${NAME}`, `${NAME:-default}` and `${NAME:?message}` references in a compose value. */
const references = (value: string) => [...String(value).matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::[-?][^}]*)?\}/g)].map((match) => match[1]);

/** What queueEnv gives the e2e stack, with a password so the password variables are produced too. */
const e2eEnv: Record<string, string> = queueEnv({
	postgres: { host: '127.0.0.1', port: 5432, user: 'postgres', password: 'not-a-secret', database: 'q2c_s5840_n8n' },
	redis: { host: '127.0.0.1', port: 6379 },
	prefix: 'q2c_s5840',
});
const envOf = (service: string): Record<string, string> => services[service].environment;

describe('deploy/compose.yaml topology', () => {
	it('has PostgreSQL, Redis, a main, a webhook processor and two workers, each n8n service running its own command', () => {
		expect(Object.keys(services).sort()).toEqual(['n8n-main', 'n8n-webhook', 'n8n-worker', 'postgres', 'redis']);
		expect(services['n8n-main'].command[0]).toBe('start');
		expect(services['n8n-webhook'].command[0]).toBe('webhook');
		expect(services['n8n-worker'].command[0]).toBe('worker');
		expect(services['n8n-worker'].command.slice(1).join(' ')).toMatch(/^--concurrency=/);
		expect(services['n8n-worker'].deploy.replicas).toBe(2);
		for (const service of N8N_SERVICES) expect(services[service].build.context).toBe('.');
	});

	it('starts n8n only on healthy PostgreSQL and Redis, and the webhook processor and workers only on a healthy (migrated) main', () => {
		for (const backend of ['postgres', 'redis']) expect(services[backend].healthcheck.test.length).toBeGreaterThan(1);
		for (const service of N8N_SERVICES) {
			expect(services[service].healthcheck.test.join(' ')).toContain('/healthz/readiness');
			expect(services[service].depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
		}
		for (const service of ['n8n-webhook', 'n8n-worker']) expect(services[service].depends_on['n8n-main']).toEqual({ condition: 'service_healthy' });
	});

	it('gives every n8n process the same encryption key reference, documented in .env.example, and workers the public WEBHOOK_URL', () => {
		const keys = N8N_SERVICES.map((service) => envOf(service).N8N_ENCRYPTION_KEY);
		expect(new Set(keys).size).toBe(1);
		expect(references(keys[0])).toEqual(['N8N_ENCRYPTION_KEY']);
		expect(documented.has('N8N_ENCRYPTION_KEY')).toBe(true);
		expect(references(envOf('n8n-worker').WEBHOOK_URL)).toEqual(['WEBHOOK_URL']);
		expect(documented.has('WEBHOOK_URL')).toBe(true);
	});
});

describe('deploy/compose.yaml environment = queueEnv() of the e2e stack', () => {
	const perDeployment = new Set<string>(PER_DEPLOYMENT);

	it.each(N8N_SERVICES)('%s: every shared setting queueEnv() sets has the same value', (service) => {
		const env = envOf(service);
		const shared = Object.keys(e2eEnv).filter((key) => !perDeployment.has(key));
		expect(shared).toEqual(expect.arrayContaining(['EXECUTIONS_MODE', 'DB_TYPE', 'Q2C_EVIDENCE_STORE', 'Q2C_DEDUPE_STORE', 'Q2C_RATE_LIMIT_STORE']));
		for (const key of shared) expect({ key, value: env[key] }).toEqual({ key, value: e2eEnv[key] });
	});

	it.each(N8N_SERVICES)('%s: every per-deployment variable (hosts, names, prefixes, URLs, secrets) is set, its references documented', (service) => {
		const env = envOf(service);
		for (const key of Object.keys(e2eEnv).filter((name) => perDeployment.has(name))) {
			expect({ key, set: typeof env[key] === 'string' && env[key] !== '' }).toEqual({ key, set: true });
			for (const name of references(env[key])) expect({ key, documented: documented.has(name) }).toEqual({ key, documented: true });
		}
	});

	it('sets no database, queue or pack variable the e2e stack does not get', () => {
		const compared = Object.keys(envOf('n8n-main')).filter((key) => /^(DB_|QUEUE_|Q2C_|EXECUTIONS_)/.test(key));
		expect(compared.filter((key) => !(key in e2eEnv))).toEqual([]);
	});

	it('points the pack at the compose PostgreSQL and Redis services', () => {
		const env = envOf('n8n-main');
		expect(env.Q2C_POSTGRES_URL).toMatch(/@postgres:5432\//);
		expect(env.Q2C_REDIS_URL).toBe('redis://redis:6379');
		expect(env.DB_POSTGRESDB_HOST).toBe('postgres');
		expect(env.QUEUE_BULL_REDIS_HOST).toBe('redis');
	});
});

describe('deploy/Dockerfile', () => {
	const dockerfile = read('deploy/Dockerfile');
	const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]);

	it('builds on the n8n version the local stack and the e2e suite run', () => {
		expect(froms[froms.length - 1]).toBe(`n8nio/n8n:${N8N_VERSION}`);
	});

	it("installs the pack into ~/.n8n/nodes with the community installer's npm flags (the same as scripts/n8n/install-pack.js)", () => {
		const installerFlags = [...read('scripts/n8n/install-pack.js').matchAll(/'(--[a-z-]+=[a-z]+)'/g)].map((match) => match[1]);
		expect(installerFlags).toEqual(expect.arrayContaining(['--install-strategy=shallow', '--ignore-scripts=true']));
		for (const flag of installerFlags) expect(dockerfile).toContain(flag);
		expect(dockerfile).toMatch(/COPY --from=\S+ --chown=node:node \/nodes \/home\/node\/\.n8n\/nodes/);
		for (const stripped of ['devDependencies', 'peerDependencies', 'optionalDependencies']) expect(dockerfile).toContain(stripped);
	});
});
