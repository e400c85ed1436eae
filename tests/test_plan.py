"""`fixer plan` against real git repositories: stacked and independent branches, re-runs,
branches others committed to, failures and Ctrl-C, dry runs, JSON.

Exact expectations use two fixes: `health-endpoints` and a test plug-in, `zz-health-note`,
registered the way third-party fixes are (the `fixer.transforms` entry-point group, from a
dist-info directory on PYTHONPATH of the real `fixer` command). The plug-in appends a note
to every TypeScript file that registers '/health' or '/healthz' and says which one it saw,
so on top of health-endpoints (stacked) it writes "/health" where, from the base
(independent), it writes "/healthz". With FIXER_TEST_BLOCK=<file> set, it blocks (writes the
file, then sleeps) when it runs on a repository where the rename already happened: that
is, only in the stacked step, never on the base — so a test knows the plan is mid-way
and can send SIGINT at that moment.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from gitrepo import (GIT_ENV, GIT_STATE, SMALL_REPO, amend_in_the_same_second, dirty_checkout, fixer, git, make_repo,
                     snapshot, write_tree)

PLUGIN = '''\
"""Test plug-in: note which health path a TypeScript file registers.

## What it does

Appends `// checked: serves /health` (or `/healthz`) to TypeScript files with that route.

## Why

Tests of `fixer plan` need a fix whose result depends on the fix before it.

## Example

```diff
 app.get('/health', h);
+// checked: serves /health
```

## Fix safety

Safe. Test only.
"""

import os
import time
from pathlib import Path

from fixer.model import Edit, Finding, FixInfo

INFO = FixInfo(id="zz-health-note", title="Note the health route", audit="test", week=3, order=99,
               severity="low", safety="safe", kinds=frozenset({"ts"}), prefilter=(b"/health",))
MARK = b"// checked: serves "
RENAMED = "services/booking-service/src/app.ts"


def prepare(repo, options):
    marker = os.environ.get("FIXER_TEST_BLOCK")
    if marker and repo.exists(RENAMED) and b"'/health'" in repo.file(RENAMED).data:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(120)
    return options


def scan(file, context):
    if MARK in file.data:
        return
    seen = "/healthz" if b"'/healthz'" in file.data else "/health" if b"'/health'" in file.data else None
    if seen:
        end = len(file.data)
        yield Finding(INFO.id, file.path, 1, 1, f"serves {seen}",
                      (Edit(file.path, end, end, f"// checked: serves {seen}\\n"),))
'''

TWO = "health-endpoints,zz-health-note"
HEALTH, NOTE = "fixer/health-endpoints", "fixer/zz-health-note"


def install_plugin(where: Path) -> dict[str, str]:
    """The plug-in as an installed distribution on PYTHONPATH; returns the env for `fixer`."""
    (where / "zz_health_note.py").parent.mkdir(parents=True, exist_ok=True)
    (where / "zz_health_note.py").write_text(PLUGIN)
    info = where / "fixer_test_plugin-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fixer-test-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[fixer.transforms]\nzz-health-note = zz_health_note\n")
    return {"PYTHONPATH": str(where)}


def load_plugin(where: Path):
    install_plugin(where)
    sys.path.insert(0, str(where))
    try:
        import importlib

        sys.modules.pop("zz_health_note", None)
        return importlib.import_module("zz_health_note")
    finally:
        sys.path.remove(str(where))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return install_plugin(tmp_path / "plugins")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", SMALL_REPO)


def branches(repo: Path) -> dict[str, str]:
    out = git(repo, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/")
    return dict(line.split() for line in out.splitlines())


def rev(repo: Path, ref: str) -> str:
    return git(repo, "rev-parse", ref).strip()


def message(repo: Path, ref: str) -> str:
    return git(repo, "log", "-1", "--format=%B", ref)


def commit_on(repo: Path, branch: str, files: dict[str, str], text: str = "a reviewer's commit") -> None:
    """Commit on a branch the way a person would: check it out, commit, go back to main."""
    git(repo, "checkout", "-q", branch)
    write_tree(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", text)
    git(repo, "checkout", "-q", "main")


def move_base(repo: Path) -> None:
    commit_on(repo, "main", {"docs/moved.md": "the base moved\n"}, "unrelated work on main")


def private_tmp(tmp_path: Path) -> Path:
    """A temporary directory of the run's own (TMPDIR), so others' runs on this machine don't count."""
    where = tmp_path / "tmp"
    where.mkdir(exist_ok=True)
    return where


def leftovers(tmp: Path) -> list[str]:
    """What a run left in its temporary directory (the private index lives there)."""
    return sorted(os.listdir(tmp))


def only_git_internals_changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Paths that changed outside git's object store, branch refs and their logs."""
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    allowed = (".git/objects/", ".git/refs/heads/fixer/", ".git/logs/refs/heads/fixer/", ".git/logs/refs/heads/fixer")
    return {p for p in changed if not p.startswith(allowed)}


# --- stacked and independent ------------------------------------------------------------


def test_stacked_plan_one_branch_and_one_commit_per_fix_in_order(repo: Path, env: dict[str, str]) -> None:
    main = rev(repo, "main")
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert set(branches(repo)) == {"main", HEALTH, NOTE}
    assert git(repo, "rev-list", "--parents", "-n", "1", HEALTH).split()[1:] == [main]
    assert git(repo, "rev-list", "--parents", "-n", "1", NOTE).split()[1:] == [rev(repo, HEALTH)]
    # the plug-in ran on top of the rename: it saw /health in booking-service
    note = git(repo, "show", f"{NOTE}:services/booking-service/src/app.ts")
    assert note.endswith("// checked: serves /health\n") and "'/healthz'" not in note
    assert git(repo, "diff", "--name-only", HEALTH, NOTE).split() == [
        "services/booking-service/src/app.ts", "services/course-service/src/app.ts"]
    first, second = message(repo, HEALTH), message(repo, NOTE)
    assert first.startswith("health-endpoints: Serve health checks on /health\n\n")
    assert "Part 1 of 2 of the fixer plan, stacked: based on main." in first
    assert "Part 2 of 2 of the fixer plan, stacked: based on fixer/health-endpoints; merge that first." in second
    assert "How to verify:\n- git diff main...fixer/health-endpoints\n" in first
    assert "npx tsc --noEmit" in first and "Fixer-Fix: health-endpoints" in first
    assert "What changed (2 finding(s) fixed in 1 file(s): 1 modified):" in first
    table = result.stdout.decode()
    assert table.index("health-endpoints") < table.index("zz-health-note")
    assert "2 branch(es) in the plan (stacked, based on main): 2 created" in table


def test_independent_plan_starts_every_branch_from_the_base_and_names_shared_files(repo: Path, env: dict[str, str]) -> None:
    main = rev(repo, "main")
    result = fixer("plan", "--independent", "--only", TWO, "--json", str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    for branch in (HEALTH, NOTE):
        assert git(repo, "rev-list", "--parents", "-n", "1", branch).split()[1:] == [main]
    # from the base, the plug-in still sees /healthz
    assert git(repo, "show", f"{NOTE}:services/booking-service/src/app.ts").endswith("// checked: serves /healthz\n")
    document = json.loads(result.stdout)
    assert document["mode"] == "independent"
    assert document["conflicts"] == [{"branches": [HEALTH, NOTE], "files": ["services/booking-service/src/app.ts"]}]
    assert "fixer/zz-health-note: services/booking-service/src/app.ts" in message(repo, HEALTH)
    assert "Part 2 of 2 of the fixer plan, independent: based on main." in message(repo, NOTE)


def test_a_second_plan_changes_nothing(repo: Path, env: dict[str, str]) -> None:
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    before = snapshot(repo)
    again = fixer("plan", "--only", TWO, str(repo), env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert "2 up to date" in again.stdout.decode()
    assert snapshot(repo) == before  # not one byte under .git either: no object, no ref, no log


def test_dry_run_writes_nothing_and_its_diffs_apply_in_order(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    before = snapshot(repo)
    dry = fixer("plan", "--dry-run", "--only", TWO, str(repo), env=env)
    assert dry.returncode == 0, dry.stderr.decode()
    assert snapshot(repo) == before
    assert b"would create" in dry.stderr and b"dry run, nothing written" in dry.stderr
    assert dry.stdout.count(b"diff --git") == 3
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "apply", "-", input=dry.stdout)  # both parts, one after the other
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    git(clone, "add", "-A")
    assert git(clone, "write-tree").strip() == rev(repo, f"{NOTE}^{{tree}}")
    # once the branches exist, the dry run says so
    again = fixer("plan", "--dry-run", "--only", TWO, str(repo), env=env)
    assert b"2 branch(es) in the plan (stacked, based on main): 2 up to date" in again.stderr


def test_plan_json_describes_every_step(repo: Path, env: dict[str, str]) -> None:
    result = fixer("plan", "--json", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    document = json.loads(result.stdout)
    assert document["mode"] == "stacked" and document["base"]["ref"] == "main"
    assert [(s["fix"], s["part"], s["of"], s["branch"], s["status"]) for s in document["steps"]] == [
        ("health-endpoints", 1, 2, HEALTH, "created"), ("zz-health-note", 2, 2, NOTE, "created")]
    second = document["steps"][1]
    assert second["based_on"] == HEALTH and second["parent"] == document["steps"][0]["commit"] == rev(repo, HEALTH)
    assert second["commit"] == rev(repo, NOTE) and second["fixed"] == 2


def test_fixes_with_nothing_to_do_make_no_branch(tmp_path: Path, env: dict[str, str]) -> None:
    clean = make_repo(tmp_path / "clean", {"services/a/package.json": "{}", "services/a/src/app.js": "ok();\n"})
    result = fixer("plan", "--only", TWO, str(clean), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert set(branches(clean)) == {"main"}
    assert "nothing to fix" in result.stdout.decode()


# --- re-runs: the base moved; others committed ----------------------------------------------


def test_rerun_after_the_base_moved_rebuilds_the_stack(repo: Path, env: dict[str, str]) -> None:
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    old = branches(repo)
    move_base(repo)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert "2 rebuilt" in result.stdout.decode()
    assert git(repo, "rev-list", "--parents", "-n", "1", HEALTH).split()[1:] == [rev(repo, "main")]
    assert git(repo, "rev-list", "--parents", "-n", "1", NOTE).split()[1:] == [rev(repo, HEALTH)]
    assert branches(repo)[HEALTH] != old[HEALTH]
    assert git(repo, "rev-list", "--count", f"main..{NOTE}").strip() == "2"


@pytest.mark.parametrize("how", ["commit on top", "amend"])
def test_a_branch_someone_else_changed_is_kept_and_reported(repo: Path, env: dict[str, str], how: str) -> None:
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    if how == "commit on top":
        commit_on(repo, NOTE, {"review.md": "a reviewer's fix-up\n"})
    else:
        git(repo, "checkout", "-q", NOTE)
        time.sleep(1.1)  # an amend in the same second would keep the committer date
        git(repo, "commit", "-q", "--amend", "-m", message(repo, NOTE))
        git(repo, "checkout", "-q", "main")
    theirs = rev(repo, NOTE)
    move_base(repo)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert rev(repo, NOTE) == theirs  # left alone
    assert git(repo, "rev-list", "--parents", "-n", "1", HEALTH).split()[1:] == [rev(repo, "main")]  # rebuilt
    assert "fixer/zz-health-note " + ("has commits fixer did not make" if how == "commit on top" else "was rewritten") in out
    assert "1 rebuilt, 1 kept" in out


@pytest.mark.parametrize("amend", [["--no-edit"], ["--no-edit", "--reset-author"]])
def test_work_amended_into_fixers_commit_is_kept(repo: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                 amend: list[str]) -> None:
    """An amend that keeps the trailers and leaves author date == committer date (--reset-author,
    or the same second) still changes the files: the recorded `Fixer-Tree` no longer matches,
    so the branch is someone's work and the re-run keeps it."""
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    amend_in_the_same_second(repo, NOTE, {"README.md": "# my amended work\n"}, amend, monkeypatch)
    assert git(repo, "log", "-1", "--format=%ad", "--date=raw", NOTE) == git(repo, "log", "-1", "--format=%cd", "--date=raw", NOTE)
    theirs = rev(repo, NOTE)
    move_base(repo)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert rev(repo, NOTE) == theirs and git(repo, "show", f"{NOTE}:README.md") == "# my amended work\n"
    assert "fixer/zz-health-note has commits fixer did not make" in out and "its files are not the tree fixer committed" in out
    assert "1 rebuilt, 1 kept" in out


@pytest.mark.parametrize("recorded", ["none", "tree only"])
def test_a_branch_of_an_older_fixer_is_rebuilt_once_with_the_recorded_tree(repo: Path, env: dict[str, str],
                                                                          recorded: str) -> None:
    """A commit without `Fixer-Tree`, or with the tree alone (no message digest: an older
    fixer's, untouched: equal dates) is still fixer's: the next run rebuilds it to record the
    tree and digest, and the run after that finds it up to date."""
    from fixer.gitops import message_digest

    assert fixer("plan", "--only", "health-endpoints", str(repo), env=env).returncode == 0
    tree = rev(repo, f"{HEALTH}^{{tree}}")
    raw = git(repo, "cat-file", "commit", HEALTH).partition("\n\n")[2]  # the message exactly as stored
    older = "".join(line for line in raw.splitlines(keepends=True) if not line.startswith("Fixer-Tree:"))
    assert raw == older + f"Fixer-Tree: {tree} {message_digest(older)}\n"
    assert message(repo, HEALTH).rstrip("\n").endswith(f"Fixer-Tree: {tree} {message_digest(older)}")
    if recorded == "tree only":
        older += f"Fixer-Tree: {tree}\n"
    legacy = git(repo, "commit-tree", tree, "-p", "main", input=older.encode()).strip()
    git(repo, "update-ref", f"refs/heads/{HEALTH}", legacy)
    again = fixer("plan", "--only", "health-endpoints", str(repo), env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert "1 rebuilt" in again.stdout.decode()
    assert rev(repo, f"{HEALTH}^") == rev(repo, "main") and rev(repo, f"{HEALTH}^{{tree}}") == tree
    assert git(repo, "cat-file", "commit", HEALTH).partition("\n\n")[2] == raw
    third = fixer("plan", "--only", "health-endpoints", str(repo), env=env)
    assert "1 up to date" in third.stdout.decode()


@pytest.mark.parametrize("theirs, clash", [
    ("fixer/zz-health-note/mine", "branch 'fixer/zz-health-note' cannot be made because branch 'fixer/zz-health-note/mine' exists"),
    ("fixer", "branch 'fixer/health-endpoints' cannot be made because branch 'fixer' exists; "
              "branch 'fixer/zz-health-note' cannot be made because branch 'fixer' exists"),
])
def test_branch_names_that_cannot_be_made_stop_the_plan_before_it_writes(repo: Path, env: dict[str, str],
                                                                         theirs: str, clash: str) -> None:
    """A branch `fixer/x` cannot exist beside `fixer/x/y` (nor `fixer/x` beside `fixer`): every
    name is checked before the first branch is written; a one-line usage error names each clash."""
    git(repo, "branch", theirs)
    before = snapshot(repo)
    for args in ([], ["--dry-run"]):
        result = fixer("plan", *args, "--only", TWO, str(repo), env=env)
        assert result.returncode == 2, result.stdout.decode()
        err = result.stderr.decode()
        assert clash in err and "nothing was written" in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
        assert snapshot(repo) == before


def test_a_kept_branch_holds_the_branches_stacked_on_it(repo: Path, env: dict[str, str]) -> None:
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    commit_on(repo, HEALTH, {"review.md": "a reviewer's fix-up\n"})
    old = branches(repo)
    move_base(repo)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert branches(repo)[HEALTH] == old[HEALTH] and branches(repo)[NOTE] == old[NOTE]
    out = result.stdout.decode()
    assert "kept" in out and "held" in out
    assert "stacked on fixer/health-endpoints, which fixer cannot update" in out


def test_a_branch_checked_out_in_a_worktree_is_not_moved(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    assert fixer("plan", "--only", "health-endpoints", str(repo), env=env).returncode == 0
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"), HEALTH)
    tip = rev(repo, HEALTH)
    move_base(repo)
    result = fixer("plan", "--only", "health-endpoints", str(repo), env=env)
    assert result.returncode == 0
    assert rev(repo, HEALTH) == tip and "checked out in a worktree" in result.stdout.decode()


def test_a_branch_that_was_merged_is_left_as_it_is(repo: Path, env: dict[str, str]) -> None:
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    git(repo, "merge", "-q", "--ff-only", HEALTH)
    tip = rev(repo, HEALTH)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert rev(repo, HEALTH) == tip and "left as it is" in result.stdout.decode()
    # the stack now starts from the base, which has the rename
    assert git(repo, "rev-list", "--parents", "-n", "1", NOTE).split()[1:] == [rev(repo, "main")]
    assert "Part 1 of 1" in message(repo, NOTE)


# --- the user's checkout; failures; Ctrl-C -----------------------------------------------


def test_the_users_checkout_index_and_stash_are_untouched(repo: Path, env: dict[str, str]) -> None:
    before, state = dirty_checkout(repo)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert "uncommitted changes in your working tree are not included" in result.stdout.decode()
    assert only_git_internals_changed(before, snapshot(repo)) == set()
    assert state == [git(repo, *args) for args in GIT_STATE]
    assert len(git(repo, "worktree", "list").splitlines()) == 1


@pytest.mark.parametrize("before_run", ["no branches yet", "the base moved"])
def test_a_failure_writing_fix_k_puts_back_the_branches_this_run_wrote(repo: Path, tmp_path: Path, env: dict[str, str],
                                                                       monkeypatch: pytest.MonkeyPatch, before_run: str) -> None:
    """Branch 1 is written, then writing branch 2 fails inside its private index: branch 1 is
    put back (deleted again, or back at its old tip), so the run leaves every branch as it was."""
    from typer.testing import CliRunner

    from fixer import cli
    from fixer.gitops import GitRepo
    from transforms import registry

    if before_run == "the base moved":
        assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
        move_base(repo)
    modules = {**registry(), "zz-health-note": load_plugin(tmp_path / "plugins")}
    monkeypatch.setattr(cli, "_registry", lambda: modules)
    real = GitRepo.write_blob

    def failing_for_fix_2(self: GitRepo, data: bytes) -> str:
        if b"// checked: serves" in data:  # a blob only fix 2's commit has: fail inside its private index
            raise OSError("disk full (injected)")
        return real(self, data)

    monkeypatch.setattr(GitRepo, "write_blob", failing_for_fix_2)
    tmp = private_tmp(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    old, before = branches(repo), snapshot(repo)
    result = CliRunner().invoke(cli.app, ["plan", "--only", TWO, str(repo)], env=GIT_ENV)
    assert result.exit_code == 3, result.output
    assert "disk full (injected)" in result.output
    assert "undone (the plan stopped): health-endpoints; their branches were put back as they were" in result.output
    assert branches(repo) == old
    assert only_git_internals_changed(before, snapshot(repo)) == set()
    assert leftovers(tmp) == [] and len(git(repo, "worktree", "list").splitlines()) == 1


def test_a_git_failure_updating_branch_k_puts_back_the_branches_before_it(repo: Path, env: dict[str, str]) -> None:
    """A real failure of `git update-ref` for branch 2 (another git process holds its lock):
    the branch made before it is deleted again; once the lock is gone the plan makes both."""
    lock = repo / ".git" / "refs" / "heads" / "fixer" / "zz-health-note.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("")
    result = fixer("plan", "--only", TWO, "--json", str(repo), env=env)
    assert result.returncode == 3, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert set(branches(repo)) == {"main"}
    document = json.loads(result.stdout)
    assert [(s["fix"], s["status"], s["commit"]) for s in document["steps"]] == [
        ("health-endpoints", "undone", None), ("zz-health-note", "failed", None)]
    lock.unlink()
    again = fixer("plan", "--only", TWO, str(repo), env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert set(branches(repo)) == {"main", HEALTH, NOTE}


def test_undo_leaves_a_branch_someone_moved_since(repo: Path) -> None:
    """Putting a branch back is a compare-and-swap: one that is no longer where this run put
    it is left where it is, and reported."""
    import types

    from fixer import plan
    from fixer.gitops import GitRepo
    from fixer.model import FixInfo

    def step(fix_id: str, status: str, commit: str, old: str | None) -> plan.Step:
        module = types.SimpleNamespace(INFO=FixInfo(id=fix_id, title=fix_id, audit="test", week=1, order=1,
                                                    severity="low", safety="safe", kinds=frozenset()))
        return plan.Step(module, {}, status=status, commit=commit, old_tip=old)

    main = rev(repo, "main")
    move_base(repo)
    moved = rev(repo, "main")
    for name in ("fixer/made", "fixer/rebuilt", "fixer/moved-since", "fixer/up-to-date"):
        git(repo, "branch", name, moved)
    git(repo, "branch", "-f", "fixer/moved-since", main)  # someone moved it after this run wrote it
    steps = [step("made", plan.CREATED, moved, None), step("rebuilt", plan.REBUILT, moved, main),
             step("moved-since", plan.CREATED, moved, None), step("up-to-date", plan.UP_TO_DATE, moved, moved)]
    git_repo = GitRepo.discover(repo)
    assert git_repo is not None
    the_plan = plan.Plan(plan.Request(repo), None, steps, [], moved, "main")  # type: ignore[arg-type]
    plan.undo(the_plan, git_repo)
    assert branches(repo) == {"main": moved, "fixer/rebuilt": main, "fixer/moved-since": main, "fixer/up-to-date": moved}
    assert [s.status for s in steps] == [plan.UNDONE, plan.UNDONE, plan.CREATED, plan.UP_TO_DATE]
    assert len(the_plan.errors) == 1 and the_plan.errors[0].startswith("fixer/moved-since: could not be put back (")
    assert the_plan.errors[0].endswith(f"someone moved it to {main[:10]} meanwhile, left there")  # not fixer's commit


def _start(repo: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "fixer", "plan", "--only", TWO, str(repo)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **GIT_ENV, **env}, start_new_session=True)


def _wait_for(path: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the plan never reached the point to interrupt"
        time.sleep(0.05)


def test_ctrl_c_while_computing_leaves_every_branch_as_it_was(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    move_base(repo)
    old, before, tmp = branches(repo), snapshot(repo), private_tmp(tmp_path)
    marker = tmp_path / "computing"
    process = _start(repo, {**env, "FIXER_TEST_BLOCK": str(marker), "TMPDIR": str(tmp)})
    _wait_for(marker, process)  # the plug-in is running on top of the rename: mid-plan
    os.kill(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert b"no branch was written" in err and b"Traceback" not in err
    assert branches(repo) == old
    assert only_git_internals_changed(before, snapshot(repo)) == set()
    assert leftovers(tmp) == []


HOOK = """#!/bin/sh
# a slow reference-transaction hook: holds the update of one branch for a few seconds
while read old new ref; do
  if [ "$1" = prepared ] && [ "$ref" = "refs/heads/fixer/zz-health-note" ]; then
    touch "{marker}"
    sleep 3
  fi
done
exit 0
"""


@pytest.mark.parametrize("target", ["the process", "its process group"])
def test_ctrl_c_while_writing_leaves_every_branch_as_it_was(repo: Path, env: dict[str, str], tmp_path: Path, target: str) -> None:
    """SIGINT while git is rebuilding branch 2 (held there by a reference-transaction hook).
    To the process alone (a `kill -INT`), fixer holds the signal until the update is done,
    then puts both branches back. To the process group (a terminal's Ctrl-C), git and the
    hook get it too and git aborts the update; branch 1 is put back. Either way every branch
    is as it was: never a half branch, a lock file or a temporary index."""
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    move_base(repo)
    old = branches(repo)
    marker = tmp_path / "writing"
    hook = repo / ".git" / "hooks" / "reference-transaction"
    hook.write_text(HOOK.format(marker=marker))
    hook.chmod(0o755)
    tmp = private_tmp(tmp_path)
    process = _start(repo, {**env, "TMPDIR": str(tmp)})
    _wait_for(marker, process)
    if target == "the process":
        os.kill(process.pid, signal.SIGINT)
    else:
        os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert b"Traceback" not in err and b"the branches this run wrote were put back" in err
    assert branches(repo) == old  # back at their old tips: none moved, none half-written
    assert not list((repo / ".git").rglob("*.lock"))
    assert leftovers(tmp) == []
    hook.unlink()
    again = fixer("plan", "--only", TWO, str(repo), env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert b"2 rebuilt" in again.stdout


# --- selection, usage, outside git -----------------------------------------------------------


def test_review_fixes_run_only_when_asked_for(repo: Path) -> None:
    from transforms import registry

    review = [fix_id for fix_id, module in registry().items() if module.INFO.safety == "review"]
    if not review:
        pytest.skip("no review fix registered")
    default = json.loads(fixer("plan", "--dry-run", "--json", str(repo)).stdout)
    assert {item["fix"] for item in default["not_run"]} >= set(review)
    assert not {step["fix"] for step in default["steps"]} & set(review)
    included = json.loads(fixer("plan", "--dry-run", "--json", "--include-review", str(repo)).stdout)
    assert {step["fix"] for step in included["steps"]} >= set(review)
    named = json.loads(fixer("plan", "--dry-run", "--json", "--only", review[0], str(repo)).stdout)
    assert [step["fix"] for step in named["steps"]] == [review[0]]


def test_steps_follow_the_registry_order_and_skip_removes_one(repo: Path) -> None:
    from transforms import registry

    ids = list(registry())
    document = json.loads(fixer("plan", "--dry-run", "--json", "--include-review", str(repo)).stdout)
    assert [step["fix"] for step in document["steps"]] == ids
    skipped = json.loads(fixer("plan", "--dry-run", "--json", "--skip", "health-endpoints", str(repo)).stdout)
    assert "health-endpoints" not in [step["fix"] for step in skipped["steps"]]
    assert {"fix": "health-endpoints", "reason": "--skip"} in skipped["not_run"]


@pytest.mark.parametrize("args, words", [
    (["--only", "no-such-fix"], b"unknown fix 'no-such-fix'"),
    (["--open-prs"], b"--open-prs needs --push REMOTE"),
    (["--dry-run", "--push", "origin"], b"--dry-run writes nothing"),
    (["--push", "nowhere"], b"no git remote named 'nowhere'"),
])
def test_usage_errors(repo: Path, args: list[str], words: bytes) -> None:
    before = snapshot(repo)
    result = fixer("plan", *args, str(repo))
    assert result.returncode == 2 and words in result.stderr and b"Traceback" not in result.stderr
    assert snapshot(repo) == before


def test_outside_a_git_repository_only_the_dry_run_works(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    write_tree(plain, SMALL_REPO)
    dry = fixer("plan", "--dry-run", "--only", "health-endpoints", str(plain))
    assert dry.returncode == 0, dry.stderr.decode()
    assert b"app.get('/health'," in dry.stdout
    real = fixer("plan", str(plain))
    assert real.returncode == 2 and b"not a git repository" in real.stderr


def test_plan_help_lists_the_flags() -> None:
    result = fixer("plan", "--help")
    assert result.returncode == 0
    for flag in (b"--base", b"--only", b"--skip", b"--include-review", b"--independent", b"--dry-run",
                 b"--push", b"--open-prs", b"--patches", b"--json"):
        assert flag in result.stdout, flag


def test_subdirectory_of_a_repository(tmp_path: Path, env: dict[str, str]) -> None:
    outer = make_repo(tmp_path / "outer", {f"monorepo/{k}": v for k, v in SMALL_REPO.items()} | {"other/x.md": "x\n"})
    result = fixer("plan", "--only", "health-endpoints", str(outer / "monorepo"), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert git(outer, "diff", "--name-only", "main", HEALTH).split() == ["monorepo/services/booking-service/src/app.ts"]
    assert "fixer apply --fix health-endpoints --dry-run --base fixer/health-endpoints monorepo" in message(outer, HEALTH)


def test_base_option(repo: Path, env: dict[str, str]) -> None:
    main = rev(repo, "main")
    move_base(repo)
    result = fixer("plan", "--base", main, "--only", "health-endpoints", str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert git(repo, "rev-list", "--parents", "-n", "1", HEALTH).split()[1:] == [main]
    assert f"based on {main[:10]}." in message(repo, HEALTH)


def test_the_test_plugin_is_registered_like_any_plug_in(tmp_path: Path, env: dict[str, str]) -> None:
    """The plug-in the tests above rely on is found through the entry-point group, with its docs."""
    from fixer import docs

    assert docs.missing_sections(load_plugin(tmp_path / "plugins")) == []
    listed = json.loads(fixer("list", "--json", env=env).stdout)
    assert [entry["id"] for entry in listed][-1] == "zz-health-note"


# --- parse once ------------------------------------------------------------------------------


def _parse_counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    import hashlib

    from fixer.parsing import typescript

    counts: dict[str, int] = {}
    real = typescript.parse

    def counting(data: bytes, kind: str):
        digest = hashlib.sha1(data).hexdigest()
        counts[digest] = counts.get(digest, 0) + 1
        return real(data, kind)

    monkeypatch.setattr(typescript, "parse", counting)
    return counts


@pytest.mark.parametrize("cache", [True, False])
def test_stacked_steps_do_not_parse_unchanged_files_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str], cache: bool) -> None:
    """Fix 2 runs on top of fix 1's changes; every file fix 1 did not change is answered by the
    results cache (keyed by file content), so across the whole plan it is parsed once. Without
    the cache (the contrast) each fix parses what it reads itself: some files twice or more."""
    import hashlib
    import types

    from fixer import plan
    from fixer.model import FixInfo
    from nodeenv import SAMPLE_MONOREPO
    from transforms import registry

    probe = types.ModuleType("zz_parse_probe")
    probe.INFO = FixInfo(id="zz-parse-probe", title="Parse every file", audit="test", week=3, order=98,
                         severity="low", safety="safe", kinds=frozenset({"ts"}))
    probe.scan = lambda file, context: [] if file.tree.root_node else []
    modules = {"health-endpoints": registry()["health-endpoints"], "zz-parse-probe": probe}
    monkeypatch.setenv("FIXER_CACHE_DIR", str(tmp_path / "cache"))
    counts = _parse_counts(monkeypatch)
    request = plan.Request(SAMPLE_MONOREPO, dry_run=True, as_json=True, cache=cache)
    assert plan.main(request, modules) == 0
    steps = json.loads(capsys.readouterr().out)["steps"]
    changed = {f["path"] for f in steps[0]["files_changed"]}
    assert changed and steps[1]["part"] is None  # the probe changes nothing; it only reads
    unchanged = {hashlib.sha1(p.read_bytes()).hexdigest() for p in SAMPLE_MONOREPO.rglob("*.ts")
                 if p.relative_to(SAMPLE_MONOREPO).as_posix() not in changed}
    parsed = {digest: counts.get(digest, 0) for digest in unchanged}
    if cache:
        assert parsed and set(parsed.values()) == {1}
    else:
        assert parsed and max(parsed.values()) >= 2


def test_a_step_uses_what_the_warm_up_pass_did_with_its_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm-up pass applies, verifies and re-checks each fix's edits on the parse it
    scanned (an incremental re-parse); a later step of that fix uses it for every file no
    earlier step changed: such a file is parsed once in the whole plan, its fixed form never
    from scratch. A file an earlier step changed is done again, on that step's output."""
    import hashlib

    from fixer import plan
    from nodeenv import SAMPLE_MONOREPO
    from transforms import registry

    monkeypatch.setenv("FIXER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FIXER_JOBS", "1")
    counts = _parse_counts(monkeypatch)
    modules = {name: registry()[name] for name in ("health-endpoints", "console-to-logger")}
    computed, _ = plan._prepare(plan.Request(SAMPLE_MONOREPO, dry_run=True), modules)
    plan.compute(computed)
    health, console = (step.run.changes for step in computed.steps)
    # (a logger module gets its edit from the fix's end-of-run step, `errors_in_meta_edits`, which reads
    # the repository's loggers once the scan is done: not a scan's edit the warm-up pass could keep)
    later = {path: change for path, change in console.items() if path not in health
             and b"createLogger(" not in change.before}
    assert len(later) >= 5 and set(health) & set(console)  # some files both change: done again
    for path, change in later.items():
        assert counts.get(hashlib.sha1(change.before).hexdigest()) == 1, path
        assert hashlib.sha1(change.after).hexdigest() not in counts, path


# --- who owns a branch: below the tip, message-only changes, sessions, dates, unborn branches ---


def test_a_commit_only_fixers_branch_reaches_below_its_tip_is_kept(repo: Path, env: dict[str, str]) -> None:
    """Someone commits on a detached HEAD, runs `apply` there (fixer's commit on top of theirs)
    and goes back to main: their commit is on fixer's branch alone. A re-run must not rebuild
    the branch on main (their commit would be on no ref any more): it is kept."""
    git(repo, "checkout", "-q", "--detach")
    write_tree(repo, {"W.md": "w\n"})
    git(repo, "add", "W.md")
    git(repo, "commit", "-q", "-m", "mine")
    mine = rev(repo, "HEAD")
    applied = fixer("apply", "--fix", "health-endpoints", str(repo), env=env)
    assert applied.returncode == 0, applied.stderr.decode()
    git(repo, "checkout", "-q", "main")
    tip = rev(repo, HEALTH)
    result = fixer("plan", "--only", "health-endpoints", str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "1 kept" in out and "has commits fixer did not make below its tip" in out and mine[:10] in out
    assert rev(repo, HEALTH) == tip and rev(repo, f"{HEALTH}^") == mine
    # the same with apply --force
    forced = fixer("apply", "--fix", "health-endpoints", "--force", str(repo), env=env)
    assert forced.returncode == 2 and b"below its tip" in forced.stderr
    assert rev(repo, HEALTH) == tip


def test_a_stack_whose_lower_branch_was_deleted_is_still_rebuilt(repo: Path, env: dict[str, str]) -> None:
    """Below fixer/zz-health-note's tip is fixer's own, untouched commit of health-endpoints
    (its branch deleted, or moved by this run): still fixer's, rebuilt."""
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    git(repo, "branch", "-q", "-D", HEALTH)
    move_base(repo)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert "1 created, 1 rebuilt" in result.stdout.decode()


@pytest.mark.parametrize("how", ["reword --reset-author", "fixup=reword"])
def test_a_message_only_change_is_kept(repo: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Same tree, trailers kept, equal dates: a reworded subject (`--amend --reset-author`, or
    in the same second), or a `--fixup=reword:HEAD` commit on top (it changes no file, and
    fixer never makes an empty commit) is someone's edit: kept, not rebuilt away."""
    assert fixer("plan", "--only", "health-endpoints", str(repo), env=env).returncode == 0
    when = git(repo, "log", "-1", "--format=%ad", "--date=raw", HEALTH).strip()
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)
    git(repo, "checkout", "-q", HEALTH)
    if how == "fixup=reword":
        git(repo, "-c", "core.editor=true", "commit", "-q", "--fixup=reword:HEAD")
    else:
        body = message(repo, HEALTH).partition("\n")[2]
        git(repo, "commit", "-q", "--amend", "--reset-author", "--cleanup=verbatim", "-m", "My better subject\n" + body)
    git(repo, "checkout", "-q", "main")
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert "Fixer-Fix: health-endpoints" in message(repo, HEALTH)
    assert git(repo, "log", "-1", "--format=%ad", "--date=raw", HEALTH) == git(repo, "log", "-1", "--format=%cd", "--date=raw", HEALTH)
    theirs = rev(repo, HEALTH)
    move_base(repo)
    result = fixer("plan", "--only", "health-endpoints", str(repo), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert "1 kept" in result.stdout.decode(), result.stdout.decode()
    assert rev(repo, HEALTH) == theirs


def test_ref_writing_git_runs_in_a_session_of_its_own(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    """A Ctrl-C at the terminal goes to the whole foreground process group: `git update-ref`
    (and `commit-tree`) run in a session of their own, so only fixer gets it (and holds it off
    until the ref is written); a killed update-ref would leave a lock file and a half-done undo."""
    record = tmp_path / "sessions"
    hook = repo / ".git" / "hooks" / "reference-transaction"
    hook.write_text(f"#!/bin/sh\ncat >/dev/null\ncut -d' ' -f5,6 /proc/$$/stat >> '{record}'\n")
    hook.chmod(0o755)
    assert fixer("plan", "--only", "health-endpoints", str(repo), env=env).returncode == 0
    ours = f"{os.getpgid(0)} {os.getsid(0)}"
    seen = record.read_text().split("\n")
    assert [line for line in seen if line] and ours not in seen


def test_the_final_message_never_says_branches_were_put_back_when_one_was_not(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C while writing branch 2; putting branch 1 back fails: the last line says so."""
    from fixer import plan
    from fixer.errors import GitError
    from fixer.gitops import GitRepo
    from transforms import registry

    modules = {**registry(), "zz-health-note": load_plugin(tmp_path / "plugins")}
    real = GitRepo.set_branch

    def interrupted_at_2(self: GitRepo, branch: str, commit: str, expected_old: str | None) -> None:
        if branch == NOTE:
            raise KeyboardInterrupt
        real(self, branch, commit, expected_old)

    def failing(self: GitRepo, branch: str, old: str | None, written: str) -> None:
        raise GitError("git update-ref failed: cannot lock ref (injected)")

    monkeypatch.setattr(GitRepo, "set_branch", interrupted_at_2)
    monkeypatch.setattr(GitRepo, "restore_branch", failing)
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    code = plan.main(plan.Request(root=repo, only=[TWO], cache=False), modules)
    err = capsys.readouterr().err
    assert code == 130
    assert "were put back" not in err.splitlines()[-1]
    assert "could not be put back" in err.splitlines()[-1] and HEALTH in err.splitlines()[-1]


def test_an_unborn_branch_checked_out_in_a_worktree_is_never_written(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    """`git checkout --orphan fixer/<id>` in another worktree: the branch has no tip yet, but it
    is checked out there; neither plan nor apply may create it under that worktree."""
    worktree = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "--detach", str(worktree))
    git(worktree, "checkout", "-q", "--orphan", HEALTH)
    result = fixer("plan", "--only", "health-endpoints", str(repo), env=env)
    assert "1 kept" in result.stdout.decode() and "checked out in a worktree" in result.stdout.decode()
    assert HEALTH not in branches(repo)
    applied = fixer("apply", "--fix", "health-endpoints", str(repo), env=env)
    assert applied.returncode == 2 and b"checked out in a worktree" in applied.stderr
    assert HEALTH not in branches(repo)


@pytest.mark.parametrize("exported", ["GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE"])
def test_an_exported_date_still_gives_fixers_commits_equal_dates(repo: Path, env: dict[str, str], exported: str) -> None:
    """A user's exported GIT_COMMITTER_DATE (or GIT_AUTHOR_DATE) is used for both dates: a
    re-run still finds fixer's commits fixer's and rebuilds them."""
    dated = {**env, exported: "1700000000 +0000"}
    assert fixer("plan", "--only", TWO, str(repo), env=dated).returncode == 0
    for branch in (HEALTH, NOTE):
        assert git(repo, "log", "-1", "--format=%ad|%cd", "--date=raw", branch).strip() == "1700000000 +0000|1700000000 +0000"
    move_base(repo)
    result = fixer("plan", "--only", TWO, str(repo), env=dated)
    assert result.returncode == 0 and "2 rebuilt" in result.stdout.decode(), result.stdout.decode()


def test_the_private_index_directory_is_removed_on_ctrl_c(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while looking up the identity (right after the private index's directory was
    made, before anything else) still removes that directory."""
    from fixer import gitops

    tmp = private_tmp(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))

    def interrupted(_git: object) -> dict[str, str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(gitops, "_identity_fallback", interrupted)
    with pytest.raises(KeyboardInterrupt):
        gitops.GitRepo(repo).commit_tree_with(rev(repo, "main"), {"x.md": gitops.TreeChange(b"x\n")}, "x\n")
    assert leftovers(tmp) == []


def test_a_sha256_repository_is_refused_before_anything_is_written(tmp_path: Path, env: dict[str, str]) -> None:
    repo = tmp_path / "sha256"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main", "--object-format=sha256")
    write_tree(repo, SMALL_REPO)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    before = snapshot(repo)
    for args in (["plan", "--only", "health-endpoints", str(repo)], ["apply", "--fix", "health-endpoints", str(repo)]):
        result = fixer(*args, env=env)
        assert result.returncode == 2, result.stderr.decode()
        assert b"sha256" in result.stderr and b"Traceback" not in result.stderr and b"internal error" not in result.stderr
        assert len(result.stderr.decode().strip().splitlines()) == 1
    assert snapshot(repo) == before


def test_a_secret_next_to_another_fixs_edit_is_redacted_wherever_the_diff_goes(tmp_path: Path) -> None:
    """The diff of a fix that is not `secrets` can show a secret as a context line (a compose
    service's key next to the healthcheck it edits): redacted in a dry run, a plan without
    the secrets step, and patch files, as if the secrets fix had run (guarantee 8)."""
    key = "sk_live_" + "51Hq8ZpK3xLmN2vB7cR4tY9w"  # fake, with a live key's shape
    repo = make_repo(tmp_path / "repo", {"docker-compose.yml": (
        "services:\n  api:\n    image: node:20\n    environment:\n      NODE_ENV: production\n"
        f"      STRIPE_SECRET_KEY: {key}\n    healthcheck:\n"
        '      test: ["CMD", "curl", "-f", "http://localhost:3000/health"]\n')})
    runs = [fixer("apply", "--fix", "healthcheck-loopback", "--dry-run", cwd=repo),
            fixer("apply", "--fix", "env-separation", "--dry-run", cwd=repo),
            fixer("plan", "--skip", "secrets", "--dry-run", cwd=repo),
            fixer("plan", "--only", "healthcheck-loopback", "--patches", str(tmp_path / "patches"), cwd=repo)]
    for result in runs:
        assert result.returncode == 0, result.stderr
        assert key.encode() not in result.stdout + result.stderr
    assert b"STRIPE_SECRET_KEY: sk_l\xe2\x80\xa6(32 chars)" in runs[0].stdout  # the context line is there, masked
    patches = [path.read_bytes() for path in (tmp_path / "patches").iterdir()]
    assert patches and all(key.encode() not in patch for patch in patches)
    assert any(b"sk_l\xe2\x80\xa6(32 chars)" in patch for patch in patches)


def test_a_token_no_finding_names_is_redacted_in_any_diff_that_shows_it(tmp_path: Path) -> None:
    """A token of a known shape where the secrets fix makes no finding (a Dockerfile RUN line,
    a compose label) still never shows in full in another fix's diff (guarantee 8)."""
    npm = "npm_" + "q7XkP2mVt9RzL4wN8bYcJdh3Fs6GuK1oEaZ5"  # fake, with an npm token's shape
    repo = make_repo(tmp_path / "repo", {"services/api/package.json": '{"name": "api"}\n', "services/api/Dockerfile": (
        "FROM node:20-alpine\nWORKDIR /app\n"
        f'RUN echo "//registry.npmjs.org/:_authToken={npm}" > .npmrc && npm ci\n'
        "HEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1\nCMD [\"node\", \"index.js\"]\n")})
    result = fixer("apply", "--fix", "healthcheck-loopback", "--dry-run", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert b"HEALTHCHECK" in result.stdout and npm.encode() not in result.stdout + result.stderr
    assert b"_authToken=npm_\xe2\x80\xa6(40 chars)" in result.stdout


def test_patches_mask_an_env_file_leaving_git_as_the_dry_run_does(tmp_path: Path) -> None:
    """`--patches` writes git's own patch of the untracking commit: the .env it deletes is masked
    there as in the dry run, lines no detector reads as a secret included (a generated-looking
    word in a comment, a bare base64 value), while plain words stay readable, and the patch
    still names every line it deletes."""
    bare = "dGhpc2lzYXNlY3JldGtleXRoYXRpc2Jhc2U2NGVuY29kZWQ="  # fake
    note = "# kept for the café service: Wm9Pz4Kv8Nt3BsXr7Lq2Wm9Pz4Kv8Nt3Bs"  # in a folder git quotes (non-ASCII)
    repo = make_repo(tmp_path / "repo", {
        ".env": f"NODE_ENV=production\nSTRIPE_SECRET_KEY=sk_live_51Hq8ZpK3xLmN2vB7cR4tY9w\n# old key, valid until March\n{bare}\n",
        "services/café-api/.env": f"API_TOKEN=q7XkP2mVt9RzL4wN8bYcJdh3Fs6GuK1o\n{note}\n", ".gitignore": "node_modules\n"})
    result = fixer("plan", "--only", "secrets", "--patches", str(tmp_path / "patches"), cwd=repo)
    assert result.returncode == 0, result.stderr
    [patch] = [path.read_bytes() for path in (tmp_path / "patches").iterdir()]
    assert bare.encode() not in patch and b"sk_live_51Hq" not in patch and b"-# old key, valid until March\n" in patch
    assert b"Wm9Pz4Kv8Nt3" not in patch and b'"a/services/caf\\303\\251-api/.env"' in patch
    deleted = patch.split(b"+++ /dev/null\n", 1)[1].split(b"\ndiff --git", 1)[0]
    assert deleted.startswith(b"@@ -1,4 +0,0 @@\n") and deleted.count(b"\n-") == 4


def test_a_branch_another_run_wrote_at_the_same_commit_is_not_undone(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Two plans started in the same second make byte-identical commits. The one whose update-ref
    loses the race must not take the winner's branch for its own and delete it when it stops."""
    from fixer import plan
    from fixer.gitops import GitRepo
    from transforms import registry

    real = GitRepo.set_branch

    def raced(self: GitRepo, branch: str, commit: str, expected_old: str | None) -> None:
        real(self, branch, commit, expected_old)  # the other run writes first, the same commit...
        real(self, branch, commit, expected_old)  # ...and ours is refused: the branch exists now

    monkeypatch.setattr(GitRepo, "set_branch", raced)
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    code = plan.main(plan.Request(root=repo, only=["health-endpoints"], cache=False), registry())
    capsys.readouterr()
    assert code == 3
    assert HEALTH in branches(repo)  # the other run's branch stays


def test_a_fix_whose_findings_all_need_a_human_says_so_not_nothing_to_fix(tmp_path: Path, env: dict[str, str]) -> None:
    # /healthz beside /health is reported, never renamed (a duplicate route): a finding, no edit
    both = make_repo(tmp_path / "both", {
        "services/a/package.json": '{"name": "a"}',
        "services/a/src/app.ts": "app.get('/health', ok);\napp.get('/healthz', ok);\napp.listen(3000);\n"})
    result = fixer("plan", "--only", "health-endpoints", str(both), env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert set(branches(both)) == {"main"}
    table = result.stdout.decode()
    row = next(line for line in table.splitlines() if line.split()[2:3] == ["health-endpoints"])
    assert "0/1" in row and "to review by hand" in row and "nothing to fix" not in row
    assert "health-endpoints: 1 finding(s) to review by hand, nothing fixed automatically" in table
    assert "nothing to fix" not in table
    document = json.loads(fixer("plan", "--only", "health-endpoints", "--json", str(both), env=env).stdout)
    assert [step["status"] for step in document["steps"]] == ["to review by hand"]


# --- plans read the monorepo's root; a branch made from another root is never rebuilt --------------

TWO_APPS = {
    "apps/a/src/app.ts": "app.get('/healthz', (_req, res) => res.json({ ok: true }));\n",
    "apps/b/src/app.ts": "app.get('/healthz', (_req, res) => res.json({ ok: true }));\n",
}


@pytest.mark.parametrize("marker", [
    {"nest-cli.json": '{ "monorepo": true, "projects": { "a": { "root": "apps/a" }, "b": { "root": "apps/b" } } }\n'},
    {"nx.json": '{ "npmScope": "acme" }\n'},
    {"pnpm-workspace.yaml": "packages:\n  - apps/*\n"},
    {"package.json": '{ "name": "acme", "private": true, "workspaces": ["apps/*"] }\n'},
])
def test_a_plan_from_an_app_directory_of_a_workspace_reads_the_monorepos_root(tmp_path: Path, marker: dict[str, str]) -> None:
    """An app of a NestJS or Nx monorepo has no package.json of its own: run from there, fixer
    reads the workspace's root (said in a note), so a second plan leaves the first one's branch
    (both apps' edits) as it is instead of rebuilding it with one app's."""
    repo = make_repo(tmp_path / "r", {**TWO_APPS, **marker})
    assert fixer("plan", "--only", "health-endpoints", cwd=repo).returncode == 0
    made = rev(repo, HEALTH)
    assert git(repo, "diff", "--name-only", "main", HEALTH).split() == ["apps/a/src/app.ts", "apps/b/src/app.ts"]
    again = fixer("plan", "--only", "health-endpoints", cwd=repo / "apps" / "b")
    assert again.returncode == 0, again.stderr.decode()
    assert f"note: reading {repo.resolve()}, the monorepo's root" in again.stderr.decode()
    assert rev(repo, HEALTH) == made and "up to date" in again.stdout.decode()


def test_a_plan_never_rebuilds_a_branch_fixer_made_reading_another_directory(tmp_path: Path) -> None:
    """A repository with no workspace declaration (a plain package.json above the services) is
    read where fixer is told to; a fix branch is then made from that directory's view of the
    repository, so one made reading another directory is refused, with where it was made: a
    plan of one service would silently drop the other services' edits."""
    repo = make_repo(tmp_path / "r", {**TWO_APPS, "package.json": '{ "name": "acme", "private": true }\n'})
    assert fixer("plan", "--only", "health-endpoints", str(repo)).returncode == 0
    made = rev(repo, HEALTH)
    for args in (["plan"], ["plan", "--dry-run"], ["apply", "--fix", "health-endpoints", "--force"]):
        refused = fixer(*args, *(["--only", "health-endpoints"] if args[0] == "plan" else []), cwd=repo / "apps" / "b")
        assert refused.returncode == 2, (args, refused.stderr.decode())
        error = refused.stderr.decode()
        assert f"{HEALTH} was made by fixer reading {repo.resolve()}, not {(repo / 'apps/b').resolve()}" in error, error
        assert f"`fixer plan {repo.resolve()}`" in error and f"git branch -D {HEALTH}" in error
        assert rev(repo, HEALTH) == made
    # the other way round: a branch of one app's directory records it, is up to date from there,
    # and is not rebuilt from the repository's top
    git(repo, "branch", "-D", HEALTH)
    assert fixer("plan", "--only", "health-endpoints", cwd=repo / "apps" / "b").returncode == 0
    one = rev(repo, HEALTH)
    assert git(repo, "diff", "--name-only", "main", HEALTH).split() == ["apps/b/src/app.ts"]
    assert "\nFixer-Root: apps/b\n" in message(repo, HEALTH)
    assert "up to date" in fixer("plan", "--only", "health-endpoints", cwd=repo / "apps" / "b").stdout.decode()
    refused = fixer("plan", "--only", "health-endpoints", str(repo))
    assert refused.returncode == 2
    assert f"{HEALTH} was made by fixer reading {(repo / 'apps/b').resolve()}, not {repo.resolve()}" in refused.stderr.decode()
    assert rev(repo, HEALTH) == one
    # a branch made at the repository's top carries no Fixer-Root (as those of older fixers)
    git(repo, "branch", "-D", HEALTH)
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    assert "Fixer-Root" not in message(repo, HEALTH)
    assert fixer("plan", "--only", "health-endpoints", str(repo)).returncode == 0
    assert "Fixer-Root" not in message(repo, HEALTH)


# --- the base's name; where the patches go (reader r6) ---------------------------------------


@pytest.mark.parametrize("mode", [[], ["--independent"]])
def test_the_name_the_base_was_reached_by_leaves_the_plan_up_to_date(repo: Path, env: dict[str, str],
                                                                      mode: list[str]) -> None:
    """A checkout of main and a detached one of the same commit (CI's pull-request or tag
    checkout), `--base <sha>` and `--base main`: the same base commit and trees, so every branch
    is up to date whichever way the plan runs after which — no branch rewritten, no object made
    (with --push that was a force-push of every branch and a re-titled pull request, each run)."""
    main = rev(repo, "main")
    assert fixer("plan", *mode, "--only", TWO, str(repo), env=env).returncode == 0
    made = branches(repo)
    assert "based on main." in message(repo, HEALTH)
    runs = [(["checkout", "-q", "--detach", "main"], []), (["checkout", "-q", "main"], []),
            (["checkout", "-q", "--detach", "main"], ["--base", "main"]), ([], ["--base", main]),
            (["checkout", "-q", "main"], ["--base", main])]
    for checkout, base in runs:
        if checkout:
            git(repo, *checkout)
        before = snapshot(repo)
        again = fixer("plan", *mode, *base, "--only", TWO, str(repo), env=env)
        assert again.returncode == 0, again.stderr.decode()
        assert "2 up to date" in again.stdout.decode(), (checkout, base, again.stdout.decode())
        assert snapshot(repo) == before and branches(repo) == made
    # the other order: made from the detached checkout first, then from main
    git(repo, "branch", "-D", HEALTH, NOTE)
    git(repo, "checkout", "-q", "--detach", "main")
    assert fixer("plan", *mode, "--only", TWO, str(repo), env=env).returncode == 0
    assert f"based on {main[:10]}." in message(repo, HEALTH)
    detached = branches(repo)
    git(repo, "checkout", "-q", "main")
    again = fixer("plan", *mode, "--json", "--only", TWO, str(repo), env=env)
    assert again.returncode == 0 and branches(repo) == detached
    assert {step["status"] for step in json.loads(again.stdout)["steps"] if step["branch"]} == {"up to date"}


def test_a_base_name_counts_only_when_it_is_the_same_name_everywhere() -> None:
    """The message's text is compared whole but for the base's name, which is one name."""
    from fixer.plan import BASE_NAME, _base_name_in

    template = f"x\n\nbased on {BASE_NAME}.\n\n- git diff {BASE_NAME}...fixer/a\n"
    assert _base_name_in("x\n\nbased on main.\n\n- git diff main...fixer/a\nFixer-Tree: t d\n", template) == "main"
    assert _base_name_in("x\n\nbased on main.\n\n- git diff 0123abcd...fixer/a\n", template) is None
    assert _base_name_in("x\n\nbased on main, and more.\n\n- git diff main...fixer/a\n", template) is None
    assert _base_name_in("y\n", "y\n") == ""


@pytest.mark.parametrize("where", ["file", "file/patches", "dangling"])
def test_patches_into_a_file_is_a_usage_error_before_anything_is_written(repo: Path, env: dict[str, str],
                                                                          tmp_path: Path, where: str) -> None:
    """`--patches` a file (or under one, or a link to nothing): one clear line and exit 2 before
    any branch is written — not every branch written, then `[Errno 17] File exists` per fix, exit 3."""
    (tmp_path / "file").write_text("someone's file\n")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    before = snapshot(repo)
    result = fixer("plan", "--only", TWO, "--patches", str(tmp_path / where), str(repo), env=env)
    error = result.stderr.decode()
    assert result.returncode == 2 and "not a directory" in error and "nothing was written" in error, error
    assert "Errno" not in error and "Traceback" not in error and len(error.strip().splitlines()) == 1
    assert snapshot(repo) == before and set(branches(repo)) == {"main"}
    assert (tmp_path / "file").read_text() == "someone's file\n" and not (tmp_path / "nowhere").exists()
    # a directory that is not there yet is made, as before
    made = fixer("plan", "--only", TWO, "--patches", str(tmp_path / "new" / "patches"), str(repo), env=env)
    assert made.returncode == 0, made.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "new" / "patches").iterdir()) == [
        "0001-health-endpoints.patch", "0002-zz-health-note.patch"]


def test_a_fix_branch_checked_out_is_not_taken_for_the_base(repo: Path, env: dict[str, str]) -> None:
    """With fixer/<id> checked out, a plan without --base would start from a fix branch (other fixes
    "merged already?", every branch above rebuilt with the wrong text): refused, nothing written."""
    assert fixer("plan", "--only", TWO, str(repo), env=env).returncode == 0
    before = branches(repo)
    git(repo, "checkout", "-q", HEALTH)
    result = fixer("plan", "--only", TWO, str(repo), env=env)
    err = result.stderr.decode()
    assert result.returncode == 2 and len(err.strip().splitlines()) == 1, err
    assert f"HEAD is {HEALTH}, one of fixer's own branches" in err and "--base main" in err
    assert branches(repo) == before
    based = fixer("plan", "--only", TWO, "--base", "main", str(repo), env=env)  # named: fine
    assert based.returncode == 0, based.stderr.decode()
    assert branches(repo) == before


def test_files_the_checked_out_fix_branch_tracks_are_not_called_untracked(tmp_path: Path) -> None:
    """A fix branch that creates files is checked out, main moves, `plan --base main`: the files of
    the checkout are tracked (git switches them), not a user's loose files in the way: the branch is
    kept for being checked out, and nothing is reported as untracked."""
    from nodeenv import SAMPLE_MONOREPO

    repo = tmp_path / "repo"
    import shutil

    shutil.copytree(SAMPLE_MONOREPO, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    first = fixer("plan", "--only", "env-separation", "--json", str(repo))
    assert first.returncode == 0
    fixed = json.loads(first.stdout)["steps"][0]["fixed"]
    git(repo, "checkout", "-q", "fixer/env-separation")
    assert (repo / ".env.development.example").exists()
    git(repo, "update-ref", "refs/heads/main", git(repo, "commit-tree", "main^{tree}", "-p", "main", "-m", "bump").strip())
    result = fixer("plan", "--only", "env-separation", "--base", "main", "--json", str(repo))
    assert result.returncode == 0, result.stdout.decode()[-2000:] + result.stderr.decode()
    step = json.loads(result.stdout)["steps"][0]
    assert step["status"] == "kept" and "switch away" in step["detail"]
    assert not step["errors"] and "does not track" not in result.stdout.decode() + result.stderr.decode()
    assert step["fixed"] == fixed  # (the old check rejected the new files: 1 fixed, not all)


def test_keep_alias_probes_the_alias_answers_are_fixed_not_left_for_a_human(tmp_path: Path) -> None:
    """With keep-alias the route keeps /healthz and /health is registered beside it: that answers the
    HEALTHCHECK on /health. The probe's finding carries the alias's edit (counted fixed, worded so), not
    "Left for a human … the route rename fixes it", and the note does not say the routes become /health."""
    repo = make_repo(tmp_path / "repo", {**SMALL_REPO, ".fixer.toml": "[fix.health-endpoints]\nkeep-alias = true\n"})
    result = fixer("plan", "--json", "--only", "health-endpoints", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    step = json.loads(result.stdout)["steps"][0]
    assert step["fixed"] == 2, step
    body = message(repo, "fixer/health-endpoints")
    assert "['/health', '/healthz']" in git(repo, "show", "fixer/health-endpoints:services/booking-service/src/app.ts")
    assert "Left for a human" not in body, body
    assert "the /health route registered beside /healthz (keep-alias) fixes it" in body, body
    assert "routes become /health" not in body
    assert "services serving /health beside their /healthz routes (keep-alias): services/booking-service" in body, body


def test_the_plan_uses_the_fixer_toml_committed_at_the_base(tmp_path: Path) -> None:
    """An uncommitted edit of .fixer.toml is left out like any other uncommitted change (the note
    says so): the branches are what the next run, reading the committed file, makes again."""
    repo = make_repo(tmp_path / "repo", {**SMALL_REPO, ".fixer.toml": "max-file-size = 2000000\n"})
    (repo / ".fixer.toml").write_text("max-file-size = 2000000\n[fix.health-endpoints]\nkeep-alias = true\n")
    result = fixer("plan", "--only", "health-endpoints", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "your .fixer.toml differs from the one committed at main: the committed one was used" in out
    served = git(repo, "show", "fixer/health-endpoints:services/booking-service/src/app.ts")
    assert "'/healthz'" not in served  # no keep-alias: the committed file has none
    git(repo, "stash", "-q")  # the next run reads the committed file: nothing to rebuild
    again = fixer("plan", "--only", "health-endpoints", "--json", str(repo))
    assert json.loads(again.stdout)["steps"][0]["status"] == "up to date"


def test_an_uncommitted_fixer_toml_none_committed_is_named_so_and_apply_and_plan_make_one_branch(tmp_path: Path) -> None:
    """r12: with no .fixer.toml committed, the plan's note said the checkout's "differs from the
    one committed at main: the plan used the committed one" (there was none), and `apply` read
    the uncommitted file while `plan` did not: two different branches from one commit. Both now
    read the base commit's (none: the defaults) and say that the checkout's was not used."""
    repo = make_repo(tmp_path / "repo", SMALL_REPO)
    (repo / ".fixer.toml").write_text('exclude = ["services/booking-service/**"]\n')
    planned = fixer("plan", "--dry-run", "--only", "health-endpoints", str(repo))
    assert "note: your .fixer.toml is not committed at main: it was not used, the defaults were" in planned.stdout.decode() + planned.stderr.decode()
    assert "differs from the one committed" not in planned.stdout.decode() + planned.stderr.decode()
    dry = fixer("apply", "--fix", "health-endpoints", "--dry-run", "--no-color", str(repo))
    assert "note: your .fixer.toml is not committed at HEAD: it was not used, the defaults were" in dry.stderr.decode()
    assert b"diff --git a/services/booking-service/src/app.ts" in dry.stdout
    applied = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert applied.returncode == 0 and "it was not used" in applied.stderr.decode(), applied.stderr.decode()
    tree = git(repo, "rev-parse", "fixer/health-endpoints^{tree}")
    again = fixer("plan", "--only", "health-endpoints", "--json", str(repo))
    assert again.returncode == 0, again.stderr.decode()
    assert git(repo, "rev-parse", "fixer/health-endpoints^{tree}") == tree  # the same files (the message is the plan's)


def _husky(repo: Path, hooks: dict[str, str]) -> None:
    """Husky 9's layout: core.hooksPath .husky/_, a stub there for every hook (running
    .husky/<hook> when it exists, through `h`), the user's hook scripts in .husky."""
    stubs = {f".husky/_/{name}": '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n'
             for name in ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "pre-push")}
    write_tree(repo, {**stubs, ".husky/_/h": "#!/usr/bin/env sh\n# runs .husky/$(basename $0)\n",
                      **{f".husky/{name}": text for name, text in hooks.items()}})
    for name in stubs:
        (repo / name).chmod(0o755)
    git(repo, "config", "core.hooksPath", ".husky/_")


def test_the_plan_says_once_that_fixers_commits_skip_the_commit_hooks(tmp_path: Path) -> None:
    """r12: fixer commits with `git commit-tree`, which runs no hook: a husky pre-commit
    (lint-staged) or commit-msg (commitlint) never ran on its branches, and nothing said so.
    The notes say it once, name the hooks, and how to run them; none without hooks."""
    plain = make_repo(tmp_path / "plain", SMALL_REPO)
    result = fixer("plan", "--only", "health-endpoints", str(plain))
    assert result.returncode == 0 and "hook" not in result.stdout.decode() + result.stderr.decode()  # (.sample ones: none)

    repo = make_repo(tmp_path / "repo", SMALL_REPO)
    _husky(repo, {"pre-commit": "npx lint-staged\n"})  # (no .husky/commit-msg: its stub runs nothing)
    result = fixer("plan", "--only", "health-endpoints,healthcheck-loopback", str(repo))
    out = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, out
    assert out.count("do not run this repository's commit hooks") == 1, out
    assert "commit hooks (pre-commit in .husky)" in out and "git commit -C ORIG_HEAD" in out, out
    dry = fixer("plan", "--dry-run", "--only", "health-endpoints", str(repo))
    assert "commit hooks" not in dry.stdout.decode() + dry.stderr.decode()  # (nothing committed)
