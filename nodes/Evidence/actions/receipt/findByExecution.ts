import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { EvidenceLedger } from '../../../../connectors/evidence';

export const description: INodeProperties[] = [
	{
		displayName: 'Execution ID',
		name: 'executionId',
		type: 'string',
		required: true,
		default: '={{ $json.execution.id }}',
		description: 'The execution whose receipts to find; the default reads the Error Trigger\'s output',
		displayOptions: { show: { resource: ['receipt'], operation: ['findByExecution'] } },
	},
];

/** Output: { executionId, businessKey, businessKeys, receipts } (businessKey null when none were written). */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject> {
	const executionId = context.getNodeParameter('executionId', itemIndex) as string | number;
	return (await ledger.findByExecution(executionId)) as unknown as IDataObject;
}
