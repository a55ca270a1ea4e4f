# METADATA
# title: Consent (rule 3)
# description: |
#   A consent counts only when the holder recorded it and it covers this
#   recipient (partner id or kind), this purpose and this category, is not
#   withdrawn and is within its period (now in [valid_from_ms, valid_until_ms)).
#   Withdrawal stops every later disclosure at once. A dry run ignores consents.
# custom:
#   nl:
#     title: Toestemming (regel 3)
#     description: >-
#       Een toestemming telt alleen als de houder haar heeft vastgelegd en zij deze ontvanger
#       (partner of soort partner), dit doel en deze categorie dekt, niet is ingetrokken en
#       binnen haar looptijd valt. Intrekken stopt elke latere verstrekking direct. Een
#       proefbeslissing kijkt niet naar toestemmingen.
# schemas:
#   - input: schema.input
package schakel.consent

# METADATA
# title: Valid consent ids
# description: Ids of the consents that cover this request (sorted).
# custom:
#   nl:
#     title: Geldige toestemmingen
#     description: >-
#       De toestemmingen die dit verzoek dekken (gesorteerd).
valid_ids := sort([c.id | some c in input.consents; _covers(c)]) if not input.dry_run

else := []

# METADATA
# title: Has valid consent
# description: At least one consent recorded by the holder covers this request.
# custom:
#   nl:
#     title: Heeft geldige toestemming
#     description: >-
#       Ten minste één door de houder vastgelegde toestemming dekt dit verzoek.
has_valid if count(valid_ids) > 0

_covers(c) if {
	c.holder_partner_id == input.holder.partner_id
	_covers_recipient(c)
	input.purpose in c.purposes
	input.category in c.categories
	c.withdrawn == false
	c.valid_from_ms <= input.now_ms
	input.now_ms < c.valid_until_ms
}

_covers_recipient(c) if input.requester.partner_id in c.recipients

_covers_recipient(c) if input.requester.kind in c.recipients
