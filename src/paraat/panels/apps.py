from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "paraat.panels"
    verbose_name = _("Burgerpanel")
