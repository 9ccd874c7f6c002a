import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { DEFAULT_FINISHED_STEPS, DEFAULT_WAITING_STEPS, stepList, type EvidenceLedger } from '../../../../connectors/evidence';

const show = { resource: ['receipt'], operation: ['findStalled'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Stalled After (Minutes)',
		name: 'stalledAfterMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		required: true,
		default: 30,
		description:
			'How long a started run may go without writing a receipt before it counts as stalled. Make it longer than the slowest healthy run (retries and rate-limit waits included), and at least the triggers\' in-flight lease.',
		displayOptions: { show },
	},
	{
		displayName: 'Finished Steps',
		name: 'finishedSteps',
		type: 'string',
		default: DEFAULT_FINISHED_STEPS.join(', '),
		description: 'Receipt steps (comma-separated) that mean the run finished: a chain whose last attempt has one is never stalled',
		displayOptions: { show },
	},
	{
		displayName: 'Waiting Steps',
		name: 'waitingSteps',
		type: 'string',
		default: DEFAULT_WAITING_STEPS.join(', '),
		description: 'Receipt steps (comma-separated) after which a chain waits for the outside world, e.g. an envelope out for signature: a chain whose newest receipt is one of them is not stalled',
		displayOptions: { show },
	},
	{
		displayName: 'Only Chains With Steps',
		name: 'startedSteps',
		type: 'string',
		default: '',
		placeholder: 'vmf.order.received, crm.deal.won',
		description:
			'Receipt steps (comma-separated), e.g. the first steps of the workflows this reconciler can undo: only chains whose last attempt has one of them are considered. Empty means every chain in the store.',
		displayOptions: { show },
	},
];

/**
 * One item per stalled contract, oldest first: { businessKey, executionId (the run that stopped), executionIds,
 * attempt, steps, lastStep, lastReceiptId, lastReceiptAt, startedAt, ageMinutes }. No items when nothing is stalled.
 * A contract is stalled when its last attempt (the receipts after its last `exception`) has started, has no finished
 * step, does not end on a waiting step, and its newest receipt is at least Stalled After minutes old.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject[]> {
	const stalledAfterMinutes = Number(context.getNodeParameter('stalledAfterMinutes', itemIndex));
	const finishedSteps = stepList(context.getNodeParameter('finishedSteps', itemIndex, DEFAULT_FINISHED_STEPS.join(',')) as string, DEFAULT_FINISHED_STEPS);
	const waitingSteps = stepList(context.getNodeParameter('waitingSteps', itemIndex, DEFAULT_WAITING_STEPS.join(',')) as string, DEFAULT_WAITING_STEPS);
	const startedSteps = stepList(context.getNodeParameter('startedSteps', itemIndex, '') as string, []);
	const stalled = await ledger.findStalled({ stalledAfterMinutes, finishedSteps, waitingSteps, startedSteps });
	return stalled as unknown as IDataObject[];
}
