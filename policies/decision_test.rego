# METADATA
# title: Decision tests
# description: The entrypoint's contract, deny by default with a reason, input validity, reason texts and the shape of every result.
package schakel.decision_test

import data.schakel.decision
import data.schakel.fixtures

test_unknown_category_is_denied if {
	r := decision.result with input as fixtures.ask({"category": "politie.alles"})
	r.decision == "deny"
	fixtures.codes(r) == ["INPUT_UNKNOWN_CATEGORY"]
}

test_unknown_purpose_is_denied if {
	r := decision.result with input as fixtures.ask({"purpose": "nieuwsgierigheid"})
	r.decision == "deny"
	fixtures.codes(r) == ["INPUT_UNKNOWN_PURPOSE"]
}

test_category_asked_of_the_wrong_kind_of_holder_is_denied if {
	r := decision.result with input as fixtures.ask({"category": "om.strafzaken"})
	r.decision == "deny"
	fixtures.codes(r) == ["INPUT_HOLDER_MISMATCH"]
}

test_role_unknown_for_the_partner_kind_is_denied if {
	r := decision.result with input as fixtures.ask({"requester": {"role": "privacy_officer"}})
	r.decision == "deny"
	fixtures.codes(r) == ["INPUT_ROLE_UNKNOWN"]
}

test_missing_legal_basis_denies if {
	r := decision.result with input as fixtures.base with data.catalogue.legal_basis_by_holder.politie as {"om": "wpg_16"}
	r.decision == "deny"
	fixtures.codes(r) == ["LEGAL_BASIS_MISSING"]
}

test_legal_basis_is_data if {
	r := decision.result with input as fixtures.base with data.catalogue.legal_basis_by_holder.politie.politie as "wpg_19"
	r.legal_basis == "wpg_19"
	some reason in r.reasons
	reason.code == "LEGAL_BASIS"
	contains(reason.nl, "art. 19")
}

test_a_permit_without_fields_is_no_permit if {
	# A break-glass category whose minimal fields a privacy officer emptied opens nothing.
	q := fixtures.ask({
		"requester": object.union(fixtures.politie, {"role": "teamleider"}),
		"purpose": "acuut_gevaar",
		"category": "politie.wapenvergunning",
		"justification": "Acuut gevaar voor een beveiligd persoon.",
	})
	permitted := decision.result with input as q
	permitted.decision == "permit"

	r := decision.result with input as q with data.catalogue.categories["politie.wapenvergunning"].minimal_fields as []
	r.decision == "deny"
	fixtures.codes(r) == ["NO_RULE_PERMITS"]
}

test_reason_without_text_falls_back_to_the_generic_text if {
	r := decision.result with input as fixtures.ask({"case": null}) with data.catalogue.reasons.NTK_NO_CASE as null
	r.reasons == [{
		"code": "NTK_NO_CASE",
		"nl": data.catalogue.reasons.NO_RULE_PERMITS.nl,
		"en": data.catalogue.reasons.NO_RULE_PERMITS.en,
	}]
}

test_every_reason_has_dutch_and_english_text if {
	every code, text in data.catalogue.reasons {
		regex.match(`^[A-Z][A-Z0-9_]*$`, code)
		count(trim_space(text.nl)) > 0
		count(trim_space(text.en)) > 0
	}
}

test_every_legal_basis_in_use_is_in_the_catalogue if {
	every holder_kind, by_requester in data.catalogue.legal_basis_by_holder {
		every requester_kind, code in by_requester {
			data.catalogue.legal_bases[code].citation
			data.catalogue.categories[_].holder_kind == holder_kind
			data.catalogue.roles[requester_kind]
		}
	}
	every ground in data.catalogue.medical_grounds {
		data.catalogue.legal_bases[ground.legal_basis]
	}
	every code in data.catalogue.gdpr_basis_by_sensitivity {
		data.catalogue.legal_bases[code]
	}
}

test_matrix_names_only_known_kinds_purposes_and_categories if {
	every kind, cells in data.catalogue.matrix {
		data.catalogue.roles[kind]
		every purpose, categories in cells {
			data.catalogue.purposes[purpose]
			every category in categories {
				data.catalogue.categories[category]
			}
		}
	}
}

test_minimal_fields_are_category_fields if {
	every category in data.catalogue.categories {
		every field in category.minimal_fields {
			field in category.fields
		}
	}
}

test_every_result_has_the_same_shape if {
	keys := {
		"decision", "fields", "legal_basis", "gdpr_basis", "reasons", "review", "consent_ids",
		"grounds", "confidential", "obligations", "conditions", "dry_run",
	}
	every q in [fixtures.base, fixtures.ggz_question, fixtures.ask({"case": null})] {
		r := decision.result with input as q
		{k | some k, _ in r} == keys
		count(r.reasons) > 0
	}
}

test_permit_carries_onward_use_conditions if {
	r := decision.result with input as fixtures.base
	r.conditions == ["geen_verdere_verstrekking_buiten_casus", "bewaartermijn"]

	twin := decision.result with input as fixtures.ask({"case": null})
	twin.conditions == []
}

test_a_dry_run_permit_names_its_basis_as_ground if {
	r := decision.result with input as fixtures.ask({"dry_run": true})
	r.decision == "permit"
	r.grounds == ["wpg_15"]
	r.dry_run == true
}

test_malformed_input_is_denied_with_reasons if {
	r := decision.result with input as {}
	r.decision == "deny"
	fixtures.codes(r) == ["INPUT_MALFORMED", "INPUT_ROLE_UNKNOWN", "INPUT_UNKNOWN_CATEGORY", "INPUT_UNKNOWN_PURPOSE"]
	r.dry_run == false
}

test_each_missing_fact_denies if {
	every key in ["now_ms", "request_id", "requester", "holder", "subject", "case", "justification", "consents", "review", "dry_run"] {
		r := decision.result with input as object.remove(fixtures.base, [key])
		r.decision == "deny"
		"INPUT_MALFORMED" in fixtures.codes(r)
	}
}

test_wrongly_typed_facts_deny if {
	every change in [{"case": "case-1"}, {"review": "release"}, {"justification": 42}, {"dry_run": "yes"}] {
		r := decision.result with input as object.union(fixtures.base, change)
		r.decision == "deny"
	}
}
