// @ts-check
'use strict';

const crypto = require('node:crypto');
const { createPrice, createProduct } = require('./stripe/catalog');

/**
 * A signed VMF order as the main template expects it: line items priced in cents, the contract terms in order
 * custom fields (keys of connectors/vmf/orders/toContract.ts CONTRACT_FIELDS), open VTM tasks, and the Stripe
 * catalog prices behind the Config node's priceMapping lookup keys. The defaults pass the template's policy
 * (US, finance approval, signed, 12 months, under the 5,000,000 cap); overrides make blocked or malformed orders.
 */

/** Custom field externalIds, by override name. */
const FIELD_KEYS = {
	customerName: 'q2c-customer-name',
	customerEmail: 'q2c-customer-email',
	customerCountry: 'q2c-customer-country',
	partnerId: 'q2c-partner-id',
	termMonths: 'q2c-term-months',
	signed: 'q2c-signed',
	signedAt: 'q2c-signed-at',
	signerEmail: 'q2c-signer-email',
	approvals: 'q2c-approvals',
	jurisdiction: 'q2c-jurisdiction',
	tier: 'q2c-tier',
};

/** The Config node's priceMapping lookup keys and the catalog price each stands for. */
const CATALOG = [
	{ lookupKey: 'platform_monthly', product: 'Platform', sku: 'MP-PLATFORM', unitAmount: 49900, interval: 'month' },
	{ lookupKey: 'seat_monthly', product: 'Seat', sku: 'MP-SEATS', unitAmount: 1500, interval: 'month' },
	{ lookupKey: 'onboarding_fee', product: 'Onboarding', sku: 'MP-ONBOARDING', unitAmount: 25000, interval: null },
];

const DEFAULT_LINE_ITEMS = [
	{ sku: 'MP-PLATFORM', name: 'Platform (Professional)', quantity: 1, amount: 49900, intervalCode: 'monthly' },
	{ sku: 'MP-SEATS', name: 'Coach seats', quantity: 10, amount: 1500, intervalCode: 'monthly' },
];
const DEFAULT_TASKS = ['Configure billing account', 'Schedule onboarding call'];
const INTERVALS = { monthly: 'month', yearly: 'year', onetime: 'one_time' };

/** @typedef {Partial<Record<keyof typeof FIELD_KEYS, unknown>> & { orderId?: string, accountGroupId?: string, currency?: string,
 *   status?: string, lineItems?: any[], tasks?: (string | { title: string, status?: string })[], customFields?: any[], activationId?: string }} SeedOverrides */

/** @param {string} key @param {unknown} value */
function partnerField(key, value) {
	const base = { fieldID: `FieldID-${key}`, externalId: key, title: key.replace(/^q2c-/, 'Q2C ').replace(/-/g, ' '), description: `Quote-to-cash: ${key}` };
	if (typeof value === 'number') return { ...base, fieldType: 'integer', integerValue: value };
	return { ...base, fieldType: 'string', stringValue: String(value) };
}

/**
 * Build the order, its custom fields and tasks (pure; stores nothing).
 * @param {SeedOverrides} overrides @param {{ partnerId: string, now?: Date }} context
 */
function buildSignedOrder(overrides, context) {
	const now = context.now || new Date();
	const suffix = crypto.randomBytes(4).toString('hex').toUpperCase();
	const accountGroupId = overrides.accountGroupId || (overrides.orderId ? overrides.orderId.split(':')[0] : `AG-${suffix}`);
	const orderId = overrides.orderId || `${accountGroupId}:ORD-${suffix}`;
	const signedAt = new Date(now.getTime() - 3600 * 1000).toISOString();
	/** @type {Record<string, unknown>} */
	const values = {
		customerName: 'Acme Fitness LLC',
		customerEmail: `owner+${suffix.toLowerCase()}@acme-fitness.example`,
		customerCountry: 'US',
		partnerId: context.partnerId,
		termMonths: 12,
		signed: 'yes',
		signedAt,
		signerEmail: 'ceo@acme-fitness.example',
		approvals: [{ role: 'finance', approvedBy: 'cfo@partner.example', approvedAt: signedAt }],
		jurisdiction: 'US',
		tier: 'professional',
	};
	for (const name of Object.keys(FIELD_KEYS)) if (name in overrides) values[name] = /** @type {any} */ (overrides)[name];
	/** @type {any[]} */
	const customFields = [];
	for (const [name, key] of Object.entries(FIELD_KEYS)) {
		const value = values[name];
		if (value === null || value === undefined) continue; // dropped: the connector names the missing field
		const text = Array.isArray(value) ? (value.length ? JSON.stringify(value) : '') : value;
		customFields.push(partnerField(key, text));
	}
	customFields.push(...(overrides.customFields || []));
	const lineItems = overrides.lineItems || DEFAULT_LINE_ITEMS;
	const currency = overrides.currency === undefined ? 'USD' : overrides.currency;
	const order = {
		id: orderId,
		type: 'orders',
		attributes: {
			statusCode: overrides.status || 'processing',
			...(currency === null ? {} : { currencyCode: currency }),
			lineItems: lineItems.map((item) => ({ productId: String(item.sku).split(':')[0], ...item })),
			created: now.toISOString(),
			notes: 'Seeded by the quote-to-cash sandbox',
		},
		relationships: {
			businessLocation: { data: { id: accountGroupId, type: 'businessLocations' } },
			customFields: { links: { related: `/orders/${orderId}/customFields` } },
		},
	};
	const items = lineItems.map((item) => ({
		sku: item.sku,
		description: item.name ?? item.description,
		quantity: item.quantity ?? 1,
		unitAmount: item.amount,
		interval: /** @type {any} */ (INTERVALS)[String(item.intervalCode).toLowerCase()] ?? item.intervalCode,
	}));
	const recurring = items.filter((i) => i.interval !== 'one_time');
	const contract = {
		businessKey: orderId,
		orderId,
		partnerId: values.partnerId,
		accountGroupId,
		status: order.attributes.statusCode,
		customer: { name: values.customerName, email: values.customerEmail, country: values.customerCountry },
		currency: typeof currency === 'string' ? currency.toLowerCase() : currency,
		lineItems: items,
		totalAmount: (recurring.length ? recurring : items).reduce((sum, i) => sum + i.quantity * i.unitAmount, 0),
		termMonths: values.termMonths,
		signature: { signed: values.signed === 'yes' || values.signed === true, signedAt: values.signedAt, signerEmail: values.signerEmail },
		approvals: values.approvals,
		jurisdiction: values.jurisdiction,
		tier: values.tier,
	};
	const tasks = (overrides.tasks || DEFAULT_TASKS).map((t) => (typeof t === 'string' ? { title: t } : t));
	return { orderId, accountGroupId, partnerId: String(context.partnerId), order, customFields, tasks, contract };
}

/**
 * The catalog prices (one product each) for the Config node's lookup keys; existing active ones are kept.
 * Written straight into the Stripe fake's store so seeding never shows up as API traffic.
 * @param {import('./stripe/store').StripeStore} store
 */
function ensureCatalog(store) {
	/** @type {Record<string, string>} */
	const prices = {};
	for (const entry of CATALOG) {
		const existing = store.all('price', (/** @type {any} */ p) => p.lookup_key === entry.lookupKey && p.active)[0];
		if (existing) {
			prices[entry.lookupKey] = existing.id;
			continue;
		}
		// Fixed ids, like a real account's standing catalog: a reset sandbox is the same account, so prices a
		// process cached before the reset are still the account's prices.
		const slug = entry.lookupKey.replace(/[^A-Za-z0-9]/g, '');
		const product = createProduct(store, { id: `prod_q2c${slug}`, name: entry.product, metadata: { q2c_sku: entry.sku } });
		const params = { currency: 'usd', unit_amount: entry.unitAmount, lookup_key: entry.lookupKey, ...(entry.interval ? { recurring: { interval: entry.interval } } : {}) };
		prices[entry.lookupKey] = createPrice(store, params, product.id, `price_q2c${slug}`).id;
	}
	return prices;
}

module.exports = { buildSignedOrder, ensureCatalog, FIELD_KEYS, CATALOG, DEFAULT_LINE_ITEMS };
