/**
 * "Record Receipt" on the operations that change something at a vendor: the node appends the effect's receipt to
 * the contract's evidence chain in the same step, before it returns. A separate Evidence node afterwards can fail,
 * or n8n can die in between, and then compensation never learns that the record exists.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { businessKeySchema, idempotencyKey, parseInput, redact, storeConfig } from '../../connectors/core';
import { DEFAULT_EVIDENCE_NAMESPACE, defaultEvidenceDir, EvidenceLedger, FileReceiptStore, PostgresReceiptStore, workflowStepSchema } from '../../connectors/evidence';

/** What a receipt names: `id` becomes its resource_ref (what compensation reads), all of it its `effect`. Ids only, never secrets. */
export type EffectIds = IDataObject & { id: string };

/** Reads the ids of what one operation created or changed from its output (the first item, and all of them). */
export type EffectOf = (json: IDataObject, all: IDataObject[]) => EffectIds;

/** A node's side-effecting operations (`resource` → `operation` → its ids); `system` starts default step names. */
export interface SideEffects {
	system: string;
	operations: Record<string, Record<string, EffectOf>>;
}

/** The named fields of `json` that are set, for an EffectOf (leave out anything that could carry a secret). */
export function pick(json: IDataObject, keys: string[]): IDataObject {
	return Object.fromEntries(keys.filter((key) => json[key] !== undefined && json[key] !== null).map((key) => [key, json[key]]));
}

/** EffectIds of a record of `type` (e.g. "stripe.subscription") whose id is `id`. */
export function effectIds(type: string, id: unknown, more: IDataObject = {}): EffectIds {
	return { type, id: typeof id === 'string' || typeof id === 'number' ? String(id) : '', ...more };
}

/** The fields each side-effecting resource gets, shown only for its side-effecting operations. */
export function receiptFields(effects: SideEffects): INodeProperties[] {
	return Object.entries(effects.operations).flatMap(([resource, operations]): INodeProperties[] => {
		const show = { resource: [resource], operation: Object.keys(operations) };
		const whenOn = { show: { ...show, recordReceipt: [true] } };
		const example = `${effects.system}.${resource}.${Object.keys(operations)[0]}`;
		return [
			{
				displayName: 'Record Receipt',
				name: 'recordReceipt',
				type: 'boolean',
				default: false,
				description:
					"Whether to append this effect's receipt to the contract's evidence chain before the node returns. If it cannot be written, the item fails, naming the record that changed.",
				displayOptions: { show },
			},
			{
				displayName: 'Receipt Business Key',
				name: 'receiptBusinessKey',
				type: 'string',
				required: true,
				default: '={{ $json.businessKey }}',
				description: 'The contract or order ID whose receipt chain gets the receipt',
				displayOptions: whenOn,
			},
			{
				displayName: 'Receipt Options',
				name: 'receiptOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: whenOn,
				options: [
					{
						displayName: 'Evidence Directory',
						name: 'storePath',
						type: 'string',
						default: '',
						placeholder: '/home/node/.n8n/quote-to-cash/evidence',
						description:
							"Directory of the evidence store, the Evidence node's Store Path (with Q2C_EVIDENCE_STORE=postgres: the ledger's namespace in the database). Empty uses the default.",
					},
					{
						displayName: 'Step',
						name: 'step',
						type: 'string',
						default: '',
						placeholder: example,
						description: `The step this receipt evidences. Empty uses the node's system, the resource and the operation, e.g. ${example}.`,
					},
				],
			},
		];
	});
}

const ledgers = new Map<string, EvidenceLedger>();

/**
 * One ledger per store, shared with the Evidence node. With Q2C_EVIDENCE_STORE=postgres every n8n process (main,
 * webhook, workers) writes to the same database: an explicit Store Path names a namespace there, blank is a fixed
 * default one (not the per-process default directory: each queue-mode process has its own user folder). Otherwise a
 * file store in the directory (blank = `<data dir>/evidence`).
 */
export function evidenceLedgerAt(storePath?: string): EvidenceLedger {
	const explicit = (storePath ?? '').trim();
	const config = storeConfig();
	if (config.evidence === 'postgres') {
		const namespace = explicit || DEFAULT_EVIDENCE_NAMESPACE;
		const key = `postgres\u0000${config.postgresUrl}\u0000${config.postgresSchema}\u0000${namespace}`;
		return ledgerFor(key, () => new PostgresReceiptStore({ connectionString: config.postgresUrl, schema: config.postgresSchema, namespace }));
	}
	// Keyed by the resolved directory, so a changed data dir (Q2C_DATA_DIR) never reuses another's ledger.
	const path = explicit || defaultEvidenceDir();
	return ledgerFor(path, () => new FileReceiptStore(path));
}

function ledgerFor(key: string, createStore: () => ConstructorParameters<typeof EvidenceLedger>[0]): EvidenceLedger {
	let ledger = ledgers.get(key);
	if (!ledger) {
		ledger = new EvidenceLedger(createStore());
		ledgers.set(key, ledger);
	}
	return ledger;
}

export interface ReceiptPlan {
	effectOf: EffectOf;
	ledger: EvidenceLedger;
	businessKey: string;
	step: string;
}

/** What lands on each output item. */
export interface ReceiptStamp {
	id: string;
	sha256: string;
	step: string;
	/** Its place in the contract's chain. */
	sequence: number;
}

/**
 * The receipt an item will get, or undefined (no side effect, or receipts off). Read and checked before the
 * effect, so a blank business key or a bad step name fails the item while nothing has happened yet.
 */
export function planReceipt(context: IExecuteFunctions, effects: SideEffects | undefined, resource: string, operation: string, itemIndex: number): ReceiptPlan | undefined {
	const effectOf = effects?.operations[resource]?.[operation];
	if (!effects || !effectOf) return undefined;
	if (context.getNodeParameter('recordReceipt', itemIndex, false) !== true) return undefined;
	const options = (context.getNodeParameter('receiptOptions', itemIndex, {}) ?? {}) as { step?: string; storePath?: string };
	const businessKey = context.getNodeParameter('receiptBusinessKey', itemIndex, '') as unknown;
	return {
		effectOf,
		ledger: evidenceLedgerAt(options.storePath),
		businessKey: parseInput(businessKeySchema, typeof businessKey === 'number' ? String(businessKey) : businessKey, 'receiptBusinessKey'),
		step: parseInput(workflowStepSchema, (options.step ?? '').trim() || `${effects.system}.${resource}.${operation}`, 'receiptOptions.step'),
	};
}

/** The receipt an effect should have got; kept on the error (and on a Continue On Fail error item) so a person can find the record. */
export interface UnrecordedReceipt {
	businessKey: string;
	step: string;
	resourceRef: string | null;
	effect: EffectIds | null;
	executionId: string | null;
}

const UNRECORDED = Symbol('q2c.unrecordedReceipt');

/** The missing receipt an error is about, if it is an effect that could not be recorded. */
export function unrecordedReceiptOf(error: unknown): UnrecordedReceipt | undefined {
	return error instanceof NodeOperationError ? (error as NodeOperationError & { [UNRECORDED]?: UnrecordedReceipt })[UNRECORDED] : undefined;
}

/** Appends the receipt of an effect that happened; if that fails, the item fails saying so and naming the record. */
export async function recordReceipt(context: IExecuteFunctions, plan: ReceiptPlan, outputs: IDataObject[], itemIndex: number): Promise<ReceiptStamp> {
	const node = context.getNode();
	let executionId: string | undefined;
	let ids: EffectIds | undefined;
	try {
		executionId = String(context.getExecutionId() ?? '');
		ids = plan.effectOf(outputs[0] ?? {}, outputs);
		const { receipt } = await plan.ledger.append({
			businessKey: plan.businessKey,
			workflowStep: plan.step,
			subject: { actor: 'system:n8n', node: node.name, nodeType: node.type },
			resourceRef: ids.id,
			outcome: 'succeeded',
			effect: ids,
			executionId,
			// Stable for a retry of this step (same execution, node, item and record), so it is stored once; a
			// loop that changes another record in the same execution gets its own receipt.
			idempotencyKey: idempotencyKey(plan.businessKey, `receipt.${plan.step}|${executionId}|${node.name}|${itemIndex}|${ids.id}`),
		});
		return { id: receipt.id, sha256: receipt.sha256, step: receipt.workflow_step, sequence: receipt.sequence };
	} catch (error) {
		const unrecorded: UnrecordedReceipt = { businessKey: plan.businessKey, step: plan.step, resourceRef: ids?.id || null, effect: ids ?? null, executionId: executionId || null };
		const what = unrecorded.resourceRef ? `${plan.step} of ${unrecorded.resourceRef}` : `${plan.step} (its ids could not be read)`;
		const reason = redact(error instanceof Error ? error.message : String(error));
		const message = `The effect happened but its receipt could not be recorded: ${what}, business key ${plan.businessKey}`;
		const failure = new NodeOperationError(node, message, {
			itemIndex,
			description: `${reason.replace(/\.$/, '')}. Until it is recorded (Evidence node, Append, step "${plan.step}"${unrecorded.resourceRef ? `, resource ref "${unrecorded.resourceRef}"` : ''}) or undone, the error workflow does not know this record exists.`,
		});
		// n8n swaps a message that mentions a system error code (ENOTDIR, EACCES…) for a generic text; this one must name the record.
		failure.message = message;
		throw Object.assign(failure, { [UNRECORDED]: unrecorded });
	}
}
