"""Django admin changelists of named rows in the reader's order (see otop.core.collation)."""

from __future__ import annotations

from django.contrib import admin

from otop.core.collation import ThaiSortKey


class NameOrderedAdmin(admin.ModelAdmin):
    """A changelist of named rows in the reader's order, by default and when the name column is clicked.

    The database computes the key (ThaiSortKey), so the admin pages a long table without loading it."""

    name_field = "name_th"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        field = model._meta.get_field(self.name_field)
        name_field = self.name_field

        @admin.display(description=field.verbose_name, ordering=ThaiSortKey(name_field))
        def name(obj):
            return getattr(obj, name_field)

        name.__name__ = name_field
        self.list_display = [name if column == name_field else column for column in self.list_display]

    def get_ordering(self, request):
        return [ThaiSortKey(self.name_field), self.name_field, "pk"]
