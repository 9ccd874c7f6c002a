// @ts-check
'use strict';

const path = require('node:path');
const { createSandboxServer } = require('../core/server');
const { loadSpec, createValidator } = require('../core/openapi');
const { flatQuery, presentedToken, createIdempotency, addLatency, pageOf, newId, clone } = require('../lib/common');

/**
 * VTM project-task fake implementing our published contract (connectors/vmf/vtm.openapi.yaml): bearer auth,
 * spec validation, `{ error: { code, message, field } }` errors, required Idempotency-Key on writes
 * (replay / 409 `idempotency_conflict`), cursor pagination.
 */

const SPEC = path.resolve(__dirname, '../../connectors/vmf/vtm.openapi.yaml');
const BASE = '/api/v1';

/** @param {number} status @param {string} code @param {string} message @param {string} [field] */
const vtmError = (status, code, message, field) => ({ status, body: { error: { code, message, ...(field ? { field } : {}) } } });

/** @param {{ accessToken: string, latencyMs?: () => number, spec?: any }} options */
function createVtmFake(options) {
	const validator = createValidator(options.spec || loadSpec(SPEC), { basePath: BASE, paramStyle: 'dot' });
	const state = {
		/** @type {Map<string, { id: string, orderId: string | null }>} */
		projects: new Map(),
		/** @type {Map<string, any>} */
		tasks: new Map(),
		/** @type {any[]} */
		comments: [],
	};
	const idempotency = createIdempotency({
		conflict: (key) => vtmError(409, 'idempotency_conflict', `Idempotency-Key ${key} was already used with another request body.`, 'Idempotency-Key'),
	});

	const app = createSandboxServer({
		name: 'vtm',
		state: () => ({ projects: clone([...state.projects.values()]), tasks: clone([...state.tasks.values()]), comments: clone(state.comments), idempotencyKeys: idempotency.keys() }),
		reset: () => {
			state.projects.clear();
			state.tasks.clear();
			state.comments = [];
			idempotency.reset();
		},
		faultBody: (status) => vtmError(status, status === 429 ? 'rate_limited' : 'unavailable', `Injected fault ${status}`).body,
		notFound: (req) => vtmError(404, 'not_found', `No route for ${req.method} ${req.path}`),
		onError: (error) => vtmError(500, 'internal_error', error instanceof Error ? error.message : String(error)),
	});

	app.before((req) => {
		if (presentedToken(req.headers) !== options.accessToken) return vtmError(401, 'unauthorized', 'Missing or invalid bearer token.');
		if (req.bodyError) return vtmError(400, 'validation_error', 'Malformed JSON body', 'body');
		const result = validator.validateRequest({ method: req.method, path: req.path, query: flatQuery(req.rawQuery), body: req.body, contentType: String(req.headers['content-type'] || '') });
		if (!result.match) return undefined;
		if (result.problems.length) return vtmError(400, 'validation_error', result.problems[0].message, result.problems[0].param || undefined);
		if (req.method !== 'GET' && typeof req.headers['idempotency-key'] !== 'string') {
			return vtmError(400, 'validation_error', 'Missing required header: Idempotency-Key.', 'Idempotency-Key');
		}
		req.locals.query = result.query;
		return undefined;
	});
	if (options.latencyMs) addLatency(app, options.latencyMs);

	/** @param {any[]} tasks @param {Record<string, any>} query */
	function listing(tasks, query) {
		const filtered = tasks.filter((t) => !query.status || t.status === query.status);
		const { data, next } = pageOf(filtered, query.limit || 50, query.cursor);
		return { body: { data, nextCursor: next } };
	}
	app.route('GET', `${BASE}/orders/{orderId}/tasks`, (req) => {
		const projects = [...state.projects.values()].filter((p) => p.orderId === req.params.orderId);
		if (!projects.length) return vtmError(404, 'not_found', `No project exists for order ${req.params.orderId}.`, 'orderId');
		return listing([...state.tasks.values()].filter((t) => t.orderId === req.params.orderId), /** @type {any} */ (req.locals.query));
	});
	app.route('GET', `${BASE}/projects/{projectId}/tasks`, (req) => {
		if (!state.projects.has(req.params.projectId)) return vtmError(404, 'not_found', `Project ${req.params.projectId} was not found.`, 'projectId');
		return listing([...state.tasks.values()].filter((t) => t.projectId === req.params.projectId), /** @type {any} */ (req.locals.query));
	});
	app.route('POST', `${BASE}/tasks/{taskId}/complete`, (req) =>
		idempotency.run(req, options.accessToken, () => {
			const task = state.tasks.get(req.params.taskId);
			if (!task) return vtmError(404, 'not_found', `Task ${req.params.taskId} was not found.`, 'taskId');
			if (task.status === 'blocked') return vtmError(409, 'invalid_state', `Task ${task.id} is blocked and cannot be completed.`);
			if (task.status !== 'done') {
				const body = /** @type {any} */ (req.body) || {};
				const now = new Date().toISOString();
				Object.assign(task, { status: 'done', completedAt: now, completedBy: body.completedBy ?? null, updatedAt: now, note: body.note ?? null });
			}
			return { body: clone(task) };
		}),
	);
	app.route('POST', `${BASE}/tasks/{taskId}/comments`, (req) =>
		idempotency.run(req, options.accessToken, () => {
			if (!state.tasks.has(req.params.taskId)) return vtmError(404, 'not_found', `Task ${req.params.taskId} was not found.`, 'taskId');
			const body = /** @type {any} */ (req.body);
			const comment = { id: newId('CMT-'), taskId: req.params.taskId, body: body.body, author: body.author ?? null, createdAt: new Date().toISOString() };
			state.comments.push(comment);
			return { status: 201, body: comment };
		}),
	);

	/**
	 * A project for an order with its tasks (all open unless a status is given).
	 * @param {string} orderId @param {{ title: string, status?: string, assignee?: string }[]} tasks
	 */
	function putProject(orderId, tasks) {
		const project = { id: newId('PRJ-'), orderId };
		state.projects.set(project.id, project);
		const now = new Date().toISOString();
		const created = tasks.map((t) => ({
			id: newId('TSK-'),
			projectId: project.id,
			orderId,
			title: t.title,
			status: t.status || 'open',
			assignee: t.assignee ?? null,
			dueAt: null,
			completedAt: null,
			completedBy: null,
			updatedAt: now,
		}));
		for (const task of created) state.tasks.set(task.id, task);
		return { project, tasks: clone(created) };
	}

	return { app, state, putProject, listen: app.listen, close: app.close, BASE };
}

module.exports = { createVtmFake, vtmError, BASE: BASE };
