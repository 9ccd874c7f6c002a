/**
 * The pieces behind the fakes' own schemas and the optional vendor-spec layer: the apiDoc builder, the
 * conformance comparer (on small specs written here, so it runs without any vendor file) and the layer switch.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { api, op, obj, req, str, int, oneOf, arr, map, anyOf, newer } = require('../../sandbox/core/apiDoc');
const { compareApis } = require('../../sandbox/core/conformance');
const { createValidator } = require('../../sandbox/core/openapi');
const vendorSpecs = require('../../sandbox/core/vendorSpecs');

/** A vendor spec the way vendors write them: $refs, anyOf for "emptyable" fields, allOf, open objects. */
const vendor = {
	openapi: '3.0.0',
	paths: {
		'/v1/widgets': {
			post: {
				requestBody: {
					content: {
						'application/x-www-form-urlencoded': {
							schema: {
								type: 'object',
								required: ['name'],
								properties: {
									name: { type: 'string', maxLength: 50 },
									size: { type: 'integer' },
									color: { type: 'string', enum: ['red', 'blue'] },
									parts: { type: 'array', items: { $ref: '#/components/schemas/part' } },
									metadata: { anyOf: [{ type: 'object', additionalProperties: { type: 'string' } }, { type: 'string', enum: [''] }] },
									extra: { type: 'object' },
								},
							},
						},
					},
				},
			},
			get: { parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'owner', in: 'query', required: true, schema: { type: 'string' } }] },
		},
		'/v1/widgets/{widget}': { get: { parameters: [{ name: 'widget', in: 'path', required: true, schema: { type: 'string' } }] } },
	},
	components: {
		schemas: { part: { allOf: [{ type: 'object', properties: { sku: { type: 'string' } } }, { properties: { qty: { type: 'number' } }, required: ['sku'] }] } },
	},
};

const good = () =>
	api({
		'POST /v1/widgets': op({
			form: {
				name: req(str()),
				size: int(),
				color: oneOf('red'),
				parts: arr(obj({ sku: req(str()), qty: int() })),
				metadata: anyOf(map(str()), oneOf('')),
				extra: map(),
			},
		}),
		'GET /v1/widgets': op({ query: { limit: int(), owner: req(str()) } }),
		'GET /v1/widgets/{id}': op({ path: { id: str() } }),
	});

describe('compareApis (own schema vs a vendor spec)', () => {
	it('finds no mismatch where ours is a faithful subset: refs, allOf, anyOf branches, integer for number, open objects', () => {
		const report = compareApis(good(), vendor);
		expect(report.mismatches).toEqual([]);
		expect([...report.compared].sort()).toEqual(['GET /v1/widgets', 'GET /v1/widgets/{id}', 'POST /v1/widgets']);
	});

	it('names each kind of drift: unknown field, wrong type, foreign enum value, a requirement we miss, a missing endpoint', () => {
		const drifted = api({
			'POST /v1/widgets': op({ form: { name: str(), size: str(), color: oneOf('red', 'green'), parts: arr(obj({ sku: req(str()), weight: int() })) } }),
			'GET /v1/widgets': op({ query: { limit: int(), colour: str() } }),
			'DELETE /v1/widgets/{id}': op({ path: { id: str() } }),
		});
		const { mismatches } = compareApis(drifted, vendor);
		expect(mismatches).toEqual(
			expect.arrayContaining([
				'POST /v1/widgets: size: ours is string, the vendor\'s is integer',
				'POST /v1/widgets: color: values green are not among the vendor\'s (red, blue)',
				'POST /v1/widgets: parts[].weight: not in the vendor\'s spec',
				'POST /v1/widgets: name: the vendor requires it, ours does not',
				'GET /v1/widgets: query colour: not in the vendor\'s spec',
				'GET /v1/widgets: query owner: the vendor requires it, ours does not',
				'DELETE /v1/widgets/{id}: the vendor\'s spec has no DELETE /v1/widgets/{}',
			]),
		);
		expect(mismatches).toHaveLength(7);
	});

	it('lists what is newer than the spec file or our own design instead of failing, and fails an own-design claim the vendor documents', () => {
		const own = api({
			'POST /v1/widgets': op({ form: { name: req(str()), coating: newer(str(), 'API 2025-01') } }),
			'POST /v1/gadgets': op({ newerThanSpec: 'API 2025-03', form: { a: str() } }),
			'GET /v1/widgets': op({ query: { owner: req(str()), cursor: newer(str(), 'API 2025-02') } }),
			'PATCH /v1/widgets/{id}': op({ ownDesign: 'status change of our connector', json: obj({ s: str() }) }),
			'GET /v1/widgets/{id}': op({ ownDesign: 'claimed by mistake', path: { id: str() } }),
		});
		const report = compareApis(own, vendor);
		expect(report.notes).toEqual(
			expect.arrayContaining([
				'coating: newer than the spec file (API 2025-01)',
				'GET /v1/widgets: query cursor: newer than the spec file (API 2025-02)',
				'POST /v1/gadgets: newer than the spec file (API 2025-03)',
				'PATCH /v1/widgets/{id}: our own design (status change of our connector)',
			]),
		);
		expect(report.mismatches).toEqual(['GET /v1/widgets/{id}: marked as our own design, but the vendor\'s spec documents GET /v1/widgets/{}']);
	});

	it('maps our request paths onto the vendor\'s (base paths, API versions)', () => {
		const own = api({ 'GET /api/v9/widgets/{w}': op({ path: { w: str() } }) });
		expect(compareApis(own, vendor).mismatches).toHaveLength(1);
		expect(compareApis(own, vendor, { mapPath: (p: string) => p.replace('/api/v9', '/v1') }).mismatches).toEqual([]);
	});
});

describe('apiDoc builder', () => {
	it('builds a document the request validator enforces: required, unknown keys, enums, types', () => {
		const validator = createValidator(good());
		const ok = validator.validateRequest({ method: 'POST', path: '/v1/widgets', rawBody: 'name=a&size=3&parts[0][sku]=x&metadata[k]=v', contentType: 'application/x-www-form-urlencoded' });
		expect(ok.problems).toEqual([]);
		expect(ok.body).toEqual({ name: 'a', size: 3, parts: [{ sku: 'x' }], metadata: { k: 'v' } });
		const bad = (rawBody: string) =>
			validator.validateRequest({ method: 'POST', path: '/v1/widgets', rawBody, contentType: 'application/x-www-form-urlencoded' }).problems.map((p: { message: string }) => p.message);
		expect(bad('size=3')).toEqual(['Missing required param: name.']);
		expect(bad('name=a&shape=round')).toEqual(['Received unknown parameter: shape']);
		expect(bad('name=a&color=blue')).toEqual(['Invalid color: must be one of red']);
		expect(bad('name=a&size=big')).toEqual(['Invalid integer: big']);
		const query = validator.validateRequest({ method: 'GET', path: '/v1/widgets', query: 'limit=2' });
		expect(query.problems.map((p: { message: string }) => p.message)).toEqual(['Missing required param: owner.']);
	});
});

describe('vendor-spec layer switch', () => {
	const saved = process.env.Q2C_VENDOR_SPECS;
	afterEach(() => {
		if (saved === undefined) delete process.env.Q2C_VENDOR_SPECS;
		else process.env.Q2C_VENDOR_SPECS = saved;
	});

	it('is off without Q2C_VENDOR_SPECS: no spec is loaded and the reason says how to turn it on', () => {
		delete process.env.Q2C_VENDOR_SPECS;
		expect(vendorSpecs.specLayerStatus()).toEqual({ on: false, dir: null, reason: expect.stringContaining('Q2C_VENDOR_SPECS') });
		expect(vendorSpecs.loadVendorSpec('stripe', () => ({}))).toBeNull();
	});

	it('refuses a spec file that is missing or not the pinned revision, naming the file and both hashes', () => {
		const dir = mkdtempSync(join(tmpdir(), 'q2c-specs-'));
		process.env.Q2C_VENDOR_SPECS = dir;
		expect(() => vendorSpecs.vendorSpecFile('vendastaMarketplace')).toThrow(/has no vendasta-marketplace-api\.yaml/);
		writeFileSync(join(dir, 'vendasta-marketplace-api.yaml'), 'openapi: 3.0.0\n');
		expect(() => vendorSpecs.vendorSpecFile('vendastaMarketplace')).toThrow(/SHA-256 [0-9a-f]{64}, not the pinned 76c57d21/);
		expect(() => vendorSpecs.vendorSpecFile('nope')).toThrow(/Unknown vendor spec "nope"/);
	});

	it('counts every check and keeps the first problems as evidence', () => {
		const before = vendorSpecs.specLayerReport().stats.testOnly?.checked ?? 0;
		vendorSpecs.recordCheck('testOnly', null);
		vendorSpecs.recordCheck('testOnly', 'POST /x: Received unknown parameter: y');
		const after = vendorSpecs.specLayerReport().stats.testOnly;
		expect(after.checked - before).toBe(2);
		expect(after.rejected).toBeGreaterThanOrEqual(1);
		expect(after.problems).toContain('POST /x: Received unknown parameter: y');
	});
});
