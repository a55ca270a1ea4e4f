# METADATA
# title: Protective security tests
# description: dkdb.beveiligingsmaatregelen only to politie, KMar and DKDB, only for beveiliging.
package schakel.protective_security_test

import data.schakel.decision
import data.schakel.fixtures

measures := fixtures.ask({
	"holder": fixtures.holder(fixtures.dkdb),
	"category": "dkdb.beveiligingsmaatregelen",
	"purpose": "beveiliging",
})

test_politie_kmar_and_dkdb_get_security_measures_for_protection if {
	every partner in [fixtures.politie, fixtures.kmar, fixtures.dkdb] {
		r := decision.result with input as object.union(measures, {"requester": partner})
		r.decision == "permit"
		r.fields == ["maatregelen", "niveau"]
		r.legal_basis == "wpg_15"
	}
}

test_security_measures_not_for_risk_assessment if {
	r := decision.result with input as object.union(measures, {"purpose": "risicotaxatie"})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_NOT_IN_MATRIX"]
}

test_security_measures_not_to_om_even_if_the_matrix_allowed_it if {
	r := decision.result with input as object.union(measures, {"requester": fixtures.om})
		with data.catalogue.matrix.om.beveiliging as ["dkdb.beveiligingsmaatregelen"]
	r.decision == "deny"
	fixtures.codes(r) == ["PS_NOT_ALLOWED"]
}

test_security_measures_only_for_protection_even_if_the_matrix_allowed_more if {
	r := decision.result with input as object.union(measures, {"purpose": "risicotaxatie"})
		with data.catalogue.matrix.politie.risicotaxatie as ["dkdb.beveiligingsmaatregelen"]
	r.decision == "deny"
	fixtures.codes(r) == ["PS_NOT_ALLOWED"]
}

test_security_measures_not_to_a_veiligheidshuis if {
	r := decision.result with input as object.union(measures, {"requester": fixtures.veiligheidshuis})
	r.decision == "deny"
}
