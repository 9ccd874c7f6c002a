import { z } from 'zod';

/** What a risk event says; flat strings, because a Redis Streams entry is a list of field/value strings. */
export const riskEventSchema = z.object({
	businessKey: z.string().trim().min(1).max(200),
	/** The step that raised it, e.g. `support.acceptance.red`; also the idempotency step. */
	step: z.string().trim().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, dots, colons, dashes or underscores'),
	severity: z.enum(['green', 'yellow', 'red', 'unknown']),
	reason: z.string().trim().min(1).max(2000),
	customer: z.string().trim().max(200).optional(),
	/** Extra facts for the reporting consumer (strings, numbers, booleans). */
	details: z.record(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type RiskEvent = z.infer<typeof riskEventSchema>;

export const streamOptionsSchema = z.object({
	/** Stream key, e.g. `q2c:reporting:risks`. */
	stream: z.string().trim().min(1).max(200).regex(/^\S+$/, 'a Redis key without spaces'),
	/** Approximate cap on the stream's length (XADD MAXLEN ~), so a forgotten stream cannot fill Redis. */
	maxLength: z.number().int().min(1).max(10_000_000).default(100_000),
	/** How long the idempotency mark lives (seconds): a repeat inside it returns the first entry. */
	dedupeSeconds: z.number().int().min(1).max(90 * 24 * 3600).default(7 * 24 * 3600),
});
export type StreamOptions = z.input<typeof streamOptionsSchema>;
