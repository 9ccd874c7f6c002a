// @ts-check
'use strict';

const http = require('node:http');

/**
 * The sandbox's admin HTTP surface (sandbox/index.js startAdmin): `METHOD /path` → handler(body, url); JSON in and
 * out; a thrown error's `status` (400 for malformed JSON, else 500) with `{ error }`; 404 lists the routes.
 * @param {Record<string, (body: any, url: URL) => unknown>} routes
 * @param {number} port 0 = ephemeral
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
function serveJsonRoutes(routes, port) {
	const server = http.createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const url = new URL(req.url || '/', 'http://admin.local');
		const handler = routes[`${req.method} ${url.pathname.replace(/\/+$/, '') || '/'}`];
		/** @param {number} status @param {unknown} value */
		const reply = (status, value) => {
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(value, null, 2));
		};
		if (!handler) return reply(404, { error: `No admin route ${req.method} ${url.pathname}`, routes: Object.keys(routes) });
		try {
			const raw = Buffer.concat(chunks).toString('utf8');
			const body = raw ? JSON.parse(raw) : undefined;
			reply(200, await handler(body, url));
		} catch (error) {
			reply(/** @type {any} */ (error).status || (error instanceof SyntaxError ? 400 : 500), { error: error instanceof Error ? error.message : String(error) });
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const address = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({
				url: `http://127.0.0.1:${address.port}`,
				close: () =>
					new Promise((done) => {
						server.close(() => done(undefined));
						server.closeAllConnections();
					}),
			});
		});
	});
}

module.exports = { serveJsonRoutes };
