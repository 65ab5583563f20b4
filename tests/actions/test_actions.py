"""Local actions: submission, verification by mail, moderation, and the public views of them."""

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from icalendar import Calendar

from convoca.actions import domain
from convoca.actions.forms import ActionForm
from convoca.actions.models import Action
from convoca.core import mail
from tests import factories

pytestmark = pytest.mark.django_db

BUENOS_AIRES = {
    "title": "Marcha por los ríos", "description": "Caminamos juntos hasta el río.", "language": "es",
    "kind": "march", "starts_at": "2027-03-08T18:30", "ends_at": "2027-03-08T21:00", "timezone": None,
    "online_url": None, "venue": "Plaza de Mayo", "address": "Av. Hipólito Yrigoyen s/n", "city": "Buenos Aires",
    "country": "AR", "latitude": -34.6083, "longitude": -58.3712, "approximate_location": False,
    "accessibility": "Recorrido sin escalones.", "group_name": "Vecinos del Riachuelo", "capacity": None,
    "organizer_name": "Dana Organizer", "organizer_email": "dana@example.org",
}  # fmt: skip


@pytest.fixture(scope="module")
def places(django_db_setup, django_db_blocker):
    from convoca.actions.places import import_places

    with django_db_blocker.unblock():
        import_places({"AR", "BR", "MX", "IL", "PS", "PK", "CH", "US", "GB", "FR"})
    yield
    with django_db_blocker.unblock():
        from convoca.actions.models import Place

        Place.objects.all().delete()


@pytest.fixture
def campaign():
    return factories.campaign(slug="rivers")


@pytest.fixture
def moderator():
    return get_user_model().objects.create_user("moderator", is_staff=True)


def submit(client, payload, campaign="rivers"):
    return client.post(f"/api/v1/campaigns/{campaign}/actions", json.dumps(payload), content_type="application/json")


def link_from(mailbox, fragment):
    [message] = [m for m in mailbox.messages if fragment in m.get_body(("plain",)).get_content()][-1:]
    text = message.get_body(("plain",)).get_content()
    return next(line.strip() for line in text.splitlines() if fragment in line).removeprefix("http://testserver")


def test_submit_verify_approve_and_find(client, campaign, mailbox, moderator):
    response = submit(client, BUENOS_AIRES)
    assert response.status_code == 202 and response.json() == {"status": "pending_verification"}
    action = Action.objects.get()
    assert (action.state, action.timezone, action.starts_local) == (
        "unverified",
        "America/Argentina/Buenos_Aires",
        "2027-03-08T18:30",
    )
    assert action.starts_at == datetime(2027, 3, 8, 21, 30, tzinfo=UTC)
    assert client.get("/api/v1/campaigns/rivers/actions").json()["count"] == 0

    mail.deliver(mail.claim("w"), "w")
    verify = link_from(mailbox, "/actions/verify/")
    assert verify.startswith("/es/actions/verify/")
    assert client.get(verify).status_code == 200
    action.refresh_from_db()
    assert action.state == "unverified"  # a GET changes nothing
    assert client.post(verify).status_code == 200
    action.refresh_from_db()
    assert action.state == "pending"
    mail.deliver(mail.claim("w"), "w")
    manage = link_from(mailbox, "/actions/manage/")

    domain.decide(action.pk, "approve", moderator)
    with pytest.raises(domain.AlreadyDecided):
        domain.decide(action.pk, "reject", moderator, "twice")

    listed = client.get("/api/v1/campaigns/rivers/actions").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["starts_at"] == "2027-03-08T18:30:00-03:00" and item["timezone"] == "America/Argentina/Buenos_Aires"
    assert item["ends_at"] == "2027-03-08T21:00:00-03:00" and item["url"].endswith(f"/es/a/{action.pk}/")
    assert client.get(f"/api/v1/actions/{action.pk}").json()["venue"] == "Plaza de Mayo"
    assert "Hipólito" not in json.dumps(item)  # the street address is not public

    geo = client.get("/api/v1/campaigns/rivers/actions.geojson")
    assert geo["Content-Type"] == "application/geo+json"
    feature = geo.json()["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-58.3712, -34.6083]}
    assert feature["properties"]["starts_at"] == "2027-03-08T18:30:00-03:00"

    ics = client.get("/api/v1/campaigns/rivers/actions.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start.astimezone(UTC) == datetime(2027, 3, 8, 21, 30, tzinfo=UTC)
    assert str(event["summary"]) == "Marcha por los ríos"
    assert client.get(f"/api/v1/actions/{action.pk}.ics").status_code == 200

    page = client.get(f"/es/a/{action.pk}/").content.decode()
    assert "Marcha por los ríos" in page and "America/Argentina/Buenos_Aires" in page

    assert client.get(manage).status_code == 200
    assert client.post(manage + "cancel/").status_code == 200
    action.refresh_from_db()
    assert action.state == "cancelled"
    assert client.get("/api/v1/campaigns/rivers/actions").json()["count"] == 0


def test_an_action_without_coordinates_is_placed_at_its_city(client, campaign, places):
    response = submit(
        client, {**BUENOS_AIRES, "latitude": None, "longitude": None, "city": "Sao Paulo", "country": "BR"}
    )
    assert response.status_code == 202, response.content
    action = Action.objects.get()
    assert round(action.latitude, 1) == -23.5 and action.timezone == "America/Sao_Paulo"


def test_an_unknown_city_without_coordinates_is_422(client, campaign, places):
    response = submit(client, {**BUENOS_AIRES, "latitude": None, "longitude": None, "city": "Nowhereville"})
    assert response.status_code == 422 and "city" in response.json()["errors"]


def test_a_time_in_a_daylight_saving_gap_is_refused(client, campaign):
    new_york = {**BUENOS_AIRES, "city": "New York", "country": "US", "latitude": 40.71, "longitude": -74.0}
    response = submit(client, {**new_york, "starts_at": "2027-03-14T02:30", "ends_at": None})
    assert response.status_code == 422
    assert "does not exist" in response.json()["errors"]["starts_at"][0]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "place"),
    [
        ("0001-01-01T00:00", "", ("PK", 24.86, 67.0)),  # east of Greenwich, UTC would be in year 0
        ("9999-12-31T23:00", "", ("AR", -34.6, -58.4)),  # west of it, in year 10000
        ("2027-03-08T18:30", "9999-12-31T23:59", ("AR", -34.6, -58.4)),
    ],
)
def test_the_form_refuses_years_at_the_ends_of_the_calendar(starts_at, ends_at, place):
    country, latitude, longitude = place
    form = ActionForm(data={
        "title": "t", "description": "d", "language": "en", "kind": "march", "starts_at": starts_at,
        "ends_at": ends_at, "city": "X", "country": country, "latitude": latitude, "longitude": longitude,
        "organizer_name": "n", "organizer_email": "n@example.org",
    })  # fmt: skip
    assert not form.is_valid()
    assert list(form.errors) == ["ends_at" if ends_at else "starts_at"]


def test_an_ambiguous_time_takes_the_first_occurrence(client, campaign):
    new_york = {**BUENOS_AIRES, "city": "New York", "country": "US", "latitude": 40.71, "longitude": -74.0}
    assert submit(client, {**new_york, "starts_at": "2027-11-07T01:30", "ends_at": None}).status_code == 202
    assert Action.objects.get().starts_at == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)  # EDT, not EST


def test_online_actions_need_a_link_and_a_zone(client, campaign):
    online = {**BUENOS_AIRES, "kind": "online", "city": None, "country": None, "latitude": None, "longitude": None}
    errors = submit(client, {**online, "venue": None}).json()["errors"]
    assert {"online_url", "timezone"} <= set(errors)
    ok = {**online, "online_url": "https://meet.example.org/rivers", "timezone": "Asia/Kolkata"}
    assert submit(client, ok).status_code == 202
    action = Action.objects.get()
    assert action.online and action.latitude is None and action.starts_at.hour == 13


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": "2027-03-08T18:30-03:00"}, "starts_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"ends_at": "2027-03-08T17:00"}, "ends_at"),
        ({"kind": "riot"}, "kind"),
        ({"latitude": 95.0}, "latitude"),
        ({"organizer_email": "nope"}, "organizer_email"),
        ({"title": ""}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"language": "xx"}, "language"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_submissions_are_422_per_field(client, campaign, changes, field):
    response = submit(client, {**BUENOS_AIRES, **changes})
    assert response.status_code == 422 and field in response.json()["errors"], response.content
    assert not Action.objects.exists()


def test_unknown_campaign_is_404(client, campaign):
    assert submit(client, BUENOS_AIRES, campaign="nope").status_code == 404


def test_approximate_location_rounds_the_public_point(client, campaign, moderator):
    submit(client, {**BUENOS_AIRES, "approximate_location": True, "latitude": -34.60834, "longitude": -58.37127})
    action = Action.objects.get()
    assert (action.latitude, action.longitude) == (-34.61, -58.37)
    assert action.exact_location == "-34.60834,-58.37127"


def test_near_sorts_by_distance_and_uses_a_bounding_box(client, campaign, moderator):
    spots = {"centro": (-34.6083, -58.3712), "la plata": (-34.9214, -57.9545), "rosario": (-32.9468, -60.6393)}
    for name, (lat, lon) in spots.items():
        submit(client, {**BUENOS_AIRES, "title": name, "latitude": lat, "longitude": lon})
    Action.objects.update(state="approved")
    body = client.get("/api/v1/campaigns/rivers/actions?near=-34.60,-58.38&radius_km=100").json()
    assert [item["title"] for item in body["items"]] == ["centro", "la plata"]
    assert body["items"][0]["distance_km"] < 2 < body["items"][1]["distance_km"] < 100
    assert client.get("/api/v1/campaigns/rivers/actions?near=nope").status_code == 422


def test_place_search_offline_in_any_script(client, places):
    for query, expected in [
        ("Sao Paulo", "São Paulo"), ("Ciudad de México", "Mexico City"), ("القدس", "Jerusalem"),
        ("Lahore", "Lahore"), ("Zürich", "Zürich"), ("zurich", "Zürich"),
    ]:  # fmt: skip
        items = client.get("/api/v1/places", {"q": query}).json()["items"]
        assert items and items[0]["name"] == expected, (query, items[:2])
    first = client.get("/api/v1/places", {"q": "Sao Paulo", "country": "BR"}).json()["items"][0]
    assert set(first) == {"name", "country", "latitude", "longitude", "timezone", "population"}
    assert first["timezone"] == "America/Sao_Paulo"
    assert client.get("/api/v1/places").status_code == 422


def test_the_html_pages(client, campaign, moderator):
    assert client.get("/en/c/rivers/actions/").status_code == 200
    form = client.get("/fr/c/rivers/actions/new/")
    assert form.status_code == 200 and 'name="starts_at"' in form.content.decode()
    assert not form.cookies
    bad = client.post("/en/c/rivers/actions/new/", {"title": "x"})
    assert bad.status_code == 422 and 'id="id_organizer_email_error"' in bad.content.decode()
    data = {k: ("on" if v is True else v) for k, v in BUENOS_AIRES.items() if v not in (None, False)}
    ok = client.post("/es/c/rivers/actions/new/", data)
    assert ok.status_code == 303 and ok["Location"] == "/es/c/rivers/actions/thanks/"
    assert client.post("/en/c/rivers/actions/new/", data, headers={"origin": "https://evil.example"}).status_code == 403
    action = Action.objects.get()
    domain.verify(domain.verify_token(action))
    domain.decide(action.pk, "approve", moderator)
    listing = client.get("/es/c/rivers/actions/").content.decode()
    assert "Marcha por los ríos" in listing and "Buenos Aires" in listing
    assert client.get("/en/a/999999/").status_code == 404
    assert client.get("/en/actions/verify/nope/").status_code == 404
    assert client.get("/en/actions/manage/nope/").status_code == 404


def test_pages_show_the_local_time_at_the_place(client, campaign, moderator):
    submit(client, BUENOS_AIRES)
    action = Action.objects.get()
    domain.verify(domain.verify_token(action))
    domain.decide(action.pk, "approve", moderator)
    for page in (client.get("/en/c/rivers/actions/"), client.get(f"/en/a/{action.pk}/")):
        html = page.content.decode()
        assert "Mon, Mar 8, 2027, 6:30\u202fPM" in html and "(<bdi>America/Argentina/Buenos_Aires</bdi>)" in html
        assert "9:30" not in html
    # CLDR's order and punctuation in Arabic: weekday، day month year، time (Django's format gave "مارس 8, 2027")
    arabic = client.get(f"/ar/a/{action.pk}/").content.decode()
    assert "الاثنين، 8 مارس 2027، 6:30 م" in arabic
    assert "<bdi>Plaza de Mayo</bdi>، <bdi>Buenos Aires</bdi>، الأرجنتين" in arabic, "the Arabic comma between places"
    assert "<bdi>Buenos Aires</bdi>, Argentina" in client.get("/en/c/rivers/actions/").content.decode()


def test_the_geojson_is_prepared_served_gzipped_and_refreshed(client, campaign, moderator):
    import gzip as gz

    from convoca.actions import feeds
    from convoca.actions.models import PreparedFeed

    submit(client, BUENOS_AIRES)
    first = Action.objects.get()
    domain.verify(domain.verify_token(first))
    domain.decide(first.pk, "approve", moderator)
    assert feeds.prepare_all() == 1
    response = client.get("/api/v1/campaigns/rivers/actions.geojson", headers={"accept-encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert len(json.loads(gz.decompress(response.content))["features"]) == 1
    assert PreparedFeed.objects.count() == 1

    submit(client, {**BUENOS_AIRES, "title": "Second"})
    second = Action.objects.latest("id")
    domain.verify(domain.verify_token(second))
    domain.decide(second.pk, "approve", moderator)  # an approval drops the prepared feed
    assert len(client.get("/api/v1/campaigns/rivers/actions.geojson").json()["features"]) == 2
    # the app process's copy of the gzipped feed follows the rebuild, not the copy it held
    response = client.get("/api/v1/campaigns/rivers/actions.geojson", headers={"accept-encoding": "gzip"})
    assert len(json.loads(gz.decompress(response.content))["features"]) == 2
    feeds.prepare_all()  # the worker's periodic rebuild: a new copy, read once more
    response = client.get("/api/v1/campaigns/rivers/actions.geojson", headers={"accept-encoding": "gzip"})
    assert len(json.loads(gz.decompress(response.content))["features"]) == 2


def test_the_atom_feed_lists_new_public_actions(client, campaign, moderator):
    import xml.etree.ElementTree as ET

    submit(client, BUENOS_AIRES)
    submit(client, {**BUENOS_AIRES, "title": "Not yet approved"})
    first = Action.objects.get(title="Marcha por los ríos")
    domain.verify(domain.verify_token(first))
    domain.decide(first.pk, "approve", moderator)
    response = client.get("/feeds/rivers/actions.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(response.content).findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == ["Marcha por los ríos"]
    assert entries[0].find("a:link", ns).get("href").endswith(f"/es/a/{first.pk}/")
    assert client.get("/feeds/nope/actions.atom").status_code == 404


def test_near_me_on_the_page_from_a_typed_city_or_a_position(client, campaign, moderator, places):
    spots = {"Obelisco": (-34.6037, -58.3816), "Rosario centro": (-32.9468, -60.6393)}
    for name, (lat, lon) in spots.items():
        submit(client, {**BUENOS_AIRES, "title": name, "latitude": lat, "longitude": lon})
    Action.objects.update(state="approved")
    html = client.get("/en/c/rivers/actions/", {"near_city": "Rosario", "country": "AR"}).content.decode()
    assert html.index("Rosario centro") < html.index("Obelisco")
    assert "Nearest to <bdi>Rosario</bdi> first." in html and "km away" in html
    html = client.get("/en/c/rivers/actions/", {"near": "-34.60,-58.38"}).content.decode()
    assert html.index("Obelisco") < html.index("Rosario centro") and "Nearest to you first." in html
    html = client.get("/en/c/rivers/actions/", {"near_city": "Atlantis"}).content.decode()
    assert "could not find that city" in html and "Obelisco" in html
    assert client.get("/en/c/rivers/actions/", {"near": "999,abc"}).status_code == 200


def test_the_list_filters_by_country_city_kind_date_and_online(client, campaign, moderator):
    submit(client, BUENOS_AIRES)
    rosario = {"city": "Rosario", "latitude": -32.95, "longitude": -60.64}
    submit(client, {**BUENOS_AIRES, **rosario, "title": "Rosario rally", "kind": "rally",
                    "starts_at": "2027-03-09T10:00", "ends_at": None})  # fmt: skip
    submit(client, {**BUENOS_AIRES, "title": "Online teach-in", "kind": "online", "city": None, "country": None,
                    "latitude": None, "longitude": None, "online_url": "https://meet.example.org/x",
                    "timezone": "Europe/Paris"})  # fmt: skip
    Action.objects.update(state="approved")

    def titles(**query):
        html = client.get("/en/c/rivers/actions/", query).content.decode()
        return {t for t in ("Marcha por los ríos", "Rosario rally", "Online teach-in") if f">{t}</a>" in html}

    assert titles() == {"Marcha por los ríos", "Rosario rally", "Online teach-in"}
    assert titles(city="rosario") == {"Rosario rally"}
    assert titles(kind="march") == {"Marcha por los ríos"}
    assert titles(date="2027-03-09") == {"Rosario rally"}
    assert titles(online="1") == {"Online teach-in"}
    assert titles(country="AR", date="garbage") == {"Marcha por los ríos", "Rosario rally"}
    assert '<option value="AR">Argentina</option>' in client.get("/en/c/rivers/actions/").content.decode()


def test_time_filters_take_any_offset_and_refuse_the_calendars_edges(client, campaign, moderator):
    """PostgreSQL refuses UTC offsets beyond ±15:59 (schemathesis found +20:58 giving a 500)."""
    submit(client, BUENOS_AIRES)
    Action.objects.update(state="approved")
    for query in ("from=2800-02-29T13:58:00%2B20:58", "to=2000-01-01T00:00:00-23:59", "from=2026-01-01"):
        assert client.get(f"/api/v1/campaigns/rivers/actions?{query}").status_code == 200, query
    for query in ("from=0001-01-01T00:00:00%2B05:00", "to=9999-12-31T23:59:00-05:00", "from=tomorrow"):
        assert client.get(f"/api/v1/campaigns/rivers/actions?{query}").status_code == 422, query
