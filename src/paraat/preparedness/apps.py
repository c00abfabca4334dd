from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparednessConfig(AppConfig):
    name = "paraat.preparedness"
    verbose_name = _("Paraatheid")

    def ready(self) -> None:
        # Erasing a person (network) also releases their playbook ownership and attendance notes.
        from paraat.network.selectors import export_provider_register
        from paraat.network.services import erasure_hook_register
        from paraat.preparedness.privacy import person_data
        from paraat.preparedness.services import person_references_release

        erasure_hook_register(person_references_release)
        # The privacy overview and export of a person list their attendance and playbook sections.
        export_provider_register(person_data)
