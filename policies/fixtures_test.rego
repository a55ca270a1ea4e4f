# METADATA
# title: Test fixtures
# description: |
#   Shared facts for the Rego tests: a politie analist in an open case in phase
#   informatie, the demo partners, consents and review decisions. Each test
#   changes one fact with object.union, so permit cases and their deny twins
#   differ visibly.
package schakel.fixtures

# 2026-01-01T00:00:00Z in epoch milliseconds.
now := 1767225600000

day := 86400000

politie := {"partner_id": "demo-politie", "kind": "politie", "national": true, "role": "analist", "user": "u-politie"}

om := {"partner_id": "demo-om", "kind": "om", "national": false, "role": "officier", "user": "u-om"}

ggz := {"partner_id": "demo-ggz", "kind": "ggz", "national": false, "role": "behandelaar", "user": "u-ggz"}

kmar := {"partner_id": "demo-kmar", "kind": "kmar", "national": false, "role": "analist", "user": "u-kmar"}

dkdb := {"partner_id": "demo-dkdb", "kind": "dkdb", "national": false, "role": "beveiligingscoordinator", "user": "u-dkdb"}

aivd := {"partner_id": "demo-aivd", "kind": "aivd", "national": false, "role": "analist", "user": "u-aivd"}

veiligheidshuis := {"partner_id": "demo-veiligheidshuis", "kind": "veiligheidshuis", "national": false, "role": "procesregisseur", "user": "u-vh"}

holder(partner) := {"partner_id": partner.partner_id, "kind": partner.kind}

members := [
	{"partner_id": "demo-politie", "role": "analist"},
	{"partner_id": "demo-om", "role": "officier"},
	{"partner_id": "demo-ggz", "role": "behandelaar"},
	{"partner_id": "demo-kmar", "role": "analist"},
	{"partner_id": "demo-dkdb", "role": "beveiligingscoordinator"},
	{"partner_id": "demo-aivd", "role": "analist"},
	{"partner_id": "demo-veiligheidshuis", "role": "procesregisseur"},
]

case_in(phase) := {
	"id": "case-1",
	"status": "open",
	"phase": phase,
	"subject_pseudonym": "pseudo-1",
	"lead_partner": "demo-politie",
	"emergency": false,
	"members": members,
}

# A politie analist asks the politie for registrations, for a risk assessment,
# in a case in phase informatie: need-to-know holds.
base := {
	"now_ms": now,
	"request_id": "req-1",
	"requester": politie,
	"holder": holder(politie),
	"subject": {"pseudonym": "pseudo-1"},
	"case": case_in("informatie"),
	"purpose": "risicotaxatie",
	"category": "politie.registraties",
	"justification": null,
	"consents": [],
	"review": null,
	"dry_run": false,
}

# The same question put to the GGZ for ggz.bekend.
ggz_question := object.union(base, {"holder": holder(ggz), "category": "ggz.bekend"})

ask(overrides) := object.union(base, overrides)

ask_ggz(overrides) := object.union(ggz_question, overrides)

# A consent recorded by demo-ggz, for politie, risicotaxatie, ggz.bekend, valid now.
consent(overrides) := object.union(
	{
		"id": "consent-1",
		"holder_partner_id": "demo-ggz",
		"recipients": ["politie"],
		"purposes": ["risicotaxatie"],
		"categories": ["ggz.bekend"],
		"valid_from_ms": now - day,
		"valid_until_ms": now + (30 * day),
		"withdrawn": false,
	},
	overrides,
)

# The five conditions hold, consent was refused, no colleague consulted.
considerations := {
	"toestemming": "geweigerd",
	"gewetensnood": true,
	"subsidiariteit": true,
	"schade": true,
	"doelmatigheid": true,
	"proportionaliteit": true,
	"collega_geraadpleegd": false,
}

# The GGZ behandelaar's decision on req-1.
review(overrides) := object.union(
	{
		"request_id": "req-1",
		"reviewer_partner_id": "demo-ggz",
		"reviewer_role": "behandelaar",
		"decision": "release",
		"ground": "conflict_van_plichten",
		"fields": null,
		"considerations": considerations,
		"provision": null,
		"reden_code": null,
	},
	overrides,
)

# The AIVD analist's decision on req-1.
aivd_review(overrides) := object.union(
	review({
		"reviewer_partner_id": "demo-aivd",
		"reviewer_role": "analist",
		"ground": "ambtsbericht",
		"considerations": null,
	}),
	overrides,
)

codes(result) := [reason.code | some reason in result.reasons]
