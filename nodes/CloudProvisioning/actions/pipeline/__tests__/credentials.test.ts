import { runInNewContext } from 'node:vm';
import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType } from 'n8n-workflow';
import { startFake, type FakeVendor } from '../../../../../connectors/provisioning/pipeline/__tests__/fakeServer';
import { ProvisioningCloudflareApi } from '../../../../../credentials/ProvisioningCloudflareApi.credentials';
import { ProvisioningGitlabApi } from '../../../../../credentials/ProvisioningGitlabApi.credentials';
import { ProvisioningJenkinsApi } from '../../../../../credentials/ProvisioningJenkinsApi.credentials';
import { ProvisioningTerraformApi } from '../../../../../credentials/ProvisioningTerraformApi.credentials';

/** Resolves an n8n `={{ … }}` expression over `$credentials` (the only variable these credentials use). */
function resolve(value: unknown, credentials: Record<string, unknown>): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return value.slice(1).replace(/\{\{([\s\S]+?)\}\}/g, (_, expression: string) => {
		return String(runInNewContext(expression, { $credentials: credentials }));
	});
}

/** Sends the credential's declarative test request as n8n would: its URL, plus the `authenticate` headers or Basic auth. */
async function sendTest(credential: ICredentialType, credentials: Record<string, unknown>) {
	const { request } = credential.test as ICredentialTestRequest;
	const auth = (credential.authenticate as IAuthenticateGeneric).properties;
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries({ ...request.headers, ...auth.headers })) headers[name] = String(resolve(value, credentials));
	if (auth.auth) headers.Authorization = `Basic ${Buffer.from(`${resolve(auth.auth.username, credentials)}:${resolve(auth.auth.password, credentials)}`).toString('base64')}`;
	const response = await fetch(`${resolve(request.baseURL, credentials)}${request.url}`, { headers });
	return response.status;
}

let fake: FakeVendor;
beforeAll(async () => {
	fake = await startFake(() => ({ status: 200, body: {} }));
});
afterAll(() => fake.close());
beforeEach(() => (fake.seen.length = 0));

describe('pipeline and DNS credentials', () => {
	it('keep the field names the node and the sandbox use, with secrets as passwords', () => {
		const fields = (credential: ICredentialType) => credential.properties.map((p) => `${p.name}${p.typeOptions?.password ? '*' : ''}`);
		expect(fields(new ProvisioningGitlabApi())).toEqual(['baseUrl', 'triggerToken*', 'accessToken*']);
		expect(fields(new ProvisioningJenkinsApi())).toEqual(['baseUrl', 'username', 'apiToken*']);
		expect(fields(new ProvisioningTerraformApi())).toEqual(['baseUrl', 'token*', 'organization']);
		expect(fields(new ProvisioningCloudflareApi())).toEqual(['apiToken*', 'baseUrl']);
	});

	it('GitLab: GET /api/v4/version with PRIVATE-TOKEN (the access token)', async () => {
		expect(await sendTest(new ProvisioningGitlabApi(), { baseUrl: `${fake.url}/`, accessToken: 'glpat-x', triggerToken: 'glptt-y' })).toBe(200);
		expect(fake.seen[0]).toMatchObject({ method: 'GET', path: '/api/v4/version', headers: expect.objectContaining({ 'private-token': 'glpat-x' }) });
	});

	it('Jenkins: GET /api/json with Basic auth of user and API token', async () => {
		expect(await sendTest(new ProvisioningJenkinsApi(), { baseUrl: `${fake.url}/jenkins`, username: 'robot', apiToken: 'tok' })).toBe(200);
		expect(fake.seen[0]).toMatchObject({ path: '/jenkins/api/json', headers: expect.objectContaining({ authorization: `Basic ${Buffer.from('robot:tok').toString('base64')}` }) });
	});

	it('Terraform: GET /api/v2/account/details with a Bearer token', async () => {
		expect(await sendTest(new ProvisioningTerraformApi(), { baseUrl: fake.url, token: 'tf-tok', organization: 'acme' })).toBe(200);
		expect(fake.seen[0]).toMatchObject({ path: '/api/v2/account/details', headers: expect.objectContaining({ authorization: 'Bearer tf-tok', accept: 'application/vnd.api+json' }) });
	});

	it('Cloudflare: GET /user/tokens/verify under the base URL, or Cloudflare itself when it is blank', async () => {
		expect(await sendTest(new ProvisioningCloudflareApi(), { baseUrl: `${fake.url}/client/v4`, apiToken: 'cf-tok' })).toBe(200);
		expect(fake.seen[0]).toMatchObject({ path: '/client/v4/user/tokens/verify', headers: expect.objectContaining({ authorization: 'Bearer cf-tok' }) });
		const { request } = new ProvisioningCloudflareApi().test;
		expect(resolve(request.baseURL, { baseUrl: '', apiToken: 'cf-tok' })).toBe('https://api.cloudflare.com/client/v4');
	});
});
