// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { createScheduler, createFailSwitches, addFailRoute } = require('./timing');
const { createDeliverer } = require('./hooks');
const { registerNotifications } = require('./terraformNotifications');
const { createTerraformSpecLayer } = require('./terraformSpec');

/**
 * HCP Terraform fake (API v2, JSON:API `application/vnd.api+json`, `Authorization: Bearer`): runs (create with
 * is-destroy / auto-apply / HCL-literal variables, read, actions apply / discard / cancel), workspaces by
 * organization (`search[name]`), current state-version outputs, and notification configurations with signed
 * deliveries (terraformNotifications.js). Runs go pending → planning → planned → (auto-apply or an apply action)
 * applying → applied; fail switch `run` makes the next run `errored` while planning. An applied run sets the
 * workspace's outputs from its variables (+ `stack_id`, sensitive `admin_password`); an applied destroy clears them.
 * With the vendor-spec layer on, requests and answers are also checked against HashiCorp's OpenAPI (terraformSpec.js).
 */

const JSON_API = 'application/vnd.api+json';
/** @param {number} status @param {string} title @param {string} [detail] @param {string} [pointer] */
const apiError = (status, title, detail, pointer) => ({ status, headers: { 'Content-Type': JSON_API }, body: { errors: [{ status: String(status), title, ...(detail ? { detail } : {}), ...(pointer ? { source: { pointer } } : {}) }] } });
/** @param {unknown} body @param {number} [status] */
const jsonApi = (body, status = 200) => ({ status, headers: { 'Content-Type': JSON_API }, body });
/** @param {string} prefix */
const tfId = (prefix) => `${prefix}-${crypto.randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;

/** An HCL literal (what run variables must be): a quoted string, number, bool, null, list or object. @param {unknown} value */
function parseHclLiteral(value) {
	if (typeof value !== 'string') return { ok: false };
	const text = value.trim();
	if (/^-?\d+(\.\d+)?$/.test(text)) return { ok: true, value: Number(text) };
	if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
	if (text === 'null') return { ok: true, value: null };
	if (/^"(?:[^"\\]|\\.)*"$/.test(text)) return { ok: true, value: JSON.parse(text) };
	if (/^[[{][\s\S]*[\]}]$/.test(text)) return { ok: true, value: text };
	return { ok: false };
}

const FINAL = ['applied', 'planned_and_finished', 'errored', 'discarded', 'canceled', 'force_canceled'];

/**
 * @param {{ token?: string, organization?: string, workspaces?: string[], timeScale?: number, webhookAttempts?: number, webhookBackoffMs?: number,
 *   delays?: Partial<{ queue: number, plan: number, apply: number }>, vendorSpec?: any }} [options]
 *   vendorSpec: a stand-in for HashiCorp's spec (turns the vendor-spec layer on for this fake; null turns it off)
 */
function createTerraformFake(options = {}) {
	const token = options.token ?? `${crypto.randomBytes(7).toString('hex')}.atlasv1.${crypto.randomBytes(34).toString('hex')}`;
	const organization = options.organization ?? 'q2c-sandbox';
	const delays = { queue: 200, plan: 400, apply: 400, ...options.delays };
	const scheduler = createScheduler({ timeScale: options.timeScale });
	const switches = createFailSwitches(['run']);
	const deliverer = createDeliverer({ attempts: options.webhookAttempts, backoffMs: options.webhookBackoffMs });
	const specLayer = createTerraformSpecLayer({ spec: options.vendorSpec });
	/** @type {Map<string, any>} */
	const workspaces = new Map();
	/** @type {Map<string, any>} */
	const runs = new Map();

	/** Add a workspace (admin helper). @param {string} name */
	function addWorkspace(name) {
		const workspace = { id: tfId('ws'), name, createdAt: new Date().toISOString(), outputs: /** @type {any[]} */ ([]), currentRun: /** @type {string | null} */ (null) };
		workspaces.set(workspace.id, workspace);
		return workspace;
	}
	for (const name of options.workspaces ?? ['tenant-stacks']) addWorkspace(name);

	/** @param {any} w */
	const workspaceView = (w) => ({ id: w.id, type: 'workspaces', attributes: { name: w.name, 'created-at': w.createdAt, 'auto-apply': false, locked: false, 'execution-mode': 'remote', 'terraform-version': '1.9.8', environment: 'default' }, relationships: { organization: { data: { id: organization, type: 'organizations' } }, 'current-run': { data: w.currentRun ? { id: w.currentRun, type: 'runs' } : null } }, links: { self: `/api/v2/organizations/${organization}/workspaces/${w.name}` } });
	/** @param {any} r */
	const runView = (r) => ({
		id: r.id,
		type: 'runs',
		attributes: {
			status: r.status, message: r.message, source: 'tfe-api', 'is-destroy': r.isDestroy, 'auto-apply': r.autoApply, 'created-at': r.createdAt, 'has-changes': true, 'plan-only': false,
			'status-timestamps': r.timestamps, variables: r.variables.map((/** @type {any} */ v) => ({ key: v.key, value: v.value })),
			actions: { 'is-cancelable': ['pending', 'planning', 'applying'].includes(r.status), 'is-confirmable': r.status === 'planned', 'is-discardable': r.status === 'planned', 'is-force-cancelable': false },
			permissions: { 'can-apply': true, 'can-cancel': true, 'can-discard': true, 'can-force-execute': true, 'can-force-cancel': true },
		},
		relationships: { workspace: { data: { id: r.workspaceId, type: 'workspaces' } } },
		links: { self: `/api/v2/runs/${r.id}` },
	});

	const notifications = registerNotifications({ organization, deliverer, workspaces });

	/** @param {any} run @param {string} status */
	function setStatus(run, status) {
		run.status = status;
		const at = new Date().toISOString();
		// The spec's status-timestamps names; the fake skips plan_queued, so planning also stamps it.
		if (status === 'planning') run.timestamps['plan-queued-at'] = at;
		run.timestamps[`${status.replace(/_/g, '-')}-at`] = at;
		run.updatedAt = at;
		const workspace = workspaces.get(run.workspaceId);
		if (status === 'applied') {
			if (run.isDestroy) workspace.outputs = [];
			else workspace.outputs = [...run.variables.map((/** @type {any} */ v) => ({ name: v.key, value: parseHclLiteral(v.value).value, sensitive: false })), { name: 'stack_id', value: `stack-${run.id}`, sensitive: false }, { name: 'admin_password', value: crypto.randomBytes(12).toString('hex'), sensitive: true }];
		}
		notifications.notify(run, workspace);
	}

	/** @param {any} run */
	function advance(run) {
		const failure = switches.take('run');
		const step = (/** @type {number} */ ms, /** @type {string} */ from, /** @type {string} */ to, /** @type {() => void} */ next = () => undefined) =>
			scheduler.after(ms, () => {
				if (run.status !== from) return;
				setStatus(run, to);
				next();
			});
		step(delays.queue, 'pending', 'planning', () => {
			if (failure) step(delays.plan, 'planning', 'errored');
			else step(delays.plan, 'planning', 'planned', () => run.autoApply && startApply(run));
		});
	}
	/** @param {any} run */
	function startApply(run) {
		setStatus(run, 'applying');
		scheduler.after(delays.apply, () => run.status === 'applying' && setStatus(run, 'applied'));
	}

	const app = createSandboxServer({
		name: 'terraform',
		state: () => ({ organization, workspaces: [...workspaces.values()].map((w) => ({ ...workspaceView(w), outputs: w.outputs.map((/** @type {any} */ o) => ({ ...o, value: o.sensitive ? null : o.value })) })), runs: [...runs.values()].map(runView), notificationConfigurations: notifications.list(), deliveries: deliverer.list(), failNext: switches.list() }),
		reset: () => {
			runs.clear();
			deliverer.reset();
			switches.clear();
		},
		faultBody: (status) => apiError(status, status === 429 ? 'Too Many Requests' : 'internal error').body,
		notFound: (req) => (specLayer?.documents(req.method, req.path) ? apiError(404, 'not found', 'the HCP Terraform sandbox does not implement this endpoint') : apiError(404, 'not found')),
		onError: (error) => apiError(500, 'internal error', error instanceof Error ? error.message : String(error)),
	});
	if (specLayer) {
		const serve = app.route;
		// Every answer a route gives is checked against the spec's response schema (recorded, never altered).
		app.route = (method, template, handler) =>
			serve(method, template, async (req) => {
				const response = await handler(req);
				specLayer.checkResponse(req, response);
				return response;
			});
	}
	addFailRoute(app, switches);
	app.before((req) => {
		const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization || ''));
		if (!bearer || bearer[1] !== token) return apiError(401, 'unauthorized');
		if (req.method !== 'GET') {
			const raw = req.rawBody ? req.rawBody : '';
			try {
				req.locals.doc = raw ? JSON.parse(raw) : {};
			} catch {
				return apiError(400, 'JSON body is invalid', 'the request body must be a JSON:API document');
			}
		}
		// Routes the fake does not serve get its 404 (naming an endpoint the spec documents) instead.
		if (specLayer && req.route) return specLayer.checkRequest(req, req.rawBody ? req.locals.doc : undefined);
		return undefined;
	});

	// The credential test: the token's user (GET /account/details).
	app.route('GET', '/api/v2/account/details', () =>
		jsonApi({ data: { id: 'user-sandbox0000000001', type: 'users', attributes: { username: 'q2c-automation', email: 'automation@q2c.test', 'is-service-account': false, 'two-factor': { enabled: false, verified: false } } } }),
	);
	app.route('GET', '/api/v2/organizations/{org}/workspaces', (req) => {
		if (req.params.org !== organization) return apiError(404, 'not found');
		const search = String(/** @type {any} */ (req.query).search?.name ?? '').toLowerCase();
		const list = [...workspaces.values()].filter((w) => !search || w.name.toLowerCase().includes(search));
		return jsonApi({ data: list.map(workspaceView), links: { self: req.path }, meta: { pagination: { 'current-page': 1, 'page-size': 20, 'prev-page': null, 'next-page': null, 'total-pages': 1, 'total-count': list.length } } });
	});
	app.route('GET', '/api/v2/workspaces/{id}', (req) => (workspaces.has(req.params.id) ? jsonApi({ data: workspaceView(workspaces.get(req.params.id)) }) : apiError(404, 'not found')));
	app.route('GET', '/api/v2/workspaces/{id}/current-state-version-outputs', (req) => {
		const workspace = workspaces.get(req.params.id);
		if (!workspace) return apiError(404, 'not found');
		return jsonApi({ data: workspace.outputs.map((/** @type {any} */ o) => ({ id: `wsout-${crypto.createHash('sha1').update(workspace.id + o.name).digest('hex').slice(0, 16)}`, type: 'state-version-outputs', attributes: { name: o.name, sensitive: o.sensitive, type: typeof o.value === 'number' ? 'number' : 'string', value: o.sensitive ? null : o.value, 'detailed-type': typeof o.value === 'number' ? 'number' : 'string' } })) });
	});
	app.route('POST', '/api/v2/runs', (req) => {
		const data = /** @type {any} */ (req.locals.doc).data;
		if (!data || data.type !== 'runs') return apiError(422, 'invalid attribute', 'type must be "runs"', '/data/type');
		const workspaceId = data.relationships?.workspace?.data?.id;
		const workspace = workspaces.get(workspaceId);
		if (!workspace) return apiError(404, 'not found', 'workspace not found');
		const attributes = data.attributes || {};
		const variables = Array.isArray(attributes.variables) ? attributes.variables : [];
		for (const [index, variable] of variables.entries()) {
			if (typeof variable?.key !== 'string' || !parseHclLiteral(variable.value).ok) return apiError(422, 'invalid attribute', `Variable "${variable?.key}" has an invalid value: run variable values must be HCL literals (strings need quotes, e.g. "\\"value\\"")`, `/data/attributes/variables/${index}/value`);
		}
		const now = new Date().toISOString();
		const run = { id: tfId('run'), workspaceId, message: typeof attributes.message === 'string' ? attributes.message : 'Queued manually via the Terraform Enterprise API', isDestroy: attributes['is-destroy'] === true, autoApply: attributes['auto-apply'] === true, variables, status: 'pending', createdAt: now, updatedAt: now, timestamps: {} };
		runs.set(run.id, run);
		workspace.currentRun = run.id;
		notifications.notify(run, workspace);
		advance(run);
		return jsonApi({ data: runView(run) }, 201);
	});
	// The connector's idempotency lookup: newest first, `page[size]` (default 20, at most 100) and `page[number]`.
	app.route('GET', '/api/v2/workspaces/{id}/runs', (req) => {
		if (!workspaces.has(req.params.id)) return apiError(404, 'not found');
		const query = /** @type {any} */ (req.query);
		const size = Math.min(Math.max(Number(query.page?.size) || 20, 1), 100);
		const number = Math.max(Number(query.page?.number) || 1, 1);
		const all = [...runs.values()].filter((r) => r.workspaceId === req.params.id).reverse();
		const pages = Math.max(Math.ceil(all.length / size), 1);
		const pagination = { 'current-page': number, 'page-size': size, 'prev-page': number > 1 ? number - 1 : null, 'next-page': number < pages ? number + 1 : null, 'total-pages': pages, 'total-count': all.length };
		return jsonApi({ data: all.slice((number - 1) * size, number * size).map(runView), links: { self: req.path }, meta: { pagination } });
	});
	app.route('GET', '/api/v2/runs/{id}', (req) => (runs.has(req.params.id) ? jsonApi({ data: runView(runs.get(req.params.id)) }) : apiError(404, 'not found')));
	app.route('POST', '/api/v2/runs/{id}/actions/{action}', (req) => {
		const run = runs.get(req.params.id);
		if (!run) return apiError(404, 'not found');
		const { action } = req.params;
		const notAllowed = () => apiError(409, 'transition not allowed', `The run cannot be ${action === 'apply' ? 'applied' : `${action}ed`} while ${run.status}.`);
		if (action === 'apply') {
			if (run.status !== 'planned') return notAllowed();
			startApply(run);
		} else if (action === 'discard') {
			if (run.status !== 'planned') return notAllowed();
			setStatus(run, 'discarded');
		} else if (action === 'cancel') {
			if (!['pending', 'planning', 'applying'].includes(run.status) || FINAL.includes(run.status)) return notAllowed();
			setStatus(run, 'canceled');
		} else return apiError(404, 'not found');
		return { status: 202, headers: { 'Content-Type': JSON_API }, body: '' };
	});
	notifications.routes(app, apiError, jsonApi);

	const close = app.close;
	return Object.assign(app, {
		credentials: () => ({ token, organization, workspaceId: [...workspaces.values()][0]?.id }),
		addWorkspace: (/** @type {string} */ name) => workspaceView(addWorkspace(name)),
		deliveries: deliverer.list,
		webhooksIdle: deliverer.idle,
		failNext: switches.arm,
		/** With the vendor-spec layer on: actions checked as documented stand-ins, answer keys beyond the spec file. */
		vendorSpecReport: () => (specLayer ? specLayer.report() : null),
		async close() {
			scheduler.clear();
			deliverer.close();
			await close();
		},
	});
}

module.exports = { createTerraformFake, parseHclLiteral };
