"""fixer/gitignore.py, which the compose fixes ask before they create an override: a path the
repository ignores is each developer's own (teams keep docker-compose.override.yml local)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixer.gitignore import ignored_in, is_ignored
from harness import open_tree


@pytest.mark.parametrize(("rules", "path", "expected"), [
    ("docker-compose.override.yml\n", "docker-compose.override.yml", True),
    ("docker-compose.override.yml\n", "services/api/docker-compose.override.yml", True),  # no slash: any depth
    ("/docker-compose.override.yml\n", "services/api/docker-compose.override.yml", False),  # anchored
    ("*.override.y*ml\n", "compose.override.yaml", True),
    ("*.override.yml\n!docker-compose.override.yml\n", "docker-compose.override.yml", False),  # last match wins
    ("infra/\n", "infra/compose.override.yaml", True),
    ("# docker-compose.override.yml\n.env\n", "docker-compose.override.yml", False),
])
def test_is_ignored(rules: str, path: str, expected: bool) -> None:
    assert is_ignored(path, rules) is expected


def test_a_deeper_gitignore_decides_for_its_directory(tmp_path: Path) -> None:
    (tmp_path / "services" / "api").mkdir(parents=True)
    (tmp_path / ".gitignore").write_text("compose.override.yaml\n")
    (tmp_path / "services" / "api" / ".gitignore").write_text("!compose.override.yaml\n")
    (tmp_path / "services" / "web").mkdir()
    (tmp_path / "services" / "web" / ".gitignore").write_text("node_modules\n")
    repo = open_tree(tmp_path)
    assert ignored_in(repo, "compose.override.yaml")
    assert not ignored_in(repo, "services/api/compose.override.yaml")
    assert ignored_in(repo, "services/web/compose.override.yaml")  # the root's rule still holds there
    assert not ignored_in(repo, "docker-compose.yml")
