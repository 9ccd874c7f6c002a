/**
 * Static checks of every importable template: what a person imports must resolve to installed node
 * types, use only parameters those nodes define, keep business rules out of Code nodes, and wire
 * connections to nodes that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeTypeDescription } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const pkg = require(join(root, 'package.json'));
const workflowDir = join(root, 'workflows');
const templates = readdirSync(workflowDir).filter((f) => f.endsWith('.json'));

const ourDescriptions = new Map<string, INodeTypeDescription>();
for (const distPath of pkg.n8n.nodes as string[]) {
	const source = join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const NodeClass = Object.values(require(source))[0] as new () => { description: INodeTypeDescription };
	const description = new NodeClass().description;
	ourDescriptions.set(`${pkg.name}.${description.name}`, description);
}

interface TemplateNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

function load(file: string): { name: string; nodes: TemplateNode[]; connections: Record<string, Record<string, Array<Array<{ node: string }>>>> } {
	return JSON.parse(readFileSync(join(workflowDir, file), 'utf8'));
}

describe.each(templates)('template %s', (file) => {
	const workflow = load(file);

	it('has no Code or Function nodes (business rules stay editable without code)', () => {
		const code = workflow.nodes.filter((n) => /n8n-nodes-base\.(code|function|functionItem)$/.test(n.type));
		expect(code.map((n) => n.name)).toEqual([]);
	});

	it('uses installed-package node types that exist', () => {
		for (const node of workflow.nodes) {
			expect(node.type).not.toMatch(/^CUSTOM\./);
			if (node.type.startsWith(`${pkg.name}.`)) expect(ourDescriptions.has(node.type)).toBe(true);
			else expect(node.type).toMatch(/^n8n-nodes-base\./);
		}
	});

	it('sets only parameters our nodes define, and their credentials', () => {
		for (const node of workflow.nodes) {
			const description = ourDescriptions.get(node.type);
			if (!description) continue;
			const known = new Set(description.properties.map((p) => p.name));
			const unknown = Object.keys(node.parameters).filter((key) => !known.has(key));
			expect({ node: node.name, unknown }).toEqual({ node: node.name, unknown: [] });
			const allowedCredentials = new Set((description.credentials ?? []).map((c) => c.name));
			for (const credentialType of Object.keys(node.credentials ?? {})) expect(allowedCredentials).toContain(credentialType);
		}
	});

	it('connects only nodes that exist, and node names are unique', () => {
		const names = new Set(workflow.nodes.map((n) => n.name));
		expect(names.size).toBe(workflow.nodes.length);
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const branches of Object.values(outputs)) for (const branch of branches) for (const target of branch) expect(names).toContain(target.node);
		}
	});
});
