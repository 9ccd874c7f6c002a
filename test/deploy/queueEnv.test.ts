/** queueEnv(): the one environment of every queue-mode process, per deployment, and printable without its secrets. */
const { queueEnv, describeEnv, PER_DEPLOYMENT } = require('../../scripts/n8n/queue');

const postgres = { host: 'db.internal', port: 6543, user: 'n8n', password: 'p@ss:w/rd', database: 'q2c_s5840_n8n' };
const redis = { host: 'cache.internal', port: 6380, password: 'r3dis' };

describe('queueEnv', () => {
	it('points n8n and the pack at the same PostgreSQL database and Redis, passwords URL-encoded', () => {
		const env = queueEnv({ postgres, redis, prefix: 'q2c_s5840' });
		expect(env).toMatchObject({
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: 'db.internal',
			DB_POSTGRESDB_PORT: '6543',
			DB_POSTGRESDB_PASSWORD: 'p@ss:w/rd',
			DB_POSTGRESDB_DATABASE: 'q2c_s5840_n8n',
			QUEUE_BULL_REDIS_HOST: 'cache.internal',
			QUEUE_BULL_REDIS_PORT: '6380',
			QUEUE_BULL_REDIS_PASSWORD: 'r3dis',
			Q2C_EVIDENCE_STORE: 'postgres',
			Q2C_DEDUPE_STORE: 'postgres',
			Q2C_RATE_LIMIT_STORE: 'redis',
		});
		const pgUrl = new URL(env.Q2C_POSTGRES_URL);
		expect([pgUrl.hostname, pgUrl.port, decodeURIComponent(pgUrl.password), pgUrl.pathname]).toEqual(['db.internal', '6543', 'p@ss:w/rd', '/q2c_s5840_n8n']);
		const redisUrl = new URL(env.Q2C_REDIS_URL);
		expect([redisUrl.hostname, redisUrl.port, redisUrl.password]).toEqual(['cache.internal', '6380', 'r3dis']);
	});

	it('gives two deployments on the same servers disjoint schemas, queues, channels and keys', () => {
		const names = (prefix: string) => {
			const env = queueEnv({ postgres, redis, prefix });
			return [env.Q2C_POSTGRES_SCHEMA, env.Q2C_REDIS_PREFIX, env.QUEUE_BULL_PREFIX, env.N8N_REDIS_KEY_PREFIX];
		};
		const first = names('q2c_s5800');
		const second = names('q2c_s5840');
		for (const name of first) expect(second).not.toContain(name);
		expect(() => queueEnv({ postgres, redis, prefix: 'Q2C; DROP' })).toThrow(/lower-case identifier/);
	});

	it('omits password variables when the servers have none, and can keep dedupe marks in Redis', () => {
		const env = queueEnv({ postgres: { ...postgres, password: undefined }, redis: { host: 'r', port: 6379 }, prefix: 'q2c', dedupeStore: 'redis' });
		expect(env).not.toHaveProperty('DB_POSTGRESDB_PASSWORD');
		expect(env).not.toHaveProperty('QUEUE_BULL_REDIS_PASSWORD');
		expect(env.Q2C_POSTGRES_URL).toBe('postgres://n8n@db.internal:6543/q2c_s5840_n8n');
		expect(env.Q2C_DEDUPE_STORE).toBe('redis');
	});

	it('lists every per-deployment variable it sets, and describeEnv prints none of the secrets', () => {
		const env = queueEnv({ postgres, redis, prefix: 'q2c_s5840' });
		for (const key of PER_DEPLOYMENT) expect(Object.keys(env)).toContain(key);
		const printed = JSON.stringify(describeEnv(env));
		for (const secret of ['p@ss:w/rd', encodeURIComponent('p@ss:w/rd'), 'r3dis', env.N8N_ENCRYPTION_KEY]) expect(printed).not.toContain(secret);
		expect(describeEnv(env).Q2C_POSTGRES_URL).toBe('postgres://n8n:***@db.internal:6543/q2c_s5840_n8n');
	});
});
