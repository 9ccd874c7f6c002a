import type { INodeProperties } from 'n8n-workflow';
import { outputKeyOption } from '../../fields';
import type { RevOpsHandler } from '../../router';
import { operationProperty } from '../../../shared/fields';
import * as checkContractActivation from './checkContractActivation';
import * as evaluateQuote from './evaluateQuote';
import * as routeLead from './routeLead';

export const operations: Record<string, RevOpsHandler> = {
	checkContractActivation: checkContractActivation.execute,
	evaluateQuote: evaluateQuote.execute,
	routeLead: routeLead.execute,
};

export const description: INodeProperties[] = [
	operationProperty('policy', 'routeLead', [
		{
			name: 'Check Contract Activation',
			value: 'checkContractActivation',
			description: 'Whether a signed contract may be provisioned and billed: signature, approvals, receipts, jurisdiction, terms',
			action: 'Check contract activation',
		},
		{
			name: 'Evaluate Quote',
			value: 'evaluateQuote',
			description: "Which approvals a quote's discount, ARR and terms need, and whether it is allowed at all",
			action: 'Evaluate a quote',
		},
		{
			name: 'Route Lead',
			value: 'routeLead',
			description: 'Preflight (spam, blocked domains and countries) and the owner, SLA and conflicts of a lead',
			action: 'Route a lead',
		},
	]),
	...routeLead.leadFields,
	...evaluateQuote.description,
	...checkContractActivation.description,
	{
		displayName: 'Route Denied to Second Output',
		name: 'routeDenied',
		type: 'boolean',
		default: false,
		noDataExpression: true,
		description: 'Whether denied decisions (and items the policy could not judge) leave on a second "Denied" output instead of with the allowed ones',
		displayOptions: { show: { resource: ['policy'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['policy'] } },
		options: [
			outputKeyOption,
			{
				displayName: 'Routing State (JSON)',
				name: 'routingState',
				type: 'json',
				default: '',
				description:
					'Round-robin counters and open leads per user, as { "round_robin_counters": { "pool": 3 }, "open_leads": { "user:sdr-1": 12 } }. Lead → Assign keeps this state for you.',
				displayOptions: { show: { '/operation': ['routeLead'] } },
			},
		],
	},
];
