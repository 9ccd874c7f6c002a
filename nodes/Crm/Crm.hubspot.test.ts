/**
 * The CRM node with the real HubSpot connector (no mocks above HTTP): the credential's base path and
 * token reach HubSpot, and the same node parameters that drive Salesforce drive HubSpot.
 */
import nock from 'nock';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IExecuteFunctions, INode } from 'n8n-workflow';
import { Crm } from './Crm.node';
import { clearCrmProviderCache } from './transport';

const BASE = 'http://127.0.0.1:19321';
const HUBSPOT_TEST_CREDENTIAL_VALUE = 'pat-na1-integration-value-1';
const node: INode = { id: '1', name: 'CRM', type: 'n8n-nodes-quote-to-cash.crm', typeVersion: 1, position: [0, 0], parameters: {} };
const credentials: ICredentialDataDecryptedObject = { authentication: 'privateApp', accessToken: HUBSPOT_TEST_CREDENTIAL_VALUE, basePath: `${BASE}/` };

beforeAll(() => nock.disableNetConnect());
beforeEach(() => clearCrmProviderCache());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('CRM node × HubSpot connector', () => {
	it('tests a private app credential with the account details call', async () => {
		let authorization: string | undefined;
		nock(BASE)
			.get('/account-info/v3/details')
			.reply(function () {
				authorization = this.req.headers.authorization as string;
				return [200, { portalId: 4242, uiDomain: 'app.hubspot.com' }];
			});
		const result = await new Crm().methods.credentialTest.crmApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'hs', type: 'hubspotCrmApi', data: { ...credentials } });
		expect(result.status).toBe('OK');
		expect(result.message).toContain('4242');
		expect(authorization).toBe(`Bearer ${HUBSPOT_TEST_CREDENTIAL_VALUE}`);
	});

	it('reports a rejected token', async () => {
		nock(BASE).get('/account-info/v3/details').reply(401, { status: 'error', message: 'Authentication credentials not found', category: 'INVALID_AUTHENTICATION' });
		const result = await new Crm().methods.credentialTest.crmApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'hs', type: 'hubspotCrmApi', data: { ...credentials } });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(HUBSPOT_TEST_CREDENTIAL_VALUE);
	});

	it('gets many owners with the search text filtering name and email', async () => {
		nock(BASE)
			.get('/crm/v3/owners/')
			.query(true)
			.reply(200, {
				results: [
					{ id: '11', firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.com', archived: false },
					{ id: '12', firstName: 'Bob', lastName: 'Ray', email: 'bob@acme.com', archived: false },
				],
			});
		const parameters: Record<string, unknown> = { provider: 'hubspot', resource: 'owner', operation: 'getMany', query: 'ann', returnAll: false, limit: 10 };
		const context = {
			getInputData: () => [{ json: {} }],
			getNodeParameter: (name: string, _index: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
			getCredentials: async () => ({ ...credentials }),
			continueOnFail: () => false,
			getNode: () => node,
		} as unknown as IExecuteFunctions;
		const [output] = await new Crm().execute.call(context);
		expect(output).toEqual([{ json: expect.objectContaining({ id: '11', email: 'ann@acme.com' }), pairedItem: { item: 0 } }]);
	});
});
