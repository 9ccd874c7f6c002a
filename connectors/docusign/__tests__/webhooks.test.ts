import { ConnectorError } from '../../core';
import { BUSINESS_KEY_FIELD, parseConnectEvent, signConnectPayload, verifyConnectSignature } from '..';

const KEY_A = 'connect-hmac-key-A-0123456789';
const KEY_B = 'connect-hmac-key-B-9876543210';

const payload = {
	event: 'envelope-completed',
	apiVersion: 'v2.1',
	uri: '/restapi/v2.1/accounts/acc/envelopes/env-1',
	retryCount: 0,
	configurationId: 9001,
	generatedDateTime: '2026-03-01T13:00:00.123Z',
	data: {
		accountId: 'acc',
		userId: 'user',
		envelopeId: 'env-1',
		envelopeSummary: {
			status: 'completed',
			emailSubject: 'Sign',
			customFields: {
				textCustomFields: [
					{ fieldId: '1', name: BUSINESS_KEY_FIELD, show: 'false', value: 'CONTRACT-42' },
					{ fieldId: '2', name: 'dealId', value: 'D-9' },
				],
			},
			recipients: {
				signers: [{ recipientId: '1', name: 'Bo', email: 'bo@b.test', roleName: 'Signer', status: 'completed', signedDateTime: '2026-03-01T12:59:00Z' }],
				carbonCopies: [{ recipientId: '2', name: 'Ops', email: 'ops@a.test', status: 'completed' }],
			},
		},
	},
};
const raw = JSON.stringify(payload);

/**
 * A complete JSON SIM (Connect 2.0) `envelope-sent` message with the envelope summary, as DocuSign documents it
 * (developers.docusign.com, "JSON SIM event model"; envelopeSummary follows the Envelopes::get response with
 * include=custom_fields,recipients). Written here, values ours; the published sample payload is checked in
 * webhooks.vendor-spec.test.ts when the vendor-spec layer is on.
 */
const simEnvelopeSent = {
	event: 'envelope-sent',
	apiVersion: 'v2.1',
	uri: '/restapi/v2.1/accounts/7d3e1f2a-0b4c-4d5e-8f6a-1b2c3d4e5f60/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b',
	retryCount: 0,
	configurationId: 10516,
	generatedDateTime: '2026-03-02T08:15:42.0170000Z',
	data: {
		accountId: '7d3e1f2a-0b4c-4d5e-8f6a-1b2c3d4e5f60',
		userId: 'c0ffee00-1234-4abc-9def-0123456789ab',
		envelopeId: '4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b',
		envelopeSummary: {
			status: 'sent',
			documentsUri: '/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b/documents',
			recipientsUri: '/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b/recipients',
			envelopeUri: '/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b',
			emailSubject: 'Please sign your order',
			envelopeId: '4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b',
			signingLocation: 'online',
			customFieldsUri: '/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b/custom_fields',
			enableWetSign: 'true',
			allowMarkup: 'false',
			allowReassign: 'true',
			createdDateTime: '2026-03-02T08:15:39.0930000Z',
			lastModifiedDateTime: '2026-03-02T08:15:41.5000000Z',
			initialSentDateTime: '2026-03-02T08:15:41.5470000Z',
			sentDateTime: '2026-03-02T08:15:41.5470000Z',
			statusChangedDateTime: '2026-03-02T08:15:41.5470000Z',
			documentsCombinedUri: '/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b/documents/combined',
			certificateUri: '/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b/documents/certificate',
			templatesUri: '/envelopes/4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b/templates',
			purgeState: 'unpurged',
			envelopeIdStamping: 'true',
			is21CFRPart11: 'false',
			signerCanSignOnMobile: 'true',
			isSignatureProviderEnvelope: 'false',
			allowViewHistory: 'true',
			sender: { userName: 'Quote Desk', userId: 'c0ffee00-1234-4abc-9def-0123456789ab', accountId: '7d3e1f2a-0b4c-4d5e-8f6a-1b2c3d4e5f60', email: 'quotes@seller.test' },
			customFields: {
				textCustomFields: [{ fieldId: '10614938', name: BUSINESS_KEY_FIELD, show: 'false', required: 'false', value: 'CONTRACT-77' }],
				listCustomFields: [{ fieldId: '10614939', name: 'region', show: 'true', required: 'false', value: 'EMEA', listItems: ['AMER', 'EMEA', 'APAC'] }],
			},
			recipients: {
				signers: [
					{
						creationReason: 'sender',
						isBulkRecipient: 'false',
						name: 'Ada Buyer',
						email: 'ada@buyer.test',
						recipientId: '1',
						recipientIdGuid: '0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b',
						requireIdLookup: 'false',
						routingOrder: '1',
						roleName: 'Signer',
						status: 'sent',
						sentDateTime: '2026-03-02T08:15:41.6100000Z',
						deliveryMethod: 'email',
					},
				],
				agents: [],
				editors: [],
				intermediaries: [],
				carbonCopies: [{ name: 'Sales Ops', email: 'ops@seller.test', recipientId: '2', routingOrder: '2', roleName: 'Copy', status: 'created', deliveryMethod: 'email' }],
				certifiedDeliveries: [],
				inPersonSigners: [],
				seals: [],
				witnesses: [],
				recipientCount: '2',
				currentRoutingOrder: '1',
			},
		},
	},
};

describe('verifyConnectSignature', () => {
	it('accepts a body signed with the configured key', () => {
		const result = verifyConnectSignature({ rawBody: raw, headers: { 'x-docusign-signature-1': signConnectPayload(raw, KEY_A) }, secrets: [KEY_A] });
		expect(result).toEqual({ ok: true, value: undefined });
	});

	it('matches header names case-insensitively, Buffers, and array-valued headers', () => {
		const signature = signConnectPayload(raw, KEY_A);
		expect(verifyConnectSignature({ rawBody: Buffer.from(raw), headers: { 'X-DocuSign-Signature-1': signature }, secrets: [KEY_A] }).ok).toBe(true);
		expect(verifyConnectSignature({ rawBody: raw, headers: { 'x-docusign-signature-3': ['nope', signature] }, secrets: [KEY_A] }).ok).toBe(true);
	});

	it('accepts the second key during rotation, from either header', () => {
		const headers = { 'x-docusign-signature-1': signConnectPayload(raw, 'retired-key-zzzzzz'), 'x-docusign-signature-2': signConnectPayload(raw, KEY_B) };
		expect(verifyConnectSignature({ rawBody: raw, headers, secrets: [KEY_A, KEY_B] }).ok).toBe(true);
		expect(verifyConnectSignature({ rawBody: raw, headers, secrets: [undefined, KEY_B] }).ok).toBe(true);
		expect(verifyConnectSignature({ rawBody: raw, headers, secrets: [KEY_A] }).ok).toBe(false);
	});

	it('rejects a forged signature, a tampered body and a signature from an unrelated header', () => {
		const forged = verifyConnectSignature({ rawBody: raw, headers: { 'x-docusign-signature-1': signConnectPayload(raw, 'attacker-key-1234') }, secrets: [KEY_A] });
		expect(forged).toEqual({ ok: false, reason: 'signature does not match' });
		const tampered = raw.replace('CONTRACT-42', 'CONTRACT-43');
		expect(verifyConnectSignature({ rawBody: tampered, headers: { 'x-docusign-signature-1': signConnectPayload(raw, KEY_A) }, secrets: [KEY_A] }).ok).toBe(false);
		expect(verifyConnectSignature({ rawBody: raw, headers: { 'x-signature': signConnectPayload(raw, KEY_A) }, secrets: [KEY_A] }).ok).toBe(false);
	});

	it('rejects a request without a signature header, without a raw body, and when no secret is configured', () => {
		expect(verifyConnectSignature({ rawBody: raw, headers: {}, secrets: [KEY_A] })).toEqual({ ok: false, reason: 'the request carries no signature' });
		expect(verifyConnectSignature({ rawBody: raw, headers: { 'x-docusign-signature-1': undefined }, secrets: [KEY_A] }).ok).toBe(false);
		expect(verifyConnectSignature({ rawBody: undefined, headers: { 'x-docusign-signature-1': signConnectPayload(raw, KEY_A) }, secrets: [KEY_A] }).ok).toBe(false);
		const noSecret = verifyConnectSignature({ rawBody: raw, headers: { 'x-docusign-signature-1': signConnectPayload(raw, KEY_A) }, secrets: [undefined, ''] });
		expect(noSecret).toEqual({ ok: false, reason: 'no signing secret is configured' });
	});

	it('signs as base64 HMAC-SHA256', () => {
		// echo -n 'hello' | openssl dgst -sha256 -hmac key -binary | base64
		expect(signConnectPayload('hello', 'key')).toBe('kwezuRXvtRcf8U2MtV+8x5jGwO8UVtZt7RpqpyOli3s=');
	});
});

describe('parseConnectEvent', () => {
	it('reads the JSON SIM shape into one event with a dedupe key', () => {
		const event = parseConnectEvent(payload);
		expect(event).toEqual({
			event: 'envelope-completed',
			generatedDateTime: '2026-03-01T13:00:00.123Z',
			envelopeId: 'env-1',
			status: 'completed',
			businessKey: 'CONTRACT-42',
			customFields: { [BUSINESS_KEY_FIELD]: 'CONTRACT-42', dealId: 'D-9' },
			recipients: [
				{ recipientId: '1', type: 'signer', name: 'Bo', email: 'bo@b.test', roleName: 'Signer', status: 'completed', signedDateTime: '2026-03-01T12:59:00Z' },
				{ recipientId: '2', type: 'carboncopy', name: 'Ops', email: 'ops@a.test', status: 'completed' },
			],
			dedupeKey: 'env-1:envelope-completed:2026-03-01T13:00:00.123Z',
			raw: payload,
		});
	});

	it('parses a raw string or Buffer body too', () => {
		expect(parseConnectEvent(raw).envelopeId).toBe('env-1');
		expect(parseConnectEvent(Buffer.from(raw)).dedupeKey).toBe('env-1:envelope-completed:2026-03-01T13:00:00.123Z');
	});

	it('accepts an event without an envelope summary', () => {
		const event = parseConnectEvent({ event: 'envelope-sent', generatedDateTime: '2026-03-01T00:00:00Z', data: { envelopeId: 'e2' } });
		expect(event).toMatchObject({ envelopeId: 'e2', customFields: {}, recipients: [] });
		expect(event.status).toBeUndefined();
		expect(event.businessKey).toBeUndefined();
	});

	it('parses a full JSON SIM message: every recipient list, text and list custom fields, fields it does not read', () => {
		const event = parseConnectEvent(JSON.stringify(simEnvelopeSent));
		expect(event).toMatchObject({
			event: 'envelope-sent',
			generatedDateTime: '2026-03-02T08:15:42.0170000Z',
			envelopeId: '4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b',
			status: 'sent',
			businessKey: 'CONTRACT-77',
			customFields: { [BUSINESS_KEY_FIELD]: 'CONTRACT-77', region: 'EMEA' },
			dedupeKey: '4f6a2c1e-8b3d-4e5f-9a7b-0c1d2e3f4a5b:envelope-sent:2026-03-02T08:15:42.0170000Z',
			raw: simEnvelopeSent,
		});
		expect(event.recipients).toEqual([
			{ recipientId: '1', type: 'signer', name: 'Ada Buyer', email: 'ada@buyer.test', roleName: 'Signer', status: 'sent' },
			{ recipientId: '2', type: 'carboncopy', name: 'Sales Ops', email: 'ops@seller.test', roleName: 'Copy', status: 'created' },
		]);
	});

	it.each([
		[{ ...payload, data: { ...payload.data, envelopeId: '' } }, 'data.envelopeId'],
		[{ ...payload, data: { accountId: 'a' } }, 'data.envelopeId'],
		[{ ...payload, data: undefined }, 'data'],
		[{ ...payload, event: undefined }, 'event'],
		[{ ...payload, generatedDateTime: 42 }, 'generatedDateTime'],
		[{ ...payload, generatedDateTime: 'yesterday-ish' }, 'generatedDateTime'],
		['{not json', 'body'],
		[null, 'body'],
		[[payload], 'body'],
	])('names the field at fault (%#: %s)', (body, field) => {
		let error: ConnectorError | undefined;
		try {
			parseConnectEvent(body);
		} catch (e) {
			error = e as ConnectorError;
		}
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error?.kind).toBe('validation');
		expect(error?.field).toBe(field);
	});
});
