import { NodeApiError, NodeOperationError, type ICredentialTestFunctions, type IExecuteFunctions, type ILoadOptionsFunctions, type INode } from 'n8n-workflow';
import { ConnectorError } from '../../connectors/core';
import { createDocusignClient, type DocusignClient } from '../../connectors/docusign';
import { DocusignApi } from '../../credentials/DocusignApi.credentials';
import { operations } from './actions';
import { Docusign } from './Docusign.node';
import { docusignConfigFromCredentials } from './transport';

// Only the client factory is faked: the node's job is mapping parameters to connector calls.
jest.mock('../../connectors/docusign', () => ({ ...jest.requireActual('../../connectors/docusign'), createDocusignClient: jest.fn() }));

const createClient = createDocusignClient as jest.MockedFunction<typeof createDocusignClient>;
const ENVELOPE = '4b1f0c2e-1111-4a4a-9d9d-123456789abc';
const TEMPLATE = '7c9d1e2f-2222-4b4b-8c8c-123456789abc';
// Test-only value standing in for a PEM; never a real key.
const FAKE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nnot-a-real-key-9f8e7d\n-----END RSA PRIVATE KEY-----';
const credentials = { environment: 'custom', authServer: 'http://127.0.0.1:8443', integrationKey: 'ik-1', userId: 'user-1', privateKey: FAKE_KEY, accountId: '', basePath: ' ' };
const node: INode = { id: '1', name: 'DocuSign', type: 'n8n-nodes-quote-to-cash.docusign', typeVersion: 1, position: [0, 0], parameters: {} };

type FakeClient = { [K in keyof DocusignClient]: jest.Mock };
function fakeClient(): FakeClient {
	const names = ['getAccessToken', 'whoAmI', 'createEnvelopeFromTemplate', 'getEnvelope', 'listRecipients', 'getFormData', 'downloadCombinedPdf', 'voidEnvelope', 'listTemplates', 'listEnvelopes', 'createConnectConfig', 'findConnectConfig', 'deleteConnectConfig'];
	return Object.fromEntries(names.map((name) => [name, jest.fn()])) as unknown as FakeClient;
}

let client: FakeClient;
beforeEach(() => {
	client = fakeClient();
	createClient.mockReset().mockReturnValue(client as unknown as DocusignClient);
});

function context(parameters: Record<string, unknown> | Record<string, unknown>[], continueOnFail = false) {
	const perItem = Array.isArray(parameters) ? parameters : [parameters];
	const prepareBinaryData = jest.fn(async (data: Buffer, fileName?: string, mimeType?: string) => ({ data: data.toString('base64'), fileName, mimeType, fileSize: String(data.length) }));
	const ctx = {
		getInputData: () => perItem.map(() => ({ json: {} })),
		getNodeParameter: (name: string, index: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const params = perItem[index];
			const value = name in params ? params[name] : fallback;
			if (options?.extractValue && value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
			return value;
		},
		getCredentials: async () => credentials,
		continueOnFail: () => continueOnFail,
		getNode: () => node,
		helpers: { prepareBinaryData },
	} as unknown as IExecuteFunctions;
	return { ctx, prepareBinaryData };
}

const run = (parameters: Record<string, unknown> | Record<string, unknown>[], continueOnFail = false) => new Docusign().execute.call(context(parameters, continueOnFail).ctx);
const envelopeParam = { __rl: true, mode: 'list', value: ENVELOPE };

describe('DocuSign node description', () => {
	const docusign = new Docusign();
	it('is the docusign node, usable as a tool, with a code-tested JWT credential', () => {
		expect(docusign.description.name).toBe('docusign');
		expect(docusign.description.usableAsTool).toBe(true);
		expect(docusign.description.credentials).toEqual([{ name: 'docusignApi', required: true, testedBy: 'docusignApiTest' }]);
		expect(typeof docusign.methods.credentialTest.docusignApiTest).toBe('function');
		expect(Object.keys(docusign.methods.listSearch).sort()).toEqual(['searchEnvelopes', 'searchTemplates']);
	});

	it('has a handler for every operation it offers', () => {
		const offered = docusign.description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []).map((o) => `${p.displayOptions?.show?.resource?.[0]}.${(o as { value: string }).value}`));
		const handled = Object.entries(operations).flatMap(([resource, ops]) => Object.keys(ops).map((op) => `${resource}.${op}`));
		expect(offered.sort()).toEqual(['envelope.createFromTemplate', 'envelope.downloadDocuments', 'envelope.get', 'envelope.getFormData', 'envelope.getRecipients', 'envelope.void']);
		expect(handled.sort()).toEqual(offered.sort());
	});

	it('uses the listSearch methods in its locators', () => {
		const methods = docusign.description.properties
			.filter((p) => p.type === 'resourceLocator')
			.map((p) => `${p.name}:${(p.modes?.[0].typeOptions as { searchListMethod?: string })?.searchListMethod}`);
		expect(new Set(methods)).toEqual(new Set(['templateId:searchTemplates', 'envelopeId:searchEnvelopes']));
	});

	it('credential has the fixed field names', () => {
		const credential = new DocusignApi();
		expect(credential.name).toBe('docusignApi');
		expect(credential.displayName).toBe('DocuSign API (JWT Grant)');
		expect(credential.properties.map((p) => p.name)).toEqual(['environment', 'authServer', 'integrationKey', 'userId', 'privateKey', 'accountId', 'basePath']);
		expect(credential.properties.find((p) => p.name === 'privateKey')?.typeOptions).toMatchObject({ password: true });
	});
});

describe('DocuSign credential mapping', () => {
	it('passes filled fields and leaves blank optional ones out', () => {
		expect(docusignConfigFromCredentials(credentials)).toEqual({ environment: 'custom', authServer: 'http://127.0.0.1:8443', integrationKey: 'ik-1', userId: 'user-1', privateKey: FAKE_KEY });
		expect(docusignConfigFromCredentials({ ...credentials, environment: 'demo', accountId: 'acc-9', basePath: 'https://demo.docusign.net/restapi' })).toEqual({
			environment: 'demo',
			integrationKey: 'ik-1',
			userId: 'user-1',
			privateKey: FAKE_KEY,
			accountId: 'acc-9',
			basePath: 'https://demo.docusign.net/restapi',
		});
	});

	it('rejects an unknown environment by field name', () => {
		expect(() => docusignConfigFromCredentials({ ...credentials, environment: 'staging' })).toThrow(/"environment"/);
	});

	it('turns an invalid credential into a NodeOperationError naming the field, without the key', async () => {
		createClient.mockImplementation(() => {
			throw new ConnectorError('validation', 'Invalid "credentials.privateKey": expected an RSA private key', { field: 'credentials.privateKey' });
		});
		const error = await run({ resource: 'envelope', operation: 'get', envelopeId: envelopeParam }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).description).toContain('credentials.privateKey');
		expect(JSON.stringify(error)).not.toContain('not-a-real-key');
	});
});

describe('DocuSign envelope: create from template', () => {
	const base = {
		resource: 'envelope',
		operation: 'createFromTemplate',
		templateId: { __rl: true, mode: 'id', value: TEMPLATE },
		businessKey: ' ORD-42 ',
		emailSubject: 'Please sign ORD-42',
		signers: { signer: [{ roleName: 'Customer', name: 'Ana Lee', email: 'ana@example.com' }, { roleName: 'Partner', name: 'Bo Chan', email: 'bo@example.com' }] },
		customFields: { field: [{ name: 'partnerId', value: 'P-7' }] },
		options: { status: 'created' },
	};

	it('maps signers, prefilled tabs (fields), custom fields and status to one connector call', async () => {
		client.createEnvelopeFromTemplate.mockResolvedValue({ envelopeId: ENVELOPE, status: 'created', created: true });
		const [output] = await run({ ...base, prefilledTabs: { tab: [{ roleName: 'Customer', tabLabel: 'price', value: '4900' }, { roleName: 'Customer', tabLabel: 'plan', value: 'Pro' }] } });
		expect(client.createEnvelopeFromTemplate).toHaveBeenCalledWith({
			businessKey: 'ORD-42',
			templateId: TEMPLATE,
			emailSubject: 'Please sign ORD-42',
			roles: [
				{ roleName: 'Customer', name: 'Ana Lee', email: 'ana@example.com', tabs: { price: '4900', plan: 'Pro' } },
				{ roleName: 'Partner', name: 'Bo Chan', email: 'bo@example.com' },
			],
			customFields: { partnerId: 'P-7' },
			status: 'created',
		});
		expect(output).toEqual([{ json: { envelopeId: ENVELOPE, status: 'created', created: true, businessKey: 'ORD-42' }, pairedItem: { item: 0 } }]);
	});

	it('accepts prefilled tabs as JSON, by role object or as rows, and defaults to status sent', async () => {
		client.createEnvelopeFromTemplate.mockResolvedValue({ envelopeId: ENVELOPE, status: 'sent', created: false });
		const params = { ...base, options: {}, emailSubject: '', customFields: {}, prefilledTabsMode: 'json' };
		await run({ ...params, prefilledTabsJson: '{"Partner":{"commission":12}}' });
		expect(client.createEnvelopeFromTemplate.mock.calls[0][0]).toEqual({
			businessKey: 'ORD-42',
			templateId: TEMPLATE,
			status: 'sent',
			roles: [
				{ roleName: 'Customer', name: 'Ana Lee', email: 'ana@example.com' },
				{ roleName: 'Partner', name: 'Bo Chan', email: 'bo@example.com', tabs: { commission: '12' } },
			],
		});
		await run({ ...params, prefilledTabsJson: [{ roleName: 'Customer', tabLabel: 'price', value: 10 }] });
		expect(client.createEnvelopeFromTemplate.mock.calls[1][0].roles[0].tabs).toEqual({ price: '10' });
	});

	it('names the field at fault before any DocuSign call', async () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ signers: {} }, '"signers"'],
			[{ prefilledTabs: { tab: [{ roleName: 'Reseller', tabLabel: 'x', value: '1' }] } }, '"prefilledTabs.roleName"'],
			[{ prefilledTabs: { tab: [{ roleName: 'Customer', tabLabel: ' ', value: '1' }] } }, '"prefilledTabs[0].tabLabel"'],
			[{ prefilledTabsMode: 'json', prefilledTabsJson: '{"Customer":' }, '"prefilledTabsJson"'],
			[{ prefilledTabsMode: 'json', prefilledTabsJson: '{"Customer":"x"}' }, '"prefilledTabsJson.Customer"'],
			[{ prefilledTabsMode: 'json', prefilledTabsJson: '7' }, '"prefilledTabsJson"'],
			[{ customFields: { field: [{ name: '', value: 'v' }] } }, '"customFields[0].name"'],
		];
		for (const [override, field] of cases) {
			const error = await run({ ...base, ...override }).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as Error).message).toContain(field);
		}
		expect(client.createEnvelopeFromTemplate).not.toHaveBeenCalled();
	});
});

describe('DocuSign envelope: read operations', () => {
	it('gets an envelope by the locator value', async () => {
		client.getEnvelope.mockResolvedValue({ envelopeId: ENVELOPE, status: 'completed', customFields: { q2cBusinessKey: 'ORD-1' }, businessKey: 'ORD-1' });
		const [output] = await run({ resource: 'envelope', operation: 'get', envelopeId: envelopeParam });
		expect(client.getEnvelope).toHaveBeenCalledWith(ENVELOPE);
		expect(output[0].json).toMatchObject({ envelopeId: ENVELOPE, status: 'completed', businessKey: 'ORD-1' });
	});

	it('returns recipients and form data as one item per envelope', async () => {
		const recipients = [{ recipientId: '1', type: 'signer', status: 'completed', email: 'ana@example.com' }];
		client.listRecipients.mockResolvedValue(recipients);
		client.getFormData.mockResolvedValue({ price: '4900' });
		const [output] = await run([
			{ resource: 'envelope', operation: 'getRecipients', envelopeId: envelopeParam },
			{ resource: 'envelope', operation: 'getFormData', envelopeId: { __rl: true, mode: 'id', value: ` ${ENVELOPE} ` } },
		]);
		expect(client.listRecipients).toHaveBeenCalledWith(ENVELOPE);
		expect(client.getFormData).toHaveBeenCalledWith(ENVELOPE);
		expect(output).toEqual([
			{ json: { envelopeId: ENVELOPE, recipients }, pairedItem: { item: 0 } },
			{ json: { envelopeId: ENVELOPE, formData: { price: '4900' } }, pairedItem: { item: 1 } },
		]);
		expect(createClient).toHaveBeenCalledTimes(1);
	});

	it('downloads the combined PDF into the named binary property', async () => {
		const pdf = Buffer.from('%PDF-1.7 signed');
		client.downloadCombinedPdf.mockResolvedValue({ data: pdf, fileName: 'ORD-42.pdf', mimeType: 'application/pdf' });
		const { ctx, prepareBinaryData } = context({ resource: 'envelope', operation: 'downloadDocuments', envelopeId: envelopeParam, binaryPropertyName: 'contract' });
		const [output] = await new Docusign().execute.call(ctx);
		expect(client.downloadCombinedPdf).toHaveBeenCalledWith(ENVELOPE);
		expect(prepareBinaryData).toHaveBeenCalledWith(pdf, 'ORD-42.pdf', 'application/pdf');
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual({ envelopeId: ENVELOPE, fileName: 'ORD-42.pdf', mimeType: 'application/pdf', fileSize: pdf.length, binaryPropertyName: 'contract' });
		expect(Object.keys(output[0].binary ?? {})).toEqual(['contract']);
		expect(Buffer.from(output[0].binary?.contract.data ?? '', 'base64').toString()).toBe('%PDF-1.7 signed');
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('refuses a blank binary property name before downloading', async () => {
		const error = await run({ resource: 'envelope', operation: 'downloadDocuments', envelopeId: envelopeParam, binaryPropertyName: ' ' }).catch((e: unknown) => e);
		expect((error as Error).message).toContain('"binaryPropertyName"');
		expect(client.downloadCombinedPdf).not.toHaveBeenCalled();
	});

	it('voids with the reason and reports whether anything changed', async () => {
		client.voidEnvelope.mockResolvedValue({ envelopeId: ENVELOPE, status: 'voided', changed: false });
		const [output] = await run({ resource: 'envelope', operation: 'void', envelopeId: envelopeParam, reason: 'Order cancelled' });
		expect(client.voidEnvelope).toHaveBeenCalledWith(ENVELOPE, 'Order cancelled');
		expect(output[0].json).toEqual({ envelopeId: ENVELOPE, status: 'voided', changed: false });
	});
});

describe('DocuSign node errors', () => {
	it('raises a NodeApiError for a vendor failure (completed envelope cannot be voided)', async () => {
		client.voidEnvelope.mockRejectedValue(new ConnectorError('conflict', 'Envelope is completed and cannot be voided', { vendor: 'docusign', status: 400, code: 'ENVELOPE_CANNOT_VOID_INVALID_STATE' }));
		const error = await run({ resource: 'envelope', operation: 'void', envelopeId: envelopeParam, reason: 'x' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).description).toMatch(/changed or already exists/);
	});

	it('with Continue On Fail, emits an error item per failed input and carries on', async () => {
		client.getEnvelope.mockRejectedValueOnce(new ConnectorError('not_found', 'Envelope not found', { vendor: 'docusign', status: 404, code: 'ENVELOPE_DOES_NOT_EXIST' }));
		client.getEnvelope.mockResolvedValueOnce({ envelopeId: ENVELOPE, status: 'sent', customFields: {} });
		const [output] = await run(
			[
				{ resource: 'envelope', operation: 'get', envelopeId: envelopeParam },
				{ resource: 'envelope', operation: 'get', envelopeId: envelopeParam },
			],
			true,
		);
		// The item-level error is what n8n's "continue (using error output)" routes on.
		expect(output[0]).toEqual({
			json: expect.objectContaining({ kind: 'not_found', status: 404, code: 'ENVELOPE_DOES_NOT_EXIST' }),
			error: expect.objectContaining({ message: 'Envelope not found' }),
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({ json: expect.objectContaining({ status: 'sent' }), pairedItem: { item: 1 } });
	});
});

describe('DocuSign listSearch', () => {
	const loadContext = { getCredentials: async () => credentials, getNode: () => node } as unknown as ILoadOptionsFunctions;

	it('searches templates with the filter and passes the pagination token on', async () => {
		client.listTemplates.mockResolvedValue({ items: [{ id: TEMPLATE, name: 'Order Form' }, { id: 'tpl-2', name: '' }], nextCursor: '50' });
		const result = await new Docusign().methods.listSearch.searchTemplates.call(loadContext, ' Order ', '0');
		expect(client.listTemplates).toHaveBeenCalledWith({ query: 'Order', limit: 50, cursor: '0' });
		expect(result).toEqual({ results: [{ name: 'Order Form', value: TEMPLATE }, { name: 'tpl-2', value: 'tpl-2' }], paginationToken: '50' });
	});

	it('searches recent envelopes and names them by id, status and date', async () => {
		client.listEnvelopes.mockResolvedValue({ items: [{ envelopeId: ENVELOPE, status: 'sent', statusDateTime: '2026-01-02T03:04:05Z' }] });
		const result = await new Docusign().methods.listSearch.searchEnvelopes.call(loadContext);
		const search = client.listEnvelopes.mock.calls[0][0];
		expect(search.query).toBeUndefined();
		expect(Date.now() - Date.parse(search.fromDate)).toBeGreaterThan(29 * 86_400_000);
		expect(result.results).toEqual([{ name: `${ENVELOPE} · sent · 2026-01-02`, value: ENVELOPE }]);
	});

	it('turns a connector failure into a node error', async () => {
		client.listTemplates.mockRejectedValue(new ConnectorError('auth', 'Token rejected', { vendor: 'docusign', status: 401 }));
		await expect(new Docusign().methods.listSearch.searchTemplates.call(loadContext)).rejects.toBeInstanceOf(NodeApiError);
		client.listEnvelopes.mockRejectedValue(new ConnectorError('transient', 'DocuSign unavailable', { vendor: 'docusign', status: 503 }));
		await expect(new Docusign().methods.listSearch.searchEnvelopes.call(loadContext)).rejects.toBeInstanceOf(NodeApiError);
	});
});

describe('DocuSign credential test', () => {
	const test = (data: Record<string, unknown>) =>
		new Docusign().methods.credentialTest.docusignApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'DocuSign', type: 'docusignApi', data } as never);

	it('reports who the credential acts as', async () => {
		client.whoAmI.mockResolvedValue({ userId: 'user-1', name: 'Ana Lee', email: 'ana@example.com', accountId: 'acc-1', baseUri: 'https://demo.docusign.net' });
		await expect(test(credentials)).resolves.toEqual({ status: 'OK', message: 'Connected as Ana Lee <ana@example.com>, account acc-1' });
		expect(createClient).toHaveBeenCalledWith(expect.objectContaining({ integrationKey: 'ik-1', authServer: 'http://127.0.0.1:8443' }));
		client.whoAmI.mockResolvedValue({ userId: 'user-1', accountId: 'acc-1', baseUri: 'x' });
		await expect(test(credentials)).resolves.toMatchObject({ message: 'Connected as user-1, account acc-1' });
	});

	it('gives the consent URL when consent is missing', async () => {
		client.whoAmI.mockRejectedValue(new ConnectorError('auth', 'consent required', { vendor: 'docusign', status: 400, code: 'consent_required' }));
		const result = await test(credentials);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('http://127.0.0.1:8443/oauth/auth?response_type=code');
		expect(result.message).toContain('client_id=ik-1');
		expect(result.message).toMatch(/Allow Access/);
	});

	it('returns other failures as a redacted error message', async () => {
		client.whoAmI.mockRejectedValue(new ConnectorError('auth', 'invalid_grant: check the user id and key pair', { vendor: 'docusign', status: 400, code: 'invalid_grant' }));
		await expect(test(credentials)).resolves.toEqual({ status: 'Error', message: 'invalid_grant: check the user id and key pair' });
		await expect(test({ ...credentials, environment: 'moon' })).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('"environment"') });
	});
});
