# Tenant config layered over the pack's defaults.
#
# The engine sends the parsed RevOpsConfig (defaults already filled in by connectors/revops/config.ts), so this is
# belt and braces: a config posted to OPA by hand, without the optional sections, still evaluates the same way.
package q2c.revops.tenant_overrides

import rego.v1

pack_defaults := {
	"regions": {},
	"routing": {
		"account_owner_follows": true,
		"territories": {},
		"territory_owners": {},
		"segment_teams": {},
		"round_robin_pools": {},
		"segment_pools": {},
		"capacity": {},
		"preflight": {
			"blocked_domains": [],
			"allowed_domains": [],
			"blocked_countries": [],
			"free_email_domains": [],
			"required_enrichment": [],
		},
	},
	"terms": {},
	"activation": {
		"required_receipts": ["contract.signed"],
		"required_approvals_present": true,
	},
}

discount_defaults := {"max_discount_pct": 1, "legal_required_for_non_standard": false}

raw := object.get(input, "config", {})

# Each segment's discount rule with its own defaults.
discounts := {segment: object.union(discount_defaults, rule) |
	some segment, rule in object.get(raw, "discounts", {})
}

# approval_chains.default is [] when a tenant configures approvals without it.
approvals_part := {"approvals": object.union({"approval_chains": {"default": []}}, raw.approvals)} if {
	is_object(raw.approvals)
}

default approvals_part := {}

config := object.union_n([pack_defaults, raw, {"discounts": discounts}, approvals_part])
