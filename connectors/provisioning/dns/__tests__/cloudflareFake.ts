import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Cloudflare API v4 on node:http: zones and DNS records in memory, answered in Cloudflare's envelope
 * ({success, errors, messages, result, result_info}), bearer-token checked, every request logged, faults injectable.
 */
export interface FakeRecord {
	id: string;
	zone_id: string;
	name: string;
	type: string;
	content: string;
	ttl: number;
	proxied?: boolean;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	authorization?: string;
	body?: Record<string, unknown>;
}

export interface Fault {
	method?: string;
	pathIncludes?: string;
	status: number;
	errors: { code: number; message: string; error_chain?: { code: number; message: string }[] }[];
	headers?: Record<string, string>;
	/** Carry out the request, then answer with the fault anyway (a lost answer). */
	afterApply?: boolean;
}

export class CloudflareFake {
	readonly token: string;
	readonly zones: { id: string; name: string; status: string }[] = [];
	readonly records: FakeRecord[] = [];
	readonly requests: LoggedRequest[] = [];
	private readonly faults: Fault[] = [];
	private server?: Server;
	private nextId = 1;
	baseUrl = '';

	constructor(token: string) {
		this.token = token;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/client/v4`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
	}

	reset(): void {
		this.zones.length = 0;
		this.records.length = 0;
		this.requests.length = 0;
		this.faults.length = 0;
	}

	addZone(name: string, id = `zone${this.nextId++}`.padEnd(32, '0')): string {
		this.zones.push({ id, name, status: 'active' });
		return id;
	}

	addRecord(record: Omit<FakeRecord, 'id'>): FakeRecord {
		const stored = { ...record, id: `rec${this.nextId++}` };
		this.records.push(stored);
		return stored;
	}

	/** The next matching request is answered with this fault (queued in order). */
	fail(fault: Fault): void {
		this.faults.push(fault);
	}

	writes(): LoggedRequest[] {
		return this.requests.filter((request) => request.method !== 'GET');
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://fake');
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		const logged: LoggedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			authorization: req.headers.authorization,
			body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
		};
		this.requests.push(logged);
		const send = (status: number, payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
			res.writeHead(status, { 'content-type': 'application/json', ...headers });
			res.end(JSON.stringify({ success: status < 300, errors: [], messages: [], result: null, ...payload }));
		};
		if (req.headers.authorization !== `Bearer ${this.token}`) {
			send(403, { errors: [{ code: 9109, message: 'Invalid access token' }] });
			return;
		}
		const faultIndex = this.faults.findIndex((f) => (!f.method || f.method === logged.method) && (!f.pathIncludes || logged.path.includes(f.pathIncludes)));
		const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0] : undefined;
		if (fault && !fault.afterApply) {
			send(fault.status, { errors: fault.errors }, fault.headers);
			return;
		}
		const [status, payload] = this.route(logged);
		if (fault) send(fault.status, { errors: fault.errors }, fault.headers);
		else send(status, payload);
	}

	private route(request: LoggedRequest): [number, Record<string, unknown>] {
		const parts = request.path.replace(/^\/client\/v4\//, '').split('/');
		if (parts[0] !== 'zones') return [404, { errors: [{ code: 7000, message: 'No route for that URI' }] }];
		if (parts.length === 1 && request.method === 'GET') return this.listZones(request.query);
		const zone = this.zones.find((z) => z.id === parts[1]);
		if (!zone) return [404, { errors: [{ code: 7003, message: 'Could not route to /zones, perhaps your object identifier is invalid?' }] }];
		if (parts.length === 2 && request.method === 'GET') return [200, { result: zone }];
		if (parts[2] !== 'dns_records') return [404, { errors: [{ code: 7000, message: 'No route for that URI' }] }];
		const id = parts[3];
		if (!id && request.method === 'GET') return this.listRecords(zone.id, request.query);
		if (!id && request.method === 'POST') return this.createRecord(zone.id, request.body ?? {});
		const index = this.records.findIndex((r) => r.id === id && r.zone_id === zone.id);
		if (index < 0) return [404, { errors: [{ code: 81044, message: 'Record does not exist.' }] }];
		if (request.method === 'PUT') {
			const body = request.body ?? {};
			this.records[index] = { ...this.records[index], ...(body as Partial<FakeRecord>), id: this.records[index].id };
			return [200, { result: this.records[index] }];
		}
		if (request.method === 'DELETE') {
			this.records.splice(index, 1);
			return [200, { result: { id } }];
		}
		return [405, { errors: [{ code: 10000, message: 'Method not allowed' }] }];
	}

	private listZones(query: URLSearchParams): [number, Record<string, unknown>] {
		const filter = query.get('name');
		const matches = this.zones.filter((zone) => {
			if (!filter) return true;
			if (filter.startsWith('contains:')) return zone.name.includes(filter.slice('contains:'.length));
			return zone.name === filter;
		});
		return this.page(matches, query);
	}

	private listRecords(zoneId: string, query: URLSearchParams): [number, Record<string, unknown>] {
		const name = query.get('name.exact') ?? query.get('name');
		const type = query.get('type');
		const matches = this.records.filter((r) => r.zone_id === zoneId && (!name || r.name === name) && (!type || r.type === type));
		return this.page(matches, query);
	}

	private page<T>(items: T[], query: URLSearchParams): [number, Record<string, unknown>] {
		const perPage = Number(query.get('per_page') ?? 20);
		const page = Number(query.get('page') ?? 1);
		const slice = items.slice((page - 1) * perPage, page * perPage);
		return [200, { result: slice, result_info: { page, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) } }];
	}

	private createRecord(zoneId: string, body: Record<string, unknown>): [number, Record<string, unknown>] {
		const sameName = this.records.filter((r) => r.zone_id === zoneId && r.name === body.name);
		if (sameName.some((r) => r.type === body.type && r.content === body.content)) {
			return [400, { errors: [{ code: 81058, message: 'An identical record already exists.' }] }];
		}
		const clash = sameName.some((r) => (r.type === 'CNAME') !== (body.type === 'CNAME') && body.type !== 'TXT' && r.type !== 'TXT');
		if (clash) return [400, { errors: [{ code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' }] }];
		const record = this.addRecord({
			zone_id: zoneId,
			name: String(body.name),
			type: String(body.type),
			content: String(body.content),
			ttl: Number(body.ttl ?? 1),
			...(body.proxied === undefined ? {} : { proxied: Boolean(body.proxied) }),
		});
		return [200, { result: record }];
	}
}
