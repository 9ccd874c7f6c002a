import { businessKeySchema, z } from '../../core';

/** Flag levels a module can be switched to; fixed by the published API. */
export const FLAG_LEVELS = ['disabled', 'basic', 'advanced', 'full'] as const;
export const flagLevelSchema = z.enum(FLAG_LEVELS);
export type FlagLevel = z.infer<typeof flagLevelSchema>;

/** The default tiers of seed 004; the matrix may define others. */
export const DEFAULT_TIERS = ['grassroots', 'professional', 'world_class'] as const;

/** "World Class", "world-class" and "WORLD_CLASS" all mean `world_class`. */
export function normalizeTier(value: string): string {
	return value.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export const tierSchema = z
	.string()
	.trim()
	.min(1, 'a tier such as "grassroots", "professional" or "world_class"')
	.transform(normalizeTier);

export const idSchema = (what: string) =>
	z
		.string()
		.trim()
		.min(1, `a non-empty ${what}`)
		.max(200)
		.regex(/^[^/?#\s]+$/, `a ${what} without "/", "?", "#" or spaces`);

export const tenantIdSchema = idSchema('tenant id');
export { businessKeySchema };

/** Module key → level, as the platform stores it. */
export const flagMapSchema = z.record(z.string().min(1), flagLevelSchema);
export type FlagMap = z.infer<typeof flagMapSchema>;

/** Module key → extra feature names switched on above the level (e.g. analytics "custom_exports"). */
export const flagExtrasSchema = z.record(z.string().min(1), z.array(z.string().min(1)));
export type FlagExtras = z.infer<typeof flagExtrasSchema>;

export const featureFlagSetSchema = z.object({
	tier: z.string().min(1),
	flags: flagMapSchema,
	extras: flagExtrasSchema.default({}),
});
export type FeatureFlagSet = z.infer<typeof featureFlagSetSchema>;

/** Response envelope for a write that may have been a no-op (already in the requested state). */
export const changedSchema = z.boolean().default(true);
