/** Turns workflow JSON into an n8n `Workflow`, and the shared option plumbing of the harness. */
import './bootstrap';
import { ExecutionLifecycleHooks } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteResponsePromiseData,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createAdditionalData } from './additional-data';
import { HarnessCredentialsHelper } from './credentials-helper';
import { harnessCredentialTypes, harnessNodeTypes } from './node-types';
import type { CredentialsMap, CredentialTypeMap, StartData, WorkflowJson } from './types';

/** Options shared by runWorkflow, deliverWebhook, runWebhook and runErrorWorkflow. */
export interface HarnessOptions {
	/** Plaintext credential data by credential type (or by the credential id a node references). */
	credentials?: CredentialsMap;
	/** Credential type classes (for defaults and `authenticate`); default: ours + smtp/httpHeaderAuth/httpBasicAuth. */
	credentialTypes?: CredentialTypeMap;
	/** Share one helper across calls (and inspect `requested`); overrides `credentials`. */
	credentialsHelper?: HarnessCredentialsHelper;
	/** Node registry; default: harnessNodeTypes() (ours + the default base nodes). */
	nodeTypes?: INodeTypes;
	/** Workflow static data; this very object is read and mutated (pass the same one to later calls). */
	staticData?: IDataObject;
	/** Becomes `$execution.id`; default: a unique `harness-exec-<n>`. */
	executionId?: string;
	/** `$vars` */
	variables?: Record<string, string>;
	/**
	 * Runs the sub-workflow of an Execute Workflow node, as n8n's `additionalData.executeWorkflow` does: gets the
	 * workflow reference, and `options.inputData` (the items passed), and returns `{ executionId, data }` (the output of
	 * the sub-workflow's last node, one list per output). Typically runWorkflow of the sub-workflow from its Execute
	 * Workflow Trigger. Default: an Execute Workflow node fails ("not supported by the in-process harness").
	 */
	executeWorkflow?: IWorkflowExecuteAdditionalData['executeWorkflow'];
}

let defaultNodeTypes: INodeTypes | undefined;
let defaultCredentialTypes: CredentialTypeMap | undefined;
let executionCounter = 0;

export function resolveNodeTypes(options: HarnessOptions): INodeTypes {
	if (options.nodeTypes) return options.nodeTypes;
	defaultNodeTypes ??= harnessNodeTypes();
	return defaultNodeTypes;
}

export function resolveCredentialsHelper(options: HarnessOptions): HarnessCredentialsHelper {
	if (options.credentialsHelper) return options.credentialsHelper;
	const credentialTypes = options.credentialTypes ?? (defaultCredentialTypes ??= harnessCredentialTypes());
	return new HarnessCredentialsHelper(options.credentials ?? {}, credentialTypes);
}

export function nextExecutionId(options: HarnessOptions): string {
	return options.executionId ?? `harness-exec-${++executionCounter}`;
}

export function workflowIdentity(json: WorkflowJson): { id: string; name: string } {
	return { id: json.id ?? 'harness-workflow', name: json.name ?? 'Harness workflow' };
}

/** Fails early, naming every node whose type is not registered. */
export function assertKnownTypes(json: WorkflowJson, nodeTypes: INodeTypes): void {
	const missing = json.nodes
		.filter((node) => !node.disabled)
		.filter((node) => {
			try {
				return !nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			} catch {
				return true;
			}
		})
		.map((node) => `${node.name} (${node.type} v${node.typeVersion})`);
	if (missing.length > 0) throw new Error(`[harness] unregistered node types: ${missing.join(', ')}`);
}

export function buildWorkflow(json: WorkflowJson, nodeTypes: INodeTypes, staticData: IDataObject): Workflow {
	const identity = workflowIdentity(json);
	return new Workflow({
		id: identity.id,
		name: identity.name,
		nodes: structuredClone(json.nodes),
		connections: structuredClone(json.connections),
		active: json.active ?? false,
		nodeTypes,
		staticData,
		settings: json.settings ?? {},
		pinData: json.pinData,
	});
}

export function findNode(json: WorkflowJson, name: string): INode {
	const node = json.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`[harness] no node named "${name}" (nodes: ${json.nodes.map((n) => n.name).join(', ')})`);
	return node;
}

/** The single enabled trigger node (no main inputs, or in the trigger group). */
export function findTriggerNode(json: WorkflowJson, nodeTypes: INodeTypes): INode {
	const triggers = json.nodes.filter((node) => {
		if (node.disabled) return false;
		const description = (nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType).description;
		const inputs = Array.isArray(description.inputs) ? description.inputs : [];
		return description.group.includes('trigger') || inputs.length === 0;
	});
	if (triggers.length !== 1) {
		throw new Error(`[harness] pass startNode: found ${triggers.length} trigger nodes (${triggers.map((n) => n.name).join(', ')})`);
	}
	return triggers[0];
}

export function normalizeStartData(data: StartData | undefined): INodeExecutionData[][] {
	if (data === undefined) return [[{ json: {} }]];
	if (data.length > 0 && Array.isArray(data[0])) return data as INodeExecutionData[][];
	const items = (data as Array<IDataObject | INodeExecutionData>).map((entry) =>
		typeof entry.json === 'object' && entry.json !== null ? (entry as INodeExecutionData) : { json: entry as IDataObject },
	);
	return [items];
}

export interface HookRecorder {
	hooks: ExecutionLifecycleHooks;
	executedNodes: string[];
	responses: IExecuteResponsePromiseData[];
}

export function createHooks(json: WorkflowJson, mode: WorkflowExecuteMode, executionId: string): HookRecorder {
	const identity = workflowIdentity(json);
	const workflowData = { ...identity, nodes: json.nodes, connections: json.connections, active: false, settings: json.settings ?? {} };
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData as unknown as IWorkflowBase);
	const recorder: HookRecorder = { hooks, executedNodes: [], responses: [] };
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		if (!recorder.executedNodes.includes(nodeName)) recorder.executedNodes.push(nodeName);
	});
	hooks.addHandler('sendResponse', (response) => {
		recorder.responses.push(response);
	});
	return recorder;
}

export function harnessAdditionalData(
	json: WorkflowJson,
	options: HarnessOptions,
	executionId: string,
	recorder?: HookRecorder,
): { additionalData: IWorkflowExecuteAdditionalData; credentialsHelper: HarnessCredentialsHelper } {
	const credentialsHelper = resolveCredentialsHelper(options);
	const additionalData = createAdditionalData({
		credentialsHelper,
		executionId,
		workflowId: workflowIdentity(json).id,
		hooks: recorder?.hooks,
		variables: options.variables,
		executeWorkflow: options.executeWorkflow,
	});
	return { additionalData, credentialsHelper };
}
