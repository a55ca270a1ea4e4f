# METADATA
# title: Minimisation (rule 7)
# description: |
#   A permit names its fields, and they are always a subset of the category's
#   fields in the catalogue. Grounds that default to "minimal" (break-glass,
#   conflict of duties, statutory provision) open only the category's minimal
#   fields unless the professional selects others.
# schemas:
#   - input: schema.input
package schakel.minimisation

# METADATA
# title: Category fields
# description: All fields of a category, in catalogue order; empty for an unknown category.
category_fields(category) := object.get(data.catalogue.categories, [category, "fields"], [])

# METADATA
# title: Minimal fields
# description: The fields a break-glass permit or a default conflict-of-duties release opens.
minimal_fields(category) := object.get(data.catalogue.categories, [category, "minimal_fields"], [])

# METADATA
# title: Fields to release
# description: |
#   The selected fields intersected with the category's fields (catalogue order);
#   when nothing was selected (null), the default: "all" or "minimal".
release_fields(category, selected, _) := _intersect(category_fields(category), selected) if is_array(selected)

release_fields(category, null, "all") := category_fields(category)

release_fields(category, null, "minimal") := minimal_fields(category)

_intersect(allowed, selected) := [field | some field in allowed; field in selected]
