"""`fixer plan` on a git copy of the sample monorepo, with every registered fix (the set grows
as fixes are added: nothing here names one). Each branch's tree type-checks with the real
TypeScript compiler where TypeScript changed, every changed file re-parses, the branches
merge in order without a conflict, a second plan changes nothing, and no secret value of
any finding reaches the dry run's output."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fixer import config as config_mod, verify
from fixer.repo import DirectorySource, Repo, classify
from fixer.runner import run_fixes
from github_stub import GitHubStub
from gitrepo import fixer, git, snapshot
from nodeenv import SAMPLE_MONOREPO, prepare_tree, tsc
from transforms import registry


def _git_copy(tree: Path) -> Path:
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "sample monorepo")
    return tree


def _checkout(repo: Path, ref: str, where: Path) -> Path:
    where.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    prepare_tree(where)
    return where


@pytest.mark.node
def test_plan_on_the_sample_monorepo(sample_tree: Path, tmp_path: Path) -> None:
    repo = _git_copy(sample_tree)
    result = fixer("plan", "--include-review", "--json", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    steps = json.loads(result.stdout)["steps"]
    assert [s["fix"] for s in steps] == list(registry())  # the audit's order
    parts = [s for s in steps if s["part"]]
    assert parts, "no fix had anything to do on the sample"
    made = {line.split()[0]: line.split()[1] for line in
            git(repo, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/fixer/").splitlines()}
    assert set(made) == {s["branch"] for s in parts}  # one branch per applicable fix, no other

    previous = "main"
    for step in parts:
        branch = step["branch"]
        # one commit, on top of the previous fix's branch
        assert git(repo, "rev-list", "--parents", "-n", "1", branch).split()[1:] == [git(repo, "rev-parse", previous).strip()]
        assert f"Fixer-Fix: {step['fix']}" in git(repo, "log", "-1", "--format=%B", branch)
        changed = git(repo, "diff", "--name-only", "--no-renames", previous, branch).split()
        for path in changed:
            before = subprocess.run(["git", "show", f"{previous}:{path}"], cwd=repo, capture_output=True)
            after = subprocess.run(["git", "show", f"{branch}:{path}"], cwd=repo, capture_output=True)
            if before.returncode == 0 and after.returncode == 0:
                assert verify.reparse_problem(classify(path), before.stdout, after.stdout) is None, (branch, path)
        if any(classify(path) in ("ts", "tsx") for path in changed):
            checkout = _checkout(repo, branch, tmp_path / branch.replace("/", "-"))
            assert tsc(checkout) == [], branch
        previous = branch

    # merging the branches in order (as their pull requests would be) gives no conflict
    for step in parts:
        git(repo, "merge", "-q", "--no-ff", "--no-edit", step["branch"])
    assert git(repo, "rev-parse", "HEAD^{tree}") == git(repo, "rev-parse", f"{parts[-1]['branch']}^{{tree}}")
    git(repo, "reset", "-q", "--hard", "HEAD~" + str(len(parts)))

    # a second plan changes nothing
    before = snapshot(repo)
    again = fixer("plan", "--include-review", "--json", str(repo))
    assert again.returncode == 0, again.stderr.decode()
    assert {s["status"] for s in json.loads(again.stdout)["steps"] if s["part"]} == {"up to date"}
    assert snapshot(repo) == before


def test_push_and_pull_requests_for_the_whole_sample_plan(tmp_path: Path) -> None:
    tree = tmp_path / "sample-monorepo"
    shutil.copytree(SAMPLE_MONOREPO, tree, symlinks=True, ignore=shutil.ignore_patterns("node_modules"))
    repo = _git_copy(tree)
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "origin", "main")

    def exists(branch: str) -> bool:
        return bool(git(bare, "for-each-ref", f"refs/heads/{branch}").strip())

    with GitHubStub(branch_exists=exists) as stub:
        env = {"GITHUB_API_URL": stub.url, "GITHUB_REPOSITORY": stub.repository, "GITHUB_TOKEN": stub.token}
        args = ("plan", "--include-review", "--push", "origin", "--open-prs", "--json", str(repo))
        result = fixer(*args, env=env)
        assert result.returncode == 0, result.stderr.decode()
        parts = [s for s in json.loads(result.stdout)["steps"] if s["part"]]
        remote = dict(reversed(line.split("\t")) for line in git(repo, "ls-remote", "--heads", "origin").splitlines())
        assert all(remote[f"refs/heads/{s['branch']}"] == s["commit"] for s in parts)
        # one pull request per branch, each based on the one before
        assert [(p.body["head"], p.body["base"]) for p in stub.calls("POST")] == list(zip(
            [s["branch"] for s in parts], ["main"] + [s["branch"] for s in parts[:-1]]))
        secrets = _secrets_of_the_sample()
        assert not any(value in p["body"] or value in p["title"] for p in stub.pulls for value in secrets)
        stub.requests.clear()
        again = fixer(*args, env=env)
        assert again.returncode == 0, again.stderr.decode()
        assert {r.method for r in stub.requests} == {"GET"}
        assert {s["push"] for s in json.loads(again.stdout)["steps"] if s["part"]} == {"up to date"}


def _secrets_of_the_sample() -> set[str]:
    modules = registry()
    config = config_mod.Config()
    repo = Repo(SAMPLE_MONOREPO, DirectorySource(SAMPLE_MONOREPO), config)
    runs = run_fixes(repo, [(m, config_mod.options_for(m.INFO, config)) for m in modules.values()], findings_only=True)
    return {value for run in runs for value in run.secrets}


def test_the_dry_run_prints_no_secret_value(tmp_path: Path) -> None:
    secrets = _secrets_of_the_sample()
    if not secrets:
        pytest.skip("no registered fix reports secret values on the sample")
    result = fixer("plan", "--dry-run", "--include-review", str(SAMPLE_MONOREPO))
    assert result.returncode in (0, 3), result.stderr.decode()
    document = fixer("plan", "--dry-run", "--include-review", "--json", str(SAMPLE_MONOREPO))
    for value in secrets:
        for output in (result.stdout, result.stderr, document.stdout):
            assert value.encode() not in output
