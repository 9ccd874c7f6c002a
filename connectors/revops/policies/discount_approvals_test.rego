# Discount approvals: golden cases (connectors/revops/golden) replayed in OPA. Generated from the golden table;
# connectors/revops/golden/opa.golden.test.ts checks that each case here still matches it (attributes are
# the normalised ones the engine sends; configs are the parsed profiles in fixtures_test.rego).
package q2c.revops.discount_approvals_test

import rego.v1

import data.q2c.revops.discount_approvals
import data.q2c.revops.fixtures_test as fixtures

test_da_smb_at_ae_limit_needs_nothing if {
	attributes := {"quote":{"id":"q-smb-0.2","segment":"smb","list_price_total":10000,"discount_percentage":0.2,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":8000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.2,"required_approvals":[],"flags":{"legal_required":false,"strategic":false},"rationale":"No approval required: the quote is within policy."}
}

test_da_smb_25_percent_ae_needs_manager if {
	attributes := {"quote":{"id":"q-smb-0.25","segment":"smb","list_price_total":40000,"discount_percentage":0.25,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":30000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.2,"required_approvals":["SALES_MANAGER"],"flags":{"legal_required":false,"strategic":false},"rationale":"Discount 0.25 is above the self-approval limit of 0.2 for smb. Discount 0.25 is above the manager approval threshold of 0.2 for smb."}
}

test_da_smb_35_percent_ae_needs_manager_and_finance if {
	attributes := {"quote":{"id":"q-smb-0.35","segment":"smb","list_price_total":40000,"discount_percentage":0.35,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":26000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.2,"required_approvals":["SALES_MANAGER","FINANCE"],"flags":{"legal_required":false,"strategic":false},"rationale":"Discount 0.35 is above the self-approval limit of 0.2 for smb. Discount 0.35 is above the manager approval threshold of 0.2 for smb. Discount 0.35 is above the finance approval threshold of 0.3 for smb."}
}

test_da_smb_35_percent_sales_manager_needs_finance if {
	attributes := {"quote":{"id":"q-smb-0.35","segment":"smb","list_price_total":40000,"discount_percentage":0.35,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":26000},"user":{"role":"sales_manager"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.3,"required_approvals":["FINANCE"],"flags":{"legal_required":false,"strategic":false},"rationale":"Discount 0.35 is above the finance approval threshold of 0.3 for smb."}
}

test_da_finance_submitter_does_not_approve_itself if {
	attributes := {"quote":{"id":"q-smb-0.4","segment":"smb","list_price_total":40000,"discount_percentage":0.4,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":24000},"user":{"role":"finance"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.5,"required_approvals":["SALES_MANAGER","FINANCE"],"flags":{"legal_required":false,"strategic":false},"rationale":"Discount 0.4 is above the manager approval threshold of 0.2 for smb. Discount 0.4 is above the finance approval threshold of 0.3 for smb."}
}

test_da_high_arr_uses_over_high_arr_chain if {
	attributes := {"quote":{"id":"q-enterprise-0.05","segment":"enterprise","list_price_total":400000,"discount_percentage":0.05,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":380000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.1,"required_approvals":["SALES_MANAGER","FINANCE"],"flags":{"legal_required":false,"strategic":false},"rationale":"ARR reaches the high-ARR threshold of 250000."}
}

test_da_strategic_deal if {
	attributes := {"quote":{"id":"q-enterprise-0.1","segment":"enterprise","list_price_total":1200000,"discount_percentage":0.1,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":1080000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.1,"required_approvals":["SALES_MANAGER","FINANCE"],"flags":{"legal_required":false,"strategic":true},"rationale":"ARR reaches the high-ARR threshold of 250000. Strategic deal: ARR reaches the strategic threshold of 1000000."}
}

test_da_enterprise_non_standard_terms_require_legal if {
	attributes := {"quote":{"id":"q-enterprise-0.05","segment":"enterprise","list_price_total":100000,"discount_percentage":0.05,"term_length_months":12,"has_non_standard_terms":true,"non_standard_terms":[],"arr":95000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"max_allowed_discount":0.1,"required_approvals":["LEGAL"],"flags":{"legal_required":true,"strategic":false},"rationale":"Non-standard terms require LEGAL approval."}
}

test_da_ceiling_denies if {
	attributes := {"quote":{"id":"q-smb-0.55","segment":"smb","list_price_total":10000,"discount_percentage":0.55,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":4500},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"max_allowed_discount":0.2,"required_approvals":["SALES_MANAGER","FINANCE"],"flags":{"legal_required":false,"strategic":false},"rationale":"Discount 0.55 exceeds the maximum of 0.5 for smb. Discount 0.55 is above the self-approval limit of 0.2 for smb. Discount 0.55 is above the manager approval threshold of 0.2 for smb. Discount 0.55 is above the finance approval threshold of 0.3 for smb."}
}

test_da_term_below_minimum_denies if {
	attributes := {"quote":{"id":"q-smb-0.1","segment":"smb","list_price_total":10000,"discount_percentage":0.1,"term_length_months":6,"has_non_standard_terms":false,"non_standard_terms":[],"arr":9000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"max_allowed_discount":0.2,"required_approvals":[],"flags":{"legal_required":false,"strategic":false},"rationale":"Term of 6 months is below the minimum of 12 months."}
}

test_da_enterprise_profile_full_chain_in_role_order if {
	attributes := {"quote":{"id":"q-enterprise-0.3","segment":"enterprise","list_price_total":1000000,"discount_percentage":0.3,"term_length_months":36,"has_non_standard_terms":true,"non_standard_terms":[],"arr":700000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.enterprise_config}
	result == {"allow":true,"max_allowed_discount":0.1,"required_approvals":["SALES_MANAGER","FINANCE","LEGAL","VP_SALES"],"flags":{"legal_required":true,"strategic":false},"rationale":"Discount 0.3 is above the self-approval limit of 0.1 for enterprise. Discount 0.3 is above the finance approval threshold of 0.25 for enterprise. ARR reaches the high-ARR threshold of 500000. Non-standard terms require FINANCE, LEGAL approval."}
}

test_da_sales_manager_dropped_from_chains if {
	attributes := {"quote":{"id":"q-enterprise-0.1","segment":"enterprise","list_price_total":800000,"discount_percentage":0.1,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":720000},"user":{"role":"sales_manager"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.enterprise_config}
	result == {"allow":true,"max_allowed_discount":0.25,"required_approvals":["FINANCE","VP_SALES"],"flags":{"legal_required":false,"strategic":false},"rationale":"ARR reaches the high-ARR threshold of 500000."}
}

test_da_strategic_segment_manager_threshold if {
	attributes := {"quote":{"id":"q-strategic-0.15","segment":"strategic","list_price_total":2000000,"discount_percentage":0.15,"term_length_months":12,"has_non_standard_terms":false,"non_standard_terms":[],"arr":1700000},"user":{"id":"user:ae-1","role":"ae"}}
	result := discount_approvals.decision with input as {"attributes": attributes, "config": fixtures.enterprise_config}
	result == {"allow":true,"max_allowed_discount":0.05,"required_approvals":["SALES_MANAGER","FINANCE","VP_SALES"],"flags":{"legal_required":false,"strategic":true},"rationale":"Discount 0.15 is above the self-approval limit of 0.05 for strategic. Discount 0.15 is above the manager approval threshold of 0.1 for strategic. ARR reaches the high-ARR threshold of 500000. Strategic deal: ARR reaches the strategic threshold of 1000000."}
}
