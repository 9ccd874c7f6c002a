import type Redis from 'ioredis';
import { backendError, DEFAULT_REDIS_PREFIX, redisClient, sha256Hex } from '../../core';
import {
	ensureOpen,
	parseClaim,
	parseOpenLeads,
	parseRelease,
	replay,
	type ClaimInput,
	type ReleaseInput,
	type RoutingClaim,
	type RoutingStateStore,
	type StoredAssignment,
} from './model';

/**
 * One claim, atomic on the server. KEYS: pool cursor (hash), open counts (hash member → n), leads (hash lead → JSON).
 * ARGV: lead id, pool, members (JSON array), limits (JSON array aligned with members, -1 = unlimited).
 * Returns { 'already' | 'assigned' | 'exhausted', JSON }. The scan mirrors model.ts scanOrder (0-based positions).
 */
const CLAIM = `
local known = redis.call('HGET', KEYS[3], ARGV[1])
if known then return { 'already', known } end
local members = cjson.decode(ARGV[3])
local limits = cjson.decode(ARGV[4])
local n = #members
local cursor = redis.call('HMGET', KEYS[1], 'last_member', 'last_position')
local last = -1
if cursor[1] then
	for i = 1, n do
		if members[i] == cursor[1] then last = i - 1 end
	end
	if last < 0 and cursor[2] then last = tonumber(cursor[2]) end
end
local start = (last + 1) % n
local skipped = {}
for offset = 0, n - 1 do
	local position = (start + offset) % n
	local member = members[position + 1]
	local limit = tonumber(limits[position + 1])
	local open = tonumber(redis.call('HGET', KEYS[2], member) or '0')
	if limit < 0 or open < limit then
		redis.call('HINCRBY', KEYS[2], member, 1)
		redis.call('HSET', KEYS[1], 'last_member', member, 'last_position', position)
		local record = cjson.encode({ pool = ARGV[2], assignee = member, position = position, skipped = skipped })
		redis.call('HSET', KEYS[3], ARGV[1], record)
		return { 'assigned', record }
	end
	skipped[#skipped + 1] = member
end
return { 'exhausted', cjson.encode(skipped) }
`;

/** Frees the lead's slot once. KEYS: open counts, leads, released leads (set). ARGV: lead id. Returns 1 when freed. */
const RELEASE = `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if not known then return 0 end
if redis.call('SADD', KEYS[3], ARGV[1]) == 0 then return 0 end
local assignee = cjson.decode(known).assignee
if tonumber(redis.call('HGET', KEYS[1], assignee) or '0') > 0 then redis.call('HINCRBY', KEYS[1], assignee, -1) end
return 1
`;

export interface RedisRoutingStateOptions {
	client?: Redis;
	url?: string;
	prefix?: string;
}

/** cjson encodes an empty table as {}: anything but an array is "none". */
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * Routing state in Redis, shared by every n8n worker: each claim and release is one Lua script, so it runs alone on
 * the server. A tenant's keys share a hash tag (one cluster slot) and are named by hashes, never by tenant or lead ids.
 */
export class RedisRoutingStateStore implements RoutingStateStore {
	private readonly client: Redis;
	private readonly prefix: string;
	private closed = false;

	constructor(options: RedisRoutingStateOptions) {
		if (!options.client && !options.url) throw new RangeError('RedisRoutingStateStore needs a client or a url');
		this.client = options.client ?? redisClient(options.url as string);
		this.prefix = `${options.prefix ?? DEFAULT_REDIS_PREFIX}routing:`;
	}

	/** The keys of one tenant's state. */
	keysFor(tenant: string) {
		const base = `${this.prefix}{${sha256Hex(tenant).slice(0, 24)}}:`;
		return { pool: (pool: string) => `${base}pool:${sha256Hex(pool).slice(0, 24)}`, open: `${base}open`, leads: `${base}leads`, released: `${base}released` };
	}

	async claim(input: ClaimInput): Promise<RoutingClaim> {
		ensureOpen(this.closed, 'Redis');
		const claim = parseClaim(input);
		const keys = this.keysFor(claim.tenant);
		const limits = claim.limits.map((limit) => limit ?? -1);
		const [outcome, payload] = (await this.run(() =>
			this.client.eval(CLAIM, 3, keys.pool(claim.pool), keys.open, keys.leads, claim.leadId, claim.pool, JSON.stringify(claim.members), JSON.stringify(limits)),
		)) as [string, string];
		if (outcome === 'exhausted') return { leadId: claim.leadId, pool: claim.pool, assignee: null, reason: 'capacity_exhausted', skipped: list(JSON.parse(payload)), position: -1 };
		const parsed = JSON.parse(payload) as StoredAssignment;
		const stored: StoredAssignment = { pool: parsed.pool, assignee: parsed.assignee, position: Number(parsed.position), skipped: list(parsed.skipped) };
		return outcome === 'already' ? replay(claim.leadId, stored) : { leadId: claim.leadId, ...stored, reason: 'assigned' };
	}

	async release(input: ReleaseInput): Promise<boolean> {
		ensureOpen(this.closed, 'Redis');
		const { tenant, leadId } = parseRelease(input);
		const keys = this.keysFor(tenant);
		return Number(await this.run(() => this.client.eval(RELEASE, 3, keys.open, keys.leads, keys.released, leadId))) === 1;
	}

	async openLeads(tenant: string, members: string[]): Promise<Record<string, number>> {
		ensureOpen(this.closed, 'Redis');
		const parsed = parseOpenLeads(tenant, members);
		if (parsed.members.length === 0) return {};
		const counts = await this.run(() => this.client.hmget(this.keysFor(parsed.tenant).open, ...parsed.members));
		return Object.fromEntries(parsed.members.map((member, index) => [member, Number(counts[index] ?? 0)]));
	}

	async close(): Promise<void> {
		this.closed = true;
	}

	private async run<T>(command: () => Promise<T>): Promise<T> {
		try {
			return await command();
		} catch (error) {
			throw backendError('The routing state store (Redis)', error);
		}
	}
}
