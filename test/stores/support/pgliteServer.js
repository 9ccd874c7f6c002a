/**
 * An embedded PostgreSQL (PGlite) behind a real wire-protocol socket, for the store suites on a machine without
 * PostgreSQL. Run as its own Node process (PGlite loads WASM through dynamic import, which jest's VM refuses).
 * Prints `port <n>` when listening; stops on SIGTERM or when its parent's stdin closes.
 */
'use strict';

async function main() {
	const { PGlite } = require('@electric-sql/pglite');
	const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');
	const db = await PGlite.create();
	const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 });
	await server.start();
	const stop = async () => {
		await server.stop().catch(() => undefined);
		await db.close().catch(() => undefined);
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.stdin.on('end', stop).resume();
	process.stdout.write(`port ${/** @type {{ port: number }} */ (/** @type {unknown} */ (server)).port}\n`);
}

main().catch((error) => {
	process.stderr.write(`pglite server failed: ${error && error.message}\n`);
	process.exit(1);
});
