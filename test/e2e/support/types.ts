/** The parts of sandbox/index.js (`startSandbox`) the end-to-end scenarios use; it is plain JS, typed here. */

export interface SandboxRequest {
	seq: number;
	method: string;
	path: string;
	route?: string;
	status: number;
	headers: Record<string, string>;
	body: any;
	fault?: unknown;
}

export interface MailMessage {
	from: string;
	to: string[];
	subject: string;
	text: string;
}

export interface SeededOrder {
	orderId: string;
	businessKey: string;
	contract: {
		customer: { name: string; email: string; country: string };
		currency: string;
		lineItems: Array<{ sku: string; quantity: number; unitAmount: number; interval: string }>;
		tier: string;
	};
	tasks: Array<{ id: string; title: string; status: string }>;
	prices: Record<string, string>;
}

export type CrmProvider = 'salesforce' | 'hubspot';

export interface WonDeal {
	provider: CrmProvider;
	dealId: string;
	businessKey: string;
	name: string;
	customer: { name: string; email: string };
	amountMinor: number;
	currency: string;
	termMonths: number;
	country: string;
	plan: string;
	ownerId?: string;
}

export interface FaultRule {
	route: string;
	times?: number;
	fault: { status?: number; retryAfter?: number; latencyMs?: number; timeout?: boolean; drop?: boolean; body?: unknown };
}

export type FakeName = 'vmf' | 'vtm' | 'superAdmin' | 'stripe' | 'docusign' | 'salesforce' | 'hubspot';

export interface Sandbox {
	urls: Record<string, string | number>;
	seedSignedOrder(overrides?: Record<string, unknown>): Promise<SeededOrder>;
	automationsDelivery(orderId: string, options?: { token?: string | null; body?: Record<string, unknown> }): { headers: Record<string, string>; rawBody: string; body: any };
	marketplaceDelivery(
		event: string,
		fields?: Record<string, unknown>,
		options?: { jwt?: Record<string, unknown>; privatePem?: string; now?: number },
	): { headers: Record<string, string>; rawBody: string; payload: any; claims: any };
	mail: { messages(): MailMessage[]; waitFor(count: number, timeoutMs?: number): Promise<MailMessage[]>; clear(): void; setDown(down: boolean): void };
	state(): { vmf: any; vtm: any; superAdmin: any; stripe: { objects: Record<string, any[]> }; docusign: any; salesforce: any; hubspot: any; mail: MailMessage[] };
	seedWonDeal(provider: CrmProvider, overrides?: Record<string, unknown>): WonDeal;
	deliverDealWon(deal: WonDeal, url: string, options?: { forge?: boolean }): Promise<{ status: number; body: unknown; acked?: boolean }>;
	envelopesFor(businessKey: string): Array<{ envelopeId: string; status: string; [key: string]: any }>;
	transitionEnvelope(envelopeId: string, event: string, options?: { reason?: string }): Promise<Array<{ url: string; status: number; body: unknown }>>;
	connectDelivery(event: string, envelopeId: string, options?: { keys?: string[]; forge?: boolean; generatedDateTime?: string }): { headers: Record<string, string>; rawBody: string; payload: any };
	crm: { dealRecord(provider: CrmProvider, dealId: string): Record<string, any>; tasksOf(provider: CrmProvider, dealId: string): Array<Record<string, any>>; docusign: { idle(): Promise<void> } };
	requests(): Record<FakeName, SandboxRequest[]>;
	specLayer(): { on: boolean; dir: string | null; reason: string; stats: Record<string, { checked: number; rejected: number; problems: string[] }> };
	addFault(fake: FakeName, rule: FaultRule | FaultRule[]): unknown;
	clearFaults(): void;
	reset(): Promise<void>;
	/** Credential data per n8n credential type name (what the stack imports). */
	credentials: Record<string, Record<string, any>>;
	/** Registers a webhook endpoint in the Stripe fake (as in Stripe's dashboard); its events are delivered signed. */
	addStripeWebhookEndpoint(url: string, enabledEvents?: string[]): { id: string; url: string };
}
