import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { EvidenceLedger } from '../../../../connectors/evidence';

export const description: INodeProperties[] = [];

/** Output: one item { business_key, count, receipts } (an empty chain still yields an item). */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject> {
	const businessKey = (context.getNodeParameter('businessKey', itemIndex) as string).trim();
	const receipts = await ledger.list(businessKey);
	return { business_key: businessKey, count: receipts.length, receipts: receipts as unknown as IDataObject[] };
}
