// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * HCP Terraform notification configurations (generic destination): created per workspace, a `verification`
 * delivery first, then one delivery per run status change whose trigger the configuration subscribed to. Bodies
 * are payload_version 1; with a token, `X-TFE-Notification-Signature` = hex HMAC-SHA512(token, raw body).
 */

/** @type {Record<string, string>} run status → trigger */
const TRIGGERS = { pending: 'run:created', planning: 'run:planning', planned: 'run:needs_attention', applying: 'run:applying', applied: 'run:completed', planned_and_finished: 'run:completed', errored: 'run:errored' };
const KNOWN = ['run:created', 'run:planning', 'run:needs_attention', 'run:applying', 'run:completed', 'run:errored', 'assessment:check_failure', 'assessment:drifted', 'assessment:failed', 'workspace:auto_destroy_reminder', 'workspace:auto_destroy_run_results'];

/**
 * @param {{ organization: string, deliverer: ReturnType<typeof import('./hooks').createDeliverer>, workspaces: Map<string, any> }} context
 */
function registerNotifications(context) {
	/** @type {Map<string, any>} */
	const configs = new Map();

	/** @param {any} c */
	const view = (c) => ({ id: c.id, type: 'notification-configurations', attributes: { enabled: c.enabled, name: c.name, url: c.url, 'destination-type': c.destinationType, triggers: c.triggers, 'created-at': c.createdAt, 'updated-at': c.createdAt, 'delivery-responses': c.responses }, relationships: { subscribable: { data: { id: c.workspaceId, type: 'workspaces' } } }, links: { self: `/api/v2/notification-configurations/${c.id}` } });

	/** @param {any} config @param {any} payload */
	async function send(config, payload) {
		const body = JSON.stringify(payload);
		/** @type {Record<string, string>} */
		const headers = { 'Content-Type': 'application/json', 'User-Agent': 'TFE/v202411-1' };
		if (config.token) headers['X-TFE-Notification-Signature'] = crypto.createHmac('sha512', config.token).update(body).digest('hex');
		const delivery = await context.deliverer.deliver({ label: `${config.id} ${payload.notifications[0].trigger}`, url: config.url, headers, body });
		const last = delivery.attempts[delivery.attempts.length - 1];
		config.responses = [{ url: config.url, body: '', code: String(last?.status ?? ''), headers: {}, 'sent-at': last?.at, successful: String(delivery.delivered) }, ...config.responses].slice(0, 10);
		return delivery;
	}

	/** @param {any} config @param {any} workspace @param {any} run @param {{ message: string, trigger: string, status: string | null }} n */
	const payload = (config, workspace, run, n) => ({
		payload_version: 1,
		notification_configuration_id: config.id,
		run_url: run ? `https://app.terraform.io/app/${context.organization}/${workspace.name}/runs/${run.id}` : null,
		run_id: run ? run.id : null,
		run_message: run ? run.message : null,
		run_created_at: run ? run.createdAt : null,
		run_created_by: run ? 'q2c-automation' : null,
		workspace_id: workspace ? workspace.id : null,
		workspace_name: workspace ? workspace.name : null,
		organization_name: context.organization,
		notifications: [{ message: n.message, trigger: n.trigger, run_status: n.status, run_updated_at: run ? run.updatedAt : null, run_updated_by: run ? 'q2c-automation' : null }],
	});

	return {
		list: () => [...configs.values()].map(view),
		/** Deliver a run's current status to every subscribed, enabled configuration of its workspace. @param {any} run @param {any} workspace */
		notify(run, workspace) {
			const trigger = TRIGGERS[run.status];
			if (!trigger || (run.status === 'planned' && run.autoApply)) return;
			for (const config of configs.values()) {
				if (config.workspaceId !== workspace.id || !config.enabled || !config.triggers.includes(trigger)) continue;
				const message = `Run ${run.status.replace(/_/g, ' ').replace(/^\w/, (/** @type {string} */ c) => c.toUpperCase())}`;
				send(config, payload(config, workspace, run, { message, trigger, status: run.status })).catch(() => undefined);
			}
		},
		/**
		 * @param {ReturnType<typeof import('../core/server').createSandboxServer>} app
		 * @param {(status: number, title: string, detail?: string, pointer?: string) => import('../core/server').SandboxResponse} apiError
		 * @param {(body: unknown, status?: number) => import('../core/server').SandboxResponse} jsonApi
		 */
		routes(app, apiError, jsonApi) {
			app.route('POST', '/api/v2/workspaces/{id}/notification-configurations', async (req) => {
				const workspace = context.workspaces.get(req.params.id);
				if (!workspace) return apiError(404, 'not found');
				const data = /** @type {any} */ (req.locals.doc).data;
				if (!data || data.type !== 'notification-configurations') return apiError(422, 'invalid attribute', 'type must be "notification-configurations"', '/data/type');
				const a = data.attributes || {};
				if (a['destination-type'] !== 'generic') return apiError(422, 'invalid attribute', 'Destination type is not included in the list (this fake delivers generic only)', '/data/attributes/destination-type');
				if (typeof a.url !== 'string' || !/^https?:\/\//.test(a.url)) return apiError(422, 'invalid attribute', 'Url is not a valid URL', '/data/attributes/url');
				if (typeof a.name !== 'string' || !a.name) return apiError(422, 'invalid attribute', "Name can't be blank", '/data/attributes/name');
				const triggers = Array.isArray(a.triggers) ? a.triggers : [];
				const unknown = triggers.find((/** @type {unknown} */ t) => !KNOWN.includes(String(t)));
				if (unknown !== undefined) return apiError(422, 'invalid attribute', `Triggers contains an invalid value: ${unknown}`, '/data/attributes/triggers');
				const now = new Date().toISOString();
				const config = { id: `nc-${crypto.randomBytes(8).toString('hex').slice(0, 16)}`, workspaceId: workspace.id, name: a.name, url: a.url, token: typeof a.token === 'string' ? a.token : '', enabled: a.enabled === true, destinationType: 'generic', triggers, createdAt: now, responses: /** @type {any[]} */ ([]) };
				configs.set(config.id, config);
				// Enabled configurations are verified on creation; the answer lands in delivery-responses.
				if (config.enabled) await send(config, payload(config, workspace, null, { message: 'Verification of ' + config.name, trigger: 'verification', status: null }));
				return jsonApi({ data: view(config) }, 201);
			});
			app.route('GET', '/api/v2/workspaces/{id}/notification-configurations', (req) => jsonApi({ data: [...configs.values()].filter((c) => c.workspaceId === req.params.id).map(view) }));
			app.route('POST', '/api/v2/notification-configurations/{id}/actions/verify', async (req) => {
				const config = configs.get(req.params.id);
				if (!config) return apiError(404, 'not found');
				await send(config, payload(config, context.workspaces.get(config.workspaceId), null, { message: 'Verification of ' + config.name, trigger: 'verification', status: null }));
				return jsonApi({ data: view(config) });
			});
			app.route('DELETE', '/api/v2/notification-configurations/{id}', (req) => (configs.delete(req.params.id) ? { status: 204 } : apiError(404, 'not found')));
		},
	};
}

module.exports = { registerNotifications };
