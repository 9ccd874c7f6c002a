import axios from 'axios';
import { createBuiltinEngine } from '../../connectors/revops/builtin';
import { loadProfile } from '../../connectors/revops/config';
const { createOpaFake, revopsDecide, OPA_FAKE_MODES } = require('../../sandbox/opa');

const config = loadProfile('default');
const input = { attributes: { contract: { id: 'c', signed: false }, approvals: [], required_approvals: [], receipts: [] }, config };
const http = axios.create({ validateStatus: () => true, timeout: 3000 });

describe('OPA fake (sandbox/opa)', () => {
	const fake = createOpaFake({ decide: revopsDecide(createBuiltinEngine()), delayMs: 50 });
	const data = (path: string, body: unknown = { input }) => http.post(`${fake.url}/v1/data/${path}`, body);

	beforeAll(() => fake.listen());
	afterEach(() => fake.reset());
	afterAll(() => fake.close());

	it('answers the decision, the package document, and undefined for anything else', async () => {
		const decision = await data('q2c/revops/contract_activation/decision');
		expect(decision.status).toBe(200);
		expect(decision.data.result).toMatchObject({ allow: false, blocking_issues: ['contract_not_signed', 'missing_receipt:contract.signed', 'jurisdiction_missing'] });
		const pkg = await data('q2c/revops/contract_activation');
		expect(pkg.data).toEqual({ result: { decision: decision.data.result } });
		for (const path of ['q2c/revops/contract_activation/trace', 'q2c/revops/nope/decision', 'other/contract_activation/decision', 'q2c/revops/contract_activation/decision/x']) {
			expect((await data(path)).data).toEqual({});
		}
		expect((await data('q2c/revops/contract_activation/decision', {})).data).toEqual({});
		expect(fake.calls.map((c: { path: string }) => c.path)[0]).toBe('q2c/revops/contract_activation/decision');
	});

	it('answers OPA-shaped errors for bad bodies and engine failures', async () => {
		const notJson = await http.post(`${fake.url}/v1/data/q2c/revops/lead_routing/decision`, '{oops', { headers: { 'Content-Type': 'application/json' } });
		expect(notJson.status).toBe(400);
		expect(notJson.data.code).toBe('invalid_parameter');
		expect((await data('q2c/revops/lead_routing/decision', [1])).status).toBe(400);
		const failing = await data('q2c/revops/lead_routing/decision', { input: { attributes: { lead: {} }, config } });
		expect(failing.status).toBe(500);
		expect(failing.data).toMatchObject({ code: 'internal_error' });
		expect(failing.data.message).toContain('lead.id');
	});

	it('switches modes over HTTP, for a number of requests or until changed', async () => {
		expect(OPA_FAKE_MODES).toEqual(['ok', 'undefined', 'error', 'down', 'slow', 'malformed']);
		expect((await http.post(`${fake.url}/__sandbox/mode`, { mode: 'bogus' })).status).toBe(400);
		expect((await http.post(`${fake.url}/__sandbox/mode`, { mode: 'error', times: 0 })).status).toBe(400);
		expect((await http.post(`${fake.url}/__sandbox/mode`, { mode: 'error', times: 1 })).data).toMatchObject({ mode: 'error', times: 1 });
		expect((await http.get(`${fake.url}/health`)).status).toBe(500);
		expect((await data('q2c/revops/contract_activation/decision')).status).toBe(500);
		expect((await data('q2c/revops/contract_activation/decision')).status).toBe(200);
		expect((await http.get(`${fake.url}/health`)).status).toBe(200);

		fake.setMode('malformed');
		const malformed = await data('q2c/revops/contract_activation/decision');
		expect(malformed.data.result).not.toHaveProperty('allow');
		expect(malformed.data.result).toHaveProperty('blocking_issues');

		fake.setMode('slow', { delayMs: 150 });
		const started = Date.now();
		expect((await data('q2c/revops/contract_activation/decision')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		fake.setMode('down', { times: 1 });
		expect(fake.mode.mode).toBe('down');
		await expect(http.get(`${fake.url}/health`)).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(fake.mode.mode).toBe('ok');
		expect((await http.get(`${fake.url}/health`)).status).toBe(200);

		const calls = await http.get(`${fake.url}/__sandbox/calls`);
		expect(calls.data.calls.map((c: { mode: string }) => c.mode)).toEqual(['error', 'ok', 'malformed', 'slow']);
		expect((await http.get(`${fake.url}/__sandbox/state`)).data.state).toMatchObject({ mode: 'ok', calls: 4 });
	});

	it('keeps, shows and deletes policy modules; reset clears them', async () => {
		expect((await http.put(`${fake.url}/v1/policies/a/b.rego`, 'package a.b\n', { headers: { 'Content-Type': 'text/plain' } })).status).toBe(200);
		expect((await http.get(`${fake.url}/v1/policies/a/b.rego`)).data.result).toEqual({ id: 'a/b.rego', raw: 'package a.b\n' });
		expect((await http.delete(`${fake.url}/v1/policies/a/b.rego`)).status).toBe(200);
		expect((await http.get(`${fake.url}/v1/policies/a/b.rego`)).status).toBe(404);
		await http.put(`${fake.url}/v1/policies/c.rego`, 'package c\n', { headers: { 'Content-Type': 'text/plain' } });
		fake.reset();
		expect(fake.policies.size).toBe(0);
		expect((await http.get(`${fake.url}/v1/nothing`)).data).toMatchObject({ code: 'resource_not_found' });
	});

	it('starts in a mode given as an option', async () => {
		const down = createOpaFake({ mode: 'undefined' });
		await down.listen();
		try {
			expect((await http.post(`${down.url}/v1/data/x`, { input: {} })).data).toEqual({});
			expect(down.mode).toMatchObject({ mode: 'undefined', times: null });
		} finally {
			await down.close();
		}
	});
});
