// @ts-check
'use strict';

const { newId, clone } = require('../lib/common');

/**
 * Customer 360 for SysOps (seed 003): the platform keeps each support customer's profile (what onboarding learnt:
 * address, contacts, payment method and schedule, contract, product) and their repair / troubleshoot requests, and
 * answers one read with everything plus the ages and expiries computed on the platform's clock.
 *   PUT  /v1/customers/{customerKey}/profile           upsert (Idempotency-Key), 200 with the stored profile
 *   GET  /v1/customers/{customerKey}/360               the full view; 404 customer_not_found for an unknown customer
 *   POST /v1/customers/{customerKey}/support-requests  a repair or troubleshoot request (SysOps' history)
 */

const DAY = 86_400_000;
/** @param {string | null | undefined} iso @param {number} at */
const daysSince = (iso, at) => (iso ? Math.floor((at - Date.parse(iso)) / DAY) : null);
/** @param {string | null | undefined} iso @param {number} at */
const daysUntil = (iso, at) => (iso ? Math.ceil((Date.parse(iso) - at) / DAY) : null);
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * @param {any} app the fake's server
 * @param {{ state: Record<string, Map<string, any>>, write: (req: any, fn: () => any) => any, adminError: (status: number, code: string, message: string, field?: string) => any }} deps
 */
function registerCustomerRoutes(app, { state, write, adminError }) {
	// On the fake's state object, so its reset clears them.
	state.customerProfiles = new Map();
	state.supportRequests = new Map();
	/** @param {string} key */
	const badKey = (key) => (KEY.test(key) ? undefined : adminError(400, 'validation_error', 'customerKey must be 1-200 letters, digits, ".", "_", ":" or "-".', 'customerKey'));
	/** @param {string} key */
	const missing = (key) => adminError(404, 'customer_not_found', `Customer ${key} is unknown to SysOps.`, 'customerKey');

	app.route('PUT', '/v1/customers/{customerKey}/profile', (/** @type {any} */ req) =>
		write(req, () => {
			const key = req.params.customerKey;
			const invalid = badKey(key);
			if (invalid) return invalid;
			const body = req.body && typeof req.body === 'object' ? req.body : {};
			for (const field of ['businessKey', 'name', 'email']) {
				if (typeof body[field] !== 'string' || !body[field].trim()) return adminError(400, 'validation_error', `${field} is required (a non-empty string).`, field);
			}
			if (body.contract?.endsAt && Number.isNaN(Date.parse(body.contract.endsAt))) return adminError(400, 'validation_error', 'contract.endsAt must be an ISO date.', 'contract.endsAt');
			const previous = state.customerProfiles.get(key);
			const profile = { customerKey: key, ...(previous ?? {}), ...clone(body), createdAt: previous?.createdAt ?? new Date().toISOString(), updatedAt: new Date().toISOString() };
			state.customerProfiles.set(key, profile);
			return { status: 200, body: clone(profile) };
		}),
	);

	app.route('POST', '/v1/customers/{customerKey}/support-requests', (/** @type {any} */ req) =>
		write(req, () => {
			const key = req.params.customerKey;
			if (!state.customerProfiles.has(key)) return missing(key);
			const body = req.body && typeof req.body === 'object' ? req.body : {};
			if (!['repair', 'troubleshoot'].includes(body.kind)) return adminError(400, 'validation_error', 'kind must be "repair" or "troubleshoot".', 'kind');
			if (typeof body.summary !== 'string' || !body.summary.trim()) return adminError(400, 'validation_error', 'summary is required.', 'summary');
			const request = { id: newId('sr_').toLowerCase(), customerKey: key, kind: body.kind, summary: body.summary, status: body.status ?? 'open', openedAt: body.openedAt ?? new Date().toISOString() };
			state.supportRequests.set(request.id, request);
			return { status: 201, body: clone(request) };
		}),
	);

	app.route('GET', '/v1/customers/{customerKey}/360', (/** @type {any} */ req) => {
		const key = req.params.customerKey;
		const profile = state.customerProfiles.get(key);
		if (!profile) return missing(key);
		const at = Date.now();
		const payment = profile.payment ?? {};
		const cardExpiry = payment.cardExpMonth && payment.cardExpYear ? new Date(Date.UTC(payment.cardExpYear, payment.cardExpMonth, 0)).toISOString().slice(0, 10) : null;
		const view = {
			customerKey: key,
			businessKey: profile.businessKey,
			name: profile.name,
			email: profile.email,
			preferredEmail: profile.preferredEmail ?? profile.email,
			address: profile.address ?? null,
			contacts: profile.contacts ?? [],
			payment: { method: payment.method ?? null, brand: payment.brand ?? null, last4: payment.last4 ?? null, schedule: payment.schedule ?? null, nextPaymentAt: payment.nextPaymentAt ?? null, cardExpiry, cardExpiresInDays: daysUntil(cardExpiry, at), stripeCustomerId: payment.stripeCustomerId ?? null, subscriptionId: payment.subscriptionId ?? null },
			contract: profile.contract ? { ...profile.contract, ageDays: daysSince(profile.contract.signedAt ?? profile.contract.startsAt, at), daysToExpiry: daysUntil(profile.contract.endsAt, at) } : null,
			product: profile.product ? { ...profile.product, ageDays: daysSince(profile.product.since, at) } : null,
			supportRequests: [...state.supportRequests.values()].filter((r) => r.customerKey === key).sort((a, b) => a.openedAt.localeCompare(b.openedAt)).map(clone),
		};
		const wanted = { address: view.address, contacts: view.contacts.length ? view.contacts : null, 'payment.method': view.payment.method, 'payment.schedule': view.payment.schedule, 'payment.cardExpiry': cardExpiry, contract: view.contract, 'contract.endsAt': view.contract?.endsAt, product: view.product };
		const missingFields = Object.entries(wanted).filter(([, value]) => value === null || value === undefined).map(([field]) => field);
		return { body: { ...view, complete: missingFields.length === 0, missing: missingFields, asOf: new Date(at).toISOString() } };
	});
}

module.exports = { registerCustomerRoutes };
