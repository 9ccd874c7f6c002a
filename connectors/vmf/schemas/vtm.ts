import { z } from 'zod';

/** Shapes of our VTM project-task API (connectors/vmf/vtm.openapi.yaml). */
export const VTM_TASK_STATUSES = ['open', 'in_progress', 'blocked', 'done'] as const;

export const vtmTaskSchema = z
	.object({
		id: z.string().min(1),
		projectId: z.string().min(1),
		orderId: z.string().nullish(),
		title: z.string(),
		status: z.enum(VTM_TASK_STATUSES),
		assignee: z.string().nullish(),
		dueAt: z.string().nullish(),
		completedAt: z.string().nullish(),
		completedBy: z.string().nullish(),
		updatedAt: z.string().optional(),
	})
	.passthrough();
export type VtmTask = z.infer<typeof vtmTaskSchema>;

export const vtmTaskListSchema = z.object({ data: z.array(vtmTaskSchema), nextCursor: z.string().nullish() }).passthrough();

export const vtmCommentSchema = z
	.object({
		id: z.string().min(1),
		taskId: z.string().min(1),
		body: z.string(),
		author: z.string().nullish(),
		createdAt: z.string(),
	})
	.passthrough();
export type VtmComment = z.infer<typeof vtmCommentSchema>;
