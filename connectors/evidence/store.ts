import type { ChainHead, Receipt } from './schemas';

/** One chain as stored: its records in order (possibly unreadable, for verify to report) and its head. */
export interface StoredChain {
	entries: unknown[];
	head?: ChainHead;
}

/** What an append decided: a new receipt to store, or an existing one returned for an idempotent replay. */
export interface AppendDecision {
	receipt: Receipt;
	appended: boolean;
}

/**
 * Durable receipt storage. The file store is the default; a Postgres or Redis ledger implements the
 * same four methods (append must be atomic per business key: `decide` runs with the chain locked).
 */
export interface ReceiptStore {
	append(businessKey: string, decide: (chain: StoredChain) => AppendDecision): Promise<AppendDecision>;
	read(businessKey: string): Promise<StoredChain>;
	/** Business keys an execution appended receipts to, first to last, without duplicates. */
	businessKeysForExecution(executionId: string): Promise<string[]>;
	/** Every business key that has a chain, sorted (e.g. `SELECT DISTINCT business_key`): what a reconciler walks. */
	businessKeys(): Promise<string[]>;
}

export function headFor(receipt: Receipt, updatedAt: string): ChainHead {
	return {
		business_key: receipt.business_key,
		count: receipt.sequence,
		last_receipt_id: receipt.id,
		last_sha256: receipt.sha256,
		updated_at: updatedAt,
	};
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** In-process store for tests and ephemeral runs; appends are serialised per business key. */
export class MemoryReceiptStore implements ReceiptStore {
	private readonly chains = new Map<string, StoredChain>();
	private readonly executions = new Map<string, string[]>();
	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(private readonly now: () => Date = () => new Date()) {}

	async append(businessKey: string, decide: (chain: StoredChain) => AppendDecision): Promise<AppendDecision> {
		const previous = this.queues.get(businessKey) ?? Promise.resolve();
		const run = previous.catch(() => undefined).then(() => {
			const chain = this.chains.get(businessKey) ?? { entries: [] };
			const decision = decide(copy(chain));
			if (decision.appended) {
				this.chains.set(businessKey, { entries: [...chain.entries, copy(decision.receipt)], head: headFor(decision.receipt, this.now().toISOString()) });
				const executionId = decision.receipt.execution_id;
				if (executionId !== null) {
					const keys = this.executions.get(executionId) ?? [];
					if (!keys.includes(businessKey)) this.executions.set(executionId, [...keys, businessKey]);
				}
			}
			return decision;
		});
		this.queues.set(businessKey, run);
		return run;
	}

	async read(businessKey: string): Promise<StoredChain> {
		return copy(this.chains.get(businessKey) ?? { entries: [] });
	}

	async businessKeysForExecution(executionId: string): Promise<string[]> {
		return [...(this.executions.get(executionId) ?? [])];
	}

	async businessKeys(): Promise<string[]> {
		return [...this.chains.keys()].sort();
	}
}
