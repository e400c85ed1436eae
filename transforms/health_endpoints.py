"""Rename `/healthz` routes to `/health`, and make every probe and caller follow.

## What it does

Finds route registrations on `/healthz` — Express `app.get/head/all/use`,
`router.get`, `app.route('/healthz')`, Fastify `fastify.get` and
`.route({ url: '/healthz' })`, raw http handlers (`req.url === '/healthz'`,
`switch (req.url) { case '/healthz': … }`), any receiver name, any quotes,
split over any number of lines — and renames them to `/health`. Then everything
in the repository that calls that service's `/healthz` follows: Dockerfile
`HEALTHCHECK`s (shell and exec form, in every stage), compose
`healthcheck.test`, Kubernetes/Helm `httpGet` probes, service code calling
`http://<service>:<port>/healthz`, tests (`request(app).get('/healthz')`) and
skip-lists of paths. A `/healthz` appended to a base URL that is only known at
run time (`${BOOKING_URL}/healthz`, `BOOKING_URL + '/healthz'`, the path of a
client made with `axios.create({ baseURL: process.env.URL })`) is reported,
not edited; so is a probe that fixer cannot tie to a service. A loopback URL on
another port than the service's (`http://localhost:15021/healthz/ready`, a
sidecar's) is not the service, and health checks of third-party containers (a
compose `image:` that is none of this repository's services) are theirs: both
are left alone.

A service that already registers `/health` next to `/healthz` is not renamed
(that would register the route twice): the finding says which to keep. A
`req.url === '/healthz'` beside a `/health` route is no second route but a
skip-check (the request logger's, say), and follows the rename. A registration
or raw handler that already answers both paths on purpose
(`app.get(['/health', '/healthz'], …)`) is kept as it is, and the service's
callers move to `/health`. A probe whose path no route of its service serves
(the audit's "Dockerfiles check `/health` but some services expose
`/healthz`") is reported, and probes still calling `/healthz` of a service that
now serves `/health` are pointed at it.

With the option `keep-alias`, both paths are registered (Express
`app.get(['/health', '/healthz'], …)`, a second Fastify route,
`req.url === '/health' || req.url === '/healthz'`, a second `case`) so old
probes keep working during a rollout.

## Why

The audit found four services exposing `/healthz` while every Dockerfile
`HEALTHCHECK` checks `/health`: the checks fail silently, containers are marked
unhealthy, auto-scaling and load balancers act on wrong data. One path
everywhere ends that class of bug.

## Example

```diff
-app.get('/healthz', (_req, res) => {
+app.get('/health', (_req, res) => {
   res.json({ status: 'ok', service: 'booking' });
 });
```

and in a test of the same service:

```diff
-const res = await request(app).get('/healthz');
+const res = await request(app).get('/health');
```

## Fix safety

Safe. Only string literals and probe texts that name `/healthz` as a path
segment change; URLs of hosts that are not services of this repository are
left alone; a route that would become a duplicate is reported, never renamed.
External callers that are not in this repository (uptime monitors, a load
balancer configured elsewhere) still call `/healthz`: use `keep-alias` while
you move them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator

from fixer.model import Edit, Finding, FixInfo, Option
from fixer.parsing import typescript, yamlfile
from fixer.probes import LOOPBACK_HOSTS, URL, Probe, all_probes, probes_in
from fixer.repo import CODE_KINDS, FactsSpec, Repo, SourceFile

INFO = FixInfo(
    id="health-endpoints",
    title="Serve health checks on /health",
    audit="Fix 2",
    week=1,
    order=2,
    severity="critical",
    safety="safe",
    kinds=frozenset({"ts", "tsx", "js", "dockerfile", "compose", "yaml"}),
    prefilter=(b"/healthz",),
    options={"keep-alias": Option(False, "register both /health and /healthz so old probes keep working")},
)

OLD, NEW = "/healthz", "/health"
SEGMENT = re.compile(r"/healthz(?![\w.-])")
ROUTE_METHODS = frozenset({"get", "head", "all", "use", "options", "route"})
HEALTH_LIKE = re.compile(r"/(health|healthz|healthcheck|health-check|status|ping|live|livez|liveness|ready|readyz|readiness)$")
STRINGS = "[(string) (template_string)] @s"


@dataclass(frozen=True)
class Route:
    service: str | None
    path: str
    file: str
    line: int
    col: int
    together: tuple[str, ...]  # every path registered by the same call (raw: compared in the same function)
    raw: bool = False  # a raw http comparison (`req.url === '/healthz'`), maybe only a skip-check


@dataclass(frozen=True)
class Context:
    keep_alias: bool
    follow: frozenset[str | None]  # services whose /healthz callers follow the rename
    twins: tuple[tuple[str, int], ...]  # (file, line) of /healthz routes whose /health twin exists
    hosts: tuple[tuple[str, str], ...]  # host name -> service dir
    served: tuple[tuple[str | None, frozenset[str]], ...]  # service -> paths its routes serve


# --- the repository-wide picture -----------------------------------------------------


def prepare(repo: Repo, options: dict) -> Context:
    gathered = repo.facts_of(ROUTES)
    routes = []
    for path, found in gathered.items():
        service = repo.service_for(path)
        routes += [replace(route, service=service.dir if service else None) for route in found]
    served: dict[str | None, set[str]] = {}
    for route in routes:
        served.setdefault(route.service, set()).add(route.path)
    follow, twins = set(), []
    for service, paths in served.items():
        old = [r for r in routes if r.service == service and SEGMENT.search(r.path) and renamed(r.path) not in r.together]
        # a comparison beside a /health route is a skip-check (`skip: (req) => req.url === '/healthz'`),
        # not a second route: it follows
        doubled = [r for r in old if not r.raw and renamed(r.path) in paths]
        twins.extend((r.file, r.line) for r in doubled)
        if doubled and not options["keep-alias"]:
            continue  # a human decides which route to keep; callers stay as they are
        if old or NEW in paths:
            follow.add(service)
    hosts = tuple(sorted((alias, s.dir) for s in repo.services for alias in s.aliases if s.dir))
    return Context(
        bool(options["keep-alias"]), frozenset(follow), tuple(sorted(twins)), hosts,
        tuple(sorted(((k, frozenset(v)) for k, v in served.items()), key=lambda kv: str(kv[0]))),
    )


def describe(context: Context) -> list[str]:
    served = dict(context.served)
    renaming = sorted(str(s) for s in context.follow if s is not None and any(SEGMENT.search(p) for p in served.get(s, ())))
    doubled = sorted({file for file, _line in context.twins})
    notes = [f"services whose /healthz routes become /health: {', '.join(renaming) or 'none'}"]
    if doubled and not context.keep_alias:
        notes.append(f"files registering both /health and /healthz (left for a human): {', '.join(doubled)}")
    return notes


def _routes_of(source_file: SourceFile) -> list[Route]:
    return list(find_route_registrations(source_file))


ROUTES = FactsSpec("health-endpoints/routes", _routes_of, CODE_KINDS,
                   (b"/health", b"/status", b"/ping", b"/live", b"/ready"))
FACTS = [ROUTES]  # gathered ahead, in the engine's one pass over the files


def find_route_registrations(source_file: SourceFile) -> Iterator[Route]:
    """Every path the file registers a route on (Route.service is left to the caller:
    this depends on the file's bytes alone, so it can be cached)."""
    key = None
    for call in typescript.iter_member_calls(source_file.tree.root_node):
        if call.method not in ROUTE_METHODS or not call.args:
            continue
        paths = _registered_paths(call)
        values = tuple(value for _node, value in paths)
        for node, value in paths:
            line, col = source_file.line_col(node.start_byte)
            yield Route(key, value, source_file.path, line, col, values)
    compared = list(_raw_http_paths(source_file.tree.root_node))
    by_function: dict[int, list[str]] = {}
    for node, value, _anchor in compared:
        by_function.setdefault(_enclosing_function(node), []).append(value)
    for node, value, _anchor in compared:
        line, col = source_file.line_col(node.start_byte)
        yield Route(key, value, source_file.path, line, col, tuple(by_function[_enclosing_function(node)]), True)


_HANDLER_TYPES = frozenset({"arrow_function", "function_expression", "function", "identifier",
                            "member_expression", "call_expression", "object"})


def _registered_paths(call: typescript.MemberCall) -> list[tuple[typescript.Node, str]]:
    """The path literals a route registration registers; [] when the call is not one."""
    args = call.args
    first = args[0]
    if first.type == "object" and call.method == "route":  # Fastify: .route({ url: '/healthz', … })
        node = typescript.object_property(first, "url") or typescript.object_property(first, "path")
        candidates = [node] if node is not None else []
    elif call.method == "route" or any(a.type in _HANDLER_TYPES - {"object"} for a in args[1:]):
        # `request(app).get('/healthz')` and `axios.get('/healthz', { timeout })` are client calls
        candidates = list(first.named_children) if first.type == "array" else [first]
    else:
        return []
    found = []
    for node in candidates:
        value = typescript.string_value(node)
        if value is not None and value.startswith("/"):
            found.append((node, value))
    return found


_URL_NAMES = frozenset({b"url", b"pathname"})
_COMPARISONS = {"===": "||", "==": "||", "!==": "&&", "!=": "&&"}  # how an alias joins the twin


def _raw_http_paths(root: typescript.Node) -> Iterator[tuple[typescript.Node, str, typescript.Node]]:
    """Paths a raw http handler routes on, with the node an alias edit goes around:
    `req.url === '/healthz'` (the comparison), `switch (req.url) { case '/healthz': }` (the case)."""
    for node in typescript.descendants(root, "binary_expression", "switch_statement"):
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            if operator is None or operator.type not in _COMPARISONS or None in sides:
                continue
            for string, other in (sides, sides[::-1]):
                value = typescript.string_value(string)
                if value is not None and value.startswith("/") and _is_request_url(other):
                    yield string, value, node
        else:
            subject = node.child_by_field_name("value")  # `(req.url)`
            body = node.child_by_field_name("body")
            if subject is None or body is None or not _is_request_url(subject.named_children[0]):
                continue
            for case in body.named_children:
                string = case.child_by_field_name("value") if case.type == "switch_case" else None
                value = typescript.string_value(string)
                if string is not None and value is not None and value.startswith("/"):
                    yield string, value, case


_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "function_declaration",
                        "method_definition", "generator_function_declaration"})


def _enclosing_function(node: typescript.Node) -> int:
    """The handler a comparison is in: paths compared in one handler are served together."""
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        node, parent = parent, parent.parent
    return parent.id if parent is not None else node.id


def _is_request_url(node: typescript.Node | None) -> bool:
    """`req.url`, `url.pathname`, or a variable named `url`/`pathname`: what raw handlers route on."""
    if node is None:
        return False
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return prop is not None and prop.text in _URL_NAMES
    return node.type == "identifier" and node.text in _URL_NAMES


def renamed(path: str) -> str:
    return SEGMENT.sub(NEW, path)


# --- per file ---------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    if source_file.kind in CODE_KINDS:
        yield from _scan_code(source_file, context)
    else:
        for probe in probes_in(source_file):
            yield from _follow_probe(source_file, probe, context)
        if source_file.kind == "compose":
            yield from _scan_compose_urls(source_file, context)


def _scan_code(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    service = source_file.service
    own = service.dir if service else None
    own_port = service.port if service else None
    twin_lines = {line for file, line in context.twins if file == source_file.path}
    found = list(find_route_registrations(source_file))
    routes = {(r.line, r.col) for r in found}
    # `app.get(['/health', '/healthz'], …)`: the alias is registered on purpose, leave it
    aliases = {(r.line, r.col) for r in found if renamed(r.path) != r.path and renamed(r.path) in r.together}
    planned: list[tuple[int | None, Finding]] = []  # (string node renamed, finding)
    for node in typescript.captures(source_file.kind, STRINGS, source_file.tree.root_node).get("s", []):
        literal = typescript.string_literal(node)
        if literal is None:
            continue
        if source_file.line_col(node.start_byte) in aliases:
            continue
        raw = source_file.data[literal.start : literal.end].decode("utf-8", "replace")
        appended = _appended_to_expression(node)
        base = _client_base_url(source_file, node)
        for match in SEGMENT.finditer(raw):
            offset = literal.start + len(raw[: match.start()].encode())
            line, col = source_file.line_col(offset)
            if line in twin_lines:
                if not context.keep_alias:
                    planned.append((None, _duplicate_finding(source_file, line, col)))
                continue
            before = raw[: match.start()] if base is None else base + raw[: match.start()]
            target = _target_service(before, own, context, appended, own_port)
            if target == "?":
                if context.follow:
                    planned.append((None, Finding(INFO.id, source_file.path, line, col, _UNMAPPED)))
                continue
            if target not in context.follow:
                continue
            edit = Edit(source_file.path, offset, offset + len(OLD), NEW)
            is_route = source_file.line_col(node.start_byte) in routes
            message = _RENAMED if is_route else \
                "refers to /healthz; follows the rename to /health"
            planned.append((node.start_byte, Finding(INFO.id, source_file.path, line, col, message, (edit,))))
    renames = [change for _node, finding in planned for change in finding.changes if isinstance(change, Edit)]
    aliased = _alias_edits(source_file, context, renames) if context.keep_alias and own in context.follow else {}
    done: set[int] = set()
    for start, finding in planned:
        if start is None or start not in aliased:
            yield finding
        elif start not in done:  # the route keeps /healthz; its /health twin is registered
            done.add(start)
            yield aliased[start]


_RENAMED = "serves /healthz; route renamed to /health"
_UNMAPPED = ("calls /healthz, but fixer cannot tell which service it probes: point it at /health "
             "by hand if that service's route was renamed")


def _duplicate_finding(source_file: SourceFile, line: int, col: int) -> Finding:
    name = source_file.service.name if source_file.service else "this service"
    return Finding(
        INFO.id, source_file.path, line, col,
        f"{name} registers both /health and /healthz: keep /health and delete the /healthz route "
        "(or set keep-alias to serve both on purpose)",
    )


def _appended_to_expression(node: typescript.Node) -> bool:
    """`BOOKING_URL + '/healthz'`: the string continues a value known only at run time."""
    parent = node.parent
    if parent is None or parent.type != "binary_expression":
        return False
    operator, right = parent.child_by_field_name("operator"), parent.child_by_field_name("right")
    return operator is not None and operator.type == "+" and right is not None and right.id == node.id


_CLIENT_METHODS = frozenset({"get", "head", "post", "put", "patch", "delete", "options", "request"})
_BASE_URL_KEYS = ("baseURL", "baseUrl", "prefixUrl", "prefixURL")


def _client_base_url(source_file: SourceFile, node: typescript.Node) -> str | None:
    """`stripe.get('/healthz')` where `stripe = axios.create({ baseURL: … })` (or got/ky's
    `prefixUrl`): the base the path is appended to, `${…}` when it is known only at run time;
    None when the string is no path of such a client."""
    arguments = node.parent
    call = typescript.member_call(arguments.parent) if arguments is not None and arguments.parent else None
    if call is None or call.method not in _CLIENT_METHODS or not call.args or call.args[0].id != node.id:
        return None
    target = call.object.child_by_field_name("property") if call.object.type == "member_expression" else call.object
    if target is None or target.type not in ("identifier", "property_identifier"):
        return None
    for value in _values_assigned(source_file.tree.root_node, target.text or b""):
        creation = typescript.member_call(value)
        options = creation.args[0] if creation is not None and creation.args else None
        if creation is None or creation.method not in ("create", "extend") or options is None:
            continue
        base = next((b for b in (typescript.object_property(options, k) for k in _BASE_URL_KEYS) if b is not None), None)
        if base is None and any(c.type == "shorthand_property_identifier" and (c.text or b"").decode() in _BASE_URL_KEYS
                                for c in options.named_children):
            return "${baseURL}"  # `axios.create({ baseURL })`
        if base is not None:
            literal = typescript.string_value(base)
            return literal if literal is not None else "${" + (base.text or b"").decode("utf-8", "replace") + "}"
    return None


def _values_assigned(root: typescript.Node, name: bytes) -> Iterator[typescript.Node]:
    """The values `const name = …`, `name = …`, `this.name = …` and a class field `name = …` are given."""
    for node in typescript.descendants(root, "variable_declarator", "assignment_expression", "public_field_definition"):
        if node.type == "assignment_expression":
            target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
            if target is not None and target.type == "member_expression":
                target = target.child_by_field_name("property")
        else:
            target, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if target is not None and value is not None and target.text == name:
            yield value


def _target_service(before: str, own: str | None, context: Context, appended: bool = False,
                    own_port: int | None = None) -> str | None:
    """Whose route a `/healthz` in a string is, decided by the text before it: a service
    dir, None for a host that is not a service of this repository, "?" for cannot tell."""
    scheme = before.rfind("://")
    if scheme != -1:
        authority = before[scheme + 3 :]
        if any(ch.isspace() for ch in authority):
            return own  # the URL ended before this path
        match = _AUTHORITY.match(authority)
        host = match.group("host") if match else ""
        if "${" in host or not host:
            return "?"
        if host in LOOPBACK_HOSTS:
            return _loopback_target(before[:scheme], match.group("port") if match else None, own, own_port)
        return dict(context.hosts).get(host)
    if before.lstrip().startswith("${") or appended:
        return "?"  # `${baseUrl}/healthz`, `baseUrl + '/healthz'`: some other service's base URL
    return own


_AUTHORITY = re.compile(r"(?P<host>\[[^\]]*\]|[^/:]*)(?::(?P<port>[^/]*))?")


def _loopback_target(scheme: str, port: str | None, own: str | None, own_port: int | None) -> str | None:
    """A loopback URL is the service itself only on the service's port: `localhost:15021/healthz`
    (Istio's sidecar) and `127.0.0.1:9901/healthz` (Envoy's admin) are someone else's."""
    if port is None or port == "":
        port = "443" if scheme.lower().endswith("https") else "80"
    if not port.isdigit():
        return own  # `localhost:${PORT}`: the service's own port, as it is configured
    if own_port is None:
        return "?"
    return own if int(port) == own_port else None


def _alias_edits(source_file: SourceFile, context: Context, renames: list[Edit]) -> dict[int, Finding]:
    """With keep-alias: the edit that registers /health beside each /healthz route, by string node.
    `renames` are the file's other /healthz -> /health edits (a Fastify twin copies them)."""
    found: dict[int, Finding] = {}
    is_fastify = typescript.imports_module(source_file.tree.root_node, re.compile(r"^fastify$"))
    for call in typescript.iter_member_calls(source_file.tree.root_node):
        if call.method not in ROUTE_METHODS or not call.args:
            continue
        paths = _registered_paths(call)
        if len(paths) != 1 or not SEGMENT.search(paths[0][1]):
            continue
        node, value = paths[0]
        line, col = source_file.line_col(node.start_byte)
        if (source_file.path, line) in context.twins:
            continue
        fastify = is_fastify or "fastify" in (call.object.text or b"").decode().lower()
        edit = _fastify_alias(source_file, call, renames) if fastify else _express_alias(source_file, node, value)
        if edit is not None:
            found[node.start_byte] = Finding(INFO.id, source_file.path, line, col,
                                             "route /healthz: /health registered beside it (keep-alias)", (edit,))
    for node, value, anchor in _raw_http_paths(source_file.tree.root_node):
        line, col = source_file.line_col(node.start_byte)
        if not SEGMENT.search(value):
            continue
        edit = _raw_alias(source_file, node, value, anchor)
        found[node.start_byte] = Finding(INFO.id, source_file.path, line, col,
                                         "route /healthz: /health registered beside it (keep-alias)", (edit,))
    return found


def _raw_alias(source_file: SourceFile, node: typescript.Node, value: str, anchor: typescript.Node) -> Edit:
    """`req.url === '/healthz'` -> `req.url === '/health' || req.url === '/healthz'`; a
    `case '/health':` above `case '/healthz':`."""
    quote = (node.text or b"'")[:1].decode()
    twin = f"{quote}{renamed(value)}{quote}"
    if anchor.type == "switch_case":
        indent = source_file.text.indent_at(anchor.start_byte)
        return Edit(source_file.path, anchor.start_byte, anchor.start_byte, f"case {twin}:\n{indent}")
    data = source_file.data
    original = data[anchor.start_byte : anchor.end_byte].decode()
    twin_test = (data[anchor.start_byte : node.start_byte] + twin.encode() + data[node.end_byte : anchor.end_byte]).decode()
    operator = anchor.child_by_field_name("operator")
    joined = f"{twin_test} {_COMPARISONS[operator.type if operator else '===']} {original}"
    if anchor.parent is None or anchor.parent.type != "parenthesized_expression":
        joined = f"({joined})"
    return Edit(source_file.path, anchor.start_byte, anchor.end_byte, joined)


def _express_alias(source_file: SourceFile, node: typescript.Node, value: str) -> Edit:
    quote = (node.text or b"'")[:1].decode()
    text = f"[{quote}{renamed(value)}{quote}, {(node.text or b'').decode()}]"
    return Edit(source_file.path, node.start_byte, node.end_byte, text)


def _fastify_alias(source_file: SourceFile, call: typescript.MemberCall, renames: list[Edit]) -> Edit | None:
    """A copy of the route's statement on /health, placed above it. The copy is the statement as
    this run leaves it (`'probe on /healthz'` in its body renamed too), route path renamed,
    so the next run finds nothing left to rename in it."""
    statement = call.call.parent
    if statement is None or statement.type != "expression_statement":
        return None
    start, end = statement.start_byte, statement.end_byte
    twin = source_file.data[start:end]
    for edit in sorted((e for e in renames if start <= e.start and e.end <= end), key=lambda e: -e.start):
        twin = twin[: edit.start - start] + edit.text.encode() + twin[edit.end - start :]
    indent = source_file.text.indent_at(start)
    return Edit(source_file.path, start, start, f"{twin.decode()}\n{indent}")


def _follow_probe(source_file: SourceFile, probe: Probe, context: Context) -> Iterator[Finding]:
    for start, end in probe.spans:
        raw = source_file.data[start:end].decode("utf-8", "replace")
        for match in SEGMENT.finditer(raw):
            offset = start + len(raw[: match.start()].encode())
            line, col = source_file.line_col(offset)
            if probe.service is None:
                if context.follow and not probe.external:
                    yield Finding(INFO.id, source_file.path, line, col, f"{probe.label} {_UNMAPPED}")
                continue
            if probe.service not in context.follow:
                continue
            edit = Edit(source_file.path, offset, offset + len(OLD), NEW)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"{probe.label} calls /healthz; follows the rename to /health", (edit,))


def _scan_compose_urls(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    """URLs of renamed services elsewhere in compose files (e.g. an env var naming a health URL)."""
    probe_spans = {span for probe in probes_in(source_file) for span in probe.spans}
    hosts = dict(context.hosts)
    for document in source_file.yaml_documents:
        for scalar in yamlfile.scalars(document):
            span = yamlfile.span(source_file.text, scalar)
            if span in probe_spans or OLD not in str(scalar.value):
                continue
            raw = source_file.data[span[0] : span[1]].decode("utf-8", "replace")
            for url in URL.finditer(raw):
                path = url.group("path") or ""
                if hosts.get(url.group("host")) not in context.follow or not SEGMENT.search(path):
                    continue
                match = SEGMENT.search(path)
                assert match
                offset = span[0] + len(raw[: url.start("path") + match.start()].encode())
                line, col = source_file.line_col(offset)
                yield Finding(INFO.id, source_file.path, line, col,
                              "refers to /healthz; follows the rename to /health",
                              (Edit(source_file.path, offset, offset + len(OLD), NEW),))


# --- across files -----------------------------------------------------------------------


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """Probes whose path no route of their service serves. When the rename is what makes
    the probe right (the audit's case), the finding carries the route's rename edits, so
    it reads as fixed by this run."""
    served = dict(context.served)
    for probe in all_probes(repo):
        if probe.disabled or probe.url_path is None or probe.service is None:
            continue
        paths = served.get(probe.service, frozenset())
        if not any(HEALTH_LIKE.search(p) for p in paths):
            continue  # no health route visible: nothing to compare against
        if _serves(paths, probe.url_path):
            continue
        if SEGMENT.search(probe.url_path) and probe.service in context.follow:
            continue  # scan() points it at /health
        service = next((s for s in repo.services if s.dir == probe.service), None)
        name = service.name if service else "the root service"
        offered = ", ".join(sorted(p for p in paths if HEALTH_LIKE.search(p)))
        message = f"{probe.label} probes {probe.url_path}, which no route of {name} serves (it serves {offered})"
        after_rename = paths | {renamed(p) for p in paths}
        if probe.service in context.follow and _serves(after_rename, probe.url_path):
            renames = tuple(change for finding in findings if finding.message.startswith(_RENAMED)
                            and _in_service(finding.path, probe.service) for change in finding.changes)
            yield Finding(INFO.id, probe.file, probe.line, probe.col, f"{message}; the route rename fixes it", renames)
            continue
        yield Finding(INFO.id, probe.file, probe.line, probe.col, message)


def _in_service(path: str, service: str) -> bool:
    return not service or path.startswith(service + "/")


def _serves(paths: frozenset[str], probe_path: str) -> bool:
    probe_path = probe_path.rstrip("/") or "/"
    return any(probe_path == p or (p != "/" and probe_path.endswith(p)) for p in paths)
