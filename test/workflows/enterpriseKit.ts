/**
 * What the enterprise-provisioning template tests share: the template with test timings in its Config, the node
 * registry (ours + the base nodes + Wait, which the harness does not load by default), the dashboard's call to the
 * webhook, and the GitLab and Cloudflare fakes' state.
 */
import { baseNodeTypes, harnessNodeTypes, runWebhook, type WebhookRun, type WorkflowJson } from '../harness';
import { template, type Sandbox } from './context';

export const WEBHOOK = 'Provisioning Request';
export const HEADER = { name: 'X-Provisioning-Token', value: 'test-dashboard-token-7f3a' };

const nodeTypes = harnessNodeTypes(baseNodeTypes(['wait']));

interface TemplateNode {
	name: string;
	parameters: Record<string, any>;
}

export interface Timing {
	pollSeconds?: number;
	beingSetUpAfterMinutes?: number;
	heartbeatMinutes?: number;
	giveUpAfterMinutes?: number;
}

/** The shipped template with other Config timings, as an operator would set them; minutes-long waits become fractions. */
export function enterpriseTemplate(timing: Timing = {}): WorkflowJson {
	const copy = structuredClone(template('enterprise-provisioning.json')) as WorkflowJson & { nodes: TemplateNode[] };
	const config = copy.nodes.find((node) => node.name === 'Config')!;
	const values = JSON.parse(config.parameters.jsonOutput as string);
	const defaults = { pollSeconds: 0.2, beingSetUpAfterMinutes: 10, heartbeatMinutes: 10, giveUpAfterMinutes: 1 };
	config.parameters.jsonOutput = JSON.stringify({ ...values, timing: { ...values.timing, ...defaults, ...timing } });
	return copy;
}

export interface RequestBody {
	businessKey: string;
	tenantId: string;
	subdomain: string;
	organizationName: string;
	customerEmail: string;
	customerName?: string;
	salesAgentEmail: string;
	contractEndDate?: string;
	dnsTarget?: string;
}

let sequence = 0;

/** A valid dashboard request with unique keys; `overrides` replace fields. */
export function requestBody(overrides: Partial<RequestBody> = {}): RequestBody {
	const n = `${Date.now().toString(36)}${++sequence}`;
	const end = new Date();
	end.setFullYear(end.getFullYear() + 3);
	return {
		businessKey: `ENT-${n}`,
		tenantId: `ten_${n}`,
		subdomain: `club${n}`,
		organizationName: 'National Football Federation',
		customerEmail: `owner-${n}@federation.example.org`,
		customerName: 'Ada Owner',
		salesAgentEmail: 'sam.sales@example.com',
		contractEndDate: end.toISOString().slice(0, 10),
		...overrides,
	};
}

/** The super-admin dashboard's call: JSON body, header token. */
export function startProvisioning(
	sb: Sandbox,
	workflow: WorkflowJson,
	body: RequestBody | Record<string, unknown>,
	options: { executionId?: string; token?: string } = {},
): Promise<WebhookRun> {
	const rawBody = JSON.stringify(body);
	const headers = { 'content-type': 'application/json', [HEADER.name.toLowerCase()]: options.token ?? HEADER.value };
	return runWebhook(
		workflow,
		WEBHOOK,
		{ method: 'POST', headers, rawBody },
		{ credentials: { ...sb.credentials, httpHeaderAuth: HEADER }, nodeTypes, executionId: options.executionId },
	);
}

interface ProvisioningFakes {
	gitlab: {
		state(): { pipelines: Array<Record<string, any>>; stacks: Array<Record<string, any>> };
		failNext(kind: string): void;
		requests: Array<{ method: string; path: string }>;
	};
	cloudflare: { state(): { zones: Array<Record<string, any>>; records: Array<{ name: string; type: string; content: string }> } };
}

function fakes(sb: Sandbox): ProvisioningFakes {
	return (sb as unknown as { provisioning: { fakes: ProvisioningFakes } }).provisioning.fakes;
}

/** GitLab pipelines with their variables as a map. */
export function pipelines(sb: Sandbox): Array<{ id: number; status: string; variables: Record<string, string> }> {
	return fakes(sb)
		.gitlab.state()
		.pipelines.map((p) => ({ id: p.id, status: p.status, variables: Object.fromEntries(p.variables.map((v: { key: string; value: string }) => [v.key, v.value])) }));
}

/** Pipeline trigger calls GitLab received (a repeat found by its idempotency key makes none). */
export function pipelineTriggerCalls(sb: Sandbox): number {
	return fakes(sb).gitlab.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/trigger/pipeline')).length;
}

export function stacks(sb: Sandbox): Array<Record<string, any>> {
	return fakes(sb).gitlab.state().stacks;
}

export function failNextPipeline(sb: Sandbox): void {
	fakes(sb).gitlab.failNext('pipeline');
}

export function dnsRecords(sb: Sandbox): Array<{ name: string; type: string; content: string }> {
	return fakes(sb).cloudflare.state().records;
}

/** Mail delivered to `address` (To or Cc: the SMTP envelope's recipients). */
export function mailTo(sb: Sandbox, address: string): Array<Record<string, any>> {
	return sb.mail.messages().filter((message) => (message.envelope?.to ?? message.to).includes(address));
}
