import type { INodeProperties } from 'n8n-workflow';
import { operationProperty } from '../../../shared/fields';
import type { EvidenceLedger } from '../../../../connectors/evidence';
import type { OperationHandler } from '../../../shared/router';
import { businessKeyProperty } from '../common';
import * as append from './append';
import * as exportBundle from './export';
import * as findByExecution from './findByExecution';
import * as findStalled from './findStalled';
import * as list from './list';
import * as storeDocument from './storeDocument';
import * as verify from './verify';

export const operations: Record<string, OperationHandler<EvidenceLedger>> = {
	append: append.execute,
	export: exportBundle.execute,
	findByExecution: findByExecution.execute,
	findStalled: findStalled.execute,
	list: list.execute,
	storeDocument: storeDocument.execute,
	verify: verify.execute,
};

export const description: INodeProperties[] = [
	operationProperty('receipt', 'append', [
		{ name: 'Append', value: 'append', description: 'Record a workflow step in the contract\'s receipt chain', action: 'Append a receipt' },
		{ name: 'Export', value: 'export', description: 'Export the contract\'s chain as an evidence bundle', action: 'Export an evidence bundle' },
		{ name: 'Find by Execution', value: 'findByExecution', description: 'Find the receipts an n8n execution wrote', action: 'Find receipts by execution' },
		{
			name: 'Find Stalled',
			value: 'findStalled',
			description: 'Find contracts whose run started but neither finished nor failed, and has written nothing for a while (its process died)',
			action: 'Find stalled contracts',
		},
		{ name: 'List', value: 'list', description: 'List the contract\'s receipts in chain order', action: 'List receipts' },
		{
			name: 'Store Document',
			value: 'storeDocument',
			description: 'Keep a file (e.g. a signed contract PDF) with the contract\'s evidence and append a receipt naming its SHA-256',
			action: 'Store a document',
		},
		{ name: 'Verify', value: 'verify', description: 'Check that the chain is complete and unedited', action: 'Verify a receipt chain' },
	]),
	businessKeyProperty(['append', 'export', 'list', 'storeDocument', 'verify']),
	...append.description,
	...exportBundle.description,
	...findByExecution.description,
	...findStalled.description,
	...list.description,
	...storeDocument.description,
	...verify.description,
];
