# Contract activation gate: every blocking issue is listed, in a fixed order; allow only when there is none.
# "No provisioning without a signed contract receipt": a signed contract without a contract.signed receipt is
# still blocked (missing_receipt:contract.signed), as activation.required_receipts lists it by default.
# Mirrors connectors/revops/builtin/contractActivation.ts; the golden table (connectors/revops/golden) is the arbiter.
#
# Query: POST /v1/data/q2c/revops/contract_activation/decision
# decision = { allow, blocking_issues: [], required_receipts: [], allowed_jurisdictions: [] }
package q2c.revops.contract_activation

import rego.v1

import data.q2c.revops.tenant_overrides

config := tenant_overrides.config

contract := input.attributes.contract

approvals := object.get(input.attributes, "approvals", [])

required_approvals := object.get(input.attributes, "required_approvals", [])

receipts := object.get(input.attributes, "receipts", [])

allowed_jurisdictions := object.get(config.terms, "allowed_jurisdictions", [])

required_receipts := config.activation.required_receipts

# ---- Issues, in decision order ---------------------------------------------------------------------

default not_signed := []

not_signed := ["contract_not_signed"] if contract.signed != true

default missing_approvals := []

missing_approvals := [concat("", ["missing_approval:", role]) | some role in required_approvals; not role in approvals] if {
	config.activation.required_approvals_present == true
}

missing_receipts := [concat("", ["missing_receipt:", receipt]) | some receipt in required_receipts; not receipt in receipts]

# "US-CA" is allowed under "US"; exact codes match themselves.
jurisdiction_allowed(code) if code in allowed_jurisdictions

jurisdiction_allowed(code) if {
	some prefix in allowed_jurisdictions
	startswith(code, concat("", [prefix, "-"]))
}

default jurisdiction_issues := []

# An unknown jurisdiction cannot be shown to be allowed, so it blocks too.
jurisdiction_issues := ["jurisdiction_missing"] if {
	count(allowed_jurisdictions) > 0
	not is_string(contract.jurisdiction)
}

jurisdiction_issues := [concat("", ["jurisdiction_not_allowed:", contract.jurisdiction])] if {
	count(allowed_jurisdictions) > 0
	is_string(contract.jurisdiction)
	not jurisdiction_allowed(contract.jurisdiction)
}

term_out_of_range if contract.term_length_months < config.terms.min_term_months

term_out_of_range if contract.term_length_months > config.terms.max_term_months

default term_issues := []

term_issues := ["term_out_of_range"] if term_out_of_range

default liability_issues := []

liability_issues := ["liability_above_cap"] if {
	contract.liability_cap_multiple > config.terms.max_liability_cap_multiple
}

# Legal reviews non-standard terms when any segment's discount rule says so.
legal_reviews_non_standard if {
	some segment_rule in config.discounts
	segment_rule.legal_required_for_non_standard == true
}

default legal_issues := []

legal_issues := ["legal_approval_required"] if {
	object.get(contract, "has_non_standard_terms", false) == true
	legal_reviews_non_standard
	not "LEGAL" in approvals
}

blocking_issues := array.concat(
	array.concat(array.concat(not_signed, missing_approvals), array.concat(missing_receipts, jurisdiction_issues)),
	array.concat(array.concat(term_issues, liability_issues), legal_issues),
)

# ---- Decision ------------------------------------------------------------------------------------

default allowed := false

allowed if count(blocking_issues) == 0

decision := {
	"allow": allowed,
	"blocking_issues": blocking_issues,
	"required_receipts": required_receipts,
	"allowed_jurisdictions": allowed_jurisdictions,
}
