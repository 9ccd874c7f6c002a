import nock from 'nock';
import { ConnectorError } from '../../core';
import { BUSINESS_KEY_FIELD, type CreateEnvelopeInput } from '..';
import { docusignError, ENVELOPE_ID, makeClient, mockAuth, reply, resetAll, REST, rest, T0, type Captured } from './helpers';

beforeAll(() => nock.disableNetConnect());
beforeEach(() => mockAuth());
afterEach(resetAll);
afterAll(() => nock.enableNetConnect());

const catchError = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ConnectorError);

const TEMPLATE_ID = 'f0e1d2c3-4444-5555-6666-777788889999';
const input = (overrides: Partial<CreateEnvelopeInput> = {}): CreateEnvelopeInput => ({
	businessKey: 'CONTRACT-42',
	templateId: TEMPLATE_ID,
	emailSubject: 'Please sign your order',
	roles: [{ roleName: 'Signer', name: 'Bo Buyer', email: 'bo@buyer.test', tabs: { company: 'Buyer Inc', seats: '12' } }],
	customFields: { dealId: 'D-9' },
	...overrides,
});

function mockSearch(calls: Captured[], envelopes: unknown[]) {
	rest().get(`${REST}/envelopes`).query(true).reply(reply(calls, 200, { envelopes, resultSetSize: String(envelopes.length), totalSetSize: String(envelopes.length) }));
}

describe('createEnvelopeFromTemplate', () => {
	it('searches for the business key, then posts the template roles, tabs and hidden custom fields', async () => {
		const calls: Captured[] = [];
		mockSearch(calls, []);
		rest()
			.post(`${REST}/envelopes`)
			.reply(reply(calls, 201, { envelopeId: ENVELOPE_ID, status: 'sent', statusDateTime: '2026-03-01T12:00:01Z', uri: `/envelopes/${ENVELOPE_ID}` }));
		const { client } = makeClient();
		const result = await client.createEnvelopeFromTemplate(input());
		expect(result).toEqual({ envelopeId: ENVELOPE_ID, status: 'sent', statusDateTime: '2026-03-01T12:00:01Z', uri: `/envelopes/${ENVELOPE_ID}`, created: true });

		const [search, post] = calls;
		expect(search.query.get('custom_field')).toBe(`${BUSINESS_KEY_FIELD}=CONTRACT-42`);
		expect(search.query.get('include')).toBe('custom_fields');
		expect(Date.parse(search.query.get('from_date') as string)).toBe(T0 - 90 * 86_400_000);
		expect(post.body).toEqual({
			templateId: TEMPLATE_ID,
			emailSubject: 'Please sign your order',
			status: 'sent',
			templateRoles: [
				{
					roleName: 'Signer',
					name: 'Bo Buyer',
					email: 'bo@buyer.test',
					tabs: { textTabs: [{ tabLabel: 'company', value: 'Buyer Inc' }, { tabLabel: 'seats', value: '12' }] },
				},
			],
			customFields: {
				textCustomFields: [
					{ name: BUSINESS_KEY_FIELD, value: 'CONTRACT-42', show: 'false', required: 'false' },
					{ name: 'dealId', value: 'D-9', show: 'false', required: 'false' },
				],
			},
		});
	});

	it('leaves a draft when asked and sends roles without tabs as they are', async () => {
		const calls: Captured[] = [];
		mockSearch(calls, []);
		rest().post(`${REST}/envelopes`).reply(reply(calls, 201, { envelopeId: ENVELOPE_ID, status: 'created' }));
		const result = await makeClient().client.createEnvelopeFromTemplate(input({ status: 'created', customFields: undefined, roles: [{ roleName: 'Signer', name: 'A', email: 'a@b.test' }] }));
		expect(result.status).toBe('created');
		const body = calls[1].body as { status: string; templateRoles: { tabs?: unknown }[]; customFields: { textCustomFields: unknown[] } };
		expect(body.status).toBe('created');
		expect(body.templateRoles[0].tabs).toBeUndefined();
		expect(body.customFields.textCustomFields).toHaveLength(1);
	});

	it('returns the live envelope already carrying the business key with created:false and posts nothing', async () => {
		const calls: Captured[] = [];
		mockSearch(calls, [
			{ envelopeId: 'old-voided', status: 'voided', customFields: { textCustomFields: [{ name: BUSINESS_KEY_FIELD, value: 'CONTRACT-42' }] } },
			{ envelopeId: 'other-key', status: 'sent', customFields: { textCustomFields: [{ name: BUSINESS_KEY_FIELD, value: 'CONTRACT-421' }] } },
			{ envelopeId: 'existing-1', status: 'delivered', statusChangedDateTime: '2026-02-27T10:00:00Z', customFields: { textCustomFields: [{ name: BUSINESS_KEY_FIELD, value: 'CONTRACT-42' }] } },
		]);
		const result = await makeClient().client.createEnvelopeFromTemplate(input());
		expect(result).toEqual({ envelopeId: 'existing-1', status: 'delivered', statusDateTime: '2026-02-27T10:00:00Z', created: false });
		expect(calls).toHaveLength(1);
	});

	it('creates a new envelope when the only match was declined', async () => {
		const calls: Captured[] = [];
		mockSearch(calls, [{ envelopeId: 'declined-1', status: 'declined' }]);
		rest().post(`${REST}/envelopes`).reply(reply(calls, 201, { envelopeId: ENVELOPE_ID, status: 'sent' }));
		expect((await makeClient().client.createEnvelopeFromTemplate(input())).created).toBe(true);
	});

	it('after a failed send searches again before re-sending, and returns what the lost attempt created', async () => {
		const calls: Captured[] = [];
		mockSearch(calls, []);
		rest().post(`${REST}/envelopes`).reply(reply(calls, 503, docusignError('SERVICE_UNAVAILABLE')));
		mockSearch(calls, [{ envelopeId: ENVELOPE_ID, status: 'sent' }]);
		const { client, sleeps } = makeClient();
		const result = await client.createEnvelopeFromTemplate(input());
		expect(result).toMatchObject({ envelopeId: ENVELOPE_ID, created: false });
		expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET']);
		expect(sleeps).toEqual([100]);
	});

	it('re-sends after a 429 when the search still finds nothing', async () => {
		const calls: Captured[] = [];
		mockSearch(calls, []);
		rest().post(`${REST}/envelopes`).reply(reply(calls, 429, docusignError('HOURLY_APIINVOCATION_LIMIT_EXCEEDED'), { 'Retry-After': '3' }));
		mockSearch(calls, []);
		rest().post(`${REST}/envelopes`).reply(reply(calls, 201, { envelopeId: ENVELOPE_ID, status: 'sent' }));
		const { client, sleeps } = makeClient();
		expect((await client.createEnvelopeFromTemplate(input())).created).toBe(true);
		expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
		expect(sleeps).toEqual([3000]);
	});

	it('does not repeat a send DocuSign refused as invalid', async () => {
		const calls: Captured[] = [];
		mockSearch(calls, []);
		rest().post(`${REST}/envelopes`).reply(reply(calls, 400, docusignError('TEMPLATE_ID_INVALID', 'Invalid template ID.')));
		const error = await catchError(makeClient().client.createEnvelopeFromTemplate(input()));
		expect(error).toMatchObject({ kind: 'not_found', code: 'TEMPLATE_ID_INVALID', status: 400 });
		expect(calls).toHaveLength(2);
	});

	it('fails when DocuSign returns no envelope id', async () => {
		mockSearch([], []);
		rest().post(`${REST}/envelopes`).reply(201, { status: 'sent' });
		expect(await catchError(makeClient().client.createEnvelopeFromTemplate(input()))).toMatchObject({ kind: 'permanent' });
	});

	it.each([
		[{ templateId: '' }, 'envelope.templateId'],
		[{ templateId: '../accounts' }, 'envelope.templateId'],
		[{ businessKey: '  ' }, 'envelope.businessKey'],
		[{ roles: [] }, 'envelope.roles'],
		[{ roles: [{ roleName: 'Signer', name: 'A', email: 'not-an-email' }] }, 'envelope.roles.0.email'],
		[{ roles: [{ roleName: '', name: 'A', email: 'a@b.test' }] }, 'envelope.roles.0.roleName'],
		[{ customFields: { [BUSINESS_KEY_FIELD]: 'x' } }, `envelope.customFields.${BUSINESS_KEY_FIELD}`],
		[{ status: 'voided' as never }, 'envelope.status'],
		[{ emailSubject: 'x'.repeat(101) }, 'envelope.emailSubject'],
	])('rejects %j before any request (%s)', async (overrides, field) => {
		resetAll();
		const error = await catchError(makeClient().client.createEnvelopeFromTemplate(input(overrides as Partial<CreateEnvelopeInput>)));
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error?.kind).toBe('validation');
		expect(error?.field).toBe(field);
	});
});

describe('reading an envelope', () => {
	it('getEnvelope asks for custom fields and maps dates, void reason and the business key', async () => {
		const calls: Captured[] = [];
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(
				reply(calls, 200, {
					envelopeId: ENVELOPE_ID,
					status: 'voided',
					statusChangedDateTime: '2026-03-02T00:00:00Z',
					emailSubject: 'Sign',
					sentDateTime: '2026-03-01T00:00:00Z',
					voidedDateTime: '2026-03-02T00:00:00Z',
					voidedReason: 'Deal lost',
					customFields: {
						textCustomFields: [{ name: BUSINESS_KEY_FIELD, value: 'CONTRACT-42', show: 'false' }, { name: 'dealId', value: 'D-9' }],
						listCustomFields: [{ name: 'region', value: 'EU', listItems: ['EU', 'US'] }],
					},
				}),
			);
		const envelope = await makeClient().client.getEnvelope(ENVELOPE_ID);
		expect(calls[0].query.get('include')).toBe('custom_fields');
		expect(envelope).toEqual({
			envelopeId: ENVELOPE_ID,
			status: 'voided',
			statusDateTime: '2026-03-02T00:00:00Z',
			emailSubject: 'Sign',
			sentDateTime: '2026-03-01T00:00:00Z',
			voidedDateTime: '2026-03-02T00:00:00Z',
			voidedReason: 'Deal lost',
			customFields: { [BUSINESS_KEY_FIELD]: 'CONTRACT-42', dealId: 'D-9', region: 'EU' },
			businessKey: 'CONTRACT-42',
		});
	});

	it('maps ENVELOPE_DOES_NOT_EXIST (DocuSign answers 400) to not_found without retrying', async () => {
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(400, docusignError('ENVELOPE_DOES_NOT_EXIST', 'The envelope specified either does not exist.'));
		const { client, sleeps } = makeClient();
		const error = await catchError(client.getEnvelope(ENVELOPE_ID));
		expect(error).toMatchObject({ kind: 'not_found', code: 'ENVELOPE_DOES_NOT_EXIST', status: 400 });
		expect(error?.message).toContain('does not exist');
		expect(sleeps).toEqual([]);
	});

	it('validates the envelope id before any request', async () => {
		resetAll();
		const client = makeClient().client;
		for (const bad of ['', 'a/b', '../x', undefined as never]) {
			expect(await catchError(client.getEnvelope(bad))).toMatchObject({ kind: 'validation', field: 'envelopeId' });
		}
		expect(await catchError(client.listRecipients('a b'))).toMatchObject({ field: 'envelopeId' });
		expect(await catchError(client.getFormData('?x'))).toMatchObject({ field: 'envelopeId' });
		expect(await catchError(client.downloadCombinedPdf('#'))).toMatchObject({ field: 'envelopeId' });
	});

	it('listRecipients flattens every recipient type with status and dates', async () => {
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}/recipients`)
			.reply(200, {
				signers: [
					{ recipientId: '1', recipientType: 'signer', name: 'Bo', email: 'bo@b.test', roleName: 'Signer', status: 'completed', signedDateTime: '2026-03-01T13:00:00Z', deliveredDateTime: '2026-03-01T12:30:00Z' },
					{ recipientId: '2', name: 'Cy', email: 'cy@b.test', status: 'declined', declinedDateTime: '2026-03-01T14:00:00Z', declinedReason: 'Price' },
				],
				carbonCopies: [{ recipientId: '3', name: 'Ops', email: 'ops@a.test', status: 'completed' }],
				recipientCount: '3',
			});
		expect(await makeClient().client.listRecipients(ENVELOPE_ID)).toEqual([
			{ recipientId: '1', type: 'signer', name: 'Bo', email: 'bo@b.test', roleName: 'Signer', status: 'completed', signedDateTime: '2026-03-01T13:00:00Z', deliveredDateTime: '2026-03-01T12:30:00Z' },
			{ recipientId: '2', type: 'signer', name: 'Cy', email: 'cy@b.test', status: 'declined', declinedDateTime: '2026-03-01T14:00:00Z', declinedReason: 'Price' },
			{ recipientId: '3', type: 'carboncopy', name: 'Ops', email: 'ops@a.test', status: 'completed' },
		]);
	});

	it('getFormData maps tab labels to signed values, filling gaps from per-recipient data', async () => {
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}/form_data`)
			.reply(200, {
				envelopeId: ENVELOPE_ID,
				formData: [{ name: 'company', value: 'Buyer Inc', originalValue: 'Buyer' }, { name: 'seats', value: '12' }, { name: 'empty' }],
				recipientFormData: [{ recipientId: '1', formData: [{ name: 'seats', value: 'ignored' }, { name: 'title', value: 'CEO' }] }],
			});
		expect(await makeClient().client.getFormData(ENVELOPE_ID)).toEqual({ company: 'Buyer Inc', seats: '12', empty: '', title: 'CEO' });
	});
});

describe('downloadCombinedPdf', () => {
	const pdfBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0xff, 0x00, 0x80, 0xe2, 0x9c, 0x93]), Buffer.from('\n%%EOF')]);

	it('returns the exact bytes (binary-safe) and the file name from Content-Disposition', async () => {
		const calls: Captured[] = [];
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}/documents/combined`)
			.reply(reply(calls, 200, pdfBytes, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'file; filename="Order Form.pdf"' }));
		const result = await makeClient().client.downloadCombinedPdf(ENVELOPE_ID);
		expect(calls[0].headers.accept).toBe('application/pdf');
		expect(Buffer.isBuffer(result.data)).toBe(true);
		expect(result.data.equals(pdfBytes)).toBe(true);
		expect(result).toMatchObject({ fileName: 'Order Form.pdf', mimeType: 'application/pdf' });
	});

	it('decodes RFC 5987 names and falls back to envelope-<id>.pdf', async () => {
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}/documents/combined`)
			.reply(200, pdfBytes, { 'Content-Disposition': "attachment; filename*=UTF-8''Vertrag%20%C3%9C.pdf" })
			.get(`${REST}/envelopes/${ENVELOPE_ID}/documents/combined`)
			.reply(200, pdfBytes, { 'Content-Disposition': 'file; filename="../../etc/"' })
			.get(`${REST}/envelopes/${ENVELOPE_ID}/documents/combined`)
			.reply(200, pdfBytes);
		const client = makeClient().client;
		expect((await client.downloadCombinedPdf(ENVELOPE_ID)).fileName).toBe('Vertrag Ü.pdf');
		expect((await client.downloadCombinedPdf(ENVELOPE_ID)).fileName).toBe(`envelope-${ENVELOPE_ID}.pdf`);
		expect((await client.downloadCombinedPdf(ENVELOPE_ID)).fileName).toBe(`envelope-${ENVELOPE_ID}.pdf`);
	});

	it('refuses a body that is not a PDF', async () => {
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}/documents/combined`).reply(200, '');
		expect(await catchError(makeClient().client.downloadCombinedPdf(ENVELOPE_ID))).toMatchObject({ kind: 'permanent' });
	});

	it('reads the JSON error body from the stream DocuSign answers a PDF request with', async () => {
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}/documents/combined`).reply(404, docusignError('ENVELOPE_DOES_NOT_EXIST', 'gone'), { 'Content-Type': 'application/json' });
		const error = await catchError(makeClient().client.downloadCombinedPdf(ENVELOPE_ID));
		expect(error).toMatchObject({ kind: 'not_found', code: 'ENVELOPE_DOES_NOT_EXIST', status: 404 });
		expect(error?.message).toContain('gone');
	});
});

describe('voidEnvelope', () => {
	const envelope = (status: string) => ({ envelopeId: ENVELOPE_ID, status });

	it('voids an envelope in flight with the reason', async () => {
		const calls: Captured[] = [];
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(reply(calls, 200, envelope('sent')))
			.put(`${REST}/envelopes/${ENVELOPE_ID}`)
			.reply(reply(calls, 200, { envelopeId: ENVELOPE_ID }));
		expect(await makeClient().client.voidEnvelope(ENVELOPE_ID, 'Contract cancelled')).toEqual({ envelopeId: ENVELOPE_ID, status: 'voided', changed: true });
		expect(calls[1].body).toEqual({ status: 'voided', voidedReason: 'Contract cancelled' });
	});

	it('is a no-op for an already voided envelope', async () => {
		const calls: Captured[] = [];
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(reply(calls, 200, envelope('voided')));
		expect(await makeClient().client.voidEnvelope(ENVELOPE_ID, 'again')).toEqual({ envelopeId: ENVELOPE_ID, status: 'voided', changed: false });
		expect(calls.map((c) => c.method)).toEqual(['GET']);
	});

	it.each(['completed', 'declined'])('is a conflict for a %s envelope and sends no void', async (status) => {
		rest().get(`${REST}/envelopes/${ENVELOPE_ID}`).query(true).reply(200, envelope(status));
		const error = await catchError(makeClient().client.voidEnvelope(ENVELOPE_ID, 'cancel'));
		expect(error).toMatchObject({ kind: 'conflict', code: 'ENVELOPE_CANNOT_VOID_INVALID_STATE' });
		expect(error?.message).toContain(status);
	});

	it('settles a race by re-reading: signed meanwhile → conflict, voided meanwhile → changed:false', async () => {
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(200, envelope('delivered'))
			.put(`${REST}/envelopes/${ENVELOPE_ID}`)
			.reply(400, docusignError('ENVELOPE_CANNOT_VOID_INVALID_STATE'))
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(200, envelope('completed'));
		const client = makeClient().client;
		expect(await catchError(client.voidEnvelope(ENVELOPE_ID, 'cancel'))).toMatchObject({ kind: 'conflict' });

		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(200, envelope('sent'))
			.put(`${REST}/envelopes/${ENVELOPE_ID}`)
			.reply(400, docusignError('ENVELOPE_INVALID_STATUS'))
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(200, envelope('voided'));
		expect(await client.voidEnvelope(ENVELOPE_ID, 'cancel')).toMatchObject({ changed: false });

		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(200, envelope('sent'))
			.put(`${REST}/envelopes/${ENVELOPE_ID}`)
			.reply(400, docusignError('INVALID_REQUEST_BODY'))
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(200, envelope('sent'));
		expect(await catchError(client.voidEnvelope(ENVELOPE_ID, 'cancel'))).toMatchObject({ kind: 'validation', code: 'INVALID_REQUEST_BODY' });
	});

	it('retries a void that met a 500 (voiding twice is harmless)', async () => {
		rest()
			.get(`${REST}/envelopes/${ENVELOPE_ID}`)
			.query(true)
			.reply(200, envelope('sent'))
			.put(`${REST}/envelopes/${ENVELOPE_ID}`)
			.reply(500, docusignError('UNSPECIFIED_ERROR'))
			.put(`${REST}/envelopes/${ENVELOPE_ID}`)
			.reply(200, {});
		const { client, sleeps } = makeClient();
		expect(await client.voidEnvelope(ENVELOPE_ID, 'cancel')).toMatchObject({ changed: true });
		expect(sleeps).toEqual([100]);
	});

	it('requires a reason', async () => {
		resetAll();
		expect(await catchError(makeClient().client.voidEnvelope(ENVELOPE_ID, ' '))).toMatchObject({ kind: 'validation', field: 'reason' });
	});
});
