# METADATA
# title: Scenario table
# description: |
#   Runs policies/scenarios.json (loaded as data.scenarios) through the
#   decision. The broker's vitest suite runs the same table through the
#   compiled wasm bundle, so what the broker loads is what was tested here.
#   Every permit scenario must have a deny or review twin (twin_of).
package schakel.scenarios_test

import data.schakel.decision

# METADATA
# title: Failures
# description: Names of scenarios whose result does not match their expectation.
failures contains scenario.name if {
	some scenario in data.scenarios
	r := decision.result with input as scenario.input
	_actual(r, scenario.expect) != scenario.expect
	print("scenario failed:", scenario.name, "expected", scenario.expect, "got", _actual(r, scenario.expect))
}

_actual(r, expect) := {key: _value(r, key) | some key, _ in expect}

_value(r, "reason_codes") := [reason.code | some reason in r.reasons]

_value(r, "urgent") := r.review.urgent

_value(r, key) := r[key] if not key in {"reason_codes", "urgent"}

test_every_scenario_matches if {
	count(data.scenarios) >= 40
	count(failures) == 0
}

test_scenario_names_are_unique if {
	count({s.name | some s in data.scenarios}) == count(data.scenarios)
}

test_every_permit_has_a_twin_that_is_not_a_permit if {
	every s in data.scenarios {
		_twinned(s)
	}
}

test_twins_name_an_existing_scenario if {
	names := {s.name | some s in data.scenarios}
	every s in data.scenarios {
		object.get(s, "twin_of", s.name) in names
	}
}

test_every_rule_has_scenarios if {
	rules := {s.rule | some s in data.scenarios}
	every rule in ["need_to_know", "beroepsgeheim", "consent", "intelligence", "protective_security", "break_glass", "minimisation", "dry_run"] {
		rule in rules
	}
}

_twinned(s) if s.expect.decision != "permit"

_twinned(s) if {
	some twin in data.scenarios
	twin.twin_of == s.name
	twin.expect.decision != "permit"
}
