"""Proof of work (ALTCHA, protocol v2): challenges signed by us, solutions checked once.

A challenge is made in ALTCHA's deterministic mode: we pick the counter the client must find
(between half the difficulty and the difficulty), so the client's expected work is known, and we
sign the derived key so that checking a solution costs one HMAC, not a key derivation. The
difficulty is signed into the challenge, so a solved easy challenge cannot pass for a hard one.
A solved challenge works once: its nonce is written to `SpentChallenge` in the caller's
transaction.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, timedelta

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from convoca.gate.models import SpentChallenge

ALGORITHM = "PBKDF2/SHA-256"
COST = 100  # PBKDF2 iterations per attempt; the difficulty sets the number of attempts
LIFETIME = timedelta(minutes=30)
MAX_PAYLOAD = 4000  # characters; a real payload is about 700


class InvalidProof(Exception):
    """A malformed, forged, expired or replayed solution. The message is safe to show."""


def _secret(purpose: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"convoca.gate.altcha:{purpose}".encode(), hashlib.sha256).digest()


def new_challenge(difficulty: int) -> dict:
    expires = timezone.now() + LIFETIME
    challenge = altcha.create_challenge(
        ALGORITHM,
        COST,
        counter=secrets.randbelow(difficulty // 2 + 1) + difficulty // 2,
        expires_at=int(expires.timestamp()),
        data={"difficulty": difficulty},
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def verify(payload: str) -> tuple[str, int]:
    """Check a solution; return its challenge's nonce and difficulty. Raises InvalidProof."""
    if not isinstance(payload, str) or not payload or len(payload) > MAX_PAYLOAD:
        raise InvalidProof("The proof of work is missing or too long.")
    try:
        decoded = json.loads(base64.b64decode(payload, validate=True).decode())
        parameters = decoded["challenge"]["parameters"]
        nonce = parameters["nonce"]
        difficulty = parameters["data"]["difficulty"]
    except (ValueError, binascii.Error, UnicodeDecodeError, KeyError, TypeError, RecursionError):
        raise InvalidProof("The proof of work is malformed.") from None
    if not isinstance(nonce, str) or len(nonce) != 32 or type(difficulty) is not int:
        raise InvalidProof("The proof of work is malformed.")
    try:
        result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise InvalidProof("The proof of work is malformed.") from None
    if result.expired:
        raise InvalidProof("The proof of work has expired; solve a new challenge.")
    if not result.verified:
        raise InvalidProof("The proof of work is not valid.")
    return nonce, difficulty


def spend(nonce: str) -> None:
    """Mark a verified challenge as used; a second use raises InvalidProof."""
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(nonce=nonce, expires_at=timezone.now() + LIFETIME + timedelta(minutes=5))
    except IntegrityError:
        raise InvalidProof("This proof of work was used already; solve a new challenge.") from None


def solve(challenge: dict) -> str:
    """Solve a challenge as a browser would (tests and benchmarks); returns the form value."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    return altcha.Payload(parsed, solution).to_base64()


def purge(now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return SpentChallenge.objects.filter(expires_at__lt=now).delete()[0]
