/**
 * workflows/enterprise-intake.json executed in-process by n8n-core's engine: a won Salesforce deal delivered to the
 * CRM Trigger, the link the super admin is emailed, the n8n Form Trigger fed the multipart submission, our Super Admin
 * and Evidence nodes against the sandbox, and the provisioning webhook answered by the real provisioning template.
 * Each scenario asserts the Form Ending page, the Super Admin fake, the pipelines, the stored PDF and the receipts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkflow } from '../harness';
import { freshDataDir, openSandbox } from './context';
import { mailTo, pipelines } from './enterpriseKit';
import { dealWon, formLinkIn, intakeTemplate, type IntakeSandbox, monthsFromToday, nodeTypes, openProvisioningEndpoint, pdf, SEED_MESSAGE, submitForm } from './enterpriseIntakeKit';

const SUPER_ADMIN = 'superadmin@example.com';

let sb: IntakeSandbox;
let endpoint: Awaited<ReturnType<typeof openProvisioningEndpoint>>;
let workflow: ReturnType<typeof intakeTemplate>;

beforeAll(async () => {
	sb = (await openSandbox()) as IntakeSandbox;
	endpoint = await openProvisioningEndpoint(sb);
	workflow = intakeTemplate(endpoint.url);
});
afterAll(async () => {
	await endpoint?.close();
	await sb?.close();
});
beforeEach(async () => {
	await sb.reset();
	sb.clearFaults();
	endpoint.calls.length = 0;
});

const tenants = () => (sb.state().superAdmin.tenants as Array<Record<string, any>>);
const superAdminWrites = () => (sb.requests().superAdmin ?? []).filter((request) => request.method !== 'GET');
let seq = 0;

/** A won enterprise deal, delivered; returns what the emailed link prefills. */
async function invitedDeal(plan = 'world_class') {
	const deal = sb.seedWonDeal('salesforce', { plan, name: `Federation ${++seq}` });
	const { run } = await dealWon(sb, workflow, deal.dealId);
	expect(run?.status).toBe('success');
	return { deal, run: run! };
}

async function prefilledLink(dealId: string) {
	const [mail] = (await sb.mail.waitFor(1)).filter((message) => message.text.includes(dealId));
	return formLinkIn(mail.text).prefilled;
}

function answers(prefilled: Record<string, string>, overrides: Record<string, string> = {}) {
	const n = `${Date.now().toString(36)}${++seq}`;
	return { ...prefilled, ownerName: 'Ada Owner', ownerEmail: `owner-${n}@federation.example.org`, subdomain: `club${n}`, contractEndDate: monthsFromToday(24), ...overrides };
}

describe('enterprise intake: deal won → form → tenant → Tier 3 provisioning', () => {
	it('a won enterprise deal emails the super admin a link prefilled with the deal, organisation and sales agent; a redelivery or another segment emails nobody', async () => {
		const { ledger } = freshDataDir();
		const { deal, run: first } = await invitedDeal();
		const [mail] = await sb.mail.waitFor(1);
		expect(mail.envelope.to).toEqual(expect.arrayContaining([SUPER_ADMIN]));
		const { url, prefilled } = formLinkIn(mail.text);
		expect(url.pathname).toBe('/form/q2c-enterprise-intake');
		expect(prefilled).toEqual({ dealId: deal.dealId, organizationName: deal.name, salesAgentEmail: 'sales-ops@example.com' });
		expect((await ledger.list(deal.dealId)).map((receipt) => receipt.workflow_step)).toEqual(['intake.enterprise.invited']);

		// The CRM Trigger drops the redelivered notification; the same won deal from another source (the CRM Poll
		// Trigger emits the same item) reaches the invite claim, which is taken: nobody is emailed twice.
		expect((await dealWon(sb, workflow, deal.dealId)).run).toBeUndefined();
		const replay = await runWorkflow(workflow, { startNode: 'CRM Trigger', startData: first.nodeItems('CRM Trigger'), credentials: sb.credentials, nodeTypes });
		expect(replay.executedNodes).toContain('Invited by This Run?');
		expect(replay.executedNodes).not.toContain('Email Super Admin: Intake Link');
		const other = sb.seedWonDeal('salesforce', { plan: 'professional' });
		const { run } = await dealWon(sb, workflow, other.dealId);
		expect(run?.executedNodes).toContain('Not Enterprise: Ignore');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(sb.mail.messages()).toHaveLength(1);
		expect(await ledger.list(other.dealId)).toEqual([]);
	});

	it('24 months: stores the PDF with a receipt, creates the World Class tenant, starts Tier 3 provisioning, tells the team, and shows "setting it up"', async () => {
		const { dir, ledger } = freshDataDir();
		const { deal } = await invitedDeal();
		const form = answers(await prefilledLink(deal.dealId));
		const upload = pdf();
		const { run, page } = await submitForm(sb, workflow, form, upload);

		expect(run?.error?.message).toBeUndefined();
		expect(run?.status).toBe('waiting'); // on the Form Ending page
		expect(page?.title).toBe("We're setting it up");

		const [tenant, ...others] = tenants();
		expect(others).toEqual([]);
		expect(tenant).toMatchObject({ tier: 'world_class', subdomain: form.subdomain, ownerEmail: form.ownerEmail, name: deal.name, businessKey: deal.dealId });
		expect(page?.message).toContain(tenant.id);
		expect(page?.message).toContain(`${form.subdomain}.example.com`);

		// The provisioning template accepted the request (with the credential's token) and ran its pipeline.
		expect(endpoint.calls).toHaveLength(1);
		expect(endpoint.calls[0].answer.response).toMatchObject({ status: 202, body: { accepted: true, status: 'provisioning' } });
		expect(endpoint.calls[0].body).toEqual({
			businessKey: deal.dealId,
			tenantId: tenant.id,
			subdomain: form.subdomain,
			organizationName: deal.name,
			customerEmail: form.ownerEmail,
			customerName: 'Ada Owner',
			salesAgentEmail: 'sales-ops@example.com',
			contractEndDate: form.contractEndDate,
		});
		expect(pipelines(sb).map((pipeline) => pipeline.variables)).toEqual([expect.objectContaining({ TENANT_ID: tenant.id, TENANT_SUBDOMAIN: form.subdomain, TENANT_TIER: 'world_class' })]);

		const receipts = await ledger.list(deal.dealId);
		const steps = receipts.map((receipt) => receipt.workflow_step);
		expect(steps.slice(0, 3)).toEqual(['intake.enterprise.invited', 'intake.contract.stored', 'superadmin.tenant.create']);
		expect(steps).toContain('provisioning.pipeline.trigger');
		expect(steps.at(-1)).toBe('intake.enterprise.accepted');
		const stored = receipts[1];
		const document = (stored.policy_decision as { document: Record<string, any> }).document;
		const sha256 = require('node:crypto').createHash('sha256').update(upload.data).digest('hex');
		expect(document).toMatchObject({ sha256, size: upload.data.length, fileName: 'contract.pdf', mimeType: 'application/pdf' });
		expect(stored.resource_ref).toBe(`document:sha256:${sha256}`);
		expect(readFileSync(join(dir, 'evidence', document.location)).equals(upload.data)).toBe(true);
		expect(JSON.stringify(receipts)).not.toContain('signed enterprise contract'); // the content never goes into a receipt
		expect((await ledger.verify(deal.dealId)).valid).toBe(true);

		await sb.mail.waitFor(3);
		const team = mailTo(sb, SUPER_ADMIN).filter((message) => /provisioning started/.test(message.subject));
		expect(team).toHaveLength(1);
		expect(team[0].envelope.to).toEqual(expect.arrayContaining([SUPER_ADMIN, 'sales-ops@example.com']));
		expect(team[0].text).toContain(sha256);
	}, 30_000);

	it("23 months: the form shows the seed's message and nothing is created", async () => {
		const { ledger } = freshDataDir();
		const { deal } = await invitedDeal();
		const { run, page } = await submitForm(sb, workflow, answers(await prefilledLink(deal.dealId), { contractEndDate: monthsFromToday(23) }), pdf());
		expect(run?.status).toBe('waiting');
		expect(page).toEqual({ title: 'Not accepted', message: SEED_MESSAGE });
		expect(run?.executedNodes).not.toContain('Deal History');
		expect(superAdminWrites()).toEqual([]);
		expect(endpoint.calls).toEqual([]);
		expect((await ledger.list(deal.dealId)).map((receipt) => receipt.workflow_step)).toEqual(['intake.enterprise.invited']);
	});

	it('a malformed subdomain or a missing PDF is refused with its own message, before any Super Admin call', async () => {
		freshDataDir();
		const { deal } = await invitedDeal();
		const prefilled = await prefilledLink(deal.dealId);
		const bad = await submitForm(sb, workflow, answers(prefilled, { subdomain: 'my.club' }), pdf());
		expect(bad.page?.message).toMatch(/^The subdomain must be one DNS label/);
		const noPdf = await submitForm(sb, workflow, answers(prefilled), { fileName: 'contract.docx', mimeType: 'application/msword', data: Buffer.from('doc') });
		expect(noPdf.page?.message).toBe('Attach the signed contract as a PDF file.');
		expect(sb.requests().superAdmin ?? []).toEqual([]);
		expect(endpoint.calls).toEqual([]);
	});

	it("a subdomain another deal's tenant holds is refused; nothing is created for this deal", async () => {
		const { ledger } = freshDataDir();
		const first = await invitedDeal();
		const taken = answers(await prefilledLink(first.deal.dealId));
		expect((await submitForm(sb, workflow, taken, pdf())).page?.title).toBe("We're setting it up");

		const second = await invitedDeal();
		const [secondMail] = sb.mail.messages().filter((message) => message.text.includes(second.deal.dealId));
		const { page, run } = await submitForm(sb, workflow, answers(formLinkIn(secondMail.text).prefilled, { subdomain: taken.subdomain }), pdf('other'));
		expect(page?.message).toBe(`The subdomain ${taken.subdomain} is already taken by another tenant; choose another one.`);
		expect(run?.executedNodes).not.toContain('Store Contract');
		expect(tenants()).toHaveLength(1);
		expect(endpoint.calls).toHaveLength(1);
		expect((await ledger.list(second.deal.dealId)).map((receipt) => receipt.workflow_step)).toEqual(['intake.enterprise.invited']);
	}, 30_000);

	it('a repeated submission for the same deal creates no second tenant and starts nothing: "already submitted"', async () => {
		const { ledger } = freshDataDir();
		const { deal } = await invitedDeal();
		const form = answers(await prefilledLink(deal.dealId));
		await submitForm(sb, workflow, form, pdf());
		const again = await submitForm(sb, workflow, { ...form, subdomain: `${form.subdomain}x` }, pdf());
		expect(again.page?.title).toBe('Already submitted');
		expect(again.page?.message).toContain(tenants()[0].id);
		expect(again.run?.executedNodes).not.toContain('Create Tenant');
		expect(tenants()).toHaveLength(1);
		expect(endpoint.calls).toHaveLength(1);
		expect(pipelines(sb)).toHaveLength(1);
		const steps = (await ledger.list(deal.dealId)).map((receipt) => receipt.workflow_step);
		expect(steps.filter((step) => step === 'superadmin.tenant.create')).toHaveLength(1);
		expect(steps.filter((step) => step === 'intake.contract.stored')).toHaveLength(1);
	}, 30_000);

	it('a form for a deal that was never invited is refused ("unknown deal")', async () => {
		freshDataDir();
		const { page } = await submitForm(sb, workflow, answers({ dealId: 'NOT-A-DEAL', organizationName: 'Nobody FC', salesAgentEmail: 'rep@example.com' }), pdf());
		expect(page?.title).toBe('Unknown deal');
		expect(superAdminWrites()).toEqual([]);
	});
});
