"""secrets: a Dockerfile's RUN lines, compose `env_file:` of an untracked env file, Terraform values and
Docker client configs, and secrets deleted since that git history holds (the checklist's item).
Every value here is fake, of the right shape only."""

from __future__ import annotations

import base64
from pathlib import Path

from fixer import history
from fixer.gitops import GitRepo
from gitrepo import fixer, git, make_repo

STRIPE = "sk_live_Rm4xK9pQ2vT7wZ3nB8cF6hJ1"  # fake
PASSWORD = "Zk8qP3vN7xR2mT9wL4yB"  # fake


def _deleted_since(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "r", {"package.json": '{"name":"pay","version":"1.0.0"}\n',
                                      "src/legacy.ts": f"export const legacyKey = '{STRIPE}';\n"})
    git(repo, "rm", "-q", "src/legacy.ts")
    (repo / "src").mkdir(exist_ok=True)
    (repo / "src/pay.ts").write_text("export const key = process.env.STRIPE_SECRET_KEY;\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "read key from env")
    return repo


def test_history_hunt_finds_a_live_token_deleted_since(tmp_path: Path) -> None:
    from transforms.secrets import history_path, history_tokens

    repo = _deleted_since(tmp_path)
    found = history.search(GitRepo(repo), [], hunt=history.Hunt(history_tokens, history_path))
    assert found.hunted == {STRIPE}
    assert [s.path for s in found.found[STRIPE]] == ["src/legacy.ts"]
    (_value, line, paths), = history.deleted_candidates(found)
    assert STRIPE not in line and "sk_l…(32 chars)" in line and paths == ["src/legacy.ts"]
    # (a test's sample and a lockfile are not read for it)
    assert not history_path("src/legacy.test.ts") and not history_path("package-lock.json")


def test_checklist_fails_the_version_control_item_for_a_secret_only_history_holds(tmp_path: Path) -> None:
    repo = _deleted_since(tmp_path)
    out = fixer("audit", cwd=repo).stdout.decode()
    assert STRIPE not in out
    item = next(line for line in out.splitlines() if "All secrets removed from version control" in line)
    assert "❌" in item, item
    assert "git history: a secret deleted since, sk_l…(32 chars)" in out
    code_item = next(line for line in out.splitlines() if "No secrets in code or config files" in line)
    assert "✅" in code_item, code_item  # (no file of the tree holds it)


def test_a_secret_still_in_the_tree_is_no_deleted_one(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"package.json": '{"name":"pay","version":"1.0.0"}\n',
                                      "src/legacy.ts": f"export const legacyKey = '{STRIPE}';\n"})
    out = fixer("audit", "--fix", "secrets", cwd=repo).stdout.decode()
    assert history.DELETED_SINCE not in out and "src/legacy.ts:1" in out


def test_dockerfile_run_password_is_masked_in_the_dry_run(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"Dockerfile": (
        "FROM node:20-alpine\n"
        f"RUN curl -u deploy:{PASSWORD} https://artifacts.example.io/pkg.tgz -o pkg.tgz\n"
        "ENV DATABASE_URL=postgres://app:Mv8xK2pQ7rT4wZ9n@db.prod.internal:5432/app\n")})
    out = fixer("apply", "--fix", "secrets", "--dry-run", cwd=repo).stdout.decode()
    assert PASSWORD not in out and "Zk8q…(20 chars)" in out
    audit = fixer("audit", "-q", "--fix", "secrets", cwd=repo).stdout.decode()
    assert "Dockerfile:2:" in audit and "--mount=type=secret" in audit and PASSWORD not in audit


def test_an_optional_compose_env_file_is_not_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "svc/.env.production": f"STRIPE_SECRET_KEY={STRIPE}\n",
        "docker-compose.yml": "services:\n  svc:\n    image: node:20\n    env_file:\n"
                              "      - path: ./svc/.env.production\n        required: false\n"})
    out = fixer("audit", "-q", "--fix", "secrets", cwd=repo).stdout.decode()
    assert "svc/.env.production:1" in out and "compose requires it" not in out


def test_docker_config_auth_decodes_to_the_password(tmp_path: Path) -> None:
    auth = base64.b64encode(f"deploybot:{PASSWORD}".encode()).decode()
    repo = make_repo(tmp_path / "r", {".docker/config.json": '{"auths": {"ghcr.io": {"auth": "%s"}}}\n' % auth})
    out = fixer("audit", "-q", "--fix", "secrets", cwd=repo).stdout.decode()
    assert ".docker/config.json:1" in out and auth not in out and PASSWORD not in out
