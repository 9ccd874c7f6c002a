import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export const credential = (overrides: Record<string, unknown> = {}) => ({ tenant: 'acme', profile: 'default', config: '', engine: 'builtin', ...overrides });

export interface ContextOptions {
	/** Parameters of every item, or one set per item; resolved already, as n8n hands them over after expressions. */
	params: Record<string, unknown> | Array<Record<string, unknown>>;
	items?: INodeExecutionData[];
	credentials?: Record<string, unknown>;
	continueOnFail?: boolean;
	type?: string;
}

/** An IExecuteFunctions with what the RevOps and Contract Policy nodes use, and the credential lookups it saw. */
export function nodeContext(options: ContextOptions): IExecuteFunctions & { credentialCalls: number } {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const paramsOf = (itemIndex: number) => (Array.isArray(options.params) ? options.params[itemIndex] : options.params);
	const context = {
		credentialCalls: 0,
		getInputData: () => items,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = paramsOf(itemIndex)[name];
			return value === undefined ? fallback : value;
		},
		getCredentials: async () => {
			context.credentialCalls++;
			if (!options.credentials) throw new Error('no credential in this test');
			return options.credentials;
		},
		continueOnFail: () => options.continueOnFail ?? false,
		getNode: () => ({ id: '1', name: 'RevOps', type: options.type ?? 'n8n-nodes-quote-to-cash.revOps', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			getBinaryDataBuffer: async (itemIndex: number, name: string) => Buffer.from((items[itemIndex].binary?.[name] as IBinaryData).data, 'base64'),
			prepareBinaryData: async (data: Buffer, fileName: string, mimeType: string) => ({ data: data.toString('base64'), fileName, mimeType }),
		},
	};
	return context as unknown as IExecuteFunctions & { credentialCalls: number };
}

export interface FakeOpa {
	url: string;
	requests: Array<{ method: string; path: string; authorization?: string; body: unknown }>;
	close(): Promise<void>;
}

/** A stand-in OPA on a loopback port: /health answers 200, every data POST answers `answer(path)`. */
export async function fakeOpa(answer: (path: string) => unknown): Promise<FakeOpa> {
	const requests: FakeOpa['requests'] = [];
	const server: Server = createServer((request: IncomingMessage, response) => {
		let raw = '';
		request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
		request.on('end', () => {
			const path = request.url ?? '';
			requests.push({ method: request.method ?? '', path, authorization: request.headers.authorization, body: raw ? JSON.parse(raw) : undefined });
			response.setHeader('Content-Type', 'application/json');
			response.end(JSON.stringify(path === '/health' ? {} : answer(path)));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A loopback URL nothing listens on (a server bound, then closed). */
export async function deadUrl(): Promise<string> {
	const opa = await fakeOpa(() => ({}));
	await opa.close();
	return opa.url;
}
