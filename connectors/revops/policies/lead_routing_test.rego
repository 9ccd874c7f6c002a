# Lead routing: golden cases (connectors/revops/golden) replayed in OPA. Generated from the golden table;
# connectors/revops/golden/opa.golden.test.ts checks that each case here still matches it (attributes are
# the normalised ones the engine sends; configs are the parsed profiles in fixtures_test.rego).
package q2c.revops.lead_routing_test

import rego.v1

import data.q2c.revops.lead_routing
import data.q2c.revops.fixtures_test as fixtures

test_lr_preflight_blocked_domain if {
	attributes := {"lead":{"id":"lead-west","email":"x@Mailinator.com","country":"US","state":"CA","company_size":40,"arr_estimate":30000,"is_spam_signal":false,"email_domain":"mailinator.com","segment":"smb"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"route_strategy":"territory","conflicts":["blocked:domain"],"required_enrichment":[]}
}

test_lr_preflight_every_reason_listed if {
	attributes := {"lead":{"id":"lead-smb","email":"a@mailinator.com","country":"IR","company_size":12,"arr_estimate":20000,"is_spam_signal":true,"email_domain":"mailinator.com","segment":"smb"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":false,"route_strategy":"territory","conflicts":["blocked:domain","blocked:country","blocked:spam"],"required_enrichment":[]}
}

test_lr_enrichment_free_email_domain_counts_as_missing if {
	attributes := {"lead":{"id":"lead-g","email":"jo@gmail.com","country":"US","company_size":3,"arr_estimate":2000,"is_spam_signal":false,"email_domain":"gmail.com","segment":"starter"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.smb_config}
	result == {"allow":true,"assignee":"user:sdr-1","route_strategy":"round_robin","sla_minutes":480,"conflicts":[],"required_enrichment":["email_domain"]}
}

test_lr_account_owner_conflicts_with_territory_owner if {
	attributes := {"lead":{"id":"lead-west","email":"ops@surfco.com","country":"US","state":"CA","company_size":40,"arr_estimate":30000,"is_spam_signal":false,"email_domain":"surfco.com","segment":"smb"},"routing_state":{"round_robin_counters":{},"open_leads":{}},"account":{"id":"acct-1","owner_id":"user:ae-7","customer_status":"customer"}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"user:ae-7","route_strategy":"account_owner_follows","sla_minutes":120,"conflicts":["account_owner_vs_territory:na_west"],"required_enrichment":[]}
}

test_lr_account_owner_beats_segment_team if {
	attributes := {"lead":{"id":"lead-ent","email":"cio@megacorp.com","country":"US","state":"NY","company_size":20000,"arr_estimate":900000,"is_spam_signal":false,"email_domain":"megacorp.com","segment":"enterprise"},"routing_state":{"round_robin_counters":{},"open_leads":{}},"account":{"id":"acct-1","owner_id":"user:ae-7","customer_status":"customer"}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"user:ae-7","route_strategy":"account_owner_follows","sla_minutes":30,"conflicts":["account_owner_vs_territory:na_east"],"required_enrichment":[]}
}

test_lr_segment_team_enterprise_uk_means_gb_eu if {
	attributes := {"lead":{"id":"lead-ent","email":"cio@megacorp.com","country":"GB","company_size":20000,"arr_estimate":900000,"is_spam_signal":false,"email_domain":"megacorp.com","segment":"enterprise"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"team:enterprise-eu","route_strategy":"segment","sla_minutes":45,"conflicts":[],"required_enrichment":[]}
}

test_lr_segment_team_without_country_uses_default if {
	attributes := {"lead":{"id":"lead-nc","company_size":5000,"arr_estimate":500000,"is_spam_signal":false,"segment":"enterprise"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"team:enterprise-global","route_strategy":"segment","sla_minutes":60,"conflicts":[],"required_enrichment":["country"]}
}

test_lr_segment_strategic_team_enterprise_profile if {
	attributes := {"lead":{"id":"lead-s","country":"DE","company_size":50000,"industry":"banking","arr_estimate":2000000,"is_spam_signal":false,"segment":"strategic"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.enterprise_config}
	result == {"allow":true,"assignee":"team:strategic-accounts","route_strategy":"segment","sla_minutes":15,"conflicts":[],"required_enrichment":[]}
}

test_lr_territory_state_match if {
	attributes := {"lead":{"id":"lead-west","email":"ops@surfco.com","country":"US","state":"CA","company_size":40,"arr_estimate":30000,"is_spam_signal":false,"email_domain":"surfco.com","segment":"smb"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"user:ae-west","route_strategy":"territory","sla_minutes":120,"conflicts":[],"required_enrichment":[]}
}

test_lr_territory_country_match_enterprise_profile if {
	attributes := {"lead":{"id":"lead-uk","country":"GB","company_size":50,"industry":"retail","arr_estimate":300000,"is_spam_signal":false},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.enterprise_config}
	result == {"allow":true,"assignee":"team:commercial-ukie","route_strategy":"territory","sla_minutes":120,"conflicts":[],"required_enrichment":[]}
}

test_lr_round_robin_wraps_around if {
	attributes := {"lead":{"id":"lead-smb","email":"owner@bakery.de","country":"DE","company_size":12,"arr_estimate":120000,"is_spam_signal":false,"email_domain":"bakery.de","segment":"mid_market"},"routing_state":{"round_robin_counters":{"mid_market_ae":7},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"user:ae-mm-2","route_strategy":"round_robin","sla_minutes":60,"conflicts":[],"required_enrichment":[]}
}

test_lr_capacity_skip_wraps_to_first_member if {
	attributes := {"lead":{"id":"lead-smb","email":"owner@bakery.de","country":"DE","company_size":12,"arr_estimate":20000,"is_spam_signal":false,"email_domain":"bakery.de","segment":"smb"},"routing_state":{"round_robin_counters":{"sdr_global":3},"open_leads":{"user:sdr-2":30,"user:sdr-1":24}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"user:sdr-1","route_strategy":"capacity","sla_minutes":120,"conflicts":[],"required_enrichment":[]}
}

test_lr_capacity_exhausted if {
	attributes := {"lead":{"id":"lead-smb","email":"owner@bakery.de","country":"DE","company_size":12,"arr_estimate":20000,"is_spam_signal":false,"email_domain":"bakery.de","segment":"smb"},"routing_state":{"round_robin_counters":{},"open_leads":{"user:sdr-1":25,"user:sdr-2":26}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"route_strategy":"capacity","sla_minutes":120,"conflicts":["capacity_exhausted:sdr_global"],"required_enrichment":[]}
}

test_lr_no_segment_figures_uses_default_pool_and_sla if {
	attributes := {"lead":{"id":"lead-x","country":"DE","is_spam_signal":false},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.default_config}
	result == {"allow":true,"assignee":"user:sdr-1","route_strategy":"round_robin","sla_minutes":240,"conflicts":[],"required_enrichment":["company_size"]}
}

test_lr_segment_needs_every_known_bound if {
	attributes := {"lead":{"id":"lead-e","country":"FR","company_size":50,"industry":"retail","arr_estimate":300000,"is_spam_signal":false},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.enterprise_config}
	result == {"allow":true,"route_strategy":"account_owner_follows","sla_minutes":120,"conflicts":["no_route"],"required_enrichment":[]}
}

test_lr_sla_by_segment_and_region_smb_profile if {
	attributes := {"lead":{"id":"lead-g","email":"a@shop.com","country":"US","arr_estimate":50000,"is_spam_signal":false,"email_domain":"shop.com","segment":"growth"},"routing_state":{"round_robin_counters":{},"open_leads":{}}}
	result := lead_routing.decision with input as {"attributes": attributes, "config": fixtures.smb_config}
	result == {"allow":true,"assignee":"user:ae-1","route_strategy":"round_robin","sla_minutes":60,"conflicts":[],"required_enrichment":[]}
}
