import { createBuiltinEngine } from '../builtin';
import { configVersion } from '../config';
import { decisionSchemas } from '../attributes';
import { goldenCases, resolveGoldenConfig } from './cases';

const engine = createBuiltinEngine({ now: () => new Date('2025-03-01T00:00:00Z') });

describe('golden table (built-in engine)', () => {
	it('has unique case names and at least 40 cases', () => {
		expect(goldenCases.length).toBeGreaterThanOrEqual(40);
		expect(new Set(goldenCases.map((c) => c.name)).size).toBe(goldenCases.length);
	});

	it('keeps every case plain JSON, so another engine can replay it', () => {
		for (const c of goldenCases) expect(JSON.parse(JSON.stringify(c))).toEqual(c);
	});

	it.each(goldenCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const config = resolveGoldenConfig(c.config);
		const result = await engine.evaluate(c.kind, c.attributes, config);
		// toStrictEqual: no extra keys and no `undefined` placeholders in the decision.
		expect(result.decision).toStrictEqual(c.expected);
		expect(decisionSchemas[c.kind].parse(result.decision)).toEqual(c.expected);
		expect(result.engine).toBe('builtin');
		expect(result.kind).toBe(c.kind);
		expect(result.config_version).toBe(configVersion(config));
		expect(result.evaluated_at).toBe('2025-03-01T00:00:00.000Z');
		expect(result.trace.length).toBeGreaterThan(0);
	});
});
