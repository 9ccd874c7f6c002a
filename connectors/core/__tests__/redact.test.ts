import { isSecretKey, redact, REDACTED, registerSecret } from '../redact';

describe('redact', () => {
	it('masks secret-named keys deep in objects and arrays', () => {
		const input = {
			customer: { name: 'Acme', credentials: { password: 'hunter22', api_key: 'k-123456' } },
			items: [{ clientSecret: 'cs_123456' }, { 'x-api-key': 'abcdef' }, { signingKey: 'abcdef' }],
			headers: { Authorization: 'Basic dXNlcjpwYXNz', Cookie: 'sid=1' },
			webhookSignature: 'deadbeef',
			accessToken: 'eyJ.abc.def',
			privateKey: '-----BEGIN PRIVATE KEY-----',
		};
		const out = redact(input);
		expect(out.customer.name).toBe('Acme');
		expect(out.customer.credentials).toBe(REDACTED); // "credential" key masks the whole subtree
		expect(out.items).toEqual([{ clientSecret: REDACTED }, { 'x-api-key': REDACTED }, { signingKey: REDACTED }]);
		expect(out.headers).toEqual({ Authorization: REDACTED, Cookie: REDACTED });
		expect(out.webhookSignature).toBe(REDACTED);
		expect(out.accessToken).toBe(REDACTED);
		expect(out.privateKey).toBe(REDACTED);
		// deep copy: input untouched
		expect(input.customer.credentials.password).toBe('hunter22');
	});

	it('keeps empty / null secret-named values as they are (nothing to hide)', () => {
		expect(redact({ password: '', token: null, secret: undefined })).toEqual({ password: '', token: null, secret: undefined });
	});

	it('keeps public identifiers whose names merely contain a secret word', () => {
		const out = redact({ tokenType: 'Bearer', token_type: 'bearer', expiresIn: 3600, apiKeyId: 'key_1', keyId: 'kid', publicKey: 'PEM', public_key: 'PEM' });
		expect(out).toEqual({ tokenType: 'Bearer', token_type: 'bearer', expiresIn: 3600, apiKeyId: 'key_1', keyId: 'kid', publicKey: 'PEM', public_key: 'PEM' });
		expect(isSecretKey('tokenType')).toBe(false);
		expect(isSecretKey('refresh_token')).toBe(true);
		expect(isSecretKey('name')).toBe(false);
	});

	it('masks registered secret values inside free text', () => {
		registerSecret('my-very-secret-value');
		expect(redact('vendor said: key my-very-secret-value is invalid (my-very-secret-value)')).toBe(
			`vendor said: key ${REDACTED} is invalid (${REDACTED})`,
		);
		expect(redact({ message: 'got my-very-secret-value' })).toEqual({ message: `got ${REDACTED}` });
	});

	it('ignores too-short or missing registered secrets (they would mask ordinary text)', () => {
		registerSecret('abc');
		registerSecret(undefined);
		registerSecret(null);
		expect(redact('abc abcdef')).toBe('abc abcdef');
	});

	it('masks per-call extra secrets without registering them', () => {
		expect(redact('token=zzz-extra-1', ['zzz-extra-1'])).toBe(`token=${REDACTED}`);
		expect(redact('token=zzz-extra-1')).toBe('token=zzz-extra-1');
	});

	it('masks Bearer / Basic tokens and vendor key formats in strings', () => {
		expect(redact('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig')).toBe(`Authorization: Bearer ${REDACTED}`);
		expect(redact('Basic dXNlcjpwYXNzd29yZA==')).toBe(`Basic ${REDACTED}`);
		expect(redact('key sk_test_51Habcdef and sk_live_ABCDEF123, rk_live_123456, pk_test_abcdef')).toBe(
			`key ${REDACTED} and ${REDACTED}, ${REDACTED}, ${REDACTED}`,
		);
		expect(redact('secret whsec_abcdef123456 end')).toBe(`secret ${REDACTED} end`);
	});

	it('leaves Buffers, Dates, numbers and booleans untouched', () => {
		const buffer = Buffer.from('sk_test_abcdef123456');
		const date = new Date(0);
		const out = redact({ buffer, date, n: 1, b: true, nothing: null });
		expect(out.buffer).toBe(buffer);
		expect(out.date).toBe(date);
		expect(out).toMatchObject({ n: 1, b: true, nothing: null });
	});

	it('terminates on cyclic structures without handing back the cycle', () => {
		const cyclic: Record<string, unknown> = { name: 'loop', auth: { password: 'hunter22' } };
		cyclic.self = cyclic;
		const out = redact(cyclic);
		expect(out.self).not.toBe(cyclic);
		expect(JSON.stringify(out)).toContain('[truncated]');
		expect(JSON.stringify(out)).not.toContain('hunter22');
	});

	it('never passes secrets through beyond the depth bound', () => {
		let deep: Record<string, unknown> = { password: 'hunter22', note: 'Bearer abcdefghijk' };
		for (let i = 0; i < 20; i++) deep = { level: deep };
		const text = JSON.stringify(redact(deep));
		expect(text).not.toContain('hunter22');
		expect(text).not.toContain('abcdefghijk');
		let shallow: Record<string, unknown> = { password: 'hunter22', keep: 'me' };
		for (let i = 0; i < 10; i++) shallow = { level: shallow };
		expect(JSON.stringify(redact(shallow))).toContain('"keep":"me"');
	});
});
