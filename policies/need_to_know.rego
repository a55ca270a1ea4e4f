# METADATA
# title: Need-to-know (rule 1)
# description: |
#   Every category: the requesting partner is a member of the case and the
#   user's token role is its membership role; the case is open; the person is
#   the case's subject; the purpose is allowed in the case's phase; and
#   (requester kind, purpose, category) is a cell of the matrix.
#   Checks are staged so that a partner outside the case learns nothing about
#   the case's state: membership first, then the case, then purpose and matrix.
# custom:
#   nl:
#     title: Need-to-know (regel 1)
#     description: >-
#       Voor elke categorie: de vragende partner is lid van de casus en de rol in het
#       gebruikerstoken is zijn rol in de casus; de casus is open; de persoon is de betrokkene
#       van de casus; het doel is toegestaan in de fase van de casus; en (soort aanvrager,
#       doel, categorie) is een cel van de matrix. De controles lopen in stappen, zodat een
#       partner buiten de casus niets over de stand van de casus te weten komt: eerst
#       lidmaatschap, dan de casus, dan doel en matrix.
# schemas:
#   - input: schema.input
package schakel.need_to_know

# METADATA
# title: Violations
# description: Reason codes of the first failing stage; empty when need-to-know holds.
# custom:
#   nl:
#     title: Overtredingen
#     description: >-
#       Redencodes van de eerste stap die niet slaagt; leeg als need-to-know geldt.
violations := {"NTK_NO_CASE"} if not is_object(input.case)

else := {"NTK_NOT_MEMBER"} if not is_member

else := _case_state if count(_case_state) > 0

else := _purpose

_case_state contains "NTK_CASE_CLOSED" if not case_open

_case_state contains "NTK_SUBJECT_MISMATCH" if not subject_matches

_case_state contains "NTK_ROLE_MISMATCH" if not member_in_role

_purpose contains "NTK_PURPOSE_NOT_IN_PHASE" if not purpose_allowed_in_phase

_purpose contains "NTK_NOT_IN_MATRIX" if not in_matrix

# METADATA
# title: Is member
# description: The requesting partner is a member of the case (in any role).
# custom:
#   nl:
#     title: Is lid
#     description: >-
#       De vragende partner is lid van de casus (in welke rol ook).
is_member if count(_memberships) > 0

# METADATA
# title: Member in role
# description: The user's token role is a role in which the requesting partner is a member.
# custom:
#   nl:
#     title: Lid in deze rol
#     description: >-
#       De rol in het gebruikerstoken is een rol waarin de vragende partner lid is.
member_in_role if {
	some member in _memberships
	member.role == input.requester.role
}

# The requesting partner's entries in the case's member list (one pass over the members).
_memberships := [member | some member in input.case.members; member.partner_id == input.requester.partner_id]

# METADATA
# title: Case open
# description: The case's status is open and its phase is not gesloten.
# custom:
#   nl:
#     title: Casus open
#     description: >-
#       De casus is open en niet in de fase gesloten.
case_open if {
	input.case.status == "open"
	input.case.phase != "gesloten"
}

# METADATA
# title: Subject matches
# description: The person asked about is the case's subject.
# custom:
#   nl:
#     title: Juiste persoon
#     description: >-
#       De gevraagde persoon is de betrokkene van de casus.
subject_matches if input.case.subject_pseudonym == input.subject.pseudonym

# METADATA
# title: Purpose allowed in phase
# description: The catalogue's phase table allows the purpose in the case's phase.
# custom:
#   nl:
#     title: Doel past bij de fase
#     description: >-
#       De fasetabel van de catalogus staat het doel toe in de fase van de casus.
purpose_allowed_in_phase if input.purpose in data.catalogue.phases[input.case.phase].purposes

# METADATA
# title: In matrix
# description: (requester kind, purpose, category) is a cell of the catalogue's matrix.
# custom:
#   nl:
#     title: In de matrix
#     description: >-
#       (soort aanvrager, doel, categorie) is een cel van de matrix in de catalogus.
in_matrix if input.category in data.catalogue.matrix[input.requester.kind][input.purpose]
