# Deal desk: the ceiling and the term range decide `allow`; thresholds, ARR and non-standard terms build the
# approval chain; each rule that fires adds one sentence to the rationale, in a fixed order.
# Mirrors connectors/revops/builtin/discountApprovals.ts; the golden table (connectors/revops/golden) is the arbiter.
#
# Query: POST /v1/data/q2c/revops/discount_approvals/decision
# decision = { allow, max_allowed_discount, required_approvals: [], flags: { legal_required, strategic }, rationale }
package q2c.revops.discount_approvals

import rego.v1

import data.q2c.revops.tenant_overrides

config := tenant_overrides.config

quote := input.attributes.quote

user := input.attributes.user

segment := quote.segment

# Undefined for a segment without a discount rule: the engine rejects such input before asking OPA.
rule := config.discounts[segment]

discount := quote.discount_percentage

arr := object.get(quote, "arr", quote.list_price_total * (1 - discount))

term := quote.term_length_months

approval_roles := ["SALES_MANAGER", "FINANCE", "LEGAL", "VP_SALES"]

self_approving_sellers := {"ae", "sdr", "partner_manager"}

approvals := object.get(config, "approvals", null)

chains := object.get(object.get(config, "approvals", {}), "approval_chains", {})

# Numbers in sentences read as JavaScript prints them: whole numbers without a decimal point.
num(x) := format_int(x, 10) if x == round(x)

num(x) := sprintf("%v", [x]) if x != round(x)

# ---- Rules, in rationale order; each fired rule is { sentence, roles } -----------------------------

within_ceiling if discount <= rule.max_discount_pct

default fired_ceiling := []

fired_ceiling := [{"sentence": sprintf("Discount %s exceeds the maximum of %s for %s.", [num(discount), num(rule.max_discount_pct), segment]), "roles": []}] if {
	not within_ceiling
}

term_too_short if term < config.terms.min_term_months

term_too_long if term > config.terms.max_term_months

default fired_term_short := []

fired_term_short := [{"sentence": sprintf("Term of %s months is below the minimum of %s months.", [num(term), num(config.terms.min_term_months)]), "roles": []}] if {
	term_too_short
}

default fired_term_long := []

fired_term_long := [{"sentence": sprintf("Term of %s months is above the maximum of %s months.", [num(term), num(config.terms.max_term_months)]), "roles": []}] if {
	term_too_long
}

default fired_self_approval := []

fired_self_approval := [{
	"sentence": sprintf("Discount %s is above the self-approval limit of %s for %s.", [num(discount), num(rule.ae_self_approve_pct), segment]),
	"roles": array.concat(["SALES_MANAGER"], object.get(chains, "default", [])),
}] if {
	user.role in self_approving_sellers
	discount > rule.ae_self_approve_pct
}

# A sales manager submitting is the manager approval; the submitter's role satisfies nothing else.
default fired_manager := []

fired_manager := [{
	"sentence": sprintf("Discount %s is above the manager approval threshold of %s for %s.", [num(discount), num(rule.manager_required_pct), segment]),
	"roles": ["SALES_MANAGER"],
}] if {
	discount > rule.manager_required_pct
	user.role != "sales_manager"
}

default fired_finance := []

fired_finance := [{
	"sentence": sprintf("Discount %s is above the finance approval threshold of %s for %s.", [num(discount), num(rule.finance_required_pct), segment]),
	"roles": ["FINANCE"],
}] if {
	discount > rule.finance_required_pct
}

# Without an explicit chain, a high-ARR deal goes to finance (the seed's "finance above … ARR threshold").
default fired_high_arr := []

fired_high_arr := [{
	"sentence": sprintf("ARR reaches the high-ARR threshold of %s.", [num(approvals.high_arr_threshold)]),
	"roles": object.get(chains, "over_high_arr", ["FINANCE"]),
}] if {
	arr >= approvals.high_arr_threshold
}

strategic_threshold := object.get(approvals, "strategic_arr_threshold", approvals.high_arr_threshold) if is_object(approvals)

default strategic := false

strategic := true if arr >= strategic_threshold

default fired_strategic := []

fired_strategic := [{"sentence": sprintf("Strategic deal: ARR reaches the strategic threshold of %s.", [num(strategic_threshold)]), "roles": []}] if {
	strategic
}

# legal_required_for_non_standard always adds LEGAL, even to a chain that forgot it.
non_standard_candidates := array.concat(object.get(chains, "non_standard_terms", []), legal_for_segment)

default legal_for_segment := []

legal_for_segment := ["LEGAL"] if rule.legal_required_for_non_standard == true

non_standard_roles := [role | some role in approval_roles; role in non_standard_candidates]

default fired_non_standard := []

fired_non_standard := [{"sentence": sprintf("Non-standard terms require %s approval.", [concat(", ", non_standard_roles)]), "roles": non_standard_roles}] if {
	quote.has_non_standard_terms == true
	count(non_standard_roles) > 0
}

fired := [entry |
	some part in [
		fired_ceiling, fired_term_short, fired_term_long, fired_self_approval, fired_manager,
		fired_finance, fired_high_arr, fired_strategic, fired_non_standard,
	]
	some entry in part
]

# ---- Decision ------------------------------------------------------------------------------------

requested_roles := {role | some entry in fired; some role in entry.roles}

default granted_by_submitter := []

granted_by_submitter := ["SALES_MANAGER"] if user.role == "sales_manager"

required_approvals := [role | some role in approval_roles; role in requested_roles; not role in granted_by_submitter]

max_allowed_discount := rule.ae_self_approve_pct if {
	user.role in self_approving_sellers
} else := object.get(rule, "finance_required_pct", rule.max_discount_pct) if {
	user.role == "sales_manager"
} else := rule.max_discount_pct

default rationale := "No approval required: the quote is within policy."

rationale := concat(" ", [entry.sentence | some entry in fired]) if count(fired) > 0

decision := {
	"allow": allowed,
	"max_allowed_discount": max_allowed_discount,
	"required_approvals": required_approvals,
	"flags": {"legal_required": legal_required, "strategic": strategic},
	"rationale": rationale,
}

default legal_required := false

legal_required if "LEGAL" in required_approvals

default allowed := false

allowed if {
	within_ceiling
	not term_too_short
	not term_too_long
}
