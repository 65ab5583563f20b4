"""Property tests (hypothesis) for the e-mail normaliser and the CSV escaping."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from convoca.core import crypto
from convoca.statements.export import FORMULA_STARTS, neutralise

local = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.+_-", min_size=1, max_size=30)
domain = st.from_regex(r"[a-z0-9]{1,12}\.(org|net|example)", fullmatch=True)
spaces = st.text(alphabet=" \t\n", max_size=3)


@given(local, domain, spaces, spaces)
def test_the_same_mailbox_however_it_is_typed_hashes_the_same(user, host, before, after):
    address = f"{user}@{host}"
    typed = before + address.upper() + after
    assert crypto.normalise_email(typed) == address
    assert crypto.email_hash(typed) == crypto.email_hash(address)
    assert crypto.normalise_email(crypto.normalise_email(typed)) == crypto.normalise_email(typed)


@given(local, local, domain)
def test_different_mailboxes_hash_differently(first, second, host):
    if first.lower() != second.lower():
        assert crypto.email_hash(f"{first}@{host}") != crypto.email_hash(f"{second}@{host}")


@given(st.text())
def test_normalising_any_text_never_fails(text):
    assert isinstance(crypto.email_hash(text), str)


@given(st.lists(st.one_of(st.none(), st.text(), st.integers()), max_size=8))
def test_no_exported_cell_can_run_as_a_formula_and_every_cell_survives(cells):
    buffer = io.StringIO()
    csv.writer(buffer).writerow([neutralise(cell) for cell in cells])
    [row] = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) or [[]]
    expected = ["" if cell is None else str(cell) for cell in cells]
    assert len(row) == len(cells)
    for written, original in zip(row, expected, strict=True):
        assert not written.startswith(FORMULA_STARTS)
        assert written in (original, "'" + original)  # nothing lost, at most a leading apostrophe
