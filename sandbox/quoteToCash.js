// @ts-check
'use strict';

const { createDocusignFake } = require('./docusign');
const { createSalesforceFake } = require('./salesforce');
const { createHubspotFake } = require('./hubspot');

/**
 * The CRM and e-signature vendors of workflows/quote-to-cash.json (DocuSign, Salesforce, HubSpot), seeded the way
 * that template's Config expects: a DocuSign template with the q2c_* text tabs, and won deals carrying the signer and
 * contract-term fields under the names Config.crm.fields names (Salesforce custom fields / HubSpot properties).
 */

/** Config.docusign.templateId of the template; the fake's template gets this id so the template runs as shipped. */
const DOCUSIGN_TEMPLATE_ID = '8e4b2c1a-5d6f-4a7b-9c8d-0e1f2a3b4c5d';
const SIGNER_ROLE = 'Customer';
const TEXT_TABS = ['q2c_customer_name', 'q2c_customer_email', 'q2c_plan', 'q2c_amount_minor', 'q2c_currency', 'q2c_term_months', 'q2c_country'];

/** Config.crm.fields of the shipped (Salesforce) template, and the HubSpot property names the README gives. */
const CRM_FIELDS = {
	salesforce: {
		signerName: 'Signer_Name__c',
		signerEmail: 'Signer_Email__c',
		termMonths: 'Term_Months__c',
		country: 'Billing_Country__c',
		plan: 'Plan__c',
		envelopeId: 'DocuSign_Envelope_Id__c',
		signatureStatus: 'DocuSign_Status__c',
		subscriptionId: 'Subscription_Id__c',
		tenantId: 'Tenant_Id__c',
	},
	hubspot: {
		signerName: 'signer_name',
		signerEmail: 'signer_email',
		termMonths: 'term_months',
		country: 'billing_country',
		plan: 'plan',
		envelopeId: 'docusign_envelope_id',
		signatureStatus: 'docusign_status',
		subscriptionId: 'subscription_id',
		tenantId: 'tenant_id',
	},
};
/** HubSpot's custom "Partner Pipeline" of the fake: numeric stage ids (never 'closedwon'). */
const HUBSPOT_STAGES = { won: '1093785', contractOut: '1093783' };

/**
 * @typedef {{ customerName?: string, customerEmail?: string, amount?: number, currency?: string, termMonths?: number,
 *   country?: string, plan?: string, name?: string }} DealOverrides amount in major units (what a CRM stores)
 * @typedef {{ provider: 'salesforce' | 'hubspot', dealId: string, businessKey: string, name: string, customer: { name: string, email: string },
 *   amountMinor: number, currency: string, termMonths: number, country: string, plan: string, ownerId?: string }} WonDeal
 */

let dealSeq = 0;

/** @param {{ latencyMs?: () => number, ports?: { docusign?: number, salesforce?: number, hubspot?: number } }} [options] */
async function startQuoteToCashFakes(options = {}) {
	const ports = options.ports || {};
	const docusign = createDocusignFake({ latencyMs: options.latencyMs });
	const salesforce = createSalesforceFake({ latencyMs: options.latencyMs });
	const hubspot = createHubspotFake({ latencyMs: options.latencyMs });
	const started = [];
	/** @type {{ docusign: string, salesforce: string, hubspot: string }} */
	let urls;
	try {
		urls = {
			docusign: (await docusign.listen(ports.docusign || 0)).url,
			salesforce: (started.push(docusign), (await salesforce.listen(ports.salesforce || 0)).url),
			hubspot: (started.push(salesforce), (await hubspot.listen(ports.hubspot || 0)).url),
		};
		started.push(hubspot);
	} catch (error) {
		await Promise.all(started.map((fake) => fake.close()));
		throw error;
	}

	function prepare() {
		docusign.seedTemplate({ templateId: DOCUSIGN_TEMPLATE_ID, name: 'Order form (quote-to-cash)', emailSubject: 'Please sign your order', roles: [SIGNER_ROLE], textTabs: TEXT_TABS });
	}
	prepare();

	const credentials = { ...docusign.credentials(), ...salesforce.credentials(), ...hubspot.credentials() };

	/**
	 * A deal that has just been won, with the signer and terms the template reads. The business key is the deal id.
	 * @param {'salesforce' | 'hubspot'} provider @param {DealOverrides} [overrides] @returns {WonDeal}
	 */
	function seedWonDeal(provider, overrides = {}) {
		const n = ++dealSeq;
		const terms = {
			name: overrides.name ?? `Quote-to-cash deal ${n}`,
			customer: { name: overrides.customerName ?? `Dana Buyer ${n}`, email: overrides.customerEmail ?? `dana.buyer${n}@customer${n}.example` },
			amount: overrides.amount ?? 649,
			currency: (overrides.currency ?? 'usd').toLowerCase(),
			termMonths: overrides.termMonths ?? 12,
			country: overrides.country ?? 'US',
			plan: overrides.plan ?? 'professional',
		};
		const f = CRM_FIELDS[provider];
		const fields = {
			[f.signerName]: terms.customer.name,
			[f.signerEmail]: terms.customer.email,
			[f.termMonths]: terms.termMonths,
			[f.country]: terms.country,
			[f.plan]: terms.plan,
			[f.envelopeId]: '',
			[f.signatureStatus]: '',
			[f.subscriptionId]: '',
			[f.tenantId]: '',
		};
		let dealId;
		let ownerId;
		if (provider === 'salesforce') {
			const opportunity = salesforce.seedOpportunity({ Name: terms.name, Amount: terms.amount, CurrencyIsoCode: terms.currency.toUpperCase(), ...fields });
			dealId = String(opportunity.Id);
			ownerId = /** @type {string | undefined} */ (opportunity.OwnerId);
			salesforce.winOpportunity(dealId);
		} else {
			const stringified = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)]));
			const deal = hubspot.seedDeal({ dealname: terms.name, amount: String(terms.amount), deal_currency_code: terms.currency.toUpperCase(), dealstage: HUBSPOT_STAGES.contractOut, ...stringified });
			dealId = String(deal.id);
			ownerId = deal.properties?.hubspot_owner_id;
			hubspot.moveDeal(dealId, HUBSPOT_STAGES.won);
		}
		return {
			provider,
			dealId,
			businessKey: dealId,
			name: terms.name,
			customer: terms.customer,
			amountMinor: Math.round(terms.amount * 100),
			currency: terms.currency,
			termMonths: terms.termMonths,
			country: terms.country,
			plan: terms.plan,
			ownerId,
		};
	}

	/**
	 * Tells the CRM Trigger at `url` that the deal was won, the way each CRM does: a Salesforce Outbound Message
	 * (`?token=` appended) or a HubSpot v3-signed dealstage change. `forge` signs with the wrong secret / token.
	 * @param {WonDeal} deal @param {string} url @param {{ forge?: boolean }} [opts]
	 */
	async function deliverDealWon(deal, url, opts = {}) {
		if (deal.provider === 'salesforce') {
			const token = opts.forge ? 'forged-outbound-token' : undefined;
			const sent = await salesforce.deliverOutboundMessage(url, [deal.dealId], { token });
			return { status: sent.status, body: sent.body, acked: sent.acked };
		}
		return hubspot.deliverWebhook(url, [deal.dealId], { forge: opts.forge === true });
	}

	/** The envelopes the template sent for a business key (q2cBusinessKey custom field). @param {string} businessKey */
	function envelopesFor(businessKey) {
		return docusign.state().envelopes.filter((/** @type {any} */ envelope) =>
			(envelope.textCustomFields ?? []).some((/** @type {any} */ field) => field.name === 'q2cBusinessKey' && field.value === businessKey),
		);
	}

	/**
	 * A deal's fields as the CRM now stores them (Salesforce record fields / HubSpot properties), for assertions.
	 * @param {'salesforce' | 'hubspot'} provider @param {string} dealId @returns {Record<string, unknown> | undefined}
	 */
	function dealRecord(provider, dealId) {
		if (provider === 'salesforce') return salesforce.state().records.Opportunity.find((/** @type {any} */ o) => o.Id === dealId);
		return hubspot.state().deals.find((/** @type {any} */ d) => String(d.id) === dealId)?.properties;
	}

	/** Tasks on a deal (Salesforce WhatId / HubSpot task→deal association). @param {'salesforce' | 'hubspot'} provider @param {string} dealId */
	function tasksOf(provider, dealId) {
		if (provider === 'salesforce') return salesforce.state().records.Task.filter((/** @type {any} */ t) => t.WhatId === dealId);
		const state = hubspot.state();
		const linked = new Set(state.associations.filter((/** @type {any} */ a) => a.to === 'deals' && String(a.toId) === dealId && a.from === 'tasks').map((/** @type {any} */ a) => String(a.fromId)));
		return state.tasks.filter((/** @type {any} */ t) => linked.has(String(t.id))).map((/** @type {any} */ t) => t.properties);
	}

	return {
		urls,
		credentials,
		dealRecord,
		tasksOf,
		docusign,
		salesforce,
		hubspot,
		seedWonDeal,
		deliverDealWon,
		envelopesFor,
		state: () => ({ docusign: docusign.state(), salesforce: salesforce.state(), hubspot: hubspot.state() }),
		requests: () => ({ docusign: docusign.requests(), salesforce: salesforce.requests(), hubspot: hubspot.requests() }),
		reset() {
			// Connect configurations belong to the account and were registered by active workflows: keep them.
			docusign.reset({ keepConnect: true });
			salesforce.reset();
			hubspot.reset();
			prepare();
		},
		close: () => Promise.all([docusign.close(), salesforce.close(), hubspot.close()]),
	};
}

module.exports = { startQuoteToCashFakes, DOCUSIGN_TEMPLATE_ID, SIGNER_ROLE, TEXT_TABS, CRM_FIELDS, HUBSPOT_STAGES };
