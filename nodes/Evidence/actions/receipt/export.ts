import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { canonicalJson, sha256Hex } from '../../../../connectors/core';
import type { EvidenceBundle, EvidenceLedger } from '../../../../connectors/evidence';

export const description: INodeProperties[] = [
	{
		displayName: 'Only Steps',
		name: 'onlySteps',
		type: 'string',
		default: '',
		placeholder: 'dealdesk.quote.evaluated, dealdesk.approval.',
		description:
			'Comma-separated workflow steps to keep in the bundle; an entry ending in "." keeps every step starting with it. The verification still covers the whole chain. Empty exports every receipt.',
		displayOptions: { show: { resource: ['receipt'], operation: ['export'] } },
	},
];

/** The "Only Steps" entries: exact step names, or prefixes when they end in ".". */
export function stepFilter(raw: unknown): string[] {
	return String(raw ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

const keeps = (steps: string[], step: string) => steps.some((entry) => (entry.endsWith('.') ? step.startsWith(entry) : step === entry));

/**
 * A bundle of only the receipts whose steps match, e.g. a Discount Policy Bundle of a deal's evaluations and
 * approvals. Each receipt keeps its sequence and hashes, so an auditor can still check it against the full chain,
 * whose verification is included; the filter is part of what `bundle_sha256` covers.
 */
export function filteredBundle(bundle: EvidenceBundle, steps: string[]) {
	const { format, business_key, verification } = bundle;
	const receipts = bundle.receipts.filter((receipt) => keeps(steps, receipt.workflow_step));
	const filter = { steps, chain_receipts: bundle.receipts.length };
	return { ...bundle, receipts, filter, bundle_sha256: sha256Hex(canonicalJson({ format, business_key, receipts, verification, filter })) };
}

/** Output: { format, business_key, generated_at, receipts, verification, bundle_sha256 } (+ filter when Only Steps is set). */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject> {
	const bundle = await ledger.export(context.getNodeParameter('businessKey', itemIndex) as string);
	const steps = stepFilter(context.getNodeParameter('onlySteps', itemIndex, ''));
	return (steps.length === 0 ? bundle : filteredBundle(bundle, steps)) as unknown as IDataObject;
}
