from django.contrib.contenttypes.models import ContentType

from convoca.moderation.models import Decision


def record_decision(subject, verdict: str, user, reason: str = "") -> Decision:
    if verdict not in Decision.Verdict.values:
        raise ValueError(f"unknown verdict {verdict!r}")
    return Decision.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        verdict=verdict,
        reason=reason[:500],
        decided_by=user,
    )


def decisions_for(subject):
    return Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("decided_by")
