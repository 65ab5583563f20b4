from django.conf import settings

from convoca.actions import rsvps
from convoca.core.jobs import periodic


@periodic("actions.erase_attendees", interval=lambda: 3600)
def erase_attendees():
    return rsvps.erase_past(settings.CONVOCA.attendee_retention_days)
