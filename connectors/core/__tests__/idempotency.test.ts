import { ConnectorError } from '../errors';
import { canonicalJson, idempotencyKey, sha256Hex } from '../idempotency';

describe('idempotencyKey', () => {
	it('is deterministic for the same business key and step', () => {
		expect(idempotencyKey('C-1001', 'billing.subscription.create')).toBe(idempotencyKey('C-1001', 'billing.subscription.create'));
		expect(idempotencyKey(' C-1001 ', ' billing.subscription.create')).toBe(idempotencyKey('C-1001', 'billing.subscription.create'));
	});

	it('differs by step, by business key and by namespace', () => {
		const base = idempotencyKey('C-1001', 'billing.subscription.create');
		expect(idempotencyKey('C-1001', 'billing.customer.create')).not.toBe(base);
		expect(idempotencyKey('C-1002', 'billing.subscription.create')).not.toBe(base);
		expect(idempotencyKey('C-1001', 'billing.subscription.create', 'other')).not.toBe(base);
		// no ambiguity from concatenation
		expect(idempotencyKey('a.b', 'c')).not.toBe(idempotencyKey('a', 'b.c'));
	});

	it('is readable, header-safe and at most 255 characters', () => {
		const key = idempotencyKey('C-1001', 'vmf order/approve');
		expect(key).toMatch(/^q2c-vmf_order_approve-[0-9a-f]{40}$/);
		const long = idempotencyKey('x'.repeat(5000), 's'.repeat(5000));
		expect(long.length).toBeLessThanOrEqual(255);
		expect(long).toMatch(/^[A-Za-z0-9._-]+$/);
	});

	it.each([
		['', 'step', 'businessKey'],
		['   ', 'step', 'businessKey'],
		[undefined, 'step', 'businessKey'],
		['C-1', '', 'step'],
		['C-1', ' ', 'step'],
		['C-1', null, 'step'],
	])('rejects empty inputs (%p, %p) naming the field', (businessKey, step, field) => {
		let caught: unknown;
		try {
			idempotencyKey(businessKey as string, step as string);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ConnectorError);
		expect((caught as ConnectorError).kind).toBe('validation');
		expect((caught as ConnectorError).field).toBe(field);
		expect((caught as ConnectorError).message).toContain(`"${field}"`);
	});
});

describe('sha256Hex', () => {
	it('hashes strings and buffers identically', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(sha256Hex(Buffer.from('abc'))).toBe(sha256Hex('abc'));
	});
});

describe('canonicalJson', () => {
	it('is independent of key order at every depth', () => {
		const a = { b: 1, a: { d: [{ y: 1, x: 2 }], c: 'z' } };
		const b = { a: { c: 'z', d: [{ x: 2, y: 1 }] }, b: 1 };
		expect(canonicalJson(a)).toBe(canonicalJson(b));
		expect(canonicalJson(a)).toBe('{"a":{"c":"z","d":[{"x":2,"y":1}]},"b":1}');
	});

	it('keeps array order, drops undefined values and serialises dates', () => {
		expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
		expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
		expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
		expect(canonicalJson('x')).toBe('"x"');
	});

	it('keeps a "__proto__" member (JSON.parse makes it an own key), so it changes the hash of a receipt', () => {
		const tampered = JSON.parse('{"amount":1,"__proto__":{"approved":true}}');
		expect(canonicalJson(tampered)).toBe('{"__proto__":{"approved":true},"amount":1}');
		expect(sha256Hex(canonicalJson(tampered))).not.toBe(sha256Hex(canonicalJson({ amount: 1 })));
		expect(JSON.parse(canonicalJson(tampered))).toEqual(tampered);
	});
});
