/** The IWorkflowExecuteAdditionalData n8n-core needs to run nodes in-process. */
import './bootstrap';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { ICredentialsHelper, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { HARNESS_BASE_URL } from './types';

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	executionId: string;
	workflowId?: string;
	hooks?: ExecutionLifecycleHooks;
	variables?: Record<string, string>;
	/** What an Execute Workflow node's call runs (see HarnessOptions.executeWorkflow); default: not supported. */
	executeWorkflow?: IWorkflowExecuteAdditionalData['executeWorkflow'];
}

const notInHarness = (what: string) => () => {
	throw new Error(`[harness] ${what} is not supported by the in-process harness`);
};

export function createAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	// n8n builds resume/webhook URLs with `new URL(...)`: every base must be absolute.
	const additionalData = {
		credentialsHelper: options.credentialsHelper,
		executionId: options.executionId,
		workflowId: options.workflowId,
		hooks: options.hooks,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${HARNESS_BASE_URL}/rest`,
		instanceBaseUrl: `${HARNESS_BASE_URL}/`,
		formBaseUrl: `${HARNESS_BASE_URL}/form`,
		formTestBaseUrl: `${HARNESS_BASE_URL}/form-test`,
		formWaitingBaseUrl: `${HARNESS_BASE_URL}/form-waiting`,
		webhookBaseUrl: `${HARNESS_BASE_URL}/webhook`,
		webhookTestBaseUrl: `${HARNESS_BASE_URL}/webhook-test`,
		webhookWaitingBaseUrl: `${HARNESS_BASE_URL}/webhook-waiting`,
		mcpBaseUrl: `${HARNESS_BASE_URL}/mcp`,
		mcpTestBaseUrl: `${HARNESS_BASE_URL}/mcp-test`,
		variables: options.variables ?? {},
		executeWorkflow: options.executeWorkflow ?? notInHarness('Execute Workflow (sub-workflows)'),
		startRunnerTask: notInHarness('Code node task runner'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}
