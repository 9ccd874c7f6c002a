import { closeBackends, describeUrl, postgresPool, redisClient, storeConfig } from '../backends';
import { ConnectorError } from '../errors';
import { PostgresDedupeStore } from '../postgresDedupe';
import { redact } from '../redact';
import { RedisDedupeStore } from '../redisDedupe';
import { RedisRateLimiter } from '../redisRateLimiter';

const PG = 'postgres://postgres@127.0.0.1:5432/q2c';
const REDIS = 'redis://127.0.0.1:6379';

function configError(env: NodeJS.ProcessEnv): ConnectorError {
	try {
		storeConfig(env);
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		return error as ConnectorError;
	}
	throw new Error('expected storeConfig to throw');
}

afterAll(() => closeBackends());

describe('storeConfig', () => {
	it('defaults to the embedded stores with no variables set', () => {
		expect(storeConfig({})).toEqual({ evidence: 'file', dedupe: 'file', rateLimit: 'memory', postgresSchema: 'q2c', postgresPoolMax: 6, redisPrefix: 'q2c:' });
	});

	it('puts dedupe marks in PostgreSQL with the evidence unless Q2C_DEDUPE_STORE says otherwise', () => {
		expect(storeConfig({ Q2C_EVIDENCE_STORE: 'postgres', Q2C_POSTGRES_URL: PG })).toMatchObject({ evidence: 'postgres', dedupe: 'postgres', postgresUrl: PG });
		expect(storeConfig({ Q2C_EVIDENCE_STORE: 'Postgres', Q2C_DEDUPE_STORE: 'redis', Q2C_POSTGRES_URL: PG, Q2C_REDIS_URL: REDIS })).toMatchObject({ dedupe: 'redis', redisUrl: REDIS });
		expect(storeConfig({ Q2C_RATE_LIMIT_STORE: 'redis', Q2C_REDIS_URL: REDIS, Q2C_REDIS_PREFIX: 'stack7:', Q2C_POSTGRES_SCHEMA: 'q2c_stack7' })).toMatchObject({
			rateLimit: 'redis',
			redisPrefix: 'stack7:',
			postgresSchema: 'q2c_stack7',
		});
	});

	it('names the variable and the values it accepts for an unknown store', () => {
		const error = configError({ Q2C_DEDUPE_STORE: 'mysql' });
		expect(error.kind).toBe('validation');
		expect(error.field).toBe('Q2C_DEDUPE_STORE');
		expect(error.message).toBe('Invalid Q2C_DEDUPE_STORE: expected "file" or "postgres" or "redis" (received "mysql")');
		expect(configError({ Q2C_RATE_LIMIT_STORE: 'postgres' }).message).toContain('Q2C_RATE_LIMIT_STORE: expected "memory" or "redis"');
	});

	it('requires the URL a chosen store needs, saying which setting needs it', () => {
		expect(configError({ Q2C_EVIDENCE_STORE: 'postgres' }).message).toContain('Q2C_POSTGRES_URL: expected a URL such as postgres://postgres@127.0.0.1:5432/q2c (required because Q2C_EVIDENCE_STORE=postgres)');
		expect(configError({ Q2C_RATE_LIMIT_STORE: 'redis' }).message).toContain('Q2C_REDIS_URL: expected a URL such as redis://127.0.0.1:6379 (required because Q2C_RATE_LIMIT_STORE=redis)');
		expect(configError({ Q2C_DEDUPE_STORE: 'redis' }).field).toBe('Q2C_REDIS_URL');
	});

	it('rejects a URL of the wrong kind without ever showing its password', () => {
		const wrongKind = configError({ Q2C_EVIDENCE_STORE: 'postgres', Q2C_POSTGRES_URL: 'mysql://admin:hunter2secret@db:3306/q2c' });
		expect(wrongKind.message).toContain('Q2C_POSTGRES_URL: expected a postgres: or postgresql:// URL');
		expect(wrongKind.message).not.toContain('hunter2secret');
		const unparseable = configError({ Q2C_RATE_LIMIT_STORE: 'redis', Q2C_REDIS_URL: 'not a url with p4ssw0rd-secret' });
		expect(unparseable.message).toBe('Invalid Q2C_REDIS_URL: expected a URL such as redis://127.0.0.1:6379');
	});

	it('registers the password of a configured URL as a secret, so redaction masks it anywhere', () => {
		storeConfig({ Q2C_EVIDENCE_STORE: 'postgres', Q2C_POSTGRES_URL: 'postgres://q2c:Pa%24%24word-42@db:5432/q2c' });
		expect(redact('connect failed for Pa$$word-42 at db')).toBe('connect failed for [redacted] at db');
		expect(describeUrl('redis://:s3cret-pass@cache:6379/0')).toBe('redis://:***@cache:6379/0');
	});

	it('accepts only a plain schema name and a prefix without spaces', () => {
		expect(configError({ Q2C_POSTGRES_SCHEMA: 'q2c; DROP TABLE x' }).field).toBe('Q2C_POSTGRES_SCHEMA');
		expect(configError({ Q2C_REDIS_PREFIX: 'has space' }).field).toBe('Q2C_REDIS_PREFIX');
		expect(configError({ Q2C_REDIS_PREFIX: '' }).field).toBe('Q2C_REDIS_PREFIX');
	});

	it('sizes the PostgreSQL pool per process from Q2C_POSTGRES_POOL_MAX, a whole number from 1 to 100', () => {
		expect(storeConfig({ Q2C_POSTGRES_POOL_MAX: ' 12 ' }).postgresPoolMax).toBe(12);
		for (const bad of ['0', '2.5', 'many', '500']) {
			expect(configError({ Q2C_POSTGRES_POOL_MAX: bad }).message).toBe(`Invalid Q2C_POSTGRES_POOL_MAX: expected a whole number of connections from 1 to 100, such as 6 (received "${bad}")`);
		}
		expect(postgresPool('postgres://postgres@127.0.0.1:1/sized', 3).options.max).toBe(3);
	});
});

describe('process-wide connections', () => {
	it('shares one pool and one Redis client per URL', () => {
		expect(postgresPool(PG)).toBe(postgresPool(PG));
		expect(postgresPool(PG)).not.toBe(postgresPool(`${PG}_other`));
		expect(redisClient(REDIS)).toBe(redisClient(REDIS));
	});

	it('opens new ones after closeBackends', async () => {
		const pool = postgresPool(PG);
		await closeBackends();
		expect(postgresPool(PG)).not.toBe(pool);
	});
});

describe('a shared back end that is down', () => {
	// Port 1 on loopback: nothing listens, the connection is refused at once.
	const downRedis = 'redis://:down-redis-secret@127.0.0.1:1';
	const downPostgres = 'postgres://q2c:down-pg-secret@127.0.0.1:1/q2c';

	async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
		const error = await promise.then(() => undefined, (e: unknown) => e);
		expect(error).toBeInstanceOf(ConnectorError);
		return error as ConnectorError;
	}

	it('fails a rate-limited call with a transient error instead of dropping to a per-process limit', async () => {
		const started = Date.now();
		const error = await failure(new RedisRateLimiter('stripe:acct_1', { perSecond: 5, burst: 5 }, { url: downRedis }).acquire());
		expect(error.kind).toBe('transient');
		expect(error.message).toMatch(/^The shared rate limiter \(Redis\) for stripe:acct_1 is unavailable: /);
		expect(error.message).not.toContain('down-redis-secret');
		expect(Date.now() - started).toBeLessThan(15_000);
	}, 20_000);

	it('fails dedupe claims with a transient error, so the trigger answers 5xx and the vendor redelivers', async () => {
		const redisError = await failure(new RedisDedupeStore({ url: downRedis, namespace: 'dedupe/vmf/wf1' }).claim('evt', 1000));
		expect(redisError.kind).toBe('transient');
		expect(redisError.message).toMatch(/^The dedupe store \(Redis\) is unavailable/);
		const pgError = await failure(new PostgresDedupeStore({ connectionString: downPostgres, namespace: 'dedupe/vmf/wf1' }).claim('evt', 1000));
		expect(pgError.kind).toBe('transient');
		expect(pgError.message).toMatch(/^The dedupe store \(PostgreSQL\) is unavailable/);
		expect(JSON.stringify(pgError.toJSON())).not.toContain('down-pg-secret');
	}, 30_000);
});
