from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomiesConfig(AppConfig):
    name = "paraat.taxonomies"
    verbose_name = _("Taxonomieën")
