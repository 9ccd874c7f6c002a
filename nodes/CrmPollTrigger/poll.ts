import { NodeOperationError, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';
import type { CrmProviderName } from '../../connectors/crm/types';
import { latestWonDeal, pollWonDeals, wonDedupeKey, type PollCursor } from '../../connectors/crm/wonDealPoller';
import { crmProviderFor } from '../Crm/transport';
import { toNodeError } from '../shared/errors';
import { triggerSettings, type TriggerOptions } from '../CrmTrigger/settings';
import { dealItem, dedupeStores, HOUR_MS } from '../CrmTrigger/wonDeal';

interface PollOptions extends TriggerOptions {
	initialLookbackHours?: number;
	overlapSeconds?: number;
	pageSize?: number;
	maxPages?: number;
}

/** What the node keeps in its static data between polls. */
interface PollState {
	provider?: string;
	cursor?: PollCursor;
}

const positiveInt = (value: unknown): number | undefined => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined);
const nonNegative = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

function isCursor(value: unknown): value is PollCursor {
	const cursor = value as PollCursor | undefined;
	return typeof cursor?.since === 'string' && Array.isArray(cursor.boundaryIds);
}

/**
 * One poll: newly won deals since the stored cursor, one item each, or null. In manual mode (the editor's
 * "fetch test event") the most recent won deal is returned as a sample and nothing is stored or claimed.
 */
export async function pollCrm(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const provider = context.getNodeParameter('provider', 'salesforce') as CrmProviderName;
	const options = context.getNodeParameter('options', {}) as PollOptions;
	const now = Date.now();
	try {
		const crm = await crmProviderFor(context, provider);
		if (context.getMode() === 'manual') {
			const sample = await latestWonDeal(crm, { now, pageSize: positiveInt(options.pageSize) });
			if (sample === undefined) {
				throw new NodeOperationError(context.getNode(), 'No won deal found in the CRM yet', {
					description: 'Win a test deal (or move one to a won stage) and fetch again; the active workflow fires for deals won after activation.',
				});
			}
			return [[dealItem(sample, wonDedupeKey(sample))]];
		}

		const data = context.getWorkflowStaticData('node') as PollState;
		// A cursor belongs to one CRM: switching provider starts over.
		const state = data.provider === provider && isCursor(data.cursor) ? data.cursor : undefined;
		const settings = triggerSettings(context, options, 'crm-poll');
		const lookbackHours = nonNegative(options.initialLookbackHours) ?? 0;
		const overlapSeconds = nonNegative(options.overlapSeconds);
		// Leave half of the engine's budget for claiming and handing off; the rest waits for the next poll.
		const budgetMs = context.getPollBudgetMs?.();
		const stopAt = typeof budgetMs === 'number' && budgetMs > 0 ? now + budgetMs / 2 : Number.POSITIVE_INFINITY;
		const result = await pollWonDeals(crm, state, {
			now,
			initialLookbackMs: Math.round(lookbackHours * HOUR_MS),
			overlapMs: overlapSeconds === undefined ? undefined : Math.round(overlapSeconds * 1000),
			pageSize: positiveInt(options.pageSize),
			maxPages: positiveInt(options.maxPages),
			dedupe: dedupeStores.create(settings.dir),
			dedupeTtlMs: settings.wonTtlMs,
			shouldStop: () => Date.now() >= stopAt,
		});
		data.provider = provider;
		data.cursor = result.cursor;
		if (result.deals.length === 0) return null;
		const receivedAt = new Date(now).toISOString();
		return [result.deals.map((deal) => dealItem(deal, wonDedupeKey(deal), receivedAt))];
	} catch (error) {
		throw toNodeError(context.getNode(), error, 0);
	}
}
