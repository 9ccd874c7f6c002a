/**
 * README screenshots of the templates' n8n forms, taken from the real pages the e2e scenarios open. Off unless
 * `Q2C_FORM_SCREENSHOTS=<folder>` is set (docs/images for the README):
 *
 *   Q2C_FORM_SCREENSHOTS=docs/images npx jest --config test/e2e/jest.config.js --runInBand \
 *     test/e2e/quote-to-cash.e2e.test.ts -t "intake|tier upgrade template moves|support onboarding templates green"
 *
 * Chromium gets a desktop browser's User-Agent: n8n does not serve forms to clients it takes for bots
 * (headless Chromium's own User-Agent included).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const screenshotsWanted = (): boolean => Boolean(process.env.Q2C_FORM_SCREENSHOTS);

/**
 * Opens `url` in headless Chromium and saves `<folder>/<name>.png`; `fill` (label → answer) fills inputs and picks
 * options first; `submitAndWaitFor` submits the form and waits for that selector in what the form shows next.
 */
export async function screenshotForm(url: string, name: string, fill: Record<string, string> = {}, options: { submitAndWaitFor?: string; width?: number } = {}): Promise<string | undefined> {
	const folder = process.env.Q2C_FORM_SCREENSHOTS;
	if (!folder) return undefined;
	const { ensureChromium, CHROMIUM_FLAGS } = require('../../../scripts/editor-check');
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({ executablePath: ensureChromium(console.log), args: CHROMIUM_FLAGS, headless: true });
	try {
		const page = await browser.newPage({ viewport: { width: options.width ?? 760, height: 560 }, userAgent: DESKTOP_CHROME });
		await page.goto(url, { waitUntil: 'networkidle' });
		for (const [label, value] of Object.entries(fill)) {
			const field = page.getByLabel(label, { exact: false }).first();
			if ((await field.evaluate((element: { tagName: string }) => element.tagName)) === 'SELECT') await field.selectOption({ label: value });
			else await field.fill(value);
		}
		if (options.submitAndWaitFor) {
			await page.locator('button[type="submit"]').first().click();
			await page.waitForSelector(options.submitAndWaitFor, { timeout: 30_000 });
		}
		mkdirSync(resolve(folder), { recursive: true });
		const path = join(resolve(folder), `${name}.png`);
		await page.screenshot({ path, fullPage: true });
		return path;
	} finally {
		await browser.close();
	}
}
