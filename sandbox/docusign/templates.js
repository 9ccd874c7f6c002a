// @ts-check
'use strict';

/** `GET /restapi/v2.1/accounts/{accountId}/templates` with search_text, count and start_position. */

/**
 * @param {ReturnType<typeof import('../core/server').createSandboxServer>} app
 * @param {{ base: string, store: ReturnType<typeof import('./store').createStore> }} ctx
 */
function registerTemplateRoutes(app, ctx) {
	app.route('GET', `${ctx.base}/templates`, (req) => {
		const query = /** @type {Record<string, unknown>} */ (req.locals.query || {});
		const numeric = (/** @type {unknown} */ raw, /** @type {number} */ fallback) => (raw === undefined ? fallback : /^\d+$/.test(String(raw)) ? Number(raw) : NaN);
		const count = numeric(query.count, 100);
		const start = numeric(query.start_position, 0);
		if (Number.isNaN(count) || Number.isNaN(start)) {
			return { status: 400, body: { errorCode: 'INVALID_REQUEST_PARAMETER', message: 'The request contained at least one invalid parameter. count and start_position must be whole numbers.' } };
		}
		const needle = String(query.search_text || '').toLowerCase();
		const matches = [...ctx.store.state.templates.values()].filter((t) => !needle || t.name.toLowerCase().includes(needle) || t.description.toLowerCase().includes(needle));
		const page = matches.slice(start, start + count).map((t) => ({
			templateId: t.templateId,
			uri: `/templates/${t.templateId}`,
			name: t.name,
			description: t.description,
			emailSubject: t.emailSubject,
			shared: 'false',
			created: t.created,
			lastModified: t.lastModified,
			pageCount: 1,
			folderName: 'Templates',
		}));
		const params = new URLSearchParams(req.rawQuery);
		const uriAt = (/** @type {number} */ position) => {
			params.set('start_position', String(position));
			params.set('count', String(count));
			return `/accounts/${req.params.accountId}/templates?${params}`;
		};
		return {
			body: {
				resultSetSize: String(page.length),
				startPosition: String(start),
				endPosition: String(page.length ? start + page.length - 1 : start),
				totalSetSize: String(matches.length),
				nextUri: start + page.length < matches.length ? uriAt(start + page.length) : '',
				previousUri: start > 0 ? uriAt(Math.max(0, start - count)) : '',
				...(page.length ? { envelopeTemplates: page } : {}),
			},
		};
	});
}

module.exports = { registerTemplateRoutes };
