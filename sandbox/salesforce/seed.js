// @ts-check
'use strict';

/**
 * Test helpers of the Salesforce fake that write records directly: seeding with realistic defaults, and UI-style
 * edits (a deal won, a stage moved, a lead worked) that skip the API's write rules but keep derived fields.
 *
 * @param {ReturnType<import('./store').createStore>} store
 */
function createSeeders(store) {
	let seq = 0;
	const inDays = (/** @type {number} */ days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
	/** Keys ending in `__c` define custom fields on first use. @param {string} object @param {Record<string, unknown>} fields */
	const defineCustom = (object, fields) => {
		for (const [name, value] of Object.entries(fields)) {
			if (name.endsWith('__c') && !store.schema.field(object, name)) store.schema.defineField(object, name, typeof value === 'number' ? 'double' : typeof value === 'boolean' ? 'boolean' : 'string');
		}
	};

	/** @param {Record<string, unknown>} [a] */
	function seedAccount(a = {}) {
		const n = ++seq;
		defineCustom('Account', a);
		return { ...store.create('Account', { Name: `Acme ${n} Inc`, Website: `https://www.acme${n}.example.com`, Industry: 'Technology', BillingCountry: 'US', ...a }) };
	}
	/** @param {Record<string, unknown>} [u] */
	function seedUser(u = {}) {
		const n = ++seq;
		return { ...store.create('User', { FirstName: 'Sales', LastName: `Rep ${n}`, Email: `rep${n}@q2c-sandbox.example`, Username: `rep${n}@q2c-sandbox.example`, Title: 'Account Executive', ...u }) };
	}
	/** @param {Record<string, unknown>} [o] */
	function seedOpportunity(o = {}) {
		const n = ++seq;
		defineCustom('Opportunity', o);
		const accountId = o.AccountId !== undefined ? o.AccountId : seedAccount().Id;
		return { ...store.create('Opportunity', { Name: `Opportunity ${n}`, AccountId: accountId, Amount: 64900, StageName: 'Negotiation/Review', CloseDate: inDays(30), ...o }) };
	}
	/** @param {Record<string, unknown>} [l] */
	function seedLead(l = {}) {
		const n = ++seq;
		defineCustom('Lead', l);
		return { ...store.create('Lead', { FirstName: 'Ada', LastName: `Lead ${n}`, Company: `Prospect ${n} Ltd`, Email: `lead${n}@prospect${n}.example.com`, Country: 'US', State: 'CA', LeadSource: 'Web', ...l }) };
	}
	/** @param {string} id @param {{ at?: number | string | Date }} [opts] */
	function winOpportunity(id, opts = {}) {
		const at = opts.at === undefined ? undefined : new Date(opts.at).getTime();
		return { ...store.force(id, { StageName: 'Closed Won' }, at) };
	}
	/** @param {string} id @param {string} stage */
	const setStage = (id, stage) => ({ ...store.force(id, { StageName: stage }) });

	/**
	 * A rep worked the lead: `status` sets Status; `activityOn` (a day or date-time) sets LastActivityDate as a logged
	 * call would. Neither given: an activity today.
	 * @param {string} id @param {{ status?: string, activityOn?: string | number | Date }} [opts]
	 */
	function markLeadTouched(id, opts = {}) {
		const entry = store.get(id);
		if (!entry || entry.object !== 'Lead') throw Object.assign(new Error(`No lead ${id}`), { status: 404 });
		/** @type {Record<string, unknown>} */
		const fields = {};
		if (opts.status !== undefined) fields.Status = opts.status;
		if (opts.activityOn !== undefined || opts.status === undefined) fields.LastActivityDate = new Date(opts.activityOn ?? Date.now()).toISOString().slice(0, 10);
		return { ...store.force(id, fields) };
	}

	return { seedAccount, seedUser, seedOpportunity, seedLead, winOpportunity, setStage, markLeadTouched };
}

module.exports = { createSeeders };
