/**
 * workflows/lead-routing.json executed in-process by n8n-core's engine against the Salesforce fake and an SMTP sink:
 * leads posted to the webhook or uploaded as a CSV on the n8n form are normalised, matched to accounts, routed by the
 * RevOps node (its routing store claims round-robin owners atomically), evidenced, written to the CRM with their
 * owner, and watched until their SLA deadline (see leadRoutingKit for how waits are resumed).
 */
import type { EvidenceLedger } from '../../connectors/evidence';
import { freshDataDir } from './context';
import { LeadRouting, openVendors, type Vendors } from './leadRoutingKit';

let vendors: Vendors;
beforeAll(async () => {
	vendors = await openVendors();
});
afterAll(async () => {
	await vendors?.close();
});
beforeEach(() => {
	vendors.salesforce.reset();
	vendors.smtp.messages.length = 0;
});

const sf = () => vendors.salesforce;
const crmLeads = () => sf().state().records.Lead as Array<Record<string, any>>;
const crmLead = (email: string) => crmLeads().find((lead) => lead.Email === email);
const steps = async (ledger: EvidenceLedger, leadId: string) => (await ledger.list(leadId)).map((receipt) => receipt.workflow_step);
const mailTo = (address: string) => vendors.smtp.messages.filter((message) => message.envelopeTo.includes(address));

/** CRM users for the routing assignees the tests meet, and the Config naming them (Config.crmOwners). */
function owners() {
	const user = (name: string) => sf().seedUser({ LastName: name }).Id as string;
	const ids: Record<string, string> = {};
	for (const assignee of ['user:sdr-1', 'user:sdr-2', 'user:sdr-3', 'team:enterprise-eu', 'user:ae-west']) ids[assignee] = user(assignee);
	return ids;
}

function customerAccount(domain: string) {
	const ownerId = sf().seedUser({ LastName: 'Account Owner' }).Id as string;
	sf().seedAccount({ Name: 'Globex', Website: `https://www.${domain}`, OwnerId: ownerId });
	return ownerId;
}

const enterpriseUk = (n = 1) => ({ email: `cto${n}@bigbank-${n}.example.co.uk`, first_name: 'Iris', last_name: 'Banks', company: 'Big Bank', country: 'United Kingdom', company_size: 5000, arr_estimate: 600000 });

describe('lead routing: webhook', () => {
	it("a lead from an existing customer's domain goes to the account owner, in the CRM and in the receipt", async () => {
		const { ledger } = freshDataDir();
		const world = new LeadRouting(vendors, { crmOwners: owners() });
		const accountOwner = customerAccount('globex.example');
		const answer = await world.postLead({ email: 'Ana@Globex.example', first_name: 'Ana', last_name: 'Lopez', company: 'Globex', country: 'US', state: 'TX', company_size: 400 }, { query: { source: 'partner' } });

		expect(answer.response.status).toBe(202);
		expect(answer.response.body).toMatchObject({ accepted: true, status: 'routed', assignee: accountOwner, routeStrategy: 'account_owner_follows', conflicts: [] });
		const { leadId, crmLeadId } = answer.response.body as { leadId: string; crmLeadId: string };
		expect(crmLead('ana@globex.example')).toMatchObject({ Id: crmLeadId, OwnerId: accountOwner, LastName: 'Lopez', Company: 'Globex', LeadSource: 'Partner Referral' });

		const receipts = await ledger.list(leadId);
		expect(receipts.map((receipt) => receipt.workflow_step).slice(0, 2)).toEqual(['revops.lead.routed', 'crm.lead.upsert']);
		const routed = receipts[0].policy_decision as Record<string, any>;
		expect(routed.decision).toMatchObject({ allow: true, route_strategy: 'account_owner_follows', assignee: accountOwner });
		expect(routed.account_link).toMatchObject({ criteria: 'email_domain', domain: 'globex.example', found: true, crmOwnerId: accountOwner });
		expect(routed.attributes.lead).toMatchObject({ email_domain: 'globex.example', source: 'partner', country: 'US', state: 'TX' });
		expect(routed.trace.map((step: { rule: string }) => step.rule)).toContain('account_owner_follows');
		expect(JSON.stringify(receipts)).not.toContain('ana@globex.example');
		expect(vendors.smtp.messages).toEqual([]);
	});

	it('an enterprise lead from the UK goes to team:enterprise-eu with its segment/region SLA', async () => {
		freshDataDir();
		const ids = owners();
		const world = new LeadRouting(vendors, { crmOwners: ids });
		const answer = await world.postLead(enterpriseUk());
		expect(answer.response.body).toMatchObject({ status: 'routed', assignee: 'team:enterprise-eu', routeStrategy: 'segment', conflicts: [] });
		expect(crmLead(enterpriseUk().email)?.OwnerId).toBe(ids['team:enterprise-eu']);
		// One SLA watch, waiting for the enterprise/eu deadline of the default profile (45 minutes after routing).
		const [watch, ...others] = world.watches;
		expect(others).toEqual([]);
		expect(watch.run.status).toBe('waiting');
		expect(watch.input).toMatchObject({ assignee: 'team:enterprise-eu', segment: 'enterprise', slaMinutes: 45, crmOwnerId: ids['team:enterprise-eu'] });
		expect(Date.parse(String(watch.input.deadline)) - Date.parse(String(watch.input.routedAt))).toBe(45 * 60_000);
		expect(watch.run.run.waitTill?.toISOString()).toBe(new Date(String(watch.input.deadline)).toISOString());
	});

	it('three SMB leads at once get three different owners of the pool (atomic claims), each written to the CRM', async () => {
		const { ledger } = freshDataDir();
		const ids = owners();
		const world = new LeadRouting(vendors, { crmOwners: ids }, { routing: { round_robin_pools: { sdr_global: ['user:sdr-1', 'user:sdr-2', 'user:sdr-3'] } } });
		const answers = await Promise.all([1, 2, 3].map((n) => world.postLead({ email: `owner@shop-${n}.example`, last_name: 'Shop', company: `Shop ${n}`, country: 'BR', company_size: 8, arr_estimate: 9000 })));
		const assignees = answers.map((answer) => (answer.response.body as { assignee: string }).assignee);
		expect(answers.map((answer) => (answer.response.body as { routeStrategy: string }).routeStrategy)).toEqual(['round_robin', 'round_robin', 'round_robin']);
		expect([...assignees].sort()).toEqual(['user:sdr-1', 'user:sdr-2', 'user:sdr-3']);
		for (const [n, assignee] of assignees.entries()) expect(crmLead(`owner@shop-${n + 1}.example`)?.OwnerId).toBe(ids[assignee]);
		const claims = await Promise.all(answers.map(async (answer) => ((await ledger.list((answer.response.body as { leadId: string }).leadId))[0].policy_decision as any).assignment));
		expect(claims.map((claim) => [claim.source, claim.pool, claim.claim.reason])).toEqual(Array(3).fill(['routing_store', 'sdr_global', 'assigned']));

		// A redelivered lead keeps its owner (the claim is per lead id) and takes no second slot.
		const again = await world.postLead({ email: 'owner@shop-1.example', country: 'BR', company_size: 8, arr_estimate: 9000 });
		expect(again.response.body).toMatchObject({ assignee: assignees[0] });
		expect(crmLeads()).toHaveLength(3);
	});

	it('a conflict is flagged (RevOps emailed, conflict receipt) and the lead is still routed as decided', async () => {
		const { ledger } = freshDataDir();
		const world = new LeadRouting(vendors, { crmOwners: owners() });
		const accountOwner = customerAccount('initech.example');
		// California is na_west territory (user:ae-west), but the domain's account has its own owner.
		const answer = await world.postLead({ email: 'bill@initech.example', last_name: 'Lumbergh', company: 'Initech', country: 'US', state: 'CA', company_size: 300 });
		const body = answer.response.body as { leadId: string; assignee: string; conflicts: string[] };
		expect(body).toMatchObject({ status: 'routed', assignee: accountOwner, conflicts: ['account_owner_vs_territory:na_west'] });
		expect(crmLead('bill@initech.example')?.OwnerId).toBe(accountOwner);
		const [mail, ...more] = mailTo('revops-lead@example.com');
		expect(more).toEqual([]);
		expect(mail.subject).toContain(body.leadId);
		expect(mail.body).toContain('account_owner_vs_territory:na_west');
		const receipts = await ledger.list(body.leadId);
		const conflict = receipts.find((receipt) => receipt.workflow_step === 'revops.lead.conflict');
		expect(conflict?.policy_decision).toMatchObject({ conflicts: ['account_owner_vs_territory:na_west'], assignee: accountOwner, outcome: 'routed_as_decided' });
		expect(receipts.map((receipt) => receipt.workflow_step)).toEqual(expect.arrayContaining(['revops.lead.routed', 'crm.lead.upsert']));
	});

	it('an assignee with no CRM owner in Config is a conflict too: the lead is created without an owner and not watched', async () => {
		freshDataDir();
		const world = new LeadRouting(vendors, {});
		const answer = await world.postLead(enterpriseUk(2));
		expect(answer.response.body).toMatchObject({ assignee: 'team:enterprise-eu', conflicts: ['no_crm_owner:team:enterprise-eu'], slaDeadline: null });
		expect(crmLead(enterpriseUk(2).email)).toBeDefined();
		expect(world.watches).toEqual([]);
		expect(mailTo('revops-lead@example.com')).toHaveLength(1);
	});

	it('a blocked (spam) lead gets a receipt and a 202, and nothing is written to the CRM', async () => {
		const { ledger } = freshDataDir();
		const world = new LeadRouting(vendors, { crmOwners: owners() });
		const answer = await world.postLead({ email: 'bot@mailinator.com', country: 'US', company_size: 5 });
		expect(answer.response).toMatchObject({ status: 202, body: { status: 'blocked', assignee: null, blockedBecause: ['blocked:domain'] } });
		const { leadId } = answer.response.body as { leadId: string };
		expect(await steps(ledger, leadId)).toEqual(['revops.lead.blocked']);
		expect(answer.run?.executedNodes).not.toContain('Upsert CRM Lead');
		expect(crmLeads()).toEqual([]);
		expect(world.watches).toEqual([]);
		expect(vendors.smtp.messages).toEqual([]);
	});

	it('answers 422 naming the field: a malformed email, an unknown source', async () => {
		freshDataDir();
		const world = new LeadRouting(vendors, {});
		const badEmail = await world.postLead({ email: 'not-an-email', country: 'US' });
		expect(badEmail.response).toMatchObject({ status: 422, body: { accepted: false, field: 'body.email' } });
		expect((badEmail.response.body as { error: string }).error).toMatch(/expected an email address/);
		const badSource = await world.postLead({ email: 'a@b.example', source: 'fax' });
		expect(badSource.response).toMatchObject({ status: 422, body: { accepted: false, field: 'source' } });
		expect((badSource.response.body as { error: string }).error).toContain('marketing_form');
		// Normalised, but the tenant's rules refuse an attribute: still the caller's mistake, still 422.
		const badSegment = await world.postLead({ email: 'c@d.example', segment: 'whale' });
		expect(badSegment.response).toMatchObject({ status: 422, body: { accepted: false, field: 'lead.segment' } });
		expect(crmLeads()).toEqual([]);
	});
});

describe('lead routing: CSV upload on the form', () => {
	it('routes the good rows, and reports the bad row on the ending page and in a receipt', async () => {
		const { ledger } = freshDataDir();
		const ids = owners();
		const world = new LeadRouting(vendors, { crmOwners: ids });
		const csv = ['email,first_name,last_name,company,country,company_size,arr_estimate', 'ana@shop-a.example,Ana,Ames,Shop A,BR,8,9000', ',Bob,Bare,No Mail Ltd,BR,5,1000', 'cy@bigbank-c.example.co.uk,Cy,Cole,Big Bank,GB,5000,600000'].join('\n');
		const { run, routing, page } = await world.uploadCsv(csv);
		expect(run.error?.message).toBeUndefined();
		expect(routing?.status).toBe('success');
		expect(page?.title).toBe('Leads uploaded');
		expect(page?.message).toContain('2 routed, 0 blocked, 0 refused by the routing rules, 1 rows rejected.');
		expect(page?.message).toContain('Row 3 (email): no email');

		expect(crmLeads().map((lead) => lead.Email).sort()).toEqual(['ana@shop-a.example', 'cy@bigbank-c.example.co.uk']);
		expect(crmLead('cy@bigbank-c.example.co.uk')?.OwnerId).toBe(ids['team:enterprise-eu']);
		expect(crmLead('ana@shop-a.example')?.OwnerId).toBe(ids['user:sdr-1']);
		expect(world.watches.map((watch) => watch.input.assignee).sort()).toEqual(['team:enterprise-eu', 'user:sdr-1']);

		const [rejected] = await ledger.list(`lead-upload:${routing!.executionId}`);
		expect(rejected).toMatchObject({ workflow_step: 'revops.lead.upload_rejected', resource_ref: 'upload:leads.csv' });
		expect(rejected.policy_decision).toEqual({ rejected: [{ row: 3, column: 'email', message: expect.stringContaining('no email') }] });
		const routed = await Promise.all(world.watches.map((watch) => steps(ledger, String(watch.input.leadId))));
		for (const chain of routed) expect(chain[0]).toBe('revops.lead.routed');
	}, 30_000);
});

describe('lead routing: CRM new-lead event', () => {
	it('a new Salesforce lead (Outbound Message on Lead) is routed with source crm and gets its owner; no second CRM lead', async () => {
		const { ledger } = freshDataDir();
		const world = new LeadRouting(vendors, { crmOwners: owners() });
		const accountOwner = customerAccount('globex.example');
		const created = sf().seedLead({ Email: 'nora@globex.example', FirstName: 'Nora', LastName: 'Quinn', Company: 'Globex', Country: 'US', State: 'TX' });
		expect(created.OwnerId).not.toBe(accountOwner);

		const first = await world.salesforceNewLeads([created.Id], { notificationIds: ['04l000000000001AAA'] });
		expect(first.delivery.status).toBe(200);
		expect(String(first.delivery.body)).toContain('<Ack>true</Ack>');
		expect(first.run?.status).toBe('success');
		// The lead already in the CRM is the one routed: found by email, given the account owner, not created again.
		expect(crmLeads()).toHaveLength(1);
		expect(crmLead('nora@globex.example')).toMatchObject({ Id: created.Id, OwnerId: accountOwner, LastName: 'Quinn', LeadSource: 'Web' });
		const receipts = await ledger.list(created.Id);
		expect(receipts.map((receipt) => receipt.workflow_step).slice(0, 2)).toEqual(['revops.lead.routed', 'crm.lead.upsert']);
		expect(receipts[0]).toMatchObject({ subject: 'source:crm', resource_ref: `lead:${created.Id}` });
		expect((receipts[0].policy_decision as Record<string, any>).attributes.lead).toMatchObject({ id: created.Id, source: 'crm', email_domain: 'globex.example', country: 'US', state: 'TX' });
		expect(first.run?.executedNodes).not.toContain('Respond: Accepted');

		// Salesforce resends the notification (its ack was lost): acknowledged, nothing routed twice.
		const again = await world.salesforceNewLeads([created.Id], { notificationIds: ['04l000000000001AAA'] });
		expect(String(again.delivery.body)).toContain('<Ack>true</Ack>');
		expect(again.run).toBeUndefined();
		expect(await ledger.list(created.Id)).toHaveLength(receipts.length);
	});
});

describe('lead routing: SLA watch', () => {
	async function routedEnterpriseLead(ledger: EvidenceLedger) {
		const ids = owners();
		const world = new LeadRouting(vendors, { crmOwners: ids, teamLeads: { 'team:enterprise-eu': 'emea-lead@example.com' } });
		await world.postLead(enterpriseUk(3));
		const [watch] = world.watches;
		expect(watch.run.status).toBe('waiting');
		expect(await steps(ledger, String(watch.input.leadId))).not.toContain('revops.lead.sla_violated');
		return { world, watch };
	}

	it('the deadline passes with the lead untouched: the team lead is emailed and an sla_violated receipt is written', async () => {
		const { ledger } = freshDataDir();
		const { world, watch } = await routedEnterpriseLead(ledger);
		const resumed = await world.passDeadline(watch);
		expect(resumed.status).toBe('success');
		const [mail, ...more] = mailTo('emea-lead@example.com');
		expect(more).toEqual([]);
		expect(mail.subject).toBe(`SLA missed: lead ${watch.input.leadId} untouched by team:enterprise-eu after 45 min`);
		expect(mail.envelopeTo).toContain('revops-lead@example.com');
		expect(mail.body).toContain(String(watch.input.crmLeadId));
		const receipts = await ledger.list(String(watch.input.leadId));
		const violated = receipts.find((receipt) => receipt.workflow_step === 'revops.lead.sla_violated');
		expect(violated?.policy_decision).toMatchObject({ sla_minutes: 45, deadline: watch.input.deadline, assignee: 'team:enterprise-eu', crm_status: 'Open - Not Contacted', escalated_to: 'emea-lead@example.com' });
		expect(receipts.map((receipt) => receipt.workflow_step)).not.toContain('revops.lead.sla_met');
	});

	it('a lead worked before the deadline is not escalated: an sla_met receipt instead', async () => {
		const { ledger } = freshDataDir();
		const { world, watch } = await routedEnterpriseLead(ledger);
		sf().markLeadTouched(String(watch.input.crmLeadId), { status: 'Working - Contacted' });
		const resumed = await world.passDeadline(watch);
		expect(resumed.status).toBe('success');
		expect(resumed.executedNodes).not.toContain('Email Team Lead: SLA Missed');
		expect(mailTo('emea-lead@example.com')).toEqual([]);
		const chain = await steps(ledger, String(watch.input.leadId));
		expect(chain).toContain('revops.lead.sla_met');
		expect(chain).not.toContain('revops.lead.sla_violated');
		expect(resumed.nodeOutput('Release Capacity Slot')[0]).toMatchObject({ release: { lead_id: watch.input.leadId } });
	});
});
