"""Periodic jobs run by `convoca worker`: each period is claimed by exactly one worker.

Claiming is a conditional UPDATE on the job's row (`next_run_at <= now`), which every database
serialises, so several workers can run side by side without running a job twice in a period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from convoca.core.models import PeriodicJob

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable[[], object]
    interval: Callable[[], int]  # seconds, read at run time so settings overrides apply


_JOBS: dict[str, Job] = {}


def periodic(name: str, interval: Callable[[], int]):
    def register(function):
        _JOBS[name] = Job(name, function, interval)
        return function

    return register


def jobs() -> list[Job]:
    return list(_JOBS.values())


def claim_period(job: Job) -> bool:
    now = timezone.now()
    next_run = now + timedelta(seconds=job.interval())
    claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=next_run, last_started_at=now
    )
    if claimed:
        return True
    if not PeriodicJob.objects.filter(name=job.name).exists():
        try:
            with transaction.atomic():
                PeriodicJob.objects.create(name=job.name, next_run_at=next_run, last_started_at=now)
            return True
        except IntegrityError:
            return False
    return False


def run_due() -> list[str]:
    """Run every job whose period is due and that this worker claimed; return their names."""
    ran = []
    for job in jobs():
        if not claim_period(job):
            continue
        error = ""
        try:
            job.function()
        except Exception as exc:  # a failing job must not stop the worker; it is retried next period
            log.exception("periodic job %s failed", job.name)
            error = type(exc).__name__
        PeriodicJob.objects.filter(name=job.name).update(last_finished_at=timezone.now(), last_error=error)
        ran.append(job.name)
    return ran
