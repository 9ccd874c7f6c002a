/**
 * The CRM node with the real Salesforce connector (no mocks above HTTP): the credential's environment
 * picks the login URL, the token exchange and the REST call go where the credential says.
 */
import nock from 'nock';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IExecuteFunctions, INode } from 'n8n-workflow';
import { Crm } from './Crm.node';
import { clearCrmProviderCache } from './transport';

const SANDBOX_LOGIN = 'https://test.salesforce.com';
const INSTANCE = 'https://acme--uat.sandbox.my.salesforce.com';
const DEAL = '006000000000009AAA';
const SF_TEST_CLIENT_VALUE = 'sf-integration-client-value';
const SF_TEST_REFRESH_VALUE = 'sf-integration-refresh-value';
const node: INode = { id: '1', name: 'CRM', type: 'n8n-nodes-quote-to-cash.crm', typeVersion: 1, position: [0, 0], parameters: {} };

const credentials: ICredentialDataDecryptedObject = {
	authentication: 'refreshToken',
	environment: 'sandbox',
	clientId: '3MVG9integration',
	clientSecret: SF_TEST_CLIENT_VALUE,
	refreshToken: SF_TEST_REFRESH_VALUE,
	apiVersion: '62.0',
};

function mockToken(form: URLSearchParams[]) {
	nock(SANDBOX_LOGIN)
		.post('/services/oauth2/token')
		.reply((_uri, body) => {
			form.push(new URLSearchParams(String(body)));
			return [200, { access_token: '00D!integration-access', instance_url: INSTANCE, id: `${SANDBOX_LOGIN}/id/00D000000000009AAA/005000000000009AAA`, token_type: 'Bearer', issued_at: '1700000000000' }];
		});
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearCrmProviderCache());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('CRM node × Salesforce connector', () => {
	it('tests the credential against the sandbox login URL and userinfo', async () => {
		const form: URLSearchParams[] = [];
		mockToken(form);
		nock(INSTANCE).get('/services/oauth2/userinfo').reply(200, { user_id: '005000000000009AAA', name: 'Integration User' });
		const result = await new Crm().methods.credentialTest.crmApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'sf', type: 'salesforceCrmApi', data: { ...credentials } });
		expect(result).toEqual({ status: 'OK', message: 'Connected as Integration User (005000000000009AAA)' });
		expect(form[0].get('grant_type')).toBe('refresh_token');
		expect(form[0].get('refresh_token')).toBe(SF_TEST_REFRESH_VALUE);
	});

	it('reports a refused refresh token without leaking it', async () => {
		nock(SANDBOX_LOGIN).post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: `expired access/refresh token ${SF_TEST_REFRESH_VALUE}` });
		const result = await new Crm().methods.credentialTest.crmApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'sf', type: 'salesforceCrmApi', data: { ...credentials } });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(SF_TEST_REFRESH_VALUE);
	});

	it('gets a deal, logging in once for two items', async () => {
		const form: URLSearchParams[] = [];
		const soql: string[] = [];
		mockToken(form);
		nock(INSTANCE)
			.get('/services/data/v62.0/query')
			.query(true)
			.times(2)
			.reply(function (uri) {
				soql.push(new URL(uri, INSTANCE).searchParams.get('q') ?? '');
				return [
					200,
					{
						totalSize: 1,
						done: true,
						records: [{ attributes: { type: 'Opportunity' }, Id: DEAL, Name: 'Acme renewal', Amount: 100, StageName: 'Closed Won', IsClosed: true, IsWon: true, SystemModstamp: '2026-01-02T03:04:05.000+0000', CurrencyIsoCode: 'USD' }],
					},
				];
			});
		const context = {
			getInputData: () => [{ json: {} }, { json: {} }],
			getNodeParameter: (name: string, _index: number, fallback?: unknown) =>
				({ provider: 'salesforce', resource: 'deal', operation: 'get', dealId: DEAL, options: {} })[name] ?? fallback,
			getCredentials: async () => ({ ...credentials }),
			continueOnFail: () => false,
			getNode: () => node,
		} as unknown as IExecuteFunctions;
		const [output] = await new Crm().execute.call(context);
		expect(form).toHaveLength(1);
		expect(soql[0]).toContain(`FROM Opportunity WHERE Id = '${DEAL}'`);
		expect(output.map((item) => [item.json.id, item.json.isWon, item.json.amountMinor, item.pairedItem])).toEqual([
			[DEAL, true, 10000, { item: 0 }],
			[DEAL, true, 10000, { item: 1 }],
		]);
		expect(JSON.stringify(output)).not.toContain(SF_TEST_CLIENT_VALUE);
	});
});
