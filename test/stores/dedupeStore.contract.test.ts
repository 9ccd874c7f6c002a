/**
 * The DedupeStore contract, the same cases for every back end: memory, file, PostgreSQL (a server, else embedded
 * PGlite) and Redis (skipped, with the reason, when none is reachable). Cross-process races run where processes can
 * share the store (file, postgres, redis).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { closeBackends, FileDedupeStore, MemoryDedupeStore, PostgresDedupeStore, RedisDedupeStore, type DedupeStore } from '../../connectors/core';
import { postgresPlan, redisPlan, suiteDatabase, uniqueName } from './support/backends';
import { runTogether } from './support/processes';

interface Backend {
	name: string;
	shared: boolean;
	setup(): Promise<void>;
	teardown(): Promise<void>;
	/** A store for `namespace`; equal namespaces share marks. */
	store(namespace: string): DedupeStore;
	childSpec(namespace: string): object;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function memoryBackend(): Backend {
	const stores = new Map<string, MemoryDedupeStore>();
	return {
		name: 'memory',
		shared: false,
		setup: async () => undefined,
		teardown: async () => stores.clear(),
		store: (namespace) => stores.get(namespace) ?? stores.set(namespace, new MemoryDedupeStore()).get(namespace)!,
		childSpec: () => ({}),
	};
}

function fileBackend(): Backend {
	let root = '';
	return {
		name: 'file',
		shared: true,
		setup: async () => void (root = await mkdtemp(join(tmpdir(), 'q2c-dedupe-contract-'))),
		teardown: () => rm(root, { recursive: true, force: true }),
		store: (namespace) => new FileDedupeStore(join(root, namespace)),
		childSpec: (namespace) => ({ kind: 'file', dir: join(root, namespace) }),
	};
}

function postgresBackend(): Backend {
	const db = suiteDatabase('dedupe store contract', 6);
	return {
		name: 'postgres',
		shared: true,
		setup: () => db.open(),
		teardown: () => db.close(),
		store: (namespace) => new PostgresDedupeStore({ pool: db.pool, schema: 'dedupe_contract', namespace }),
		childSpec: (namespace) => ({ kind: 'postgres', url: db.url, schema: 'dedupe_contract', namespace }),
	};
}

function redisBackend(url: string): Backend {
	const prefix = `${uniqueName('dedupe')}:`;
	let client: Redis;
	return {
		name: 'redis',
		shared: true,
		async setup() {
			client = new Redis(url, { maxRetriesPerRequest: 1 });
			console.log(`dedupe store contract: redis at ${new URL(url).host}, key prefix ${prefix}`);
		},
		async teardown() {
			const keys = await client.keys(`${prefix}*`);
			if (keys.length > 0) await client.del(...keys);
			await client.quit();
			await closeBackends();
		},
		store: (namespace) => new RedisDedupeStore({ client, prefix, namespace }),
		childSpec: (namespace) => ({ kind: 'redis', url, prefix, namespace }),
	};
}

const backends: Array<{ backend: Backend; skipped?: string }> = [
	{ backend: memoryBackend() },
	{ backend: fileBackend() },
	{ backend: postgresBackend(), ...(postgresPlan.kind === 'skip' ? { skipped: postgresPlan.reason } : {}) },
	redisPlan.kind === 'skip' ? { backend: redisBackend(''), skipped: redisPlan.reason } : { backend: redisBackend(redisPlan.url) },
];

for (const { backend, skipped } of backends) {
	if (skipped) console.log(`dedupe store contract: ${backend.name} cases skipped: ${skipped}`);
	(skipped ? describe.skip : describe)(`DedupeStore contract: ${backend.name}`, () => contract(backend));
}

function contract(backend: Backend) {
	let counter = 0;
	let namespace: string;
	let store: DedupeStore;
	beforeAll(() => backend.setup(), 90_000);
	afterAll(() => backend.teardown(), 60_000);
	beforeEach(() => {
		namespace = `dedupe/vendor/wf${++counter}`;
		store = backend.store(namespace);
	});

	it('claims a key once, and other keys independently', async () => {
		expect(await store.claim('evt_1', 60_000)).toBe(true);
		expect(await store.claim('evt_1', 60_000)).toBe(false);
		expect(await backend.store(namespace).claim('evt_1', 60_000)).toBe(false);
		expect(await store.claim('evt_2', 60_000)).toBe(true);
	});

	it('lets a key be claimed again once its window has passed', async () => {
		expect(await store.claim('evt_ttl', 400)).toBe(true);
		expect(await store.claim('evt_ttl', 400)).toBe(false);
		await sleep(650);
		expect(await store.claim('evt_ttl', 400)).toBe(true);
		expect(await store.claim('evt_ttl', 400)).toBe(false);
	});

	it('forgets a released claim, and releasing an unknown key is harmless', async () => {
		expect(await store.claim('evt_rel', 60_000)).toBe(true);
		await store.release('evt_rel');
		expect(await store.claim('evt_rel', 60_000)).toBe(true);
		await expect(store.release('never-claimed')).resolves.toBeUndefined();
	});

	it('keeps namespaces apart', async () => {
		expect(await store.claim('evt_ns', 60_000)).toBe(true);
		expect(await backend.store(`${namespace}-other`).claim('evt_ns', 60_000)).toBe(true);
	});

	it('gives exactly one winner among concurrent claims from several store instances', async () => {
		const stores = [store, backend.store(namespace), backend.store(namespace)];
		const results = await Promise.all(Array.from({ length: 30 }, (_, n) => stores[n % 3].claim('evt_race', 60_000)));
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('gives exactly one winner when an expired claim is re-claimed concurrently', async () => {
		expect(await store.claim('evt_expired', 300)).toBe(true);
		await sleep(500);
		const stores = [store, backend.store(namespace), backend.store(namespace)];
		const results = await Promise.all(Array.from({ length: 30 }, (_, n) => stores[n % 3].claim('evt_expired', 300)));
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	(backend.shared ? it : it.skip)('gives exactly one winner among claims raced from several OS processes', async () => {
		const spec = backend.childSpec(namespace);
		const wins = await runTogether<number>(Array.from({ length: 5 }, () => ({ job: 'claim', store: spec, key: 'evt_processes', ttlMs: 60_000, count: 6 })));
		expect(wins.reduce((sum, n) => sum + n, 0)).toBe(1);
		expect(await store.claim('evt_processes', 60_000)).toBe(false);
	}, 90_000);
}
