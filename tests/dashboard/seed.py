"""An invented campaign for the dashboard's tests and screenshots: several countries, a week of
sign-ups with a peak, three partners, organizations waiting for review, a rejected wave, actions.

Every sign-up goes through `statements.domain` (endorse, confirm, review, decide_wave), so the
counted flags and count events are the real ones; only the confirmation times are moved back.
"""

import random
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from convoca.actions.models import Action
from convoca.campaigns.models import CampaignText, Partner
from convoca.gate.models import Alert
from convoca.statements import domain
from convoca.statements.models import Endorsement, Revision
from tests import factories

PARTNERS = [
    ("river-keepers", "River Keepers Network", "https://riverkeepers.example.org"),
    ("coastal-towns", "Coastal Towns Alliance", "https://coastal.example.net"),
    ("students-water", "Students for Water", ""),
]
# country, weight
COUNTRIES = [
    ("BR", 14), ("IN", 12), ("NG", 9), ("MX", 8), ("DE", 7), ("FR", 6), ("KE", 6), ("PH", 5), ("ES", 5),
    ("AR", 4), ("EG", 4), ("ID", 4), ("US", 3), ("JO", 2), ("PK", 2), ("TR", 2), ("CA", 1), ("ZA", 1),
]  # fmt: skip
FIRST = ["Ana", "Bruno", "Chidi", "Dewi", "Elif", "Farah", "Gabriel", "Hana", "Ines", "Jomo", "Kiran", "Lucia",
         "Marta", "Nadia", "Omar", "Priya", "Rafael", "Sara", "Tomás", "Yusuf"]  # fmt: skip
LAST = ["Almeida", "Banerjee", "Castro", "Diallo", "Eze", "Fischer", "García", "Haddad", "Ito", "Kamau",
        "Lopez", "Moreau", "Nasser", "Okafor", "Pereira", "Quispe", "Rahman", "Santos", "Tan", "Yilmaz"]  # fmt: skip
ORGS = ["Friends of the Delta", "Clean Water Union", "Lakeside Farmers Cooperative", "Urban Rivers Lab",
        "Mangrove Watch", "Fishers Mutual", "Wetland Trust"]  # fmt: skip


def _confirm_at(endorsement: Endorsement, at: datetime) -> None:
    factories.confirm(endorsement)
    Endorsement.objects.filter(pk=endorsement.pk).update(confirmed_at=at, created_at=at - timedelta(minutes=7))


def _action(campaign, title, city, country, lat, lon, state, language="en", days=10):
    starts = timezone.now() + timedelta(days=days)
    return Action.objects.create(
        campaign=campaign, state=state, kind=Action.Kind.RALLY, language=language, title=title,
        description="Meet at the river bank.", starts_local=starts.strftime("%Y-%m-%dT10:00"), timezone="UTC",
        starts_at=starts, city=city, country=country, latitude=lat, longitude=lon, organizer_name="Organizer",
        organizer_email=f"organizer-{secrets.token_hex(4)}@example.org", organizer_email_hash=secrets.token_hex(16),
        token_nonce=secrets.token_hex(8), verify_token_hash=secrets.token_hex(32),
        manage_token_hash=secrets.token_hex(32), verify_expires_at=starts,
        verified_at=timezone.now() - timedelta(hours=random.Random(title).randint(1, 40)),
    )  # fmt: skip


def seed(people: int = 260, now: datetime | None = None) -> dict:
    """The campaign "rivers" with statement "clean-rivers"; returns what a test needs to check."""
    rng = random.Random(7)
    now = now or timezone.now()
    campaign = factories.campaign(slug="rivers", languages=("en", "es", "ar"))
    CampaignText.objects.create(campaign=campaign, language="ar", title="تحالف المياه", privacy_notice="نحتفظ بالقليل.")
    statement = factories.statement(
        slug="clean-rivers",
        goal=1000,
        campaign_=campaign,
        en=("Clean rivers for everyone", "Rivers give **water and life**. We ask for three things."),
        es=("Ríos limpios para todos", "Los ríos dan **agua y vida**."),
        ar=("أنهار نظيفة للجميع", "تمنح الأنهار **الماء والحياة**."),
    )
    statement.opens_at = now - timedelta(days=8)
    statement.save(update_fields=["opens_at"])
    for code, name, website in PARTNERS:
        Partner.objects.create(campaign=campaign, code=code, name=name, website=website)
    codes = [code for code, _name, _site in PARTNERS]
    weights = [weight for _country, weight in COUNTRIES]
    countries = [country for country, _weight in COUNTRIES]
    # Days before now, weighted: a launch, a peak two days in (a newspaper article), a long tail.
    day_weights = {7: 6, 6: 10, 5: 34, 4: 16, 3: 11, 2: 9, 1: 8, 0: 6}
    for i in range(people):
        country = rng.choices(countries, weights)[0]
        source = rng.choices([*codes, ""], [30, 18, 12, 40])[0]
        days_ago = rng.choices(list(day_weights), list(day_weights.values()))[0]
        at = now - timedelta(hours=24 * days_ago + rng.uniform(0.1, 24))
        person = {"kind": "person", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                  "email": f"person{i}@example.org", "country": country}  # fmt: skip
        endorsement = factories.endorse(
            statement, person, language=rng.choice(["en", "es", "ar"]), public=rng.random() < 0.4,
            updates=rng.random() < 0.6,
        )  # fmt: skip
        Endorsement.objects.filter(pk=endorsement.pk).update(source=source)
        _confirm_at(endorsement, at)
    # Organizations: most approved, two waiting for review.
    user = get_user_model().objects.get_or_create(username="seed-moderator", defaults={"is_staff": True})[0]
    for i, name in enumerate(ORGS):
        org = {"kind": "organization", "name": "Contact Person", "email": f"org{i}@example.net",
               "country": countries[i % 6], "organization": name, "website": f"https://org{i}.example.net"}  # fmt: skip
        endorsement = factories.endorse(statement, org, updates=True)
        Endorsement.objects.filter(pk=endorsement.pk).update(source=codes[i % 3] if i < 5 else "")
        _confirm_at(endorsement, now - timedelta(days=rng.randint(0, 5), hours=rng.uniform(0, 12)))
        if i < 5:
            domain.review([endorsement.pk], "approve", user)
    # Never confirmed, and a wave over the limits, rejected by a moderator: neither counts.
    for i in range(15):
        late = factories.endorse(statement, {"kind": "person", "name": "Late Reader", "email": f"later{i}@example.org",
                                             "country": rng.choice(countries)})  # fmt: skip
        Endorsement.objects.filter(pk=late.pk).update(source=codes[i % 3] if i < 9 else "")
    wave = "rivers-wave-1"
    for i in range(6):
        endorsement = factories.endorse(
            statement, {"kind": "person", "name": "Bulk", "email": f"bulk{i}@example.com", "country": "US"}
        )
        Endorsement.objects.filter(pk=endorsement.pk).update(hold=Endorsement.Hold.HELD, wave=wave)
        _confirm_at(Endorsement.objects.get(pk=endorsement.pk), now - timedelta(hours=30, minutes=i))
    domain.decide_wave(wave, "reject", user)
    held = factories.endorse(
        statement, {"kind": "person", "name": "Held One", "email": "held@example.com", "country": "DE"}
    )
    Endorsement.objects.filter(pk=held.pk).update(hold=Endorsement.Hold.HELD, wave="rivers-wave-2")
    # Actions: approved ones in several countries, two waiting.
    for title, city, country, lat, lon in [
        ("River clean-up day", "Recife", "BR", -8.05, -34.9), ("Vigil by the Yamuna", "Delhi", "IN", 28.6, 77.2),
        ("March for the lagoon", "Lagos", "NG", 6.45, 3.39), ("Picnic on the Isar", "Munich", "DE", 48.1, 11.6),
        ("Rally at the Pasig", "Manila", "PH", 14.6, 121.0), ("Rally in Belém", "Belém", "BR", -1.45, -48.5),
    ]:  # fmt: skip
        _action(campaign, title, city, country, lat, lon, Action.State.APPROVED)
    _action(campaign, "Canal walk", "Mexico City", "MX", 19.4, -99.1, Action.State.PENDING, "es")
    _action(campaign, "Beach gathering", "Mombasa", "KE", -4.05, 39.67, Action.State.PENDING)
    Alert.objects.create(kind=Alert.Kind.STATEMENT, subject=statement.slug, detail="62 sign-ups in 10 minutes")
    domain.fold_counts()
    return {"campaign": campaign, "statement": statement, "now": now}


def latest(statement, language="en") -> Revision:
    return Revision.objects.filter(statement=statement, language=language).latest("created_at")
