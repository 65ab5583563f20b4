"""RSVPs: counted once per address; the organizer reaches attendees without seeing them."""

import json

import pytest
from django.contrib.auth import get_user_model

from convoca.actions import domain, rsvps
from convoca.actions.models import Action, Rsvp
from convoca.core import mail
from convoca.core.models import OutboxMessage
from tests import factories
from tests.actions.test_actions import BUENOS_AIRES

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(client):
    factories.campaign(slug="rivers")
    client.post("/api/v1/campaigns/rivers/actions", json.dumps(BUENOS_AIRES), content_type="application/json")
    action = Action.objects.get()
    domain.verify(domain.verify_token(action))
    domain.decide(action.pk, "approve", get_user_model().objects.create_user("mod", is_staff=True))
    OutboxMessage.objects.all().delete()
    action.refresh_from_db()
    return action


def rsvp(client, action, email, name=None):
    body = {"email": email, "name": name}
    return client.post(f"/api/v1/actions/{action.pk}/rsvps", json.dumps(body), content_type="application/json")


def links(mailbox, fragment):
    return [
        line.strip().removeprefix("http://testserver")
        for m in mailbox.messages
        for line in m.get_body(("plain",)).get_content().splitlines()
        if fragment in line
    ]


def test_an_rsvp_counts_once_per_address(client, action, mailbox):
    for _ in range(3):
        assert rsvp(client, action, "ana@example.org", "Ana").status_code == 202
    assert rsvp(client, action, " ANA@example.org ").status_code == 202
    assert Rsvp.objects.count() == 1
    mail.deliver(mail.claim("w"), "w")
    [link] = set(links(mailbox, "/rsvp/"))
    assert client.get(link).status_code == 200 and client.get(f"/api/v1/actions/{action.pk}").json()["rsvps"] == 0
    for _ in range(3):
        assert client.post(link).status_code == 200
    assert client.get(f"/api/v1/actions/{action.pk}").json()["rsvps"] == 1
    feature = client.get("/api/v1/campaigns/rivers/actions.geojson").json()["features"][0]
    assert feature["properties"]["rsvps"] == 1


def test_the_organizers_message_reaches_attendees_without_revealing_them(client, action, mailbox):
    for who in ("ana@example.org", "ben@example.org", "cy@example.org"):
        rsvp(client, action, who)
    mail.deliver(mail.claim("w"), "w")
    for link in links(mailbox, "/rsvp/")[:2]:  # two of three confirm
        client.post(link)
    mailbox.clear()
    manage = "/es/actions/manage/" + domain.manage_token(action) + "/"
    page = client.get(manage).content.decode()
    assert "ana@example.org" not in page and "ben@example.org" not in page
    response = client.post(manage + "message/", {"body": "Bring water and a hat."})
    assert response.status_code == 200
    mail.deliver(mail.claim("w"), "w")
    received = mailbox.wait_for(2)
    assert sorted(str(m["To"]) for m in received) == ["ana@example.org", "ben@example.org"]
    for message in received:
        text = message.get_body(("plain",)).get_content()
        assert "Bring water and a hat." in text
        assert "ben@" not in text and "ana@" not in text and "dana@" not in text  # nobody else's address
        assert len(message.get_all("To")) == 1 and message["Cc"] is None and message["Bcc"] is None
    assert client.post(manage + "message/", {"body": ""}).status_code == 422


def test_a_cancelled_action_mails_its_attendees(client, action, mailbox):
    rsvp(client, action, "ana@example.org")
    mail.deliver(mail.claim("w"), "w")
    client.post(links(mailbox, "/rsvp/")[0])
    mailbox.clear()
    client.post("/es/actions/manage/" + domain.manage_token(action) + "/cancel/")
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana@example.org" and "Marcha por los ríos" in message["Subject"]
    assert rsvp(client, action, "late@example.org").status_code == 404


def test_a_full_action_says_so(client, action):
    Action.objects.filter(pk=action.pk).update(capacity=1, rsvps_confirmed=1)
    assert rsvp(client, action, "ana@example.org").status_code == 409
    assert '<p class="closed">' in client.get(f"/es/a/{action.pk}/").content.decode()
    assert client.post(f"/en/a/{action.pk}/rsvp/", {"email": "x@example.org"}).status_code == 409


def test_approximate_places_go_only_to_admitted_attendees(client, action, mailbox):
    Action.objects.filter(pk=action.pk).update(approximate_location=True, exact_location="-34.60834,-58.37127")
    action.refresh_from_db()
    rsvp(client, action, "ana@example.org", "Ana")
    mail.deliver(mail.claim("w"), "w")
    client.post(links(mailbox, "/rsvp/")[0])
    mailbox.clear()
    mail.deliver(mail.claim("w"), "w")
    assert mailbox.messages == []  # not admitted yet: no exact place
    manage = "/es/actions/manage/" + domain.manage_token(action) + "/"
    assert "Ana" in client.get(manage).content.decode()
    client.post(manage + "admit/", {"rsvp": Rsvp.objects.get().pk})
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.wait_for(1)
    assert "-34.60834,-58.37127" in message.get_body(("plain",)).get_content()
    assert client.post(manage + "admit/", {"rsvp": "nope"}).status_code == 200


def test_bad_rsvps(client, action):
    assert rsvp(client, action, "nope").status_code == 422
    assert client.post(f"/api/v1/actions/{action.pk}/rsvps", "{", content_type="application/json").status_code == 400
    assert client.post("/api/v1/actions/999/rsvps", json.dumps({"email": "a@example.org"}),
                       content_type="application/json").status_code == 404  # fmt: skip
    assert client.get("/en/rsvp/nope/").status_code == 404


def test_attendee_data_is_erased_after_the_action(action, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    rsvps.respond(action, "ana@example.org", "Ana", "es")
    rsvps.confirm(rsvps.confirm_token(Rsvp.objects.get()))
    time_machine.move_to(action.starts_at + timedelta(days=31))
    assert rsvps.erase_past(30) == 1
    action.refresh_from_db()
    assert not Rsvp.objects.exists() and action.rsvps_confirmed == 1
    assert timezone.now() > action.starts_at


def test_an_edit_returns_to_moderation_and_tells_attendees_of_a_new_time(client, action, mailbox):
    rsvp(client, action, "ana@example.org")
    mail.deliver(mail.claim("w"), "w")
    client.post(links(mailbox, "/rsvp/")[0])
    mailbox.clear()
    edit = "/es/actions/manage/" + domain.manage_token(action) + "/edit/"
    form = client.get(edit)
    assert form.status_code == 200 and 'value="2027-03-08T18:30"' in form.content.decode()
    data = {k: ("on" if v is True else v) for k, v in BUENOS_AIRES.items()
            if v not in (None, False) and not k.startswith("organizer")}  # fmt: skip
    assert client.post(edit, {**data, "starts_at": "2027-03-08T25:00"}).status_code == 422
    response = client.post(edit, {**data, "starts_at": "2027-03-08T19:30", "ends_at": "2027-03-08T21:30"})
    assert response.status_code == 303
    action.refresh_from_db()
    assert action.state == "pending" and action.starts_local == "2027-03-08T19:30"
    assert client.get("/api/v1/campaigns/rivers/actions").json()["count"] == 0  # back to the moderators
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana@example.org"
    text = message.get_body(("plain",)).get_content()
    assert "7:30" in text or "19:30" in text
    assert "America/Argentina/Buenos_Aires" in text


def test_an_edit_of_the_text_only_does_not_mail_attendees(client, action, mailbox):
    rsvp(client, action, "ana@example.org")
    mail.deliver(mail.claim("w"), "w")
    client.post(links(mailbox, "/rsvp/")[0])
    mailbox.clear()
    data = {k: ("on" if v is True else v) for k, v in BUENOS_AIRES.items()
            if v not in (None, False) and not k.startswith("organizer")}  # fmt: skip
    client.post("/es/actions/manage/" + domain.manage_token(action) + "/edit/", {**data, "title": "Nueva marcha"})
    action.refresh_from_db()
    assert action.title == "Nueva marcha" and action.state == "pending"
    mail.deliver(mail.claim("w"), "w")
    assert mailbox.messages == []


def test_a_manage_link_can_be_replaced_and_the_old_one_stops_working(client, action, mailbox):
    old = "/es/actions/manage/" + domain.manage_token(action) + "/"
    assert client.post(old + "renew/").status_code == 200
    assert client.get(old).status_code == 404
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.wait_for(1)
    new = next(line.strip() for line in message.get_body(("plain",)).get_content().splitlines()
               if "/actions/manage/" in line).removeprefix("http://testserver")  # fmt: skip
    assert new != old and client.get(new).status_code == 200


def test_the_action_page_has_a_map_of_the_place(client, action):
    html = client.get(f"/es/a/{action.pk}/").content.decode()
    assert 'id="action-point"' in html and 'data-latitude="-34.608300"' in html


def test_unconfirmed_rsvps_are_forgotten_after_a_week(action, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now())
    rsvps.respond(action, "late@example.org", "", "es")
    time_machine.move_to(timezone.now() + timedelta(days=8))
    assert rsvps.forget_unconfirmed(7) == 1 and not Rsvp.objects.exists()
