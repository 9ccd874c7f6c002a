import { NodeHelpers, NodeOperationError, Workflow, type INode, type INodeTypes } from 'n8n-workflow';
import { configVersion, loadProfile } from '../../connectors/revops';
import { credential, nodeContext } from './__tests__/context';
import { operations } from './operations';
import { RevOps } from './RevOps.node';

const node = new RevOps();
const run = (...args: Parameters<typeof nodeContext>) => node.execute.call(nodeContext(...args));

const westLead = { id: 'L-1', email: 'ana@acme.io', country: 'US', state: 'CA', company_size: 80 };
const spamLead = { id: 'L-2', email: 'bot@mailinator.com', country: 'US', state: 'CA', company_size: 80 };
const route = (lead: unknown, extra: Record<string, unknown> = {}) => ({ resource: 'policy', operation: 'routeLead', lead, ...extra });
const quote = (discount: number) => ({ id: 'Q-1', segment: 'smb', list_price_total: 40_000, discount_percentage: discount, term_length_months: 12 });

describe('RevOps node: description', () => {
	it('is a usable-as-tool node with the RevOps Config credential, tested by its own credentialTest method', () => {
		expect(node.description).toMatchObject({ name: 'revOps', usableAsTool: true, credentials: [{ name: 'revOpsConfigApi', required: true, testedBy: 'revOpsConfigApiTest' }] });
		expect(typeof node.methods.credentialTest.revOpsConfigApiTest).toBe('function');
	});

	it('offers exactly the operations it has handlers for', () => {
		const offered = node.description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []).map((o) => `${p.displayOptions?.show?.resource?.[0]}.${(o as { value: string }).value}`));
		const handled = Object.entries(operations).flatMap(([resource, ops]) => Object.keys(ops).map((op) => `${resource}.${op}`));
		expect(offered.sort()).toEqual(['lead.assign', 'lead.normalise', 'lead.parseCsv', 'lead.release', 'policy.checkContractActivation', 'policy.evaluateQuote', 'policy.routeLead', 'simulation.whatIf']);
		expect(handled.sort()).toEqual(offered.sort());
	});

	it('draws a second output, evaluated by n8n from its parameters, only for routed denials and CSV rows', () => {
		const nodeTypes = { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const outputsFor = (parameters: Record<string, unknown>) => {
			const revOps: INode = { id: 'r', name: 'RevOps', type: 'n8n-nodes-quote-to-cash.revOps', typeVersion: 1, position: [0, 0], parameters: parameters as INode['parameters'] };
			const workflow = new Workflow({ id: '1', nodes: [revOps], connections: {}, active: false, nodeTypes });
			return NodeHelpers.getNodeOutputs(workflow, revOps, node.description).map((output) => (typeof output === 'string' ? output : output.displayName));
		};
		expect(outputsFor({ resource: 'policy', operation: 'routeLead', routeDenied: true })).toEqual(['Allowed', 'Denied']);
		expect(outputsFor({ resource: 'policy', operation: 'routeLead', routeDenied: false })).toEqual(['main']);
		expect(outputsFor({ resource: 'lead', operation: 'parseCsv' })).toEqual(['Leads', 'Invalid Rows']);
		expect(outputsFor({ resource: 'lead', operation: 'assign' })).toEqual(['main']);
	});

	it('its default attribute expressions, evaluated by n8n, read lead, account, quote and contract from the item', () => {
		const nodeTypes = { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const workflow = new Workflow({ id: '1', nodes: [{ id: 'r', name: 'RevOps', type: 'n8n-nodes-quote-to-cash.revOps', typeVersion: 1, position: [0, 0], parameters: {} }], connections: {}, active: false, nodeTypes });
		const json = { lead: westLead, account: { id: 'A-1' }, quote: quote(0.1), contract: { id: 'C-1', signed: true }, approvals: ['FINANCE'], receipts: ['contract.signed'] };
		const resolved: Record<string, unknown> = {};
		for (const name of ['lead', 'account', 'quote', 'contract', 'approvals', 'receipts', 'leadId']) {
			const property = node.description.properties.find((p) => p.name === name);
			resolved[name] = workflow.expression.getParameterValue(property?.default as string, null, 0, 0, 'RevOps', [{ json }], 'manual', {});
		}
		expect(resolved).toEqual({ lead: westLead, account: { id: 'A-1' }, quote: quote(0.1), contract: { id: 'C-1', signed: true }, approvals: ['FINANCE'], receipts: ['contract.signed'], leadId: 'L-1' });
	});
});

describe('RevOps node: Policy resource', () => {
	it('Route Lead passes the item through with the decision under "policy": tenant, engine, trace, attributes and config version', async () => {
		const [[out]] = await run({ params: route(westLead), items: [{ json: { orderId: 'keep-me' } }], credentials: credential() });
		expect(out.pairedItem).toEqual({ item: 0 });
		const config = loadProfile('default');
		expect(out.json).toMatchObject({
			orderId: 'keep-me',
			policy: {
				tenant: 'acme',
				kind: 'lead_routing',
				engine: 'builtin',
				decision: { allow: true, assignee: 'user:ae-west', route_strategy: 'territory', conflicts: [] },
				attributes: { lead: { id: 'L-1', email_domain: 'acme.io', country: 'US', state: 'CA' } },
				config_version: configVersion({ ...config, tenant: 'acme' }),
			},
		});
		expect((out.json.policy as { trace: Array<{ rule: string }> }).trace.map((step) => step.rule)).toContain('territory');
		expect(Date.parse((out.json.policy as { evaluated_at: string }).evaluated_at)).not.toBeNaN();
	});

	it('Route Lead sends a denied lead to "Denied" when asked, and keeps one output otherwise', async () => {
		const items = [{ json: { n: 1 } }, { json: { n: 2 } }];
		const params = [route(westLead, { routeDenied: true }), route(spamLead, { routeDenied: true })];
		const [allowed, denied] = await run({ params, items, credentials: credential() });
		expect(allowed.map((item) => [item.json.n, item.pairedItem])).toEqual([[1, { item: 0 }]]);
		expect(denied.map((item) => [item.json.n, item.pairedItem])).toEqual([[2, { item: 1 }]]);
		expect(denied[0].json.policy).toMatchObject({ decision: { allow: false, conflicts: ['blocked:domain'] } });

		const single = await run({ params: [route(westLead), route(spamLead)], items, credentials: credential() });
		expect(single).toHaveLength(1);
		expect(single[0].map((item) => (item.json.policy as { decision: { allow: boolean } }).decision.allow)).toEqual([true, false]);
	});

	it('Route Lead takes the account and routing state into account, and writes to the chosen field', async () => {
		const account = { id: 'A-9', owner_id: 'user:owner-9', customer_status: 'customer' };
		const [[owned]] = await run({ params: route(westLead, { account, options: { outputKey: 'routing' } }), credentials: credential() });
		expect(owned.json.policy).toBeUndefined();
		expect(owned.json.routing).toMatchObject({ decision: { assignee: 'user:owner-9', route_strategy: 'account_owner_follows', conflicts: ['account_owner_vs_territory:na_west'] } });

		// No territory for GB and a mid-market ARR: the mid_market_ae pool, its counter at 1.
		const lead = { id: 'L-3', email: 'jo@firm.co.uk', country: 'GB', company_size: 300, arr_estimate: 100_000 };
		const [[pooled]] = await run({ params: route(lead, { options: { routingState: '{"round_robin_counters": {"mid_market_ae": 1}}' } }), credentials: credential() });
		expect(pooled.json.policy).toMatchObject({ decision: { assignee: 'user:ae-mm-2', route_strategy: 'round_robin' } });
	});

	it('Evaluate Quote gives the seed\'s approval chains for an AE: 25% SMB needs the manager, 35% also finance', async () => {
		const evaluate = (discount: number) => run({ params: { resource: 'policy', operation: 'evaluateQuote', quote: quote(discount), userRole: 'ae', userId: 'user:ae-7' }, credentials: credential() });
		const [[at25]] = await evaluate(0.25);
		expect(at25.json.policy).toMatchObject({ kind: 'discount_approvals', decision: { allow: true, required_approvals: ['SALES_MANAGER'] }, attributes: { user: { role: 'ae', id: 'user:ae-7' } } });
		const [[at35]] = await evaluate(0.35);
		expect(at35.json.policy).toMatchObject({ decision: { required_approvals: ['SALES_MANAGER', 'FINANCE'] } });
		const [[at10]] = await evaluate(0.1);
		expect(at10.json.policy).toMatchObject({ decision: { allow: true, required_approvals: [] } });
	});

	it('Check Contract Activation blocks without the signed-contract receipt and allows with it', async () => {
		const contract = { id: 'C-1', signed: true, jurisdiction: 'US-CA', term_length_months: 24 };
		const check = (receipts: unknown, approvals: unknown = 'FINANCE') =>
			run({ params: { resource: 'policy', operation: 'checkContractActivation', contract, approvals, requiredApprovals: ['FINANCE'], receipts, routeDenied: true }, credentials: credential() });
		const [allowed, denied] = await check('contract.signed');
		expect(denied).toEqual([]);
		expect(allowed[0].json.policy).toMatchObject({ kind: 'contract_activation', decision: { allow: true, blocking_issues: [] }, attributes: { receipts: ['contract.signed'] } });
		const [, blocked] = await check([], []);
		expect(blocked[0].json.policy).toMatchObject({ decision: { allow: false, blocking_issues: ['missing_approval:FINANCE', 'missing_receipt:contract.signed'] } });
	});
});

describe('RevOps node: errors', () => {
	it('names the attribute path of a bad input in a NodeOperationError', async () => {
		const error = await run({ params: { resource: 'policy', operation: 'evaluateQuote', quote: { ...quote(0.1), discount_percentage: 25 }, userRole: 'ae' }, credentials: credential() }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('quote.discount_percentage: expected a number between 0 and 1');
	});

	it('names the config path when the credential\'s config is wrong', async () => {
		const bad = credential({ config: 'discounts:\n  smb:\n    finance_required_pct: 1.5' });
		const error = await run({ params: route(westLead), credentials: bad }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('discounts.smb.finance_required_pct: expected a number between 0 and 1');
	});

	it('with Continue On Fail, an item it cannot judge goes to "Denied" with the error, and the others are still judged', async () => {
		const params = [route({ email: 'no-id@acme.io' }, { routeDenied: true }), route(westLead, { routeDenied: true })];
		const [allowed, denied] = await run({ params, items: [{ json: { n: 1 } }, { json: { n: 2 } }], credentials: credential(), continueOnFail: true });
		expect(allowed.map((item) => item.json.n)).toEqual([2]);
		expect(denied).toHaveLength(1);
		expect(denied[0]).toMatchObject({ json: { n: 1, kind: 'validation', field: 'lead.id' }, pairedItem: { item: 0 } });
		expect(denied[0].error).toBeInstanceOf(NodeOperationError);
	});

	it('with Continue On Fail and one output, the error item stays on it', async () => {
		const [main] = await run({ params: route({ email: 'no-id@acme.io' }), credentials: credential(), continueOnFail: true });
		expect(main).toHaveLength(1);
		expect(main[0].json.error).toMatch(/lead\.id/);
	});
});
