/**
 * The nodes' choice of store (nodes/shared): file stores by default, exactly as before; with the Q2C_* variables,
 * PostgreSQL/Redis stores whose names are the same in every queue-mode process, whatever its user folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeBackends, FileDedupeStore, PostgresDedupeStore, RedisDedupeStore } from '../../connectors/core';
import { FileReceiptStore, PostgresReceiptStore } from '../../connectors/evidence';
import { admitDelivery } from '../../nodes/shared/contractGate';
import { evidenceLedgerAt } from '../../nodes/shared/receipt';
import { createDedupeStore, dedupeNamespace, dedupeSettings, dedupeStores } from '../../nodes/shared/webhookTrigger';
import { createTestDatabase, postgresPlan, uniqueName, type TestDatabase } from './support/backends';

const saved = { ...process.env };
let userFolder: string;
beforeEach(async () => {
	userFolder = await mkdtemp(join(tmpdir(), 'q2c-wiring-'));
	for (const name of Object.keys(process.env)) if (name.startsWith('Q2C_')) delete process.env[name];
	process.env.N8N_USER_FOLDER = userFolder;
});
afterEach(async () => {
	process.env = { ...saved };
	await rm(userFolder, { recursive: true, force: true });
});
afterAll(() => closeBackends());

const workflow = (id: string) => ({ getWorkflow: () => ({ id }) });

describe('default (no Q2C_* store variables)', () => {
	it('keeps evidence and dedupe marks in files under the data directory', () => {
		const store = evidenceLedgerAt().store;
		expect(store).toBeInstanceOf(FileReceiptStore);
		expect((store as FileReceiptStore).root).toBe(join(userFolder, '.n8n', 'quote-to-cash', 'evidence'));
		expect(dedupeStores.create(dedupeSettings(workflow('wf-1'), {}, 'vmf').dir)).toBeInstanceOf(FileDedupeStore);
	});
});

describe('dedupeNamespace', () => {
	it('names a default per-workflow directory by vendor and workflow, the same in every user folder', () => {
		const here = dedupeSettings(workflow('wf-1'), {}, 'docusign').dir;
		process.env.N8N_USER_FOLDER = join(userFolder, 'another-process');
		const there = dedupeSettings(workflow('wf-1'), {}, 'docusign').dir;
		expect(here).not.toBe(there);
		expect(dedupeNamespace(there)).toBe('dedupe/docusign/wf-1');
		process.env.N8N_USER_FOLDER = userFolder;
		expect(dedupeNamespace(here)).toBe('dedupe/docusign/wf-1');
	});

	it('keeps a Dedupe Directory the user set as it is written', () => {
		expect(dedupeNamespace('/srv/q2c/dedupe-vmf')).toBe('/srv/q2c/dedupe-vmf');
		expect(dedupeNamespace(join(userFolder, '.n8n', 'quote-to-cash', 'dedupe'))).toBe(join(userFolder, '.n8n', 'quote-to-cash', 'dedupe'));
	});
});

describe('createDedupeStore', () => {
	it('follows Q2C_DEDUPE_STORE', () => {
		const dir = dedupeSettings(workflow('wf-2'), {}, 'crm').dir;
		expect(createDedupeStore(dir, { Q2C_EVIDENCE_STORE: 'postgres', Q2C_POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/q2c' })).toBeInstanceOf(PostgresDedupeStore);
		expect(createDedupeStore(dir, { Q2C_DEDUPE_STORE: 'redis', Q2C_REDIS_URL: 'redis://127.0.0.1:6379' })).toBeInstanceOf(RedisDedupeStore);
		expect(createDedupeStore(dir, {})).toBeInstanceOf(FileDedupeStore);
		expect(() => createDedupeStore(dir, { Q2C_DEDUPE_STORE: 'postgres' })).toThrow('Q2C_POSTGRES_URL');
	});
});

const withPostgres = postgresPlan.kind === 'skip' ? describe.skip : describe;
if (postgresPlan.kind === 'skip') console.log(`wiring: postgres cases skipped: ${postgresPlan.reason}`);

withPostgres('with Q2C_EVIDENCE_STORE=postgres', () => {
	let database: TestDatabase;
	const schema = uniqueName('wiring');
	beforeAll(async () => void (database = await createTestDatabase('wiring')), 90_000);
	afterAll(async () => {
		await closeBackends();
		await database?.drop();
	}, 60_000);
	beforeEach(() => {
		Object.assign(process.env, { Q2C_EVIDENCE_STORE: 'postgres', Q2C_POSTGRES_URL: database.url, Q2C_POSTGRES_SCHEMA: schema });
	});

	/** As if another n8n process (another user folder) ran the next lines. */
	const inAnotherProcess = () => void (process.env.N8N_USER_FOLDER = join(userFolder, `process-${Math.random()}`));

	it('shares one default ledger between processes with different user folders; a Store Path is its own namespace', async () => {
		const ledger = evidenceLedgerAt();
		expect(ledger.store).toBeInstanceOf(PostgresReceiptStore);
		expect((ledger.store as PostgresReceiptStore).namespace).toBe('default');
		await ledger.append({ businessKey: 'C-shared', workflowStep: 'billing.subscription.create', subject: 'system:n8n', resourceRef: 'sub_1', executionId: '7' });
		inAnotherProcess();
		expect((await evidenceLedgerAt('').list('C-shared')).map((r) => r.resource_ref)).toEqual(['sub_1']);
		const tenant = evidenceLedgerAt(' /data/tenant-a ');
		expect((tenant.store as PostgresReceiptStore).namespace).toBe('/data/tenant-a');
		expect(await tenant.list('C-shared')).toEqual([]);
	});

	it('starts one run per contract when deliveries reach different processes', async () => {
		const delivery = { deliveryId: 'evt-1', businessKey: 'C-gate', ttlMs: 60_000 };
		const first = await admitDelivery(dedupeStores.create(dedupeSettings(workflow('wf-gate'), {}, 'vmf').dir), delivery, {});
		inAnotherProcess();
		const second = await admitDelivery(dedupeStores.create(dedupeSettings(workflow('wf-gate'), {}, 'vmf').dir), { ...delivery, deliveryId: 'evt-2' }, {});
		expect(first).toEqual({ start: true, attempt: 0 });
		expect(second).toEqual({ start: false, retryLater: true, answer: { received: true, starting: true, retryAfterSeconds: 30, deliveryId: 'evt-2' } });
		// The run's first receipt, written by a worker: from then on a redelivery is acknowledged as in progress.
		await evidenceLedgerAt().append({ businessKey: 'C-gate', workflowStep: 'policy.evaluate', subject: 'system:n8n', resourceRef: 'C-gate' });
		inAnotherProcess();
		const inFlight = await admitDelivery(dedupeStores.create(dedupeSettings(workflow('wf-gate'), {}, 'vmf').dir), { ...delivery, deliveryId: 'evt-2b' }, {});
		expect(inFlight).toEqual({ start: false, answer: { received: true, duplicate: true, deliveryId: 'evt-2b', inProgress: true } });
		// Once the chain has a finished step, no process starts another run.
		await evidenceLedgerAt().append({ businessKey: 'C-gate', workflowStep: 'provisioning.live', subject: 'system:n8n', resourceRef: 'tenant_1' });
		inAnotherProcess();
		const third = await admitDelivery(dedupeStores.create(dedupeSettings(workflow('wf-gate'), {}, 'vmf').dir), { ...delivery, deliveryId: 'evt-3' }, {});
		expect(third).toEqual({ start: false, answer: { received: true, duplicate: true, deliveryId: 'evt-3', finished: 'provisioning.live' } });
	});
});
