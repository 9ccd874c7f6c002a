import { parseInput } from '../core';
import { VENDOR } from './config';
import { str } from './mappers';
import { envelopeIdSchema } from './schemas';
import type { DocusignSession } from './session';

interface FormItem {
	name?: unknown;
	value?: unknown;
}

/** Tab label → value as signed. Per-recipient values fill in labels the envelope-level list lacks. */
export async function getFormData(session: DocusignSession, envelopeId: string): Promise<Record<string, string>> {
	const id = parseInput(envelopeIdSchema, envelopeId, 'envelopeId', VENDOR);
	const data = await session.call(
		`GET form data of envelope ${id}`,
		({ envelopes, accountId }) => envelopes.getFormData(accountId, id),
		{ idempotent: true },
	);
	const out: Record<string, string> = {};
	const add = (items: unknown, overwrite: boolean) => {
		for (const item of Array.isArray(items) ? (items as FormItem[]) : []) {
			const name = str(item?.name);
			if (name === undefined || (!overwrite && name in out)) continue;
			out[name] = str(item.value) ?? '';
		}
	};
	add(data?.formData, true);
	for (const recipient of Array.isArray(data?.recipientFormData) ? data.recipientFormData : []) add(recipient?.formData, false);
	return out;
}
