import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { VmfClient } from '../../../../connectors/vmf';
import { activationFields, resolve } from './shared';

export const properties: INodeProperties[] = activationFields('approve');

export async function execute(context: IExecuteFunctions, itemIndex: number, client: VmfClient): Promise<IDataObject> {
	return resolve(context, itemIndex, client, true);
}
