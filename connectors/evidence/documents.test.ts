import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { storeDocument } from './documents';

const pdf = Buffer.from('%PDF-1.7\n% contract\n%%EOF\n', 'latin1');
const fresh = () => mkdtempSync(join(tmpdir(), 'q2c-docs-'));

describe('storeDocument', () => {
	it('keeps the bytes under the contract, named by their SHA-256, and says so', async () => {
		const dir = fresh();
		const stored = await storeDocument(dir, { businessKey: 'DEAL/1', fileName: 'Signed Contract.PDF', mimeType: 'application/pdf', allowedMimeTypes: ['application/pdf'], data: pdf });
		const sha256 = createHash('sha256').update(pdf).digest('hex');
		expect(stored).toMatchObject({ sha256, size: pdf.length, fileName: 'Signed Contract.PDF', mimeType: 'application/pdf', created: true });
		expect(stored.location).toMatch(new RegExp(`^documents/DEAL_1-[0-9a-f]{16}/${sha256}\\.pdf$`));
		expect(readFileSync(join(dir, stored.location)).equals(pdf)).toBe(true);
		expect(readdirSync(dirname(join(dir, stored.location)))).toEqual([`${sha256}.pdf`]); // no partial file left
	});

	it('stores the same bytes once per contract (created: false the second time)', async () => {
		const dir = fresh();
		const first = await storeDocument(dir, { businessKey: 'D', fileName: 'a.pdf', mimeType: 'application/pdf', data: pdf });
		const again = await storeDocument(dir, { businessKey: 'D', fileName: 'a.pdf', mimeType: 'application/pdf', data: pdf });
		expect(again).toEqual({ ...first, created: false });
	});

	it('refuses an empty, oversized, unexpected or fake PDF file before writing anything', async () => {
		const dir = fresh();
		const base = { businessKey: 'D', fileName: 'a.pdf', mimeType: 'application/pdf' };
		await expect(storeDocument(dir, { ...base, data: Buffer.alloc(0) })).rejects.toThrow(/"data".*non-empty/);
		await expect(storeDocument(dir, { ...base, maxBytes: 4, data: pdf })).rejects.toThrow(/at most 4 bytes/);
		await expect(storeDocument(dir, { ...base, mimeType: 'text/plain', allowedMimeTypes: ['application/pdf'], data: pdf })).rejects.toThrow(/"mimeType".*application\/pdf/);
		await expect(storeDocument(dir, { ...base, data: Buffer.from('not a pdf') })).rejects.toThrow(/a PDF file/);
		await expect(storeDocument(dir, { ...base, businessKey: ' ', data: pdf })).rejects.toThrow(/businessKey/);
		expect(readdirSync(dir)).toEqual([]);
	});
});
