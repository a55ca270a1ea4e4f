# METADATA
# title: Minimisation (rule 7)
# description: |
#   A permit names its fields, and they are always a subset of the category's
#   fields in the catalogue. Grounds that default to "minimal" (break-glass,
#   conflict of duties, statutory provision) open only the category's minimal
#   fields unless the professional selects others.
# custom:
#   nl:
#     title: Dataminimalisatie (regel 7)
#     description: >-
#       Een verstrekking noemt haar velden, en die zijn altijd een deel van de velden van de
#       categorie in de catalogus. Gronden die standaard minimaal verstrekken (doorbraak,
#       conflict van plichten, wettelijk voorschrift) geven alleen de minimale velden van de
#       categorie vrij, tenzij de beroepsbeoefenaar andere velden kiest.
# schemas:
#   - input: schema.input
package schakel.minimisation

# METADATA
# title: Category fields
# description: All fields of a category, in catalogue order; empty for an unknown category.
# custom:
#   nl:
#     title: Velden van de categorie
#     description: >-
#       Alle velden van een categorie, in de volgorde van de catalogus; leeg voor een
#       onbekende categorie.
category_fields(category) := object.get(data.catalogue.categories, [category, "fields"], [])

# METADATA
# title: Minimal fields
# description: The fields a break-glass permit or a default conflict-of-duties release opens.
# custom:
#   nl:
#     title: Minimale velden
#     description: >-
#       De velden die een doorbraak of een standaardvrijgave bij conflict van plichten
#       vrijgeeft.
minimal_fields(category) := object.get(data.catalogue.categories, [category, "minimal_fields"], [])

# METADATA
# title: Fields to release
# description: |
#   The selected fields intersected with the category's fields (catalogue order);
#   when nothing was selected (null), the default: "all" or "minimal".
# custom:
#   nl:
#     title: Vrij te geven velden
#     description: >-
#       De gekozen velden voor zover ze bij de categorie horen (volgorde van de catalogus);
#       als niets is gekozen, de standaard: alle of de minimale velden.
release_fields(category, selected, _) := _intersect(category_fields(category), selected) if is_array(selected)

release_fields(category, null, "all") := category_fields(category)

release_fields(category, null, "minimal") := minimal_fields(category)

_intersect(allowed, selected) := [field | some field in allowed; field in selected]
