"""Point container health checks at 127.0.0.1 instead of localhost.

## What it does

In every Dockerfile `HEALTHCHECK` (shell and exec form, across continuation lines, in
every stage), every compose `healthcheck.test` (string and list form) and every Kubernetes
exec probe (`livenessProbe: exec: command: [curl, …]`, which runs in the container, its command a flow
or block list, an item a block scalar too: `- |` and the shell's lines below it; an
`httpGet` probe is the kubelet's, made to the pod's IP), the host
`localhost` of the URL the probe calls becomes `127.0.0.1`: `http://localhost:3000/…`
in `node -e "require('http').get(…)"`, `fetch`, curl and wget, a URL built by
concatenation (`'http://localhost:' + port + '/health'`), a bare `localhost:3000/…`
given to curl or wget, grpc_health_probe's `-addr=localhost:50051` (a gRPC server's probe), and
`{ host: 'localhost' }` options of a Node probe (node run by its path too: distroless's `/nodejs/bin/node`). A probe that
runs a script of the repository (`HEALTHCHECK CMD node healthcheck.js`, exec form or a compose
test, or the package.json script it names, `npm run healthcheck`; the script found through the
stage's WORKDIR and COPY in the build context, through the stage it is copied from (`COPY --from=build
/app /app`, distroless's layout: that stage's COPY, against its WORKDIR) and the stages an image is built
`FROM`, or the TypeScript source of the one the build compiles, `node dist/healthcheck.js` of
src/healthcheck.ts) calls what the
script requests: its `localhost` in a URL string (`http.get('http://localhost:3000/health')`,
`fetch('http://localhost:' + port)`, a template) or in request options (`{ host: 'localhost', path }`)
becomes `127.0.0.1` under the same rules, and not in its comments; a script the service also runs
or imports is reported instead. A probe that runs what fixer reads but does not edit — a shell
script of the repository (`./healthcheck.sh`, one copied onto the image's PATH), a shell or node
script a `COPY <<EOF` heredoc writes, or a package.json
script that is a shell command (`"healthcheck": "curl -f http://localhost:3000/health"`) — is
reported when that calls localhost, with what to change there; a script it runs that fixer cannot read
(copied from another image: `COPY --from=ghcr.io/acme/probes:1 /http.js ./healthcheck.js`) is reported
too, with what to check there. A compose service that runs another
program of its image (`command: node src/worker.js`, `sh -c "node dist/worker.js"`, `npm run worker`, arguments
of the image's `ENTRYPOINT ["node"]`, a compose `entrypoint:`, a `build.target` stage whose ENTRYPOINT is the
worker: a queue worker built from the API's Dockerfile) whose files start no server (no listen() in them or in
what they import) inherits the image's HTTP `HEALTHCHECK`, which it can never pass: it is reported, with
`healthcheck: disable: true` or a probe of its own to give it (not added: a `depends_on: condition:
service_healthy` on it would then fail). So is an image of a service with a server elsewhere whose own
ENTRYPOINT or CMD runs such a worker (`Dockerfile.worker` with the API's probe copied). A probe that needs a
shell its image has not (a shell-form `HEALTHCHECK CMD node -e …`, `["sh", "-c", …]`, a compose `CMD-SHELL` or
string test, on distroless, chainguard's node or static, or scratch: the checklist's rule,
`dockerfile.tool_missing`) never runs, whatever host it calls: it is reported with the exec form to write
(`HEALTHCHECK CMD ["/nodejs/bin/node", "healthcheck.js"]`), and neither its host nor its script's is rewritten
(an edit would look like a fix of a check that still fails on every run). So is a probe whose HTTP client its image
lacks by the same rule (curl on node:20-alpine, curl or wget on a slim image, when no RUN of its stages installs it:
`apk add curl`, a RUN heredoc's too): reported with the checklist's advice (install it, busybox's wget, node's fetch). Nothing
else changes: not comments, not other instructions, not heredoc bodies, not
`HEALTHCHECK NONE`, not commands that are no HTTP probe
(`kafka-broker-api-versions --bootstrap-server localhost:9092`, `pg_isready`), not
even beside a curl in the same check (`curl … && kafka-topics --bootstrap-server
localhost:9092`).

First it checks what the probed service listens on (the `listen()` calls of its production
code: not of `examples/`, `benchmarks/` or other tooling, nor a unix socket's or named pipe's
`listen(socketPath)`; when its entry point loads some of them, only those, not a library's
`startApp()` it never runs; for a service that calls none in its own code, those of the
workspace packages it depends on, which may start its server: `start(app)` of `@acme/server-kit`):
`listen(PORT)` (every interface; `listen(PORT, cb)` too, a function given as its second argument being its callback:
`new Promise((resolve) => server.listen(PORT, resolve))`), `'0.0.0.0'` and `'::'` (Node binds it dual-stack unless
`ipv6Only`, whatever the kernel's `bindv6only`) are reached on 127.0.0.1, so the
probe is rewritten. The host a listen() is not given is its framework's: Node's, Express's and
Koa's is every interface; Fastify's is localhost (`app.listen({ port })` of a Fastify instance the
file makes, `require('fastify')(…)`, NestJS on `FastifyAdapter`, or of a service that depends on
Fastify in a file that loads no other server), which Fastify 4 and later bind on each address
localhost resolves to (127.0.0.1 and ::1: rewritten) and Fastify 3 on the first only (reported);
hapi's (`Hapi.server({ port })`, a @hapi/glue manifest's `server`, started by `server.start()`) is
its `address`, else its `host`, else every interface (@hapi/hapi's `lib/core.js`: `listen(port,
address || host || null)`); a Hono app's, `serve({ fetch: app.fetch, port, hostname })` of @hono/node-server,
is its `hostname`, else every interface; a service whose code calls none but that fastify-cli starts (`fastify
start -l info app.js`, what its image runs or its `npm start`) listens on the command's `--address` (`-a`), else
on the FASTIFY_ADDRESS its containers set, else on '0.0.0.0' (fastify-cli's default in a container); a LoopBack 4 app's (of a service depending on @loopback/rest) is the `rest: { host,
port }` of the config it is made or started with (`main(config)` of lb4's index.ts), else every interface; a
@grpc/grpc-js server's is the host of its `bindAsync('0.0.0.0:50051', …)` address (a name, `localhost`, bound on
every address it resolves to). A host
read from the environment first (`process.env.HOST || 'localhost'`, `const host = process.env.HOST`) is what the
service's containers set it to, where they do: its compose service's `environment:` or `env_file:`, else the
final stage's `ENV HOST=0.0.0.0` of its image (and of a stage that stage is built `FROM`); containers that set
different hosts, or one fixer cannot read (`${HOST}`), make it a host known at run time. A service that listens on the loopback only (Fastify given no host,
`listen(PORT, '127.0.0.1')`) passes its probe, yet nothing outside the container reaches it (its
published port, other containers, a load balancer): a finding without an edit says to pass host
`'0.0.0.0'`, and stays once the probe calls 127.0.0.1. Listen options are read where they are
declared (`const options = { host: '::1', port }; server.listen(options)`), and a listen() run through
a wrapper as the call that runs it (`util.promisify(server.listen).bind(server)(port, host)`). A service bound
to `'::1'`, `'::'` with `ipv6Only`, `'localhost'`, another address, a host only known at run time, or listen
options fixer cannot read (`app.listen(config.listen)`, a parameter, `listen({
...config.http })`: any `.listen(x)` whose `x` is neither a port nor readable options is
a server on a host fixer cannot tell, not `emitter.listen(onMessage)` nor `io.listen(server)`)
gets a finding that explains instead of an edit, and so does every other
service whose compose `healthcheck` is the same YAML anchor (`healthcheck: *hc`, or
merged: `<<: *hc`): the anchor's one text serves them all. A compose service built
here whose service fixer cannot tell (no service directory holds its Dockerfile or is
its build context) is reported too. An
HTTPS probe that verifies the certificate (no `-k`, `--insecure`,
`--no-check-certificate`, `rejectUnauthorized: false`) is reported, not edited: the
certificate names `localhost`, not `127.0.0.1`.

## Why

Node 17 and later resolve `localhost` in the order the system resolver returns, and
in containers whose `/etc/hosts` lists `::1 localhost` first that is the IPv6
loopback. A service bound to `0.0.0.0` (IPv4 only) does not listen on `::1`, so a
`node -e "require('http').get('http://localhost:…')"` health check is refused and the
container is marked unhealthy while it serves fine. Node 17–19 stop there; Node 20 and
later try IPv4 after IPv6 fails (`autoSelectFamily`, on by default) and pass, but only
after a refused connection, and fail again wherever that is turned off
(`--no-network-family-autoselection`). fixer's end-to-end test measures both on the
sample: with `::1 localhost` first, the old probe exits 1 without the fallback, the
new one exits 0 either way. Other clients differ
(curl and GNU wget retry; a client that takes the first address does not).
`127.0.0.1` says what is meant and needs no resolver at all; the audit's Fix 9.

## Example

```diff
 HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\
-  CMD node -e "require('http').get('http://localhost:3000/health', (r) => {process.exit(r.statusCode === 200 ? 0 : 1)})"
+  CMD node -e "require('http').get('http://127.0.0.1:3000/health', (r) => {process.exit(r.statusCode === 200 ? 0 : 1)})"
```

## Fix safety

Safe. Only the host inside the probe's URL changes, and only for services that fixer
sees listening on IPv4 (or every interface), and for images that are not this
repository's services (nginx, redis…: their default configurations listen on IPv4).
Services whose binding would make 127.0.0.1 wrong are reported with what to do.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, replace
from typing import Iterator

from fixer.errors import ParseError
from fixer.logger import DEPENDENCY_KEYS, range_major, resolve_import
from fixer.model import Edit, Finding, FixInfo
from fixer.parsing import dockerfile as dockerfile_parser
from fixer.parsing import yamlfile
from fixer.probes import (DYNAMIC_LOADS, LISTENS, URL, Listen, Probe, compose_test_missing, container_processes,
                           exec_form_advice, idle_probed, in_container, listen_calls, missing_tool_advice, probes_in,
                           script_requests)
from fixer.repo import CODE_KINDS, IMPORTED_MODULES, ON_PURPOSE, RUN_SCRIPT, Repo, Service, SourceFile
from transforms.health_endpoints import route_servers

INFO = FixInfo(
    id="healthcheck-loopback",
    title="Probe health checks on 127.0.0.1",
    audit="Fix 9",
    week=1,
    order=4,
    severity="critical",
    safety="safe",
    kinds=frozenset({"dockerfile", "compose", "yaml"}),  # (yaml: a Kubernetes exec probe)
    prefilter=(b"localhost", b"127.0.0.1"),
    version=19,  # 19: a probe whose tool the image lacks (curl on node alpine/slim) is reported, not rewritten (dockerfile.tool_missing); 18: a probe that needs a shell the image has not is reported, not rewritten; a probe script a package script also runs is no process (scripts.runs_of); 17: block-scalar exec probes, scripts copied from a build stage followed, a probe script fixer cannot read reported, overlay compose files joined to their base; 16: @hono/node-server serve({ hostname }), fastify-cli's address (--address, FASTIFY_ADDRESS, 0.0.0.0 in containers); 15: a service with no listen() found but code fixer could not read (an LFS pointer, not UTF-8) is reported, not moved; 14: grpc_health_probe -addr, distroless node probes, a listen callback is no host; 13: probes in compose files pulled in by include:/extends; 12: a worker run through a shell, an ENTRYPOINT or its own image that inherits an HTTP HEALTHCHECK (probes.idle_probed); 11: Kubernetes exec probes; 10: a probe running a shell script or a package.json shell script that calls localhost is reported; 9: a host read from the environment is what the containers set, LoopBack rest host, the host label names the host; 8: a HEALTHCHECK's `npm run <script>`, and the TypeScript source of a compiled script; 7: a HEALTHCHECK that runs a node script (its requests read, localhost rewritten there), Socket.IO listen options are no host, listens run through promisify; 6: the host per framework (Fastify binds localhost when given none; hapi, Glue), a service on the loopback only is reported; 5: listens of production code the entry reaches, not unix sockets; 2: a service bound to "::" is reached on 127.0.0.1; 3: listen(options) read from elsewhere
    # 4: listen options fixer cannot read are the probes' listens (a `listen({ ...options })` too)
)

LOOPBACK = "127.0.0.1"
_URL_HOST = re.compile(r"(?P<scheme>https?)://(?P<host>localhost)(?![\w.-])", re.IGNORECASE)
_BARE_HOST = re.compile(r"(?<![\w./@:-])(?P<host>localhost)(?=:(?:\d|\$)|/)")  # curl localhost:3000/health
_OPTION_HOST = re.compile(r"""\b(?:host|hostname)\s*:\s*(?P<q>['"])(?P<host>localhost)(?P=q)""")
_HTTP_CLIENT = re.compile(r"\b(?:curl|wget|grpc[_-]health[_-]probe)\b")  # (grpc_health_probe -addr=localhost:50051)
_SHELL_SEPARATOR = re.compile(r"&&|\|\|?|[;\n`]|\$\(|(?<![<>])&(?!>)")  # not the & of 2>&1
# what a probe runs that is a script (a path, a `.js` or `.sh` name), not a program on the image's PATH (`kafka-topics`)
_UNREAD_SCRIPT = re.compile(r"^\S*(?:/|\.(?:[cm]?js|sh)(?!\S))")
_INSECURE = re.compile(r"(?<!\S)(?:-[A-Za-z]*k[A-Za-z]*|--insecure|--no-check-certificate)(?!\S)|rejectUnauthorized\s*:\s*false")


@dataclass(frozen=True)
class Context:
    binds: tuple[tuple[str, tuple[Listen, ...]], ...]  # service dir -> its listen() calls
    web_servers: tuple[tuple[str, str], ...] = ()  # Dockerfile -> the web server image it runs (nginx), not Node
    # service dir -> a code file of it fixer could not read (a Git LFS pointer, not UTF-8, too big), and why: for
    # a service with no listen() found, where one may be (so "none found" is no evidence)
    unread: tuple[tuple[str, tuple[str, str]], ...] = ()


def prepare(repo: Repo, options: dict) -> Context:
    binds = {s.dir: tuple(_per_framework(repo, s, listen) for listen in listen_calls(repo, s.dir)) for s in repo.services}
    # a service that starts no server in its own code may start it through a workspace package it
    # depends on (`start(app)` of `@acme/server-kit`): that package's listen() calls are its own
    serverless = {service for service, listens in binds.items() if not listens}
    for package, users in route_servers(repo).items():
        for service in users:
            if package != service and service in serverless:
                binds[service] = binds.get(service, ()) + tuple(in_container(repo, service, listen)
                                                                for listen in _inside(repo, package))
    # one whose code calls none may be started by fastify-cli (`fastify start -l info dist/app.js`), which listens
    for service in repo.services:
        if not binds.get(service.dir) and (started := _fastify_started(repo, service)) is not None:
            binds[service.dir] = (_per_framework(repo, service, in_container(repo, service.dir, started)),)
    web_servers = []
    for source_file in repo.files({"dockerfile"}):
        try:
            image = dockerfile_parser.base_image(source_file.instructions)
        except ParseError:
            continue
        if dockerfile_parser.web_server_image(image):
            web_servers.append((source_file.path, image))
    unread = {service: found for service, listens in binds.items() if not listens
              and (found := _unread_code(repo, service)) is not None}
    return Context(tuple(binds.items()), tuple(web_servers), tuple(sorted(unread.items())))


def _unread_code(repo: Repo, service: str) -> tuple[str, str] | None:
    """A file the service runs as its process (its entry, `main`, what its start script or image runs:
    where a server is started) that fixer could not read (a Git LFS pointer never pulled, not UTF-8, over
    the size limit), and why: not one left out on purpose (vendored, build output, generated). (Its other
    files are not read here: the engine's pass has each file parsed once, by the fixes that want it.)"""
    prefix = service + "/" if service else ""
    for path in sorted(repo.processes):
        if path.startswith(prefix) and repo.kind(path) in CODE_KINDS and not repo.skip_reason(path) \
                and repo.read(path) is None:
            reason = repo.skips.get(path, "")
            if not reason.startswith(ON_PURPOSE):
                return path, reason
    return None


def _web_server(probe: Probe, context: Context) -> str | None:
    """The web server image (nginx) a Dockerfile's probe checks, when its image runs one, not Node."""
    return dict(context.web_servers).get(probe.file) if probe.source == "dockerfile" else None


# the servers a listen() without a host may belong to other than Fastify's (Node's, Express's, Koa's: every interface)
_OTHER_SERVERS = frozenset({"http", "https", "http2", "net", "node:http", "node:https", "node:http2", "node:net", "express",
                            "koa", "@hapi/hapi", "hapi", "restify", "connect", "polka", "@nestjs/platform-express"})


def _per_framework(repo: Repo, service: Service, listen: Listen) -> Listen:
    """A service's listen() as its framework binds it. `LISTENS` knows a Fastify instance the file makes
    (`const app = Fastify()`); a listen() given no host in a service that depends on Fastify, in a file that
    loads no other server (`const app = await build(); app.listen({ port })`), is Fastify's too. Fastify 3
    binds the first address of localhost only ("fastify<4")."""
    major = _fastify_major(service.package)
    if listen.framework == "" and listen.host is None and major != 0 and not _OTHER_SERVERS & set(
            repo.facts_of(IMPORTED_MODULES).get(listen.file) or ()):
        listen = replace(listen, host="localhost", framework="fastify")
    if listen.framework == "fastify" and major is not None and 0 < major < 4:
        listen = replace(listen, framework="fastify<4")
    return listen


# fastify-cli's `fastify start [options] <app>` (npx, pnpm exec, yarn), up to the shell's next command
_FASTIFY_START = re.compile(r"(?:^|[\s;&|(\"'])(?:(?:npx|pnpx|bunx|pnpm\s+exec|yarn)\s+)?(?:fastify|fastify-cli)\s+start\b"
                            r"(?P<args>[^;&|\n]*)")
_ADDRESS = re.compile(r"^(?:-a|--address)(?:=(?P<value>.*))?$")


def _fastify_started(repo: Repo, service: Service) -> Listen | None:
    """The server fastify-cli's `fastify start` starts for a service (what its containers run — the image's CMD, a
    compose `command:` — else its `npm start`, through the package.json scripts they run). fastify-cli (start.js)
    listens on its `--address` (`-a`, or FASTIFY_ADDRESS in its environment: what the containers set), else
    on '0.0.0.0' in a container (its `isDocker() || isKubernetes()`); a config file (`--config`) may give it one
    fixer does not read; `--socket` is no TCP server."""
    scripts = service.package.get("scripts") if isinstance(service.package, dict) else None
    scripts = scripts if isinstance(scripts, dict) else {}
    package = posixpath.join(service.dir, "package.json") if service.dir else "package.json"
    commands = [(process.file, process.line, process.command) for process in container_processes(repo)
                if process.service.dir == service.dir]
    if not commands and isinstance(scripts.get("start"), str):
        commands = [(package, 0, "npm start")]
    seen: set[str] = set()
    while commands:
        where, line, command = commands.pop(0)
        started = _FASTIFY_START.search(command)
        if started is not None:
            return _fastify_address(where, line, started.group(0).strip(" \t\"'(;&|"), started.group("args"))
        for match in RUN_SCRIPT.finditer(command):
            name = match.group(1)
            if isinstance(scripts.get(name), str) and name not in seen:
                seen.add(name)
                source = repo.read(package)
                at = re.search(rb'"' + re.escape(name.encode()) + rb'"\s*:', source.data) if source is not None else None
                commands.append((package, source.data.count(b"\n", 0, at.start()) + 1 if at else 1, scripts[name]))
    return None


def _fastify_address(where: str, line: int, command: str, arguments: str) -> Listen | None:
    try:
        words = shlex.split(arguments)
    except ValueError:
        words = arguments.split()
    # (start.js: the command line's --address, else FASTIFY_ADDRESS, else a --config file's; then --socket)
    for index, word in enumerate(words):
        address = _ADDRESS.match(word)
        if address is not None:
            host = address.group("value") if address.group("value") is not None else \
                words[index + 1] if index + 1 < len(words) else None
            if host is None or "$" in host:
                return Listen(where, max(line, 1), "?", False, command, framework="fastify")
            return Listen(where, max(line, 1), host.strip("[]"), False, command, framework="fastify")
    if any(word in ("-c", "--config") or word.startswith("--config=") for word in words):
        return Listen(where, max(line, 1), "?", False, command, options=True, framework="fastify")
    if any(word in ("-s", "--socket") or word.startswith("--socket=") for word in words):
        return None  # a unix socket (unless FASTIFY_ADDRESS gives an address: not read)
    return Listen(where, max(line, 1), "0.0.0.0", False, f"{command}: fastify-cli's default in a container, given no "
                  "--address", framework="fastify", env="FASTIFY_ADDRESS")


def _fastify_major(package: dict) -> int | None:
    """The major version of Fastify a package.json asks for: 0 none, None unknown (`latest`, `workspace:*`).
    `@nestjs/platform-fastify` 9 and later run Fastify 4 and later."""
    for name, below in (("fastify", 0), ("@nestjs/platform-fastify", 9)):
        for key in DEPENDENCY_KEYS:
            spec = package.get(key, {}).get(name) if isinstance(package.get(key), dict) else None
            if isinstance(spec, str):
                major = range_major(spec)
                return major if not below or major is None else 4 if major >= below else 3
    return 0


def _inside(repo: Repo, package: str) -> tuple[Listen, ...]:
    """The listen() calls of a package's own files (not of its tests, nor of a service nested in it)."""
    found: list[Listen] = []
    for path, listens in sorted(repo.facts_of(LISTENS).items()):
        owner = repo.service_for(path)
        if path.startswith(package + "/") and repo.is_production_code(path) and (owner is None or len(owner.dir) <= len(package)):
            found += listens
    return tuple(found)


def describe(context: Context) -> list[str]:
    hosts = sorted({_host_label(listen) for _dir, listens in context.binds for listen in listens})
    return [f"service listen() hosts seen: {', '.join(hosts) or 'none'}"]


def _host_label(listen: Listen) -> str:
    if listen.host is None:
        return "every interface"
    if listen.framework and listen.host == "localhost" and not listen.expression:
        return "localhost only: 127.0.0.1 and ::1, Fastify's default when listen() is given no host" \
            if listen.framework == "fastify" else "localhost only, Fastify 3's default when listen() is given no host"
    if listen.options:
        return f"what `{listen.expression}` says"
    ipv6 = " (ipv6Only)" if listen.ipv6_only else ""
    if listen.host in (None, "?") or not listen.expression or listen.expression.strip("'\"`") == listen.host:
        return f"{listen.expression or listen.host}{ipv6}"  # ('0.0.0.0' as written)
    # the host it resolved, not the expression's name: `host` of `var host = process.env.HOST || '0.0.0.0'`
    set_by = f"; {listen.set_by}" if listen.set_by else ""
    return f"'{listen.host}'{ipv6} ({listen.expression}{set_by})"


# --- per file ---------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    checked = []
    for probe in probes_in(source_file):
        if probe.disabled:
            continue
        targets = list(_localhost_hosts(source_file, probe))
        never = _never_runs(source_file.repo, probe) if targets else None
        if never is not None:  # (not rewritten: a new host would look like a fix of a check that still fails)
            line, col = source_file.line_col(targets[0][0])
            yield Finding(INFO.id, source_file.path, line, col, f"{probe.label} calls localhost, but it never runs: {never}")
            continue
        if targets:
            checked.append((probe, targets, _why_not(probe, probe.text(source_file), context, targets)))
        elif probe.host == LOOPBACK and LOOPBACK in probe.text(source_file):  # (already on 127.0.0.1: its
            # service may still be out of reach from outside; a script's host is `finish`'s)
            alone = _loopback_only(probe, context)
            if alone:
                yield Finding(INFO.id, source_file.path, probe.line, probe.col, f"{probe.label} calls {LOOPBACK}, {alone}")
    # a compose test shared through a YAML anchor (`healthcheck: *hc`) is one text for all its
    # users: it changes only when every one of them may change
    kept = {offset: probe.label for probe, targets, problem in checked if problem for offset, _ in targets}
    for probe, targets, problem in checked:
        line, col = source_file.line_col(targets[0][0])
        sharer = next((kept[offset] for offset, _ in targets if offset in kept), None)
        if not problem and sharer is not None:
            problem = (f"its test is a YAML anchor shared with the {sharer}, which must keep localhost: give "
                       f"each service a healthcheck of its own to point this one at {LOOPBACK}")
        if problem:
            yield Finding(INFO.id, source_file.path, line, col, f"{probe.label} calls localhost; {problem}")
            continue
        edits = tuple(Edit(source_file.path, start, start + len("localhost"), LOOPBACK) for start, _ in targets)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"{probe.label} calls localhost; now {LOOPBACK} ({_reached(probe, context)})", edits)
        alone = _loopback_only(probe, context)
        if alone:
            yield Finding(INFO.id, source_file.path, line, col, f"{probe.label} calls localhost, {alone}")


def _never_runs(repo: Repo, probe: Probe) -> str | None:
    """Why a probe can never run, or None: it runs a program its image has not (`dockerfile.tool_missing`, the
    checklist's rule): a shell it surely lacks (a shell-form HEALTHCHECK, `["sh", "-c", …]`, a compose `CMD-SHELL` or
    string test, on distroless, chainguard's node or static, scratch), or an HTTP client its base's family has not
    and no RUN of its stages installs (curl on node:20-alpine, curl or wget on a slim image); a compose test, when
    every service that runs it is so (`probes.compose_test_missing`). Its host is not rewritten (the check still
    fails on every run): the finding says what to write instead, as the checklist does."""
    source_file = repo.read(probe.file)
    if source_file is None:
        return None
    label = "HEALTHCHECK"
    missing: list[tuple[str, str] | None] = []  # (program, image) for each image the probe runs in
    try:
        if probe.source == "dockerfile":
            instructions = source_file.instructions
            check = next((i for i in instructions if i.cmd == "HEALTHCHECK" and i.start_line == probe.line and i.value), None)
            if check is None:
                return None
            chain = dockerfile_parser.stage_chain(instructions, check.stage)
            image = [i for stage in chain for i in instructions if i.stage == stage]
            base = image[0].value[0] if image and image[0].cmd == "FROM" and image[0].value else ""
            words = check.value[1:] if check.value[0].upper() == "CMD" else check.value
            tool = dockerfile_parser.tool_missing(image, " ".join(words), base, check.start_line, shell=not check.json)
            missing.append((tool, base) if tool is not None else None)
        elif probe.source == "compose":
            label = "compose"
            for compose in repo.compose_services:
                found = repo.compose_value(compose, "healthcheck", "test")
                if found is None or found[0] != probe.file or \
                        (yamlfile.line(found[2]), yamlfile.column(found[2])) != (probe.line, probe.col):
                    continue
                lacks = compose_test_missing(repo, compose, found)
                missing.append(lacks[:2] if lacks is not None else None)
    except ParseError:
        return None
    if not missing or not all(missing):
        return None
    tool, image = missing[0]  # type: ignore[misc]
    if tool == "/bin/sh":
        return (f"it runs /bin/sh, which the image ({image}) has not (no shell, no package manager to install one), so the "
                f"check fails on every run, whatever host it calls; {exec_form_advice(image, label)}")
    bare = " (no package manager to install one)" if dockerfile_parser.bare_image(image) is not None else ""
    return (f"it runs {tool}, which the image ({image}) has not{bare}, so the check fails on every run, whatever host it "
            f"calls; {missing_tool_advice(tool, image, label)}")


def _localhost_hosts(source_file: SourceFile, probe: Probe) -> Iterator[tuple[int, str]]:
    """Byte offsets of `localhost` where it is the host a probe connects to, with the URL's
    scheme ("http", "https", or "" when none is written)."""
    seen: set[int] = set()
    before = ""  # the probe's text ahead of the current span, as `Probe.text` joins it
    for start, end in probe.spans:
        text = source_file.data[start:end].decode("utf-8", "replace")
        matches = [(m.start("host"), m.group("scheme").lower()) for m in _URL_HOST.finditer(text)]
        matches += [(m.start("host"), "") for m in _OPTION_HOST.finditer(text)]
        matches += [(m.start("host"), "") for m in _BARE_HOST.finditer(text)
                    if _called_by_http_client(before + text[: m.start("host")])]
        for at, scheme in sorted(matches):
            offset = start + len(text[:at].encode())
            if offset not in seen:
                seen.add(offset)
                yield offset, scheme
        before += text + " "


def _called_by_http_client(command: str) -> bool:
    """Whether the shell command a bare `localhost:3000` ends is curl's, wget's or grpc_health_probe's: in `curl …
    && kafka-topics --bootstrap-server localhost:9092` the second is no HTTP probe."""
    return bool(_HTTP_CLIENT.search(_SHELL_SEPARATOR.split(command)[-1]))


def _why_not(probe: Probe, command: str, context: Context, targets: list[tuple[int, str]]) -> str | None:
    """Why 127.0.0.1 would be wrong for this probe, or None when it is right."""
    if _verifies_certificate(command, targets):
        return ("it verifies the HTTPS certificate, which names localhost, not 127.0.0.1: keep localhost, or "
                "pin it to IPv4 with `curl --resolve localhost:<port>:127.0.0.1`")
    if probe.service is None and probe.source == "compose" and not probe.external:
        return ("fixer cannot tell which service of this repository it runs (no service directory holds its "
                f"Dockerfile or is its build context): if that service listens on '0.0.0.0' or every interface, "
                f"point the probe at {LOOPBACK}")
    listens = dict(context.binds).get(probe.service) if probe.service is not None else None
    unread = dict(context.unread).get(probe.service) if probe.service is not None and not listens else None
    if unread is not None:
        return (f"fixer found no listen() in the service, but could not read {unread[0]} ({unread[1]}), where it may "
                f"listen: if the service binds '0.0.0.0' or every interface, point the probe at {LOOPBACK}")
    for listen in listens or ():
        reached = listen.reaches_ipv4_loopback
        where = f"{listen.file}:{listen.line}"
        if reached is None and listen.options:  # `app.listen(config.listen)`, `server.listen(listenOptions, cb)`
            return (f"the service listens on what `{listen.expression}` says ({where}), a value fixer cannot "
                    f"read: fixer cannot tell whether {LOOPBACK} reaches it; make sure it binds '0.0.0.0'" + (
                        "" if listen.framework.startswith("fastify") else " or every interface (no host)") +
                    f", then point the probe at {LOOPBACK}")
        if reached is None:
            set_by = f"; {listen.set_by}" if listen.set_by else ""
            return (f"the service listens on a host set at run time ({listen.expression}, {where}{set_by}): fixer cannot "
                    f"tell whether {LOOPBACK} reaches it; bind '0.0.0.0'{_or_no_host(listen)} and point the probe at "
                    f"{LOOPBACK}")
        if reached is False:
            return _not_reached(listen, where)
    return None


def _verifies_certificate(command: str, targets: list[tuple[int, str]]) -> bool:
    return any(scheme == "https" for _offset, scheme in targets) and not _INSECURE.search(command)


def _loopback_only(probe: Probe, context: Context) -> str | None:
    """What to do when the probed service listens on the container's loopback only (Fastify given no host,
    `listen(PORT, '127.0.0.1')`): the probe passes, yet nothing outside the container reaches the service."""
    listens = dict(context.binds).get(probe.service) if probe.service is not None else None
    if not listens or not all(listen.loopback_only and listen.reaches_ipv4_loopback for listen in listens):
        return None
    listen = listens[0]
    where = f"{listen.file}:{listen.line}"
    return (f"which passes, but the service listens on {_host_label(listen)} ({where}): nothing outside the container "
            "reaches it (not its published port, other containers nor a load balancer); " + (
                "pass host: '0.0.0.0' to listen() (`listen({ port, host: '0.0.0.0' })`)" if listen.framework.startswith(
                    "fastify") and not _by_fastify_cli(listen) else f"bind '0.0.0.0'{_or_no_host(listen)}{_or_env(listen)}"))


def _or_env(listen: Listen) -> str:
    """A host read from the environment first (`process.env.HOST || '127.0.0.1'`) is set where the container runs."""
    return f", or set {listen.env}=0.0.0.0 in its container (`ENV {listen.env}=0.0.0.0` in the image)" if listen.env else ""


def _or_no_host(listen: Listen) -> str:
    """Node, Express, Koa and hapi bind every interface when given no host; Fastify binds localhost; a gRPC
    server's bindAsync() is always given an address; fastify-cli binds what its --address says."""
    if _by_fastify_cli(listen):
        return " (`fastify start --address 0.0.0.0`)"
    return "" if listen.framework.startswith("fastify") or listen.framework == "grpc" else " (or give no host)"


def _by_fastify_cli(listen: Listen) -> bool:
    """A server fastify-cli's `fastify start` starts (`_fastify_started`), whose host its command line gives."""
    return listen.framework.startswith("fastify") and _FASTIFY_START.search(listen.expression) is not None


def _not_reached(listen: Listen, where: str) -> str:
    if listen.framework == "fastify<4":
        return (f"the service listens on {_host_label(listen)} ({where}), which Fastify 3 binds on the first address "
                f"localhost resolves to (::1 where /etc/hosts lists it first), so {LOOPBACK} may not reach it, and "
                "nothing outside the container reaches it either: " + (
                    f"bind '0.0.0.0'{_or_no_host(listen)}{_or_env(listen)}" if _by_fastify_cli(listen) else
                    "pass host: '0.0.0.0' to listen()") + f", then point the probe at {LOOPBACK}")
    if listen.host == "localhost":
        return (f"the service listens on 'localhost' ({where}), which {LOOPBACK} does not reach: Node binds the "
                "first address localhost resolves to (::1 in most containers), and nothing outside the container "
                f"reaches it either; bind '0.0.0.0'{_or_no_host(listen) if _by_fastify_cli(listen) else ''}{_or_env(listen)}, "
                f"then point the probe at {LOOPBACK}")
    return (f"the service listens on {_host_label(listen)} only ({where}), which {LOOPBACK} does not reach: bind "
            f"'0.0.0.0'{_or_no_host(listen)}{_or_env(listen)} and point the probe at {LOOPBACK}, or probe the address it binds")


def _reached(probe: Probe, context: Context) -> str:
    listens = dict(context.binds).get(probe.service) if probe.service is not None else None
    image = _web_server(probe, context) if not listens else None
    if image:
        return f"its image runs {image}, not Node: a web server's default binds every interface"
    if not listens:
        return "not a Node service of this repository: its image listens on IPv4" if probe.service is None else \
            "no listen() call found in the service: Node's default binds every interface"
    return "the service listens on " + ", ".join(sorted({_host_label(listen) for listen in listens}))


# --- a probe's script ---------------------------------------------------------------------


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """The scripts probes run (`HEALTHCHECK CMD node healthcheck.js`): their requests are the probe's, judged
    as a command's URL is. The script's `localhost` becomes 127.0.0.1 when every probe that runs it may call
    127.0.0.1; a script the service also loads (its entry, a module it imports) is reported, not edited. What
    else a probe runs that fixer reads but does not edit (a shell script, a package.json script: `Probe.runs`)
    is reported when it calls localhost."""
    runners: dict[str, list[Probe]] = {}
    for source_file in repo.files({"dockerfile", "compose"}):
        try:
            probes = probes_in(source_file)
        except ParseError:
            continue  # (scan says why)
        for probe in probes:
            never = _never_runs(repo, probe) if not probe.disabled and (probe.host or "").lower() == "localhost" else None
            if never is not None:  # (its own text's localhost is `scan`'s; what it runs is not edited either)
                if not any(True for _ in _localhost_hosts(source_file, probe)):
                    yield Finding(INFO.id, probe.file, probe.line, probe.col, f"{probe.label} runs "
                                  f"{probe.script or probe.runs}, which calls localhost, but it never runs: {never}")
                continue
            if probe.script is not None and not probe.disabled:
                runners.setdefault(probe.script, []).append(probe)
            elif probe.runs and probe.runs_paths and not probe.disabled and (probe.host or "").lower() == "localhost":
                problem = _why_not(probe, "", context, [])
                yield Finding(INFO.id, probe.file, probe.line, probe.col, f"{probe.label} runs {probe.runs}, which calls "
                              "localhost; " + (problem or f"point it at {LOOPBACK} there ({_reached(probe, context)}): "
                                               "fixer does not edit what a probe runs"))
            elif probe.runs_paths is None and _UNREAD_SCRIPT.match(probe.runs) and not probe.disabled \
                    and not probe.external and probe.host is None:  # (a script fixer cannot read: another image's)
                problem = _why_not(probe, "", context, [])
                yield Finding(INFO.id, probe.file, probe.line, probe.col, f"{probe.label} runs {probe.runs}, which fixer "
                              "cannot read; if it calls localhost, " + (problem or f"point it at {LOOPBACK} there "
                                                                        f"({_reached(probe, context)})"))
    for script, probes in sorted(runners.items()):
        yield from _script_findings(repo, script, probes, context)
    yield from _inherited_by_non_servers(repo)


def _inherited_by_non_servers(repo: Repo) -> Iterator[Finding]:
    """A container whose process starts no server (`probes.idle_probed`: a queue worker run from the API's
    image by a compose `command:`, `sh -c "node dist/worker.js"`, `npm run worker`, or an image whose
    ENTRYPOINT or CMD is the worker) inherits the image's HTTP HEALTHCHECK: that probe's request is refused
    forever and Docker marks the container unhealthy. Reported, not edited: `healthcheck: disable: true`
    breaks a `depends_on: condition: service_healthy` on it, and only the user knows what a worker's
    liveness is."""
    for process in idle_probed(repo):
        probe = process.probe
        if probe is None:
            continue  # (`idle_probed` gives each its probe)
        url = URL.search(probe.text(repo.read(probe.file))) if probe.host else None  # (read: `image_probe`)
        target = url.group(0) if url else f"{probe.host}{probe.url_path or ''}" if probe.host else \
            f"what {probe.script} requests"
        paths = ", ".join(process.paths or ())
        if process.compose:
            yield Finding(INFO.id, process.file, process.line, process.col,
                          f"{process.name} runs `{process.command}`, which starts no server ({paths} and what "
                          f"it imports call no listen()), yet it inherits its image's {probe.label} ({probe.file}:{probe.line}), "
                          f"which calls {target}: the probe is refused and Docker marks the container "
                          "unhealthy forever; give this service `healthcheck: disable: true` (and depend on it with "
                          "`condition: service_started`) or a probe of its own")
        else:
            yield Finding(INFO.id, process.file, process.line, process.col,
                          f"the image runs `{process.command}`, which starts no server ({paths} and what it imports "
                          f"call no listen()), yet its {probe.label} ({probe.file}:{probe.line}) calls {target}: the "
                          "probe is refused and Docker marks the container unhealthy forever; give it a HEALTHCHECK "
                          "that proves the process alive without HTTP (a heartbeat file it touches) or `HEALTHCHECK NONE`")


def _script_findings(repo: Repo, script: str, probes: list[Probe], context: Context) -> Iterator[Finding]:
    source_file = repo.read(script)
    if source_file is None:
        return
    try:
        requests = script_requests(source_file)
    except ParseError:
        return
    run_by = "; ".join(f"{probe.label} ({probe.file}:{probe.line})" for probe in probes)
    targets = [(request.offset, request.scheme) for request in requests if request.host.lower() == "localhost"]
    if not targets:
        for probe in probes:
            alone = _loopback_only(probe, context) if any(r.host == LOOPBACK for r in requests) else None
            if alone:
                yield Finding(INFO.id, probe.file, probe.line, probe.col, f"{probe.label} runs {script}, which calls "
                              f"{LOOPBACK}, {alone}")
        return
    line, col = source_file.line_col(targets[0][0])
    text = source_file.data.decode("utf-8", "replace")
    problem = next((why for probe in probes if (why := _why_not(probe, text, context, targets))), None)
    if _verifies_certificate(text, targets):  # (said for Node's request, not curl's)
        problem = ("it verifies the HTTPS certificate, which names localhost, not 127.0.0.1: keep localhost, or call "
                   f"{LOOPBACK} with `servername: 'localhost'` in the request's options (the name the certificate "
                   "is checked against)")
    loaded = _loaded_by(repo, script)
    if problem is None and loaded is not None:
        problem = (f"it is also {loaded}: point its health request at {LOOPBACK} by hand, where the probe makes it")
    if problem:
        yield Finding(INFO.id, script, line, col, f"{run_by} runs this script, which calls localhost; {problem}")
        return
    edits = tuple(Edit(script, offset, offset + len("localhost"), LOOPBACK) for offset, _ in targets)
    reached = "; ".join(sorted({_reached(probe, context) for probe in probes}))
    yield Finding(INFO.id, script, line, col, f"{run_by} runs this script, which calls localhost; now {LOOPBACK} "
                  f"({reached})", edits)
    for probe in probes:
        alone = _loopback_only(probe, context)
        if alone:
            yield Finding(INFO.id, script, line, col, f"{probe.label} ({probe.file}:{probe.line}) runs this script, "
                          f"which calls localhost, {alone}")


def _loaded_by(repo: Repo, script: str) -> str | None:
    """How a service runs a probe's script other than as the probe (None: it does not): as its process
    (`Repo.processes`: its entry, what its image runs), or as a module another file imports."""
    if script in repo.processes:
        return "what the service runs"
    stem = script.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for path, modules in sorted(repo.facts_of(IMPORTED_MODULES).items()):
        for module in modules or ():
            if path != script and module.rstrip("/").rsplit("/", 1)[-1].split(".")[0] == stem \
                    and resolve_import(repo, path, module) == script:
                return f"imported by {path}"
    return None


FACTS = [LISTENS, IMPORTED_MODULES, DYNAMIC_LOADS]  # gathered ahead, in the engine's one pass over the files
