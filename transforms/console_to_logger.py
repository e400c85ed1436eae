"""Replace `console.*` calls in service code with the repository's own logger.

## What it does

Finds every call of the global console in service and shared-library code
(`.ts`, `.tsx`, `.js`, `.mjs`, `.cjs`) — `console.log(…)`, `console?.log(…)`,
`console['log'](…)`, `globalThis.console.log(…)`, `console.log?.(…)`,
`console.info<T>(…)` — and makes it a call of the logger the repository already
uses: `log`/`info` → `info`, `warn` → `warn`, `error` → `error`, `debug`/`trace`
→ `debug` (the stack `console.trace` printed kept as meta: `logger.debug('x', { x, stack: new
Error().stack })`, under `callStack` where the meta has a `stack`; a meta that spreads an object of
keys fixer cannot see, or a logger that takes no meta, is reported). A local variable or parameter named `console` is not the console and
is left alone. console's methods return undefined and winston's the logger: where
the call's value can be used (`(): void => console.log(…)`, `return console.error(…)`,
`{console.log(x)}` in JSX, `console.log(…) || next()`, an arrow's value —
`export const warnIf = (bad) => bad && console.warn(…)`, a `.then()` callback's, which
the next `.then()` reads, a callback of a function fixer knows nothing of), the new call
is prefixed with `void`, so it stays undefined. A statement's value is nobody's, and
nor is a callback's that the function it is passed to ignores: an event handler's
(`.on(…)`), a timer's, `forEach`'s, `server.listen`'s, `.finally`'s, `new Promise`'s
executor's, a `.then()` callback's at the end of a chain whose value is unused.

The arguments become winston's `(message, meta)` without losing anything the
console printed. A string, template literal or string concatenation first
argument, or a choice of them (`big ? `size ${n}` : 'too long'`), is the message (a trailing `:` goes, a printf-style format string becomes
a template literal — `'User %s logged in', name` → `` `User ${name} logged in` ``,
specifiers in a template literal's text too — except for a value a template would
print differently, an error or what looks like an object, wherever it stands, a
`%o`/`%O`/`%j` value, and under `%d`/`%f` a value not known to be a number, under `%i`
one not known to be an integer (console printed `Number(x)`, `parseFloat(x)`, `parseInt(x)`:
`'auto'` → NaN, 97.5 → 97; a number literal, a `.length`, `Date.now() - start`, a name
declared `: number` or a `const` set to a number are known): it goes into meta, its specifier out of the message, with what
only framed it: `'Saved %s', order` → `('Saved', { order })`, `'(%s rows)'` → `'(rows)'`,
`'hit rate %i%%'` → `'hit rate'`; but between words the message prints, where the sentence would have a gap, its
name in meta in braces takes its place: `'Process %s restarted %d times', proc, count` → `('Process {proc}
restarted {count} times', { proc, count })`;
`%%` is `%`; string literals right after a plain message join it with a space, as console
printed them: `'Status:', 'ok'` → `'Status: ok'`). So is a call of a terminal colour library the file imports
(`chalk.bold('Resources')`, `kleur.green().bold(m)`, `pc.red(…)`, ansis's ``green`[Nest CLI]` ``: kept as it is, it
returns the text, with no colour codes where stdout is no terminal, as in a container; a colour call of the file's
own colour module — a relative module named like a colour library, or imported under such a name: `import chalk
from './chalk'`, `const { yellow } = require('./lib/colors')` — with one text argument is that text,
`chalk.green('Server started')` → `'Server started'`, as such a module may print colour codes wherever it runs
(its other calls are kept as a library's);
and a colour or style method's call of anything else logged alone gets its string for the message,
`theme.bold('Resources')` → `('Resources', { theme: theme.bold('Resources') })`, not its receiver's name),
and a variable logged alone that the file shows is a string (`message: string`, `const
status = ok ? 'up' : 'down'`; under `%s` such a value is text too), or an expression logged alone that is
a string whatever its operands are (`String(rows.length)`, `n.toFixed(2)`, `d.toISOString()`, `names.join(', ')`,
`String(n).padStart(4)`, `n + ' rows'`: what console printed, a `string` for a logger's `message: string`; never
through `?.`, a `string | undefined`; a `JSON.stringify(x)`, undefined for an undefined `x`, stays a value). winston
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
takes) and goes into meta too; but a lone `JSON.stringify({ metric, value })` of an object literal is
that object: its keys are the meta, top-level fields of the JSON line as console printed them (so a
log-based metric that reads `$.metric` still matches), and an Embedded Metric Format line (the object
has an `_aws` key: CloudWatch's metric, which a logger would wrap, or drop below its level) is
reported and left as it is. An empty `console.log();` alone on its line
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
its console calls are reported, not rewritten. Level methods whose second parameter has a closed
declared type (`info(message: string, meta?: LogMeta)`, LogMeta an interface of the module with no
index signature; not `any`, `object`, `Record<string, …>` or a type fixer cannot read) take no
values of a console call (TS2353): like the next, that logger gets only one-message calls. So does a
winston logger whose format prints no meta — its module's only format a `format.printf(…)` whose
callback names the fields it prints (`({ timestamp, level, message }) => …`, typescript-express-starter's,
or ``(info) => `${info.level}: ${info.message}` ``; not one with `...meta`, or that reads the whole info
object): a value passed as meta would never print, so a call whose values do not all fit in one
message (an error: console printed its stack) is reported, saying to make the printf print them, in
every file that logs through that logger (its module, else its service's; the module that creates it when its
module only calls another's factory, `createLoggerWithLabel('[EG:log-policy]')`). Any other logger — nothing in the repository shows
what it takes, as a package's (`log` of `@node-red/util`, `info(msg)`) whose calls pass one
argument — gets only the calls of one text argument (a string, a template literal, a concatenation
with one, an error's `.stack`, a name that holds a string, `String(n)` and the like), the argument kept as it is
(`console.log(err.stack)` → `log.info(err.stack)`); the others are reported, as a meta object it
ignores would lose what console printed. A logger log4js makes (`log4js.getLogger('payments')`: it formats its
arguments with util.format, as console does) or tslog (`new Logger(…)`: it prints each argument, an Error with
its message and stack) or consola (`createConsola(…)`, `consola.withTag('api')`, its instance: it formats its arguments
with util.formatWithOptions, as console does) keeps the call's arguments as they are (`console.error('charge failed', e)` →
`logger.error('charge failed', e)`; for tslog, whose JSON output leaves a printf format unfilled, a format whose
values all fit in one message becomes that message, `` `User ${name} billed` ``), unless `[logger]` says its
shape; its `console.trace` is reported (the stack it printed would be lost). And a call is never made to a level method the logger is
not shown to have: where the repository defines the logger, the level methods it defines (NestJS's
`log`, no `info`; a hand-written logger without `debug`; a module that exports level functions,
thelounge's `exports.info = function () { console.log.apply(console, …) }`, is the logger itself,
its own console calls left alone), else the methods the repository's own
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
createServiceLogger('svc')`, gets the same declaration; a service whose code logs through winston's
default logger — the winston module imported whole and a level method called on it, `const winston =
require('winston'); winston.info(…)` after `winston.add(…)`, NodeBB's way; winston 2 and 3 both export
them — has it for its logger, counted like any import: `const winston = require('winston')` in
CommonJS, in TypeScript that compiles to CommonJS `import * as winston from 'winston'` (the default
import where most of its TypeScript files import it so, or its `import winston = require(…)`), the
default import in an ES module Node runs (`import * as` has no `.info` there); all of winston's level
methods, or, where its code changes the levels (`winston.setLevels(…)`, `winston.configure({ levels
})`: syslog's have no `warn`), those its calls call; and a CommonJS module whose exports get only
members that are no level method, `child`, `stream` or logger (NodeBB's morgan wrapper `src/logger.js`,
`Logger.init = function (app) …`, imported as `logger`) is never the convention nor a file's logger) or set under `[logger]`
in `.fixer.toml`, is imported after the last import (never `require()`d by a CommonJS file — a `.cjs`, a
`.js` of a CommonJS package, TypeScript that tsc compiles to CommonJS: a `.cts`, or a `.ts` outside a
`"type": "module"` package under `module` node16/nodenext (TS1479) or commonjs — from an ES module, a
`.mjs` or a file of a `"type": "module"` package, or a workspace package whose `exports` give `require()`
an ES module or no entry: before Node 20.19 that throws ERR_REQUIRE_ESM and from there it returns the
module namespace, not the logger; such a file's calls are reported, saying to use `await import()`, make
it an ES module or give the logger a CommonJS entry, whatever the package's `engines` say, as Node does
not enforce them) — or added to an existing
import of the same module — in the file's quote style, semicolon habit and line
endings; never into a shebang. A logger module of another workspace package
(`libs/logger/src/index.ts` of `@acme/logger`, which the convention's files import by a relative
path into its sources; not a module `[logger]` names) is imported by the package's name: a relative import into another
package's sources breaks the importing package's build (tsc's `rootDir`, TS6059); where the
package's entry (its `exports`, `main`) does not give the logger, the calls are reported. JavaScript that
Node runs as it is gets no import of a repository package whose entry Node loads is TypeScript (`"main":
"src/index.ts"`: Node 20 cannot load it, no Node its extensionless imports; the service would crash at start),
nor of a relative or `#` (package.json `imports`) module that is a `.ts` file with no `.js` beside it,
unless its package declares a TypeScript runtime (`tsx`, `ts-node`) or a tsconfig compiles it (`allowJs`,
emitting): its calls are reported, saying to give the package a built JavaScript entry. `#` specifiers are
resolved as Node does (the nearest package.json's `imports`, conditions by the file's module kind). A package
that now imports the logger from a workspace package its package.json does not declare is reported
at that package.json, unless the packages that import it already do without (never for a package of its own
nested in another's directory, no workspace member — a template, a sample app with its own package.json —,
whatever a package above it declares: installed or copied out alone it would not find it; the report says to
declare it as a `file:` dependency or make it a workspace member): npm and yarn link
workspace packages into the root's node_modules, but a build of that package alone would not find
it (fixer does not edit dependencies: the lockfile changes with them; the report says to add it by hand at the
workspace package's version, never `npm install @acme/logger`, which looks the name up in the registry, where a
public package may have it). Under pnpm (a
pnpm-workspace.yaml, or `"packageManager": "pnpm@…"`), which links only what a package declares,
such a file gets no import (it would fail at run time): its calls are reported, saying to add
`"@acme/logger": "workspace:*"` to its package.json (or, where the logger's package depends on that
package, that declaring it would make a cycle of packages). The repository's logger, a package (`@tryghost/logging`),
is imported by a service with none of its own only where it resolves: declared by the file's package.json or one
above it (npm and yarn install there, and Node looks up the tree), not by a sibling's, and above the service only
where its image's build context holds it (compose `build: ./services/api` holds no package.json above it); else
its calls are reported, saying to declare it. Nor is a package or module of the repository (`@acme/logger` of
packages/logger, `shared/logger.ts`) imported by a service with no logger import of its own whose image's build
context does not hold it (compose `build: ./services/orders`): no install puts it there (`npm ci` of the service's
package.json would fetch a registry package of that name, if any, never the workspace's), and the container would
crash at start with `Cannot find module`; its calls are reported, saying what to do and what the service has
(a package the service declares is its install's to fetch, a private registry's: imported; a module `[logger]`
names is imported as told, and a finding per such service, at its package.json, says so in the same words). In CommonJS a `require` runs where it stands, so it goes
(and is merged into one) only before the first top-level statement that may log as the
module loads, or calls a function that does — and never above code the file runs before a module
it loads after it (`process.env.HARAKA = …` before `require('./server')`, a Node version check
before the app): it goes after that code (and the modules loaded before the first call that needs
it), and a call that runs before that code, as the module loads, is reported; a logger the file binds where it stands
(a `require`, an `import x = require(…)`, a logger made in the file, and in TypeScript
that tsc may emit as CommonJS an ES import too: tsc does not hoist it) after such a
statement is not used: the convention's import goes before it, under another name.
`import x = require(…)` is written only in TypeScript that compiles to CommonJS (not
under a `"type": "module"` package.json or an ES `module` in tsconfig, not in `.mts`).
A whole-module import gives `ns.<name>` only where `<name>` is a logger object (made
by a logging library or factory, a child of one, or the convention's logger), never
a function; a name the repository's own module exports as a function (`export function
log(): Console`, `export const log = (level, …args) => …`, a request-logging middleware,
`requestLogger: RequestHandler = …`, `morgan('dev')`; through a path alias too) is neither a file's logger
nor a convention, however many files import it. A local
`logger` that is not a logger makes the import take an alias. A convention imported through a tsconfig
path alias (`@utils/logger`) applies only where that alias names the same file; a path alias is the
compiler's, and applies only to the files the tsconfig that sets it compiles (its `files`, `include`, less
`exclude`; JavaScript only under `allowJs`): a plain-JS service outside them, which Node runs as it is,
finds the name as Node does, in node_modules (a workspace package its package.json must declare); one of a workspace
package's name (`@acme/logger` of packages/logger) is that package's, which any service may import,
not another service's private module. A file that logs through NestJS's `Logger` (`const logger = new Logger('Bootstrap')`: `log`, no
`info`; a second string is its context) gets its calls reported, saying to call `logger.log(…)` by hand,
as does a class that holds one (`this.logger`). A file with no logger of its own in a service where no
file imports one is told what the service has — NestJS's Logger, a logger module nothing imports yet, a logging
library its code imports that fixer does not log through (`import { consola } from 'consola'`, tslog, loglevel),
Fastify's logger (`request.log.info(…)` in a route handler, `fastify.log`, `Fastify({ logger: true })`) —
and where, and what its package.json declares that it could log through: a repository package one of whose
modules makes a logger (`@acme/logger`, to name under `[logger]`), NestJS (`@nestjs/*`: its Logger), Moleculer
(`this.logger`), a logging library nothing makes a logger with yet. When the
repository has no logger at all, each call is reported (where its code gets its logger by calling a
function, directus's `useLogger()`, the report says so); with `create = true`
under `[logger]` a small shared winston logger module is added (JSON on stdout in
production, colored in development, level from `LOG_LEVEL`, errors in meta serialized
with their message and stack; written as Node loads it where it goes: an ES module in a `.mjs` or
in a `.js` of a `"type": "module"` package, CommonJS in other JavaScript) and imported, the specifier spelled as the file spells its
relative imports (`./logger.js` beside `./util.js`, `./logger.ts` beside `./types.ts`;
`./logger.js` in a TypeScript file of a `"type": "module"` package that has none) — a service whose
image is built from a directory that does not hold the shared module (compose `build: ./services/api`)
gets its own, in its sources (`services/api/src/logger.js`). Where the repository has a logger,
`create = true` gives its own the same way to each service with none it can import: the repository's
is another service's private module, or a module outside the service's image (not a package the
service may declare instead: that is said). The run
says when the package that builds it (its nearest package.json: a build of one service
installs only what that declares) does not declare winston. A call inside a
function where the logger's name is a local parameter or variable is reported,
not rewritten.

Left alone, and listed in the run's notes with the reason: tests (`*.test.*`, `*.spec.*`,
`*_test.js`, `*-test.js`, `test/`, `__tests__/`), scripts
(`scripts/`, `bin/`, migrations, seeds, one-off files at the repository root, a
file a package.json script named for a one-off job runs — `"seed": "node seed.js"`,
`db:migrate`, `clean` — unless the service's `main` or another script runs it too; what
`start`, `debug` or `sync` runs is service code), build-tool files wherever they are
(`gulpfile.*`, `Gruntfile.*`, `webpack.*.js`, `*.config.*`, `.eslintrc.*`: their output is the terminal),
browser code: a file that uses `document`, `window`, jQuery (`$('#chatbox')`, `$.ajax`) or React,
or is a `'use client'` module, whatever it imports; a file under a folder of browser code
(`public/`, `static/`, `frontend/`, `client/`, `*.front.*`) unless it imports a Node module, a
server framework or the logger (`fs`, `express`, `../../logger`) or is its service's process (a
folder's name is weak evidence; `web/` is none: Ghost's `core/server/web/` is its Express layer);
and a file browser code imports, directly or not (etherpad's `static/js/pluginfw/hooks.js`, which
the server requires too: a Node logger `require` would break the browser's bundle), but not a `'use server'`
module (Next.js Server Actions run on the server, whoever imports them, whatever they import) nor what
only it imports; every file of a browser package: a Vite app (vite and an index.html), a Create React App
app, a React component library (`react` a peer dependency), unless it declares a server, Next.js, Electron,
a logging library or the logger's package, or has a `bin`;
Edge runtime code, where a Node logger cannot load (winston needs `fs`, `os`: `next build` fails, or
each request answers 500): a Next.js app's `middleware.ts` (unless its config says `runtime: 'nodejs'`)
and `instrumentation.ts` (compiled for the Edge runtime too), a module that says `export const runtime =
'edge'`, and what they import (not `import type`, nor a dynamic `import()` in the Node branch),
stdio servers, whose stdout carries their protocol and which log with `console.error` on purpose
(a logger writing to stdout would corrupt it): every file of a package one of whose files makes an
MCP `StdioServerTransport` (not a client's `StdioClientTransport`), a JSON-RPC `StreamMessageWriter`
on `process.stdout`, or imports `vscode-languageserver`,
the logger implementation itself (a file that creates it — `winston.createLogger`, `pino()`, a
bare `createLogger(`/`new Logger(` where the file imports winston or bunyan: a service file calling its
logger package's factory, `createLogger('api')`, or NestJS's `new Logger(AppService.name)` uses a
logger — or defines the object the convention imports, `export const logger = { info:
… }`, which may print through console), the modules the logger module imports, relative,
through a tsconfig path alias or by a workspace package's name (`@acme/config/env`, by its `exports`)
(they run before any logger exists: `config/env.ts` importing the logger
would be a circular import) — but not a service's entry point that makes its logger in place, a
Nest `main.ts` passing `WinstonModule.createLogger(…)` to `NestFactory.create`, as nest-winston's README
does, or an `index.js` with `const log = pino()`, nor what it imports: no file imports it for that
logger, and what it imports is the app, whose request handlers run long after the logger exists —, and files whose top comment turns ESLint's `no-console` off, not on again
below (`/* eslint-disable no-console */`: their author says console is the file's output, a command-line tool's),
and so are the calls right under an `// eslint-disable-next-line no-console` (or on a line with
`eslint-disable-line no-console`: a CLI's report, a last word before `process.exit()`) and those
between a `/* eslint-disable no-console */` and the next `/* eslint-enable no-console */` (or bare
`eslint-enable`), or the file's end: a warning printed before the service starts, kept whole on stderr.
Each rule is an option. Reported without an
edit: `console.table/dir/time/timeEnd/group/assert/count/…` (no logger
equivalent), `const { log } = console` and console methods passed as values
(`.catch(console.error)`: winston methods need their logger), and console calls
inside a local logger (`const logger = { log: (m) => console.log(m) }`, `class
ConsoleLogger { … }`: any call inside an object literal or class named like a logger,
and in a function so named one that passes on the function's parameters — a
request-logging middleware named `logger` is rewritten: rewriting a logger's own
output would make it call itself), and a file's calls of a console method it replaces
(`if (argv.quiet) console.log = () => {}`: the logger would bypass the switch; its `console.error`
calls, which the switch never touched, are rewritten). A console call that ends a line a
`process.stdout.write(…)` just before it began (`process.stdout.write(name + ' | '); console.log(out)`,
the write's text not shown to end in a line break; `process.stderr.write` before `console.error`) is
reported: the logger's JSON would be glued to that text, no JSON line. A console call inside another's arguments
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

winston's `format.json()` prints an `Error` nested in meta as `{}` (so do `simple()` and a printf's
`JSON.stringify(meta)`): what `console.error(err)` printed, its message and stack, would be lost.
When a winston logger that new calls pass errors through (`{ error }`, `{ error: err }`: the logger each
such file logs through, its module's, else its service's; a module that makes none itself — express-gateway's
`module.exports = createLoggerWithLabel('[EG:log-policy]')`, a re-export — is followed to the module it
imports that calls `createLogger`) does not serialize such values, the same branch adds to that module
the format below and puts it into each `createLogger({ … })`'s `format`: into its `combine(…)`, before
the last format (`combine(timestamp(), errorsInMeta(), json())`), else around a format fixer can read
(`json()`, a const set to one, a choice of two: `format.combine(errorsInMeta(), json())`), else, with no
`format` (winston's default, `json()`), as `format.combine(errorsInMeta(), format.json())`; the logger's
format runs before each transport's, so theirs see it too. A module that reads winston's format only
through its members (`const { combine, json } = require('winston').format`, `format: { combine }` in
the require's pattern, `const { format } = winston`) gets it too, made with `require('winston').format`
where nothing else names that. Where that edit is not certain — winston's
`format` not bound by name or as `winston.format` (nor read through `require('winston')` in TypeScript,
where it is untyped), options that are not an object literal or spread
another, a format made elsewhere (`makeFormat('web')`), a printf that prints the `error` field itself —
the calls that would pass an error as meta are reported, not rewritten (the others are), and the logger
is named with the reason. Where one of its formats is a `printf` that prints no meta (the development
one beside production's `json()`), the fix says so at that printf: make it print the rest
(`({ timestamp, level, message, ...meta }) => …`). The format (its name, `errorsInMeta`, tells fixer it
is there):

```ts
const errorsInMeta = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (value instanceof Error) {
      info[key] = { ...value, name: value.name, message: value.message, stack: value.stack };
    }
  }
  return info;
});
```

A logger the repository writes by hand, with no logging library behind it, that writes its meta with
`JSON.stringify` (`JSON.stringify({ level, msg, ...meta })`) and does nothing with an Error (no `instanceof
Error`, `.stack`, `util.inspect`) prints an Error in meta as `{}` too, and has no format to add: a call that
would pass one as meta is reported (make the logger turn Error values into { name, message, stack }, or pass
`errorStack: err.stack` by hand); its other calls are rewritten.

## Fix safety

Safe. Every call keeps its arguments (only wrapped into the meta object; a colour call of the file's own
colour module gives the text it colours), the
result type-checks against winston's `LeveledLogMethod` (meta is passed only to a logger
known to take it; log4js's, tslog's and consola's keep console's arguments; any other logger gets one text argument or a report), and the logger module
and whatever it imports get no console rewrite, so nothing recurses (a winston logger module
gets only the `errorsInMeta` format, see 'Errors in meta', which changes how an Error in meta
prints: `{ name, message, stack, …its own fields }` instead of `{}`). What changes is
where the output goes and its shape: JSON through the logger's transports
instead of plain text on stdout/stderr, and messages below the logger's level
(`LOG_LEVEL`) are no longer printed.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Iterator

from fixer import edits as edit_ops
from fixer import logger
from fixer import report
from fixer.cache import stable_digest
from fixer.model import Edit, Finding, FixInfo, NewFile, Option, pickled_by_fields
from fixer.parsing import logcall, typescript
from fixer.parsing.comments import blank, comment_ranges
from fixer.parsing.text import BOM
from fixer.parsing.typescript import Node, node_text as _text
from fixer.repo import CODE_KINDS, IMPORTED_MODULES, FactsSpec, Repo, SourceFile, compile_glob

INFO = FixInfo(
    id="console-to-logger",
    title="Log through the service logger, not console",
    audit="Fix 3",
    week=1,
    order=3,
    severity="critical",
    safety="safe",
    version=31,  # 31: factories called to make the logger are no logger, `.default` of a CommonJS default export kept, `#` imports resolved, no JS import of a .ts module, Node's exports pick for what require() loads, .cts modules, type-marker package.jsons; 30: a value between words named in the message ({key}), the file's own colour module gives its text, consola keeps its arguments, errors in meta read from the new call's arguments; 29: an object's own message literal is the message, require('pino')(…) makes a pino logger, another package's own logger module is not imported by a relative path; 28: classes are no logger, what runs later logs after the module loads, format tokens in colour calls and substitutions, reserved keys per logger (pino, bunyan), errors kept at the top of meta, log4js/tslog keep their arguments, lines a write began, a quiet switch holds only its methods; 27: a string expression alone (String(x), .toString(), .join(", ")) is the message; a configured logger outside an image is reported; 26: no workspace logger a service's image cannot hold (reported), what a service without a logger import declares, generated files and runtime config modules; 25: a lone JSON.stringify of an object literal is that object's fields, Embedded Metric Format lines left alone; 24: a workspace package browser code imports is browser code; 23: Edge runtime code and browser packages left alone, 'use server' modules are server code, request-logger middleware is no logger, bootstrap through workspace packages, path aliases only where their tsconfig compiles, no import of a package with a TypeScript entry into plain JS, logger.create per service; 22: console.trace keeps its stack as meta, winston format read through its members; 21: errors in meta kept by a format added to the winston logger (else those calls reported), loggers a factory of another module makes, no logger import ahead of the file's env loading; 20: no import a CommonJS TypeScript file cannot load (an ES-module workspace package, TS1479); 19: a file of the library a path alias or workspace package names never imports it (its own barrel: a load-order crash); 18: a logger whose printf format prints no meta gets no call that would lose output (reported), the errors-in-meta note from the file's own logger; 17: winston's default logger is a convention (NodeBB), a module exporting no level method is no logger; 16: a file its service runs (its process: bin/www) is service code under a skip-scripts folder too, extensionless entries read as JavaScript; 15: an entry point that makes its logger in place is no logger module (its app's calls were left alone as 'before the logger exists'); 14: browser code by what it uses and what loads it (not a web/ folder), eslint-disable blocks, build-tool files; a callback's value void unless known ignored; %d/%i/%f of values not known to be numbers into meta; npm logger packages only where the file's image resolves them, created loggers inside each image; a require never above the file's set-up; typed meta reported; level methods from logger.LOGGER_CALLS; 13: a logger a logging library makes (log4js's `getLogger(…)`) has the library's level methods; 12: workspace packages by name, not pnpm's undeclared ones, `exports` entries, tsconfig*.json paths; 11: a bunyan logger takes pino's (fields, message), errors under `err`; 10: a choice of strings is the message, acronym labels (url), a created logger's import spelled as the file's; 9: errorMessage/errorStack keys, a label for the value after it only, 'error' for an error's text alone; 8: NestJS class loggers named in the report; 7: strings after the message joined into it, `Date.now()` as dateNow; 6: array callbacks whose value is read keep it undefined; 5: an Error made in the arguments under the error key
    kinds=frozenset(CODE_KINDS),
    prefilter=(b"console",),
    options={
        "skip-tests": Option(
            ["**/*.test.*", "**/*.spec.*", "**/*_test.*", "**/*_tests.*", "**/*-test.*", "**/*-tests.*",
             "**/__tests__/**", "**/__mocks__/**", "**/test/**", "**/tests/**"],
            "test files whose console calls are left alone (globs; [] rewrites them too)"),
        "skip-scripts": Option(
            ["**/scripts/**", "**/bin/**", "**/migrations/**", "**/seeds/**", "**/seeders/**", "*.js", "*.mjs",
             "*.cjs", "**/*.config.*", "**/gulpfile.*", "**/Gulpfile.*", "**/gruntfile.*", "**/Gruntfile.*",
             "**/webpack.*.*", "**/rollup.*.*", "**/.eslintrc.*", "**/.babelrc.*", "**/.mocharc.*", "**/.prettierrc.*"],
            "scripts, migrations, seeds, one-off files at the repository root and build-tool files (gulpfiles, "
            "Gruntfiles, `*.config.*`), left alone (globs)"),
        "skip-browser": Option(
            ["**/public/**", "**/static/**", "**/frontend/**", "**/client/**", "**/*.front.*"],
            "folders of browser code, left alone (globs; a file there that imports a Node module, a server framework "
            "or a logger, or that is the service's process, is server code)"),
        "detect-browser": Option(True, "also leave alone files that use the globals `document`, `window` or "
                                 "jQuery's `$`, or React, `'use client'` modules, and the files of browser packages (a Vite "
                                 "app, a React component library)"),
        "detect-stdio": Option(True, "leave alone the packages of stdio servers (an MCP `StdioServerTransport`, "
                               "a language server): their stdout is the protocol, they log to stderr on purpose"),
        "detect-no-console": Option(True, "leave alone files whose top comments turn ESLint's `no-console` rule off "
                                    "(`/* eslint-disable no-console */`), and calls under an `eslint-disable-next-line "
                                    "no-console` or inside an `eslint-disable no-console` … `eslint-enable` block: their author says console is the output there (a command-line tool's)"),
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
BROWSER_WORDS = re.compile(rb"\b(document|window|React|react|jQuery)\b|(?<![\w$])\$\s*[(.]")
# (not Next.js's server-only modules: a route handler's `next/server`, `next/headers`, `next/cache`)
BROWSER_MODULES = re.compile(r"^(react|react-dom|preact|next(?!/(?:server|headers|cache|og)(?:$|/)))(/|$)")


@dataclass(frozen=True)
class Context:
    conventions: tuple[tuple[str | None, logger.LoggerImport], ...]
    service_names: tuple[tuple[str, str], ...]  # service dir -> the name its logger calls pass
    left_alone: tuple[tuple[str, str], ...]  # path -> why its console calls stay
    skipped: frozenset[str]  # the paths of left_alone, for a quick look-up per file
    # (path, text) of the logger modules `[logger] create = true` adds: the repository's, and those of the
    # services whose image does not hold it (`logger.modules_to_create`)
    create: tuple[tuple[str, str], ...]
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
    # winston logger modules whose format prints no meta (`logger.meta_dropped`): (path, printf line, the
    # fields it prints, whether no other format of the module prints meta)
    dropping: tuple[tuple[str, int, tuple[str, ...], bool], ...] = ()
    # logger modules that create no logger themselves (`module.exports = createLoggerWithLabel('[EG:log]')`,
    # a re-export): the logger modules they import that do (`_made_in`)
    made_in: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # winston logger modules that print an Error passed as meta as {} where fixer cannot add the format
    # that keeps it (`logger.errors_in_meta_edits`): (path, createLogger line, why); their calls that
    # would pass an error as meta are reported
    errors_unkept: tuple[tuple[str, int, str], ...] = ()
    # hand-written logger modules (no logging library behind them) that write meta with JSON.stringify,
    # which prints an Error as {}, and do nothing else with Error values: (path, JSON.stringify line);
    # their calls that would pass an error as meta are reported (`_errors_lost`)
    errors_lost: tuple[tuple[str, int], ...] = ()
    # the conventions' loggers a library of CONSOLE_LIBRARIES makes (log4js, tslog): (module, name, library)
    console_libraries: tuple[tuple[str, str, str], ...] = ()
    any_console_library: bool = False  # some file imports one (else no logger's origin is looked for)
    # what the service code of each scope (a service's directory, else a package's) logs through that fixer does
    # not call (`_logger_in_use`): (scope, (library, path, line) or None, (path, line) of Fastify's logger or None)
    in_use: tuple[tuple[str | None, tuple[str, str, int] | None, tuple[str, int] | None], ...] = ()


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
    marked: bool = False  # holds an `eslint-disable-next-line no-console` (or `-line`): `console_meant_here`
    browser: str | None = None  # why it is browser code (`_browser_code`), console calls or not
    # browser code by what it uses (not its folder's name), importing nothing of Node's: what it imports, the browser loads
    loads_in_browser: bool = False
    edge: str | None = None  # why it runs on the Edge runtime by its text (`export const runtime = 'edge'`): `_edge_runtime`
    use_server: bool = False  # a `'use server'` module (Server Actions): never loaded in the browser, whoever imports it


def prepare(repo: Repo, options: dict) -> Context:
    implementations: set[str] = set()
    out_of_scope: dict[str, str] = {}
    consoles: list[str] = []
    calls: Counter[str] = Counter()  # per service dir: logger calls with a meta object
    named: dict[str, Counter[str]] = {}  # per service dir: the service names those calls pass
    conventions = logger.infer(repo)
    created = logger.created_for_services(repo, conventions)  # (`[logger] create = true`)
    conventions.update(created)
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
            if facts.out_of_scope and not _is_process(repo, path, facts.out_of_scope):
                out_of_scope[path] = facts.out_of_scope
        service = repo.service_for(path) if facts.meta_calls else None
        if service is not None:
            calls[service.dir] += facts.meta_calls
            for value, count in facts.service_names:
                named.setdefault(service.dir, Counter())[value] += count
    implementations |= {c.target for c in conventions.values() if c.target and repo.exists(c.target)}
    # (an entry that makes its logger in place is no logger module: `_entries_making_a_logger`)
    entries = _entries_making_a_logger(repo, implementations, conventions, options)
    left_alone = {path: "the logger implementation itself" for path in implementations - entries}
    if options["skip-bootstrap"]:
        for path in sorted(_imported_by(repo, implementations - entries).intersection(consoles) - set(left_alone)):
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
    for path, reason in _loaded_by_browser_code(repo, all_facts, set(consoles)).items():
        left_alone.setdefault(path, reason)
    for path, reason in _edge_runtime_code(repo, all_facts, set(consoles)).items():
        left_alone.setdefault(path, reason)
    if options["detect-browser"]:
        for path, reason in _browser_packages(repo, set(consoles) - set(left_alone), conventions).items():
            left_alone.setdefault(path, reason)
    names = {directory: counter.most_common(1)[0][0] for directory, counter in named.items()
             if sum(counter.values()) * 2 >= calls[directory]}
    # (a service the repository's logger cannot reach, another service's private module, gets none)
    borrowing = {service.dir for path in consoles if path not in left_alone
                 and (service := repo.service_for(path)) is not None and service.dir not in conventions
                 and logger.convention_for(repo, path, conventions) is not None}
    # (only the created modules a file with console calls would import: the notes name what the diff adds)
    wanted = {convention.target for path in consoles if path not in left_alone
              and (convention := logger.convention_for(repo, path, conventions)) is not None}
    dropping = _formats_dropping_meta(repo, implementations - pinos)
    return Context(
        tuple(sorted(conventions.items(), key=lambda kv: str(kv[0]))),
        tuple(sorted(names.items())),
        tuple(sorted(left_alone.items())),
        frozenset(left_alone),
        tuple(created for created in logger.modules_to_create(repo, conventions) if created[0] in wanted),
        bool(implementations) and implementations <= pinos,
        tuple(sorted(borrowing)) if None in conventions else (),
        tuple(sorted((path, path in pinos) for path in implementations)),
        logger.logger_shapes(repo, created),
        repo.config.logger.get("shape") == "pino",
        tuple(sorted(logger.logger_functions(repo).items(), key=lambda kv: str(kv[0]))),
        frozenset(implementations - set(consoles)),
        options["detect-no-console"],
        tuple(sorted(path for path in consoles if all_facts[path].marked and path not in left_alone))
        if options["detect-no-console"] else (),
        tuple(logger.loggers_made(repo, None)) if not conventions else (),
        () if (repo.config.logger.get("shape") or "").lower() == "winston"
        else fields_first(repo, repo.facts_of(logger.LOGGER_CALLS), {path: path in pinos for path in implementations}),
        dropping,
        _made_in(repo, implementations - pinos),
        _errors_unkept(repo, implementations - pinos, dropping),
        _errors_lost(repo, implementations - pinos),
        *_console_libraries(repo, conventions),
        _in_use(repo),
    )


def _formats_dropping_meta(repo: Repo, implementations: set[str]) -> tuple[tuple[str, int, tuple[str, ...], bool], ...]:
    """The winston logger modules whose `format.printf(…)` prints only the fields it names (`({ timestamp,
    level, message }) => …`): values a call passes as meta do not print (`logger.meta_dropped`)."""
    found = []
    for path in sorted(implementations):
        source_file = repo.read(path)
        dropped = logger.meta_dropped(source_file) if source_file is not None and source_file.kind in CODE_KINDS \
            and b"printf" in source_file.data else None
        if dropped is not None:
            found.append((path, dropped.line, dropped.fields, dropped.only))
    return tuple(found)


def _made_in(repo: Repo, implementations: set[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Of the logger modules, those that create no logger themselves (express-gateway's
    `module.exports = createLoggerWithLabel('[EG:log-policy]')`, a factory of lib/logger.js; a
    re-export): the logger modules they import that do, directly or through one module between
    (what those print is what the calls through them print: `meta_dropped`, `errors_in_meta_edits`)."""
    creating = set()
    for path in implementations:
        source_file = repo.read(path)
        if source_file is not None and logger.LIBRARY_LOGGER.search(source_file.data):
            creating.add(path)
    found = []
    for path in sorted(implementations - creating):
        reached, frontier = set(), [path]
        for _ in range(2):  # (its imports, and theirs: not a walk of a whole package)
            frontier = [target for module in frontier for target in _imported_by_module(repo, module)
                        if target not in reached and target != path]
            reached.update(frontier)
            if reached & creating:
                break
        if reached & creating:
            found.append((path, tuple(sorted(reached & creating))))
    return tuple(found)


def _imported_by_module(repo: Repo, path: str) -> list[str]:
    """The repository modules one module imports (relative imports, path aliases)."""
    source_file = repo.read(path)
    if source_file is None or source_file.kind not in CODE_KINDS:
        return []
    return [target for module in _parsed_imports(source_file)
            if (target := logger.resolve_import(repo, path, module)) is not None]


def _errors_unkept(repo: Repo, implementations: set[str], dropping: tuple[tuple[str, int, tuple[str, ...], bool], ...]
                   ) -> tuple[tuple[str, int, str], ...]:
    """The winston logger modules that print an Error passed as meta as {} (no format of theirs
    serializes it: SERIALIZES_ERRORS; not one whose only format is a printf that prints no meta,
    whose calls get no meta) where fixer cannot add `errorsInMeta` (`logger.errors_in_meta_edits`
    says why): (path, line of its createLogger, why)."""
    only = {each[0] for each in dropping if each[3]}
    found = []
    for path in sorted(implementations - only):
        source_file = repo.read(path)
        if source_file is None or source_file.kind not in CODE_KINDS:
            continue
        create = logger.CALLS_CREATE_LOGGER.search(source_file.data)
        if create is None or SERIALIZES_ERRORS.search(source_file.data):
            continue
        _, why = logger.errors_in_meta_edits(source_file)
        if why is not None:
            found.append((path, source_file.line_col(create.start())[0], why))
    return tuple(found)


# a logging library a module imports: its logger is that library's, not one the module writes by hand
_IMPORTS_A_LIBRARY = re.compile(rb"""(?:\bfrom|\brequire\s*\(|\bimport)\s*['"](?:winston|pino|bunyan|log4js|tslog|consola|"""
                                rb"""loglevel|signale|npmlog|roarr|@nestjs/common|@google-cloud/logging|@aws-lambda-powertools/"""
                                rb"""logger|@tryghost/logging)(?:/[^'"]*)?['"]""")
_HANDLES_ERRORS = re.compile(rb"\.stack\b|\binspect\s*\(|\butil\s*\.\s*format\s*\(|\bformatWithOptions\s*\(")


def _errors_lost(repo: Repo, implementations: set[str]) -> tuple[tuple[str, int], ...]:
    """The hand-written logger modules (`class AppLogger { write(level, msg, meta) {
    process.stdout.write(JSON.stringify({ level, msg, ...meta })) } }`: they import no logging
    library and make no logger with one) that write with JSON.stringify and do nothing with an
    Error (no `instanceof Error`, `.stack`, `util.inspect`/`format`, serialize-error): an Error
    passed as meta prints as {} there, its message and stack lost, and fixer has no format to add
    to such a logger: (path, line of its JSON.stringify)."""
    found = []
    for path in sorted(implementations):
        source_file = repo.read(path)
        data = source_file.data if source_file is not None and source_file.kind in CODE_KINDS else b""
        at = data.find(b"JSON.stringify")
        if at < 0 or logger.LIBRARY_LOGGER.search(data) or _IMPORTS_A_LIBRARY.search(data) \
                or SERIALIZES_ERRORS.search(data) or _HANDLES_ERRORS.search(data):
            continue
        found.append((path, source_file.line_col(at)[0]))
    return tuple(found)


def file_facts_spec(options: dict) -> FactsSpec:
    """The per-file facts this fix gathers, for these options (their digest names the cache)."""
    gather = partial(_file_facts, options=options, scope_rules=_scope_rules(options))
    return FactsSpec("console-to-logger/files/" + stable_digest(sorted(options.items())), gather, CODE_KINDS,
                     version=13, structural=True)  # 13: pino by logger.PINO_CALL (require('pino').pino(…)); 12: Edge runtime and 'use server' facts, next/server imports are no browser code; 11: browser/loads-in-browser facts, logger call facts moved to logger.LOGGER_CALLS; 10: bunyan's logger takes pino's order; 9: `eslint-disable no-console` at the top; 8: level methods only where a logger may be defined; 5: logger_calls, library, signature, wholes; 6: levels, methods;
    # 7: a bare `createLogger(` implements a logger only beside winston or bunyan


def FACTS(options: dict) -> list[FactsSpec]:  # noqa: N802 (the engine's hook name)
    """Gathered ahead, in the engine's one pass over the files."""
    return [file_facts_spec(options), logger.LOGGER_CALLS, logger.VOTES, logger.MADE, IMPORTED_MODULES, IN_USE]


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
    implements = any(needle in data for needle in IMPLEMENTS_NEEDLES) and implements_logger(data)
    exports = exported_loggers(data)
    browser = _browser_code(source_file, options, scope_rules)
    return FileFacts(
        implements=implements,
        console=console,
        out_of_scope=_out_of_scope(source_file, options, scope_rules, browser) if console else None,
        meta_calls=meta_calls,
        service_names=service_names,
        exports=exports,
        pino=logger.makes_bunyan(data) or b"pino" in data and bool(logger.PINO_CALL.search(data)) and b"createLogger" not in data,
        stdio=_stdio_server(data),
        marked=console and b"no-console" in data and (_LINE_DIRECTIVE.search(data) is not None
                                                       or _CONSOLE_BLOCK_OFF.search(data) is not None),
        browser=browser,
        loads_in_browser=browser is not None and "detect-browser" in browser and _server_imports(source_file) is None,
        edge=_edge_runtime(data) if b"edge" in data and b"runtime" in data else None,
        use_server=b"use server" in data and _is_directive_module(data, b"use server"),
    )


_CONSOLE_NAME = re.compile(rb"(?<![\w$])console(?![\w$])")  # (not `consoleFormat`, `transports.Console`)


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
        runs = repo.runs[service.dir]
        base = service.dir + "/" if service.dir else ""
        for path, names in runs.scripts.items():
            if path not in runs.process and all(_ONE_OFF.search(name) for name in names):
                found[path] = f"script (run by the `{names[0]}` script of {base}package.json; skip-scripts)"
    return found


def _is_process(repo: Repo, path: str, reason: str | None) -> bool:
    """Whether a file left alone for its path alone (`reason`: a skip-browser or skip-scripts glob,
    `services/api/client/index.js` under `**/client/**`, express-generator's `bin/www` under
    `**/bin/**`) is its service's process (its entry, `main`, what its start or image runs): server
    code, whatever its folder is called (`Repo.processes`)."""
    return bool(reason) and ("skip-browser:" in reason or "skip-scripts:" in reason) and (
        path in repo.processes or path in repo.runtime_configs)  # (moleculer.config.js: loaded into the process)


def _loaded_by_browser_code(repo: Repo, facts: dict[str, FileFacts], consoles: set[str]) -> dict[str, str]:
    """The files with console calls that browser code imports, directly or not (etherpad's
    `static/js/pluginfw/hooks.js`, which `pad.js` and the server both require): a bundle loads them
    in the browser, where a Node logger `require` breaks. Path -> why they are left alone. Only
    from files that use the browser and import nothing of Node's (`loads_in_browser`): a folder's
    name (Ghost's `core/frontend/` is server-side rendering) or isomorphic code that also requires
    express would leave the server's own modules alone."""
    roots = {path for path, f in facts.items() if f.loads_in_browser}
    if not roots:
        return {}
    browser = {path for path, f in facts.items() if f.browser and not _is_process(repo, path, f.browser)}
    if not consoles - browser:
        return {}
    via: dict[str, str] = {}
    imported = repo.facts_of(IMPORTED_MODULES)  # (from the bytes, on all cores: no parse here of every file reached)
    # (a 'use server' module, Server Actions, is no module the browser loads: its client bundle gets
    # calls to the server for its exports, and nothing of what it imports)
    actions = {path for path, f in facts.items() if f.use_server}
    loaded = logger.imported_closure(repo, roots, lambda path: () if path in actions else imported.get(path, ()), via,
                                     packages=True) or set()  # (a workspace package it imports is bundled too)
    return {path: f"browser code (loaded by browser code too: {via.get(path, '?')} imports it)"
            for path in sorted(loaded & consoles - browser - actions)}


# What makes a package server code whatever else it declares: a server, a logging library (`_SERVER_MODULES`),
# a framework whose app has a server (Next.js, Remix) or a Node main process (Electron)
_SERVER_PACKAGES = re.compile(
    r"^(?:next|electron|hono|@hono/node-server|socket\.io|ws|@remix-run/(?:node|serve|express)|@react-router/(?:node|serve)"
    r"|vike|vite-plugin-ssr)$")


def _browser_packages(repo: Repo, consoles: set[str], conventions: dict) -> dict[str, str]:
    """The files with console calls of packages that are browser code as a whole (`_browser_package`):
    a Vite or Create React App app (its files bundled for the browser, served as static files) or a
    library of React components (`react` a peer dependency: a client's bundle loads it), whatever
    each file uses (a price formatter of a UI library, an SPA's API client no file imports yet).
    Path -> why they are left alone."""
    found: dict[str, str] = {}
    judged: dict[str | None, str | None] = {}
    for path in sorted(consoles):
        directory = logger.package_of(repo, path)
        if directory not in judged:
            judged[directory] = _browser_package(repo, directory, conventions) if directory is not None else None
        why = judged[directory]
        if why is not None:
            found[path] = f"browser code ({directory or 'the root package'} is {why}; detect-browser)"
    return found


def _browser_package(repo: Repo, directory: str, conventions: dict) -> str | None:
    """What makes the package (its package.json's directory) browser code as a whole, or None: a Vite
    app (vite and an index.html), a Create React App app (react-scripts), a React component library
    (`react` a peer dependency); never a package that declares a server, a logging library, a
    framework with a server (Next.js) or a Node main process (Electron), the repository's logger
    package, or that has a `bin` (a command-line tool)."""
    manifest = repo.packages.get(directory) or {}
    declared = {name for key in logger.DEPENDENCY_KEYS if isinstance(manifest.get(key), dict) for name in manifest[key]}
    loggers = {logger.package_name(c.module) for c in conventions.values()
               if not c.module.startswith(".") and not repo.exists(c.module)}
    if manifest.get("bin") or any(_SERVER_MODULES.match(name) or _SERVER_PACKAGES.match(name) or name in loggers
                                  for name in declared):
        return None
    base = directory + "/" if directory else ""
    if "vite" in declared and repo.exists(base + "index.html"):
        return "a Vite app (vite, index.html: bundled for the browser)"
    if "react-scripts" in declared:
        return "a Create React App app (react-scripts: bundled for the browser)"
    peers = manifest.get("peerDependencies")
    if isinstance(peers, dict) and ("react" in peers or "react-dom" in peers):
        return "a React component library (react is a peer dependency: a client's bundle loads it)"
    return None


# `export const runtime = 'edge'` (a Next.js route segment, a page), `export const config = { runtime:
# 'edge' }` (a Next.js API route of pages/, a Vercel function)
_EDGE_RUNTIME = re.compile(
    rb"""\bexport\s+const\s+runtime\s*(?::[^=;]*)?=\s*(['"])(?:experimental-)?edge\1"""
    rb"""|\bexport\s+const\s+config\s*(?::[^=;]*)?=\s*\{[^{}]*?\bruntime\s*:\s*(['"])(?:experimental-)?edge\2""")
# what a Next.js middleware's config says to run it on Node (Next 15.5 on): `runtime: 'nodejs'`
_NODE_RUNTIME = re.compile(rb"""\bruntime\s*[:=]\s*(['"])nodejs\1""")
_NEXT_FILES = ("middleware", "instrumentation")  # (Next.js compiles both for the Edge runtime)
_NEXT_EXTENSIONS = (".ts", ".js", ".mjs", ".tsx", ".jsx")


def _edge_runtime(data: bytes) -> str | None:
    """What says the module runs on the Edge runtime (`export const runtime = 'edge'`), comments
    blanked (a commented-out `// export const runtime = 'edge'` says nothing), or None."""
    if _EDGE_RUNTIME.search(data) is None:
        return None
    comments = comment_ranges(data)
    match = _EDGE_RUNTIME.search(blank(data, comments) if comments else data)
    return None if match is None else " ".join(match.group().decode("utf-8", "replace").split())


def _edge_runtime_code(repo: Repo, facts: dict[str, FileFacts], consoles: set[str]) -> dict[str, str]:
    """The files with console calls that run on the Edge runtime, where a Node logger cannot load
    (winston needs `fs`, `os`, `process.nextTick`: `next build` fails, or every request the code
    serves answers 500): a Next.js app's `middleware.ts` (the Edge runtime, unless its config says
    `runtime: 'nodejs'`) and `instrumentation.ts` (compiled for both runtimes: Node-only code goes
    inside `if (process.env.NEXT_RUNTIME === 'nodejs')`, imported there with `await import()`), at
    the app's root or in its src/; a module that says `export const runtime = 'edge'`; and what
    those import, directly or not (static imports: a dynamic `import()` in the Node branch is the
    way to load Node code there), workspace packages too. Path -> why they are left alone."""
    roots: dict[str, str] = {}
    for directory, manifest in repo.packages.items():
        if not any(isinstance(manifest.get(key), dict) and "next" in manifest[key] for key in logger.DEPENDENCY_KEYS):
            continue
        base = directory + "/" if directory else ""
        for folder in (base, base + "src/"):
            for name in _NEXT_FILES:
                for extension in _NEXT_EXTENSIONS:
                    path = folder + name + extension
                    if path not in facts:
                        continue
                    if name == "middleware":
                        source_file = repo.read(path)
                        if source_file is not None and b"nodejs" in source_file.data \
                                and _NODE_RUNTIME.search(source_file.data) is not None:
                            continue  # (a Node.js middleware: its config says so)
                        roots[path] = "a Next.js middleware, which runs on the Edge runtime"
                    else:
                        roots[path] = ("a Next.js instrumentation file, compiled for the Edge runtime too: import "
                                       "Node-only code inside `if (process.env.NEXT_RUNTIME === 'nodejs')` with `await "
                                       "import()`")
    for path, f in facts.items():
        if f.edge is not None:
            roots.setdefault(path, f"`{f.edge}`")
    if not roots:
        return {}
    via: dict[str, str] = {}
    loaded = logger.imported_closure(repo, roots, partial(_static_imports, repo), via, packages=True) or set()
    found = {path: f"Edge runtime code ({why}; a Node logger cannot load there)"
             for path, why in roots.items() if path in consoles}
    for path in sorted(loaded & consoles - set(roots)):
        found[path] = f"Edge runtime code (loaded by Edge runtime code: {via.get(path, '?')} imports it; a Node " \
                      "logger cannot load there)"
    return found


def _static_imports(repo: Repo, path: str) -> list[str]:
    """The modules the file imports or re-exports by its import and export statements (not `import
    type`, erased; not a dynamic `import()`, which may run only on Node: `NEXT_RUNTIME`)."""
    source_file = repo.read(path)
    if source_file is None or source_file.kind not in CODE_KINDS:
        return []
    found = []
    for node in source_file.tree.root_node.named_children:
        source = node.child_by_field_name("source") if node.type in ("import_statement", "export_statement") else None
        if source is not None and not re.match(rb"(?:import|export)\s+type\b", node.text or b""):
            module = typescript.string_value(source)
            if module is not None:
                found.append(module)
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


def bunyan_for(source_file: SourceFile, found: logger.FileLogger) -> bool:
    """Whether the logger of pino's order the file logs through is bunyan's, whose records have
    fields of their own pino's have not (`name`, `v`: `logcall.reserved_keys`)."""
    repo = source_file.repo
    implementations = {path: pino for path, pino in repo.facts_of(logger.IMPLEMENTATIONS).items() if pino is not None}
    bunyans = {path for path, pino in implementations.items()
               if pino and (made := repo.read(path)) is not None and logger.makes_bunyan(made.data)}
    return bool(bunyans) and bool(bunyans & set(logger.implementations_behind(repo, source_file, implementations, found)))


def fields_first(repo: Repo, facts: dict[str, logger.LoggerCalls], implementations: dict[str, bool]) -> tuple[tuple[str, str], ...]:
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


def _entries_making_a_logger(repo: Repo, implementations: set[str], conventions: dict,
                             options: dict) -> set[str]:
    """Of the files that make a logger, the entry points that make theirs in place, for themselves
    (a Nest `main.ts` passing `WinstonModule.createLogger(…)` to `NestFactory.create`, as the
    nest-winston README does; an `index.js` with `const log = pino()`): its service's process, no
    convention's module, of no package another imports by name, and imported by no file outside the
    tests, or only for names that are no logger (`import { app } from './main'`). What such a file
    imports is the app, whose request handlers run long after the logger exists, not the set-up a
    logger module loads before it makes its logger (`skip-bootstrap`): no circular import either,
    as no module imports it for its logger. Nor is it the logger's implementation: its own console
    calls are service code too."""
    targets = {c.target for c in conventions.values() if c.target}
    entries: set[str] = set()
    for path in sorted(implementations - targets):
        if path in repo.processes:  # (its service's entry, `main`, what its start or image runs)
            entries.add(path)
    if not entries:
        return entries
    packages: dict[str, str] = {}  # the name of an entry's package -> its directory
    stems: set[str] = set()  # the last part of a specifier that may name an entry (`./main`, `../src`, `.`)
    for path in entries:
        directory = logger.package_of(repo, path)
        name = repo.packages[directory].get("name") if directory is not None else None
        if isinstance(name, str) and name:
            packages[name] = directory
        parent, _, file = path.rpartition("/")
        stems.update((file.split(".")[0], parent.rpartition("/")[2], ".", ".."))
    tests = [compile_glob(glob) for glob in options["skip-tests"]]
    kept: set[str] = set()  # entries imported as a logger module (or in a way that may be for its logger)
    for path, modules in repo.facts_of(IMPORTED_MODULES).items():
        if kept == entries:
            break
        if any(test.fullmatch(path) for test in tests):
            continue  # (a test's import of the entry, `import { bootstrap } from '../src/main'`, says nothing)
        for module in modules:
            if not module.startswith("."):
                directory = packages.get(logger.package_name(module))
                if directory is not None and not path.startswith(directory + "/" if directory else ""):
                    kept |= {entry for entry in entries if logger.package_of(repo, entry) == directory}
                    continue
            if re.sub(r"\.[cm]?[jt]sx?$", "", module.rstrip("/")).rpartition("/")[2] not in stems:
                continue
            target = logger.resolve_import(repo, path, module)
            if target not in entries or target in kept:
                continue
            source_file = repo.read(path)
            seen = [s for s in logger.imports_in(source_file, namespaces=True)
                    if logger.resolve_import(repo, path, s.module) == target] if source_file is not None else []
            if not seen or any(s.imported in ("default", "*") or logger.is_logger_import(s) for s in seen):
                kept.add(target)
    return entries - kept


def _imported_by(repo: Repo, roots: set[str]) -> set[str]:
    """Every repository file the given modules import, directly or not (`logger.imported_closure`),
    from their parses (`import c = require('./c')` too), through a workspace package's name too
    (`@acme/config/env`, by its `exports`)."""
    def modules_of(path: str) -> list[str]:
        source_file = repo.read(path)
        return _parsed_imports(source_file) if source_file is not None and source_file.kind in CODE_KINDS else []
    return logger.imported_closure(repo, roots, modules_of, packages=True) or set()


def _parsed_imports(source_file: SourceFile) -> list[str]:
    """The modules the file imports, from its parse (`import c = require('./c')` too)."""
    modules = typescript.imported_modules(source_file.kind, source_file.tree.root_node)
    return modules + [seen.module for seen in logger.imports_in(source_file) if seen.equals]


_SCOPE_OPTIONS = (("skip-tests", "test file"), ("skip-scripts", "script"), ("skip-browser", "browser code"))


def _scope_rules(options: dict) -> list[tuple[re.Pattern[str], str, str, str]]:
    """The skip-* globs compiled once: (regex, option, label, glob)."""
    return [(compile_glob(g), option, label, g)
            for option, label in _SCOPE_OPTIONS for g in options[option]]


def _out_of_scope(source_file: SourceFile, options: dict, rules: list, browser: str | None) -> str | None:
    """Why the file's console calls stay (tests, scripts, console its output, `browser`: `_browser_code`), or None."""
    path = source_file.path
    for regex, option, label, glob in rules:
        if option != "skip-browser" and regex.fullmatch(path):
            return f"{label} ({option}: {glob})"
    data = source_file.data
    if options["detect-no-console"] and b"no-console" in data and (directive := console_is_output(data)):
        return f"console is its output (its `{directive}` says so; detect-no-console)"
    return browser


def _browser_code(source_file: SourceFile, options: dict, rules: list) -> str | None:
    """Why the file is browser code, or None. What it uses says so whatever it imports (`document`,
    `window`, jQuery's `$(…)`/`$.ajax`, React, a `'use client'` directive: detect-browser); a folder's
    name (`public/`, `static/js/`: skip-browser) is weaker evidence, which a Node import overrides
    (`_server_imports`: Ghost's `core/server/web/` requires express). A file of such a folder that is
    its service's process is server code too: `prepare` drops it (the `skip-browser:` reasons)."""
    data = source_file.data
    if b"use server" in data and _is_directive_module(data, b"use server"):
        return None  # (Server Actions: they run on the server, whatever they import, `react`'s `cache` too)
    if options["detect-browser"] and b"use client" in data and _is_client_module(data):
        return "browser code (a 'use client' module; detect-browser)"
    if options["detect-browser"] and (b"document" in data or b"window" in data or b"eact" in data
                                      or b"jQuery" in data or b"$" in data) and BROWSER_WORDS.search(data):
        used = _browser_usage(source_file)
        if used:
            return f"browser code (uses {used}; detect-browser)"
    path = source_file.path
    glob = next((glob for regex, option, _, glob in rules if option == "skip-browser" and regex.fullmatch(path)), None)
    if glob is not None and _server_imports(source_file) is None:
        return f"browser code (skip-browser: {glob})"
    return None


# Modules only a Node process loads: Node's own, server frameworks, logging libraries. A file that
# imports one (or the repository's logger) is server code whatever its folder is named.
_SERVER_MODULES = re.compile(
    r"^(?:node:.+|fs|http|https|http2|net|tls|dgram|dns|child_process|cluster|worker_threads|os|readline|v8|vm|"
    r"zlib|express|koa|fastify|@hapi/hapi|hapi|restify|@nestjs/[^/]+|winston|pino|bunyan|log4js)(?:/.*)?$")


def _server_imports(source_file: SourceFile) -> str | None:
    """The first module the file imports that makes it server code (`_SERVER_MODULES`, a logger
    module: `../../logger`), or None."""
    for module in typescript.imported_modules(source_file.kind, source_file.tree.root_node):
        if _SERVER_MODULES.match(module):
            return module
    if logger.may_import_logger(source_file.data):
        for seen in logger.logger_imports_in(source_file, namespaces=True, factories=True):
            return seen.module
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
                if match.group("rules") is not None and b"eslint-enable" in data \
                        and _console_block(data, len(data)) is None:
                    return None  # (turned on again below: a block, `console_meant_here`, not the file)
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
    return _console_block(data, at)


# `/* eslint-disable no-console */` … `/* eslint-enable no-console */` (or a bare `eslint-enable`)
_BLOCK_DIRECTIVE = re.compile(rb"(?://|/\*)[ \t]*eslint-(disable|enable)(?![\w-])([^\r\n]*)")
_CONSOLE_BLOCK_OFF = re.compile(rb"(?://|/\*)[ \t]*eslint-disable[ \t][^\r\n]*?no-console")  # (a cheap look: `marked`)


def _console_block(data: bytes, at: int) -> str | None:
    """The `eslint-disable no-console` comment whose block holds offset `at` (up to the next
    `eslint-enable` that lists `no-console` or no rule, else the end of the file): its author
    says console is meant there (thelounge's three-line warning before a Node version check)."""
    opened = None
    for match in _BLOCK_DIRECTIVE.finditer(data, 0, at):
        rules = re.split(rb"[\s,]+", match.group(2).split(b" -- ")[0].split(b"*/")[0].strip())
        if match.group(1) == b"disable" and b"no-console" in rules:
            opened = match
        elif match.group(1) == b"enable" and (b"no-console" in rules or rules == [b""]):
            opened = None
    if opened is None:
        return None
    return " ".join(opened.group(0).decode("utf-8", "replace").split("*/")[0].split())


# the directive prologue up to a directive (`%s`: 'use client', 'use server'), other directives before it
_DIRECTIVE_PROLOGUE = rb"""(?:\xef\xbb\xbf)?(?:#![^\n]*\n)?\s*(?:(['"])use [\w ]+\1\s*;?\s*)*?(['"])%s\2"""
_DIRECTIVES = {directive: re.compile(_DIRECTIVE_PROLOGUE % directive) for directive in (b"use client", b"use server")}


def _is_client_module(data: bytes) -> bool:
    """A module whose directives say `'use client'` (React Server Components: it runs in the
    browser), read from the bytes up to the directive, comments blanked."""
    return _is_directive_module(data, b"use client")


def _is_directive_module(data: bytes, directive: bytes) -> bool:
    """Whether the module's directive prologue holds `directive` (`'use client'`, `'use server'`: a
    Server Actions module, whose exports the browser gets as calls to the server; not a `'use server'`
    inside a function's body), read from the bytes up to it, comments blanked."""
    at = data.find(directive)
    for _ in range(3):  # (the first may be in a comment above the directive)
        if at < 0:
            return False
        head = data[: at + len(directive) + 1]
        comments = comment_ranges(head)
        if _DIRECTIVES[directive].match(blank(head, comments) if comments else head) is not None:
            return True
        at = data.find(directive, at + 1)
    return False


def _browser_usage(source_file: SourceFile) -> str | None:
    root = source_file.tree.root_node
    for seen in logger.imports_in(source_file):
        if BROWSER_MODULES.match(seen.module):
            return seen.module
    for name in ("document", "window"):
        if typescript.global_references(source_file.kind, root, name):
            return f"`{name}`"
    data = source_file.data
    if b"jQuery" in data and typescript.global_references(source_file.kind, root, "jQuery"):
        return "jQuery"
    # the global `$` called (`$('#chatbox')`, not zx's `` $`ls` ``) or its members used (`$.ajax`; not in a zx script)
    if b"$" in data and not (data.startswith(b"#!") and b"zx" in data[:data.find(b"\n")]):
        for node in typescript.global_references(source_file.kind, root, "$"):
            parent = node.parent
            if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node \
                    and (arguments := parent.child_by_field_name("arguments")) is not None and arguments.type == "arguments" \
                    or parent is not None and parent.type == "member_expression" and parent.child_by_field_name("object") == node:
                return "jQuery's `$`"
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
# take them, and call only level methods it is shown to have: decided in fixer/logger.py
# (`logger_shapes`, `logger_shape`), for every fix that writes logger calls, from the facts
# `logger.LOGGER_CALLS` gathers once per run.

STRUCTURED, ONE, TAGGED, TYPED, NEST = logger.STRUCTURED, logger.ONE, logger.TAGGED, logger.TYPED, logger.NEST
DROPS = "drops-meta"  # a winston logger whose format prints no meta: `logger_shape`, one message only
LIBRARY_LOGGER = logger.LIBRARY_LOGGER
level_signature, defined_levels = logger.level_signature, logger.defined_levels
logger_call_shapes, _called_methods, whole_imports = logger.logger_call_shapes, logger._called_methods, logger.whole_imports
_arguments_shape, _logger_origin, _logger_key = logger._arguments_shape, logger._logger_origin, logger._logger_key
alias_target = logger.alias_target  # (a tsconfig path alias's file: shared with the logger's inference)


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
        notes.append("logger: none imported in this repository; the console calls of a file with no logger of its "
                     "own are reported (set [logger] module, or create = true, in .fixer.toml)")
    elif context.create and everywhere.files == 0:  # (a module to add is the repository's logger)
        created = [path for path, _ in context.create]
        own = [path for path in created if path != everywhere.target]
        if everywhere.target in created:
            notes.append(f"logger: none found in this repository; adds the shared winston logger module "
                         f"{everywhere.target} and imports `logger` from it ([logger] create = true)" + (
                             f"; a service whose image is built from a directory without it gets its own instead: "
                             f"{', '.join(own)}" if own else ""))
        else:  # (no file would import the shared one: only the services' own are added)
            notes.append(f"logger: none found in this repository; adds the winston logger module {', '.join(own)} "
                         "(each in its service's sources: its image is built from a directory without a shared one) "
                         "and imports `logger` from it ([logger] create = true)")
    else:
        how = "set in .fixer.toml" if everywhere.files == 0 else "inferred"
        aliased = f", a tsconfig path alias: only where it names {everywhere.aliased}" if everywhere.aliased else ""
        notes.append(f"logger ({how}): {everywhere.describe()}{aliased}")
        created = {path for path, _ in context.create}
        for scope, convention in context.conventions:
            if scope is not None and convention.target in created:
                notes.append(f"logger in {scope or 'the root package'}: none it can import (the repository's is another "
                             f"service's private module, or outside its image); adds {convention.target} and imports "
                             "`logger` from it ([logger] create = true)")
            elif scope is not None and _same_import(convention) != _same_import(everywhere):
                notes.append(f"logger in {scope or 'the root package'}: {convention.describe()}")
    for scope, (module, name, files) in context.functions:
        if scope is not None and scope not in conventions and scope not in context.borrowing and None in conventions:
            notes.append(f"logger in {scope or 'the root package'}: none that fixer can import; the code gets its "
                         f"logger by calling `{name}()` of {module} ({files} file(s)): its console calls are reported")
    shapes = {(module, name): (shape, why) for module, name, shape, why, _ in context.shapes}
    libraries = {(module, name): library for module, name, library in context.console_libraries}
    told = set()
    for _, convention in context.conventions:
        key = (convention.target or convention.module, convention.imported)
        shape, why = shapes.get(key, (STRUCTURED, ""))
        if key in libraries and key not in told and not why.startswith("[logger] shape"):
            told.add(key)
            notes.append(f"logger `{convention.local}` of `{convention.module}`: made by {libraries[key]}, which prints "
                         "its arguments as console does: console calls keep their arguments")
        elif shape != STRUCTURED and key not in told:
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
        # a service named as its directory is told by the directory alone, past a few (a 200-service monorepo's
        # note was one 6 KB line); another name is told beside its directory
        own = [directory for directory, name in context.service_names if name == posixpath.basename(directory)]
        other = [f"{directory or '.'} ('{name}')" for directory, name in context.service_names
                 if name != posixpath.basename(directory)]
        listed = ([f"{len(own)} services under their directory's name ({report.few(own)})"] if len(own) > 3 else
                  [f"{directory} ('{posixpath.basename(directory)}')" for directory in own]) + other
        notes.append(f"new calls pass {{ service }} where the service's logger calls do: {', '.join(listed)}")
    by_reason: dict[str, list[str]] = {}
    if context.marked:
        by_reason["calls marked `eslint-disable-next-line no-console` or inside an `eslint-disable no-console` "
                  "block"] = list(context.marked)
    for path, reason in context.left_alone:
        if path not in context.quiet:
            by_reason.setdefault(re.sub(r" \(.*\)$", "", reason), []).append(path)
    for reason, paths in sorted(by_reason.items()):
        notes.append(f"left alone ({reason}): {report.few(paths, 6)}")
    return notes


def _same_import(convention: logger.LoggerImport) -> tuple:
    return convention.module, convention.imported, convention.local, convention.target, convention.suffix, convention.equals


# --- per file ----------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    if source_file.path in context.skipped:
        return
    uses = list(console_uses(source_file))
    # (`if (argv.quiet) console.log = () => {}`: the methods the file replaces, each's first assignment)
    replaced: dict[str, ConsoleUse] = {}
    for use in uses:
        if use.replaced and use.method is not None:
            replaced.setdefault(use.method, use)
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
    unkept = None if pino else _errors_unkept_behind(source_file, found, context)
    lost = None if pino or unkept is not None else _errors_lost_behind(source_file, found, context)
    quote = logger.quote_style(source_file)  # of the new string literals (meta keys, messages)
    made: list[tuple[ConsoleUse, Finding]] = []
    for use in uses:
        reason = None
        if use.method in replaced and use.call is not None and use.method in LEVELS:
            # (`if (argv.quiet) console.log = () => {}`): its calls print only when the file lets them (the
            # methods it does not replace print as ever: their calls are rewritten)
            reason = (f"console.{use.method} left as it is: the file replaces console.{use.method} (line "
                      f"{source_file.line_col(replaced[use.method].node.start_byte)[0]}) to control what console "
                      "prints (a --quiet switch), which the logger would bypass")
        elif use.call is not None and use.method in LEVELS and (begun := _line_begun_before(use.call, use.method)):
            # (`process.stdout.write(name + ' | '); console.log(out)`: one line of output, a prefix and the text)
            reason = (f"console.{use.method} left as it is: it ends the line the process.{STREAMS[use.method]}.write "
                      f"just before it (line {source_file.line_col(begun.start_byte)[0]}) began, with no line break, so "
                      "the logger's JSON would be glued to that text (no JSON line): put the written text in the "
                      "message and rewrite both by hand")
        elif use.call is not None and any(s.start_byte <= use.call.start_byte < s.end_byte for s in shadows):
            reason = (f"console.{use.method}: `{found.binding.split('.')[0]}` is a local name here, not the "
                      f"{'logger' if '.' not in found.binding else 'module'}; rewrite this call by hand")
        elif found.binding and any(start <= use.node.start_byte < end for start, end in found.early):
            # (a Node version check, `process.env.X = …` before the modules that read it: `logger.LoadOrder`)
            reason = f"console{'.' + use.method if use.method else ''} left as it is: {found.early_reason}"
        if reason is not None:
            made.append((use, Finding(INFO.id, source_file.path, *source_file.line_col(use.node.start_byte), reason)))
        else:
            made.append((use, _finding(source_file, use, found, service_name, pino, quote, shape, unkept, lost,
                                       context)))
    yield from _outer_calls_reported(made, source_file.data)


STREAMS = {"log": "stdout", "info": "stdout", "debug": "stdout", "error": "stderr", "warn": "stderr", "trace": "stderr"}


def _line_begun_before(call: Node, method: str) -> Node | None:
    """The `process.stdout.write(…)` (`process.stderr.write` before `console.error`, `warn`, `trace`:
    the stream the call wrote to) that is the statement right before the call's, in the same block,
    when its text is not shown to end in a line break (`process.stdout.write(name + ' | ')`): the
    console call ended the line it began; None otherwise."""
    statement = call.parent
    if statement is None or statement.type != "expression_statement":
        return None
    before = statement.prev_named_sibling
    while before is not None and before.type == "comment":
        before = before.prev_named_sibling
    written = before.named_children[0] if before is not None and before.type == "expression_statement" \
        and before.named_children else None
    if written is None or written.type != "call_expression" or \
            re.sub(r"\s+", "", _text(written.child_by_field_name("function"))) != f"process.{STREAMS[method]}.write":
        return None
    arguments = written.child_by_field_name("arguments")
    items = typescript.list_items(arguments) if arguments is not None else []
    return None if items and _ends_a_line(items[0]) else written


def _ends_a_line(node: Node) -> bool:
    """Whether text written is shown to end in a line break: a string or template literal that
    does (`'done\\n'`), a concatenation whose last part does, `os.EOL`."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "binary_expression":
        right = node.child_by_field_name("right")
        return right is not None and _ends_a_line(right)
    text = _text(node)
    if node.type == "string":
        return (typescript.string_value(node) or "").endswith(("\n", "\r"))
    if node.type == "template_string":
        return text.endswith(("\\n`", "\\r`", "\n`"))
    return text.endswith("EOL")


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
             pino: bool, quote: str, shape: tuple[str, str, tuple[str, ...] | None] = (STRUCTURED, "", None),
             unkept: tuple[str, int, str] | None = None, lost: tuple[str, int] | None = None,
             context: Context | None = None) -> Finding:
    line, col = source_file.line_col(use.node.start_byte)
    shown = f"console.{use.method}" if use.method else "console"

    def report(message: str) -> Finding:
        return Finding(INFO.id, source_file.path, line, col, message)

    name = found.binding or "logger"
    if use.method is None:
        return report(f"`{_text(use.node.parent)}` takes methods off the console: call the logger's "
                      f"methods (`{name}.info`, `{name}.error`) where they are used")
    if use.call is None:
        level = LEVELS.get(use.method, "info")
        forwarded = use.node.parent.parent if use.node.parent is not None else None  # `console.log.apply(…)`, `.call`
        how = _text(forwarded.child_by_field_name("property")) if forwarded is not None \
            and forwarded.type == "member_expression" else ""
        if how in ("apply", "call"):
            return report(f"{shown}.{how}(…) hands console.{use.method} its arguments: call the logger's `{level}` "
                          + (f"(`{found.binding}.{level}(…)`) " if found.binding else "")
                          + "by hand with one message" + (f" ({found.reason})" if not found.binding and found.reason else ""))
        value = "error" if level == "error" else "value"
        return report(f"{shown} used as a value: logger methods need their logger, so write "
                      f"`({value}) => {name}.{level}('…', {{ {value} }})` (or the like) here")
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
        # (what its package.json declares that it could log through: a workspace logger package, NestJS's Logger…)
        has = logger.declared_logger(source_file.repo, source_file.path) if found.reason == logger.NONE_IMPORTED else None
        # (what its code logs through that fixer does not call: consola, Fastify's `request.log`…)
        used = _logger_in_use(source_file, context) if found.reason == logger.NONE_IMPORTED and context else None
        if used is not None:
            return report(f"{shown}: no logger fixer can log through (no logger module is imported in this service): "
                          f"{used}" + (f"; what its package.json declares: {has}" if has is not None else ""))
        return report(f"{shown}: no logger fixer can log through ({found.reason})"
                      + (f"; what the service has: {has}" if has is not None else ""))
    if shape[0] == NEST:
        return report(f"{shown}: this file logs through {logger.NEST_LOGGER}, `{found.binding}`: call "
                      f"`{found.binding}.{NEST_METHODS.get(use.method, 'log')}(…)` by hand with one message (a second "
                      "string argument is Nest's context, not a value to print: put values in the message)")
    arguments_node = use.call.child_by_field_name("arguments")
    if arguments_node is not None and not typescript.list_items(arguments_node) and use.method != "trace":
        # `console.log()`: an empty line (`console.trace()` printed `Trace` and its stack)
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
    if shape[0] == ARGUMENTS:  # (log4js, tslog: the arguments as they are, printed as console printed them)
        if use.method == "trace":
            return report(f"{shown} left as it is: it printed the stack that led to it, which `{found.binding}` "
                          f"({shape[1]}) does not: rewrite it by hand, with the stack (`new Error().stack`) as an argument "
                          "or without it")
        if missing is not None:
            return missing
        edits = _callee_edits(source_file, use, found.binding, level, keep_undefined)
        items = typescript.list_items(arguments_node) if arguments_node is not None else []
        if shape[1].removeprefix("made by ").partition(",")[0] in _FORMAT_UNFILLED and len(items) > 1 \
                and _PRINTF_TOKEN.search(typescript.string_value(items[0]) or ""):
            edits += _as_one_message(source_file, use.call, quote) or []  # (`'User %s', name`: `` `User ${name}` ``)
        if found.edit is not None:
            edits.append(found.edit)
        return Finding(INFO.id, source_file.path, line, col, f"{shown} -> {found.binding}.{level} ({ARGUMENTS_KEPT})",
                       tuple(edits))
    if shape[0] != STRUCTURED:
        # a logger not known to take (message, meta): a call of one text argument keeps it as it is,
        # the message; anything else would lose the message or the values
        one = None
        if shape[0] in (ONE, TYPED, DROPS) and arguments_node is not None:
            # one text argument as it is, or a format whose values all print in one template literal
            one = [] if _one_text_argument(arguments_node) else _as_one_message(source_file, use.call, quote)
        if one is not None and use.method == "trace":  # (no meta to keep its stack in)
            return report(f"{shown} left as it is: it printed the stack that led to it, which `{found.binding}` "
                          f"({shape[1]}) has no meta to keep: rewrite it by hand, with the stack (`new Error().stack`) "
                          "in the message or without it")
        if one is not None:
            if missing is not None:
                return missing
            edits = [*_callee_edits(source_file, use, found.binding, level, keep_undefined), *one]
            if found.edit is not None:
                edits.append(found.edit)
            return Finding(INFO.id, source_file.path, line, col, f"{shown} -> {found.binding}.{level}", tuple(edits))
        if shape[0] == TAGGED:
            return report(f"{shown} left as it is: `{found.binding}` does not take winston's (message, meta), "
                          f"{shape[1]}; rewrite it by hand in that logger's own form")
        if shape[0] == DROPS:  # (values passed as meta would be lost: what console printed)
            return report(f"{shown} left as it is: `{found.binding}`'s {shape[1].removeprefix('its ')}, so the values "
                          "this call printed, passed as meta, would be lost: make the printf print them (`({ timestamp, "
                          "level, message, ...meta }) => …` with `meta`, an error's `stack`), then run fixer again or "
                          "rewrite the call by hand")
        if shape[0] == TYPED:  # (values passed as meta would not compile: TS2353)
            return report(f"{shown} left as it is: for `{found.binding}`, {shape[1]}, which the call's values would "
                          "not fit (TS2353): rewrite it by hand as one message (a template literal), or with only the "
                          "keys that type has")
        return report(f"{shown} left as it is: `{found.binding}` is not known to take winston's (message, meta) "
                      f"({shape[1]}), so only a call of one text argument is rewritten; rewrite this one by hand as "
                      "one message (a template literal), or, if it is winston's or pino's, say so in .fixer.toml (`[logger]` "
                      "with its `module`, `import` and `shape = \"winston\"` or `\"pino\"`)")
    if missing is not None:
        return missing
    try:
        arguments = logcall.arguments_edits(source_file, use.call, service, quote, pino, colour_bindings(source_file),
                                            bunyan=pino and bunyan_for(source_file, found),
                                            own_colours=own_colour_bindings(source_file)) \
            if use.method != "trace" or typescript.list_items(arguments_node) else []  # (`console.trace()`: 'Trace')
        if use.method == "trace":
            arguments = _with_caller_stack(source_file, use.call, arguments, pino, quote)
    except logcall.NotRewritten as reason:
        return report(f"{shown} left as it is: {reason}")
    if unkept is not None and _passes_an_error(source_file, arguments, arguments_node):
        # (winston's json prints an Error in meta as {}, and no format that keeps it can be added)
        path, at, why = unkept
        return report(f"{shown} left as it is: it would pass an error as meta, which `{found.binding}`'s format "
                      f"(its createLogger at {path}:{at}) prints as {{}} (message and stack lost), and fixer cannot "
                      f"add a format that keeps them there ({why}): add one that turns Error values in meta into "
                      "{ name, message, stack } (see `fixer show console-to-logger`, 'Errors in meta'), then run "
                      "fixer again or rewrite the call by hand")
    if lost is not None and _passes_an_error(source_file, arguments, arguments_node):
        # (a hand-written logger that writes meta with JSON.stringify: an Error prints as {})
        path, at = lost
        return report(f"{shown} left as it is: it would pass an error as meta, which `{found.binding}` writes with "
                      f"JSON.stringify ({path}:{at}), where an Error prints as {{}} (message and stack lost, which console "
                      "printed), and it is no winston logger fixer can add a format to: make it turn Error values in meta "
                      "into { name, message, stack } (`value instanceof Error`), then run fixer again, or rewrite the call "
                      "by hand with the error's stack (`errorStack: err.stack`)")
    edits = [*_callee_edits(source_file, use, found.binding, level, keep_undefined), *arguments]
    if found.edit is not None:
        edits.append(found.edit)
    kept = " (the stack it printed kept as meta, `new Error().stack`)" if use.method == "trace" else ""
    return Finding(INFO.id, source_file.path, line, col, f"{shown} -> {found.binding}.{level}{kept}", tuple(edits))


# logging libraries whose loggers fixer does not log through (not winston's (message, meta) nor pino's)
_OTHER_LIBRARY = re.compile(rb"""(?:\bfrom|\brequire\s*\(|\bimport)\s*['"](consola|tslog|loglevel|signale|npmlog|roarr|"""
                            rb"""log4js)(?:/[^'"]*)?['"]""")
# Fastify's logger (pino's, `Fastify({ logger: true })`): `request.log` in a route handler, `fastify.log` elsewhere
_FASTIFY_LOG = re.compile(rb"(?<![\w$.])(?:request|req|reply|fastify|app|server|instance)\s*\.\s*log\s*\."
                          rb"\s*(?:info|warn|error|debug|trace|fatal)\s*\(")
_TEST_PATH = re.compile(r"(^|/)(__tests__|__mocks__|tests?)/|[._-](test|spec)s?\.[^/]*$")
_FASTIFY_OPTION = re.compile(rb"\blogger\s*:\s*(?!false\b|null\b|undefined\b)[\w${]")


def _logger_in_use(source_file: SourceFile, context: Context) -> str | None:
    """What the code of the file's service logs through that fixer does not call, said with where
    and what to do (a file with no logger fixer can log through, none imported in its service): a
    logging library it imports (`import { consola } from 'consola'`: the file's own first, else the
    first of its service's), Fastify's logger (a `request.log.info(…)`, `fastify.log`, or the
    `logger` option of a Fastify app, in a service that declares fastify). None when none is seen.
    From the context (`_in_use`): a scan reads no other file, whose change would leave its cached
    result stale."""
    service = source_file.service
    scope = service.dir if service is not None else logger.package_of(source_file.repo, source_file.path)
    library, fastify = next(((library, fastify) for each, library, fastify in context.in_use if each == scope),
                            (None, None))
    own = _OTHER_LIBRARY.search(source_file.data)
    if own is not None:
        library = (own.group(1).decode(), source_file.path, source_file.line_col(own.start())[0])
    if library is not None:
        name, path, line = library
        return (f"this {'file' if path == source_file.path else 'service'} logs through `{name}` (imported at "
                f"{path}:{line}), which fixer does not log through (it knows winston's (message, meta) and pino's "
                f"order only): call it here by hand, or name a module that exports a winston or pino logger under "
                "[logger] in .fixer.toml")
    if fastify is not None:
        path, line = fastify
        return (f"this service logs through Fastify's logger (pino's: `request.log` in a route handler, `fastify.log` "
                f"elsewhere; as at {path}:{line}), which fixer does not call: call it here by hand, in pino's order "
                "(`request.log.info({ id }, 'fetched')`)")
    return None


_LIBRARY_NEEDLES = (b"consola", b"tslog", b"loglevel", b"signale", b"npmlog", b"roarr", b"log4js")


def _in_use_facts(source_file: SourceFile) -> tuple[tuple[str, int] | None, int | None, int | None]:
    """What a file shows of a logger fixer does not call, from its bytes: (library, line) of a logging library
    it imports (`_OTHER_LIBRARY`), the line of a call of Fastify's logger (`request.log.info(`), the line of a
    `logger:` option (a Fastify app's, where its service declares fastify); None where it shows none."""
    data = source_file.data
    library = _OTHER_LIBRARY.search(data) if any(needle in data for needle in _LIBRARY_NEEDLES) else None
    call = _FASTIFY_LOG.search(data) if b".log." in data else None
    option = _FASTIFY_OPTION.search(data) if b"fastify" in data else None
    line = lambda match: source_file.line_col(match.start())[0]  # noqa: E731
    return ((library.group(1).decode(), line(library)) if library else None, line(call) if call else None,
            line(option) if option else None)


IN_USE = FactsSpec("console-to-logger/in-use", _in_use_facts, CODE_KINDS,
                   _LIBRARY_NEEDLES + (b".log.", b"fastify"), version=1)


def _in_use(repo: Repo) -> tuple[tuple[str | None, tuple[str, str, int] | None, tuple[str, int] | None], ...]:
    """For each scope (a service's directory, else a package's) whose service code (no tests, scripts or build
    output) shows one: the first logging library fixer does not call that it imports, and the first sign of
    Fastify's logger (a call of it, else a `logger:` option) where the scope declares fastify (`_logger_in_use`)."""
    found: dict[str | None, list] = {}
    for path, facts in sorted(repo.facts_of(IN_USE).items()):
        if not facts or not any(facts) or logger.not_service_code(path) or _TEST_PATH.search(path):
            continue
        service = repo.service_for(path)
        scope = service.dir if service is not None else logger.package_of(repo, path)
        entry = found.setdefault(scope, [None, None, None])
        library, call, option = facts
        if entry[0] is None and library is not None:
            entry[0] = (library[0], path, library[1])
        if entry[1] is None and call is not None:
            entry[1] = (path, call)
        if entry[2] is None and option is not None:
            entry[2] = (path, option)
    return tuple((scope, library, (call or option) if scope is not None and logger.declares(repo, scope, "fastify")
                  else None) for scope, (library, call, option) in sorted(found.items(), key=lambda kv: str(kv[0])))


# meta keys for the stack `console.trace` printed, the first its meta does not have yet
STACK_KEYS = ("stack", "callStack", "traceStack")
_WINSTON_TOKEN = re.compile(r"%[scdjifoO%]")  # (winston's own: with one in the message, meta is not merged)


def _with_caller_stack(source_file: SourceFile, call: Node, edits: list[Edit], pino: bool, quote: str) -> list[Edit]:
    """`console.trace(…)` printed the stack that led to it, which a level method does not: the
    argument edits (`edits`, winston's or pino's order) with `stack: new Error().stack` added to the
    meta object they make (`{ x, stack: new Error().stack }`; its first frame is the call's line), or
    a meta object of it after the message (before it, pino's); under a key the meta does not use yet
    (`STACK_KEYS`). NotRewritten where that is not certain: a meta that spreads an object (any key),
    a message with a `%` token of winston's (it would not merge the meta), an unreadable result."""
    arguments = call.child_by_field_name("arguments")
    assert arguments is not None
    data, start, end = source_file.data, arguments.start_byte, arguments.end_byte
    edits = edit_ops.ordered(edits, len(data))
    if any(edit.start < start or edit.end > end for edit in edits):
        raise logcall.NotRewritten("it printed the stack that led to it, and fixer cannot add it to "
                                   "this call's meta: rewrite it by hand with `stack: new Error().stack` in its meta")
    # the rewritten argument list, and where each stretch of it comes from: (its start, its bytes,
    # the index of the edit whose text it is or None, where it starts in the file)
    rewritten, stretches, cursor = bytearray(), [], start
    for index, edit in enumerate([*edits, None]):
        until = edit.start if edit is not None else end
        stretches.append((len(rewritten), data[cursor:until], None, cursor))
        rewritten += data[cursor:until]
        if edit is not None:
            stretches.append((len(rewritten), edit.text.encode("utf-8"), index, edit.start))
            rewritten += edit.text.encode("utf-8")
            cursor = edit.end
    tree = typescript.parse(b"f" + bytes(rewritten), source_file.kind)
    statement = tree.root_node.named_children[0] if tree.root_node.named_children else None
    new_call = statement.named_children[0] if statement is not None and statement.named_children else None
    new_arguments = new_call.child_by_field_name("arguments") if new_call is not None \
        and new_call.type == "call_expression" else None
    if tree.root_node.has_error or new_arguments is None or new_arguments.end_byte != len(rewritten) + 1:
        raise logcall.NotRewritten("it printed the stack that led to it, and fixer cannot read the call "
                                   "it would make to add it: rewrite it by hand with `stack: new Error().stack` in its meta")
    items = typescript.list_items(new_arguments)
    objects = [item for item in items if item.type == "object"]
    meta = objects[0] if objects and (objects[0] is items[0] if pino else objects[0] is items[-1]) else None
    keys: set[str] = set()
    if meta is not None:
        properties = typescript.list_items(meta)
        if any(p.type not in ("pair", "shorthand_property_identifier") for p in properties):
            raise logcall.NotRewritten("it printed the stack that led to it, and its meta spreads an "
                                       "object (or has a method) whose keys fixer cannot see: rewrite it by hand with "
                                       "the stack, `new Error().stack`, under a key the meta does not use")
        keys = {_text(p.child_by_field_name("key") if p.type == "pair" else p).strip("'\"`") for p in properties}
    elif len(items) > 1 or any(item.type == "comment" for item in new_arguments.named_children):
        raise logcall.NotRewritten("it printed the stack that led to it, and fixer cannot see where "
                                   "this call's meta is: rewrite it by hand with `stack: new Error().stack` in its meta")
    elif items and not pino and items[0].type in ("string", "template_string") and _WINSTON_TOKEN.search(_text(items[0])):
        raise logcall.NotRewritten("it printed the stack that led to it, and winston would merge no meta "
                                   "into a message with a `%` token: rewrite it by hand without it")
    key = next((k for k in STACK_KEYS if k not in keys), None)
    if key is None:
        raise logcall.NotRewritten("it printed the stack that led to it, and its meta uses every key "
                                   "fixer would keep it under: rewrite it by hand")
    entry = f"{key}: new Error().stack"
    if meta is not None and typescript.list_items(meta):
        last = typescript.list_items(meta)[-1]
        at = last.end_byte - 1
        line_start = rewritten.rfind(b"\n", 0, last.start_byte - 1) + 1
        lead = bytes(rewritten[line_start:last.start_byte - 1])
        text = f",\n{lead.decode()}{entry}" if line_start and not lead.strip(b" \t") else f", {entry}"
    elif meta is not None:
        at, text = meta.start_byte, f" {entry} "  # (`{}`: after its brace)
    elif pino:
        at = items[0].start_byte - 1 if items else 1
        text = f"{{ {entry} }}, " if items else f"{{ {entry} }}, {quote}Trace{quote}"
    else:
        at = items[0].end_byte - 1 if items else 1
        text = f", {{ {entry} }}" if items else f"{quote}Trace{quote}, {{ {entry} }}"
    # at: where in the rewritten list; into the text of the edit there, else a new insertion
    for stretch_start, stretch, index, origin in stretches:
        if index is not None and stretch_start <= at <= stretch_start + len(stretch):
            old = edits[index]
            offset = at - stretch_start
            edits[index] = Edit(old.path, old.start, old.end,
                                (stretch[:offset] + text.encode("utf-8") + stretch[offset:]).decode("utf-8"))
            return edits
    for stretch_start, stretch, index, origin in stretches:
        if index is None and stretch_start <= at <= stretch_start + len(stretch):
            return [*edits, Edit(source_file.path, origin + at - stretch_start, origin + at - stretch_start, text)]
    raise logcall.NotRewritten("it printed the stack that led to it, and fixer cannot add it to this "
                               "call: rewrite it by hand with `stack: new Error().stack` in its meta")


def _as_one_message(source_file: SourceFile, call: Node, quote: str) -> list[Edit] | None:
    """The argument edits that make the call's arguments one message and nothing else (`'count %d
    for %s', n, id` -> `` `count ${n} for ${id}` ``: every value printed in a template literal),
    for a logger that takes one text argument; None when values would be left over as meta."""
    arguments = call.child_by_field_name("arguments")
    if arguments is None or len(typescript.list_items(arguments)) < 2:
        return None
    try:
        edits = logcall.arguments_edits(source_file, call, None, quote, False, colour_bindings(source_file))
    except logcall.NotRewritten:
        return None
    start, end = arguments.start_byte, arguments.end_byte
    if not edits or any(edit.start < start or edit.end > end for edit in edits):
        return None
    after = edit_ops.apply(source_file.data[start:end], [Edit(e.path, e.start - start, e.end - start, e.text) for e in edits])
    statement = typescript.parse(b"f" + after, source_file.kind).root_node.named_children[0]
    call = statement.named_children[0] if statement.type == "expression_statement" and statement.named_children else None
    rewritten = call.child_by_field_name("arguments") if call is not None and call.type == "call_expression" else None
    items = typescript.list_items(rewritten) if rewritten is not None else []
    return edits if len(items) == 1 and items[0].type in ("string", "template_string") else None


def _one_text_argument(arguments: Node) -> bool:
    """Whether the call passes one argument that the file shows is text: an error's `.stack`/`.message`,
    or a string expression (`logcall.string_expression`: a string, a template literal, a concatenation
    with one, `String(n)`, `n.toFixed(2)`, a name that holds a string)."""
    items = typescript.list_items(arguments)
    if len(items) != 1:
        return False
    node = items[0]
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "member_expression":
        return _text(node.child_by_field_name("property")) in ("stack", "message")
    return logcall.string_expression(node)


def logger_shape(source_file: SourceFile, found: logger.FileLogger, context: Context
                 ) -> tuple[str, str, tuple[str, ...] | None]:
    """(shape, why, methods) of the logger the file logs through: `logger.logger_shape`; a winston
    logger whose format prints no meta (`context.dropping`, its only formats) is DROPS: like ONE,
    it gets only the calls whose values all fit in one message."""
    shape = logger.logger_shape(source_file, found, dict(context.conventions), context.shapes)
    if shape[0] in (STRUCTURED, ONE, TAGGED) and found.binding is not None and not shape[1].startswith("[logger] shape"):
        # (what the library does decides: log4js prints `info('Server', 'started')` as console did, no tag)
        library = console_library(source_file, found, context)
        if library is not None:  # (log4js, tslog: their level methods take console's arguments)
            return ARGUMENTS, f"made by {library}, which prints its arguments as console does", \
                tuple(sorted(CONSOLE_LIBRARIES[library]))
    if shape[0] == STRUCTURED and found.binding is not None:
        dropping = _dropping_behind(source_file, found, context)
        if dropping is not None and dropping[3]:
            return DROPS, _printed_only(dropping), shape[2]
    return shape


# Logging libraries whose level methods take console's arguments and print them as console did (log4js
# formats them with util.format; tslog prints each, an Error with its message and stack): a console call
# keeps its arguments as they are. Their level methods.
CONSOLE_LIBRARIES = {
    "log4js": logger.LIBRARY_LEVELS["log4js"],
    "tslog": frozenset({"silly", "trace", "debug", "info", "warn", "error", "fatal"}),
    # consola formats its arguments with util.formatWithOptions, as console does (its `trace` is a level, no stack)
    "consola": frozenset({"fatal", "error", "warn", "log", "info", "success", "fail", "ready", "start", "box", "debug",
                          "trace", "verbose"}),
}
ARGUMENTS = "arguments"  # a logger of CONSOLE_LIBRARIES: `logger_shape`
# of those, the ones that do not fill in a printf-style format in their JSON output (tslog's `type: 'json'`
# prints `'User %s'` and the value apart): a format whose values all fit in one message becomes that message
_FORMAT_UNFILLED = frozenset({"tslog"})
_PRINTF_TOKEN = re.compile(r"%[sdifjoOc]")
_NEW_LOGGER = re.compile(rb"new\s+([A-Za-z_$][\w$]*)(?:\s*\.\s*([A-Za-z_$][\w$]*))?\s*(?:<[^<>()]*>\s*)?\(")


def console_library(source_file: SourceFile, found: logger.FileLogger, context: Context) -> str | None:
    """The library of CONSOLE_LIBRARIES that makes the file's logger: the value its module gives
    it (`module.exports = log4js.getLogger('payments')`, `export const log = new Logger({ type:
    'json' })` of tslog), or, made in the file, the value it declares it with; None otherwise."""
    if not context.any_console_library:
        return None
    repo = source_file.repo
    key = logger._logger_key(source_file, found, dict(context.conventions))
    if isinstance(key, tuple):
        module, name = key
        if module in CONSOLE_LIBRARIES:  # (`import { getLogger } from 'log4js'` made in place: below)
            return module if logger.library_factory(module, name) == module or \
                (module == "consola" and name in _CONSOLA_INSTANCE) else None
        memo = repo.derived.setdefault("console-to-logger/console-libraries", {})  # (one look per logger)
        if key not in memo:
            origin = logger._logger_origin(repo, module, name)
            memo[key] = _console_library_value(repo.read(origin[0]), origin[1]) \
                if origin is not None and origin[1] is not None else None
        return memo[key]
    if key is not None or not found.binding or "." in found.binding:
        return None
    value = dict(logger.top_level_declarators(source_file)).get(found.binding)
    return _console_library_value(source_file, (value.text or b"").lstrip()) if value is not None else None


def _console_libraries(repo: Repo, conventions: dict) -> tuple[tuple[tuple[str, str, str], ...], bool]:
    """(module, name, library) of each convention's logger a library of CONSOLE_LIBRARIES makes (the notes),
    and whether any file imports such a library (no logger's module is read again where none does)."""
    if not any(module in CONSOLE_LIBRARIES for modules in repo.facts_of(IMPORTED_MODULES).values() for module in modules):
        return (), False
    found = set()
    for convention in conventions.values():
        module = convention.target or convention.module
        origin = logger._logger_origin(repo, module, convention.imported)
        library = _console_library_value(repo.read(origin[0]), origin[1]) if origin is not None and origin[1] else None
        if library is not None:
            found.add((module, convention.imported, library))
    return tuple(sorted(found)), True


def _console_library_value(source_file: SourceFile | None, value: bytes) -> str | None:
    """The library of CONSOLE_LIBRARIES whose call makes `value` (an expression's text in
    `source_file`): `log4js.getLogger(…)` (`logger.library_making`), `new Logger(…)` of tslog."""
    if source_file is None or not value:
        return None
    if logger.library_making(source_file, value) == "log4js":
        return "log4js"
    made = _NEW_LOGGER.match(value) or _CONSOLA_VALUE.match(value)
    if made is None:
        return None
    local, member = made.group(1).decode(), (made.group(2) or b"").decode()
    seen = next((s for s in logger.imports_in(source_file, namespaces=True) if s.local == local), None)
    if seen is None or seen.module not in CONSOLE_LIBRARIES:
        return None
    if made.re is _CONSOLA_VALUE:
        return "consola" if seen.module == "consola" and _consola_logger(seen.imported, member, made.group(3) is not None) \
            else None
    exported = member if member and seen.imported in ("default", "*") else seen.imported if not member else None
    return seen.module if seen.module == "tslog" and exported == "Logger" else None


# consola's loggers: its instance (the default export, `consola`), a logger it makes (`createConsola({…})`),
# or one derived from its instance (`consola.withTag('api')`, `consola.create({…})`)
_CONSOLA_INSTANCE = frozenset({"default", "consola"})
_CONSOLA_DERIVED = frozenset({"create", "withTag", "withDefaults", "withScope"})


def _consola_logger(imported: str, member: str, called: bool) -> bool:
    """Whether `name.member(…)` (`called`; `name.member` else, `member` "" for `name` alone), `name`
    being consola's export `imported`, is a consola logger: its instance, `createConsola(…)`, or a
    logger derived from its instance (`consola.withTag('api')`)."""
    if imported == "*" and member:  # (`c.consola`, `c.createConsola(…)` of `import * as c from 'consola'`)
        imported, member = member, ""
    if imported in _CONSOLA_INSTANCE:
        return member in _CONSOLA_DERIVED if called else not member
    return imported == "createConsola" and called and not member


_CONSOLA_VALUE = re.compile(rb"([A-Za-z_$][\w$]*)(?:\s*\.\s*([A-Za-z_$][\w$]*))?\s*(?:(\()|(?=[ \t]*(?:[;,)\r\n]|$)))")


def _dropping_behind(source_file: SourceFile, found: logger.FileLogger | None, context: Context
                     ) -> tuple[str, int, tuple[str, ...], bool] | None:
    """Of `context.dropping`, the logger module the file logs through (`logger.implementations_behind`:
    its logger's module, else its service's, else any), the one that prints no meta at all first."""
    if not context.dropping:
        return None
    behind = _behind(source_file, found, context)
    chosen = [each for each in context.dropping if each[0] in behind]
    return min(chosen, key=lambda each: not each[3]) if chosen else None


def _behind(source_file: SourceFile, found: logger.FileLogger | None, context: Context) -> set[str]:
    """The logger modules the file logs through (`logger.implementations_behind`), each that
    creates no logger itself followed to those it imports that do (`context.made_in`)."""
    made_in = dict(context.made_in)
    behind = logger.implementations_behind(source_file.repo, source_file, dict(context.implementations), found)
    return {module for path in behind for module in made_in.get(path, (path,))}


def _errors_unkept_behind(source_file: SourceFile, found: logger.FileLogger, context: Context
                          ) -> tuple[str, int, str] | None:
    """Of `context.errors_unkept`, a winston logger module the file logs through: one that prints
    an Error passed as meta as {} and that fixer cannot give the format that keeps it."""
    if not context.errors_unkept or found.binding is None:
        return None
    behind = _behind(source_file, found, context)
    return next((each for each in context.errors_unkept if each[0] in behind), None)


def _errors_lost_behind(source_file: SourceFile, found: logger.FileLogger, context: Context) -> tuple[str, int] | None:
    """Of `context.errors_lost`, the hand-written logger module the file logs through, when it is
    the one logger module behind the file's logger (`_behind`)."""
    if not context.errors_lost or found.binding is None:
        return None
    behind = _behind(source_file, found, context)
    return next((each for each in context.errors_lost if {each[0]} == behind), None)


def _printed_only(dropping: tuple[str, int, tuple[str, ...], bool]) -> str:
    path, line, fields, _ = dropping
    return f"its format (`printf` at {path}:{line}) prints only {', '.join(fields) or 'its own text'}, no meta"


# Terminal colour libraries: their calls return the text they colour (`chalk.bold('Resources')`).
COLOUR_MODULES = frozenset({"chalk", "kleur", "kleur/colors", "colors", "colors/safe", "picocolors", "ansi-colors",
                            "cli-color", "colorette", "yoctocolors", "ansis", "@colors/colors", "@colors/colors/safe"})


def colour_bindings(source_file: SourceFile) -> frozenset[str]:
    """The names the file imports or requires a terminal colour library under (`chalk`, `pc`,
    `{ green }` of `kleur/colors`), so a call on one is known for a string by its binding."""
    return frozenset(seen.local for seen in logger.imports_in(source_file, namespaces=True)
                     if seen.module in COLOUR_MODULES)


# a module of the repository's own that colours text, by its name or the name it is imported under
# (`import chalk from './chalk'`, `const colors = require('../utils/colors')`)
_COLOUR_MODULE_NAME = re.compile(r"(?i)chalk|colou?rs?|kleur|picocolors|ansi[-_]?colou?rs|ansis|colorette|"
                                 r"cli[-_]?colou?r|yoctocolors|terminal[-_]?colou?rs?")


def own_colour_bindings(source_file: SourceFile) -> frozenset[str]:
    """The names the file imports or requires its own colour module under: a relative module named
    like a terminal colour library, or imported under such a name (`chalk` of `import chalk from
    './chalk'`, `{ green }` of `require('./colors')`), whose colour calls give their text
    (`logcall._own_colour_text`)."""
    found = set()
    for seen in logger.imports_in(source_file, namespaces=True):
        if not seen.module.startswith("."):
            continue
        stem = posixpath.basename(seen.module.rstrip("/"))
        stem = stem.split(".")[0] if stem not in (".", "..") else ""
        if stem == "index":
            stem = posixpath.basename(posixpath.dirname(seen.module))
        if _COLOUR_MODULE_NAME.fullmatch(stem) or _COLOUR_MODULE_NAME.fullmatch(seen.local):
            found.add(seen.local)
    return frozenset(found)


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
# functions and methods known to ignore what their callback returns: event handlers, timers, `forEach`,
# `server.listen`'s callback (a 'listening' handler), `.finally` (which passes its promise's value on)
_RESULT_IGNORED = frozenset({"forEach", "on", "once", "addListener", "prependListener", "prependOnceListener",
                             "addEventListener", "setTimeout", "setInterval", "setImmediate", "nextTick",
                             "queueMicrotask", "listen", "finally"})


def _value_used(call: Node) -> bool:
    """Whether the value of the console call can be used (so its type and value count): not when
    it is a statement, the right of `&&`/`||`/`??`, a branch of `?:` or a non-last part of
    `a, b` that is one, or the body of an arrow passed to a function known to ignore what its
    callback returns (`xs.forEach`, `.on(…)`, `setTimeout`, `server.listen`, `.finally`, `new
    Promise`'s executor); an arrow's value anywhere else may be read (a function's result its
    callers read, a callback of a function fixer knows nothing of: React's `useEffect` calls what
    its callback returns). A `.then`/`.catch` callback's value resolves its promise: used when the
    chain goes on with `.then(…)` (whose callback reads it) or the chain's value is used
    (`return p.catch((e) => console.error(e))`); an array method's callback's when the array made
    of it is (`const shown = xs.map((x) => console.log(x))`: `void[]`, and `.filter` keeps what its
    callback's value says); `.sort` reads it whatever becomes of its result."""
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
            if invoked is None:
                return True  # a function's value, an option's callback: whoever calls it may read what it returns
            name = _called_name(invoked)
            if name in _RESULT_IGNORED or (invoked.type == "new_expression" and name == "Promise"):
                return False
            if name not in _PROMISE_CHAIN and name not in _ARRAY_RESULT:
                return True  # a function fixer knows nothing of (or `.sort`) may read what its callback returns
            parent = invoked  # the promise the callback's value resolves, the array made of it
        elif kind == "member_expression" and parent.child_by_field_name("object") == node:
            invoked = parent.parent
            method = _text(parent.child_by_field_name("property"))
            if invoked is None or invoked.type != "call_expression" or invoked.child_by_field_name("function") != parent \
                    or method not in _PROMISE_CHAIN or method == "then":
                return True  # (`.then(next)`: its callback reads the value)
            parent = invoked  # p.then(…).catch(…): `.catch` and `.finally` pass the value on to the chain's
        else:
            return True
        node = parent


def _called_name(invoked: Node) -> str | None:
    """The name a call or `new` calls: `setTimeout` of `setTimeout(…)` and of `timers.setTimeout(…)`."""
    callee = invoked.child_by_field_name("function" if invoked.type == "call_expression" else "constructor")
    if callee is not None and callee.type == "member_expression":
        callee = callee.child_by_field_name("property")
    return _text(callee) if callee is not None and callee.type in ("identifier", "property_identifier") else None


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


# --- across files ------------------------------------------------------------------------


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """The logger module `[logger] create = true` adds, when some call is fixed through it;
    and a word on a logger whose format would drop the errors the new calls pass as meta."""
    yield from _errors_in_meta(repo, context, findings)
    outside = list(_configured_logger_outside_image(repo, context, findings))
    yield from outside
    yield from _undeclared_logger_package(repo, context, findings, {finding.path for finding in outside})
    if not context.create or not any(f.fixable for f in findings):
        return
    conventions = dict(context.conventions)
    for path, text in context.create:  # (each one a fixed call imports)
        if any(f.fixable and (convention := logger.convention_for(repo, f.path, conventions)) is not None
               and convention.target == path for f in findings):
            yield from _created(repo, path, text, path == conventions[None].target)


def _created(repo: Repo, path: str, text: str, shared: bool) -> Iterator[Finding]:
    """The new logger module, and a word when winston is not a dependency of the package that builds it."""
    what = "the shared winston logger module" if shared else \
        "the service's winston logger module (it has no logger it can import: none its image holds, or another " \
        "service's private module)"
    yield Finding(INFO.id, path, 1, 1, f"adds {what} ([logger] create = true)", (NewFile(path, text),))
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


def _configured_logger_outside_image(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """A word per service whose calls are fixed through the logger `[logger] module` names, as told, when
    an image of the service does not hold it (`logger.configured_outside_image`: the check that keeps the
    inferred logger out of such a service, `logger.unreachable_reason`), at its package.json (else at its
    first fixed call): the import would fail with `Cannot find module` in the container."""
    conventions = dict(context.conventions)
    configured = conventions.get(None) if repo.config.logger.get("module") else None
    if configured is None:
        return
    seen: set[str | None] = set()
    for finding in findings:
        service = repo.service_for(finding.path)
        directory = service.dir if service is not None else None
        if not finding.fixable or directory in seen or logger.convention_for(repo, finding.path, conventions) != configured \
                or not any(isinstance(change, Edit) and re.search(rf"(?<![\w$.]){re.escape(configured.local)}(?![\w$])",
                                                                  change.text) for change in finding.changes):
            continue  # (not a call fixed through it: an empty line removed)
        seen.add(directory)
        reason = logger.configured_outside_image(repo, finding.path, configured)
        if reason is None:
            continue
        own = logger.package_of(repo, finding.path)
        manifest = (f"{own}/package.json" if own else "package.json") if own is not None else None
        if manifest is not None and directory and manifest.startswith(directory + "/"):
            yield Finding(INFO.id, manifest, 1, 1, reason)
        else:
            yield Finding(INFO.id, finding.path, finding.line, finding.col, reason)


def _undeclared_logger_package(repo: Repo, context: Context, findings: list[Finding],
                               reported: frozenset[str] | set[str] = frozenset()) -> Iterator[Finding]:
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
                        and not (logger.declares(repo, own, package) if _nested_package(repo, own) is not None
                                 else logger.declared_above(repo, finding.path, package)):  # (in its image's context)
                    new.setdefault((own, package))
    for own, package in new:
        nested = _nested_package(repo, own)
        if nested is not None:  # (a package of its own: what a package above declares is not its install's)
            manifest = f"{own}/package.json"
            relative = posixpath.relpath(named[package] or ".", own)
            yield Finding(INFO.id, manifest, 1, 1,
                          f"{own} now imports its logger from `{package}`, which its package.json does not declare: it "
                          f"is a package of its own inside {nested} (no workspace member), which finds it only up the "
                          f"tree, through {nested}'s or the root's node_modules; installed or copied out alone (a "
                          "template, a sample app) it fails with `Cannot find module`: declare it by hand "
                          f"(`\"{package}\": \"file:{relative}\"`, or make the package a workspace member), or, if it is "
                          "not the service's code, leave its files alone (the `skip-scripts` globs) and rerun fixer")
            continue
        importers = [directory for directory, convention in context.conventions if directory is not None
                     and logger.package_name(convention.module) == package and not convention.module.startswith(".")]
        if any(not logger.declares(repo, directory, package) for directory in importers if directory in repo.packages):
            continue  # the services that import it do without declaring it: the workspace's hoisting is the way
        manifest = f"{own}/package.json" if own else "package.json"
        # (never `npm install <name>`: npm looks the name up in the registry, which may hold a public package so
        # named; a range the workspace package's version satisfies makes npm and yarn link it instead)
        version = (repo.packages.get(named[package]) or {}).get("version")
        spec = f"^{version}" if isinstance(version, str) and re.fullmatch(r"\d+\.\d+\.\d+", version) else "*"
        outside = logger.outside_image(repo, manifest, logger.LoggerImport(package, "logger", "logger"))
        if outside is not None and manifest in reported:
            continue  # (`[logger] module` names it: said by `_configured_logger_outside_image`)
        if outside is not None:  # (no declaration puts it in the image)
            yield Finding(INFO.id, manifest, 1, 1,
                          f"{own or 'the root package'} now imports its logger from `{package}`, which its package.json "
                          f"does not declare, and its image is built from a directory that does not hold {outside}: "
                          "the import fails with `Cannot find module` in the container, and declaring "
                          f"it would make the image's install fetch a registry package of that name, not the workspace's: "
                          "build the image from the repository root, or log through a logger module inside the service")
            continue
        yield Finding(INFO.id, manifest, 1, 1,
                      f"{own or 'the root package'} now imports its logger from `{package}`, "
                      f"which its package.json does not declare: add `\"{package}\": \"{spec}\"` to its dependencies "
                      f"by hand (the workspace package's version: npm and yarn link {named[package]}; not `npm install "
                      f"{package}`, which looks the name up in the registry) and run the install at the root — npm and "
                      "yarn link workspace packages into the root's node_modules, so it resolves there, but a build of this "
                      "package alone (its Dockerfile's install, `turbo prune`) would not find it")


def _nested_package(repo: Repo, directory: str) -> str | None:
    """The package a package of its own is nested in: `directory` holds a package.json with a name,
    below another package's directory that is not the root (pm2's templates/sample-apps/http-server
    inside the service), and is no workspace member (the root's install does not install it); None
    otherwise. Its own install is what it gets: what a package above it declares is not."""
    manifest = repo.packages.get(directory) or {}
    if not directory or not isinstance(manifest.get("name"), str) or not manifest.get("name") \
            or directory in logger.workspace_packages(repo).values():
        return None
    above = posixpath.dirname(directory)
    while above and above not in repo.packages:
        above = posixpath.dirname(above)
    return above or None


ARGUMENTS_KEPT = "its arguments as they are: its logger prints them as console did"
ERROR_META = re.compile(r"(^|(?<!\$)\{|,)\s*['\"]?(error|err)\b")  # (not `${err}` in a template)


def _new_call_passes_an_error(repo: Repo, finding: Finding) -> bool:
    """Whether the call a finding makes passes an error as meta (`_meta_holds_an_error`)."""
    source_file = repo.read(finding.path) if finding.changes else None
    return source_file is not None and source_file.kind in CODE_KINDS and \
        _meta_holds_an_error(source_file.kind, _new_call_text(source_file, finding))


def _new_call_text(source_file: SourceFile, finding: Finding) -> str:
    """The text a finding's call becomes: its edits from the call's line on applied over the call's
    whole span, from where the finding points (the call's `console`) to its closing parenthesis
    (`_call_end`), so the values the edits leave as they are count too (`{ error: err }` logged as
    it is); an import the finding adds goes above the call and is left out."""
    edits = [c for c in finding.changes if isinstance(c, Edit) and c.path == finding.path
             and source_file.line_col(c.start)[0] >= finding.line]
    if not edits:
        return ""
    start, end = source_file.text.line_span(finding.line)
    line = source_file.data[start:end]
    if finding.line == 1 and line.startswith(BOM):
        start, line = start + len(BOM), line[len(BOM):]
    at = start + len(line.decode("utf-8", "replace")[: finding.col - 1].encode("utf-8"))
    return _edited_text(source_file, edits, at, _call_end(source_file, at))


def _call_end(source_file: SourceFile, start: int) -> int | None:
    """The end of the call that starts at `start` (after its closing parenthesis), read from the
    bytes alone (no parse of the file: `finish` reads findings a cached scan made). Where only quoted
    strings stand among its parentheses, the `)` that closes all those opened since `start` and is
    not followed by more of the expression (`.`, `?.`, `(`, `[`: `(console as any).log(x)`); past a
    template literal or a `/` (a comment, a regular expression), the first `)` up to which the text
    parses as one call. None when none does within 64 tries."""
    data, at, depth = source_file.data, start, 0
    limit = min(len(data), start + 20_000)
    for token in _CALL_TOKEN.finditer(data, start, limit):
        text, at = token.group(), token.end()
        if text == b"(":
            depth += 1
        elif text == b")":
            depth -= 1
            if depth == 0 and not _CHAIN_GOES_ON.match(data, at):
                return at
        elif len(text) == 1:  # (a template literal, a `/`, a quote left open: not plain code)
            break
    else:
        return None
    for _ in range(64):
        close = data.find(b")", at, limit)
        if close < 0:
            return None
        at = close + 1
        root = typescript.parse(data[start:at], source_file.kind).root_node
        statement = root.named_children[0] if len(root.named_children) == 1 and not root.has_error else None
        if statement is not None and statement.type == "expression_statement" and statement.named_children \
                and statement.named_children[0].type == "call_expression" \
                and statement.named_children[0].end_byte == at - start:
            return at
    return None


# a parenthesis, a whole quoted string on one line, or what `_call_end` does not read as plain code
_CALL_TOKEN = re.compile(rb"""[()`/]|'(?:[^'\\\r\n]|\\[^\r\n])*'|"(?:[^"\\\r\n]|\\[^\r\n])*"|['"]""")
_CHAIN_GOES_ON = re.compile(rb"\s*(?:\.|\?\.|\(|\[|`)")


def _edited_text(source_file: SourceFile, edits: list[Edit], start: int | None = None, end: int | None = None) -> str:
    """The text the span from `start` to `end` (at least the span `edits` cover) becomes, with them
    applied ("" for no span, or one too long)."""
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    starts = [at for at in (start, *(e.start for e in edits[:1])) if at is not None]
    ends = [at for at in (end, *(e.end for e in edits)) if at is not None]
    if not starts or not ends:
        return ""
    start, end = min(starts), max(ends)
    if end - start > 20_000:
        return ""
    text = edit_ops.apply(source_file.data[start:end], [Edit(e.path, e.start - start, e.end - start, e.text) for e in edits])
    return text.decode("utf-8", "replace")


def _passes_an_error(source_file: SourceFile, edits: list[Edit], arguments: Node) -> bool:
    """Whether the argument list `arguments` becomes, with `edits` applied, one that passes an
    error as meta (`_meta_holds_an_error`)."""
    return _meta_holds_an_error(source_file.kind, "f" + _edited_text(source_file, edits, arguments.start_byte,
                                                                     arguments.end_byte))


def _meta_holds_an_error(kind: str, text: str) -> bool:
    """Whether a new call's text (`logger.error('failed', { error: err })`) passes an error as
    meta: an object literal among its arguments has an `error` or `err` key of its own (the keys
    console-to-logger puts an error under; not a word of the message, nor `${err}` in a template)."""
    if not ERROR_META.search(text):
        return False
    root = typescript.parse(text.encode("utf-8"), kind).root_node
    for call in typescript.descendants(root, "call_expression"):  # (the call, and any the text holds)
        arguments = call.child_by_field_name("arguments")
        for item in typescript.list_items(arguments) if arguments is not None and arguments.type == "arguments" else []:
            for entry in typescript.list_items(item) if item.type == "object" else []:
                key = entry.child_by_field_name("key") if entry.type == "pair" else entry
                if entry.type in ("pair", "shorthand_property_identifier") and key is not None \
                        and typescript.key_name(key) in ("error", "err"):
                    return True
    return False


SERIALIZES_ERRORS = re.compile(rb"instanceof\s+Error|serialize-?error|serializeError|errorsInMeta")


def _errors_in_meta(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """winston's json format prints an Error nested in meta as `{}`: message and stack gone,
    where console.error printed both. The logger module the new calls that pass one go through
    gets a format that keeps them (`logger.errors_in_meta_edits`), in the same branch; where
    that is not certain (`context.errors_unkept`) such calls were reported, and the logger is
    told what to add. A printf that prints no meta is told at the printf."""
    if context.pino:
        return
    passing: set[str] = set()
    for finding in findings:  # (a file's other calls need not be read once one passes an error)
        if finding.fixable and finding.path not in passing and ARGUMENTS_KEPT not in finding.message \
                and _new_call_passes_an_error(repo, finding):
            passing.add(finding.path)
    if not passing:
        return
    # the winston loggers those files log through: those their logger comes from (its module, what
    # that imports, its workspace package's), else their service's own, else any (`implementations_behind`;
    # a pino logger is never told: its calls put errors under `err`, which pino serializes); a module
    # that creates none itself (a factory's product, a re-export) followed to those that do (`made_in`)
    implementations = {path for path, _ in context.implementations}
    candidates = implementations  # (an entry that makes its logger in place too: `_entries_making_a_logger`)
    if len(candidates) <= 1:
        through = candidates  # (one logger to tell: no file is read and parsed again to find which it uses)
    else:
        through = set()
        for file_path in passing:  # (what each file's logger comes from, read from its head: no parse again)
            through |= set(logger.implementations_behind(repo, file_path, implementations, heads_only=True))
    made_in = dict(context.made_in)
    through = {module for path in through for module in made_in.get(path, (path,))}
    fields_first = {path for path, pino in context.implementations if pino}  # (pino's, bunyan's: `err` is serialized)
    dropping = {each[0]: each for each in context.dropping}
    unkept = {each[0]: each for each in context.errors_unkept}
    for path in sorted(implementations):
        if path not in through or path in fields_first:
            continue
        source_file = repo.read(path)
        create = logger.CALLS_CREATE_LOGGER.search(source_file.data) if source_file is not None else None
        if create is None:
            continue
        line = source_file.line_col(create.start())[0]
        if path in dropping:  # (a format of it prints no meta at all: `{}` is not what it prints)
            _, at, fields, only = dropping[path]
            yield Finding(INFO.id, path, at, 1,
                          f"the new logger calls pass errors as meta ({{ error }}), which this logger's printf format "
                          f"(line {at}) does not print: it prints only {', '.join(fields) or 'its own text'} (message and "
                          "stack lost where it is used): add the rest to it (`({ timestamp, level, message, ...meta }) => "
                          "…` printing `meta`, with Error values as their stack)")
            if only:
                continue
        if SERIALIZES_ERRORS.search(source_file.data):
            continue
        edits, why = logger.errors_in_meta_edits(source_file) if path not in unkept else ((), unkept[path][2])
        if edits and not _edits_meet(edits, [f for f in findings if f.fixable]):
            yield Finding(INFO.id, path, line, 1,
                          "the new logger calls pass errors as meta ({ error }), which this logger's format printed as "
                          "{} (message and stack lost): adds a format, `errorsInMeta`, that turns Error values in meta "
                          "into { name, message, stack } (and keeps their own fields, `code`)", edits)
            continue
        yield Finding(INFO.id, path, line, 1,
                      "the new logger calls pass errors as meta ({ error }), which this logger's format prints as {} "
                      f"(message and stack lost){f' and fixer cannot add a format here ({why})' if why else ''}: add a "
                      "format that turns Error values in meta into { name, message, stack } (see `fixer show "
                      "console-to-logger`, 'Errors in meta')")


def _edits_meet(edits: tuple[Edit, ...], findings: list[Finding]) -> bool:
    """Whether an edit of a finding touches or meets one of `edits` (an entry point that makes its
    logger in place has its own console calls rewritten: two edits at one place would collide)."""
    return any(isinstance(c, Edit) and c.path == e.path and c.start <= e.end and e.start <= c.end
               for f in findings for c in f.changes for e in edits)
