"""`convoca load_demo`: load the invented demo campaign. Idempotent: a second run creates nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from convoca.campaigns import demo
from convoca.campaigns.models import Campaign, CampaignText
from convoca.core import crypto
from convoca.statements import domain
from convoca.statements.models import Endorsement, Revision, Statement


class Command(BaseCommand):
    help = "Load the invented, neutral demo campaign (demo mode only)."

    def handle(self, *args, **options):
        if not settings.CONVOCA.demo:
            raise CommandError("load_demo runs only in demo mode (CONVOCA_DEMO=1).")
        with transaction.atomic():
            created = self._load()
        domain.fold_counts()
        self.stdout.write(f"Demo data: {created} object(s) created.")

    def _load(self) -> int:
        created = 0
        campaign, new = Campaign.objects.get_or_create(
            slug=demo.CAMPAIGN["slug"], defaults={"languages": demo.CAMPAIGN["languages"]}
        )
        created += new
        for language, (title, description, privacy) in demo.CAMPAIGN["texts"].items():
            _, new = CampaignText.objects.get_or_create(
                campaign=campaign,
                language=language,
                defaults={"title": title, "description": description, "privacy_notice": privacy},
            )
            created += new
        statement, new = Statement.objects.get_or_create(
            slug=demo.STATEMENT["slug"],
            defaults={"campaign": campaign, "published": True, "goal": demo.STATEMENT["goal"]},
        )
        created += new
        revisions = {}
        for language, (title, body) in demo.STATEMENT["texts"].items():
            revision = Revision.objects.filter(statement=statement, language=language).first()
            if revision is None:
                revision = Revision.objects.create(statement=statement, language=language, title=title, body=body)
                created += 1
            revisions[language] = revision
        for index, (name, country, city, language) in enumerate(demo.PEOPLE):
            created += self._endorser(
                statement, revisions[language], f"person-{index}@demo.invalid", language,
                kind=Endorsement.Kind.PERSON, name=name, country=country, city=city, public=True,
            )  # fmt: skip
        for index, (organization, website, country, contact, role) in enumerate(demo.ORGANIZATIONS):
            created += self._endorser(
                statement, revisions["en"], f"org-{index}@demo.invalid", "en",
                kind=Endorsement.Kind.ORGANIZATION, name=contact, role=role, organization=organization,
                website=website, country=country, review=Endorsement.Review.APPROVED,
            )  # fmt: skip
        organization, website, country, contact, role = demo.PENDING_ORGANIZATION
        created += self._endorser(
            statement, revisions["en"], "org-pending@demo.invalid", "en",
            kind=Endorsement.Kind.ORGANIZATION, name=contact, role=role, organization=organization,
            website=website, country=country, review=Endorsement.Review.PENDING,
        )  # fmt: skip
        created += self._actions(campaign)
        return created

    def _actions(self, campaign) -> int:
        """Approved demo actions, put straight into the approved state (they are invented)."""
        from convoca.actions import zones
        from convoca.actions.models import Action

        created = 0
        for title, language, kind, start, end, venue, city, country, lat, lon, group in demo.ACTIONS:
            if Action.objects.filter(campaign=campaign, title=title).exists():
                continue
            zone = zones.zone_at(lat, lon)
            email = f"organizer-{Action.objects.count()}@demo.invalid"
            Action.objects.create(
                campaign=campaign, state=Action.State.APPROVED, kind=kind, language=language, title=title,
                description=title, starts_local=start, ends_local=end or "", timezone=zone,
                starts_at=zones.to_utc(zones.parse_wall_time(start), zone),
                ends_at=zones.to_utc(zones.parse_wall_time(end), zone) if end else None,
                venue=venue, city=city, country=country, latitude=lat, longitude=lon, group_name=group,
                organizer_name="Demo organizer", organizer_email=email,
                organizer_email_hash=crypto.email_hash(email),
                token_nonce=crypto.new_nonce(), verify_token_hash=crypto.token_hash(crypto.new_token()),
                manage_token_hash=crypto.token_hash(crypto.new_token()), verify_expires_at=timezone.now(),
                verified_at=timezone.now(),
            )  # fmt: skip
            created += 1
        return created

    def _endorser(self, statement, revision, email, language, *, kind, public=False, **fields) -> int:
        email_hash = crypto.email_hash(email)
        if Endorsement.objects.filter(statement=statement, kind=kind, email_hash=email_hash).exists():
            return 0
        now = timezone.now()
        review = fields.pop("review", Endorsement.Review.NOT_NEEDED)
        endorsement = Endorsement(
            statement=statement, kind=kind, email=email, email_hash=email_hash, language=language,
            revision=revision, consent_count_at=now, consent_public=public, consent_public_at=now if public else None,
            review=review, confirmed_at=now, token_nonce=crypto.new_nonce(),
            confirm_token_hash=crypto.token_hash(crypto.new_token()), confirm_expires_at=now, **fields,
        )  # fmt: skip
        endorsement.save()
        domain.settle(endorsement)
        return 1
