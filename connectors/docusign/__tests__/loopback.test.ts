/**
 * The SDK against a real http:// loopback server (the sandbox is plain http): proves the token call,
 * userinfo's base_uri, JSON bodies and binary PDFs all work without TLS, with no nock in the path.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { verifyJwtRs256 } from '../../core';
import { BUSINESS_KEY_FIELD, createDocusignClient, clearDocusignTokenCache } from '..';
import { INTEGRATION_KEY, PRIVATE_KEY, PUBLIC_KEY, USER_ID } from './helpers';

interface Seen {
	method: string;
	url: string;
	auth?: string;
	body: string;
}

let server: Server;
let url: string;
const seen: Seen[] = [];
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 0xfe, 0xff]), Buffer.from('\n%%EOF\n')]);

function read(req: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => resolve(body));
	});
}

beforeAll(async () => {
	nock.disableNetConnect();
	nock.enableNetConnect('127.0.0.1');
	server = createServer(async (req, res) => {
		const body = await read(req);
		seen.push({ method: req.method as string, url: req.url as string, auth: req.headers.authorization, body });
		const json = (status: number, value: unknown) => {
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(value));
		};
		const path = (req.url as string).split('?')[0];
		if (path === '/oauth/token') {
			const assertion = new URLSearchParams(body).get('assertion');
			const check = verifyJwtRs256(assertion, PUBLIC_KEY, { issuer: INTEGRATION_KEY, audience: new URL(url).host });
			return check.ok ? json(200, { access_token: 'loopback-access-token', token_type: 'Bearer', expires_in: 3600 }) : json(400, { error: 'invalid_grant' });
		}
		if (req.headers.authorization !== 'Bearer loopback-access-token') return json(401, { errorCode: 'AUTHORIZATION_INVALID_TOKEN', message: 'bad token' });
		if (path === '/oauth/userinfo') return json(200, { sub: USER_ID, name: 'Loop', email: 'l@l.test', accounts: [{ account_id: 'acc-loop', is_default: true, base_uri: url }] });
		if (path === '/restapi/v2.1/accounts/acc-loop/envelopes' && req.method === 'GET') return json(200, { envelopes: [], resultSetSize: '0', totalSetSize: '0' });
		if (path === '/restapi/v2.1/accounts/acc-loop/envelopes' && req.method === 'POST') return json(201, { envelopeId: 'env-loop', status: 'sent', statusDateTime: '2026-03-01T00:00:00Z', uri: '/envelopes/env-loop' });
		if (path === '/restapi/v2.1/accounts/acc-loop/envelopes/env-loop/documents/combined') {
			res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'file; filename="env-loop.pdf"' });
			return res.end(PDF);
		}
		return json(400, { errorCode: 'ENVELOPE_DOES_NOT_EXIST', message: 'no such envelope' });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	clearDocusignTokenCache();
	await new Promise((resolve) => server.close(resolve));
	nock.enableNetConnect();
});

it('authenticates, creates an envelope and downloads the PDF over plain http', async () => {
	const client = createDocusignClient({ environment: 'custom', authServer: url, integrationKey: INTEGRATION_KEY, userId: USER_ID, privateKey: PRIVATE_KEY });
	expect(await client.whoAmI()).toEqual({ userId: USER_ID, name: 'Loop', email: 'l@l.test', accountId: 'acc-loop', baseUri: url });
	const created = await client.createEnvelopeFromTemplate({ businessKey: 'C-1', templateId: 'tpl-1', roles: [{ roleName: 'Signer', name: 'A', email: 'a@b.test' }] });
	expect(created).toMatchObject({ envelopeId: 'env-loop', created: true });
	const post = seen.find((s) => s.method === 'POST' && s.url.endsWith('/envelopes')) as Seen;
	expect(JSON.parse(post.body).customFields.textCustomFields[0]).toMatchObject({ name: BUSINESS_KEY_FIELD, value: 'C-1' });
	const pdf = await client.downloadCombinedPdf('env-loop');
	expect(pdf.data.equals(PDF)).toBe(true);
	expect(pdf.fileName).toBe('env-loop.pdf');
	const error = await client.getEnvelope('missing-1').catch((e: unknown) => e);
	expect(error).toMatchObject({ kind: 'not_found', code: 'ENVELOPE_DOES_NOT_EXIST' });
	expect(seen.filter((s) => s.url === '/oauth/token')).toHaveLength(1);
});
