"""core.encryption: values round-trip, never contain the plaintext, and are masked for display."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from otop.core.encryption import PREFIX, UnreadableValue, decrypt, encrypt, is_encrypted_with_newest_key, mask


def test_a_value_round_trips_and_its_stored_form_hides_it():
    stored = encrypt("1101700207030")
    assert stored.startswith(PREFIX) and "1101700207030" not in stored
    assert decrypt(stored) == "1101700207030"
    assert encrypt("") == "" and decrypt("") == ""


def test_plaintext_from_before_encryption_is_read_as_it_is_and_is_not_under_the_newest_key():
    assert decrypt("0201234567") == "0201234567"
    assert not is_encrypted_with_newest_key("0201234567")
    assert is_encrypted_with_newest_key(encrypt("0201234567"))


def test_the_first_key_encrypts_and_every_key_decrypts(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    under_old = encrypt("0201234567")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert decrypt(under_old) == "0201234567"
    assert not is_encrypted_with_newest_key(under_old)
    under_new = encrypt("0201234567")
    assert Fernet(new.encode()).decrypt(under_new[len(PREFIX) :].encode()) == b"0201234567"
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(UnreadableValue):
        decrypt(under_new)


@pytest.mark.parametrize(
    ("value", "masked"),
    [("1101700207030", "•••••••••7030"), ("0201234567", "••••••4567"), ("123", "•••"), ("", "")],
)
def test_numbers_are_masked_to_their_last_four_digits(value, masked):
    assert mask(value) == masked
