import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { allowRiskyToolField, type ToolRisks } from '../../shared/aiTool';
import { effectIds, pick, receiptFields, type EffectOf, type SideEffects } from '../../shared/receipt';
import type { OperationHandler, OperationMap } from '../../shared/router';
import type { CloudClients } from '../clients';
import * as database from './database';
import { backendFields } from './database/fields';
import * as dnsRecord from './dnsRecord';
import * as migration from './migration';
import * as pipeline from './pipeline';
import * as tenantData from './tenantData';

export const operations: OperationMap<CloudClients> = {
	database: database.operations,
	migration: migration.operations,
	pipeline: pipeline.operations as Record<string, OperationHandler<CloudClients>>,
	dnsRecord: dnsRecord.operations as Record<string, OperationHandler<CloudClients>>,
	tenantData: tenantData.operations,
};

const risksOf = (module: object, resource: string) => (module as { toolRisks?: ToolRisks }).toolRisks?.[resource] ?? {};

/** Refused to an AI agent unless the tool opts in (the pipeline and DNS files may add their own). */
export const toolRisks: ToolRisks = {
	database: { delete: 'undoes a customer effect' },
	pipeline: { cancel: 'undoes a customer effect', destroy: 'undoes a customer effect', ...risksOf(pipeline, 'pipeline') },
	dnsRecord: { remove: 'undoes a customer effect', ...risksOf(dnsRecord, 'dnsRecord') },
	tenantData: { purge: 'undoes a customer effect' },
};

// Receipts redact keys that sound secret ("secret…"), so the vault reference travels as vaultRef: it names, never holds.
const vaultRef = (json: IDataObject): IDataObject => (typeof json.secretReference === 'string' ? { vaultRef: json.secretReference } : {});
const databaseEffect: EffectOf = (json) => effectIds('provisioning.database', json.identifier, { ...pick(json, ['key', 'backend', 'status', 'databaseName']), ...vaultRef(json) });

/** A resource's side effects as another file declares them: a whole SideEffects, or just its operations. */
type EffectsFragment = SideEffects | Record<string, EffectOf> | undefined;

function fragmentOperations(resource: string, fragment: EffectsFragment): Record<string, EffectOf> {
	if (!fragment) return {};
	if ('operations' in fragment && typeof fragment.operations === 'object') return (fragment as SideEffects).operations[resource] ?? {};
	return Object.fromEntries(Object.entries(fragment).filter(([, effectOf]) => typeof effectOf === 'function')) as Record<string, EffectOf>;
}

/** Writes that can record their receipt in the same step ("Record Receipt"), with the ids each receipt names. */
export const sideEffects: SideEffects = {
	system: 'provisioning',
	operations: {
		database: {
			create: databaseEffect,
			delete: databaseEffect,
			storeConnection: (json) => effectIds('provisioning.database.connection', json.secretReference, { ...pick(json, ['key', 'backend']), storedAs: json.storedAs ?? null }),
		},
		migration: { run: (json) => effectIds('provisioning.migration', json.key, { ...pick(json, ['backend', 'migrations', 'appliedCount']), applied: (json.applied ?? []) as string[] }) },
		pipeline: fragmentOperations('pipeline', (pipeline as { sideEffects?: EffectsFragment }).sideEffects),
		dnsRecord: fragmentOperations('dnsRecord', (dnsRecord as { sideEffects?: EffectsFragment }).sideEffects),
		tenantData: {
			copy: (json) => effectIds('provisioning.tenantData', json.key, { ...pick(json, ['tenantId', 'sourceRows', 'inserted']) }),
			purge: (json) => effectIds('provisioning.tenantData', json.key, { ...pick(json, ['tenantId', 'deleted', 'purgedAt']) }),
		},
	},
};

/**
 * Rollback operations, whose receipts the error workflow writes: their default step starts with "compensation."
 * (connectors/evidence tells a run's own work from its undoing by that prefix).
 */
export const compensations: Record<string, string[]> = { database: ['delete'], pipeline: ['cancel', 'destroy'], dnsRecord: ['remove'] };

export function compensationStep(resource: string, operation: string): string | undefined {
	if (!compensations[resource]?.includes(operation) || !sideEffects.operations[resource]?.[operation]) return undefined;
	return `compensation.${sideEffects.system}.${resource}.${operation}`;
}

/**
 * The context the router sees: a blank receipt step of a compensation becomes its compensation step name. Everything
 * else is the real context (methods bound to it).
 */
export function withCompensationSteps(context: IExecuteFunctions): IExecuteFunctions {
	return new Proxy(context, {
		get(target, property) {
			if (property === 'getNodeParameter') {
				return (name: string, itemIndex: number, ...rest: unknown[]) => {
					const value = (target.getNodeParameter as (...args: unknown[]) => unknown)(name, itemIndex, ...rest);
					if (name !== 'receiptOptions') return value;
					const step = compensationStep(String(target.getNodeParameter('resource', itemIndex)), String(target.getNodeParameter('operation', itemIndex)));
					const options = (value ?? {}) as { step?: string };
					return step && !(options.step ?? '').trim() ? { ...options, step } : value;
				};
			}
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

/** receiptFields, with the Step option of rollback resources naming their compensation step. */
function receiptProperties(): INodeProperties[] {
	return receiptFields(sideEffects).map((property) => {
		const resource = property.displayOptions?.show?.resource?.[0];
		const undo = typeof resource === 'string' ? (compensations[resource] ?? []).filter((operation) => compensationStep(resource, operation)) : [];
		if (property.name !== 'receiptOptions' || undo.length === 0) return property;
		const note = ` Rollbacks (${undo.join(', ')}) default to compensation.${sideEffects.system}.${String(resource)}.<operation>.`;
		return { ...property, options: property.options?.map((option) => (option.name === 'step' ? { ...option, description: `${String((option as INodeProperties).description ?? '')}${note}` } : option)) } as INodeProperties;
	});
}

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'database',
	options: [
		{ name: 'Database', value: 'database' },
		{ name: 'DNS Record', value: 'dnsRecord' },
		{ name: 'Migration', value: 'migration' },
		{ name: 'Pipeline', value: 'pipeline' },
		{ name: 'Tenant Data', value: 'tenantData' },
	],
};

export const properties: INodeProperties[] = [
	resourceProperty,
	...database.description.slice(0, 1),
	...migration.description.slice(0, 1),
	...tenantData.description.slice(0, 1),
	...backendFields,
	...database.description.slice(1),
	...migration.description.slice(1),
	...pipeline.description,
	...dnsRecord.description,
	...tenantData.description.slice(1),
	...receiptProperties(),
	allowRiskyToolField,
];

export const listSearch = {
	...((pipeline as { listSearch?: object }).listSearch ?? {}),
	...((dnsRecord as { listSearch?: object }).listSearch ?? {}),
};
