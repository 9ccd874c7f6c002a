// @ts-check
'use strict';

const { stripeError } = require('./errors');
const { parseSearchQuery, mergeMetadata } = require('./store');

/**
 * Customers, products, prices and balance.
 * @typedef {import('./store').StripeStore} StripeStore
 * @typedef {{ params: Record<string, any>, path: Record<string, string> }} Call
 * @typedef {(method: string, template: string, handler: (call: Call) => any) => void} Register
 */

/** @param {Record<string, any>} p @param {string[]} keys */
const pick = (p, keys) => Object.fromEntries(keys.filter((k) => p[k] !== undefined).map((k) => [k, p[k] === '' ? null : p[k]]));

/**
 * @param {StripeStore} store
 * @param {Record<string, any>} p
 * @param {string} productId
 * @param {string} [id] a fixed id (a seeded catalog); otherwise a new one
 */
function createPrice(store, p, productId, id = store.newId('price')) {
	const unitAmount = p.unit_amount ?? (p.unit_amount_decimal !== undefined ? Number(p.unit_amount_decimal) : null);
	const price = {
		id,
		object: 'price',
		active: p.active ?? true,
		billing_scheme: p.billing_scheme ?? 'per_unit',
		created: store.now(),
		currency: String(p.currency).toLowerCase(),
		custom_unit_amount: null,
		livemode: false,
		lookup_key: p.lookup_key ?? null,
		metadata: mergeMetadata({}, p.metadata),
		nickname: p.nickname ?? null,
		product: productId,
		recurring: p.recurring
			? {
					aggregate_usage: null,
					interval: p.recurring.interval,
					interval_count: p.recurring.interval_count ?? 1,
					// Metered prices bill a meter's usage (API 2024-06+); licensed prices have none.
					...(p.recurring.meter ? { meter: p.recurring.meter } : {}),
					trial_period_days: null,
					usage_type: p.recurring.usage_type ?? 'licensed',
				}
			: null,
		tax_behavior: p.tax_behavior ?? 'unspecified',
		tiers_mode: null,
		transform_quantity: null,
		type: p.recurring ? 'recurring' : 'one_time',
		unit_amount: unitAmount,
		unit_amount_decimal: unitAmount === null ? null : String(p.unit_amount_decimal ?? unitAmount),
	};
	return store.put(price);
}

/**
 * @param {StripeStore} store
 * @param {Record<string, any>} p
 */
function createProduct(store, p) {
	const id = p.id ?? store.newId('product');
	if (store.find('product', id)) throw stripeError(400, { code: 'resource_already_exists', param: 'id', message: `Product already exists.` });
	const product = store.put({
		id,
		object: 'product',
		active: p.active ?? true,
		created: store.now(),
		default_price: null,
		description: p.description ?? null,
		images: p.images ?? [],
		livemode: false,
		metadata: mergeMetadata({}, p.metadata),
		name: p.name,
		package_dimensions: null,
		shippable: null,
		statement_descriptor: p.statement_descriptor ?? null,
		tax_code: p.tax_code ?? null,
		unit_label: p.unit_label ?? null,
		updated: store.now(),
		url: p.url ?? null,
	});
	if (p.default_price_data) product.default_price = createPrice(store, p.default_price_data, id).id;
	return product;
}

/**
 * Claim a lookup key for a price: taken keys fail unless `transfer_lookup_key` moves them.
 * @param {StripeStore} store
 * @param {Record<string, any>} p
 */
function claimLookupKey(store, p) {
	if (!p.lookup_key) return;
	const holder = store.all('price', (price) => price.lookup_key === p.lookup_key)[0];
	if (!holder) return;
	if (!p.transfer_lookup_key) {
		throw stripeError(400, { param: 'lookup_key', message: `A price (\`${holder.id}\`) already uses that lookup key.` });
	}
	holder.lookup_key = null;
}

/**
 * @param {Register} on
 * @param {StripeStore} store
 */
function registerCatalog(on, store) {
	on('POST', '/v1/customers', ({ params: p }) => {
		const customer = store.put({
			id: store.newId('customer'),
			object: 'customer',
			address: p.address || null,
			balance: p.balance ?? 0,
			created: store.now(),
			currency: null,
			default_source: null,
			delinquent: false,
			description: p.description ?? null,
			discount: null,
			email: p.email ?? null,
			invoice_prefix: Math.random().toString(16).slice(2, 10).toUpperCase(),
			invoice_settings: { custom_fields: null, default_payment_method: p.invoice_settings?.default_payment_method ?? null, footer: null, rendering_options: null },
			livemode: false,
			metadata: mergeMetadata({}, p.metadata),
			name: p.name ?? null,
			next_invoice_sequence: 1,
			phone: p.phone ?? null,
			preferred_locales: p.preferred_locales || [],
			shipping: p.shipping || null,
			tax_exempt: p.tax_exempt || 'none',
			test_clock: null,
		});
		return customer;
	});
	on('GET', '/v1/customers/search', ({ params: p }) => {
		const items = store.all('customer', parseSearchQuery(p.query));
		return store.searchPage(items, p, '/v1/customers/search');
	});
	on('GET', '/v1/customers/{customer}', ({ path }) => {
		const found = store.find('customer', path.customer);
		if (found && found.deleted) return { id: found.id, object: 'customer', deleted: true };
		return store.require('customer', path.customer);
	});
	on('POST', '/v1/customers/{customer}', ({ params: p, path }) => {
		const customer = store.require('customer', path.customer);
		Object.assign(customer, pick(p, ['address', 'description', 'email', 'name', 'phone', 'shipping', 'tax_exempt', 'preferred_locales']));
		customer.metadata = mergeMetadata(customer.metadata, p.metadata);
		return customer;
	});
	on('DELETE', '/v1/customers/{customer}', ({ path }) => {
		const customer = store.require('customer', path.customer);
		customer.deleted = true;
		return { id: customer.id, object: 'customer', deleted: true };
	});
	on('GET', '/v1/customers', ({ params: p }) => {
		const items = store.all('customer', (c) => (p.email === undefined || c.email === p.email) && matchesCreated(c, p.created));
		return store.page(items, p, '/v1/customers');
	});

	on('POST', '/v1/products', ({ params: p }) => createProduct(store, p));
	on('GET', '/v1/products/search', ({ params: p }) => store.searchPage(store.all('product', parseSearchQuery(p.query)), p, '/v1/products/search'));
	on('GET', '/v1/products/{id}', ({ path }) => store.require('product', path.id));
	on('POST', '/v1/products/{id}', ({ params: p, path }) => {
		const product = store.require('product', path.id);
		Object.assign(product, pick(p, ['active', 'description', 'name', 'default_price', 'unit_label', 'url']), { updated: store.now() });
		product.metadata = mergeMetadata(product.metadata, p.metadata);
		return product;
	});
	on('GET', '/v1/products', ({ params: p }) => {
		const ids = p.ids ? new Set(p.ids) : null;
		const items = store.all('product', (x) => (p.active === undefined || x.active === p.active) && (!ids || ids.has(x.id)));
		return store.page(items, p, '/v1/products');
	});

	on('POST', '/v1/prices', ({ params: p }) => {
		let productId = p.product;
		if (productId) store.require('product', productId, 'product');
		else if (p.product_data) productId = createProduct(store, p.product_data).id;
		else throw stripeError(400, { param: 'product', message: 'You must specify either `product` or `product_data` when creating a price.' });
		// Tiered and customer-chosen prices are not accepted (./api), so every price needs an amount.
		if (p.unit_amount === undefined && p.unit_amount_decimal === undefined) {
			throw stripeError(400, { param: 'unit_amount', code: 'parameter_missing', message: 'Missing required param: unit_amount.' });
		}
		claimLookupKey(store, p);
		return createPrice(store, p, productId);
	});
	on('GET', '/v1/prices/search', ({ params: p }) => store.searchPage(store.all('price', parseSearchQuery(p.query)), p, '/v1/prices/search'));
	on('GET', '/v1/prices/{price}', ({ path }) => store.require('price', path.price));
	on('POST', '/v1/prices/{price}', ({ params: p, path }) => {
		const price = store.require('price', path.price);
		if (p.lookup_key !== undefined && p.lookup_key !== price.lookup_key) claimLookupKey(store, p);
		Object.assign(price, pick(p, ['active', 'lookup_key', 'nickname', 'tax_behavior']));
		price.metadata = mergeMetadata(price.metadata, p.metadata);
		return price;
	});
	on('GET', '/v1/prices', ({ params: p }) => {
		const keys = p.lookup_keys ? new Set(p.lookup_keys) : null;
		const items = store.all(
			'price',
			(x) =>
				(p.active === undefined || x.active === p.active) &&
				(!keys || keys.has(x.lookup_key)) &&
				(p.product === undefined || x.product === p.product) &&
				(p.currency === undefined || x.currency === p.currency) &&
				(p.type === undefined || x.type === p.type) &&
				(p.recurring?.interval === undefined || x.recurring?.interval === p.recurring.interval),
		);
		return store.page(items, p, '/v1/prices');
	});

	on('GET', '/v1/balance', () => {
		/** @type {Map<string, number>} */
		const available = new Map();
		for (const charge of store.all('charge', (c) => c.paid)) {
			available.set(charge.currency, (available.get(charge.currency) || 0) + charge.amount - charge.amount_refunded);
		}
		if (available.size === 0) available.set('usd', 0);
		const entries = [...available].map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } }));
		return { object: 'balance', available: entries, livemode: false, pending: entries.map((e) => ({ ...e, amount: 0, source_types: { card: 0 } })) };
	});
}

/**
 * `created[gte]=…` style filters.
 * @param {any} object
 * @param {any} filter
 */
function matchesCreated(object, filter) {
	if (filter === undefined) return true;
	if (typeof filter === 'number') return object.created === filter;
	return (
		(filter.gt === undefined || object.created > filter.gt) &&
		(filter.gte === undefined || object.created >= filter.gte) &&
		(filter.lt === undefined || object.created < filter.lt) &&
		(filter.lte === undefined || object.created <= filter.lte)
	);
}

module.exports = { registerCatalog, createPrice, createProduct, matchesCreated };
