"""Pull requests on GitHub through its REST API (no third-party client: urllib from the standard library).

The calls `fixer plan --open-prs` makes, and nothing else:

  GET   /repos/{owner}/{repo}                      the default branch (only when the plan's base is no branch)
  GET   /repos/{owner}/{repo}/pulls?state=open&per_page=100[&page=N]
                                                   the open pull requests, every page (the `Link: rel="next"` header)
  GET   /repos/{owner}/{repo}/pulls?state=closed&head={owner}:{branch}&per_page=100
                                                   for a branch without an open one: was it declined (closed
                                                   unmerged) or merged before? (Both lists are read
                                                   before anything is pushed: a declined branch is not.)
  POST  /repos/{owner}/{repo}/pulls                {title, head, base, body}: open one
  PATCH /repos/{owner}/{repo}/pulls/{number}       {title, body, base}: update one that is open already

Authentication: `GITHUB_TOKEN`, else `gh auth token` when the GitHub CLI is installed. The
token is sent only to the API's own host (`Authorization` is never forwarded on a
redirect, and pagination links to any other host are refused), only over https (plain
http only to a loopback address, for tests), and never printed.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterator

from fixer import __version__
from fixer.errors import FixerError, UsageError

DEFAULT_API = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT_S = 30


class GitHubError(FixerError):
    def __init__(self, status: int, message: str):
        super().__init__(f"GitHub API: {status} {message}" if status else f"GitHub API: {message}")
        self.status = status


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str  # the page people open (html_url)
    head: str  # branch name
    base: str
    title: str
    body: str
    state: str = "open"
    merged: bool = False


# --- where and who ---------------------------------------------------------------------

_REMOTE = re.compile(
    r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?(?P<host1>[^/:]+)(?::\d+)?/|(?:[^@/]+@)?(?P<host2>[^/:]+):)"
    r"(?P<owner>[^/]+)/(?P<name>[^/]+?)(?:\.git)?/?$"
)


def repository_of(remote_url: str | None) -> tuple[str, str] | None:
    """(host, "owner/name") from a remote URL (`git@github.com:o/r.git`, `https://github.com/o/r`), or None."""
    if not remote_url or os.path.isabs(remote_url) or remote_url.startswith(("file:", ".")):
        return None
    match = _REMOTE.match(remote_url)
    if not match:
        return None
    host = match.group("host1") or match.group("host2")
    return host, f"{match.group('owner')}/{match.group('name')}"


def locate(remote_url: str | None) -> tuple[str, str]:
    """(API base URL, "owner/name") for the remote the branches are pushed to.

    `GITHUB_API_URL` wins when set (GitHub Actions sets it, GitHub Enterprise included); the
    repository comes from the remote URL, else from `GITHUB_REPOSITORY` (Actions sets that too)."""
    parsed = repository_of(remote_url)
    full_name = parsed[1] if parsed else os.environ.get("GITHUB_REPOSITORY", "").strip()
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", full_name or ""):
        raise UsageError(
            f"cannot tell which GitHub repository {remote_url or 'the remote'} is; push to a GitHub remote "
            "or set GITHUB_REPOSITORY=owner/name"
        )
    api = os.environ.get("GITHUB_API_URL", "").strip()
    if not api:
        host = parsed[0] if parsed else "github.com"
        api = DEFAULT_API if host == "github.com" else f"https://{host}/api/v3"
    check_api_url(api)
    return api.rstrip("/"), full_name


def check_api_url(api: str) -> None:
    url = urllib.parse.urlsplit(api)
    if url.scheme == "https" and url.hostname:
        return
    if url.scheme == "http" and url.hostname and _is_loopback(url.hostname):
        return
    raise UsageError(f"GITHUB_API_URL {api!r}: the token is only sent over https (or http to this machine)")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token() -> str:
    """`GITHUB_TOKEN`, else what `gh auth token` prints; a usage error when there is neither."""
    value = os.environ.get("GITHUB_TOKEN", "").strip()
    if value:
        return value
    if shutil.which("gh"):
        result = subprocess.run(["gh", "auth", "token"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    raise UsageError("--open-prs needs a GitHub token: set GITHUB_TOKEN, or log in with `gh auth login`")


# --- the client ------------------------------------------------------------------------


class GitHub:
    def __init__(self, api: str, repository: str, token_value: str, timeout: float = TIMEOUT_S):
        self.api = api.rstrip("/")
        self.repository = repository
        self._token = token_value
        self.timeout = timeout
        self._opener = urllib.request.build_opener()

    def __repr__(self) -> str:  # never the token
        return f"GitHub({self.api!r}, {self.repository!r})"

    def request(self, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[Any, dict[str, str]]:
        """One API call: (decoded JSON, response headers). Non-2xx answers raise GitHubError."""
        if not url.startswith(self.api + "/"):
            raise GitHubError(0, f"refusing to send the token to {url}")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("X-GitHub-Api-Version", API_VERSION)
        request.add_header("User-Agent", f"fixer/{__version__}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        # unredirected: a redirect (a renamed repository answers 301) is followed without the token
        request.add_unredirected_header("Authorization", f"Bearer {self._token}")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
        except urllib.error.HTTPError as error:
            raise GitHubError(error.code, _error_message(error)) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise GitHubError(0, f"cannot reach {self.api}: {reason}") from None
        try:
            return (json.loads(raw) if raw else None), headers
        except ValueError:
            raise GitHubError(0, f"{method} {url}: the answer is not JSON") from None

    def _repo_url(self, path: str = "") -> str:
        return f"{self.api}/repos/{self.repository}{path}"

    def paginate(self, url: str) -> Iterator[Any]:
        """Every item of a list endpoint, following `Link: <…>; rel="next"` page by page."""
        next_url: str | None = url
        while next_url:
            items, headers = self.request("GET", next_url)
            if not isinstance(items, list):
                raise GitHubError(0, f"GET {next_url}: expected a list")
            yield from items
            next_url = _next_link(headers.get("link", ""))

    def default_branch(self) -> str:
        data, _ = self.request("GET", self._repo_url())
        if not isinstance(data, dict) or not data.get("default_branch"):
            raise GitHubError(0, f"GET {self._repo_url()}: no default_branch in the answer")
        return str(data["default_branch"])

    def open_pull_requests(self) -> dict[str, PullRequest]:
        """Open pull requests whose head is a branch of this repository (not a fork), by branch."""
        found: dict[str, PullRequest] = {}
        for item in self.paginate(self._repo_url("/pulls?state=open&per_page=100")):
            if not isinstance(item, dict):
                raise GitHubError(0, "unexpected answer: not a pull request")
            head_repo = ((item.get("head") or {}).get("repo") or {}).get("full_name")
            if head_repo and head_repo.lower() != self.repository.lower():
                continue  # same branch name in a fork: not ours
            pull = _pull(item)
            found.setdefault(pull.head, pull)
        return found

    def closed_pull_requests(self, head: str) -> list[PullRequest]:
        """The closed pull requests whose head is `head` of this repository (not a fork's), newest first."""
        query = urllib.parse.urlencode({"state": "closed", "head": f"{self.repository.split('/')[0]}:{head}",
                                        "per_page": 100})
        found = []
        for item in self.paginate(self._repo_url(f"/pulls?{query}")):
            if not isinstance(item, dict):
                raise GitHubError(0, "unexpected answer: not a pull request")
            head_repo = ((item.get("head") or {}).get("repo") or {}).get("full_name")
            pull = _pull(item)
            if pull.head == head and (not head_repo or head_repo.lower() == self.repository.lower()):
                found.append(pull)
        return sorted(found, key=lambda pull: pull.number, reverse=True)

    def create_pull_request(self, head: str, base: str, title: str, body: str) -> PullRequest:
        data, _ = self.request("POST", self._repo_url("/pulls"),
                               {"title": title, "head": head, "base": base, "body": body})
        return _pull(data)

    def update_pull_request(self, number: int, **fields: str) -> PullRequest:
        data, _ = self.request("PATCH", self._repo_url(f"/pulls/{number}"), fields)
        return _pull(data)


def _last_closed(client: GitHub, want: Wanted) -> PullRequest | None:
    """The newest closed pull request of `want`'s branch that proposed this same fix (its title up to
    the first ':', the fix's id, is the same: one retitled by a human no longer counts), or None."""
    fix = want.title.split(":", 1)[0].strip()
    for pull in client.closed_pull_requests(want.head):
        if pull.title.split(":", 1)[0].strip() == fix:
            return pull
    return None


def _normal(text: str) -> str:
    """Text as GitHub may give it back: CRLF from the web editor, trailing space trimmed."""
    return text.replace("\r\n", "\n").strip()


def _pull(item: Any) -> PullRequest:
    try:
        return PullRequest(
            number=int(item["number"]),
            url=str(item.get("html_url") or item.get("url") or ""),
            head=str(item["head"]["ref"]),
            base=str(item["base"]["ref"]),
            title=str(item.get("title") or ""),
            body=str(item.get("body") or ""),
            state=str(item.get("state") or "open"),
            merged=bool(item.get("merged_at") or item.get("merged")),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise GitHubError(0, "unexpected answer: not a pull request") from None


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        match = re.match(r'\s*<([^>]+)>\s*;(.*)', part)
        if match and re.search(r'rel="?next"?', match.group(2)):
            return match.group(1)
    return None


def _error_message(error: urllib.error.HTTPError) -> str:
    """GitHub's own words: `message`, then each `errors[].message` (e.g. "A pull request already exists")."""
    try:
        data = json.loads(error.read() or b"{}")
    except ValueError:
        data = {}
    message = str(data.get("message") or error.reason or "error")
    details = [str(e.get("message") or e.get("code") or "") for e in data.get("errors") or [] if isinstance(e, dict)]
    details = [d for d in details if d]
    if error.code == 403 and error.headers.get("x-ratelimit-remaining") == "0":
        details.append("rate limit exhausted; try again after it resets")
    return message + (f" ({'; '.join(details)})" if details else "")


# --- one plan's pull requests ----------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """A pull request the plan wants: head branch onto base branch, with this title and body."""

    head: str
    base: str
    title: str
    body: str


@dataclass
class Outcome:
    head: str
    action: str  # opened | updated | unchanged | declined | held | failed
    pull: PullRequest | None = None
    error: str = ""
    note: str = ""  # what a human should know: declined before, merged before


@dataclass
class Standing:
    """What GitHub holds for the wanted branches, read before anything is pushed: a branch whose
    pull request was declined (or that is stacked on one) is neither pushed nor proposed."""

    open: dict[str, PullRequest]  # the open pull requests, by head branch
    closed: dict[str, PullRequest]  # head without an open one -> the newest closed one of the same fix
    stopped: dict[str, Outcome]  # head -> declined | held | failed (could not be checked): nothing of it goes out
    why: dict[str, str]  # head -> why it is stopped, in a few words ("declined in #12")


def standing(client: GitHub, wanted: list[Wanted]) -> Standing:
    """Read, in order, whether each wanted branch may go out. One without an open pull request
    whose newest closed pull request for the same fix was closed unmerged was declined; one
    stacked on a stopped branch is held (it would merge into that branch, never into the base).
    A failure to read one branch's closed pull requests stops that branch (`failed`: declined or
    not is unknown, so it is not pushed); a failure to list the open ones raises GitHubError."""
    found = Standing(client.open_pull_requests(), {}, {}, {})
    for want in wanted:
        if want.base in found.stopped:
            found.why[want.head] = why = found.why[want.base]
            advice = ("re-run the plan with that fix left out (--skip) to rebuild the stack without it"
                      if why.startswith("declined") else "re-run")
            found.stopped[want.head] = Outcome(want.head, "held", found.open.get(want.head),
                                               note=f"stacked on {want.base}, {why}, so not pushed: {advice}")
            continue
        if want.head in found.open:
            continue
        try:
            closed = _last_closed(client, want)
        except GitHubError as error:
            found.why[want.head] = "not checked (its closed pull requests could not be read)"
            found.stopped[want.head] = Outcome(want.head, "failed", error=(
                f"{error}; not pushed, since whether its pull request was declined is unknown: re-run"))
            continue
        if closed is None:
            continue
        found.closed[want.head] = closed
        if not closed.merged:
            found.why[want.head] = f"declined in #{closed.number}"
            found.stopped[want.head] = Outcome(want.head, "declined", closed, note=(
                f"declined in #{closed.number} (closed without merging), so not pushed and no new pull request: "
                f"reopen #{closed.number} to propose it again (or retitle it: the next run then opens a new one), "
                f"or leave the fix out (--skip) to stop proposing it"))
    return found


def sync(client: GitHub, wanted: list[Wanted], previous_numbers: bool = True,
         known: Standing | None = None) -> list[Outcome]:
    """Open or update one pull request per wanted branch, in order. An open pull request
    for the branch is updated (title, body, base) when it differs, never duplicated. Each
    body may contain "based on <previous head>;", which becomes "#<its number>" once known.
    A branch `standing` stops (declined, held above a declined one) gets no pull request; one
    merged before is opened again, and says so. `known`: the standing read before the push (the
    plan reads it then, so that nothing declined is pushed), else it is read here. A failure on
    one is recorded and the others go on; a failure to list the open pull requests fails them
    all (opening without knowing would duplicate)."""
    if known is None:
        try:
            known = standing(client, wanted)
        except GitHubError as error:
            return [Outcome(w.head, "failed", error=str(error)) for w in wanted]
    numbers = {head: pull.number for head, pull in known.open.items()}
    outcomes = []
    for want in wanted:
        if want.head in known.stopped:
            outcomes.append(known.stopped[want.head])
            continue
        body = want.body
        if previous_numbers and want.base in numbers:
            body = body.replace(f"based on {want.base};", f"based on #{numbers[want.base]} ({want.base});", 1)
        current = known.open.get(want.head)
        try:
            if current is None:
                closed = known.closed.get(want.head)
                pull = client.create_pull_request(want.head, want.base, want.title, body)
                note = (f"merged before in #{closed.number}, and proposed again: the fix finds something to change "
                        "again (reverted since?)" if closed is not None else "")
                outcomes.append(Outcome(want.head, "opened", pull, note=note))
            else:
                changes = {key: value for key, value in (("title", want.title), ("body", body), ("base", want.base))
                           if _normal(getattr(current, key)) != _normal(value)}
                if changes:
                    outcomes.append(Outcome(want.head, "updated", client.update_pull_request(current.number, **changes)))
                else:
                    outcomes.append(Outcome(want.head, "unchanged", current))
            numbers[want.head] = outcomes[-1].pull.number  # type: ignore[union-attr]
        except GitHubError as error:
            outcomes.append(Outcome(want.head, "failed", current, str(error)))
    return outcomes
