import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { ConnectorError } from '../../../core';

export interface Seen {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: string;
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string | string[]>;
}

export type Handler = (req: Seen, url: string) => Reply | undefined;

export interface FakeVendor {
	url: string;
	seen: Seen[];
	close(): Promise<void>;
}

/** A vendor stand-in on a loopback port: records every request, answers through `handler` (404 when it has none). */
export async function startFake(handler: Handler): Promise<FakeVendor> {
	nock.enableNetConnect('127.0.0.1');
	const seen: Seen[] = [];
	let url = '';
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			const parsed = new URL(req.url ?? '/', 'http://fake');
			const request: Seen = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], query: parsed.searchParams, headers: req.headers, body };
			seen.push(request);
			const reply = handler(request, url) ?? { status: 404, body: { message: '404 Not Found' } };
			const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
			const type = typeof reply.body === 'string' ? 'text/html' : 'application/json';
			res.writeHead(reply.status, { 'Content-Type': type, ...reply.headers });
			res.end(text);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Fast, deterministic retries for tests. */
export const FAST = { retry: { retries: 2, baseDelayMs: 1, jitter: 0 }, sleep: async () => undefined, rateLimit: { perSecond: 10_000, burst: 10_000 } };

export async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
	try {
		await promise;
	} catch (error) {
		return error as ConnectorError;
	}
	throw new Error('expected the call to fail');
}

/** Throws synchronously-raised errors as a rejection too, so constructors can be checked like calls. */
export function failureOf(fn: () => unknown): ConnectorError {
	try {
		fn();
	} catch (error) {
		return error as ConnectorError;
	}
	throw new Error('expected the call to fail');
}
