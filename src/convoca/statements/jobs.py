from django.conf import settings

from convoca.core.jobs import periodic
from convoca.statements import domain


@periodic("statements.fold_counts", interval=lambda: settings.CONVOCA.count_interval)
def fold_counts():
    return domain.fold_counts()
