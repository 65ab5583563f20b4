from django.conf import settings

from convoca.core.jobs import periodic
from convoca.statements import domain


@periodic("statements.fold_counts", interval=lambda: settings.CONVOCA.count_interval)
def fold_counts():
    return domain.fold_counts()


@periodic("statements.retention", interval=lambda: 3600)
def retention():
    return (
        domain.forget_unconfirmed(settings.CONVOCA.unconfirmed_retention_days),
        domain.forget_after_closing(settings.CONVOCA.endorser_retention_days),
    )
