/**
 * workflows/deal-desk.json run in-process with n8n's real Webhook, Set, If, Switch, Respond to Webhook and Send Email
 * (send-and-wait) nodes, our RevOps, Evidence and CRM nodes, against the sandbox's SMTP sink and Salesforce fake.
 * Approvers answer through the signed form link of the email they received; a timeout is the wait tracker resuming
 * the execution. The approved deal is then handed to workflows/quote-to-cash.json the way the CRM would.
 */
import { runWebhook } from '../harness';
import { freshDataDir, openSandbox, template, type Sandbox } from './context';
import { DEAL_DESK_TOKEN, DealDesk, dealDeskTemplate, newQuote, openOpportunity, SUBMITTER, type DealDeskRun, type Quote } from './dealDeskKit';

const MANAGER = 'sales-manager@example.com';
const FINANCE = 'finance@example.com';
const VP_SALES = 'vp-sales@example.com';

let sb: Sandbox & Record<string, any>;
let desk: DealDesk;

beforeAll(async () => {
	sb = (await openSandbox()) as Sandbox & Record<string, any>;
	desk = new DealDesk(sb);
});
afterAll(async () => {
	await sb?.close();
});
beforeEach(async () => {
	await sb.reset();
	sb.clearFaults();
});

type Ledger = ReturnType<typeof freshDataDir>['ledger'];
const receipts = async (ledger: Ledger, key: string) => ledger.list(key);
const steps = async (ledger: Ledger, key: string) => (await receipts(ledger, key)).map((receipt) => receipt.workflow_step);

async function submitted(quote: Quote, withCrm = true) {
	const body = { quote, user: SUBMITTER, ...(withCrm ? { crm: { provider: 'salesforce', dealId: quote.opportunity_id } } : {}) };
	const { response, run } = await desk.submit(body);
	expect(run?.error).toBeUndefined();
	return { response, run: run! };
}

function expectWaitingOn(run: DealDeskRun, approver: string, subject: RegExp) {
	expect(run.error).toBeUndefined();
	expect(run.status).toBe('waiting');
	expect(desk.mailTo(approver).at(-1)?.subject).toMatch(subject);
}

describe('deal desk: approvals', () => {
	it('manager + finance quote: the manager counters, the revised quote is evaluated again, both approve → CRM deal won → quote-to-cash sends the envelope', async () => {
		const { ledger } = freshDataDir();
		const dealId = openOpportunity(sb);
		const quote = newQuote({ opportunity_id: dealId, discount_percentage: 0.35 });

		const { response, run } = await submitted(quote);
		expect(response.status).toBe(202);
		expect(response.body).toMatchObject({ accepted: true, status: 'pending_approval', quoteId: quote.id, version: 1, requiredApprovals: ['SALES_MANAGER', 'FINANCE'] });
		expectWaitingOn(run, MANAGER, new RegExp(`${quote.id} \\(Sales manager\\)`));
		expect(desk.mailTo(FINANCE)).toEqual([]);

		const countered = await desk.answer(run, MANAGER, 'Counter-propose', 'Finance will not take 35 %', '32');
		expectWaitingOn(countered, MANAGER, new RegExp(quote.id));
		expect(desk.mailTo(MANAGER)).toHaveLength(2);
		expect(desk.mailTo(MANAGER)[1].text).toContain('version 2');
		expect(desk.mailTo(MANAGER)[1].text).toContain('32 %');
		expect(countered.executedNodes).toEqual(expect.arrayContaining(['Revise Quote', 'Receipt: Quote Revised', 'Evaluate Quote']));

		const managerApproved = await desk.answer(countered, MANAGER, 'Approve', 'OK at 32');
		expectWaitingOn(managerApproved, FINANCE, new RegExp(`${quote.id} \\(Finance\\)`));
		expect(desk.mailTo(FINANCE)[0].text).toContain(`Already approved by: ${MANAGER}`);

		const done = await desk.answer(managerApproved, FINANCE, 'Approve');
		expect(done.error).toBeUndefined();
		expect(done.status).toBe('success');
		expect(done.executedNodes).toEqual(expect.arrayContaining(['CRM: Mark Deal Won', 'Receipt: Handed Off', 'Email: Quote Approved']));
		expect(sb.crm.dealRecord('salesforce', dealId)).toMatchObject({ StageName: 'Closed Won', IsWon: true });

		expect(await steps(ledger, dealId)).toEqual([
			'dealdesk.quote.submitted',
			'dealdesk.quote.evaluated',
			'dealdesk.approval.requested',
			'dealdesk.approval.countered',
			'dealdesk.quote.revised',
			'dealdesk.quote.evaluated',
			'dealdesk.approval.requested',
			'dealdesk.approval.approved',
			'dealdesk.approval.requested',
			'dealdesk.approval.approved',
			'dealdesk.quote.approved',
			'dealdesk.handoff.crm',
		]);
		const chain = await receipts(ledger, dealId);
		const byStep = (step: string) => chain.filter((receipt) => receipt.workflow_step === step).map((receipt) => receipt.policy_decision as Record<string, any>);
		expect(byStep('dealdesk.quote.revised')).toEqual([expect.objectContaining({ quote_id: quote.id, from_version: 1, version: 2, from_discount: 0.35, discount_percentage: 0.32, by: MANAGER, role: 'SALES_MANAGER' })]);
		const [first, second] = byStep('dealdesk.quote.evaluated');
		expect(first).toMatchObject({ version: 1, attributes: { quote: { discount_percentage: 0.35 } }, decision: { allow: true, required_approvals: ['SALES_MANAGER', 'FINANCE'] } });
		expect(second).toMatchObject({ version: 2, attributes: { quote: { discount_percentage: 0.32 } }, decision: { required_approvals: ['SALES_MANAGER', 'FINANCE'] } });
		expect(second.trace.length).toBeGreaterThan(0);
		expect(byStep('dealdesk.approval.approved').map((d) => [d.role, d.approver, d.version])).toEqual([['SALES_MANAGER', MANAGER, 2], ['FINANCE', FINANCE, 2]]);
		expect(byStep('dealdesk.quote.approved')[0]).toMatchObject({ version: 2, discount_percentage: 0.32, approvals: [{ role: 'SALES_MANAGER' }, { role: 'FINANCE' }] });
		expect(await ledger.verify(dealId)).toMatchObject({ valid: true, count: 12 });

		// The two bundles: the whole chain, and the evaluations, revisions and decisions only.
		const dealBundle = done.nodeOutput('Export: Deal Evidence Bundle')[0];
		const policyBundle = done.nodeOutput('Export: Discount Policy Bundle')[0];
		expect(dealBundle.receipts).toHaveLength(12);
		expect(policyBundle.receipts.map((r: any) => r.workflow_step)).toEqual([
			'dealdesk.quote.evaluated',
			'dealdesk.approval.countered',
			'dealdesk.quote.revised',
			'dealdesk.quote.evaluated',
			'dealdesk.approval.approved',
			'dealdesk.approval.approved',
			'dealdesk.quote.approved',
		]);
		expect(policyBundle.verification).toMatchObject({ valid: true, count: 12 });
		const approvedMail = desk.mailTo(SUBMITTER.email).at(-1)!;
		expect(approvedMail.subject).toBe(`Quote approved: ${quote.id}`);
		expect(approvedMail.text).toContain(dealBundle.bundle_sha256);
		expect(approvedMail.text).toContain(policyBundle.bundle_sha256);
		const onDemand = await desk.evidence({ opportunityId: dealId, bundle: 'discount-policy' });
		expect(onDemand.status).toBe(200);
		expect(onDemand.body.receipts.map((r: any) => r.id)).toEqual(policyBundle.receipts.map((r: any) => r.id));

		// The CRM now tells quote-to-cash that the deal was won: its envelope goes out on the same receipt chain.
		const message = sb.crm.salesforce.outboundMessage([dealId]);
		const won = await runWebhook(template('quote-to-cash.json'), 'CRM Trigger', { method: 'POST', headers: message.headers, rawBody: message.rawBody, query: Object.fromEntries(new URLSearchParams(message.query)) }, { credentials: sb.credentials });
		expect(won.run?.error?.message).toBeUndefined();
		expect(won.run?.executedNodes).toContain('Send Contract for Signature');
		expect(sb.envelopesFor(dealId)).toHaveLength(1);
		expect((await steps(ledger, dealId)).slice(12)).toEqual(['crm.deal.won', 'docusign.envelope.sent']);
		expect((await ledger.verify(dealId)).valid).toBe(true);
	});

	it('finance rejects after the manager approved: the quote ends rejected, the submitter is told, nothing is handed off', async () => {
		const { ledger } = freshDataDir();
		const dealId = openOpportunity(sb);
		const quote = newQuote({ opportunity_id: dealId, discount_percentage: 0.4 });
		const { run } = await submitted(quote);
		const managerApproved = await desk.answer(run, MANAGER, 'Approve');
		expectWaitingOn(managerApproved, FINANCE, new RegExp(quote.id));

		const done = await desk.answer(managerApproved, FINANCE, 'Reject', 'Margin too thin this quarter');
		expect(done.error).toBeUndefined();
		expect(done.status).toBe('success');
		expect(done.executedNodes).not.toContain('Approved');
		expect(done.executedNodes).not.toContain('CRM: Mark Deal Won');
		expect(done.executedNodes).not.toContain('Receipt: Handed Off');
		expect(sb.crm.dealRecord('salesforce', dealId)).toMatchObject({ StageName: 'Negotiation/Review', IsWon: false });
		expect(await steps(ledger, dealId)).toEqual([
			'dealdesk.quote.submitted',
			'dealdesk.quote.evaluated',
			'dealdesk.approval.requested',
			'dealdesk.approval.approved',
			'dealdesk.approval.requested',
			'dealdesk.approval.rejected',
			'dealdesk.quote.rejected',
		]);
		const rejected = (await receipts(ledger, dealId)).at(-1)!;
		expect(rejected.policy_decision).toMatchObject({ reason: 'rejected', by: FINANCE, role: 'FINANCE', comment: 'Margin too thin this quarter', version: 1 });
		const mail = desk.mailTo(SUBMITTER.email).at(-1)!;
		expect(mail.subject).toBe(`Quote not approved: ${quote.id}`);
		expect(mail.text).toContain('Margin too thin this quarter');
		expect((await ledger.verify(dealId)).valid).toBe(true);
	});

	it('a quote the policy does not allow (above the ceiling) is answered 202 "rejected" and never reaches an approver', async () => {
		const { ledger } = freshDataDir();
		const quote = newQuote({ discount_percentage: 0.55 });
		const { response, run } = await submitted(quote, false);
		expect(response.status).toBe(202);
		expect(response.body).toMatchObject({ status: 'rejected', allow: false });
		expect(run.status).toBe('success');
		expect(run.executedNodes).not.toContain('Ask Approver');
		expect(await steps(ledger, quote.opportunity_id)).toEqual(['dealdesk.quote.submitted', 'dealdesk.quote.evaluated', 'dealdesk.quote.rejected']);
		expect((await receipts(ledger, quote.opportunity_id)).at(-1)!.policy_decision).toMatchObject({ reason: 'policy', detail: expect.stringContaining('exceeds the maximum') });
	});

	it('Config.maxRounds bounds the counter-proposals: the counter that would make a version beyond it ends the quote', async () => {
		const { ledger } = freshDataDir();
		const bounded = new DealDesk(sb, dealDeskTemplate({ maxRounds: 2 }));
		const quote = newQuote({ discount_percentage: 0.25 });
		const { run } = await bounded.submit({ quote, user: SUBMITTER });
		const second = await bounded.answer(run!, MANAGER, 'Counter-propose', '', '24');
		expectWaitingOn(second, MANAGER, new RegExp(quote.id));
		const done = await bounded.answer(second, MANAGER, 'Counter-propose', '', '23');
		expect(done.status).toBe('success');
		expect((await steps(ledger, quote.opportunity_id)).slice(-3)).toEqual(['dealdesk.approval.requested', 'dealdesk.approval.countered', 'dealdesk.quote.rejected']);
		expect(done.executedNodes).not.toContain('Revise Quote');
		expect((await receipts(ledger, quote.opportunity_id)).at(-1)!.policy_decision).toMatchObject({ reason: 'max_rounds', version: 2 });
	});

	it('a counter-proposal without a usable % is recorded as invalid and the same approver is asked again, told why', async () => {
		const { ledger } = freshDataDir();
		const quote = newQuote({ discount_percentage: 0.25 });
		const { run } = await submitted(quote, false);
		const again = await desk.answer(run, MANAGER, 'Counter-propose', 'less', '');
		expectWaitingOn(again, MANAGER, new RegExp(quote.id));
		expect(desk.mailTo(MANAGER).at(-1)!.text).toContain('counter-proposal without a usable discount');
		const done = await desk.answer(again, MANAGER, 'Approve');
		expect(done.status).toBe('success');
		expect((await steps(ledger, quote.opportunity_id)).slice(2)).toEqual([
			'dealdesk.approval.requested',
			'dealdesk.approval.invalid',
			'dealdesk.approval.approved',
			'dealdesk.quote.approved',
			'dealdesk.handoff.manual',
		]);
	});
});

describe('deal desk: SLA', () => {
	it('the manager does not answer: a reminder, then escalation to the VP Sales, who approves; no CRM deal → a manual hand-off', async () => {
		const { ledger } = freshDataDir();
		const quote = newQuote({ discount_percentage: 0.25 });
		const { response, run } = await submitted(quote, false);
		expect(response.body.requiredApprovals).toEqual(['SALES_MANAGER']);
		expectWaitingOn(run, MANAGER, /^Quote needs your approval/);

		const reminded = await desk.timeOut(run);
		expectWaitingOn(reminded, MANAGER, /^Reminder: Quote needs your approval/);
		const escalated = await desk.timeOut(reminded);
		expectWaitingOn(escalated, VP_SALES, /^Escalated to you: Quote needs your approval/);
		expect(desk.mailTo(VP_SALES)[0].text).toContain(`${MANAGER} did not answer within 24 hours`);

		const done = await desk.answer(escalated, VP_SALES, 'Approve', 'Approved on behalf of the manager');
		expect(done.error).toBeUndefined();
		expect(done.status).toBe('success');
		expect(await steps(ledger, quote.opportunity_id)).toEqual([
			'dealdesk.quote.submitted',
			'dealdesk.quote.evaluated',
			'dealdesk.approval.requested',
			'dealdesk.approval.reminded',
			'dealdesk.approval.escalated',
			'dealdesk.approval.approved',
			'dealdesk.quote.approved',
			'dealdesk.handoff.manual',
		]);
		const chain = await receipts(ledger, quote.opportunity_id);
		expect(chain[3].policy_decision).toMatchObject({ role: 'SALES_MANAGER', approver: MANAGER, reminder: 1, sla_hours: 24 });
		expect(chain[4].policy_decision).toMatchObject({ role: 'SALES_MANAGER', from: MANAGER, to: VP_SALES, reminders_sent: 1 });
		expect(chain[5].policy_decision).toMatchObject({ role: 'SALES_MANAGER', approver: VP_SALES, escalated: true });
		expect((await ledger.verify(quote.opportunity_id)).valid).toBe(true);
	});

	it('nobody answers, not even after escalation: the quote ends rejected for no answer', async () => {
		const { ledger } = freshDataDir();
		const quote = newQuote({ discount_percentage: 0.25 });
		let run = (await submitted(quote, false)).run;
		for (let wait = 0; wait < 3; wait++) run = await desk.timeOut(run);
		const done = await desk.timeOut(run);
		expect(done.status).toBe('success');
		expect((await steps(ledger, quote.opportunity_id)).slice(2)).toEqual([
			'dealdesk.approval.requested',
			'dealdesk.approval.reminded',
			'dealdesk.approval.escalated',
			'dealdesk.approval.reminded',
			'dealdesk.quote.rejected',
		]);
		expect((await receipts(ledger, quote.opportunity_id)).at(-1)!.policy_decision).toMatchObject({ reason: 'no_answer' });
		expect(desk.mailTo(SUBMITTER.email).at(-1)?.subject).toBe(`Quote not approved: ${quote.id}`);
	});
});

describe('deal desk: bad requests', () => {
	it('a malformed quote is refused with 422 naming each field; nothing is recorded or sent', async () => {
		const { ledger } = freshDataDir();
		const quote = newQuote({ discount_percentage: 25, term_length_months: 0 });
		const { response, run } = await desk.submit({ quote, user: { id: 'user:ae-7', role: 'cfo', email: 'nope' }, crm: { provider: 'hubspot', dealId: 'D-1' } });
		expect(response.status).toBe(422);
		expect(response.body).toEqual({
			accepted: false,
			problems: [
				'quote.discount_percentage: expected a number between 0 and 1 (0.25 = 25 %)',
				'quote.term_length_months: expected a positive whole number of months',
				'user.role: expected one of sdr, ae, partner_manager, sales_manager, finance, legal',
				'user.email: expected an email address',
				'crm.provider: expected "salesforce" (the CRM this template updates)',
			],
		});
		expect(run?.executedNodes).not.toContain('Evaluate Quote');
		expect(await steps(ledger, quote.opportunity_id)).toEqual([]);
		expect(sb.mail.messages()).toEqual([]);
	});

	it('a segment the RevOps config does not know is refused with 422 from the policy, naming the field, and recorded as not evaluable', async () => {
		const { ledger } = freshDataDir();
		const quote = newQuote({ segment: 'galactic' });
		const { response } = await desk.submit({ quote, user: SUBMITTER });
		expect(response.status).toBe(422);
		expect(response.body.problems).toEqual([expect.stringContaining('quote.segment: expected a segment declared in the config')]);
		expect(await steps(ledger, quote.opportunity_id)).toEqual(['dealdesk.quote.submitted', 'dealdesk.quote.rejected']);
		expect((await receipts(ledger, quote.opportunity_id)).at(-1)!.policy_decision).toMatchObject({ reason: 'not_evaluable', version: 1, quote_id: quote.id });
	});

	it('a request without the token never starts', async () => {
		const { response, run } = await desk.submit({ quote: newQuote(), user: SUBMITTER }, { [DEAL_DESK_TOKEN.name.toLowerCase()]: 'wrong' });
		expect(run).toBeUndefined();
		expect(response.status).toBe(403);
	});
});
