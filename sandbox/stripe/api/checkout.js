// @ts-check
'use strict';

const { op, obj, req, str, int, bool, oneOf, arr, map } = require('../../core/apiDoc');
const { id, metadataMap, EXPAND, PAGE } = require('./common');

/**
 * Checkout Sessions (https://docs.stripe.com/api/checkout/sessions) in subscription mode, and Billing Meters
 * (https://docs.stripe.com/api/billing/meter, /meter-event, /meter-event-summary): the fields checkout.js and
 * meters.js read and the connector sends. Meters came with API 2024-04-10, after the 2023 spec file.
 */

const session = () => ({ session: id() });

const checkout = {
	'POST /v1/checkout/sessions': op({
		form: {
			// Stripe's 2023 spec makes only success_url required; mode and line_items are checked by the handler.
			success_url: req(str()),
			cancel_url: str(),
			mode: oneOf('payment', 'setup', 'subscription'),
			line_items: arr(obj({ price: id(), quantity: int() })),
			client_reference_id: str(),
			customer: id(),
			customer_email: str(),
			subscription_data: obj({ description: str(), metadata: metadataMap(), trial_period_days: int() }),
			metadata: metadataMap(),
			expires_at: int(),
			allow_promotion_codes: bool(),
			...EXPAND,
		},
	}),
	'GET /v1/checkout/sessions': op({ query: { customer: id(), subscription: id(), ...PAGE } }),
	'GET /v1/checkout/sessions/{session}': op({ path: session(), query: EXPAND }),
	'GET /v1/checkout/sessions/{session}/line_items': op({ path: session(), query: PAGE }),
	'POST /v1/checkout/sessions/{session}/expire': op({ path: session(), form: EXPAND }),
};

const METERS = 'Billing Meters, API 2024-04-10 (docs.stripe.com/api/billing/meter)';

const meters = {
	'GET /v1/billing/meters': op({ newerThanSpec: METERS, query: { status: oneOf('active', 'inactive'), ...PAGE } }),
	'GET /v1/billing/meters/{id}': op({ newerThanSpec: METERS, path: { id: id() }, query: EXPAND }),
	'POST /v1/billing/meter_events': op({
		newerThanSpec: METERS,
		form: { event_name: req(str()), payload: req(map(str())), identifier: str(), timestamp: int(), ...EXPAND },
	}),
	'GET /v1/billing/meters/{id}/event_summaries': op({
		newerThanSpec: METERS,
		path: { id: id() },
		query: { customer: req(id()), start_time: req(int()), end_time: req(int()), value_grouping_window: oneOf('day', 'hour'), ...PAGE },
	}),
};

module.exports = { ...checkout, ...meters };
