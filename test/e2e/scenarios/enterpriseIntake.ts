/**
 * workflows/enterprise-intake.json as published in real n8n: a won enterprise deal (Salesforce Outbound Message to the
 * template's CRM Trigger) emails the super admin a link to the n8n form; the form is then submitted over HTTP as a
 * browser does (multipart `field-<n>` answers and the PDF, a browser User-Agent: n8n ignores bot-like requests on
 * forms) and the Form Ending page read from the `formWaitingUrl` n8n answers with. 23 months: the seed's message and
 * nothing created. 24 months: tenant created (World Class), PDF kept with a receipt, the provisioning template's run
 * started for that tenant.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2e, errorOf, executions, sleep, type Execution } from '../support/context';
import { screenshotForm } from '../support/formScreenshots';
import { BROWSER, untilFormWaiting } from '../support/formWaiting';

const SEED_MESSAGE = 'Enterprise contracts must have a minimum duration of 2 years.';
const TEMPLATE = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'workflows', 'enterprise-intake.json'), 'utf8'));
const FIELDS: string[] = TEMPLATE.nodes.find((node: any) => node.name === 'Enterprise Intake Form').parameters.formFields.values.map((field: any) => field.fieldName);
const PDF = Buffer.from('%PDF-1.7\n% e2e enterprise contract\n%%EOF\n', 'latin1');

/** The stack's id of this template (scripts/stack/files.js TEMPLATES key `enterpriseIntake`). */
const intakeId = (): string => e2e().ids.enterpriseIntake;
const fakes = () => (e2e().sb as unknown as { provisioning: { fakes: Record<string, { state(): any }> } }).provisioning.fakes;

function monthsFromToday(months: number): string {
	const date = new Date();
	date.setMonth(date.getMonth() + months);
	return date.toISOString().slice(0, 10);
}

async function finished(workflowId: string, known: Set<string>, count = 1, timeoutMs = 120_000): Promise<Execution[]> {
	for (const deadline = Date.now() + timeoutMs; ; await sleep(500)) {
		const fresh = (await executions(workflowId)).filter((execution) => !known.has(execution.id));
		// The intake run ends waiting on its Form Ending page.
		if (fresh.length >= count && fresh.every((execution) => execution.stoppedAt || execution.status === 'waiting')) return fresh;
		if (Date.now() > deadline) throw new Error(`no finished run of ${workflowId} within ${timeoutMs} ms: ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
	}
}

/** Won enterprise deal → the link the super admin was emailed. */
async function invitedDeal(): Promise<{ dealId: string; link: URL }> {
	const { sb, baseUrl } = e2e();
	const deal = sb.seedWonDeal('salesforce', { plan: 'world_class', name: `E2E Federation ${Date.now().toString(36)}` });
	const answer = await sb.deliverDealWon(deal, `${baseUrl}/webhook/q2c-enterprise-deal-won/webhook`);
	expect(answer.status).toBe(200);
	for (const deadline = Date.now() + 30_000; ; await sleep(300)) {
		const mail = sb.mail.messages().find((message) => message.to.includes('superadmin@example.com') && String(message.text).includes(deal.dealId));
		const match = mail && /https?:\/\/\S+\/form\/q2c-enterprise-intake\?\S+/.exec(String(mail.text));
		if (match) return { dealId: deal.dealId, link: new URL(match[0]) };
		if (Date.now() > deadline) throw new Error(`no intake link emailed for deal ${deal.dealId}`);
	}
}

/** What a browser does: GET the form (prefilled from the link), POST the answers to the same URL, open the ending page. */
async function submit(link: URL, answers: Record<string, string>, screenshot?: string): Promise<{ page: string }> {
	const form = await fetch(link, { headers: BROWSER, signal: AbortSignal.timeout(15_000) });
	expect(form.status).toBe(200);
	const html = await form.text();
	expect(html).toContain(link.searchParams.get('dealId')!); // the hidden deal id is prefilled from the query
	if (screenshot) await screenshotForm(link.href, 'enterprise-intake-form', { 'Owner name': answers.ownerName, 'Owner email': answers.ownerEmail, 'Custom subdomain': answers.subdomain });

	const body = new FormData();
	FIELDS.forEach((name, index) => {
		if (name === 'contract') body.append(`field-${index}`, new Blob([PDF], { type: 'application/pdf' }), 'contract.pdf');
		else body.append(`field-${index}`, answers[name] ?? link.searchParams.get(name) ?? '');
	});
	const posted = await fetch(link, { method: 'POST', body, headers: BROWSER, signal: AbortSignal.timeout(15_000) });
	const postedText = await posted.text();
	const answer = JSON.parse(postedText) as { formWaitingUrl?: string };
	expect({ status: posted.status, formWaitingUrl: typeof answer.formWaitingUrl }).toEqual({ status: 200, formWaitingUrl: 'string' });

	// As n8n's form page does: poll the run's status (an open GET of a running run is never answered), then open the
	// ending page once the run waits on its Form Ending node.
	const waiting = new URL(answer.formWaitingUrl!);
	await untilFormWaiting(waiting, 'the intake run');
	const page = await (await fetch(waiting, { headers: BROWSER, signal: AbortSignal.timeout(15_000) })).text();
	expect(page).toMatch(/<h1>[^<]+<\/h1>/);
	if (screenshot) await screenshotForm(waiting.href, `${screenshot}-ending`);
	return { page };
}

const tenantsOf = (dealId: string): any[] => (e2e().sb.state().superAdmin.tenants as any[]).filter((tenant) => tenant.businessKey === dealId);
const pipelinesOf = (dealId: string): any[] =>
	fakes().gitlab.state().pipelines.filter((pipeline: any) => pipeline.variables.some((v: any) => v.key === 'Q2C_BUSINESS_KEY' && v.value === dealId));

export function enterpriseIntake(): void {
	describe('enterprise intake template (n8n form)', () => {
		it("23 months: the form's ending page shows the seed's message and nothing is created", async () => {
			const { link, dealId } = await invitedDeal();
			const n = Date.now().toString(36);
			const { page } = await submit(link, { ownerName: 'Ada Owner', ownerEmail: `owner-${n}@federation.example.org`, subdomain: `e2e${n}`, contractEndDate: monthsFromToday(23) }, 'enterprise-intake');
			expect(page).toContain(SEED_MESSAGE);
			expect(tenantsOf(dealId)).toEqual([]);
			expect(pipelinesOf(dealId)).toEqual([]);
			expect((await e2e().ledger.list(dealId)).map((receipt) => receipt.workflow_step)).toEqual(['intake.enterprise.invited']);
		}, 180_000);

		it('24 months: tenant created (World Class), contract PDF kept with a receipt, Tier 3 provisioning started for it', async () => {
			const { ids, ledger, stack } = e2e();
			const { link, dealId } = await invitedDeal();
			const n = Date.now().toString(36);
			const subdomain = `e2e${n}`;
			const knownIntake = new Set((await executions(intakeId())).map((execution) => execution.id));
			const knownProvisioning = new Set((await executions(ids.enterprise)).map((execution) => execution.id));
			const { page } = await submit(link, { ownerName: 'Ada Owner', ownerEmail: `owner-${n}@federation.example.org`, subdomain, contractEndDate: monthsFromToday(24) });

			const [tenant, ...others] = tenantsOf(dealId);
			expect(others).toEqual([]);
			expect(tenant).toMatchObject({ tier: 'world_class', subdomain });
			expect(page).toContain(tenant.id);
			const [intake] = await finished(intakeId(), knownIntake);
			expect({ status: intake.status, error: errorOf(intake) }).toEqual({ status: 'waiting', error: '' });

			const [provisioning] = await finished(ids.enterprise, knownProvisioning, 1, 150_000);
			expect({ status: provisioning.status, error: errorOf(provisioning) }).toEqual({ status: 'success', error: '' });
			const [pipeline] = pipelinesOf(dealId);
			expect(Object.fromEntries(pipeline.variables.map((v: any) => [v.key, v.value]))).toMatchObject({ TENANT_ID: tenant.id, TENANT_SUBDOMAIN: subdomain });

			const receipts = await ledger.list(dealId);
			const stored = receipts.find((receipt) => receipt.workflow_step === 'intake.contract.stored')!;
			const document = (stored.policy_decision as { document: { location: string; size: number } }).document;
			expect(document.size).toBe(PDF.length);
			expect(readFileSync(join(stack.dataDir, 'evidence', document.location)).equals(PDF)).toBe(true);
			expect(receipts.map((receipt) => receipt.workflow_step)).toEqual(expect.arrayContaining(['superadmin.tenant.create', 'intake.enterprise.accepted', 'provisioning.enterprise.requested']));
		}, 300_000);
	});
}
