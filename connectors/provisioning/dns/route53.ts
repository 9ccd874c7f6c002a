import {
	ChangeResourceRecordSetsCommand,
	GetChangeCommand,
	GetHostedZoneCommand,
	ListHostedZonesByNameCommand,
	ListResourceRecordSetsCommand,
	Route53Client,
	waitUntilResourceRecordSetsChanged,
	type Change,
	type ChangeInfo,
} from '@aws-sdk/client-route-53';
import { ConnectorError, parseInput, rateLimiterFor, registerSecret, sha256Hex, validationError, withRetry, z, type RateLimit, type RetryPolicy } from '../../core';
import { sameSettings } from './records';
import { mapRoute53Error, ROUTE53_VENDOR } from './route53Errors';
import { bareChangeId, bareZoneId, decodeRoute53Name, matchRecordSet, route53Name, route53Value, type Route53Match } from './route53Records';
import type { DnsChangeStatus, DnsProvider, DnsRecord, DnsRecordType, DnsRemoveOptions, DnsRemoveResult, DnsUpsertInput, DnsUpsertResult, DnsZone } from './types';
import { assertNameInZone, normalizeContent, parseZoneRef, validateRecordKey, validateUpsert } from './validation';

/** Route 53 allows five requests a second per account. */
export const ROUTE53_RATE_LIMIT: RateLimit = { perSecond: 5, burst: 5 };
export const ROUTE53_DEFAULT_TTL = 300;
const ZONE_PAGE_SIZE = 100;
const MAX_ZONE_PAGES = 20;

const configSchema = z.object({
	region: z.string().trim().min(1).optional(),
	endpoint: z
		.string()
		.trim()
		.url('an http(s) URL such as https://route53.amazonaws.com')
		.refine((value) => /^https?:\/\//i.test(value), 'an http(s) URL such as https://route53.amazonaws.com')
		.optional(),
	credentials: z
		.object({
			accessKeyId: z.string().trim().min(1, 'an AWS access key id'),
			secretAccessKey: z.string().min(1, 'an AWS secret access key'),
			sessionToken: z.string().min(1).optional(),
		})
		.optional(),
});

export interface Route53DnsConfig {
	/** Route 53 is global; the SDK still wants a region for signing. Default us-east-1. */
	region?: string;
	/** A sandbox or proxy endpoint. Default: the AWS endpoint. */
	endpoint?: string;
	/** Static credentials; without them the SDK's default chain (environment, profile, role) is used. */
	credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
	/** A ready client (tests, or a caller with its own credential provider); region/endpoint/credentials are then ignored. */
	client?: Route53Client;
	retry?: Partial<RetryPolicy>;
	sleep?: (ms: number) => Promise<void>;
	rateLimit?: RateLimit;
}

export interface WaitInSyncOptions {
	/** Give up after this long (default 300 s). */
	maxWaitSeconds?: number;
	/** First poll interval (default 30 s, AWS's own). */
	minDelaySeconds?: number;
	maxDelaySeconds?: number;
}

interface ResolvedZone {
	id: string;
	name: string;
}

/**
 * DNS records in Route 53. Upsert and remove submit one change batch and return at once with the change id and its
 * status (PENDING until every Route 53 server has it): `changeStatus` reads it, `waitInSync` waits for scripts.
 */
export class Route53DnsProvider implements DnsProvider {
	readonly provider = 'route53' as const;
	readonly client: Route53Client;
	private readonly retry?: Partial<RetryPolicy>;
	private readonly sleep?: (ms: number) => Promise<void>;
	private readonly rateLimitKey: string;
	private readonly rateLimit: RateLimit;
	private readonly zones = new Map<string, ResolvedZone>();

	constructor(config: Route53DnsConfig = {}) {
		const parsed = parseInput(configSchema, { region: config.region, endpoint: config.endpoint, credentials: config.credentials }, 'credentials', ROUTE53_VENDOR);
		registerSecret(parsed.credentials?.secretAccessKey);
		registerSecret(parsed.credentials?.sessionToken);
		// The SDK's retries are off: core withRetry retries with the same policy as every other connector.
		this.client =
			config.client ??
			new Route53Client({ region: parsed.region ?? 'us-east-1', endpoint: parsed.endpoint, credentials: parsed.credentials, maxAttempts: 1 });
		this.retry = config.retry;
		this.sleep = config.sleep;
		this.rateLimit = config.rateLimit ?? ROUTE53_RATE_LIMIT;
		this.rateLimitKey = `route53:${sha256Hex(parsed.credentials?.accessKeyId ?? 'default-chain').slice(0, 16)}`;
	}

	async upsert(input: DnsUpsertInput): Promise<DnsUpsertResult> {
		const wanted = validateUpsert(input, 'route53', ROUTE53_VENDOR);
		const zone = await this.zoneFor(wanted.zone.by === 'id' ? wanted.zone.id : wanted.zone.name, wanted.name);
		const current = await this.find(zone, wanted.name, wanted.type);
		if (current && current.record.content === wanted.content && sameSettings(current.record, wanted)) {
			return { outcome: 'unchanged', record: current.record };
		}
		const ttl = wanted.ttl ?? current?.record.ttl ?? ROUTE53_DEFAULT_TTL;
		const change: Change = {
			Action: 'UPSERT',
			ResourceRecordSet: { Name: route53Name(wanted.name), Type: wanted.type, TTL: ttl, ResourceRecords: [{ Value: route53Value(wanted.type, wanted.content) }] },
		};
		const info = await this.submit(zone, change, `upsert ${wanted.type} ${wanted.name}`);
		const record: DnsRecord = { provider: 'route53', zoneId: zone.id, zoneName: zone.name, name: wanted.name, type: wanted.type, content: wanted.content, ttl };
		return {
			outcome: current ? 'updated' : 'created',
			record,
			...(current ? { previous: current.record } : {}),
			...changeFields(info),
		};
	}

	async get(zone: string, name: string, type: DnsRecordType): Promise<DnsRecord | null> {
		const key = validateRecordKey(zone, name, type, ROUTE53_VENDOR);
		const resolved = await this.zoneFor(key.zone.by === 'id' ? key.zone.id : key.zone.name, key.name);
		return (await this.find(resolved, key.name, key.type))?.record ?? null;
	}

	async remove(zone: string, name: string, type: DnsRecordType, options: DnsRemoveOptions = {}): Promise<DnsRemoveResult> {
		const key = validateRecordKey(zone, name, type, ROUTE53_VENDOR);
		const ifContent = options.ifContent === undefined ? undefined : normalizeContent(key.type, options.ifContent, 'ifContent', ROUTE53_VENDOR);
		const resolved = await this.zoneFor(key.zone.by === 'id' ? key.zone.id : key.zone.name, key.name);
		const current = await this.find(resolved, key.name, key.type);
		if (!current) return { removed: false };
		if (ifContent !== undefined && current.record.content !== ifContent) {
			throw new ConnectorError('conflict', `The ${key.type} record ${key.name} now points elsewhere; it was left in place`, {
				vendor: ROUTE53_VENDOR,
				field: 'ifContent',
				details: { current: current.record.content, expected: ifContent },
			});
		}
		try {
			// DELETE must name the record set exactly as it is: the one just read.
			const info = await this.submit(resolved, { Action: 'DELETE', ResourceRecordSet: current.set }, `delete ${key.type} ${key.name}`);
			return { removed: true, previous: current.record, ...changeFields(info) };
		} catch (error) {
			// Gone since it was read (or deleted by our own earlier attempt): removing twice is fine.
			if (error instanceof ConnectorError && error.kind === 'not_found' && error.code === 'InvalidChangeBatch') return { removed: false, previous: current.record };
			throw error;
		}
	}

	async listZones(search?: string): Promise<DnsZone[]> {
		const needle = search?.trim().toLowerCase().replace(/\.$/, '') || undefined;
		const zones: DnsZone[] = [];
		let marker: { DNSName?: string; HostedZoneId?: string } = {};
		for (let page = 0; page < MAX_ZONE_PAGES; page++) {
			const output = await this.call(() => this.client.send(new ListHostedZonesByNameCommand({ ...marker, MaxItems: ZONE_PAGE_SIZE })));
			for (const zone of output.HostedZones ?? []) {
				zones.push({ id: bareZoneId(zone.Id ?? ''), name: decodeRoute53Name(zone.Name ?? ''), private: Boolean(zone.Config?.PrivateZone) });
			}
			if (!output.IsTruncated || !output.NextDNSName) break;
			marker = { DNSName: output.NextDNSName, HostedZoneId: output.NextHostedZoneId };
		}
		return zones.filter((zone) => !needle || zone.name.includes(needle));
	}

	/** PENDING until the change has reached every Route 53 server, then INSYNC. */
	async changeStatus(changeId: string): Promise<DnsChangeStatus> {
		const id = checkChangeId(changeId);
		const output = await this.call(() => this.client.send(new GetChangeCommand({ Id: id })));
		return output?.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING';
	}

	/** For scripts: polls until the change is INSYNC (AWS's waiter); a timeout is a transient error. */
	async waitInSync(changeId: string, options: WaitInSyncOptions = {}): Promise<'INSYNC'> {
		const id = checkChangeId(changeId);
		const minDelay = options.minDelaySeconds ?? 30;
		const maxWaitTime = options.maxWaitSeconds ?? 300;
		if (!(Number.isInteger(minDelay) && minDelay >= 1)) throw validationError('minDelaySeconds', 'a whole number of seconds, at least 1', minDelay, ROUTE53_VENDOR);
		// AWS's waiter wants room for at least one poll after the first.
		if (!(Number.isInteger(maxWaitTime) && maxWaitTime > minDelay)) {
			throw validationError('maxWaitSeconds', `a whole number of seconds greater than minDelaySeconds (${minDelay})`, maxWaitTime, ROUTE53_VENDOR);
		}
		try {
			await waitUntilResourceRecordSetsChanged(
				{ client: this.client, maxWaitTime, minDelay, maxDelay: Math.max(minDelay, options.maxDelaySeconds ?? 120) },
				{ Id: id },
			);
			return 'INSYNC';
		} catch (error) {
			if ((error as Error)?.name === 'TimeoutError') {
				throw new ConnectorError('transient', `Route 53 change ${id} was not INSYNC after ${maxWaitTime} s`, { vendor: ROUTE53_VENDOR, code: 'WaiterTimeout' });
			}
			throw mapRoute53Error(error);
		}
	}

	private async submit(zone: ResolvedZone, change: Change, comment: string): Promise<ChangeInfo | undefined> {
		const output = await this.call(() =>
			this.client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.id, ChangeBatch: { Comment: comment, Changes: [change] } })),
		);
		return output?.ChangeInfo;
	}

	private async find(zone: ResolvedZone, name: string, type: DnsRecordType): Promise<Route53Match | null> {
		// Record sets are listed in name order from the start point: the ones we want come first.
		const output = await this.call(() =>
			this.client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.id, StartRecordName: route53Name(name), StartRecordType: type, MaxItems: 10 })),
		);
		return matchRecordSet(output?.ResourceRecordSets ?? [], zone, name, type);
	}

	/** The zone, checked to contain `name` (a zone given by id is known only after this lookup). */
	private async zoneFor(zone: string, name: string): Promise<ResolvedZone> {
		const resolved = await this.resolveZone(zone);
		assertNameInZone(name, resolved.name, ROUTE53_VENDOR);
		return resolved;
	}

	private async resolveZone(zone: string): Promise<ResolvedZone> {
		const cached = this.zones.get(zone);
		if (cached) return cached;
		const ref = parseZoneRef(zone, ROUTE53_VENDOR);
		let resolved: ResolvedZone;
		if (ref.by === 'id') {
			const output = await this.call(() => this.client.send(new GetHostedZoneCommand({ Id: bareZoneId(ref.id) })));
			resolved = { id: bareZoneId(output.HostedZone?.Id ?? ref.id), name: decodeRoute53Name(output.HostedZone?.Name ?? '') };
		} else {
			const output = await this.call(() => this.client.send(new ListHostedZonesByNameCommand({ DNSName: route53Name(ref.name), MaxItems: 10 })));
			const found = (output.HostedZones ?? []).filter((item) => decodeRoute53Name(item.Name ?? '') === ref.name);
			if (found.length === 0) {
				throw new ConnectorError('not_found', `No Route 53 hosted zone named ${ref.name}`, { vendor: ROUTE53_VENDOR, field: 'zone' });
			}
			if (found.length > 1) {
				throw new ConnectorError('conflict', `${found.length} hosted zones are named ${ref.name} (public and private?): give the zone id`, {
					vendor: ROUTE53_VENDOR,
					field: 'zone',
					details: { zoneIds: found.map((item) => bareZoneId(item.Id ?? '')) },
				});
			}
			resolved = { id: bareZoneId(found[0].Id ?? ''), name: ref.name };
		}
		this.zones.set(zone, resolved);
		return resolved;
	}

	private async call<T>(fn: () => Promise<T>): Promise<T> {
		const limiter = rateLimiterFor(this.rateLimitKey, this.rateLimit);
		// Every call here may be repeated: reads, UPSERT (same result twice) and DELETE (a repeat finds nothing: handled).
		return withRetry(
			async () => {
				await limiter.acquire();
				try {
					return await fn();
				} catch (error) {
					throw mapRoute53Error(error);
				}
			},
			{ idempotent: true, policy: this.retry, sleep: this.sleep },
		);
	}
}

function changeFields(info: ChangeInfo | undefined): { changeId?: string; changeStatus?: DnsChangeStatus } {
	if (!info?.Id) return {};
	return { changeId: bareChangeId(info.Id), changeStatus: info.Status === 'INSYNC' ? 'INSYNC' : 'PENDING' };
}

function checkChangeId(changeId: unknown): string {
	if (typeof changeId !== 'string' || !/^(?:\/?change\/)?[A-Za-z0-9]{1,64}$/.test(changeId.trim())) {
		throw validationError('changeId', 'a Route 53 change id such as C2682N5HXP0BZ4', changeId, ROUTE53_VENDOR);
	}
	return bareChangeId(changeId.trim());
}

export function createRoute53DnsProvider(config: Route53DnsConfig = {}): Route53DnsProvider {
	return new Route53DnsProvider(config);
}
