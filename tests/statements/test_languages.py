"""The statement in every language of the coalition: interface, content, mail."""

import pytest
from django.utils import translation

from convoca.core import languages, mail
from convoca.statements.models import Endorsement
from tests import factories
from tests.factories import ALICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    campaign = factories.campaign(languages=("en", "fr", "ar", "ur"))
    return factories.statement(
        campaign_=campaign,
        en=("An open letter", "We ask."),
        fr=("Une lettre ouverte", "Nous demandons."),
        ar=("رسالة مفتوحة", "نطالب."),
    )


def test_a_browser_asking_for_spanish_lands_on_spanish(client):
    response = client.get("/", headers={"accept-language": "es-AR,es;q=0.9"})
    assert response["Location"] == "/es/"
    assert client.get("/", headers={"accept-language": "ur-PK"})["Location"] == "/ur/"


@pytest.mark.parametrize("code", ["ar", "ur"])
def test_right_to_left_pages(client, statement, code):
    html = client.get(f"/{code}/s/{statement.slug}/").content.decode()
    assert f'<html lang="{code}" dir="rtl">' in html
    assert "rtl.css" in html
    with translation.override(code):
        assert translation.gettext("Endorse this statement") in html
        assert translation.gettext("Endorse this statement") != "Endorse this statement"


def test_urdu_falls_back_to_the_default_text_with_a_note(client, statement):
    html = client.get(f"/ur/s/{statement.slug}/").content.decode()
    assert "An open letter" in html
    with translation.override("ur"):
        note = translation.gettext(
            "This text is not yet available in your language; it is shown in its original language."
        )
    assert note in html and note.startswith("This") is False


def test_arabic_page_shows_the_arabic_version_without_a_note(client, statement):
    html = client.get(f"/ar/s/{statement.slug}/").content.decode()
    assert "رسالة مفتوحة" in html and 'class="note"' not in html
    assert "rtl.css" in html


def test_the_switcher_links_the_same_page_in_all_nine_languages(client, statement):
    html = client.get(f"/fr/s/{statement.slug}/?page=1").content.decode()
    for language in languages.REGISTRY:
        assert f'href="/{language.code}/s/{statement.slug}/?page=1"' in html
        assert language.native_name in html
    assert len(languages.REGISTRY) == 9
    assert 'aria-current="true">Français' in html


def test_alternate_versions_are_announced(client, statement):
    html = client.get(f"/en/s/{statement.slug}/").content.decode()
    for code in ("en", "fr", "ar"):
        assert f'<link rel="alternate" hreflang="{code}" href="/{code}/s/{statement.slug}/">' in html
    assert 'hreflang="ur"' not in html.split("</head>")[0]


@pytest.mark.parametrize(("code", "title"), [("fr", "Une lettre ouverte"), ("ar", "رسالة مفتوحة")])
def test_endorsing_from_a_page_records_its_language_and_mails_in_it(client, statement, mailbox, code, title):
    revision = statement.revisions.get(language=code)
    response = client.post(
        f"/{code}/s/{statement.slug}/endorse/", {**factories.form_data(ALICE), "revision": revision.pk}
    )
    assert response.status_code == 303 and response["Location"].startswith(f"/{code}/")
    endorsement = Endorsement.objects.get()
    assert (endorsement.language, endorsement.revision) == (code, revision)
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.wait_for(1)
    with translation.override(code):
        subject = translation.gettext("Confirm your endorsement: %(title)s") % {"title": title}
        greeting = translation.gettext("Hello %(name)s,") % {"name": "Alice Example"}
    # Python's e-mail package folds a long encoded subject after "Subject:", so a parser reads a leading space
    assert message["Subject"].strip() == subject and not subject.startswith("Confirm your")
    body = message.get_body(("plain",)).get_content()
    assert greeting in body and f"/{code}/confirm/" in body


def test_numbers_and_countries_in_the_visitors_language(client, statement):
    for index in range(3):
        factories.confirm(factories.endorse(statement, {**ALICE, "email": f"n{index}@example.org"}, public=True))
    from convoca.statements import domain

    domain.fold_counts()
    statement.goal = 12000
    statement.save()
    assert "12.000" in client.get(f"/es/s/{statement.slug}/").content.decode()
    assert "12\u202f000" in client.get(f"/fr/s/{statement.slug}/").content.decode()
    german = client.get(f"/de/s/{statement.slug}/").content.decode()
    assert "<h3>Argentinien</h3>" in german
    assert '<option value="AR">Argentinien</option>' in german
    assert "<h3>الأرجنتين</h3>" in client.get(f"/ar/s/{statement.slug}/").content.decode()


def test_the_html_mail_runs_right_to_left_in_arabic(client, statement, mailbox):
    client.post(f"/ar/s/{statement.slug}/endorse/", factories.form_data(ALICE))
    mail.deliver(mail.claim("w"), "w")
    [message] = mailbox.wait_for(1)
    assert '<html lang="ar" dir="rtl">' in message.get_body(("html",)).get_content()
