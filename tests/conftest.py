import os

import pytest

pytest_plugins = ["nodeenv"]


@pytest.fixture(autouse=True, scope="session")
def _isolated_results_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """fixer commands run by tests keep their per-file results cache in a temp dir, never ~/.cache."""
    os.environ["FIXER_CACHE_DIR"] = str(tmp_path_factory.mktemp("fixer-cache"))
