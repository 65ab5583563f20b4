"""'Send me my links again': one mail with every link an address holds; the page never tells."""

import pytest

from convoca.core import mail
from convoca.core.models import OutboxMessage
from convoca.statements.models import Endorsement
from tests import factories
from tests.actions.test_actions import BUENOS_AIRES
from tests.actions.test_rsvps import action, links, rsvp  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

ORGANIZER = BUENOS_AIRES["organizer_email"]


def ask(client, email, language="en"):
    return client.post(f"/{language}/links/", {"email": email})


def test_every_link_an_address_holds_in_one_mail(client, action, mailbox):  # noqa: F811
    statement = factories.statement()
    factories.confirm(factories.endorse(statement, {**factories.ALICE, "email": ORGANIZER}))
    other = factories.statement(slug="second-letter")
    factories.endorse(other, {**factories.ALICE, "email": ORGANIZER})  # not confirmed yet
    rsvp(client, action, ORGANIZER.upper())
    OutboxMessage.objects.all().delete()

    response = ask(client, f"  {ORGANIZER.upper()} ")
    assert response.status_code == 303 and response["Location"] == "/en/links/sent/"
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.messages
    assert message["To"] == ORGANIZER
    assert len(links(mailbox, "/withdraw/")) == 2
    assert len(links(mailbox, "/confirm/")) == 1  # the unconfirmed endorsement
    assert len(links(mailbox, "/rsvp/")) == 1  # the unconfirmed RSVP
    assert len(links(mailbox, "/actions/manage/")) == 1  # the action this address organizes
    # The links work: withdrawing through the mailed link erases the endorsement.
    [withdraw, _] = links(mailbox, "/withdraw/")
    assert client.post(withdraw).status_code == 200
    assert Endorsement.objects.count() == 1


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailbox):
    known = factories.endorse(factories.statement(), factories.ALICE)
    OutboxMessage.objects.all().delete()
    unknown = ask(client, "nobody@example.org")
    known_answer = ask(client, factories.ALICE["email"])
    assert (unknown.status_code, unknown["Location"]) == (known_answer.status_code, known_answer["Location"])
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().recipient_hash == known.email_hash


def test_the_daily_cap_applies(client, settings):
    factories.endorse(factories.statement(), factories.ALICE)
    OutboxMessage.objects.all().delete()
    for _ in range(6):
        assert ask(client, factories.ALICE["email"]).status_code == 303
    assert OutboxMessage.objects.filter(kind="links.all").count() == settings.CONVOCA.mails_per_address_per_day


def test_the_mail_is_in_the_language_of_the_page(client, mailbox):
    factories.endorse(factories.statement(), factories.ALICE)
    OutboxMessage.objects.all().delete()
    ask(client, factories.ALICE["email"], language="ar")
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.messages
    assert 'dir="rtl"' in message.get_body(("html",)).get_content()


def test_bad_input_is_answered_beside_the_field(client):
    assert client.get("/en/links/").status_code == 200
    response = ask(client, "not an address")
    assert response.status_code == 422
    assert b"valid email" in response.content
    assert client.post("/en/links/", {"email": "a@example.org", "fax": "x"}).status_code == 303
    assert not OutboxMessage.objects.exists()
