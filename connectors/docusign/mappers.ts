/** Turns DocuSign's loosely typed JSON (SDK models or Connect payloads) into our plain shapes. */
import { BUSINESS_KEY_FIELD, type Envelope, type EnvelopeSummary, type Recipient } from './types';

type Json = Record<string, unknown>;

/** Recipient list keys in a DocuSign `recipients` object and the recipientType each holds. */
const RECIPIENT_LISTS: [string, string][] = [
	['signers', 'signer'],
	['carbonCopies', 'carboncopy'],
	['certifiedDeliveries', 'certifieddelivery'],
	['agents', 'agent'],
	['editors', 'editor'],
	['intermediaries', 'intermediary'],
	['inPersonSigners', 'inpersonsigner'],
	['witnesses', 'witness'],
	['notaries', 'notary'],
	['seals', 'seal'],
];

export function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value === '' ? undefined : value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function asObject(value: unknown): Json {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): Json[] {
	return Array.isArray(value) ? value.map(asObject) : [];
}

/** Copies only the keys whose value is defined, so outputs carry no `undefined` noise. */
function compact<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `{ textCustomFields: [{name, value}], listCustomFields: [...] }` → name → value. */
export function customFieldsToRecord(customFields: unknown): Record<string, string> {
	const fields = asObject(customFields);
	const out: Record<string, string> = {};
	for (const field of [...asArray(fields.textCustomFields), ...asArray(fields.listCustomFields)]) {
		const name = str(field.name);
		if (name !== undefined) out[name] = typeof field.value === 'string' ? field.value : (str(field.value) ?? '');
	}
	return out;
}

export function toRecipients(recipients: unknown): Recipient[] {
	const lists = asObject(recipients);
	const out: Recipient[] = [];
	for (const [key, type] of RECIPIENT_LISTS) {
		for (const r of asArray(lists[key])) {
			out.push(
				compact({
					recipientId: str(r.recipientId) ?? '',
					type: str(r.recipientType) ?? type,
					name: str(r.name),
					email: str(r.email),
					roleName: str(r.roleName),
					status: str(r.status) ?? 'unknown',
					signedDateTime: str(r.signedDateTime),
					deliveredDateTime: str(r.deliveredDateTime),
					declinedDateTime: str(r.declinedDateTime),
					declinedReason: str(r.declinedReason),
				}),
			);
		}
	}
	return out;
}

export function toEnvelopeSummary(envelope: unknown): EnvelopeSummary {
	const e = asObject(envelope);
	return compact({
		envelopeId: str(e.envelopeId) ?? '',
		status: str(e.status) ?? 'unknown',
		statusDateTime: str(e.statusDateTime) ?? str(e.statusChangedDateTime),
		uri: str(e.uri) ?? str(e.envelopeUri),
	});
}

export function toEnvelope(envelope: unknown): Envelope {
	const e = asObject(envelope);
	const customFields = customFieldsToRecord(e.customFields);
	return compact({
		...toEnvelopeSummary(e),
		emailSubject: str(e.emailSubject),
		sentDateTime: str(e.sentDateTime),
		completedDateTime: str(e.completedDateTime),
		declinedDateTime: str(e.declinedDateTime),
		voidedDateTime: str(e.voidedDateTime),
		voidedReason: str(e.voidedReason),
		customFields,
		businessKey: customFields[BUSINESS_KEY_FIELD] || undefined,
	});
}
