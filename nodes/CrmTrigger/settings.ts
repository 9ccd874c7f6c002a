import type { INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { defaultDedupeDir, HOUR_MS, text } from '../shared/webhookTrigger';

export { rawBodyOf } from '../shared/webhookTrigger';

export interface TriggerOptions {
	onlyWon?: boolean;
	oncePerDeal?: boolean;
	signedUrl?: string;
	dedupeDir?: string;
	dedupeTtlHours?: number;
	wonDedupeDays?: number;
	/** New Lead: fire once per lead (default). */
	oncePerLead?: boolean;
	/** New Lead, HubSpot: only contacts with lifecycle stage "lead" (default). */
	onlyLeadStage?: boolean;
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

export const wonDedupeOption: INodeProperties = {
	displayName: 'Won Dedupe Window (Days)',
	name: 'wonDedupeDays',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 365,
	description: 'A deal that was already reported as won is not reported again within this window, however often it is edited',
};
