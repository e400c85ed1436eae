"""Replace `console.*` calls in service code with the repository's own logger.

## What it does

Finds every call of the global console in service and shared-library code
(`.ts`, `.tsx`, `.js`, `.mjs`, `.cjs`) — `console.log(…)`, `console?.log(…)`,
`console['log'](…)`, `globalThis.console.log(…)`, `console.log?.(…)`,
`console.info<T>(…)` — and makes it a call of the logger the repository already
uses: `log`/`info` → `info`, `warn` → `warn`, `error` → `error`, `debug`/`trace`
→ `debug`. A local variable or parameter named `console` is not the console and
is left alone. console's methods return undefined and winston's the logger: where
the call's value is used (`(): void => console.log(…)`, `return console.error(…)`,
`{console.log(x)}` in JSX, `console.log(…) || next()`), the new call is prefixed with
`void`, so it stays undefined (a callback's or a statement's value is nobody's).

The arguments become winston's `(message, meta)` without losing anything the
console printed. A string, template literal or string concatenation first
argument, or a choice of them (`big ? `size ${n}` : 'too long'`), is the message (a trailing `:` goes, a printf-style format string becomes
a template literal — `'User %s logged in', name` → `` `User ${name} logged in` ``,
specifiers in a template literal's text too — except for a value a template would
print differently, an error or what looks like an object, wherever it stands, and a
`%o`/`%O`/`%j` value: it goes into meta, its specifier out of the message, with what
only framed it: `'Saved %s', order` → `('Saved', { order })`, `'(%s rows)'` → `'(rows)'`;
`%%` is `%`; string literals right after a plain message join it with a space, as console
printed them: `'Status:', 'ok'` → `'Status: ok'`). So is a call of a terminal colour library the file imports
(`chalk.bold('Resources')`, `kleur.green().bold(m)`, `pc.red(…)`: kept as it is, it
returns the text, with no colour codes where stdout is no terminal, as in a container),
and a variable logged alone that the file shows is a string (`message: string`, `const
status = ok ? 'up' : 'down'`; under `%s` such a value is text too). winston
merges meta into a message only when the message holds no `%`-token: a call whose
message would keep one beside values (specifiers in a concatenation, filled by a
spread, `'%%s'`) is reported, not rewritten, and no service name is added to such a
message;
the other arguments go into one meta object: identifiers as
shorthand (`{ userId }`), an error-like value (`err`, `error`, `e`, a `catch`
binding, a `.catch()` callback's parameter) under `error`, its text under `errorMessage` or
`errorStack` (`err.message`, `(e as Error).stack`), other member expressions
under their camelCased path (`user.id` → `userId`), object literals spread in
(or kept whole under `detail` when a key would clash or is one winston reads),
spread arguments under their own name, anything else under a readable key (the
message's trailing label such as `services:` for the value right after it — an acronym lowercased, `URL:` →
`url`, and none when another value has that name of its own — else a name derived from the
expression — `Date.now()` → `dateNow` — else `detail`: `'Error:', err, 'for user', id` → `{ error: err,
detail: 'for user', id }`). A first argument that is not a string gets a short
literal message (the value's key, `error` for an error's text: `console.error(err.stack)` → `('error',
{ errorStack: err.stack })`: the stack, maybe undefined, is no message a logger typed `message: string`
takes) and goes into meta too. An empty `console.log();` alone on its line
printed an empty line, which a structured log has no use for: the line goes (elsewhere,
`if (x) console.log()`, it is reported). Only the callee and the argument edges
are edited, so comments inside the argument list and multi-line layouts stay.
When the service's existing logger calls pass its name (`{ service:
'booking-service' }`), the new calls do too. When the logger the file logs through is
pino's (the implementation its logger's module is or imports, else its workspace package's, else
its service's, else the repository's: winston and pino services may stand side by side), the calls
take pino's order instead (`log.info({ userId }, 'Saved')`,
errors under `err`, printf-style messages left for pino to interpolate where pino's
types take them — `%s`, `%d` of a number literal — and made template literals where
they do not, values past the format's specifiers first, as the meta object). So do bunyan's
loggers (`bunyan.createLogger(…)`: its `err` serializer keeps an error's stack, which it flattens
into the message text when the error comes after it), and a logger whose calls in the repository
mostly pass an object first (`log.info({ port }, 'listening')`) with no winston logger behind it:
one made outside the repository.

That is only for a logger known to take (message, meta): one made by winston or pino (the module
that defines it — found through the file's import, a tsconfig path alias (`@/lib/logger`, from the
nearest tsconfig that sets `paths`: tsconfig.json, else tsconfig.app.json, tsconfig.base.json…), a workspace
package's entry (its `exports["."]` — a path or its `import`/`require`/`default` conditions —, `main`,
`module`, a built `dist/` file read as its `src/` source) and its re-exports, `export * from`, `export { default } from` — gives it the value
`winston.createLogger(…)`, `pino(…)`, `require('pino')(…)`, `winston.loggers.get(…)`, or a child of
one, or that module or one it imports makes one; not any class named `Logger`), one whose existing
calls in the repository pass a message and an object (`logger.info('Saved', { id })`, or pino's
order), one whose own level methods take a message and meta (`info(message, meta?)`, `info(msg,
...args)`), or one `.fixer.toml` says is (`[logger]` with `shape = "winston"` or `"pino"` beside its
`module`: for a package outside the repository that nothing shows made). A wrapper — a class or
object whose level methods the defining module defines, `class WinstonLogger implements
LoggerService { log(message, context?) … }` — is judged by its own methods, even where it wraps a
winston logger (a NestJS `context` is a string, not meta). A logger whose calls pass a tag and a
message (`log.info("server", "starting")`, uptime-kuma's hand-written `Logger`) or whose methods
take a tag first (`info(module: string, msg: string)`) would print `undefined` for the message:
its console calls are reported, not rewritten. Any other logger — nothing in the repository shows
what it takes, as a package's (`log` of `@node-red/util`, `info(msg)`) whose calls pass one
argument — gets only the calls of one text argument (a string, a template literal, a concatenation
with one, an error's `.stack`, a name that holds a string), the argument kept as it is
(`console.log(err.stack)` → `log.info(err.stack)`); the others are reported, as a meta object it
ignores would lose what console printed. And a call is never made to a level method the logger is
not shown to have: where the repository defines the logger, the level methods it defines (NestJS's
`log`, no `info`; a hand-written logger without `debug`), else the methods the repository's own
calls call on it (NestJS's `Logger` of `@nestjs/common`: `logger.log(…)`); any level of one known
winston's or pino's, or set under `[logger]`; the library's own levels of one a logging library
makes (`log4js.getLogger(…)`: `trace` to `fatal`, called yet or not). The others are reported. The
run's notes name such loggers.

The logger is the one the file already has: created there (a child of the imported
logger too, `const log = logger.child({ module })`, whose fields its calls carry, when
nothing logs before it is made), or imported under any local name — from the convention's module the name the convention imports
(or `logger`/`log`; its default export only where the convention imports the
default, so `import shared from '@acme/shared'` beside a repository that imports
`{ logger }` from there gets `{ logger }` added, not `shared.info(…)`), from
another module a logger import of a logger module (`./utils/logger`) or of
`logger` itself (an Express `requestLogger` middleware, `log` from `./math`, or a
request-logging middleware imported as `logger` from `morgan` or `hono/logger`, is
no logger: the file gets the service's logger under another name; TypeScript's `import
logger = require('./lib/logger')` is a default import), or the whole module imported under a
name, of the convention's module or of another logger module that exports its logger
(`import * as shared from '@acme/shared'` logs through `shared.logger.info(…)`, no second
import; a call where `shared` is a local name is reported; a CommonJS `require` of a module that
exports only names, `var _logger = require('./logger')` of `exports.logger = …` in Babel's output,
is the module too: `_logger.logger.info(…)`, never `_logger.info(…)`, a TypeError); otherwise the
repository's convention, inferred per service (module, named or default import, CommonJS `require` — a
whole-module one that the file calls through as `x.logger.info(…)` counts as importing `logger`,
and the whole of a module that exports only names is never the convention —; a test's imports have no
say, and a module of tests or tooling, `test/fixtures/no-logger.js`, is never the convention: a test double
would swallow the service's logs —,
TypeScript's `import logger = require(…)` where most of its files import it so, relative
paths with ESM `.js` extensions; a service that makes its logger with a factory, `const log =
createServiceLogger('svc')`, gets the same declaration) or set under `[logger]`
in `.fixer.toml`, is imported after the last import (never `require()`d by CommonJS JavaScript — a `.cjs`, a
`.js` of a CommonJS package — from an ES module, a `.mjs` or a `.js` of a `"type": "module"` package: before
Node 20.19 that throws ERR_REQUIRE_ESM and from there it returns the module namespace, not the logger;
such a file's calls are reported, saying to use `await import()` or make it an ES module, whatever the
package's `engines` say, as Node does not enforce them) — or added to an existing
import of the same module — in the file's quote style, semicolon habit and line
endings; never into a shebang. A logger module of another workspace package
(`libs/logger/src/index.ts` of `@acme/logger`, which the convention's files import by a relative
path into its sources; not a module `[logger]` names) is imported by the package's name: a relative import into another
package's sources breaks the importing package's build (tsc's `rootDir`, TS6059); where the
package's entry (its `exports`, `main`) does not give the logger, the calls are reported. A package
that now imports the logger from a workspace package its package.json does not declare is reported
at that package.json, unless the packages that import it already do without: npm and yarn link
workspace packages into the root's node_modules, but a build of that package alone would not find
it (fixer does not edit dependencies: the lockfile changes with them). Under pnpm (a
pnpm-workspace.yaml, or `"packageManager": "pnpm@…"`), which links only what a package declares,
such a file gets no import (it would fail at run time): its calls are reported, saying to add
`"@acme/logger": "workspace:*"` to its package.json. In CommonJS a `require` runs where it stands, so it goes
(and is merged into one) only before the first top-level statement that may log as the
module loads, or calls a function that does; a logger the file binds where it stands
(a `require`, an `import x = require(…)`, a logger made in the file, and in TypeScript
that tsc may emit as CommonJS an ES import too: tsc does not hoist it) after such a
statement is not used: the convention's import goes before it, under another name.
`import x = require(…)` is written only in TypeScript that compiles to CommonJS (not
under a `"type": "module"` package.json or an ES `module` in tsconfig, not in `.mts`).
A whole-module import gives `ns.<name>` only where `<name>` is a logger object (made
by a logging library or factory, a child of one, or the convention's logger), never
a function; a name the repository's own module exports as a function (`export function
log(): Console`, `export const log = (level, …args) => …`) is neither a file's logger
nor a convention, however many files import it. A local
`logger` that is not a logger makes the import take an alias. A convention imported through a tsconfig
path alias (`@utils/logger`) applies only where that alias names the same file; one of a workspace
package's name (`@acme/logger` of packages/logger) is that package's, which any service may import,
not another service's private module. A file that logs through NestJS's `Logger` (`const logger = new Logger('Bootstrap')`: `log`, no
`info`; a second string is its context) gets its calls reported, saying to call `logger.log(…)` by hand,
as does a class that holds one (`this.logger`). A file with no logger of its own in a service where no
file imports one is told what the service has — NestJS's Logger, a logger module nothing imports yet —
and where. When the
repository has no logger at all, each call is reported (where its code gets its logger by calling a
function, directus's `useLogger()`, the report says so); with `create = true`
under `[logger]` a small shared winston logger module is added (JSON on stdout in
production, colored in development, level from `LOG_LEVEL`, errors in meta serialized
with their message and stack) and imported, the specifier spelled as the file spells its
relative imports (`./logger.js` beside `./util.js`, `./logger.ts` beside `./types.ts`;
`./logger.js` in a TypeScript file of a `"type": "module"` package that has none); the run
says when the package that builds it (its nearest package.json: a build of one service
installs only what that declares) does not declare winston. A call inside a
function where the logger's name is a local parameter or variable is reported,
not rewritten.

Left alone, and listed in the run's notes with the reason: tests, scripts
(`scripts/`, `bin/`, migrations, seeds, one-off files at the repository root, a
file a package.json script named for a one-off job runs — `"seed": "node seed.js"`,
`db:migrate`, `clean` — unless the service's `main` or another script runs it too; what
`start`, `debug` or `sync` runs is service code), tool configs), browser code under backend folders (`public/`, `frontend/`,
`client/`, `web/`, `*.front.*`, files that use `document`, `window` or React,
`'use client'` modules),
stdio servers, whose stdout carries their protocol and which log with `console.error` on purpose
(a logger writing to stdout would corrupt it): every file of a package one of whose files makes an
MCP `StdioServerTransport` (not a client's `StdioClientTransport`), a JSON-RPC `StreamMessageWriter`
on `process.stdout`, or imports `vscode-languageserver`,
the logger implementation itself (a file that creates it — `winston.createLogger`, `pino()`, a
bare `createLogger(`/`new Logger(` where the file imports winston or bunyan: a service file calling its
logger package's factory, `createLogger('api')`, or NestJS's `new Logger(AppService.name)` uses a
logger — or defines the object the convention imports, `export const logger = { info:
… }`, which may print through console), the modules the logger module imports, relative or
through a tsconfig path alias (they run before any logger exists: `config/env.ts` importing the logger
would be a circular import), and files whose top comment turns ESLint's `no-console` off (`/*
eslint-disable no-console */`: their author says console is the file's output, a command-line tool's),
and so are the calls right under an `// eslint-disable-next-line no-console` (or on a line with
`eslint-disable-line no-console`: a CLI's report, a last word before `process.exit()`).
Each rule is an option. Reported without an
edit: `console.table/dir/time/timeEnd/group/assert/count/…` (no logger
equivalent), `const { log } = console` and console methods passed as values
(`.catch(console.error)`: winston methods need their logger), and console calls
inside a local logger (`const logger = { log: (m) => console.log(m) }`, `class
ConsoleLogger { … }`: any call inside an object literal or class named like a logger,
and in a function so named one that passes on the function's parameters — a
request-logging middleware named `logger` is rewritten: rewriting a logger's own
output would make it call itself), and the calls of a file that replaces a console
method (`if (argv.quiet) console.log = () => {}`: the logger would bypass the switch). A console call inside another's arguments
(`console.log('%s', xs.map((x) => { console.log(x); … }))`) is rewritten with it: the
outer call's new text holds the inner call already rewritten.

## Why

The audit found `console.*` across the services: output that bypasses the
structured JSON logs, has no level control, and is not picked up by log
aggregation. Replacing the calls by hand is slow and `sed` breaks code; this
replaces all of them that belong to service code and nothing else.

## Example

```diff
+import { logger } from '@kc/shared';
 ...
-console.log('API Gateway starting with services:', Object.keys(serviceRegistry).join(', '));
+logger.info('API Gateway starting with services', { services: Object.keys(serviceRegistry).join(', '), service: 'api-gateway' });
 ...
-  console.error('Booking DB: unexpected error on idle client', err);
+  logger.error('Booking DB: unexpected error on idle client', { error: err, service: 'booking-service' });
```

## Errors in meta

winston's `format.json()` prints an `Error` nested in meta as `{}`. When a winston
logger that new calls pass errors through does not serialize such values, the fix says so at the
logger (a finding without an edit). Add a format like this one to the logger's
`format.combine(…)`:

```ts
const errorsInMeta = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (value instanceof Error) {
      info[key] = { name: value.name, message: value.message, stack: value.stack };
    }
  }
  return info;
});
```

## Fix safety

Safe. Every call keeps its arguments (only wrapped into the meta object), the
result type-checks against winston's `LeveledLogMethod` (meta is passed only to a logger
known to take it; any other logger gets one text argument or a report), and the logger module
and whatever it imports are never edited, so nothing recurses. What changes is
where the output goes and its shape: JSON through the logger's transports
instead of plain text on stdout/stderr, and messages below the logger's level
(`LOG_LEVEL`) are no longer printed. Winston's JSON format prints an `Error`
nested in meta as `{}` unless the logger's format serializes it (the module
that `create = true` adds does); check your logger's format if it does not.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Iterable, Iterator

from fixer import edits as edit_ops
from fixer import logger
from fixer.cache import stable_digest
from fixer.model import Edit, Finding, FixInfo, NewFile, Option, pickled_by_fields
from fixer.parsing import logcall, typescript
from fixer.parsing.comments import blank, comment_ranges
from fixer.parsing.typescript import Node
from fixer.repo import CODE_KINDS, FactsSpec, Repo, SourceFile, compile_glob
from fixer.scripts import runs_of

INFO = FixInfo(
    id="console-to-logger",
    title="Log through the service logger, not console",
    audit="Fix 3",
    week=1,
    order=3,
    severity="critical",
    safety="safe",
    version=13,  # 13: a logger a logging library makes (log4js's `getLogger(…)`) has the library's level methods; 12: workspace packages by name, not pnpm's undeclared ones, `exports` entries, tsconfig*.json paths; 11: a bunyan logger takes pino's (fields, message), errors under `err`; 10: a choice of strings is the message, acronym labels (url), a created logger's import spelled as the file's; 9: errorMessage/errorStack keys, a label for the value after it only, 'error' for an error's text alone; 8: NestJS class loggers named in the report; 7: strings after the message joined into it, `Date.now()` as dateNow; 6: array callbacks whose value is read keep it undefined; 5: an Error made in the arguments under the error key
    kinds=frozenset(CODE_KINDS),
    prefilter=(b"console",),
    options={
        "skip-tests": Option(
            ["**/*.test.*", "**/*.spec.*", "**/__tests__/**", "**/__mocks__/**", "**/test/**", "**/tests/**"],
            "test files whose console calls are left alone (globs; [] rewrites them too)"),
        "skip-scripts": Option(
            ["**/scripts/**", "**/bin/**", "**/migrations/**", "**/seeds/**", "**/seeders/**", "*.js", "*.mjs",
             "*.cjs", "**/*.config.*"],
            "scripts, migrations, seeds, one-off files at the repository root and tool configs, left alone (globs)"),
        "skip-browser": Option(
            ["**/public/**", "**/frontend/**", "**/client/**", "**/web/**", "**/*.front.*"],
            "browser code living under backend folders, left alone (globs)"),
        "detect-browser": Option(True, "also leave alone files that use the globals `document` or `window`, or React, "
                                 "and `'use client'` modules"),
        "detect-stdio": Option(True, "leave alone the packages of stdio servers (an MCP `StdioServerTransport`, "
                               "a language server): their stdout is the protocol, they log to stderr on purpose"),
        "detect-no-console": Option(True, "leave alone files whose top comments turn ESLint's `no-console` rule off "
                                    "(`/* eslint-disable no-console */`), and calls under an `eslint-disable-next-line "
                                    "no-console`: their author says console is the output there (a command-line tool's)"),
        "skip-bootstrap": Option(True, "leave alone the modules the logger module imports (they run before any logger exists)"),
        "service-name": Option(True, "pass `{ service: '<name>' }` in new calls where the service's logger calls already do"),
    },
)

LEVELS = {"log": "info", "info": "info", "warn": "warn", "error": "error", "debug": "debug", "trace": "debug"}
NO_EQUIVALENT = {
    "table": "log the rows as meta instead (`logger.info('…', { rows })`)",
    "dir": "log the object as meta instead (`logger.debug('…', { value })`)",
    "dirxml": "log the object as meta instead",
    "time": "measure with `Date.now()` and log the duration as meta",
    "timeEnd": "measure with `Date.now()` and log the duration as meta",
    "timeLog": "measure with `Date.now()` and log the duration as meta",
    "group": "remove it: structured logs are not nested",
    "groupCollapsed": "remove it: structured logs are not nested",
    "groupEnd": "remove it: structured logs are not nested",
    "assert": "write `if (!condition) logger.error('…')`",
    "count": "keep a counter and log it as meta",
    "countReset": "keep a counter and log it as meta",
    "profile": "use a profiler, or `logger.profile()`",
    "profileEnd": "use a profiler, or `logger.profile()`",
    "timeStamp": "remove it",
    "clear": "remove it",
}
GLOBAL_OBJECTS = frozenset({b"globalThis", b"global", b"window", b"self"})
# Local wrappers that are themselves loggers: rewriting their console call would make them call themselves.
WRAPPER = re.compile(r"^(logger|log|[a-z]\w*Logger|[A-Z]\w*Logger|Logger|(create|make|build|get)\w*Logger)$")
# A file that creates the logger is its implementation (so is one that exports the convention's
# object: `exported_loggers`).
IMPLEMENTS_LOGGER = re.compile(
    rb"\b(?:winston|bunyan)\s*\.\s*createLogger\s*\(|\bcreateLogger\s*\(|\bpino\s*\(|new\s+(?:winston\.)?Logger\s*\(|"
    rb"\brequire\s*\(\s*['\"]pino['\"]\s*\)\s*\(|"
    rb"\blog4js\s*\.\s*configure\s*\(|\bextends\s+(?:winston\.)?Transport\b"
)
# the library a bare `createLogger(`/`new Logger(` may be of: the file imports or requires it
_LOGGING_LIBRARY = re.compile(rb"(?:\bfrom|\brequire\s*\()\s*['\"](?:winston|bunyan)['\"]")


def implements_logger(data: bytes) -> bool:
    """Whether the file makes a logger (IMPLEMENTS_LOGGER): a bare `createLogger(…)` or `new
    Logger(…)` counts only in a file that imports winston or bunyan, so a service file calling a
    factory of its own package (`createLogger('api')` of `@acme/logger`) or NestJS's `new
    Logger(AppService.name)` is a file that uses a logger, not its implementation."""
    for match in IMPLEMENTS_LOGGER.finditer(data):
        text = match.group()
        if not (text.startswith(b"createLogger") or re.match(rb"new\s+Logger", text)) or _LOGGING_LIBRARY.search(data):
            return True
    return False


PINO = re.compile(rb"\bpino\s*\(|\brequire\s*\(\s*['\"]pino['\"]\s*\)\s*\(")  # (`require('pino')(…)` too)
# A logger-named object the file defines and exports (ESM or CommonJS): an object literal, an
# instance or a class, not a function (`export const logger = (req, res, next) => …` is a
# request-logging middleware). Matched where `export `/`exports.` stand (a search of the
# whole file for the pattern costs ten times as much).
_LOGGER_NAMES = rb"(logger|log|[a-z]\w*Logger)"
_EXPORTS_LOGGER = (
    (b"export ", re.compile(rb"export\s+(?:(?:const|let|var)\s+" + _LOGGER_NAMES + rb"\s*(?::[^=;]*)?=\s*(?:\{|new\b)"
                             rb"|class\s+" + _LOGGER_NAMES + rb"\b)")),
    (b"exports.", re.compile(rb"exports\." + _LOGGER_NAMES + rb"\s*=\s*(?:\{|new\b)")),
)


def exported_loggers(data: bytes) -> tuple[str, ...]:
    """The logger-named objects the file exports (see `_EXPORTS_LOGGER`)."""
    found = set()
    for word, pattern in _EXPORTS_LOGGER:
        at = data.find(word)
        while at >= 0:
            if not at or data[at - 1] not in logger.IDENTIFIER_BYTES:
                match = pattern.match(data, at)
                if match:
                    found.add(next(group for group in match.groups() if group).decode())
            at = data.find(word, at + 1)
    return tuple(sorted(found))


IMPLEMENTS_NEEDLES = (b"createLogger", b"pino", b"Logger(", b"log4js", b"Transport")  # cheap checks first
BROWSER_WORDS = re.compile(rb"\b(document|window|React|react)\b")
BROWSER_MODULES = re.compile(r"^(react|react-dom|preact|next)(/|$)")


@dataclass(frozen=True)
class Context:
    conventions: tuple[tuple[str | None, logger.LoggerImport], ...]
    service_names: tuple[tuple[str, str], ...]  # service dir -> the name its logger calls pass
    left_alone: tuple[tuple[str, str], ...]  # path -> why its console calls stay
    skipped: frozenset[str]  # the paths of left_alone, for a quick look-up per file
    create: tuple[str, str] | None  # (path, text) of the logger module `[logger] create = true` adds
    pino: bool = False  # every logger implementation is pino's (the note; each file asks `pino_for`)
    borrowing: tuple[str, ...] = ()  # services with console calls and no logger import of their own
    implementations: tuple[tuple[str, bool], ...] = ()  # the logger implementations, each: is it pino's
    # (module, name, shape, why, methods) per imported logger: `logger_shapes`
    shapes: tuple[tuple[str, str, str, str, tuple[str, ...] | None], ...] = ()
    declared_pino: bool = False  # `[logger] shape = "pino"`
    # scopes with no convention whose code gets its logger from a function: `logger.logger_functions`
    functions: tuple[tuple[str | None, tuple[str, str, int]], ...] = ()
    quiet: frozenset[str] = frozenset()  # of left_alone, files with no console call (the notes do not list them)
    detect_no_console: bool = True  # the option: calls under `// eslint-disable-next-line no-console` stay
    marked: tuple[str, ...] = ()  # files with such calls (the notes list them)
    # with no logger import anywhere: the loggers service code makes in place, (path, line, what)
    made: tuple[tuple[str, int, str], ...] = ()
    # imported loggers (module, name) whose calls pass an object first, no winston logger behind: `fields_first`
    fields_first: tuple[tuple[str, str], ...] = ()


# --- the repository-wide picture -------------------------------------------------------


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class FileFacts:
    """What one file tells the repository-wide picture (cached per file content)."""

    implements: bool  # creates the logger: `winston.createLogger(`, `pino(`
    console: bool  # mentions `console` by its name (not `consoleFormat`)
    out_of_scope: str | None  # why its console calls stay (tests, scripts, browser code…)
    meta_calls: int  # logger calls with a meta object
    service_names: tuple[tuple[str, int], ...]  # the `service: '<name>'` those calls pass
    exports: tuple[str, ...] = ()  # logger-named values it defines and exports (`export const logger = …`)
    pino: bool = False  # creates a logger of pino's order: pino's (`pino(…)`, no `createLogger`) or bunyan's
    stdio: str | None = None  # what makes it a stdio server (`StdioServerTransport`): stdout is its protocol
    # how its calls on imported loggers pass their arguments: (module, name, shape, count, first example)
    logger_calls: tuple[tuple[str, str, str, int, str], ...] = ()
    library: bool = False  # makes a logger with winston or pino (`createLogger(`, `pino(`)
    signature: str | None = None  # what its own level methods take (`info(module, msg)`: "tagged"), if it has any
    wholes: tuple[str, ...] = ()  # the repository logger modules it imports whole (`import * as logging from './logging'`)
    levels: tuple[str, ...] = ()  # the level methods it defines, when it defines `info`/`warn`/`error`/`debug`
    marked: bool = False  # holds an `eslint-disable-next-line no-console` (or `-line`): `console_meant_here`
    # the level methods its calls call on imported loggers: (module, name, method)
    logger_methods: tuple[tuple[str, str, str], ...] = ()


def prepare(repo: Repo, options: dict) -> Context:
    implementations: set[str] = set()
    out_of_scope: dict[str, str] = {}
    consoles: list[str] = []
    calls: Counter[str] = Counter()  # per service dir: logger calls with a meta object
    named: dict[str, Counter[str]] = {}  # per service dir: the service names those calls pass
    conventions = logger.infer(repo)
    # a module that defines and exports the name the convention imports is the logger, even
    # when it prints through console itself (`info: (m) => write('info', m)`)
    exported = {c.imported for c in conventions.values() if c.factory_args is None and c.imported != "default"}
    pinos: set[str] = set()
    stdio: dict[str, str] = {}  # service dir (or the file, outside any service) -> what says stdout is its protocol
    all_facts = repo.facts_of(file_facts_spec(options))
    for path, facts in all_facts.items():
        if facts.implements or not exported.isdisjoint(facts.exports):
            implementations.add(path)
            if facts.pino:
                pinos.add(path)
        if facts.stdio and options["detect-stdio"]:
            scope = repo.service_for(path)
            stdio.setdefault(scope.dir if scope is not None else path, f"{path} {facts.stdio}")
        if facts.console:
            consoles.append(path)
            if facts.out_of_scope:
                out_of_scope[path] = facts.out_of_scope
        service = repo.service_for(path) if facts.meta_calls else None
        if service is not None:
            calls[service.dir] += facts.meta_calls
            for value, count in facts.service_names:
                named.setdefault(service.dir, Counter())[value] += count
    implementations |= {c.target for c in conventions.values() if c.target and repo.exists(c.target)}
    left_alone = {path: "the logger implementation itself" for path in implementations}
    if options["skip-bootstrap"]:
        for path in sorted(_imported_by(repo, implementations).intersection(consoles) - set(left_alone)):
            left_alone[path] = "runs before the logger exists (the logger module imports it)"
    for path, reason in out_of_scope.items():
        left_alone.setdefault(path, reason)
    for path in consoles if stdio else ():
        scope = repo.service_for(path)
        why = stdio.get(scope.dir if scope is not None else path)
        if why is not None:
            left_alone.setdefault(path, "a stdio server: its stdout carries the protocol, console.error writes to "
                                        f"stderr on purpose and a logger on stdout would corrupt it ({why})")
    if options["skip-scripts"]:
        ran = _run_by_package_scripts(repo)
        for path in consoles:
            if path in ran:
                left_alone.setdefault(path, ran[path])
    names = {directory: counter.most_common(1)[0][0] for directory, counter in named.items()
             if sum(counter.values()) * 2 >= calls[directory]}
    # (a service the repository's logger cannot reach, another service's private module, gets none)
    borrowing = {service.dir for path in consoles if path not in left_alone
                 and (service := repo.service_for(path)) is not None and service.dir not in conventions
                 and logger.convention_for(repo, path, conventions) is not None}
    return Context(
        tuple(sorted(conventions.items(), key=lambda kv: str(kv[0]))),
        tuple(sorted(names.items())),
        tuple(sorted(left_alone.items())),
        frozenset(left_alone),
        logger.module_to_create(repo, conventions),
        bool(implementations) and implementations <= pinos,
        tuple(sorted(borrowing)) if None in conventions else (),
        tuple(sorted((path, path in pinos) for path in implementations)),
        logger_shapes(repo, all_facts, conventions),
        repo.config.logger.get("shape") == "pino",
        tuple(sorted(logger.logger_functions(repo).items(), key=lambda kv: str(kv[0]))),
        frozenset(implementations - set(consoles)),
        options["detect-no-console"],
        tuple(sorted(path for path in consoles if all_facts[path].marked and path not in left_alone))
        if options["detect-no-console"] else (),
        tuple(logger.loggers_made(repo, None)) if not conventions else (),
        () if (repo.config.logger.get("shape") or "").lower() == "winston"
        else fields_first(repo, all_facts, {path: path in pinos for path in implementations}),
    )


def file_facts_spec(options: dict) -> FactsSpec:
    """The per-file facts this fix gathers, for these options (their digest names the cache)."""
    gather = partial(_file_facts, options=options, scope_rules=_scope_rules(options))
    return FactsSpec("console-to-logger/files/" + stable_digest(sorted(options.items())), gather, CODE_KINDS,
                     version=10, structural=True)  # 10: bunyan's logger takes pino's order; 9: `eslint-disable no-console` at the top; 8: level methods only where a logger may be defined; 5: logger_calls, library, signature, wholes; 6: levels, methods;
    # 7: a bare `createLogger(` implements a logger only beside winston or bunyan


def FACTS(options: dict) -> list[FactsSpec]:  # noqa: N802 (the engine's hook name)
    """Gathered ahead, in the engine's one pass over the files."""
    return [file_facts_spec(options), logger.VOTES, logger.MADE]


def console_in_code(source_file: SourceFile) -> bool:
    """Whether `console` may occur outside the file's comments: False only when every
    `console` is in one (from the bytes). An occurrence with neither `/` nor `*` before
    it on its line is taken as code without finding the comments (the usual case, and
    the lexing is most of this gate's cost); one in a block comment whose lines do not
    start with `*` is then scanned for nothing, which costs time, never an answer."""
    data = source_file.data
    if "comment_ranges" not in source_file.__dict__:
        at = data.find(b"console")
        while at >= 0:
            line_start = max(data.rfind(b"\n", 0, at), data.rfind(b"\r", 0, at)) + 1
            if b"/" not in data[line_start:at] and b"*" not in data[line_start:at]:
                return True
            at = data.find(b"console", at + 7)
    comments = source_file.comment_ranges
    return comments is None or b"console" in blank(data, comments)


# A file whose only `console` is in comments (`// console.log(x);`, left there on purpose)
# has nothing to rewrite: the engine does not parse it (gathered with the facts).
GATE = FactsSpec("console-to-logger/in-code", console_in_code, CODE_KINDS, (b"console",), version=2)


def _file_facts(source_file: SourceFile, options: dict, scope_rules: list) -> FileFacts:
    data = source_file.data
    console = b"console" in data and _CONSOLE_NAME.search(data) is not None
    meta_calls, service_names = 0, ()
    if options["service-name"] and b"service" in data:
        meta_calls, service_names = _count_service_names(source_file)
    # (read once for both their uses: the head of the file, no parse)
    imports = tuple(logger.logger_imports_in(source_file, namespaces=True, factories=True)) \
        if logger.may_import_logger(data) else ()
    implements = any(needle in data for needle in IMPLEMENTS_NEEDLES) and implements_logger(data)
    exports = exported_loggers(data)
    # level methods are looked for where a logger may be defined: a module that makes or exports one,
    # a logger class, a file named for logging (most files are none: they only call a logger)
    defines = implements or bool(exports) or "log" in posixpath.basename(source_file.path).lower() \
        or _LOGGER_CLASS.search(data) is not None
    return FileFacts(
        implements=implements,
        console=console,
        out_of_scope=_out_of_scope(source_file, options, scope_rules) if console else None,
        meta_calls=meta_calls,
        service_names=service_names,
        exports=exports,
        pino=logger.makes_bunyan(data) or b"pino" in data and bool(PINO.search(data)) and b"createLogger" not in data,
        stdio=_stdio_server(data),
        logger_calls=logger_call_shapes(source_file, imports),
        logger_methods=_called_methods(source_file, imports),
        library=(b"Logger" in data or b"pino" in data or b"loggers" in data) and bool(LIBRARY_LOGGER.search(data)),
        signature=level_signature(data) if defines else None,
        wholes=whole_imports(source_file, imports),
        levels=defined_levels(data) if defines else (),
        marked=console and b"no-console" in data and _LINE_DIRECTIVE.search(data) is not None,
    )


_CONSOLE_NAME = re.compile(rb"(?<![\w$])console(?![\w$])")  # (not `consoleFormat`, `transports.Console`)
_LOGGER_CLASS = re.compile(rb"\bclass\s+[\w$]*Log|\bLoggerService\b")


# the scripts whose name says they run once and exit (`seed`, `db:migrate`, `clean`); what any
# other script runs is taken for service code (`start`, `debug`, `staging`, `sync`: names can't
# tell a server or a daemon from a one-off)
_ONE_OFF = re.compile(r"(^|[:_-])(seed|seeds|seeder|clean|cleanup|migrate|migration|migrations|reset|setup|populate"
                      r"|fixtures|import|export|backfill|generate|gen|scaffold|bootstrap)([:_-]|$)")


def _run_by_package_scripts(repo: Repo) -> dict[str, str]:
    """The files only package.json scripts named for a one-off job run (`"seed": "node seed.js"`,
    `"db:migrate": …`; `fixer.scripts`): scripts, unless one of the service's processes runs the
    file too (its start, `main`, its image), or a script of another name. Path -> why it is left alone."""
    found: dict[str, str] = {}
    for service in repo.services:
        runs = runs_of(repo, service)
        base = service.dir + "/" if service.dir else ""
        for path, names in runs.scripts.items():
            if path not in runs.process and all(_ONE_OFF.search(name) for name in names):
                found[path] = f"script (run by the `{names[0]}` script of {base}package.json; skip-scripts)"
    return found


# A server whose stdout carries its protocol (it logs to stderr on purpose): the MCP SDK's stdio
# transport (not `StdioClientTransport`: a client's own stdout is free), a JSON-RPC writer on
# stdout, a language server (`vscode-languageserver`: stdio unless told otherwise).
_STDIO_SERVER = re.compile(
    rb"\bnew\s+(?:[\w$]+\s*\.\s*)*(StdioServerTransport)\s*\("
    rb"|\bnew\s+(?:[\w$]+\s*\.\s*)*(StreamMessageWriter)\s*\(\s*process\s*\.\s*stdout\b"
    rb"|(?:from|require\s*\()\s*['\"](vscode-languageserver)(?:/node)?['\"]")
_STDIO_NEEDLES = (b"StdioServerTransport", b"StreamMessageWriter", b"vscode-languageserver")


def _stdio_server(data: bytes) -> str | None:
    """What makes the file a stdio server (`uses StdioServerTransport`), or None."""
    if not any(needle in data for needle in _STDIO_NEEDLES):
        return None
    comments = comment_ranges(data)
    for match in _STDIO_SERVER.finditer(blank(data, comments) if comments else data):
        name = next(group for group in match.groups() if group).decode()
        return f"imports {name}" if name == "vscode-languageserver" else f"uses {name}"
    return None


def pino_for(source_file: SourceFile, found: logger.FileLogger, context: Context) -> bool:
    """Whether the logger the file logs through takes pino's order, `(fields, message)`, errors
    under `err`: pino's or bunyan's (`logger.is_pino_for`: per file, as a repository may hold
    winston and pino services side by side), or one whose calls pass an object first with no
    winston logger behind it (`fields_first`)."""
    if found.binding is None:
        return False
    if context.declared_pino:  # `[logger] shape = "pino"`: of the configured logger, the user's word
        key = _logger_key(source_file, found, dict(context.conventions))
        if any(shape == STRUCTURED and why.startswith("[logger] shape") and key == (module, name)
               for module, name, shape, why, _ in context.shapes):
            return True
    if logger.is_pino_for(source_file.repo, source_file, dict(context.implementations), found):
        return True
    return bool(context.fields_first) and _logger_key(source_file, found, dict(context.conventions)) in context.fields_first


def fields_first(repo: Repo, facts: dict[str, FileFacts], implementations: dict[str, bool]) -> tuple[tuple[str, str], ...]:
    """The imported loggers (module, name) whose calls in the repository mostly pass an object
    first (`log.info({ port }, 'listening')`: pino's and bunyan's order, `logger_call_shapes`) and
    that no winston logger of the repository is behind (the module that defines it, or one it
    imports, makes one; `implementations`: path -> takes pino's order): their new calls take that
    order too, errors under `err`, for a logger made outside the repository or where fixer does
    not see it made."""
    calls: dict[tuple[str, str], Counter[str]] = {}
    for path, facts_of in facts.items():
        for module, name, shape, count, _ in facts_of.logger_calls:
            calls.setdefault((alias_target(repo, path, module) or module, name), Counter())[shape] += count
    found = []
    for (module, name), counted in sorted(calls.items()):
        if counted["fields"] * 2 <= counted["meta"]:  # ("meta" counts them too)
            continue
        origin = _logger_origin(repo, module, name)
        reached = logger.modules_reached(repo, origin[0]) if origin is not None else set()
        if not any(not implementations[path] for path in reached if path in implementations):
            found.append((module, name))
    return tuple(found)


def _imported_by(repo: Repo, roots: set[str]) -> set[str]:
    """Every repository file the given modules import, directly or not (relative imports, and
    those through a tsconfig path alias: `import { LOG_LEVEL } from '@config/env'`)."""
    seen: set[str] = set()
    todo = sorted(roots)
    while todo:
        source_file = repo.read(todo.pop())
        if source_file is None or source_file.kind not in CODE_KINDS:
            continue
        modules = typescript.imported_modules(source_file.kind, source_file.tree.root_node)
        modules += [seen.module for seen in logger.imports_in(source_file) if seen.equals]  # `import c = require('./c')`
        for module in modules:
            target = logger.resolve_import(repo, source_file.path, module)
            if target and target not in seen and target not in roots:
                seen.add(target)
                todo.append(target)
    return seen


_SCOPE_OPTIONS = (("skip-tests", "test file"), ("skip-scripts", "script"), ("skip-browser", "browser code"))


def _scope_rules(options: dict) -> list[tuple[re.Pattern[str], str, str, str]]:
    """The skip-* globs compiled once: (regex, option, label, glob)."""
    return [(compile_glob(g), option, label, g)
            for option, label in _SCOPE_OPTIONS for g in options[option]]


def _out_of_scope(source_file: SourceFile, options: dict, rules: list) -> str | None:
    path = source_file.path
    for regex, option, label, glob in rules:
        if regex.fullmatch(path):
            return f"{label} ({option}: {glob})"
    data = source_file.data
    if options["detect-no-console"] and b"no-console" in data and (directive := console_is_output(data)):
        return f"console is its output (its `{directive}` says so; detect-no-console)"
    if options["detect-browser"] and b"use client" in data and _is_client_module(data):
        return "browser code (a 'use client' module; detect-browser)"
    if options["detect-browser"] and (b"document" in data or b"window" in data or b"eact" in data) \
            and BROWSER_WORDS.search(data):
        used = _browser_usage(source_file)
        if used:
            return f"browser code (uses {used}; detect-browser)"
    return None


_DIRECTIVE = re.compile(rb"""(['"])use [\w ]+\1[ \t]*;?""")
_RULES_OFF = re.compile(r"^eslint-disable\s+(?P<rules>.*)$|^eslint\s+(?P<config>.*)$", re.S)
_CONSOLE_OFF = re.compile(r"""(?:^|[\s,{])["']?no-console["']?\s*:\s*(?:\[\s*)?(?:0|"off"|'off'|off)(?![\w-])""")


def console_is_output(data: bytes) -> str | None:
    """The comment at the top of the file (above its first statement, past a shebang and
    directives) that turns ESLint's `no-console` off for the whole file: `/* eslint-disable
    no-console */`, `// eslint-disable no-console, no-process-exit -- CLI`, `/* eslint
    no-console: "off" */`. Not a bare `eslint-disable` (every rule: a generated file's, it says
    nothing of console), nor the `-line`/`-next-line` forms (one call each)."""
    at = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.startswith(b"#!", at):
        at = data.find(b"\n", at) + 1 or len(data)
    while at < len(data):
        while at < len(data) and data[at] in b" \t\r\n":
            at += 1
        if data.startswith(b"//", at):
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end
            text, after = data[at + 2: end], end
        elif data.startswith(b"/*", at):
            end = data.find(b"*/", at + 2)
            if end < 0:
                return None
            text, after = data[at + 2: end], end + 2
        else:
            directive = _DIRECTIVE.match(data, at)
            if directive is None:
                return None
            at = directive.end()
            continue
        comment = text.decode("utf-8", "replace").strip().lstrip("*").strip()
        match = _RULES_OFF.match(comment)
        if match is not None:
            rules = (match.group("rules") or "").split(" -- ")[0]
            if "no-console" in re.split(r"[\s,]+", rules) or (
                    match.group("config") is not None and _CONSOLE_OFF.search(match.group("config").split(" -- ")[0])):
                return " ".join(data[at: after].decode("utf-8", "replace").split())
        at = after
    return None


# `// eslint-disable-next-line no-console, no-process-exit -- why`, `/* eslint-disable-line no-console */`
_LINE_DIRECTIVE = re.compile(rb"(?://|/\*)[ \t]*eslint-disable-(next-)?line(?![\w-])([^\r\n]*)")


def console_meant_here(data: bytes, at: int) -> str | None:
    """The ESLint directive that turns `no-console` off for the line of offset `at` (a console
    call's): an `eslint-disable-next-line` on the line above, an `eslint-disable-line` on its own
    line. Its author says console is meant there (a CLI's output, a last word before
    `process.exit()`): the call stays, and so does the directive's reason for being."""
    start = max(data.rfind(b"\n", 0, at), data.rfind(b"\r", 0, at)) + 1
    end = len(data) if (newline := data.find(b"\n", at)) < 0 else newline
    above_end = start - 2 if data[start - 2:start] == b"\r\n" else start - 1  # (the line break above)
    above = max(data.rfind(b"\n", 0, above_end), data.rfind(b"\r", 0, above_end)) + 1 if start else start
    for line, wants_next in ((data[above:start], True), (data[start:end], False)):
        for match in _LINE_DIRECTIVE.finditer(line):
            if bool(match.group(1)) != wants_next:
                continue
            rules = match.group(2).split(b" -- ")[0].replace(b"*/", b" ")
            if b"no-console" in re.split(rb"[\s,]+", rules):
                return " ".join(match.group(0).decode("utf-8", "replace").replace("*/", "").split())
    return None


_USE_CLIENT = re.compile(rb"""(?:\xef\xbb\xbf)?(?:#![^\n]*\n)?\s*(?:(['"])use strict\1\s*;?\s*)?(['"])use client\2""")


def _is_client_module(data: bytes) -> bool:
    """A module whose directives say `'use client'` (React Server Components: it runs in the
    browser), read from the bytes up to the directive, comments blanked."""
    at = data.find(b"use client")
    for _ in range(3):  # (the first may be in a comment above the directive)
        if at < 0:
            return False
        head = data[: at + len(b"use client") + 1]
        comments = comment_ranges(head)
        if _USE_CLIENT.match(blank(head, comments) if comments else head) is not None:
            return True
        at = data.find(b"use client", at + 1)
    return False


def _browser_usage(source_file: SourceFile) -> str | None:
    root = source_file.tree.root_node
    for seen in logger.imports_in(source_file):
        if BROWSER_MODULES.match(seen.module):
            return seen.module
    for name in ("document", "window"):
        if typescript.global_references(source_file.kind, root, name):
            return f"`{name}`"
    return None


# `log.info(` / `…Logger.warn(`: found from the `[Ll]og` on (a pattern that starts at a
# word's start tries every word, several times slower); the name is the whole word.
_LOGGER_CALL = re.compile(rb"[Ll]og(?:ger)?\s*\.\s*(?:error|warn|info|http|verbose|debug|silly)\s*\(")
_WORD = re.compile(rb"\w+")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _logger_calls(data: bytes) -> Iterator[tuple[str, int]]:
    """(the logger's name, the offset just past the call's `(`) of each call of a level method
    on a name ending in `log`/`logger`/`Logger`."""
    for match in _LOGGER_CALL.finditer(data):
        start = match.start()
        while start and data[start - 1] in _WORD_BYTES:
            start -= 1
        name = _WORD.match(data, start)
        assert name is not None
        yield name.group().decode(), match.end()
_SERVICE_AT = re.compile(rb"""\{\s*(?:[^{}]*?[,\s])?service\s*:\s*(['"])([^'"\n]+)\1""")  # match() at the `{`


def _meta_object(data: bytes, start: int) -> bytes | None:
    """The text of the first object literal that is a later top-level argument of the call
    whose arguments start at `start` (just after its `(`), or None."""
    after_comma, first = False, None
    for index, char, depth in typescript.structure_tokens(data, start):
        if depth < 0:
            return None  # the call ended without a meta object
        if depth == 0 and char == ord(","):
            after_comma = True
        elif depth == 0 and char == ord("{") and after_comma and first is None:
            first = index
        elif depth == 0 and char == ord("}") and first is not None:
            return data[first : index + 1]
    return None


# A call whose first argument is a plain string literal, then its end or an object literal
# as the second argument: what most logger calls look like (`_meta_object` does the rest).
_SIMPLE_CALL = re.compile(rb"""\s*(?:'[^'\\\n]*'|"[^"\\\n]*"|`[^`\\$]*`)\s*(\)|,\s*\{)""")


def _count_service_names(source_file: SourceFile) -> tuple[int, tuple[tuple[str, int], ...]]:
    """The file's logger calls with a meta object, and the `service: '<name>'` they pass.

    A habit, counted from the bytes without parsing (most files of a service log): each
    call's argument text is scanned for a top-level object after a top-level comma."""
    calls = 0
    named: Counter[str] = Counter()
    data = source_file.data
    for name, arguments in _logger_calls(data):
        if not logger.LOGGER_NAME.match(name):
            continue
        simple = _SIMPLE_CALL.match(data, arguments)  # the common forms, in one regex step
        if simple is not None:
            if simple.group(1) == b")":
                continue  # one plain string: no meta object
            service = _SERVICE_AT.match(data, simple.end() - 1)  # it stops at the object's first brace
        else:
            meta = _meta_object(data, arguments)
            if meta is None:
                continue
            service = _SERVICE_AT.match(meta)
        calls += 1
        if service:
            named[service.group(2).decode("utf-8", "replace")] += 1
    return calls, tuple(sorted(named.items()))


# --- what the logger's calls take ------------------------------------------------------
#
# New calls pass winston's (message, meta), or pino's (meta, message), only to a logger known to
# take them: made by winston or pino (its module, or one its module imports, calls `createLogger(`
# or `pino(`), or called so by the repository's own code (`logger.info('Saved', { id })`), or whose
# level methods say so (`info(message, meta?)`). A hand-written logger that takes something else
# (uptime-kuma's `log.info(module, msg)`, node-red's one-argument `log.info(msg)`) would lose the
# message or the values: see `logger_shape`.

STRUCTURED, ONE, TAGGED = "structured", "one", "tagged"
NEST = "nest"  # NestJS's `Logger` of `@nestjs/common`: `log(message, context?)`, no `info`; its calls are made by hand
# `createLogger(` (winston, bunyan), `pino(`, `require('pino')(`, `new winston.Logger(`, winston's container
# (`winston.loggers.get('api')`); not any class named Logger
LIBRARY_LOGGER = re.compile(rb"\bcreateLogger\s*\(|\bpino\s*\(|\brequire\s*\(\s*['\"]pino['\"]\s*\)\s*\(|"
                            rb"\bnew\s+winston\s*\.\s*Logger\s*\(|\bwinston\s*\.\s*loggers\s*\.\s*(?:get|add)\s*\(")
_METHOD_CALL = re.compile(rb"\.\s*(error|warn|info|debug|verbose|http|silly|trace|fatal|log)\s*\(")
_NAME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
_SPACES = frozenset(b" \t\r\n")
_NAME_OR_DOT = _NAME_CHARS | {ord(".")}
_DIGITS = frozenset(b"0123456789")


def _name_before(data: bytes, end: int) -> tuple[str, str | None, int] | None:
    """`first` or `first.member` (spaces allowed around the dot) ending just before `end`, not
    itself a member of something (`a.b.c` is no such name), and where it starts; None when
    something else is there (`f().info(`). A scan back over the name: a regex searched over the
    text before each level call was a quarter of the fix's facts."""
    def ident(stop: int) -> int:  # the start of the identifier ending at `stop` (== stop: none)
        start = stop
        while start > 0 and data[start - 1] in _NAME_CHARS:
            start -= 1
        return start if start == stop or data[start] not in _DIGITS else stop

    def skip(at: int) -> int:
        while at > 0 and data[at - 1] in _SPACES:
            at -= 1
        return at

    last_end = skip(end)
    last = ident(last_end)
    if last == last_end:
        return None
    dot = skip(last)
    if dot > 0 and data[dot - 1] == ord("."):
        first_end = skip(dot - 1)
        first = ident(first_end)
        if first == first_end or (first > 0 and data[first - 1] == ord(".")):
            return None
        return data[first:first_end].decode(), data[last:last_end].decode(), first
    if last > 0 and data[last - 1] == ord("."):
        return None
    return data[last:last_end].decode(), None, last


def logger_call_shapes(source_file: SourceFile, imports: Iterable[logger.ImportSeen] | None = None
                       ) -> tuple[tuple[str, str, str, int, str], ...]:
    """How the file's calls of a level method on an imported logger pass their arguments, per
    logger (the module it is imported from, resolved, and the name it exports): "meta" (a
    message then an object literal, or pino's object then message), "fields" (of those, the ones
    in pino's and bunyan's order, object first: counted under "meta" too), "strings" (two strings:
    `log.info("server", "starting")`, a tag and a message), "one" (one argument), "other".
    Read from the bytes (a habit, not a proof), the imports from the file's head (no parse of the file)."""
    return _read_logger_calls(source_file, imports)[0]


def _called_methods(source_file: SourceFile, imports: Iterable[logger.ImportSeen] | None = None
                    ) -> tuple[tuple[str, str, str], ...]:
    """(module, name, method) of each level method the file calls on an imported logger."""
    return _read_logger_calls(source_file, imports)[1]


def _read_logger_calls(source_file: SourceFile, imports: Iterable[logger.ImportSeen] | None = None
                       ) -> tuple[tuple[tuple[str, str, str, int, str], ...], tuple[tuple[str, str, str], ...]]:
    """(`logger_call_shapes`, `_called_methods`), read once per file."""
    memo = source_file.__dict__.setdefault("_logger_calls_memo", {})
    if "read" in memo:
        return memo["read"]
    memo["read"] = found = _logger_calls_of(source_file, imports)
    return found


def _logger_calls_of(source_file: SourceFile, imports: Iterable[logger.ImportSeen] | None
                     ) -> tuple[tuple[tuple[str, str, str, int, str], ...], tuple[tuple[str, str, str], ...]]:
    data = source_file.data
    if _METHOD_CALL.search(data) is None or not logger.may_import_logger(data):
        return (), ()
    if imports is None:
        imports = logger.logger_imports_in(source_file, namespaces=True, factories=True)  # (the head only: no parse)
    bound: dict[str, tuple[str, str]] = {}
    for seen in imports:
        target = logger.resolve_module(source_file.repo, source_file.path, seen.module) \
            if seen.module.startswith(".") else None
        bound[seen.local] = (target or seen.module, seen.imported)
    if not bound:
        return (), ()
    for made in _MADE.finditer(data):  # a factory's logger, a child of the import (`const log = logger.child(…)`)
        name, maker = made.group(1).decode(), made.group(2).decode()
        if name not in bound and maker in bound:
            module, imported = bound[maker]
            if imported not in ("*", "default") or made.group(3):
                bound[name] = (module, imported)
    counts: Counter[tuple[str, str, str]] = Counter()
    examples: dict[tuple[str, str, str], str] = {}
    methods: set[tuple[str, str, str]] = set()
    for match in _METHOD_CALL.finditer(data):  # (`.log(…)` too: NestJS's; not a shape, winston's takes a level first)
        name = _name_before(data, match.start())
        if name is None:
            continue
        first, member, named_at = name
        if first not in bound:
            continue
        module, imported = bound[first]
        if member is not None:
            if imported not in ("*", "default"):
                continue  # `log.child.info`: not a call on the logger
            imported = member  # `shared.logger.info(…)`, `_logger.logger.error(…)`
        method = match.group(1).decode()
        methods.add((module, imported, method))
        if method == "log":
            continue  # (no shape: winston's `log` takes a level first)
        shape = _arguments_shape(data, match.end())
        if shape is None:
            continue
        for each in ("meta", "fields") if shape == "fields" else (shape,):
            key = (module, imported, each)
            counts[key] += 1
            if key not in examples:
                end = data.find(b"\n", match.start())
                text = data[named_at: end if 0 <= end < named_at + 100 else named_at + 100]
                line = data.count(b"\n", 0, named_at) + 1
                examples[key] = f"{source_file.path}:{line}: " \
                                + text.decode("utf-8", "replace").strip()
    return tuple(sorted((m, n, shape, count, examples[m, n, shape]) for (m, n, shape), count in counts.items())), \
        tuple(sorted(methods))


def whole_imports(source_file: SourceFile, imports: Iterable[logger.ImportSeen] | None = None) -> tuple[str, ...]:
    """The repository modules the file imports whole that may hold its logger (`import * as
    logging from './logging'`, `const logging = require('./logging')`), resolved."""
    if not logger.may_import_logger(source_file.data):
        return ()
    found = set()
    for seen in (logger.logger_imports_in(source_file, namespaces=True) if imports is None else imports):
        if seen.module.startswith(".") and (seen.imported == "*" or seen.imported == "default" and seen.commonjs) \
                and logger.is_logger_import(seen):
            target = logger.resolve_module(source_file.repo, source_file.path, seen.module)
            if target is not None:
                found.add(target)
    return tuple(sorted(found))


_MADE = re.compile(rb"(?m)^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]*)?=\s*([A-Za-z_$][\w$]*)\s*"
                   rb"(\.\s*child\s*)?\(")
_QUOTES = frozenset(b"'\"`")


def _arguments_shape(data: bytes, start: int) -> str | None:
    """The shape (see `logger_call_shapes`) of the argument list that starts just after its `(`."""
    starts = []
    at = _SPACE.match(data, start).end()
    if at < len(data) and data[at] != ord(")"):
        starts.append(at)
    for index, char, depth in typescript.structure_tokens(data, start):
        if depth < 0:
            break
        if depth == 0 and char == ord(","):
            following = _SPACE.match(data, index + 1).end()
            if following < len(data) and data[following] != ord(")"):
                starts.append(following)
    else:
        return None  # (no end of the call in sight)
    if not starts:
        return None
    if len(starts) == 1:
        return "one"
    first, second = data[starts[0]], data[starts[1]]
    if first == ord("{") and second in _QUOTES:
        return "fields"  # pino's and bunyan's order
    if second == ord("{"):
        return "meta"
    if first in _QUOTES and second in _QUOTES and b"%" not in data[starts[0]:starts[1]]:
        return "strings"  # (not a printf-style format and its value)
    return "other"


_SPACE = re.compile(rb"\s*")
# A level method's own definition: `info(module, msg) {`, `info: (message: string, meta?: Meta) =>`,
# `error: function (msg) {`, `warn = (m) =>`; the parameter list without parentheses in it
_LEVEL_DEFINITION = re.compile(  # (not after [\w$.]: checked by `_level_definitions`, a lookbehind first is slow)
    rb"(?:info|warn|error|debug)\s*(?::\s*(?:async\s+)?(?:function\b\s*)?|=\s*(?:async\s+)?(?:function\b\s*)?)?"
    rb"\(([^()]*)\)\s*(?::\s*[\w$<>\[\]|. ]+\s*)?(?:=>|\{)")
_LEVEL_WORDS = (b"info", b"warn", b"error", b"debug")  # (a definition is one not after a `.`: see the lookbehind)
_TAG_NAMES = frozenset({"module", "mod", "tag", "category", "scope", "source", "component", "prefix", "namespace", "ns",
                        "label", "section", "name", "service", "context", "ctx", "area", "topic", "channel"})
_META_NAMES = frozenset({"meta", "metadata", "data", "extra", "fields", "details", "detail", "obj", "object", "props",
                         "attributes", "attrs", "info", "params", "payload"})  # (not `context`: Nest's is a string)


def _level_definitions(code: bytes) -> Iterator[re.Match[bytes]]:
    """`_LEVEL_DEFINITION`'s matches whose name is no member or part of a longer name."""
    return (match for match in _LEVEL_DEFINITION.finditer(code)
            if match.start() == 0 or code[match.start() - 1] not in _NAME_OR_DOT)


# Any level method's definition (`log(message, context?) {` of a NestJS LoggerService too)
_ANY_LEVEL_DEFINITION = re.compile(
    rb"(info|warn|error|debug|log|trace|verbose|fatal|http|silly)\s*(?::\s*(?:async\s+)?(?:function\b\s*)?|"
    rb"=\s*(?:async\s+)?(?:function\b\s*)?)?\([^()]*\)\s*(?::\s*[\w$<>\[\]|. ]+\s*)?(?:=>|\{)")


@lru_cache(maxsize=8)  # (asked by `defined_levels` and `level_signature` for the same file in a row)
def _defining_code(data: bytes) -> bytes | None:
    """The file's code, comments blanked, when it defines a level method (`info(…) {`); None when it
    defines none (most files: every `info`/`error` is a call's `.info(`, or no definition even with
    the comments in, so they are never blanked)."""
    if not any(data.count(word) > data.count(b"." + word) for word in _LEVEL_WORDS) \
            or next(_level_definitions(data), None) is None:
        return None
    comments = comment_ranges(data) if b"/" in data else None
    code = blank(data, comments) if comments else data
    return code if next(_level_definitions(code), None) is not None else None


def defined_levels(data: bytes) -> tuple[str, ...]:
    """The level methods the file defines (`log`, `error`, `warn` of a NestJS `LoggerService`
    wrapper), when it defines one of `info`/`warn`/`error`/`debug` (see `level_signature`); ()."""
    code = _defining_code(data)
    if code is None:
        return ()
    return tuple(sorted({match.group(1).decode() for match in _ANY_LEVEL_DEFINITION.finditer(code)
                         if match.start() == 0 or code[match.start() - 1] not in _NAME_OR_DOT}))


def level_signature(data: bytes) -> str | None:
    """What the level methods a file defines take, from their parameter names: TAGGED when they
    take a tag before the message (`info(module, msg)`), STRUCTURED when a message and then meta
    or any values (`info(message, meta?)`, `info(msg, ...args)`, `info(...args)`), ONE for one
    parameter; None when it defines none, or their names say nothing."""
    code = _defining_code(data)
    if code is None:
        return None
    found = set()
    for match in _level_definitions(code):
        parameters = match.group(1)
        while re.search(rb"<[^<>]*>", parameters):
            parameters = re.sub(rb"<[^<>]*>", b"", parameters)
        names = [re.match(rb"\s*(\.\.\.)?\s*([\w$]*)", part) for part in parameters.split(b",") if part.strip()]
        if not names or any(n is None for n in names):
            continue
        plain = [n.group(2).decode() for n in names if n is not None]
        rest = any(n.group(1) for n in names if n is not None)
        if rest and len(names) <= 2:
            found.add(STRUCTURED if len(names) == 1 or plain[0] not in _TAG_NAMES else TAGGED)
        elif len(names) == 1:
            found.add(ONE)
        elif len(names) >= 2 and plain[0] in _TAG_NAMES:
            found.add(TAGGED)
        elif len(names) == 2 and plain[1] in _META_NAMES:
            found.add(STRUCTURED)
    for shape in (TAGGED, ONE, STRUCTURED):  # (the one that rules out most first)
        if shape in found:
            return shape
    return None


alias_target = logger.alias_target  # (a tsconfig path alias's file: shared with the logger's inference)


def logger_shapes(repo: Repo, facts: dict[str, FileFacts], conventions: dict[str | None, logger.LoggerImport]
                  ) -> tuple[tuple[str, str, str, str, tuple[str, ...] | None], ...]:
    """For each logger the repository imports (module, name): what its calls take, STRUCTURED
    (winston's or pino's), ONE (one argument: a message) or TAGGED (a tag, then the message), the
    evidence, in a few words, and the level methods it is shown to have (None: winston's). A
    module imported through a tsconfig path alias (`@/lib/logger`) is the file it names. See
    `logger_shape`."""
    calls: dict[tuple[str, str], Counter[str]] = {}
    examples: dict[tuple[str, str, str], str] = {}
    called: dict[tuple[str, str], set[str]] = {}
    for path, facts_of in facts.items():
        for module, name, shape, count, example in facts_of.logger_calls:
            module = alias_target(repo, path, module) or module
            calls.setdefault((module, name), Counter())[shape] += count
            examples.setdefault((module, name, shape), example)
        for module, name, method in facts_of.logger_methods:
            called.setdefault((alias_target(repo, path, module) or module, name), set()).add(method)
    keys = set(calls)
    for path, cast in repo.facts_of(logger.VOTES).items():
        keys.update((alias_target(repo, path, full[0]) or full[0], full[1]) for full, _ in cast.imports)
    # a convention through an alias (`@utils/logger`) is decided as the file it names, and said
    # under its alias too (the notes name the convention as the files write it)
    spelled: dict[tuple[str, str], tuple[str, str]] = {}
    for convention in conventions.values():
        key = (convention.target or convention.aliased or convention.module, convention.imported)
        keys.add(key)
        if convention.aliased is not None:
            spelled[(convention.module, convention.imported)] = key
    # (and every logger module, for a file that imports it whole: `import * as logging from './logging'`)
    modules = {module for module, _ in keys}
    keys.update((path, "*") for facts_of in facts.values() for path in facts_of.wholes if path not in modules)
    library = {path for path, facts_of in facts.items() if facts_of.library}
    created = logger.module_to_create(repo, conventions)  # (`[logger] create = true`: fixer's winston module)
    if created is not None:
        library.add(created[0])
    signatures = {path: facts_of.signature for path, facts_of in facts.items() if facts_of.signature}
    levels = {path: facts_of.levels for path, facts_of in facts.items() if facts_of.levels}
    declared = (repo.config.logger.get("shape") or "").lower()
    configured = conventions.get(None) if repo.config.logger.get("module") else None
    found = []
    for module, name in sorted(keys):
        counted = calls.get((module, name), Counter())
        if not counted["meta"] and not counted["strings"]:  # (another name of the module may say more)
            counted = sum((c for (m, _), c in calls.items() if m == module), Counter())
        is_configured = configured is not None and module in (configured.module, configured.target) \
            and name == configured.imported
        if is_configured and declared:  # `[logger] shape = "winston"`: the user says so
            found.append((module, name, STRUCTURED, f"[logger] shape = \"{declared}\" in .fixer.toml", None))
            continue
        shape, why, methods = _decided_shape(repo, module, name, counted, library, signatures, levels,
                                             frozenset(called.get((module, name), ())), is_configured)
        if why == "calls":
            which = "strings" if shape == TAGGED else "meta"
            example = examples.get((module, name, which)) or next(
                (e for (m, _, w), e in sorted(examples.items()) if m == module and w == which), "")
            where = example.partition(": ")[0].rpartition(":")[0]  # (a file, not its line or text: an earlier
            # plan step's edit may move them, and the context must stay what the warm-up pass saw)
            why = f"its calls pass {'a tag and a message' if shape == TAGGED else '(message, meta)'} (as in {where})"
        found.append((module, name, shape, why, methods))
    decided = {(module, name): rest for module, name, *rest in found}
    found += [(module, name, *decided[key]) for (module, name), key in sorted(spelled.items())
              if (module, name) not in decided and key in decided]
    return tuple(found)


def _decided_shape(repo: Repo, module: str, name: str, counted: Counter[str], library: set[str],
                   signatures: dict[str, str], levels: dict[str, tuple[str, ...]], called: frozenset[str],
                   configured: bool = False) -> tuple[str, str, tuple[str, ...] | None]:
    """(shape, why, methods) of one logger, `name` of `module`: its calls first (what the code
    does), then how the module that defines it makes it (a value made by winston or pino is
    theirs), then the level methods that module defines (a wrapper class or object: its own
    methods decide, even where it wraps a winston logger), then whether winston or pino make it,
    else ONE (nothing says more). `methods`: the level methods it is shown to have (its own
    definitions, else, when nothing says it is winston's or pino's, those the repository calls
    on it: `called`; a logger set under `[logger]` whose module the repository does not hold, the
    user's logger for every fix: any level method); None: all of winston's."""
    origin = _logger_origin(repo, module, name)
    path, value = origin if origin is not None else (None, None)
    made = value is not None and bool(_LIBRARY_VALUE.match(value))
    wrapper = path if path is not None and not made and levels.get(path) and not (
        value is not None and _CHILD_VALUE.match(value)) else None
    methods = levels[wrapper] if wrapper is not None else None
    if counted["meta"] and counted["meta"] >= counted["strings"]:
        return STRUCTURED, "calls", methods
    if counted["strings"]:
        return TAGGED, "calls", methods
    if made or (path is None and module in library):
        return STRUCTURED, "made by winston or pino", None
    if wrapper is not None:
        signature = signatures.get(wrapper)
        if signature == TAGGED:
            return TAGGED, f"its level methods take a tag before the message ({wrapper})", methods
        if signature == STRUCTURED:
            return STRUCTURED, f"its level methods take a message and meta ({wrapper})", methods
        if signature == ONE:
            return ONE, f"its level methods take one argument ({wrapper})", methods
        return ONE, f"its level methods ({wrapper}) do not show they take (message, meta)", methods
    if path is None:
        reached: list[str] = []
        if configured:
            called = frozenset(LEVELS.values())
    elif path in library:
        return STRUCTURED, "made by winston or pino", None
    else:
        reached = [path] + sorted(logger.modules_reached(repo, path) - {path})
        for each in list(reached):  # and the workspace packages they import (`base.child(…)` of `@acme/shared`'s)
            source_file = repo.read(each)
            if source_file is not None and source_file.kind in CODE_KINDS:
                for specifier in typescript.imported_modules(source_file.kind, source_file.tree.root_node):
                    if not specifier.startswith("."):
                        reached += _package_files(repo, specifier, library)
    signature = next((signatures[each] for each in reached if each in signatures), None)
    if signature == TAGGED:
        return TAGGED, f"its level methods take a tag before the message ({next(p for p in reached if p in signatures)})", \
            _defined(reached, levels)
    if any(each in library for each in reached):
        return STRUCTURED, "made by winston or pino", None
    if signature == STRUCTURED:
        return STRUCTURED, "its level methods take a message and meta", _defined(reached, levels)
    # a logger a logging library makes (`log4js.getLogger('orders')`) has the library's level methods,
    # called yet or not (trusting only those called, a fix's first `logger.warn(…)` gives another work)
    made_by = logger.library_factory(module, name) if origin is None else \
        logger.library_making(repo.read(path), value) if path is not None and value is not None else None
    known = tuple(sorted(logger.LIBRARY_LEVELS[made_by])) if made_by is not None else \
        _defined(reached, levels) or tuple(sorted(called))
    if signature == ONE:
        return ONE, f"its level methods take one argument ({next(p for p in reached if p in signatures)})", known
    if counted["one"]:
        return ONE, "it is not made by winston or pino here, and its calls pass one argument", known
    return ONE, "nothing in the repository shows it is winston's or pino's, or how its calls pass values", known


def _defined(reached: list[str], levels: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The level methods the first of `reached` that defines any defines."""
    return next((levels[each] for each in reached if levels.get(each)), None)


# A value made by winston or pino: `winston.createLogger(…)`, `pino(…)`, `require('pino')(…)`,
# `new winston.Logger(…)`, winston's container (`winston.loggers.get('api')`)
_LIBRARY_VALUE = re.compile(rb"(?:[\w$]+\s*\.\s*)?createLogger\s*\(|(?:[\w$]+\s*\.\s*)?pino\s*\(|"
                            rb"require\s*\(\s*['\"]pino['\"]\s*\)\s*\(|new\s+winston\s*\.\s*Logger\s*\(|"
                            rb"[\w$]+\s*\.\s*loggers\s*\.\s*(?:get|add)\s*\(")
_CHILD_VALUE = re.compile(rb"[\w$]+(?:\s*\.\s*[\w$]+)*\s*\.\s*child\s*\(")


def _logger_origin(repo: Repo, module: str, name: str) -> tuple[str, bytes | None] | None:
    """The repository module that defines logger `name` of `module` (a repository path, or a
    workspace package's specifier: its entry), following re-exports (`export * from`, `export {
    logger } from`, `export { default } from`), and the text of the value it is given there
    (None when not found as a plain declaration). None: not a module of the repository."""
    start = module if repo.exists(module) else logger.package_entry(repo, module)
    if start is None:
        return None
    return _follow_export(repo, start, name, set()) or (start, None)


_DEFAULT_NAME = re.compile(rb"(?m)^\s*(?:export\s+default|module\s*\.\s*exports\s*=)\s*([A-Za-z_$][\w$]*)\s*;?\s*$")
_DEFAULT_VALUE = re.compile(rb"(?m)^\s*(?:export\s+default|module\s*\.\s*exports\s*=)\s*")
_EXPORT_FROM = re.compile(rb"\bexport\s*(\*|\{[^{}]*\})\s*from\s*(['\"])([^'\"]+)\2")


def _follow_export(repo: Repo, path: str, name: str, seen: set[tuple[str, str]]) -> tuple[str, bytes | None] | None:
    if (path, name) in seen or len(seen) > 12:
        return None
    seen.add((path, name))
    source_file = repo.read(path)
    if source_file is None or source_file.kind not in CODE_KINDS:
        return None
    if name == "*":
        return path, None
    data = source_file.data
    declared = dict(logger.top_level_declarators(source_file))
    local = name
    if name == "default":
        plain = _DEFAULT_NAME.search(data)
        listed = re.search(rb"\bexport\s*\{[^{}]*?\b([A-Za-z_$][\w$]*)\s+as\s+default\b[^{}]*\}(?!\s*from)", data)
        if plain is not None or listed is not None:
            local = (plain or listed).group(1).decode()  # type: ignore[union-attr]
        else:
            value = _DEFAULT_VALUE.search(data)
            if value is not None:
                return path, data[value.end(): value.end() + 200]
    if local in declared:
        value_node = declared[local]
        return path, (value_node.text or b"").lstrip()
    for seen_import in logger.imports_in(source_file):  # imported, then exported again
        if seen_import.local == local and seen_import.module.startswith("."):
            target = logger.resolve_module(repo, path, seen_import.module)
            return _follow_export(repo, target, seen_import.imported, seen) if target else None
    stars = []
    for match in _EXPORT_FROM.finditer(data):
        target = logger.resolve_module(repo, path, match.group(3).decode()) or logger.package_entry(repo, match.group(3).decode())
        if target is None:
            continue
        if match.group(1) == b"*":
            stars.append(target)
            continue
        for item in match.group(1)[1:-1].split(b","):
            words = item.split()
            if words and words[-1].decode() == name and words[0] != b"type":
                return _follow_export(repo, target, words[0].decode(), seen)
    for target in stars if name != "default" else ():
        found = _follow_export(repo, target, name, seen)
        if found is not None:
            return found
    return None


def _package_files(repo: Repo, specifier: str, among: set[str]) -> list[str]:
    """Of `among`, the files of the workspace package a bare specifier names (`@acme/shared/logger`)."""
    parts = specifier.split("/")
    package = "/".join(parts[:2]) if specifier.startswith("@") else parts[0]
    directory = next((d for d, manifest in repo.packages.items() if manifest.get("name") == package), None)
    if directory is None:
        return []
    return sorted(p for p in among if not directory or p.startswith(directory + "/"))


def describe(context: Context) -> list[str]:
    conventions = dict(context.conventions)
    notes = []
    everywhere = conventions.get(None)
    functions = dict(context.functions)
    if everywhere is None and None in functions:
        module, name, files = functions[None]
        notes.append(f"logger: none that fixer can import; the code gets its logger by calling `{name}()` of "
                     f"{module} ({files} file(s)), which fixer cannot import as a logger: each console call is "
                     "reported (name a module that exports the logger itself under [logger] in .fixer.toml)")
    elif everywhere is None and context.made:
        shown = ", ".join(f"{path}:{line}" + (f" ({what})" if what == logger.NEST_LOGGER else "")
                          for path, line, what in context.made[:4]) + (", …" if len(context.made) > 4 else "")
        notes.append(f"logger: no file imports a logger module in this repository; loggers its code holds: {shown}; the console "
                     "calls of a file with no logger of its own are reported (name the logger's module under [logger] "
                     "in .fixer.toml)")
    elif everywhere is None:
        notes.append("logger: none found in this repository; each console call is reported "
                     "(set [logger] module, or create = true, in .fixer.toml)")
    elif context.create:
        notes.append(f"logger: none found in this repository; adds the shared winston logger module "
                     f"{context.create[0]} and imports `logger` from it ([logger] create = true)")
    else:
        how = "set in .fixer.toml" if everywhere.files == 0 else "inferred"
        aliased = f", a tsconfig path alias: only where it names {everywhere.aliased}" if everywhere.aliased else ""
        notes.append(f"logger ({how}): {everywhere.describe()}{aliased}")
        for scope, convention in context.conventions:
            if scope is not None and _same_import(convention) != _same_import(everywhere):
                notes.append(f"logger in {scope or 'the root package'}: {convention.describe()}")
    for scope, (module, name, files) in context.functions:
        if scope is not None and scope not in conventions and scope not in context.borrowing and None in conventions:
            notes.append(f"logger in {scope or 'the root package'}: none that fixer can import; the code gets its "
                         f"logger by calling `{name}()` of {module} ({files} file(s)): its console calls are reported")
    shapes = {(module, name): (shape, why) for module, name, shape, why, _ in context.shapes}
    told = set()
    for _, convention in context.conventions:
        key = (convention.target or convention.module, convention.imported)
        shape, why = shapes.get(key, (STRUCTURED, ""))
        if shape != STRUCTURED and key not in told:
            told.add(key)
            notes.append(f"logger `{convention.local}` of `{convention.module}`: "
                         + ("does not take winston's (message, meta)" if shape == TAGGED else
                            "not known to take winston's (message, meta)") + f" ({why}): "
                         + ("its console calls are reported" if shape == TAGGED else
                            "only calls of one text argument are rewritten, the others reported"))
    if context.borrowing:
        notes.append("services with no logger import of their own use the repository's: "
                     + ", ".join(d or "." for d in context.borrowing))
    if not conventions:
        pass  # (no logger to log through: no new calls to describe)
    elif context.pino:
        notes.append("the logger is pino's or bunyan's: new calls are `logger.info({ meta }, 'message')`, errors under `err`")
    elif any(pino for _, pino in context.implementations):
        notes.append("new calls through a pino or bunyan logger are `logger.info({ meta }, 'message')`, errors under `err`: "
                     + ", ".join(path for path, pino in context.implementations if pino))
    if context.service_names:
        listed = ", ".join(f"{directory or '.'} ('{name}')" for directory, name in context.service_names)
        notes.append(f"new calls pass {{ service }} where the service's logger calls do: {listed}")
    by_reason: dict[str, list[str]] = {}
    if context.marked:
        by_reason["calls marked `eslint-disable-next-line no-console`"] = list(context.marked)
    for path, reason in context.left_alone:
        if path not in context.quiet:
            by_reason.setdefault(re.sub(r" \(.*\)$", "", reason), []).append(path)
    for reason, paths in sorted(by_reason.items()):
        shown = ", ".join(paths[:6]) + (f", … {len(paths) - 6} more" if len(paths) > 6 else "")
        notes.append(f"left alone ({reason}): {shown}")
    return notes


def _same_import(convention: logger.LoggerImport) -> tuple:
    return convention.module, convention.imported, convention.local, convention.target, convention.suffix, convention.equals


# --- per file ----------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    if source_file.path in context.skipped:
        return
    uses = list(console_uses(source_file))
    replaced = next((use for use in uses if use.replaced), None)
    uses = [use for use in uses if not use.replaced]
    if context.detect_no_console and b"no-console" in source_file.data:
        uses = [use for use in uses if console_meant_here(source_file.data, use.node.start_byte) is None]
    if not uses:
        return
    conventions = dict(context.conventions)
    found = logger.logger_for(source_file, conventions)
    service = source_file.service
    service_name = dict(context.service_names).get(service.dir) if service else None
    # (of `shared.logger`, the namespace `shared`: a local `shared` is not the module)
    shadows = typescript.local_binding_scopes(source_file.kind, source_file.tree.root_node, found.binding.split(".")[0]) \
        if found.binding and found.edit is None else []
    pino = pino_for(source_file, found, context)
    shape = logger_shape(source_file, found, context)
    quote = logger.quote_style(source_file)  # of the new string literals (meta keys, messages)
    made: list[tuple[ConsoleUse, Finding]] = []
    for use in uses:
        reason = None
        if replaced is not None and use.call is not None and use.method in LEVELS:
            # (`if (argv.quiet) console.log = () => {}`): its calls print only when the file lets them
            reason = (f"console.{use.method} left as it is: the file replaces console.{replaced.method} (line "
                      f"{source_file.line_col(replaced.node.start_byte)[0]}) to control what console prints (a --quiet "
                      "switch), which the logger would bypass")
        elif use.call is not None and any(s.start_byte <= use.call.start_byte < s.end_byte for s in shadows):
            reason = (f"console.{use.method}: `{found.binding.split('.')[0]}` is a local name here, not the "
                      f"{'logger' if '.' not in found.binding else 'module'}; rewrite this call by hand")
        if reason is not None:
            made.append((use, Finding(INFO.id, source_file.path, *source_file.line_col(use.node.start_byte), reason)))
        else:
            made.append((use, _finding(source_file, use, found, service_name, pino, quote, shape)))
    yield from _outer_calls_reported(made, source_file.data)


def _outer_calls_reported(made: list[tuple[ConsoleUse, Finding]], data: bytes) -> Iterator[Finding]:
    """A console call inside another's arguments (`console.log('%s', xs.map((x) => {
    console.log(x); … }))`), where the outer call's rewrite replaces text that holds the
    inner call (its arguments made a template): the outer edit is made with the inner call
    already rewritten in it, and both findings carry that one edit (either alone would not
    be idempotent: a second run would rewrite the other). When the inner call's text is
    not in the outer edit's text exactly once, both are reported, not rewritten (two
    overlapping edits would leave the whole file unchanged)."""
    spans = sorted((use.call.start_byte, use.call.end_byte) for use, _ in made if use.call is not None)
    if not any(start < spans[index - 1][1] for index, (start, _) in enumerate(spans) if index):
        yield from (finding for _, finding in made)
        return
    findings = {id(use): finding for use, finding in made}
    calls = sorted((use for use, _ in made if use.call is not None), key=lambda use: use.call.end_byte - use.call.start_byte)
    for inner in calls:  # innermost first: an inner edit already holds what is inside it
        assert inner.call is not None
        at, end = inner.call.start_byte, inner.call.end_byte
        for outer in calls:
            assert outer.call is not None
            if outer is inner or not (outer.call.start_byte < at and end <= outer.call.end_byte):
                continue
            mine, theirs = findings[id(inner)], findings[id(outer)]
            own = [e for e in mine.changes if isinstance(e, Edit) and e not in theirs.changes]
            covering = [e for e in theirs.changes if isinstance(e, Edit) and e not in mine.changes
                        and any(e.start < o.end and o.start < e.end or e.start < o.start < e.end for o in own)]
            if not covering:
                continue
            merged = _merged(covering, own, data, at, end) if len(covering) == 1 else None
            if merged is None:
                for use in (inner, outer):
                    finding = findings[id(use)]
                    findings[id(use)] = Finding(finding.fix, finding.path, finding.line, finding.col,
                                                f"console.{use.method}: a console call inside another's arguments "
                                                "that fixer cannot rewrite with it; rewrite both by hand")
                continue
            inside = [e for e in own if at <= e.start and e.end <= end]
            theirs.changes = tuple(merged if e is covering[0] else e for e in theirs.changes)
            mine.changes = tuple(e for e in mine.changes if e not in inside) + (merged,)
    for use, _ in made:
        yield findings[id(use)]


def _merged(covering: list[Edit], own: list[Edit], data: bytes, at: int, end: int) -> Edit | None:
    """The outer edit with the inner call's text in it rewritten by the inner call's edits."""
    outer = covering[0]
    if not (outer.start <= at and end <= outer.end) or any(not (at <= e.start and e.end <= end) for e in own
                                                              if e.start < outer.end and outer.start < e.end):
        return None
    original = data[at:end].decode("utf-8")
    if outer.text.count(original) != 1:
        return None
    inside = [Edit(e.path, e.start - at, e.end - at, e.text) for e in own if at <= e.start and e.end <= end]
    rewritten = edit_ops.apply(data[at:end], inside).decode("utf-8")
    return Edit(outer.path, outer.start, outer.end, outer.text.replace(original, rewritten))


@dataclass(frozen=True)
class ConsoleUse:
    node: Node  # `console` or `globalThis.console`
    method: str | None  # None: console itself is used (`const { log } = console`)
    method_node: Node | None
    call: Node | None  # the call when the method is called
    replaced: bool = False  # `console.log = () => {}`: the method is assigned, not used


_TYPE_WRAPPERS = frozenset({"as_expression", "parenthesized_expression", "non_null_expression", "satisfies_expression",
                            "type_assertion"})


def console_uses(source_file: SourceFile) -> Iterator[ConsoleUse]:
    root = source_file.tree.root_node
    for node in typescript.global_references(source_file.kind, root, "console", GLOBAL_OBJECTS):
        while node.parent is not None and node.parent.type in _TYPE_WRAPPERS:  # `(console as any).log(x)`:
            node = node.parent  # the whole `(console as any)` is what the binding replaces
        parent = node.parent
        method, method_node = None, None
        if parent is not None and parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            method_node = parent.child_by_field_name("property")
            method = (method_node.text or b"").decode() if method_node is not None else None
        elif parent is not None and parent.type == "subscript_expression" and parent.child_by_field_name("object") == node:
            method_node = parent.child_by_field_name("index")
            method = typescript.string_value(method_node)
            if method is None:
                continue  # console[level](…): not a method we can name
        elif parent is not None and parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
            yield ConsoleUse(node, None, None, None)
            continue
        else:
            continue  # `typeof console`, `foo(console)`: not a log statement
        callee = parent
        holder = callee.parent
        if holder is not None and holder.type == "call_expression" and holder.child_by_field_name("function") == callee:
            yield ConsoleUse(node, method, method_node, holder)
        elif holder is not None and holder.type == "assignment_expression" and holder.child_by_field_name("left") == callee:
            yield ConsoleUse(node, method, method_node, None, replaced=True)  # `console.log = …`: an override
        elif holder is not None and holder.type == "member_expression" and holder.child_by_field_name("object") == callee:
            if holder.parent is not None and holder.parent.type == "call_expression":
                yield ConsoleUse(node, method, method_node, None)  # console.log.bind(…), .apply(…)
        else:
            yield ConsoleUse(node, method, method_node, None)  # .catch(console.error)


NEST_METHODS = {"log": "log", "info": "log", "warn": "warn", "error": "error", "debug": "debug", "trace": "verbose"}


def _nest_logger_field(source_file: SourceFile, call: Node) -> str | None:
    """The name of the NestJS `Logger` the class around the call holds (`private readonly logger =
    new Logger(AppService.name)`, or a constructor parameter `private readonly logger: Logger`),
    in a file importing `@nestjs/common`; None otherwise."""
    if b"@nestjs/common" not in source_file.data:
        return None
    node = call.parent
    while node is not None and node.type not in ("class_declaration", "class", "abstract_class_declaration"):
        node = node.parent
    body = node.child_by_field_name("body") if node is not None else None
    for member in body.named_children if body is not None else ():
        if member.type == "public_field_definition":
            value = member.child_by_field_name("value")
            constructor = value.child_by_field_name("constructor") if value is not None and value.type == "new_expression" else None
            if constructor is not None and _text(constructor) == "Logger":
                return _text(member.child_by_field_name("name"))
        elif member.type == "method_definition" and _text(member.child_by_field_name("name")) == "constructor":
            parameters = member.child_by_field_name("parameters")
            for parameter in parameters.named_children if parameters is not None else ():
                annotation = parameter.child_by_field_name("type")
                if parameter.type == "required_parameter" and annotation is not None \
                        and _text(annotation).lstrip(":").strip() == "Logger" \
                        and any(child.type == "accessibility_modifier" for child in parameter.children):
                    return _text(parameter.child_by_field_name("pattern"))
    return None


def _finding(source_file: SourceFile, use: ConsoleUse, found: logger.FileLogger, service: str | None,
             pino: bool, quote: str, shape: tuple[str, str, tuple[str, ...] | None] = (STRUCTURED, "", None)
             ) -> Finding:
    line, col = source_file.line_col(use.node.start_byte)
    shown = f"console.{use.method}" if use.method else "console"

    def report(message: str) -> Finding:
        return Finding(INFO.id, source_file.path, line, col, message)

    name = found.binding or "logger"
    if use.method is None:
        return report(f"`{_text(use.node.parent)}` takes methods off the console: call the logger's "
                      f"methods (`{name}.info`, `{name}.error`) where they are used")
    if use.call is None:
        return report(f"{shown} used as a value: logger methods need their logger, so write "
                      f"`(error) => {name}.error('…', {{ error }})` (or the like) here")
    if use.method not in LEVELS:
        advice = NO_EQUIVALENT.get(use.method, "replace it by hand")
        return report(f"{shown} has no logger equivalent: {advice}")
    wrapper = _enclosing_wrapper(use.call)
    if wrapper:
        return report(f"{shown} inside the local logger wrapper `{wrapper}`: rewriting it would make it call "
                      "itself; point the wrapper at the real logger by hand")
    if found.binding is None:
        field = _nest_logger_field(source_file, use.call)
        if field is not None:
            method = NEST_METHODS.get(use.method, "log")
            return report(f"{shown}: this class logs through NestJS's Logger, `this.{field}`: call "
                          f"`this.{field}.{method}(…)` by hand with one message (a second string argument is "
                          "Nest's context, not a value to print: put values in the message)")
        return report(f"{shown}: no logger fixer can log through ({found.reason})")
    if shape[0] == NEST:
        return report(f"{shown}: this file logs through {logger.NEST_LOGGER}, `{found.binding}`: call "
                      f"`{found.binding}.{NEST_METHODS.get(use.method, 'log')}(…)` by hand with one message (a second "
                      "string argument is Nest's context, not a value to print: put values in the message)")
    arguments_node = use.call.child_by_field_name("arguments")
    if arguments_node is not None and not typescript.list_items(arguments_node):  # `console.log()`: an empty line
        line_span = None if arguments_node.named_children else _own_line(source_file, use.call)  # (a comment stays)
        if line_span is None:
            return report(f"{shown}() prints an empty line, which a structured log has no use for: "
                          "remove it by hand")
        return Finding(INFO.id, source_file.path, line, col, f"{shown}() printed an empty line: removed "
                       "(a structured log has no empty lines)", (Edit(source_file.path, *line_span, ""),))
    level = LEVELS[use.method]
    methods = shape[2] if len(shape) > 2 else None
    missing = None
    if methods is not None and level not in methods:  # never a method the logger is not shown to have
        has = ", ".join(f"`{m}`" for m in methods) if methods else "none"
        missing = report(f"{shown} left as it is: `{found.binding}` has no `{level}` method that fixer can see (the "
                         f"level methods it defines, or its calls call: {has}); rewrite it by hand with one of its own")
    # console's methods return undefined, winston's the logger: where the call's value is used
    # (`(): void => console.log(…)`, `return console.error(…)`, `{console.log(x)}` in JSX,
    # `console.log(…) || next()`), `void` keeps it undefined (TS2322, a rendered object)
    keep_undefined = not pino and _value_used(use.call)
    if shape[0] != STRUCTURED:
        # a logger not known to take (message, meta): a call of one text argument keeps it as it is,
        # the message; anything else would lose the message or the values
        if shape[0] == ONE and arguments_node is not None and _one_text_argument(arguments_node):
            if missing is not None:
                return missing
            edits = _callee_edits(source_file, use, found.binding, level, keep_undefined)
            if found.edit is not None:
                edits.append(found.edit)
            return Finding(INFO.id, source_file.path, line, col, f"{shown} -> {found.binding}.{level}", tuple(edits))
        if shape[0] == TAGGED:
            return report(f"{shown} left as it is: `{found.binding}` does not take winston's (message, meta), "
                          f"{shape[1]}; rewrite it by hand in that logger's own form")
        return report(f"{shown} left as it is: `{found.binding}` is not known to take winston's (message, meta) "
                      f"({shape[1]}), so only a call of one text argument is rewritten; rewrite this one by hand as "
                      "one message (a template literal), or, if it is winston's or pino's, say so in .fixer.toml (`[logger]` "
                      "with its `module`, `import` and `shape = \"winston\"` or `\"pino\"`)")
    if missing is not None:
        return missing
    try:
        arguments = logcall.arguments_edits(source_file, use.call, service, quote, pino, colour_bindings(source_file))
    except logcall.NotRewritten as reason:
        return report(f"{shown} left as it is: {reason}")
    edits = [*_callee_edits(source_file, use, found.binding, level, keep_undefined), *arguments]
    if found.edit is not None:
        edits.append(found.edit)
    return Finding(INFO.id, source_file.path, line, col, f"{shown} -> {found.binding}.{level}", tuple(edits))


def _one_text_argument(arguments: Node) -> bool:
    """Whether the call passes one argument that the file shows is text: a string, a template
    literal, a concatenation with one, an error's `.stack`/`.message`, a name that holds a string."""
    items = typescript.list_items(arguments)
    if len(items) != 1:
        return False
    node = items[0]
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type in ("string", "template_string") or (node.type == "ternary_expression" and logcall.a_string(node)):
        return True
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        return operator is not None and operator.type == "+" and any(
            n is not None and n.type in ("string", "template_string")
            for n in (node.child_by_field_name("left"), node.child_by_field_name("right")))
    if node.type == "member_expression":
        return _text(node.child_by_field_name("property")) in ("stack", "message")
    return logcall.holds_a_string(node)


def logger_shape(source_file: SourceFile, found: logger.FileLogger, context: Context
                 ) -> tuple[str, str, tuple[str, ...] | None]:
    """(shape, why, methods) of the logger the file logs through (see `logger_shapes`): a logger the
    file makes with winston or pino is STRUCTURED; one imported (or a child of one) is what the
    repository says of its module; anything else is ONE: nothing shows it takes (message, meta).
    `methods`: the level methods it is shown to have, None: all of winston's."""
    if found.binding is None:
        return STRUCTURED, "", None
    key = _logger_key(source_file, found, dict(context.conventions))
    if key == STRUCTURED:
        return STRUCTURED, "made here by winston or pino", None
    if isinstance(key, tuple):
        shapes = {(module, name): (shape, why, methods) for module, name, shape, why, methods in context.shapes}
        known = shapes.get(key) or next((shapes[k] for k in sorted(shapes) if k[0] == key[0]), None)
        if known is not None:
            return known
    if key == TAGGED:
        return TAGGED, "its level methods, defined here, take a tag before the message", None
    if key == NEST:
        return NEST, f"{logger.NEST_LOGGER}, made in this file", ("log", "error", "warn", "debug", "verbose", "fatal")
    made_by = logger.library_of_binding(source_file, found.binding)  # (`const logger = log4js.getLogger('api')`)
    if made_by is not None:
        return ONE, f"made here by {made_by}, not known to take (message, meta)", tuple(sorted(logger.LIBRARY_LEVELS[made_by]))
    return ONE, "nothing in the repository shows it is winston's or pino's, or how its calls pass values", ()


_LIBRARY_CALL = re.compile(rb"[\w$]+\s*\.\s*createLogger\s*\(")  # `winston.createLogger(…)`, `bunyan.createLogger(…)`
_CHILD_CALL = re.compile(rb"([A-Za-z_$][\w$]*)(?:\s*\.\s*([A-Za-z_$][\w$]*))?\s*\.\s*child\s*\(")
_REQUIRED = re.compile(rb"require\s*\(\s*(['\"`])([^'\"`]*)\1\s*\)(?:\s*\.\s*([\w$]+))?\s*\.\s*child\s*\(")


def _logger_key(source_file: SourceFile, found: logger.FileLogger, conventions: dict[str | None, logger.LoggerImport]
                ) -> tuple[str, str] | str | None:
    """What the file's logger is: (module, exported name) of an imported one (through a child
    made here too), STRUCTURED when the file makes it with winston or pino, TAGGED when with a
    class of its own whose level methods take a tag; None when unknown."""
    repo = source_file.repo
    if found.edit is not None:
        convention = logger.convention_for(repo, source_file.path, conventions)
        return None if convention is None else (
            convention.target or alias_target(repo, source_file.path, convention.module) or convention.module,
            convention.imported)
    assert found.binding is not None
    name, _, member = found.binding.partition(".")
    declared = dict(logger.top_level_declarators(source_file))
    for _ in range(3):  # (a child of a child of the import)
        seen = next((s for s in logger.imports_in(source_file, namespaces=True) if s.local == name), None)
        if seen is not None:
            target = logger.resolve_module(repo, source_file.path, seen.module) if seen.module.startswith(".") \
                else alias_target(repo, source_file.path, seen.module)
            return target or seen.module, member or seen.imported
        value = declared.get(name)
        text = (value.text or b"").lstrip() if value is not None else b""
        call = re.match(rb"([\w$]+)\s*\(", text)  # a factory's logger: `createServiceLogger('svc')`, `createLogger('api')`
        factory = call is not None and next(
            (s for s in logger.imports_in(source_file) if s.local == call.group(1).decode()), None)
        if factory and factory.module not in logger.LIBRARIES:
            target = logger.resolve_module(repo, source_file.path, factory.module) \
                if factory.module.startswith(".") else alias_target(repo, source_file.path, factory.module)
            return target or factory.module, factory.imported
        if LIBRARY_LOGGER.match(text) or _LIBRARY_CALL.match(text):
            return STRUCTURED
        required = _REQUIRED.match(text)
        if required is not None:
            module = required.group(2).decode("utf-8", "replace")
            target = logger.resolve_module(repo, source_file.path, module) if module.startswith(".") else None
            return target or module, (required.group(3) or b"default").decode()
        child = _CHILD_CALL.match(text)
        if child is None:
            if re.match(rb"new\s+Logger\s*\(", text) and any(
                    s.local == "Logger" and s.module == "@nestjs/common" for s in logger.imports_in(source_file)):
                return NEST
            if re.match(rb"new\s+[\w$]*Logger\b", text) and level_signature(source_file.data) == TAGGED:
                return TAGGED
            call = re.match(rb"([\w$]+)\s*\(", text)  # a factory's logger: `createServiceLogger('svc')`
            factory = call is not None and next(
                (s for s in logger.imports_in(source_file) if s.local == call.group(1).decode()), None)
            if factory:
                target = logger.resolve_module(repo, source_file.path, factory.module) \
                    if factory.module.startswith(".") else alias_target(repo, source_file.path, factory.module)
                return target or factory.module, factory.imported
            return None
        name, member = child.group(1).decode(), (child.group(2) or b"").decode()
    return None


# Terminal colour libraries: their calls return the text they colour (`chalk.bold('Resources')`).
COLOUR_MODULES = frozenset({"chalk", "kleur", "kleur/colors", "colors", "colors/safe", "picocolors", "ansi-colors",
                            "cli-color", "colorette", "yoctocolors"})


def colour_bindings(source_file: SourceFile) -> frozenset[str]:
    """The names the file imports or requires a terminal colour library under (`chalk`, `pc`,
    `{ green }` of `kleur/colors`), so a call on one is known for a string by its binding."""
    return frozenset(seen.local for seen in logger.imports_in(source_file, namespaces=True)
                     if seen.module in COLOUR_MODULES)


def _own_line(source_file: SourceFile, call: Node) -> tuple[int, int] | None:
    """The span of the line, line break included, that holds the call's statement and nothing
    else (`console.log();` in a block or at the top level); None when it shares its line, is
    no statement of its own (`if (x) console.log();`) or ends the file with no line break."""
    statement = call.parent
    if statement is None or statement.type != "expression_statement" or statement.parent is None or \
            statement.parent.type not in ("program", "statement_block", "switch_case", "switch_default"):
        return None
    data = source_file.data
    start = max(data.rfind(b"\n", 0, statement.start_byte), data.rfind(b"\r", 0, statement.start_byte)) + 1
    end = statement.end_byte
    while data[end : end + 1] in (b" ", b"\t"):
        end += 1
    if start == 0 and data.startswith(b"\xef\xbb\xbf"):
        start = 3
    if data[start : statement.start_byte].strip(b" \t") or data[end : end + 1] not in (b"\r", b"\n"):
        return None  # (the last line with no line break after it too: the file would end in one)
    if _joins_neighbours(statement):
        return None
    return start, end + (2 if data[end : end + 2] == b"\r\n" else 1)


def _joins_neighbours(statement: Node) -> bool:
    """Whether taking the statement out would join the ones around it: a previous statement with
    no `;` (`console.log('e')`) and a next one that, without the line between them, continues it
    (`[1, 2].forEach(…)` becomes an index of its value, `(…)` a call of it)."""
    before, after = statement.prev_named_sibling, statement.next_named_sibling
    while before is not None and before.type == "comment":
        before = before.prev_named_sibling
    while after is not None and after.type == "comment":
        after = after.next_named_sibling
    if before is None or after is None or before.text.rstrip().endswith(b";"):
        return False
    return after.text[:1] in (b"(", b"[", b"`", b"+", b"-", b"/", b"<")


def _callee_edits(source_file: SourceFile, use: ConsoleUse, binding: str, level: str,
                  keep_undefined: bool = False) -> list[Edit]:
    """`console` -> the binding and the method -> the level, each node on its own, so
    `?.`, brackets, quotes and comments in the callee stay; type arguments go (winston's
    methods take none). `keep_undefined`: the call is prefixed with `void`."""
    path = source_file.path
    assert use.method_node is not None and use.call is not None
    edits = [Edit(path, use.node.start_byte, use.node.end_byte,
                  ("void " if keep_undefined and use.node.start_byte == use.call.start_byte else "") + binding)]
    if keep_undefined and use.node.start_byte != use.call.start_byte:
        edits.insert(0, Edit(path, use.call.start_byte, use.call.start_byte, "void "))
    if use.method != level:
        node = use.method_node
        if node.type == "string":
            edits.append(Edit(path, node.start_byte + 1, node.end_byte - 1, level))
        else:
            edits.append(Edit(path, node.start_byte, node.end_byte, level))
    type_arguments = use.call.child_by_field_name("type_arguments")
    if type_arguments is not None:
        edits.append(Edit(path, type_arguments.start_byte, type_arguments.end_byte, ""))
    return edits


_PROMISE_CHAIN = frozenset({"then", "catch", "finally"})
# array methods whose result is made of, or decided by, what their callback returns
_ARRAY_RESULT = frozenset({"map", "flatMap", "filter", "find", "findIndex", "findLast", "findLastIndex",
                           "some", "every", "reduce", "reduceRight"})


def _value_used(call: Node) -> bool:
    """Whether the value of the console call is used (so its type and value count): not when
    it is a statement, the right of `&&`/`||`/`??`, a branch of `?:` or a non-last part of
    `a, b` that is one, or the body of an arrow without a return type (its type is inferred:
    a callback's or a handler's, `() => void` takes any result), unless it is a
    `.then`/`.catch` callback whose promise is itself used (`return p.catch((e) => console.error(e))`)
    or an array method's whose result is (`const shown = xs.map((x) => console.log(x))`: `void[]`,
    and `.filter` keeps what its callback's value says); `.sort` reads it whatever becomes of its result."""
    node = call
    while True:
        parent = node.parent
        if parent is None:
            return False
        kind = parent.type
        if kind in ("parenthesized_expression", "await_expression"):
            pass
        elif kind == "expression_statement" or (kind == "unary_expression" and parent.children[0].type == "void"):
            return False
        elif kind == "sequence_expression":
            if parent.named_children[-1] != node:
                return False
        elif kind == "ternary_expression":
            if parent.child_by_field_name("condition") == node:
                return True
        elif kind == "binary_expression":
            operator = parent.child_by_field_name("operator")
            if operator is None or operator.type not in ("&&", "||", "??") or parent.child_by_field_name("right") != node:
                return True
        elif kind == "for_statement":
            return parent.child_by_field_name("increment") != node
        elif kind == "arrow_function" and parent.child_by_field_name("body") == node:
            if parent.child_by_field_name("return_type") is not None:
                return True
            holder = parent.parent
            invoked = holder.parent if holder is not None and holder.type == "arguments" else None
            callee = invoked.child_by_field_name("function") if invoked is not None else None
            method = callee.child_by_field_name("property") if callee is not None and callee.type == "member_expression" else None
            name = _text(method) if invoked is not None and invoked.type == "call_expression" and method is not None else None
            if name == "sort":
                return True
            if name not in _PROMISE_CHAIN and name not in _ARRAY_RESULT:
                return False  # its type is inferred: a callback's or a handler's result nobody reads
            parent = invoked  # the promise the callback's value resolves, the array made of it
        elif kind == "member_expression" and parent.child_by_field_name("object") == node:
            invoked = parent.parent
            if invoked is None or invoked.type != "call_expression" or invoked.child_by_field_name("function") != parent \
                    or _text(parent.child_by_field_name("property")) not in _PROMISE_CHAIN:
                return True
            parent = invoked  # p.then(…).catch(…): the chain's value
        else:
            return True
        node = parent


def _enclosing_wrapper(call: Node) -> str | None:
    """The outermost logger-like name (`logger`, `log`, `ConsoleLogger`) of the local logger
    the call is part of: an object literal or a class so named (`const logger = { info(m) {
    console.log(kleur.grey('[app]'), m) } }`, `class ConsoleLogger`), whatever the call passes
    (it prints the logger's own output: rewritten, the logger would call the logger); or a
    function so named when the call forwards its parameters (`const log = (m) => console.log(m)`).
    A request-logging middleware named `logger`, whose calls print what it has to say, is no
    wrapper: its calls are rewritten."""
    found, forwards = None, None
    node = call.parent
    while node is not None:
        name, kind = _named_definition(node)
        if name and WRAPPER.match(name):
            if kind == "function" and forwards is None:
                forwards = _forwards_parameter(call)  # (asked once, and only here: most calls are in no such function)
            if kind == "object" or (kind == "function" and forwards):
                found = name
        node = node.parent
    return found


_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "generator_function"})


def _named_definition(node: Node) -> tuple[str | None, str | None]:
    """(name, "object" or "function") when `node` defines a named object literal, class or
    function (`const logger = {…}`, `class ConsoleLogger`, `log: (m) => …`, `info(m) {…}`)."""
    if node.type in _CLASSES:
        return _text(node.child_by_field_name("name")) or None, "object"
    if node.type in ("function_declaration", "generator_function_declaration", "method_definition"):
        return _text(node.child_by_field_name("name")) or None, "function"
    if node.type in ("variable_declarator", "pair", "public_field_definition"):
        name = _text(node.child_by_field_name("name") or node.child_by_field_name("key")) or None
        value = node.child_by_field_name("value")
        if value is not None and (value.type == "object" or value.type in _CLASSES):
            return name, "object"
        if value is not None and value.type in _FUNCTIONS:
            return name, "function"
    return None, None


def _forwards_parameter(call: Node) -> bool:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return False
    passed = set()
    for argument in typescript.list_items(arguments):
        inner = argument.named_children[0] if argument.type == "spread_element" and argument.named_children else argument
        if inner.type == "identifier":
            passed.add(_text(inner))
    if not passed:  # most calls: no plain name passed, no need to look for the function
        return False
    function = typescript.enclosing(call, *typescript.FUNCTION_TYPES)
    if function is None:
        return False
    parameters = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    names = {_text(n) for n in typescript.descendants(parameters, "identifier")} if parameters is not None else set()
    return not passed.isdisjoint(names)


def _text(node: Node | None) -> str:
    return (node.text or b"").decode() if node is not None else ""


# --- across files ------------------------------------------------------------------------


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """The logger module `[logger] create = true` adds, when some call is fixed through it;
    and a word on a logger whose format would drop the errors the new calls pass as meta."""
    yield from _errors_in_meta(repo, context, findings)
    yield from _undeclared_logger_package(repo, context, findings)
    if context.create is None or not any(f.fixable for f in findings):
        return
    path, text = context.create
    yield Finding(INFO.id, path, 1, 1, "adds the shared winston logger module ([logger] create = true)",
                  (NewFile(path, text),))
    package = logger.package_of(repo, path)
    if package is None:
        yield Finding(INFO.id, path, 1, 1, f"winston is not a dependency: no package.json above {path}; add one that "
                      "declares winston to the package that builds it (`npm install winston`)")
    elif not any("winston" in (repo.packages[package].get(key) or {}) for key in logger.DEPENDENCY_KEYS):
        # (its own package.json, not any other: a build of one service, its Dockerfile's `npm ci`,
        # installs what that package declares, not what a sibling's or the workspace root's does)
        manifest = f"{package}/package.json" if package else "package.json"
        yield Finding(INFO.id, path, 1, 1, f"winston is not a dependency of {manifest}, the package that builds {path}: "
                      "declare it there (`npm install winston`" + (f" in {package}" if package else "") + "; a build of "
                      "that package alone installs only what its package.json declares)")


_IMPORT_LINE = re.compile(r"^[ \t]*(?:import\b[^;\n]*?\bfrom\s*|(?:const|let|var)\b[^;\n]*?=\s*require\s*\(\s*)"
                          r"(['\"])([^'\"./][^'\"]*)\1", re.M)


def _undeclared_logger_package(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """A package whose files now import the logger from a workspace package (`@scope/shared`) its
    package.json does not declare: npm and yarn link workspace packages into the root's
    node_modules, so it resolves there, but a build of that package alone (its Dockerfile's `npm
    ci`, `turbo prune`) would not find it (under pnpm, which links only what a package declares,
    such a file gets no import: `logger.logger_for`). Reported at the manifest (fixer does not edit
    dependencies: the lockfile must change with them), unless the packages that import it already
    do without declaring it (the habit that says the workspace's hoisting is how it builds)."""
    named = {str(manifest.get("name") or ""): directory for directory, manifest in repo.packages.items()}
    new: dict[tuple[str, str], None] = {}  # (the importing package's directory, the package): in order
    for finding in findings:
        if not finding.fixable:
            continue
        for change in finding.changes:
            for match in _IMPORT_LINE.finditer(change.text) if isinstance(change, Edit) else ():
                package = logger.package_name(match.group(2))
                own = logger.package_of(repo, finding.path)
                if package in named and own is not None and named[package] != own \
                        and logger.alias_target(repo, finding.path, match.group(2)) is None \
                        and not logger.declares(repo, own, package) and not logger.declares(repo, "", package):
                    new.setdefault((own, package))
    for own, package in new:
        importers = [directory for directory, convention in context.conventions if directory is not None
                     and logger.package_name(convention.module) == package and not convention.module.startswith(".")]
        if any(not logger.declares(repo, directory, package) for directory in importers if directory in repo.packages):
            continue  # the services that import it do without declaring it: the workspace's hoisting is the way
        manifest = f"{own}/package.json" if own else "package.json"
        yield Finding(INFO.id, manifest, 1, 1,
                      f"{own or 'the root package'} now imports its logger from `{package}`, "
                      f"which its package.json does not declare: add it (`npm install {package} -w {own}`; yarn: "
                      f"`\"{package}\": \"*\"`) — npm and yarn link workspace packages into the root's node_modules, "
                      "so it resolves there, but a build of this package alone (its Dockerfile's install, `turbo prune`) "
                      "would not find it")


ERROR_META = re.compile(r"(^|(?<!\$)\{|,)\s*(error|err)\b")  # (not `${err}` in a template)
SERIALIZES_ERRORS = re.compile(rb"instanceof\s+Error|serialize-?error|serializeError|errorsInMeta")


def _errors_in_meta(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """winston's json format prints an Error nested in meta as `{}`: message and stack gone,
    where console.error printed both. Say so at the logger, with what to add."""
    if context.pino:
        return
    passing = sorted({f.path for f in findings if any(isinstance(c, Edit) and ERROR_META.search(c.text) for c in f.changes)})
    if not passing:
        return
    # the winston loggers those files log through: those their logger comes from (its module, what
    # that imports, its workspace package's), else their service's own, else any (`implementations_behind`;
    # a pino logger is never told: its calls put errors under `err`, which pino serializes)
    implementations = {path for path, _ in context.implementations}
    candidates = {path for path, reason in context.left_alone if reason == "the logger implementation itself"
                  and path in implementations}
    if len(candidates) <= 1:
        through = candidates  # (one logger to tell: no file is read and parsed again to find which it uses)
    else:
        through = set()
        for file_path in passing:  # (what each file's logger comes from, read from its head: no parse again)
            through |= set(logger.implementations_behind(repo, file_path, implementations, heads_only=True))
    fields_first = {path for path, pino in context.implementations if pino}  # (pino's, bunyan's: `err` is serialized)
    for path, reason in context.left_alone:
        if reason != "the logger implementation itself" or path not in through or path in fields_first:
            continue
        source_file = repo.read(path)
        if source_file is None or b"createLogger" not in source_file.data or SERIALIZES_ERRORS.search(source_file.data):
            continue
        line = source_file.line_col(source_file.data.index(b"createLogger"))[0]
        yield Finding(INFO.id, path, line, 1,
                      "the new logger calls pass errors as meta ({ error }), which this logger's format prints as {} "
                      "(message and stack lost): add a format that turns Error values in meta into "
                      "{ name, message, stack } (see `fixer show console-to-logger`, 'Errors in meta')")
