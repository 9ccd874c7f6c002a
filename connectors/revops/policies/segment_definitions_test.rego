# Segment derivation and regions (mirrors deriveSegment in connectors/revops/attributes.ts and regionOf in
# connectors/revops/builtin/leadRouting.ts).
package q2c.revops.segment_definitions_test

import rego.v1

import data.q2c.revops.segment_definitions

segments := [
	{"name": "smb", "arr_max": 50000},
	{"name": "enterprise", "arr_min": 250000},
	{"name": "mid_market", "arr_min": 50000, "arr_max": 250000},
]

test_lead_segment_is_kept_when_given if {
	segment_definitions.lead_segment({"id": "l", "segment": "enterprise", "arr_estimate": 10}, segments) == "enterprise"
}

test_bounds_are_inclusive_and_first_segment_wins if {
	segment_definitions.lead_segment({"id": "l", "arr_estimate": 50000}, segments) == "smb"
	segment_definitions.lead_segment({"id": "l", "arr_estimate": 250000}, segments) == "enterprise"
	segment_definitions.lead_segment({"id": "l", "arr_estimate": 120000}, segments) == "mid_market"
}

test_lead_without_figures_has_no_bounded_segment if {
	not segment_definitions.lead_segment({"id": "l", "country": "DE"}, segments)
}

test_lead_without_figures_lands_in_a_boundless_segment if {
	segment_definitions.lead_segment({"id": "l"}, array.concat(segments, [{"name": "everyone"}])) == "everyone"
}

test_bound_on_a_missing_figure_is_ignored if {
	sized := [{"name": "big", "arr_min": 100, "company_size_min": 1000}]
	segment_definitions.lead_segment({"id": "l", "company_size": 5000}, sized) == "big"
	not segment_definitions.lead_segment({"id": "l", "company_size": 5000, "arr_estimate": 10}, sized)
}

test_region_of_country if {
	regions := {"na": ["US", "CA"], "eu": ["GB", "DE"]}
	segment_definitions.region_of("GB", regions) == "eu"
	not segment_definitions.region_of("JP", regions)
}
