import { canonicalJson, sha256Hex } from '../core';
import { receiptSchema, type ChainHead, type Receipt, type UnsealedReceipt, type Verification, type VerificationProblem } from './schemas';

/** The content hash: sha256 over the canonical JSON of the receipt without its own `sha256`. */
export function receiptHash(receipt: UnsealedReceipt | Receipt): string {
	const content: Partial<Receipt> = { ...receipt };
	delete content.sha256;
	return sha256Hex(canonicalJson(content));
}

export function sealReceipt(receipt: UnsealedReceipt): Receipt {
	return { ...receipt, sha256: receiptHash(receipt) };
}

/** Where the next receipt attaches: the chain's length so far and its last receipt. */
export interface ChainTip {
	count: number;
	previous_receipt_id: string | null;
	previous_sha256: string | null;
}

export const EMPTY_TIP: ChainTip = { count: 0, previous_receipt_id: null, previous_sha256: null };

/**
 * Checks one stored chain. Detects edited receipts (hash mismatch), removed, inserted or re-ordered
 * receipts (sequence and previous-link mismatches), and a truncated tail (the head pointer records
 * more receipts, or a different last one, than the chain holds). `entries` are the stored records as
 * read back, possibly unreadable.
 */
export function verifyChain(businessKey: string, entries: readonly unknown[], head?: ChainHead): Verification {
	const problems: VerificationProblem[] = [];
	const seen = new Set<string>();
	let previous: Receipt | undefined;
	entries.forEach((entry, index) => {
		const parsed = receiptSchema.safeParse(entry);
		if (!parsed.success) {
			const id = entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string' ? (entry as { id: string }).id : null;
			problems.push({ index, receipt_id: id, problem: `not a well-formed receipt (${parsed.error.issues[0].path.join('.') || 'record'}: ${parsed.error.issues[0].message})` });
			previous = undefined;
			return;
		}
		const receipt = parsed.data;
		const problem = (text: string) => problems.push({ index, receipt_id: receipt.id, problem: text });
		if (receiptHash(receipt) !== receipt.sha256) problem('content was edited: sha256 does not match the receipt');
		if (receipt.business_key !== businessKey) problem(`belongs to business key "${receipt.business_key}", not this chain`);
		if (receipt.sequence !== index + 1) problem(`out of place: sequence ${receipt.sequence} at position ${index + 1} (a receipt was removed, inserted or re-ordered)`);
		if (seen.has(receipt.id)) problem('duplicate receipt id');
		seen.add(receipt.id);
		const expectedId = index === 0 ? null : (previous?.id ?? undefined);
		const expectedSha = index === 0 ? null : (previous?.sha256 ?? undefined);
		if (expectedId !== undefined && receipt.previous_receipt_id !== expectedId) {
			problem(`broken link: previous_receipt_id is ${String(receipt.previous_receipt_id)} but the receipt before it is ${String(expectedId)}`);
		} else if (expectedSha !== undefined && receipt.previous_sha256 !== expectedSha) {
			problem('broken link: previous_sha256 does not match the receipt before it (that receipt was edited)');
		}
		previous = receipt;
	});
	if (entries.length > 0 && !head) {
		problems.push({ index: entries.length, receipt_id: null, problem: 'the chain head pointer is missing' });
	}
	if (head) {
		const last = entries.length > 0 ? (entries[entries.length - 1] as Partial<Receipt> | null) : null;
		if (head.count !== entries.length) {
			const what = head.count > entries.length ? 'receipts were removed from the end' : 'receipts were added outside the ledger';
			problems.push({ index: entries.length, receipt_id: null, problem: `the head records ${head.count} receipts but the chain holds ${entries.length} (${what})` });
		} else if ((last?.sha256 ?? null) !== head.last_sha256 || (last?.id ?? null) !== head.last_receipt_id) {
			problems.push({ index: entries.length - 1, receipt_id: last?.id ?? null, problem: 'the last receipt is not the one the head records (the tail was replaced)' });
		}
	}
	return { business_key: businessKey, valid: problems.length === 0, count: entries.length, problems };
}
