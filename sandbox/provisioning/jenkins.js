// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createSandboxServer } = require('../core/server');
const { createScheduler, createFailSwitches, addFailRoute } = require('./timing');

/**
 * Jenkins fake (remote access API): `POST /job/{name}/buildWithParameters` (parameters in the query or a form
 * body) → 201 + `Location: …/queue/item/{n}/` (303 to the waiting item when an identical one is queued), queue
 * items that get an `executable` after `delays.queue`, builds that run for `delays.build` then end SUCCESS or
 * FAILURE (fail switch `build`), `POST /queue/cancelItem?id=`, `POST /job/{name}/{n}/stop` (ABORTED). Basic auth:
 * user + API token needs no crumb; user + password needs a `Jenkins-Crumb` from `/crumbIssuer/api/json` on every
 * POST while `csrf` is on (default), as Jenkins does.
 */

const text = (/** @type {number} */ status, /** @type {string} */ message, /** @type {Record<string, string>} */ headers = {}) => ({ status, headers: { 'Content-Type': 'text/html;charset=utf-8', ...headers }, body: `<html><head><title>Error ${status}</title></head><body><h2>HTTP ERROR ${status}</h2><p>${message}</p></body></html>` });

/**
 * @param {{ user?: string, apiToken?: string, password?: string, csrf?: boolean, jobs?: string[], timeScale?: number,
 *   delays?: Partial<{ queue: number, build: number }> }} [options]
 */
function createJenkinsFake(options = {}) {
	const user = options.user ?? 'q2c-automation';
	const apiToken = options.apiToken ?? `11${crypto.randomBytes(16).toString('hex')}`;
	const password = options.password ?? crypto.randomBytes(12).toString('base64url');
	const csrf = options.csrf !== false;
	const delays = { queue: 300, build: 700, ...options.delays };
	const scheduler = createScheduler({ timeScale: options.timeScale });
	const switches = createFailSwitches(['build']);
	const crumb = crypto.randomBytes(32).toString('hex');
	/** @type {Map<string, { name: string, builds: any[], nextBuildNumber: number }>} */
	const jobs = new Map();
	/** @type {Map<number, any>} */
	const queue = new Map();
	let nextQueueId = 100;
	let baseUrl = 'http://jenkins.sandbox.local';

	/** Add a job (admin helper). @param {string} name */
	const addJob = (name) => jobs.set(name, { name, builds: [], nextBuildNumber: 1 });
	for (const name of options.jobs ?? ['provision-tenant']) addJob(name);

	const paramsText = (/** @type {Record<string, string>} */ p) => Object.entries(p).map(([k, v]) => `\n${k}=${v}`).join('');
	const parametersAction = (/** @type {Record<string, string>} */ p) => ({ _class: 'hudson.model.ParametersAction', parameters: Object.entries(p).map(([name, value]) => ({ _class: 'hudson.model.StringParameterValue', name, value })) });
	/** @param {any} item */
	const itemView = (item) => {
		const left = item.cancelled || item.build;
		return {
			_class: left ? 'hudson.model.Queue$LeftItem' : 'hudson.model.Queue$WaitingItem',
			actions: [parametersAction(item.params), { _class: 'hudson.model.CauseAction', causes: [{ _class: 'hudson.model.Cause$UserIdCause', shortDescription: `Started by user ${user}`, userId: user, userName: user }] }],
			blocked: false, buildable: false, id: item.id, inQueueSince: item.inQueueSince, params: paramsText(item.params), stuck: false,
			task: { _class: 'hudson.model.FreeStyleProject', name: item.job, url: `${baseUrl}/job/${item.job}/`, color: 'blue' },
			url: `queue/item/${item.id}/`, why: left ? null : `In the quiet period. Expires in ${Math.max(0, Math.round((item.dueAt - Date.now()) / 1000))} sec`,
			cancelled: Boolean(item.cancelled),
			executable: item.build ? { _class: 'hudson.model.FreeStyleBuild', number: item.build.number, url: `${baseUrl}/job/${item.job}/${item.build.number}/` } : null,
		};
	};
	/** @param {any} b */
	const buildView = (b) => ({
		_class: 'hudson.model.FreeStyleBuild', actions: [parametersAction(b.params)], building: b.building, description: null, displayName: `#${b.number}`, duration: b.building ? 0 : b.duration,
		estimatedDuration: delays.build, fullDisplayName: `${b.job} #${b.number}`, id: String(b.number), number: b.number, queueId: b.queueId, result: b.result, timestamp: b.timestamp, url: `${baseUrl}/job/${b.job}/${b.number}/`,
	});

	/** @param {any} item */
	function startBuild(item) {
		const job = jobs.get(item.job);
		if (!job || item.cancelled) return;
		const failure = switches.take('build');
		const build = { job: job.name, number: job.nextBuildNumber++, params: item.params, queueId: item.id, building: true, result: /** @type {string | null} */ (null), timestamp: Date.now(), duration: 0, timer: /** @type {NodeJS.Timeout | null} */ (null) };
		job.builds.push(build);
		item.build = build;
		build.timer = scheduler.after(delays.build, () => {
			if (!build.building) return;
			Object.assign(build, { building: false, result: failure ? 'FAILURE' : 'SUCCESS', duration: Date.now() - build.timestamp });
		});
	}

	const app = createSandboxServer({
		name: 'jenkins',
		state: () => ({ jobs: [...jobs.values()].map((j) => ({ name: j.name, nextBuildNumber: j.nextBuildNumber, builds: j.builds.map(buildView) })), queue: [...queue.values()].map(itemView), failNext: switches.list() }),
		reset: () => {
			queue.clear();
			for (const job of jobs.values()) Object.assign(job, { builds: [], nextBuildNumber: 1 });
			switches.clear();
		},
		faultBody: (status) => text(status, `Injected fault ${status}`).body,
		notFound: () => text(404, 'Not Found'),
	});
	addFailRoute(app, switches);
	app.before((req) => {
		const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization || ''));
		const [name, secret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(/:(.*)/s) : ['', ''];
		const viaToken = name === user && secret === apiToken;
		const viaPassword = name === user && secret === password;
		if (!viaToken && !viaPassword) return text(401, basic ? `Invalid password/token for user: ${name}` : 'Authentication required', { 'WWW-Authenticate': 'Basic realm="Jenkins"' });
		// API-token requests are exempt from CSRF protection; password sessions need the crumb on POSTs.
		if (csrf && viaPassword && req.method === 'POST' && req.headers['jenkins-crumb'] !== crumb) return text(403, 'No valid crumb was included in the request');
		return undefined;
	});

	// The credential test: the instance's root object (GET /api/json), jobs listed by name.
	app.route('GET', '/api/json', () => ({
		body: { _class: 'hudson.model.Hudson', mode: 'NORMAL', nodeDescription: 'the Jenkins controller (sandbox)', numExecutors: 2, useCrumbs: csrf, useSecurity: true, jobs: [...jobs.keys()].map((name) => ({ _class: 'hudson.model.FreeStyleProject', name, url: `${baseUrl}/job/${name}/`, color: 'blue' })) },
	}));
	app.route('GET', '/crumbIssuer/api/json', () => (csrf ? { body: { _class: 'hudson.security.csrf.DefaultCrumbIssuer', crumb, crumbRequestField: 'Jenkins-Crumb' } } : text(404, 'Not Found')));
	app.route('POST', '/job/{name}/buildWithParameters', (req) => {
		const job = jobs.get(req.params.name);
		if (!job) return text(404, 'Not Found');
		const form = typeof req.body === 'object' && req.body ? /** @type {Record<string, unknown>} */ (req.body) : {};
		const params = Object.fromEntries(Object.entries({ ...req.query, ...form }).filter(([k]) => !['token', 'delay', 'cause'].includes(k)).map(([k, v]) => [k, String(v)]));
		const same = [...queue.values()].find((i) => i.job === job.name && !i.build && !i.cancelled && JSON.stringify(i.params) === JSON.stringify(params));
		if (same) return { status: 303, headers: { Location: `${baseUrl}/queue/item/${same.id}/` } };
		const item = { id: ++nextQueueId, job: job.name, params, inQueueSince: Date.now(), dueAt: Date.now() + delays.queue, cancelled: false, build: /** @type {any} */ (null), timer: /** @type {NodeJS.Timeout | null} */ (null) };
		queue.set(item.id, item);
		item.timer = scheduler.after(delays.queue, () => startBuild(item));
		return { status: 201, headers: { Location: `${baseUrl}/queue/item/${item.id}/` } };
	});
	app.route('GET', '/queue/item/{id}/api/json', (req) => {
		const item = queue.get(Number(req.params.id));
		return item ? { body: itemView(item) } : text(404, 'Not Found');
	});
	app.route('POST', '/queue/cancelItem', (req) => {
		const item = queue.get(Number(req.query.id));
		if (!item) return text(404, 'Not Found');
		if (!item.build) {
			item.cancelled = true;
			if (item.timer) scheduler.cancel(item.timer);
		}
		return { status: 204 };
	});
	app.route('GET', '/job/{name}/api/json', (req) => {
		const job = jobs.get(req.params.name);
		if (!job) return text(404, 'Not Found');
		const last = job.builds[job.builds.length - 1];
		return { body: { _class: 'hudson.model.FreeStyleProject', name: job.name, url: `${baseUrl}/job/${job.name}/`, buildable: true, inQueue: [...queue.values()].some((i) => i.job === job.name && !i.build && !i.cancelled), nextBuildNumber: job.nextBuildNumber, lastBuild: last ? { _class: 'hudson.model.FreeStyleBuild', number: last.number, url: `${baseUrl}/job/${job.name}/${last.number}/` } : null } };
	});
	/** @param {import('../core/server').SandboxRequest} req */
	const buildOf = (req) => jobs.get(req.params.name)?.builds.find((b) => String(b.number) === req.params.build);
	app.route('GET', '/job/{name}/{build}/api/json', (req) => {
		const build = buildOf(req);
		return build ? { body: buildView(build) } : text(404, 'Not Found');
	});
	app.route('GET', '/job/{name}/{build}', (req) => (buildOf(req) ? { headers: { 'Content-Type': 'text/html' }, body: `<html><body>${req.params.name} #${req.params.build}</body></html>` } : text(404, 'Not Found')));
	app.route('POST', '/job/{name}/{build}/stop', (req) => {
		const build = buildOf(req);
		if (!build) return text(404, 'Not Found');
		if (build.building) {
			scheduler.cancel(build.timer);
			Object.assign(build, { building: false, result: 'ABORTED', duration: Date.now() - build.timestamp });
		}
		return { status: 302, headers: { Location: `${baseUrl}/job/${build.job}/${build.number}/` } };
	});

	const listen = app.listen;
	const close = app.close;
	return Object.assign(app, {
		credentials: () => ({ user, apiToken, password }),
		addJob: (/** @type {string} */ name) => void addJob(name),
		failNext: switches.arm,
		/** @param {number} [port] */
		async listen(port) {
			const address = await listen(port);
			baseUrl = address.url;
			return address;
		},
		close() {
			scheduler.clear();
			return close();
		},
	});
}

module.exports = { createJenkinsFake };
