"""`fixer plan --push origin --open-prs`: the real HTTP client against a local GitHub stand-in
(tests/github_stub.py), the branches in a local bare repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixer import github
from github_stub import GitHubStub
from gitrepo import SMALL_REPO, fixer, git, make_repo_with_remote
from test_plan import HEALTH, NOTE, TWO, branches, install_plugin, move_base


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo_with_remote(tmp_path, SMALL_REPO)


@pytest.fixture
def stub(repo: Path, tmp_path: Path):
    bare = tmp_path / "remote.git"

    def exists(branch: str) -> bool:
        return bool(git(bare, "for-each-ref", f"refs/heads/{branch}").strip())

    with GitHubStub(page_size=2, branch_exists=exists) as server:
        for number in range(5):  # someone else's open pull requests: three pages with ours
            server.add_pull(f"feature/{number}")
        server.add_pull(HEALTH, fork="stranger/kc-backend", title="a fork's branch of the same name")
        yield server


def run(repo: Path, stub: GitHubStub, tmp_path: Path, *args: str, token: str | None = None):
    env = {**install_plugin(tmp_path / "plugins"), "GITHUB_API_URL": stub.url,
           "GITHUB_REPOSITORY": stub.repository, "GITHUB_TOKEN": token or stub.token}
    return fixer("plan", "--push", "origin", "--open-prs", "--json", *args, str(repo), env=env)


def test_opens_one_pull_request_per_branch_stacked_on_the_previous(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    result = run(repo, stub, tmp_path, "--only", TWO)
    assert result.returncode == 0, result.stderr.decode()
    posts = stub.calls("POST")
    assert [(p.body["head"], p.body["base"]) for p in posts] == [(HEALTH, "main"), (NOTE, HEALTH)]
    first, second = stub.open_pulls_of(HEALTH)[0], stub.open_pulls_of(NOTE)[0]
    assert first["title"] == "health-endpoints: Serve health checks on /health"
    assert "Part 1 of 2 of the fixer plan, stacked: based on main." in first["body"]
    assert f"based on #{first['number']} ({HEALTH}); merge that first." in second["body"]
    assert "Why:" in first["body"] and "How to verify:" in first["body"] and "Fixer-Fix:" not in first["body"]
    # every page of the open pull requests was read; the fork's same-named branch was not taken for ours
    pages = [r.query.get("page", "1") for r in stub.calls("GET") if r.path.endswith("/pulls") and r.query.get("state") == "open"]
    assert pages == ["1", "2", "3"]
    assert all(r.headers["authorization"] == f"Bearer {stub.token}" for r in stub.requests)
    assert all(r.headers["x-github-api-version"] == github.API_VERSION for r in stub.requests)
    assert stub.token.encode() not in result.stdout + result.stderr
    steps = json.loads(result.stdout)["steps"]
    assert [s["pull_request"]["action"] for s in steps] == ["opened", "opened"]
    assert steps[1]["pull_request"]["url"] == second["html_url"]


def test_a_second_run_opens_no_duplicate_and_changes_nothing(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    assert run(repo, stub, tmp_path, "--only", TWO).returncode == 0
    count = len(stub.pulls)
    stub.requests.clear()
    again = run(repo, stub, tmp_path, "--only", TWO)
    assert again.returncode == 0, again.stderr.decode()
    assert len(stub.pulls) == count
    assert {r.method for r in stub.requests} == {"GET"}
    assert [s["pull_request"]["action"] for s in json.loads(again.stdout)["steps"]] == ["unchanged", "unchanged"]


def test_a_changed_plan_updates_the_open_pull_requests(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    assert run(repo, stub, tmp_path, "--only", "health-endpoints").returncode == 0
    assert "Part 1 of 1" in stub.open_pulls_of(HEALTH)[0]["body"]
    move_base(repo)
    git(repo, "push", "-q", "origin", "main")
    result = run(repo, stub, tmp_path, "--only", TWO)
    assert result.returncode == 0, result.stderr.decode()
    patches = stub.calls("PATCH")
    assert len(patches) == 1 and set(patches[0].body) == {"body"}
    assert "Part 1 of 2" in stub.open_pulls_of(HEALTH)[0]["body"]
    assert len(stub.open_pulls_of(HEALTH)) == 1 and len(stub.open_pulls_of(NOTE)) == 1
    assert [s["pull_request"]["action"] for s in json.loads(result.stdout)["steps"]] == ["updated", "opened"]


def test_a_pull_request_that_fails_is_reported_and_the_branches_stay(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    stub.fail("POST", 502, "Server Error", head=HEALTH)
    result = run(repo, stub, tmp_path, "--only", TWO)
    assert result.returncode == 3
    document = json.loads(result.stdout)
    outcome = [s["pull_request"] for s in document["steps"]]
    assert outcome[0]["action"] == "failed" and "502 Server Error" in outcome[0]["error"]
    assert outcome[1]["action"] == "opened"
    assert set(branches(repo)) == {"main", HEALTH, NOTE}
    assert [s["push"] for s in document["steps"]] == ["pushed", "pushed"]
    # the next run opens the one that failed, and only that one
    stub.requests.clear()
    again = run(repo, stub, tmp_path, "--only", TWO)
    assert again.returncode == 0, again.stderr.decode()
    assert [p.body["head"] for p in stub.calls("POST")] == [HEALTH]
    assert len(stub.open_pulls_of(HEALTH)) == 1 and len(stub.open_pulls_of(NOTE)) == 1


def test_github_refusing_a_duplicate_is_reported(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    stub.fail("POST", 422, "Validation Failed", head=NOTE)
    result = run(repo, stub, tmp_path, "--only", TWO)
    assert result.returncode == 3
    assert "422 Validation Failed" in json.loads(result.stdout)["steps"][1]["pull_request"]["error"]


def test_bad_credentials_fail_every_pull_request_and_push_nothing(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    """The pull requests are read before the push; unread, any branch could be a declined fix's:
    the branches are written (kept) but none is pushed."""
    result = run(repo, stub, tmp_path, "--only", TWO, token="ghp_wrong")
    assert result.returncode == 3
    steps = json.loads(result.stdout)["steps"]
    assert all("401 Bad credentials" in s["pull_request"]["error"] for s in steps)
    assert all(s["push"].startswith("held: the pull requests could not be read") for s in steps)
    assert set(branches(repo)) == {"main", HEALTH, NOTE}
    assert not git(tmp_path / "remote.git", "for-each-ref", "refs/heads/fixer/").strip()
    assert not stub.calls("POST") and b"ghp_wrong" not in result.stdout + result.stderr


def test_no_token_is_a_usage_error_before_anything_is_written(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    env = {"GITHUB_API_URL": stub.url, "GITHUB_REPOSITORY": stub.repository, "GITHUB_TOKEN": "", "PATH": "/usr/bin:/bin"}
    result = fixer("plan", "--push", "origin", "--open-prs", "--only", "health-endpoints", str(repo), env=env)
    assert result.returncode == 2 and b"GITHUB_TOKEN" in result.stderr
    assert set(branches(repo)) == {"main"} and not stub.requests


def test_the_first_pull_request_targets_the_default_branch_when_the_base_is_no_branch(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    stub.default_branch = "main"
    result = run(repo, stub, tmp_path, "--only", "health-endpoints")
    assert result.returncode == 0, result.stderr.decode()
    assert [r.path for r in stub.calls("GET")][0] == f"/repos/{stub.repository}"
    assert stub.calls("POST")[0].body["base"] == "main"


@pytest.mark.parametrize("url, expected", [
    ("git@github.com:acme/kc-backend.git", ("github.com", "acme/kc-backend")),
    ("https://github.com/acme/kc-backend", ("github.com", "acme/kc-backend")),
    ("https://x-access-token:abc@github.com/acme/kc-backend.git", ("github.com", "acme/kc-backend")),
    ("ssh://git@github.example.com:22/acme/kc.backend.git", ("github.example.com", "acme/kc.backend")),
    ("/srv/git/remote.git", None),
    ("../remote.git", None),
])
def test_repository_of_a_remote_url(url: str, expected: tuple[str, str] | None) -> None:
    assert github.repository_of(url) == expected


def test_the_token_only_goes_to_the_api_over_https_or_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://api.example.com")
    with pytest.raises(Exception, match="only sent over https"):
        github.locate("git@github.com:acme/kc-backend.git")
    monkeypatch.delenv("GITHUB_API_URL")
    assert github.locate("git@github.com:acme/kc-backend.git") == ("https://api.github.com", "acme/kc-backend")
    assert github.locate("git@ghe.example.com:acme/kc.git") == ("https://ghe.example.com/api/v3", "acme/kc")
    client = github.GitHub("https://api.github.com", "acme/kc", "secret-token")
    with pytest.raises(github.GitHubError, match="refusing to send the token"):
        client.request("GET", "https://elsewhere.example.com/repos/acme/kc/pulls")
    assert "secret-token" not in repr(client)


def test_a_pull_request_closed_unmerged_is_not_opened_again(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    """Closing a fix's pull request declines it: the next runs open no new one for that branch (nor,
    stacked, for the branches above it), and say how to propose it again."""
    assert run(repo, stub, tmp_path, "--only", TWO).returncode == 0
    first = stub.open_pulls_of(HEALTH)[0]
    first["state"] = "closed"  # the team declines the fix
    count = len(stub.pulls)
    stub.requests.clear()
    result = run(repo, stub, tmp_path, "--only", TWO)
    assert result.returncode == 0, result.stderr.decode()
    assert len(stub.pulls) == count and not stub.calls("POST") and not stub.calls("PATCH")
    steps = json.loads(result.stdout)["steps"]
    assert [s["pull_request"]["action"] for s in steps] == ["declined", "held"]
    assert steps[0]["pull_request"]["number"] == first["number"]
    assert f"declined in #{first['number']} (closed without merging)" in steps[0]["pull_request"]["note"]
    assert f"reopen #{first['number']}" in steps[0]["pull_request"]["note"]
    assert f"stacked on {HEALTH}" in steps[1]["pull_request"]["note"]
    first["title"] = "declined: keep our own health checks"  # retitled by a human: proposed again
    again = run(repo, stub, tmp_path, "--only", TWO)
    assert again.returncode == 0, again.stderr.decode()
    assert [p.body["head"] for p in stub.calls("POST")] == [HEALTH]


def test_a_fix_merged_before_is_proposed_again_and_says_so(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    assert run(repo, stub, tmp_path, "--only", "health-endpoints").returncode == 0
    first = stub.open_pulls_of(HEALTH)[0]
    first.update(state="closed", merged_at="2026-01-01T00:00:00Z")  # merged, then reverted on main
    result = run(repo, stub, tmp_path, "--only", "health-endpoints")
    assert result.returncode == 0, result.stderr.decode()
    pull = json.loads(result.stdout)["steps"][0]["pull_request"]
    assert pull["action"] == "opened" and f"merged before in #{first['number']}" in pull["note"]


def test_a_declined_fix_is_not_pushed_and_its_remote_branch_is_left_as_it_is(repo: Path, stub: GitHubStub, tmp_path: Path) -> None:
    """A declined fix's branch, rebuilt on a moved base, is not force-pushed over its remote branch
    (nor the branch stacked on it); deleted on the remote after the decline, it is not pushed again."""
    bare = tmp_path / "remote.git"
    assert run(repo, stub, tmp_path, "--only", TWO).returncode == 0
    pushed = branches(bare)
    stub.open_pulls_of(HEALTH)[0]["state"] = "closed"  # declined
    move_base(repo)
    git(repo, "push", "-q", "origin", "main")
    stub.requests.clear()
    result = run(repo, stub, tmp_path, "--only", TWO)
    assert result.returncode == 0, result.stderr.decode()
    steps = json.loads(result.stdout)["steps"]
    assert [s["status"] for s in steps] == ["rebuilt", "rebuilt"]  # the local branches follow the base
    assert branches(repo)[HEALTH] != pushed[HEALTH]
    assert {b: pushed[b] for b in (HEALTH, NOTE)} == {b: branches(bare)[b] for b in (HEALTH, NOTE)}
    assert [s["push"] for s in steps] == ["held: declined in #7", f"held: stacked on {HEALTH}, declined in #7"]
    assert [s["pull_request"]["action"] for s in steps] == ["declined", "held"]
    assert not stub.calls("POST") and not stub.calls("PATCH")
    git(bare, "branch", "-D", HEALTH)  # GitHub's "delete branch" after closing
    again = run(repo, stub, tmp_path, "--only", TWO)
    assert again.returncode == 0, again.stderr.decode()
    assert HEALTH not in branches(bare) and branches(bare)[NOTE] == pushed[NOTE]
    table = fixer("plan", "--push", "origin", "--open-prs", "--only", TWO, str(repo), env={
        **install_plugin(tmp_path / "plugins"), "GITHUB_API_URL": stub.url,
        "GITHUB_REPOSITORY": stub.repository, "GITHUB_TOKEN": stub.token})
    assert b"health-endpoints: push held: declined in #7" in table.stdout
    assert HEALTH not in branches(bare)


class _ClosedUnreadable:
    """A GitHub client whose closed pull requests of one branch cannot be read."""

    def open_pull_requests(self) -> dict[str, github.PullRequest]:
        return {}

    def closed_pull_requests(self, head: str) -> list[github.PullRequest]:
        if head == HEALTH:
            raise github.GitHubError(502, "Bad Gateway")
        return []


def test_a_branch_whose_closed_pull_requests_cannot_be_read_is_stopped_with_the_ones_above() -> None:
    wanted = [github.Wanted(HEALTH, "main", "health-endpoints: x", ""), github.Wanted(NOTE, HEALTH, "zz-health-note: y", ""),
              github.Wanted("fixer/other", "main", "other: z", "")]
    known = github.standing(_ClosedUnreadable(), wanted)  # type: ignore[arg-type]
    assert {head: outcome.action for head, outcome in known.stopped.items()} == {HEALTH: "failed", NOTE: "held"}
    assert "502 Bad Gateway" in known.stopped[HEALTH].error and "not pushed" in known.stopped[HEALTH].error
    assert known.stopped[NOTE].note.endswith("so not pushed: re-run")
