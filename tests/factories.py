"""Builders for test data, with the personas that make tests read like stories.

alice signs as a person; bob endorses on behalf of an organization; carol never confirms.
"""

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from convoca.campaigns.models import Campaign, CampaignText
from convoca.core import crypto
from convoca.statements import domain
from convoca.statements.models import Revision, Statement


def campaign(slug="water", languages=("en", "es", "ar")) -> Campaign:
    campaign = Campaign.objects.create(slug=slug, languages=list(languages))
    CampaignText.objects.create(
        campaign=campaign, language="en", title="Water coalition", privacy_notice="We keep little, encrypted."
    )
    return campaign


def statement(slug="open-letter", goal=100, closes_at=None, published=True, campaign_=None, **texts) -> Statement:
    statement = Statement.objects.create(
        campaign=campaign_ or campaign(slug=f"{slug}-campaign"),
        slug=slug,
        goal=goal,
        published=published,
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=closes_at,
    )
    texts = texts or {"en": ("An open letter", "We **ask** for clean water.")}
    for language, (title, body) in texts.items():
        Revision.objects.create(statement=statement, language=language, title=title, body=body)
    return statement


ALICE = {
    "kind": "person",
    "name": "Alice Example",
    "email": "alice@example.org",
    "country": "AR",
    "city": "Rosario",
}
BOB = {
    "kind": "organization",
    "name": "Bob Builder",
    "email": "bob@example.net",
    "country": "FR",
    "organization": "Friends of Rivers",
    "website": "https://rivers.example.net",
    "role": "Secretary",
}
CAROL = {"kind": "person", "name": "Carol Quiet", "email": "carol@example.com", "country": "JO"}


def form_data(person: dict, **extra) -> dict:
    data = {"consent": "on", **person, **extra}
    return {key: ("on" if value is True else value) for key, value in data.items() if value not in (None, False)}


def endorse(statement, person: dict, language="en", **extra):
    data = {"city": "", "organization": "", "website": "", "role": "", "public": False, "updates": False}
    data.update(person)
    data.update(extra)
    domain.endorse(statement, data, language, domain.latest_revision(statement, language))
    return statement.endorsements.get(email_hash=crypto.email_hash(person["email"]), kind=data["kind"])


def confirm(endorsement):
    return domain.confirm(domain.confirm_token(endorsement))


def staff_login(client, user):
    """Log a staff user in as a password and a TOTP code would (the real login: tests/core/test_staff.py)."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
