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
# schemas:
#   - input: schema.input
package schakel.intelligence

import data.schakel.minimisation
import data.schakel.review

# METADATA
# title: Confidential
# description: The request touches the AIVD as holder or requester.
default confidential := false

confidential if input.requester.kind == "aivd"

confidential if input.holder.kind == "aivd"

confidential if data.catalogue.categories[input.category].holder_kind == "aivd"

# METADATA
# title: Violations
# description: Generic matrix code when the recipient kind or purpose is outside the intelligence limits.
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
review_only if data.catalogue.intelligence[input.category].review_ground

# METADATA
# title: Answered by adapter
# description: The AIVD's adapter answers, and its answer is the AIVD's decision (aivd.signaal).
answered_by_adapter if data.catalogue.intelligence[input.category].answered_by_adapter == true

# METADATA
# title: Grounds
# description: The grounds on which the AIVD could release (what a dry run reports).
grounds := [data.catalogue.intelligence[input.category].review_ground] if review_only

# METADATA
# title: Outcome
# description: The decision for a review-only category once need-to-know holds.
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
