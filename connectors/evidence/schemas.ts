import { z } from 'zod';
import { businessKeySchema } from '../core';

/** Any JSON object; receipts store snapshots (policy decisions, resource refs) as plain data. */
const jsonObject = z.record(z.unknown());
/** Who or what acted ("system:n8n", "user:42") or a small object describing it. */
const subjectSchema = z.union([z.string().trim().min(1, 'a non-empty subject such as "system:n8n"'), jsonObject]);
/** The resource the step touched ("stripe:subscription:sub_123@v2") or an object naming it. */
const resourceRefSchema = z.union([z.string().trim().min(1, 'a non-empty resource reference'), jsonObject]);

/** A step name such as "billing.subscription.create": letters, digits, "_", ".", ":" or "-". */
export const workflowStepSchema = z
	.string()
	.trim()
	.min(1, 'a non-empty step name such as "ACTIVATE_ORDER"')
	.max(100)
	.regex(/^[A-Za-z0-9_.:-]+$/, 'a step name of letters, digits, "_", ".", ":" or "-" such as "ACTIVATE_ORDER"');

/** How the step ended, e.g. "succeeded"; optional so receipts written before it existed still verify. */
const outcomeSchema = z.string().trim().regex(/^[a-z][a-z_]{0,39}$/, 'a lower-case outcome such as "succeeded"');

/** What a caller supplies to record one workflow step. */
export const appendInputSchema = z
	.object({
		businessKey: businessKeySchema,
		workflowStep: workflowStepSchema,
		subject: subjectSchema,
		resourceRef: resourceRefSchema,
		outcome: outcomeSchema.optional(),
		/** Ids of what the step created or changed (never secrets), beyond the one in resourceRef. */
		effect: jsonObject.optional(),
		policyDecision: jsonObject.nullish(),
		executionId: z.preprocess((v) => (v === '' ? undefined : v), z.union([z.string(), z.number()]).transform(String).nullish()),
		/** Same key within one chain → the existing receipt is returned instead of a second one. */
		idempotencyKey: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).max(255).optional()),
	})
	.strict();

export type AppendInput = z.input<typeof appendInputSchema>;
export type ParsedAppendInput = z.output<typeof appendInputSchema>;

export const receiptSchema = z
	.object({
		id: z.string().min(1),
		business_key: z.string().min(1),
		/** 1-based position in the chain; part of the hash so re-ordering shows. */
		sequence: z.number().int().positive(),
		workflow_step: z.string().min(1),
		subject: z.union([z.string(), jsonObject]),
		resource_ref: z.union([z.string(), jsonObject]),
		/** Absent on receipts written before these fields existed (and so not part of their hash). */
		outcome: z.string().optional(),
		effect: jsonObject.optional(),
		policy_decision: jsonObject.nullable(),
		execution_id: z.string().nullable(),
		idempotency_key: z.string().min(1),
		timestamp: z.string().min(1),
		previous_receipt_id: z.string().nullable(),
		previous_sha256: z.string().nullable(),
		/** sha256 of the canonical JSON of every other field. */
		sha256: z.string().regex(/^[0-9a-f]{64}$/),
	})
	.strict();

export type Receipt = z.infer<typeof receiptSchema>;
export type UnsealedReceipt = Omit<Receipt, 'sha256'>;

/** Where a chain ends; kept separately from the receipts so a truncated tail is detectable. */
export interface ChainHead {
	business_key: string;
	count: number;
	last_receipt_id: string | null;
	last_sha256: string | null;
	updated_at: string;
}

export interface VerificationProblem {
	/** Position in the stored chain (0-based); for head problems, the position where the chain ends. */
	index: number;
	receipt_id: string | null;
	problem: string;
}

export interface Verification {
	business_key: string;
	valid: boolean;
	count: number;
	problems: VerificationProblem[];
}

export interface EvidenceBundle {
	format: 'q2c-evidence-bundle/1';
	business_key: string;
	generated_at: string;
	receipts: Receipt[];
	verification: Verification;
	/** sha256 of the canonical JSON of format, business_key, receipts and verification (not generated_at). */
	bundle_sha256: string;
}

export interface ExecutionReceipts {
	executionId: string;
	/** The contract the execution last wrote evidence for (null when it wrote none). */
	businessKey: string | null;
	/** Every contract the execution wrote evidence for, first to last. */
	businessKeys: string[];
	/** The receipts that execution wrote, chain by chain, in chain order. */
	receipts: Receipt[];
}
