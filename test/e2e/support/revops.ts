/**
 * What the RevOps scenarios (lead routing, deal desk) share: the operator's changes to a published template's Config
 * and to the tenant's RevOps Config credential (both through n8n's public API, each with its undo), the Salesforce
 * fake of the stack, mail and execution polling, and the signed send-and-wait form answered as a browser does.
 */
import { api, e2e, executions, sleep, type Execution } from './context';
import { BROWSER } from './formWaiting';
import type { MailMessage } from './types';

/** A mail as the sandbox's SMTP sink keeps it: `envelope.to` has every recipient (cc too). */
export type SandboxMail = MailMessage & { envelope: { from: string | null; to: string[] } };

/** The stack's Salesforce fake (sandbox/salesforce), untyped in the e2e Sandbox type. */
export function salesforce(): {
	seedUser(fields?: Record<string, unknown>): Record<string, any>;
	seedOpportunity(fields?: Record<string, unknown>): Record<string, any>;
	markLeadTouched(id: string, options?: { status?: string }): Record<string, any>;
	deliverOutboundMessage(url: string, oppIds: string[]): Promise<{ status: number; acked: boolean }>;
	apiUser(): Record<string, any>;
	state(): { records: Record<string, Array<Record<string, any>>> };
} {
	return (e2e().sb as unknown as { crm: { salesforce: ReturnType<typeof salesforce> } }).crm.salesforce;
}

/**
 * Changes the published template's Config (the Set node's JSON) as a user does in the editor, and publishes it again
 * (off and on: webhooks then serve the new version). Returns the undo.
 */
export async function changeConfig(workflowId: string, change: (config: any) => void): Promise<() => Promise<void>> {
	const path = `/workflows/${encodeURIComponent(workflowId)}`;
	const shipped = await api('GET', path);
	const save = async (nodes: any[]) => {
		await api('PUT', path, { name: shipped.name, nodes, connections: shipped.connections, settings: shipped.settings });
		await api('POST', `${path}/deactivate`);
		await api('POST', `${path}/activate`);
		const saved = await api('GET', path);
		if (saved.active !== true || (saved.activeVersionId && saved.activeVersionId !== saved.versionId)) {
			throw new Error(`workflow ${workflowId} does not publish its new version (${saved.activeVersionId} ≠ ${saved.versionId})`);
		}
	};
	await save(
		shipped.nodes.map((node: any) => {
			if (node.name !== 'Config') return node;
			const config = JSON.parse(node.parameters.jsonOutput);
			change(config);
			return { ...node, parameters: { ...node.parameters, jsonOutput: JSON.stringify(config, null, 2) } };
		}),
	);
	return () => save(shipped.nodes);
}

/**
 * Sets the RevOps Config credential's overrides (JSON Merge Patch over its profile) as a RevOps admin edits the
 * credential; the next execution reads them. Returns the undo (the stack's data, from the sandbox).
 */
export async function overrideRevOpsConfig(credentialId: string, overrides: Record<string, unknown>): Promise<() => Promise<void>> {
	const shipped = e2e().sb.credentials.revOpsConfigApi;
	const path = `/credentials/${encodeURIComponent(credentialId)}`;
	await api('PATCH', path, { data: { ...shipped, config: JSON.stringify(overrides) } });
	return async () => void (await api('PATCH', path, { data: shipped }));
}

/** Waits for `count` mails that match (oldest first). */
export async function mailsMatching(predicate: (message: SandboxMail) => boolean, count = 1, timeoutMs = 30_000): Promise<SandboxMail[]> {
	for (const deadline = Date.now() + timeoutMs; ; await sleep(300)) {
		const found = (e2e().sb.mail.messages() as SandboxMail[]).filter(predicate);
		if (found.length >= count) return found;
		if (Date.now() > deadline) throw new Error(`expected ${count} matching mail(s) within ${timeoutMs} ms, got ${found.length}`);
	}
}

/** Executions of the workflow not in `known`, once `done` holds for them (polled). */
export async function executionsWhen(workflowId: string, known: Set<string>, done: (fresh: Execution[]) => boolean, timeoutMs = 120_000): Promise<Execution[]> {
	for (const deadline = Date.now() + timeoutMs; ; await sleep(500)) {
		const fresh = (await executions(workflowId)).filter((execution) => !known.has(execution.id));
		if (done(fresh)) return fresh.sort((a, b) => Number(a.id) - Number(b.id));
		if (Date.now() > deadline) throw new Error(`executions of ${workflowId} did not settle within ${timeoutMs} ms: ${JSON.stringify(fresh.map((e) => [e.id, e.status]))}`);
	}
}

export const knownExecutions = async (workflowId: string) => new Set((await executions(workflowId)).map((execution) => execution.id));

/**
 * The approver opens the form link of a send-and-wait email (n8n's signed `/webhook-waiting/…` URL) in a browser and
 * submits it: the answers go as the form's multipart `field-<n>` values, in the order of the form's fields.
 */
export async function answerEmailedForm(mail: MailMessage, answers: string[]): Promise<void> {
	const link = [...mail.text.matchAll(/href="([^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, '&')).find((href) => href.includes('/webhook-waiting/'));
	if (!link) throw new Error(`no form link in the mail "${mail.subject}"`);
	const url = new URL(link);
	if (!url.searchParams.get('signature')) throw new Error(`the form link of "${mail.subject}" is not signed`);
	// The mail leaves before n8n has stored the execution as waiting; until then the link answers 409 ("running").
	const executionId = url.pathname.split('/')[2];
	for (const deadline = Date.now() + 30_000; (await api('GET', `/executions/${executionId}`)).status !== 'waiting'; await sleep(200)) {
		if (Date.now() > deadline) throw new Error(`execution ${executionId} of "${mail.subject}" is not waiting for the answer`);
	}
	const headers = BROWSER;
	const form = await fetch(link, { headers, signal: AbortSignal.timeout(15_000) });
	expect({ status: form.status, isForm: (await form.text()).includes('<form') }).toEqual({ status: 200, isForm: true });
	const body = new FormData();
	answers.forEach((answer, index) => body.append(`field-${index}`, answer));
	const posted = await fetch(link, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
	expect(posted.status).toBe(200);
}
