"""The gate every public submission passes: which lane it takes and whether it is held.

- **Normal lane**: a valid proof of work at least as hard as this address currently needs.
- **Strict lane**: no proof (JavaScript off, a plain API client), an easier one than required, or
  a form sent faster than a person can fill it. Tighter limits.

Over its lane's limits a submission is *held*, not refused: it is stored and mailed as usual, and
counted once its owner confirms, unless a moderator rejects its wave (people behind one carrier
address are real). Far over (ten times the longest limit) it is refused with 429, so a flood
cannot fill the database. Limits per e-mail domain and per statement never hold anyone: they
only raise an alert for moderators, because a viral surge is not an attack.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from convoca.gate import clientip, proof
from convoca.gate.models import Hit

HARDER = 10  # an address over its limits is asked for this many times more work


class Flooded(Exception):
    def __init__(self, retry_after: int):
        super().__init__("Too many submissions from this address; try again later.")
        self.retry_after = retry_after


@dataclass
class Verdict:
    lane: str = "normal"
    held: bool = False
    wave: str = ""
    reasons: list[str] = field(default_factory=list)


def _rates(lane: str):
    return settings.CONVOCA.normal_rates if lane == "normal" else settings.CONVOCA.strict_rates


# Counters: with REDIS_URL, fixed windows in Redis (one INCR per window, shared by every app
# server); without it, rows in the database counted over sliding windows.


def _bucket(key: str, seconds: int, now) -> str:
    return f"gate:{key}:{seconds}:{int(now.timestamp()) // seconds}"


def _counts(key: str, windows, now, record: bool) -> dict[int, int]:
    """How many hits `key` has in each window (seconds), counting this one when `record`."""
    if settings.CONVOCA.redis_url:
        from django.core.cache import cache

        counts = {}
        for seconds in windows:
            bucket = _bucket(key, seconds, now)
            if record:
                cache.add(bucket, 0, timeout=2 * seconds)
                counts[seconds] = cache.incr(bucket)
            else:
                counts[seconds] = cache.get(bucket, 0)
        return counts
    if record:
        Hit.objects.create(key=key, at=now)
    return {
        seconds: Hit.objects.filter(key=key, at__gt=now - timedelta(seconds=seconds)).count() for seconds in windows
    }


def _over(counts: dict[int, int], rates) -> bool:
    return any(counts[seconds] > limit for limit, seconds in rates)


def required_difficulty(request) -> int:
    """The work this address must show for the normal lane: harder while it is over its limits."""
    base = settings.CONVOCA.proof_of_work_difficulty
    if not settings.CONVOCA.rate_limits:
        return base
    key = f"normal:{clientip.ip_hash(clientip.client_ip(request))}"
    rates = _rates("normal")
    counts = _counts(key, [seconds for _limit, seconds in rates], timezone.now(), record=False)
    return base * HARDER if _over(counts, rates) else base


def assess(request, *, altcha: str | None, too_fast: bool = False) -> Verdict:
    """Decide the lane and whether the submission is held; record the hit.

    Raises `proof.InvalidProof` for a malformed, forged, expired or replayed solution (answer 400)
    and `Flooded` far over the limits (answer 429). Call it after the submission's own fields are
    valid, so that a typo does not burn a solved challenge.
    """
    verdict = Verdict()
    config = settings.CONVOCA
    if config.proof_of_work:
        if altcha:
            nonce, difficulty = proof.verify(altcha)
            proof.spend(nonce)
            if difficulty < required_difficulty(request):
                verdict.lane, verdict.reasons = "strict", ["easy proof"]
        else:
            verdict.lane, verdict.reasons = "strict", ["no proof"]
    if too_fast:
        verdict.lane = "strict"
        verdict.reasons.append("too fast")
    if not config.rate_limits:
        return verdict
    now = timezone.now()
    address = clientip.ip_hash(clientip.client_ip(request))
    key = f"{verdict.lane}:{address}"
    rates = _rates(verdict.lane)
    with transaction.atomic():
        counts = _counts(key, [seconds for _limit, seconds in rates], now, record=True)
    ceiling_limit, ceiling_seconds = max(rates, key=lambda rate: rate[1])
    if counts[ceiling_seconds] > ceiling_limit * 10:
        raise Flooded(retry_after=ceiling_seconds)
    if _over(counts, rates):
        verdict.held = True
        verdict.reasons.append("rate")
        verdict.wave = f"{now:%Y%m%d}-{verdict.lane[0]}-{address[:10]}"
    return verdict


def _scope_key(kind: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"convoca.gate.scope:{kind}:{value}".encode(), hashlib.sha256)
    return f"{kind}:{digest.hexdigest()[:32]}"


def surge(kind: str, value: str, rates) -> tuple[int, int] | None:
    """Record one submission under an alert scope; return (count, seconds) when it just crossed
    a limit, so the caller raises one alert per crossing, not one per submission."""
    if not settings.CONVOCA.rate_limits:
        return None
    now = timezone.now()
    counts = _counts(_scope_key(kind, value), [seconds for _limit, seconds in rates], now, record=True)
    for limit, seconds in rates:
        if counts[seconds] == limit + 1:
            return limit, seconds
    return None


def purge(now=None) -> int:
    """Forget every hit older than a day: the day keys are gone by then anyway."""
    now = now or timezone.now()
    return Hit.objects.filter(at__lt=now - timedelta(hours=24)).delete()[0]


def watch(kind: str, subject: str, rates) -> None:
    """Count one submission for an alert scope; raise one alert each time a limit is crossed."""
    from convoca.gate.models import Alert

    crossed = surge(kind, subject, rates)
    if crossed:
        limit, seconds = crossed
        Alert.objects.create(
            kind=kind, subject=subject[:255], detail=f"more than {limit} sign-ups within {seconds // 60 or 1} min"
        )
