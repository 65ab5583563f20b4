"""What an HTML form adds for the gate: a honeypot field, a signed time stamp and the proof-of-work
widget. A filled honeypot is answered as if accepted and nothing is stored; a form sent sooner
than a person could fill it (or without its stamp) takes the strict lane."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing

HONEYPOT = "fax"  # a field no one fills: it is hidden from people and from screen readers
STAMP = "stamp"
_SALT = "convoca.gate.stamp"


def stamp() -> str:
    return signing.dumps(int(time.time()), salt=_SALT, compress=False)


def is_bot(request) -> bool:
    return bool(request.POST.get(HONEYPOT, "").strip())


def too_fast(request) -> bool:
    try:
        rendered = signing.loads(request.POST.get(STAMP, ""), salt=_SALT, max_age=24 * 3600)
    except (signing.BadSignature, TypeError, ValueError):
        return True
    return not isinstance(rendered, int) or time.time() - rendered < settings.CONVOCA.min_form_seconds


def context(request) -> dict:
    """Template context for forms that pass the gate (a context processor)."""
    return {"gate_stamp": stamp(), "gate_honeypot": HONEYPOT, "gate_pow": settings.CONVOCA.proof_of_work}
