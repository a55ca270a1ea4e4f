# METADATA
# title: Protective security (rule 5)
# description: |
#   dkdb.beveiligingsmaatregelen (security measures) only to politie, KMar and
#   DKDB, and only for the purpose beveiliging, whatever the matrix says.
# custom:
#   nl:
#     title: Beveiliging (regel 5)
#     description: >-
#       dkdb.beveiligingsmaatregelen (beveiligingsmaatregelen) alleen aan politie, KMar en
#       DKDB, en alleen voor het doel beveiliging, wat de matrix ook zegt.
# schemas:
#   - input: schema.input
package schakel.protective_security

# METADATA
# title: Violations
# description: PS_NOT_ALLOWED when the recipient kind or the purpose is outside the limits.
# custom:
#   nl:
#     title: Overtredingen
#     description: >-
#       PS_NOT_ALLOWED als de soort ontvanger of het doel buiten de grenzen valt.
violations contains "PS_NOT_ALLOWED" if {
	rule := data.catalogue.protective_security[input.category]
	not input.requester.kind in rule.recipients
}

violations contains "PS_NOT_ALLOWED" if {
	rule := data.catalogue.protective_security[input.category]
	not input.purpose in rule.purposes
}
