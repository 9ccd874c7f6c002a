// @ts-check
'use strict';

const { obj, req, str, int, oneOf, arr, map, anyOf } = require('../../core/apiDoc');

/**
 * Pieces that recur across Stripe's API reference (https://docs.stripe.com/api): ids, `expand`, `metadata`,
 * list pagination and the `created` range filter. Length limits are not repeated here: the optional vendor-spec
 * layer checks them.
 */

/** Object ids (`cus_…`, `price_…`): in paths and as references. */
const id = () => str();

/** Stripe accepts `""` to unset many optional fields on update. */
const unset = () => oneOf('');

/** `metadata[key]=value`; `metadata=` clears it where Stripe documents that. */
const metadata = () => anyOf(map(str()), unset());
/** Where Stripe takes only the map (creates of products and prices, subscription items on create). */
const metadataMap = () => map(str());

/** Fields of the response to expand: a query parameter on GET, a form field on POST and DELETE. */
const EXPAND = { expand: arr(str()) };

/** Cursor pagination of list endpoints. */
const PAGE = { limit: int(), starting_after: id(), ending_before: id(), ...EXPAND };

/** `created=…` or `created[gte]=…` style filters. */
const created = () => anyOf(obj({ gt: int(), gte: int(), lt: int(), lte: int() }), int());

/** The Search API's query string (https://docs.stripe.com/search) and its page cursor. */
const SEARCH = { query: req(str()), limit: int(), page: str(), ...EXPAND };

const interval = () => oneOf('day', 'month', 'week', 'year');
const taxBehavior = () => oneOf('exclusive', 'inclusive', 'unspecified');

module.exports = { id, unset, metadata, metadataMap, EXPAND, PAGE, SEARCH, created, interval, taxBehavior };
