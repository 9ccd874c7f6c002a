import nock from 'nock';
import { taskMarker, taskSubject } from '../tasks';
import { API, queryResult, record, setup, sfError, USER_ID } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const DEAL = '006000000000001AAA';
const input = { dealId: DEAL, subject: 'Provision tenant', body: 'Contract C-1 signed', ownerId: USER_ID, dueDate: '2026-12-01', businessKey: 'C-1:provision' };

describe('createTask', () => {
	it('marks the subject with a hash of the business key', () => {
		expect(taskMarker('C-1:provision')).toMatch(/^\[q2c:[0-9a-f]{12}\]$/);
		expect(taskMarker('C-1:provision')).toBe(taskMarker(' C-1:provision '));
		expect(taskMarker('C-1:provision')).not.toBe(taskMarker('C-2:provision'));
		const long = taskSubject('x'.repeat(300), 'k');
		expect(long).toHaveLength(255);
		expect(long.endsWith(taskMarker('k'))).toBe(true);
	});

	it('looks for an existing task, then creates one with WhatId, owner, due date and Not Started', async () => {
		const { crm, api, calls } = setup();
		const subject = `Provision tenant ${taskMarker('C-1:provision')}`;
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([])))
			.post(`${API}/sobjects/Task`)
			.reply(record(calls, 201, { id: '00T000000000001AAA', success: true, errors: [] }));
		const task = await crm.createTask(input);
		expect(calls[0].soql).toBe(
			`SELECT Id, Subject, WhatId, OwnerId, Status, ActivityDate FROM Task WHERE WhatId = '${DEAL}' AND Subject = '${subject}' ORDER BY CreatedDate ASC LIMIT 1`,
		);
		expect(calls[1].body).toEqual({ WhatId: DEAL, Subject: subject, Status: 'Not Started', Description: 'Contract C-1 signed', OwnerId: USER_ID, ActivityDate: '2026-12-01' });
		expect(task).toEqual({ provider: 'salesforce', id: '00T000000000001AAA', subject, dealId: DEAL, ownerId: USER_ID, status: 'Not Started', dueDate: '2026-12-01', created: true });
	});

	it('returns the existing task (created: false) for the same business key without creating another', async () => {
		const { crm, api, calls } = setup();
		const subject = `Provision tenant ${taskMarker('C-1:provision')}`;
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([{ Id: '00T000000000001AAA', Subject: subject, WhatId: DEAL, OwnerId: USER_ID, Status: 'Completed', ActivityDate: null }])));
		const task = await crm.createTask(input);
		expect(task).toMatchObject({ id: '00T000000000001AAA', created: false, status: 'Completed', dueDate: undefined });
		expect(calls.map((c) => c.method)).toEqual(['GET']);
	});

	it('after a failed create, retries lookup-then-create as one unit (never two POSTs for one lookup)', async () => {
		const { crm, api, calls, sleeps } = setup();
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([])))
			.post(`${API}/sobjects/Task`)
			.reply(record(calls, 503, sfError('SERVER_UNAVAILABLE', 'try later')))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([{ Id: '00T000000000002AAA', Subject: 's', WhatId: DEAL }])));
		const task = await crm.createTask({ dealId: DEAL, subject: 'Call', businessKey: 'C-2' });
		expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET']);
		expect(task).toMatchObject({ id: '00T000000000002AAA', created: false, ownerId: undefined });
		expect(sleeps).toEqual([100]);
	});

	it('does not retry a refused create and validates input before any request', async () => {
		const { crm, api, calls, tokens } = setup();
		await expect(crm.createTask({ ...input, dealId: 'x' })).rejects.toMatchObject({ field: 'task.dealId' });
		await expect(crm.createTask({ ...input, subject: ' ' })).rejects.toMatchObject({ field: 'task.subject' });
		await expect(crm.createTask({ ...input, ownerId: '00G000000000001' })).rejects.toMatchObject({ field: 'task.ownerId' });
		await expect(crm.createTask({ ...input, dueDate: '01/12/2026' })).rejects.toMatchObject({ field: 'task.dueDate' });
		await expect(crm.createTask({ ...input, dueDate: '2026-13-45' })).rejects.toMatchObject({ field: 'task.dueDate' });
		await expect(crm.createTask({ ...input, businessKey: '' })).rejects.toMatchObject({ field: 'task.businessKey' });
		await expect(crm.createTask(undefined as never)).rejects.toMatchObject({ field: 'task' });
		expect(tokens).toHaveLength(0);
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([])))
			.post(`${API}/sobjects/Task`)
			.reply(record(calls, 400, sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['WhatId'])))
			.post(`${API}/sobjects/Task`)
			.reply(record(calls, 201, { success: true }));
		await expect(crm.createTask(input)).rejects.toMatchObject({ kind: 'validation', field: 'WhatId' });
		expect(calls.map((c) => c.method)).toEqual(['GET', 'POST']);
		nock.cleanAll();
		api.get(`${API}/query`).query(true).reply(200, queryResult([])).post(`${API}/sobjects/Task`).reply(201, { success: true });
		await expect(crm.createTask(input)).rejects.toMatchObject({ kind: 'permanent' });
	});
});
