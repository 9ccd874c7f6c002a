/**
 * The RoutingStateStore contract, the same cases for every back end: file, PostgreSQL (a server, else embedded
 * PGlite) and Redis (skipped, with the reason, when none is reachable). Races use several store instances, each
 * with its own connections, as n8n workers would. Cross-process races: test/stores/routingState.processes.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { postgresPlan, redisPlan, suiteDatabase, uniqueName } from '../../test/stores/support/backends';
import { ConnectorError } from '../core';
import { FileRoutingStateStore, PostgresRoutingStateStore, RedisRoutingStateStore, type RoutingClaim, type RoutingStateStore } from './routingState';

interface Backend {
	name: string;
	setup(): Promise<void>;
	teardown(): Promise<void>;
	/** A new store instance on its own connections; all share one state. */
	store(): RoutingStateStore;
}

function fileBackend(): Backend {
	let root = '';
	return {
		name: 'file',
		setup: async () => void (root = await mkdtemp(join(tmpdir(), 'q2c-routing-contract-'))),
		teardown: () => rm(root, { recursive: true, force: true }),
		store: () => new FileRoutingStateStore(root),
	};
}

function postgresBackend(): Backend {
	const db = suiteDatabase('routing state contract', 4);
	const pools: Pool[] = [];
	return {
		name: 'postgres',
		setup: () => db.open(),
		async teardown() {
			await Promise.all(pools.map((pool) => pool.end()));
			await db.close();
		},
		store() {
			const pool = new Pool({ connectionString: db.url, max: 4 });
			pool.on('error', () => undefined);
			pools.push(pool);
			return new PostgresRoutingStateStore({ pool, schema: 'routing_contract' });
		},
	};
}

function redisBackend(url: string): Backend {
	const prefix = `${uniqueName('routing')}:`;
	const clients: Redis[] = [];
	return {
		name: 'redis',
		setup: async () => console.log(`routing state contract: redis at ${new URL(url).host}, key prefix ${prefix}`),
		async teardown() {
			const admin = new Redis(url, { maxRetriesPerRequest: 1 });
			const keys = await admin.keys(`${prefix}*`);
			if (keys.length > 0) await admin.del(...keys);
			await Promise.all([admin, ...clients].map((client) => client.quit()));
		},
		store() {
			const client = new Redis(url, { maxRetriesPerRequest: 1 });
			clients.push(client);
			return new RedisRoutingStateStore({ client, prefix });
		},
	};
}

const backends: Array<{ backend: Backend; skipped?: string }> = [
	{ backend: fileBackend() },
	{ backend: postgresBackend(), ...(postgresPlan.kind === 'skip' ? { skipped: postgresPlan.reason } : {}) },
	redisPlan.kind === 'skip' ? { backend: redisBackend('redis://unused'), skipped: redisPlan.reason } : { backend: redisBackend(redisPlan.url) },
];

for (const { backend, skipped } of backends) {
	if (skipped) console.log(`routing state contract: ${backend.name} cases skipped: ${skipped}`);
	(skipped ? describe.skip : describe)(`RoutingStateStore contract: ${backend.name}`, () => contract(backend));
}

const tally = (claims: RoutingClaim[]) => claims.reduce<Record<string, number>>((counts, claim) => ({ ...counts, [String(claim.assignee)]: (counts[String(claim.assignee)] ?? 0) + 1 }), {});
const leads = (count: number, tag: string) => Array.from({ length: count }, (_, i) => `${tag}-${i}`);

function contract(backend: Backend) {
	let tenant: string;
	let stores: RoutingStateStore[];
	let store: RoutingStateStore;
	/** Claims spread over the store instances, all at once. */
	const race = (leadIds: string[], input: { pool: string; members: string[]; capacity?: Record<string, number | undefined> }) =>
		Promise.all(leadIds.map((leadId, n) => stores[n % stores.length].claim({ tenant, leadId, capacity: {}, ...input })));

	beforeAll(() => backend.setup(), 90_000);
	afterAll(() => backend.teardown(), 60_000);
	beforeEach(() => {
		tenant = uniqueName('tenant');
		stores = [backend.store(), backend.store(), backend.store()];
		store = stores[0];
	});

	it('assigns round robin in member order, continuing where any instance left off', async () => {
		const members = ['sdr-1', 'sdr-2', 'sdr-3'];
		const answers: RoutingClaim[] = [];
		for (const [n, leadId] of leads(7, 'rr').entries()) answers.push(await stores[n % 3].claim({ tenant, pool: 'smb', leadId, members, capacity: {} }));
		expect(answers.map((answer) => answer.assignee)).toEqual(['sdr-1', 'sdr-2', 'sdr-3', 'sdr-1', 'sdr-2', 'sdr-3', 'sdr-1']);
		expect(answers.map((answer) => answer.position)).toEqual([0, 1, 2, 0, 1, 2, 0]);
		expect(answers[0]).toEqual({ leadId: 'rr-0', pool: 'smb', assignee: 'sdr-1', reason: 'assigned', skipped: [], position: 0 });
		expect(await stores[1].openLeads(tenant, [...members, 'nobody'])).toEqual({ 'sdr-1': 3, 'sdr-2': 2, 'sdr-3': 2, nobody: 0 });
	});

	it('follows the last assignee by name when the member list changes', async () => {
		await store.claim({ tenant, pool: 'ent', leadId: 'a', members: ['ae-1', 'ae-2', 'ae-3'], capacity: {} });
		const next = await store.claim({ tenant, pool: 'ent', leadId: 'b', members: ['ae-0', 'ae-1', 'ae-2'], capacity: {} });
		expect(next).toMatchObject({ assignee: 'ae-2', position: 2 });
		const afterRemoval = await store.claim({ tenant, pool: 'ent', leadId: 'c', members: ['ae-1', 'ae-3'], capacity: {} });
		// ae-2 is gone: the cursor falls back to its index (2), so the scan starts after it.
		expect(afterRemoval).toMatchObject({ assignee: 'ae-3', position: 1 });
	});

	it('assigns each of 200 concurrent leads exactly once and evenly across members', async () => {
		const members = ['m1', 'm2', 'm3', 'm4'];
		const answers = await race(leads(200, 'even'), { pool: 'even', members });
		expect(answers.every((answer) => answer.reason === 'assigned')).toBe(true);
		expect(new Set(answers.map((answer) => answer.leadId)).size).toBe(200);
		const counts = tally(answers);
		expect(Object.keys(counts).sort()).toEqual(members);
		expect(Math.max(...Object.values(counts)) - Math.min(...Object.values(counts))).toBeLessThanOrEqual(1);
		expect(await store.openLeads(tenant, members)).toEqual(counts);

		const again = await race(leads(200, 'even'), { pool: 'even', members });
		expect(again.every((answer) => answer.reason === 'already_assigned')).toBe(true);
		expect(again.map((answer) => answer.assignee)).toEqual(answers.map((answer) => answer.assignee));
		expect(again.map((answer) => answer.position)).toEqual(answers.map((answer) => answer.position));
		expect(await store.openLeads(tenant, members)).toEqual(counts);
	}, 60_000);

	it('never exceeds a capacity under 200 concurrent claims, and reports capacity_exhausted when all are full', async () => {
		const capacity = { c1: 7, c2: 3, c3: 0, c4: 12, c5: 1 };
		const members = Object.keys(capacity);
		const answers = await race(leads(200, 'cap'), { pool: 'capped', members, capacity });
		const assigned = answers.filter((answer) => answer.reason === 'assigned');
		expect(assigned).toHaveLength(23);
		expect(tally(assigned)).toEqual({ c1: 7, c2: 3, c4: 12, c5: 1 });
		expect(await store.openLeads(tenant, members)).toEqual(capacity);
		const refused = answers.filter((answer) => answer.reason !== 'assigned');
		expect(refused).toHaveLength(177);
		for (const answer of refused) expect(answer).toMatchObject({ reason: 'capacity_exhausted', assignee: null, position: -1 });
		expect([...refused[0].skipped].sort()).toEqual(members);
	}, 60_000);

	it('lists the members at capacity it passed over, and replays them with the first answer', async () => {
		const input = { tenant, pool: 'skip', members: ['s1', 's2', 's3'], capacity: { s1: 0, s2: 0 } };
		const first = await store.claim({ ...input, leadId: 'skip-1' });
		expect(first).toMatchObject({ assignee: 's3', skipped: ['s1', 's2'], position: 2, reason: 'assigned' });
		const second = await stores[1].claim({ ...input, leadId: 'skip-1', capacity: {} });
		expect(second).toEqual({ ...first, reason: 'already_assigned' });
		const unlimited = await store.claim({ ...input, leadId: 'skip-2', capacity: {} });
		expect(unlimited).toMatchObject({ assignee: 's1', skipped: [] });
	});

	it('keeps one member within capacity across pools that share them', async () => {
		const capacity = { shared: 5, left: 8, right: 8 };
		const [left, right] = await Promise.all([
			race(leads(60, 'left'), { pool: 'left', members: ['shared', 'left'], capacity }),
			race(leads(60, 'right'), { pool: 'right', members: ['right', 'shared'], capacity }),
		]);
		const counts = tally([...left, ...right].filter((answer) => answer.reason === 'assigned'));
		expect(counts).toEqual(capacity);
		expect(await store.openLeads(tenant, Object.keys(capacity))).toEqual(capacity);
	}, 60_000);

	it('assigns a lead raced through two pools once', async () => {
		const answers = await Promise.all(
			Array.from({ length: 20 }, (_, n) => stores[n % 3].claim({ tenant, pool: n % 2 ? 'p-odd' : 'p-even', leadId: 'contested', members: ['x', 'y'], capacity: {} })),
		);
		expect(answers.filter((answer) => answer.reason === 'assigned')).toHaveLength(1);
		const first = answers.find((answer) => answer.reason === 'assigned') as RoutingClaim;
		for (const answer of answers) expect(answer).toMatchObject({ assignee: first.assignee, pool: first.pool, position: first.position });
		const open = await store.openLeads(tenant, ['x', 'y']);
		expect(open.x + open.y).toBe(1);
	});

	it('frees a slot once per released lead', async () => {
		const input = { tenant, pool: 'rel', members: ['r1', 'r2'], capacity: { r1: 1, r2: 1 } };
		expect((await store.claim({ ...input, leadId: 'rel-1' })).assignee).toBe('r1');
		expect((await store.claim({ ...input, leadId: 'rel-2' })).assignee).toBe('r2');
		expect((await store.claim({ ...input, leadId: 'rel-3' })).reason).toBe('capacity_exhausted');
		const releases = await Promise.all(Array.from({ length: 12 }, (_, n) => stores[n % 3].release({ tenant, leadId: 'rel-1' })));
		expect(releases.filter(Boolean)).toHaveLength(1);
		expect(await store.openLeads(tenant, ['r1', 'r2'])).toEqual({ r1: 0, r2: 1 });
		expect(await store.release({ tenant, leadId: 'never-claimed' })).toBe(false);
		// The released lead stays answered (no second assignment); the freed slot goes to a new lead.
		expect(await store.claim({ ...input, leadId: 'rel-1' })).toMatchObject({ reason: 'already_assigned', assignee: 'r1' });
		expect(await store.claim({ ...input, leadId: 'rel-3' })).toMatchObject({ reason: 'assigned', assignee: 'r1' });
		expect(await store.openLeads(tenant, ['r1', 'r2'])).toEqual({ r1: 1, r2: 1 });
	});

	it('keeps tenants apart', async () => {
		const other = uniqueName('tenant');
		const input = { pool: 'shared-name', leadId: 'same-lead', members: ['u1', 'u2'], capacity: { u1: 1 } };
		expect(await store.claim({ tenant, ...input })).toMatchObject({ reason: 'assigned', assignee: 'u1' });
		expect(await stores[1].claim({ tenant: other, ...input })).toMatchObject({ reason: 'assigned', assignee: 'u1' });
		expect(await store.release({ tenant: other, leadId: 'same-lead' })).toBe(true);
		expect(await store.openLeads(tenant, ['u1'])).toEqual({ u1: 1 });
		expect(await store.openLeads(other, ['u1'])).toEqual({ u1: 0 });
		expect(await store.openLeads(other, [])).toEqual({});
	});

	it('rejects bad input naming the field, and refuses calls once closed', async () => {
		const good = { tenant, pool: 'bad', leadId: 'l', members: ['a', 'b'], capacity: {} };
		await expect(store.claim({ ...good, members: [] })).rejects.toMatchObject({ kind: 'validation', field: 'claim.members' });
		await expect(store.claim({ ...good, members: ['a', 'b', 'a'] })).rejects.toMatchObject({ kind: 'validation', field: 'claim.members.2' });
		await expect(store.claim({ ...good, capacity: { a: -1 } })).rejects.toMatchObject({ kind: 'validation', field: 'claim.capacity.a' });
		await expect(store.claim({ ...good, capacity: { a: 1.5 } })).rejects.toThrow('whole number');
		await expect(store.release({ tenant: ' ', leadId: 'l' })).rejects.toMatchObject({ kind: 'validation', field: 'release.tenant' });
		await expect(store.openLeads(tenant, [''])).rejects.toMatchObject({ field: 'openLeads.members.0' });
		await store.close();
		await expect(store.claim(good)).rejects.toMatchObject({ kind: 'permanent', code: 'STORE_CLOSED' });
		await expect(store.release({ tenant, leadId: 'l' })).rejects.toBeInstanceOf(ConnectorError);
		await expect(store.openLeads(tenant, ['a'])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
		expect(await stores[1].openLeads(tenant, ['a'])).toEqual({ a: 0 });
	});
}
