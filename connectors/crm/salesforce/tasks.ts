import { businessKeySchema, parseInput, sha256Hex, validationError, withRetry, z, ConnectorError } from '../../core';
import type { CreateTaskInput, CrmTask } from '../types';
import type { SalesforceClient } from './client';
import { VENDOR } from './errors';
import { checkRecordId, USER_ID } from './ids';
import type { SalesforceRecord } from './mapping';
import { soqlString } from './soql';

const SUBJECT_MAX = 255;

const taskInputSchema = z.object({
	dealId: z.string(),
	subject: z.string().trim().min(1, 'a non-empty subject'),
	body: z.string().max(32_000).optional(),
	ownerId: z.string().trim().regex(USER_ID, 'a Salesforce user id (15 or 18 characters starting with 005)').optional(),
	dueDate: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
		.refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'a date as YYYY-MM-DD')
		.optional(),
	businessKey: businessKeySchema,
});

/** Subject marker that makes the task findable again: same business key → same marker. */
export function taskMarker(businessKey: string): string {
	return `[q2c:${sha256Hex(businessKey.trim()).slice(0, 12)}]`;
}

/** The subject as stored: the caller's subject, shortened if needed so the marker always fits. */
export function taskSubject(subject: string, businessKey: string): string {
	const marker = taskMarker(businessKey);
	return `${subject.slice(0, SUBJECT_MAX - marker.length - 1).trimEnd()} ${marker}`;
}

function toTask(record: SalesforceRecord, created: boolean): CrmTask {
	return {
		provider: 'salesforce',
		id: String(record.Id),
		subject: String(record.Subject ?? ''),
		dealId: String(record.WhatId ?? ''),
		ownerId: typeof record.OwnerId === 'string' ? record.OwnerId : undefined,
		status: typeof record.Status === 'string' ? record.Status : undefined,
		dueDate: typeof record.ActivityDate === 'string' ? record.ActivityDate : undefined,
		created,
	};
}

/**
 * Task on the opportunity, idempotent per business key: an existing task with the same WhatId and marked
 * subject is returned (created: false). Because the lookup runs first, the whole lookup-then-create is
 * safe to repeat after a lost response, so it is retried as one unit; the create itself is sent once.
 */
export async function createTask(client: SalesforceClient, input: CreateTaskInput): Promise<CrmTask> {
	if (!input || typeof input !== 'object') throw validationError('task', 'an object with dealId, subject and businessKey', input, VENDOR);
	const dealId = checkRecordId(input.dealId, 'task.dealId');
	const task = parseInput(taskInputSchema, input, 'task', VENDOR);
	const subject = taskSubject(task.subject, task.businessKey);
	return withRetry(
		async () => {
			const existing = await client.query<SalesforceRecord>(
				`SELECT Id, Subject, WhatId, OwnerId, Status, ActivityDate FROM Task WHERE WhatId = ${soqlString(dealId)} AND Subject = ${soqlString(subject)} ORDER BY CreatedDate ASC LIMIT 1`,
				{ retry: false },
			);
			if (existing.records[0]) return toTask(existing.records[0], false);
			const fields: Record<string, unknown> = { WhatId: dealId, Subject: subject, Status: 'Not Started' };
			if (task.body !== undefined) fields.Description = task.body;
			if (task.ownerId !== undefined) fields.OwnerId = task.ownerId;
			if (task.dueDate !== undefined) fields.ActivityDate = task.dueDate;
			const created = await client.request<{ id?: string; success?: boolean }>({ method: 'POST', path: '/sobjects/Task', body: fields }, { idempotent: false });
			if (!created?.id) throw new ConnectorError('permanent', 'Salesforce did not return the id of the created task', { vendor: VENDOR });
			return toTask({ Id: created.id, ...fields }, true);
		},
		{ idempotent: true, policy: client.retry, sleep: client.sleep },
	);
}
