import nock from 'nock';
import { idempotencyKey } from '../../../core';
import { meterEventIdentifier, reportUsage, type ReportUsageInput } from '../meterEvents';
import { BASE, makeClient, reply, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const input: ReportUsageInput = { usageRecordId: 'usage-2026-12-01-acme', eventName: 'api_calls', customerId: 'cus_1', value: 25, timestamp: '2026-12-01T11:30:00Z' };

function stored(body: Record<string, string>) {
	return {
		object: 'billing.meter_event',
		created: NOW / 1000,
		event_name: body.event_name,
		identifier: body.identifier,
		livemode: false,
		payload: { stripe_customer_id: body['payload[stripe_customer_id]'], value: body['payload[value]'] },
		timestamp: Number(body.timestamp ?? NOW / 1000),
	};
}

/** Stripe answers with the event it stored, built from what was sent. */
function stripeAnswers(calls: Captured[], headers: Record<string, string> = {}) {
	const record = reply(calls, 200, {}, headers);
	nock(BASE)
		.post('/v1/billing/meter_events')
		.reply(function (uri, body) {
			record.call(this, uri, body);
			return [200, stored(calls[calls.length - 1].body), headers];
		});
}

describe('reportUsage', () => {
	it('sends event_name, payload, timestamp and an identifier derived from the usage record, with an idempotency key', async () => {
		const calls: Captured[] = [];
		stripeAnswers(calls);
		const result = await reportUsage(makeClient().client, input, NOW);
		expect(calls[0].body).toEqual({
			event_name: 'api_calls',
			identifier: meterEventIdentifier('api_calls', 'usage-2026-12-01-acme'),
			timestamp: String(Date.UTC(2026, 11, 1, 11, 30) / 1000),
			'payload[stripe_customer_id]': 'cus_1',
			'payload[value]': '25',
		});
		expect(calls[0].headers['idempotency-key']).toBe(idempotencyKey('usage-2026-12-01-acme', 'billing.meter_event.create.api_calls'));
		expect(result).toEqual({
			identifier: calls[0].body.identifier,
			eventName: 'api_calls',
			customerId: 'cus_1',
			value: '25',
			timestamp: '2026-12-01T11:30:00.000Z',
			created: true,
		});
	});

	it('sends the same identifier and key for a repeat, and reports a replay as not created', async () => {
		const calls: Captured[] = [];
		stripeAnswers(calls);
		stripeAnswers(calls, { 'Idempotent-Replayed': 'true' });
		const first = await reportUsage(makeClient().client, input, NOW);
		const repeat = await reportUsage(makeClient().client, { ...input, value: '25' }, NOW);
		expect(calls[1].body).toEqual(calls[0].body);
		expect(calls[1].headers['idempotency-key']).toBe(calls[0].headers['idempotency-key']);
		expect(first.created).toBe(true);
		expect(repeat.created).toBe(false);
	});

	it('gives other usage records and other meters other identifiers, each within 100 characters', () => {
		const long = 'x'.repeat(500);
		expect(meterEventIdentifier('api_calls', 'a')).not.toBe(meterEventIdentifier('api_calls', 'b'));
		expect(meterEventIdentifier('api_calls', 'a')).not.toBe(meterEventIdentifier('seats', 'a'));
		expect(meterEventIdentifier('api_calls', long).length).toBeLessThanOrEqual(100);
	});

	it('leaves the timestamp to Stripe when none is given (so repeats stay identical) and honours custom payload keys', async () => {
		const calls: Captured[] = [];
		stripeAnswers(calls);
		await reportUsage(makeClient().client, { ...input, timestamp: undefined, customerPayloadKey: 'customer', valuePayloadKey: 'tokens' }, NOW);
		expect(calls[0].body.timestamp).toBeUndefined();
		expect(calls[0].body).toMatchObject({ 'payload[customer]': 'cus_1', 'payload[tokens]': '25' });
	});

	it.each([
		['value', { value: -1 }],
		['value', { value: 2.5 }],
		['value', { value: 'lots' }],
		['value', { value: true }],
		['eventName', { eventName: 'api calls' }],
		['eventName', { eventName: 'e'.repeat(101) }],
		['customerId', { customerId: 'acme' }],
		['usageRecordId', { usageRecordId: '' }],
		['timestamp', { timestamp: '2026-10-01T00:00:00Z' }],
		['timestamp', { timestamp: NOW / 1000 + 600 }],
		['timestamp', { timestamp: 'yesterday' }],
	])('rejects a bad %s before any request', async (field, patch) => {
		await expect(reportUsage(makeClient().client, { ...input, ...patch } as ReportUsageInput, NOW)).rejects.toMatchObject({ kind: 'validation', field: `usage.${field}` });
	});
});
