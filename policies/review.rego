# METADATA
# title: Professional review decisions
# description: |
#   A review decision counts only when it was made for this very request, by the
#   holder itself, in the holder's reviewing role (GGZ behandelaar, AIVD analist).
#   A dry run never looks at review decisions.
# custom:
#   nl:
#     title: Beslissingen van beroepsbeoefenaren
#     description: >-
#       Een beoordelingsbeslissing telt alleen als zij voor precies dit verzoek is genomen,
#       door de houder zelf, in de beoordelende rol van de houder (behandelaar van de GGZ,
#       analist van de AIVD). Een proefbeslissing kijkt nooit naar beoordelingsbeslissingen.
# schemas:
#   - input: schema.input
package schakel.review

# METADATA
# title: Review applies
# description: True when input.review is the holder's professional's decision on this request.
# custom:
#   nl:
#     title: Beoordeling van toepassing
#     description: >-
#       Waar als input.review de beslissing van de beroepsbeoefenaar van de houder over dit
#       verzoek is.
applies if {
	not input.dry_run
	input.review != null
	input.review.request_id == input.request_id
	input.review.reviewer_partner_id == input.holder.partner_id
	input.review.reviewer_role == data.catalogue.reviewers[input.holder.kind].role
}

# METADATA
# title: Refused
# description: The holder's professional refused this request.
# custom:
#   nl:
#     title: Geweigerd
#     description: >-
#       De beroepsbeoefenaar van de houder heeft dit verzoek geweigerd.
refused if {
	applies
	input.review.decision == "refuse"
}

# METADATA
# title: Released on a ground
# description: The holder's professional released this request on the given ground.
# custom:
#   nl:
#     title: Vrijgegeven op een grond
#     description: >-
#       De beroepsbeoefenaar van de houder heeft dit verzoek op de genoemde grond vrijgegeven.
released_on(ground) if {
	applies
	input.review.decision == "release"
	input.review.ground == ground
}

# METADATA
# title: Reviewer
# description: Who reviews requests to this holder, as the review object of a decision.
# custom:
#   nl:
#     title: Beoordelaar
#     description: >-
#       Wie verzoeken aan deze houder beoordeelt, als beoordelingsobject van een beslissing.
reviewer(urgent, ground_hint, basis_consent_ids, problems) := {
	"reviewer_kind": input.holder.kind,
	"reviewer_partner_id": input.holder.partner_id,
	"reviewer_role": data.catalogue.reviewers[input.holder.kind].role,
	"ground_hint": ground_hint,
	"urgent": urgent,
	"basis_consent_ids": basis_consent_ids,
	"problems": problems,
}
