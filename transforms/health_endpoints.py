"""Rename `/healthz` routes to `/health`, and make every probe and caller follow.

## What it does

Finds route registrations on `/healthz` — Express `app.get/head/all/use`,
`router.get` (@koa/router's named `router.get('healthz', '/healthz', h)` too),
`app.route('/healthz')`, Fastify `fastify.get` and `.route({ url: '/healthz' })`, Hapi
`server.route({ path })` and `server.route([{ path }, …])`, restify's route options `server.get({ path:
'/healthz', name }, handler)` (not a client's request options: `http.get({ host, port, path }, cb)`), Hono's
`app.on('GET', '/healthz', h)` (GET or HEAD among its methods), raw http handlers (`req.url === '/healthz'`,
`switch (req.url) { case '/healthz': … }`, an http2 stream's `headers[':path'] === '/healthz'`), GraphQL Yoga's built-in health check
(`createYoga({ healthCheckEndpoint: '/healthz' })`, on `/health` when the option is not given,
for an instance given to `createServer` or mounted with `.use`: with keep-alias it is
reported, as Yoga serves one health path), any receiver name, any quotes,
split over any number of lines — and renames them to `/health`. Then everything
in the repository that calls that service's `/healthz` follows: Dockerfile
`HEALTHCHECK`s (shell and exec form, in every stage), compose
`healthcheck.test`, Kubernetes/Helm `httpGet` probes, the API Gateway routes of a Lambda template that deploys
the service's code (serverless.yml `http`/`httpApi` events — `path: healthz`, `'GET /healthz'` —, an AWS SAM
`Api`/`HttpApi` event's `Path`: the paths serverless-http hands its app; with keep-alias they are reported, as an
event routes one path), service code calling
`http://<service>:<port>/healthz`, tests (`request(app).get('/healthz')`) and
skip-lists of paths. A `/healthz` appended to a base URL that is only known at
run time (`${BOOKING_URL}/healthz`, `BOOKING_URL + '/healthz'`, the path of a
client made with `axios.create({ baseURL: process.env.URL })`) is reported,
not edited; so is a probe that fixer cannot tie to a service. A loopback URL on
another port than the service's (`http://localhost:15021/healthz/ready`, a
sidecar's) is not the service, and health checks of third-party containers (a
compose `image:` that is none of this repository's services) are theirs: both
are left alone.

A route in a workspace package (`healthRouter()` of `@acme/shared`, wherever the
package lives: `packages/shared`, `shared/`) is served by every service that depends
on that package by name, directly or through another package: their probes follow
its rename. When a service imports the package without
depending on it, fixer cannot tell whose probes follow: the route is reported, not
renamed. A probe merged into several compose services from one YAML anchor is one
text: it follows when all of them rename, and when one of them keeps `/healthz` the
others keep their route too (reported: give each service its own healthcheck). So is a
HEALTHCHECK in one Dockerfile several services are built with.

A service's route and its probes stand or fall together: when a file that may hold its
probes cannot be read — a Dockerfile that builds it (in its directory, or the one its compose
service names) or a compose file or manifest in its directory or naming it, that does not
parse, is generated, not UTF-8, too big or excluded, and holds a `healthz` probe as far as its
bytes tell — the route is reported, not renamed, with the file and why: renamed, the probe
there would call a path nothing serves. So is the route of a service whose probe runs what fixer does not
edit and that calls `/healthz` — a shell script (`./healthcheck.sh`, `sh /app/hc.sh`: the repository's file
the image's COPY puts there — directly or through a build stage's copy (`COPY --from=build`) —, or a `COPY <<EOF`
heredoc's body, whose URL fixer reads; a node script of either kind too) — or may: a script or program fixer
cannot read (one of the base image's, another image's `COPY --from=node:20`, a program on the PATH that is not
curl, wget, node or a tool that makes no HTTP request). So is the route of a service whose Lambda template names
`healthz` where fixer reads no API Gateway event's path (an OpenAPI body, a `PathPart`, a Route 53 health
check's `ResourcePath`), or does not parse. So is the route of every service a `/healthz` probe
fixer ties to no service may be: a Dockerfile or compose service built from the repository's
root that names none of its apps (`ARG APP`, `COPY . .`) and that no compose service's name
ties to one probes any of them, or those it names, on the probe's port. (An image built from the
root is the service its Dockerfile runs, builds or copies — `CMD ["node",
"apps/booking/dist/index.js"]`, `turbo prune @acme/booking`, `--filter`, `--workspace`, `COPY
apps/booking` — or the one its compose service is named after: its probes follow.)

A service that already registers `/health` next to `/healthz` is not renamed
(that would register the route twice): the finding says which to keep. An existing
`/health` counts wherever it is: a Fastify plugin registered with
`{ prefix: '/health' }`, a NestJS `@Controller('health')` with `@Get()` (or
`@Get('health')`), a path named by a module-level `const HEALTH = '/health'` (`as const` too). A
`/health` on a router or sub-app mounted under a prefix (`app.use('/api/v1', router)`, `app.use('/parse',
createApi())`, koa's `app.use(api.routes())` of a `new Router({ prefix: '/api' })`, followed across the
production files that import it: `fixer.mounts`, which the checklist reads too) answers there, not at the root:
the `/healthz` is renamed. Where fixer cannot follow that mount (a prefix only known at run time, an app made where it does
not look), the `/healthz` route is reported, with where that `/health` is, not renamed. NestJS
routes on `/healthz` are seen, not renamed (reported, with the service's probes left on them). So are a route
table's GET entries of a service that registers one in a loop (`export const Routes = [{ method: "get", route:
"/healthz", controller, action }]` and `app[route.method](route.route, …)`, as `typeorm init --express`
generates), and tRPC query procedures on a health path of a router made in the file that serves it or in a
module of the repository it imports (tRPC's docs layout: `router.ts`, `server.ts`): a standalone
server's (`createHTTPServer({ router })`: `healthz` is /healthz) or an Express middleware's mounted on a literal
path (`app.use('/trpc', createExpressMiddleware({ router }))`: /trpc/healthz). A probe on `/healthz` of a service
on which fixer sees no health route at all is reported (a framework it does not read may serve it), unless a
server of the service answering every path (its handler never reads the request) listens on the probe's port, or
on one fixer cannot read. So are
routes @fastify/autoload serves on `/healthz` by their directory's name (`routes/healthz/index.js`'s
`fastify.get('/')`, the loaded directory read from `dir: path.join(__dirname, 'routes')`, its
`options.prefix` before it): fixer renames no directory. So are the routes a Next.js app (a package
depending on `next`) serves by a file's place under its `app/` or `src/app/` — a route handler exporting GET
(`app/api/healthz/route.ts` serves /api/healthz; route groups `(group)` and `@slot` folders drop out, `[id]` is
a dynamic segment, a `_private` folder serves nothing), a page — or `pages/` (`pages/api/healthz.ts`): a rename
there is a folder's (or file's) move, which fixer does not make; the finding names what to move where (or,
when /health is served too, what to delete). The app's next.config is read where its values are plain literals:
`basePath`, `pageExtensions` (`['page.tsx', 'api.ts']`: `health.page.tsx` is a route, `health.tsx` none) and
`rewrites()` (a rewrite's source is served: one on `/healthz` is reported with what to change, and one that sends
requests to a route to move is named in that route's finding); where they are computed, a file that may serve
`/healthz` is reported, not placed by a guess. A
`req.url === '/healthz'` beside a `/health` route is no second route but a
skip-check (the request logger's, say), and follows the rename. A registration
or raw handler that already answers both paths on purpose
(`app.get(['/health', '/healthz'], …)`) is kept as it is, and the service's
callers move to `/health`. So is a `/healthz` named beside `/health` in one list of
paths (`['/health', '/healthz']`, `new Set([…])`, `p === '/health' || p === '/healthz'`,
a `switch` with both cases: the paths a rate limiter skips, say): both paths are meant
there, and renaming it would only repeat `/health`. A probe whose path no route of its service serves
(the audit's "Dockerfiles check `/health` but some services expose
`/healthz`") is reported, and probes still calling `/healthz` of a service whose
route this run renames are pointed at it. Routes on a probe's path are looked for in every
file that names it, or its end (`router.get('/config')` in a route module mounted with
`app.use('/api', router)` serves a probe on /api/config); where none is found for a path that
is no health path, the finding says fixer found none (a static file, a route built at run time
may serve it), and a probe on `/` (which every file names) is not compared. A service that serves `/health` and no
`/healthz` has no route renamed, so nothing of it follows: a `/healthz` in its
tests (a path it does not serve, on purpose) is left as it is, and its probes on
`/healthz` are reported.

What a service serves is what its deployed code registers: the routes of tests and
fixtures (a test's own `express()` app on `/health`) and of files only package.json
scripts run (`"load": "node scripts/loadHarness.js"`'s stub server) are none of its routes.
They are not renamed as its routes, keep no route of its from being renamed, and are no
path a probe is told to call; their `/healthz` strings follow the service's rename as any
reference in its tests does.

With the option `keep-alias`, both paths are registered (Express and @koa/router
`app.get(['/health', '/healthz'], …)` where the file makes its app with them, Hono's `app.on('GET', ['/health',
'/healthz'], …)`, `'/health'` added to a path list already written; elsewhere a copy of the route on `/health` —
Fastify, Hono's `app.get`, restify, a hapi route object (in its `server.route([…])` array too; a lone one in an
expression goes into an array with its copy), @koa/router's named route take one path, and an app imported from
another file may be any of them; a route chained on another (`fastify.get('/ready', h).get('/healthz', h)`, Hono's
RPC chain `new Hono().get('/healthz', h)`) gets a copy of its link of the chain where the framework's route methods
return the app (Express, @koa/router, Fastify, Hono: the whole statement would declare the chain's other routes
twice, which Fastify refuses), Express's `router.route('/healthz').get(h)` a copy of its whole chain, a route that
is its statement's whole value (`const name = server.get('/healthz', h)`) a copy as a statement before it —,
`req.url === '/health' || req.url === '/healthz'`, a second `case`) so old
probes keep working during a rollout. A route that can be neither copied nor given a path list (a hapi route
with an `id`, unique — Fastify's route `config` is the user's own data, an `id` there is copied with the rest —; a
route in an expression, an arrow's body say, of a framework the file does not tell) is renamed, and its finding
says to register `/healthz` again by hand. A probe on `/health` of a service serving
only `/healthz` is answered by that alias: its finding is fixed with it.

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

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Iterator

from fixer import mounts
from fixer.cache import stable_digest
from fixer.logger import DEPENDENCY_KEYS, resolve_import
from fixer.errors import ParseError
from fixer.model import Edit, Finding, FixInfo, Option
from fixer.parsing import typescript, yamlfile
from fixer.probes import LOOPBACK_HOSTS, URL, Probe, all_probes, helm_value_reads, probes_in
from fixer.repo import CODE_KINDS, IMPORTED_MODULES, SUBMODULE, SYMLINK, FactsSpec, Repo, SourceFile, is_test, path_skip_reason
from fixer.scripts import all_script_files
from fixer import lambdatemplate

INFO = FixInfo(
    id="health-endpoints",
    title="Serve health checks on /health",
    audit="Fix 2",
    week=1,
    order=2,
    severity="critical",
    safety="safe",
    kinds=frozenset({"ts", "tsx", "js", "dockerfile", "compose", "yaml"}),
    prefilter=(b"healthz",),  # (a NestJS path has no slash: `@Controller('healthz')`)
    options={"keep-alias": Option(False, "register both /health and /healthz so old probes keep working")},
    version=27,  # 27: Kubernetes exec probes in block scalars, node probe scripts from COPY heredocs and build stages (--from) read, probes of compose overlay files joined to their base service; 26: keep-alias copies a chained route as a link of its chain (frameworks returning the app), Express route builders whole, a route that is its statement's value as a statement before it; Fastify config.id is the user's own; 25: keep-alias copies a route unless its framework is known to take a path list (hapi arrays, an app imported from another file, named koa routes), inserts beside a written list; 24: Hono app.on and restify { path } routes, keep-alias copies a route where an array path is refused; 23: probes in kustomize JSON 6902 patches and Helm values, distroless node probes, gRPC probes; 22: API Gateway event paths of serverless.yml and SAM templates follow a rename (or hold it), catch-all servers by port, http2 :path routes, tRPC routers of other files; 21: probes in compose files pulled in by include:/extends (one per service that runs it); 20: Next.js pageExtensions and rewrites() read where literal, reported where computed; 19: Kubernetes exec probes follow a rename; 18: Next.js file-system routes (app/**/route, pages/api) seen and their renames reported, keep-alias probe findings fixed by the alias; 17: GraphQL Yoga's health check (healthCheckEndpoint, default /health) is a route, renamed like others; 16: a probe's `npm run <script>` whose script is a shell command (curl) holds the paths it calls; 15: a /healthz probe of a server answering every path is answered; 14: a probe that runs a shell script calling /healthz, or a program fixer cannot read, holds the route; 13: route tables registered in a loop, tRPC procedures, a probed /healthz with no route seen reported; 12: routes on the probed paths in any file (a route module), hedged wording where none is found; 11: hapi plugin prefixes (register routes.prefix, Glue manifests); 10: a /health under a mount prefix is no twin of the root /healthz (fixer.mounts); 9: a route a /healthz probe tied to no service may belong to, or whose HEALTHCHECK another service built with its Dockerfile keeps, is reported, not renamed; 8: a route whose service's probes may be in a file fixer cannot read is reported, not renamed; 7: routes of tests, fixtures and script-only files are not the service's; 6: Hapi route arrays, @koa/router named routes, @fastify/autoload directory prefixes; 2: route paths in `as const` constants; 3: NestJS /healthz routes reported;
    # 4: a service serving no /healthz route has nothing follow; 5: a /healthz beside /health in one list stays
)

OLD, NEW = "/healthz", "/health"
SEGMENT = re.compile(r"/healthz(?![\w.-])")
ROUTE_METHODS = frozenset({"get", "head", "all", "use", "options", "route", "on"})  # ("on": Hono's `app.on(method, path, h)`)
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
    decorator: bool = False  # a NestJS `@Get()` route: counts as served, but fixer does not rename it
    via: str = ""  # "table": an entry of a route table a loop registers; "trpc": a tRPC procedure (decorator too)


@dataclass(frozen=True)
class Context:
    keep_alias: bool
    follow: frozenset[str | None]  # services whose /healthz callers follow the rename
    held: tuple[tuple[str, int, str], ...]  # (file, line, why) of /healthz routes reported, not renamed
    hosts: tuple[tuple[str, str], ...]  # host name -> service dir
    served: tuple[tuple[str | None, frozenset[str]], ...]  # service -> paths its routes serve
    servers: tuple[tuple[str, tuple[str, ...]], ...]  # service or package dir -> services serving its routes
    # routes @fastify/autoload serves on /healthz by their directory's name: (file, line, col, path)
    directories: tuple[tuple[str, int, int, str], ...] = ()
    scripts: tuple[str, ...] = ()  # files only package.json scripts run: their routes are not the service's
    indirect: tuple[tuple[str, tuple[Route, ...]], ...] = ()  # file -> its routes a route table or tRPC serves
    # Next.js routes on /healthz, served by a folder's (or file's) name: (file, line, col, path, move from, move to,
    # twin, what to do about the rewrites that send requests there)
    moves: tuple[tuple[str, int, int, str, str, str, str, str], ...] = ()
    # reported, not edited: Next.js rewrites serving /healthz, Next.js files fixer cannot place: (file, line, col, why)
    notes: tuple[tuple[str, int, int, str], ...] = ()
    # API Gateway routes of Lambda templates on /healthz, callers of the service whose code the function runs:
    # (file, start, end, line, col, service)
    gateway: tuple[tuple[str, int, int, int, int, str], ...] = ()
    # (values file, key, template, line) of the Helm template probes whose path a values file gives
    # (`probes.helm_value_reads`): a values file's probes are its chart's templates', so its cached scan goes with them
    helm_values: tuple[tuple[str, str, str, int], ...] = ()


# --- the repository-wide picture -----------------------------------------------------


def prepare(repo: Repo, options: dict) -> Context:
    gathered = dict(repo.facts_of(ROUTES))
    indirect = indirect_routes(repo)
    for path, found in next_rewrites(repo).items():  # (the paths a Next.js app's rewrites serve)
        indirect = {**indirect, path: [*indirect.get(path, ()), *found]}
    for path, found in indirect.items():
        gathered[path] = list(gathered.get(path) or []) + list(found)
    for path in _autoloaded_health_files(repo):  # `routes/healthz/index.js`: no path in its bytes
        source_file = repo.read(path) if not gathered.get(path) else None
        if source_file is not None and source_file.kind in CODE_KINDS:
            gathered[path] = _routes_of(source_file)
    # a test's app, a fixture's, a load harness's server are not the service: what they serve
    # is no route to rename, nor one a probe may be pointed at
    scripts = tuple(sorted(all_script_files(repo)))
    gathered = {path: found for path, found in gathered.items() if _serving(path, scripts)}
    servers = route_servers(repo)
    routes = []
    for path, found in gathered.items():
        owner = _owner(servers, path)
        for service in servers[owner] if owner is not None else (None,):
            routes += [replace(route, service=service) for route in found]
    routes, directories = _autoloaded(repo, routes)
    served: dict[str | None, set[str]] = {}
    for route in routes:
        served.setdefault(route.service, set()).add(route.path)
    moves = set()  # Next.js routes on /healthz: a folder's name, which fixer does not move
    notes = set(next_doubts(repo))
    for route in routes:
        if not (route.via.startswith("next") and SEGMENT.search(route.path)):
            continue
        twin = next((f"{h.file}:{h.line}" for h in routes if h.service == route.service and h.path == renamed(route.path)), "")
        if route.via == "next-rewrite":
            notes.add((route.file, route.line, route.col, _next_rewrite_message(route, twin)))
            continue
        place = _next_place(repo, route.file)
        config = place[3] if place is not None else NextConfig()
        sent = ", ".join(f"{config.file}:{line} ({source})" for source, destination, line, _col in config.rewrites
                         if destination.split("?")[0].rstrip("/") == route.path)
        # (a rewrite sending a path here would send it to nothing once the route is gone)
        clauses = [f"the rewrites at {sent} send requests there: point their destination at {renamed(route.path)}"] \
            if sent else []
        if config.rewrites_unread:
            clauses.append(f"fixer cannot read the rewrites() of {config.file} ({config.rewrites_unread}): point any "
                           f"that sends requests to {route.path} at {renamed(route.path)}")
        moves.add((route.file, route.line, route.col, route.path, *_next_move(repo, route), twin, "; ".join(clauses)))
    old = {service: [r for r in routes if r.service == service and SEGMENT.search(r.path) and not r.decorator
                     and renamed(r.path) not in r.together] for service in served}
    # `app.get(['/health', '/healthz'], …)`: /healthz is served beside /health on purpose; its
    # callers move to /health. A service that serves no /healthz at all has no callers to move:
    # a /healthz in its tests names some other path (one it does not serve, on purpose)
    aliased = {r.service for r in routes if SEGMENT.search(r.path) and not r.decorator and renamed(r.path) in r.together}
    # a comparison beside a /health route is a skip-check (`skip: (req) => req.url === '/healthz'`),
    # not a second route: it follows
    doubled = {service: [r for r in old[service] if not r.raw and renamed(r.path) in paths]
               for service, paths in served.items()}
    # a /health on a router or sub-app mounted under a prefix (`app.use('/api/v1', router)`) answers
    # there, not at the root: no twin. One whose mount fixer cannot follow is no twin it can claim
    unsure: dict[tuple[str, int], list[Route]] = {}
    if any(doubled.values()):
        resolver = mounts.Resolver(repo)
        for service, found in doubled.items():
            twin_of = {r: [h for h in routes if h.service == service and h.path == renamed(r.path)] for r in found}
            doubled[service] = []
            for r, healths in twin_of.items():
                standings = [_twin_standing(repo, resolver, h, r) for h in healths]
                if any(standing == "root" for standing in standings):
                    doubled[service].append(r)
                elif any(standing is None for standing in standings):
                    unsure.setdefault((r.file, r.line), []).extend(
                        h for h, standing in zip(healths, standings) if standing is None)
    names: dict[str | None, str] = {s.dir: s.name for s in repo.services}
    twins: dict[tuple[str, int], set[str]] = {}
    for service, found in doubled.items():
        for r in found:
            twins.setdefault((r.file, r.line), set()).add(names.get(service, "this service"))
    held = {at: _twin_message(" and ".join(sorted(who))) for at, who in twins.items()}
    for at, healths in unsure.items():
        if at not in held:
            held[at] = _unmounted_twin_message(healths[0])
    if options["keep-alias"]:  # GraphQL Yoga serves one health path: no /health can be registered beside it
        for r in (r for found in old.values() for r in found if r.via == "yoga"):
            held.setdefault((r.file, r.line), _YOGA_ALONE)
    if not options["keep-alias"]:  # with an alias, /healthz stays served for whoever uses it
        # a route and its service's probes stand or fall together: where a file that may hold
        # them could not be read, or a probe on /healthz may be theirs but fixer cannot tell,
        # renaming the route would leave a probe on a 404 unseen
        doubts = probes_in_doubt(repo, served)
        for service, found in old.items():
            for r in found if service in doubts else ():
                held.setdefault((r.file, r.line), _doubt_message(names.get(service, "the root service"), doubts[service]))
        packages = {owner for found in old.values() for r in found if (owner := _owner(servers, r.file)) is not None}
        strangers = hidden_users(repo, servers, packages)
        held.update({(r.file, r.line): _stranger_message(strangers[owner]) for found in old.values() for r in found
                     if (owner := _owner(servers, r.file)) is not None and owner in strangers})
    # a probe's text shared by services (a compose anchor merged into each) follows for all
    # of them or none: a service sharing one with a service that keeps /healthz keeps it too
    # (a Dockerfile that several services are built with holds each one's HEALTHCHECK)
    sharing: dict[tuple[str, tuple[int, int]], set[str | None]] = defaultdict(set)
    probes = all_probes(repo)
    for probe in probes:
        if probe.url_path is not None and SEGMENT.search(probe.url_path):
            for span in probe.spans:
                sharing[(probe.file, span)] |= {probe.service} | _builders(repo, probe)
    # a /healthz fixer does not rename (a NestJS controller's) stays served: its service's
    # probes stay on it, whatever else the service may mount (a shared package it depends on
    # for something else, say)
    keeping = {r.service for r in routes if r.decorator and SEGMENT.search(r.path) and renamed(r.path) != r.path}
    while True:
        follow = set()
        for service, paths in served.items():
            if (doubled[service] and not options["keep-alias"]) or service in keeping:
                continue  # a human decides which route to keep; callers stay as they are
            # a shared router's route that is some other service's twin stays /healthz here too
            if any((options["keep-alias"] and (r.file, r.line) in twins) or (r.file, r.line) not in held
                   for r in old[service]) or service in aliased:
                follow.add(service)
        tied = {(r.file, r.line): _anchor_message(sorted(names.get(other, "the root service") for other in users - follow),
                                                  file if repo.kind(file) == "dockerfile" else "")
                for (file, _span), users in sharing.items() if users & follow and users - follow
                for service in users & follow for r in old.get(service, ()) if (r.file, r.line) not in held}
        if not tied:
            break
        held.update(tied)
    hosts = tuple(sorted((alias, s.dir) for s in repo.services for alias in s.aliases if s.dir))
    probed = _probed_routes(repo, probes, served, servers, scripts)  # (what finish() compares probes with, only)
    return Context(
        bool(options["keep-alias"]), frozenset(follow),
        tuple(sorted((file, line, why) for (file, line), why in held.items())), hosts,
        tuple(sorted(((k, frozenset(v | probed.get(k, set()))) for k, v in served.items()), key=lambda kv: str(kv[0]))),
        tuple(sorted(servers.items())),
        tuple(sorted({(r.file, r.line, r.col, r.path) for r in directories})),
        scripts,
        tuple(sorted((path, tuple(found)) for path, found in indirect.items())),
        tuple(sorted(moves)),
        tuple(sorted(notes)),
        tuple(gateway_callers(repo)),
        helm_value_reads(repo),
    )


_PROBE_KINDS = frozenset({"dockerfile", "compose", "yaml"})


def _probed_routes(repo: Repo, probes: list[Probe], served: dict[str | None, set[str]],
                   servers: dict[str, tuple[str, ...]], scripts: tuple[str, ...]) -> dict[str | None, set[str]]:
    """Service -> the paths of routes registered on what its probes call, where `ROUTES` (the files
    naming a health word) shows none: a route module's `router.get('/config')` mounted with
    `app.use('/api', router)` serves a probe on /api/config. Read from the files naming such a path
    (`_path_needles`), for the probes `finish` would otherwise report: of a service with a health
    route, on a path that is no health path (a route serving one names a health word: `ROUTES` has
    it) and that no route it shows serves. The claim that no route serves a probe's path must stand
    on every route registered on it."""
    wanted = sorted({probe.url_path for probe in probes
                     if not probe.disabled and probe.url_path is not None and probe.service in served
                     and any(HEALTH_LIKE.search(p) for p in served[probe.service])
                     and not HEALTH_LIKE.search(probe.url_path.rstrip("/"))
                     and not _serves(frozenset(served[probe.service]), probe.url_path)})
    needles = _path_needles(wanted)
    if not needles:
        return {}
    gathered = repo.facts("health-endpoints/probed-routes/" + stable_digest(needles), _routes_of, CODE_KINDS, needles)
    found: dict[str | None, set[str]] = {}
    for path, routes in sorted(gathered.items()):
        if not routes or not _serving(path, scripts):
            continue
        owner = _owner(servers, path)
        for service in servers[owner] if owner is not None else (None,):
            found.setdefault(service, set()).update(route.path for route in routes)
    return found


def _path_needles(paths: list[str]) -> tuple[bytes, ...]:
    """What the file of a route serving one of `paths` names: a quote, then the path or a part of it
    at its end (`'/config` of `router.get('/config')`, mounted under /api). None for the root: every
    file names '/' (a probe on / is not compared, see `finish`)."""
    needles: set[bytes] = set()
    for path in paths:
        parts = path.strip("/").split("/")
        for start in range(len(parts)) if parts != [""] else ():
            tail = "/" + "/".join(parts[start:])
            needles.update(f"{quote}{tail}".encode() for quote in "'\"`")
    return tuple(sorted(needles))


@dataclass(frozen=True)
class Doubt:
    """Why a service's /healthz probes may not all be seen: a file that may hold them could not be
    read (`why`), or a probe on /healthz there may be theirs, but fixer cannot tell whose (`probe`)."""

    path: str
    why: str = ""
    probe: str = ""  # "HEALTHCHECK (line 6)"
    runs: str = ""  # what that probe runs that fixer does not follow (`Probe.runs`): its probe is the service's
    read: bool = False  # whether fixer read `runs` (it calls /healthz) or not (it may)
    gateway: bool = False  # `path` is a Lambda template naming healthz where fixer cannot follow it (`probe`: where)


def probes_in_doubt(repo: Repo, served: dict[str | None, set[str]]) -> dict[str, Doubt]:
    """Service dir -> why its route cannot be renamed with all its probes: a file that may hold its
    /healthz probes but could not be read — a Dockerfile that builds it (in its directory, or named
    by a compose service running it), a compose file or manifest in its directory or naming it, that
    does not parse or is skipped (generated, not UTF-8, over the size limit, excluded) —, or a
    /healthz probe of an image built here that fixer ties to no service (or to the root, which
    serves no /healthz): every service it may be. A file whose bytes hold no probe of a
    `healthz` holds none of its probes; one whose bytes fixer cannot have may hold any service's."""
    found: dict[str, Doubt] = {}
    for path in repo.paths_of(_PROBE_KINDS):
        if path_skip_reason(path):  # (vendored, node_modules: no probe of this repository's services)
            continue
        why, data = _unread(repo, path)
        if why is None or (data is not None and not _may_hold_probes(repo.kind(path), data)):
            continue
        for service in _whose_probes(repo, path, data):
            found.setdefault(service, Doubt(path, why))
    for path, routes in sorted(repo.facts_of(GATEWAY_ROUTES).items()):
        if routes is None or not routes.unread:
            continue
        line, _col, why = routes.unread[0]
        source_file = repo.read(path)
        owners = _whose_probes(repo, path, source_file.data if source_file is not None else None)
        owners |= {service.dir for *_, code in routes.events if (service := repo.service_for(code)) is not None}
        for service in owners:
            found.setdefault(service, Doubt(path, why, probe=f"line {line}", gateway=True))
    root_serves = any(SEGMENT.search(p) for p in served.get("", ()))
    for probe in sorted(all_probes(repo), key=lambda p: (p.file, p.line)):
        # a probe running a shell script or program fixer does not edit (`./healthcheck.sh`, a `COPY <<EOF`
        # heredoc's, one of the base image's) that calls /healthz, or may: renamed, its route would leave it on a 404
        if not probe.disabled and not probe.external and probe.runs and (
                probe.runs_paths is None or any(SEGMENT.search(p) for p in probe.runs_paths)):
            for service in {probe.service} if probe.service is not None else _who_may_be_probed(repo, probe):
                found.setdefault(service, Doubt(probe.file, probe=f"{probe.label} (line {probe.line})", runs=probe.runs,
                                                read=probe.runs_paths is not None))
        if probe.disabled or probe.external or probe.url_path is None or not SEGMENT.search(probe.url_path):
            continue
        if probe.service is None or (probe.service == "" and not root_serves):
            for service in _who_may_be_probed(repo, probe):
                found.setdefault(service, Doubt(probe.file, probe=f"{probe.label} (line {probe.line})"))
    return found


def _who_may_be_probed(repo: Repo, probe: Probe) -> set[str]:
    """The services a probe fixer ties to none may probe: those its text names (a Dockerfile's, a
    compose service's and its Dockerfile's, a manifest's); of a Node image built here (its
    Dockerfile runs node, npm, pnpm, yarn or bun) that names none, every one. Not one listening
    on another port than a loopback probe's."""
    source_file = repo.read(probe.file)
    texts = [source_file.data.decode("utf-8", "replace")] if source_file is not None else []
    dockerfile = source_file if probe.source == "dockerfile" else None
    compose = next((c for c in repo.compose_services
                    if c.file == probe.file and probe.label == f"compose healthcheck of {c.name}"), None)
    if compose is not None:
        texts = [" ".join(filter(None, (compose.name, compose.dockerfile, compose.image)))]
        dockerfile = repo.read(compose.dockerfile) if compose.dockerfile and repo.exists(compose.dockerfile) else None
        texts += [dockerfile.data.decode("utf-8", "replace")] if dockerfile is not None else []
    text = "\n".join(texts)
    services = [s for s in repo.services if s.dir]
    named = {s.dir for s in services
             if any(re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text) for alias in s.aliases | {s.dir} if alias)}
    if not named and dockerfile is not None and _NODE_TOOLS.search(dockerfile.data):
        named = {s.dir for s in services}
    url = URL.search(probe.text(source_file)) if source_file is not None else None
    if url is not None and url.group("host") in LOOPBACK_HOSTS:
        port = url.group("port") or ("443" if url.group("scheme") == "https" else "80")
        if port.isdigit():
            named = {s.dir for s in services if s.dir in named and s.port in (None, int(port))}
    return named


_NODE_TOOLS = re.compile(rb"(?<![\w-])(?:node|npm|npx|pnpm|yarn|bun)(?![\w-])")


def _may_hold_probes(kind: str, data: bytes) -> bool:
    """Whether these bytes may hold a /healthz probe: a HEALTHCHECK instruction (any case), a
    compose file's healthcheck, a manifest's `*Probe:` key; a `healthz` in each."""
    needle = {"dockerfile": b"HEALTHCHECK", "compose": b"HEALTHCHECK", "yaml": b"PROBE:"}.get(kind, b"")
    return b"healthz" in data and needle in data.upper()


def _unread(repo: Repo, path: str) -> tuple[str | None, bytes | None]:
    """Why fixer could not read the probes of the file at `path` (None: it could), and its bytes
    when they are known."""
    entry = repo.entry(path)
    if entry is None or entry.mode in (SYMLINK, SUBMODULE):
        return None, None  # (a link's target, if it is in the repository, is read where it lives)
    source_file = repo.read(path)
    if source_file is None:
        try:
            data = repo.source.read(entry)
        except Exception:  # (a file fixer will not read is no reason to stop: its bytes are unknown)
            data = None
        return repo.skips.get(path) or repo.skip_reason(path) or "could not be read", data
    try:
        if source_file.kind == "dockerfile":
            source_file.instructions
        elif source_file.kind == "compose":
            source_file.yaml_documents
    except ParseError as problem:  # (a manifest is read line by line: it needs no parse)
        return str(problem), source_file.data
    return None, source_file.data


def _whose_probes(repo: Repo, path: str, data: bytes | None) -> set[str]:
    """The services whose probes the file at `path` may hold: a Dockerfile's, the service it builds;
    any other's (or a Dockerfile building none), the service whose directory holds it, else each
    service it names; every service when its bytes are unknown."""
    owners: set[str] = set()
    if repo.kind(path) == "dockerfile":
        built = repo.service_of_dockerfile(path)
        owners = {built.dir} if built is not None else set()
        owners |= {service.dir for compose in repo.compose_services if compose.dockerfile == path
                   and (service := repo.service_of_compose(compose)) is not None}
    located = repo.service_for(path)
    if not owners and located is not None and (located.dir or repo.kind(path) == "dockerfile"):
        owners = {located.dir}
    if owners:
        return owners
    if data is None:
        return {service.dir for service in repo.services}
    text = data.decode("utf-8", "replace")
    return {service.dir for service in repo.services
            if any(re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text) for alias in service.aliases | {service.dir} if alias)}


def _serving(path: str, scripts: tuple[str, ...]) -> bool:
    """Whether the routes a file registers are its service's: not a test's or fixture's own
    app (`rateLimit.test.ts`'s `app.get('/health')`), nor a server only a package.json script runs."""
    return not is_test(path) and path not in scripts




def route_servers(repo: Repo) -> dict[str, tuple[str, ...]]:
    """Package dir -> the services that serve its routes: a service itself, and every service
    that depends on the package by name, directly or through another workspace package (the
    `healthRouter()` of `@acme/shared` answers on each service that mounts it, wherever the
    package lives: `packages/shared`, `shared/`). A package no service uses is left out."""
    manifests = repo.packages
    by_name = {str(m.get("name")): directory for directory, m in manifests.items() if m.get("name")}
    uses: dict[str, set[str]] = {}
    for directory, manifest in manifests.items():
        names = {name for key in DEPENDENCY_KEYS if isinstance(manifest.get(key), dict) for name in manifest[key]}
        uses[directory] = {by_name[name] for name in names if name in by_name} - {directory}
    servers: dict[str, set[str]] = {service.dir: {service.dir} for service in repo.services}
    for service in repo.services:
        reached, todo = set(), list(uses.get(service.dir, ()))
        while todo:
            package = todo.pop()
            if package not in reached:
                reached.add(package)
                todo += uses.get(package, ())
        for package in reached:  # (a package that is no service answers for its own routes too)
            servers.setdefault(package, {package}).add(service.dir)
    return {package: tuple(sorted(users)) for package, users in servers.items()}


def _owner(servers: dict[str, tuple[str, ...]], path: str) -> str | None:
    """The package whose routes a file's are: the deepest service or used package holding it."""
    directory = posixpath.dirname(path)
    while directory not in servers:
        if not directory:
            return None
        directory = posixpath.dirname(directory)
    return directory


IMPORTS = IMPORTED_MODULES  # (what each file imports, from its bytes)


def hidden_users(repo: Repo, servers: dict[str, tuple[str, ...]], packages: set[str]) -> dict[str, str]:
    """Package dir -> an import of it (by name, or by a relative path into it) from a service
    that does not depend on it (a hoisted dependency, a path into another package): that
    service serves the package's routes too, but fixer cannot tell which probes are its."""
    wanted = {directory for directory in packages if directory}
    by_name = {name: directory for directory in wanted if (name := str(repo.packages.get(directory, {}).get("name") or ""))}
    found: dict[str, str] = {}
    imported: dict[tuple[str, str], str] = {}  # (importing dir, module) -> the wanted package it is in, or ""

    def package_of(base: str, module: str) -> str:
        if (base, module) not in imported:
            if module.startswith("."):  # the package holding the path it points at, if one is wanted
                directory = posixpath.normpath(posixpath.join(base, module))
                while directory and directory not in wanted:
                    directory = posixpath.dirname(directory)
            else:  # `@scope/name/sub` or `name/sub`: the package by its name
                parts = module.split("/")
                directory = by_name.get("/".join(parts[:2]) if module.startswith("@") else parts[0], "")
            imported[base, module] = directory
        return imported[base, module]

    for path, modules in sorted(repo.facts_of(IMPORTS).items()) if wanted else ():
        owner = repo.service_for(path)
        base = posixpath.dirname(path)
        for module in modules if owner is not None else ():
            directory = package_of(base, module)
            if directory and directory not in found and owner.dir not in servers.get(directory, ()):
                found[directory] = f"{path} imports {module!r}"
    return found


def describe(context: Context) -> list[str]:
    served = dict(context.served)
    # (the service at the root of the directory fixer reads, a service's own when run in it, is ".")
    renaming = sorted(s or "." for s in context.follow if s is not None and any(SEGMENT.search(p) for p in served.get(s, ())))
    held = sorted({file for file, _line, _why in context.held})
    notes = [f"services serving /health beside their /healthz routes (keep-alias): {', '.join(renaming) or 'none'}"
             if context.keep_alias else f"services whose /healthz routes become /health: {', '.join(renaming) or 'none'}"]
    if held and not context.keep_alias:
        notes.append(f"files with /healthz routes left for a human: {', '.join(held)}")
    return notes


def _routes_of(source_file: SourceFile) -> list[Route]:
    return list(find_route_registrations(source_file))


_ROUTE_NEEDLES = (b"/health", b"/status", b"/ping", b"/live", b"/ready", b"@Controller")
ROUTES = FactsSpec("health-endpoints/routes", _routes_of, CODE_KINDS,
                   _ROUTE_NEEDLES + (b"createYoga",), version=7)  # (GraphQL Yoga's /health is named nowhere); 7: Hono app.on, restify route options objects; 6: http2 :path routes


def _autoloads_of(source_file: SourceFile) -> tuple[tuple[tuple[str, ...] | None, str | None], ...]:
    """@fastify/autoload registrations, `fastify.register(AutoLoad, { dir: path.join(__dirname,
    'routes'), options: { prefix } })`: (the directory's parts below the file's own directory,
    the prefix given in `options`), None for either where fixer cannot read it (a
    `dirNameRoutePrefix` that is not `true` makes the directory unread: its names are no prefixes)."""
    root = source_file.tree.root_node
    table = typescript.import_table(root)
    found = []
    for call in typescript.iter_member_calls(root):
        if call.method != "register" or len(call.args) < 2:
            continue
        plugin = call.args[0]
        imported = table.get((plugin.text or b"").decode())
        if (imported.module if imported is not None else typescript.required_module(plugin)) != "@fastify/autoload":
            continue
        options = call.args[1]
        parts: tuple[str, ...] | None = None
        directory = typescript.object_property(options, "dir")
        joined = typescript.unwrap(directory) if directory is not None else None
        if joined is not None and joined.type == "call_expression":
            callee = (joined.child_by_field_name("function").text or b"").decode()
            args = typescript.list_items(joined.child_by_field_name("arguments"))
            values = [typescript.string_value(a) for a in args[1:]]
            if callee.split(".")[-1] in ("join", "resolve") and args and args[0].text == b"__dirname" \
                    and all(v is not None for v in values):
                parts = tuple(v for v in values if v is not None)
        flag = typescript.object_property(options, "dirNameRoutePrefix")
        if flag is not None and flag.text != b"true":
            parts = None
        prefix: str | None = ""
        given = typescript.object_property(options, "options")
        if given is not None and given.type == "object":
            value = typescript.object_property(given, "prefix")
            prefix = typescript.string_value(value) if value is not None else ""
        elif given is not None and b"prefix" in (given.text or b""):
            prefix = None
        found.append((parts, prefix))
    return tuple(found)


AUTOLOAD = FactsSpec("health-endpoints/autoload", _autoloads_of, CODE_KINDS, (b"@fastify/autoload",))


# --- routes served where no registration names their path -------------------------------

_TABLE_METHODS = frozenset({"get", "head", "all"})
_TABLE_PATH_KEYS = ("route", "path", "url")


def _table_routes_of(source_file: SourceFile) -> list[Route]:
    """The GET entries of route tables: objects in an array that name an HTTP method and a path (`export const
    Routes = [{ method: "get", route: "/healthz", controller, action }]`, as `typeorm init --express` generates),
    not given to a call (Hapi's `server.route([…])` is a registration). Served only where a loop registers them
    (`ROUTE_LOOPS`)."""
    found = []
    for array in typescript.descendants(source_file.tree.root_node, "array"):
        if array.parent is not None and array.parent.type == "arguments":
            continue
        for item in typescript.list_items(array):
            method = (typescript.string_value(typescript.object_property(item, "method")) or "").lower() \
                if item.type == "object" else ""
            node = next((n for key in _TABLE_PATH_KEYS if (n := typescript.object_property(item, key)) is not None), None)
            value = typescript.string_value(node)
            if method in _TABLE_METHODS and value is not None and value.startswith("/"):
                found.append(Route(None, value, source_file.path, *source_file.line_col(node.start_byte), (value,),
                                   decorator=True, via="table"))
    return found


TABLE_ROUTES = FactsSpec("health-endpoints/table-routes", _table_routes_of, CODE_KINDS, _ROUTE_NEEDLES)

# `app[route.method](route.route, …)`, `router[method](path, …)`: a loop registering a route table's entries
_ROUTE_LOOP = re.compile(rb"\[\s*(?:[\w$]+\s*\.\s*)?method\s*\]\s*\(\s*(?:[\w$]+\s*\.\s*)?(?:route|path|url)\b")


def _registers_a_route_table(source_file: SourceFile) -> bool:
    return _ROUTE_LOOP.search(source_file.data) is not None


ROUTE_LOOPS = FactsSpec("health-endpoints/route-loops", _registers_a_route_table, CODE_KINDS, (b"method](",))

def _answers_every_path(source_file: SourceFile) -> tuple[int | None, ...]:
    """The ports of the Node servers the file makes whose handler answers every request alike: `createServer((_req,
    res) => …)` whose request parameter the handler never reads (y-websocket's server answers 'okay' on any path,
    /healthz too); None for one whose port fixer cannot read (`_listen_port`): it may be any probe's."""
    found: list[int | None] = []
    for call in typescript.descendants(source_file.tree.root_node, "call_expression"):
        callee = call.child_by_field_name("function")
        arguments = call.child_by_field_name("arguments")
        items = typescript.list_items(arguments) if arguments is not None else []
        if callee is None or not (callee.text or b"").endswith(b"createServer") or not items \
                or items[-1].type not in ("arrow_function", "function_expression", "function"):
            continue
        handler = items[-1]
        parameters = handler.child_by_field_name("parameters")
        first = typescript.list_items(parameters)[0] if parameters is not None and typescript.list_items(parameters) \
            else handler.child_by_field_name("parameter")
        name = first.child_by_field_name("pattern") if first is not None and first.type in (
            "required_parameter", "optional_parameter") else first
        body = handler.child_by_field_name("body")
        if name is not None and name.type == "identifier" and body is not None \
                and not typescript.identifier_references(body, (name.text or b"").decode()):
            found.append(_listen_port(source_file.tree.root_node, call))
    return tuple(found)


# a port as a listen() call's first argument gives it: a literal, or the default of `Number(process.env.X) || 9100`
_LISTEN_PORT = re.compile(r"""^['"]?(\d{2,5})['"]?$|(?:\|\||\?\?)\s*['"]?(\d{2,5})['"]?\s*\)?$""")


def _listen_port(root: typescript.Node, server: typescript.Node) -> int | None:
    """The port the server `server` makes listens on, where a `.listen(…)` of it in the file reads as one:
    `createServer(h).listen(9100)`, or `server.listen(PORT || 9100)` of the name (`this.server`) it is given to."""
    holder = typescript.outer_parens(server).parent
    names: set[bytes] = set()
    if holder is not None and holder.type == "variable_declarator":
        names.add(getattr(holder.child_by_field_name("name"), "text", b"") or b"")
    elif holder is not None and holder.type == "assignment_expression":
        names.add(getattr(holder.child_by_field_name("left"), "text", b"") or b"")
    ports = set()
    for call in typescript.iter_member_calls(root):
        if call.method != "listen" or not call.args:
            continue
        receiver = typescript.inner_parens(call.object)
        if receiver.id != server.id and receiver.text not in names - {b""}:
            continue
        port = _LISTEN_PORT.search((typescript.inner_parens(call.args[0]).text or b"").decode("utf-8", "replace"))
        ports.add(int(port.group(1) or port.group(2)) if port is not None else None)
    return ports.pop() if len(ports) == 1 else None


CATCH_ALL = FactsSpec("health-endpoints/catch-all", _answers_every_path, CODE_KINDS, (b"createServer(",),
                      version=2)  # 2: the ports the catch-all servers listen on


# --- API Gateway routes of Lambda templates: callers of a serverless-http app's routes ---------------

# a `healthz` segment of an API Gateway route's path, written with or without its leading slash (`path: healthz`)
_GATEWAY_SEGMENT = re.compile(r"(?:^|(?<=[/\s'\"]))healthz(?![\w.-])")
# ... anywhere in a template's bytes, but a bare key (`healthz:`, a function's name; `/healthz:` is an OpenAPI path)
_GATEWAY_BYTES = re.compile(rb"(?<=/)healthz(?![\w.-])|(?:^|(?<=[\s'\"]))healthz(?![\w.-]|['\"]?[ \t]*:(?:\s|$))")
_SAM_EVENTS = frozenset({"Api", "HttpApi"})
_YAML_COMMENT = re.compile(rb"(?:^|\s)#")  # (before a match on its line: the match is in a comment)


@dataclass(frozen=True)
class GatewayRoutes:
    """What a Lambda template (`lambdatemplate.shape`: serverless.yml, an AWS SAM template) routes on `healthz`:
    `events`, (start, end, line, col, code) of each `healthz` segment of an API Gateway event's path (serverless.yml
    `events: - http: { path }` or `httpApi`, their `'GET /healthz'` form too; SAM `Events.*.Properties.Path` of an
    `Api`/`HttpApi` event), `code` the directory of the function's code; `unread`, (line, col, why) of a `healthz`
    anywhere else in it but a comment or a bare key (`healthz:`, a function's name) — an OpenAPI body, a resource's
    `PathPart`, a `RouteKey`, a Route 53 health check's `ResourcePath` —, of every one when it does not parse: a
    route fixer cannot follow."""

    events: tuple[tuple[int, int, int, int, str], ...] = ()
    unread: tuple[tuple[int, int, str], ...] = ()


def _gateway_routes_of(source_file: SourceFile) -> GatewayRoutes | None:
    shape = lambdatemplate.shape(source_file)
    if shape is None:
        return None
    here = posixpath.dirname(source_file.path)
    events: dict[int, tuple[int, int, int, int, str]] = {}
    why = ("fixer does not read as the path of a function's API Gateway event (an OpenAPI definition, a resource's "
           "PathPart, a health check's ResourcePath may call it)")
    try:
        for node, code in _gateway_paths(source_file.yaml_documents, shape):
            start, end = yamlfile.span(source_file.text, node)
            raw = source_file.data[start:end].decode("utf-8", "replace")
            if len(_GATEWAY_SEGMENT.findall(raw)) != len(_GATEWAY_SEGMENT.findall(str(node.value))):
                continue  # (an escape in a quoted scalar: its bytes are not its value; left unread)
            where = posixpath.normpath(posixpath.join(here, code)) if code else here
            for match in _GATEWAY_SEGMENT.finditer(raw):
                offset = start + len(raw[: match.start()].encode())
                events[offset] = (offset, offset + len("healthz"), *source_file.line_col(offset),
                                  "" if where == "." else where)
    except ParseError as problem:
        events, why = {}, f"fixer cannot read ({problem})"
    data = source_file.data
    unread = tuple((*source_file.line_col(match.start()), why) for match in _GATEWAY_BYTES.finditer(data)
                   if match.start() not in events
                   and not _YAML_COMMENT.search(data[data.rfind(b"\n", 0, match.start()) + 1 : match.start()]))
    return GatewayRoutes(tuple(sorted(events.values())), unread)


def _gateway_paths(documents: list[yamlfile.Node], shape: str) -> Iterator[tuple[yamlfile.Node, str]]:
    """The path scalars of a template's API Gateway events, each with its function's code directory (relative to
    the template's; "" unknown): serverless.yml `handler: src/handler.handler` is src, SAM `CodeUri` (or
    `Globals.Function.CodeUri`) and the directory of `Handler`."""
    for function in lambdatemplate.functions(documents, shape):
        if shape == lambdatemplate.SERVERLESS:
            events = yamlfile.get(function.node, "events")
            for event in events.value if isinstance(events, yamlfile.SequenceNode) else ():
                for key in ("http", "httpApi"):
                    route = yamlfile.get(event, key)
                    path = yamlfile.get(route, "path") if isinstance(route, yamlfile.MappingNode) else route
                    if isinstance(path, yamlfile.ScalarNode):
                        yield path, function.code
            continue
        for _event, event in yamlfile.items(yamlfile.get_path(function.node, "Properties", "Events")):
            kind = yamlfile.get(event, "Type")
            path = yamlfile.get_path(event, "Properties", "Path")
            if isinstance(kind, yamlfile.ScalarNode) and kind.value in _SAM_EVENTS \
                    and isinstance(path, yamlfile.ScalarNode):
                yield path, function.code


GATEWAY_ROUTES = FactsSpec("health-endpoints/gateway-routes", _gateway_routes_of, frozenset({"yaml"}), (b"healthz",))


def gateway_callers(repo: Repo) -> Iterator[tuple[str, int, int, int, int, str]]:
    """(file, start, end, line, col, service) of each `healthz` segment of a Lambda template's API Gateway event
    path: a caller of the service whose directory holds the function's code (serverless-http serves its app's
    routes on the paths API Gateway sends), which follows its rename."""
    for path, found in sorted(repo.facts_of(GATEWAY_ROUTES).items()):
        for start, end, line, col, code in found.events if found is not None else ():
            service = repo.service_for(code)
            if service is not None:
                yield path, start, end, line, col, service.dir

_TRPC_ROUTERS = re.compile(r"(?:^|\.)(?:router|createTRPCRouter|createRouter)$")


@dataclass(frozen=True)
class TrpcFacts:
    """A file's tRPC: `routes`, the query procedures on a health path of the routers it serves and makes; `served`,
    (module, exported name, prefix) of each router it serves that it imports (`import { appRouter } from
    './router.js'`); `exported`, (name, path, line, col) of each health-path query procedure of a router it makes at
    its top level (`export const appRouter = t.router({ healthz: … })`), for the server that imports it."""

    routes: tuple[Route, ...] = ()
    served: tuple[tuple[str, str, str], ...] = ()
    exported: tuple[tuple[str, str, int, int], ...] = ()


def _trpc_routes_of(source_file: SourceFile) -> TrpcFacts:
    """tRPC query procedures on a health path, where fixer knows the adapter's prefix: the procedures of the router a
    standalone server serves (`createHTTPServer({ router: appRouter })`: `healthz` answers GET /healthz) or an
    Express middleware mounted on a literal path (`app.use('/trpc', createExpressMiddleware({ router }))`:
    /trpc/healthz), the router made in the same file (`t.router({ healthz: t.procedure.query(…) })`) or imported
    from another (`TrpcFacts.served`, tied to its procedures by `trpc_routes`). A nested router's procedures
    (`system.healthz`), an adapter given `basePath`: not read."""
    root = source_file.tree.root_node
    found, served = [], []
    table: dict[str, typescript.Imported] | None = None
    for call in typescript.descendants(root, "call_expression"):
        callee = (call.child_by_field_name("function").text or b"").decode("utf-8", "replace")
        name = callee.rpartition(".")[2]
        arguments = call.child_by_field_name("arguments")
        options = typescript.list_items(arguments)[0] if arguments is not None and typescript.list_items(arguments) else None
        if name not in ("createHTTPServer", "createExpressMiddleware") or options is None or options.type != "object" \
                or typescript.object_property(options, "basePath") is not None:
            continue
        prefix = ""
        if name == "createExpressMiddleware":  # `app.use('/trpc', createExpressMiddleware(…))`
            holder = call.parent
            mount = holder.parent if holder is not None and holder.type == "arguments" else None
            first = typescript.list_items(holder)[0] if mount is not None else None
            path = typescript.string_value(first)
            if mount is None or not (mount.child_by_field_name("function").text or b"").endswith(b".use") \
                    or path is None or not path.startswith("/"):
                continue
            prefix = path.rstrip("/")
        router = typescript.unwrap(typescript.object_property(options, "router"))
        if router is None:  # `{ router }`
            shorthand = next((c for c in options.named_children
                              if c.type == "shorthand_property_identifier" and c.text == b"router"), None)
            router = shorthand
        if router is not None and router.type in ("identifier", "shorthand_property_identifier"):
            declarator = typescript.declarator_in_scope((router.text or b"").decode(), call)
            if declarator is None:  # a router another file makes
                table = typescript.import_table(root) if table is None else table
                imported = table.get((router.text or b"").decode())
                if imported is not None:
                    served.append((imported.module, imported.name, prefix))
                continue
            router = typescript.unwrap(declarator.child_by_field_name("value"))
        found += [Route(None, path, source_file.path, line, col, (path,), decorator=True, via="trpc")
                  for label, line, col in _trpc_procedures(source_file, router)
                  if HEALTH_LIKE.search(path := f"{prefix}/{label}")]
    exported = []
    for statement in root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        for declarator in typescript.list_items(declaration) if declaration is not None and \
                declaration.type == "lexical_declaration" else ():
            label = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            if label is not None and label.type == "identifier":
                exported += [((label.text or b"").decode(), f"/{procedure}", line, col) for procedure, line, col in
                             _trpc_procedures(source_file, typescript.unwrap(declarator.child_by_field_name("value")))
                             if HEALTH_LIKE.search(f"/{procedure}")]
    return TrpcFacts(tuple(found), tuple(served), tuple(exported))


def _trpc_procedures(source_file: SourceFile, router: typescript.Node | None) -> list[tuple[str, int, int]]:
    """(name, line, col) of each query procedure of a router made by `router` (`t.router({ healthz:
    t.procedure.query(…) })`); [] when it is no such call."""
    made = router.child_by_field_name("function") if router is not None and router.type == "call_expression" else None
    if made is None or not _TRPC_ROUTERS.search((made.text or b"").decode("utf-8", "replace")):
        return []
    found = []
    procedures = typescript.list_items(router.child_by_field_name("arguments"))
    for pair in typescript.list_items(procedures[0]) if procedures and procedures[0].type == "object" else ():
        key, value = pair.child_by_field_name("key"), typescript.unwrap(pair.child_by_field_name("value"))
        label = (typescript.string_value(key) if key is not None and key.type == "string" else
                 (key.text or b"").decode()) if pair.type == "pair" and key is not None else ""
        queried = value is not None and value.type == "call_expression" and \
            (value.child_by_field_name("function").text or b"").endswith(b".query")
        if queried and label and key is not None:
            found.append((label, *source_file.line_col(key.start_byte)))
    return found


# (a router module made with `t` from another file names no `@trpc/server`, but its procedures)
TRPC_ROUTES = FactsSpec("health-endpoints/trpc-routes", _trpc_routes_of, CODE_KINDS, (b"@trpc/server", b"rocedure"),
                        version=2)  # 2: TrpcFacts (routers other files serve)


def trpc_routes(repo: Repo) -> dict[str, list[Route]]:
    """File -> the tRPC query procedures on a health path it serves or that a server serves from it: a router made
    in the server's file, or in a module of the repository it imports (by a relative path or a tsconfig alias: the
    layout of tRPC's docs, router.ts exports appRouter, server.ts serves it), each under the server's prefix."""
    facts = {path: found for path, found in repo.facts_of(TRPC_ROUTES).items() if found}
    routes: dict[str, list[Route]] = {}
    for path, found in sorted(facts.items()):
        for route in found.routes:
            routes.setdefault(path, []).append(route)
        for module, name, prefix in found.served:
            target = resolve_import(repo, path, module)
            made = facts.get(target) if target is not None else None
            for label, procedure, line, col in made.exported if made is not None else ():
                route = Route(None, prefix + procedure, target or path, line, col, (prefix + procedure,),
                              decorator=True, via="trpc")
                if label == name and route not in routes.get(route.file, ()):
                    routes.setdefault(route.file, []).append(route)
    return routes


# --- Next.js: routes a file's place serves -------------------------------------------------

# App Router: `app/**/route.ts` (a route handler) and `app/**/page.tsx`; Pages Router: `pages/**` (`pages/api/**`
# are API routes). Under the app's `app/` or `src/app/`, `pages/` or `src/pages/` (`_app`, `_document`, `_error` of
# pages/ are none). Any extension that ends as a JavaScript or TypeScript one: next.config's `pageExtensions`
# (`['page.tsx', 'api.ts']`: `route.api.ts`, `health.page.tsx`) says which of them Next routes (`next_stem`).
_NEXT_FILE = re.compile(r"(?:^|/)(?:app/(?:.*/)?(?P<kind>route|page)(?:\.[^/]*)?|pages/.*)\.(?:js|jsx|ts|tsx)$")
_NEXT_ROUTERS = ("app", "src/app", "pages", "src/pages")
NEXT_EXTENSIONS = ("tsx", "ts", "jsx", "js")  # Next's default pageExtensions


def next_stem(name: str, extensions: tuple[str, ...] = NEXT_EXTENSIONS) -> str | None:
    """A file's name without the page extension Next.js strips (`health.page.tsx` with `pageExtensions:
    ['page.tsx']`: `health`; the leftmost dot after which one of them ends the name, as Next's own pattern
    `\\.+(ext|…)$` finds it), or None when none ends it: Next routes no such file."""
    for at, char in enumerate(name):
        if char == "." and at and name[at:].lstrip(".") in extensions:
            return name[:at]
    return None


def _next_exports_of(source_file: SourceFile) -> tuple[tuple[str, int, int], ...]:
    """What a file Next.js may route to by its place exports that answers a GET: an App Router route handler's
    `GET` (`export function GET`, `export const GET = …`, `export { handler as GET }`, `export const { GET } =
    handlers`), a page's or Pages Router API route's default export: ("GET" or "default", line, col). Any other
    file: () without a parse (which files these are is `next_routes`' to say, from the app's package.json)."""
    match = _NEXT_FILE.search(source_file.path)
    if match is None or source_file.path.endswith(".d.ts"):
        return ()
    wanted = b"GET" if match.group("kind") == "route" else b"default"
    found = []
    for statement in source_file.tree.root_node.named_children:
        if statement.type == "expression_statement" and wanted == b"default":  # `module.exports = handler`
            assigned = statement.named_children[0] if statement.named_children else None
            target = assigned.child_by_field_name("left") if assigned is not None and assigned.type == "assignment_expression" else None
            if target is not None and target.text in (b"module.exports", b"exports.default"):
                found.append(("default", *source_file.line_col(target.start_byte)))
            continue
        if statement.type != "export_statement":
            continue
        if wanted == b"default" and any(child.type == "default" for child in statement.children):
            found.append(("default", *source_file.line_col(statement.start_byte)))
            continue
        names = []
        declaration = statement.child_by_field_name("declaration")
        if declaration is not None and declaration.type in ("function_declaration", "generator_function_declaration"):
            names.append(declaration.child_by_field_name("name"))
        elif declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in typescript.list_items(declaration):
                name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                if name is not None and name.type == "identifier":
                    names.append(name)
                elif name is not None and name.type == "object_pattern":  # `export const { GET, POST } = handlers`
                    names += [part.child_by_field_name("value") if part.type == "pair_pattern" else part
                              for part in name.named_children]
        for clause in (c for c in statement.named_children if c.type == "export_clause"):
            names += [specifier.child_by_field_name("alias") or specifier.child_by_field_name("name")
                      for specifier in clause.named_children if specifier.type == "export_specifier"]
        found += [(wanted.decode(), *source_file.line_col(name.start_byte)) for name in names
                  if name is not None and name.text == wanted]
    return tuple(found[:1])


NEXT_EXPORTS = FactsSpec("health-endpoints/next-exports", _next_exports_of, CODE_KINDS,
                         (b"GET", b"default", b"module.exports"), version=2)  # 2: `route.api.ts`-style names (pageExtensions)


def _next_place(repo: Repo, path: str) -> tuple[str, str, str, NextConfig] | None:
    """(the directory Next.js routes from — `apps/web/src/app` —, the file's path below it, "app" or "pages", the
    app's next.config) for a file of a package that depends on `next` (its nearest package.json), where Next routes
    it by its place (which of its files, and on what path, is what the next.config says: `NextConfig.unread`
    when fixer cannot tell)."""
    directory = posixpath.dirname(path)
    while directory not in repo.packages:
        if not directory:
            return None
        directory = posixpath.dirname(directory)
    manifest = repo.packages[directory]
    if not any(isinstance(manifest.get(key), dict) and "next" in manifest[key] for key in DEPENDENCY_KEYS):
        return None
    for router in _NEXT_ROUTERS:
        root = posixpath.join(directory, router) if directory else router
        if path.startswith(root + "/"):
            return root, path[len(root) + 1:], posixpath.basename(router), next_config(repo, directory)
    return None


@dataclass(frozen=True)
class NextConfig:
    """What an app's next.config says about where its files are served: `basePath` ("" none), `pageExtensions`
    (Next's default when not set), the literal `rewrites()` as (source, destination, line, col) — each
    source and destination with the basePath before it unless the rewrite says `basePath: false`. `file`: the
    next.config ("" none); `unread`: why fixer cannot tell where the app serves a file ("" it can);
    `rewrites_unread`: why it cannot tell what the rewrites serve."""

    file: str = ""
    base: str = ""
    extensions: tuple[str, ...] = NEXT_EXTENSIONS
    rewrites: tuple[tuple[str, str, int, int], ...] = ()
    unread: str = ""
    rewrites_unread: str = ""  # why its rewrites() cannot be read (the files' routes still can)


_NEXT_BASE_PATH = re.compile(rb"""\bbasePath\s*:\s*(['"`])(/[^'"`$]*)\1""")


def next_config(repo: Repo, directory: str) -> NextConfig:
    """The next.config (.js, .mjs, .ts, .cjs) of the app in `directory`, read where its values are plain
    literals: `basePath: '/site'`, `pageExtensions: ['page.tsx', 'api.ts']`, and the `{ source, destination }`
    objects `rewrites()` returns (an array, or `beforeFiles`/`afterFiles`/`fallback` arrays). A value written any
    other way (a variable, a call, a spread, a template with `${}`) is `unread`: fixer does not guess."""
    for name in ("next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"):
        path = posixpath.join(directory, name) if directory else name
        source_file = repo.read(path) if repo.exists(path) else None
        if source_file is None:
            continue
        data = source_file.data
        found = _NEXT_BASE_PATH.search(data)
        if found is None and b"basePath" in data and re.search(rb"\bbasePath\s*:\s*(?!false\b)", data):
            return NextConfig(path, unread="its basePath is not a plain string")
        base = found.group(2).decode("utf-8", "replace").rstrip("/") if found is not None else ""
        if b"pageExtensions" not in data and b"rewrites" not in data:
            return NextConfig(path, base)
        try:
            root = source_file.tree.root_node
        except ParseError:
            return NextConfig(path, base, unread="it does not parse")
        extensions, rewrites, why, rewrites_why, seen = NEXT_EXTENSIONS, [], "", "", False
        for node in typescript.descendants(root, "pair", "method_definition"):
            key = node.child_by_field_name("key") if node.type == "pair" else \
                node.child_by_field_name("name") if node.type == "method_definition" else None
            label = (typescript.string_value(key) if key is not None and key.type == "string" else
                     (key.text or b"").decode("utf-8", "replace")) if key is not None else ""
            line = source_file.line_col(node.start_byte)[0]
            if label == "pageExtensions" and node.type == "pair":
                value = typescript.unwrap(node.child_by_field_name("value"))
                items = typescript.list_items(value) if value is not None and value.type == "array" else []
                words = [typescript.string_value(item) for item in items]
                if not items or None in words:
                    why = why or f"its pageExtensions (line {line}) is not a list of plain strings"
                else:
                    extensions = tuple(word.lstrip(".") for word in words if word)
            elif label == "rewrites":
                seen = True
                read = _next_rewrites(source_file, node, base)
                if isinstance(read, str):
                    rewrites_why = rewrites_why or f"line {line}: it {read}"
                else:
                    rewrites += read
        if b"pageExtensions" in data and extensions == NEXT_EXTENSIONS and not why and \
                not re.search(rb"pageExtensions\s*:\s*\[", data):
            why = "its pageExtensions is not a list of plain strings"
        if not seen and re.search(rb"\brewrites\b", data):  # (`{ rewrites }`, `config.rewrites = …`)
            rewrites_why = "it is not written as a rewrites() fixer reads"
        return NextConfig(path, base, extensions, tuple(rewrites), why, rewrites_why)
    return NextConfig()


def _next_rewrites(source_file: SourceFile, node: typescript.Node, base: str) -> list[tuple[str, str, int, int]] | str:
    """The (source, destination, line, col) of the rewrite objects under `node` (the `rewrites` method or
    pair), or why they are not plain literals."""
    found = []
    for part in typescript.walk(node):
        if part.type in ("spread_element", "call_expression") and part.parent is not None and \
                part.parent.type in ("array", "return_statement", "arrow_function", "pair"):
            return "builds its list at run time (a spread or a call)"
        if part.type != "object" or typescript.object_pair(part, "source") is None:
            continue
        source = typescript.string_value(typescript.object_property(part, "source"))
        destination = typescript.string_value(typescript.object_property(part, "destination"))
        if source is None or destination is None:
            return "has a source or destination that is not a plain string"
        under = "" if (typescript.object_property(part, "basePath") or part).text == b"false" else base
        where = typescript.object_property(part, "source")
        assert where is not None
        line, col = source_file.line_col(where.start_byte)
        outside = destination.startswith(("http://", "https://"))
        found.append((under + source, destination if outside else under + destination, line, col))
    if not found:
        return "returns no list of { source, destination } fixer can read"
    return found


def next_path(rel: str, router: str, extensions: tuple[str, ...] = NEXT_EXTENSIONS) -> str | None:
    """The path Next.js serves the file at `rel` (below `app/` or `pages/`) on: its folders, route groups
    `(group)` and parallel-route slots `@slot` left out, `[id]` as `:id`, `[...slug]` and `[[...slug]]` as `*`;
    a page's name (`about.tsx`, `index.tsx`, `about.page.tsx` with that page extension: its folder) too under
    pages/. None where it serves nothing (a private `_folder`, an intercepting route `(.)x`, pages/ `_app`,
    `_document`, `_error`)."""
    parts = rel.split("/")
    leaf = parts.pop()
    name = next_stem(leaf, extensions) or posixpath.splitext(leaf)[0]
    if router == "pages":
        if not parts and name in ("_app", "_document", "_error"):
            return None
        parts += [name] if name != "index" else []
    segments = []
    for part in parts:
        if part.startswith("(.") or (part.startswith("_") and router == "app"):
            return None
        if (part.startswith("(") and part.endswith(")")) or part.startswith("@"):
            continue
        if part.startswith("[") and part.endswith("]"):
            inner = part.strip("[]")
            segments.append("*" if inner.startswith("...") else ":" + inner)
        else:
            segments.append(part)
    return "/" + "/".join(segments)


def next_routes(repo: Repo) -> dict[str, list[Route]]:
    """File -> the route Next.js serves it on (GET), by its place in the app's `app/` or `pages/` directory: an App
    Router route handler exporting GET (`app/api/health/route.ts`: /api/health), a page, a Pages Router API route
    (`pages/api/health.ts`), with next.config's basePath and pageExtensions. Seen, not renamed: a rename is a
    folder's (or file's) move, which fixer does not make. A file of an app whose next.config fixer cannot read
    is none (`next_doubts` tells of those that may serve /healthz)."""
    found: dict[str, list[Route]] = {}
    for path, exports in sorted(repo.facts_of(NEXT_EXPORTS).items()):
        place = _next_place(repo, path) if exports else None
        if place is None or place[3].unread:
            continue
        root, rel, router, config = place
        what, line, col = exports[0]
        stem = next_stem(posixpath.basename(path), config.extensions)
        if stem is None or (what, router) not in (("GET", "app"), ("default", "app"), ("default", "pages")) \
                or (router == "app" and (stem, what) not in (("route", "GET"), ("page", "default"))):
            continue  # (not a page extension; under app/, a file other than route.* and page.* serves nothing)
        served = next_path(rel, router, config.extensions)
        if served is None:
            continue
        if config.base:  # (next.config's basePath: every route answers under it)
            served = config.base + (served if served != "/" else "")
        kind = "next-page" if stem == "page" and router == "app" or (
            router == "pages" and not rel.startswith("api/")) else "next"
        found[path] = [Route(None, served, path, line, col, (served,), decorator=True, via=kind)]
    return found


def next_rewrites(repo: Repo) -> dict[str, list[Route]]:
    """next.config file -> the paths its literal `rewrites()` serve (each source, whatever its destination), as
    routes on the source's line: seen, not renamed (fixer edits no next.config)."""
    found: dict[str, list[Route]] = {}
    for directory in sorted(_next_apps(repo)):
        config = next_config(repo, directory)
        for source, _destination, line, col in config.rewrites:
            found.setdefault(config.file, []).append(
                Route(None, source, config.file, line, col, (source,), decorator=True, via="next-rewrite"))
    return found


def next_doubts(repo: Repo) -> list[tuple[str, int, int, str]]:
    """(file, line, col, message) for each file of a Next.js app whose next.config fixer cannot read (a basePath
    or pageExtensions that is no plain literal) that serves /healthz if Next routes it the plain way."""
    found = []
    for path, exports in sorted(repo.facts_of(NEXT_EXPORTS).items()):
        place = _next_place(repo, path) if exports else None
        if place is None or not place[3].unread:
            continue
        root, rel, router, config = place
        leaf = posixpath.basename(rel)
        guess = next_path(posixpath.join(posixpath.dirname(rel), leaf.split(".", 1)[0] + ".js"), router)
        if guess is not None and SEGMENT.search(guess):
            found.append((path, *exports[0][1:], (
                f"may serve {guess} (Next.js routes by a file's place), but fixer cannot read {config.file}: "
                f"{config.unread}, so it cannot tell whether (or where) Next.js serves this file: if it serves "
                f"{guess}, move it to serve {renamed(guess)} (git mv) and point the service's probes there by hand")))
    return found


def _next_apps(repo: Repo) -> set[str]:
    """The directories of the packages that depend on `next` and have a next.config."""
    found = set()
    for directory, manifest in repo.packages.items():
        if any(isinstance(manifest.get(key), dict) and "next" in manifest[key] for key in DEPENDENCY_KEYS) and \
                any(repo.exists(posixpath.join(directory, f"next.config.{ext}") if directory else f"next.config.{ext}")
                    for ext in ("js", "mjs", "ts", "cjs")):
            found.add(directory)
    return found


def _next_move(repo: Repo, route: Route) -> tuple[str, str]:
    """The folder (or Pages Router file) to move for a Next.js route on /healthz to answer /health instead:
    (from, to)."""
    place = _next_place(repo, route.file)
    assert place is not None
    root, rel, _router, config = place
    parts = rel.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        stem = (next_stem(part, config.extensions) or posixpath.splitext(part)[0]) if last else part
        if stem == "healthz":
            before = "/".join([root, *parts[: index + 1]]) + ("" if last else "/")
            after = "/".join([root, *parts[:index], "health" + part[len(stem):]]) + ("" if last else "/")
            return before, after
    return route.file, route.file


def indirect_routes(repo: Repo) -> dict[str, list[Route]]:
    """File -> the health routes served where no registration names their path, which fixer sees but does not
    rename: route-table entries (of a service or package one of whose files registers a route table in a loop),
    tRPC procedures, and the routes a Next.js app serves by a file's place (`next_routes`)."""
    loops = {path for path, found in repo.facts_of(ROUTE_LOOPS).items() if found}
    servers = route_servers(repo)
    registering = {owner for path in loops if (owner := _owner(servers, path)) is not None}
    found: dict[str, list[Route]] = {}
    for path, routes in repo.facts_of(TABLE_ROUTES).items():
        owner = _owner(servers, path)
        if routes and owner is not None and registering & {owner, *servers[owner]}:
            found[path] = list(routes)
    for path, routes in trpc_routes(repo).items():
        found.setdefault(path, []).extend(routes)
    for path, routes in next_routes(repo).items():
        found.setdefault(path, []).extend(routes)
    return found


FACTS = [ROUTES, IMPORTS, AUTOLOAD, TABLE_ROUTES, ROUTE_LOOPS, TRPC_ROUTES, CATCH_ALL, NEXT_EXPORTS, GATEWAY_ROUTES]


def autoload_prefix(repo: Repo, autoloads: dict[str, tuple], path: str) -> str | None:
    """The prefix @fastify/autoload serves the routes of the file at `path` under: its options'
    prefix and the names of the directories between the loaded directory and the file
    (`routes/healthz/index.js` answers under /healthz); "" for a file autoload does not load,
    None where fixer cannot tell (a directory it cannot read, a plugin setting its own
    `autoPrefix`, or wrapped with fastify-plugin, which takes no prefix)."""
    for registrar, registrations in autoloads.items():
        here = posixpath.dirname(registrar)
        for parts, prefix in registrations:
            if parts is None:
                if path.startswith(here + "/") and "/" in path[len(here) + 1:]:
                    return None
                continue
            loaded = posixpath.normpath(posixpath.join(here, *parts))
            if not path.startswith(loaded + "/"):
                continue
            data = repo.read(path).data if repo.exists(path) else b""
            if prefix is None or b"autoPrefix" in data or b"fastify-plugin" in data:
                return None
            below = posixpath.dirname(path)[len(loaded) + 1:]
            return (prefix.rstrip("/") + ("/" + below if below else "")) or ""
    return ""


def _autoloaded_health_files(repo: Repo) -> list[str]:
    """Code files in a directory @fastify/autoload loads below a health-like directory name."""
    found = []
    for registrar, registrations in repo.facts_of(AUTOLOAD).items():
        for parts, _prefix in registrations or ():
            if parts is None:
                continue
            loaded = posixpath.normpath(posixpath.join(posixpath.dirname(registrar), *parts))
            found += [path for path in repo.paths_of(CODE_KINDS) if path.startswith(loaded + "/")
                      and HEALTH_LIKE.search(posixpath.dirname(path)[len(loaded):])]
    return found


def _autoloaded(repo: Repo, routes: list[Route]) -> tuple[list[Route], list[Route]]:
    """The routes as @fastify/autoload serves them (prefixed), and those it serves on a /healthz
    that only a directory's name gives (`routes/healthz/index.js`'s `fastify.get('/')`): fixer
    renames no directory; they count as served, but are reported, not renamed."""
    autoloads = {path: found for path, found in repo.facts_of(AUTOLOAD).items() if found}
    if not autoloads:
        return routes, []
    prefixes: dict[str, str | None] = {}
    served, directories = [], []
    for route in routes:
        if route.file not in prefixes:
            prefixes[route.file] = autoload_prefix(repo, autoloads, route.file)
        prefix = prefixes[route.file]
        if not prefix or route.raw or route.decorator:
            served.append(route)
            continue
        path = prefix + route.path if route.path not in ("", "/") else prefix
        moved = replace(route, path=path, together=tuple(prefix + p if p not in ("", "/") else prefix
                                                          for p in route.together))
        if SEGMENT.search(path) and not SEGMENT.search(route.path):
            moved = replace(moved, decorator=True)
            directories.append(moved)
        served.append(moved)
    return served, directories  # gathered ahead, in the engine's one pass over the files


def find_route_registrations(source_file: SourceFile) -> Iterator[Route]:
    """Every path the file registers a route on (Route.service is left to the caller:
    this depends on the file's bytes alone, so it can be cached)."""
    key, root = None, source_file.tree.root_node
    plugins = {}
    for node, plugin, prefix in _prefixed_plugins(root):
        if plugin is not None:
            plugins[plugin.id] = (node, prefix)
        else:  # a plugin from another file: it may well answer on its prefix
            yield Route(key, prefix, source_file.path, *source_file.line_col(node.start_byte), (prefix,))
    for call in typescript.iter_member_calls(root):
        if call.method not in ROUTE_METHODS or not call.args:
            continue
        prefix_node, prefix = _plugin_prefix(call.call, plugins)
        paths = [(prefix_node if prefix_node is not None and value in ("", "/") else node,
                  prefix + value if value not in ("", "/") or not prefix else prefix)
                 for node, value in registered_paths(call, root) if prefix or value]
        values = tuple(value for _node, value in paths)
        apart = call.args[0].type == "array" and call.method == "route"  # Hapi: one route per object
        for node, value in paths:
            line, col = source_file.line_col(node.start_byte)
            yield Route(key, value, source_file.path, line, col, (value,) if apart else values)
    for node, value in _nest_routes(root):
        yield Route(key, value, source_file.path, *source_file.line_col(node.start_byte), (value,), decorator=True)
    for node, value in _yoga_routes(root):
        yield Route(key, value, source_file.path, *source_file.line_col(node.start_byte), (value,), via="yoga")
    compared = list(_raw_http_paths(source_file.tree.root_node))
    by_function: dict[int, list[str]] = {}
    for node, value, _anchor in compared:
        by_function.setdefault(_enclosing_function(node), []).append(value)
    for node, value, _anchor in compared:
        line, col = source_file.line_col(node.start_byte)
        yield Route(key, value, source_file.path, line, col, tuple(by_function[_enclosing_function(node)]), True)


_HANDLER_TYPES = frozenset({"arrow_function", "function_expression", "function", "identifier",
                            "member_expression", "call_expression", "object"})


def registered_paths(call: typescript.MemberCall, root: typescript.Node | None = None) -> list[tuple[typescript.Node, str]]:
    """The path literals a route registration registers ('' too: Fastify's root of a prefixed
    plugin); [] when the call is not one. With `root`, a path named by a module-level constant
    (`app.use(HEALTH, router)`) is that constant's string."""
    args = call.args
    first = args[0]
    objects = [first] if first.type == "object" else \
        [item for item in first.named_children if item.type == "object"] if first.type == "array" else []
    if objects and call.method == "route":  # Fastify `.route({ url: '/healthz', … })`, Hapi `.route([{ path }, …])`
        candidates = [typescript.object_property(o, "url") or typescript.object_property(o, "path") for o in objects]
    elif call.method == "on":  # Hono: `app.on('GET', '/healthz', h)`, `app.on(['GET', 'HEAD'], ['/a', '/b'], h)`
        if len(args) < 3 or not _answers_get(args[0]) or not any(a.type in _HANDLER_TYPES - {"object"} for a in args[2:]):
            return []  # (`emitter.on('event', listener)`, a route of other methods: `app.on('POST', …)`)
        candidates = list(args[1].named_children) if args[1].type == "array" else [args[1]]
    elif first.type == "object" and call.method != "use" and any(a.type in _HANDLER_TYPES - {"object"} for a in args[1:]):
        # restify's route options: `server.get({ path: '/healthz', name: 'health' }, handler)` (or `url:`)
        candidates = [typescript.object_property(first, "path") or typescript.object_property(first, "url")] \
            if _route_options(first, args[-1]) else []
    elif call.method == "route" or any(a.type in _HANDLER_TYPES - {"object"} for a in args[1:]):
        # `request(app).get('/healthz')` and `axios.get('/healthz', { timeout })` are client calls
        if len(args) > 2 and first.type == "string" and not (typescript.string_value(first) or "/").startswith("/"):
            first = args[1]  # @koa/router's named route: `router.get('healthz', '/healthz', handler)`
        candidates = list(first.named_children) if first.type == "array" else [first]
    else:
        return []
    found = []
    for node in candidates:
        if node is not None and node.type == "identifier" and root is not None:
            node = _module_constant(root, node.text or b"") or node
        value = typescript.string_value(node)
        if value is not None and (value.startswith("/") or value == ""):
            found.append((node, value))
    return found


_GET_METHODS = frozenset({"GET", "HEAD", "ALL"})  # (Hono upper-cases what `on` is given)
_METHOD = re.compile(r"^[A-Za-z]+$")


def _answers_get(methods: typescript.Node) -> bool:
    """Whether the methods of Hono's `app.on(methods, path, handler)` (a string, or an array of them: HTTP
    methods, no event's name) include one a probe's GET is answered on."""
    items = typescript.list_items(methods) if methods.type == "array" else [methods]
    names = [typescript.string_value(item) for item in items]
    return bool(names) and all(name is not None and _METHOD.match(name) for name in names) and \
        any((name or "").upper() in _GET_METHODS for name in names)


# a client's request options (`http.get({ host, port, path }, cb)`, restify-clients' `client.get({ path, headers },
# cb)`): no route options
_REQUEST_KEYS = frozenset({"host", "hostname", "port", "protocol", "method", "headers", "agent", "auth", "socketPath",
                           "timeout", "signal", "family", "localAddress", "lookup", "query", "servername", "baseURL",
                           "baseUrl", "retry", "defaultPort", "createConnection", "rejectUnauthorized", "json", "qs",
                           "body", "form", "data", "params", "responseType", "followRedirect", "encoding"})
_CALLBACK_FIRST = frozenset({b"err", b"error", b"e", b"res", b"response", b"resp"})  # a client callback's first parameter


def _route_options(options: typescript.Node, handler: typescript.Node) -> bool:
    """Whether `{ path: '/healthz', name: 'health' }` given with a handler is a route's options (restify's), not a
    request's: no key of a client's request options, and a handler that is not a client's callback (`(err, req,
    res, obj) => …`, `(res) => …`)."""
    keys = set()
    for item in typescript.list_items(options):
        key = item.child_by_field_name("key") if item.type == "pair" else item if item.type == "shorthand_property_identifier" else None
        name = typescript.string_value(key) if key is not None and key.type == "string" else (key.text or b"").decode() if key is not None else None
        if name is None:
            return False  # (a spread, a computed key: what else it holds is unknown)
        keys.add(name)
    if keys & _REQUEST_KEYS:
        return False
    parameters = handler.child_by_field_name("parameters") or handler.child_by_field_name("parameter") \
        if handler.type in _FUNCTION_VALUES else None
    first = typescript.list_items(parameters)[0] if parameters is not None and parameters.type == "formal_parameters" \
        and typescript.list_items(parameters) else parameters
    name = first.child_by_field_name("pattern") if first is not None and first.type in ("required_parameter",
                                                                                         "optional_parameter") else first
    return name is None or name.text not in _CALLBACK_FIRST


def _module_constant(root: typescript.Node, name: bytes) -> typescript.Node | None:
    """The string a top-level `const NAME = '/health'` (exported or not, `as const` too) gives NAME."""
    for statement in root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        if declaration is None or declaration.type != "lexical_declaration" or not (declaration.text or b"").startswith(b"const"):
            continue
        for declarator in typescript.list_items(declaration):
            value = declarator.child_by_field_name("value")
            while value is not None and value.type in ("as_expression", "satisfies_expression",
                                                       "parenthesized_expression") and value.named_children:
                value = value.named_children[0]  # `'/healthz' as const`
            if declarator.type == "variable_declarator" and (declarator.child_by_field_name("name") or declarator).text == name \
                    and typescript.string_value(value) is not None:
                return value
    return None


_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function"})


def _prefixed_plugins(root: typescript.Node) -> Iterator[tuple[typescript.Node, typescript.Node | None, str]]:
    """Fastify's `register(plugin, { prefix: '/health' })`: (prefix string, the plugin's function
    when this file holds it, else None; prefix). Routes inside the plugin answer under the prefix."""
    for call in typescript.iter_member_calls(root):
        if call.method != "register" or len(call.args) < 2 or call.args[1].type != "object":
            continue
        node = typescript.object_property(call.args[1], "prefix")
        prefix = typescript.string_value(node)
        if node is None or prefix is None or not prefix.startswith("/"):
            continue
        plugin: typescript.Node | None = call.args[0]
        if plugin.type == "identifier":
            plugin = _function_named(root, plugin.text or b"")
        yield node, (plugin if plugin is not None and plugin.type in _FUNCTION_VALUES | {"function_declaration"} else None), prefix.rstrip("/")


def _function_named(root: typescript.Node, name: bytes) -> typescript.Node | None:
    for node in typescript.descendants(root, "function_declaration"):
        if (node.child_by_field_name("name") or node).text == name:
            return node
    return next((value for value in _values_assigned(root, name) if value.type in _FUNCTION_VALUES), None)


def _plugin_prefix(node: typescript.Node, plugins: dict[int, tuple[typescript.Node, str]]) -> tuple[typescript.Node | None, str]:
    """The prefix a route registered at `node` answers under (nested plugins' prefixes joined),
    with the string of the innermost one."""
    prefix_node, prefix = None, ""
    parent = node.parent
    while parent is not None:
        if parent.id in plugins:
            outer_node, outer = plugins[parent.id]
            prefix_node, prefix = prefix_node or outer_node, outer + prefix
        parent = parent.parent
    return prefix_node, prefix


_NEST_METHODS = frozenset({b"Get", b"Head", b"All"})


def _nest_routes(root: typescript.Node) -> Iterator[tuple[typescript.Node, str]]:
    """NestJS routes: `@Get('health')` in a `@Controller()` class, `@Get()` in `@Controller('health')`.
    Nest paths carry no leading slash; the route's node is the string that names its last part."""
    for handler in typescript.nest_handlers(root, _NEST_METHODS):
        parts, node = [], handler.decorator
        for call in (handler.controller, handler.arguments):
            argument = call.named_children[0] if call.named_children else None
            if argument is not None and argument.type == "object":
                argument = typescript.object_property(argument, "path")
            value = typescript.string_value(argument)
            if argument is not None and value is None:
                break  # an array of paths, a variable: not followed
            if value and value.strip("/"):
                parts.append(value.strip("/"))
                node = argument
        else:
            yield node, "/" + "/".join(parts)


# GraphQL Yoga answers 200 to every request whose URL ends with its health endpoint: createYoga's option
# `healthCheckEndpoint`, '/health' by default (graphql-yoga 5 server.js and plugins/use-health-check.js)
_YOGA_HEALTH, _YOGA_GRAPHQL = "/health", "/graphql"  # (and `graphqlEndpoint`, '/graphql' by default)
_NODE_SERVERS = re.compile(r"(?:^|\.)(?:createServer|createSecureServer)$")


def _yoga_routes(root: typescript.Node) -> Iterator[tuple[typescript.Node, str]]:
    """GraphQL Yoga's health check, where the file shows where its instance answers: the path of
    `createYoga({ healthCheckEndpoint: '/healthz' })` (the string; '/health' at `createYoga` when the
    option is not given) for an instance given to Node's `createServer` or to `.use(yoga)`, both at the
    root, or mounted with `.use('/graphql', yoga)` (`.use(yoga.graphqlEndpoint, yoga)`) under that path.
    An option fixer cannot read (a variable, a spread), an instance served elsewhere: no route."""
    table = typescript.import_table(root)
    for call in typescript.descendants(root, "call_expression"):
        callee = call.child_by_field_name("function")
        if callee is None or not _is_create_yoga(callee, table):
            continue
        arguments = typescript.list_items(call.child_by_field_name("arguments"))
        options = typescript.unwrap(arguments[0]) if arguments else None
        if options is not None and options.type != "object":
            continue
        node, path = _yoga_option(root, options, "healthCheckEndpoint", callee, _YOGA_HEALTH)
        for prefix in _yoga_mounts(root, call, options) if node is not None and path.startswith("/") else ():
            yield node, prefix.rstrip("/") + path


def _is_create_yoga(callee: typescript.Node, table: dict[str, typescript.Imported]) -> bool:
    """`createYoga` imported (or required) from graphql-yoga, or `yoga.createYoga` of the module's namespace."""
    if callee.type == "identifier":
        imported = table.get((callee.text or b"").decode())
        return imported is not None and imported.module == "graphql-yoga" and imported.name == "createYoga"
    if callee.type == "member_expression" and getattr(callee.child_by_field_name("property"), "text", None) == b"createYoga":
        imported = table.get((callee.child_by_field_name("object").text or b"").decode())
        return imported is not None and imported.module == "graphql-yoga" and imported.name in ("*", "default")
    return False


def _yoga_option(root: typescript.Node, options: typescript.Node | None, key: str, where: typescript.Node,
                 default: str) -> tuple[typescript.Node | None, str]:
    """The string node and value of a createYoga option (a module-level constant's string too);
    `where` and `default` when it is not given; None when fixer cannot read it."""
    if options is None:
        return where, default
    value = typescript.object_property(options, key)
    shorthand = next((c for c in options.named_children
                      if c.type == "shorthand_property_identifier" and c.text == key.encode()), None)
    if value is None and shorthand is None:
        if any(c.type == "spread_element" for c in options.named_children):
            return None, ""  # `{ ...shared }` may set it
        return where, default
    value = typescript.unwrap(value) if value is not None else None
    if value is None or value.type == "identifier":
        value = _module_constant(root, (value or shorthand).text or b"")
    path = typescript.string_value(value)
    return (value, path) if value is not None and path is not None else (None, "")


def _yoga_mounts(root: typescript.Node, call: typescript.Node, options: typescript.Node | None) -> list[str]:
    """Where the Yoga instance `call` makes answers, as far as this file shows: "" for the root
    (`createServer(yoga)`, `app.use(yoga)`), a mount path (`app.use('/graphql', yoga)`)."""
    holder = typescript.outer_parens(call).parent
    uses = [call]
    if holder is not None and holder.type == "variable_declarator" and \
            getattr(holder.child_by_field_name("name"), "type", "") == "identifier":
        name = holder.child_by_field_name("name")
        uses = [n for n in typescript.identifier_references(root, (name.text or b"").decode())
                if n.type == "identifier" and n.id != name.id]
    found = []
    for use in uses:
        given = typescript.outer_parens(use).parent
        served = given.parent if given is not None and given.type == "arguments" else None
        if served is None or served.type != "call_expression":
            continue
        callee = (served.child_by_field_name("function").text or b"").decode("utf-8", "replace")
        items = typescript.list_items(given)
        if _NODE_SERVERS.search(callee):  # `createServer(yoga)`, `https.createServer(options, yoga)`
            found.append("")
        elif callee.endswith(".use") and items and items[-1].id == typescript.outer_parens(use).id:
            if len(items) == 1:
                found.append("")
                continue
            mount = typescript.unwrap(items[0]) if len(items) == 2 else None
            prefix = typescript.string_value(mount)
            if mount is not None and mount.type == "member_expression" and use.type == "identifier" and \
                    getattr(mount.child_by_field_name("property"), "text", None) == b"graphqlEndpoint" and \
                    mount.child_by_field_name("object").text == use.text:  # `app.use(yoga.graphqlEndpoint, yoga)`
                prefix = _yoga_option(root, options, "graphqlEndpoint", call, _YOGA_GRAPHQL)[1] or None
            if prefix is not None and prefix.startswith("/"):
                found.append(prefix)
    return list(dict.fromkeys(found))


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
                if value is not None and value.startswith("/") and is_request_url(other):
                    yield string, value, node
        else:
            subject = node.child_by_field_name("value")  # `(req.url)`
            body = node.child_by_field_name("body")
            if subject is None or body is None or not is_request_url(subject.named_children[0]):
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


def is_request_url(node: typescript.Node | None) -> bool:
    """`req.url`, `url.pathname`, or a variable named `url`/`pathname`: what raw handlers route on; an http2
    stream's `headers[':path']` (`headers[HTTP2_HEADER_PATH]`, `http2.constants.HTTP2_HEADER_PATH`)."""
    if node is None:
        return False
    if node.type == "subscript_expression":
        index = typescript.unwrap(node.child_by_field_name("index"))
        return index is not None and (typescript.string_value(index) == ":path" or (index.text or b"").rpartition(
            b".")[2] == b"HTTP2_HEADER_PATH")
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return prop is not None and prop.text in _URL_NAMES
    return node.type == "identifier" and node.text in _URL_NAMES


def renamed(path: str) -> str:
    return SEGMENT.sub(NEW, path)


_CHAINS = frozenset({"&&", "||"})


def _beside_its_rename(node: typescript.Node) -> bool:
    """`['/health', '/healthz']`, `new Set([…])`, `p === '/health' || p === '/healthz'`, a `switch`
    with `case '/health':` and `case '/healthz':`: the /healthz names a path of its own beside
    /health (a list of paths a middleware skips, say). Renaming it would only repeat /health and
    drop /healthz from the list: it is left as it is."""
    value = typescript.string_value(node)
    if value is None or renamed(value) == value:
        return False
    twin = renamed(value)
    outer = typescript.outer_parens(node)
    holder = outer.parent
    if holder is None:
        return False
    if holder.type == "array":
        return any(typescript.string_value(typescript.inner_parens(item)) == twin for item in typescript.list_items(holder))
    if holder.type == "switch_case" and holder.parent is not None:
        return any(typescript.string_value(case.child_by_field_name("value")) == twin
                   for case in holder.parent.named_children if case.type == "switch_case")
    subject = _compared_with(holder, outer)
    if subject is None:
        return False
    top = holder
    while (parent := typescript.outer_parens(top).parent) is not None and parent.type == "binary_expression" \
            and getattr(parent.child_by_field_name("operator"), "type", "") in _CHAINS:
        top = parent
    return any(_compared_with(comparison, side) == subject and typescript.string_value(side) == twin
               for comparison in _chain_comparisons(top)
               for side in (comparison.child_by_field_name("left"), comparison.child_by_field_name("right"))
               if side is not None)


def _compared_with(comparison: typescript.Node, side: typescript.Node) -> bytes | None:
    """The text `side` is compared with in `comparison` (`p` in `p === '/healthz'`); None when
    `comparison` is no equality test or `side` is not one of its operands."""
    operator = comparison.child_by_field_name("operator") if comparison.type == "binary_expression" else None
    if operator is None or operator.type not in _COMPARISONS:
        return None
    left, right = comparison.child_by_field_name("left"), comparison.child_by_field_name("right")
    if left is None or right is None:
        return None
    other = right if left.id == side.id else left if right.id == side.id else None
    return other.text if other is not None else None


def _chain_comparisons(node: typescript.Node) -> Iterator[typescript.Node]:
    """The equality tests an `||`/`&&` chain is made of."""
    node = typescript.inner_parens(node)
    if node.type != "binary_expression":
        return
    operator = node.child_by_field_name("operator")
    if operator is not None and operator.type in _CHAINS:
        for side in (node.child_by_field_name("left"), node.child_by_field_name("right")):
            if side is not None:
                yield from _chain_comparisons(side)
    else:
        yield node


# --- where a route answers: the receivers of routes (their mounts: fixer.mounts) ---------


def _receivers_of(source_file: SourceFile) -> tuple[tuple[int, int, str], ...]:
    """(line, col) of a route's path -> what it is registered on (`router`, `api`): where that
    answers is `fixer.mounts`' to say."""
    root = source_file.tree.root_node
    receivers = []
    for call in typescript.iter_member_calls(root):
        if call.method not in ROUTE_METHODS or not call.args:
            continue
        receiver = (typescript.inner_parens(call.object).text or b"").decode("utf-8", "replace")
        for node, _value in registered_paths(call, root):
            receivers.append((*source_file.line_col(node.start_byte), receiver))
    return tuple(receivers)


RECEIVERS = FactsSpec("health-endpoints/receivers", _receivers_of, CODE_KINDS, (b"/health",), version=2)  # 2: restify route options objects


def _twin_standing(repo: Repo, resolver: mounts.Resolver, health: Route, old: Route) -> str | None:
    """Whether a /health route answers where `old`'s rename would: "root" (a twin), "apart" (it
    answers only under a prefix: `app.use('/api/v1', router)`'s `router.get('/health')`), None
    when fixer cannot tell (`mounts.Standing.certain`). One on the same receiver as `old`, in the
    same file, answers beside it wherever that is mounted; one fixer has no receiver for (a raw
    handler, a NestJS controller, a Fastify plugin's prefix) answers at the root as before."""
    found = repo.facts_of(RECEIVERS).get(health.file)
    receivers = {(line, col): receiver for line, col, receiver in found or ()}
    receiver = receivers.get((health.line, health.col))
    if health.raw or health.decorator or receiver is None:
        return "root"
    if health.file == old.file and receivers.get((old.line, old.col)) == receiver:
        return "root"
    standing = resolver.standing(health.file, receiver).certain()
    if standing is None:
        return None
    return "root" if "" in standing else "apart"


# --- per file ---------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    if source_file.kind in CODE_KINDS:
        yield from _scan_code(source_file, context)
    else:
        probes = probes_in(source_file)
        sharing: dict[tuple[int, int], set[str | None]] = defaultdict(set)  # a YAML anchor's text: every user
        for probe in probes:
            for span in probe.spans:
                sharing[span] |= {probe.service} | _builders(source_file.repo, probe)
        for probe in probes:
            yield from _follow_probe(source_file, probe, context, sharing)
        if source_file.kind == "compose":
            yield from _scan_compose_urls(source_file, context)
        for file, start, end, line, col, service in context.gateway:
            if file == source_file.path and service in context.follow:
                # (with keep-alias the old path must keep answering: API Gateway routes one path per event)
                yield Finding(INFO.id, file, line, col, _GATEWAY_ALIAS) if context.keep_alias else \
                    Finding(INFO.id, file, line, col, _GATEWAY_FOLLOWS, (Edit(file, start, end, "health"),))


def _scan_code(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    service = source_file.service
    own = _owner(dict(context.servers), source_file.path)
    own_port = service.port if service else None
    held = {line: why for file, line, why in context.held if file == source_file.path}
    # a test's own app is the test's: its /healthz strings follow the service's rename as any
    # reference does (the test's requests with them), but it is no route of the service's
    registered = list(find_route_registrations(source_file)) + list(dict(context.indirect).get(source_file.path, ()))
    found = registered if _serving(source_file.path, context.scripts) else []
    routes = {(r.line, r.col) for r in found}
    # `app.get(['/health', '/healthz'], …)`: the alias is registered on purpose, leave it
    aliases = {(r.line, r.col) for r in registered if renamed(r.path) != r.path and renamed(r.path) in r.together}
    planned: list[tuple[int | None, Finding]] = []  # (string node renamed, finding)
    for node in typescript.captures(source_file.kind, STRINGS, source_file.tree.root_node).get("s", []):
        literal = typescript.string_literal(node)
        if literal is None:
            continue
        if source_file.line_col(node.start_byte) in aliases or _beside_its_rename(node):
            continue
        raw = source_file.data[literal.start : literal.end].decode("utf-8", "replace")
        appended = _appended_to_expression(node)
        base = _client_base_url(source_file, node)
        for match in SEGMENT.finditer(raw):
            offset = literal.start + len(raw[: match.start()].encode())
            line, col = source_file.line_col(offset)
            if line in held:
                if not context.keep_alias:
                    planned.append((None, Finding(INFO.id, source_file.path, line, col, held[line])))
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
    for route in found:  # (seen, not renamed: said, so the human hears of it)
        if context.keep_alias and route.via == "yoga" and held.get(route.line) == _YOGA_ALONE:
            planned.append((None, Finding(INFO.id, source_file.path, route.line, route.col, held[route.line])))
        if route.decorator and SEGMENT.search(route.path) and renamed(route.path) != route.path \
                and not route.via.startswith("next"):  # (told of in `finish`: the file may not name /healthz)
            planned.append((None, Finding(INFO.id, source_file.path, route.line, route.col, _KEPT.get(route.via, _NEST_KEPT).format(path=route.path))))
    renames = [change for _node, finding in planned for change in finding.changes if isinstance(change, Edit)]
    aliased = _alias_edits(source_file, context, renames) if context.keep_alias and own in context.follow and found else {}
    done: set[int] = set()
    for start, finding in planned:
        if start is None or start not in aliased:
            yield finding
        elif start not in done:  # the route keeps /healthz; its /health twin is registered
            done.add(start)  # (or, where none can be, it is renamed: the finding says why)
            yield aliased[start] if aliased[start].changes else replace(finding, message=aliased[start].message)


_RENAMED = "serves /healthz; route renamed to /health"
_ALIASED = "route /healthz: /health registered beside it (keep-alias)"
_YOGA_ALONE = ("serves /healthz through GraphQL Yoga's healthCheckEndpoint, which takes one path: keep-alias cannot "
               "register /health beside it, so the route and its probes are left on /healthz (run without keep-alias "
               "to rename both)")
_NEST_KEPT = ("serves /healthz through a NestJS route decorator, which fixer does not rename (nor the probes that "
              "call it): to standardise, rename the route to 'health' and point the service's probes at /health by hand")
_KEPT = {
    "table": ("serves {path} through an entry of a route table a loop registers, which fixer does not rename (nor "
              "the probes that call it): to standardise, change the entry's path to /health and point the service's "
              "probes at /health by hand"),
    "trpc": ("serves {path} as a tRPC procedure, which fixer does not rename (nor the probes that call it): to "
             "standardise, rename the procedure to `health` (its clients too) and point the service's probes at "
             "/health by hand"),
}
_UNSEEN = ("{label} calls /healthz, on which fixer finds no route of {name} (a route table, a framework fixer does not "
           "read, a handler answering every path, a package it imports without depending on it, a route built at run time "
           "may serve it): if {name} serves /healthz, rename that route to /health and "
           "point this probe at it by hand; if nothing serves it, the probe fails")
_GATEWAY_FOLLOWS = "API Gateway routes healthz to the service's Lambda function; follows the rename to /health"
_GATEWAY_ALIAS = ("API Gateway routes healthz to the service's Lambda function, one path per event: with keep-alias "
                  "fixer leaves it, so /healthz keeps answering; add an event on /health beside it by hand")
_UNMAPPED = ("calls /healthz, but fixer cannot tell which service it probes: point it at /health "
             "by hand if that service's route was renamed")


def _directory_message(file: str, path: str) -> str:
    directory = posixpath.dirname(file)
    return (f"serves {path} as {directory}/ under @fastify/autoload (a directory's name is its routes' prefix), and "
            f"fixer renames no directory: rename {directory}/ to {renamed('/' + posixpath.basename(directory))[1:]}/ and point the "
            "service's probes at /health by hand")


def _next_message(path: str, before: str, after: str, twin: str, rewrites: str = "") -> str:
    what = "folder" if before.endswith("/") else "file"
    rewrite = f"; {rewrites}" if rewrites else ""
    if twin:
        return (f"serves {path} by its {what} {before} (Next.js routes by a file's place), and {renamed(path)} is served "
                f"too ({twin}): delete {before} (fixer deletes no route) and point the service's probes at "
                f"{renamed(path)} by hand{rewrite}")
    return (f"serves {path} by its {what} {before} (Next.js routes by a file's place), and fixer moves no {what}: move "
            f"it to {after} (git mv) and point the service's probes at {renamed(path)} by hand{rewrite} (to keep {path} "
            f"answering during a rollout, leave it and add a route at {after} that re-exports what it exports)")


def _next_rewrite_message(route: Route, twin: str) -> str:
    if twin:
        return (f"serves {route.path} by a rewrite in {route.file} (Next.js rewrites()), and {renamed(route.path)} is "
                f"served too ({twin}): delete this rewrite (fixer edits no next.config) and point the service's probes "
                f"at {renamed(route.path)} by hand")
    return (f"serves {route.path} by a rewrite in {route.file} (Next.js rewrites()), and fixer edits no next.config: "
            f"change its source to {renamed(route.path)} and point the service's probes at it by hand (to keep "
            f"{route.path} answering during a rollout, add a second rewrite instead)")


def _twin_message(names: str) -> str:
    return (f"{names} registers both /health and /healthz: keep /health and delete the /healthz route "
            "(or set keep-alias to serve both on purpose)")


def _unmounted_twin_message(health: Route) -> str:
    return (f"serves /healthz, and {health.path} is registered at {health.file}:{health.line} on a router or app "
            "whose mount fixer cannot follow (made in a function, passed around, or mounted with a prefix it "
            "cannot read): if that answers at the root /health, delete the /healthz route; if it answers under "
            "a prefix, rename /healthz to /health and point the service's probes at it by hand")


def _stranger_message(importer: str) -> str:
    return (f"serves /healthz, but {importer} without depending on its package: fixer cannot tell whose "
            "probes follow, so the route is left as it is (rename it and those probes by hand, or set keep-alias)")


def _doubt_message(name: str, doubt: Doubt) -> str:
    if doubt.gateway:
        return (f"serves /healthz, but {doubt.path}, a Lambda template that may route requests to {name}, names healthz "
                f"at {doubt.probe}, which {doubt.why}: the route is left as it is, or what calls it there would call a "
                "path nothing serves (rename the route and that path by hand, or set keep-alias to serve both paths)")
    if doubt.runs:
        what = (f"runs {doubt.runs}, which calls /healthz and which fixer does not edit" if doubt.read else
                f"runs {doubt.runs}, which fixer cannot read (a script or program of the image: it may call /healthz)")
        return (f"serves /healthz, but the {doubt.probe} in {doubt.path} {what}: the route is left as it is, or that "
                "probe would call a path nothing serves (rename the route and point what the probe runs at /health "
                "by hand, or set keep-alias to serve both paths)")
    if doubt.probe:
        return (f"serves /healthz, but the {doubt.probe} in {doubt.path} calls /healthz and fixer cannot tell which "
                f"service it probes (it may be {name}'s): the route is left as it is, or that probe would call a path "
                "nothing serves (rename the route and point the probe at /health by hand, or let fixer see whose it "
                "is: a compose service named after the service, a Dockerfile that copies, builds or runs its directory)")
    return (f"serves /healthz, but {doubt.path}, which may hold {name}'s probes, could not be read ({doubt.why}): the "
            "route is left as it is, or a probe there would call a path nothing serves (rename the route and that "
            "file's probes by hand, or make the file readable and run again)")


def _builders(repo: Repo, probe: Probe) -> set[str | None]:
    """The services built with the Dockerfile that holds a HEALTHCHECK (`docker/node.Dockerfile`
    of both the compose services `booking` and `payments`): each runs it."""
    if probe.source != "dockerfile":
        return set()
    return {service.dir for service in repo.services if probe.file in service.dockerfiles}


def _anchor_message(names: list[str], dockerfile: str = "") -> str:
    if dockerfile:
        return (f"serves /healthz, and its HEALTHCHECK in {dockerfile} is also that of {', '.join(names)} (built with the "
                "same Dockerfile), which keep(s) /healthz: the route is left as it is (give each service its own "
                "HEALTHCHECK first)")
    return (f"serves /healthz, and its probe shares its text (a YAML anchor) with {', '.join(names)}, which "
            "keep(s) /healthz: the route is left as it is (give each service its own healthcheck first)")


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
    `renames` are the file's other /healthz -> /health edits (a copied route carries them).
    A finding without an edit is a route keep-alias cannot keep: `_scan_code` renames it, with that message."""
    found: dict[int, Finding] = {}
    root = source_file.tree.root_node
    # a path array only where the receiver is known to take one (checked against the packages: Express 4 and 5,
    # @koa/router and koa-router serve both paths; Hono's `app.get` serves neither, Fastify, restify and hapi refuse
    # one at start-up): the file makes its app with such a framework and with none of those. Elsewhere — a receiver
    # imported from another file, whose framework this file does not tell — the route is copied, which every
    # framework takes
    modules = typescript.imported_modules(source_file.kind, root)

    def uses(pattern: re.Pattern[str]) -> bool:
        return any(pattern.search(module) for module in modules)

    arrays = uses(_ARRAY_FRAMEWORKS) and not uses(_ONE_PATH_FRAMEWORKS)
    imported = typescript.import_table(root)
    # a route in a chain (`new Hono().get('/healthz', h)`) is copied as a link of it where its framework's route
    # methods return what they are called on: the file makes its app with such a framework and with none whose do not
    chaining = uses(_CHAINING_FRAMEWORKS) and not uses(_UNCHAINED_FRAMEWORKS)
    framework = "hapi" if uses(_HAPI) and not uses(_FASTIFY) else "fastify" if uses(_FASTIFY) and not uses(_HAPI) else ""
    for call in typescript.iter_member_calls(root):
        if call.method not in ROUTE_METHODS or not call.args:
            continue
        paths = registered_paths(call)
        values = {value for _node, value in paths}
        receiver = call.object.text.decode() if call.object.type == "identifier" and call.object.text else ""
        for node, value in paths:
            if not SEGMENT.search(value) or renamed(value) in values:
                continue
            line, col = source_file.line_col(node.start_byte)
            if any(file == source_file.path and at == line for file, at, _why in context.held):
                continue
            root_of = _chain_root(call.object)
            foreign = root_of.type == "identifier" and (root_of.text or b"").decode() in imported and \
                not _CHAINING_FRAMEWORKS.search(imported[(root_of.text or b"").decode()].module)
            alias = _alias(source_file, call, node, value, renames, arrays and receiver not in imported,
                           chaining and not foreign, framework)
            found[node.start_byte] = Finding(INFO.id, source_file.path, line, col, _NO_ALIAS.format(why=alias)) \
                if isinstance(alias, str) else Finding(INFO.id, source_file.path, line, col, _ALIASED,
                                                        alias if isinstance(alias, tuple) else (alias,))
    for node, value, anchor in _raw_http_paths(root):
        line, col = source_file.line_col(node.start_byte)
        if not SEGMENT.search(value):
            continue
        edit = _raw_alias(source_file, node, value, anchor)
        found[node.start_byte] = Finding(INFO.id, source_file.path, line, col,
                                         _ALIASED, (edit,))
    return found


_ARRAY_FRAMEWORKS = re.compile(r"^(?:express|@koa/router|koa-router)$")
_ONE_PATH_FRAMEWORKS = re.compile(r"^(?:hono(?:/.+)?|@hono/.+|restify|fastify|@hapi/hapi|hapi)$")
# route methods returning the app or router they are called on (checked with the packages: Express 4 and 5,
# @koa/router, Fastify, Hono), so `X.get('/health', h).get('/healthz', h)` registers both on X; restify's return the
# route's name and hapi's `server.route` nothing
_CHAINING_FRAMEWORKS = re.compile(r"^(?:express|@koa/router|koa-router|fastify|hono(?:/.+)?)$")
_UNCHAINED_FRAMEWORKS = re.compile(r"^(?:restify|@hapi/hapi|hapi)$")
_HAPI = re.compile(r"^(?:@hapi/hapi|hapi)$")
_FASTIFY = re.compile(r"^(?:fastify|fastify-plugin)$")
# keys of a route object that Fastify's `.route({ … })` takes and hapi refuses ("Invalid route options")
_FASTIFY_ROUTE_KEYS = frozenset({"url", "schema", "preHandler", "onRequest", "preParsing", "preValidation",
                                 "preSerialization", "onSend", "onResponse", "onTimeout", "onError", "logLevel",
                                 "exposeHeadRoute", "constraints", "bodyLimit", "attachValidation", "errorHandler",
                                 "prefixTrailingSlash", "validatorCompiler", "serializerCompiler", "logSerializers"})
_NO_ALIAS = (_RENAMED + ": keep-alias cannot register /health beside it here ({why}); to keep /healthz answering "
             "callers outside this repository, register the route on /healthz again by hand")


def _alias(source_file: SourceFile, call: typescript.MemberCall, node: typescript.Node, value: str,
           renames: list[Edit], arrays: bool, chaining: bool = False,
           framework: str = "") -> Edit | tuple[Edit, ...] | str:
    """The edit registering /health beside the route path `node` of `call`, or why there is none. `arrays`: the
    receiver is known to take a path list; `chaining`: its route methods are known to return it; `framework`:
    "hapi" or "fastify" where the file's imports tell which of them its route objects are given to."""
    quote = (node.text or b"'")[:1].decode()
    twin = f"{quote}{renamed(value)}{quote}"
    parent = node.parent
    if parent is not None and parent.type == "array":  # a path list already (`app.get(['/healthz', '/ready'], h)`,
        return Edit(source_file.path, node.start_byte, node.start_byte, f"{twin}, ")  # Hono's `on`): one more
    route = parent.parent if parent is not None and parent.type == "pair" else None  # `{ path: '/healthz', … }`
    if route is not None and route.type == "object":
        clash = _unique_route_id(route, framework)
        if clash:
            return clash
        if route.parent is not None and route.parent.type == "array":  # hapi's `server.route([{ path }, …])`
            return _copy_alias(source_file, route, renames, ",")
        statement = typescript.outer_parens(call.call).parent
        if framework == "hapi" and call.method == "route" and call.args[0] == route and \
                (statement is None or statement.type != "expression_statement"):  # (no statement of its own to copy)
            copy = _copy_alias(source_file, route, renames, ",")  # `server.route([{ copy }, { route }])`
            return replace(copy, text="[" + copy.text), Edit(source_file.path, route.end_byte, route.end_byte, "]")
    path_argument = call.args[1] if call.method == "on" and len(call.args) > 1 else call.args[0]
    # (not @koa/router's named route: `router.get(name, [paths])` throws; Hono's `app.on(method, [paths])` serves both)
    if (arrays or call.method == "on") and node == path_argument:
        return Edit(source_file.path, node.start_byte, node.end_byte, f"[{twin}, {(node.text or b'').decode()}]")
    # a route of its own: its statement is copied (not one chained after another route: that would register the
    # other twice, and Fastify refuses a route declared twice at start-up)
    statement = typescript.outer_parens(call.call).parent
    chain = _chain(call)
    below = [link for link in chain if link.call.end_byte <= call.object.end_byte]
    if statement is not None and statement.type == "expression_statement" and not any(map(_registers, below)):
        return _copy_alias(source_file, statement, renames, "")
    builder = _builds(call)
    if not builder and (chaining or _chained_routes(call, chain)):
        return _copy_link(source_file, call, renames)
    # elsewhere, a route on a name (not `express.Router().route(…)`, which would make another router) that is the
    # whole value of its statement (`const name = server.get('/healthz', h)`, `module.exports = app.get(…)`) gets a copy as
    # a statement of its own before it; so does Express's route builder, `router.route('/healthz').get(h).head(h)`,
    # its whole chain where the chain registers no other path
    above = [link for link in chain if link.call.end_byte > call.call.end_byte]
    top = call.call if not builder else chain[-1].call if not any(map(_registers, above)) else None
    statement = _whole_value_of(top) if top is not None else None
    if statement is not None and not any(part.type in ("call_expression", "new_expression")
                                         for part in typescript.walk(call.object)):
        if statement.type == "expression_statement" and typescript.outer_parens(top).parent == statement:
            return _copy_alias(source_file, statement, renames, "")
        return _copy_alias(source_file, statement, renames, "", top)
    return ("the route is part of an expression, not a statement of its own fixer can copy, and its framework is not "
            "known to take an array of paths, nor to return the app from a route for a copy chained beside it")


_STATEMENT_LISTS = frozenset({"program", "statement_block", "switch_case", "switch_default"})


def _whole_value_of(node: typescript.Node) -> typescript.Node | None:
    """The statement whose whole value `node` is, evaluated each time it runs, in a list of statements (where
    another can be put before it): `node;`, `const x = node;`, `x = node;`, `return node;`, `export default node`."""
    outer = typescript.outer_parens(node)
    holder = outer.parent
    if holder is None:
        return None
    if holder.type == "variable_declarator" and holder.child_by_field_name("value") == outer:
        statement = holder.parent
    elif holder.type == "assignment_expression" and holder.child_by_field_name("right") == outer:
        statement = typescript.outer_parens(holder).parent
    else:
        statement = holder
    if statement is None or statement.type not in ("lexical_declaration", "variable_declaration", "expression_statement",
                                                   "return_statement", "export_statement"):
        return None
    if statement.parent is not None and statement.parent.type == "export_statement":
        statement = statement.parent
    return statement if statement.parent is not None and statement.parent.type in _STATEMENT_LISTS else None


def _unique_route_id(route: typescript.Node, framework: str) -> str:
    """Why a route object (`{ path: '/healthz', … }`) cannot be copied: hapi refuses a second route with its id
    (`options: { id }`, `config: { id }`: it throws at start-up). "" where it can: a route with no id, or Fastify's,
    whose `config` is data of the user's own (a route object with a key only Fastify takes, or one of a file making
    its app with Fastify and not hapi). Where fixer cannot tell which, the id is taken as hapi's."""
    for key in ("options", "config"):
        settings = typescript.object_property(route, key)
        ident = typescript.object_property(settings, "id") if settings is not None else None
        if ident is None:
            continue
        keys = {typescript.key_name(key_node) for pair in route.named_children
                if pair.type == "pair" and (key_node := pair.child_by_field_name("key")) is not None}
        if framework == "fastify" or keys & _FASTIFY_ROUTE_KEYS:
            return ""
        if framework == "hapi":
            return f"hapi refuses a second route with its id {typescript.node_text(ident)}"
        return (f"a hapi route's id is unique, and fixer cannot tell whether this route with the id "
                f"{typescript.node_text(ident)} is hapi's or Fastify's")
    return ""


def _chain(call: typescript.MemberCall) -> list[typescript.MemberCall]:
    """The member calls of the chain `call` is a link of, from its first to its last: `app.get(…).get(…)`."""
    first = call
    while (below := typescript.member_call(typescript.inner_parens(first.object))) is not None:
        first = below
    links, link = [first], first
    while True:
        holder = typescript.outer_parens(link.call).parent
        above = typescript.member_call(holder.parent) if holder is not None and holder.type == "member_expression" \
            and holder.parent is not None and holder.parent.child_by_field_name("function") == holder else None
        if above is None:
            return links
        links.append(above)
        link = above


def _chain_root(node: typescript.Node) -> typescript.Node:
    """What a chain of calls starts from: `app` of `app.get(…).get(…)`, `new Hono()` of `new Hono().get(…)`."""
    while True:
        node = typescript.inner_parens(node)
        if node.type == "call_expression" and node.child_by_field_name("function") is not None:
            node = node.child_by_field_name("function")
        elif node.type == "member_expression" and node.child_by_field_name("object") is not None:
            node = node.child_by_field_name("object")
        else:
            return node


def _chained_routes(call: typescript.MemberCall, chain: list[typescript.MemberCall]) -> bool:
    """Whether the code chains a route on what `call`'s neighbour returns (`app.get('/ready', h).get('/healthz', h)`,
    `app.get('/healthz', h).get('/ready', h)`): whatever the framework, its route methods return their receiver."""
    at = next(index for index, link in enumerate(chain) if link.call == call.call)
    neighbours = chain[max(at - 1, 0) : at] + chain[at + 1 : at + 2]
    return any(_registers(link) and not _builds(link) for link in neighbours)


def _builds(call: typescript.MemberCall) -> bool:
    """Whether a call is Express's route builder, `router.route('/healthz')`, returning a route, not the router."""
    return call.method == "route" and len(call.args) == 1 and call.args[0].type != "object"


def _registers(link: typescript.MemberCall) -> bool:
    """Whether a call registers a route on a path (`.get('/ready', h)`; not `.listen(3000)`, `.get(h)` of a builder)."""
    return link.method in ROUTE_METHODS and bool(link.args) and bool(registered_paths(link))


def _copy_link(source_file: SourceFile, call: typescript.MemberCall, renames: list[Edit]) -> Edit:
    """A copy of the link `call` is of its chain (`.get('/healthz', h)`: from its receiver's end to its own),
    placed before it: `X.get('/health', h).get('/healthz', h)`, one per line where the chain has one per line. The
    copy is the text as this run leaves it, route path renamed (see `_copy_alias`)."""
    start = call.object.end_byte
    return Edit(source_file.path, start, start, _left_as(source_file, start, call.call.end_byte, renames).decode())


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


def _copy_alias(source_file: SourceFile, node: typescript.Node, renames: list[Edit], separator: str,
                part: typescript.Node | None = None) -> Edit:
    """A copy of `node` (the route's statement; a hapi route object, then `separator` is ","), placed before it;
    with `part`, a copy of that part of the statement (the route call of `const name = server.get(…)`) as a
    statement of its own. The copy is the text as this run leaves it (`'probe on /healthz'` in its body renamed
    too), route path renamed, so the next run finds nothing left to rename in it."""
    twin = _left_as(source_file, (part or node).start_byte, (part or node).end_byte, renames)
    if part is not None:  # (`;`, unless the file ends its statements without one and this one needs none)
        ends = (node.text or b"").rstrip().endswith(b";") or not (node.text or b"")[:1].isalpha()
        twin += b";" if ends else b""
    start = node.start_byte
    own_line = not source_file.data[typescript.line_start(source_file.data, start) : start].strip()
    glue = f"{separator}\n{source_file.text.indent_at(start)}" if own_line else f"{separator} "
    return Edit(source_file.path, start, start, f"{twin.decode()}{glue}")


def _left_as(source_file: SourceFile, start: int, end: int, renames: list[Edit]) -> bytes:
    """The bytes [start, end) of the file as this run's `renames` leave them."""
    text = source_file.data[start:end]
    for edit in sorted((e for e in renames if start <= e.start and e.end <= end), key=lambda e: -e.start):
        text = text[: edit.start - start] + edit.text.encode() + text[edit.end - start :]
    return text


def _follow_probe(source_file: SourceFile, probe: Probe, context: Context,
                  sharing: dict[tuple[int, int], set[str | None]]) -> Iterator[Finding]:
    """`sharing`: the services of every probe by the text it is in (a compose anchor
    merged into several services is one text): edited only when all of them follow."""
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
            staying = sorted(other or "the root service" for other in sharing[(start, end)] - {probe.service}
                             if other not in context.follow)
            if staying and probe.source == "dockerfile":
                yield Finding(INFO.id, source_file.path, line, col,
                              f"{probe.label} calls /healthz, and {', '.join(staying)}, built with this Dockerfile "
                              "too, keep(s) /healthz: give each its own HEALTHCHECK")
                continue
            if staying:
                yield Finding(INFO.id, source_file.path, line, col,
                              f"{probe.label} calls /healthz, in text it shares (a YAML anchor) with "
                              f"{', '.join(staying)}, which keep(s) /healthz: give each its own healthcheck")
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
    served, servers = dict(context.served), dict(context.servers)
    answering: dict[str, set[int | None]] = {}  # service -> the ports of its servers answering every path
    for path, ports in repo.facts_of(CATCH_ALL).items():
        if ports and (service := repo.service_for(path)) is not None:
            answering.setdefault(service.dir, set()).update(ports)
    for file, line, col, path in context.directories:
        yield Finding(INFO.id, file, line, col, _directory_message(file, path))
    for file, line, col, path, before, after, twin, sent in context.moves:
        yield Finding(INFO.id, file, line, col, _next_message(path, before, after, twin, sent))
    for file, line, col, why in context.notes:
        yield Finding(INFO.id, file, line, col, why)
    for file, _start, _end, line, col, service in context.gateway:  # (one that follows: scan() renames it)
        paths = served.get(service, frozenset())
        offered = ", ".join(sorted(p for p in paths if HEALTH_LIKE.search(p)))
        if service not in context.follow and offered and not any(SEGMENT.search(p) for p in paths):
            name = next((s.name for s in repo.services if s.dir == service), "the root service")
            yield Finding(INFO.id, file, line, col, f"API Gateway routes healthz to {name}'s Lambda function, which "
                                                    f"serves no /healthz (it serves {offered}): point this path at its "
                                                    "health route by hand")
    for probe in all_probes(repo):
        if probe.disabled or probe.url_path is None or probe.service is None:
            continue
        paths = served.get(probe.service, frozenset())
        if not any(HEALTH_LIKE.search(p) for p in paths):
            # no health route visible: nothing to compare against, but a probe on /healthz is this fix's to tell of
            # (one tied to the root, which may be any service's, is told of at the /healthz routes it may probe)
            doubted = probe.service == "" and any(SEGMENT.search(p) for paths_ in served.values() for p in paths_)
            if SEGMENT.search(probe.url_path) and not probe.external and not doubted \
                    and not _answered(repo, probe, answering.get(probe.service, set())):
                service = next((s for s in repo.services if s.dir == probe.service), None)
                yield Finding(INFO.id, probe.file, probe.line, probe.col, _UNSEEN.format(
                    label=probe.label, name=service.name if service else "the root service"))
            continue
        if _serves(paths, probe.url_path):
            continue
        if SEGMENT.search(probe.url_path) and probe.service in context.follow:
            continue  # scan() points it at /health
        service = next((s for s in repo.services if s.dir == probe.service), None)
        name = service.name if service else "the root service"
        offered = ", ".join(sorted(p for p in paths if HEALTH_LIKE.search(p)))
        message = f"{probe.label} probes {probe.url_path}, which no route of {name} serves (it serves {offered})"
        if not HEALTH_LIKE.search(probe.url_path.rstrip("/")):
            if probe.url_path.rstrip("/") == "":
                continue  # routes on / are not gathered (every file names '/'): no claim from a partial view
            # (its routes were looked for in every file naming the path, `_probed_routes`: a static file,
            # a parameter's route, a path built at run time are not seen)
            message = (f"{probe.label} probes {probe.url_path}, on which fixer finds no route of {name} (it serves "
                       f"{offered}): point it at the health route, unless a static file or a route built at run "
                       "time serves it")
        after_rename = paths | {renamed(p) for p in paths}
        if probe.service in context.follow and _serves(after_rename, probe.url_path):
            # (with keep-alias the route is not renamed: the /health registered beside it answers the probe)
            fixing = [finding for finding in findings if finding.message.startswith((_RENAMED, _ALIASED))
                      and _serves_from(repo, servers, finding.path, probe.service)]
            renames = tuple(change for finding in fixing for change in finding.changes)
            how = "the /health route registered beside /healthz (keep-alias)" \
                if any(finding.message.startswith(_ALIASED) for finding in fixing) else "the route rename"
            yield Finding(INFO.id, probe.file, probe.line, probe.col, f"{message}; {how} fixes it", renames)
            continue
        yield Finding(INFO.id, probe.file, probe.line, probe.col, message)


def _answered(repo: Repo, probe: Probe, ports: set[int | None]) -> bool:
    """Whether a server of the probe's service answering every path (`CATCH_ALL`) answers the probe: one on a port
    fixer cannot read, or on the port of the probe's URL (any, when fixer cannot read that)."""
    if not ports:
        return False
    source_file = repo.read(probe.file)
    url = URL.search(probe.text(source_file)) if source_file is not None else None
    port = (url.group("port") or ("443" if url.group("scheme").lower() == "https" else "80")) if url is not None else ""
    return None in ports or not port.isdigit() or int(port) in ports


def _serves_from(repo: Repo, servers: dict[str, tuple[str, ...]], path: str, service: str) -> bool:
    """Whether `service` serves the routes of the file at `path` (its own, or a package's it uses)."""
    owner = _owner(servers, path)
    return owner is not None and service in servers[owner]


def _serves(paths: frozenset[str], probe_path: str) -> bool:
    probe_path = probe_path.rstrip("/") or "/"
    return any(probe_path == p or (p != "/" and probe_path.endswith(p)) for p in paths)
