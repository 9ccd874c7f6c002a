import { generateKeyPairSync } from 'node:crypto';
import { VmfClient, type VmfClientOptions } from '../client';

export const PLATFORM = 'https://platform.vmf.test';
export const MARKETPLACE = 'https://marketplace.vmf.test';
export const VTM = 'https://vtm.vmf.test';
export const TOKEN = 'vmf-access-token-123456';

export const sleeps: number[] = [];

/** A client with fast, recorded sleeps so retry tests take no wall time. */
export function makeClient(overrides: Partial<VmfClientOptions> = {}): VmfClient {
	return new VmfClient({
		platformBaseUrl: PLATFORM,
		marketplaceBaseUrl: MARKETPLACE,
		vtmBaseUrl: VTM,
		accessToken: TOKEN,
		partnerId: 'ABC',
		retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 5_000, jitter: 0 },
		rateLimit: { perSecond: 1000, burst: 1000 },
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		...overrides,
	});
}

export function rsaKeyPair(): { publicKey: string; privateKey: string } {
	return generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
	});
}

export const ORDER_ID = 'AG-1234567:ORD-7654321';

export function orderDoc(overrides: Record<string, unknown> = {}, attributes: Record<string, unknown> = {}) {
	return {
		data: {
			id: ORDER_ID,
			type: 'orders',
			attributes: {
				statusCode: 'submitted',
				currencyCode: 'USD',
				lineItems: [
					{ sku: 'MP-123:EDITION-PRO', quantity: 2, amount: 5000, intervalCode: 'monthly', isPackage: false, containedInPackage: '' },
					{ sku: 'MP-999', quantity: 1, amount: 10000, intervalCode: 'onetime' },
					{ sku: 'MP-INNER', quantity: 1, amount: 0, intervalCode: 'monthly', containedInPackage: 'MP-123:EDITION-PRO' },
				],
				...attributes,
			},
			relationships: { businessLocation: { data: { id: 'AG-1234567', type: 'businessLocations' } } },
			...overrides,
		},
	};
}

export function customFieldsDoc(fields: Record<string, unknown>[] = defaultCustomFields()) {
	return { data: { id: ORDER_ID, type: 'orderCustomFields', attributes: { partnerFields: fields } } };
}

export function defaultCustomFields(): Record<string, unknown>[] {
	return [
		{ externalId: 'q2c-customer-name', stringValue: 'King Me Cafe', fieldType: 'string' },
		{ externalId: 'q2c-customer-email', stringValue: 'owner@kingme.example', fieldType: 'string' },
		{ externalId: 'q2c-customer-country', stringValue: 'ca', fieldType: 'string' },
		{ fieldID: 'FieldID-term', title: 'Q2C Term Months', integerValue: 12, fieldType: 'integer' },
		{ externalId: 'q2c-signed-at', dateValue: '2024-05-01T10:00:00Z', fieldType: 'date' },
		{ externalId: 'q2c-signer-email', stringValue: 'ceo@kingme.example' },
		{ externalId: 'q2c-approvals', stringValue: 'finance:fin@vendor.example:2024-05-01T09:00:00Z; legal:legal@vendor.example' },
		{ externalId: 'q2c-jurisdiction', stringValue: 'CA' },
		{ externalId: 'q2c-tier', dropdownValue: { value: 'World Class', label: 'World Class' } },
	];
}
