import { NodeConnectionTypes, type ICredentialDataDecryptedObject, type ICredentialsDecrypted, type ICredentialTestFunctions, type IDataObject, type IExecuteFunctions, type INodeCredentialTestResult, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { redisClient } from '../../connectors/core';

/** The connectors' Redis client (the node never imports the vendor SDK itself). */
type Redis = ReturnType<typeof redisClient>;
import { publishRisk, type RiskEvent } from '../../connectors/reporting';
import { operationProperty } from '../shared/fields';
import { effectIds, pick, receiptFields, type SideEffects } from '../shared/receipt';
import { routeOperations, type OperationMap } from '../shared/router';

/** redis[s]://user:password@host:port/db; the password is registered as a secret by redisClient. */
export function reportingRedisUrl(credentials: ICredentialDataDecryptedObject): string {
	const auth = credentials.password ? `${encodeURIComponent(String(credentials.username ?? ''))}:${encodeURIComponent(String(credentials.password))}@` : '';
	return `${credentials.tls ? 'rediss' : 'redis'}://${auth}${String(credentials.host || '127.0.0.1')}:${Number(credentials.port || 6379)}/${Number(credentials.database || 0)}`;
}

const sideEffects: SideEffects = {
	system: 'reporting',
	operations: { risk: { publish: (json) => effectIds('redis.stream.entry', json.entryId, pick(json, ['stream', 'step', 'published'])) } },
};

const show = { resource: ['risk'], operation: ['publish'] };

const operations: OperationMap<Redis> = {
	risk: {
		publish: async (context, i, client) => {
			const details = context.getNodeParameter('details', i, {}) as unknown;
			const parsedDetails = typeof details === 'string' ? (details.trim() ? JSON.parse(details) : {}) : details;
			const event: RiskEvent = {
				businessKey: context.getNodeParameter('businessKey', i) as string,
				step: context.getNodeParameter('step', i) as string,
				severity: context.getNodeParameter('severity', i) as RiskEvent['severity'],
				reason: context.getNodeParameter('reason', i) as string,
				customer: (context.getNodeParameter('customer', i, '') as string) || undefined,
				details: parsedDetails as RiskEvent['details'],
			};
			const result = await publishRisk(client, event, { stream: context.getNodeParameter('stream', i) as string, maxLength: context.getNodeParameter('maxLength', i, 100000) as number });
			return { ...result, severity: event.severity } as unknown as IDataObject;
		},
	},
};

export class Reporting implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reporting Queue',
		name: 'reporting',
		icon: { light: 'file:reporting.svg', dark: 'file:reporting.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Publish risks to the real-time reporting queue (a Redis Stream), once per business key and step',
		defaults: { name: 'Reporting Queue' },
		usableAsTool: true,
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'reportingRedisApi', required: true, testedBy: 'reportingRedisApiTest' }],
		properties: [
			{ displayName: 'Resource', name: 'resource', type: 'options', noDataExpression: true, default: 'risk', options: [{ name: 'Risk', value: 'risk' }] },
			operationProperty('risk', 'publish', [{ name: 'Publish', value: 'publish', action: 'Publish a risk', description: 'XADD a risk to the stream; a repeat of the business key and step returns the first entry' }]),
			{ displayName: 'Stream', name: 'stream', type: 'string', required: true, default: 'q2c:reporting:risks', description: 'Redis Stream key the reporting consumers read (XREAD / XREADGROUP)', displayOptions: { show } },
			{ displayName: 'Business Key', name: 'businessKey', type: 'string', required: true, default: '={{ $json.businessKey }}', description: 'The contract or order ID the risk is about', displayOptions: { show } },
			{ displayName: 'Step', name: 'step', type: 'string', required: true, default: '', placeholder: 'support.acceptance.red', description: 'What raised the risk; with the business key it makes the idempotency key', displayOptions: { show } },
			{
				displayName: 'Severity',
				name: 'severity',
				type: 'options',
				default: 'red',
				options: [
					{ name: 'Green', value: 'green' },
					{ name: 'Red', value: 'red' },
					{ name: 'Unknown', value: 'unknown' },
					{ name: 'Yellow', value: 'yellow' },
				],
				displayOptions: { show },
			},
			{ displayName: 'Reason', name: 'reason', type: 'string', required: true, default: '', typeOptions: { rows: 2 }, displayOptions: { show } },
			{ displayName: 'Customer', name: 'customer', type: 'string', default: '', description: 'Customer name or ID shown on the report', displayOptions: { show } },
			{ displayName: 'Details (JSON)', name: 'details', type: 'json', default: '{}', description: 'Flat object of extra facts (strings, numbers, booleans)', displayOptions: { show } },
			{ displayName: 'Max Stream Length', name: 'maxLength', type: 'number', default: 100000, typeOptions: { minValue: 1 }, description: 'Approximate cap (XADD MAXLEN ~) so the stream cannot grow without bound', displayOptions: { show } },
			...receiptFields(sideEffects),
		],
	};

	methods = {
		credentialTest: {
			async reportingRedisApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				try {
					await redisClient(reportingRedisUrl(credential.data ?? {})).ping();
					return { status: 'OK', message: 'Redis answered PING' };
				} catch (error) {
					return { status: 'Error', message: `Redis did not answer: ${(error as Error).message}` };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return routeOperations<Redis>(this, operations, async (itemIndex) => redisClient(reportingRedisUrl(await this.getCredentials('reportingRedisApi', itemIndex))), { sideEffects });
	}
}
