/** What only the PostgreSQL ledger has: its migrations, and tampering done in the database itself. */
import { Pool } from 'pg';
import { DEDUPE_MIGRATIONS, PostgresDedupeStore } from '../../connectors/core';
import { EVIDENCE_MIGRATIONS, EvidenceLedger, migratePostgres, PostgresReceiptStore } from '../../connectors/evidence';
import { postgresPlan, suiteDatabase } from './support/backends';

const withPostgres = postgresPlan.kind === 'skip' ? describe.skip : describe;
if (postgresPlan.kind === 'skip') console.log(`postgres store: skipped: ${postgresPlan.reason}`);

withPostgres('PostgresReceiptStore', () => {
	const db = suiteDatabase('postgres store', 4);
	beforeAll(() => db.open(), 90_000);
	afterAll(() => db.close(), 60_000);

	it('migrates once when several processes start at the same moment, and is a no-op afterwards', async () => {
		const pools = Array.from({ length: 6 }, () => new Pool({ connectionString: db.url, max: 1 }));
		try {
			const applied = await Promise.all(pools.map((each) => migratePostgres(each, 'first_start')));
			const all = [...EVIDENCE_MIGRATIONS, ...DEDUPE_MIGRATIONS].map((migration) => migration.id);
			expect(applied.flat().sort()).toEqual([...all].sort());
			expect(applied.filter((ids) => ids.length > 0)).toHaveLength(1);
			expect(await migratePostgres(db.pool, 'first_start')).toEqual([]);
			const { rows } = await db.pool.query('SELECT id FROM first_start.schema_migrations ORDER BY id');
			expect(rows.map((row: { id: string }) => row.id)).toEqual([...all].sort());
		} finally {
			await Promise.all(pools.map((each) => each.end()));
		}
	}, 30_000);

	it('lets verify see a receipt edited, or a tail removed, in the database', async () => {
		const ledger = new EvidenceLedger(new PostgresReceiptStore({ pool: db.pool, schema: 'tamper', namespace: 'audit' }));
		for (const n of [1, 2, 3]) await ledger.append({ businessKey: 'C-9', workflowStep: `step.${n}`, subject: 'system:test', resourceRef: `res-${n}`, effect: { amount: 100 * n } });
		expect((await ledger.verify('C-9')).valid).toBe(true);

		await db.pool.query(`UPDATE tamper.evidence_receipts SET body = replace(body, '"amount":200', '"amount":2') WHERE namespace = 'audit' AND position = 2`);
		const edited = await ledger.verify('C-9');
		expect(edited.valid).toBe(false);
		expect(edited.problems).toEqual([expect.objectContaining({ index: 1, problem: 'content was edited: sha256 does not match the receipt' })]);

		await db.pool.query(`UPDATE tamper.evidence_receipts SET body = replace(body, '"amount":2', '"amount":200') WHERE namespace = 'audit' AND position = 2`);
		expect((await ledger.verify('C-9')).valid).toBe(true);
		await db.pool.query(`DELETE FROM tamper.evidence_receipts WHERE namespace = 'audit' AND position = 3`);
		const truncated = await ledger.verify('C-9');
		expect(truncated.problems.map((p) => p.problem)).toEqual(['the head records 3 receipts but the chain holds 2 (receipts were removed from the end)']);
	});

	it('deletes dedupe marks long expired now and then, and keeps the live ones', async () => {
		const store = new PostgresDedupeStore({ pool: db.pool, schema: 'purge', namespace: 'dedupe/vmf/wf1' });
		expect(await store.claim('live', 3_600_000)).toBe(true);
		await db.pool.query(`INSERT INTO purge.dedupe_marks VALUES ('dedupe/vmf/wf1', 'ancient', now() - interval '40 days', now() - interval '30 days')`);
		for (let n = 0; n < 199; n++) await store.claim(`evt-${n}`, 3_600_000);
		const { rows } = await db.pool.query(`SELECT key FROM purge.dedupe_marks WHERE key IN ('live', 'ancient')`);
		expect(rows.map((row: { key: string }) => row.key)).toEqual(['live']);
	});

	it('fails with a transient, secret-free error when the database is unreachable', async () => {
		const store = new PostgresReceiptStore({ connectionString: 'postgres://q2c:pg-secret-pass@127.0.0.1:1/q2c', namespace: 'x' });
		const error = await store.read('C-1').then(() => undefined, (e: unknown) => e as { kind: string; message: string });
		expect(error).toMatchObject({ kind: 'transient' });
		expect(error?.message).toMatch(/^The evidence store \(PostgreSQL\) is unavailable: /);
		expect(error?.message).not.toContain('pg-secret-pass');
	});
});
