import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { EvidenceLedger } from '../../../../connectors/evidence';

export const description: INodeProperties[] = [];

/** Output: { format, business_key, generated_at, receipts, verification, bundle_sha256 }. */
export async function execute(context: IExecuteFunctions, itemIndex: number, ledger: EvidenceLedger): Promise<IDataObject> {
	return (await ledger.export(context.getNodeParameter('businessKey', itemIndex) as string)) as unknown as IDataObject;
}
