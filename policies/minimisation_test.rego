# METADATA
# title: Minimisation tests
# description: Released fields are always a subset of the category's fields.
package schakel.minimisation_test

import data.schakel.minimisation

test_selection_is_intersected_with_the_category_fields if {
	minimisation.release_fields("ggz.behandelaar", ["telefoon", "bsn"], "minimal") == ["telefoon"]
}

test_no_selection_gives_the_default if {
	minimisation.release_fields("ggz.behandelaar", null, "minimal") == ["functie", "telefoon"]
	minimisation.release_fields("ggz.behandelaar", null, "all") == ["naam", "functie", "telefoon", "instelling"]
}

test_unknown_category_has_no_fields if {
	minimisation.category_fields("x.y") == []
	minimisation.minimal_fields("x.y") == []
	minimisation.release_fields("x.y", ["a"], "all") == []
}

test_released_fields_never_leave_the_category if {
	every name, category in data.catalogue.categories {
		every selection in [null, ["inZorg", "naam", "samenvatting", "maatregelen", "bsn"], category.fields] {
			every default_kind in ["all", "minimal"] {
				every field in minimisation.release_fields(name, selection, default_kind) {
					field in category.fields
				}
			}
		}
	}
}
