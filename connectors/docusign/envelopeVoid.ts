import { ConnectorError, isConnectorError, parseInput } from '../core';
import { VENDOR } from './config';
import { getEnvelope } from './envelopeGet';
import { envelopeIdSchema, voidReasonSchema } from './schemas';
import type { DocusignSession } from './session';

export interface VoidResult {
	envelopeId: string;
	status: 'voided';
	/** False when the envelope was already voided (nothing was sent). */
	changed: boolean;
}

/** States after which an envelope can no longer be voided. */
const FINAL = new Set(['completed', 'declined']);

/**
 * Voids an envelope in flight. Safe to repeat (compensation): an already voided envelope is a
 * success with changed:false; a completed (signed) or declined one is a conflict.
 */
export async function voidEnvelope(session: DocusignSession, envelopeId: string, reason: string): Promise<VoidResult> {
	const id = parseInput(envelopeIdSchema, envelopeId, 'envelopeId', VENDOR);
	const voidedReason = parseInput(voidReasonSchema, reason, 'reason', VENDOR);
	const before = await statusOf(session, id);
	if (before === 'voided') return { envelopeId: id, status: 'voided', changed: false };
	if (FINAL.has(before)) throw cannotVoid(id, before);
	try {
		await session.call(
			`PUT void envelope ${id}`,
			({ envelopes, accountId }) => envelopes.update(accountId, id, { envelope: { status: 'voided', voidedReason } }),
			{ idempotent: true },
		);
		return { envelopeId: id, status: 'voided', changed: true };
	} catch (error) {
		// Raced with a signer or another void: the envelope's state now decides.
		if (!isConnectorError(error) || (error.kind !== 'conflict' && error.kind !== 'validation')) throw error;
		const after = await statusOf(session, id);
		if (after === 'voided') return { envelopeId: id, status: 'voided', changed: false };
		if (FINAL.has(after)) throw cannotVoid(id, after);
		throw error;
	}
}

async function statusOf(session: DocusignSession, envelopeId: string): Promise<string> {
	return (await getEnvelope(session, envelopeId)).status.toLowerCase();
}

function cannotVoid(envelopeId: string, status: string): ConnectorError {
	const why = status === 'completed' ? 'it is completed: a signed envelope cannot be voided' : `it is ${status} and can no longer be voided`;
	return new ConnectorError('conflict', `DocuSign envelope ${envelopeId} was not voided: ${why}`, {
		vendor: VENDOR,
		code: 'ENVELOPE_CANNOT_VOID_INVALID_STATE',
		details: { envelopeId, status },
	});
}
