import { NodeOperationError, type ICredentialDataDecryptedObject, type IExecuteFunctions, type INode } from 'n8n-workflow';
import { createCrmProvider, type CrmProvider } from '../../connectors/crm';
import { redact, validationError } from '../../connectors/core';
import { clearCrmProviderCache, CRM_CREDENTIALS, crmConfigFromCredentials, crmProviderFor, secretsOf } from './transport';

jest.mock('../../connectors/crm', () => ({ createCrmProvider: jest.fn() }));
const createProvider = createCrmProvider as jest.MockedFunction<typeof createCrmProvider>;

const node: INode = { id: '1', name: 'CRM', type: 'n8n-nodes-quote-to-cash.crm', typeVersion: 1, position: [0, 0], parameters: {} };
const PEM = '-----BEGIN PRIVATE KEY-----\\nMIIEv-transport-test\\n-----END PRIVATE KEY-----';

const SF_CLIENT_VALUE = 'sf-client-value-1';
const SF_REFRESH_VALUE = 'sf-refresh-value-1';
const refreshToken = { authentication: 'refreshToken', clientId: ' cid ', clientSecret: SF_CLIENT_VALUE, refreshToken: ` ${SF_REFRESH_VALUE} `, apiVersion: '61.0' };

function contextWith(credentials: Record<string, unknown>) {
	const getCredentials = jest.fn(async () => credentials);
	return { context: { getCredentials, getNode: () => node } as unknown as IExecuteFunctions, getCredentials };
}

beforeEach(() => {
	clearCrmProviderCache();
	createProvider.mockReset();
	createProvider.mockImplementation(() => ({ name: 'salesforce' }) as CrmProvider);
});

describe('Salesforce credential → config', () => {
	it.each([
		['production', 'https://login.salesforce.com'],
		['sandbox', 'https://test.salesforce.com'],
		[undefined, 'https://login.salesforce.com'],
	])('maps environment %s to %s and trims values', (environment, loginUrl) => {
		expect(crmConfigFromCredentials('salesforce', { ...refreshToken, environment } as ICredentialDataDecryptedObject)).toEqual({
			provider: 'salesforce',
			salesforce: { auth: 'refreshToken', loginUrl, clientId: 'cid', clientSecret: SF_CLIENT_VALUE, refreshToken: SF_REFRESH_VALUE, apiVersion: '61.0' },
		});
	});

	it('uses the custom login URL (no trailing slash), the instance URL and the default API version', () => {
		const input = crmConfigFromCredentials('salesforce', {
			...refreshToken,
			environment: 'custom',
			loginUrl: ' http://127.0.0.1:8443/ ',
			instanceUrl: 'https://acme.my.salesforce.com//',
			apiVersion: '',
			// Ignored for production/sandbox; only the custom environment reads it.
		});
		expect(input).toMatchObject({ salesforce: { loginUrl: 'http://127.0.0.1:8443', instanceUrl: 'https://acme.my.salesforce.com', apiVersion: '62.0' } });
		expect(crmConfigFromCredentials('salesforce', { ...refreshToken, environment: 'sandbox', loginUrl: 'http://ignored' })).toMatchObject({
			salesforce: { loginUrl: 'https://test.salesforce.com' },
		});
	});

	it('maps the JWT bearer flow without refresh-token fields', () => {
		const input = crmConfigFromCredentials('salesforce', { authentication: 'jwtBearer', environment: 'production', clientId: 'cid', username: ' int@acme.com ', privateKey: PEM, clientSecret: 'stale' });
		expect(input).toEqual({
			provider: 'salesforce',
			salesforce: { auth: 'jwtBearer', loginUrl: 'https://login.salesforce.com', clientId: 'cid', username: 'int@acme.com', privateKey: PEM, apiVersion: '62.0' },
		});
	});

	it.each([
		[{ ...refreshToken, clientId: '' }, 'clientId'],
		[{ ...refreshToken, clientSecret: ' ' }, 'clientSecret'],
		[{ ...refreshToken, refreshToken: undefined }, 'refreshToken'],
		[{ ...refreshToken, environment: 'custom' }, 'loginUrl'],
		[{ ...refreshToken, environment: 'staging' }, 'environment'],
		[{ ...refreshToken, authentication: 'password' }, 'authentication'],
		[{ authentication: 'jwtBearer', clientId: 'cid', privateKey: PEM }, 'username'],
		[{ authentication: 'jwtBearer', clientId: 'cid', username: 'u' }, 'privateKey'],
	])('names the missing or wrong field (%j → %s)', (credentials, field) => {
		expect(() => crmConfigFromCredentials('salesforce', credentials as ICredentialDataDecryptedObject)).toThrow(`"${field}"`);
	});
});

describe('HubSpot credential → config', () => {
	it('maps a private app with the default base path', () => {
		expect(crmConfigFromCredentials('hubspot', { accessToken: ' pat-na1-abcdef ', portalId: 42 })).toEqual({
			provider: 'hubspot',
			hubspot: { auth: 'privateApp', accessToken: 'pat-na1-abcdef', basePath: 'https://api.hubapi.com', portalId: '42' },
		});
	});

	it('maps OAuth, keeping a current access token when given', () => {
		const oauth = { authentication: 'oauth', clientId: 'hc', clientSecret: 'hs-client-secret', refreshToken: 'hs-refresh-1', basePath: 'http://127.0.0.1:8080/' };
		expect(crmConfigFromCredentials('hubspot', oauth)).toEqual({
			provider: 'hubspot',
			hubspot: { auth: 'oauth', basePath: 'http://127.0.0.1:8080', clientId: 'hc', clientSecret: 'hs-client-secret', refreshToken: 'hs-refresh-1' },
		});
		expect(crmConfigFromCredentials('hubspot', { ...oauth, accessToken: 'current-access' })).toMatchObject({ hubspot: { accessToken: 'current-access' } });
	});

	it.each([
		[{ accessToken: '' }, 'accessToken'],
		[{ authentication: 'oauth', clientSecret: 's', refreshToken: 'r' }, 'clientId'],
		[{ authentication: 'oauth', clientId: 'c', refreshToken: 'r' }, 'clientSecret'],
		[{ authentication: 'oauth', clientId: 'c', clientSecret: 's' }, 'refreshToken'],
		[{ authentication: 'apiKey', accessToken: 'x' }, 'authentication'],
	])('names the missing or wrong field (%j → %s)', (credentials, field) => {
		expect(() => crmConfigFromCredentials('hubspot', credentials)).toThrow(`"${field}"`);
	});

	it('does not echo a secret in the error', () => {
		expect(() => crmConfigFromCredentials('hubspot', { authentication: 'oauth', clientId: 'c', clientSecret: 'hs-secret-not-shown' })).toThrow(
			expect.objectContaining({ message: expect.not.stringContaining('hs-secret-not-shown') }),
		);
	});

	it('refuses an unknown provider', () => {
		expect(() => crmConfigFromCredentials('pipedrive' as never, {})).toThrow('"provider"');
	});
});

describe('crmProviderFor', () => {
	it('reads the provider credential and reuses one provider per credential data', async () => {
		const { context, getCredentials } = contextWith({ ...refreshToken, environment: 'sandbox' });
		const first = await crmProviderFor(context, 'salesforce');
		const second = await crmProviderFor(context, 'salesforce');
		expect(getCredentials).toHaveBeenCalledWith(CRM_CREDENTIALS.salesforce);
		expect(second).toBe(first);
		expect(createProvider).toHaveBeenCalledTimes(1);
		expect(createProvider).toHaveBeenCalledWith(expect.objectContaining({ provider: 'salesforce', salesforce: expect.objectContaining({ loginUrl: 'https://test.salesforce.com' }) }));

		// Edited credential → new hash → new provider (the old tokens are not reused for other values).
		const edited = contextWith({ ...refreshToken, environment: 'production' });
		expect(await crmProviderFor(edited.context, 'salesforce')).not.toBe(first);
		expect(createProvider).toHaveBeenCalledTimes(2);
	});

	it('reads the HubSpot credential for the hubspot provider', async () => {
		const { context, getCredentials } = contextWith({ accessToken: 'pat-na1-xyz123' });
		await crmProviderFor(context, 'hubspot');
		expect(getCredentials).toHaveBeenCalledWith('hubspotCrmApi');
		expect(createProvider.mock.calls[0][0]).toMatchObject({ provider: 'hubspot' });
	});

	it('keeps a bounded cache', async () => {
		for (let i = 0; i < 40; i++) await crmProviderFor(contextWith({ accessToken: `pat-token-${i}` }).context, 'hubspot');
		expect(createProvider).toHaveBeenCalledTimes(40);
		// The oldest entries were evicted, the newest is still cached.
		await crmProviderFor(contextWith({ accessToken: 'pat-token-0' }).context, 'hubspot');
		await crmProviderFor(contextWith({ accessToken: 'pat-token-39' }).context, 'hubspot');
		expect(createProvider).toHaveBeenCalledTimes(41);
	});

	it('throws a NodeOperationError naming the credential field', async () => {
		const error = await crmProviderFor(contextWith({ authentication: 'oauth', clientId: 'c', clientSecret: 'secret-xyz' }).context, 'hubspot').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('"refreshToken"');
		expect((error as NodeOperationError).description).toContain('hubspotCrmApi');
		expect(createProvider).not.toHaveBeenCalled();
	});

	it('reports a config the connector refuses as a NodeOperationError naming the credential field', async () => {
		createProvider.mockImplementationOnce(() => {
			throw validationError('credentials.apiVersion', 'an API version such as "62.0"', '62');
		});
		const error = await crmProviderFor(contextWith({ ...refreshToken, apiVersion: '62' }).context, 'salesforce').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('apiVersion');
		expect((error as NodeOperationError).description).toBe('Open the "salesforceCrmApi" credential and check "apiVersion".');
	});

	it('registers the credential secrets for redaction', async () => {
		await crmProviderFor(contextWith({ ...refreshToken, outboundMessageToken: 'om-token-registered' }).context, 'salesforce');
		expect(redact(`echo ${SF_CLIENT_VALUE} ${SF_REFRESH_VALUE} om-token-registered cid`)).toBe('echo [redacted] [redacted] [redacted] cid');
	});
});

describe('secretsOf', () => {
	it('returns the non-empty, trimmed values of the named fields in order', () => {
		expect(secretsOf({ hmacKey: ' current ', previous: '', other: 'x', n: 5, nil: null } as unknown as ICredentialDataDecryptedObject, 'hmacKey', 'previous', 'missing', 'n', 'nil')).toEqual(['current', '5']);
		expect(secretsOf({})).toEqual([]);
	});
});
