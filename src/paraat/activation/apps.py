from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationConfig(AppConfig):
    name = "paraat.activation"
    verbose_name = _("Activering")

    def ready(self) -> None:
        # The privacy overview and export of a person list the decrees that name them.
        from paraat.activation.privacy import person_data
        from paraat.network.selectors import export_provider_register

        export_provider_register(person_data)
