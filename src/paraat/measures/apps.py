from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "paraat.measures"
    verbose_name = _("Maatregelen")
