"""The API's shapes. Input schemas state what the apps' forms accept, so that a value the schema
allows is accepted and one it refuses is refused (422): simple rules (lengths, patterns, ranges)
are enforced here by pydantic, choices and e-mail addresses by the forms, which say the same."""

from datetime import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from ninja import Path, Schema
from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints

from convoca.actions.models import Action
from convoca.core import languages

# --- what values look like ----------------------------------------------------------------------
# Patterns are written for JSON Schema (ECMA-262) and pydantic's engine alike: no look-around.
_CONTROL = r"\x00-\x1f\x7f-\x9f"
TEXT = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"  # something besides spaces; no control characters
OPTIONAL_TEXT = rf"^[^{_CONTROL}]*$"
NO_NUL = r"^[^\x00]*$"
VISIBLE = rf"[^\s{_CONTROL}]"  # somewhere, something besides spaces
LONG_TEXT = rf"^[^\x00]*[^\s{_CONTROL}][^\x00]*$"  # may span lines
SLUG = r"^[-a-zA-Z0-9_]+$"
COUNTRY_CODE = r"^[A-Za-z]{2}$"

# Calendar dates from 1900 to 2999, leap days included: a date the pattern allows exists.
_YEAR = r"(?:19|2[0-9])[0-9]{2}"
_LEAP_YEAR = r"(?:(?:19|2[0-9])(?:0[48]|[2468][048]|[13579][26])|2[048]00)"
_DATE = (
    rf"(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    rf"|02-(?:0[1-9]|1[0-9]|2[0-8]))|{_LEAP_YEAR}-02-29)"
)
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
WALL_TIME = rf"^{_DATE}T{_TIME}$"
INSTANT = rf"^{_DATE}(?:T{_TIME}(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?)?$"

_LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
_LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
NEAR = rf"^{_LATITUDE},{_LONGITUDE}$"

# A web address as the forms take it: http(s) with a host name, or a bare host name (https is assumed,
# so the bare form may be 8 characters shorter).
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,28}[A-Za-z0-9])?\.){1,6}[A-Za-z]{2,24}"
_REST = rf"(?:[/?#][^\s{_CONTROL}]*)?"
WEB_ADDRESS = rf"^https?://{_HOST}{_REST}$"
BARE_WEB_ADDRESS = rf"^{_HOST}{_REST}$"

# What a 422 says instead of "String should match pattern '…'".
PATTERN_MESSAGES = {
    TEXT: _("Write some text, without control characters."),
    OPTIONAL_TEXT: _("This text contains control characters."),
    NO_NUL: _("Null characters are not allowed."),
    LONG_TEXT: _("Write some text, without null characters."),
    SLUG: _("Use letters, digits, hyphens and underscores."),
    COUNTRY_CODE: _("Use a two-letter country code."),
    WALL_TIME: _("Give the local date and time as YYYY-MM-DDTHH:MM, without a time zone."),
    INSTANT: _("Give a date (YYYY-MM-DD) or a date and time (ISO 8601), from 1900 to 2999."),
    NEAR: _("Use near=latitude,longitude."),
    WEB_ADDRESS: _("Enter a valid web address."),
    BARE_WEB_ADDRESS: _("Enter a valid web address."),
}

Slug = Annotated[str, Path(..., pattern=SLUG, max_length=80)]

COUNTRIES = sorted(code for code, _name in countries)
LANGUAGES = list(languages.CODES)


def _integral(value):
    """JSON does not tell 912 from 912.0, nor does JSON Schema: both are integers. A string stays refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def text(max_length: int, *, required: bool = True):
    return Annotated[str, StringConstraints(max_length=max_length, pattern=TEXT if required else OPTIONAL_TEXT)]


def web_address(max_length: int):
    return Annotated[
        Annotated[str, StringConstraints(max_length=max_length, pattern=WEB_ADDRESS)]
        | Annotated[str, StringConstraints(max_length=max_length - len("https://"), pattern=BARE_WEB_ADDRESS)],
        Field(description="http(s) address; without a scheme, https is assumed"),
    ]


def email():
    return Field(max_length=254, json_schema_extra={"format": "email"})


def choice(values: list, description: str | None = None, **kwargs):
    """A choice the form checks (422 naming the field); the schema lists it."""
    return Field(description=description, json_schema_extra={"enum": values}, **kwargs)


class Counts(Schema):
    people: int
    organizations: int
    total: int


class StatementOut(Schema):
    slug: str
    title: str
    campaign: str
    language: str = Field(description="the language of the text returned")
    languages: list[str] = Field(description="every language this statement has a text in")
    url: str
    counts: Counts
    goal: int | None
    closes_at: datetime | None


class StatementDetailOut(StatementOut):
    body_html: str = Field(description="the statement's body, rendered from Markdown and sanitised")


class StatementPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[StatementOut]


class EndorserOut(Schema):
    kind: Literal["person", "organization"]
    name: str
    organization: str | None
    country: str | None = Field(description="null when fewer than 3 endorsers from that country are listed")
    city: str | None
    date: str = Field(description="day of confirmation, YYYY-MM-DD (never a time)")


class EndorserPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[EndorserOut]


ENDORSEMENT_EXAMPLES = [
    {"name": "Alice Example", "email": "alice@example.org", "country": "AR", "city": "Rosario", "public": True,
     "language": "es", "source": "rivers-network"},
    {"kind": "organization", "name": "Bob Builder", "email": "bob@example.net", "country": "FR",
     "organization": "Friends of Rivers", "website": "https://rivers.example.net", "role": "Secretary"},
]  # fmt: skip


class EndorsementIn(Schema):
    """Strict: unknown fields and wrongly typed values are refused with 422."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            # an organization must be named
            "if": {"properties": {"kind": {"const": "organization"}}, "required": ["kind"]},
            "then": {"properties": {"organization": {"type": "string", "pattern": TEXT}}, "required": ["organization"]},
            "examples": ENDORSEMENT_EXAMPLES,
        },
    )

    kind: Literal["person", "organization"] = "person"
    name: text(100)
    email: str = email()
    country: str = choice(COUNTRIES, "ISO 3166 code")
    city: text(100, required=False) | None = None
    organization: text(200, required=False) | None = None
    website: web_address(300) | None = None
    role: text(100, required=False) | None = None
    public: bool = False
    updates: bool = False
    language: str | None = choice(
        [*LANGUAGES, None], "the language the signer read; default: the campaign's", default=None
    )
    altcha: str | None = Field(
        default=None,
        max_length=4000,
        description="a solved proof of work (GET /api/v1/challenge); without it the strict lane applies",
    )
    source: Annotated[str, StringConstraints(max_length=40, pattern=SLUG)] | None = Field(
        default=None,
        description=(
            "the code of the campaign's partner organization the signer came through (as in `?source=` "
            "links and embeds); recorded with the endorsement for attribution. A code that is not one of "
            "the campaign's partners is accepted and recorded as none, so a removed partner's link keeps "
            "working; a repeated address keeps the source it first came with."
        ),
    )


class ChallengeParameters(Schema):
    algorithm: str
    cost: int
    keyLength: int
    keyPrefix: str
    keySignature: str | None = None
    nonce: str
    salt: str
    expiresAt: int | None = None
    data: dict | None = None


class Challenge(Schema):
    parameters: ChallengeParameters
    signature: str


class Accepted(Schema):
    status: Literal["pending_confirmation", "pending_verification"]


class FieldErrors(Schema):
    errors: dict[str, list[str]] = Field(description="messages per field")


class Detail(Schema):
    detail: str


ACTION_EXAMPLES = [
    {"title": "March for the rivers", "description": "We walk together to the river.", "language": "es",
     "kind": "march", "starts_at": "2027-03-08T18:30", "ends_at": "2027-03-08T21:00", "venue": "Plaza de Mayo",
     "city": "Buenos Aires", "country": "AR", "latitude": -34.6083, "longitude": -58.3712,
     "organizer_name": "Dana Organizer", "organizer_email": "dana@example.org"},
    {"title": "Rivers teach-in", "description": "An hour on river data, open to all.", "language": "pt",
     "kind": "online", "starts_at": "2027-03-08T19:00", "timezone": "America/Sao_Paulo",
     "online_url": "https://meet.example.org/rivers", "organizer_name": "Eli Organizer",
     "organizer_email": "eli@example.org"},
]  # fmt: skip


class ActionIn(Schema):
    """Strict: unknown fields and wrongly typed values are refused with 422."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": ACTION_EXAMPLES})

    title: text(200)
    description: Annotated[str, StringConstraints(max_length=5000, pattern=LONG_TEXT)]
    language: str = choice(LANGUAGES)
    kind: str = choice([kind.value for kind in Action.Kind])
    starts_at: Annotated[str, StringConstraints(pattern=WALL_TIME)] = Field(
        description="local wall time at the place, without offset: 2027-03-08T18:30"
    )
    ends_at: Annotated[str, StringConstraints(pattern=WALL_TIME)] | None = None
    timezone: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, description="IANA zone; required for online actions"
    )
    online_url: web_address(500) | None = None
    venue: text(200, required=False) | None = None
    address: text(300, required=False) | None = None
    city: text(100, required=False) | None = None
    country: str | None = choice([*COUNTRIES, "", None], "ISO 3166 code; required unless online", default=None)
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    approximate_location: bool = False
    accessibility: Annotated[str, StringConstraints(max_length=1000, pattern=NO_NUL)] | None = None
    group_name: text(200, required=False) | None = None
    capacity: Annotated[int, Field(ge=1, le=10_000_000), BeforeValidator(_integral)] | None = None
    organizer_name: text(100)
    organizer_email: str = email()
    altcha: str | None = Field(
        default=None,
        max_length=4000,
        description="a solved proof of work (GET /api/v1/challenge); without it the strict lane applies",
    )


class ActionOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    starts_at: str = Field(description="ISO 8601 with the place's UTC offset")
    ends_at: str | None
    timezone: str
    venue: str | None
    city: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    approximate: bool
    online: bool
    group_name: str | None
    rsvps: int
    capacity: int | None
    url: str
    distance_km: float | None = None


class ActionPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ActionOut]


class Place(Schema):
    name: str
    country: str
    latitude: float
    longitude: float
    timezone: str
    population: int


class PlaceList(Schema):
    items: list[Place]


class RsvpIn(Schema):
    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [{"email": "fatima@example.org", "name": "Fatima"}]}
    )

    email: str = email()
    name: text(100, required=False) | None = None
    language: str | None = Field(default=None, description="for the mails; default: the action's language")
    altcha: str | None = Field(
        default=None,
        max_length=4000,
        description="a solved proof of work (GET /api/v1/challenge); without it the strict lane applies",
    )
