import { parseInput, validationError } from '../../core';
import { VMF_VENDOR } from '../errors';
import { contractSchema, type Approval, type Contract, type ContractLineItem, type Interval } from '../schemas/contract';
import type { Order, PartnerField } from '../schemas/order';

/**
 * Order custom fields (Partner Center → Administration → Custom Fields) that carry the contract terms
 * the public order shape lacks. A field matches by `externalId`, then `fieldID`, then `title`, compared
 * case-insensitively with spaces/underscores read as hyphens ("Q2C Term Months" matches too).
 */
export const CONTRACT_FIELDS = {
	customerName: 'q2c-customer-name',
	customerEmail: 'q2c-customer-email',
	customerCountry: 'q2c-customer-country',
	partnerId: 'q2c-partner-id',
	termMonths: 'q2c-term-months',
	signed: 'q2c-signed',
	signedAt: 'q2c-signed-at',
	signerEmail: 'q2c-signer-email',
	/** JSON `[{"role":"finance","approvedBy":"…","approvedAt":"…"}]` or `finance:alice@x.com:2024-05-01T10:00:00Z; legal:bob@x.com`. */
	approvals: 'q2c-approvals',
	jurisdiction: 'q2c-jurisdiction',
	tier: 'q2c-tier',
} as const;

export interface ToContractOptions {
	/** Partner that owns the order when no `q2c-partner-id` custom field is set (the credential's partner). */
	partnerId?: string;
}

const INTERVALS: Record<string, Interval> = { monthly: 'month', yearly: 'year', onetime: 'one_time', month: 'month', year: 'year', one_time: 'one_time' };

/** Maps a Platform API order plus its custom fields into the normalized contract; names the missing field otherwise. */
export function toContract(order: Order, customFields: PartnerField[] = [], options: ToContractOptions = {}): Contract {
	const fields = new CustomFields(customFields);
	const lineItems = mapLineItems(order);
	const recurring = lineItems.filter((item) => item.interval !== 'one_time');
	const totalAmount = (recurring.length > 0 ? recurring : lineItems).reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
	const signedAt = fields.text(CONTRACT_FIELDS.signedAt);
	const signedFlag = fields.bool(CONTRACT_FIELDS.signed);
	if (signedFlag === undefined && signedAt === undefined) {
		throw missing(CONTRACT_FIELDS.signedAt, `the signature date (or a "${CONTRACT_FIELDS.signed}" yes/no field)`);
	}
	const draft = {
		businessKey: order.id,
		orderId: order.id,
		partnerId: fields.text(CONTRACT_FIELDS.partnerId) ?? options.partnerId ?? missingValue(CONTRACT_FIELDS.partnerId, 'the partner id (or set it on the VMF credential)'),
		accountGroupId: order.relationships?.businessLocation?.data?.id ?? (order.id.includes(':') ? order.id.split(':')[0] : undefined),
		status: order.attributes.statusCode ?? 'processing',
		customer: {
			name: fields.text(CONTRACT_FIELDS.customerName) ?? missingValue(CONTRACT_FIELDS.customerName, 'the customer name'),
			email: fields.text(CONTRACT_FIELDS.customerEmail) ?? missingValue(CONTRACT_FIELDS.customerEmail, 'the customer email'),
			country: fields.text(CONTRACT_FIELDS.customerCountry),
		},
		currency: order.attributes.currencyCode ?? missingOrderField('currencyCode', 'a three-letter ISO currency code'),
		lineItems,
		totalAmount,
		termMonths: fields.integer(CONTRACT_FIELDS.termMonths) ?? missingValue(CONTRACT_FIELDS.termMonths, 'the contract term in whole months'),
		signature: { signed: signedFlag ?? true, signedAt, signerEmail: fields.text(CONTRACT_FIELDS.signerEmail) },
		approvals: parseApprovals(fields.text(CONTRACT_FIELDS.approvals), fields.has(CONTRACT_FIELDS.approvals)),
		jurisdiction: fields.text(CONTRACT_FIELDS.jurisdiction),
		tier: fields.text(CONTRACT_FIELDS.tier)?.toLowerCase().replace(/[\s-]+/g, '_'),
	};
	return parseInput(contractSchema, draft, 'contract', VMF_VENDOR);
}

function mapLineItems(order: Order): ContractLineItem[] {
	const items: ContractLineItem[] = [];
	order.attributes.lineItems.forEach((item, index) => {
		// Products inside a package carry no price of their own; the package line item does.
		if (item.containedInPackage) return;
		const at = `order.attributes.lineItems.${index}`;
		if (typeof item.amount !== 'number') throw validationError(`${at}.amount`, 'the unit price in cents', item.amount, VMF_VENDOR);
		const interval = INTERVALS[(item.intervalCode ?? '').toLowerCase()];
		if (!interval) throw validationError(`${at}.intervalCode`, 'one of "monthly", "yearly", "onetime"', item.intervalCode, VMF_VENDOR);
		const [first, second] = item.sku.split(':');
		items.push({
			sku: item.sku,
			appId: first?.startsWith('MP-') ? first : undefined,
			editionId: second || undefined,
			description: item.name ?? item.description,
			quantity: item.quantity ?? 1,
			unitAmount: item.amount,
			interval,
		});
	});
	if (items.length === 0) throw validationError('order.attributes.lineItems', 'at least one priced line item', order.attributes.lineItems, VMF_VENDOR);
	return items;
}

function parseApprovals(text: string | undefined, present: boolean): Approval[] {
	if (!present) throw missing(CONTRACT_FIELDS.approvals, 'the approvals, e.g. "finance:alice@example.com" (may be empty)');
	if (!text) return [];
	if (text.trim().startsWith('[')) {
		try {
			return JSON.parse(text) as Approval[];
		} catch {
			throw validationError(`customFields.${CONTRACT_FIELDS.approvals}`, 'a JSON array of {role, approvedBy, approvedAt}', text, VMF_VENDOR);
		}
	}
	return text
		.split(/[;,\n]/)
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const [role, rest] = splitOnce(part);
			const [approvedBy, approvedAt] = rest === undefined ? [undefined, undefined] : splitOnce(rest);
			return { role, approvedBy: approvedBy || undefined, approvedAt: approvedAt || undefined };
		});
}

function splitOnce(text: string): [string, string | undefined] {
	const index = text.indexOf(':');
	return index < 0 ? [text.trim(), undefined] : [text.slice(0, index).trim(), text.slice(index + 1).trim()];
}

function missing(key: string, what: string) {
	return validationError(`customFields.${key}`, `${what} in the order custom field with externalId "${key}"`, undefined, VMF_VENDOR);
}

function missingValue(key: string, what: string): never {
	throw missing(key, what);
}

function missingOrderField(name: string, what: string): never {
	throw validationError(`order.attributes.${name}`, what, undefined, VMF_VENDOR);
}

const normalize = (key: string) => key.trim().toLowerCase().replace(/[\s_]+/g, '-');

/** Looks custom fields up by their normalized externalId / fieldID / title. */
class CustomFields {
	private readonly byKey = new Map<string, PartnerField>();

	constructor(fields: PartnerField[]) {
		// Titles first so an exact externalId/fieldID match wins over a title match.
		for (const field of fields) if (field.title) this.byKey.set(normalize(field.title), field);
		for (const field of fields) for (const id of [field.fieldID, field.fieldId, field.externalId]) if (id) this.byKey.set(normalize(id), field);
	}

	has(key: string): boolean {
		return this.byKey.has(key);
	}

	private raw(key: string): unknown {
		const field = this.byKey.get(key);
		if (!field) return undefined;
		const dropdown = field.dropdownValue as { value?: unknown } | string | undefined;
		const values = [field.stringValue, field.integerValue, field.dateValue, field.booleanValue, typeof dropdown === 'object' && dropdown ? dropdown.value : dropdown];
		return values.find((v) => v !== undefined && v !== null && v !== '');
	}

	text(key: string): string | undefined {
		const value = this.raw(key);
		return value === undefined ? undefined : String(value).trim() || undefined;
	}

	integer(key: string): number | undefined {
		const value = this.raw(key);
		if (value === undefined) return undefined;
		const n = typeof value === 'number' ? value : Number(String(value).trim());
		if (!Number.isInteger(n) || n <= 0) throw validationError(`customFields.${key}`, 'a positive whole number', value, VMF_VENDOR);
		return n;
	}

	bool(key: string): boolean | undefined {
		const value = this.raw(key);
		if (value === undefined) return undefined;
		if (typeof value === 'boolean') return value;
		const text = String(value).trim().toLowerCase();
		if (['true', 'yes', 'y', '1', 'signed'].includes(text)) return true;
		if (['false', 'no', 'n', '0', 'unsigned'].includes(text)) return false;
		throw validationError(`customFields.${key}`, 'yes or no', value, VMF_VENDOR);
	}
}
