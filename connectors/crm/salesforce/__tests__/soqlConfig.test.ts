import { createSalesforceCrm } from '../crm';
import { checkFieldNames, soqlDateTime, soqlLikeContains, soqlString } from '../soql';
import { hostOf, isoTimestamp, toMinorUnits } from '../mapping';
import { CLIENT_ID, LOGIN, REFRESH_TOKEN, rsaKeys } from './helpers';

describe('SOQL literals', () => {
	it('quotes and escapes every reserved character', () => {
		expect(soqlString("O'Brien")).toBe("'O\\'Brien'");
		expect(soqlString('a\\b')).toBe("'a\\\\b'");
		expect(soqlString('say "hi"')).toBe("'say \\\"hi\\\"'");
		expect(soqlString('l1\nl2\r\t\b\f')).toBe("'l1\\nl2\\r\\t\\b\\f'");
		expect(soqlString('50%_off')).toBe("'50%_off'");
		expect(soqlString("\\' OR Name != '")).toBe("'\\\\\\' OR Name != \\''");
		expect(() => soqlString(5 as unknown as string)).toThrow(/value/);
	});

	it('escapes LIKE wildcards in contains patterns', () => {
		expect(soqlLikeContains('50%_off')).toBe("'%50\\%\\_off%'");
		expect(soqlLikeContains("a\\'")).toBe("'%a\\\\\\'%'");
	});

	it('formats datetimes as unquoted UTC literals floored to the second', () => {
		expect(soqlDateTime('2026-11-22T07:00:00Z')).toBe('2026-11-22T07:00:00Z');
		expect(soqlDateTime('2026-11-22T07:00:00.999Z')).toBe('2026-11-22T07:00:00Z');
		expect(soqlDateTime('2026-11-22T08:30:00+01:30')).toBe('2026-11-22T07:00:00Z');
		for (const bad of ['', 'now', '1700000000', 'not-a-dateTx', '2026-13-45T00:00:00Z']) expect(() => soqlDateTime(bad)).toThrow(/since/);
	});

	it('accepts only field API names', () => {
		expect(checkFieldNames(['Name', 'Subscription_Id__c', 'Account.Name'], 'f')).toEqual(['Name', 'Subscription_Id__c', 'Account.Name']);
		for (const bad of ['', '1x', 'Name,Id', 'a.b.c', "x'"]) expect(() => checkFieldNames([bad], 'f')).toThrow(/"f\.0"/);
	});
});

describe('mapping helpers', () => {
	it('normalises timestamps, hosts and minor units', () => {
		expect(isoTimestamp('2026-11-22T07:00:00.000+0000')).toBe('2026-11-22T07:00:00.000Z');
		expect(isoTimestamp('2026-11-22T09:00:00.000+0200')).toBe('2026-11-22T07:00:00.000Z');
		expect(isoTimestamp(null)).toBe('');
		expect(hostOf('ops@sub.acme.com')).toBe('sub.acme.com');
		expect(hostOf('http://[::1')).toBeUndefined();
		expect(toMinorUnits(0.29, 'usd')).toBe(29);
		expect(toMinorUnits(1000, 'krw')).toBe(1000);
	});
});

describe('configuration', () => {
	const base = { auth: 'refreshToken' as const, loginUrl: LOGIN, clientId: CLIENT_ID, refreshToken: REFRESH_TOKEN, apiVersion: '62.0' };

	it('accepts both flows, https anywhere and http on loopback only', () => {
		expect(createSalesforceCrm(base).client.config).toMatchObject({ loginUrl: LOGIN, dailyLimitReserve: 0.1, timeoutMs: 30_000, apiVersion: '62.0' });
		expect(createSalesforceCrm({ ...base, loginUrl: 'http://127.0.0.1:8080/' }).client.config.loginUrl).toBe('http://127.0.0.1:8080');
		expect(createSalesforceCrm({ ...base, loginUrl: 'http://localhost:1' }).client.config.loginUrl).toBe('http://localhost:1');
		const { privateKey } = rsaKeys();
		const jwt = createSalesforceCrm({ ...base, refreshToken: undefined, auth: 'jwtBearer', username: 'u@x.com', privateKey: privateKey.replace(/\n/g, '\\n') });
		expect(jwt.client.config.privateKey).toBe(privateKey);
		expect(jwt.name).toBe('salesforce');
	});

	it('rejects bad settings naming the field, never echoing secrets', () => {
		const field = (config: object) => {
			try {
				createSalesforceCrm(config as never);
				return 'accepted';
			} catch (error) {
				return (error as { field?: string }).field;
			}
		};
		expect(field({ ...base, apiVersion: '62' })).toBe('credentials.apiVersion');
		expect(field({ ...base, apiVersion: 'v62.0' })).toBe('credentials.apiVersion');
		expect(field({ ...base, loginUrl: 'http://login.salesforce.com' })).toBe('credentials.loginUrl');
		expect(field({ ...base, instanceUrl: 'ftp://x' })).toBe('credentials.instanceUrl');
		expect(field({ ...base, clientId: ' ' })).toBe('credentials.clientId');
		expect(field({ ...base, refreshToken: undefined })).toBe('credentials.refreshToken');
		expect(field({ ...base, dailyLimitReserve: 1.5 })).toBe('credentials.dailyLimitReserve');
		expect(field({ ...base, auth: 'password' })).toBe('credentials.auth');
		expect(field({ ...base, auth: 'jwtBearer', privateKey: 'x' })).toBe('credentials.username');
		expect(field({ ...base, auth: 'jwtBearer', username: 'u' })).toBe('credentials.privateKey');
		let message = '';
		try {
			createSalesforceCrm({ ...base, auth: 'jwtBearer', username: 'u', privateKey: 'not-a-pem-secret-key' });
		} catch (error) {
			message = JSON.stringify((error as { toJSON(): unknown }).toJSON());
		}
		expect(message).toContain('credentials.privateKey');
		expect(message).not.toContain('not-a-pem-secret-key');
		const { privateKey: ec } = require('node:crypto').generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
		expect(field({ ...base, auth: 'jwtBearer', username: 'u', privateKey: ec })).toBe('credentials.privateKey');
	});
});
