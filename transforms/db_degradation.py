"""Let database initialisation that fails after its retries start the service in degraded mode.

## What it does

Finds database initialisation that gives up by crashing: a function that connects —
pg `Pool`/`Client` (`query('SELECT 1')`, `connect()`), mongoose `connect`, redis
`createClient().connect()`, knex `raw('select 1')` (also on `require('knex')(config)`),
Prisma `$connect`, TypeORM `initialize`, Sequelize `authenticate`, mssql `sql.connect(cfg)` and
`new sql.ConnectionPool(cfg).connect()`, a pool's `getConnection()` (mariadb, mysql2, oracledb), mariadb's and
mysql2/promise's `createConnection`, oracledb's `createPool` (it opens the pool's sessions; mysql's and mariadb's
`createPool` make a pool that connects lazily, and are no connect); a connect a database module exports
called as imported by name is the same (`import { connect } from 'mongoose'`, `import { createConnection }
from 'typeorm'`, `const { connect } = require('mongoose')`) — in a retry loop (`for`,
`while`, or a function that calls itself again from its `catch`) and throws when the
retries run out (the audit's `initPostgres` shape); and a failed connect at start-up that
ends in `process.exit(1)` (in a `catch` or a `.catch(…)` callback, or after a retry loop that
ran out: `while (retries) { try { await mongoose.connect(uri); return } catch { retries-- } }
process.exit(1)`). After the loop, an exit (or a `throw`) counts only where nothing but a failed
connect reaches it: right after the loop when a connect that succeeds returns, or under an `if`
that tests what the loop counts down or sets, in either branch (`if (!retries) process.exit(1)`,
`if (!connected) { … }`, `if (connected) { … } else process.exit(1)`); an exit after a usage or config check is not the database's. A `query`/`raw` call
connects only as a probe (`SELECT 1`, `SELECT NOW()`, with or without type arguments): a
retry wrapper that runs any query is a per-request helper and is left alone. An exit in a
script that starts no server (a migration or seed: placed or named so, or exiting 0 when
done) or in a callback that runs later (`setInterval`, a route or event handler) is not
start-up, and is left alone too: a migration must still fail. So is a function that only such code
calls: a lazy, cached getter (`if (cached) return cached; …connect with retries…; throw`) whose every
caller runs per request — in a route or event handler, in an AWS Lambda handler (what a module exports
as `handler`, or types with `aws-lambda`), or in a function of its file only those call — fails that
one request and connects again on the next; a `null` would only move the failure to its callers. What a
middleware's first-request guard runs (`if (!ready) { await init(); ready = true }`) is start-up work
done late, which eager-init moves to start-up: it counts as start-up. A retry loop in a class
method (`class Database { async connect() … }`) degrades like a function when the method
returns no value and is named like start-up (`connect…`, `init…`, `start…`, `waitFor…`): the
callers of a method on an instance are not traced, and need nothing then. One that returns a
value (a `null` would reach them unchecked) or is named like a per-request check (`ready()`,
where a silent return would hide the failure) is reported, not changed.

It rewrites them as the audit's Fix 5: before the final `throw` (or `process.exit(1)`),
when `ALLOW_DEGRADED_MODE === 'true'`, it logs a warning through the repository's
logger (the file's own, else the import other files of the service use, else the pino logger of a
Fastify instance the file makes with one, in pino's (meta, message) order: `app.log.warn({ error }, …)`,
`logger.writing_logger`; where that would be
console or a new import, the `logger`/`log` the function already calls `.error`/`.warn` on, given
one string, when it is shown to have `warn`: the code calls its `.warn(…)`, or what makes it is
known to (`const logger = useLogger()` of a module that makes a pino logger); one string too for a
logger not known to take (message, meta); console's `warn` for a logger not shown to have `warn`
(a `logger.warn(…)` on an object with no `warn` would throw a TypeError just when the database is
down) or that takes a tag first, the note saying why: `logger.call_form`) and returns
`null` (a plain `return` where the function returns nothing). The return type widens
(`Promise<Pool>` → `Promise<Pool | null>`).

Degraded mode must still start the server, so the rule is conservative: a `return` (or a
caller's guard) is added only when the code it skips demonstrably starts no server. The
skipped code is the rest of the `try` after the connect (a listen before it has run
already), the rest of the function after that `try`, and the `.then` callbacks of the
connection (`mongoose.connect(uri).then(() => { …; app.listen(PORT) })`, the common MERN
shape). It must call no `listen`/`createServer`/`start…`, no function that is imported,
aliased or unknown, no function of the file that might start one, and pass none by name
to `.then`/`.on`; calls on other objects, logging and assignments are fine, and an
imported function counts as harmless when its own file shows it starts no server. Else
the process would log "Starting in degraded mode" and end without listening (exit code 0,
which `restart: on-failure` does not restart): the exit is reported ("the code a
degraded `return` would skip … calls startServer()"), not changed. So is an exit when
the file registers a handler that might start the server on the connection
(`mongoose.connection.once('open', …)`; a listener on the database client for other events, such
as knex's `.on('query' | 'query-response' | 'query-error', …)` timing queries, runs per event and
counts only when its body starts a server itself), an exit in the `.catch` of
`const conn = await connect(…).catch(…)` whose value is read later (it would be
undefined), an exit when a handler on the connection exits too
(`mongoose.connection.on('error', … process.exit(1))`: mongoose emits a failed first
connect there as well, so the process would still exit), and, in a file that starts a server, an exit in the `catch` of a function
that connects through another (`bootstrap().catch(…)` where `bootstrap()` awaits
`connectDB()`) — also an imported one whose own file connects with no `catch`
(`connect().then(() => app.listen(…)).catch(…)` with `const { connect } = require('./db')`;
named, default and namespace imports): that catch also receives every other start-up
failure, and a `return` there would skip the `.then` that listens, so the check belongs in
`connectDB()` (the finding names its file). When that function is in the same file
(`bootstrap().catch(() => process.exit(1))`, or the `catch` of a `try` that awaits `connectDB()`),
the exit is left as it is and the connect inside gets the flag-guarded `.catch` described below
for `main();`, under the same conditions (the connection's value not read after it, no use of the
database after it, …): without the flag the failure is rethrown and reaches the exit as before,
with it the start-up carries on to its listen.

A database client counts as one when the file makes it or imports it from the project's own
module, one import deep (`import prisma from './config/prisma'` where that module's default
export is `new PrismaClient()`; `export const pool = new Pool(…)`, `module.exports = { pool }`),
for a retry loop on it too (`await pool.query('SELECT 1')` after `import pool from './db'`).
A degraded connect keeps the service up only when nothing else at start-up needs the database:
when a schema step on the same client catches nothing (Sequelize `sync()`, TypeORM `synchronize()`/
`runMigrations()`, knex `migrate.latest()`; in the file, or in one that imports the client, outside
handlers and timers, with no `.catch` or `try` of its own) it rejects the same way and still ends the
process, so an exit on a failed connect of that client, or its uncaught connect, is reported (naming that
step) rather than degraded. (A retry function that throws is still degraded: its note asks the reviewer
to check what its callers do next with the database.)
A file that a package.json script runs that is not the service's own start (`"load": "bun
src/sync/loadHarness.ts"`, `"seed": …`; not the entry or `main`, nor one a `start`/`dev`/`serve`
script runs too or whose script the service's Dockerfile runs) is a script, and is left alone
like seeds and migrations, whether or not it starts a throwaway server.

Every caller that now receives `null` (from a function that threw, or from one that exited
and returns a value; found by name or through a default import of `module.exports = name` /
`export default name`, type arguments `f<T>()` included) is handled: `const pool = await initPostgres()` followed by uses of
`pool` gets `if (!pool) { return; }` right after it when its function returns nothing (so
nothing changes when not degraded, and in degraded mode the set-up that needs the
database is skipped). When the code after it might start the server (the same test as
above), a `return` could keep the service from listening, so only the statements up to
the last use of `pool` go into `if (pool) { … }` and the rest still runs; when those
statements themselves might start it, the caller is reported. Nor may a guard skip a route
registration (`app.use(…)`, `router.get('/x', …)`): a `return` before one becomes an
`if (pool) { … }` around the uses, and uses that register routes are reported. So is a caller whose
variable is used in a function that runs later (a route handler closing over `pool`), or
handed to a route registration, directly or through a value built from it (a router factory:
`app.use(makeRouter(pool))`, `const routes = createRoutes(pool); app.use('/api', routes)`):
skipping the registration would take the routes away (a `/health` that answered 503 would
answer 404), so the check belongs in the handler, per request (in Express 4 an async handler
that throws on the null pool is an unhandled rejection, which ends the process; the request listener given to
`http.createServer(…)` is such a handler). A caller at the top level of an ES module (`const pool = await
initPostgres()` under top-level await, an entry point's usual shape) has no function to return from: every use in
the module counts, and it is reported, as is one the module exports (`export const pool = …`: its uses are where
it is imported). A declared type (`const pool: Pool = …`) widens to `Pool | null`. A call whose
result is unused needs nothing — unless what runs once it resolves marks the service ready: gRPC health's
`setStatus('', 'SERVING')`, a flag named like readiness set to true (`ready = true`, `state.dbReady = true`), a
`markReady()`, in its `.then` callback or after its `await` (after the uses an `if (pool)` wraps too). That mark ran
only once connected, and would now report the service ready, and draw traffic, with no database (degraded means
started, not ready): such a caller is listed for review; every other caller — a `.then((conn) => …)` callback that
reads the value, or a function given to `.then` by name, among them — is listed (file:line) in the finding and the commit body for
the reviewer, and the function's finding says that the branch needs those hand edits
before it type-checks (strict tsc: possibly null) and before degraded mode is safe there. Functions that already check `ALLOW_DEGRADED_MODE` are left alone.

An exit at the top level of an ES module (`try { await mongoose.connect(…) } catch { …
process.exit(1) }`) has no function to return from: it moves into the `else` of the
degraded-mode check, and the module carries on. When code follows that exit, the case is
reported instead. A top-level connect that catches nothing (`mongoose.connect(uri);`,
`await sequelize.authenticate();`, `const client = await MongoClient.connect(url);`, a `.then(…)` with
no `.catch`) ends the process too: mongoose
rejects when the first connect fails, and an unhandled rejection ends Node ≥ 15 even after it
listens. It gets a `.catch((error) => { if (FLAG) { logger.warn(…) } else { throw error } })`,
which rethrows the same error as before when the flag is unset; when its `.then` is what
starts the server (`mongoose.connect(uri).then(() => app.listen(…))`) the service would stay up
without listening, so that is reported, as is a connect whose value is read afterwards (`client.db()`:
undefined then). A connect given a callback (`MongoClient.connect(url, options, (err, client) => …)`,
mongoose ≤ 6's `connect(uri, options, callback)`) returns no promise a `.catch` could go on (the MongoDB
driver ≤ 4): its failure goes to the callback, and it is reported when the callback might end the process
(`process.exit`, `throw`, `assert.equal(null, err)`), else left alone. mysql (and `mariadb/callback`) has no
promises at all: `connection.connect()` returns undefined and its failure comes as an 'error' event, so a connect of
a file that uses it is reported, never given a `.catch` (a TypeError at start-up). Redis clients are left alone (they
fail through 'error' events too), as are scripts and connects of other modules (`amqp.connect(…)`) — but node-redis
4 (`redis` ^4 in the nearest package.json that declares it; `@redis/client` 1) has a `connect()` that never settles
while Redis is unreachable: with its default `reconnectStrategy` it reconnects for ever, neither resolving nor
rejecting. A start-up `await client.connect()` of a `createClient(…)` client (made in the file, or imported from the
project's module that makes it; no `reconnectStrategy` in that file, options absent or literal) is reported as a
hang, not edited: the code after it (the listen) never runs, and an exit in a `catch` around it is never reached (so
it gets no degraded-mode check that would never run either). The finding says what works (checked with redis 4.7
and no server): a `reconnectStrategy` that gives up (returns an Error after N tries: connect() rejects, and a `catch`
can degrade), or a connect not awaited before the listen, with readiness from the client (`isReady`, its
'ready'/'error' events).

A NestJS provider that connects in `onModuleInit()`/`onApplicationBootstrap()` (Prisma's NestJS guide:
`class PrismaService extends PrismaClient { async onModuleInit() { await this.$connect() } }`, TypeORM
`dataSource.initialize()`, `mongoose.connect(…)`) with no `catch` there ends the process at start-up: Nest awaits
the hook before it listens, so the bootstrap rejects. It is reported, not edited (catch in the hook, degrade with the
flag, let readiness report the database). The connect counts when it is a database's: on a database module, on
`this` of a class extending a database client, or on a member named like one (`this.prisma`, `this.dataSource`; not
`this.kafkaProducer`).

The most common shape is the same failure one call away: a connect awaited in a start function
whose call catches nothing (`async function main() { await mongoose.connect(uri); app.listen(PORT) }`
with `main();`, `void main();`, `main().then(…)` or an async IIFE, also through the file's functions
it awaits; a `try` whose `catch` ends by rethrowing lets the failure through as well). The `.catch`
goes on the connect inside the function, so a degraded start still carries on
to the listen after it. It is reported instead when the connection's value is read afterwards (`const
conn = await mongoose.connect(…)`: undefined then), when the function goes on to use the database
(`await sequelize.sync()` rejects the same way), or when the connect is in another file. A process
with a `process.on('unhandledRejection' | 'uncaughtException', …)` handler that neither exits nor
throws does not end on an unhandled rejection: there only a failure that skips the server start (the
listen after the connect in `main()`) is reported, as a service that stays up without listening.

`ALLOW_DEGRADED_MODE` is added to the repository's env templates (`env.template`, `.env.example`, …)
that lack it, so the new variable is documented where the others are.

## Why

The audit (Section 2, "Database Connection Failures Crash Services") found services
that throw after their connection retries and exit when the database is down at
start-up: one database outage takes the whole service down, it cannot even start to
report its state, and orchestrators restart it in a loop. With degraded mode allowed,
the service starts, answers its health and readiness probes, and serves what does not
need the database.

## Example

```diff
-export async function initPostgres(): Promise<Pool> {
+export async function initPostgres(): Promise<Pool | null> {
   …
   logger.error('PostgreSQL connection failed after retries', { attempts: MAX_RETRIES });
+  if (process.env.ALLOW_DEGRADED_MODE === 'true') {
+    logger.warn('Starting in degraded mode: PostgreSQL unavailable (ALLOW_DEGRADED_MODE=true)', { error: lastError instanceof Error ? lastError.message : String(lastError) });
+    return null;
+  }
   throw lastError;
 }
```

and its caller:

```diff
       const pool = await initPostgres();
+      if (!pool) {
+        return; // degraded mode (ALLOW_DEGRADED_MODE=true): no database
+      }
       await ensureCourseSchema(pool);
```

## Fix safety

Review. Nothing changes unless `ALLOW_DEGRADED_MODE=true` is set, but then the
service runs without its database: every request that needs it fails at request time
instead of the process failing at start-up. A reviewer checks, per finding note: where
the flag may be set, every caller listed as receiving `null`, and what requests do
while the database is missing (a getter like `getPool()` throws: map that to a 503).
"""

from __future__ import annotations

from functools import partial

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from fixer import logger as repo_logger
from fixer.model import Edit, Finding, FixInfo
from fixer.parsing import typescript as ts
from fixer.parsing.typescript import Node, node_text as _text
from fixer.cache import stable_digest
from fixer import envtemplate
from fixer.repo import CODE_KINDS, FactsSpec, Repo, SourceFile
from fixer.scripts import all_script_files
from transforms import eager_init  # its first-request guards: start-up work done late (`per_request`)

INFO = FixInfo(
    id="db-degradation",
    title="Start in degraded mode when the database is down",
    audit="Fix 5",
    week=2,
    order=6,
    severity="high",
    safety="review",
    kinds=frozenset({"ts", "tsx", "js"}),
    # callers of the init functions are found by name, so no fixed prefilter: scan()
    # returns early from the bytes for files that neither connect nor call one
    structural="files",  # scan: module resolution and service directories (the logger import)
    version=22,  # 22: the warning through logger.writing_logger (a Fastify instance's app.log, pino order); 21: a node-redis v4 connect awaited at start-up is a hang (reported), a project client's connect no longer refuses itself, Nest onModuleInit connects reported; 20: a top-level caller (top-level await) is reviewed with its uses, createServer listeners run per request; 19: a readiness mark the degraded caller would reach is listed for review, the logger a service has in its image; 18: a function only request or AWS Lambda handlers reach is no start-up code (per_request), left alone; 17: the logger chosen and imported as console-to-logger 23 does (path alias scope, TypeScript package entries, request-logger middleware); 16: mysql, mariadb, mssql and oracledb (getConnection, oracledb createPool) connects; 15: top-level `const x = await connect()` is a start-up connect, a rethrowing catch lets failures through, callback connects reported not edited; 14: no logger import a CommonJS TypeScript file cannot load (logger_for); 13: connects imported by name (mongoose connect, typeorm createConnection), retry loops on a client another module makes, an uncaught schema step on the same client (sequelize.sync()) reported; 12: an exit in the else of an if after the retry loop (`if (connected) … else process.exit(1)`); 11: a local logger only when shown to have warn (logger.unfit_levels); an exit or throw after a retry loop's failed connects; 10: a logger's level methods checked before a call is written (logger.LOGGER_CALLS); npm logger packages only where the image resolves them; 9: a logger required and made in one expression (`require('log4js').getLogger()`) is the file's own; 8: the function's own `logger`/`log` before console or a new import
)
CONNECT_BYTES = (b"connect", b"query(", b"query<", b"initialize(", b"authenticate(", b"raw(", b"raw<", b"ping(",
                 b"getConnection(", b"createPool(")

FLAG = "ALLOW_DEGRADED_MODE"
DATABASES = {  # module -> what to call it in messages
    "pg": "PostgreSQL", "postgres": "PostgreSQL", "mongoose": "MongoDB", "mongodb": "MongoDB", "redis": "Redis",
    "ioredis": "Redis", "knex": "the database", "@prisma/client": "the database", "typeorm": "the database",
    "sequelize": "the database", "mysql2": "MySQL", "mysql2/promise": "MySQL", "mysql": "MySQL", "mariadb": "MariaDB",
    "mariadb/callback": "MariaDB", "mssql": "SQL Server", "mssql/msnodesqlv8": "SQL Server", "oracledb": "Oracle",
}
# modules whose connects return no promise (`connection.connect()` of mysql returns undefined; a failure goes to
# the callback or comes as an 'error' event): a `.catch` on one is a TypeError at start-up, so they are reported
CALLBACK_MODULES = frozenset({"mysql", "mariadb/callback"})
# what connects only on one module: `await oracledb.createPool(cfg)` opens the pool's sessions and rejects when the
# database is down, while mysql's and mariadb's `createPool(cfg)` make a pool at once and connect lazily
MODULE_CONNECTS = {"oracledb": frozenset({"createPool"})}
CONNECT_METHODS = frozenset({"connect", "$connect", "initialize", "authenticate", "query", "raw", "ping", "createConnection",
                             "getConnection"})  # (mariadb's, oracledb's and mysql2's pools: `await pool.getConnection()`)
# `query`/`raw` connect only as a probe (`query('SELECT 1')`): a helper that runs any query is per request
PROBE_METHODS = frozenset({"query", "raw"})
PROBE = re.compile(r"(?i)\s*select\s+(1\b|now\s*\(|version\s*\(|current_(date|time|timestamp)\b|true\b)")
LOOPS = ("for_statement", "for_in_statement", "while_statement", "do_statement")


@dataclass(frozen=True)
class InitFunction:
    path: str
    name: str
    line: int
    database: str
    returns_value: bool  # degraded mode returns `null` (else a plain `return`)
    gives_up: str = "throw"  # "throw" after its retries, or "exit" (`process.exit(1)` when its connect fails)
    default_export: bool = False  # `module.exports = name` / `export default name`: a default import calls it
    # in a file that imports no database module: the project import its connects are called on (the module as
    # written, the name imported, the member read from it: `import pool from './db'` -> ('./db', 'default', ''),
    # `db.pool.query(…)` of `import * as db` -> (…, '*', 'pool')); `prepare` keeps it when that is a database client
    client: tuple[str, str, str] = ()


@dataclass(frozen=True)
class CallSite:
    path: str
    line: int
    function: str  # "path:name" of the init function
    action: str  # "guard", "wrap", "widen", "unused" or "review"
    detail: str  # for the reviewer
    per_request: str = ""  # why the call runs per request or event, not at start-up (`per_request`), or ""


@dataclass(frozen=True)
class Context:
    functions: tuple[InitFunction, ...]
    sites: tuple[CallSite, ...]
    conventions: tuple[tuple[str | None, repo_logger.LoggerImport], ...]
    env_projects: tuple[tuple[str, tuple[str, ...]], ...]  # tsconfig.json directory -> kinds reading process.env['X']
    harmless: frozenset[str] = frozenset()  # "path:name" of the project's functions that start no server
    connecting: tuple["ConnectingFunction", ...] = ()  # functions that connect and let a failure through
    clients: tuple["DatabaseClient", ...] = ()  # database clients the project's modules export
    scripts: tuple[tuple[str, str], ...] = ()  # files package.json scripts run that serve nothing -> why
    # what the repository's loggers take and the level methods they have (`logger.logger_shapes`)
    shapes: repo_logger.Shapes = ()
    # start-up schema steps that catch nothing (`sequelize.sync()`): (the file of the client they use, the step)
    steps: tuple[tuple[str, "StartupStep"], ...] = ()


# --- finding initialisation that crashes ------------------------------------------------


def database_of(source_file: SourceFile) -> str | None:
    for seen in repo_logger.imports_in(source_file):
        if seen.module in DATABASES:
            return DATABASES[seen.module]
    for node in source_file.tree.root_node.named_children:
        source = node.child_by_field_name("source") if node.type == "import_statement" else None
        if ts.string_value(source) in DATABASES:
            return DATABASES[ts.string_value(source) or ""]
    if b"require" in source_file.data:  # `const knex = require('knex')({ client: 'pg', … })`
        for call in ts.descendants(source_file.tree.root_node, "call_expression"):
            if ts.required_module(call) in DATABASES:
                return DATABASES[ts.required_module(call) or ""]
    return None


def class_methods(root: Node) -> Iterator[tuple[str, str, Node]]:
    """`class Database { async connect() { … } }` -> ("Database.connect", "connect", the method)."""
    for method in ts.descendants(root, "method_definition"):
        body = method.parent
        owner = body.parent if body is not None and body.type == "class_body" else None
        name = method.child_by_field_name("name")
        if owner is not None and name is not None:
            yield f"{_text(owner.child_by_field_name('name')) or 'class'}.{_text(name)}", _text(name), method


def named_functions(root: Node) -> Iterator[tuple[str, Node]]:
    """Top-level `function name()` and `const name = async () => …` (exported or not)."""
    for statement in root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        if declaration is None:
            continue
        if declaration.type == "function_declaration":
            name = declaration.child_by_field_name("name")
            yield _text(name), declaration
        elif declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in ts.list_items(declaration):
                value = declarator.child_by_field_name("value")
                name = declarator.child_by_field_name("name")
                if value is not None and value.type in ("arrow_function", "function_expression", "function") and \
                        name is not None and name.type == "identifier":
                    yield _text(name), value


def terminal_throws(function: Node, name: str) -> list[Node]:
    """The `throw`s that give up after the retries: inside a `catch` in a retry loop or in a
    function that retries by calling itself; else a `throw` after a loop that connects (also
    under an `if` that tests what the loop counts: `_after_failed_retries`)."""
    body = function.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return []
    own = [t for t in ts.descendants(body, "throw_statement") if ts.enclosing_function(t) == function]
    recursive = any(_text(ts.called_function(c)) == name for c in ts.descendants(body, "call_expression"))
    in_catch = []
    for throw in own:
        catch = _enclosing_within(throw, function, "catch_clause")
        if catch is None or not _connects(catch.parent):
            continue
        if recursive or _enclosing_within(catch, function, *LOOPS) is not None:
            in_catch.append(throw)
    if in_catch:
        return in_catch
    after_loop = []
    for throw in own:
        if throw.parent == body and any(s.type in LOOPS and _connects(s) and s.end_byte <= throw.start_byte
                                        for s in ts.list_items(body)) or _after_failed_retries(throw, function):
            after_loop.append(throw)
    return after_loop


@dataclass(frozen=True)
class StartupExit:
    statement: Node  # `process.exit(1);`
    problem: str | None  # why it is reported instead of degraded, and what to do (None: it degrades)
    database: str | None = None  # the database of the imported function that connects, when it is one
    # the connects, in the file's functions the start-up call runs, whose failure ends up here: each gets
    # the degraded `.catch` (this exit is left as it is, for every other start-up failure)
    inner: tuple["_FailingConnect", ...] = ()
    through: str = ""  # the call that runs them (`bootstrap()`)


def startup_exits(root: Node, path: str = "", imported: dict[str, "ConnectingFunction"] | None = None,
                  clients: frozenset[str] = frozenset(), lazy: tuple[tuple[int, int], ...] = (),
                  hanging: frozenset[str] = frozenset(), redis_v4: bool = False) -> Iterator[StartupExit]:
    """`process.exit(1)` statements run when connecting at start-up fails: in the `catch` of
    a `try` that connects, or in a `.catch(…)` callback on a connect call — or, in a file
    that starts a server, on a call of one of its functions, or of an `imported` one (callee
    text -> the function), that lets its connect fail through (`bootstrap()`, `connectDB()`).
    Not in a script that starts no server (a migration or seed must still fail), nor in a
    callback that runs later (a timer, a route or event handler)."""
    imported = imported or {}
    functions = dict(named_functions(root))
    callees = _callees(root)
    if not _starts_server(root, functions) and _is_script(root, path):
        return
    for call in ts.descendants(root, "call_expression"):
        if _text(call.child_by_field_name("function")) != "process.exit":
            continue
        statement = ts.outer_parens(call).parent
        # `.catch(() => process.exit(1))`: the exit is the whole body of an arrow function
        bare = statement is not None and statement.type == "arrow_function" and \
            statement.child_by_field_name("body") == ts.outer_parens(call)
        function = ts.enclosing_function(call)
        # `while (retries) { try { await connect(); return } catch { … } } process.exit(1)`: the try it gives up on
        retried = _after_failed_retries(statement, function) if statement is not None and not bare else None
        if bare:
            statement = ts.outer_parens(call)
        elif statement is None or statement.type != "expression_statement" or statement.parent is None or \
                statement.parent.type != "statement_block" and retried is None:
            continue
        if _in_later_callback(call, lazy):  # (`lazy`: first-request guards, start-up work: `per_request`)
            continue
        catch = _enclosing_within(call, function, "catch_clause") if function is not None else ts.enclosing(call, "catch_clause")
        callbacks: list[Node] = []
        if catch is not None and catch.parent is not None and catch.parent.child_by_field_name("body") is not None:
            attempt = catch.parent.child_by_field_name("body")
            if any(_awaited(c) and _never_settles(c, hanging, redis_v4) for c in ts.descendants(attempt, "call_expression")):
                continue  # the connect never rejects, the catch never runs: a hang (`_hanging_connects`), no exit
            problem = _skips_server_start_in_try(attempt, catch.parent, function, callees) if _connects(attempt) else None
        elif retried is not None:
            attempt = retried[0].child_by_field_name("body")
            problem = _skips_server_start_in_try(attempt, retried[1], function, callees) if function is not None else (
                f"the retries give up at the top level, where there is no function to return from: not degraded; add "
                f"the {FLAG} check before the exit by hand, and let the module carry on to start the server")
        else:
            arguments = function.parent if function is not None else None
            owner = ts.member_call(arguments.parent) if arguments is not None and arguments.parent is not None else None
            if owner is None or owner.method != "catch":
                continue
            attempt, callbacks = _promise_chain(owner.object)
            problem = _skips_server_start_in_then(owner, callbacks, callees) if _connects(attempt) else None
        if _connects(attempt):
            handler = _event_handler_starter(root, callees) if problem is None else None
            if handler is not None:
                problem = (f"the server might start in {handler}, which a failed connection never runs: not degraded; "
                           f"start the server outside the connection's handlers and add the {FLAG} check by hand")
            exiting = _exiting_event_handler(root) if problem is None else None
            if exiting is not None:
                problem = (f"the handler {exiting} exits too, and a failed connection reaches it as well (mongoose "
                           f"emits 'error' on its connection): not degraded; add the {FLAG} check to both by hand")
            via = next((imported[callee] for c in ts.descendants(attempt, "call_expression")  # `db.connect()` of ./db
                        if (callee := _text(ts.called_function(c))) in imported and _is_connect_call(c)), None)
            if problem is None and bare:
                problem = (f"the exit is the whole body of its callback (`{_quote(statement.parent)}`), which has no "
                           f"room for the check: not degraded; make it a block and add the {FLAG} check by hand")
            yield StartupExit(statement, problem, via.database if via is not None else None)
            continue
        connecting = ((c, _connecting_function(_text(c.child_by_field_name("function")), functions, set(), imported))
                      for c in ts.descendants(attempt, "call_expression"))
        call, through = next(((c, name) for c, name in connecting if name is not None), (None, None))
        if through is not None and call is not None and _starts_server(root, functions):  # a service, not a seed script
            outside = imported[through] if through in imported and through not in functions else None
            where = f" ({outside.path})" if outside is not None else ""
            if outside is None:
                # `bootstrap().catch(exit)`: a `.catch` on the connect inside lets bootstrap() carry on to its listen
                inner, problem = _inner_connects(root, call, callbacks, functions, imported, callees, clients)
                if problem is None:
                    yield StartupExit(statement, None, None, tuple(inner), f"{_quote(ts.called_function(call))}()")
                    continue
                yield StartupExit(statement, f"the connection is made in {through}(), whose failure ends up here with "
                                             f"every other start-up failure, and {problem}")
                continue
            yield StartupExit(statement, f"the connection is made in {through}(){where}, whose failure ends up here "
                                         f"with every other start-up failure: not degraded; let {through}() degrade "
                                         f"itself (its own `catch` with the {FLAG} check) so that the server still "
                                         "starts", outside.database if outside is not None else None)


def _after_failed_retries(statement: Node, function: Node | None) -> tuple[Node, Node] | None:
    """When the exit (or `throw`) `statement` runs because a retry loop before it ran out (the common mongoose
    `connectDB()`): the `try` in the loop that connects and catches its failure, and the statement of
    the function body that holds the exit; else None. The exit is reached only when connecting failed:
    right after the loop when a connect that succeeds leaves the function (a `return` in that `try`),
    or in the consequence of an `if` after it that tests what the loop counts down or sets (`if
    (!retries) process.exit(1)`, `if (!connected) { …; process.exit(1) }`). An exit under any other
    test (a usage or config check after the loop) or with no such loop before it is not one."""
    body = function.child_by_field_name("body") if function is not None else _root(statement)
    if body is None or body.type not in ("statement_block", "program") or \
            statement.type not in ("expression_statement", "throw_statement"):
        return None
    top, condition = statement, None
    if statement.parent != body:
        holder = statement.parent.parent if statement.parent is not None and statement.parent.type == "statement_block" \
            else statement.parent
        branch = statement.parent if holder is not None and holder != statement.parent else statement
        if holder is not None and holder.type == "else_clause":  # `if (connected) { … } else process.exit(1)`
            branch, holder = holder, holder.parent
        if holder is None or holder.type != "if_statement" or holder.parent != body or branch not in (
                holder.child_by_field_name("consequence"), holder.child_by_field_name("alternative")):
            return None
        top, condition = holder, holder.child_by_field_name("condition")
    loop = top.prev_named_sibling
    while loop is not None and loop.type not in LOOPS:
        loop = loop.prev_named_sibling
    if loop is None:
        return None
    for attempt in ts.descendants(loop, "try_statement"):
        tried = attempt.child_by_field_name("body")
        if ts.enclosing_function(attempt) != function or attempt.child_by_field_name("handler") is None or \
                not _connects(tried):
            continue
        if condition is None:
            if any(ts.enclosing_function(r) == function for r in ts.descendants(tried, "return_statement")):
                return attempt, top
        elif {_text(n) for n in ts.descendants(condition, "identifier")} & _changed_in(loop, function):
            return attempt, top
    return None


def _changed_in(loop: Node, function: Node | None) -> set[str]:
    """The names the loop assigns or counts (`retries--`, `connected = true`), not in a nested function."""
    changed = set()
    for node in ts.descendants(loop, "assignment_expression", "augmented_assignment_expression", "update_expression"):
        target = node.child_by_field_name("left") if node.type != "update_expression" else \
            node.child_by_field_name("argument")
        if target is not None and target.type == "identifier" and ts.enclosing_function(node) == function:
            changed.add(_text(target))
    return changed


def _inner_connects(root: Node, call: Node, callbacks: list[Node], functions: dict[str, Node],
                    imported: dict[str, "ConnectingFunction"], callees: _Callees, clients: frozenset[str]
                    ) -> tuple[list["_FailingConnect"], str | None]:
    """The connects whose failure the start-up `call` (`bootstrap()` of `bootstrap().catch(exit)`) lets
    through from the file's functions, when a degraded `.catch` on each keeps the start-up going;
    else why not (a connect in another file or of another client, a value read, a database use after it)."""
    callee = ts.inner_parens(ts.called_function(call) or call)
    name = _text(callee)
    if callee.type != "identifier" or name not in functions:
        return [], f"{name}() is not a function of this file: not degraded; add the {FLAG} check to its connect by hand"
    others = _other_clients(root, clients)
    found = list(_failing_connects(name, functions[name], functions, {name}, imported))
    for failing in found:
        connect = failing.calls[-1]
        owner = _connect_object(connect)
        if failing.imported:
            return [], (f"the connect in {failing.function}() is in another file, which is not edited from here: not "
                        f"degraded; let {failing.function}() degrade itself (a `.catch` with the {FLAG} check on its "
                        "connect) so that the server still starts")
        if owner is None or _text(_root_object(owner)) in others or re.search(r"(?i)redis", _text(owner)):
            return [], (f"{_quote(connect)} is no database connect this fix degrades: not degraded; add the {FLAG} "
                        "check by hand")
        reader = _result_read(call) if _returns_connection(failing) else None
        problem = _why_not_degraded(root, call, failing, callbacks, callees, True, None)
        if problem is None and reader is not None:
            problem = (f"the connection's value ({reader}) would be undefined after a degraded `.catch`: not degraded; "
                       f"check for the missing connection there and add the {FLAG} check by hand")
        if problem is not None:
            return [], problem
    if not found:
        return [], f"let {name}() degrade itself (its own `catch` with the {FLAG} check) so that the server still starts"
    return found, None


def _returns_connection(failing: "_FailingConnect") -> bool:
    """Whether every function from the start-up call down returns the connect's value."""
    for call in failing.calls:
        expression = ts.outer_parens(call)
        if expression.parent is not None and expression.parent.type == "await_expression":
            expression = ts.outer_parens(expression.parent)
        parent = expression.parent
        if parent is None or parent.type != "return_statement" and not (
                parent.type == "arrow_function" and parent.child_by_field_name("body") == expression):
            return False
    return True


def _result_read(call: Node) -> str | None:
    """How the value of the start-up `call` is read (`const conn = await connectDB()`), through its
    `.then`/`.catch`/`.finally` chain, or None."""
    node = call
    while True:
        expression = ts.outer_parens(node)
        parent = expression.parent
        member = ts.member_call(parent.parent) if parent is not None and parent.type == "member_expression" and \
            parent.parent is not None else None
        if member is None or member.method not in ("then", "catch", "finally"):
            return _chain_value_reader(node)
        node = member.call


def _skipped(where: str, starter: str) -> str:
    return (f"the code a degraded `return` would skip ({where}) calls {starter}: degraded mode might never start the "
            f"server: not degraded; move the server start out of it and add the {FLAG} check by hand")


def _skips_server_start_in_try(attempt: Node, statement: Node, function: Node | None, callees: _Callees) -> str | None:
    """Why a `return` in the catch of this `try` could keep the server from starting, or None:
    the rest of the `try` after the connect, and the rest of the function after the `try`
    (code before the connect has run already)."""
    connect = next(c for c in ts.descendants(attempt, "call_expression") if _is_connect_call(c))
    starter = _server_starter(attempt, callees, after=connect.end_byte)  # the connect itself starts no server
    if starter is not None:
        return _skipped("the rest of the `try` that connects", starter)
    body = function.child_by_field_name("body") if function is not None else None
    starter = _server_starter(body, callees, after=statement.end_byte) if body is not None else None
    if starter is not None:
        return _skipped("the rest of the function after the `try`", starter)
    return None


# node-redis v4 (`redis`, `@redis/client`): `client.connect()` of a client whose reconnectStrategy is the default
# retries for ever while the server is unreachable, and its promise never settles (it neither resolves nor rejects)
NEVER_REJECTING_MODULES = frozenset({"redis", "@redis/client"})
HANG_REMEDY = ("give createClient a `socket: { reconnectStrategy: (retries) => retries > 5 ? new Error('Redis unreachable') "
               ": Math.min(retries * 200, 2000) }` that gives up (then connect() rejects and a `catch` with the "
               f"{FLAG} check can degrade), or start the server without awaiting connect() (`client.connect().catch(…)`) "
               "and report readiness from the client (`client.isReady`, its 'ready'/'error' events)")


def _never_settles(connect: Node, hanging: frozenset[str] = frozenset(), redis_v4: bool = True) -> str | None:
    """`redis.connect()` (as `redis.connect()`) when `redis` is a node-redis v4 client the file makes
    (`createClient(…)` of `redis`/`@redis/client`, no `reconnectStrategy` in its options) or imports from the
    project's module that makes one (`hanging`: `DatabaseClient.hangs`), else None: while Redis is unreachable
    that connect never settles, so a start-up that awaits it hangs. `redis_v4`: the file's package declares
    node-redis 4 (`declares_node_redis_v4`); else only the imported clients count."""
    member = ts.member_call(connect)
    if member is None or member.method != "connect" or ts.inner_parens(member.object).type != "identifier":
        return None
    name = _text(ts.inner_parens(member.object))
    if name in hanging:
        return f"{name}.connect()"
    root = _root(connect)
    if not redis_v4:
        return None
    if b"reconnectStrategy" in (root.text or b""):
        return None  # a strategy that may give up (or options we cannot see through): not known to hang
    for declarator in ts.descendants(root, "variable_declarator"):
        left, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
        if left is not None and _text(left) == name and value is not None:
            return f"{name}.connect()" if _hanging_client(ts.inner_parens(value)) else None
    return None


def _hanging_client(value: Node) -> bool:
    """`createClient(…)` of node-redis v4 with no options or literal ones (`reconnectStrategy` checked by the caller)."""
    if value.type != "call_expression":
        return False
    callee = ts.inner_parens(value.child_by_field_name("function"))
    target = ts.inner_parens(callee.child_by_field_name("object")) if callee.type == "member_expression" else callee
    seen = _import_of(target) if target.type == "identifier" else None
    module = ts.required_module(target) if target.type == "call_expression" else seen.module if seen else None
    if module not in NEVER_REJECTING_MODULES or not _text(callee).endswith("createClient"):
        return False
    arguments = ts.list_items(value.child_by_field_name("arguments"))
    return not arguments or arguments[0].type == "object"  # options built elsewhere: not known


# the ranges of the node-redis releases whose default reconnectStrategy retries for ever (redis 4 is @redis/client 1)
NODE_REDIS_V4 = {"redis": re.compile(r"^\s*[\^~=v]*\s*4(\.|$|\.x)"), "@redis/client": re.compile(r"^\s*[\^~=v]*\s*1(\.|$|\.x)")}


def declares_node_redis_v4(source_file: SourceFile) -> bool:
    """Whether the nearest package.json above the file that declares node-redis declares version 4 (`^4.6.0`):
    the release whose connect() is known to never settle while Redis is unreachable (`_never_settles`)."""
    packages = source_file.repo.packages
    directory = source_file.path
    while directory:
        directory = directory.rsplit("/", 1)[0] if "/" in directory else ""
        manifest = packages.get(directory) or {}
        for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
            declared = manifest.get(key)
            for module, version in (declared.items() if isinstance(declared, dict) else ()):
                if module in NODE_REDIS_V4 and isinstance(version, str):
                    return NODE_REDIS_V4[module].match(version) is not None
    return False


def _awaited(call: Node) -> bool:
    expression = ts.outer_parens(call)
    return expression.parent is not None and expression.parent.type == "await_expression"


def _hang_message(connect: str) -> str:
    return (f"hangs at start-up when Redis is unreachable: {connect} of a node-redis v4 client (createClient with no "
            "reconnectStrategy that gives up) retries for ever and its promise never settles, so the code after this "
            "`await` (a server start among it) never runs and a `catch` around it never runs either (no exit, no "
            f"{FLAG} check): not edited; " + HANG_REMEDY)


def _skips_server_start_in_then(owner: ts.MemberCall, callbacks: list[Node], callees: _Callees) -> str | None:
    """Why a `return` in this `.catch` callback could keep the server from starting, or None:
    its `.then` callbacks never run, and a value read from the chain is undefined."""
    for callback in callbacks:
        starter = _quote(callback) + "() (passed by name)" if callback.type in ("identifier", "member_expression") \
            else _server_starter(callback, callees)
        if starter is not None:
            return _skipped("the `.then` of the connection", starter)
    reader = _chain_value_reader(owner.call)
    if reader is not None:
        return (f"its value ({reader}) is read afterwards and is undefined after a degraded `return`: not degraded; "
                f"check for the missing connection there and add the {FLAG} check by hand")
    return None


def _chain_value_reader(chain: Node) -> str | None:
    """How the value of `connect(…).catch(…)` is used (`const conn = await …` then read), or None."""
    expression = ts.outer_parens(chain)
    if expression.parent is not None and expression.parent.type == "await_expression":
        expression = ts.outer_parens(expression.parent)
    parent = expression.parent
    if parent is None or parent.type == "expression_statement":
        return None
    if parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            function = ts.enclosing_function(parent)
            scope = function.child_by_field_name("body") if function is not None else parent
            while function is None and scope.parent is not None:
                scope = scope.parent
            uses = [r for r in ts.identifier_references(scope, _text(name)) if r.start_byte > parent.end_byte]
            return f"`{_text(name)}`, line {uses[0].start_point[0] + 1}" if uses else None
    return f"`{_quote(parent)}`"


SERVER_METHODS = re.compile(r"^(listen|createServer|start|serve|boot|run|launch)")
LOG_METHODS = frozenset({"log", "info", "warn", "error", "debug", "trace", "fatal", "verbose", "http", "silly"})
# calls that run a function they are given (by name or inline): the function may start the server
CALLBACK_TAKERS = frozenset({"then", "finally", "on", "once", "addListener", "prependListener",
                             "prependOnceListener", "setTimeout", "setImmediate", "nextTick", "queueMicrotask"})
def _requires_project_module(call: Node) -> bool:
    """`require('./server')`: loading a module of the project runs it, and it may listen."""
    arguments = call.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    return first is not None and (ts.string_value(first) or "").startswith(".")


HARMLESS_CALLS = frozenset({"require", "String", "Number", "Boolean", "parseInt", "parseFloat", "Symbol", "BigInt",
                            "Error", "isNaN", "encodeURIComponent", "decodeURIComponent"})


@dataclass(frozen=True)
class _Callees:
    """What calls in a file can reach: its own named functions, and what it imports from the project."""
    functions: dict[str, Node]
    project_imports: dict[str, ts.Imported]  # bound from a relative module: project code that may start a server
    source_file: SourceFile | None = None  # to resolve those imports…
    harmless: frozenset[str] = frozenset()  # …against the project's functions that start no server ("path:name")

    def imports_harmless(self, local: str, member: str | None) -> bool:
        """Whether a project import (`ensureSchema`, or `db.init` of `const db = require('./db')`) is a
        function that demonstrably starts no server."""
        seen = self.project_imports.get(local)
        if seen is None or self.source_file is None:
            return False
        name = member if seen.name in ("default", "*") and member else seen.name
        target = repo_logger.resolve_module(self.source_file.repo, self.source_file.path, seen.module)
        return f"{target}:{name}" in self.harmless


def _callees(root: Node, source_file: SourceFile | None = None, harmless: frozenset[str] = frozenset()) -> _Callees:
    imports = ts.import_table(root)
    return _Callees(dict(named_functions(root)), {n: i for n, i in imports.items() if i.module.startswith(".")},
                    source_file, harmless)


def harmless_functions_of(source_file: SourceFile) -> list[str]:
    """The file's named functions that demonstrably start no server (what they import counts as
    one that might): a caller may skip them in degraded mode."""
    callees = _callees(source_file.tree.root_node)
    return [f"{source_file.path}:{name}" for name, function in callees.functions.items()
            if _server_starter(function, callees, 0, frozenset({name})) is None]


def _server_starter(node: Node, callees: _Callees, after: int = 0, seen: frozenset[str] = frozenset()) -> str | None:
    """The first call in `node` (from byte `after` on) that starts a server or might (`listen()`,
    `startServer()`, an imported or aliased function, a function handed to `.then`/`.on`), else
    None: degraded mode may skip `node` only when it demonstrably starts no server."""
    for call in ts.descendants(node, "call_expression"):
        if call.start_byte >= after:
            found = _call_may_start(call, callees, seen)
            if found is not None:
                return found
    return None


def _call_may_start(call: Node, callees: _Callees, seen: frozenset[str]) -> str | None:
    callee = ts.inner_parens(call.child_by_field_name("function"))
    member = ts.member_call(call)
    takes_callbacks = False
    if callee.type in ("arrow_function", "function_expression", "function"):
        pass  # an IIFE: its body is among the descendants
    elif member is not None:
        root = _root_object(member.object)
        if SERVER_METHODS.match(member.method):
            return f"{member.method}()"
        takes_callbacks = member.method in CALLBACK_TAKERS
        if member.method not in LOG_METHODS and not takes_callbacks and _text(root) in callees.project_imports and \
                not callees.imports_harmless(_text(root), member.method):
            return f"{_quote(callee)}()"
    elif callee.type == "identifier":
        name = _text(callee)
        takes_callbacks = name in CALLBACK_TAKERS
        if name in callees.functions:
            if name not in seen and _server_starter(callees.functions[name], callees, 0, seen | {name}) is not None:
                return f"{name}()"
        elif name not in HARMLESS_CALLS and not takes_callbacks and not callees.imports_harmless(name, None):
            return f"{name}()"
        elif name == "require" and _requires_project_module(call):  # `require('./server')` runs that module
            return _quote(call)
    else:
        return f"{_quote(callee)}()"
    arguments = call.child_by_field_name("arguments")
    for argument in (arguments.named_children if arguments is not None else []):
        if argument.type not in ("identifier", "member_expression"):
            continue  # an inline function is among the descendants
        name = _text(argument)
        if name in callees.functions:
            if name not in seen and _server_starter(callees.functions[name], callees, 0, seen | {name}) is not None:
                return f"{name}() (passed by name)"
        elif takes_callbacks:
            return f"{_quote(argument)}() (passed by name)"
    return None


LISTENS = frozenset({"on", "once", "addListener", "prependListener", "prependOnceListener"})
# the events a connection emits once it is up: a server started in their handler never starts when it fails
CONNECTED_EVENTS = frozenset({"open", "connected", "connect", "ready", "reconnected", "fullsetup", "all"})


def _event_handler_starter(root: Node, callees: _Callees) -> str | None:
    """A handler registered on something other than `process` (`mongoose.connection.once('open', …)`)
    that starts a server or might: a failed connection never runs it. A listener on the database
    client for other events (knex's `.on('query' | 'query-response' | 'query-error', …)`, 'error')
    runs per event, not as the start-up: it counts only when its body starts a server itself."""
    databases = _database_locals(root)
    for call in ts.iter_member_calls(root):
        if call.method not in LISTENS or _text(call.object).startswith("process"):
            continue
        emitter = _emitter(call)
        event = ts.string_value(call.args[0]) if call.args else None
        for handler in call.args[1:2]:
            if event is not None and event not in CONNECTED_EVENTS and _is_database_object(emitter, databases):
                found = _starts_itself(handler, callees, frozenset())
            elif handler.type not in ("identifier", "member_expression"):
                found = _server_starter(handler, callees)
            else:
                found = _call_may_start(call, callees, frozenset())
            if found is not None:
                return _registration(call)
    return None


def _starts_itself(node: Node, callees: _Callees, seen: frozenset[str]) -> str | None:
    """The first call in `node` that starts a server by its name (`listen()`, `createServer()`,
    `startServer()`), itself or through the file's functions it calls or is given, else None."""
    if node.type == "identifier":  # a handler given by name
        name = _text(node)
        if name in callees.functions and name not in seen:
            return _starts_itself(callees.functions[name], callees, seen | {name})
        return f"{name}()" if SERVER_METHODS.match(name) else None
    for call in ts.descendants(node, "call_expression"):
        member = ts.member_call(call)
        if member is not None and SERVER_METHODS.match(member.method):
            return f"{member.method}()"
        callee = ts.inner_parens(call.child_by_field_name("function"))
        if callee.type == "identifier":
            name = _text(callee)
            if name in callees.functions and name not in seen:
                if _starts_itself(callees.functions[name], callees, seen | {name}) is not None:
                    return f"{name}()"
            elif SERVER_METHODS.match(name):
                return f"{name}()"
    return None


def _emitter(call: ts.MemberCall) -> Node:
    """What a listener is registered on: `database` of `database.on('query', …).on('query-response', …)`."""
    node = call.object
    inner = ts.member_call(ts.inner_parens(node))
    while inner is not None and inner.method in LISTENS:
        node = inner.object
        inner = ts.member_call(ts.inner_parens(node))
    return node


def _registration(call: ts.MemberCall) -> str:
    """`mongoose.connection.once('open', …)`, on one line whatever the code's layout."""
    return f"{_quote(_emitter(call))}.{call.method}({_quote(call.args[0]) if call.args else ''}, …)"


def _database_locals(root: Node) -> set[str]:
    return {local for local, seen in ts.import_table(root).items() if seen.module in DATABASES}


def _is_database_object(node: Node, databases: set[str]) -> bool:
    """`mongoose.connection`, `pool`, `database`: the database's client or connection (a server,
    `app` or `process` is none)."""
    if re.search(r"(?i)server|^app\b|^process\b", _text(node)):
        return False
    return _text(_root_object(node)) in databases or DATABASE_OBJECT.search(_text(node)) is not None


SCRIPT_PATH = re.compile(r"(^|/)(scripts?|bin|seeds?|seeders?|migrations?)/|(^|/)[^/]*(seed|migrat)[^/]*$", re.I)
# calls whose callback runs later, again and again: a failure there is not start-up
LATER_CALLERS = frozenset({"setInterval", "on", "once", "addListener", "prependListener", "prependOnceListener",
                           "get", "post", "put", "patch", "delete", "all", "use", "route", "schedule", "subscribe",
                           "createServer"})  # (`http.createServer((req, res) => …)`: its listener runs per request)


def _is_script(root: Node, path: str) -> bool:
    """A file run on its own that serves nothing (a migration, a seed): named or placed like
    one, or exiting 0 when its work is done (outside a signal handler)."""
    if SCRIPT_PATH.search(path):
        return True
    handlers = {_text(a) for c in ts.iter_member_calls(root) if c.method in ("on", "once") for a in c.args[1:2]}
    for call in ts.descendants(root, "call_expression"):
        arguments = call.child_by_field_name("arguments")
        if _text(call.child_by_field_name("function")) == "process.exit" and arguments is not None and \
                _text(arguments).replace(" ", "") in ("()", "(0)") and _ends_the_work(call, handlers):
            return True
    return False


def _ends_the_work(exit_call: Node, handlers: set[str]) -> bool:
    """Whether this `process.exit(0)` ends a script's work: at the top level, in a `.then` of it,
    or in a named function that is no event handler (`process.on('SIGINT', gracefulExit)` is one)."""
    function = ts.enclosing_function(exit_call)
    while function is not None:
        holder = function.parent
        if holder is not None and holder.type == "arguments":
            owner = _method_call(holder.parent) if holder.parent is not None else None
            if owner is None or owner[1] not in ("then", "finally"):
                return False
        elif _function_name(function) in handlers or not _function_name(function):
            return False
        function = ts.enclosing_function(function)
    return True


def _in_later_callback(node: Node, lazy: tuple[tuple[int, int], ...] = ()) -> bool:
    """Whether `node` runs per request or event rather than at start-up (`per_request`)."""
    return per_request(node, lazy=lazy) is not None


def lazy_guards(source_file: SourceFile) -> tuple[tuple[int, int], ...]:
    """The byte ranges of the file's first-request guards as eager-init finds them (`if (!ready) { await
    init(); ready = true }` in a middleware): start-up work done late, for `per_request`."""
    if not any(n in source_file.data for n in eager_init.INFO.prefilter):
        return ()
    return tuple((found.guard.start_byte, found.guard.end_byte) for found in eager_init.find_lazy_inits(source_file))


def per_request(node: Node, handlers: dict[int, str] | None = None, seen: frozenset[str] = frozenset(),
                lazy: tuple[tuple[int, int], ...] = ()) -> str | None:
    """Why `node` runs per request or event, not at start-up (None: it may run at start-up): it is in a
    function handed to a timer or a handler registration (`setInterval(…)`, `app.get('/x', …)`,
    `emitter.on('error', …)`), or in a function AWS Lambda invokes (`lambda_handlers`; `handlers`: the
    file's, when known), or in a function of the file only such code calls. A failure there fails that
    request or invocation, and the next one tries again. The one rule of this fix's start-up exits, schema
    steps and callers. A first-request guard of a middleware (`lazy`: byte ranges of eager-init's
    `find_lazy_inits` guards) is start-up work done late, which eager-init moves to start-up: what it runs
    is start-up code."""
    if any(start <= node.start_byte < end for start, end in lazy):
        return None
    function, outer = ts.enclosing_function(node), None
    while function is not None:
        holder = function.parent
        if holder is not None and holder.type == "arguments" and holder.parent is not None and \
                _callee_name(holder.parent) in LATER_CALLERS:
            return f"a callback given to {_callee_name(holder.parent)}(…), which runs per request or event"
        if handlers is None:
            handlers = lambda_handlers(_root(node))
        if function.start_byte in handlers:
            return f"the Lambda handler `{handlers[function.start_byte]}`, which runs per invocation"
        function, outer = ts.enclosing_function(function), function
    # a function of the file that only per-request code calls (`async function findPayment(id) { const db =
    # await getDb(); … }` called in the handler), and that is not exported or handed on (each use a call)
    root = _root(node)
    name = next((n for n, f in named_functions(root) if f == outer), None) if outer is not None else None
    if name is None or name in seen:
        return None
    uses = [r for r in ts.identifier_references(root, name) if r.parent is not None and not (
        r.parent.type in ("function_declaration", "variable_declarator") and r.parent.child_by_field_name("name") == r)]
    if not uses or any(r.parent.type != "call_expression" or r.parent.child_by_field_name("function") != r for r in uses):
        return None
    if all(per_request(r.parent, handlers, seen | {name}, lazy) for r in uses):
        return f"{name}(), which only code that runs per request calls"
    return None


LAMBDA_TYPES_MODULE = "aws-lambda"


def lambda_handlers(root: Node) -> dict[int, str]:
    """The functions of the module AWS Lambda invokes, per event: start byte -> the name it exports them
    by. What it exports as `handler` (`export const handler = async (event) => …`, `export async function
    handler`, `exports.handler = …`, `module.exports = { handler }`: the name serverless.yml and SAM
    templates default to), and any exported function typed by `aws-lambda` (`export const main: Handler =
    …`, `(event: SQSEvent) => …`). Such a function is no start-up code: nothing runs it as the module loads."""
    if b"handler" not in (root.text or b"") and LAMBDA_TYPES_MODULE.encode() not in (root.text or b""):
        return {}
    functions = dict(named_functions(root))
    typed = {local for local, seen in ts.import_table(root).items() if seen.module == LAMBDA_TYPES_MODULE}
    exported: dict[str, Node] = {}  # export name -> the function
    for statement in root.named_children:
        if statement.type == "export_statement":
            declaration = statement.child_by_field_name("declaration")
            if declaration is not None and declaration.type == "function_declaration":
                exported[_text(declaration.child_by_field_name("name"))] = declaration
            elif declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
                for declarator in ts.list_items(declaration):
                    value = declarator.child_by_field_name("value")
                    if value is not None and value.type in ts.FUNCTION_TYPES:
                        exported[_text(declarator.child_by_field_name("name"))] = declarator
            clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
            for spec in ts.list_items(clause) if clause is not None else ():
                names = [_text(c) for c in spec.named_children if c.type == "identifier"]
                if names and names[0] in functions:
                    exported[names[-1]] = functions[names[0]]
        elif statement.type == "expression_statement" and statement.named_children and \
                statement.named_children[0].type == "assignment_expression":
            assignment = statement.named_children[0]
            left = re.sub(r"\s+", "", _text(assignment.child_by_field_name("left")))
            right = ts.inner_parens(assignment.child_by_field_name("right"))
            name = re.sub(r"^(module\.)?exports\.", "", left) if re.match(r"^(module\.)?exports\.\w+$", left) else None
            if name is not None and right.type in ts.FUNCTION_TYPES:
                exported[name] = right
            elif name is not None and right.type == "identifier" and _text(right) in functions:
                exported[name] = functions[_text(right)]
            elif left == "module.exports" and right.type == "object":
                for pair in right.named_children:
                    key = pair.child_by_field_name("key") if pair.type == "pair" else pair
                    value = ts.inner_parens(pair.child_by_field_name("value")) if pair.type == "pair" else pair
                    if value is not None and key is not None and (value.type in ts.FUNCTION_TYPES or
                                                                   _text(value) in functions and value.type in (
                                                                       "identifier", "shorthand_property_identifier")):
                        exported[_text(key)] = value if value.type in ts.FUNCTION_TYPES else functions[_text(value)]
    found = {}
    for name, node in exported.items():
        function = node.child_by_field_name("value") if node.type == "variable_declarator" else node
        if function is None:
            continue
        types = set(re.findall(r"\w+", _text(node.child_by_field_name("type")) if node.type == "variable_declarator" else ""))
        parameters = function.child_by_field_name("parameters")
        first = parameters.named_children[0] if parameters is not None and parameters.named_children else None
        types |= set(re.findall(r"\w+", _text(first.child_by_field_name("type")) if first is not None and
                                first.type in ("required_parameter", "optional_parameter") else ""))
        if name == "handler" or types & typed:
            found[function.start_byte] = name
    return found


def _runs_later(node: Node, until: Node | None) -> bool:
    """Whether `node` sits (below `until`) in a function that runs after the statement that
    holds it: a timer or handler callback (`app.get('/health', …)`), or a function that is
    declared, stored or returned rather than called there (callbacks of `map`, `Promise.all`,
    `.then` and immediately invoked functions run in place)."""
    function = ts.enclosing_function(node)
    while function is not None and function != until:
        holder = ts.outer_parens(function).parent
        if holder is not None and holder.type == "call_expression" and \
                holder.child_by_field_name("function") == ts.outer_parens(function):
            pass  # `(async () => { … })()`
        elif holder is None or holder.type != "arguments" or holder.parent is None or \
                _callee_name(holder.parent) in LATER_CALLERS | {"setTimeout"}:
            return True
        function = ts.enclosing_function(function)
    return False


def _callee_name(call: Node) -> str:
    """`setInterval` of `setInterval(…)`, `get` of `app.get(…)`."""
    callee = ts.called_function(call)
    if callee is not None and callee.type == "member_expression":
        return _text(callee.child_by_field_name("property"))
    return _text(callee)


DATABASE_OBJECT = re.compile(r"(?i)connection|client|pool|redis|mongo|\bdb\b|database|knex|sequelize|prisma")


def _exiting_event_handler(root: Node) -> str | None:
    """A handler registered on the database's connection or client (`mongoose.connection.on('error', …)`)
    that calls `process.exit`: a failed connection may reach it too (a server's own 'error'
    handler is no such thing)."""
    databases = _database_locals(root)
    for call in ts.iter_member_calls(root):
        if call.method not in LISTENS or len(call.args) < 2 or not _is_database_object(_emitter(call), databases):
            continue
        if any(_text(c.child_by_field_name("function")) == "process.exit" for c in ts.descendants(call.args[1], "call_expression")):
            return f"{_registration(call)} (line {call.call.start_point[0] + 1})"
    return None


def _root_object(node: Node) -> Node:
    """`a` of `a.b.c`, `a.b().c`, `(await a).b`."""
    while True:
        inner = node.child_by_field_name("object") if node.type in ("member_expression", "subscript_expression") \
            else node.child_by_field_name("function") if node.type == "call_expression" else None
        if inner is not None:
            node = inner
        elif node.type in ("parenthesized_expression", "await_expression", "non_null_expression") and node.named_children:
            node = node.named_children[0]
        else:
            return node


def _promise_chain(node: Node) -> tuple[Node, list[Node]]:
    """`start().then(a).then(b)` -> the call that starts it (`start()`) and the `.then` callbacks."""
    callbacks = []
    node = ts.inner_parens(node)
    call = ts.member_call(node)
    while call is not None and call.method in ("then", "finally"):
        callbacks += call.args[:1] if call.method == "then" else []
        node = ts.inner_parens(call.object)
        call = ts.member_call(node)
    return node, callbacks


def _starts_server(node: Node, functions: dict[str, Node], after: int = 0, seen: frozenset[str] = frozenset()) -> bool:
    """Whether `node` (from byte `after` on) calls `….listen(…)`, itself or through a function of the file."""
    for call in ts.descendants(node, "call_expression"):
        if call.start_byte < after:
            continue
        member = ts.member_call(call)
        if member is not None and member.method == "listen":
            return True
        name = _text(call.child_by_field_name("function"))
        if name in functions and name not in seen and _starts_server(functions[name], functions, 0, seen | {name}):
            return True
    return False


def _connecting_function(name: str, functions: dict[str, Node], seen: set[str],
                         imported: dict[str, "ConnectingFunction"] | None = None) -> str | None:
    """The function that connects when `name()` runs and lets a failure through: one of the
    file's that awaits (or returns) a connect outside any `try`, itself or through another of
    the file's functions, and does not degrade by itself; or one of the `imported` that do."""
    imported = imported or {}
    if name in imported and name not in functions:
        return name
    if name in seen:
        return None
    seen.add(name)
    found = next(_failing_connects(name, functions.get(name), functions, seen, imported), None)
    return found.function if found is not None else None


@dataclass(frozen=True)
class _FailingConnect:
    """A connect whose failure a function lets through, and how it gets there."""
    function: str  # the function that connects ("" for an immediately invoked one), or the imported one
    calls: tuple[Node, ...]  # the calls from the first function down to the connect (the connect, with its `.then`s, last)
    imported: bool = False  # the last call is of an imported function that connects


def _failing_connects(name: str, function: Node | None, functions: dict[str, Node], seen: set[str],
                      imported: dict[str, "ConnectingFunction"]) -> Iterator[_FailingConnect]:
    """The connects whose failure `function` lets through (awaited or returned outside any `try`),
    itself or through the file's functions it calls so (`seen`: those already followed), and
    the calls of `imported` functions that do; none from a function that degrades by itself."""
    if function is None or FLAG.encode() in (function.text or b"") or terminal_throws(function, name):
        return
    for call in _calls_let_through(function):
        if _is_connect_call(call):
            if not any(m.method == "then" and len(m.args) > 1 for m in _chain_calls(call, _promise_chain(call)[0])):
                yield _FailingConnect(name, (call,))  # `.then(ok, failed)` handles the failure
            continue
        callee = _text(ts.called_function(call))
        if callee in imported and callee not in functions:
            yield _FailingConnect(callee, (call,), imported=True)
        elif callee in functions and callee not in seen:
            seen.add(callee)
            for found in _failing_connects(callee, functions[callee], functions, seen, imported):
                yield _FailingConnect(found.function, (call,) + found.calls, found.imported)


def _calls_let_through(function: Node) -> Iterator[Node]:
    """The calls whose failure `function` lets through: awaited or returned, outside any `try` but one
    that rethrows (`_caught_within`)."""
    for call in ts.descendants(function, "call_expression"):
        if ts.enclosing_function(call) != function or _caught_within(call, function):
            continue
        outer = ts.outer_parens(call).parent
        awaited = ts.called_function(call) != call.child_by_field_name("function")  # `await f<T>()`
        if awaited or outer is not None and outer.type in ("await_expression", "return_statement", "arrow_function"):
            yield call


def _caught_within(node: Node, function: Node) -> bool:
    """Whether a `try` in `function` around `node` catches its failure: any, but one whose block holds it, with
    no `finally`, and whose `catch` ends by rethrowing (`catch (error) { log(error); throw error; }`)."""
    around = _enclosing_within(node, function, "try_statement")
    while around is not None:
        block, handler = around.child_by_field_name("body"), around.child_by_field_name("handler")
        last = ts.list_items(handler.child_by_field_name("body")) if handler is not None and \
            handler.child_by_field_name("body") is not None else []
        if around.child_by_field_name("finalizer") is not None or block is None or \
                not block.start_byte <= node.start_byte < block.end_byte or not last or last[-1].type != "throw_statement":
            return True
        around = _enclosing_within(around, function, "try_statement")
    return False


def _connects(node: Node | None) -> bool:
    return node is not None and any(_is_connect_call(c) for c in ts.descendants(node, "call_expression"))


def _is_connect_call(node: Node) -> bool:
    """`db.connect()`, `await prisma.$connect()`, `mongoose.connect(uri).then(…)`."""
    if node.type == "await_expression" and node.named_children:
        node = node.named_children[0]
    call = _method_call(node)
    while call is not None and call[1] in ("then", "finally"):
        node = ts.inner_parens(call[0])
        call = _method_call(node)
    if call is None:
        return _imported_connect(node) is not None
    if call[1] not in CONNECT_METHODS:
        return _module_connect(call[0], call[1])
    if call[1] not in PROBE_METHODS:
        return True
    first = ts.list_items(call[2])[0] if ts.list_items(call[2]) else None
    sql = ts.string_value(first) if first is not None and first.type in ("string", "template_string") else None
    return sql is not None and PROBE.match(sql) is not None


# what a database module exports by name that connects when called (`import { connect } from 'mongoose'`,
# `import { createConnection } from 'typeorm'`): the functions its client's methods of those names are
# (typeorm's `getConnection()` returns a connection made already, and returns no promise)
NAMED_CONNECTS = CONNECT_METHODS - PROBE_METHODS - {"getConnection"}
# what a database module exports that makes a client without connecting (`mysql.createPool(cfg)`, `new
# sql.ConnectionPool(cfg)` of mssql): the checklist counts those calls as database clients as well
CLIENT_FACTORIES = frozenset({"createPool", "createPoolCluster", "ConnectionPool"})
_imports_seen: list = [None]  # (the last module's root, its import table), for `_imported_connect`


def _imported_connect(node: Node) -> Node | None:
    """The callee of `connect(uri)` when it is a connect a database module exports and the file
    imports by name (`import { connect } from 'mongoose'`, `const { createConnection } = require('typeorm')`,
    aliased or not), else None: the same function as `mongoose.connect`."""
    callee = ts.called_function(node) if node.type == "call_expression" else None
    seen = _import_of(callee) if callee is not None else None
    return callee if seen is not None and seen.module in DATABASES and seen.name in NAMED_CONNECTS else None


def _module_import(node: Node) -> str | None:
    """The module an identifier is imported from (`oracledb` of `const oracledb = require('oracledb')`), else None."""
    seen = _import_of(node)
    return seen.module if seen is not None else None


def _import_of(node: Node) -> ts.Imported | None:
    """The import that binds an identifier in its file (`ts.import_table`, read once per file), else None."""
    if node.type != "identifier":
        return None
    root = _root(node)
    cached = _imports_seen[0]
    if cached is None or cached[0] != root:
        cached = _imports_seen[0] = (root, ts.import_table(root))
    return cached[1].get(_text(node))


def _module_connect(owner: Node, method: str) -> bool:
    """`oracledb.createPool(cfg)`: a method that connects only on the module it is called on (`MODULE_CONNECTS`)."""
    return any(method in methods for methods in MODULE_CONNECTS.values()) and \
        method in MODULE_CONNECTS.get(_module_import(ts.inner_parens(owner)) or "", ())


def _callback_module(root: Node) -> str | None:
    """The database module of the file whose connects return no promise (`mysql`), else None."""
    return next((seen.module for seen in ts.import_table(root).values() if seen.module in CALLBACK_MODULES), None)


def _connect_object(connect: Node) -> Node | None:
    """What a connect is called on, for telling database clients apart: `mongoose` of
    `mongoose.connect(uri).then(…)`, `this.redis` of `this.redis.connect()`, or the imported
    function itself (`connect` of `connect(uri)`)."""
    attempt = _promise_chain(connect)[0]
    owner = ts.member_call(attempt)
    return owner.object if owner is not None else _imported_connect(attempt)


def _method_call(node: Node) -> tuple[Node, str, Node] | None:
    """`object.method(arguments)` -> (object, method, arguments), also for `await o.m<T>(…)`."""
    callee = ts.called_function(node) if node.type == "call_expression" else None
    arguments = node.child_by_field_name("arguments") if callee is not None else None
    if callee is None or arguments is None or callee.type not in ("member_expression", "subscript_expression"):
        return None
    obj = callee.child_by_field_name("object")
    prop = _text(callee.child_by_field_name("property")) if callee.type == "member_expression" \
        else ts.string_value(callee.child_by_field_name("index"))
    return (obj, prop, arguments) if obj is not None and prop else None


def _enclosing_within(node: Node, function: Node | None, *types: str) -> Node | None:
    """The nearest ancestor of `types` inside `function` (not crossing into another function)."""
    parent = node.parent
    while parent is not None and parent != function:
        if parent.type in types:
            return parent
        if parent.type in ts.FUNCTION_TYPES:
            return None
        parent = parent.parent
    return None


def returns_value(function: Node) -> bool:
    body = function.child_by_field_name("body")
    if body is None:
        return False
    if body.type != "statement_block":
        return True
    return any(r.named_children and ts.enclosing_function(r) == function for r in ts.descendants(body, "return_statement"))


# --- the repository-wide picture: functions and their callers ----------------------------


def prepare(repo: Repo, options: dict) -> Context:
    scripts = all_script_files(repo)  # left alone, as seeds and migrations are
    gathered = repo.facts_of(INIT_FUNCTIONS)
    exported = repo.facts_of(DATABASE_CLIENTS)
    clients = tuple(client for path in sorted(exported) for client in exported[path])
    functions = tuple(found for path in sorted(gathered) if path not in scripts for function in gathered[path]
                      if (found := _through_client(function, repo, clients)) is not None)
    sites: list[CallSite] = []
    harmless: frozenset[str] = frozenset()
    if functions:
        # which project functions a caller's guard may skip: only those that start no server
        found = repo.facts_of(HARMLESS_FUNCTIONS)
        harmless = frozenset(name for path in found for name in found[path])
        callers = repo.facts("db-degradation/call-sites/" + stable_digest((functions, sorted(harmless))),
                             partial(_call_sites_of, functions=functions, harmless=harmless), CODE_KINDS,
                             _caller_needles(functions), version=9, structural=True)  # 9: top-level callers; 8: readiness marks; 7: CallSite.per_request
        sites = [site for path in sorted(callers) for site in callers[path]]
        # a function called only per request (a lazy getter of a Lambda or route handler: `if (cached) return
        # cached; …connect with retries…; throw`) is no start-up code: its throw fails that one request, and
        # the next one connects again; a `null` instead would only move the failure to its callers
        lazy = {name for name in {s.function for s in sites} if all(s.per_request for s in sites if s.function == name)}
        functions = tuple(f for f in functions if f"{f.path}:{f.name}" not in lazy)
        sites = [site for site in sites if site.function not in lazy]
    conventions = repo_logger.infer(repo)
    through = repo.facts_of(CONNECTING_FUNCTIONS)
    connecting = tuple(function for path in sorted(through) for function in through[path])
    found_steps = repo.facts_of(STARTUP_STEPS)
    steps = tuple((target, step) for path in sorted(found_steps) if path not in scripts and repo.is_production_code(path)
                  for step in found_steps[path]  # (a test's `beforeAll(() => sequelize.sync())` is no start-up)
                  if (target := path if not step.module else repo_logger.resolve_import(repo, path, step.module)))
    return Context(functions, tuple(sites), tuple(sorted(conventions.items(), key=lambda kv: str(kv[0]))),
                   repo.env_bracket_projects(), harmless, connecting, clients, tuple(sorted(scripts.items())),
                   repo_logger.logger_shapes(repo), steps)


def init_functions_of(source_file: SourceFile) -> list[InitFunction]:
    """Database initialisers in the file whose last failure throws (and are not degraded yet). In a
    file that imports no database module, those whose connects are called on a binding imported from
    the project (`import pool from './db'`; `client`: whether it is a database client is for `prepare`)."""
    database = database_of(source_file)
    through = {} if database is not None else _project_connect_objects(source_file.tree.root_node)
    if database is None and not through:
        return []
    found = []
    redis_v4 = declares_node_redis_v4(source_file)
    exits = [e.statement for e in startup_exits(source_file.tree.root_node, source_file.path, lazy=lazy_guards(source_file),
                                                redis_v4=redis_v4)
             if e.problem is None and not e.inner]  # (an exit left as it is, after a degraded connect inside, is none)
    default = default_export_name(source_file.tree.root_node)
    for name, function in named_functions(source_file.tree.root_node):
        if FLAG.encode() in (function.text or b""):
            continue
        if redis_v4 and any(_awaited(c) and _never_settles(c) for c in ts.descendants(function, "call_expression")):
            continue  # its connect never fails, it only hangs: its retries never run out (`_hanging_connects`)
        line = source_file.line_col(function.start_byte)[0]
        client = () if database is not None else next(
            (through[c.start_byte] for c in ts.descendants(function, "call_expression") if c.start_byte in through), ())
        if database is None and not client:
            continue
        if terminal_throws(function, name):
            found.append(InitFunction(source_file.path, name, line, database or "", returns_value(function),
                                      default_export=name == default, client=client))
        elif returns_value(function) and any(ts.enclosing_function(e) == function for e in exits):
            # its callers get `null` in degraded mode, as from a function that throws
            found.append(InitFunction(source_file.path, name, line, database or "", True, "exit", name == default,
                                      client))
    return found


def _project_connect_objects(root: Node) -> dict[int, tuple[str, str, str]]:
    """The connects called on a binding imported from the project (`pool.query('SELECT 1')` after
    `import pool from './db'`, `db.pool.connect()` after `import * as db from './db'`): their start
    byte -> (the module as written, the name imported, the member read from it or "")."""
    table = {local: seen for local, seen in ts.import_table(root).items() if seen.module.startswith(".")}
    if not table:
        return {}
    found = {}
    for call in ts.descendants(root, "call_expression"):
        owner = ts.member_call(call)
        if owner is None or owner.method not in CONNECT_METHODS or not _is_connect_call(call):
            continue
        node = ts.inner_parens(owner.object)
        while node.type == "member_expression" and ts.inner_parens(node.child_by_field_name("object")).type == \
                "member_expression":
            node = ts.inner_parens(node.child_by_field_name("object"))
        member = _text(node.child_by_field_name("property")) if node.type == "member_expression" and \
            ts.inner_parens(node.child_by_field_name("object")).type == "identifier" else ""
        seen = table.get(_text(_root_object(owner.object)))
        if seen is not None:
            found[call.start_byte] = (seen.module, seen.name, member)
    return found


def _through_client(function: InitFunction, repo: Repo, clients: tuple["DatabaseClient", ...]) -> InitFunction | None:
    """An init function found through a project import (`client`), named for that database client, when
    the import is one; else None (`pool.query('SELECT 1')` on something that is no database client)."""
    if not function.client:
        return function
    module, name, member = function.client
    target = repo_logger.resolve_module(repo, function.path, module)
    client = next((c for c in clients if c.path == target and (
        c.name == name or name in ("*", "default") and member and c.name == member)), None)
    return replace(function, database=client.database, client=()) if client is not None else None


def default_export_name(root: Node) -> str | None:
    """The function a default import gets: `module.exports = name`, `export default name`."""
    for statement in root.named_children:
        if statement.type == "export_statement" and any(c.type == "default" for c in statement.children):
            declared = statement.child_by_field_name("declaration")  # `export default async function connectDB()`
            value = declared.child_by_field_name("name") if declared is not None else statement.child_by_field_name("value")
            if value is not None and value.type == "identifier":
                return _text(value)
        elif statement.type == "expression_statement" and statement.named_children and \
                statement.named_children[0].type == "assignment_expression":
            assignment = statement.named_children[0]
            right = ts.inner_parens(assignment.child_by_field_name("right"))
            if _text(assignment.child_by_field_name("left")) == "module.exports" and right.type == "identifier":
                return _text(right)
    return None


@dataclass(frozen=True)
class ConnectingFunction:
    """A function that connects and lets a failed connect through (no `catch` of its own):
    an exit in the catch of its caller is where the failure ends up."""
    path: str
    name: str
    database: str
    default_export: bool = False


def connecting_functions_of(source_file: SourceFile) -> list[ConnectingFunction]:
    """The file's named functions that connect to its database and let a failure through."""
    database = database_of(source_file)
    if database is None:
        return []
    root = source_file.tree.root_node
    functions = dict(named_functions(root))
    default = default_export_name(root)
    return [ConnectingFunction(source_file.path, name, database, name == default) for name in functions
            if _connecting_function(name, functions, set()) is not None]


def imported_connecting(source_file: SourceFile, connecting: tuple[ConnectingFunction, ...]
                        ) -> dict[str, ConnectingFunction]:
    """How this file calls the connecting functions it imports -> the function: `connectDB`
    (`import connectDB from './db'`, `const { connect } = require('./db')`) or `db.connect`
    (`const db = require('./db')`, `import * as db from './db'`)."""
    if not connecting:
        return {}
    found = {}
    for seen in repo_logger.imports_in(source_file, namespaces=True):
        target = repo_logger.resolve_module(source_file.repo, source_file.path, seen.module)
        for function in connecting:
            if function.path != target:
                continue
            if seen.imported == function.name or seen.imported == "default" and function.default_export:
                found[seen.local] = function
            if seen.imported in ("default", "*"):
                found[f"{seen.local}.{function.name}"] = function
    return found


@dataclass(frozen=True)
class DatabaseClient:
    """A database client a module of the project exports (`export default prisma` where
    `const prisma = new PrismaClient()`): a file that imports it connects through it."""
    path: str
    name: str  # the exported name ("default" for `export default` / `module.exports =`)
    database: str
    hangs: bool = False  # a node-redis v4 client whose connect() never settles while Redis is down (`_never_settles`)


def database_clients_of(source_file: SourceFile) -> list[DatabaseClient]:
    """The database clients the file exports: a binding made by the database's module (`new
    PrismaClient()`, `new Pool(…)`, `knex(config)`, `mongoose.createConnection(…)`, the module
    itself) under `export default`, `export const`, `export { … }`, `module.exports` (`= x`, `= { x }`)
    or `exports.x =`."""
    database = database_of(source_file)
    if database is None:
        return []
    root = source_file.tree.root_node
    modules = _database_locals(root)
    bound: set[str] = set()
    exported: dict[str, str] = {}  # exported name -> local binding ("" for a client made in place)
    for statement in root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        if declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in ts.list_items(declaration):
                name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                if name is not None and name.type == "identifier" and _makes_client(value, modules):
                    bound.add(_text(name))
                    if declaration is not statement:
                        exported[_text(name)] = _text(name)
        if statement.type == "export_statement":
            if any(c.type == "default" for c in statement.children):
                value = statement.child_by_field_name("value")
                exported["default"] = _text(value) if value is not None and value.type == "identifier" else \
                    "" if _makes_client(value, modules) else "?"
            for clause in (c for c in statement.named_children if c.type == "export_clause"):
                for specifier in clause.named_children:
                    local, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
                    exported[_text(alias or local)] = _text(local)
        elif statement.type == "expression_statement" and statement.named_children and \
                statement.named_children[0].type == "assignment_expression":
            assignment = statement.named_children[0]
            left, right = _text(assignment.child_by_field_name("left")), ts.inner_parens(assignment.child_by_field_name("right"))
            if left == "module.exports" and right.type == "object":
                for pair in right.named_children:
                    if pair.type == "shorthand_property_identifier":
                        exported[_text(pair)] = _text(pair)
                    elif pair.type == "pair" and pair.child_by_field_name("value") is not None and \
                            pair.child_by_field_name("value").type == "identifier":  # type: ignore[union-attr]
                        exported[_text(pair.child_by_field_name("key"))] = _text(pair.child_by_field_name("value"))
            elif left == "module.exports" or left.startswith(("exports.", "module.exports.")):
                name = "default" if left == "module.exports" else left.rsplit(".", 1)[1]
                exported[name] = _text(right) if right.type == "identifier" else "" if _makes_client(right, modules) else "?"
    hangs = database == "Redis" and declares_node_redis_v4(source_file) and _makes_hanging_clients(root)
    return [DatabaseClient(source_file.path, name, database, hangs) for name, local in sorted(exported.items())
            if local == "" or local in bound or local in modules]


def _makes_hanging_clients(root: Node) -> bool:
    """Whether every client the file makes is a node-redis v4 one whose connect() never settles while Redis is
    unreachable: made by `createClient` of `redis`/`@redis/client`, with no options or literal ones, and no
    `reconnectStrategy` in the file."""
    if b"reconnectStrategy" in (root.text or b""):
        return False
    makers = [c for c in ts.descendants(root, "call_expression") if _text(ts.called_function(c)).endswith("createClient")]
    return bool(makers) and all(_hanging_client(c) for c in makers) and \
        not any(seen.module in DATABASES and seen.module not in NEVER_REJECTING_MODULES
                for seen in ts.import_table(root).values())


def _makes_client(value: Node | None, modules: set[str]) -> bool:
    """`new PrismaClient()`, `new pg.Pool(…)`, `knex(config)`, `require('knex')(config)`,
    `mongoose.createConnection(…)`, `globalThis.prisma ?? new PrismaClient()`."""
    if value is None:
        return False
    value = ts.inner_parens(value)
    while value.type in ("await_expression", "as_expression", "satisfies_expression", "non_null_expression") and \
            value.named_children:
        value = ts.inner_parens(value.named_children[0])
    if value.type == "binary_expression":
        return any(_makes_client(side, modules) for side in
                   (value.child_by_field_name("left"), value.child_by_field_name("right")))
    if value.type == "new_expression":
        return _text(_root_object(value.child_by_field_name("constructor") or value)) in modules
    if value.type == "call_expression":
        root = _root_object(value)
        return _text(root) in modules or root.type == "call_expression" and ts.required_module(root) in DATABASES
    return False


def imported_clients(source_file: SourceFile, clients: tuple[DatabaseClient, ...]) -> dict[str, str]:
    """The database clients the file imports from the project's own modules, one import deep
    (`import prisma from './config/prisma'`): local name -> the database."""
    if not clients:
        return {}
    found = {}
    for seen in repo_logger.imports_in(source_file):
        if not seen.module.startswith("."):
            continue
        target = repo_logger.resolve_module(source_file.repo, source_file.path, seen.module)
        for client in clients:
            if client.path == target and client.name == seen.imported:
                found[seen.local] = client.database
    return found


INIT_FUNCTIONS = FactsSpec("db-degradation/init-functions", init_functions_of, CODE_KINDS, CONNECT_BYTES, version=12,
                           structural="files")  # (files: the node-redis version a package.json declares); 12: hanging connects skipped; 11: createServer listeners; 10: per_request
CONNECTING_FUNCTIONS = FactsSpec("db-degradation/connecting-functions", connecting_functions_of, CODE_KINDS,
                                 CONNECT_BYTES, version=4)
HARMLESS_FUNCTIONS = FactsSpec("db-degradation/harmless-functions", harmless_functions_of, CODE_KINDS, (b"function", b"=>"))
DATABASE_CLIENTS = FactsSpec("db-degradation/database-clients", database_clients_of, CODE_KINDS,
                             tuple(module.encode() for module in DATABASES), version=3,
                             structural="files")  # (files: the node-redis version a package.json declares: `hangs`)


@dataclass(frozen=True)
class StartupStep:
    """A start-up step that needs the database and catches nothing (`sequelize.sync()`): with the
    database down it rejects as the connect does, so a degraded connect alone does not keep the
    service up."""
    path: str
    line: int
    call: str  # `sequelize.sync()`
    root: str  # the binding it is called on (`DB` of `DB.sequelize.sync()`)
    module: str = ""  # the module that binding is imported from, as written ("": the file's own)


# the schema steps run at start-up (Sequelize `sync`, TypeORM `synchronize`/`runMigrations`, knex `migrate.latest`)
STEP_METHODS = frozenset({"sync", "synchronize", "runMigrations", "latest"})


def startup_steps_of(source_file: SourceFile) -> list[StartupStep]:
    """The file's schema steps on a binding (its own or imported) whose failure nothing catches where
    they are called (no `.catch`, no `try` around them), outside handlers and timers; none in a script."""
    root = source_file.tree.root_node
    if not _starts_server(root, dict(named_functions(root))) and _is_script(root, source_file.path):
        return []
    table = ts.import_table(root)
    found = []
    lazy = lazy_guards(source_file) if any(m.encode() in source_file.data for m in STEP_METHODS) else ()
    for call in ts.iter_member_calls(root):
        if call.method not in STEP_METHODS or call.method == "latest" and not _text(call.object).endswith("migrate"):
            continue
        base = _root_object(call.object)
        if base.type != "identifier" or _in_later_callback(call.call, lazy) or _failure_caught(call.call):
            continue
        seen = table.get(_text(base))
        found.append(StartupStep(source_file.path, source_file.line_col(call.call.start_byte)[0],
                                 re.sub(r"\s+", "", _text(call.call.child_by_field_name("function"))) + "()",
                                 _text(base), seen.module if seen is not None else ""))
    return found


def _failure_caught(call: Node) -> bool:
    """Whether a rejection of `call` is caught where it is made: a `.catch` (or `.then(ok, failed)`) on
    its chain, or a `try` around it in its function."""
    if _chain_catches(call):
        return True
    function = ts.enclosing_function(call)
    attempt = _enclosing_within(call, function, "try_statement") if function is not None else \
        ts.enclosing(call, "try_statement")
    body = attempt.child_by_field_name("body") if attempt is not None else None
    return body is not None and body.start_byte <= call.start_byte < body.end_byte


STARTUP_STEPS = FactsSpec("db-degradation/startup-steps", startup_steps_of, CODE_KINDS,
                          (b".sync(", b".synchronize(", b".runMigrations(", b".latest("), version=3)  # 3: createServer listeners; 2: per_request
FACTS = [INIT_FUNCTIONS, CONNECTING_FUNCTIONS, DATABASE_CLIENTS, STARTUP_STEPS, repo_logger.VOTES, repo_logger.MADE, repo_logger.LOGGER_CALLS]  # gathered ahead, in the engine's one pass over the files


def _call_sites_of(source_file: SourceFile, functions: tuple[InitFunction, ...], harmless: frozenset[str]) -> list[CallSite]:
    return [site for site, _node in call_sites(source_file, functions, harmless)]


def call_sites(source_file: SourceFile, functions: list[InitFunction] | tuple[InitFunction, ...],
               harmless: frozenset[str] = frozenset()) -> Iterator[tuple[CallSite, Node]]:
    """Calls of the init functions in this file (by import or in their own file), with
    what the caller needs: a guard, nothing, or a reviewer."""
    local: dict[str, InitFunction] = {f.name: f for f in functions if f.path == source_file.path}
    for seen in repo_logger.imports_in(source_file):
        target = repo_logger.resolve_module(source_file.repo, source_file.path, seen.module)
        for function in functions:
            if function.path == target and (seen.imported == function.name or
                                            seen.imported == "default" and function.default_export):
                local[seen.local] = function
    if not local:
        return
    handlers = lambda_handlers(source_file.tree.root_node)
    lazy = lazy_guards(source_file)
    for call in ts.descendants(source_file.tree.root_node, "call_expression"):
        function = local.get(_text(ts.called_function(call)))
        if function is None:
            continue
        caller = ts.enclosing_function(call)
        if function.path == source_file.path and caller is not None and _function_name(caller) == function.name:
            continue  # the retry calling itself
        action, detail, node = _caller_needs(source_file, call, caller, harmless)
        line = source_file.line_col(call.start_byte)[0]
        yield CallSite(source_file.path, line, f"{function.path}:{function.name}", action, detail,
                       per_request(call, handlers, lazy=lazy) or ""), node


def _caller_needs(source_file: SourceFile, call: Node, caller: Node | None,
                  harmless: frozenset[str]) -> tuple[str, str, Node]:
    data = source_file.data
    expression = ts.outer_parens(call)
    if expression.parent is not None and expression.parent.type == "await_expression":
        expression = ts.outer_parens(expression.parent)
    parent = expression.parent
    if parent is not None and parent.type == "expression_statement":
        mark = _readiness_mark(_statements_after(parent)) if expression.type == "await_expression" else None
        if mark is not None:
            return "review", _marks_ready(mark, "the code after it"), parent
        return "unused", "result unused", parent
    member = ts.member_call(parent.parent) if parent is not None and parent.type == "member_expression" and parent.parent else None
    if member is not None and member.method == "catch" and member.call.parent is not None and \
            member.call.parent.type == "expression_statement":
        return "unused", "result unused", member.call
    if member is not None and member.method == "then":
        if member.args and member.args[0].type in ("identifier", "member_expression"):
            return "review", (f"{_quote(member.args[0])}(), given to its `.then` by name, receives a value that may be "
                              "null in degraded mode: check every use"), member.call
        value = _first_parameter(member.args[0]) if member.args else None
        mark = _readiness_mark(member.args[:1])
        if mark is not None:
            return "review", _marks_ready(mark, "its `.then` callback"), member.call
        if value is None:
            return "unused", "result unused by its `.then`", member.call
        return "review", f"`{value}` in its `.then` callback may be null in degraded mode: check every use", member.call
    if parent is not None and parent.type == "variable_declarator" and parent.child_by_field_name("name") is not None \
            and parent.child_by_field_name("name").type == "identifier":  # type: ignore[union-attr]
        declaration = parent.parent
        name = _text(parent.child_by_field_name("name"))
        # the function's body, or the module for a top-level `const pool = await initPostgres()` (an ES
        # module's entry: the request handlers that close over it are in the program)
        scope = caller.child_by_field_name("body") if caller is not None else _root(call)
        uses = [r for r in ts.identifier_references(scope, name) if r.start_byte > call.end_byte] if scope is not None else []
        annotation = _annotation_without_null(parent)
        if declaration is not None and declaration.parent is not None and declaration.parent.type == "export_statement":
            # `export const pool = await initPostgres()`: its uses are in the modules that import it
            return "review", (f"`{name}` is exported: the modules that import it receive null in degraded mode; check "
                              f"every use of `{name}` there (answer 503 when it is null) by hand"), parent
        mark = _readiness_mark(_statements_after(declaration)) if declaration is not None and not uses \
            and expression.type == "await_expression" else None
        if mark is not None:
            return "review", _marks_ready(mark, "the code after it"), parent
        if not uses:
            if annotation is not None:
                return "widen", f"`{name}` unused; its type `{_quote(annotation)}` widened with `| null`", parent
            return "unused", f"`{name}` unused", parent
        later = next((r for r in uses if _runs_later(r, caller)), None)
        if later is not None:
            # a route handler or callback that closes over it: skipping its registration in degraded
            # mode would take the route away (a /health that answered 503 would answer 404)
            return "review", (f"`{name}` is used in a function that runs later (line {later.start_point[0] + 1}, such "
                              "as a route handler): not guarded, as skipping its registration would take the route "
                              f"away in degraded mode; check `{name}` where that function uses it (answer 503 when it "
                              "is null) by hand"), parent
        handed = _route_registration_given(scope, name, call.end_byte)  # type: ignore[arg-type]
        if handed is not None:
            # `app.use('/api', makeRouter(pool))`: a router built from it serves requests later, like
            # a handler closing over it, and skipping the registration would take its routes away
            return "review", (f"`{name}` is handed to a route registration (line {handed.start_point[0] + 1}: "
                              f"`{_quote(handed)}`): not guarded, as skipping it would take those routes away "
                              f"in degraded mode (a /health among them would answer 404); check `{name}` where the "
                              "handlers use it (answer 503 when it is null) by hand: in Express 4 an async handler "
                              "that throws on it is an unhandled rejection, which ends the process"), parent
        if caller is not None and declaration is not None and declaration.parent is not None and \
                declaration.parent.type == "statement_block" and not returns_value(caller) and _returns_nothing(caller):
            callees = _callees(source_file.tree.root_node, source_file, harmless)
            starter = _server_starter(caller, callees, after=declaration.end_byte) or \
                _route_registrar(caller, after=declaration.end_byte)  # a `return` must not take routes away
            if starter is None:
                return "guard", f"`if (!{name}) return;` added: the set-up after it is skipped in degraded mode", parent
            # a `return` would skip what may start the server: only the uses are skipped
            run, rest = _uses_run(declaration, name)
            problem = _cannot_wrap(data, declaration, run, rest, callees)
            mark = _readiness_mark(rest)
            if problem is None and mark is not None:  # (left to run after the wrapped uses)
                return "review", _marks_ready(mark, f"the code after the uses of `{name}`"), parent
            if problem is None:
                return "wrap", (f"`if ({name}) {{ … }}` added around the statements that use it: what follows them "
                                f"(such as {starter}) still runs in degraded mode"), parent
            return "review", (f"`{name}` is used before the server starts ({starter} follows), but {problem}: degraded "
                              "mode might never start the server; guard its uses by hand (a `return` would skip "
                              f"{starter})"), parent
        if caller is None:  # no function to return from: the module's own statements use it
            return "review", (f"`{name}` may be null in degraded mode, and its uses are at the top level of the module "
                              f"(line {uses[0].start_point[0] + 1}), with no function to return from: check every use"), parent
        return "review", f"`{name}` may be null in degraded mode: check every use", parent
    return "review", "receives null in degraded mode: check what it does with it", call


HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "del", "all", "head", "options"})
PATHS = ("string", "template_string", "regex", "array")


def _registers_route(call: Node) -> bool:
    """`app.use(…)`, `router.get('/x', …)`, `app.route('/x').post(…)`, `fastify.register(…)`: a
    registration that serves requests for as long as the process runs."""
    member = ts.member_call(call)
    if member is None:
        return False
    if member.method in ("use", "register"):
        return bool(member.args)
    if member.method not in HTTP_METHODS:
        return False
    routed = ts.member_call(ts.inner_parens(member.object))
    return len(member.args) >= 2 and member.args[0].type in PATHS or \
        routed is not None and routed.method == "route" and bool(member.args)


def _route_registrar(node: Node, after: int = 0) -> str | None:
    """The first route registration in `node` (from byte `after` on), as `app.use()`, else None."""
    for call in ts.descendants(node, "call_expression"):
        if call.start_byte >= after and _registers_route(call):
            return f"{_quote(ts.inner_parens(call.child_by_field_name('function')))}()"
    return None


def _route_registration_given(scope: Node | None, name: str, after: int) -> Node | None:
    """A route registration after byte `after` whose arguments read `name`, or a value built from
    it (`app.use(makeRouter(pool))`, `const routes = createRoutes(pool); app.use('/api', routes)`)."""
    if scope is None:
        return None
    derived, grew = {name}, True
    declarators = [d for d in ts.descendants(scope, "variable_declarator") if d.start_byte >= after]
    while grew:
        grew = False
        for declarator in declarators:
            target, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            if target is not None and target.type == "identifier" and _text(target) not in derived and \
                    value is not None and any(ts.identifier_references(value, n) for n in derived):
                derived.add(_text(target))
                grew = True
    for call in ts.descendants(scope, "call_expression"):
        arguments = call.child_by_field_name("arguments")
        if call.start_byte >= after and arguments is not None and _registers_route(call) and \
                any(ts.identifier_references(arguments, n) for n in derived):
            return call
    return None


def _quote(node: Node | None, width: int = 60) -> str:
    """Code quoted in a one-line message: its first line only, shortened (`…` where cut)."""
    lines = _text(node).strip().splitlines() or [""]
    first = lines[0].rstrip()
    if len(first) > width:
        return first[:width - 1] + "…"
    return first + (" …" if len(lines) > 1 else "")


# a readiness signal: gRPC health's `setStatus('', 'SERVING')` (grpc-health-check, grpc-js-health-check:
# a string, or `ServingStatus.SERVING`), a flag named like readiness set to true (`ready = true`,
# `state.dbReady = true`), a call named so (`markReady()`, `setReady(true)`)
_READY_NAME = re.compile(r"(?:^|_)(?:ready|healthy|serving)$|(?<=[a-z0-9])(?:Ready|Healthy|Serving)$|(?:^|_)(?:READY|HEALTHY)$"
                         r"|^(?:is|db|database)?[Cc]onnected$|^(?:is|db|database)?(?:Ready|Healthy)$")
_READY_CALL = re.compile(r"^(?:mark|set|signal)\w*(?:Ready|Healthy|Serving)$")


def _readiness_mark(nodes: list[Node]) -> Node | None:
    """The first readiness mark in `nodes` (`_READY_NAME`, `_READY_CALL`, a `'SERVING'` status): code
    that ran only once the database was there, which degraded mode now runs without it."""
    for node in nodes:
        for found in ts.descendants(node, "call_expression", "assignment_expression"):
            if found.type == "assignment_expression":
                left, right = found.child_by_field_name("left"), found.child_by_field_name("right")
                target = left.child_by_field_name("property") if left is not None and left.type == "member_expression" else left
                if right is not None and right.type == "true" and target is not None and _READY_NAME.search(_text(target)) \
                        and not _text(target).lower().startswith(("not", "isnot", "is_not")):  # (`notReady = true`: not ready)
                    return found
                continue
            callee = ts.called_function(found)
            name = callee.child_by_field_name("property") if callee is not None and callee.type == "member_expression" else callee
            arguments = found.child_by_field_name("arguments")
            if name is not None and name.type in ("identifier", "property_identifier") and _READY_CALL.match(_text(name)):
                return found
            if arguments is not None and any(ts.string_value(a) == "SERVING" or (
                    a.type == "member_expression" and _text(a.child_by_field_name("property")) == "SERVING")
                    for a in arguments.named_children):
                return found
    return None


def _statements_after(statement: Node) -> list[Node]:
    """The statements after `statement` in its block (or program)."""
    block = statement.parent
    return [s for s in block.named_children if s.start_byte >= statement.end_byte] if block is not None else []


def _marks_ready(mark: Node, where: str) -> str:
    return (f"{where} marks the service ready (`{_quote(mark)}`): it ran only once connected, and now runs in "
            "degraded mode too, so readiness would report the service ready, and traffic come, with no database; by "
            "hand, mark it ready only when the value is not null (degraded means started, not ready)")


def _first_parameter(callback: Node) -> str | None:
    """A callback's first parameter when it reads it (`(conn) => conn.…`, `({ connection }) => …`)."""
    if callback.type not in ("arrow_function", "function_expression", "function"):
        return None
    parameter = callback.child_by_field_name("parameter")
    if parameter is None:
        parameters = callback.child_by_field_name("parameters")
        first = parameters.named_children[0] if parameters is not None and parameters.named_children else None
        parameter = first.child_by_field_name("pattern") if first is not None else None
    body = callback.child_by_field_name("body")
    if parameter is None or parameter.type != "identifier" or body is None:
        return _text(parameter) if parameter is not None else None  # destructuring null throws
    return _text(parameter) if ts.identifier_references(body, _text(parameter)) else None


def _uses_run(declaration: Node, name: str) -> tuple[list[Node], list[Node]]:
    """The statements after `declaration` in its block up to its last use of `name`, and the rest."""
    following = [s for s in declaration.parent.named_children  # type: ignore[union-attr]
                 if s.type != "comment" and s.start_byte >= declaration.end_byte]
    last = max((i for i, s in enumerate(following) if ts.identifier_references(s, name)), default=-1)
    return following[:last + 1], following[last + 1:]


def _cannot_wrap(data: bytes, declaration: Node, run: list[Node], rest: list[Node], callees: _Callees) -> str | None:
    """Why the uses cannot be wrapped in `if (name) { … }` as they are, or None."""
    if not run or declaration.type != "lexical_declaration":
        return "it is not a `const`/`let` used in the statements after it"
    first, last = run[0].start_byte, run[-1].end_byte
    line_end = data.find(b"\n", last)
    if data[ts.line_start(data, first):first].strip() or \
            data[last:line_end if line_end >= 0 else len(data)].strip()[:2] not in (b"", b"//"):
        return "its uses share a line with other code"
    starter = next((found for found in (_server_starter(statement, callees) for statement in run) if found), None)
    if starter is not None:
        return f"its uses call {starter}"
    registrar = next((found for found in (_route_registrar(statement) for statement in run) if found), None)
    if registrar is not None:
        return f"its uses register routes ({registrar}), which degraded mode must keep"
    for statement in run:
        for name in _declared_names(statement):
            if any(ts.identifier_references(s, name) for s in rest):
                return f"`{name}` is declared among its uses and used after them"
        if any(b"\n" in (n.text or b"") for n in ts.descendants(statement, "template_string", "string")):
            return "a multi-line string is among its uses"
    return None


def _declared_names(statement: Node) -> list[str]:
    if statement.type in ("function_declaration", "class_declaration"):
        return [_text(statement.child_by_field_name("name"))]
    if statement.type not in ("lexical_declaration", "variable_declaration"):
        return []
    patterns = [d.child_by_field_name("name") for d in ts.list_items(statement)]
    return [_text(n) for p in patterns if p is not None
            for n in ([p] if p.type == "identifier" else ts.descendants(p, "identifier", "shorthand_property_identifier_pattern"))]


def _annotation_without_null(declarator: Node) -> Node | None:
    """The declared type of `const pool: Pool = …` when it cannot hold null."""
    annotation = declarator.child_by_field_name("type")
    declared = annotation.named_children[-1] if annotation is not None and annotation.named_children else None
    if declared is None or re.search(r"\bnull\b", _text(declared)) or _text(declared) in ("any", "unknown"):
        return None
    return declared


def _returns_nothing(function: Node) -> bool:
    annotation = function.child_by_field_name("return_type")
    return annotation is None or re.fullmatch(r":\s*(void|Promise<void>|undefined)", _text(annotation)) is not None


def _function_name(function: Node) -> str:
    name = function.child_by_field_name("name")
    if name is None and function.parent is not None and function.parent.type == "variable_declarator":
        name = function.parent.child_by_field_name("name")
    return _text(name)


def describe(context: Context) -> list[str]:
    if not context.functions:
        return []
    names = ", ".join(f"{f.path}:{f.name}()" for f in context.functions if f.gives_up == "throw")
    if not names:
        return []
    return [f"database initialisation that throws after its retries: {names}"]


# --- per file -----------------------------------------------------------------------


def needles(context: Context) -> tuple[bytes, ...]:
    """A file holding none of these is not scanned (the engine rules it out from its bytes):
    it neither connects to a database nor calls an init function."""
    return CONNECT_BYTES + _caller_needles(context.functions) + _caller_needles(context.connecting)


def _caller_needles(functions: tuple[InitFunction, ...] | tuple[ConnectingFunction, ...]) -> tuple[bytes, ...]:
    """A caller names the function, or, for a default export it may import under any name,
    the module (`require('./config/db')`)."""
    return tuple(f.name.encode() for f in functions) + tuple(
        _module_stem(f.path).encode() for f in functions if f.default_export)


def _module_stem(path: str) -> str:
    parts = path.rsplit("/", 2)
    stem = parts[-1].split(".")[0]
    return parts[-2] if stem == "index" and len(parts) > 1 else stem


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    if not any(n in source_file.data for n in needles(context)):
        return
    mine = [f for f in context.functions if f.path == source_file.path]
    for function in (f for f in mine if f.gives_up == "throw"):
        node = dict(named_functions(source_file.tree.root_node)).get(function.name)
        if node is not None:
            yield _degrade_function(source_file, function, node, context)
    if source_file.path in dict(context.scripts):  # a load test, a seed: its calls of init functions only
        yield from _call_site_findings(source_file, context)
        return
    clients = imported_clients(source_file, context.clients)  # `import prisma from './config/prisma'`
    database = database_of(source_file) or next(iter(clients.values()), None)
    imported = imported_connecting(source_file, context.connecting)
    degraded: set[int] = set()  # the connects given a degraded `.catch`: one each
    # node-redis v4 clients imported from the project whose connect() never settles while Redis is down
    hanging = frozenset(imported_clients(source_file, tuple(c for c in context.clients if c.hangs)))
    if mine or database is not None or imported:
        # a file with no database of its own: only the exits after an imported connect are its
        yield from _degrade_exits(source_file, context, imported, not mine and database is None, degraded,
                                  frozenset(clients), database, hanging)
    if database is not None:
        yield from _retrying_methods(source_file, database, context)
    if database is not None or imported:
        yield from _degrade_uncaught_connects(source_file, context, database, imported, degraded, frozenset(clients))
    if database == "Redis" or hanging:
        yield from _hanging_connects(source_file, hanging)
    if b"onModuleInit" in source_file.data or b"onApplicationBootstrap" in source_file.data:
        yield from _nest_init_hooks(source_file, database or next(iter(clients.values()), None))
    yield from _call_site_findings(source_file, context)


def _hanging_connects(source_file: SourceFile, hanging: frozenset[str] = frozenset()) -> Iterator[Finding]:
    """A start-up `await` of a connect that never settles while Redis is unreachable (`_never_settles`)."""
    root = source_file.tree.root_node
    redis_v4 = declares_node_redis_v4(source_file)
    if not redis_v4 and not hanging or not _starts_server(root, dict(named_functions(root))) and \
            _is_script(root, source_file.path):
        return
    lazy = lazy_guards(source_file)
    for call in ts.descendants(root, "call_expression"):
        connect = _never_settles(call, hanging, redis_v4) if _awaited(call) else None
        if connect is not None and not _in_later_callback(call, lazy):
            line, col = source_file.line_col(call.start_byte)
            yield Finding(INFO.id, source_file.path, line, col, _hang_message(connect))


def _chain_catches(call: Node) -> bool:
    """Whether a `.catch(…)` (or a `.then(ok, failed)`) on the promise of `call` handles its failure."""
    node = call
    while True:
        parent = ts.outer_parens(node).parent
        chained = ts.member_call(parent.parent) if parent is not None and parent.type == "member_expression" and \
            parent.parent is not None else None
        if chained is None or chained.method not in ("then", "catch", "finally"):
            return False
        if chained.method == "catch" or chained.method == "then" and len(chained.args) > 1:
            return True
        node = chained.call


MESSAGING_OBJECT = re.compile(r"(?i)kafka|amqp|rabbit|nats|mqtt|producer|consumer|channel|broker|queue|socket|grpc")


def _database_connect(call: Node, method: Node) -> bool:
    """Whether a connect in a class method is a database's: on a module or binding a database module
    exports (`mongoose.connect`), on `this` of a class that extends one (`extends PrismaClient`), or on an
    object named like a database client (`this.prisma`, `this.dataSource`, not `this.kafkaProducer`)."""
    owner = _connect_object(call)
    if owner is None:
        return False
    root = _root_object(owner)
    if root.type == "identifier" and _import_of(root) is not None:
        return _module_import(root) in DATABASES
    if root.type == "this" and owner.type == "this":
        owner_class = ts.enclosing(method, "class_declaration", "class")
        heritage = next((c for c in (owner_class.children if owner_class else []) if c.type == "class_heritage"), None)
        extended = [n for n in ts.descendants(heritage, "identifier")] if heritage is not None else []
        return any(_module_import(n) in DATABASES for n in extended)
    return bool(re.search(r"(?i)datasource|" + DATABASE_OBJECT.pattern[4:], _text(owner))) and \
        not MESSAGING_OBJECT.search(_text(owner))


# NestJS lifecycle hooks, awaited by `app.init()`/`app.listen()` before the server listens
NEST_INIT_HOOKS = frozenset({"onModuleInit", "onApplicationBootstrap"})


def _nest_init_hooks(source_file: SourceFile, database: str | None) -> Iterator[Finding]:
    """A connect in a NestJS provider's `onModuleInit()` (Prisma's guide: `await this.$connect()`, TypeORM
    `initialize()`, mongoose `connect`) that nothing there catches: Nest awaits the hook before it listens, so a
    database down at start-up rejects the bootstrap and the process exits without ever serving /health."""
    for _, name, method in class_methods(source_file.tree.root_node):
        if name not in NEST_INIT_HOOKS or FLAG.encode() in (method.text or b""):
            continue
        for call in ts.descendants(method, "call_expression"):
            if _is_connect_call(call) and ts.enclosing_function(call) == method and not _caught_within(call, method) \
                    and not _chain_catches(call) and _database_connect(call, method):
                line, col = source_file.line_col(call.start_byte)
                owner = _connect_object(call)
                named = DATABASES.get(_module_import(_root_object(owner)) or "") if owner is not None else None
                yield Finding(
                    INFO.id, source_file.path, line, col,
                    f"exits when {named or database or 'the database'} is unreachable at start-up: {_quote(call)} in {name}() "
                    "rejects, Nest's bootstrap rejects with it and the process ends before it listens: not edited; "
                    f"catch the failure in {name}() (log it; with {FLAG}=true return so the app starts, else "
                    "rethrow), connect again later or per request, and let a readiness endpoint report the database "
                    "(503 until a `SELECT 1` succeeds)")
                break


def _call_site_findings(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    for site, node in call_sites(source_file, context.functions, context.harmless):
        if site.action in ("guard", "wrap", "widen"):
            yield _guard(source_file, site, node)
        elif site.action == "review" and site.path == source_file.path:
            yield Finding(INFO.id, site.path, site.line, 1,
                          f"{site.function.split(':')[1]}() can now return null (degraded mode): {site.detail}; "
                          "not edited: edit it by hand before merging (until then "
                          + ("the branch may not type-check under strict tsc, and " if site.path.endswith(
                              (".ts", ".tsx", ".mts", ".cts")) else "")
                          + "degraded mode may fail here)",
                          note=_site_note(site))


@dataclass(frozen=True)
class UncaughtConnect:
    """A connect at start-up whose failure nothing catches."""
    statement: Node  # the start-up statement (`mongoose.connect(uri);`, `main();`)
    chain: Node  # the connect with its `.then`s (the degraded `.catch` goes after it), or the call of an imported function
    problem: str | None  # why it is reported instead of degraded, and what to do (None: it degrades)
    through: str = ""  # `main()` when it runs in a function the statement calls, which lets its failure through
    imported: ConnectingFunction | None = None  # the imported function that connects, when it is one
    kept_up: str = ""  # a process handler that keeps the unhandled rejection from ending the process…
    skipped: str = ""  # …and the server start the failure then skips (the service stays up without listening)
    callback: bool = False  # the connect hands its failure to a callback that might end the process: reported


def uncaught_connects(root: Node, path: str = "", imported: dict[str, ConnectingFunction] | None = None,
                      clients: frozenset[str] = frozenset()) -> Iterator[UncaughtConnect]:
    """Connects at start-up that catch nothing: a statement outside any function (and `try`) that
    starts connecting (`mongoose.connect(uri);`, `await sequelize.authenticate();`, `….then(…)`
    with no `catch`), or calls a function of the file that awaits one and lets it fail (`main();`,
    `void start();`, `main().then(…)`, `(async () => { … })();`; also through the file's functions
    it awaits, or an `imported` one that connects). When the database is down the rejection is
    unhandled, which ends Node ≥ 15 at start-up — unless the file registers a
    `process.on('unhandledRejection' | 'uncaughtException', …)` handler that neither exits nor
    throws: then only a failure that skips the server start is one (the service stays up without
    listening). Not in a script (a seed must still fail)."""
    imported = imported or {}
    functions = dict(named_functions(root))
    if not _starts_server(root, functions) and _is_script(root, path):
        return
    others = _other_clients(root, clients)
    callees = _callees(root)
    keepers = _rejection_keepers(root, functions)
    done: set[int] = set()
    for statement in _start_up_statements(root):
        expression = _start_up_expression(statement)
        chain = _started_expression(expression)
        attempt, callbacks = _promise_chain(chain)
        if chain.type != "call_expression" or any(m.method == "then" and len(m.args) > 1 for m in _chain_calls(chain, attempt)):
            continue  # `.then(ok, failed)` handles the failure
        callee = ts.inner_parens(ts.called_function(attempt) or attempt)
        through = ""  # the function the statement runs, when the connect is in it
        if _is_connect_call(attempt):
            found = [_FailingConnect("", (chain,))]
        elif callee.type in ("arrow_function", "function_expression", "function"):  # `(async () => { … })()`
            found, through = list(_failing_connects("", callee, functions, set(), imported)), "the immediately invoked function"
        elif callee.type == "identifier" and _text(callee) in imported and _text(callee) not in functions:
            found = [_FailingConnect(_text(callee), (attempt,), imported=True)]
        elif callee.type == "identifier" and _text(callee) in functions:
            name = _text(callee)
            found, through = list(_failing_connects(name, functions[name], functions, {name}, imported)), f"{name}()"
        else:
            continue
        for failing in found:
            connect = failing.calls[-1]
            owner = _connect_object(connect)
            if connect.start_byte in done or not failing.imported and (
                    owner is None or _text(_root_object(owner)) in others or re.search(r"(?i)redis", _text(owner))):
                continue
            done.add(connect.start_byte)
            callback = None if failing.imported else _connect_callback(connect, functions)
            if callback is not None:  # no rejection, and no promise for a `.catch`
                if _may_end_process(callback, functions, set()):
                    yield UncaughtConnect(statement, connect, _CALLBACK_PROBLEM, through, callback=True)
                continue
            # a rejected top-level `await` is no unhandled rejection: only 'uncaughtException' sees it,
            # and the rest of the module never runs
            awaited = ts.inner_parens(expression).type == "await_expression"
            kept_up = keepers.get("uncaughtException") if awaited else \
                keepers.get("unhandledRejection") or keepers.get("uncaughtException")
            skipped = _skipped_server_start(root, statement if awaited else None, callbacks, failing, callees) \
                if kept_up else ""
            if kept_up and not skipped:
                continue  # the process stays up, and the failure skips no server start
            via = imported.get(failing.function) if failing.imported else None
            problem = _why_not_degraded(root, attempt, failing, callbacks, callees, bool(through), via)
            reader = _chain_value_reader(chain) if problem is None and statement.type != "expression_statement" else None
            if reader is not None:  # `const client = await MongoClient.connect(url)` at the top level, then `client.db()`
                problem = (f"the connection's value ({reader}) would be undefined after a degraded `.catch`: "
                           f"not degraded; check for the missing connection there and add the {FLAG} check by hand")
            yield UncaughtConnect(statement, connect, problem, through, via, kept_up or "", skipped)


_CALLBACK_PROBLEM = (f"a `.catch` cannot go on a connect that takes a callback (the call returns no promise then: "
                     f"MongoDB driver ≤ 4, mongoose ≤ 6, mysql): not degraded; in the callback's error branch, log and carry "
                     f"on without the database when {FLAG}=true, by hand")


def _connect_callback(connect: Node, functions: dict[str, Node]) -> Node | None:
    """The callback a connect is given last (`MongoClient.connect(url, options, (err, client) => …)`, mongoose ≤ 6's
    `connect(uri, options, callback)`, mysql's `connection.connect((err) => …)`, a function of the file by name):
    the failure goes to it, not to a promise."""
    attempt = _promise_chain(connect)[0]
    arguments = attempt.child_by_field_name("arguments") if attempt.type == "call_expression" else None
    items = ts.list_items(arguments) if arguments is not None else []
    last = ts.inner_parens(items[-1]) if items else None
    if last is not None and (last.type in ("arrow_function", "function_expression", "function")
                             or last.type == "identifier" and _text(last) in functions):
        return last
    return None


def _other_clients(root: Node, clients: frozenset[str] = frozenset()) -> set[str]:
    """What the file imports that is no database this fix degrades: `amqp.connect(…)` is no database;
    a redis client also fails through 'error' events, which a `.catch` misses. `clients`: the database
    clients it imports from the project's modules (`import prisma from './config/prisma'`)."""
    return {local for local, seen in ts.import_table(root).items()
            if (seen.module not in DATABASES or DATABASES[seen.module] == "Redis") and local not in clients}


def _start_up_statements(root: Node) -> Iterator[Node]:
    """The expression statements that run when the module loads: outside any function and `try`
    (`if (require.main === module) { main(); }` is one); and the declarations of one value a
    top-level `await` gives (`const client = await MongoClient.connect(url)`)."""
    for statement in ts.descendants(root, "expression_statement", "lexical_declaration", "variable_declaration"):
        if statement.named_children and ts.enclosing_function(statement) is None and \
                ts.enclosing(statement, "try_statement", "class_body") is None and (
                statement.type == "expression_statement" or _start_up_expression(statement).type == "await_expression"):
            yield statement


def _start_up_expression(statement: Node) -> Node:
    """The expression a start-up statement runs: the value of a declaration of one (else the declaration)."""
    if statement.type == "expression_statement":
        return statement.named_children[0]
    declarators = [d for d in ts.list_items(statement) if d.type == "variable_declarator"]
    value = declarators[0].child_by_field_name("value") if len(declarators) == 1 else None
    return ts.inner_parens(value) if value is not None else statement


def _started_expression(node: Node) -> Node:
    """`main()` of `await main()`, `void main()`, `(main())`."""
    node = ts.inner_parens(node)
    while node.type in ("await_expression", "unary_expression") and node.named_children and \
            (node.type == "await_expression" or _text(node).startswith("void")):
        node = ts.inner_parens(node.named_children[-1])
    return node


def _why_not_degraded(root: Node, attempt: Node, failing: _FailingConnect, callbacks: list[Node], callees: _Callees,
                      through: bool, imported: ConnectingFunction | None) -> str | None:
    """Why a degraded `.catch` on this connect would not keep the service serving, or None."""
    if imported is not None:
        return (f"it is in another file, which is not edited from here: not degraded; add a `.catch` with the {FLAG} "
                f"check to that connect by hand")
    module = _callback_module(root)
    if module is not None:
        return (f"{module}'s connect returns no promise (its failure goes to a callback or comes as an 'error' event), "
                f"so a `.catch` cannot go on it: not degraded; handle that failure and carry on without the database "
                f"when {FLAG}=true, by hand")
    connect = failing.calls[-1]
    # a failed connect skips the `.then`s of its own chain (through a function, those of the call run after it)
    for callback in _promise_chain(connect)[1] if through else callbacks:
        starter = _quote(callback) + "() (passed by name)" if callback.type in ("identifier", "member_expression") \
            else _server_starter(callback, callees)
        if starter is not None:
            return (f"the server starts only in the `.then` of the connection ({starter}), which a failed connect never "
                    "runs: a degraded `.catch` would leave the service up without listening; not degraded; move the "
                    f"server start out of the `.then` and add the {FLAG} check by hand")
    if through:
        reader = _value_read(root, attempt, failing.calls, callbacks)
        if reader is not None:
            return (f"the connection's value ({reader}) would be undefined after a degraded `.catch`: "
                    f"not degraded; check for the missing connection there and add the {FLAG} check by hand")
        owner = _connect_object(connect)
        database = {_text(_root_object(owner))} if owner is not None else set()
        if owner is not None and owner.type == "identifier" and ts.member_call(_promise_chain(connect)[0]) is None:
            # `connect(uri)` imported by name: what else the file imports from that module (`connection`)
            table = ts.import_table(root)
            module = table[_text(owner)].module if _text(owner) in table else None
            database |= {local for local, seen in table.items() if seen.module == module}
        for call in failing.calls:
            function = ts.enclosing_function(call)
            used = _database_use_after(function, call.end_byte, database) if function is not None and database else None
            if used is not None:
                return (f"{_function_name(function) or 'the start-up function'}() goes on to {used} after the connect, "
                        "which fails as well without the database: not degraded; make that step skip in degraded "
                        f"mode and add the {FLAG} check by hand")
    handler = _event_handler_starter(root, callees)
    if handler is not None:
        return (f"the server might start in {handler}, which a failed connection never runs: not degraded; "
                f"start the server outside the connection's handlers and add the {FLAG} check by hand")
    exiting = _exiting_event_handler(root)
    if exiting is not None:
        return (f"the handler {exiting} exits, and a failed connection reaches it as well: not degraded; "
                f"add the {FLAG} check to it and a `.catch` here by hand")
    return None


def _value_read(root: Node, attempt: Node, calls: tuple[Node, ...], callbacks: list[Node]) -> str | None:
    """Where the value of the connect (undefined after a degraded `.catch`) is read: in the
    function that awaits it, or, when a function returns it, by that function's caller (up to
    the `.then` of the start-up call `attempt`) or anywhere else the function is named; else None."""
    callers = (attempt,) + calls[:-1]  # calls[i] runs in the function that callers[i] calls
    for call, caller in reversed(list(zip(calls, callers))):
        expression = ts.outer_parens(call)
        if expression.parent is not None and expression.parent.type == "await_expression":
            expression = ts.outer_parens(expression.parent)
        parent = expression.parent
        if parent is None or parent.type != "return_statement" and not (
                parent.type == "arrow_function" and parent.child_by_field_name("body") == expression):
            return _chain_value_reader(call)
        function = ts.enclosing_function(call)
        name = _function_name(function) if function is not None else ""
        named = (function.child_by_field_name("name") or function.parent.child_by_field_name("name")) if name else None
        callee = ts.called_function(caller)
        other = next((r for r in (ts.identifier_references(root, name) if name else [])
                      if named is not None and r.start_byte != named.start_byte and
                      (callee is None or r.start_byte != callee.start_byte)), None)
        if other is not None:
            return f"returned by {name}(), which line {other.start_point[0] + 1} also names"
    value = _first_parameter(callbacks[0]) if callbacks else None
    return f"`{value}` in the `.then` of the start-up call" if value is not None else None


def _database_use_after(function: Node, after: int, database: set[str]) -> str | None:
    """A call on the database's object (`sequelize.sync()`; `database`: the names it may go by) that
    `function` awaits after byte `after`, as `sequelize.sync()`, else None."""
    for call in ts.descendants(function, "call_expression"):
        member = ts.member_call(call)
        if call.start_byte < after or member is None or ts.enclosing_function(call) != function or \
                _text(_root_object(member.object)) not in database:
            continue
        outer = ts.outer_parens(call).parent
        if outer is not None and outer.type in ("await_expression", "return_statement"):
            return re.sub(r"\s+", "", _text(call.child_by_field_name("function"))) + "()"
    return None


def _skipped_server_start(root: Node, awaited: Node | None, callbacks: list[Node], failing: _FailingConnect,
                          callees: _Callees) -> str:
    """The server start a failed connect skips (`listen()` after it in `main()`, in a `.then`, after
    the `awaited` top-level statement), or ""."""
    for call in failing.calls:
        function = ts.enclosing_function(call)
        body = function.child_by_field_name("body") if function is not None else None
        starter = _server_starter(body, callees, after=call.end_byte) if body is not None else None
        if starter is not None:
            return starter
    for callback in _promise_chain(failing.calls[-1])[1] + callbacks:
        starter = _quote(callback) + "() (passed by name)" if callback.type in ("identifier", "member_expression") \
            else _server_starter(callback, callees)
        if starter is not None:
            return starter
    rest = _server_starter(root, callees, after=awaited.end_byte) if awaited is not None else None
    return rest or ""


PROCESS_FAILURE_EVENTS = ("unhandledRejection", "uncaughtException")  # Node raises the first as the second
ENDS_PROCESS = re.compile(r"(?i)exit|shutdown|terminate|abort|kill|crash")


def _rejection_keepers(root: Node, functions: dict[str, Node]) -> dict[str, str]:
    """'unhandledRejection' / 'uncaughtException' -> the `process.on(…)` whose handler neither exits
    nor throws: an unhandled rejection no longer ends the process. `once` keeps it up only once."""
    found: dict[str, str] = {}
    for call in ts.iter_member_calls(root):
        event = ts.string_value(call.args[0]) if call.args else None
        if _text(call.object) == "process" and call.method in ("on", "addListener", "prependListener") and \
                event in PROCESS_FAILURE_EVENTS and len(call.args) > 1 and not _may_end_process(call.args[1], functions, set()):
            found.setdefault(event, f"process.{call.method}('{event}', …)")
    return found


def _may_end_process(handler: Node, functions: dict[str, Node], seen: set[str]) -> bool:
    """Whether a handler might end the process: it exits, throws, or calls what might (a function
    that is imported or unknown, or named so: `shutdown()`, `server.terminate()`)."""
    handler = ts.inner_parens(handler)
    if handler.type == "identifier":
        name = _text(handler)
        if name not in functions:
            return True
        if name in seen:
            return False
        seen.add(name)
        handler = functions[name]
    elif handler.type not in ("arrow_function", "function_expression", "function"):
        return True
    if next(ts.descendants(handler, "throw_statement"), None) is not None:
        return True
    for call in ts.descendants(handler, "call_expression"):
        callee = ts.inner_parens(call.child_by_field_name("function"))
        name = _text(callee)
        if ENDS_PROCESS.search(name) or name.startswith("assert."):  # (`assert.equal(null, err)` throws)
            return True
        if callee.type == "identifier" and (_may_end_process(callee, functions, seen) if name in functions
                                            else name not in HARMLESS_CALLS | CALLBACK_TAKERS):
            return True
        arguments = call.child_by_field_name("arguments")
        if any(a.type == "identifier" and _text(a) in functions and _may_end_process(a, functions, seen)
               for a in (arguments.named_children if arguments is not None else [])):
            return True
    return False


def _chain_calls(chain: Node, attempt: Node) -> Iterator[ts.MemberCall]:
    """The `.then`/`.finally` calls of `attempt.then(…).finally(…)`, outermost first."""
    node = chain
    while node != attempt:
        call = ts.member_call(node)
        if call is None:
            return
        yield call
        node = ts.inner_parens(call.object)


def _degrade_uncaught_connects(source_file: SourceFile, context: Context, database: str | None,
                               imported: dict[str, ConnectingFunction], degraded: set[int] | None = None,
                               clients: frozenset[str] = frozenset()) -> Iterator[Finding]:
    if FLAG.encode() in source_file.data or database == "Redis":
        return
    for found in uncaught_connects(source_file.tree.root_node, source_file.path, imported, clients):
        if database is None and found.imported is None:
            continue  # a file with no database of its own: only the connects of imported functions are its
        if degraded is not None and found.chain.start_byte in degraded:
            continue  # its `.catch` is added already, for an exit after the call that runs it
        line, col = source_file.line_col(found.chain.start_byte)
        named = database or (found.imported.database if found.imported is not None else "the database")
        what = re.sub(r"\s+", "", _text(ts.inner_parens(_promise_chain(found.chain)[0].child_by_field_name("function")))) + "()"
        if found.imported is not None:
            what = f"the connect in {what} ({found.imported.path})"
        where = f"{what} at start-up catches nothing"
        if found.through:
            call_line = source_file.line_col(found.statement.start_byte)[0]
            where = f"{what}, run at start-up by {found.through} (line {call_line}), catches nothing, nor does that call"
        if found.callback:
            unhandled = (f"{what}, run at start-up by {found.through} (line {call_line})," if found.through else
                         f"{what} at start-up") + " hands its failure to a callback that might end the process"
        elif found.kept_up:
            unhandled = (f"{where}: when {named} is unreachable the {found.kept_up} handler keeps the process up, but "
                         f"{found.skipped} never runs: the service stays up without listening")
        elif _callback_module(source_file.tree.root_node) is not None:  # (mysql: no promise, no rejection)
            unhandled = (f"{where}: when {named} is unreachable its failure comes as an 'error' event, which ends the "
                         "process when nothing listens for it")
        else:
            unhandled = (f"{where}: when {named} is unreachable its rejection is unhandled, which ends the process "
                         "(Node ≥ 15)")
        step = _startup_step_of_client(source_file, context, [_connect_object(found.chain)]) \
            if found.problem is None and found.imported is None else None
        if step is not None:
            yield Finding(INFO.id, source_file.path, line, col, f"{unhandled}, but {step}")
            continue
        if found.problem is not None:
            yield Finding(INFO.id, source_file.path, line, col, f"{unhandled}, but {found.problem}")
            continue
        style = _style(source_file, context)
        statement = ts.enclosing_statement(found.chain)
        logger, import_edit, plain, why = _prefer_local(statement, *_logger(source_file, context, statement))
        edits = [e for e in (import_edit, _degraded_catch(source_file, statement, found.chain, named, logger, style,
                                                          plain, _meta_first(source_file, context, statement, logger)))
                 if e]
        yield Finding(
            INFO.id, source_file.path, line, col,
            f"{unhandled}: with {FLAG}=true a `.catch` now logs a warning and the service carries on "
            "(without it the failure is rethrown, as before)",
            tuple(edits),
            note=(f"With {FLAG}=true the process no longer ends when {named} cannot be reached at start-up. "
                  f"Check: {FLAG} is set only where running without {named} is acceptable; code that uses the "
                  "connection later handles it being missing (requests should get a 503, not hang on a buffered "
                  f"query); logger `{logger}` is available at this point." + _console_note(why)
                  + (f" The start-up code after the connect in {found.through} now runs without the database: check "
                     "that nothing there needs it." if found.through else "")),
        )


def _degraded_catch(source_file: SourceFile, statement: Node, chain: Node, database: str, logger: str,
                    style: _Style, plain: bool = False, meta_first: bool = False) -> Edit:
    """`connect(…)` -> `connect(…).catch((error) => { if (FLAG) { logger.warn(…) } else { throw error } })`:
    nothing changes unless the flag is set (the rethrown error is the same unhandled rejection)."""
    q, semi = style.quote, style.semi
    indent = source_file.text.indent_at(statement.start_byte)
    unit = source_file.text.indent_unit
    inner, innermost = indent + unit, indent + unit + unit
    warn = (f"{logger}.warn({q}Starting in degraded mode: {database.removeprefix('the ')} unavailable ({FLAG}=true){q}, "
            f"{{ error: error instanceof Error ? error.message : String(error) }}){semi}")
    if meta_first:  # pino's (meta, message)
        warn = (f"{logger}.warn({{ error: error instanceof Error ? error.message : String(error) }}, "
                f"{q}Starting in degraded mode: {database.removeprefix('the ')} unavailable ({FLAG}=true){q}){semi}")
    if plain:
        warn = _one_string(logger, f"Starting in degraded mode: {database.removeprefix('the ')} unavailable ({FLAG}=true)",
                           "error", semi)
    text = (f".catch((error) => {{\n{inner}if ({style.flag} === {q}true{q}) {{\n{innermost}{warn}\n"
            f"{inner}}} else {{\n{innermost}throw error{semi}\n{inner}}}\n{indent}}})")
    return Edit(source_file.path, chain.end_byte, chain.end_byte, text)


# a method that connects at start-up, by its name (a per-request check such as `ready()` is not one)
STARTUP_METHOD = re.compile(r"(?i)^(connect|init|setup|start|open|bootstrap|waitFor)|connect")


def _retrying_methods(source_file: SourceFile, database: str, context: Context) -> Iterator[Finding]:
    """A class method that throws after its retries degrades like a function when it returns no
    value: its callers (`await db.connect()` on an instance, not traced) get what they get when
    it connects. One that returns a value is reported: a `null` would reach them unchecked."""
    for label, name, method in class_methods(source_file.tree.root_node):
        if FLAG.encode() in (method.text or b"") or not terminal_throws(method, name):
            continue
        line, col = source_file.line_col(method.start_byte)
        if returns_value(method) or not _returns_nothing(method) or not STARTUP_METHOD.search(name):
            why = "the callers of a class method are not traced" if STARTUP_METHOD.search(name) else \
                "its name does not say it connects at start-up (a check run per request must not pass silently)"
            yield Finding(INFO.id, source_file.path, line, col,
                          f"{label}() throws when {database} stays unreachable after its retries: not degraded, as "
                          f"{why}; add the {FLAG} check before its final `throw` and handle the missing connection "
                          "in every caller by hand")
            continue
        logger, import_edit, plain, why = _prefer_local(method, *_logger(source_file, context, method))
        style = _style(source_file, context)
        info = InitFunction(source_file.path, label, line, database, False)
        edits = [import_edit] if import_edit else []
        edits += [_degraded_block(source_file, throw, info, logger, style, "", plain,
                                  _meta_first(source_file, context, throw, logger))
                  for throw in terminal_throws(method, name)]
        yield Finding(
            INFO.id, source_file.path, line, col,
            f"{label}() throws when {database} stays unreachable after its retries: with {FLAG}=true it now logs a "
            "warning and returns (it returns no value, so its callers carry on as after a connect)",
            tuple(edits),
            note=(f"With {FLAG}=true, {label}() returns instead of throwing when {database} stays unreachable. "
                  f"Check: (1) {FLAG} is set only where running without {database} is acceptable; (2) its callers "
                  "(calls on an instance are not traced) carry on as if connected: what they do next with the "
                  "database (a migration, a schema check) fails then, and requests that need it should get a 503"
                  + ("" if logger != "console" else f"; (3) the warning uses console.warn: {why or 'no logger was found for this file'}")),
        )


def _degrade_function(source_file: SourceFile, function: InitFunction, node: Node, context: Context) -> Finding:
    logger, import_edit, plain, why = _prefer_local(node, *_logger(source_file, context, node))
    style = _style(source_file, context)
    edits = [import_edit] if import_edit else []
    for throw in terminal_throws(node, function.name):
        edits.append(_degraded_block(source_file, throw, function, logger, style,
                                     "null" if function.returns_value else "", plain,
                                     _meta_first(source_file, context, throw, logger)))
    widen = _widen_return_type(source_file, node)
    if widen is not None:
        edits.append(widen)
    callers = [s for s in context.sites if s.function == f"{function.path}:{function.name}"]
    line, col = source_file.line_col(node.start_byte)
    message = (f"{function.name}() throws when {function.database} stays unreachable after its retries: with "
               f"{FLAG}=true it now logs a warning and returns {'null' if function.returns_value else 'nothing'}"
               + _unguarded(callers))
    return Finding(INFO.id, source_file.path, line, col, message, tuple(edits), note=_function_note(function, callers, logger, why))


def _startup_step_of_client(source_file: SourceFile, context: Context, objects: list[Node | None]) -> str | None:
    """Why a degraded connect on the client of `objects` (what the connects are called on) would not keep
    the service up, or None: a start-up schema step on that client (`sequelize.sync()`, here or in a file
    that imports it from this file or from where this file imports it) rejects the same way, unhandled."""
    roots = {_text(_root_object(o)) for o in objects if o is not None}
    table = ts.import_table(source_file.tree.root_node)
    targets = {source_file.path} | {
        target for r in roots if r in table
        if (target := repo_logger.resolve_module(source_file.repo, source_file.path, table[r].module))}
    for target, step in context.steps:
        if step.root in roots if step.path == source_file.path else target in targets:
            return (f"`{step.call}` ({step.path}:{step.line}) uses the same database at start-up and catches nothing: "
                    "without the database it rejects the same way and still ends the process in degraded mode; "
                    f"not degraded; make that step skip (or catch its failure) in degraded mode and add the {FLAG} "
                    "check by hand")
    return None


def _degrade_inner_connects(source_file: SourceFile, found: StartupExit, database: str, logger: str,
                            import_edit: Edit | None, style: _Style, degraded: set[int], refused: str | None = None,
                            one_string: bool = False, console_why: str = "",
                            warns: Callable[[Node, str], bool] | None = None,
                            meta_first: Callable[[Node, str], bool] | None = None) -> Iterator[Finding]:
    """`bootstrap().catch(exit)` where bootstrap() awaits the connect: the degraded `.catch` goes on that
    connect, so bootstrap() carries on to its listen in degraded mode; the exit stays for every other failure."""
    connects = [f.calls[-1] for f in found.inner if f.calls[-1].start_byte not in degraded]
    if not connects:
        return  # degraded already, for another start-up call that runs it
    degraded.update(c.start_byte for c in connects)
    line, col = source_file.line_col(found.statement.start_byte)
    where = ", ".join(f"{_connect_name(c)} in {failing.function or 'the immediately invoked function'}() at line "
                      f"{source_file.line_col(c.start_byte)[0]}" for failing in found.inner
                      for c in [failing.calls[-1]] if c in connects)
    edits = []
    for connect in connects:
        statement = ts.enclosing_statement(connect)
        used, edit, plain, why = _prefer_local(statement, logger, import_edit, refused, one_string, console_why, warns)
        edits += ([edit] if edit and edit not in edits else []) + \
            [_degraded_catch(source_file, statement, connect, database, used, style, plain,
                             meta_first is not None and meta_first(statement, used))]
    logger = used  # (the note's)
    yield Finding(
        INFO.id, source_file.path, line, col,
        f"exits when {database} is unreachable at start-up ({where}, run by {found.through}): with {FLAG}=true a "
        "`.catch` on that connect now logs a warning and the start-up carries on past it (without the flag the "
        "failure is rethrown and reaches this exit, as before)",
        tuple(edits),
        note=(f"With {FLAG}=true the process no longer exits when {database} cannot be reached at start-up: "
              f"{found.through} carries on after the connect without the database. Check: {FLAG} is set only where "
              f"running without {database} is acceptable; the start-up code after the connect needs nothing from it; "
              "code that uses the connection later handles it being missing (requests should get a 503, not hang "
              f"on a buffered query); any other caller of that function gets the same; logger `{logger}` is "
              "available at this point." + _console_note(why)),
    )


def _connect_name(chain: Node) -> str:
    """`mongoose.connect()` of `await mongoose.connect(uri).then(…)`."""
    return re.sub(r"\s+", "", _text(ts.inner_parens(_promise_chain(chain)[0].child_by_field_name("function")))) + "()"


def _degrade_exits(source_file: SourceFile, context: Context, imported: dict[str, ConnectingFunction],
                   only_imported: bool = False, degraded: set[int] | None = None,
                   clients: frozenset[str] = frozenset(), database: str | None = None,
                   hanging: frozenset[str] = frozenset()) -> Iterator[Finding]:
    degraded = set() if degraded is None else degraded  # the connects given a degraded `.catch` (their start byte)
    style = _style(source_file, context)
    named = database
    meta_first = partial(_meta_first, source_file, context)

    def connects() -> list[Node]:  # the file's connects (whose client an exit's may be)
        return [c for c in ts.descendants(source_file.tree.root_node, "call_expression") if _is_connect_call(c)]

    for found in startup_exits(source_file.tree.root_node, source_file.path, imported, clients, lazy_guards(source_file),
                               hanging, declares_node_redis_v4(source_file)):
        if only_imported and found.database is None:
            continue  # `amqp.connect(…).catch(…)` in a file that imports a database function: not a database
        statement = found.statement
        function = ts.enclosing_function(statement)
        # at the top level there is no function to return from: the catch degrades or exits
        degrades = function if function is not None else ts.enclosing(statement, "catch_clause")
        if degrades is not None and FLAG.encode() in (degrades.text or b""):
            continue
        database = found.database or named or "the database"
        line, col = source_file.line_col(statement.start_byte)
        problem = found.problem
        if problem is None and found.database is None:  # (a connect in another file: not this file's client)
            problem = _startup_step_of_client(source_file, context, [
                _connect_object(c) for c in ([f.calls[-1] for f in found.inner] or connects())])
        if problem is not None:
            # degraded mode must still start the server, and a `return` here cannot
            yield Finding(INFO.id, source_file.path, line, col,
                          f"exits when {database} is unreachable at start-up, but {problem}")
            continue
        # (the logger in scope at the statement: a Fastify instance's `app.log` only after it is made)
        logger, import_edit, refused, one_string, console_why, warns = _logger(source_file, context, statement)
        if found.inner:
            yield from _degrade_inner_connects(source_file, found, database, logger, import_edit, style, degraded,
                                               refused, one_string, console_why, warns, meta_first)
            continue
        value = "null" if function is not None and returns_value(function) else ""
        used, edit, plain, why = _prefer_local(statement, logger, import_edit, refused, one_string, console_why, warns)
        info = InitFunction(source_file.path, _function_name(function) if function else "", 0, database, bool(value))
        if function is None:
            if statement.next_named_sibling is not None and statement.next_named_sibling.type != "comment":
                yield Finding(INFO.id, source_file.path, line, col,
                              f"exits when {database} is unreachable at start-up, but code follows the exit at the top "
                              f"level: not degraded; add the {FLAG} check by hand")
                continue
            block = _degraded_else_exit(source_file, statement, info, used, style)
        else:
            block = _degraded_block(source_file, statement, info, used, style, value, plain,
                                    meta_first(statement, used))
        edits = [e for e in (edit, block) if e]
        callers = unguarded = ""
        if value:
            widen = _widen_return_type(source_file, function)  # type: ignore[arg-type]
            edits += [widen] if widen else []
            if any(f.path == source_file.path and f.name == info.name for f in context.functions):
                sites = [s for s in context.sites if s.function == f"{source_file.path}:{info.name}"]
                listed = "; ".join(f"{s.path}:{s.line} ({s.detail})" for s in sites) or "none found in this repository"
                callers = f" {info.name}() now returns null then: check every caller: {listed}."
                unguarded = _unguarded(sites)
        yield Finding(
            INFO.id, source_file.path, line, col,
            f"exits when {database} is unreachable at start-up: with {FLAG}=true it now logs a warning and carries on"
            + unguarded,
            tuple(edits),
            note=(f"With {FLAG}=true the process no longer exits when {database} cannot be reached at start-up. "
                  f"Check: {FLAG} is set only where running without {database} is acceptable; code that uses the "
                  "connection later handles it being missing (requests should get a 503, not hang on a buffered query); "
                  f"logger `{used}` is available at this point." + _console_note(why) + callers),
        )


def _guard(source_file: SourceFile, site: CallSite, declarator: Node) -> Finding:
    """`const pool = await initPostgres()` handles null: its type widens, and its uses are
    skipped in degraded mode (a `return` when they run to the end of the function)."""
    declaration = declarator.parent
    name = _text(declarator.child_by_field_name("name"))
    annotation = _annotation_without_null(declarator)
    edits = [_with_null(source_file, annotation)] if annotation is not None else []
    message = f"{site.function.split(':')[1]}() can now return null: "
    if site.action == "guard":
        indent = source_file.text.indent_at(declaration.start_byte)
        unit = source_file.text.indent_unit
        text = f"\n{indent}if (!{name}) {{\n{indent}{unit}return; // degraded mode ({FLAG}=true): no database\n{indent}}}"
        edits.append(Edit(source_file.path, declaration.end_byte, declaration.end_byte, text))
        message += "guarded, the set-up after it is skipped in degraded mode"
    elif site.action == "wrap":
        edits.append(_wrap_uses(source_file, declaration, name))
        message += f"guarded, the statements that use `{name}` are skipped in degraded mode"
    else:
        message += f"the type of `{name}` widened"
    return Finding(INFO.id, site.path, site.line, 1, message, tuple(edits), note=_site_note(site))


def _wrap_uses(source_file: SourceFile, declaration: Node, name: str) -> Edit:
    """`if (pool) { …the statements up to its last use, one level deeper… }`."""
    run, _rest = _uses_run(declaration, name)
    data = source_file.data
    start = ts.line_start(data, run[0].start_byte)
    end = ts.after_statement(data, run[-1])
    indent = source_file.text.indent_at(run[0].start_byte)
    unit = source_file.text.indent_unit
    lines = data[start:end].decode().replace("\r\n", "\n").split("\n")
    body = "\n".join(unit + line if line.strip() else line for line in lines)
    text = f"{indent}if ({name}) {{ // null in degraded mode ({FLAG}=true): skip what needs the database\n{body}\n{indent}}}"
    return Edit(source_file.path, start, end, text)


# --- the edits ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    quote: str
    semi: str
    flag: str  # how the file reads the flag: `process.env.X`, or `process.env['X']` where tsconfig or habit wants it


def _style(source_file: SourceFile, context: Context) -> _Style:
    q = repo_logger.quote_style(source_file)
    brackets = ts.env_access_style(source_file.data) == "brackets" or \
        ts.env_brackets_required(source_file.path, source_file.kind, dict(context.env_projects))
    return _Style(q, ";" if repo_logger.uses_semicolons(source_file) else "",
                  f"process.env[{q}{FLAG}{q}]" if brackets else f"process.env.{FLAG}")


def _logger(source_file: SourceFile, context: Context, at: Node
            ) -> tuple[str, Edit | None, str | None, bool, str, Callable[[Node, str], bool]]:
    """The logger the warning goes through, its import edit, the file's logger when it is not
    shown to have `warn` (`logger.call_form`): then console warns (a missing method is a TypeError,
    and console-to-logger would take the call for proof of the method), whether the warning is
    one string (a logger not known to take winston's or pino's (message, meta)), why console
    warns, for the note ("" when it does not), and whether a local logger is known to have `warn`
    (`_binding_warns`). The logger is `logger.writing_logger`'s at `at`: the repository's, else
    a Fastify instance's `app.log`, else console."""
    warns = partial(_binding_warns, source_file, context)
    conventions = dict(context.conventions)
    found = repo_logger.writing_logger(source_file, conventions, at)
    if not found.binding:
        return "console", None, None, False, f"no logger was found for this file ({found.reason})" \
            if found.reason else "no logger was found for this file", warns
    unfit, why = repo_logger.unfit_levels(source_file, found, conventions, context.shapes, ("warn",))
    if unfit:
        return "console", None, found.binding.split(".")[0], False, f"the file's logger {why}", warns
    return found.binding, found.edit, None, not repo_logger.call_form(source_file, found, conventions, context.shapes)[1], \
        "", warns


def _meta_first(source_file: SourceFile, context: Context, at: Node, used: str) -> bool:
    """Whether the warning written at `at` through `used` takes pino's (meta, message) order: `used` is
    the pino logger of a Fastify instance (`logger.writing_logger`, `is_pino_for`)."""
    found = repo_logger.writing_logger(source_file, dict(context.conventions), at)
    return bool(found.instance) and used == found.binding and repo_logger.is_pino_for(source_file.repo, source_file,
                                                                                      None, found)


def _binding_warns(source_file: SourceFile, context: Context, at: Node, name: str) -> bool:
    """Whether the logger `name` that `at` sees is known to have `warn` by what makes it: a
    declaration whose value starts from an import (`const logger = useLogger()`, `base.child(…)`)
    is asked about as that import is (`logger.call_form`, as a file's logger made so is)."""
    declared = ts.declarator_in_scope(name, at)
    value = declared.child_by_field_name("value") if declared is not None else None
    while value is not None and value.type in ("await_expression", "call_expression", "member_expression",
                                                "parenthesized_expression", "non_null_expression"):
        value = value.child_by_field_name("function") or value.child_by_field_name("object") or (
            value.named_children[0] if value.named_children else None)
    if value is None or value.type != "identifier" or _text(value) not in ts.import_table(_root(at)):
        return False
    conventions = dict(context.conventions)
    return not repo_logger.unfit_levels(source_file, repo_logger.FileLogger(_text(value), None), conventions,
                                        context.shapes, ("warn",))[0]


LOCAL_LOGGERS = ("logger", "log")


def _prefer_local(at: Node, logger: str, import_edit: Edit | None, refused: str | None = None,
                  one_string: bool = False, why: str = "", warns: Callable[[Node, str], bool] | None = None
                  ) -> tuple[str, Edit | None, bool, str]:
    """The logger to warn through at `at`, and whether the warning is one string. Where the file
    has no logger (console) or would import one, a logger the edited function already logs
    through (`logger.error(error)` after `const logger = useLogger()`, a `log` parameter) is used:
    of a kind fixer does not know, so it gets one string, which winston, pino, bunyan and
    console-like loggers all take alike (an error's message goes into the string). Not the file's
    logger `refused`, which is not shown to have `warn` (`_logger`), and only one the code shows has
    `warn` (it calls `.warn(…)` on it): an object of unknown kind whose calls are only `.error(…)` may
    have no `warn`, and writing one would throw a TypeError just when the database is down (`warns`:
    whether what makes it shows it has one, `_binding_warns`); console
    warns then, rather than a new import that binding would shadow. `one_string`: the file's logger
    takes one message (`_logger`). The fourth value: why console warns, for the note ("" when it
    does not; `why`: `_logger`'s)."""
    if logger != "console" and import_edit is None:
        return logger, import_edit, one_string, ""
    local, calls_warn = _local_logger(at) or (None, False)
    if local is not None and local == refused:
        local = None
    if local is not None and not calls_warn and not (warns is not None and warns(at, local)):
        if logger == "console" or logger.split(".")[0] == local:
            return ("console", None, False, f"`{local}`, which this code logs through, has no `warn` method that fixer "
                    f"can see (it is of a kind fixer does not know, and no `{local}.warn(…)` call shows one)")
        local = None  # (the file's logger, imported under another name)
    if local:
        return local, None, True, ""
    return logger, import_edit, one_string, why if logger == "console" else ""


def _local_logger(at: Node) -> tuple[str, bool] | None:
    """`logger`/`log` when the function around `at` (the module at the top level) calls its
    `.error(…)`/`.warn(…)` and that binding is the one in scope at `at`, and whether the code
    calls its `.warn(…)` (that function, or the module for a binding declared at its top level)."""
    scope = at if at.type in ts.FUNCTION_TYPES else ts.enclosing_function(at)
    if scope is None:
        scope = at
        while scope.parent is not None:
            scope = scope.parent
    for call in ts.iter_member_calls(scope):
        name = _text(call.object)
        if call.object.type == "identifier" and name in LOCAL_LOGGERS and call.method in ("error", "warn") \
                and _same_binding(name, call.call, at, scope):
            return name, _calls_warn(name, at, scope)
    return None


def _calls_warn(name: str, at: Node, scope: Node) -> bool:
    """Whether the code calls `.warn(…)` on the binding `name` that `at` sees: in `scope`, or
    anywhere in the module when that binding is a declaration at its top level."""
    declared = ts.declarator_in_scope(name, at)
    root = _root(at)
    top = declared is not None and ts.enclosing_function(declared) is None
    for where in (scope, root) if top and scope != root else (scope,):
        for call in ts.iter_member_calls(where):
            if call.method != "warn" or call.object.type != "identifier" or _text(call.object) != name:
                continue
            if where is scope and _same_binding(name, call.call, at, scope):
                return True
            seen = ts.declarator_in_scope(name, call.call)
            if where is not scope and declared is not None and seen is not None and seen.id == declared.id:
                return True
    return False


def _same_binding(name: str, use: Node, at: Node, scope: Node) -> bool:
    """`name` at `use` is the binding `at` sees: the same declaration, or (declared by none) the
    same parameter or import, with no function between `use` and `scope` taking a `name` parameter."""
    here, there = ts.declarator_in_scope(name, use), ts.declarator_in_scope(name, at)
    if (here.id if here else None) != (there.id if there else None):
        return False
    node = use.parent
    while node is not None and node != scope:
        if node.type in ts.FUNCTION_TYPES and name in _parameter_names(node):
            return False  # `(log) => log.error(…)`: the callback's own
        node = node.parent
    return there is not None or any(name in _parameter_names(f) for f in _functions_around(at)) \
        or name in ts.import_table(_root(at))


def _parameter_names(function: Node) -> set[str]:
    parameters = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if parameters is None:
        return set()
    return {_text(n) for n in ts.descendants(parameters, "identifier", "shorthand_property_identifier_pattern")} \
        | ({_text(parameters)} if parameters.type == "identifier" else set())


def _functions_around(node: Node) -> Iterator[Node]:
    """`node` itself when it is a function, and the functions around it."""
    function = node if node.type in ts.FUNCTION_TYPES else ts.enclosing_function(node)
    while function is not None:
        yield function
        function = ts.enclosing_function(function)


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def _degraded_block(source_file: SourceFile, statement: Node, function: InitFunction, logger: str, style: _Style,
                    value: str, plain: bool = False, meta_first: bool = False) -> Edit:
    """`if (FLAG) { logger.warn(…); return null; }` before the statement that gives up (`meta_first`:
    pino's `logger.warn({ error }, message)`)."""
    q, semi = style.quote, style.semi
    indent = source_file.text.indent_at(statement.start_byte)
    unit = source_file.text.indent_unit
    thrown = statement.named_children[0] if statement.type == "throw_statement" and statement.named_children else None
    meta = ""
    if thrown is not None and thrown.type == "identifier":
        error = _text(thrown)
        meta = f", {{ error: {error} instanceof Error ? {error}.message : String({error}) }}"
    warn = f"{logger}.warn({q}Starting in degraded mode: {function.database.removeprefix('the ')} unavailable ({FLAG}=true){q}{meta}){semi}"
    if meta and meta_first:
        warn = (f"{logger}.warn({meta.removeprefix(', ')}, {q}Starting in degraded mode: "
                f"{function.database.removeprefix('the ')} unavailable ({FLAG}=true){q}){semi}")
    if plain and meta:
        warn = _one_string(logger, f"Starting in degraded mode: {function.database.removeprefix('the ')} unavailable "
                                   f"({FLAG}=true)", _text(thrown), semi)
    returned = f"return {value}{semi}" if value else f"return{semi}"
    inner = indent + unit
    block = (f"if ({style.flag} === {q}true{q}) {{\n{inner}{warn}\n{inner}{returned}\n{indent}}}")
    original = (statement.text or b"").decode()
    parent = statement.parent
    if parent is not None and parent.type != "statement_block":  # `if (n === 0) throw err;`: needs braces now
        outer = source_file.text.indent_at(parent.start_byte)
        block = block.replace(f"\n{indent}", f"\n{outer}{unit}")
        text = f"{{\n{outer}{unit}{block}\n{outer}{unit}{original}\n{outer}}}"
        return Edit(source_file.path, statement.start_byte, statement.end_byte, text)
    return Edit(source_file.path, statement.start_byte, statement.start_byte, f"{block}\n{indent}")


def _one_string(logger: str, message: str, error: str, semi: str) -> str:
    """`logger.warn(`… (FLAG=true): ${error…}`)`: the error's message in the one string."""
    message = message.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    return f"{logger}.warn(`{message}: ${{{error} instanceof Error ? {error}.message : String({error})}}`){semi}"


def _degraded_else_exit(source_file: SourceFile, statement: Node, function: InitFunction, logger: str,
                        style: _Style) -> Edit:
    """At the top level (an ES module's `await connect()`) there is nothing to return from:
    `if (FLAG) { logger.warn(…) } else { process.exit(1) }`, the module carries on."""
    q, semi = style.quote, style.semi
    indent = source_file.text.indent_at(statement.start_byte)
    inner = indent + source_file.text.indent_unit
    warn = f"{logger}.warn({q}Starting in degraded mode: {function.database.removeprefix('the ')} unavailable ({FLAG}=true){q}){semi}"
    text = (f"if ({style.flag} === {q}true{q}) {{\n{inner}{warn}\n{indent}}} else {{\n"
            f"{inner}{_text(statement)}\n{indent}}}")
    return Edit(source_file.path, statement.start_byte, statement.end_byte, text)


def _widen_return_type(source_file: SourceFile, function: Node) -> Edit | None:
    """`Promise<Pool>` -> `Promise<Pool | null>`, `Pool` -> `Pool | null`."""
    annotation = function.child_by_field_name("return_type")
    if annotation is None or not annotation.named_children:
        return None
    declared = annotation.named_children[-1]
    if re.search(r"\bnull\b", _text(declared)):
        return None
    target = declared
    if declared.type == "generic_type" and _text(declared.child_by_field_name("name")) == "Promise":
        arguments = next((c for c in declared.named_children if c.type == "type_arguments"), None)
        if arguments is None or len(arguments.named_children) != 1:
            return None
        target = arguments.named_children[0]
    return _with_null(source_file, target)


def _with_null(source_file: SourceFile, target: Node) -> Edit:
    text = _text(target)
    if target.type in ("function_type", "conditional_type", "constructor_type"):
        text = f"({text})"
    return Edit(source_file.path, target.start_byte, target.end_byte, f"{text} | null")


# --- notes for the reviewer ---------------------------------------------------------


def _unguarded(callers: list[CallSite]) -> str:
    """What the finding must say when callers are left to the reviewer: the branch is not done."""
    left = [f"{s.path}:{s.line}" for s in callers if s.action == "review"]
    if not left:
        return ""
    return (f"; the branch needs a hand edit of the caller(s) it could not guard ({', '.join(left)}): until then it may "
            "not type-check (strict tsc: possibly null) and degraded mode may fail there")


def _function_note(function: InitFunction, callers: list[CallSite], logger: str, why: str = "") -> str:
    listed = "; ".join(f"{s.path}:{s.line} ({s.detail})" for s in callers) or "none found in this repository"
    returned = "null" if function.returns_value else "without a value"
    return (f"With {FLAG}=true, {function.name}() returns {returned} instead of throwing when {function.database} "
            f"stays unreachable. Check: (1) {FLAG} is set only where running without {function.database} is acceptable; "
            f"(2) every caller: {listed}; (3) code that reads the connection later (a getter such as getPool()) now "
            "fails per request instead of at start-up: make that a 503"
            + ("" if logger != "console" else f"; (4) the warning uses console.warn: {why or 'no logger was found for this file'}"))


def _console_note(why: str) -> str:
    """The note's sentence on why the warning uses console.warn ("": it does not)."""
    return f" The warning uses console.warn: {why}." if why else ""


def _site_note(site: CallSite) -> str:
    path, name = site.function.split(":")
    if site.action == "wrap":
        return (f"{name}() ({path}) returns null in degraded mode; the statements that use the result are skipped "
                "then and the rest of this function still runs, so requests that need the database fail when they "
                "use it: check that is what you want here")
    if site.action == "widen":
        return f"{name}() ({path}) returns null in degraded mode; the result is unused here, only its declared type widened"
    if site.action == "guard":
        return (f"{name}() ({path}) returns null in degraded mode; the guard returns early, so this caller carries on "
                "as if initialised and requests that need the database fail when they use it: check that is what "
                "you want here")
    return f"{name}() ({path}) returns null in degraded mode and this caller is not guarded: {site.detail}"


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """The variable the new code reads goes into the env template(s), so it is documented."""
    changed = [f for f in findings if f.fixable]
    if changed:
        yield from envtemplate.findings(repo, INFO.id, [f.path for f in changed], FLAG, "false", "true lets the service start without its database (degraded mode)")
