import logging

from django.apps import AppConfig
from django.conf import settings

log = logging.getLogger("convoca.gate")


class GateConfig(AppConfig):
    name = "convoca.gate"
    verbose_name = "Gate"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from convoca.gate import jobs  # noqa: F401 - registers the purge job

        if not settings.CONVOCA.proof_of_work:
            log.warning("CONVOCA_PROOF_OF_WORK=off: every submission takes the normal lane without proof of work")
        if not settings.CONVOCA.rate_limits:
            log.warning("CONVOCA_RATE_LIMITS=off: no submission is held or refused for its rate")
