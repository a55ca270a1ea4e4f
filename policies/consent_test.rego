# METADATA
# title: Consent tests
# description: Which consents cover a request.
package schakel.consent_test

import data.schakel.consent
import data.schakel.fixtures

test_only_covering_consents_count if {
	q := fixtures.ask_ggz({"consents": [
		fixtures.consent({"id": "c-ok"}),
		fixtures.consent({"id": "c-by-id", "recipients": ["demo-politie"]}),
		fixtures.consent({"id": "c-other-holder", "holder_partner_id": "demo-ggz-2"}),
		fixtures.consent({"id": "c-withdrawn", "withdrawn": true}),
		fixtures.consent({"id": "c-ended", "valid_until_ms": fixtures.now}),
	]})
	consent.valid_ids == ["c-by-id", "c-ok"] with input as q
	consent.has_valid with input as q
}

test_no_consent_is_no_consent if {
	consent.valid_ids == [] with input as fixtures.ggz_question
	not consent.has_valid with input as fixtures.ggz_question
}

test_dry_run_sees_no_consent if {
	q := fixtures.ask_ggz({"dry_run": true, "consents": [fixtures.consent({})]})
	consent.valid_ids == [] with input as q
}
