import pytest
from hypothesis import given
from hypothesis import strategies as st

from convoca import config
from convoca.core import crypto


@given(st.text())
def test_round_trip_any_text(text):
    sealed = crypto.encrypt(text)
    assert crypto.decrypt(sealed) == text
    assert sealed.startswith(f"v1.{crypto.current_key_id()}.")


def test_same_plain_text_gives_different_ciphertexts():
    first, second = crypto.encrypt("alice@example.org"), crypto.encrypt("alice@example.org")
    assert first != second and "alice" not in first


def test_key_rotation_old_ciphertext_still_opens(settings):
    old = crypto.encrypt("Alice")
    new_key = config.new_data_key()
    old_keys = settings.CONVOCA.data_keys
    settings.CONVOCA = settings.CONVOCA.__class__(
        **{**settings.CONVOCA.__dict__, "data_keys": [config.parse_data_keys(new_key)[0], *old_keys]}
    )
    crypto.reset_keys()
    try:
        fresh = crypto.encrypt("Bob")
        assert fresh.split(".")[1] == crypto.key_id(config.parse_data_keys(new_key)[0])
        assert crypto.decrypt(old) == "Alice" and crypto.decrypt(fresh) == "Bob"
    finally:
        settings.CONVOCA = settings.CONVOCA.__class__(**{**settings.CONVOCA.__dict__, "data_keys": old_keys})
        crypto.reset_keys()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(fresh)


def test_tampering_is_detected():
    from cryptography.exceptions import InvalidTag

    prefix, kid, body = crypto.encrypt("Alice").split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(InvalidTag):
        crypto.decrypt(f"{prefix}.{kid}.{flipped}")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("plain text")


def test_email_hash_normalises_and_is_keyed():
    assert crypto.email_hash(" Alice@Example.ORG ") == crypto.email_hash("alice@example.org")
    assert crypto.email_hash("alice@example.org") != crypto.email_hash("alice+x@example.org")
    import hashlib

    assert crypto.email_hash("alice@example.org") != hashlib.sha256(b"alice@example.org").hexdigest()


def test_tokens_are_long_and_stored_as_hashes():
    token = crypto.derived_token("confirm", 1, crypto.new_nonce())
    assert len(token) >= 43  # 256 bits
    assert crypto.token_hash(token) != token and len(crypto.token_hash(token)) == 64
    assert crypto.derived_token("confirm", 1, "n") != crypto.derived_token("confirm", 2, "n")
