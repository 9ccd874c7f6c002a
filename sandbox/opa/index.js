// @ts-check
'use strict';

const { createSandboxServer } = require('../core/server');

/**
 * An OPA-shaped fake: the REST Data API (`POST /v1/data/<path>` `{ input }` → `{ result }`) and `GET /health`, with
 * the decision computed by a `decide(path, input)` function (tests pass one that delegates to the built-in RevOps
 * engine, so the golden table can run over real HTTP). Without `decide` it behaves as an OPA with no policy loaded:
 * every document is undefined (200 without `result`).
 *
 * Failure modes (`setMode(mode, { delayMs?, times? })` or `POST /__sandbox/mode` with the same fields):
 *   ok        normal answers
 *   undefined 200 `{}` (no `result`: the document is undefined)
 *   error     500 `{ code: 'internal_error', message }` (OPA's error body)
 *   down      the socket is closed without an answer
 *   slow      the normal answer after `delayMs` (default 2000)
 *   malformed the normal result with `malformedField` (default `allow`) removed
 * `times` limits the mode to the next n data requests, then it returns to `ok`.
 *
 * With `token` set, requests need `Authorization: Bearer <token>` (as `opa run --authentication=token` with a
 * token policy): otherwise 401 `{ code: 'unauthorized', message }`. `calls` records each data request: path, input,
 * and how it authenticated (`bearer`, `wrong`, `none`; never the token itself).
 *
 * @typedef {'ok' | 'undefined' | 'error' | 'down' | 'slow' | 'malformed'} OpaFakeMode
 * @typedef {(path: string, input: unknown) => unknown | Promise<unknown>} Decide
 * @typedef {{ path: string, input: unknown, auth: 'bearer' | 'wrong' | 'none', mode: OpaFakeMode, status: number | null }} OpaCall
 */

const MODES = /** @type {const} */ (['ok', 'undefined', 'error', 'down', 'slow', 'malformed']);
const DATA_PREFIX = '/v1/data/';
const DOWN_ROUTE = '* /*';
const POLICY_PREFIX = '/v1/policies/';

/** @param {string} code @param {string} message @param {number} status */
const opaError = (status, code, message) => ({ status, body: { code, message } });

/**
 * @param {{ decide?: Decide, token?: string, mode?: OpaFakeMode, delayMs?: number, malformedField?: string }} [options]
 */
function createOpaFake(options = {}) {
	/** @type {{ mode: OpaFakeMode, delayMs: number, times: number | null }} */
	let setting = { mode: 'ok', delayMs: options.delayMs ?? 2000, times: null };
	/** @type {OpaCall[]} */
	let calls = [];
	/** @type {Map<string, string>} */
	const policies = new Map();
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	const malformedField = options.malformedField ?? 'allow';

	/** @param {OpaFakeMode} mode @param {{ delayMs?: number, times?: number }} [extra] */
	function setMode(mode, extra = {}) {
		if (!MODES.includes(mode)) throw Object.assign(new Error(`Unknown mode "${mode}"; known: ${MODES.join(', ')}`), { status: 400 });
		if (extra.times !== undefined && !(Number.isInteger(extra.times) && extra.times > 0)) throw Object.assign(new Error('times must be a positive integer'), { status: 400 });
		setting = { mode, delayMs: extra.delayMs ?? setting.delayMs, times: extra.times ?? null };
		// Down is a dropped connection before anything is read: the sandbox server's own drop fault does exactly that.
		app.clearFaults(DOWN_ROUTE);
		if (mode === 'down') app.addFaults({ route: DOWN_ROUTE, fault: { drop: true }, times: extra.times });
		return current();
	}

	/** The setting in force (a `times`-limited `down` ends when its fault rule is used up). */
	function current() {
		if (setting.mode === 'down' && !app.faults.some((rule) => rule.route === DOWN_ROUTE)) setting = { ...setting, mode: 'ok', times: null };
		return { ...setting };
	}

	/** The mode for this request (a `times`-limited mode is used up). */
	function takeMode() {
		const { mode } = setting;
		if (setting.times !== null) {
			setting.times -= 1;
			if (setting.times <= 0) setting = { ...setting, mode: 'ok', times: null };
		}
		return mode;
	}

	/** @param {number} ms */
	const sleep = (ms) =>
		new Promise((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve(undefined);
			}, ms);
			timer.unref();
			timers.add(timer);
		});

	/** @param {import('../core/server').SandboxRequest} req @returns {OpaCall['auth']} */
	function authOf(req) {
		const header = req.headers.authorization;
		if (!header) return 'none';
		return options.token !== undefined && header === `Bearer ${options.token}` ? 'bearer' : 'wrong';
	}

	const app = createSandboxServer({
		name: 'opa',
		state: () => ({ ...current(), calls: calls.length }),
		// The server clears its fault rules (and so a `down` mode) itself.
		reset: () => {
			calls = [];
			policies.clear();
			setting = { mode: 'ok', delayMs: options.delayMs ?? 2000, times: null };
		},
		faultBody: (status) => ({ code: status >= 500 ? 'internal_error' : 'invalid_parameter', message: `Injected fault ${status}` }),
		notFound: (req) => opaError(404, 'resource_not_found', `${req.method} ${req.path} not found`),
	});

	app.route('GET', '/health', () => {
		if (setting.mode === 'error') return opaError(500, 'internal_error', 'server not ready');
		return { body: {} };
	});

	app.route('POST', '/__sandbox/mode', (req) => {
		const body = /** @type {{ mode?: OpaFakeMode, delayMs?: number, times?: number }} */ (req.body || {});
		try {
			return { body: setMode(/** @type {OpaFakeMode} */ (body.mode), body) };
		} catch (error) {
			return { status: 400, body: { error: /** @type {Error} */ (error).message } };
		}
	});
	app.route('GET', '/__sandbox/calls', () => ({ body: { calls } }));

	/** @param {import('../core/server').SandboxRequest} req */
	async function dataRequest(req) {
		const auth = authOf(req);
		/** @type {OpaCall} */
		const call = { path: decodeURIComponent(req.path.slice(DATA_PREFIX.length)).replace(/\/+$/, ''), input: undefined, auth, mode: setting.mode, status: null };
		calls.push(call);
		const response = await answer(req, call);
		call.status = response.status ?? 200;
		return response;
	}

	/** @param {import('../core/server').SandboxRequest} req @param {OpaCall} call @returns {Promise<import('../core/server').SandboxResponse>} */
	async function answer(req, call) {
		if (options.token !== undefined && call.auth !== 'bearer') return opaError(401, 'unauthorized', 'request rejected by administrative policy');
		if (req.bodyError) return opaError(400, 'invalid_parameter', `body contains malformed input document: ${req.bodyError.message}`);
		const body = req.body === undefined ? {} : req.body;
		if (!body || typeof body !== 'object' || Array.isArray(body)) return opaError(400, 'invalid_parameter', 'body must be a JSON object');
		call.input = /** @type {{ input?: unknown }} */ (body).input;
		call.mode = takeMode();
		if (call.mode === 'error') return opaError(500, 'internal_error', 'eval_conflict_error: functions must not produce multiple outputs for same inputs');
		if (call.mode === 'undefined') return { body: {} };
		if (call.mode === 'slow') await sleep(setting.delayMs);
		let result;
		try {
			result = options.decide ? await options.decide(call.path, call.input) : undefined;
		} catch (error) {
			return opaError(500, 'internal_error', error instanceof Error ? error.message : String(error));
		}
		if (call.mode === 'malformed' && result && typeof result === 'object') {
			result = { ...result };
			delete (/** @type {Record<string, unknown>} */ (result))[malformedField];
		}
		return { body: result === undefined ? {} : { result } };
	}

	if (options.mode) setMode(options.mode);

	app.before(async (req) => {
		if (req.method === 'POST' && req.path.startsWith(DATA_PREFIX)) return dataRequest(req);
		if (req.path.startsWith(POLICY_PREFIX)) return policyRequest(req);
		return undefined;
	});

	/**
	 * The Policy API, enough to load modules (`PUT /v1/policies/<id>` with the Rego text) and list them. The fake
	 * compiles nothing: decisions still come from `decide`.
	 * @param {import('../core/server').SandboxRequest} req
	 */
	function policyRequest(req) {
		const id = decodeURIComponent(req.path.slice(POLICY_PREFIX.length));
		if (options.token !== undefined && authOf(req) !== 'bearer') return opaError(401, 'unauthorized', 'request rejected by administrative policy');
		if (req.method === 'PUT') {
			if (!/^\s*package\s+[\w.]+/m.test(req.rawBody)) return opaError(400, 'invalid_parameter', 'error(s) occurred while compiling module(s): rego_parse_error: package expected');
			policies.set(id, req.rawBody);
			return { body: {} };
		}
		if (req.method === 'GET' && policies.has(id)) return { body: { result: { id, raw: policies.get(id) } } };
		if (req.method === 'DELETE' && policies.delete(id)) return { body: {} };
		return opaError(404, 'resource_not_found', `storage_not_found_error: policy id "${id}"`);
	}

	return {
		app,
		setMode,
		/** Current mode, delay and remaining `times`. */
		get mode() {
			return current();
		},
		/** Data requests received so far (newest last). */
		get calls() {
			return calls;
		},
		/** Policy modules loaded through `PUT /v1/policies/<id>`, by id. */
		get policies() {
			return new Map(policies);
		},
		/** Non-admin requests as the sandbox server logged them (Authorization hidden). */
		get requests() {
			return app.requests;
		},
		reset: app.reset,
		listen: app.listen,
		get url() {
			return app.url;
		},
		close: async () => {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			await app.close();
		},
	};
}

const { revopsDecide } = require('./revops');

module.exports = { createOpaFake, revopsDecide, OPA_FAKE_MODES: MODES };

if (require.main === module) {
	// Standalone: `node sandbox/opa/index.js [port]` answers with the built-in engine once the package is built (dist/).
	const port = Number(process.env.PORT || process.argv[2] || 0);
	/** @type {Decide | undefined} */
	let decide;
	try {
		const { createBuiltinEngine } = require(require('node:path').join(__dirname, '..', '..', 'dist', 'connectors', 'revops', 'builtin'));
		decide = require('./revops').revopsDecide(createBuiltinEngine());
	} catch (error) {
		process.stderr.write(`opa sandbox: no built-in engine in dist/ (${/** @type {Error} */ (error).message.split('\n')[0]}); every document is undefined\n`);
	}
	const fake = createOpaFake({ decide, token: process.env.Q2C_OPA_TOKEN || undefined });
	fake.listen(port).then(({ url }) => process.stdout.write(`opa sandbox listening on ${url}\n`));
	const stop = () => fake.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
