/** Zod shapes for every input the DocuSign connector accepts; validated before any call. */
import { businessKeySchema, z } from '../core';
import { BUSINESS_KEY_FIELD, CONNECT_EVENT_NAMES } from './types';

/** DocuSign ids are GUIDs; the check also keeps anything path-like out of request URLs. */
export const docusignId = (what: string) =>
	z
		.string({ required_error: `a DocuSign ${what} id (GUID)`, invalid_type_error: `a DocuSign ${what} id (GUID)` })
		.trim()
		.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, `a DocuSign ${what} id (GUID)`);

export const envelopeIdSchema = docusignId('envelope');
export const templateIdSchema = docusignId('template');
export const connectIdSchema = z.union([docusignId('Connect configuration'), z.number().int().positive().transform(String)]);

const textValue = z.string().max(4000);

export const roleSchema = z.object({
	roleName: z.string().trim().min(1, 'the template role name, e.g. "Signer"'),
	name: z.string().trim().min(1, "the recipient's name").max(100),
	email: z.string().trim().email('a valid email address'),
	tabs: z.record(z.string().trim().min(1, 'a tab label'), textValue).optional(),
});

export const createEnvelopeSchema = z.object({
	businessKey: businessKeySchema.refine((key) => key.length <= 100, 'a contract id of at most 100 characters (DocuSign custom field limit)'),
	templateId: templateIdSchema,
	emailSubject: z.string().trim().min(1).max(100, 'an email subject of at most 100 characters').optional(),
	roles: z.array(roleSchema).min(1, 'at least one template role'),
	customFields: z
		.record(z.string().trim().min(1, 'a custom field name').refine((name) => name !== BUSINESS_KEY_FIELD, `a name other than ${BUSINESS_KEY_FIELD} (set by businessKey)`), z.string().max(100))
		.optional(),
	status: z.enum(['sent', 'created']).default('sent'),
});

const cursorSchema = z.string().trim().regex(/^\d+$/, 'a cursor returned by a previous page').optional();
const limitSchema = z.number().int().min(1).max(100).default(50);

export const templateSearchSchema = z
	.object({ query: z.string().trim().max(200).optional(), limit: limitSchema, cursor: cursorSchema })
	.default({});

export const envelopeSearchSchema = z
	.object({
		query: z.string().trim().max(200).optional(),
		fromDate: z
			.string()
			.trim()
			.refine((value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), 'an ISO date such as 2026-01-31 or 2026-01-31T00:00:00Z')
			.optional(),
		limit: limitSchema,
		cursor: cursorSchema,
	})
	.default({});

export const connectConfigSchema = z.object({
	name: z.string().trim().min(1, 'a name for the Connect configuration').max(100),
	url: z
		.string()
		.trim()
		.url('an http(s) URL DocuSign can reach')
		.refine((value) => /^https?:\/\//i.test(value), 'an http(s) URL DocuSign can reach'),
	events: z.array(z.enum(CONNECT_EVENT_NAMES)).min(1, 'at least one Connect event'),
});

export const connectQuerySchema = z
	.object({ connectId: connectIdSchema.optional(), url: z.string().trim().min(1).optional() })
	.refine((query) => query.connectId !== undefined || query.url !== undefined, 'a connectId or a url');

export const voidReasonSchema = z.string().trim().min(1, 'a reason for voiding (shown to recipients)').max(200);
