import { NodeOperationError, type INodeProperties } from 'n8n-workflow';
import { credential, fakeOpa, nodeContext } from '../RevOps/__tests__/context';
import { Policy } from './Policy.node';

const node = new Policy();
const type = 'n8n-nodes-quote-to-cash.policy';

/** What the node's default expressions resolve to for a normalized contract, plus the RevOps-mode fields. */
const fields = (overrides: Record<string, unknown> = {}) => ({
	rulesFrom: 'revOpsConfig',
	signed: true,
	approvals: ['FINANCE'],
	requiredApprovals: 'FINANCE',
	jurisdiction: 'US-CA',
	termMonths: 24,
	contractId: '',
	receipts: 'contract.signed',
	liabilityCapMultiple: 0,
	hasNonStandardTerms: false,
	...overrides,
});
const run = (params: Record<string, unknown> | Array<Record<string, unknown>>, options: { items?: number; credentials?: Record<string, unknown>; continueOnFail?: boolean } = {}) =>
	node.execute.call(
		nodeContext({
			params,
			type,
			items: Array.from({ length: options.items ?? 1 }, (_, i) => ({ json: { businessKey: `ORD-${i + 1}` } })),
			credentials: options.credentials ?? credential(),
			continueOnFail: options.continueOnFail,
		}),
	);

describe('Contract Policy node with "Rules From: RevOps Config"', () => {
	it('defaults to the node-field rules, and asks for the credential and the RevOps fields only in RevOps mode', () => {
		const byName = (name: string) => node.description.properties.find((p) => p.name === name) as INodeProperties;
		expect(byName('rulesFrom').default).toBe('nodeFields');
		expect(node.description.credentials).toEqual([{ name: 'revOpsConfigApi', required: true, testedBy: 'revOpsConfigApiTest', displayOptions: { show: { rulesFrom: ['revOpsConfig'] } } }]);
		expect(typeof node.methods.credentialTest.revOpsConfigApiTest).toBe('function');
		for (const name of ['requireSignature', 'allowedJurisdictions', 'maxAmount', 'minTermMonths', 'maxTermMonths', 'requiredReceipts', 'amount', 'currency']) {
			expect([name, byName(name).displayOptions]).toEqual([name, { show: { rulesFrom: ['nodeFields'] } }]);
		}
		for (const name of ['contractId', 'receipts', 'liabilityCapMultiple', 'hasNonStandardTerms']) {
			expect([name, byName(name).displayOptions]).toEqual([name, { show: { rulesFrom: ['revOpsConfig'] } }]);
		}
	});

	it('without Rules From (workflows saved before it), keeps the node-field rules and never reads a credential', async () => {
		const context = nodeContext({ params: { requireSignature: true, requiredApprovals: '', allowedJurisdictions: '', signed: true, approvals: [], jurisdiction: 'US', amount: 1, termMonths: 12, currency: 'usd' }, type });
		const [allowed] = await node.execute.call(context);
		expect(allowed[0].json.policy).toMatchObject({ allow: true, policy: 'contract_activation' });
		expect(context.credentialCalls).toBe(0);
	});

	it('routes an activatable contract to "allowed" with the engine\'s decision, trace and attributes', async () => {
		const [allowed, blocked] = await run(fields());
		expect(blocked).toEqual([]);
		expect(allowed[0]).toMatchObject({
			json: {
				businessKey: 'ORD-1',
				policy: {
					policy: 'contract_activation',
					allow: true,
					tenant: 'acme',
					kind: 'contract_activation',
					engine: 'builtin',
					decision: { allow: true, blocking_issues: [], required_receipts: ['contract.signed'] },
					attributes: { contract: { id: 'ORD-1', signed: true, jurisdiction: 'US-CA', term_length_months: 24, has_non_standard_terms: false }, approvals: ['FINANCE'], required_approvals: ['FINANCE'], receipts: ['contract.signed'] },
					config_version: expect.stringMatching(/^[0-9a-f]{64}$/),
				},
			},
			pairedItem: { item: 0 },
		});
		expect((allowed[0].json.policy as { trace: unknown[] }).trace.length).toBeGreaterThan(0);
		expect((allowed[0].json.policy as { attributes: { contract: object } }).attributes.contract).not.toHaveProperty('liability_cap_multiple');
	});

	it('maps each contract field to its rule: receipts, approvals, jurisdiction, term, liability cap, non-standard terms', async () => {
		const [, blocked] = await run(
			[
				fields({ receipts: '', approvals: [] }),
				fields({ jurisdiction: 'BR', termMonths: 48 }),
				fields({ liabilityCapMultiple: 3, hasNonStandardTerms: true, contractId: 'C-77' }),
				fields({ signed: false }),
			],
			{ items: 4 },
		);
		const issues = blocked.map((item) => (item.json.policy as { decision: { blocking_issues: string[] } }).decision.blocking_issues);
		expect(issues).toEqual([
			['missing_approval:FINANCE', 'missing_receipt:contract.signed'],
			['jurisdiction_not_allowed:BR', 'term_out_of_range'],
			['liability_above_cap', 'legal_approval_required'],
			['contract_not_signed'],
		]);
		expect((blocked[2].json.policy as { attributes: { contract: { id: string } } }).attributes.contract.id).toBe('C-77');
	});

	it('evaluates through OPA when the credential says so', async () => {
		const opa = await fakeOpa(() => ({ result: { allow: false, blocking_issues: ['opa_says_no'], required_receipts: [], allowed_jurisdictions: [] } }));
		try {
			const [allowed, blocked] = await run(fields(), { credentials: credential({ engine: 'opa', opaUrl: opa.url }) });
			expect(allowed).toEqual([]);
			expect(blocked[0].json.policy).toMatchObject({ engine: 'opa', allow: false, decision: { blocking_issues: ['opa_says_no'] } });
			expect(opa.requests[0]).toMatchObject({ path: '/v1/data/q2c/revops/contract_activation/decision', body: { input: { attributes: { contract: { id: 'ORD-1' } } } } });
		} finally {
			await opa.close();
		}
	});

	it('names the config path of a bad credential, and the field of a bad attribute', async () => {
		const badConfig = await run(fields(), { credentials: credential({ config: '{"terms": {"max_liability_cap_multiple": -1}}' }) }).catch((e: unknown) => e);
		expect(badConfig).toBeInstanceOf(NodeOperationError);
		expect((badConfig as Error).message).toContain('terms.max_liability_cap_multiple: expected');
		const badSigned = await run(fields({ signed: 'maybe' })).catch((e: unknown) => e);
		expect((badSigned as Error).message).toContain('contract.signed');
	});

	it('with Continue On Fail, a contract it cannot judge goes to "blocked" (never fails open)', async () => {
		const context = nodeContext({ params: fields(), type, items: [{ json: { note: 'no business key' } }], credentials: credential(), continueOnFail: true });
		const [allowed, blocked] = await node.execute.call(context);
		expect(allowed).toEqual([]);
		expect(blocked[0]).toMatchObject({ json: { note: 'no business key', policy: { allow: false, blocking_issues: [{ code: 'POLICY_EVALUATION_FAILED', field: 'contractId' }] } }, pairedItem: { item: 0 } });
	});
});
