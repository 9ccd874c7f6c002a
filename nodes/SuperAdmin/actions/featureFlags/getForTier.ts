import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';
import { flagsForTier } from '../../../../connectors/superadmin';
import { asJson, stringParam, tierField, tierMatrixFields, tierMatrixFor } from '../../fields';

const properties: INodeProperties[] = [tierField, ...tierMatrixFields];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['featureFlags'], operation: ['getForTier'] } }, properties);

/** Reads the matrix only (no API call): what a tier would get, module by module. */
export async function execute(context: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const matrix = tierMatrixFor(context, itemIndex);
	const set = flagsForTier(matrix, stringParam(context, 'tier', itemIndex));
	const tierName = matrix.tiers.find((t) => t.key === set.tier)?.name ?? set.tier;
	const modules = matrix.modules.map((m) => ({ key: m.key, name: m.name, level: set.flags[m.key], extras: set.extras[m.key] ?? [] }));
	return asJson({ ...set, tierName, modules });
}
