import net from 'node:net';
import { Client } from 'pg';

const { startProvisioningStack } = require('../../sandbox/provisioningStack');

/**
 * Without a reachable PostgreSQL, the stack's provisioningPostgresApi is a loopback port that starts PGlite on
 * its first connection (none at startup) and stops it on close().
 */

const portIsClosed = (port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => (socket.destroy(), resolve(false)));
		socket.once('error', () => resolve(true));
	});

it('starts PGlite on first use only, and stops it on close', async () => {
	const stack = await startProvisioningStack({ postgresAdminUrl: 'postgres://postgres@127.0.0.1:1/postgres' });
	try {
		expect(stack.postgresBackend).toBe('pglite');
		const pg = stack.credentials.provisioningPostgresApi;
		expect(pg).toEqual({ host: '127.0.0.1', port: expect.any(Number), database: 'postgres', user: 'postgres', password: '', ssl: false, tenantHost: '' });
		expect(stack.pgliteStarted()).toBe(false);
		const client = new Client({ host: pg.host, port: pg.port, database: pg.database, user: pg.user, password: pg.password });
		await client.connect();
		expect((await client.query('SELECT 41 + 1 AS answer')).rows).toEqual([{ answer: 42 }]);
		await client.end();
		expect(stack.pgliteStarted()).toBe(true);
	} finally {
		await stack.close();
	}
	expect(await portIsClosed(stack.credentials.provisioningPostgresApi.port)).toBe(true);
}, 30_000);

it('hands out a reachable PostgreSQL as its URL says, without starting PGlite', async () => {
	// Reachability is a TCP connect: a bare listener stands in for the server.
	const listener = net.createServer((socket) => socket.destroy());
	await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
	const port = (listener.address() as net.AddressInfo).port;
	try {
		const stack = await startProvisioningStack({ postgresAdminUrl: `postgres://admin:p%40ss@127.0.0.1:${port}/tenants?sslmode=require` });
		await stack.close();
		expect(stack.postgresBackend).toBe('machine');
		expect(stack.pgliteStarted()).toBe(false);
		expect(stack.credentials.provisioningPostgresApi).toEqual({ host: '127.0.0.1', port, database: 'tenants', user: 'admin', password: 'p@ss', ssl: true, tenantHost: '' });
	} finally {
		listener.close();
	}
});
