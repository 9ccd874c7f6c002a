// @ts-check
'use strict';

/**
 * One embedded PostgreSQL (PGlite) behind a wire-protocol socket: the "server" of one fake RDS instance when no
 * real PostgreSQL is reachable, and the store suites' database on such a machine. Its own Node process (PGlite
 * loads WASM through dynamic import, which jest's VM refuses). Optional argument: the most connections (32).
 * Prints `port <n>` when listening; stops on SIGTERM or when the parent's stdin closes.
 */

async function main() {
	const { PGlite } = require('@electric-sql/pglite');
	const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');
	const db = await PGlite.create();
	const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: Number(process.argv[2]) || 32 });
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
