/**
 * workflows/revops-what-if.json in real n8n: a RevOps lead fills the what-if form (as a browser does: multipart
 * `field-<n>`, a browser User-Agent) and gets the colour-coded table on the form's ending page. The table must be
 * the RevOps Config credential's policy (the stack's tenant: the shipped default profile, built-in engine), so the
 * expected counts come from the engine itself with the template's own product mixes and risk levels.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBuiltinEngine, loadProfile, simulateWhatIf } from '../../../connectors/revops';
import { e2e, sleep } from '../support/context';
import { screenshotForm } from '../support/formScreenshots';
import { BROWSER, untilFormWaiting } from '../support/formWaiting';

const TEMPLATE = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'workflows', 'revops-what-if.json'), 'utf8'));
const CONFIG = JSON.parse(TEMPLATE.nodes.find((node: any) => node.name === 'Config').parameters.jsonOutput);

/** What a browser does: GET the form, POST the answers, poll the run's status, open the ending page it waits on. */
async function submit(answers: string[]): Promise<string> {
	const headers = BROWSER;
	const link = `${e2e().baseUrl}/form/q2c-revops-what-if`;
	// Publishing returns before every webhook of a large stack is registered; the form answers 404 until then.
	let opened = 0;
	for (const deadline = Date.now() + 30_000; opened !== 200 && Date.now() < deadline; await sleep(opened === 404 ? 500 : 0)) {
		opened = (await fetch(link, { headers, signal: AbortSignal.timeout(15_000) })).status;
	}
	expect(opened).toBe(200);
	const body = new FormData();
	answers.forEach((answer, index) => body.append(`field-${index}`, answer));
	const posted = await fetch(link, { method: 'POST', body, headers, signal: AbortSignal.timeout(30_000) });
	const { formWaitingUrl } = (await posted.json()) as { formWaitingUrl?: string };
	expect({ status: posted.status, formWaitingUrl: typeof formWaitingUrl }).toEqual({ status: 200, formWaitingUrl: 'string' });
	const waiting = new URL(formWaitingUrl!);
	await untilFormWaiting(waiting, 'the what-if run');
	const page = await fetch(waiting, { headers, signal: AbortSignal.timeout(15_000) });
	expect(page.status).toBe(200);
	return page.text();
}

export function revOpsWhatIf(): void {
	describe('RevOps what-if template (n8n form → colour-coded decision table)', () => {
		it("answers the form with the tenant policy's table: counts equal the engine's, every outcome coloured", async () => {
			const page = await submit(['smb, enterprise', '0, 0.15, 0.25, 0.35', '12, 36', 'ae']);

			const expected = await simulateWhatIf({
				engine: createBuiltinEngine(),
				config: loadProfile('default'),
				grid: { segments: ['smb', 'enterprise'], discounts: [0, 0.15, 0.25, 0.35], termMonths: [12, 36], productMixes: CONFIG.productMixes, riskLevels: CONFIG.riskLevels, submitterRole: 'ae' },
			});
			const { summary } = expected;
			expect(summary.total).toBe(2 * 4 * 2 * CONFIG.productMixes.length * CONFIG.riskLevels.length);
			expect(page).toContain(`${summary.total} combinations: ${summary.auto_approved} auto-approved, ${summary.needs_approval} need approval, ${summary.denied} denied`);
			for (const outcome of ['auto_approved', 'needs_approval', 'denied'] as const) {
				expect((page.match(new RegExp(`<td class="outcome ${outcome}"`, 'g')) ?? []).length).toBe(summary[outcome]);
			}
			expect(page).toContain(expected.config_version);

			// The README's picture: the same answers typed into the form in Chromium, submitted, the table it shows.
			const answers = { Segments: 'smb, enterprise', Discounts: '0, 0.15, 0.25, 0.35', 'Terms (months)': '12, 36', 'Submitted by': 'ae' };
			await screenshotForm(`${e2e().baseUrl}/form/q2c-revops-what-if`, 'revops-what-if', answers, { submitAndWaitFor: '.legend', width: 1280 });
		}, 120_000);

		it('a bad discount band is refused with the field named, and no table', async () => {
			const page = await submit(['smb', '0.1, 1.5', '12', 'ae']);
			expect(page).toContain(CONFIG.texts.problemTitle);
			expect(page).toMatch(/discounts\.1: expected a number between 0 and 1/);
			expect(page).not.toContain('<td class="outcome');
		}, 120_000);
	});
}
