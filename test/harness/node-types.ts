/**
 * Node and credential type registries: our package's classes (loaded from source so ts-jest compiles
 * them) and real n8n-nodes-base classes, served through n8n's INodeTypes interface.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NodeHelpers } from 'n8n-workflow';
import type { ICredentialType, IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import type { CredentialTypeMap } from './types';

export type NodeTypeEntry = INodeType | IVersionedNodeType;
export type NodeTypeMap = Record<string, NodeTypeEntry>;

export interface HarnessNodeTypes extends INodeTypes {
	/** The registered entries, keyed by full type (`n8n-nodes-base.set`). */
	readonly entries: Readonly<NodeTypeMap>;
	has(type: string): boolean;
}

const repoRoot = join(__dirname, '..', '..');
const basePackageRoot = dirname(require.resolve('n8n-nodes-base/package.json'));

/** Base nodes the workflow templates are expected to use. */
export const DEFAULT_BASE_NODES = [
	'manualTrigger',
	'errorTrigger',
	'set',
	'if',
	'switch',
	'merge',
	'noOp',
	'emailSend',
	'stopAndError',
	'splitInBatches',
	'respondToWebhook',
	'httpRequest',
	'webhook',
	'stickyNote',
	'scheduleTrigger',
	'executeWorkflowTrigger',
	'executeWorkflow',
	'removeDuplicates',
];

export const DEFAULT_BASE_CREDENTIALS = ['smtp', 'httpHeaderAuth', 'httpBasicAuth'];

export function createNodeTypes(entries: NodeTypeMap): HarnessNodeTypes {
	const registered: NodeTypeMap = { ...entries };
	const lookup = (type: string): NodeTypeEntry => {
		const entry = registered[type];
		if (!entry) {
			throw new Error(
				`Unknown node type "${type}". Registered: ${Object.keys(registered).sort().join(', ') || '(none)'}`,
			);
		}
		return entry;
	};
	return {
		entries: registered,
		has: (type) => type in registered,
		getByName: (type) => lookup(type),
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(lookup(type), version),
		getKnownTypes: () => {
			const known: IDataObject = {};
			for (const type of Object.keys(registered)) known[type] = { className: type, sourcePath: '' };
			return known;
		},
	};
}

function packageJson(root: string): { name: string; n8n: { nodes: string[]; credentials: string[] } } {
	return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/** Instantiates the first exported class of a module that has a `description` (node) or `name` (credential). */
function instantiateExport<T>(modulePath: string, isWanted: (candidate: unknown) => boolean): T | undefined {
	// Paths are only known at run time (package.json lists), so this has to be a dynamic require.
	 
	const exported = require(modulePath) as Record<string, unknown>;
	for (const value of Object.values(exported)) {
		// Only classes: calling arbitrary exported functions could have side effects.
		if (typeof value !== 'function' || !Function.prototype.toString.call(value).startsWith('class')) continue;
		try {
			const instance = new (value as new () => unknown)();
			if (isWanted(instance)) return instance as T;
		} catch {
			// not a zero-argument class: keep looking
		}
	}
	return undefined;
}

const isNodeType = (candidate: unknown): boolean =>
	typeof candidate === 'object' && candidate !== null && 'description' in candidate;
const isCredentialType = (candidate: unknown): boolean =>
	typeof candidate === 'object' && candidate !== null && 'properties' in candidate && 'name' in candidate;

function sourcePathFor(distPath: string): string {
	return join(repoRoot, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

/**
 * Our package's nodes from source, keyed `n8n-nodes-quote-to-cash.<description.name>`. Nodes that do
 * not exist yet (or fail to load) are skipped with a warning so the harness works while they are written.
 */
export function ourNodeTypes(): NodeTypeMap {
	const pkg = packageJson(repoRoot);
	const result: NodeTypeMap = {};
	for (const distPath of pkg.n8n.nodes) {
		const source = sourcePathFor(distPath);
		if (!existsSync(source)) {
			console.warn(`[harness] skipping node ${distPath}: ${source} does not exist yet`);
			continue;
		}
		try {
			const nodeType = instantiateExport<NodeTypeEntry>(source, isNodeType);
			if (!nodeType) throw new Error('no exported node class with a description');
			result[`${pkg.name}.${nodeType.description.name}`] = nodeType;
		} catch (error) {
			console.warn(`[harness] skipping node ${distPath}: ${(error as Error).message}`);
		}
	}
	return result;
}

/** Our package's credential types from source, keyed by credential `name`; missing ones are skipped. */
export function ourCredentialTypes(): CredentialTypeMap {
	const pkg = packageJson(repoRoot);
	const result: CredentialTypeMap = {};
	for (const distPath of pkg.n8n.credentials) {
		const source = sourcePathFor(distPath);
		if (!existsSync(source)) {
			console.warn(`[harness] skipping credential ${distPath}: ${source} does not exist yet`);
			continue;
		}
		try {
			const credentialType = instantiateExport<ICredentialType>(source, isCredentialType);
			if (!credentialType) throw new Error('no exported credential class');
			result[credentialType.name] = credentialType;
		} catch (error) {
			console.warn(`[harness] skipping credential ${distPath}: ${(error as Error).message}`);
		}
	}
	return result;
}

/** Finds `dist/<kind>/<X>/<X>.node.js`-style entries of n8n-nodes-base by case-insensitive name. */
function findBaseModule(list: string[], name: string, suffix: string): string {
	const wanted = name.toLowerCase();
	const match = list.find((entry) => {
		const file = entry.split('/').pop() ?? '';
		return file.toLowerCase() === `${wanted}${suffix}`;
	});
	if (!match) throw new Error(`n8n-nodes-base has no "${name}" (looked for *${suffix})`);
	return join(basePackageRoot, match);
}

/** Real n8n-nodes-base node classes keyed `n8n-nodes-base.<name>` (default: DEFAULT_BASE_NODES). */
export function baseNodeTypes(names: string[] = DEFAULT_BASE_NODES): NodeTypeMap {
	const pkg = packageJson(basePackageRoot);
	const result: NodeTypeMap = {};
	for (const name of names) {
		const modulePath = findBaseModule(pkg.n8n.nodes, name, '.node.js');
		const nodeType = instantiateExport<NodeTypeEntry>(modulePath, isNodeType);
		if (!nodeType || nodeType.description.name !== name) {
			throw new Error(`n8n-nodes-base node "${name}" not found in ${modulePath}`);
		}
		result[`n8n-nodes-base.${name}`] = nodeType;
	}
	return result;
}

/** Real n8n-nodes-base credential types keyed by name (default: smtp, httpHeaderAuth, httpBasicAuth). */
export function baseCredentialTypes(names: string[] = DEFAULT_BASE_CREDENTIALS): CredentialTypeMap {
	const pkg = packageJson(basePackageRoot);
	const result: CredentialTypeMap = {};
	for (const name of names) {
		const modulePath = findBaseModule(pkg.n8n.credentials, name, '.credentials.js');
		const credentialType = instantiateExport<ICredentialType>(modulePath, isCredentialType);
		if (!credentialType || credentialType.name !== name) {
			throw new Error(`n8n-nodes-base credential "${name}" not found in ${modulePath}`);
		}
		result[name] = credentialType;
	}
	return result;
}

/** Our nodes + the default base nodes + any extra entries (extras win). */
export function harnessNodeTypes(extra: NodeTypeMap = {}): HarnessNodeTypes {
	return createNodeTypes({ ...baseNodeTypes(), ...ourNodeTypes(), ...extra });
}

/** Our credential types + the default base ones + extras. */
export function harnessCredentialTypes(extra: CredentialTypeMap = {}): CredentialTypeMap {
	return { ...baseCredentialTypes(), ...ourCredentialTypes(), ...extra };
}
