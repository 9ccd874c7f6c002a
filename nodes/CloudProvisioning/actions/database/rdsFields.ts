/** The RDS instance settings of Create, and the password mode Create and Delete share. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { validationError } from '../../../../connectors/core';
import type { RdsSettings } from '../../clients';
import { blankToUndefined } from './fields';

export const rdsPasswordField: INodeProperties = {
	displayName: 'Master Password',
	name: 'rdsPassword',
	type: 'options',
	noDataExpression: true,
	default: 'managed',
	description: 'Who makes and keeps the master password. Use the same choice for Create and Delete.',
	displayOptions: { show: { resource: ['database'], operation: ['create', 'delete'], databaseBackend: ['rds'] } },
	options: [
		{ name: 'Managed by RDS', value: 'managed', description: 'RDS generates it and keeps it in Secrets Manager (MasterUserSecret)' },
		{ name: 'Generated Here, Kept in Secrets Manager', value: 'generated', description: 'Stored under q2c/rds/ plus the instance identifier before the instance is created; Delete removes it' },
	],
};

export const rdsOptionsField: INodeProperties = {
	displayName: 'RDS Options',
	name: 'rdsOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['database'], operation: ['create'], databaseBackend: ['rds'] } },
	options: [
		{ displayName: 'Allocated Storage (GiB)', name: 'allocatedStorage', type: 'number', typeOptions: { minValue: 20, maxValue: 65536 }, default: 20 },
		{ displayName: 'Backup Retention (Days)', name: 'backupRetentionPeriod', type: 'number', typeOptions: { minValue: 0, maxValue: 35 }, default: 7 },
		{ displayName: 'DB Subnet Group', name: 'dbSubnetGroupName', type: 'string', default: '', description: 'Subnet group of the VPC the instance goes into' },
		{ displayName: 'Deletion Protection', name: 'deletionProtection', type: 'boolean', default: true, description: 'Whether RDS refuses deletes; Delete turns it off first' },
		{ displayName: 'Engine Version', name: 'engineVersion', type: 'string', default: '', placeholder: '16.4', description: 'PostgreSQL version; empty uses the RDS default' },
		{ displayName: 'Instance Class', name: 'instanceClass', type: 'string', default: 'db.t4g.micro' },
		{ displayName: 'Master Username', name: 'masterUsername', type: 'string', default: 'q2c_admin' },
		{ displayName: 'Max Allocated Storage (GiB)', name: 'maxAllocatedStorage', type: 'number', typeOptions: { minValue: 20, maxValue: 65536 }, default: 100, description: 'Storage autoscaling limit' },
		{ displayName: 'Publicly Accessible', name: 'publiclyAccessible', type: 'boolean', default: false, description: 'Whether the instance gets a public IP address' },
		{ displayName: 'Security Group IDs', name: 'vpcSecurityGroupIds', type: 'string', default: '', placeholder: 'sg-0123456789abcdef0, sg-…', description: 'Comma-separated VPC security group IDs' },
	],
};

interface RdsOptionValues {
	allocatedStorage?: number;
	backupRetentionPeriod?: number;
	dbSubnetGroupName?: string;
	deletionProtection?: boolean;
	engineVersion?: string;
	instanceClass?: string;
	masterUsername?: string;
	maxAllocatedStorage?: number;
	publiclyAccessible?: boolean;
	vpcSecurityGroupIds?: string;
}

export function manageMasterUserPasswordOf(context: IExecuteFunctions, itemIndex: number): boolean {
	const mode = context.getNodeParameter('rdsPassword', itemIndex, 'managed') as string;
	if (mode !== 'managed' && mode !== 'generated') throw validationError('rdsPassword', '"managed" or "generated"', mode);
	return mode === 'managed';
}

/** The chosen options as connector settings (the connector validates each one before calling AWS). */
export function rdsCreateSettingsOf(context: IExecuteFunctions, itemIndex: number): RdsSettings {
	const values = (context.getNodeParameter('rdsOptions', itemIndex, {}) ?? {}) as RdsOptionValues;
	const groups = blankToUndefined(values.vpcSecurityGroupIds);
	const settings: RdsSettings = {
		manageMasterUserPassword: manageMasterUserPasswordOf(context, itemIndex),
		allocatedStorage: values.allocatedStorage,
		maxAllocatedStorage: values.maxAllocatedStorage,
		backupRetentionPeriod: values.backupRetentionPeriod,
		dbSubnetGroupName: blankToUndefined(values.dbSubnetGroupName),
		deletionProtection: values.deletionProtection,
		engineVersion: blankToUndefined(values.engineVersion),
		instanceClass: blankToUndefined(values.instanceClass),
		masterUsername: blankToUndefined(values.masterUsername),
		publiclyAccessible: values.publiclyAccessible,
		vpcSecurityGroupIds: groups?.split(',').map((id) => id.trim()).filter((id) => id !== ''),
	};
	return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as RdsSettings;
}
