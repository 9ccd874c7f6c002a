import { randomUUID } from 'node:crypto';
import { businessKeySchema, canonicalJson, idempotencyKey, parseInput, redact, sha256Hex, z } from '../core';
import { EMPTY_TIP, sealReceipt, verifyChain, type ChainTip } from './chain';
import { FileReceiptStore } from './fileStore';
import {
	appendInputSchema,
	receiptSchema,
	type AppendInput,
	type EvidenceBundle,
	type ExecutionReceipts,
	type ParsedAppendInput,
	type Receipt,
	type Verification,
} from './schemas';
import { stalledAttempt, stepList, type StalledChain, type StalledOptions } from './stalled';
import type { AppendDecision, ReceiptStore, StoredChain } from './store';

export interface EvidenceLedgerOptions {
	now?: () => Date;
	newId?: () => string;
}

const stalledOptionsSchema = z.object({
	stalledAfterMinutes: z.number({ invalid_type_error: 'a number of minutes' }).finite().min(0, 'zero or more minutes'),
	finishedSteps: z.array(z.string()).optional(),
	waitingSteps: z.array(z.string()).optional(),
	startedSteps: z.array(z.string()).optional(),
});

const executionIdSchema = z.union([z.string().trim().min(1, 'a non-empty n8n execution id'), z.number()]).transform(String);

/** Where the next receipt attaches: the head pointer when there is one, else the last stored receipt. */
export function tipOf(chain: StoredChain): ChainTip {
	if (chain.head) return { count: chain.head.count, previous_receipt_id: chain.head.last_receipt_id, previous_sha256: chain.head.last_sha256 };
	const last = chain.entries.length > 0 ? receiptSchema.safeParse(chain.entries[chain.entries.length - 1]) : undefined;
	if (!last?.success) return { ...EMPTY_TIP, count: chain.entries.length };
	return { count: chain.entries.length, previous_receipt_id: last.data.id, previous_sha256: last.data.sha256 };
}

function wellFormed(entries: readonly unknown[]): Receipt[] {
	return entries.flatMap((entry) => {
		const parsed = receiptSchema.safeParse(entry);
		return parsed.success ? [parsed.data] : [];
	});
}

/**
 * Hash-chained receipts per business key (contract/order id): what each workflow step did, under which
 * policy decision, in which n8n execution. Appends are idempotent per key; verify and export prove the
 * chain is complete and unedited.
 */
export class EvidenceLedger {
	private readonly now: () => Date;
	private readonly newId: () => string;

	constructor(
		readonly store: ReceiptStore = new FileReceiptStore(),
		options: EvidenceLedgerOptions = {},
	) {
		this.now = options.now ?? (() => new Date());
		this.newId = options.newId ?? (() => `rcpt_${randomUUID().replace(/-/g, '')}`);
	}

	/** Records one step. Returns the stored receipt; `appended: false` when the idempotency key was already used. */
	async append(input: AppendInput): Promise<AppendDecision> {
		const parsed = parseInput(appendInputSchema, input, '');
		const subject = redact(parsed.subject);
		const resourceRef = redact(parsed.resourceRef);
		const policyDecision = parsed.policyDecision ? redact(parsed.policyDecision) : null;
		// Only set when given: an absent field keeps the hash (and default key) of receipts written without it.
		const optional = {
			...(parsed.outcome === undefined ? {} : { outcome: parsed.outcome }),
			...(parsed.effect === undefined ? {} : { effect: redact(parsed.effect) }),
		};
		const key = parsed.idempotencyKey ?? this.defaultIdempotencyKey(parsed, { subject, resourceRef, policyDecision, ...optional });
		return this.store.append(parsed.businessKey, (chain) => {
			const existing = wellFormed(chain.entries).find((receipt) => receipt.idempotency_key === key);
			if (existing) return { receipt: existing, appended: false };
			const tip = tipOf(chain);
			const receipt = sealReceipt({
				id: this.newId(),
				business_key: parsed.businessKey,
				sequence: tip.count + 1,
				workflow_step: parsed.workflowStep,
				subject,
				resource_ref: resourceRef,
				...optional,
				policy_decision: policyDecision,
				execution_id: parsed.executionId ?? null,
				idempotency_key: key,
				timestamp: this.now().toISOString(),
				previous_receipt_id: tip.previous_receipt_id,
				previous_sha256: tip.previous_sha256,
			});
			return { receipt, appended: true };
		});
	}

	async list(businessKey: string): Promise<Receipt[]> {
		const chain = await this.store.read(parseInput(businessKeySchema, businessKey, 'businessKey'));
		return wellFormed(chain.entries);
	}

	async verify(businessKey: string): Promise<Verification> {
		const key = parseInput(businessKeySchema, businessKey, 'businessKey');
		const chain = await this.store.read(key);
		return verifyChain(key, chain.entries, chain.head);
	}

	/** One contract's chain as a self-checking evidence bundle for auditors. */
	async export(businessKey: string): Promise<EvidenceBundle> {
		const key = parseInput(businessKeySchema, businessKey, 'businessKey');
		const chain = await this.store.read(key);
		const content = {
			format: 'q2c-evidence-bundle/1' as const,
			business_key: key,
			receipts: wellFormed(chain.entries),
			verification: verifyChain(key, chain.entries, chain.head),
		};
		return { ...content, generated_at: this.now().toISOString(), bundle_sha256: sha256Hex(canonicalJson(content)) };
	}

	/** What one n8n execution recorded: the error workflow uses it to find the contract and what succeeded. */
	async findByExecution(executionId: string | number): Promise<ExecutionReceipts> {
		const id = parseInput(executionIdSchema, executionId, 'executionId');
		const businessKeys = await this.store.businessKeysForExecution(id);
		const receipts: Receipt[] = [];
		for (const key of businessKeys) receipts.push(...(await this.list(key)).filter((receipt) => receipt.execution_id === id));
		const written = businessKeys.filter((key) => receipts.some((receipt) => receipt.business_key === key));
		return { executionId: id, businessKey: written.at(-1) ?? null, businessKeys: written, receipts };
	}

	/**
	 * Contracts whose last run started but neither finished (a finished step) nor was handled (an `exception`), and
	 * wrote nothing for `stalledAfterMinutes`: what is left half-done when the process running it died. Walks every
	 * chain in the store; oldest newest-receipt first.
	 */
	async findStalled(options: StalledOptions): Promise<StalledChain[]> {
		const parsed = parseInput(stalledOptionsSchema, options, '');
		const settings: StalledOptions = {
			stalledAfterMinutes: parsed.stalledAfterMinutes,
			...(parsed.finishedSteps ? { finishedSteps: stepList(parsed.finishedSteps, []) } : {}),
			...(parsed.waitingSteps ? { waitingSteps: stepList(parsed.waitingSteps, []) } : {}),
			...(parsed.startedSteps ? { startedSteps: stepList(parsed.startedSteps, []) } : {}),
		};
		const now = this.now();
		const stalled: StalledChain[] = [];
		for (const businessKey of await this.store.businessKeys()) {
			const found = stalledAttempt(businessKey, await this.list(businessKey), settings, now);
			if (found) stalled.push(found);
		}
		return stalled.sort((a, b) => a.lastReceiptAt.localeCompare(b.lastReceiptAt) || a.businessKey.localeCompare(b.businessKey));
	}

	/**
	 * Retries inside one execution reuse the receipt; other executions add their own. Without an
	 * execution id, identical content for the same step is the same receipt.
	 */
	private defaultIdempotencyKey(input: ParsedAppendInput, content: Record<string, unknown>): string {
		const scope = input.executionId ? `execution:${input.executionId}` : `content:${sha256Hex(canonicalJson(content)).slice(0, 32)}`;
		return idempotencyKey(input.businessKey, `evidence.${input.workflowStep}.${scope}`);
	}
}
