# METADATA
# title: Beroepsgeheim tests
# description: |
#   Medical categories: without a ground the holder established the answer is a
#   review, never a permit. Each permit is followed by its twins.
package schakel.beroepsgeheim_test

import data.schakel.decision
import data.schakel.fixtures

all_ggz_bekend := ["inZorg", "sinds", "instelling"]

test_ggz_bekend_without_consent_goes_to_review_never_permit if {
	r := decision.result with input as fixtures.ggz_question
	r.decision == "review"
	r.fields == []
	r.legal_basis == null
	fixtures.codes(r) == ["BG_REVIEW_BY_HOLDER"]
	r.review.reviewer_kind == "ggz"
	r.review.reviewer_partner_id == "demo-ggz"
	r.review.reviewer_role == "behandelaar"
	r.review.ground_hint == null
	r.review.urgent == false
	r.grounds == ["toestemming", "conflict_van_plichten", "wettelijk_voorschrift"]
}

test_every_medical_category_without_ground_is_review if {
	every category in ["ggz.bekend", "ggz.behandelaar", "ggz.risicosamenvatting", "ggz.zorgmaatregel"] {
		r := decision.result with input as fixtures.ask_ggz({"category": category})
		r.decision == "review"
	}
}

test_consent_recorded_by_the_holder_permits_all_category_fields if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({})]})
	r.decision == "permit"
	r.fields == all_ggz_bekend
	r.legal_basis == "bg_toestemming"
	r.gdpr_basis == "avg_9_2_g"
	r.consent_ids == ["consent-1"]
	fixtures.codes(r) == ["PERMIT_CONSENT", "LEGAL_BASIS"]
}

test_consent_naming_the_partner_id_permits if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"recipients": ["demo-politie"]})]})
	r.decision == "permit"
}

test_consent_recorded_by_another_partner_is_ignored if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"holder_partner_id": "demo-ggz-2"})]})
	r.decision == "review"
	r.consent_ids == []
}

test_withdrawn_consent_does_not_permit if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"withdrawn": true})]})
	r.decision == "review"
}

test_expired_consent_does_not_permit if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"valid_until_ms": fixtures.now})]})
	r.decision == "review"
}

test_consent_not_yet_valid_does_not_permit if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"valid_from_ms": fixtures.now + 1})]})
	r.decision == "review"
}

test_consent_for_another_purpose_does_not_permit if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"purposes": ["monitoring"]})]})
	r.decision == "review"
}

test_consent_for_another_category_does_not_permit if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"categories": ["ggz.behandelaar"]})]})
	r.decision == "review"
}

test_consent_for_another_recipient_does_not_permit if {
	r := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"recipients": ["om", "demo-om"]})]})
	r.decision == "review"
}

test_a_useless_consent_is_indistinguishable_from_none if {
	# Side channel: the requester must not learn that a consent exists.
	none := decision.result with input as fixtures.ggz_question
	withdrawn := decision.result with input as fixtures.ask_ggz({"consents": [fixtures.consent({"withdrawn": true})]})
	none == withdrawn
}

test_consent_does_not_bypass_need_to_know if {
	r := decision.result with input as fixtures.ask_ggz({
		"consents": [fixtures.consent({})],
		"case": {"members": [{"partner_id": "demo-ggz", "role": "behandelaar"}]},
	})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_NOT_MEMBER"]
}

test_risk_summary_with_consent_goes_to_review_with_consent_ground if {
	q := fixtures.ask_ggz({
		"category": "ggz.risicosamenvatting",
		"consents": [fixtures.consent({"categories": ["ggz.risicosamenvatting"]})],
	})
	r := decision.result with input as q
	r.decision == "review"
	r.review.ground_hint == "toestemming"
	r.review.basis_consent_ids == ["consent-1"]

	# The requester sees the same reasons as without consent.
	without := decision.result with input as fixtures.ask_ggz({"category": "ggz.risicosamenvatting"})
	without.review.ground_hint == null
	without.review.basis_consent_ids == []
	without.reasons == r.reasons
}

test_risk_summary_released_on_consent_by_the_behandelaar if {
	q := fixtures.ask_ggz({
		"category": "ggz.risicosamenvatting",
		"consents": [fixtures.consent({"categories": ["ggz.risicosamenvatting"]})],
		"review": fixtures.review({"ground": "toestemming", "considerations": null}),
	})
	r := decision.result with input as q
	r.decision == "permit"
	r.fields == ["samenvatting", "opgesteldOp", "opgesteldDoor"]
	r.legal_basis == "bg_toestemming"
	r.consent_ids == ["consent-1"]

	# Withdrawing the consent cancels the review's basis: no permit.
	twin := decision.result with input as object.union(q, {"consents": [fixtures.consent({
		"categories": ["ggz.risicosamenvatting"],
		"withdrawn": true,
	})]})
	twin.decision == "review"
	twin.review.problems == ["RELEASE_CONSENT_NOT_VALID"]
	twin.reasons == [{
		"code": "BG_REVIEW_BY_HOLDER",
		"nl": data.catalogue.reasons.BG_REVIEW_BY_HOLDER.nl,
		"en": data.catalogue.reasons.BG_REVIEW_BY_HOLDER.en,
	}]
}

test_conflict_of_duties_releases_minimal_fields_by_default if {
	r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({})})
	r.decision == "permit"
	r.fields == ["inZorg"]
	r.legal_basis == "bg_conflict_van_plichten"
	fixtures.codes(r) == ["PERMIT_CONFLICT_VAN_PLICHTEN", "LEGAL_BASIS"]
}

test_conflict_of_duties_releases_selected_fields_within_the_category if {
	r := decision.result with input as fixtures.ask_ggz({
		"category": "ggz.behandelaar",
		"review": fixtures.review({"fields": ["telefoon", "naam", "bsn", "diagnose"]}),
	})
	r.decision == "permit"
	r.fields == ["naam", "telefoon"]
}

test_conflict_of_duties_needs_all_five_conditions if {
	every condition in ["gewetensnood", "subsidiariteit", "schade", "doelmatigheid", "proportionaliteit"] {
		r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({"considerations": {condition: false}})})
		r.decision == "review"
		r.review.problems == ["RELEASE_CONDITIONS_NOT_MET"]
		fixtures.codes(r) == ["BG_REVIEW_BY_HOLDER"]
	}
}

test_conflict_of_duties_needs_the_reason_consent_was_not_the_way if {
	r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({"considerations": null})})
	r.decision == "review"
	r.review.problems == ["RELEASE_CONDITIONS_NOT_MET"]
}

test_consulting_a_colleague_is_recorded_not_required if {
	with_colleague := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({"considerations": {"collega_geraadpleegd": true}})})
	without := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({})})
	with_colleague.decision == "permit"
	without.decision == "permit"
}

test_a_decision_for_another_request_opens_nothing if {
	r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({"request_id": "req-2"})})
	r.decision == "review"
	r.review.problems == []
}

test_a_decision_by_another_partner_opens_nothing if {
	r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({"reviewer_partner_id": "demo-ggz-2"})})
	r.decision == "review"
}

test_a_decision_by_a_zorgcoordinator_opens_nothing if {
	r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({"reviewer_role": "zorgcoordinator"})})
	r.decision == "review"
}

test_risk_summary_conflict_of_duties_needs_selected_fields if {
	q := fixtures.ask_ggz({"category": "ggz.risicosamenvatting", "review": fixtures.review({"fields": ["samenvatting"]})})
	r := decision.result with input as q
	r.decision == "permit"
	r.fields == ["samenvatting"]

	# It has no minimal fields: without a selection nothing can be released.
	twin := decision.result with input as object.union(q, {"review": {"fields": null}})
	twin.decision == "review"
	twin.review.problems == ["RELEASE_NO_FIELDS"]
}

test_statutory_provision_releases_minimal_fields if {
	q := fixtures.ask_ggz({
		"category": "ggz.zorgmaatregel",
		"review": fixtures.review({"ground": "wettelijk_voorschrift", "considerations": null, "provision": "Wvggz art. 8:29"}),
	})
	r := decision.result with input as q
	r.decision == "permit"
	r.fields == ["soort", "tot"]
	r.legal_basis == "bg_wettelijk_voorschrift"

	twin := decision.result with input as object.union(q, {"review": {"provision": " "}})
	twin.decision == "review"
	twin.review.problems == ["RELEASE_PROVISION_MISSING"]
}

test_a_ground_the_ggz_cannot_use_opens_nothing if {
	r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({"ground": "ambtsbericht"})})
	r.decision == "review"
	r.review.problems == ["RELEASE_GROUND_NOT_ALLOWED"]
}

test_refusal_by_the_behandelaar_denies if {
	r := decision.result with input as fixtures.ask_ggz({"review": fixtures.review({
		"decision": "refuse",
		"ground": null,
		"reden_code": "geen_grond",
	})})
	r.decision == "deny"
	r.fields == []
	fixtures.codes(r) == ["REVIEW_REFUSED"]
}

test_dry_run_ignores_consents_and_reviews if {
	r := decision.result with input as fixtures.ask_ggz({
		"dry_run": true,
		"consents": [fixtures.consent({})],
		"review": fixtures.review({}),
	})
	r.decision == "review"
	r.fields == []
	r.consent_ids == []
	r.grounds == ["toestemming", "conflict_van_plichten", "wettelijk_voorschrift"]
	fixtures.codes(r) == ["BG_REVIEW_BY_HOLDER", "DRY_RUN"]

	# The same dry run without consent and review gives the same answer.
	r == decision.result with input as fixtures.ask_ggz({"dry_run": true})
}

test_dry_run_still_applies_need_to_know if {
	r := decision.result with input as fixtures.ask_ggz({"dry_run": true, "requester": {"role": "teamleider"}})
	r.decision == "deny"
	fixtures.codes(r) == ["NTK_ROLE_MISMATCH", "DRY_RUN"]
}
