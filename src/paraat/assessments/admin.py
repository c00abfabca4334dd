"""Admin for the editable reference data of the assessment framework: the fundamental rights and
the rights questions (also editable on the catalogue pages). Assessments and their versions are
not in the admin: they are edited through the services, and a version's stored file holds
confidential figures that only the masking selectors may show."""

from django.contrib import admin

from paraat.assessments.models import FundamentalRight, RightsQuestion


@admin.register(FundamentalRight)
class FundamentalRightAdmin(admin.ModelAdmin):
    list_display = ["key", "instrument", "article", "title_nl", "absolute", "position", "is_active"]
    list_filter = ["instrument", "absolute", "is_active"]
    search_fields = ["key", "article", "title_nl", "title_en"]


@admin.register(RightsQuestion)
class RightsQuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "text_nl", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["key", "text_nl", "text_en"]
