import { businessKeySchema, parseInput, sha256Hex, z } from '../../core';
import type { CreateTaskInput, CrmTask } from '../types';
import { TASK_TO_DEAL_TYPE_ID } from './associations';
import type { HubspotClient } from './client';
import type { SearchAnswer } from './deals';
import { VENDOR } from './errors';
import { toIso, type HubspotRecord } from './mapping';
import { recordIdSchema } from './schemas';

const TASK_PROPERTIES = ['hs_task_subject', 'hs_task_status', 'hs_timestamp', 'hubspot_owner_id'];
/** CRM search indexes a new task after a few seconds; remember our own creations for a while. */
const RECENT_TTL_MS = 10 * 60_000;

const createTaskSchema = z.object({
	dealId: recordIdSchema,
	subject: z.string().trim().min(1, 'a non-empty subject').max(400),
	body: z.string().max(65_000).optional(),
	ownerId: recordIdSchema.optional(),
	dueDate: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
		.refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'a real calendar date as YYYY-MM-DD')
		.optional(),
	businessKey: businessKeySchema,
});

const recent = new Map<string, { task: CrmTask; at: number }>();

/** The marker that makes a task findable by its business key: ` [q2c:<12 hex>]`. */
export function taskMarker(businessKey: string): string {
	return ` [q2c:${sha256Hex(businessKey.trim()).slice(0, 12)}]`;
}

function toTask(record: HubspotRecord, dealId: string, created: boolean): CrmTask {
	const p = record.properties ?? {};
	const task: CrmTask = { provider: 'hubspot', id: String(record.id), subject: p.hs_task_subject ?? '', dealId, created };
	if (p.hubspot_owner_id) task.ownerId = p.hubspot_owner_id;
	if (p.hs_task_status) task.status = p.hs_task_status;
	const due = toIso(p.hs_timestamp);
	if (due) task.dueDate = due.slice(0, 10);
	return task;
}

/**
 * Idempotent per business key: the subject carries a hash of the key, tasks are searched by that subject
 * first, and an existing one is returned (created: false) instead of a second task.
 */
export async function createTask(client: HubspotClient, input: CreateTaskInput): Promise<CrmTask> {
	const task = parseInput(createTaskSchema, input, 'task', VENDOR);
	const subject = `${task.subject}${taskMarker(task.businessKey)}`;
	const memoKey = `${client.config.accountKey}|${subject}`;

	const search = {
		filterGroups: [{ filters: [{ propertyName: 'hs_task_subject', operator: 'EQ', value: subject }] }],
		sorts: [{ propertyName: 'hs_createdate', direction: 'ASCENDING' }],
		properties: TASK_PROPERTIES,
		limit: 1,
	};
	const found = (await client.call((sdk, options) => sdk.crm.objects.tasks.searchApi.doSearch(search as never, options))) as SearchAnswer;
	if (found.results?.[0]) return toTask(found.results[0], task.dealId, false);
	const remembered = recent.get(memoKey);
	if (remembered && client.now - remembered.at < RECENT_TTL_MS) return { ...remembered.task, created: false };

	const properties: Record<string, string> = {
		hs_task_subject: subject,
		hs_task_status: 'NOT_STARTED',
		// Noon UTC keeps the due day the same calendar day in nearly every time zone.
		hs_timestamp: task.dueDate ? `${task.dueDate}T12:00:00.000Z` : new Date(client.now).toISOString(),
	};
	if (task.body) properties.hs_task_body = task.body;
	if (task.ownerId) properties.hubspot_owner_id = task.ownerId;
	const body = {
		properties,
		associations: [{ to: { id: task.dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_DEAL_TYPE_ID }] }],
	};
	// A create is not repeated on a transient failure: the next call's search finds it if it landed.
	const created = (await client.call((sdk, options) => sdk.crm.objects.tasks.basicApi.create(body as never, options), { idempotent: false })) as HubspotRecord;
	const result = toTask(created, task.dealId, true);
	recent.set(memoKey, { task: result, at: client.now });
	return result;
}
