# METADATA
# title: Break-glass tests
# description: acuut_gevaar gives an om officier or politie teamleider with a justification the minimal fields of the listed non-medical categories; medical categories go to an urgent review.
package schakel.break_glass_test

import data.schakel.decision
import data.schakel.fixtures

teamleider := object.union(fixtures.politie, {"role": "teamleider"})

# No case: the broker opens an emergency case after a permit.
emergency := fixtures.ask({
	"requester": teamleider,
	"case": null,
	"purpose": "acuut_gevaar",
	"category": "politie.wapenvergunning",
	"justification": "Dreigt vanavond met een vuurwapen naar het Binnenhof te gaan.",
})

test_teamleider_without_case_gets_minimal_fields if {
	r := decision.result with input as emergency
	r.decision == "permit"
	r.fields == ["heeftVergunning"]
	r.legal_basis == "wpg_15"
	fixtures.codes(r) == ["PERMIT_BREAK_GLASS", "LEGAL_BASIS"]
	r.obligations == ["privacy_officer_review_72h", "emergency_case_takeover_72h"]
}

test_analist_may_not_break_glass if {
	r := decision.result with input as object.union(emergency, {"requester": fixtures.politie})
	r.decision == "deny"
	fixtures.codes(r) == ["BREAK_GLASS_ROLE_NOT_ALLOWED"]
	r.obligations == []
}

test_parketsecretaris_may_not_break_glass if {
	r := decision.result with input as object.union(emergency, {"requester": object.union(fixtures.om, {"role": "parketsecretaris"})})
	r.decision == "deny"
	fixtures.codes(r) == ["BREAK_GLASS_ROLE_NOT_ALLOWED"]
}

test_break_glass_needs_a_justification if {
	blank := decision.result with input as object.union(emergency, {"justification": "   "})
	blank.decision == "deny"
	fixtures.codes(blank) == ["BREAK_GLASS_NO_JUSTIFICATION"]

	missing := decision.result with input as object.union(emergency, {"justification": null})
	fixtures.codes(missing) == ["BREAK_GLASS_NO_JUSTIFICATION"]
}

test_officier_in_a_case_without_membership_gets_minimal_fields if {
	q := object.union(emergency, {
		"requester": fixtures.om,
		"holder": fixtures.holder(fixtures.om),
		"category": "om.strafzaken",
		"case": object.union(fixtures.case_in("aanpak"), {"members": [{"partner_id": "demo-politie", "role": "analist"}]}),
	})
	r := decision.result with input as q
	r.decision == "permit"
	r.fields == ["lopend[].feit"]
	r.legal_basis == "wjsg_39f"
	r.obligations == ["privacy_officer_review_72h"]

	closed := decision.result with input as object.union(q, {"case": {"phase": "gesloten", "status": "closed"}})
	closed.decision == "deny"
	fixtures.codes(closed) == ["BREAK_GLASS_CASE_CLOSED"]

	gesloten := decision.result with input as object.union(q, {"case": {"phase": "gesloten"}})
	fixtures.codes(gesloten) == ["BREAK_GLASS_CASE_CLOSED"]

	other := decision.result with input as object.union(q, {"subject": {"pseudonym": "pseudo-2"}})
	fixtures.codes(other) == ["NTK_SUBJECT_MISMATCH"]
}

test_break_glass_only_for_listed_categories if {
	every category in ["om.justitiele_documentatie", "politie.registraties", "dkdb.beveiligingsmaatregelen", "aivd.signaal"] {
		holder := {"partner_id": "h", "kind": data.catalogue.categories[category].holder_kind}
		r := decision.result with input as object.union(emergency, {"category": category, "holder": holder})
		r.decision == "deny"
		fixtures.codes(r) == ["BREAK_GLASS_CATEGORY_NOT_ALLOWED"]
	}
}

test_every_listed_category_opens_only_its_minimal_fields if {
	every category in data.catalogue.break_glass.categories {
		holder := {"partner_id": "h", "kind": data.catalogue.categories[category].holder_kind}
		r := decision.result with input as object.union(emergency, {"category": category, "holder": holder})
		r.decision == "permit"
		r.fields == data.catalogue.categories[category].minimal_fields
	}
}

test_medical_category_goes_to_urgent_review if {
	q := object.union(emergency, {"holder": fixtures.holder(fixtures.ggz), "category": "ggz.bekend"})
	r := decision.result with input as q
	r.decision == "review"
	r.review.urgent == true
	r.review.reviewer_role == "behandelaar"
	fixtures.codes(r) == ["BG_URGENT_REVIEW"]
	r.obligations == ["privacy_officer_review_72h", "emergency_case_takeover_72h"]

	twin := decision.result with input as object.union(q, {"requester": fixtures.politie})
	twin.decision == "deny"
}

test_conflict_of_duties_in_acute_danger_releases_minimal_fields if {
	q := object.union(emergency, {
		"holder": fixtures.holder(fixtures.ggz),
		"category": "ggz.zorgmaatregel",
		"review": fixtures.review({}),
	})
	r := decision.result with input as q
	r.decision == "permit"
	r.fields == ["soort", "tot"]
}

test_dry_run_of_break_glass if {
	r := decision.result with input as object.union(emergency, {"dry_run": true})
	r.decision == "permit"
	r.grounds == ["wpg_15"]
	fixtures.codes(r) == ["PERMIT_BREAK_GLASS", "LEGAL_BASIS", "DRY_RUN"]
}
