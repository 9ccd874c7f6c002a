/**
 * The node through the real DocuSign connector (JWT grant + SDK over http on loopback, intercepted by
 * nock): proves the node's calls and the connector's shapes fit at runtime, not only in types.
 */
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import type { ICredentialTestFunctions, IExecuteFunctions, INode } from 'n8n-workflow';
import { clearDocusignTokenCache } from '../../connectors/docusign';
import { Docusign } from './Docusign.node';

const AUTH = 'http://127.0.0.1:18443';
const REST = 'http://127.0.0.1:18444';
const ACCOUNT = 'acc-1';
const ENVELOPE = '4b1f0c2e-1111-4a4a-9d9d-123456789abc';
const ACCESS_VALUE = 'node-test-access-value-7e6d5c';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const credentials = { environment: 'custom', authServer: AUTH, integrationKey: 'ik-node-test', userId: 'user-1', privateKey, accountId: ACCOUNT, basePath: `${REST}/restapi` };
const node: INode = { id: '1', name: 'DocuSign', type: 'n8n-nodes-quote-to-cash.docusign', typeVersion: 1, position: [0, 0], parameters: {} };

function mockToken() {
	nock(AUTH)
		.persist()
		.post('/oauth/token')
		.reply(200, { access_token: ACCESS_VALUE, token_type: 'Bearer', expires_in: 3600 })
		.get('/oauth/userinfo')
		.reply(200, { sub: 'user-1', name: 'Ada Admin', email: 'ada@acme.test', accounts: [{ account_id: ACCOUNT, is_default: true, account_name: 'Acme', base_uri: REST }] });
}

function context(parameters: Record<string, unknown>): IExecuteFunctions {
	return {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _i: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const value = name in parameters ? parameters[name] : fallback;
			if (options?.extractValue && value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
			return value;
		},
		getCredentials: async () => credentials,
		continueOnFail: () => false,
		getNode: () => node,
		helpers: { prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => ({ data: data.toString('base64'), fileName, mimeType }) },
	} as unknown as IExecuteFunctions;
}

beforeEach(() => clearDocusignTokenCache());
afterEach(() => nock.cleanAll());

it('downloads the combined PDF byte for byte into binary data', async () => {
	mockToken();
	const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0x00, 0xff, 0x80, 0xe2, 0x9c, 0x93]), Buffer.from('\n%%EOF')]);
	let authorization: unknown;
	nock(REST)
		.get(`/restapi/v2.1/accounts/${ACCOUNT}/envelopes/${ENVELOPE}/documents/combined`)
		.reply(function () {
			authorization = this.req.headers.authorization;
			return [200, pdf, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'file; filename="ORD-42 signed.pdf"' }];
		});
	const [output] = await new Docusign().execute.call(context({ resource: 'envelope', operation: 'downloadDocuments', envelopeId: { __rl: true, mode: 'id', value: ENVELOPE }, binaryPropertyName: 'data' }));
	expect(authorization).toBe(`Bearer ${ACCESS_VALUE}`);
	expect(output[0].json).toMatchObject({ envelopeId: ENVELOPE, fileName: 'ORD-42 signed.pdf', mimeType: 'application/pdf', fileSize: pdf.length });
	expect(Buffer.from(String(output[0].binary?.data.data), 'base64').equals(pdf)).toBe(true);
	expect(JSON.stringify(output)).not.toContain(ACCESS_VALUE);
});

it('credential test reports consent_required with the consent URL to open', async () => {
	nock(AUTH).post('/oauth/token').reply(400, { error: 'consent_required' });
	const result = await new Docusign().methods.credentialTest.docusignApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'DocuSign', type: 'docusignApi', data: credentials } as never);
	expect(result.status).toBe('Error');
	expect(result.message).toContain(`${AUTH}/oauth/auth?`);
	expect(result.message).toContain('client_id=ik-node-test');
	expect(result.message).not.toContain('BEGIN RSA PRIVATE KEY');
});

it('creates an envelope from the template with roles, prefilled tabs and the business key field', async () => {
	mockToken();
	let body: Record<string, unknown> = {};
	nock(REST)
		.get(`/restapi/v2.1/accounts/${ACCOUNT}/envelopes`)
		.query(true)
		.reply(200, { envelopes: [], resultSetSize: '0', totalSetSize: '0' })
		.post(`/restapi/v2.1/accounts/${ACCOUNT}/envelopes`)
		.reply((_uri, requestBody) => {
			body = requestBody as Record<string, unknown>;
			return [201, { envelopeId: ENVELOPE, status: 'sent', statusDateTime: '2026-03-01T10:00:00Z', uri: `/envelopes/${ENVELOPE}` }];
		});
	const [output] = await new Docusign().execute.call(
		context({
			resource: 'envelope',
			operation: 'createFromTemplate',
			templateId: { __rl: true, mode: 'list', value: '7c9d1e2f-2222-4b4b-8c8c-123456789abc' },
			businessKey: 'ORD-42',
			signers: { signer: [{ roleName: 'Customer', name: 'Ana Lee', email: 'ana@example.com' }] },
			prefilledTabs: { tab: [{ roleName: 'Customer', tabLabel: 'price', value: '4900' }] },
			customFields: { field: [{ name: 'partnerId', value: 'P-7' }] },
		}),
	);
	expect(output[0].json).toMatchObject({ envelopeId: ENVELOPE, status: 'sent', created: true, businessKey: 'ORD-42' });
	expect(body).toMatchObject({ templateId: '7c9d1e2f-2222-4b4b-8c8c-123456789abc', status: 'sent' });
	const serialized = JSON.stringify(body);
	for (const expected of ['"roleName":"Customer"', '"email":"ana@example.com"', '"tabLabel":"price"', '"value":"4900"', '"name":"q2cBusinessKey"', '"value":"ORD-42"', '"name":"partnerId"']) {
		expect(serialized).toContain(expected);
	}
});
