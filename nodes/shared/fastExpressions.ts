import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/**
 * Reads our nodes' parameters without n8n's expression engine when an expression is only a reference.
 *
 * n8n 2.40 evaluates every `={{ … }}` in a V8 isolate: about 0.7 ms per field per item on n8n's main thread, a
 * third of a contract's CPU in `npm run bench`. Nearly all of our templates' fields are references
 * (`$json.businessKey`, `$('Get Signed Order').item.json.customer.email`, `$execution.id`), maybe joined by `||`,
 * `??` or `+` with a literal. Those are read here from the same workflow data proxy that n8n's engine reads
 * (`getWorkflowDataProxy`: paired items, `.first()`, `$execution` resolve exactly as in an expression). Anything
 * else, and any reference that throws on the way (a missing node, `undefined.x`), goes to n8n's own
 * `getNodeParameter`, so its result and its errors stay n8n's. `Q2C_FAST_EXPRESSIONS=off` turns this off.
 */

type Step = { prop: string } | { call: 'first' | 'last' };
type Ast =
	| { kind: 'literal'; value: string | number | boolean | null }
	| { kind: 'ref'; root: '$json' | '$execution' | '$node'; nodeName?: string; steps: Step[] }
	| { kind: 'binary'; op: '||' | '??' | '+'; left: Ast; right: Ast };

/** What a parameter may contain besides plain JSON: no call but `first()`/`last()`, no prototype walking. */
const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype']);
const TOKEN =
	/\s*(?:(\$json|\$execution)\b|(\$)(?=\()|([A-Za-z_][\w]*)|('[^'\\{}]*'|"[^"\\{}]*")|(\d+(?:\.\d+)?)|(\|\||\?\?|[.+()[\]]))/y;

class Unsupported extends Error {}

function tokenize(source: string): string[] {
	const tokens: string[] = [];
	TOKEN.lastIndex = 0;
	while (TOKEN.lastIndex < source.length) {
		if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
		const match = TOKEN.exec(source);
		if (!match) throw new Unsupported();
		tokens.push(match.slice(1).find((part) => part !== undefined) as string);
	}
	return tokens;
}

function parse(source: string): Ast {
	const tokens = tokenize(source);
	let at = 0;
	const peek = () => tokens[at];
	const take = (expected?: string) => {
		const token = tokens[at++];
		if (token === undefined || (expected !== undefined && token !== expected)) throw new Unsupported();
		return token;
	};
	const primary = (): Ast => {
		const token = take();
		if (/^['"]/.test(token)) return { kind: 'literal', value: token.slice(1, -1) };
		if (/^\d/.test(token)) return { kind: 'literal', value: Number(token) };
		if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
		if (token === 'null') return { kind: 'literal', value: null };
		let ref: Extract<Ast, { kind: 'ref' }>;
		if (token === '$json' || token === '$execution') ref = { kind: 'ref', root: token, steps: [] };
		else if (token === '$') {
			take('(');
			const name = take();
			if (!/^['"]/.test(name)) throw new Unsupported();
			take(')');
			ref = { kind: 'ref', root: '$node', nodeName: name.slice(1, -1), steps: [] };
		} else throw new Unsupported();
		for (;;) {
			if (peek() === '.') {
				take();
				const name = take();
				if (!/^[A-Za-z_]/.test(name) || FORBIDDEN.has(name)) throw new Unsupported();
				if (peek() === '(') {
					if (name !== 'first' && name !== 'last') throw new Unsupported();
					take('(');
					take(')');
					ref.steps.push({ call: name });
				} else ref.steps.push({ prop: name });
			} else if (peek() === '[') {
				take();
				const key = take();
				if (!/^(['"]|\d)/.test(key)) throw new Unsupported();
				const prop = /^\d/.test(key) ? key : key.slice(1, -1);
				if (FORBIDDEN.has(prop)) throw new Unsupported();
				take(']');
				ref.steps.push({ prop });
			} else return ref;
		}
	};
	const sum = (): Ast => {
		let left = primary();
		while (peek() === '+') left = { kind: 'binary', op: take() as '+', left, right: primary() };
		return left;
	};
	const either = (): Ast => {
		let left = sum();
		while (peek() === '||' || peek() === '??') {
			const op = take() as '||' | '??';
			left = { kind: 'binary', op, left, right: sum() };
		}
		return left;
	};
	const ast = either();
	if (at !== tokens.length) throw new Unsupported();
	return ast;
}

const compiled = new Map<string, Ast | null>();

/** The expression's syntax tree, or null when it is more than references and literals. Cached per text. */
function compile(raw: string): Ast | null {
	let ast = compiled.get(raw);
	if (ast !== undefined) return ast;
	const body = /^=\{\{([^{}]*)\}\}$/.exec(raw)?.[1];
	try {
		ast = body === undefined ? null : parse(body);
	} catch {
		ast = null;
	}
	if (compiled.size > 2000) compiled.clear();
	compiled.set(raw, ast);
	return ast;
}

type DataProxy = ReturnType<IExecuteFunctions['getWorkflowDataProxy']>;

function evaluate(ast: Ast, proxy: DataProxy): unknown {
	if (ast.kind === 'literal') return ast.value;
	if (ast.kind === 'binary') {
		const left = evaluate(ast.left, proxy);
		if (ast.op === '||') return left || evaluate(ast.right, proxy);
		if (ast.op === '??') return left ?? evaluate(ast.right, proxy);
		return (left as string) + (evaluate(ast.right, proxy) as string);
	}
	let value: unknown = ast.root === '$node' ? proxy.$(ast.nodeName as string) : proxy[ast.root];
	for (const step of ast.steps) {
		// n8n's engine would throw here: let it, with its own message.
		if (value === null || value === undefined) throw new Unsupported();
		if ('prop' in step) value = (value as Record<string, unknown>)[step.prop];
		else {
			const method = (value as Record<string, unknown>)[step.call];
			if (typeof method !== 'function') throw new Unsupported();
			value = (method as () => unknown).call(value);
		}
	}
	return value;
}

/** A copy, as n8n's engine returns: a handler changing it must not change the item it came from. */
function detached(value: unknown): unknown {
	return value !== null && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
}

/** The parameter's value with every expression in it resolved, or Unsupported. */
function resolve(raw: unknown, proxy: () => DataProxy): unknown {
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return raw;
		const ast = compile(raw);
		if (!ast) throw new Unsupported();
		return detached(evaluate(ast, proxy()));
	}
	if (Array.isArray(raw)) return raw.map((entry) => resolve(entry, proxy));
	if (raw !== null && typeof raw === 'object') {
		return Object.fromEntries(Object.entries(raw).map(([key, entry]) => [key, resolve(entry, proxy)]));
	}
	return raw;
}

function rawParameter(parameters: object, name: string): unknown {
	let value: unknown = parameters;
	for (const part of name.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

/** A resource locator whose mode extracts its value by a regex (URL mode) is left to n8n. */
function isPlainLocatorRead(raw: unknown, options: IGetNodeParameterOptions): boolean {
	const keys = Object.keys(options);
	if (keys.length === 0) return true;
	if (keys.length !== 1 || options.extractValue !== true) return false;
	const locator = raw as { __rl?: unknown; mode?: unknown } | null;
	return typeof locator !== 'object' || locator === null || locator.__rl !== true || locator.mode === 'id' || locator.mode === 'list';
}

/**
 * The context handed to our operations: `getNodeParameter` reads reference-only expressions directly, everything
 * else is n8n's context unchanged. One data proxy per item is built on first use.
 */
export function withFastExpressions(context: IExecuteFunctions): IExecuteFunctions {
	if (process.env.Q2C_FAST_EXPRESSIONS === 'off' || typeof context.getWorkflowDataProxy !== 'function') return context;
	const parameters = context.getNode().parameters;
	if (!parameters) return context;
	const proxies = new Map<number, DataProxy>();
	const n8nRead = context.getNodeParameter.bind(context) as (...args: unknown[]) => unknown;
	function getNodeParameter(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown {
		const raw = name.includes('[') ? undefined : rawParameter(parameters, name);
		if (raw !== undefined && isPlainLocatorRead(raw, options ?? {})) {
			try {
				const value = resolve(raw, () => {
					let proxy = proxies.get(itemIndex);
					if (!proxy) proxies.set(itemIndex, (proxy = context.getWorkflowDataProxy(itemIndex)));
					return proxy;
				});
				if (options?.extractValue && value !== null && typeof value === 'object' && (value as { __rl?: unknown }).__rl === true) {
					return (value as { value: unknown }).value;
				}
				return value;
			} catch {
				// Anything our reading cannot match exactly (including a reference that throws) is n8n's to answer.
			}
		}
		return n8nRead(name, itemIndex, fallback, options);
	}
	return Object.create(context, { getNodeParameter: { value: getNodeParameter } }) as IExecuteFunctions;
}
