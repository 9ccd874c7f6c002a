// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { createScheduler, createFailSwitches, addFailRoute } = require('./timing');
const { createDeliverer } = require('./hooks');

/**
 * GitLab CI fake (REST v4): pipeline trigger (`token`, `ref`, `variables[KEY]`; form, JSON or query), pipeline
 * read / list / variables / cancel with `PRIVATE-TOKEN` (or `Authorization: Bearer`), project search and project
 * hooks. Pipelines go created → pending → running → success | failed (fail switch `pipeline`), and each status
 * change is sent as a `Pipeline Hook` to the project's hooks (`X-Gitlab-Token` = the hook's secret token), retried
 * on non-2xx. Convention: variable Q2C_ACTION=destroy removes the tenant's stack (TENANT_ID or Q2C_TENANT)
 * instead of creating it; `stacks()` shows stacks per tenant.
 */

const message = (/** @type {number} */ status, /** @type {unknown} */ text) => ({ status, body: { message: text } });

/**
 * @param {{ privateToken?: string, triggerToken?: string, timeScale?: number, webhookAttempts?: number, webhookBackoffMs?: number,
 *   delays?: Partial<{ pending: number, running: number, finish: number }> }} [options]
 */
function createGitlabFake(options = {}) {
	const privateToken = options.privateToken ?? `glpat-${crypto.randomBytes(10).toString('hex')}`;
	const triggerToken = options.triggerToken ?? `glptt-${crypto.randomBytes(20).toString('hex')}`;
	const delays = { pending: 300, running: 300, finish: 700, ...options.delays };
	const scheduler = createScheduler({ timeScale: options.timeScale });
	const switches = createFailSwitches(['pipeline']);
	const deliverer = createDeliverer({ attempts: options.webhookAttempts, backoffMs: options.webhookBackoffMs });
	/** @type {Map<number, any>} */
	const projects = new Map();
	/** @type {Map<number, any>} */
	const pipelines = new Map();
	/** @type {Map<number, any[]>} */
	const hooks = new Map();
	/** @type {Map<string, any>} */
	const stacks = new Map();
	let nextPipeline = 1000;
	let nextHook = 1;
	let baseUrl = 'http://gitlab.sandbox.local';

	/** Seed a project (an admin helper: GitLab projects are not created through this fake's API). @param {{ path: string, branches?: string[] }} spec */
	function addProject(spec) {
		const id = projects.size + 1;
		const [namespace, name] = spec.path.includes('/') ? [spec.path.slice(0, spec.path.lastIndexOf('/')), spec.path.slice(spec.path.lastIndexOf('/') + 1)] : ['root', spec.path];
		const project = { id, name, path: name, path_with_namespace: `${namespace}/${name}`, namespace: { id: 1, name: namespace, path: namespace, kind: 'group', full_path: namespace }, default_branch: (spec.branches || ['main'])[0], branches: spec.branches || ['main'], visibility: 'private', created_at: new Date().toISOString() };
		projects.set(id, project);
		return project;
	}
	addProject({ path: 'infra/tenant-stacks', branches: ['main', 'staging'] });

	/** @param {any} p */
	const projectView = ({ branches, ...p }) => ({ ...p, web_url: `${baseUrl}/${p.path_with_namespace}`, http_url_to_repo: `${baseUrl}/${p.path_with_namespace}.git`, name_with_namespace: `${p.namespace.name} / ${p.name}` });
	/** @param {any} p */
	const pipelineView = ({ variables, project, ...p }) => ({ ...p, web_url: `${baseUrl}/${project.path_with_namespace}/-/pipelines/${p.id}` });

	/** @param {string} id numeric id or URL-encoded path */
	function findProject(id) {
		return /^\d+$/.test(id) ? projects.get(Number(id)) : [...projects.values()].find((p) => p.path_with_namespace === id);
	}

	/** @param {any} pipeline */
	function webhookPayload(pipeline) {
		const project = projectView(pipeline.project);
		return {
			object_kind: 'pipeline',
			object_attributes: {
				id: pipeline.id, iid: pipeline.iid, name: null, ref: pipeline.ref, tag: false, sha: pipeline.sha, before_sha: pipeline.before_sha, source: pipeline.source,
				status: pipeline.status, detailed_status: pipeline.status, stages: ['provision'], created_at: pipeline.created_at, finished_at: pipeline.finished_at,
				duration: pipeline.duration, queued_duration: null, variables: pipeline.variables.map((/** @type {any} */ v) => ({ key: v.key, value: v.value })), url: pipelineView(pipeline).web_url,
			},
			merge_request: null,
			user: pipeline.user,
			project: { id: project.id, name: project.name, description: null, web_url: project.web_url, git_http_url: project.http_url_to_repo, namespace: project.namespace.name, visibility_level: 0, path_with_namespace: project.path_with_namespace, default_branch: project.default_branch },
			commit: { id: pipeline.sha, message: 'Provision tenant stacks', timestamp: pipeline.created_at, url: `${project.web_url}/-/commit/${pipeline.sha}`, author: { name: 'Sandbox', email: 'sandbox@example.com' } },
			source_pipeline: null,
			builds: [{ id: pipeline.id * 10, stage: 'provision', name: 'terraform-apply', status: pipeline.status === 'created' ? 'created' : pipeline.status, created_at: pipeline.created_at, started_at: pipeline.started_at, finished_at: pipeline.finished_at, duration: pipeline.duration, when: 'on_success', manual: false, allow_failure: false, user: pipeline.user, runner: null, artifacts_file: { filename: null, size: null }, environment: null }],
		};
	}

	/** @param {any} pipeline @param {string} status */
	function setStatus(pipeline, status) {
		const now = new Date().toISOString();
		pipeline.status = status;
		pipeline.updated_at = now;
		if (status === 'running') pipeline.started_at = now;
		if (['success', 'failed', 'canceled'].includes(status)) {
			pipeline.finished_at = now;
			pipeline.duration = pipeline.started_at ? Math.round((Date.parse(now) - Date.parse(pipeline.started_at)) / 1000) : null;
		}
		if (status === 'success') applyStack(pipeline);
		const body = JSON.stringify(webhookPayload(pipeline));
		for (const hook of hooks.get(pipeline.project_id) || []) {
			if (!hook.pipeline_events) continue;
			const headers = { 'Content-Type': 'application/json', 'User-Agent': 'GitLab/17.5.0', 'X-Gitlab-Event': 'Pipeline Hook', 'X-Gitlab-Instance': baseUrl, 'X-Gitlab-Webhook-UUID': hook.uuid, 'X-Gitlab-Event-UUID': crypto.randomUUID(), ...(hook.token ? { 'X-Gitlab-Token': hook.token } : {}) };
			deliverer.deliver({ label: `pipeline ${pipeline.id} ${status}`, url: hook.url, headers, body }).catch(() => undefined);
		}
	}

	/** @param {any} pipeline */
	function applyStack(pipeline) {
		const vars = Object.fromEntries(pipeline.variables.map((/** @type {any} */ v) => [v.key, v.value]));
		const tenant = vars.TENANT_ID || vars.Q2C_TENANT || 'default';
		if (vars.Q2C_ACTION === 'destroy') stacks.delete(tenant);
		else stacks.set(tenant, { tenant, projectId: pipeline.project_id, ref: pipeline.ref, pipelineId: pipeline.id, variables: vars, updatedAt: pipeline.updated_at });
	}

	/** @param {any} pipeline */
	function run(pipeline) {
		const failure = switches.take('pipeline');
		const step = (/** @type {number} */ ms, /** @type {string} */ from, /** @type {string} */ to, /** @type {() => void} */ next = () => undefined) =>
			scheduler.after(ms, () => {
				if (pipeline.status !== from) return; // canceled meanwhile
				setStatus(pipeline, to);
				next();
			});
		step(delays.pending, 'created', 'pending', () => step(delays.running, 'pending', 'running', () => step(delays.finish, 'running', failure ? 'failed' : 'success')));
	}

	const app = createSandboxServer({
		name: 'gitlab',
		state: () => ({ projects: [...projects.values()].map(projectView), pipelines: [...pipelines.values()].map((p) => ({ ...pipelineView(p), variables: p.variables })), hooks: Object.fromEntries([...hooks].map(([id, list]) => [id, list.map(({ token, ...h }) => h)])), stacks: [...stacks.values()], deliveries: deliverer.list(), failNext: switches.list() }),
		reset: () => {
			pipelines.clear();
			stacks.clear();
			deliverer.reset();
			switches.clear();
		},
		faultBody: (status) => ({ message: status === 429 ? 'Retry later' : `${status} Injected fault` }),
		notFound: () => message(404, '404 Not Found'),
	});
	addFailRoute(app, switches);
	app.before((req) => {
		if (req.bodyError) return message(400, 'Invalid JSON');
		if (/\/trigger\/pipeline$/.test(req.path)) return undefined; // authenticated by its trigger token
		const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization || ''));
		const presented = req.headers['private-token'] || (bearer ? bearer[1] : undefined);
		if (presented !== privateToken) return message(401, '401 Unauthorized');
		return undefined;
	});

	// The credential test: who answers, for any valid token (GET /version, GitLab REST docs).
	app.route('GET', '/api/v4/version', () => ({ body: { version: '17.5.0', revision: 'sandbox', kas: { enabled: false, externalUrl: null, version: null }, enterprise: false } }));
	app.route('GET', '/api/v4/projects', (req) => {
		const search = String(req.query.search || '').toLowerCase();
		return { body: [...projects.values()].filter((p) => !search || p.name.toLowerCase().includes(search) || p.path_with_namespace.toLowerCase().includes(search)).map(projectView) };
	});
	app.route('POST', '/api/v4/projects/{id}/trigger/pipeline', (req) => {
		const params = { ...req.query, .../** @type {any} */ (req.body && typeof req.body === 'object' ? req.body : {}) };
		const project = findProject(req.params.id);
		if (!project || params.token !== triggerToken) return message(404, '404 Not Found');
		if (typeof params.ref !== 'string' || !params.ref) return { status: 400, body: { error: 'ref is missing' } };
		if (!project.branches.includes(params.ref)) return message(400, { base: ['Reference not found'] });
		const variables = Object.entries(params.variables && typeof params.variables === 'object' ? params.variables : {}).map(([key, value]) => ({ key, value: String(value), variable_type: 'env_var' }));
		const now = new Date().toISOString();
		const id = ++nextPipeline;
		const pipeline = { id, iid: id - 1000, project_id: project.id, project, sha: crypto.createHash('sha1').update(`${project.id}:${params.ref}`).digest('hex'), before_sha: '0'.repeat(40), ref: params.ref, status: 'created', source: 'trigger', tag: false, yaml_errors: null, created_at: now, updated_at: now, started_at: null, finished_at: null, committed_at: null, duration: null, queued_duration: null, coverage: null, user: { id: 1, username: 'project_1_bot', name: 'Trigger bot', state: 'active' }, detailed_status: { text: 'created' }, variables };
		pipelines.set(id, pipeline);
		run(pipeline);
		return { status: 201, body: pipelineView(pipeline) };
	});

	/** @param {import('../core/server').SandboxRequest} req */
	const pipelineOf = (req) => {
		const project = findProject(req.params.id);
		const pipeline = pipelines.get(Number(req.params.pid));
		return project && pipeline && pipeline.project_id === project.id ? pipeline : null;
	};
	app.route('GET', '/api/v4/projects/{id}/pipelines', (req) => {
		const project = findProject(req.params.id);
		if (!project) return message(404, '404 Project Not Found');
		const { ref, source, status } = /** @type {Record<string, string>} */ (req.query);
		const list = [...pipelines.values()].filter((p) => p.project_id === project.id && (!ref || p.ref === ref) && (!source || p.source === source) && (!status || p.status === status));
		return { body: list.reverse().map(({ id, iid, project_id, sha, ref: r, status: s, source: src, created_at, updated_at }) => ({ id, iid, project_id, sha, ref: r, status: s, source: src, created_at, updated_at, web_url: `${baseUrl}/${project.path_with_namespace}/-/pipelines/${id}` })) };
	});
	app.route('GET', '/api/v4/projects/{id}/pipelines/{pid}', (req) => {
		const pipeline = pipelineOf(req);
		return pipeline ? { body: pipelineView(pipeline) } : message(404, '404 Not found');
	});
	app.route('GET', '/api/v4/projects/{id}/pipelines/{pid}/variables', (req) => {
		const pipeline = pipelineOf(req);
		return pipeline ? { body: pipeline.variables } : message(404, '404 Not found');
	});
	app.route('POST', '/api/v4/projects/{id}/pipelines/{pid}/cancel', (req) => {
		const pipeline = pipelineOf(req);
		if (!pipeline) return message(404, '404 Not found');
		if (['created', 'pending', 'running'].includes(pipeline.status)) setStatus(pipeline, 'canceled');
		return { body: pipelineView(pipeline) };
	});
	app.route('POST', '/api/v4/projects/{id}/hooks', (req) => {
		const project = findProject(req.params.id);
		if (!project) return message(404, '404 Project Not Found');
		const body = /** @type {any} */ (req.body || {});
		if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) return message(400, { url: ['is blocked: Only allowed schemes are http, https'] });
		return { status: 201, body: addHook(project.id, { url: body.url, token: body.token, pipelineEvents: body.pipeline_events !== false && body.pipeline_events !== 'false' }) };
	});

	/**
	 * Register a project hook (what `POST /projects/:id/hooks` does); the token is never shown again.
	 * @param {number} projectId @param {{ url: string, token?: string, pipelineEvents?: boolean }} spec
	 */
	function addHook(projectId, spec) {
		const hook = { id: nextHook++, uuid: crypto.randomUUID(), url: spec.url, project_id: projectId, pipeline_events: spec.pipelineEvents !== false, push_events: false, enable_ssl_verification: true, created_at: new Date().toISOString(), token: spec.token };
		hooks.set(projectId, [...(hooks.get(projectId) || []), hook]);
		const { token, ...shown } = hook;
		return shown;
	}

	const listen = app.listen;
	const close = app.close;
	return Object.assign(app, {
		credentials: () => ({ privateToken, triggerToken, projectId: 1 }),
		addProject: (/** @type {{ path: string, branches?: string[] }} */ spec) => projectView(addProject(spec)),
		addHook,
		stacks: () => [...stacks.values()],
		deliveries: deliverer.list,
		/** Resolves when every queued webhook was delivered or given up. */
		webhooksIdle: deliverer.idle,
		failNext: switches.arm,
		/** @param {number} [port] */
		async listen(port) {
			const address = await listen(port);
			baseUrl = address.url;
			return address;
		},
		async close() {
			scheduler.clear();
			deliverer.close();
			await close();
		},
	});
}

module.exports = { createGitlabFake };
