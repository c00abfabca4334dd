from django.contrib import admin

from paraat.taxonomies.models import Domain, PopulationGroup, Sector


@admin.register(Domain, PopulationGroup, Sector)
class TermAdmin(admin.ModelAdmin):
    list_display = ["key", "name_nl", "name_en", "position", "is_active"]
    search_fields = ["key", "name_nl", "name_en"]
