// @ts-check
'use strict';

const path = require('node:path');
const net = require('node:net');
const { spawn } = require('node:child_process');
const { Client } = require('pg');

/**
 * The real databases behind the RDS fake. With `postgresAdminUrl` reachable, an instance is a role (the master
 * user, with its password) and a database it owns on that server; both must not exist yet (pick unique names
 * when sharing a server), and both are dropped with the instance. Otherwise each instance is its own PGlite
 * process on a loopback port (PGlite answers any database name and does not check passwords: say so in tests).
 */

/** @param {string} name */
const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;
/** @param {string} value */
const quoteLiteral = (value) => `'${value.replace(/'/g, "''")}'`;

/** @param {string} url */
function reachable(url) {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect(Number(port) || 5432, hostname);
		const done = (/** @type {boolean} */ ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1500, () => done(false));
		socket.once('connect', () => done(true)).once('error', () => done(false));
	});
}

/** @returns {Promise<{ port: number, stop: () => Promise<void> }>} */
function startPglite() {
	const child = spawn(process.execPath, [path.join(__dirname, 'pgliteServer.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error('PGlite did not start within 60 s')), 60_000);
		child.once('exit', (code) => reject(new Error(`PGlite exited with ${code}`)));
		child.stdout?.on('data', (chunk) => {
			out += String(chunk);
			const match = /port (\d+)/.exec(out);
			if (!match) return;
			clearTimeout(timer);
			const stop = () =>
				new Promise((done) => {
					if (child.exitCode !== null) return done(undefined);
					child.once('exit', () => done(undefined));
					child.kill('SIGTERM');
				}).then(() => undefined);
			resolve({ port: Number(match[1]), stop });
		});
	});
}

/**
 * @param {{ postgresAdminUrl?: string }} options
 */
function createDatabaseHost(options) {
	/** @type {Promise<'server' | 'pglite'> | null} */
	let backend = null;
	/** @type {Map<string, { kind: 'server' | 'pglite', host: string, port: number, dbName: string, username: string, stop?: () => Promise<void> }>} */
	const databases = new Map();

	const decide = () => (backend ??= options.postgresAdminUrl ? reachable(options.postgresAdminUrl).then((ok) => (ok ? 'server' : 'pglite')) : Promise.resolve('pglite'));

	/** @param {(client: Client) => Promise<unknown>} work */
	async function asAdmin(work) {
		const client = new Client({ connectionString: options.postgresAdminUrl });
		client.on('error', () => undefined);
		await client.connect();
		try {
			await work(client);
		} finally {
			await client.end().catch(() => undefined);
		}
	}

	/**
	 * Create the instance's database and master role. Rejects when either already exists on a shared server.
	 * @param {string} instanceId
	 * @param {{ dbName: string, username: string, password: string }} spec
	 */
	async function provision(instanceId, spec) {
		const kind = await decide();
		if (kind === 'server') {
			const admin = new URL(/** @type {string} */ (options.postgresAdminUrl));
			await asAdmin(async (client) => {
				const taken = await client.query('SELECT (SELECT count(*) FROM pg_roles WHERE rolname = $1)::int AS roles, (SELECT count(*) FROM pg_database WHERE datname = $2)::int AS dbs', [spec.username, spec.dbName]);
				if (taken.rows[0].roles || taken.rows[0].dbs) throw new Error(`role ${spec.username} or database ${spec.dbName} already exists on the shared server`);
				await client.query(`CREATE ROLE ${quoteIdent(spec.username)} LOGIN PASSWORD ${quoteLiteral(spec.password)}`);
				await client.query(`CREATE DATABASE ${quoteIdent(spec.dbName)} OWNER ${quoteIdent(spec.username)}`);
			});
			const entry = { kind, host: admin.hostname, port: Number(admin.port) || 5432, dbName: spec.dbName, username: spec.username };
			databases.set(instanceId, entry);
			return { ...entry };
		}
		const pglite = await startPglite();
		const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${pglite.port}/postgres` });
		await client.connect();
		await client.query(`CREATE ROLE ${quoteIdent(spec.username)} LOGIN PASSWORD ${quoteLiteral(spec.password)}`).catch(() => undefined);
		await client.end();
		const entry = { kind, host: '127.0.0.1', port: pglite.port, dbName: spec.dbName, username: spec.username, stop: pglite.stop };
		databases.set(instanceId, entry);
		return { kind, host: entry.host, port: entry.port, dbName: entry.dbName, username: entry.username };
	}

	/** Drop the instance's database and role (or stop its PGlite). @param {string} instanceId */
	async function drop(instanceId) {
		const entry = databases.get(instanceId);
		if (!entry) return;
		databases.delete(instanceId);
		if (entry.stop) return entry.stop();
		await asAdmin(async (client) => {
			await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(entry.dbName)} WITH (FORCE)`);
			await client.query(`DROP ROLE IF EXISTS ${quoteIdent(entry.username)}`);
		});
	}

	return {
		provision,
		drop,
		/** Which backend was chosen (null before the first instance). */
		backend: async () => (backend ? backend : null),
		list: () => [...databases].map(([instanceId, { kind, host, port, dbName, username }]) => ({ instanceId, kind, host, port, dbName, username })),
		/** Drop everything this fake created. */
		async closeAll() {
			for (const instanceId of [...databases.keys()]) await drop(instanceId).catch(() => undefined);
		},
	};
}

module.exports = { createDatabaseHost, reachable, startPglite };
