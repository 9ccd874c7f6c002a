import nock from 'nock';
import { BATCH_SIZE } from '../dealUpdates';
import { api, capture, deal, hsError, makeCrm, PIPELINES, resetHubspot } from './helpers';

afterEach(resetHubspot);

function reread(id: string, properties: Record<string, string> = {}) {
	api().get(`/crm/v3/objects/deals/${id}`).query(true).reply(200, deal(id, properties));
	api().get('/crm/v3/pipelines/deals').reply(200, PIPELINES);
	api().get(`/crm/v4/objects/deals/${id}/associations/companies`).query(true).reply(200, { results: [] });
}

describe('updateDeal / changeOwner', () => {
	it('maps stage, owner and custom properties to HubSpot names and returns the re-read deal', async () => {
		const bodies: unknown[] = [];
		api().patch('/crm/v3/objects/deals/5', capture(bodies)).reply(200, deal('5'));
		reread('5', { dealstage: '1002', pipeline: '7777', subscription_id: 'sub_9' });
		const { crm } = makeCrm();
		const result = await crm.updateDeal('5', { stage: '1002', ownerId: '88', properties: { subscription_id: 'sub_9', seats: 12, renewal: true, cleared: null } });
		expect(bodies[0]).toEqual({ properties: { dealstage: '1002', hubspot_owner_id: '88', subscription_id: 'sub_9', seats: '12', renewal: 'true', cleared: '' } });
		expect(result).toMatchObject({ id: '5', stageId: '1002', isWon: true, stageLabel: 'Renewed' });
		expect(nock.isDone()).toBe(true);
	});

	it('changeOwner sets only hubspot_owner_id', async () => {
		const bodies: unknown[] = [];
		api().patch('/crm/v3/objects/deals/6', capture(bodies)).reply(200, deal('6'));
		reread('6', { hubspot_owner_id: '99' });
		const { crm } = makeCrm();
		expect((await crm.changeOwner('6', '99')).ownerId).toBe('99');
		expect(bodies[0]).toEqual({ properties: { hubspot_owner_id: '99' } });
	});

	it('validates before any request, naming the field', async () => {
		const { crm } = makeCrm();
		await expect(crm.updateDeal('5', {})).rejects.toMatchObject({ kind: 'validation', field: 'update' });
		await expect(crm.updateDeal('5', { stage: ' ' })).rejects.toMatchObject({ field: 'update.stage' });
		await expect(crm.updateDeal('5', { ownerId: 'bob' })).rejects.toMatchObject({ field: 'update.ownerId' });
		await expect(crm.updateDeal('5', { properties: { 'bad-name': 'x' } })).rejects.toMatchObject({ field: 'update.properties' });
		await expect(crm.updateDeal('5', { properties: { nested: { a: 1 } } })).rejects.toMatchObject({ field: 'update.properties.nested' });
		await expect(crm.updateDeal('5', null as never)).rejects.toMatchObject({ field: 'update' });
		await expect(crm.changeOwner('5', 'x')).rejects.toMatchObject({ field: 'ownerId' });
	});

	it('maps a property validation error with the property name as the field', async () => {
		api()
			.patch('/crm/v3/objects/deals/5')
			.reply(
				400,
				hsError('VALIDATION_ERROR', 'Property values were not valid', {
					errors: [{ message: 'Property "amount" is not a number', code: 'INVALID_DECIMAL', context: { propertyName: ['amount'] } }],
				}),
			);
		const { crm } = makeCrm();
		await expect(crm.updateDeal('5', { properties: { amount: 'lots' } })).rejects.toMatchObject({ kind: 'validation', field: 'amount', status: 400 });
	});
});

describe('updateDeals', () => {
	it('chunks by 100 and reports per-record results, including 207 partial failures', async () => {
		const bodies: Array<{ inputs: Array<{ id: string; properties: Record<string, string> }> }> = [];
		const updates = Array.from({ length: 250 }, (_, i) => ({ id: String(i + 1), stage: 'closedwon' }));
		const ok = (inputs: Array<{ id: string }>) => ({ status: 'COMPLETE', results: inputs.map((x) => deal(x.id)), startedAt: '2026-11-20T10:00:00Z', completedAt: '2026-11-20T10:00:01Z' });
		api()
			.post('/crm/v3/objects/deals/batch/update', capture(bodies))
			.times(2)
			.reply((_, body) => [200, ok((body as { inputs: Array<{ id: string }> }).inputs)]);
		api()
			.post('/crm/v3/objects/deals/batch/update', capture(bodies))
			.reply((_, body) => {
				const inputs = (body as { inputs: Array<{ id: string }> }).inputs;
				return [
					207,
					{
						status: 'COMPLETE',
						results: inputs.slice(2).map((x) => deal(x.id)),
						errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Object not found', context: { ids: ['201'] } }],
						numErrors: 1,
						startedAt: '2026-11-20T10:00:00Z',
						completedAt: '2026-11-20T10:00:01Z',
					},
				];
			});
		const { crm } = makeCrm();
		const results = await crm.updateDeals(updates);
		expect(bodies.map((b) => b.inputs.length)).toEqual([BATCH_SIZE, BATCH_SIZE, 50]);
		expect(bodies[0].inputs[0]).toEqual({ id: '1', properties: { dealstage: 'closedwon' } });
		expect(results).toHaveLength(250);
		expect(results.filter((r) => r.ok)).toHaveLength(248);
		expect(results[200]).toEqual({ id: '201', ok: false, error: 'OBJECT_NOT_FOUND: Object not found' });
		expect(results[201]).toEqual({ id: '202', ok: false, error: 'HubSpot did not report this deal as updated' });
	});

	it('fails a rejected chunk record by record, but raises an auth failure', async () => {
		api().post('/crm/v3/objects/deals/batch/update').reply(400, hsError('VALIDATION_ERROR', 'Invalid input JSON'));
		const { crm } = makeCrm();
		const results = await crm.updateDeals([{ id: '1', ownerId: '2' }, { id: '3', properties: { x: '1' } }]);
		expect(results.map((r) => r.ok)).toEqual([false, false]);
		expect(results[0].error).toContain('Invalid input JSON');

		api().post('/crm/v3/objects/deals/batch/update').reply(403, hsError('MISSING_SCOPES', 'missing crm.objects.deals.write'));
		await expect(crm.updateDeals([{ id: '1', ownerId: '2' }])).rejects.toMatchObject({ kind: 'auth', status: 403 });
	});

	it('validates every record before the first request', async () => {
		const { crm } = makeCrm();
		await expect(crm.updateDeals('x' as never)).rejects.toMatchObject({ field: 'updates' });
		await expect(crm.updateDeals([{ id: '1', stage: 'a' }, { id: 'x', stage: 'a' }])).rejects.toMatchObject({ field: 'updates.1.id' });
		await expect(crm.updateDeals([{ id: '1', stage: 'a' }, { id: '1', stage: 'b' }])).rejects.toMatchObject({ field: 'updates.1.id' });
		await expect(crm.updateDeals([{ id: '1' }])).rejects.toMatchObject({ field: 'updates.0' });
		expect(await crm.updateDeals([])).toEqual([]);
	});
});
