import { inspect } from 'node:util';
import { ConnectorError } from '../../../core';
import { kindForAwsError, mapAwsError } from '../awsErrors';
import { InMemorySecretVault } from '../memoryVault';
import { checkBusinessKey, postgresName, quoteIdentifier, quoteLiteral, rdsIdentifier } from '../names';
import { generatePassword } from '../password';
import { SecretString } from '../secret';

const POSTGRES_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const RDS_IDENTIFIER = /^[a-z](?:-?[a-z0-9])*$/;
const KEYS = ['acme', 'Acme Corp', 'acme-corp', 'acme_corp', 'a--b', '!!!', 'tenant/42', 'ñandú', 'x'.repeat(120), 'y'.repeat(56)];

describe('names from business keys', () => {
	it('keeps a plain key readable', () => {
		expect(postgresName('acme')).toBe('tenant_acme');
		expect(postgresName('acme_corp_42')).toBe('tenant_acme_corp_42');
		expect(rdsIdentifier('acme')).toBe('tenant-acme');
		expect(rdsIdentifier('acme-corp-42')).toBe('tenant-acme-corp-42');
		expect(postgresName('acme', 'academy_')).toBe('academy_acme');
	});

	it('adds a hash of the key when it had to change it, so different keys never share a name', () => {
		const pg = KEYS.map((key) => postgresName(key));
		const rds = KEYS.map((key) => rdsIdentifier(key));
		expect(new Set(pg).size).toBe(KEYS.length);
		expect(new Set(rds).size).toBe(KEYS.length);
		expect(postgresName('Acme Corp')).toMatch(/^tenant_acme_corp_[0-9a-f]{8}$/);
		expect(rdsIdentifier('acme_corp')).toMatch(/^tenant-acme-corp-[0-9a-f]{8}$/);
		expect(postgresName('!!!')).toMatch(/^tenant_[0-9a-f]{8}$/);
	});

	it('always produces valid names of at most 63 characters, the same ones every time', () => {
		for (const key of KEYS) {
			expect(postgresName(key)).toMatch(POSTGRES_NAME);
			expect(rdsIdentifier(key)).toMatch(RDS_IDENTIFIER);
			expect(rdsIdentifier(key).length).toBeLessThanOrEqual(63);
			expect(postgresName(key)).toBe(postgresName(key));
		}
		expect(postgresName('x'.repeat(120))).toHaveLength(63);
		expect(postgresName('  acme  ')).toBe('tenant_acme');
	});

	it('rejects unusable keys and prefixes as validation errors naming the field', () => {
		for (const bad of ['', '  ', 'a\nb', 'z'.repeat(201), 42, undefined]) {
			expect(() => checkBusinessKey(bad)).toThrow(expect.objectContaining({ kind: 'validation', field: 'key' }));
		}
		expect(() => postgresName('acme', 'Tenant_')).toThrow(expect.objectContaining({ field: 'namePrefix' }));
		expect(() => postgresName('acme', 'pg_tenant_')).toThrow(expect.objectContaining({ field: 'namePrefix' }));
		expect(() => rdsIdentifier('acme', '1tenant-')).toThrow(expect.objectContaining({ field: 'identifierPrefix' }));
	});

	it('quotes identifiers and literals safely', () => {
		expect(quoteIdentifier('tenant_acme')).toBe('"tenant_acme"');
		for (const bad of ['a"b', 'Tenant', '1abc', 'a'.repeat(64), 'a b']) expect(() => quoteIdentifier(bad)).toThrow(expect.objectContaining({ kind: 'validation' }));
		expect(quoteLiteral("it's")).toBe("'it''s'");
		expect(() => quoteLiteral('a\u0000b')).toThrow(expect.objectContaining({ kind: 'validation' }));
	});
});

describe('SecretString and the in-memory vault', () => {
	it('shows "[redacted]" everywhere except reveal(), and masks the value in errors', () => {
		const secret = new SecretString('postgres://u:very-secret-pw@h/db');
		for (const shown of [JSON.stringify({ secret }), String(secret), `${secret}`, inspect({ secret })]) {
			expect(shown).not.toContain('very-secret-pw');
			expect(shown).toContain('[redacted]');
		}
		expect(secret.reveal()).toBe('postgres://u:very-secret-pw@h/db');
		expect(new ConnectorError('permanent', 'failed for postgres://u:very-secret-pw@h/db').message).not.toContain('very-secret-pw');
	});

	it('generates distinct URL-safe passwords that redaction knows', () => {
		const a = generatePassword();
		expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(generatePassword()).not.toBe(a);
		expect(new ConnectorError('permanent', `x ${a}`).message).not.toContain(a);
	});

	it('puts, keeps, overwrites, reads by name or reference, and deletes idempotently', async () => {
		const vault = new InMemorySecretVault();
		expect(await vault.put('db/a', 'first-value')).toEqual({ reference: 'memory:db/a', created: true });
		expect(await vault.put('db/a', 'second-value')).toEqual({ reference: 'memory:db/a', created: false });
		expect((await vault.get('db/a'))?.value.reveal()).toBe('first-value');
		await vault.put('db/a', 'third-value', { overwrite: true });
		expect((await vault.get('memory:db/a'))?.value.reveal()).toBe('third-value');
		await vault.delete('db/a');
		await vault.delete('db/a');
		expect(await vault.get('db/a')).toBeUndefined();
		await expect(vault.put('', 'x-value')).rejects.toMatchObject({ kind: 'validation', field: 'name' });
		await expect(vault.put('db/b', '')).rejects.toMatchObject({ kind: 'validation', field: 'value' });
	});
});

describe('AWS error names', () => {
	it.each([
		['AccessDeniedException', 400, 'auth'],
		['ExpiredTokenException', 403, 'auth'],
		['ThrottlingException', 400, 'rate_limited'],
		['Throttling', 400, 'rate_limited'],
		['InternalFailure', 500, 'transient'],
		['InvalidDBInstanceStateFault', 400, 'transient'],
		['DBInstanceNotFoundFault', 404, 'not_found'],
		['DBSubnetGroupNotFoundFault', 400, 'validation'],
		['DBInstanceAlreadyExistsFault', 400, 'conflict'],
		['InstanceQuotaExceededFault', 400, 'permanent'],
		['SomethingNew', 503, 'transient'],
		['SomethingNew', 400, 'validation'],
	] as const)('%s (%d) is %s', (name, status, kind) => {
		expect(kindForAwsError(name, status)).toBe(kind);
	});

	it('treats errors without an HTTP answer by what they are', () => {
		expect(mapAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'aws-rds', 'x').kind).toBe('transient');
		expect(mapAwsError(Object.assign(new Error('took too long'), { name: 'TimeoutError' }), 'aws-rds', 'x').kind).toBe('transient');
		expect(mapAwsError(new TypeError('undefined is not a function'), 'aws-rds', 'x').kind).toBe('permanent');
	});
});
