import { parseInput } from '../core';
import { VENDOR } from './config';
import { toEnvelope, toRecipients } from './mappers';
import { envelopeIdSchema } from './schemas';
import type { DocusignSession } from './session';
import type { Envelope, Recipient } from './types';

export async function getEnvelope(session: DocusignSession, envelopeId: string): Promise<Envelope> {
	const id = parseInput(envelopeIdSchema, envelopeId, 'envelopeId', VENDOR);
	const envelope = await session.call(
		`GET envelope ${id}`,
		({ envelopes, accountId }) => envelopes.getEnvelope(accountId, id, { include: 'custom_fields' }),
		{ idempotent: true },
	);
	return toEnvelope(envelope);
}

export async function listRecipients(session: DocusignSession, envelopeId: string): Promise<Recipient[]> {
	const id = parseInput(envelopeIdSchema, envelopeId, 'envelopeId', VENDOR);
	const recipients = await session.call(
		`GET recipients of envelope ${id}`,
		({ envelopes, accountId }) => envelopes.listRecipients(accountId, id),
		{ idempotent: true },
	);
	return toRecipients(recipients);
}
