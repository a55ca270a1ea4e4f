# METADATA
# title: Disclosure decision
# description: |
#   The one entrypoint (schakel/decision/result). It answers one question: may
#   this requester obtain this category about this subject from this holder,
#   for this purpose, in this case? Deny unless a rule permits or queues a
#   review; every outcome carries reason codes with Dutch and English texts
#   from the catalogue, and a permit names its legal basis and fields.
# custom:
#   nl:
#     title: Verstrekkingsbeslissing
#     description: >-
#       Het enige beslispunt (schakel/decision/result). Het beantwoordt één vraag: mag deze
#       aanvrager deze categorie over deze persoon van deze houder krijgen, voor dit doel, in
#       deze casus? Weigeren, tenzij een regel verstrekken toestaat of een beoordeling
#       klaarzet; elke uitkomst heeft redencodes met Nederlandse en Engelse teksten uit de
#       catalogus, en een verstrekking noemt haar wettelijke grondslag en velden.
# schemas:
#   - input: schema.input
package schakel.decision

import data.schakel.beroepsgeheim
import data.schakel.break_glass
import data.schakel.intelligence
import data.schakel.minimisation
import data.schakel.need_to_know
import data.schakel.protective_security

# METADATA
# title: Result
# description: |
#   The decision object: decision (permit, deny, review), fields, legal_basis,
#   gdpr_basis, reasons [{code, nl, en}], review, consent_ids, grounds,
#   confidential, obligations, conditions and dry_run. See policies/README.md
#   and policies/schema/output/result.json.
# custom:
#   nl:
#     title: Resultaat
#     description: >-
#       Het beslisobject: beslissing (verstrekken, weigeren, beoordelen), velden, wettelijke
#       grondslag, AVG-grondslag, redenen, beoordeling, toestemmingen, gronden,
#       vertrouwelijkheid, verplichtingen, voorwaarden en proefbeslissing. Zie
#       policies/README.md.
# entrypoint: true
result := _deny(_violations) if count(_violations) > 0

else := _result(_outcome) if _usable(_outcome)

else := _deny({"NO_RULE_PERMITS"})

_violations := _input_violations if count(_input_violations) > 0

else := _route_violations if count(_route_violations) > 0

else := (intelligence.violations | protective_security.violations) | _legal_basis_violations

# NOTE: each check goes through a helper rule, because `not x[input.y]` is
# undefined (not true) when input.y is missing, and a missing fact must deny.
_input_violations contains "INPUT_MALFORMED" if not _well_formed

_input_violations contains "INPUT_UNKNOWN_CATEGORY" if not _known_category

_input_violations contains "INPUT_UNKNOWN_PURPOSE" if not _known_purpose

_input_violations contains "INPUT_HOLDER_MISMATCH" if {
	_known_category
	data.catalogue.categories[input.category].holder_kind != input.holder.kind
}

_input_violations contains "INPUT_ROLE_UNKNOWN" if not _known_role

_known_category if data.catalogue.categories[input.category]

_known_purpose if data.catalogue.purposes[input.purpose]

_known_role if input.requester.role in data.catalogue.roles[input.requester.kind]

# The shape the input schema describes, as far as the rules depend on it.
_well_formed if {
	is_number(input.now_ms)
	is_string(input.request_id)
	is_string(input.requester.partner_id)
	is_string(input.holder.partner_id)
	is_string(input.holder.kind)
	is_string(input.subject.pseudonym)
	_null_or_object(input.case)
	_null_or_string(input.justification)
	is_array(input.consents)
	_null_or_object(input.review)
	is_boolean(input.dry_run)
}

_null_or_object(x) if x == null

_null_or_object(x) if is_object(x)

_null_or_string(x) if x == null

_null_or_string(x) if is_string(x)

_route_violations := break_glass.violations if break_glass.applies

else := need_to_know.violations

_legal_basis_violations contains "LEGAL_BASIS_MISSING" if {
	not beroepsgeheim.applies
	not _legal_basis
}

# Non-medical disclosures rest on the basis recorded for (holder kind, requester kind).
_legal_basis := data.catalogue.legal_basis_by_holder[input.holder.kind][input.requester.kind]

_outcome := beroepsgeheim.outcome if beroepsgeheim.applies

else := intelligence.outcome if intelligence.review_only

else := _permit(minimisation.minimal_fields(input.category), "PERMIT_BREAK_GLASS") if break_glass.applies

else := _permit(minimisation.category_fields(input.category), "PERMIT_SIGNAAL") if intelligence.answered_by_adapter

else := _permit(minimisation.category_fields(input.category), "PERMIT_NEED_TO_KNOW")

_permit(fields, code) := {
	"decision": "permit",
	"fields": fields,
	"legal_basis": _legal_basis,
	"reason_codes": [code],
	"review": null,
	"consent_ids": [],
}

# A permit that opens no field is no permit (e.g. a category without minimal fields).
_usable(outcome) if outcome.decision != "permit"

_usable(outcome) if count(outcome.fields) > 0

_result(outcome) := {
	"decision": outcome.decision,
	"fields": outcome.fields,
	"legal_basis": outcome.legal_basis,
	"gdpr_basis": _gdpr_basis(outcome.decision),
	"reasons": array.concat(
		array.concat([_reason(code) | some code in outcome.reason_codes], _legal_basis_reason(outcome.legal_basis)),
		_dry_run_reasons,
	),
	"review": outcome.review,
	"consent_ids": outcome.consent_ids,
	"grounds": _grounds(outcome),
	"confidential": intelligence.confidential,
	"obligations": break_glass.obligations,
	"conditions": _conditions(outcome.decision),
	"dry_run": _dry_run,
}

_deny(codes) := {
	"decision": "deny",
	"fields": [],
	"legal_basis": null,
	"gdpr_basis": null,
	"reasons": array.concat([_reason(code) | some code in sort(codes)], _dry_run_reasons),
	"review": null,
	"consent_ids": [],
	"grounds": [],
	"confidential": intelligence.confidential,
	"obligations": [],
	"conditions": [],
	"dry_run": _dry_run,
}

_reason(code) := {"code": code, "nl": text.nl, "en": text.en} if {
	text := data.catalogue.reasons[code]
} else := {"code": code, "nl": data.catalogue.reasons.NO_RULE_PERMITS.nl, "en": data.catalogue.reasons.NO_RULE_PERMITS.en}

_legal_basis_reason(null) := []

_legal_basis_reason(code) := [{
	"code": "LEGAL_BASIS",
	"nl": concat("", [data.catalogue.reasons.LEGAL_BASIS.nl, basis.title_nl, " (", basis.citation, ")."]),
	"en": concat("", [data.catalogue.reasons.LEGAL_BASIS.en, basis.title_en, " (", basis.citation, ")."]),
}] if {
	code != null
	basis := data.catalogue.legal_bases[code]
}

# Malformed input (which the broker should never send) still yields a deny with reasons.
default _dry_run := false

_dry_run if input.dry_run == true

_dry_run_reasons := [_reason("DRY_RUN")] if _dry_run

else := []

_gdpr_basis("permit") := data.catalogue.gdpr_basis_by_sensitivity[data.catalogue.categories[input.category].sensitivity]

_gdpr_basis(decision) := null if decision != "permit"

# The grounds on which release rests (permit) or could rest (review).
_grounds(outcome) := [outcome.legal_basis] if outcome.decision == "permit"

else := beroepsgeheim.grounds if {
	outcome.decision == "review"
	beroepsgeheim.applies
}

else := intelligence.grounds if outcome.decision == "review"

else := []

# Onward use (rule 8): conditions travel with every disclosure in the receipt.
_conditions("permit") := array.concat(data.catalogue.disclosure_conditions["default"], data.catalogue.disclosure_conditions.aivd) if {
	input.holder.kind == "aivd"
} else := data.catalogue.disclosure_conditions["default"]

_conditions(decision) := [] if decision != "permit"
