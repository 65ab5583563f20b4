import dataclasses

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """Each test keeps its uploads in its own data directory, so it can see what is left there."""
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, data_dir=tmp_path / "data")


@pytest.fixture(autouse=True)
def _no_pass_kept():
    """A worker's pass kept in memory belongs to one test's database."""
    from convoca.imports import runner

    yield
    for _phase, _position, chunks in runner._passes.values():
        chunks.close()
    runner._passes.clear()
