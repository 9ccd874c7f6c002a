/**
 * workflows/deal-desk.json (seed 002) as published in real n8n: a quote POSTed to /webhook/q2c-deal-desk-quote
 * (Header Auth) is evaluated by the RevOps policy (the stack's tenant: the shipped default profile), and each approver
 * answers the send-and-wait email by opening its signed `/webhook-waiting/…` link in a browser and submitting the
 * form (Decision / Comment / Counter discount %). An approved quote moves the Salesforce opportunity to Closed Won;
 * Salesforce's Outbound Message for the won deal (sent here as the org's workflow rule would) starts
 * workflows/quote-to-cash.json, whose first step sends the DocuSign envelope. A rejected quote never gets that far.
 */
import { e2e, errorOf, executions, sleep, type Execution } from '../support/context';
import { answerEmailedForm, executionsWhen, knownExecutions, mailsMatching, salesforce } from '../support/revops';

const { CRM_FIELDS } = require('../../../sandbox/quoteToCash');

const MANAGER = 'sales-manager@example.com';
const FINANCE = 'finance@example.com';
const SUBMITTER = { id: 'user:ae-7', role: 'ae', email: 'ae-7@example.com' };

const ids = () => e2e().ids;

/** An open opportunity carrying what quote-to-cash reads once it is won (signer, term, plan). */
function openOpportunity(): string {
	const f = CRM_FIELDS.salesforce;
	const fields = { [f.signerName]: 'Dana Buyer', [f.signerEmail]: 'dana.buyer@acme.example', [f.termMonths]: 12, [f.country]: 'US', [f.plan]: 'professional' };
	const blank = Object.fromEntries([f.envelopeId, f.signatureStatus, f.subscriptionId, f.tenantId].map((name: string) => [name, '']));
	return String(salesforce().seedOpportunity({ Name: 'Acme platform deal', Amount: 26000, CurrencyIsoCode: 'USD', ...fields, ...blank }).Id);
}

/** An SMB quote of 40,000 at `discount`: above 30 % the policy asks the sales manager, then finance. */
const smbQuote = (dealId: string, discount: number) => ({ id: `Q-${Date.now().toString(36)}`, opportunity_id: dealId, segment: 'smb', list_price_total: 40000, discount_percentage: discount, term_length_months: 12, has_non_standard_terms: false });

async function submit(quote: ReturnType<typeof smbQuote>): Promise<{ status: number; body: any }> {
	const { name, value } = e2e().sb.credentials.httpHeaderAuth;
	const response = await fetch(`${e2e().baseUrl}/webhook/q2c-deal-desk-quote`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [String(name)]: String(value) },
		body: JSON.stringify({ quote, user: SUBMITTER, crm: { provider: 'salesforce', dealId: quote.opportunity_id } }),
		signal: AbortSignal.timeout(60_000),
	});
	return { status: response.status, body: await response.json() };
}

/** The `n`-th approval email to `approver` about the quote (1-based), once it arrived. */
async function approvalMail(approver: string, quoteId: string, n: number) {
	const mails = await mailsMatching((mail) => mail.to.includes(approver) && mail.subject.includes(quoteId), n, 60_000);
	expect(mails).toHaveLength(n);
	return mails[n - 1];
}

/** The deal desk's one execution for the quote, finished (it waits for each approver in between). */
async function finished(known: Set<string>): Promise<Execution> {
	const [run, ...others] = await executionsWhen(ids().dealDesk, known, (fresh) => fresh.length > 0 && fresh.every((execution) => execution.stoppedAt && execution.status !== 'waiting'), 60_000);
	expect(others).toEqual([]);
	const withData = (await executions(ids().dealDesk, true)).find((execution) => execution.id === run.id)!;
	expect({ status: withData.status, error: errorOf(withData) }).toEqual({ status: 'success', error: '' });
	return withData;
}

const steps = async (dealId: string) => (await e2e().ledger.list(dealId)).map((receipt) => receipt.workflow_step);
const decisions = async (dealId: string, step: string) => (await e2e().ledger.list(dealId)).filter((receipt) => receipt.workflow_step === step).map((receipt) => receipt.policy_decision as Record<string, any>);

export function dealDesk(): void {
	describe('deal desk template (seed 002)', () => {
		it('manager + finance quote: the manager counter-proposes through the signed link, the revised quote is re-evaluated, both approve → Closed Won → quote-to-cash sends the envelope', async () => {
			const { sb, quoteToCashUrls } = e2e();
			const dealId = openOpportunity();
			const quote = smbQuote(dealId, 0.35);
			const known = await knownExecutions(ids().dealDesk);
			const knownQ2c = await knownExecutions(ids().quoteToCash);

			const answer = await submit(quote);
			expect(answer).toMatchObject({ status: 202, body: { accepted: true, status: 'pending_approval', quoteId: quote.id, version: 1, requiredApprovals: ['SALES_MANAGER', 'FINANCE'] } });
			const first = await approvalMail(MANAGER, quote.id, 1);
			expect(first.subject).toBe(`Quote needs your approval: ${quote.id} (Sales manager)`);
			const [waiting] = await executionsWhen(ids().dealDesk, known, (fresh) => fresh.length === 1 && fresh[0].status === 'waiting');
			expect(first.text).toContain(`/webhook-waiting/${waiting.id}/`);

			await answerEmailedForm(first, ['Counter-propose', 'Finance will not take 35 %', '32']);
			const revised = await approvalMail(MANAGER, quote.id, 2);
			expect(revised.text).toContain('version 2');
			expect(revised.text).toContain('32 %');
			expect(sb.mail.messages().filter((mail) => mail.to.includes(FINANCE))).toEqual([]);

			await answerEmailedForm(revised, ['Approve', 'OK at 32', '']);
			const toFinance = await approvalMail(FINANCE, quote.id, 1);
			expect(toFinance.subject).toBe(`Quote needs your approval: ${quote.id} (Finance)`);
			expect(toFinance.text).toContain(`Already approved by: ${MANAGER}`);
			await answerEmailedForm(toFinance, ['Approve', '', '']);

			const run = await finished(known);
			expect(run.id).toBe(waiting.id);
			expect(sb.crm.dealRecord('salesforce', dealId)).toMatchObject({ StageName: 'Closed Won', IsWon: true });
			expect(await steps(dealId)).toEqual([
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
			expect(await decisions(dealId, 'dealdesk.quote.revised')).toEqual([expect.objectContaining({ from_version: 1, version: 2, from_discount: 0.35, discount_percentage: 0.32, by: MANAGER, role: 'SALES_MANAGER' })]);
			const evaluated = await decisions(dealId, 'dealdesk.quote.evaluated');
			expect(evaluated.map((d) => [d.version, d.attributes.quote.discount_percentage, d.decision.required_approvals])).toEqual([
				[1, 0.35, ['SALES_MANAGER', 'FINANCE']],
				[2, 0.32, ['SALES_MANAGER', 'FINANCE']],
			]);
			expect((await decisions(dealId, 'dealdesk.approval.approved')).map((d) => [d.role, d.approver, d.version])).toEqual([
				['SALES_MANAGER', MANAGER, 2],
				['FINANCE', FINANCE, 2],
			]);
			const [approvedMail] = await mailsMatching((mail) => mail.to.includes(SUBMITTER.email));
			expect(approvedMail.subject).toBe(`Quote approved: ${quote.id}`);
			expect(sb.envelopesFor(dealId)).toEqual([]);

			// Salesforce's workflow rule on the won opportunity sends its Outbound Message to quote-to-cash's CRM Trigger.
			const sent = await salesforce().deliverOutboundMessage(quoteToCashUrls.salesforceDealWon, [dealId]);
			expect({ status: sent.status, acked: sent.acked }).toEqual({ status: 200, acked: true });
			const [q2c, ...moreQ2c] = await executionsWhen(ids().quoteToCash, knownQ2c, (fresh) => fresh.length > 0 && fresh.every((execution) => execution.stoppedAt));
			expect(moreQ2c).toEqual([]);
			expect(q2c.status).toBe('success');
			const [envelope, ...otherEnvelopes] = sb.envelopesFor(dealId);
			expect(otherEnvelopes).toEqual([]);
			expect(envelope).toMatchObject({ status: 'sent' });
			expect((await steps(dealId)).slice(12)).toEqual(['crm.deal.won', 'docusign.envelope.sent']);
			expect((await e2e().ledger.verify(dealId)).valid).toBe(true);
		}, 300_000);

		it('finance rejects after the manager approved: dealdesk.quote.rejected, the deal stays open, no envelope', async () => {
			const { sb } = e2e();
			const dealId = openOpportunity();
			const quote = smbQuote(dealId, 0.4);
			const known = await knownExecutions(ids().dealDesk);
			const knownQ2c = await knownExecutions(ids().quoteToCash);

			expect(await submit(quote)).toMatchObject({ status: 202, body: { status: 'pending_approval', requiredApprovals: ['SALES_MANAGER', 'FINANCE'] } });
			await answerEmailedForm(await approvalMail(MANAGER, quote.id, 1), ['Approve', '', '']);
			await answerEmailedForm(await approvalMail(FINANCE, quote.id, 1), ['Reject', 'Margin too thin this quarter', '']);
			await finished(known);

			expect(await steps(dealId)).toEqual([
				'dealdesk.quote.submitted',
				'dealdesk.quote.evaluated',
				'dealdesk.approval.requested',
				'dealdesk.approval.approved',
				'dealdesk.approval.requested',
				'dealdesk.approval.rejected',
				'dealdesk.quote.rejected',
			]);
			expect((await decisions(dealId, 'dealdesk.quote.rejected'))[0]).toMatchObject({ reason: 'rejected', by: FINANCE, role: 'FINANCE', comment: 'Margin too thin this quarter', version: 1 });
			expect(sb.crm.dealRecord('salesforce', dealId)).toMatchObject({ StageName: 'Negotiation/Review', IsWon: false });
			const [rejectedMail] = await mailsMatching((mail) => mail.to.includes(SUBMITTER.email));
			expect(rejectedMail.subject).toBe(`Quote not approved: ${quote.id}`);
			expect(rejectedMail.text).toContain('Margin too thin this quarter');

			// Nothing was won, so the CRM tells quote-to-cash nothing: no run, no envelope.
			await sleep(3000);
			expect((await executions(ids().quoteToCash)).filter((execution) => !knownQ2c.has(execution.id))).toEqual([]);
			expect(sb.envelopesFor(dealId)).toEqual([]);
		}, 300_000);
	});
}
