import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { EvidenceLedger } from '../../../../connectors/evidence';

export const description: INodeProperties[] = [];

/** Output: { business_key, valid, count, problems: [{ index, receipt_id, problem }] }. */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject> {
	return (await ledger.verify(context.getNodeParameter('businessKey', itemIndex) as string)) as unknown as IDataObject;
}
