# Segments and regions, shared by the decision modules.
#
# The engine derives a lead's segment before OPA is asked (connectors/revops/attributes.ts deriveSegment), so
# `lead_segment` normally just reads it; the derivation here is the same rule, for input posted by hand.
package q2c.revops.segment_definitions

import rego.v1

# The lead's segment: its own, else the first configured segment whose bounds contain it. Undefined when none does.
lead_segment(lead, _) := lead.segment if is_string(lead.segment)

lead_segment(lead, segments) := derive_segment(lead, segments) if not is_string(lead.segment)

# First segment in config order (segments is a list, so its order survives in OPA) that the lead fits.
derive_segment(lead, segments) := segments[fits[0]].name if {
	fits := [i | some i, segment in segments; segment_fits(lead, segment)]
	count(fits) > 0
}

# Bounds are inclusive. A bound on a figure the lead lacks is ignored, but a segment with bounds must have at least
# one of them checked: a lead with no figures only lands in a bound-less segment.
segment_fits(_, segment) if not has_any_bounds(segment)

segment_fits(lead, segment) if {
	some_bound_checked(lead, segment)
	figure_within(lead, segment, "arr_estimate", "arr_min", "arr_max")
	figure_within(lead, segment, "company_size", "company_size_min", "company_size_max")
}

has_any_bounds(segment) if bounded(segment, "arr_min", "arr_max")

has_any_bounds(segment) if bounded(segment, "company_size_min", "company_size_max")

bounded(segment, low, _) if is_number(segment[low])

bounded(segment, _, high) if is_number(segment[high])

checked(lead, segment, figure, low, high) if {
	bounded(segment, low, high)
	is_number(lead[figure])
}

some_bound_checked(lead, segment) if checked(lead, segment, "arr_estimate", "arr_min", "arr_max")

some_bound_checked(lead, segment) if checked(lead, segment, "company_size", "company_size_min", "company_size_max")

figure_within(lead, segment, figure, low, high) if not checked(lead, segment, figure, low, high)

figure_within(lead, segment, figure, low, high) if {
	checked(lead, segment, figure, low, high)
	value := lead[figure]
	object.get(segment, low, value) <= value
	object.get(segment, high, value) >= value
}

# The region whose country list contains `country`. Config validation keeps a country in one region at most; the
# name order only makes a hand-written overlap deterministic instead of a conflict error.
region_of(country, regions) := names[0] if {
	names := sort([name | some name, countries in regions; country in countries])
	count(names) > 0
}
