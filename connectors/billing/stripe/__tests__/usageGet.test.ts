import nock from 'nock';
import { getUsage } from '../usageGet';
import { BASE, list, makeClient, reply, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const NOW = Date.UTC(2026, 11, 15, 10, 30, 20);
const meter = (id: string, eventName: string, formula = 'sum') => ({
	id,
	object: 'billing.meter',
	event_name: eventName,
	display_name: eventName,
	status: 'active',
	default_aggregation: { formula },
	customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
	value_settings: { event_payload_key: 'value' },
});
const summary = (value: number) => ({ id: `mtrsumm_${value}`, object: 'billing.meter_event_summary', aggregated_value: value, meter: 'mtr_calls', livemode: false, start_time: 0, end_time: 0 });

describe('getUsage', () => {
	it("finds the meter by event name and sums the customer's event summaries over minute-aligned bounds", async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/billing/meters')
			.query(true)
			.reply(reply(calls, 200, list([meter('mtr_seats', 'seats', 'last'), meter('mtr_calls', 'api_calls')])))
			.get('/v1/billing/meters/mtr_calls/event_summaries')
			.query(true)
			.reply(reply(calls, 200, list([summary(1200), summary(34)])));
		const result = await getUsage(makeClient().client, { customerId: 'cus_1', eventName: 'api_calls', startTime: '2026-12-01T00:00:30Z' }, NOW);

		expect(new URL(calls[0].path, BASE).searchParams.get('status')).toBe('active');
		const query = new URL(calls[1].path, BASE).searchParams;
		expect(query.get('customer')).toBe('cus_1');
		expect(query.get('start_time')).toBe(String(Date.UTC(2026, 11, 1, 0, 0) / 1000));
		expect(query.get('end_time')).toBe(String(Date.UTC(2026, 11, 15, 10, 31) / 1000));
		expect(result).toEqual({
			customerId: 'cus_1',
			eventName: 'api_calls',
			meterId: 'mtr_calls',
			aggregation: 'sum',
			startTime: '2026-12-01T00:00:00.000Z',
			endTime: '2026-12-15T10:31:00.000Z',
			total: 1234,
		});
	});

	it('follows summary pages and reuses the meter lookup for the next call', async () => {
		const calls: Captured[] = [];
		nock(BASE)
			.get('/v1/billing/meters')
			.query(true)
			.reply(reply(calls, 200, list([meter('mtr_calls', 'api_calls')])))
			.get('/v1/billing/meters/mtr_calls/event_summaries')
			.query((q) => !q.starting_after)
			.reply(reply(calls, 200, list([summary(5)], true)))
			.get('/v1/billing/meters/mtr_calls/event_summaries')
			.query((q) => q.starting_after === 'mtrsumm_5')
			.reply(reply(calls, 200, list([summary(7)])))
			.get('/v1/billing/meters/mtr_calls/event_summaries')
			.query(true)
			.reply(reply(calls, 200, list([summary(1)])));
		const { client } = makeClient();
		const usage = { customerId: 'cus_1', eventName: 'api_calls', startTime: Date.UTC(2026, 11, 1) / 1000, endTime: Date.UTC(2026, 11, 2) / 1000 };
		expect((await getUsage(client, usage, NOW)).total).toBe(12);
		expect((await getUsage(client, usage, NOW)).total).toBe(1);
		expect(calls.filter((c) => c.path.startsWith('/v1/billing/meters?'))).toHaveLength(1);
	});

	it('reports an event name no active meter records as not_found', async () => {
		nock(BASE).get('/v1/billing/meters').query(true).reply(200, list([meter('mtr_seats', 'seats')]));
		await expect(getUsage(makeClient().client, { customerId: 'cus_1', eventName: 'api_calls', startTime: '2026-12-01T00:00:00Z' }, NOW)).rejects.toMatchObject({
			kind: 'not_found',
			field: 'usage.eventName',
		});
	});

	it.each([
		['customerId', { customerId: 'sub_1' }],
		['eventName', { eventName: '' }],
		['startTime', { startTime: 'last month' }],
		['startTime', { startTime: '2026-12-20T00:00:00Z' }],
		['endTime', { endTime: 1.5 }],
	])('rejects a bad %s before any request', async (field, patch) => {
		await expect(getUsage(makeClient().client, { customerId: 'cus_1', eventName: 'api_calls', startTime: '2026-12-01T00:00:00Z', ...patch }, NOW)).rejects.toMatchObject({
			kind: 'validation',
			field: `usage.${field}`,
		});
	});
});
