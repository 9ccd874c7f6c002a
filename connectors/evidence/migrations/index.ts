/**
 * The evidence ledger's PostgreSQL tables. Append-only: a shipped migration is never edited, a change is a new one.
 * `namespace` lets several ledgers (tenants, tests, an explicit Store Path) share one database.
 */
import type { Migration } from '../../core/pgMigrations';

export const EVIDENCE_MIGRATIONS: readonly Migration[] = [
	{
		id: 'evidence/001_receipts',
		sql: `
CREATE TABLE {schema}.evidence_heads (
	namespace text NOT NULL,
	business_key text NOT NULL,
	count integer NOT NULL DEFAULT 0,
	last_receipt_id text,
	last_sha256 text,
	updated_at text,
	PRIMARY KEY (namespace, business_key)
);
-- body is the receipt's canonical JSON exactly as hashed (not jsonb, which would reorder keys and renormalise numbers).
CREATE TABLE {schema}.evidence_receipts (
	namespace text NOT NULL,
	business_key text NOT NULL,
	position integer NOT NULL,
	receipt_id text NOT NULL,
	body text NOT NULL,
	execution_id text,
	stored_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (namespace, business_key, position)
);
CREATE TABLE {schema}.evidence_executions (
	namespace text NOT NULL,
	execution_id text NOT NULL,
	business_key text NOT NULL,
	ordinal bigint GENERATED ALWAYS AS IDENTITY,
	PRIMARY KEY (namespace, execution_id, business_key)
);`,
	},
];
