import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

/**
 * What an AI agent may do with an action node used as a tool. Operations that hand back a secret (it would land
 * in the model's context and its logs) or undo a customer's effects (cancel, refund, void, disable, revoke) are
 * refused in tool mode unless the user turned on the opt-in below for that tool.
 */
export type ToolRisk = 'returns a secret' | 'undoes a customer effect';

/** `resource` → `operation` → why it is risky. */
export type ToolRisks = Record<string, Record<string, ToolRisk>>;

export const ALLOW_RISKY_TOOL_PARAMETER = 'allowRiskyToolOperations';

/** Shown only on the tool variant of a node (n8n's `@tool` display condition). */
export const allowRiskyToolField: INodeProperties = {
	displayName: 'Allow Risky Operations for the AI Agent',
	name: ALLOW_RISKY_TOOL_PARAMETER,
	type: 'boolean',
	default: false,
	displayOptions: { show: { '@tool': [true] } },
	description:
		'Whether the agent may run operations that return a secret (API key generation) or undo a customer effect (cancel, refund, void, disable, revoke). Off: they are refused.',
};

/** n8n names the tool variant of a node `<name>Tool`. */
export const isToolMode = (context: IExecuteFunctions): boolean => context.getNode().type.endsWith('Tool');

/** Throws before any call when an agent asks for a risky operation it was not allowed. */
export function guardToolOperation(context: IExecuteFunctions, risks: ToolRisks | undefined, resource: string, operation: string, itemIndex: number): void {
	const risk = risks?.[resource]?.[operation];
	if (!risk || !isToolMode(context)) return;
	if (context.getNodeParameter(ALLOW_RISKY_TOOL_PARAMETER, itemIndex, false) === true) return;
	throw new NodeOperationError(context.getNode(), `${resource} → ${operation} ${risk}, so it is not available to an AI agent`, {
		itemIndex,
		description: `Turn on "${allowRiskyToolField.displayName}" on this tool to allow it.`,
	});
}
