import Cloudflare from 'cloudflare';
import {
	ConnectorError,
	parseInput,
	rateLimiterFor,
	registerSecret,
	sha256Hex,
	withRetry,
	z,
	type RateLimit,
	type RetryPolicy,
} from '../../core';
import { CLOUDFLARE_VENDOR, IDENTICAL_RECORD_EXISTS, mapCloudflareError } from './cloudflareErrors';
import { sameSettings, singleRecord, storedContent } from './records';
import type { DnsProvider, DnsRecord, DnsRecordType, DnsRemoveOptions, DnsRemoveResult, DnsUpsertInput, DnsUpsertResult, DnsZone } from './types';
import { assertNameInZone, normalizeContent, parseZoneRef, validateRecordKey, validateUpsert, type ValidUpsert } from './validation';

export const DEFAULT_CLOUDFLARE_BASE_URL = 'https://api.cloudflare.com/client/v4';
/** Cloudflare allows 1200 requests per 5 minutes per user: 4 a second. */
export const CLOUDFLARE_RATE_LIMIT: RateLimit = { perSecond: 4, burst: 4 };
const ZONE_PAGE_SIZE = 50;
const MAX_ZONE_PAGES = 20;

const configSchema = z.object({
	apiToken: z.string().trim().min(1, 'a Cloudflare API token with Zone.DNS edit permission'),
	baseUrl: z
		.string()
		.trim()
		.url('an http(s) URL such as https://api.cloudflare.com/client/v4')
		.refine((value) => /^https?:\/\//i.test(value), 'an http(s) URL such as https://api.cloudflare.com/client/v4')
		.optional(),
	timeoutMs: z.number().int().positive().optional(),
});

export interface CloudflareDnsConfig {
	apiToken: string;
	/** API root including `/client/v4` (a sandbox or proxy). Default https://api.cloudflare.com/client/v4. */
	baseUrl?: string;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
	/** Inject a fake sleep in tests so backoff does not wait. */
	sleep?: (ms: number) => Promise<void>;
	rateLimit?: RateLimit;
}

interface ResolvedZone {
	id: string;
	name: string;
}

type CloudflareRecord = { id: string; name: string; type: string; content?: string; ttl: number; proxied?: boolean };

/**
 * DNS records on Cloudflare through the official SDK. The SDK's own retries are off: reads, updates and deletes are
 * retried by core `withRetry` (rate limits, 5xx, connection errors); a create is repeated too, because a repeat that
 * finds its own record (code 81058, identical record) is answered by reading that record back.
 */
export class CloudflareDnsProvider implements DnsProvider {
	readonly provider = 'cloudflare' as const;
	readonly client: Cloudflare;
	private readonly retry?: Partial<RetryPolicy>;
	private readonly sleep?: (ms: number) => Promise<void>;
	private readonly rateLimitKey: string;
	private readonly rateLimit: RateLimit;
	private readonly zones = new Map<string, ResolvedZone>();

	constructor(config: CloudflareDnsConfig) {
		const parsed = parseInput(configSchema, config, 'credentials', CLOUDFLARE_VENDOR);
		registerSecret(parsed.apiToken);
		// Other auth schemes are set to null explicitly: the SDK would otherwise pick them up from the environment.
		this.client = new Cloudflare({
			apiToken: parsed.apiToken,
			apiKey: null,
			apiEmail: null,
			userServiceKey: null,
			baseURL: parsed.baseUrl ?? DEFAULT_CLOUDFLARE_BASE_URL,
			maxRetries: 0,
			timeout: parsed.timeoutMs ?? 30_000,
		});
		this.retry = config.retry;
		this.sleep = config.sleep;
		this.rateLimit = config.rateLimit ?? CLOUDFLARE_RATE_LIMIT;
		this.rateLimitKey = `cloudflare:${sha256Hex(parsed.apiToken).slice(0, 16)}`;
	}

	async upsert(input: DnsUpsertInput): Promise<DnsUpsertResult> {
		const wanted = validateUpsert(input, 'cloudflare', CLOUDFLARE_VENDOR);
		const zone = await this.resolveZone(wanted.zone.by === 'id' ? wanted.zone.id : wanted.zone.name);
		assertNameInZone(wanted.name, zone.name, CLOUDFLARE_VENDOR);
		const current = await this.find(zone, wanted.name, wanted.type);
		if (!current) return this.create(zone, wanted);
		if (current.content === wanted.content && sameSettings(current, wanted)) return { outcome: 'unchanged', record: current };
		const updated = await this.call(() =>
			this.client.dns.records.update(current.id as string, { zone_id: zone.id, ...this.body(wanted, current) } as Cloudflare.DNS.RecordUpdateParams),
		);
		return { outcome: 'updated', record: this.toRecord(zone, updated as CloudflareRecord), previous: current };
	}

	async get(zone: string, name: string, type: DnsRecordType): Promise<DnsRecord | null> {
		const key = validateRecordKey(zone, name, type, CLOUDFLARE_VENDOR);
		const resolved = await this.resolveZone(key.zone.by === 'id' ? key.zone.id : key.zone.name);
		assertNameInZone(key.name, resolved.name, CLOUDFLARE_VENDOR);
		return this.find(resolved, key.name, key.type);
	}

	async remove(zone: string, name: string, type: DnsRecordType, options: DnsRemoveOptions = {}): Promise<DnsRemoveResult> {
		const key = validateRecordKey(zone, name, type, CLOUDFLARE_VENDOR);
		const ifContent = options.ifContent === undefined ? undefined : normalizeContent(key.type, options.ifContent, 'ifContent', CLOUDFLARE_VENDOR);
		const resolved = await this.resolveZone(key.zone.by === 'id' ? key.zone.id : key.zone.name);
		assertNameInZone(key.name, resolved.name, CLOUDFLARE_VENDOR);
		const current = await this.find(resolved, key.name, key.type);
		if (!current) return { removed: false };
		if (ifContent !== undefined && current.content !== ifContent) {
			throw new ConnectorError('conflict', `The ${key.type} record ${key.name} now points elsewhere; it was left in place`, {
				vendor: CLOUDFLARE_VENDOR,
				field: 'ifContent',
				details: { current: current.content, expected: ifContent },
			});
		}
		try {
			await this.call(() => this.client.dns.records.delete(current.id as string, { zone_id: resolved.id }));
		} catch (error) {
			// Deleted by someone else (or by our own earlier attempt) in the meantime: the record is gone either way.
			if (error instanceof ConnectorError && error.kind === 'not_found') return { removed: false, previous: current };
			throw error;
		}
		return { removed: true, previous: current };
	}

	async listZones(search?: string): Promise<DnsZone[]> {
		const needle = search?.trim().toLowerCase() || undefined;
		const zones: DnsZone[] = [];
		for (let page = 1; page <= MAX_ZONE_PAGES; page++) {
			const result = await this.call(() =>
				this.client.zones.list({ page, per_page: ZONE_PAGE_SIZE, ...(needle ? { name: `contains:${needle}` } : {}) }),
			);
			for (const zone of result.result) zones.push({ id: zone.id, name: zone.name.toLowerCase(), status: zone.status });
			// The SDK types only page and per_page; Cloudflare also sends total_pages.
			const totalPages = (result.result_info as { total_pages?: number } | undefined)?.total_pages ?? Number.POSITIVE_INFINITY;
			if (page >= totalPages || result.result.length < ZONE_PAGE_SIZE) break;
		}
		return zones.filter((zone) => !needle || zone.name.includes(needle)).sort((a, b) => a.name.localeCompare(b.name));
	}

	private async create(zone: ResolvedZone, wanted: ValidUpsert): Promise<DnsUpsertResult> {
		let repeated = false;
		try {
			const created = await this.call((attempt) => {
				repeated = attempt > 0;
				return this.client.dns.records.create({ zone_id: zone.id, ...this.body(wanted) } as Cloudflare.DNS.RecordCreateParams);
			});
			return { outcome: 'created', record: this.toRecord(zone, created as CloudflareRecord) };
		} catch (error) {
			// The record is already there. On a repeat after a lost answer it is most likely our first attempt's, so it
			// is reported as created (a rollback removes it); otherwise someone else made it and it is left unchanged.
			if (error instanceof ConnectorError && error.code === String(IDENTICAL_RECORD_EXISTS)) {
				const existing = await this.find(zone, wanted.name, wanted.type);
				if (existing && existing.content === wanted.content) return { outcome: repeated ? 'created' : 'unchanged', record: existing };
			}
			throw error;
		}
	}

	private body(wanted: ValidUpsert, current?: DnsRecord): Record<string, unknown> {
		const proxiable = wanted.type !== 'TXT';
		return {
			name: wanted.name,
			type: wanted.type,
			content: wanted.content,
			ttl: wanted.ttl ?? current?.ttl ?? 1,
			...(proxiable ? { proxied: wanted.proxied ?? current?.proxied ?? false } : {}),
		};
	}

	/** The one record with this name and type, or null; several are refused (this connector manages single records). */
	private async find(zone: ResolvedZone, name: string, type: DnsRecordType): Promise<DnsRecord | null> {
		const page = await this.call(() => this.client.dns.records.list({ zone_id: zone.id, type, name: { exact: name }, per_page: 100 }));
		const matches = (page.result as CloudflareRecord[])
			.filter((record) => record.type === type && record.name.toLowerCase().replace(/\.$/, '') === name)
			.map((record) => this.toRecord(zone, record));
		return singleRecord(matches, name, type, CLOUDFLARE_VENDOR);
	}

	private async resolveZone(zone: string): Promise<ResolvedZone> {
		const cached = this.zones.get(zone);
		if (cached) return cached;
		const ref = parseZoneRef(zone, CLOUDFLARE_VENDOR);
		let resolved: ResolvedZone | undefined;
		if (ref.by === 'id') {
			const found = await this.call(() => this.client.zones.get({ zone_id: ref.id })).catch((error: unknown) => {
				if (error instanceof ConnectorError && error.kind === 'not_found') return undefined;
				throw error;
			});
			if (found) resolved = { id: found.id, name: found.name.toLowerCase() };
		} else {
			const page = await this.call(() => this.client.zones.list({ name: ref.name, per_page: 5 }));
			const found = page.result.find((item) => item.name.toLowerCase() === ref.name);
			if (found) resolved = { id: found.id, name: ref.name };
		}
		if (!resolved) {
			throw new ConnectorError('not_found', `No Cloudflare zone ${zone} is visible to this token`, { vendor: CLOUDFLARE_VENDOR, field: 'zone' });
		}
		this.zones.set(zone, resolved);
		return resolved;
	}

	private toRecord(zone: ResolvedZone, record: CloudflareRecord): DnsRecord {
		const type = record.type as DnsRecordType;
		return {
			provider: 'cloudflare',
			zoneId: zone.id,
			zoneName: zone.name,
			id: record.id,
			name: record.name.toLowerCase().replace(/\.$/, ''),
			type,
			content: storedContent(type, record.content ?? ''),
			ttl: record.ttl,
			...(record.proxied === undefined ? {} : { proxied: record.proxied }),
		};
	}

	private async call<T>(fn: (attempt: number) => PromiseLike<T>): Promise<T> {
		const limiter = rateLimiterFor(this.rateLimitKey, this.rateLimit);
		return withRetry(
			async (attempt) => {
				await limiter.acquire();
				try {
					return await fn(attempt);
				} catch (error) {
					throw mapCloudflareError(error);
				}
			},
			{ idempotent: true, policy: this.retry, sleep: this.sleep },
		);
	}
}

export function createCloudflareDnsProvider(config: CloudflareDnsConfig): CloudflareDnsProvider {
	return new CloudflareDnsProvider(config);
}
