/**
 * The reporting queue on the machine's Redis: a risk published with XADD is read back by a consumer with XREAD,
 * a repeat of the same business key + step adds nothing, bad input names its field before anything is written.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ConnectorError } from '../../core';
import { publishRisk, readRisks } from '../riskStream';
import { redisPlan } from '../../../test/stores/support/backends';

if (redisPlan.kind === 'skip') console.warn(`reporting queue tests skipped: ${redisPlan.reason}`);
const withRedis = redisPlan.kind === 'skip' ? describe.skip : describe;

withRedis('risk stream (Redis Streams)', () => {
	let client: Redis;
	const stream = `q2c:test:risks:${randomBytes(4).toString('hex')}`;
	beforeAll(() => {
		client = new Redis((redisPlan as { url: string }).url, { maxRetriesPerRequest: 1 });
	});
	afterAll(async () => {
		const marks = await client.keys(`${stream}*`);
		if (marks.length) await client.del(...marks);
		await client.quit();
	});

	it('publishes once per business key + step; a consumer reads the entry with its fields', async () => {
		const risk = { businessKey: 'support-1', step: 'support.acceptance.red', severity: 'red' as const, reason: 'No on-call rota', customer: 'Acme', details: { rating: 'red', attempt: 1 } };
		const first = await publishRisk(client, risk, { stream });
		const again = await publishRisk(client, { ...risk, reason: 'changed text' }, { stream });
		expect(first.published).toBe(true);
		expect(again).toMatchObject({ published: false, entryId: first.entryId, idempotencyKey: first.idempotencyKey });

		const entries = await readRisks(client, stream, '0');
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({ entryId: first.entryId, businessKey: 'support-1', severity: 'red', reason: 'No on-call rota', customer: 'Acme', details: { rating: 'red', attempt: 1 } });

		const other = await publishRisk(client, { ...risk, step: 'support.acceptance.unacknowledged' }, { stream });
		expect(other.published).toBe(true);
		const after = await readRisks(client, stream, first.entryId);
		expect(after.map((entry) => entry.step)).toEqual(['support.acceptance.unacknowledged']);
	});

	it('a blocking consumer is woken by the next publish', async () => {
		const reader = client.duplicate();
		try {
			const waiting = readRisks(reader, stream, '$', { blockMs: 3000 });
			await new Promise((resolve) => setTimeout(resolve, 100));
			await publishRisk(client, { businessKey: 'support-2', step: 'support.acceptance.yellow', severity: 'yellow', reason: 'Backups weekly only' }, { stream });
			expect((await waiting).map((entry) => entry.businessKey)).toEqual(['support-2']);
		} finally {
			reader.disconnect();
		}
	});

	it('rejects bad input naming the field, before writing', async () => {
		const before = await client.xlen(stream);
		await expect(publishRisk(client, { businessKey: 'k', step: 'bad step', severity: 'red', reason: 'r' }, { stream })).rejects.toMatchObject({ kind: 'validation', field: 'risk.step' });
		await expect(publishRisk(client, { businessKey: 'k', step: 's', severity: 'purple' as 'red', reason: 'r' }, { stream })).rejects.toThrow(/risk\.severity/);
		await expect(publishRisk(client, { businessKey: 'k', step: 's', severity: 'red', reason: 'r' }, { stream: 'has space' })).rejects.toThrow(/stream\.stream/);
		expect(await client.xlen(stream)).toBe(before);
	});
});

describe('risk stream without Redis', () => {
	it('fails as transient, naming the queue, without the URL password', async () => {
		const down = new Redis('redis://:s3cret-pw@127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
		down.on('error', () => undefined);
		const failure = await publishRisk(down, { businessKey: 'k', step: 's', severity: 'red', reason: 'r' }, { stream: 'x' }).catch((error) => error);
		down.disconnect();
		expect(failure).toBeInstanceOf(ConnectorError);
		expect(failure).toMatchObject({ kind: 'transient' });
		expect(failure.message).toMatch(/reporting queue \(Redis\)/);
		expect(failure.message).not.toContain('s3cret-pw');
	});
});
