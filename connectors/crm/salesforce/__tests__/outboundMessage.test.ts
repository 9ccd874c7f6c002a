import { buildOutboundMessage, outboundMessageAck, outboundMessageFault, parseOutboundMessage, verifyOutboundMessage, type OutboundMessage } from '../outboundMessage';
import { REDACTED, registerSecret } from '../../../core';

const ORG18 = '00D5e000000AbCdEAA';
const ORG15 = ORG18.slice(0, 15);

function sample() {
	return buildOutboundMessage({
		organizationId: ORG18,
		actionId: '04k5e000000AbCdAAK',
		notifications: [
			{ id: '04l5e000000AAAAAA1', fields: { Id: '0065e000000AAAAAA1', StageName: 'Closed Won', Amount: 1200.5, IsWon: true, Name: 'Acme <EU> & "Co"' } },
			{ id: '04l5e000000AAAAAA2', sObjectType: 'Account', fields: { Id: '0015e000000AAAAAA2', Name: 'Acme' } },
		],
	});
}

describe('parseOutboundMessage', () => {
	it('parses several notifications with their fields, types and ids (string or Buffer)', async () => {
		for (const input of [sample(), Buffer.from(`\uFEFF${sample()}`)]) {
			const message = await parseOutboundMessage(input);
			expect(message.organizationId).toBe(ORG18);
			expect(message.actionId).toBe('04k5e000000AbCdAAK');
			expect(message.enterpriseUrl).toContain('/services/Soap/c/62.0/');
			expect(message.partnerUrl).toContain('/services/Soap/u/62.0/');
			expect(message.notifications).toEqual([
				{
					id: '04l5e000000AAAAAA1',
					sObjectType: 'Opportunity',
					recordId: '0065e000000AAAAAA1',
					fields: { Id: '0065e000000AAAAAA1', StageName: 'Closed Won', Amount: '1200.5', IsWon: 'true', Name: 'Acme <EU> & "Co"' },
				},
				{ id: '04l5e000000AAAAAA2', sObjectType: 'Account', recordId: '0015e000000AAAAAA2', fields: { Id: '0015e000000AAAAAA2', Name: 'Acme' } },
			]);
		}
	});

	it('reads Salesforce\'s own prefixes and nil fields, and masks a sent session id', async () => {
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${ORG18}</OrganizationId>
   <SessionId>00D!AQ0AQLiveSessionIdValue</SessionId>
   <Notification>
    <Id>04l5e000000AAAAAA1</Id>
    <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>0065e000000AAAAAA1</sf:Id>
     <sf:Description xsi:nil="true"/>
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
		const message = await parseOutboundMessage(xml);
		expect(message.notifications[0].fields).toEqual({ Id: '0065e000000AAAAAA1', Description: '' });
		expect(message.actionId).toBeUndefined();
		expect(JSON.stringify(message)).not.toContain('LiveSessionIdValue');
		expect(outboundMessageFault('echo 00D!AQ0AQLiveSessionIdValue')).toContain(REDACTED);
	});

	it.each([
		['', 'body'],
		['<not xml', 'body'],
		['<a><b></a>', 'body'],
		['<root/>', 'Envelope'],
		['<soapenv:Envelope xmlns:soapenv="x"/>', 'Envelope.Body'],
		['<soapenv:Envelope xmlns:soapenv="x"><soapenv:Body><other/></soapenv:Body></soapenv:Envelope>', 'Body.notifications'],
		['<E><Body><notifications><OrganizationId>nope</OrganizationId></notifications></Body></E>'.replace(/E>/g, 'Envelope>').replace('<E>', '<Envelope>'), 'notifications.OrganizationId'],
		[`<Envelope><Body><notifications><OrganizationId>${ORG18}</OrganizationId></notifications></Body></Envelope>`, 'notifications.Notification'],
		[`<Envelope><Body><notifications><OrganizationId>${ORG18}</OrganizationId><Notification><sObject/></Notification></notifications></Body></Envelope>`, 'notifications.Notification.0.Id'],
		[`<Envelope><Body><notifications><OrganizationId>${ORG18}</OrganizationId><Notification><Id>04l</Id></Notification></notifications></Body></Envelope>`, 'notifications.Notification.0.sObject'],
		[`<Envelope><Body><notifications><OrganizationId>${ORG18}</OrganizationId><Notification><Id>04l</Id><sObject><Name>x</Name></sObject></Notification></notifications></Body></Envelope>`, 'notifications.Notification.0.sObject.Id'],
	])('rejects malformed input %#, naming %s', async (xml, field) => {
		await expect(parseOutboundMessage(xml)).rejects.toMatchObject({ kind: 'validation', field });
	});

	it('refuses field names that are not API names when building', () => {
		expect(() => buildOutboundMessage({ organizationId: ORG18, notifications: [{ id: '04l', fields: { 'a><b': 'x' } }] })).toThrow(/fields/);
	});
});

describe('ack and fault', () => {
	it('acks with notificationsResponse and faults with an escaped faultstring', () => {
		expect(outboundMessageAck()).toContain('<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>');
		expect(outboundMessageAck(false)).toContain('<Ack>false</Ack>');
		const fault = outboundMessageFault('deal <006> & "x" unavailable');
		expect(fault).toContain('<faultcode>soapenv:Server</faultcode>');
		expect(fault).toContain('<faultstring>deal &lt;006&gt; &amp; &quot;x&quot; unavailable</faultstring>');
		registerSecret('super-secret-token-value');
		expect(outboundMessageFault('bad super-secret-token-value')).not.toContain('super-secret-token-value');
	});
});

describe('verifyOutboundMessage', () => {
	const message: OutboundMessage = { organizationId: ORG18, notifications: [] };

	it('accepts the current or the previous token, and the org by its 15- or 18-character id', () => {
		expect(verifyOutboundMessage({ message, presentedToken: 'tok-new', tokens: ['tok-new', 'tok-old'] }).ok).toBe(true);
		expect(verifyOutboundMessage({ message, presentedToken: 'tok-old', tokens: [undefined, 'tok-new', 'tok-old'], organizationId: ORG15 }).ok).toBe(true);
		expect(verifyOutboundMessage({ message: { ...message, organizationId: ORG15 }, presentedToken: 'tok-new', tokens: ['tok-new'], organizationId: ORG18 }).ok).toBe(true);
	});

	it('rejects a wrong or missing token, no configured token, and another org', () => {
		const reason = (r: ReturnType<typeof verifyOutboundMessage>) => (r.ok ? 'ok' : r.reason);
		expect(reason(verifyOutboundMessage({ message, presentedToken: 'tok-wrong', tokens: ['tok-new'] }))).toBe('token does not match');
		expect(reason(verifyOutboundMessage({ message, presentedToken: 'tok-new', tokens: ['tok-new2'] }))).toBe('token does not match');
		expect(reason(verifyOutboundMessage({ message, presentedToken: undefined, tokens: ['tok-new'] }))).toMatch(/no token/);
		expect(reason(verifyOutboundMessage({ message, presentedToken: 'tok-new', tokens: [] }))).toMatch(/no outbound message token is configured/);
		expect(reason(verifyOutboundMessage({ message, presentedToken: '', tokens: ['', undefined] }))).toMatch(/configured/);
		expect(reason(verifyOutboundMessage({ message, presentedToken: 'tok-new', tokens: ['tok-new'], organizationId: '00D5e000000ZZZZ' }))).toBe('organization id does not match');
		expect(reason(verifyOutboundMessage({ message, presentedToken: 'tok-new', tokens: ['tok-new'], organizationId: 'org' }))).toMatch(/configured organization id/);
	});
});
