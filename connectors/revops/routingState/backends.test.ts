/**
 * The routing state store's wiring and failure paths: which store the environment chooses, the round-robin scan,
 * a lead claimed through another pool while a claim waits (PostgreSQL), unreachable back ends, unreadable files.
 * The shared behaviour of all back ends is in ../routingState.test.ts.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { postgresPlan, redisPlan, suiteDatabase, uniqueName } from '../../../test/stores/support/backends';
import { closeBackends } from '../../core';
import { createRoutingStateStore, FileRoutingStateStore, PostgresRoutingStateStore, RedisRoutingStateStore, routingStoreKind } from '../routingState';
import { scanOrder } from './model';

afterAll(() => closeBackends());

describe('createRoutingStateStore', () => {
	const postgresUrl = 'postgres://postgres@127.0.0.1:5432/q2c';
	const redisUrl = 'redis://127.0.0.1:6379';

	it('keeps routing state in files under the data directory by default', () => {
		const store = createRoutingStateStore({ N8N_USER_FOLDER: '/srv/n8n' });
		expect(store).toBeInstanceOf(FileRoutingStateStore);
		expect((store as FileRoutingStateStore).dir).toBe(join('/srv/n8n', '.n8n', 'quote-to-cash', 'routing'));
		expect((createRoutingStateStore({}, '/tmp/elsewhere') as FileRoutingStateStore).dir).toBe('/tmp/elsewhere');
	});

	it('follows Q2C_ROUTING_STORE, else the evidence store', () => {
		expect(routingStoreKind({})).toBe('file');
		expect(createRoutingStateStore({ Q2C_EVIDENCE_STORE: 'postgres', Q2C_POSTGRES_URL: postgresUrl })).toBeInstanceOf(PostgresRoutingStateStore);
		expect(createRoutingStateStore({ Q2C_ROUTING_STORE: ' Redis ', Q2C_REDIS_URL: redisUrl })).toBeInstanceOf(RedisRoutingStateStore);
		expect(createRoutingStateStore({ Q2C_ROUTING_STORE: 'file', Q2C_EVIDENCE_STORE: 'postgres', Q2C_POSTGRES_URL: postgresUrl })).toBeInstanceOf(FileRoutingStateStore);
	});

	it('names the setting at fault', () => {
		expect(() => createRoutingStateStore({ Q2C_ROUTING_STORE: 'memory' })).toThrow(expect.objectContaining({ kind: 'validation', field: 'Q2C_ROUTING_STORE' }));
		expect(() => createRoutingStateStore({ Q2C_ROUTING_STORE: 'postgres' })).toThrow(expect.objectContaining({ field: 'Q2C_POSTGRES_URL', message: expect.stringContaining('Q2C_ROUTING_STORE=postgres') }));
		expect(() => createRoutingStateStore({ Q2C_ROUTING_STORE: 'redis' })).toThrow(expect.objectContaining({ field: 'Q2C_REDIS_URL' }));
		expect(() => createRoutingStateStore({ Q2C_ROUTING_STORE: 'postgres', Q2C_POSTGRES_URL: 'mysql://db' })).toThrow(expect.objectContaining({ field: 'Q2C_POSTGRES_URL' }));
	});

	it('refuses a store without a connection', () => {
		expect(() => new PostgresRoutingStateStore({})).toThrow(RangeError);
		expect(() => new RedisRoutingStateStore({})).toThrow(RangeError);
	});
});

describe('scanOrder', () => {
	const members = ['a', 'b', 'c'];
	it('starts at the first member, after the last assignee, or after the last index when that member is gone', () => {
		expect(scanOrder(members, undefined)).toEqual([0, 1, 2]);
		expect(scanOrder(members, { lastMember: 'b', lastPosition: 0 })).toEqual([2, 0, 1]);
		expect(scanOrder(members, { lastMember: 'gone', lastPosition: 0 })).toEqual([1, 2, 0]);
		expect(scanOrder(members, { lastMember: null, lastPosition: 7 })).toEqual([2, 0, 1]);
	});
});

describe('FileRoutingStateStore', () => {
	it('reports a state file it cannot read instead of starting over', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'q2c-routing-file-'));
		try {
			const store = new FileRoutingStateStore(dir);
			await mkdir(store.pathFor('acme'));
			await expect(store.openLeads('acme', ['a'])).rejects.toMatchObject({ code: 'EISDIR' });
			await expect(store.claim({ tenant: 'acme', pool: 'p', leadId: 'l', members: ['a'], capacity: {} })).rejects.toMatchObject({ code: 'EISDIR' });
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

describe('unreachable back ends', () => {
	it('fail claims as transient connector errors', async () => {
		const claim = { tenant: 't', pool: 'p', leadId: 'l', members: ['a'], capacity: {} };
		await expect(new PostgresRoutingStateStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' }).claim(claim)).rejects.toMatchObject({
			kind: 'transient',
			message: expect.stringContaining('routing state store (PostgreSQL) is unavailable'),
		});
		await expect(new RedisRoutingStateStore({ url: 'redis://127.0.0.1:1' }).release({ tenant: 't', leadId: 'l' })).rejects.toMatchObject({
			kind: 'transient',
			message: expect.stringContaining('routing state store (Redis) is unavailable'),
		});
	}, 30_000);
});

(postgresPlan.kind === 'skip' ? describe.skip : describe)('PostgreSQL routing state', () => {
	const db = suiteDatabase('routing state postgres', 4);
	beforeAll(() => db.open(), 90_000);
	afterAll(() => db.close(), 60_000);

	it('answers with the other assignment when the lead was claimed through another pool while it waited', async () => {
		const tenant = uniqueName('tenant');
		const store = new PostgresRoutingStateStore({ pool: db.pool, schema: 'routing_race' });
		await store.openLeads(tenant, ['a']);
		const other = new Client({ connectionString: db.url });
		await other.connect();
		try {
			await other.query('BEGIN');
			await other.query(`INSERT INTO routing_race.routing_assignments (tenant, lead_id, pool, assignee, position) VALUES ($1, 'lead', 'elsewhere', 'z', 4)`, [tenant]);
			const claiming = store.claim({ tenant, pool: 'here', leadId: 'lead', members: ['a', 'b'], capacity: {} });
			// The claim now waits on the uncommitted assignment, having raised a's count inside its transaction.
			await new Promise((resolve) => setTimeout(resolve, 500));
			await other.query('COMMIT');
			expect(await claiming).toEqual({ leadId: 'lead', pool: 'elsewhere', assignee: 'z', reason: 'already_assigned', skipped: [], position: 4 });
		} finally {
			await other.end();
		}
		expect(await store.openLeads(tenant, ['a', 'b'])).toEqual({ a: 0, b: 0 });
		expect(await store.claim({ tenant, pool: 'here', leadId: 'next', members: ['a', 'b'], capacity: {} })).toMatchObject({ assignee: 'a', position: 0 });
	});

	it('uses the schema of Q2C_POSTGRES_SCHEMA through the factory', async () => {
		const tenant = uniqueName('tenant');
		const store = createRoutingStateStore({ Q2C_ROUTING_STORE: 'postgres', Q2C_POSTGRES_URL: db.url, Q2C_POSTGRES_SCHEMA: 'routing_factory' });
		expect(await store.claim({ tenant, pool: 'p', leadId: 'l', members: ['a'], capacity: {} })).toMatchObject({ reason: 'assigned', assignee: 'a' });
		const { rows } = await db.pool.query('SELECT assignee FROM routing_factory.routing_assignments WHERE tenant = $1', [tenant]);
		expect(rows).toEqual([{ assignee: 'a' }]);
		await store.close();
	});
});

(redisPlan.kind === 'skip' ? describe.skip : describe)('Redis routing state', () => {
	const prefix = `${uniqueName('routing_keys')}:`;
	const url = redisPlan.kind === 'server' ? redisPlan.url : '';
	let admin: Redis;
	beforeAll(() => void (admin = new Redis(url, { maxRetriesPerRequest: 1 })));
	afterAll(async () => {
		const keys = await admin.keys(`${prefix}*`);
		if (keys.length > 0) await admin.del(...keys);
		await admin.quit();
	});

	it('keeps a tenant under Q2C_REDIS_PREFIX in one hash slot, without tenant or lead ids in key names', async () => {
		const tenant = uniqueName('tenant-acme');
		const store = createRoutingStateStore({ Q2C_ROUTING_STORE: 'redis', Q2C_REDIS_URL: url, Q2C_REDIS_PREFIX: prefix });
		await store.claim({ tenant, pool: 'west-sdr', leadId: 'lead-secret', members: ['a'], capacity: {} });
		await store.release({ tenant, leadId: 'lead-secret' });
		const keys = await admin.keys(`${prefix}*`);
		expect(keys).toHaveLength(4);
		const tags = new Set(keys.map((key) => /\{([^}]+)\}/.exec(key)?.[1]));
		expect(tags.size).toBe(1);
		expect(keys.join(' ')).not.toMatch(/acme|west-sdr|lead-secret/);
	});
});
