"""A local stand-in for GitHub's REST API: it records every request and answers like the API.

GitHub cannot be reached from tests, so `fixer plan --open-prs` runs its real HTTP client
against this server instead (`GITHUB_API_URL=stub.url`). It serves the pull-request calls
fixer makes, with GitHub's status codes and shapes:

  GET   /repos/{owner}/{repo}                 200 {full_name, default_branch}
  GET   /repos/{owner}/{repo}/pulls           200 [pull, …], `state`, `per_page`, `page`; a `Link`
                                              header with rel="next"/"last" while pages remain
  POST  /repos/{owner}/{repo}/pulls           201 pull; 422 "Validation Failed" for a missing field,
                                              a head or base the remote does not have, or a second
                                              open pull request for one head
  PATCH /repos/{owner}/{repo}/pulls/{number}  200 pull; 404 for an unknown number

Every request needs `Authorization: Bearer <token>` (or `token <token>`), else 401 "Bad
credentials"; another repository is 404 "Not Found". `page_size` caps `per_page` so a few
pull requests already span pages. `fail(method, status, message, head=…)` makes the next
matching request answer that error (once).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Failure:
    method: str
    status: int
    message: str
    head: str | None = None  # POST: only for this head branch; PATCH: only for the pull request of this head


@dataclass
class GitHubStub:
    repository: str = "acme/kc-backend"
    token: str = "ghp_test0000000000000000000000000000000"
    default_branch: str = "main"
    page_size: int = 100
    branch_exists: Callable[[str], bool] = lambda name: True
    pulls: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    # --- lifecycle ---

    def __enter__(self) -> "GitHubStub":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                stub._handle(self, "GET")

            def do_POST(self) -> None:
                stub._handle(self, "POST")

            def do_PATCH(self) -> None:
                stub._handle(self, "PATCH")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- test helpers ---

    def add_pull(self, head: str, base: str = "main", title: str = "", body: str = "", *,
                 fork: str | None = None, state: str = "open") -> dict[str, Any]:
        number = len(self.pulls) + 1
        pull = {
            "number": number,
            "state": state,
            "title": title or f"someone's change {number}",
            "body": body,
            "html_url": f"https://github.example/{self.repository}/pull/{number}",
            "url": f"{self.url}/repos/{self.repository}/pulls/{number}",
            "head": {"ref": head, "label": f"{(fork or self.repository).split('/')[0]}:{head}",
                     "repo": {"full_name": fork or self.repository}},
            "base": {"ref": base, "repo": {"full_name": self.repository}},
        }
        self.pulls.append(pull)
        return pull

    def fail(self, method: str, status: int, message: str, head: str | None = None) -> None:
        self.failures.append(Failure(method, status, message, head))

    def calls(self, method: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if method is None or r.method == method]

    def open_pulls_of(self, head: str) -> list[dict[str, Any]]:
        return [p for p in self.pulls if p["state"] == "open" and p["head"]["ref"] == head
                and p["head"]["repo"]["full_name"] == self.repository]

    # --- the API ---

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        url = urllib.parse.urlsplit(handler.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        headers = {k.lower(): v for k, v in handler.headers.items()}
        self.requests.append(Recorded(method, url.path, query, headers, body))
        status, payload, extra = self._answer(method, url.path, query, headers, body)
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
                body: Any) -> tuple[int, Any, dict[str, str]]:
        auth = headers.get("authorization", "")
        if auth not in (f"Bearer {self.token}", f"token {self.token}"):
            return 401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}, {}
        prefix = f"/repos/{self.repository}"
        if not (path == prefix or path.startswith(prefix + "/")):
            return 404, {"message": "Not Found"}, {}
        rest = path[len(prefix):]
        failure = self._failure(method, rest, body)
        if failure is not None:
            return failure.status, {"message": failure.message}, {}
        if method == "GET" and rest == "":
            return 200, {"full_name": self.repository, "default_branch": self.default_branch}, {}
        if method == "GET" and rest == "/pulls":
            return self._list(query)
        if method == "POST" and rest == "/pulls":
            return self._create(body or {})
        if method == "PATCH" and rest.startswith("/pulls/") and rest[len("/pulls/"):].isdigit():
            return self._update(int(rest[len("/pulls/"):]), body or {})
        return 404, {"message": "Not Found"}, {}

    def _failure(self, method: str, rest: str, body: Any) -> Failure | None:
        for failure in self.failures:
            if failure.method != method:
                continue
            if failure.head is not None:
                if method == "POST" and (body or {}).get("head") != failure.head:
                    continue
                if method == "PATCH":
                    numbers = {str(p["number"]) for p in self.pulls if p["head"]["ref"] == failure.head}
                    if rest.rsplit("/", 1)[-1] not in numbers:
                        continue
            self.failures.remove(failure)
            return failure
        return None

    def _list(self, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        state = query.get("state", "open")
        per_page = min(int(query.get("per_page", 30)), 100, self.page_size)
        page = int(query.get("page", 1))
        chosen = [p for p in self.pulls if state == "all" or p["state"] == state]
        pages = max(1, -(-len(chosen) // per_page))
        items = chosen[(page - 1) * per_page: page * per_page]
        links = []

        def link(number: int, rel: str) -> str:
            params = urllib.parse.urlencode({"state": state, "per_page": per_page, "page": number})
            return f'<{self.url}/repos/{self.repository}/pulls?{params}>; rel="{rel}"'

        if page < pages:
            links += [link(page + 1, "next"), link(pages, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        return 200, items, ({"Link": ", ".join(links)} if links else {})

    def _create(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        missing = [key for key in ("head", "base", "title") if not body.get(key)]
        if missing:
            return 422, _invalid([{"resource": "PullRequest", "field": key, "code": "missing_field"} for key in missing]), {}
        head, base = body["head"], body["base"]
        for name, value in (("head", head), ("base", base)):
            if not self.branch_exists(value):
                return 422, _invalid([{"resource": "PullRequest", "field": name, "code": "invalid"}]), {}
        if self.open_pulls_of(head):
            owner = self.repository.split("/")[0]
            return 422, _invalid([{"resource": "PullRequest", "code": "custom",
                                   "message": f"A pull request already exists for {owner}:{head}."}]), {}
        pull = self.add_pull(head, base, body["title"], body.get("body") or "")
        return 201, pull, {"Location": pull["url"]}

    def _update(self, number: int, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        pull = next((p for p in self.pulls if p["number"] == number), None)
        if pull is None:
            return 404, {"message": "Not Found"}, {}
        if "base" in body and not self.branch_exists(body["base"]):
            return 422, _invalid([{"resource": "PullRequest", "field": "base", "code": "invalid"}]), {}
        for key in ("title", "body", "state"):
            if key in body:
                pull[key] = body[key]
        if "base" in body:
            pull["base"]["ref"] = body["base"]
        return 200, pull, {}


def _invalid(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"message": "Validation Failed", "errors": errors,
            "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"}
