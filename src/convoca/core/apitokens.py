"""Bearer tokens for operators' tools, stored hashed, expiring, revocable.

They are created by an operator on the server (`convoca create-api-token`) or by a staff member
in the admin, which outside demo mode is reachable only after a two-factor login.
"""

from datetime import timedelta

from django.utils import timezone

from convoca.core import crypto
from convoca.core.models import ApiToken

PREFIX = "cvk_"


def create(user, days: int = 90) -> str:
    return issue(ApiToken(user=user), days)


def issue(record: ApiToken, days: int) -> str:
    """Give an unsaved token record its secret and expiry, save it, and return the secret (never stored)."""
    token = PREFIX + crypto.new_token()
    record.token_hash = crypto.token_hash(token)
    record.expires_at = timezone.now() + timedelta(days=days)
    record.save()
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
    return revoke_tokens(ApiToken.objects.filter(user=user))


def revoke_tokens(tokens) -> int:
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
