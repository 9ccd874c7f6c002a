/** Small node and credential classes of the harness's own, so its self-tests don't depend on our nodes. */
import { createHmac } from 'node:crypto';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IAuthenticateGeneric,
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

const main = NodeConnectionTypes.Main;

export class HarnessTestApi implements ICredentialType {
	name = 'harnessTestApi';
	displayName = 'Harness Test API';
	properties = [
		{ displayName: 'API Key', name: 'apiKey', type: 'string' as const, typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string' as const, default: 'http://127.0.0.1' },
	];
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	};
}

function describe(name: string, extra: Partial<INodeTypeDescription> = {}): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: `Harness self-test node ${name}`,
		defaults: { name },
		inputs: [main],
		outputs: [main],
		properties: [],
		...extra,
	};
}

/** Adds `message` built from an expression parameter. */
export class Greeter implements INodeType {
	description = describe('greeter', {
		properties: [{ displayName: 'Greeting', name: 'greeting', type: 'string', default: '' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => ({
				json: { ...item.json, message: this.getNodeParameter('greeting', index) as string },
				pairedItem: { item: index },
			})),
		];
	}
}

/** Always fails with a NodeOperationError. */
export class Boom implements INodeType {
	description = describe('boom');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Boom went the node', { description: 'Raised on purpose' });
	}
}

/** Reads its credential and calls `${baseUrl}/whoami` with httpRequestWithAuthentication. */
export class WhoAmI implements INodeType {
	description = describe('whoAmI', { credentials: [{ name: 'harnessTestApi', required: true }] });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<{ apiKey: string; baseUrl: string }>('harnessTestApi');
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'harnessTestApi', {
			method: 'GET',
			url: `${credentials.baseUrl}/whoami`,
			json: true,
		})) as { caller: string };
		return [[{ json: { caller: response.caller, keyLength: credentials.apiKey.length }, pairedItem: { item: 0 } }]];
	}
}

export function signBody(secret: string, rawBody: string): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Webhook trigger: checks an HMAC of the raw body with its credential's apiKey, answers 401 itself
 * on a bad signature, counts deliveries in static data and hands the body to the workflow.
 */
export class SignedHookTrigger implements INodeType {
	description = describe('signedHookTrigger', {
		group: ['trigger'],
		inputs: [],
		credentials: [{ name: 'harnessTestApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'signed' }],
		properties: [{ displayName: 'Event Prefix', name: 'eventPrefix', type: 'string', default: 'evt' }],
	});

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const { apiKey } = await this.getCredentials<{ apiKey: string }>('harnessTestApi');
		const request = this.getRequestObject() as unknown as { rawBody: Buffer };
		const signature = this.getHeaderData()['x-signature'];
		if (signature !== signBody(apiKey, request.rawBody.toString('utf8'))) {
			this.getResponseObject().status(401).json({ error: 'bad signature' });
			return { noWebhookResponse: true };
		}
		const staticData = this.getWorkflowStaticData('node');
		staticData.deliveries = ((staticData.deliveries as number | undefined) ?? 0) + 1;
		const body = this.getBodyData();
		const prefix = this.getNodeParameter('eventPrefix') as string;
		return {
			workflowData: [
				this.helpers.returnJsonArray({
					event: `${prefix}:${String(body.type)}`,
					body,
					query: this.getQueryData() as Record<string, string>,
					webhook: this.getWebhookName(),
					delivery: staticData.deliveries as number,
				}),
			],
		};
	}
}
