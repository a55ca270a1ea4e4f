# METADATA
# title: Intelligence (rule 4)
# description: |
#   aivd.signaal is answered by the AIVD's own system through its adapter, only
#   to politie, only for the listed purposes. aivd.ambtsbericht leaves only by
#   an AIVD analist's review decision on ground "ambtsbericht", only to OM or
#   politie, only for melding_beoordeling or risicotaxatie (Wiv 2017 art. 66,
#   68). Every request touching the AIVD, as holder or requester, is
#   confidential. A refusal here uses the same generic code as the matrix, so
#   that a denial never reveals that the AIVD is involved.
# custom:
#   nl:
#     title: Inlichtingen (regel 4)
#     description: >-
#       aivd.signaal wordt beantwoord door het eigen systeem van de AIVD via zijn adapter,
#       alleen aan de politie en alleen voor de genoemde doelen. aivd.ambtsbericht gaat alleen
#       naar buiten door een beoordelingsbeslissing van een analist van de AIVD op grond van
#       een ambtsbericht, alleen aan OM of politie, alleen voor melding_beoordeling of
#       risicotaxatie (Wiv 2017 art. 66 en 68). Elk verzoek waarbij de AIVD houder of
#       aanvrager is, is vertrouwelijk. Een weigering gebruikt hier dezelfde algemene code als
#       de matrix, zodat een weigering nooit verraadt dat de AIVD betrokken is.
# schemas:
#   - input: schema.input
package schakel.intelligence

import data.schakel.minimisation
import data.schakel.review

# METADATA
# title: Confidential
# description: The request touches the AIVD as holder or requester.
# custom:
#   nl:
#     title: Vertrouwelijk
#     description: >-
#       De AIVD is houder of aanvrager bij dit verzoek.
default confidential := false

confidential if input.requester.kind == "aivd"

confidential if input.holder.kind == "aivd"

confidential if data.catalogue.categories[input.category].holder_kind == "aivd"

# METADATA
# title: Violations
# description: Generic matrix code when the recipient kind or purpose is outside the intelligence limits.
# custom:
#   nl:
#     title: Overtredingen
#     description: >-
#       De algemene matrixcode als de soort ontvanger of het doel buiten de grenzen voor
#       inlichtingen valt.
violations contains "NTK_NOT_IN_MATRIX" if {
	rule := data.catalogue.intelligence[input.category]
	not input.requester.kind in rule.recipients
}

violations contains "NTK_NOT_IN_MATRIX" if {
	rule := data.catalogue.intelligence[input.category]
	not input.purpose in rule.purposes
}

# METADATA
# title: Review only
# description: The category leaves only by the AIVD's review decision (aivd.ambtsbericht).
# custom:
#   nl:
#     title: Alleen na beoordeling
#     description: >-
#       De categorie gaat alleen naar buiten door een beoordelingsbeslissing van de AIVD
#       (aivd.ambtsbericht).
review_only if data.catalogue.intelligence[input.category].review_ground

# METADATA
# title: Answered by adapter
# description: The AIVD's adapter answers, and its answer is the AIVD's decision (aivd.signaal).
# custom:
#   nl:
#     title: Beantwoord door de adapter
#     description: >-
#       De adapter van de AIVD antwoordt, en dat antwoord is de beslissing van de AIVD
#       (aivd.signaal).
answered_by_adapter if data.catalogue.intelligence[input.category].answered_by_adapter == true

# METADATA
# title: Grounds
# description: The grounds on which the AIVD could release (what a dry run reports).
# custom:
#   nl:
#     title: Gronden
#     description: >-
#       De gronden waarop de AIVD zou kunnen vrijgeven (wat een proefbeslissing meldt).
grounds := [data.catalogue.intelligence[input.category].review_ground] if review_only

# METADATA
# title: Outcome
# description: The decision for a review-only category once need-to-know holds.
# custom:
#   nl:
#     title: Uitkomst
#     description: >-
#       De beslissing voor een categorie die alleen na beoordeling vrijkomt, zodra need-to-
#       know geldt.
outcome := {
	"decision": "deny",
	"fields": [],
	"legal_basis": null,
	"reason_codes": ["REVIEW_REFUSED"],
	"review": null,
	"consent_ids": [],
} if review.refused

else := {
	"decision": "permit",
	"fields": _release_fields,
	"legal_basis": data.catalogue.legal_basis_by_holder[input.holder.kind][input.requester.kind],
	"reason_codes": ["PERMIT_AMBTSBERICHT"],
	"review": null,
	"consent_ids": [],
} if {
	review.released_on(_rule.review_ground)
	count(_release_fields) > 0
}

else := {
	"decision": "review",
	"fields": [],
	"legal_basis": null,
	"reason_codes": ["INTEL_REVIEW_REQUIRED"],
	"review": review.reviewer(false, _rule.review_ground, [], _problems),
	"consent_ids": [],
} if {
	review_only
}

_rule := data.catalogue.intelligence[input.category]

_release_fields := minimisation.release_fields(input.category, input.review.fields, _rule.default_fields)

_problems := ["RELEASE_NO_FIELDS"] if {
	review.released_on(_rule.review_ground)
	count(_release_fields) == 0
} else := ["RELEASE_GROUND_NOT_ALLOWED"] if {
	review.applies
	input.review.decision == "release"
} else := []
