from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from convoca.core.models import OutboxMessage
from convoca.moderation.models import Decision
from convoca.statements import domain
from convoca.statements.models import CountEvent, Endorsement
from tests import factories
from tests.factories import ALICE, BOB, CAROL

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    return factories.statement()


@pytest.fixture
def coordinator():
    return get_user_model().objects.create_user("coordinator", password="x" * 12, is_staff=True)


def test_alice_endorses_confirms_and_is_counted_once(statement):
    alice = factories.endorse(statement, ALICE, public=True)
    assert alice.confirmed_at is None and not alice.counted and alice.public_name == ""
    assert domain.counts(statement).total == 0

    factories.confirm(alice)
    factories.confirm(alice)  # twice is harmless
    domain.fold_counts()

    alice.refresh_from_db()
    assert alice.counted and alice.public_name == "Alice Example" and alice.public_city == "Rosario"
    assert domain.counts(statement) == domain.Counts(people=1, organizations=0)
    assert CountEvent.objects.filter(statement=statement).count() == 1
    assert [e.public_name for e in domain.public_endorsements(statement)] == ["Alice Example"]


def test_personal_fields_are_stored_encrypted(statement):
    from django.db import connection

    factories.endorse(statement, ALICE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email, city, email_hash FROM statements_endorsement")
        name, email, city, email_hash = cursor.fetchone()
    assert "Alice" not in name and "alice@" not in email and "Rosario" not in city
    assert name.startswith("v1.") and email.startswith("v1.")
    assert "alice" not in email_hash


def test_a_repeated_signature_changes_nothing_and_mails_again_within_the_cap(statement, settings):
    alice = factories.endorse(statement, ALICE)
    factories.endorse(statement, {**ALICE, "name": "Mallory Overwrite", "email": " ALICE@Example.org "})
    alice.refresh_from_db()
    assert alice.name == "Alice Example"
    assert Endorsement.objects.count() == 1
    for _ in range(10):
        factories.endorse(statement, ALICE)
    assert OutboxMessage.objects.count() == settings.CONVOCA.mails_per_address_per_day


def test_a_confirmed_signer_who_signs_again_is_told_they_are_counted(statement):
    factories.confirm(factories.endorse(statement, ALICE))
    factories.endorse(statement, ALICE)
    assert list(OutboxMessage.objects.order_by("id").values_list("kind", flat=True)) == [
        "statements.confirm",
        "statements.already_counted",
    ]


def test_unconfirmed_carol_is_neither_counted_nor_listed(statement):
    factories.endorse(statement, CAROL, public=True)
    domain.fold_counts()
    assert domain.counts(statement).total == 0
    assert list(domain.public_endorsements(statement)) == []


def test_an_organization_counts_only_when_confirmed_and_approved(statement, coordinator):
    bob = factories.endorse(statement, BOB)
    assert bob.review == Endorsement.Review.PENDING
    factories.confirm(bob)
    domain.fold_counts()
    assert domain.counts(statement).total == 0

    assert domain.review([bob.pk], "approve", coordinator, "known group") == 1
    domain.fold_counts()
    bob.refresh_from_db()
    assert domain.counts(statement) == domain.Counts(people=0, organizations=1)
    assert bob.public_name == "Friends of Rivers"
    decision = Decision.objects.get()
    assert (decision.verdict, decision.decided_by, decision.reason) == ("approve", coordinator, "known group")

    domain.review([bob.pk], "reject", coordinator)
    domain.fold_counts()
    bob.refresh_from_db()
    assert domain.counts(statement).total == 0 and bob.public_name == ""
    assert Decision.objects.count() == 2


def test_approval_before_confirmation_counts_at_confirmation(statement, coordinator):
    bob = factories.endorse(statement, BOB)
    domain.review([bob.pk], "approve", coordinator)
    domain.fold_counts()
    assert domain.counts(statement).total == 0
    factories.confirm(bob)
    domain.fold_counts()
    assert domain.counts(statement).organizations == 1


def test_erasing_keeps_the_history_and_corrects_the_count(statement):
    alice = factories.endorse(statement, ALICE)
    factories.confirm(alice)
    domain.fold_counts()
    domain.erase(alice)
    domain.fold_counts()
    assert domain.counts(statement).total == 0
    assert list(CountEvent.objects.values_list("delta", flat=True).order_by("id")) == [1, -1]
    assert not Endorsement.objects.exists()


def test_counts_are_folded_per_country_and_in_total(statement):
    for index in range(3):
        factories.confirm(factories.endorse(statement, {**ALICE, "email": f"a{index}@example.org"}))
    factories.confirm(factories.endorse(statement, CAROL))
    assert domain.fold_counts() == 4
    assert domain.fold_counts() == 0
    by_country = {c.country: c.people for c in statement.counters.all()}
    assert by_country == {"": 4, "AR": 3, "JO": 1}


def test_closed_statement_refuses(statement):
    statement.closes_at = timezone.now()
    statement.save()
    with pytest.raises(domain.StatementClosed):
        factories.endorse(statement, ALICE)
    assert not Endorsement.objects.exists() and not OutboxMessage.objects.exists()


def test_expired_token_opens_nothing_and_a_new_signature_renews_it(statement, time_machine):
    alice = factories.endorse(statement, ALICE)
    old_token = domain.confirm_token(alice)
    time_machine.move_to(timezone.now() + timedelta(days=8))
    assert domain.confirm(old_token) is None
    factories.endorse(statement, ALICE)
    alice.refresh_from_db()
    new_token = domain.confirm_token(alice)
    assert new_token != old_token
    assert domain.confirm(new_token).confirmed_at is not None


def test_revision_fallback_and_languages(statement):
    assert domain.latest_revision(statement, "ar").language == "en"
    from convoca.statements.models import Revision

    Revision.objects.create(statement=statement, language="ar", title="رسالة", body="نص")
    newer = Revision.objects.create(statement=statement, language="en", title="Updated letter", body="v2")
    assert domain.latest_revision(statement, "ar").title == "رسالة"
    assert domain.latest_revision(statement, "en") == newer
    assert domain.available_languages(statement) == ["en", "ar"]


def test_retention_forgets_the_unconfirmed_after_a_week(statement, time_machine):
    time_machine.move_to(timezone.now())
    factories.endorse(statement, CAROL)
    factories.confirm(factories.endorse(statement, ALICE))
    time_machine.move_to(timezone.now() + timedelta(days=6))
    assert domain.forget_unconfirmed(7) == 0
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert domain.forget_unconfirmed(7) == 1
    assert list(Endorsement.objects.values_list("email_hash", flat=True)) != []
    assert Endorsement.objects.get().name == "Alice Example"


def test_personal_data_goes_after_the_statement_closes_but_counts_and_public_names_stay(statement, time_machine):
    time_machine.move_to(timezone.now())
    factories.confirm(factories.endorse(statement, ALICE, public=True, updates=True))
    factories.confirm(factories.endorse(statement, {**CAROL, "email": "c2@example.org"}))
    domain.fold_counts()
    statement.closes_at = timezone.now() + timedelta(days=1)
    statement.save()
    assert domain.forget_after_closing(90) == 0
    time_machine.move_to(timezone.now() + timedelta(days=92))
    assert domain.forget_after_closing(90) == 2
    alice = Endorsement.objects.get(public_name="Alice Example")
    assert (alice.name, alice.email, alice.city, alice.consent_updates) == ("", "", "", False)
    assert alice.email_hash == f"erased-{alice.pk}"
    assert domain.counts(statement).total == 2
    assert [e.public_name for e in domain.public_endorsements(statement)] == ["Alice Example"]
    assert domain.forget_after_closing(90) == 0
