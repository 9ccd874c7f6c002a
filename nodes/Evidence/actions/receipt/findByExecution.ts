import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { EXCEPTION_STEP, type EvidenceLedger } from '../../../../connectors/evidence';

const show = { resource: ['receipt'], operation: ['findByExecution'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Execution ID',
		name: 'executionId',
		type: 'string',
		required: true,
		default: '={{ $json.execution.id }}',
		description: 'The execution whose receipts to find; the default reads the Error Trigger\'s output',
		displayOptions: { show },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'One Item for the Execution',
				value: 'execution',
				description: 'The execution ID, every contract it wrote receipts for (businessKeys; businessKey is the last one) and all its receipts',
			},
			{
				name: 'One Item per Contract',
				value: 'perContract',
				description:
					'One item for each contract the execution wrote receipts for: its business key, only its receipts, their steps, the steps of its whole chain, and handledBy (the exception receipt that already closed this run, if any). One item with business key null when it wrote none.',
			},
		],
		default: 'execution',
		description: 'Whether to return the execution as one item, or one item per contract so each can be handled on its own chain (e.g. a batch of won deals)',
		displayOptions: { show },
	},
];

/**
 * Output "execution": { executionId, businessKey, businessKeys, receipts } (businessKey null when none were written).
 * Output "perContract": one { executionId, businessKey, receipts, steps, chainSteps, handledBy } per contract, first to
 * last; `steps` are the workflow steps of that execution's receipts, `chainSteps` those of the contract's whole chain
 * (any execution), so a flow can tell that a contract went live earlier. `handledBy` is the id of the first `exception`
 * receipt after the execution's last one: the run was already handled (in queue mode n8n's own error workflow and the
 * reconciler can both report one dead run), else null. Without receipts: one item with businessKey null.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject | IDataObject[]> {
	const executionId = context.getNodeParameter('executionId', itemIndex) as string | number;
	const output = context.getNodeParameter('output', itemIndex, 'execution') as string;
	const found = await ledger.findByExecution(executionId);
	if (output !== 'perContract') return found as unknown as IDataObject;
	if (found.businessKeys.length === 0) return [{ executionId: found.executionId, businessKey: null, receipts: [], steps: [], chainSteps: [], handledBy: null }];
	const contracts: IDataObject[] = [];
	for (const businessKey of found.businessKeys) {
		const receipts = found.receipts.filter((receipt) => receipt.business_key === businessKey);
		const chain = await ledger.list(businessKey);
		const lastOfRun = Math.max(...receipts.map((receipt) => receipt.sequence));
		const closedBy = chain.find((receipt) => receipt.workflow_step === EXCEPTION_STEP && receipt.sequence > lastOfRun);
		contracts.push({
			executionId: found.executionId,
			businessKey,
			receipts: receipts as unknown as IDataObject[],
			steps: receipts.map((receipt) => receipt.workflow_step),
			chainSteps: chain.map((receipt) => receipt.workflow_step),
			handledBy: closedBy?.id ?? null,
		});
	}
	return contracts;
}
