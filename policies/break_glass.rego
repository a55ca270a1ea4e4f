# METADATA
# title: Break-glass (rule 6)
# description: |
#   Purpose acuut_gevaar: an om officier or a politie teamleider, with a
#   non-blank justification, obtains the minimal fields of the non-medical
#   categories on the break-glass list, without membership. The case may be
#   absent (the broker opens an emergency case) or in any phase but gesloten.
#   Medical categories go to an urgent review by the holder (beroepsgeheim).
#   Every use carries the 72-hour privacy-officer review obligation.
# custom:
#   nl:
#     title: Doorbraak bij acuut gevaar (regel 6)
#     description: >-
#       Doel acuut_gevaar: een officier van het OM of een teamleider van de politie krijgt met
#       een niet-lege rechtvaardiging de minimale velden van de niet-medische categorieën op
#       de doorbraaklijst, ook zonder lidmaatschap van de casus. De casus mag ontbreken (de
#       broker opent dan een spoedcasus) of in elke fase behalve gesloten zijn. Medische
#       categorieën gaan naar een spoedbeoordeling door de houder (beroepsgeheim). Elke
#       doorbraak brengt de plicht mee dat een privacy officer haar binnen 72 uur toetst.
# schemas:
#   - input: schema.input
package schakel.break_glass

# METADATA
# title: Applies
# description: The purpose is the catalogue's break-glass purpose.
# custom:
#   nl:
#     title: Van toepassing
#     description: >-
#       Het doel is het doorbraakdoel van de catalogus.
default applies := false

applies if input.purpose == data.catalogue.break_glass.purpose

# METADATA
# title: Violations
# description: Reason codes of the first failing stage; empty when break-glass may be used.
# custom:
#   nl:
#     title: Overtredingen
#     description: >-
#       Redencodes van de eerste stap die niet slaagt; leeg als doorbraak mag.
violations := _who if count(_who) > 0

else := _case_state if count(_case_state) > 0

else := _category

_who contains "BREAK_GLASS_ROLE_NOT_ALLOWED" if not _requester_allowed

_who contains "BREAK_GLASS_NO_JUSTIFICATION" if not _justified

_case_state contains "BREAK_GLASS_CASE_CLOSED" if {
	input.case != null
	not _case_usable
}

_case_state contains "NTK_SUBJECT_MISMATCH" if {
	input.case != null
	input.case.subject_pseudonym != input.subject.pseudonym
}

_category contains "BREAK_GLASS_CATEGORY_NOT_ALLOWED" if {
	not medical
	not input.category in data.catalogue.break_glass.categories
}

_requester_allowed if {
	some allowed in data.catalogue.break_glass.requesters
	allowed.kind == input.requester.kind
	allowed.role == input.requester.role
}

_justified if trim_space(input.justification) != ""

_case_usable if {
	input.case.status == "open"
	data.catalogue.phases[input.case.phase].break_glass_allowed == true
}

# METADATA
# title: Medical
# description: The category is medical; break-glass then only queues an urgent review.
# custom:
#   nl:
#     title: Medisch
#     description: >-
#       De categorie is medisch; een doorbraak zet dan alleen een spoedbeoordeling klaar.
medical if data.catalogue.categories[input.category].sensitivity == "medisch"

# METADATA
# title: Obligations
# description: Follow-up duties of every break-glass use (privacy-officer review; takeover of an emergency case).
# custom:
#   nl:
#     title: Verplichtingen
#     description: >-
#       Wat na elke doorbraak moet gebeuren (toetsing door een privacy officer; overname van
#       een spoedcasus).
obligations := array.concat(data.catalogue.break_glass.obligations, data.catalogue.break_glass.obligations_without_case) if {
	applies
	input.case == null
} else := data.catalogue.break_glass.obligations if applies

else := []
