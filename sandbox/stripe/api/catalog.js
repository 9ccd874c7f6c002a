// @ts-check
'use strict';

const { op, obj, req, str, int, bool, oneOf, arr, anyOf } = require('../../core/apiDoc');
const { id, unset, metadata, metadataMap, EXPAND, PAGE, SEARCH, created, interval, taxBehavior } = require('./common');

/**
 * Customers, products, prices and balance (https://docs.stripe.com/api/customers, /products, /prices,
 * /balance): the fields catalog.js reads, our connector sends and the tests use.
 */

const address = () => obj({ city: str(), country: str(), line1: str(), line2: str(), postal_code: str(), state: str() });
const shipping = () => anyOf(obj({ address: req(address()), name: req(str()), phone: str() }), unset());

/** Customer fields shared by create and update. */
const CUSTOMER = {
	address: anyOf(address(), unset()),
	description: str(),
	email: str(),
	metadata: metadata(),
	name: str(),
	phone: str(),
	preferred_locales: arr(str()),
	shipping: shipping(),
	tax_exempt: oneOf('', 'exempt', 'none', 'reverse'),
	...EXPAND,
};

const recurring = () => obj({ interval: req(interval()), interval_count: int(), usage_type: oneOf('licensed', 'metered') });

const customers = {
	'POST /v1/customers': op({ form: { ...CUSTOMER, balance: int(), invoice_settings: obj({ default_payment_method: id() }) } }),
	'GET /v1/customers/search': op({ query: SEARCH }),
	'GET /v1/customers/{customer}': op({ path: { customer: id() }, query: EXPAND }),
	'POST /v1/customers/{customer}': op({ path: { customer: id() }, form: CUSTOMER }),
	'DELETE /v1/customers/{customer}': op({ path: { customer: id() } }),
	'GET /v1/customers': op({ query: { email: str(), created: created(), ...PAGE } }),
};

const products = {
	'POST /v1/products': op({
		form: {
			id: id(),
			name: req(str()),
			active: bool(),
			description: str(),
			images: arr(str()),
			metadata: metadataMap(),
			statement_descriptor: str(),
			tax_code: id(),
			unit_label: str(),
			url: str(),
			// A price created with the product (catalog.js createPrice reads these).
			default_price_data: obj({
				currency: req(str()),
				unit_amount: int(),
				unit_amount_decimal: str(),
				recurring: obj({ interval: req(interval()), interval_count: int() }),
				tax_behavior: taxBehavior(),
			}),
			...EXPAND,
		},
	}),
	'GET /v1/products/search': op({ query: SEARCH }),
	'GET /v1/products/{id}': op({ path: { id: id() }, query: EXPAND }),
	'POST /v1/products/{id}': op({
		path: { id: id() },
		form: {
			active: bool(),
			default_price: id(),
			description: anyOf(str(), unset()),
			metadata: metadata(),
			name: str(),
			unit_label: anyOf(str(), unset()),
			url: anyOf(str(), unset()),
			...EXPAND,
		},
	}),
	'GET /v1/products': op({ query: { active: bool(), ids: arr(id()), ...PAGE } }),
};

const prices = {
	'POST /v1/prices': op({
		form: {
			currency: req(str()),
			product: id(),
			product_data: obj({ name: req(str()), id: id(), active: bool(), metadata: metadataMap(), statement_descriptor: str(), tax_code: id(), unit_label: str() }),
			unit_amount: int(),
			unit_amount_decimal: str(),
			// Tiers and customer-chosen amounts are not simulated.
			billing_scheme: oneOf('per_unit'),
			recurring: recurring(),
			tax_behavior: taxBehavior(),
			active: bool(),
			lookup_key: str(),
			transfer_lookup_key: bool(),
			nickname: str(),
			metadata: metadataMap(),
			...EXPAND,
		},
	}),
	'GET /v1/prices/search': op({ query: SEARCH }),
	'GET /v1/prices/{price}': op({ path: { price: id() }, query: EXPAND }),
	'POST /v1/prices/{price}': op({
		path: { price: id() },
		form: { active: bool(), lookup_key: str(), transfer_lookup_key: bool(), nickname: str(), tax_behavior: taxBehavior(), metadata: metadata(), ...EXPAND },
	}),
	'GET /v1/prices': op({
		query: { active: bool(), currency: str(), lookup_keys: arr(str()), product: id(), type: oneOf('one_time', 'recurring'), recurring: obj({ interval: interval() }), ...PAGE },
	}),
};

const balance = {
	'GET /v1/balance': op({ query: EXPAND }),
};

module.exports = { ...customers, ...products, ...prices, ...balance };
