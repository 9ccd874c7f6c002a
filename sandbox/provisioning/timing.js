// @ts-check
'use strict';

/**
 * What the provisioning fakes share: state transitions that take (scaled) time, and "the next resource will
 * fail" switches, armed in-process or through `POST /__sandbox/fail-next` `{ kind, times?, message? }`.
 */

/**
 * Timers for state transitions; `clear()` on close so nothing fires after a fake stopped.
 * @param {{ timeScale?: number }} [options] every delay is multiplied by timeScale (default 1)
 */
function createScheduler(options = {}) {
	const scale = options.timeScale ?? 1;
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	return {
		/** @param {number} ms @param {() => unknown} fn */
		after(ms, fn) {
			const timer = setTimeout(() => {
				timers.delete(timer);
				Promise.resolve()
					.then(fn)
					.catch(() => undefined);
			}, Math.max(0, Math.round(ms * scale)));
			timer.unref();
			timers.add(timer);
			return timer;
		},
		/** @param {NodeJS.Timeout} timer */
		cancel(timer) {
			clearTimeout(timer);
			timers.delete(timer);
		},
		clear() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
		},
		get pending() {
			return timers.size;
		},
	};
}

/** @param {string[]} kinds the resource kinds a fake can fail (e.g. `db-instance`, `pipeline`) */
function createFailSwitches(kinds) {
	/** @type {Map<string, { times: number, message: string | undefined }>} */
	const armed = new Map();
	const api = {
		kinds,
		/** The next `times` resources of `kind` fail (default 1). @param {string} kind @param {{ times?: number, message?: string }} [options] */
		arm(kind, options = {}) {
			if (!kinds.includes(kind)) throw Object.assign(new Error(`Unknown kind "${kind}"; known: ${kinds.join(', ')}`), { status: 400 });
			armed.set(kind, { times: options.times ?? 1, message: options.message });
		},
		/** Whether this resource fails (uses one arming), with the message to report. @param {string} kind */
		take(kind) {
			const entry = armed.get(kind);
			if (!entry || entry.times <= 0) return null;
			entry.times -= 1;
			if (entry.times === 0) armed.delete(kind);
			return { message: entry.message };
		},
		list: () => Object.fromEntries([...armed].map(([kind, entry]) => [kind, entry.times])),
		clear: () => armed.clear(),
	};
	return api;
}

/**
 * Admin route for the switches on a sandbox server.
 * @param {ReturnType<import('../core/server').createSandboxServer>} app
 * @param {ReturnType<typeof createFailSwitches>} switches
 */
function addFailRoute(app, switches) {
	app.route('POST', '/__sandbox/fail-next', (req) => {
		const body = /** @type {any} */ (req.body || {});
		try {
			switches.arm(String(body.kind), { times: Number.isInteger(body.times) ? body.times : 1, message: typeof body.message === 'string' ? body.message : undefined });
		} catch (error) {
			return { status: 400, body: { error: /** @type {Error} */ (error).message } };
		}
		return { status: 201, body: { armed: switches.list() } };
	});
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { createScheduler, createFailSwitches, addFailRoute, sleep };
