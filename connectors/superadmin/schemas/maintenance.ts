import { z } from '../../core';
import { businessKeySchema, tenantIdSchema } from './common';

export const maintenanceSchema = z
	.object({
		tenantId: z.string().min(1),
		enabled: z.boolean(),
		message: z.string().nullish(),
		since: z.string().nullish(),
	})
	.passthrough();
export type Maintenance = z.infer<typeof maintenanceSchema>;

export const setMaintenanceInputSchema = z
	.object({
		tenantId: tenantIdSchema,
		businessKey: businessKeySchema,
		enabled: z.boolean(),
		message: z.string().trim().max(500).optional(),
	})
	.strict();
export type SetMaintenanceInput = z.input<typeof setMaintenanceInputSchema>;
