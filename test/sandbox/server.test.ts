 
import http from 'node:http';

const { createSandboxServer } = require('../../sandbox/core/server');

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: any };

/** Plain node:http so dropped sockets and timeouts surface as they would to any client. */
function request(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = http.request(`${base}${path}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let parsed: unknown = text;
				try {
					parsed = JSON.parse(text);
				} catch {
					/* text body */
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
			});
		});
		req.setTimeout(timeoutMs, () => req.destroy(new Error('client timeout')));
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

describe('sandbox server framework', () => {
	let app: any;
	let base: string;
	let items: Record<string, unknown>[] = [];

	beforeAll(async () => {
		app = createSandboxServer({
			name: 'demo',
			state: () => ({ items }),
			reset: () => {
				items = [];
			},
			faultBody: (status: number) => ({ vendorError: status }),
		});
		app.route('POST', '/items', (req: any) => {
			items.push(req.body);
			return { status: 201, body: { created: req.body, raw: req.rawBody } };
		});
		app.route('GET', '/items/{id}', (req: any) => ({ body: { id: req.params.id, query: req.query } }));
		app.route('POST', '/form', (req: any) => ({ body: req.body }));
		app.route('GET', '/boom', () => {
			throw new Error('handler broke');
		});
		({ url: base } = await app.listen());
	});
	afterAll(() => app.close());
	beforeEach(() => request(base, 'POST', '/__sandbox/reset'));

	it('listens on 127.0.0.1, routes with path params, parses JSON and form bodies keeping the raw body', async () => {
		expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const created = await request(base, 'POST', '/items', '{"name":"a"}');
		expect(created).toMatchObject({ status: 201, body: { created: { name: 'a' }, raw: '{"name":"a"}' } });
		expect((await request(base, 'GET', '/items/it%201?tags[]=x&n=1')).body).toEqual({ id: 'it 1', query: { tags: ['x'], n: '1' } });
		const form = await request(base, 'POST', '/form', 'a[b]=1&c[]=2', { 'content-type': 'application/x-www-form-urlencoded' });
		expect(form.body).toEqual({ a: { b: '1' }, c: ['2'] });
		expect((await request(base, 'GET', '/nowhere')).status).toBe(404);
		expect(await request(base, 'GET', '/boom')).toMatchObject({ status: 500, body: { error: 'handler broke' } });
	});

	it('exposes state and every request received, without the Authorization header', async () => {
		await request(base, 'POST', '/items', '{"name":"b"}', { authorization: 'Bearer secret-token', 'x-trace': 't1' });
		expect((await request(base, 'GET', '/__sandbox/state')).body).toEqual({ name: 'demo', state: { items: [{ name: 'b' }] } });
		const log = (await request(base, 'GET', '/__sandbox/requests?method=POST&path=/items')).body.requests;
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'POST', path: '/items', route: 'POST /items', body: { name: 'b' }, rawBody: '{"name":"b"}', status: 201 });
		expect(log[0].headers['x-trace']).toBe('t1');
		expect(log[0].headers.authorization).toBeUndefined();
		expect(JSON.stringify(log)).not.toContain('secret-token');
		await request(base, 'POST', '/__sandbox/reset');
		expect((await request(base, 'GET', '/__sandbox/requests')).body.requests).toEqual([]);
		expect((await request(base, 'GET', '/__sandbox/state')).body.state).toEqual({ items: [] });
	});

	it('injects 429 with Retry-After for a given number of requests on a templated route, then recovers', async () => {
		const added = await request(base, 'POST', '/__sandbox/faults', JSON.stringify({ route: 'GET /items/{id}', times: 2, fault: { status: 429, retryAfter: 3 } }));
		expect(added.status).toBe(201);
		const first = await request(base, 'GET', '/items/1');
		expect(first).toMatchObject({ status: 429, body: { vendorError: 429 } });
		expect(first.headers['retry-after']).toBe('3');
		expect((await request(base, 'GET', '/items/2')).status).toBe(429);
		expect((await request(base, 'GET', '/items/3')).status).toBe(200);
		const log = (await request(base, 'GET', '/__sandbox/requests')).body.requests;
		expect(log.map((r: any) => r.status)).toEqual([429, 429, 200]);
		expect(log[0].fault).toEqual({ status: 429, retryAfter: 3 });
	});

	it('injects 5xx with a custom body until cleared, per route only', async () => {
		await request(base, 'POST', '/__sandbox/faults', JSON.stringify({ route: 'POST /items', fault: { status: 503, body: { down: true } } }));
		for (let i = 0; i < 3; i++) expect(await request(base, 'POST', '/items', '{}')).toMatchObject({ status: 503, body: { down: true } });
		expect((await request(base, 'GET', '/items/1')).status).toBe(200);
		expect((await request(base, 'GET', '/__sandbox/state')).body.state.items).toEqual([]); // the route never ran
		await request(base, 'POST', '/__sandbox/faults/clear', '{}');
		expect((await request(base, 'POST', '/items', '{}')).status).toBe(201);
	});

	it('runs a request and then loses its answer (dropResponse)', async () => {
		app.addFaults({ route: 'POST /items', times: 1, fault: { dropResponse: true } });
		await expect(request(base, 'POST', '/items', '{}')).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect((await request(base, 'GET', '/__sandbox/state')).body.state.items).toHaveLength(1); // the route ran
		expect(app.requests.at(-1)).toMatchObject({ status: 201, fault: { dropResponse: true } });
	});

	it('drops the connection, holds a request open (timeout), and adds latency', async () => {
		app.addFaults([
			{ route: 'GET /items/drop', times: 1, fault: { drop: true } },
			{ route: 'GET /items/hang', times: 1, fault: { timeout: true } },
			{ route: 'GET /items/slow', times: 1, fault: { latencyMs: 150 } },
		]);
		await expect(request(base, 'GET', '/items/drop')).rejects.toThrow(/socket hang up|ECONNRESET/);
		await expect(request(base, 'GET', '/items/hang', undefined, {}, 300)).rejects.toThrow('client timeout');
		const started = Date.now();
		expect((await request(base, 'GET', '/items/slow')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(app.faults).toEqual([]);
	});

	it('matches wildcard and prefix rules, lists and clears them, and rejects malformed rules', async () => {
		await request(base, 'POST', '/__sandbox/faults', JSON.stringify([{ route: '* /items/*', fault: { status: 500 } }, { route: 'DELETE *', fault: { status: 418 } }]));
		expect((await request(base, 'GET', '/__sandbox/faults')).body.faults).toHaveLength(2);
		expect((await request(base, 'GET', '/items/9')).status).toBe(500);
		expect((await request(base, 'POST', '/items', '{}')).status).toBe(201);
		await request(base, 'DELETE', '/__sandbox/faults?route=*%20/items/*');
		expect((await request(base, 'GET', '/items/9')).status).toBe(200);
		const bad = await request(base, 'POST', '/__sandbox/faults', JSON.stringify({ route: 'GET /x' }));
		expect(bad.status).toBe(400);
		await request(base, 'DELETE', '/__sandbox/faults');
		expect((await request(base, 'GET', '/__sandbox/faults')).body.faults).toEqual([]);
	});

	it('listens on a given port and closes even with a request held open', async () => {
		const other = createSandboxServer({ name: 'other' });
		other.route('GET', '/x', () => ({ body: 'ok' }));
		const probe = createSandboxServer({ name: 'probe' });
		const { port } = await probe.listen();
		await probe.close();
		await other.listen(port);
		expect(other.url).toBe(`http://127.0.0.1:${port}`);
		other.addFaults({ route: 'GET /x', fault: { timeout: true } });
		const held = request(other.url, 'GET', '/x').catch((e: Error) => e);
		await new Promise((r) => setTimeout(r, 50));
		await other.close();
		expect(String(await held)).toMatch(/socket hang up|ECONNRESET/);
	});
});
