from convoca.core.jobs import periodic
from convoca.imports import runner


@periodic("imports.run", interval=lambda: 1)
def run_imports():
    return runner.work()


@periodic("imports.clean", interval=lambda: 3600)
def clean_imports():
    return runner.clean()
