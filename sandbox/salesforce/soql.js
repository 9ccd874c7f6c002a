// @ts-check
'use strict';

/**
 * A small, strict SOQL subset: SELECT fields (parent fields like Account.Name, or COUNT()) FROM one object,
 * WHERE with = != <> < <= > >= LIKE IN / NOT IN, AND / OR / NOT and parentheses (mixing AND and OR needs
 * parentheses, as in Salesforce), ORDER BY … ASC|DESC NULLS FIRST|LAST, LIMIT, OFFSET. Literals: quoted strings with
 * backslash escapes, numbers, true/false/null, unquoted dates and datetimes, TODAY/YESTERDAY/TOMORROW.
 * Errors are thrown as `SoqlError` with Salesforce's error codes.
 */

class SoqlError extends Error {
	/** @param {string} errorCode @param {string} message */
	constructor(errorCode, message) {
		super(message);
		this.errorCode = errorCode;
	}
}

const malformed = (/** @type {string} */ message) => new SoqlError('MALFORMED_QUERY', message);
const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'LIKE', 'IN', 'ORDER', 'BY', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'LIMIT', 'OFFSET', 'TRUE', 'FALSE', 'NULL']);
const ESCAPES = /** @type {Record<string, string>} */ ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' });

/**
 * @typedef {{ type: 'word' | 'string' | 'number' | 'date' | 'datetime' | 'boolean' | 'null' | 'op' | 'punct', text: string, value?: any, like?: RegExp, upper?: string }} Token
 */

/** @param {string} source @returns {Token[]} */
function tokenize(source) {
	/** @type {Token[]} */
	const tokens = [];
	let i = 0;
	while (i < source.length) {
		const rest = source.slice(i);
		const space = /^\s+/.exec(rest);
		if (space) {
			i += space[0].length;
			continue;
		}
		if (rest[0] === "'") {
			let value = '';
			let pattern = '';
			let j = 1;
			for (; j < rest.length && rest[j] !== "'"; j++) {
				let ch = rest[j];
				if (ch === '\\') {
					const next = rest[++j];
					if (next === '%' || next === '_') {
						value += next;
						pattern += `\\${next}`;
						continue;
					}
					if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(rest.slice(j + 1, j + 5))) {
						ch = String.fromCharCode(parseInt(rest.slice(j + 1, j + 5), 16));
						j += 4;
					} else if (next !== undefined && ESCAPES[next] !== undefined) ch = ESCAPES[next];
					else throw malformed(`Invalid string literal '${rest.slice(0, j + 1)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`);
				} else if (ch === '%') {
					value += ch;
					pattern += '.*';
					continue;
				} else if (ch === '_') {
					value += ch;
					pattern += '.';
					continue;
				}
				value += ch;
				pattern += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
			}
			if (j >= rest.length) throw malformed(`unterminated string literal: ${rest}`);
			tokens.push({ type: 'string', text: rest.slice(0, j + 1), value, like: new RegExp(`^${pattern}$`, 'is') });
			i += j + 1;
			continue;
		}
		const datetime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})(?![\w:])/.exec(rest);
		if (datetime) {
			const ms = Date.parse(datetime[0].replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
			if (Number.isNaN(ms)) throw malformed(`invalid date time: ${datetime[0]}`);
			tokens.push({ type: 'datetime', text: datetime[0], value: ms });
			i += datetime[0].length;
			continue;
		}
		const date = /^\d{4}-\d{2}-\d{2}(?![\w:])/.exec(rest);
		if (date) {
			tokens.push({ type: 'date', text: date[0], value: date[0] });
			i += date[0].length;
			continue;
		}
		const number = /^-?\d+(\.\d+)?(?![\w.])/.exec(rest);
		if (number) {
			tokens.push({ type: 'number', text: number[0], value: Number(number[0]) });
			i += number[0].length;
			continue;
		}
		const word = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*/.exec(rest);
		if (word) {
			tokens.push({ type: 'word', text: word[0], upper: word[0].toUpperCase() });
			i += word[0].length;
			continue;
		}
		const op = /^(<=|>=|!=|<>|=|<|>)/.exec(rest);
		if (op) {
			tokens.push({ type: 'op', text: op[0] });
			i += op[0].length;
			continue;
		}
		if ('(),:'.includes(rest[0])) {
			tokens.push({ type: 'punct', text: rest[0] });
			i += 1;
			continue;
		}
		throw malformed(`unexpected token: '${rest.split(/\s/)[0]}'`);
	}
	return tokens;
}

/**
 * @typedef {{ kind: 'and' | 'or', terms: Condition[] } | { kind: 'not', term: Condition }
 *   | { kind: 'cmp', field: string, op: string, value: Token } | { kind: 'in', field: string, negate: boolean, values: Token[] }} Condition
 * @typedef {{ fields: string[], count: boolean, object: string, where: Condition | null, orderBy: { field: string, desc: boolean, nullsLast: boolean }[], limit: number | null, offset: number }} Query
 */

/** @param {string} source @returns {Query} */
function parseSoql(source) {
	const tokens = tokenize(String(source || ''));
	let pos = 0;
	const peek = () => tokens[pos];
	const isWord = (/** @type {string} */ upper) => peek() && peek().type === 'word' && peek().upper === upper;
	const unexpected = () => malformed(peek() ? `unexpected token: '${peek().text}'` : 'unexpected end of query');
	const expectWord = (/** @type {string} */ upper) => {
		if (!isWord(upper)) throw unexpected();
		pos++;
	};
	const expectPunct = (/** @type {string} */ text) => {
		if (!peek() || peek().type !== 'punct' || peek().text !== text) throw unexpected();
		pos++;
	};
	const fieldName = () => {
		const token = peek();
		if (!token || token.type !== 'word' || KEYWORDS.has(/** @type {string} */ (token.upper))) throw unexpected();
		pos++;
		return token.text;
	};
	/** @returns {Token} */
	const literal = () => {
		const token = peek();
		if (!token) throw unexpected();
		if (['string', 'number', 'date', 'datetime'].includes(token.type)) {
			pos++;
			return token;
		}
		if (token.type === 'word' && ['TRUE', 'FALSE', 'NULL', 'TODAY', 'YESTERDAY', 'TOMORROW'].includes(/** @type {string} */ (token.upper))) {
			pos++;
			if (token.upper === 'TRUE' || token.upper === 'FALSE') return { type: 'boolean', text: token.text, value: token.upper === 'TRUE' };
			if (token.upper === 'NULL') return { type: 'null', text: token.text, value: null };
			const offset = { TODAY: 0, YESTERDAY: -1, TOMORROW: 1 }[/** @type {'TODAY'} */ (token.upper)];
			return { type: 'date', text: token.text, value: new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10) };
		}
		throw unexpected();
	};

	/** @returns {Condition} */
	const primary = () => {
		if (isWord('NOT')) {
			pos++;
			return { kind: 'not', term: primary() };
		}
		if (peek() && peek().type === 'punct' && peek().text === '(') {
			pos++;
			const inner = condition();
			expectPunct(')');
			return inner;
		}
		const field = fieldName();
		if (isWord('LIKE')) {
			pos++;
			const value = literal();
			if (value.type !== 'string') throw malformed(`LIKE needs a quoted string (got ${value.text})`);
			return { kind: 'cmp', field, op: 'LIKE', value };
		}
		const negate = isWord('NOT');
		if (negate) pos++;
		if (isWord('IN')) {
			pos++;
			expectPunct('(');
			const values = [literal()];
			while (peek() && peek().text === ',') {
				pos++;
				values.push(literal());
			}
			expectPunct(')');
			return { kind: 'in', field, negate, values };
		}
		if (negate) throw unexpected();
		const op = peek();
		if (!op || op.type !== 'op') throw unexpected();
		pos++;
		return { kind: 'cmp', field, op: op.text === '<>' ? '!=' : op.text, value: literal() };
	};
	/** @returns {Condition} */
	const condition = () => {
		const terms = [primary()];
		/** @type {string | null} */
		let joiner = null;
		while (isWord('AND') || isWord('OR')) {
			const word = /** @type {string} */ (peek().upper);
			if (joiner && joiner !== word) throw malformed(`unexpected token: '${peek().text}' (use parentheses to mix AND and OR)`);
			joiner = word;
			pos++;
			terms.push(primary());
		}
		if (terms.length === 1) return terms[0];
		return { kind: joiner === 'AND' ? 'and' : 'or', terms };
	};

	expectWord('SELECT');
	/** @type {string[]} */
	const fields = [];
	let count = false;
	if (isWord('COUNT')) {
		pos++;
		expectPunct('(');
		expectPunct(')');
		count = true;
	} else {
		fields.push(fieldName());
		while (peek() && peek().text === ',') {
			pos++;
			fields.push(fieldName());
		}
	}
	expectWord('FROM');
	const object = fieldName();
	const where = isWord('WHERE') ? (pos++, condition()) : null;
	/** @type {Query['orderBy']} */
	const orderBy = [];
	if (isWord('ORDER')) {
		pos++;
		expectWord('BY');
		do {
			if (orderBy.length) pos++;
			const field = fieldName();
			let desc = false;
			if (isWord('ASC') || isWord('DESC')) desc = tokens[pos++].upper === 'DESC';
			let nullsLast = desc;
			if (isWord('NULLS')) {
				pos++;
				if (!isWord('FIRST') && !isWord('LAST')) throw unexpected();
				nullsLast = tokens[pos++].upper === 'LAST';
			}
			orderBy.push({ field, desc, nullsLast });
		} while (peek() && peek().text === ',');
	}
	/** @param {string} word */
	const integerAfter = (word) => {
		pos++;
		const token = peek();
		if (!token || token.type !== 'number' || !Number.isInteger(token.value) || token.value < 0) throw malformed(`${word} needs a non-negative integer`);
		pos++;
		return /** @type {number} */ (token.value);
	};
	const limit = isWord('LIMIT') ? integerAfter('LIMIT') : null;
	const offset = isWord('OFFSET') ? integerAfter('OFFSET') : 0;
	if (offset > 2000) throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
	if (pos < tokens.length) throw unexpected();
	return { fields, count, object, where, orderBy, limit, offset };
}

module.exports = { parseSoql, tokenize, SoqlError };
