# METADATA
# title: Review tests
# description: A review decision counts only for this request, by the holder, in its reviewing role.
package schakel.review_test

import data.schakel.fixtures
import data.schakel.review

test_review_by_the_holder_for_this_request_applies if {
	review.applies with input as fixtures.ask_ggz({"review": fixtures.review({})})
	review.released_on("conflict_van_plichten") with input as fixtures.ask_ggz({"review": fixtures.review({})})
}

test_review_for_another_request_does_not_apply if {
	not review.applies with input as fixtures.ask_ggz({"review": fixtures.review({"request_id": "req-9"})})
}

test_no_review_does_not_apply if {
	not review.applies with input as fixtures.ggz_question
}

test_review_in_a_dry_run_does_not_apply if {
	not review.applies with input as fixtures.ask_ggz({"dry_run": true, "review": fixtures.review({})})
}

test_refusal if {
	review.refused with input as fixtures.ask_ggz({"review": fixtures.review({"decision": "refuse"})})
	not review.refused with input as fixtures.ask_ggz({"review": fixtures.review({})})
}
