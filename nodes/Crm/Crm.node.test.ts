import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type ICredentialTestFunctions, type IExecuteFunctions, type ILoadOptionsFunctions, type INode } from 'n8n-workflow';
import { createCrmProvider, type CrmProvider, type CrmProviderName } from '../../connectors/crm';
import { ConnectorError } from '../../connectors/core';
import { operations } from './actions';
import { Crm } from './Crm.node';
import { clearCrmProviderCache } from './transport';

// The vendor connectors are replaced by a fake CrmProvider: these tests cover the node, not the CRMs.
jest.mock('../../connectors/crm', () => ({ createCrmProvider: jest.fn() }));
const createProvider = createCrmProvider as jest.MockedFunction<typeof createCrmProvider>;

const node: INode = { id: '1', name: 'CRM', type: 'n8n-nodes-quote-to-cash.crm', typeVersion: 1, position: [0, 0], parameters: {} };
const HUBSPOT_TEST_CREDENTIAL_VALUE = 'pat-na1-node-test-value-123456';
const SF_TEST_CREDENTIAL_VALUE = 'sf-node-test-refresh-value-123456';
const SF_TEST_CLIENT_VALUE = 'sf-node-test-client-value';
const CREDENTIALS: Record<string, ICredentialDataDecryptedObject> = {
	salesforceCrmApi: { authentication: 'refreshToken', environment: 'sandbox', clientId: 'cid', clientSecret: SF_TEST_CLIENT_VALUE, refreshToken: SF_TEST_CREDENTIAL_VALUE, apiVersion: '62.0' },
	hubspotCrmApi: { authentication: 'privateApp', accessToken: HUBSPOT_TEST_CREDENTIAL_VALUE, basePath: 'http://127.0.0.1:9/' },
};
const IDS: Record<CrmProviderName, { deal: string; owner: string; account: string }> = {
	salesforce: { deal: '006000000000001AAA', owner: '005000000000001AAA', account: '001000000000001AAA' },
	hubspot: { deal: '1234567890', owner: '777', account: '31' },
};

type Fake = { [K in keyof CrmProvider]: CrmProvider[K] extends (...args: infer A) => infer R ? jest.Mock<R, A> : CrmProvider[K] };

function fakeProvider(name: CrmProviderName): Fake {
	const deal = (id: string) => ({ provider: name, id, name: `Deal ${id}`, stageId: 's1', isClosed: false, isWon: false, modifiedAt: '2026-01-01T00:00:00Z', properties: {} });
	return {
		name,
		whoAmI: jest.fn(async () => ({ id: 'u1', name: 'Integration User' })),
		getDeal: jest.fn(async (id: string) => deal(id)),
		searchDeals: jest.fn(async () => ({ items: [deal('d1')] })),
		updateDeal: jest.fn(async (id: string) => deal(id)),
		updateDeals: jest.fn(async (updates: Array<{ id: string }>) => updates.map((u) => ({ id: u.id, ok: true }))),
		changeOwner: jest.fn(async (id: string) => deal(id)),
		getAccount: jest.fn(async (id: string) => ({ provider: name, id, name: `Account ${id}`, properties: {} })),
		findAccountByDomain: jest.fn(async () => undefined),
		searchAccounts: jest.fn(async () => ({ items: [] })),
		listOwners: jest.fn(async () => ({ items: [] })),
		createTask: jest.fn(async (input) => ({ provider: name, id: 't1', subject: input.subject, dealId: input.dealId, created: true })),
		listWonDealsModifiedSince: jest.fn(async () => []),
	} as unknown as Fake;
}

type Params = Record<string, unknown>;

function executeContext(parameters: Params | Params[], continueOnFail = false) {
	const perItem = Array.isArray(parameters) ? parameters : [parameters];
	const getCredentials = jest.fn(async (name: string) => ({ ...CREDENTIALS[name] }));
	const context = {
		getInputData: () => perItem.map(() => ({ json: {} })),
		getNodeParameter: (name: string, index: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const params = perItem[index] ?? perItem[0];
			const value = name in params ? params[name] : fallback;
			if (options?.extractValue && value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
			return value;
		},
		getCredentials,
		continueOnFail: () => continueOnFail,
		getNode: () => node,
	} as unknown as IExecuteFunctions;
	return { context, getCredentials };
}

async function run(provider: Fake, parameters: Params | Params[], continueOnFail = false) {
	createProvider.mockReturnValue(provider as unknown as CrmProvider);
	const { context, getCredentials } = executeContext(parameters, continueOnFail);
	const [output] = await new Crm().execute.call(context);
	return { output, getCredentials };
}

async function failure(provider: Fake, parameters: Params): Promise<Error> {
	createProvider.mockReturnValue(provider as unknown as CrmProvider);
	return (await new Crm().execute.call(executeContext(parameters).context).then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: unknown) => error,
	)) as Error;
}

function locator(value: string, mode = 'id') {
	return { __rl: true, mode, value };
}

beforeEach(() => {
	clearCrmProviderCache();
	createProvider.mockReset();
});

describe('CRM node description', () => {
	const crm = new Crm();

	it('is the crm node, usable as a tool, with one credential per provider tested by the node', () => {
		expect(crm.description.name).toBe('crm');
		expect(crm.description.usableAsTool).toBe(true);
		expect(crm.description.credentials).toEqual([
			{ name: 'salesforceCrmApi', required: true, testedBy: 'crmApiTest', displayOptions: { show: { provider: ['salesforce'] } } },
			{ name: 'hubspotCrmApi', required: true, testedBy: 'crmApiTest', displayOptions: { show: { provider: ['hubspot'] } } },
		]);
		expect(Object.keys(crm.methods.credentialTest)).toEqual(['crmApiTest']);
		expect(Object.keys(crm.methods.listSearch).sort()).toEqual(['searchAccounts', 'searchDeals', 'searchOwners']);
		const provider = crm.description.properties.find((p) => p.name === 'provider');
		expect(provider?.default).toBe('salesforce');
		expect(provider?.options?.map((o) => (o as { value: string }).value).sort()).toEqual(['hubspot', 'salesforce']);
	});

	it('has a handler for every resource/operation it offers, and no more', () => {
		const pairs = crm.description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []).map((o) => `${p.displayOptions?.show?.resource?.[0]}.${(o as { value: string }).value}`));
		expect(pairs.sort()).toEqual([
			'account.findByDomain',
			'account.get',
			'account.getMany',
			'deal.changeOwner',
			'deal.get',
			'deal.getMany',
			'deal.update',
			'deal.updateMany',
			'lead.changeOwner',
			'lead.get',
			'lead.upsert',
			'owner.getMany',
			'task.create',
		]);
		const handled = Object.entries(operations).flatMap(([resource, ops]) => Object.keys(ops).map((op) => `${resource}.${op}`));
		expect(handled.sort()).toEqual(pairs.sort());
	});

	it('gives each provider its own deal ID pattern', () => {
		const deals = crm.description.properties.filter((p) => p.name === 'dealId' && p.displayOptions?.show?.operation?.[0] === 'get');
		const pattern = (provider: string) => {
			const modes = deals.find((p) => p.displayOptions?.show?.provider?.[0] === provider)?.modes ?? [];
			const regex = (modes.find((m) => m.name === 'id')?.validation?.[0] as unknown as { properties: { regex: string } }).properties.regex;
			return new RegExp(regex);
		};
		expect(pattern('salesforce').test(IDS.salesforce.deal)).toBe(true);
		expect(pattern('salesforce').test(IDS.hubspot.deal)).toBe(false);
		expect(pattern('hubspot').test(IDS.hubspot.deal)).toBe(true);
		expect(pattern('hubspot').test(IDS.salesforce.deal)).toBe(false);
		const urlMode = (provider: string) => deals.find((p) => p.displayOptions?.show?.provider?.[0] === provider)?.modes?.find((m) => m.name === 'url');
		const extract = (provider: string, url: string) => new RegExp((urlMode(provider)?.extractValue as { regex: string }).regex).exec(url)?.[1];
		expect(extract('salesforce', `https://acme.lightning.force.com/lightning/r/Opportunity/${IDS.salesforce.deal}/view`)).toBe(IDS.salesforce.deal);
		expect(extract('hubspot', `https://app.hubspot.com/contacts/42/record/0-3/${IDS.hubspot.deal}`)).toBe(IDS.hubspot.deal);
	});

	it('offers an account picker (list via searchAccounts, or an ID with each provider pattern) on Account → Get', () => {
		const accounts = crm.description.properties.filter((p) => p.name === 'accountId');
		expect(accounts.map((p) => [p.type, p.required, p.displayOptions?.show])).toEqual([
			['resourceLocator', true, { provider: ['salesforce'], resource: ['account'], operation: ['get'] }],
			['resourceLocator', true, { provider: ['hubspot'], resource: ['account'], operation: ['get'] }],
		]);
		const modes = (provider: string) => accounts.find((p) => p.displayOptions?.show?.provider?.[0] === provider)?.modes ?? [];
		expect(modes('hubspot').map((m) => m.name)).toEqual(['list', 'id']);
		expect(modes('salesforce').find((m) => m.name === 'list')?.typeOptions?.searchListMethod).toBe('searchAccounts');
		const pattern = (provider: string) => new RegExp((modes(provider).find((m) => m.name === 'id')?.validation?.[0] as unknown as { properties: { regex: string } }).properties.regex);
		expect(pattern('salesforce').test(IDS.salesforce.account)).toBe(true);
		expect(pattern('salesforce').test(IDS.salesforce.deal)).toBe(false);
		expect(pattern('hubspot').test(IDS.hubspot.account)).toBe(true);
		expect(pattern('hubspot').test(IDS.salesforce.account)).toBe(false);
		const accountOperations = crm.description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'account');
		const names = (accountOperations?.options ?? []).map((o) => o.name);
		expect(names).toEqual([...names].sort());
		expect(accountOperations?.default).toBe('findByDomain');
	});
});

describe.each(['salesforce', 'hubspot'] as const)('CRM node operations (%s)', (name) => {
	const ids = IDS[name];
	const credentialName = name === 'salesforce' ? 'salesforceCrmApi' : 'hubspotCrmApi';

	it('gets a deal through the credential of the chosen provider, with extra fields when asked', async () => {
		const provider = fakeProvider(name);
		const { output, getCredentials } = await run(provider, { provider: name, resource: 'deal', operation: 'get', dealId: locator(ids.deal), options: { properties: ' A__c, ,b ' } });
		expect(getCredentials).toHaveBeenCalledWith(credentialName);
		expect(createProvider.mock.calls[0][0].provider).toBe(name);
		expect(provider.getDeal).toHaveBeenCalledWith(ids.deal, ['A__c', 'b']);
		expect(output).toEqual([{ json: expect.objectContaining({ id: ids.deal, provider: name }), pairedItem: { item: 0 } }]);

		await run(provider, { provider: name, resource: 'deal', operation: 'get', dealId: locator(ids.deal, 'list') });
		expect(provider.getDeal).toHaveBeenLastCalledWith(ids.deal);
	});

	it('gets many deals up to the limit, following cursors', async () => {
		const provider = fakeProvider(name);
		const deal = (id: string) => ({ id, name: id });
		provider.searchDeals
			.mockResolvedValueOnce({ items: [deal('a'), deal('b')], nextCursor: 'c2' } as never)
			.mockResolvedValueOnce({ items: [deal('c'), deal('d')], nextCursor: 'c3' } as never);
		const { output } = await run(provider, { provider: name, resource: 'deal', operation: 'getMany', query: ' Acme ', returnAll: false, limit: 3 });
		expect(provider.searchDeals.mock.calls).toEqual([[{ query: 'Acme', limit: 3 }], [{ query: 'Acme', limit: 1, cursor: 'c2' }]]);
		expect(output.map((item) => item.json.id)).toEqual(['a', 'b', 'c']);
		expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('returns all deals until the cursor runs out', async () => {
		const provider = fakeProvider(name);
		provider.searchDeals
			.mockResolvedValueOnce({ items: [{ id: 'a' }], nextCursor: 'x' } as never)
			.mockResolvedValueOnce({ items: [{ id: 'b' }] } as never);
		const { output } = await run(provider, { provider: name, resource: 'deal', operation: 'getMany', query: '', returnAll: true });
		expect(provider.searchDeals.mock.calls).toEqual([[{ limit: 100 }], [{ limit: 100, cursor: 'x' }]]);
		expect(output.map((item) => item.json.id)).toEqual(['a', 'b']);
	});

	it('stops on a cursor the CRM repeats', async () => {
		const provider = fakeProvider(name);
		provider.searchDeals.mockResolvedValue({ items: [{ id: 'a' }], nextCursor: 'same' } as never);
		const { output } = await run(provider, { provider: name, resource: 'deal', operation: 'getMany', returnAll: true });
		expect(provider.searchDeals).toHaveBeenCalledTimes(2);
		expect(output).toHaveLength(2);
	});

	it('updates a deal from stage, owner, fields and custom JSON', async () => {
		const provider = fakeProvider(name);
		await run(provider, {
			provider: name,
			resource: 'deal',
			operation: 'update',
			dealId: locator(ids.deal),
			stage: 'Closed Won',
			ownerId: locator(ids.owner, 'list'),
			fields: { field: [{ name: 'NextStep', value: 'Kickoff' }] },
			options: { propertiesJson: '{"Amount": 1200, "NextStep": "Onboard"}' },
		});
		expect(provider.updateDeal).toHaveBeenCalledWith(ids.deal, { stage: 'Closed Won', ownerId: ids.owner, properties: { NextStep: 'Onboard', Amount: 1200 } });

		await run(provider, { provider: name, resource: 'deal', operation: 'update', dealId: locator(ids.deal), stage: 'S2', ownerId: locator('') });
		expect(provider.updateDeal).toHaveBeenLastCalledWith(ids.deal, { stage: 'S2' });
	});

	it('refuses an update with nothing to change, a blank field name or non-object JSON, before any call', async () => {
		const provider = fakeProvider(name);
		const base = { provider: name, resource: 'deal', operation: 'update', dealId: locator(ids.deal) };
		const blankFieldRow = Object.fromEntries([['name', ' '], ['value', 'x']]);
		const nothing = await failure(provider, base);
		expect(nothing).toBeInstanceOf(NodeOperationError);
		expect(nothing.message).toContain('"fields"');
		expect((await failure(provider, { ...base, fields: { field: [blankFieldRow] } })).message).toContain('fields.field[0].name');
		expect((await failure(provider, { ...base, options: { propertiesJson: '[1]' } })).message).toContain('options.propertiesJson');
		expect((await failure(provider, { ...base, options: { propertiesJson: '{nope' } })).message).toContain('options.propertiesJson');
		expect((await failure(provider, { ...base, dealId: locator(' '), stage: 'S' })).message).toContain('"dealId"');
		expect(provider.updateDeal).not.toHaveBeenCalled();
	});

	it('updates many deals in one provider call, one output item per result', async () => {
		const provider = fakeProvider(name);
		provider.updateDeals.mockResolvedValueOnce([{ id: 'a', ok: true }, { id: 'b', ok: false, error: 'locked' }]);
		const updates = [{ id: 'a', stage: 'S2', properties: { X: 1 } }, { id: 'b', ownerId: 7, stage: '' }];
		const { output } = await run(provider, { provider: name, resource: 'deal', operation: 'updateMany', updates: JSON.stringify(updates) });
		expect(provider.updateDeals).toHaveBeenCalledWith([{ id: 'a', stage: 'S2', properties: { X: 1 } }, { id: 'b', ownerId: '7' }]);
		expect(output.map((item) => item.json)).toEqual([{ id: 'a', ok: true }, { id: 'b', ok: false, error: 'locked' }]);

		await run(provider, { provider: name, resource: 'deal', operation: 'updateMany', updates: [{ id: 'c' }] });
		expect(provider.updateDeals).toHaveBeenLastCalledWith([{ id: 'c' }]);
	});

	it.each([
		['[{', 'updates'],
		['[]', 'updates'],
		['{"id":"a"}', 'updates'],
		['[{"id":"a"}, {"stage":"S"}]', 'updates[1].id'],
		['[{"id":"a"}, 5]', 'updates[1]'],
		['[{"id":"a","stage":{}}]', 'updates[0].stage'],
		['[{"id":"a","properties":[1]}]', 'updates[0].properties'],
		['[{"id":"a","Amount":5}]', 'updates[0].Amount'],
	])('refuses Update Many input %s naming %s, before any call', async (updates, field) => {
		const provider = fakeProvider(name);
		const error = await failure(provider, { provider: name, resource: 'deal', operation: 'updateMany', updates });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(`"${field}"`);
		expect(provider.updateDeals).not.toHaveBeenCalled();
	});

	it('changes the owner of a deal', async () => {
		const provider = fakeProvider(name);
		await run(provider, { provider: name, resource: 'deal', operation: 'changeOwner', dealId: locator(ids.deal), ownerId: locator(ids.owner) });
		expect(provider.changeOwner).toHaveBeenCalledWith(ids.deal, ids.owner);
		const error = await failure(provider, { provider: name, resource: 'deal', operation: 'changeOwner', dealId: locator(ids.deal), ownerId: locator('') });
		expect(error.message).toContain('"ownerId"');
		expect(provider.changeOwner).toHaveBeenCalledTimes(1);
	});

	it('gets an account picked from the list or typed as an ID, and refuses a blank one before any call', async () => {
		const provider = fakeProvider(name);
		const { output } = await run(provider, { provider: name, resource: 'account', operation: 'get', accountId: locator(ids.account, 'list') });
		expect(provider.getAccount).toHaveBeenCalledWith(ids.account);
		expect(output).toEqual([{ json: { provider: name, id: ids.account, name: `Account ${ids.account}`, properties: {} }, pairedItem: { item: 0 } }]);

		await run(provider, { provider: name, resource: 'account', operation: 'get', accountId: locator(` ${ids.account} `) });
		expect(provider.getAccount).toHaveBeenLastCalledWith(ids.account);

		const blank = await failure(provider, { provider: name, resource: 'account', operation: 'get', accountId: locator(' ') });
		expect(blank).toBeInstanceOf(NodeOperationError);
		expect(blank.message).toContain('"accountId"');
		expect(provider.getAccount).toHaveBeenCalledTimes(2);

		provider.getAccount.mockRejectedValueOnce(new ConnectorError('not_found', `No account ${ids.account}`, { vendor: name, status: 404 }));
		const missing = await failure(provider, { provider: name, resource: 'account', operation: 'get', accountId: locator(ids.account) });
		expect(missing).toBeInstanceOf(NodeApiError);
		expect(missing.message).toContain(`No account ${ids.account}`);
	});

	it('finds an account by domain, or says it found none', async () => {
		const provider = fakeProvider(name);
		provider.findAccountByDomain.mockResolvedValueOnce({ provider: name, id: 'acc1', name: 'Acme', domain: 'acme.com', properties: {} });
		const { output: found } = await run(provider, { provider: name, resource: 'account', operation: 'findByDomain', domain: ' ops@acme.com ' });
		expect(provider.findAccountByDomain).toHaveBeenCalledWith('ops@acme.com');
		expect(found[0].json).toMatchObject({ found: true, id: 'acc1', name: 'Acme' });

		const { output: none } = await run(provider, { provider: name, resource: 'account', operation: 'findByDomain', domain: 'nobody.example' });
		expect(none[0].json).toEqual({ found: false, domain: 'nobody.example', provider: name });
	});

	it('fails on no account when asked to, and on a blank domain before any call', async () => {
		const provider = fakeProvider(name);
		const notFound = await failure(provider, { provider: name, resource: 'account', operation: 'findByDomain', domain: 'nobody.example', options: { errorIfNotFound: true } });
		expect(notFound).toBeInstanceOf(NodeApiError);
		expect(notFound.message).toContain('nobody.example');
		const calls = provider.findAccountByDomain.mock.calls.length;
		const blank = await failure(provider, { provider: name, resource: 'account', operation: 'findByDomain', domain: '  ' });
		expect(blank).toBeInstanceOf(NodeOperationError);
		expect(blank.message).toContain('"domain"');
		expect(provider.findAccountByDomain).toHaveBeenCalledTimes(calls);
	});

	it('gets many accounts and owners with the search text and limit', async () => {
		const provider = fakeProvider(name);
		provider.searchAccounts.mockResolvedValueOnce({ items: [{ provider: name, id: 'a1', name: 'Acme', properties: {} }] });
		provider.listOwners.mockResolvedValueOnce({ items: [{ id: 'o1', name: 'Ann' }, { id: 'o2', name: 'Bob' }] });
		const { output: accounts } = await run(provider, { provider: name, resource: 'account', operation: 'getMany', query: 'Acme', limit: 5 });
		expect(provider.searchAccounts).toHaveBeenCalledWith({ query: 'Acme', limit: 5 });
		expect(accounts.map((item) => item.json.id)).toEqual(['a1']);
		const { output: owners } = await run(provider, { provider: name, resource: 'owner', operation: 'getMany', limit: 2 });
		expect(provider.listOwners).toHaveBeenCalledWith({ limit: 2 });
		expect(owners.map((item) => item.json.id)).toEqual(['o1', 'o2']);
		const error = await failure(provider, { provider: name, resource: 'owner', operation: 'getMany', limit: 0 });
		expect(error.message).toContain('"limit"');
	});

	it('creates a task with business key, owner and the due date as YYYY-MM-DD', async () => {
		const provider = fakeProvider(name);
		provider.createTask.mockResolvedValueOnce({ provider: name, id: 't9', subject: 'Kickoff', dealId: ids.deal, created: false });
		const { output } = await run(provider, {
			provider: name,
			resource: 'task',
			operation: 'create',
			businessKey: 'ORD-42:kickoff',
			dealId: locator(ids.deal, 'url'),
			subject: 'Kickoff',
			body: 'Call the customer',
			ownerId: locator(ids.owner),
			dueDate: '2026-03-05T00:00:00',
		});
		expect(provider.createTask).toHaveBeenCalledWith({ businessKey: 'ORD-42:kickoff', dealId: ids.deal, subject: 'Kickoff', body: 'Call the customer', ownerId: ids.owner, dueDate: '2026-03-05' });
		expect(output[0].json).toMatchObject({ id: 't9', created: false });

		await run(provider, { provider: name, resource: 'task', operation: 'create', businessKey: 'K', dealId: locator(ids.deal), subject: 'S', dueDate: '' });
		expect(provider.createTask).toHaveBeenLastCalledWith({ businessKey: 'K', dealId: ids.deal, subject: 'S' });
	});

	it.each([
		[{ businessKey: '' }, 'businessKey'],
		[{ subject: ' ' }, 'subject'],
		[{ dealId: locator('') }, 'dealId'],
		[{ dueDate: 'next week' }, 'dueDate'],
		[{ dueDate: '2026-13-45' }, 'dueDate'],
	])('refuses task input %j naming %s, before any call', async (override, field) => {
		const provider = fakeProvider(name);
		const params = { provider: name, resource: 'task', operation: 'create', businessKey: 'K', dealId: locator(ids.deal), subject: 'S', ...override };
		const error = await failure(provider, params);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(`"${field}"`);
		expect(provider.createTask).not.toHaveBeenCalled();
	});
});

describe('CRM node errors and items', () => {
	it('builds the provider once per run and keeps pairedItem per input item', async () => {
		const provider = fakeProvider('hubspot');
		const get = { provider: 'hubspot', resource: 'deal', operation: 'get' };
		const { output } = await run(provider, [
			{ ...get, dealId: locator('1') },
			{ ...get, dealId: locator('2') },
		]);
		expect(output.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['1', { item: 0 }],
			['2', { item: 1 }],
		]);
		expect(createProvider).toHaveBeenCalledTimes(1);
	});

	it('with Continue On Fail, emits a secret-free error item and goes on with the next item', async () => {
		const provider = fakeProvider('hubspot');
		provider.getDeal
			.mockRejectedValueOnce(new ConnectorError('auth', `Token ${HUBSPOT_TEST_CREDENTIAL_VALUE} is expired`, { vendor: 'hubspot', status: 401 }))
			.mockResolvedValueOnce({ id: '2' } as never);
		const get = { provider: 'hubspot', resource: 'deal', operation: 'get' };
		const { output } = await run(provider, [{ ...get, dealId: locator('1') }, { ...get, dealId: locator('2') }], true);
		expect(output[0]).toEqual({ json: expect.objectContaining({ kind: 'auth', status: 401 }), error: expect.objectContaining({ message: expect.stringContaining('expired') }), pairedItem: { item: 0 } });
		expect(output[1]).toEqual({ json: { id: '2' }, pairedItem: { item: 1 } });
		expect(JSON.stringify(output)).not.toContain(HUBSPOT_TEST_CREDENTIAL_VALUE);
	});

	it('without Continue On Fail, raises a NodeApiError for CRM failures and NodeOperationError for bad input', async () => {
		const provider = fakeProvider('salesforce');
		provider.getDeal.mockRejectedValueOnce(new ConnectorError('not_found', 'No such Opportunity', { vendor: 'salesforce', status: 404 }));
		const error = await failure(provider, { provider: 'salesforce', resource: 'deal', operation: 'get', dealId: locator(IDS.salesforce.deal) });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('No such Opportunity');
		const unknown = await failure(provider, { provider: 'salesforce', resource: 'deal', operation: 'delete' });
		expect(unknown).toBeInstanceOf(NodeOperationError);
		expect(unknown.message).toContain('"delete"');
	});

	it('names the missing credential field instead of calling the CRM', async () => {
		const provider = fakeProvider('salesforce');
		createProvider.mockReturnValue(provider as unknown as CrmProvider);
		const { context } = executeContext({ provider: 'salesforce', resource: 'deal', operation: 'get', dealId: locator(IDS.salesforce.deal) });
		(context as unknown as { getCredentials: () => Promise<unknown> }).getCredentials = async () => ({ authentication: 'jwtBearer', clientId: 'cid', privateKey: 'k' });
		const error = await new Crm().execute.call(context).catch((e: unknown) => e as Error);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('"username"');
		expect(createProvider).not.toHaveBeenCalled();
	});
});

describe('CRM node list search', () => {
	function loadContext(provider: string | undefined): ILoadOptionsFunctions {
		return {
			getNodeParameter: (name: string, fallback?: unknown) => (name === 'provider' && provider !== undefined ? provider : fallback),
			getCredentials: async (name: string) => ({ ...CREDENTIALS[name] }),
			getNode: () => node,
		} as unknown as ILoadOptionsFunctions;
	}

	it('lists deals of the chosen provider with the filter and pagination token', async () => {
		const provider = fakeProvider('hubspot');
		provider.searchDeals.mockResolvedValueOnce({
			items: [
				{ id: '11', name: 'Acme renewal', stageId: '123', stageLabel: 'Contract sent', url: 'https://app.hubspot.com/contacts/1/record/0-3/11' },
				{ id: '12', name: '', stageId: '456' },
			],
			nextCursor: 'after-2',
		} as never);
		createProvider.mockReturnValue(provider as unknown as CrmProvider);
		const result = await new Crm().methods.listSearch.searchDeals.call(loadContext('hubspot'), ' acme ', 'after-1');
		expect(createProvider.mock.calls[0][0].provider).toBe('hubspot');
		expect(provider.searchDeals).toHaveBeenCalledWith({ query: 'acme', limit: 50, cursor: 'after-1' });
		expect(result).toEqual({
			results: [
				expect.objectContaining({ name: 'Acme renewal · Contract sent', value: '11', url: 'https://app.hubspot.com/contacts/1/record/0-3/11' }),
				expect.objectContaining({ name: '12 · 456', value: '12' }),
			],
			paginationToken: 'after-2',
		});
	});

	it('lists accounts of the chosen provider with their domain, filter and pagination token', async () => {
		const provider = fakeProvider('salesforce');
		provider.searchAccounts.mockResolvedValueOnce({
			items: [
				{ provider: 'salesforce', id: '001A', name: 'Acme Inc', domain: 'acme.com', properties: {} },
				{ provider: 'salesforce', id: '001B', name: '', properties: {} },
			],
			nextCursor: '50',
		});
		createProvider.mockReturnValue(provider as unknown as CrmProvider);
		const result = await new Crm().methods.listSearch.searchAccounts.call(loadContext('salesforce'), ' acme ', '25');
		expect(createProvider.mock.calls[0][0].provider).toBe('salesforce');
		expect(provider.searchAccounts).toHaveBeenCalledWith({ query: 'acme', limit: 50, cursor: '25' });
		expect(result).toEqual({ results: [{ name: 'Acme Inc · acme.com', value: '001A' }, { name: '001B', value: '001B' }], paginationToken: '50' });

		provider.searchAccounts.mockResolvedValueOnce({ items: [] });
		expect(await new Crm().methods.listSearch.searchAccounts.call(loadContext('salesforce'), '  ')).toEqual({ results: [], paginationToken: undefined });
		expect(provider.searchAccounts).toHaveBeenLastCalledWith({ limit: 50 });
	});

	it('lists owners (Salesforce by default) with emails', async () => {
		const provider = fakeProvider('salesforce');
		provider.listOwners.mockResolvedValueOnce({ items: [{ id: '005A', name: 'Ann', email: 'ann@acme.com' }, { id: '005B', name: '' }] });
		createProvider.mockReturnValue(provider as unknown as CrmProvider);
		const result = await new Crm().methods.listSearch.searchOwners.call(loadContext(undefined));
		expect(createProvider.mock.calls[0][0].provider).toBe('salesforce');
		expect(provider.listOwners).toHaveBeenCalledWith({ limit: 50 });
		expect(result).toEqual({ results: [{ name: 'Ann (ann@acme.com)', value: '005A' }, { name: '005B', value: '005B' }], paginationToken: undefined });
	});

	it('turns CRM failures into node errors', async () => {
		const provider = fakeProvider('salesforce');
		provider.listOwners.mockRejectedValueOnce(new ConnectorError('auth', 'expired', { status: 401 }));
		provider.searchDeals.mockRejectedValueOnce(new ConnectorError('transient', 'down', { status: 503 }));
		createProvider.mockReturnValue(provider as unknown as CrmProvider);
		await expect(new Crm().methods.listSearch.searchOwners.call(loadContext('salesforce'), 'a')).rejects.toBeInstanceOf(NodeApiError);
		await expect(new Crm().methods.listSearch.searchDeals.call(loadContext('salesforce'), 'a')).rejects.toThrow('down');
		provider.searchAccounts.mockRejectedValueOnce(new ConnectorError('rate_limited', 'slow down', { status: 429 }));
		await expect(new Crm().methods.listSearch.searchAccounts.call(loadContext('salesforce'), 'a')).rejects.toBeInstanceOf(NodeApiError);
	});
});

describe('CRM credential test', () => {
	const testFunctions = {} as ICredentialTestFunctions;

	it('succeeds with whoAmI, building the provider from the tested values', async () => {
		const provider = fakeProvider('hubspot');
		createProvider.mockReturnValue(provider as unknown as CrmProvider);
		const result = await new Crm().methods.credentialTest.crmApiTest.call(testFunctions, { id: '1', name: 'hs', type: 'hubspotCrmApi', data: { ...CREDENTIALS.hubspotCrmApi } });
		expect(result).toEqual({ status: 'OK', message: 'Connected as Integration User (u1)' });
		expect(createProvider).toHaveBeenCalledWith({ provider: 'hubspot', hubspot: { auth: 'privateApp', accessToken: HUBSPOT_TEST_CREDENTIAL_VALUE, basePath: 'http://127.0.0.1:9' } });
		expect(provider.whoAmI).toHaveBeenCalledTimes(1);

		provider.whoAmI.mockResolvedValueOnce({ id: '005X' });
		const bare = await new Crm().methods.credentialTest.crmApiTest.call(testFunctions, { id: '2', name: 'sf', type: 'salesforceCrmApi', data: { ...CREDENTIALS.salesforceCrmApi } });
		expect(bare).toEqual({ status: 'OK', message: 'Connected as 005X' });
		expect(createProvider.mock.calls[1][0].provider).toBe('salesforce');
	});

	it('reports a rejected credential without leaking it', async () => {
		const provider = fakeProvider('salesforce');
		provider.whoAmI.mockRejectedValueOnce(new Error(`invalid_grant: refresh token ${SF_TEST_CREDENTIAL_VALUE} expired`));
		createProvider.mockReturnValue(provider as unknown as CrmProvider);
		const result = await new Crm().methods.credentialTest.crmApiTest.call(testFunctions, { id: '1', name: 'sf', type: 'salesforceCrmApi', data: { ...CREDENTIALS.salesforceCrmApi } });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('invalid_grant');
		expect(result.message).not.toContain(SF_TEST_CREDENTIAL_VALUE);
	});

	it('reports a missing field by name without calling the CRM', async () => {
		const result = await new Crm().methods.credentialTest.crmApiTest.call(testFunctions, { id: '1', name: 'hs', type: 'hubspotCrmApi', data: { authentication: 'oauth', clientId: 'c', clientSecret: 'secret-abcdef' } });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('"refreshToken"') });
		expect(createProvider).not.toHaveBeenCalled();
	});
});
