# Contract activation: golden cases (connectors/revops/golden) replayed in OPA. Generated from the golden table;
# connectors/revops/golden/opa.golden.test.ts checks that each case here still matches it (attributes are
# the normalised ones the engine sends; configs are the parsed profiles in fixtures_test.rego).
package q2c.revops.contract_activation_test

import rego.v1

import data.q2c.revops.contract_activation
import data.q2c.revops.fixtures_test as fixtures

test_ca_signed_approved_in_policy_activates if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"US-NY","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"blocking_issues":[],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_not_signed_blocks if {
	attributes := {"contract":{"id":"c-1","signed":false,"jurisdiction":"US-NY","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":[]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"blocking_issues":["contract_not_signed","missing_receipt:contract.signed"],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_signed_flag_without_receipt_blocks if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"US-NY","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.sent"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"blocking_issues":["missing_receipt:contract.signed"],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_missing_approvals_in_required_order if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"US-NY","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":false},"approvals":["FINANCE"],"required_approvals":["SALES_MANAGER","FINANCE","LEGAL"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"blocking_issues":["missing_approval:SALES_MANAGER","missing_approval:LEGAL"],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_every_required_receipt_type_checked if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"CH","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.enterprise_config}
	result == {"allow":false,"blocking_issues":["missing_receipt:order_form.countersigned"],"required_receipts":["contract.signed","order_form.countersigned"],"allowed_jurisdictions":["US","CA","GB","IE","DE","NL","CH"]}
}

test_ca_jurisdiction_subdivision_allowed_under_country if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"CA-ON","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"blocking_issues":[],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_jurisdiction_prefix_must_be_whole_code if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"USA","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"blocking_issues":["jurisdiction_not_allowed:USA"],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_jurisdiction_missing_blocks_when_list_configured if {
	attributes := {"contract":{"id":"c-1","signed":true,"term_length_months":24,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"blocking_issues":["jurisdiction_missing"],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_liability_at_cap_is_fine if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"US-NY","term_length_months":24,"liability_cap_multiple":2,"has_non_standard_terms":false},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"blocking_issues":[],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_non_standard_terms_need_legal if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"US-NY","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":true},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"blocking_issues":["legal_approval_required"],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}

test_ca_non_standard_terms_without_legal_policy if {
	attributes := {"contract":{"id":"c-1","signed":true,"jurisdiction":"JP","term_length_months":24,"liability_cap_multiple":1,"has_non_standard_terms":true},"approvals":["SALES_MANAGER"],"required_approvals":["SALES_MANAGER"],"receipts":["contract.signed","payment_method.attached"]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.smb_config}
	result == {"allow":true,"blocking_issues":[],"required_receipts":["contract.signed","payment_method.attached"],"allowed_jurisdictions":[]}
}

test_ca_every_blocking_issue_in_order if {
	attributes := {"contract":{"id":"c-bad","signed":false,"jurisdiction":"JP","term_length_months":60,"liability_cap_multiple":5,"has_non_standard_terms":true},"approvals":[],"required_approvals":["FINANCE"],"receipts":[]}
	result := contract_activation.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"blocking_issues":["contract_not_signed","missing_approval:FINANCE","missing_receipt:contract.signed","jurisdiction_not_allowed:JP","term_out_of_range","liability_above_cap","legal_approval_required"],"required_receipts":["contract.signed"],"allowed_jurisdictions":["US","CA","GB","IE","DE","FR","NL"]}
}
