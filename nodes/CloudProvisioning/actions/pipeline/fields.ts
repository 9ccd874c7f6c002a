import type { INodeProperties } from 'n8n-workflow';
import { attemptField } from '../../../shared/fields';

/** Parameters of the pipeline resource; each is shown for the operations (and providers) that read it. */

export const ALL_OPERATIONS = ['trigger', 'get', 'cancel', 'destroy', 'getOutputs'];
const RUN_OPERATIONS = ['trigger', 'get', 'cancel', 'destroy'];
const START_OPERATIONS = ['trigger', 'destroy'];

const show = (operation: string[], pipelineProvider?: string[]) => ({
	show: { resource: ['pipeline'], operation, ...(pipelineProvider ? { pipelineProvider } : {}) },
});

export const providerField: INodeProperties = {
	displayName: 'Provider',
	name: 'pipelineProvider',
	type: 'options',
	noDataExpression: true,
	default: 'gitlab',
	options: [
		{ name: 'GitLab CI', value: 'gitlab', description: 'A project pipeline started with a pipeline trigger token' },
		{ name: 'HCP Terraform', value: 'terraform', description: 'A run on an HCP Terraform or Terraform Enterprise workspace' },
		{ name: 'Jenkins', value: 'jenkins', description: 'A parameterized job (buildWithParameters)' },
	],
	description: 'Where the pipeline runs. Get Outputs is for HCP Terraform only.',
	displayOptions: show(ALL_OPERATIONS),
};

export const projectField: INodeProperties = {
	displayName: 'Project',
	name: 'project',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The GitLab project whose pipeline runs',
	modes: [
		{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchGitlabProjects', searchable: true } },
		{
			displayName: 'By ID or Path',
			name: 'id',
			type: 'string',
			placeholder: '42 or group/project',
			validation: [{ type: 'regex', properties: { regex: '^[^\\s?#]+$', errorMessage: 'A project ID or path has no spaces, "?" or "#"' } }],
		},
	],
	displayOptions: show(RUN_OPERATIONS, ['gitlab']),
};

export const jobField: INodeProperties = {
	displayName: 'Job Name',
	name: 'jobName',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'provisioning/deploy-stack',
	description: 'The Jenkins job; folders separated by "/". It must declare Q2C_IDEMPOTENCY_KEY and Q2C_BUSINESS_KEY string parameters (and Q2C_ACTION for Destroy).',
	displayOptions: show(RUN_OPERATIONS, ['jenkins']),
};

export const workspaceField: INodeProperties = {
	displayName: 'Workspace',
	name: 'workspace',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: "The HCP Terraform workspace (of the credential's organization)",
	modes: [
		{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchTerraformWorkspaces', searchable: true } },
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'ws-AbC123',
			validation: [{ type: 'regex', properties: { regex: '^ws-[A-Za-z0-9]+$', errorMessage: 'A workspace ID looks like ws-AbC123' } }],
		},
	],
	displayOptions: show([...RUN_OPERATIONS, 'getOutputs'], ['terraform']),
};

export const runIdField: INodeProperties = {
	displayName: 'Run ID',
	name: 'runId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.runId }}',
	description: 'The runId a Trigger, Destroy or earlier Get returned (GitLab pipeline ID, Jenkins "job#queue:N" or "job#build:N", Terraform run-…)',
	displayOptions: show(['get', 'cancel']),
};

export const businessKeyField: INodeProperties = {
	displayName: 'Business Key',
	name: 'businessKey',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.businessKey }}',
	description:
		'The contract or order ID. It travels as Q2C_BUSINESS_KEY, and the idempotency key (Q2C_IDEMPOTENCY_KEY) is derived from it: a repeat finds the run it started instead of starting another.',
	displayOptions: show(START_OPERATIONS),
};

export const refField: INodeProperties = {
	displayName: 'Ref',
	name: 'ref',
	type: 'string',
	default: 'main',
	required: true,
	description: 'The branch or tag whose pipeline runs',
	displayOptions: show(START_OPERATIONS, ['gitlab']),
};

export const variablesField: INodeProperties = {
	displayName: 'Variables',
	name: 'variables',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Variable',
	default: {},
	description:
		'Pipeline variables (GitLab CI variables, Jenkins parameters, Terraform run variables sent as HCL strings). Names: letters, digits and "_". Never put secrets here: they are visible in the vendor UI.',
	options: [
		{
			displayName: 'Variable',
			name: 'variable',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'TENANT_SLUG' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
	displayOptions: show(START_OPERATIONS),
};

export const pipelineAttemptField: INodeProperties = { ...attemptField, displayOptions: show(START_OPERATIONS) };

export const runOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: show(START_OPERATIONS, ['terraform']),
	options: [
		{
			displayName: 'Auto Apply',
			name: 'autoApply',
			type: 'boolean',
			default: true,
			description: "Whether the run applies without a person confirming the plan. Unset: the workspace's own setting.",
		},
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			default: '',
			placeholder: 'Provision tenant myclub',
			description: 'Shown on the run in HCP Terraform (the keys are appended to it)',
		},
	],
};

export const properties: INodeProperties[] = [
	providerField,
	projectField,
	jobField,
	workspaceField,
	runIdField,
	businessKeyField,
	refField,
	variablesField,
	pipelineAttemptField,
	runOptionsField,
];
