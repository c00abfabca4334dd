from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationConfig(AppConfig):
    name = "paraat.activation"
    verbose_name = _("Activering")
