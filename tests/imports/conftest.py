import dataclasses

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """Each test keeps its uploads in its own data directory, so it can see what is left there."""
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, data_dir=tmp_path / "data")
