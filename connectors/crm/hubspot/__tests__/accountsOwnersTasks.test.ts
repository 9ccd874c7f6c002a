import nock from 'nock';
import { normaliseDomain } from '../accounts';
import { taskMarker } from '../tasks';
import { api, capture, company, hsError, makeCrm, resetHubspot } from './helpers';

afterEach(resetHubspot);

describe('findAccountByDomain', () => {
	it.each([
		['acme.com', 'acme.com'],
		['ops@Acme.COM', 'acme.com'],
		['https://www.acme.com/about?x=1', 'acme.com'],
		['www.acme.com', 'acme.com'],
		['http://shop.acme.co.uk:8080', 'shop.acme.co.uk'],
	])('normalises %s to %s', (input, host) => {
		expect(normaliseDomain(input)).toBe(host);
	});

	it('rejects what is not a domain', () => {
		for (const bad of ['', 'localhost', 'not a domain', 'http://', '@']) expect(() => normaliseDomain(bad)).toThrow(expect.objectContaining({ field: 'domain' }));
	});

	it('searches companies by exact domain and maps the first (oldest) match', async () => {
		const bodies: unknown[] = [];
		api().post('/crm/v3/objects/companies/search', capture(bodies)).reply(200, { total: 1, results: [company('31')] });
		const { crm } = makeCrm();
		const account = await crm.findAccountByDomain('billing@www.acme.com');
		expect(bodies[0]).toMatchObject({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: 'acme.com' }] }], limit: 1, sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }] });
		expect(account).toMatchObject({ provider: 'hubspot', id: '31', name: 'Company 31', domain: 'acme.com', website: 'https://www.acme.com', ownerId: '77' });
	});

	it('returns undefined when no company has the domain', async () => {
		api().post('/crm/v3/objects/companies/search').reply(200, { total: 0, results: [] });
		const { crm } = makeCrm();
		expect(await crm.findAccountByDomain('nobody.test')).toBeUndefined();
	});
});

describe('getAccount', () => {
	it('reads the company by id with the search properties and maps it', async () => {
		let query: Record<string, unknown> = {};
		api()
			.get('/crm/v3/objects/companies/31')
			.query((q) => {
				query = q;
				return true;
			})
			.reply(200, company('31', { name: 'Acme Inc' }));
		const { crm } = makeCrm();
		const account = await crm.getAccount(' 31 ');
		expect(String(query.properties).split(',')).toEqual(['name', 'domain', 'website', 'hubspot_owner_id', 'hs_lastmodifieddate']);
		expect(account).toEqual({
			provider: 'hubspot',
			id: '31',
			name: 'Acme Inc',
			domain: 'acme.com',
			website: 'https://www.acme.com',
			ownerId: '77',
			properties: { name: 'Acme Inc', domain: 'acme.com', website: 'https://www.acme.com', hubspot_owner_id: '77' },
		});
	});

	it('maps a missing company to not_found', async () => {
		api().get('/crm/v3/objects/companies/404').query(true).reply(404, hsError('OBJECT_NOT_FOUND', 'resource not found'));
		const { crm } = makeCrm();
		await expect(crm.getAccount('404')).rejects.toMatchObject({ kind: 'not_found', status: 404, code: 'OBJECT_NOT_FOUND' });
	});

	it('rejects a non-numeric id before any request', async () => {
		let hits = 0;
		api()
			.get(/\/crm\/v3\/objects\/companies\//)
			.query(true)
			.times(6)
			.reply(() => {
				hits += 1;
				return [200, company('1')];
			});
		const { crm } = makeCrm();
		for (const bad of ['', 'abc', '12a', '001000000000001AAA', '1/../2', 7]) {
			await expect(crm.getAccount(bad as string)).rejects.toMatchObject({ kind: 'validation', field: 'accountId' });
		}
		expect(hits).toBe(0);
	});
});

describe('searchAccounts', () => {
	it('searches by text with a cursor and returns the next one', async () => {
		const bodies: unknown[] = [];
		api()
			.post('/crm/v3/objects/companies/search', capture(bodies))
			.reply(200, { total: 9, results: [company('1', { domain: null, website: null, hubspot_owner_id: null })], paging: { next: { after: '1' } } });
		const { crm } = makeCrm();
		const page = await crm.searchAccounts({ query: 'acme', limit: 1 });
		expect(bodies[0]).toMatchObject({ query: 'acme', limit: 1, sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }] });
		expect(page.nextCursor).toBe('1');
		expect(page.items[0]).toEqual({ provider: 'hubspot', id: '1', name: 'Company 1', properties: expect.objectContaining({ name: 'Company 1' }) });
	});
});

describe('listOwners', () => {
	const owners = {
		results: [
			{ id: '77', email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', archived: false, userId: 1, createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z' },
			{ id: '78', email: 'bob@acme.com', firstName: '', lastName: '', archived: true, userId: 2, createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z' },
		],
		paging: { next: { after: 'MTAw' } },
	};

	it('pages owners with the after cursor and filters by name or email here', async () => {
		let query: Record<string, unknown> = {};
		api()
			.get('/crm/v3/owners/')
			.query((q) => {
				query = q;
				return true;
			})
			.twice()
			.reply(200, owners);
		const { crm } = makeCrm();
		const all = await crm.listOwners({ limit: 2, cursor: 'MTAw' });
		expect(query).toMatchObject({ after: 'MTAw', limit: '2' });
		expect(all.items).toEqual([
			{ id: '77', name: 'Ann Lee', email: 'ann@acme.com', active: true },
			{ id: '78', name: 'bob@acme.com', email: 'bob@acme.com', active: false },
		]);
		expect(all.nextCursor).toBe('MTAw');
		const bob = await crm.listOwners({ query: 'BOB' });
		expect(bob.items.map((o) => o.id)).toEqual(['78']);
	});

	it('validates the page size', async () => {
		const { crm } = makeCrm();
		await expect(crm.listOwners({ limit: 1000 })).rejects.toMatchObject({ field: 'search.limit' });
	});
});

describe('createTask', () => {
	const input = { dealId: '5', subject: 'Activate tenant', body: 'Turn on the subscription', ownerId: '77', dueDate: '2026-12-01', businessKey: 'ORD-1:activate' };

	it('creates the task with status, due date, owner and the task→deal association (216)', async () => {
		const searches: unknown[] = [];
		const creates: unknown[] = [];
		api().post('/crm/v3/objects/tasks/search', capture(searches)).reply(200, { total: 0, results: [] });
		api()
			.post('/crm/v3/objects/tasks', capture(creates))
			.reply(201, {
				id: '900',
				properties: { hs_task_subject: `Activate tenant${taskMarker('ORD-1:activate')}`, hs_task_status: 'NOT_STARTED', hs_timestamp: '2026-12-01T12:00:00.000Z', hubspot_owner_id: '77' },
				createdAt: '2026-11-20T10:00:00Z',
				updatedAt: '2026-11-20T10:00:00Z',
				archived: false,
			});
		const { crm } = makeCrm();
		const task = await crm.createTask(input);
		const subject = `Activate tenant${taskMarker('ORD-1:activate')}`;
		expect(subject).toMatch(/ \[q2c:[0-9a-f]{12}\]$/);
		expect(searches[0]).toMatchObject({ filterGroups: [{ filters: [{ propertyName: 'hs_task_subject', operator: 'EQ', value: subject }] }] });
		expect(creates[0]).toEqual({
			properties: { hs_task_subject: subject, hs_task_status: 'NOT_STARTED', hs_timestamp: '2026-12-01T12:00:00.000Z', hs_task_body: 'Turn on the subscription', hubspot_owner_id: '77' },
			associations: [{ to: { id: '5' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 216 }] }],
		});
		expect(task).toEqual({ provider: 'hubspot', id: '900', subject, dealId: '5', ownerId: '77', status: 'NOT_STARTED', dueDate: '2026-12-01', created: true });
	});

	it('returns the existing task for the same business key (created: false), found by search or just created here', async () => {
		const subject = `Call partner${taskMarker('ORD-2:call')}`;
		api()
			.post('/crm/v3/objects/tasks/search')
			.reply(200, { total: 1, results: [{ id: '901', properties: { hs_task_subject: subject, hs_task_status: 'COMPLETED', hs_timestamp: '1764590400000' }, createdAt: '2026-11-20T10:00:00Z', updatedAt: '2026-11-20T10:00:00Z' }] });
		const { crm } = makeCrm();
		const existing = await crm.createTask({ dealId: '5', subject: 'Call partner', businessKey: 'ORD-2:call' });
		expect(existing).toMatchObject({ id: '901', created: false, status: 'COMPLETED', dueDate: '2025-12-01' });

		// Search indexes lag: a second call right after a create does not see it yet.
		let created = 0;
		api().post('/crm/v3/objects/tasks/search').twice().reply(200, { total: 0, results: [] });
		api()
			.post('/crm/v3/objects/tasks')
			.reply(() => {
				created++;
				return [201, { id: '902', properties: { hs_task_subject: `Email${taskMarker('ORD-3:email')}` }, createdAt: '2026-11-20T10:00:00Z', updatedAt: '2026-11-20T10:00:00Z' }];
			});
		const first = await crm.createTask({ dealId: '5', subject: 'Email', businessKey: 'ORD-3:email' });
		const second = await crm.createTask({ dealId: '5', subject: 'Email', businessKey: 'ORD-3:email' });
		expect([first.created, second.created, second.id, created]).toEqual([true, false, '902', 1]);
		expect(nock.isDone()).toBe(true);
	});

	it('does not repeat a create that failed transiently', async () => {
		api().post('/crm/v3/objects/tasks/search').reply(200, { total: 0, results: [] });
		api().post('/crm/v3/objects/tasks').once().reply(502, 'bad gateway');
		const { crm } = makeCrm();
		await expect(crm.createTask({ dealId: '5', subject: 'X', businessKey: 'ORD-4:x' })).rejects.toMatchObject({ kind: 'transient', status: 502 });
	});

	it('validates the input before any request', async () => {
		const { crm } = makeCrm();
		await expect(crm.createTask({ ...input, dealId: 'abc' })).rejects.toMatchObject({ field: 'task.dealId' });
		await expect(crm.createTask({ ...input, dueDate: '2026-02-30' })).rejects.toMatchObject({ field: 'task.dueDate' });
		await expect(crm.createTask({ ...input, businessKey: ' ' })).rejects.toMatchObject({ field: 'task.businessKey' });
		await expect(crm.createTask({ ...input, subject: '' })).rejects.toMatchObject({ field: 'task.subject' });
	});
});
