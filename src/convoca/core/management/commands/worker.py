"""`convoca worker`: sends the outbox and runs the periodic jobs, until stopped.

Run as many as you like: outbox rows are leased, periodic periods are claimed, so nothing is
done twice on purpose (mail is at least once: a worker killed mid-send is covered by another).
"""

import logging
import os
import signal
import socket
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from convoca.core import jobs, mail

log = logging.getLogger("convoca.worker")


class Command(BaseCommand):
    help = "Send queued e-mail and run periodic jobs (count aggregation)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="do one round and exit")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between rounds when idle")
        parser.add_argument(
            "--lease", type=int, default=None, help="seconds a claimed mail is held (CONVOCA_MAIL_LEASE_SECONDS)"
        )
        parser.add_argument("--batch", type=int, default=20, help="mails claimed per round")

    def handle(self, *args, once=False, poll=1.0, lease=None, batch=20, **options):
        name = f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = False

        def stop(signum, frame):
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("worker %s started", name)
        while not self.stopping:
            close_old_connections()
            try:
                jobs.run_due()
                claimed = mail.claim(name, limit=batch, lease_seconds=lease)
                outcome = mail.deliver(claimed, name)
                if claimed:
                    log.info("worker %s: %s", name, outcome)
            except Exception:  # a database hiccup must not end the worker; it tries again next round
                log.exception("worker round failed")
                claimed = []
            if once:
                break
            if not claimed:
                time.sleep(poll)
        log.info("worker %s stopped", name)
