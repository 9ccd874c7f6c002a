import { ConnectorError } from '../../../core';
import { quoteTxt, unquoteTxt } from '../records';
import { normalizeContent, normalizeDomainName, parseZoneRef, tenantRecordName, validateUpsert } from '../validation';

function validationFailure(fn: () => unknown): ConnectorError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ConnectorError);
		expect((error as ConnectorError).kind).toBe('validation');
		return error as ConnectorError;
	}
	throw new Error('expected a validation error');
}

describe('tenantRecordName', () => {
	it('builds the sub-domain from a tenant label, lower-cased', () => {
		expect(tenantRecordName('MyClub-7', 'Example.com.')).toBe('myclub-7.example.com');
	});

	it.each([
		['a dot (two labels)', 'my.club'],
		['an underscore', 'my_club'],
		['a leading hyphen', '-club'],
		['a space', 'my club'],
		['an encoded-label prefix', 'xn--club'],
		['64 characters', 'a'.repeat(64)],
		['nothing', ''],
		['a number', 42],
	])('refuses a label with %s, naming "label"', (_, label) => {
		const error = validationFailure(() => tenantRecordName(label, 'example.com'));
		expect(error.field).toBe('label');
		expect(error.message).toContain('"label"');
	});

	it('refuses a label that makes the whole name too long', () => {
		const zone = `${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`;
		expect(validationFailure(() => tenantRecordName('a'.repeat(63), zone)).field).toBe('label');
	});

	it('refuses a bad zone naming "zone"', () => {
		expect(validationFailure(() => tenantRecordName('club', 'exa mple.com')).field).toBe('zone');
	});
});

describe('names and zones', () => {
	it('normalizes case and the trailing dot, and allows a leading wildcard and underscore labels', () => {
		expect(normalizeDomainName('WWW.Example.COM.', 'name')).toBe('www.example.com');
		expect(normalizeDomainName('*.example.com', 'name')).toBe('*.example.com');
		expect(normalizeDomainName('_acme-challenge.example.com', 'name')).toBe('_acme-challenge.example.com');
	});

	it.each(['a.*.example.com', 'a..example.com', 'bücher.example.com', '*'])('refuses %s', (name) => {
		expect(validationFailure(() => normalizeDomainName(name, 'name')).field).toBe('name');
	});

	it('tells a zone id from a zone name', () => {
		expect(parseZoneRef('023e105f4ecef8ad9ca31a8372d0c353')).toEqual({ by: 'id', id: '023e105f4ecef8ad9ca31a8372d0c353' });
		expect(parseZoneRef('/hostedzone/Z0EXAMPLE1')).toEqual({ by: 'id', id: '/hostedzone/Z0EXAMPLE1' });
		expect(parseZoneRef('Example.com.')).toEqual({ by: 'name', name: 'example.com' });
		expect(validationFailure(() => parseZoneRef('zone id?')).field).toBe('zone');
	});

	it('accepts the zone apex as a name', () => {
		expect(validateUpsert({ zone: 'example.com', name: 'example.com', type: 'A', content: '203.0.113.10' }, 'route53').name).toBe('example.com');
	});

	it('refuses a name that only ends with the zone\'s text', () => {
		const error = validationFailure(() => validateUpsert({ zone: 'example.com', name: 'notexample.com', type: 'A', content: '203.0.113.10' }, 'cloudflare'));
		expect(error.field).toBe('name');
	});
});

describe('content', () => {
	it('writes IPv6 addresses and CNAME targets in one canonical form', () => {
		expect(normalizeContent('AAAA', '2001:DB8:0:0:0:0:0:10')).toBe('2001:db8::10');
		expect(normalizeContent('CNAME', 'LB.Host.NET.')).toBe('lb.host.net');
	});

	it('accepts the automatic TTL only for Cloudflare', () => {
		const input = { zone: 'example.com', name: 'a.example.com', type: 'A' as const, content: '203.0.113.10', ttl: 1 };
		expect(validateUpsert(input, 'cloudflare').ttl).toBe(1);
		expect(validationFailure(() => validateUpsert(input, 'route53')).field).toBe('ttl');
	});

	it('round-trips TXT text through Route 53 quoting, in 255-character strings', () => {
		const text = `say "hi" \\ ${'z'.repeat(600)}`;
		const quoted = quoteTxt(text);
		expect(quoted.split('" "')).toHaveLength(3);
		expect(unquoteTxt(quoted)).toBe(text);
		expect(unquoteTxt('not "entirely" quoted')).toBe('not "entirely" quoted');
	});
});
