# A config posted without its optional sections gets the same defaults connectors/revops/config.ts fills in.
package q2c.revops.tenant_overrides_test

import rego.v1

import data.q2c.revops.tenant_overrides

minimal := {
	"tenant": "t",
	"segments": [{"name": "smb"}],
	"routing": {"default_strategy": "round_robin", "round_robin_pools": {"p": ["user:a"]}},
	"discounts": {"smb": {"ae_self_approve_pct": 0.1}},
	"approvals": {"high_arr_threshold": 1000},
}

test_defaults_fill_optional_sections if {
	config := tenant_overrides.config with input as {"config": minimal}
	config.routing.account_owner_follows == true
	config.routing.preflight.blocked_domains == []
	config.routing.round_robin_pools == {"p": ["user:a"]}
	config.activation == {"required_receipts": ["contract.signed"], "required_approvals_present": true}
	config.discounts.smb == {"ae_self_approve_pct": 0.1, "max_discount_pct": 1, "legal_required_for_non_standard": false}
	config.approvals.approval_chains.default == []
	config.terms == {}
}

test_tenant_values_win_over_defaults if {
	tenant := object.union(minimal, {"activation": {"required_receipts": ["a", "b"], "required_approvals_present": false}, "routing": {"account_owner_follows": false}})
	config := tenant_overrides.config with input as {"config": tenant}
	config.activation.required_receipts == ["a", "b"]
	config.activation.required_approvals_present == false
	config.routing.account_owner_follows == false
}

test_no_approvals_section_stays_absent if {
	config := tenant_overrides.config with input as {"config": object.remove(minimal, ["approvals"])}
	not config.approvals
}
