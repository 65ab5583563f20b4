import pytest
from django.urls import reverse

from convoca.core.models import OutboxMessage
from convoca.statements import domain
from convoca.statements.models import Endorsement
from tests import factories
from tests.factories import ALICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    return factories.statement()


def page_url(statement, language="en"):
    return f"/{language}/s/{statement.slug}/"


def test_root_redirects_to_the_visitors_language(client):
    response = client.get("/", headers={"accept-language": "fr-CH, fr;q=0.9, en;q=0.8"})
    assert response.status_code == 302 and response["Location"] == "/fr/"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/", headers={"accept-language": "xx"})["Location"] == "/en/"


def test_statement_page_shows_text_count_form_and_no_cookie(client, statement):
    factories.confirm(factories.endorse(statement, ALICE, public=True))
    domain.fold_counts()
    response = client.get(page_url(statement))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>ask</strong>" in html and "An open letter" in html
    assert "<strong>1</strong> endorsement" in html
    assert 'name="email"' in html and "Alice Example" in html
    assert 'lang="en" dir="ltr"' in html
    assert not response.cookies, "anonymous visitors get no cookie"


def test_arabic_page_is_right_to_left_and_notes_the_fallback(client, statement):
    html = client.get(page_url(statement, "ar")).content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert '<p class="note">' in html


def test_unknown_or_unpublished_statement_is_404(client, statement):
    assert client.get("/en/s/nope/").status_code == 404
    statement.published = False
    statement.save()
    assert client.get(page_url(statement)).status_code == 404


def test_endorsing_leads_to_the_inbox_page_and_queues_one_mail(client, statement):
    response = client.post(f"{page_url(statement)}endorse/", factories.form_data(ALICE))
    assert response.status_code == 303
    assert response["Location"] == f"{page_url(statement)}check-your-inbox/"
    assert not response.cookies
    inbox = client.get(response["Location"])
    assert "Check your inbox" in inbox.content.decode()
    assert OutboxMessage.objects.filter(kind="statements.confirm").count() == 1


def test_new_and_repeated_addresses_get_the_same_answer(client, statement):
    first = client.post(f"{page_url(statement)}endorse/", factories.form_data(ALICE))
    again = client.post(f"{page_url(statement)}endorse/", factories.form_data(ALICE))
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"name": ""}, "name", "required"),
        ({"name": "x" * 101}, "name", "at most 100"),
        ({"country": "ZZ"}, "country", "valid choice"),
        ({"consent": ""}, "consent", "required"),
        ({"kind": "robot"}, "kind", "valid choice"),
        ({"kind": "organization"}, "organization", "organization"),
        ({"name": "bad\x07bell"}, "name", "control characters"),
        ({"name": "nul\x00byte"}, "name", "Null characters"),
        ({"city": "c" * 101}, "city", "at most 100"),
    ],
)
def test_bad_input_is_shown_beside_the_field(client, statement, changes, field, message):
    data = {**factories.form_data(ALICE), **changes}
    data = {key: value for key, value in data.items() if value != ""}
    response = client.post(f"{page_url(statement)}endorse/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message.lower() in html.lower()
    assert not Endorsement.objects.exists() and not OutboxMessage.objects.exists()


def test_names_in_any_script_are_kept(client, statement):
    for index, name in enumerate(["ليلى حداد", "अनन्या शर्मा", "王小明", "Zoë 🌊 Ríos"]):
        data = factories.form_data({**ALICE, "name": name, "email": f"s{index}@example.org"}, public=True)
        assert client.post(f"{page_url(statement)}endorse/", data).status_code == 303
        factories.confirm(Endorsement.objects.latest("id"))
    html = client.get(page_url(statement)).content.decode()
    for name in ["ليلى حداد", "अनन्या शर्मा", "王小明", "Zoë 🌊 Ríos"]:
        assert f"<bdi>{name}</bdi>" in html


def test_cross_site_posts_are_refused_without_cookies(client, statement):
    url = f"{page_url(statement)}endorse/"
    data = factories.form_data(ALICE)
    assert client.post(url, data, headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post(url, data, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post(url, data, headers={"origin": "null"}).status_code == 403
    assert not Endorsement.objects.exists()
    ok = client.post(url, data, headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"})
    assert ok.status_code == 303


def test_closed_statement_answers_409(client, statement):
    from django.utils import timezone

    statement.closes_at = timezone.now()
    statement.save()
    response = client.post(f"{page_url(statement)}endorse/", factories.form_data(ALICE))
    assert response.status_code == 409
    assert "closed" in response.content.decode()


def test_get_on_the_confirmation_link_changes_nothing(client, statement):
    alice = factories.endorse(statement, ALICE)
    url = reverse("statements:confirm", kwargs={"token": domain.confirm_token(alice)})
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200 and '<form method="post">' in response.content.decode()
    alice.refresh_from_db()
    assert alice.confirmed_at is None

    response = client.post(url)
    assert response.status_code == 200 and "confirmed" in response.content.decode()
    assert client.post(url).status_code == 200  # twice is harmless
    alice.refresh_from_db()
    assert alice.confirmed_at is not None
    assert "Already confirmed" in client.get(url).content.decode()


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 500])
def test_unknown_tokens_are_404(client, statement, token):
    assert client.get(f"/en/confirm/{token}/").status_code == 404
    assert client.post(f"/en/confirm/{token}/").status_code == 404


def test_public_list_is_searchable_and_paginated(client, statement):
    for index in range(55):
        data = {**ALICE, "name": f"Signer {index:02d}", "email": f"p{index}@example.org"}
        factories.confirm(factories.endorse(statement, data, public=True))
    page1 = client.get(page_url(statement)).content.decode()
    assert "Signer 00" in page1 and "Page 1 of 2" in page1 and "Signer 54" not in page1
    page2 = client.get(page_url(statement) + "?page=2").content.decode()
    assert "Signer 54" in page2
    found = client.get(page_url(statement) + "?q=signer+07").content.decode()
    assert "Signer 07" in found and "Signer 08" not in found
    assert client.get(page_url(statement) + "?page=abc").status_code == 200
    assert client.get(page_url(statement) + "?page=99999").status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_statement_page_query_count_does_not_grow_with_endorsers(client, statement, count, django_assert_num_queries):
    for index in range(count):
        data = {**ALICE, "name": f"N{index}", "email": f"q{index}@example.org"}
        factories.confirm(factories.endorse(statement, data, public=True))
    with django_assert_num_queries(8):
        client.get(page_url(statement))


def test_email_never_appears_on_public_pages(client, statement):
    factories.confirm(factories.endorse(statement, ALICE, public=True, updates=True))
    domain.fold_counts()
    for url in [
        page_url(statement),
        page_url(statement, "ar"),
        "/en/",
        f"/api/v1/statements/{statement.slug}/endorsements",
    ]:
        assert "alice@example.org" not in client.get(url).content.decode()


def test_the_revision_the_signer_read_is_recorded(client, statement):
    from convoca.statements.models import Revision

    read = statement.revisions.get()
    html = client.get(page_url(statement)).content.decode()
    assert f'name="revision" value="{read.pk}"' in html
    Revision.objects.create(statement=statement, language="en", title="Amended meanwhile", body="v2")
    client.post(f"{page_url(statement)}endorse/", {**factories.form_data(ALICE), "revision": read.pk})
    assert Endorsement.objects.get().revision == read
    other = factories.statement(slug="other")
    client.post(
        f"{page_url(statement)}endorse/",
        {**factories.form_data({**ALICE, "email": "x@example.org"}), "revision": other.revisions.get().pk},
    )
    assert Endorsement.objects.latest("id").revision.title == "Amended meanwhile"  # not another statement's
