from convoca.core.jobs import periodic
from convoca.dashboard import exports


@periodic("dashboard.exports", interval=lambda: 1)
def write_exports():
    return exports.run_pending()


@periodic("dashboard.forget_exports", interval=lambda: 600)
def forget_exports():
    return exports.forget_old()
