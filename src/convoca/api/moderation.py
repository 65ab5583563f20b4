"""API v1 for moderators: the queue and decisions, behind `Authorization: Bearer <token>`."""

import re
from typing import Annotated, Literal

from django.db.models import Model
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field, StringConstraints

from convoca.actions import domain as actions
from convoca.actions.models import Action
from convoca.api import schemas
from convoca.api.paging import ERRORS, links, paginate
from convoca.core import apitokens
from convoca.moderation import audit, queue, scopes
from convoca.moderation.models import AuditEntry
from convoca.statements import domain as statements
from convoca.statements.models import Endorsement


class StaffToken(HttpBearer):
    def authenticate(self, request, token):
        return apitokens.authenticate(token)


router = Router(tags=["moderation"], auth=StaffToken())
AUTH_ERRORS = {**ERRORS, 401: schemas.Detail}


class QueueItem(Schema):
    type: Literal["action", "endorsement"]
    id: int
    title: str | None = None
    organization: str | None = None
    country: str | None
    language: str
    submitted_at: str
    possible_duplicates: list[int]


class QueuePage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[QueueItem]


class DecisionIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={  # a rejection gives a reason: the organizer is told
            "if": {"properties": {"decision": {"const": "reject"}}, "required": ["decision"]},
            "then": {"properties": {"reason": {"type": "string", "pattern": schemas.VISIBLE}}, "required": ["reason"]},
            "examples": [{"decision": "approve"}, {"decision": "reject", "reason": "Not a local action."}],
        },
    )

    decision: Literal["approve", "reject"]
    reason: Annotated[str, StringConstraints(pattern=schemas.NO_NUL)] = Field(
        "", description="required to reject; at most 500 characters are kept"
    )


class DecisionOut(Schema):
    id: int
    state: str


@router.get(
    "/queue",
    response={200: QueuePage, **AUTH_ERRORS},
    openapi_extra=links(  # the item's type says which of the two takes its id
        moderation_decide_action={"action_id": "$response.body#/items/0/id"},
        moderation_decide_endorsement={"endorsement_id": "$response.body#/items/0/id"},
    ),
)
def moderation_queue(
    request, type: Literal["action", "endorsement"] = "action", page: int = Query(1, ge=1, le=1_000_000)
):
    if type == "action":
        meta, rows = paginate(request, scopes.limit_actions(queue.pending_actions(), request.auth), page)
        meta["items"] = [
            {
                "type": "action",
                "id": action.pk,
                "title": action.title,
                "country": action.country or None,
                "language": action.language,
                "submitted_at": action.created_at.isoformat(),
                "possible_duplicates": queue.possible_duplicates(action),
            }
            for action in rows
        ]
    else:
        meta, rows = paginate(request, scopes.limit_endorsements(queue.pending_organizations(), request.auth), page)
        meta["items"] = [
            {
                "type": "endorsement",
                "id": e.pk,
                "organization": e.organization,
                "country": e.country,
                "language": e.language,
                "submitted_at": e.created_at.isoformat(),
                "possible_duplicates": [],
            }
            for e in rows
        ]
    subject = Action if type == "action" else Endorsement
    audit.record(
        request.auth,
        AuditEntry.Action.VIEW,
        subject,
        where=f"moderation API queue page={page}",
        rows=len(meta["items"]),
    )
    return meta


def _decide(decide, model: type[Model], item_id: int, payload: DecisionIn, user, visible):
    if not visible.filter(pk=item_id).exists():
        raise Http404
    reason = payload.reason.strip()[:500]
    if payload.decision == "reject" and not re.search(schemas.VISIBLE, payload.reason):
        return Status(422, {"errors": {"reason": ["Give a reason to reject: the organizer is told."]}})
    try:
        item = decide(item_id, payload.decision, user, reason)
    except model.DoesNotExist:
        raise Http404 from None
    except (actions.AlreadyDecided, statements.AlreadyDecided) as already:
        return Status(409, {"detail": f"Already decided or not awaiting a decision (state: {already})."})
    return Status(200, {"id": item.pk, "state": getattr(item, "state", None) or item.review})


@router.post("/actions/{int:action_id}", response={200: DecisionOut, 409: schemas.Detail, **AUTH_ERRORS})
def decide_action(request, action_id: int, payload: DecisionIn):
    visible = scopes.limit_actions(Action.objects.all(), request.auth)
    return _decide(actions.decide, Action, action_id, payload, request.auth, visible)


@router.post("/endorsements/{int:endorsement_id}", response={200: DecisionOut, 409: schemas.Detail, **AUTH_ERRORS})
def decide_endorsement(request, endorsement_id: int, payload: DecisionIn):
    visible = scopes.limit_endorsements(Endorsement.objects.all(), request.auth)
    return _decide(statements.decide_organization, Endorsement, endorsement_id, payload, request.auth, visible)
