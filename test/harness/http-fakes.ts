/** Just enough of express's Request/Response for a trigger node's `webhook()` method. */
import type { IDataObject } from 'n8n-workflow';

export interface WebhookRequest {
	/** Default 'POST'. */
	method?: string;
	/** Header names are lower-cased. content-type defaults to application/json when body is an object. */
	headers?: Record<string, string | string[]>;
	/** Parsed body (req.body); default: rawBody parsed as JSON when it is JSON, else {}. */
	body?: unknown;
	/** Exact bytes (req.rawBody, for signature checks); default: JSON.stringify(body). */
	rawBody?: Buffer | string;
	query?: IDataObject;
	params?: IDataObject;
	/** Which webhook description to use (default 'default'). */
	webhookName?: string;
}

export interface HarnessRequest {
	method: string;
	url: string;
	path: string;
	headers: Record<string, string | string[]>;
	body: unknown;
	rawBody: Buffer;
	query: IDataObject;
	params: IDataObject;
	header(name: string): string | string[] | undefined;
	get(name: string): string | string[] | undefined;
}

export function createRequest(request: WebhookRequest, path: string): HarnessRequest {
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
	let rawBody: Buffer;
	let body = request.body;
	if (request.rawBody !== undefined) {
		rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.from(request.rawBody, 'utf8');
		if (body === undefined) body = parseJsonOrEmpty(rawBody.toString('utf8'));
	} else {
		rawBody = Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
	}
	if (typeof body === 'object' && body !== null && headers['content-type'] === undefined) {
		headers['content-type'] = 'application/json';
	}
	const lookup = (name: string) => headers[name.toLowerCase()];
	return {
		method: (request.method ?? 'POST').toUpperCase(),
		url: `/webhook/${path}`,
		path: `/webhook/${path}`,
		headers,
		body: body ?? {},
		rawBody,
		query: request.query ?? {},
		params: request.params ?? {},
		header: lookup,
		get: lookup,
	};
}

function parseJsonOrEmpty(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return {};
	}
}

/** Records what the node wrote: status, headers, body. */
export class CapturedResponse {
	statusCode = 200;
	readonly headers: Record<string, string> = {};
	body: unknown = undefined;
	/** True once the node ended the response (json/send/end/sendStatus). */
	finished = false;

	get headersSent(): boolean {
		return this.finished;
	}

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	sendStatus(code: number): this {
		this.statusCode = code;
		return this.end();
	}

	setHeader(name: string, value: string | number | readonly string[]): this {
		this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		return this;
	}

	set(name: string | Record<string, string>, value?: string): this {
		if (typeof name === 'string') return this.setHeader(name, value ?? '');
		for (const [key, headerValue] of Object.entries(name)) this.setHeader(key, headerValue);
		return this;
	}

	header(name: string, value: string): this {
		return this.setHeader(name, value);
	}

	/** Express's res.type(): a MIME type or a short name such as 'xml' / 'json'. */
	type(value: string): this {
		const short: Record<string, string> = { xml: 'application/xml', json: 'application/json', text: 'text/plain', html: 'text/html' };
		return this.setHeader('content-type', short[value] ?? value);
	}

	getHeader(name: string): string | undefined {
		return this.headers[name.toLowerCase()];
	}

	writeHead(code: number, headers: Record<string, string> = {}): this {
		this.statusCode = code;
		return this.set(headers);
	}

	json(body: unknown): this {
		if (!this.getHeader('content-type')) this.setHeader('content-type', 'application/json');
		this.body = body;
		return this.end();
	}

	send(body?: unknown): this {
		this.body = Buffer.isBuffer(body) ? body.toString('utf8') : body;
		return this.end();
	}

	end(chunk?: unknown): this {
		if (chunk !== undefined && this.body === undefined) this.body = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk;
		this.finished = true;
		return this;
	}

	write(chunk: unknown): boolean {
		const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
		this.body = typeof this.body === 'string' ? this.body + text : text;
		return true;
	}

	on(): this {
		return this;
	}

	once(): this {
		return this;
	}
}
