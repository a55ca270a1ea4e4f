# METADATA
# title: Beroepsgeheim (rule 2)
# description: |
#   Medical categories (sensitivity medisch, including the mere fact of being
#   in GGZ care). The broker never breaks medical secrecy itself: only a ground
#   the holder established releases data.
#   - consent recorded by the holder: permit with the category's fields, except
#     for categories marked consent_gives_review (ggz.risicosamenvatting), which
#     go to a review with consent as its ground;
#   - the holder's professional's decision for this very request: conflict of
#     duties (consent not the way, and all five conditions true; default the
#     minimal fields), statutory provision (a provision recorded; default the
#     minimal fields), or consent (still valid; default all fields);
#   - otherwise: review, queued to the holder's behandelaar, never permit.
#   The requester-facing reason of a review is the same with and without
#   consent, so a review never tells the requester that a consent exists.
# custom:
#   nl:
#     title: Beroepsgeheim (regel 2)
#     description: >-
#       Medische categorieën (gevoeligheid medisch, ook het enkele feit dat iemand in GGZ-zorg
#       is). De broker doorbreekt het medisch beroepsgeheim nooit zelf: alleen een grond die
#       de houder heeft vastgesteld geeft gegevens vrij. Toestemming die de houder heeft
#       vastgelegd: verstrekken met de velden van de categorie, behalve bij categorieën met
#       consent_gives_review (ggz.risicosamenvatting), die met toestemming als grond naar een
#       beoordeling gaan. Een beslissing van de beroepsbeoefenaar van de houder over precies
#       dit verzoek: conflict van plichten (toestemming is niet de weg en alle vijf
#       voorwaarden gelden; standaard de minimale velden), wettelijk voorschrift (een
#       vastgelegd voorschrift; standaard de minimale velden) of toestemming (nog geldig;
#       standaard alle velden). Anders: een beoordeling bij de behandelaar van de houder,
#       nooit verstrekken. De reden die de aanvrager bij een beoordeling ziet is met en zonder
#       toestemming gelijk, zodat een beoordeling nooit verraadt dat er toestemming is.
# schemas:
#   - input: schema.input
package schakel.beroepsgeheim

import data.schakel.break_glass
import data.schakel.consent
import data.schakel.minimisation
import data.schakel.review

# METADATA
# title: Applies
# description: The category is medical.
# custom:
#   nl:
#     title: Van toepassing
#     description: >-
#       De categorie is medisch.
applies if data.catalogue.categories[input.category].sensitivity == "medisch"

# METADATA
# title: Grounds
# description: The grounds on which the holder could release (what a dry run reports).
# custom:
#   nl:
#     title: Gronden
#     description: >-
#       De gronden waarop de houder zou kunnen vrijgeven (wat een proefbeslissing meldt).
grounds := data.catalogue.reviewers.ggz.grounds

# METADATA
# title: Outcome
# description: The decision once need-to-know or break-glass holds.
# custom:
#   nl:
#     title: Uitkomst
#     description: >-
#       De beslissing zodra need-to-know of doorbraak geldt.
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
	"legal_basis": data.catalogue.medical_grounds[input.review.ground].legal_basis,
	"reason_codes": [_permit_code[input.review.ground]],
	"review": null,
	"consent_ids": _release_consent_ids,
} if {
	_releasing
	count(_release_problems) == 0
}

else := {
	"decision": "permit",
	"fields": minimisation.category_fields(input.category),
	"legal_basis": data.catalogue.medical_grounds.toestemming.legal_basis,
	"reason_codes": ["PERMIT_CONSENT"],
	"review": null,
	"consent_ids": consent.valid_ids,
} if {
	consent.has_valid
	not _consent_gives_review
}

else := {
	"decision": "review",
	"fields": [],
	"legal_basis": null,
	"reason_codes": [_review_code],
	"review": review.reviewer(break_glass.applies, _ground_hint, _basis_consent_ids, sort(_release_problems)),
	"consent_ids": [],
}

_permit_code := {
	"toestemming": "PERMIT_CONSENT",
	"conflict_van_plichten": "PERMIT_CONFLICT_VAN_PLICHTEN",
	"wettelijk_voorschrift": "PERMIT_WETTELIJK_VOORSCHRIFT",
}

_review_code := "BG_URGENT_REVIEW" if break_glass.applies

else := "BG_REVIEW_BY_HOLDER"

_consent_gives_review if data.catalogue.categories[input.category].consent_gives_review == true

_ground_hint := "toestemming" if {
	consent.has_valid
	_consent_gives_review
} else := null

# Withdrawing this consent cancels the review: the broker uses these ids.
_basis_consent_ids := consent.valid_ids if _ground_hint == "toestemming"

else := []

_release_consent_ids := consent.valid_ids if input.review.ground == "toestemming"

else := []

_ground := object.get(data.catalogue.medical_grounds, [input.review.ground], null) if review.applies

_release_fields := minimisation.release_fields(input.category, input.review.fields, _ground.default_fields)

_releasing if {
	review.applies
	input.review.decision == "release"
}

# Why a release by the holder's professional does not (yet) open data. The
# review stays pending and these codes go back to the professional, never to
# the requester.
_release_problems contains "RELEASE_GROUND_NOT_ALLOWED" if {
	_releasing
	_ground == null
}

_release_problems contains "RELEASE_CONSENT_NOT_VALID" if {
	review.released_on("toestemming")
	not consent.has_valid
}

_release_problems contains "RELEASE_CONDITIONS_NOT_MET" if {
	review.released_on("conflict_van_plichten")
	not _conflict_van_plichten_holds
}

_release_problems contains "RELEASE_PROVISION_MISSING" if {
	review.released_on("wettelijk_voorschrift")
	not _provision_recorded
}

_release_problems contains "RELEASE_NO_FIELDS" if {
	_releasing
	_ground != null
	count(_release_fields) == 0
}

# Conflict of duties (noodtoestand, art. 40 Sr): consent was not the way, and
# each of the five conditions holds. Consulting a colleague is recorded, not required.
_conflict_van_plichten_holds if {
	rule := data.catalogue.medical_grounds.conflict_van_plichten
	input.review.considerations.toestemming in rule.consent_not_the_way
	every condition in rule.required_conditions {
		input.review.considerations[condition] == true
	}
}

_provision_recorded if trim_space(input.review.provision) != ""
