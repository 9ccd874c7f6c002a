// @ts-check
'use strict';

const { api, op, obj, req, str, bool, oneOf, arr } = require('../core/apiDoc');

/**
 * The VMF fake's own API description: exactly the endpoints it serves and the parameters each accepts, written
 * from Vendasta's Platform API and Marketplace API documentation. Paths carry the fake's prefixes (`/platform`,
 * `/api/v1`) because that is what requests arrive with; the conformance suite maps them onto the vendor's
 * server-relative paths. Every request is validated against these; Vendasta's published specs are only an
 * optional extra layer (core/vendorSpecs.js).
 */

const JSON_API = 'application/vnd.api+json';

/** Order statuses a client may set; `draft`, `error` and `NotReady` are set by Vendasta itself. */
const SETTABLE_STATUSES = ['submitted', 'processing', 'declined', 'fulfilled', 'archived'];

/** The documented `reason` values of a cancellation request. */
const CANCELLATION_REASONS = [
	'crisisShiftInPriorities',
	'customerWasNotSatisfied',
	'customerReachedEndOfContract',
	'movingToAComputer',
	'productIsTooExpensive',
	'productWasAccidentallyActivated',
	'other',
];

const byId = { path: { id: str() } };

const platformApi = api(
	{
		'GET /platform/orders': op({
			query: {
				'filter[partner.id]': req(str()),
				'filter[businessLocation.id]': str(),
				// Documented as a string; what it carries is a count, so insist on digits.
				'page[limit]': str({ pattern: '^[0-9]+$' }),
				'page[cursor]': str(),
			},
		}),
		'GET /platform/orders/{id}': op(byId),
		'GET /platform/orders/{id}/customFields': op(byId),
		'PATCH /platform/orders/{id}': op({
			...byId,
			ownDesign:
				'Vendasta documents the order statuses but no way to change one; the connector uses the JSON:API update convention (connectors/vmf/orders/updateStatus.ts)',
			jsonType: JSON_API,
			bodyRequired: true,
			json: obj({
				data: req(
					obj({
						type: req(oneOf('orders')),
						id: str(),
						attributes: req(obj({ statusCode: req(oneOf(...SETTABLE_STATUSES)) })),
					}),
				),
			}),
		}),
		'GET /platform/subscriptionAssignments/{id}': op(byId),
		'POST /platform/subscriptionAssignments/{id}/actions/requestCancellation': op({
			...byId,
			jsonType: JSON_API,
			json: obj({
				reason: arr(oneOf(...CANCELLATION_REASONS)),
				comments: str(),
				deactivationType: oneOf('cancel', 'immediate'),
			}),
		}),
		'POST /platform/subscriptionAssignments/{id}/actions/undoCancellation': op(byId),
	},
	{ title: 'VMF fake: Vendasta Platform API (JSON:API)' },
);

const marketplaceApi = api(
	{
		'POST /api/v1/activation/resolve/': op({
			bodyRequired: true,
			// `rejection_reason` is required only when `approved` is false: the handler checks that.
			json: obj({
				activation_id: req(str()),
				business_id: req(str()),
				addon_id: str(),
				approved: req(bool()),
				rejection_reason: str(),
			}),
		}),
	},
	{ title: 'VMF fake: Vendasta Marketplace vendor API' },
);

module.exports = { platformApi, marketplaceApi, SETTABLE_STATUSES, CANCELLATION_REASONS, JSON_API };
