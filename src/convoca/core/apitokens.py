"""Bearer tokens for operators' tools: created on the server, stored hashed, expiring, revocable."""

from datetime import timedelta

from django.utils import timezone

from convoca.core import crypto
from convoca.core.models import ApiToken

PREFIX = "cvk_"


def create(user, days: int = 90) -> str:
    token = PREFIX + crypto.new_token()
    ApiToken.objects.create(
        user=user, token_hash=crypto.token_hash(token), expires_at=timezone.now() + timedelta(days=days)
    )
    return token


def authenticate(token: str):
    """The active staff user behind a valid, unexpired, unrevoked token, or None."""
    if not token or not token.startswith(PREFIX) or len(token) > 100:
        return None
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=crypto.token_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active or not found.user.is_staff:
        return None
    if found.last_used_on != now.date():
        ApiToken.objects.filter(pk=found.pk).update(last_used_on=now.date())
    return found.user


def revoke(user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
