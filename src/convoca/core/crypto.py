"""Everything that protects personal data lives here: encryption at rest, keyed hashes, tokens.

* `encrypt`/`decrypt`: AES-256-GCM. A ciphertext reads `v1.<key id>.<base64(nonce + ciphertext)>`;
  the key id (first 8 hex digits of the key's SHA-256) picks the key among CONVOCA_DATA_KEY's, so
  keys can rotate: the first key encrypts, every listed key decrypts.
* `keyed_hash`: HMAC-SHA256 under a key derived from the secret key; used for de-duplication
  (normalised e-mail) so the plain value is never stored.
* `new_token`/`token_hash`: unguessable link tokens (256 bits); only their hash is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX = "v1"


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


@cache
def _keys() -> tuple[tuple[str, AESGCM], dict[str, AESGCM]]:
    keys = settings.CONVOCA.data_keys
    ring = {key_id(key): AESGCM(key) for key in keys}
    return (key_id(keys[0]), ring[key_id(keys[0])]), ring


def reset_keys() -> None:
    """Forget cached keys (tests that change CONVOCA_DATA_KEY)."""
    _keys.cache_clear()
    _hash_key.cache_clear()


def encrypt(plain: str) -> str:
    (kid, aead), _ = _keys()
    nonce = secrets.token_bytes(12)
    sealed = aead.encrypt(nonce, plain.encode(), kid.encode())
    return f"{PREFIX}.{kid}.{_b64e(nonce + sealed)}"


class DecryptionError(Exception):
    pass


def decrypt(token: str) -> str:
    try:
        prefix, kid, body = token.split(".", 2)
    except ValueError:
        raise DecryptionError("not a Convoca ciphertext") from None
    if prefix != PREFIX:
        raise DecryptionError(f"unknown ciphertext version {prefix!r}")
    _, ring = _keys()
    aead = ring.get(kid)
    if aead is None:
        raise DecryptionError(f"no key with id {kid} in CONVOCA_DATA_KEY")
    raw = _b64d(body)
    return aead.decrypt(raw[:12], raw[12:], kid.encode()).decode()


def current_key_id() -> str:
    return _keys()[0][0]


@cache
def _hash_key() -> bytes:
    return hashlib.sha256(b"convoca keyed hash\x00" + settings.SECRET_KEY.encode()).digest()


def keyed_hash(value: str) -> str:
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    """Lower-case and trim. Dots and plus-tags are kept: they are distinct mailboxes at many providers."""
    return email.strip().lower()


def email_hash(email: str) -> str:
    return keyed_hash("email\x00" + normalise_email(email))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding `encrypt(value)`; reads give back the plain text.

    Empty strings stay empty (nothing to hide, and it keeps "not given" cheap to test).
    Lookups other than isnull make no sense on ciphertext and are refused by design: search
    personal data through a keyed hash column instead.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull", "exact"):
            return None
        return super().get_lookup(lookup_name)


def derived_token(purpose: str, ident: int, nonce: str) -> str:
    """A link token that the mail worker can re-create at send time without it ever being stored.

    The database holds only `nonce` (random) and `token_hash(token)`; recreating the token needs
    the secret key too, so a copy of the database alone opens no link.
    """
    message = f"token\x00{purpose}\x00{ident}\x00{nonce}".encode()
    return _b64e(hmac.new(_hash_key(), message, hashlib.sha256).digest())


def new_nonce() -> str:
    return secrets.token_urlsafe(16)
