# Lead routing: preflight, required enrichment, then the first routing rule that gives an assignee.
# Mirrors connectors/revops/builtin/leadRouting.ts; the golden table (connectors/revops/golden) is the arbiter.
#
# Query: POST /v1/data/q2c/revops/lead_routing/decision  { "input": { "attributes": {...}, "config": {...} } }
# decision = { allow, assignee?, route_strategy, sla_minutes?, conflicts: [], required_enrichment: [] }
package q2c.revops.lead_routing

import rego.v1

import data.q2c.revops.segment_definitions
import data.q2c.revops.tenant_overrides

config := tenant_overrides.config

routing := config.routing

preflight := routing.preflight

lead := input.attributes.lead

routing_state := object.get(input.attributes, "routing_state", {})

default account := null

account := input.attributes.account if is_object(input.attributes.account)

default email_domain := null

email_domain := lead.email_domain

default country := null

country := lead.country

default segment := null

segment := segment_definitions.lead_segment(lead, config.segments)

default region := null

region := segment_definitions.region_of(country, config.regions) if country != null

# ---- Preflight -------------------------------------------------------------------------------

# allowed_domains vouches for a partner's leads against country and spam signals, never against a blocked domain.
vouched if {
	email_domain != null
	email_domain in preflight.allowed_domains
}

block_reasons := [reason | some reason in ["domain", "country", "spam"]; blocked_for(reason)]

blocked_for("domain") if {
	email_domain != null
	email_domain in preflight.blocked_domains
}

blocked_for("country") if {
	not vouched
	country != null
	country in preflight.blocked_countries
}

blocked_for("spam") if {
	not vouched
	object.get(lead, "is_spam_signal", false) == true
}

# ---- Required enrichment (in the configured order; missing enrichment never denies) ----------

required_enrichment := [field | some field in preflight.required_enrichment; enrichment_missing(field)]

enrichment_missing(field) if not has_value(field)

# A free-mail domain (gmail.com) says nothing about the company, so it does not count as its domain.
enrichment_missing("email_domain") if email_domain in preflight.free_email_domains

has_value(field) if {
	field != "segment"
	value := lead[field]
	value != ""
}

has_value("segment") if segment != null

# ---- Territories: owned territories containing the lead, best first --------------------------

# A subdivision match ("US-CA") beats a country match ("US"); ties go to the territory name in code-point order.
# Rows are [rank, name, owner] so `sort` orders them exactly so.
territory_matches := sort([[2 - specificity, name, owner] |
	some name, codes in routing.territories
	owner := routing.territory_owners[name]
	specificity := territory_specificity(codes)
	specificity > 0
])

territory_specificity(codes) := 2 if {
	country != null
	is_string(lead.state)
	concat("-", [country, lead.state]) in codes
} else := 1 if {
	country != null
	country in codes
} else := 0

territory_names := [row[1] | some row in territory_matches]

default owner_conflicts := []

# Never resolved silently: the account owner wins, the territory owner is listed as a conflict.
owner_conflicts := [concat("", ["account_owner_vs_territory:", territory_matches[0][1]])] if {
	count(territory_matches) > 0
	territory_matches[0][2] != account.owner_id
}

default overlap_conflicts := []

overlap_conflicts := [concat("", ["territory_overlap:", concat(",", territory_names)])] if {
	count({row[2] | some row in territory_matches}) > 1
}

# ---- Segment team ----------------------------------------------------------------------------

default team := null

team := chosen if {
	segment != null
	teams := routing.segment_teams[segment]
	chosen := object.get(teams, region, object.get(teams, "default", null))
	chosen != null
}

# ---- Round robin with capacity -----------------------------------------------------------------

pool := chosen if {
	segment != null
	chosen := routing.segment_pools[segment]
} else := routing.segment_pools["default"]

members := routing.round_robin_pools[pool]

counter := object.get(object.get(routing_state, "round_robin_counters", {}), pool, 0)

member_at(step) := members[(counter + step) % count(members)]

capacity_of(member) := limit if {
	limit := routing.capacity[member]
} else := routing.capacity["default"]

has_room(member) if not capacity_of(member)

has_room(member) if {
	limit := capacity_of(member)
	object.get(object.get(routing_state, "open_leads", {}), member, 0) < limit
}

free_steps := [step | some step in numbers.range(0, count(members) - 1); has_room(member_at(step))]

round_robin := {"assignee": member_at(free_steps[0]), "strategy": rr_strategy, "conflicts": []} if {
	count(free_steps) > 0
} else := {"strategy": "capacity", "conflicts": [concat("", ["capacity_exhausted:", pool])]} if {
	count(members) > 0
}

# Skipping a member at capacity turns the strategy into "capacity".
rr_strategy := "capacity" if free_steps[0] > 0

rr_strategy := "round_robin" if free_steps[0] == 0

# ---- Route: the first rule that matches ----------------------------------------------------------

route := {"assignee": account.owner_id, "strategy": "account_owner_follows", "conflicts": owner_conflicts} if {
	routing.account_owner_follows == true
	account != null
	account.customer_status == "customer"
} else := {"assignee": team, "strategy": "segment", "conflicts": []} if {
	team != null
} else := {"assignee": territory_matches[0][2], "strategy": "territory", "conflicts": overlap_conflicts} if {
	count(territory_matches) > 0
} else := chosen if {
	chosen := round_robin
} else := {"strategy": routing.default_strategy, "conflicts": ["no_route"]}

# ---- SLA -----------------------------------------------------------------------------------------

sla := segment_sla if {
	is_object(config.sla_minutes)
	segment_sla := sla_for(config.sla_minutes)
}

sla_for(table) := minutes if {
	not segment in {null, "default"}
	minutes := table[segment]
	is_number(minutes)
} else := minutes if {
	not segment in {null, "default"}
	by_region := table[segment]
	is_object(by_region)
	minutes := object.get(by_region, region, object.get(by_region, "default", table["default"]))
} else := table["default"]

# ---- Decision ------------------------------------------------------------------------------------

default assignee_part := {}

assignee_part := {"assignee": route.assignee}

default sla_part := {}

sla_part := {"sla_minutes": sla}

decision := {
	"allow": false,
	"route_strategy": routing.default_strategy,
	"conflicts": [concat("", ["blocked:", reason]) | some reason in block_reasons],
	"required_enrichment": [],
} if {
	count(block_reasons) > 0
}

decision := object.union_n([
	{
		"allow": true,
		"route_strategy": route.strategy,
		"conflicts": route.conflicts,
		"required_enrichment": required_enrichment,
	},
	assignee_part,
	sla_part,
]) if {
	count(block_reasons) == 0
}
