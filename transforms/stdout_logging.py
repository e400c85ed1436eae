"""Remove file log transports: winston `File`/rotate-file transports and pino file destinations.

## What it does

Finds every place a logger writes to a file — winston `new winston.transports.File(…)`
and `new transports.File(…)`, also under a local name (`const { File } = winston.transports`,
`const { File: FileTransport } = require('winston').transports`,
`const FileTransport = winston.transports.File`, `const { transports: { File } } = require('winston')`)
or with `transports` itself renamed (`import { transports
as t } from 'winston'`, `const { transports: t } = require('winston')`, `const t = winston.transports`,
also after `import winston = require('winston')`: `new t.File(…)`), `winston-daily-rotate-file` (`new DailyRotateFile(…)`,
`new winston.transports.DailyRotateFile(…)`, also through TypeScript's casts:
`new (winston.transports as any).DailyRotateFile(…)`, `(<any>winston.transports).File`), pino `pino.destination('logs/…')`,
`pino.transport({ target: 'pino/file', … })` and `transport: { target: 'pino/file' }`
objects with a file destination, the rolling targets (`{ target: 'pino-roll', options: { file } }`,
`@vrbo/pino-rotating-file`) and `pino-pretty` with a file destination, a file stream given to pino
(rotating-file-stream's `createStream(…)`, `fs.createWriteStream(…)`: its destination or a
`pino.multistream` stream), a winston `Stream` transport fed a file stream (`new
winston.transports.Stream({ stream: fs.createWriteStream('error.log', { flags: 'a' }) })`,
`createWriteStream` imported from `fs`/`node:fs`, rotating-file-stream's `createStream(…)`, or a
variable of the module holding one, which goes with it; one whose stream is exported, used for
anything else, opened in a function or picked by an expression is reported; a `Stream` on
`process.stdout`/`process.stderr` is a stdout transport, like a Console) — and removes it, wherever it sits: in a `transports`
array, in a conditional spread (`...(isProd ? [file, file] : [])` goes whole when only
files remain in it), in `logger.add(…)`, `transports.push(…)` and
`logger.exceptions.handle(…)` calls (an `if` whose only statements those were goes too, its
`else` too when that empties as well),
in `exceptionHandlers` / `rejectionHandlers`, in a variable that one of those uses,
or as pino's second argument. Such a call that is a whole branch of an `if … else`
attaches a Console transport instead when the other branch attaches one
(`if (logFile) transports.push(file); else transports.push(console)`), and otherwise
becomes `{}`; a call in a loop (`for`, `forEach`: once per configured target) is reported.

A Console transport stays where there was one; a `transports`, `exceptionHandlers` or
`rejectionHandlers` array that would be left empty gets `new winston.transports.Console()`
(spelled as the file names the transports: `new t.Console()`; a name the new transport uses stays).
Every logger that loses a file transport keeps a transport on every path that creates it. Where
the removal would leave one without any on some path — a logger created without transports that
only gets files added (`logger.add(new File(…))`, a transport held in a variable, under an `if`,
`if … else` branches adding different numbers of files), a list that starts empty and gets only
files pushed onto it (`const transports = []`, then `if (isProd) transports.push(file)`) — its
Console transport goes where it is created: `transports: [new winston.transports.Console()]` added
to its options (`createLogger()` gets `{ transports: […] }`), its `transports: []` or the empty list
given to it filled (`const transports = [new winston.transports.Console()]`), and the file
transports just go, so it logs to stdout in production and in development alike. Where fixer
cannot see that creation (options spread in or passed as a variable, winston's default logger
`winston.add(…)`, a logger passed in as a parameter or imported from another file), or the list is
also its `exceptionHandlers` (a Console shared with `transports` logs every uncaught exception
twice), the file transports are reported, never removed leaving a logger that logs nowhere. A
logger cleared before the files are added (`logger.clear()`, then a Console only `if
(!options.disableConsoleLogging)`, then the files) keeps there only what is added after the
`clear()`: what it was created with does not count on those paths.
The logger ends with exactly one Console transport on every path: when the file attaches one
elsewhere (`logger.add(…)`, `transports.push(…)`, maybe under an `if`), the file transports
go without a new one (`transports: []`), and an `if` without `else` that adds that Console
gets an `else` adding `new winston.transports.Console()` (winston's README logger: a Console in
development only, files otherwise); a file where that is not enough is left alone and reported, and so
is one that would get a Console while a file importing it adds one (`logger.add(new
winston.transports.Console())` in index.js: every line would be logged twice).
A list of pino targets left empty on one path only (`targets: isProd ? [roll, roll] : [pretty]`)
gets one stdout target there, `{ target: 'pino/file', level, options: { destination: 1 } }`, with the
lowest level the removed files had (pino's default `info` when they had none; the configured
`level: logLevel` beside an `error`-only file); file targets whose levels fixer cannot order
(two variables, a variable beside `debug`) are reported.
pino targets pushed onto a list (`targets.push({ target: 'pino/file', … })`, one per `case` of a
`switch` on the configured transport) are held to the same rule: the file target goes only when
another target stays on every path that had it, else it is reported (never a `case 'file':` that
logs nowhere).
What only the removed transports used goes with them: variables (`fileFormat`,
`logDir`), imports (`import DailyRotateFile from 'winston-daily-rotate-file'`, a bare
`require('winston-daily-rotate-file')`, `path` or `fs` when nothing else uses them) and
the statements that create the log directory (`fs.mkdirSync('logs', …)`, with the
`if (!fs.existsSync(…))` around it; an `if … else` whose other branches hold only comment lines goes
whole, its comments with it, unless such a branch's condition calls or assigns something). Commas, the comment lines above a removed element
and a comment at the end of its line go too; tabs, CRLF and the list's own
trailing-comma style are kept. A rotate-file package that no file uses any more is
reported in its package.json (fixer does not edit dependencies: run `npm uninstall`).

log4js file appenders (`{ type: 'file' | 'dateFile' | 'fileSync' | 'multiFile' }` with their
`filename`, `base` for `multiFile`) in a `log4js.configure({ … })` object (`configure` imported
from log4js too, or a module-level `const config = { … }` passed to it) are held to the same rule:
each goes from `appenders` and from every category's `appenders` list that names it, with a filter
that only fed it (`{ type: 'logLevelFilter', appender: 'errorFile' }`); a category left with no
appender gets the stdout appender the configuration has (`{ type: 'stdout' }` or `console`), and when
it has none, `out: { type: 'stdout' }` takes the first removed appender's place (log4js's `stdout`
appender writes to `process.stdout`). A configuration that is not plain — `appenders` or `categories`
spread in or built in code, a category whose list is a variable or an expression, a filter naming its
appender by an expression, a file appender outside a `configure` object of the file — is reported.

bunyan file streams (`{ level: 'error', path: '/var/log/app-error.log' }`, `{ type: 'rotating-file', path,
period }`, a raw `new bunyan.RotatingFileStream({ path })` or `fs.createWriteStream(…)`) in a `streams` list
written in `bunyan.createLogger({ … })` (`createLogger` imported from bunyan too) are held to the same rule:
they leave the list when a `{ stream: process.stdout }` (or `process.stderr`) stream of it stays whose level
is no higher than theirs (a stream without a level has the logger's, `info` when it has none), so every line
they got still reaches stdout; a list of file streams only gets `{ stream: process.stdout }` in the first
one's place, at their lowest level. A list held in a variable, a stdout stream of a higher level, levels
fixer cannot order (`level: process.env.LOG_LEVEL`), a stream added later (`log.addStream({ path })`) or a
logger's one `stream` opened on a file is reported.

A file transport production never attaches is a developer's convenience, not the defect: under
`if (process.env.NODE_ENV !== 'production')`, `isDev &&`, a ternary's development branch, or after
an `if (!shouldAttachDevLog()) return;` whose function returns `NODE_ENV !== 'production'` (read with
NODE_ENV=production and no other variable set; a condition an opt-in variable decides whatever NODE_ENV
says, `if (process.env.LOG_FILE)`, is no environment test). When every file transport of a file is such
a one, they are left as they are, with a note (severity info) that names the condition and any
variable that turns the file on in production anyway; beside a file transport production writes, they
go with it (the `if … else` holding both goes whole), and one fixer cannot remove (attached to a
logger passed in) gets the same note, not a report.

A logger whose output an environment variable chooses is reported where an env file production may
read chooses a file (jet-logger's `JET_LOGGER_MODE=file`, as express-generator-typescript's
`config/.env.production` has it: set `JET_LOGGER_MODE=console`), not changed: the value production runs
with may come from elsewhere (its own env file, the orchestrator). Env files only development or tests
read (`.env.development`, `.env.test`, `.env.local`) are left alone.

A file transport fixer cannot remove cleanly (used in a place it does not recognise,
exported, passed to a function, added in a chain `logger.add(a).add(b)`) is reported with what to do, never half-removed (and a
file whose edits would not parse again is never written: the engine refuses it and says
so). Blank lines around a
removed statement are collapsed to the longer of the runs above and below it (none at the end
of the file).

## Why

The audit (Section 2, "File Logging Writes to Local Filesystem") found the shared
logger writing `logs/error.log`, `logs/combined.log`, `logs/exceptions.log` and
`logs/rejections.log` inside containers in production: the logs die with the
container, fill its disk, and never reach the log aggregation that reads stdout. In a
container, stdout/stderr is the log stream.

## Example

```diff
   transports: [
     new winston.transports.Console({
       format: consoleFormat,
     }),
-    ...(process.env.NODE_ENV === "production"
-      ? [
-          new winston.transports.File({
-            filename: "logs/error.log",
-            level: "error",
-            format: fileFormat,
-          }),
-        ]
-      : []),
   ],
```

and in a CommonJS service:

```diff
-if (isProduction) {
-    logger.add(new winston.transports.File({ filename: 'logs/student-service.log' }));
-}
-
 module.exports = logger;
```

## Fix safety

Safe. Only file sinks and code that nothing but them used are removed; every log line
they received also goes to the Console transport that stays (or is added), so nothing
is lost that the container runtime does not collect. Log files on hosts that read them
(a sidecar tailing `logs/`) stop growing: point that collector at the container's
stdout.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from fixer import edits as edit_ops
from fixer import logger as logger_mod
from fixer.model import Edit, Finding, FixInfo
from fixer.parsing import envfile
from fixer.parsing import typescript as ts
from fixer.parsing.typescript import Node, node_text as _text
from fixer.repo import CODE_KINDS, FactsSpec, Repo, SourceFile
from transforms.secrets import is_dev_only

INFO = FixInfo(
    id="stdout-logging",
    title="Log to stdout only",
    audit="Fix 7",
    week=2,
    order=8,
    severity="medium",
    safety="safe",
    version=15,  # 15: transports behind TypeScript casts (typescript.path_text); 14: sink labels from the tree (a whole first argument, shortened); 13: bunyan file streams (streams: [{ path }], rotating-file, addStream); 12: no workspace logger a service's image cannot hold; 11: env files production reads that set a file mode (jet-logger JET_LOGGER_MODE=file) reported; 10: a whole import goes when all its names do (over rounds), an if/else left holding only comments goes; 9: log4js file appenders; 8: winston Stream transports on a file stream are file transports, Streams on stdout count, `logger.clear()` drops what a logger was created with; 7: file transports attached outside production only are noted, not removed; 6: pino-roll and other pino file targets, file streams given to pino; 5: Console transports held in variables count; 2: transports attached in loops, Consoles added from other files; 3: emptied pushed-onto lists;
    # 4: a Console where a logger without transports is created, or a report (never a logger that logs nowhere)
    kinds=frozenset({"ts", "tsx", "js", "env"}),
    prefilter=(b"File(", b"File:", b"transports.File", b"daily-rotate-file", b"pino/file", b"destination(", b"pino-roll",
               b"pino-rotating-file", b"pino-pretty",
               b"rotating-file-stream", b"createWriteStream(", b"log4js", b"JET_LOGGER_MODE", b"bunyan"),
)

ROTATE_MODULES = ("winston-daily-rotate-file", "rotating-file-stream", "file-stream-rotator", "pino-roll")
WINSTON_FILE = re.compile(r"^(?:(?P<ns>(?:[\w$]+\.)?transports)\.)(?:File|DailyRotateFile)$")
WINSTON_STREAM = re.compile(r"^(?:(?P<ns>(?:[\w$]+\.)?transports)\.)Stream$")
WINSTON_CONSOLE = re.compile(r"^(?:(?:[\w$]+|require\(\s*['\"]winston['\"]\s*\))\.)?transports\.Console$")
WINSTON_TRANSPORTS = re.compile(r"^(?:(?:[\w$]+|require\(\s*['\"]winston['\"]\s*\))\.)?transports$")
HANDLER_KEYS = frozenset({"transports", "exceptionHandlers", "rejectionHandlers"})
ATTACH_METHODS = frozenset({"add", "push", "unshift", "handle"})
STDOUT_DESTINATIONS = frozenset({"1", "2", "process.stdout.fd", "process.stderr.fd", "'/dev/stdout'", '"/dev/stdout"',
                                 "'/dev/stderr'", '"/dev/stderr"'})
STATEMENT_LISTS = frozenset({"program", "statement_block", "switch_case", "switch_default"})
MKDIR = re.compile(r"^(?:[\w$.]+\.)?(?:mkdirSync|mkdir|ensureDirSync|ensureDir|mkdirpSync)$|^mkdirp(?:\.sync)?$")


@dataclass
class Sink:
    node: Node
    label: str  # what it writes to, for messages
    why: str | None = None  # why it is reported rather than removed (a shape fixer does not rewrite)


@dataclass
class Removal:
    """Everything one file loses, collected before any edit is made."""

    source_file: SourceFile
    console: str | None  # `new winston.transports.Console()` in this file's spelling
    groups: dict[int, tuple[Node, list[Node]]] = field(default_factory=dict)  # list id -> (list, elements)
    deletions: list[tuple[int, int]] = field(default_factory=list)
    replacements: list[tuple[int, int, str]] = field(default_factory=list)
    unresolved: dict[int, str] = field(default_factory=dict)  # node id -> why it stays
    swapped: set[int] = field(default_factory=set)  # sinks replaced by a Console transport
    add_console: bool = True  # False: an emptied `transports` gets `[]`, a Console elsewhere serves
    added: list[Node] = field(default_factory=list)  # nodes replaced by (or by a list of) a Console transport
    insertions: list[tuple[int, str, Node]] = field(default_factory=list)  # `else` branches adding a Console
    else_added: list[tuple[str, tuple[tuple[int, str], ...]]] = field(default_factory=list)  # (target, guard)
    at_creation: frozenset[str] = frozenset()  # loggers whose Console transport goes where they are created
    created: list[tuple[int, str]] = field(default_factory=list)  # (offset, text): those Console transports

    @property
    def data(self) -> bytes:
        return self.source_file.data


# --- Console transports added from other files -----------------------------------------

CONSOLE_ADDED = re.compile(rb"\.add\(\s*new\s+[\w$.]*Console\b")
RELATIVE_IMPORT = re.compile(rb"""(?:\brequire\(\s*|\bfrom\s+|\bimport\(\s*)['"](\.[^'"]*)['"]""")


@dataclass(frozen=True)
class Context:
    # module -> a file importing it that adds a Console transport (`logger.add(new winston.transports.Console())`)
    console_added: tuple[tuple[str, str], ...] = ()


def _console_adders(source_file: SourceFile) -> tuple[str, ...]:
    """The relative modules a file imports, when it adds a Console transport to something
    (`logger.add(new winston.transports.Console(…))`); none otherwise. From its bytes."""
    if not CONSOLE_ADDED.search(source_file.data):
        return ()
    return tuple(dict.fromkeys(match.group(1).decode("utf-8", "replace")
                               for match in RELATIVE_IMPORT.finditer(source_file.data)))


CONSOLE_ADDERS = FactsSpec("stdout-logging/console-adders", _console_adders, CODE_KINDS, (b"Console",))
FACTS = [CONSOLE_ADDERS]  # gathered ahead, in the engine's one pass over the files (cached per file)


def prepare(repo: Repo, options: dict) -> Context:
    """The modules imported by files that add a Console transport to something: a logger
    module among them must not get a Console of its own (every line would be logged twice)."""
    found: dict[str, str] = {}
    for path, modules in sorted(repo.facts_of(CONSOLE_ADDERS).items()):
        for module in modules:
            target = logger_mod.resolve_module(repo, path, module)
            if target is not None and target != path:
                found.setdefault(target, path)
    return Context(tuple(sorted(found.items())))


# --- finding file sinks ---------------------------------------------------------------


def find_file_sinks(source_file: SourceFile) -> list[Sink]:
    root = source_file.tree.root_node
    bindings = ts.top_level_bindings(root)
    constructors = {b.name for b in bindings if binding_module(b) in ROTATE_MODULES}
    # rotating-file-stream's `createStream('app.log', …)` (or `rfs.createStream`, `rfs(…)`), and
    # `fs.createWriteStream(…)` given to pino (its destination, a `pino.multistream` stream)
    streams = {b.name for b in bindings if binding_module(b) == "rotating-file-stream"}
    streams |= {f"{name}.createStream" for name in streams}
    namespaces = winston_transports_names(root)
    constructors |= winston_file_aliases(root, namespaces)
    constructors |= {f"{name}.{kind}" for name, kind in _file_members(namespaces)}
    sinks: list[Sink] = []
    # winston `new transports.Stream({ stream: fs.createWriteStream('app.log') })`: its file stream is its own
    file_streams = _file_stream_callees(bindings) | streams
    consumed: set[int] = set()  # file streams a winston Stream transport writes to (the transport is the sink)
    stream_constructors = _stream_constructors(root, namespaces)
    for node in ts.descendants(root, "new_expression"):
        if ts.path_text(node.child_by_field_name("constructor")) in stream_constructors:
            found = _stream_file(root, node, file_streams, stream_constructors)
            if found is not None:
                call, why = found
                consumed.add(call.id)
                arguments = ts.list_items(call.child_by_field_name("arguments"))  # type: ignore[arg-type]
                sinks.append(Sink(node, sink_label(arguments[0]) if arguments else "a file", why))
    for node in ts.descendants(root, "new_expression", "call_expression", "object"):
        if node.type == "new_expression":
            constructor = node.child_by_field_name("constructor")
            text = ts.path_text(constructor)  # `(winston.transports as any).File`: the same transport
            if WINSTON_FILE.match(text) or text in constructors:
                sinks.append(Sink(node, _winston_target(node)))
        elif node.type == "call_expression" and node.id in consumed:
            continue
        elif node.type == "call_expression" and (_text(node.child_by_field_name("function")) in streams or (
                _text(node.child_by_field_name("function")).split(".")[-1] == "createWriteStream"
                and any(_feeds_pino(position) for position in _held_at(node, root)))):
            arguments = ts.list_items(node.child_by_field_name("arguments"))  # type: ignore[arg-type]
            sinks.append(Sink(node, sink_label(arguments[0]) if arguments else "a file"))
        elif node.type == "call_expression":
            call = ts.member_call(node)
            if call is None or not _text(call.object).endswith("pino"):
                continue
            if call.method == "destination" and _is_file_destination(call.args[0] if call.args else None):
                target = ts.object_property(call.args[0], "dest") if call.args[0].type == "object" else call.args[0]
                sinks.append(Sink(node, sink_label(target)))
            elif call.method == "transport" and call.args and _pino_file_target(call.args[0]):
                sinks.append(Sink(node, _pino_file_target(call.args[0]) or "a file"))
        elif _pino_file_target(node) and not _is_pino_transport_argument(node):
            sinks.append(Sink(node, _pino_file_target(node) or "a file"))
    return sinks


def sink_label(node: Node, width: int = 60) -> str:
    """What a sink writes to, for a message: its expression on one line (comments dropped); when long, a call
    keeps its first and last arguments (`path.join(__dirname, …, 'errors.log')`: the file name stays), anything
    else is clipped (`typescript.one_line`). (The checklist labels the sinks it finds so too.)"""
    text = ts.one_line(node.text, 10 * width)
    if len(text) <= width:
        return text
    arguments = node.child_by_field_name("arguments") if node.type == "call_expression" else None
    args = ts.list_items(arguments) if arguments is not None and arguments.type == "arguments" else []
    if len(args) > 2:
        short = (f"{ts.one_line(node.child_by_field_name('function').text, width // 3)}("  # type: ignore[union-attr]
                 f"{ts.one_line(args[0].text, width // 3)}, …, {ts.one_line(args[-1].text, width // 2)})")
        if len(short) <= width + 10:
            return short
    return ts.one_line(node.text, width)


FS_MODULES = frozenset({"fs", "node:fs", "fs-extra"})
STDOUT_STREAMS = frozenset({"process.stdout", "process.stderr"})


def _file_stream_callees(bindings: list[ts.Binding]) -> set[str]:
    """The callees that open a file write stream: `fs.createWriteStream`, and `createWriteStream`
    imported from fs (`node:fs`, `fs-extra`)."""
    names = set()
    for binding in bindings:
        if binding_module(binding) in FS_MODULES:
            imported = _imported_name(binding)
            if imported is None:
                names.add(f"{binding.name}.createWriteStream")
            elif imported == "createWriteStream":
                names.add(binding.name)
    return names


def _stream_constructors(root: Node, namespaces: Iterable[str]) -> set[str]:
    """How the file spells winston's `Stream` transport: `winston.transports.Stream`, `t.Stream`,
    a local name (`const { Stream } = winston.transports`)."""
    spelled = set(namespaces) | {f"{name}.transports" for name in _winston_module_names(root)}
    return {f"{name}.Stream" for name in spelled} | _transport_aliases(root, spelled, ("Stream",))


def _stream_option(node: Node) -> Node | None:
    """The `stream` option of `new transports.Stream({ …, stream })` (None when not written out)."""
    arguments = ts.list_items(node.child_by_field_name("arguments"))  # type: ignore[arg-type]
    options = ts.inner_parens(arguments[0]) if arguments else None
    if options is None or options.type != "object":
        return None
    for pair in ts.list_items(options):
        if pair.type == "pair" and _key(pair) == "stream":
            return ts.inner_parens(pair.child_by_field_name("value"))  # type: ignore[arg-type]
        if pair.type == "shorthand_property_identifier" and _text(pair) == "stream":
            return pair
    return None


def _stream_file(root: Node, transport: Node, file_streams: set[str],
                 constructors: set[str]) -> tuple[Node, str | None] | None:
    """(the call opening the file, None or why fixer leaves the transport alone) when a winston
    Stream transport writes to a file stream: the call itself or a variable of this file holding it
    (one declaration, at the top of the module, used by Stream transports only, so it goes with them);
    None when its stream is anything else (`process.stdout`: a stdout transport)."""
    value = _stream_option(transport)
    if value is None or _text(value) in STDOUT_STREAMS:
        return None

    def opens(node: Node | None) -> bool:
        return node is not None and node.type == "call_expression" and \
            _text(node.child_by_field_name("function")) in file_streams

    def within(node: Node) -> Node | None:
        return next((call for call in ts.descendants(node, "call_expression") if opens(call)), None)

    if opens(value):
        return value, None
    if value.type not in ("identifier", "shorthand_property_identifier"):
        call = within(value)
        return (call, "its stream is chosen by an expression fixer does not rewrite") if call is not None else None
    name = _text(value)
    declarators = [d for d in ts.descendants(root, "variable_declarator") if _text(d.child_by_field_name("name")) == name]
    held = ts.inner_parens(declarators[0].child_by_field_name("value")) if len(declarators) == 1 and \
        declarators[0].child_by_field_name("value") is not None else None  # type: ignore[arg-type]
    if held is None:
        return None
    if not opens(held):
        call = within(held)
        return (call, f"its stream `{name}` is chosen by an expression fixer does not rewrite") if call is not None \
            else None
    declaration = declarators[0].parent
    if declaration is not None and declaration.parent is not None and declaration.parent.type == "export_statement":
        return held, f"its stream `{name}` is exported"
    if declaration is None or declaration.parent is None or declaration.parent.type != "program":
        return held, f"its stream `{name}` is opened inside a function, and would stay open with it gone"
    for reference in ts.identifier_references(root, name):
        if reference.parent is not None and reference.parent.id == declarators[0].id:
            continue
        holder = reference if reference.type == "shorthand_property_identifier" else ts.outer_parens(reference).parent
        if holder is None or not (holder.type == "shorthand_property_identifier" or (
                holder.type == "pair" and _key(holder) == "stream")):
            return held, f"its stream `{name}` is used elsewhere too (line {reference.start_point[0] + 1})"
        options = holder.parent
        arguments = ts.outer_parens(options).parent if options is not None else None
        user = arguments.parent if arguments is not None and arguments.type == "arguments" else None
        if user is None or user.type != "new_expression" or _stream_option(user) is None \
                or ts.path_text(user.child_by_field_name("constructor")) not in constructors \
                or _stream_option(user).id != (reference if holder is reference else ts.inner_parens(  # type: ignore[union-attr]
                    holder.child_by_field_name("value"))).id:  # type: ignore[arg-type]
            return held, f"its stream `{name}` is used elsewhere too (line {reference.start_point[0] + 1})"
    return held, None


def winston_file_aliases(root: Node, namespaces: Iterable[str] = ()) -> set[str]:
    """Local names of winston's file transports: `const { File } = winston.transports`,
    `const { File: FileTransport } = transports`, `const FileTransport = winston.transports.File`,
    `const { transports: { File } } = require('winston')` (`namespaces`: other local names of
    `winston.transports`, see `winston_transports_names`)."""
    return _transport_aliases(root, namespaces, ("File", "DailyRotateFile"))


def _transport_aliases(root: Node, namespaces: Iterable[str], kinds: tuple[str, ...]) -> set[str]:
    names = set()
    modules = _winston_module_names(root)
    for declarator in ts.descendants(root, "variable_declarator"):
        pattern, value = declarator.child_by_field_name("name"), ts.unwrap(declarator.child_by_field_name("value"))
        if pattern is None or value is None:
            continue
        if pattern.type == "identifier" and any(_text(value) == f"{ns}.{kind}" for ns in namespaces for kind in kinds):
            names.add(_text(pattern))
        elif pattern.type == "identifier" and "File" in kinds and WINSTON_FILE.match(_text(value)):
            names.add(_text(pattern))
        elif pattern.type == "identifier" and "Console" in kinds and WINSTON_CONSOLE.match(_text(value)):
            names.add(_text(pattern))
        elif pattern.type == "object_pattern" and (WINSTON_TRANSPORTS.match(_text(value)) or _text(value) in namespaces):
            names |= _pattern_names(pattern, kinds)
        elif pattern.type == "object_pattern" and (_text(value) in modules or _requires_winston(value)):
            for element in ts.list_items(pattern):  # `{ transports: { File } } = require('winston')`
                inner = element.child_by_field_name("value") if element.type == "pair_pattern" else None
                if _text(element.child_by_field_name("key")) == "transports" and inner is not None \
                        and inner.type == "object_pattern":
                    names |= _pattern_names(inner, kinds)
    return names


def _pattern_names(pattern: Node, kinds: tuple[str, ...]) -> set[str]:
    names = set()
    for element in ts.list_items(pattern):
        shorthand = element.type == "shorthand_property_identifier_pattern"
        key = element if shorthand else element.child_by_field_name("key")
        local = element if shorthand else element.child_by_field_name("value")
        if _text(key) in kinds and local is not None and \
                local.type in ("identifier", "shorthand_property_identifier_pattern"):
            names.add(_text(local))
    return names


def _requires_winston(node: Node | None) -> bool:
    if node is None or node.type != "call_expression" or _text(node.child_by_field_name("function")) != "require":
        return False
    args = ts.list_items(node.child_by_field_name("arguments"))
    return bool(args) and ts.string_value(args[0]) == "winston"


def _winston_module_names(root: Node) -> set[str]:
    """Local names of the winston module itself, `import winston = require('winston')` included."""
    names = {b.name for b in ts.top_level_bindings(root) if _imported_name(b) is None and _is_winston_module(b)}
    for statement in root.named_children:
        clause = next((c for c in statement.named_children if c.type == "import_require_clause"), None) \
            if statement.type == "import_statement" else None
        if clause is not None and ts.string_value(clause.child_by_field_name("source")) == "winston":
            name = next((c for c in clause.named_children if c.type == "identifier"), None)
            if name is not None:
                names.add(_text(name))
    return names


def _file_members(namespaces: Iterable[str]) -> set[tuple[str, str]]:
    return {(name, kind) for name in namespaces for kind in ("File", "DailyRotateFile")}


def winston_transports_names(root: Node) -> set[str]:
    """Local names of `winston.transports`: `import { transports as t } from 'winston'`,
    `const { transports: t } = require('winston')` (or `= winston`), `const t = winston.transports`."""
    bindings = ts.top_level_bindings(root)
    modules = _winston_module_names(root)
    names = set()
    for binding in bindings:
        declarator = _declarator_of(binding) if binding.holder.type != "import_statement" else None
        value = ts.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
        if _imported_name(binding) == "transports":
            from_winston = binding_module(binding) == "winston" or _text(value) in modules
        else:  # `const t = winston.transports`, `const t = require('winston').transports`
            from_winston = binding.element.type == "variable_declarator" and value is not None and \
                value.type == "member_expression" and _text(value.child_by_field_name("property")) == "transports" \
                and (_text(value.child_by_field_name("object")) in modules or binding_module(binding) == "winston")
        if from_winston:
            names.add(binding.name)
    return names


def _imported_name(binding: ts.Binding) -> str | None:
    """What a binding takes from its module (`transports` for `{ transports: t }`); None
    when it is the module itself (a default or namespace import, `const w = require(…)`)."""
    element = binding.element
    if element.type == "import_specifier":
        return _text(element.child_by_field_name("name"))
    if element.type == "pair_pattern":
        return _text(element.child_by_field_name("key"))
    if element.type == "shorthand_property_identifier_pattern":
        return _text(element)
    return None


def _is_winston_module(binding: ts.Binding) -> bool:
    if binding_module(binding) != "winston":
        return False
    if binding.holder.type == "import_statement":
        return binding.element.type in ("identifier", "namespace_import")
    value = ts.unwrap(binding.element.child_by_field_name("value"))
    return value is not None and value.type == "call_expression"  # `require('winston')`, not a member of it


def _declarator_of(binding: ts.Binding) -> Node | None:
    element = binding.element
    return element if element.type == "variable_declarator" else ts.enclosing(element, "variable_declarator")


def binding_module(binding: ts.Binding) -> str | None:
    holder = binding.holder
    if holder.type == "import_statement":
        return ts.string_value(holder.child_by_field_name("source"))
    declarator = binding.element if binding.element.type == "variable_declarator" else ts.enclosing(binding.element, "variable_declarator")
    value = declarator.child_by_field_name("value") if declarator is not None else None
    while value is not None and value.type == "member_expression":
        value = value.child_by_field_name("object")
    if value is not None and value.type == "call_expression" and _text(value.child_by_field_name("function")) == "require":
        args = ts.list_items(value.child_by_field_name("arguments"))
        return ts.string_value(args[0]) if args else None
    return None


def _winston_target(node: Node) -> str:
    args = node.child_by_field_name("arguments")
    options = ts.list_items(args)[0] if args is not None and ts.list_items(args) else None
    for key in ("filename", "dirname"):
        value = ts.object_property(options, key) if options is not None else None
        if value is not None:
            return sink_label(value)
    return "a file"


def _is_file_destination(node: Node | None) -> bool:
    if node is None:
        return False
    if node.type == "object":
        dest = ts.object_property(node, "dest")
        return dest is not None and _is_file_destination(dest)
    return _text(node) not in STDOUT_DESTINATIONS and node.type not in ("number", "undefined", "null")


# pino transport targets that write a file, and the option naming it: `pino/file` and `pino-pretty`
# only with a destination other than stdout; the rolling ones always (their file option is required)
PINO_FILE_TARGETS = {"pino/file": "destination", "pino-pretty": "destination", "pino-roll": "file",
                     "@vrbo/pino-rotating-file": "path"}
PINO_ROLLING = frozenset({"pino-roll", "@vrbo/pino-rotating-file"})


def _pino_file_target(node: Node) -> str | None:
    """What a pino transport target writing a file writes to: `{ target: 'pino/file', options:
    { destination: 'logs/app.log' } }`, `{ target: 'pino-roll', options: { file: … } }`; None
    for any other object."""
    module = ts.string_value(ts.object_property(node, "target")) if node.type == "object" else None
    if module not in PINO_FILE_TARGETS:
        return None
    options = ts.object_property(node, "options")
    value = ts.object_property(options, PINO_FILE_TARGETS[module]) \
        if options is not None and options.type == "object" else None
    if module in PINO_ROLLING:
        return sink_label(value) if value is not None else f"a file ({module})"
    return sink_label(value) if value is not None and _is_file_destination(value) else None


def _feeds_pino(node: Node) -> bool:
    """`node` is pino's destination (`pino(options, node)`) or a stream of `pino.multistream([{ stream: node }])`."""
    outer = ts.outer_parens(node)
    holder = outer.parent
    if holder is not None and holder.type == "pair" and _key(holder) == "stream" and holder.parent is not None:
        array = ts.outer_parens(holder.parent).parent
        holder = ts.outer_parens(array).parent if array is not None and array.type == "array" else None
        call = ts.member_call(holder.parent) if holder is not None and holder.type == "arguments" and \
            holder.parent is not None else None
        return call is not None and call.method == "multistream" and _text(call.object).endswith("pino")
    if holder is None or holder.type != "arguments" or holder.parent is None:
        return False
    callee = _text(holder.parent.child_by_field_name("function"))
    return callee.split(".")[-1] == "pino" and ts.list_items(holder).index(outer) > 0


def _is_pino_transport_argument(node: Node) -> bool:
    arguments = node.parent
    call = ts.member_call(arguments.parent) if arguments is not None and arguments.parent is not None else None
    return call is not None and call.method == "transport" and _text(call.object).endswith("pino")


# --- deciding what goes -------------------------------------------------------------


def plan_removal(source_file: SourceFile, sinks: list[Sink], add_console: bool = True,
                 at_creation: frozenset[str] = frozenset(), reported: dict[int, str] | None = None) -> Removal:
    """What goes, and what replaces it. `at_creation`: loggers whose Console transport is
    given where they are created (their file transports then just go); `reported`: sinks
    left alone, with why."""
    removal = Removal(source_file, _console_text(source_file, sinks), add_console=add_console, at_creation=at_creation)
    for sink in sinks:
        if reported and sink.node.id in reported:
            removal.unresolved[sink.node.id] = reported[sink.node.id]
        else:
            _remove(removal, sink.node)
    _settle_groups(removal)
    loggers = Loggers.of(source_file.tree.root_node)
    for key in sorted(at_creation):
        _console_at_creation(removal, loggers, key)
    return removal


def plan_with_a_transport_everywhere(source_file: SourceFile, sinks: list[Sink],
                                     preset: dict[int, str] | None = None) -> Removal:
    """The one rule for loggers that lose file transports: every path that creates the logger
    still gives it a transport. Where the plan leaves a logger without one on some path, its
    Console transport goes where it is created (`transports: [new winston.transports.Console()]`,
    its `transports: []` or the empty list given to it), when that is plain to see in this file and then
    holds on every path; otherwise its file transports are reported, never left logging nowhere.
    `preset`: sinks reported whatever the plan (a shape fixer does not rewrite), with why."""
    preset = preset or {}
    removal = plan_removal(source_file, sinks, reported=preset)
    bare = loggers_without_transport(removal, sinks)
    if not bare:
        return removal
    loggers = Loggers.of(source_file.tree.root_node)
    at_creation = frozenset(key for key in bare if removal.console is not None and loggers.fillable(key))
    if at_creation:
        removal = plan_removal(source_file, sinks, at_creation=at_creation, reported=preset)
        bare = loggers_without_transport(removal, sinks)
    if not bare:
        return removal
    reported = {}
    for sink in sinks:
        for key in {loggers.key(_target(position)) for position in _positions(sink, source_file.tree.root_node)}:
            if key in bare and loggers.creation(key) is None:
                reported[sink.node.id] = f"{_unseen_creation(source_file, key, sink.node)}, so fixer cannot tell " \
                    "whether it keeps a transport without it" if not key.startswith("#") else bare[key]
            elif key in bare and key not in at_creation:
                reported[sink.node.id] = f"{bare[key]}, and fixer cannot see where one Console transport would " \
                    "serve it on every path"
            elif key in bare:
                reported[sink.node.id] = bare[key]
    return plan_removal(source_file, sinks, at_creation=at_creation - set(bare), reported={**reported, **preset})


def _unseen_creation(source_file: SourceFile, key: str, node: Node) -> str:
    """Why fixer cannot see `key` (a logger a file transport is attached to) created: a parameter
    (its callers pass it in), an import, a name declared more than once, a `createLogger` it
    does not see."""
    name = key.split(".")[0]
    function = ts.enclosing_function(node)
    while function is not None:
        parameters = function.child_by_field_name("parameters")  # (an arrow's single `logger =>`: "parameter")
        names = _parameter_names(parameters) if parameters is not None else _text(function.child_by_field_name("parameter"))
        if name in re.findall(r"[\w$]+", names):
            called = _text(function.child_by_field_name("name")) or _assigned_name(function) or "a function"
            line = source_file.line_col(function.start_byte)[0]
            return f"`{key}` is a parameter of `{called}` (line {line}): its callers pass the logger in"
        function = ts.enclosing_function(function)
    binding = next((b for b in ts.top_level_bindings(source_file.tree.root_node) if b.name == name), None)
    module = binding_module(binding) if binding is not None else None
    if module == "winston" and name in _winston_module_names(source_file.tree.root_node):
        return f"`{key}` is not created in this file (it is winston's default logger)"
    if module is not None:
        return f"`{key}` is not created in this file (it is imported from '{module}')"
    if binding is not None:
        return f"`{key}` is not created by a `createLogger(…)` fixer can follow"
    return f"`{key}` is not created in this file"


def _parameter_names(parameters: Node) -> str:
    """The names a parameter list declares, without their types and defaults."""
    names = []
    for parameter in ts.list_items(parameters):
        pattern = parameter.child_by_field_name("pattern") or parameter.child_by_field_name("name") or parameter
        names.append(_text(pattern))
    return " ".join(names)


CREATE_LOGGER = re.compile(r"^(?:[\w$]+\.)?createLogger$")


@dataclass
class Loggers:
    """The winston loggers created in a file (`createLogger(…)`), by the name they are assigned
    to (`#<id>` when none), and the lists given to them as `transports` (`{ transports }`)."""

    root: Node
    creations: dict[str, Node | None]  # None: the name is declared more than once, or is a parameter
    lists: dict[str, str]  # list variable -> the logger it is given to

    @classmethod
    def of(cls, root: Node) -> Loggers:
        creations: dict[str, Node | None] = {}
        lists: dict[str, str] = {}
        for call in ts.descendants(root, "call_expression"):
            if not CREATE_LOGGER.match(_text(call.child_by_field_name("function"))):
                continue
            key = _assigned_name(call) or f"#{call.id}"
            creations[key] = None if key in creations or not _declared_once(root, key) else call
            options = _options(call)
            for pair in ts.list_items(options) if options is not None and options.type == "object" else ():
                if pair.type == "shorthand_property_identifier" and _text(pair) == "transports":
                    lists[_text(pair)] = key
                elif pair.type == "pair" and _key(pair) == "transports" and \
                        (value := ts.inner_parens(pair.child_by_field_name("value"))).type == "identifier":  # type: ignore[arg-type]
                    lists[_text(value)] = key
        return cls(root, creations, lists)

    def key(self, target: str | None) -> str | None:
        return self.lists.get(target, target) if target is not None else None

    def creation(self, key: str) -> Node | None:
        return self.creations.get(key)

    def fillable(self, key: str) -> bool:
        """The logger is created here with no transports of its own (no `transports` key, `[]`,
        or a list declared `[]` that is only pushed onto and given to it): a Console
        transport can go there."""
        return _creation_slot(self, key) is not None


def _declared_once(root: Node, name: str) -> bool:
    if name.startswith("#") or "." in name:  # `module.exports = createLogger(…)`: the key is that one call
        return True
    declared = [d for d in ts.descendants(root, "variable_declarator") if _text(d.child_by_field_name("name")) == name]
    parameters = [p for p in ts.descendants(root, "formal_parameters") if name in re.findall(r"[\w$]+", _text(p))]
    return len(declared) == 1 and not parameters


def _options(call: Node) -> Node | None:
    args = ts.list_items(call.child_by_field_name("arguments"))  # type: ignore[arg-type]
    return ts.inner_parens(args[0]) if args else None


def _creation_slot(loggers: Loggers, key: str) -> tuple[str, Node] | None:
    """Where a Console transport goes for the logger `key`: ("call", the call without
    arguments), ("object", options without `transports`), ("array", an empty `transports`
    array or list); None when the logger has transports of its own or is not plain to see."""
    call = loggers.creation(key)
    if call is None:
        return None
    arguments = ts.list_items(call.child_by_field_name("arguments"))  # type: ignore[arg-type]
    if not arguments:
        return ("call", call)
    options = ts.inner_parens(arguments[0])
    if len(arguments) != 1 or options.type != "object":
        return None
    pairs = ts.list_items(options)
    if any(pair.type not in ("pair", "shorthand_property_identifier") for pair in pairs):
        return None  # a spread: its transports are not known here
    slot = next((pair for pair in pairs if (_key(pair) if pair.type == "pair" else _text(pair)) == "transports"), None)
    if slot is None:
        return ("object", options)
    value = ts.inner_parens(slot.child_by_field_name("value")) if slot.type == "pair" else slot  # type: ignore[arg-type]
    if value.type == "array":
        return ("array", value) if not ts.list_items(value) else None
    if value.type not in ("identifier", "shorthand_property_identifier"):
        return None
    name = _text(value)
    declarators = [d for d in ts.descendants(loggers.root, "variable_declarator") if _text(d.child_by_field_name("name")) == name]
    array = ts.inner_parens(declarators[0].child_by_field_name("value")) if len(declarators) == 1 and \
        declarators[0].child_by_field_name("value") is not None else None  # type: ignore[arg-type]
    if array is None or array.type != "array" or ts.list_items(array):
        return None
    for reference in ts.identifier_references(loggers.root, name):
        if reference.parent is not None and reference.parent.id == declarators[0].id:
            continue
        member = ts.member_call(reference.parent.parent) if reference.parent is not None and \
            reference.parent.type == "member_expression" and reference.parent.parent is not None else None
        if member is not None and member.method in ("push", "unshift") and member.object.id == reference.id:
            continue
        if reference.id == value.id:
            continue  # the `transports` of this logger
        # used some other way: what else it holds is not known here; or as `exceptionHandlers`
        # too, where a Console transport shared with `transports` logs every uncaught exception twice
        return None
    return ("array", array)


def _console_at_creation(removal: Removal, loggers: Loggers, key: str) -> None:
    slot = _creation_slot(loggers, key)
    call = loggers.creation(key)
    if slot is None or call is None or removal.console is None:
        return
    kind, node = slot
    console = removal.console
    if kind == "call":
        at = call.child_by_field_name("arguments").start_byte + 1  # type: ignore[union-attr]
        removal.created.append((at, f"{{ transports: [{console}] }}"))
    elif kind == "array":
        removal.replacements.append((node.start_byte, node.end_byte, f"[{console}]"))
    else:
        removal.created.extend(_new_key(removal.data, node, f"transports: [{console}]"))
    removal.else_added.append((key, _guard(call)))


def _new_key(data: bytes, options: Node, entry: str) -> list[tuple[int, str]]:
    """What to insert where to give `options` one more key, last, in its own style (its
    trailing comma or none, the comment at the end of the last key's line kept there)."""
    pairs = ts.list_items(options)
    if not pairs:
        return [(options.start_byte + 1, f" {entry} ")]
    last = pairs[-1]
    comma = last.next_sibling if last.next_sibling is not None and last.next_sibling.type == "," else None
    if ts.line_start(data, options.start_byte) == ts.line_start(data, last.start_byte):  # one line
        return [(comma.end_byte, f" {entry},")] if comma is not None else [(last.end_byte, f", {entry}")]
    indent = _indent(data, last.start_byte)
    after = (comma or last).end_byte
    line_end = data.find(b"\n", after)
    rest = data[after:line_end if line_end >= 0 else len(data)].rstrip(b"\r")
    if comma is not None:
        return [(after + len(rest), f"\n{indent}{entry},")]
    return [(last.end_byte, ","), (after + len(rest), f"\n{indent}{entry}")]


def loggers_without_transport(removal: Removal, sinks: list[Sink]) -> dict[str, str]:
    """The loggers (by key) that lose a file transport and would be left with no transport
    on some path after `removal`: on every path that creates them, when they are created in
    this file; else on every path that attached the file. Each with why."""
    root = removal.source_file.tree.root_node
    loggers = Loggers.of(root)
    gone = removal.deletions + [(start, end) for start, end, _new in removal.replacements]
    removed = {sink.node.id for sink in sinks if sink.node.id not in removal.unresolved
               and ts.outer_parens(sink.node).id not in removal.unresolved}
    affected: dict[str, list[tuple[Node, Guard]]] = {}
    for sink in sinks:
        if sink.node.id in removed and sink.node.type == "new_expression":
            for position in _positions(sink, root):
                key = loggers.key(_target(position))
                if key is not None:
                    affected.setdefault(key, []).append((position, _guard(position)))
    kept: dict[str, list[tuple[Node | None, Guard]]] = {}
    for node in ts.descendants(root, "new_expression"):
        if node.id not in removed and not _inside(node, gone):
            for position in _held_at(node, root):  # (`transports: [consoleTransport]` keeps it)
                if not _inside(position, gone):
                    kept.setdefault(loggers.key(_target(position)) or "", []).append(
                        (position, _guard(node) + _guard(position)))
    for node in removal.added:
        kept.setdefault(loggers.key(_target(node)) or "", []).append((node, _guard(node)))
    for target, guard in removal.else_added:
        kept.setdefault(loggers.key(target) or "", []).append((None, guard))
    bare = {}
    for key, files in affected.items():
        creation = loggers.creation(key)
        runs = [_guard(creation)] if creation is not None else [guard for _node, guard in files]
        transports = [guard for _node, guard in kept.get(key, [])]
        checks = [(runs, transports, "")]
        # `logger.clear()` before the files are added (`logger.clear(); logger.add(…)`, `logger.clear().add(…)`):
        # where it runs, what the logger was created with is gone, only what is added after it counts
        for clear in _clears(root, key):
            if any(_later_in_function(clear, node) for node, _g in files):
                after = [guard for node, guard in kept.get(key, []) if node is not None and _later_in_function(clear, node)]
                line = removal.source_file.line_col(clear.start_byte)[0]
                checks.append(([_guard(clear)], after, f" (`{key}.clear()` on line {line} drops the ones it was created with)"))
        for runs, transports, why in checks:
            conditions: dict[int, tuple[str, str]] = {}
            for guard in runs + transports:
                for condition, branch in guard:
                    conditions[condition] = ("T", "F") if branch in ("T", "F") else ("in", "out")
            if len(conditions) > 10:
                bare[key] = "too many conditions to tell whether every path keeps a transport"
                break
            for branches in itertools.product(*conditions.values()):
                path = dict(zip(conditions, branches))
                active = lambda guard: all(path[c] == b for c, b in guard)  # noqa: E731
                if any(map(active, runs)) and not any(map(active, transports)):
                    bare[key] = f"the logger would be left with no transport on some path{why}"
                    break
            if key in bare:
                break
    return bare


def _clears(root: Node, key: str) -> list[Node]:
    """The `key.clear()` calls: a logger loses every transport it had there."""
    found = []
    for call in ts.descendants(root, "call_expression"):
        member = ts.member_call(call)
        if member is not None and member.method == "clear" and not member.args and _text(member.object) == key:
            found.append(call)
    return found


def _later_in_function(before: Node, node: Node) -> bool:
    """`node` comes after `before`, in the same function (or both at the top of the module)."""
    one, other = ts.enclosing_function(before), ts.enclosing_function(node)
    same = (one is None and other is None) or (one is not None and other is not None and one.id == other.id)
    return same and node.start_byte >= before.end_byte


def _remove(removal: Removal, node: Node) -> None:
    """Decide how `node` (a sink, or something made only of sinks) leaves the code."""
    outer = ts.outer_parens(node)
    parent = outer.parent
    if parent is None:
        removal.unresolved[node.id] = "not inside anything fixer recognises"
    elif parent.type in ("array", "object"):
        removal.groups.setdefault(parent.id, (parent, []))[1].append(outer)
    elif parent.type == "arguments":
        _remove_argument(removal, node, outer, parent)
    elif parent.type == "pair":
        _remove_pair_value(removal, node, outer, parent)
    elif parent.type == "variable_declarator":
        _remove_variable(removal, node, parent)
    else:
        removal.unresolved[node.id] = f"used as part of a {parent.type.replace('_', ' ')}"


def _remove_argument(removal: Removal, node: Node, outer: Node, arguments: Node) -> None:
    call = arguments.parent
    assert call is not None
    attached = ts.member_call(call)
    statement = ts.outer_parens(call).parent
    if attached is not None and attached.method in ATTACH_METHODS and statement is not None and \
            statement.type == "member_expression" and statement.parent is not None and \
            (outer_call := ts.member_call(statement.parent)) is not None and outer_call.method in ATTACH_METHODS:
        removal.unresolved[node.id] = "attached in a chain of calls (`.add(…).add(…)`)"
        return
    if attached is not None and attached.method in ATTACH_METHODS and statement is not None and \
            statement.type == "expression_statement":
        loop = _loop_around(statement)
        if loop is not None:  # once per configured name: which iterations keep a Console is not in the code
            removal.unresolved[node.id] = f"attached inside the `{loop}` loop, once per iteration"
            return
        if (chained := ts.member_call(ts.inner_parens(attached.object))) is not None and chained.method in ATTACH_METHODS:
            removal.unresolved[node.id] = "attached in a chain of calls (`.add(…).add(…)`)"
            return
        target = ts.removable_statement(statement)
        holder, other = target.parent, _other_branch(target)
        at_creation = bool(removal.at_creation) and \
            Loggers.of(removal.source_file.tree.root_node).key(_target(outer)) in removal.at_creation
        if other is not None and removal.console is not None and removal.add_console and not at_creation and \
                _attaches(other, _text(attached.object)):
            # `if (c) t.push(file); else t.push(console)`: the file branch keeps a transport
            removal.replacements.append((outer.start_byte, outer.end_byte, removal.console))
            removal.swapped.add(node.id)
            removal.added.append(outer)
        elif holder is None or holder.type in STATEMENT_LISTS:
            removal.deletions.append(ts.statement_removal_span(removal.data, target))
        elif other is not None:
            removal.replacements.append((target.start_byte, target.end_byte, "{}"))  # `else` needs a statement
        else:  # the next statement would become the body of the loop
            removal.unresolved[node.id] = f"the whole body of a `{holder.type.split('_')[0]}` statement"
        return
    callee = _text(call.child_by_field_name("function"))
    if attached is not None and attached.method == "transport" and callee.split(".")[0] == "pino":
        _remove(removal, call)  # `pino.transport({ targets: [] })`: the transport itself goes
        return
    if callee.split(".")[0] == "pino" and ts.list_items(arguments).index(outer) > 0:
        removal.groups.setdefault(arguments.id, (arguments, []))[1].append(outer)  # pino(options, destination)
        return
    removal.unresolved[node.id] = f"passed to `{''.join(callee.split())}(…)`"


def _loop_around(node: Node) -> str | None:
    """The loop `node` runs in, within its function (a `forEach`/`map` callback counts)."""
    child, parent = node, node.parent
    while parent is not None:
        if parent.type in LOOPS and _same(child, parent.child_by_field_name("body")):
            return parent.children[0].type  # `for`, `while`, `do`
        if parent.type in ts.FUNCTION_TYPES:
            holder = ts.outer_parens(parent).parent
            call = ts.member_call(holder.parent) if holder is not None and holder.type == "arguments" \
                and holder.parent is not None else None
            return f"{call.method}" if call is not None and call.method in ("forEach", "map") else None
        child, parent = parent, parent.parent
    return None


LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})


def _other_branch(statement: Node) -> Node | None:
    """The other branch of the `if … else` of which `statement` (alone in its block, or
    without braces) is a whole branch; None when it is not one."""
    body = statement
    if body.parent is not None and body.parent.type == "statement_block" and len(ts.list_items(body.parent)) == 1:
        body = body.parent
    holder = body.parent
    if holder is not None and holder.type == "else_clause" and holder.parent is not None:
        return holder.parent.child_by_field_name("consequence")
    if holder is not None and holder.type == "if_statement" and holder.child_by_field_name("consequence") == body:
        return holder.child_by_field_name("alternative")
    return None


def _attaches(branch: Node, target: str) -> bool:
    """`branch` adds a transport to `target` (`transports.push(…)`, `logger.add(…)`)."""
    return any(call is not None and call.method in ATTACH_METHODS and _text(call.object) == target
               for call in map(ts.member_call, ts.descendants(branch, "call_expression")))


def _remove_pair_value(removal: Removal, node: Node, outer: Node, pair: Node) -> None:
    key = _key(pair)
    if key == "transport":  # pino's `transport: { target: 'pino/file', … }`: stdout is the default
        removal.groups.setdefault(pair.parent.id, (pair.parent, []))[1].append(pair)  # type: ignore[union-attr]
    elif key == "transports" and not removal.add_console:
        removal.replacements.append((outer.start_byte, outer.end_byte, "[]"))
    elif key in HANDLER_KEYS and removal.console is not None:
        removal.replacements.append((outer.start_byte, outer.end_byte, removal.console))
        removal.added.append(outer)
    else:
        removal.unresolved[node.id] = f"the value of `{key}`"


def _remove_variable(removal: Removal, node: Node, declarator: Node) -> None:
    name = declarator.child_by_field_name("name")
    declaration = declarator.parent
    root = removal.source_file.tree.root_node
    if name is None or name.type != "identifier" or declaration is None or declaration.parent is None or \
            declaration.parent.type == "export_statement":
        removal.unresolved[node.id] = "assigned to an exported or destructured variable"
        return
    uses = [ref for ref in ts.identifier_references(root, _text(name)) if ref.id != name.id]
    if not uses or any(ref.type != "identifier" for ref in uses):
        removal.unresolved[node.id] = f"assigned to `{_text(name)}`, which is not used as a transport"
        return
    before = len(removal.unresolved)
    for use in uses:
        _remove(removal, use)
    if len(removal.unresolved) > before:
        removal.unresolved[node.id] = f"`{_text(name)}` is used where fixer cannot remove it"
        return
    if len(ts.list_items(declaration)) == 1:
        removal.deletions.append(ts.statement_removal_span(removal.data, declaration))
    else:
        removal.deletions.extend(ts.list_removal_spans(removal.data, declaration, [declarator]))


def _settle_groups(removal: Removal) -> None:
    """Lists losing elements: partly emptied ones lose them; emptied ones are resolved by
    what holds them, deepest first (an emptied `[file]` branch empties the spread around it)."""
    done: set[int] = set()
    while True:
        full = [(parent, elements) for key, (parent, elements) in removal.groups.items()
                if key not in done and len({e.id for e in elements}) == len(ts.list_items(parent))]
        if not full:
            break
        parent, elements = max(full, key=lambda item: _depth(item[0]))
        done.add(parent.id)
        _remove_emptied(removal, parent)
    for key, (parent, elements) in removal.groups.items():
        if key not in done:
            unique = list({e.id: e for e in elements}.values())
            removal.deletions.extend(ts.list_removal_spans(removal.data, parent, unique))


def _remove_emptied(removal: Removal, container: Node) -> None:
    outer = ts.outer_parens(container)
    parent = outer.parent
    if container.type == "object":
        removal.replacements.append((container.start_byte, container.end_byte, "{}"))
    elif parent is not None and parent.type == "pair" and _key(parent) == "targets":
        _remove(removal, parent.parent)  # type: ignore[arg-type]  # pino `transport: { targets: [files] }`
    elif parent is not None and parent.type == "ternary_expression":
        _remove_ternary_branch(removal, container, outer, parent)
    elif parent is not None and parent.type == "pair" and _key(parent) == "transports" and not removal.add_console:
        removal.replacements.append((outer.start_byte, outer.end_byte, "[]"))
    elif parent is not None and parent.type == "pair" and _key(parent) in HANDLER_KEYS and removal.console:
        removal.replacements.append((outer.start_byte, outer.end_byte, f"[{removal.console}]"))
        removal.added.append(outer)
    elif parent is not None and parent.type == "variable_declarator" and "transport" in _text(parent.child_by_field_name("name")).lower() \
            and removal.console:
        removal.replacements.append((outer.start_byte, outer.end_byte, f"[{removal.console}]" if removal.add_console else "[]"))
        if removal.add_console:
            removal.added.append(outer)
    else:
        for element in ts.list_items(container):
            removal.unresolved.setdefault(element.id, "its list would be left empty")
        removal.groups.pop(container.id, None)


def _remove_ternary_branch(removal: Removal, branch: Node, outer: Node, ternary: Node) -> None:
    other_field = "alternative" if ternary.child_by_field_name("consequence") == outer else "consequence"
    other = ts.inner_parens(ternary.child_by_field_name(other_field))  # type: ignore[arg-type]
    other_empty = other.type == "array" and (not ts.list_items(other) or (
        other.id in removal.groups and len(removal.groups[other.id][1]) == len(ts.list_items(other))))
    spread = ts.outer_parens(ternary).parent
    targets = _pino_targets(branch)
    if other_empty and spread is not None and spread.type == "spread_element":
        removal.groups.pop(other.id, None)
        _remove(removal, spread)  # `...(isProd ? [file] : [])` goes whole
    elif targets is not None and (spread is None or spread.type != "spread_element"):
        # pino `targets: isProd ? [roll, roll] : [pretty]`: that path writes to stdout instead
        level, why = _stdout_level(targets)
        if why is None:
            level_text = f", level: {level}" if level is not None else ""
            removal.replacements.append((outer.start_byte, outer.end_byte,
                                         f"[{{ target: 'pino/file'{level_text}, options: {{ destination: 1 }} }}]"))
            removal.swapped.update(element.id for element in targets)
        for element in ts.list_items(branch) if why is not None else ():
            removal.unresolved.setdefault(element.id, why)
    elif (spread is not None and spread.type == "spread_element") or (removal.console and not removal.add_console):
        removal.replacements.append((outer.start_byte, outer.end_byte, "[]"))
    elif removal.console:
        removal.replacements.append((outer.start_byte, outer.end_byte, f"[{removal.console}]"))
        removal.added.append(outer)
    else:
        for element in ts.list_items(branch):
            removal.unresolved.setdefault(element.id, "its list would be left empty")


PINO_LEVELS = ("trace", "debug", "info", "warn", "error", "fatal")


def _pino_targets(branch: Node) -> list[Node] | None:
    """The elements of a list of pino transport targets (`[{ target: 'pino-roll', … }]`); None
    when it is something else."""
    elements = ts.list_items(branch)
    if elements and all(e.type == "object" and ts.object_property(e, "target") is not None for e in elements):
        return elements
    return None


def _stdout_level(targets: list[Node]) -> tuple[str | None, str | None]:
    """The `level` a stdout target replacing file `targets` needs to receive every line they
    did (their lowest; pino's default, `info`, when none is given): (level text or None for the
    default, None) or (None, why fixer cannot tell)."""
    levels = [ts.object_property(t, "level") for t in targets]
    texts = list(dict.fromkeys(_text(level) if level is not None else "'info'" for level in levels))
    if len(texts) == 1:
        return (texts[0] if texts[0] != "'info'" else None), None
    literal = {_text(level): ts.string_value(level) for level in levels if level is not None}
    named = [text for text in texts if text == "'info'" or literal.get(text) in PINO_LEVELS]
    variable = [text for text in texts if text not in named]
    if not variable:
        lowest = min(named, key=lambda text: PINO_LEVELS.index(text.strip("'\"") if text == "'info'" else literal[text]))
        return (lowest if lowest != "'info'" else None), None
    # `level: logLevel` beside an `error` file: the configured level is the one every line passes
    if len(variable) == 1 and all((literal.get(text) or "info") in ("warn", "error", "fatal") for text in named):
        return variable[0], None
    return None, f"its file targets have different levels ({', '.join(texts)}), so fixer cannot tell which one a " \
        "stdout target needs"


def _console_text(source_file: SourceFile, sinks: list[Sink]) -> str | None:
    root = source_file.tree.root_node
    namespaces = winston_transports_names(root)
    for sink in sinks:
        constructor = ts.path_text(sink.node.child_by_field_name("constructor")) if sink.node.type == "new_expression" else ""
        match = WINSTON_FILE.match(constructor) or WINSTON_STREAM.match(constructor)
        if match:
            return f"new {match.group('ns')}.Console()"
        if constructor.rpartition(".")[0] in namespaces:  # `new t.File(…)`: `t` is winston.transports
            return f"new {constructor.rpartition('.')[0]}.Console()"
    bindings = ts.top_level_bindings(root)
    for binding in bindings:
        if binding.name in namespaces:
            return f"new {binding.name}.Console()"
    for name in sorted(_transport_aliases(root, namespaces, ("Console",))):
        return f"new {name}()"  # `const { transports: { Console } } = require('winston')`
    for name in sorted(_winston_module_names(root)):
        return f"new {name}.transports.Console()"
    return None


# --- exactly one Console transport on every path --------------------------------------

Guard = tuple[tuple[int, str], ...]  # (conditional node id, branch) the code runs under
SCOPES = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement", "switch_case",
                    "switch_default", "catch_clause", "finally_clause", "arrow_function", "function_expression",
                    "function_declaration", "method_definition", "generator_function_declaration"})


def find_consoles(source_file: SourceFile) -> list[Node]:
    """winston Console transports created in the file (`new winston.transports.Console(…)`, `new t.Console()`,
    `new Console()` destructured from winston), and pino transport targets that write elsewhere than
    a file (`{ target: 'pino/file', options: { destination: 1 } }`, `{ target: 'pino-pretty' }`): what
    a logger keeps on a path that loses its file transport."""
    root = source_file.tree.root_node
    namespaces = winston_transports_names(root)
    aliases = _transport_aliases(root, namespaces, ("Console",))
    streams = _stream_constructors(root, namespaces)
    found = []
    for node in ts.descendants(root, "new_expression", "object"):
        if node.type == "object":
            if ts.string_value(ts.object_property(node, "target")) is not None and not _pino_file_target(node):
                found.append(node)
            continue
        text = ts.path_text(node.child_by_field_name("constructor"))
        if WINSTON_CONSOLE.match(text) or text in aliases or text in {f"{ns}.Console" for ns in namespaces}:
            found.append(node)
        elif text in streams and _text(_stream_option(node)) in STDOUT_STREAMS:  # `new transports.Stream({ stream: process.stdout })`
            found.append(node)
    return found


def _guard(node: Node) -> Guard:
    guard = []
    child, parent = node, node.parent
    while parent is not None:
        if parent.type in ("if_statement", "ternary_expression"):
            if _same(child, parent.child_by_field_name("consequence")):
                guard.append((parent.id, "T"))
            elif child.type == "else_clause" or _same(child, parent.child_by_field_name("alternative")):
                guard.append((parent.id, "F"))
        elif parent.type == "binary_expression" and _same(child, parent.child_by_field_name("right")):
            operator = _text(parent.child_by_field_name("operator"))
            if operator in ("&&", "||", "??"):
                guard.append((parent.id, "T" if operator == "&&" else "F"))
        elif parent.type in SCOPES:
            guard.append((parent.id, "in"))
        child, parent = parent, parent.parent
    return tuple(reversed(guard))


def _same(a: Node | None, b: Node | None) -> bool:
    return a is not None and b is not None and a.id == b.id


def _target(node: Node) -> str | None:
    """What a transport at `node` is attached to (the logger variable, the `transports` variable
    or the target of `.add(…)`/`.push(…)`); None when it is not a `transports` transport."""
    current = ts.outer_parens(node)
    while current.parent is not None:
        parent = current.parent
        if parent.type in ("array", "spread_element", "ternary_expression", "parenthesized_expression"):
            current = parent
            continue
        if parent.type == "pair":
            if _key(parent) != "transports" or parent.parent is None:
                return None
            holder = ts.outer_parens(parent.parent).parent
            if holder is not None and holder.type == "arguments" and holder.parent is not None:
                return _assigned_name(holder.parent) or f"#{holder.parent.id}"
            return f"#{parent.parent.id}"
        if parent.type == "variable_declarator":
            return _text(parent.child_by_field_name("name"))
        if parent.type == "arguments" and parent.parent is not None:
            call = ts.member_call(parent.parent)
            if call is None or call.method not in ("add", "push", "unshift"):
                return None
            attached = call.object  # `logger.clear().add(…)`: still `logger`
            while (cleared := ts.member_call(ts.inner_parens(attached))) is not None and cleared.method == "clear":
                attached = cleared.object
            return _text(attached)
        return None
    return None


def _assigned_name(call: Node) -> str | None:
    holder = ts.outer_parens(call).parent
    if holder is not None and holder.type == "variable_declarator":
        return _text(holder.child_by_field_name("name"))
    if holder is not None and holder.type == "assignment_expression":
        return _text(holder.child_by_field_name("left"))
    return None


def _positions(sink: Sink, root: Node) -> list[Node]:
    """Where a winston file transport is attached: the node, or the uses of the variable holding it."""
    return _held_at(sink.node, root)


def _held_at(node: Node, root: Node) -> list[Node]:
    """Where what `node` makes is used: the node, or the uses of the variable holding it."""
    declarator = ts.outer_parens(node).parent
    if declarator is not None and declarator.type == "variable_declarator":
        name = declarator.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            return [ref for ref in ts.identifier_references(root, _text(name)) if ref.id != name.id]
    return [node]


def console_conflicts(removal: Removal, sinks: list[Sink], consoles: list[Node]) -> dict[str, Node]:
    """The loggers (by target) that would have more Console transports than one (and than
    before), or none where a file transport wrote before, on some path through the `if`s and
    ternaries; each with a Console transport that shows it. Only loggers with a Console
    transport in this file are checked."""
    root = removal.source_file.tree.root_node
    gone = removal.deletions + [(start, end) for start, end, _new in removal.replacements]
    items: list[tuple[str, Guard, str]] = []
    for sink in sinks:
        if sink.node.type in ("new_expression", "object"):  # a winston transport, a pino target
            for position in _positions(sink, root):
                target = _target(position)
                if target is not None:
                    items.append((target, _guard(position), "file"))
    for node in consoles:
        target = _target(node)
        if target is not None:
            items.append((target, _guard(node), "before"))
    shown: dict[str, Node] = {}
    for node in [c for c in consoles if not _inside(c, gone)] + removal.added:
        target = _target(node)
        if target is not None:
            items.append((target, _guard(node), "console"))
            shown.setdefault(target, node)
    items += [(target, guard, "console") for target, guard in removal.else_added]
    failing = {}
    for target in {t for t, _g, kind in items if kind == "console"}:
        mine = [(guard, kind) for t, guard, kind in items if t == target]
        conditions: dict[int, tuple[str, str]] = {}
        for guard, _kind in mine:
            for condition, branch in guard:
                conditions[condition] = ("T", "F") if branch in ("T", "F") else ("in", "out")
        if len(conditions) > 10:
            failing[target] = shown[target]
            continue
        for branches in itertools.product(*conditions.values()):
            path = dict(zip(conditions, branches))
            active = [kind for guard, kind in mine if all(path[c] == b for c, b in guard)]
            if active.count("console") > max(1, active.count("before")) or ("file" in active and "console" not in active):
                failing[target] = shown[target]
                break
    return failing


def add_else_consoles(removal: Removal, consoles: list[Node], targets: Iterable[str]) -> None:
    """`if (dev) logger.add(console)` with no `else`: the `else` adds a Console transport, so
    the path that lost its file transports logs to stdout too."""
    if removal.console is None:
        return
    data = removal.data
    newline = "\r\n" if b"\r\n" in data else "\n"
    for console in consoles:
        statement = ts.outer_parens(console).parent
        call = ts.member_call(statement.parent) if statement is not None and statement.type == "arguments" \
            and statement.parent is not None else None
        if call is None or call.method not in ("add", "push", "unshift") or _target(console) not in targets:
            continue
        expression = ts.outer_parens(call.call).parent
        if expression is None or expression.type != "expression_statement":
            continue
        body = expression
        if body.parent is not None and body.parent.type == "statement_block" and len(ts.list_items(body.parent)) == 1:
            body = body.parent
        holder = body.parent
        if holder is None or holder.type != "if_statement" or not _same(holder.child_by_field_name("consequence"), body) \
                or holder.child_by_field_name("alternative") is not None:
            continue
        added = f"{_text(call.object)}.{call.method}({removal.console});"
        if body.type == "statement_block":
            inner = _indent(data, expression.start_byte)
            text = f" else {{{newline}{inner}{added}{newline}{_indent(data, holder.start_byte)}}}"
        else:
            text = f" else {added}"
        removal.insertions.append((holder.end_byte, text, holder))
        removal.else_added.append((_target(console) or "", _guard(holder) + ((holder.id, "F"),)))


def _indent(data: bytes, offset: int) -> str:
    start = ts.line_start(data, offset)
    line = data[start:offset]
    return line[: len(line) - len(line.lstrip(b" \t"))].decode()


# --- clean-up: what only the removed transports used ----------------------------------


def cleanup_spans(removal: Removal) -> list[tuple[str, Node, list[tuple[int, int]]]]:
    """(what, node, spans): bindings whose every use was removed (repeated until nothing
    more becomes unused) and, when every file sink of the file goes, log directory
    creation and rotate-file side-effect imports."""
    root = removal.source_file.tree.root_node
    data = removal.data
    found: list[tuple[str, Node, list[tuple[int, int]]]] = []
    for call in ts.descendants(root, "call_expression") if not removal.unresolved else ():
        log_dir = _log_dir_statement(call)
        if log_dir is not None:
            statement = ts.removable_statement(log_dir)
            found.append(("creates the log directory only the removed file transports wrote to; removed",
                          call, [ts.statement_removal_span(data, statement)]))
        elif _bare_require(call) in ROTATE_MODULES:
            statement = call.parent
            found.append((f"loads `{_bare_require(call)}` for the removed transports; removed", call,
                          [ts.statement_removal_span(data, statement)]))
    for statement in root.named_children if not removal.unresolved else ():
        if statement.type == "import_statement" and statement.child_by_field_name("source") is not None and \
                not any(c.type == "import_clause" for c in statement.named_children) and \
                ts.string_value(statement.child_by_field_name("source")) in ROTATE_MODULES:
            found.append((f"loads `{ts.string_value(statement.child_by_field_name('source'))}` for the removed transports; removed",
                          statement, [ts.statement_removal_span(data, statement)]))
    # an `if … else` those removals empty goes whole (what its conditions use may go too)
    deleted = _without_emptied_ifs(removal.source_file,
                                   _merge(removal.deletions + [span for _what, _node, spans in found for span in spans]))
    found = [(what, node, [next(((a, b) for a, b in deleted if a <= start and end <= b), (start, end))
                           for start, end in spans]) for what, node, spans in found]
    gone = deleted + [(start, end) for start, end, _new in removal.replacements]
    # what a replacement names stays (`transports` in `new transports.Console()`)
    named = {word for _start, _end, text in removal.replacements for word in _CHAIN_START.findall(text)} | \
        {word for _at, text in removal.created for word in _CHAIN_START.findall(text)}
    bindings = [b for b in ts.top_level_bindings(root) if not b.exported and b.name not in named]
    removed: list[ts.Binding] = []
    for _round in range(5):
        newly = []
        for binding in bindings:
            if binding.node.id in {b.node.id for b in removed} or _inside(binding.node, gone):
                continue
            uses = ts.binding_references(root, binding)
            if uses and all(_inside(use, gone) for use in uses):
                newly.append(binding)
        if not newly:
            break
        removed += newly
        gone = gone + [span for binding in newly for span in ts.binding_removal_spans(data, [binding])]
    # the spans of every removed binding at once: an import all of whose names go goes whole, even
    # when they went in different rounds (`import { existsSync, mkdirSync }`, never `import {  }`)
    spans = ts.binding_removal_spans(data, removed)
    for binding in removed:
        holder = binding.holder
        found.append((f"`{binding.name}` was only used by the removed file transports; removed", binding.node,
                      [(start, end) for start, end in spans if start < holder.end_byte and holder.start_byte < end]))
    return found


_CHAIN_START = re.compile(r"(?<![\w$.])[A-Za-z_$][\w$]*")


def _log_dir_statement(call: Node) -> Node | None:
    """The statement `fs.mkdirSync(logDir, …)`, `await fs.promises.mkdir('logs')` or
    `mkdirp.sync(LOG_DIR)` when it is one of its own and its first argument names a log
    directory."""
    if not MKDIR.match(_text(call.child_by_field_name("function"))):
        return None
    args = ts.list_items(call.child_by_field_name("arguments"))
    if not args or re.search(r"log", _text(args[0]), re.I) is None:
        return None
    expression = ts.outer_parens(call)
    if expression.parent is not None and expression.parent.type == "await_expression":
        expression = ts.outer_parens(expression.parent)
    statement = expression.parent
    return statement if statement is not None and statement.type == "expression_statement" else None


def _bare_require(call: Node) -> str | None:
    if _text(call.child_by_field_name("function")) != "require" or call.parent is None or call.parent.type != "expression_statement":
        return None
    args = ts.list_items(call.child_by_field_name("arguments"))
    return ts.string_value(args[0]) if args else None


def _inside(node: Node, spans: list[tuple[int, int]]) -> bool:
    return any(start <= node.start_byte and node.end_byte <= end for start, end in spans)


# --- file transports production never attaches --------------------------------------

PRODUCTION_NAMES = frozenset({"production", "prod"})
_FLAG_NAMES = {"isprod": True, "isproduction": True, "is_prod": True, "is_production": True,
               "isdev": False, "isdevelopment": False, "is_dev": False, "is_development": False,
               "islocal": False, "is_local": False}
_UNKNOWN = None


def development_only(source_file: SourceFile, node: Node) -> tuple[int, str] | None:
    """(line, condition) when the code at `node` runs outside production only: under an `if`,
    ternary or `&&` that is false in production, or after an `if (…) return` that is true there
    (`if (!shouldAttachDevLog()) return;`, where `shouldAttachDevLog()` returns
    `process.env.NODE_ENV !== 'production'`). Production is NODE_ENV=production with no other
    variable set (an opt-in variable such as `LOG_FILE=1` that turns it on anyway is named by the
    caller); a condition that is false whatever NODE_ENV says is an opt-in, not an environment,
    and does not count. None when production may run it."""
    root = source_file.tree.root_node
    for condition, wanted in _conditions_to_reach(node):
        production = _evaluate(root, condition, {"NODE_ENV": "production"}, 0)
        if production is _UNKNOWN or _truthy(production) == wanted:
            continue
        if _evaluate(root, condition, {}, 0) is not None:
            continue  # (decided without NODE_ENV: an opt-in variable, not the environment)
        return source_file.line_col(condition.start_byte)[0], _text(ts.inner_parens(condition))
    return None


def _conditions_to_reach(node: Node) -> Iterator[tuple[Node, bool]]:
    """The conditions the code at `node` runs under, each with the value it needs: the `if`s,
    ternaries, `&&`/`||` around it, and the `if (…) return`/`throw` before it in its blocks."""
    child, parent = node, node.parent
    while parent is not None:
        if parent.type in ("if_statement", "ternary_expression"):
            condition = parent.child_by_field_name("condition")
            if _same(child, parent.child_by_field_name("consequence")):
                yield condition, True  # type: ignore[misc]
            elif child.type == "else_clause" or _same(child, parent.child_by_field_name("alternative")):
                yield condition, False  # type: ignore[misc]
        elif parent.type == "binary_expression" and _same(child, parent.child_by_field_name("right")):
            operator = _text(parent.child_by_field_name("operator"))
            if operator in ("&&", "||"):
                yield parent.child_by_field_name("left"), operator == "&&"  # type: ignore[misc]
        elif parent.type in ("statement_block", "program"):
            sibling = child.prev_named_sibling
            while sibling is not None:
                if sibling.type == "if_statement" and sibling.child_by_field_name("alternative") is None \
                        and _leaves(sibling.child_by_field_name("consequence")):
                    yield sibling.child_by_field_name("condition"), False  # type: ignore[misc]
                sibling = sibling.prev_named_sibling
        child, parent = parent, parent.parent


def _leaves(branch: Node | None) -> bool:
    """A branch that ends in `return` or `throw` (at its own level)."""
    if branch is None:
        return False
    statements = ts.list_items(branch) if branch.type == "statement_block" else [branch]
    return bool(statements) and statements[-1].type in ("return_statement", "throw_statement")


def _evaluate(root: Node, node: Node | None, env: dict[str, str], depth: int) -> object:
    """The value of a condition when the environment holds `env` and no other variable
    (None: NODE_ENV unknown when `env` lacks it): True/False, a string, `_UNSET` for an
    unset variable, or None when fixer cannot tell."""
    if node is None or depth > 6:
        return _UNKNOWN
    node = ts.inner_parens(node)
    if node.type == "parenthesized_expression":  # `if (…)`'s condition
        return _evaluate(root, node.named_children[0] if node.named_children else None, env, depth)
    name = ts.env_name(node)
    if name is not None:
        return env.get(name, _UNKNOWN) if name == "NODE_ENV" else _UNSET
    if node.type in ("true", "false"):
        return node.type == "true"
    value = ts.string_value(node)
    if value is not None:
        return value
    if node.type == "unary_expression" and _text(node.child_by_field_name("operator")) == "!":
        inner = _evaluate(root, node.child_by_field_name("argument"), env, depth + 1)
        return _UNKNOWN if inner is _UNKNOWN else not _truthy(inner)
    if node.type == "binary_expression":
        operator = _text(node.child_by_field_name("operator"))
        left = _evaluate(root, node.child_by_field_name("left"), env, depth + 1)
        if operator in ("&&", "||", "??"):
            if left is not _UNKNOWN and (operator == "&&") != _truthy(left) and operator != "??":
                return left  # `false && …`, `true || …`
            if operator == "??" and left is not _UNKNOWN and left is not _UNSET:
                return left
            right = _evaluate(root, node.child_by_field_name("right"), env, depth + 1)
            if operator == "&&" and right is not _UNKNOWN and not _truthy(right):
                return right  # `… && false` is false whatever the left
            if operator == "||" and right is not _UNKNOWN and _truthy(right):
                return right  # `… || true` is true whatever the left
            return _UNKNOWN if left is _UNKNOWN else right
        if operator in ("===", "==", "!==", "!="):
            right = _evaluate(root, node.child_by_field_name("right"), env, depth + 1)
            if left is _UNKNOWN or right is _UNKNOWN:
                return _UNKNOWN
            return (left == right) == operator.startswith("=")
        return _UNKNOWN
    if node.type == "identifier":
        declared = _constant_value(root, _text(node))
        if declared is not None:
            return _evaluate(root, declared, env, depth + 1)
        flag = _FLAG_NAMES.get(_text(node).lower())
        return _UNKNOWN if flag is None or "NODE_ENV" not in env else flag == (env["NODE_ENV"] in PRODUCTION_NAMES)
    if node.type == "call_expression" and not ts.list_items(node.child_by_field_name("arguments")):  # type: ignore[arg-type]
        function = node.child_by_field_name("function")
        body = _function_body(root, _text(function)) if function is not None and function.type == "identifier" else None
        return _returned(root, body, env, depth + 1) if body is not None else _UNKNOWN
    return _UNKNOWN


class _Unset:
    def __repr__(self) -> str:
        return "<unset>"


_UNSET = _Unset()  # an environment variable production does not set


def _truthy(value: object) -> bool:
    return value is not _UNSET and bool(value)


def _constant_value(root: Node, name: str) -> Node | None:
    """The value of a module-level `const name = …` (declared once)."""
    found = [d for d in ts.descendants(root, "variable_declarator") if _text(d.child_by_field_name("name")) == name]
    if len(found) != 1 or found[0].parent is None or not _text(found[0].parent).startswith("const") \
            or ts.enclosing_function(found[0]) is not None:
        return None
    return found[0].child_by_field_name("value")


def _function_body(root: Node, name: str) -> Node | None:
    """The body of a module-level function `name` (a declaration, or a const arrow or function)."""
    for node in ts.descendants(root, "function_declaration"):
        if _text(node.child_by_field_name("name")) == name and ts.enclosing_function(node) is None:
            return node.child_by_field_name("body")
    value = _constant_value(root, name)
    value = ts.inner_parens(value) if value is not None else None
    return value.child_by_field_name("body") if value is not None and value.type in ("arrow_function", "function_expression") else None


def _returned(root: Node, body: Node, env: dict[str, str], depth: int) -> object:
    """What a function returns: an arrow's expression, or its statements in order (`if (…)
    return …;` taken or not, up to the last `return`); None when it does anything else."""
    if body.type != "statement_block":
        return _evaluate(root, body, env, depth)
    for statement in ts.list_items(body):
        if statement.type == "return_statement":
            return _evaluate(root, statement.named_children[0] if statement.named_children else None, env, depth)
        if statement.type != "if_statement" or statement.child_by_field_name("alternative") is not None:
            return _UNKNOWN
        branch = statement.child_by_field_name("consequence")
        inner = ts.list_items(branch) if branch is not None and branch.type == "statement_block" else [branch]
        if len(inner) != 1 or inner[0] is None or inner[0].type != "return_statement":
            return _UNKNOWN
        taken = _evaluate(root, statement.child_by_field_name("condition"), env, depth)
        if taken is _UNKNOWN:
            return _UNKNOWN
        if _truthy(taken):
            return _evaluate(root, inner[0].named_children[0] if inner[0].named_children else None, env, depth)
    return _UNKNOWN


def opt_ins(root: Node, node: Node) -> list[str]:
    """The variables other than NODE_ENV the conditions around `node` read (`TERRENO_LOG_FILE`:
    it may turn the file on in production)."""
    names: list[str] = []
    seen: set[int] = set()

    def visit(condition: Node | None, depth: int) -> None:
        if condition is None or depth > 6 or condition.id in seen:
            return
        seen.add(condition.id)
        for part in ts.descendants(condition, "member_expression", "subscript_expression", "identifier"):
            name = ts.env_name(part)
            if name is not None and name != "NODE_ENV" and name not in names:
                names.append(name)
            elif part.type == "identifier":
                body = _function_body(root, _text(part))
                visit(body if body is not None else _constant_value(root, _text(part)), depth + 1)

    for condition, _wanted in _conditions_to_reach(node):
        visit(condition, 0)
    return names


# --- log4js file appenders --------------------------------------------------------------

LOG4JS_FILE_TYPES = frozenset({"file", "dateFile", "fileSync", "multiFile"})
LOG4JS_STDOUT_TYPES = frozenset({"stdout", "console", "stderr"})  # what reaches the container's log stream
_LOG4JS_CONFIGURE = re.compile(r"""^require\(\s*['"]log4js['"]\s*\)\.configure$""")


@dataclass
class Appender:
    pair: Node  # `app: { type: 'file', filename: 'logs/app.log' }` (or the `type` pair when it is no named appender)
    name: str | None
    kind: str  # its `type`
    label: str  # what it writes to


def log4js_findings(source_file: SourceFile, cleanup: bool) -> Iterator[Finding]:
    """log4js file appenders (`{ type: 'file' | 'dateFile' | 'fileSync' | 'multiFile' }`), under
    the module's one rule: every category keeps an appender. Removed from `appenders` and from
    every category's list (with the filters that only fed them); a category left with none gets
    the stdout appender (one `{ type: 'stdout' }` is added when there is none); any other shape
    is reported."""
    root = source_file.tree.root_node
    bindings = ts.top_level_bindings(root)
    modules = [b for b in bindings if binding_module(b) == "log4js"]
    if not modules and b"log4js" not in source_file.data:
        return
    # (with the option naming its file: `{ type: 'file' }` alone may be anything, an OpenAPI schema)
    types = [pair for pair in ts.descendants(root, "pair") if _key(pair) == "type"
             and ts.string_value(pair.child_by_field_name("value")) in LOG4JS_FILE_TYPES
             and pair.parent is not None and pair.parent.type == "object"
             and ts.object_property(pair.parent, "base" if _text(pair.child_by_field_name("value"))[1:-1] == "multiFile"
                                    else "filename") is not None]
    if not types:
        return
    callees = {f"{b.name}.configure" for b in modules if _imported_name(b) in (None, "default")} | \
        {b.name for b in modules if _imported_name(b) == "configure"}
    handled: set[int] = set()
    for call in ts.descendants(root, "call_expression"):
        callee = _text(call.child_by_field_name("function"))
        if callee not in callees and not _LOG4JS_CONFIGURE.match(callee):
            continue
        arguments = ts.list_items(call.child_by_field_name("arguments"))  # type: ignore[arg-type]
        config = ts.unwrap(arguments[0]) if arguments else None
        if config is not None and config.type == "identifier":  # `const config = { … }; log4js.configure(config)`
            config = ts.unwrap(_constant_value(root, _text(config)))
        if config is None or config.type != "object":
            continue  # a file path, a config built elsewhere: the appenders it has are not in this file
        mine = [pair for pair in types if config.start_byte <= pair.start_byte < config.end_byte]
        if not mine:
            continue
        handled |= {pair.id for pair in mine}
        guard = development_only(source_file, call)
        yield from _log4js_config(source_file, config, mine, guard, cleanup)
    for pair in types:
        if pair.id not in handled and modules:
            appender = _appender(pair)
            line, col = source_file.line_col(appender.pair.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"writes logs to {appender.label} (log4js `{appender.kind}` appender), but fixer cannot "
                          "remove it (it is not part of a `log4js.configure({ … })` object in this file): delete it by "
                          "hand and give every category that used it a `{ type: 'stdout' }` appender")


def _appender(type_pair: Node) -> Appender:
    holder = type_pair.parent
    assert holder is not None
    kind = ts.string_value(type_pair.child_by_field_name("value")) or "file"
    target = ts.object_property(holder, "filename")
    target = target if target is not None else ts.object_property(holder, "base")  # multiFile: `base` + `property`
    label = sink_label(target) if target is not None else "a file"
    outer = holder.parent
    if outer is not None and outer.type == "pair" and outer.child_by_field_name("value") == holder:
        key = outer.child_by_field_name("key")
        name = ts.string_value(key) if key is not None and key.type == "string" else \
            _text(key) if key is not None and key.type in ("property_identifier", "identifier") else None
        return Appender(outer, name, kind, label)
    return Appender(type_pair, None, kind, label)


def _log4js_config(source_file: SourceFile, config: Node, type_pairs: list[Node], guard: tuple[int, str] | None,
                   cleanup: bool) -> Iterator[Finding]:
    appenders = [_appender(pair) for pair in type_pairs]
    if guard is not None:  # configured outside production only
        for appender in appenders:
            yield _development_note(source_file, Sink(appender.pair, appender.label), guard)
        return
    data = source_file.data
    plan = _log4js_plan(data, config, appenders)
    if isinstance(plan, str):
        for appender in appenders:
            line, col = source_file.line_col(appender.pair.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"writes logs to {appender.label} (log4js `{appender.kind}` appender"
                          f"{' `' + appender.name + '`' if appender.name else ''}), but fixer cannot remove it "
                          f"({plan}): delete it by hand and give every category that used it a "
                          "`{ type: 'stdout' }` appender")
        return
    deletions, replacements, stdout, added, emptied, filters = plan
    edits, found = _removal_edits(source_file, deletions, replacements, cleanup)
    given = "" if not emptied else f"; {'a category' if emptied == 1 else f'{emptied} categories'} left without an " \
        f"appender {'gets' if emptied == 1 else 'get'} `{stdout}`" + (
            " (a `{ type: 'stdout' }` appender added in its place)" if added else "")
    also = f" (with {', '.join(f'`{name}`' for name in filters)}, which only fed the file appenders)" if filters else ""
    for appender in appenders:
        line, col = source_file.line_col(appender.pair.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"writes logs to {appender.label} (log4js `{appender.kind}` appender `{appender.name}`); "
                      f"removed from `appenders` and from every category{also}{given}, logs go to stdout", tuple(edits))
    for what, node, _spans in found:
        line, col = source_file.line_col(node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col, what, tuple(_covering(edits, node)))


def _log4js_plan(data: bytes, config: Node, appenders: list[Appender]
                 ) -> str | tuple[list[tuple[int, int]], list[tuple[int, int, str]], str, bool, int, list[str]]:
    """(deletions, replacements, the stdout appender's name, whether it is new, how many categories
    it serves alone now, the filters removed with the files), or why the configuration is not plain
    enough to rewrite."""
    holder = ts.unwrap(ts.object_property(config, "appenders"))
    if holder is None or holder.type != "object":
        return "its `appenders` are not an object literal"
    pairs = ts.list_items(holder)
    if any(pair.type != "pair" for pair in pairs):
        return "its `appenders` are spread in or written as shorthand"
    named: dict[str, Node] = {}
    for pair in pairs:
        key = pair.child_by_field_name("key")
        name = ts.string_value(key) if key is not None and key.type == "string" else \
            _text(key) if key is not None and key.type == "property_identifier" else None
        value = ts.unwrap(pair.child_by_field_name("value"))
        if name is None or value is None or value.type != "object":
            return "an appender with a computed name or built by an expression"
        named[name] = value
    if any(appender.name is None or named.get(appender.name) is None or appender.pair.parent != holder
           for appender in appenders):
        return "a file appender that is not a named entry of `appenders`"
    removed = {appender.name for appender in appenders if appender.name}
    for _round in range(len(named)):  # filters (`logLevelFilter`, `categoryFilter`) that only fed a removed appender
        wrappers = set()
        for name, value in named.items():
            inner = ts.object_property(value, "appender")
            if name in removed or inner is None:
                continue
            if ts.string_value(inner) is None:
                return f"appender `{name}` wraps an appender named by an expression"
            if ts.string_value(inner) in removed:
                wrappers.add(name)
        if not wrappers:
            break
        removed |= wrappers
    categories = ts.unwrap(ts.object_property(config, "categories"))
    if categories is None or categories.type != "object" or any(c.type != "pair" for c in ts.list_items(categories)):
        return "its `categories` are not an object literal"
    lists: list[Node] = []
    for category in ts.list_items(categories):
        value = ts.unwrap(category.child_by_field_name("value"))
        names = ts.unwrap(ts.object_property(value, "appenders")) if value is not None and value.type == "object" else None
        if names is None or names.type != "array" or any(ts.string_value(n) is None for n in ts.list_items(names)):
            return f"category `{_key(category)}` does not list its appenders by name"
        lists.append(names)
    stdout = next((name for name, value in named.items() if name not in removed
                   and ts.string_value(ts.object_property(value, "type")) in LOG4JS_STDOUT_TYPES), None)
    emptied = [names for names in lists if all(ts.string_value(n) in removed for n in ts.list_items(names))]
    kept = [name for name in named if name not in removed]
    added = stdout is None and bool(emptied or not kept)
    if added:
        stdout = next(n for n in ("out", "stdout", "console", "stdoutAppender") if n not in named)
    assert stdout is not None or not emptied
    deletions: list[tuple[int, int]] = []
    replacements: list[tuple[int, int, str]] = []
    spelled_type = ts.string_literal(ts.object_property(named[appenders[0].name or ""], "type"))  # type: ignore[arg-type]
    quote = spelled_type.quote if spelled_type is not None and spelled_type.quote != "`" else "'"
    gone = [pair for pair in pairs if _key(pair) in removed]
    if added:  # the first removed appender's place: `out: { type: 'stdout' }`
        first, gone = gone[0], gone[1:]
        replacements.append((ts.leading_comments_start(data, first), first.end_byte,  # (its comments were about it)
                             f"{stdout}: {{ type: {quote}stdout{quote} }}"))
    if gone:
        deletions += ts.list_removal_spans(data, holder, gone)
    for names in lists:
        items = ts.list_items(names)
        dropped = [n for n in items if ts.string_value(n) in removed]
        if not dropped:
            continue
        if len(dropped) == len(items):
            spelled = ts.string_literal(items[0])
            mark = spelled.quote if spelled is not None and spelled.quote != "`" else quote
            replacements.append((items[0].start_byte, items[-1].end_byte, f"{mark}{stdout}{mark}"))
        else:
            deletions += ts.list_removal_spans(data, names, dropped)
    filters = [name for name in named if name in removed and name not in {a.name for a in appenders}]
    return deletions, replacements, stdout or "", added, len(emptied), filters


# --- bunyan streams -------------------------------------------------------------------

BUNYAN_LEVELS = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}


@dataclass
class BunyanStream:
    node: Node  # the stream's object in `streams: [ … ]` (or the `addStream(…)` call)
    label: str  # what it writes to
    kind: str  # "path", "rotating-file", "raw"


def _bunyan_level(node: Node | None, default: int | None) -> int | None:
    """A bunyan level as a number: 'info', 30, `bunyan.INFO`; `default` (the logger's) when none is
    given; None when it is an expression fixer cannot read."""
    node = ts.unwrap(node)
    if node is None:
        return default
    if node.type == "number" and _text(node).isdigit():
        return int(_text(node))
    name = ts.string_value(node) if node.type in ("string", "template_string") else \
        _text(node).rsplit(".", 1)[-1].lower() if node.type == "member_expression" else None
    return BUNYAN_LEVELS.get(name) if name is not None else None


def _bunyan_file_stream(item: Node, file_streams: set[str]) -> BunyanStream | None:
    """A stream object that writes to a file: `{ path: 'x.log' }`, `{ type: 'rotating-file', path }`, a raw
    `{ type: 'raw', stream: new bunyan.RotatingFileStream({ path }) }` or `{ stream: fs.createWriteStream(…) }`."""
    if item.type != "object":
        return None
    kind = ts.string_value(ts.object_property(item, "type"))
    path = ts.object_property(item, "path")
    stream = ts.unwrap(ts.object_property(item, "stream"))
    if path is not None and stream is None:
        return BunyanStream(item, sink_label(path), "rotating-file" if kind == "rotating-file" else "path")
    if stream is not None and stream.type in ("new_expression", "call_expression"):
        callee = _text(stream.child_by_field_name("constructor" if stream.type == "new_expression" else "function"))
        if callee.split(".")[-1] == "RotatingFileStream" or callee in file_streams:
            arguments = ts.list_items(stream.child_by_field_name("arguments"))  # type: ignore[arg-type]
            first = ts.unwrap(arguments[0]) if arguments else None
            target = ts.object_property(first, "path") if first is not None and first.type == "object" else first
            return BunyanStream(item, sink_label(target) if target is not None else "a file", "raw")
    return None


def _bunyan_stdout(item: Node) -> bool:
    """`{ stream: process.stdout }` (or stderr; `type: 'stream'` or none): a stream the container collects."""
    return item.type == "object" and _text(ts.unwrap(ts.object_property(item, "stream"))) in STDOUT_STREAMS \
        and ts.string_value(ts.object_property(item, "type")) in (None, "stream")


def bunyan_findings(source_file: SourceFile, cleanup: bool) -> Iterator[Finding]:
    """bunyan streams written to files (`streams: [{ path }]`, `{ type: 'rotating-file', path }`, a raw
    RotatingFileStream, `log.addStream({ path })`), under the module's one rule: every logger keeps a stream to
    stdout that gets every line the files got. A `streams` list written in `createLogger({ … })` loses its file
    streams when a `{ stream: process.stdout }` of the list stays whose level is no higher than theirs; a list
    of file streams only gets that stdout stream (at their lowest level) in the first one's place. Anything
    else is reported."""
    if b"bunyan" not in source_file.data:
        return
    root = source_file.tree.root_node
    bindings = ts.top_level_bindings(root)
    modules = [b for b in bindings if binding_module(b) == "bunyan"]
    if not modules:
        return
    creators = {f"{b.name}.createLogger" for b in modules if _imported_name(b) in (None, "default")} | \
        {b.name for b in modules if _imported_name(b) == "createLogger"} | {"require('bunyan').createLogger",
                                                                             'require("bunyan").createLogger'}
    file_streams = _file_stream_callees(bindings)
    data = source_file.data
    for call in ts.descendants(root, "call_expression"):
        callee = _text(call.child_by_field_name("function"))
        arguments = ts.list_items(call.child_by_field_name("arguments"))  # type: ignore[arg-type]
        if callee.split(".")[-1] == "addStream" and arguments:
            found = _bunyan_file_stream(ts.unwrap(arguments[0]), file_streams)  # type: ignore[arg-type]
            if found is not None:
                line, col = source_file.line_col(call.start_byte)
                guard = development_only(source_file, call)
                if guard is not None:
                    yield _development_note(source_file, Sink(call, found.label), guard)
                    continue
                yield Finding(INFO.id, source_file.path, line, col,
                              f"writes logs to {found.label} (bunyan `{found.kind}` stream added by `addStream`), but "
                              "fixer cannot remove it (it does not follow streams added to a logger after it is made): "
                              "delete it by hand and make sure the logger keeps a `{ stream: process.stdout }` stream")
            continue
        if callee not in creators or not arguments:
            continue
        options = ts.unwrap(arguments[0])
        if options is None or options.type != "object":
            continue
        pair = ts.object_pair(options, "streams")
        single = ts.object_pair(options, "stream")
        if single is not None and pair is None:
            found = _bunyan_file_stream(options, file_streams)
            if found is not None and found.kind == "raw":
                yield from _bunyan_report(source_file, [found], "its one `stream` is a file: give it `process.stdout`")
            continue
        streams = ts.unwrap(pair.child_by_field_name("value")) if pair is not None else next(
            (item for item in ts.list_items(options) if item.type == "shorthand_property_identifier"
             and _text(item) == "streams"), None)  # `{ name, streams }`
        if streams is None:
            continue
        if streams.type in ("identifier", "shorthand_property_identifier"):  # a list made before: not rewritten here
            held = ts.unwrap(_constant_value(root, _text(streams)))
            files = [f for f in (_bunyan_file_stream(node, file_streams) for node in (
                ts.descendants(held, "object") if held is not None else ())) if f is not None]
            yield from _bunyan_report(source_file, files, f"its `streams` are held in `{_text(streams)}`, which fixer "
                                      "does not rewrite")
            continue
        items = ts.list_items(streams) if streams.type == "array" else []
        files = [f for f in (_bunyan_file_stream(node, file_streams) for node in (
            items if streams.type == "array" else ts.descendants(streams, "object"))) if f is not None]
        if not files:
            continue
        guards = [development_only(source_file, f.node) for f in files]
        if all(guard is not None for guard in guards):  # (a development convenience: production never writes them)
            for found, guard in zip(files, guards):
                yield _development_note(source_file, Sink(found.node, found.label), guard)  # type: ignore[arg-type]
        elif streams.type != "array":
            yield from _bunyan_report(source_file, files, "its `streams` are not a list written in the call")
        else:
            yield from _bunyan_plan(source_file, data, options, streams, items, files, cleanup)


def _bunyan_plan(source_file: SourceFile, data: bytes, options: Node, streams: Node, items: list[Node],
                 files: list[BunyanStream], cleanup: bool) -> Iterator[Finding]:
    if any(item.type != "object" for item in items):
        yield from _bunyan_report(source_file, files, "its `streams` list holds a stream fixer cannot read")
        return
    removed = {f.node.id for f in files}
    default = _bunyan_level(ts.object_property(options, "level"), BUNYAN_LEVELS["info"])
    stdout = [item for item in items if item.id not in removed and _bunyan_stdout(item)]
    file_levels = [_bunyan_level(ts.object_property(f.node, "level"), default) for f in files]
    stdout_levels = [_bunyan_level(ts.object_property(item, "level"), default) for item in stdout]
    if None in file_levels or None in stdout_levels:
        yield from _bunyan_report(source_file, files, "levels fixer cannot order: a variable or an expression")
        return
    lowest = min(file_levels)  # type: ignore[type-var]
    replacements: list[tuple[int, int, str]] = []
    gone = files
    if stdout:
        if min(stdout_levels) > lowest:  # type: ignore[type-var, operator]
            yield from _bunyan_report(source_file, files, f"the `process.stdout` stream on line "
                                      f"{source_file.line_col(stdout[0].start_byte)[0]} has a higher level than the "
                                      "files: lines only they got would be lost")
            return
        outcome = f"logs go to the `{_text(ts.unwrap(ts.object_property(stdout[0], 'stream')))}` stream on line " \
            f"{source_file.line_col(stdout[0].start_byte)[0]}"
    else:
        first, gone = files[0], files[1:]  # (the stdout stream takes the first one's place, at their lowest level)
        spelled = next((literal for node in ts.descendants(streams, "string")
                        if (literal := ts.string_literal(node)) is not None), None)
        quote = spelled.quote if spelled is not None and spelled.quote != "`" else "'"
        name = next((n for n, v in BUNYAN_LEVELS.items() if v == lowest), None)
        level = "" if lowest == default else f"level: {quote}{name}{quote}, " if name else f"level: {lowest}, "
        text = f"{{ {level}stream: process.stdout }}"
        replacements.append((first.node.start_byte, first.node.end_byte, text))
        outcome = f"logs go to the `{text}` stream that takes the place of the one on line " \
            f"{source_file.line_col(first.node.start_byte)[0]}"
    deletions = ts.list_removal_spans(data, streams, [f.node for f in gone]) if gone else []
    edits, found = _removal_edits(source_file, deletions, replacements, cleanup)
    for stream in files:
        line, col = source_file.line_col(stream.node.start_byte)
        what = f"replaced by `{replacements[0][2]}`, logs go to stdout" if replacements and stream is files[0] \
            else "removed from `streams`, " + outcome
        yield Finding(INFO.id, source_file.path, line, col,
                      f"writes logs to {stream.label} (bunyan `{stream.kind}` stream); {what}", tuple(edits))
    for what, node, _spans in found:
        line, col = source_file.line_col(node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col, what, tuple(_covering(edits, node)))


def _bunyan_report(source_file: SourceFile, files: list[BunyanStream], why: str) -> Iterator[Finding]:
    for stream in files:
        line, col = source_file.line_col(stream.node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"writes logs to {stream.label} (bunyan `{stream.kind}` stream), but fixer cannot remove it "
                      f"({why}): delete it by hand and keep a `{{ stream: process.stdout }}` stream whose level is no "
                      "higher than the file's")


# --- per file -----------------------------------------------------------------------


# Loggers whose output goes where an environment variable says: (variable, library, the values
# that write to a file, the stdout value, the variable naming the file, the library's default file).
ENV_FILE_MODES = (
    ("JET_LOGGER_MODE", "jet-logger", frozenset({"file"}), "console", "JET_LOGGER_FILEPATH", "jet-logger.log"),
)


def env_mode_findings(source_file: SourceFile) -> Iterator[Finding]:
    """An env file production may read that sets a logger's output to a file (express-generator-
    typescript's `config/.env.production`: `JET_LOGGER_MODE=file`): reported, not changed. The
    value production runs with may come from elsewhere (its own env file, the orchestrator), and
    the file may be an operator's: the finding says what to set, here and there."""
    if is_dev_only(source_file.path):  # (`.env.development`, `config/.env.test`, `.env.local`)
        return
    entries = envfile.parse(source_file.data)
    values = {entry.key: entry.value.strip() for entry in entries}
    for entry in entries:
        for variable, library, file_modes, stdout_mode, path_variable, default_path in ENV_FILE_MODES:
            if entry.key != variable or entry.value.strip().lower() not in file_modes:
                continue
            line, col = source_file.line_col(entry.value_start)
            target = values.get(path_variable) or default_path
            yield Finding(INFO.id, source_file.path, line, col,
                          f"{variable}={entry.value.strip()}: {library} writes every log line to a file ({target}) "
                          f"where this env file is used, not to stdout: set `{variable}={stdout_mode}` here and "
                          f"wherever production's environment sets it (not changed: the deployed value may come "
                          f"from elsewhere)")


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    if source_file.kind == "env":
        yield from env_mode_findings(source_file)
        return
    sinks = find_file_sinks(source_file)
    # log4js file appenders (what only they used goes too, unless winston/pino sinks share the file)
    yield from log4js_findings(source_file, cleanup=not sinks)
    yield from bunyan_findings(source_file, cleanup=not sinks and b"log4js" not in source_file.data)
    root = source_file.tree.root_node
    # a development convenience: production never writes those files. (Beside a file production
    # writes, they go with it: the `if … else` holding both goes whole.)
    guards = [development_only(source_file, sink.node) or _all_development_only(source_file, _held_at(sink.node, root))
              for sink in sinks]
    if sinks and all(guard is not None for guard in guards):
        for sink, guard in zip(sinks, guards):
            yield _development_note(source_file, sink, guard)  # type: ignore[arg-type]
        return
    if not sinks:
        return
    preset = {sink.node.id: sink.why for sink in sinks if sink.why is not None}
    removal = plan_with_a_transport_everywhere(source_file, sinks, preset)
    consoles = find_consoles(source_file)
    conflicts = console_conflicts(removal, sinks, consoles)
    if conflicts:  # a Console transport elsewhere: the files go without a new one, or an `else` adds it
        alternative = plan_removal(source_file, sinks, add_console=False, reported=preset)
        still = console_conflicts(alternative, sinks, consoles)
        if still:
            add_else_consoles(alternative, consoles, still)
            still = console_conflicts(alternative, sinks, consoles)
        if not still and not alternative.unresolved and not loggers_without_transport(alternative, sinks):
            removal = alternative
        else:
            shown = next(iter(conflicts.values()))
            line = source_file.line_col(shown.start_byte)[0]
            reason = f"the logger also gets a Console transport on line {line}; removing it would leave two " \
                "Console transports or none on some path" if shown.type == "new_expression" else \
                f"the logger gets a transport target on line {line} on other paths only; removing it would " \
                "leave no target on some path"
            removal = plan_removal(source_file, sinks, reported={sink.node.id: _why_left(removal, sink) or reason
                                                                 for sink in sinks})
    adder = dict(context.console_added).get(source_file.path) if isinstance(context, Context) else None
    if adder is not None and (removal.added or removal.created) and not removal.unresolved:
        # winston's README: `logger.add(new Console())` in index.js, outside production
        removal = plan_removal(source_file, sinks, reported={**{sink.node.id: f"{adder} adds a Console transport to a "
                               "logger from this file; one here too would log lines twice" for sink in sinks}, **preset})
    if any(_inside(sink.node, removal.deletions + [(a, b) for a, b, _t in removal.replacements])
           for sink in sinks if sink.node.id in removal.unresolved):
        removal = plan_removal(source_file, sinks, reported={  # never half-removed
            sink.node.id: _why_left(removal, sink) or "removed with a transport fixer cannot remove" for sink in sinks})
    cleanup = cleanup_spans(removal)
    deletions = _without_emptied_ifs(source_file, _merge(removal.deletions + [span for _w, _n, spans in cleanup for span in spans]))
    deletions = _without_extra_blank_lines(source_file.data, deletions)
    edits = [Edit(source_file.path, start, end, "") for start, end in deletions]
    edits += [Edit(source_file.path, start, end, text) for start, end, text in removal.replacements
              if not any(a <= start and end <= b for a, b in deletions)]
    edits += [Edit(source_file.path, at, at, text) for at, text, _if in removal.insertions]
    edits += [Edit(source_file.path, at, at, text) for at, text in removal.created]
    root, loggers = source_file.tree.root_node, Loggers.of(source_file.tree.root_node)
    for sink, guard in zip(sinks, guards):
        line, col = source_file.line_col(sink.node.start_byte)
        reason = removal.unresolved.get(sink.node.id) or removal.unresolved.get(ts.outer_parens(sink.node).id)
        if reason and guard is not None:  # left as it is: production never writes it
            yield _development_note(source_file, sink, guard)
            continue
        if reason:
            todo = "give the logger exactly one Console transport on every path" if "two Console" in reason \
                or "twice" in reason \
                else "make sure every configuration the loop reads still logs to stdout, once" if "loop" in reason \
                else "write to stdout there instead (`destination: 1`)" if "no target" in reason \
                or sink.node.type == "object" \
                else "write to stdout there instead (`process.stdout`)" if sink.node.type == "call_expression" \
                else "keep a Console transport so logs go to stdout"
            yield Finding(INFO.id, source_file.path, line, col,
                          f"writes logs to {sink.label}, but fixer cannot remove it ({reason}): delete it by hand "
                          f"and {todo}")
            continue
        # the edits of one file stand or fall together (a variable goes with its uses)
        outcome = "replaced by a stdout target (`pino/file`, destination 1)" if sink.node.id in removal.swapped \
            and sink.node.type == "object" else "replaced by a Console transport" if sink.node.id in removal.swapped else \
            "removed (a Console transport is given where the logger is created)" if \
            {loggers.key(_target(p)) for p in _positions(sink, root)} & removal.at_creation else "removed"
        yield Finding(INFO.id, source_file.path, line, col,
                      f"writes logs to {sink.label}; file transport {outcome}, logs go to stdout", tuple(edits))
    for what, node, spans in cleanup:
        line, col = source_file.line_col(node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col, what, tuple(_covering(edits, node)))
    for at, text, holder in removal.insertions if not removal.unresolved else ():
        line, col = source_file.line_col(holder.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      "adds a Console transport on one path only; an `else` adds one on the other, "
                      "which lost its file transports", tuple(e for e in edits if e.start == at and e.end == at))


def _all_development_only(source_file: SourceFile, positions: list[Node]) -> tuple[int, str] | None:
    """The guard of the first place a transport held in a variable is attached, when every one
    of them runs outside production only."""
    guards = [development_only(source_file, position) for position in positions]
    return guards[0] if guards and all(guard is not None for guard in guards) else None


def _development_note(source_file: SourceFile, sink: Sink, guard: tuple[int, str]) -> Finding:
    """A file transport production never attaches: no edit (it breaks nothing there, and a
    developer may read that file), a note that says why."""
    line, col = source_file.line_col(sink.node.start_byte)
    condition = " ".join(guard[1].split())
    shown = condition if len(condition) <= 60 else condition[:57] + "…"
    names = opt_ins(source_file.tree.root_node, sink.node)
    unless = f"; production writes it only if {' or '.join(names)} turns it on: leave that unset there" if names else ""
    return Finding(INFO.id, source_file.path, line, col,
                   f"writes logs to {sink.label} only outside production (`{shown}`, line {guard[0]}): left as it is, "
                   f"production logs do not go to it{unless}", severity="info")


def _why_left(removal: Removal, sink: Sink) -> str | None:
    return removal.unresolved.get(sink.node.id) or removal.unresolved.get(ts.outer_parens(sink.node).id)


def _removal_edits(source_file: SourceFile, deletions: list[tuple[int, int]], replacements: list[tuple[int, int, str]],
                   cleanup: bool) -> tuple[list[Edit], list]:
    """The edits that delete `deletions` and make `replacements` (those no deletion covers), with what only
    the deleted code used (`cleanup_spans`: imports, a log directory) when `cleanup`; and those clean-ups,
    (what, node, spans) each, for their own findings."""
    found = cleanup_spans(Removal(source_file, None, deletions=deletions, replacements=replacements)) if cleanup else []
    spans = _without_emptied_ifs(source_file, _merge(deletions + [span for _w, _n, spans in found for span in spans]))
    spans = _without_extra_blank_lines(source_file.data, spans)
    edits = [Edit(source_file.path, start, end, "") for start, end in spans]
    edits += [Edit(source_file.path, start, end, text) for start, end, text in replacements
              if not any(a <= start and end <= b for a, b in spans)]
    return edits, found


def _without_emptied_ifs(source_file: SourceFile, deletions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """An `if` whose every statement is deleted, in every branch (`else if` and `else` too), goes whole.
    A branch that holds no statement (only comment lines, or nothing) does not keep it, when its
    condition has no side effect: `if (!existsSync(dir)) { mkdirSync(dir); // log it } else if (!isTest)
    { // log it }` losing its `mkdirSync` goes whole, comments included (they are inside the statement
    that goes, about the code that goes; kept, they would describe nothing). An `if` none of whose
    statements is deleted stays, even when it holds none."""
    for _round in range(5):
        emptied = []
        for holder in ts.descendants(source_file.tree.root_node, "if_statement"):
            if holder.parent is not None and holder.parent.type == "else_clause" or _inside(holder, deletions) \
                    or _emptied(holder, deletions) is not True:
                continue
            emptied.append(ts.statement_removal_span(source_file.data, ts.removable_statement(holder)))
        if not emptied:
            return deletions
        deletions = _merge(deletions + emptied)
    return deletions


def _emptied(statement: Node | None, deletions: list[tuple[int, int]]) -> bool | None:
    """True when every statement of `statement` (a block, an `if` with its branches) is deleted and
    there is at least one; None when it holds none (a block of comments, `;`, an `if` that guards
    only those with a condition that has no side effect); False otherwise."""
    if statement is None or statement.type == "empty_statement":
        return None
    if _inside(statement, deletions):
        return True
    if statement.type == "if_statement":
        alternative = statement.child_by_field_name("alternative")
        consequence = _emptied(statement.child_by_field_name("consequence"), deletions)
        if consequence is None and _has_side_effect(statement.child_by_field_name("condition")):
            return False  # (the condition runs for what it does)
        return _all_emptied([consequence] + ([] if alternative is None else [
            _emptied(next((c for c in alternative.named_children if c.type != "comment"), None), deletions)]))
    if statement.type == "statement_block":
        return _all_emptied([_emptied(s, deletions) for s in ts.list_items(statement)])
    return False


def _all_emptied(parts: list[bool | None]) -> bool | None:
    if False in parts:
        return False
    return True if True in parts else None


SIDE_EFFECTS = frozenset({"call_expression", "new_expression", "assignment_expression", "augmented_assignment_expression",
                          "update_expression", "await_expression", "yield_expression"})


def _has_side_effect(node: Node | None) -> bool:
    return node is not None and (any(True for _n in ts.descendants(node, *SIDE_EFFECTS)) or
                                 any(n.type == "unary_expression" and _text(n).startswith("delete")
                                     for n in ts.descendants(node, "unary_expression")))


def _without_extra_blank_lines(data: bytes, deletions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Whole lines deleted between blank lines leave as many blank lines as the larger
    run around them, not both runs (`a\n\n\nfile\n\n\nb` keeps two, not four); at the end
    of the file, none."""
    widened = []
    for i, (start, end) in enumerate(deletions):
        floor = deletions[i - 1][1] if i else 0
        ceiling = deletions[i + 1][0] if i + 1 < len(deletions) else len(data)
        if start == ts.line_start(data, start) and (end == len(data) or data[end - 1 : end] == b"\n"):
            above = below = 0
            cursor = start
            while cursor > floor and data[ts.line_start(data, cursor - 1) : cursor].strip() == b"":
                cursor, above = ts.line_start(data, cursor - 1), above + 1
            if end == len(data) and not (i + 1 < len(deletions)):
                start = cursor  # the end of the file: no blank lines left before it
            cursor = end
            while cursor < ceiling and data[cursor : ts.next_line_start(data, cursor)].strip() == b"":
                cursor, below = ts.next_line_start(data, cursor), below + 1
            for _blank in range(min(above, below)):
                end = ts.next_line_start(data, end)
        widened.append((start, end))
    return widened


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # (touching spans too: the blank lines around them are one question)
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _covering(edits: list[Edit], node: Node) -> list[Edit]:
    """The edits that remove or replace `node`."""
    return [e for e in edits if e.start <= node.start_byte < e.end or (e.text and node.start_byte <= e.start < node.end_byte)]


# --- across files: dependencies nothing uses any more ----------------------------------


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    edits_by_file: dict[str, list[Edit]] = {}
    for finding in findings:
        for change in finding.changes:
            if isinstance(change, Edit):
                edits_by_file.setdefault(change.path, []).append(change)
    if not edits_by_file:
        return
    for service in repo.services:
        manifest = f"{service.dir}/package.json" if service.dir else "package.json"
        for module in _declared(service.package, ROTATE_MODULES):
            users = [f for f in repo.files(CODE_KINDS, (module.encode(),)) if repo.service_for(f.path) is service]
            touched = [f for f in users if f.path in edits_by_file]
            if not touched or any(module.encode() in _after(f, edits_by_file.get(f.path, [])) for f in users):
                continue
            line = _manifest_line(repo, manifest, module)
            yield Finding(INFO.id, manifest, line, 1,
                          f"`{module}` is no longer used after removing the file transports: remove it from "
                          f"dependencies (`npm uninstall {module}` in {service.dir or 'the repository root'})")


def _declared(package: dict, modules: tuple[str, ...]) -> list[str]:
    declared = set()
    for section in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = package.get(section)
        if isinstance(deps, dict):
            declared |= set(deps) & set(modules)
    return sorted(declared)


def _after(source_file: SourceFile, edits: list[Edit]) -> bytes:
    return edit_ops.apply(source_file.data, edits) if edits else source_file.data


def _manifest_line(repo: Repo, path: str, module: str) -> int:
    source_file = repo.read(path)
    if source_file is None:
        return 1
    offset = source_file.data.find(json.dumps(module).encode())
    return source_file.line_col(offset)[0] if offset >= 0 else 1


def _key(pair: Node) -> str:
    key = pair.child_by_field_name("key")
    if key is None:
        return ""
    return ts.key_name(key) or ""


def _depth(node: Node) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


