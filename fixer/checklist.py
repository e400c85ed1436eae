"""The audit's Section 5 readiness checklist, filled in from the repository.

Every item of Section 5 ("Clear Checklist That Signals 'Ready for AWS'") is decided
here, in the audit's own sections and order, as one of

    ✅ pass      holds, and the evidence says where
    ❌ fail      does not hold: file:line evidence, and the fix id that repairs it (if any)
    ➖ n/a       not applicable to this repository (no database, no compose file, …)
    ❓ unknown   cannot be decided from the code: `check` says what to look at by hand

Never ✅ without evidence. Items a registered fix targets read that fix's findings
(whatever fixes ran: `fixer audit --fix` narrows it); the rest are decided by static
checks over per-file facts gathered through `repo.facts` (cached per blob id, so a
warm audit parses nothing again). Nothing here prints: `render_text`,
`render_markdown` and `to_json` build strings and data, the CLI prints them, and
every output is redacted against the secrets the findings carry.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Iterable

from fixer import __version__
from fixer import gitignore
from fixer import lambdatemplate
from fixer import logger as logger_mod
from fixer import mounts as mounts_mod
from fixer.errors import ParseError
from fixer.model import SEVERITIES, Finding, NewFile, Untrack, pickled_by_fields
from fixer.parsing import compose_edit, typescript, yamlfile
from fixer.parsing.comments import blank
from fixer.parsing import dockerfile as dockerfile_parser
from fixer.parsing import envschema
from fixer.probes import GRPC_PROBE_ADDR, LOOPBACK_HOSTS, all_probes, compose_env, compose_test_missing, container_processes, entry_reach, idle_probed, listen_calls, missing_tool_advice, process_reach, written_port
from fixer.redact import redact
from fixer.report import markdown_code, printable_path, printable_text
from fixer.repo import CODE_KINDS, ON_PURPOSE, RUN_SCRIPT, ComposeService, FactsSpec, Repo, Service, SourceFile, is_test, needles_in
from fixer.runner import FixRun
from fixer.scripts import all_script_files, script_files
from transforms.health_endpoints import ROUTES as HEALTH_ROUTES  # the health routes as health-endpoints sees them
from transforms.health_endpoints import AUTOLOAD, autoload_prefix  # @fastify/autoload's directory prefixes
from transforms.health_endpoints import ROUTE_LOOPS, TABLE_ROUTES, TRPC_ROUTES, indirect_routes  # route tables, tRPC
from transforms.health_endpoints import next_path  # where Next.js serves a file by its place
from transforms.health_endpoints import is_request_url  # what a raw handler routes on (req.url, an http2 :path)
from transforms.health_endpoints import NEXT_EXPORTS  # Next.js routes by a file's place (indirect_routes)
from transforms.stdout_logging import development_only  # a file transport production never attaches, as the fix sees it
from transforms.stdout_logging import sink_label  # what a file sink writes to, for a message, as the fix labels it
from transforms.console_to_logger import WRAPPER  # the names of a local logger wrapper (`class Logger`), as console-to-logger sees one
from transforms.db_degradation import CLIENT_FACTORIES, DATABASES, NAMED_CONNECTS  # database modules and the connects they export, as db-degradation knows them
from transforms.graceful_shutdown import SIGNALS as SHUTDOWN_SIGNALS, passes_on  # a re-raising hook, as graceful-shutdown sees it
from transforms.graceful_shutdown import find_listeners  # the servers a file starts, as graceful-shutdown finds them (ws on its own port)
from transforms.env_separation import interpolated  # what compose substitutes, as env-separation reads it

PASS, FAIL, NA, UNKNOWN = "pass", "fail", "na", "unknown"
ICONS = {PASS: "✅", FAIL: "❌", NA: "➖", UNKNOWN: "❓"}
SHOWN = 8  # evidence lines per item in text and Markdown (JSON has them all)


@dataclass(frozen=True)
class Evidence:
    path: str
    line: int
    col: int = 1
    text: str = ""
    fix: str | None = None  # the fix whose finding this is
    fixable: bool = False  # that fix repairs it automatically

    def where(self) -> str:
        """Where, for a person (text, markdown): the path quoted as git quotes an unusual name."""
        return f"{printable_path(self.path)}:{self.line}" if self.line else printable_path(self.path)


@dataclass
class Item:
    key: str  # stable id, e.g. "health.ready"
    title: str  # the audit's wording
    status: str = UNKNOWN
    summary: str = ""  # one line: why this status
    evidence: list[Evidence] = field(default_factory=list)
    fixes: tuple[str, ...] = ()  # fixes that repair the ❌ (their findings are the evidence)
    check: str = ""  # what to check by hand (❓), or how to make it hold (❌ without a fix)
    targets: tuple[str, ...] = ()  # fix ids this item is about, whether or not they found anything


@dataclass
class Section:
    title: str
    items: list[Item]


@dataclass
class ServiceRow:
    name: str
    dir: str
    port: int | None
    entry: str | None
    health: Evidence | None
    ready: Evidence | None
    probes: list[str]  # "HEALTHCHECK /health on 127.0.0.1 (services/a/Dockerfile:30)"
    shutdown: Evidence | None
    logger: str
    routes: list[Evidence] = field(default_factory=list)  # every route the service registers
    runtime: str = ""  # where it runs when not as a server of its own: "AWS Lambda (services/pay/serverless.yml)"


@dataclass
class Checklist:
    sections: list[Section]
    services: list[ServiceRow]
    secrets: frozenset[str] = field(default=frozenset(), repr=False)  # never shown, even in a traceback

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Item:
        return next(item for item in self.items() if item.key == key)

    def counts(self) -> dict[str, int]:
        found = Counter(item.status for item in self.items())
        return {status: found.get(status, 0) for status in (PASS, FAIL, NA, UNKNOWN)}

    def decided_nothing(self) -> bool:
        """No item holds or fails: every one is ❓ (or ➖). Such an audit checked nothing, whatever
        its exit code (findings only) says."""
        counts = self.counts()
        return counts[PASS] == counts[FAIL] == 0 and counts[UNKNOWN] > 0


# --- per-file facts (path + bytes only: cached by blob id) ------------------------------

FACTS_VERSION = 38  # 38: connectTimeoutMS and mssql connectionTimeout are timeouts; retries of an imported init count for its client (retried_imports); self-scheduling and *Retry-named retries; tool_missing shared (nginx:alpine not judged); secrets deleted from the tree found in history; 37: ws_servers carry their port, heredoc RUNs read by every RUN scanner, the Services logger from logger.infer, containers from scripts.containers; 36: res.shutdown fails where a container command keeps SIGTERM from node; 35: compose overlay entries joined to their base service (counted once); 34: consola's default instance judged, a project's own Logger class judged by what it prints, gRPC bind ports, sink labels from the tree; 33: config libraries' reads (env-var, convict, node-config), tslog/Nest/consola JSON logging, envalid devDefault, levels from a required config module, bunyan file streams; 32: Feathers services write routes, @feathersjs/schema validation; 31: ws servers on a port of their own (graceful_shutdown.find_listeners); 30: raw routes by health_endpoints.is_request_url (an http2 :path); 29: Moleculer brokers trap the signals (framework_sigterm), gRPC binds and probes, compose healthcheck tools; 28: routes of http2 streams and tRPC routers of other files (health_endpoints.ROUTES, indirect_routes); 27: Next.js routes under a literal pageExtensions; a worker inheriting an HTTP HEALTHCHECK, each process judged on its SIGTERM handler; 26: Next.js write routes by health_endpoints.next_path ([id] as :id, private folders none); 25: Next.js route handlers and server actions are write routes, signals registered in loops (unhandledRejection), validated env objects in the CORS gate, GraphQL Yoga health routes; 24: mysql, mariadb, mssql, oracledb clients (db-degradation CLIENT_FACTORIES); 23: a signal hook that re-sends the signal is no shutdown handler (graceful_shutdown.passes_on); 22: connects on what a file imports from a database module (MongoClient.connect), Apollo Server traps the signals and startStandaloneServer serves HTTP; 21: compose variables as compose substitutes them (not $$X, not comments); 20: knex clients made through the module's default (knex.default(…), a destructured default import); 19: sequelize default import and named connects as clients, write routes whatever their path, sails and egg apps; 18: chained process signal handlers, fastify start, managed named transactions, knex clients, static roots, winston 2, env writes, changelogs; 17: schema keys validated against process.env are reads, LoopBack routes and shutdown; 16: mounts from fixer.mounts (router fields gone), stacks deleted before the send; 15: migrations config, synchronize, imports, env validation, stack via ctx.body or a variable, HEALTHCHECK tools, /health requested by tests;
# 13: log4js loggers and their file appenders; 12: the project's own rate limiter; createConnection/createPool only from a database module; 11: managed transactions, a level followed to its variable, pino's pretty/file outputs;
# 10: router mounts (route receivers, routers, mounts, their exports and imports), winston's default logger;
# 2: the logger imports come from logger.VOTES; 3: exiting_signal_handlers, execute(); 5: no CORS check in an origin callback; 6: shutdown libraries, level from process.env['…']
# 7: NestJS body routes, framework database clients, `.code(…)` and nested calls before a response with a stack;
#    Dockerfiles: node_modules copied from a stage that installed devDependencies, prunes, bare `yarn`
# 8: pino-roll, bunyan file streams, winston loggers without a transport or with the default (JSON) format,
#    `origin: true` in a branch that tests the origin
# 4: a production branch exits by its own statements and guards stack_in_response too; 'prod' is production;
#    Dockerfiles: devDependencies asked for despite NODE_ENV, build-essential purged without autoremove


@pickled_by_fields
@dataclass(frozen=True, slots=True)  # one per code file, kept for the whole run
class CodeFacts:
    env_reads: tuple[tuple[str, int, int], ...] = ()  # name, line, col
    env_writes: tuple[str, ...] = ()  # variables the code sets (`process.env.isPrimary = 'true'`, for its children)
    routes: tuple[tuple[str, str, int, int], ...] = ()  # method, path, line, col
    # body-taking routes whose path is no literal fixer reads (`this.router.post(`${this.path}`, …)`,
    # `userRouter.put(Paths.Users.Update, …)`, `router.route('/x').post(handler)`): method, the path as written, line
    write_routes: tuple[tuple[str, str, int], ...] = ()
    listens: tuple[int, ...] = ()
    signals: tuple[tuple[str, int], ...] = ()  # SIGTERM, SIGINT, unhandledRejection, rejectionHandlers
    exiting_signal_handlers: tuple[int, ...] = ()  # SIGTERM handlers that exit and do nothing else
    console: tuple[int, ...] = ()
    file_logging: tuple[tuple[int, str], ...] = ()
    json_format: tuple[int, ...] = ()
    json_unknown: tuple[tuple[int, str], ...] = ()  # pino's output chosen at run time, or to files: JSON to stdout?
    json_text: tuple[tuple[int, str], ...] = ()  # pino-pretty on the production path
    level_env: tuple[int, ...] = ()
    level_unknown: tuple[tuple[int, str], ...] = ()  # `level: config.logLevel`: where the value comes from is not here
    level_imported: tuple[tuple[int, str, str], ...] = ()  # of those, imported: line, module, the key read (`logLevel`)
    level_fixed: tuple[tuple[int, str], ...] = ()
    logger_created: tuple[int, ...] = ()
    logger_no_transport: tuple[int, ...] = ()  # winston loggers given no transport (in this file: `.add` may follow elsewhere)
    rate_limit: tuple[tuple[int, str], ...] = ()
    own_rate_limit: tuple[tuple[int, str], ...] = ()  # the project's own limiter given to `.use(…)`: (line, its name)
    validation: tuple[tuple[int, str], ...] = ()
    db_clients: tuple[tuple[int, str], ...] = ()
    pool_size: tuple[int, ...] = ()
    db_timeout: tuple[int, ...] = ()
    retry: tuple[int, ...] = ()
    # what a retry (a loop over attempts, a function that schedules itself from its catch, `withRetry(…)`'s arguments)
    # calls that the file imports: (the retry's line, the module specifier): a start-up retry of another module's
    # `initDb()` retries that module's client
    retried_imports: tuple[tuple[int, str], ...] = ()
    backoff: tuple[int, ...] = ()
    degraded: tuple[int, ...] = ()
    transactions: tuple[int, ...] = ()
    rollbacks: tuple[int, ...] = ()
    managed_transactions: tuple[int, ...] = ()  # `knex.transaction(async trx => …)`: rolled back when the callback throws
    sql_built: tuple[int, ...] = ()  # queries whose SQL text is concatenated/interpolated
    sql_dynamic: tuple[int, ...] = ()  # queries whose SQL is a variable fixer cannot see
    sql_constant: int = 0
    localhost: tuple[tuple[int, int, str], ...] = ()
    stack_in_response: tuple[int, ...] = ()
    sensitive_logs: tuple[tuple[int, str], ...] = ()
    schema_sql: tuple[int, ...] = ()
    migrations_config: tuple[int, ...] = ()  # an ORM given migrations to run (`migrationsRun: true`, `migrations: [...]`)
    imported: tuple[str, ...] = ()  # the modules the file imports (read from its bytes, comments included)
    validates_env: tuple[int, ...] = ()  # a schema given process.env (a config module's validation)
    env_schema_imports: tuple[tuple[str, str, int], ...] = ()  # a schema validated against process.env, imported: module, name, line
    env_schema_unknown: tuple[int, ...] = ()  # process.env validated with a schema whose keys fixer cannot know
    framework_http: tuple[tuple[int, str], ...] = ()  # routes or a server a framework declares: LoopBack's `@get('/x')`, a RestApplication
    framework_sigterm: tuple[tuple[int, str], ...] = ()  # an application class whose framework handles SIGTERM itself (LoopBack's)
    sigterm_unset: tuple[int, ...] = ()  # `shutdown: { signals: [...] }` without SIGTERM: LoopBack then traps no SIGTERM
    synchronize: tuple[int, ...] = ()  # TypeORM's `synchronize: true`: the schema rewritten from the entities at start
    mentions_health: tuple[int, ...] = ()  # for test files: requests /health
    mentions_shutdown: tuple[int, ...] = ()  # for test files: sends SIGTERM
    cors_config: tuple[int, ...] = ()
    cors_wildcard: tuple[int, ...] = ()
    cors_validated: tuple[int, ...] = ()  # exits/throws in production when the origin list is unset
    infra: tuple[tuple[int, str], ...] = ()  # client libraries imported: pg, redis, kafkajs, …
    logger_factories: tuple[tuple[int, str], ...] = ()  # `const log = createServiceLogger(…)`
    route_receivers: tuple[str, ...] = ()  # per route (same order): what it is registered on (`router`; "" raw, Nest): `fixer.mounts` says where that answers
    default_logger: tuple[int, ...] = ()  # winston's default logger used or changed: `winston.info(…)`, `winston.add(…)`
    default_transport: tuple[int, ...] = ()  # a transport given to winston's default logger (`winston.add`, `configure({ transports })`)
    # what the options of a transport (`winston.add(…)`, `new winston.transports.Console({…})`) say: `json: true|false`
    # (winston 2's Console prints text unless json: true), a level read from the environment (winston 2's only level)
    transport_json: tuple[tuple[int, str], ...] = ()  # "true", "false", or "?" (`json: !!nconf.get('json-logging')`)
    transport_level_env: tuple[int, ...] = ()
    transport_level_unknown: tuple[tuple[int, str], ...] = ()  # `level: nconf.get('log-level')`: from where fixer cannot see
    # static files served (`app.use(express.static(path.join(__dirname, 'public')))`, serve-static, koa-static): line,
    # the receiver, the mount path ("" none), and the directory: relative to "file" (`__dirname`) or "cwd", or "" unknown
    static_roots: tuple[tuple[int, str, str, str, str], ...] = ()
    # ws WebSocketServers on a port of their own (`new WebSocketServer({ port })`: an http server no listen() names,
    # answering WebSocket upgrades only), as graceful-shutdown finds them (`find_listeners`, kind "ws-port"): line, and
    # the port as the code writes it (`_ws_port`; None: not read)
    ws_servers: tuple[tuple[int, int | None], ...] = ()
    # consola's default instance (`import consola from 'consola'`, `const { consola } = require('consola')`) logged
    # through: the line of its first use in the file; the reporters the file gives it (`consola.setReporters(…)`):
    # (line, "json") or (line, why fixer cannot tell); its level set (`consola.level = …`): (line, "env", "fixed" or why)
    consola_default: tuple[int, ...] = ()
    consola_reporters: tuple[tuple[int, str], ...] = ()
    consola_level: tuple[tuple[int, str], ...] = ()
    # `new Logger(…)` of a `Logger` imported from a package (line, module): a library's, unless the module is one of
    # the repository's (a workspace package, a tsconfig alias: the project's own class, judged where it is written)
    logger_imported: tuple[tuple[int, str], ...] = ()


_ENV_DOT = re.compile(rb"\bprocess\.env(?:\?\.|\.)([A-Za-z_][A-Za-z0-9_]*)|\bprocess\.env\[\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\s*\]")
_ENV_AFTER = re.compile(rb"\s*(?:(?P<call>\()|(?P<set>=(?![=>])))?")  # what follows `process.env.X`: a call, an assignment
_ENV_DESTRUCTURE = re.compile(rb"\{([^{}]*)\}\s*=\s*process\.env\b")
# `process.on('SIGTERM', …)`, and a link of a chain on process (each of its listener methods returns process:
# Ghost's `process.removeAllListeners('SIGINT').on('SIGINT', …).removeAllListeners('SIGTERM').on('SIGTERM', …)`;
# the arguments of earlier links two parentheses deep at most: a chain past that is the tree's, `_sigterm_handlers`)
_SIGNAL = re.compile(
    rb"\bprocess\s*(?:\.\s*(?:on|once|addListener|prependListener|prependOnceListener|off|removeListener|removeAllListeners|"
    rb"setMaxListeners)\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*)*"
    rb"\.\s*(?:on|once|addListener|prependListener|prependOnceListener)\s*\(\s*['\"](SIGTERM|SIGINT|unhandledRejection|uncaughtException)['\"]")
_LISTENED = frozenset({"SIGINT", "unhandledRejection", "uncaughtException"})  # (and SIGTERM: `_sigterm_handlers`)
_SIGNAL_LINK = re.compile(rb"\.\s*(?:on|once|addListener|prependListener|prependOnceListener)\s*\(\s*['\"]"
                          rb"(SIGTERM|SIGINT|unhandledRejection|uncaughtException)['\"]")
# the shutdown libraries graceful-shutdown counts as handling SIGTERM (its SHUTDOWN_LIBRARIES), and Nest's hooks;
# close-with-grace also handles uncaught exceptions and unhandled rejections
_SHUTDOWN_LIBRARY = re.compile(
    rb"""(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](?P<library>@godaddy/terminus|close-with-grace|lightship|"""
    rb"""http-graceful-shutdown|@moebius/http-graceful-shutdown|async-exit-hook|exit-hook)['"]|\.enableShutdownHooks\(""")
_REJECTION_HANDLERS = re.compile(rb"\brejectionHandlers\s*:|\bhandleRejections\s*:\s*true")
_CONSOLE = re.compile(rb"\bconsole\s*(?:\?\.\s*|\.\s*)(?:log|info|warn|error|debug|trace)\s*\(|\bconsole\s*\[\s*['\"](?:log|info|warn|error|debug|trace)['\"]\s*\]\s*\(")
_FILE_LOGGING = re.compile(rb"\btransports\.File\b|\bDailyRotateFile\b|winston-daily-rotate-file|"
                           rb"\bpino\.destination\((?!\s*(?:\)|[12]\b|process\.std(?:out|err)\.fd|\{\s*dest\s*:\s*(?:[12]\b|process\.std)))|"  # (1, 2: stdout, stderr)
                           rb"\bcreateWriteStream\([^)\n]*\.log\b|\brotating-file-stream\b|"
                           rb"(?<=['\"])(?:pino-roll|rotating-file)(?=['\"])")  # pino's rolling target, bunyan's rotating stream
_JSON_FORMAT = re.compile(rb"\bformat\.json\(\s*\)|\bjson\(\s*\)\s*[,)]|\bbunyan\.createLogger\(")
_PINO = re.compile(rb"\bpino\(|from\s+['\"]pino['\"]|require\(\s*['\"]pino['\"]\s*\)")  # JSON, unless pretty-printed (`_pino_output`)
_LEVEL_VALUE = re.compile(rb"\blevel\s*:\s*\(?\s*(?P<root>[A-Za-z_$][\w$]*)(?P<rest>[^,;}\n]*)")
_LEVEL_ENV = re.compile(  # (`process.env['LOG_LEVEL']` too: the spelling `noPropertyAccessFromIndexSignature` requires)
    rb"\blevel\s*:\s*(?:\(?\s*)process\.env(?:\.|\[)|\blevel\s*:\s*[A-Za-z_$][\w$]*\s*\|\|\s*process\.env|"
    rb"\blevel\s*=\s*process\.env(?:\.|\[)")
_LEVEL_FIXED = re.compile(rb"\blevel\s*:\s*['\"](error|warn|info|http|verbose|debug|silly|trace|fatal)['\"]")
_CREATES_LOGGER = re.compile(rb"\b(?:winston\.)?createLogger\s*\(|\b(?:winston|log4js)\s*\.\s*configure\s*\(|\bpino\s*\(|\bbunyan\.createLogger\s*\(|\bnew\s+(?:winston\.)?Logger\s*\(")
_RATE_LIMIT = re.compile(rb"['\"](express-rate-limit|@fastify/rate-limit|fastify-rate-limit|rate-limiter-flexible|express-slow-down|@nestjs/throttler|koa-ratelimit)['\"]")
# the project's own limiter mounted as middleware: `app.use(createRateLimitMiddleware(store))`, `app.use(throttle)`
_OWN_RATE_LIMIT = re.compile(rb"\.use\(\s*(?:['\"`][^'\"`\n]*['\"`]\s*,\s*)?(?:new\s+)?(?:[\w$]+\.)*([\w$]*(?:rate_?limit|limiter|throttl)[\w$]*)\b", re.I)
_VALIDATION = re.compile(rb"['\"](zod|joi|@hapi/joi|celebrate|class-validator|express-validator|yup|ajv|@sinclair/typebox|superstruct|valibot|@fastify/type-provider-typebox|jet-validators|@feathersjs/schema|@feathersjs/typebox)(?:/[^'\"]*)?['\"]")
# (NestJS modules and MikroORM/Drizzle connect through their own calls: `TypeOrmModule.forRoot(…)`; a connect on a
# database module's import, `mongoose.connect(uri)`, `MongoClient.connect(url)`, is `_named_connects`)
# (the module qualifier as imported: `new Sequelize.Sequelize(…)` of `import Sequelize from 'sequelize'`)
_DB_CLIENT = re.compile(rb"\bnew\s+(?:(?i:pg|mysql|mariadb|sequelize|mongodb|typeorm)\s*\.\s*)?(Pool|Client|PrismaClient|Sequelize|MongoClient|DataSource)\s*\(|(?<!function )(?<![\w.])(createPool|createConnection|"
                        rb"(?:TypeOrmModule|MongooseModule|SequelizeModule|MikroOrmModule)\.forRoot(?:Async)?|MikroORM\.init|drizzle)\s*\(")
# knex's client: the function the 'knex' module exports, called with its config (`knex({ client: 'pg' })`,
# `require('knex')(config)`); an instance called with a table (`knex('members').select(…)`) is a query, no client
_KNEX_FACTORY = re.compile(rb"\b(?:import\s+(?P<default>[\w$]+)\s*(?:,\s*\{[^{}]*\})?\s*from|import\s*\{(?P<named>[^{}]*)\}\s*from|"
                           rb"(?:const|let|var)\s+(?P<required>[\w$]+)\s*=\s*require\(|"
                           rb"(?:const|let|var)\s*\{(?P<destructured>[^{}]*)\}\s*=\s*require\()\s*['\"]knex['\"]")
_KNEX_REQUIRE_CALL = re.compile(rb"\brequire\(\s*['\"]knex['\"]\s*\)\s*\(\s*(?!['\"`)])")


def _knex_clients(code: bytes) -> list[int]:
    """Where knex's factory makes a client: called by the name it is imported under with something
    other than a table name (a string)."""
    names = set()
    for m in _KNEX_FACTORY.finditer(code):
        if m.group("default") or m.group("required"):
            names.add(m.group("default") or m.group("required"))
        for part in (m.group("named") or m.group("destructured") or b"").split(b","):
            words = part.replace(b":", b" as ").split()
            if words and words[0] in (b"knex", b"default"):
                names.add(words[-1])
    modules = set(names)  # (the module's own binding: `knex.default(…)`, ESM interop; `const { knex } = knexpkg`)
    for module in modules:
        for m in re.finditer(rb"\b(?:const|let|var)\s*\{([^{}]*)\}\s*=\s*" + re.escape(module) + rb"\b(?!\s*[.(\[])", code):
            for part in m.group(1).split(b","):
                words = part.replace(b":", b" as ").split()
                if words and words[0] in (b"knex", b"default"):
                    names.add(words[-1])
    found = [m.start() for m in _KNEX_REQUIRE_CALL.finditer(code)]
    for name in names:
        member = rb"(?:\s*\.\s*(?:default|knex))?" if name in modules else b""
        found += [m.start() for m in re.finditer(rb"(?<![\w$.])" + re.escape(name) + member + rb"\s*\(\s*(?!['\"`)])", code)]
    return sorted(set(found))


# a connect a database module exports, called as imported by name (`import { connect } from 'mongoose'`,
# `const { createConnection: open } = require('typeorm')`) or on what the file imports from the module
# (`mongoose.connect(uri)`, the driver's static `mongodb.MongoClient.connect(url)`, `MongoClient.connect(url, options, callback)`
# of `const { MongoClient } = require('mongodb')`), or a client factory of one (`mysql.createPool(cfg)`, `new
# sql.ConnectionPool(cfg)` of mssql, `oracledb.createPool(cfg)`): the modules and names db-degradation knows
_CLIENT_CALLS = NAMED_CONNECTS | CLIENT_FACTORIES
_NAMED_CONNECT_IMPORT = re.compile(
    rb"\b(?:import\s*(?:(?P<default>[\w$]+)\s*,?\s*)?(?:\*\s*as\s+(?P<namespace>[\w$]+)\s*|\{(?P<named>[^{}]*)\}\s*)?from|"
    rb"(?:const|let|var|import)\s+(?P<required>[\w$]+)\s*=\s*require\(|(?:const|let|var)\s*\{(?P<destructured>[^{}]*)\}\s*=\s*require\()"
    rb"\s*['\"](?P<module>" + b"|".join(re.escape(m.encode()) for m in sorted(DATABASES, key=len, reverse=True)) + rb")['\"]")
_QUOTED_DATABASES = tuple(q + m.encode() + q for m in DATABASES for q in (b"'", b'"'))
_NAMED_CONNECT_BYTES = tuple(sorted(name.encode() for name in _CLIENT_CALLS))  # (a cheaper gate first than the modules)
_CONNECT_MEMBER = rb"(?:\s*\.\s*[\w$]+)*?\s*\.\s*(?P<method>" + b"|".join(re.escape(n) for n in _NAMED_CONNECT_BYTES) + rb")\s*\("


def _named_connects(code: bytes) -> list[tuple[int, str]]:
    """Where a connect of a database module is called, imported by name or on an import of the module:
    (offset, `mongoose connect`)."""
    found = []
    for m in _NAMED_CONNECT_IMPORT.finditer(code):
        module = m.group("module").decode()
        bindings = [b for b in (m.group("default"), m.group("namespace"), m.group("required")) if b and b != b"type"]
        for part in (m.group("named") or m.group("destructured") or b"").split(b","):
            words = part.replace(b":", b" as ").split()
            if words and words[0].decode() in _CLIENT_CALLS:
                call = re.compile(rb"(?<![\w$.])" + re.escape(words[-1]) + rb"\s*\((?![^()\n]*\)\s*\{)")  # (no method's definition)
                found += [(c.start(), f"{module} {words[0].decode()}") for c in call.finditer(code, m.end())]
            elif words and words[0] != b"type":  # (`MongoClient` of `{ MongoClient }`: `MongoClient.connect(url)`)
                bindings.append(words[-1])
        for binding in bindings:
            call = re.compile(rb"(?<![\w$.])" + re.escape(binding) + _CONNECT_MEMBER)
            found += [(c.start(), f"{module} {c.group('method').decode()}") for c in call.finditer(code, m.end())]
    return found


# `createConnection(…)`, `createPool(…)`, `new Client(…)`, `new Pool(…)` are a database's only when the file
# takes them from a database module (mysql2's, typeorm's, pg's); anywhere else they are someone else's
# (Hocuspocus's WebSocket connection, generic-pool, a Cloud Tasks client)
_DB_FACTORY_NAMES = frozenset({b"createConnection", b"createPool", b"Client", b"Pool"})
_DB_MODULE = re.compile(rb"(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['\"](?:mysql2?|mariadb|typeorm|mongoose|mongodb|pg|pg-pool|"
                        rb"oracledb|tedious|mssql|knex|sequelize|@mikro-orm/[\w-]+|ibm_db|snowflake-sdk|cassandra-driver|"
                        rb"@elastic/elasticsearch|@opensearch-project/opensearch|@neondatabase/serverless|@vercel/postgres|"
                        rb"@libsql/client|@planetscale/database|postgres)(?:/[^'\"]*)?['\"]")
_POOL_SIZE = re.compile(rb"\b(max|connectionLimit|maxPoolSize|poolSize|connection_limit)\s*[:=]|\bpool\s*:\s*\{")
# the clients' connection timeout options: pg `connectionTimeoutMillis`, mysql2/mariadb/ioredis/redis v4 (`socket`)
# `connectTimeout`, mssql `connectionTimeout`, mongodb/mongoose/TypeORM `connectTimeoutMS` (also in a URL's query),
# `serverSelectionTimeoutMS`, Prisma's `connect_timeout` URL parameter, knex `acquireConnectionTimeout` and its pool's
# `acquireTimeoutMillis`/`createTimeoutMillis`, TypeORM's `extra` (pg's), statement and query timeouts
_DB_TIMEOUT = re.compile(rb"\b(connect(?:ion)?Timeout(?:MS|Millis)?|connect_timeout|statement_timeout|query_timeout|serverSelectionTimeoutMS|"
                         rb"acquireTimeout|acquireTimeoutMillis|acquireConnectionTimeout|createTimeoutMillis|socketTimeoutMS|idleTimeoutMillis)\b")
# a retry: a loop over attempts, a retry option, or a name of the code's own that says it retries (`connectWithRetry`,
# `withRetry(…)`: "Retry" capitalised after a lower-case start, case-sensitive)
_RETRY = re.compile(rb"\bfor\s*\([^)]*\b(attempt|retr(?:y|ies))\w*\b[^)]*\)|\bwhile\s*\([^)]*\b(attempt|retr(?:y|ies))\w*\b|"
                    rb"\b(retry|retries|maxRetries|MAX_RETRIES|retryStrategy|reconnectStrategy|"
                    rb"(?-i:[a-z_$][\w$]*(?:Retry|Retries|Retrying)))\b\s*[:=(]", re.I)
# a function that schedules itself again (`setTimeout(connect, 5000)`, `setTimeout(() => this.connect(), delay)`): a retry
# loop when it does so from a `catch` (mongoose's documented `connectWithRetry`), `_self_retries`
_SELF_RETRY = re.compile(rb"\bsetTimeout\s*\(\s*(?:(?:async\s*)?\(\s*\)\s*=>\s*\{?\s*(?:return\s+|await\s+|void\s+)?)?"
                         rb"(?:this\s*\.\s*)?([A-Za-z_$][\w$]*)\s*[,()]")
_BACKOFF = re.compile(rb"\b2\s*\*\*\s*\(?|\bMath\.pow\(\s*2\s*,|\*\s*Math\.pow\(|<<\s*\(?\s*attempt|\bexponential\w*|\bbackoff\b", re.I)
_DEGRADED = re.compile(rb"\bALLOW_DEGRADED_MODE\b|\bdegraded\s*mode\b|\bDEGRADED_MODE\b", re.I)
_TRANSACTION = re.compile(rb"['\"`]\s*BEGIN\b|\.\$?transaction\s*\(|\bstartTransaction\s*\(|\bstartSession\s*\(|\.withTransaction\s*\(")
# transactions the library commits, or rolls back when the callback throws (or a query of the list fails):
# knex/Sequelize/TypeORM `x.transaction([isolation or options,] async (trx) => …)` (or a function's name), Prisma `$transaction(async tx => …)`
# and `$transaction([…])`, mongoose/mongodb `session.withTransaction(…)`
_MANAGED_TRANSACTION = re.compile(
    rb"\.\$?transaction\s*\(\s*(?:(?:['\"][^'\"\n]*['\"]|\{[^{}]*\}|[\w$.]+)\s*,\s*)?(?:async\s*)?"
    rb"(?:function\b|\(\s*[\w$]*\s*(?::\s*[\w$.<>\[\]]+\s*)?\)\s*(?::[^=]*)?=>|[\w$]+\s*=>|"
    # a callback passed by name (better-sqlite3's `db.transaction(fn)()`, `knex.transaction(handler)`, `sequelize.transaction(work)`,
    # `$transaction(fn, { timeout })`): not `undefined`, nor options (`transaction(options)`: Sequelize's unmanaged one)
    rb"(?!(?:undefined|null)\b)(?![\w$.]*(?i:opt|config|setting|isolation)[\w$]*\s*\))[\w$.]+\s*(?:\)|,\s*\{))|"
    rb"\.\$transaction\s*\(\s*\[|\.withTransaction\s*\(")
_ROLLBACK = re.compile(rb"['\"`]\s*ROLLBACK\b|\.rollback\s*\(|\babortTransaction\s*\(")
_SCHEMA_SQL = re.compile(rb"\bCREATE\s+TABLE\b", re.I)
# an ORM told to run or where to find migrations (TypeORM/MikroORM `migrations: [...]`, `migrationsRun: true`,
# Sequelize's umzug): not `synchronize: true`, which rewrites the schema on every start
_MIGRATIONS_CONFIG = re.compile(rb"\bmigrationsRun\s*:\s*true\b|\bmigrations\s*:\s*[\[{'\"`]|\bnew\s+Umzug\s*\(")
# what a file imports (to follow a route file's imports to the middleware and schemas it validates with;
# run on the bytes: every file holds its needles, and blanking the comments of every file costs more than a stray link)
# the module specifiers a file imports (`from 'x'`, `require('x')`, `import('x')`, `import 'x'`): found from
# the keyword, then matched after it (one regex with the four forms tried at every byte cost 4x as much)
_IMPORT_WORD = re.compile(rb"\b(from|require|import)\b")
_FROM_TAIL = re.compile(rb"\s*['\"]([^'\"\n]+)['\"]")
_CALL_TAIL = re.compile(rb"\s*\(\s*['\"]([^'\"\n]+)['\"]")


def imported_specifiers(data: bytes) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for word in _IMPORT_WORD.finditer(data):
        tail = (_FROM_TAIL if word.group(1) == b"from" else _CALL_TAIL).match(data, word.end())
        if tail is None and word.group(1) == b"import":  # `import 'x'`, alone on its line's start
            line_start = data.rfind(b"\n", 0, word.start()) + 1
            if not data[line_start:word.start()].strip():
                tail = _FROM_TAIL.match(data, word.end())
        if tail is not None:
            found[tail.group(1).decode("utf-8", "replace")] = None
    return tuple(found)
def _self_retries(code: bytes) -> list[int]:
    """Where a function schedules itself again from a `catch` (`setTimeout(connectWithRetry, 5000)` in
    `mongoose.connect(uri).catch(…)` of `connectWithRetry`): the `setTimeout`'s start. (A function that
    re-schedules itself without a `catch` on the way is a poller, no retry.)"""
    if b"catch" not in code:
        return []
    found = []
    for m in _SELF_RETRY.finditer(code):
        name = re.escape(m.group(1))
        declaration = None
        for declaration in re.compile(  # (the last declaration of the name before the call)
                rb"\bfunction\s*\*?\s*" + name + rb"\s*\(|(?<![\w$.])" + name +
                rb"\s*=\s*(?:async\s*)?(?:function\b|\([^()]*\)\s*(?::[^=;{]*)?=>|[\w$]+\s*=>)|"
                rb"^[ \t]*(?:(?:public|private|protected|static|async)\s+)*" + name + rb"\s*\([^()]*\)\s*(?::[^{;]*)?\{",
                re.M).finditer(code, 0, m.start()):
            pass
        if declaration is None:
            continue
        body = code[declaration.start():m.start()]
        # inside the function (more brackets opened than closed since its declaration), after a catch
        if body.count(b"{") + body.count(b"(") > body.count(b"}") + body.count(b")") and re.search(rb"\bcatch\b", body):
            found.append(m.start())
    return found


def _retried_imports(source_file: SourceFile, retries: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """The imported names a retry calls (`for (let attempt = 1; …) { await initDb() }`, `withRetry(() => db.connect())`,
    a self-scheduling function's body): (the retry's line, the module the name comes from)."""
    root = source_file.tree.root_node
    table = typescript.import_table(root)
    if not table:
        return ()
    found: dict[tuple[int, str], None] = {}
    for at, kind in retries:
        node = root.descendant_for_byte_range(at, at + 1)
        region = None
        if kind == "loop":
            region = typescript.enclosing(node, "for_statement", "while_statement", "do_statement")
            region = region.child_by_field_name("body") if region is not None else None
        elif kind == "call":
            region = typescript.enclosing(node, "call_expression")
            callee = region.child_by_field_name("function") if region is not None else None
            region = region.child_by_field_name("arguments") if callee is not None and \
                callee.start_byte <= at < callee.end_byte else None
        elif kind == "self":
            region = typescript.enclosing_function(node)
            while region is not None and region.parent is not None and region.parent.type == "arguments" and \
                    typescript.enclosing_function(region) is not None:  # (`.catch(() => …)`: the function around it)
                region = typescript.enclosing_function(region)
        if region is None:
            continue
        pending = [region]
        while pending:
            current = pending.pop()
            if current.type == "call_expression":
                callee = typescript.unwrap(current.child_by_field_name("function"))
                while callee is not None and callee.type == "member_expression":
                    callee = typescript.unwrap(callee.child_by_field_name("object"))
                if callee is not None and callee.type == "identifier" and (callee.text or b"").decode() in table:
                    found[(source_file.line_col(at)[0], table[(callee.text or b"").decode()].module)] = None
            pending += current.named_children
    return tuple(found)


_SYNCHRONIZE = re.compile(rb"\bsynchronize\s*:\s*true\b")
# `res.status(statusOf(err)).json(…)`, Fastify's `reply.code(500).header(…).send(…)`: calls
# before the sending one may hold calls of their own (one level of parentheses)
_STACK_IN_RESPONSE = re.compile(
    rb"\b(?:res|reply|response)\s*(?:\.\s*(?:status|code|type|header|headers|set)\s*\((?:[^()]|\([^()]*\))*\)\s*)*"
    rb"\.\s*(?:json|send)\s*\([^;]*?\.stack\b", re.S)
# Koa's `ctx.body = { error: err.message, stack: err.stack }`
_STACK_BODY = re.compile(rb"\bctx\s*(?:\.\s*response\s*)?\.\s*body\s*=(?!=)[^;]*?\.stack\b", re.S)
# a response given a variable (`res.status(500).json(body)`): followed to its declaration in the same function
_SENT_NAME = re.compile(
    rb"\b(?:res|reply|response)\s*(?:\.\s*(?:status|code|type|header|headers|set)\s*\((?:[^()]|\([^()]*\))*\)\s*)*"
    rb"\.\s*(?:json|send)\s*\(\s*([A-Za-z_$][\w$]*)\s*\)")
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "function_declaration", "method_definition",
                        "generator_function", "generator_function_declaration"})
_SENSITIVE = re.compile(rb"\b(?:logger|log|console|winston)\s*\.\s*(?:log|info|warn|error|debug|http|verbose|trace)\s*\((?:(?!\)\s*;)[^\n])*?\b(password|passwd|secret|token|apiKey|api_key|authorization|cookie)\b(?![\w-]*['\"]?\s*(?:expired|invalid|missing|required|not))", re.I)
_LOCAL_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?)?(?:localhost|127\.0\.0\.1)(?::\d+|:\$\{[^}]*\})?(?:[/?].*)?$")
# a request for /health (supertest's `request(app).get('/health')`, `fetch(`${url}/health`)`, Fastify's and
# Hapi's `inject({ url: '/health' })`, `axios.get(…)`), not a mere mention (`isPublic('/health')`)
# (/health itself, after an origin or a `${base}` at most: not `/api/x/health-report`; not a route a test
# registers: `app.get('/health', (req, res) => …)`)
_HEALTH_PATH = re.compile(rb"\b(?:get|head|fetch|got|request|inject|axios)\s*\([^;)]*?['\"`]"
                          rb"(?:[a-z]+://[^/'\"`\s]*|\$\{[^}'\"`]*\})?/health(?:[/?#][^'\"`\n]*)?['\"`]"
                          rb"(?!\s*,\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*(?::[^=]*)?=>|[\w$]+\s*=>))", re.S)
_SHUTDOWN_TEST = re.compile(rb"\bSIGTERM\b")
_CORS_CONFIG = re.compile(rb"\bcors\s*\(|\bcors\s*:\s*\{|['\"]@fastify/cors['\"]|\benableCors\s*\(")
_CORS_WILDCARD = re.compile(rb"\borigin\s*:\s*(?:['\"]\*['\"]|true\b)|\bcors\(\s*\)")
# the CORS origins read from the environment: `process.env.CORS_ORIGIN`, or a member of an object made from it
# (`env.CORS_ORIGIN` of `export const env = schema.parse(process.env)`, as cors-validation's new list reads it)
_CORS_ENV = re.compile(rb"\b[\w$]*(?:env|Env|ENV)\??\.(?:\w*CORS\w*|\w*ORIGINS?)\b")
_PRODUCTION = re.compile(rb"production|isProd|IS_PROD")
_CORS_WORD = re.compile(rb"cors|origin", re.I)
_INFRA = re.compile(rb"(?:from\s+|require\(\s*)['\"](pg|mysql2?|mongoose|mongodb|@prisma/client|typeorm|sequelize|knex|"
                    rb"@nestjs/(?:typeorm|mongoose|sequelize)|@mikro-orm|drizzle-orm|redis|ioredis|kafkajs|node-rdkafka|amqplib)(?:/[^'\"]*)?['\"]")
# Lower-case substrings one of which every match of a pattern contains: a file (comments
# included) holding none of them cannot match, so the pattern is not run on it.
_NEEDLES: dict[re.Pattern[bytes], tuple[bytes, ...]] = {
    _ENV_DOT: (b"process.env",), _ENV_DESTRUCTURE: (b"process.env",),
    _SIGNAL: (b"sigterm", b"sigint", b"unhandledrejection", b"uncaughtexception"),
    _REJECTION_HANDLERS: (b"rejectionhandlers", b"handlerejections"), _CONSOLE: (b"console",),
    _SHUTDOWN_LIBRARY: (b"terminus", b"close-with-grace", b"lightship", b"graceful-shutdown", b"exit-hook",
                        b"enableshutdownhooks"),
    _FILE_LOGGING: (b"transports.file", b"dailyrotatefile", b"daily-rotate-file", b"pino.destination(",
                    b"createwritestream(", b"rotating-file", b"pino-roll"),
    _JSON_FORMAT: (*(b"json(" + end for end in (b")", b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c")), b"bunyan"),
    _PINO: (b"pino",), _LEVEL_VALUE: (b"level",), _MANAGED_TRANSACTION: (b"transaction",),
    _LEVEL_ENV: (b"level",), _LEVEL_FIXED: (b"level",), _CREATES_LOGGER: (b"createlogger", b"pino", b"configure"),
    _RATE_LIMIT: (b"rate-limit", b"ratelimit", b"slow-down", b"throttler"),
    _OWN_RATE_LIMIT: (b"ratelimit", b"rate_limit", b"limiter", b"throttl"),
    _VALIDATION: (b"zod", b"joi", b"celebrate", b"validator", b"yup", b"ajv", b"typebox", b"superstruct", b"valibot",
                  b"feathersjs/schema"),
    _DB_CLIENT: (b"pool", b"client", b"sequelize", b"datasource", b"createconnection",
                 b"forroot", b"mikroorm.init", b"drizzle"),
    _POOL_SIZE: (b"max", b"connectionlimit", b"poolsize", b"connection_limit", b"pool"),
    _DB_TIMEOUT: (b"timeoutm", b"connecttimeout", b"connectiontimeout", b"connect_timeout", b"statement_timeout",
                  b"query_timeout", b"acquiretimeout", b"acquireconnectiontimeout"),
    _RETRY: (b"attempt", b"retr", b"reconnectstrategy"), _SELF_RETRY: (b"settimeout",), _BACKOFF: (b"**", b"pow(", b"<<", b"exponential", b"backoff"),
    _DEGRADED: (b"degraded",), _TRANSACTION: (b"begin", b"transaction", b"startsession"),
    _ROLLBACK: (b"rollback", b"aborttransaction"), _SCHEMA_SQL: (b"table",),
    _MIGRATIONS_CONFIG: (b"migrations", b"umzug"),
    envschema.VALIDATES_ENV: (b"process.env", b"cleanenv", b"createenv", b"envalid"), _SYNCHRONIZE: (b"synchronize",), _STACK_IN_RESPONSE: (b".stack",), _STACK_BODY: (b".stack",), _SENT_NAME: (b".stack",),
    _SENSITIVE: (b"password", b"passwd", b"secret", b"token", b"apikey", b"api_key", b"authorization", b"cookie"),
    _HEALTH_PATH: (b"/health",), _SHUTDOWN_TEST: (b"sigterm",), _CORS_CONFIG: (b"cors",), _CORS_WILDCARD: (b"origin", b"cors"),
    _INFRA: (b"pg", b"mysql", b"mongo", b"prisma", b"typeorm", b"sequelize", b"knex", b"redis", b"kafka", b"amqplib",
             b"mikro-orm", b"drizzle"),
}
# Needles tested on the code as it is (not lowered), one of which, or of the pattern's
# `_NEEDLES`, every match contains: `new Logger(` holds "logger", as every file that logs
# does, but "Logger" only where a logger may be made.
_CASED_NEEDLES: dict[re.Pattern[bytes], tuple[bytes, ...]] = {_CREATES_LOGGER: (b"Logger",)}
_ALL_NEEDLES = frozenset(needle for needles in _NEEDLES.values() for needle in needles)


def _active_power(data: bytes) -> bool:
    """Whether a `**` is there that _BACKOFF's `2 ** n` can match once the comments are
    blanked: one preceded by neither `*` nor `/`, or by the `*/` that ends a comment
    (`2 /* c */** n`). Any other `**` (`/**` opening a doc comment, `/*****` banners: most
    files have one) stays next to a character blanking leaves, or is blanked itself."""
    at = data.find(b"**")
    while at >= 0:
        if data[at - 1 : at] not in (b"*", b"/") or data[at - 2 : at] == b"*/":
            return True
        at = data.find(b"**", at + 1)
    return False


_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "all", "use", "route"})
_HANDLER_TYPES = frozenset({"arrow_function", "function_expression", "function", "identifier",
                            "member_expression", "call_expression"})
_SLASH_STRING = re.compile(rb"['\"`][/\\]")  # a string literal whose value may start with "/": a route
_COMMENT_START = re.compile(rb"//|/\*")


@dataclass(frozen=True)
class _Wants:
    """What of the tree `gather_code` needs for one file, decided from its bytes alone.
    Every gate is a necessary condition of the answer it guards, so a file none opens has
    the same facts without a parse (tested against the ungated gathering)."""

    comments: bool  # a pattern may match: blank the comments first (their ranges: from the bytes or the tree)
    calls: bool  # `.listen(`, a route (`app.get('/x', …)`), a `.query(…)`, an `.execute(…)`, a SIGTERM handler
    binaries: bool  # `req.url === '/x'`
    strings: bool  # a localhost string
    nest: bool = False  # a NestJS controller with a handler that takes a body (`@Post()`)


def _wants(data: bytes, present: set[bytes]) -> _Wants:
    slash = _SLASH_STRING.search(data) is not None
    return _Wants(
        # every pattern run on the code has needles (CORS_ENV's "process.env" and
        # CREATES_LOGGER's "logger"/"pino" among them): none held, nothing to blank for
        comments=bool(present) and (b"//" in data or b"/*" in data),
        calls=slash or b"listen" in data or b"query" in data or b"execute" in data or b"SIGTERM" in data
        or b"SIGINT" in data or b"unhandledRejection" in data or b"uncaughtException" in data  # (`signal_registrations`)
        or b".post(" in data or b".put(" in data or b".patch(" in data  # a write route whatever its path (`_write_routes`)
        or (b"use" in data and _USE_CALL.search(data) is not None),  # a mount with no path: `app.use(router)`
        binaries=slash and b"==" in data and (b"url" in data or b"pathname" in data or b":path" in data
                                              or b"HTTP2_HEADER_PATH" in data),  # (an http2 stream's path header)
        strings=b"localhost" in data or b"127.0.0.1" in data,
        nest=b"@Controller" in data and any(b"@" + name in data for name in _NEST_BODY_METHODS),
    )


_USE_CALL = re.compile(rb"\buse\s*(?:\(|['\"]\s*\]\s*\()")  # `.use(`, `['use'](`
# LoopBack 4 (`@loopback/rest`): controller routes are decorators (`@get('/todos/{id}', …)`, `@del(…)`,
# `@operation('get', '/x')`), served by a RestApplication's `app.start()`
_LOOPBACK_ROUTE = re.compile(rb"@(get|post|put|patch|del|operation)\s*\(\s*(?:['\"][a-zA-Z]+['\"]\s*,\s*)?['\"`](/[^'\"`\n]*)")
# an application class of @loopback/core (`class TodoApp extends BootMixin(…(RestApplication))`): its `start()`
# calls `setupShutdown()`, which traps the signals of the `shutdown` option (default ['SIGTERM']), and on one
# `await this.stop()` (its servers and lifecycle observers: RestServer closes its HTTP server), then removes its
# listener and re-raises the signal (@loopback/core 4's Application, dist/application.js `setupShutdown`)
_LOOPBACK_APP = re.compile(rb"\bclass\s+[\w$]+(?:\s*<[^>{]*>)?\s+extends\s+[^{]*?\b(RestApplication|Application)\b")
# Sails: `sails.lift(…)` (app.js of `sails new`; `sails lift` runs the same) starts its HTTP server and traps SIGTERM and
# SIGINT, which call `sails.lower()` (closes the HTTP server) then exit (sails 1.5 lib/app/private/initialize.js:60-61,
# lib/app/lower.js:143)
_SAILS_MODULE = re.compile(rb"(?:\brequire\(\s*|\bfrom\s*)['\"]sails['\"]")
_SAILS_LIFT = re.compile(rb"\.\s*lift\s*\(")
_SAILS_SIGTERM = ("SIGTERM (Sails: lift() traps SIGTERM and SIGINT and lowers the app, closing its HTTP server: "
                  "sails/lib/app/private/initialize.js, lib/app/lower.js)")
# Egg: `require('egg').startCluster(…)` (what egg-scripts/eggctl start runs) starts the cluster master, which traps
# SIGTERM, SIGINT and SIGQUIT and sends SIGTERM to its workers before it exits (egg-cluster 2 lib/master.js:157,
# @eggjs/cluster 3 dist/esm/master.js:148 `onSignal` -> `close()`); tegg's `@HTTPController` classes are its routes
_EGG_MODULE = re.compile(rb"(?:\brequire\(\s*|\bfrom\s*)['\"](?:egg|@eggjs/tegg)['\"]")
_EGG_CLUSTER = re.compile(rb"\bstartCluster\s*\(")
_EGG_CONTROLLER = re.compile(rb"@HTTPController\s*\(")
_EGG_SIGTERM = ("SIGTERM (Egg's cluster master traps it and stops its workers with SIGTERM before exiting: "
                "egg-cluster lib/master.js, @eggjs/cluster master.js)")
# Apollo Server (`@apollo/server` 4, `apollo-server*` 3): `new ApolloServer(…)` traps SIGINT and SIGTERM unless its
# `stopOnTerminationSignals` option is false (default true outside NODE_ENV=test): on one it awaits `server.stop()` (its
# plugins' serverWillStop: ApolloServerPluginDrainHttpServer, startStandaloneServer's own drain) then re-raises the signal
# (@apollo/server 4 dist/cjs/ApolloServer.js `stopOnTerminationSignals`); `startStandaloneServer(server, …)` listens
_APOLLO_MODULE = re.compile(rb"(?:\brequire\(\s*|\bfrom\s*)['\"](?:@apollo/server|apollo-server(?:-[\w-]+)?)(?:/[^'\"]*)?['\"]")
_APOLLO_SERVER = re.compile(rb"\bnew\s+ApolloServer\s*[(<]")
_APOLLO_UNTRAPPED = re.compile(rb"\bstopOnTerminationSignals\s*:(?!\s*true\b)")  # false, or a value fixer cannot read
_APOLLO_STANDALONE = re.compile(rb"\bstartStandaloneServer\s*\(")
_APOLLO_SIGTERM = ("SIGTERM (Apollo Server traps SIGTERM and SIGINT, awaits server.stop(), which drains the HTTP server "
                   "through ApolloServerPluginDrainHttpServer or startStandaloneServer, then re-raises the signal)")
_SIGNALS_WITHOUT_SIGTERM = re.compile(rb"\bshutdown\s*:\s*\{[^{}]*?\bsignals\s*:\s*(?!\[[^\]]*SIGTERM)")  # (or a variable: unknown)
# Moleculer: `new ServiceBroker(…)` registers process.on('SIGTERM'/'SIGINT'), which awaits broker.stop() (each service's
# stopped()) then exits, unless `skipProcessEventRegistration: true` (moleculer 0.14 src/service-broker.js:333-337)
_MOLECULER_MODULE = re.compile(rb"(?:\brequire\(\s*|\bfrom\s*)['\"]moleculer['\"]")
_MOLECULER_BROKER = re.compile(rb"\bnew\s+(?:[\w$]+\.)?ServiceBroker\s*[(<]")
_MOLECULER_UNTRAPPED = re.compile(rb"\bskipProcessEventRegistration\s*:\s*true\b")
_WS_MODULE = re.compile(rb"""['"]ws['"]""")  # a file that may import ws (`require('ws')`, `from "ws"`): its servers are read
_MOLECULER_SIGTERM = ("SIGTERM (Moleculer's ServiceBroker traps SIGTERM and SIGINT, awaits broker.stop(), which runs each "
                      "service's stopped(), then exits)")


def gather_code(source_file: SourceFile) -> CodeFacts:
    """What one TS/JS file says about the checklist (depends on its path and bytes only).
    The file is parsed only when its bytes say a question needs the tree (`_Wants`)."""
    data = source_file.data
    present = needles_in(data.lower(), source_file.words.lower(), _ALL_NEEDLES)  # each needle tested once per file
    if b"**" in present and not _active_power(data):
        present -= {b"**"}  # every `**` is part of a comment's marker (`/**`): not worth finding the comments
    wants = _wants(data, present)
    nodes: dict[str, list[Any]] = {}
    if wants.calls or wants.binaries or wants.strings:
        query = " ".join(part for wanted, part in ((wants.calls, "(call_expression) @call"),
                                                    (wants.binaries, "(binary_expression) @binary"),
                                                    (wants.strings, "(string) @string (template_string) @string"))
                         if wanted)
        nodes = typescript.captures(source_file.kind, query, source_file.tree.root_node)  # one C-level pass
        for found in nodes.values():
            found.sort(key=lambda node: (node.start_byte, -node.end_byte))  # document order, whatever the query
    calls = [call for node in nodes.get("call", []) if (call := typescript.member_call(node)) is not None]
    code = data
    if wants.comments:
        code = blank(data, _comments(source_file))
        lowered = code.lower()  # the patterns run on the code: a needle only in a comment (`/**`) runs none
        present = frozenset(needle for needle in present if needle in lowered)
    line = _line_of(source_file)

    # the patterns none of whose needles the code holds: a regex scan costs far more than a substring test
    ruled_out = {pattern for pattern, needles in _NEEDLES.items() if present.isdisjoint(needles)}
    ruled_out -= {pattern for pattern, cased in _CASED_NEEDLES.items() if any(needle in code for needle in cased)}

    def matches(pattern: re.Pattern[bytes]) -> Iterable[re.Match[bytes]]:
        return () if pattern in ruled_out else pattern.finditer(code)

    def lines(pattern: re.Pattern[bytes]) -> tuple[int, ...]:
        if pattern in ruled_out:
            return ()  # (most patterns in most files: nothing to collect)
        return tuple(sorted({line(m.start()) for m in pattern.finditer(code)}))

    def named(pattern: re.Pattern[bytes], group: int = 1) -> tuple[tuple[int, str], ...]:
        if pattern in ruled_out:
            return ()
        return tuple((line(m.start()), (m.group(group) or m.group(0)).decode("utf-8", "replace"))
                     for m in pattern.finditer(code))

    env_reads, env_writes = [], set()
    for m in matches(_ENV_DOT):  # (not `process.env.hasOwnProperty(i)`, a method; `process.env.X = …` sets X)
        name = (m.group(1) or m.group(2)).decode()
        after = _ENV_AFTER.match(code, m.end())
        if after.group("call"):
            continue
        line_end = code.find(b"\n", after.end())
        if after.group("set") and not re.search(rb"\bprocess\.env(?:\?\.|\.|\[\s*['\"])" + re.escape(name.encode()) + rb"\b",
                                                code[after.end():line_end if line_end >= 0 else len(code)]):
            env_writes.add(name)  # (`process.env.X = process.env.X || 'a'` reads X too: a default for it)
            continue
        env_reads.append((name, *source_file.line_col(m.start())))
    for m in matches(_ENV_DESTRUCTURE):
        for part in m.group(1).decode("utf-8", "replace").split(","):
            name = re.match(r"\s*(?:\.\.\.)?([A-Za-z_][A-Za-z0-9_]*)", part)
            if name and not part.strip().startswith("..."):
                env_reads.append((name.group(1), *source_file.line_col(m.start())))
    validates_env = lines(envschema.VALIDATES_ENV)
    schema_imports: tuple[tuple[str, str, int], ...] = ()
    schema_unknown: tuple[int, ...] = ()
    if validates_env:  # the keys of a schema validated against process.env are variables the code reads
        schema_reads, schema_imports, schema_unknown = _env_schema_reads(source_file)
        env_reads += schema_reads
    if b"env-var" in data or b"convict" in data:  # (env-var's `env.get('X')`, convict's `env: 'X'`)
        env_reads += _config_library_reads(source_file)
    signals = [(link.group(1).decode(), line(m.start())) for m in matches(_SIGNAL)  # (each signal of a chain: at its start,
               for link in _SIGNAL_LINK.finditer(m.group(0))]                       # as the tree's call is)
    signals += [("rejectionHandlers", line(m.start())) for m in matches(_REJECTION_HANDLERS)]
    for m in matches(_SHUTDOWN_LIBRARY):  # (a library's handler: it drains what it is given)
        signals += [("SIGTERM", line(m.start()))] + (
            [("unhandledRejection", line(m.start()))] if m.group("library") == b"close-with-grace" else [])
    sigterm = _sigterm_handlers(calls)
    signals += [("SIGTERM", line(at)) for at, _ in sigterm if ("SIGTERM", line(at)) not in signals]
    # the other events a loop over their names registers too (kafkajs's `errorTypes.forEach(type => process.on(type, …))`)
    signals += list(dict.fromkeys((signal, line(call.call.start_byte)) for signal, call in typescript.signal_registrations(calls)
                                  if signal in _LISTENED and (signal, line(call.call.start_byte)) not in signals))
    if any(signal in SHUTDOWN_SIGNALS for signal, _ in signals):  # (a hook that re-sends the signal is no handler)
        passing = {line(call.call.start_byte) for signal, call in typescript.signal_registrations(calls)
                   if signal in SHUTDOWN_SIGNALS and passes_on(call, source_file.tree.root_node)}
        signals = [(signal, at) for signal, at in signals if signal not in SHUTDOWN_SIGNALS or at not in passing]
    built, dynamic, constant = _sql_calls(source_file, calls)
    cors_validated = ()
    if (b"env" in code or b"Env" in code or b"ENV" in code) and _CORS_ENV.search(code) and _PRODUCTION.search(code):
        cors_validated = _cors_checks(source_file)
    winston = _winston_loggers(source_file, code)
    file_logging = tuple(sorted([(line(m.start()), _sink_label(source_file, m)) for m in matches(_FILE_LOGGING)
                                 if not _development_only_at(source_file, m.start(), m.end())]
                                + list(_bunyan_file_streams(source_file)) + list(_log4js_file_appenders(source_file))))
    json_format = set(lines(_JSON_FORMAT)) | set(winston.default_format)
    json_unknown, json_text = _pino_output(source_file, code, lines(_PINO), file_logging)
    if lines(_PINO) and not json_unknown and not json_text:
        json_format |= set(lines(_PINO))
    level_env = set(lines(_LEVEL_ENV))
    level_unknown = []
    level_imported: list[tuple[int, str, str]] = []
    for m in matches(_LEVEL_VALUE):
        origin, why = _value_origin(code, m.group("root").decode(), m.group("rest").decode("utf-8", "replace"))
        if origin is None and "parameter" in why and _in_a_format(source_file, m.start()):
            continue  # `printf((info) => … { level: info.level } …)`: a log entry's level, no logger's option
        if origin == "env":
            level_env.add(line(m.start()))
        elif origin is None:
            level_unknown.append((line(m.start()), f"level: `{(m.group('root') + m.group('rest')).decode('utf-8', 'replace').strip()}`; {why}"))
            imported = _IMPORTED_WHY.match(why)
            key = _level_key((m.group("root") + m.group("rest")).decode("utf-8", "replace"))
            if imported is not None and key is not None:  # (the audit follows it: `_level_from_module`)
                level_imported.append((line(m.start()), imported.group(1), key))
    logger_created = set(lines(_CREATES_LOGGER))
    logger_imported: tuple[tuple[int, str], ...] = ()
    if logger_created and _NEW_LOGGER.search(code):  # `new Logger(…)`: a library's logger, or the project's own class
        not_made, logger_imported = _new_logger_origins(source_file, code)
        logger_created -= not_made
    if (b"ogger" in code or b"class Log" in code or b"class log" in code) and _LOGGER_CLASS.search(code):
        # the project's own logger class (`class Logger { info(m) { console.log(m) } }`), judged by what it prints
        json_text = list(json_text)
        for at, prints_json, why, reads_env in _console_logger_classes(source_file, code):
            logger_created.add(at)
            if prints_json:
                json_format.add(at)
            else:
                json_text.append((at, why))
            if reads_env:
                level_env.add(at)
        json_text = tuple(json_text)
    consola: _LibraryLoggers | None = None
    if b"tslog" in data or b"consola" in data or b"NestFactory" in data or (b"@nestjs/common" in data and b"Logger(" in data):
        others = consola = _library_loggers(source_file, code)
        logger_created = (logger_created - set(others.facades)) | set(others.created)
        json_format |= set(others.json)
        json_unknown += others.json_unknown
        level_env |= set(others.level_env)
        level_unknown += others.level_unknown
    factories = tuple((line(m.start()), m.group(0).decode("utf-8", "replace").rstrip("( ")) for m in
                      logger_mod.logger_creations(code) if not m.group(0).startswith((b"winston", b"pino")))
    framework_http, framework_sigterm = [], []
    if b"@loopback/" in data:
        framework_http += [(line(m.start()), f"LoopBack route {m.group(2).decode('utf-8', 'replace')}")
                           for m in _LOOPBACK_ROUTE.finditer(code)]
        for m in _LOOPBACK_APP.finditer(code):
            framework_sigterm.append((line(m.start()), "SIGTERM (LoopBack's Application: app.start() traps it, stops the app, "
                                                       "then re-raises it)"))
            if m.group(1) == b"RestApplication":
                framework_http.append((line(m.start()), "LoopBack RestApplication"))
    if b"lift" in code and _SAILS_MODULE.search(code):
        for m in _SAILS_LIFT.finditer(code):
            framework_http.append((line(m.start()), "Sails app lifted (.lift(): Sails' HTTP server and its config/routes.js)"))
            framework_sigterm.append((line(m.start()), _SAILS_SIGTERM))
    if b"egg" in code and _EGG_MODULE.search(code):
        for m in _EGG_CLUSTER.finditer(code):
            framework_http.append((line(m.start()), "Egg cluster started (startCluster: its workers serve HTTP)"))
            framework_sigterm.append((line(m.start()), _EGG_SIGTERM))
        framework_http += [(line(m.start()), "Egg HTTP controller (@HTTPController)") for m in _EGG_CONTROLLER.finditer(code)]
    if b"pollo" in code and _APOLLO_MODULE.search(code):
        if not _APOLLO_UNTRAPPED.search(code):
            framework_sigterm += [(line(m.start()), _APOLLO_SIGTERM) for m in _APOLLO_SERVER.finditer(code)]
        framework_http += [(line(m.start()), "Apollo standalone server (startStandaloneServer listens)")
                           for m in _APOLLO_STANDALONE.finditer(code)]
    if b"ServiceBroker" in code and _MOLECULER_MODULE.search(code) and not _MOLECULER_UNTRAPPED.search(code):
        framework_sigterm += [(line(m.start()), _MOLECULER_SIGTERM) for m in _MOLECULER_BROKER.finditer(code)]
    sigterm_unset = tuple(line(m.start()) for m in _SIGNALS_WITHOUT_SIGTERM.finditer(code)) if b"signals" in code else ()
    routes = _routes(source_file, calls, nodes.get("binary", [])) + (_nest_body_routes(source_file) if wants.nest else [])
    static_roots = _static_roots(source_file, calls) if b"static" in data else ()
    default_logger, default_transport = _default_logger(source_file, code)
    transport_json, transport_level_env, transport_level_unknown = _transport_options(
        source_file, code, level_env, level_unknown) if default_logger else ((), (), ())
    db_client_matches = list(matches(_DB_CLIENT))
    retries = [(m.start(), "loop" if m.group(1) or m.group(2) else "call" if code[m.end() - 1:m.end()] == b"(" else "")
               for m in matches(_RETRY)] + [(at, "self") for at in (_self_retries(code) if _SELF_RETRY not in ruled_out else ())]
    imported = imported_specifiers(data)
    db_client_starts = {m.start() for m in db_client_matches}
    ws_servers = tuple(sorted({(line(listener.call.start_byte), _ws_port(listener.call)) for listener in find_listeners(
        source_file, typescript.import_table(source_file.tree.root_node)) if listener.kind == "ws-port"})) \
        if b"Server" in data and _WS_MODULE.search(data) else ()
    return CodeFacts(
        env_reads=tuple(env_reads),
        env_writes=tuple(sorted(env_writes)),
        routes=tuple(route for route, _ in routes),
        write_routes=tuple(_write_routes(source_file, calls, {(route[2], route[3]) for route, _ in routes
                                                               if route[0] in _WRITE_METHODS})
                           + _convention_write_routes(source_file, code, line)),
        route_receivers=tuple(receiver for _, receiver in routes),
        default_logger=default_logger,
        default_transport=default_transport,
        transport_json=transport_json,
        transport_level_env=transport_level_env,
        transport_level_unknown=transport_level_unknown,
        static_roots=static_roots,
        ws_servers=ws_servers,
        consola_default=consola.default_uses if consola is not None else (),
        consola_reporters=consola.default_reporters if consola is not None else (),
        consola_level=consola.default_level if consola is not None else (),
        logger_imported=logger_imported,
        listens=tuple(sorted({line(call.call.start_byte) for call in calls if call.method == "listen"})),
        signals=tuple(signals),
        exiting_signal_handlers=tuple(sorted({line(at) for at, exits in sigterm if exits})),
        console=lines(_CONSOLE),
        file_logging=file_logging,
        json_format=tuple(sorted(json_format)),
        json_unknown=json_unknown,
        json_text=json_text,
        level_env=tuple(sorted(level_env)),
        level_unknown=tuple(level_unknown),
        level_imported=tuple(level_imported),
        level_fixed=named(_LEVEL_FIXED),
        logger_created=tuple(sorted(logger_created)),
        logger_no_transport=winston.no_transport,
        rate_limit=named(_RATE_LIMIT),
        own_rate_limit=named(_OWN_RATE_LIMIT),
        validation=named(_VALIDATION) + tuple(_route_schemas(source_file, calls)),
        db_clients=tuple(sorted([(line(m.start()), (m.group(1) or m.group(2)).decode()) for m in db_client_matches
                                 if (m.group(1) or m.group(2)) not in _DB_FACTORY_NAMES or b"." in m.group(0)
                                 or _DB_MODULE.search(code)]  # (`new pg.Pool(…)` names its module)
                                + [(line(at), "knex") for at in (_knex_clients(code) if b"knex" in present else ())]  # (_INFRA's needle)
                                + [(line(at), name) for at, name in (_named_connects(code) if any(
                                    n in code for n in _NAMED_CONNECT_BYTES) and any(q in code for q in _QUOTED_DATABASES) else ()) if at not in db_client_starts])),
        pool_size=lines(_POOL_SIZE),
        db_timeout=lines(_DB_TIMEOUT),
        retry=tuple(sorted({line(at) for at, _ in retries})),
        retried_imports=_retried_imports(source_file, retries) if retries and imported else (),
        backoff=lines(_BACKOFF),
        degraded=lines(_DEGRADED),
        transactions=lines(_TRANSACTION),
        rollbacks=lines(_ROLLBACK),
        managed_transactions=tuple(sorted(set(lines(_MANAGED_TRANSACTION)) | (  # `session.withTransaction(…)` aborts too
            {line(m.start()) for m in re.finditer(rb"\bstartSession\s*\(", code)} if b"withTransaction" in code else set()))),
        sql_built=built,
        sql_dynamic=dynamic,
        sql_constant=constant,
        localhost=tuple(_localhost_assumptions(source_file, nodes.get("string", []))),
        stack_in_response=tuple(sorted({line(at) for at in _stack_responses(source_file, code, matches)})),
        sensitive_logs=named(_SENSITIVE),
        schema_sql=lines(_SCHEMA_SQL),
        migrations_config=lines(_MIGRATIONS_CONFIG),
        synchronize=lines(_SYNCHRONIZE),
        imported=imported,
        validates_env=validates_env,
        env_schema_imports=schema_imports,
        env_schema_unknown=schema_unknown,
        framework_http=tuple(framework_http),
        framework_sigterm=tuple(framework_sigterm),
        sigterm_unset=sigterm_unset,
        mentions_health=lines(_HEALTH_PATH),
        mentions_shutdown=lines(_SHUTDOWN_TEST),
        cors_config=lines(_CORS_CONFIG),
        cors_wildcard=tuple(sorted({line(m.start()) for m in matches(_CORS_WILDCARD)
                                    if not _origin_decided(source_file, m)})),
        cors_validated=cors_validated,
        infra=named(_INFRA),
        logger_factories=factories,
    )


def _env_schema_reads(source_file: SourceFile) -> tuple[list[tuple[str, int, int]], tuple[tuple[str, str, int], ...], tuple[int, ...]]:
    """The variables the file reads through schemas it validates process.env with (each key,
    where it is written), the imported schemas whose keys the audit resolves (module, name,
    line of the validation), and the lines of validations whose keys fixer cannot know."""
    root = source_file.tree.root_node
    imports = typescript.import_table(root)
    reads, imported, unknown = [], [], []
    for call, schemas in envschema.validated_env_schemas(root, source_file.kind):
        found = envschema.SchemaKeys()
        for schema in schemas:
            envschema.schema_keys(schema, found, imports)
        line = source_file.line_col(call.start_byte)[0]
        reads += [(name, *source_file.line_col(node.start_byte)) for name, node in found.keys]
        imported += [(module, name, line) for module, name in found.imported]
        if found.unknown or not schemas:
            unknown.append(line)
    return reads, tuple(dict.fromkeys(imported)), tuple(sorted(set(unknown)))


@dataclass(frozen=True)
class _LibraryLoggers:
    facades: tuple[int, ...] = ()  # `new Logger('Ctx')` from @nestjs/common: a handle on the app's logger, no logger made
    created: tuple[int, ...] = ()  # tslog's `new Logger(…)`, consola's `createConsola(…)`, a Nest app (`NestFactory.create`)
    json: tuple[int, ...] = ()
    json_unknown: tuple[tuple[int, str], ...] = ()
    level_env: tuple[int, ...] = ()
    level_unknown: tuple[tuple[int, str], ...] = ()
    default_uses: tuple[int, ...] = ()  # consola's default instance: its first use (CodeFacts.consola_default)
    default_reporters: tuple[tuple[int, str], ...] = ()  # CodeFacts.consola_reporters
    default_level: tuple[tuple[int, str], ...] = ()  # CodeFacts.consola_level


_NEST_FACTORIES = frozenset({"create", "createMicroservice", "createApplicationContext"})


def _library_loggers(source_file: SourceFile, code: bytes) -> _LibraryLoggers:
    """The loggers of tslog, consola and Nest, as their READMEs make them, and what they print in production.
    tslog's `new Logger({ type })`: JSON when the type production gets is 'json' (its default, 'pretty', is text);
    consola's `createConsola(…)`: text (its fancy or basic reporter) unless reporters of its own say otherwise, its
    level from CONSOLA_LEVEL unless `level:` is given; Nest's `new Logger('Ctx')` makes no logger (it writes through
    the app's), the app (`NestFactory.create(…)`) does: its ConsoleLogger prints text unless `json: true`, a
    LoggerService of its own (`app.useLogger(app.get(JsonLogger))`, `logger: new MyLogger()`) decides itself."""
    root = source_file.tree.root_node
    imports = typescript.import_table(root)

    def named(module: str, *names: str) -> set[str]:
        return {local for local, imported in imports.items() if imported.module == module and imported.name in names}

    def at(node: Any) -> int:
        return source_file.line_col(node.start_byte)[0]

    nest_loggers, tslog_loggers = named("@nestjs/common", "Logger"), named("tslog", "Logger")
    consola_factories = named("consola", "createConsola") | {f"{n}.create" for n in named("consola", "consola", "default", "*")}
    consola_classes = named("consola", "Consola")
    nest_factories = {f"{n}.{method}" for n in named("@nestjs/core", "NestFactory") for method in _NEST_FACTORIES}
    found: dict[str, list[Any]] = {"facades": [], "created": [], "json": [], "json_unknown": [], "level_env": [],
                                   "level_unknown": []}
    for node in typescript.descendants(root, "new_expression", "call_expression"):
        callee = _node_text(node.child_by_field_name("constructor" if node.type == "new_expression" else "function"))
        arguments = node.child_by_field_name("arguments")
        args = typescript.list_items(arguments) if arguments is not None and arguments.type == "arguments" else []
        options = typescript.unwrap(args[0]) if args else None
        options = options if options is not None and options.type == "object" else None
        if node.type == "new_expression" and callee in nest_loggers:
            found["facades"].append(at(node))
        elif node.type == "new_expression" and callee in tslog_loggers:
            found["created"].append(at(node))
            kind, shown = _tslog_type(code, typescript.object_property(options, "type") if options is not None else None)
            if kind == "json":
                found["json"].append(at(node))
            elif kind is None:
                found["json_unknown"].append((at(node), f"tslog's `type: {shown}` is chosen at run time: 'json' prints "
                                                        "JSON, 'pretty' text"))
            elif kind == "hidden":
                found["json_unknown"].append((at(node), "tslog's `type: 'hidden'` prints nothing itself: its attached "
                                                        "transports decide what is written"))
            level = typescript.object_property(options, "minLevel") if options is not None else None
            if level is not None:
                _judge_level(code, level, at(level), found)
        elif (node.type == "call_expression" and callee in consola_factories) or (
                node.type == "new_expression" and callee in consola_classes):
            found["created"].append(at(node))
            reporters = typescript.object_property(options, "reporters") if options is not None else None
            if reporters is not None:
                if b"JSON.stringify" in (reporters.text or b"") or b"JSONReporter" in (reporters.text or b""):
                    found["json"].append(at(reporters))
                else:
                    found["json_unknown"].append((at(reporters), "consola writes through reporters of its own "
                                                                 "(`reporters:`): whether they print JSON is theirs"))
            if (options is None and not args) or (options is not None and typescript.object_pair(options, "level") is None
                                                  and not any(i.type == "spread_element" for i in typescript.list_items(options))):
                if node.type == "call_expression" and callee.endswith("createConsola"):
                    found["level_env"].append(at(node))  # (consola 3 reads CONSOLA_LEVEL)
        elif node.type == "call_expression" and callee in nest_factories:
            found["created"].append(at(node))
            given = typescript.unwrap(args[1]) if len(args) > 1 else None
            logger = typescript.object_property(given, "logger") if given is not None and given.type == "object" else None
            _judge_nest_logger(code, logger, at(logger) if logger is not None else at(node), imports, found)
        elif node.type == "call_expression" and callee.endswith(".useLogger") and nest_factories and args:
            _judge_nest_logger(code, args[0], at(node), imports, found)
    found.update(_consola_default(code, root, named("consola", "consola", "default"), at, _line_of(source_file)))
    return _LibraryLoggers(**{key: tuple(values) for key, values in found.items()})


_CONSOLA_REPORTERS = frozenset({"setReporters", "addReporter"})


def _consola_default(code: bytes, root: Any, instances: set[str], at: Callable[[Any], int],
                     source_line: Callable[[int], int]) -> dict[str, list[Any]]:
    """How a file uses consola's default instance (`import consola from 'consola'`, `const { consola } =
    require('consola')`), as consola 3's dist/index.mjs makes it: `createConsola()` with no options, so its level
    comes from CONSOLA_LEVEL (else info) and it prints through its FancyReporter (BasicReporter in CI and tests):
    text (`ℹ listening`, `[info] listening`), never JSON, whether stdout is a TTY or not (consola 2's global
    instance alike). A file may change that: `consola.setReporters(…)` (JSON when they write JSON.stringify or are
    consola 2's JSONReporter; `addReporter` keeps its text reporter beside it), `consola.options.reporters = …`,
    `consola.level = …`. `consola.create(…)` makes another instance (`_library_loggers`), no use of this one."""
    found: dict[str, list[Any]] = {"default_uses": [], "default_reporters": [], "default_level": []}
    uses = []
    for instance in instances:  # (a use: a call on it, `export default consola`, `const logger = consola.withTag('x')`)
        for reference in typescript.identifier_references(root, instance):
            holder = reference.parent
            if holder is None or (holder.type == "variable_declarator" and _same_node(holder.child_by_field_name("name"), reference)) \
                    or (holder.type == "member_expression" and _same_node(holder.child_by_field_name("object"), reference)
                        and _node_text(holder.child_by_field_name("property")) == "create"):
                continue
            while holder is not None and holder.type not in ("import_statement", "program"):
                holder = holder.parent
            if holder is None or holder.type != "import_statement":
                uses.append(reference.start_byte)
    if uses:
        found["default_uses"].append(source_line(min(uses)))
    for member in typescript.descendants(root, "member_expression") if uses else ():
        holder, name = member.child_by_field_name("object"), _node_text(member.child_by_field_name("property"))
        if holder is None or holder.type != "identifier" or _node_text(holder) not in instances or name == "create":
            continue
        parent = member.parent
        target = parent if name == "options" and parent is not None and parent.type == "member_expression" \
            and _node_text(parent.child_by_field_name("property")) == "reporters" else member
        assigned = target.parent if target.parent is not None and target.parent.type == "assignment_expression" \
            and _same_node(target.parent.child_by_field_name("left"), target) else None
        given = None
        if name in _CONSOLA_REPORTERS and parent is not None and parent.type == "call_expression":
            given = parent.child_by_field_name("arguments")
        elif target is not member and assigned is not None:
            given = assigned.child_by_field_name("right")
        if given is not None:
            text = given.text or b""
            if name != "addReporter" and (b"JSON.stringify" in text or b"JSONReporter" in text):
                found["default_reporters"].append((at(given), "json"))
            else:
                shown = typescript.one_line(_node_text(parent if name in _CONSOLA_REPORTERS else assigned), 50)
                found["default_reporters"].append((at(given), f"consola's default instance writes through reporters "
                                                               f"of its own (`{shown}`): whether they print JSON is theirs"
                                                   + (" (and it keeps its text reporter beside)" if name == "addReporter"
                                                      else "")))
        elif name == "level" and assigned is not None:
            levels: dict[str, list[Any]] = {"level_env": [], "level_unknown": []}
            _judge_level(code, assigned.child_by_field_name("right"), at(assigned), levels)
            found["default_level"].append((at(assigned), "env" if levels["level_env"] else
                                           levels["level_unknown"][0][1] if levels["level_unknown"] else "fixed"))
    return found


_NEW_LOGGER = re.compile(rb"\bnew\s+Logger\s*\(")  # (`_CREATES_LOGGER`'s bare `new Logger(`)
_LOGGING_LIBRARIES = frozenset({"winston", "bunyan"})  # what a `Logger` bound nowhere in the file may be of
_CLASS_TYPES = ("class_declaration", "abstract_class_declaration")


def _new_logger_origins(source_file: SourceFile, code: bytes) -> tuple[set[int], tuple[tuple[int, str], ...]]:
    """Which `new Logger(…)` of the file make no library's logger (their lines), and those of a `Logger` imported
    from a package (line, module: `gather` asks whether the repository holds that module). A `Logger` the file
    declares (`class Logger { info(m) { console.log(m) } }`) or imports from a relative module is the project's own
    class: judged where it is written (`_console_logger_classes`), or, when it makes a library's logger inside, by
    that creation. One bound nowhere in the file is a library's only when the file loads winston or bunyan."""
    root = source_file.tree.root_node
    imports = typescript.import_table(root)
    imported = imports.get("Logger")
    declared = any(_node_text(node.child_by_field_name("name")) == "Logger" for node in typescript.descendants(root, *_CLASS_TYPES))
    library = any(i.module in _LOGGING_LIBRARIES for i in imports.values())
    not_made, packages = set(), []
    for m in _NEW_LOGGER.finditer(code):
        line = source_file.line_col(m.start())[0]
        if declared or (imported is not None and imported.module.startswith((".", "/"))) or (imported is None and not library):
            not_made.add(line)
        elif imported is not None:
            packages.append((line, imported.module))
    return not_made, tuple(packages)


_LOGGER_CLASS = re.compile(rb"\bclass\s+(?:[\w$]*Logger|[Ll]og|logger)\b")
_WRITES = re.compile(r"^(?:console\s*\.\s*(?:log|info|warn|error|debug|trace)|console\s*\[.*\]|"
                     r"process\s*\.\s*(?:stdout|stderr)\s*\.\s*write)$", re.S)
_LEVEL_FROM_ENV = re.compile(rb"\bprocess\.env(?:\?\.|\.|\[\s*['\"])\w*level", re.I)


def _console_logger_classes(source_file: SourceFile, code: bytes) -> list[tuple[int, bool, str, bool]]:
    """The project's own logger classes that print themselves (a class named as console-to-logger names a local
    logger wrapper, `class Logger`, `class AppLogger`, whose methods call console.* or process.stdout.write): (line,
    whether every line it prints in production is JSON, what it prints instead, whether it reads its level from the
    environment). Writes under a condition false in production (`if (NODE_ENV !== 'production')`) are left out; a
    class that writes nothing itself delegates (to a library's logger made inside it, or one it is given), and is
    judged through that. Its level is the environment's when the class or its module reads a `…LEVEL` variable."""
    found = []
    reads_level = _LEVEL_FROM_ENV.search(code) is not None  # (in the class, or its module: `const LEVEL = …`)
    for node in typescript.descendants(source_file.tree.root_node, *_CLASS_TYPES):
        name, body = _node_text(node.child_by_field_name("name")), node.child_by_field_name("body")
        if not name or body is None or not WRAPPER.match(name):
            continue
        writes = [call for call in typescript.descendants(body, "call_expression")
                  if _WRITES.match(_node_text(call.child_by_field_name("function")))
                  and not _development_only_at(source_file, call.start_byte, call.end_byte)]
        if not writes:
            continue
        text = next((call for call in writes if not _prints_json(call)), None)
        why = "" if text is None else (f"class `{name}` prints text, not JSON: `{typescript.one_line(text.text, 60)}` "
                                       f"(line {source_file.line_col(text.start_byte)[0]})")
        found.append((source_file.line_col(node.start_byte)[0], text is None, why, reads_level))
    return found


def _prints_json(call: Any) -> bool:
    """A console/stdout write whose argument is one JSON document: `JSON.stringify(entry)`, with a newline after it
    (`JSON.stringify(entry) + '\\n'`, `` `${JSON.stringify(entry)}\\n` ``), or a variable so declared."""
    arguments = call.child_by_field_name("arguments")
    args = typescript.list_items(arguments) if arguments is not None and arguments.type == "arguments" else []
    return len(args) == 1 and _json_document(args[0], call)


def _json_document(node: Any, at: Any, followed: bool = False) -> bool:
    node = typescript.unwrap(node)
    if node is None:
        return False
    if node.type == "call_expression":
        return _node_text(node.child_by_field_name("function")) == "JSON.stringify"
    if node.type == "binary_expression":
        right = typescript.string_value(node.child_by_field_name("right"))
        return _node_text(node.child_by_field_name("operator")) == "+" and right is not None and not right.strip() \
            and _json_document(node.child_by_field_name("left"), at, followed)
    if node.type == "template_string":
        parts = [part for part in node.named_children if part.type != "escape_sequence"]
        inserted = [part for part in parts if part.type == "template_substitution"]
        return len(inserted) == 1 and all(not (part.text or b"").strip() for part in parts if part.type == "string_fragment") \
            and bool(inserted[0].named_children) and _json_document(inserted[0].named_children[0], at, followed)
    if node.type == "identifier" and not followed:
        declarator = typescript.declarator_in_scope(_node_text(node), at)
        return declarator is not None and _json_document(declarator.child_by_field_name("value"), at, True)
    return False


def _tslog_type(code: bytes, value: Any) -> tuple[str | None, str]:
    """The `type` a tslog logger gets in production ('json', 'pretty', 'hidden'; tslog's default: 'pretty'), with
    how it is written; None when it is chosen at run time."""
    value = typescript.unwrap(value)
    if value is None:
        return "pretty", ""
    shown = typescript.one_line(value.text, 50)
    if value.type == "ternary_expression":
        side = _production_side(code, _node_text(value.child_by_field_name("condition")))
        if side is None:
            return None, shown
        return _tslog_type(code, value.child_by_field_name("consequence" if side else "alternative"))[0], shown
    text = typescript.string_value(value)
    return (text if text in ("json", "pretty", "hidden") else None), shown


def _judge_level(code: bytes, value: Any, line: int, found: dict[str, list[Any]]) -> None:
    text = _node_text(value)
    m = re.match(r"\s*\(?\s*(?:Number|parseInt|Number\.parseInt)?\s*\(?\s*([A-Za-z_$][\w$]*)(.*)", text, re.S)
    origin, why = ("env", "") if "process.env" in text else \
        _value_origin(code, m.group(1), m.group(2)) if m is not None else ("fixed", "")
    if origin == "env":
        found["level_env"].append(line)
    elif origin is None:
        found["level_unknown"].append((line, f"level: `{typescript.one_line(text, 40)}`; {why}"))


def _judge_nest_logger(code: bytes, logger: Any, line: int, imports: dict[str, Any], found: dict[str, list[Any]]) -> None:
    """What a Nest app logs through: its ConsoleLogger (text; JSON with `new ConsoleLogger({ json: true })`), given
    levels (`logger: ['error', 'warn']`), or a LoggerService of its own (nestjs-pino's: JSON; another: its own)."""
    logger = typescript.unwrap(logger)
    if logger is None or logger.type in ("array", "false"):
        if logger is not None and b"process.env" in (logger.text or b""):
            found["level_env"].append(line)
        return  # Nest's ConsoleLogger: text
    text = logger.text or b""
    if re.search(rb"\bConsoleLogger\s*\(", text):
        if re.search(rb"\bjson\s*:\s*true\b", text):
            found["json"].append(line)
        if b"process.env" in text:
            found["level_env"].append(line)
        return
    pino = {local for local, imported in imports.items() if imported.module == "nestjs-pino"}
    if any(re.search(rb"(?<![\w$.])" + re.escape(name.encode()) + rb"\b", text) for name in pino):
        found["json"].append(line)  # nestjs-pino's Logger: pino, JSON
        found["level_unknown"].append((line, "Nest logs through nestjs-pino: its level is the one LoggerModule gives pino"))
        return
    shown = typescript.one_line(text, 40)
    found["json_unknown"].append((line, f"Nest logs through a LoggerService of its own (`{shown}`): whether it prints "
                                        "JSON is that class's"))
    found["level_unknown"].append((line, f"Nest logs through a LoggerService of its own (`{shown}`): its level is that "
                                         "class's"))


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _config_library_reads(source_file: SourceFile) -> list[tuple[str, int, int]]:
    """The variables a file reads through a configuration library, as its README shows: env-var's
    `env.get('REDIS_URL')` (also `import { get } from 'env-var'`, `env.from(process.env).get('X')` and a
    variable holding `env.from(…)`), and the `env: 'LOG_DIR'` of each convict schema property (an object with
    a `default`, which convict requires)."""
    root = source_file.tree.root_node
    imports = typescript.import_table(root)
    env_var = {name for name, imported in imports.items() if imported.module == "env-var" and imported.name in ("default", "*")}
    getters = {name for name, imported in imports.items() if imported.module == "env-var" and imported.name == "get"}
    found: list[tuple[str, int, int]] = []

    def from_env_var(node: Any) -> bool:  # `env`, `require('env-var')`, `env.from(process.env, …)`
        node = typescript.unwrap(node)
        if node is None:
            return False
        if node.type == "identifier":
            return _node_text(node) in env_var
        if typescript.required_module(node) == "env-var":
            return True
        call = typescript.member_call(node) if node.type == "call_expression" else None
        return call is not None and call.method == "from" and from_env_var(call.object)

    if env_var or getters or b"require" in source_file.data:
        for declarator in typescript.descendants(root, "variable_declarator"):
            name = declarator.child_by_field_name("name")
            if name is not None and name.type == "identifier" and from_env_var(declarator.child_by_field_name("value")) \
                    and typescript.unwrap(declarator.child_by_field_name("value")).type == "call_expression":  # type: ignore[union-attr]
                env_var.add(_node_text(name))
        for call in typescript.descendants(root, "call_expression"):
            callee = call.child_by_field_name("function")
            arguments = call.child_by_field_name("arguments")
            if callee is None or arguments is None or arguments.type != "arguments":
                continue
            if callee.type == "member_expression":
                if _node_text(callee.child_by_field_name("property")) != "get" or \
                        not from_env_var(callee.child_by_field_name("object")):
                    continue
            elif callee.type != "identifier" or _node_text(callee) not in getters:
                continue
            args = typescript.list_items(arguments)
            name = typescript.string_value(args[0]) if args else None
            if name is not None and _ENV_NAME.match(name):
                found.append((name, *source_file.line_col(args[0].start_byte)))
    if any(imported.module == "convict" for imported in imports.values()):
        for pair in typescript.descendants(root, "pair"):
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            name = typescript.string_value(value) if value is not None and value.type == "string" else None
            if key is None or typescript.key_name(key) != "env" or name is None or not _ENV_NAME.match(name) \
                    or pair.parent is None or typescript.object_pair(pair.parent, "default") is None:
                continue
            found.append((name, *source_file.line_col(value.start_byte)))  # type: ignore[union-attr]
    return found


@dataclass(frozen=True)
class _WinstonLoggers:
    no_transport: tuple[int, ...] = ()  # lines of `createLogger(…)` given no transport
    default_format: tuple[int, ...] = ()  # lines of `createLogger(…)` left with winston's default format: JSON


def _in_a_format(source_file: SourceFile, at: int) -> bool:
    """The code at `at` is inside a log format (`printf(…)`, `format(…)`, pino's `formatters`)."""
    node = source_file.tree.root_node.descendant_for_byte_range(at, at + 1)
    while node is not None:
        if node.type == "call_expression" and re.search(r"(?:printf|format|combine)$", _node_text(node.child_by_field_name("function"))):
            return True
        if node.type == "pair" and _pair_key(node) in ("formatters", "format"):
            return True
        node = node.parent
    return False


def _declared_value(code: bytes, name: str) -> str | None:
    """The text of the value `name` is declared with in this file (`const name = …`, to the end of
    the statement: its `;` or the end of a line outside brackets); None when it is declared so nowhere."""
    m = re.search(rb"\b(?:const|let|var)\s+" + re.escape(name.encode()) + rb"\s*(?::[^=\n]*)?=(?![=>])\s*", code)
    if m is None:
        return None
    depth, at = 0, m.end()
    while at < min(len(code), m.end() + 4000):
        char = code[at : at + 1]
        if char in b"([{":
            depth += 1
        elif char in b")]}":
            depth -= 1
            if depth < 0:
                break
        elif depth == 0 and char in b";\n" and code[m.end():at].strip():
            break
        at += 1
    return code[m.end():at].decode("utf-8", "replace")


_REQUIRED = re.compile(r"""\s*\(?\s*(?:await\s+)?(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)""")
_IMPORTED_WHY = re.compile(r"^`[^`]+` is imported from '([^']+)'$")  # (`_value_origin`'s reason for an imported value)


def _level_key(text: str) -> str | None:
    """The setting a level value reads, when it names one: `config.logLevel` -> logLevel, `config.get('log.level')`
    -> level, `logLevel`; None for anything else (a call, an expression)."""
    got = re.fullmatch(r"""\s*[\w$.]*\.get\(\s*['"]([\w$.]+)['"]\s*\)\s*""", text)
    if got is not None:
        return got.group(1).rsplit(".", 1)[-1]
    plain = re.fullmatch(r"\s*[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*\s*", text)
    return re.findall(r"[A-Za-z_$][\w$]*", text)[-1] if plain is not None else None


def _value_origin(code: bytes, root: str, rest: str = "", depth: int = 0) -> tuple[str | None, str]:
    """Where the value `root` + `rest` (`logLevel`, `env['LOG_LEVEL'] || 'info'`, `config.logLevel`)
    comes from, followed through the variables of this file: ("env", "") when it reads `process.env`
    (or an object built from it), ("fixed", "") for a choice made in the code (`isProd ? 'info' : …`),
    (None, why) when fixer cannot tell."""
    if "process.env" in rest or (root == "process" and rest.lstrip().startswith((".env", "?.env"))):
        return "env", ""
    if rest.lstrip().startswith("?") and not rest.lstrip().startswith(("?.", "??")):
        return "fixed", ""  # `level: isProd ? 'info' : 'debug'`: the code chooses
    if root in ("true", "false", "null", "undefined", "this") or root[0].isdigit() or re.match(
            r"\s*\.\s*(?i:info|debug|warn|warning|error|trace|fatal|verbose|silly|http)\b", rest):
        return "fixed", ""  # (`level: LogLevel.INFO`: a constant)
    value = _declared_value(code, root) if depth < 4 else None
    if value is not None:
        if "process.env" in value:
            return "env", ""
        required = _REQUIRED.match(value)
        if required is not None:  # `const config = require('./config')`: `require` is Node's, the module is named
            return None, f"`{root}` is imported from '{required.group(1)}'"
        inner = re.match(r"\s*\(?\s*(?:await\s+)?([A-Za-z_$][\w$]*)(.*)", value, re.S)
        if inner is None:
            return ("fixed", "") if value.lstrip()[:1] in ("'", '"', "`") else (None, f"`{root}` is {value.strip()[:40]}")
        return _value_origin(code, inner.group(1), inner.group(2), depth + 1)
    name = re.escape(root.encode())
    if re.search(rb"\{[^{}]*\b" + name + rb"\b[^{}]*\}\s*=\s*process\.env\b", code):
        return "env", ""
    if re.search(rb"(?<![\w$.])" + name + rb"\s*=>|\([^()]*(?<![\w$.])" + name + rb"\b(?!\s*[:=(])[^()]*\)\s*(?::[^=;{]*)?(?:=>|\{)", code):
        return None, f"`{root}` is a parameter: the caller chooses the level"
    imported = re.search(rb"\bimport\b[^;]*?\b" + name + rb"\b[^;]*?\bfrom\s*['\"]([^'\"]+)['\"]|\b" + name +
                         rb"\b[^=\n;]*=\s*require\(\s*['\"]([^'\"]+)['\"]", code)
    if imported is not None:
        module = (imported.group(1) or imported.group(2)).decode("utf-8", "replace")
        return None, f"`{root}` is imported from '{module}'"
    return None, f"fixer cannot see where `{root}` comes from"


_PROD_VALUES = frozenset({"production", "prod"})
_DEV_VALUES = frozenset({"development", "dev", "local", "test"})
_ENV_COMPARISON = re.compile(r"""^(?P<left>[\w$.\[\]'"?]+)\s*(?P<op>===?|!==?)\s*['"](?P<value>\w+)['"]$|"""
                             r"""^['"](?P<value2>\w+)['"]\s*(?P<op2>===?|!==?)\s*(?P<left2>[\w$.\[\]'"?]+)$""")


def _production_side(code: bytes, condition: str, depth: int = 0) -> bool | None:
    """True when `condition` holds in production (`NODE_ENV === 'production'`, `isProd`), False when it
    holds outside it (`NODE_ENV !== 'production'`, `isDev`); None when fixer cannot tell
    (`env.LOG_STYLE !== 'raw'`: a choice made at run time)."""
    text = condition.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if text.startswith("!") and not text.startswith("!="):
        inner = _production_side(code, text[1:], depth)
        return None if inner is None else not inner
    if "&&" in text or "||" in text or "??" in text or depth > 3:
        return None
    m = _ENV_COMPARISON.match(text)
    if m is not None:
        left, op, value = m.group("left") or m.group("left2"), m.group("op") or m.group("op2"), m.group("value") or m.group("value2")
        if "NODE_ENV" not in left or value not in _PROD_VALUES | _DEV_VALUES:
            return None
        return (value in _PROD_VALUES) == op.startswith("=")
    if re.fullmatch(r"[A-Za-z_$][\w$]*", text):
        value = _declared_value(code, text)
        if value is not None:
            return _production_side(code, value, depth + 1)
    last = text.rsplit(".", 1)[-1]
    if re.fullmatch(r"(?i)is_?prod(?:uction)?", last):
        return True
    if re.fullmatch(r"(?i)is_?(?:dev(?:elopment)?|local|test)", last):
        return False
    return None


_PRETTY_IMPORT = re.compile(rb"\bimport\s+([\w$]+)\s+from\s+['\"]pino-pretty['\"]|\bimport\s*\{([^{}]*)\}\s*from\s+['\"]pino-pretty['\"]|"
                            rb"\b([\w$]+)\s*=\s*require\(\s*['\"]pino-pretty['\"]\s*\)")


def _pretty_places(source_file: SourceFile, code: bytes) -> list[tuple[int, str]]:
    """Where pino prints text (a `pino-pretty` target or stream, `prettyPrint`): each with
    "production", "development" or "unknown", from the conditions around it."""
    names = set()
    for m in _PRETTY_IMPORT.finditer(code):
        if m.group(2) is not None:
            names |= {part.split(" as ")[-1].strip() for part in m.group(2).decode().split(",") if part.strip()}
        else:
            names.add((m.group(1) or m.group(3)).decode())
    found = []
    for node in typescript.descendants(source_file.tree.root_node, "string", "pair", "call_expression"):
        parent = node.parent
        if node.type == "string":
            hit = typescript.string_value(node) == "pino-pretty" and parent is not None and parent.type == "pair" \
                and _pair_key(parent) == "target"
        elif node.type == "pair":
            value = node.child_by_field_name("value")
            hit = _pair_key(node) == "prettyPrint" and value is not None and _node_text(value) != "false"
        else:
            hit = _node_text(node.child_by_field_name("function")) in names
        if hit:
            found.append((source_file.line_col(node.start_byte)[0], _where(code, node)))
    return found


def _where(code: bytes, node: Any) -> str:
    """"production", "development" or "unknown": the paths `node` runs on, by the `if`s, ternaries,
    `&&` and `||` around it that test the environment."""
    unknown = False
    child, parent = node, node.parent
    while parent is not None:
        condition, branch = None, None
        if parent.type in ("if_statement", "ternary_expression"):
            condition = parent.child_by_field_name("condition")
            if _same_node(child, parent.child_by_field_name("consequence")):
                branch = True
            elif child.type == "else_clause" or _same_node(child, parent.child_by_field_name("alternative")):
                branch = False
        elif parent.type == "binary_expression" and _same_node(child, parent.child_by_field_name("right")):
            operator = _node_text(parent.child_by_field_name("operator"))
            if operator in ("&&", "||", "??"):
                condition, branch = parent.child_by_field_name("left"), operator == "&&"
        elif parent.type in ("switch_case", "switch_default"):
            unknown = True
        if condition is not None and branch is not None:
            side = _production_side(code, _node_text(condition))
            if side is None:
                unknown = True
            elif side != branch:
                return "development"
        child, parent = parent, parent.parent
    return "unknown" if unknown else "production"


def _same_node(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a.id == b.id


def _pair_key(pair: Any) -> str:
    key = pair.child_by_field_name("key")
    if key is None:
        return ""
    return typescript.key_name(key) or ""


def _node_text(node: Any) -> str:
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _pino_output(source_file: SourceFile, code: bytes, pino: tuple[int, ...],
                 file_logging: tuple[tuple[int, str], ...]) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]]:
    """What a file creating a pino logger prints in production: (unknown, text). pino writes JSON,
    unless pino-pretty is on the production path (text), chosen at run time (unknown), or the
    logger writes to files here (unknown: stdout gets JSON only where a stdout target stays)."""
    if not pino:
        return (), ()
    places = _pretty_places(source_file, code) if b"pino-pretty" in code or b"prettyPrint" in code else []
    production = [line for line, where in places if where == "production"]
    if production:
        return (), ((production[0], "pino-pretty on the production path: it prints text, not JSON"),)
    unknown = [line for line, where in places if where == "unknown"]
    if unknown:
        return ((unknown[0], "pino-pretty or JSON chosen at run time: set the production environment so pino "
                 "prints JSON"),), ()
    if file_logging:
        return ((file_logging[0][0], f"pino writes to a file ({file_logging[0][1]}): JSON reaches stdout only "
                 "where a stdout target stays"),), ()
    return (), ()


_WINSTON_CHANGED = re.compile(rb"\.\s*(?:add|configure)\s*\(")  # transports added later: not followed
_FORMAT_ASSIGNED = re.compile(rb"\.\s*format\s*=(?!=)")  # `logger.format = …`


def _winston_loggers(source_file: SourceFile, code: bytes) -> _WinstonLoggers:
    """winston 3 loggers (`winston.createLogger(…)`, `createLogger(…)` from winston) whose
    options are in the call. With no `transports` (or `transports: []`) and nothing added in
    the file, one logs nowhere (winston prints "Attempt to write logs with no transports").
    With no `format` here at all, winston writes its default format: JSON. Read from the bytes
    (a logger module is parsed by the fixes' first pass: a parse here would be its second)."""
    if b"winston" not in code or (b"createLogger" not in code and b"configure" not in code):
        return _WinstonLoggers()
    changed = _WINSTON_CHANGED.search(code) is not None
    # a format given anywhere (the logger's, a transport's own: `format: simple()`, `{ format }`)
    format_set = _FORMAT_ASSIGNED.search(code) is not None or _FORMAT_KEY.search(_BINDINGS.sub(b"", code)) is not None
    no_transport, default_format = [], []
    for call in _CREATE_LOGGER.finditer(code):
        if b"bunyan" in (call.group("holder") or b"").lower() or (
                call.group("call") == b"configure" and call.group("holder") != b"winston"):
            continue  # (`winston.configure(…)` sets up the default logger as createLogger does a new one)
        options = _top_level_keys(code, call.end())
        if options is None:
            continue  # options built elsewhere (a variable, a spread): not followed
        line = source_file.line_col(call.start())[0]
        if not changed and options.get(b"transports", b"[]") == b"[]":
            no_transport.append(line)
        if not format_set:
            default_format.append(line)
    return _WinstonLoggers(tuple(no_transport), tuple(default_format))


_CREATE_LOGGER = re.compile(rb"(?:(?P<holder>[\w$]+)\s*\.\s*)?\b(?P<call>createLogger|configure)\s*\(")
_FORMAT_KEY = re.compile(rb"""(?:[{,]\s*|^\s*)(?:format|['"]format['"])\s*(?::|,|\})""", re.M)
_BINDINGS = re.compile(rb"\b(?:(?:const|let|var)\s*\{[^{}]*\}\s*=|import\s*(?:type\s+)?\{[^{}]*\}\s*from)")  # (names, no keys)


_DEFAULT_LOGGER = re.compile(rb"\bwinston\s*\.\s*(?:(?P<use>error|warn|info|http|verbose|debug|silly|log)|(?P<add>add)|"
                             rb"(?P<configure>configure))\s*\(|\bwinston\s*\.\s*level\s*=(?!=)")


def _default_logger(source_file: SourceFile, code: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """winston's default logger, used through the module itself (`winston.info(…)`): where it is
    used or changed, and where it is given a transport (`winston.add(…)`, `winston.configure({
    transports })`). Without one it writes nowhere ("Attempt to write logs with no transports");
    its format is JSON and its level 'info' until `winston.configure` or `winston.level =` say otherwise."""
    if b"winston" not in code:
        return (), ()
    used, transports = set(), set()
    for match in _DEFAULT_LOGGER.finditer(code):
        line = source_file.line_col(match.start())[0]
        used.add(line)
        if match.group("add"):
            transports.add(line)
        elif match.group("configure"):
            options = _top_level_keys(code, match.end())
            if options is None or options.get(b"transports", b"[]") != b"[]":
                transports.add(line)  # (options built elsewhere: taken as giving one)
    return tuple(sorted(used)), tuple(sorted(transports))


_TRANSPORT = re.compile(rb"\bwinston\s*\.\s*add\s*\(|\bnew\s+winston\s*\.\s*transports\s*\.\s*\w+\s*\(")
_JSON_OPTION = re.compile(rb"\bjson\s*:\s*(?:(true|false)\b|(?=[^\s,}]))")


def _transport_options(source_file: SourceFile, code: bytes, level_env: set[int], level_unknown: list[tuple[int, str]]
                       ) -> tuple[tuple[tuple[int, str], ...], tuple[int, ...], tuple[tuple[int, str], ...]]:
    """In the arguments of each `winston.add(…)` and `new winston.transports.X(…)`: the `json:` options
    (line, "true", "false" or "?" for an expression), the lines of a `level:` read from the environment
    (`level_env`), and those of one whose origin fixer cannot see (`level_unknown`: line, why)."""
    json, levels, unknown = set(), set(), set()
    for call in _TRANSPORT.finditer(code):
        end = next((offset for offset, _, depth in typescript.structure_tokens(code, call.end()) if depth < 0), None)
        if end is None:
            continue
        json |= {(source_file.line_col(m.start())[0], (m.group(1) or b"?").decode())
                 for m in _JSON_OPTION.finditer(code, call.end(), end)}
        first, last = source_file.line_col(call.start())[0], source_file.line_col(end)[0]
        levels |= {line for line in level_env if first <= line <= last}
        unknown |= {(line, why) for line, why in level_unknown if first <= line <= last}
    return tuple(sorted(json)), tuple(sorted(levels)), tuple(sorted(unknown))


def _top_level_keys(code: bytes, at: int) -> dict[bytes, bytes] | None:
    """The keys of the object literal that is the only argument of the call whose `(` ends at
    `at`, each with its value's text squeezed of spaces (`transports: [ ]` -> `[]`; a longer
    value: its first bytes; a shorthand `{ transports }`, a list built before: `?`); {} for no
    argument; None when the argument is no object literal or holds a spread (`{ ...base }`):
    what it holds is not known here."""
    index = at
    while index < len(code) and code[index] in b" \t\r\n":
        index += 1
    if index < len(code) and code[index] == ord(")"):
        return {}
    if index >= len(code) or code[index] != ord("{"):
        return None
    keys: dict[bytes, bytes] = {}
    item, colon = index + 1, None  # where the current entry starts, and its key's colon
    for offset, char, depth in typescript.structure_tokens(code, index + 1):
        if depth == 0 and char == ord(":") and colon is None:
            colon = offset
        elif (depth == 0 and char == ord(",")) or depth < 0:
            entry = code[item:offset].strip()
            if entry.startswith(b"..."):
                return None
            if colon is not None:
                keys[code[item:colon].strip().strip(b"'\"")] = re.sub(rb"\s+", b"", code[colon + 1 : offset])[:8]
            elif entry:
                keys[entry] = b"?"
            if depth < 0:
                return keys
            item, colon = offset + 1, None
    return None


def _development_only_at(source_file: SourceFile, start: int, end: int) -> bool:
    """The code at start..end runs outside production only (stdout-logging's rule: a file
    transport attached under `NODE_ENV !== 'production'`, after `if (!isDevLogOn()) return`)."""
    node = source_file.tree.root_node.descendant_for_byte_range(start, max(start, end - 1))
    return node is not None and development_only(source_file, node) is not None


def _sink_label(source_file: SourceFile, match: re.Match[bytes]) -> str:
    """What a file sink `_FILE_LOGGING` found writes to, for a person: a call the match opens
    (`createWriteStream(`, `pino.destination(`) with its first argument read from the tree as stdout-logging
    labels it (`createWriteStream(path.join(value, 'nodebb.log'), …)`), not the text
    where the regex stopped; any other match (`transports.File`, 'pino-roll') as it is."""
    text = match.group(0).decode("utf-8", "replace")
    if "(" not in text:
        return text
    name = text.split("(", 1)[0].strip()  # as the match spells it: `createWriteStream`, `pino.destination`
    node = source_file.tree.root_node.descendant_for_byte_range(match.start(), match.start() + 1)
    while node is not None and not (node.type == "call_expression" and (callee := node.child_by_field_name("function"))
                                    is not None and callee.start_byte <= match.start() < callee.end_byte):
        node = node.parent
    arguments = node.child_by_field_name("arguments") if node is not None else None
    args = typescript.list_items(arguments) if arguments is not None and arguments.type == "arguments" else []
    if not args:
        return f"{name}(…)"
    return f"{name}({sink_label(args[0])}{', …' if len(args) > 1 else ''})"


def _bunyan_file_streams(source_file: SourceFile) -> tuple[tuple[int, str], ...]:
    """bunyan streams written to a file: `streams: [{ path: 'x.log' }]`, `addStream({ path })`."""
    if b"bunyan" not in source_file.data or b"path" not in source_file.data:
        return ()
    found = []
    for pair in typescript.descendants(source_file.tree.root_node, "pair", "shorthand_property_identifier"):
        key = pair.child_by_field_name("key") if pair.type == "pair" else pair
        if key is None or typescript.key_name(key) != "path":
            continue
        stream = pair.parent  # the stream's object
        holder = stream.parent if stream is not None else None
        if holder is not None and holder.type == "array":
            streams = holder.parent
            named = streams.child_by_field_name("key") if streams is not None and streams.type == "pair" else None
            if named is None or named.text != b"streams":
                continue
        elif holder is None or holder.type != "arguments" or holder.parent is None or not (
                (holder.parent.child_by_field_name("function") or holder).text or b"").endswith(b"addStream"):
            continue
        found.append((source_file.line_col(pair.start_byte)[0], "bunyan stream to a file (path)"))
    return tuple(found)


_LOG4JS_FILE_APPENDERS = frozenset({"file", "dateFile", "fileSync", "multiFile"})


def _log4js_file_appenders(source_file: SourceFile) -> tuple[tuple[int, str], ...]:
    """log4js appenders written to files: `appenders: { app: { type: 'file', filename } }` (also
    `dateFile`, `fileSync`, `multiFile`); `stdout`, `stderr` and `console` appenders are stdout."""
    if b"log4js" not in source_file.data or b"type" not in source_file.data:
        return ()
    found = []
    for pair in typescript.descendants(source_file.tree.root_node, "pair"):
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        kind = typescript.string_value(value) if value is not None and value.type == "string" else None
        if key is None or typescript.key_name(key) != "type" or kind not in _LOG4JS_FILE_APPENDERS:
            continue
        appender = pair.parent.parent if pair.parent is not None else None  # `app: { type: 'file' }`
        appenders = appender.parent.parent if appender is not None and appender.type == "pair" \
            and appender.parent is not None else None
        named = appenders.child_by_field_name("key") if appenders is not None and appenders.type == "pair" else None
        if named is None or typescript.key_name(named) != "appenders":
            continue
        if not _development_only_at(source_file, pair.start_byte, pair.end_byte):
            found.append((source_file.line_col(pair.start_byte)[0], f"log4js {kind} appender (type: '{kind}')"))
    return tuple(found)


_REQUEST_ORIGIN = re.compile(rb"(?<!process\.env\.)\borigin\b", re.I)  # `origin`, `req.header('Origin')`: not `CORS_ORIGIN`


def _origin_decided(source_file: SourceFile, match: re.Match[bytes]) -> bool:
    """`origin: true` in a branch of a test on the request's origin (the cors README's
    `corsOptionsDelegate`: `if (allowlist.indexOf(req.header('Origin')) !== -1) { corsOptions =
    { origin: true } }`): it allows the origins that pass, not every origin."""
    if not match.group(0).rstrip().endswith(b"true"):
        return False
    node = source_file.tree.root_node.descendant_for_byte_range(match.start(), match.start() + 1)
    while node is not None and node.parent is not None:
        parent = node.parent
        if parent.type in ("if_statement", "ternary_expression"):
            condition = parent.child_by_field_name("condition")
            if condition is not None and condition != node and _REQUEST_ORIGIN.search(condition.text or b""):
                return True
        node = parent
    return False


def _cors_checks(source_file: SourceFile) -> tuple[int, ...]:
    """Lines of `if (production …) { … exit/throw }` about the CORS origins (the condition
    or the branch names them): production stops at start-up without them. An exit
    elsewhere after a production test (`if (production) log(…); if (!JWT) throw`) is not one."""
    found = set()
    for statement in typescript.descendants(source_file.tree.root_node, "if_statement"):
        condition = statement.child_by_field_name("condition")
        branch = statement.child_by_field_name("consequence")
        if condition is None or branch is None or not _PRODUCTION.search(condition.text or b"") \
                or _in_origin_callback(statement):
            continue
        if _STOPS.search(branch.text or b"") and _CORS_WORD.search(b"%s %s" % (condition.text, branch.text)):
            found.add(source_file.line_col(statement.start_byte)[0])
    return tuple(sorted(found))


def _in_origin_callback(node: Any) -> bool:
    """Inside the `origin` function of a CORS config (`origin(origin, callback) { … }`,
    `origin: (o, cb) => …`): it runs per request, so its throw rejects one request and
    stops no start-up."""
    while node is not None:
        if node.type in ("method_definition", "pair"):
            name = node.child_by_field_name("name" if node.type == "method_definition" else "key")
            if name is not None and (name.text == b"origin" or typescript.string_value(name) == "origin"):
                return True
        node = node.parent
    return False


def _line_of(source_file: SourceFile) -> Callable[[int], int]:
    return lambda offset: source_file.line_col(offset)[0]


def _comments(source_file: SourceFile) -> list[tuple[int, int]]:
    """Where the file's comments are: from its bytes when they tell for certain (no parse:
    `fixer.parsing.comments`), else from the parse, found from each `//` and `/*` (a descent
    per marker, not a walk of the tree: a marker inside a string, a regex or a comment is
    skipped)."""
    if "tree" not in source_file.__dict__:
        ranges = source_file.comment_ranges
        if ranges is not None:
            return ranges
    root = source_file.tree.root_node
    found: list[tuple[int, int]] = []
    end = 0
    for marker in _COMMENT_START.finditer(source_file.data):
        if marker.start() < end:
            continue  # inside the comment just found
        node = root.descendant_for_byte_range(marker.start(), marker.end())
        if node is not None and node.type == "comment" and node.start_byte == marker.start():
            found.append((node.start_byte, node.end_byte))
            end = node.end_byte
    return found


def _routes(source_file: SourceFile, calls: list[Any], binaries: list[Any]) -> list[tuple[tuple[str, str, int, int], str]]:
    """`app.get('/x', handler)` and its kin, with the method; `req.url === '/x'` as method "raw".
    Each with what it is registered on (`router`: `fixer.mounts` says where that answers; "" raw)."""
    found = []
    for call in calls:
        if call.method not in _ROUTE_METHODS or not call.args:
            continue
        first = call.args[0]
        if call.method == "route" and first.type == "object":  # Fastify .route({ method, url })
            node = typescript.object_property(first, "url") or typescript.object_property(first, "path")
            method = (typescript.string_value(typescript.object_property(first, "method")) or "route").lower()
            candidates = [node] if node is not None else []
        elif call.method == "route" or any(a.type in _HANDLER_TYPES for a in call.args[1:]):
            method = call.method
            candidates = list(first.named_children) if first.type == "array" else [first]
        else:
            continue
        for node in candidates:
            value = _path_value(node)
            if value is not None and value.startswith("/"):
                found.append(((method, value, *source_file.line_col(node.start_byte)), _receiver(call.object)))
    for node in binaries:
        operator = node.child_by_field_name("operator")
        if operator is None or operator.type not in ("===", "=="):
            continue
        sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
        for string, other in (sides, sides[::-1]):
            value = typescript.string_value(string)
            if value is not None and value.startswith("/") and is_request_url(typescript.unwrap(other)):
                found.append((("raw", value, *source_file.line_col(string.start_byte)), ""))
    return found


_WRITE_METHODS = frozenset({"post", "put", "patch"})
# what a write route is registered on: an app or a router by its name (`app`, `this.router`, `userRouter`, `routes`)
# or made in the file (`const api = express()`, `Router()`, `new Hono()`): not an HTTP client (`api.post(url, body)`)
_ROUTER_NAME = re.compile(r"(?i)(?:^|\.)(?:[\w$]*router[\w$]*|app|routes?)$")
_APP_FACTORY = rb"\s*(?::[^=;]+)?=\s*(?:await\s+)?(?:new\s+)?(?:express|Router|express\.Router|fastify|Fastify|polka|Koa|KoaRouter|Hono)\s*\("


def _write_routes(source_file: SourceFile, calls: list[Any], seen: set[tuple[int, int]]) -> list[tuple[str, str, int]]:
    """`.post/.put/.patch(path, …handler)` on an app or router whatever its path argument (`_routes` reads
    literal paths only), and `router.route(path).post(handler)`: (method, the path as written, line)."""
    found = []
    for call in calls:
        if call.method not in _WRITE_METHODS or not call.args:
            continue
        receiver = typescript.inner_parens(call.object)
        chained = typescript.member_call(receiver) if receiver.type == "call_expression" else None
        if chained is not None and chained.method == "route" and chained.args:
            path, handlers = chained.args[0], call.args
            receiver = typescript.inner_parens(chained.object)
        else:
            path, handlers = call.args[0], call.args[1:]
        if not any(a.type in _HANDLER_TYPES for a in handlers) or receiver.type not in ("identifier", "member_expression"):
            continue
        name = _receiver(receiver)
        if not _ROUTER_NAME.search(name) and (receiver.type != "identifier" or re.search(
                rb"\b(?:const|let|var)\s+" + re.escape(name.encode()) + _APP_FACTORY, source_file.data) is None):
            continue
        line = source_file.line_col(path.start_byte)[0]
        if not seen.intersection(source_file.line_col(node.start_byte) for node in [path, *path.named_children]):
            found.append((call.method, (path.text or b"").decode("utf-8", "replace")[:60], line))
    return found


# write routes a framework declares by convention: Sails' config/routes.js keys (`'POST /orders': 'OrderController.create'`),
# tegg's `@HTTPMethod({ method: HTTPMethodEnum.POST, path: 'x' })`
_SAILS_ROUTES_FILE = re.compile(r"(?:^|/)config/routes\.js$")
_SAILS_WRITE_ROUTE = re.compile(rb"['\"](POST|PUT|PATCH)\s+(/[^'\"\n]*)['\"]\s*:")
_TEGG_WRITE_ROUTE = re.compile(rb"@HTTPMethod\s*\(\s*\{[^{}]*?\bmethod\s*:\s*HTTPMethodEnum\.(POST|PUT|PATCH)\b(?:[^{}]*?\bpath\s*:\s*['\"`]([^'\"`\n]*))?")


def _convention_write_routes(source_file: SourceFile, code: bytes, line: Callable[[int], int]) -> list[tuple[str, str, int]]:
    found = []
    if _SAILS_ROUTES_FILE.search(source_file.path) and b"routes" in code:  # (its comments' examples are none)
        found += [(m.group(1).decode().lower(), m.group(2).decode("utf-8", "replace"), line(m.start()))
                  for m in _SAILS_WRITE_ROUTE.finditer(blank(source_file.data, _comments(source_file)))]
    if b"HTTPMethodEnum" in code:
        found += [(m.group(1).decode().lower(), (m.group(2) or b"").decode("utf-8", "replace") or "(its controller's path)",
                   line(m.start())) for m in _TEGG_WRITE_ROUTE.finditer(code)]
    if (b"@feathersjs" in code or b".service(" in code) and _USE_CALL.search(code):  # (Feathers, registering services)
        found += _feathers_write_routes(source_file)
    return found + _next_write_routes(source_file, line)


# Feathers: `app.use('messages', service)` registers a service, whose create/update/patch its REST transport serves
# as POST /messages, PUT and PATCH /messages/:id, with the request body as their data (Feathers 5 only the methods
# its `{ methods: [...] }` option lists); a service fixer cannot see (its class in another file, or extending one)
# may serve them: `_MAYBE_WRITE`
_FEATHERS_WRITES = {"create": "post", "update": "put", "patch": "patch"}
_MAYBE_WRITE = "post/put/patch"
# a database adapter's service (`new KnexService(…)`, `createService(options)` of feathers-nedb): every method
_FEATHERS_ADAPTER = re.compile(r"^(?:@feathersjs/(?:memory|knex|mongodb)|feathers-(?!hooks)[\w-]+)$")


def _feathers_write_routes(source_file: SourceFile) -> list[tuple[str, str, int]]:
    """`app.use(path, service)` with a service object (`{ async create(data) {…} }`) or a class instance
    (`new MessageService()`, `const service = new …`): its write methods as (method, path, line)."""
    root = source_file.tree.root_node
    classes = {typescript.node_text(c.child_by_field_name("name")): c
               for c in typescript.descendants(root, "class_declaration", "class")}
    imports = typescript.import_table(root)
    adapter = (lambda node: node is not None and node.type == "identifier" and typescript.node_text(node) in imports
               and _FEATHERS_ADAPTER.match(imports[typescript.node_text(node)].module) is not None)
    found = []
    for call in typescript.iter_member_calls(root):
        if call.method != "use" or len(call.args) < 2 or call.args[0].type not in ("string", "template_string",
                                                                                   "identifier", "member_expression"):
            continue
        service = typescript.inner_parens(call.args[1])
        if service.type == "identifier":  # `const messages = new MessageService(); app.use('messages', messages)`
            declarator = typescript.declarator_in_scope(typescript.node_text(service), call.call)
            value = declarator.child_by_field_name("value") if declarator is not None else None
            service = typescript.inner_parens(value) if value is not None else service
        methods: set[str] | None
        if service.type == "object":
            methods, what = _service_methods(service), "a service object"
        elif service.type == "new_expression" or service.type == "call_expression" and adapter(
                service.child_by_field_name("function")):
            made = service.child_by_field_name("constructor" if service.type == "new_expression" else "function")
            body = classes.get(typescript.node_text(made))
            heritage = next((c for c in body.children if c.type == "class_heritage"), None) if body is not None else None
            extended = next(typescript.descendants(heritage, "identifier"), None) if heritage is not None else None
            methods = _service_methods(body.child_by_field_name("body")) if body is not None else None
            if adapter(made) or adapter(extended):
                methods = set(_FEATHERS_WRITES)
            elif heritage is not None and methods is not None and not methods & set(_FEATHERS_WRITES):
                methods = None  # (inherited from a class fixer does not read)
            what = f"`{'' if service.type == 'call_expression' else 'new '}{typescript.node_text(made)}()`"
        else:
            continue  # a middleware (`express.static(…)`, a function, a router)
        options = call.args[2] if len(call.args) > 2 and call.args[2].type == "object" else None
        listed = typescript.object_property(options, "methods") if options is not None else None
        if listed is not None and listed.type == "array" and all(
                typescript.string_value(m) is not None for m in listed.named_children):
            exposed = {str(typescript.string_value(m)) for m in listed.named_children}
            methods = exposed & (methods if methods is not None else set(_FEATHERS_WRITES))
        text = typescript.node_text(call.args[0])
        path = "/" + (text[1:-1].lstrip("/") if call.args[0].type == "string" else text)
        line = source_file.line_col(call.call.start_byte)[0]
        if methods is None:
            found.append((_MAYBE_WRITE, f"{path} (a Feathers service, {what}, whose methods are not in this file)", line))
        else:
            found += [(_FEATHERS_WRITES[m], f"{path} (a Feathers service's {m}())", line)
                      for m in _FEATHERS_WRITES if m in methods]
    return found


def _service_methods(body: Any) -> set[str]:
    """The instance methods of a class body or an object (`create() {}`, `patch = async () => …`, `{ update }`)."""
    names = set()
    for member in body.named_children if body is not None else []:
        if member.type == "shorthand_property_identifier":
            names.add(typescript.node_text(member))
            continue
        if member.children and member.children[0].type == "static":
            continue
        name = member.child_by_field_name("name") or member.child_by_field_name("property") or \
            member.child_by_field_name("key")
        if name is not None and name.type in ("property_identifier", "identifier", "string"):
            names.add(typescript.string_value(name) if name.type == "string" else typescript.node_text(name))
    return names


# Next.js: an App Router route handler (app/**/route.ts) exporting POST/PUT/PATCH (`export async function POST`,
# `export const PUT = …`, `export { handler as POST }`); a Pages Router API route (pages/api/**) that takes one;
# server actions (a module starting with 'use server', or a function whose body starts with it), which the browser
# calls with a POST
_NEXT_HANDLER = re.compile(rb"\bexport\s+(?:async\s+)?function\s*\*?\s*(POST|PUT|PATCH)\b|"
                           rb"\bexport\s+(?:const|let|var)\s+(POST|PUT|PATCH)\b|\bas\s+(POST|PUT|PATCH)\s*[,}]")
_NEXT_API_METHOD = re.compile(rb"['\"](POST|PUT|PATCH)['\"]")
_USE_SERVER_MODULE = re.compile(rb"\s*(?:['\"]use (?:strict|client)['\"]\s*;?\s*)*['\"]use server['\"]")
_SERVER_ACTION = re.compile(rb"\bexport\s+(?:default\s+)?async\s+function\s+([\w$]+)|"
                            rb"\bexport\s+(?:const|let)\s+([\w$]+)\s*(?::[^=]*)?=\s*async\b")
_INLINE_ACTION = re.compile(rb"\{\s*['\"]use server['\"]")


def _next_write_routes(source_file: SourceFile, line: Callable[[int], int]) -> list[tuple[str, str, int]]:
    found: list[tuple[str, str, int]] = []
    code = source_file.data
    if "/app/" not in source_file.path and "/pages/" not in source_file.path and b"use server" not in code \
            and not source_file.path.startswith(("app/", "pages/")):
        return found  # (most files: no regex tried)
    parts = source_file.path.split("/")
    route = re.match(r"route\.[cm]?[jt]sx?$", parts[-1]) and "app" in parts[:-1]
    api = "pages" in parts[:-1] and re.search(r"\.[cm]?[jt]sx?$", parts[-1])
    if not (route or api or b"use server" in code):
        return found
    if b"//" in code or b"/*" in code:  # (whatever the file's other questions blanked: a commented-out handler is none)
        code = blank(code, _comments(source_file))
    if route and b"export" in code:
        at = len(parts) - 2 - parts[-2::-1].index("app")  # (the last app/ above it)
        served = next_path("/".join(parts[at + 1:]), "app")
        found += [((m.group(1) or m.group(2) or m.group(3)).decode().lower(), served, line(m.start()))
                  for m in _NEXT_HANDLER.finditer(code)] if served is not None else []
    elif api:
        at = len(parts) - 2 - parts[-2::-1].index("pages")
        if parts[at + 1:at + 2] == ["api"] and b"export" in code:
            served = next_path("/".join(parts[at + 1:]), "pages")
            found += [(m.group(1).decode().lower(), served, line(m.start())) for m in _NEXT_API_METHOD.finditer(code)][:1] \
                if served is not None else []
    if b"use server" in code:
        if _USE_SERVER_MODULE.match(code):
            found += [("post", f"{(m.group(1) or m.group(2)).decode('utf-8', 'replace')} (a server action)", line(m.start()))
                      for m in _SERVER_ACTION.finditer(code)]
        else:
            found += [("post", "(a server action)", line(m.start())) for m in _INLINE_ACTION.finditer(code)]
    return found


_STATIC_MODULES = frozenset({"serve-static", "koa-static", "koa-static-cache", "@koa/static"})


def _ws_port(node: Any) -> int | None:
    """The port of a ws `new WebSocketServer({ port: 8080 })` as the code writes it (`probes.written_port`: a number,
    a default, `{ port }` of a `const port = … || 8080`)."""
    arguments = node.child_by_field_name("arguments")
    items = typescript.list_items(arguments) if arguments is not None else []
    options = typescript.unwrap(items[0]) if items else None
    if options is None or options.type != "object":
        return None
    value = typescript.object_property(options, "port")
    if value is None:
        value = next((c for c in options.named_children if c.type == "shorthand_property_identifier" and c.text == b"port"), None)
    return written_port(value, node) if value is not None else None


def _static_roots(source_file: SourceFile, calls: list[Any]) -> tuple[tuple[int, str, str, str, str], ...]:
    """`.use([path,] express.static(dir))` (or serve-static's, koa-static's middleware): where, on what,
    under which mount path, and the directory (`_static_directory`)."""
    imports = None
    found = []
    for call in calls:
        if call.method != "use" or not call.args:
            continue
        mount, middleware = "", call.args[0]
        if len(call.args) >= 2 and call.args[0].type in ("string", "template_string"):
            mount, middleware = typescript.string_value(call.args[0]) or "?", call.args[1]
        middleware = typescript.inner_parens(middleware)
        if middleware.type != "call_expression":
            continue
        callee = middleware.child_by_field_name("function")
        arguments = middleware.child_by_field_name("arguments")
        if callee is None or arguments is None or not typescript.list_items(arguments):
            continue
        name = (callee.text or b"").decode("utf-8", "replace")
        if typescript.required_module(callee) not in _STATIC_MODULES:  # (`require('koa-static')(dir)`)
            if imports is None:
                imports = typescript.import_table(source_file.tree.root_node)
            owner = name.removesuffix(".static") if name.endswith(".static") else None  # express's own: `express.static(…)`
            if owner is not None and owner != "express" and (owner not in imports or imports[owner].module != "express"):
                continue  # (`this.static(…)`: someone else's)
            if owner is None and (callee.type != "identifier" or name not in imports or imports[name].module not in _STATIC_MODULES):
                continue
        base, directory = _static_directory(typescript.list_items(arguments)[0])
        found.append((source_file.line_col(call.call.start_byte)[0], _receiver(call.object), mount, base, directory))
    return tuple(found)


def _static_directory(node: Any) -> tuple[str, str]:
    """Where a static middleware's directory is: ("cwd", "public") for `'public'` or `path.join('public')`,
    ("file", "../public") for `path.join(__dirname, '../public')`, `` `${__dirname}/public` `` or `__dirname +
    '/public'`; ("", its text) when fixer cannot tell (a variable, an absolute path)."""
    node = typescript.inner_parens(node)
    text = (node.text or b"").decode("utf-8", "replace")
    unknown = ("", text[:60])
    if typescript.string_value(node) is not None:
        parts, joined = [typescript.string_value(node)], "cwd"
    elif node.type == "template_string":
        match = re.fullmatch(r"`\$\{\s*(__dirname|process\.cwd\(\))\s*\}([^`$]*)`", text)
        if match is None:
            return unknown
        parts, joined = [match.group(2)], "file" if match.group(1) == "__dirname" else "cwd"
    else:
        function = _node_text(node.child_by_field_name("function")) if node.type == "call_expression" else ""
        if re.fullmatch(r"(?:path\s*\.\s*)?(?:join|resolve)", function):
            pieces = typescript.list_items(node.child_by_field_name("arguments"))
        elif node.type == "binary_expression" and _node_text(node.child_by_field_name("operator")) == "+":
            pieces = [node.child_by_field_name("left"), node.child_by_field_name("right")]
        else:
            return unknown
        first = _node_text(typescript.inner_parens(pieces[0])) if pieces and pieces[0] is not None else ""
        joined = "file" if first == "__dirname" else "cwd"
        parts = [typescript.string_value(piece) if piece is not None else None
                 for piece in (pieces[1:] if first in ("__dirname", "process.cwd()") else pieces)]
        if any(part is None for part in parts) or (function.endswith("resolve") and any(p.startswith("/") for p in parts)):
            return unknown  # (a variable; `path.resolve('/srv/www')`: an absolute directory)
    if joined == "cwd" and parts and parts[0].startswith("/"):
        return unknown  # `express.static('/srv/www')`, `path.join('/srv', 'www')`: outside the repository
    relative = posixpath.normpath(posixpath.join(".", *[part.lstrip("/") for part in parts]))
    return joined, relative


def _receiver(node: Any) -> str:
    """What a route or mount is registered on, by name: `router`, `this.router`."""
    return (typescript.inner_parens(node).text or b"").decode("utf-8", "replace")


_NEST_BODY_METHODS = {b"Post": "post", b"Put": "put", b"Patch": "patch"}


def _nest_body_routes(source_file: SourceFile) -> list[tuple[tuple[str, str, int, int], str]]:
    """NestJS handlers that take a body: `@Post('orders')` in a `@Controller('api')` class.
    (Its GET routes are health-endpoints' `ROUTES` facts, which the health items read.)"""
    found = []
    for handler in typescript.nest_handlers(source_file.tree.root_node, _NEST_BODY_METHODS):
        parts = []
        for args in (handler.controller, handler.arguments):
            argument = args.named_children[0] if args.named_children else None
            if argument is not None and argument.type == "object":
                argument = typescript.object_property(argument, "path")
            value = typescript.string_value(argument) if argument is not None else ""
            parts.append("…" if value is None else value.strip("/"))
        line, col = source_file.line_col(handler.decorator.start_byte)
        found.append(((_NEST_BODY_METHODS[handler.method], "/" + "/".join(p for p in parts if p), line, col), ""))
    return found


_SQL_START = re.compile(rb"^[\s('\"`]*(?:SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE|CALL|CREATE|ALTER|DROP|TRUNCATE|MERGE)\b", re.I)




def _stack_responses(source_file: SourceFile, code: bytes,
                     matches: Callable[[re.Pattern[bytes]], Iterable[re.Match[bytes]]]) -> list[int]:
    """Where a response sends a stack trace outside a development-only branch: `res.json({ stack:
    err.stack })`, Koa's `ctx.body = { stack: err.stack }`, and `res.json(body)` after `const body =
    { stack: err.stack }` (or `body.stack = …`) in the same function, unless production removes it
    before the send (`if (NODE_ENV === 'production') delete body.stack`, `body.stack = undefined`).
    The `.stack` must be in the response's own expression: a match that runs on past it into the
    next statement (code without semicolons) is not one."""
    def at(end: int) -> Any:  # (the tree is parsed only for a file with a match)
        return source_file.tree.root_node.descendant_for_byte_range(end - 1, end)

    def guarded(end: int) -> bool:
        return _guarded_by_environment(source_file, at(end))

    def inside(end: int, start: int) -> bool:  # the `.stack` is in the call or assignment the match starts
        node = at(end)
        while node is not None and not (node.start_byte == start and node.type in ("call_expression", "assignment_expression")):
            node = node.parent
        return node is not None

    found = []
    for pattern in (_STACK_IN_RESPONSE, _STACK_BODY):
        m = next(iter(matches(pattern)), None)
        while m is not None:
            if inside(m.end(), m.start()) and not guarded(m.end()):
                found.append(m.start())
            m = pattern.search(code, m.start() + 1)  # (not m.end(): one that ran on may hide the next response)
    for m in matches(_SENT_NAME):
        sent = source_file.tree.root_node.descendant_for_byte_range(m.start(1), m.end(1))
        function = sent
        while function is not None and function.type not in _FUNCTIONS:
            function = function.parent
        if function is None or guarded(m.end()):
            continue
        name = m.group(1)
        made, removed = [], []
        for node in typescript.descendants(function, "variable_declarator", "assignment_expression", "unary_expression"):
            if node.start_byte >= m.start():
                continue
            if node.type == "variable_declarator":
                value = node.child_by_field_name("value")
                if getattr(node.child_by_field_name("name"), "text", None) == name and value is not None:
                    made += [value.start_byte + s.end() for s in re.finditer(rb"\.\s*stack\b", value.text or b"")]
            elif node.type == "assignment_expression":
                if _names_stack_of(node.child_by_field_name("left"), name):
                    right = typescript.inner_parens(node.child_by_field_name("right"))
                    if right.type in ("undefined", "null") or right.text in (b"undefined", b"null"):
                        removed.append(node)
                    else:
                        made.append(node.child_by_field_name("left").end_byte)
            elif getattr(node.child_by_field_name("operator"), "type", "") == "delete" \
                    and _names_stack_of(node.child_by_field_name("argument"), name):
                removed.append(node)
        removals = [r.start_byte for r in removed if _runs_in_production(r, sent)]
        if any(not guarded(end) and not any(end <= r for r in removals) for end in made):
            found.append(m.start())
    return found


def _names_stack_of(node: Any, name: bytes) -> bool:
    """`name.stack` or `name['stack']`."""
    node = typescript.inner_parens(node) if node is not None else None
    if node is None or node.type not in ("member_expression", "subscript_expression"):
        return False
    key = node.child_by_field_name("property") if node.type == "member_expression" else node.child_by_field_name("index")
    return getattr(node.child_by_field_name("object"), "text", None) == name and key is not None and (
        key.text == b"stack" if node.type == "member_expression" else typescript.string_value(key) == "stack")


def _runs_in_production(node: Any, later: Any) -> bool:
    """Whether `node` surely runs in production before `later` is reached: up to the statement
    they share, nothing but blocks and `if`s that test for production (in their consequence)
    or for development (in their alternative): not a loop, a nested function or any other
    condition (`if (error.code === 404) delete body.stack` leaves the stack of a 500)."""
    child, parent = node, node.parent
    while parent is not None and not (parent.start_byte <= later.start_byte and later.end_byte <= parent.end_byte):
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if child.id == getattr(condition, "id", None):
                return False
            wanted = PRODUCTION if child.id == getattr(parent.child_by_field_name("consequence"), "id", None) else DEVELOPMENT
            if _environment(condition) != wanted:
                return False
        elif parent.type not in ("statement_block", "expression_statement", "else_clause", "parenthesized_expression"):
            return False
        child, parent = parent, parent.parent
    return parent is not None and parent.type in ("statement_block", "program")


def _sigterm_handlers(calls: list[Any]) -> list[tuple[int, bool]]:
    """`process.on('SIGTERM', handler)` (`typescript.signal_registrations`: a loop over signal
    names too): where each is, and whether its handler only exits (drains nothing)."""
    return [(call.call.start_byte, _exits_only(call.args[1]))
            for signal, call in typescript.signal_registrations(calls) if signal == "SIGTERM"]


def _exits_only(handler: Any) -> bool:
    """`() => process.exit(0)`, or a body of exits and log lines only: the server is not
    closed, in-flight requests are cut off."""
    if handler.type not in ("arrow_function", "function_expression", "function"):
        return False  # a named handler (`shutdown`): what it does is elsewhere
    body = handler.child_by_field_name("body")
    statements = [body] if body is not None and body.type != "statement_block" else [
        child.named_children[0] if child.type == "expression_statement" and child.named_children else child
        for child in (body.named_children if body is not None else []) if child.type != "comment"]
    calls = [typescript.member_call(typescript.inner_parens(s)) for s in statements]
    if not calls or any(call is None for call in calls):
        return False
    exits = [c for c in calls if c.object.text == b"process" and c.method == "exit"]
    logs = [c for c in calls if c.object.text in (b"console", b"logger", b"log") and c.method in (
        "log", "info", "warn", "error", "debug")]
    return bool(exits) and len(exits) + len(logs) == len(calls)


def _path_value(node: Any) -> str | None:
    """A route's path: a string, or a constant naming one (`app.get(HEALTH_PATH, …)`)."""
    if node.type == "identifier":
        declarator = typescript.declarator_in_scope((node.text or b"").decode("utf-8", "replace"), node)
        node = declarator.child_by_field_name("value") if declarator is not None else None
        if node is None or node.parent.parent.type != "lexical_declaration" or node.parent.parent.children[0].type != "const":
            return None
    return typescript.string_value(node)


def _route_schemas(source_file: SourceFile, calls: list[Any]) -> list[tuple[int, str]]:
    """Routes validated by Fastify: `app.post('/x', { schema: { body: … } }, handler)`."""
    found = []
    for call in calls:
        if call.method not in ("post", "put", "patch", "route") or not call.args:
            continue
        for options in call.args[:2]:
            schema = typescript.object_property(options, "schema") if options.type == "object" else None
            if schema is not None and schema.type == "object" and any(
                    typescript.object_property(schema, part) is not None for part in ("body", "querystring", "params")):
                found.append((source_file.line_col(schema.start_byte)[0], "route schema"))
    return found


def _sql_calls(source_file: SourceFile, calls: list[Any]) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """`.query(sql, …)` calls (and mysql2's `.execute(sql, …)`): SQL built by concatenation
    or `${}` (injectable), SQL in a variable (cannot tell), constant SQL (parameterised or
    static). `execute` is a common name for other things: only SQL text makes it a query."""
    if b"query" not in source_file.data and b"execute" not in source_file.data:
        return (), (), 0
    built, dynamic, constant = set(), set(), 0
    for call in calls:
        if call.method not in ("query", "execute", "$queryRawUnsafe", "$executeRawUnsafe", "raw") or not call.args:
            continue
        first = typescript.inner_parens(call.args[0])
        if call.method == "execute" and not _SQL_START.match(first.text or b""):
            continue
        line = source_file.line_col(first.start_byte)[0]
        if call.method.endswith("Unsafe"):
            built.add(line)
        elif _constant_text(first):
            constant += 1
        elif first.type in ("template_string", "binary_expression"):
            built.add(line)
        elif first.type in ("identifier", "member_expression", "call_expression"):
            dynamic.add(line)
        elif first.type == "object":
            text = typescript.object_property(first, "text")
            if text is not None and _constant_text(text):
                constant += 1
            else:
                dynamic.add(line)
    return tuple(sorted(built)), tuple(sorted(dynamic)), constant


def _constant_text(node: Any) -> bool:
    """A string, a template without `${}`, or string literals joined by `+` (SQL split over lines)."""
    node = typescript.inner_parens(node)
    if node.type == "string":
        return True
    if node.type == "template_string":
        return not any(c.type == "template_substitution" for c in node.children)
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        return operator is not None and operator.type == "+" and all(
            side is not None and _constant_text(side)
            for side in (node.child_by_field_name("left"), node.child_by_field_name("right")))
    return False


def _localhost_assumptions(source_file: SourceFile, strings: list[Any]) -> list[tuple[int, int, str]]:
    """String literals naming localhost that production could end up using: a fallback
    for an unset variable (`process.env.X || 'localhost'`), or a URL/host not guarded by
    an environment check (`if (isDev)`, `NODE_ENV !== 'production' ? … : …`)."""
    found = []
    for node in strings:
        if b"localhost" not in (node.text or b"") and b"127.0.0.1" not in (node.text or b""):
            continue
        literal = typescript.string_literal(node)
        if literal is None:
            continue
        value = literal.value
        if value is None:
            value = (literal.node.text or b"").decode("utf-8", "replace")[1:-1]
        if not _LOCAL_URL.match(value.strip()):
            continue
        node = literal.node
        if _tests_for_localhost(node) or _guarded_by_environment(source_file, node) or _envalid_dev_value(source_file, node):
            continue
        line, col = source_file.line_col(node.start_byte)
        kind = "fallback when the variable is unset" if _is_env_fallback(node) else "hardcoded"
        shown = re.sub(r"(//[^:@/\s]*:)[^@/\s]+@", r"\1…@", value)  # never a password from a URL
        found.append((line, col, f"{shown} ({kind})"))
    return found


_ENVALID_DEV_KEYS = frozenset({"devDefault", "testDefault"})


def _envalid_dev_value(source_file: SourceFile, node: Any) -> bool:
    """An envalid validator's `devDefault` or `testDefault` (`url({ devDefault: 'postgres://…@localhost/db' })`):
    envalid uses it only when NODE_ENV is set and is not 'production' (or is 'test'); in production an unset
    variable makes `cleanEnv` fail at start-up, as a value with no default does."""
    if b"envalid" not in source_file.data:
        return False
    pair = typescript.outer_parens(node).parent
    if pair is not None and pair.type == "arguments" and pair.parent is not None \
            and _node_text(pair.parent.child_by_field_name("function")) == "testOnly":
        pair = typescript.outer_parens(pair.parent).parent  # `devDefault: testOnly('…')`
    key = pair.child_by_field_name("key") if pair is not None and pair.type == "pair" else None
    return key is not None and typescript.key_name(key) in _ENVALID_DEV_KEYS and typescript.imports_module(
        source_file.tree.root_node, _ENVALID_MODULE)


_ENVALID_MODULE = re.compile(r"^envalid$")
_COMPARISONS = frozenset({"===", "!==", "==", "!="})
_STRING_TESTS = frozenset({"includes", "startsWith", "endsWith", "indexOf", "match", "test"})


def _tests_for_localhost(node: Any) -> bool:
    """A literal a value is compared with (`url.hostname === 'localhost'`, `host.startsWith('127.0.0.1')`,
    `case 'localhost':`): a test for localhost, no host production would use."""
    holder = typescript.outer_parens(node).parent
    if holder is None:
        return False
    if holder.type == "binary_expression":
        operator = holder.child_by_field_name("operator")
        return operator is not None and operator.type in _COMPARISONS
    if holder.type == "switch_case":
        return holder.child_by_field_name("value") == typescript.outer_parens(node)
    if holder.type == "arguments" and holder.parent is not None:
        call = typescript.member_call(holder.parent)
        return call is not None and call.method in _STRING_TESTS
    return False


def _is_env_fallback(node: Any) -> bool:
    child, parent = node, node.parent
    while parent is not None and parent.type not in ("statement_block", "program"):
        if parent.type == "binary_expression":
            operator = parent.child_by_field_name("operator")
            left = parent.child_by_field_name("left")
            if operator is not None and operator.type in ("||", "??") and left is not None \
                    and left.id != child.id and b"process.env" in (left.text or b""):
                return True
        child, parent = parent, parent.parent
    return False


def _guarded_by_environment(source_file: SourceFile, node: Any) -> bool:
    """In code production never runs (`_outside_production`), or after a sibling
    `if (production) { exit/throw/return }` in the same block. Only an exit whose condition
    is production itself guards what follows: after `if (production && origins.length ===
    0) exit`, production goes on whenever origins are set."""
    if _outside_production(node):
        return True
    child, parent = node, node.parent
    while parent is not None:
        if parent.type in ("statement_block", "program"):
            sibling = child.prev_named_sibling
            while sibling is not None:
                if sibling.type == "if_statement" and _environment(sibling.child_by_field_name("condition")) == PRODUCTION \
                        and _leaves(sibling.child_by_field_name("consequence")):
                    return True
                sibling = sibling.prev_named_sibling
        child, parent = parent, parent.parent
    return False


def _leaves(branch: Any) -> bool:
    """Whether a branch never falls through to the statement after its `if`: one of its
    own statements returns, throws or calls `process.exit`. One in a nested function runs
    when that function is called, not here (`app.use((req, res) => { return … })`); one
    under a nested condition only sometimes. A `return` leaves the function the `if` is in;
    at the top of a module only CommonJS allows it, and there it ends the module (anywhere
    else the file does not load at all): either way what follows never runs."""
    if branch is None:
        return False
    for statement in branch.named_children if branch.type == "statement_block" else [branch]:
        if statement.type in ("return_statement", "throw_statement"):
            return True
        call = typescript.inner_parens(statement.named_children[0]) \
            if statement.type == "expression_statement" and statement.named_children else None
        if call is not None and call.type == "call_expression" \
                and getattr(call.child_by_field_name("function"), "text", b"") == b"process.exit":
            return True
    return False


_STOPS = re.compile(rb"\bprocess\.exit\(|\bthrow\b")  # the process (at start-up: the service) stops


def _outside_production(node: Any) -> bool:
    """In a branch production never takes: the `if`/ternary branch of a development test
    (`isDev ? err.stack : undefined`), the other branch of a production test, or after
    `isDev &&`."""
    child, parent = node, node.parent
    while parent is not None:
        condition = parent.child_by_field_name("condition") if parent.type in ("if_statement", "ternary_expression") else None
        if condition is not None and condition.id != child.id:
            # the consequence of a development test, the alternative of a production one
            in_consequence = child.id == getattr(parent.child_by_field_name("consequence"), "id", None)
            if _environment(condition) == (DEVELOPMENT if in_consequence else PRODUCTION):
                return True
        if parent.type == "binary_expression" and getattr(parent.child_by_field_name("operator"), "type", "") == "&&" \
                and child.id == getattr(parent.child_by_field_name("right"), "id", None) \
                and _environment(parent.child_by_field_name("left")) == DEVELOPMENT:
            return True
        child, parent = parent, parent.parent
    return False


PRODUCTION, DEVELOPMENT = "production", "development"
_ENVIRONMENT_FLAGS = {"isProd": PRODUCTION, "isProduction": PRODUCTION, "IS_PROD": PRODUCTION, "IS_PRODUCTION": PRODUCTION,
                      "isDev": DEVELOPMENT, "isDevelopment": DEVELOPMENT, "IS_DEV": DEVELOPMENT, "IS_DEVELOPMENT": DEVELOPMENT}
_PRODUCTION_NAMES = frozenset({"production", "prod"})
_NOT_PRODUCTION = frozenset({"development", "dev", "local", "test"})


def _environment(condition: Any) -> str | None:
    """Which environment a condition is exactly the test for: `NODE_ENV === 'production'`,
    `isDev`, `NODE_ENV !== 'production'` (development), `!isProd`; None for anything else
    (`production && origins.length === 0` holds in production only sometimes)."""
    if condition is None:
        return None
    condition = typescript.inner_parens(condition)
    if condition.type in ("identifier", "member_expression"):
        return _ENVIRONMENT_FLAGS.get((condition.text or b"").decode("utf-8", "replace").rsplit(".", 1)[-1])
    if condition.type == "unary_expression" and getattr(condition.child_by_field_name("operator"), "type", "") == "!":
        return {PRODUCTION: DEVELOPMENT, DEVELOPMENT: PRODUCTION}.get(_environment(condition.child_by_field_name("argument")))
    operator = condition.child_by_field_name("operator") if condition.type == "binary_expression" else None
    if operator is None or operator.type not in ("===", "==", "!==", "!="):
        return None
    values = [typescript.string_value(condition.child_by_field_name(side)) for side in ("left", "right")]
    said = PRODUCTION if _PRODUCTION_NAMES.intersection(values) else DEVELOPMENT if _NOT_PRODUCTION.intersection(values) else None
    if said is None or operator.type in ("===", "=="):
        return said
    return DEVELOPMENT if said == PRODUCTION else PRODUCTION


@dataclass(frozen=True)
class DockerFacts:
    stages: int
    final_from: tuple[int, str]
    user: tuple[int, str] | None  # the final stage's last USER
    healthcheck: tuple[int, bool] | None  # line, disabled (HEALTHCHECK NONE)
    copy_from: tuple[int, ...]
    build_tools: tuple[tuple[int, str], ...]
    dev_installs: tuple[tuple[int, str], ...]  # what leaves devDependencies in the image's node_modules (line, what)
    env_refs: tuple[str, ...]
    probe_missing: tuple[int, str, str] | None = None  # a HEALTHCHECK's tool the image lacks: line, tool, image


_INSTALL = dockerfile_parser.INSTALL  # (the image-tools rule is `dockerfile.tool_missing`, shared with healthcheck-loopback)
_UNINSTALL = re.compile(r"\b(?:apk\s+del|apt-get\s+(?:purge|remove)|apt\s+(?:purge|remove)|yum\s+remove|dnf\s+remove)\b(.*)")
_COMMANDS = dockerfile_parser.COMMANDS
_BUILD_TOOLS = frozenset({"build-base", "build-essential", "gcc", "g++", "make", "cmake", "python3", "python",
                          "git", "musl-dev", "libc-dev", "linux-headers", "autoconf", "automake"})
_METAPACKAGES = frozenset({"build-essential"})  # packages that only depend on the tools
_AUTOREMOVE = re.compile(r"\bautoremove\b|--auto-?remove\b")
# a bare `yarn` (flags only) installs too; `yarn build` does not
_NPM_INSTALL = re.compile(r"\b(?:npm\s+(?:ci|install|i)|yarn\s+install|yarn\s+workspaces\s+focus|pnpm\s+(?:install|i))\b|"
                          r"\byarn(?!\s+-(?:-version|-help|v)\b)(?=(?:\s+--?[\w-]+(?:=\S+|\s+\d+)?)*\s*$)")
_GLOBAL_INSTALL = re.compile(r"\s(?:-g|--global)\b")  # a tool, not the app's dependencies
_PRUNE = re.compile(r"\b(?:npm|pnpm)\s+prune\b")
_REMOVES_MODULES = re.compile(r"\brm\s+-\w*r\w*\s+(?:\S*/)?node_modules/?(?:\s|$)")
# Whether an install takes devDependencies, said in the RUN itself: the last said wins
# (`npm ci --include=dev && npm run build && npm prune --omit=dev` leaves none). npm omits
# them only when NODE_ENV is production, whatever ENV said before (`NODE_ENV=test npm ci`).
_DEV_CHOICE = re.compile(r"(?P<prod>--omit[= ]dev|--production(?![= ]false)|--only[= ]prod|--prod\b|NODE_ENV=production\b)"
                         r"|(?P<dev>--include[= ]dev|--production[= ]false|--also[= ]dev|NODE_ENV=(?!production\b)\w)")
_FULL_NODE = dockerfile_parser.FULL_NODE  # the official node image in a full variant
_VAR_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _probe_missing(image: list[Any], healthcheck: Any, base: str) -> tuple[int, str, str] | None:
    """The HTTP client (or shell) a HEALTHCHECK runs when the image (its base's family, packages a RUN of its
    stages installs) has none: a probe that fails on every run, so the container is never healthy."""
    words = healthcheck.value[1:] if healthcheck.value and healthcheck.value[0].upper() == "CMD" else healthcheck.value
    tool = dockerfile_parser.tool_missing(image, " ".join(words), base, healthcheck.start_line, shell=not healthcheck.json)
    return (healthcheck.start_line, tool, base) if tool is not None else None


def _compose_probes_missing(audit: Audit) -> list[tuple[str | None, Evidence]]:
    """(the Dockerfile it builds, or None, and the evidence) for each compose healthcheck whose test runs an HTTP
    client the service's image lacks (`probes.compose_test_missing`, `dockerfile.tool_missing`): the image its Dockerfile
    builds (to its `build.target`), or a node image it runs (`image: node:20-alpine`). Compose runs the test instead of the
    image's HEALTHCHECK."""
    memo = audit.repo.derived.setdefault("checklist/compose-probes-missing", {})
    if "all" in memo:
        return memo["all"]
    found: list[tuple[str | None, Evidence]] = []
    for compose in audit.repo.compose_services:
        test = audit.repo.compose_value(compose, "healthcheck", "test")
        disable = audit.repo.compose_value(compose, "healthcheck", "disable")
        if test is None or (disable is not None and str(getattr(disable[2], "value", "")).lower() == "true"):
            continue
        missing = compose_test_missing(audit.repo, compose, test)
        if missing is not None:
            tool, base, dockerfile = missing
            found.append((dockerfile, _probe_missing_evidence(
                test[0], (yamlfile.line(test[2]), tool, base), f"compose healthcheck of {compose.name}",
                yamlfile.column(test[2]))))
    memo["all"] = found
    return found


def gather_dockerfile(source_file: SourceFile) -> DockerFacts:
    """The runtime image: the final stage and the stages it is built `FROM` (`FROM base`
    inherits base's USER, ENV and installed packages)."""
    instructions = source_file.instructions
    stages = max((i.stage for i in instructions), default=-1) + 1
    image = _stage_chain(instructions, stages - 1)
    first = next((i for i in dockerfile_parser.final_stage(instructions) if i.cmd == "FROM"), None)
    root = image[0] if image and image[0].cmd == "FROM" else None
    final_from = (first.start_line, root.value[0] if root and root.value else "") if first else (1, "")
    user = None
    healthcheck = None
    probe = None
    production = False  # NODE_ENV=production: npm installs no devDependencies
    copy_from, tools = [], []
    for instruction in image:
        if instruction.cmd == "USER" and instruction.value:
            user = (instruction.start_line, instruction.value[0])
        elif instruction.cmd == "HEALTHCHECK":
            healthcheck = (instruction.start_line, bool(instruction.value) and instruction.value[0].upper() == "NONE")
            probe = None if healthcheck[1] else _probe_missing(image, instruction, final_from[1])
        elif instruction.cmd in ("ENV", "ARG"):
            production = _sets_production(instruction.value, production)
        elif instruction.cmd == "COPY" and any(flag.startswith("--from") for flag in instruction.flags):
            copy_from.append(instruction.start_line)
        elif instruction.cmd == "RUN":
            tools += [(instruction.start_line, package)
                      for package in _build_tools_left(dockerfile_parser.run_script(instruction))]
    dev = _dev_modules(instructions, stages - 1, frozenset())
    dev = ((dev[0], dev[1]),) if dev else ()
    refs = sorted({m.group(1) for i in instructions for v in i.value for m in _VAR_REF.finditer(v)})
    return DockerFacts(stages, final_from, user, healthcheck, tuple(copy_from), tuple(tools), tuple(dev), tuple(refs), probe)


def _stage_names(instructions: list[Any]) -> dict[str, int]:
    return {i.value[2].lower(): i.stage for i in instructions
            if i.cmd == "FROM" and len(i.value) >= 3 and i.value[1].upper() == "AS"}


def _stage_chain(instructions: list[Any], stage: int) -> list[Any]:
    """The instructions of a stage, after those of the stages it is built FROM."""
    return [i for stage in dockerfile_parser.stage_chain(instructions, stage) for i in instructions if i.stage == stage]


def _dev_modules(instructions: list[Any], stage: int, seen: frozenset[int]) -> tuple[int, str, str] | None:
    """What leaves devDependencies in a stage's node_modules at its end: (line, what, the
    directory they were installed in), or None. An install takes them unless NODE_ENV is
    production or it says otherwise (`_DEV_CHOICE`); a later production install, a prune
    (`npm prune --omit=dev`) or `rm -rf node_modules` removes them; a `COPY --from` of another
    stage's node_modules (or of the directory they are in) brings that stage's in."""
    names = _stage_names(instructions)
    state: tuple[int, str, str] | None = None
    production, workdir = False, "/"
    final = stage == max((i.stage for i in instructions), default=-1)
    for instruction in _stage_chain(instructions, stage):
        if instruction.cmd in ("ENV", "ARG"):
            production = _sets_production(instruction.value, production)
        elif instruction.cmd == "WORKDIR" and instruction.value:
            workdir = posixpath.normpath(posixpath.join(workdir, instruction.value[0]))
        elif instruction.cmd == "RUN":
            state = _after_run(dockerfile_parser.run_script(instruction), production, state, instruction.start_line,
                               workdir, final)
        elif instruction.cmd == "COPY" and len(instruction.value) >= 2:
            source = next((flag.split("=", 1)[1].lower() for flag in instruction.flags if flag.startswith("--from=")), None)
            index = names.get(source) if source is not None else None
            if index is None and source is not None and source.isdigit() and int(source) < stage:
                index = int(source)
            if index is None or index in seen or index == stage:
                continue  # from the build context or another image
            copied = _dev_modules(instructions, index, seen | {stage})
            sources = [posixpath.normpath(posixpath.join("/", s)) for s in instruction.value[:-1]]  # (from its root)
            if any("node_modules" in s.split("/") or (copied and (copied[2] + "/").startswith(s.rstrip("/") + "/"))
                   for s in sources):
                state = copied and (instruction.start_line, f"{'final stage ' if final else ''}copies node_modules from "
                                    f"stage `{source}`, where line {copied[0]} installs devDependencies", copied[2])
    return state


def _after_run(run: str, production: bool, state: tuple[int, str, str] | None, line: int, workdir: str,
               final: bool) -> tuple[int, str, str] | None:
    for command in _COMMANDS.split(run):
        said = [m.lastgroup for m in _DEV_CHOICE.finditer(command)]
        if _NPM_INSTALL.search(command) and not _GLOBAL_INSTALL.search(command):
            dev = said[-1] == "dev" if said else not production
            said_at = run if "\n" not in run else command.strip()  # (a heredoc's: its line that installs)
            state = (line, f"{'final stage installs' if final else 'installs'} devDependencies: {said_at[:80]}", workdir) \
                if dev else None
        elif _PRUNE.search(command):
            if (said[-1] == "prod" if said else production):
                state = None
        elif _REMOVES_MODULES.search(command):
            state = None
        elif said:  # `export NODE_ENV=production && npm ci`
            production = said[-1] == "prod"
    return state


def _sets_production(value: tuple[str, ...], production: bool) -> bool:
    """Whether NODE_ENV is production after `ENV NODE_ENV=production` (or `ENV NODE_ENV production`, an ARG)."""
    pairs = [tuple(v.split("=", 1)) for v in value] if all("=" in v for v in value) else [tuple(value[:2])]
    for pair in pairs:
        if len(pair) == 2 and pair[0] == "NODE_ENV":
            production = pair[1].strip("'\"") == "production"
    return production


def _build_tools_left(run: str) -> list[str]:
    """The build tools a RUN installs and does not remove in the same layer (`apk add
    --virtual .build-deps make … && apk del .build-deps`, `apt-get purge -y make`). apt
    removes a metapackage alone: what it pulled in (gcc, g++, make for build-essential)
    goes only with `--auto-remove` or a later `apt-get autoremove`."""
    installed: dict[str, str] = {}  # package -> the virtual package it was installed under ("" none)
    removed: set[str] = set()
    orphaning: set[str] = set()  # metapackages apt removed, their dependencies still installed
    for command in _COMMANDS.split(run):
        if match := _INSTALL.search(command):
            words = match.group(1).split()
            virtual = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("--virtual", "-t")), "")
            virtual = virtual or next((w.split("=", 1)[1] for w in words if w.startswith(("--virtual=", "-t="))), "")
            for package in words:
                if not package.startswith("-") and package != virtual:
                    installed[re.sub(r"[=<>~].*$", "", package)] = virtual
        elif match := _UNINSTALL.search(command):
            words = {word for word in match.group(1).split() if not word.startswith("-")}
            orphaned = words & _METAPACKAGES if match.group(0).startswith("apt") else set()
            removed |= words - orphaned
            orphaning |= orphaned
        if _AUTOREMOVE.search(command):
            removed |= orphaning
    return sorted(p for p, virtual in installed.items() if p in _BUILD_TOOLS and p not in removed and virtual not in removed)


def gather_env_template(source_file: SourceFile) -> tuple[tuple[str, int], ...]:
    return tuple((entry.key, entry.line) for entry in source_file.env_lines)


def gather_var_refs(source_file: SourceFile) -> tuple[str, ...]:
    """`${VAR}` / `$VAR` a compose file interpolates (keys it passes on count as used): in values only,
    `$$` being a dollar (`env_separation.interpolated`, as env-separation reads them); from the text
    when the file does not parse."""
    try:
        documents = source_file.yaml_documents
    except ParseError:
        return tuple(sorted({m.group(1) for m in _VAR_REF.finditer(source_file.data.decode("utf-8", "replace"))}))
    return tuple(sorted({name for document in documents for name, _ in interpolated(document)}))


# --- the repository-wide picture ------------------------------------------------------

_OVERRIDE = re.compile(r"(^|/)(docker-)?compose\.(override|dev|development|local)(\.[\w-]+)?\.ya?ml$")
_DEV_ENV = re.compile(r"(^|/)\.env\.(development|dev|local|test)(\.[\w-]+)?$|(^|/)(development|dev|local)\.env")
_PROD_ENV = re.compile(r"(^|/)\.env\.(production|prod)(\.[\w-]+)?$|(^|/)(production|prod)\.env")
_TEMPLATE = re.compile(r"(example|template|sample|dist)", re.I)
_READY_PATH = re.compile(r"^/(ready|readyz|readiness)$")
_DB_LIBS = frozenset({"pg", "mysql", "mysql2", "mongoose", "mongodb", "@prisma/client", "typeorm", "sequelize", "knex",
                      "@nestjs/typeorm", "@nestjs/mongoose", "@nestjs/sequelize", "@mikro-orm", "drizzle-orm"})
_MIGRATION_TOOLS = frozenset({"knex", "typeorm", "prisma", "node-pg-migrate", "db-migrate", "sequelize-cli", "umzug",
                              "@mikro-orm/migrations", "postgrator", "migrate-mongo", "graphile-migrate", "kysely-migration-cli"})
_DOCS = re.compile(r"\.(md|markdown|rst|adoc|txt|mmd|mermaid|puml|plantuml|drawio|dio|svg|png)$", re.I)
_DEV_DOCKERFILE = re.compile(r"(^|/)\.devcontainer/|(^|/)Dockerfile\.(dev|development|local)$|"
                             r"(^|/|\.)(dev|development|local)\.Dockerfile$", re.I)  # never deployed
# set by the platform, the image or the deployment (NODE_ENV: fixer's own fixes read it), never an app setting
_RUNTIME_VARS = re.compile(r"^(npm_\w+|HOME|PATH|PWD|HOSTNAME|TZ|CI|INIT_CWD|NODE_ENV)$")


# Substrings one of which every match of the pattern holds: most paths hold none, and a
# substring test costs a fraction of the regex's search.
_LOAD_TEST = re.compile(r"(^|/)(k6|artillery|locust|load-?tests?|perf)[\w.-]*(/|\.(js|ts|ya?ml|py|jmx)$)|\.jmx$", re.I)
_LOAD_TEST_NEEDLES = ("k6", "artillery", "locust", "load", "perf", ".jmx")


@lru_cache(maxsize=65536)  # asked for every file, several times
def is_load_test(path: str) -> bool:
    if path.isascii():  # (ignoring case, a non-ASCII letter can match an ASCII one: no gate then)
        lowered = path.lower()
        if not any(needle in lowered for needle in _LOAD_TEST_NEEDLES):
            return False
    return bool(_LOAD_TEST.search(path))


@dataclass
class Audit:
    """Everything the items are decided from."""

    repo: Repo
    runs: dict[str, FixRun]
    registered: frozenset[str]
    code: dict[str, CodeFacts]
    docker: dict[str, DockerFacts]
    votes: dict[str, logger_mod.FileVotes]  # each file's logger imports (what console-to-logger infers from)
    services: list[Service]  # the deployable ones
    probes: list[Any]
    packages: dict[str, tuple[str, dict[str, Any]]]  # package name -> (dir, package.json)
    _production: list[str] | None = None
    _own: dict[str, list[str]] | None = None
    _with_deps: dict[str, list[str]] = field(default_factory=dict)
    _docs: list[tuple[str, list[tuple[int, str]]]] | None = None
    _db_files: list[str] | None = None
    _health_routes: dict[str, Any] | None = None
    _indirect_routes: dict[str, Any] | None = None  # route-table entries and tRPC procedures (health-endpoints)
    _autoloads: dict[str, Any] | None = None
    _mounts: mounts_mod.Resolver | None = None
    _unread_by_service: dict[str, tuple[str, str]] | None = None
    _served: dict[str, tuple[list[Served], list[Served]]] = field(default_factory=dict)
    _scripts: dict[str, str] | None = None
    _node_config_env: list[tuple[str, str, int, int]] | None = None  # node-config's variables: name, path, line, col
    _consola_defaults: list[Any] | None = None  # consola's default instance per service (`_consola_defaults`)

    def findings(self, fix_id: str, where: Callable[[Finding], bool] | None = None) -> list[Finding]:
        """The fix's findings that say something is wrong (not notes, not notices about ignores)."""
        run = self.runs.get(fix_id)
        if run is None:
            return []
        return [f for f in run.findings if f.severity != "info" and not is_ignore_notice(f) and (where is None or where(f))]

    def ran(self, fix_id: str) -> bool:
        run = self.runs.get(fix_id)
        return run is not None and not run.problems

    def may_fix(self, *fix_ids: str) -> tuple[str, ...]:
        """The fixes worth naming for a ❌ found without them: installed and not run in this
        audit. One that ran has no finding here, so `fixer apply` of it would change nothing."""
        return tuple(fix for fix in fix_ids if fix in self.registered and fix not in self.runs)

    def files_of(self, service: Service) -> list[str]:
        """Production code of a service and of the workspace packages it depends on."""
        key = service.dir
        if key not in self._with_deps:
            dirs = tuple(d + "/" for d in self.dependency_dirs(service) if d)
            found = set(self.own_files(service))
            if dirs:
                found |= {p for p in self.production_code() if p.startswith(dirs)}
            self._with_deps[key] = sorted(found)
        return self._with_deps[key]

    def own_files(self, service: Service) -> list[str]:
        if self._own is None:
            own: dict[str, list[str]] = {}
            for path in self.production_code():
                owner = self.repo.service_for(path)
                if owner is not None:
                    own.setdefault(owner.dir, []).append(path)
            self._own = own
        return self._own.get(service.dir, [])

    def dependency_dirs(self, service: Service) -> list[str]:
        package = service.package or {}
        names = set()
        for key in ("dependencies", "devDependencies", "peerDependencies"):
            deps = package.get(key)
            if isinstance(deps, dict):
                names |= set(deps)
        return sorted(self.packages[name][0] for name in names if name in self.packages and self.packages[name][0] != service.dir)

    def production_code(self) -> list[str]:
        if self._production is None:
            self._production = sorted(p for p in self.code if self.repo.is_production_code(p))
        return self._production

    def scripts(self) -> dict[str, str]:
        """The files only package.json scripts run (a load harness, a seed: `fixer.scripts`), not any
        service's process: no evidence for the service's database, health or routes."""
        if self._scripts is None:
            self._scripts = all_script_files(self.repo)
        return self._scripts

    def unread(self, kinds: Iterable[str], keep: Callable[[str], bool] = lambda path: True) -> dict[str, str]:
        """The files of these kinds (those `keep` keeps) that fixer could not read, with the
        reason: not UTF-8, binary, too big, a parse failure. What they hold is unknown, so
        no item may say it is not there. Files left out on purpose (vendored, build output,
        generated, excluded by .fixer.toml, submodules, symlinks: never followed, and one to
        a file of the repository is audited there) are out of scope, not unknown."""
        found = {}
        for path in self.repo.paths_of(kinds):
            reason = self.repo.skips.get(path) or self.repo.skip_reason(path)
            if reason and keep(path) and not reason.startswith(ON_PURPOSE):
                found[path] = reason
        return found

    def entry_evidence(self, service: Service, text: str) -> Evidence:
        """Where the service starts listening (not a script's server: a load harness run by
        `npm run load`), else its entry point, with `text`."""
        scripts = script_files(self.repo, service)  # (a load harness's server is not the service's)
        # the service's own TCP servers as healthcheck-loopback reads them: not an example's, a benchmark's
        # or a unix socket's (`server.listen(sockPath)`), those its entry loads first (`probes.listen_calls`)
        listens = [(listen.file, listen.line) for listen in listen_calls(self.repo, service.dir)
                   if listen.file not in scripts and listen.file in self.code]
        if listens:
            path, line = sorted(listens)[0]
            return Evidence(path, line, 1, f"{service.name}: {text}")
        return Evidence(service.entry or service.dir or ".", 1 if service.entry else 0, 1, f"{service.name}: {text}")


def is_ignore_notice(finding: Finding) -> bool:
    """The findings `fixer.ignores` adds about ignore comments themselves."""
    return finding.message.startswith("unused fixer-ignore ") or (
        finding.message.startswith("fixer-ignore ") and " has no reason" in finding.message)


def gather(repo: Repo, runs: list[FixRun], registered: Iterable[str]) -> Audit:
    code = _without_own_logger_classes(repo, repo.facts_of(CODE_FACTS))
    docker = repo.facts_of(DOCKER_FACTS)
    packages = {data["name"]: (directory, data) for directory, data in sorted(repo.packages.items())
                if isinstance(data.get("name"), str)}
    audit = Audit(repo, {run.info.id: run for run in runs}, frozenset(registered), code, docker,
                  repo.facts_of(logger_mod.VOTES), [], [], packages)
    audit.services = [s for s in repo.services if _deployable(audit, s)]
    try:
        # (a values file's text of a template's probe path is no probe of its own: the template's stands for it)
        audit.probes = [p for p in all_probes(repo) if not p.external and p.source != "helm-values"]
    except ParseError:
        audit.probes = []
    return audit


def _without_own_logger_classes(repo: Repo, code: dict[str, CodeFacts]) -> dict[str, CodeFacts]:
    """The facts with each `new Logger(…)` of a `Logger` imported from one of the repository's modules (a workspace
    package, a tsconfig alias: `CodeFacts.logger_imported`) no logger made: the project's own class, judged where
    it is written."""
    members = None
    changed = {}
    for path, facts in code.items():
        if not facts.logger_imported:
            continue
        if members is None:
            members = logger_mod.workspace_packages(repo)
        own = {line for line, module in facts.logger_imported if logger_mod.resolve_import(repo, path, module) is not None
               or (logger_mod.package_name(module) in members and logger_mod.package_entry(repo, module) is not None)}
        if own:
            changed[path] = replace(facts, logger_created=tuple(line for line in facts.logger_created if line not in own))
    return {**code, **changed} if changed else code


def _deployable(audit: Audit, service: Service) -> bool:
    if service.dockerfiles or any(audit.repo.service_of_compose(c) is service for c in audit.repo.compose_services):
        return True
    return any(audit.code[p].listens for p in audit.own_files(service)) or _on_lambda(audit, service) is not None \
        or _rpc_server(audit, service) is not None


def _rpc_server(audit: Audit, service: Service) -> Evidence | None:
    """Where the service starts a server that no listen() names and that serves no HTTP route, as graceful-shutdown
    finds (and closes) it: a @grpc/grpc-js Server's `bindAsync(…)` (`probes.listen_calls`, framework "grpc"), or a ws
    WebSocketServer on a port of its own (`new WebSocketServer({ port })`, `CodeFacts.ws_servers`: an http server that
    answers WebSocket upgrades only). Its text says which ("a gRPC server", "a ws WebSocketServer"); not a script's."""
    scripts = script_files(audit.repo, service)
    grpc = sorted((listen.file, listen.line) for listen in listen_calls(audit.repo, service.dir)
                  if listen.framework == "grpc" and listen.file in audit.code and listen.file not in scripts)
    if grpc:
        return Evidence(*grpc[0], 1, f"{service.name}: a gRPC server (bindAsync)")
    ws = sorted((path, line) for path in audit.own_files(service) if path not in scripts for line, _ in audit.code[path].ws_servers)
    if ws:
        return Evidence(*ws[0], 1, f"{service.name}: a ws WebSocketServer on a port of its own (it answers WebSocket upgrades only)")
    return None


# --- deciding the items -------------------------------------------------------------------


def _from_findings(item: Item, findings: list[Finding]) -> None:
    """❌ from a fix's findings. Only a fix with a finding it repairs is named as the fix
    (`fixer apply` of one whose findings all need a human changes nothing)."""
    item.status = FAIL
    item.fixes = _fixing(findings)
    item.evidence += [Evidence(f.path, f.line, f.col, f.message, f.fix, f.fixable) for f in findings]
    fixable = sum(f.fixable for f in findings)
    item.summary = f"{len(findings)} finding(s) of {', '.join(sorted({f.fix for f in findings}))}" + (
        f"; {fixable} fixed automatically by `fixer apply`" if fixable else "; none fixed automatically")
    if not fixable:
        item.check = item.check or "each finding above says what to change by hand"


def _fixing(findings: Iterable[Finding]) -> tuple[str, ...]:
    return tuple(sorted({f.fix for f in findings if f.fixable}))


_UNSEEN_MOUNT = ("routes on a router fixer cannot see mounted", "check where each router named above is mounted "
                 "(`app.use('/prefix', router)`): its routes answer under that prefix")


_NO_SERVICE = "no deployable service found (no Dockerfile, compose service, listen(), gRPC bindAsync(), ws server or AWS Lambda template)"


def _per_service(audit: Audit, item: Item, holds: Callable[[Service], Evidence | None], missing: str,
                 fix_findings: list[Finding] = (), what: str = "",
                 gap: Callable[[Service], Evidence | None] = lambda service: None,
                 applies: Callable[[Service], Evidence | None] = lambda service: None,
                 unsure: Callable[[Service], Evidence | None] = lambda service: None,
                 doubt: tuple[str, str] = _UNSEEN_MOUNT) -> Item:
    """✅ when `holds` gives evidence for every deployable service, else ❌ with the gaps:
    `missing` at the service's entry point, or where `gap` shows what is there instead.
    A service `applies` gives a reason for is left out (a note says why); none left: ➖.
    A service that does not hold but may (`unsure` says why: a router mounted where fixer
    cannot see, code it could not read) makes the item ❓ unless another one fails.
    `doubt`: what `unsure` means, and what a human checks then."""
    if not audit.services:
        item.status, item.summary = NA, _NO_SERVICE
        return item
    left_out = [(service, reason) for service in audit.services if (reason := applies(service)) is not None]
    services = [service for service in audit.services if all(service is not s for s, _ in left_out)]
    if not services:
        item.status, item.summary = NA, "; ".join(reason.text for _, reason in left_out)
        item.evidence += [reason for _, reason in left_out]
        return item
    good, bad, covered, unknown, why = [], [], set(), [], set()
    doubt_reason, doubt_check = doubt
    for service in services:
        found = holds(service)
        if found:
            good.append(found)
            continue
        doubt = unsure(service)
        unread = _unread_service(audit, service) if doubt is None else None
        if doubt is not None or unread is not None:
            unknown.append(doubt or unread)
            why.add(doubt_reason if doubt is not None else "code fixer could not read")
            continue
        bad.append(gap(service) or audit.entry_evidence(service, missing))
        if any(audit.repo.service_for(f.path) is service for f in fix_findings):
            covered.add(len(bad) - 1)  # the fix's own finding says it for this service
    if fix_findings:
        _from_findings(item, list(fix_findings))
    notes = [reason for _, reason in left_out]
    if bad:
        item.status = FAIL
        item.evidence += [e for index, e in enumerate(bad) if index not in covered] + unknown + notes
        item.summary = (item.summary + "; " if item.summary else "") + \
            f"{len(bad)} of {len(services)} service(s) {missing.replace('no ', 'without ', 1)}"
        return item
    if unknown and item.status != FAIL:
        item.status = UNKNOWN
        item.summary = f"{len(unknown)} of {len(services)} service(s) cannot be told: " + " and ".join(sorted(why))
        item.evidence += unknown + good + notes
        item.check = item.check or "; ".join(check for reason, check in (
            ("code fixer could not read", "read the files named above by hand (or make them readable: UTF-8 text "
                                          "under the size limit) and audit again"),
            (doubt_reason, doubt_check))
            if reason in why)
        return item
    if item.status != FAIL:
        item.status = PASS
        item.summary = f"every service ({len(services)}) {what}".rstrip() + (
            f" ({len(left_out)} left out: not applicable)" if left_out else "")
    item.evidence += unknown + good + notes
    return item


def _not_node(audit: Audit, service: Service) -> Evidence | None:
    """Why no Node process of the service runs in production: every production image it is
    built into runs a web server (an SPA served by nginx), not its code."""
    images = [(path, audit.docker[path].final_from) for path in service.dockerfiles
              if path in audit.docker and not _DEV_DOCKERFILE.search(path)]
    if not images or not all(dockerfile_parser.web_server_image(image) for _, (_, image) in images):
        return None
    path, (line, image) = images[0]
    return Evidence(path, line, 1, f"{service.name}: its image runs {image}, not Node")


def _on_lambda(audit: Audit, service: Service) -> Evidence | None:
    """Why the service runs as AWS Lambda functions, not as a long-running process: a Serverless
    Framework file or an AWS SAM template (`fixer.lambdatemplate`; not `serverless.js`, often the
    serverless-http wrapper of an Express app) in its directory, or in a directory above whose functions'
    code is in its directory (`handler: services/pay/…`, `CodeUri: services/pay`). Each invocation runs its exported handler; there is no server to
    probe, no container to stop with SIGTERM (the service is deployable all the same: its own kind). Not
    a service also built as an image (a production Dockerfile, a compose service): it may run as a server
    too (the template may deploy only a cron function of it), and is judged as one. A `listen()` in its
    code does not count (a serverless-http app listens only when run locally)."""
    memo = audit.repo.derived.setdefault("checklist/on-lambda", {})
    if service.dir in memo:
        return memo[service.dir]
    if any(not _DEV_DOCKERFILE.search(path) for path in service.dockerfiles) or any(
            audit.repo.service_of_compose(c) is service for c in audit.repo.compose_services):
        memo[service.dir] = None
        return None
    if None not in memo:  # (the templates, once: by name)
        memo[None] = [path for path in audit.repo.paths()
                      if lambdatemplate.is_candidate(path) and not audit.repo.skip_reason(path)]
    found = None
    for path in memo[None]:
        directory = posixpath.dirname(path)
        if not (directory == service.dir or not directory or service.dir.startswith(directory + "/")):
            continue
        source = audit.repo.read(path)
        shape = lambdatemplate.shape(source) if source is not None else None
        if shape is None:
            continue  # a template of something else
        dirs = lambdatemplate.code_dirs(source)
        if dirs is not None and not dirs:
            continue  # no function (a CloudFormation stack of buckets)
        if directory != service.dir:
            if dirs is None:  # (serverless.ts: code, not read; its bytes name the directory)
                if service.dir[len(directory):].lstrip("/").encode() not in source.data:
                    continue
            elif not any(d == service.dir or d.startswith(service.dir + "/") for d in dirs):
                continue  # it deploys other directories' code
        kind = "an AWS SAM template" if shape == lambdatemplate.SAM else "the Serverless Framework"
        found = Evidence(path, 0, 1, f"{service.name}: runs on AWS Lambda ({kind}, {posixpath.basename(path)}): no "
                                     "long-running server (nothing to probe, to stop with SIGTERM or to throttle in its code)")
        break
    memo[service.dir] = found
    return found


# the files by which a framework that routes by convention serves HTTP: Sails' config/routes.js, Egg's app/router.js
# and app/controller/ (what `eggctl start` loads), Next.js's app/ and pages/ (pages and route handlers `next start`
# or a custom server's `next()` serves)
_CONVENTION_APPS = (("sails", re.compile(r"^config/routes\.[cm]?[jt]s$"), "Sails routes"),
                    ("egg", re.compile(r"^app/(?:router\.[cm]?[jt]s|controller/)"), "Egg router or controller"),
                    ("next", re.compile(r"^(?:src/)?(?:app|pages)/"), "Next.js app (app/ or pages/)"))


def _framework_app(audit: Audit, service: Service) -> Evidence | None:
    """Where a service is an HTTP server of a framework that routes by convention (Sails, Egg): it
    depends on the framework and has its route or controller files, or is started by its runner."""
    for dependency, files, what in _CONVENTION_APPS:
        if not _depends_on(service, dependency):
            continue
        prefix = service.dir + "/" if service.dir else ""
        found = next((p for p in sorted(audit.own_files(service)) if p.startswith(prefix) and files.match(p[len(prefix):])), None)
        if found is not None:
            return Evidence(found, 0, 1, f"{service.name}: {what}")
        runner = _runner_handles(audit, service)
        if runner is not None and any(text in runner.text for _, name, text in _SIGTERM_RUNNERS if name == dependency):
            return runner
    return None


def _serves_no_http(audit: Audit, service: Service) -> Evidence | None:
    """Why a service needs no rate limiter: it runs no Node process, it runs on AWS Lambda (API
    Gateway throttles its requests: `_on_lambda`), or its code starts no server and registers no
    route (a queue worker)."""
    reason = _not_node(audit, service) or _on_lambda(audit, service)
    if reason is not None:
        return reason
    if _unread_service(audit, service) is not None:
        return None  # its unread code may serve
    runs = [path for path in audit.repo.processes if audit.repo.service_for(path) is service] + [service.entry or ""]
    if any(path and audit.repo.skip_reason(path) for path in runs):
        return None  # what it runs is a file fixer does not read (build output: a published package's build/app.js)
    if any(audit.code[p].listens for p in audit.files_of(service)) or any(audit.code[p].routes for p in audit.own_files(service)) \
            or _framework_routes(audit, service) or any(audit.code[p].framework_http for p in audit.own_files(service)) \
            or _framework_app(audit, service) is not None:
        return None
    rpc = _rpc_server(audit, service)  # (a gRPC or WebSocket server: it serves, but no HTTP route)
    if rpc is not None:
        return replace(rpc, text=f"{rpc.text}, no HTTP server or route")
    return Evidence(service.entry or service.dir or ".", 0, 1, f"{service.name}: serves no HTTP (no listen() or route)")


def _no_health_route(audit: Audit, service: Service) -> Evidence | None:
    """Why a service is not asked for HTTP health and readiness routes: it runs no Node process
    (`_not_node`), or it serves no HTTP (`_serves_no_http`: a queue worker, a scheduler) and no
    health check calls a path of it (one that does says something there answers). A worker's
    liveness is a HEALTHCHECK's to check without HTTP (`dock_healthcheck` says how); a gRPC or
    WebSocket server's reason says what tells its health instead (`_rpc_health`). A service on
    AWS Lambda (`_on_lambda`) has no long-running process for a probe to ask."""
    reason = _not_node(audit, service) or _on_lambda(audit, service)
    if reason is not None:
        return reason
    reason = _serves_no_http(audit, service)
    if reason is None or any(p.service == service.dir and p.url_path and not p.disabled for p in audit.probes):
        return None
    return _rpc_health(audit, service) or reason


def _rpc_health(audit: Audit, service: Service) -> Evidence | None:
    """What tells the health of a service whose server serves no HTTP route (`_rpc_server`), instead of /health and
    /ready: a gRPC server's is the gRPC health checking protocol (grpc.health.v1.Health, which grpc-health-check
    serves: a service NOT_SERVING until its dependencies connect), asked by grpc_health_probe; a ws server on its own
    port answers WebSocket upgrades only, so routes need an http server of the project's own. None: no such server."""
    rpc = _rpc_server(audit, service)
    if rpc is None:
        return None
    if "gRPC" not in rpc.text:
        return replace(rpc, text=f"{rpc.text}, no HTTP route: for /health and /ready, give it an http server of your own "
                                 "that routes them (`new WebSocketServer({ server })`)")
    served = _depends_on(service, "grpc-health-check")
    port = _service_port(audit, service)
    probed = next((p for p in audit.probes if p.service == service.dir and not p.disabled and _runs_grpc_health_probe(audit, p)), None)
    return replace(rpc, text=f"{rpc.text}, no HTTP route: its health and readiness are the gRPC health checking protocol's ("
                             + ("grpc-health-check serves it" if served else "serve it with grpc-health-check, NOT_SERVING "
                                                                             "until its dependencies connect") + "; "
                             + (f"grpc_health_probe checks it: {probed.file}:{probed.line}" if probed else
                                f"check it with grpc_health_probe -addr=127.0.0.1:{port or '<port>'}") + ")")


def _runs_grpc_health_probe(audit: Audit, probe: Any) -> bool:
    source = audit.repo.read(probe.file)
    return source is not None and GRPC_PROBE_ADDR.search(probe.text(source)) is not None


def _first(audit: Audit, paths: Iterable[str], field_name: str, text: str = "") -> Evidence | None:
    for path in sorted(paths):
        values = getattr(audit.code[path], field_name)
        if values:
            value = values[0]
            line = value if isinstance(value, int) else value[0]
            detail = value[1] if isinstance(value, tuple) and len(value) > 1 and isinstance(value[1], str) else ""
            return Evidence(path, line, 1, text or detail)
    return None


def _scope(paths: list[str], what: str) -> Evidence:
    dirs = sorted({p.split("/")[0] + ("/" + p.split("/")[1] if p.count("/") > 1 else "") for p in paths})
    shown = ", ".join(dirs[:6]) + (f", … {len(dirs) - 6} more" if len(dirs) > 6 else "")
    return Evidence(".", 0, 1, f"{what}: {len(paths)} file(s) checked ({shown})")


def _checked(item: Item, paths: list[str], what: str, unread: dict[str, str]) -> Item:
    """Back a ✅ that says nothing in `paths` is wrong with the files checked (`_not_read`).
    No file checked holds nothing either way: ➖ when there is none, ❓ when none could be read."""
    if not paths and not unread and item.status == PASS:
        item.status, item.summary = NA, f"nothing to check: no {what} in the repository"
        return item
    item.evidence.append(_scope(paths, what))
    return _not_read(item, unread)


def _not_read(item: Item, unread: dict[str, str]) -> Item:
    """A ✅ that says something is nowhere does not hold for files fixer could not read
    (`Audit.unread`): ❓ then, naming them."""
    if unread and item.status == PASS:
        item.status = UNKNOWN
        item.summary += f"; {len(unread)} file(s) could not be read"
        item.evidence += [Evidence(p, 0, 1, f"not read: {reason}") for p, reason in sorted(unread.items())]
        item.check = "read these files by hand (or make them readable: UTF-8 text under the size limit) and audit again"
    return item


def _unread_code(audit: Audit, keep: Callable[[str], bool] = lambda path: True) -> dict[str, str]:
    return audit.unread(CODE_KINDS, lambda path: audit.repo.is_production_code(path) and keep(path))


def _unread_service(audit: Audit, service: Service) -> Evidence | None:
    """A file of the service's code fixer could not read: what it holds (a route, a handler) is unknown."""
    if audit._unread_by_service is None:
        audit._unread_by_service = {}
        for path, reason in sorted(_unread_code(audit).items()):
            owner = audit.repo.service_for(path)
            if owner is not None:
                audit._unread_by_service.setdefault(owner.dir, (path, reason))
    found = audit._unread_by_service.get(service.dir)
    return Evidence(found[0], 0, 1, f"{service.name}: not read: {found[1]}") if found is not None else None


_GET_LIKE = frozenset({"get", "all", "use", "head", "raw", "route"})


def _route(audit: Audit, service: Service, pattern: Callable[[str], bool]) -> Evidence | None:
    """The service's first GET-like route whose path, as it answers (under the prefixes of the
    routers it is mounted through: `app.use('/api', router)`), `pattern` accepts: the
    checklist's own reading, then health-endpoints' (NestJS controllers, Fastify plugin
    prefixes), so the items and that fix agree on what a service serves."""
    for route in _served_routes(audit, service)[0]:
        if route.method in _GET_LIKE and pattern(route.served):
            return Evidence(route.file, route.line, route.col, f"{service.name}: {route.label()}")
    for path, route in _framework_routes(audit, service):
        if pattern(route.path):
            return Evidence(path, route.line, route.col, f"{service.name}: {_framework_label(route)}")
    return None


def _unsure_route(audit: Audit, service: Service, pattern: Callable[[str], bool]) -> Evidence | None:
    """A GET-like route `pattern` accepts as written, on a router fixer cannot see mounted
    (`export default router`, imported by nothing it reads): where it answers is unknown."""
    for route in _served_routes(audit, service)[1]:
        if route.method in _GET_LIKE and pattern(route.path):
            return Evidence(route.file, route.line, route.col, f"{service.name}: {route.label()} on `{route.receiver}`, "
                            + (route.where or "a router fixer cannot see mounted") + ": its prefix is unknown")
    return None


def _moved_route(audit: Audit, service: Service, pattern: Callable[[str], bool], missing: str) -> Evidence | None:
    """A route `pattern` accepts as written that answers elsewhere (`router.get('/health')` under
    `app.use('/api', router)` answers /api/health): the gap to show instead of the entry point."""
    for route in _served_routes(audit, service)[0]:
        if route.method in _GET_LIKE and pattern(route.path) and not pattern(route.served):
            return Evidence(route.file, route.line, route.col, f"{service.name}: {missing}: {route.label()}")
    return None


@dataclass(frozen=True)
class Served:
    method: str
    path: str  # as registered
    prefix: str  # the mount prefixes, joined
    file: str
    line: int
    col: int
    receiver: str
    where: str = ""  # for a route whose prefix is unknown, why, when fixer knows better than "mounted where it cannot see"

    @property
    def served(self) -> str:
        """The path as it answers."""
        return _join(self.prefix, self.path)

    def label(self) -> str:
        method = "raw http" if self.method == "raw" else self.method.upper()
        moved = f" (`{self.receiver}` {self.path}, mounted under {self.prefix})" if self.served != self.path else ""
        return f"{method} {self.served}{moved}"


def _join(prefix: str, path: str) -> str:
    prefix = prefix.rstrip("/")
    if not prefix:
        return path or "/"
    return prefix if path in ("", "/") else prefix + path


def _served_routes(audit: Audit, service: Service) -> tuple[list[Served], list[Served]]:
    """The service's routes as they answer (a route of a mounted router, once per mount), and
    those on a router whose mount fixer cannot see. A `use` that mounts one of the repository's
    routers is no route of its own: the router's routes are."""
    if service.dir in audit._served:
        return audit._served[service.dir]
    known, unsure = [], []
    if audit._mounts is None:
        audit._mounts = mounts_mod.Resolver(audit.repo)
    resolver = audit._mounts
    for path in audit.own_files(service):
        if path in audit.scripts():
            continue  # (a load harness's own server answers no request of the service's)
        facts = audit.code[path]
        receivers = facts.route_receivers if len(facts.route_receivers) == len(facts.routes) else ("",) * len(facts.routes)
        mounted = {(line, col) for _, _, name, line, col in (resolver.facts.get(path) or _NO_MOUNTS).uses
                   if resolver.mounts_routes(path, name)}
        plugged = _plugin_prefixes(audit, path)
        loaded = _autoload_prefix(audit, path)
        for (method, route, line, col), receiver in zip(facts.routes, receivers):
            if method == "use" and (line, col) in mounted:
                continue
            # where the route answers (`fixer.mounts`): a receiver mounted nowhere fixer sees and no router
            # (a parameter, someone else's `server.app`) is taken for the application, as the route's own
            # words say; one a function makes (`const api = express()`) only where fixer sees it started (its
            # file's `api.listen()`, `api.start()`, `createServer(api)`, or an importer's `createServer(await
            # createApi())`: it is the application); elsewhere it is a sub-app mounted where fixer cannot see
            # (Ghost's `lazyUse('/admin/', setupApiApp())`), and its routes' prefix is unknown (`MountFacts.made`)
            standing, prefixes = _receiver_prefixes(resolver, path, receiver)
            where = ""
            if standing is not None and standing.unread and prefixes is None:
                file, at_line, at_col = sorted(standing.unread)[0]
                text = resolver.mount_text(file, at_line, at_col)
                where = f"mounted under a prefix fixer cannot read ({f'`{text}` at ' if text else ''}{file}:{at_line})"
            if (line, col, route) in plugged:  # inside a Fastify plugin registered with a prefix (health-endpoints' reading)
                prefixes = [_join(prefix, plugged[line, col, route]) for prefix in prefixes or [""]]
            if loaded is None:  # loaded by @fastify/autoload where fixer cannot tell the prefix
                prefixes = None
            elif loaded:  # `routes/healthz/index.js` under @fastify/autoload answers under /healthz
                prefixes = [_join(loaded, prefix) for prefix in prefixes or ()] or None
            if prefixes is None:
                unsure.append(Served(method, route, "", path, line, col, receiver, where))
            for prefix in dict.fromkeys(prefixes or ()):
                known.append(Served(method, route, prefix, path, line, col, receiver))
    audit._served[service.dir] = known, unsure
    return known, unsure


_NO_MOUNTS = mounts_mod.MountFacts((), (), (), (), ())


def _receiver_prefixes(resolver: mounts_mod.Resolver, path: str, receiver: str) -> tuple[Any, list[str] | None]:
    """Where what is registered on `receiver` in `path` answers (`_served_routes`): its standing, and
    its prefixes ("" the root), None when some are unknown."""
    standing = resolver.standing(path, receiver) if receiver else None
    prefixes = (sorted(standing.prefixes) or None) if standing is not None else [""]
    if standing is not None and any(made for _, _, made in standing.assumed_at):
        prefixes = None
    return standing, prefixes


def _static_file(audit: Audit, service: Service, path: str) -> tuple[Evidence | None, str]:
    """Whether a static middleware of the service (`_static_roots`) answers `path`: (where, "") when
    its directory holds the file (`index.html` for a directory's path); (None, why) when one may and fixer
    cannot tell: its directory is not in the repository (built into the image), named by a variable, or it is
    mounted where fixer cannot see, and the path is `/` or a file's (`/status.json`; not a route's: `/health`);
    (None, "") when none does."""
    if audit._mounts is None:
        audit._mounts = mounts_mod.Resolver(audit.repo)

    def file_like(rest: str) -> bool:
        return not rest.strip("/") or "." in rest.rstrip("/").rsplit("/", 1)[-1]

    doubt = ""
    for file in audit.own_files(service):
        for line, receiver, mount, base, directory in audit.code[file].static_roots:
            _, prefixes = _receiver_prefixes(audit._mounts, file, receiver)
            if prefixes is None or mount == "?":
                if file_like(path):
                    doubt = doubt or f"a static middleware mounted where fixer cannot see ({file}:{line}) may serve it"
                continue
            for prefix in prefixes:
                prefix = (_join(prefix, mount) if mount else prefix).rstrip("/")
                if prefix and path != prefix and not path.startswith(prefix + "/"):
                    continue
                rest = path[len(prefix):].strip("/")
                if not base:
                    if file_like(rest):
                        doubt = doubt or f"a static middleware whose directory fixer cannot tell ({directory}, {file}:{line}) may serve it"
                    continue
                root = posixpath.normpath(posixpath.join(posixpath.dirname(file) if base == "file" else service.dir, directory))
                wanted = [posixpath.join(root, rest, "index.html")] + ([posixpath.join(root, rest)] if rest else [])
                served = next((want for want in wanted if audit.repo.exists(want)), None)
                if served is not None:
                    return Evidence(file, line, 1, f"{service.name}: static files from {root}/ ({served})"), ""
                if file_like(rest) and not any(p.startswith(root + "/") for p in audit.repo.paths()):
                    doubt = doubt or (f"a static middleware ({file}:{line}) serves {root}/, which is not in the repository "
                                      "(built or ignored): it may hold the file")
    return None, doubt


def _autoload_prefix(audit: Audit, path: str) -> str | None:
    """The prefix @fastify/autoload gives the file's routes (health-endpoints' reading): "" none, None unknown."""
    if audit._autoloads is None:
        audit._autoloads = {p: found for p, found in audit.repo.facts_of(AUTOLOAD).items() if found}
    return autoload_prefix(audit.repo, audit._autoloads, path) if audit._autoloads else ""


def _plugin_prefixes(audit: Audit, path: str) -> dict[tuple[int, int, str], str]:
    """(line, col, path as written) -> the prefix health-endpoints finds it answers under: a route
    in a Fastify plugin registered in the same file with `{ prefix: '/api' }`."""
    if audit._health_routes is None:
        audit._health_routes = audit.repo.facts_of(HEALTH_ROUTES)
    found = {}
    for route in audit._health_routes.get(path) or ():
        for _, written, line, col in audit.code[path].routes:
            if (line, col) == (route.line, route.col) and not route.raw and not route.decorator \
                    and route.path != written and route.path.endswith(written.rstrip("/")):
                found[line, col, written] = route.path[: len(route.path) - len(written.rstrip("/"))]
    return found


def _framework_routes(audit: Audit, service: Service) -> list[tuple[str, Any]]:
    """health-endpoints' routes of the service's files that the checklist's reading has not (same place)."""
    if audit._health_routes is None:
        audit._health_routes = audit.repo.facts_of(HEALTH_ROUTES)
    found = []
    for path in audit.own_files(service):
        routes = audit._health_routes.get(path)
        if routes:
            known = {(line, col) for *_, line, col in audit.code[path].routes}
            found += [(path, route) for route in routes if (route.line, route.col) not in known and not route.raw]
    if audit._indirect_routes is None:
        audit._indirect_routes = indirect_routes(audit.repo)
    found += [(path, route) for path in audit.own_files(service) for route in audit._indirect_routes.get(path, ())]
    return found


def _framework_label(route: Any) -> str:
    if getattr(route, "via", "") == "table":
        return f"GET {route.path} (an entry of a route table)"
    if getattr(route, "via", "") == "trpc":
        return f"{route.path} (a tRPC procedure)"
    if getattr(route, "via", "") == "yoga":
        return f"GET {route.path} (GraphQL Yoga's health check)"
    if getattr(route, "via", "") in ("next", "next-page"):  # (health-endpoints' next_routes: by the file's place)
        return f"GET {route.path} (a Next.js {'page' if route.via == 'next-page' else 'route'})"
    return f"GET {route.path} (NestJS controller)" if route.decorator else f"route {route.path}"


def _db_files(audit: Audit) -> list[str]:
    if audit._db_files is None:  # asked by several items
        scripts = audit.scripts()
        audit._db_files = [p for p in audit.production_code() if audit.code[p].db_clients and p not in scripts]
    return audit._db_files


def _uses(audit: Audit, libraries: set[str]) -> list[Evidence]:
    scripts = audit.scripts()
    return [Evidence(p, line, 1, lib) for p in audit.production_code() if p not in scripts
            for line, lib in audit.code[p].infra if lib in libraries]


# Environment & Configuration


def env_secrets(audit: Audit, item: Item) -> Item:
    findings = audit.findings("secrets")
    # (a secret deleted since that git history holds: every clone has it, `history.annotate`'s notes;
    # it is in version control, not in a file of the tree: "in code or config files" says nothing of it)
    from fixer.history import deleted_secret_notes

    deleted = deleted_secret_notes(audit.runs["secrets"].notes) \
        if audit.ran("secrets") and item.key == "env.secrets" else []
    if findings:
        _from_findings(item, findings)
        item.evidence += [Evidence(".", 0, 1, note) for note in deleted]
        return item
    if deleted:
        item.status, item.fixes = FAIL, ()
        item.summary = f"{len(deleted)} secret(s) deleted since are still in git history"
        item.check = "rotate each (every clone and fork keeps it); rewriting history does not reach existing clones"
        item.evidence += [Evidence(".", 0, 1, note) for note in deleted]
        return item
    if not audit.ran("secrets"):
        item.check = "run `fixer audit --fix secrets`: fixer decides this item with the secrets fix"
        item.summary = "the secrets fix did not run"
        return item
    # (the JSON files the fix reads: its config files; and package managers' settings: `.npmrc`, `.yarnrc.yml`)
    from transforms.secrets import is_json_config, is_registry_config

    run = audit.runs["secrets"]
    extra = [p for p in audit.repo.paths_of({"json"}) if is_json_config(p)] + \
        [p for p in audit.repo.paths_of({"other"}) if is_registry_config(p)]
    checked = [p for p in sorted(set(audit.repo.paths_of(run.info.kinds) + extra))
               if not audit.repo.skip_reason(p) and p not in audit.repo.skips and p not in run.left_alone]
    item.status, item.summary = PASS, f"the secrets fix found no secret value in {len(checked)} file(s)"
    _checked(item, checked, "env templates, env files, compose files, JSON config files, .npmrc/.yarnrc.yml and code",
             {**audit.unread(run.info.kinds), **audit.unread({"json"}, is_json_config),
              **audit.unread({"other", "yaml"}, is_registry_config)})
    notes = [f for f in run.findings if f.severity == "info"]
    item.evidence += [Evidence(f.path, f.line, f.col, "note: " + f.message, f.fix) for f in notes]
    return item


def env_separation(audit: Audit, item: Item) -> Item:
    repo = audit.repo
    env_files = repo.paths_of({"env"})
    # (its NODE_ENV reports are env.hardcoded's, decided from the compose files; those creating a development
    # override that wires no env file are env.override's: that override separates no env file, and its fix
    # leaves this item as it was; one that gives the services `env_file: .env.development` separates them)
    findings = audit.findings("env-separation", lambda f: not _OVERRIDE.search(f.path) and "sets NODE_ENV=" not in f.message
                              and not (_creates_override(f) and not _wires_env_files(f)))
    if findings:
        _from_findings(item, findings)
        return item
    dev = [p for p in env_files if _DEV_ENV.search(p)]
    prod = [p for p in env_files if _PROD_ENV.search(p)]
    if dev and prod:
        item.status, item.summary = PASS, "development and production env templates exist"
        item.evidence += [Evidence(p, 0, 1, "development") for p in dev] + [Evidence(p, 0, 1, "production") for p in prod]
        return item
    if not env_files and not repo.compose_services:
        item.status, item.summary = NA, "no env file and no compose file"
        return item
    item.status = FAIL
    item.summary = "no " + " and no ".join(name for name, found in (
        (".env.development template", dev), (".env.production template", prod)) if not found)
    item.evidence += [Evidence(p, 1, 1, "one env file for every environment") for p in env_files[:3]]
    item.check = "add .env.development and .env.production templates" + "".join(
        f" (`fixer apply --fix {fix}`)" for fix in audit.may_fix("env-separation"))
    return item


def _compose_files(audit: Audit) -> list[str]:
    """The compose files production reads: no development override or file."""
    return sorted(p for p in audit.repo.paths_of({"compose"}) if not _OVERRIDE.search(p))


def _compose_mains(audit: Audit) -> list[str]:
    """The compose files `docker compose` is run on: not those another pulls in with
    `include:` (compose reads no override beside those)."""
    included = compose_edit.included_files(audit.repo)
    return [p for p in _compose_files(audit) if p not in included]


def _creates_override(finding: Finding) -> bool:
    return any(isinstance(change, NewFile) and _OVERRIDE.search(change.path) for change in finding.changes)


def _wires_env_files(finding: Finding) -> bool:
    """Whether the override a finding creates gives services an env file of their own (`env_file:`)."""
    return any(isinstance(change, NewFile) and _OVERRIDE.search(change.path) and "env_file" in change.text
               for change in finding.changes)


def env_override(audit: Audit, item: Item) -> Item:
    mains = _compose_mains(audit)
    if not mains:
        item.status, item.summary = NA, "no docker-compose file"
        return item
    findings = [f for fix in ("env-separation", "kafka-listeners") for f in audit.findings(fix, _creates_override)]
    # only these names are merged by a plain `docker compose up`; a `.dev.yml` needs `-f`
    compose_files = audit.repo.paths_of({"compose"})
    overrides = [p for p in compose_files if posixpath.basename(p) in compose_edit.OVERRIDE_NAMES]
    missing = [m for m in mains if not any(posixpath.dirname(o) == posixpath.dirname(m) for o in overrides)]
    paths = frozenset(audit.repo.paths())
    own = {m: path for m in missing for path, _ in [compose_edit.override_path(paths, m)]
           if gitignore.ignored_in(audit.repo, path)}  # git-ignored: each developer keeps their own
    missing = [m for m in missing if m not in own]
    if findings:
        _from_findings(item, findings)
    item.evidence += [Evidence(m, 0, 1, f"{path} is git-ignored: each developer keeps their own") for m, path in own.items()]
    if missing:
        item.status = FAIL
        item.evidence += [Evidence(m, 1, 1, "no docker-compose.override.yml beside it") for m in missing]
        unmerged = [p for p in compose_files if _OVERRIDE.search(p) and p not in overrides
                    and any(posixpath.dirname(p) == posixpath.dirname(m) for m in missing)]
        item.evidence += [Evidence(p, 0, 1, "not merged automatically (only a compose.override.yml or "
                                            "docker-compose.override.yml is)") for p in unmerged]
        item.summary = item.summary or "no development override beside " + ", ".join(missing)
        return item
    if findings:
        return item  # an override the fix still has to create: not there yet
    if own:
        item.status = UNKNOWN
        item.summary = "each developer keeps their own override beside " + ", ".join(own)
        item.check = ("fixer cannot see a git-ignored override: check each developer's sets NODE_ENV=development "
                      "(and env_file .env.development); a committed example of it helps")
        item.evidence += [Evidence(o, 0, 1, "development override") for o in overrides]
        return item
    item.status, item.summary = PASS, "a development override sits beside every compose file"
    item.evidence += [Evidence(o, 0, 1, "development override") for o in overrides]
    return item


_NODE_ENV_DEFAULT = re.compile(r"\$\{NODE_ENV:?-production\}")


def _override_node_env(audit: Audit) -> set[tuple[str, str]]:
    """(directory, service) of every service a merged override (`docker-compose.override.yml`)
    gives a NODE_ENV."""
    found = set()
    for compose in audit.repo.compose_services:
        if posixpath.basename(compose.file) in compose_edit.OVERRIDE_NAMES and any(
                entry.key == "NODE_ENV" for entry in compose_edit.env_entries(yamlfile.get(compose.node, "environment"))):
            found.add((posixpath.dirname(compose.file), compose.name))
    return found


def _sets_development(finding: Finding, override: str, service: str) -> bool:
    """Whether this env-separation finding's changes give `service` NODE_ENV=development in `override`: read
    from what it writes (its message groups the services it names past a few: `50 services (a, b, … 47 more)`)."""
    entry = re.compile(rf"(?m)^[ \t]*['\"]?{re.escape(service)}['\"]?:[ \t]*(?:#.*)?$")
    return any(change.path == override and not isinstance(change, Untrack) and "NODE_ENV" in change.text
               and entry.search(change.text) is not None for change in finding.changes)


def _node_env_gaps(audit: Audit) -> tuple[list[Evidence], bool]:
    """NODE_ENV the compose files fix for every environment: `development` in a file
    production reads, `${NODE_ENV:-production}` (the shell or the project's .env decides), a
    literal `production` no merged override turns into development. (`docker-compose.prod.yml`
    is production's own; a git-ignored override is each developer's, which fixer cannot see.)
    And whether env-separation repairs one (it gives a main file's override NODE_ENV=development)."""
    mains = _compose_mains(audit)
    overridden = _override_node_env(audit)
    paths = frozenset(audit.repo.paths())
    gaps, repaired = [], False
    # env-separation's findings that create or extend the override with `<service>: NODE_ENV=development` (its
    # `_override_findings`): the repair of a literal production, linked to the gap it repairs
    repairs = [f for f in audit.findings("env-separation") if f.fixable]
    for compose in audit.repo.compose_services:
        if _OVERRIDE.search(compose.file) or compose_edit.role(compose.file) == "production":
            continue
        for entry in compose_edit.env_entries(yamlfile.get(compose.node, "environment")):
            if entry.key != "NODE_ENV" or entry.value is None:
                continue
            value, at = entry.value.strip(), yamlfile.line(entry.node)
            if value == "development":
                gaps.append(Evidence(compose.file, at, 1, f"{compose.name}: NODE_ENV=development in a file production "
                                                          "reads: production runs in development mode"))
            elif _NODE_ENV_DEFAULT.fullmatch(value):
                gaps.append(Evidence(compose.file, at, 1, f"{compose.name}: NODE_ENV={value} takes the shell's or the "
                                                          "project .env's NODE_ENV when the file is read alone"))
            elif value == "production":
                # an included file's services are merged into the including file's, whose override may set them
                directories = {posixpath.dirname(m) for m in mains} if compose.file not in mains else {
                    posixpath.dirname(compose.file)}
                if any((d, compose.name) in overridden for d in directories):
                    continue
                override = compose_edit.override_path(paths, compose.file)[0]
                if compose.file in mains and override not in paths and gitignore.ignored_in(audit.repo, override):
                    continue  # each developer's own override: not visible here
                repaired = repaired or compose.file in mains
                fixed = any(_sets_development(f, override, compose.name) for f in repairs)
                gaps.append(Evidence(compose.file, at, 1, f"{compose.name}: NODE_ENV=production in every environment "
                                                          "(no override sets development" + (
                                                              f"; the fix sets it in {override})" if fixed else ")"),
                                     "env-separation" if fixed else None, fixed))
    return gaps, repaired


def env_hardcoded(audit: Audit, item: Item) -> Item:
    gaps, repaired = _node_env_gaps(audit)
    if gaps:
        item.status, item.summary, item.evidence = FAIL, f"{len(gaps)} compose NODE_ENV value(s) that hold in every environment", gaps
        item.fixes = tuple(sorted({e.fix for e in gaps if e.fixable and e.fix})) or (audit.may_fix("env-separation") if repaired else ())
        item.check = "set NODE_ENV=production in the base compose file and NODE_ENV=development in its override"
        return item
    item.check = ("look for literals that differ per environment (URLs, hosts, ports, feature flags, limits) in "
                  "service code and compose files; fixer checks only NODE_ENV in compose and localhost defaults")
    item.summary = "cannot be decided from the code alone"
    return item


def env_cors(audit: Audit, item: Item) -> Item:
    findings = audit.findings("cors-validation")
    if findings:
        _from_findings(item, findings)
        return item
    code = audit.production_code()
    configured = [Evidence(p, line, 1, "CORS configured") for p in code for line in audit.code[p].cors_config]
    if not configured:
        item.status, item.summary = NA, "no CORS configuration in the code"
        return item
    validated = [Evidence(p, line, 1, "exits at start-up in production when the CORS origins are unset")
                 for p in code for line in audit.code[p].cors_validated]
    if validated:
        item.status, item.summary = PASS, "CORS origins are checked at start-up in production"
        item.evidence += validated + configured
        return item
    item.status, item.summary = FAIL, "CORS is configured but nothing fails fast when CORS_ORIGIN is unset in production"
    item.evidence += configured
    item.fixes = audit.may_fix("cors-validation")
    item.check = "read the origins from CORS_ORIGIN and exit at start-up in production when it is empty"
    return item


def env_localhost(audit: Audit, item: Item) -> Item:
    findings = [f for fix in ("cors-validation", "kafka-listeners") for f in audit.findings(fix)
                if "localhost" in f.message and not _OVERRIDE.search(f.path)]
    code = audit.production_code()
    probing = {probe.script for probe in audit.probes if probe.script}  # (a health check's script calls its own container)
    found = [Evidence(p, line, col, text) for p in code if p not in probing for line, col, text in audit.code[p].localhost]
    if findings:
        _from_findings(item, findings)
    if found:
        item.status = FAIL
        item.evidence += found
        item.summary = (item.summary + "; " if item.summary else "") + f"{len(found)} localhost value(s) in production code"
        item.check = "read hosts and URLs from the environment with no localhost default (fail at start-up when unset)"
        return item
    if item.status != FAIL:
        item.status, item.summary = PASS, "no localhost default or URL in production code"
        _checked(item, code, "production code", _unread_code(audit))
    return item


# Health Checks & Readiness


def _is_health(route: str) -> bool:
    return route == "/health"


def _is_ready(route: str) -> bool:
    return bool(_READY_PATH.match(route))


def health_health(audit: Audit, item: Item) -> Item:
    return _per_service(audit, item, lambda s: _route(audit, s, _is_health), "no /health route",
                        audit.findings("health-endpoints"), "serves /health", applies=lambda s: _no_health_route(audit, s),
                        gap=lambda s: _moved_route(audit, s, _is_health, "no /health route"),
                        unsure=lambda s: _unsure_route(audit, s, _is_health))


def health_ready(audit: Audit, item: Item) -> Item:
    item = _per_service(audit, item, lambda s: _route(audit, s, _is_ready),
                        "no /ready route", audit.findings("eager-init"), "serves /ready",
                        applies=lambda s: _no_health_route(audit, s),
                        gap=lambda s: _moved_route(audit, s, _is_ready, "no /ready route"),
                        unsure=lambda s: _unsure_route(audit, s, _is_ready))
    if item.status == FAIL and not item.fixes:
        item.check = "add a readiness route that answers 503 until the service's dependencies are connected"
    return item


def health_loopback(audit: Audit, item: Item) -> Item:
    """In-container probes (HEALTHCHECK, compose) must call 127.0.0.1. A Kubernetes `httpGet`
    probe is made by the kubelet, on the node: without `host:` it calls the pod's IP (right);
    with one it calls that host, and localhost/127.0.0.1 is the node itself, never the pod."""
    findings = audit.findings("healthcheck-loopback")
    if findings:
        _from_findings(item, findings)
    probes = [p for p in audit.probes if not p.disabled and p.host and p.source != "k8s"]
    kubelet = [p for p in audit.probes if not p.disabled and p.source == "k8s"]
    if not probes and not kubelet and item.status != FAIL:
        item.status, item.summary = NA, "no HTTP health check in Dockerfiles, compose or Kubernetes manifests"
        return item
    bad = [Evidence(p.file, p.line, p.col, f"{p.label} calls {p.host}") for p in probes if p.host != "127.0.0.1"
           and not any(f.path == p.file for f in findings)]
    unserved, unsure = _probe_paths(audit)
    bad += unserved
    for probe in probes:  # a HEALTHCHECK whose tool the image lacks reaches nothing
        missing = audit.docker[probe.file].probe_missing if probe.file in audit.docker else None
        if missing is not None and missing[0] == probe.line and not any(e.path == probe.file for e in bad):
            bad.append(_probe_missing_evidence(probe.file, missing))
    # (and so does a compose healthcheck's: the same rule, in the image the service runs)
    bad += [e for _built, e in _compose_probes_missing(audit) if not any((b.path, b.line) == (e.path, e.line) for b in bad)]
    bad += [Evidence(p.file, p.line, p.col, f"{p.label} calls host: {p.host}, " + (
                "which for the kubelet is the node, not the pod" if p.host in LOOPBACK_HOSTS else "not the pod's IP"))
            for p in kubelet if p.host and "{{" not in p.host]
    templated = [Evidence(p.file, p.line, p.col, f"{p.label}: host: {p.host} (set when the chart is rendered)")
                 for p in kubelet if p.host and "{{" in p.host]
    if bad or item.status == FAIL:
        item.status = FAIL
        item.evidence += bad + unsure
        toolless = sum(1 for e in bad if " has not: the check always fails" in e.text)
        item.summary = item.summary or f"{len(bad)} health check(s) not on 127.0.0.1 (or, in Kubernetes, not on the pod)" + (
            f", or on a path their service does not serve ({len(unserved)})" if unserved else "") + (
            f", or run by a tool their image lacks ({toolless})" if toolless else "")
        if any(p.host for p in kubelet):
            item.check = item.check or "drop `host:` from Kubernetes httpGet probes: without it the kubelet calls the pod's IP"
        return item
    pod = [p for p in kubelet if not p.host]
    item.status, item.summary = PASS, f"all {len(probes) + len(pod)} HTTP health check(s) reach the service" + (
        f": {len(probes)} call 127.0.0.1" if probes else "") + (
        f"{'; ' if probes else ': '}{len(pod)} Kubernetes probe(s) call the pod's IP (no host:)" if pod else "")
    item.evidence += [Evidence(p.file, p.line, p.col, f"{p.label} calls {p.host}{p.url_path or ''}") for p in probes]
    item.evidence += [Evidence(p.file, p.line, p.col, f"{p.label} calls the pod's IP{p.url_path or ''}") for p in pod]
    if templated:
        item.status, item.evidence = UNKNOWN, item.evidence + templated
        item.summary = (item.summary + "; " if probes or pod else "") + \
            f"{len(templated)} Kubernetes probe host(s) set by a chart's values"
        item.check = "render the chart: a Kubernetes httpGet probe must not set host: (the kubelet then calls the pod)"
    if unsure:
        item.status, item.evidence = UNKNOWN, item.evidence + unsure
        item.summary += f"; {len(unsure)} probe path(s) fixer cannot match to a route"
        item.check = (item.check + "; " if item.check else "") + \
            "check where each router is mounted: the probe's path must be the route's path under its prefix"
    return item


def _probe_paths(audit: Audit) -> tuple[list[Evidence], list[Evidence]]:
    """Health checks on a path their service does not serve (a Dockerfile's `/health` while the
    route answers `/api/health`: `app.use('/api', router)`), and those whose service has
    routes on a router fixer cannot see mounted (it cannot tell). A service none of whose
    routes fixer sees (a framework it does not read) is not judged, nor is a Kubernetes probe."""
    services = {service.dir: service for service in audit.services}
    bad, unsure = [], []
    for probe in audit.probes:
        service = services.get(probe.service) if probe.service is not None else None
        if probe.disabled or not probe.url_path or service is None or probe.source.startswith("k8s"):
            continue  # (a pod may hold other containers, a sidecar on its own port: fixer cannot tell whose a probe is)
        path = probe.url_path.split("?", 1)[0].split("#", 1)[0] or "/"
        if _route(audit, service, lambda route: _matches(route, path)) is not None:
            continue
        static, maybe = _static_file(audit, service, path)
        if static is not None:
            continue  # (`express.static('public')` serving public/index.html for `/`)
        if maybe:
            unsure.append(Evidence(probe.file, probe.line, probe.col, f"{probe.label} calls {path}: {maybe}"))
            continue
        known, doubtful = _served_routes(audit, service)
        if doubtful or _unread_service(audit, service) is not None:
            unsure.append(Evidence(probe.file, probe.line, probe.col, f"{probe.label} calls {path}: {service.name} has "
                                   "routes fixer cannot place (a router mounted where it cannot see, or unread code)"))
        elif known or _framework_routes(audit, service):
            moved = next((route for route in known if route.path == path), None)
            bad.append(Evidence(probe.file, probe.line, probe.col, f"{probe.label} calls {path}, which {service.name} "
                                "does not serve" + (f": it serves {moved.label()}" if moved else "")))
    return bad, unsure


def _matches(route: str, path: str) -> bool:
    """Whether a request for `path` reaches a route (`:param` and `*` segments match any)."""
    if route == path or route.rstrip("/") == path.rstrip("/"):
        return True
    if ":" not in route and "*" not in route:
        return False
    pattern = "".join("[^/]+" if part.startswith(":") else ".*" if part == "*" else re.escape(part)
                      for part in re.split(r"(/)", route))
    return re.fullmatch(pattern, path) is not None


def health_functional(audit: Audit, item: Item) -> Item:
    item.check = ("open each health route: it should answer from the service's own state (event loop, the "
                  "connections it holds), not only return 200")
    item.evidence += [e for s in audit.services if (e := _route(audit, s, lambda r: r in ("/health", "/healthz")))]
    item.summary = "what a health handler checks is a judgement call"
    return item


def health_ready_db(audit: Audit, item: Item) -> Item:
    if not audit.services:  # (database clients may be there all the same: what runs them is not known)
        item.status, item.summary = NA, _NO_SERVICE
        return item
    db_services = [s for s in audit.services if any(audit.code[p].db_clients for p in audit.files_of(s) if p not in audit.scripts())]
    if not db_services:
        item.status, item.summary = NA, "no service uses a database"
        return item
    # a worker serving no HTTP takes no traffic a readiness route would hold back; a Lambda function has no
    # server of its own to probe (`_no_health_route`)
    workers = [reason for s in db_services if (reason := _no_health_route(audit, s)) is not None]
    db_services = [s for s in db_services if _no_health_route(audit, s) is None]
    if not db_services:
        item.status, item.summary = NA, "no database-backed service takes readiness probes: " + "; ".join(e.text for e in workers)
        item.evidence += workers
        return item
    missing = [s for s in db_services if not _route(audit, s, _is_ready) and not _unsure_route(audit, s, _is_ready)]
    if missing:
        item.status = FAIL
        item.summary = f"{len(missing)} database-backed service(s) have no readiness route"
        item.evidence += [audit.entry_evidence(s, "uses a database, no /ready route") for s in missing] + workers
        item.fixes = _fixing(audit.findings("eager-init"))
        item.check = "add /ready answering 503 until the database is connected"
        return item
    item.evidence += [e for s in db_services if (e := _route(audit, s, _is_ready) or _unsure_route(audit, s, _is_ready))] + workers
    item.summary = "every database-backed service has a readiness route"
    item.check = "check that each /ready handler queries (or tracks) the database connection"
    return item


def health_liveness(audit: Audit, item: Item) -> Item:
    item.check = "a liveness handler must not call the database or other services; check each /health handler"
    item.evidence += [e for s in audit.services if (e := _route(audit, s, lambda r: r == "/health"))]
    item.summary = "what a liveness handler does is a judgement call"
    return item


# Logging & Observability


def log_console(audit: Audit, item: Item) -> Item:
    findings = audit.findings("console-to-logger")
    if findings:
        _from_findings(item, findings)
        return item
    code = [p for p in audit.production_code() if audit.repo.service_for(p) in audit.services]
    unread = _unread_code(audit, lambda p: audit.repo.service_for(p) in audit.services)
    if audit.ran("console-to-logger"):
        item.status, item.summary = PASS, "console-to-logger finds no console.* call to replace"
        return _checked(item, code, "service code", unread)
    found = [Evidence(p, line, 1, "console call") for p in code for line in audit.code[p].console]
    if found:
        item.status, item.summary, item.evidence = FAIL, f"{len(found)} console.* call(s) in service code", found
        item.fixes = audit.may_fix("console-to-logger")
        return item
    item.status, item.summary = PASS, "no console.* call in service code"
    return _checked(item, code, "service code", unread)


def _logger_files(audit: Audit) -> list[str]:
    return [p for p in audit.production_code() if audit.code[p].logger_created]


@dataclass(frozen=True)
class _DefaultLogger:
    """winston's default logger as one process uses it (`winston.info(…)`, never `winston.configure`d:
    a configured one is judged as the logger `configure` sets up), or consola's default instance
    (`consola.info(…)`: `library` "consola", judged by `_consola_defaults`)."""

    path: str
    line: int  # its first use
    transport: Evidence | None  # `winston.add(…)`, `winston.configure({ transports })`
    level_env: Evidence | None  # `winston.level = process.env.LOG_LEVEL` (winston 2: a transport's `level: process.env.…`)
    configured: bool  # `winston.configure(…)`: judged as the logger it sets up (CodeFacts.logger_created)
    json: Evidence | None = None  # where its output is JSON: winston 3's default format; winston 2's `json: true`
    json_unknown: Evidence | None = None  # winston 2's `json:` given an expression: chosen at run time
    level_unknown: Evidence | None = None  # winston 2's transport level from where fixer cannot see
    library: str = "winston"

    @property
    def label(self) -> str:
        return "consola's default instance" if self.library == "consola" else "winston's default logger"


def _by_service(audit: Audit, wanted: Callable[[CodeFacts], Any]) -> list[list[str]]:
    """The production files whose facts have `wanted`, grouped by the service each belongs to (each runs
    its own process), in the order they come."""
    owners: dict[str, list[str]] = {}
    for path in audit.production_code():
        if wanted(audit.code[path]):
            owner = audit.repo.service_for(path)
            owners.setdefault(owner.dir if owner is not None else "", []).append(path)
    return list(owners.values())


def _default_loggers(audit: Audit) -> list[_DefaultLogger]:
    """Per service (each runs its own process: a transport added in one is not another's); winston's, then
    consola's (`_consola_defaults`)."""
    found = []
    for paths in _by_service(audit, lambda facts: facts.default_logger):
        facts = [(path, audit.code[path]) for path in paths]
        configured = any(set(f.default_logger) & set(f.logger_created) for _, f in facts)
        transport = next((Evidence(path, line, 1, "transport added to winston's default logger")
                          for path, f in facts for line in f.default_transport), None)
        level = next((Evidence(path, line, 1, "winston's default logger: level from the environment")
                      for path, f in facts for line in sorted(set(f.default_logger) & set(f.level_env))), None)
        first = Evidence(paths[0], facts[0][1].default_logger[0], 1, "winston's default logger: JSON, its default format")
        json: Evidence | None = first
        json_unknown = level_unknown = None
        major = _winston_major(audit, paths[0])
        if major is not None and major < 3:  # winston 2: its transports' options decide (Console: text, `info: msg`)
            level = level or next((Evidence(path, line, 1, "winston 2's default logger: its transport's level from the "
                                            "environment") for path, f in facts for line in f.transport_level_env), None)
            level_unknown = next((Evidence(path, line, 1, f"winston 2's default logger: its transport's {why}")
                                  for path, f in facts for line, why in f.transport_level_unknown), None)
            said = [(path, line, value) for path, f in facts for line, value in f.transport_json]
            json = next((Evidence(path, line, 1, "winston 2's default logger: its transport prints JSON (json: true)")
                         for path, line, value in said if value == "true"), None)
            json_unknown = next((Evidence(path, line, 1, "winston 2's default logger: its transport's `json:` is chosen at "
                                          "run time (winston 2's Console prints text unless it is true)")
                                 for path, line, value in said if value == "?"), None)
        found.append(_DefaultLogger(paths[0], facts[0][1].default_logger[0], transport, level, configured, json,
                                    json_unknown, level_unknown))
    return found + _consola_defaults(audit)


def _consola_defaults(audit: Audit) -> list[_DefaultLogger]:
    """consola's default instance as each service's process uses it (`_consola_default` reads consola's dist): text
    (its fancy or basic reporter), unless the service gives it reporters that print JSON; its level from
    CONSOLA_LEVEL, unless the service sets `consola.level` otherwise."""
    if audit._consola_defaults is not None:
        return audit._consola_defaults
    found = []
    for paths in _by_service(audit, lambda facts: facts.consola_default):
        first = Evidence(paths[0], audit.code[paths[0]].consola_default[0], 1, "")
        reporters = [(path, line, what) for path in paths for line, what in audit.code[path].consola_reporters]
        levels = [(path, line, what) for path in paths for line, what in audit.code[path].consola_level]
        json = next((Evidence(path, line, 1, "consola's default instance: reporters that print JSON")
                     for path, line, what in reporters if what == "json"), None)
        json_unknown = next((Evidence(path, line, 1, what) for path, line, what in reporters if what != "json"), None)
        level = level_unknown = None
        if not levels:
            level = replace(first, text="consola's default instance: level from CONSOLA_LEVEL (consola reads it)")
        elif any(what == "env" for _, _, what in levels):
            level = next(Evidence(path, line, 1, "consola's default instance: level from the environment")
                         for path, line, what in levels if what == "env")
        elif any(what != "fixed" for _, _, what in levels):
            level_unknown = next(Evidence(path, line, 1, f"consola's default instance: {what}")
                                 for path, line, what in levels if what != "fixed")
        found.append(_DefaultLogger(first.path, first.line, None, level, False, json, json_unknown if json is None else None,
                                    level_unknown, "consola"))
    audit._consola_defaults = found
    return found


def _winston_major(audit: Audit, path: str) -> int | None:
    """The major version of winston the service of `path` depends on (its package.json, else the
    repository's root one): None when neither names it or its range starts with no number."""
    service = audit.repo.service_for(path)
    for package in (service.package if service is not None else None, audit.repo.packages.get("")):
        for key in ("dependencies", "devDependencies", "peerDependencies"):
            deps = package.get(key) if isinstance(package, dict) else None
            spec = deps.get("winston") if isinstance(deps, dict) else None
            if isinstance(spec, str):
                return logger_mod.range_major(spec)
    return None


def log_files(audit: Audit, item: Item) -> Item:
    findings = audit.findings("stdout-logging")
    code = audit.production_code()
    found = [Evidence(p, line, 1, text) for p in code for line, text in audit.code[p].file_logging]
    if findings:
        _from_findings(item, findings)
        # files writing logs that the fix says nothing of: still the defect (it may not know that logger)
        named = {f.path for f in findings}
        unnamed = [e for e in found if e.path not in named]
        if unnamed:
            item.evidence += [replace(e, text=f"{e.text}: not handled by stdout-logging, remove it by hand") for e in unnamed]
            item.summary += f"; {len(unnamed)} more file sink(s) no finding names"
            item.check = item.check or "each finding above says what to change by hand"
        return item
    if found:
        item.status, item.summary, item.evidence = FAIL, "loggers write to files", found
        item.fixes = audit.may_fix("stdout-logging")
        return item
    loggers = _logger_files(audit)
    silent = [Evidence(p, line, 1, "winston logger given no transport: it logs nowhere unless one is added elsewhere")
              for p in loggers for line in audit.code[p].logger_no_transport]
    winston = [d for d in _default_loggers(audit) if d.library == "winston"]
    silent += [Evidence(d.path, d.line, 1, "winston's default logger used, no transport added (`winston.add`): it logs "
                        "nowhere") for d in winston if d.transport is None]
    added = [d.transport for d in winston if d.transport is not None]
    if silent:
        item.status, item.summary, item.evidence = UNKNOWN, f"no file transport, but {len(silent)} logger(s) without any transport", silent
        item.check = ("give each a Console transport (`transports: [new winston.transports.Console()]`), unless "
                      "another file adds one: winston writes nowhere without a transport")
        return _not_read(item, _unread_code(audit))
    item.status, item.summary = PASS, "no file transport: logs go to stdout/stderr"
    item.evidence += [Evidence(p, audit.code[p].logger_created[0], 1, "logger without a file transport") for p in loggers]
    item.evidence += added
    run = audit.runs.get("stdout-logging")  # (its notes: file transports attached outside production only)
    item.evidence += [Evidence(f.path, f.line, f.col, "note: " + f.message, f.fix)
                      for f in (run.findings if run is not None else ()) if f.severity == "info"]
    return _checked(item, code, "production code", _unread_code(audit))


def _every_logger(audit: Audit, item: Item, has: str, check: str, lacking: str, failed: str, passed: str,
                  found: str, default: Callable[[_DefaultLogger], Evidence | None], unknown: str = "",
                  against: str = "", default_unknown: Callable[[_DefaultLogger], Evidence | None] = lambda d: None,
                  followed: Callable[[str], Evidence | None] = lambda path: None) -> Item:
    """An item that holds when every logger the code creates has a property (a CodeFacts field),
    winston's default logger used as it is included (`default` says whether it has it). `unknown`:
    a field of (line, why) for files where fixer cannot tell (❓ unless another logger fails);
    `against`: one of (line, why) that shows the property missing (❌, cited); `default_unknown`: why fixer
    cannot tell for winston's default logger (❓ likewise); `followed`: where another file shows that a
    file's logger has it (what fixer could not tell from the file alone)."""
    judged = []
    for p in _logger_files(audit):
        facts = audit.code[p]
        shown = getattr(facts, against) if against else ()
        lacking_here = Evidence(p, shown[0][0], 1, shown[0][1]) if shown else \
            Evidence(p, facts.logger_created[0], 1, lacking)
        holds = Evidence(p, getattr(facts, has)[0], 1, found) if getattr(facts, has) and not shown else \
            followed(p) if not shown else None
        maybe = getattr(facts, unknown) if unknown and holds is None and not shown else ()
        judged.append((lacking_here, holds, Evidence(p, maybe[0][0], 1, maybe[0][1]) if maybe else None))
    judged += [(Evidence(d.path, d.line, 1, f"{d.label}: {lacking}"), holds,
                default_unknown(d) if holds is None else None)
               for d in _default_loggers(audit) if not d.configured for holds in [default(d)]]
    if not judged:
        item.summary = "no logger library is set up in the code"
        item.check = check
        return item
    bad = [missing for missing, holds, maybe in judged if holds is None and maybe is None]
    if bad:
        item.status, item.summary, item.evidence = FAIL, f"{len(bad)} {failed}", bad
        item.check = check
        return item
    open_ = [maybe for _, holds, maybe in judged if holds is None and maybe is not None]
    if open_:
        item.status, item.summary = UNKNOWN, f"{len(open_)} logger(s): fixer cannot tell ({open_[0].text})"
        item.evidence = open_ + [holds for _, holds, _ in judged if holds is not None]
        item.check = check
        return item
    item.status, item.summary = PASS, f"{len(judged)} {passed}"
    item.evidence += [holds for _, holds, _ in judged if holds is not None]
    return item


def log_json(audit: Audit, item: Item) -> Item:
    return _every_logger(audit, item, "json_format", "use winston.format.json() (or pino without pino-pretty, tslog's "
                         "`type: 'json'`, Nest's `new ConsoleLogger({ json: true })`, consola given a reporter that writes "
                         "`JSON.stringify(logObj)`) for production output, to stdout",
                         "logger without a JSON format", "logger(s) without JSON output",
                         "logger(s) format JSON", "JSON format",
                         lambda d: d.json, unknown="json_unknown", against="json_text",
                         default_unknown=lambda d: d.json_unknown)


def log_level(audit: Audit, item: Item) -> Item:
    return _every_logger(audit, item, "level_env", "level: process.env.LOG_LEVEL || 'info'",
                         "level not read from the environment", "logger(s) with a fixed level",
                         "logger(s) read their level from the environment", "level from the environment",
                         lambda d: d.level_env, unknown="level_unknown", default_unknown=lambda d: d.level_unknown,
                         followed=lambda path: _level_from_module(audit, path))


def _level_from_module(audit: Audit, path: str) -> Evidence | None:
    """Where a logger's level read from a module of the repository (`level: config.logLevel`, `config` from
    './config') comes from the environment: that module reads a variable named for the setting (`logLevel`,
    `log.level`: LOG_LEVEL) through process.env, env-var or convict. Every level of the file that fixer could
    not tell must be one such."""
    facts = audit.code[path]
    if not facts.level_imported or {line for line, _why in facts.level_unknown} - {line for line, _m, _k in facts.level_imported}:
        return None
    found = None
    for line, module, key in facts.level_imported:
        target = logger_mod.resolve_import(audit.repo, path, module)
        reads = audit.code[target].env_reads if target is not None and target in audit.code else ()
        if module == "config":  # node-config: its config/custom-environment-variables.json beside the service's package
            owner = audit.repo.service_for(path)
            folder = f"{owner.dir}/config/" if owner is not None and owner.dir else "config/"
            places = [place for place in _node_config_env(audit)
                      if place[1].startswith(folder) and "/" not in place[1][len(folder):]]
            reads, target = tuple((name, line, col) for name, _path, line, col in places), \
                places[0][1] if places else None
        wanted = re.sub(r"[^a-z0-9]", "", key.lower())
        name = next((name for name, *_ in reads if wanted.endswith("level")
                     and re.sub(r"[^a-z0-9]", "", name.lower()).endswith(wanted)), None)
        if name is None:
            return None
        found = found or Evidence(path, line, 1, f"level from {target}, which reads {name} from the environment")
    return found


def log_sensitive(audit: Audit, item: Item) -> Item:
    found = [Evidence(p, line, 1, f"log call mentions {word}") for p in audit.production_code()
             for line, word in audit.code[p].sensitive_logs]
    item.evidence += found
    item.summary = f"{len(found)} log call(s) to read" if found else "no log message names a password, token or secret"
    item.check = "read these log calls and the objects passed as metadata: no passwords, tokens, OTPs or personal data"
    return item


def log_stack(audit: Audit, item: Item) -> Item:
    found = [Evidence(p, line, 1, "error response includes a stack trace") for p in audit.production_code()
             for line in audit.code[p].stack_in_response]
    if found:
        item.status, item.summary, item.evidence = FAIL, "stack traces are sent to clients", found
        item.check = "send stack traces only when NODE_ENV is development"
        return item
    item.summary = "no response sends err.stack"
    item.check = "check that production log formats and error responses leave stack traces out (or that you want them in logs)"
    return item


# Resilience & Error Handling


# connections the db-degradation and eager-init fixes do not read: their having no finding says nothing
_FRAMEWORK_CLIENTS = re.compile(r"^(?:TypeOrmModule|MongooseModule|SequelizeModule|MikroOrmModule)\.|^MikroORM\.|^drizzle$")


def _framework_connected(audit: Audit, db: list[str], item: Item) -> bool:
    """❓ when a database is connected through a framework module (Nest's `TypeOrmModule.forRoot`
    fails the application's bootstrap once its retries run out): the fixes do not read these."""
    found = [(p, line, name) for p in db for line, name in audit.code[p].db_clients if _FRAMEWORK_CLIENTS.match(name)]
    if not found:
        return False
    item.status = UNKNOWN
    item.summary = "the database is connected through an ORM or framework module the db-degradation fix does not read"
    item.evidence += [Evidence(p, line, 1, f"{name}(…)") for p, line, name in found]
    item.check = ("start the service with the database stopped: Nest's TypeOrmModule/MongooseModule fail the "
                  "bootstrap once their retries (retryAttempts) run out")
    return True


def res_db_graceful(audit: Audit, item: Item) -> Item:
    findings = audit.findings("db-degradation") + audit.findings("eager-init")
    if findings:
        _from_findings(item, findings)
        return item
    db = _db_files(audit)
    if not db:
        item.status, item.summary = NA, "no database client in the code"
        return item
    if _framework_connected(audit, db, item):
        return item
    if audit.ran("db-degradation") and audit.ran("eager-init"):
        item.status, item.summary = PASS, "no start-up or first-request path fails the service when the database is down"
        item.evidence += [Evidence(p, audit.code[p].db_clients[0][0], 1, "database client") for p in db]
        return item
    item.summary = "the db-degradation and eager-init fixes did not run"
    item.check = "run `fixer audit` with every fix, or stop the database and start each service"
    return item


def res_degraded(audit: Audit, item: Item) -> Item:
    findings = audit.findings("db-degradation")
    if findings:
        _from_findings(item, findings)
        return item
    db = _db_files(audit)
    if not db:
        item.status, item.summary = NA, "no database client in the code"
        return item
    flags = [Evidence(p, line, 1, "degraded-mode switch") for p in audit.production_code() for line in audit.code[p].degraded]
    if not flags and _framework_connected(audit, db, item):
        return item
    if audit.ran("db-degradation"):
        item.status = PASS
        item.summary = ("db-degradation found no start-up path that exits when the database is down"
                        + (" (degraded mode behind a flag)" if flags else ""))
        item.evidence += flags or [Evidence(p, audit.code[p].db_clients[0][0], 1,
                                            "database client: no start-up exit on a failed connect found") for p in db]
        return item
    item.evidence += flags
    item.summary = "the db-degradation fix did not run"
    item.check = "start each service with the database stopped"
    return item


def _retried_elsewhere(audit: Audit, path: str) -> list[tuple[str, int]]:
    """The retries of other production files around a call of what they import from `path` (the entry point's
    start-up loop around db.js's `initDb()`): (that file, the retry's line)."""
    scripts = audit.scripts()
    return [(p, line) for p in audit.production_code() if p != path and p not in scripts
            for line, module in audit.code[p].retried_imports
            if logger_mod.resolve_import(audit.repo, p, module) == path]


def res_retry(audit: Audit, item: Item) -> Item:
    db = _db_files(audit)
    if not db:
        item.status, item.summary = NA, "no database client in the code"
        return item
    # where each client's retry with backoff is: its own file, or a file that retries a call of what it exports
    backoff = {p: (p, audit.code[p].backoff[0]) if audit.code[p].retry and audit.code[p].backoff else
               next(((q, audit.code[q].backoff[0]) for q, _ in _retried_elsewhere(audit, p) if audit.code[q].backoff), None)
               for p in db}
    bad = [Evidence(p, audit.code[p].db_clients[0][0], 1, f"{name} " + (
               "retries at a fixed delay (retryDelay): no exponential backoff" if _NEST_MODULE.match(name)
               else "created without a retry with backoff"))
           for p in db if backoff[p] is None for name in [audit.code[p].db_clients[0][1]]]
    if bad:
        item.status, item.summary, item.evidence = FAIL, f"{len(bad)} of {len(db)} database client(s) without retry and backoff", bad
        item.check = "connect with a bounded retry loop and exponential backoff (delay * 2 ** attempt)"
        return item
    item.status, item.summary = PASS, f"{len(db)} database client(s) retry with exponential backoff"
    item.evidence += [Evidence(q, line, 1, "exponential backoff" + (f" (retrying {printable_path(p)})" if q != p else ""))
                      for p in db for q, line in [backoff[p]]]
    return item


def _framework_sigterm(audit: Audit, service: Service) -> Evidence | None:
    """Where the service's framework handles SIGTERM itself (a LoopBack application class, an Apollo Server), unless
    its `shutdown.signals` option leaves SIGTERM out somewhere in the service."""
    files = audit.own_files(service)
    if any(audit.code[p].sigterm_unset for p in files):
        return None
    return next((Evidence(p, line, 1, f"{service.name}: {label}") for p in files for line, label in audit.code[p].framework_sigterm), None)


# fastify-cli's `fastify start <app>` (2.8.0 on) registers the app and wraps it in close-with-grace (its start.js:
# `closeWithGrace({ delay: opts.closeGraceDelay }, async ({ err }) => { … await fastify.close() })`), which traps
# SIGTERM, SIGINT, uncaughtException and unhandledRejection and closes the server
_FASTIFY_START = re.compile(r"(?:^|[\s;&|(\"'])(?:(?:npx|pnpx|bunx|pnpm\s+exec|yarn)\s+)?(?:fastify|fastify-cli)\s+start\b")
# Egg's `egg-scripts start`/`eggctl start` (egg-scripts 3 lib/cmd/start.js, @eggjs/scripts 4 commands/start.js: forwards
# SIGTERM to the cluster master it spawns, which stops its workers: `_EGG_SIGTERM`) and the Sails CLI's `sails lift`
# (`_SAILS_SIGTERM`): SIGTERM only, neither handles unhandled rejections
_SIGTERM_RUNNERS = (
    (re.compile(r"(?:^|[\s;&|(\"'])(?:(?:npx|pnpx|bunx|pnpm\s+exec|yarn)\s+)?(?:egg-scripts|eggctl)\s+start\b"), "egg",
     "`eggctl start` (egg-scripts) runs Egg's cluster master, which traps SIGTERM and stops its workers with SIGTERM before exiting"),
    (re.compile(r"(?:^|[\s;&|(\"'])(?:(?:npx|pnpx|bunx|pnpm\s+exec|yarn)\s+)?sails\s+lift\b"), "sails",
     "`sails lift` traps SIGTERM and lowers the app, closing its HTTP server"),
    # moleculer-runner (moleculer 0.14 src/runner.js) makes the ServiceBroker: `_MOLECULER_SIGTERM`
    (re.compile(r"(?:^|[\s;&|(\"'/])(?:(?:npx|pnpx|bunx|pnpm\s+exec|yarn)\s+)?moleculer-runner\b"), "moleculer",
     "`moleculer-runner` starts a ServiceBroker, which traps SIGTERM and SIGINT and awaits broker.stop() (each "
     "service's stopped()) before exiting"),
)


def _runner_handles(audit: Audit, service: Service, rejections: bool = False) -> Evidence | None:
    """Where the command the service is started with is one that traps the signals itself (fastify-cli's
    `fastify start`; for SIGTERM alone, not `rejections`: Egg's `eggctl start`, `sails lift`): the CMD/ENTRYPOINT
    of its image, else its package.json `start` script, followed through the scripts they run (`npm start`, `npm run serve`)."""
    scripts = service.package.get("scripts") if isinstance(service.package, dict) else None
    scripts = scripts if isinstance(scripts, dict) else {}
    package = posixpath.join(service.dir, "package.json")
    commands: list[tuple[str, int, str]] = []  # where, line, command
    for path in service.dockerfiles:
        source = audit.repo.read(path) if not _DEV_DOCKERFILE.search(path) else None
        try:
            final = dockerfile_parser.final_stage(source.instructions) if source is not None else []
        except ParseError:
            continue
        commands += [(path, i.start_line, " ".join(i.value)) for i in final if i.cmd in ("CMD", "ENTRYPOINT")][-2:]
    if not commands and isinstance(scripts.get("start"), str):
        commands.append((package, 0, "npm start"))
    seen: set[str] = set()
    while commands:
        where, line, command = commands.pop(0)
        if _FASTIFY_START.search(command) and _installs_close_with_grace(service, command):
            return Evidence(where, line, 1, f"{service.name}: `fastify start` (fastify-cli) wraps the app in close-with-grace, "
                            "which traps SIGTERM, SIGINT and unhandled rejections and closes the server")
        runner = next((text for pattern, dependency, text in _SIGTERM_RUNNERS
                       if not rejections and pattern.search(command) and _depends_on(service, dependency)), None)
        if runner is not None:
            return Evidence(where, line, 1, f"{service.name}: {runner}")
        for match in RUN_SCRIPT.finditer(command):
            name = match.group(1)
            script = scripts.get(name)
            if isinstance(script, str) and name not in seen:
                seen.add(name)
                source = audit.repo.read(package)
                at = re.search(rb'"' + re.escape(name.encode()) + rb'"\s*:', source.data) if source is not None else None
                commands.append((package, source.data.count(b"\n", 0, at.start()) + 1 if at else 0, script))
    return None


def _depends_on(service: Service, name: str) -> bool:
    return any(isinstance(deps := service.package.get(key) if isinstance(service.package, dict) else None, dict)
               and name in deps for key in ("dependencies", "devDependencies"))


def _installs_close_with_grace(service: Service, command: str) -> bool:
    """fastify-cli 2.8.0 or later: the version the service depends on (or npx's latest, undeclared)."""
    for key in ("dependencies", "devDependencies"):
        deps = service.package.get(key) if isinstance(service.package, dict) else None
        spec = deps.get("fastify-cli") if isinstance(deps, dict) else None
        if isinstance(spec, str):
            number = re.match(r"^\s*[~^>=v\s]*(\d+)(?:\.(\d+))?", spec)
            return number is None or (int(number.group(1)), int(number.group(2) or 0)) >= (2, 8)
    return re.search(r"\b(?:npx|pnpx|bunx)\s+fastify-cli\s+start\b", command) is not None


def res_shutdown(audit: Audit, item: Item) -> Item:
    reaches: dict[str, frozenset[str] | None] = {}
    unreached: set[str] = set()  # services a container of which keeps SIGTERM from node

    def handlers(service: Service) -> list[tuple[str, int, bool]]:  # path, line, exits only
        # a handler counts where the entry point loads it (a CLI's `lib/standalone.js` is not the service's);
        # where fixer cannot tell what it loads, or the entry loads none of the servers the service starts
        # (package.json's `main` a library, the process another file: node-red's), anywhere
        if service.dir not in reaches:
            reached = entry_reach(audit.repo, service)
            servers = {listen.file for listen in listen_calls(audit.repo, service.dir)}
            reaches[service.dir] = reached if reached is None or not servers or servers & reached else None
        reached = reaches[service.dir]
        return [(path, line, line in audit.code[path].exiting_signal_handlers) for path in audit.own_files(service)
                if reached is None or path in reached
                for signal, line in audit.code[path].signals if signal == "SIGTERM"]

    def handler(service: Service) -> Evidence | None:
        if unhandled(service) is not None:
            return None
        return next((Evidence(path, line, 1, f"{service.name}: SIGTERM handler")
                     for path, line, exits in handlers(service) if not exits), None) or _framework_sigterm(audit, service) \
            or _runner_handles(audit, service)

    def exits_only(service: Service) -> Evidence | None:  # a handler, but it drains nothing
        return unhandled(service) or next((Evidence(path, line, 1, f"{service.name}: SIGTERM handler exits without "
                                                    "closing the server") for path, line, _ in handlers(service)), None)

    def unhandled(service: Service) -> Evidence | None:
        """A process the service's containers run besides its entry's (a worker run by a compose `command:`, an
        image of its own: `probes.container_processes`) that loads no SIGTERM handler of its own: each process
        is stopped with SIGTERM on its own. Not a script's (`script_files`: a seed, a migration), nor one whose
        imports fixer cannot follow. First, a container whose node SIGTERM never reaches (`scripts.sigterm_blocked`:
        `CMD npm start` on node:20-slim is dash as PID 1): a handler there never runs."""
        from fixer.scripts import sigterm_blocked  # (this item's alone)

        for process in container_processes(audit.repo):
            if process.service is service and not _DEV_DOCKERFILE.search(process.file) \
                    and (why := sigterm_blocked(audit.repo, process)) is not None:
                unreached.add(service.dir)
                return Evidence(process.file, process.line, process.col, f"{service.name}: {why}")
        scripts = script_files(audit.repo, service)
        for process in container_processes(audit.repo):
            if process.service is not service or not process.paths or _DEV_DOCKERFILE.search(process.file) \
                    or set(process.paths) <= {service.entry} or all(path in scripts for path in process.paths):
                continue
            reached = process_reach(audit.repo, process.paths)
            if reached is None:
                continue
            code = [audit.code[path] for path in sorted(reached) if path in audit.code]
            found = [(line in facts.exiting_signal_handlers) for facts in code for signal, line in facts.signals
                     if signal == "SIGTERM"]
            if False in found or any(facts.framework_sigterm for facts in code):
                continue
            return Evidence(process.file, process.line, process.col, f"{service.name}: {process.name} runs "
                            f"`{process.command}` ({', '.join(process.paths)}), which loads no SIGTERM handler" + (
                                " but one that exits without closing what it runs" if found else ""))
        return None

    item = _per_service(audit, item, handler, "no SIGTERM handler", audit.findings("graceful-shutdown"),
                        "handles SIGTERM", gap=exits_only, applies=lambda s: _not_node(audit, s) or _on_lambda(audit, s))
    if unreached and item.status == FAIL:
        item.summary += f" (in {len(unreached)} of them a container's command keeps SIGTERM from node)"
    return item


def res_rejections(audit: Audit, item: Item) -> Item:
    def handler(service: Service) -> Evidence | None:
        for path in audit.files_of(service):
            for signal, line in audit.code[path].signals:
                if signal in ("unhandledRejection", "rejectionHandlers"):
                    return Evidence(path, line, 1, f"{service.name}: {signal}")
        return _runner_handles(audit, service, rejections=True)

    item = _per_service(audit, item, handler, "no unhandledRejection handler (process.on or the logger's rejectionHandlers)",
                        what="handles unhandled rejections", applies=lambda s: _not_node(audit, s))
    if item.status == FAIL:
        item.check = "process.on('unhandledRejection', …) in each entry point (log, then exit non-zero)"
    return item


def res_error_leak(audit: Audit, item: Item) -> Item:
    found = [Evidence(p, line, 1, "error response includes a stack trace") for p in audit.production_code()
             for line in audit.code[p].stack_in_response]
    if found:
        item.status, item.summary, item.evidence = FAIL, "stack traces reach clients", found
        return item
    item.summary = "no response sends err.stack"
    item.check = "check 5xx responses: a generic message and a request id, never err.message of unexpected errors"
    return item


# Service Independence


def _compose_app_services(audit: Audit, production: bool = True) -> list[tuple[ComposeService, Service | None]]:
    found = []
    for compose in audit.repo.compose_services:
        if production and _OVERRIDE.search(compose.file):
            continue
        if compose.bases and not compose.extends and all(yamlfile.get(compose.node, k) is None for k in ("build", "image")):
            continue  # (a layer over its base's entry, whose build it runs: that container is counted there)
        service = audit.repo.service_of_compose(compose)
        if service is not None or compose.context is not None:
            found.append((compose, service))
    return found


def ind_unknown(check: str) -> Callable[[Audit, Item], Item]:
    def decide(audit: Audit, item: Item) -> Item:
        item.check = check
        item.summary = "cannot be decided from the code alone"
        return item
    return decide


_HOST_PORT = re.compile(r"^(?:\d+\.\d+\.\d+\.\d+:)?(?:\d+|\$\{[^}]+\}):\d+")  # `${API_PORT:-3000}:3000` too


def ind_scale(audit: Audit, item: Item) -> Item:
    apps = _compose_app_services(audit)
    if not apps:
        item.check = "one image per service and no fixed names or host ports in the deployment manifests"
        item.summary = "no compose service to check"
        return item
    bad = []
    for compose, _service in apps:
        name = yamlfile.get(compose.node, "container_name")
        if name is not None:
            bad.append(Evidence(compose.file, yamlfile.line(name), yamlfile.column(name),
                                f"{compose.name}: container_name {name.value} allows one container only"))
        ports = yamlfile.get(compose.node, "ports")
        for port in (ports.value if isinstance(ports, yamlfile.SequenceNode) else []):
            published = yamlfile.get(port, "published")  # the long syntax: `- target: 3000` / `published: 3000`
            shown = str(published.value) if isinstance(published, yamlfile.ScalarNode) else \
                str(port.value) if isinstance(port, yamlfile.ScalarNode) and _HOST_PORT.match(str(port.value)) else None
            if shown is not None and not re.search(r"\d-\d", shown):  # a range (3000-3005:3000) scales
                bad.append(Evidence(compose.file, yamlfile.line(port), yamlfile.column(port),
                                    f"{compose.name}: host port {shown} binds once"))
    if bad:
        item.status, item.summary, item.evidence = FAIL, "compose pins container names or host ports", bad
        item.check = "drop container_name and fixed host ports from services you scale (publish the gateway only)"
        return item
    item.status, item.summary = PASS, f"{len(apps)} compose service(s) without container_name or fixed host ports"
    item.evidence += [Evidence(c.file, yamlfile.line(c.node), 1, c.name) for c, _ in apps]
    return item


# Security


def sec_secret_manager(audit: Audit, item: Item) -> Item:
    in_code = audit.findings("secrets", lambda f: audit.repo.kind(f.path) in CODE_KINDS)
    if in_code:
        _from_findings(item, in_code)
        item.fixes = ()
        item.check = "read the secret from the environment (or a secret manager) with no default"
        return item
    item.summary = "no secret hardcoded in code" if audit.ran("secrets") else "the secrets fix did not run"
    item.check = "check where production secrets come from (environment of the orchestrator, a secret manager)"
    return item


def sec_cors(audit: Audit, item: Item) -> Item:
    code = audit.production_code()
    wildcard = [Evidence(p, line, 1, "allows every origin") for p in code for line in audit.code[p].cors_wildcard]
    item = env_cors(audit, item)
    if wildcard:
        item.status = FAIL
        item.evidence = wildcard + item.evidence
        item.summary = "CORS allows every origin" + ("; " + item.summary if item.summary else "")
    return _not_read(item, _unread_code(audit))  # a wildcard may be in one


_CONFIG_MODULE = re.compile(r"(?:^|/)(?:config|configs|configuration|env|environment|settings)(?:/|\.[^/]*$)|(?:^|/)[\w.-]*env[\w-]*\.[cm]?[jt]s$", re.I)


def _request_code(audit: Audit, service: Service) -> set[str]:
    """The service's files requests go through: those that register routes, and the modules
    they import (middleware, schemas, DTOs), followed through imports within the service."""
    files = set(audit.files_of(service))
    pending = [p for p in files if audit.code[p].routes or audit.code[p].write_routes]
    seen = set(pending)
    while pending:
        path = pending.pop()
        for module in audit.code[path].imported:
            target = logger_mod.resolve_import(audit.repo, path, module) if module.startswith((".", "/")) or "/" in module else None
            if target is not None and target in files and target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def _validates_requests(audit: Audit, path: str) -> bool:
    """A validation library's use that is not a config module's check of the environment
    (`z.object({ PORT: … }).parse(process.env)` in config/env.ts validates no request)."""
    facts = audit.code[path]
    return not facts.validates_env and not (_CONFIG_MODULE.search(path) and not facts.routes)


def sec_validation(audit: Audit, item: Item) -> Item:
    """Evidence is a validation library used by code requests go through (a file that registers
    routes or a module it imports: a middleware, schemas, NestJS DTOs), or a Fastify route
    `schema`; a library only in a config module (the environment parsed with zod) is none."""
    mutating = {s.dir: [(p, line, method, route) for p in audit.own_files(s) for method, route, line, _ in audit.code[p].routes
                        if method in ("post", "put", "patch")]
                + [(p, line, method, route) for p in audit.own_files(s) for method, route, line in audit.code[p].write_routes]
                for s in audit.services}
    services = [s for s in audit.services if mutating[s.dir]]
    if not services:
        item.status, item.summary = NA, "no POST/PUT/PATCH route found"
        return item
    good, bad, unsure, maybe = [], [], [], []
    for service in services:
        files = audit.files_of(service)
        used = [(p, line, library) for p in files for line, library in audit.code[p].validation]
        requests = _request_code(audit, service)
        direct = [u for u in used if u[2] == "route schema" or (u[0] in requests and _validates_requests(audit, u[0]))]
        elsewhere = [u for u in used if u not in direct and _validates_requests(audit, u[0])]
        # (a route known to take a body before a Feathers service whose methods fixer cannot see: `_MAYBE_WRITE`)
        p, line, method, route = next((m for m in mutating[service.dir] if m[2] != _MAYBE_WRITE), mutating[service.dir][0])
        gap = f"{service.name}: {method.upper()} {route} ({len(mutating[service.dir])} body-taking route(s))"
        if direct:
            good.append(Evidence(direct[0][0], direct[0][1], 1, f"{service.name}: {direct[0][2]}"))
        elif elsewhere:
            unsure.append(Evidence(p, line, 1, f"{gap}: {elsewhere[0][2]} is used in {elsewhere[0][0]}, which no route "
                                   "file imports that fixer can follow"))
        elif method == _MAYBE_WRITE:  # (every one such a service)
            maybe.append(Evidence(p, line, 1, f"{service.name}: {method.upper()} {route}: it takes request bodies if it "
                                  "has create/update/patch, and no validation library is used"))
        else:
            bad.append(Evidence(p, line, 1, f"{gap} without a validation library" + (
                f" ({used[0][2]} only validates the environment, in {used[0][0]})" if used else "")))
    if bad:
        item.status, item.summary, item.evidence = FAIL, f"{len(bad)} service(s) take request bodies without a validation library", bad + maybe + unsure + good
        item.check = "validate bodies, params and queries with zod, joi, celebrate or class-validator"
        return item
    if unsure or maybe:
        item.status, item.evidence = UNKNOWN, maybe + unsure + good
        item.summary = "; ".join(([f"{len(maybe)} service(s) register Feathers services whose methods fixer cannot see, "
                                   "with no validation library"] if maybe else [])
                                 + ([f"{len(unsure)} service(s) use a validation library fixer cannot link to their "
                                     "routes"] if unsure else []))
        item.check = "check that the routes taking bodies validate them" + (
            " (a Feathers service's create/update/patch: validate `data` with schema hooks, "
            "@feathersjs/schema's validateData)" if maybe else "")
        return item
    item.status, item.summary, item.evidence = PASS, "every service that takes request bodies validates them with a library", good
    item.check = "check that every route (not only some) validates its input"
    return item


def sec_rate_limit(audit: Audit, item: Item) -> Item:
    """A known library counts; the project's own limiter given to `.use(…)`
    (`app.use(createRateLimitMiddleware(store))`) may be one: ❓ with where, never ❌."""
    own = (lambda s: next((Evidence(e.path, e.line, 1, f"{s.name}: its own rate limiter `{e.text}` given to .use(…)")
                           for e in [_first(audit, audit.files_of(s), "own_rate_limit")] if e is not None), None))
    item = _per_service(audit, item, lambda s: _first(audit, audit.files_of(s), "rate_limit"),
                        "no rate limiter (express-rate-limit, @fastify/rate-limit)", what="uses a rate limiter",
                        applies=lambda s: _serves_no_http(audit, s), unsure=own,
                        doubt=("the project's own rate limiter is used", "check that each limiter named above limits "
                               "every public entry point, in production (not only when an option turns it on)"))
    if item.status == FAIL:
        item.check = "rate-limit at least every public entry point (express-rate-limit, @fastify/rate-limit, or the load balancer)"
    return item


def sec_sql(audit: Audit, item: Item) -> Item:
    code = audit.production_code()
    built = [Evidence(p, line, 1, "SQL built by concatenation or ${}") for p in code for line in audit.code[p].sql_built]
    dynamic = [Evidence(p, line, 1, "SQL text held in a variable") for p in code for line in audit.code[p].sql_dynamic]
    constant = sum(audit.code[p].sql_constant for p in code)
    if built:
        item.status, item.summary, item.evidence = FAIL, f"{len(built)} query(ies) build SQL from values", built
        item.check = "pass values as parameters ($1, ?) instead of splicing them into the SQL"
        return item
    if dynamic:
        item.summary, item.evidence = f"{len(dynamic)} query(ies) take SQL from a variable", dynamic
        item.check = "check how each of these SQL strings is built"
        return item
    if constant:
        item.status, item.summary = PASS, f"{constant} query(ies) pass constant SQL text (values as parameters)"
        return _checked(item, [p for p in code if audit.code[p].sql_constant], "files with queries", _unread_code(audit))
    if not _db_files(audit) and not _uses(audit, set(_DB_LIBS)):
        item.status, item.summary = NA, "no SQL query in the code"
        return item
    item.summary, item.check = "no query call fixer recognises", "check how queries are built (ORM raw queries included)"
    return item


# Docker & Deployment


def _per_dockerfile(audit: Audit, item: Item, judge: Callable[[str, DockerFacts], tuple[bool, Evidence]], what: str) -> Item:
    """Each Dockerfile of a production image judged; development containers are left out."""
    unread = audit.unread({"dockerfile"}, lambda path: not _DEV_DOCKERFILE.search(path))
    production = {path: facts for path, facts in audit.docker.items() if not _DEV_DOCKERFILE.search(path)}
    if not production and not unread:
        item.status, item.summary = NA, "no Dockerfile" + (" but development ones" if audit.docker else "")
        return item
    results = [judge(path, facts) for path, facts in sorted(production.items())]
    bad = [e for ok, e in results if not ok]
    item.evidence += bad + [e for ok, e in results if ok]
    if bad:
        item.status, item.summary = FAIL, f"{len(bad)} of {len(results)} Dockerfile(s) {what}"
    else:
        item.status, item.summary = PASS, f"all {len(results)} Dockerfile(s) pass"
    return _not_read(item, unread)


def dock_user(audit: Audit, item: Item) -> Item:
    def judge(path: str, facts: DockerFacts) -> tuple[bool, Evidence]:
        line, image = facts.final_from
        tag = image.partition("@")[0].rpartition(":")[2]  # `name:tag@sha256:…`: the digest is no tag
        if facts.user is None and tag.endswith("nonroot"):  # distroless :nonroot, :debug-nonroot
            return True, Evidence(path, line, 1, f"FROM {image} runs as nonroot")
        if facts.user is None:
            return False, Evidence(path, line, 1, "final stage runs as root (no USER)")
        line, user = facts.user
        root = user.split(":")[0] in ("root", "0")
        return not root, Evidence(path, line, 1, f"USER {user}")
    item = _per_dockerfile(audit, item, judge, "run as root")
    if item.status == FAIL:
        item.check = "add `USER node` (or another non-root user) to the final stage"
    return item


def dock_healthcheck(audit: Audit, item: Item) -> Item:
    workers: list[str] = []  # services built by a Dockerfile with no HEALTHCHECK that serve no HTTP
    grpc: list[str] = []  # those of them that are gRPC servers: grpc_health_probe asks them (`_rpc_health`)
    grpc_ports: set[int | None] = set()  # the ports they bind (`_service_port`; None: not known)

    def judge(path: str, facts: DockerFacts) -> tuple[bool, Evidence]:
        if facts.healthcheck is None:
            built = [s for s in audit.services if path in s.dockerfiles]
            idle = [s.name for s in built if _not_node(audit, s) is None and _no_health_route(audit, s) is not None]
            rpc = [s.name for s in built if s.name in idle and "gRPC" in getattr(_rpc_health(audit, s), "text", "")]
            if built and rpc and len(idle) == len(built):  # a gRPC server: the gRPC health checking protocol tells
                grpc.extend(rpc)
                grpc_ports.update(_service_port(audit, s) for s in built if s.name in rpc)
                return False, Evidence(path, facts.final_from[0], 1, f"final stage has no HEALTHCHECK ({', '.join(rpc)} "
                                       "serves gRPC, not HTTP: check it with grpc_health_probe)")
            if built and len(idle) == len(built):  # a worker: its liveness is no route's to tell
                workers.extend(idle)
                return False, Evidence(path, facts.final_from[0], 1, f"final stage has no HEALTHCHECK ({', '.join(idle)} "
                                       "serves no HTTP: check that the process is alive, not a route)")
            return False, Evidence(path, facts.final_from[0], 1, "final stage has no HEALTHCHECK")
        line, disabled = facts.healthcheck
        if facts.probe_missing is not None:
            return False, _probe_missing_evidence(path, facts.probe_missing)
        # a compose healthcheck replaces the image's: one that runs a tool the image lacks fails as the HEALTHCHECK would
        overridden = next((e for built, e in _compose_probes_missing(audit) if built == path), None)
        if overridden is not None:
            return False, overridden
        # a container whose process starts no server inherits this HTTP probe: unhealthy forever (healthcheck-loopback's rule)
        idle = [process for process in idle_probed(audit.repo) if process.probe is not None and process.probe.file == path]
        if idle and not disabled:
            workers.extend(process.name for process in idle)
            first = idle[0]
            return False, Evidence(first.file, first.line, first.col, f"HEALTHCHECK ({path}:{line}) calls HTTP, yet "
                                   f"{', '.join(p.name for p in idle)} run{'s' if len(idle) == 1 else ''} a process that "
                                   "starts no server (serves no HTTP): the probe is refused and the container is unhealthy forever")
        return not disabled, Evidence(path, line, 1, "HEALTHCHECK NONE" if disabled else "HEALTHCHECK")
    item = _per_dockerfile(audit, item, judge, "have no health check, or one that cannot run")
    if item.status == FAIL:
        servers = any(e.text != "HEALTHCHECK" and "serves no HTTP" not in e.text and "serves gRPC" not in e.text
                      for e in item.evidence)
        item.check = "; ".join(filter(None, (
            "add a HEALTHCHECK calling the service's /health on 127.0.0.1, with a tool the image has" if servers else "",
            f"for a gRPC server ({', '.join(grpc)}): serve the gRPC health checking protocol (grpc-health-check) and "
            "add grpc_health_probe to the image: `HEALTHCHECK CMD [\"grpc_health_probe\", \"-addr=127.0.0.1:"
            f"{next(iter(grpc_ports)) if len(grpc_ports) == 1 and None not in grpc_ports else '<port>'}\"]`"
            if grpc else "",
            f"for a worker serving no HTTP ({', '.join(workers)}): a HEALTHCHECK that proves the process alive without "
            "HTTP, e.g. have it touch a heartbeat file on a timer or after each job, and `HEALTHCHECK CMD node -e "
            "\"process.exit(Date.now() - require('fs').statSync('/tmp/heartbeat').mtimeMs < 60000 ? 0 : 1)\"` "
            "(or add a small health server)" if workers else "")))
    return item


def _probe_missing_evidence(path: str, missing: tuple[int, str, str], label: str = "HEALTHCHECK", col: int = 1) -> Evidence:
    line, tool, image = missing
    fix = missing_tool_advice(tool, image, label)  # (healthcheck-loopback's advice too)
    if dockerfile_parser.bare_image(image) is not None:  # nothing can be installed there: the exec form, with the image's node
        runs = "is in shell form: it runs /bin/sh" if tool == "/bin/sh" else f"runs {tool}"
        return Evidence(path, line, col, f"{label} {runs}, which the image ({image}) has not: the check always fails "
                        f"(the image has no package manager to install one); {fix}")
    return Evidence(path, line, col, f"{label} runs {tool}, which the image ({image}) has not: the check always fails; {fix}")


def dock_minimal(audit: Audit, item: Item) -> Item:
    def judge(path: str, facts: DockerFacts) -> tuple[bool, Evidence]:
        if facts.build_tools:
            line, tool = facts.build_tools[0]
            return False, Evidence(path, line, 1, f"final stage installs {', '.join(t for _, t in facts.build_tools)}")
        if facts.dev_installs:
            line, text = facts.dev_installs[0]
            return False, Evidence(path, line, 1, text)
        line, image = facts.final_from
        if _FULL_NODE.match(image):
            return False, Evidence(path, line, 1, f"final stage FROM {image}: the full image ships compilers")
        return True, Evidence(path, line, 1, f"final stage FROM {image}, no build tools")
    item = _per_dockerfile(audit, item, judge, "carry build tools or devDependencies into the runtime image")
    if item.status == FAIL:
        item.check = "build in a builder stage; the final stage: a slim/alpine/distroless base, production dependencies only"
    return item


def dock_multistage(audit: Audit, item: Item) -> Item:
    def judge(path: str, facts: DockerFacts) -> tuple[bool, Evidence]:
        if facts.stages < 2:
            return False, Evidence(path, facts.final_from[0], 1, "single stage")
        if not facts.copy_from:
            return False, Evidence(path, facts.final_from[0], 1, f"{facts.stages} stages, the final one copies nothing from a builder")
        return True, Evidence(path, facts.copy_from[0], 1, f"{facts.stages} stages, final copies from a builder")
    return _per_dockerfile(audit, item, judge, "are not multi-stage builds")


def _service_line(compose: ComposeService) -> int:
    """The line of the service's name (its mapping starts on the next line in block style)."""
    return max(1, yamlfile.line(compose.node) - 1)


def _limits(compose: ComposeService) -> Any:
    limits = yamlfile.get_path(compose.node, "deploy", "resources", "limits")
    return limits or yamlfile.get(compose.node, "mem_limit") or yamlfile.get(compose.node, "cpus")


def _unread_compose(audit: Audit, item: Item) -> bool:
    """Compose files that do not parse: what they hold is unknown (❓ with the reason), never a pass."""
    unread = [(path, reason) for path, reason in sorted(audit.repo.skips.items()) if audit.repo.kind(path) == "compose"]
    if not unread:
        return False
    item.status, item.summary = UNKNOWN, f"{len(unread)} compose file(s) fixer could not read"
    item.evidence = [Evidence(path, 0, 1, reason) for path, reason in unread]
    item.check = "fix the compose file (`docker compose config` shows the error), then audit again"
    return True


def dock_limits(audit: Audit, item: Item) -> Item:
    apps = _compose_app_services(audit)
    if not apps and _unread_compose(audit, item):
        return item
    if not apps:
        item.status, item.summary = NA, "no compose service built from this repository"
        return item
    bad = [Evidence(c.file, _service_line(c), 1, f"{c.name}: no deploy.resources.limits or mem_limit")
           for c, _ in apps if not _limits(c)]
    good = [Evidence(c.file, yamlfile.line(_limits(c)), 1, f"{c.name}: limits") for c, _ in apps if _limits(c)]
    if bad:
        item.status, item.summary, item.evidence = FAIL, f"{len(bad)} of {len(apps)} service(s) without resource limits", bad + good
        item.check = "deploy.resources.limits (cpus, memory) per service, sized from measured use"
        return item
    item.status, item.summary, item.evidence = PASS, f"all {len(apps)} service(s) have limits", good
    return item


def dock_compose(audit: Audit, item: Item) -> Item:
    mains = _compose_files(audit)
    if not mains:
        item.status, item.summary = NA, "no docker-compose file"
        return item
    if _unread_compose(audit, item):
        return item
    findings = [f for run in audit.runs.values() for f in audit.findings(run.info.id, lambda f: f.path in mains)]
    if findings:
        _from_findings(item, findings)
    gaps = []
    for compose, service in _compose_app_services(audit):
        where = (compose.file, _service_line(compose))
        if not _limits(compose):
            gaps.append(Evidence(*where, 1, f"{compose.name}: no resource limits"))
        if yamlfile.get(compose.node, "restart") is None and yamlfile.get_path(compose.node, "deploy", "restart_policy") is None:
            gaps.append(Evidence(*where, 1, f"{compose.name}: no restart policy"))
        has_check = yamlfile.get(compose.node, "healthcheck") is not None or any(
            audit.docker.get(d) and audit.docker[d].healthcheck for d in (service.dockerfiles if service else []))
        if not has_check:
            gaps.append(Evidence(*where, 1, f"{compose.name}: no health check (compose or Dockerfile)"))
    if gaps:
        item.status = FAIL
        item.evidence += gaps
        item.summary = (item.summary + "; " if item.summary else "") + f"{len(gaps)} gap(s) in the compose services"
    if item.status != FAIL:
        item.status, item.summary = PASS, "no fix finds anything in the compose file; every service has limits, restart and a health check"
        item.evidence += [Evidence(m, 0, 1, "compose file") for m in mains]
    item.check = item.check or "also check image tags are pinned and volumes/secrets are production ones"
    return item


# Database & Connections


def _per_db_file(audit: Audit, item: Item, field_name: str, good: str, bad: str, check: str,
                 built_in: Callable[[str], str | None] = lambda path: None) -> Item:
    """Each file that creates a database client has the property (a CodeFacts field), or its
    client has it `built_in` (what that says)."""
    db = _db_files(audit)
    if not db:
        item.status, item.summary = NA, "no database client in the code"
        return item
    failing = [Evidence(p, audit.code[p].db_clients[0][0], 1, f"{audit.code[p].db_clients[0][1]}: {bad}") for p in db
               if not getattr(audit.code[p], field_name) and not built_in(p)]
    passing = [Evidence(p, getattr(audit.code[p], field_name)[0], 1, good) if getattr(audit.code[p], field_name)
               else Evidence(p, audit.code[p].db_clients[0][0], 1, text)
               for p in db if getattr(audit.code[p], field_name) or (text := built_in(p))]
    if failing:
        item.status, item.summary, item.evidence, item.check = FAIL, f"{len(failing)} of {len(db)} database client(s) {bad}", failing + passing, check
        return item
    item.status, item.summary, item.evidence = PASS, f"{len(db)} database client(s): {good}", passing
    return item


def db_pool(audit: Audit, item: Item) -> Item:
    return _per_db_file(audit, item, "pool_size", "pool size set", "no pool size set",
                        "set the pool's max size from the environment (DB_POOL_MAX)")


_NEST_MODULE = re.compile(r"^(?:TypeOrmModule|MongooseModule|SequelizeModule)\.")  # retry by themselves (retryAttempts)


def db_retry(audit: Audit, item: Item) -> Item:
    def built_in(path: str) -> str | None:
        name = next((name for _, name in audit.code[path].db_clients if _NEST_MODULE.match(name)), None)
        if name:
            return f"{name}(…) retries by itself (retryAttempts)"
        elsewhere = _retried_elsewhere(audit, path)  # (the entry point retries db.js's `initDb()`)
        return f"connection retried by {printable_path(elsewhere[0][0])}:{elsewhere[0][1]}" if elsewhere else None
    return _per_db_file(audit, item, "retry", "connection retried", "no connection retry",
                        "retry the first connection a bounded number of times with backoff", built_in)


def db_rollback(audit: Audit, item: Item) -> Item:
    code = audit.production_code()
    transactions = [p for p in code if audit.code[p].transactions]
    if not transactions:
        item.status, item.summary = NA, "no transaction in the code"
        return item
    # a managed transaction (`knex.transaction(async trx => …)`) rolls back by itself when its callback throws
    manual = {p: [line for line in audit.code[p].transactions if line not in audit.code[p].managed_transactions]
              for p in transactions}
    bad = [Evidence(p, manual[p][0], 1, "transaction without ROLLBACK") for p in transactions
           if manual[p] and not audit.code[p].rollbacks]
    good = [Evidence(p, audit.code[p].rollbacks[0], 1, "ROLLBACK on error") for p in transactions if audit.code[p].rollbacks]
    good += [Evidence(p, audit.code[p].managed_transactions[0], 1, "managed transaction: rolled back when its "
                      "callback throws") for p in transactions if audit.code[p].managed_transactions
             and not audit.code[p].rollbacks]
    if bad:
        item.status, item.summary, item.evidence = FAIL, f"{len(bad)} file(s) open transactions without a rollback", bad + good
        return item
    item.status, item.summary, item.evidence = PASS, f"{len(good)} file(s) with transactions roll back on errors", good
    return _not_read(item, _unread_code(audit))


def db_timeout(audit: Audit, item: Item) -> Item:
    return _per_db_file(audit, item, "db_timeout", "timeouts set", "no connection timeout",
                        "set connectionTimeoutMillis (and a statement timeout) on the pool")


# a package.json script that runs migrations: the tools' commands, or a script of the project's named for them
_MIGRATION_SCRIPT = re.compile(
    r"\bknex\b[^&|;]*\bmigrate:|\btypeorm(?:-ts-node-\w+)?\b[^&|;]*\bmigration:run\b|\bprisma\s+migrate\b|"
    r"\b(?:sequelize|sequelize-cli)\b[^&|;]*\bdb:migrate\b|\bnode-pg-migrate\b|\bumzug\b|\bdb-migrate\s+up\b|"
    r"\bmigrate-mongo\s+up\b|\bpostgrator\b|\bgraphile-migrate\b|\bmikro-orm\b[^&|;]*\bmigration:up\b|"
    r"\bdrizzle-kit\s+migrate\b|\bkysely-migration|\bmigrat\w*\.[cm]?[jt]s\b")


def db_migrations(audit: Audit, item: Item) -> Item:
    """Evidence that migrations exist and run: a migrations folder, a package.json script that
    runs them, an ORM configured with them. An ORM in the dependencies is no evidence (it may only
    query); TypeORM's `synchronize: true` rewrites the schema from the entities on every start."""
    if not _db_files(audit) and not _uses(audit, set(_DB_LIBS)):
        item.status, item.summary = NA, "no database client in the code"
        return item
    code = audit.production_code()
    synchronized = [Evidence(p, line, 1, "synchronize: true: the ORM rewrites the schema from the entities on every start")
                    for p in code for line in audit.code[p].synchronize]
    scripts = []
    for directory, package in sorted(audit.repo.packages.items()):
        commands = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
        scripts += [Evidence(posixpath.join(directory, "package.json"), 0, 1, f"script `{name}`: {command}")
                    for name, command in commands.items() if isinstance(command, str) and _MIGRATION_SCRIPT.search(command)]
    configured = [Evidence(p, line, 1, "ORM configured with migrations") for p in code for line in audit.code[p].migrations_config]
    folders = sorted({p.rsplit("/migrations/", 1)[0] + "/migrations/" for p in audit.repo.paths() if "/migrations/" in "/" + p})
    if synchronized:
        item.status, item.summary, item.evidence = FAIL, "the schema is synchronized from the entities at start", synchronized
        item.check = "set synchronize: false outside development and run migrations (a migration script or migrationsRun)"
        return item
    if scripts or configured or folders:
        item.status, item.summary = PASS, "migrations exist (a migrations folder, a migration script or an ORM's migrations)"
        item.evidence += [Evidence(f, 0, 1, "migrations folder") for f in folders] + scripts + configured
        item.check = "check that deployments run the migrations (CI step or start-up job)"
        return item
    tools = []
    for directory, package in sorted(audit.repo.packages.items()):
        for key in ("dependencies", "devDependencies"):
            deps = package.get(key) if isinstance(package.get(key), dict) else {}
            tools += [Evidence(posixpath.join(directory, "package.json"), 0, 1, f"{dep} in {key}: an ORM or migration "
                               "tool, no migration seen") for dep in deps if dep in _MIGRATION_TOOLS]
    schema = [Evidence(p, line, 1, "CREATE TABLE in service code") for p in code for line in audit.code[p].schema_sql]
    item.evidence += tools + schema
    item.summary = "no migrations folder, migration script or ORM migrations config" + (
        "; the schema is created by service code" if schema else "")
    item.check = (f"check how {', '.join(sorted({e.text.split(' in ')[0] for e in tools}))} changes the schema in production; "
                  if tools else "") + "migrations may run elsewhere (another repository, CI): check how schema changes reach production"
    return item


def db_backup(audit: Audit, item: Item) -> Item:
    if not _db_files(audit) and not _uses(audit, set(_DB_LIBS)):
        item.status, item.summary = NA, "no database client in the code"
        return item
    item.summary = "backups live outside the repository"
    item.check = "check the database's backup schedule, retention and a tested restore"
    return item


# Testing & Validation


def _tests(audit: Audit) -> list[str]:
    return sorted(p for p in audit.code if is_test(p))


def tested_without(libraries: set[str], name: str, client: str) -> Callable[[Audit, Item], Item]:
    def decide(audit: Audit, item: Item) -> Item:
        users = _uses(audit, libraries)
        if not users:
            item.status, item.summary = NA, f"no {client} client in the code"
            return item
        tests = _tests(audit)
        item.summary = f"{len(tests)} test file(s) in the repository" if tests else "no automated test in the repository"
        item.evidence += users[:3]
        item.check = f"start each service that uses {name} with {name} stopped: it must start, answer /health, and fail /ready"
        return item
    return decide


def _test_mentions(audit: Audit, item: Item, field_name: str, what: str, check: str) -> Item:
    found = [Evidence(p, getattr(audit.code[p], field_name)[0], 1, f"test {what}") for p in _tests(audit) if getattr(audit.code[p], field_name)]
    if found:
        item.status, item.summary, item.evidence = PASS, f"{len(found)} test file(s): {what}", found
        return item
    item.summary = "no test: " + what
    item.check = check
    return item


def tested_health(audit: Audit, item: Item) -> Item:
    return _test_mentions(audit, item, "mentions_health", "requests /health",
                          "add a test that starts the service alone and requests /health")


def tested_shutdown(audit: Audit, item: Item) -> Item:
    return _test_mentions(audit, item, "mentions_shutdown", "sends SIGTERM",
                          "add a test that sends SIGTERM during a request and checks it completes")


def tested_load(audit: Audit, item: Item) -> Item:
    found = [Evidence(p, 0, 1, "load test") for p in audit.repo.paths() if is_load_test(p)]
    item.evidence += found
    item.summary = f"{len(found)} load test file(s)" if found else "no load test script in the repository"
    item.check = "check the results of a load test at the expected peak (latency, errors, memory)"
    return item


# Documentation


def doc_env(audit: Audit, item: Item) -> Item:
    repo = audit.repo
    templates = [p for p in repo.paths_of({"env"}) if _TEMPLATE.search(posixpath.basename(p)) and not repo.skip_reason(p)]
    keys = repo.facts_of(ENV_KEY_FACTS)
    # a template fixer could not read (not UTF-8, say): its keys are unknown, so no variable is called missing from it
    unread = audit.unread({"env"}, lambda path: path in templates)
    templates = [p for p in templates if p not in unread]
    documented: dict[str, tuple[str, int]] = {}
    for path in templates:
        for key, line in keys.get(path, ()):
            documented.setdefault(key, (path, line))
    code = audit.production_code()
    used: dict[str, tuple[str, int, int]] = {}
    runtime: set[str] = set()  # NODE_ENV and its kin: read, but no setting the template must list
    # variables a service's code sets itself (`process.env.isPrimary = 'true'` for the processes it forks): no deployer's
    written = {(_owner_dir(audit, path), name) for path in code for name in audit.code[path].env_writes}
    for path in code:
        for name, line, col in audit.code[path].env_reads:
            if written and (_owner_dir(audit, path), name) in written:
                continue
            if not _RUNTIME_VARS.match(name):
                used.setdefault(name, (path, line, col))
            else:
                runtime.add(name)
    unknown: list[Evidence] = []  # process.env validated with a schema whose keys fixer cannot know
    for path in code:
        for module, name, line in audit.code[path].env_schema_imports:
            reads, unsure = _imported_schema_reads(audit, path, module, name)
            for read, (at, read_line, read_col) in reads:
                if not _RUNTIME_VARS.match(read):
                    used.setdefault(read, (at, read_line, read_col))
                else:
                    runtime.add(read)
            if unsure:
                unknown.append(Evidence(path, line, 1, f"note: validates process.env with `{name}` from '{module}', whose keys "
                                        "fixer cannot read: no template key is called unused"))
        unknown += [Evidence(path, line, 1, "note: validates process.env with a schema whose keys fixer cannot read: "
                             "no template key is called unused") for line in audit.code[path].env_schema_unknown]
    for name, where in _prisma_env_reads(audit).items():
        used.setdefault(name, where)
    for name, where in _node_config_env_reads(audit).items():
        used.setdefault(name, where)
    if not used and not templates:
        item.status, item.summary = NA, "the code reads no environment variable"
        return item
    if unread and (not templates or any(n not in documented for n in used)):
        item.status = UNKNOWN
        item.summary = f"{len(unread)} env template(s) could not be read: which variables they document is unknown"
        item.evidence += [Evidence(p, 0, 1, f"not read: {reason}") for p, reason in sorted(unread.items())]
        item.evidence += [Evidence(p, l, c, f"{n} is read here and is in no env template fixer could read")
                          for n, (p, l, c) in sorted(used.items()) if n not in documented]
        item.check = "read these templates by hand (or make them readable: UTF-8 text under the size limit) and audit again"
        return item
    if not templates:
        item.status, item.summary = FAIL, "no env template (env.template, .env.example) documents the variables"
        item.evidence += [Evidence(p, l, c, f"reads {n}") for n, (p, l, c) in sorted(used.items())]
        item.check = "add an env template listing every variable with a placeholder and a comment"
        return item
    undocumented = [Evidence(p, l, c, f"{n} is read here but missing from {', '.join(templates)}") for n, (p, l, c) in sorted(used.items())
                    if n not in documented]
    refs = set(repo.facts_of(VAR_REF_FACTS).values())
    referenced = {name for names in refs for name in names} | {n for d in audit.docker.values() for n in d.env_refs}
    unused = [Evidence(p, l, 1, f"note: {k} is documented but no code, compose file, Dockerfile or Prisma schema reads it")
              for k, (p, l) in sorted(documented.items(), key=lambda kv: kv[1]) if k not in used and k not in referenced and k not in runtime]
    if unknown:  # any of those keys may be one the schema reads
        unused = unknown
    if undocumented:
        item.status = FAIL
        item.summary = f"{len(undocumented)} variable(s) read by the code are not in the env template"
        item.evidence += undocumented + unused
        item.check = "add each missing variable to the template with a placeholder value and a comment"
        return item
    item.status = PASS
    item.summary = f"all {len(used)} variable(s) the code reads are in {', '.join(templates)}" + (
        f"; {len(unused)} template key(s) look unused" if unused and not unknown else "")
    item.evidence += [Evidence(p, 0, 1, f"{len(keys.get(p, ()))} key(s)") for p in templates] + unused + \
        [Evidence(p, 0, 1, f"not read: {reason}") for p, reason in sorted(unread.items())]
    return item


def _owner_dir(audit: Audit, path: str) -> str | None:
    owner = audit.repo.service_for(path)
    return owner.dir if owner is not None else None


def _imported_schema_reads(audit: Audit, path: str, module: str, name: str,
                           depth: int = 0) -> tuple[list[tuple[str, tuple[str, int, int]]], bool]:
    """The keys of the schema `name` that `path` imports from `module` and validates process.env
    with (each where it is written), and whether some keys are where fixer cannot see (a module
    it cannot resolve or read, a schema it cannot follow)."""
    target = logger_mod.resolve_import(audit.repo, path, module)
    source_file = audit.repo.read(target) if target is not None and depth < 4 else None
    if source_file is None or source_file.kind not in CODE_KINDS:
        return [], True
    try:
        root = source_file.tree.root_node
    except ParseError:
        return [], True
    value = None
    for statement in root.named_children:
        if name == "default" and statement.type == "export_statement":
            value = statement.child_by_field_name("value") or value
    if name != "default" and root.named_children:
        declarator = typescript.declarator_in_scope(name, root.named_children[0])
        value = declarator.child_by_field_name("value") if declarator is not None else None
    if value is None:
        return [], True  # (a re-export, a function's result: not followed)
    found = envschema.SchemaKeys()
    envschema.schema_keys(value, found, typescript.import_table(root))
    reads = [(key, (target, *source_file.line_col(node.start_byte))) for key, node in found.keys]
    unsure = found.unknown
    for inner_module, inner_name in found.imported:
        more, more_unsure = _imported_schema_reads(audit, target, inner_module, inner_name, depth + 1)
        reads += more
        unsure = unsure or more_unsure
    return reads, unsure


_PRISMA_ENV = re.compile(r"\benv\(\s*\"([A-Za-z_][A-Za-z0-9_]*)\"\s*\)")


def _prisma_env_reads(audit: Audit) -> dict[str, tuple[str, int, int]]:
    """`url = env("DATABASE_URL")` in a Prisma schema: Prisma reads the variable at run time
    (a handful of small files, read directly)."""
    found: dict[str, tuple[str, int, int]] = {}
    for path in audit.repo.paths():
        if not path.endswith(".prisma") or audit.repo.skip_reason(path) or "node_modules/" in path:
            continue
        source_file = audit.repo.read(path)
        if source_file is None:
            continue
        text = source_file.data.decode("utf-8", "replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _PRISMA_ENV.finditer(line.split("//", 1)[0]):
                found.setdefault(match.group(1), (path, number, match.start(1) + 1))
    return found


_NODE_CONFIG_ENV = re.compile(r"(?:^|/)config/custom-environment-variables\.(?:json|ya?ml)$")


def _node_config_env_reads(audit: Audit) -> dict[str, tuple[str, int, int]]:
    """Each variable node-config reads (`_node_config_env`), where it is first named."""
    found: dict[str, tuple[str, int, int]] = {}
    for name, path, line, col in _node_config_env(audit):
        found.setdefault(name, (path, line, col))
    return found


def _node_config_env(audit: Audit) -> list[tuple[str, str, int, int]]:
    """node-config's `config/custom-environment-variables.json` (or .yml): each leaf names the variable that
    overrides its setting (`"port": "PORT"`, `{ "__name": "FEATURES", "__format": "json" }`), which node-config
    reads at start-up (a handful of small files, read directly, once)."""
    if audit._node_config_env is not None:
        return audit._node_config_env
    found: list[tuple[str, str, int, int]] = []
    for path in audit.repo.paths():
        if not _NODE_CONFIG_ENV.search(path) or audit.repo.skip_reason(path) or "node_modules/" in path:
            continue
        source_file = audit.repo.read(path)
        if source_file is None:
            continue
        try:
            if path.endswith(".json"):
                names = [(name, source_file.data.find(b'"' + name.encode() + b'"') + 1)
                         for name in _node_config_names(typescript.jsonc_loads(source_file.data))]
                places = [(name, *source_file.line_col(max(at, 0))) for name, at in names]
            else:
                places = [(scalar.value, yamlfile.line(scalar), yamlfile.column(scalar))
                          for document in yamlfile.compose_all(source_file.data)
                          for scalar in _node_config_scalars(document)]
        except (ValueError, yamlfile.YamlError):
            continue
        found += [(name, path, line, col) for name, line, col in places if isinstance(name, str) and _ENV_NAME.match(name)]
    audit._node_config_env = found
    return found


def _node_config_names(value: Any) -> list[str]:
    """The variables a node-config environment mapping names: its leaves, `__name` of `{ __name, __format }`."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if isinstance(value.get("__name"), str):
            return [value["__name"]]
        return [name for inner in value.values() for name in _node_config_names(inner)]
    return []


def _node_config_scalars(node: Any) -> list[Any]:
    """`_node_config_names` for a YAML node: the scalars that name the variables."""
    if isinstance(node, yamlfile.ScalarNode):
        return [node]
    named = yamlfile.get(node, "__name")
    if isinstance(named, yamlfile.ScalarNode):
        return [named]
    return [scalar for _key, value in yamlfile.items(node) for scalar in _node_config_scalars(value)]


# the stock sections a project generator writes in its README, which say nothing of this repository: create-next-app's
# "## Deploy on Vercel", create-react-app's "### Deployment" (moved to its docs), `nest new`'s "## Deployment"
_BOILERPLATE_SECTION = re.compile(r"The easiest way to deploy your Next\.js app is to use the|"
                                  r"This section has moved here: https://facebook\.github\.io/create-react-app/docs/|"
                                  r"When you're ready to deploy your NestJS application to production, there are some key steps")


def _doc_files(audit: Audit) -> list[tuple[str, list[tuple[int, str]]]]:
    """Documentation files with their headings (read directly: a handful of small files); not the headings of a
    generator's stock sections (`_BOILERPLATE_SECTION`)."""
    if audit._docs is not None:
        return audit._docs
    found = []
    for path in audit.repo.paths():
        if not _DOCS.search(path) or audit.repo.skip_reason(path) or "node_modules/" in path:
            continue
        headings = []
        if re.search(r"\.(md|markdown|rst|adoc|txt)$", path, re.I):
            source_file = audit.repo.read(path)
            if source_file is None:
                continue
            text = source_file.data[:200_000].decode("utf-8", "replace")
            marks = list(re.finditer(r"^#{1,6}\s+(.+)$", text, re.M))
            headings = [(text.count("\n", 0, m.start()) + 1, m.group(1).strip()) for i, m in enumerate(marks)
                        if not _BOILERPLATE_SECTION.search(text, m.end(), marks[i + 1].start() if i + 1 < len(marks) else len(text))]
        found.append((path, headings))
    audit._docs = found
    return found


# a project's history, not a guide: its headings name versions and releases (`## v2.6.0-rc.4 [Pre-release]`)
_CHANGELOG = re.compile(r"^(?:change-?log|changes|history|news|release[-_ ]?notes|releases)(?:\.[\w-]+)*$", re.I)


def doc_topic(pattern: str, what: str) -> Callable[[Audit, Item], Item]:
    regex = re.compile(pattern, re.I)

    def decide(audit: Audit, item: Item) -> Item:
        found = []
        for path, headings in _doc_files(audit):
            if _CHANGELOG.match(posixpath.basename(path)):
                continue
            if regex.search(posixpath.basename(path)):
                found.append(Evidence(path, 0, 1, what))
            found += [Evidence(path, line, 1, heading) for line, heading in headings if regex.search(heading)]
        if found:
            item.status, item.summary, item.evidence = PASS, f"{what} found", found
            item.check = "check that it is current"
            return item
        item.summary = f"no {what} found in the repository"
        item.check = f"fixer looked for files and headings matching /{pattern}/: the {what} may live elsewhere (wiki)"
        return item
    return decide


def doc_architecture(audit: Audit, item: Item) -> Item:
    found = []
    for path, headings in _doc_files(audit):
        if re.search(r"architecture|diagram|\.(mmd|mermaid|puml|plantuml|drawio|dio)$", path, re.I):
            found.append(Evidence(path, 0, 1, "diagram or architecture page"))
        found += [Evidence(path, line, 1, h) for line, h in headings if re.search(r"architecture|diagram", h, re.I)]
    item.evidence += found
    item.summary = f"{len(found)} architecture document(s)" if found else "no architecture diagram in the repository"
    item.check = "compare the diagrams with the services and compose file as they are now"
    return item


# --- the checklist: the audit's Section 5, in its order ---------------------------------

Decide = Callable[[Audit, Item], Item]

SECTIONS: list[tuple[str, list[tuple[str, str, tuple[str, ...], Decide]]]] = [
    ("Environment & Configuration", [
        ("env.secrets", "All secrets removed from version control", ("secrets",), env_secrets),
        ("env.separation", "Environment-specific configs implemented (.env.development, .env.production)", ("env-separation",), env_separation),
        ("env.override", "docker-compose.override.yml created for local development", ("env-separation",), env_override),
        ("env.hardcoded", "All hardcoded values moved to environment variables", (), env_hardcoded),
        ("env.cors", "CORS_ORIGIN validation in production", ("cors-validation",), env_cors),
        ("env.localhost", "No localhost assumptions in production code", (), env_localhost),
    ]),
    ("Health Checks & Readiness", [
        ("health.health", "All services expose `/health` endpoint (standardized)", ("health-endpoints",), health_health),
        ("health.ready", "All services expose `/ready` endpoint (readiness probe)", (), health_ready),
        ("health.loopback", "Health checks use 127.0.0.1 explicitly", ("healthcheck-loopback",), health_loopback),
        ("health.functional", "Health checks verify actual service functionality (not just HTTP 200)", (), health_functional),
        ("health.ready_db", "Readiness probes check database connectivity", (), health_ready_db),
        ("health.liveness", "Liveness probes are lightweight", (), health_liveness),
    ]),
    ("Logging & Observability", [
        ("log.console", "All console.* replaced with Winston logger", ("console-to-logger",), log_console),
        ("log.files", "File logging removed (stdout/stderr only)", ("stdout-logging",), log_files),
        ("log.json", "Structured JSON logging in production", (), log_json),
        ("log.level", "Log levels configurable via environment", (), log_level),
        ("log.sensitive", "No sensitive data in logs", (), log_sensitive),
        ("log.stack", "Error stack traces only in development", (), log_stack),
    ]),
    ("Resilience & Error Handling", [
        ("res.db", "Database connection failures handled gracefully", ("db-degradation", "eager-init"), res_db_graceful),
        ("res.degraded", "Services can start in degraded mode (feature flag)", ("db-degradation",), res_degraded),
        ("res.retry", "Retry logic with exponential backoff implemented", (), res_retry),
        ("res.shutdown", "Graceful shutdown handlers implemented", ("graceful-shutdown",), res_shutdown),
        ("res.rejections", "No unhandled promise rejections", (), res_rejections),
        ("res.errors", "Error responses don't leak internal details", (), res_error_leak),
    ]),
    ("Service Independence", [
        ("ind.start", "Each service can start without others", (), ind_unknown(
            "start each service alone (`docker compose up --no-deps <service>`): it must listen and answer /health")),
        ("ind.hidden", "No hidden runtime dependencies", (), ind_unknown(
            "list what each service calls at start-up and per request (other services' URLs, queues, caches)")),
        ("ind.missing", "Services handle missing dependencies gracefully", (), ind_unknown(
            "stop one dependency at a time (database, Redis, Kafka, another service) and watch each service")),
        ("ind.health", "Health checks don't depend on other services", (), ind_unknown(
            "read each /health handler: no call to another service or shared infrastructure")),
        ("ind.scale", "Services can be scaled independently", (), ind_scale),
    ]),
    ("Security", [
        ("sec.secrets", "No secrets in code or config files", ("secrets",), env_secrets),
        ("sec.manager", "Secrets managed via environment variables or secret manager", (), sec_secret_manager),
        ("sec.cors", "CORS properly configured for production", ("cors-validation",), sec_cors),
        ("sec.validation", "Input validation on all endpoints", (), sec_validation),
        ("sec.rate_limit", "Rate limiting configured", (), sec_rate_limit),
        ("sec.sql", "SQL injection prevention verified", (), sec_sql),
    ]),
    ("Docker & Deployment", [
        ("docker.user", "All Dockerfiles use non-root user", (), dock_user),
        ("docker.healthcheck", "Health checks configured in all Dockerfiles", (), dock_healthcheck),
        ("docker.minimal", "Images are minimal (no build tools in runtime)", (), dock_minimal),
        ("docker.multistage", "Multi-stage builds optimized", (), dock_multistage),
        ("docker.limits", "Container resource limits defined", (), dock_limits),
        ("docker.compose", "docker-compose.yml production-ready", (), dock_compose),
    ]),
    ("Database & Connections", [
        ("db.pool", "Connection pooling configured appropriately", (), db_pool),
        ("db.retry", "Database connection retries implemented", (), db_retry),
        ("db.rollback", "Transaction rollback on errors", (), db_rollback),
        ("db.timeout", "Connection timeouts configured", (), db_timeout),
        ("db.migrations", "Database migrations automated", (), db_migrations),
        ("db.backup", "Backup strategy defined", (), db_backup),
    ]),
    ("Testing & Validation", [
        ("test.db", "Services tested with database unavailable", (), tested_without(set(_DB_LIBS), "the database", "database")),
        ("test.redis", "Services tested with Redis unavailable", (), tested_without({"redis", "ioredis"}, "Redis", "Redis")),
        ("test.kafka", "Services tested with Kafka unavailable", (), tested_without({"kafkajs", "node-rdkafka"}, "Kafka", "Kafka")),
        ("test.health", "Health checks tested in isolation", (), tested_health),
        ("test.shutdown", "Graceful shutdown tested", (), tested_shutdown),
        ("test.load", "Load testing completed", (), tested_load),
    ]),
    ("Documentation", [
        ("doc.env", "Environment variables documented", (), doc_env),
        ("doc.deploy", "Deployment procedures documented", (), doc_topic(r"deploy|rollout", "deployment guide")),
        ("doc.troubleshooting", "Troubleshooting guide created", (), doc_topic(r"troubleshoot|debugging|faq", "troubleshooting guide")),
        ("doc.runbooks", "Runbooks for common failures", (), doc_topic(r"runbook|playbook|incident|on-?call", "runbook")),
        ("doc.architecture", "Architecture diagrams updated", (), doc_architecture),
    ]),
]


def build(repo: Repo, runs: list[FixRun], registered: Iterable[str]) -> Checklist:
    """Decide every item; `runs` are the fix runs of this audit (findings only)."""
    audit = gather(repo, runs, registered)
    sections = []
    for title, rows in SECTIONS:
        items = []
        for key, item_title, targets, decide in rows:
            item = Item(key, item_title, targets=tuple(t for t in targets if t in audit.registered))
            item = decide(audit, item)
            if item.status == PASS and not item.evidence:  # never ✅ without evidence
                item.status, item.check = UNKNOWN, item.check or "fixer found nothing to show for it"
            items.append(item)
        sections.append(Section(title, items))
    secrets = frozenset(s for run in runs for f in run.findings + run.ignored for s in f.secrets)
    return Checklist(sections, service_table(audit), secrets)


def service_table(audit: Audit) -> list[ServiceRow]:
    rows = []
    for service in sorted(audit.services, key=lambda s: s.dir):
        probes = []
        for probe in audit.probes:
            if probe.service != service.dir:
                continue
            host = probe.host or ("the pod's IP" if probe.source == "k8s" else "(no host)")
            state = "disabled" if probe.disabled else f"{probe.url_path or '(no path)'} on {host}"
            probes.append(f"{probe.label} {state} ({probe.file}:{probe.line})")
        shutdown = None
        for path in audit.own_files(service):
            hit = next((line for signal, line in audit.code[path].signals if signal == "SIGTERM"), None)
            if hit:
                shutdown = Evidence(path, hit, 1, "SIGTERM")
                break
        if shutdown is None and (framework := _framework_sigterm(audit, service) or _runner_handles(audit, service)) is not None:
            shutdown = Evidence(framework.path, framework.line, 1, framework.text.split(": ", 1)[-1])
        rows.append(ServiceRow(
            service.name, service.dir, _service_port(audit, service), service.entry,
            _route(audit, service, lambda r: r in ("/health", "/healthz", "/healthcheck", "/status", "/livez")),
            _route(audit, service, lambda r: bool(_READY_PATH.match(r))),
            probes, shutdown, _logger_of(audit, service),
            sorted([Evidence(route.file, route.line, route.col, route.label()) for route in _served_routes(audit, service)[0]]
                   + [Evidence(route.file, route.line, route.col, f"{route.label()} on `{route.receiver}`, "
                               + (route.where or "mounted where fixer cannot see")) for route in _served_routes(audit, service)[1]]
                   + [Evidence(path, route.line, route.col, _framework_label(route))
                      for path, route in _framework_routes(audit, service)], key=lambda e: (e.path, e.line, e.col)),
            f"AWS Lambda ({lambda_.path})" if (lambda_ := _on_lambda(audit, service)) is not None else "",
        ))
    return rows


def _service_port(audit: Audit, service: Service) -> int | None:
    """The port the service listens on: the one fixer.repo reads for it (its image's `ENV PORT`, the entry point's
    `PORT || 3000` or `listen(3000)`, its image's EXPOSE); else, for a server no listen() names, the port its gRPC
    bind address writes (`bindAsync('0.0.0.0:50051', …)`, as `probes.listen_calls` reads it) or a ws server on a port
    of its own is given (`new WebSocketServer({ port: 8080 })`, `CodeFacts.ws_servers`); else the container
    port its compose services publish or expose (`ports: ["50051:50051"]`, `expose:`), or the PORT they set."""
    if service.port is not None:
        return service.port
    scripts = script_files(audit.repo, service)
    bound = sorted((listen.file, listen.line, listen.port) for listen in listen_calls(audit.repo, service.dir)
                   if listen.port is not None and listen.file not in scripts)
    bound = bound or sorted((path, line, port) for path in audit.own_files(service) if path not in scripts
                            for line, port in audit.code[path].ws_servers if port is not None)
    if bound:
        return bound[0][2]
    for compose in audit.repo.compose_services:
        if audit.repo.service_of_compose(compose) is not service:
            continue
        ports = yamlfile.get(compose.node, "ports")
        exposed = yamlfile.get(compose.node, "expose")
        for entry in [*(ports.value if isinstance(ports, yamlfile.SequenceNode) else []),
                      *(exposed.value if isinstance(exposed, yamlfile.SequenceNode) else [])]:
            target = yamlfile.get(entry, "target") if isinstance(entry, yamlfile.MappingNode) else entry
            text = str(target.value).split("/")[0].rsplit(":", 1)[-1].strip() \
                if isinstance(target, yamlfile.ScalarNode) else ""
            if re.fullmatch(r"\d{2,5}", text):
                return int(text)
        given = compose_env(audit.repo, compose, "PORT")
        if given is not None and given[0] is not None and re.fullmatch(r"\d{2,5}", given[0].strip()):
            return int(given[0].strip())
    return None


def _logger_of(audit: Audit, service: Service) -> str:
    """The logger the service logs through, as console-to-logger infers it (`logger.infer`, `logger.convention_for`:
    its own convention, else the repository's where the service reaches it): the one source of which logger a
    service's code imports."""
    conventions = logger_mod.infer(audit.repo)
    convention = conventions.get(service.dir)
    if convention is None and conventions.get(None) is not None:
        convention = next((logger_mod.convention_for(audit.repo, path, conventions) for path in sorted(audit.own_files(service))
                           if not is_test(path)), None)
    imports = ""
    if convention is not None and convention.factory_args is None:
        imports = f"`{convention.local}` from {convention.module}"
    created = [(p, audit.code[p].logger_created[0]) for p in audit.own_files(service) if audit.code[p].logger_created]
    factories = [(p, line, name) for p in audit.own_files(service) for line, name in audit.code[p].logger_factories]
    if created:
        path, line = created[0]
        return f"own logger ({path}:{line})" + (f"; {imports}" if imports else "")
    if imports:
        return f"{imports} ({convention.files} file(s))" if convention.files else imports
    if factories:
        path, line, name = factories[0]
        return f"{name}(…) ({path}:{line})"
    consola = next((d for d in _consola_defaults(audit) if audit.repo.service_for(d.path) is service), None)
    if consola is not None:
        return f"consola's default instance ({consola.path}:{consola.line})"
    return "none found"


# --- output -------------------------------------------------------------------------------


def _evidence_line(evidence: Evidence) -> str:
    fix = f" [{evidence.fix}{': fixable' if evidence.fixable else ''}]" if evidence.fix else ""
    where = evidence.where() if evidence.path != "." else ""
    return f"{where}{' ' if where and evidence.text else ''}{printable_text(evidence.text)}{fix}"


def _fix_hint(item: Item) -> str:
    if item.status != FAIL:
        return ""
    if item.fixes:
        return "fix: " + ", ".join(f"fixer apply --fix {f}" for f in item.fixes)
    return "no automatic fix"


NOTHING_DECIDED = ("No item could be decided (none ✅ or ❌): this audit could not check the repository's readiness, "
                   "whatever its findings say; see each ❓ for what to check by hand.")


def _counts_line(checklist: Checklist) -> str:
    counts = checklist.counts()
    return " · ".join(f"{counts[s]} {ICONS[s]}" for s in (PASS, FAIL, NA, UNKNOWN))


def render_text(checklist: Checklist, limit: int = SHOWN) -> str:
    lines = [f"Readiness checklist (audit Section 5): {_counts_line(checklist)}", ""]
    if checklist.decided_nothing():
        lines[1:1] = [NOTHING_DECIDED]
    for section in checklist.sections:
        lines.append(section.title)
        for item in section.items:
            hint = _fix_hint(item)
            lines.append(f"  {ICONS[item.status]} {item.title}" + (f" — {item.summary}" if item.summary else ""))
            for evidence in item.evidence[:limit]:
                lines.append(f"      {_evidence_line(evidence)}")
            if len(item.evidence) > limit:
                lines.append(f"      … {len(item.evidence) - limit} more (--format json lists all)")
            if hint:
                lines.append(f"      {hint}")
            if item.check:
                lines.append(f"      {'also check' if item.status in (PASS, NA) else 'check'}: {item.check}")
        lines.append("")
    lines += _services_text(checklist)
    return redact("\n".join(lines).rstrip() + "\n", checklist.secrets)


def _service_cells(row: ServiceRow) -> list[str]:
    none = "none needed (AWS Lambda)" if row.runtime else "none"  # no server of its own to probe or stop
    return [
        row.name, row.runtime or str(row.port or "?"), row.entry or "?",
        row.health.text.split(": ", 1)[-1] + f" ({row.health.where()})" if row.health else none,
        row.ready.text.split(": ", 1)[-1] + f" ({row.ready.where()})" if row.ready else none,
        "; ".join(row.probes) or none,
        f"{row.shutdown.text or 'SIGTERM'} ({row.shutdown.where()})" if row.shutdown else none,
        row.logger,
    ]


SERVICE_COLUMNS = ["service", "port", "entry point", "health route", "ready route", "health checks (path on host)",
                   "shutdown", "logger"]


def _services_text(checklist: Checklist) -> list[str]:
    if not checklist.services:
        return ["Services: none found"]
    lines = ["Services"]
    for row in checklist.services:
        cells = _service_cells(row)
        lines.append(f"  {cells[0]} ({'' if row.runtime else 'port '}{cells[1]}, {cells[2]})")
        for name, cell in zip(SERVICE_COLUMNS[3:], cells[3:]):
            lines.append(f"      {name}: {cell}")
    return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(checklist: Checklist, runs: list[FixRun], repo: Repo, limit: int = SHOWN) -> str:
    findings = [f for run in runs for f in run.findings]
    ignored = sum(len(run.ignored) for run in runs)
    by_severity = Counter(f.severity for f in findings)
    severity = ", ".join(f"{by_severity[s]} {s}" for s in SEVERITIES if by_severity[s])
    name = posixpath.basename(str(repo.root)) or str(repo.root)
    lines = [
        f"# Production readiness: {name}",
        "",
        f"`fixer audit` {__version__}: {len(findings)} finding(s) from {len(runs)} fix(es)"
        + (f" ({severity})" if severity else "") + (f"; {ignored} ignored by fixer-ignore" if ignored else "") + ".",
        f"Checklist: {_counts_line(checklist)} (✅ holds · ❌ does not · ➖ not applicable · ❓ check by hand).",
        *(["", f"**{NOTHING_DECIDED}**"] if checklist.decided_nothing() else []),
        "",
        "## Section 5: 🧭 Clear Checklist That Signals \"Ready for AWS\"",
        "",
    ]
    for section in checklist.sections:
        lines += [f"### {section.title} ✅/❌", ""]
        for item in section.items:
            box = "x" if item.status in (PASS, NA) else " "
            summary = f" — {item.summary}" if item.summary else ""
            lines.append(f"- [{box}] {ICONS[item.status]} {item.title}{summary}")
            for evidence in item.evidence[:limit]:
                where = f"{markdown_code(evidence.where())} " if evidence.path != "." else ""
                fix = f" (`{evidence.fix}`{', fixable' if evidence.fixable else ''})" if evidence.fix else ""
                lines.append(f"  - {where}{printable_text(evidence.text)}{fix}")
            if len(item.evidence) > limit:
                lines.append(f"  - … {len(item.evidence) - limit} more (`fixer audit --format json` lists all)")
            if item.status == FAIL and item.fixes:
                lines.append("  - **Fix:** " + ", ".join(f"`fixer apply --fix {f}`" for f in item.fixes))
                if item.check:
                    lines.append(f"  - **Then:** {item.check}")
            elif item.status == FAIL:
                lines.append("  - **Fix:** no automatic fix" + (f": {item.check}" if item.check else ""))
            elif item.check:
                lines.append(f"  - **{'Check by hand' if item.status == UNKNOWN else 'Also check'}:** {item.check}")
        lines.append("")
    lines += ["## Services", ""]
    if checklist.services:
        lines.append("| " + " | ".join(SERVICE_COLUMNS) + " |")
        lines.append("|" + "---|" * len(SERVICE_COLUMNS))
        for row in checklist.services:
            lines.append("| " + " | ".join(_md(cell) for cell in _service_cells(row)) + " |")
    else:
        lines.append("No deployable service found.")
    lines += ["", "## Findings by fix", "", "| fix | severity | findings | fixable | ignored |", "|---|---|---|---|---|"]
    for run in runs:
        fixable = sum(run.is_fixed(f) for f in run.findings)
        lines.append(f"| `{run.info.id}` | {run.info.severity} | {len(run.findings)} | {fixable} | {len(run.ignored)} |")
    notices = [f for f in findings if is_ignore_notice(f)]
    if notices:
        lines += ["", "### Ignore comments that need attention", ""]
        lines += [f"- {markdown_code(f'{printable_path(f.path)}:{f.line}')} {f.message}" for f in notices]
    return redact("\n".join(lines).rstrip() + "\n", checklist.secrets)


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {"path": evidence.path if evidence.path != "." else None, "line": evidence.line or None, "col": evidence.col,
            "text": evidence.text, "fix": evidence.fix, "fixable": evidence.fixable}


def to_json(checklist: Checklist) -> dict[str, Any]:
    """The `checklist` and `services` members of `fixer audit --format json` (docs/audit.md)."""
    return {
        "counts": checklist.counts(),
        "decided_nothing": checklist.decided_nothing(),
        "sections": [
            {"title": section.title, "items": [
                {"id": item.key, "title": item.title, "status": item.status, "icon": ICONS[item.status],
                 "summary": item.summary, "fixes": list(item.fixes), "targets": list(item.targets),
                 "check": item.check or None, "evidence": [evidence_json(e) for e in item.evidence]}
                for item in section.items]}
            for section in checklist.sections
        ],
        "services": [
            {"name": row.name, "dir": row.dir, "port": row.port, "entry": row.entry,
             "runtime": row.runtime or None,
             "health": evidence_json(row.health) if row.health else None,
             "ready": evidence_json(row.ready) if row.ready else None,
             "health_checks": row.probes,
             "shutdown": evidence_json(row.shutdown) if row.shutdown else None,
             "logger": row.logger,
             "routes": [evidence_json(e) for e in row.routes]}
            for row in checklist.services
        ],
    }


CODE_FACTS = FactsSpec("checklist/code", gather_code, frozenset(CODE_KINDS), (), FACTS_VERSION)
DOCKER_FACTS = FactsSpec("checklist/dockerfile", gather_dockerfile, frozenset({"dockerfile"}), (), FACTS_VERSION)
ENV_KEY_FACTS = FactsSpec("checklist/env-keys", gather_env_template, frozenset({"env"}), (), FACTS_VERSION)
VAR_REF_FACTS = FactsSpec("checklist/var-refs", gather_var_refs, frozenset({"compose"}), (b"$",), FACTS_VERSION)
# what `build` reads per file: the audit gathers it in the engine's one pass, with the fixes' facts
FACTS = [CODE_FACTS, DOCKER_FACTS, ENV_KEY_FACTS, VAR_REF_FACTS, logger_mod.VOTES, HEALTH_ROUTES, AUTOLOAD, mounts_mod.MOUNTS,
         TABLE_ROUTES, ROUTE_LOOPS, TRPC_ROUTES, NEXT_EXPORTS]
