/**
 * workflows/lead-routing.json (seed 002) as published in real n8n: leads POSTed to /webhook/q2c-leads with the Header
 * Auth token, routed by the RevOps node (round-robin claims made atomically in the routing store under n8n's data
 * folder), written to the Salesforce fake with their owner, and watched until their SLA deadline by executions the
 * template starts of itself (Wait until the deadline, then the CRM lead is read: untouched → team lead emailed).
 *
 * As an operator sets it up: Config.crmOwners maps the assignees to the CRM's users (the template ships it blank), and
 * the RevOps Config credential's overrides give the SDR pool a third member and a capacity of 70 open leads each, and
 * enterprise leads from APAC a 1-minute SLA (so a breach happens within the test). Both are undone afterwards.
 */
import { join } from 'node:path';
import { FileRoutingStateStore } from '../../../connectors/revops/routingState';
import { e2e, errorOf, executions, sleep } from '../support/context';
import { changeConfig, executionsWhen, knownExecutions, mailsMatching, overrideRevOpsConfig, salesforce } from '../support/revops';

/** The RevOps Config credential the template's nodes use (workflows/lead-routing.json). */
const CREDENTIAL = 'q2cRevOpsTenant1';
const POOL = ['user:sdr-1', 'user:sdr-2', 'user:sdr-3'];
const CAPACITY = 70;
const ENTERPRISE_TEAM = 'team:enterprise-global';
const TEAM_LEAD = 'apac-enterprise-lead@example.com';
const REVOPS = 'revops-lead@example.com';
const OVERRIDES = { routing: { round_robin_pools: { sdr_global: POOL }, capacity: { default: CAPACITY } }, sla_minutes: { enterprise: { apac: 1 } } };

interface Answer {
	status: number;
	body: { accepted: boolean; leadId: string; status: string; assignee: string | null; routeStrategy: string; conflicts: string[]; crmLeadId: string | null; slaDeadline: string | null };
}

const workflowId = () => e2e().ids.leadRouting;
const crmLeads = () => salesforce().state().records.Lead;
const routingStore = () => new FileRoutingStateStore(join(e2e().stack.dataDir, 'routing'));

async function postLead(lead: Record<string, unknown>): Promise<Answer> {
	const { name, value } = e2e().sb.credentials.httpHeaderAuth;
	const response = await fetch(`${e2e().baseUrl}/webhook/q2c-leads`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [String(name)]: String(value) },
		body: JSON.stringify(lead),
		signal: AbortSignal.timeout(240_000),
	});
	return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** An SMB lead (ARR 9,000) from Brazil: no region, no territory, no account → the SDR pool's round robin. */
const smbLead = (tag: string, n: number) => ({ email: `owner@shop-${tag}-${n}.example`, first_name: 'Rui', last_name: `Shop ${n}`, company: `Shop ${n}`, country: 'BR', company_size: 8, arr_estimate: 9000 });
/** An enterprise lead from Australia → the enterprise team (segment rule), APAC SLA. */
const enterpriseLead = (tag: string) => ({ email: `cto@bank-${tag}.example`, first_name: 'Ada', last_name: 'Banks', company: `Bank ${tag}`, country: 'AU', company_size: 5000, arr_estimate: 600000 });

/** Receipt steps per lead id. */
async function stepsOf(leadId: string): Promise<string[]> {
	return (await e2e().ledger.list(leadId)).map((receipt) => receipt.workflow_step);
}

/**
 * CRM users for the assignees, seeded after each sandbox reset (user ids restart with it, so they are the same every
 * time), and Config.crmOwners / teamLeads naming them, published once.
 */
let configured: Record<string, string> | undefined;
let undoConfig: (() => Promise<void>) | undefined;
async function crmOwners(): Promise<Record<string, string>> {
	const owners = Object.fromEntries([...POOL, ENTERPRISE_TEAM].map((assignee) => [assignee, String(salesforce().seedUser({ LastName: assignee }).Id)]));
	if (JSON.stringify(owners) !== JSON.stringify(configured)) {
		const undo = await changeConfig(workflowId(), (config) => {
			config.crmOwners = { ...config.crmOwners, ...owners };
			config.teamLeads = { ...config.teamLeads, [ENTERPRISE_TEAM]: TEAM_LEAD };
		});
		undoConfig ??= undo;
		configured = owners;
	}
	return owners;
}

const countBy = (values: string[]) => values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {});

export function leadRouting(): void {
	describe('lead routing template (seed 002)', () => {
		let undoCredential: (() => Promise<void>) | undefined;
		beforeAll(async () => {
			undoCredential = await overrideRevOpsConfig(CREDENTIAL, OVERRIDES);
		});
		afterAll(async () => {
			await undoConfig?.();
			await undoCredential?.();
			configured = undoConfig = undefined;
		});

		it(`200 SMB leads at once: each routed once, round robin over ${POOL.length} SDRs within 1 of each other; then the pool fills to its capacity of ${CAPACITY} and the rest are flagged`, async () => {
			const owners = await crmOwners();
			const ownerOf = Object.fromEntries(Object.entries(owners).map(([assignee, id]) => [id, assignee]));
			const tag = Date.now().toString(36);
			const known = await knownExecutions(workflowId());

			const started = Date.now();
			const answers = await Promise.all(Array.from({ length: 200 }, (_, n) => postLead(smbLead(tag, n))));
			process.stdout.write(`[e2e] lead routing: 200 concurrent leads answered in ${Date.now() - started} ms\n`);
			expect(answers.filter((answer) => answer.status !== 202 || answer.body.status !== 'routed').map((answer) => answer.body)).toEqual([]);
			expect(answers.every((answer) => answer.body.routeStrategy === 'round_robin' && answer.body.conflicts.length === 0 && answer.body.slaDeadline)).toBe(true);
			const leadIds = answers.map((answer) => answer.body.leadId);
			expect(new Set(leadIds).size).toBe(200);

			// Balanced: 200 over 3 members is 67/67/66; nobody near the capacity yet.
			const perMember = countBy(answers.map((answer) => String(answer.body.assignee)));
			expect(Object.keys(perMember).sort()).toEqual(POOL);
			const counts = Object.values(perMember);
			expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
			expect(await routingStore().openLeads('default', POOL)).toEqual(perMember);

			// Routed once, everywhere: one CRM lead per email with the answer's owner, one routed receipt per lead.
			const leads = crmLeads().filter((lead) => String(lead.Email).includes(`-${tag}-`));
			expect(leads).toHaveLength(200);
			const byEmail = new Map(leads.map((lead) => [String(lead.Email), lead]));
			answers.forEach((answer, n) => expect([byEmail.get(smbLead(tag, n).email)?.Id, ownerOf[byEmail.get(smbLead(tag, n).email)?.OwnerId]]).toEqual([answer.body.crmLeadId, answer.body.assignee]));
			const chains = await Promise.all(leadIds.map(async (leadId) => (await e2e().ledger.list(leadId)).filter((receipt) => receipt.workflow_step === 'revops.lead.routed')));
			expect(chains.filter((routed) => routed.length !== 1)).toEqual([]);
			const claims = chains.map(([routed]) => (routed.policy_decision as any).assignment);
			expect(claims.map((claim) => [claim.source, claim.pool, claim.claim.reason])).toEqual(Array(200).fill(['routing_store', 'sdr_global', 'assigned']));
			expect(claims.map((claim) => claim.assignee)).toEqual(answers.map((answer) => answer.body.assignee));
			expect(e2e().sb.mail.messages()).toEqual([]);

			// n8n: 200 webhook runs succeeded, and each started one SLA watch, now waiting for its deadline (120 min).
			const runs = await executionsWhen(workflowId(), known, (fresh) => fresh.length >= 400 && fresh.every((execution) => execution.status === 'success' || execution.status === 'waiting'), 180_000);
			expect(countBy(runs.map((execution) => execution.status))).toEqual({ success: 200, waiting: 200 });

			// 20 more at once: the 10 free slots are taken (every SDR at exactly 70), the other 10 get nobody and are flagged.
			const more = await Promise.all(Array.from({ length: 20 }, (_, n) => postLead(smbLead(tag, 200 + n))));
			expect(more.map((answer) => [answer.status, answer.body.status])).toEqual(Array(20).fill([202, 'routed']));
			const unassigned = more.filter((answer) => answer.body.assignee === null);
			expect(unassigned).toHaveLength(POOL.length * CAPACITY - 200);
			expect(await routingStore().openLeads('default', POOL)).toEqual(Object.fromEntries(POOL.map((member) => [member, CAPACITY])));
			const all = countBy([...answers, ...more].map((answer) => String(answer.body.assignee)).filter((assignee) => assignee !== 'null'));
			expect(Math.max(...Object.values(all))).toBe(CAPACITY);
			for (const answer of unassigned) {
				expect(answer.body).toMatchObject({ conflicts: ['no_assignee'], slaDeadline: null });
				const receipts = await e2e().ledger.list(answer.body.leadId);
				expect(receipts.filter((receipt) => receipt.workflow_step === 'revops.lead.routed').map((receipt) => (receipt.policy_decision as any).assignment.claim)).toEqual([
					expect.objectContaining({ reason: 'capacity_exhausted', assignee: null, skipped: expect.arrayContaining(POOL) }),
				]);
				expect(receipts.map((receipt) => receipt.workflow_step)).toContain('revops.lead.conflict');
				// In the CRM, owned by the API user that created it, not by a pool member.
				expect(crmLeads().find((lead) => lead.Id === answer.body.crmLeadId)?.OwnerId).toBe(salesforce().apiUser().Id);
			}
			// Only the 10 assigned leads are watched.
			const moreRuns = await executionsWhen(workflowId(), new Set(runs.map((run) => run.id).concat([...known])), (fresh) => fresh.length >= 30 && fresh.every((execution) => execution.status === 'success' || execution.status === 'waiting'));
			expect(countBy(moreRuns.map((execution) => execution.status))).toEqual({ success: 20, waiting: 10 });
			const flagged = await mailsMatching((mail) => mail.to.includes(REVOPS), unassigned.length);
			expect(flagged.map((mail) => mail.subject).sort()).toEqual(unassigned.map((answer) => `Lead routing conflict: ${answer.body.leadId} → nobody`).sort());
		}, 600_000);

		it('an SLA breach escalates: the untouched lead → team lead emailed + sla_violated; the worked lead → sla_met, no escalation', async () => {
			await crmOwners();
			const tag = Date.now().toString(36);
			const known = await knownExecutions(workflowId());
			const [untouched, worked] = await Promise.all([postLead(enterpriseLead(`${tag}-a`)), postLead(enterpriseLead(`${tag}-b`))]);
			for (const answer of [untouched, worked]) {
				expect(answer).toMatchObject({ status: 202, body: { status: 'routed', assignee: ENTERPRISE_TEAM, routeStrategy: 'segment', conflicts: [] } });
				expect(Date.parse(String(answer.body.slaDeadline)) - Date.now()).toBeLessThanOrEqual(60_000);
			}
			salesforce().markLeadTouched(String(worked.body.crmLeadId), { status: 'Working - Contacted' });
			expect(await stepsOf(untouched.body.leadId)).not.toContain('revops.lead.sla_violated');

			// Both watches wake at the 1-minute deadline and read the CRM lead.
			const runs = await executionsWhen(workflowId(), known, (fresh) => fresh.length === 4 && fresh.every((execution) => execution.stoppedAt && execution.status !== 'waiting'), 180_000);
			const failed = await Promise.all(runs.filter((run) => run.status !== 'success').map(async (run) => errorOf((await executions(workflowId(), true)).find((e) => e.id === run.id)!)));
			expect(failed).toEqual([]);

			const [escalation, ...others] = await mailsMatching((mail) => mail.to.includes(TEAM_LEAD));
			expect(others).toEqual([]);
			expect(escalation.subject).toBe(`SLA missed: lead ${untouched.body.leadId} untouched by ${ENTERPRISE_TEAM} after 1 min`);
			expect(escalation.envelope.to).toContain(REVOPS);
			expect(escalation.text).toContain(String(untouched.body.crmLeadId));
			await sleep(1000);
			expect(e2e().sb.mail.messages().filter((mail) => mail.text.includes(worked.body.leadId) || mail.subject.includes(worked.body.leadId))).toEqual([]);

			const violated = (await e2e().ledger.list(untouched.body.leadId)).filter((receipt) => receipt.workflow_step === 'revops.lead.sla_violated');
			expect(violated.map((receipt) => receipt.policy_decision)).toEqual([
				expect.objectContaining({ sla_minutes: 1, assignee: ENTERPRISE_TEAM, crm_status: 'Open - Not Contacted', escalated_to: TEAM_LEAD, deadline: untouched.body.slaDeadline }),
			]);
			expect(await stepsOf(untouched.body.leadId)).not.toContain('revops.lead.sla_met');
			const workedSteps = await stepsOf(worked.body.leadId);
			expect(workedSteps).toContain('revops.lead.sla_met');
			expect(workedSteps).not.toContain('revops.lead.sla_violated');
		}, 300_000);
	});
}
