import nock from 'nock';
import { normaliseDomain } from '../accounts';
import { API, queryResult, record, setup, USER_ID } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const account = (n: number, website: string | null, name = `Account ${n}`) => ({ Id: `001${String(n).padStart(12, '0')}`, Name: name, Website: website, OwnerId: USER_ID });

describe('findAccountByDomain', () => {
	it('normalises emails, URLs and domains to the host without www', () => {
		expect(normaliseDomain('ops@Acme.com')).toBe('acme.com');
		expect(normaliseDomain('https://www.acme.com/pricing?x=1')).toBe('acme.com');
		expect(normaliseDomain('www.acme.co.uk')).toBe('acme.co.uk');
		expect(normaliseDomain('  ACME.io. ')).toBe('acme.io');
		for (const bad of ['', 'not a domain', 'localhost', 'ops@', 'http://']) expect(() => normaliseDomain(bad)).toThrow(/"domain"/);
		expect(() => normaliseDomain(42 as unknown as string)).toThrow(/"domain"/);
	});

	it("searches Website LIKE the domain and picks the exact host over look-alikes", async () => {
		const { crm, api, calls } = setup();
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([account(1, 'https://notacme.com'), account(2, 'acme.com.au'), account(3, 'http://www.ACME.com/'), account(4, null)])));
		const found = await crm.findAccountByDomain('billing@acme.com');
		expect(calls[0].soql).toBe(
			"SELECT Id, Name, Website, OwnerId, LastModifiedDate FROM Account WHERE Website LIKE '%acme.com%' ORDER BY LastModifiedDate DESC LIMIT 50",
		);
		expect(found).toMatchObject({ provider: 'salesforce', id: account(3, '').Id, domain: 'acme.com', website: 'http://www.ACME.com/', ownerId: USER_ID });
	});

	it('falls back to a subdomain, returns undefined for look-alikes only, and escapes LIKE wildcards', async () => {
		const { crm, api, calls } = setup();
		api
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([account(1, 'notacme.com'), account(2, 'eu.acme.com')])))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([account(1, 'notacme.com')])))
			.get(`${API}/query`)
			.query(true)
			.reply(record(calls, 200, queryResult([])));
		expect((await crm.findAccountByDomain('acme.com'))?.domain).toBe('eu.acme.com');
		expect(await crm.findAccountByDomain('acme.com')).toBeUndefined();
		await crm.findAccountByDomain('my_shop.com');
		expect(calls[2].soql).toContain("Website LIKE '%my\\_shop.com%'");
	});
});

describe('getAccount', () => {
	const ID = account(7, '').Id;

	it('selects the account fields by id and maps them like the searches', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([account(7, 'https://www.Acme.com/about', 'Acme Inc')])));
		const found = await crm.getAccount(` ${ID} `);
		expect(calls[0].soql).toBe(`SELECT Id, Name, Website, OwnerId, LastModifiedDate FROM Account WHERE Id = '${ID}' LIMIT 1`);
		expect(found).toEqual({
			provider: 'salesforce',
			id: ID,
			name: 'Acme Inc',
			domain: 'acme.com',
			website: 'https://www.Acme.com/about',
			ownerId: USER_ID,
			properties: { Id: ID, Name: 'Acme Inc', Website: 'https://www.Acme.com/about', OwnerId: USER_ID },
		});
	});

	it('accepts 15-character ids and reports an unknown account as not_found', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([])));
		await expect(crm.getAccount('001000000000009')).rejects.toMatchObject({ kind: 'not_found', code: 'NOT_FOUND', message: expect.stringContaining('001000000000009') });
		expect(calls[0].soql).toContain("WHERE Id = '001000000000009' LIMIT 1");
	});

	it('rejects what is not an Account id before any request', async () => {
		const { crm, tokens } = setup();
		const opportunity = '006000000000001AAA';
		for (const bad of ['', '001', opportunity, "001000000000001' OR Id != '", '001000000000001AA', 42]) {
			await expect(crm.getAccount(bad as string)).rejects.toMatchObject({ kind: 'validation', field: 'accountId' });
		}
		expect(tokens).toHaveLength(0);
	});
});

describe('searchAccounts / listOwners', () => {
	it('searches accounts by escaped name, newest first, with a cursor', async () => {
		const { crm, api, calls } = setup();
		api.get(`${API}/query`).query(true).reply(record(calls, 200, queryResult([account(1, 'a.com'), account(2, null)])));
		const page = await crm.searchAccounts({ query: "50% O'Hara", limit: 1 });
		expect(calls[0].soql).toBe(
			"SELECT Id, Name, Website, OwnerId, LastModifiedDate FROM Account WHERE Name LIKE '%50\\% O\\'Hara%' ORDER BY LastModifiedDate DESC, Id DESC LIMIT 2",
		);
		expect(page).toMatchObject({ items: [{ id: account(1, '').Id, domain: 'a.com' }], nextCursor: '1' });
	});

	it('lists active standard users by name', async () => {
		const { crm, api, calls } = setup();
		api
			.get(`${API}/query`)
			.query(true)
			.times(2)
			.reply(record(calls, 200, queryResult([{ Id: USER_ID, Name: 'Ada Lovelace', Email: 'ada@acme.com', IsActive: true }])));
		const all = await crm.listOwners({});
		await crm.listOwners({ query: 'ada@acme.com', cursor: '25' });
		expect(calls[0].soql).toBe("SELECT Id, Name, Email, IsActive FROM User WHERE IsActive = true ORDER BY Name ASC, Id ASC LIMIT 26");
		expect(calls[1].soql).toContain("AND (Name LIKE '%ada@acme.com%' OR Email = 'ada@acme.com') ORDER BY Name ASC, Id ASC LIMIT 26 OFFSET 25");
		expect(all).toEqual({ items: [{ id: USER_ID, name: 'Ada Lovelace', email: 'ada@acme.com', active: true }] });
	});
});
