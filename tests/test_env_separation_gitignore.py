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


def test_env_separation_hides_no_committed_env_file_of_a_dotenv_flow_repo(tmp_path: Path) -> None:
    """dotenv-flow commits `.env.development` (shared defaults): `.env.*` would hide every package's;
    a developer's own untracked one (secrets) is ignored by its path, the committed one is left."""
    from gitrepo import fixer, make_repo, write_tree

    root = make_repo(tmp_path / "repo", {
        "docker-compose.yml": "services:\n  orders:\n    env_file: ./services/orders/.env\n"
                              "  billing:\n    env_file: ./services/billing/.env\n",
        "services/orders/.env.development": "DATABASE_URL=postgres://localhost/orders\n",
        "services/orders/.env.test": "DATABASE_URL=postgres://localhost/orders_test\n",
        ".gitignore": "node_modules\n",
    })
    write_tree(root, {"services/billing/.env.development": "STRIPE_KEY=sk_live_not_committed\n"})  # untracked
    result = fixer("audit", str(root), "--fix", "env-separation", cwd=root)
    [line] = [line for line in result.stdout.decode().splitlines() if ".gitignore:" in line][:1]
    rules = line.split("adds ", 1)[1].split(" (", 1)[0].split(", ")
    assert rules == [".env", ".env.local", ".env.*.local", "/services/billing/.env.production",
                     "/services/billing/.env.development", "/services/orders/.env.production"], line
    assert not is_ignored("services/orders/.env.development", "\n".join(rules))
    assert not is_ignored("services/payments/.env.test", "\n".join(rules))  # a new package's too
