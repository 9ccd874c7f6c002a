import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IPinData,
	IWorkflowSettings,
} from 'n8n-workflow';

/** A workflow as exported from n8n / stored in `workflows/*.json`. */
export interface WorkflowJson {
	id?: string;
	name?: string;
	active?: boolean;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject | null;
	pinData?: IPinData;
	[extra: string]: unknown;
}

/** Plaintext credential data keyed by credential type (e.g. `smtp`) or by credential id. */
export type CredentialsMap = Record<string, ICredentialDataDecryptedObject>;

/** Credential type classes keyed by their `name`. */
export type CredentialTypeMap = Record<string, ICredentialType>;

/**
 * What the start node emits: plain json objects, full items, or one item list per output
 * (`[[...output0], [...output1]]`) for triggers with several outputs.
 */
export type StartData = IDataObject[] | INodeExecutionData[] | INodeExecutionData[][];

export const HARNESS_BASE_URL = 'http://127.0.0.1:5678';
