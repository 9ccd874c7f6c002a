import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const docusign = require('docusign-esign');
const { createDocusignFake } = require('../../sandbox/docusign');
const { swaggerToOpenApi3, stringifyScalars, toSpecPath } = require('../../sandbox/docusign/swagger');
const { withoutNewer } = require('../../sandbox/docusign/validate');
const { ownApi } = require('../../sandbox/docusign/api');

type Json = Record<string, any>;

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
function assertion(claims: Json, privatePem: string, header: Json = { alg: 'RS256', typ: 'JWT' }) {
	const head = b64url(JSON.stringify(header));
	const body = b64url(JSON.stringify(claims));
	return `${head}.${body}.${b64url(crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privatePem))}`;
}
const hmac = (key: string, raw: string) => crypto.createHmac('sha256', key).update(raw).digest('base64');

/** A loopback webhook receiver that records what it gets. */
async function startReceiver(status = 200) {
	const received: { headers: http.IncomingHttpHeaders; rawBody: string }[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(status, { 'Content-Type': 'text/plain' });
			res.end(status === 200 ? 'ok' : 'nope');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/docusign`;
	return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('DocuSign sandbox fake', () => {
	let fake: any;
	let url: string;
	let creds: Json;
	let token: string;

	const claimsFor = (overrides: Json = {}) => {
		const iat = Math.floor(Date.now() / 1000);
		return { iss: creds.docusignApi.integrationKey, sub: creds.docusignApi.userId, aud: new URL(url).host, iat, exp: iat + 3600, scope: 'signature impersonation', ...overrides };
	};
	const requestToken = (jwt: string, grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer') =>
		fetch(`${url}/oauth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: grantType, assertion: jwt }).toString(),
		});
	const account = () => `${url}/restapi/v2.1/accounts/${creds.docusignApi.accountId}`;
	const api = async (method: string, path: string, body?: unknown, headers: Json = {}) => {
		const response = await fetch(`${account()}${path}`, {
			method,
			headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const type = response.headers.get('content-type') || '';
		return { status: response.status, headers: response.headers, body: type.includes('json') ? ((await response.json()) as any) : Buffer.from(await response.arrayBuffer()) };
	};
	const sdk = () => {
		const client = new docusign.ApiClient();
		client.setBasePath(creds.docusignApi.basePath);
		client.addDefaultHeader('Authorization', `Bearer ${token}`);
		return { envelopes: new docusign.EnvelopesApi(client), templates: new docusign.TemplatesApi(client), connect: new docusign.ConnectApi(client) };
	};
	const createEnvelope = async (templateId: string, overrides: Json = {}) => {
		const response = await api('POST', '/envelopes', {
			templateId,
			status: 'sent',
			emailSubject: 'Order ORD-1',
			templateRoles: [{ roleName: 'Signer', name: 'Ada Buyer', email: 'ada@example.com', tabs: { textTabs: [{ tabLabel: 'plan', value: 'Pro' }, { tabLabel: 'seats', value: '10' }] } }],
			customFields: { textCustomFields: [{ name: 'q2cBusinessKey', value: 'ORD-1', show: false }] },
			...overrides,
		});
		expect(response.status).toBe(201);
		return response.body.envelopeId as string;
	};

	beforeAll(async () => {
		fake = createDocusignFake();
		({ url } = await fake.listen());
		creds = fake.credentials();
	});
	afterAll(async () => {
		await fake.close();
	});
	beforeEach(async () => {
		fake.reset();
		const response = await requestToken(assertion(claimsFor(), creds.docusignApi.privateKey));
		token = ((await response.json()) as any).access_token;
	});

	describe('OAuth JWT grant', () => {
		it('issues a bearer token for a correctly signed assertion and names the account in userinfo', async () => {
			const response = await requestToken(assertion(claimsFor(), creds.docusignApi.privateKey));
			expect(response.status).toBe(200);
			const body = (await response.json()) as any;
			expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
			const info = await fetch(`${url}/oauth/userinfo`, { headers: { Authorization: `Bearer ${body.access_token}` } });
			expect(info.status).toBe(200);
			expect(await info.json()).toMatchObject({
				sub: creds.docusignApi.userId,
				email: expect.stringContaining('@'),
				accounts: [{ account_id: creds.docusignApi.accountId, is_default: true, account_name: expect.any(String), base_uri: url }],
			});
			expect((await fetch(`${url}/oauth/userinfo`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
			expect(creds).toMatchObject({ docusignApi: { environment: 'custom', authServer: url, basePath: `${url}/restapi` }, docusignConnectApi: { hmacKey: expect.any(String), previousHmacKey: expect.any(String) } });
			expect(creds.docusignConnectApi.hmacKey).not.toBe(creds.docusignConnectApi.previousHmacKey);
		});

		it('answers consent_required until consent is granted', async () => {
			fake.setConsent(false);
			const refused = await requestToken(assertion(claimsFor(), creds.docusignApi.privateKey));
			expect(refused.status).toBe(400);
			expect(await refused.json()).toEqual({ error: 'consent_required' });
			fake.setConsent(true);
			expect((await requestToken(assertion(claimsFor(), creds.docusignApi.privateKey))).status).toBe(200);
			const extraScope = await requestToken(assertion(claimsFor({ scope: 'signature impersonation organization_read' }), creds.docusignApi.privateKey));
			expect(await extraScope.json()).toEqual({ error: 'consent_required' });
		});

		it('rejects forged, mis-addressed, expired and malformed assertions with invalid_grant', async () => {
			const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
			const cases: [string, string][] = [
				[assertion(claimsFor(), other), 'no_valid_keys_or_signatures'],
				[assertion(claimsFor({ iss: 'someone-else' }), creds.docusignApi.privateKey), 'issuer_not_found'],
				[assertion(claimsFor({ sub: crypto.randomUUID() }), creds.docusignApi.privateKey), 'user_not_found'],
				[assertion(claimsFor({ aud: 'account-d.docusign.com' }), creds.docusignApi.privateKey), 'invalid_audience'],
				[assertion(claimsFor({ exp: Math.floor(Date.now() / 1000) - 10 }), creds.docusignApi.privateKey), 'expired_grant'],
				[assertion(claimsFor(), creds.docusignApi.privateKey, { alg: 'HS256' }), 'unsupported_algorithm'],
				['not-a-jwt', 'invalid_jwt'],
			];
			for (const [jwt, description] of cases) {
				const response = await requestToken(jwt);
				expect(response.status).toBe(400);
				expect(await response.json()).toEqual({ error: 'invalid_grant', error_description: description });
			}
			expect(((await (await requestToken(assertion(claimsFor(), creds.docusignApi.privateKey), 'client_credentials')).json()) as any).error).toBe('unsupported_grant_type');
			const noScope = await requestToken(assertion(claimsFor({ scope: 'signature' }), creds.docusignApi.privateKey));
			expect(((await noScope.json()) as any).error).toBe('invalid_scope');
		});
	});

	describe('REST over raw HTTP', () => {
		it('requires a live bearer token and membership of the account', async () => {
			const anonymous = await fetch(`${account()}/templates`);
			expect(anonymous.status).toBe(401);
			expect(await anonymous.json()).toEqual({ errorCode: 'AUTHORIZATION_INVALID_TOKEN', message: expect.any(String) });
			const other = await fetch(`${url}/restapi/v2.1/accounts/${crypto.randomUUID()}/templates`, { headers: { Authorization: `Bearer ${token}` } });
			expect(other.status).toBe(400);
			expect(((await other.json()) as any).errorCode).toBe('USER_LACKS_MEMBERSHIP');
			fake.revokeTokens();
			expect((await api('GET', '/templates')).status).toBe(401);
		});

		it('lists templates with search_text, count and start_position', async () => {
			for (const name of ['Order Form A', 'Order Form B', 'Order Form C', 'NDA']) fake.seedTemplate({ name, description: name === 'NDA' ? 'Non-disclosure' : undefined });
			const first = await api('GET', '/templates?search_text=order&count=2');
			expect(first.status).toBe(200);
			expect(first.body).toMatchObject({ resultSetSize: '2', totalSetSize: '3', startPosition: '0', endPosition: '1' });
			expect(first.body.envelopeTemplates.map((t: Json) => t.name)).toEqual(['Order Form A', 'Order Form B']);
			expect(first.body.nextUri).toMatch(/start_position=2/);
			const second = await api('GET', '/templates?search_text=order&count=2&start_position=2');
			expect(second.body.envelopeTemplates.map((t: Json) => t.name)).toEqual(['Order Form C']);
			expect(second.body.nextUri).toBe('');
			const none = await api('GET', '/templates?search_text=zzz');
			expect(none.body).toMatchObject({ resultSetSize: '0', totalSetSize: '0' });
			expect(none.body.envelopeTemplates).toBeUndefined();
			expect((await api('GET', '/templates?count=two')).body.errorCode).toBe('INVALID_REQUEST_PARAMETER');
			expect((await api('GET', '/templates?serch_text=x')).body).toMatchObject({ errorCode: 'INVALID_REQUEST_PARAMETER', message: expect.stringContaining('serch_text') });
		});

		it('creates envelopes from a template, validating the body against its own schema', async () => {
			const template = fake.seedTemplate({ textTabs: ['plan', 'seats'] });
			const unknownField = await api('POST', '/envelopes', { templateId: template.templateId, templateRole: [] });
			expect(unknownField.status).toBe(400);
			expect(unknownField.body).toEqual({ errorCode: 'INVALID_REQUEST_BODY', message: expect.stringContaining('templateRole') });
			const wrongType = await api('POST', '/envelopes', { templateId: template.templateId, templateRoles: { roleName: 'Signer' } });
			expect(wrongType.body.errorCode).toBe('INVALID_REQUEST_BODY');
			expect((await api('POST', '/envelopes', '{"templateId":', {})).body.errorCode).toBe('INVALID_REQUEST_BODY');
			expect((await api('POST', '/envelopes', { templateId: crypto.randomUUID(), status: 'sent' })).body.errorCode).toBe('TEMPLATE_ID_INVALID');
			const badRole = await api('POST', '/envelopes', { templateId: template.templateId, templateRoles: [{ roleName: 'Buyer', name: 'A', email: 'a@example.com' }] });
			expect(badRole.body).toMatchObject({ errorCode: 'INVALID_REQUEST_PARAMETER', message: expect.stringContaining('Buyer') });
			const badEmail = await api('POST', '/envelopes', { templateId: template.templateId, templateRoles: [{ roleName: 'Signer', name: 'A', email: 'not-an-email' }] });
			expect(badEmail.body.errorCode).toBe('INVALID_EMAIL_ADDRESS_FOR_RECIPIENT');
			expect((await api('POST', '/envelopes', { templateId: template.templateId, templateRoles: [{ roleName: 'Signer', email: 'a@example.com' }] })).body.errorCode).toBe('RECIPIENT_NAME_REQUIRED');
			expect((await api('POST', '/envelopes', { templateId: template.templateId, status: 'sent' })).body.errorCode).toBe('ENVELOPE_HAS_NO_RECIPIENTS');
			expect((await api('POST', '/envelopes', { templateId: template.templateId, status: 'completed' })).body.errorCode).toBe('INVALID_ENVELOPE_STATUS');
			expect(fake.state().envelopes).toEqual([]);

			const created = await api('POST', '/envelopes', {
				templateId: template.templateId,
				status: 'sent',
				templateRoles: [{ roleName: 'Signer', name: 'Ada', email: 'ada@example.com', tabs: { textTabs: [{ tabLabel: 'plan', value: 'Pro' }, { tabLabel: 'unknown', value: 'x' }] } }],
				customFields: { textCustomFields: [{ name: 'q2cBusinessKey', value: 'ORD-9', show: false }] },
			});
			expect(created.status).toBe(201);
			expect(created.body).toEqual({ envelopeId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'sent', statusDateTime: expect.any(String), uri: `/envelopes/${created.body.envelopeId}` });
			const [stored] = fake.state().envelopes;
			expect(stored.signers[0].tabs).toEqual([{ tabLabel: 'plan', value: 'Pro' }]); // unknown tab labels are ignored
			expect(stored.textCustomFields[0]).toMatchObject({ name: 'q2cBusinessKey', value: 'ORD-9', show: 'false' });
			const draft = await api('POST', '/envelopes', { templateId: template.templateId });
			expect(draft.body.status).toBe('created');
		});

		it('lists envelopes by from_date, custom_field, search_text and status with paging', async () => {
			const template = fake.seedTemplate();
			const one = await createEnvelope(template.templateId);
			const two = await createEnvelope(template.templateId, { emailSubject: 'Order ORD-2', customFields: { textCustomFields: [{ name: 'q2cBusinessKey', value: 'ORD-2' }] } });
			const missingDate = await api('GET', '/envelopes');
			expect(missingDate.status).toBe(400);
			expect(missingDate.body).toMatchObject({ errorCode: 'INVALID_REQUEST_PARAMETER', message: expect.stringContaining('from_date') });
			expect((await api('GET', '/envelopes?from_date=yesterday')).body.errorCode).toBe('INVALID_REQUEST_PARAMETER');
			const since = new Date(Date.now() - 86_400_000).toISOString();
			const all = await api('GET', `/envelopes?from_date=${since}`);
			expect(all.body.envelopes.map((e: Json) => e.envelopeId)).toEqual([one, two]);
			expect(all.body.envelopes[0].customFields).toBeUndefined();
			const byKey = await api('GET', `/envelopes?from_date=${since}&custom_field=${encodeURIComponent('q2cBusinessKey=ORD-2')}&include=custom_fields`);
			expect(byKey.body.envelopes.map((e: Json) => e.envelopeId)).toEqual([two]);
			expect(byKey.body.envelopes[0].customFields.textCustomFields).toEqual([expect.objectContaining({ name: 'q2cBusinessKey', value: 'ORD-2' })]);
			expect((await api('GET', `/envelopes?from_date=${since}&custom_field=q2cBusinessKey%3DORD-404`)).body).toMatchObject({ resultSetSize: '0', totalSetSize: '0', nextUri: '' });
			expect((await api('GET', `/envelopes?from_date=${since}&custom_field=nonsense`)).body.errorCode).toBe('INVALID_REQUEST_PARAMETER');
			expect((await api('GET', `/envelopes?from_date=${since}&search_text=ord-2`)).body.envelopes.map((e: Json) => e.envelopeId)).toEqual([two]);
			const page = await api('GET', `/envelopes?from_date=${since}&count=1`);
			expect(page.body).toMatchObject({ resultSetSize: '1', totalSetSize: '2', nextUri: expect.stringContaining('start_position=1') });
			expect((await api('GET', `/envelopes?from_date=${since}&count=1&start_position=1`)).body.envelopes[0].envelopeId).toBe(two);
			await fake.transition(one, 'envelope-completed');
			expect((await api('GET', `/envelopes?from_date=${since}&status=completed`)).body.envelopes.map((e: Json) => e.envelopeId)).toEqual([one]);
			expect((await api('GET', `/envelopes?from_date=${new Date(Date.now() + 60_000).toISOString()}`)).body.resultSetSize).toBe('0');
		});

		it('reads an envelope, its custom fields, recipients, form data and combined PDF', async () => {
			const template = fake.seedTemplate();
			const id = await createEnvelope(template.templateId);
			const plain = await api('GET', `/envelopes/${id}`);
			expect(plain.body).toMatchObject({ envelopeId: id, status: 'sent', emailSubject: 'Order ORD-1', sentDateTime: expect.any(String) });
			expect(plain.body.customFields).toBeUndefined();
			const withFields = await api('GET', `/envelopes/${id}?include=custom_fields,recipients`);
			expect(withFields.body.customFields.textCustomFields).toEqual([expect.objectContaining({ name: 'q2cBusinessKey', value: 'ORD-1' })]);
			expect(withFields.body.recipients.signers).toHaveLength(1);
			expect((await api('GET', `/envelopes/${id}/custom_fields`)).body).toEqual({ textCustomFields: [expect.objectContaining({ name: 'q2cBusinessKey', value: 'ORD-1', show: 'false' })], listCustomFields: [] });
			await fake.transition(id, 'envelope-completed');
			const recipients = await api('GET', `/envelopes/${id}/recipients`);
			expect(recipients.body.signers).toEqual([expect.objectContaining({ recipientId: '1', roleName: 'Signer', name: 'Ada Buyer', email: 'ada@example.com', status: 'completed', signedDateTime: expect.any(String) })]);
			expect(recipients.body.signers[0].tabs).toBeUndefined();
			expect((await api('GET', `/envelopes/${id}/recipients?include_tabs=true`)).body.signers[0].tabs.textTabs).toHaveLength(2);
			const form = await api('GET', `/envelopes/${id}/form_data`);
			expect(form.body.formData).toEqual([
				{ name: 'plan', value: 'Pro', originalValue: 'Pro' },
				{ name: 'seats', value: '10', originalValue: '10' },
			]);
			expect(form.body.recipientFormData[0]).toMatchObject({ email: 'ada@example.com', SignedTime: expect.any(String) });
			const pdf = await api('GET', `/envelopes/${id}/documents/combined`);
			expect(pdf.status).toBe(200);
			expect(pdf.headers.get('content-type')).toBe('application/pdf');
			const text = (pdf.body as Buffer).toString('latin1');
			expect(text.startsWith('%PDF-1.4')).toBe(true);
			expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
			expect(text).toContain(id);
			const xref = Number(/startxref\n(\d+)/.exec(text)![1]);
			expect(text.slice(xref, xref + 4)).toBe('xref');
			expect((await api('GET', `/envelopes/${id}/documents/7`)).body.errorCode).toBe('DOCUMENT_DOES_NOT_EXIST');
		});

		it('validates against its own schema (api.js): enums, patterns, string booleans, and serves exactly what it declares', async () => {
			const ok = { name: 'x', urlToPublishTo: 'http://127.0.0.1:9/', events: ['envelope-completed'] };
			const badEnum = await api('POST', '/connect', { ...ok, deliveryMode: 'sim' });
			expect(badEnum.body).toEqual({ errorCode: 'INVALID_REQUEST_BODY', message: expect.stringContaining('deliveryMode') });
			expect((await api('POST', '/connect', { ...ok, events: ['envelope-signed'] })).body.message).toContain('events.0');
			expect((await api('POST', '/connect', { ...ok, eventData: { includeData: ['recipients'], extra: 1 } })).body.message).toContain('eventData.extra');
			// DocuSign reads true / 1 where its model has the strings "true" / "1".
			const created = await api('POST', '/connect', { ...ok, includeHMAC: true, allUsers: false });
			expect(created.body).toMatchObject({ includeHMAC: 'true', allUsers: 'false' });
			expect((await api('GET', '/templates?count=-1')).body.errorCode).toBe('INVALID_REQUEST_PARAMETER');
			expect((await api('GET', '/templates?order=sideways')).body.errorCode).toBe('INVALID_REQUEST_PARAMETER');
			expect((await api('GET', `/envelopes/${crypto.randomUUID()}/recipients?include_tabs=yes`)).body.errorCode).toBe('INVALID_REQUEST_PARAMETER');
			expect((await api('PUT', `/envelopes/${crypto.randomUUID()}`, { status: 'voided', voidReason: 'typo' })).body).toMatchObject({ errorCode: 'INVALID_REQUEST_BODY', message: expect.stringContaining('voidReason') });
			for (const [template, item] of Object.entries(ownApi.paths as Json)) {
				for (const method of Object.keys(item as Json)) {
					const path = template.replace('/restapi/v2.1/accounts/{accountId}', '').replace(/\{\w+\}/g, 'none');
					const response = await api(method.toUpperCase(), path);
					expect([method, path, response.status]).not.toEqual([method, path, 404]);
				}
			}
			// Routes outside api.js are not served, whatever the handlers would do.
			expect((await api('GET', '/envelopes/none/documents')).status).toBe(404);
			expect((await fetch(`${url}/restapi/v2/accounts/${creds.docusignApi.accountId}/templates`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
		});

		it('answers ENVELOPE_DOES_NOT_EXIST (400) for unknown envelopes on every envelope route', async () => {
			const missing = crypto.randomUUID();
			for (const path of ['', '/custom_fields', '/recipients', '/form_data', '/documents/combined']) {
				const response = await api('GET', `/envelopes/${missing}${path}`);
				expect(response.status).toBe(400);
				expect(response.body).toEqual({ errorCode: 'ENVELOPE_DOES_NOT_EXIST', message: expect.any(String) });
			}
			expect((await api('PUT', `/envelopes/${missing}`, { status: 'voided', voidedReason: 'x' })).body.errorCode).toBe('ENVELOPE_DOES_NOT_EXIST');
			const unknownRoute = await api('GET', '/envelopes/x/y/z/w');
			expect(unknownRoute.status).toBe(404);
		});

		it('voids sent envelopes only, and sends drafts', async () => {
			const template = fake.seedTemplate();
			const draft = (await api('POST', '/envelopes', { templateId: template.templateId, templateRoles: [{ roleName: 'Signer', name: 'A', email: 'a@example.com' }] })).body.envelopeId;
			expect((await api('PUT', `/envelopes/${draft}`, { status: 'voided', voidedReason: 'x' })).body.errorCode).toBe('ENVELOPE_CANNOT_VOID_INVALID_STATE');
			expect((await api('PUT', `/envelopes/${draft}`, { status: 'sent' })).status).toBe(200);
			expect((await api('GET', `/envelopes/${draft}`)).body.status).toBe('sent');
			expect((await api('PUT', `/envelopes/${draft}`, { status: 'sent' })).body.errorCode).toBe('ENVELOPE_INVALID_STATUS');
			expect((await api('PUT', `/envelopes/${draft}`, { status: 'completed' })).body.errorCode).toBe('ENVELOPE_INVALID_STATUS');
			expect((await api('PUT', `/envelopes/${draft}`, { status: 'voided' })).body.errorCode).toBe('INVALID_VOIDED_REASON');
			const voided = await api('PUT', `/envelopes/${draft}`, { status: 'voided', voidedReason: 'Customer changed plan' });
			expect(voided).toMatchObject({ status: 200, body: { envelopeId: draft } });
			expect((await api('GET', `/envelopes/${draft}`)).body).toMatchObject({ status: 'voided', voidedReason: 'Customer changed plan', voidedDateTime: expect.any(String) });
			expect((await api('PUT', `/envelopes/${draft}`, { status: 'voided', voidedReason: 'again' })).body.errorCode).toBe('ENVELOPE_CANNOT_VOID_INVALID_STATE');
			const signed = await createEnvelope(template.templateId);
			await fake.transition(signed, 'envelope-completed');
			const refused = await api('PUT', `/envelopes/${signed}`, { status: 'voided', voidedReason: 'too late' });
			expect(refused.status).toBe(400);
			expect(refused.body).toEqual({ errorCode: 'ENVELOPE_CANNOT_VOID_INVALID_STATE', message: expect.stringContaining('completed') });
			expect((await api('PUT', `/envelopes/${signed}`, { emailSubject: 'Renamed' })).status).toBe(200);
			expect((await api('GET', `/envelopes/${signed}`)).body.emailSubject).toBe('Renamed');
		});

		it('injects vendor-shaped faults and logs requests without the bearer token', async () => {
			fake.app.addFaults({ route: 'GET /restapi/v2.1/accounts/{accountId}/templates', times: 1, fault: { status: 429, retryAfter: 3 } });
			const limited = await api('GET', '/templates');
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('3');
			expect(limited.body.errorCode).toBe('HOURLY_APIINVOCATION_LIMIT_EXCEEDED');
			fake.app.addFaults({ route: 'POST /oauth/token', times: 1, fault: { status: 503 } });
			expect(await (await requestToken('x')).json()).toEqual({ error: 'server_error' });
			fake.app.addFaults({ route: 'GET /restapi/*', times: 1, fault: { status: 500 } });
			expect((await api('GET', '/templates')).body.errorCode).toBe('UNSPECIFIED_ERROR');
			expect((await api('GET', '/templates')).status).toBe(200);
			const logged = fake.requests().filter((r: Json) => r.path.endsWith('/templates'));
			expect(logged.length).toBe(3);
			expect(JSON.stringify(logged)).not.toContain(token);
		});
	});

	describe('REST through the official docusign-esign SDK', () => {
		it('creates, lists, reads, downloads and voids envelopes', async () => {
			const template = fake.seedTemplate({ name: 'SDK Order Form', roles: ['Signer', 'Countersigner'] });
			const { envelopes, templates } = sdk();
			const accountId = creds.docusignApi.accountId;
			const found = await templates.listTemplates(accountId, { searchText: 'sdk', count: '10' });
			expect(found.envelopeTemplates.map((t: Json) => [t.templateId, t.name])).toEqual([[template.templateId, 'SDK Order Form']]);
			const summary = await envelopes.createEnvelope(accountId, {
				envelopeDefinition: {
					templateId: template.templateId,
					status: 'sent',
					emailSubject: 'Please sign ORD-7',
					templateRoles: [
						{ roleName: 'Signer', name: 'Ada', email: 'ada@example.com', tabs: { textTabs: [{ tabLabel: 'plan', value: 'Pro' }] } },
						{ roleName: 'Countersigner', name: 'Bob', email: 'bob@example.com' },
					],
					customFields: { textCustomFields: [{ name: 'q2cBusinessKey', value: 'ORD-7', show: 'false' }] },
				},
			});
			expect(summary).toMatchObject({ envelopeId: expect.any(String), status: 'sent', uri: `/envelopes/${summary.envelopeId}` });
			const listed = await envelopes.listStatusChanges(accountId, { fromDate: new Date(Date.now() - 3_600_000).toISOString(), customField: 'q2cBusinessKey=ORD-7', include: 'custom_fields' });
			expect(listed.envelopes.map((e: Json) => e.envelopeId)).toEqual([summary.envelopeId]);
			expect(listed.envelopes[0].customFields.textCustomFields[0].value).toBe('ORD-7');
			const envelope = await envelopes.getEnvelope(accountId, summary.envelopeId, { include: 'custom_fields' });
			expect(envelope).toMatchObject({ envelopeId: summary.envelopeId, status: 'sent', emailSubject: 'Please sign ORD-7' });
			expect(envelope.customFields.textCustomFields[0]).toMatchObject({ name: 'q2cBusinessKey', value: 'ORD-7' });
			expect((await envelopes.listCustomFields(accountId, summary.envelopeId)).textCustomFields[0].value).toBe('ORD-7');
			await fake.transition(summary.envelopeId, 'envelope-declined', { reason: 'Wrong seat count' });
			const recipients = await envelopes.listRecipients(accountId, summary.envelopeId);
			expect(recipients.signers.map((s: Json) => [s.roleName, s.status])).toEqual([['Signer', 'declined'], ['Countersigner', 'sent']]);
			expect(recipients.signers[0]).toMatchObject({ declinedReason: 'Wrong seat count', declinedDateTime: expect.any(String) });
			const form = await envelopes.getFormData(accountId, summary.envelopeId);
			expect(form.formData).toEqual([expect.objectContaining({ name: 'plan', value: 'Pro' })]);
			const pdf = await envelopes.getDocument(accountId, summary.envelopeId, 'combined');
			expect(Buffer.isBuffer(pdf)).toBe(true);
			expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
			expect(pdf.toString('latin1')).toContain(summary.envelopeId);

			const second = await envelopes.createEnvelope(accountId, { envelopeDefinition: { templateId: template.templateId, status: 'sent', templateRoles: [{ roleName: 'Signer', name: 'A', email: 'a@example.com' }, { roleName: 'Countersigner', name: 'B', email: 'b@example.com' }] } });
			const update = await envelopes.update(accountId, second.envelopeId, { envelope: { status: 'voided', voidedReason: 'Replaced' } });
			expect(update.envelopeId).toBe(second.envelopeId);
			await expect(envelopes.update(accountId, second.envelopeId, { envelope: { status: 'voided', voidedReason: 'Again' } })).rejects.toMatchObject({
				response: { status: 400, data: { errorCode: 'ENVELOPE_CANNOT_VOID_INVALID_STATE' } },
			});
			await expect(envelopes.getEnvelope(accountId, crypto.randomUUID())).rejects.toMatchObject({ response: { status: 400, data: { errorCode: 'ENVELOPE_DOES_NOT_EXIST' } } });
			const sdkRequests = fake.requests().filter((r: Json) => r.method === 'POST' && r.path.endsWith('/envelopes'));
			expect(sdkRequests[0].headers['content-type']).toMatch(/application\/json/);
		});

		it('manages Connect configurations', async () => {
			const { connect } = sdk();
			const accountId = creds.docusignApi.accountId;
			const created = await connect.createConfiguration(accountId, {
				connectCustomConfiguration: {
					configurationType: 'custom',
					name: 'q2c',
					urlToPublishTo: 'http://127.0.0.1:9/hook',
					allUsers: 'true',
					allowEnvelopePublish: 'true',
					includeHMAC: 'true',
					deliveryMode: 'SIM',
					requiresAcknowledgement: 'true',
					eventData: { version: 'restv2.1', format: 'json', includeData: ['custom_fields', 'recipients'] },
					events: ['envelope-completed', 'envelope-declined'],
				},
			});
			expect(created).toMatchObject({ connectId: expect.stringMatching(/^\d+$/), urlToPublishTo: 'http://127.0.0.1:9/hook', events: ['envelope-completed', 'envelope-declined'] });
			const list = await connect.listConfigurations(accountId);
			expect(list.configurations.map((c: Json) => c.connectId)).toEqual([created.connectId]);
			expect(list.totalRecords).toBe('1');
			const one = await connect.getConfiguration(accountId, created.connectId);
			expect(one.configurations[0]).toMatchObject({ name: 'q2c', includeHMAC: 'true' });
			await connect.deleteConfiguration(accountId, created.connectId);
			expect((await connect.listConfigurations(accountId)).configurations).toEqual([]);
			await expect(connect.deleteConfiguration(accountId, created.connectId)).rejects.toMatchObject({ response: { status: 400, data: { errorCode: 'INVALID_CONNECT_CONFIGURATION_ID' } } });
			await expect(connect.getConfiguration(accountId, created.connectId)).rejects.toMatchObject({ response: { status: 400 } });
			const bad = await api('POST', '/connect', { name: 'x', urlToPublishTo: 'ftp://nope', events: ['envelope-completed'] });
			expect(bad.body.errorCode).toBe('INVALID_REQUEST_PARAMETER');
			expect((await api('POST', '/connect', { urlToPublishTo: 'http://127.0.0.1:9/', events: ['envelope-completed'] })).body.message).toContain('name');
			expect((await api('POST', '/connect', { name: 'x', urlToPublishTo: 'http://127.0.0.1:9/' })).body.message).toContain('events');
			expect((await api('POST', '/connect', { name: 'x', urlToPublishTo: 'http://127.0.0.1:9/', events: ['envelope-completed'], evnts: [] })).body.errorCode).toBe('INVALID_REQUEST_BODY');
		});
	});

	describe('Connect deliveries', () => {
		let receiver: Awaited<ReturnType<typeof startReceiver>>;
		beforeEach(async () => {
			receiver = await startReceiver();
		});
		afterEach(async () => {
			await receiver.close();
		});
		const register = async (events: string[], extra: Json = {}) =>
			(
				await api('POST', '/connect', {
					configurationType: 'custom',
					name: 'q2c',
					urlToPublishTo: receiver.url,
					allUsers: 'true',
					allowEnvelopePublish: 'true',
					includeHMAC: 'true',
					deliveryMode: 'SIM',
					eventData: { version: 'restv2.1', format: 'json', includeData: ['custom_fields', 'recipients'] },
					events,
					...extra,
				})
			).body.connectId as string;

		it('delivers a correctly signed JSON SIM event to subscribed configurations on transition', async () => {
			const connectId = await register(['envelope-completed']);
			const template = fake.seedTemplate();
			const id = await createEnvelope(template.templateId);
			await fake.idle();
			expect(receiver.received).toHaveLength(0); // envelope-sent is not subscribed
			const results = await fake.transition(id, 'envelope-completed');
			expect(results).toEqual([{ url: receiver.url, status: 200, body: 'ok' }]);
			expect(receiver.received).toHaveLength(1);
			const [{ headers, rawBody }] = receiver.received;
			expect(headers['x-docusign-signature-1']).toBe(hmac(creds.docusignConnectApi.hmacKey, rawBody));
			expect(headers['x-docusign-signature-2']).toBe(hmac(creds.docusignConnectApi.previousHmacKey, rawBody));
			const payload = JSON.parse(rawBody);
			expect(payload).toMatchObject({
				event: 'envelope-completed',
				apiVersion: 'v2.1',
				retryCount: 0,
				configurationId: Number(connectId),
				generatedDateTime: expect.any(String),
				uri: expect.stringContaining(id),
				data: {
					accountId: creds.docusignApi.accountId,
					userId: creds.docusignApi.userId,
					envelopeId: id,
					envelopeSummary: {
						status: 'completed',
						emailSubject: 'Order ORD-1',
						customFields: { textCustomFields: [expect.objectContaining({ name: 'q2cBusinessKey', value: 'ORD-1' })] },
						recipients: { signers: [expect.objectContaining({ email: 'ada@example.com', status: 'completed', signedDateTime: expect.any(String) })] },
					},
				},
			});
			const [delivery] = fake.state().deliveries;
			expect(delivery).toMatchObject({ configurationId: connectId, event: 'envelope-completed', envelopeId: id, status: 200, signed: true });
			await expect(fake.transition(id, 'envelope-voided')).rejects.toThrow(/completed/);
			await expect(fake.transition(crypto.randomUUID(), 'envelope-completed')).rejects.toThrow(/No envelope/);
			await expect(fake.transition(id, 'envelope-sent')).rejects.toThrow(/Unsupported event/);
		});

		it('publishes REST-triggered voids in the background, honours includeHMAC and includeData, and records failures', async () => {
			await register(['envelope-voided', 'envelope-delivered'], { includeHMAC: 'false', eventData: { version: 'restv2.1', format: 'json', includeData: [] } });
			const template = fake.seedTemplate();
			const id = await createEnvelope(template.templateId);
			await fake.transition(id, 'envelope-delivered');
			expect((await api('PUT', `/envelopes/${id}`, { status: 'voided', voidedReason: 'Duplicate' })).status).toBe(200);
			await fake.idle();
			expect(receiver.received.map((r) => JSON.parse(r.rawBody).event)).toEqual(['envelope-delivered', 'envelope-voided']);
			const voided = receiver.received[1];
			expect(voided.headers['x-docusign-signature-1']).toBeUndefined();
			const summary = JSON.parse(voided.rawBody).data.envelopeSummary;
			expect(summary).toMatchObject({ status: 'voided', voidedReason: 'Duplicate' });
			expect(summary.customFields).toBeUndefined();
			expect(summary.recipients).toBeUndefined();

			const down = await startReceiver();
			await down.close();
			await api('POST', '/connect', { name: 'dead', urlToPublishTo: down.url, events: ['envelope-declined'] });
			const other = await createEnvelope(template.templateId);
			const [result] = await fake.transition(other, 'envelope-declined');
			expect(result).toMatchObject({ url: down.url, status: 0 });
			expect(fake.state().deliveries.at(-1)).toMatchObject({ event: 'envelope-declined', status: 0, signed: false });
		});

		it('builds forged, unsigned, single-key and duplicate deliveries for tests to send', async () => {
			const template = fake.seedTemplate();
			const id = await createEnvelope(template.templateId);
			const signed = fake.connectDelivery('envelope-completed', id, { generatedDateTime: '2026-01-01T00:00:00.000Z' });
			expect(signed.headers['X-DocuSign-Signature-1']).toBe(hmac(creds.docusignConnectApi.hmacKey, signed.rawBody));
			expect(signed.headers['X-DocuSign-Signature-2']).toBe(hmac(creds.docusignConnectApi.previousHmacKey, signed.rawBody));
			expect(JSON.parse(signed.rawBody)).toEqual(signed.payload);
			const duplicate = fake.connectDelivery('envelope-completed', id, { generatedDateTime: '2026-01-01T00:00:00.000Z' });
			expect(duplicate.payload.generatedDateTime).toBe(signed.payload.generatedDateTime);
			const forged = fake.connectDelivery('envelope-completed', id, { forge: true });
			expect(forged.headers['X-DocuSign-Signature-1']).toEqual(expect.any(String));
			for (const key of [creds.docusignConnectApi.hmacKey, creds.docusignConnectApi.previousHmacKey]) {
				expect(forged.headers['X-DocuSign-Signature-1']).not.toBe(hmac(key, forged.rawBody));
			}
			const unsigned = fake.connectDelivery('envelope-completed', id, { keys: [] });
			expect(Object.keys(unsigned.headers).filter((h) => /signature/i.test(h))).toEqual([]);
			const rotated = fake.connectDelivery('envelope-completed', id, { keys: [creds.docusignConnectApi.previousHmacKey] });
			expect(rotated.headers['X-DocuSign-Signature-1']).toBe(hmac(creds.docusignConnectApi.previousHmacKey, rotated.rawBody));
			expect(rotated.headers['X-DocuSign-Signature-2']).toBeUndefined();
			expect(signed.payload.data.envelopeSummary.status).toBe('sent'); // building a delivery does not change the envelope
			expect(() => fake.connectDelivery('envelope-completed', 'nope')).toThrow(/No envelope/);
		});
	});

	it('keeps secrets out of state and the admin surface', async () => {
		const template = fake.seedTemplate();
		await createEnvelope(template.templateId);
		const admin = await fetch(`${url}/__sandbox/state`);
		const text = JSON.stringify(fake.state()) + (await admin.text());
		expect(text).toContain(template.templateId);
		for (const secret of [creds.docusignApi.privateKey.split('\n')[1], creds.docusignConnectApi.hmacKey, creds.docusignConnectApi.previousHmacKey, token]) {
			expect(text).not.toContain(secret);
		}
	});

	it('adds the sandbox latency to vendor calls', async () => {
		const slow = createDocusignFake({ latencyMs: () => 120 });
		const { url: slowUrl } = await slow.listen();
		try {
			const started = Date.now();
			expect((await fetch(`${slowUrl}/restapi/v2.1/accounts/x/templates`)).status).toBe(401);
			const unauthenticated = Date.now() - started;
			const begin = Date.now();
			await fetch(`${slowUrl}/oauth/userinfo`);
			expect(Date.now() - begin).toBeGreaterThanOrEqual(110);
			expect(unauthenticated).toBeLessThan(110); // auth failures answer before the latency, like the other fakes
			expect(() => createDocusignFake().credentials()).toThrow(/listen/);
		} finally {
			await slow.close();
		}
	});
});

describe('Swagger 2.0 adapter', () => {
	const swagger = {
		swagger: '2.0',
		paths: {
			'/v2/things/{id}': {
				parameters: [],
				post: {
					operationId: 'Things_Post',
					parameters: [
						{ name: 'id', in: 'path', required: true, type: 'string' },
						{ name: 'mode', in: 'query', type: 'string', enum: ['a', 'b'] },
						{ name: 'X-Header', in: 'header', type: 'string' },
						{ name: 'thing', in: 'body', required: true, schema: { $ref: '#/definitions/thing' } },
					],
				},
			},
		},
		definitions: { thing: { type: 'object', properties: { flag: { type: 'string' }, count: { type: 'integer' }, list: { type: 'array', items: { $ref: '#/definitions/thing' } } } } },
	};

	it('turns body parameters into a JSON requestBody and keeps path/query parameters with a schema', () => {
		const spec = swaggerToOpenApi3(swagger);
		const operation = spec.paths['/v2/things/{id}'].post;
		expect(operation.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/definitions/thing' } } } });
		expect(operation.parameters).toEqual([
			{ name: 'id', in: 'path', required: true, schema: { type: 'string' } },
			{ name: 'mode', in: 'query', required: false, schema: { type: 'string', enum: ['a', 'b'] } },
		]);
		expect(spec.paths['/v2/things/{id}'].parameters).toBeUndefined();
		expect(spec.definitions.thing).toEqual(swagger.definitions.thing);
	});

	it('stringifies booleans and numbers only where the schema says string', () => {
		const spec = swaggerToOpenApi3(swagger);
		expect(stringifyScalars(spec, { flag: true, count: 3, list: [{ flag: 1 }], other: false }, { $ref: '#/definitions/thing' })).toEqual({ flag: 'true', count: 3, list: [{ flag: '1' }], other: false });
	});

	it('adds nothing of its own, and maps our v2.1 paths to the spec file’s v2 ones', () => {
		const spec = swaggerToOpenApi3(swagger);
		expect(Object.keys(spec.paths)).toEqual(['/v2/things/{id}']);
		expect(spec.definitions).toEqual(swagger.definitions);
		expect(toSpecPath('/restapi/v2.1/accounts/a-1/envelopes/e-1')).toBe('/v2/accounts/a-1/envelopes/e-1');
		expect(toSpecPath('/restapi/v2/accounts/{accountId}/connect')).toBe('/v2/accounts/{accountId}/connect');
	});

	it('leaves the fields api.js marks newer out of what the vendor spec is shown', () => {
		const connect = ownApi.paths['/restapi/v2.1/accounts/{accountId}/connect'].post.requestBody.content['application/json'].schema;
		const body = { name: 'q2c', urlToPublishTo: 'https://x.test/hook', includeHMAC: 'true', deliveryMode: 'SIM', events: ['envelope-sent'], eventData: { format: 'json' } };
		expect(withoutNewer(ownApi, body, connect)).toEqual({ name: 'q2c', urlToPublishTo: 'https://x.test/hook', includeHMAC: 'true' });
	});
});
