# METADATA
# title: Need-to-know tests
# description: Every permit case is followed by its deny twins, each changing one fact.
package schakel.need_to_know_test

import data.schakel.decision
import data.schakel.fixtures
import data.schakel.need_to_know

test_member_in_role_in_open_case_gets_all_fields if {
	r := decision.result with input as fixtures.base
	r.decision == "permit"
	r.fields == ["aantal", "laatsteDatum", "soorten", "samenvatting"]
	r.legal_basis == "wpg_15"
	r.gdpr_basis == "avg_10"
	fixtures.codes(r) == ["PERMIT_NEED_TO_KNOW", "LEGAL_BASIS"]
	r.confidential == false
	r.review == null
}

test_non_member_is_denied if {
	r := decision.result with input as fixtures.ask({"case": {"members": [{"partner_id": "demo-om", "role": "officier"}]}})
	r.decision == "deny"
	r.fields == []
	fixtures.codes(r) == ["NTK_NOT_MEMBER"]
}

test_non_member_learns_nothing_about_the_case_state if {
	r := decision.result with input as fixtures.ask({"case": {
		"status": "closed",
		"phase": "gesloten",
		"members": [{"partner_id": "demo-om", "role": "officier"}],
	}})
	fixtures.codes(r) == ["NTK_NOT_MEMBER"]
}

test_token_role_other_than_membership_role_is_denied if {
	r := decision.result with input as fixtures.ask({"requester": {"role": "teamleider"}})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_ROLE_MISMATCH"]
}

test_closed_case_is_denied if {
	r := decision.result with input as fixtures.ask({"case": {"status": "closed"}})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_CASE_CLOSED"]
}

test_case_in_phase_gesloten_is_denied if {
	r := decision.result with input as fixtures.ask({"case": {"phase": "gesloten"}})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_CASE_CLOSED"]
}

test_other_subject_than_the_case_subject_is_denied if {
	r := decision.result with input as fixtures.ask({"subject": {"pseudonym": "pseudo-2"}})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_SUBJECT_MISMATCH"]
}

test_purpose_outside_the_phase_is_denied if {
	r := decision.result with input as fixtures.ask({"purpose": "monitoring"})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_PURPOSE_NOT_IN_PHASE"]
}

test_purpose_allowed_in_a_later_phase_is_permitted if {
	r := decision.result with input as fixtures.ask({"purpose": "monitoring", "case": {"phase": "monitoring"}})
	r.decision == "permit"
}

test_request_without_case_is_denied if {
	r := decision.result with input as fixtures.ask({"case": null})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_NO_CASE"]
}

test_category_outside_the_matrix_is_denied if {
	# ggz may ask politie.registraties for the approach, not politie.wapenvergunning.
	q := fixtures.ask({
		"requester": fixtures.ggz,
		"purpose": "persoonsgerichte_aanpak",
		"case": {"phase": "aanpak"},
	})
	permitted := decision.result with input as q
	permitted.decision == "permit"
	permitted.legal_basis == "wpg_20"

	r := decision.result with input as object.union(q, {"category": "politie.wapenvergunning"})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_NOT_IN_MATRIX"]
}

test_om_gets_police_data_under_wpg_16 if {
	r := decision.result with input as fixtures.ask({"requester": fixtures.om})
	r.decision == "permit"
	r.legal_basis == "wpg_16"
}

test_politie_gets_om_data_under_wjsg_39f if {
	r := decision.result with input as fixtures.ask({
		"requester": fixtures.politie,
		"holder": fixtures.holder(fixtures.om),
		"category": "om.strafzaken",
	})
	r.decision == "permit"
	r.legal_basis == "wjsg_39f"
	r.fields == ["lopend[].feit", "lopend[].fase", "lopend[].parket"]
}

test_kmar_gets_approaches_for_risk_assessment if {
	q := fixtures.ask({"requester": fixtures.kmar, "holder": fixtures.holder(fixtures.dkdb), "category": "dkdb.naderingen"})
	r := decision.result with input as q
	r.decision == "permit"
	r.legal_basis == "wpg_15"
	r.gdpr_basis == "avg_6_1_e"

	twin := decision.result with input as object.union(q, {"requester": fixtures.veiligheidshuis})
	twin.decision == "deny"
	fixtures.codes(twin) == ["NTK_NOT_IN_MATRIX"]
}

test_matrix_cell_is_data if {
	# A privacy officer removes a cell: the same question is denied, no code change.
	r := decision.result with input as fixtures.base
		with data.catalogue.matrix.politie.risicotaxatie as ["politie.dreigingsmeldingen"]
	fixtures.codes(r) == ["NTK_NOT_IN_MATRIX"]
}

test_violations_are_staged if {
	need_to_know.violations == set() with input as fixtures.base
	need_to_know.violations == {"NTK_CASE_CLOSED", "NTK_SUBJECT_MISMATCH", "NTK_ROLE_MISMATCH"} with input as fixtures.ask({
		"case": {"status": "closed"},
		"subject": {"pseudonym": "pseudo-2"},
		"requester": {"role": "teamleider"},
	})
}
