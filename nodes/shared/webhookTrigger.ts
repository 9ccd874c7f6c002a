/**
 * Plumbing every webhook trigger of the pack shares: the exact bytes the vendor signed, the dedupe options and
 * where marks are kept (one directory per workflow), and the hook methods of triggers whose URL is registered by a
 * person in the vendor's console.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import type { IDataObject, IHookFunctions, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { defaultDataDir, FileDedupeStore, PostgresDedupeStore, RedisDedupeStore, storeConfig, type DedupeStore } from '../../connectors/core';

export const HOUR_MS = 3_600_000;

/** A non-blank string, trimmed; anything else is undefined. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * The namespace of a shared (PostgreSQL/Redis) dedupe store for a trigger's directory: the default directory
 * `<data dir>/dedupe/<vendor>/<workflow id>` becomes `dedupe/<vendor>/<workflow id>`, the same in every queue-mode
 * process whatever its user folder; a Dedupe Directory the user set is used as it is written.
 */
export function dedupeNamespace(dir: string): string {
	const below = relative(join(defaultDataDir(), 'dedupe'), dir);
	const isDefault = below !== '' && !below.startsWith('..') && !isAbsolute(below);
	return isDefault ? ['dedupe', ...below.split(sep)].join('/') : dir;
}

/** The dedupe store of Q2C_DEDUPE_STORE: file marks in `dir` (default), or PostgreSQL/Redis shared by every process. */
export function createDedupeStore(dir: string, env: NodeJS.ProcessEnv = process.env): DedupeStore {
	const config = storeConfig(env);
	if (config.dedupe === 'postgres') return new PostgresDedupeStore({ connectionString: config.postgresUrl, schema: config.postgresSchema, namespace: dedupeNamespace(dir) });
	if (config.dedupe === 'redis') return new RedisDedupeStore({ url: config.redisUrl, prefix: config.redisPrefix, namespace: dedupeNamespace(dir) });
	return new FileDedupeStore(dir);
}

/** Injectable for tests; production uses a durable store so duplicates are caught across restarts. */
export const dedupeStores = { create: (dir: string): DedupeStore => createDedupeStore(dir) };

/** Answers the delivery itself (status + JSON) and starts nothing. */
export function replyJson(context: IWebhookFunctions, status: number, body: IDataObject, headers: Record<string, string> = {}): IWebhookResponseData {
	const response = context.getResponseObject();
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	response.status(status).json(body);
	return { noWebhookResponse: true };
}

/** Raw bytes when n8n kept them (what the vendor signed), else a string body. */
export function rawBodyOf(context: IWebhookFunctions): Buffer | string | undefined {
	const request = context.getRequestObject() as unknown as { rawBody?: Buffer | string; body?: unknown };
	if (request.rawBody !== undefined && request.rawBody !== null && request.rawBody.length > 0) return request.rawBody;
	return typeof request.body === 'string' && request.body !== '' ? request.body : undefined;
}

const MIB = 1024 * 1024;

/**
 * The largest delivery each vendor sends, with ample headroom; a bigger body is answered 413 before it is verified
 * or parsed. n8n reads the body first and answers 500 itself above N8N_PAYLOAD_SIZE_MAX (MiB, default 16), so it
 * must be set above these for a caller to get the 413 (see the README).
 */
export const MAX_DELIVERY_BYTES = {
	/** An Outbound Message: at most 100 notifications of a few KB. */
	salesforce: MIB,
	/** A batch of at most 100 events of a few hundred bytes. */
	hubspot: MIB,
	/** One Marketplace JWT or one Automations JSON object. */
	vmf: MIB,
	/** JSON SIM with custom fields and recipients; documents stay out (the DocuSign node downloads them). */
	docusign: 4 * MIB,
} as const;

/** Size of the delivery: its raw bytes, else what Content-Length declares. */
export function deliveryBytes(context: IWebhookFunctions): number {
	const raw = rawBodyOf(context);
	if (raw !== undefined) return Buffer.byteLength(raw);
	const declared = Number((context.getHeaderData() as Record<string, unknown>)['content-length']);
	return Number.isFinite(declared) && declared > 0 ? declared : 0;
}

/** Why a delivery over `maxBytes` is refused (for a 413), or undefined when it fits. */
export function tooLarge(context: IWebhookFunctions, maxBytes: number, what: string): string | undefined {
	const bytes = deliveryBytes(context);
	return bytes > maxBytes ? `request too large: ${what} is at most ${maxBytes} bytes, this one has ${bytes}` : undefined;
}

/** 413 JSON for an oversized delivery, answered before anything reads it; undefined when it fits. */
export function refuseOversized(context: IWebhookFunctions, maxBytes: number, what: string): IWebhookResponseData | undefined {
	const message = tooLarge(context, maxBytes, what);
	return message === undefined ? undefined : replyJson(context, 413, { error: 'payload too large', message, limitBytes: maxBytes });
}

interface WorkflowAware {
	getWorkflow(): { id?: string | number | null };
}

/**
 * Default directory of a trigger's dedupe marks: one per workflow, so two workflows listening to the same
 * vendor (e.g. a Salesforce and a HubSpot copy of a template, both subscribed to DocuSign Connect) each
 * process a delivery once instead of the first one swallowing it for the other.
 */
export function defaultDedupeDir(context: WorkflowAware, vendor: string): string {
	const workflowId = String(context.getWorkflow().id ?? '').replace(/[^A-Za-z0-9_-]/g, '_') || 'unsaved';
	return join(defaultDataDir(), 'dedupe', vendor, workflowId);
}

export interface DedupeOptions {
	dedupeDir?: string;
	dedupeTtlHours?: number;
}

/** Where and how long accepted deliveries are remembered, from the trigger's options. */
export function dedupeSettings(context: WorkflowAware, options: DedupeOptions, vendor: string): { dir: string; ttlMs: number } {
	return { dir: text(options.dedupeDir) ?? defaultDedupeDir(context, vendor), ttlMs: (Number(options.dedupeTtlHours) || 72) * HOUR_MS };
}

/** The "Dedupe Directory" option of a trigger. */
export function dedupeDirField(vendor: string): INodeProperties {
	return {
		displayName: 'Dedupe Directory',
		name: 'dedupeDir',
		type: 'string',
		default: '',
		placeholder: `~/.n8n/quote-to-cash/dedupe/${vendor}/<workflow id>`,
		description:
			"Where accepted deliveries are remembered; default is one directory per workflow under the pack's data directory (Q2C_DATA_DIR). With Q2C_DEDUPE_STORE=postgres or redis: the marks' namespace there.",
	};
}

/** The "Dedupe Directory" and "Dedupe Window (Hours)" options of a trigger. */
export function dedupeOptionFields(vendor: string, what = 'event'): INodeProperties[] {
	return [
		dedupeDirField(vendor),
		{
			displayName: 'Dedupe Window (Hours)',
			name: 'dedupeTtlHours',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 72,
			description: `A redelivery of the same ${what} within this window is acknowledged without starting the workflow`,
		},
	];
}

/**
 * Hook methods of a trigger whose URL a person enters in the vendor's console: nothing to call, the URL is
 * only recorded so checkExists can tell whether this activation already saw it.
 */
export const recordUrlWebhookMethods = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		const data = this.getWorkflowStaticData('node');
		return data.webhookUrl === this.getNodeWebhookUrl('default');
	},
	async create(this: IHookFunctions): Promise<boolean> {
		const data = this.getWorkflowStaticData('node');
		data.webhookUrl = this.getNodeWebhookUrl('default');
		data.registeredAt = new Date().toISOString();
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		const data = this.getWorkflowStaticData('node');
		delete data.webhookUrl;
		delete data.registeredAt;
		return true;
	},
};

/** The trigger's answer to a delivery that starts nothing: 200, or 503 + Retry-After while the contract's run is starting. */
export function answerUnstarted(context: IWebhookFunctions, admission: { answer: Record<string, unknown>; retryLater?: true }): IWebhookResponseData {
	if (!admission.retryLater) return { webhookResponse: admission.answer as IDataObject };
	return replyJson(context, 503, admission.answer as IDataObject, { 'Retry-After': String(admission.answer.retryAfterSeconds ?? 30) });
}
