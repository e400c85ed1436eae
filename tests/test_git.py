"""`fixer apply` against real git repositories: branches, commits, and the user's state."""

from __future__ import annotations

import glob
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixer import __version__, cli
from fixer.gitops import GitRepo
from gitrepo import (GIT_ENV, GIT_STATE, SMALL_REPO, amend_in_the_same_second, dirty_checkout, fixer, git, make_repo,
                     snapshot, write_tree)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", SMALL_REPO)


def test_apply_makes_one_commit_with_only_the_fix_files(repo: Path) -> None:
    result = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert result.returncode == 0, result.stderr
    assert b"created branch fixer/health-endpoints" in result.stdout
    assert git(repo, "rev-list", "--count", "main..fixer/health-endpoints").strip() == "1"
    changed = git(repo, "diff", "--name-only", "main", "fixer/health-endpoints").split()
    assert changed == ["services/booking-service/src/app.ts"]
    assert "app.get('/health'," in git(repo, "show", "fixer/health-endpoints:services/booking-service/src/app.ts")
    message = git(repo, "log", "-1", "--format=%B", "fixer/health-endpoints")
    assert message.startswith("health-endpoints: Serve health checks on /health\n")
    assert "Fix 2" in message and "Fixer-Fix: health-endpoints" in message
    assert "services/booking-service/src/app.ts" in message


def test_the_users_checkout_index_and_stash_are_untouched(repo: Path) -> None:
    before, state = dirty_checkout(repo)

    result = fixer("apply", "--fix", "health-endpoints", str(repo))

    assert result.returncode == 0, result.stderr
    assert b"uncommitted changes" in result.stderr
    after = snapshot(repo)
    # only git's object store and the new ref may differ
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert all(p.startswith((".git/objects/", ".git/refs/heads/fixer/", ".git/logs/refs/heads/fixer")) for p in changed), changed
    assert state == [git(repo, *args) for args in GIT_STATE]
    # the branch is built from HEAD, not from the dirty working tree
    assert "app.get('/health'," in git(repo, "show", "fixer/health-endpoints:services/booking-service/src/app.ts")


def test_dry_run_writes_nothing_and_its_diff_is_what_apply_commits(repo: Path, tmp_path: Path) -> None:
    before = snapshot(repo)
    dry = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo))
    assert dry.returncode == 0, dry.stderr
    assert snapshot(repo) == before
    assert b"\x1b[" not in dry.stdout  # not a terminal: no color
    assert dry.stdout.startswith(b"diff --git a/services/booking-service/src/app.ts")
    assert b"2 finding(s), 2 fixed; 1 file(s) changed" in dry.stderr  # the route, and the HEALTHCHECK it now serves

    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "apply", "-", input=dry.stdout)
    git(clone, "add", "-A")
    assert git(clone, "write-tree").strip() == git(repo, "rev-parse", "fixer/health-endpoints^{tree}").strip()


def test_an_existing_branch_is_refused_and_kept(repo: Path) -> None:
    git(repo, "branch", "fixer/health-endpoints")
    tip = git(repo, "rev-parse", "fixer/health-endpoints")
    result = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert result.returncode == 2
    assert b"already exists" in result.stderr and b"Traceback" not in result.stderr
    assert git(repo, "rev-parse", "fixer/health-endpoints") == tip
    forced = fixer("apply", "--fix", "health-endpoints", "--force", str(repo))
    assert forced.returncode == 2 and b"did not make" in forced.stderr
    assert git(repo, "rev-parse", "fixer/health-endpoints") == tip


def test_force_replaces_fixers_branch_only_while_nobody_committed_on_it(repo: Path) -> None:
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    first = git(repo, "rev-parse", "fixer/health-endpoints").strip()
    # the base moves: a re-run needs --force and then rebuilds the branch on the new base
    write_tree(repo, {"docs.md": "more\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 2
    forced = fixer("apply", "--fix", "health-endpoints", "--force", str(repo))
    assert forced.returncode == 0, forced.stderr
    second = git(repo, "rev-parse", "fixer/health-endpoints").strip()
    assert second != first and git(repo, "rev-parse", "fixer/health-endpoints^").strip() == git(repo, "rev-parse", "main").strip()
    # someone commits on the branch: fixer never replaces it again
    git(repo, "checkout", "-q", "fixer/health-endpoints")
    write_tree(repo, {"theirs.txt": "theirs\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a reviewer's commit")
    git(repo, "checkout", "-q", "main")
    tip = git(repo, "rev-parse", "fixer/health-endpoints")
    refused = fixer("apply", "--fix", "health-endpoints", "--force", str(repo))
    assert refused.returncode == 2 and b"did not make" in refused.stderr
    assert git(repo, "rev-parse", "fixer/health-endpoints") == tip


def test_rerun_is_up_to_date_and_fixed_base_has_nothing_to_fix(repo: Path) -> None:
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    tip = git(repo, "rev-parse", "fixer/health-endpoints")
    again = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert again.returncode == 0 and b"up to date" in again.stdout
    assert git(repo, "rev-parse", "fixer/health-endpoints") == tip
    on_branch = fixer("apply", "--fix", "health-endpoints", "--base", "fixer/health-endpoints", "--branch", "x", str(repo))
    assert on_branch.returncode == 0
    assert b"nothing to fix" in on_branch.stderr
    assert "x" not in git(repo, "branch", "--format=%(refname:short)").split()


def test_a_failure_mid_apply_leaves_no_branch_and_no_worktree(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real_write_blob = GitRepo.write_blob

    def failing_write_blob(self: GitRepo, data: bytes) -> str:
        calls["n"] += 1
        if calls["n"] >= 1:
            raise OSError("disk full (injected)")
        return real_write_blob(self, data)

    monkeypatch.setattr(GitRepo, "write_blob", failing_write_blob)
    leftovers = set(glob.glob(os.path.join(tempfile.gettempdir(), "fixer-index-*")))
    result = CliRunner().invoke(cli.app, ["apply", "--fix", "health-endpoints", str(repo)])
    assert result.exit_code != 0 and calls["n"] == 1
    assert git(repo, "branch", "--format=%(refname:short)").split() == ["main"]
    assert len(git(repo, "worktree", "list").splitlines()) == 1
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "fixer-index-*"))) == leftovers


def test_outside_a_git_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    write_tree(plain, SMALL_REPO)
    dry = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(plain))
    assert dry.returncode == 0 and b"app.get('/health'," in dry.stdout
    real = fixer("apply", "--fix", "health-endpoints", str(plain))
    assert real.returncode == 2
    assert b"not a git repository" in real.stderr and b"git init" in real.stderr
    assert (plain / "services/booking-service/src/app.ts").read_text() == SMALL_REPO["services/booking-service/src/app.ts"]


def test_a_subdirectory_of_a_repository_is_its_own_scope(tmp_path: Path) -> None:
    outer = make_repo(tmp_path / "outer", {f"monorepo/{k}": v for k, v in SMALL_REPO.items()} | {
        "elsewhere/app.ts": "app.get('/healthz', h, h2);\n",
    })
    dry = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(outer / "monorepo"))
    assert dry.returncode == 0
    assert b"a/monorepo/services/booking-service/src/app.ts" in dry.stdout
    assert b"elsewhere" not in dry.stdout
    git(outer, "apply", "--check", "-", input=dry.stdout)


def test_nothing_to_fix_makes_no_branch(tmp_path: Path) -> None:
    clean = make_repo(tmp_path / "clean", {"services/a/package.json": "{}", "services/a/app.ts": "app.get('/health', h);\n"})
    result = fixer("apply", "--fix", "health-endpoints", str(clean))
    assert result.returncode == 0 and b"nothing to fix" in result.stderr
    assert git(clean, "branch", "--format=%(refname:short)").split() == ["main"]
    # /healthz beside /health is reported, never renamed: findings for a human are not "nothing to fix"
    both = make_repo(tmp_path / "both", {"services/a/package.json": "{}",
                                         "services/a/app.ts": "app.get('/health', h);\napp.get('/healthz', h);\n"})
    result = fixer("apply", "--fix", "health-endpoints", str(both))
    assert result.returncode == 0 and b"nothing to fix" not in result.stderr, result.stderr
    assert b"1 finding(s) to review by hand, nothing fixed automatically; no branch created" in result.stderr
    assert b"not fixed: services/a/app.ts:2:" in result.stderr
    assert git(both, "branch", "--format=%(refname:short)").split() == ["main"]


def test_repository_without_commits_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=empty, check=True)
    result = fixer("apply", "--fix", "health-endpoints", str(empty))
    assert result.returncode == 2 and b"no commits" in result.stderr and b"Traceback" not in result.stderr


def test_an_error_listing_untracked_files_reaches_the_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Untracked files are listed by a thread while the index is read: a git failure there
    is raised to the caller (then reported as a one-line error), not lost with the thread."""
    from fixer.errors import GitError
    from fixer.gitops import GitRepo
    from fixer.repo import WorkingTreeSource

    repo_dir = make_repo(tmp_path / "r", {"a.ts": "export {};\n"})
    (repo_dir / "new.ts").write_text("export {};\n")
    git_repo = GitRepo.discover(repo_dir)
    assert git_repo is not None
    source = WorkingTreeSource(git_repo, "", repo_dir)
    assert sorted(e.path for e in source.entries()) == ["a.ts", "new.ts"]

    def broken(self: GitRepo, prefix: str = "") -> list[str]:
        raise GitError("git ls-files failed: simulated")
    monkeypatch.setattr(GitRepo, "ls_untracked", broken)
    with pytest.raises(GitError, match="simulated"):
        source.entries()


# --- who owns a branch; branch names ---------------------------------------------------------

BRANCH = "fixer/health-endpoints"


def _move_main(repo: Path) -> None:
    docs = repo / "docs.md"
    write_tree(repo, {"docs.md": (docs.read_text() if docs.exists() else "") + "more\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")


def test_the_commit_records_the_tree_fixer_wrote(repo: Path) -> None:
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    message = git(repo, "log", "-1", "--format=%B", BRANCH)
    tree = git(repo, "rev-parse", f"{BRANCH}^{{tree}}").strip()
    from fixer.gitops import message_digest

    digest = message_digest(message)
    assert len(digest) == 12
    assert message.rstrip("\n").endswith(
        f"Fixer-Fix: health-endpoints\nFixer-Version: {__version__}\nFixer-Tree: {tree} {digest}")
    assert git(repo, "interpret-trailers", "--parse", input=message.encode()).splitlines()[-1] == f"Fixer-Tree: {tree} {digest}"


@pytest.mark.parametrize("amend", [["--no-edit"], ["--no-edit", "--reset-author"]])
def test_force_never_replaces_an_amended_fixer_commit(repo: Path, monkeypatch: pytest.MonkeyPatch, amend: list[str]) -> None:
    """The user amends work into fixer's commit, keeping its trailers (and, with --reset-author
    or within the same second, equal author and committer dates): the branch is theirs now."""
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    amend_in_the_same_second(repo, BRANCH, {"services/booking-service/src/app.ts": "// my amended work\n"}, amend,
                             monkeypatch)
    assert "Fixer-Fix: health-endpoints" in git(repo, "log", "-1", "--format=%B", BRANCH)
    assert git(repo, "log", "-1", "--format=%ad", "--date=raw", BRANCH) == git(repo, "log", "-1", "--format=%cd", "--date=raw", BRANCH)
    tip = git(repo, "rev-parse", BRANCH)
    _move_main(repo)
    refused = fixer("apply", "--fix", "health-endpoints", "--force", str(repo))
    assert refused.returncode == 2, refused.stdout
    assert b"has commits fixer did not make" in refused.stderr and b"refusing to replace it" in refused.stderr
    assert b"its files are not the tree fixer committed" in refused.stderr and b"Traceback" not in refused.stderr
    assert len(refused.stderr.decode().strip().splitlines()) == 1
    assert git(repo, "rev-parse", BRANCH) == tip
    assert git(repo, "show", f"{BRANCH}:services/booking-service/src/app.ts") == "// my amended work\n"


def _as_older_fixer(repo: Path, branch: str, env: dict[str, str] | None = None) -> str:
    """Rewrite the branch's tip as an older fixer made it: the same commit without `Fixer-Tree`."""
    message = git(repo, "cat-file", "commit", branch).partition("\n\n")[2]  # exactly as stored
    older = "".join(line for line in message.splitlines(keepends=True) if not line.startswith("Fixer-Tree:"))
    assert older != message
    result = subprocess.run(["git", "commit-tree", f"{branch}^{{tree}}", "-p", f"{branch}^"], cwd=repo,
                            input=older.encode(), capture_output=True, check=True,
                            env={**os.environ, **GIT_ENV, **(env or {})})
    commit = result.stdout.decode().strip()
    git(repo, "update-ref", f"refs/heads/{branch}", commit)
    return commit


def test_force_and_a_commit_of_an_older_fixer(repo: Path) -> None:
    """A commit without `Fixer-Tree` (an older fixer's) is still replaced while its dates show
    nobody rewrote it, and never once they do."""
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    _as_older_fixer(repo, BRANCH)
    _move_main(repo)
    forced = fixer("apply", "--fix", "health-endpoints", "--force", str(repo))
    assert forced.returncode == 0, forced.stderr
    assert b"replaced branch" in forced.stdout
    assert "Fixer-Tree: " in git(repo, "log", "-1", "--format=%B", BRANCH)
    # an older fixer's commit that someone amended (a committer date after the author date)
    rewritten = _as_older_fixer(repo, BRANCH, {"GIT_AUTHOR_DATE": "1700000000 +0000",
                                               "GIT_COMMITTER_DATE": "1700000100 +0000"})
    _move_main(repo)
    refused = fixer("apply", "--fix", "health-endpoints", "--force", str(repo))
    assert refused.returncode == 2 and b"was rewritten after fixer made it" in refused.stderr
    assert git(repo, "rev-parse", BRANCH).strip() == rewritten


def test_branch_names_git_would_refuse_are_refused(repo: Path) -> None:
    """`git check-ref-format --branch @` expands `@` to the current branch and passes: fixer
    made `refs/heads/@`. Names are checked as `refs/heads/<name>`, and `@`, `HEAD`, `-…` refused."""
    for name in ("@", "HEAD", "-x", "a..b", "fixer/x.lock"):
        result = fixer("apply", "--fix", "health-endpoints", f"--branch={name}", str(repo))
        assert result.returncode == 2, (name, result.stdout)
        assert f"{name!r} is not a valid branch name".encode() in result.stderr and b"Traceback" not in result.stderr
    assert git(repo, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]


def test_a_branch_beside_a_directory_of_branches_is_a_clear_error(repo: Path) -> None:
    git(repo, "branch", f"{BRANCH}/mine")
    before = snapshot(repo)
    result = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert (f"branch {BRANCH!r} cannot be made because branch '{BRANCH}/mine' exists").encode() in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert snapshot(repo) == before


def test_a_repository_that_signs_every_commit_is_told_fixers_are_not_signed(repo: Path) -> None:
    git(repo, "config", "commit.gpgsign", "true")
    applied = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert applied.returncode == 0, applied.stderr.decode()
    assert "note: commit.gpgsign is set, but fixer's commits are not signed" in applied.stderr.decode()
    planned = fixer("plan", "--only", "healthcheck-loopback", str(repo))
    out = planned.stdout.decode() + planned.stderr.decode()
    assert planned.returncode == 0 and "commit.gpgsign is set, but fixer's commits are not signed" in out
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "branch", "-D", "fixer/health-endpoints")
    assert b"gpgsign" not in fixer("apply", "--fix", "health-endpoints", str(repo)).stderr


def test_a_git_failure_names_what_git_named(tmp_path: Path) -> None:
    """A stale ref lock: git's last line is only "remove the file manually to continue."; the
    error keeps git's `fatal:` line, which names the lock file, and that advice."""
    from fixer.errors import GitError
    from fixer.gitops import GitRepo

    repo = make_repo(tmp_path / "locked", SMALL_REPO)
    gitrepo = GitRepo.discover(repo)
    assert gitrepo is not None
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "branch", "fixer/x")
    lock = repo / ".git" / "refs" / "heads" / "fixer" / "x.lock"
    lock.write_text("")
    with pytest.raises(GitError) as raised:
        gitrepo.set_branch("fixer/x", head, head)
    text = str(raised.value)
    assert str(lock) in text and "File exists" in text and "remove the file manually" in text
    assert len(text.splitlines()) == 1


# --- repository shapes git refuses or fixer misread (r12) -------------------------------------


def _fake_git(tmp_path: Path, stderr: str) -> dict[str, str]:
    """An environment whose `git` answers `rev-parse --show-toplevel` with `stderr` and exit 128
    (what git says for a repository it refuses), and runs the real git for anything else."""
    import shutil
    import stat
    import sys

    real = shutil.which("git")
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    script = bin_dir / "git"
    script.write_text(f"#!{sys.executable}\nimport os, sys\n"
                      "if '--show-toplevel' in sys.argv:\n"
                      f"    sys.stderr.write({stderr!r})\n    sys.exit(128)\n"
                      f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def test_a_repository_git_refuses_is_a_clear_error_not_a_plain_directory(tmp_path: Path) -> None:
    """safe.directory ("dubious ownership": a checkout owned by another uid, in a container or
    a shared CI workspace): git's refusal and its advice are the one-line error; read as a plain
    directory, a tracked .env was called untracked and apply advised `git init`."""
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    stderr = (f"fatal: detected dubious ownership in repository at '{repo}'\n"
              "To add an exception for this directory, call:\n\n"
              f"\tgit config --global --add safe.directory {repo}\n")
    env = _fake_git(tmp_path, stderr)
    for args in (("apply", "--fix", "health-endpoints"), ("audit",), ("plan", "--dry-run")):
        result = fixer(*args, str(repo), env=env)
        text = result.stderr.decode()
        assert result.returncode == 2, (args, text)
        assert f"git refuses {repo}: detected dubious ownership in repository at '{repo}'" in text
        assert f"`git config --global --add safe.directory {repo}`" in text
        assert "git init" not in text and "Traceback" not in text and len(text.strip().splitlines()) == 1
    assert git(repo, "branch", "--format=%(refname:short)").split() == ["main"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown to another uid")
def test_a_checkout_of_another_owner_is_refused_with_gits_advice(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    subprocess.run(["chown", "-R", "12345:12345", str(repo)], check=True)
    result = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert result.returncode == 2 and b"dubious ownership" in result.stderr and b"safe.directory" in result.stderr


def test_git_missing_from_path_in_a_repository_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without git on PATH (a slim image), a directory in a git repository is no plain directory;
    one in none still is."""
    from fixer.errors import UsageError

    repo = make_repo(tmp_path / "r", SMALL_REPO)
    plain = tmp_path / "plain"
    write_tree(plain, SMALL_REPO)
    empty = tmp_path / "nobin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("GIT_DIR", raising=False)
    with pytest.raises(UsageError, match="git is not on PATH; fixer needs git"):
        GitRepo.discover(repo / "services")
    assert GitRepo.discover(plain) is None


def test_an_orphan_branch_is_named_and_base_works_from_it(tmp_path: Path) -> None:
    """On a branch with no commit (`git checkout --orphan`) while other branches have some: not
    "the repository has no commits yet; commit first", and --base main works from main."""
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    git(repo, "checkout", "-q", "--orphan", "fresh")
    plain = fixer("plan", "--dry-run", str(repo))
    text = plain.stderr.decode()
    assert plain.returncode == 2 and "the current branch 'fresh' has no commits yet" in text and "--base REF" in text
    assert "commit first" not in text
    based = fixer("plan", "--dry-run", "--base", "main", str(repo))
    assert based.returncode == 0, based.stderr.decode()
    applied = fixer("apply", "--fix", "health-endpoints", "--base", "main", str(repo))
    assert applied.returncode == 0, applied.stderr.decode()
    assert git(repo, "rev-parse", "fixer/health-endpoints^").strip() == git(repo, "rev-parse", "main").strip()


def test_a_rejected_push_keeps_the_servers_reason(tmp_path: Path) -> None:
    """A pre-receive hook's (GitHub's GH013) `remote:` lines say why a push was refused: they are
    in the error after git's "[remote rejected]", without blank and ruler lines, a password in a
    URL masked."""
    from fixer.errors import GitError
    from fixer.gitops import GitRepo

    repo = make_repo(tmp_path / "r", SMALL_REPO)
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\n{\necho 'error: GH013: Repository rule violations found for refs/heads/fixer/x.'\n"
                    "echo ''\necho '  ——————————'\necho '  - Push cannot contain secrets'\n"
                    "echo '  see https://bot:s3cr3tT0kenValue@example.com/unblock'\n} >&2\nexit 1\n")
    hook.chmod(0o755)
    git(repo, "remote", "add", "origin", str(bare))
    gitrepo = GitRepo.discover(repo)
    assert gitrepo is not None
    with pytest.raises(GitError) as raised:
        gitrepo.push_branch("origin", git(repo, "rev-parse", "HEAD").strip(), "fixer/x", None)
    text = str(raised.value)
    assert len(text.splitlines()) == 1
    assert "[remote rejected] (pre-receive hook declined); remote: error: GH013: Repository rule violations" in text
    assert "Push cannot contain secrets" in text and "——" not in text
    assert "s3cr3tT0kenValue" not in text and "bot:s3cr…(16 chars)@example.com" in text
