/**
 * The node's description as n8n evaluates it: which credential each configuration asks for (n8n reads one entry per
 * credential type, so the AWS one is written as "hide unless needed"), and the compensation step names of rollbacks.
 */
import { NodeHelpers, type IExecuteFunctions, type INode, type INodeParameters } from 'n8n-workflow';
import { compensationStep, withCompensationSteps } from './actions';
import { CloudProvisioning } from './CloudProvisioning.node';

const { description } = new CloudProvisioning();
const node: INode = { id: '1', name: 'Cloud Provisioning', type: 'n8n-nodes-quote-to-cash.cloudProvisioning', typeVersion: 1, position: [0, 0], parameters: {} };

/** The credential types n8n shows (and lets the node read) for these parameter values, defaults filled in like n8n does. */
function credentialsFor(parameters: INodeParameters): string[] {
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	return (description.credentials ?? []).filter((credential) => NodeHelpers.displayParameter(values, credential, node, description)).map((credential) => credential.name);
}

describe('Cloud Provisioning description', () => {
	it.each([
		[{ resource: 'database', databaseBackend: 'postgresServer' }, ['provisioningPostgresApi']],
		[{ resource: 'database', databaseBackend: 'postgresServer', secretStore: 'secretsManager' }, ['provisioningPostgresApi', 'provisioningAwsApi']],
		[{ resource: 'migration', databaseBackend: 'postgresServer' }, ['provisioningPostgresApi']],
		[{ resource: 'database', databaseBackend: 'rds' }, ['provisioningAwsApi']],
		[{ resource: 'migration', databaseBackend: 'rds' }, ['provisioningAwsApi']],
	])('asks for exactly the credentials %j needs', (parameters, expected) => {
		expect(credentialsFor(parameters as INodeParameters)).toEqual(expected);
	});

	it.each([
		[{ resource: 'dnsRecord', dnsProvider: 'route53' }, ['provisioningAwsApi']],
		[{ resource: 'dnsRecord', dnsProvider: 'cloudflare' }, ['provisioningCloudflareApi']],
		[{ resource: 'pipeline', pipelineProvider: 'gitlab' }, ['provisioningGitlabApi']],
		[{ resource: 'pipeline', pipelineProvider: 'terraform' }, ['provisioningTerraformApi']],
	])('asks the pipeline and DNS resources for their provider credential only: %j', (parameters, expected) => {
		expect(credentialsFor(parameters as INodeParameters)).toEqual(expected);
	});

	it('asks for no database or AWS credential on the pipeline resource', () => {
		const shown = credentialsFor({ resource: 'pipeline' });
		expect(shown).not.toContain('provisioningAwsApi');
		expect(shown).not.toContain('provisioningPostgresApi');
	});

	it('names rollbacks compensation.provisioning.<resource>.<operation> unless a step is set', () => {
		expect(compensationStep('database', 'delete')).toBe('compensation.provisioning.database.delete');
		expect(compensationStep('database', 'create')).toBeUndefined();
		const parameters: Record<string, unknown> = { resource: 'database', operation: 'delete', receiptOptions: { storePath: '/tmp/x' } };
		const context = { getNodeParameter: (name: string) => parameters[name], getNode: () => node } as unknown as IExecuteFunctions;
		const wrapped = withCompensationSteps(context);
		expect(wrapped.getNodeParameter('receiptOptions', 0)).toEqual({ storePath: '/tmp/x', step: 'compensation.provisioning.database.delete' });
		parameters.receiptOptions = { step: 'my.own.step' };
		expect(wrapped.getNodeParameter('receiptOptions', 0)).toEqual({ step: 'my.own.step' });
		parameters.operation = 'create';
		parameters.receiptOptions = {};
		expect(wrapped.getNodeParameter('receiptOptions', 0)).toEqual({});
		expect(wrapped.getNode()).toBe(node);
	});

	it('offers the AWS and PostgreSQL credential tests it declares', () => {
		const tested = (description.credentials ?? []).filter((credential) => credential.testedBy).map((credential) => [credential.name, credential.testedBy]);
		const methods = new CloudProvisioning().methods.credentialTest as Record<string, unknown>;
		expect(tested).toEqual([
			['provisioningPostgresApi', 'provisioningPostgresApiTest'],
			['provisioningAwsApi', 'provisioningAwsApiTest'],
		]);
		for (const [, name] of tested) expect(typeof methods[name as string]).toBe('function');
	});
});
