# METADATA
# title: Intelligence tests
# description: aivd.signaal only to politie; aivd.ambtsbericht only by the AIVD analist's review, only to OM or politie, only for the allowed purposes; AIVD involvement never shows in a denial.
package schakel.intelligence_test

import data.schakel.decision
import data.schakel.fixtures

signaal := fixtures.ask({"holder": fixtures.holder(fixtures.aivd), "category": "aivd.signaal"})

ambtsbericht_om := fixtures.ask({
	"requester": fixtures.om,
	"holder": fixtures.holder(fixtures.aivd),
	"category": "aivd.ambtsbericht",
})

test_signaal_is_answered_to_politie if {
	r := decision.result with input as signaal
	r.decision == "permit"
	r.fields == ["heeftInformatie", "contact"]
	r.legal_basis == "wiv_62"
	r.confidential == true
	fixtures.codes(r) == ["PERMIT_SIGNAAL", "LEGAL_BASIS"]
	"wiv_65_geen_verdere_verstrekking" in r.conditions
}

test_signaal_is_not_answered_to_om_even_if_the_matrix_allowed_it if {
	r := decision.result with input as object.union(signaal, {"requester": fixtures.om})
		with data.catalogue.matrix.om.risicotaxatie as ["aivd.signaal"]
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_NOT_IN_MATRIX"]
}

test_signaal_is_not_answered_for_the_approach_even_if_the_matrix_allowed_it if {
	r := decision.result with input as object.union(signaal, {"purpose": "persoonsgerichte_aanpak", "case": {"phase": "aanpak"}})
		with data.catalogue.matrix.politie.persoonsgerichte_aanpak as ["aivd.signaal"]
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_NOT_IN_MATRIX"]
}

test_ambtsbericht_goes_to_the_aivd_analist if {
	r := decision.result with input as ambtsbericht_om
	r.decision == "review"
	r.review.reviewer_kind == "aivd"
	r.review.reviewer_role == "analist"
	r.review.ground_hint == "ambtsbericht"
	r.review.urgent == false
	r.grounds == ["ambtsbericht"]
	r.confidential == true
	fixtures.codes(r) == ["INTEL_REVIEW_REQUIRED"]
}

test_ambtsbericht_released_by_the_analist_to_om_under_wiv_66 if {
	q := object.union(ambtsbericht_om, {"review": fixtures.aivd_review({})})
	r := decision.result with input as q
	r.decision == "permit"
	r.fields == ["kenmerk", "inhoud", "datum"]
	r.legal_basis == "wiv_66"
	r.gdpr_basis == "avg_2_2_a"
	fixtures.codes(r) == ["PERMIT_AMBTSBERICHT", "LEGAL_BASIS"]

	twin := decision.result with input as object.union(q, {"review": {"reviewer_partner_id": "demo-politie"}})
	twin.decision == "review"
}

test_ambtsbericht_release_on_another_ground_opens_nothing if {
	r := decision.result with input as object.union(ambtsbericht_om, {"review": fixtures.aivd_review({"ground": "toestemming"})})
	r.decision == "review"
	r.review.problems == ["RELEASE_GROUND_NOT_ALLOWED"]
}

test_ambtsbericht_release_without_fields_opens_nothing if {
	r := decision.result with input as object.union(ambtsbericht_om, {"review": fixtures.aivd_review({"fields": ["bron"]})})
	r.decision == "review"
	r.review.problems == ["RELEASE_NO_FIELDS"]
}

test_ambtsbericht_refused_by_the_analist_is_denied if {
	r := decision.result with input as object.union(ambtsbericht_om, {"review": fixtures.aivd_review({"decision": "refuse", "ground": null})})
	r.decision == "deny"
	fixtures.codes(r) == ["REVIEW_REFUSED"]
}

test_ambtsbericht_to_politie_for_risk_assessment_goes_to_review if {
	r := decision.result with input as object.union(ambtsbericht_om, {"requester": fixtures.politie})
	r.decision == "review"
}

test_ambtsbericht_not_for_monitoring if {
	q := object.union(ambtsbericht_om, {"requester": fixtures.politie, "purpose": "monitoring", "case": {"phase": "monitoring"}})
	r := decision.result with input as q
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_NOT_IN_MATRIX"]

	# Not even if a privacy officer put it in the matrix: rule 4 still holds.
	r2 := decision.result with input as q with data.catalogue.matrix.politie.monitoring as ["aivd.ambtsbericht"]
	fixtures.codes(r2) == ["NTK_NOT_IN_MATRIX"]
}

test_ambtsbericht_not_to_ggz_even_if_the_matrix_allowed_it if {
	q := object.union(ambtsbericht_om, {"requester": fixtures.ggz})
	r := decision.result with input as q with data.catalogue.matrix.ggz.risicotaxatie as ["aivd.ambtsbericht"]
	r.decision == "deny"

	# No legal basis is recorded from the AIVD to the GGZ either.
	fixtures.codes(r) == ["LEGAL_BASIS_MISSING", "NTK_NOT_IN_MATRIX"]
}

test_no_denial_to_a_ggz_requester_mentions_the_aivd if {
	every category in ["aivd.signaal", "aivd.ambtsbericht"] {
		r := decision.result with input as fixtures.ask({
			"requester": fixtures.ggz,
			"holder": fixtures.holder(fixtures.aivd),
			"category": category,
		})
		r.decision == "deny"
		fixtures.codes(r) == ["NTK_NOT_IN_MATRIX"]
		every reason in r.reasons {
			not contains(reason.nl, "AIVD")
			not contains(reason.en, "AIVD")
			not contains(lower(reason.nl), "inlichtingen")
			not contains(lower(reason.en), "intelligence")
		}
	}
}

test_intelligence_denial_is_the_same_as_an_ordinary_matrix_denial if {
	aivd := decision.result with input as fixtures.ask({"requester": fixtures.ggz, "holder": fixtures.holder(fixtures.aivd), "category": "aivd.signaal"})
	ordinary := decision.result with input as fixtures.ask({"requester": fixtures.ggz, "category": "politie.wapenvergunning"})
	aivd.reasons == ordinary.reasons
}

test_aivd_as_requester_is_confidential_and_uses_wpg_17 if {
	q := fixtures.ask({"requester": fixtures.aivd})
	r := decision.result with input as q
	r.decision == "permit"
	r.legal_basis == "wpg_17"
	r.confidential == true
	not "wiv_65_geen_verdere_verstrekking" in r.conditions

	twin := decision.result with input as object.union(q, {"purpose": "persoonsgerichte_aanpak", "case": {"phase": "aanpak"}})
	twin.decision == "deny"
	twin.confidential == true
}

test_dry_run_for_an_ambtsbericht_names_its_ground if {
	r := decision.result with input as object.union(ambtsbericht_om, {"dry_run": true, "review": fixtures.aivd_review({})})
	r.decision == "review"
	r.grounds == ["ambtsbericht"]
	fixtures.codes(r) == ["INTEL_REVIEW_REQUIRED", "DRY_RUN"]
}
