import type { Receipt } from './schemas';

/**
 * Steps that end a contract's run: billed and entitled (the commit point), live, stopped by policy, an envelope
 * the signer declined or voided, or a self-service checkout ended after declined cards (nothing to provision).
 * A chain with one of them in its last attempt is done.
 */
export const DEFAULT_FINISHED_STEPS: readonly string[] = [
	'provisioning.committed',
	'provisioning.live',
	'policy.blocked',
	'docusign.envelope.declined',
	'docusign.envelope.voided',
	'billing.checkout.expire',
];

/**
 * Steps after which a chain waits for the outside world, however long that takes: an envelope out for signature,
 * a customer who may try another card on Stripe's Checkout page.
 */
export const DEFAULT_WAITING_STEPS: readonly string[] = ['docusign.envelope.sent', 'billing.checkout.declined'];

/** What the error workflow writes when it has handled a failed run; a new attempt starts after it. */
export const EXCEPTION_STEP = 'exception';

/** Receipts the error workflow writes while it undoes a run (they are not the run's own work). */
const COMPENSATION_PREFIX = 'compensation.';

export interface StalledOptions {
	/** A run whose newest receipt is at least this old (and that neither finished nor failed) is stalled. */
	stalledAfterMinutes: number;
	finishedSteps?: readonly string[];
	waitingSteps?: readonly string[];
	/**
	 * Only chains whose last attempt has one of these steps are considered (absent or empty: every chain). The
	 * reconciler lists the first steps of the templates it can undo, so chains of other flows sharing the store
	 * (leads, approvals, forms waiting for a person) are never handed to its error workflow.
	 */
	startedSteps?: readonly string[];
}

/** A contract whose last run started, neither finished nor was handled, and has written nothing for a while. */
export interface StalledChain {
	businessKey: string;
	/**
	 * The execution that stopped: the one that wrote the newest receipt of the attempt other than a compensation
	 * receipt (an error workflow that died half-way is not the run to undo). Null when no receipt names one.
	 */
	executionId: string | null;
	/** Every execution that wrote receipts in the attempt, first to last. */
	executionIds: string[];
	/** Failed runs before this one (its `exception` receipts): the attempt number the triggers use. */
	attempt: number;
	/** The steps of the attempt, in chain order. */
	steps: string[];
	lastStep: string;
	lastReceiptId: string;
	lastReceiptAt: string;
	startedAt: string;
	/** Minutes since the newest receipt, rounded down to a tenth. */
	ageMinutes: number;
}

/** Splits a comma- or newline-separated list of steps (blank entries dropped). */
export function stepList(text: string | readonly string[] | undefined, fallback: readonly string[]): string[] {
	if (text === undefined) return [...fallback];
	const parts = typeof text === 'string' ? text.split(/[,\n]/) : [...text];
	return parts.map((step) => step.trim()).filter((step) => step !== '');
}

/** The receipts after the chain's last `exception` (all of them if it has none): the contract's current attempt. */
export function lastAttempt(receipts: readonly Receipt[]): { attempt: number; receipts: Receipt[] } {
	let start = 0;
	let attempt = 0;
	receipts.forEach((receipt, index) => {
		if (receipt.workflow_step === EXCEPTION_STEP) {
			start = index + 1;
			attempt++;
		}
	});
	return { attempt, receipts: receipts.slice(start) };
}

/**
 * Whether one chain is stalled at `now`: its last attempt has started (has receipts), has no finished step, does not
 * end on a waiting step, and its newest receipt is at least `stalledAfterMinutes` old. Returns the description of the
 * stalled attempt, or undefined.
 */
export function stalledAttempt(businessKey: string, receipts: readonly Receipt[], options: StalledOptions, now: Date): StalledChain | undefined {
	const finished = new Set(options.finishedSteps ?? DEFAULT_FINISHED_STEPS);
	const waiting = new Set(options.waitingSteps ?? DEFAULT_WAITING_STEPS);
	const { attempt, receipts: current } = lastAttempt(receipts);
	const newest = current.at(-1);
	if (!newest) return undefined;
	if (current.some((receipt) => finished.has(receipt.workflow_step))) return undefined;
	const started = new Set(options.startedSteps ?? []);
	if (started.size > 0 && !current.some((receipt) => started.has(receipt.workflow_step))) return undefined;
	if (waiting.has(newest.workflow_step)) return undefined;
	const lastAt = Date.parse(newest.timestamp);
	if (Number.isNaN(lastAt)) return undefined;
	const ageMs = now.getTime() - lastAt;
	if (ageMs < options.stalledAfterMinutes * 60_000) return undefined;
	const executionIds = [...new Set(current.flatMap((receipt) => (receipt.execution_id === null ? [] : [receipt.execution_id])))];
	const own = current.filter((receipt) => receipt.execution_id !== null && !receipt.workflow_step.startsWith(COMPENSATION_PREFIX)).at(-1);
	return {
		businessKey,
		executionId: own?.execution_id ?? executionIds.at(-1) ?? null,
		executionIds,
		attempt,
		steps: current.map((receipt) => receipt.workflow_step),
		lastStep: newest.workflow_step,
		lastReceiptId: newest.id,
		lastReceiptAt: newest.timestamp,
		startedAt: current[0].timestamp,
		ageMinutes: Math.floor(ageMs / 6_000) / 10,
	};
}
