"""The commands a plan's pull request gives its reviewer (`report.verify_commands`)."""

from __future__ import annotations

from pathlib import Path

from fixer import config as config_mod
from fixer import report
from fixer.repo import DirectorySource, Repo
from fixer.runner import FileChange, FixRun
from gitrepo import write_tree
from transforms import registry


def _run(fix_id: str, changed: dict[str, bytes | None]) -> FixRun:
    run = FixRun(registry()[fix_id].INFO, {})
    run.changes = {path: FileChange(path, b"before\n", after) for path, after in changed.items()}
    return run


def test_an_included_or_extended_compose_file_is_checked_through_the_files_that_pull_it_in(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "docker-compose.yml": "include:\n  - ops/db.yml\nservices:\n  api:\n    extends:\n"
                              "      file: ops/common.yml\n      service: base\n",
        "ops/db.yml": "include:\n  - nested/cache.yml\nservices:\n  db:\n    image: postgres:16\n",
        "ops/nested/cache.yml": "services:\n  cache:\n    image: redis:7\n",
        "ops/common.yml": "services:\n  base:\n    image: node:20\n",
        "compose.prod.yml": "include:\n  - ops/db.yml\n",
        "ops/unrelated.yml": "services:\n  x:\n    image: busybox\n",
    })
    repo = Repo(tmp_path, DirectorySource(tmp_path), config_mod.load(tmp_path, registry()))
    assert repo.compose_roots("ops/nested/cache.yml") == ["compose.prod.yml", "docker-compose.yml"]
    assert repo.compose_roots("ops/common.yml") == ["docker-compose.yml"]
    assert repo.compose_roots("docker-compose.yml") == ["docker-compose.yml"]
    assert repo.compose_roots("ops/unrelated.yml") == []
    run = _run("env-separation", {"ops/nested/cache.yml": b"x\n", "ops/common.yml": b"y\n",
                                  "docker-compose.override.yml": b"z\n"})
    commands = report.verify_commands(run, repo, "fixer/x", "main")
    composes = [c for c in commands if c.startswith("docker compose")]
    assert composes == ["docker compose -f docker-compose.yml -f docker-compose.override.yml config --quiet",
                        "docker compose -f docker-compose.yml config --quiet",
                        "docker compose -f compose.prod.yml config --quiet"]
