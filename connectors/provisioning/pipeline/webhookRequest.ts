import { validationError } from '../../core';

/** What a webhook endpoint hands over: headers plus the raw bytes (preferred) or the parsed body. */
export interface WebhookRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: string | Buffer | null;
	body?: unknown;
}

export function headerValue(headers: WebhookRequest['headers'], name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** The raw body as text; signatures are over these exact bytes. */
export function rawText(request: WebhookRequest): string | undefined {
	const raw = request.rawBody;
	if (raw === undefined || raw === null) return undefined;
	return Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
}

export function parseJsonBody(request: WebhookRequest, vendor: string): unknown {
	const text = rawText(request) ?? (typeof request.body === 'string' ? request.body : undefined);
	if (text === undefined) return request.body;
	try {
		return JSON.parse(text);
	} catch {
		throw validationError('body', 'a JSON object', 'text that is not JSON', vendor);
	}
}

export function secretList(secrets: string | readonly (string | undefined | null)[] | undefined | null): string[] {
	const list = Array.isArray(secrets) ? secrets : [secrets];
	return list.filter((s): s is string => typeof s === 'string' && s.trim() !== '');
}
