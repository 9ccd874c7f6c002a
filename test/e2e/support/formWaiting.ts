/**
 * Opening a run's form-waiting link the way n8n's own form page does. n8n never answers a GET on the link of a run
 * that is still `running` (WaitingForms returns without a response), so an email sent just before the Wait/Form
 * node can be clicked too early; n8n's page polls `<link>/n8n-execution-status` until the run is `form-waiting`.
 */
import { sleep } from './context';

/** n8n ignores bot-like requests (Node's fetch included) on form links: a desktop browser's User-Agent. */
export const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' };

const ENDED = ['canceled', 'crashed', 'error', 'success', 'null'];

/** Resolves once the run behind `link` waits on a form; throws if it ended or is still running after `timeoutMs`. */
export async function untilFormWaiting(link: string | URL, what: string, timeoutMs = 60_000): Promise<void> {
	const statusUrl = new URL(link);
	statusUrl.pathname += '/n8n-execution-status';
	for (const deadline = Date.now() + timeoutMs; ; await sleep(300)) {
		const status = (await (await fetch(statusUrl, { headers: BROWSER, signal: AbortSignal.timeout(15_000) })).text()).trim();
		if (status === 'form-waiting') return;
		if (ENDED.includes(status)) throw new Error(`${what} ended "${status}" without waiting on its form`);
		if (Date.now() > deadline) throw new Error(`${what} is still "${status}" after ${timeoutMs} ms`);
	}
}
