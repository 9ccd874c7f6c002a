/**
 * The ReceiptStore contract, the same cases for every back end: memory, file and PostgreSQL (a server when one is
 * reachable, else embedded PGlite). Cross-process cases run where processes can share the store (file, postgres).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidenceLedger, FileReceiptStore, MemoryReceiptStore, PostgresReceiptStore, type AppendInput, type ReceiptStore } from '../../connectors/evidence';
import { postgresPlan, suiteDatabase } from './support/backends';
import { killMidAppend, runTogether } from './support/processes';

interface Backend {
	name: string;
	/** Can several OS processes share it (the cross-process cases)? */
	shared: boolean;
	setup(): Promise<void>;
	teardown(): Promise<void>;
	/** A store for `namespace`; equal namespaces share data. */
	store(namespace: string): ReceiptStore;
	/** What a child process needs to build the same store. */
	childSpec(namespace: string): object;
}

function memoryBackend(): Backend {
	let stores = new Map<string, MemoryReceiptStore>();
	return {
		name: 'memory',
		shared: false,
		setup: async () => undefined,
		teardown: async () => void (stores = new Map()),
		store: (namespace) => stores.get(namespace) ?? stores.set(namespace, new MemoryReceiptStore()).get(namespace)!,
		childSpec: () => ({}),
	};
}

function fileBackend(): Backend {
	let root = '';
	return {
		name: 'file',
		shared: true,
		setup: async () => void (root = await mkdtemp(join(tmpdir(), 'q2c-receipt-contract-'))),
		teardown: () => rm(root, { recursive: true, force: true }),
		// A short stale time: the crash case waits for the dead holder's lock to be broken.
		store: (namespace) => new FileReceiptStore(join(root, namespace), { staleMs: 1_500 }),
		childSpec: (namespace) => ({ kind: 'file', root: join(root, namespace), staleMs: 1_500 }),
	};
}

function postgresBackend(): Backend {
	const db = suiteDatabase('receipt store contract', 4);
	return {
		name: 'postgres',
		shared: true,
		setup: () => db.open(),
		teardown: () => db.close(),
		store: (namespace) => new PostgresReceiptStore({ pool: db.pool, schema: 'evidence_contract', namespace }),
		childSpec: (namespace) => ({ kind: 'postgres', url: db.url, schema: 'evidence_contract', namespace }),
	};
}

const backends: Array<{ backend: Backend; skipped?: string }> = [
	{ backend: memoryBackend() },
	{ backend: fileBackend() },
	{ backend: postgresBackend(), ...(postgresPlan.kind === 'skip' ? { skipped: postgresPlan.reason } : {}) },
];

const step = (businessKey: string, n: number, extra: Partial<AppendInput> = {}): AppendInput => ({
	businessKey,
	workflowStep: `step.${n}`,
	subject: 'system:test',
	resourceRef: `res-${n}`,
	executionId: 'exec-1',
	...extra,
});

for (const { backend, skipped } of backends) {
	if (skipped) console.log(`receipt store contract: ${backend.name} cases skipped: ${skipped}`);
	(skipped ? describe.skip : describe)(`ReceiptStore contract: ${backend.name}`, () => contract(backend));
}

function contract(backend: Backend) {
	let namespaceCounter = 0;
	let namespace: string;
	let ledger: EvidenceLedger;
	beforeAll(() => backend.setup(), 90_000);
	afterAll(() => backend.teardown(), 60_000);
	beforeEach(() => {
		namespace = `ns${++namespaceCounter}`;
		ledger = new EvidenceLedger(backend.store(namespace));
	});

	it('has no chain, head or keys before the first append', async () => {
		const store = backend.store(namespace);
		expect(await store.read('C-1')).toEqual({ entries: [] });
		expect(await store.businessKeys()).toEqual([]);
		expect(await store.businessKeysForExecution('exec-1')).toEqual([]);
	});

	it('stores receipts in order with a head, so verify accepts the chain byte for byte', async () => {
		const written = [];
		for (let n = 1; n <= 3; n++) written.push((await ledger.append(step('C-1', n, { effect: { amount: 1.5, note: 'ünïcode ✓', nested: { b: 1, a: [2, 1] } } }))).receipt);
		const chain = await backend.store(namespace).read('C-1');
		expect(chain.entries).toEqual(written);
		expect(chain.head).toMatchObject({ business_key: 'C-1', count: 3, last_receipt_id: written[2].id, last_sha256: written[2].sha256 });
		expect(await ledger.verify('C-1')).toEqual({ business_key: 'C-1', valid: true, count: 3, problems: [] });
	});

	it('returns the existing receipt for a reused idempotency key instead of a second one', async () => {
		const first = await ledger.append(step('C-1', 1, { idempotencyKey: 'once' }));
		const again = await ledger.append(step('C-1', 2, { idempotencyKey: 'once' }));
		expect(again).toEqual({ receipt: first.receipt, appended: false });
		expect(await ledger.list('C-1')).toHaveLength(1);
	});

	it('indexes executions first to last without duplicates, and lists business keys sorted', async () => {
		for (const key of ['b-2', 'B_1', 'a.3', 'é-4']) await ledger.append(step(key, 1, { executionId: 'exec-A' }));
		await ledger.append(step('b-2', 2, { executionId: 'exec-A' }));
		await ledger.append(step('a.3', 2, { executionId: 'exec-B' }));
		const store = backend.store(namespace);
		expect(await store.businessKeysForExecution('exec-A')).toEqual(['b-2', 'B_1', 'a.3', 'é-4']);
		expect(await store.businessKeysForExecution('exec-B')).toEqual(['a.3']);
		expect(await store.businessKeys()).toEqual(['b-2', 'B_1', 'a.3', 'é-4'].sort());
		expect((await ledger.findByExecution('exec-B')).receipts.map((r) => r.resource_ref)).toEqual(['res-2']);
	});

	it('stores nothing when decide throws, and the next append succeeds', async () => {
		const store = backend.store(namespace);
		await expect(store.append('C-1', () => { throw new Error('decided no'); })).rejects.toThrow('decided no');
		expect(await store.read('C-1')).toEqual({ entries: [] });
		expect(await store.businessKeys()).toEqual([]);
		await ledger.append(step('C-1', 1));
		expect((await ledger.verify('C-1')).valid).toBe(true);
	});

	it('keeps namespaces apart', async () => {
		await ledger.append(step('C-1', 1));
		const other = backend.store(`${namespace}-other`);
		expect(await other.read('C-1')).toEqual({ entries: [] });
		expect(await other.businessKeys()).toEqual([]);
	});

	it('serialises concurrent appends to one chain from several store instances of one process', async () => {
		const ledgers = [ledger, new EvidenceLedger(backend.store(namespace)), new EvidenceLedger(backend.store(namespace))];
		await Promise.all(Array.from({ length: 24 }, (_, n) => ledgers[n % 3].append(step('C-par', n, { idempotencyKey: `k-${n}` }))));
		const verification = await ledger.verify('C-par');
		expect(verification).toMatchObject({ valid: true, count: 24 });
		expect((await ledger.list('C-par')).map((r) => r.idempotency_key).sort()).toEqual(Array.from({ length: 24 }, (_, n) => `k-${n}`).sort());
	});

	(backend.shared ? it : it.skip)('keeps one linear chain when several OS processes append at once', async () => {
		const spec = backend.childSpec(namespace);
		const tags = ['p1', 'p2', 'p3', 'p4'];
		const appended = await runTogether<number>(tags.map((tag) => ({ job: 'append', store: spec, businessKey: 'C-race', count: 8, tag })));
		expect(appended).toEqual([8, 8, 8, 8]);
		expect(await ledger.verify('C-race')).toMatchObject({ valid: true, count: 32, problems: [] });
		const refs = (await ledger.list('C-race')).map((r) => r.resource_ref).sort();
		expect(refs).toEqual(tags.flatMap((tag) => Array.from({ length: 8 }, (_, i) => `${tag}-${i}`)).sort());
		expect(await backend.store(namespace).businessKeysForExecution('p3')).toEqual(['C-race']);
	}, 90_000);

	(backend.shared ? it : it.skip)('survives a process killed while it holds the chain: the chain verifies and the next append succeeds', async () => {
		await ledger.append(step('C-crash', 1));
		await killMidAppend({ store: backend.childSpec(namespace), businessKey: 'C-crash' });
		const started = Date.now();
		const next = await ledger.append(step('C-crash', 2));
		expect(next.appended).toBe(true);
		expect(next.receipt.sequence).toBe(2);
		expect(await ledger.verify('C-crash')).toMatchObject({ valid: true, count: 2 });
		// A transaction dies with its connection at once; only the file lock waits for its stale time.
		if (backend.name === 'postgres') expect(Date.now() - started).toBeLessThan(1_000);
	}, 60_000);
}
