/**
 * Exactly once per contract, not per delivery. Vendors redeliver, republish with new ids (DocuSign's new
 * generatedDateTime), or send one order through two channels (Marketplace and Automations); each is a distinct
 * delivery of the same contract. Before a trigger starts a run for a contract it asks the contract's evidence chain:
 * - a finished step (committed, live, blocked) is on the chain → the contract is done: acknowledge, start nothing;
 * - otherwise claim an in-flight lease for this attempt → only one run per contract at a time.
 * The attempt is the number of failed runs the chain records (each ends in an `exception` receipt), so a run that
 * failed frees the next delivery at once (a new attempt, a new lease key), while concurrent redeliveries of one
 * attempt still share one lease. A run that died without an exception (n8n killed) frees it when the lease expires.
 *
 * A claimed lease is not yet a run: n8n may fail to create the execution after the trigger answered (its database
 * pool exhausted under a burst), and the vendor then redelivers. So until the attempt has a receipt on the chain,
 * redeliveries are told "starting, retry later" (503) rather than acknowledged, keeping the delivery alive at the
 * vendor; and once the start window passes with still no receipt, the next redelivery takes the contract over.
 */
import type { INodeProperties } from 'n8n-workflow';
import type { DedupeStore } from '../../connectors/core';
import { DEFAULT_FINISHED_STEPS, EXCEPTION_STEP, type EvidenceLedger } from '../../connectors/evidence';
import { evidenceLedgerAt } from './receipt';

// What "finished" and "a failed run" mean is the evidence chain's, shared with the reconciler.
const FINISHED_STEPS_DEFAULT = DEFAULT_FINISHED_STEPS.join(', ');

export interface ContractGateOptions {
	oncePerContract?: boolean;
	finishedSteps?: string;
	inFlightMinutes?: number;
	startWindowSeconds?: number;
	evidenceStorePath?: string;
	/** When an admitted delivery is answered: n8n's answer once the run has a slot, or at once after a receipt (earlyAnswer.ts). */
	answerVendor?: 'whenQueued' | 'whenRecorded';
}

type GateDecision =
	| { run: true; attempt: number }
	| { run: false; finishedStep: string }
	| { run: false; inProgress: true; attempt: number }
	| { run: false; starting: true; attempt: number };

/** The "Answer Vendor" option of the gated triggers. */
const answerVendorField: INodeProperties = {
	displayName: 'Answer Vendor',
	name: 'answerVendor',
	type: 'options',
	default: 'whenQueued',
	options: [
		{
			name: 'When the Run Gets a Slot',
			value: 'whenQueued',
			description: 'The answer n8n itself gives, once the run can start: in a burst the vendor may time out and redeliver',
		},
		{
			name: 'As Soon As the Delivery Is Recorded',
			value: 'whenRecorded',
			description:
				"Appends a delivery.accepted receipt (e.g. vmf.delivery.accepted) to the contract's chain, then answers 200 at once. Add that step to the reconciler's Only Chains With Steps so a run n8n never started reaches a person.",
		},
	],
	description: 'When a delivery that starts a contract is answered. Needs Once per Contract.',
};

/** The options every gated trigger shows, inside its Options collection. */
export function contractGateFields(what: string): INodeProperties[] {
	return [
		{
			displayName: 'Once per Contract',
			name: 'oncePerContract',
			type: 'boolean',
			default: true,
			description: `Whether to start at most one run per contract for ${what}, whatever the delivery: none once the contract's receipt chain has a finished step, none while another run for it is in flight`,
		},
		{
			displayName: 'Finished Steps',
			name: 'finishedSteps',
			type: 'string',
			default: FINISHED_STEPS_DEFAULT,
			description: 'Receipt steps (comma-separated) that mean the contract needs no further run',
		},
		{
			displayName: 'In-Flight Lease (Minutes)',
			name: 'inFlightMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
			description: 'How long a started run holds its contract. A run that fails frees it at once (its exception receipt); one whose process died frees it after this.',
		},
		{
			displayName: 'Start Window (Seconds)',
			name: 'startWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 10 },
			default: 300,
			description:
				'How long a started run has to write its first receipt. Until then redeliveries are answered 503 so the vendor retries; after it, with still no receipt, the next redelivery starts the contract again (n8n lost the first execution). A workflow that waits (an approval, a Wait node) before its first receipt should record one first or raise this.',
		},
		{
			displayName: 'Evidence Store Path',
			name: 'evidenceStorePath',
			type: 'string',
			default: '',
			description:
				"Directory of the evidence store the workflow's receipts go to (with Q2C_EVIDENCE_STORE=postgres: the ledger's namespace in the database). Empty uses the default.",
		},
		answerVendorField,
	];
}

const stepsOf = (list: string | undefined): string[] =>
	(list ?? FINISHED_STEPS_DEFAULT)
		.split(',')
		.map((step) => step.trim())
		.filter((step) => step !== '');

const leaseKeyOf = (businessKey: string, attempt: number): string => `contract:${businessKey}#attempt-${attempt}`;

/** Gives back an admitted attempt's claims (its run will not start), so the next delivery is admitted afresh. */
export async function releaseAdmission(store: DedupeStore, businessKey: string, attempt: number): Promise<void> {
	const leaseKey = leaseKeyOf(businessKey, attempt);
	await store.release(leaseKey);
	await store.release(`${leaseKey}#start`);
}

/**
 * Decide whether a delivery for `businessKey` may start a run. Throws when the chain or the lease store cannot be
 * read: the trigger then answers 5xx so the vendor redelivers.
 */
async function gateContract(
	businessKey: string,
	options: ContractGateOptions,
	stores: { dedupe: DedupeStore; ledger?: EvidenceLedger },
): Promise<GateDecision> {
	const ledger = stores.ledger ?? evidenceLedgerAt(options.evidenceStorePath?.trim() || undefined);
	const receipts = await ledger.list(businessKey);
	const finishedSteps = stepsOf(options.finishedSteps);
	const finished = receipts.find((receipt) => finishedSteps.includes(receipt.workflow_step));
	if (finished) return { run: false, finishedStep: finished.workflow_step };
	const exceptions = receipts.filter((receipt) => receipt.workflow_step === EXCEPTION_STEP);
	const attempt = exceptions.length;
	const lastException = exceptions.at(-1);
	const started = receipts.some((receipt) => receipt.workflow_step !== EXCEPTION_STEP && (!lastException || receipt.sequence > lastException.sequence));
	const leaseKey = leaseKeyOf(businessKey, attempt);
	const leaseMs = Math.max(1, Number(options.inFlightMinutes) || 15) * 60_000;
	const startWindowMs = Math.max(10, Number(options.startWindowSeconds) || 300) * 1000;
	// The start key first: of concurrent deliveries only one gets past it, so a lease and a takeover never race.
	if (!(await stores.dedupe.claim(`${leaseKey}#start`, startWindowMs))) {
		return started ? { run: false, inProgress: true, attempt } : { run: false, starting: true, attempt };
	}
	if (await stores.dedupe.claim(leaseKey, leaseMs)) return { run: true, attempt };
	// Leased, and its start window passed: in flight if it wrote a receipt; else n8n never ran it, so take it over.
	return started ? { run: false, inProgress: true, attempt } : { run: true, attempt };
}

/** What a redelivery during the start window is told to wait: long enough not to hammer, short against the window. */
export const RETRY_STARTING_SECONDS = 30;

export type Admission = { start: true; attempt: number } | { start: false; answer: Record<string, unknown>; retryLater?: true };

/**
 * Whether a verified delivery starts a run: once per contract (the gate) when `businessKey` is given and the
 * option is on, else once per delivery id. `answer` is the body of a delivery that starts nothing: 200, or 503 with
 * `retryLater` while the contract's run is starting (see above).
 */
export async function admitDelivery(
	store: DedupeStore,
	delivery: { deliveryId: string; businessKey?: string | null; ttlMs: number },
	options: ContractGateOptions,
): Promise<Admission> {
	const duplicate = { received: true, duplicate: true, deliveryId: delivery.deliveryId };
	if (delivery.businessKey && options.oncePerContract !== false) {
		const decision = await gateContract(delivery.businessKey, options, { dedupe: store });
		if (decision.run) return { start: true, attempt: decision.attempt };
		if ('starting' in decision) return { start: false, retryLater: true, answer: { received: true, starting: true, retryAfterSeconds: RETRY_STARTING_SECONDS, deliveryId: delivery.deliveryId } };
		return { start: false, answer: { ...duplicate, ...('finishedStep' in decision ? { finished: decision.finishedStep } : { inProgress: true }) } };
	}
	return (await store.claim(delivery.deliveryId, delivery.ttlMs)) ? { start: true, attempt: 0 } : { start: false, answer: duplicate };
}
