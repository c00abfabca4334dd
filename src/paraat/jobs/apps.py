import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "paraat.jobs"
    verbose_name = _("Achtergrondtaken")

    def ready(self) -> None:
        # A task worker (``paraat db_worker``) also recovers jobs whose worker died: at its
        # start and every PARAAT_JOB_RECOVER_SECONDS (jobs.recovery).
        if len(sys.argv) > 1 and sys.argv[1] == "db_worker":
            from paraat.jobs.recovery import recovery_thread_start

            recovery_thread_start()
