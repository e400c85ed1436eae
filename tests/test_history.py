"""fixer.history: which commits added a secret value, against real git repositories.

A commit added a value at a path only when the blob its parent had there did not hold it
(a merge: none of its parents' blobs): a commit that edits other lines of the file, a merge
that takes a side's file, and fixer's own commits (reached by a stash or a user's branch)
added nothing, and naming them made a second `fixer plan` rebuild every branch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixer import history
from fixer.gitops import GitRepo
from gitrepo import fixer, git, make_repo

VALUE = "Qm8rT2vX9kLp4NwZ7cHs3JdF6yBg1AeU"  # fake
OTHER = "Zp4Lk8Wq2Rt6Yx1Nc9Vb3Mh7Gd5Fs0Ja"  # fake


def _commit(repo: Path, files: dict[str, str], message: str) -> str:
    for path, text in files.items():
        (repo / path).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_history_names_only_the_commits_that_added_a_value(tmp_path: Path) -> None:
    """Editing other lines of a file that holds the value adds nothing; the value written to a
    new path, or written again after it was removed, is added again."""
    repo = make_repo(tmp_path / "r", {"env.template": f"JWT_SECRET={VALUE}\n"})
    first = git(repo, "rev-parse", "HEAD").strip()
    _commit(repo, {"env.template": f"PORT=3000\nJWT_SECRET={VALUE}\n"}, "other line")
    copied = _commit(repo, {"config.env": f"JWT_SECRET={VALUE}\n"}, "copy")
    _commit(repo, {"env.template": "PORT=3000\nJWT_SECRET=\n", "config.env": "JWT_SECRET=\n"}, "remove")
    again = _commit(repo, {"env.template": f"PORT=3001\nJWT_SECRET={VALUE}\n"}, "again")
    found = history.search(GitRepo(repo), [VALUE])
    assert [(s.commit, s.path) for s in found.found[VALUE]] == [
        (first, "env.template"), (copied, "config.env"), (again, "env.template")]


def test_a_merge_adds_a_value_only_where_no_parent_held_it(tmp_path: Path) -> None:
    """A merge that combines a side's value with main's other edits (a file that differs from
    both parents) added nothing; a value that only the merge's resolution writes, it added."""
    repo = make_repo(tmp_path / "r", {"app.env": "A=1\nB=2\nC=3\nD=4\n"})
    git(repo, "checkout", "-q", "-b", "side")
    side = _commit(repo, {"app.env": f"A=1\nB=2\nC=3\nD=4\nTOKEN={VALUE}\n"}, "side adds it")
    git(repo, "checkout", "-q", "main")
    _commit(repo, {"app.env": "A=0\nB=2\nC=3\nD=4\n"}, "main edits another line")
    git(repo, "merge", "-q", "--no-commit", "side")
    merged = _commit(repo, {"app.env": f"A=0\nB=2\nC=3\nD=4\nTOKEN={VALUE}\nKEY={OTHER}\n"}, "merge")
    assert len(git(repo, "rev-list", "--parents", "-n1", merged).split()) == 3
    found = history.search(GitRepo(repo), [VALUE, OTHER])
    assert [s.commit for s in found.found[VALUE]] == [side]
    assert [s.commit for s in found.found[OTHER]] == [merged]


COMPOSE = ("services:\n  api:\n    image: node:20-alpine\n    environment:\n      DB_PASS: Xq9vL2pT7rWm4kZs\n"
           "  redis:\n    image: redis:7-alpine\n"
           '    command: ["redis-server", "--requirepass", "r3d1sPassw0rdXyz"]\n')  # fake values


@pytest.mark.parametrize("reach", ["stash", "branch"])
def test_a_ref_reaching_fixers_commits_leaves_the_plan_up_to_date(tmp_path: Path, reach: str) -> None:
    """A stash made on a fixer branch, or a user's branch made from one, reaches fixer's
    commits; they carry over the value fixer reports but cannot fix (redis' --requirepass) and
    added nothing: the secrets commit's message, and so the branch, stay the same."""
    repo = make_repo(tmp_path / "r", {"docker-compose.yml": COMPOSE, "README.md": "a README\n"})
    baseline = git(repo, "rev-parse", "HEAD").strip()
    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    first = fixer("plan", "--only", "secrets", str(repo), env=env)
    assert first.returncode == 0, first.stderr.decode()
    tip = git(repo, "rev-parse", "fixer/secrets").strip()
    body = git(repo, "log", "-1", "--format=%B", "fixer/secrets")
    assert f"git history: r3d1…(16 chars) (docker-compose.yml:8) was committed in 1 commit(s): {baseline[:10]} " in body
    if reach == "stash":
        git(repo, "checkout", "-q", "fixer/secrets")
        (repo / "README.md").write_text("a README\nedit\n")
        git(repo, "stash", "-q")
        git(repo, "checkout", "-q", "main")
    else:
        git(repo, "branch", "review", "fixer/secrets")
    dry = fixer("plan", "--dry-run", "--only", "secrets", str(repo), env=env)
    assert dry.returncode == 0, dry.stderr.decode()
    assert b"1 up to date" in dry.stderr + dry.stdout and tip[:10].encode() not in dry.stdout
    again = fixer("plan", "--only", "secrets", str(repo), env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert git(repo, "rev-parse", "fixer/secrets").strip() == tip


# --- repository shapes: partial clones, submodules (r12) -------------------------------------


def _missing(repo: Path) -> int:
    return sum(line.startswith("?") for line in git(repo, "rev-list", "--objects", "--all", "--missing=print").splitlines())


def _partial_clone(tmp_path: Path, filter_spec: str) -> tuple[Path, list[str]]:
    """A clone of a four-commit repository made with `--filter=<filter_spec>`: the old blobs of
    env.template (and, for tree:0, the old trees) are not in it."""
    source = make_repo(tmp_path / "src", {"env.template": f"JWT_SECRET={VALUE}\n"})
    commits = [git(source, "rev-parse", "HEAD").strip()]
    for number in range(3):
        commits.append(_commit(source, {"env.template": f"PORT={number}\nJWT_SECRET={VALUE}\n"}, f"rev {number}"))
    git(source, "config", "uploadpack.allowFilter", "true")
    git(source, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"--filter={filter_spec}", f"file://{source}", str(clone))
    return clone, commits


def test_a_partial_clone_is_never_made_to_download_history(tmp_path: Path) -> None:
    """`git clone --filter=blob:none`: asking git for a blob it never downloaded makes it fetch
    that blob from the remote, one request each (hours on a big repository, a credential
    prompt that hangs CI). The search reads only the blobs the clone has and says how many it
    left out; nothing is downloaded."""
    clone, commits = _partial_clone(tmp_path, "blob:none")
    before = _missing(clone)
    assert before == 3
    found = history.search(GitRepo(clone), [VALUE])
    assert _missing(clone) == before  # no lazy fetch
    assert found.partial and found.missing_blobs == 3 and found.skipped_blobs == 0
    assert [s.commit for s in found.found[VALUE]] == [commits[-1]]  # the blob it has
    text = "\n".join(history.report_lines(found, {VALUE: ("env.template", 2)}))
    assert "this is a partial clone; 3 blob(s) it never downloaded were not searched" in text
    assert "over 10 MB" not in text


def test_a_partial_clone_without_trees_is_not_searched_and_says_so(tmp_path: Path) -> None:
    """`--filter=tree:0`: even `git log --raw` would fetch every old tree; the search is not run,
    and the report says so instead of "in no commit"."""
    clone, _commits = _partial_clone(tmp_path, "tree:0")
    before = _missing(clone)
    found = history.search(GitRepo(clone), [VALUE])
    assert _missing(clone) == before
    lines = history.report_lines(found, {VALUE: ("env.template", 2)})
    assert len(lines) == 1 and "partial clone without all of its commits' trees" in lines[0]
    assert "in no commit" not in lines[0] and "rotate" in lines[0]


def test_a_submodule_is_no_blob_of_the_search(tmp_path: Path) -> None:
    """A gitlink (mode 160000) names a commit of another repository: it is no blob of this one,
    and it was counted as a skipped blob over 10 MB ("search incomplete")."""
    lib = make_repo(tmp_path / "lib", {"a.txt": "x\n"})
    repo = make_repo(tmp_path / "r", {"env.template": f"JWT_SECRET={VALUE}\n"})
    first = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", f"file://{lib}", "vendor/lib")
    git(repo, "commit", "-q", "-m", "submodule")
    found = history.search(GitRepo(repo), [VALUE])
    assert found.skipped_blobs == 0 and found.missing_blobs == 0 and not found.partial
    assert [s.commit for s in found.found[VALUE]] == [first]
    text = "\n".join(history.report_lines(found, {VALUE: ("env.template", 1)}))
    assert "incomplete" not in text and "not searched" not in text
