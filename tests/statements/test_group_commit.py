"""Threaded workers: sign-ups share one commit per batch (core/groupcommit.py, statements/intake.py)."""

import dataclasses
import threading

import pytest
from django.db import connections

from convoca.core.groupcommit import GroupCommit
from convoca.core.models import OutboxMessage
from convoca.statements import domain, intake
from convoca.statements.models import Endorsement
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _signup(email: str, kind: str = "person") -> dict:
    return {
        "kind": kind, "name": "A Person", "email": email, "country": "FR", "city": "", "role": "",
        "organization": "An Organization" if kind == "organization" else "", "website": "",
        "public": False, "updates": False,
    }  # fmt: skip


def _in_threads(function, arguments) -> list[BaseException]:
    barrier = threading.Barrier(len(arguments))
    errors: list[BaseException] = []

    def run(argument):
        try:
            barrier.wait()
            function(argument)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_concurrent_sign_ups_are_batched_and_each_recorded_once_with_its_mail(settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, web_threads=8)
    statement = factories.statement()
    # 40 people, one of them twice, one address as a person and as an organization.
    signups = [_signup(f"person{i}@example.org") for i in range(40)]
    signups += [_signup("person7@example.org"), _signup("person3@example.org", kind="organization")]
    batches, items = intake._writer.batches, intake._writer.items

    errors = _in_threads(lambda signup: domain.endorse(statement, signup, "en", None), signups)

    assert errors == []
    assert Endorsement.objects.filter(statement=statement).count() == 41
    assert Endorsement.objects.filter(statement=statement, kind="organization").count() == 1
    # Every sign-up queued its confirmation mail, the repeat included (the daily cap is 3).
    mails = OutboxMessage.objects.filter(kind="statements.confirm")
    assert mails.count() == 42
    assert len(set(mails.values_list("message_id", flat=True))) == 42
    endorsement_ids = set(Endorsement.objects.values_list("pk", flat=True))
    assert {mail.context["endorsement"] for mail in mails} == endorsement_ids
    # They went through the writer thread, several to a commit.
    assert intake._writer.items - items == 42
    assert intake._writer.batches - batches < 42


def test_a_failing_item_fails_alone_and_the_rest_of_its_batch_commits(settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, web_threads=8)

    def run(items):
        if 13 in items:
            raise ValueError("thirteen")
        return [item * 2 for item in items]

    writer = GroupCommit("test", run)
    results, lock = {}, threading.Lock()

    def submit(item):
        value = writer.submit(item)
        with lock:
            results[item] = value

    errors = _in_threads(submit, list(range(30)))

    assert [str(error) for error in errors] == ["thirteen"]
    assert results == {item: item * 2 for item in range(30) if item != 13}
    assert writer.items == 29


def test_inside_a_transaction_the_work_runs_inline(settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, web_threads=8)
    from django.db import transaction

    seen = []
    writer = GroupCommit("inline", lambda items: [seen.append(threading.current_thread()) or item for item in items])
    with transaction.atomic():
        assert writer.submit(1) == 1
    assert seen == [threading.current_thread()]
    assert writer.batches == 0  # never reached the writer thread
