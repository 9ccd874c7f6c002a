import { NodeOperationError, Workflow, type IExecuteFunctions, type INodeExecutionData, type INodeTypes } from 'n8n-workflow';
import { Policy } from './Policy.node';

const contract = (overrides: Record<string, unknown> = {}) => ({ businessKey: 'ORD-1', orderId: 'ORD-1', ...overrides });

const defaults: Record<string, unknown> = {
	requireSignature: true,
	requiredApprovals: 'FINANCE',
	allowedJurisdictions: 'US, CA',
	maxAmount: 0,
	minTermMonths: 0,
	maxTermMonths: 36,
	requiredReceipts: 'ACTIVATE_ORDER',
	signed: true,
	approvals: ['FINANCE'],
	jurisdiction: 'US',
	amount: 10_000,
	termMonths: 12,
	currency: 'usd',
};

/** Parameters are given already resolved per item, as n8n would after evaluating expressions. */
function context(items: INodeExecutionData[], perItem: Array<Record<string, unknown>>, continueOnFail = false): IExecuteFunctions {
	return {
		getInputData: () => items,
		getNodeParameter: (name: string, itemIndex: number) => ({ ...defaults, ...perItem[itemIndex] })[name],
		continueOnFail: () => continueOnFail,
		getNode: () => ({ name: 'Contract Policy', type: 'n8n-nodes-quote-to-cash.policy', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' }),
	} as unknown as IExecuteFunctions;
}

describe('Contract Policy node', () => {
	const node = new Policy();

	it('has two outputs named allowed and blocked, and reads the normalized contract by default', () => {
		expect(node.description.outputNames).toEqual(['allowed', 'blocked']);
		const byName = Object.fromEntries(node.description.properties.map((p) => [p.name, p.default]));
		expect(byName).toMatchObject({
			signed: '={{ $json.signature.signed }}',
			jurisdiction: '={{ $json.jurisdiction || $json.customer.country }}',
			amount: '={{ $json.totalAmount }}',
			termMonths: '={{ $json.termMonths }}',
		});
	});

	it('routes each item by its decision, keeping the input json and pairedItem', async () => {
		const items = [{ json: contract() }, { json: contract({ businessKey: 'ORD-2' }), binary: { file: { data: 'x', mimeType: 'text/plain' } } }];
		const [allowed, blocked] = await node.execute.call(context(items, [{}, { approvals: [], amount: '12' }]));
		expect(allowed).toHaveLength(1);
		expect(allowed[0]).toMatchObject({ json: { businessKey: 'ORD-1', policy: { allow: true, required_receipts: ['ACTIVATE_ORDER'] } }, pairedItem: { item: 0 } });
		expect(blocked).toHaveLength(1);
		expect(blocked[0].pairedItem).toEqual({ item: 1 });
		expect(blocked[0].binary).toBeDefined();
		expect(blocked[0].json.policy).toMatchObject({ allow: false, blocking_issues: [{ code: 'APPROVAL_MISSING', field: 'approvals' }] });
	});

	it('treats 0 limits as "no limit" and enforces the others', async () => {
		const [allowed, blocked] = await node.execute.call(context([{ json: {} }, { json: {} }], [{ amount: 10 ** 9 }, { termMonths: 48 }]));
		expect(allowed).toHaveLength(1);
		expect((blocked[0].json.policy as { blocking_issues: Array<{ code: string }> }).blocking_issues[0].code).toBe('TERM_TOO_LONG');
	});

	it('throws a NodeOperationError naming the attribute when an attribute is bad', async () => {
		const error = await node.execute.call(context([{ json: {} }], [{ amount: 'lots' }])).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/attributes\.amount/);
	});

	it('with Continue On Fail, sends an item it cannot judge to "blocked" (never fails open)', async () => {
		const [allowed, blocked] = await node.execute.call(context([{ json: contract() }], [{ signed: 'maybe' }], true));
		expect(allowed).toEqual([]);
		expect(blocked[0]).toMatchObject({
			json: { businessKey: 'ORD-1', policy: { allow: false, blocking_issues: [{ code: 'POLICY_EVALUATION_FAILED', field: 'attributes.signed' }] } },
			pairedItem: { item: 0 },
		});
	});

	it('its default attribute expressions, evaluated by n8n, read the normalized contract', async () => {
		const nodeTypes = { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const workflow = new Workflow({
			id: '1',
			nodes: [{ id: 'p', name: 'Contract Policy', type: 'n8n-nodes-quote-to-cash.policy', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
			active: false,
			nodeTypes,
		});
		const normalized = contract({
			signature: { signed: true },
			approvals: [{ role: 'FINANCE', approvedBy: 'cfo@example.com' }],
			customer: { name: 'Acme', email: 'a@example.com', country: 'CA' },
			totalAmount: 4_900,
			termMonths: 24,
			currency: 'cad',
		});
		const resolved: Record<string, unknown> = {};
		for (const property of node.description.properties) {
			if (typeof property.default === 'string' && property.default.startsWith('=')) {
				resolved[property.name] = workflow.expression.getParameterValue(property.default, null, 0, 0, 'Contract Policy', [{ json: normalized }], 'manual', {});
			}
		}
		expect(resolved).toEqual({ signed: true, approvals: ['FINANCE'], jurisdiction: 'CA', amount: 4_900, termMonths: 24, currency: 'cad' });
		const [allowed] = await node.execute.call(context([{ json: normalized }], [resolved]));
		expect(allowed[0].json.policy).toMatchObject({ allow: true, evaluated: { jurisdiction: 'CA', amount: 4_900, currency: 'cad' } });
	});
});
