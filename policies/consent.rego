# METADATA
# title: Consent (rule 3)
# description: |
#   A consent counts only when the holder recorded it and it covers this
#   recipient (partner id or kind), this purpose and this category, is not
#   withdrawn and is within its period (now in [valid_from_ms, valid_until_ms)).
#   Withdrawal stops every later disclosure at once. A dry run ignores consents.
# schemas:
#   - input: schema.input
package schakel.consent

# METADATA
# title: Valid consent ids
# description: Ids of the consents that cover this request (sorted).
valid_ids := sort([c.id | some c in input.consents; _covers(c)]) if not input.dry_run

else := []

# METADATA
# title: Has valid consent
# description: At least one consent recorded by the holder covers this request.
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
