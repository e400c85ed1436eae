"""Initialise at start-up with retries, add a `/ready` probe, and answer 503 until ready.

## What it does

Finds lazy first-request initialisation: an Express `app.use([path,] async (req, res, next) => …)`
middleware that, while a module-level flag is false (`let servicesInitialized = false`, whatever
its name: `booted`, `connected`, `warm`),
awaits an init function and sets the flag (the audit's course-service and
student-service shape), the same with the flag kept inside the init function (`async function
initialize() { if (initialized) return; …; initialized = true }`, which the middleware awaits on
every request: `[try {] await initialize(); [} catch (e) { log; answer }]`) — also when the init function
is imported from another module that keeps its flag there (`export async function initDb() { if
(initialized) return; …; initialized = true }` in db.ts: this module gets a flag of its own, `let initDbDone
= false`, which the start-up loop sets after `await initDb()` and the guard and /ready test) —, the Koa variant
(`app.use(async (ctx, next) => …)` on a `new Koa()` app, answering with `ctx.status = 503;
ctx.body = …; return`), the Hono variant (`app.use('*', async (c, next) => …)` on a `new Hono()` app
the module serves with @hono/node-server's `serve({ fetch: app.fetch })` or on a sub-app it mounts on that
app (`app.route('/api', api)`: /ready goes on the served app), answering `return c.json(…, 503)`; a Hono
middleware may be made with hono/factory's `createMiddleware(async (c, next) => …)`) and the Fastify variant in an `addHook('preHandler' | 'onRequest', …)`
hook; the middleware is written in the call or is a module-level function it names
(`app.use(lazyInit)`, rewritten when that is its only use in the module, not exported).
It rewrites them as the audit's Fix 6:

- the init function runs when the module loads, in a loop that retries with exponential
  backoff (1 s, 2 s, 4 s … capped at 30 s) until it succeeds, then sets the same flag and
  logs through the repository's logger (in pino's `(meta, message)` order when the file's
  logger is made by `pino()`, decided per file: a repository can mix winston and pino
  services), else through the pino logger of a Fastify instance the file makes with one
  (`Fastify({ logger: true })`: `app.log`, as graceful-shutdown does: `logger.writing_logger`),
  else console, the finding saying so and why; the init function and flag keep their names. A
  start-up IIFE that already runs the init once (`try { await init(); flag = true } catch
  { log }`, the audit's Fix 6 with the middleware left in) is replaced by the loop, so the
  init never runs twice at once;
- one `/ready` route answers 503 with a JSON body until every rewritten flag is set, 200
  after (unless the app already has `/ready` or `/readyz`); on a Koa app, which has no
  `app.get`, it is a middleware of the app's, placed before the guard; on a Hono app it is
  `app.get('/ready', (c) => …)`, answering `c.json(…, 503)`;
- `/health` stays as it is: cheap liveness that never waits for the database;
- the lazy middleware no longer initialises: it answers 503 (the service's own 503 body
  when it had one) to every request that arrives before initialisation has finished, so no
  request reaches uninitialised services. The guard lets `/health` and `/ready` through
  when they would reach it: in Express when they are registered after the middleware, in
  Fastify always (a hook runs for every route of its instance, whatever the order), in Koa
  always (`/health` is usually served by a router mounted later, often from another file), in Hono
  like Express (by `c.req.path`), compared
  by path without the query string (`/health?probe=1` is `/health`). `/health` is found the
  way health-endpoints finds it: `app.get('/health', …)`, `app.route('/health').get(…)`,
  `app.use('/health', router)`, a module-level `const HEALTH = '/health'`, or an array
  (`app.get(['/health', '/live'], …)`, whose other paths are let through too). A Fastify
  hook that leaves out its unused parameters (`async () => …`) gets `(request, reply)`,
  which the 503 needs; a TypeScript Hono middleware that returned no value ends with `return
  next()` instead of `await next()` (the 503 is returned: TS7030 under `noImplicitReturns` otherwise).

Only a guard of the shape `[try {] [name =] await init(…); flag = true; [} catch (e) { log;
answer }]` is moved, where `name` is a module-level variable (the start-up loop keeps the
assignment) and `init(…)` uses nothing of the middleware (`req`, its locals). Any other
guard — a second init call, a local, a `catch` that cleans up, a `finally` — would lose
code if only the call moved: it is reported, to be moved by hand; so is a lazy guard beside
any other start-up call of the same init (a `listen` callback, an IIFE that does more, code
anywhere else in the file that runs the init and sets the flag: a `startServer()` function, an
IIFE under `if (process.env.NODE_ENV !== 'test')`), a guard on a router rather than the app
(the object created by `express()` / `Fastify()` or that `listen`s): a `/ready` on a router
mounted at `/api` would answer at `/api/ready`, and a Fastify hook added inside a function
(a plugin, `fp(async (fastify) => { fastify.addHook(…) })`): where the root instance starts,
and under which prefix the plugin is registered, is decided elsewhere; likewise Express middleware
added inside a function (`function setup(app) { app.use(lazyInit) }`, called by the entry point): the
callers decide which app it sets up and when it listens. A Hono app this module does not serve with
@hono/node-server (exported for Bun, Deno or Cloudflare Workers, whose module top level may not do I/O
or set timers, or a sub-app another module mounts with `app.route('/api', sub)`) is reported, and so is a
TypeScript Hono middleware that returns nothing and does not end with `await next()`. A guard on state
another module keeps (`if (!isReady()) { await initializeServices() }` with `let ready = false` in
`db.js`, `if (!db.state.connected) { await db.connect() }`: an imported flag, a getter of it called
without arguments, a property or method of an imported object) is reported: whether the init sets that
state when it succeeds is decided in that module, which this fix does not read (a start-up loop waiting
for it could call the init forever). An imported init that keeps its flag is reported when its module reads
it otherwise than this fix can follow (it keeps each attempt's promise, sets the flag anywhere else — `pool.on('error',
() => { initialized = false })` —, or calls the init itself), or when another file calls it too (`await
initDb(); app.listen()` in server.ts): a start-up loop beside that call would run the init twice at once. A middleware that keeps the init's
promise instead of a flag (`ready ??= init(); await ready`, `if (!initPromise) initPromise =
connect()`) is reported too: it has no flag the start-up loop could set (a new one would be
needed), the awaited promise may carry a value or be awaited elsewhere, and a rejection stays in
it for every later request. A guard that keeps the promise beside its flag (`if (!ready) { if
(!initPromise) initPromise = init(); await initPromise; ready = true }`, `initPromise ??= init()`,
a `catch` that resets `initPromise = null`) is the flag's shape: the start-up loop runs `await
init()` one attempt at a time and sets the flag after it, so the promise is not needed and its
declaration goes (unused, it would be TS6133 under `noUnusedLocals`); it is reported when other
code reads the promise or it is exported. An init function that checks the flag first but keeps each
attempt in a promise that sets the flag (`if (initialized) return; if (!initPromise) initPromise = (async
() => { await connect(); initialized = true })(); await initPromise`) is reported: once an attempt
rejects, the promise stays rejected, so a start-up loop awaiting that function would never retry (the
same IIFE written in the middleware, after `if (initialized) return next()`, is reported as a kept
promise, naming the init it awaits and its flag). When the service's
own 503 answer reads the caught error, a generic 503 body replaces it.

## Why

The audit (Section 2, "Lazy Initialization Causes 503s") found services that connect
to their database on the first request: the first users get errors, nothing warms the
service before traffic arrives, and health checks pass while the service cannot serve.
Initialising at start-up and reporting readiness separately from liveness lets the
orchestrator send traffic only to instances that are ready, without restarting the ones
that are merely waiting for their database.

## Example

```diff
-// Initialize database connections on first request
+// Until start-up initialisation has finished, answer 503 (see /ready)
 app.use(async (req: Request, res: Response, next: NextFunction) => {
   if (!servicesInitialized) {
-    try {
-      await initializeServices();
-      servicesInitialized = true;
-    } catch (error) {
-      console.error('Failed to initialize Course Service:', error);
-      return res.status(503).json({ error: 'Service temporarily unavailable' });
-    }
+    return res.status(503).json({ error: 'Service temporarily unavailable' });
   }
   next();
 });
```

plus a `/ready` route after `/health` and, before `export default app`, the start-up loop:

```ts
void (async () => {
  for (let attempt = 1; !servicesInitialized; attempt++) {
    try {
      await initializeServices();
      servicesInitialized = true;
      logger.info('course-service initialized', { attempt });
    } catch (error) {
      const delayMs = Math.min(1000 * 2 ** (attempt - 1), 30000);
      logger.error('course-service initialization failed, retrying', { attempt, delayMs, … });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
})();
```

(through a logger not known to take (message, meta), one message each: `` logger.info(`course-service
initialized (attempt ${attempt})`) ``; a level the logger is not shown to have, or every level of a
logger that takes a tag first, logs with console's, the note saying why: `logger.unfit_levels`)

## Fix safety

Review. Start-up order changes: the init function now runs when the module is loaded
(also when a test imports the app), keeps retrying in the background while its
dependencies are down, and requests get 503 until it succeeds instead of triggering it.
A reviewer checks, per finding note: readiness probes (Kubernetes `readinessProbe`,
load balancers) point at `/ready` while liveness stays on `/health`; everything the init
function uses is defined before the start-up loop runs; tests that import the app
either wait for `/ready` or stub the init function.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterator

from fixer import logger as repo_logger
from fixer.model import Edit, Finding, FixInfo
from fixer.parsing import typescript as ts
from fixer.parsing.comments import blank
from fixer.parsing.typescript import Node, node_text as _text
from fixer.repo import CODE_KINDS, IMPORTED_MODULES, FactsSpec, Repo, SkipFile, SourceFile
# how health-endpoints reads a route registration (`route()`, constants, arrays, `use`)
from transforms.health_endpoints import ROUTE_METHODS
from transforms.health_endpoints import registered_paths

INFO = FixInfo(
    id="eager-init",
    title="Initialise at start-up and add a readiness probe",
    audit="Fix 6",
    week=2,
    order=7,
    severity="high",
    safety="review",
    kinds=frozenset({"ts", "tsx", "js"}),
    # every lazy guard is registered by `x.use(…)` or `x.addHook(…)`, whatever its flag is called
    # (`booted`, `connected`, `warm`); rarer than init/ready-like words, which many files hold
    prefilter=(b".use(", b"addHook"),
    structural="services",  # scan: a service's name, the logger import
    version=19,  # 19: logs through logger.writing_logger (Fastify's app.log), says when it falls back to console; 18: an init imported from another module that keeps its flag (FLAG_INITS), Hono sub-apps (route()) and createMiddleware; 17: Hono apps served by @hono/node-server rewritten in Hono's idiom, guards on a flag another module keeps reported; 16: no workspace logger a service's image cannot hold; 15: the logger chosen and imported as console-to-logger 23 does (path alias scope, TypeScript package entries, request-logger middleware); 14: no logger import a CommonJS TypeScript file cannot load (logger_for); 13: winston's default logger; 12: tag-first logger notes (logger.unfit_levels); 11: a logger's level methods checked before a call is written (logger.LOGGER_CALLS); npm logger packages only where the image resolves them; 10: a logger required and made in one expression (`require('log4js').getLogger()`) is the file's own; 9: a workspace package's logger imported by its name; 8: an init function keeping its attempt in a promise (an IIFE that sets the flag) is reported; 7: Hapi route arrays and Koa named routes are route registrations; 6: the flag inside the init function; Koa's `ctx.status = 503` answer, and Koa's /ready; 5: the logger import follows the file's extension habit; 2: health routes by `route()`/constant/array/`use`; pino's log order; parameterless and plugin hooks
    # 3: any flag name (the prefilter); named middleware; reported: a kept init promise, Express middleware in a function
    # 4: a guard keeping the init's promise beside its flag is rewritten (the promise's declaration removed)
)

READY_PATHS = frozenset({"/ready", "/readyz", "/readiness"})
HOOKS = frozenset({"preHandler", "onRequest"})
NOT_INIT = re.compile(r"^(res|reply|response|req|request|console|logger|log|next|done)\b")
LAZY_COMMENT = re.compile(r"lazy|lazily|first (api )?request|on demand", re.I)
MAX_DELAY_MS = 30000


@dataclass(frozen=True)
class LazyInit:
    statement: Node  # the `app.use(…)` / `fastify.addHook(…)` statement
    handler: Node  # the middleware function
    guard: Node  # `if (!flag) { … await init() … }`
    flag: str
    init_call: str  # `initializeServices()` as written
    init_statement: str  # what the start-up loop runs: `await init()` or `services = await init()`
    not_moved: str | None  # why the guard is reported instead of rewritten
    app: str  # the app/fastify object
    fastify: bool
    request: str
    reply: str
    mounted: bool  # `app.use('/api', …)`: the guard never sees the root's probes
    startup: Node | None  # a start-up IIFE that already runs the init: the loop replaces it
    on_router: bool = False  # the receiver is not the app: /ready on it would be under its mount path
    in_function: bool = False  # added inside a function (a Fastify plugin, an Express `setup(app)`): reported
    # a hook without `(request, reply)`: the parameters the 503 needs; a Hono middleware's `return next()`
    parameters: Edit | None = None
    memo: bool = False  # `ready ??= init(); await ready`: the promise is kept, not a flag (reported)
    dropped: str = ""  # a module-level promise the guard kept beside its flag: the rewrite leaves it unused
    koa: bool = False  # a Koa app's `(ctx, next)` middleware: answers with `ctx.status`/`ctx.body`
    note: str = ""  # the report's note, when a reason needs its own (`_nested_flag`)
    hono: bool = False  # a Hono app's `(c, next)` middleware: answers with `return c.json(…, 503)`
    root: str = ""  # a Hono sub-app's: the app this module serves that mounts it (`app.route('/api', api)`), for /ready
    declared: Edit | None = None  # the flag this module gets for an imported init that keeps its own (`let initDbDone = false`)
    kept_in: str = ""  # that init's own flag, as the messages name it: "`initialized` (in `./db`)"


@dataclass(frozen=True)
class Context:
    conventions: tuple[tuple[str | None, repo_logger.LoggerImport], ...]
    ready_files: tuple[tuple[str, str], ...] = ()  # (path, readiness path) of files that register one
    implementations: tuple[tuple[str, bool], ...] = ()  # the modules that make a logger, each: is it pino's
    # what the repository's loggers take and the level methods they have (`logger.logger_shapes`)
    shapes: repo_logger.Shapes = ()
    # by path, the functions a module exports that keep their flag inside (`FLAG_INITS`), each with the
    # files that import and call it: (exported name, flag, why not, what to do, callers)
    imported_inits: tuple[tuple[str, tuple[tuple[str, str, str, str, tuple[str, ...]], ...]], ...] = ()


def prepare(repo: Repo, options: dict) -> Context:
    conventions = repo_logger.infer(repo)
    ready = repo.facts_of(READY_ROUTES)
    made = repo.facts_of(repo_logger.IMPLEMENTATIONS)
    inits = {path: found for path, found in repo.facts_of(FLAG_INITS).items() if found}
    callers = _init_callers(repo, inits) if inits else {}
    return Context(tuple(sorted(conventions.items(), key=lambda kv: str(kv[0]))),
                   tuple(sorted((path, found) for path, found in ready.items() if found)),
                   tuple(sorted((path, pino) for path, pino in made.items() if pino is not None)),
                   repo_logger.logger_shapes(repo),
                   tuple((path, tuple(fact + (callers.get((path, fact[0]), ()),) for fact in found))
                         for path, found in sorted(inits.items())))


# --- finding lazy initialisation ------------------------------------------------------


def _module_flags(bindings: list[ts.Binding]) -> set[str]:
    """The module-level `let flag = false` variables."""
    return {b.name for b in bindings
            if b.holder.type == "lexical_declaration" and (b.holder.text or b"").startswith(b"let")
            and b.element.type == "variable_declarator" and _text(b.element.child_by_field_name("value")) == "false"}


def _module_memos(bindings: list[ts.Binding]) -> set[str]:
    """`let ready;` / `let initPromise = null;`: where a middleware may keep the init's promise."""
    return {b.name for b in bindings
            if b.holder.type in ("lexical_declaration", "variable_declaration") and b.element.type == "variable_declarator"
            and (b.holder.text or b"").startswith((b"let", b"var"))
            and _text(b.element.child_by_field_name("value")) in ("", "null", "undefined")}


def find_lazy_inits(source_file: SourceFile, imported_inits: dict[str, tuple] | None = None) -> Iterator[LazyInit]:
    """`imported_inits`: the init functions of other modules that keep their flag inside (`FLAG_INITS`,
    by path, with their callers: `Context.imported_inits`)."""
    root = source_file.tree.root_node
    bindings = ts.top_level_bindings(root)
    flags = _module_flags(bindings)
    memos = _module_memos(bindings)
    # `if (!isReady()) { await init() }`, `if (!db.ready) …`: state another module keeps (reported)
    imports = ts.import_table(root)
    if not flags and not memos and not imports:
        return
    functions = {b.name: b for b in bindings}
    hono, served = _hono_apps(root, imports), _hono_served(root, imports)
    mounts = _hono_mounts(root, hono)
    # `createMiddleware(async (c, next) => …)` of hono/factory: the function it wraps is the middleware
    wrappers = frozenset(name for name, imported in imports.items()
                         if imported.module == "hono/factory" and imported.name == "createMiddleware")
    # `import { initDb } from './db'`, whose module keeps its flag inside it: local name -> (fact, the flag added here)
    foreign = _imported_inits(source_file, root, imports, imported_inits) if imported_inits else {}
    for call in ts.iter_member_calls(root):
        statement = ts.outer_parens(call.call).parent
        if statement is None or statement.type != "expression_statement":
            continue
        handler, fastify = _middleware(call, functions, wrappers)
        # a Fastify plugin adds its hooks inside its function, an Express app may get its middleware
        # in a `setup(app)`: found, to be reported
        in_function = statement.parent != root
        if handler is None:
            continue
        params = _parameters(handler)
        if len(params) < 2 and not fastify:
            continue
        found = _lazy_guard(handler, flags, memos) or \
            _guarded_init(handler, flags, functions, {name: added for name, (_fact, added) in foreign.items()})
        if found is None:
            memo = _memo_guard(handler, memos)
            if memo is not None:
                yield _memo_lazy_init(call, statement, handler, fastify, params, memo, flags)
                continue
            imported = _imported_guard(handler, imports)
            if imported is not None:
                yield _imported_lazy_init(call, statement, handler, fastify, params, imported)
            continue
        guard, flag, init_call, kept = found
        names = [_param_name(p) for p in params]
        receiver = _text(call.object)
        is_hono, hono_note = not fastify and receiver in hono, ""
        moved, not_moved = _moved_statement(guard, flag, handler, names, root, kept)
        nested = _nested_flag(init_call, flag, functions, memos) if guard.type != "if_statement" else None
        if nested is not None:  # the more basic reason: the function cannot be awaited by a start-up loop
            not_moved = nested[0]
        if not_moved is None and kept:
            not_moved = _promise_used_elsewhere(root, kept, guard)
        parameters = None
        if len(names) < 2 and not in_function and not_moved is None:
            # `async () => { … }`: the 503 needs the hook's `reply` (and `request`, for the probes' paths)
            parameters, not_moved = _added_parameters(source_file, handler, params)
        init = _text(init_call.child_by_field_name("function"))
        fact, added = foreign[init] if guard.type != "if_statement" and init in foreign else (None, "")
        declared = None
        if fact is not None and not_moved is None:
            not_moved, declared = _foreign_init(source_file, root, handler, init, fact, added)
        startup = _startup_call(root, init) or _startup_elsewhere(root, init, flag, handler)
        if startup is not None and not_moved is None and not _replaceable(startup, flag, moved):
            line = source_file.line_col(startup.start_byte)[0]
            not_moved = (f"line {line} already runs it at start-up, and not as just `{moved}; {flag} = true` in an "
                         "IIFE (a second start-up loop would initialise twice at once)")
        # Hono's `app.use('*', …)` runs for every path
        mounted = not fastify and any(ts.string_value(a) not in ("", "/", *(("*", "/*") if is_hono else ()))
                                      for a in call.args[:-1])
        on_router = receiver not in _apps(root) | hono and not in_function
        if not_moved is None and in_function and fastify:
            # where the root instance starts, and under which prefix a /ready added here would answer,
            # is decided by whoever registers the plugin
            not_moved = ("the hook is added inside a function (a Fastify plugin, or a function that builds the app), "
                         "not at the top of this module: the start-up loop and /ready belong with the root instance "
                         "(a /ready added in a plugin would answer under its register prefix)")
        elif not_moved is None and in_function:
            # `function setup(app) { app.use(lazyInit) }`: which app (one, several, a router mounted
            # under a path) and when it starts is decided by the callers
            label = _function_label(statement)
            not_moved = (f"the middleware is added inside {label}, not at the top of this module: the start-up loop "
                         "and /ready belong where the app is created and listens, " +
                         ("which its callers decide (it may set up several apps, or a router mounted under a path)"
                          if label != "a block" else "and only when the block adds the middleware"))
        if not_moved is None and not call.call.start_byte <= handler.start_byte < call.call.end_byte:
            not_moved = _shared_middleware(root, functions[_text(call.args[-1])])
        # a Hono sub-app this module mounts (`app.route('/api', api)`) on the app it serves: /ready goes on that app
        served_by = _served_root(receiver, mounts, served) if is_hono and receiver not in served else None
        if served_by is not None and served_by[1] not in ("", "/"):
            mounted = True  # its middleware runs under the mount path only: the root's probes never reach it
        if not_moved is None and is_hono and receiver not in served and served_by is None:
            # Bun and Deno run the module's top level, Cloudflare Workers forbid I/O and timers there,
            # and a Hono app another one mounts (`app.route('/api', sub)`) answers under its path
            not_moved = (f"`{receiver}` is a Hono app that this module does not start with @hono/node-server's "
                         f"`serve()`: where it runs (Node, Bun, Deno, or Cloudflare Workers, where a module's top level "
                         f"may not do I/O or set timers), and whether another app mounts it under a path "
                         f"(`parent.route('/api', {receiver})`), is decided elsewhere")
            hono_note = ("Where the Hono app is served (or, on a runtime that forbids top-level I/O, in its "
                         "start-up hook), run the init function at start-up with retries and set "
                         f"`{flag}` when it has succeeded; let this middleware answer "
                         f"`return {names[0]}.json({{ … }}, 503)` while `{flag}` is false, letting /health and /ready "
                         f"through (`{names[0]}.req.path`), and add `.get('/ready', (c) => …)` to the root app "
                         "(503 until then).")
        if not_moved is None and is_hono and not in_function:
            # the 503 is a returned Response: TypeScript's noImplicitReturns wants every path to return
            parameters, not_moved = _hono_return(source_file, handler, names[1])
            if not_moved is not None:
                hono_note = (f"Run the init function at start-up with retries and set `{flag}` when it has succeeded; "
                             f"let this middleware answer `return {names[0]}.json({{ … }}, 503)` while `{flag}` is "
                             "false, letting /health and /ready through, with every other path returning too "
                             f"(`return {names[1]}()`), and add `{receiver}.get('/ready', (c) => …)` (503 until then).")
        if not_moved is None and on_router:
            # a /ready on a router is served under wherever the app mounts it (`/api/ready`)
            not_moved = (f"`{receiver}` is not the app (no `{receiver}.listen`, not created by `express()` or "
                         f"`Fastify()` here): a readiness route on it would be <mount path>/ready (`/api/ready` when "
                         f"mounted with `app.use('/api', {receiver})`) and /ready would stay 404; add /ready to the app")
        names += ["request", "reply"][len(names):]
        if fact is not None and not hono_note and not (nested is not None and not_moved == nested[0]):
            hono_note = _foreign_note(init, fact, not_moved)
        yield LazyInit(statement, handler, guard, flag, _text(init_call), moved, not_moved, _text(call.object), fastify,
                       names[0], names[1], mounted, startup, on_router and not_moved is not None,
                       in_function and not_moved is not None, parameters if not_moved is None else None,
                       dropped=kept if not_moved is None else "", koa=not fastify and receiver in _koa_apps(root),
                       note=nested[1] if nested is not None and not_moved == nested[0] else hono_note,
                       hono=is_hono, root=served_by[0] if served_by is not None else "",
                       declared=declared if not_moved is None else None,
                       kept_in=f"`{fact[1]}` (in `{fact[-1]}`)" if fact is not None else "")


def _parameters(handler: Node) -> list[Node]:
    """The handler's parameters (`request => …`: the one identifier)."""
    parameters = handler.child_by_field_name("parameters")
    if parameters is None:
        single = handler.child_by_field_name("parameter")
        return [single] if single is not None else []
    return [p for p in ts.list_items(parameters) if p.type != "comment"]


def _added_parameters(source_file: SourceFile, handler: Node, params: list[Node]) -> tuple[Edit | None, str | None]:
    """The edit giving a Fastify hook `(request, reply)` (its first parameter kept), or why not:
    a new name must not hide one the hook already uses."""
    added = ["request", "reply"][len(params):]
    used = {_text(n) for n in ts.descendants(handler, "identifier", "shorthand_property_identifier")}
    taken = next((name for name in added if name in used), None)
    if taken is not None:
        return None, f"the hook has no `reply` parameter to answer 503 with, and `{taken}` is already a name in it"
    if not params:
        node = handler.child_by_field_name("parameters")
        if node is None:
            return None, "the hook has no `reply` parameter to answer 503 with"
        return Edit(source_file.path, node.start_byte, node.end_byte, "(request, reply)"), None
    first = params[0]
    if handler.child_by_field_name("parameters") is None:  # `async request => …`
        return Edit(source_file.path, first.start_byte, first.end_byte, f"({_text(first)}, reply)"), None
    return Edit(source_file.path, first.end_byte, first.end_byte, ", reply"), None


def _hono_return(source_file: SourceFile, handler: Node, next_name: str) -> tuple[Edit | None, str | None]:
    """A Hono middleware answers 503 by returning a Response (`return c.json(…, 503)`). In TypeScript, a
    middleware that returned nothing before would then return a value on one path only (TS7030 under
    `noImplicitReturns`): its last statement, `await next()`, becomes `return next()` (the same promise);
    a middleware ending otherwise is reported. Nothing when it already returns a value."""
    returns = [r for r in ts.descendants(handler, "return_statement")
               if r.named_children and ts.enclosing_function(r) == handler]
    if returns or source_file.kind not in ("ts", "tsx"):
        return None, None
    last = (_statements(handler.child_by_field_name("body")) or [None])[-1]
    expression = ts.inner_parens(last.named_children[0]) if last is not None and last.type == "expression_statement" \
        else None
    if expression is None or re.fullmatch(rf"await\s+{re.escape(next_name)}\(\s*\)", _text(expression)) is None:
        return None, ("the Hono middleware returns no Response and does not end with `await next()`: its 503 "
                      "answer, `return c.json(…, 503)`, would leave a path that returns nothing (TS7030 under "
                      "noImplicitReturns)")
    return Edit(source_file.path, expression.start_byte, expression.end_byte, f"return {next_name}()"), None


APP_FACTORY = re.compile(r"^(express|fastify|Fastify)$|^require\((['\"])(express|fastify)\2\)$")


def _koa_apps(root: Node) -> set[str]:
    """The module-level Koa apps: `const app = new Koa()`, `Koa` imported or required from koa."""
    return _constructed_apps(root, ts.import_table(root), frozenset({"koa"}))


def _constructed_apps(root: Node, imports: dict[str, ts.Imported], modules: frozenset[str]) -> set[str]:
    """The module-level bindings of an app constructed with a class imported from `modules` (`new Koa()`)."""
    classes = {name for name, imported in imports.items() if imported.module in modules}
    found = set()
    for binding in ts.top_level_bindings(root):
        value = binding.element.child_by_field_name("value") if binding.element.type == "variable_declarator" else None
        value = ts.inner_parens(value) if value is not None else None
        if value is not None and value.type == "new_expression" and \
                _text(value.child_by_field_name("constructor")) in classes:
            found.add(binding.name)
    return found


HONO_MODULES = frozenset({"hono", "hono/tiny", "hono/quick", "@hono/zod-openapi"})


def _hono_apps(root: Node, imports: dict[str, ts.Imported]) -> set[str]:
    """The module-level Hono apps: `const app = new Hono()` (`OpenAPIHono`), imported from hono."""
    return _constructed_apps(root, imports, HONO_MODULES)


def _hono_served(root: Node, imports: dict[str, ts.Imported]) -> set[str]:
    """The apps this module serves on Node with @hono/node-server: `serve({ fetch: app.fetch, … })`,
    `serve(app)` (a Hono app not served here may be a sub-app, or run on another runtime)."""
    serve = {name for name, imported in imports.items()
             if imported.module == "@hono/node-server" and imported.name == "serve"}
    served = set()
    for call in ts.descendants(root, "call_expression") if serve else ():
        arguments = call.child_by_field_name("arguments")
        first = next(iter(ts.list_items(arguments)), None) if arguments is not None else None
        if _text(call.child_by_field_name("function")) not in serve or first is None:
            continue
        first = ts.inner_parens(first)
        if first.type == "identifier":
            served.add(_text(first))
        elif first.type == "object":
            fetch = ts.object_property(first, "fetch")
            match = re.fullmatch(r"([\w$]+)\.fetch", _text(fetch)) if fetch is not None else None
            if match:
                served.add(match.group(1))
    return served


def _hono_mounts(root: Node, hono: set[str]) -> dict[str, tuple[str, str | None]]:
    """The Hono sub-apps the module mounts at its top level: sub-app -> (the app that mounts it, the
    path; None when not a string), from `app.route('/api', api)`."""
    mounts: dict[str, tuple[str, str | None]] = {}
    for call in ts.iter_member_calls(root) if hono else ():
        if call.method == "route" and len(call.args) == 2 and _text(call.object) in hono and \
                _text(call.args[1]) in hono and ts.enclosing_statement(call.call).parent == root:
            mounts.setdefault(_text(call.args[1]), (_text(call.object), ts.string_value(call.args[0])))
    return mounts


def _served_root(app: str, mounts: dict[str, tuple[str, str | None]], served: set[str]) -> tuple[str, str] | None:
    """The app this module serves that mounts the Hono sub-app `app` (through sub-apps of sub-apps
    too), and the path it answers under; None when it is not mounted on a served app, or under a
    path that is not a string."""
    path, seen = "", {app}
    while app not in served:
        parent, prefix = mounts.get(app, (None, None))
        if parent is None or prefix is None or parent in seen:
            return None
        path, app = prefix.rstrip("/") + path, parent
        seen.add(app)
    return app, path


def _apps(root: Node) -> set[str]:
    """The app objects of the file: created by `express()` / `Fastify()` / `new Koa()`, or that `listen`."""
    apps = {_text(call.object) for call in ts.iter_member_calls(root) if call.method == "listen"} | _koa_apps(root)
    for binding in ts.top_level_bindings(root):
        value = binding.element.child_by_field_name("value") if binding.element.type == "variable_declarator" else None
        value = ts.inner_parens(value) if value is not None else None
        if value is not None and value.type == "call_expression" and \
                APP_FACTORY.match(_text(ts.inner_parens(value.child_by_field_name("function")))):  # type: ignore[arg-type]
            apps.add(binding.name)
    return apps


FUNCTIONS = ("arrow_function", "function_expression", "function")


def _middleware(call: ts.MemberCall, bindings: dict[str, ts.Binding],
                wrappers: frozenset[str] = frozenset()) -> tuple[Node | None, bool]:
    """The middleware or hook function `call` registers: written there, or a module-level
    function it names (`app.use(lazyInit)`); `wrappers`: Hono's `createMiddleware`, whose
    function is the middleware (`app.use(createMiddleware(async (c, next) => …))`)."""
    args = call.args
    if call.method == "use" and args and all(ts.string_value(a) is not None for a in args[:-1]):
        return _function_of(args[-1], bindings, wrappers), False  # `app.use(fn)` or `app.use('/api', fn)`
    if call.method == "addHook" and len(args) == 2 and ts.string_value(args[0]) in HOOKS:
        return _function_of(args[1], bindings), True
    return None, False


def _function_of(argument: Node, bindings: dict[str, ts.Binding], wrappers: frozenset[str] = frozenset()) -> Node | None:
    """`argument` when it is a function, the module-level function it names (`function lazyInit(…)`,
    `const lazyInit = async (…) => …`), else None; through a call of one of `wrappers` (`createMiddleware(fn)`)."""
    argument = _unwrapped(argument, wrappers)
    if argument.type in FUNCTIONS:
        return argument
    binding = bindings.get(_text(argument)) if argument.type == "identifier" else None
    if binding is None:
        return None
    if binding.element.type == "function_declaration":
        return binding.element
    value = binding.element.child_by_field_name("value") if binding.element.type == "variable_declarator" else None
    value = _unwrapped(ts.inner_parens(value), wrappers) if value is not None else None
    return value if value is not None and value.type in FUNCTIONS else None


def _unwrapped(node: Node, wrappers: frozenset[str]) -> Node:
    """The function of `createMiddleware(fn)` (one of `wrappers`, called with that function alone), else `node`."""
    if node.type != "call_expression" or _text(node.child_by_field_name("function")) not in wrappers:
        return node
    arguments = node.child_by_field_name("arguments")
    items = [a for a in ts.list_items(arguments) if a.type != "comment"] if arguments is not None else []
    return ts.inner_parens(items[0]) if len(items) == 1 and ts.inner_parens(items[0]).type in FUNCTIONS else node


def _shared_middleware(root: Node, binding: ts.Binding) -> str | None:
    """Why a named middleware (`app.use(lazyInit)`) is not rewritten in place: the rewrite changes
    the function, so every other use of it (exported, registered twice, called) would change too."""
    if binding.exported:
        return f"the middleware `{binding.name}` is exported: rewriting it would change every app that uses it"
    uses = [n for n in ts.descendants(root, "identifier", "shorthand_property_identifier")
            if _text(n) == binding.name and n != binding.node]
    if len(uses) != 1:
        return (f"the middleware `{binding.name}` is used {len(uses)} times in this module: rewriting it would "
                "change every use")
    return None


def _function_label(statement: Node) -> str:
    """`setup()` for the function holding `statement`, `a function` when it has no name, and
    `a block` when it is in none (`if (…) { app.use(…) }`)."""
    functions = list(_enclosing_functions(statement))
    names = [name for name in map(_function_name, functions) if name]
    return f"`{names[0]}()`" if names else "a function" if functions else "a block"


def _enclosing_functions(node: Node) -> Iterator[Node]:
    function = ts.enclosing_function(node)
    while function is not None:
        yield function
        function = ts.enclosing_function(function)


def _function_name(function: Node) -> str:
    name = function.child_by_field_name("name")
    holder = function.parent
    if name is None and holder is not None and holder.type == "variable_declarator":
        name = holder.child_by_field_name("name")
    return _text(name)


def _memo_guard(handler: Node, memos: set[str]) -> tuple[Node, str, Node] | None:
    """`ready ??= init()` / `if (!initPromise) initPromise = connect()` (`||=`, `p = p ?? init()`) in the
    handler, which then awaits `ready`: the first request starts the init and every request waits
    on the promise kept in a module-level variable. The statement, the variable and the call."""
    body = handler.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    return _memo_in(body, handler, memos)


def _memo_in(body: Node, handler: Node, memos: set[str]) -> tuple[Node, str, Node] | None:
    """`_memo_guard` in `body`, a block of the handler (the `if (!flag) { … }` of a guard that keeps
    both a flag and the promise)."""
    awaited = {_text(a.named_children[0]) for a in ts.descendants(body, "await_expression")
               if a.named_children and ts.inner_parens(a.named_children[0]).type == "identifier"}
    for assignment in ts.descendants(body, "assignment_expression", "augmented_assignment_expression"):
        name = _text(assignment.child_by_field_name("left"))
        if name not in memos or name not in awaited or ts.declares(handler, name):
            continue
        value = ts.inner_parens(assignment.child_by_field_name("right"))  # type: ignore[arg-type]
        if assignment.type == "augmented_assignment_expression" and \
                _text(assignment.child_by_field_name("operator")) not in ("??=", "||="):
            continue
        if value.type == "binary_expression" and _text(value.child_by_field_name("left")) == name:
            value = ts.inner_parens(value.child_by_field_name("right"))  # type: ignore[arg-type]
        if value.type != "call_expression" or NOT_INIT.match(_text(value.child_by_field_name("function"))):
            continue
        return ts.enclosing_statement(assignment), name, value
    return None


def _memo_lazy_init(call: ts.MemberCall, statement: Node, handler: Node, fastify: bool, params: list[Node],
                    memo: tuple[Node, str, Node], flags: set[str]) -> LazyInit:
    guard, name, init_call = memo
    names = [_param_name(p) for p in params] + ["request", "reply"][len(params):]
    not_moved = ("each request awaits that promise: there is no flag the start-up loop could set and the guard "
                 "test (one has to be added, and whatever else awaits the promise or uses its value kept working)")
    shown, note = _text(init_call), ""
    function = ts.inner_parens(init_call.child_by_field_name("function"))  # type: ignore[arg-type]
    if function.type in FUNCTIONS:  # `p = (async () => { await init(); flag = true })()`: name the init it awaits
        inner = _init_call(function)
        shown = _text(inner) if inner is not None else shown
        assigned = [_text(a.child_by_field_name("left")) for a in ts.descendants(function, "assignment_expression")
                    if _text(a.child_by_field_name("right")) == "true"]
        flag = next((name for name in assigned if name in flags), "")
        if flag:
            not_moved = (f"each request awaits that promise, an async function that sets `{flag}` (the guard is not "
                         f"`if (!{flag}) {{ … }}`, the shape this fix moves; whatever else awaits the promise has to keep "
                         "working)")
            note = (f"set `{flag}` after a successful attempt (not in a function kept in `{name}`; keep assigning "
                    f"`{name}` if other code awaits it)")
    return LazyInit(statement, handler, guard, name, shown, "", not_moved, _text(call.object), fastify,
                    names[0], names[1], False, None, memo=True, note=note)


def _negated_guards(handler: Node) -> Iterator[tuple[Node, Node]]:
    """(statement, operand) of each `if (!x) { … }` with no `else` directly in the handler's body."""
    body = handler.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return
    for statement in ts.list_items(body):
        if statement.type != "if_statement" or statement.child_by_field_name("alternative") is not None:
            continue
        condition = ts.inner_parens(statement.child_by_field_name("condition"))  # type: ignore[arg-type]
        operand = condition.child_by_field_name("argument") if condition.type == "unary_expression" else None
        if operand is not None and _text(condition).lstrip()[:1] == "!":
            yield statement, operand


def _imported_guard(handler: Node, imports: dict[str, ts.Imported]) -> tuple[Node, Node, Node, ts.Imported] | None:
    """`if (!isReady()) { … await init() … }` directly in the handler's body, where the state tested
    is another module's: an imported flag (`ready`), a getter of it called without arguments
    (`isReady()`), or a property or method of an imported object (`db.ready`, `db.isConnected()`).
    The guard, the state tested, the init call and the import the state comes from."""
    for statement, operand in _negated_guards(handler):
        state = ts.inner_parens(operand)
        tested = state
        if state.type == "call_expression":  # a getter: `isReady()`, `db.isConnected()`
            arguments = state.child_by_field_name("arguments")
            if arguments is None or ts.list_items(arguments):
                continue
            tested = ts.inner_parens(state.child_by_field_name("function"))  # type: ignore[arg-type]
        while tested.type == "member_expression":
            tested = ts.inner_parens(tested.child_by_field_name("object"))  # type: ignore[arg-type]
        name = _text(tested)
        if tested.type != "identifier" or name not in imports or ts.declares(handler, name):
            continue
        consequence = statement.child_by_field_name("consequence")
        init = _init_call(consequence) if consequence is not None else None
        if init is None or _uses_locals(init, handler):
            continue
        return statement, state, init, imports[name]
    return None


def _uses_locals(node: Node, handler: Node) -> bool:
    """Whether `node` reads a name the handler binds (its parameters, `req`, its locals)."""
    return any(ts.declares(handler, _text(n)) and not ts.declares(node, _text(n))
               for n in ts.descendants(node, "identifier", "shorthand_property_identifier"))


def _imported_inits(source_file: SourceFile, root: Node, imports: dict[str, ts.Imported],
                    imported_inits: dict[str, tuple]) -> dict[str, tuple[tuple, str]]:
    """The init functions this module imports from a module that keeps their flag inside them
    (`FLAG_INITS`): local name -> (the fact: name, flag, why not, what to do, callers; the name of
    the flag this module gets, `initDbDone`, one no name of the module spells)."""
    found: dict[str, tuple[tuple, str]] = {}
    names: set[str] | None = None
    for local, imported in imports.items():
        target = repo_logger.resolve_import(source_file.repo, source_file.path, imported.module)
        fact = next((f for f in imported_inits.get(target or "", ()) if f[0] == imported.name), None)
        if fact is None or target == source_file.path:
            continue
        if names is None:
            names = {_text(n) for n in ts.descendants(root, "identifier", "shorthand_property_identifier")}
        flag, n = f"{local}Done", 2
        while flag in names:
            flag, n = f"{local}Done{n}", n + 1
        names.add(flag)
        found[local] = (fact + (imported.module,), flag)
    return found


def _foreign_init(source_file: SourceFile, root: Node, handler: Node, init: str,
                  fact: tuple, flag: str) -> tuple[str | None, Edit | None]:
    """Why the awaited init of another module that keeps its flag inside it (`_imported_inits`) is not
    run by a start-up loop here, or the declaration of the flag this module gets (after its imports)."""
    _name, _flag, why, _todo, callers, target = fact
    if why:
        return why, None
    others = [c for c in callers if c != source_file.path]
    if others:
        return (f"`{init}()` is also called in {', '.join(others[:3])}: a start-up loop here could run it at the "
                "same time as that call (it keeps no promise of a running attempt)"), None
    line = next((c.start_point.row + 1 for c in ts.descendants(root, "call_expression")
                 if _text(c.child_by_field_name("function")) == init
                 and not handler.start_byte <= c.start_byte < handler.end_byte), None)
    if line is not None:
        return (f"line {line} calls `{init}()` too: a start-up loop could run it at the same time as that call "
                "(it keeps no promise of a running attempt)"), None
    imports = [s for s in root.named_children if s.type == "import_statement" or
               s.type in ("lexical_declaration", "variable_declaration") and b"require(" in (s.text or b"")]
    holder = next((s for s in imports if any(n.type == "identifier" and _text(n) == init for n in ts.descendants(s, "identifier"))),
                  None)
    leading = _leading_imports(root)
    after = max((s for s in (holder, leading) if s is not None), key=lambda s: s.end_byte, default=None)
    if after is None:
        return "the module's import of it was not found", None
    semi = ";" if repo_logger.uses_semicolons(source_file) else ""
    text = (f"\n\n// `{init}()` keeps its own flag in {target}; this one is set once the start-up loop below has run it"
            f"\nlet {flag} = false{semi}")
    return None, Edit(source_file.path, after.end_byte, after.end_byte, text)


def _leading_imports(root: Node) -> Node | None:
    """The last import (or `require` declaration) of the module's opening run of them."""
    last = None
    for statement in root.named_children:
        if statement.type == "import_statement" or statement.type in ("lexical_declaration", "variable_declaration") \
                and b"require(" in (statement.text or b""):
            last = statement
        elif statement.type != "comment" and not (statement.type == "expression_statement"
                                                  and statement.named_children[0].type == "string"):
            break
    return last


def _foreign_note(init: str, fact: tuple, not_moved: str | None) -> str:
    """The note of an imported init that keeps its own flag (`_imported_inits`)."""
    _name, flag, why, todo, _callers, target = fact
    if not_moved is None:
        return ""
    if why and not_moved == why:
        return todo
    return (f"`{init}()` checks and sets `{flag}` in {target}. Run it at start-up in one place, in a loop that retries "
            "with backoff until it succeeds and then sets a flag of this module; let this middleware answer 503 while "
            "that flag is false instead of calling it, letting /health and /ready through, and add /ready (503 until "
            "then).")


def _imported_lazy_init(call: ts.MemberCall, statement: Node, handler: Node, fastify: bool, params: list[Node],
                        imported: tuple[Node, Node, Node, ts.Imported]) -> LazyInit:
    """A lazy guard on another module's state (`_imported_guard`), reported: whether the init sets
    that state, and what else does, is decided in that module, which this fix does not read (a
    start-up loop testing it could call the init forever, or a guard testing it answer 503 forever)."""
    guard, state, init_call, source = imported
    names = [_param_name(p) for p in params] + ["request", "reply"][len(params):]
    tested, init = _text(state), _text(init_call)
    origin = f"`{source.module}`"
    not_moved = (f"`{tested}` is state another module keeps ({origin}), which this fix does not read: whether "
                 f"`{init}` sets it on success is decided there (a start-up loop waiting for `{tested}` could retry "
                 "forever)")
    note = (f"The guard tests `{tested}`, which {origin} keeps. Run `{init}` at start-up, where the app is created, "
            f"in a loop that retries with backoff until it succeeds, and check that `{tested}` is true once it has "
            f"(what sets it is in {origin}); let this middleware answer 503 while `!{tested}` instead of initialising, "
            "letting /health and /ready through, and add /ready (503 until then).")
    return LazyInit(statement, handler, guard, tested, init, "", not_moved, _text(call.object), fastify,
                    names[0], names[1], False, None, note=note)


def _lazy_guard(handler: Node, flags: set[str], memos: set[str] = frozenset()) -> tuple[Node, str, Node, str] | None:
    """`if (!flag) { … await init(); flag = true; … }` directly in the handler's body, and the
    module-level variable the guard keeps the init's promise in ("" when it awaits the call
    itself): `if (!flag) { if (!p) p = init(); await p; flag = true }`."""
    for statement, operand in _negated_guards(handler):
        if _text(operand) not in flags:
            continue
        flag = _text(operand)
        consequence = statement.child_by_field_name("consequence")
        sets_flag = any(_text(a.child_by_field_name("left")) == flag and _text(a.child_by_field_name("right")) == "true"
                        for a in ts.descendants(consequence, "assignment_expression")) if consequence else False
        init = _init_call(consequence) if consequence is not None else None
        if sets_flag and init is not None:
            return statement, flag, init, ""
        memo = _memo_in(consequence, handler, memos) if sets_flag and consequence is not None else None
        if memo is not None:
            return statement, flag, memo[2], memo[1]
    return None


def _guarded_init(handler: Node, flags: set[str], functions: dict[str, ts.Binding],
                  imported: dict[str, str] | None = None) -> tuple[Node, str, Node, str] | None:
    """The flag kept inside the init function: the middleware awaits `init()` on every request
    (`[try {] await init(); [} catch (e) { log; answer }]` directly in its body), and `init` is a
    module-level function that starts with `if (flag) return` and sets `flag = true`. The statement
    (the `try`, or the awaited call), the flag, the call and "" (no promise kept). `imported`: such
    init functions another module keeps, by their local name here, with the flag this module gets."""
    imported = imported or {}
    body = handler.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    for statement in ts.list_items(body):
        block = statement.child_by_field_name("body") if statement.type == "try_statement" else statement
        inner = _statements(block)
        if not inner or statement.type not in ("try_statement", "expression_statement"):
            continue
        call = _init_call(inner[0]) if inner[0].type == "expression_statement" else None
        callee = call.child_by_field_name("function") if call is not None else None
        if callee is None or callee.type != "identifier":
            continue
        if _text(callee) in imported:  # the init of another module that keeps its flag (`_imported_init`)
            return statement, imported[_text(callee)], call, ""
        if _text(callee) not in functions:
            continue
        function = _function_of(callee, functions)
        flag = _flag_checked_first(function, flags) if function is not None else ""
        if flag:
            return statement, flag, call, ""
    return None


def _flag_checked_first(function: Node, flags: set[str]) -> str:
    """The flag of an init function that starts with `if (flag) return` and sets `flag = true` ("" if not)."""
    steps = _statements(function.child_by_field_name("body"))
    first = steps[0] if steps else None
    flag = _text(ts.inner_parens(first.child_by_field_name("condition"))) if first is not None and \
        first.type == "if_statement" and first.child_by_field_name("alternative") is None else ""
    # (the flag may be set in nested code, an IIFE kept in a promise: found, `_nested_flag` reports it)
    if flag in flags and [s.type for s in _statements(first.child_by_field_name("consequence"))] == \
            ["return_statement"] and not _statements(first.child_by_field_name("consequence"))[0].named_children \
            and any(_sets_flag(a, flag) for step in steps[1:] for a in ts.descendants(step, "assignment_expression")):
        return flag
    return ""


def _nested_flag(init_call: Node, flag: str, functions: dict[str, ts.Binding], memos: set[str]) -> tuple[str, str] | None:
    """Why an init function that checks its flag first (`_guarded_init`) but sets it only in nested
    code is reported, with the note saying what to do: `if (initialized) return; if (!p) p = (async ()
    => { await init(); initialized = true })(); await p` keeps each attempt's promise, so a rejected one
    stays there and a start-up loop awaiting the function would never retry (the function would have to
    go, the loop awaiting `init()` itself). None when the flag is set by a statement of its own."""
    callee = init_call.child_by_field_name("function")
    function = _function_of(callee, functions) if callee is not None else None
    return _nested_flag_in(function, _text(callee), flag, memos) if function is not None else None


def _nested_flag_in(function: Node, name: str, flag: str, memos: set[str]) -> tuple[str, str] | None:
    """`_nested_flag` of the init function `name`, wherever it is."""
    body = function.child_by_field_name("body")
    if body is None or any(_sets(step, flag) for step in _statements(body)[1:]):
        return None
    memo = _memo_in(body, function, memos) if body.type == "statement_block" else None
    if memo is not None:
        kept = memo[1]
        attempt = ts.inner_parens(memo[2].child_by_field_name("function"))  # type: ignore[arg-type]
        inner = _init_call(attempt) if attempt.type in FUNCTIONS else memo[2]  # the IIFE's `await init()`
        init = f"`{_text(inner)}`" if inner is not None else "the init"
        return ((f"`{name}()` keeps its attempt's promise in `{kept}` and sets `{flag}` inside it: a rejected "
                 f"attempt stays in `{kept}`, so a start-up loop awaiting `{name}()` would never retry"),
                (f"`{name}()` keeps the promise of one attempt in `{kept}`; after a failure it rejects on every call "
                 f"without trying again. Run {init} itself at start-up in a loop "
                 f"with retries that sets `{flag}` after a successful attempt, drop `{name}` and `{kept}` (or reset "
                 f"`{kept}` on failure), let the middleware answer 503 while `{flag}` is false, letting /health and "
                 "/ready through, and add /ready (503 until then)."))
    return ((f"`{name}()` sets `{flag}` only inside nested code (a callback, a branch), not as a statement of its "
             f"own: whether awaiting `{name}()` again after a failure retries the init is not clear"),
            (f"Make the init function set `{flag}` once it has finished (or run the init itself at start-up with "
             f"retries and set `{flag}` there), then let the middleware answer 503 while `{flag}` is false, letting "
             "/health and /ready through, and add /ready (503 until then)."))


def _init_call(block: Node) -> Node | None:
    for awaited in ts.descendants(block, "await_expression"):
        call = ts.inner_parens(awaited.named_children[0]) if awaited.named_children else None
        if call is not None and call.type == "call_expression" and not NOT_INIT.match(_text(call.child_by_field_name("function"))):
            return call
    return None


def _startup_call(root: Node, init: str) -> Node | None:
    """A top-level statement that runs `init` when the module loads: `init()`, `init().then(…)`,
    or an IIFE `[void] (async () => { … init() … })()[.catch(…)]`."""
    for statement in root.named_children:
        expression = ts.inner_parens(statement.named_children[0]) if statement.type == "expression_statement" else None
        while expression is not None and expression.type in ("unary_expression", "await_expression"):
            expression = ts.inner_parens(expression.named_children[0]) if expression.named_children else None
        while expression is not None and expression.type == "call_expression":
            callee = ts.inner_parens(expression.child_by_field_name("function"))  # type: ignore[arg-type]
            if callee.type in ("arrow_function", "function_expression", "function"):
                if any(_text(c.child_by_field_name("function")) == init for c in ts.descendants(callee, "call_expression")):
                    return statement
                break
            if _text(callee) == init:
                return statement
            if _text(callee.child_by_field_name("property")) == "listen" and any(  # `app.listen(port, async () => …)`
                    _text(c.child_by_field_name("function")) == init for c in ts.descendants(expression, "call_expression")):
                return statement
            expression = callee.child_by_field_name("object") if callee.type == "member_expression" else None
    return None


def _startup_elsewhere(root: Node, init: str, flag: str, handler: Node) -> Node | None:
    """The top-level statement holding other code that calls `init` and sets `flag = true`
    (a `startServer()` function, an IIFE under `if (NODE_ENV !== 'test')`): start-up already
    runs it there, so a second start-up loop would initialise twice at once."""
    for call in ts.descendants(root, "call_expression"):
        if _text(call.child_by_field_name("function")) != init or \
                handler.start_byte <= call.start_byte < handler.end_byte:
            continue
        statement = call
        while statement.parent is not None and statement.parent != root:
            statement = statement.parent
        if any(_sets_flag(a, flag) for a in ts.descendants(statement, "assignment_expression")):
            return statement
    return None


def _sets_flag(assignment: Node, flag: str) -> bool:
    return _text(assignment.child_by_field_name("left")) == flag and \
        _text(assignment.child_by_field_name("right")) == "true"


def _replaceable(startup: Node, flag: str, moved: str) -> bool:
    """Whether the start-up statement is only `[void] (async () => { [try {] <moved>; flag = true;
    [} catch (e) { log }] })()`, give or take logging: then the retrying loop replaces it whole."""
    expression = ts.inner_parens(startup.named_children[0])
    if expression.type == "unary_expression" and _text(expression).startswith("void"):
        expression = ts.inner_parens(expression.named_children[0])
    callee = ts.inner_parens(expression.child_by_field_name("function")) if expression.type == "call_expression" else None
    if callee is None or callee.type not in ("arrow_function", "function_expression", "function"):
        return False
    statements = _statements(callee.child_by_field_name("body"))
    if len(statements) == 1 and statements[0].type == "try_statement":
        attempt = statements[0]
        catch = attempt.child_by_field_name("handler")
        if attempt.child_by_field_name("finalizer") is not None or \
                not all(_logs(s) for s in _statements(catch.child_by_field_name("body") if catch else None)):
            return False
        statements = _statements(attempt.child_by_field_name("body"))
    statements = [s for s in statements if not _logs(s)]
    return len(statements) == 2 and _sets(statements[1], flag) and statements[0].type == "expression_statement" \
        and _text(ts.inner_parens(statements[0].named_children[0])) == moved


def _logs(statement: Node) -> bool:
    """`console.error(…)`, `logger.info(…)`: a statement the start-up loop's own logging stands for."""
    call = ts.inner_parens(statement.named_children[0]) if statement.type == "expression_statement" else None
    return call is not None and call.type == "call_expression" and \
        re.match(r"^(console|logger|log)\.", _text(call.child_by_field_name("function"))) is not None


def _moved_statement(guard: Node, flag: str, handler: Node, params: list[str], root: Node,
                     kept: str = "") -> tuple[str, str | None]:
    """The one statement the start-up loop runs, or why the guard is not the shape this fix
    moves: `[try {] [name =] await init(…); flag = true; [} catch (e) { log; answer }]`,
    where `name` is a module-level variable and `init(…)` uses nothing local to the middleware.
    Anything else in the guard would be lost or left without its names. With the init's promise
    `kept` in a variable, `if (!p) p = init(…); [name =] await p;` stands for the awaited call: the
    loop runs one attempt at a time and the flag is set after it, so the promise is not needed."""
    # (`_guarded_init`: the guard is the `try` or the awaited call, and the init function sets the flag)
    sets_itself = guard.type != "if_statement"
    statements = _statements(guard.child_by_field_name("consequence")) if not sets_itself else [guard]
    if len(statements) == 1 and statements[0].type == "try_statement":
        attempt = statements[0]
        if attempt.child_by_field_name("finalizer") is not None:
            return "", "its `try` has a `finally`"
        if _catch_does_more(attempt.child_by_field_name("handler"), params, kept):
            return "", "its `catch` does more than log and answer the request"
        statements = _statements(attempt.child_by_field_name("body"))
    memo_call = None
    shape = f"the guard holds more than one awaited init call and `{flag} = true`" if not sets_itself else \
        "the middleware does more there than await the init function, which sets the flag itself"
    if kept:
        shape = f"the guard does more than keep the init's promise in `{kept}`, await it and set `{flag} = true`"
        memo_call = _memo_statement_call(statements[0], kept) if statements else None
        if memo_call is None:
            return "", shape
        statements = statements[1:]
    if sets_itself and len(statements) == 1:
        statements = statements + [statements[0]]  # (no `flag = true` here: the init function sets it)
    elif len(statements) != 2 or not _sets(statements[1], flag):
        return "", shape
    init = statements[0]
    expression = ts.inner_parens(init.named_children[0]) if init.type == "expression_statement" else init
    awaited = expression.child_by_field_name("right") if expression.type == "assignment_expression" else expression
    if awaited is None or awaited.type != "await_expression" or \
            memo_call is not None and _text(ts.inner_parens(awaited.named_children[0])) != kept:
        return "", shape
    target = expression.child_by_field_name("left") if expression.type == "assignment_expression" else None
    module_vars = {b.name for b in ts.top_level_bindings(root) if b.element.type == "variable_declarator"
                   and b.element.parent is not None and _text(b.element.parent).startswith(("let", "var"))}
    if target is not None and target.type == "identifier" and _text(target) not in module_vars:
        return "", f"`{_text(target)}` is not a module-level variable"
    used = memo_call if memo_call is not None else init
    local = sorted({_text(n) for n in ts.descendants(used, "identifier", "shorthand_property_identifier")
                    if ts.declares(handler, _text(n)) and not ts.declares(used, _text(n))})
    if local:
        return "", f"the init call uses {', '.join(f'`{n}`' for n in local)} of the middleware"
    if memo_call is not None:  # `await p` runs as `await init(…)`
        operand = ts.inner_parens(awaited.named_children[0])
        start, end = operand.start_byte - expression.start_byte, operand.end_byte - expression.start_byte
        return _text(expression)[:start] + _text(memo_call) + _text(expression)[end:], None
    return _text(expression), None


def _memo_statement_call(statement: Node, kept: str) -> Node | None:
    """The init call of `if (!p) p = init(…);` (`if (!p) { p = init(…) }`, `p ??= init(…)`, `p ||= …`,
    `p = p ?? init(…)`), a statement that does nothing but keep the init's promise in `p`."""
    if statement.type == "if_statement":
        condition = ts.inner_parens(statement.child_by_field_name("condition"))  # type: ignore[arg-type]
        if statement.child_by_field_name("alternative") is not None or \
                re.fullmatch(rf"!\s*{re.escape(kept)}|{re.escape(kept)}\s*===?\s*(null|undefined)", _text(condition)) is None:
            return None
        inner = _statements(statement.child_by_field_name("consequence"))
        if len(inner) != 1:
            return None
        statement = inner[0]
    assignment = ts.inner_parens(statement.named_children[0]) if statement.type == "expression_statement" else None
    if assignment is None or assignment.type not in ("assignment_expression", "augmented_assignment_expression") \
            or _text(assignment.child_by_field_name("left")) != kept:
        return None
    if assignment.type == "augmented_assignment_expression" and \
            _text(assignment.child_by_field_name("operator")) not in ("??=", "||="):
        return None
    value = ts.inner_parens(assignment.child_by_field_name("right"))  # type: ignore[arg-type]
    if value.type == "binary_expression" and _text(value.child_by_field_name("left")) == kept \
            and _text(value.child_by_field_name("operator")) in ("??", "||"):
        value = ts.inner_parens(value.child_by_field_name("right"))  # type: ignore[arg-type]
    return value if value.type == "call_expression" else None


def _promise_used_elsewhere(root: Node, kept: str, guard: Node) -> str | None:
    """Why the promise variable a guard keeps cannot go (its declaration is removed with the guard):
    it is exported, or other code reads or assigns it (awaits the init too, or resets it)."""
    binding = next((b for b in ts.top_level_bindings(root) if b.name == kept), None)
    if binding is None or binding.exported:
        return f"the init's promise in `{kept}` is exported: other modules may await it"
    others = [n for n in ts.binding_references(root, binding) if not guard.start_byte <= n.start_byte < guard.end_byte]
    if others:
        line = others[0].start_point.row + 1
        return (f"`{kept}`, where the guard keeps the init's promise, is also used on line {line}: what else awaits "
                "it or uses its value has to keep working")
    return None


def _sets(statement: Node, flag: str) -> bool:
    """`flag = true;`"""
    assignment = statement.named_children[0] if statement.type == "expression_statement" and statement.named_children else None
    return assignment is not None and assignment.type == "assignment_expression" and \
        _text(assignment.child_by_field_name("left")) == flag and _text(assignment.child_by_field_name("right")) == "true"


def _statements(block: Node | None) -> list[Node]:
    if block is None:
        return []
    if block.type != "statement_block":
        return [block]
    return [s for s in block.named_children if s.type != "comment"]


def _catch_does_more(catch: Node | None, params: list[str], kept: str = "") -> bool:
    """Whether the lazy branch's `catch` does anything but log and answer (it is dropped), or
    forget the init's promise it `kept` (`initPromise = null`: the next request retries)."""
    if catch is None:
        return False
    # `(?!)` never matches: a hook without parameters has none to answer with
    handler_params = re.compile(r"^(" + "|".join(re.escape(p) for p in params) + r")\b" if params else r"(?!)")
    for statement in _statements(catch.child_by_field_name("body")):
        if statement.type == "return_statement":
            value = statement.named_children[0] if statement.named_children else None
        elif statement.type == "expression_statement":
            value = statement.named_children[0]
        else:
            return True
        if value is None:
            continue
        value = ts.inner_parens(value)
        if kept and value.type == "assignment_expression" and _text(value.child_by_field_name("left")) == kept \
                and _text(value.child_by_field_name("right")) in ("null", "undefined"):
            continue
        if value.type == "assignment_expression" and handler_params.match(_text(value.child_by_field_name("left"))):
            continue  # Koa's answer: `ctx.status = 503`, `ctx.body = { … }`
        if value.type == "await_expression" and value.named_children:
            value = ts.inner_parens(value.named_children[0])
        if value.type != "call_expression" or not (NOT_INIT.match(_text(value)) or handler_params.match(_text(value))):
            return True
    return False


def _param_name(param: Node) -> str:
    name = param.child_by_field_name("pattern") or param
    return _text(name)


def _ready_route_parsed(source_file: SourceFile) -> str | None:
    """`ready_route` from the parse: the readiness path the app already serves, if any."""
    for call in ts.iter_member_calls(source_file.tree.root_node):
        if call.method in ("get", "all", "route", "head") and call.args and ts.string_value(call.args[0]) in READY_PATHS:
            return ts.string_value(call.args[0])
        if call.method == "route" and call.args and call.args[0].type == "object":
            url = ts.string_value(ts.object_property(call.args[0], "url"))
            if url in READY_PATHS:
                return url
    for literal in ts.iter_string_literals(source_file.tree.root_node):
        if literal.value in READY_PATHS and b"req.url" in source_file.data:
            return literal.value  # a raw http handler: `if (req.url === '/ready')`
    return None


# `if (initialized) return`, `if (ready) { return; }`: an init function that keeps its flag inside it
_FLAG_RETURN = re.compile(rb"\bif\s*\(\s*[\w$]+\s*\)\s*\{?\s*return\s*[;}\n]")


def flag_keeping_inits(source_file: SourceFile) -> tuple[tuple[str, str, str, str], ...]:
    """The functions a module exports that keep their flag inside (`export async function initDb() {
    if (initialized) return; …; initialized = true }`): (exported name — "default" for the default
    export —, flag, why a start-up loop of a module importing it must not await it ("" when it may),
    what to do then). From the bytes first: a parse only for a file with `if (flag) return`."""
    if _FLAG_RETURN.search(source_file.data) is None:
        return ()
    root = source_file.tree.root_node
    bindings = ts.top_level_bindings(root)
    flags = _module_flags(bindings)
    if not flags:
        return ()
    memos, functions = _module_memos(bindings), {b.name: b for b in bindings}
    found = []
    for exported, function, local in _exported_functions(root, functions):
        flag = _flag_checked_first(function, flags)
        if not flag:
            continue
        name = local or exported
        why, todo = _nested_flag_in(function, name, flag, memos) or ("", "")
        where = source_file.path
        if not why:
            other = next((a for a in ts.descendants(root, "assignment_expression", "augmented_assignment_expression")
                          if _text(a.child_by_field_name("left")) == flag and not (
                              function.start_byte <= a.start_byte < function.end_byte and _sets_flag(a, flag))), None)
            call = next((c for c in ts.descendants(root, "call_expression")
                         if _text(c.child_by_field_name("function")) == name
                         and not function.start_byte <= c.start_byte < function.end_byte), None) if local else None
            if other is not None:
                why = (f"{where} also sets `{flag}` on line {other.start_point.row + 1} (`{_text(other)}`): a flag set "
                       f"once here would stay true after that, where `{name}()` on the next request initialised again")
                todo = (f"`{name}()` keeps `{flag}` in {where}, which other code there sets too: make {where} tell "
                        f"when it is initialised (export a getter of `{flag}`), run `{name}()` at start-up with retries, "
                        "let this middleware answer 503 until it is initialised, letting /health and /ready through, "
                        "and add /ready (503 until then).")
            elif call is not None:
                why = (f"{where} calls `{name}()` itself on line {call.start_point.row + 1}: a start-up loop here could "
                       "run it at the same time as that call (it keeps no promise of a running attempt)")
                todo = (f"`{name}()` is called in {where} and here: run it at start-up in one place only, in a loop that "
                        "retries with backoff until it succeeds and sets a flag; let this middleware answer 503 while "
                        "that flag is false, letting /health and /ready through, and add /ready (503 until then).")
        found.append((exported, flag, why, todo))
    return tuple(found)


def _exported_functions(root: Node, functions: dict[str, ts.Binding]) -> Iterator[tuple[str, Node, str]]:
    """(exported name, function, its module-level name or "") of each function the module exports:
    `export [default] async function f`, `export const f = …`, `export { f as g }`, `export default f`,
    `module.exports = { f }`, `module.exports = f`, `[module.]exports.f = …`."""
    def named(local: str) -> Node | None:
        binding = functions.get(local)
        return _function_of(binding.node, functions) if binding is not None else None

    for statement in root.named_children:
        if statement.type == "export_statement":
            default = (statement.text or b"").startswith(b"export default")
            declaration = statement.child_by_field_name("declaration")
            value = statement.child_by_field_name("value")
            clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
            if declaration is not None:
                for binding in (b for b in functions.values() if b.holder == statement):
                    function = named(binding.name)
                    if function is not None:
                        yield "default" if default else binding.name, function, binding.name
            elif value is not None and default:
                function = named(_text(value)) if value.type == "identifier" else \
                    ts.inner_parens(value) if ts.inner_parens(value).type in FUNCTIONS else None
                if function is not None:
                    yield "default", function, _text(value) if value.type == "identifier" else ""
            elif clause is not None and statement.child_by_field_name("source") is None:
                for spec in (c for c in clause.named_children if c.type == "export_specifier"):
                    local = _text(spec.child_by_field_name("name"))
                    function = named(local)
                    if function is not None:
                        yield _text(spec.child_by_field_name("alias") or spec.child_by_field_name("name")), function, local
        elif statement.type == "expression_statement":
            assignment = ts.inner_parens(statement.named_children[0])
            if assignment.type != "assignment_expression":
                continue
            left, right = _text(assignment.child_by_field_name("left")), ts.inner_parens(assignment.child_by_field_name("right"))  # type: ignore[arg-type]
            if left == "module.exports" and right.type == "object":
                for item in ts.list_items(right):
                    key = item if item.type == "shorthand_property_identifier" else item.child_by_field_name("key")
                    value = item if item.type == "shorthand_property_identifier" else item.child_by_field_name("value")
                    if key is None or value is None:
                        continue
                    function = named(_text(value)) if value.type in ("identifier", "shorthand_property_identifier") \
                        else value if value.type in FUNCTIONS else None
                    if function is not None:
                        yield _text(key), function, _text(value) if function is not value else ""
            elif left == "module.exports":  # `module.exports = initDb`: what `require('./db')` gives
                function = named(_text(right)) if right.type == "identifier" else right if right.type in FUNCTIONS else None
                if function is not None:
                    yield "default", function, _text(right) if right.type == "identifier" else ""
            elif (match := re.fullmatch(r"(?:module\.)?exports\.([\w$]+)", left)) is not None:
                function = named(_text(right)) if right.type == "identifier" else right if right.type in FUNCTIONS else None
                if function is not None:
                    yield match.group(1), function, _text(right) if right.type == "identifier" else ""


FLAG_INITS = FactsSpec("eager-init/flag-keeping-inits", flag_keeping_inits, CODE_KINDS, (b"= true", b"=true"))


_DEFAULT_IMPORT = re.compile(rb"\bimport\s+([\w$]+)\s*(?:,|from\b)|\b([\w$]+)\s*=\s*require\(")


def _init_callers(repo: Repo, inits: dict[str, tuple]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(module, exported name) -> the other files that import the module and call a function of that name
    (a start-up loop awaiting the init must be the only code that runs it at start-up)."""
    imported = repo.facts_of(IMPORTED_MODULES)
    stems = {posixpath.splitext(posixpath.basename(path))[0] for path in inits} | \
        {posixpath.basename(posixpath.dirname(path)) for path in inits}
    callers: dict[tuple[str, str], list[str]] = {}
    for path, modules in sorted(imported.items()):
        for module in modules or ():
            if re.sub(r"\.[cm]?[jt]sx?$", "", module.rstrip("/").rsplit("/", 1)[-1]) not in stems:
                continue  # (resolving every import of every file costs: only those whose name may be the module's)
            target = repo_logger.resolve_import(repo, path, module)
            if target not in inits or target == path:
                continue
            try:
                data = repo.file(path).data
            except SkipFile:
                continue
            for name, *_rest in inits[target]:
                # a default export is called by the name it is imported as (any default import, to be safe)
                names = [name.encode()] if name != "default" else \
                    [m.group(1) or m.group(2) for m in _DEFAULT_IMPORT.finditer(data)]
                if any(re.search(rb"\b" + re.escape(local) + rb"\s*\(", data) for local in names):
                    callers.setdefault((target, name), []).append(path)
    return {key: tuple(paths) for key, paths in callers.items()}


_READY = rb"(['\"`])(/ready|/readyz|/readiness)\1"
_READY_CALL = re.compile(rb"\.\s*(?:get|all|head|route)\s*\(\s*" + _READY)
_READY_URL = re.compile(rb"\burl\s*:\s*" + _READY)
_READY_LITERAL = re.compile(_READY)


def ready_route(source_file: SourceFile) -> str | None:
    """The readiness path the file already serves (`/ready`, `/readyz`, `/readiness`), if any:
    from the bytes, comments blanked (it is also a fact gathered ahead, which must not cost a
    parse); from the parse only when the comments cannot be told from the bytes."""
    ranges = source_file.comment_ranges
    if ranges is None:
        return _ready_route_parsed(source_file)
    code = blank(source_file.data, ranges)
    found = _READY_CALL.search(code) or _READY_URL.search(code) or (b"req.url" in code and _READY_LITERAL.search(code))
    return found.group(2).decode() if found else None


READY_ROUTES = FactsSpec("eager-init/ready-routes", ready_route, CODE_KINDS, (b"/ready",))


def mounted_ready_route(source_file: SourceFile, app: str, ready_files: dict[str, str]) -> tuple[str, Node] | None:
    """The readiness path of a router file the app mounts at its root (`app.use(healthRouter)`),
    with the mounting statement."""
    mounted = {}
    for seen in repo_logger.imports_in(source_file):
        target = repo_logger.resolve_module(source_file.repo, source_file.path, seen.module)
        if target in ready_files:
            mounted[seen.local] = ready_files[target]
    if not mounted:
        return None
    for call in ts.iter_member_calls(source_file.tree.root_node):
        if call.method != "use" or _text(call.object) != app or not call.args:
            continue
        prefix = ts.string_value(call.args[0])
        routers = call.args[1:] if prefix is not None else call.args
        if prefix not in (None, "", "/"):
            continue
        for router in routers:
            name = _text(router.child_by_field_name("function") if router.type == "call_expression" else router)
            if name in mounted:
                return mounted[name], ts.enclosing_statement(call.call)
    return None


def health_route(source_file: SourceFile) -> tuple[Node, tuple[str, ...]] | None:
    """The top-level statement registering `/health` (or `/healthz`), and every path it
    registers: `app.get('/health', …)`, `app.route('/health').get(…)`, `app.use('/health', …)`,
    `app.get(HEALTH, …)` (a module-level `const HEALTH = '/health'`), `app.get(['/health', '/live'], …)`
    — the registrations health-endpoints renames."""
    root = source_file.tree.root_node
    for call in ts.iter_member_calls(root):
        if call.method not in ROUTE_METHODS or not call.args:
            continue
        paths = tuple(dict.fromkeys(value for _node, value in registered_paths(call, root) if value.startswith("/")))
        statement = ts.enclosing_statement(call.call)
        if statement.parent == root and statement.type == "expression_statement" and \
                {"/health", "/healthz"} & set(paths):
            return statement, paths
    return None


# --- per file -----------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    lazies = list(find_lazy_inits(source_file, dict(context.imported_inits)))
    # one /ready for the file, on the first rewritten guard, reporting every rewritten flag
    # (Express serves only the first of two routes on one path)
    flags = tuple(dict.fromkeys(lazy.flag for lazy in lazies if lazy.not_moved is None))
    for lazy in lazies:
        if lazy.not_moved is not None:
            yield _report(source_file, lazy)
        else:
            yield _rewrite(source_file, lazy, context, flags)
            flags = ()


def _report(source_file: SourceFile, lazy: LazyInit) -> Finding:
    line, col = source_file.line_col(lazy.statement.start_byte)
    if lazy.memo:
        assigned = [a for a in ts.descendants(lazy.handler, "assignment_expression", "augmented_assignment_expression")
                    if _text(a.child_by_field_name("left")) == lazy.flag]
        kept = ("; a rejected promise stays there, so after one failure every request fails and nothing retries"
                if len(assigned) == 1 else "")  # no `initPromise = null` in a catch
        note = (f"The middleware keeps the init's promise in `{lazy.flag}` and makes every request wait on it{kept}. "
                "Run the init function at start-up with retries, "
                + (lazy.note or f"set a boolean flag when it has succeeded (keep assigning `{lazy.flag}` if other code "
                   "awaits it)")
                + ", let the middleware answer 503 until the flag is set, letting /health and /ready through, and add "
                "/ready (503 until then).")
        return Finding(INFO.id, source_file.path, line, col,
                       f"`{lazy.init_call}` runs on the first request, its promise kept in `{lazy.flag}` (lazy "
                       f"initialisation), but {lazy.not_moved}: move it to start-up by hand", note=note)
    if lazy.note:
        note = lazy.note
    elif lazy.in_function and not lazy.fastify:
        note = ("The middleware is added inside a function or a block: run the init function at start-up with retries "
                f"where the app is created and listens, add /ready (503 until `{lazy.flag}` is set) to that app, and let this "
                "middleware answer 503 until then, letting /health and /ready through.")
    elif lazy.in_function:
        note = ("The hook is added inside a plugin: run the init function at start-up with retries where the root "
                f"instance is created, add /ready (503 until `{lazy.flag}` is set) to the root instance, and let the "
                "hook answer `reply.code(503)` until then, letting /health and /ready through.")
    elif lazy.on_router:
        note = ("The guard is on a router, not on the app: run the init function at start-up with retries, add "
                f"/ready (503 until `{lazy.flag}` is set) to the app that mounts the router, and let the guard "
                "answer 503 until then.")
    else:
        note = ("Moving only the init call to start-up would lose the rest of the guard (other calls, assignments, "
                "locals, the caught error)" + (" or initialise twice beside the start-up call"
                                                 if lazy.startup is not None else "")
                + ". Move the whole initialisation to one start-up path with "
                f"retries, set `{lazy.flag}` when it has finished, answer 503 until then and add a /ready probe.")
    return Finding(INFO.id, source_file.path, line, col,
                   f"`{lazy.init_call}` runs on the first request while {lazy.kept_in or f'`{lazy.flag}`'} is false (lazy "
                   f"initialisation), but {lazy.not_moved}: move it to start-up by hand", note=note)


def _rewrite(source_file: SourceFile, lazy: LazyInit, context: Context, ready_flags: tuple[str, ...]) -> Finding:
    """`ready_flags`: the flags the /ready route this finding adds checks (none: another finding adds it)."""
    # the repository's logger, else the Fastify instance's `app.log`, else console (`logger.writing_logger`)
    found = repo_logger.writing_logger(source_file, dict(context.conventions), lazy.startup or lazy.statement)
    # a level method the logger is not shown to have is console's (on the logger a TypeError, and
    # console-to-logger would take the call for proof of the method)
    methods, meta = repo_logger.call_form(source_file, found, dict(context.conventions), context.shapes)
    unfit, why = repo_logger.unfit_levels(source_file, found, dict(context.conventions), context.shapes,
                                          ("info", "error"))
    levels = {level: "console" if level in unfit else found.binding for level in ("info", "error")}
    if found.binding and len(unfit) == 2:  # neither call fits the logger: no import, the note says why
        found = repo_logger.FileLogger(None, None, why)
    logger = found.binding or "console"
    quote = repo_logger.quote_style(source_file)
    semi = ";" if repo_logger.uses_semicolons(source_file) else ""
    service = source_file.service.name if source_file.service else "service"
    found_health = health_route(source_file)
    health, health_paths = found_health if found_health is not None else (None, ("/health",))
    health_after = health is not None and health.start_byte > lazy.statement.start_byte
    existing_ready = ready_route(source_file)
    mounted = mounted_ready_route(source_file, lazy.app, dict(context.ready_files)) if existing_ready is None else None
    if mounted is not None:
        existing_ready = mounted[0]
        health_after = health_after or mounted[1].start_byte > lazy.statement.start_byte  # let the probes through
    # a Fastify hook runs for every route of the instance, whatever the order they were declared in
    # and so does Koa's middleware, before or after the router that serves /health (often in another file)
    # a Hono sub-app mounted at the root runs its middleware before the root's routes registered after it
    exempt = (lazy.fastify or lazy.koa or health_after or bool(lazy.root)) and not lazy.mounted
    ready = existing_ready is None
    edits = [found.edit] if found.edit else []
    if lazy.declared is not None:
        edits.append(lazy.declared)
    if lazy.parameters is not None:
        edits.append(lazy.parameters)
    edits.append(_guard_edit(source_file, lazy, quote, semi, service, exempt, health_paths,
                             existing_ready or "/ready"))
    edits.extend(_comment_edits(source_file, lazy))
    if lazy.dropped:  # `let initPromise = null;`: nothing reads it any more (TS6133 under noUnusedLocals)
        binding = next(b for b in ts.top_level_bindings(source_file.tree.root_node) if b.name == lazy.dropped)
        edits.extend(Edit(source_file.path, start, end, "") for start, end in
                     ts.binding_removal_spans(source_file.data, [binding]))
    if ready and ready_flags:
        anchor = health if health is not None and not health_after and not lazy.koa else None
        if lazy.root:  # on the app that is served, after /health when it has one, else after the app is made
            anchor = health if health is not None and _receiver(health) == lazy.root else \
                next((b.holder for b in ts.top_level_bindings(source_file.tree.root_node) if b.name == lazy.root), None)
        edits.append(_ready_route_edit(source_file, lazy, ready_flags, anchor, quote, semi, service))
    pino = found.binding is not None and _logs_with_pino(source_file, context, found)
    edits.append(_startup_loop_edit(source_file, lazy, logger, pino, quote, semi, service, levels,
                                    one_message=bool(found.binding) and not meta))
    line, col = source_file.line_col(lazy.statement.start_byte)
    what = f"`{lazy.init_call}` runs on the first request while {lazy.kept_in or f'`{lazy.flag}`'} is false (lazy initialisation)"
    # the console fallback said in the finding itself (console-to-logger will report those calls)
    console = f" (the start-up loop logs with console: {why or found.reason})" if logger == "console" else \
        f" (the start-up loop logs with console.{' and console.'.join(unfit)}: {why})" if unfit else ""
    return Finding(INFO.id, source_file.path, line, col,
                   f"{what}: now at start-up with retries; requests before ready get 503"
                   + ("; /ready added" if ready and ready_flags else "") + console,
                   tuple(edits), note=_note(source_file, lazy, ready, exempt, logger, unfit, why))


def _receiver(statement: Node) -> str:
    """`app` of a statement `app.get(…)` (`app.route('/health').get(…)`)."""
    node = ts.inner_parens(statement.named_children[0]) if statement.named_children else None
    while node is not None and node.type in ("call_expression", "member_expression"):
        node = node.child_by_field_name("function") if node.type == "call_expression" else node.child_by_field_name("object")
    return _text(node) if node is not None else ""


def _guard_edit(source_file: SourceFile, lazy: LazyInit, quote: str, semi: str, service: str, exempt: bool,
                health_paths: tuple[str, ...], ready_path: str) -> Edit:
    """The lazy `if (!flag) { try { await init() } … }` becomes `if (!flag) { return 503 }`;
    `exempt`: the guard lets the health and readiness routes through."""
    indent = source_file.text.indent_at(lazy.guard.start_byte)
    unit = source_file.text.indent_unit
    body = _existing_503(source_file, lazy, indent + unit)
    if body is None:
        payload = (f"{{ error: {quote}Service unavailable{quote}, message: "
                   f"{quote}{service} is starting up, please retry shortly{quote} }}")
        # Express: a bare `return`, so a middleware that falls through to `next()` does not start
        # returning a value on one path (TS7030 under noImplicitReturns)
        body = (f"return {lazy.reply}.code(503).send({payload}){semi}" if lazy.fastify
                else f"return {lazy.request}.json({payload}, 503){semi}" if lazy.hono
                else f"{lazy.request}.status = 503{semi}\n{indent}{unit}{lazy.request}.body = {payload}{semi}\n"
                     f"{indent}{unit}return{semi}" if lazy.koa
                else f"{lazy.reply}.status(503).json({payload}){semi}\n{indent}{unit}return{semi}")
    condition = f"!{lazy.flag}"
    if exempt:
        # Fastify's `request.url` carries the query string (`/health?probe=1`); Koa's `ctx.path` does not
        path = f"{lazy.request}.url.split({quote}?{quote})[0]" if lazy.fastify else \
            f"{lazy.request}.req.path" if lazy.hono else f"{lazy.request}.path"
        condition += "".join(f" && {path} !== {quote}{probe}{quote}" for probe in (*health_paths, ready_path))
    text = f"if ({condition}) {{\n{indent}{unit}{body}\n{indent}}}"
    return Edit(source_file.path, lazy.guard.start_byte, lazy.guard.end_byte, text)


def _existing_503(source_file: SourceFile, lazy: LazyInit, indent: str) -> str | None:
    """The service's own 503 answer from the lazy branch's catch, re-indented."""
    statement = _own_503(lazy)
    if statement is None or _reads_caught_error(lazy, statement):
        return None  # the caught error is not there any more: a generic body instead
    if statement.type == "statement_block":  # Koa's catch: its answer, without the logging
        start, end = (s := [s for s in _statements(statement) if not _logs(s)])[0], s[-1]
        text = source_file.data[start.start_byte:end.end_byte].decode()
        old = source_file.text.indent_at(start.start_byte)
        lines = text.replace("\r\n", "\n").split("\n")
        return "\n".join([lines[0]] + [indent + line[len(old):] if line.startswith(old) else line for line in lines[1:]])
    text = _text(statement)
    old = source_file.text.indent_at(statement.start_byte)
    lines = text.replace("\r\n", "\n").split("\n")
    shifted = [lines[0]] + [indent + line[len(old):] if line.startswith(old) else line for line in lines[1:]]
    return "\n".join(shifted)


def _own_503(lazy: LazyInit) -> Node | None:
    """The lazy branch's `return res.status(503).json(…)`; Koa's answer from `ctx.status = 503`
    (`ctx.status = 503; ctx.body = …; return`: the statements from the status to the return)."""
    if lazy.koa:
        return _koa_503(lazy)
    if lazy.hono:  # `return c.json({ … }, 503)` (`c.text(…, 503)`, `c.body(null, 503)`)
        answer = re.compile(rf"^return\s+{re.escape(lazy.request)}\.(json|text|body|html)\(.*,\s*503\s*\)\s*;?$", re.S)
        return next((s for s in ts.descendants(lazy.guard, "return_statement") if answer.match(_text(s))), None)
    return next((s for s in ts.descendants(lazy.guard, "return_statement")
                 if re.search(r"\.(status|code)\(\s*503\s*\)", _text(s))), None)


def _koa_503(lazy: LazyInit) -> Node | None:
    """The catch of a Koa guard when it answers `ctx.status = 503; ctx.body = …; return` (logging
    aside): its body, whose answering statements `_existing_503` keeps."""
    catch = next(iter(ts.descendants(lazy.guard, "catch_clause")), None)
    body = catch.child_by_field_name("body") if catch is not None else None
    status = re.compile(rf"^{re.escape(lazy.request)}\.status\s*=\s*503$")
    statements = [s for s in _statements(body) if not _logs(s)]
    if not statements or statements[-1].type != "return_statement" or statements[-1].named_children or not any(
            s.type == "expression_statement" and status.match(_text(s.named_children[0])) for s in statements):
        return None
    return body


def _reads_caught_error(lazy: LazyInit, statement: Node) -> bool:
    """Whether `statement` reads a name bound inside the lazy guard (the catch's error)."""
    # (Koa's answer is the catch's statements: its logging goes with the catch)
    kept = [s for s in _statements(statement) if not _logs(s)] if statement.type == "statement_block" else [statement]
    return any(ts.declares(lazy.guard, _text(n)) and not ts.declares(node, _text(n))
               for node in kept for n in ts.descendants(node, "identifier", "shorthand_property_identifier"))


def _comment_edits(source_file: SourceFile, lazy: LazyInit) -> list[Edit]:
    """A comment right above the middleware (its registration, or the named function it
    registers) that says it initialises lazily is now wrong."""
    statements = [lazy.statement]
    if not lazy.statement.start_byte <= lazy.handler.start_byte < lazy.statement.end_byte:
        statements.append(ts.enclosing_statement(lazy.handler))  # `const lazyInit = async (…) => …`
    edits = []
    for statement in statements:
        comment = statement.prev_sibling
        if comment is None or comment.type != "comment" or not LAZY_COMMENT.search(_text(comment)):
            continue
        if source_file.line_col(comment.end_byte)[0] + 1 != source_file.line_col(statement.start_byte)[0]:
            continue
        edits.append(Edit(source_file.path, comment.start_byte, comment.end_byte,
                          "// Until start-up initialisation has finished, answer 503 (see /ready)"))
    return edits


def _ready_route_edit(source_file: SourceFile, lazy: LazyInit, flags: tuple[str, ...], after: Node | None, quote: str,
                      semi: str, service: str) -> Edit:
    unit = source_file.text.indent_unit
    q = quote
    not_ready = " || ".join(f"!{flag}" for flag in flags)
    app = lazy.root or lazy.app
    if lazy.koa:  # a middleware of the app's own, before the guard (Koa apps route through a router)
        route = (f"{lazy.app}.use(async (ctx, next) => {{\n"
                 f"{unit}if (ctx.path !== {q}/ready{q}) {{\n"
                 f"{unit}{unit}await next(){semi}\n"
                 f"{unit}{unit}return{semi}\n"
                 f"{unit}}}\n"
                 f"{unit}if ({not_ready}) {{\n"
                 f"{unit}{unit}ctx.status = 503{semi}\n"
                 f"{unit}{unit}ctx.body = {{ status: {q}not ready{q}, service: {q}{service}{q} }}{semi}\n"
                 f"{unit}{unit}return{semi}\n"
                 f"{unit}}}\n"
                 f"{unit}ctx.body = {{ status: {q}ready{q}, service: {q}{service}{q} }}{semi}\n"
                 f"}}){semi}")
    elif lazy.hono:
        route = (f"{app}.get({q}/ready{q}, (c) => {{\n"
                 f"{unit}if ({not_ready}) {{\n"
                 f"{unit}{unit}return c.json({{ status: {q}not ready{q}, service: {q}{service}{q} }}, 503){semi}\n"
                 f"{unit}}}\n"
                 f"{unit}return c.json({{ status: {q}ready{q}, service: {q}{service}{q} }}){semi}\n"
                 f"}}){semi}")
    elif lazy.fastify:
        route = (f"{lazy.app}.get({q}/ready{q}, async (_request, reply) => {{\n"
                 f"{unit}if ({not_ready}) {{\n"
                 f"{unit}{unit}return reply.code(503).send({{ status: {q}not ready{q}, service: {q}{service}{q} }}){semi}\n"
                 f"{unit}}}\n"
                 f"{unit}return {{ status: {q}ready{q}, service: {q}{service}{q} }}{semi}\n"
                 f"}}){semi}")
    else:
        route = (f"{lazy.app}.get({q}/ready{q}, (_req, res) => {{\n"
                 f"{unit}if ({not_ready}) {{\n"
                 f"{unit}{unit}return res.status(503).json({{ status: {q}not ready{q}, service: {q}{service}{q} }}){semi}\n"
                 f"{unit}}}\n"
                 f"{unit}return res.json({{ status: {q}ready{q}, service: {q}{service}{q} }}){semi}\n"
                 f"}}){semi}")
    comment = "// Readiness: 503 until start-up initialisation has finished (liveness stays on /health)\n"
    if after is not None:
        return Edit(source_file.path, after.end_byte, after.end_byte, f"\n\n{comment}{route}")
    start = _block_start(source_file, lazy.statement)
    return Edit(source_file.path, start, start, f"{comment}{route}\n\n")


def _logs_with_pino(source_file: SourceFile, context: Context, found: repo_logger.FileLogger) -> bool:
    """Whether the logger the loop logs through is pino's, which takes `(meta, message)`: decided
    per file as console-to-logger decides it (`is_pino_for`), as a repository may hold winston
    and pino services side by side."""
    return repo_logger.is_pino_for(source_file.repo, source_file, dict(context.implementations), found)


def _startup_loop_edit(source_file: SourceFile, lazy: LazyInit, logger: str, pino: bool, quote: str, semi: str,
                       service: str, levels: dict[str, str] | None = None, one_message: bool = False) -> Edit:
    """`levels`: what logs each level, `logger` or console (where the logger has no such method);
    `one_message`: the logger is not known to take (message, meta): its calls get one message."""
    unit = source_file.text.indent_unit
    q = quote
    u1, u2, u3 = unit, unit * 2, unit * 3
    error = "error instanceof Error ? error.message : String(error)"
    initialized, failed = f"{q}{service} initialized{q}", f"{q}{service} initialization failed, retrying{q}"
    meta = f"{{ attempt, delayMs, error: {error} }}"
    # pino takes the object first: `logger.info(message, meta)` would drop the object (and fails strict tsc)
    by = levels or {"info": logger, "error": logger}
    info = f"{{ attempt }}, {initialized}" if pino and by["info"] != "console" else f"{initialized}, {{ attempt }}"
    warn = f"{meta}, {failed}" if pino and by["error"] != "console" else f"{failed}, {meta}"
    name = service.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    if one_message and by["info"] != "console":
        info = f"`{name} initialized (attempt ${{attempt}})`"
    if one_message and by["error"] != "console":
        warn = f"`{name} initialization failed, retrying in ${{delayMs}} ms (attempt ${{attempt}}): ${{{error}}}`"
    loop = (
        f"// Initialise at start-up, retrying with backoff until it succeeds; /ready reports when.\n"
        f"void (async () => {{\n"
        f"{u1}for (let attempt = 1; !{lazy.flag}; attempt++) {{\n"
        f"{u2}try {{\n"
        f"{u3}{lazy.init_statement}{semi}\n"
        f"{u3}{lazy.flag} = true{semi}\n"
        f"{u3}{by['info']}.info({info}){semi}\n"
        f"{u2}}} catch (error) {{\n"
        f"{u3}const delayMs = Math.min(1000 * 2 ** (attempt - 1), {MAX_DELAY_MS}){semi}\n"
        f"{u3}{by['error']}.error({warn}){semi}\n"
        f"{u3}await new Promise((resolve) => setTimeout(resolve, delayMs)){semi}\n"
        f"{u2}}}\n"
        f"{u1}}}\n"
        f"}})(){semi}"
    )
    if lazy.startup is not None:  # the start-up call that did not retry
        return Edit(source_file.path, lazy.startup.start_byte, lazy.startup.end_byte, loop)
    last = _final_export(source_file)
    if last is not None:
        start = _block_start(source_file, last)
        return Edit(source_file.path, start, start, f"{loop}\n\n")
    data = source_file.data
    prefix = "" if data.endswith(b"\n") else "\n"
    return Edit(source_file.path, len(data), len(data), f"{prefix}\n{loop}\n")


def _final_export(source_file: SourceFile) -> Node | None:
    """`export default app` / `module.exports = app` when it is the module's last statement."""
    statements = [s for s in source_file.tree.root_node.named_children if s.type != "comment"]
    if not statements:
        return None
    last = statements[-1]
    text = _text(last)
    return last if text.startswith("export default") or text.startswith("module.exports") else None


def _block_start(source_file: SourceFile, statement: Node) -> int:
    """Where to insert before `statement`: above the comment lines directly attached to it."""
    data = source_file.data
    start = statement.start_byte
    sibling = statement.prev_sibling
    while sibling is not None and sibling.type == "comment" and \
            source_file.line_col(sibling.end_byte)[0] + 1 == source_file.line_col(start)[0]:
        start = sibling.start_byte
        sibling = sibling.prev_sibling
    return data.rfind(b"\n", 0, start) + 1


def _note(source_file: SourceFile, lazy: LazyInit, ready: bool, exempt: bool, logger: str,
          unfit: tuple[str, ...] = (), why: str = "") -> str:
    """`unfit`, `why`: the levels the file's logger cannot take, and why (`logger.unfit_levels`)."""
    parts = [
        f"Start-up order changed: `{lazy.init_call}` now runs when this module is loaded (also when a test imports it) "
        f"and retries with backoff up to {MAX_DELAY_MS // 1000} s between attempts until it succeeds",
        f"every request before `{lazy.flag}` is true gets 503"
        + (" (except the health and readiness routes)" if exempt else ""),
        "point readiness probes (Kubernetes readinessProbe, load balancer checks) at /ready and keep liveness on /health"
        if ready else "the existing readiness route must report the same flag",
        "everything the init function uses must be defined before the start-up loop runs",
        "tests that import the app must wait for /ready or stub the init function",
    ]
    if lazy.declared is not None:
        parts.append(f"`{lazy.init_call}` keeps {lazy.kept_in} for itself: `{lazy.flag}`, added here, is what the guard and "
                     "/ready test now; nothing but the start-up loop may call it at start-up")
    if lazy.startup is not None:
        parts.append(f"the start-up call at line {source_file.line_col(lazy.startup.start_byte)[0]} ran it once, "
                     "leaving retries to the first request: the start-up loop replaces it")
    if logger == "console":
        parts.append(f"the start-up loop logs with console: {why or 'no logger was found for this file'}")
    elif unfit:
        parts.append(f"the start-up loop logs with console.{' and console.'.join(unfit)}: {why}")
    own = _own_503(lazy)
    if own is not None and _reads_caught_error(lazy, own):
        parts.append("the service's 503 answer read the caught error, which the guard no longer has: "
                     "a generic 503 body replaces it")
    return "Check: " + "; ".join(f"({i}) {p}" for i, p in enumerate(parts, 1))


FACTS = [repo_logger.VOTES, READY_ROUTES, repo_logger.IMPLEMENTATIONS, repo_logger.LOGGER_CALLS, FLAG_INITS, IMPORTED_MODULES]  # gathered ahead, in the engine's one pass over the files
