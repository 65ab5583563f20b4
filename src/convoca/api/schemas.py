from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


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


class EndorsementIn(Schema):
    """Strict: unknown fields and wrongly typed values are refused with 422."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["person", "organization"] = "person"
    name: str
    email: str
    country: str
    city: str | None = None
    organization: str | None = None
    website: str | None = None
    role: str | None = None
    public: bool = False
    updates: bool = False
    language: str | None = Field(default=None, description="the language the signer read; default: the campaign's")
    altcha: str | None = Field(
        default=None,
        max_length=4000,
        description="a solved proof of work (GET /api/v1/challenge); without it the strict lane applies",
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


class ActionIn(Schema):
    """Strict: unknown fields and wrongly typed values are refused with 422."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str
    description: str
    language: str
    kind: str
    starts_at: str = Field(description="local wall time at the place, without offset: 2027-03-08T18:30")
    ends_at: str | None = None
    timezone: str | None = Field(default=None, description="IANA zone; required for online actions")
    online_url: str | None = None
    venue: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    latitude: float | int | None = None
    longitude: float | int | None = None
    approximate_location: bool = False
    accessibility: str | None = None
    group_name: str | None = None
    capacity: int | None = None
    organizer_name: str
    organizer_email: str
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
    model_config = ConfigDict(extra="forbid", strict=True)

    email: str
    name: str | None = None
    language: str | None = None
    altcha: str | None = Field(
        default=None,
        max_length=4000,
        description="a solved proof of work (GET /api/v1/challenge); without it the strict lane applies",
    )
