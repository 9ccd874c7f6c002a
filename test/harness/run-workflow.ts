/**
 * Runs workflow JSON with n8n-core's real engine (WorkflowExecute.processRunExecutionData), starting
 * at a trigger node whose output is given by the test (its own code is not run), like n8n does
 * when a webhook or trigger has already produced the data.
 */
import './bootstrap';
import { WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, isNodeClassInstance } from 'n8n-workflow';
import type {
	ExecutionError,
	ExecutionStatus,
	IDataObject,
	IExecuteFunctions,
	IExecuteResponsePromiseData,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunData,
	NodeOutput,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import type { HarnessCredentialsHelper } from './credentials-helper';
import type { StartData, WorkflowJson } from './types';
import {
	assertKnownTypes,
	buildWorkflow,
	createHooks,
	findNode,
	findTriggerNode,
	harnessAdditionalData,
	type HarnessOptions,
	nextExecutionId,
	normalizeStartData,
	resolveNodeTypes,
	workflowIdentity,
} from './workflow';

export interface RunWorkflowOptions extends HarnessOptions {
	/** Node the run starts at; default: the workflow's only trigger node. */
	startNode?: string;
	/** What the start node emits (json objects, items, or one list per output); default `[{}]`. */
	startData?: StartData;
	/** Execution mode (`$execution.mode` is 'test' only for 'manual'); default 'trigger'. */
	mode?: WorkflowExecuteMode;
}

export interface WorkflowRunResult {
	status: ExecutionStatus;
	/** The execution's error (a NodeApiError/NodeOperationError for node failures). */
	error?: ExecutionError;
	/** Name of the node that failed, if any. */
	errorNode?: string;
	runData: IRunData;
	executionId: string;
	lastNodeExecuted?: string;
	/** Nodes that ran, in first-run order (start node included). */
	executedNodes: string[];
	mode: WorkflowExecuteMode;
	/** The run workflow's id and name, and its `settings.errorWorkflow` (what n8n would trigger on failure). */
	workflow: { id: string; name: string; errorWorkflow?: string };
	staticData: IDataObject;
	/** What Respond to Webhook (or any node's sendResponse) sent. */
	responses: IExecuteResponsePromiseData[];
	credentialsHelper: HarnessCredentialsHelper;
	run: IRun;
	/** json of the items a node emitted on an output; throws if the node did not run. */
	nodeOutput(name: string, outputIndex?: number, runIndex?: number): IDataObject[];
	/** Full items (json, binary, pairedItem) a node emitted on an output; throws if the node did not run. */
	nodeItems(name: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** JSON text of all run data: grep it to prove a secret never reached any node output. */
	serialized(): string;
}

type StartExecute = (this: IExecuteFunctions, ...args: unknown[]) => Promise<NodeOutput>;

/**
 * The registry for one run: the start node's type is wrapped so that, for the start node only,
 * `execute` returns the given start data instead of running the node's own code (n8n likewise
 * passes a trigger's already-produced data through). Other nodes of that type run normally.
 * The type keeps its name, so nodes that look for e.g. a Webhook parent still find it.
 */
function withStartNode(nodeTypes: INodeTypes, startNode: INode, startOutputs: INodeExecutionData[][]): INodeTypes {
	const wrap = (original: INodeType): INodeType => {
		const classStyle = isNodeClassInstance(original);
		const originalExecute = original.execute as StartExecute | undefined;
		const wrapper = Object.create(original) as INodeType;
		// n8n calls class-style nodes (extending Node) as execute(context, response), others with `this`.
		const execute: StartExecute = async function (this: IExecuteFunctions, ...args: unknown[]) {
			const context = classStyle ? (args[0] as IExecuteFunctions) : this;
			if (context.getNode().name === startNode.name) return startOutputs;
			if (!originalExecute) throw new Error(`[harness] "${context.getNode().name}" shares the start node's type but has no execute()`);
			return await originalExecute.apply((classStyle ? original : context) as IExecuteFunctions, args);
		};
		(wrapper as { execute: StartExecute }).execute = execute;
		return wrapper;
	};
	const cache = new Map<number | undefined, INodeType>();
	const wrapped = (version: number | undefined) => {
		if (!cache.has(version)) cache.set(version, wrap(nodeTypes.getByNameAndVersion(startNode.type, version)));
		return cache.get(version)!;
	};
	return {
		getByName: (type) => nodeTypes.getByName(type),
		getByNameAndVersion: (type, version) => (type === startNode.type ? wrapped(version) : nodeTypes.getByNameAndVersion(type, version)),
		getKnownTypes: () => nodeTypes.getKnownTypes(),
	};
}

export async function runWorkflow(workflowJson: WorkflowJson, options: RunWorkflowOptions = {}): Promise<WorkflowRunResult> {
	const nodeTypes = resolveNodeTypes(options);
	assertKnownTypes(workflowJson, nodeTypes);
	const startNode = options.startNode ? findNode(workflowJson, options.startNode) : findTriggerNode(workflowJson, nodeTypes);
	const mode = options.mode ?? 'trigger';
	const executionId = nextExecutionId(options);
	const staticData = options.staticData ?? (workflowJson.staticData ? structuredClone(workflowJson.staticData) : {});

	const startOutputs = normalizeStartData(options.startData);
	const workflow = buildWorkflow(workflowJson, withStartNode(nodeTypes, startNode, startOutputs), staticData);
	const recorder = createHooks(workflowJson, mode, executionId);
	const { additionalData, credentialsHelper } = harnessAdditionalData(workflowJson, options, executionId, recorder);

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode(startNode.name)!, data: { main: startOutputs }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	return toResult(run, { workflowJson, executionId, mode, staticData, recorder, credentialsHelper });
}

interface ResultContext {
	workflowJson: WorkflowJson;
	executionId: string;
	mode: WorkflowExecuteMode;
	staticData: IDataObject;
	recorder: ReturnType<typeof createHooks>;
	credentialsHelper: HarnessCredentialsHelper;
}

function toResult(run: IRun, context: ResultContext): WorkflowRunResult {
	const { resultData } = run.data;
	const runData = resultData.runData;
	const error = resultData.error;
	const items = (name: string, outputIndex = 0, runIndex = 0): INodeExecutionData[] => {
		const task = runData[name]?.[runIndex];
		if (!task) {
			throw new Error(`[harness] node "${name}" did not run (run ${runIndex}); ran: ${Object.keys(runData).join(', ')}`);
		}
		return task.data?.main?.[outputIndex] ?? [];
	};
	const errorNode = error ? ((error as { node?: { name?: string } }).node?.name ?? resultData.lastNodeExecuted) : undefined;
	return {
		status: run.status,
		error,
		errorNode,
		runData,
		executionId: context.executionId,
		lastNodeExecuted: resultData.lastNodeExecuted,
		executedNodes: context.recorder.executedNodes,
		mode: context.mode,
		workflow: { ...workflowIdentity(context.workflowJson), errorWorkflow: context.workflowJson.settings?.errorWorkflow as string | undefined },
		staticData: context.staticData,
		responses: context.recorder.responses,
		credentialsHelper: context.credentialsHelper,
		run,
		nodeItems: items,
		nodeOutput: (name, outputIndex, runIndex) => items(name, outputIndex, runIndex).map((item) => item.json),
		serialized: () => JSON.stringify({ runData, error }),
	};
}
