"""Shut down gracefully on SIGTERM and SIGINT: drain the server, close connections, exit.

## What it does

Finds the files that start a server — `.listen(` on an Express or Koa app, an
`http`/`https` server (Socket.IO's included), a Fastify or Nest instance whatever
it is called (`fastify`, `server`, `app` from `Fastify()`, an awaited
`listen({ port })`, or `listen({ port }, (err, address) => …)` of an app a factory
made), a Hapi server (`Hapi.server(…)` / `new Hapi.Server(…)` of `@hapi/hapi` or `hapi`, or one `@hapi/glue`
composes from a manifest: `await Glue.compose(manifest, options)`, `Glue.compose(…).then(async (server) => { … })`)
started by `await server.start()`, a Feathers 5 app (`express(feathers())` of `@feathersjs/express`: `listen()`
returns a promise), a Hono app started by `serve({ fetch: app.fetch, port })` of `@hono/node-server` (which
returns the http.Server; in TypeScript kept as `serve(…) as import('http').Server`, serve() being typed as a
union with HTTP/2 servers), tRPC 11's `createHTTPServer(…)` (the http.Server), a NestJS microservice
(`NestFactory.createMicroservice(…)`, or a Nest app made elsewhere whose `listen()` is given no port: an
`INestMicroservice`, closed by `await app.close()`, with no HTTP server under it), a @grpc/grpc-js server
(`new grpc.Server()` started by `bindAsync(…)`) —
and Kafka consumer workers that run on their own, when nothing handles SIGTERM
for them, and adds the audit's shutdown handler right after the `listen` (inside
`start()`/`bootstrap()` when the server lives there):

- it logs through the repository's logger (the import is added when needed); where there
  is none, through the pino logger of a Fastify instance made with one (`Fastify({ logger:
  true })`: `app.log`), else console (`logger: false` makes `app.log` a no-op); a level the
  logger is not shown to have (`logger.level_methods`: for a package outside the repository,
  the methods the repository calls on it) is logged with console's (`console.info`), as is
  everything for a logger that takes a tag before the message (which tag, in which form, is
  the code's own), the finding saying which of the two it is;
- it stops accepting connections (`server.close()`, `await fastify.close()`, Hapi's
  `await server.stop({ timeout: 6000 })` (3/4 of the forced exit's default, at most 10 s), which also ends its
  idle connections, Feathers 5's `await app.teardown()`, which runs its services' teardown and closes `app.server`, a gRPC server's
  `tryShutdown()`, which refuses new calls and calls back once those in progress have finished, its
  `forceShutdown()` cancelling what is left when the timeout is up) and
  lets in-flight requests finish; idle keep-alive sockets are closed at once and
  busy ones as soon as their response is sent, so `close()` does not wait for
  the keep-alive timeout (Fastify's is 72 s; Nest's often 65 s behind a load
  balancer): on the http server, or the one under the instance (Fastify's
  `fastify.server`, Nest's `app.getHttpServer()`) (`server.closeIdleConnections()`, Node 18.2+;
  where the service may run an older Node — its image's final stage `FROM node:16-alpine`, through a
  stage or an `ARG` default, its package.json's or the root's `engines.node` below 18, an `.nvmrc` —
  or, in TypeScript, its @types/node is older than 18, it is called only where it exists: under a
  `typeof … === 'function'` test in JavaScript, through a cast to an optional method in TypeScript
  (`(server as { closeIdleConnections?: () => void }).closeIdleConnections?.()`), and idle sockets are
  left to time out on the older Node, the finding says why);
- it closes what the file itself opened: Socket.IO `io.close()`, kafkajs
  consumers, producers and admins `.disconnect()`, redis/ioredis `.quit()`, pg
  pools and clients `.end()`, a knex pool and a Kysely `.destroy()`, a MongoClient (`new MongoClient(url)`,
  `await MongoClient.connect(url)`) `.close()`, a TypeORM DataSource `.destroy()` (once initialized), a PrismaClient
  `.$disconnect()`, an Apollo Server whose `stopOnTerminationSignals` is false `.stop()`, mongoose
  `.disconnect()`, a Moleculer ServiceBroker that traps no signal (`skipProcessEventRegistration: true`)
  `await broker.stop()` (each service's `stopped()`), BullMQ `Worker`s, `Queue`s, `QueueEvents` and `FlowProducer`s `await ….close()` (a Worker's
  waits for its active jobs), node-cron and croner tasks `.stop()`, amqplib (promise API) channels and
  connections `await ….close()` — what does the work first (cron tasks, consumers, workers), then what it
  uses, connections last: a Worker is closed before the ioredis connection it was given; the finding says where
  a cron run or an amqplib message in progress is not waited for (stop() does not wait for a run; close()
  requeues an unacked message); a client made in another module that the file connects (`AppDataSource.initialize()`
  of an imported DataSource in a service that depends on typeorm, `prisma.$connect()`, `redis.connect()` of a
  client a module of the repository makes, whose library decides how it closes) is named in the
  finding, to be closed in the handler by hand, and so is one the file makes and connects where the handler
  cannot reach it (inside another function), with its close call;
- it exits 0 when done, 1 when closing fails (an error `server.close()` passes to its
  callback included), and 1 after `SHUTDOWN_TIMEOUT_MS` through an `unref`'d timer, before the
  SIGKILL: its default is 80% of the shortest grace period (SIGTERM to SIGKILL) the service runs
  under — a compose service's `stop_grace_period` (`20s`, `1m30s`; Docker's 10 s where it sets none), a
  Kubernetes workload's `terminationGracePeriodSeconds` (a manifest or Helm template in the service's
  directory or naming it alone, a template's `{{ .Values.key }}` read from the chart's values; 30 s where
  it sets none; less a preStop hook's `sleep N`, which runs first) —, 8000 ms where fixer finds none (under
  Docker's 10 s), and the finding says which grace period it is under and where that is read (and one fixer
  cannot time: `${GRACE}`, a preStop hook that does not sleep); it reads the variable
  as `process.env['SHUTDOWN_TIMEOUT_MS']` where `noPropertyAccessFromIndexSignature`
  requires that (set in the file's nearest tsconfig.json or a config it `extends` by
  relative path) and where the file (or, when the file reads none, its service) reads
  the environment only that way;
- a second signal during shutdown does not start a second one; SIGTERM (what
  `docker stop` and Kubernetes send) and SIGINT (Ctrl-C) both trigger it;
- in JavaScript it type-checks where tsc checks it (`checkJs`, `// @ts-check`): the
  signal parameter has a JSDoc type and the close promise resolves with `undefined`.

`app.listen(PORT, cb)` used as a statement is kept first (`const server =
app.listen(PORT, cb)`). An awaited `listen()` of an app made elsewhere whose result
is used as the server (`const server = await app.listen(PORT); server.address()`)
is an Express app: the server closes, not the app. All the servers a file starts in
one place are closed by one handler. A worker entry (the service's entry point — what
package.json's `main` or start script names, else what its Dockerfile's ENTRYPOINT/CMD runs:
`CMD ["node", "src/worker.mjs"]`, `node dist/worker.js` for src/worker.ts, `npm run <script>` —, a file a
package.json script runs, or one with a `require.main === module` guard) gets a
handler that disconnects its Kafka consumer or closes its BullMQ worker (and the connection it uses), inside the
guard when there is one; one that runs an amqplib consumer or a cron scheduler, or a worker made inside a
function, is reported with what its handler has to do (cancel the consumer and wait for the messages in progress
before closing the channel; stop the task and wait for a run in progress).

Nothing changes where SIGTERM is already handled — `process.on('SIGTERM', …)` (`once`,
`addListener`, `prependListener`, a chain of them or of removals on `process`,
`process.removeAllListeners('SIGTERM').on('SIGTERM', …)`, a loop over signal names, or a
helper the file calls with the name, `onSignal('SIGTERM')`; a `'SIGTERM'` anywhere else, a
child's `killSignal` say, handles nothing, nor does a hook that does its synchronous work and sends the
signal again, `process.kill(process.pid, signal)`, removing no other handler: a store's flush-on-exit
drains no server, and the re-sent signal reaches the handler the fix adds): in the file, in a helper it
imports and calls (`registerShutdown(server)`, `createTerminus`,
`closeWithGrace`, Nest's `enableShutdownHooks`), by an Apollo Server the file makes (`new ApolloServer(…)` of
`@apollo/server` or `apollo-server*`, its `stopOnTerminationSignals` option absent or `true`: it traps SIGTERM and
SIGINT, awaits its `stop()` and re-raises the signal; that stop() drains what `startStandaloneServer` started and
the server given to `ApolloServerPluginDrainHttpServer({ httpServer })`, and any other server the file starts is
reported, to be given to that plugin), by a Moleculer ServiceBroker (`new ServiceBroker(…)` of `moleculer`
without `skipProcessEventRegistration: true`, or the one `moleculer-runner` makes for the modules it loads where the
service's start script runs it: its constructor traps SIGTERM and SIGINT, awaits `broker.stop()` — each
service's `stopped()` and the broker's `stopped` option — and exits; a server of its process is reported, to be closed
there, unless a `stopped()` of the file closes it; a server a Moleculer service's `started()` or `created()` starts,
in a service that depends on moleculer, is the broker's too: nothing changes where the service's `stopped()` closes it,
and it is reported where it does not), in a module it imports that
registers a handler when loaded (a workspace package, `@acme/shared`, included), or in
the file that imports it. One process gets one handler: where a module that starts a
server is loaded by a file that gets a handler in the same run (an entry point that
requires the module of its metrics server), the importer gets it and the module is
reported (its server has to be closed in that handler); two such modules loaded by one
file are both reported. A file that starts a server (or a Kafka worker run on its own) and loads the
entry point (`const app = require('./server')`, the entry listening too) is reported as well: the entry registers its handler
when loaded, so that handler runs in this file's process, closes none of its servers, and a second
handler would exit while the other drains (an entry that listens only under `require.main ===
module` registers nothing when loaded: the file gets its own); once the entry has its handler, the
file is still reported (loading an entry point that drains its own servers does not handle SIGTERM for
this file's). Where the service
already registers a SIGTERM handler anywhere else in its code (an entry point that imports
the file two modules down, say; not tests, nor seed, migration and other scripts under
`scripts/`, `seeds/`, `migrations/`, `bin/`…, which run as processes of their own, nor
`examples/` and `benchmarks/`, nor — where the service's entry point loads this file and fixer
can follow everything it loads — a file it never loads: a library's `startApp()`; for a file
none of the service's processes imports, where fixer can follow what each loads — its entry point,
what its image and package.json scripts run —, only a handler in a file one of them loads: a
vendored CLI's handler is no process's), no
second handler is added: one that exits
would cut that handler's drain short. The server is reported instead, to be closed in the
existing handler (for a file no process imports: if one loads it at run time; where the service's
only handlers are in files none of its processes loads, the file is reported as one no process
loads, and gets no handler); only a file run on its own (entry point, package.json script, main-module
guard) next to a handler in another such file is another process and gets its own. A file
handling SIGINT only gets the same handler registered for SIGTERM (one registered in a chain
of calls on `process`, `process.removeAllListeners('SIGINT').on('SIGINT', stop)`, is reported:
copied, the chain would remove or register something else too). Code in comments,
tests and `history.listen(fn)`-style calls are left alone, and so is a `.listen()` that starts no
server: one on an object fixer cannot place (made by a factory, a parameter) is a server only when
given a port (a number, `PORT`, `this.port`, `process.env.PORT`, `{ port }`, listen options by name:
`config.listen`), not `featureLifecycleService.listen()`; the `listen()` of an instance is one only
when its class's `listen()` method starts a server (the class in the file, or in the module it is
imported from, relative or through the tsconfig's `paths`/`baseUrl`: `@/app`), not an
EventEmitter's `listen() { this.on(…) }`. A server a class's `listen()` method returns is handled when
a SIGTERM handler in another file closes what an instance's `listen()` of that class returned
(`const server = new App(routes).listen(); … process.on(signal, () => server.close(…))`), and so is the
`listen()` of an instance of a class whose own SIGTERM handler closes the server it starts (`listen() {
process.on('SIGTERM', () => this.destroy()); this.httpServer.listen(port) }`, the class's methods the handler
calls followed up to three calls deep). A file only a package.json script other than the service's start runs
(`"load": "tsx src/bench/loadHarness.ts"`, a seed) is a script, not a process of the service, and is left
alone (named in the notes); the service's entry, its `main`, and what its `start`/`serve`/`dev` scripts or a
script named for a process of its own (`worker`, `consumer`, `admin`, `scheduler`…) run are the service's.
A file a tool is given (`eslint src/x.ts`) is not run by that script. What cannot be fixed
safely is reported: a server kept somewhere the handler cannot reach
(`module.exports = app.listen()`, a `let server: Server | undefined` assigned in a
function, a listen in a callback without a block — `.then((server) => server.start())` —, a server started
by a `return` statement — `return server.start()`: a handler after it would never be registered —, or the body
of an `if`/`else` or loop without one: `if (…) app.listen(…)`), a server carrying a `ws` WebSocketServer (ws 8's
`close()` leaves its clients open, and their upgraded sockets hold `server.close()`), a server handed to a call
that may attach to it what the handler cannot close (`ParseServer.createLiveQueryServer(httpServer)`, `new
WebSocketServer({ server })`, `attach(server)`: the finding names the callee; the server's own methods, console
and logger calls, `events.once(server, …)` and Socket.IO's `new Server(server)`, closed by `io.close()`, are
harmless; an instance's `app.server` and `app.getHttpServer()` count, the instance given to its plugins does not),
a listen in a function that can run
more than once (called or passed on more than once in the file, exported, a method, an
`.on()` listener: each run would register another handler, and after a restart the stale
one closes a closed server and exits under the live one; a local of the same name and
`typeof start` in a type are not calls, and an exported function the file calls once
under its main-module guard runs once), the `listen()` of an instance of a class fixer
does not know (`new App(3000).listen()`: the class's own `listen()` may return nothing,
not the server), a TypeScript `let server;`
without a type (the handler's closures would read an implicit any), `net`, `tls`
and `http2` servers (no `closeIdleConnections()`, and `close()` waits for their
sockets or sessions), an awaited `listen()` (or one given an options object) of an app
fixer cannot place as Express/Koa or Fastify/Nest, a `listen()` that does not return the http.Server
(polka's returns the app, whose `app.server` is the server; tRPC 10's `createHTTPServer(…).listen()`
returns `{ port }`, its `.server` being the server; a tRPC of a version package.json does not show), a
`listen(port)` of an object fixer cannot place in a file or service that uses polka, Elysia, uWebSockets.js
or hyper-express (whose listen() returns no http.Server; elsewhere it is taken for an Express app's), Hono's
`serve()` given its own `createServer` (HTTP/2, maybe), a ws WebSocketServer on a port of its own (`new
WebSocketServer({ port })`: its `close()` leaves its clients' connections open and its callback waits for them, so
the handler has to close each client first), the `bindAsync()` of a gRPC server made elsewhere (in a file or service
that uses @grpc/grpc-js), a `listen(…).then(…)` of an app made elsewhere that neither
the file's imports nor its service's dependencies place (Fastify, Nest and Feathers 5 all return a promise: the
kind comes from what the code imports, never from the call's shape), a Feathers app of a version its service's
package.json does not show (Feathers 4 has no `teardown()`; its `listen()` returns the server, closed as
Express's), a Feathers Koa app, a `listen(port)` of an object made in another module of a Feathers service
(the app, whose `listen()` returns a promise, or an http.Server), listens in several scopes, a
consumer created inside the function that runs it (`main()`), and consumers started
from another module (a stop function has to be exported). Where the file with such a server is not run
on its own and other processes of the service load it (a worker a compose service starts with its own
`command: node src/worker.js`, what a package.json script named for a process runs), the finding names
each of them and how it is started, and says to add the handler there: the entry point's handler is
another process's.

A handler runs only where SIGTERM reaches node. Where a container's command keeps it from node, that
command is reported where it is said (the Dockerfile's CMD/ENTRYPOINT, a compose `command:`), with the exec
form to write (`CMD ["node", "src/index.js"]` where the start script is one plain `node` command), whether the
handler is added now or was there; the handler's own finding says it will not run there. Measured by running
each command as PID 1 of a PID namespace and sending it SIGTERM during a request: on a Debian-based image
(`node:20`, `node:20-slim`; its /bin/sh is dash) the shell form `CMD npm start` is `/bin/sh -c` as PID 1, which
keeps node as its child and ignores SIGTERM (`docker stop` SIGKILLs node after the grace period); the exec form
`["npm", "start"]` runs the script under `sh -c` too, which dies of the SIGTERM npm passes on: npm exits and node
is killed mid-request; yarn 1 exits at once; an init before them (tini, dumb-init, compose `init: true`) passes
the signal to sh or npm and changes nothing. Node gets it as PID 1 (exec form), after `exec node …` in a shell, and
on alpine, whose busybox sh runs a single command (or the last of `a && b`) in its own place, so npm's child is
node, which npm waits for. Another publisher's image, a tag fixer cannot read, pnpm and other runners are not
judged. The Dockerfile is not edited: `npm start` also runs a `prestart` script and sets `npm_*` variables the code
may read, and the image's command would stop following package.json. A stop signal other than SIGTERM or SIGINT
(a compose service's `stop_signal: SIGQUIT`, a Dockerfile's `STOPSIGNAL` in the stages its image is built from) is
reported where it is set: `docker stop` sends that signal, which the handler is not registered for.

`SHUTDOWN_TIMEOUT_MS` is added to the repository's env templates (`env.template`, `.env.example`, …)
that lack it, so the new variable is documented where the others are.

## Why

Without a handler, `docker stop` and every Kubernetes rollout kill the process
mid-request: in-flight requests fail, transactions are cut, Kafka offsets are
not committed and the consumer group rebalances late. The audit's Fix 8 asks for
a handler in every entry point.

## Example

```diff
 const PORT = process.env.PORT || 3003;
 const pool = new Pool({ connectionString: process.env.DATABASE_URL });
 
-app.listen(PORT, () => {
+const server = app.listen(PORT, () => {
   logger.info(`Booking Service running on port ${PORT}`);
 });
+
+// Graceful shutdown on SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C): stop accepting
+// connections, let in-flight requests finish, close connections and exit; exit 1 if it takes
+// longer than SHUTDOWN_TIMEOUT_MS (default 8 s). A second signal doesn't start it again.
+let shuttingDown = false;
+// keep-alive sockets would hold server.close() open until they time out: close them once idle
+server.on('request', (_req, res) => {
+  res.on('finish', () => {
+    if (shuttingDown) server.closeIdleConnections();
+  });
+});
+
+const gracefulShutdown = async (signal: string) => {
+  if (shuttingDown) return;
+  shuttingDown = true;
+  logger.info(`Received ${signal}, shutting down gracefully`);
+  setTimeout(() => {
+    logger.error('Graceful shutdown timed out, forcing exit');
+    process.exit(1);
+  }, Number(process.env.SHUTDOWN_TIMEOUT_MS) || 8000).unref();
+  try {
+    const closing = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
+    server.closeIdleConnections();
+    await closing;
+    logger.info('HTTP server closed');
+    await pool.end();
+  } catch (error) {
+    logger.error(`Graceful shutdown failed: ${String(error)}`);
+    process.exit(1);
+  }
+  process.exit(0);
+};
+
+process.on('SIGTERM', () => gracefulShutdown('SIGTERM'));
+process.on('SIGINT', () => gracefulShutdown('SIGINT'));
```

## Fix safety

Safe. The handler only runs when a signal arrives, which today kills the
process outright; it closes only connections created in the same file, and the
forced exit bounds how long a stuck connection can delay the shutdown. Its default is
below the grace period fixer reads for the service; where the service runs with a shorter one
it does not see (`docker stop -t 5`, a grace period set at deploy time), set `SHUTDOWN_TIMEOUT_MS`
below it so the forced exit comes first. The keep-alive handling needs Node 18.2 or
later (`closeIdleConnections`): where the service may run an older one, idle
keep-alive sockets hold `close()` until their keep-alive timeout (Node's: 5 s).
Connections opened in other modules (a pool
created in `config/database.ts`) are not closed by the handler; export a close
function there and await it in the handler if they matter.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterator

from fixer import logger
from fixer.model import Edit, Finding, FixInfo
from fixer.errors import ParseError
from fixer.parsing import dockerfile as dockerfile_parser, typescript, yamlfile
from fixer.parsing.typescript import Imported, Node
from fixer import envtemplate
from fixer.probes import DYNAMIC_LOADS, container_processes, entry_reach, hono_serves, process_reach, termination_grace_periods
from fixer.repo import CODE_KINDS, IMPORTED_MODULES, FactsSpec, Repo, Service, SourceFile
from fixer.scripts import all_script_files, sigterm_blocked

INFO = FixInfo(
    id="graceful-shutdown",
    title="Shut down gracefully on SIGTERM and SIGINT",
    audit="Fix 8",
    week=3,
    order=9,
    severity="medium",
    safety="safe",
    kinds=frozenset({"ts", "tsx", "js"}),
    prefilter=(b"listen", b"onsumer", b"SIGINT", b"hapi", b"glue", b"hono/node-server", b"bullmq", b"amqplib",
               b"node-cron", b"croner", b"bindAsync", b"WebSocketServer", b"WebSocket.Server"),
    structural="services",  # scan: module resolution, a service's entry point
    version=23,  # 23: Fastify instance loggers by logger.writing_logger, knex/Kysely/MongoClient closed, clients it cannot close named; 22: the forced-exit default below the grace period where the service runs (compose stop_grace_period, Kubernetes terminationGracePeriodSeconds; 8 s), stop signals the handler never gets reported; 21: a container command keeping SIGTERM from node (dash or npm as PID 1) reported where it is written, the processes list from scripts.runs_of; 20: a compose service's command is a process (its own handler), advice names the process files that load a server and how each starts; 19: a server is sent only to a SIGTERM handler of a process that loads its file; one in a file no process loads is reported as such; 18: Nest microservices (no HTTP server), @grpc/grpc-js servers closed by tryShutdown, ws servers on their own port, Moleculer brokers trap the signals, the logger a service has in its image; 17: the logger chosen and imported as console-to-logger 23 does (path alias scope, TypeScript package entries, request-logger middleware); 16: BullMQ workers and queues closed before their connection, standalone BullMQ workers handled, amqplib consumers and cron schedulers reported or closed; 15: listen() results only where they are the server (tRPC 10, polka reported), Hono serve(), re-raising hooks are no handlers, old Node (closeIdleConnections guarded), Apollo traps the signals, TypeORM and Prisma closed; 14: no logger import a CommonJS TypeScript file cannot load (logger_for); 13: a handler registered through a chain of calls on process (Ghost: removeAllListeners(…).on(…)), a chained SIGINT-only registration reported; 12: a hapi server @hapi/glue composes (awaited or a .then parameter), a server started by `return` reported (a handler after it never runs), extensionless entries (bin/www); 11: a server handed to another module's function (a LiveQuery/WebSocket attach) is reported with the callee; 10: an app's kind from evidence (Feathers 5: app.teardown()), handlers in files the entry never loads do not count, tooling skipped, tag-first logger notes (logger.unfit_levels); 9: a logger's level methods checked before a call is written (logger.LOGGER_CALLS); npm logger packages only where the image resolves them; 8: a logger required and made in one expression (`require('log4js').getLogger()`) is the file's own; 7: a Fastify instance's `app.log` before console
    # 4: `.listen()` of an object not known to be a server and given no port is not a server start; a
    # handler in another file that closes a class's returned server is credited
    # 5: a class whose own handler closes its server is credited; files only a non-start script runs are left alone
    # 6: a Hapi server's `start()` starts a server (`await server.stop({ timeout })`); an image's CMD names the entry
)

SIGNALS = ("SIGTERM", "SIGINT")
LOADS = "<loads>"  # in `Context.shared`: the file loads the other, which registers its handler when loaded
# Libraries whose one call installs signal handling for the caller.
SHUTDOWN_LIBRARIES = frozenset({"@godaddy/terminus", "close-with-grace", "lightship", "http-graceful-shutdown",
                                "@moebius/http-graceful-shutdown", "async-exit-hook", "exit-hook"})
TEST_PATH = re.compile(r"(^|/)(__tests__|__mocks__|tests?|e2e|spec)/|\.(test|spec|e2e)\.[cm]?[jt]sx?$")
MAIN_GUARD = re.compile(rb"require\.main\s*===?\s*module|module\s*===?\s*require\.main|import\.meta\.main")
CREATES_CONSUMER = re.compile(rb"\.consumer\(\s*\{[^}]*groupId")


@dataclass(frozen=True)
class Context:
    loggers: tuple[tuple[str | None, logger.LoggerImport], ...]
    handlers: frozenset[tuple[str, str]]  # (file, function) that registers a SIGTERM handler
    handler_names: frozenset[str]  # the same functions' names, for imports from workspace packages
    on_import: frozenset[str]  # files that register one when loaded
    covered: frozenset[str]  # files imported by a file that registers one
    registered: tuple[tuple[str, str, bool], ...]  # (service directory, "path:line", run on its own) of each in service code
    consumer_modules: frozenset[str]  # files that create a kafkajs consumer
    scripts: frozenset[str]  # files a package.json script runs
    bracket_env: frozenset[str]  # service directories that read process.env only as `process.env['X']`
    env_projects: tuple[tuple[str, tuple[str, ...]], ...]  # tsconfig.json directory -> kinds that must too
    loading_packages: frozenset[str] = frozenset()  # workspace packages with a file that registers one when loaded
    # (file, other, common importer or ""): files that would get a handler in a process whose handler
    # belongs in `other` (an importer of the file that gets one too), or is shared with it
    shared: tuple[tuple[str, str, str], ...] = ()
    # entry points (run on their own, no main-module guard) that listen and register a handler when
    # loaded: their handler drains their own servers, not those of a file that loads them
    draining_entries: frozenset[str] = frozenset()
    # (file, class name or "default") of the classes whose `listen()` method starts a server, and the files
    # fixer looked in: an instance's `lifecycle.listen()` of a class of another file starts one only if listed
    server_classes: frozenset[tuple[str, str]] = frozenset()
    class_files: frozenset[str] = frozenset()
    # (file, class name or "default"): a SIGTERM handler elsewhere closes what an instance's listen() returns
    closed_classes: frozenset[tuple[str, str]] = frozenset()
    # (file, class name or "default"): the class registers a SIGTERM handler that closes the server its
    # listen() starts (`listen() { process.on('SIGTERM', () => this.destroy()); this.httpServer.listen(…) }`)
    draining_classes: frozenset[tuple[str, str]] = frozenset()
    # path -> why: files only a package.json script other than the service's start runs (a load test, a seed);
    # the notes name those that start a server or a consumer
    left_alone: tuple[tuple[str, str], ...] = ()
    quiet: frozenset[str] = frozenset()
    # what the repository's loggers take and the level methods they have (`logger.logger_shapes`)
    shapes: logger.Shapes = ()
    # service directory -> the files its entry point loads (`probes.entry_reach`; None: fixer cannot tell)
    reach: tuple[tuple[str, frozenset[str] | None], ...] = ()
    # service directory -> (file, what it loads) of each file run as one of its processes (its entry point, what
    # its image and package.json scripts run: `probes.process_reach`); None: fixer cannot tell for one of them
    process_reach: tuple[tuple[str, tuple[tuple[str, frozenset[str]], ...] | None], ...] = ()
    # (file, exported name or "default", library): an app the module makes and exports (`export const app =
    # express(feathers())`): what `app.listen()` of a file that imports it is
    app_origins: frozenset[tuple[str, str, str]] = frozenset()
    # (service directory, why its Node may predate 18.2, why its @types/node may lack closeIdleConnections):
    # `old_node`, for the services where either is so
    old_node: tuple[tuple[str, str, str], ...] = ()
    # "path:line" of each Moleculer ServiceBroker that traps SIGTERM (`trap_facts`): in `registered` too
    brokers: frozenset[str] = frozenset()
    # "path:line (how)" of each SIGTERM handler a framework or library call registers (`trap_facts`), for the notes
    trapped: tuple[str, ...] = ()
    # file run as a process of its service (`process_reach`) -> how it is started (`_how_started`)
    started: tuple[tuple[str, str], ...] = ()
    # (service directory, "file:line" where a container's process is said, why SIGTERM does not reach its node and
    # what to write instead: `scripts.sigterm_blocked`, the files that process loads or None when not known)
    unreached: tuple[tuple[str, str, str, frozenset[str] | None], ...] = ()
    # service directory -> (the forced exit's default in ms, why: the grace period it is under and where that is read)
    timeouts: tuple[tuple[str, int, str], ...] = ()


# --- the repository-wide picture -------------------------------------------------------


def prepare(repo: Repo, options: dict) -> Context:
    handlers: set[tuple[str, str]] = set()
    on_import: set[str] = set()
    covered: set[str] = set()
    registered: list[tuple[str, str, bool]] = []
    entries = {service.entry for service in repo.services}
    scripts = frozenset(path for runs in repo.runs.values() for path in runs.scripts)
    closed: set[tuple[str, str]] = set()
    draining: set[tuple[str, str]] = set()
    scripts_left = all_script_files(repo)
    brokers, trapped = set(), []
    for path, traps in repo.facts_of(TRAPS).items():
        service = repo.service_for(path)
        for line, how in traps:
            if repo.is_production_code(path) and not TEST_PATH.search(path):  # (a test's broker is no process's)
                trapped.append(f"{path}:{line} ({_TRAPPED_BY.get(how, how)})")
            # a broker that traps SIGTERM is the process's handler: a server elsewhere in the process is closed from it
            if how != "moleculer":
                continue
            brokers.add(f"{path}:{line}")
            if service is not None and repo.is_production_code(path) and path not in scripts_left:
                guarded = bool((repo.facts_of(IMPORTS).get(path) or (False, False))[1])
                registered.append((service.dir, f"{path}:{line}", guarded or path in entries or path in scripts))
    for path, (names, on_load, specifiers, line, guarded, closes, drains) in repo.facts_of(SIGTERM_HANDLERS).items():
        closed.update((target, name) for specifier, name in closes
                      if (target := resolve_specifier(repo, path, specifier)) is not None)
        draining.update((path, name) for name in drains)
        handlers.update((path, name) for name in names)
        if on_load:
            on_import.add(path)
        if (names or on_load) and repo.is_production_code(path):  # (a benchmark's handler is not the service's)
            covered.update(t for s in specifiers if (t := logger.resolve_module(repo, path, s)))
        service = repo.service_for(path)
        # a seed or migration script, a load test a package.json script runs, a test: another process, or none
        # of the service's
        if line and service is not None and repo.is_production_code(path) and path not in scripts_left:
            registered.append((service.dir, f"{path}:{line}", guarded or path in entries or path in scripts))
    consumers = repo.facts_of(CONSUMERS)
    env_styles: dict[str, set[str]] = {}
    for path, style in repo.facts_of(ENV_STYLE).items():
        service = repo.service_for(path)
        if style and service is not None:
            env_styles.setdefault(service.dir, set()).add(style)
    handled = {path for path, facts in repo.facts_of(SIGTERM_HANDLERS).items() if facts[3]}
    imports = repo.facts_of(IMPORTS)
    classes = repo.facts_of(SERVER_CLASSES)
    return Context(
        tuple(sorted(logger.infer(repo).items(), key=lambda kv: str(kv[0]))), frozenset(handlers),
        # helpers of shared packages, by name; a service's own `main()`/`start()` is nobody's helper
        frozenset(name for path, name in handlers if path not in entries), frozenset(on_import),
        frozenset(covered), tuple(sorted(registered)), frozenset(path for path, creates in consumers.items() if creates),
        scripts, frozenset(d for d, styles in env_styles.items() if styles == {"brackets"}),
        repo.env_bracket_projects(), frozenset(_loading_packages(repo, on_import)),
        _shared_processes(repo, handled, entries | scripts, {p for p, creates in consumers.items() if creates}),
        # (the IMPORTS facts: whether it listens, whether it has a main-module guard)
        draining_entries=frozenset(path for path in on_import if (facts := imports.get(path)) is not None
                                   and facts[0] and not facts[1] and (path in entries or path in scripts)),
        server_classes=frozenset((path, name) for path, names in classes.items() for name in names),
        class_files=frozenset(classes), closed_classes=frozenset(closed), draining_classes=frozenset(draining),
        left_alone=tuple(sorted(scripts_left.items())),
        quiet=frozenset(path for path in scripts_left if not (imports.get(path) or (False,))[0] and not consumers.get(path)),
        shapes=logger.logger_shapes(repo),
        reach=tuple((service.dir, entry_reach(repo, service)) for service in repo.services),
        process_reach=tuple((service.dir, _process_reaches(repo, service)) for service in repo.services),
        app_origins=frozenset((path, name, origin) for path, apps in repo.facts_of(APP_ORIGINS).items()
                              for name, origin in apps),
        old_node=old_node(repo), brokers=frozenset(brokers), trapped=tuple(sorted(trapped)),
        started=_how_started(repo), unreached=_unreached(repo) + _stop_signals(repo), timeouts=_timeouts(repo),
    )


DOCKER_GRACE = 10  # s: `docker stop`'s (and compose's) stop timeout where none is set
DEFAULT_TIMEOUT = 8000  # ms: the forced exit's default where fixer reads no grace period (under Docker's 10 s)
# the stop signals the handler is registered for (`docker stop` sends the image's STOPSIGNAL, compose its stop_signal)
_HANDLED_SIGNALS = frozenset({"SIGTERM", "TERM", "15", "SIGINT", "INT", "2"})
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")
_UNITS = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def _duration(text: str) -> float | None:
    """Seconds of a compose duration (`10s`, `1m30s`, `500ms`; a bare number is seconds); None: not one."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(n) * _UNITS[u] for n, u in parts)


def _grace_periods(repo: Repo) -> dict[str, list[tuple[float | None, str]]]:
    """Service directory -> (seconds or None where fixer cannot read them, where) of each grace period it runs
    under, the time between SIGTERM and SIGKILL: each compose service's `stop_grace_period` (Docker's 10 s
    where it sets none), each Kubernetes workload's `terminationGracePeriodSeconds` (30 s where it sets none)."""
    found: dict[str, list[tuple[float | None, str]]] = {}
    for compose in repo.compose_services:
        service = repo.service_of_compose(compose)
        if service is None:
            continue
        value = repo.compose_value(compose, "stop_grace_period")
        if value is None:
            found.setdefault(service.dir, []).append(
                (DOCKER_GRACE, f"Docker's default stop timeout (compose service {compose.name} of {compose.file} sets no "
                               "stop_grace_period)"))
        else:
            file, _name, node = value
            text = " ".join(str(n.value) for n in yamlfile.scalars(node))
            found.setdefault(service.dir, []).append((_duration(text), f"stop_grace_period `{text}` at {file}:{yamlfile.line(node)}"))
    for directory, seconds, where, said in termination_grace_periods(repo):
        found.setdefault(directory, []).append(
            (seconds, f"terminationGracePeriodSeconds at {where}" if said else
             f"Kubernetes' default terminationGracePeriodSeconds ({where.partition(',')[0]} sets none{where.partition(',')[1]}{where.partition(',')[2]})"))
    return found


def _timeouts(repo: Repo) -> tuple[tuple[str, int, str], ...]:
    """Service directory -> (the SHUTDOWN_TIMEOUT_MS default the handler writes, why) of each service: 80% of the
    shortest grace period it runs under (`_grace_periods`), so the forced exit, its log line and its exit code
    come before the SIGKILL; DEFAULT_TIMEOUT (under Docker's 10 s) where fixer reads none."""
    periods = _grace_periods(repo)
    found = []
    for service in repo.services:
        places = periods.get(service.dir, [])
        known = sorted((seconds, where) for seconds, where in places if seconds is not None)
        unread = [where for seconds, where in places if seconds is None]
        if known:
            seconds, where = known[0]
            timeout = max(100, int(seconds * 800) // 100 * 100)
            why = f"under the {seconds:g} s from SIGTERM to SIGKILL set by {where}"
        else:
            timeout = DEFAULT_TIMEOUT
            why = f"under Docker's default {DOCKER_GRACE} s stop timeout" + ("" if unread else " (fixer found no compose "
                                                                              "stop_grace_period or Kubernetes terminationGracePeriodSeconds for the service)")
        if unread:
            why += f"; fixer cannot time {', '.join(unread)}: set SHUTDOWN_TIMEOUT_MS below what it leaves"
        found.append((service.dir, timeout, why))
    return tuple(found)


def _timeout_of(service: Service | None, context: Context) -> tuple[int, str]:
    """(the forced exit's default in ms, why) for a file of the service (`_timeouts`)."""
    directory = service.dir if service is not None else None
    return next(((timeout, why) for d, timeout, why in context.timeouts if d == directory),
                (DEFAULT_TIMEOUT, f"under Docker's default {DOCKER_GRACE} s stop timeout"))


def _timeout_note(source_file: SourceFile, context: Context) -> str:
    """What the finding says of the forced exit's default: the grace period it is under, and where that is read."""
    timeout, why = _timeout_of(source_file.service, context)
    return f"; it forces the exit after SHUTDOWN_TIMEOUT_MS, default {timeout} ms: {why}"


def _stop_signals(repo: Repo) -> tuple[tuple[str, str, str, frozenset[str] | None], ...]:
    """A stop signal other than SIGTERM or SIGINT (a compose service's `stop_signal`, a Dockerfile's STOPSIGNAL in the
    stages its image is built from): `docker stop` sends that, which the handler is not registered for (as
    `_unreached`)."""
    found = []
    for compose in repo.compose_services:
        service = repo.service_of_compose(compose)
        value = repo.compose_value(compose, "stop_signal") if service is not None else None
        if value is None:
            continue
        file, _name, node = value
        signal = " ".join(str(n.value) for n in yamlfile.scalars(node)).strip()
        if signal.upper() not in _HANDLED_SIGNALS and "$" not in signal:
            found.append((service.dir, f"{file}:{yamlfile.line(node)}", _stop_signal_why(f"stop_signal {signal}", "`stop_signal: SIGTERM`"), None))
    for source_file in repo.files({"dockerfile"}, (b"STOPSIGNAL", b"stopsignal")):
        service = repo.service_of_dockerfile(source_file.path) or repo.service_for(source_file.path)
        try:
            chain = dockerfile_parser.stage_chain(source_file.instructions) if service is not None else []
        except ParseError:
            continue
        said = [i for i in source_file.instructions if i.cmd == "STOPSIGNAL" and i.stage in chain and i.value]
        signal = said[-1].value[0].strip() if said else ""
        if said and signal.upper() not in _HANDLED_SIGNALS and "$" not in signal:
            found.append((service.dir, f"{source_file.path}:{said[-1].start_line}",
                          _stop_signal_why(f"STOPSIGNAL {signal}", "`STOPSIGNAL SIGTERM` (or remove the line)"), None))
    return tuple(found)


def _stop_signal_why(said: str, instead: str) -> str:
    return (f"{said}: `docker stop` sends {said.split()[-1]}, not SIGTERM, so the shutdown handler (registered for "
            f"SIGTERM and SIGINT) never runs there: write {instead}, or register the handler for that signal too")


def _unreached(repo: Repo) -> tuple[tuple[str, str, str, frozenset[str] | None], ...]:
    """The container processes whose node `docker stop`'s SIGTERM never reaches (`scripts.sigterm_blocked`: `CMD npm
    start` on node:20-slim is dash as PID 1): a SIGTERM handler in what they run never runs there."""
    found = []
    for process in container_processes(repo):
        why = sigterm_blocked(repo, process)
        if why is not None:
            reached = process_reach(repo, process.paths) if process.paths else None
            found.append((process.service.dir, f"{process.file}:{process.line}", why, reached))
    return tuple(found)


def _unreached_in(path: str, service: Service | None, context: Context) -> list[tuple[str, str]]:
    """("file:line", why) of each container process of the file's service whose node SIGTERM never reaches, that
    runs the file (or whose files fixer cannot tell)."""
    return [(where, why) for directory, where, why, reached in context.unreached
            if service is not None and directory == service.dir and (reached is None or path in reached)]


def _how_started(repo: Repo) -> tuple[tuple[str, str], ...]:
    """How each file a service runs as a process of its own is started (file -> "compose service worker: `node
    src/worker.js`", "the `worker` script of services/api/package.json"…, two ways at most): what a finding names
    where the handler of a file that process loads has to go."""
    how: dict[str, list[str]] = {}
    for process in container_processes(repo):
        where = f"compose service {process.name}" if process.compose else process.file
        for path in process.paths or ():
            how.setdefault(path, []).append(f"{where}: `{process.command}`")
    for service in repo.services:
        runs = repo.runs.get(service.dir)
        base = service.dir + "/" if service.dir else ""
        for path, names in (runs.scripts.items() if runs is not None else ()):
            how.setdefault(path, []).append(f"the `{names[0]}` script of {base}package.json")
        if service.entry:
            how.setdefault(service.entry, []).append("the service's entry point")
    return tuple(sorted((path, "; ".join(list(dict.fromkeys(ways))[:2])) for path, ways in how.items()))


def _process_reaches(repo: Repo, service: Service) -> tuple[tuple[str, frozenset[str]], ...] | None:
    """(file, the files its process loads) of each file the service runs as a process (`Runs.process`: its entry
    point, `main`, what its image or a compose service's `command:` built from its directory runs; every file a
    package.json script runs); None when fixer cannot tell what
    one of them loads, or the service runs no file of the repository it sees (a framework's CLI, build output)."""
    runs = repo.runs.get(service.dir)
    paths = sorted(set(runs.process) | set(runs.scripts)) if runs is not None else []
    if not paths or not all(repo.exists(path) for path in paths):
        return None
    reaches = []
    for path in paths:
        reached = process_reach(repo, [path])
        if reached is None:
            return None
        reaches.append((path, reached))
    return tuple(reaches)


def resolve_specifier(repo: Repo, from_file: str, specifier: str) -> str | None:
    """The repository path a specifier points at: a relative one, or one the nearest tsconfig.json
    maps (`@/app` with `"baseUrl": "src"` and `"paths": { "@/*": ["*"] }`); None for a package."""
    if specifier.startswith("."):
        return logger.resolve_module(repo, from_file, specifier)
    directory = posixpath.dirname(from_file)
    while not repo.exists(posixpath.join(directory, "tsconfig.json")):
        if not directory:
            return None
        directory = posixpath.dirname(directory)
    config = posixpath.join(directory, "tsconfig.json")

    def read(path: str) -> bytes | None:
        found = repo.read(path) if repo.exists(path) else None
        return found.data if found is not None else None

    options = typescript.tsconfig_options(config, read)
    base = posixpath.normpath(posixpath.join(directory, str(options.get("baseUrl") or ".")))
    paths = options.get("paths") if isinstance(options.get("paths"), dict) else {}
    candidates = []
    for pattern, targets in paths.items():
        prefix, star, suffix = str(pattern).partition("*")
        if star and specifier.startswith(prefix) and specifier.endswith(suffix) and len(specifier) >= len(prefix + suffix):
            middle = specifier[len(prefix):len(specifier) - len(suffix)]
            candidates += [str(t).replace("*", middle, 1) for t in targets if isinstance(t, str)] if isinstance(targets, list) else []
        elif not star and specifier == pattern and isinstance(targets, list):
            candidates += [t for t in targets if isinstance(t, str)]
    if options.get("baseUrl"):
        candidates.append(specifier)
    for candidate in candidates:
        found = logger.resolve_module(repo, posixpath.join(base, "_"), "./" + candidate.removeprefix("./"))
        if found is not None:
            return found
    return None


def _module_stem(specifier: str) -> str:
    """`kafka` of `./config/kafka.js`, `../config/kafka` or `src/config/kafka.ts`."""
    return _CODE_EXTENSION.sub("", specifier.rstrip("/").rpartition("/")[2])


_CODE_EXTENSION = re.compile(r"\.[cm]?[jt]sx?$")


def _loading_packages(repo: Repo, on_import: set[str]) -> Iterator[str]:
    """The names of the workspace packages (`@acme/shared`) with a file that registers a SIGTERM
    handler when it is loaded: a service that imports one is handled."""
    packages = repo.packages
    for path in on_import:
        if not repo.is_production_code(path):
            continue
        directory = path.rpartition("/")[0]
        while directory and directory not in packages:
            directory = directory.rpartition("/")[0]
        name = (packages.get(directory) or {}).get("name")
        if isinstance(name, str) and name:
            yield name


def _shared_processes(repo: Repo, handled: set[str], run_alone: set[str],
                      consumers: set[str]) -> tuple[tuple[str, str, str], ...]:
    """One handler per process: the files that would each get one while another file of the
    same process (an importer, or a file loaded by the same importer) gets one too. The topmost
    keeps it; the others are reported."""
    by_stem: dict[str, list[tuple[str, str]]] = {}  # the last name a specifier gives -> (file, specifier)
    listening, guarded = set(), set()
    for path, (listens, main_guard, specifiers) in repo.facts_of(IMPORTS).items():
        if not repo.is_production_code(path) or TEST_PATH.search(path):
            continue
        if listens:
            listening.add(path)
        if main_guard:
            guarded.add(path)
        for specifier in specifiers:
            by_stem.setdefault(_module_stem(specifier), []).append((path, specifier))
    alone = run_alone | guarded
    candidates = (listening | (consumers & alone)) - handled
    importers: dict[str, set[str]] = {}

    def importers_of(target: str) -> set[str]:  # resolving only the specifiers that may name it
        if target not in importers:
            stem = _module_stem(target)
            named = by_stem.get(stem, []) + (by_stem.get(_module_stem(posixpath.dirname(target)), [])
                                             if stem == "index" else [])
            importers[target] = {path for path, specifier in named
                                 if path != target and logger.resolve_module(repo, path, specifier) == target}
        return importers[target]

    def above(path: str) -> set[str]:
        seen, todo = set(), [path]
        while todo:
            for importer in importers_of(todo.pop()):
                if importer not in seen:
                    seen.add(importer)
                    todo.append(importer)
        seen.discard(path)
        return seen

    loaded_by = {path: above(path) for path in candidates}
    shared = []
    # a file run on its own without a main-module guard (the entry point) registers its handler
    # whenever it is loaded: a server module that requires it (`const app = require('./server')`)
    # runs in a process that already has that handler, which closes none of this file's servers
    on_load = (candidates & run_alone) - guarded
    for path in sorted(candidates):
        loaded = sorted(other for other in on_load - {path}
                        if path in loaded_by[other] and other not in loaded_by[path])
        if loaded:
            shared.append((path, loaded[0], LOADS))
    reported = {path for path, _other, _common in shared}
    for path in sorted(candidates - alone - reported):
        upper = sorted(loaded_by[path] & candidates)
        if upper:
            shared.append((path, upper[0], ""))
            continue
        for other in sorted(candidates - {path}):
            common = sorted(loaded_by[path] & (loaded_by[other] | {other}))
            if path not in loaded_by[other] and common:
                shared.append((path, other, common[0]))
                break
    return tuple(shared)


def sigterm_facts(source_file: SourceFile) -> tuple[tuple[str, ...], bool, tuple[str, ...], int, bool,
                                                   tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The functions that register a SIGTERM handler, whether one is registered when the file
    loads, the file's relative import specifiers, the line of its first handler (0: none),
    whether it has a main-module guard, the classes whose instance's listen() gives a server
    the handler closes (`_closed_class_servers`), and the file's classes whose own handler closes
    the server they start (`_draining_classes`)."""
    root = source_file.tree.root_node
    names: set[str] = set()
    on_load = False
    registrations = signal_handlers(root).get("SIGTERM", [])
    for registration in registrations:
        enclosing = _function_names(registration)
        names.update(enclosing)
        on_load = on_load or not enclosing
    line = registrations[0].start_point.row + 1 if registrations else 0
    return tuple(sorted(names)), on_load, relative_specifiers(root), line, bool(MAIN_GUARD.search(source_file.data)), \
        _closed_class_servers(root, registrations), _draining_classes(root, registrations)


def _draining_classes(root: Node, registrations: list[Node]) -> tuple[str, ...]:
    """The classes (by name, and "default" for the default export) that register a SIGTERM handler in a
    method whose handler closes the server the class listens with: `this.httpServer.close()` in the
    handler or in a method of the class it calls, `this.destroy()` (followed up to three calls deep,
    `destroy() { this.destroying ??= this.runDestroy() }`). Each instance's listen() drains its own server."""
    found = []
    for registration in registrations:
        cls = typescript.enclosing(registration, "class_declaration")
        name = cls.child_by_field_name("name") if cls is not None else None
        call = typescript.member_call(registration)
        handler = typescript.unwrap(call.args[1]) if call is not None and len(call.args) > 1 else None
        if name is None or handler is None:
            continue
        if handler.type == "identifier":  # `const signalHandler = async () => …; process.on('SIGTERM', signalHandler)`
            declarator = typescript.declarator_in_scope((handler.text or b"").decode(), registration)
            handler = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
        elif handler.type in ("member_expression", "call_expression"):  # `this.shutdown`, `this.shutdown.bind(this)`
            handler = _this_method(cls, handler.child_by_field_name("function") if handler.type == "call_expression"
                                   and typescript.member_call(handler) is not None else handler)
        servers = {c.object.text for c in typescript.iter_member_calls(cls)
                   if c.method == "listen" and c.object.type == "member_expression"
                   and c.object.child_by_field_name("object").type == "this"}
        if handler is not None and servers and _closes(cls, handler, servers, 0, set()):
            found.append((name.text or b"").decode())
    default = _default_export(root)
    return tuple(sorted(set(found) | ({"default"} if default and default in found else set())))


def _this_method(cls: Node, reference: Node | None) -> Node | None:
    """The method of `cls` that `this.name` (or `this.name.bind`) names."""
    while reference is not None and reference.type == "member_expression" and \
            reference.child_by_field_name("object").type != "this":
        reference = reference.child_by_field_name("object")  # `this.shutdown.bind` -> `this.shutdown`
    if reference is None or reference.type != "member_expression":
        return None
    wanted = reference.child_by_field_name("property").text
    body = cls.child_by_field_name("body")
    return next((m for m in (body.named_children if body is not None else ()) if m.type == "method_definition"
                 and m.child_by_field_name("name").text == wanted), None)


def _closes(cls: Node, function: Node, servers: set[bytes], depth: int, seen: set[int]) -> bool:
    """Whether `function` closes one of the class's servers (`this.httpServer.close(…)`), itself or
    through the methods of the class it calls (`this.destroy()`), up to three calls deep."""
    if function.id in seen or depth > 3:
        return False
    seen.add(function.id)
    for call in typescript.iter_member_calls(function):
        if call.method == "close" and call.object.text in servers:
            return True
        method = _this_method(cls, call.call.child_by_field_name("function")) if call.object.type == "this" else None
        if method is not None and _closes(cls, method, servers, depth + 1, seen):
            return True
    return False


def _closed_class_servers(root: Node, registrations: list[Node]) -> tuple[tuple[str, str], ...]:
    """(specifier, imported name) of the classes whose instance's `listen()` returned a server the
    SIGTERM handler closes: `const server = new App(routes).listen(); process.on('SIGTERM', () =>
    server.close(…))` closes the server the listen() in App's module starts."""
    table = typescript.import_table(root)
    found = set()
    for registration in registrations:
        call = typescript.member_call(registration)
        handler = typescript.unwrap(call.args[1]) if call is not None and len(call.args) > 1 else None
        if handler is not None and handler.type == "identifier":  # `process.on('SIGTERM', shutdown)`
            handler = _function_named(root, (handler.text or b"").decode())
        for closing in typescript.iter_member_calls(handler) if handler is not None else ():
            if closing.method != "close" or closing.object.type != "identifier":
                continue
            declarator = typescript.declarator_in_scope(closing.object.text.decode(), closing.call)
            listen = typescript.member_call(value) if declarator is not None and \
                (value := typescript.unwrap(declarator.child_by_field_name("value"))) is not None else None
            if listen is None or listen.method != "listen":
                continue
            instance = typescript.unwrap(listen.object)
            if instance is not None and instance.type == "identifier":
                declarator = typescript.declarator_in_scope(instance.text.decode(), listen.call)
                instance = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
            constructor = instance.child_by_field_name("constructor") if instance is not None and \
                instance.type == "new_expression" else None
            imported = table.get(constructor.text.decode()) if constructor is not None and \
                constructor.type == "identifier" else None
            if imported is not None:
                found.add((imported.module, imported.name))
    return tuple(sorted(found))


def _function_named(root: Node, name: str) -> Node | None:
    """The top-level `function name(…)` or `const name = (…) => …`."""
    for statement in root.named_children:
        declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
        if declaration is None:
            continue
        if declaration.type == "function_declaration" and (declaration.child_by_field_name("name").text or b"") == name.encode():
            return declaration
        if declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in typescript.list_items(declaration):
                value = typescript.unwrap(declarator.child_by_field_name("value"))
                if (declarator.child_by_field_name("name").text or b"") == name.encode() and value is not None \
                        and value.type in typescript.FUNCTION_TYPES:
                    return value
    return None


def server_classes(source_file: SourceFile) -> tuple[str, ...]:
    """The file's classes whose `listen()` method starts a server, by name, and "default" when
    the default export is one (an instance's `x.listen()` in another file starts a server only then)."""
    root = source_file.tree.root_node
    table = typescript.import_table(root)
    names = [(node.text or b"").decode() for cls in typescript.descendants(root, "class_declaration")
             if (node := cls.child_by_field_name("name")) is not None and _listen_starts_server(cls, table, 0)]
    return tuple(names + (["default"] if _default_export(root) in names else []))


# the libraries whose app `_server_kind` tells apart by what made it
APP_ORIGINS_OF = ("express", "fastify", "nest", "nest-microservice", "feathers", "feathers-koa")


# a top-level declaration whose value is a call or a `new` (`export const app = express()`, `const app =
# await NestFactory.create(…)`): a file with none makes no app at its top level and is not parsed for one
# (its needles, `express`, `nest`, are in nearly every file of an Express or Nest service: `import { Request }`)
_MADE_AT_TOP = re.compile(rb"^(?:export\s+)?(?:const|let|var)\s+[\w$]+[^=\n;]*=\s*\(?\s*(?:await\s+)?(?:new\s+)?"
                          rb"[\w$.]+\s*(?:<[^>\n]*>\s*)?\(", re.M)


def app_origins(source_file: SourceFile) -> tuple[tuple[str, str], ...]:
    """The apps the file makes at its top level and exports (`export const app = express(feathers())`,
    `module.exports = { app }`; "default" for the default export), with the library that made each."""
    if b"export" not in source_file.data or _MADE_AT_TOP.search(source_file.data) is None:
        return ()
    root = source_file.tree.root_node
    table = typescript.import_table(root)
    found: list[tuple[str, str]] = []
    default = _default_export(root)
    for statement in root.named_children:
        for name, value in _declarations(statement):
            origin = _origin(value, table)
            if origin not in APP_ORIGINS_OF:
                continue
            if statement.type == "export_statement" or any(
                    _exports(n) for n in typescript.identifier_references(root, name)):
                found.append((name, origin))
            if name == default:
                found.append(("default", origin))
    return tuple(found)


def _default_export(root: Node) -> str:
    """The name the file exports as default: `export default class App`, `export default App`,
    `module.exports = App`."""
    for statement in root.named_children:
        if statement.type == "export_statement" and any(c.type == "default" for c in statement.children):
            declaration = statement.child_by_field_name("declaration")
            named = declaration.child_by_field_name("name") if declaration is not None else statement.child_by_field_name("value")
            return (named.text or b"").decode() if named is not None and named.type in ("identifier", "type_identifier") else ""
        expression = statement.named_children[0] if statement.type == "expression_statement" and statement.named_children else None
        if expression is not None and expression.type == "assignment_expression" and \
                (expression.child_by_field_name("left").text or b"") == b"module.exports":
            return (expression.child_by_field_name("right").text or b"").decode()
    return ""


def _listen_method(cls: Node) -> Node | None:
    body = cls.child_by_field_name("body")
    return next((m for m in (body.named_children if body is not None else ()) if m.type == "method_definition"
                 and (m.child_by_field_name("name").text or b"") == b"listen"), None)


def _listen_starts_server(cls: Node, table: dict[str, Imported], depth: int) -> bool:
    """Whether the class's `listen()` method starts a server (`this.app.listen(this.port)`), not an
    EventEmitter's subscription (`listen() { this.on('created', …) }`)."""
    method = _listen_method(cls)
    if method is None or depth > 2:
        return False
    return any(call.method == "listen" and not (call.args and call.args[0].type in typescript.FUNCTION_TYPES)
               and _server_kind(typescript.unwrap(call.object), call, table, depth=depth + 1) is not None
               for call in typescript.iter_member_calls(method))


_LISTEN_CALL = re.compile(rb"\.listen\(\s*(?!(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>))")  # (not `history.listen(fn)`)
_START_CALL = re.compile(rb"\.start\(\s*\)")
_SERVE_CALL = re.compile(rb"(?<![\w$])serve\(")  # @hono/node-server's `serve({ fetch, port })`  # a Hapi server's `await server.start()`, in a file that loads hapi
_BIND_CALL = re.compile(rb"\.bindAsync\(")  # a gRPC server's start
_GLUE = re.compile(rb"""['"]glue['"]""")  # the unscoped `glue` (@hapi/glue's name before 2019), which composes hapi servers
_RELATIVE_SPECIFIER = re.compile(rb"""['"](\.[^'"\n]*)['"]""")  # a relative specifier, when `_IMPORTS_IT` is before it
_IMPORTS_IT = re.compile(rb"""(?:\brequire\(\s*|\bfrom\s*|\bimport\(\s*|\bimport\s+)$""")


def import_facts(source_file: SourceFile) -> tuple[bool, bool, tuple[str, ...]]:
    """Whether the file calls a `.listen(…)` (or a gRPC server's `.bindAsync(…)`) that may start a server,
    whether it has a main-module guard, and its relative import specifiers: from its bytes (read for nearly
    every file: a parse here was a second parse of each, the scan's being the first)."""
    data = source_file.data
    specifiers = tuple(dict.fromkeys(m.group(1).decode("utf-8", "replace") for m in _RELATIVE_SPECIFIER.finditer(data)
                                     if _IMPORTS_IT.search(data, max(0, m.start() - 20), m.start())
                                     and not _commented_out(data, m.start())))
    listens = b".listen(" in data and any(not _commented_out(data, m.start()) for m in _LISTEN_CALL.finditer(data)) \
        or (b"hapi" in data or b"glue" in data and _GLUE.search(data) is not None) \
        and any(not _commented_out(data, m.start()) for m in _START_CALL.finditer(data)) \
        or b"@hono/node-server" in data and any(not _commented_out(data, m.start()) for m in _SERVE_CALL.finditer(data)) \
        or b".bindAsync(" in data and any(not _commented_out(data, m.start()) for m in _BIND_CALL.finditer(data))
    guarded = b"main" in data and any(not _commented_out(data, m.start()) for m in MAIN_GUARD.finditer(data))
    return listens, guarded, specifiers


def _commented_out(data: bytes, at: int) -> bool:
    """Whether the line holding `at` is a comment line (`// app.listen(3000)`, ` * require('./x')` in a
    block comment) or `at` follows a `//` on it: commented-out code (cheap: no comment scan of the file)."""
    start = data.rfind(b"\n", 0, at) + 1
    line = data[start:at]
    return line.lstrip().startswith((b"//", b"*", b"/*")) or b"//" in line and b"://" not in line


def creates_consumer(source_file: SourceFile) -> bool:
    return bool(CREATES_CONSUMER.search(source_file.data))


def env_style(source_file: SourceFile) -> str | None:
    """How the file reads `process.env` (`typescript.env_access_style`)."""
    return typescript.env_access_style(source_file.data)


# how a framework or library call traps SIGTERM (`trap_facts`), for the notes
_TRAPPED_BY = {"moleculer": "Moleculer's ServiceBroker", "nest": "Nest's enableShutdownHooks()"}


def trap_facts(source_file: SourceFile) -> tuple[tuple[int, str], ...]:
    """(line, whose) of each call of the file that registers a SIGTERM handler through a framework or library:
    "moleculer" for a `new ServiceBroker(…)` of moleculer that traps the signals (its constructor registers
    `process.on('SIGTERM', …)`, which awaits `broker.stop()` — every service's stopped() — then exits, unless
    `skipProcessEventRegistration: true`), "nest" for Nest's `app.enableShutdownHooks()`, the package of a
    shutdown library's call (`createTerminus(server, …)` of @godaddy/terminus)."""
    root = source_file.tree.root_node
    table = typescript.import_table(root)
    found = []
    for node in typescript.descendants(root, "call_expression", "new_expression"):
        callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        if callee is None:
            continue
        member = (callee.child_by_field_name("property").text or b"").decode() if callee.type == "member_expression" else ""
        base = callee.child_by_field_name("object") if member else callee
        imported = table.get((base.text or b"").decode()) if base is not None and base.type == "identifier" else None
        if node.type == "new_expression":
            broker = imported is not None and imported.module == "moleculer" and \
                (member or imported.name) == "ServiceBroker" and (not member or imported.name in ("default", "*"))
            if broker and _broker_traps(node):
                found.append((node.start_point[0] + 1, "moleculer"))
        elif member == "enableShutdownHooks":
            found.append((node.start_point[0] + 1, "nest"))
        elif imported is not None and imported.module in SHUTDOWN_LIBRARIES:
            found.append((node.start_point[0] + 1, imported.module))
    return tuple(found)


def _broker_traps(made: Node) -> bool:
    """Whether a `new ServiceBroker(options)` registers its SIGTERM/SIGINT handler: unless its options say
    `skipProcessEventRegistration: true` (options fixer cannot read — a variable, a value set at run time — are
    taken to trap: a second handler next to the broker's would exit while it stops)."""
    arguments = made.child_by_field_name("arguments")
    items = typescript.list_items(arguments) if arguments is not None else []
    options = typescript.unwrap(items[0]) if items else None
    skip = typescript.object_property(options, "skipProcessEventRegistration") if options is not None else None
    return skip is None or (skip.text or b"").strip() != b"true"


def describe(context: Context) -> list[str]:
    handled = sorted(context.on_import | {path for path, _name in context.handlers})
    # (and where a framework or library call registers it: `app.enableShutdownHooks()`, `new ServiceBroker(…)`)
    notes = [f"files that already register a SIGTERM handler: {', '.join(handled + list(context.trapped)) or 'none'}"]
    notes += [f"left alone ({reason}): {path}" for path, reason in context.left_alone if path not in context.quiet]
    return notes


def signal_handlers(root: Node) -> dict[str, list[Node]]:
    """The `process.on('SIGTERM', handler)` calls (`once`, `addListener`, `prependListener`) per
    signal, the signal named directly or by the variable of a loop over signal names (`for
    (const s of ['SIGTERM', 'SIGINT'])`). A signal named anywhere else handles nothing:
    `child.kill('SIGTERM')`, `{ killSignal: 'SIGTERM' }`, `if (signal === 'SIGTERM')`."""
    found: dict[str, list[Node]] = {}
    for name, call in typescript.signal_registrations(typescript.iter_member_calls(root)):
        if name in SIGNALS and not passes_on(call, root):
            found.setdefault(name, []).append(call.call)
    return found


def passes_on(registration: typescript.MemberCall, root: Node) -> bool:
    """A hook that does its synchronous work and sends the signal again (node-media-server's store: `(signal) => {
    this.flushSync(); process.removeListener('SIGTERM', this._onSignal); process.kill(process.pid, signal) }`): it
    drains nothing, so it is no shutdown handler. The service's handler works next to it (the re-sent signal reaches
    that handler, whose guard ignores the repeat), where its re-sending is synchronous (not in a callback, no `await`)
    and it removes no other handler (`process.removeAllListeners('SIGTERM')` would leave the re-sent signal to kill)."""
    handler = _handler_function(registration, root)
    if handler is None or any(c.type == "async" for c in handler.children):
        return False
    if any(typescript.enclosing_function(n) == handler for n in typescript.descendants(handler, "await_expression")):
        return False
    reraises = False
    for call in typescript.iter_member_calls(handler):
        if call.method == "removeAllListeners" and typescript.is_process_object(call.object):
            return False
        if call.method == "kill" and typescript.is_process_object(call.object) and call.args and \
                re.fullmatch(rb"process\.pid", call.args[0].text or b"") and \
                typescript.enclosing_function(call.call) == handler:
            reraises = True
    return reraises


def _handler_function(registration: typescript.MemberCall, root: Node) -> Node | None:
    """The function a `process.on(signal, handler)` registers: inline, a function or const of the file
    (`shutdown`), or a method or field of the class around it (`this.onSignal`, `this.onSignal.bind(this)`)."""
    handler = typescript.unwrap(registration.args[1]) if len(registration.args) > 1 else None
    bound = typescript.member_call(handler) if handler is not None and handler.type == "call_expression" else None
    if bound is not None and bound.method == "bind":
        handler = typescript.unwrap(bound.object)
    if handler is not None and handler.type == "identifier":
        declarator = typescript.declarator_in_scope(handler.text.decode(), registration.call)
        handler = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None \
            else _function_named(root, handler.text.decode())
    elif handler is not None and handler.type == "member_expression" and \
            handler.child_by_field_name("object").type == "this":
        cls = typescript.enclosing(handler, "class_declaration", "class")
        handler = _class_member_value(handler) or (_this_method(cls, handler) if cls is not None else None)
    return handler if handler is not None and handler.type in typescript.FUNCTION_TYPES else None


def signal_literals(root: Node) -> dict[str, list[Node]]:
    """'SIGTERM'/'SIGINT' string literals (in a handler's registration: the ones to mirror)."""
    found: dict[str, list[Node]] = {}
    for literal in typescript.iter_string_literals(root):
        if literal.value in SIGNALS:
            found.setdefault(literal.value, []).append(literal.node)
    return found


def _function_names(node: Node) -> list[str]:
    names = []
    function = typescript.enclosing_function(node)
    while function is not None:
        name = function.child_by_field_name("name")
        holder = function.parent
        if name is None and holder is not None and holder.type in ("variable_declarator", "pair"):
            name = holder.child_by_field_name("name") or holder.child_by_field_name("key")
        if name is not None:
            names.append((name.text or b"").decode())
        function = typescript.enclosing_function(function)
    return names


def relative_specifiers(root: Node) -> tuple[str, ...]:
    """The relative modules a file imports or requires (`./app`, `../config/kafka`)."""
    specifiers = [typescript.string_value(n.child_by_field_name("source")) for n in root.named_children
                  if n.type == "import_statement"]
    specifiers += [typescript.required_module(call) for call in typescript.descendants(root, "call_expression")]
    return tuple(dict.fromkeys(s for s in specifiers if s and s.startswith(".")))


def _package_names(root: Node) -> Iterator[str]:
    """The packages a file imports or requires (`@acme/shared/tracing` -> `@acme/shared`)."""
    specifiers = [typescript.string_value(n.child_by_field_name("source")) for n in root.named_children
                  if n.type == "import_statement"]
    specifiers += [typescript.required_module(call) for call in typescript.descendants(root, "call_expression")]
    for specifier in specifiers:
        if specifier and not specifier.startswith((".", "/")):
            parts = specifier.split("/")
            yield "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def _relative_imports(source_file: SourceFile) -> dict[str, str]:
    """Specifier -> repository path, for the file's relative imports and requires."""
    found = {}
    for specifier in relative_specifiers(source_file.tree.root_node):
        target = logger.resolve_module(source_file.repo, source_file.path, specifier)
        if target:
            found[specifier] = target
    return found


# --- per file ----------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    if TEST_PATH.search(source_file.path) or source_file.path in dict(context.left_alone):
        return  # (a script's process is not the service's: a load test ends, or is stopped, as it likes)
    if not source_file.repo.is_production_code(source_file.path) and not _is_entry(source_file, context):
        return  # tooling (`examples/`, `benchmarks/`) that nothing of the service runs (its image runs `bin/`'s server)
    root = source_file.tree.root_node
    table = typescript.import_table(root)
    signals = signal_handlers(root)
    if "SIGTERM" in signals or _delegated(source_file, table, context):
        return
    # (a server a class's listen() returns, which a handler in another file closes, is handled)
    listeners = [listener for listener in find_listeners(source_file, table, context)
                 if not _closed_elsewhere(source_file, listener, context)
                 and not _drained_by_its_class(source_file, listener, table, context)]
    # (a server a Moleculer service's started() starts is the broker's to close, from the service's stopped())
    hooked = [(listener, hook) for listener in listeners if (hook := _moleculer_hook(source_file, listener, table))]
    yield from (_hook_finding(source_file, listener, hook) for listener, hook in hooked if not hook[1])
    listeners = [listener for listener in listeners if all(listener is not other for other, _hook in hooked)]
    if not listeners and (hooked or not _is_entry(source_file, context)):
        return  # a module: whatever runs it handles the signals
    apollo = _apollo_findings(source_file, table, listeners)
    if apollo is not None:
        yield from apollo  # Apollo Server traps the signals itself: a second handler would exit while it stops
        return
    # (a Moleculer ServiceBroker the file makes traps SIGTERM: the process's handler, like one in another file)
    broker = next((where for where in sorted(context.brokers) if where.rpartition(":")[0] == source_file.path), "") \
        or _runner_broker(source_file)
    if broker and listeners:  # (a server the file closes in a `stopped()`, the broker's option or a service's, is the broker's)
        listeners = [listener for listener in listeners if not _closed_on_stop(root, listener)]
        if not listeners:
            return
    elsewhere = broker or _registered_in_service(source_file, context) or _loaded_handler(source_file, context)
    if "SIGINT" in signals:
        yield from _mirror_sigint(source_file, signals["SIGINT"], _described(elsewhere, context))
        return
    # (a server in a file none of the service's processes imports: not the business of a handler in a file none
    # loads either; said so, with no handler added where nothing the service runs would run it)
    unloaded = bool(listeners) and not broker and not _is_entry(source_file, context) \
        and _loaded_with(source_file, context) == frozenset()
    if unloaded and not elsewhere and (stray := _registered_in_service(source_file, context, anywhere=True)):
        yield _unloaded_finding(source_file, listeners, context, stray)
    elif listeners:
        yield from _server_findings(source_file, table, context, listeners, elsewhere, unloaded)
    else:
        yield from _worker_findings(source_file, table, context, _described(elsewhere, context))
    yield from _hidden_consumers(source_file, table, context)


APOLLO_MODULE = re.compile(r"^(@apollo/server|apollo-server(-[\w-]+)?)(/|$)")


def _apollo_findings(source_file: SourceFile, table: dict[str, Imported], listeners: list[Listener]) -> list[Finding] | None:
    """None unless the file makes an Apollo Server (`new ApolloServer(…)` of `@apollo/server` 4 or `apollo-server*` 3)
    whose `stopOnTerminationSignals` is not set to anything but `true`: that one traps SIGTERM and SIGINT itself, awaits
    its `stop()` and re-raises the signal, so a handler of fixer's, whose `process.exit(0)` would cut that stop() short,
    is never added. Its stop() drains the servers Apollo started (`startStandaloneServer`, apollo-server 3's
    `server.listen()`) and those given to `ApolloServerPluginDrainHttpServer({ httpServer })`: each other server the
    file starts is reported (an empty list when there is none)."""
    root = source_file.tree.root_node
    apollos = []
    for made in typescript.descendants(root, "new_expression"):
        constructor = made.child_by_field_name("constructor")
        imported = table.get((constructor.text or b"").decode()) if constructor is not None else None
        if imported is None or imported.name not in ("ApolloServer", "default") or not APOLLO_MODULE.match(imported.module):
            continue
        arguments = made.child_by_field_name("arguments")
        options = typescript.unwrap(typescript.list_items(arguments)[0]) if arguments is not None and \
            typescript.list_items(arguments) else None
        trap = typescript.object_property(options, "stopOnTerminationSignals") if options is not None else None
        if trap is not None and (trap.text or b"").strip() != b"true":
            return None  # false, or a value fixer cannot read: the file's own handling (or none) stands
        holder = typescript.outer_parens(made).parent
        name = holder.child_by_field_name("name") if holder is not None and holder.type == "variable_declarator" else None
        apollos.append((name.text or b"").decode() if name is not None else "")
    if not apollos:
        return None
    drained = set(apollos) - {""}
    for call in typescript.descendants(root, "call_expression"):
        callee = call.child_by_field_name("function")
        if callee is None or not (callee.text or b"").endswith(b"ApolloServerPluginDrainHttpServer"):
            continue
        arguments = call.child_by_field_name("arguments")
        options = typescript.unwrap(typescript.list_items(arguments)[0]) if arguments is not None and \
            typescript.list_items(arguments) else None
        given = typescript.object_property(options, "httpServer") if options is not None else None
        if given is not None:
            drained.add((given.text or b"").decode())
        elif options is not None and any(c.type == "shorthand_property_identifier" and c.text == b"httpServer"
                                         for c in options.named_children):
            drained.add("httpServer")
    found = []
    for listener in listeners:
        call = typescript.member_call(listener.call)
        receiver = (typescript.unwrap(call.object).text or b"").decode() if call is not None else ""
        if receiver in drained or listener.name in drained:
            continue
        line, col = source_file.line_col(listener.call.start_byte)
        found.append(Finding(INFO.id, source_file.path, line, col,
                             "starts a server that the file's Apollo Server does not drain: Apollo traps SIGTERM and SIGINT "
                             "itself (stopOnTerminationSignals) and stops, then exits, without closing it; give it to "
                             "ApolloServerPluginDrainHttpServer({ httpServer }) in the ApolloServer's plugins (or set "
                             "stopOnTerminationSignals: false and add a handler that stops Apollo, then closes it)"))
    return found


def _described(elsewhere: str, context: Context) -> str:
    """Where the process's SIGTERM handler is ("path:line"), saying so when it is a Moleculer ServiceBroker's."""
    return f"{elsewhere} (Moleculer's ServiceBroker, whose handler runs each service's stopped(): close it from one)" \
        if _is_broker(elsewhere, context) else elsewhere


_RUNNER = " (moleculer-runner)"
_MOLECULER_RUNNER = re.compile(r"(?:^|[\s;&|(/])moleculer-runner\b")


def _is_broker(elsewhere: str, context: Context) -> bool:
    return elsewhere in context.brokers or elsewhere.endswith(_RUNNER)


def _runner_broker(source_file: SourceFile) -> str:
    """"<service>/package.json (moleculer-runner)" where the service's start script runs moleculer-runner, whose
    ServiceBroker loads the service's modules and traps SIGTERM and SIGINT (unless the file runs on its own: the
    service's entry, a main-module guard); "" otherwise."""
    service = source_file.service
    scripts = service.package.get("scripts") if service is not None and isinstance(service.package, dict) else None
    start = scripts.get("start") if isinstance(scripts, dict) else None
    if not isinstance(start, str) or not _MOLECULER_RUNNER.search(start) or "moleculer" not in _dependencies(source_file) \
            or service.entry == source_file.path or MAIN_GUARD.search(source_file.data):
        return ""
    return posixpath.join(service.dir, "package.json") + _RUNNER


_MOLECULER_HOOKS = ("created", "started")  # a service's lifecycle handlers a server may start in
_CLOSERS = frozenset({"close", "stop", "teardown", "tryShutdown", "forceShutdown", "destroy", "terminate"})


def _moleculer_hook(source_file: SourceFile, listener: Listener, table: dict[str, Imported]) -> tuple[str, bool] | None:
    """(hook, whether the service's stopped() closes the server) for a server started in a Moleculer service's
    `started()` (or `created()`): a method of the service's schema object (`module.exports = { name, started() { … } }`,
    run by moleculer-runner or `broker.loadService(…)`) or of its class, in a service that depends on moleculer. The
    ServiceBroker traps SIGTERM and SIGINT, awaits `broker.stop()` — each service's stopped() — and exits: the server
    is closed there or nowhere. None: not in such a hook."""
    if "moleculer" not in _dependencies(source_file) and not any(i.module == "moleculer" for i in table.values()):
        return None
    function = typescript.enclosing_function(listener.call)
    while function is not None:
        holder = function.parent
        name = function.child_by_field_name("name") if function.type == "method_definition" else \
            holder.child_by_field_name("key") if holder is not None and holder.type == "pair" else None
        container = function.parent if function.type == "method_definition" else holder.parent if name is not None else None
        hook = (name.text or b"").decode().strip("'\"") if name is not None else ""
        if hook in _MOLECULER_HOOKS and container is not None and container.type in ("object", "class_body"):
            break
        function = typescript.enclosing_function(function)
    else:
        return None
    call = typescript.member_call(listener.call)
    names = {call.object.text} if call is not None else set()
    holder = typescript.outer_parens(listener.call).parent
    while holder is not None and holder.type == "await_expression":
        holder = typescript.outer_parens(holder).parent
    if holder is not None and holder.type == "assignment_expression":
        names.add(holder.child_by_field_name("left").text)  # `this.server = this.app.listen(port)`
    closes = any(c.method in _CLOSERS and c.object.text in names
                 for stopped in _stopped_hooks(container) for c in typescript.iter_member_calls(stopped))
    return hook, closes


def _stopped_hooks(container: Node) -> Iterator[Node]:
    """The `stopped` methods and `stopped: …` functions of an object literal or class body."""
    for member in container.named_children:
        if member.type == "method_definition" and member.child_by_field_name("name").text == b"stopped":
            yield member
        elif member.type == "pair" and (member.child_by_field_name("key").text or b"").strip(b"'\"") == b"stopped":
            yield member


def _closed_on_stop(root: Node, listener: Listener) -> bool:
    """A `stopped()` of the file (the ServiceBroker's `stopped` option, a service's `stopped()`) closes the server:
    `new ServiceBroker({ stopped: () => new Promise((resolve) => server.close(resolve)) })`."""
    name = (listener.name or "").encode()
    return bool(name) and any(c.method in _CLOSERS and c.object.text == name
                              for container in typescript.descendants(root, "object", "class_body")
                              for stopped in _stopped_hooks(container) for c in typescript.iter_member_calls(stopped))


def _hook_finding(source_file: SourceFile, listener: Listener, hook: tuple[str, bool]) -> Finding:
    line, col = source_file.line_col(listener.call.start_byte)
    return Finding(INFO.id, source_file.path, line, col,
                   f"starts a server in a Moleculer service's {hook[0]}() that the service's stopped() does not close: the "
                   "ServiceBroker that runs the service traps SIGTERM and SIGINT itself, awaits broker.stop() (each "
                   "service's stopped()) and exits; close the server in this service's stopped() instead of adding a "
                   "SIGTERM handler, which would exit while the broker stops")


def _closed_elsewhere(source_file: SourceFile, listener: Listener, context: Context) -> bool:
    """The listen() is in a class's method that returns the server, and a SIGTERM handler in another
    file closes what an instance's listen() of this class returns (`const server = new App().listen();
    … server.close()` in server.ts): that handler closes this server."""
    method = typescript.enclosing_function(listener.call)
    cls = typescript.enclosing(method, "class_declaration") if method is not None and method.type == "method_definition" else None
    name = cls.child_by_field_name("name") if cls is not None else None
    if name is None or typescript.enclosing_function(method) is not None:
        return False
    holder = typescript.outer_parens(listener.call).parent
    kept = holder.child_by_field_name("name") if holder is not None and holder.type == "variable_declarator" else None
    returned = {(kept.text if kept is not None else None), listener.call.text}
    if not any(r.named_children and typescript.unwrap(r.named_children[0]).text in returned
               and typescript.enclosing_function(r) == method for r in typescript.descendants(method, "return_statement")):
        return False  # `listen(): void { this.app.listen(…) }`: the caller gets no server to close
    classes = {name.text.decode()} | ({"default"} if _default_export(source_file.tree.root_node) == name.text.decode() else set())
    return any((source_file.path, c) in context.closed_classes for c in classes)


def _drained_by_its_class(source_file: SourceFile, listener: Listener, table: dict[str, Imported],
                          context: Context) -> bool:
    """The listen() of an instance of a class whose own SIGTERM handler closes the server it starts
    (`server.listen()` of hocuspocus's `Server`, whose listen() registers `this.destroy()`)."""
    call = typescript.member_call(listener.call) if listener.kind == "instance-of" else None
    imported = table.get(_class_of(typescript.unwrap(call.object), call)) if call is not None else None
    target = resolve_specifier(source_file.repo, source_file.path, imported.module) if imported is not None else None
    return target is not None and (target, imported.name) in context.draining_classes


def _not_closed(source_file: SourceFile, context: Context) -> str:
    """The files this one loads whose servers its handler does not close (each has a finding)."""
    loaded = [path for path, other, common in context.shared if other == source_file.path and not common]
    loading = [path for path, other, common in context.shared if other == source_file.path and common == LOADS]
    return (f"; it does not close what {', '.join(loaded)} starts (see the finding there)" if loaded else "") + \
        (f"; it does not close what {', '.join(loading)} starts when that loads this file (see the finding there)"
         if loading else "")


def _unreached_note(source_file: SourceFile, context: Context) -> str:
    """That the handler will not run in a container whose node SIGTERM never reaches (the finding there says why)."""
    where = [where for where, _why in _unreached_in(source_file.path, source_file.service, context)]
    return (f"; but SIGTERM does not reach node in the container {', '.join(where)} starts, where the handler never "
            "runs: see the finding there") if where else ""


def _shared(source_file: SourceFile, context: Context) -> tuple[str, str] | None:
    return next(((other, common) for path, other, common in context.shared if path == source_file.path), None)


def _shared_finding(source_file: SourceFile, listeners: list[Listener], other: str, common: str) -> Iterator[Finding]:
    """A file whose process gets its SIGTERM handler in another file: a second handler that exits
    would cut the other's drain short (or the other would cut this one's)."""
    line, col = source_file.line_col(listeners[0].call.start_byte)
    if common == LOADS:
        yield _loads_entry_finding(source_file, listeners[0].call, "starts a server", "servers", other)
        return
    where = f"is loaded by {other}, which" if not common else f"runs in one process with {other} (both loaded by {common}), which also"
    yield Finding(INFO.id, source_file.path, line, col,
                  f"starts a server and {where} needs a SIGTERM handler: one process, one handler; close this file's servers "
                  "and connections in that one (export a close function from here) instead of adding a second "
                  "handler that would exit while the other drains")


def _loads_entry_finding(source_file: SourceFile, node: Node, does: str, what: str, other: str) -> Finding:
    """A file that loads `other`, an entry point that registers its handler when loaded: that handler
    runs in this file's process too and closes none of this file's servers or consumers."""
    line, col = source_file.line_col(node.start_byte)
    return Finding(INFO.id, source_file.path, line, col,
                   f"{does} and loads {other}, which is run on its own and gets a SIGTERM handler when loaded: one "
                   f"process, one handler, and that one closes none of this file's {what}; close them in that handler "
                   f"(or start {other}'s servers only under `require.main === module` and give this file its own "
                   f"handler) instead of adding a second handler that would exit as soon as {other}'s servers have "
                   f"closed, cutting this file's work short")


def _loaded_handler(source_file: SourceFile, context: Context) -> str:
    """Where an entry point this file loads, which drains its own servers, registers its handler
    ("path:line"; "" if it loads none): that handler runs in this file's process too."""
    loaded = {target for target in _relative_imports(source_file).values() if target in context.draining_entries}
    return next((where for _directory, where, _separate in context.registered if where.rpartition(":")[0] in loaded),
                min(loaded, default=""))


def _delegated(source_file: SourceFile, table: dict[str, Imported], context: Context) -> bool:
    """SIGTERM is handled for this file elsewhere: by its importer, by a module it loads,
    or by a helper it calls."""
    if source_file.path in context.covered:
        return True
    relative = _relative_imports(source_file)
    # (not by an entry point it loads that drains its own servers: that handler closes none of this
    # file's, which `_registered_in_service` then reports)
    if any(target in context.on_import and target not in context.draining_entries for target in relative.values()):
        return True
    if context.loading_packages & set(_package_names(source_file.tree.root_node)):
        return True  # `require('@acme/shared')`, whose module registers a handler when loaded
    for call in typescript.descendants(source_file.tree.root_node, "call_expression"):
        callee = call.child_by_field_name("function")
        if callee is None:
            continue
        if callee.type == "member_expression":
            method = (callee.child_by_field_name("property").text or b"").decode()
            if method == "enableShutdownHooks":
                return True  # NestJS
            callee, name = callee.child_by_field_name("object"), method
        else:
            name = None
        imported = table.get((callee.text or b"").decode()) if callee is not None and callee.type == "identifier" else None
        if imported is None:
            continue
        if imported.module in SHUTDOWN_LIBRARIES:
            return True
        wanted = name or imported.name
        target = relative.get(imported.module)
        if target is not None:
            if (target, wanted) in context.handlers or (wanted == "default" and any(p == target for p, _ in context.handlers)):
                return True
        elif wanted in context.handler_names or (callee.text or b"").decode() in context.handler_names:
            return True
    return False


def _registered_in_service(source_file: SourceFile, context: Context, anywhere: bool = False) -> str:
    """Where the file's service already registers a SIGTERM handler ("path:line"; "" if nowhere).

    One handler per process: a second one that exits cuts the first one's drain short. Which
    files a process loads is more than the imports say (an import in a function, a file loaded
    by a framework), so any handler in the service's non-test code counts, except one in another
    file run on its own (an entry point, a package.json script, a main-module guard) when this
    file is run on its own too: that is another process. Where the service's entry point loads
    this file and fixer sees everything it loads (`probes.entry_reach`), a handler in a file it
    never loads is not this process's either (a CLI's `configureListeners()`, a library's `startApp()`); where
    none of the service's processes imports this file (`_loaded_with`), only a handler in a file one of them loads
    counts (if this file runs, one of them loads it at run time). `anywhere`: any handler of the service's code."""
    service = source_file.service
    if service is None:
        return ""
    own_process = _is_entry(source_file, context)
    loaded = None if anywhere else _loaded_with(source_file, context)
    if loaded is not None and not loaded:  # (loaded by no import fixer sees: if at all, by one of the service's
        # processes at run time, whose handler is one in a file that process loads, never one in a file none loads)
        reached = dict(context.reach).get(service.dir)
        loaded = reached if reached is not None else \
            frozenset().union(*(loads for _path, loads in dict(context.process_reach).get(service.dir) or ()))
    return next((where for directory, where, separate in context.registered if directory == service.dir
                 and where.rpartition(":")[0] != source_file.path and not (separate and own_process)
                 and (loaded is None or where.rpartition(":")[0] in loaded)), "")


def _loaded_with(source_file: SourceFile, context: Context) -> frozenset[str] | None:
    """The files loaded in the processes of the file's service that load it: its entry point's (`probes.entry_reach`)
    when that loads it, else those of each other file the service runs that loads it (`Context.process_reach`);
    empty when none of them does, None when fixer cannot tell (an import it cannot follow, a module named at run time,
    no file of the service known to run)."""
    service = source_file.service
    if service is None:
        return None
    reached = dict(context.reach).get(service.dir)
    if reached is not None and source_file.path in reached:
        return reached
    reaches = dict(context.process_reach).get(service.dir)
    if reaches is None:
        return None
    return frozenset().union(*(loads for _path, loads in reaches if source_file.path in loads))


def _unloaded_finding(source_file: SourceFile, listeners: list[Listener], context: Context, stray: str) -> Finding:
    """A server in a file none of the service's processes loads (a vendored CLI, a template), in a service whose
    only SIGTERM handlers are in files none of them loads either (another vendored CLI's, at `stray`): that handler
    is no process's of the service, and which process runs this file, if any, fixer cannot tell. Reported, as the
    handler at `stray` was taken to be this file's before: no handler is added to code the service may never run."""
    line, col = source_file.line_col(listeners[0].call.start_byte)
    runs = [path for path, _loads in dict(context.process_reach).get(source_file.service.dir) or ()]
    named = ", ".join(runs[:3]) + (f" and {len(runs) - 3} more" if len(runs) > 3 else "")
    return Finding(INFO.id, source_file.path, line, col,
                   f"starts a server in a file that none of the service's processes loads (fixer follows the imports "
                   f"of {named}), and the SIGTERM handler at {stray} is in a file none of them loads either, so it "
                   "is not theirs: if one of them loads this file at run time, close this server in that process's "
                   "handler (the one this fix adds to its entry point if that starts a server and has none); if "
                   "something else runs this file, give it a handler that closes the server; if nothing does, leave it")


def _mirror_sigint(source_file: SourceFile, registrations: list[Node], elsewhere: str) -> Iterator[Finding]:
    """A SIGINT-only handler: register the same handler for SIGTERM right after it."""
    if elsewhere:
        line, col = source_file.line_col(registrations[0].start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"handles SIGINT but not SIGTERM, which its service handles at {elsewhere}: "
                      "stop here from that handler (a second one that exits would cut its shutdown short)")
        return
    mirrored = False
    for call in map(typescript.member_call, registrations):
        if call is None or typescript.string_value(call.args[0]) != "SIGINT":
            continue  # named by a loop's variable: add 'SIGTERM' to the loop's list by hand
        statement = call.call.parent
        if statement is None or statement.type != "expression_statement" or not _on_process_itself(call):
            continue
        start, text = statement.start_byte, source_file.data[statement.start_byte : statement.end_byte]
        for literal in reversed(signal_literals(statement).get("SIGINT", [])):
            offset = literal.start_byte + 1 - start
            text = text[:offset] + b"SIGTERM" + text[offset + 6 :]
        offset = typescript.after_statement(source_file.data, statement)
        indent = source_file.text.indent_at(statement.start_byte)
        line, col = source_file.line_col(call.call.start_byte)
        mirrored = True
        yield Finding(INFO.id, source_file.path, line, col,
                      "handles SIGINT but not SIGTERM (what docker stop and Kubernetes send): "
                      "the fix registers the same handler for SIGTERM",
                      (Edit(source_file.path, offset, offset, f"\n{indent}{text.decode()}"),))
    if not mirrored:
        line, col = source_file.line_col(registrations[0].start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      "handles SIGINT but not SIGTERM (what docker stop and Kubernetes send): "
                      "register the same handler for SIGTERM")


def _on_process_itself(call: typescript.MemberCall) -> bool:
    """A registration on `process` itself, not on a chain of calls on it: the statement copied for
    SIGTERM registers nothing else twice (`process.on('SIGUSR2', reload).on('SIGINT', stop)`) and
    removes no other handler (`process.removeAllListeners('SIGINT').on('SIGINT', stop)`)."""
    return typescript.member_call(typescript.unwrap(call.object) or call.object) is None


# --- servers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listener:
    call: Node  # the `.listen(...)` call
    statement: Node  # the statement the handler goes after
    kind: str  # "http" (server.close), "fastify"/"nest" (await x.close()), "hapi" (await x.stop()); see _server_kind
    name: str | None  # what the handler closes; None: fixer cannot name it there
    keep: Edit | None = None  # `const server = ` for a server that was not kept
    problem: str = ""
    cast: Edit | None = None  # ` as import('http').Server` after Hono's `serve(…)` in TypeScript


def find_listeners(source_file: SourceFile, table: dict[str, Imported], context: Context | None = None) -> list[Listener]:
    """The servers the file starts, in the order of the code: `_listens`, and the ws WebSocketServers given a port of
    their own (`new WebSocketServer({ port })` starts an http server of its own, which no listen() names)."""
    return sorted([*_listens(source_file, table, context), *_own_port_sockets(source_file, table)],
                  key=lambda listener: listener.call.start_byte)


def _own_port_sockets(source_file: SourceFile, table: dict[str, Imported]) -> Iterator[Listener]:
    """`new WebSocketServer({ port })` of ws: reported (its close() leaves its clients open in ws 8, its callback waits
    for them, and exiting cuts them: the handler has to close each client first)."""
    if b"WebSocket" not in source_file.data and b"Server" not in source_file.data:
        return
    for node in typescript.descendants(source_file.tree.root_node, "new_expression"):
        arguments = node.child_by_field_name("arguments")
        items = typescript.list_items(arguments) if arguments is not None else []
        options = typescript.unwrap(items[0]) if items else None
        if options is None or options.type != "object" or _resource_kind(node, table) != "ws" or not (
                typescript.object_property(options, "port") is not None or any(
                    c.type == "shorthand_property_identifier" and c.text == b"port" for c in options.named_children)):
            continue
        holder = typescript.outer_parens(node).parent
        name = holder.child_by_field_name("name") if holder is not None and holder.type == "variable_declarator" else None
        wss = (name.text or b"").decode() if name is not None and name.type == "identifier" else "wss"
        yield Listener(node, typescript.enclosing_statement(node), "ws-port", None, problem=(
            f"is a ws WebSocketServer on a port of its own: its close() leaves its clients' connections open (its "
            f"callback waits for them, and exiting cuts them), so the handler has to close each client first (`for "
            f"(const client of {wss}.clients) client.close(1001)`, `client.terminate()` for those that do not answer), "
            f"then {wss}.close()"))


def _grpc_kind(receiver: Node | None, call: typescript.MemberCall, table: dict[str, Imported],
               source_file: SourceFile) -> str | None:
    """"grpc" for `server.bindAsync(…)` of a `new grpc.Server()` of @grpc/grpc-js made in the file (closed by
    `tryShutdown()`, `forceShutdown()` at the timeout); "grpc-unplaced" (reported) for the bindAsync() of a server
    made elsewhere in a file or service that uses gRPC; None otherwise."""
    if receiver is None or len(call.args) < 2:
        return None
    if _origin(_value_of(receiver, call), table) == "grpc":
        return "grpc"
    uses = {i.module for i in table.values()} | set(_dependencies(source_file))
    return "grpc-unplaced" if uses & {"@grpc/grpc-js", "grpc"} else None


def _listens(source_file: SourceFile, table: dict[str, Imported], context: Context | None = None) -> Iterator[Listener]:
    named: set[str] = set()  # names given to servers kept by this run
    root = source_file.tree.root_node
    serves = [call for call in hono_serves(root, table) if call.object.type == "identifier"]  # (`serve(…)`; a member
    # call, `nodeServer.serve(…)`, is one of iter_member_calls)
    for call in sorted([*typescript.iter_member_calls(root), *serves], key=lambda c: c.call.start_byte):
        receiver = typescript.unwrap(call.object)
        if call.method == "serve":  # @hono/node-server's `serve({ fetch: app.fetch, port })` returns the http.Server
            own = call.object.id == call.call.child_by_field_name("function").id  # `serve(…)` of `hono_serves`
            kind = "app" if own or _origin(call.call, table) == "hono" else None
            if kind is not None and call.args and (options := typescript.unwrap(call.args[0])) is not None and \
                    options.type == "object" and typescript.object_property(options, "createServer") is not None:
                kind = "hono-server"  # `createServer: http2.createSecureServer`: an HTTP/2 server, maybe
        elif call.method == "start" and not call.args:
            kind = "hapi" if _origin(_value_of(receiver, call), table) == "hapi" else None
        elif call.method == "bindAsync":  # a gRPC server's `server.bindAsync(address, credentials, callback)`
            kind = _grpc_kind(receiver, call, table, source_file)
        elif call.method != "listen" or (call.args and call.args[0].type in typescript.FUNCTION_TYPES):
            continue  # `history.listen(fn)`, `emitter.listen(cb)`: not servers
        else:
            kind = _server_kind(receiver, call, table, context, source_file)
        if kind is None:
            continue
        statement = typescript.enclosing_statement(call.call)
        if kind == "instance-of":
            listener = Listener(call.call, statement, kind, None, problem=NOT_CLOSED_HERE[kind].replace(
                "App", _class_of(receiver, call) or "App"))
        elif kind in NOT_CLOSED_HERE:
            listener = Listener(call.call, statement, kind, None, problem=NOT_CLOSED_HERE[kind])
        elif kind.startswith("unknown-listen:"):
            listener = Listener(call.call, statement, kind, None,
                                problem=NOT_CLOSED_HERE["unknown-listen"].format(kind.partition(":")[2]))
        elif typescript.enclosing_function(call.call) != typescript.enclosing_function(statement):
            started = (receiver.text or b"").decode() if receiver.type == "identifier" else "server"
            listener = Listener(call.call, statement, kind, None, problem="listens inside a callback that has no block of its own"
                                if kind != "hapi" else "is started inside a callback that has no block of its own (give it "
                                f"one, `{{ await {started}.start(); }}` in an async callback, and the fix can add the handler there)")
        elif statement.type == "return_statement" and kind != "app":
            # (an app's `return app.listen(…)`: `_kept_server` reports the server it cannot reach)
            listener = Listener(call.call, statement, kind, None, problem="is started by a `return` statement, after which "
                                "a handler would never be registered (start it in a statement of its own, then return, "
                                "and the fix can add the handler between the two)")
        elif statement.type in BLOCKLESS:
            # `if (…) app.listen(…)`: `const server =` there is a syntax error, and a handler after the
            # `if` would be registered even when the server never starts
            listener = Listener(call.call, statement, kind, None, problem="is the body of an `if`, `else` or loop "
                                "without a block of its own (wrap it in `{ … }` and the fix can add the handler there)")
        elif kind == "app":
            listener = _kept_server(source_file, call.call, statement, named)
            named.update([listener.name] if listener.keep and listener.name else [])
            if call.method == "serve" and listener.name and source_file.kind in ("ts", "tsx"):
                listener = _typed_serve(source_file, call.call, listener)
        elif receiver.type not in ("identifier", "member_expression"):
            listener = Listener(call.call, statement, kind, None, problem="is never kept in a variable the handler could close")
        else:
            listener = Listener(call.call, statement, kind, (receiver.text or b"").decode())
        repeated = _may_run_again(source_file, statement) if listener.name else ""
        yield Listener(call.call, statement, kind, None, problem=repeated) if repeated else listener


def _typed_serve(source_file: SourceFile, call: Node, listener: Listener) -> Listener:
    """Hono's `serve()` is typed as a union of http and HTTP/2 servers, on which the handler's `server.on('request',
    …)` and `closeIdleConnections()` do not type-check: the server it keeps, or an untyped `const server = serve(…)`,
    is cast to the http.Server it is (no `createServer` option); a server kept otherwise is reported."""
    holder = typescript.outer_parens(call).parent
    declarator = holder if holder is not None and holder.type == "variable_declarator" else None
    if listener.keep is None and (declarator is None or declarator.child_by_field_name("type") is not None):
        return Listener(listener.call, listener.statement, listener.kind, None, problem="is kept where its type, "
                        "@hono/node-server's union of http and HTTP/2 servers, has no closeIdleConnections() (keep it "
                        "in `const server = serve(…) as import('http').Server` and the fix can add the handler)")
    q = logger.quote_style(source_file)
    cast = Edit(source_file.path, call.end_byte, call.end_byte, f" as import({q}http{q}).Server")
    return Listener(listener.call, listener.statement, listener.kind, listener.name, listener.keep, cast=cast)


def _may_run_again(source_file: SourceFile, node: Node) -> str:
    """Why the function around `node` may run more than once ("" when it runs once). A handler
    registered there is registered again on every run, and the stale one closes a server that
    is already closed and exits under the live one. Runs once: the top level, an IIFE, a
    callback, and a function called once in the file from code that runs once (exported too
    when that call is under a main-module guard: the file is run, and runs it once). Not:
    methods, event listeners, exported functions, functions called or passed on more than once."""
    function = typescript.enclosing_function(node)
    while function is not None:
        holder = typescript.outer_parens(function).parent
        names = [n for n in (function.child_by_field_name("name"), holder and holder.child_by_field_name("name"),
                             holder and holder.child_by_field_name("key")) if n is not None]
        name = (names[-1].text or b"").decode() if names else ""
        declared = holder is not None and holder.type in ("variable_declarator", "statement_block", "program",
                                                         "export_statement")
        exported = declared and typescript.enclosing_statement(function).type == "export_statement"
        if function.type == "method_definition" or holder is not None and holder.type in ("pair", "public_field_definition"):
            reason = f"the method {name}(), which can run more than once"
        elif holder is not None and holder.type == "call_expression":  # an IIFE
            function = typescript.enclosing_function(holder)
            continue
        elif holder is not None and holder.type == "assignment_expression":  # `module.exports.start = () => {…}`
            reason = f"a function assigned to {(holder.child_by_field_name('left').text or b'').decode()}"
        elif declared and name:
            uses = [n for n in _references(source_file, function, name) if all(n.id != d.id for d in names)]
            exports = {n.id for n in uses if _exports(n)}
            uses = [n for n in uses if n.id not in exports]
            exported = exported or bool(exports)
            call = uses[0].parent if len(uses) == 1 else None
            if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == uses[0] \
                    and (not exported or _main_guarded(call)):
                function = typescript.enclosing_function(call)
                continue
            reason = f"{name}(), which " + ("is exported" if exported else "is never called in the file" if not uses
                                            else "is passed on, not called" if len(uses) == 1
                                            else f"is called or passed on {len(uses)} times in the file")
        elif exported:
            reason = "a function(), which is exported"
        else:
            listener = typescript.member_call(holder.parent) if holder is not None and holder.parent is not None else None
            if listener is None or listener.method not in ("on", "addListener", "prependListener"):
                function = typescript.enclosing_function(function)  # a callback: runs when its caller does
                continue
            reason = f"an {listener.method}() listener, which can run more than once"
        return f"listens in {reason} (a handler there would be registered again on every run)"
    return ""


def _references(source_file: SourceFile, function: Node, name: str) -> list[Node]:
    """The identifiers that can refer to the function named `name` (its own name included): in
    the scope it is declared in, not in the scope of another binding of the name (a local
    `const start = Date.now()`, a parameter) and not in a type (`type B = typeof start`)."""
    root = source_file.tree.root_node
    scope = typescript.enclosing_statement(function).parent or root
    shadowed = [s for s in typescript.local_binding_scopes(source_file.kind, root, name) if s.id != scope.id
                and scope.start_byte <= s.start_byte and s.end_byte <= scope.end_byte]
    return [n for n in typescript.identifier_references(scope, name) if n.type != "type_identifier"
            and not any(s.start_byte <= n.start_byte < s.end_byte for s in shadowed)
            and typescript.enclosing(n, "type_query") is None]


def _exports(reference: Node) -> bool:
    """`export { start }`, `export default start`, `module.exports = { start }`, `exports.start = start`."""
    node, parent = reference, reference.parent
    if parent is not None and parent.type in ("export_specifier", "export_statement"):
        return True
    while parent is not None and (parent.type == "object" or parent.type == "pair" and
                                  parent.child_by_field_name("value") == node):
        node, parent = parent, parent.parent
    left = parent.child_by_field_name("left") if parent is not None and parent.type == "assignment_expression" else None
    return left is not None and parent.child_by_field_name("right") == node and \
        re.match(rb"(module\.)?exports\b", left.text or b"") is not None


def _main_guarded(call: Node) -> bool:
    """Inside `if (require.main === module) { … }` (or `import.meta.main`)."""
    guard = typescript.enclosing(call, "if_statement")
    while guard is not None:
        condition, consequence = guard.child_by_field_name("condition"), guard.child_by_field_name("consequence")
        if MAIN_GUARD.search(condition.text or b"") and consequence is not None and \
                consequence.start_byte <= call.start_byte < consequence.end_byte:
            return True
        guard = typescript.enclosing(guard, "if_statement")
    return False


# statements whose body holds the listen without a block of its own (`if (…) app.listen(…)`)
BLOCKLESS = frozenset({"if_statement", "for_statement", "for_in_statement", "while_statement", "do_statement",
                       "labeled_statement", "with_statement"})
INSTANCES = ("fastify", "nest", "nest-microservice")  # listen() returns a promise, the instance closes
# what the file's imports, else its service's dependencies, show an app whose listen() returns a promise to be
# (checked in this order: Nest's Fastify adapter imports fastify too)
PROMISED = (("nest", ("@nestjs/",)), ("fastify", ("fastify",)),
            ("feathers", ("@feathersjs/express",)), ("feathers-koa", ("@feathersjs/koa",)))
NOT_CLOSED_HERE = {
    "net": "is a net/tls server (no closeIdleConnections(), and close() waits for every open socket: "
           "the handler has to end them)",
    "http2": "is an HTTP/2 server (no closeIdleConnections(), and close() waits for every open session: "
             "the handler has to close them)",
    "instance-of": "comes from the listen() of an instance of a class fixer does not know (`new App(…)`), "
                   "which may return no server at all",
    "unknown": "is awaited, but fixer cannot tell whether it is a Fastify/Nest instance (`await app.close()`) or "
               "an Express/Koa app (close the http.Server its listen() returns)",
    "unknown-options": "is given an options object, but fixer cannot tell whether it is a Fastify instance "
                       "(`await app.close()`) or an Express/Koa app (close the http.Server its listen() returns)",
    "unknown-promise": "returns a promise, but fixer cannot tell whose (a Fastify or Nest instance closes with "
                       "`await app.close()`, a Feathers 5 app with `await app.teardown()`)",
    "unknown-feathers": "may be its service's Feathers app (whose listen() returns a promise: `await app.teardown()`) "
                        "or an http.Server (`server.close()`), which fixer cannot tell",
    "feathers-koa": "is a Feathers Koa app (close it with `await app.teardown()` once its http.Server's idle "
                    "keep-alive connections are closed too)",
    "feathers-version": "is a Feathers app whose version its service's package.json does not show (Feathers 5: "
                        "`await app.teardown()`; Feathers 4 has no teardown(): close the http.Server its listen() "
                        "returns)",
    "polka": "is a polka app's listen(), which returns the app, not the http.Server (close `app.server`, the "
             "http.Server listen() made, and its idle keep-alive connections)",
    "trpc-10": "is tRPC 10's createHTTPServer(…).listen(), which returns `{ port }`, not the http.Server (keep what "
               "createHTTPServer() returns in a variable and close its `.server` and that server's idle keep-alive "
               "connections)",
    "trpc-version": "is tRPC's createHTTPServer() of a version its service's package.json does not show (tRPC 11's "
                    "is the http.Server; 10's listen() returns `{ port }`: close createHTTPServer()'s `.server`)",
    "hono-server": "is @hono/node-server's serve() given its own `createServer` (an HTTP/2 server has no "
                   "closeIdleConnections(), and its close() waits for every open session)",
    "unknown-listen": "is the listen() of an object fixer cannot place in a service that uses {}, whose listen() "
                      "does not return the http.Server (close the http.Server it starts, not what listen() returns)",
    "grpc-unplaced": "is the bindAsync() of a gRPC server made elsewhere (close it in the handler: "
                     "`server.tryShutdown(callback)`, which lets the calls in progress finish, and `server.forceShutdown()` "
                     "when SHUTDOWN_TIMEOUT_MS is up)",
}
# Frameworks whose listen() returns something other than the http.Server (polka and uWebSockets.js: the app, Elysia:
# the instance, hyper-express: a promise): an object fixer cannot place is not taken for an Express app where the
# file or its service uses one (tRPC 10's listen(), `{ port }`, is told apart by its version, see `_server_kind`)
LISTEN_RETURNS_ANOTHER = frozenset({"polka", "elysia", "uWebSockets.js", "hyper-express"})
# Members of the http.Server an Express listen() returns; Fastify's awaited listen() gives an address string.
SERVER_MEMBERS = frozenset({b"address", b"close", b"on", b"once", b"off", b"setTimeout", b"keepAliveTimeout",
                            b"headersTimeout", b"requestTimeout", b"timeout", b"listening", b"getConnections",
                            b"maxHeadersCount", b"maxConnections", b"closeIdleConnections", b"closeAllConnections"})


def _server_kind(receiver: Node | None, call: typescript.MemberCall, table: dict[str, Imported],
                 context: Context | None = None, source_file: SourceFile | None = None, depth: int = 0) -> str | None:
    """"http" for an http(s) server, "fastify" or "nest" for an instance (listen() returns a
    promise; the instance closes), "app" for anything whose listen() returns the server
    (Express, Koa, `http.createServer(app).listen()`); "net", "http2", "instance-of" (an object of a
    class fixer does not know), "unknown" and "unknown-options" are reported. None: not a server
    start (`featureLifecycleService.listen()`, an EventEmitter's): a `.listen(…)` starts a server
    when its receiver is known to be one (followed through variables, `this.app`, imports, the
    class of an instance) or when it is given a port."""
    if receiver is None:
        return None
    value = _value_of(receiver, call)
    origin = _origin(value, table)
    if origin in ("socket.io", "kafkajs", "hapi"):
        return None  # `io.listen(port)`: Socket.IO's own server, not handled here
    if origin in ("net", "http2"):
        return origin
    if origin == "http":  # `http.createServer(app).listen()` returns the server, like an app's
        return "http" if receiver.type == "identifier" else "app"
    if origin in ("express", "fastify", "nest", "nest-microservice"):
        return "app" if origin == "express" else origin
    if origin == "polka":
        return "polka"
    if origin == "trpc":  # tRPC 11's createHTTPServer() is the http.Server, 10's is `{ server, listen }`
        major = logger.range_major(_dependencies(source_file).get("@trpc/server"))
        return "trpc-version" if major is None else "trpc-10" if major < 11 else \
            "http" if receiver.type == "identifier" else "app"
    if origin is None and receiver.type == "identifier" and context is not None and source_file is not None:
        origin = _imported_origin(receiver.text.decode(), table, context, source_file)  # an app of another module
    if origin in ("express", "fastify", "nest", "nest-microservice"):
        return "app" if origin == "express" else origin
    if origin in ("feathers", "feathers-koa"):
        return _feathers_version(origin, source_file)
    if value is not None and value.type == "new_expression":
        # `new App(3000).listen()`: the class's listen(), which may return nothing; an instance of a class
        # whose listen() starts no server (an EventEmitter's `listen() { this.on(…) }`) is not one
        return _instance_kind(value, call, table, context, source_file, depth)
    parent = call.call.parent
    chained = parent is not None and parent.type == "member_expression" and \
        parent.child_by_field_name("property").text in (b"then", b"catch", b"finally")
    # an app made elsewhere: its kind is what the file imports (Fastify's types, `@nestjs/core`), else what
    # its service depends on; never guessed from the call's shape alone (a Feathers 5 app's listen() promises too)
    modules = {i.module for i in table.values()}
    imported = _promised_kind(modules)
    depended = _promised_kind(set(_dependencies(source_file)))
    options = call.args[0] if call.args else None
    if parent is not None and parent.type == "await_expression":
        if _used_as_server(call.call):
            return "app"  # `const server = await app.listen(…); server.address()`: an app made elsewhere
        if imported is not None:
            return _nest_kind(_feathers_version(imported, source_file), call)
        if options is not None and options.type == "object" and depended in (None, "fastify"):
            return "fastify"  # Fastify's `listen({ port })`
        return "unknown"
    if chained:  # `app.listen(port).then(…)`: an instance whose listen() returns a promise
        kind = imported or depended
        return _nest_kind(_feathers_version(kind, source_file), call) if kind else "unknown-promise"
    if receiver.type == "identifier" and imported in INSTANCES and call.args:
        return imported  # a Fastify instance made elsewhere (`buildApp()`) in a file that types it
    if depended in ("feathers", "feathers-koa") and imported is None and _port_like(options):
        return "unknown-feathers"  # the service's Feathers app (listen() promises) or an http.Server: not known
    if options is not None and options.type == "object":
        # `buildApp().listen({ port }, (err, address) => …)`: Fastify's callback gets the error and the
        # address (Express's none); with options alone it may be an http.Server's listen(options)
        callback = call.args[1] if len(call.args) > 1 else None
        if callback is not None and callback.type in typescript.FUNCTION_TYPES and _parameters(callback):
            return "fastify"
        return "unknown-options"
    base = value  # `polka().get(…).listen(…)`: polka's routing methods return the app
    while base is not None and base.type == "call_expression" and (chain := typescript.member_call(base)) is not None:
        base = typescript.unwrap(chain.object)
    if base is not value and _origin(base, table) == "polka":
        return "polka"
    # an object fixer cannot place: a server only when given a port (`featureLifecycleService.listen()` subscribes),
    # whose listen() returns the server (Express, Koa, connect, restify, `http.createServer()` made elsewhere) unless
    # the file or its service uses a framework whose listen() returns something else (polka's app, tRPC 10's `{ port }`)
    if not _port_like(options):
        return None
    other = sorted(m for m in modules | set(_dependencies(source_file)) if m in LISTEN_RETURNS_ANOTHER
                   or m.startswith("@trpc/server") and (logger.range_major(_dependencies(source_file).get("@trpc/server")) or 0) < 11)
    return f"unknown-listen:{other[0].partition('/adapters')[0]}" if other else "app"


def _nest_kind(kind: str, call: typescript.MemberCall) -> str:
    """A Nest app made elsewhere whose listen() is given no port is a microservice (`INestMicroservice.listen()`; an
    HTTP app's listen() takes the port): it has no HTTP server under it (no `getHttpServer()`)."""
    return "nest-microservice" if kind == "nest" and not call.args else kind


def _imported_origin(name: str, table: dict[str, Imported], context: Context, source_file: SourceFile) -> str | None:
    """The library that made the app `name` imports from a module of the repository (`import { app } from './app'`)."""
    imported = table.get(name)
    if imported is None:
        return None
    target = resolve_specifier(source_file.repo, source_file.path, imported.module)
    return next((origin for path, exported, origin in context.app_origins
                 if path == target and exported == imported.name), None) if target is not None else None


def _promised_kind(modules: set[str]) -> str | None:
    """The first kind of PROMISED that `modules` name a package of (`@nestjs/` any of Nest's), or None when
    none does, or Feathers and another do (which app is which is not known)."""
    kinds = [kind for kind, names in PROMISED
             if any(m == n or n.endswith("/") and m.startswith(n) for m in modules for n in names)]
    if any(k.startswith("feathers") for k in kinds) and len(kinds) > 1:
        return None
    return kinds[0] if kinds else None


def _dependencies(source_file: SourceFile | None) -> dict[str, str]:
    """The packages the file's service's package.json depends on (any kind), with their version ranges."""
    service = getattr(source_file, "service", None)  # (None: a file of no service)
    package = service.package if service is not None else {}
    found: dict[str, str] = {}
    for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        value = package.get(key) if isinstance(package, dict) else None
        if isinstance(value, dict):
            found.update({str(k): str(v) for k, v in value.items()})
    return found


def _feathers_version(kind: str, source_file: SourceFile | None) -> str:
    """A Feathers app's kind: "feathers" (5: listen() promises, `await app.teardown()` closes app.server) when its
    service depends on Feathers 5 or later, "app" for Feathers 4 (no teardown(); listen() returns the server, as
    Express's), "feathers-version" (reported) when its package.json does not say; other kinds unchanged."""
    if kind != "feathers":
        return kind
    dependencies = _dependencies(source_file)
    majors = [int(m.group(1)) for name in ("@feathersjs/feathers", "@feathersjs/express")
              for m in [re.match(r"[\^~>=v ]*(\d+)", dependencies.get(name, ""))] if m]
    return "feathers-version" if not majors else "feathers" if min(majors) >= 5 else "app"


# `PORT`, `this.port`, `httpPort`, `APP_PORT`; listen options by name (`config.listen`, `listenOptions`)
_PORT_WORD = re.compile(rb"(?i)(?<![a-z])(port|listen)|(port|listen)(?![a-z])")


def _port_like(argument: Node | None) -> bool:
    """A listen() argument that is a port: a number, a `PORT`/`port` variable or member, `process.env.PORT`,
    `Number(…)` of one, an object with `port` (`{ port, host }`), listen options (`config.listen`)."""
    if argument is None:
        return False
    return any(node.type == "number" for node in typescript.walk(argument)) or \
        _PORT_WORD.search(argument.text or b"") is not None


def _class_member_value(member: Node) -> Node | None:
    """What `this.name` is given in the enclosing class: a field `name = …` or `this.name = …`."""
    cls = typescript.enclosing(member, "class_declaration", "class")
    name = member.child_by_field_name("property").text
    if cls is None:
        return None
    for node in typescript.descendants(cls, "public_field_definition", "assignment_expression"):
        if node.type == "public_field_definition":
            key, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        else:
            left, value = node.child_by_field_name("left"), node.child_by_field_name("right")
            key = left.child_by_field_name("property") if left.type == "member_expression" and \
                left.child_by_field_name("object").type == "this" else None
        if key is not None and key.text == name and value is not None:
            return typescript.unwrap(value)
    return None


def _class_of(receiver: Node | None, call: typescript.MemberCall) -> str:
    """`App` of `new App(…).listen()` or of `app.listen()` with `const app = new App(…)`."""
    value = receiver
    if receiver is not None and receiver.type == "identifier":
        declarator = typescript.declarator_in_scope(receiver.text.decode(), call.call)
        value = typescript.unwrap(declarator.child_by_field_name("value")) if declarator else None
    constructor = value.child_by_field_name("constructor") if value is not None and value.type == "new_expression" else None
    return (constructor.text or b"").decode() if constructor is not None else ""


def _instance_kind(value: Node, call: typescript.MemberCall, table: dict[str, Imported], context: Context | None,
                   source_file: SourceFile | None, depth: int) -> str | None:
    """"instance-of" when the class's `listen()` starts a server (the class declared in the file, or
    in the module it is imported from), None when it starts none; a class of a package: when given a port."""
    constructor = value.child_by_field_name("constructor")
    name = (constructor.text or b"").decode() if constructor is not None and constructor.type == "identifier" else ""
    root = value
    while root.parent is not None:
        root = root.parent
    cls = next((c for c in typescript.descendants(root, "class_declaration")
                if name and (c.child_by_field_name("name").text or b"").decode() == name), None)
    if cls is not None and _listen_method(cls) is not None:
        return "instance-of" if _listen_starts_server(cls, table, depth) else None
    imported = table.get(name)
    target = resolve_specifier(source_file.repo, source_file.path, imported.module) \
        if cls is None and imported is not None and context is not None and source_file is not None else None
    if target is not None and (target, imported.name) in context.server_classes:
        return "instance-of"
    # a class of a package, or one whose listen() fixer cannot see (inherited): when given a port
    return "instance-of" if _port_like(call.args[0] if call.args else None) else None


def _parameters(function: Node) -> list[Node]:
    single = function.child_by_field_name("parameter")
    parameters = function.child_by_field_name("parameters")
    return [single] if single is not None else [p for p in (parameters.named_children if parameters else [])
                                                if p.type != "comment"]


def _used_as_server(call: Node) -> bool:
    """The awaited listen()'s value is kept and used like an http.Server (`server.address()`)."""
    holder = typescript.outer_parens(call.parent).parent if call.parent is not None else None
    if holder is None or holder.type not in ("variable_declarator", "assignment_expression"):
        return False
    name = holder.child_by_field_name("name" if holder.type == "variable_declarator" else "left")
    if name is None or name.type != "identifier":
        return False
    declarator = holder if holder.type == "variable_declarator" else typescript.declarator_in_scope(name.text.decode(), call)
    scope = typescript.enclosing_statement(declarator).parent if declarator is not None else None
    return scope is not None and any(
        member.child_by_field_name("property").text in SERVER_MEMBERS
        for member in typescript.descendants(scope, "member_expression")
        if member.child_by_field_name("object").type == "identifier" and member.child_by_field_name("object").text == name.text)


def _value_of(receiver: Node | None, call: typescript.MemberCall) -> Node | None:
    """What the receiver of a call was made by: the value of the variable it names, or of `this.app`
    (`public app = express()`, `this.app = express()`); the receiver itself otherwise."""
    if receiver is not None and receiver.type == "identifier":
        declarator = typescript.declarator_in_scope(receiver.text.decode(), call.call)
        resolved = _resolved_value(receiver.text.decode(), call.call, declarator)
        if resolved is not None:
            return resolved
        return typescript.unwrap(declarator.child_by_field_name("value")) if declarator else None
    if receiver is not None and receiver.type == "member_expression" and receiver.child_by_field_name("object").type == "this":
        return _class_member_value(receiver)
    return receiver


def _resolved_value(name: str, at: Node, declarator: Node | None) -> Node | None:
    """What made the value a promise resolves to, for `name` a parameter of the callback given to the
    promise's `then()`: `server` of `Glue.compose(manifest).then((server) => …)` is what `Glue.compose(manifest)`
    resolves to, as `await Glue.compose(manifest)` is. None when the nearest binding of `name` around `at` is
    no such parameter (a declaration in the callback, a parameter of another function)."""
    function = typescript.enclosing_function(at)
    while function is not None:
        if any(_binds(parameter, name) for parameter in _parameters(function)):
            if declarator is not None and function.start_byte <= declarator.start_byte < function.end_byte:
                return None  # a local of the callback (`const server = …`) shadows the parameter
            holder = typescript.outer_parens(function).parent
            then = typescript.member_call(holder.parent) if holder is not None and holder.type == "arguments" \
                and holder.parent is not None else None
            if then is None or then.method != "then" or not then.args or \
                    typescript.unwrap(then.args[0]) is None or typescript.unwrap(then.args[0]).id != function.id:
                return None
            return typescript.unwrap(then.object)
        function = typescript.enclosing_function(function)
    return None


def _binds(parameter: Node, name: str) -> bool:
    """The parameter is `name` (`server`, TypeScript's `server: Server`)."""
    if parameter.type in ("required_parameter", "optional_parameter"):
        parameter = parameter.child_by_field_name("pattern") or parameter
    return parameter.type == "identifier" and parameter.text == name.encode()


def _origin(value: Node | None, table: dict[str, Imported]) -> str | None:
    """Which library made a value: `http.createServer(…)` -> "http", `Fastify()` -> "fastify"…"""
    if value is None or value.type not in ("call_expression", "new_expression"):
        return None
    callee = value.child_by_field_name("function") or value.child_by_field_name("constructor")
    if callee is None:
        return None
    if typescript.required_module(callee) is not None:  # require('fastify')(…)
        return _library(typescript.required_module(callee) or "")
    base, member = callee, None
    if callee.type == "member_expression":
        base, member = callee.child_by_field_name("object"), (callee.child_by_field_name("property").text or b"").decode()
    imported = table.get((base.text or b"").decode()) if base is not None and base.type == "identifier" else None
    library = _library(imported.module) if imported else None
    name = member or (imported.name if imported else "")
    if library in ("http", "http2", "net") and name not in ("createServer", "createSecureServer", "Server"):
        return None
    if library == "hapi" and name not in ("server", "Server"):
        return None  # `Hapi.server({ port })`, `new Hapi.Server(…)`
    if library == "glue":  # `await Glue.compose(manifest, options)` resolves to a hapi Server
        return "hapi" if name == "compose" and value.type == "call_expression" else None
    if library == "grpc":  # `new grpc.Server()`: started by bindAsync(), closed by tryShutdown()/forceShutdown()
        return "grpc" if name == "Server" and value.type == "new_expression" else None
    if library == "nest" and name == "createMicroservice":
        return "nest-microservice"  # an INestMicroservice: listen() and close(), no HTTP server (no getHttpServer())
    return library


def _library(module: str) -> str | None:
    module = module.removeprefix("node:")
    if module in ("http", "https"):
        return "http"
    if module in ("http2", "net", "tls"):
        return "http2" if module == "http2" else "net"  # no closeIdleConnections(), no 'request' per response
    if module in ("express", "koa"):
        return "express"  # listen() returns the http.Server
    if module.startswith("@nestjs/"):
        return "nest"
    if module in ("@feathersjs/express", "@feathersjs/koa"):
        return "feathers" if module.endswith("express") else "feathers-koa"  # `express(feathers())`: listen() promises
    if module in ("@hapi/hapi", "hapi"):
        return "hapi"  # started by `start()`; `stop()` drains it
    if module in ("@hapi/glue", "glue"):
        return "glue"  # `Glue.compose(manifest)`: a promise of a hapi server (see `_origin`)
    if module in ("fastify", "socket.io", "ws", "kafkajs", "pg", "redis", "ioredis", "mongoose"):
        return module
    if module == "polka":
        return "polka"  # listen() returns the polka app; `app.server` is the http.Server
    if module == "@trpc/server/adapters/standalone":
        return "trpc"  # `createHTTPServer(…)`: tRPC 10's listen() returns `{ port }`, 11's the http.Server
    if module == "@hono/node-server":
        return "hono"  # `serve({ fetch, port })` returns the http.Server it listens on
    if module == "@grpc/grpc-js":
        return "grpc"
    return None


def _kept_server(source_file: SourceFile, call: Node, statement: Node, named: set[str]) -> Listener:
    """The variable holding what `app.listen()` returns, keeping it first when it was dropped."""
    value = call
    while value.parent is not None:
        parent = value.parent
        if parent.type == "await_expression":
            value = parent  # `await app.listen(PORT)`: still the server
        elif parent.type == "member_expression" and parent.child_by_field_name("property").text in (b"on", b"once") \
                and parent.parent is not None and parent.parent.type == "call_expression":
            value = parent.parent  # `app.listen(…).on('error', …)` is still the server
        else:
            break
    parent = typescript.outer_parens(value).parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            return Listener(call, statement, "http", name.text.decode())
    if parent is not None and parent.type == "assignment_expression":
        target = parent.child_by_field_name("left")
        declarator = typescript.declarator_in_scope(target.text.decode(), call) if target.type == "identifier" else None
        annotation = declarator.child_by_field_name("type") if declarator is not None else None
        initial = declarator.child_by_field_name("value") if declarator is not None else None
        if declarator is not None and annotation is None and source_file.kind in ("ts", "tsx") and \
                (initial is None or initial.type in ("null", "undefined")):
            return Listener(call, statement, "http", None, problem=f"is kept in `{target.text.decode()}`, declared "
                            "without a type, which the handler's closures would read as an implicit any (TS7034; "
                            f"declared as `let {target.text.decode()}: Server` it can be fixed)")
        if declarator is not None and not re.search(rb"\b(undefined|null)\b", annotation.text if annotation else b""):
            return Listener(call, statement, "http", target.text.decode())
    if parent is not None and parent.type == "expression_statement":
        candidates = tuple(c for c in ("server", "httpServer", "appServer", "secondServer") if c not in named)
        name = typescript.free_name(source_file.tree.root_node, candidates or ("server",))
        keep = Edit(source_file.path, statement.start_byte, statement.start_byte, f"const {name} = ")
        return Listener(call, statement, "http", name, keep)
    return Listener(call, statement, "http", None, problem="keeps the server where a handler in this file cannot reach it")


def _run_by(source_file: SourceFile, context: Context) -> list[str]:
    """The files run as processes of the service (`Context.process_reach`: its entry point, what its image, a compose
    service or a package.json script runs) that load this file, when it is not run on its own: where its servers'
    handler goes. Empty when fixer cannot tell, or when the file is run on its own."""
    service = source_file.service
    if service is None or _is_entry(source_file, context):
        return []
    aside = dict(context.left_alone)  # (a seed, a load test: no process of the service)
    return [path for path, loads in dict(context.process_reach).get(service.dir) or ()
            if source_file.path in loads and path != source_file.path and path not in aside]


def _add_handler(source_file: SourceFile, context: Context, what: str, them: str) -> str:
    """What a finding tells to add for servers the fix cannot close itself: a handler that closes `what`; in a file
    that is not run on its own, in the process that loads it (its file, and how it is started: a second process, a
    worker's `node src/worker.js`, gets no handler from the entry point's)."""
    loaders = _run_by(source_file, context)
    if not loaders:
        return f"add a handler that closes {what}"
    how = dict(context.started)
    named = [f"{path} ({how[path]})" if path in how else path for path in loaders]
    shown = "; ".join(named[:2]) + (f"; and {len(named) - 2} more" if len(named) > 2 else "")
    one = len(loaders) == 1
    export = f"(export from this file a function that closes {them}, and call it from that handler)"
    # (an importer that gets a handler in this run: `Context.shared`)
    if set(loaders) <= {other for path, other, common in context.shared if path == source_file.path and not common}:
        return (f"this file runs in the process{'' if one else 'es'} of {shown}, to which the fix adds a SIGTERM "
                f"handler: close {what} in {'that handler' if one else 'each'} {export}")
    return (f"this file runs in the process{'' if one else 'es'} of {shown}, which register{'s' if one else ''} no "
            f"SIGTERM handler for it: add one {'there' if one else 'to each'} that closes {what} {export}")


def _server_findings(source_file: SourceFile, table: dict[str, Imported], context: Context,
                     listeners: list[Listener], elsewhere: str, unloaded: bool = False) -> Iterator[Finding]:
    first = listeners[0]
    line, col = source_file.line_col(first.call.start_byte)
    if _is_broker(elsewhere, context):
        made = f"that moleculer-runner makes ({elsewhere.removesuffix(_RUNNER)}'s start script)" \
            if elsewhere.endswith(_RUNNER) else f"made at {elsewhere}"
        yield Finding(INFO.id, source_file.path, line, col,
                      f"starts a server that the Moleculer ServiceBroker {made} does not close: the broker "
                      "traps SIGTERM and SIGINT itself, awaits broker.stop() (each service's stopped()) and exits; close "
                      "the server in a service's stopped() or the broker's `stopped` option (a second SIGTERM handler "
                      "here would exit while the broker stops)")
        return
    if elsewhere and unloaded:
        yield Finding(INFO.id, source_file.path, line, col,
                      f"starts a server its service's SIGTERM handler at {elsewhere} has to close if that handler's "
                      "process loads this file at run time, which none of the service's processes imports: then close "
                      "it in that handler (a second handler here would exit before that one finishes draining); if "
                      "nothing the service runs loads it, leave it")
        return
    if elsewhere:
        yield Finding(INFO.id, source_file.path, line, col,
                      f"starts a server its service's SIGTERM handler at {elsewhere} has to close: close it in that "
                      "handler (a second handler here would exit before that one finishes draining)")
        return
    blocked = [l for l in listeners if l.name is None]
    if blocked:  # (each of them named: the handler written by hand has to close them all)
        said = "; ".join(f"the server started on line {source_file.line_col(l.call.start_byte)[0]} {l.problem}"
                         for l in blocked)
        them = 'it' if len(blocked) == 1 else 'them'
        yield Finding(INFO.id, source_file.path, line, col,
                      f"no SIGTERM/SIGINT handler, and {said}: " + _add_handler(
                          source_file, context, f"{them}{' and the other servers' if len(blocked) < len(listeners) else ''}",
                          them) + " (see docs/fixes/graceful-shutdown.md)")
        return
    if len({l.statement.parent.id for l in listeners}) > 1:
        loaders = _run_by(source_file, context)
        yield Finding(INFO.id, source_file.path, line, col,
                      "no SIGTERM/SIGINT handler, and the servers are started in different scopes: " + (
                          _add_handler(source_file, context, "them all", "them") if loaders else
                          "add one handler where all of them are in scope") + " (see docs/fixes/graceful-shutdown.md)")
        return
    shared = _shared(source_file, context)
    if shared is not None:
        yield from _shared_finding(source_file, listeners, *shared)
        return
    anchor = max((l.statement for l in listeners), key=lambda node: node.start_byte)
    servers = list(dict.fromkeys((l.kind, l.name) for l in listeners))
    resources = visible_resources(source_file, table, anchor)
    sockets = next((r for r in resources if r.kind == "ws"), None)
    if sockets is not None:
        # ws 8's close() leaves its clients open, and server.close() waits for their upgraded sockets
        yield Finding(INFO.id, source_file.path, line, col,
                      f"no SIGTERM/SIGINT handler, and the ws WebSocketServer {sockets.name} keeps its clients' "
                      "connections open, which the server's close() waits for: " + _add_handler(
                          source_file, context, f"them (`for (const client of {sockets.name}.clients) client.close(1001)`, "
                          "`client.terminate()` for those that do not answer), then the server", "them") +
                      " (see docs/fixes/graceful-shutdown.md)")
        return
    handed = _handed_on(source_file, table, listeners, servers, resources)
    if handed is not None:
        server, callee, where = handed
        yield Finding(INFO.id, source_file.path, line, col,
                      f"no SIGTERM/SIGINT handler, and the server {server} is handed to {callee} on line {where}, which "
                      "may attach to it what fixer cannot close (a WebSocket server's upgraded sockets hold the "
                      "server's close() open until the forced exit): " + _add_handler(
                          source_file, context, f"what {callee} opened on it, then the server", "them") +
                      " (see docs/fixes/graceful-shutdown.md)")
        return
    handler = Handler(source_file, context, servers, resources, anchor)
    changes = tuple(e for l in listeners for e in (l.keep, l.cast) if e) + handler.edits(anchor)
    closes = ", ".join([name for _kind, name in servers] + [r.name for r in resources])
    kept = " (and keeps the server in a variable)" if any(l.keep for l in listeners) else ""
    # (measured, Nest 10 TCP transport: a message in progress at SIGTERM gets "Connection closed", with or without
    # the handler, as with Nest's own enableShutdownHooks())
    micro = "; a Nest microservice's app.close() does not wait for the messages in progress (its TCP transport closes " \
        "its connections at once): where that matters, wait for them before it" \
        if any(kind == "nest-microservice" for kind, _name in servers) else ""
    yield Finding(INFO.id, source_file.path, line, col,
                  f"starts a server but nothing handles SIGTERM/SIGINT: the fix adds a graceful shutdown that closes "
                  f"{closes}{kept}{handler.logger_note}{handler.node_note}{_left_open(source_file, table, resources)}"
                  f"{_work_note(source_file, table, resources)}{_not_closed(source_file, context)}{_unreached_note(source_file, context)}{_timeout_note(source_file, context)}{micro}", changes)


# Wrappers between a server and the call it is an argument of (`{ server }`, `[server]`, `server as Server`).
_ARGUMENT_WRAPPERS = frozenset({"object", "pair", "array", "spread_element", "parenthesized_expression",
                                "as_expression", "non_null_expression", "satisfies_expression", "type_assertion"})
# Calls known not to keep or attach to a server they are given: logging, waiting for one of its events.
_LOG_METHODS = frozenset({"log", "info", "warn", "error", "debug", "trace", "fatal", "dir"})
_EVENT_HELPERS = frozenset({"once", "on"})  # `await once(server, 'listening')` of node's `events`


def _handed_on(source_file: SourceFile, table: dict[str, Imported], listeners: list[Listener],
               servers: list[tuple[str, str | None]], resources: list[Resource]) -> tuple[str, str, int] | None:
    """The first call a server of this file is given to as an argument (`ParseServer.createLiveQueryServer(
    httpServer)`, `new WebSocketServer({ server })`, `attach(server)`) that may attach to it what the handler
    cannot close (upgraded sockets that hold its close() open): (server, callee, line), or None. Known harmless:
    the server's own methods, console and logger calls, `events.once(server, …)`, and the call that makes a
    resource the handler closes (Socket.IO's `new Server(httpServer)`, closed by `io.close()`)."""
    root = source_file.tree.root_node
    closed = {r.node.id for r in resources if r.kind != "ws"}
    found: list[tuple[int, str, str]] = []
    for kind, name in servers:
        if not name:
            continue
        nodes: list[Node] = []
        if kind == "http":
            listener = next((l for l in listeners if l.name == name), None)
            declarator = typescript.declarator_in_scope(name, listener.call) if listener is not None else None
            scope = typescript.enclosing_statement(declarator).parent if declarator is not None else root
            nodes = [node for node in typescript.descendants(scope, "identifier", "shorthand_property_identifier")
                     if node.text == name.encode() and (declarator is None or _same_declarator(name, node, declarator))]
        else:  # an instance (given to its plugins, not a server): the http.Server under it, Fastify's/Feathers'
            # `app.server`, Nest's `app.getHttpServer()`
            under = {f"{name}.server".encode(), f"{name}.getHttpServer()".encode()}
            nodes = [node for node in typescript.descendants(root, "member_expression", "call_expression")
                     if node.text in under]
        for node in nodes:
            call = _argument_of(node)
            if call is None or call.id in closed or _harmless_call(call, name, table):
                continue
            callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
            text = (callee.text or b"").decode() if callee is not None else ""
            text = text if text and len(text) <= 60 and "\n" not in text else "a call"
            shown = f"new {text}()" if call.type == "new_expression" else f"{text}()" if text != "a call" else text
            found.append((call.start_byte, name, shown))
    if not found:
        return None
    start, name, shown = min(found)
    return name, shown, source_file.line_col(start)[0]


def _same_declarator(name: str, node: Node, declarator: Node) -> bool:
    seen = typescript.declarator_in_scope(name, node)
    return seen is not None and seen.id == declarator.id


def _argument_of(node: Node) -> Node | None:
    """The call or `new` whose argument `node` is, directly or inside an object, array or cast; None otherwise."""
    child, parent = node, node.parent
    while parent is not None and parent.type in _ARGUMENT_WRAPPERS:
        if parent.type == "pair" and getattr(parent.child_by_field_name("value"), "id", None) != child.id:
            return None  # a key
        child, parent = parent, parent.parent
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return None
    return parent.parent if parent.parent.type in ("call_expression", "new_expression") else None


def _harmless_call(call: Node, name: str, table: dict[str, Imported]) -> bool:
    callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    if callee is None:
        return False
    base = callee
    while base.type in ("member_expression", "call_expression"):
        base = base.child_by_field_name("object") or base.child_by_field_name("function")
    base_name = (base.text or b"").decode() if base.type in ("identifier", "this") else ""
    if base_name == name:
        return True  # its own methods: `server.close.bind(server)`
    if callee.type == "member_expression":
        method = (callee.child_by_field_name("property").text or b"").decode()
        if method in _LOG_METHODS and (base_name == "console" or "log" in base_name.lower()):
            return True
        imported = table.get(base_name)
        return method in _EVENT_HELPERS and imported is not None and imported.module.removeprefix("node:") == "events"
    imported = table.get(base_name) if callee.type == "identifier" else None
    return imported is not None and imported.module.removeprefix("node:") == "events" and imported.name in _EVENT_HELPERS


# --- workers -----------------------------------------------------------------------------


def _is_entry(source_file: SourceFile, context: Context) -> bool:
    """Run on its own: the service's entry point or another file its image runs (`Repo.processes`),
    a file a package.json script runs, or a file with a main-module guard."""
    if MAIN_GUARD.search(source_file.data) or source_file.path in context.scripts:
        return True
    service = source_file.service
    return service is not None and service.entry == source_file.path or source_file.path in source_file.repo.processes


# The work a process runs on its own: kind -> (what it is, what its SIGTERM handler has to do so that the work in
# progress finishes). Kafka consumers and BullMQ workers declared at the top level get a handler (their close waits
# for the work in progress); the others are reported: amqplib's channel.close() requeues the message in progress, a
# cron task's stop() does not wait for its run in progress.
_WORK = {
    "consumer": ("Kafka consumer", "await its disconnect()"),
    "bullmq-worker": ("BullMQ worker", "await its close() (which waits for its active jobs)"),
    "amqp-channel": ("amqplib consumer", "cancel its consumer (`await channel.cancel(consumerTag)`), wait for the messages "
                                         "in progress to be acked, then await channel.close() and connection.close() "
                                         "(close() alone requeues a message in progress)"),
    "cron": ("cron task", "stop() it and wait for a run in progress to finish (stop() does not wait for it, and exiting "
                          "cuts it)"),
}


@dataclass(frozen=True)
class Work:
    kind: str  # a key of `_WORK`
    name: str  # the variable it is kept in, "" for none (`cron.schedule(…)` as a statement)
    node: Node
    top_level: bool  # declared at the top level, where a handler sees it

    @property
    def label(self) -> str:
        return self.name or f"the {_WORK[self.kind][0]} on line {self.node.start_point[0] + 1}"

    def describe(self) -> str:
        where = _function_names(self.node)
        named = f" {self.name}" if self.name else f" started on line {self.node.start_point[0] + 1}"
        return f"{_WORK[self.kind][0]}{named}" + (f" (created in {where[0]}())" if where and not self.top_level else "")


def work_of(source_file: SourceFile, table: dict[str, Imported]) -> list[Work]:
    """The work the file starts that a process keeps running (`_WORK`): Kafka consumers, BullMQ workers, the amqplib
    channels it consumes from (`channel.consume(…)`), node-cron and croner tasks, kept in a variable or not."""
    root = source_file.tree.root_node
    consumed = {(c.object.text or b"").decode() for c in typescript.iter_member_calls(root) if c.method == "consume"}
    found = []
    for node in typescript.descendants(root, "call_expression", "new_expression"):
        kind = _resource_kind(node, table)
        if kind not in _WORK:
            continue
        holder = node.parent
        while holder is not None and holder.type in ("await_expression", "parenthesized_expression", "as_expression",
                                                     "non_null_expression", "satisfies_expression"):
            holder = holder.parent
        name_node = holder.child_by_field_name("name") if holder is not None and holder.type == "variable_declarator" else None
        name = (name_node.text or b"").decode() if name_node is not None and name_node.type == "identifier" else ""
        if kind == "amqp-channel" and name not in consumed or kind != "cron" and not name:
            continue  # (a channel it only publishes on; a consumer or worker kept nowhere is started by what made it)
        top = name_node is not None and typescript.enclosing_statement(holder).parent.type == "program"
        found.append(Work(kind, name, node, top))
    return found


def _work_note(source_file: SourceFile, table: dict[str, Imported], resources: list[Resource]) -> str:
    """What a server's finding says of the work its handler cannot let finish: an amqplib consumer or cron task
    (closed or stopped, the work in progress is cut), or work declared where the handler cannot see it."""
    closed = {r.name for r in resources}
    left = [w for w in work_of(source_file, table) if w.kind in ("amqp-channel", "cron") or w.name not in closed]
    if not left:
        return ""
    return "; " + "; ".join(f"it {'does not close' if w.name not in closed else 'stops' if w.kind == 'cron' else 'closes'} "
                            f"the {w.describe()} without letting "
                            f"its work in progress finish ({w.label}: {_WORK[w.kind][1]})" for w in left)


def _worker_findings(source_file: SourceFile, table: dict[str, Imported], context: Context,
                     elsewhere: str) -> Iterator[Finding]:
    root = source_file.tree.root_node
    consumers = [r for r in visible_resources(source_file, table, None) if r.kind == "consumer"]
    work = [w for w in work_of(source_file, table) if w.kind != "consumer"]
    if work:
        yield from _work_findings(source_file, table, context, elsewhere, work)
        return
    if not consumers:
        yield from _inner_consumers(source_file, table, elsewhere)
        return
    anchor = _worker_anchor(root, {r.name for r in consumers})
    line, col = source_file.line_col(consumers[0].node.start_byte)
    if elsewhere:
        yield Finding(INFO.id, source_file.path, line, col,
                      f"Kafka consumer {consumers[0].name} runs in a service whose SIGTERM handler at {elsewhere} has "
                      "to disconnect it: await its disconnect() in that handler")
        return
    shared = _shared(source_file, context)
    if shared is not None and shared[1] == LOADS:
        yield _loads_entry_finding(source_file, consumers[0].node, f"runs Kafka consumer {consumers[0].name}",
                                   "consumers", shared[0])
        return
    if anchor is None:
        yield Finding(INFO.id, source_file.path, line, col,
                      f"Kafka consumer {consumers[0].name} runs without a SIGTERM/SIGINT handler, and fixer cannot "
                      "tell where it is started: add a handler that awaits its disconnect() and exits")
        return
    resources = visible_resources(source_file, table, anchor)
    handler = Handler(source_file, context, [], resources)
    names = ", ".join(r.name for r in resources)
    yield Finding(INFO.id, source_file.path, line, col,
                  f"Kafka consumer worker without a SIGTERM/SIGINT handler: the fix adds a graceful shutdown that "
                  f"disconnects {names}{handler.logger_note}{_not_closed(source_file, context)}{_unreached_note(source_file, context)}{_timeout_note(source_file, context)}", handler.edits(anchor))


def _work_findings(source_file: SourceFile, table: dict[str, Imported], context: Context, elsewhere: str,
                   work: list[Work]) -> Iterator[Finding]:
    """A process that runs BullMQ workers, amqplib consumers or cron tasks (and maybe Kafka consumers) and no server: a
    handler that closes them where every one is a BullMQ worker or Kafka consumer at the top level, else a finding
    saying what to close."""
    work = work + [w for w in work_of(source_file, table) if w.kind == "consumer"]
    line, col = source_file.line_col(work[0].node.start_byte)
    what = ", ".join(w.describe() for w in work)
    if elsewhere:
        yield Finding(INFO.id, source_file.path, line, col,
                      f"runs {what} in a service whose SIGTERM handler at {elsewhere} has to stop "
                      f"{'it' if len(work) == 1 else 'them'}: in that handler, "
                      + "; ".join(f"{w.label}: {_WORK[w.kind][1]}" for w in work))
        return
    shared = _shared(source_file, context)
    if shared is not None and shared[1] == LOADS:
        yield _loads_entry_finding(source_file, work[0].node, f"runs {what}", "workers", shared[0])
        return
    kept = [w for w in work if w.kind in ("consumer", "bullmq-worker") and w.top_level]
    anchor = _worker_anchor(source_file.tree.root_node, {w.name for w in kept if w.kind == "consumer"},
                            {w.name for w in kept if w.kind == "bullmq-worker"}) if len(kept) == len(work) else None
    if anchor is None:
        yield Finding(INFO.id, source_file.path, line, col,
                      f"runs {what} without a SIGTERM/SIGINT handler, which fixer adds only for Kafka consumers and "
                      "BullMQ workers declared at the top level: add one that exits once done with these — "
                      + "; ".join(f"{w.label}: {_WORK[w.kind][1]}" for w in work))
        return
    resources = visible_resources(source_file, table, anchor)
    handler = Handler(source_file, context, [], resources)
    yield Finding(INFO.id, source_file.path, line, col,
                  f"runs {what} without a SIGTERM/SIGINT handler: the fix adds a graceful shutdown that closes "
                  f"{', '.join(r.name for r in resources)}"
                  f"{handler.logger_note}{_not_closed(source_file, context)}{_unreached_note(source_file, context)}{_timeout_note(source_file, context)}", handler.edits(anchor))


def _inner_consumers(source_file: SourceFile, table: dict[str, Imported], elsewhere: str) -> Iterator[Finding]:
    """A consumer declared in the function that runs it (`async function main() { const consumer =
    kafka.consumer(…); … }`): reported, with where the handler has to go."""
    for declarator in typescript.descendants(source_file.tree.root_node, "variable_declarator"):
        name, value = declarator.child_by_field_name("name"), typescript.unwrap(declarator.child_by_field_name("value"))
        if name is None or value is None or _resource_kind(value, table) != "consumer":
            continue
        function = _function_names(declarator)
        where = f"in {function[0]}()" if function else "in a function"
        line, col = source_file.line_col(declarator.start_byte)
        consumer = (name.text or b"").decode()
        if elsewhere:
            yield Finding(INFO.id, source_file.path, line, col,
                          f"Kafka consumer {consumer}, created {where}, runs in a service whose SIGTERM handler at "
                          f"{elsewhere} has to disconnect it: await its disconnect() in that handler")
        else:
            yield Finding(INFO.id, source_file.path, line, col,
                          f"Kafka consumer {consumer}, created {where}, runs without a SIGTERM/SIGINT handler: register "
                          f"one there, after {consumer}.run(), that awaits {consumer}.disconnect() and exits (fixer only "
                          "adds one for a consumer declared at the top level)")
        return


def _worker_anchor(root: Node, consumers: set[str], workers: frozenset[str] | set[str] = frozenset()) -> Node | None:
    """The statement that starts the worker: the end of a `require.main === module` block,
    else the top-level statement that runs the consumer (or calls the function that does); for
    BullMQ workers (started when made), the last top-level statement that names one."""
    if workers and not consumers:
        named = [statement for statement in root.named_children if any(
            node.text.decode() in workers for node in typescript.descendants(statement, "identifier"))]
        guarded = next((s for s in root.named_children if s.type == "if_statement"
                        and MAIN_GUARD.search((s.child_by_field_name("condition") or s).text or b"")), None)
        if named and guarded is None:
            return named[-1]
    for statement in root.named_children:
        condition = statement.child_by_field_name("condition") if statement.type == "if_statement" else None
        block = statement.child_by_field_name("consequence") if condition is not None else None
        if condition is not None and MAIN_GUARD.search(condition.text or b"") and block is not None \
                and block.type == "statement_block" and typescript.list_items(block):
            return typescript.list_items(block)[-1]
    for call in typescript.iter_member_calls(root):
        if call.method != "run" or (call.object.text or b"").decode() not in consumers:
            continue
        function = typescript.enclosing_function(call.call)
        if function is None:
            return typescript.enclosing_statement(call.call)
        names = set(_function_names(call.call))
        for statement in root.named_children:
            for inner in typescript.descendants(statement, "call_expression"):
                callee = inner.child_by_field_name("function")
                if callee is not None and (callee.text or b"").decode() in names and \
                        typescript.enclosing_function(inner) is None:
                    return statement
    return None


def _hidden_consumers(source_file: SourceFile, table: dict[str, Imported], context: Context) -> Iterator[Finding]:
    """Consumers this entry starts through another module: the handler cannot disconnect them."""
    relative = _relative_imports(source_file)
    reported = set()
    for call in typescript.descendants(source_file.tree.root_node, "call_expression"):
        callee = call.child_by_field_name("function")
        imported = table.get((callee.text or b"").decode()) if callee is not None and callee.type == "identifier" else None
        target = relative.get(imported.module) if imported else None
        if target is None or target not in context.consumer_modules or target in reported:
            continue
        reported.add(target)
        line, col = source_file.line_col(call.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"starts the Kafka consumer of {imported.module}, which no shutdown handler can see: export a "
                      f"function from {target} that awaits consumer.disconnect() and call it on SIGTERM/SIGINT")


# --- what the handler closes ---------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    name: str
    kind: str  # io, ws (reported), apollo (an ApolloServer that traps no signal), broker (a Moleculer ServiceBroker
    # that traps none: its stop() runs each service's stopped()), consumer, bullmq-worker, cron (a
    # node-cron or croner task), bullmq (a Queue, QueueEvents, FlowProducer), kafka (producer/admin), amqp-channel, amqp
    # (an amqplib connection), redis, pg, knex, kysely, mongo (a MongoClient), typeorm (a DataSource), prisma (a
    # PrismaClient), connection (mongoose's), mongoose
    node: Node

    @property
    def order(self) -> int:
        # what does the work first (it may use the rest), then what it uses, connections last
        return ["io", "ws", "apollo", "broker", "cron", "consumer", "bullmq-worker", "bullmq", "kafka", "amqp-channel", "amqp",
                "redis", "pg", "knex", "kysely", "mongo", "typeorm", "prisma", "connection", "mongoose"].index(self.kind)

    def close(self) -> str:
        # (a DataSource's destroy() throws unless initialize() has succeeded; Prisma's $disconnect() never does; a
        # BullMQ Worker's close() waits for its active jobs, then closes the connections it made — not one it was
        # given, closed after it —; a cron task's stop() keeps it from starting another run)
        return {"io": "{}.close()", "redis": "await {}.quit()", "pg": "await {}.end()", "connection": "await {}.close()",
                "typeorm": "if ({0}.isInitialized) await {0}.destroy()", "apollo": "await {}.stop()", "prisma": "await {}.$disconnect()",
                "mongoose": "await {}.disconnect()", "bullmq-worker": "await {}.close()", "bullmq": "await {}.close()",
                "cron": "{}.stop()", "amqp-channel": "await {}.close()", "amqp": "await {}.close()",
                "broker": "await {}.stop()", "knex": "await {}.destroy()", "kysely": "await {}.destroy()",
                "mongo": "await {}.close()",
                }.get(self.kind, "await {}.disconnect()").format(self.name)


def visible_resources(source_file: SourceFile, table: dict[str, Imported], anchor: Node | None) -> list[Resource]:
    """Connections created in this file and in scope after `anchor` (None: the top level)."""
    root = source_file.tree.root_node
    found: dict[str, Resource] = {}
    scope = anchor.parent if anchor is not None else root
    while scope is not None:
        if scope.type in ("program", "statement_block"):
            for statement in scope.named_children:
                if scope.type != "program" and anchor is not None and statement.start_byte > anchor.start_byte:
                    continue
                for name, value in _declarations(statement):
                    kind = _resource_kind(value, table)
                    if kind and name not in found:
                        found[name] = Resource(name, kind, value)
        scope = scope.parent
    for call in typescript.iter_member_calls(root):
        imported = table.get((call.object.text or b"").decode())
        if call.method == "connect" and imported is not None and imported.module == "mongoose":
            name = call.object.text.decode()
            found.setdefault(name, Resource(name, "mongoose", call.call))
    return sorted(found.values(), key=lambda r: (r.order, r.node.start_byte))


def _declarations(statement: Node) -> Iterator[tuple[str, Node]]:
    declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
    if declaration is None or declaration.type not in ("lexical_declaration", "variable_declaration"):
        return
    for declarator in typescript.list_items(declaration):
        name, value = declarator.child_by_field_name("name"), typescript.unwrap(declarator.child_by_field_name("value"))
        if name is not None and name.type == "identifier" and value is not None:
            yield name.text.decode(), value


def _resource_kind(value: Node, table: dict[str, Imported]) -> str | None:
    call = typescript.member_call(value)
    if call is not None and call.method in ("consumer", "producer", "admin"):
        kafka = "kafkajs" in {i.module for i in table.values()} or b"kafka" in (call.object.text or b"").lower()
        if kafka:
            return "consumer" if call.method == "consumer" else "kafka"
    origin = _origin(value, table)
    callee = value.child_by_field_name("function") or value.child_by_field_name("constructor")
    name = (callee.text or b"").decode().split(".")[-1] if callee is not None else ""
    if origin == "socket.io":
        return "io"
    if origin == "ws" and name in ("WebSocketServer", "Server"):
        return "ws"
    if origin == "pg" and name in ("Pool", "Client"):
        return "pg"
    if origin == "redis" and name == "createClient" or origin == "ioredis":
        return "redis"
    if origin == "mongoose" and name == "createConnection":
        return "connection"
    client = _client_kind(value, callee, name, table)
    if client is not None:
        return client
    # TypeORM 0.3's `new DataSource(…)`, `new PrismaClient()` (`typeorm.DataSource`, `prisma.PrismaClient` too)
    base = callee.child_by_field_name("object") if callee is not None and callee.type == "member_expression" else callee
    imported = table.get((base.text or b"").decode()) if value.type == "new_expression" and base is not None else None
    if imported is not None and (imported.module, name) in (("typeorm", "DataSource"), ("@prisma/client", "PrismaClient")):
        return "typeorm" if imported.module == "typeorm" else "prisma"
    # (one that traps the signals is the process's handler: the file gets none, see `trap_facts`)
    if imported is not None and (imported.module, name) == ("moleculer", "ServiceBroker"):
        return "broker"
    # (one that traps the signals itself gets no handler: `_apollo_findings`)
    if imported is not None and name == "ApolloServer" and APOLLO_MODULE.match(imported.module):
        return "apollo"
    return _work_kind(value, callee, name, table)


def _client_kind(value: Node, callee: Node | None, name: str, table: dict[str, Imported]) -> str | None:
    """A database client whose close call is certain (its library's typings): `knex(config)` of knex (a pool:
    `destroy()`), `new Kysely(…)` of kysely (`destroy()`), `new MongoClient(url)` / `await MongoClient.connect(url)`
    of mongodb (`close()`, also on a client that never connected); else None."""
    if callee is None:
        return None
    if value.type == "call_expression" and typescript.required_module(callee) == "knex":
        return "knex"  # `require('knex')(config)`
    base = callee.child_by_field_name("object") if callee.type == "member_expression" else callee
    imported = table.get((base.text or b"").decode()) if base is not None and base.type == "identifier" else None
    if imported is None:
        return None
    exported = imported.name if callee.type == "identifier" else name  # (`mongodb.MongoClient`: the member)
    if imported.module == "knex" and value.type == "call_expression" and exported in ("default", "knex"):
        return "knex"
    if imported.module == "kysely" and value.type == "new_expression" and exported == "Kysely":
        return "kysely"
    if imported.module == "mongodb" and (value.type == "new_expression" and exported == "MongoClient"
                                         or callee.type == "member_expression" and name == "connect"
                                         and imported.name == "MongoClient"):
        return "mongo"
    return None


_BULLMQ_CLOSED = frozenset({"Queue", "QueueEvents", "FlowProducer", "QueueScheduler"})  # each closed by `await close()`


def _work_kind(value: Node, callee: Node | None, name: str, table: dict[str, Imported]) -> str | None:
    """What a value of BullMQ, amqplib, node-cron or croner is: `new Worker(…)` of bullmq "bullmq-worker", `new
    Queue(…)` (QueueEvents, FlowProducer) "bullmq", `await amqp.connect(…)` of amqplib (the promise API) "amqp",
    `await connection.createChannel()` of that one "amqp-channel", `cron.schedule(…)` / `cron.createTask(…)` of
    node-cron and `new Cron(…)` / `Cron(…)` of croner "cron"; else None."""
    if callee is None:
        return None
    base = callee.child_by_field_name("object") if callee.type == "member_expression" else callee
    imported = table.get((base.text or b"").decode()) if base is not None and base.type == "identifier" else None
    module = imported.module if imported is not None else ""
    exported = name if callee.type == "member_expression" else imported.name if imported is not None else ""
    if module == "bullmq" and value.type == "new_expression":
        return "bullmq-worker" if exported == "Worker" else "bullmq" if exported in _BULLMQ_CLOSED else None
    if module == "amqplib" and exported == "connect":  # (`amqplib/callback_api` hands them to callbacks)
        return "amqp"
    if module == "node-cron" and exported in ("schedule", "createTask"):
        return "cron"
    if module == "croner" and (exported == "Cron" or exported == "default" and callee.type == "identifier"):
        return "cron"
    call = typescript.member_call(value)
    if call is not None and call.method in ("createChannel", "createConfirmChannel") and call.object.type == "identifier":
        declarator = typescript.declarator_in_scope(call.object.text.decode(), value)
        source = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
        if source is not None and source.id != value.id and _resource_kind(source, table) == "amqp":
            return "amqp-channel"
    return None


def _left_open(source_file: SourceFile, table: dict[str, Imported], resources: list[Resource]) -> str:
    """What the file connects that the handler does not close: a client made in another module and connected here
    (`AppDataSource.initialize()` of an imported DataSource where the service depends on typeorm, `prisma.$connect()`,
    `redis.connect()` of a client a module of the repository makes), or one made and connected where the handler
    cannot see it (its close call named)."""
    closed = {r.name for r in resources}
    typeorm = "typeorm" in _dependencies(source_file)
    left, elsewhere, unseen, named = [], [], [], set()
    calls = list(typescript.iter_member_calls(source_file.tree.root_node))
    for call in calls:
        receiver = typescript.unwrap(call.object)
        name = (receiver.text or b"").decode() if receiver is not None and receiver.type == "identifier" else ""
        if not name or name in closed or name in left:
            continue
        if call.method == "$connect" or call.method == "initialize" and typeorm and name in table \
                and table[name].module.startswith("."):
            left.append(name)
        elif call.method == "connect" and name not in elsewhere and name not in named:
            # `redis.connect()` of a client another module of the repository makes (node-redis v4, ioredis
            # lazyConnect, a pg Client, a MongoClient): what it is, and so how it closes, is decided there
            if name in table and table[name].name != "*" and \
                    logger.resolve_import(source_file.repo, source_file.path, table[name].module) is not None:
                elsewhere.append(name)
                continue
            # one this file makes where the handler cannot see it (inside a function the handler is not in)
            declarator = typescript.declarator_in_scope(name, call.call)
            value = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
            kind = _resource_kind(value, table) if value is not None else None
            # (a client a request handler makes, connects and ends is closed by its own code)
            if kind in _CONNECTIONS and not any(
                    c.method in _DISCONNECTS and (c.object.text or b"") == name.encode()
                    and typescript.declarator_in_scope(name, c.call) == declarator for c in calls):
                named.add(name)
                unseen.append(Resource(name, kind, value).close())
    notes = []
    if left:
        notes.append(f"it does not close {', '.join(left)}, which this file connects but makes elsewhere: await its "
                     "destroy() (a TypeORM DataSource) or $disconnect() (Prisma) in the handler")
    if elsewhere:
        dependencies = _dependencies(source_file)
        hints = [hint for packages, hint in _CLOSE_HINTS if any(p in dependencies for p in packages)] or \
            [hint for _packages, hint in _CLOSE_HINTS]
        notes.append(f"it does not close {', '.join(elsewhere)}, which this file connects (`{elsewhere[0]}.connect()`) "
                     f"but another module makes, so fixer cannot tell how it closes: close it in the handler after the "
                     f"server ({', '.join(hints)})")
    if unseen:
        notes.append(f"it does not close what this file connects where the handler cannot reach it: keep it where the "
                     f"handler can and close it there after the server (`{'`, `'.join(unseen)}`)")
    return "".join(f"; {note}" for note in notes)


_DISCONNECTS = _CLOSERS | {"end", "quit", "disconnect", "$disconnect"}
# what the handler closes that a `connect()` opens
_CONNECTIONS = frozenset({"redis", "pg", "knex", "kysely", "mongo", "typeorm", "prisma", "connection", "mongoose"})
# (packages, how their clients close) for a client another module makes
_CLOSE_HINTS = ((("redis", "ioredis"), "`await <client>.quit()` for a node-redis or ioredis client"),
                (("mongodb",), "`await <client>.close()` for a MongoClient"),
                (("pg",), "`await <client>.end()` for a pg Client or Pool"),
                (("mongoose",), "`await <connection>.close()` for a mongoose Connection"))


# --- the Node a service runs on --------------------------------------------------------------


IDLE_SINCE = (18, 2)  # http.Server's closeIdleConnections() (and @types/node 18's declaration of it)
_CODENAMES = {"argon": 4, "boron": 6, "carbon": 8, "dubnium": 10, "erbium": 12, "fermium": 14, "gallium": 16}
_VERSION = re.compile(r"(>=|<=|>|<|=|\^|~)?\s*v?(\d+)(?:\.(\d+|[xX*])(?:\.[\dxX*]+)?(?:[-+][\w.-]*)?)?")


def old_node(repo: Repo) -> tuple[tuple[str, str, str], ...]:
    """(service directory, why its Node may predate 18.2, why its @types/node may not declare
    closeIdleConnections()) for each service where one is so ("" for the other): its images' final stage
    `FROM node:16-alpine` (a stage it is built from, an `ARG`'s default), its package.json's (else the
    root's) `engines.node` (`>=10`), an `.nvmrc`/`.node-version`; its @types/node range (`^16.18.126`)."""
    root = repo.packages.get("", {})
    found = []
    for service in repo.services:
        runtime = next((why for path in service.dockerfiles if (why := _image_node(repo, path))), "")
        engines = _engines(service.package) or _engines(root)
        # (a range from 18.0 means Node 18: its releases before 18.2 were out for a month, no image runs them)
        if not runtime and engines and _lowest(engines) < (IDLE_SINCE[0], 0):
            runtime = f"its package.json's engines.node is {engines}"
        for directory in dict.fromkeys((service.dir, "")):
            for name in (".nvmrc", ".node-version"):
                path = posixpath.join(directory, name)
                pinned = repo.read(path) if not runtime and repo.exists(path) else None
                text = pinned.data.decode("utf-8", "replace").strip().lower() if pinned is not None else ""
                if text and _too_old(text.removeprefix("lts/")):
                    runtime = f"{path} names Node {text}"
        types = next((str(deps["@types/node"]) for package in (service.package, root)
                      for key in ("devDependencies", "dependencies")
                      if isinstance(deps := package.get(key) if isinstance(package, dict) else None, dict)
                      and isinstance(deps.get("@types/node"), str)), "")
        typed = f"its @types/node is {types}" if types and _lowest(types) < (IDLE_SINCE[0], 0) else ""
        if runtime or typed:
            found.append((service.dir, runtime, typed))
    return tuple(found)


def _engines(package: object) -> str:
    engines = package.get("engines") if isinstance(package, dict) else None
    node = engines.get("node") if isinstance(engines, dict) else None
    return node.strip() if isinstance(node, str) else ""


def _image_node(repo: Repo, path: str) -> str:
    """Why the image a Dockerfile builds runs a Node older than 18.2 ("`FROM node:16-alpine`"), "" when
    it does not or the Dockerfile does not say (another base image, a tag fixer cannot read)."""
    source_file = repo.read(path)
    try:
        instructions = source_file.instructions if source_file is not None and source_file.kind == "dockerfile" else []
    except ParseError:
        return ""
    defaults = {name: value for i in instructions if i.cmd == "ARG" for name, sep, value
                in (item.partition("=") for item in i.value) if sep}
    first = dockerfile_parser.stage_chain(instructions)[0]  # (the stage the final one is built from, at the root)
    start = next((i for i in instructions if i.stage == first and i.cmd == "FROM" and i.value), None)
    if start is None:
        return ""
    image = re.sub(r"\$\{?(\w+)\}?", lambda m: defaults.get(m.group(1), m.group(0)), start.value[0])
    name, _, tag = image.partition("@")[0].rpartition("/")[2].partition(":")
    old = (name == "node" or name.endswith("-node")) and _too_old(tag.lower().removeprefix("lts-"))
    return f"its image is `FROM {image}` ({path})" if old else ""


def _too_old(tag: str) -> bool:
    """A Node version or image tag older than 18.2: `16`, `16.20-alpine`, `18.1.0`, `gallium`, `v14`."""
    match = re.match(r"v?(\d+)(?:\.(\d+))?", tag)
    if match is None:
        major = next((v for name, v in _CODENAMES.items() if tag.startswith(name)), None)
        return major is not None
    return (int(match.group(1)), int(match.group(2) or 99)) < IDLE_SINCE


def _lowest(versions: str) -> tuple[int, int]:
    """The lowest Node (major, minor) a semver range allows: `>=10` (10, 0), `^16.18.126` (16, 18), `14 || 16`
    (14, 0), `<20` (0, 0); (99, 0) when it names no version fixer can read (`latest`, a tag)."""
    lowest = (99, 0)
    for alternative in versions.split("||"):
        alternative = re.sub(r"\s+-\s+.*", "", alternative)  # `14 - 18`: from 14
        bounds = [(int(m.group(2)), int(m.group(3)) if (m.group(3) or "x").isdigit() else 0)
                  for m in _VERSION.finditer(alternative) if m.group(1) not in ("<", "<=")]
        named = any(char.isdigit() for char in alternative) or alternative.strip() in ("*", "x", "")
        if named:
            lowest = min(lowest, max(bounds, default=(0, 0)))
    return lowest


# --- the handler ---------------------------------------------------------------------------


_SERVER_COMMENT = [
    "// Graceful shutdown on SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C): stop accepting",
    "// connections, let in-flight requests finish, close connections and exit; exit 1 if it takes",
    "// longer than SHUTDOWN_TIMEOUT_MS (default {default}). A second signal doesn't start it again.",
]
_WORKER_COMMENT = [
    "// Graceful shutdown on SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C): let the message",
    "// in progress finish, disconnect and exit; exit 1 if it takes longer than SHUTDOWN_TIMEOUT_MS",
    "// (default {default}). A second signal doesn't start it again.",
]
_JOBS_COMMENT = [
    "// Graceful shutdown on SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C): let the jobs",
    "// in progress finish, close connections and exit; exit 1 if it takes longer than SHUTDOWN_TIMEOUT_MS",
    "// (default {default}). A second signal doesn't start it again.",
]


class Handler:
    """The shutdown code for one file, written in its style (quotes, semicolons, indentation)."""

    def __init__(self, source_file: SourceFile, context: Context, servers: list[tuple[str, str | None]],
                 resources: list[Resource], at: Node | None = None):
        self.file = source_file
        self.servers = [name for kind, name in servers if kind == "http" and name]
        self.instances = [name for kind, name in servers if kind in INSTANCES and name]
        self.hapi = [name for kind, name in servers if kind == "hapi" and name]
        self.feathers = [name for kind, name in servers if kind == "feathers" and name]
        self.grpc = [name for kind, name in servers if kind == "grpc" and name]  # @grpc/grpc-js Servers
        # what closes: "HTTP server", or a gRPC server or Nest microservice (no HTTP), for the log line
        self.closed_label = _closed_label(servers)
        self.resources = resources
        # the repository's logger, else a Fastify instance's `app.log` (the one rule of `logger.writing_logger`)
        found = logger.writing_logger(source_file, dict(context.loggers), at or source_file.tree.root_node,
                                      [name for kind, name in servers if kind == "fastify" and name])
        # a level method the logger is not shown to have is console's (on the logger it would be a TypeError,
        # and console-to-logger would take the call for proof that the logger has it), and so is every level
        # of a logger that takes a tag before the message (which tag, in which form, is the code's own)
        missing, why = logger.unfit_levels(source_file, found, dict(context.loggers), context.shapes, ("info", "error"))
        self.log = found.binding or "console"
        self.info_log, self.error_log = ("console" if level in missing else self.log for level in ("info", "error"))
        self.import_edit = found.edit if len(missing) < 2 else None
        self.logger_note = "" if not missing else f" (logs with console: {why})" if not found.binding else \
            f" (logs with console.{' and console.'.join(missing)}: {why})"
        self.q = logger.quote_style(source_file)
        self.semi = ";" if logger.uses_semicolons(source_file) else ""
        self.typed = source_file.kind in ("ts", "tsx")
        self.timeout = _timeout_of(source_file.service, context)[0]
        # where the service's Node may predate 18.2 (or, in TypeScript, its @types/node 18), closeIdleConnections()
        # is called only where it exists: idle keep-alive sockets are left to time out there
        _dir, runtime, types = next((o for o in context.old_node if source_file.service is not None
                                     and o[0] == source_file.service.dir), ("", "", ""))
        self.old_node = runtime or (types if self.typed else "")
        style = env_style(source_file)
        service = source_file.service
        self.brackets = typescript.env_brackets_required(source_file.path, source_file.kind, dict(context.env_projects)) \
            or style == "brackets" or style is None and service is not None and service.dir in context.bracket_env
        root = source_file.tree.root_node
        self.flag = typescript.free_name(root, ("shuttingDown", "isShuttingDown"))
        self.function = typescript.free_name(root, ("gracefulShutdown", "shutdownGracefully"))
        # the http.Server under each instance, whose keep-alive sockets would hold its close() open:
        # Fastify's `.server`; Nest's `getHttpServer()` (typed any: kept in a typed const)
        self.under: list[tuple[str, str, str | None]] = []  # (instance, server expression, Nest's getter)
        for kind, name in servers:
            if kind == "fastify" and name:
                self.under.append((name, f"{name}.server", None))
            elif kind == "feathers" and name:  # set by listen(), typed `server?: http.Server`
                self.under.append((name, f"{name}.server?", None))
            elif kind == "nest" and name:
                taken = {server for _i, server, _g in self.under}
                server = typescript.free_name(root, tuple(c for c in ("httpServer", "nestServer", "appServer")
                                                          if c not in taken) or ("httpServer",))
                self.under.append((name, server, f"{name}.getHttpServer()"))

    def edits(self, anchor: Node) -> tuple[Edit, ...]:
        data = self.file.data
        offset = typescript.after_statement(data, anchor)
        indent = self.file.text.indent_at(anchor.start_byte)
        unit = self.file.text.indent_unit
        body = "\n".join(indent + text.replace("\t", unit) if text else "" for text in self.lines())
        following = data[offset:].split(b"\n", 2)
        # a blank line between the handler and the code after it, unless the block ends there
        spaced = len(following) > 1 and following[1].strip() not in (b"",) and not following[1].strip().startswith(b"}")
        edit = Edit(self.file.path, offset, offset, f"\n\n{body}" + ("\n" if spaced else ""))
        return ((self.import_edit,) if self.import_edit else ()) + (edit,)

    def lines(self) -> list[str]:
        """The handler, one level of indentation written as a tab (replaced by the file's unit)."""
        q, s, flag = self.q, self.semi, self.flag
        lines = _SERVER_COMMENT if self.servers or self.instances or self.hapi or self.feathers or self.grpc \
            else _WORKER_COMMENT \
            if any(r.kind == "consumer" for r in self.resources) else _JOBS_COMMENT
        # the forced exit's default, under the grace period the service runs with (`_timeouts`)
        lines = [line.replace("{default}", f"{self.timeout / 1000:g} s") for line in lines] + [f"let {flag} = false{s}"]
        for _instance, server, getter in self.under:
            if getter and self.typed:
                lines.append(f"const {server}: import({q}http{q}).Server = {getter}{s}")
            elif getter:
                lines += [f"/** @type {{import({q}http{q}).Server}} */", f"const {server} = {getter}{s}"]
        closers = [(server, server) for server in self.servers] + [(server, i) for i, server, _g in self.under]
        for server, closer in closers:
            closes = f"{closer}.teardown()" if closer in self.feathers else f"{closer}.close()"
            lines.append(f"// keep-alive sockets would hold {closes} open until they time out: close them once idle")
            if self.old_node:
                lines.append("// (closeIdleConnections() is Node 18.2+: on an older Node they are left to time out)")
            lines += [
                f"{server}.on({q}request{q}, (_req, res) => {{",
                f"\tres.on({q}finish{q}, () => {{",
                f"\t\tif ({flag}{self._idle_guard(server)}) {self._close_idle(server)}{s}",
                f"\t}}){s}",
                f"}}){s}",
            ]
        signal = "signal: string" if self.typed else "signal"
        lines += [""] + ([] if self.typed else ["/** @param {string} signal */"])  # an implicit any where tsc checks JS
        lines += [
            f"const {self.function} = async ({signal}) => {{",
            f"\tif ({flag}) return{s}",
            f"\t{flag} = true{s}",
            f"\t{self.info_log}.info(`Received ${{signal}}, shutting down gracefully`){s}",
            "\tsetTimeout(() => {",
            f"\t\t{self.error_log}.error({q}Graceful shutdown timed out, forcing exit{q}){s}",
            # a gRPC server's calls still running are cancelled (the clients get CANCELLED, not a dropped connection)
            *[f"\t\t{name}.forceShutdown(){s}" for name in self.grpc],
            f"\t\tprocess.exit(1){s}",
            f"\t}}, Number({self._env('SHUTDOWN_TIMEOUT_MS')}) || {self.timeout}).unref(){s}",
            "\ttry {",
        ]
        lines += ["\t\t" + line for line in self._closing()]
        lines += [
            "\t} catch (error) {",
            f"\t\t{self.error_log}.error(`Graceful shutdown failed: ${{String(error)}}`){s}",
            f"\t\tprocess.exit(1){s}",
            "\t}",
            f"\tprocess.exit(0){s}",
            f"}}{s}",
            "",
            f"process.on({q}SIGTERM{q}, () => {self.function}({q}SIGTERM{q})){s}",
            f"process.on({q}SIGINT{q}, () => {self.function}({q}SIGINT{q})){s}",
        ]
        return lines

    @property
    def node_note(self) -> str:
        """What the finding says of a service whose Node may predate closeIdleConnections()."""
        if not self.old_node or not (self.servers or self.under):
            return ""
        return f" (idle keep-alive connections are closed only where closeIdleConnections(), Node 18.2+, exists: " \
               f"{self.old_node}; elsewhere they are left to time out)"

    def _close_idle(self, server: str) -> str:
        """`server.closeIdleConnections()`; where the service's Node may predate 18.2, in TypeScript a call
        only where it exists that type-checks against an @types/node without it (a cast to an optional method)."""
        if not (self.old_node and self.typed):
            return f"{server}.closeIdleConnections()"  # (`app.server?.closeIdleConnections()`)
        optional = server.endswith("?")  # Feathers' `app.server?`
        cast = "{ closeIdleConnections?: () => void }" + (" | undefined" if optional else "")
        return f"({server.rstrip('?')} as {cast}){'?.' if optional else '.'}closeIdleConnections?.()"

    def _idle_guard(self, server: str) -> str:
        """` && typeof server.closeIdleConnections === 'function'` for JavaScript where the service's Node may
        predate 18.2 (`_close_idle` is then called only under it), else ""."""
        if not self.old_node or self.typed:
            return ""
        return f" && typeof {server.rstrip('?')}{'?.' if server.endswith('?') else '.'}closeIdleConnections === " \
               f"{self.q}function{self.q}"

    def _env(self, name: str) -> str:
        return f"process.env[{self.q}{name}{self.q}]" if self.brackets else f"process.env.{name}"

    def _closing(self) -> list[str]:
        s, q = self.semi, self.q
        lines = []
        # close() hands its error to the callback: reject, so the catch exits 1 instead of reporting success;
        # JavaScript's `new Promise` resolves to unknown, whose resolve() wants its argument under checkJs (TS2810)
        promise, resolved = ("new Promise<void>", "resolve()") if self.typed else ("new Promise", "resolve(undefined)")
        promises = [f"{promise}((resolve, reject) => {name}.close((error) => (error ? reject(error) : {resolved})))"
                    for name in self.servers] + [f"{name}.close()" for name in self.instances]
        # Hapi's stop() refuses new connections, ends idle ones, waits for in-flight requests (at most `timeout` ms)
        # (its timeout under the forced exit's default, so its own end of the drain comes first)
        promises += [f"{name}.stop({{ timeout: {min(10000, self.timeout * 3 // 4 // 100 * 100)} }})" for name in self.hapi]
        # Feathers 5's teardown() runs the services' teardown hooks, then closes app.server
        promises += [f"{name}.teardown()" for name in self.feathers]
        # a gRPC server's tryShutdown() refuses new calls and calls back once the calls in progress have finished
        promises += [f"{promise}((resolve, reject) => {name}.tryShutdown((error) => (error ? reject(error) : {resolved})))"
                     for name in self.grpc]
        if len(promises) == 1:
            lines.append(f"const closing = {promises[0]}{s}")
        elif promises:
            lines += ["const closing = Promise.all(["] + [f"\t{p}," for p in promises] + [f"]){s}"]
        # once close() has started: the sockets idle now (busy ones close when their response is sent)
        lines += [(f"if ({self._idle_guard(name)[4:]}) " if self._idle_guard(name) else "")
                  + (";" if self._close_idle(name).startswith("(") and not s else "") + f"{self._close_idle(name)}{s}"
                  for name in self.servers + [u for _i, u, _g in self.under]]
        lines += [r.close() + s for r in self.resources if r.kind == "io"]
        if promises:
            lines.append(f"await closing{s}")
        if promises:
            lines.append(f"{self.info_log}.info({q}{self.closed_label} closed{q}){s}")
        lines += [r.close() + s for r in self.resources if r.kind != "io"]
        return lines


def _closed_label(servers: list[tuple[str, str | None]]) -> str:
    """What the handler logs it has closed: "HTTP server" (as ever) unless it closes a gRPC server or a Nest
    microservice, which serve no HTTP: "gRPC server", "Nest microservice", or "Servers" for a mix."""
    labels = {"grpc": "gRPC server", "nest-microservice": "Nest microservice"}
    kinds = {labels.get(kind, "HTTP server") for kind, name in servers if name}
    return kinds.pop() if len(kinds) == 1 else "Servers" if kinds else "HTTP server"


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """The variable the new code reads goes into the env template(s), so it is documented; a container whose node
    `docker stop`'s SIGTERM never reaches (`scripts.sigterm_blocked`) is reported where its command is said, when
    what it runs has a SIGTERM handler or gets one now: that handler never runs there."""
    changed = [f for f in findings if f.fixable]
    handled = {where.rpartition(":")[0] for _directory, where, _own in context.registered} | {f.path for f in changed}
    for directory, where, why, reached in context.unreached:
        if any(repo.service_for(path) is not None and repo.service_for(path).dir == directory
               and (reached is None or path in reached) for path in handled):
            path, _, line = where.rpartition(":")
            yield Finding(INFO.id, path, int(line), 1, why)
    if changed:
        # (the shortest of the defaults the handlers write: a root template documents every service's)
        timeout = min(_timeout_of(repo.service_for(f.path), context)[0] for f in changed)
        yield from envtemplate.findings(repo, INFO.id, [f.path for f in changed], "SHUTDOWN_TIMEOUT_MS", str(timeout), "how long a graceful shutdown may take before the process is forced to exit")


SIGTERM_HANDLERS = FactsSpec("graceful-shutdown/sigterm", sigterm_facts, CODE_KINDS, (b"SIGTERM",), version=8)
SERVER_CLASSES = FactsSpec("graceful-shutdown/server-classes", server_classes, CODE_KINDS, (b".listen(",))
IMPORTS = FactsSpec("graceful-shutdown/imports", import_facts, CODE_KINDS, (b"./", b"listen", b"hapi", b"glue",
                                                                         b"hono/node-server", b"bindAsync"), version=5)
CONSUMERS = FactsSpec("graceful-shutdown/consumers", creates_consumer, CODE_KINDS, (b".consumer(",))
ENV_STYLE = FactsSpec("graceful-shutdown/env-style", env_style, CODE_KINDS, (b"process.env",))
APP_ORIGINS = FactsSpec("graceful-shutdown/app-origins", app_origins, CODE_KINDS, (b"express", b"astify", b"nest", b"feathers", b"koa"),
                        version=2)  # 2: nest-microservice
# (needles: the words of the calls `trap_facts` looks for; `graceful-shutdown` of http-graceful-shutdown)
TRAPS = FactsSpec("graceful-shutdown/traps", trap_facts, CODE_KINDS, (b"ServiceBroker", b"enableShutdownHooks", b"terminus",
                                                                   b"close-with-grace", b"lightship", b"graceful-shutdown",
                                                                   b"exit-hook"))
FACTS = [SIGTERM_HANDLERS, TRAPS, IMPORTS, SERVER_CLASSES, CONSUMERS, ENV_STYLE, APP_ORIGINS, IMPORTED_MODULES, DYNAMIC_LOADS, logger.VOTES, logger.MADE, logger.LOGGER_CALLS]  # gathered ahead, in the engine's one pass over the files
