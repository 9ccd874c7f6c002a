import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { routeOperations } from '../shared/router';
import { listSearch, operations, properties, sideEffects, toolRisks, withCompensationSteps } from './actions';
import { cloudClientsFor, type CloudClients } from './clients';
import { provisioningAwsApiTest, provisioningPostgresApiTest } from './credentialTest';

export class CloudProvisioning implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cloud Provisioning',
		name: 'cloudProvisioning',
		icon: { light: 'file:cloudProvisioning.svg', dark: 'file:cloudProvisioning.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Provision a tenant's infrastructure: its database (PostgreSQL server or AWS RDS), schema migrations, deployment pipelines and DNS records, each step idempotent and undoable",
		defaults: { name: 'Cloud Provisioning' },
		usableAsTool: true,
		// The older base rules predate NodeConnectionTypes and contradict the community plugin's rule.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'provisioningPostgresApi',
				required: true,
				testedBy: 'provisioningPostgresApiTest',
				displayOptions: { show: { resource: ['database', 'migration', 'tenantData'], databaseBackend: ['postgresServer'] } },
			},
			{
				// Needed by RDS, by Secrets Manager as a postgresServer secret store, and by Route 53. n8n reads one
				// entry per credential type, so these alternatives are written as the cases that do not need it.
				name: 'provisioningAwsApi',
				required: true,
				testedBy: 'provisioningAwsApiTest',
				displayOptions: { hide: { resource: ['pipeline'], secretStore: ['postgresTable'], dnsProvider: ['cloudflare'] } },
			},
			{ name: 'provisioningGitlabApi', required: true, displayOptions: { show: { resource: ['pipeline'], pipelineProvider: ['gitlab'] } } },
			{ name: 'provisioningJenkinsApi', required: true, displayOptions: { show: { resource: ['pipeline'], pipelineProvider: ['jenkins'] } } },
			{ name: 'provisioningTerraformApi', required: true, displayOptions: { show: { resource: ['pipeline'], pipelineProvider: ['terraform'] } } },
			{ name: 'provisioningCloudflareApi', required: true, displayOptions: { show: { resource: ['dnsRecord'], dnsProvider: ['cloudflare'] } } },
		],
		properties,
	};

	methods = {
		listSearch,
		credentialTest: { provisioningAwsApiTest, provisioningPostgresApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Clients per item: credential expressions may differ between items; each is built only when used.
		return routeOperations<CloudClients>(withCompensationSteps(this), operations, async (itemIndex) => cloudClientsFor(this, itemIndex), { toolRisks, sideEffects });
	}
}
