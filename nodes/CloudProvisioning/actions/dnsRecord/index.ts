import type { INodeProperties } from 'n8n-workflow';
import type { ToolRisks } from '../../../shared/aiTool';
import { operationProperty } from '../../../shared/fields';
import { effectIds, pick, type EffectOf, type SideEffects } from '../../../shared/receipt';
import type { OperationHandler } from '../../../shared/router';
import type { CloudClients } from '../../clients';
import { properties } from './fields';
import * as get from './get';
import { searchDnsZones } from './listSearch';
import * as remove from './remove';
import * as upsert from './upsert';

export const description: INodeProperties[] = [
	operationProperty('dnsRecord', 'upsert', [
		{ name: 'Get', value: 'get', action: 'Get a DNS record', description: 'Get the record of a name and type, if there is one' },
		{ name: 'Remove', value: 'remove', action: 'Remove a DNS record', description: 'Delete the record; a missing record counts as removed (idempotent)' },
		{
			name: 'Create or Update',
			value: 'upsert',
			action: 'Create or update a DNS record',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
		},
	]),
	...properties,
];

export const operations: Record<string, OperationHandler<CloudClients>> = {
	upsert: upsert.execute,
	get: get.execute,
	remove: remove.execute,
};

export const listSearch = { searchDnsZones };

/** A receipt names the record (zone/name/type) and what it held before, so compensation can remove or restore it. */
const dnsRecordEffect: EffectOf = (json) =>
	// The record's own type goes in as recordType: `type` is the effect's kind.
	effectIds('dns.record', json.recordRef, { ...pick(json, ['provider', 'zoneId', 'name', 'content', 'outcome', 'removed', 'previous', 'changeId']), recordType: json.type });

/**
 * "Record Receipt" for the DNS record resource (merged into the node's sideEffects): Upsert records
 * `provisioning.dnsRecord.upsert`; the rollback Remove records `compensation.provisioning.dnsRecord.remove` (the
 * node's actions/index.ts gives rollbacks their compensation step when the Step option is blank).
 */
export const sideEffects: SideEffects = {
	system: 'provisioning',
	operations: { dnsRecord: { upsert: dnsRecordEffect, remove: dnsRecordEffect } },
};

/** Refused to an AI agent unless the tool opts in. */
export const toolRisks: ToolRisks = { dnsRecord: { remove: 'undoes a customer effect' } };
