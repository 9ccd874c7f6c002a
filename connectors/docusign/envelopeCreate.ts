import type { EnvelopeDefinition } from 'docusign-esign';
import { ConnectorError, parseInput, withRetry, z } from '../core';
import { VENDOR } from './config';
import { findEnvelopeByBusinessKey } from './envelopeFind';
import { toEnvelopeSummary } from './mappers';
import { createEnvelopeSchema } from './schemas';
import type { DocusignSession } from './session';
import { BUSINESS_KEY_FIELD, type CreateEnvelopeInput, type EnvelopeSummary } from './types';

type ValidInput = z.infer<typeof createEnvelopeSchema>;

/** The POST /envelopes body: template roles with prefilled text tabs, hidden text custom fields. */
export function envelopeDefinition(input: ValidInput): EnvelopeDefinition {
	const fields = { [BUSINESS_KEY_FIELD]: input.businessKey, ...input.customFields };
	return {
		templateId: input.templateId,
		emailSubject: input.emailSubject,
		status: input.status,
		templateRoles: input.roles.map((role) => ({
			roleName: role.roleName,
			name: role.name,
			email: role.email,
			tabs: role.tabs ? { textTabs: Object.entries(role.tabs).map(([tabLabel, value]) => ({ tabLabel, value })) } : undefined,
		})),
		customFields: {
			textCustomFields: Object.entries(fields).map(([name, value]) => ({ name, value, show: 'false', required: 'false' })),
		},
	};
}

/**
 * Creates (and by default sends) an envelope from a template, once per business key: an envelope
 * already carrying the key is returned with created:false. A failed send is repeated only after a
 * new search shows it did not create the envelope.
 */
export async function createEnvelopeFromTemplate(session: DocusignSession, input: CreateEnvelopeInput): Promise<EnvelopeSummary & { created: boolean }> {
	const data = parseInput(createEnvelopeSchema, input, 'envelope', VENDOR);
	const definition = envelopeDefinition(data);
	return withRetry(
		async () => {
			const existing = await findEnvelopeByBusinessKey(session, data.businessKey);
			if (existing) return { ...existing, created: false };
			const summary = await session.call(
				'POST envelope',
				({ envelopes, accountId }) => envelopes.createEnvelope(accountId, { envelopeDefinition: definition }),
				{ idempotent: false },
			);
			const envelope = toEnvelopeSummary(summary);
			if (!envelope.envelopeId) throw new ConnectorError('permanent', 'DocuSign created an envelope but returned no envelopeId', { vendor: VENDOR });
			return { ...envelope, created: true };
		},
		// Each attempt searches first, so repeating after a lost response cannot send a second envelope.
		{ idempotent: true, policy: session.retryPolicy, sleep: session.sleep },
	);
}
