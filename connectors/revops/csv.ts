/** RFC 4180 CSV: just enough to write the what-if table and read lead uploads, with no dependency. */

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvIssue {
	/** 0-based record index (the header is record 0). */
	record: number;
	/** 0-based field index within the record. */
	field: number;
	message: string;
}

/** Quotes a field when it holds a comma, quote, CR or LF; quotes inside are doubled. */
export function csvField(value: CsvValue): string {
	const text = value === null || value === undefined ? '' : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CRLF line endings, as RFC 4180 asks (spreadsheets read either). */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
	return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Splits CSV text into records. A leading BOM is dropped; CRLF, LF and lone CR end records; blank
 * lines are skipped. A bare quote inside an unquoted field is kept as text (Excel writes those), but
 * text after a closing quote or a quote left open at the end is reported rather than guessed at.
 */
export function parseCsv(text: string): { records: string[][]; issues: CsvIssue[] } {
	const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const records: string[][] = [];
	const issues: CsvIssue[] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	let afterClosingQuote = false;
	let fieldStarted = false;

	const endField = () => {
		record.push(field);
		field = '';
		afterClosingQuote = false;
		fieldStarted = false;
	};
	const endRecord = () => {
		endField();
		// A blank line is one empty field: nothing to import, nothing to report.
		if (!(record.length === 1 && record[0] === '')) records.push(record);
		record = [];
	};

	for (let i = 0; i < input.length; i++) {
		const char = input[i];
		if (quoted) {
			if (char !== '"') field += char;
			else if (input[i + 1] === '"') {
				field += '"';
				i++;
			} else {
				quoted = false;
				afterClosingQuote = true;
			}
			continue;
		}
		if (char === ',') endField();
		else if (char === '\r' || char === '\n') {
			if (char === '\r' && input[i + 1] === '\n') i++;
			endRecord();
		} else if (char === '"' && !fieldStarted) {
			quoted = true;
			fieldStarted = true;
		} else {
			if (afterClosingQuote) {
				issues.push({ record: records.length, field: record.length, message: 'unexpected text after a closing quote (quote the whole field and double any quote inside it)' });
				afterClosingQuote = false;
			}
			field += char;
			fieldStarted = true;
		}
	}
	if (quoted) issues.push({ record: records.length, field: record.length, message: 'a quoted field is never closed (missing closing quote)' });
	if (field !== '' || record.length > 0 || quoted) endRecord();
	return { records, issues };
}
