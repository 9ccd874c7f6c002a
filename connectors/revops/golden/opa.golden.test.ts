import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decisionSchemas, normaliseAttributes } from '../attributes';
import { createBuiltinEngine } from '../builtin';
import { configVersion } from '../config';
import { createOpaEngine, loadPolicies, opaAvailable, POLICY_DIR, policyModules, startOpaServer, type RunningOpa } from '../opa';
import { goldenCases, resolveGoldenConfig, type GoldenCase } from './cases';
const { createOpaFake, revopsDecide } = require('../../../sandbox/opa');

const rows = goldenCases.map((c) => [c.name, c] as const);

async function expectGolden(engine: ReturnType<typeof createOpaEngine>, c: GoldenCase): Promise<void> {
	const config = resolveGoldenConfig(c.config);
	const result = await engine.evaluate(c.kind, c.attributes, config);
	expect(result.decision).toStrictEqual(c.expected);
	expect(decisionSchemas[c.kind].parse(result.decision)).toEqual(c.expected);
	expect(result).toMatchObject({ kind: c.kind, engine: 'opa', config_version: configVersion(config) });
}

describe('golden table over HTTP: OPA engine → OPA fake answering with the built-in engine', () => {
	const token = 'golden-opa-token-8d2f';
	const fake = createOpaFake({ decide: revopsDecide(createBuiltinEngine()), token });
	let engine: ReturnType<typeof createOpaEngine>;

	beforeAll(async () => {
		await fake.listen();
		engine = createOpaEngine({ baseUrl: fake.url, token });
	});
	afterAll(() => fake.close());

	it.each(rows)('%s', async (_name, c) => {
		const before = fake.calls.length;
		await expectGolden(engine, c);
		// Exactly one request, carrying the normalised attributes and the parsed config as OPA's input.
		expect(fake.calls).toHaveLength(before + 1);
		const call = fake.calls[before];
		const config = resolveGoldenConfig(c.config);
		expect(call).toMatchObject({ path: `q2c/revops/${c.kind}/decision`, auth: 'bearer', status: 200 });
		expect(call.input).toEqual(JSON.parse(JSON.stringify({ attributes: normaliseAttributes(c.kind, c.attributes, config), config })));
	});
});

// The Rego tests (`opa test connectors/revops/policies`) replay golden cases; they must not drift from the table.
describe('Rego policy bundle stays in step with the golden table', () => {
	const rego = (file: string) => readFileSync(join(POLICY_DIR, file), 'utf8');

	it("ships the seed's five modules, and each decision module exposes decision in package q2c.revops.<kind>", () => {
		expect(policyModules().map((m) => m.id)).toEqual(
			['contract_activation', 'discount_approvals', 'lead_routing', 'segment_definitions', 'tenant_overrides'].map((name) => `q2c-revops/${name}.rego`),
		);
		for (const kind of ['lead_routing', 'discount_approvals', 'contract_activation']) {
			const text = rego(`${kind}.rego`);
			expect(text).toMatch(new RegExp(`^package q2c\\.revops\\.${kind}$`, 'm'));
			expect(text).toMatch(/^import rego\.v1$/m);
			expect(text).toMatch(/^decision := /m);
		}
	});

	it('fixtures_test.rego holds the shipped profiles exactly as the engine sends them', () => {
		const text = rego('fixtures_test.rego');
		for (const profile of ['default', 'smb', 'enterprise']) {
			const line = new RegExp(`^${profile}_config := (.*)$`, 'm').exec(text);
			expect(line).not.toBeNull();
			expect(JSON.parse((line as RegExpExecArray)[1])).toEqual(JSON.parse(JSON.stringify(resolveGoldenConfig(profile))));
		}
	});

	it.each(['lead_routing', 'discount_approvals', 'contract_activation'])('%s_test.rego replays golden cases with their normalised attributes and expected decisions', (kind) => {
		const text = rego(`${kind}_test.rego`);
		const tests = [...text.matchAll(/^test_(\w+) if \{\n\tattributes := (.*)\n\tresult := (\w+)\.decision with input as \{"attributes": attributes, "config": fixtures\.(\w+)_config\}\n\tresult == (.*)\n\}$/gm)];
		expect(tests.length).toBeGreaterThanOrEqual(10);
		expect(tests.length).toBe([...text.matchAll(/^test_/gm)].length);
		for (const [, name, attributes, module, profile, expected] of tests) {
			const c = goldenCases.find((g) => g.name === name);
			expect(c).toBeDefined();
			const golden = c as GoldenCase;
			expect([golden.kind, module, golden.config]).toEqual([kind, kind, profile]);
			expect(JSON.parse(attributes)).toEqual(JSON.parse(JSON.stringify(normaliseAttributes(golden.kind, golden.attributes, resolveGoldenConfig(profile)))));
			expect(JSON.parse(expected)).toEqual(golden.expected);
		}
	});
});

// A real OPA runs only where one exists (Q2C_OPA_URL, or an `opa` binary on PATH); say so when it does not.
const availability = opaAvailable();
if (availability.how === null) {
	console.log(`OPA not available (${availability.reason}): real-OPA golden run skipped`);
	describe.skip(`golden table against a real OPA loaded with connectors/revops/policies — skipped: ${availability.reason}`, () => {
		it.each(rows)('%s', () => undefined);
	});
} else {
	describe(`golden table against a real OPA (${availability.reason}) loaded with connectors/revops/policies`, () => {
		let running: RunningOpa | undefined;
		let engine: ReturnType<typeof createOpaEngine>;

		beforeAll(async () => {
			const token = process.env.Q2C_OPA_TOKEN || undefined;
			if (availability.how === 'binary') {
				running = await startOpaServer(availability.binary);
				engine = createOpaEngine({ baseUrl: running.url, timeoutMs: 10_000 });
			} else {
				await loadPolicies(availability.url, { token });
				engine = createOpaEngine({ baseUrl: availability.url, token, timeoutMs: 10_000 });
			}
		});
		afterAll(() => running?.stop());

		it.each(rows)('%s', async (_name, c) => {
			await expectGolden(engine, c);
		});
	});
}
