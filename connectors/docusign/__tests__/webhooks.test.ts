import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
		const event = parseConnectEvent({ event: 'envelope-sent', generatedDateTime: 'x', data: { envelopeId: 'e2' } });
		expect(event).toMatchObject({ envelopeId: 'e2', customFields: {}, recipients: [] });
		expect(event.status).toBeUndefined();
		expect(event.businessKey).toBeUndefined();
	});

	it('parses the published sample payload', () => {
		const sample = JSON.parse(readFileSync(join('/work/shared/reference/docusign-connect-payload-sample-v2.json'), 'utf8'));
		sample.event = 'envelope-sent';
		sample.generatedDateTime = '2026-03-01T00:00:00Z';
		const event = parseConnectEvent(sample);
		expect(event.envelopeId).toBe('sample string');
		expect(event.customFields['sample string 2']).toBe('sample string 5');
		expect(event.recipients[0]).toMatchObject({ type: 'signer', roleName: 'sample string 31', status: 'sample string 32' });
	});

	it.each([
		[{ ...payload, data: { ...payload.data, envelopeId: '' } }, 'data.envelopeId'],
		[{ ...payload, data: { accountId: 'a' } }, 'data.envelopeId'],
		[{ ...payload, data: undefined }, 'data'],
		[{ ...payload, event: undefined }, 'event'],
		[{ ...payload, generatedDateTime: 42 }, 'generatedDateTime'],
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
