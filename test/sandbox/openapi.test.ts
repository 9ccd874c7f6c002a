 
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { decodeForm, encodeForm } = require('../../sandbox/core/form');
const { loadSpec, createValidator } = require('../../sandbox/core/openapi');
const { ownApi } = require('../../sandbox/stripe/api');

const FORM = 'application/x-www-form-urlencoded';

describe('bracket-notation form decoding', () => {
	it('builds nested objects, indexed items, pushed arrays and repeated keys', () => {
		const decoded = decodeForm('items[0][price]=p1&items[0][quantity]=2&items[1][price_data][recurring][interval]=month&metadata[key]=v%20w&expand[]=a&expand[]=b&tag=x&tag=y');
		expect(decoded).toEqual({
			items: { 0: { price: 'p1', quantity: '2' }, 1: { price_data: { recurring: { interval: 'month' } } } },
			metadata: { key: 'v w' },
			expand: ['a', 'b'],
			tag: ['x', 'y'],
		});
	});

	it('keeps a key named __proto__ as data instead of polluting prototypes', () => {
		const decoded = decodeForm('__proto__[polluted]=yes&metadata[__proto__]=1');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(decoded)).toEqual(['__proto__', 'metadata']);
	});

	it('round-trips with encodeForm', () => {
		const data = { customer: 'cus_1', items: [{ price: 'p', quantity: 3 }], metadata: { a: 'b c' } };
		expect(decodeForm(encodeForm(data))).toEqual({ customer: 'cus_1', items: { 0: { price: 'p', quantity: '3' } }, metadata: { a: 'b c' } });
	});
});

// The Stripe fake's own API description (sandbox/stripe/api.js); cases against Stripe's published spec are in
// stripe.vendor-spec.test.ts.
describe('OpenAPI validation against the Stripe fake’s own API description', () => {
	const validator = createValidator(ownApi, { queryAsBody: ['DELETE'] });
	const post = (p: string, body: string) => validator.validateRequest({ method: 'POST', path: p, rawBody: body, contentType: FORM });

	it('matches literal paths before templated ones', () => {
		expect(validator.match('GET', '/v1/customers/search').template).toBe('/v1/customers/search');
		expect(validator.match('GET', '/v1/customers/cus_123')).toMatchObject({ template: '/v1/customers/{customer}', pathParams: { customer: 'cus_123' } });
		expect(validator.match('PATCH', '/v1/customers')).toBeNull();
	});

	it('accepts a well-formed subscription create and coerces form strings to the schema types', () => {
		const result = post('/v1/subscriptions', 'customer=cus_1&items[0][price]=price_1&items[0][quantity]=2&off_session=true&metadata[contract]=c-1&trial_end=now&expand[0]=latest_invoice');
		expect(result.problems).toEqual([]);
		expect(result.body).toEqual({ customer: 'cus_1', items: [{ price: 'price_1', quantity: 2 }], off_session: true, metadata: { contract: 'c-1' }, trial_end: 'now', expand: ['latest_invoice'] });
	});

	it('reports unknown parameters at the top level and nested, with bracket names', () => {
		const result = post('/v1/subscriptions', 'customer=cus_1&colour=red&items[0][price]=p&items[0][prise]=x&items[1][price_data][currency]=usd&items[1][price_data][product]=prod_1&items[1][price_data][recurring][interval]=month&items[1][price_data][recurring][every]=2');
		expect(result.problems).toEqual([
			{ param: 'colour', code: 'parameter_unknown', message: 'Received unknown parameter: colour' },
			{ param: 'items[0][prise]', code: 'parameter_unknown', message: 'Received unknown parameter: items[0][prise]' },
			{ param: 'items[1][price_data][recurring][every]', code: 'parameter_unknown', message: 'Received unknown parameter: items[1][price_data][recurring][every]' },
		]);
	});

	it('reports wrong types, bad enums and missing required params', () => {
		const result = post('/v1/subscriptions', 'items[0][quantity]=two&off_session=maybe&payment_behavior=whenever&items[0][price_data][currency]=usd');
		expect(result.problems).toEqual(
			expect.arrayContaining([
				{ param: 'customer', code: 'parameter_missing', message: 'Missing required param: customer.' },
				{ param: 'items[0][quantity]', code: 'parameter_invalid_integer', message: 'Invalid integer: two' },
				{ param: 'off_session', code: 'parameter_invalid_boolean', message: 'Invalid boolean: maybe' },
				expect.objectContaining({ param: 'payment_behavior', message: expect.stringContaining('must be one of allow_incomplete') }),
				{ param: 'items[0][price_data][product]', code: 'parameter_missing', message: 'Missing required param: items[0][price_data][product].' },
			]),
		);
	});

	it('follows anyOf: metadata may be a map or "" (unset), never a list', () => {
		expect(post('/v1/customers', 'metadata=').problems).toEqual([]);
		expect(post('/v1/customers', 'metadata[a]=1').problems).toEqual([]);
		expect(post('/v1/customers', 'metadata[a][b]=1').problems).toEqual([{ param: 'metadata[a]', code: 'parameter_invalid_string', message: 'Invalid string: {"b":"1"}' }]);
		expect(post('/v1/customers', 'balance=').problems[0]).toMatchObject({ param: 'balance', code: 'parameter_invalid_empty' });
	});

	it('validates query parameters: unknown, type, required, and deepObject arrays', () => {
		const search = (q: string) => validator.validateRequest({ method: 'GET', path: '/v1/customers/search', query: q });
		expect(search("query=metadata['k']:'v'&limit=5")).toMatchObject({ problems: [], query: { query: "metadata['k']:'v'", limit: 5 } });
		expect(search('limit=lots&sort=name').problems).toEqual([
			{ param: 'limit', code: 'parameter_invalid_integer', message: 'Invalid integer: lots' },
			{ param: 'sort', code: 'parameter_unknown', message: 'Received unknown parameter: sort' },
			{ param: 'query', code: 'parameter_missing', message: 'Missing required param: query.' },
		]);
		const prices = validator.validateRequest({ method: 'GET', path: '/v1/prices', query: 'lookup_keys[0]=a&lookup_keys[1]=b&active=true' });
		expect(prices).toMatchObject({ problems: [], query: { lookup_keys: ['a', 'b'], active: true } });
	});

	it('reads DELETE query parameters as the documented form body (stripe-node sends them in the query)', () => {
		const ok = validator.validateRequest({ method: 'DELETE', path: '/v1/subscriptions/sub_1', query: 'invoice_now=true&cancellation_details[comment]=x' });
		expect(ok).toMatchObject({ problems: [], body: { invoice_now: true, cancellation_details: { comment: 'x' } } });
		const bad = validator.validateRequest({ method: 'DELETE', path: '/v1/subscriptions/sub_1', query: 'refund=all' });
		expect(bad.problems).toEqual([{ param: 'refund', code: 'parameter_unknown', message: 'Received unknown parameter: refund' }]);
	});

	it('requires subscription items, and takes what newer API versions add (invoice item metadata, invoice payments)', () => {
		expect(post('/v1/subscriptions', 'customer=cus_1').problems).toEqual([{ param: 'items', code: 'parameter_missing', message: 'Missing required param: items.' }]);
		expect(post('/v1/subscriptions', 'customer=cus_1&items[0][price]=p&add_invoice_items[0][price]=p2&add_invoice_items[0][metadata][q2c_sku]=SETUP').problems).toEqual([]);
		const payments = (q: string) => validator.validateRequest({ method: 'GET', path: '/v1/invoice_payments', query: q });
		expect(payments('invoice=in_1&status=paid&limit=10')).toMatchObject({ problems: [], query: { invoice: 'in_1', status: 'paid', limit: 10 } });
		expect(payments('payment[payment_intent]=pi_1').problems).toEqual([{ param: 'payment[type]', code: 'parameter_missing', message: 'Missing required param: payment[type].' }]);
	});

	it('rejects parameters an operation does not take, and an unknown URL', () => {
		expect(validator.validateRequest({ method: 'GET', path: '/v1/balance' }).problems).toEqual([]);
		expect(validator.validateRequest({ method: 'GET', path: '/v1/balance', rawBody: 'foo=1', contentType: FORM }).problems).toEqual([
			{ param: 'foo', code: 'parameter_unknown', message: 'Received unknown parameter: foo' },
		]);
		expect(validator.validateRequest({ method: 'GET', path: '/v1/balance', query: 'currency=usd' }).problems[0]).toMatchObject({ code: 'parameter_unknown', param: 'currency' });
		expect(validator.validateRequest({ method: 'GET', path: '/v1/nothing' })).toMatchObject({ match: null, problems: [{ code: 'unrecognized_url' }] });
	});
});

describe('OpenAPI validation of JSON bodies ($ref, oneOf, allOf, nullable, basePath)', () => {
	const spec = {
		openapi: '3.0.0',
		paths: {
			'/tenants/{tenantId}/flags': {
				parameters: [{ in: 'path', name: 'tenantId', required: true, schema: { type: 'integer', minimum: 1 } }],
				put: {
					parameters: [{ in: 'query', name: 'tags', schema: { type: 'array', items: { type: 'string' } } }],
					requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Flags' } } } },
				},
			},
		},
		components: {
			schemas: {
				Flags: {
					allOf: [{ $ref: '#/components/schemas/Base' }],
					type: 'object',
					additionalProperties: false,
					required: ['tier', 'flags'],
					properties: {
						tier: { type: 'string', enum: ['grassroots', 'professional'] },
						note: { type: 'string', nullable: true, maxLength: 5 },
						flags: { type: 'array', maxItems: 2, items: { $ref: '#/components/schemas/Flag' } },
						owner: { oneOf: [{ type: 'string', pattern: '^u_' }, { type: 'integer' }] },
						// An empty to-one link, as HCP Terraform's spec writes it: null, or an object of the allOf's shape.
						parent: { type: 'object', allOf: [{ $ref: '#/components/schemas/Flag' }], nullable: true },
						sibling: { type: 'object', allOf: [{ $ref: '#/components/schemas/Flag' }] },
					},
				},
				Base: { type: 'object' },
				Flag: { type: 'object', required: ['module'], properties: { module: { type: 'string' }, level: { type: 'number' } } },
			},
		},
	};
	const validator = createValidator(spec, { basePath: '/api', paramStyle: 'dot' });
	const put = (body: unknown, p = '/api/tenants/7/flags', query = '') =>
		validator.validateRequest({ method: 'PUT', path: p, query, body, contentType: 'application/json' });

	it('accepts a valid body and coerces path and query parameters', () => {
		const result = put({ tier: 'grassroots', note: null, flags: [{ module: 'crm', level: 1.5 }], owner: 'u_1' }, '/api/tenants/7/flags', 'tags=a');
		expect(result.problems).toEqual([]);
		expect(result.pathParams).toEqual({ tenantId: 7 });
		expect(result.query).toEqual({ tags: ['a'] });
	});

	it('does not coerce JSON scalars and names nested fields with dots', () => {
		const result = put({ tier: 'gold', note: 'too long', flags: [{ level: '2' }, {}, {}], owner: true, extra: 1 }, '/api/tenants/0/flags');
		const params = result.problems.map((p: { param: string }) => p.param);
		expect(params).toEqual(expect.arrayContaining(['tenantId', 'tier', 'note', 'flags.0.module', 'flags.0.level', 'flags', 'owner', 'extra']));
	});

	it('admits null for a nullable composed schema, and only for it', () => {
		expect(put({ tier: 'grassroots', flags: [], parent: null }).problems).toEqual([]);
		expect(put({ tier: 'grassroots', flags: [], parent: {} }).problems.map((p: { param: string }) => p.param)).toEqual(['parent.module']);
		const notNullable = put({ tier: 'grassroots', flags: [], sibling: null }).problems;
		expect([...new Set(notNullable.map((p: { param: string }) => p.param))]).toEqual(['sibling']);
	});

	it('requires the body and rejects other content types', () => {
		expect(validator.validateRequest({ method: 'PUT', path: '/api/tenants/1/flags' }).problems).toEqual([{ param: '', code: 'parameter_missing', message: 'Missing request body.' }]);
		expect(validator.validateRequest({ method: 'PUT', path: '/api/tenants/1/flags', rawBody: 'a=1', contentType: FORM }).problems[0].code).toBe('invalid_content_type');
	});
});

describe('loadSpec cache', () => {
	it('writes the parsed YAML as JSON keyed by content hash and reads it back', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'q2c-spec-'));
		const file = path.join(dir, 'tiny.yaml');
		fs.writeFileSync(file, 'openapi: 3.0.0\npaths:\n  /x:\n    get: {}\n');
		const cacheDir = path.join(dir, 'cache');
		expect(loadSpec(file, { cacheDir })).toEqual({ openapi: '3.0.0', paths: { '/x': { get: {} } } });
		const cached = fs.readdirSync(cacheDir);
		expect(cached).toHaveLength(1);
		// A doctored cache entry proves the second load reads the cache, not the YAML.
		fs.writeFileSync(path.join(cacheDir, cached[0]), JSON.stringify({ openapi: 'from-cache' }));
		expect(loadSpec(file, { cacheDir })).toEqual({ openapi: 'from-cache' });
		expect(loadSpec(file, { cacheDir: false })).toEqual({ openapi: '3.0.0', paths: { '/x': { get: {} } } });
		fs.rmSync(dir, { recursive: true, force: true });
	});
});
