/**
 * DocuSign pages with start_position/count and reports resultSetSize/totalSetSize; our cursor is the
 * next start position, absent on the last page.
 */
export function nextCursor(page: { startPosition?: unknown; resultSetSize?: unknown; totalSetSize?: unknown; nextUri?: unknown }, start: number, received: number): string | undefined {
	const from = Number(page.startPosition ?? start);
	const size = Number(page.resultSetSize ?? received);
	const next = (Number.isFinite(from) ? from : start) + (Number.isFinite(size) ? size : received);
	const total = Number(page.totalSetSize);
	if (received === 0) return undefined;
	if (Number.isFinite(total)) return next < total ? String(next) : undefined;
	return typeof page.nextUri === 'string' && page.nextUri !== '' ? String(next) : undefined;
}
