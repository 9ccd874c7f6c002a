import nock from 'nock';
import { ConnectorError } from '../core';
import { normaliseAttributes } from './attributes';
import { createBuiltinEngine } from './builtin';
import { configVersion, loadProfile } from './config';
import type { DecisionKind } from './engine';
import { createOpaEngine, undefinedDecision, POLICY_UNDEFINED } from './opa';
const { createOpaFake, revopsDecide } = require('../../sandbox/opa');

type OpaFake = ReturnType<typeof createOpaFake>;

const TOKEN = 'opa-token-5f1c2e9a77';
const config = loadProfile('default');
const builtin = createBuiltinEngine();
const now = () => new Date('2025-04-01T12:00:00Z');

const attributesFor: Record<DecisionKind, Record<string, unknown>> = {
	lead_routing: { lead: { id: 'lead-1', email: 'Ops@SurfCo.com', country: 'us', state: 'US-CA', company_size: 40, arr_estimate: 30000 } },
	discount_approvals: { quote: { id: 'q-1', segment: 'smb', list_price_total: 40000, discount_percentage: 0.25, term_length_months: 12 }, user: { role: 'AE' } },
	contract_activation: { contract: { id: 'c-1', signed: true, jurisdiction: 'us-ca', term_length_months: 12 }, approvals: ['sales_manager'], required_approvals: ['SALES_MANAGER'], receipts: ['contract.signed'] },
};
const KINDS = Object.keys(attributesFor) as DecisionKind[];

let fake: OpaFake;
let engine: ReturnType<typeof createOpaEngine>;

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		return error as ConnectorError;
	}
	throw new Error('expected the evaluation to fail');
}

beforeAll(async () => {
	fake = createOpaFake({ decide: revopsDecide(builtin), token: TOKEN, delayMs: 1000 });
	await fake.listen();
	engine = createOpaEngine({ baseUrl: fake.url, token: TOKEN, timeoutMs: 2000, now });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('createOpaEngine: request and decision', () => {
	it.each(KINDS)('%s: POSTs the normalised attributes and the config to the decision path with the bearer token', async (kind) => {
		const result = await engine.evaluate(kind, attributesFor[kind], config);
		expect(fake.calls).toHaveLength(1);
		const [call] = fake.calls;
		expect(call.path).toBe(`q2c/revops/${kind}/decision`);
		expect(call.auth).toBe('bearer');
		expect(call.input).toEqual(JSON.parse(JSON.stringify({ attributes: normaliseAttributes(kind, attributesFor[kind], config), config })));
		expect(Object.keys(call.input as object).sort()).toEqual(['attributes', 'config']);
		expect(result.decision).toStrictEqual((await builtin.evaluate(kind, attributesFor[kind], config)).decision);
		expect(result).toMatchObject({ kind, engine: 'opa', config_version: configVersion(config), evaluated_at: '2025-04-01T12:00:00.000Z' });
		expect(result.attributes).toEqual(normaliseAttributes(kind, attributesFor[kind], config));
		expect(result.trace).toEqual([{ rule: 'opa', outcome: 'fired', detail: `POST /v1/data/q2c/revops/${kind}/decision → 200` }]);
	});

	it('sends attributes after normalisation (derived email domain, GB for UK, segment), not as given', async () => {
		await engine.evaluate('lead_routing', { lead: { id: 'l', email: 'A@Acme.IO', country: 'uk', arr_estimate: 900000 } }, config);
		const input = fake.calls[0].input as { attributes: { lead: Record<string, unknown> } };
		expect(input.attributes.lead).toMatchObject({ email_domain: 'acme.io', country: 'GB', segment: 'enterprise' });
	});

	it('rejects invalid attributes before asking OPA', async () => {
		const error = await rejection(engine.evaluate('discount_approvals', { quote: { id: 'q', segment: 'nope', list_price_total: 1, discount_percentage: 0.1, term_length_months: 12 }, user: { role: 'ae' } }, config));
		expect(error.kind).toBe('validation');
		expect(error.message).toContain('quote.segment');
		expect(fake.calls).toHaveLength(0);
	});

	it('uses another package path when configured', async () => {
		const other = createOpaFake({ decide: revopsDecide(builtin, { packagePath: 'acme/rules' }) });
		await other.listen();
		try {
			const custom = createOpaEngine({ baseUrl: `${other.url}/`, packagePath: '/acme/rules/' });
			const result = await custom.evaluate('contract_activation', attributesFor.contract_activation, config);
			expect(other.calls[0].path).toBe('acme/rules/contract_activation/decision');
			expect(other.calls[0].auth).toBe('none');
			expect(result.decision.allow).toBe(true);
		} finally {
			await other.close();
		}
	});

	it('validates its options', () => {
		expect(() => createOpaEngine({ baseUrl: 'not a url' })).toThrow(/baseUrl/);
		expect(() => createOpaEngine({ baseUrl: 'ftp://127.0.0.1' })).toThrow(/http\(s\) URL/);
		expect(() => createOpaEngine({ baseUrl: 'http://127.0.0.1:8181', packagePath: '../etc' })).toThrow(/packagePath/);
	});
});

describe('createOpaEngine: undefined documents are a deny', () => {
	it.each(KINDS)('%s: OPA answering {} (no result) denies, says "policy undefined" and traces opa_undefined', async (kind) => {
		fake.setMode('undefined');
		const result = await engine.evaluate(kind, attributesFor[kind], config);
		expect(result.decision).toStrictEqual(undefinedDecision(kind, config));
		expect(result.decision.allow).toBe(false);
		expect(JSON.stringify(result.decision)).toContain(POLICY_UNDEFINED);
		expect(result.trace.map((step) => step.rule)).toEqual(['opa', 'opa_undefined']);
	});

	it('a policy that is not loaded at all (empty OPA) is undefined too', async () => {
		const empty = createOpaFake();
		await empty.listen();
		try {
			const result = await createOpaEngine({ baseUrl: empty.url }).evaluate('lead_routing', attributesFor.lead_routing, config);
			expect(result.decision).toStrictEqual({ allow: false, route_strategy: 'territory', conflicts: [POLICY_UNDEFINED], required_enrichment: [] });
		} finally {
			await empty.close();
		}
	});
});

describe('createOpaEngine: failures are errors naming OPA and the URL, never a decision', () => {
	const url = () => `${fake.url}/v1/data/q2c/revops/lead_routing/decision`;
	const expectNoSecret = (error: ConnectorError) => {
		expect(error.message).not.toContain(TOKEN);
		expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
	};

	it('500 with OPA error body', async () => {
		fake.setMode('error');
		const error = await rejection(engine.evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(error.kind).toBe('transient');
		expect(error.status).toBe(500);
		expect(error.vendor).toBe('OPA');
		expect(error.message).toContain(`OPA at ${url()} answered HTTP 500: internal_error`);
		expect(error.message).toContain('no policy decision was made');
		expectNoSecret(error);
	});

	it('OPA down: the connection is closed without an answer', async () => {
		fake.setMode('down');
		const error = await rejection(engine.evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(error.kind).toBe('transient');
		expect(error.message).toMatch(new RegExp(`^OPA at ${url().replace(/[.?]/g, '\\$&')} is unreachable \\(ECONNRESET\\)`));
		expect(fake.calls).toHaveLength(0);
		expectNoSecret(error);
	});

	it('OPA not listening: connection refused', async () => {
		const gone = createOpaFake();
		const { url: goneUrl } = await gone.listen();
		await gone.close();
		const error = await rejection(createOpaEngine({ baseUrl: goneUrl, token: TOKEN }).evaluate('contract_activation', attributesFor.contract_activation, config));
		expect(error.kind).toBe('transient');
		expect(error.message).toContain(`OPA at ${goneUrl}/v1/data/q2c/revops/contract_activation/decision is unreachable (ECONNREFUSED)`);
		expectNoSecret(error);
	});

	it('slow OPA: the request times out', async () => {
		fake.setMode('slow', { delayMs: 1500 });
		const quick = createOpaEngine({ baseUrl: fake.url, token: TOKEN, timeoutMs: 200 });
		const error = await rejection(quick.evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(error.kind).toBe('transient');
		expect(error.message).toBe(`OPA at ${url()} timed out; no policy decision was made`);
	});

	it('slow OPA within the timeout still answers', async () => {
		fake.setMode('slow', { delayMs: 100 });
		const result = await engine.evaluate('lead_routing', attributesFor.lead_routing, config);
		expect(result.decision.allow).toBe(true);
	});

	it('a wrong or missing token is an auth error, without the token in it', async () => {
		const wrong = await rejection(createOpaEngine({ baseUrl: fake.url, token: 'not-the-token-123' }).evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(wrong.kind).toBe('auth');
		expect(wrong.message).toContain('answered HTTP 401: unauthorized');
		expect(wrong.message).not.toContain('not-the-token-123');
		const none = await rejection(createOpaEngine({ baseUrl: fake.url }).evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(none.kind).toBe('auth');
		expect(fake.calls.map((call: { auth: string }) => call.auth)).toEqual(['wrong', 'none']);
	});

	it('credentials in the base URL never reach an error message', async () => {
		fake.setMode('error');
		const withUser = createOpaEngine({ baseUrl: fake.url.replace('http://', 'http://admin:hunter2secret@'), token: TOKEN });
		const error = await rejection(withUser.evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(error.message).not.toContain('hunter2secret');
		expect(error.message).toContain(`OPA at ${url()}`);
	});

	it.each([
		['lead_routing', 'result.allow', 'a boolean'],
		['discount_approvals', 'result.allow', 'a boolean'],
		['contract_activation', 'result.allow', 'a boolean'],
	] as const)('%s: a malformed result (missing field) names the field', async (kind, field, expected) => {
		fake.setMode('malformed');
		const error = await rejection(engine.evaluate(kind, attributesFor[kind], config));
		expect(error.kind).toBe('permanent');
		expect(error.field).toBe(field);
		expect(error.message).toBe(`OPA at ${fake.url}/v1/data/q2c/revops/${kind}/decision returned a malformed ${kind} decision: ${field}: expected ${expected}`);
	});

	it('a result with a wrong type or an extra field is malformed too', async () => {
		const odd = createOpaFake({
			decide: (path: string) =>
				path.includes('lead_routing')
					? { allow: true, route_strategy: 'teleport', conflicts: [], required_enrichment: [] }
					: { allow: true, blocking_issues: [], required_receipts: [], allowed_jurisdictions: [], trace: ['x'] },
		});
		await odd.listen();
		try {
			const oddEngine = createOpaEngine({ baseUrl: odd.url });
			const wrongType = await rejection(oddEngine.evaluate('lead_routing', attributesFor.lead_routing, config));
			expect(wrongType.field).toBe('result.route_strategy');
			const extra = await rejection(oddEngine.evaluate('contract_activation', attributesFor.contract_activation, config));
			expect(extra.field).toBe('result');
			expect(extra.message).toContain("'trace'");
		} finally {
			await odd.close();
		}
	});

	it('an answer that is not an object with "result" is refused', async () => {
		nock('http://opa.invalid').post('/v1/data/q2c/revops/lead_routing/decision').reply(200, ['not', 'an', 'object']);
		const error = await rejection(createOpaEngine({ baseUrl: 'http://opa.invalid' }).evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(error.kind).toBe('permanent');
		expect(error.message).toContain('OPA at http://opa.invalid/v1/data/q2c/revops/lead_routing/decision answered with something other than a JSON object');
		nock.cleanAll();
	});

	it('a transport failure without an error code is still reported as OPA being unreachable', async () => {
		const broken = createOpaEngine({
			baseUrl: 'http://opa.invalid',
			axiosInstance: { request: () => Promise.reject(new Error('boom')) } as never,
		});
		const error = await rejection(broken.evaluate('lead_routing', attributesFor.lead_routing, config));
		expect(error.message).toBe('OPA at http://opa.invalid/v1/data/q2c/revops/lead_routing/decision is unreachable (network error); no policy decision was made');
	});
});
