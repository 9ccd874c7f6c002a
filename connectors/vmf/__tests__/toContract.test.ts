import { isConnectorError } from '../../core';
import { contractSchema } from '../schemas/contract';
import { orderSchema, type PartnerField } from '../schemas/order';
import { toContract } from '../orders/toContract';
import { defaultCustomFields, ORDER_ID, orderDoc } from './fixtures';

const order = (attributes: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) => orderSchema.parse(orderDoc(overrides, attributes).data);
const fields = (patch: (list: Record<string, unknown>[]) => Record<string, unknown>[] = (l) => l) => patch(defaultCustomFields()) as PartnerField[];
const without = (key: string) => fields((list) => list.filter((f) => f.externalId !== key && f.title !== key));

function fieldOf(fn: () => unknown): string | undefined {
	try {
		fn();
	} catch (error) {
		if (isConnectorError(error)) return error.field;
		throw error;
	}
	throw new Error('expected a validation error');
}

describe('toContract', () => {
	it('maps an order and its custom fields into the normalized contract', () => {
		const contract = toContract(order(), fields(), { partnerId: 'ABC' });
		expect(contract).toEqual({
			businessKey: ORDER_ID,
			orderId: ORDER_ID,
			partnerId: 'ABC',
			accountGroupId: 'AG-1234567',
			status: 'submitted',
			customer: { name: 'King Me Cafe', email: 'owner@kingme.example', country: 'CA' },
			currency: 'usd',
			lineItems: [
				{ sku: 'MP-123:EDITION-PRO', appId: 'MP-123', editionId: 'EDITION-PRO', quantity: 2, unitAmount: 5000, interval: 'month' },
				{ sku: 'MP-999', appId: 'MP-999', quantity: 1, unitAmount: 10000, interval: 'one_time' },
			],
			totalAmount: 10000,
			termMonths: 12,
			signature: { signed: true, signedAt: '2024-05-01T10:00:00Z', signerEmail: 'ceo@kingme.example' },
			approvals: [
				{ role: 'finance', approvedBy: 'fin@vendor.example', approvedAt: '2024-05-01T09:00:00Z' },
				{ role: 'legal', approvedBy: 'legal@vendor.example' },
			],
			jurisdiction: 'CA',
			tier: 'world_class',
		});
		expect(contractSchema.safeParse(contract).success).toBe(true);
	});

	it('prefers the q2c-partner-id field and accepts JSON approvals and an explicit signed flag', () => {
		const list = fields((l) => [
			...l.filter((f) => f.externalId !== 'q2c-approvals' && f.externalId !== 'q2c-signed-at'),
			{ externalId: 'q2c-partner-id', stringValue: 'PARTNER-9' },
			{ externalId: 'q2c_signed', stringValue: 'no' },
			{ externalId: 'q2c-approvals', stringValue: '[{"role":"cfo","approvedBy":"cfo@x.example"}]' },
		]);
		const contract = toContract(order(), list, { partnerId: 'ABC' });
		expect(contract.partnerId).toBe('PARTNER-9');
		expect(contract.signature).toEqual({ signed: false, signedAt: undefined, signerEmail: 'ceo@kingme.example' });
		expect(contract.approvals).toEqual([{ role: 'cfo', approvedBy: 'cfo@x.example' }]);
	});

	it('sums only one-time items when nothing recurs, and derives the account group from the id', () => {
		const o = order({ lineItems: [{ sku: 'MP-1', quantity: 3, amount: 700, intervalCode: 'onetime' }] }, { relationships: undefined });
		const contract = toContract(o, fields(), { partnerId: 'ABC' });
		expect(contract.totalAmount).toBe(2100);
		expect(contract.accountGroupId).toBe('AG-1234567');
	});

	it('an empty approvals field means no approvals', () => {
		const list = fields((l) => l.map((f) => (f.externalId === 'q2c-approvals' ? { ...f, stringValue: '' } : f)));
		expect(toContract(order(), list, { partnerId: 'ABC' }).approvals).toEqual([]);
	});

	it.each([
		['q2c-customer-email', 'customFields.q2c-customer-email'],
		['q2c-customer-name', 'customFields.q2c-customer-name'],
		['Q2C Term Months', 'customFields.q2c-term-months'],
		['q2c-approvals', 'customFields.q2c-approvals'],
		['q2c-signed-at', 'customFields.q2c-signed-at'],
	])('names the missing custom field %s', (key, field) => {
		expect(fieldOf(() => toContract(order(), without(key), { partnerId: 'ABC' }))).toBe(field);
	});

	it('names a missing partner id', () => {
		expect(fieldOf(() => toContract(order(), fields()))).toBe('customFields.q2c-partner-id');
	});

	it('names a line item without a price or interval, and an order without priced items', () => {
		expect(fieldOf(() => toContract(order({ lineItems: [{ sku: 'MP-1', intervalCode: 'monthly' }] }), fields(), { partnerId: 'A' }))).toBe('order.attributes.lineItems.0.amount');
		expect(fieldOf(() => toContract(order({ lineItems: [{ sku: 'MP-1', amount: 5, intervalCode: '' }] }), fields(), { partnerId: 'A' }))).toBe('order.attributes.lineItems.0.intervalCode');
		expect(fieldOf(() => toContract(order({ lineItems: [] }), fields(), { partnerId: 'A' }))).toBe('order.attributes.lineItems');
		expect(fieldOf(() => toContract(order({ currencyCode: undefined }), fields(), { partnerId: 'A' }))).toBe('order.attributes.currencyCode');
	});

	it('rejects bad values with the field named', () => {
		const bad = (key: string, value: Record<string, unknown>) => fields((l) => [...l.filter((f) => f.externalId !== key && f.title !== 'Q2C Term Months'), { externalId: key, ...value }, ...(key === 'q2c-term-months' ? [] : [{ externalId: 'q2c-term-months', integerValue: 12 }])]);
		expect(fieldOf(() => toContract(order(), bad('q2c-term-months', { stringValue: 'twelve' }), { partnerId: 'A' }))).toBe('customFields.q2c-term-months');
		expect(fieldOf(() => toContract(order(), bad('q2c-signed', { stringValue: 'maybe' }), { partnerId: 'A' }))).toBe('customFields.q2c-signed');
		expect(fieldOf(() => toContract(order(), bad('q2c-approvals', { stringValue: '[not json' }), { partnerId: 'A' }))).toBe('customFields.q2c-approvals');
		expect(fieldOf(() => toContract(order(), bad('q2c-customer-email', { stringValue: 'not-an-email' }), { partnerId: 'A' }))).toBe('contract.customer.email');
		expect(fieldOf(() => toContract(order(), bad('q2c-customer-country', { stringValue: 'Canada' }), { partnerId: 'A' }))).toBe('contract.customer.country');
	});
});
