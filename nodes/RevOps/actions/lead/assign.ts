import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { LeadRoutingAttributes, LeadRoutingDecision, RevOpsConfig } from '../../../../connectors/revops';
import { own } from '../../../../connectors/revops/builtin/shared';
import type { RoutingClaim } from '../../../../connectors/revops/routingState';
import { inputItem, outputKey, policyJson } from '../../fields';
import type { RevOpsOutput, RevOpsRuntime } from '../../router';
import { leadRoutingAttributes } from '../policy/routeLead';

/** The round-robin pool serving the lead's segment, with its members and their capacities, as the policy chose it. */
function poolFor(segment: string | undefined, config: RevOpsConfig): { pool: string; members: string[]; capacity: Record<string, number | undefined> } | undefined {
	const { segment_pools: pools, round_robin_pools: members, capacity } = config.routing;
	const pool = own(pools, segment) ?? own(pools, 'default');
	const list = own(members, pool);
	if (pool === undefined || list === undefined) return undefined;
	return { pool, members: list, capacity: Object.fromEntries(list.map((member) => [member, own(capacity, member) ?? own(capacity, 'default')])) };
}

interface Assignment {
	tenant: string;
	lead_id: string;
	assignee: string | null;
	route_strategy: LeadRoutingDecision['route_strategy'];
	/** routing_store: the atomic claim chose the member; policy: the rule named the owner; none: no owner. */
	source: 'routing_store' | 'policy' | 'none';
	pool?: string;
	claim?: RoutingClaim;
}

/**
 * Routes the lead, then, for a round-robin or capacity route, claims a member of the pool in the routing store:
 * atomic across executions and workers, idempotent per lead ID (a repeat returns the first owner). The store's
 * claim is the owner; the policy decision is kept as evaluated, as evidence of which rule fired.
 */
export async function execute(context: IExecuteFunctions, itemIndex: number, runtime: RevOpsRuntime): Promise<RevOpsOutput[]> {
	const { tenant, config, engine } = await runtime.settings(itemIndex);
	const result = await engine.evaluate('lead_routing', leadRoutingAttributes(context, itemIndex), config);
	const { decision } = result;
	const { lead } = result.attributes as LeadRoutingAttributes;
	const assignment: Assignment = { tenant, lead_id: lead.id, assignee: decision.assignee ?? null, route_strategy: decision.route_strategy, source: decision.assignee ? 'policy' : 'none' };
	const pool = decision.allow && (decision.route_strategy === 'round_robin' || decision.route_strategy === 'capacity') ? poolFor(lead.segment, config) : undefined;
	if (pool) {
		const claim = await runtime.routingStore().claim({ tenant, leadId: lead.id, ...pool });
		Object.assign(assignment, { assignee: claim.assignee, source: 'routing_store', pool: pool.pool, claim });
	}
	const item = inputItem(context, itemIndex);
	return [{ json: { ...item.json, [outputKey(context, itemIndex)]: policyJson(tenant, result), assignment: assignment as unknown as IDataObject }, binary: item.binary }];
}
