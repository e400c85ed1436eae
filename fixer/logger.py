"""The repository's logger, as its own code uses it.

Several fixes log through "the repo's logger" (console-to-logger, graceful-shutdown,
cors-validation, db-degradation). This module answers, for any file:

- which logger binding it already has (an import, a `require`, or a logger it creates);
- otherwise, which import to add — inferred from how the other files of the same
  package import their logger (module, default vs named, CommonJS `require`,
  relative paths re-computed from the new file, `.js` extensions in ESM), or set in
  `.fixer.toml` under `[logger]`;
- the exact edit that adds that import, in the file's quote style, semicolon habit
  and line ending, after the last import (never inside a shebang).
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from tree_sitter import Node

from fixer.errors import ParseError
from fixer.model import Edit, pickled_by_fields
from fixer.parsing import typescript
from fixer.parsing.typescript import node_text as _text
from fixer.parsing.comments import blank, comment_ranges
from fixer.parsing import yamlfile
from fixer.repo import CODE_KINDS, FactsSpec, Repo, Service, SourceFile, glob_match, is_test

# A logger instance's name; factories (`createServiceLogger`) are not loggers.
LOGGER_NAME = re.compile(r"^(?!(create|make|get|build|new|init)[A-Z])(logger|log|[a-z]\w*Logger)$")
LOGGER_MODULE = re.compile(r"(^|[/#])(logger|logging|log)(\.[cm]?[jt]s)?$|(^|[/#])logger/index(\.[cm]?[jt]s)?$")
# Modules that export logger *libraries* or classes, not a configured logger instance.
LIBRARIES = frozenset({"winston", "pino", "bunyan", "log4js", "@nestjs/common", "debug", "loglevel", "signale"})
# Of those, the ones whose module is itself a logger, its default one: winston 2 and 3 export level
# methods that log through the default logger (`const winston = require('winston'); winston.info('up',
# { port })`, set up with `winston.add(…)`, NodeBB's way). A service whose code logs so has the module
# (imported whole) for its logger: `default_logger_votes`.
DEFAULT_LOGGERS = frozenset({"winston"})
# HTTP request-logging middleware, imported as `logger` by habit (`import logger from 'morgan'`,
# express-generator's `var logger = require('morgan')`, Hono's `{ logger }`): no `.info`.
REQUEST_LOGGERS = frozenset({"morgan", "koa-logger", "hono/logger", "express-winston", "pino-http", "express-pino-logger",
                             "koa-pino-logger", "morgan-body", "redux-logger", "@tinyhttp/logger"})
# An import or require whose text mentions a logger (checked on bytes before any parse).
# (No `\b` before `import`: a superset, which is all a "may" needs, found a third faster.)
MAY_IMPORT_LOGGER = re.compile(rb"(?:import|require)\b[^;]{0,400}?[Ll]og|[Ll]og\w*\s*\}?\s*=\s*require\b", re.S)


def _import_window(data: bytes) -> int:
    """Where MAY_IMPORT_LOGGER's matches end at the latest: each holds an `import` or
    `require` and reaches at most 411 bytes past the last one (and looks one byte further),
    so scanning up to here finds exactly what scanning the whole file finds, and most files
    end their imports long before their last byte."""
    last = max(_last_word(data, b"import"), _last_word(data, b"require"))
    return 0 if last < 0 else min(len(data), last + 420)


def _last_word(data: bytes, word: bytes) -> int:
    """Where `word` last occurs followed by no word character (as `word\\b` matches it:
    "is required" in a message does not count), or -1."""
    end = len(data)
    while (at := data.rfind(word, 0, end)) >= 0:
        after = data[at + len(word): at + len(word) + 1]
        if not after or not (after.isalnum() or after == b"_"):
            return at
        end = at
    return -1


@lru_cache(maxsize=16)  # (asked by several facts of one file in a row; a bytes object keeps its hash)
def may_import_logger(data: bytes) -> bool:
    """Whether some import or require in the file may be a logger's (MAY_IMPORT_LOGGER)."""
    return MAY_IMPORT_LOGGER.search(data, 0, _import_window(data)) is not None


# A function named for giving a logger (`useLogger()`, `getLogger('api')`): not a request-logging
# middleware (`requestLogger`, `userTokenClientApiLogger`), which is a function named like a logger too.
GIVES_LOGGER = re.compile(r"^(use|get|create|make|build|new|init)[A-Z]\w*$")
# A factory that makes a logger (`createServiceLogger('svc')`), imported by the files that use it.
FACTORY = re.compile(r"^(create|make|get|build|new)\w*Logger$")
# (`\w++\.` and the `\b` do not change what matches, only how fast: no backtracking inside words)
CREATES_LOGGER = re.compile(
    rb"(\w++\.)?(create\w*Logger|pino)\s*\(|\b\w*[Ll]ogger\.child\s*\(|new\s+(winston\.)?Logger\s*\("
)


def logger_creations(data: bytes) -> Iterator[re.Match[bytes]]:
    """CREATES_LOGGER's matches, without scanning files that cannot hold one."""
    if b"Logger" in data or b"pino" in data or b"ogger.child" in data:
        yield from CREATES_LOGGER.finditer(data)


@dataclass(frozen=True)
class LoggerImport:
    """How files import the logger: `import { logger } from '@scope/shared'` and its kin."""

    module: str  # as written in the importing file
    imported: str  # the exported name ("default" for a default import / `= require(...)`)
    local: str  # the local binding name most files use
    target: str | None = None  # repository path of a relative module, so other files can reach it
    # how a relative specifier spells the target past its stem: "" (`./logger`, `./logging` for
    # logging/index.ts), ".js" (ESM: `./logger.js`, for a .ts or a .js file), "/index.js", …
    suffix: str = ""
    # how many files import it this way: for people, not identity (a fix that adds imports
    # changes the count, not the convention)
    files: int = field(default=0, compare=False)
    # A service that makes its logger with a factory (`const log = createServiceLogger('svc')`):
    # the call's argument list; `imported` is then the factory and `local` the logger's name.
    factory_args: str | None = None
    # TypeScript files import it with `import logger = require('./logger')` (imported: "default",
    # the module's exports), and new imports in TypeScript files are written so, except in those
    # that are ES modules (TS1202; `require` is not defined there): see `esm_scopes`
    equals: bool = False
    # With `equals`: where TypeScript files are ES modules, from each package.json's `"type"` and
    # each tsconfig.json's `module` (`_es_module_scopes`; here, so a fix's context keys on it)
    esm_scopes: tuple[tuple[str, str, bool], ...] = ()
    # the repository file a tsconfig path alias `module` names, from the files that import it
    # (`@utils/logger` -> src/utils/logger.ts): it names that file only where that tsconfig applies
    aliased: str | None = None
    # When what it loads may be an ES module (`_may_be_an_es_module`): (directory, what the tsconfigs
    # there compile TypeScript to: "node" for node16/nodenext, "commonjs", "es"), so a CommonJS
    # TypeScript file gets no import of it (`_requires_an_es_module`; here, so a fix's context keys on it)
    module_kinds: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        if self.factory_args is not None:
            return (f"`{self.local}` made with `{self.imported}{self.factory_args}` of `{self.module}` "
                    f"({self.files} file(s))")
        if self.module in DEFAULT_LOGGERS and self.imported in ("default", "*"):
            return f"{self.module}'s default logger, `{self.local}.info(…)` of `{self.module}` ({self.files} file(s))"
        if self.equals:
            return f"`{self.module}` as `{self.local}`, with `import {self.local} = require(…)` ({self.files} file(s))"
        what = "default export" if self.imported == "default" else f"`{self.imported}`"
        return f"{what} of `{self.module}` as `{self.local}` ({self.files} file(s))"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ImportSeen:
    file: str
    module: str
    imported: str  # the exported name, "default" (a default import, a whole `require`), "*" (`import * as`)
    local: str
    commonjs: bool  # a `require`: `const x = require('m')`, or TypeScript's `import x = require('m')`
    equals: bool = False  # TypeScript's import-equals, `import x = require('m')` (imported: "default")
    # a require's `default` member, `require('m').default` (imported: "default"), not the whole module
    # (`require('m')`, imported "default" too): what differs where the module's default is `exports.default`
    member: bool = False


# --- reading a file's imports ---------------------------------------------------------


def imports_in(source_file: SourceFile, namespaces: bool = False) -> Iterator[ImportSeen]:
    """Every imported binding of the file: ESM imports, TypeScript's `import x = require('m')`
    and top-level `require`s; `import * as ns` (imported "*") only when asked for."""
    found = _imports(source_file)
    return iter(found if namespaces else (seen for seen in found if seen.imported != "*"))


def logger_imports_in(source_file: SourceFile, namespaces: bool = False, factories: bool = False
                      ) -> Iterator[ImportSeen]:
    """The imports that can be a logger's: only statements that mention `log`/`Log` are read
    (every logger import does: see LOGGER_NAME, LOGGER_MODULE), so most are never walked;
    and when the file is not parsed yet, only its head up to the last of them is. A
    namespace import (`import * as log from './log'`) is not one: no convention imports so
    (`namespaces`: it is, where it is a logger module's, `import * as logging from './logging'`;
    `factories`: so is a logger factory, `import { createServiceLogger } from '@acme/shared'`)."""
    if "tree" not in source_file.__dict__ and not may_import_logger(source_file.data):
        return iter(())  # not parsed yet, and no import mentions a log: not worth a parse
    return iter(seen for seen in _imports(source_file, _MENTIONS_LOG)
                if (namespaces or seen.imported != "*") and (
                    is_logger_import(seen) or factories and seen.imported != "*" and FACTORY.match(seen.local)))


_MENTIONS_LOG = re.compile(rb"[Ll]og")


def _head_end(data: bytes) -> int | None:
    """Where the file's head ends: the line break after the `;` that ends the last statement
    that may import a logger. None when there is none, or the head is most of the file."""
    last = None
    for last in MAY_IMPORT_LOGGER.finditer(data, 0, _import_window(data)):
        pass
    semicolon = data.find(b";", last.end()) if last is not None else -1
    end = data.find(b"\n", semicolon) if semicolon >= 0 else -1
    return None if end < 0 or end > len(data) // 2 else end


_NAME = rb"[A-Za-z_$][A-Za-z0-9_$]*"
_NAMED = rb"\{(?P<%s>[^{}'\"`/\\\r\n;]*)\}"
_NAMESPACE = rb"\*[ \t]*as[ \t]+(?P<%s>" + _NAME + rb")"
# One whole line that is one plain ESM import, or one TypeScript import-equals (`import
# logger = require('./logger');`): nothing in it can hide a comment, a string or a second
# statement, so it is exactly the statement the parser would see.
_SIMPLE_IMPORT = re.compile(
    rb"[ \t]*(?P<statement>import(?P<type>[ \t]+type)?[ \t]+(?:(?:(?P<default>" + _NAME + rb")(?:[ \t]*,[ \t]*(?:"
    + _NAMED % b"also" + rb"|" + _NAMESPACE % b"also_ns" + rb"))?|" + _NAMED % b"named" + rb"|" + _NAMESPACE % b"ns"
    + rb")[ \t]*from|(?P<equals>" + _NAME + rb")[ \t]*=[ \t]*require[ \t]*\()[ \t]*(?P<quote>['\"])(?P<module>[^'\"\\\r\n]*)"
    rb"(?P=quote)(?(equals)[ \t]*\))[ \t]*;)[ \t]*\r?"
)
_SPECIFIER = re.compile(rb"[ \t]*(?:(type)[ \t]+)?(" + _NAME + rb")(?:[ \t]+as[ \t]+(" + _NAME + rb"))?[ \t]*")
_RESERVED = frozenset({b"default", b"type", b"as", b"from", b"import", b"export", b"typeof"})


def _simple_head_imports(source_file: SourceFile, mentioning: re.Pattern[bytes]) -> tuple[ImportSeen, ...] | None:
    """The head's imports that mention a log, read line by line without a parse, when every
    line of the head, its comments blanked (`fixer.parsing.comments`), is blank or one
    plain single-line ESM import (the common case); None otherwise (then the head is
    parsed). Same answers as the parse: tested on every fixture file and generated heads."""
    data = source_file.data
    end = _head_end(data)
    if end is None:
        return None
    head = data[: end + 1]
    comments = comment_ranges(head)
    if comments is None:
        return None
    found: list[ImportSeen] = []
    offset = 0
    for number, line in enumerate(blank(head, comments).split(b"\n")):
        start, offset = offset, offset + len(line) + 1
        if not line.strip() or (number == 0 and line.startswith(b"#!")):
            continue
        match = _SIMPLE_IMPORT.fullmatch(line)
        if match is None:
            return None  # code, or a statement over several lines (a lone CR too: it ends a line)
        # what the parse asks of the statement (its comments included, not those around it)
        if match.group("type") or not mentioning.search(head, start + match.start("statement"), start + match.end("statement")):
            continue  # `import type …` binds no value; a line not mentioning a log is not asked for
        module = match.group("module").decode("utf-8", "replace")
        if match.group("equals"):  # `import logger = require('./logger');`
            if match.group("equals") in _RESERVED:
                return None
            found.append(ImportSeen(source_file.path, module, "default", match.group("equals").decode(), True, True))
            continue
        if match.group("default"):
            if match.group("default") in _RESERVED:
                return None
            found.append(ImportSeen(source_file.path, module, "default", match.group("default").decode(), False))
        namespace = match.group("ns") or match.group("also_ns")
        if namespace:
            if namespace in _RESERVED:
                return None
            found.append(ImportSeen(source_file.path, module, "*", namespace.decode(), False))
        for part in (match.group("named") or match.group("also") or b"").split(b","):
            if not part.strip():
                continue
            spec = _SPECIFIER.fullmatch(part)
            if spec is None or spec.group(2) in _RESERVED or spec.group(3) in _RESERVED:
                return None
            if spec.group(1):
                continue  # `{ type Logger }`
            found.append(ImportSeen(source_file.path, module, spec.group(2).decode(),
                                    (spec.group(3) or spec.group(2)).decode(), False))
    return tuple(found)


def _head_root(source_file: SourceFile) -> Node | None:
    """The parse of the file's head, through the `;` that ends the last statement that may
    import a logger, when that answers for the whole file: the head parses cleanly and every
    top-level statement in it that mentions a log ends with its own `;` (what follows a `;`
    cannot change how the statement before it parses). None: parse the whole file."""
    data = source_file.data
    end = _head_end(data)
    if end is None:
        return None  # the head is most of the file: no gain
    root = typescript.parse(data[: end + 1], source_file.kind).root_node
    if root.has_error:
        return None
    for node in root.named_children:
        if _MENTIONS_LOG.search(data, node.start_byte, node.end_byte) and (
                node.child_count == 0 or node.children[-1].type != ";"):
            return None
    return root


@lru_cache(maxsize=64)  # asked several times per file (votes, bindings, names); keyed by the file object
def _imports(source_file: SourceFile, mentioning: re.Pattern[bytes] | None = None) -> tuple[ImportSeen, ...]:
    """The file's imports and requires (those whose statement `mentioning` matches), read once
    per file for all the facts that ask (the logger's votes, console-to-logger's call shapes)."""
    memo = source_file.__dict__.setdefault("_imports_memo", {})
    if mentioning not in memo:
        memo[mentioning] = _read_imports(source_file, mentioning)
    return memo[mentioning]


def _read_imports(source_file: SourceFile, mentioning: re.Pattern[bytes] | None) -> tuple[ImportSeen, ...]:
    found: list[ImportSeen] = []
    data = source_file.data
    root = None
    if mentioning is not None and "tree" not in source_file.__dict__:
        simple = _simple_head_imports(source_file, mentioning)  # plain import lines: no parse at all
        if simple is not None:
            return simple
        root = _head_root(source_file)  # not parsed yet: the head may be all it takes
    for node in (root or source_file.tree.root_node).named_children:
        if mentioning is not None and not mentioning.search(data, node.start_byte, node.end_byte):
            continue
        if node.type == "import_statement":
            found.extend(_esm_import(source_file.path, node))
        elif node.type in ("lexical_declaration", "variable_declaration"):
            found.extend(_require(source_file.path, node))
    return tuple(found)


def _esm_import(path: str, node: Node) -> Iterator[ImportSeen]:
    if any(child.type == "type" for child in node.children):
        return  # `import type`
    equals = next((c for c in node.named_children if c.type == "import_require_clause"), None)
    if equals is not None:  # TypeScript's `import logger = require('./logger')`: the module's exports
        module = typescript.string_value(equals.child_by_field_name("source"))
        name = next((c for c in equals.named_children if c.type == "identifier"), None)
        if module is not None and name is not None:
            yield ImportSeen(path, module, "default", _text(name), True, True)
        return
    module = typescript.string_value(node.child_by_field_name("source"))
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    if module is None or clause is None:
        return
    for part in clause.named_children:
        if part.type == "identifier":
            yield ImportSeen(path, module, "default", _text(part), False)
        elif part.type == "namespace_import":
            name = next((c for c in part.named_children if c.type == "identifier"), None)
            if name is not None:
                yield ImportSeen(path, module, "*", _text(name), False)
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier" or any(c.type == "type" for c in spec.children):
                    continue
                names = [c for c in spec.named_children if c.type == "identifier"]
                if names:
                    yield ImportSeen(path, module, _text(names[0]), _text(names[-1]), False)


def _require(path: str, node: Node) -> Iterator[ImportSeen]:
    for declarator in node.named_children:
        if declarator.type != "variable_declarator":
            continue
        value = declarator.child_by_field_name("value")
        name = declarator.child_by_field_name("name")
        module, member = _required_module(value)
        if module is None or name is None:
            continue
        if name.type == "identifier":
            yield ImportSeen(path, module, member or "default", _text(name), True, member=member == "default")
        elif name.type == "object_pattern":
            for prop in name.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    yield ImportSeen(path, module, _text(prop), _text(prop), True)
                elif prop.type == "pair_pattern":
                    key, local = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                    if key is not None and local is not None and local.type == "identifier":
                        yield ImportSeen(path, module, _text(key), _text(local), True)


def _required_module(value: Node | None) -> tuple[str | None, str | None]:
    """`require('m')` -> (m, None); `require('m').logger` -> (m, 'logger')."""
    member = None
    if value is not None and value.type == "member_expression":
        prop = value.child_by_field_name("property")
        member = _text(prop) if prop is not None else None
        value = value.child_by_field_name("object")
    if value is None or value.type != "call_expression":
        return None, None
    callee = value.child_by_field_name("function")
    args = value.child_by_field_name("arguments")
    if callee is None or _text(callee) != "require" or args is None or not args.named_children:
        return None, None
    return typescript.string_value(args.named_children[0]), member


def is_logger_import(seen: ImportSeen) -> bool:
    if seen.module in LIBRARIES or seen.module.split("/")[0] in LIBRARIES or seen.module in REQUEST_LOGGERS:
        return False
    if seen.imported not in ("default", "*") and not LOGGER_NAME.match(seen.imported):
        return False  # `import { db } from './logger'` is not the logger
    return bool(LOGGER_NAME.match(seen.local)) or bool(LOGGER_MODULE.search(seen.module))


# --- the repository's convention ----------------------------------------------------


def resolve_module(repo: Repo, from_file: str, module: str) -> str | None:
    """The repository path a relative specifier points at (`../utils/logger.js` -> src/utils/logger.ts)."""
    if not module.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), module))
    stem = re.sub(r"\.[cm]?js$", "", base)
    # (TypeScript's own mapping first: `./logger.cjs` names logger.cts, `./logger.mjs` logger.mts)
    mapped = (stem + ".cts",) if base.endswith(".cjs") else (stem + ".mts",) if base.endswith(".mjs") else ()
    for candidate in (base, *mapped, stem + ".ts", stem + ".js", stem + ".tsx", stem + "/index.ts", stem + "/index.js",
                      stem + ".mts", stem + ".cjs", stem + ".mjs"):
        if repo.exists(candidate):
            return candidate
    return None


def resolve_import(repo: Repo, from_file: str, module: str) -> str | None:
    """The repository file an import's specifier loads: a relative one (`resolve_module`), or
    one a tsconfig path alias or `baseUrl` names (`@config/env`, `alias_target`)."""
    return resolve_module(repo, from_file, module) if module.startswith(".") else alias_target(repo, from_file, module)


def imported_closure(repo: Repo, roots: Iterable[str], modules_of: Callable[[str], Iterable[str]],
                     via: dict[str, str] | None = None, strict: bool = False, packages: bool = False) -> set[str] | None:
    """Every repository file the `roots` import, directly or not, the roots left out: relative
    imports and those through a tsconfig path alias (`resolve_import`); `modules_of(path)`: what
    a file imports (`repo.IMPORTED_MODULES` facts, or its parse). `via`, when given, gets for each
    file the root it was reached from. With `strict`, None when a relative import on the way names
    no file of the repository (build output: what it loads is unknown). With `packages`, a workspace
    package's name too (`@acme/config/env`: the file its `exports` give, `package_entry`)."""
    roots = set(roots)
    seen: set[str] = set()
    todo = sorted(roots)
    members = workspace_packages(repo) if packages else {}
    while todo:
        path = todo.pop()
        for module in modules_of(path):
            target = resolve_import(repo, path, module)
            if target is None and members and not module.startswith(".") and package_name(module) in members:
                target = package_entry(repo, module)
            if target is None:
                if strict and module.startswith("."):
                    return None
                continue
            if target not in seen and target not in roots:
                seen.add(target)
                todo.append(target)
                if via is not None:
                    via[target] = via.get(path, path)
    return seen


def alias_target(repo: Repo, from_file: str, module: str) -> str | None:
    """The repository file a tsconfig path alias or `baseUrl` specifier names (`@/lib/logger`
    with `"paths": {"@/*": ["src/*"]}`, `src/lib/logger` with `"baseUrl": "."`), from the nearest
    tsconfig above `from_file` that sets `paths` or `baseUrl` (`_path_aliases`: tsconfig.json, else
    tsconfig.app.json, tsconfig.base.json…, or one it extends by relative path) and compiles the file
    (`_compiles`: a path alias is the compiler's, and a file no such tsconfig compiles — a plain-JS
    service that Node runs as it is, outside the root tsconfig's `include` — resolves the specifier
    as Node does, in node_modules); None for a relative specifier, a repository path, or no such file.
    A `#` specifier is first what Node makes of it, by the `imports` of the file's package.json
    (`imports_target`)."""
    if not module or module.startswith(".") or repo.exists(module):
        return None
    if module.startswith("#") and (found := imports_target(repo, from_file, module)) is not None:
        return found
    config = _path_aliases(repo, posixpath.dirname(from_file), from_file)
    if config is None:
        return None
    base, paths = config
    candidates = []
    for pattern, targets in paths:
        prefix, star, suffix = pattern.partition("*")
        if star and module.startswith(prefix) and module.endswith(suffix) and len(module) >= len(prefix) + len(suffix):
            middle = module[len(prefix): len(module) - len(suffix)]
            candidates += [target.replace("*", middle) for target in targets]
        elif not star and module == pattern:
            candidates += targets
    candidates.append(module)  # (`baseUrl` alone resolves bare specifiers too)
    for candidate in candidates:
        joined = posixpath.normpath(posixpath.join(base, candidate))
        if joined.startswith(".."):
            continue
        found = resolve_module(repo, "x", "./" + joined)
        if found is not None:
            return found
    return None


def _imports_scope(repo: Repo, from_file: str) -> tuple[str, dict] | None:
    """(directory, `imports` map) of the package.json whose `imports` Node reads for `from_file`'s `#`
    specifiers: the nearest one above it, whatever it holds (a `{ "type": "module" }` marker too: one
    without `imports` defines no `#` specifier there); None when it has no `imports` map."""
    directory = _package_scope(repo, from_file)
    imports = repo.packages[directory].get("imports") if directory is not None else None
    return (directory, imports) if isinstance(imports, dict) else None


def _package_scope(repo: Repo, path: str) -> str | None:
    """The directory of the nearest package.json above `path`, whatever it holds (Node's package scope)."""
    directory = posixpath.dirname(path)
    while directory not in repo.packages:
        if not directory:
            return None
        directory = posixpath.dirname(directory)
    return directory


def imports_entries(repo: Repo, from_file: str, specifier: str, require: bool,
                    checked: bool = False) -> tuple[str, list[str]] | None:
    """(the package's directory, the targets relative to it) that the package.json `imports` map
    of `from_file` (`_imports_scope`) gives the `#` specifier `specifier` (`#logger`, or `#lib/log.js`
    by a pattern `#lib/*`, its `*` put in), as `_required_entries` picks them for a `require()`
    (`require`; with `checked`, TypeScript's pick after Node's), else for an ES import (conditions
    `import`, `node`, `default`). Targets of files only (`./src/log.js`), not a package's name; []
    when the map gives it none under those conditions; None when the map does not define it."""
    scope = _imports_scope(repo, from_file) if specifier.startswith("#") else None
    matched = _imports_match(scope[1], specifier) if scope is not None else None
    if matched is None or matched[0] is None:  # (`null`: not defined, as Node reads it)
        return None
    directory, (value, middle) = scope[0], matched
    if require:
        entries = _required_entries({"exports": value}, ".", checked)
    else:
        entries = [t] if (t := _condition_target(value, lambda key: key in ("import", "node"))) is not None else []
    if entries is None:
        return None
    targets = [entry.replace("*", middle) for entry in entries]
    return (directory, targets) if all(t.startswith("./") for t in targets) else None


def _imports_match(imports: dict, specifier: str) -> tuple[object, str] | None:
    """(the value, what its `*` stands for) of the entry of an `imports` map that matches `specifier`: its
    own key, else the pattern with the longest part before its `*` (Node's rule); None when none does."""
    if specifier in imports and "*" not in specifier:
        return imports[specifier], ""
    best = None
    for key in imports:
        prefix, star, suffix = key.partition("*") if isinstance(key, str) else ("", "", "")
        if star and "*" not in suffix and specifier.startswith(prefix) and specifier.endswith(suffix) \
                and len(specifier) >= len(key) and (best is None or (len(prefix), len(key)) > best[0]):
            best = ((len(prefix), len(key)), key, specifier[len(prefix): len(specifier) - len(suffix)])
    return (imports[best[1]], best[2]) if best is not None else None


def imports_target(repo: Repo, from_file: str, specifier: str) -> str | None:
    """The repository file a `#` specifier names for `from_file` (`imports_entries`, mapped to its source
    as `_entry_file` maps a package's entry: `./dist/log.js` -> src/log.ts), by the conditions of the
    file's kind (`require` for CommonJS, `import` for an ES module), else by the others; None when none."""
    esm = _es_module_file(repo, from_file)
    for require in (not esm, esm):
        found = imports_entries(repo, from_file, specifier, require)
        if found is not None and found[1]:
            return _entry_file(repo, found[0] + "/" if found[0] else "", found[1][0])
    return None


def _path_aliases(repo: Repo, directory: str, path: str) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]] | None:
    """(the directory `paths` resolve from, (pattern, targets)…) of the nearest tsconfig at or above
    `directory` that sets `paths` or `baseUrl` (its own, or one it extends) and compiles the file at
    `path` (`_compiles`): of each directory its tsconfig.json first, then its other tsconfig*.json
    (`tsconfig.app.json`, an Nx workspace's `tsconfig.base.json`: the compiler is given them by
    name), tests' last; None when none does. Remembered per run."""
    return next((aliases for config, aliases in _alias_configs(repo, directory) if _compiles(repo, config, path)), None)


def _alias_configs(repo: Repo, directory: str) -> tuple[tuple[str, tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]], ...]:
    """(tsconfig, its `_aliases_of`) of each tsconfig at or above `directory` that sets path aliases, nearest
    first (in `_path_aliases`' order). Remembered per run and directory (most files share a few)."""
    memo = repo.derived.setdefault("logger/alias-configs", {})
    if directory not in memo:
        own = tuple((config, aliases) for config in _tsconfigs_in(repo, directory)
                    if (aliases := _aliases_of(repo, config)) is not None)
        memo[directory] = own + (_alias_configs(repo, posixpath.dirname(directory)) if directory else ())
    return memo[directory]


_JS_EXTENSIONS = (".js", ".jsx", ".mjs", ".cjs")
_DEFAULT_EXCLUDE = ("node_modules", "bower_components", "jspm_packages")


def _compiles(repo: Repo, config: str, path: str) -> bool:
    """Whether tsc given the tsconfig `config` compiles the file at `path`: its `files`, else its
    `include` (`**/*` when neither is set; a pattern whose last part has no wildcard or extension
    is a folder), less its `exclude` (node_modules and `outDir` when unset) — each of the nearest
    config of its `extends` chain (by relative path) that sets it, relative to that config —, and
    JavaScript only under `allowJs` (or `checkJs`). Remembered per run."""
    memo = repo.derived.setdefault("logger/tsconfig-files", {})
    if config not in memo:
        memo[config] = _compiled_files(repo, config)
    files, include, exclude, javascript = memo[config]
    if path in files:
        return True
    if not javascript and (path.endswith(_JS_EXTENSIONS) or "." not in posixpath.basename(path)):
        return False
    return any(glob_match(path, pattern) for pattern in include) and not any(glob_match(path, p) for p in exclude)


def _compiled_files(repo: Repo, config: str) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...], bool]:
    """(files, include globs, exclude globs, JavaScript compiled) of a tsconfig (`_compiles`), from the root."""
    settings: dict[str, tuple[str, object]] = {}  # key -> (the directory of the config that sets it, its value)
    options: dict[str, object] = {}
    chain = [config]
    while len(chain) < 6:
        source_file = repo.read(chain[-1]) if repo.exists(chain[-1]) else None
        data = typescript.jsonc_loads(source_file.data) if source_file is not None else None
        if not isinstance(data, dict):
            break
        here = posixpath.dirname(chain[-1])
        for key in ("files", "include", "exclude"):
            if isinstance(data.get(key), list):
                settings.setdefault(key, (here, data[key]))
        compiler = data.get("compilerOptions")
        for key, value in (compiler.items() if isinstance(compiler, dict) else ()):
            options.setdefault(key, (here, value) if key == "outDir" else value)
        extends = data.get("extends")
        if not isinstance(extends, str) or not extends.startswith("."):
            break
        target = posixpath.normpath(posixpath.join(here, extends))
        chain.append(target if target.endswith(".json") else target + ".json")

    def globs(key: str, default: list[str], base: str) -> tuple[str, ...]:
        here, values = settings.get(key, (base, default))
        found = []
        for value in values if isinstance(values, list) else ():
            if isinstance(value, str):
                joined = posixpath.normpath(posixpath.join(here, value))
                last = posixpath.basename(joined)
                found.append("**" if joined == "." else joined + "/**" if "*" not in last and "." not in last else joined)
        return tuple(found)

    base = posixpath.dirname(config)
    files = frozenset(pattern for pattern in globs("files", [], base))
    include = globs("include", [] if "files" in settings else ["**/*"], base)
    out = options.get("outDir")
    default_exclude = list(_DEFAULT_EXCLUDE)
    if isinstance(out, tuple) and isinstance(out[1], str):
        default_exclude.append(posixpath.relpath(posixpath.join(out[0], out[1]), base or "."))
    exclude = globs("exclude", default_exclude, base)
    if "exclude" not in settings:
        exclude += tuple("**/" + name + "/**" for name in _DEFAULT_EXCLUDE)
    return files, include, exclude, options.get("allowJs") is True or options.get("checkJs") is True


def _tsconfigs_in(repo: Repo, directory: str) -> list[str]:
    """The tsconfig files of `directory`: tsconfig.json, then the other tsconfig*.json by name,
    those of tests (`tsconfig.spec.json`) last."""
    index = repo.derived.get("logger/tsconfigs")
    if index is None:
        index = {}
        for path in repo.paths_of({"json"}):
            name = posixpath.basename(path)
            if name.startswith("tsconfig") and name.endswith(".json"):
                index.setdefault(posixpath.dirname(path), []).append(path)
        for paths in index.values():
            paths.sort(key=lambda p: (not p.endswith("/tsconfig.json") and p != "tsconfig.json",
                                      bool(re.search(r"\b(spec|test|e2e)\b", posixpath.basename(p))), p))
        repo.derived["logger/tsconfigs"] = index
    return index.get(directory, [])


def _aliases_of(repo: Repo, config: str) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]] | None:
    """What `_path_aliases` gives for one tsconfig file: its `paths`/`baseUrl`, or those of the
    config it extends by relative path (`../../tsconfig.base.json`), nearest first. Remembered per run."""
    memo = repo.derived.setdefault("logger/tsconfig-aliases", {})
    if config not in memo:
        memo[config] = _read_aliases(repo, config)
    return memo[config]


def _read_aliases(repo: Repo, config: str) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]] | None:
    chain = [config]
    while chain and len(chain) < 6:
        path = chain[-1]
        source_file = repo.read(path) if repo.exists(path) else None
        data = typescript.jsonc_loads(source_file.data) if source_file is not None else None
        if not isinstance(data, dict):
            return None
        options = data.get("compilerOptions") if isinstance(data.get("compilerOptions"), dict) else {}
        here = posixpath.dirname(path)
        if isinstance(options.get("paths"), dict) or isinstance(options.get("baseUrl"), str):
            base = posixpath.normpath(posixpath.join(here, options.get("baseUrl") or "."))
            paths = tuple((str(k), tuple(str(t) for t in v if isinstance(t, str)))
                          for k, v in (options.get("paths") or {}).items() if isinstance(v, list))
            return (base if base != "." else "", paths)
        extends = data.get("extends")
        if not isinstance(extends, str) or not extends.startswith("."):
            return None
        target = posixpath.normpath(posixpath.join(here, extends))
        chain.append(target if target.endswith(".json") else target + ".json")
    return None


# --- workspace packages ----------------------------------------------------------------


DEPENDENCY_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def package_of(repo: Repo, path: str) -> str | None:
    """The directory of the nearest package.json above `path` ("" for the root's), None when none;
    not a marker's (`_marks_type_only`: `{ "type": "module" }` sets the module type of the files
    under it, no package: they load the dependencies of the package above, and ship with it), unless
    no other is above it."""
    directory = posixpath.dirname(path)
    packages = repo.packages
    marker = None
    while directory not in packages or (_marks_type_only(packages[directory]) and directory):
        if directory in packages and marker is None:
            marker = directory
        if not directory:
            return marker
        directory = posixpath.dirname(directory)
    return directory


_PACKAGE_KEYS = ("name", "workspaces", "scripts", "main", "exports", "bin", *DEPENDENCY_KEYS)


def _marks_type_only(manifest: dict) -> bool:
    """Whether a package.json only sets what its files are (`{ "type": "module" }`, `"imports"`,
    `"sideEffects"`): no name, no dependencies, no scripts, workspaces, entry or exports."""
    return not any(manifest.get(key) for key in _PACKAGE_KEYS)


_RANGE_MAJOR = re.compile(r"\s*(?:npm:[^@\s]+@)?[~^>=<v\s]*(\d+)")


def range_major(spec: object) -> int | None:
    """The major version a package.json dependency range starts from (`^10.45.2`, `>=4`, `~3.1`,
    `npm:winston@3`: 10, 4, 3, 3); None for one that names no version (`latest`, `*`, `workspace:*`,
    a file, link, git or URL dependency)."""
    found = _RANGE_MAJOR.match(spec) if isinstance(spec, str) else None
    return int(found.group(1)) if found else None


def package_name(specifier: str) -> str:
    """The package a bare specifier names: `@acme/logger` of `@acme/logger/child`, `shared` of `shared/x`."""
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def declares(repo: Repo, directory: str, package: str) -> bool:
    """Whether the package.json of `directory` declares `package` among its dependencies (of any kind)."""
    manifest = repo.packages.get(directory) or {}
    return any(isinstance(manifest.get(key), dict) and package in manifest[key] for key in DEPENDENCY_KEYS)


_NODE_BUILTINS = frozenset({"assert", "async_hooks", "buffer", "child_process", "cluster", "console", "crypto", "dgram",
                            "diagnostics_channel", "dns", "events", "fs", "http", "http2", "https", "inspector", "module",
                            "net", "os", "path", "perf_hooks", "process", "readline", "stream", "timers", "tls",
                            "tty", "url", "util", "v8", "vm", "worker_threads", "zlib"})


def build_contexts(repo: Repo, directory: str) -> tuple[str, ...]:
    """The build contexts (relative to the root) of the images built of the service at
    `directory`: each compose service's `build` context that builds it (`_service_of_build`),
    and for a Dockerfile of the service no compose file names, its own directory when it is the
    service's (`docker build services/api`, as `report.verify_commands` runs it) unless it copies
    the service's directory by its path from the root, else the root. () when no image is built
    of it. What an image holds is its context: no package.json above it, no module outside it.
    Remembered per run."""
    memo = repo.derived.setdefault("logger/build-contexts", {})
    if directory in memo:
        return memo[directory]
    service = next((s for s in repo.services if s.dir == directory), None)
    found: set[str] = set()
    named = {compose.dockerfile for compose in repo.compose_services if compose.dockerfile}
    for compose in repo.compose_services if service is not None else ():
        if compose.context is not None and repo.service_of_compose(compose) is service:
            found.add(compose.context)
    for dockerfile in service.dockerfiles if service is not None else ():
        if dockerfile in named:
            continue
        here = posixpath.dirname(dockerfile)
        found.add(here if here == directory and not _copies_by_root_path(repo, dockerfile, directory) else "")
    memo[directory] = tuple(sorted(found))
    return memo[directory]


def _copies_by_root_path(repo: Repo, dockerfile: str, directory: str) -> bool:
    """Whether the Dockerfile's COPY/ADD name `directory` by its path from the repository root
    (`COPY services/api/package.json ./`): it is built from the root."""
    source_file = repo.read(dockerfile) if directory and repo.exists(dockerfile) else None
    try:
        instructions = source_file.instructions if source_file is not None else []
    except ParseError:  # (a Dockerfile that does not parse says nothing of its context)
        return False
    return any(instruction.cmd in ("COPY", "ADD") and not any(f.startswith("--from") for f in instruction.flags)
               and any(v.removeprefix("./").rstrip("/") == directory or v.removeprefix("./").startswith(directory + "/")
                       for v in instruction.value[:-1])
               for instruction in instructions)


def _within(directory: str, context: str) -> bool:
    return not context or directory == context or directory.startswith(context + "/")


def resolvable(repo: Repo, path: str, specifier: str) -> bool:
    """Whether Node finds the package a bare specifier names from `path`, as the repository
    installs it: declared by the package.json of the file's package or of one above it (npm and
    yarn install what a package.json declares in the node_modules beside it, hoisting a
    workspace's to the root's, and Node looks up the tree) — counting only those inside every
    build context of the images built of the file's service (an image built from the service's
    directory holds no package.json above it). Never what a sibling package declares: hoisted
    there by chance, and absent from the sibling-less image. A Node builtin resolves; a package
    of the repository is left to the workspace rules (`_through_workspace_package`,
    `console_to_logger._undeclared_logger_package`); with no package.json anywhere, nothing is known."""
    name = package_name(specifier)
    if not repo.packages or specifier.startswith("node:") or name in _NODE_BUILTINS \
            or any(manifest.get("name") == name for manifest in repo.packages.values()):
        return True
    return declared_above(repo, path, name)


def declared_above(repo: Repo, path: str, package: str) -> bool:
    """Whether the package.json of the file's package, or of one above it, declares `package`,
    counting only those inside every build context of the images built of the file's service
    (`build_contexts`: an image built from the service's directory holds no package.json above it)."""
    service = repo.service_for(path)
    contexts = build_contexts(repo, service.dir) if service is not None else ()
    directory = package_of(repo, path)
    while directory is not None:
        if declares(repo, directory, package) and all(_within(directory, context) for context in contexts):
            return True
        directory = posixpath.dirname(directory) if directory else None
        while directory and directory not in repo.packages:
            directory = posixpath.dirname(directory)
    return False


def unreachable_reason(repo: Repo, path: str, conventions: dict[str | None, LoggerImport]) -> str | None:
    """Why the repository's logger, a package the file's service does not import itself, is
    not the file's (`convention_for`): it would not resolve from there (`resolvable`), or it is the
    file's own library (`_imports_itself`)."""
    service = repo.service_for(path)
    candidate = conventions.get(service.dir if service else None) or conventions.get(None)
    if candidate is not None and _imports_itself(repo, path, candidate):
        return (f"the service's logger comes from `{candidate.module}`, this file's own library: importing it here "
                "would make the library import itself (its barrel loads this file, this file the barrel: `logger` is "
                "undefined while it loads); import the module that makes the logger relatively, by hand")
    fallback = conventions.get(None)
    outside = _outside_image_reason(repo, path, fallback) \
        if fallback is not None and conventions.get(service.dir if service else None) is None else None
    if outside is not None:
        return outside
    if fallback is None or conventions.get(service.dir if service else None) is not None \
            or repo.config.logger.get("module") or fallback.target is not None or fallback.module.startswith(".") or fallback.aliased is not None \
            or resolvable(repo, path, fallback.module):
        return None
    name = package_name(fallback.module)
    own = package_of(repo, path)
    manifest = "no package.json" if own is None else f"{own}/package.json" if own else "package.json"
    contexts = build_contexts(repo, service.dir) if service is not None else ()
    above = f", and its image is built from {', '.join(c or '.' for c in contexts)}, which holds no package.json " \
        "above that (what one above declares is not installed in it)" if any(contexts) else \
        ", nor does a package.json above it"
    return (f"the repository's logger `{fallback.module}`, which other services import, is not a dependency this file "
            f"can load: {manifest} does not declare `{name}`{above}, so the import "
            f"would fail with `Cannot find module`: declare it (`npm install {name}`"
            + (f" in {own}" if own else "") + ") and rerun fixer, or log here by hand")


def _outside_image_reason(repo: Repo, path: str, fallback: LoggerImport, configured: bool = False) -> str | None:
    """Why the repository's logger is not the file's when an image of its service does not hold it
    (`outside_image`); None otherwise, and when it is another service's private module (said as such).
    `configured`: of the logger `[logger] module` names, which is imported as told (`configured_outside_image`)."""
    target = fallback.target
    if fallback.aliased is not None:
        target = alias_target(repo, path, fallback.module)
        if target != fallback.aliased:
            return None
    service = repo.service_for(path)
    other = repo.service_for(target) if target is not None else None
    if service is None or (other is not None and other.dir and other is not service) \
            or bool(repo.config.logger.get("module")) != configured:
        return None
    directory = outside_image(repo, path, fallback, target)
    if directory is None:
        return None
    contexts = ", ".join(c for c in build_contexts(repo, service.dir) if not _within(directory, c))
    name = package_name(fallback.module) if not fallback.module.startswith(".") and fallback.module != target else None
    if name is not None and not any(m.get("name") == name for m in repo.packages.values()):
        name = None  # (a path alias, `@/lib/logger`: a module of the repository)
    what = f"`{fallback.module}` ({directory})" if name is not None else f"`{fallback.module}` ({target})"
    declare = (f"; declaring `{name}` in its package.json would make the image's install fetch a registry package "
               "of that name (a published one, if any), not the workspace's") if name is not None else ""
    has = declared_logger(repo, path)
    if configured:
        return (f"the logger `[logger] module` names in .fixer.toml, {what}, is outside the image of this service: its "
                f"image is built from {contexts}, which does not hold {directory}, so the import fixer writes as "
                f"told would fail with `Cannot find module` in the container{declare}: build the image from a directory "
                "that holds both (the repository root), or leave this service's files out of console-to-logger "
                "(`[[ignore]]` in .fixer.toml) and log there through a logger module inside the service"
                + (f"; what the service has: {has}" if has is not None else ""))
    return (f"the repository's logger {what} is outside the image of this service: its image is built from "
            f"{contexts}, which does not hold {directory}, so the import would fail with `Cannot find module` in the "
            f"container{declare}: build the image from a directory that holds both (the repository root), or set "
            "`[logger] create = true` in .fixer.toml to give the service a logger module of its own, and rerun fixer; "
            "or log here by hand" + (f"; what the service has: {has}" if has is not None else ""))


def configured_outside_image(repo: Repo, path: str, convention: LoggerImport) -> str | None:
    """Why the logger `[logger] module` names (`convention`), which the file's calls are fixed through as
    told, fails to load in an image of the file's service, which does not hold it (`outside_image`, the
    check the inferred logger gets: `unreachable_reason`); None when each image holds it."""
    return _outside_image_reason(repo, path, convention, configured=True)


def uses_pnpm(repo: Repo) -> bool:
    """Whether the workspace is pnpm's (a pnpm-workspace.yaml, or `"packageManager": "pnpm@…"`): pnpm
    links into a package's node_modules only what its package.json declares (workspace packages too)."""
    manager = (repo.packages.get("") or {}).get("packageManager")
    return repo.exists("pnpm-workspace.yaml") or (isinstance(manager, str) and manager.startswith("pnpm@"))


def workspace_packages(repo: Repo) -> dict[str, str]:
    """name -> directory of the workspace's member packages: those the root package.json's
    `workspaces` (a list, or `{ "packages": [...] }`) or pnpm-workspace.yaml's `packages` name
    (globs; `!` excludes), with a name, the root aside. Remembered per run."""
    if "logger/workspace-packages" in repo.derived:
        return repo.derived["logger/workspace-packages"]
    globs: list[str] = []
    root = repo.packages.get("") or {}
    declared = root.get("workspaces")
    if isinstance(declared, dict):
        declared = declared.get("packages")
    if isinstance(declared, list):
        globs += [g for g in declared if isinstance(g, str)]
    if repo.exists("pnpm-workspace.yaml"):
        source_file = repo.read("pnpm-workspace.yaml")
        try:
            documents = yamlfile.load_all(source_file.data) if source_file is not None else []
        except yamlfile.YamlError:
            documents = []
        for document in documents[:1]:
            listed = document.get("packages") if isinstance(document, dict) else None
            globs += [g for g in listed if isinstance(g, str)] if isinstance(listed, list) else []
    found: dict[str, str] = {}
    included = [g.strip().rstrip("/").removeprefix("./") for g in globs if not g.startswith("!")]
    excluded = [g[1:].strip().rstrip("/").removeprefix("./") for g in globs if g.startswith("!")]
    for directory, manifest in sorted(repo.packages.items()):
        name = manifest.get("name")
        if directory and isinstance(name, str) and name and any(glob_match(directory, g) for g in included) \
                and not any(glob_match(directory, g) for g in excluded):
            found.setdefault(name, directory)
    repo.derived["logger/workspace-packages"] = found
    return found


def package_entry(repo: Repo, specifier: str) -> str | None:
    """The repository file a workspace package's specifier loads (`@acme/shared`: its
    package.json's `exports["."]` (`_exported_entries`), `main`/`module`/`types` (not a declaration file), a
    built file mapped to its source (`./dist/logger.mjs` -> src/logger.ts), or src/index.ts, index.ts…;
    `@acme/shared/logger`: that module of the package, by its `exports` too)."""
    parts = specifier.split("/")
    count = 2 if specifier.startswith("@") else 1
    package, rest = "/".join(parts[:count]), "/".join(parts[count:])
    directory = next((d for d, manifest in repo.packages.items() if manifest.get("name") == package), None)
    if directory is None:
        return None
    base = directory + "/" if directory else ""
    manifest = repo.packages[directory]
    if rest:
        exported = _exported_entries(manifest.get("exports"), "./" + rest)
        for entry in exported:
            found = _entry_file(repo, base, entry)
            if found is not None:
                return found
        return resolve_module(repo, base + "x", "./" + rest) or resolve_module(repo, base + "src/x", "./" + rest)
    # (the code that runs: `exports["."]`'s conditions, `main`, `module`; a declaration file holds none)
    entries = _exported_entries(manifest.get("exports"), ".") + [
        manifest.get(key) for key in ("main", "module", "types", "typings")]
    for entry in entries:
        if isinstance(entry, str):
            found = _entry_file(repo, base, entry)
            if found is not None:
                return found
    for candidate in ("./src/index", "./index", "./lib/index"):
        found = resolve_module(repo, base + "x", candidate)
        if found is not None:
            return found
    return None


_CONDITIONS = ("import", "require", "node", "default", "types")  # (the code that runs first; types last)


def _exported_entries(exports: object, subpath: str) -> list[str]:
    """The files a package.json's `exports` gives for `subpath` ("." or "./logger"): a string
    (`"exports": "./dist/index.js"`, for "."), `exports[subpath]` (a string, or conditions, nested
    or not: `{ "import": { "types": …, "default": … } }`), or conditions alone for "." (`{
    "import": …, "require": … }`); code before declarations. [] when it says nothing."""
    if isinstance(exports, dict) and any(isinstance(key, str) and key.startswith(".") for key in exports):
        exports = exports.get(subpath)
    elif subpath != ".":
        return []
    found: list[str] = []

    def walk(value: object, depth: int) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for each in value[:4]:
                walk(each, depth)
        elif isinstance(value, dict) and depth < 4:
            for key in _CONDITIONS:
                walk(value.get(key), depth + 1)

    walk(exports, 0)
    return found


def _entry_file(repo: Repo, base: str, entry: str) -> str | None:
    """The source file of a package entry (`./dist/logger.mjs` -> src/logger.ts, the built
    file mapped to its source as the build does), not a declaration file; None when none."""
    entry = posixpath.normpath(entry)
    source = re.sub(r"^(dist|build|lib|out)/", "src/", re.sub(r"\.d\.([cm]?)ts$", r".\1ts", entry))
    for candidate in (entry, source, re.sub(r"\.[cm]?[jt]sx?$", "", source)):
        found = resolve_module(repo, base + "x", "./" + candidate)
        if found is not None and not re.search(r"\.d\.[cm]?ts$", found):
            return found
    return None


def infer(repo: Repo) -> dict[str | None, LoggerImport]:
    """The most common logger import per service directory (key None: the whole repository).
    `[logger]` in .fixer.toml, when set, is the convention everywhere. Counted once per
    repository (five fixes' `prepare` ask; an overlay counts its own)."""
    if "logger/conventions" not in repo.derived:
        configured = configured_convention(repo)
        if configured is None:
            votes = Votes(repo)
            for path, cast in repo.facts_of(VOTES).items():
                votes.add_votes(path, cast)
        conventions = configured if configured is not None else votes.conventions()
        repo.derived["logger/conventions"] = {scope: replace(c, module_kinds=_typescript_module_kinds(repo))
                                              if _may_be_an_es_module(repo, c) else c
                                              for scope, c in conventions.items()}
        repo.derived["logger/functions"] = {} if configured is not None else \
            {scope: made for scope, made in votes.functions.items() if made is not None}
    return dict(repo.derived["logger/conventions"])


def logger_functions(repo: Repo) -> dict[str | None, tuple[str, str, int]]:
    """Per service directory with no logger convention (None: the repository), the function named
    like a logger that its code imports most, from a repository module that exports it as a
    function (directus's `useLogger` of `src/logger/index.js`: `useLogger().info(…)`): (module,
    name, files). Its logger is what a call returns, which fixer does not take for a convention."""
    infer(repo)
    return dict(repo.derived.get("logger/functions", {}))


def configured_convention(repo: Repo) -> dict[str | None, LoggerImport] | None:
    """The convention `[logger] module = …` sets, if it does."""
    configured = repo.config.logger
    if not configured.get("module"):
        return None
    module = configured["module"]
    if _to_create(repo, module):
        return {}  # (no logger yet: console-to-logger adds it, `created_for_services`; the others log with console)
    target = module if repo.exists(module) else None
    imported = configured.get("import", "logger")
    local = configured.get("name", "logger" if imported == "default" else imported)
    return {None: LoggerImport(module, imported, local, target, "", 0)}


def _to_create(repo: Repo, module: str) -> bool:
    """Whether `[logger] module` names a file of the repository that `create = true` adds."""
    return bool(repo.config.logger.get("create")) and bool(CODE_PATH.search(module)) and not repo.exists(module)


# module (or repository path), imported name, target, suffix, and whether it is TypeScript's
# `import x = require('m')` (not part of the convention's identity: a habit, like the local name)
ImportKey = tuple[str, str, "str | None", str, bool]
FactoryKey = tuple[str, str, "str | None", str, str, str]  # … plus the logger's name and the call's arguments


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class FileVotes:
    """One file's say in the convention: its logger imports and logger factory calls."""

    imports: tuple[tuple[ImportKey, str], ...] = ()  # (key, local name)
    factories: tuple[FactoryKey, ...] = ()
    # a logging library's default logger the file logs through (`default_logger_votes`): (module,
    # the level methods it calls on it, whether the file changes its levels: `winston.setLevels(…)`)
    default_loggers: tuple[tuple[str, tuple[str, ...], bool], ...] = ()


# what gives a value to a name or to the caller, just before a call (`= childLogger(`, `=> f(`, `return f(`,
# `export default f(`): the call makes the value, so what is called there is a factory, not the logger
_MAKES_A_VALUE = re.compile(rb"(?:(?<![=!<>])=(?![=>])|=>|(?<![\w$.])return|(?<![\w$.])export\s+default)\s*$")


def _makes_a_value(data: bytes, local: str) -> bool:
    """Whether `local` is called where the call gives a value (`_MAKES_A_VALUE`). The call is found by its
    name first (a literal the regex engine scans for), the words before it tested after: the pattern tried
    at every byte of every file importing a logger took a 5,000-file dry run 1.3 s of CPU."""
    for call in re.finditer(re.escape(local.encode()) + rb"\s*(?:<[^<>()]*>\s*)?\(", data):
        start = call.start()
        if start and (data[start - 1 : start].isalnum() or data[start - 1 : start] in b"_$."):
            continue
        if _MAKES_A_VALUE.search(data, max(0, start - 40), start):
            return True
    return False


def votes_of(source_file: SourceFile) -> FileVotes:
    """The file's logger imports, relative modules resolved (so it depends on which files
    exist: gather it with `structural="files"`), and the default loggers it logs through. An
    import the file constructs (`new Logger(…)`, read from the bytes) is a class, no logger: no vote;
    nor one it calls to make a value (`export const log = childLogger('catalog')`): a factory, whose
    result is the logger (the files that import `log` vote for it)."""
    if source_file.kind not in CODE_KINDS:
        return FileVotes()
    defaults = default_logger_votes(source_file) if b"winston" in source_file.data else ((), ())
    if not may_import_logger(source_file.data):
        return FileVotes(defaults[0], (), defaults[1])  # no import or require mentions a log: no need to parse
    repo = source_file.repo
    imports = list(defaults[0])
    for seen in logger_imports_in(source_file):
        target = resolve_module(repo, source_file.path, seen.module)
        if seen.module.startswith(".") and target is None:
            continue
        module = seen.module if target is None else target
        imported, local = seen.imported, seen.local
        if b"new" in source_file.data and re.search(
                rb"(?<![\w$.])new\s+" + re.escape(local.encode()) + rb"(?![\w$])(?!\s*\.)", source_file.data):
            continue  # `new Logger({ verbose })`: the binding is a class, whose instances log, not a logger
        if not (target is not None and GIVES_LOGGER.match(imported)) and _makes_a_value(source_file.data, local):
            # `export const log = childLogger('catalog')`: a factory, whose result is the logger (`log`). (Not a
            # repository module's `useLogger`: `Votes.conventions` reads that it exports a function, and says so.)
            continue
        if seen.commonjs and not seen.equals and imported == "default":
            member = namespace_member(source_file.data, local)
            if member == "":
                continue  # the whole module, used only as `x.default.…` (Babel's output): no vote
            if member is not None:  # `_logger.logger.info(…)`: the logger is the module's `logger`
                imported, local = member, member
        key = (module, imported, target, spelling(seen.module, target), seen.equals)
        imports.append((key, local))
    factories = tuple(_factories_of(source_file)) if b"Logger(" in source_file.data else ()
    return FileVotes(tuple(imports), factories, defaults[1])


# winston's default logger's level methods (2's and 3's npm levels, `log(level, …)`), called on the module
_DEFAULT_LEVEL_CALL = rb"\s*\.\s*(error|warn|info|http|verbose|debug|silly|log)\s*\("
# what changes the default logger's levels (winston 2's `setLevels(…)`, 3's `configure({ levels })`):
# then a level method the module exports may call one the logger no longer has (syslog's has no `warn`)
_DEFAULT_LEVELS_SET = rb"\s*\.\s*(?:setLevels\s*\(|configure\s*\([^;]{0,600}?\blevels\b)"


# a name a default logger's module may be bound to, from the bytes (`imports_in` says which it is)
_DEFAULT_BINDING = re.compile(rb"(?<![\w$.])(" + _NAME + rb")\s*(?:(?:,\s*\{[^{}]*\}\s*)?from|=\s*require\s*\()\s*['\"](?:"
                              + b"|".join(re.escape(m.encode()) for m in sorted(DEFAULT_LOGGERS)) + rb")['\"]")


def default_logger_votes(source_file: SourceFile) -> tuple[tuple[tuple[tuple, str], ...],
                                                            tuple[tuple[str, tuple[str, ...], bool], ...]]:
    """The file's votes for a logging library's default logger (DEFAULT_LOGGERS): the module
    imported whole (`const winston = require('winston')`, `import winston from 'winston'`, `import
    * as winston from 'winston'`, `import winston = require('winston')`) and a level method called
    on it (`winston.info(…)`); a file that only configures it (`winston.add(…)`) or makes a logger
    with it (`winston.createLogger(…)`) does not log through it. Returns (the import votes, in
    `FileVotes.imports`' form (imported "*" for a namespace import), and `FileVotes.default_loggers`)."""
    imports, loggers = [], []
    data = source_file.data
    if not any(re.search(rb"(?<![\w$.])" + re.escape(name) + rb"(?:" + _DEFAULT_LEVEL_CALL + rb"|" + _DEFAULT_LEVELS_SET
                         + rb")", data) for name in set(_DEFAULT_BINDING.findall(data))):
        return (), ()  # (read from the bytes first: most files that name winston make a logger with it, no parse)
    for seen in imports_in(source_file, namespaces=True):
        if seen.module not in DEFAULT_LOGGERS or seen.imported not in ("default", "*"):
            continue
        name = rb"(?<![\w$.])" + re.escape(seen.local.encode())
        methods = tuple(sorted({m.decode() for m in re.findall(name + _DEFAULT_LEVEL_CALL, source_file.data)}))
        sets_levels = re.search(name + _DEFAULT_LEVELS_SET, source_file.data) is not None
        if methods:
            imports.append(((seen.module, seen.imported, None, "", seen.equals), seen.local))
        if methods or sets_levels:
            loggers.append((seen.module, methods, sets_levels))
    return tuple(imports), tuple(loggers)


VOTES = FactsSpec("logger/votes", votes_of, CODE_KINDS, (b"log", b"Log", b"winston"), version=8,
                  structural="files")  # 8: a factory called to make a value casts no vote, `#` logger modules, .cts/.mts; 3: no request-logging middleware; 4: `import x = require('m')`;
# 5: a whole-module `require` used as `x.logger.…` votes for the module's `logger`; 6: winston's default logger (`winston.info(…)`) votes;
# 7: an import the file constructs (`new Logger(`) casts no vote

LEVEL_METHODS = frozenset({"error", "warn", "info", "http", "verbose", "debug", "silly", "trace", "fatal", "log"})


def namespace_member(data: bytes, local: str) -> str | None:
    """How a file uses a whole-module `const x = require('./logger')`: as the logger itself
    (`x.info(…)`, `x(…)`, or not at all: None), or as the module's exports (`x.logger.info(…)`,
    Babel's `var _logger = require("./logger"); _logger.logger.error(…)`): then the logger-named
    member it calls through (`logger`), or "" when it calls through none but `default`."""
    name = re.escape(local.encode())
    members = set()
    for match in re.finditer(rb"(?<![\w$.])" + name + rb"(?![\w$])\s*(?:\.\s*([\w$]+)|\()", data):
        member = match.group(1)
        if member is None or member.decode() in LEVEL_METHODS:
            return None  # called, or a level method called on it: it is the logger
        members.add(member.decode())
    through = {m for m in members if m != "default" and LOGGER_NAME.match(m) and re.search(
        rb"(?<![\w$.])" + name + rb"\s*\.\s*" + re.escape(m.encode()) + rb"\s*\.\s*(?:" +
        "|".join(sorted(LEVEL_METHODS)).encode() + rb")\s*\(", data)}
    if through:
        return "logger" if "logger" in through else sorted(through)[0]
    if "default" in members and re.search(rb"(?<![\w$.])" + name + rb"\s*\.\s*default\s*\.\s*(?:"
                                          + "|".join(sorted(LEVEL_METHODS)).encode() + rb")\s*\(", data):
        return ""
    return None


def spelling(specifier: str, target: str | None) -> str:
    """How a relative `specifier` spells its `target` past the target's stem (`LoggerImport.suffix`)."""
    if target is None:
        return ""
    extension = re.search(r"\.[cm]?[jt]sx?$", specifier)
    rest = specifier[: extension.start()] if extension else specifier
    index = "/index" if rest.endswith("/index") and re.search(r"/index\.[^/]*$", target) else ""
    return index + (extension.group() if extension else "")


def _factories_of(source_file: SourceFile) -> Iterator[FactoryKey]:
    """`const log = createServiceLogger('svc')` with the factory imported: the service's way."""
    imported = {seen.local: seen for seen in imports_in(source_file) if FACTORY.match(seen.local)}
    for name, call in _top_level_calls(source_file):
        callee = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        seen = imported.get(_text(callee))
        if seen is None or args is None or not all(a.type in ("string", "number") for a in args.named_children):
            continue
        target = resolve_module(source_file.repo, source_file.path, seen.module)
        if seen.module.startswith(".") and target is None:
            continue
        module = seen.module if target is None else target
        yield (module, seen.imported, target, spelling(seen.module, target), name, _text(args))


_SCRIPTS = re.compile(r"(^|/)(scripts?|bin|migrations?|seeds?|seeders)/")


def not_service_code(path: str) -> bool:
    """A module of tests (a test double: `test/fixtures/no-logger.js`) or of scripts: never the
    logger service code imports, whatever imports it."""
    return is_test(path) or _SCRIPTS.search(path) is not None


class Votes:
    """Logger imports counted file by file (`add` a file or `add_votes` its gathered
    `votes_of`), then `conventions()`."""

    def __init__(self, repo: Repo):
        self.repo = repo
        self.votes: dict[str | None, Counter[tuple]] = {}  # ImportKey without the import-equals flag
        self.locals_used: dict[tuple, Counter[str]] = {}
        # (scope, key): of the TypeScript files that import it, how many, and how many with `import x = require(…)`
        self.typescript_votes: Counter[tuple] = Counter()
        self.equals_used: Counter[tuple] = Counter()
        self.factories: dict[str | None, Counter[FactoryKey]] = {}
        # per scope with no convention: the logger-named function its code imports most (`logger_functions`)
        self.functions: dict[str | None, tuple[str, str, int] | None] = {}
        self.voters: dict[tuple, str] = {}  # a file that imports it so (a path alias resolves from there)
        self.namespaces_used: Counter[tuple] = Counter()  # (scope, key) of a default logger: `import * as` in TypeScript

    def add(self, source_file: SourceFile) -> None:
        self.add_votes(source_file.path, votes_of(source_file))

    def add_votes(self, path: str, cast: FileVotes) -> None:
        """A test's imports have no say: what a test imports as its logger is often a double
        (`import noLogger from '../test/fixtures/no-logger.js'`, a stub whose methods print
        nothing), never what the service's code logs through."""
        if (not cast.imports and not cast.factories) or is_test(path):
            return
        service = self.repo.service_for(path)
        scope = service.dir if service else None
        typescript_file = path.endswith(_IMPORT_EQUALS_EXTENSIONS)
        for full, local in cast.imports:
            key, equals = tuple(full[:4]), bool(full[4:5] and full[4])
            namespace = key[0] in DEFAULT_LOGGERS and key[1] == "*"
            if namespace:  # (winston's default logger, `import * as winston`: one convention with the default import)
                key = (key[0], "default", *key[2:])
            for each in {scope, None}:
                self.votes.setdefault(each, Counter())[key] += 1
                self.typescript_votes[each, key] += typescript_file
                self.equals_used[each, key] += equals
                self.namespaces_used[each, key] += namespace and typescript_file
            self.locals_used.setdefault(key, Counter())[local] += 1
            self.voters.setdefault(key, path)
        for key in cast.factories:
            self.factories.setdefault(scope, Counter())[key] += 1

    def _no_logger(self, key: tuple) -> bool:
        """Whether the module a vote names (its repository file: `key[2]`, else the file a tsconfig path
        alias names, `@/middleware/request-logger.js`) gives no logger under that name (`conventions`)."""
        module, imported, target = key[0], key[1], key[2]
        if target is None and not module.startswith("."):
            target = alias_target(self.repo, self.voters[key], module)
        if target is None:
            return False
        return not_service_code(target) or exported_as_function(self.repo, target, imported) \
            or exported_as_class(self.repo, target, imported) or (
            imported == "default" and (whole_is_namespace(self.repo, target) or exports_no_logger(self.repo, target)))

    def conventions(self) -> dict[str | None, LoggerImport]:
        conventions = {}
        scopes = None  # read once, and only when some convention is import-equals
        for scope, counter in self.votes.items():
            # (a name like a logger's that the repository's module exports as a function is none)
            # (and the whole of a module that exports its logger by name is no logger: `exports.logger = …`)
            # (nor a module of tests or tooling, `src/test/fixtures/no-logger.js`, `scripts/lib/log.js`: the
            # service's code would import a test double or a script's helper, and log through it in production)
            # (nor a module whose exports have no level method, NodeBB's morgan wrapper `src/logger.js`: `exports_no_logger`)
            # (nor a class, release-it's `class Logger {…}; export default Logger`: `exported_as_class`)
            ranked = [kv for kv in sorted(counter.items(), key=lambda kv: (-kv[1], tuple(str(k) for k in kv[0])))
                      if not self._no_logger(kv[0])]
            if not ranked:
                # (what the code imports instead, a function that gives the logger (`useLogger()`), is said)
                self.functions[scope] = next(
                    ((key[2], key[1], count) for key, count in sorted(counter.items(), key=lambda kv: (
                        -kv[1], tuple(str(k) for k in kv[0])))
                     if key[2] is not None and not not_service_code(key[2]) and GIVES_LOGGER.match(key[1])
                     and exported_as_function(self.repo, key[2], key[1])), None)
                continue
            key, count = ranked[0]
            module, imported, target, suffix = key
            local = self.locals_used[key].most_common(1)[0][0]
            # import-equals when most of the TypeScript files that import it write it that way
            equals = self.equals_used[scope, key] * 2 > self.typescript_votes[scope, key]
            if module in DEFAULT_LOGGERS and imported == "default" and not equals and (
                    self.typescript_votes[scope, key] == 0 or self.namespaces_used[scope, key] * 2 > self.typescript_votes[scope, key]):
                # a default logger's TypeScript import (`import_edit`): `import * as winston` unless most of
                # the TypeScript files that log through it import its default (which needs esModuleInterop)
                imported = "*"
            if equals and scopes is None:
                scopes = _es_module_scopes(self.repo)
            aliased = alias_target(self.repo, self.voters[key], module) if target is None else None
            conventions[scope] = LoggerImport(module, imported, local, target, suffix, count, equals=equals,
                                              esm_scopes=scopes if equals and scopes else (), aliased=aliased)
        for scope, counter in self.factories.items():
            if scope is None or scope in conventions:
                continue  # a service that imports its logger keeps doing so
            key, count = sorted(counter.items(), key=lambda kv: (-kv[1], tuple(str(k) for k in kv[0])))[0]
            module, factory, target, suffix, name, args = key
            if factory == "default" or (target is not None and not_service_code(target)):
                continue
            conventions[scope] = LoggerImport(module, factory, name, target, suffix, count, args)
        return conventions


def created_for_services(repo: Repo, conventions: dict[str | None, LoggerImport]) -> dict[str | None, LoggerImport]:
    """The conventions of the logger modules `[logger] create = true` adds: where the repository has no
    logger, the module `[logger] module` names or the shared one (`default_module_path`), and each
    service's own whose image that is outside of; where it has one, each service with none it can import
    (`_out_of_reach`) gets a module of its own, in its sources (`service_module_path`). Only
    console-to-logger, which adds the modules, logs through them (not `infer`: another fix's branch, or
    `fixer apply` of another fix, would import a module that is not there: it logs with console)."""
    if not repo.config.logger.get("create"):
        return {}
    if not conventions:
        return _created_when_none(repo)
    if all(c.files == 0 for c in conventions.values()):
        return {}
    found: dict[str | None, LoggerImport] = {}
    for service in repo.services:
        if service.dir and service.dir not in conventions and _out_of_reach(repo, service, conventions.get(None)):
            own = service_module_path(repo, service.dir)
            found[service.dir] = LoggerImport(own, "logger", "logger", own, "", 0)
    return found


def _created_when_none(repo: Repo) -> dict[str | None, LoggerImport]:
    configured = repo.config.logger
    module = configured.get("module")
    if module and _to_create(repo, module):
        imported = configured.get("import", "logger")
        local = configured.get("name", "logger" if imported == "default" else imported)
        return {None: LoggerImport(module, imported, local, module, "", 0)}
    path = default_module_path(repo)
    found: dict[str | None, LoggerImport] = {None: LoggerImport(path, "logger", "logger", path, "", 0)}
    for service in repo.services:  # (one the shared module is outside the image of: its own)
        contexts = build_contexts(repo, service.dir) if service.dir else ()
        if not path.startswith(service.dir + "/") and any(
                not _within(posixpath.dirname(path), context) for context in contexts):
            own = service_module_path(repo, service.dir)
            found[service.dir] = LoggerImport(own, "logger", "logger", own, "", 0)
    return found


def _out_of_reach(repo: Repo, service: Service, convention: LoggerImport | None) -> str | None:
    """Why the repository's convention is no logger the service at `service` can import, None when it
    may be (`[logger] create = true` gives such a service its own): none, another service's private
    module (`convention_for`), or a repository module outside every build context of the service's
    images (`build_contexts`: the image does not hold it)."""
    if convention is None:
        return "none"
    target = convention.target
    if target is not None and not target.startswith(service.dir + "/") \
            and package_name(convention.module) not in workspace_packages(repo):  # (a workspace package is no private module)
        other = repo.service_for(target)
        if other is not None and other.dir and other is not service:
            return f"another service's private module, {target}"
    # (a workspace package too: `npm ci` in an image built from the service's directory never finds it)
    directory = outside_image(repo, service.dir + "/package.json", convention) if service.dir else None
    return f"{target or convention.module}, outside the service's image" if directory is not None else None


# --- a logger for a repository that has none (`[logger] create = true`) -------------

CODE_PATH = re.compile(r"\.(ts|js|mjs|cjs|mts|cts)$")


def default_module_path(repo: Repo) -> str:
    """Where a new shared logger goes: the shared package's sources when there is one."""
    paths = repo.paths()
    code = [p for p in paths if repo.kind(p) in CODE_KINDS]
    extension = ".js" if sum(repo.kind(p) == "js" for p in code) * 2 > len(code) else ".ts"
    for base in ("shared/src", "packages/shared/src", "libs/shared/src", "shared", "packages/shared", "libs/shared"):
        if any(p.startswith(base + "/") for p in paths):
            return f"{base}/logger{extension}"
    if any(p.startswith("src/") for p in paths):
        return f"src/logger{extension}"
    return f"shared/logger{extension}"


def service_module_path(repo: Repo, directory: str) -> str:
    """Where a new logger of the service at `directory` goes, when the shared one would be outside
    its image (`build_contexts`): its sources (`src/` when it has one), as JavaScript when most of its
    code is, under a name no file has."""
    base = directory + "/"
    code = [p for p in repo.paths() if p.startswith(base) and repo.kind(p) in CODE_KINDS]
    extension = ".js" if sum(repo.kind(p) == "js" for p in code) * 2 > len(code) else ".ts"
    if any(p.startswith(base + "src/") for p in code):
        base += "src/"
    return next(f"{base}{name}{extension}" for name in ("logger", "app-logger", "fixer-logger")
                if not any(repo.exists(f"{base}{name}{e}") for e in (".js", ".ts", ".mjs", ".cjs")))


def modules_to_create(repo: Repo, conventions: dict[str | None, LoggerImport]) -> tuple[tuple[str, str], ...]:
    """(path, text) of each logger module `[logger] create = true` adds (`module_to_create`): the
    repository's, and each service's whose image the repository's is outside of."""
    found = []
    for scope in [None, *sorted(s for s in conventions if s is not None)]:
        created = module_to_create(repo, conventions, scope)
        if created is not None and created not in found:
            found.append(created)
    return tuple(found)


def module_to_create(repo: Repo, conventions: dict[str | None, LoggerImport], scope: str | None = None
                     ) -> tuple[str, str] | None:
    """(path, text) of the logger module `[logger] create = true` adds: when the convention
    (of `scope`: None, the repository's) points at a repository file that does not exist yet."""
    convention = conventions.get(scope)
    if not repo.config.logger.get("create") or convention is None or convention.target is None:
        return None
    if repo.exists(convention.target):
        return None
    # (its text as Node loads it where it is written: a .cjs, or a .js of a package whose nearest
    # package.json has no `"type": "module"`, is CommonJS; a .mjs, or a .js of a `"type": "module"`
    # package, an ES module (`require` there: ReferenceError); TypeScript, its compiler's)
    target = convention.target
    esm = target.endswith(".mjs") or (target.endswith(".js") and repo.package_type(target) == "module")
    commonjs = target.endswith(".cjs") or (target.endswith(".js") and not esm)
    text = _COMMONJS_MODULE if commonjs else _ES_MODULE if esm else _TYPESCRIPT_MODULE
    kind = "js" if commonjs or esm else "ts"
    if typescript.env_brackets_required(convention.target, kind, dict(repo.env_bracket_projects())):
        text = text.replace("process.env.NODE_ENV", "process.env['NODE_ENV']").replace(
            "process.env.LOG_LEVEL", "process.env['LOG_LEVEL']")  # (TS4111 under noPropertyAccessFromIndexSignature)
    return convention.target, text


_LOGGER_BODY = """// The shared logger: JSON lines on stdout in production, colored and readable in
// development; the level comes from LOG_LEVEL (default "info").
const isProduction = process.env.NODE_ENV === 'production';

// Errors logged as meta ({ error }) keep their fields, name, message and stack.
const errorsInMeta = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (value instanceof Error) {
      info[key] = { ...value, name: value.name, message: value.message, stack: value.stack };
    }
  }
  return info;
});

{export}const logger = winston.createLogger({
  level: process.env.LOG_LEVEL || 'info',
  format: winston.format.combine(
    errorsInMeta(),
    winston.format.errors({ stack: true }),
    winston.format.timestamp(),
    isProduction
      ? winston.format.json()
      : winston.format.combine(winston.format.colorize(), winston.format.simple()),
  ),
  transports: [new winston.transports.Console()],
});
"""
_TYPESCRIPT_MODULE = ("import * as winston from 'winston';\n\n" + _LOGGER_BODY.replace("{export}", "export ")
                      + "\nexport default logger;\n")
# (an ES module of JavaScript: winston is CommonJS, and Node gives an ES module its `module.exports`
# as the default export; the importers' `import { logger }` and `import logger` both find it)
_ES_MODULE = ("import winston from 'winston';\n\n" + _LOGGER_BODY.replace("{export}", "export ")
              + "\nexport default logger;\n")
_COMMONJS_MODULE = ("'use strict';\n\nconst winston = require('winston');\n\n" + _LOGGER_BODY.replace("{export}", "")
                    + "\nmodule.exports = { logger };\n")


def convention_for(repo: Repo, path: str, conventions: dict[str | None, LoggerImport]) -> LoggerImport | None:
    """The convention that applies to a file: its service's, else the repository's when reachable:
    not another service's private module, and not a package the file's package does not declare
    (`resolvable`: the import would fail with `Cannot find module`)."""
    service = repo.service_for(path)
    own = conventions.get(service.dir if service else None)
    if own is not None:
        return None if _imports_itself(repo, path, own) else own
    fallback = conventions.get(None)
    if fallback is None:
        return None
    target = fallback.target
    if fallback.aliased is not None:  # a path alias: only where it names the same file
        target = alias_target(repo, path, fallback.module)
        if target != fallback.aliased:
            return None
    if target is not None and service is not None and service.dir and not target.startswith(service.dir + "/") \
            and package_name(fallback.module) not in workspace_packages(repo):  # (a workspace package is no private module)
        other = repo.service_for(target)
        if other is not None and other.dir and other is not service:
            return None  # never import another service's private logger module
    if not repo.config.logger.get("module") and outside_image(repo, path, fallback, target) is not None:
        return None  # a repository module no image of the file's service holds (`unreachable_reason`; `[logger] module`: as told)
    if target is None and fallback.aliased is None and not fallback.module.startswith(".") \
            and not repo.config.logger.get("module") and not resolvable(repo, path, fallback.module):
        return None  # a package this file's package does not declare (`unreachable_reason`)
    return None if _imports_itself(repo, path, fallback) else fallback


def outside_image(repo: Repo, path: str, convention: LoggerImport, target: str | None = None) -> str | None:
    """The directory of the repository's logger — a package of the repository's (`@acme/logger` of
    packages/logger, by its name or a file of it), else its module's (`target`, where the file finds it) —
    that an image built of the file's service does not hold (`build_contexts`: compose `build:
    ./services/orders` holds nothing outside services/orders, and no install puts it there: `npm ci`
    of the service's package.json would fetch a registry package of that name, if any, never the
    workspace's), None when each image holds it or none is built. A repository package the file's
    package.json declares itself (`declared_above`, inside the context) is what the image's install
    fetches (a private registry's): the user's own dependency, not refused."""
    service = repo.service_for(path)
    contexts = build_contexts(repo, service.dir) if service is not None and service.dir else ()
    if not any(contexts):
        return None
    target = target or convention.target
    name = None if convention.module.startswith(".") or convention.module == target else package_name(convention.module)
    directory = None
    if name is not None:
        directory = workspace_packages(repo).get(name) or next(
            (d for d, manifest in sorted(repo.packages.items()) if d and manifest.get("name") == name), None)
    if directory is None and target is not None:
        home = package_of(repo, target)
        named = (repo.packages.get(home) or {}).get("name") if home else None
        if isinstance(named, str) and named and workspace_packages(repo).get(named) == home:
            directory, name = home, named  # (a file of a workspace package: imported by its name)
        else:
            directory, name = posixpath.dirname(target), None
    if directory is None or all(_within(directory, context) for context in contexts) \
            or (name is not None and declared_above(repo, path, name)):
        return None
    return directory


def _imports_itself(repo: Repo, path: str, convention: LoggerImport) -> bool:
    """Whether the convention's import would be the file's own library importing itself: a path alias
    naming a barrel (`@app/shared` -> libs/shared/src/index.ts) from a file under that barrel's
    directory, or a workspace package by name from a file of that package. The barrel loads the file,
    the file the barrel: where the file logs as it loads and comes first, `logger` is undefined there
    (a Nest app crashed at start). Such a file imports the logger module itself, relatively."""
    if convention.aliased is not None and re.search(r"(^|/)index\.[cm]?[jt]sx?$", convention.aliased) and \
            path.startswith(posixpath.dirname(convention.aliased) + "/"):
        return True
    home = workspace_packages(repo).get(package_name(convention.module)) if not convention.module.startswith(".") else None
    return home is not None and path.startswith(home + "/")


def specifier(convention: LoggerImport, from_file: str, esm: bool = False, habit: str | None = None) -> str:
    """The module specifier to write in `from_file` (`esm`: an ES module whatever its extension).
    `habit`: how the file spells its relative imports (`extension_habit`), for a convention
    whose spelling names no extension: "compiled" (`./logger.js`, as ESM does), "source"
    (`./logger.ts`, allowImportingTsExtensions)."""
    if convention.target is None:
        return convention.module
    target = re.sub(r"(/index)?\.(tsx?|[cm]?[jt]s)$", "", convention.target)
    relative = posixpath.relpath(target, posixpath.dirname(from_file) or ".")
    if not relative.startswith("."):
        relative = "./" + relative
    suffix = convention.suffix
    index = "/index" if re.search(r"/index\.[^/]*$", convention.target) else ""
    if not suffix and habit == "source":
        suffix = index + posixpath.splitext(convention.target)[1]
    elif not suffix and (esm or habit == "compiled" or from_file.endswith((".mts", ".mjs"))):
        compiled = ".mjs" if convention.target.endswith((".mts", ".mjs")) else \
            ".cjs" if convention.target.endswith((".cts", ".cjs")) else ".js"
        suffix = index + compiled  # ESM: a relative specifier names its file
    return relative + suffix


_CODE_EXTENSION = re.compile(r"\.[cm]?[jt]sx?$")
_TYPESCRIPT_EXTENSION = re.compile(r"\.[cm]?tsx?$")


def extension_habit(source_file: SourceFile) -> str | None:
    """How the file's relative imports of code spell it, most of them: "compiled" (`./util.js`
    for util.ts or util.js: an ES module's habit, which Node and NodeNext need), "source"
    (`./types.ts`, allowImportingTsExtensions), "none" (`./util`); None when it has none (or
    a tie). Type-only imports have no say."""
    counted: Counter[str] = Counter()
    root = source_file.tree.root_node
    modules = typescript.imported_modules(source_file.kind, root)
    for statement in root.named_children:  # (`import type … from './types.ts'`: erased, any spelling builds)
        source = statement.child_by_field_name("source") if statement.type in ("import_statement", "export_statement") \
            else None
        if source is not None and any(child.type == "type" for child in statement.children) and \
                typescript.string_value(source) in modules:
            modules.remove(typescript.string_value(source))
    for module in modules:
        target = resolve_module(source_file.repo, source_file.path, module) if module.startswith(".") else None
        if target is None or not _CODE_EXTENSION.search(target) or target.endswith(".d.ts"):
            continue
        written = _CODE_EXTENSION.search(module)
        if written is None:
            counted["none"] += 1
        elif _TYPESCRIPT_EXTENSION.search(written.group()):
            counted["source"] += 1
        else:
            counted["compiled"] += 1
    ranked = counted.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _habit(source_file: SourceFile, convention: LoggerImport) -> str | None:
    """The file's spelling habit, for a relative convention that spells no extension (`specifier`):
    its own relative imports'; where it has none and no file imports the logger yet (a module
    `[logger]` names or creates), a TypeScript file of a `"type": "module"` package names its
    file (an ES module finds no `./logger`): the source (`./logger.ts`) where its tsconfig has
    `allowImportingTsExtensions` (what runs it runs the .ts files: Node's type stripping maps
    no `.js` to them), else the compiled file (`./logger.js`)."""
    if convention.target is None or convention.suffix:
        return None
    habit = extension_habit(source_file)
    path, repo = source_file.path, source_file.repo
    if habit is None and convention.files == 0 and path.endswith((".ts", ".tsx")) \
            and not path.endswith(".d.ts") and repo.package_type(path) == "module":
        return "source" if _imports_ts_extensions(repo, posixpath.dirname(path)) else "compiled"
    return habit


def _imports_ts_extensions(repo: Repo, directory: str) -> bool:
    """Whether the nearest tsconfig.json at or above `directory` (or one it extends) sets
    `allowImportingTsExtensions`. Remembered per run."""
    memo = repo.derived.setdefault("logger/ts-extensions", {})
    if directory not in memo:
        config = posixpath.join(directory, "tsconfig.json") if directory else "tsconfig.json"
        if repo.exists(config):
            def data(path: str) -> bytes | None:
                source_file = repo.read(path) if repo.exists(path) else None
                return source_file.data if source_file is not None else None

            memo[directory] = typescript.tsconfig_options(config, data).get("allowImportingTsExtensions") is True
        else:
            memo[directory] = bool(directory) and _imports_ts_extensions(repo, posixpath.dirname(directory))
    return memo[directory]


# --- one file -----------------------------------------------------------------------


@dataclass(frozen=True)
class FileLogger:
    binding: str | None  # the name to call (`logger.info`), None when there is no logger to use
    edit: Edit | None  # the import to add, if any
    reason: str = ""  # why there is no binding
    # what logs as the module loads before the logger can be there (`LoadOrder.early`), and why
    early: tuple[tuple[int, int], ...] = ()
    early_reason: str = ""
    # the logger of a Fastify instance this file makes (`app.log`, `instance_logger`): "pino" when Fastify makes
    # it from its options (pino's: (meta, message)), "given" when the instance was given a logger fixer cannot place
    instance: str = ""


def existing_binding(source_file: SourceFile, conventions: dict[str | None, LoggerImport]) -> str | None:
    """A logger the file already has: imported (whatever its local name) or created here.

    From the convention's module, the names the convention imports count, and `logger`/`log`
    (a default import too, under one of those local names): `import shared from
    '@scope/shared'` or `const logging = require('./lib/logger')` is not the logger when the
    repository imports `{ logger }` from there. From any other module, a logger import
    (`is_logger_import`) counts when the module is a logger module (`./utils/logger`) or the
    name is `logger` itself: an Express `requestLogger` middleware, or `log` from `./math`,
    is no logger. TypeScript's `import logger = require('./logger')` is a default import.

    Failing those, the whole module under a name (`import * as shared from '@scope/shared'`,
    `import shared = require(…)`) gives `shared.logger`: of the convention's module, the name
    the convention imports from it; of another logger module in the repository, the logger
    object it exports (`_exported_loggers`; not a function: `export const log = (m) => …`).
    (Not CommonJS's `const shared = require(…)`: it gets the logger's own require, as before;
    except of a repository module that exports only names, `exports.logger = …`, whose whole
    module is no logger: `shared.logger`.)

    A `require`, an import-equals or a logger made here counts only when it runs before the
    first top-level statement that may log as the module loads (`_bound_before_logging`):
    the file then gets the convention's import under another name, placed before that."""
    names: dict[str, set[str]] = {}  # module or target -> what the conventions import from it
    for convention in conventions.values():
        for module in (convention.module, convention.target):
            if module:
                names.setdefault(module, set()).update(() if convention.factory_args is not None
                                                       else (convention.imported,))
    wholes: list[tuple[ImportSeen, str | None, str]] = []  # the whole module under a name: (seen, target, module)
    for seen in imports_in(source_file, namespaces=True):
        target = resolve_module(source_file.repo, source_file.path, seen.module) if seen.module.startswith(".") else None
        module = target or seen.module
        if target is not None and seen.imported != "*" and exported_as_function(source_file.repo, target, seen.imported):
            continue  # `import { log } from './log'` where log is a function: no logger to call `.warn` on
        if target is not None and seen.imported != "*" and exported_as_class(source_file.repo, target, seen.imported):
            continue  # `import Log from './log.js'` of `class Log {…}`: its instances log, not the class
        if target is not None and seen.imported == "default" and exports_no_logger(source_file.repo, target):
            continue  # `var logger = require('./logger')` of NodeBB's morgan wrapper: `.init`, no `.info`
        if module in DEFAULT_LOGGERS and seen.imported in ("default", "*"):
            # the module itself, where a convention is its default logger (`names`: "default", "*"), except
            # a namespace import in an ES module Node runs: winston's level methods are no export it sees
            if not names.get(module, set()) & {"default", "*"} or (seen.imported == "*" and _runs_as_es_module(source_file)):
                continue
            if _bound_before_logging(source_file, seen):
                return seen.local
            continue
        if seen.imported == "*" or (seen.imported == "default" and target is not None
                                    and whole_is_namespace(source_file.repo, target)):
            wholes.append((seen, target, module))  # (a module that exports only names: `x.logger`)
        elif module in names:
            if _the_conventions_logger(seen, module, names):
                if _bound_before_logging(source_file, seen):
                    local = f"{seen.local}.default" if _holds_module_exports(source_file, seen) else seen.local
                    return _child_of(source_file, local) or local
            elif seen.equals:
                wholes.append((seen, target, module))
        elif is_logger_import(seen) and (LOGGER_MODULE.search(seen.module) or "logger" in (seen.imported, seen.local)) \
                and (seen.imported != "default" or LOGGER_NAME.match(seen.local)):
            if _bound_before_logging(source_file, seen):
                local = f"{seen.local}.default" if _holds_module_exports(source_file, seen) else seen.local
                return _child_of(source_file, local) or local
        elif seen.equals:
            wholes.append((seen, target, module))
    for seen, target, module in wholes:
        member = _member_of(source_file, conventions, names, seen, target, module)
        if member is not None and _bound_before_logging(source_file, seen):
            binding = f"{seen.local}.{member}"
            return _child_of(source_file, binding) or binding
    for name, value in _top_level_declarators(source_file):
        text = (value.text or b"").lstrip()
        if (CREATES_LOGGER.match(text) or _MADE_BY_FACTORY.match(text) or _CHILD_OF_REQUIRED.match(text)
                or library_making(source_file, text) is not None) and _runs_before_logging(source_file, value):
            return name
    return None


def _the_conventions_logger(seen: ImportSeen, module: str, names: dict[str, set[str]]) -> bool:
    """Of the convention's module (`module`, resolved), whether `seen` imports its logger: a
    name the convention imports, `logger`/`log`, or the default under one of those names."""
    return seen.imported in names[module] or seen.imported in ("logger", "log") or (
        seen.imported == "default" and seen.local in ("logger", "log"))


def _member_of(source_file: SourceFile, conventions: dict[str | None, LoggerImport], names: dict[str, set[str]],
               seen: ImportSeen, target: str | None, module: str) -> str | None:
    """The logger's name in a module imported whole (`seen`), if it has one: of the
    convention's module the name imported from it (the file's own convention's first), of
    another logger module of the repository the logger it exports; None for anything else."""
    own = convention_for(source_file.repo, source_file.path, conventions)
    if own is not None and own.factory_args is not None:
        own = None
    if module in names:
        members = sorted(name for name in names[module] if name != "default")
        if own is not None and own.imported in members and module in (own.module, own.target):
            return own.imported
        return members[0] if members else None
    if target is None or not LOGGER_MODULE.search(seen.module) or not is_logger_import(seen):
        return None
    exported = _exported_loggers(source_file.repo, target, names)
    wanted = ((own.imported,) if own is not None and own.imported != "default" else ()) + ("logger", "log")
    return next((name for name in wanted if name in exported), None)


_EXPORTED = re.compile(rb"\bexport\s+(?:const|let|var)\s+(" + _NAME + rb")|\bexport\s*\{([^{}]*)\}"
                       rb"|\bexports\s*\.\s*(" + _NAME + rb")\s*=|\bmodule\s*\.\s*exports\s*=\s*\{([^{}]*)\}")


# A value that is a logger object: made by a logging library or a factory (`winston.createLogger(…)`,
# `pino(…)`, `log4js.getLogger(…)`, `createServiceLogger('svc')`, `new Logger(…)`), or a child of
# one (`base.child(…)`, `require('./logger').child(…)`). Not a function (`(m) => console.log(m)`).
_LOGGER_VALUE = re.compile(
    rb"(?:[\w$]+\s*\.\s*)*(?:(?:create|make|get|build)\w*Logger|pino)\s*(?:<[^<>()]*>\s*)?\("
    rb"|new\s+(?:winston\s*\.\s*)?Logger\s*\("
    rb"|(?:[\w$]+|require\s*\(\s*(['\"`])[^'\"`]*\1\s*\))(?:\s*\.\s*[\w$]+)*\s*\.\s*child\s*\("
)
_ASSIGNED = re.compile(rb"\s*(?::[^=;]*)?=(?![=>])\s*")  # `: Logger = ` after a declared name, up to the value
_PLAIN_NAME = re.compile(rb"(" + _NAME + rb")(?![\w$])[ \t]*(?:[;,}\r\n]|$)")  # a value that is just a name
_SPACE = re.compile(rb"\s*")


# What a module exports as a function, by name: `export function log(`, `export const log =
# (…) =>`, `export const log = function`, `exports.log = (…) =>`, and the default export's forms
_FUNCTION_VALUE = rb"(?:async\s+)?(?:function\b|\([^()]*\)\s*(?::[^=;{]*)?=>|[A-Za-z_$][\w$]*\s*=>)"


# a default export that is a name: `export default requestLogger;`, `module.exports = log;`
_DEFAULT_LOCAL = re.compile(rb"(?m)^[ \t]*(?:export\s+default|module\s*\.\s*exports\s*=)\s*(" + _NAME + rb")\s*;?[ \t]*\r?$")


# a request-handling middleware's declared type (`: RequestHandler`, `: express.RequestHandler`, Koa's
# `Middleware`, Hono's `MiddlewareHandler`): a function `(req, res, next) => …`, whatever its value is
_HANDLER_TYPE = rb"\s*:\s*(?:[\w$]+\s*\.\s*)?(?:ErrorRequestHandler|RequestHandler|Middleware|MiddlewareHandler)\b"
_REQUEST_LOGGER_MODULES = rb"(?:" + rb"|".join(re.escape(m.encode()) for m in sorted(REQUEST_LOGGERS)) + rb")"
_REQUEST_LOGGER_BINDING = re.compile(
    rb"\bimport\s+(?:(" + _NAME + rb")\s*,?\s*)?(?:\{([^{}]*)\}\s*)?from\s*['\"]" + _REQUEST_LOGGER_MODULES + rb"['\"]"
    rb"|\b(?:const|let|var)\s+(" + _NAME + rb")\s*=\s*require\s*\(\s*['\"]" + _REQUEST_LOGGER_MODULES + rb"['\"]\s*\)")


def _function_value(code: bytes) -> bytes:
    """What a value that is a function looks like in `code` (`_FUNCTION_VALUE`), and a request-logging
    middleware a package of REQUEST_LOGGERS makes there (`morgan('combined')`, `pinoHttp()`,
    `expressWinston.logger({…})`, `require('morgan')('dev')`): a function too, no logger."""
    makers = []
    if b"require" in code or b"import" in code:
        for match in _REQUEST_LOGGER_BINDING.finditer(code):
            makers += [name for name in (match.group(1), match.group(3)) if name]
            for item in (match.group(2) or b"").split(b","):
                words = item.split()
                if words and words[0] != b"type":
                    makers.append(words[-1])
    made = [re.escape(name) + rb"(?:\s*\.\s*[\w$]+)?\s*\(" for name in makers]
    if b"require" in code:
        made.append(rb"require\s*\(\s*['\"]" + _REQUEST_LOGGER_MODULES + rb"['\"]\s*\)\s*\(")
    return rb"(?:" + rb"|".join([_FUNCTION_VALUE, *made]) + rb")" if made else _FUNCTION_VALUE


def exported_as_function(repo: Repo, path: str, name: str) -> bool:
    """Whether the repository module at `path` plainly exports `name` ("default": its default
    export) as a function: `log.warn(…)` on it is TS2339 and a TypeError (`export function
    log(): Console`, `export const log = (level, …args) => …`, `export function
    instantiateDefaultLogger(…)`; a request-logging middleware, `export const requestLogger:
    RequestHandler = …`, `= morgan('dev')`). Read from its text, comments blanked; remembered per run."""
    key = f"logger/function-export:{path}:{name}"
    if key not in repo.derived:
        code = _code_of(repo, path)
        found = False
        if code is not None:
            value = _function_value(code)
            locals_ = _exported_locals(code, name)  # export { log }, export { made as log }
            if name == "default":
                patterns = [rb"\bexport\s+default\s+" + value, rb"\bmodule\s*\.\s*exports\s*=\s*" + value]
                locals_ |= set(_DEFAULT_LOCAL.findall(code))  # `export default requestLogger;` of an arrow
            else:
                word = re.escape(name.encode())
                patterns = [rb"\bexport\s+(?:async\s+)?function\s*\*?\s*" + word + rb"\s*[<(]",
                            rb"\bexport\s+(?:const|let|var)\s+" + word + rb"\s*(?::[^=;]*)?=\s*" + value,
                            rb"\bexport\s+(?:const|let|var)\s+" + word + _HANDLER_TYPE,
                            rb"\bexports\s*\.\s*" + word + rb"\s*=\s*" + value]
            for local in locals_:
                # (declared at the module's top level, at the start of a line: not a helper of
                # that name inside a function body)
                local_word = re.escape(local)
                patterns += [rb"(?m)^(?:async\s+)?function\s*\*?\s*" + local_word + rb"\s*[<(]",
                             rb"(?m)^(?:const|let|var)\s+" + local_word + rb"\s*(?::[^=;]*)?=\s*" + value,
                             rb"(?m)^(?:const|let|var)\s+" + local_word + _HANDLER_TYPE]
            found = any(re.search(pattern, code) for pattern in patterns)
        repo.derived[key] = found
    return bool(repo.derived[key])


# a class value: `class Logger {`, `abstract class Base<T> extends X {`, `class extends Base {` (`module.exports = class …`)
_CLASS_VALUE = rb"(?:abstract\s+)?class\b(?:\s*[A-Za-z_$][\w$]*)?\s*(?:<[^<>{}]*>\s*)?(?:extends\b[^{};]*|implements\b[^{};]*)*\{"
# TypeScript's `export = Logger;`: the module's whole value is that name's
_EXPORT_EQUALS_LOCAL = re.compile(rb"(?m)^[ \t]*export\s*=\s*(" + _NAME + rb")\s*;?[ \t]*\r?$")
# a static level method (`static info(…)`, `static warn = (…) =>`): a class that has one logs itself, `Logger.info(…)`
_STATIC_LEVEL = re.compile(rb"\bstatic\s+(?:async\s+)?(?:" + "|".join(sorted(LEVEL_METHODS)).encode() + rb")\s*[<(=]")


def exported_as_class(repo: Repo, path: str, name: str) -> bool:
    """Whether the repository module at `path` plainly exports `name` ("default": its default
    export, or its whole value) as a class: `export default class Logger {…}`, `class Logger {…}`
    then `export default Logger` (`module.exports = Logger`, `export = Logger`, `export { Logger as
    default }`), `module.exports = class …`, `export class log {…}`. A class is no logger object:
    its level methods are its instances' (`new Logger().info(…)`), and `Logger.info(…)` is a
    TypeError (release-it's lib/log.js, imported as `Logger` by the files that make one) — unless
    the module declares a static level method (`static info(…)`): the class may log itself. Read
    from its text, comments blanked; remembered per run."""
    key = f"logger/class-export:{path}:{name}"
    if key not in repo.derived:
        code = _code_of(repo, path)
        found = False
        if code is not None and b"class" in code and not _STATIC_LEVEL.search(code):
            locals_ = _exported_locals(code, name)  # export { Log as default }, export { made as log }
            if name == "default":
                patterns = [rb"\b(?:export\s+default|module\s*\.\s*exports\s*=|export\s*=)\s*" + _CLASS_VALUE]
                locals_ |= set(_DEFAULT_LOCAL.findall(code)) | set(_EXPORT_EQUALS_LOCAL.findall(code))
            else:
                word = re.escape(name.encode())
                patterns = [rb"\bexport\s+(?:declare\s+)?(?:abstract\s+)?class\s+" + word + rb"(?![\w$])",
                            rb"\b(?:module\s*\.\s*)?exports\s*\.\s*" + word + rb"\s*=\s*" + _CLASS_VALUE]
            for local in locals_:  # (declared at the module's top level, at the start of a line)
                local_word = re.escape(local)
                patterns += [rb"(?m)^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?class\s+" + local_word + rb"(?![\w$])",
                             rb"(?m)^(?:const|let|var)\s+" + local_word + rb"\s*=\s*" + _CLASS_VALUE]
            found = any(re.search(pattern, code) for pattern in patterns)
        repo.derived[key] = found
    return bool(repo.derived[key])


def _code_of(repo: Repo, path: str) -> bytes | None:
    """A repository module's text with its comments blanked (None: not readable); remembered per
    run (a logger module is asked about by several files)."""
    key = f"logger/code:{path}"
    if key not in repo.derived:
        source_file = repo.read(path)
        if source_file is None:
            repo.derived[key] = None
        else:
            comments = comment_ranges(source_file.data)
            repo.derived[key] = blank(source_file.data, comments) if comments else source_file.data
    return repo.derived[key]


_NAMED_EXPORT = re.compile(rb"\bexports\s*\.\s*(?!default\b)[\w$]+\s*=(?!=)|\bmodule\s*\.\s*exports\s*\.\s*(?!default\b)[\w$]+\s*=(?!=)"
                           rb"|\bexport\s+(?:const|let|var|function|class|async|\{)")
_WHOLE_EXPORT = re.compile(rb"\bmodule\s*\.\s*exports\s*=(?!=)|\bexport\s+default\b|\bexport\s*=|\bexports\s*\.\s*default\b"
                           rb"|['\"]default['\"]")


def whole_is_namespace(repo: Repo, path: str) -> bool:
    """Whether the repository module at `path` exports only names (`exports.logger = …`,
    `export const logger`), never a whole value or a default (`module.exports = …`, `export
    default`, `exports.default`): its whole module, `require('./logger')` or a default import of
    it, is no logger (`.info` is not a function on it). Read from its text, comments blanked."""
    key = f"logger/whole-is-namespace:{path}"
    if key not in repo.derived:
        code = _code_of(repo, path)
        found = False
        if code is not None:
            found = bool(_NAMED_EXPORT.search(code)) and not _WHOLE_EXPORT.search(code) \
                and not _exports_default_by_name(code) and not exported_levels(code)
        repo.derived[key] = found
    return bool(repo.derived[key])


_EXPORTS_OBJECT = rb"(?<![\w$.])(?:module\s*\.\s*exports|exports)"
_OWN_EXPORTS = re.compile(rb"(?m)^[ \t]*(?:var|let|const)\s+(" + _NAME + rb")\s*=\s*module\s*\.\s*exports\s*;?[ \t]*\r?$")
_EMPTY_OBJECT = rb"\s*=\s*\{\s*\}\s*;?[ \t]*\r?$"


def exports_no_logger(repo: Repo, path: str) -> bool:
    """Whether the repository module at `path` plainly exports an object of other things, no
    logger: CommonJS whose exports object (`module.exports`, `exports`, a name bound to it, `var
    Logger = module.exports`, or an empty object it is set to, `var Logger = {}; module.exports =
    Logger`) only gets members assigned by name, none a level method (`info`, `warn`…), `child`,
    `stream` or a logger's name — NodeBB's morgan wrapper `src/logger.js`, `Logger.init = function
    (app) { app.use(morgan(…)) }`, is named like a logger and imported as `logger`, yet has no
    `.info`. Anything else it may export (ES exports, a value, a class) says nothing: False.
    Read from its text, comments blanked; remembered per run."""
    key = f"logger/exports-no-logger:{path}"
    if key not in repo.derived:
        code = _code_of(repo, path)
        found = False
        if code is not None and b"exports" in code and not re.search(rb"\bexport\b", code):
            names = [rb"module\s*\.\s*exports", rb"exports"] + [re.escape(m) for m in _OWN_EXPORTS.findall(code)]
            whole = list(re.finditer(_EXPORTS_OBJECT + rb"\s*=(?![=>])\s*", code))
            for assigned in whole:  # `module.exports = Logger` of an empty object, and nothing else
                local = _PLAIN_NAME.match(code, assigned.end())
                if local is None or not re.search(rb"(?m)^[ \t]*(?:var|let|const)\s+" + re.escape(local.group(1))
                                                  + _EMPTY_OBJECT, code):
                    break
                names.append(re.escape(local.group(1)))
            else:
                members = {m.decode() for m in re.findall(
                    rb"(?<![\w$.])(?:" + rb"|".join(names) + rb")\s*\.\s*([\w$]+)\s*=(?![=>])", code)}
                found = bool(members) and not members & (LEVEL_METHODS | {"child", "stream", "default"}) \
                    and not any(LOGGER_NAME.match(m) for m in members)
        repo.derived[key] = found
    return bool(repo.derived[key])


def _exports_default_by_name(code: bytes) -> bool:
    """Whether an export list gives the module a default export: `export { default } from
    './winston'`, `export { logger as default }` (not `export { default as logger }`)."""
    for braces in re.finditer(rb"\bexport\s*\{([^{}]*)\}", code):
        for item in braces.group(1).split(b","):
            words = item.split()
            if words and words[-1] == b"default" and (len(words) == 1 or words[-2:-1] == [b"as"]):
                return True
    return False


def _exported_locals(code: bytes, name: str) -> set[bytes]:
    """The local names an `export { … }` list (no `from`) exports as `name`: `log` of
    `export { log }`, `made` of `export { made as log }`."""
    found = set()
    for braces in re.finditer(rb"\bexport\s*\{([^{}]*)\}(?!\s*from\b)", code):
        for item in braces.group(1).split(b","):
            words = item.split()
            if words and words[0] == b"type":
                continue
            if len(words) == 1 and words[0].decode(errors="replace") == name:
                found.add(words[0])
            elif len(words) == 3 and words[1] == b"as" and words[2].decode(errors="replace") == name:
                found.add(words[0])
    return found


def _exported_loggers(repo: Repo, path: str, names: dict[str, set[str]]) -> frozenset[str]:
    """The names a repository module plainly exports whose value is a logger object, read from
    its text (comments blanked): `export const logger = base.child({…})`, `export { made as
    logger }`, `exports.logger = pino()`, `module.exports = { logger }`, where the value (or the
    local name's declared value) is one (`_LOGGER_VALUE`), or a local name imported from the
    convention's module as its logger (`names`: see `existing_binding`). A function
    (`export const log = (msg) => console.log(msg)`) is no logger: it has no `.warn`."""
    source_file = repo.read(path)
    if source_file is None:
        return frozenset()
    data = source_file.data
    comments = comment_ranges(data)
    code = blank(data, comments) if comments else data

    def value_at(at: int, depth: int = 0) -> bool:
        if _LOGGER_VALUE.match(code, at):
            return True
        name = _PLAIN_NAME.match(code, at)
        return name is not None and depth < 2 and local(name.group(1), depth + 1)

    def local(name: bytes, depth: int) -> bool:
        declared = re.search(rb"\b(?:const|let|var)\s+" + re.escape(name) + rb"(?![\w$])", code)
        if declared is not None:
            assigned = _ASSIGNED.match(code, declared.end())
            return assigned is not None and value_at(assigned.end(), depth)
        text = name.decode("utf-8", "replace")
        for seen in imports_in(source_file):
            if seen.local == text:
                module = resolve_module(repo, path, seen.module) or seen.module
                return module in names and _the_conventions_logger(seen, module, names)
        return False

    found = set()
    for match in _EXPORTED.finditer(code):
        if match.group(1):  # export const logger: Logger = <value>
            assigned = _ASSIGNED.match(code, match.end())
            if assigned is not None and value_at(assigned.end()):
                found.add(match.group(1).decode())
        elif match.group(3):  # exports.logger = <value>
            if value_at(_SPACE.match(code, match.end()).end()):
                found.add(match.group(3).decode())
        elif match.group(2) is not None:  # export { a, b as c }: c is a's value
            for item in match.group(2).split(b","):
                words = item.split()
                if words and words[0] != b"type" and re.fullmatch(_NAME, words[0]) and local(words[0], 0):
                    found.add(words[-1].decode("utf-8", "replace"))
        else:  # module.exports = { a, b: c, d: pino() }: the keys
            at = match.start(4)
            for item in match.group(4).split(b","):
                key, colon, _ = item.partition(b":")
                value = at + len(key) + len(colon) if colon else at
                value = _SPACE.match(code, value).end()
                if key.strip() and (value_at(value) if colon else local(key.strip(), 0)):
                    found.add(key.strip().decode("utf-8", "replace"))
                at += len(item) + 1
    return frozenset(found)


def _bound_before_logging(source_file: SourceFile, seen: ImportSeen) -> bool:
    """Whether `seen` is bound before the first top-level statement that may log as the module
    loads. An ES import is (imports are hoisted); a `require` and TypeScript's import-equals
    (a `require` where it stands) run where they stand: a binding made after that statement
    is not there yet when it runs (TDZ), so the file gets its own, before it. So does an ES
    import in TypeScript that may compile to CommonJS: tsc emits it as a `require` where it
    stands, not hoisted (`_may_compile_to_commonjs`)."""
    if not seen.commonjs and not _may_compile_to_commonjs(source_file):
        return True
    if load_order(source_file).first is None:
        return True  # nothing logs as the module loads (a logger can serve): any binding is there in time
    path = source_file.path
    for node in source_file.tree.root_node.named_children:
        if (node.type == "import_statement" and seen in _esm_import(path, node)) or (
                node.type in ("lexical_declaration", "variable_declaration") and seen in _require(path, node)):
            return _runs_before_logging(source_file, node)
    return False


def _runs_before_logging(source_file: SourceFile, node: Node) -> bool:
    """Whether the top-level statement holding `node` runs before the first top-level statement
    that may log as the module loads past its set-up (`load_order`), or nothing does."""
    while node.parent is not None and node.parent.type != "program":
        node = node.parent
    first = load_order(source_file).first  # (what logs ahead of the file's set-up is reported: `LoadOrder`)
    return first is None or node.start_byte < first.start_byte


def _child_of(source_file: SourceFile, imported: str) -> str | None:
    """`const log = logger.child({ module: 'orders' })` at the top of the file, of the imported
    logger: the file's own logger (its calls carry the child's fields). Only when nothing may
    log before it is made (no console text, no top-level statement run before it: a TDZ)."""
    if b".child" not in source_file.data:
        return None
    child = re.compile(re.escape(imported).encode() + rb"\s*\.\s*child\s*\(")
    for name, value in _top_level_declarators(source_file):
        if child.match(value.text or b""):
            statement = value
            while statement.parent is not None and statement.parent.type != "program":
                statement = statement.parent
            before = source_file.data[:statement.start_byte]
            if b"console" in before or any(node.type == "expression_statement" and node.end_byte <= statement.start_byte
                                           for node in source_file.tree.root_node.named_children):
                return None
            return name
    return None


# a logger made by a factory named like FACTORY's others (`getLogger('orders')`, `log4js.getLogger()`,
# `makeLogger(…)`): CREATES_LOGGER knows `create…Logger(` only
_MADE_BY_FACTORY = re.compile(rb"(?:[\w$]+\s*\.\s*)?(?:make|get|build)\w*Logger\s*\(")


# `require('./lib/logger').child({ mod })`, `require('./lib/logger').logger.child(…)`: a child of
# the required logger module's logger, made at the top of the file
_CHILD_OF_REQUIRED = re.compile(rb"require\s*\(\s*(['\"`])[^'\"`]*[Ll]og[^'\"`]*\1\s*\)(?:\s*\.\s*\w+)?\s*\.\s*child\s*\(")


def logger_for(source_file: SourceFile, conventions: dict[str | None, LoggerImport]) -> FileLogger:
    """The binding to log through in this file, and the import edit when one is needed."""
    binding = existing_binding(source_file, conventions)
    if binding:
        return _in_load_order(source_file, FileLogger(binding, None))
    convention = convention_for(source_file.repo, source_file.path, conventions)
    if convention is None:
        return FileLogger(None, None, unreachable_reason(source_file.repo, source_file.path, conventions)
                          or no_logger_reason(source_file.repo, source_file.path))
    if convention.target == source_file.path:
        return FileLogger(None, None, "this file is the logger module itself")
    module_kinds = convention.module_kinds  # (`_through_workspace_package` makes a new convention)
    convention, refusal = _through_workspace_package(source_file, convention)
    refusal = refusal or _alias_elsewhere(source_file, convention) \
        or _requires_an_es_module(source_file, convention, module_kinds) \
        or _typescript_entry(source_file, convention) or _default_typed_otherwise(source_file, convention)
    if refusal is not None:
        return FileLogger(None, None, refusal)
    local = convention.local
    if local.encode() in source_file.data and _bound(source_file, local):  # (a loop variable, `log => …` too)
        local = next(n for n in ("appLogger", "serviceLogger", "fixerLogger") if not _bound(source_file, n))
    edit = import_edit(source_file, convention, local)
    if _default_is_member(source_file, convention) and (
            (not is_commonjs(source_file) and _takes_module_exports(source_file))
            or (convention.equals and _takes_import_equals(source_file, convention))):
        local = f"{local}.default"  # (`import logger from './logger.js'` is `{ default: logger }` there, as `import x = require(…)`)
    hoisted = re.match(r"\s*import\s[^=]*\sfrom\s", edit.text) is not None and not (
        is_commonjs(source_file) or _may_compile_to_commonjs(source_file))
    line = _set_up_before_dynamic_import(source_file) if hoisted else None
    if line is not None:  # (an ES import is hoisted above the code, whatever its place)
        return FileLogger(None, None, f"this ES module sets up its environment (up to line {line}) before a module it loads with "
                                      "`import()` after it, and a static import of the logger would run ahead of that "
                                      "code (ES imports are hoisted): load the logger with `await import()` after it by "
                                      "hand, or log here by hand")
    set_up = _environment_set_up(source_file) if hoisted else 0
    if set_up:  # (the logger module would load, and read the environment, before the file loads it)
        line = source_file.tree.root_node.named_children[set_up - 1].end_point[0] + 1
        return FileLogger(None, None, f"this ES module loads its environment as it runs (up to line {line}), and a static "
                                      "import of the logger would run the logger module before that (ES imports are "
                                      "hoisted), without the settings it reads (LOG_LEVEL): load it with `import "
                                      "'dotenv/config'` as the file's first import instead (or before this module is "
                                      "imported), then run fixer again, or log here by hand")
    return _in_load_order(source_file, FileLogger(local, edit))


def writing_logger(source_file: SourceFile, conventions: dict[str | None, LoggerImport], at: Node,
                   instances: Iterable[str] | None = None) -> FileLogger:
    """What a fix that writes log lines into this file logs through, one rule for every such fix: the
    repository's logger (`logger_for`: imported or made here, or the import to add), else the logger of
    a Fastify instance the file makes with one, in scope at `at` (`instance_logger`: `app.log`), else
    none (console), its `reason` saying why, for the finding. `instances`: the names of the instances
    the fix works on (default: every one the file declares at its top level)."""
    found = logger_for(source_file, conventions)
    if found.binding is None:
        instance = instance_logger(source_file, at, instances)
        if instance is not None:
            return FileLogger(instance[0], None, instance=instance[1])
    return found


_FALSY = frozenset({"false", "null", "undefined", "0", "''", '""', "``"})


def instance_logger(source_file: SourceFile, at: Node, names: Iterable[str] | None = None) -> tuple[str, str] | None:
    """(`app.log`, kind) for a Fastify instance declared before `at` and in scope there, made with a logger:
    `Fastify({ logger: true })`, `logger: { level }` (kind "pino": Fastify makes a pino logger), `loggerInstance:
    pino()` ("pino" too), `fastify({ logger })` with a logger of the file's ("given": its shape is the logger's).
    Without the option (or with `logger: false`) `app.log` is Fastify's no-op logger, which would drop the
    messages: None. `names`: the instances to look at (default: the file's top-level declarations)."""
    if b"fastify" not in source_file.data:  # (imported or required by that name)
        return None
    table = typescript.import_table(source_file.tree.root_node)
    if names is None:
        names = [name for name, _node in top_level_declarators(source_file)]
    for name in dict.fromkeys(names):
        declarator = typescript.declarator_in_scope(name, at)
        value = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
        if value is None or value.type != "call_expression" or declarator.start_byte > at.start_byte \
                or not _made_by_fastify(value, table):
            continue
        arguments = value.child_by_field_name("arguments")
        items = typescript.list_items(arguments) if arguments is not None else []
        options = typescript.unwrap(items[0]) if items else None
        if options is None or options.type != "object":
            continue
        for key in ("loggerInstance", "logger"):
            kind = _logger_option(options, key, table, at)
            if kind is not None:
                return f"{name}.log", kind
    return None


def _made_by_fastify(value: Node, table: dict[str, typescript.Imported]) -> bool:
    """`Fastify(…)`, `fastify.fastify(…)`, `require('fastify')(…)` of the fastify package."""
    callee = value.child_by_field_name("function")
    if callee is None:
        return False
    if typescript.required_module(callee) == "fastify":
        return True
    base = callee.child_by_field_name("object") if callee.type == "member_expression" else callee
    imported = table.get(_text(base)) if base is not None and base.type == "identifier" else None
    return imported is not None and imported.module == "fastify"


def _logger_option(options: Node, key: str, table: dict[str, typescript.Imported], at: Node) -> str | None:
    """What `{ logger: true }`, `{ logger: {…} }` ("pino"), `{ logger }` / `{ logger: config }` (an imported
    logger, a variable not declared as a falsy literal: "given", "pino" when it is `pino(…)`) sets; None for
    none or a falsy value. A parameter is the caller's to set, maybe to false: not known here."""
    value = typescript.unwrap(typescript.object_property(options, key) or next(
        (c for c in options.named_children if c.type == "shorthand_property_identifier" and c.text == key.encode()), None))
    if value is not None and value.type in ("identifier", "shorthand_property_identifier"):
        name = _text(value)
        declarator = typescript.declarator_in_scope(name, at)
        if declarator is None:
            return "given" if name in table else None
        value = typescript.unwrap(declarator.child_by_field_name("value"))
    if value is None or _text(value).strip() in _FALSY:
        return None
    if value.type in ("true", "object") or PINO_CALL.match(value.text or b""):
        return "pino"
    return "given"


def _set_up_before_dynamic_import(source_file: SourceFile) -> int | None:
    """The line of the last environment set-up (`_sets_up_environment`) an ES module runs before a
    module it loads with `import()` at its top level (`load_order`), when a static import of the
    logger (hoisted: it runs before all the file's code) would run the logger module ahead of it;
    None when none. (Not judged from whether its static imports load the logger already: the same
    run may give one of them a logger import, and a second run would then fix more.) Plain app set-up (`const app =
    express()`, `app.use(…)`, a console call, a call of an imported function) is no set-up the logger
    module could depend on."""
    nodes = source_file.tree.root_node.named_children
    loads = [index for index, node in enumerate(nodes) if _loads_module(node, False)]
    if not loads:
        return None
    declared = _top_level_names(nodes)
    last = loads[-1]
    set_up = [node for node in nodes[:last + (0 if _only_loads(nodes[last]) else 1)]
              if node.type not in _NO_SET_UP and _sets_up_environment(node, declared)]
    return set_up[-1].end_point[0] + 1 if set_up else None


def _top_level_names(nodes: list[Node]) -> frozenset[bytes]:
    """The names the file's top-level statements declare (variables, functions, classes, imports)."""
    names = set()
    for node in nodes:
        held = node.named_children[0] if node.type == "export_statement" and node.named_children else node
        if held.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
            name = held.child_by_field_name("name")
            names.add(name.text if name is not None else b"")
        elif held.type in ("lexical_declaration", "variable_declaration", "import_statement"):
            stack = [c for c in held.named_children if c.type != "string"]
            while stack:
                current = stack.pop()
                if current.type == "variable_declarator":
                    stack.extend(c for c in [current.child_by_field_name("name")] if c is not None)
                elif current.type in ("identifier", "shorthand_property_identifier_pattern"):
                    names.add(current.text)
                elif current.type not in _IN_FUNCTION and current.type != "call_expression":
                    stack.extend(current.named_children)
    return frozenset(names)


_GLOBAL_OBJECTS = frozenset({b"process", b"globalThis", b"global", b"window", b"self"})
# a call that loads configuration or the environment (`dotenv.config()`, `loadEnv()`, `initSecrets()`)
_CONFIG_LOADER = re.compile(rb"dotenv|config|env|secret|setup|bootstrap", re.I)


def _sets_up_environment(node: Node, declared: frozenset[bytes]) -> bool:
    """Whether a top-level statement sets up what a module it loads later may read as it loads:
    writes `process.env` (or any member of `process`, `globalThis`, `global`: in a function it
    passes too), assigns a name the file does not declare (a global), passes `process.env` or
    `globalThis` to a call (`Object.assign(process.env, …)`), calls `process.chdir()`, or calls a
    configuration loader (`dotenv.config()`, `loadConfig()`)."""
    def root(value: Node | None) -> Node | None:
        while value is not None and value.type in ("member_expression", "subscript_expression",
                                                   "parenthesized_expression", "non_null_expression"):
            value = value.child_by_field_name("object") or (value.named_children[0] if value.named_children else None)
        return value

    stack = [(node, False)]
    while stack:
        current, nested = stack.pop()
        if current.type in ("assignment_expression", "augmented_assignment_expression", "update_expression") or (
                current.type == "unary_expression" and (current.text or b"").startswith(b"delete")):
            left = current.child_by_field_name("left") or current.child_by_field_name("argument") or (
                current.named_children[0] if current.named_children else None)
            base = root(left)
            if base is not None and base.type == "identifier" and (base.text in _GLOBAL_OBJECTS or (
                    not nested and left.type == "identifier" and base.text not in declared)):
                return True
        elif current.type == "call_expression" and not nested:
            function = current.child_by_field_name("function")
            arguments = current.child_by_field_name("arguments")
            callee = (function.text or b"") if function is not None else b""
            name = function.child_by_field_name("property") if function is not None and \
                function.type == "member_expression" else function  # (`config.get(…)` reads: only what it calls)
            if (name is not None and _CONFIG_LOADER.search(name.text or b"")) \
                    or re.sub(rb"\s", b"", callee) == b"process.chdir":
                return True
            if arguments is not None and any((base := root(a)) is not None and base.type == "identifier"
                                             and base.text in (b"process", b"globalThis", b"global")
                                             for a in arguments.named_children):
                return True
        stack.extend((child, nested or child.type in _IN_FUNCTION) for child in current.named_children)
    return False


# a call that loads the environment: `dotenv.config()`, `require('dotenv').config()`, `dotenvFlow.config()`,
# `process.loadEnvFile()`, `loadEnv()`, `setupEnvironment()` (not one that reads it: `getEnv('X')`, `cleanEnv(…)`)
_ENV_LOADER = re.compile(rb"dotenv|(?:^|\.)\s*(?:load|init|setup|configure|config|populate|apply|set)_?env", re.I)


def _environment_set_up(source_file: SourceFile) -> int:
    """The index of the top-level statement just past the last one that loads the environment as
    the module loads (`_loads_environment`; 0: none): a logger module reads it as it loads
    (`LOG_LEVEL`, `NODE_ENV`), so a logger loaded before that statement runs without what it loads."""
    data = source_file.data
    if b"env" not in data and b"Env" not in data and b"ENV" not in data:
        return 0
    memo = source_file.__dict__.setdefault("_environment_set_up_memo", [])
    if not memo:
        nodes = source_file.tree.root_node.named_children
        loaders = frozenset(_dotenv_bindings(nodes))
        memo.append(next((index + 1 for index in reversed(range(len(nodes))) if nodes[index].type not in _NO_SET_UP
                          and _loads_environment(nodes[index], loaders)), 0))
    return memo[0]


def _dotenv_bindings(nodes: list[Node]) -> Iterator[bytes]:
    """The names a file's top-level imports and requires bind from a dotenv module (`import {
    config } from 'dotenv'`, `const { config: loadEnv } = require('dotenv')`)."""
    for node in nodes:
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
            stack = [c for c in node.named_children if c.type == "import_clause"] \
                if source is not None and b"dotenv" in (source.text or b"") else []
        elif node.type in ("lexical_declaration", "variable_declaration"):
            stack = [name for declarator in node.named_children if declarator.type == "variable_declarator"
                     and (value := declarator.child_by_field_name("value")) is not None
                     and re.match(rb"require\s*\(\s*['\"`][^'\"`]*dotenv", value.text or b"")
                     and (name := declarator.child_by_field_name("name")) is not None]
        else:
            continue
        while stack:
            current = stack.pop()
            if current.type in ("identifier", "shorthand_property_identifier_pattern"):
                yield current.text
            elif current.type == "import_specifier" and current.child_by_field_name("alias") is not None:
                stack.append(current.child_by_field_name("alias"))
            elif current.type == "pair_pattern" and current.child_by_field_name("value") is not None:
                stack.append(current.child_by_field_name("value"))
            else:
                stack.extend(current.named_children)


def _loads_environment(node: Node, loaders: frozenset[bytes]) -> bool:
    """Whether a top-level statement changes `process.env` as the module loads (outside the
    functions in it): writes or deletes a member of it (or it), passes it to `Object.assign`/
    `Object.defineProperty`, or calls an environment loader (`_ENV_LOADER`, a name imported
    from dotenv: `loaders`)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _IN_FUNCTION:
            continue
        if current.type in ("assignment_expression", "augmented_assignment_expression") or (
                current.type == "unary_expression" and (current.text or b"").startswith(b"delete")):
            left = current.child_by_field_name("left") or current.child_by_field_name("argument")
            if left is not None and re.match(rb"process\s*\.\s*env\b", left.text or b""):
                return True
        elif current.type == "call_expression":
            function = current.child_by_field_name("function")
            callee = re.sub(rb"\s", b"", function.text or b"") if function is not None else b""
            arguments = current.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
            if _ENV_LOADER.search(callee) or callee.split(b".")[0] in loaders or (
                    callee in (b"Object.assign", b"Object.defineProperty", b"Object.defineProperties")
                    and first is not None and re.sub(rb"\s", b"", first.text or b"") == b"process.env"):
                return True
        stack.extend(current.named_children)
    return False


def _in_load_order(source_file: SourceFile, found: FileLogger) -> FileLogger:
    """`found`, with what logs before the logger can be there as the module loads (`LoadOrder`):
    in a file whose imports run where they stand (a `require`, CommonJS output)."""
    if not (is_commonjs(source_file) or _may_compile_to_commonjs(source_file)):
        return found  # (ES imports are hoisted: the logger is there before any code runs)
    ready = found.edit.start if found.edit is not None else _binding_start(source_file, found.binding)
    order = load_order(source_file, ready=ready)
    return replace(found, early=order.early, early_reason=order.why) if order.early else found


def _binding_start(source_file: SourceFile, binding: str | None) -> int | None:
    """Where the top-level statement that binds `binding` (`logger`; `shared` of `shared.logger`)
    starts, None when no top-level statement does (a parameter, a nested scope: unknown)."""
    name = (binding or "").split(".")[0].encode()
    for node in source_file.tree.root_node.named_children:
        held = node.named_children[0] if node.type == "export_statement" and node.named_children else node
        if held.type in ("lexical_declaration", "variable_declaration"):
            names = [d.child_by_field_name("name") for d in held.named_children if d.type == "variable_declarator"]
        elif held.type == "import_statement":
            names = [c for c in held.named_children if c.type in ("import_clause", "import_require_clause")]
        else:
            continue
        stack = [n for n in names if n is not None]
        while stack:
            current = stack.pop()
            if current.type in ("identifier", "shorthand_property_identifier_pattern") and current.text == name:
                return node.start_byte
            stack.extend(current.named_children)
    return None


def _importers_within(repo: Repo, target: str, directory: str) -> bool:
    """Whether every file that imports the logger module `target` (`VOTES`) is in the package at `directory`:
    the module is that package's own, not one the repository shares by relative imports."""
    memo = repo.derived.setdefault("logger/importers-within", {})
    if (target, directory) not in memo:
        importers = [path for path, cast in repo.facts_of(VOTES).items()
                     if cast is not None and any(full[2] == target for full, _local in cast.imports)]
        memo[target, directory] = bool(importers) and all(package_of(repo, path) == directory for path in importers)
    return memo[target, directory]


def _through_workspace_package(source_file: SourceFile, convention: LoggerImport) -> tuple[LoggerImport, str | None]:
    """The convention as this file imports it, or why it cannot. A logger module of another
    workspace package (`libs/logger/src/index.ts` of `@acme/logger`, imported by a relative path
    where the convention's files do) is imported by the package's name: a relative import into
    another package's sources breaks the importing package's build (tsc's `rootDir`, TS6059;
    a build of that package alone); when the package's entry does not give the logger, the file
    is reported. (Not a module `[logger]` names in .fixer.toml: the user's choice.) Under pnpm, a workspace package the file's package.json (or the root's) does not
    declare is not linked into its node_modules, so it is not imported: the file is reported,
    saying what to declare."""
    repo, path = source_file.repo, source_file.path
    members = workspace_packages(repo)
    own = package_of(repo, path)
    if convention.target is not None:
        directory = package_of(repo, convention.target)
        if not directory or directory == own or repo.config.logger.get("module"):  # (`[logger] module`: as told)
            return convention, None
        name = next((n for n, d in members.items() if d == directory), None)
        if name is None and _importers_within(repo, convention.target, directory):
            return convention, (f"the logger module {convention.target} belongs to the package in {directory}/, and only "
                                "its files import it: a relative import into another package's sources loads it without "
                                f"the dependencies only {directory}/package.json declares (a build or an image of this "
                                "package alone fails with `Cannot find module`): give this package a logger of its own "
                                "(`[logger] create = true`), or move the logger into a package both declare")
        if name is None:
            return convention, None  # (no workspace member: its relative imports are the repository's way)
        entry = package_entry(repo, name)
        if entry is None or (entry != convention.target and (
                convention.imported == "default" or convention.target not in modules_reached(repo, entry))):
            return convention, (f"the logger module {convention.target} belongs to the workspace package `{name}`, "
                                "whose entry does not export it, and a relative import into another package's sources "
                                "breaks this package's build (tsc's rootDir, a build of this package alone): export "
                                f"the logger from `{name}` and import it from there by hand")
        convention = LoggerImport(name, convention.imported, convention.local, None, "", convention.files,
                                  convention.factory_args)
    elif convention.module.startswith("."):
        return convention, None
    name = package_name(convention.module)
    # (any package of the repository so named: one outside the workspace pnpm links nowhere; a tsconfig
    # path alias of a workspace package's name is the compiler's: Node still looks in node_modules)
    directory = members.get(name) or next((d for d, manifest in sorted(repo.packages.items())
                                           if d and manifest.get("name") == name), None)
    if directory is None or own is None or directory == own or not uses_pnpm(repo) \
            or declared_above(repo, path, name):
        return convention, None
    manifest = f"{own}/package.json" if own else "package.json"
    own_name = (repo.packages.get(own) or {}).get("name")
    if isinstance(own_name, str) and own_name and _depends_on(repo, directory, own_name, members):
        # (declaring it would make a cycle of packages: turbo refuses one, and the logger's modules load this one's)
        return convention, (f"the logger is the workspace package `{name}`, which depends on this package "
                            f"(`{own_name}`): declaring it in {manifest} would make a dependency cycle (turbo refuses "
                            "one, and a build of either package needs the other built first): log here by hand "
                            "through a logger passed in, or move this code to a package the logger does not depend on")
    return convention, (f"the logger is the workspace package `{name}`, which {manifest} does not declare, and pnpm "
                        f"links only what a package declares (the import would fail at run time): add "
                        f"`\"{name}\": \"workspace:*\"` to its dependencies, run `pnpm install`, and rerun fixer")


def _alias_elsewhere(source_file: SourceFile, convention: LoggerImport) -> str | None:
    """Why the file gets no import of a `#` specifier convention (`#logger` of a package.json's `imports`),
    None when it may. Node reads a `#` specifier from the `imports` of the nearest package.json above the
    file only (a `{ "type": "commonjs" }` marker's too): where that has no entry for it, and no tsconfig path
    alias names the convention's file (`alias_target`), the import fails (`Cannot find module`,
    ERR_PACKAGE_IMPORT_NOT_DEFINED)."""
    module, repo, path = convention.module, source_file.repo, source_file.path
    if not module.startswith("#") or convention.aliased is None or convention.target is not None:
        return None
    scope = _imports_scope(repo, path)
    matched = _imports_match(scope[1], module) if scope is not None else None
    if (matched is not None and matched[0] is not None) or alias_target(repo, path, module) == convention.aliased:
        return None  # (its own package's entry: by the file's conditions, `require` or `import`; or a path alias)
    scope = _package_scope(repo, path)
    manifest = "no package.json" if scope is None else f"{scope}/package.json" if scope else "package.json"
    return (f"the logger is imported as `{module}` ({convention.aliased}), which does not name it from this file: Node "
            f"reads a `#` specifier from the `imports` of the nearest package.json above the file ({manifest}) only "
            f"(where it has no such entry, `Cannot find module` from a `require()`, ERR_PACKAGE_IMPORT_NOT_DEFINED from an "
            f"import): add `{module}` to its `imports`, or import "
            "the logger here by hand")


def _depends_on(repo: Repo, directory: str, package: str, members: dict[str, str]) -> bool:
    """Whether the workspace package at `directory` declares `package`, directly or through the
    workspace packages it declares."""
    seen, todo = {directory}, [directory]
    while todo:
        manifest = repo.packages.get(todo.pop()) or {}
        for key in DEPENDENCY_KEYS:
            declared = manifest.get(key)
            for name in declared if isinstance(declared, dict) else ():
                if name == package:
                    return True
                if name in members and members[name] not in seen:
                    seen.add(members[name])
                    todo.append(members[name])
    return False


def _requires_an_es_module(source_file: SourceFile, convention: LoggerImport,
                           module_kinds: tuple[tuple[str, str], ...]) -> str | None:
    """Why the file gets no import of the logger, None when it may: the file is CommonJS and what
    the import loads an ES module (`_es_module_loaded`). CommonJS: a `.cjs`, a `.js` of a CommonJS
    package (Node's rule), or TypeScript that tsc compiles to CommonJS (`_compiled_to`: a `.cts`, or
    a `.ts`/`.tsx` outside a `"type": "module"` package, under `module` node16/nodenext — TS1479
    before TypeScript 5.8 — or commonjs, whose `require()` tsc does not check). `require()` of an
    ES module throws ERR_REQUIRE_ESM before Node 20.19/22.12 (and with
    --no-experimental-require-module), and from there returns the module namespace, so its default
    export is `require(…).default`. No import is written then, whatever the package's `engines`
    say: `engines` is advice Node does not enforce, a `.default` the convention's other files do
    not write would be one more shape to get right, and a module with a top-level await cannot be
    required at all (ERR_REQUIRE_ASYNC_MODULE). The reason says what to do instead. TypeScript that
    tsc compiles to ES modules (`module` es2015…esnext, preserve), or that no tsconfig compiles,
    is left to its compiler or bundler."""
    path = source_file.path
    if path.endswith(".cjs") or (_plain_js(source_file) and is_commonjs(source_file)):
        compiled = "js"
    else:
        compiled = _compiled_to(source_file, module_kinds) if _may_compile_to_commonjs(source_file) else None
        if compiled not in ("node", "commonjs"):
            return None
    loaded = _es_module_loaded(source_file.repo, convention, path, checked=False)  # (what Node loads)
    if loaded is None and compiled == "node":  # (and what tsc checks: TS1479)
        typed = _es_module_loaded(source_file.repo, convention, path)
        if typed is not None:
            return (f"{typed}, so tsc refuses this CommonJS file's import of it (TS1479 under `module` node16/node18, "
                    "and nodenext before TypeScript 5.8), though Node's `require()` loads a CommonJS entry: give the logger CommonJS types for `require()` "
                    "(`\"require\": { \"types\": \"./index.d.cts\", \"default\": … }` in its `exports`), or make this "
                    "file an ES module (a .mts file, or `\"type\": \"module\"` in its package.json)")
    if loaded is None:
        return None
    namespace = ", not its default export" if convention.imported == "default" else ""
    if compiled == "commonjs":
        return (f"{loaded}, which this file cannot load: tsc (`module` commonjs) compiles its import to a `require()`, "
                f"which cannot load an ES module on every Node 20 (ERR_REQUIRE_ESM before 20.19; from there it returns "
                f"the module namespace{namespace}): give the logger a CommonJS entry (a `require` export), or make this "
                "package an ES module; where a bundler builds this file, import the logger by hand")
    typescript_error = "; tsc under `module` node16/nodenext: TS1479" if compiled == "node" else ""
    how = " (a .mts file, or `\"type\": \"module\"` in its package.json)" if compiled == "node" else ""
    return (f"{loaded}, which this CommonJS file cannot `require()` on every Node 20 (ERR_REQUIRE_ESM before 20.19; "
            f"from there `require()` returns the module namespace{namespace}{typescript_error}): import it with "
            f"`await import()` where it is used, or make this file an ES module{how}")


# what runs JavaScript that loads TypeScript: a package declaring one runs its code through it (`tsx index.js`)
_TYPESCRIPT_RUNTIMES = ("tsx", "ts-node", "@swc-node/register", "@esbuild-kit/cjs-loader", "esbuild-register",
                        "@babel/register", "jiti", "bun", "@types/bun")


def _typescript_entry(source_file: SourceFile, convention: LoggerImport) -> str | None:
    """Why the file gets no import of the logger, None when it may: it is JavaScript that Node runs as
    it is (no tsconfig path alias names the package for it: `alias_target`, and its package declares
    no TypeScript runtime, `tsx`, `ts-node`…), and the repository package the import names gives Node
    a TypeScript entry (`"main": "src/index.ts"`, or its `exports`' `require`/`import`): Node 20
    cannot load it (and no Node loads a .ts file's extensionless relative imports), so the service
    would crash at start. So too for a repository module of TypeScript that it names by a relative path
    or a `#` specifier (`_typescript_module`)."""
    repo, path = source_file.repo, source_file.path
    if (convention.target is not None or convention.module.startswith("#")) \
            and (path.endswith((".js", ".mjs", ".cjs")) or _plain_js(source_file)):
        return _typescript_module(source_file, convention)
    if convention.target is not None or convention.module.startswith((".", "/")) \
            or not (path.endswith((".js", ".mjs", ".cjs")) or _plain_js(source_file)):
        return None
    name = package_name(convention.module)
    directory = next((d for d, manifest in sorted(repo.packages.items()) if manifest.get("name") == name), None)
    own = package_of(repo, path)
    if directory is None or alias_target(repo, path, convention.module) is not None or (
            own is not None and any(declares(repo, own, runtime) for runtime in _TYPESCRIPT_RUNTIMES)):
        return None  # (its package's scripts may run it through one, `tsx index.js`; not the root's: its image has none)
    manifest, subpath = repo.packages[directory], "." + convention.module[len(name):]
    if path.endswith(".mjs") or (not path.endswith(".cjs") and not is_commonjs(source_file)):
        entries = _exported_entries(manifest.get("exports"), subpath) if manifest.get("exports") is not None else \
            _required_entries(manifest, subpath)
    else:
        entries = _required_entries(manifest, subpath)
    entry = entries[0] if entries else None
    if not isinstance(entry, str) or not re.search(r"(?<!\.d)\.[cm]?tsx?$", entry):
        return None
    base = directory + "/" if directory else ""
    where = posixpath.normpath(base + entry)
    return (f"the logger package `{name}` gives Node a TypeScript entry ({where}), which this JavaScript file, run "
            "by Node as it is, cannot load: the service would crash at start (Node 20 "
            f"runs no TypeScript; no Node resolves its extensionless imports): give `{name}` a built JavaScript "
            "entry (its `main` or `exports`) and rerun fixer, or log here through this service's own logger by hand")


def _typescript_module(source_file: SourceFile, convention: LoggerImport) -> str | None:
    """`_typescript_entry` of a JavaScript file's import of a repository module: why it gets none, None when
    it may. Node would load TypeScript: the convention's target (`./lib/logger.js` of src/lib/logger.ts,
    with no JavaScript file of its name beside it), or the target the file's package.json `imports` give
    a `#` specifier (`imports_entries`) — unless its package declares a TypeScript runtime (`tsx`…), or
    a tsconfig compiles the file with its JavaScript (`allowJs`, emitting: the output holds both, compiled)."""
    repo, path = source_file.repo, source_file.path
    own = package_of(repo, path)
    if own is not None and any(declares(repo, own, runtime) for runtime in _TYPESCRIPT_RUNTIMES):
        return None
    typescript_file = re.compile(r"(?<!\.d)\.[cm]?tsx?$")
    if convention.target is not None:
        loaded = convention.target
        stem = typescript_file.sub("", loaded)
        if not typescript_file.search(loaded) or any(repo.exists(stem + e) for e in (".js", ".mjs", ".cjs")):
            return None
        what = f"the logger module {loaded} is TypeScript"
    else:
        require = is_commonjs(source_file) and not path.endswith(".mjs")
        found = imports_entries(repo, path, convention.module, require, checked=False)
        if found is None or not found[1]:
            return None
        loaded = posixpath.normpath(posixpath.join(found[0], found[1][0]))
        if not typescript_file.search(loaded):
            return None
        manifest = f"{found[0]}/package.json" if found[0] else "package.json"
        what = f"the logger module `{convention.module}` is TypeScript (the `imports` of {manifest} give Node {loaded})"
    for directory in _directories_up(posixpath.dirname(path)):
        for config in _tsconfigs_in(repo, directory):
            if _compiles(repo, config, path) and not _tsconfig_option(repo, config, "noEmit"):
                return None  # (tsc builds this file with the logger: its output imports the compiled one)
    return (f"{what}, which this JavaScript file, run by Node as it is, cannot load: the service would crash at start "
            "(Node 20 runs no TypeScript, and no .js is written beside the .ts): run this file through a TypeScript "
            "runtime (`tsx`), or have tsc build it with the logger (`allowJs`), or log here through a built "
            "JavaScript logger by hand")


def _directories_up(directory: str) -> Iterator[str]:
    """`directory` and each directory above it, the root ("") last."""
    while True:
        yield directory
        if not directory:
            return
        directory = posixpath.dirname(directory)


def _tsconfig_option(repo: Repo, config: str, option: str) -> object:
    """A `compilerOptions` value of a tsconfig (or of one it extends)."""
    def data(path: str) -> bytes | None:
        source_file = repo.read(path) if repo.exists(path) else None
        return source_file.data if source_file is not None else None

    return typescript.tsconfig_options(config, data).get(option)


_ES_EXTENSIONS = (".mjs", ".mts", ".d.mts")
_COMMONJS_EXTENSIONS = (".cjs", ".cts", ".d.cts", ".json", ".node")


def _es_module_file(repo: Repo, path: str) -> bool:
    """Whether Node (and tsc under node16/nodenext) loads the file as an ES module: a `.mjs`/`.mts`,
    else any JavaScript or TypeScript file of a `"type": "module"` package (not a `.cjs`/`.cts`)."""
    if path.endswith(_ES_EXTENSIONS):
        return True
    return not path.endswith(_COMMONJS_EXTENSIONS) and repo.package_type(path) == "module"


# a CommonJS module's default export as tsc and Babel emit it: `exports.default = logger;` (with `__esModule`)
_EXPORTS_DEFAULT = re.compile(rb"(?<![\w$.])(?:module\s*\.\s*)?exports\s*(?:\.\s*default|\[\s*['\"]default['\"]\s*\])"
                              rb"\s*=(?!=)|(?<![\w$.])Object\s*\.\s*defineProperty\s*\(\s*exports\s*,\s*['\"]default['\"]")
_EXPORT_DEFAULT = re.compile(rb"(?<![\w$.])export\s+default\b|(?<![\w$.])export\s*\{[^{}]*\bas\s+default\b")


def default_in_exports_default(repo: Repo, target: str) -> bool:
    """Whether the repository module at `target` is CommonJS whose default export is its
    `exports.default`, not its whole `module.exports`: JavaScript Node loads as CommonJS (a `.cjs`,
    a `.js` of a package without `"type": "module"`) that sets `exports.default` (tsc's and Babel's
    output of `export default`), or TypeScript with `export default` that tsc compiles to CommonJS
    (a `.cts`; a `.ts`/`.tsx` of such a package under `module` commonjs or node16/nodenext,
    `_compiled_to`). Its `require()`, and an ES module's default import of it (Node gives an ES
    module a CommonJS module's whole `module.exports`, `__esModule` or not), is `{ default: logger }`:
    the logger is its `.default` (`_holds_module_exports`). Remembered per run."""
    memo = repo.derived.setdefault("logger/exports-default", {})
    if target not in memo:
        found = False
        if target.endswith((".cjs", ".js")) and (target.endswith(".cjs") or repo.package_type(target) != "module"):
            code = _code_of(repo, target)
            found = code is not None and _EXPORTS_DEFAULT.search(code) is not None
        elif target.endswith((".cts", ".ts", ".tsx")) and not target.endswith(".d.ts") and (
                target.endswith(".cts") or repo.package_type(target) != "module"):
            code = _code_of(repo, target)
            source_file = repo.read(target) if code is not None and _EXPORT_DEFAULT.search(code) else None
            found = source_file is not None and (target.endswith(".cts") or _compiled_to(
                source_file, _typescript_module_kinds(repo)) in ("node", "commonjs"))
        memo[target] = found
    return memo[target]


def _holds_module_exports(source_file: SourceFile, seen: ImportSeen) -> bool:
    """Whether the file's binding `seen` of a module's default holds the module's whole
    `module.exports`, where that is not the default export (`default_in_exports_default`): a
    whole-module `require('./logger')` (not `require('./logger').default`), TypeScript's
    `import logger = require('./logger')`, or the default import of an ES module that Node runs
    (`_takes_module_exports`)."""
    if seen.imported != "default" or seen.member or (
            not seen.commonjs and not _takes_module_exports(source_file)):
        return False
    target = resolve_import(source_file.repo, source_file.path, seen.module)
    return target is not None and default_in_exports_default(source_file.repo, target)


def _takes_module_exports(source_file: SourceFile) -> bool:
    """Whether the file's default import of a CommonJS module is the module's whole `module.exports`
    (`__esModule` does not count): an ES module Node runs, a `.mjs` or the `.js` of a `"type": "module"`
    package, or TypeScript one that tsc compiles as such (a `.mts`, a `.ts`/`.tsx` of a `"type":
    "module"` package, under `module` node16/nodenext; or no tsconfig: Node strips its types). Not
    under a bundler's `module` (es2015…esnext), whose default import of one is its `exports.default`."""
    path = source_file.path
    if path.endswith(".mjs") or _node_es_module(source_file):
        return True
    if path.endswith(".mts") or (path.endswith((".ts", ".tsx")) and not path.endswith(".d.ts")
                                 and source_file.repo.package_type(path) == "module"):
        return _compiled_to(source_file, _typescript_module_kinds(source_file.repo)) in ("node", None)
    return False


def _default_typed_otherwise(source_file: SourceFile, convention: LoggerImport) -> str | None:
    """Why the file gets no import of the logger, None when it may: the convention's default export is
    its module's `exports.default` (`_default_is_member`), and the file is TypeScript that tsc emits as
    an ES module (a `.mts`, a `.ts`/`.tsx` of a `"type": "module"` package) under `module` commonjs:
    Node gives its default import the whole `module.exports`, while tsc types it as the default export,
    so neither `logger.info(…)` nor `logger.default.info(…)` both compiles and runs."""
    path = source_file.path
    if not (path.endswith(".mts") or (path.endswith((".ts", ".tsx")) and not path.endswith(".d.ts")
                                      and source_file.repo.package_type(path) == "module")) \
            or not _default_is_member(source_file, convention) \
            or _compiled_to(source_file, _typescript_module_kinds(source_file.repo)) != "commonjs":
        return None
    return (f"the logger module {convention.target or convention.aliased} is CommonJS whose default export is its "
            "`exports.default`, and this file is an ES module under tsc's `module` commonjs: Node gives its default "
            "import the whole `module.exports`, while tsc types it as the default export, so neither "
            f"`{convention.local}.info(…)` nor `{convention.local}.default.info(…)` both compiles and runs: compile "
            "it under `module` node16/nodenext (then log through `.default`), or log here by hand")


def _es_module_loaded(repo: Repo, convention: LoggerImport, from_file: str | None = None,
                      checked: bool = True) -> str | None:
    """What the convention's import loads, said as "the logger module … is an ES module", when
    a `require()` of it loads an ES module: a repository file (`target`) that is one, or a
    repository package (by its name) for which `_required_entries` finds one, or a `#` specifier
    of the package.json `imports` of `from_file` (`imports_entries`); None when not, or not known (a
    package outside the repository: fixer does not read node_modules; a `#` one with no `from_file`).
    Node's pick is what `require()` loads (a declaration file never is); with `checked`, TypeScript's
    too, which tsc under node16/nodenext checks (its `types`: a .d.ts of a `"type": "module"` package
    declares an ES module there). The specifier is said as imported (`@acme/logger/pretty`)."""
    if convention.target is not None:
        if convention.target.endswith((".js", ".jsx", ".ts", ".tsx", ".mjs", ".mts")) \
                and _es_module_file(repo, convention.target):
            return f"the logger module {convention.target} is an ES module"
        return None
    module = convention.module
    if module.startswith(".") or module.startswith("/"):
        return None
    if module.startswith("#"):
        found = imports_entries(repo, from_file, module, True, checked) if from_file is not None else None
        if found is None:
            return None
        directory, entries = found
        what = f"the logger module `{module}`"
        manifest = f"{directory}/package.json" if directory else "package.json"
        none = f"the `imports` of {manifest} give `require()` no entry for it"
    else:
        name = package_name(module)
        directory = next((d for d, manifest in sorted(repo.packages.items()) if manifest.get("name") == name), None)
        if directory is None:
            return None
        entries = _required_entries(repo.packages[directory], "." + module[len(name):], checked)
        if entries is None:
            return None
        what = f"the logger package `{module}`" if module == name else f"the logger package entry `{module}`"
        none = "its `exports` give `require()` no entry" if module == name else \
            f"the `exports` of `{name}` give `require()` no entry for `.{module[len(name):]}`"
    base = directory + "/" if directory else ""
    if not entries:
        return f"{what} is an ES module ({none})"
    for index, entry in enumerate(entries):
        loaded = posixpath.normpath(base + entry)
        declarations = re.search(r"\.d\.[cm]?ts$", loaded) is not None
        if (index == 0 and declarations) or not _es_module_file(repo, loaded):
            continue  # (Node's pick first: a declaration file is never what `require()` loads)
        if index > 0:
            kind = "a `\"type\": \"module\"` package's declarations" if not loaded.endswith(_ES_EXTENSIONS) else \
                "an ES module's declarations" if declarations else "an ES module file"
            return f"{what}'s types are an ES module's (tsc resolves its `require()` to {loaded}, {kind})"
        kind = "a `\"type\": \"module\"` package's file" if not loaded.endswith(_ES_EXTENSIONS) else "an ES module file"
        return f"{what} is an ES module (`require()` of it loads {loaded}, {kind})"
    return None


# conditions of `exports` that never apply to a `require()` on Node (TypeScript's `customConditions`
# may name any other: each is taken to apply, so what tsc resolves is not missed)
_NOT_REQUIRE_CONDITIONS = frozenset({"import", "module", "module-sync", "browser", "deno", "bun", "worker", "react-native"})


def _condition_target(value: object, applies: Callable[[str], bool], depth: int = 0) -> str | None:
    """The target an `exports`/`imports` value gives (a string, the first of an array that gives one, or
    conditions: the first in the map's order that is `default` or that `applies`, nested), None when none."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return next((found for each in value[:4] if (found := _condition_target(each, applies, depth)) is not None),
                    None)
    if isinstance(value, dict) and depth < 4:
        for key, each in value.items():
            if isinstance(key, str) and (key == "default" or applies(key)):
                found = _condition_target(each, applies, depth + 1)
                if found is not None:
                    return found
    return None


def _required_entries(manifest: dict, subpath: str, checked: bool = True) -> list[str] | None:
    """The files of a package (relative to it) that a `require()` of `subpath` ("." or
    "./child") loads: by its `exports`, Node's pick (conditions `require`, `node`, `default`, in
    the map's order) and, with `checked`, TypeScript's after it (also `types`, and any custom
    condition, where they stand); without `exports`, `main` (index.js), and `types` with `checked`.
    [] when `exports` gives `require()` no entry for it; None when unknown (a subpath pattern, a
    subpath without `exports`)."""
    exports = manifest.get("exports")
    if exports is None:
        if subpath != ".":
            return None
        found = [manifest.get("main") if isinstance(manifest.get("main"), str) else "index.js"]
        return found + ([manifest[k] for k in ("types", "typings") if isinstance(manifest.get(k), str)][:1]
                        if checked else [])
    if isinstance(exports, dict) and any(isinstance(key, str) and key.startswith(".") for key in exports):
        if subpath not in exports:
            return None
        exports = exports[subpath]
    elif subpath != ".":
        return None
    node = _condition_target(exports, lambda key: key in ("require", "node", "node-addons"))
    if node is None:
        return []
    compiled = _condition_target(exports, lambda key: key not in _NOT_REQUIRE_CONDITIONS) if checked else None
    return [node] + ([compiled] if compiled is not None and compiled != node else [])


def _may_be_an_es_module(repo: Repo, convention: LoggerImport) -> bool:
    """Whether some file's import of the convention may load an ES module (`_es_module_loaded`:
    of its target, or of the workspace package the target belongs to, which files of other
    packages import by its name), so the tsconfigs' `module` is read for it."""
    if _es_module_loaded(repo, convention) is not None or convention.module.startswith("#"):
        return True  # (a `#` specifier: what it loads is the file's package.json's to say, `_requires_an_es_module`)
    directory = package_of(repo, convention.target) if convention.target is not None else None
    name = (repo.packages.get(directory) or {}).get("name") if directory else None
    return isinstance(name, str) and _es_module_loaded(repo, LoggerImport(name, convention.imported,
                                                                          convention.local)) is not None


def _typescript_module_kinds(repo: Repo) -> tuple[tuple[str, str], ...]:
    """(directory, kind) for each directory with tsconfig*.json files (`_tsconfigs_in`; those of
    tests aside, and a solution config that compiles no file, `"files": []`): what they compile a
    CommonJS-format TypeScript file to, by their `module` (or that of a config they extend by
    relative path): "node" (node16, node18, nodenext…: tsc checks what it `require()`s), "commonjs"
    (also `module` unset under an ES3/ES5 `target`, tsc's default), else "es"; "node" before
    "commonjs" before "es" when a directory's configs differ. Remembered per run."""
    if "logger/module-kinds" in repo.derived:
        return repo.derived["logger/module-kinds"]

    def data(path: str) -> bytes | None:
        source_file = repo.read(path) if repo.exists(path) else None
        return source_file.data if source_file is not None else None

    _tsconfigs_in(repo, "")  # (the index of every directory's tsconfig files)
    found = []
    for directory, configs in sorted(repo.derived.get("logger/tsconfigs", {}).items()):
        kinds = set()
        for config in configs:
            if re.search(r"\b(spec|test|e2e)\b", posixpath.basename(config)):
                continue
            raw = data(config)
            own = typescript.jsonc_loads(raw) if raw is not None else None
            if isinstance(own, dict) and own.get("files") == [] and not own.get("include"):
                continue  # (a solution config: its references compile the files)
            options = typescript.tsconfig_options(config, data)
            module = str(options.get("module") or "").lower()
            if not module:
                module = "commonjs" if str(options.get("target") or "es5").lower() in ("es3", "es5") else "es"
            kinds.add("node" if module.startswith("node") else "commonjs" if module == "commonjs" else "es")
        if kinds:
            found.append((directory, next(k for k in ("node", "commonjs", "es") if k in kinds)))
    repo.derived["logger/module-kinds"] = tuple(found)
    return repo.derived["logger/module-kinds"]


def _compiled_to(source_file: SourceFile, module_kinds: tuple[tuple[str, str], ...]) -> str | None:
    """The kind (`_typescript_module_kinds`) of the nearest directory at or above the file with
    tsconfig files: what tsc compiles it to; None when none compiles it."""
    found = dict(module_kinds)
    directory = posixpath.dirname(source_file.path)
    while directory not in found and directory:
        directory = posixpath.dirname(directory)
    return found.get(directory)


NEST_LOGGER = "NestJS's Logger"


def _made_here(source_file: SourceFile) -> tuple[int, str] | None:
    """The line of the first logger the file makes (`logger_creations`: `winston.createLogger(`,
    `bunyan.createLogger(`, `pino(`, `new Logger(`, a child), and what it is: NEST_LOGGER for a
    `new Logger(…)` of `@nestjs/common`, else "a logger"; None when it makes none."""
    data = source_file.data
    comments = comment_ranges(data) if b"/" in data else None
    code = blank(data, comments) if comments else data
    match = next(logger_creations(code), None)
    if match is None:  # (NestJS's static `Logger.log(…)`: the import is where the file gets it)
        imported = _NEST_IMPORT.search(code) if b"@nestjs/common" in code else None
        return None if imported is None else (source_file.line_col(imported.start())[0], NEST_LOGGER)
    nest = b"@nestjs/common" in code and re.match(rb"new\s+Logger\s*\(", match.group()) is not None
    return source_file.line_col(match.start())[0], NEST_LOGGER if nest else "a logger"


_NEST_IMPORT = re.compile(rb"\bimport\s*\{[^{}]*\bLogger\b(?!\s*as\b)[^{}]*\}\s*from\s*['\"]@nestjs/common['\"]")
MADE = FactsSpec("logger/made", _made_here, CODE_KINDS, (b"Logger", b"pino", b"ogger.child"))


def loggers_made(repo: Repo, scope: str | None) -> list[tuple[str, int, str]]:
    """(path, line, what) of the loggers the service code of `scope` (a service directory; None:
    the repository) makes (`_made_here`), tests and scripts aside: what a file with no logger to
    import may be told of."""
    base = scope + "/" if scope else ""
    return [(path, *made) for path, made in sorted(repo.facts_of(MADE).items())
            if made is not None and path.startswith(base) and not not_service_code(path)]


NONE_IMPORTED = "no logger is imported anywhere in this service; set [logger] in .fixer.toml"


def no_logger_reason(repo: Repo, path: str) -> str:
    """Why a file has no logger to log through: none imported, or one its service's code gets
    from a function (`useLogger()`, `logger_functions`) that fixer cannot import as a logger, or
    one its service makes where no file imports it (a logger module nothing imports yet, NestJS's
    `new Logger(…)` in another file): said with where it is and what to do."""
    service = repo.service_for(path)
    functions = logger_functions(repo)
    made = functions.get(service.dir if service is not None else None) or functions.get(None)
    if made is None or (service is not None and service.dir and not made[0].startswith(service.dir + "/")):
        own = loggers_made(repo, service.dir if service is not None else None)
        nest = next(((p, line) for p, line, what in own if what == NEST_LOGGER), None)
        other = next(((p, line) for p, line, what in own if what != NEST_LOGGER and p != path), None)
        if other is not None:
            return (f"no file of this service imports a logger, and fixer does not take the one it makes at "
                    f"{other[0]}:{other[1]} for its logger unless told: import it here by hand, or name its module "
                    "under [logger] in .fixer.toml (`module`, `import`)")
        if nest is not None:
            return (f"this service logs through {NEST_LOGGER} (as at {nest[0]}:{nest[1]}), which fixer does not "
                    "call: call it here by hand (`Logger.log(…)`, a `new Logger(…)` of @nestjs/common, `this.logger` "
                    "in a class: `log`/`warn`/`error`) with one message")
        if repo.config.logger.get("create"):
            return ("no logger is imported anywhere in this service yet: console-to-logger's change adds one "
                    "([logger] create = true); this change logs with console until it is merged")
        return NONE_IMPORTED  # (console-to-logger adds what the service declares: `declared_logger`)
    module, name, files = made
    return (f"this service's code gets its logger by calling `{name}()` of {module} ({files} file(s)), which fixer "
            "cannot import as a logger: rewrite it by hand, or name a module that exports the logger itself under "
            "[logger] in .fixer.toml")


_LOGGING_LIBRARIES = ("winston", "pino", "bunyan", "log4js", "loglevel", "signale")


def declared_logger(repo: Repo, path: str) -> str | None:
    """What the file's package.json declares that it could log through, where no file of its service
    imports a logger (console-to-logger's report of `NONE_IMPORTED`; a service whose repository logger is
    outside its image, `_outside_image_reason`): a package of the repository one of whose modules makes a
    logger (`@acme/logger` of packages/logger), NestJS's Logger (@nestjs/common), Moleculer's
    `this.logger`, a logging library nothing makes a logger with yet; said with what to do. None
    when it declares none (devDependencies aside: not installed in a production image). Remembered
    per package."""
    own = package_of(repo, path)
    memo = repo.derived.setdefault("logger/declared-logger", {})
    if own not in memo:
        memo[own] = _declared_logger(repo, own)
    return memo[own]


def _declared_logger(repo: Repo, own: str | None) -> str | None:
    manifest = repo.packages.get(own) or {} if own is not None else {}
    declared = [name for key in ("dependencies", "peerDependencies", "optionalDependencies")
                if isinstance(manifest.get(key), dict) for name in manifest[key]]
    if not declared:
        return None
    where = f"{own}/package.json" if own else "package.json"
    packages = {m.get("name"): d for d, m in sorted(repo.packages.items()) if d and d != own}
    for name in declared:
        made = [m for m in loggers_made(repo, packages[name]) if m[2] != NEST_LOGGER] if name in packages else []
        if made:
            return (f"{where} declares `{name}` ({packages[name]}), whose {made[0][0]}:{made[0][1]} makes a logger: "
                    f"name it under [logger] in .fixer.toml (`module = \"{name}\"`, `import` = the name it exports the "
                    "logger under) and rerun fixer, or import it here by hand")
    if "@nestjs/common" in declared or "@nestjs/core" in declared:
        return (f"this service is a NestJS app ({where} declares @nestjs/*): log through {NEST_LOGGER} by hand (a "
                "`new Logger(Name.name)` of @nestjs/common, `this.logger` in a class: `log`/`warn`/`error`, one "
                "message), which fixer does not call")
    if "moleculer" in declared:
        return (f"this service runs on Moleculer ({where} declares moleculer): log by hand through `this.logger` in a "
                "service's actions, events and lifecycle handlers (`broker.logger` beside the broker), which fixer does "
                "not call")
    library = next((name for name in declared if name in _LOGGING_LIBRARIES), None)
    if library is not None:
        return (f"{where} declares `{library}`, and no module of this service makes a logger with it: make one (or set "
                "`[logger] create = true` in .fixer.toml) and rerun fixer")
    return None


def _bound(source_file: SourceFile, name: str) -> bool:
    """Whether the file binds `name` anywhere (`typescript.declares`, and TypeScript's
    `import name = require(…)`, which it does not see)."""
    return typescript.declares(source_file.tree.root_node, name) or any(
        seen.equals and seen.local == name for seen in imports_in(source_file))


def import_edit(source_file: SourceFile, convention: LoggerImport, local: str) -> Edit:
    """The edit that gives the file `local`: a name added to an existing import of the same
    module (`import { isAppError, logger } from '@scope/shared'`), else a new import line
    (and, for a factory convention, the `const log = createServiceLogger('svc')` after it).
    Where the convention is TypeScript's `import logger = require('./logger')`, a TypeScript
    file gets one too (never merged into an ESM import: `import logger, { x } from` is not
    the same module value)."""
    if convention.factory_args is not None:
        return _factory_edit(source_file, convention, local)
    if convention.module in DEFAULT_LOGGERS and convention.imported in ("default", "*"):
        return _default_logger_edit(source_file, convention, local)
    equals = convention.equals and convention.imported == "default" and _takes_import_equals(source_file, convention)
    # a TypeScript ES module instead (a relative specifier names its file there, as in `.mts`)
    esm = convention.equals and not equals and _in_es_module_scope(source_file.path, convention.esm_scopes) \
        or _node_es_module(source_file)
    spelled = specifier(convention, source_file.path, esm, _habit(source_file, convention))
    merged = None if equals else _merge_into_import(source_file, spelled, convention, local)
    if merged is not None:
        return merged
    quote = quote_style(source_file)
    semi = ";" if uses_semicolons(source_file) else ""
    module = f"{quote}{spelled}{quote}"
    if equals:
        line = f"import {local} = require({module}){semi}"
    elif is_commonjs(source_file):
        if convention.imported == "default":  # (`.default`: of a module whose default is `exports.default`)
            member = ".default" if _default_is_member(source_file, convention) else ""
            line = f"const {local} = require({module}){member}{semi}"
        elif convention.imported == local:
            line = f"const {{ {local} }} = require({module}){semi}"
        else:
            line = f"const {{ {convention.imported}: {local} }} = require({module}){semi}"
    elif convention.imported == "default":
        line = f"import {local} from {module}{semi}"
    elif convention.imported == local:
        line = f"import {{ {local} }} from {module}{semi}"
    else:
        line = f"import {{ {convention.imported} as {local} }} from {module}{semi}"
    offset, before, after = insertion_point(source_file, hoisted=not equals)  # (import-equals is a `require`)
    return Edit(source_file.path, offset, offset, f"{before}{line}{after}")


def _default_is_member(source_file: SourceFile, convention: LoggerImport) -> bool:
    """Whether the convention imports the default export of a repository module whose default is its
    `exports.default` (`default_in_exports_default`): a `require()` of it needs `.default`, and so does
    an ES module's default import of it where Node gives that the whole module (`_takes_module_exports`)."""
    target = convention.target or convention.aliased
    return convention.imported == "default" and convention.factory_args is None and target is not None \
        and default_in_exports_default(source_file.repo, target)


def _default_logger_edit(source_file: SourceFile, convention: LoggerImport, local: str) -> Edit:
    """The import of a library's default logger (`convention.module`, winston) as a new line: in
    CommonJS `const winston = require('winston')`; in TypeScript that compiles to CommonJS the
    convention's `import winston = require(…)`, else its `import * as winston` (`imported` "*":
    tsc's CommonJS `require` of it, with or without esModuleInterop) or default import; and
    wherever Node runs the file as an ES module the default import, the module's exports (the
    level methods winston's index assigns in a loop are no named export Node sees: `import * as`
    would have no `.info`)."""
    quote = quote_style(source_file)
    semi = ";" if uses_semicolons(source_file) else ""
    module = f"{quote}{convention.module}{quote}"
    typescript_file = source_file.path.endswith((".ts", ".tsx", ".cts", ".mts")) and not source_file.path.endswith(".d.ts")
    equals = typescript_file and convention.equals and _takes_import_equals(source_file, convention)
    if equals:
        line = f"import {local} = require({module}){semi}"
    elif is_commonjs(source_file):
        line = f"const {local} = require({module}){semi}"
    elif typescript_file and convention.imported == "*" and not _runs_as_es_module(source_file):
        line = f"import * as {local} from {module}{semi}"
    else:
        line = f"import {local} from {module}{semi}"
    offset, before, after = insertion_point(source_file, hoisted=not equals)
    return Edit(source_file.path, offset, offset, f"{before}{line}{after}")


def _runs_as_es_module(source_file: SourceFile) -> bool:
    """Whether Node runs the file, or what tsc makes of it, as an ES module: a `.mjs`/`.mts`, a
    `.js` of a `"type": "module"` package (`_node_es_module`), TypeScript of one (not `.cts`)."""
    path = source_file.path
    if path.endswith((".mjs", ".mts")):
        return True
    if path.endswith((".ts", ".tsx")):
        return source_file.repo.package_type(path) == "module"
    return _node_es_module(source_file)


_IMPORT_EQUALS_EXTENSIONS = (".ts", ".tsx", ".cts")  # TypeScript that is not always an ES module (`.mts`: TS1202)


def _takes_import_equals(source_file: SourceFile, convention: LoggerImport) -> bool:
    """Whether `import x = require('m')` can be written in the file: TypeScript that compiles
    to CommonJS. Not a `.mts` file, nor a `.ts`/`.tsx` file of an ES module package (`"type":
    "module"`: tsx and Node run it as an ES module, where `require` is not defined) or of a
    tsconfig whose `module` is an ES one (TS1202); a `.cts` file always is CommonJS."""
    path = source_file.path
    if not path.endswith(_IMPORT_EQUALS_EXTENSIONS) or path.endswith(".d.ts"):
        return False
    return path.endswith(".cts") or not _in_es_module_scope(path, convention.esm_scopes)


_ES_MODULE_KINDS = re.compile(r"es(6|20\d\d|next)", re.I)  # tsconfig `module` values that emit ES modules


def _es_module_scopes(repo: Repo) -> tuple[tuple[str, str, bool], ...]:
    """Where TypeScript files are ES modules: (directory, "package", whether its package.json's
    `"type"` is "module") and (directory, "tsconfig", whether its tsconfig.json's `module`,
    or that of a config it extends, is es2015…esnext), for every such file; () when none says
    ES module (everything is CommonJS). Reads only package.json and tsconfig.json files."""
    def data(path: str) -> bytes | None:
        source_file = repo.read(path) if repo.exists(path) else None
        return source_file.data if source_file is not None else None

    scopes = []
    for path in repo.paths_of({"json"}):
        name, directory = posixpath.basename(path), posixpath.dirname(path)
        if name == "package.json":
            scopes.append((directory, "package", repo.package_type(path) == "module"))
        elif name == "tsconfig.json":
            module = typescript.tsconfig_options(path, data).get("module")
            scopes.append((directory, "tsconfig", isinstance(module, str) and bool(_ES_MODULE_KINDS.fullmatch(module))))
    return tuple(sorted(scopes)) if any(esm for _, _, esm in scopes) else ()


def _in_es_module_scope(path: str, scopes: tuple[tuple[str, str, bool], ...]) -> bool:
    """Whether the nearest package.json or the nearest tsconfig.json above `path` (of
    `_es_module_scopes`) makes its TypeScript an ES module."""
    if not scopes:
        return False
    found = {(directory, kind): esm for directory, kind, esm in scopes}
    for kind in ("package", "tsconfig"):
        directory = posixpath.dirname(path)
        while (directory, kind) not in found and directory:
            directory = posixpath.dirname(directory)
        if found.get((directory, kind)):
            return True
    return False


def _factory_edit(source_file: SourceFile, convention: LoggerImport, local: str) -> Edit:
    semi = ";" if uses_semicolons(source_file) else ""
    factory = convention.imported
    declaration = f"const {local} = {factory}{convention.factory_args}{semi}"
    offset, before, after = insertion_point(source_file, hoisted=False)  # (the declaration runs where it stands)
    if any(seen.local == factory for seen in imports_in(source_file)):
        text = f"\n\n{declaration}" if before else f"{declaration}{after}"
        return Edit(source_file.path, offset, offset, text)
    quote = quote_style(source_file)
    spelled = specifier(convention, source_file.path, _node_es_module(source_file), _habit(source_file, convention))
    module = f"{quote}{spelled}{quote}"
    line = (f"const {{ {factory} }} = require({module}){semi}" if is_commonjs(source_file)
            else f"import {{ {factory} }} from {module}{semi}")
    if before:  # after the last import: the declaration below the imports, apart
        return Edit(source_file.path, offset, offset, f"{before}{line}\n\n{declaration}")
    return Edit(source_file.path, offset, offset, f"{line}\n\n{declaration}{after}")


def _top_level_calls(source_file: SourceFile) -> Iterator[tuple[str, Node]]:
    """`const name = f(…)` at the top of the file (exported or not)."""
    return ((name, value) for name, value in _top_level_declarators(source_file) if value.type == "call_expression")


def top_level_declarators(source_file: SourceFile) -> Iterator[tuple[str, Node]]:
    """`const name = <value>` at the top of the file (exported or not): the name and the value."""
    return _top_level_declarators(source_file)


def _top_level_declarators(source_file: SourceFile) -> Iterator[tuple[str, Node]]:
    """`const name = <value>` at the top of the file (exported or not): the name and the value."""
    for node in source_file.tree.root_node.named_children:
        declaration = node.named_children[0] if node.type == "export_statement" and node.named_children else node
        if declaration.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in declaration.named_children:
            name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            if name is not None and value is not None and name.type == "identifier":
                yield _text(name), value


def _merge_into_import(source_file: SourceFile, module: str, convention: LoggerImport, local: str) -> Edit | None:
    """Add the logger to an import (or destructuring require) of the same module already in the file."""
    named = local if convention.imported == local else None
    first_use: Node | None = None  # the first top-level statement that may log (the root: none), when asked
    for node in source_file.tree.root_node.named_children:
        if node.type == "import_statement" and not is_commonjs(source_file):
            if any(child.type == "type" for child in node.children):
                continue  # `import type { … }` cannot carry a value
            if _may_compile_to_commonjs(source_file):  # then it is a `require` where it stands
                if first_use is None:
                    first_use = load_order(source_file).first or source_file.tree.root_node
                if first_use.type != "program" and node.start_byte >= first_use.start_byte:
                    break
            if typescript.string_value(node.child_by_field_name("source")) != module:
                continue
            clause = next((c for c in node.named_children if c.type == "import_clause"), None)
            parts = {c.type: c for c in clause.named_children} if clause is not None else {}
            if clause is None or "namespace_import" in parts:
                continue
            if convention.imported == "default":
                if "identifier" in parts:
                    continue  # it already has a default import, under another name
                return Edit(source_file.path, clause.start_byte, clause.start_byte, f"{local}, ")
            spec = named or f"{convention.imported} as {local}"
            if "named_imports" in parts:
                return _add_to_list(source_file, parts["named_imports"], spec)
            return Edit(source_file.path, clause.end_byte, clause.end_byte, f", {{ {spec} }}")
        if node.type in ("lexical_declaration", "variable_declaration") and convention.imported != "default":
            for declarator in node.named_children:
                name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                if name is None or name.type != "object_pattern" or _required_module(value) != (module, None):
                    continue
                if first_use is None:
                    first_use = load_order(source_file).first or source_file.tree.root_node
                if first_use.type != "program" and node.start_byte >= first_use.start_byte:
                    break  # a require after the first statement that logs runs too late for it (TDZ)
                return _add_to_list(source_file, name, named or f"{convention.imported}: {local}")
    return None


def _add_to_list(source_file: SourceFile, braces: Node, item: str) -> Edit:
    """Append `item` to `{ a, b }`, keeping the list's layout and trailing-comma habit."""
    items = [c for c in braces.named_children if c.type != "comment"]
    if not items:
        return Edit(source_file.path, braces.start_byte + 1, braces.end_byte - 1, f" {item} ")
    last = items[-1]
    after = last.next_sibling
    trailing = after is not None and after.type == ","
    multiline = b"\n" in source_file.data[braces.start_byte : braces.end_byte]
    if multiline:
        indent = source_file.text.indent_at(last.start_byte)
        if trailing:
            return Edit(source_file.path, after.end_byte, after.end_byte, f"\n{indent}{item},")
        return Edit(source_file.path, last.end_byte, last.end_byte, f",\n{indent}{item}")
    if trailing:
        return Edit(source_file.path, after.end_byte, after.end_byte, f" {item},")
    return Edit(source_file.path, last.end_byte, last.end_byte, f", {item}")


def insertion_point(source_file: SourceFile, hoisted: bool = True) -> tuple[int, str, str]:
    """Where a new import goes: after the last import/require, else before the first statement
    and the comments right above it (after a shebang, directives and a header comment that a
    blank line parts from the code). Returns (offset, prefix, suffix).
    `hoisted`: what goes there is an ES import (in an ES module file); else it runs where it
    stands (a `const`, TypeScript's `import x = require(…)`)."""
    root = source_file.tree.root_node
    last = None
    # a `require` is no import: it runs where it stands, so in CommonJS (and for what is not an
    # import) it goes before the first top-level statement that may log as the module loads
    # (`const` is not there before it runs), after the last module loaded before that, and never
    # above code the file runs ahead of a module it loads (`load_order`)
    in_place = is_commonjs(source_file) or _may_compile_to_commonjs(source_file)
    order = load_order(source_file) if in_place or not hoisted else None
    first_use = order.first if order is not None else None
    for index, node in enumerate(root.named_children):
        if first_use is not None and node.start_byte >= first_use.start_byte:
            break
        if node.type == "import_statement" or (
            node.type in ("lexical_declaration", "variable_declaration") and any(True for _ in _require(source_file.path, node))
        ) or (order is not None and _loads_module(node, in_place)) or (order is not None and index < order.set_up):
            last = node
    if last is not None:
        end, following = last.end_byte, last.next_named_sibling
        while following is not None and following.type == "comment" and following.start_point[0] == last.end_point[0]:
            end = following.end_byte  # a comment ending the import's line is the import's (`// eslint-disable-line`)
            following = following.next_named_sibling
        return end, "\n", ""
    nodes = root.named_children
    for index, node in enumerate(nodes):
        if node.type in ("hash_bang_line", "comment"):
            continue
        if node.type == "expression_statement" and node.named_children and node.named_children[0].type == "string":
            continue  # 'use strict' and other directives stay first
        # the comments right above the statement are its own (`// @ts-ignore`, `/** @type … */`,
        # `// eslint-disable-next-line`, its JSDoc): the import goes above them, not between;
        # a comment with a blank line after it (a licence header) stays first, and so does a pragma
        # TypeScript and Babel read only before the first statement (`// @ts-check`, `/// <reference`)
        # with all above it
        while index and nodes[index - 1].type == "comment" and not _PRAGMA.search(nodes[index - 1].text) and \
                source_file.data.count(b"\n", nodes[index - 1].end_byte, node.start_byte) < 2 and \
                (index < 2 or nodes[index - 2].end_point[0] < nodes[index - 1].start_point[0]):  # (not a trailing one)
            index -= 1
            node = nodes[index]
        return node.start_byte, "", "\n\n"  # a blank line between the imports and the code
    return len(source_file.data), ("" if source_file.data.endswith(b"\n") or not source_file.data else "\n"), "\n"


_PRAGMA = re.compile(rb"@(?:ts-nocheck|ts-check|jsx|jsxFrag|jsxImportSource|jsxRuntime|flow|noflow)\b|"
                     rb"^///\s*<(?:reference|amd-module|amd-dependency)\b")


_RUNS_LATER = frozenset({"function_declaration", "generator_function_declaration", "class_declaration", "comment",
                         "hash_bang_line"})


def _first_top_level_console(root: Node, start: int = 0,
                             functions: dict[bytes, tuple[list[Node], bool]] | None = None) -> Node | None:
    """The first top-level statement (from the `start`th on) that may log through console as the
    module loads: one whose code that runs then mentions console (not a function or class
    declaration, nor a function it only keeps: `const debug = (…) => console.log(…)`), or calls a
    top-level function or class that does (`_top_level_functions`), directly or through another one
    (`function boot() { console.log(…) } boot();`; not `module.exports = { boot }`: `_calls_name`).
    `functions`: the file's `_top_level_functions`, when known."""
    nodes = root.named_children
    if functions is None:
        functions = _top_level_functions(nodes)
    logging = _logging_functions(functions)
    for node in nodes[start:]:
        if _held(node).type in _RUNS_LATER:
            continue
        text = node.text or b""
        if _logs_as_it_runs(node, functions) or any(
                _names(text, name) and _calls_name(node, name, functions[name][1]) for name in logging):
            return node
    return None


def _held(node: Node) -> Node:
    """The declaration an `export` statement holds (`export function f() {…}`), else the statement."""
    if node.type == "export_statement":
        return node.child_by_field_name("declaration") or node
    return node


def _top_level_functions(nodes: list[Node]) -> dict[bytes, tuple[list[Node], bool]]:
    """The file's top-level functions and classes by name: (the code that runs when it is called,
    whether it is a class). A declared one (`function boot() {…}`, `class API {…}`, exported too), and
    the functions and methods a declaration only keeps under its name (`const debug = on ? (…) =>
    console.log(…) : () => undefined`, `const api = { run() {…} }`: `_deferred`)."""
    found: dict[bytes, tuple[list[Node], bool]] = {}
    for node in nodes:
        held = _held(node)
        if held.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
            name = held.child_by_field_name("name")
            if name is not None and name.text:
                found[name.text] = ([held], held.type == "class_declaration")
        elif held.type in ("lexical_declaration", "variable_declaration") and (
                b"=>" in (held.text or b"") or b"function" in (held.text or b"") or b"{" in (held.text or b"")):
            deferred = _deferred(node)
            for declarator in held.named_children:
                name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                kept = [f for f in deferred if declarator.start_byte <= f.start_byte and f.end_byte <= declarator.end_byte]
                if name is not None and name.type == "identifier" and name.text and kept:
                    found[name.text] = (kept, False)
    return found


def _logging_functions(functions: dict[bytes, tuple[list[Node], bool]]) -> set[bytes]:
    """Of the file's `_top_level_functions`, those that may log through console when called:
    their code mentions it, or calls one that does (a class: mentions one anywhere)."""
    texts = {name: [(n, n.text or b"") for n in code] for name, (code, _) in functions.items()}
    logging = {name for name, code in texts.items() if any(b"console" in text for _, text in code)}
    while True:  # and those that call them
        more = {name for name, code in texts.items() if name not in logging and any(
            _names(text, other) and (functions[name][1] or _calls_name(n, other, functions[other][1]))
            for n, text in code for other in logging)}
        if not more:
            return logging
        logging |= more


def _logs_as_it_runs(node: Node, functions: dict[bytes, tuple[list[Node], bool]]) -> bool:
    """Whether a top-level statement mentions console in code that runs as it runs: not in a
    function it keeps under a name (`_top_level_functions`; that name's calls are asked about)."""
    if b"console" not in (node.text or b""):
        return False
    kept = [(f.start_byte, f.end_byte) for code, is_class in functions.values() if not is_class for f in code
            if node.start_byte <= f.start_byte and f.end_byte <= node.end_byte]
    if not kept:
        return True  # (it keeps no function: what mentions console runs with it, or is taken to)
    stack = [node]
    while stack:
        current = stack.pop()
        if any(start <= current.start_byte and current.end_byte <= end for start, end in kept):
            continue
        if current.type == "identifier" and current.text == b"console":
            return True
        stack.extend(current.named_children)
    return False


# --- load order: where a `require` may go in a file that loads its modules where they stand ---

_IN_FUNCTION = frozenset({"arrow_function", "function_expression", "function", "generator_function",
                          "generator_function_declaration", "function_declaration", "method_definition", "class_body"})
_NO_SET_UP = frozenset({"comment", "hash_bang_line", "function_declaration", "generator_function_declaration",
                        "class_declaration", "empty_statement", "interface_declaration", "type_alias_declaration",
                        "ambient_declaration"})
_SIDE_EFFECTS = frozenset({"assignment_expression", "augmented_assignment_expression", "update_expression",
                           "await_expression", "yield_expression"})


def _loads_module(node: Node, imports_in_place: bool) -> bool:
    """Whether a top-level statement loads a module where it stands as the file loads: a
    `require(…)` or `import(…)` outside a function, or an import where imports run where they
    stand (`imports_in_place`: CommonJS output; ES imports are hoisted, all run before the code)."""
    if node.type == "import_statement":
        return imports_in_place and not any(child.type == "type" for child in node.children)
    text = node.text or b""
    if b"require" not in text and b"import" not in text:
        return False
    return next(_load_calls(node), None) is not None


def _load_calls(node: Node) -> Iterator[Node]:
    """The `require(…)` and `import(…)` calls of a top-level statement, outside the functions in it
    (a function declaration's own body too: `function publish() { require('semver') }` loads when
    called) and outside its types (`typeof import('./resolver')`, which the compiler erases)."""
    stack = [node] if node.type not in _IN_FUNCTION else []
    while stack:
        current = stack.pop()
        if current.type == "call_expression":
            function = current.child_by_field_name("function")
            if function is not None and (function.type == "import" or (
                    function.type == "identifier" and function.text == b"require")):
                yield current
        stack.extend(child for child in current.named_children
                     if child.type not in _IN_FUNCTION and child.type not in _TYPE_ONLY)


# what the TypeScript compiler erases: a type, and the declarations of types alone
_TYPE_ONLY = frozenset({"type_query", "type_annotation", "type_arguments", "type_parameters", "interface_declaration",
                        "type_alias_declaration", "ambient_declaration"})


def _only_loads(node: Node) -> bool:
    """A statement that loads a module and does nothing else: `const x = require('m')` (or a
    member of it, destructured too), `require('m');`, an import. `require('dotenv').config()` or
    `const app = require('express')()` do more: they set things up."""
    if node.type == "import_statement":
        return True
    if node.type == "expression_statement":
        values = list(node.named_children[:1])
    elif node.type in ("lexical_declaration", "variable_declaration"):
        values = [d.child_by_field_name("value") for d in node.named_children if d.type == "variable_declarator"]
    else:
        return False
    for value in values:
        while value is not None and value.type == "member_expression":
            value = value.child_by_field_name("object")
        function = value.child_by_field_name("function") if value is not None and value.type == "call_expression" \
            else None
        if function is None or function.type != "identifier" or function.text != b"require":
            return False
    return bool(values)


def _plain_console(node: Node) -> bool:
    """`console.log('starting on', port, path.resolve('.'));`: a console call alone, whose arguments
    assign nothing (a call there is taken to compute what to print)."""
    call = node.named_children[0] if node.type == "expression_statement" and node.named_children else None
    function = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    target = function.child_by_field_name("object") if function is not None and function.type == "member_expression" \
        else None
    if target is None or target.type != "identifier" or target.text != b"console":
        return False
    arguments = call.child_by_field_name("arguments")
    stack = list(arguments.named_children) if arguments is not None else []
    while stack:
        current = stack.pop()
        if current.type in _SIDE_EFFECTS:
            return False
        stack.extend(current.named_children)
    return True


def _sets_up(node: Node, only_log: frozenset[bytes] = frozenset(), own: frozenset[bytes] = frozenset()) -> bool:
    """Whether a top-level statement is code the file runs as it loads (`process.env.X = …`, a
    version check, `require('dotenv').config()`): not a declaration that runs later, a directive,
    a module load alone, a declaration that computes without calling or assigning (`const port =
    process.env.PORT || 3000`), a console call alone, a call alone (`banner();`) of a function of
    `only_log` (one whose body is console calls alone), or a method call on a value of `own`, one
    the file makes itself (`app.get('/', …)`, `app.use('/api', require('./routes'))` of `const app =
    express()`: what it changes is the file's, which no module it loads sees). An `export` is judged
    by what it declares (`export function main() {…}`, `export const x = 1`), and an export list
    (`export { a, b }`) sets up nothing."""
    node = _held(node)
    if node.type == "export_statement" and node.named_children and all(
            child.type in ("export_clause", "comment") for child in node.named_children) \
            and node.child_by_field_name("source") is None:
        return False
    if node.type in _NO_SET_UP or _plain_console(node) or _only_loads(node):
        return False
    if node.type in ("lexical_declaration", "variable_declaration"):  # (`const PORT = process.env.PORT || 3000`)
        stack = list(node.named_children)
        while stack:
            current = stack.pop()
            if current.type in _SIDE_EFFECTS or current.type in ("call_expression", "new_expression"):
                return True
            # (not in a function it declares, `const f = (x) => { debug(x); }`: calling one is a call outside it)
            stack.extend(child for child in current.named_children if child.type not in _IN_FUNCTION)
        return False
    call = node.named_children[0] if node.type == "expression_statement" and node.named_children else None
    receiver = call
    while receiver is not None and receiver.type in ("call_expression", "member_expression"):
        receiver = receiver.child_by_field_name("function" if receiver.type == "call_expression" else "object")
    if call is not None and call.type == "call_expression" and receiver is not None \
            and receiver.type == "identifier" and receiver.text in own \
            and call.child_by_field_name("function").type == "member_expression":
        return False
    if _calls_alone(node, only_log):
        return False
    return not (node.type == "expression_statement" and node.named_children
                and node.named_children[0].type == "string")


@dataclass(frozen=True)
class LoadOrder:
    """Where a logger that loads where it stands (a `require`) may go in a file. A file that
    runs code before a module it loads after it (`process.env.HARAKA = …` and then
    `require('./server')`; a Node version check and then the app) says that code must run first:
    a new `require` of the logger never goes above it (the logger module, and all it loads, would
    run ahead of it). `set_up`: the index of the top-level statement just past the last such code
    (0: none); `first`: the first top-level statement from there on that may log as the module
    loads (None: none); `early`: the byte ranges of what may log as the module loads before
    `set_up` (those statements, less the functions they keep under a name, and the top-level
    functions they call: `_calls_name`), whose console calls the logger comes too late for:
    reported, not rewritten; `why`: what to tell there. What runs later is no module loaded nor
    code run as the file loads: a `require` in a function, a type's `typeof import(…)`, a function
    only kept (`module.exports = { generate }`); nor is a JSON file a module whose load needs set-up."""
    set_up: int
    first: Node | None
    early: tuple[tuple[int, int], ...] = ()
    why: str = ""


def load_order(source_file: SourceFile, imports_in_place: bool | None = None, ready: int | None = None) -> LoadOrder:
    """The file's `LoadOrder`. `imports_in_place`: whether its imports run where they stand (by
    default: CommonJS, or TypeScript that may compile to it). `ready`: where the logger is bound (a
    logger the file already has, an import merged into), when that is known: only what runs
    before it is early. (Whether a module the file loads before its set-up code loads the logger
    already is not asked: the same run may give it a logger import.)"""
    memo = source_file.__dict__.setdefault("_load_order_memo", {})  # (asked for several times per scanned file)
    found = memo.get((imports_in_place, ready)) or memo.get((imports_in_place, "any ready"))
    if found is None:
        found, with_ready = _load_order(source_file, imports_in_place, ready)
        memo[imports_in_place, ready if with_ready else "any ready"] = found
    return found


def _load_order(source_file: SourceFile, imports_in_place: bool | None, ready: int | None) -> tuple[LoadOrder, bool]:
    """`load_order`'s answer, and whether it depends on `ready` (only when something logs early)."""
    root = source_file.tree.root_node
    if imports_in_place is None:
        imports_in_place = is_commonjs(source_file) or _may_compile_to_commonjs(source_file)
    nodes = root.named_children
    loads = _new_loads(source_file, [index for index, node in enumerate(nodes) if _loads_module(node, imports_in_place)])
    only_log = _only_logging_functions(nodes)
    own = frozenset(  # (the values the file makes: `const app = express()`, not a module it loads)
        name.text for node in nodes if node.type in ("lexical_declaration", "variable_declaration")
        and not _only_loads(node) for declarator in node.named_children
        if declarator.type == "variable_declarator" and (name := declarator.child_by_field_name("name")) is not None
        and name.type == "identifier")
    set_up = 0
    for index, node in enumerate(nodes[:loads[-1]] if loads else ()):
        if _sets_up(node, only_log, own):
            set_up = index + 1
    # (what loads the environment comes first, a module loaded after it here or not: the logger module reads it)
    set_up = max(set_up, _environment_set_up(source_file))
    functions = _top_level_functions(nodes)
    first = _first_top_level_console(root, set_up, functions)
    earliest = _first_top_level_console(root, 0, functions) if set_up else None
    if earliest is None or (first is not None and earliest.start_byte == first.start_byte):
        return LoadOrder(set_up, first), False
    early, called = [], set()
    for node in nodes[:set_up]:
        if _held(node).type not in _RUNS_LATER and (ready is None or node.end_byte <= ready):
            # (the statement, less the functions it keeps under a name: they run when called)
            start = node.start_byte
            for kept in sorted((f.start_byte, f.end_byte) for code, is_class in functions.values() if not is_class
                               for f in code if node.start_byte <= f.start_byte and f.end_byte <= node.end_byte):
                early.append((start, kept[0]))
                start = kept[1]
            early.append((start, node.end_byte))
            text = node.text or b""
            called |= {name for name, (_, is_class) in functions.items()
                       if _names(text, name) and _calls_name(node, name, is_class)}
    waiting = list(called)
    while waiting:  # (and the functions those call: anything a class mentions)
        code, is_class = functions[waiting.pop()]
        more = {name for name, (_, other_class) in functions.items() if name not in called and any(
            _names(n.text or b"", name) if is_class else _calls_name(n, name, other_class) for n in code)}
        called |= more
        waiting += more
    early += [(n.start_byte, n.end_byte) for name in sorted(called) for n in functions[name][0]]
    code = nodes[set_up - 1]
    loaded = next((nodes[index] for index in loads if index >= set_up), None)
    line = code.end_point[0] + 1
    before = f"the module loaded at line {loaded.start_point[0] + 1}" if loaded is not None \
        else "the logger module, which reads the environment it loads"
    why = (f"it runs as the module loads, before the set-up code that ends at line {line} and must run before "
           f"{before}; loading the logger above that code would run the logger ahead of it, "
           "and loading it below comes too late for this call: leave it, or log here by hand once the logger is loaded")
    return LoadOrder(set_up, first, tuple(sorted(early)), why), True


def _new_loads(source_file: SourceFile, loads: list[int]) -> list[int]:
    """Of the top-level statements at `loads` (`_loads_module`), those that load a module not
    loaded yet by the same specifier in a statement before (a second `require('./config')` ran
    nothing new), nor only JSON files (no code runs). (Not judged from what the modules loaded
    before import, directly or not: that parses other files in every scan, and the same run may
    give them a logger import.)"""
    nodes = source_file.tree.root_node.named_children
    seen: set[str] = set()
    found = []
    for index in loads:
        modules = _loaded_specifiers(nodes[index])
        if modules and all(module.endswith(".json") for module in modules):
            continue  # `require('../package.json')`: data, no code that could need what runs before it
        if not modules or any(module not in seen for module in modules):
            found.append(index)
        seen.update(modules)
    return found


def _loaded_specifiers(node: Node) -> list[str]:
    """The specifiers a top-level statement loads where it stands (`_loads_module`); a load whose
    specifier is no string literal makes the list empty (unknown: a new load)."""
    if node.type == "import_statement":
        module = typescript.string_value(node.child_by_field_name("source"))
        return [module] if module else []
    modules = []
    for call in _load_calls(node):
        arguments = call.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        module = typescript.string_value(first) if first is not None else None
        if module is None:
            return []
        modules.append(module)
    return modules


def _only_logging_functions(nodes: list[Node]) -> frozenset[bytes]:
    """The names of the top-level functions whose bodies only log: console calls alone, and calls
    with no arguments of such functions (`function boot() { banner(); }`)."""
    bodies = {name.text: body for node in nodes if node.type == "function_declaration"
              and (name := node.child_by_field_name("name")) is not None
              and (body := node.child_by_field_name("body")) is not None}
    found: set[bytes] = set()
    while True:
        more = {name for name, body in bodies.items() if name not in found and all(
            statement.type == "comment" or _plain_console(statement) or _calls_alone(statement, found)
            for statement in body.named_children)}
        if not more:
            return frozenset(found)
        found |= more


def _calls_alone(statement: Node, names: set[bytes] | frozenset[bytes]) -> bool:
    """`banner();`: a call, with no arguments, of a function of `names`."""
    call = statement.named_children[0] if statement.type == "expression_statement" and statement.named_children else None
    if call is None or call.type != "call_expression":
        return False
    function, arguments = call.child_by_field_name("function"), call.child_by_field_name("arguments")
    return function is not None and function.text in names and not (arguments is not None and arguments.named_children)


def _names(text: bytes, name: bytes) -> bool:
    """Whether `name` occurs in `text` as a whole identifier."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (not at or text[at - 1] not in IDENTIFIER_BYTES) and (end == len(text) or text[end] not in IDENTIFIER_BYTES):
            return True
        at = text.find(name, at + 1)
    return False


IDENTIFIER_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")  # (of a JS identifier)


# where a value is only kept, not called by being there: `module.exports = { generate }`, `export { generate }`,
# `const debug = on ? (…) => console.log(…) : () => undefined`, `exports.run = run`
_KEPT = frozenset({"object", "pair", "array", "variable_declarator", "lexical_declaration", "variable_declaration",
                   "assignment_expression", "export_statement", "export_clause", "export_specifier", "expression_statement",
                   "parenthesized_expression", "ternary_expression", "binary_expression", "sequence_expression",
                   "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"})
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function", "generator_function"})


def _invoked(node: Node, top: Node, is_class: bool = False, value: bool = False) -> bool:
    """Whether the value at `node` — a name's mention, or (`value`) a function, class or object
    written there — may be called as `top` (a top-level statement, or a function whose body it is)
    runs: called, constructed, a member of it used (`generate.call(…)`), or, but for a class
    passed along (`require('./ext')(API)` extends it; making one is `new API(…)`), passed to a call
    (`items.forEach(f)` may call it then). Not when it is only kept (`_KEPT`): a name in the exports
    (`module.exports = { generate }`, `export { generate }`), a value a top-level declaration keeps
    under its name (`const debug = on ? (…) => console.log(…) : …`: `_top_level_functions` follows
    that name). Anything else counts as a call (when unsure, it may run): a name kept under another
    (`const run = generate`), a function kept elsewhere (`exports.run = () => …`)."""
    while node.parent is not None and node != top:
        parent = node.parent
        if parent.child_by_field_name("name") == node:
            return False  # (what a declaration names, `const debug = …`: no use of it)
        if parent.type == "arguments":
            return not is_class and _runs(parent, top)
        if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            while parent.parent is not None and parent.parent.type == "member_expression":
                parent = parent.parent  # (`API.prototype.run = …` assigns to it: no call)
            outer = parent.parent
            return not (outer is not None and outer.type == "assignment_expression"
                        and outer.child_by_field_name("left") == parent) and _runs(parent, top)
        if parent.type not in _KEPT:
            return _runs(parent, top)
        if parent.type == "variable_declarator":
            return not (value and parent.parent == _held(top)) and _runs(parent, top)
        node = parent
    return value


def _runs(node: Node, top: Node) -> bool:
    """Whether the code at `node` runs when `top` runs: not inside a function written in `top` that
    nothing calls as it runs (`_invoked`), nor inside a method of an object or class it only keeps
    (`const api = { run() {…} }`; a class made there, `new (class {…})()`, runs its constructor)."""
    at = node
    while at.parent is not None and at != top:
        if at.type == "method_definition":
            holder = at.parent.parent if at.parent.type == "class_body" else at.parent
            return holder is None or _invoked(holder, top, value=True)
        if at.type in _FUNCTION_VALUES:
            return _invoked(at, top, value=True)
        at = at.parent
    return True


def _calls_name(node: Node, name: bytes, is_class: bool = False) -> bool:
    """Whether `node` (a top-level statement, a function declaration) may call the top-level
    function or class `name` as it runs: a mention of it (not in a string, a comment or a type)
    that is called (`_invoked`), or a call of a member of that name (`module.exports.generate()`,
    `api.run()`: what holds it is not followed). (Read from the bytes first: most statements never name it.)"""
    if not _names(node.text or b"", name):
        return False
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier") and current.text == name:
            if _invoked(current, node, is_class):
                return True
        elif current.type == "property_identifier" and current.text == name:
            member = current.parent  # (`module.exports.generate()`, `items.forEach(api.run)`; not `exports.run = …`)
            if member is not None and member.type == "member_expression" and _invoked(member, node, is_class):
                return True
        elif current.type not in _TYPE_ONLY and current.type not in ("string", "comment"):
            stack.extend(current.named_children)
    return False


def _deferred(node: Node) -> list[Node]:
    """The functions, and methods of objects and classes, a top-level declaration keeps under a
    name and nothing calls as it runs (`_invoked`): `const debug = on ? (…) => console.log(…) :
    () => undefined` logs when debug is called, not as the statement runs."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if (current.type in _FUNCTION_VALUES or current.type == "method_definition") and not _runs(current, node):
            found.append(current)
        elif current.type not in _TYPE_ONLY:
            stack.extend(current.named_children)
    return found


def quote_style(source_file: SourceFile) -> str:
    counts = Counter()
    for node in source_file.tree.root_node.named_children:
        source = node.child_by_field_name("source") if node.type == "import_statement" else None
        if source is None and node.type == "import_statement":  # `import x = require('m')`
            clause = next((c for c in node.named_children if c.type == "import_require_clause"), None)
            source = clause.child_by_field_name("source") if clause is not None else None
        if source is not None and source.text:
            counts[source.text[:1].decode()] += 1
    if not counts:
        counts.update({"'": source_file.data.count(b"'"), '"': source_file.data.count(b'"')})
    return '"' if counts['"'] > counts["'"] else "'"


def uses_semicolons(source_file: SourceFile) -> bool:
    statements = [n for n in source_file.tree.root_node.named_children
                  if n.type in ("import_statement", "lexical_declaration", "expression_statement", "variable_declaration")]
    if not statements:
        return True
    with_semi = sum(1 for n in statements if (n.text or b"").rstrip().endswith(b";"))
    return with_semi * 2 >= len(statements)


def is_commonjs(source_file: SourceFile) -> bool:
    if source_file.path.endswith(".cjs"):
        return True
    if source_file.path.endswith((".mjs", ".ts", ".tsx", ".mts")):
        return False
    root = source_file.tree.root_node
    if any(n.type in ("import_statement", "export_statement") for n in root.named_children):
        return False
    if b"require(" in source_file.data or b"exports" in source_file.data:
        return True
    # neither: Node's rule for a .js file, the nearest package.json's "type" (CommonJS unless "module")
    return source_file.repo.package_type(source_file.path) != "module"


def _may_compile_to_commonjs(source_file: SourceFile) -> bool:
    """TypeScript that tsc may emit as CommonJS (a .ts/.tsx/.cts file outside a `"type":
    "module"` package): its ES imports become `require`s where they stand, not hoisted, so
    what logs above an import runs before the import's binding exists. Placing an import
    earlier is harmless where imports are hoisted, so this needs no tsconfig."""
    return source_file.path.endswith((".ts", ".tsx", ".cts")) and not source_file.path.endswith(".d.ts") and \
        (source_file.path.endswith(".cts") or source_file.repo.package_type(source_file.path) != "module")


def _node_es_module(source_file: SourceFile) -> bool:
    """A .js file Node loads as an ES module (its package's `"type": "module"`): a relative
    import there must name its file (`./logger.js`), whatever the convention's spelling
    (which may come from CommonJS files, where `require('./logger')` finds it)."""
    return _plain_js(source_file) and not is_commonjs(source_file) and \
        source_file.repo.package_type(source_file.path) == "module"


def _plain_js(source_file: SourceFile) -> bool:
    """A `.js` file, or one without an extension that a service runs with node (`bin/www`):
    the nearest package.json's `type` decides what Node loads it as."""
    return source_file.path.endswith(".js") or (source_file.kind == "js" and "." not in posixpath.basename(source_file.path))


# --- the level methods of a library's logger ---------------------------------------------


# The level methods of the loggers the logging libraries make, at their default levels: a logger
# known to be made by one has all of them, whether or not the repository calls them yet (so a
# fix may call any: a method trusted only once called would make a fix that adds the first
# `logger.warn(…)` give another fix work). winston's npm levels and `log(level, …)`; pino's and
# bunyan's six; log4js's six, `mark` and `log(level, …)`. Custom levels add to these, except
# where they replace them (winston's `levels`, pino's `useOnlyCustomLevels`): see `library_making`.
LIBRARY_LEVELS: dict[str, frozenset[str]] = {
    "winston": frozenset({"error", "warn", "info", "http", "verbose", "debug", "silly", "log"}),
    "pino": frozenset({"fatal", "error", "warn", "info", "debug", "trace"}),
    "bunyan": frozenset({"fatal", "error", "warn", "info", "debug", "trace"}),
    "log4js": frozenset({"fatal", "error", "warn", "info", "debug", "trace", "mark", "log"}),
}
# What each library's module exports that makes a logger: a member (`log4js.getLogger(…)`,
# `winston.createLogger(…)`) or, "", the module itself (`pino(…)`)
_LIBRARY_FACTORIES: dict[str, tuple[str, ...]] = {
    "winston": ("createLogger",), "bunyan": ("createLogger",), "pino": ("",), "log4js": ("getLogger",),
}
# Options that replace a library's default levels, so its logger may lack some of LIBRARY_LEVELS
_REPLACED_LEVELS: dict[str, re.Pattern[bytes]] = {
    "winston": re.compile(rb"\blevels\s*:|\.\.\."),
    "pino": re.compile(rb"\buseOnlyCustomLevels\b|\.\.\."),
}
# A call that may make a logger, at the start of a value: `name(`, `name.member(`,
# `require('m')(`, `require('m').member(` (type arguments allowed: `pino<Levels>(…)`)
_LIBRARY_CALL = re.compile(
    rb"(?:require\s*\(\s*(?P<quote>['\"`])(?P<module>[^'\"`]+)(?P=quote)\s*\)|(?P<name>" + _NAME + rb"))"
    rb"(?:\s*\.\s*(?P<member>" + _NAME + rb"))?\s*(?:<[^<>()]*>\s*)?\("
)


def library_making(source_file: SourceFile | None, value: bytes | None) -> str | None:
    """The logging library (a key of LIBRARY_LEVELS) whose call makes the value `value` (an
    expression's text in `source_file`, from its start): `log4js.getLogger('api')` where the
    file imports or requires log4js under that name, `getLogger('api')` imported from it,
    `require('log4js').getLogger()`, `winston.createLogger({…})`, `pino()`; None for anything
    else (a factory of the repository's, a child, a wrapper), and for a call whose options
    replace the library's default levels, or may (a spread: `createLogger({ ...options })`)."""
    if not value or source_file is None:
        return None
    match = _LIBRARY_CALL.match(value)
    if match is None:
        return None
    member = (match.group("member") or b"").decode()
    if match.group("module") is not None:
        module = match.group("module").decode("utf-8", "replace")
    else:
        name = match.group("name").decode()
        seen = next((s for s in imports_in(source_file, namespaces=True) if s.local == name), None)
        if seen is None:
            return None
        if seen.imported in ("default", "*"):
            module = seen.module
        elif member:
            return None  # `getLogger.something(…)`: not the factory's call
        else:
            module, member = seen.module, seen.imported  # `getLogger('api')` of `import { getLogger } from 'log4js'`
    if member not in _LIBRARY_FACTORIES.get(module, ()):
        return None
    replaced = _REPLACED_LEVELS.get(module)
    if replaced is not None and replaced.search(value, match.end()):
        return None
    return module


def library_factory(module: str, imported: str) -> str | None:
    """The logging library whose factory `imported` of `module` is (`getLogger` of log4js: the
    loggers a file makes with `getLogger('api')`), or None; None too for a library whose options
    may replace its levels (winston's, pino's): the options given to the factory are not seen here."""
    factories = _LIBRARY_FACTORIES.get(module)
    if factories is None or module in _REPLACED_LEVELS:
        return None
    return module if (imported if imported != "default" else "") in factories else None


def library_of_binding(source_file: SourceFile, binding: str | None) -> str | None:
    """The logging library that makes the file's own logger `binding`, a name it declares at its
    top level (`const logger = log4js.getLogger('orders')`): see `library_making`; None for
    anything else (an import, a member `shared.logger`, a logger made otherwise)."""
    if not binding or "." in binding:
        return None
    value = dict(_top_level_declarators(source_file)).get(binding)
    return library_making(source_file, (value.text or b"").lstrip()) if value is not None else None


# --- pino or winston: per file ---------------------------------------------------------


# bunyan's logger: `bunyan.createLogger(…)`, `require('bunyan').createLogger(…)`, or a bare
# `createLogger(…)`/`new Logger(…)` in a file that imports bunyan and not winston
_BUNYAN_CALL = re.compile(rb"\b[Bb]unyan\s*\.\s*createLogger\s*\(|\brequire\s*\(\s*['\"]bunyan['\"]\s*\)\s*\.\s*createLogger\s*\(")
_FROM_BUNYAN = re.compile(rb"(?:\bfrom|\brequire\s*\()\s*['\"]bunyan['\"]")
_FROM_WINSTON = re.compile(rb"(?:\bfrom|\brequire\s*\()\s*['\"]winston['\"]")


def makes_bunyan(data: bytes) -> bool:
    """Whether the file makes a bunyan logger, which takes pino's `(fields, message)` and
    serializes an error under `err` (its `stdSerializers`), not winston's `(message, meta)`."""
    if b"unyan" not in data:
        return False
    if _BUNYAN_CALL.search(data):
        return True
    return _FROM_BUNYAN.search(data) is not None and _FROM_WINSTON.search(data) is None \
        and re.search(rb"\bcreateLogger\s*\(|\bnew\s+(?:[\w$]+\s*\.\s*)?(?:Logger|[Bb]unyan)\s*\(", data) is not None


# pino's logger made: `pino(…)` (its default or named export under that name), or the library's
# export called where it is required, `require('pino')(…)`, `require('pino').pino(…)`/`.default(…)`
PINO_CALL = re.compile(rb"\bpino\s*\(|\brequire\s*\(\s*(['\"])pino\1\s*\)\s*(?:\.\s*(?:pino|default)\s*)?\(")


def _makes_logger(source_file: SourceFile) -> bool | None:
    """None when the file makes no logger; else whether the one it makes takes pino's order,
    `(fields, message)`, errors under `err`: pino's (`PINO_CALL`, no winston `createLogger`) or
    bunyan's (`makes_bunyan`)."""
    data = source_file.data
    if makes_bunyan(data):
        return True
    if re.search(rb"\bcreateLogger\s*\(", data):
        return False
    return True if PINO_CALL.search(data) else None


IMPLEMENTATIONS = FactsSpec("logger/implementations", _makes_logger, CODE_KINDS, (b"createLogger", b"pino"),
                            version=3)  # 2: bunyan's takes pino's order; 3: require('pino')(…)


def is_pino_for(repo: Repo, path: str | SourceFile, implementations: dict[str, bool] | None = None,
                found: FileLogger | None = None) -> bool:
    """Whether the logger the file at `path` logs through is pino's, so new calls take pino's
    `(meta, message)` order, not winston's `(message, meta)`: decided per file, as a repository
    may hold winston and pino services side by side (see `implementations_behind`).
    `implementations`: path -> is it pino's, of the modules that make the repository's loggers
    (default: those calling `createLogger(`/`pino(`); `found`: the file's logger, if known. `path`
    may be the file itself, read already (so it is not read and parsed again)."""
    if found is not None and found.instance:  # a Fastify instance's `app.log` (`instance_logger`)
        return found.instance == "pino"
    if implementations is None:
        implementations = {p: pino for p, pino in repo.facts_of(IMPLEMENTATIONS).items() if pino is not None}
    kinds = set(implementations.values())
    if len(kinds) < 2 and not (kinds == {True} and any(c.module in DEFAULT_LOGGERS for c in infer(repo).values())):
        return kinds == {True}  # all pino's, all winston's, or none: no file to follow (most repositories)
    chosen = implementations_behind(repo, path, implementations, found)
    return bool(chosen) and all(implementations[p] for p in chosen)


def implementations_behind(repo: Repo, path: str | SourceFile, implementations: dict[str, bool] | set[str],
                           found: FileLogger | None = None, heads_only: bool = False) -> tuple[str, ...]:
    """Of `implementations`, those the file's logger comes from: the module its logger is
    imported from (or the one its convention adds) when that is one, else those that module
    imports (`export { logger } from './pino'`), else those of the workspace package it comes
    from; failing those, the file's service's own; failing those, all of them."""
    source_file = repo.read(path) if isinstance(path, str) else path
    if source_file is None:
        return tuple(sorted(implementations))
    path = source_file.path
    conventions = infer(repo)
    if found is None and heads_only and "tree" not in source_file.__dict__:
        # (from the file's head alone, no parse: its one logger import, or, with none, the convention's)
        heads = list(logger_imports_in(source_file))
        found = FileLogger(heads[0].local, None) if len(heads) == 1 else \
            FileLogger(None, Edit(path, 0, 0, "")) if not heads else None
    if found is None:
        found = logger_for(source_file, conventions)
    source = None
    if found.edit is not None:
        convention = convention_for(repo, path, conventions)
        source = (convention.target or alias_target(repo, path, convention.module) or convention.module) \
            if convention is not None else None
    elif found.binding:
        root = found.binding.split(".")[0]
        imported = logger_imports_in(source_file, namespaces=True) if heads_only else imports_in(source_file, namespaces=True)
        seen = next((s for s in imported if s.local == root), None)
        if seen is not None:
            source = resolve_import(repo, path, seen.module) or seen.module
    if source in DEFAULT_LOGGERS:
        return ()  # winston's default logger: none of the repository's is behind it
    if source is not None and repo.exists(source):
        if source in implementations:
            return (source,)
        reached = tuple(sorted(_modules_reached(repo, source) & set(implementations)))
        if reached:
            return reached
    elif source is not None and not source.startswith("."):
        parts = source.split("/")
        package = "/".join(parts[:2]) if source.startswith("@") else parts[0]
        directory = next((d for d, manifest in repo.packages.items() if manifest.get("name") == package), None)
        inside = tuple(sorted(p for p in implementations if directory is not None and (
            not directory or p.startswith(directory + "/"))))
        if inside:
            return inside
    service = repo.service_for(path)
    if service is not None and service.dir:
        inside = tuple(sorted(p for p in implementations if p.startswith(service.dir + "/")))
        if inside:
            return inside
    return tuple(sorted(implementations))


def modules_reached(repo: Repo, start: str) -> set[str]:
    """`start` and every repository module it imports, directly or not (relative imports and
    tsconfig path aliases)."""
    return _modules_reached(repo, start)


def _modules_reached(repo: Repo, start: str) -> set[str]:
    """`start` and every repository module it imports, directly or not (relative imports and
    tsconfig path aliases);
    found once per repository (each file that imports a logger barrel asks)."""
    memo = repo.derived.setdefault("logger/modules-reached", {})
    if start not in memo:
        memo[start] = _walk_imports(repo, start)
    return memo[start]


def _walk_imports(repo: Repo, start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        source_file = repo.read(todo.pop())
        if source_file is None or source_file.kind not in CODE_KINDS:
            continue
        modules = typescript.imported_modules(source_file.kind, source_file.tree.root_node)
        modules += [s.module for s in imports_in(source_file) if s.equals]  # `import c = require('./c')`
        for module in modules:
            target = resolve_import(repo, source_file.path, module)
            if target and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# --- what the logger's calls take, and the level methods it has (for every fix) ---------------
#
# New calls pass winston's (message, meta), or pino's (meta, message), only to a logger known to
# take them: made by winston or pino (its module, or one its module imports, calls `createLogger(`
# or `pino(`), or called so by the repository's own code (`logger.info('Saved', { id })`), or whose
# level methods say so (`info(message, meta?)`). A hand-written logger that takes something else
# (uptime-kuma's `log.info(module, msg)`, node-red's one-argument `log.info(msg)`) would lose the
# message or the values: see `logger_shape`.

STRUCTURED, ONE, TAGGED = "structured", "one", "tagged"
TYPED = "typed"  # level methods whose meta parameter has a closed type (`closed_meta_type`): one message only
NEST = "nest"  # NestJS's `Logger` of `@nestjs/common`: `log(message, context?)`, no `info`; its calls are made by hand
_LEVEL_NAMES = frozenset({"info", "warn", "error", "debug"})  # the levels console's methods map to
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


def logger_call_shapes(source_file: SourceFile, imports: Iterable[ImportSeen] | None = None
                       ) -> tuple[tuple[str, str, str, int, str], ...]:
    """How the file's calls of a level method on an imported logger pass their arguments, per
    logger (the module it is imported from, resolved, and the name it exports): "meta" (a
    message then an object literal, or pino's object then message), "fields" (of those, the ones
    in pino's and bunyan's order, object first: counted under "meta" too), "strings" (two strings:
    `log.info("server", "starting")`, a tag and a message), "one" (one argument), "other".
    Read from the bytes (a habit, not a proof), the imports from the file's head (no parse of the file)."""
    return _read_logger_calls(source_file, imports)[0]


def _called_methods(source_file: SourceFile, imports: Iterable[ImportSeen] | None = None
                    ) -> tuple[tuple[str, str, str], ...]:
    """(module, name, method) of each level method the file calls on an imported logger."""
    return _read_logger_calls(source_file, imports)[1]


def _read_logger_calls(source_file: SourceFile, imports: Iterable[ImportSeen] | None = None
                       ) -> tuple[tuple[tuple[str, str, str, int, str], ...], tuple[tuple[str, str, str], ...]]:
    """(`logger_call_shapes`, `_called_methods`), read once per file."""
    memo = source_file.__dict__.setdefault("_logger_calls_memo", {})
    if "read" in memo:
        return memo["read"]
    memo["read"] = found = _logger_calls_of(source_file, imports)
    return found


def _logger_calls_of(source_file: SourceFile, imports: Iterable[ImportSeen] | None
                     ) -> tuple[tuple[tuple[str, str, str, int, str], ...], tuple[tuple[str, str, str], ...]]:
    data = source_file.data
    if _METHOD_CALL.search(data) is None or not may_import_logger(data):
        return (), ()
    if imports is None:
        imports = logger_imports_in(source_file, namespaces=True, factories=True)  # (the head only: no parse)
    bound: dict[str, tuple[str, str]] = {}
    for seen in imports:
        target = resolve_module(source_file.repo, source_file.path, seen.module) \
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


def whole_imports(source_file: SourceFile, imports: Iterable[ImportSeen] | None = None) -> tuple[str, ...]:
    """The repository modules the file imports whole that may hold its logger (`import * as
    logging from './logging'`, `const logging = require('./logging')`), resolved."""
    if not may_import_logger(source_file.data):
        return ()
    found = set()
    for seen in (logger_imports_in(source_file, namespaces=True) if imports is None else imports):
        if seen.module.startswith(".") and (seen.imported == "*" or seen.imported == "default" and seen.commonjs) \
                and is_logger_import(seen):
            target = resolve_module(source_file.repo, source_file.path, seen.module)
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


# A level method given as a value: an object's property (`warn: console.warn`, `info: make('info')`) or
# a module's export (`exports.info = function () {…}`, `module.exports.warn = warn`); not a number or
# a string (`{ error: 0, warn: 1 }`, winston's levels; `colors: { info: 'blue' }`), nor a type's
# property (`info: string`)
_LEVEL_VALUE = re.compile(
    rb"(?:\b(?:module\s*\.\s*)?exports\s*\.\s*)?(info|warn|error|debug|log|trace|verbose|fatal|http|silly)"
    rb"\s*(?::|=(?![=>]))\s*(?=[A-Za-z_$(])(?!(?:string|number|boolean|any|unknown|void|never)\b)")
_NOT_BEFORE_VALUE = _NAME_OR_DOT | frozenset(b"'\"`?")


def defined_levels(data: bytes) -> tuple[str, ...]:
    """The level methods the file defines (`log`, `error`, `warn` of a NestJS `LoggerService`
    wrapper; `{ warn: console.warn }`, `exports.info = function () {…}`: `_LEVEL_VALUE`), when it
    defines one of `info`/`warn`/`error`/`debug` (see `level_signature`); ()."""
    code = _defining_code(data)
    found = set() if code is None else {
        match.group(1).decode() for match in _ANY_LEVEL_DEFINITION.finditer(code)
        if match.start() == 0 or code[match.start() - 1] not in _NAME_OR_DOT}
    if _LEVEL_VALUE.search(data) is not None:
        if code is None:
            comments = comment_ranges(data) if b"/" in data else None
            code = blank(data, comments) if comments else data
        found.update(match.group(1).decode() for match in _LEVEL_VALUE.finditer(code)
                     if match.start() == 0 or code[match.start() - 1] not in _NOT_BEFORE_VALUE)
    return tuple(sorted(found)) if not found.isdisjoint(_LEVEL_NAMES) else ()


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

# A declared type a call's values fit whatever their keys: any object (`any`, `unknown`, `object`,
# `Record<string, …>`), or one with an index signature; a type fixer cannot read (an imported name,
# a generic, `Partial<Meta>`) counts as open too: only a type read as closed stops a rewrite.
_OPEN_TYPES = frozenset({b"any", b"unknown", b"object", b"Object", b"{}"})
_CLOSED_TYPES = frozenset({b"string", b"number", b"boolean", b"bigint", b"symbol", b"null", b"undefined", b"never", b"void"})
_TYPE_NAME = re.compile(rb"[A-Za-z_$][\w$]*")
_PARAMETER = re.compile(rb"\s*(\.\.\.)?\s*[\w$]+\s*\??\s*(?::\s*(.*?))?\s*(?:=.*)?", re.S)
_MEMBER_NAME = re.compile(rb"(?:readonly\s+)?([A-Za-z_$][\w$]*|'[^']*'|\"[^\"]*\")\s*\??\s*[:(]")


def _top_level_parts(text: bytes, separator: int) -> list[bytes]:
    """`text` split at each `separator` outside brackets (`<>`, `{}`, `[]`, `()`)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in b"<{[(":
            depth += 1
        elif char in b">}])" and not (char == ord(">") and index and text[index - 1] == ord("=")):
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _braced(code: bytes, at: int) -> bytes | None:
    """The text between the `{` at `at` and its `}`."""
    depth = 0
    for index in range(at, len(code)):
        if code[index] == ord("{"):
            depth += 1
        elif code[index] == ord("}"):
            depth -= 1
            if depth == 0:
                return code[at + 1:index]
    return None


def _object_keys(body: bytes) -> tuple[str, ...] | None:
    """The keys an object type's body declares; None when it has an index signature (`[key: string]: …`)."""
    flat = bytearray(body)
    depth = 0
    for index, char in enumerate(body):  # (nested bodies blanked: only this level's members)
        if char in b"{([<":
            depth += 1
        elif char in b"})]>" and depth:
            depth -= 1
            continue
        if depth and not (char == ord("[") and depth == 1):
            flat[index] = ord(" ")
    if re.search(rb"^\s*\[|[;,{\n]\s*\[", bytes(flat)):
        return None
    return tuple(match.group(1).decode().strip("'\"") for match in
                 _MEMBER_NAME.finditer(bytes(flat)) if match.start() == 0 or flat[match.start() - 1] in b" \t\r\n;,{")


def _closed_type(code: bytes, text: bytes, depth: int = 0) -> str | None:
    """How the type `text`, read in `code`, is described when it is closed (no values but those
    it names fit it: a primitive, an object type with no index signature, a local interface or
    type alias of one); None when it is open, or fixer cannot read it."""
    text = text.strip()
    parts = [part.strip() for part in _top_level_parts(text, ord("|")) if part.strip()]
    if depth > 3 or not parts:
        return None
    if len(parts) > 1:
        described = [_closed_type(code, part, depth + 1) for part in parts if part not in (b"undefined", b"null")]
        return None if not described or None in described else " | ".join(d for d in described if d)
    if text in _OPEN_TYPES:
        return None
    if text in _CLOSED_TYPES:
        return f"`{text.decode()}`"
    if text.startswith(b"{") and text.endswith(b"}"):
        keys = _object_keys(text[1:-1])
        return None if keys is None else f"`{{ {', '.join(keys)} }}`" if keys else "`{}`"
    if not _TYPE_NAME.fullmatch(text):
        return None  # a generic, an array, `Partial<Meta>`: not read
    name = re.escape(text)
    interfaces = list(re.finditer(rb"\binterface\s+" + name + rb"\s*(<[^{]*>)?\s*(extends\b[^{]*)?\{", code))
    aliases = list(re.finditer(rb"\btype\s+" + name + rb"\s*=\s*", code))
    if len(interfaces) + len(aliases) != 1:
        return None  # declared elsewhere (imported), or merged declarations: not read
    if interfaces:
        found = interfaces[0]
        body = _braced(code, found.end() - 1)
        if found.group(1) or found.group(2) or body is None:
            return None  # generic, or extends another: not read
        keys = _object_keys(body)
        if keys is None:
            return None
        return f"`{text.decode()}`, whose keys are {', '.join(keys)}" if keys else f"`{text.decode()}`, with no keys"
    start = aliases[0].end()
    if code[start:start + 1] == b"{":
        body = _braced(code, start)
        value = b"{" + body + b"}" if body is not None else None
    else:
        end = re.compile(rb";|\n").search(code, start)
        value = code[start:end.start() if end else len(code)]
    described = _closed_type(code, value, depth + 1) if value is not None else None
    return f"`{text.decode()}` ({described})" if described else None


def closed_meta_type(data: bytes) -> str | None:
    """The declared type of the second parameter of a level method the file defines
    (`info(message: string, meta?: LogMeta)`), described, when it is closed (`_closed_type`): a
    call passing values its keys do not name does not compile (TS2353), so a console call's
    values cannot go there. None: no such method, no type, or an open one."""
    code = _defining_code(data)
    if code is None:
        return None
    for match in _level_definitions(code):
        parts = _top_level_parts(match.group(1), ord(","))
        if len(parts) < 2 or not parts[1].strip():
            continue
        parameter = _PARAMETER.fullmatch(parts[1])
        if parameter is None or parameter.group(1) or not parameter.group(2):
            continue  # `...args`, untyped
        closed = _closed_type(code, parameter.group(2))
        if closed is not None:
            return closed
    return None


Shapes = tuple[tuple[str, str, str, str, "tuple[str, ...] | None"], ...]  # (module, name, shape, why, methods)


def logger_shapes(repo: Repo, created: dict[str, LoggerImport] | None = None) -> Shapes:
    """For each logger the repository imports (module, name): what its calls take, STRUCTURED
    (winston's or pino's), ONE (one argument: a message) or TAGGED (a tag, then the message), the
    evidence, in a few words, and the level methods it is shown to have (None: winston's). A
    module imported through a tsconfig path alias (`@/lib/logger`) is the file it names. See
    `logger_shape`. Decided once per repository (every fix that writes logger calls asks: a fix's
    context holds it, so its cached results follow it). `created`: the services' conventions
    console-to-logger adds (`created_for_services`), whose new modules are winston's."""
    if created:
        return _logger_shapes(repo, repo.facts_of(LOGGER_CALLS), {**infer(repo), **created})
    if "logger/shapes" not in repo.derived:
        repo.derived["logger/shapes"] = _logger_shapes(repo, repo.facts_of(LOGGER_CALLS), infer(repo))
    return repo.derived["logger/shapes"]


def _logger_shapes(repo: Repo, facts: dict[str, LoggerCalls], conventions: dict[str | None, LoggerImport]) -> Shapes:
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
    defaults_called: dict[str, set[str]] = {}  # a default logger's module: the level methods called on it
    defaults_set: set[str] = set()  # …whose levels some file changes
    for path, cast in repo.facts_of(VOTES).items():
        keys.update((alias_target(repo, path, full[0]) or full[0], full[1]) for full, _ in cast.imports)
        for module, methods, sets_levels in cast.default_loggers:
            defaults_called.setdefault(module, set()).update(methods)
            if sets_levels:
                defaults_set.add(module)
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
    # (`[logger] create = true`: fixer's winston modules)
    library.update(path for path, _ in modules_to_create(repo, conventions))
    signatures = {path: facts_of.signature for path, facts_of in facts.items() if facts_of.signature}
    levels = {path: facts_of.levels for path, facts_of in facts.items() if facts_of.levels}
    closed = {path: facts_of.closed_meta for path, facts_of in facts.items() if facts_of.closed_meta}
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
        if module in DEFAULT_LOGGERS and name in ("default", "*"):
            # winston's default logger: all its level methods, unless the repository changes its levels
            # (syslog's have no `warn`): then those its calls call
            found.append((module, name, STRUCTURED, f"{module}'s default logger", tuple(sorted(
                defaults_called.get(module, ()))) if module in defaults_set else None))
            continue
        shape, why, methods = _decided_shape(repo, module, name, counted, library, signatures, levels,
                                             frozenset(called.get((module, name), ())), is_configured, closed)
        if why == "calls" and shape != TAGGED:
            # (no example file: this why is never shown, and the calls console-to-logger adds would move it
            # to another file, so a fix's context (each fix that writes logger calls keeps the shapes) would
            # differ after that fix's step: its idempotency check and every later step then scanned every
            # file again, their cached results keyed by a context that no longer held)
            why = "its calls pass (message, meta)"
        elif why == "calls":
            example = examples.get((module, name, "strings")) or next(
                (e for (m, _, w), e in sorted(examples.items()) if m == module and w == "strings"), "")
            where = example.partition(": ")[0].rpartition(":")[0]  # (a file, not its line or text: an earlier
            # plan step's edit may move them, and the context must stay what the warm-up pass saw)
            why = f"its calls pass a tag and a message (as in {where})"
        found.append((module, name, shape, why, methods))
    decided = {(module, name): rest for module, name, *rest in found}
    found += [(module, name, *decided[key]) for (module, name), key in sorted(spelled.items())
              if (module, name) not in decided and key in decided]
    return tuple(found)


def _decided_shape(repo: Repo, module: str, name: str, counted: Counter[str], library: set[str],
                   signatures: dict[str, str], levels: dict[str, tuple[str, ...]], called: frozenset[str],
                   configured: bool = False, closed: dict[str, str] | None = None
                   ) -> tuple[str, str, tuple[str, ...] | None]:
    """(shape, why, methods) of one logger, `name` of `module`: its calls first (what the code
    does), then how the module that defines it makes it (a value made by winston or pino is
    theirs), then the level methods that module defines (a wrapper class or object: its own
    methods decide, even where it wraps a winston logger), then whether winston or pino make it,
    else ONE (nothing says more). `methods`: the level methods it is shown to have (its own
    definitions, else, when nothing says it is winston's or pino's, those the repository calls
    on it: `called`; a logger set under `[logger]` whose module the repository does not hold, the
    user's logger for every fix: any level method); None: all of winston's. TYPED before all: level
    methods whose second parameter has a closed declared type (`closed`: path -> that type), which
    the values of a call do not fit (`info(message: string, meta?: LogMeta)`: TS2353)."""
    closed = closed or {}
    origin = _logger_origin(repo, module, name)
    path, value = origin if origin is not None else (None, None)
    made = value is not None and bool(_LIBRARY_VALUE.match(value))
    wrapper = path if path is not None and not made and levels.get(path) and not (
        value is not None and _CHILD_VALUE.match(value)) else None
    methods = levels[wrapper] if wrapper is not None else None
    if wrapper is not None and wrapper in closed and signatures.get(wrapper) != TAGGED:  # (a tag first: below)
        return TYPED, f"the second parameter of its level methods ({wrapper}) has the closed type {closed[wrapper]}", methods
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
            called = _LEVEL_NAMES
    elif path in library:
        return STRUCTURED, "made by winston or pino", None
    else:
        reached = [path] + sorted(modules_reached(repo, path) - {path})
        for each in list(reached):  # and the workspace packages they import (`base.child(…)` of `@acme/shared`'s)
            source_file = repo.read(each)
            if source_file is not None and source_file.kind in CODE_KINDS:
                for specifier in typescript.imported_modules(source_file.kind, source_file.tree.root_node):
                    if not specifier.startswith("."):
                        reached += _package_files(repo, specifier, library)
    signature = next((signatures[each] for each in reached if each in signatures), None)
    typed = next((each for each in reached if each in closed), None)
    if typed is not None and signature != TAGGED:
        return TYPED, f"the second parameter of its level methods ({typed}) has the closed type {closed[typed]}", \
            _defined(reached, levels)
    if signature == TAGGED:
        return TAGGED, f"its level methods take a tag before the message ({next(p for p in reached if p in signatures)})", \
            _defined(reached, levels)
    if any(each in library for each in reached):
        return STRUCTURED, "made by winston or pino", None
    if signature == STRUCTURED:
        return STRUCTURED, "its level methods take a message and meta", _defined(reached, levels)
    # a logger a logging library makes (`log4js.getLogger('orders')`) has the library's level methods,
    # called yet or not (trusting only those called, a fix's first `logger.warn(…)` gives another work)
    made_by = library_factory(module, name) if origin is None else \
        library_making(repo.read(path), value) if path is not None and value is not None else None
    known = tuple(sorted(LIBRARY_LEVELS[made_by])) if made_by is not None else \
        _defined(reached, levels) or tuple(sorted(called))
    if signature == ONE:
        return ONE, f"its level methods take one argument ({next(p for p in reached if p in signatures)})", known
    if counted["one"]:  # (said true where some pass more, `info('id %s', id)`: meta and strings are none here)
        return ONE, "it is not made by winston or pino here, and its calls pass " + (
            "one argument" if counted["one"] == sum(counted.values()) else
            "one argument or values with no meta object, never a message and meta"), known
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
    start = module if repo.exists(module) else package_entry(repo, module)
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
    declared = dict(top_level_declarators(source_file))
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
    for seen_import in imports_in(source_file):  # imported, then exported again
        if seen_import.local == local and seen_import.module.startswith("."):
            target = resolve_module(repo, path, seen_import.module)
            return _follow_export(repo, target, seen_import.imported, seen) if target else None
    stars = []
    for match in _EXPORT_FROM.finditer(data):
        target = resolve_module(repo, path, match.group(3).decode()) or package_entry(repo, match.group(3).decode())
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


def logger_shape(source_file: SourceFile, found: FileLogger, conventions: dict[str | None, LoggerImport],
                 shapes: Shapes) -> tuple[str, str, tuple[str, ...] | None]:
    """(shape, why, methods) of the logger the file logs through (see `logger_shapes`): a logger the
    file makes with winston or pino is STRUCTURED; one imported (or a child of one) is what the
    repository says of its module; anything else is ONE: nothing shows it takes (message, meta).
    `methods`: the level methods it is shown to have, None: all of winston's."""
    if found.binding is None:
        return STRUCTURED, "", None
    if found.instance:  # a Fastify instance's `app.log` (`instance_logger`): Fastify checks it has every level
        return (STRUCTURED, "Fastify's pino logger", None) if found.instance == "pino" else \
            (ONE, "the logger given to the Fastify instance, not known to take (message, meta)", None)
    key = _logger_key(source_file, found, conventions)
    if key == STRUCTURED:
        return STRUCTURED, "made here by winston or pino", None
    if isinstance(key, tuple):
        table = {(module, name): (shape, why, methods) for module, name, shape, why, methods in shapes}
        known = table.get(key) or next((table[k] for k in sorted(table) if k[0] == key[0]), None)
        if known is not None:
            return known
    if key == TAGGED:
        return TAGGED, "its level methods, defined here, take a tag before the message", None
    if key == NEST:
        return NEST, f"{NEST_LOGGER}, made in this file", ("log", "error", "warn", "debug", "verbose", "fatal")
    made_by = library_of_binding(source_file, found.binding)  # (`const logger = log4js.getLogger('api')`)
    if made_by is not None:
        return ONE, f"made here by {made_by}, not known to take (message, meta)", tuple(sorted(LIBRARY_LEVELS[made_by]))
    return ONE, "nothing in the repository shows it is winston's or pino's, or how its calls pass values", ()


_CREATE_CALL = re.compile(rb"[\w$]+\s*\.\s*createLogger\s*\(")  # `winston.createLogger(…)`, `bunyan.createLogger(…)`
_CHILD_CALL = re.compile(rb"([A-Za-z_$][\w$]*)(?:\s*\.\s*([A-Za-z_$][\w$]*))?\s*\.\s*child\s*\(")
_REQUIRED = re.compile(rb"require\s*\(\s*(['\"`])([^'\"`]*)\1\s*\)(?:\s*\.\s*([\w$]+))?\s*\.\s*child\s*\(")


def _logger_key(source_file: SourceFile, found: FileLogger, conventions: dict[str | None, LoggerImport]
                ) -> tuple[str, str] | str | None:
    """What the file's logger is: (module, exported name) of an imported one (through a child
    made here too), STRUCTURED when the file makes it with winston or pino, TAGGED when with a
    class of its own whose level methods take a tag; None when unknown."""
    repo = source_file.repo
    if found.edit is not None:
        convention = convention_for(repo, source_file.path, conventions)
        return None if convention is None else (
            convention.target or alias_target(repo, source_file.path, convention.module) or convention.module,
            convention.imported)
    assert found.binding is not None
    name, _, member = found.binding.partition(".")
    declared = dict(top_level_declarators(source_file))
    for _ in range(3):  # (a child of a child of the import)
        seen = next((s for s in imports_in(source_file, namespaces=True) if s.local == name), None)
        if seen is not None:
            target = resolve_module(repo, source_file.path, seen.module) if seen.module.startswith(".") \
                else alias_target(repo, source_file.path, seen.module)
            return target or seen.module, member or seen.imported
        value = declared.get(name)
        text = (value.text or b"").lstrip() if value is not None else b""
        call = re.match(rb"([\w$]+)\s*\(", text)  # a factory's logger: `createServiceLogger('svc')`, `createLogger('api')`
        factory = call is not None and next(
            (s for s in imports_in(source_file) if s.local == call.group(1).decode()), None)
        if factory and factory.module not in LIBRARIES:
            target = resolve_module(repo, source_file.path, factory.module) \
                if factory.module.startswith(".") else alias_target(repo, source_file.path, factory.module)
            return target or factory.module, factory.imported
        if LIBRARY_LOGGER.match(text) or _CREATE_CALL.match(text):
            return STRUCTURED
        required = _REQUIRED.match(text)
        if required is not None:
            module = required.group(2).decode("utf-8", "replace")
            target = resolve_module(repo, source_file.path, module) if module.startswith(".") else None
            return target or module, (required.group(3) or b"default").decode()
        child = _CHILD_CALL.match(text)
        if child is None:
            if re.match(rb"new\s+Logger\s*\(", text) and any(
                    s.local == "Logger" and s.module == "@nestjs/common" for s in imports_in(source_file)):
                return NEST
            if re.match(rb"new\s+[\w$]*Logger\b", text) and level_signature(source_file.data) == TAGGED:
                return TAGGED
            call = re.match(rb"([\w$]+)\s*\(", text)  # a factory's logger: `createServiceLogger('svc')`
            factory = call is not None and next(
                (s for s in imports_in(source_file) if s.local == call.group(1).decode()), None)
            if factory:
                target = resolve_module(repo, source_file.path, factory.module) \
                    if factory.module.startswith(".") else alias_target(repo, source_file.path, factory.module)
                return target or factory.module, factory.imported
            return None
        name, member = child.group(1).decode(), (child.group(2) or b"").decode()
    return None


# --- the facts behind them, gathered once per run for every fix -------------------------


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class LoggerCalls:
    """What one file tells of the repository's loggers (cached per file content): how its calls on
    imported loggers pass their arguments and which level methods they call, whether it makes a
    logger with winston or pino, the level methods it defines and what they take."""

    # how its calls on imported loggers pass their arguments: (module, name, shape, count, first example)
    logger_calls: tuple[tuple[str, str, str, int, str], ...] = ()
    # the level methods its calls call on imported loggers: (module, name, method)
    logger_methods: tuple[tuple[str, str, str], ...] = ()
    library: bool = False  # makes a logger with winston or pino (`createLogger(`, `pino(`)
    signature: str | None = None  # what its own level methods take (`info(module, msg)`: "tagged"), if it has any
    wholes: tuple[str, ...] = ()  # the repository logger modules it imports whole (`import * as logging from './logging'`)
    levels: tuple[str, ...] = ()  # the level methods it defines, when it defines `info`/`warn`/`error`/`debug`
    # the declared type of its level methods' second parameter, when it is closed (`closed_meta_type`)
    closed_meta: str | None = None


# What makes a file one that may define a logger: a logger class (`class AppLogger`, `LoggerService`),
# or it makes a logger, or exports a logger-named value. Each pattern starts with its literal and is
# matched where a word starts (`_at_word_start`): a pattern that starts with `\b` is tried at every
# byte of the file, several times slower (these ran on every file of a run).
_MAY_DEFINE = (
    (b"class", re.compile(rb"class\s+[\w$]*Log")), (b"LoggerService", re.compile(rb"LoggerService\b")),
    (b"createLogger", re.compile(rb"createLogger\s*\(")), (b"pino", re.compile(rb"pino\s*\(")),
    (b"Logger", re.compile(rb"new\s+(?:winston\s*\.\s*)?Logger\s*\(")), (b"log4js", re.compile(rb"log4js\s*\.\s*configure\s*\(")),
    (b"Transport", re.compile(rb"extends\s+(?:winston\s*\.\s*)?Transport\b")),
    (b"export", re.compile(rb"export(?:\s+(?:const|let|var)\s+|s\s*\.\s*)(?:logger|log|[a-z][\w$]*Logger)\s*(?::[^=;]*)?=(?!=)")),
)
_REGEX_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")  # (what `\b` parts from)


def _at_word_start(pattern: re.Pattern[bytes], data: bytes) -> bool:
    """Whether `pattern` matches in `data` where a word starts (as if it began with `\b`)."""
    return any(not match.start() or data[match.start() - 1] not in _REGEX_WORD for match in pattern.finditer(data))


def _may_define_logger(data: bytes) -> bool:
    return any(needle in data and _at_word_start(pattern, data) for needle, pattern in _MAY_DEFINE)


def _logger_calls_facts(source_file: SourceFile) -> LoggerCalls:
    data = source_file.data
    # (read once for all their uses: the head of the file, no parse)
    imports = tuple(logger_imports_in(source_file, namespaces=True, factories=True)) if may_import_logger(data) else ()
    library = (b"Logger" in data or b"pino" in data or b"loggers" in data) and bool(LIBRARY_LOGGER.search(data))
    # level methods are looked for where a logger may be defined: a module that makes or exports one,
    # a logger class, a file named for logging (most files are none: they only call a logger)
    defines = (b"exports" in data or any(data.count(word) > data.count(b"." + word) for word in _LEVEL_WORDS)) and (
        library or "log" in posixpath.basename(source_file.path).lower() or _may_define_logger(data))
    return LoggerCalls(
        logger_calls=logger_call_shapes(source_file, imports),
        logger_methods=_called_methods(source_file, imports),
        library=library,
        signature=level_signature(data) if defines else None,
        wholes=whole_imports(source_file, imports),
        levels=defined_levels(data) if defines else (),
        closed_meta=closed_meta_type(data) if defines and b":" in data else None,
    )


# (relative imports resolved: it depends on which files exist, as VOTES does; not on the compose model,
# so a plan step that adds an override file does not gather it again for every file)
LOGGER_CALLS = FactsSpec("logger/calls", _logger_calls_facts, CODE_KINDS, version=2, structural="files")  # 2: .cts/.mts


def level_methods(source_file: SourceFile, found: FileLogger, conventions: dict[str | None, LoggerImport],
                  shapes: Shapes) -> tuple[str, ...] | None:
    """The level methods the file's logger `found` is shown to have (`logger_shape`; `shapes`:
    `logger_shapes(repo)`, kept in the asking fix's context); None: all of winston's. A fix that
    writes `<logger>.<method>(…)` writes only these: on a logger without the method that is a
    TypeError at run time, and console-to-logger trusts a method of a logger from outside the
    repository once the repository calls it (one fix's first `logger.warn(…)` would give it work)."""
    return logger_shape(source_file, found, conventions, shapes)[2]


# A level function a module exports by name: `exports.info = function () {…}`, `export function warn(…)`
_EXPORTED_LEVEL = re.compile(
    rb"(?:\b(?:module\s*\.\s*)?exports\s*\.\s*|\bexport\s+(?:async\s+)?function\b\s*\*?\s*|\bexport\s+(?:const|let|var)\s+)"
    rb"(info|warn|error|debug|log|trace|verbose|fatal|http|silly)\b(?!\s*\.)")


def exported_levels(code: bytes) -> tuple[str, ...]:
    """The level functions a module exports by name, when one is `info`/`warn`/`error`/`debug`:
    thelounge's `exports.info = function () { console.log.apply(console, …) }`. Such a module
    is a logger as a whole (`const log = require('./log'); log.info(…)`), its own implementation."""
    found = {match.group(1).decode() for match in _EXPORTED_LEVEL.finditer(code)}
    return tuple(sorted(found)) if not found.isdisjoint(_LEVEL_NAMES) else ()


def call_form(source_file: SourceFile, found: FileLogger, conventions: dict[str | None, LoggerImport],
              shapes: Shapes) -> tuple[tuple[str, ...] | None, bool]:
    """What a fix may write on the file's logger `found`: the level methods it may call
    (`level_methods`; (): none, for a logger that takes a tag before the message, which no new
    call of fixer's fits) and whether those calls may pass values after the message (a logger
    known to take winston's or pino's (message, meta); otherwise one message: `logger_shape`)."""
    shape, _, methods = logger_shape(source_file, found, conventions, shapes)
    return ((), False) if shape == TAGGED else (methods, shape == STRUCTURED)


def has_level(methods: tuple[str, ...] | None, level: str) -> bool:
    """Whether a logger with level methods `methods` (`level_methods`) has `level`."""
    return methods is None or level in methods


def unfit_levels(source_file: SourceFile, found: FileLogger, conventions: dict[str | None, LoggerImport],
                 shapes: Shapes, levels: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Which of `levels` a fix may not call on the file's logger `found` with one message
    (`call_form`: those go to console), and why, for the finding's note: "`log` takes a tag
    before the message, which a call with the message alone does not fit: <evidence>" (it has
    its level methods, but no call of fixer's fits it), "`log` has no `warn` method that fixer
    can see", or, with no logger, `found.reason`. ((), "") when the logger takes them all."""
    if found.binding is None:
        return levels, found.reason
    shape, why, methods = logger_shape(source_file, found, conventions, shapes)
    if shape == TAGGED:
        return levels, f"`{found.binding}` takes a tag before the message, which a call with the message alone " \
                       f"does not fit: {why}"
    missing = tuple(level for level in levels if not has_level(methods, level))
    named = " or ".join(f"`{level}`" for level in missing)
    return missing, f"`{found.binding}` has no {named} method that fixer can see" if missing else ""


# --- what a winston logger's format prints (console-to-logger: values passed as meta) ------------

# winston formats that print what meta holds: `json()`, `logstash()`, `prettyPrint()`, `simple()` (its meta as
# JSON after the message), `ecsFormat()`; a printf that reads the whole info object is judged by its callback
_PRINTS_META = re.compile(rb"\b(?:json|logstash|prettyPrint|simple|ecsFormat|ecsFields)\s*\(")


@dataclass(frozen=True, slots=True)
class MetaDropped:
    """A winston logger module's `format.printf(…)` that prints only the fields its callback
    names (`({ timestamp, level, message }) => …`): the values a call passes as meta never print."""

    line: int  # the printf's line
    fields: tuple[str, ...]  # the fields it prints
    only: bool  # no other format of the module prints meta (`json()`, `simple()`, a printf that reads it all)


def meta_dropped(source_file: SourceFile) -> MetaDropped | None:
    """Whether the logger module's format drops meta: a `printf(fn)` (`format.printf`,
    `winston.format.printf`) whose callback destructures the info object with no rest element
    (`({ timestamp, level, message })`, not `({ level, message, ...meta })`) or reads it only
    through named members (`(info) => `${info.level}: ${info.message}``). `only`: every format
    the module makes is such a printf (no `json()`, `simple()`… nor a printf that prints meta) —
    else a format chosen elsewhere (production's `json()`) may print it. None: no such printf, or
    a callback fixer cannot read (a function defined elsewhere: it may print anything)."""
    data = source_file.data
    if b"printf" not in data:
        return None
    dropping: list[tuple[int, tuple[str, ...]]] = []
    prints = bool(_PRINTS_META.search(data))
    for call in typescript.descendants(source_file.tree.root_node, "call_expression"):
        callee = call.child_by_field_name("function")
        name = callee.child_by_field_name("property") if callee is not None and callee.type == "member_expression" \
            else callee
        if name is None or _text(name) != "printf":
            continue
        arguments = call.child_by_field_name("arguments")
        items = typescript.list_items(arguments) if arguments is not None else []
        fields = _printed_fields(items[0]) if items else None
        if fields is None:
            prints = True  # (a callback fixer cannot read may print meta: nothing is said)
        else:
            dropping.append((call.start_point[0] + 1, fields))
    if not dropping:
        return None
    line, fields = dropping[0]
    return MetaDropped(line, tuple(sorted({f for _, named in dropping for f in named})), not prints)


def _printed_fields(callback: Node) -> tuple[str, ...] | None:
    """The info fields a printf callback reads, when it reads only named ones; None otherwise."""
    if callback.type not in ("arrow_function", "function_expression", "function"):
        return None
    parameters = callback.child_by_field_name("parameters")
    first = typescript.list_items(parameters)[0] if parameters is not None and typescript.list_items(parameters) \
        else callback.child_by_field_name("parameter")
    if first is None:
        return ()
    if first.type in ("required_parameter", "optional_parameter"):
        first = first.child_by_field_name("pattern") or first
    body = callback.child_by_field_name("body")
    if body is None or any(n.text == b"arguments" for n in typescript.descendants(body, "identifier")):
        return None
    if first.type == "object_pattern":
        fields = []
        for item in typescript.list_items(first):
            if item.type == "shorthand_property_identifier_pattern":
                fields.append(_text(item))
            elif item.type in ("pair_pattern", "object_assignment_pattern"):
                key = item.child_by_field_name("key") or item.child_by_field_name("left")
                if key is None or key.type not in ("property_identifier", "shorthand_property_identifier_pattern",
                                                   "string"):
                    return None  # (a computed key: `[SPLAT]`)
                fields.append(_text(key).strip("'\""))
            else:
                return None  # (`...meta`: it may print the rest)
        return tuple(fields)
    if first.type != "identifier":
        return None
    fields = []
    for reference in typescript.identifier_references(body, _text(first)):
        parent = reference.parent
        if parent is None or parent.type != "member_expression" or parent.child_by_field_name("object") != reference:
            return None  # (the whole info object: `JSON.stringify(info)`, `info[key]`)
        fields.append(_text(parent.child_by_field_name("property")))
    return tuple(fields)


# --- keeping errors passed as meta (console-to-logger: `{ error: err }` under winston's json) ----------

# a module that calls winston's `createLogger(` itself (not `createLoggerWithLabel(`, a factory of it)
CALLS_CREATE_LOGGER = re.compile(rb"\bcreateLogger\s*\(")

# What the format added to a logger module is called and does: an Error value of the info object
# (a call's meta, `{ error: err }`) becomes a plain object of its own fields with its name, message
# and stack, which winston's `json()` (and a printf's `JSON.stringify(meta)`) prints; `{}` before.
ERRORS_IN_META = "errorsInMeta"
_ERRORS_IN_META_TEXT = """\
// Errors logged as meta ({ error }) keep their name, message and stack (json() alone prints {}).
const errorsInMeta = FORMAT((info) => {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (value instanceof Error) {
      info[key] = { ...value, name: value.name, message: value.message, stack: value.stack };
    }
  }
  return info;
});

"""
# meta keys under which console-to-logger passes an error (`logcall`): a printf that prints them itself
_ERROR_FIELDS = frozenset({"error", "err"})


def errors_in_meta_edits(source_file: SourceFile) -> tuple[tuple[Edit, ...], str | None]:
    """The edits that make the winston logger(s) the module creates keep an Error passed as meta:
    an `errorsInMeta` format (`ERRORS_IN_META`) declared above the first statement that uses it,
    and put into each `createLogger({ … })`'s `format` — into its `combine(…)`, before the last
    format (`combine(timestamp(), json())` -> `combine(timestamp(), errorsInMeta(), json())`), else
    around a format fixer can read (`json()`, a const set to one, a choice of two:
    `format.combine(errorsInMeta(), json())`), else, with no `format` (winston's default is
    `json()`), as `format: format.combine(errorsInMeta(), format.json())`. The logger's format runs
    before every transport's, so theirs see the plain object too. ((), why) when that is not
    certain: winston's `format` not bound by name or as `winston.format`, options that are not an
    object literal or spread another, a format fixer cannot read (`logFormat(label)`), a printf
    that prints an `error` field itself."""
    root = source_file.tree.root_node
    winston = [seen for seen in imports_in(source_file, namespaces=True) if seen.module == "winston"]
    whole = next((seen.local for seen in winston if seen.imported in ("default", "*")), None)
    named = next((seen.local for seen in winston if seen.imported == "format"), None)
    fmt = named or (f"{whole}.format" if whole else None)
    spellings = {named, f"{whole}.format" if whole else None} - {None}
    creators = {seen.local for seen in winston if seen.imported == "createLogger"}
    members: dict[str, str] = {}  # local -> the format function (`const { combine, json } = format`)
    declared: dict[str, Node] = {}  # top-level `const name = value`: name -> value
    # winston's format bound by a top-level declaration too (`const fmt = winston.format`, `const { format }
    # = winston`: another spelling of it), or read only through its members, `const { combine, json } =
    # require('winston').format`, `const { format: { combine } } = require('winston')`: then `required`, that
    # expression, is how the added format names it (where no import binds winston or its format)
    required: str | None = None

    def take_members(pattern: Node) -> None:
        for item in pattern.named_children:
            if item.type == "shorthand_property_identifier_pattern":
                members[_text(item)] = _text(item)
            elif item.type == "pair_pattern" and (local := item.child_by_field_name("value")) is not None \
                    and local.type == "identifier":
                members[_text(local)] = _text(item.child_by_field_name("key"))

    for node in root.named_children:
        node = node.child_by_field_name("declaration") or node if node.type == "export_statement" else node
        if node.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in node.named_children:
            name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            if declarator.type != "variable_declarator" or name is None or value is None:
                continue
            spelled = re.sub(r"\s", "", _text(value))
            call = re.fullmatch(r"require\((['\"])winston\1\)(\.format)?", spelled)
            is_format = spelled in spellings or bool(call and call.group(2))
            is_winston = spelled == whole or bool(call and not call.group(2))
            if name.type == "identifier":
                declared[_text(name)] = value
                if is_format and not call:  # (`const format = require('winston').format` is an import)
                    spellings.add(_text(name))
            elif name.type == "object_pattern" and is_format:
                take_members(name)
                if call:
                    required = required or spelled
            elif name.type == "object_pattern" and is_winston:
                for item in name.named_children:
                    key = item.child_by_field_name("key") if item.type == "pair_pattern" else None
                    local = item.child_by_field_name("value") if key is not None else None
                    if item.type == "shorthand_property_identifier_pattern" and _text(item) == "createLogger":
                        creators.add("createLogger")  # (`const { createLogger, format } = winston`)
                    elif key is not None and _text(key) == "createLogger" and local is not None \
                            and local.type == "identifier":
                        creators.add(_text(local))
                    elif item.type == "shorthand_property_identifier_pattern" and _text(item) == "format" and not call:
                        spellings.add("format")
                    elif key is None or _text(key).strip("'\"") != "format" or local is None:
                        continue
                    elif local.type == "identifier" and not call:
                        spellings.add(_text(local))
                    elif local.type == "object_pattern":
                        take_members(local)
                        if call:
                            required = required or f"{spelled}.format"
    if fmt is None and required is not None:
        if source_file.path.endswith((".ts", ".tsx", ".mts", ".cts")):
            return (), "winston's `format` is read only through an untyped `require('winston')`"
        fmt = required
        spellings.add(required)
    if fmt is None:
        return (), "winston's `format` is not bound there by name or as `winston.format`"
    # (a format function the module binds by name, where `fmt` is `require('winston').format`: `combine(…)`)
    own = {function: local for local, function in reversed(members.items())} if fmt == required else {}

    def spell(function: str) -> str:
        return own.get(function) or f"{fmt}.{function}"

    def format_function(call: Node) -> str | None:  # `json()`, `format.json()`, `winston.format.combine(…)`
        callee = call.child_by_field_name("function")
        if callee is not None and callee.type == "identifier":
            return members.get(_text(callee))
        if callee is not None and callee.type == "member_expression" and re.sub(
                r"\s", "", _text(callee.child_by_field_name("object"))) in spellings:
            return _text(callee.child_by_field_name("property"))
        return None

    def a_format(value: Node | None, depth: int = 0) -> bool:  # certainly a winston format, not undefined
        while value is not None and value.type == "parenthesized_expression" and value.named_children:
            value = value.named_children[0]
        if value is None or depth > 4:
            return False
        if value.type == "call_expression":
            return format_function(value) is not None
        if value.type == "identifier":
            return a_format(declared.get(_text(value)), depth + 1)
        if value.type == "ternary_expression":
            return a_format(value.child_by_field_name("consequence"), depth + 1) \
                and a_format(value.child_by_field_name("alternative"), depth + 1)
        return False

    for call in typescript.descendants(root, "call_expression"):
        if format_function(call) != "printf":
            continue
        items = typescript.list_items(call.child_by_field_name("arguments"))
        fields = _printed_fields(items[0]) if items else None
        if fields is not None and _ERROR_FIELDS.intersection(fields):
            return (), "its printf prints the `error` field itself"
    calls = [call for call in typescript.descendants(root, "call_expression")
             if (callee := call.child_by_field_name("function")) is not None and (
                 callee.type == "identifier" and _text(callee) in creators
                 or callee.type == "member_expression" and whole is not None
                 and re.sub(r"\s", "", _text(callee)) == f"{whole}.createLogger")]
    if not calls:
        return (), "no `createLogger(…)` of winston's that fixer can read there"
    eol, unit = source_file.text.eol, source_file.text.indent_unit
    data = source_file.data
    edits: list[Edit] = []

    def line_indent(at: int) -> str | None:  # the indentation of the line `at` starts, None if it does not
        start = data.rfind(b"\n", 0, at) + 1
        lead = data[start:at]
        return lead.decode() if not lead.strip(b" \t") else None

    def before(node: Node, text: str) -> Edit:  # `text, ` before a list item, on a line of its own if it is
        indent = line_indent(node.start_byte)
        return Edit(source_file.path, node.start_byte, node.start_byte,
                    f"{text},{eol}{indent}" if indent is not None else f"{text}, ")

    for call in calls:
        arguments = typescript.list_items(call.child_by_field_name("arguments"))
        options = arguments[0] if arguments else None
        if options is None or options.type != "object":
            return (), "the options of its `createLogger(…)` are not an object literal"
        properties = typescript.list_items(options)
        keyed = [p for p in properties if p.type == "pair" and _text(p.child_by_field_name("key")).strip("'\"") == "format"]
        if any(p.type == "shorthand_property_identifier" and _text(p) == "format" for p in properties) or len(keyed) > 1:
            return (), "its `createLogger(…)` sets `format` in a way fixer does not read"
        if not keyed:
            added = f"format: {spell('combine')}({ERRORS_IN_META}(), {spell('json')}())"
            if not options.named_children and not _text(options)[1:-1].strip():  # `createLogger({})`
                edits.append(Edit(source_file.path, options.start_byte + 1, options.end_byte - 1, f" {added} "))
                continue
            if any(p.type == "spread_element" for p in properties) or not properties:
                return (), "the options of its `createLogger(…)` spread another object, which may set the format" \
                    if properties else "its `createLogger(…)` options hold only comments"
            edits.append(before(properties[0], added))
            continue
        value = keyed[0].child_by_field_name("value")
        if value is not None and value.type == "call_expression" and format_function(value) == "combine":
            formats = typescript.list_items(value.child_by_field_name("arguments"))
            if not formats or formats[-1].type == "spread_element":
                return (), f"its format (`{_text(value)[:60]}`) is not one fixer can read"
            edits.append(before(formats[-1], f"{ERRORS_IN_META}()"))
        elif a_format(value):
            edits.append(Edit(source_file.path, value.start_byte, value.start_byte, f"{spell('combine')}({ERRORS_IN_META}(), "))
            edits.append(Edit(source_file.path, value.end_byte, value.end_byte, ")"))
        else:
            return (), f"its format (`{_text(value)[:60]}`) is not one fixer can read"
    # (declared below the imports above the first top-level statement that uses it — not next to the
    # logger's own statement, which other fixes edit too (stdout-logging: its File transports, their
    # format): their branches merge — else right above that statement; after what binds `format`)
    first = min(e.start for e in edits)
    statement = next(node for node in root.named_children if node.start_byte <= first < node.end_byte)
    imports = [node for node in root.named_children if node.end_byte <= statement.start_byte
               and next(_imports_of(source_file, node), None) is not None]
    bound = max((node.end_byte for node in imports if any(
        seen.local in fmt.split(".")[:1] for seen in _imports_of(source_file, node))), default=0)
    text = _ERRORS_IN_META_TEXT.replace("FORMAT", fmt).replace("  ", unit)
    if not uses_semicolons(source_file):
        text = re.sub(r";$", "", text, flags=re.M)
    line_end = data.find(b"\n", imports[-1].end_byte) if imports else -1
    if line_end >= 0 and line_end < statement.start_byte:
        at = line_end + 1
        text = "\n" + (text if data[at:].split(b"\n", 1)[0].strip() else text[:-1])  # (a blank line each side)
    else:
        at = typescript.leading_comments_start(data, statement)
        if at < bound:
            return (), "winston's `format` is bound after the statement that creates the logger"
        above = data.rfind(b"\n", 0, at)  # (the end of the line above)
        if above >= 0 and data[data.rfind(b"\n", 0, above) + 1:above].strip():
            text = "\n" + text  # (a blank line from the statement above)
    edits.insert(0, Edit(source_file.path, at, at, text.replace("\n", eol)))
    return tuple(edits), None


def _imports_of(source_file: SourceFile, node: Node) -> Iterator[ImportSeen]:
    """The imports of one top-level statement of the file."""
    if node.type == "import_statement":
        yield from _esm_import(source_file.path, node)
    elif node.type in ("lexical_declaration", "variable_declaration"):
        yield from _require(source_file.path, node)
