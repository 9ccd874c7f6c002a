import { decodeSignedUri, parseHubspotEvents, signHubspotV3, verifyHubspotSignatureV3 } from '../webhooks';

const SECRET = 'app-client-secret-0001';
const OLD_SECRET = 'app-client-secret-0000';
const NOW = Date.parse('2026-11-20T10:00:00.000Z');
const URI = 'https://n8n.example.com/webhook/abc/hubspot?tenant=acme';
const BODY = JSON.stringify([{ eventId: 1, subscriptionType: 'deal.propertyChange', objectId: 5, occurredAt: NOW }]);

function signed(overrides: Partial<Parameters<typeof verifyHubspotSignatureV3>[0]> = {}, secret = SECRET) {
	const timestamp = String(NOW - 1000);
	const signature = signHubspotV3({ method: 'POST', uri: URI, rawBody: BODY, timestamp, secret });
	return { method: 'POST', uri: URI, rawBody: BODY, signature, timestamp, secrets: [SECRET], now: NOW, ...overrides };
}

describe('verifyHubspotSignatureV3', () => {
	it('accepts a valid signature, from a Buffer body too', () => {
		expect(verifyHubspotSignatureV3(signed())).toEqual({ ok: true, value: undefined });
		expect(verifyHubspotSignatureV3(signed({ rawBody: Buffer.from(BODY) })).ok).toBe(true);
	});

	it('signs base64(HMAC-SHA256(secret, method + uri + body + timestamp))', () => {
		const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
		const expected = createHmac('sha256', SECRET).update(`POST${URI}${BODY}123`).digest('base64');
		expect(signHubspotV3({ method: 'post', uri: URI, rawBody: BODY, timestamp: '123', secret: SECRET })).toBe(expected);
	});

	it('rejects a forged signature, a tampered body, another URI or method', () => {
		const forged = signHubspotV3({ method: 'POST', uri: URI, rawBody: BODY, timestamp: String(NOW - 1000), secret: 'attacker-secret-1' });
		expect(verifyHubspotSignatureV3(signed({ signature: forged }))).toEqual({ ok: false, reason: 'signature does not match' });
		expect(verifyHubspotSignatureV3(signed({ rawBody: BODY.replace('5', '6') })).ok).toBe(false);
		expect(verifyHubspotSignatureV3(signed({ uri: URI.replace('acme', 'evil') })).ok).toBe(false);
		expect(verifyHubspotSignatureV3(signed({ method: 'PUT' })).ok).toBe(false);
	});

	it('rejects timestamps older than 5 minutes or too far in the future', () => {
		const at = (ts: number) => {
			const timestamp = String(ts);
			return verifyHubspotSignatureV3(signed({ timestamp, signature: signHubspotV3({ method: 'POST', uri: URI, rawBody: BODY, timestamp, secret: SECRET }) }));
		};
		expect(at(NOW - 300_000).ok).toBe(true);
		expect(at(NOW - 300_001)).toMatchObject({ ok: false, reason: expect.stringContaining('tolerance') });
		expect(at(NOW + 300_001).ok).toBe(false);
		expect(at(NOW + 60_000).ok).toBe(true);
	});

	it('accepts the previous secret during a rotation', () => {
		expect(verifyHubspotSignatureV3(signed({ secrets: [undefined, SECRET, OLD_SECRET] }, OLD_SECRET)).ok).toBe(true);
		expect(verifyHubspotSignatureV3(signed({ secrets: [SECRET] }, OLD_SECRET)).ok).toBe(false);
	});

	it('rejects missing headers, a missing raw body and a missing secret', () => {
		expect(verifyHubspotSignatureV3(signed({ signature: undefined }))).toMatchObject({ ok: false, reason: expect.stringContaining('x-hubspot-signature-v3') });
		expect(verifyHubspotSignatureV3(signed({ timestamp: undefined }))).toMatchObject({ ok: false, reason: expect.stringContaining('x-hubspot-request-timestamp') });
		expect(verifyHubspotSignatureV3(signed({ timestamp: 'yesterday' })).ok).toBe(false);
		expect(verifyHubspotSignatureV3(signed({ rawBody: undefined }))).toMatchObject({ ok: false, reason: expect.stringContaining('raw request body') });
		expect(verifyHubspotSignatureV3(signed({ secrets: [] }))).toEqual({ ok: false, reason: 'no signing secret is configured' });
		expect(verifyHubspotSignatureV3(signed({ secrets: [undefined, ''] })).ok).toBe(false);
	});

	it('decodes the percent-encodings HubSpot decodes before signing, and only those', () => {
		expect(decodeSignedUri('https://x.test/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm')).toBe("https://x.test/a:b/c?d@e!f$g'h(i)j*k,l;m");
		expect(decodeSignedUri('https://x.test/a%3ab%20c%26d%3De%23')).toBe('https://x.test/a:b%20c%26d%3De%23');
		// HubSpot signed the decoded form; the request arrives with the encoded URI.
		const timestamp = String(NOW);
		const signature = signHubspotV3({ method: 'POST', uri: 'https://n8n.example.com/webhook/abc?from=a:b@c', rawBody: BODY, timestamp, secret: SECRET });
		expect(verifyHubspotSignatureV3(signed({ uri: 'https://n8n.example.com/webhook/abc?from=a%3Ab%40c', timestamp, signature })).ok).toBe(true);
	});
});

describe('parseHubspotEvents', () => {
	it('normalises ids to strings and occurredAt to ISO, keeping the raw event', () => {
		const raw = {
			eventId: 100,
			subscriptionId: 200,
			portalId: 4242,
			appId: 1,
			occurredAt: NOW,
			subscriptionType: 'deal.propertyChange',
			attemptNumber: 0,
			objectId: 5,
			propertyName: 'dealstage',
			propertyValue: 'closedwon',
			changeSource: 'CRM_UI',
		};
		const [event, second] = parseHubspotEvents([raw, { eventId: '101', occurredAt: String(NOW), subscriptionType: 'deal.creation', objectId: '6', propertyValue: 3 }]);
		expect(event).toEqual({
			eventId: '100',
			subscriptionId: '200',
			portalId: '4242',
			occurredAt: '2026-11-20T10:00:00.000Z',
			subscriptionType: 'deal.propertyChange',
			objectId: '5',
			propertyName: 'dealstage',
			propertyValue: 'closedwon',
			attemptNumber: 0,
			raw,
		});
		expect(second).toMatchObject({ eventId: '101', objectId: '6', propertyValue: '3' });
		expect(second.portalId).toBeUndefined();
		expect(parseHubspotEvents([])).toEqual([]);
	});

	it('names the field at fault', () => {
		const good = { eventId: 1, occurredAt: NOW, subscriptionType: 'deal.creation', objectId: 5 };
		expect(() => parseHubspotEvents({ eventId: 1 })).toThrow(expect.objectContaining({ kind: 'validation', field: 'events' }));
		expect(() => parseHubspotEvents([good, { ...good, objectId: 'abc' }])).toThrow(expect.objectContaining({ field: 'events.1.objectId' }));
		expect(() => parseHubspotEvents([{ ...good, eventId: undefined }])).toThrow(expect.objectContaining({ field: 'events.0.eventId' }));
		expect(() => parseHubspotEvents([{ ...good, occurredAt: 'now' }])).toThrow(expect.objectContaining({ field: 'events.0.occurredAt' }));
		expect(() => parseHubspotEvents([{ ...good, occurredAt: 9e20 }])).toThrow(expect.objectContaining({ field: 'events.0.occurredAt' }));
		expect(() => parseHubspotEvents([{ ...good, subscriptionType: '' }])).toThrow(expect.objectContaining({ field: 'events.0.subscriptionType' }));
	});
});
