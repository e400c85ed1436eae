"""`fixer plan --push` to a local bare repository, and `--patches`: real `git push`, real `git am`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import SMALL_REPO, fixer, git, make_repo, make_repo_with_remote, write_tree
from test_plan import HEALTH, NOTE, TWO, branches, install_plugin, move_base, rev


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return install_plugin(tmp_path / "plugins")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo_with_remote(tmp_path, SMALL_REPO)


def remote_heads(repo: Path) -> dict[str, str]:
    return dict(reversed(line.split("\t")) for line in git(repo, "ls-remote", "--heads", "origin").splitlines())


def test_push_sends_every_branch_and_a_second_run_pushes_nothing(repo: Path, env: dict[str, str]) -> None:
    result = fixer("plan", "--only", TWO, "--push", "origin", "--json", str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    local = branches(repo)
    heads = remote_heads(repo)
    assert heads[f"refs/heads/{HEALTH}"] == local[HEALTH] and heads[f"refs/heads/{NOTE}"] == local[NOTE]
    assert [s["push"] for s in json.loads(result.stdout)["steps"]] == ["pushed", "pushed"]
    again = fixer("plan", "--only", TWO, "--push", "origin", "--json", str(repo), env=env)
    assert again.returncode == 0
    assert remote_heads(repo) == heads
    assert [s["push"] for s in json.loads(again.stdout)["steps"]] == ["up to date", "up to date"]


def test_a_rebuilt_stack_replaces_fixers_own_remote_branches(repo: Path, env: dict[str, str]) -> None:
    assert fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env).returncode == 0
    move_base(repo)
    result = fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    heads = remote_heads(repo)
    assert heads[f"refs/heads/{HEALTH}"] == rev(repo, HEALTH) and heads[f"refs/heads/{NOTE}"] == rev(repo, NOTE)
    assert git(repo, "rev-list", "--parents", "-n", "1", HEALTH).split()[1:] == [rev(repo, "main")]


def _reviewer_fix_up(tmp_path: Path) -> Path:
    """A reviewer's clone of the remote on the pull request's branch, a fix-up staged."""
    clone = tmp_path / "reviewer"
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(clone))
    git(clone, "checkout", "-q", HEALTH)
    write_tree(clone, {"review.md": "a reviewer's fix-up\n"})
    git(clone, "add", "-A")
    return clone


def _push_again(repo: Path, env: dict[str, str]) -> tuple[dict[str, str], str]:
    """The remote's heads as the reviewer left them, and the output of a re-run (base moved)."""
    theirs = remote_heads(repo)
    move_base(repo)
    result = fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env)
    # a branch not pushed is not a quiet success: its pull request keeps the old commits (exit 3, counted)
    assert result.returncode == 3, result.stderr.decode()
    assert "push to origin: 1 refused, 1 held" in result.stdout.decode().splitlines()[-1]
    return theirs, result.stdout.decode()


def test_never_force_pushes_over_someone_elses_commits(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    assert fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env).returncode == 0
    clone = _reviewer_fix_up(tmp_path)  # a reviewer pushes a commit to the pull request's branch
    git(clone, "commit", "-q", "-m", "review fix-up")
    git(clone, "push", "-q", "origin", HEALTH)
    theirs, out = _push_again(repo, env)
    assert remote_heads(repo) == theirs  # neither their branch nor the one stacked on it moved
    assert f"push refused: origin/{HEALTH} has commits fixer did not make" in out
    assert f"push held: stacked on {HEALTH}, which was not pushed" in out
    assert rev(repo, HEALTH) != theirs[f"refs/heads/{HEALTH}"]  # the local branch was fixer's: rebuilt


def test_never_force_pushes_over_work_amended_into_fixers_commit(repo: Path, env: dict[str, str], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A reviewer amends fixer's commit on the pull request's branch, trailers kept, with
    `--reset-author` (author date == committer date): the files differ from the `Fixer-Tree`
    the commit records, so the remote branch is theirs and is never pushed over."""
    assert fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env).returncode == 0
    clone = _reviewer_fix_up(tmp_path)
    with monkeypatch.context() as dates:
        dates.setenv("GIT_AUTHOR_DATE", "1700000000 +0000")
        dates.setenv("GIT_COMMITTER_DATE", "1700000000 +0000")
        git(clone, "commit", "-q", "--amend", "--no-edit", "--reset-author")
    git(clone, "push", "-q", "--force", "origin", HEALTH)
    theirs, out = _push_again(repo, env)
    assert remote_heads(repo) == theirs
    assert f"push refused: origin/{HEALTH} has commits fixer did not make" in out
    assert "its files are not the tree fixer committed" in out


def test_a_push_the_remote_rejects_is_reported_and_the_branches_stay(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    hook = tmp_path / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'branch protection: no pushes today' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env)
    assert result.returncode == 3
    assert set(branches(repo)) == {"main", HEALTH, NOTE}
    out = result.stdout.decode()
    assert f"health-endpoints: push failed: git push {HEALTH} failed" in out
    assert "push held" in out and set(remote_heads(repo)) == {"refs/heads/main"}


def test_patches_are_one_per_fix_in_order_and_apply_with_git_am(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    patches = tmp_path / "patches"
    result = fixer("plan", "--only", TWO, "--patches", str(patches), str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    written = sorted(p.name for p in patches.iterdir())
    assert written == ["0001-health-endpoints.patch", "0002-zz-health-note.patch"]
    assert f"base-commit: {rev(repo, 'main')}" in (patches / written[1]).read_text()
    clone = tmp_path / "elsewhere"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    for name in written:
        git(clone, "am", "-q", str(patches / name))
    assert rev(clone, "HEAD^{tree}") == rev(repo, f"{NOTE}^{{tree}}")
    assert git(clone, "log", "--format=%s", "-2").splitlines() == [
        "zz-health-note: Note the health route", "health-endpoints: Serve health checks on /health"]
    assert b"also holds" not in result.stdout + result.stderr
    # a second run with one fix: the first run's other patch stays (never deleted) and is named
    again = fixer("plan", "--only", "zz-health-note", "--patches", str(patches), str(repo), env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert sorted(p.name for p in patches.iterdir()) == [
        "0001-health-endpoints.patch", "0001-zz-health-note.patch", "0002-zz-health-note.patch"]
    assert (f"{patches} also holds 0001-health-endpoints.patch, 0002-zz-health-note.patch (not this run's)"
            in again.stdout.decode() + again.stderr.decode())


def test_patches_of_crlf_files_apply_with_the_command_the_notes_give(tmp_path: Path) -> None:
    """Plain `git am` strips the carriage returns of the mail's lines: a CRLF file's patch no
    longer applies. The notes say `git am --keep-cr`, which rebuilds the branch exactly."""
    files = dict(SMALL_REPO)
    files = {path: text.replace("\n", "\r\n") if path.endswith("app.ts") else text for path, text in files.items()}
    repo = make_repo(tmp_path / "crlf", files)
    assert any(b"\r\n" in (repo / path).read_bytes() for path in files if path.endswith("app.ts"))
    patches = tmp_path / "patches"
    result = fixer("plan", "--only", "health-endpoints", "--patches", str(patches), str(repo))
    assert result.returncode == 0, result.stderr.decode()
    assert f"apply the patches with `git am --keep-cr {patches}/*.patch` on the base" in result.stdout.decode()
    clone = tmp_path / "elsewhere"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    for name in sorted(p.name for p in patches.iterdir()):
        git(clone, "am", "-q", "--keep-cr", str(patches / name))
    assert rev(clone, "HEAD^{tree}") == rev(repo, f"{HEALTH}^{{tree}}")


SECRET = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"  # a fake key with the right shape


def test_patches_redact_secrets_unless_asked(tmp_path: Path) -> None:
    from transforms import registry

    if "secrets" not in registry():
        pytest.skip("the secrets fix is not registered")
    repo = make_repo(tmp_path / "repo", {"env.template": f"PORT=3000\nSTRIPE_SECRET_KEY={SECRET}\n",
                                         "services/a/package.json": "{}"})
    for flags in ([], ["--show-secrets"]):
        out = tmp_path / ("raw" if flags else "redacted")
        result = fixer("plan", "--only", "secrets", "--patches", str(out), *flags, str(repo))
        assert result.returncode == 0, result.stderr.decode()
        text = b"".join(p.read_bytes() for p in out.iterdir())
        assert (SECRET.encode() in text) == bool(flags)
        assert SECRET.encode() not in result.stdout + result.stderr
    assert SECRET not in git(repo, "log", "-1", "--format=%B", "fixer/secrets")


def test_push_of_a_stack_whose_bottom_merged(repo: Path, env: dict[str, str]) -> None:
    """After the first pull request merges, the plan starts from the new base; nothing is lost."""
    assert fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env).returncode == 0
    git(repo, "merge", "-q", "--ff-only", HEALTH)
    git(repo, "push", "-q", "origin", "main")
    result = fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert git(repo, "rev-list", "--parents", "-n", "1", NOTE).split()[1:] == [rev(repo, "main")]
    assert remote_heads(repo)[f"refs/heads/{NOTE}"] == rev(repo, NOTE)


def test_a_patch_directory_that_cannot_be_written_is_reported(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    # (a file where the directory should be is refused before anything is written: test_plan; a patch that
    # cannot be written late, after the branches, is reported and the branches stay)
    blocker = tmp_path / "patches"
    (blocker / "0001-health-endpoints.patch").mkdir(parents=True)  # a directory where the patch should be
    result = fixer("plan", "--only", TWO, "--patches", str(blocker), str(repo), env=env)
    assert result.returncode == 3 and b"Traceback" not in result.stderr
    assert "no patch written" in result.stdout.decode()
    assert set(branches(repo)) == {"main", HEALTH, NOTE}


def test_push_from_a_stale_main_is_refused_before_anything_is_written(repo: Path, env: dict[str, str],
                                                                     tmp_path: Path) -> None:
    """A teammate's main is behind origin's (a fix was merged there and its branch deleted): the plan
    would re-push the merged fix's branch and call origin's merge commit someone's. Refused, one line."""
    assert fixer("plan", "--only", TWO, "--push", "origin", str(repo), env=env).returncode == 0
    stale = tmp_path / "teammate"
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(stale))
    git(stale, "checkout", "-q", "main")
    merger = tmp_path / "github"
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(merger))
    git(merger, "merge", "-q", "--no-ff", f"origin/{HEALTH}", "-m", "Merge PR #1")
    git(merger, "push", "-q", "origin", "main", f":{HEALTH}")
    before = remote_heads(repo)
    result = fixer("plan", "--only", TWO, "--push", "origin", str(stale), env=env)
    assert result.returncode == 2, result.stdout.decode() + result.stderr.decode()
    err = result.stderr.decode()
    assert "your main" in err and "is behind origin/main" in err and "git pull origin main" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert remote_heads(repo) == before and f"refs/heads/{HEALTH}" not in before
    assert set(branches(stale)) == {"main"}
    git(stale, "pull", "-q", "origin", "main")  # pulled: the plan goes on, the merged fix has nothing to do
    again = fixer("plan", "--only", TWO, "--push", "origin", "--json", str(stale), env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert f"refs/heads/{HEALTH}" not in remote_heads(repo)
