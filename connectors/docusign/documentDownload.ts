import { ConnectorError, parseInput } from '../core';
import { VENDOR } from './config';
import { envelopeIdSchema } from './schemas';
import type { DocusignSession } from './session';

export interface DownloadedPdf {
	data: Buffer;
	fileName: string;
	mimeType: 'application/pdf';
}

/** All documents of the envelope as one PDF (GET /envelopes/{id}/documents/combined). */
export async function downloadCombinedPdf(session: DocusignSession, envelopeId: string): Promise<DownloadedPdf> {
	const id = parseInput(envelopeIdSchema, envelopeId, 'envelopeId', VENDOR);
	const { data, headers } = await session.call(
		`GET combined PDF of envelope ${id}`,
		// The callback form is the only one that exposes the response headers (file name).
		({ envelopes, accountId }) =>
			new Promise<{ data: unknown; headers: Record<string, unknown> }>((resolve, reject) => {
				envelopes.getDocument(accountId, id, 'combined', {}, ((error: unknown, body: unknown, response?: { headers?: Record<string, unknown> }) => {
					if (error) reject(error);
					else resolve({ data: body, headers: response?.headers ?? {} });
				}) as never);
			}),
		{ idempotent: true },
	);
	const pdf = toBuffer(data);
	if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
		throw new ConnectorError('permanent', `DocuSign returned no PDF for envelope ${id} (${pdf.length} bytes without a PDF header)`, { vendor: VENDOR });
	}
	return { data: pdf, fileName: fileNameFrom(headers['content-disposition']) ?? `envelope-${id}.pdf`, mimeType: 'application/pdf' };
}

function toBuffer(data: unknown): Buffer {
	if (Buffer.isBuffer(data)) return data;
	if (data instanceof Uint8Array) return Buffer.from(data);
	// The SDK joins an empty or text stream into a string; latin1 keeps every byte as it was.
	return Buffer.from(typeof data === 'string' ? data : '', 'latin1');
}

/** `file; filename="Contract.pdf"` or RFC 5987 `filename*=UTF-8''Contract%20A.pdf`. */
export function fileNameFrom(disposition: unknown): string | undefined {
	if (typeof disposition !== 'string') return undefined;
	const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
	if (extended) {
		try {
			return sanitize(decodeURIComponent(extended[1].trim()));
		} catch {
			// fall through to the plain form
		}
	}
	const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
	return plain ? sanitize(plain[1].trim()) : undefined;
}

function sanitize(name: string): string | undefined {
	const base = name.replace(/^.*[\\/]/, '').trim();
	return base === '' ? undefined : base;
}
