import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType, INodeTypes } from 'n8n-workflow';
import { runWorkflow, type WorkflowJson } from '../../test/harness';
import { withFastExpressions } from './fastExpressions';

/**
 * Each field is read twice in one real n8n-core run: through our fast reading and through n8n's own
 * getNodeParameter (its expression engine). They must agree on every value and every error; the fields our
 * reading cannot match must reach n8n's engine, the rest must not.
 */
const CASES: Record<string, string> = {
	ownField: '={{ $json.n }}',
	missingField: '={{ $json.nope }}',
	pastMissingField: '={{ $json.nope.deeper }}',
	pairedItem: "={{ $('Source').item.json.businessKey }}",
	pairedObject: "={{ $('Source').item.json.customer }}",
	firstWithDefault: "={{ $('Source').first().json.attempt || 0 }}",
	emptyFallback: "={{ $('Source').item.json.customer.country || '' }}",
	concatenation: "={{ 'order:' + $('Source').item.json.businessKey }}",
	nullish: "={{ $json.nope ?? 'fallback' }}",
	executionId: '={{ $execution.id }}',
	brackets: "={{ $('Source').item.json['lines'][0].sku }}",
	referenceFallback: "={{ $json.nope || $(\"Source\").item.json.tier }}",
	numberLiteral: '={{ 5 }}',
	arrowFunction: "={{ $('Source').item.json.lines.map(l => l.sku) }}",
	textTemplate: '=Order {{ $json.n }} of {{ $execution.id }}',
	unknownNode: "={{ $('Nope').item.json.x }}",
	prototypeWalk: '={{ $json.constructor }}',
	plainText: 'not an expression',
};
const SUPPORTED = [
	'ownField',
	'missingField',
	'pairedItem',
	'pairedObject',
	'firstWithDefault',
	'emptyFallback',
	'concatenation',
	'nullish',
	'executionId',
	'brackets',
	'referenceFallback',
	'numberLiteral',
	'plainText',
	'options',
	'record',
];

function read(read: () => unknown): unknown {
	try {
		const value = read();
		return value === undefined ? '<undefined>' : value;
	} catch (error) {
		return { error: (error as Error).message };
	}
}

const probeProperties: INodeProperties[] = [
	...Object.keys(CASES).map((name): INodeProperties => ({ displayName: name, name, type: 'string', default: '' })),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
		options: [
			{ displayName: 'A', name: 'a', type: 'string', default: '' },
			{ displayName: 'B', name: 'b', type: 'number', default: 0 },
		],
	},
	{
		displayName: 'Record',
		name: 'record',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		modes: [{ displayName: 'ID', name: 'id', type: 'string' }],
	},
];

function nodeType(name: string, properties: INodeProperties[], execute: INodeType['execute']): INodeType {
	return {
		description: {
			displayName: name,
			name,
			group: ['transform'],
			version: 1,
			description: name,
			defaults: { name },
			inputs: ['main'],
			outputs: ['main'],
			properties,
		},
		execute,
	} as INodeType;
}

function probe(): INodeType {
	return nodeType('probe', probeProperties, async function (this: IExecuteFunctions) {
		const fellBack: string[] = [];
		const counting = Object.create(this, {
			getNodeParameter: {
				value: (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
					fellBack.push(String(args[0]));
					return (this.getNodeParameter as (...a: unknown[]) => unknown)(...args);
				},
			},
		}) as IExecuteFunctions;
		const reader = withFastExpressions(counting);
		return [
			this.getInputData().map((_, itemIndex) => {
				const readBoth = (name: string, options?: { extractValue: true }) => ({
					fast: read(() => reader.getNodeParameter(name, itemIndex, undefined, options)),
					n8n: read(() => this.getNodeParameter(name, itemIndex, undefined, options)),
				});
				const results: IDataObject = {};
				for (const name of Object.keys(CASES)) results[name] = readBoth(name);
				results.options = readBoth('options');
				results.record = readBoth('record', { extractValue: true });
				const copy = reader.getNodeParameter('pairedObject', itemIndex) as IDataObject;
				copy.changed = true;
				return { json: { results, fellBack, afterChange: this.getNodeParameter('pairedObject', itemIndex) as IDataObject }, pairedItem: { item: itemIndex } };
			}),
		];
	});
}

function registry(): INodeTypes {
	const types: Record<string, INodeType> = {
		source: nodeType('source', [], async function (this: IExecuteFunctions) {
			return [this.getInputData()];
		}),
		// New items paired to the source's, so `$('Source').item` must follow pairedItem back.
		middle: nodeType('middle', [], async function (this: IExecuteFunctions) {
			return [this.getInputData().map((_, item) => ({ json: { n: item }, pairedItem: { item } }))];
		}),
		probe: probe(),
	};
	return {
		getByName: (type: string) => types[type],
		getByNameAndVersion: (type: string) => types[type],
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

const workflow: WorkflowJson = {
	name: 'fast expressions',
	nodes: [
		{ id: '1', name: 'Source', type: 'source', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: '2', name: 'Middle', type: 'middle', typeVersion: 1, position: [200, 0], parameters: {} },
		{
			id: '3',
			name: 'Probe',
			type: 'probe',
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				...CASES,
				options: { a: "={{ $('Source').item.json.businessKey }}", b: '={{ $json.n }}' },
				record: { __rl: true, mode: 'id', value: "={{ 'rec-' + $('Source').item.json.businessKey }}" },
			},
		},
	],
	connections: {
		Source: { main: [[{ node: 'Middle', type: 'main', index: 0 }]] },
		Middle: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] },
	},
};

const sourceItems = [
	{ businessKey: 'ORD-1', attempt: 0, tier: 'professional', customer: { email: 'a@example.com', country: '' }, lines: [{ sku: 'MP-1' }] },
	{ businessKey: 'ORD-2', attempt: 2, customer: { email: 'b@example.com', country: 'CA' }, lines: [{ sku: 'MP-2' }, { sku: 'MP-3' }] },
];

async function probeOutput() {
	const run = await runWorkflow(workflow, { startNode: 'Source', startData: sourceItems, nodeTypes: registry(), executionId: 'exec-42' });
	expect(run.status).toBe('success');
	return run.nodeOutput('Probe') as Array<{ results: Record<string, { fast: unknown; n8n: unknown }>; fellBack: string[]; afterChange: IDataObject }>;
}

describe('withFastExpressions (in a real n8n-core run)', () => {
	it('reads every field exactly as n8n does, values and errors, for every item', async () => {
		const items = await probeOutput();
		expect(items).toHaveLength(2);
		for (const item of items) {
			for (const [name, { fast, n8n }] of Object.entries(item.results)) expect([name, fast]).toEqual([name, n8n]);
		}
		const [first, second] = items.map((item) => item.results);
		expect(first.pairedItem.n8n).toBe('ORD-1');
		expect(second.pairedItem.n8n).toBe('ORD-2');
		expect(second.firstWithDefault.n8n).toBe(0);
		expect(second.emptyFallback.n8n).toBe('CA');
		expect(first.referenceFallback.n8n).toBe('professional');
		expect(second.referenceFallback.n8n).toBe('<undefined>');
		expect(first.executionId.n8n).toBe('exec-42');
		expect(second.record.n8n).toBe('rec-ORD-2');
		expect(first.options.n8n).toEqual({ a: 'ORD-1', b: 0 });
		expect(first.unknownNode.n8n).toEqual({ error: expect.any(String) });
	});

	it("answers references itself and leaves everything else to n8n's engine", async () => {
		const [item] = await probeOutput();
		const reachedN8n = new Set(item.fellBack);
		for (const name of SUPPORTED) expect([name, reachedN8n.has(name)]).toEqual([name, false]);
		for (const name of ['pastMissingField', 'arrowFunction', 'textTemplate', 'unknownNode', 'prototypeWalk']) {
			expect([name, reachedN8n.has(name)]).toEqual([name, true]);
		}
	});

	it('returns copies: changing a value read does not change the item it came from', async () => {
		const [item] = await probeOutput();
		expect(item.afterChange).toEqual({ email: 'a@example.com', country: '' });
	});

	it('Q2C_FAST_EXPRESSIONS=off sends every field to n8n', async () => {
		process.env.Q2C_FAST_EXPRESSIONS = 'off';
		try {
			const [item] = await probeOutput();
			expect(new Set(item.fellBack)).toEqual(new Set([...Object.keys(CASES), 'options', 'record', 'pairedObject']));
		} finally {
			delete process.env.Q2C_FAST_EXPRESSIONS;
		}
	});
});
