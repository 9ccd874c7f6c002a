import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { businessKeySchema, parseInput, sha256Hex, validationError, z } from '../core';
import { chainDirName } from './fileStore';

/** Documents kept with a contract's evidence live under `<evidence dir>/documents/<chain dir>/`. */
export const DOCUMENTS_DIR = 'documents';

const storeDocumentInputSchema = z.object({
	businessKey: businessKeySchema,
	fileName: z.string().trim().min(1, 'a file name such as "contract.pdf"').max(255),
	mimeType: z.string().trim().max(255).default('application/octet-stream'),
	/** Empty: any type. */
	allowedMimeTypes: z.array(z.string().trim().toLowerCase()).default([]),
	maxBytes: z.number().int().positive().default(25 * 1024 * 1024),
});
export type StoreDocumentInput = z.input<typeof storeDocumentInputSchema> & { data: Buffer };

export interface StoredDocument {
	sha256: string;
	size: number;
	fileName: string;
	mimeType: string;
	/** Relative to the evidence directory; content-addressed, so a receipt naming it proves which bytes were kept. */
	location: string;
	/** false when the same bytes were already stored for this contract. */
	created: boolean;
}

/**
 * Keeps a document (a signed contract PDF) with a contract's evidence, named by its SHA-256. Refuses an empty, oversized
 * or unexpected file before writing; a PDF must also start like one. Writes to a temporary name and renames, so a
 * crash never leaves a half-written document under its hash.
 */
export async function storeDocument(evidenceDir: string, input: StoreDocumentInput): Promise<StoredDocument> {
	const { data, ...rest } = input;
	const parsed = parseInput(storeDocumentInputSchema, rest, '');
	if (!Buffer.isBuffer(data) || data.length === 0) throw validationError('data', 'a non-empty file');
	if (data.length > parsed.maxBytes) throw validationError('data', `a file of at most ${parsed.maxBytes} bytes`, `${data.length} bytes`);
	const mimeType = parsed.mimeType.toLowerCase();
	if (parsed.allowedMimeTypes.length > 0 && !parsed.allowedMimeTypes.includes(mimeType)) {
		throw validationError('mimeType', `one of ${parsed.allowedMimeTypes.join(', ')}`, mimeType);
	}
	if (mimeType === 'application/pdf' && data.subarray(0, 5).toString('latin1') !== '%PDF-') {
		throw validationError('data', 'a PDF file (starting with "%PDF-")', parsed.fileName);
	}
	const sha256 = sha256Hex(data);
	const extension = extname(parsed.fileName).toLowerCase().replace(/[^.a-z0-9]/g, '').slice(0, 10);
	const location = join(DOCUMENTS_DIR, chainDirName(parsed.businessKey), `${sha256}${extension}`);
	const target = join(evidenceDir, location);
	const existing = await stat(target).catch(() => undefined);
	if (!existing || existing.size !== data.length) {
		await mkdir(join(evidenceDir, DOCUMENTS_DIR, chainDirName(parsed.businessKey)), { recursive: true });
		const partial = `${target}.${process.pid}.${Date.now()}.partial`;
		await writeFile(partial, data, { mode: 0o600 });
		await rename(partial, target);
	}
	return { sha256, size: data.length, fileName: parsed.fileName, mimeType, location, created: !existing };
}
