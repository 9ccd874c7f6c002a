import type { INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { defaultDedupeDir } from '../shared/dedupeDir';
import { HOUR_MS, text } from './wonDeal';

export interface TriggerOptions {
	onlyWon?: boolean;
	oncePerDeal?: boolean;
	signedUrl?: string;
	dedupeDir?: string;
	dedupeTtlHours?: number;
	wonDedupeDays?: number;
}

export const DAY_MS = 24 * HOUR_MS;

export function triggerSettings(context: IWebhookFunctions | IPollFunctions, options: TriggerOptions, subdir: string) {
	return {
		dir: text(options.dedupeDir) ?? defaultDedupeDir(context, subdir),
		ttlMs: (Number(options.dedupeTtlHours) || 72) * HOUR_MS,
		onlyWon: options.onlyWon !== false,
		oncePerDeal: options.oncePerDeal !== false,
		wonTtlMs: (Number(options.wonDedupeDays) || 365) * DAY_MS,
	};
}

/** Raw bytes when n8n kept them (what the vendor sent, and signed), else a string body. */
export function rawBodyOf(context: IWebhookFunctions): Buffer | string | undefined {
	const request = context.getRequestObject() as unknown as { rawBody?: Buffer | string; body?: unknown };
	if (request.rawBody !== undefined && request.rawBody !== null && request.rawBody.length > 0) return request.rawBody;
	return typeof request.body === 'string' && request.body !== '' ? request.body : undefined;
}

export const wonDedupeOption: INodeProperties = {
	displayName: 'Won Dedupe Window (Days)',
	name: 'wonDedupeDays',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 365,
	description: 'A deal that was already reported as won is not reported again within this window, however often it is edited',
};

export const dedupeDirOption = (placeholder: string): INodeProperties => ({
	displayName: 'Dedupe Directory',
	name: 'dedupeDir',
	type: 'string',
	default: '',
	placeholder,
	description: "Where delivered IDs are remembered; default is the pack's data directory (Q2C_DATA_DIR)",
});
