/**
 * Lead routing raced from several OS processes (n8n workers) on one shared store: file (one machine), PostgreSQL
 * and Redis. Each child (support/routingStateChild.js) claims its leads all at once after every child is ready.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { closeBackends } from '../../connectors/core';
import { FileRoutingStateStore, PostgresRoutingStateStore, RedisRoutingStateStore, type RoutingClaim, type RoutingStateStore } from '../../connectors/revops/routingState';
import { postgresPlan, redisPlan, suiteDatabase, uniqueName } from './support/backends';

const CHILD = join(__dirname, 'support', 'routingStateChild.js');

interface Job {
	tenant: string;
	pool: string;
	members: string[];
	capacity: Record<string, number>;
	leadIds: string[];
}

/** One child's stdout as lines, and a way to wait for a line (or its exit). */
function watch(child: ChildProcessByStdio<Writable, Readable, null>) {
	const lines: string[] = [];
	const waiters: Array<() => void> = [];
	let buffer = '';
	let exited: string | undefined;
	child.stdout.on('data', (chunk: Buffer) => {
		buffer += chunk.toString();
		const parts = buffer.split('\n');
		buffer = parts.pop() as string;
		lines.push(...parts);
		for (const wake of waiters.splice(0)) wake();
	});
	child.once('exit', (code, signal) => {
		exited = `child exited (${code ?? signal}) after: ${lines.join(' | ')}`;
		for (const wake of waiters.splice(0)) wake();
	});
	return (match: (line: string) => boolean) =>
		new Promise<string>((resolve, reject) => {
			const check = () => {
				const found = lines.find(match);
				if (found !== undefined) resolve(found);
				else if (exited) reject(new Error(exited));
				else waiters.push(check);
			};
			check();
		});
}

/** Starts one child per job, releases them together, and collects each one's answers. */
async function claimFromProcesses(spec: object, jobs: Job[]): Promise<RoutingClaim[][]> {
	const children = jobs.map((job) => spawn(process.execPath, [CHILD, JSON.stringify({ ...job, store: spec })], { stdio: ['pipe', 'pipe', 'inherit'] }));
	const waitFor = children.map(watch);
	try {
		await Promise.all(waitFor.map((next) => next((line) => line === 'ready')));
		for (const child of children) child.stdin.write('go\n');
		const results = await Promise.all(waitFor.map((next) => next((line) => line.startsWith('{'))));
		return results.map((line) => {
			const parsed = JSON.parse(line) as { result?: RoutingClaim[]; error?: string };
			if (parsed.error !== undefined) throw new Error(`child failed: ${parsed.error}`);
			return parsed.result as RoutingClaim[];
		});
	} finally {
		for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	}
}

interface Backend {
	name: string;
	skipped?: string;
	setup(): Promise<void>;
	teardown(): Promise<void>;
	spec(): object;
	/** A store in this (parent) process on the same state, to check the outcome. */
	store(): RoutingStateStore;
}

function fileBackend(): Backend {
	let dir = '';
	return {
		name: 'file',
		setup: async () => void (dir = await mkdtemp(join(tmpdir(), 'q2c-routing-processes-'))),
		teardown: () => rm(dir, { recursive: true, force: true }),
		spec: () => ({ kind: 'file', dir }),
		store: () => new FileRoutingStateStore(dir),
	};
}

function postgresBackend(): Backend {
	const db = suiteDatabase('routing state processes', 4);
	return {
		name: 'postgres',
		...(postgresPlan.kind === 'skip' ? { skipped: postgresPlan.reason } : {}),
		setup: () => db.open(),
		teardown: () => db.close(),
		spec: () => ({ kind: 'postgres', url: db.url, schema: 'routing_processes' }),
		store: () => new PostgresRoutingStateStore({ pool: db.pool, schema: 'routing_processes' }),
	};
}

function redisBackend(): Backend {
	const url = redisPlan.kind === 'server' ? redisPlan.url : 'redis://unused';
	const prefix = `${uniqueName('routing_processes')}:`;
	let client: Redis;
	return {
		name: 'redis',
		...(redisPlan.kind === 'skip' ? { skipped: redisPlan.reason } : {}),
		setup: async () => void (client = new Redis(url, { maxRetriesPerRequest: 1 })),
		async teardown() {
			const keys = await client.keys(`${prefix}*`);
			if (keys.length > 0) await client.del(...keys);
			await client.quit();
			await closeBackends();
		},
		spec: () => ({ kind: 'redis', url, prefix }),
		store: () => new RedisRoutingStateStore({ client, prefix }),
	};
}

const PROCESSES = 4;

for (const backend of [fileBackend(), postgresBackend(), redisBackend()]) {
	if (backend.skipped) console.log(`routing state processes: ${backend.name} cases skipped: ${backend.skipped}`);
	(backend.skipped ? describe.skip : describe)(`routing state across processes: ${backend.name}`, () => {
		beforeAll(() => backend.setup(), 90_000);
		afterAll(() => backend.teardown(), 60_000);

		it('assigns 200 distinct leads from 4 processes exactly once and evenly', async () => {
			const tenant = uniqueName('tenant');
			const members = ['w1', 'w2', 'w3'];
			const jobs = Array.from({ length: PROCESSES }, (_, p) => ({ tenant, pool: 'sdr', members, capacity: {}, leadIds: Array.from({ length: 50 }, (_, i) => `p${p}-lead-${i}`) }));
			const answers = (await claimFromProcesses(backend.spec(), jobs)).flat();
			expect(answers).toHaveLength(200);
			expect(answers.every((answer) => answer.reason === 'assigned')).toBe(true);
			const counts: Record<string, number> = {};
			for (const answer of answers) counts[answer.assignee as string] = (counts[answer.assignee as string] ?? 0) + 1;
			expect(Math.max(...Object.values(counts)) - Math.min(...Object.values(counts))).toBeLessThanOrEqual(1);
			expect(await backend.store().openLeads(tenant, members)).toEqual(counts);
		}, 90_000);

		it('assigns the same leads raced from 4 processes once each, within capacity', async () => {
			const tenant = uniqueName('tenant');
			const capacity = { c1: 10, c2: 4, c3: 6 };
			const members = Object.keys(capacity);
			const leadIds = Array.from({ length: 40 }, (_, i) => `shared-${i}`);
			const perProcess = await claimFromProcesses(
				backend.spec(),
				Array.from({ length: PROCESSES }, () => ({ tenant, pool: 'ae', members, capacity, leadIds })),
			);
			const assigned = perProcess.flat().filter((answer) => answer.reason === 'assigned');
			expect(assigned).toHaveLength(20);
			expect(new Set(assigned.map((answer) => answer.leadId)).size).toBe(20);
			// Every process saw the same assignee for a lead that was assigned.
			const owner = new Map(assigned.map((answer) => [answer.leadId, answer.assignee]));
			for (const answer of perProcess.flat()) if (owner.has(answer.leadId) && answer.reason !== 'capacity_exhausted') expect(answer.assignee).toBe(owner.get(answer.leadId));
			expect(await backend.store().openLeads(tenant, members)).toEqual(capacity);
		}, 90_000);
	});
}
