import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { EvidenceLedger } from '../../../connectors/evidence';
import { evidenceLedgerAt } from '../../shared/receipt';

/** One ledger per store directory (empty option = the default `<data dir>/evidence`), shared with "Record Receipt". */
export async function ledgerFor(context: IExecuteFunctions, itemIndex: number): Promise<EvidenceLedger> {
	const options = context.getNodeParameter('options', itemIndex, {}) as { storePath?: string };
	return evidenceLedgerAt(options.storePath);
}

/** The contract/order id whose chain an operation works on; defaults to the normalized contract's. */
export function businessKeyProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Business Key',
		name: 'businessKey',
		type: 'string',
		required: true,
		default: '={{ $json.businessKey }}',
		description: 'The contract or order ID whose receipt chain to use',
		displayOptions: { show: { resource: ['receipt'], operation: operations } },
	};
}

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['receipt'] } },
	options: [
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			description: 'Receipts with the same key in one chain are stored once. Empty derives it from the step and the execution.',
			displayOptions: { show: { '/operation': ['append', 'storeDocument'] } },
		},
		{
			displayName: 'Pass Through Input',
			name: 'passThrough',
			type: 'boolean',
			default: true,
			description: 'Whether to output the input item with the receipt added under "receipt", so the flow keeps its data',
			displayOptions: { show: { '/operation': ['append', 'storeDocument'] } },
		},
		{
			displayName: 'Store Path',
			name: 'storePath',
			type: 'string',
			default: '',
			placeholder: '/home/node/.n8n/quote-to-cash/evidence',
			description:
				"Directory of the evidence store (with Q2C_EVIDENCE_STORE=postgres: the ledger's namespace in the database, the same for every n8n process). Empty uses the default.",
		},
	],
};
