// @ts-check
'use strict';

const http = require('node:http');
const { decodeBody } = require('./openapi');
const { createFaultRegistry } = require('./faults');

/**
 * A tiny loopback HTTP framework shared by every fake vendor: routes with `{param}` templates, body parsing that
 * keeps the raw body (signatures need it), per-route fault injection, a request log and state inspection under
 * `/__sandbox/*`.
 *
 * @typedef {object} SandboxRequest
 * @property {string} method
 * @property {string} path path without query string
 * @property {string} rawQuery query string without `?`
 * @property {Record<string, unknown>} query bracket-decoded query
 * @property {http.IncomingHttpHeaders} headers
 * @property {string} rawBody
 * @property {unknown} body parsed by Content-Type (form → nested object, JSON → value, else the text)
 * @property {Error | undefined} bodyError set when the body could not be parsed (e.g. malformed JSON)
 * @property {Record<string, string>} params path parameters of the matched route
 * @property {string | null} route matched route key, e.g. `POST /v1/customers/{id}`
 * @property {Record<string, unknown>} locals scratch space for hooks (e.g. validated values; `responseHeaders` are
 *   added to whatever answer the request gets)
 *
 * @typedef {{ status?: number, headers?: Record<string, string | number>, body?: unknown }} SandboxResponse
 * @typedef {(req: SandboxRequest) => SandboxResponse | undefined | void | Promise<SandboxResponse | undefined | void>} Handler

 */

const ADMIN_PREFIX = '/__sandbox/';
const HIDDEN_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * @param {string} template `/v1/customers/{id}` or `/v1/customers/:id`
 */
function compileTemplate(template) {
	/** @type {string[]} */
	const names = [];
	const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}|:([A-Za-z_][\w]*)/g, (_m, a, b) => {
		names.push(a || b);
		return '([^/]+)';
	});
	return { regex: new RegExp(`^${source}/?$`), names };
}

/**
 * @template [S=null] what `state()` returns (null when the fake has no state function)
 * @param {{ name: string, state?: () => S, reset?: () => void, faultBody?: (status: number, req: SandboxRequest) => unknown,
 *   notFound?: Handler, onError?: (error: unknown, req: SandboxRequest) => SandboxResponse, maxRequests?: number }} options
 *   faultBody shapes injected error bodies like the vendor would; maxRequests bounds the request log (default 5000).
 */
function createSandboxServer(options) {
	/** @type {{ method: string, template: string, key: string, regex: RegExp, names: string[], handler: Handler, admin: boolean }[]} */
	const routes = [];
	/** @type {Handler[]} */
	const hooks = [];
	const faults = createFaultRegistry();
	/** @type {Record<string, unknown>[]} */
	let requests = [];
	let sequence = 0;
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	const maxRequests = options.maxRequests || 5000;

	/**
	 * @param {string} method
	 * @param {string} template
	 * @param {Handler} handler
	 */
	function route(method, template, handler) {
		const { regex, names } = compileTemplate(template);
		const upper = method.toUpperCase();
		routes.push({ method: upper, template, key: `${upper} ${template}`, regex, names, handler, admin: template.startsWith(ADMIN_PREFIX) });
		return app;
	}

	/** Run before every non-admin route (after faults); a hook that returns a response ends the request. @param {Handler} hook */
	function before(hook) {
		hooks.push(hook);
		return app;
	}

	/**
	 * @param {string} method
	 * @param {string} path
	 */
	function findRoute(method, path) {
		for (const candidate of routes) {
			if (candidate.method !== method && candidate.method !== '*') continue;
			const found = candidate.regex.exec(path);
			if (!found) continue;
			/** @type {Record<string, string>} */
			const params = {};
			candidate.names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1])));
			return { route: candidate, params };
		}
		return null;
	}

	/**
	 * @param {http.ServerResponse} res
	 * @param {SandboxResponse} response
	 */
	function send(res, response) {
		if (res.headersSent || res.destroyed) return;
		const headers = { ...(response.headers || {}) };
		let payload = '';
		if (response.body !== undefined) {
			if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) payload = /** @type {string} */ (response.body);
			else {
				payload = JSON.stringify(response.body, null, 2);
				if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
			}
		}
		res.writeHead(response.status || 200, headers);
		res.end(payload);
	}

	/** @param {number} ms */
	const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function handle(req, res) {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url || '/', 'http://sandbox.local');
		const method = (req.method || 'GET').toUpperCase();
		const found = findRoute(method, url.pathname);
		/** @type {SandboxRequest} */
		const request = {
			method,
			path: url.pathname,
			rawQuery: url.search.replace(/^\?/, ''),
			query: /** @type {Record<string, unknown>} */ (decodeBody(url.search.replace(/^\?/, ''), 'application/x-www-form-urlencoded')),
			headers: req.headers,
			rawBody,
			body: undefined,
			bodyError: undefined,
			params: found ? found.params : {},
			route: found ? found.route.key : null,
			locals: {},
		};
		try {
			request.body = rawBody ? decodeBody(rawBody, String(req.headers['content-type'] || '')) : undefined;
		} catch (error) {
			request.bodyError = /** @type {Error} */ (error);
		}
		const admin = url.pathname.startsWith(ADMIN_PREFIX);
		/** @type {Record<string, unknown> | null} */
		let record = null;
		if (!admin) {
			const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HIDDEN_HEADERS.has(name)));
			record = { seq: ++sequence, at: new Date().toISOString(), method, path: url.pathname, query: request.query, route: request.route, headers, rawBody, body: request.body };
			requests.push(record);
			if (requests.length > maxRequests) requests = requests.slice(-maxRequests);
		}
		let loseAnswer = false;
		const respond = (/** @type {SandboxResponse} */ response) => {
			if (record) record.status = response.status || 200;
			// Headers a hook set for every answer (e.g. a vendor's rate-limit headers); the handler's own win.
			const extra = /** @type {Record<string, string> | undefined} */ (request.locals.responseHeaders);
			if (loseAnswer) req.socket.destroy();
			else send(res, extra ? { ...response, headers: { ...extra, ...(response.headers || {}) } } : response);
		};
		try {
			if (!admin) {
				const fault = faults.take(method, url.pathname, found ? found.route.template : null);
				if (fault) {
					if (record) record.fault = fault;
					if (fault.latencyMs) await sleep(fault.latencyMs);
					if (fault.drop) {
						req.socket.destroy();
						return;
					}
					if (fault.timeout) return; // hold the request open; close() destroys the socket
					if (fault.status) {
						const headers = { ...(fault.headers || {}) };
						if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
						const body = fault.body !== undefined ? fault.body : options.faultBody ? options.faultBody(fault.status, request) : { error: `Injected fault ${fault.status}` };
						respond({ status: fault.status, headers, body });
						return;
					}
					loseAnswer = fault.dropResponse === true;
				}
				for (const hook of hooks) {
					const early = await hook(request);
					if (early) return respond(early);
				}
			}
			const response = found ? await found.route.handler(request) : options.notFound ? await options.notFound(request) : undefined;
			respond(response || { status: 404, body: { error: `No route for ${method} ${url.pathname}` } });
		} catch (error) {
			if (options.onError) respond(options.onError(error, request));
			else respond({ status: 500, body: { error: error instanceof Error ? error.message : String(error) } });
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch(() => res.destroy());
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	function reset() {
		if (options.reset) options.reset();
		requests = [];
		faults.clear();
	}

	const app = {
		name: options.name,
		route,
		before,
		/** Add fault rules in-process (same body as `POST /__sandbox/faults`). */
		addFaults: faults.add,
		clearFaults: faults.clear,
		reset,
		/** What the fake holds (same as `GET /__sandbox/state`'s `state`). */
		state: () => (options.state ? options.state() : /** @type {S} */ (null)),
		/** Every non-admin request received so far (newest last). */
		get requests() {
			return requests;
		},
		get faults() {
			return faults.list();
		},
		server,
		/** @type {string} */
		url: '',
		/** @type {number} */
		port: 0,
		/**
		 * Listen on 127.0.0.1 (port 0 = ephemeral).
		 * @param {number} [port]
		 * @param {string} [host]
		 * @returns {Promise<{ port: number, url: string }>}
		 */
		listen(port = 0, host = '127.0.0.1') {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					const address = /** @type {import('node:net').AddressInfo} */ (server.address());
					app.port = address.port;
					app.url = `http://${host}:${address.port}`;
					resolve({ port: app.port, url: app.url });
				});
			});
		},
		/** Stop listening and destroy open sockets (including requests held by a `timeout` fault). @returns {Promise<void>} */
		close() {
			return new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				if (!server.listening) return resolve();
				server.close(() => resolve());
			});
		},
	};
	/** @param {Handler} handler @returns {Handler} */
	const adminHandler = (handler) => async (req) => {
		try {
			return await handler(req);
		} catch (error) {
			const status = /** @type {any} */ (error).status || 500;
			return { status, body: { error: error instanceof Error ? error.message : String(error) } };
		}
	};
	route('GET', '/__sandbox/state', () => ({ body: { name: options.name, state: options.state ? options.state() : null } }));
	route('GET', '/__sandbox/requests', (req) => {
		const { method, path } = /** @type {Record<string, string>} */ (req.query);
		const list = requests.filter((r) => (!method || r.method === method.toUpperCase()) && (!path || r.path === path));
		return { body: { name: options.name, requests: list } };
	});
	route('DELETE', '/__sandbox/requests', () => {
		requests = [];
		return { status: 204 };
	});
	route('GET', '/__sandbox/faults', () => ({ body: { faults: faults.list() } }));
	route('POST', '/__sandbox/faults', adminHandler((req) => ({ status: 201, body: { faults: faults.add(req.body) } })));
	route('POST', '/__sandbox/faults/clear', (req) => {
		faults.clear(/** @type {any} */ (req.body || {}).route);
		return { body: { faults: faults.list() } };
	});
	route('DELETE', '/__sandbox/faults', (req) => {
		faults.clear(/** @type {any} */ (req.query).route);
		return { body: { faults: faults.list() } };
	});
	route('POST', '/__sandbox/reset', () => {
		reset();
		return { body: { reset: true } };
	});

	return app;
}

module.exports = { createSandboxServer, compileTemplate };
