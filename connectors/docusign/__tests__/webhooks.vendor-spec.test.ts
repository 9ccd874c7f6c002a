/**
 * DocuSign's published Connect JSON SIM sample payload through our parser. The sample is a vendor file: it is read
 * only with the vendor-spec layer on (Q2C_VENDOR_SPECS), and the suite is reported as skipped without it. The
 * always-run tests (webhooks.test.ts) use a payload written from DocuSign's documentation.
 */
import { readFileSync } from 'node:fs';
import { describeWithVendorSpecs, vendorSpecFile } from '../../../test/support/vendorSpecs';
import { parseConnectEvent, signConnectPayload, verifyConnectSignature } from '..';

describeWithVendorSpecs('parseConnectEvent on DocuSign’s published Connect sample', () => {
	const text = () => readFileSync(vendorSpecFile('docusignConnectSample') as string, 'utf8');

	it('parses the published sample payload', () => {
		const sample = JSON.parse(text());
		// The sample leaves event and generatedDateTime empty: a listener never receives them so.
		sample.event = 'envelope-sent';
		sample.generatedDateTime = '2026-03-01T00:00:00Z';
		const event = parseConnectEvent(sample);
		expect(event.envelopeId).toBe('sample string');
		expect(event.customFields['sample string 2']).toBe('sample string 5');
		expect(event.recipients[0]).toMatchObject({ type: 'signer', roleName: 'sample string 31', status: 'sample string 32' });
		expect(event.dedupeKey).toBe('sample string:envelope-sent:2026-03-01T00:00:00Z');
	});

	it('verifies a signature over the sample’s raw bytes (a ~150 kB body)', () => {
		const raw = text();
		const headers = { 'X-DocuSign-Signature-1': signConnectPayload(raw, 'connect-hmac-key-A-0123456789') };
		expect(verifyConnectSignature({ rawBody: Buffer.from(raw, 'utf8'), headers, secrets: ['connect-hmac-key-A-0123456789'] }).ok).toBe(true);
	});
});
