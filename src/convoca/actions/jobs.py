from django.conf import settings

from convoca.actions import feeds, rsvps
from convoca.core.jobs import periodic


@periodic("actions.erase_attendees", interval=lambda: 3600)
def erase_attendees():
    return (
        rsvps.erase_past(settings.CONVOCA.attendee_retention_days),
        rsvps.forget_unconfirmed(settings.CONVOCA.unconfirmed_retention_days),
    )


@periodic("actions.prepare_feeds", interval=lambda: settings.CONVOCA.count_interval)
def prepare_feeds():
    return feeds.prepare_all()
