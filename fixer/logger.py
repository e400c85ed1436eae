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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from tree_sitter import Node

from fixer.model import Edit, pickled_by_fields
from fixer.parsing import typescript
from fixer.parsing.comments import blank, comment_ranges
from fixer.parsing import yamlfile
from fixer.repo import CODE_KINDS, FactsSpec, Repo, SourceFile, glob_match, is_test

# A logger instance's name; factories (`createServiceLogger`) are not loggers.
LOGGER_NAME = re.compile(r"^(?!(create|make|get|build|new|init)[A-Z])(logger|log|[a-z]\w*Logger)$")
LOGGER_MODULE = re.compile(r"(^|/)(logger|logging|log)(\.[cm]?[jt]s)?$|(^|/)logger/index(\.[cm]?[jt]s)?$")
# Modules that export logger *libraries* or classes, not a configured logger instance.
LIBRARIES = frozenset({"winston", "pino", "bunyan", "log4js", "@nestjs/common", "debug", "loglevel", "signale"})
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

    def describe(self) -> str:
        if self.factory_args is not None:
            return (f"`{self.local}` made with `{self.imported}{self.factory_args}` of `{self.module}` "
                    f"({self.files} file(s))")
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
            yield ImportSeen(path, module, member or "default", _text(name), True)
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


def _text(node: Node | None) -> str:
    return (node.text or b"").decode() if node is not None else ""


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
    for candidate in (base, stem + ".ts", stem + ".js", stem + ".tsx", stem + "/index.ts", stem + "/index.js",
                      stem + ".mts", stem + ".cjs", stem + ".mjs"):
        if repo.exists(candidate):
            return candidate
    return None


def resolve_import(repo: Repo, from_file: str, module: str) -> str | None:
    """The repository file an import's specifier loads: a relative one (`resolve_module`), or
    one a tsconfig path alias or `baseUrl` names (`@config/env`, `alias_target`)."""
    return resolve_module(repo, from_file, module) if module.startswith(".") else alias_target(repo, from_file, module)


def alias_target(repo: Repo, from_file: str, module: str) -> str | None:
    """The repository file a tsconfig path alias or `baseUrl` specifier names (`@/lib/logger`
    with `"paths": {"@/*": ["src/*"]}`, `src/lib/logger` with `"baseUrl": "."`), from the nearest
    tsconfig above `from_file` that sets `paths` or `baseUrl` (`_path_aliases`: tsconfig.json, else
    tsconfig.app.json, tsconfig.base.json…, or one it extends by relative path); None for a relative specifier, a repository path, or no such file."""
    if not module or module.startswith(".") or repo.exists(module):
        return None
    config = _path_aliases(repo, posixpath.dirname(from_file))
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


def _path_aliases(repo: Repo, directory: str) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]] | None:
    """(the directory `paths` resolve from, (pattern, targets)…) of the nearest tsconfig at or above
    `directory` that sets `paths` or `baseUrl` (its own, or one it extends): of each directory its
    tsconfig.json first, then its other tsconfig*.json (`tsconfig.app.json`, an Nx workspace's
    `tsconfig.base.json`: the compiler is given them by name), tests' last; None when none does.
    Remembered per run."""
    memo = repo.derived.setdefault("logger/path-aliases", {})
    if directory in memo:
        return memo[directory]
    found = None
    for config in _tsconfigs_in(repo, directory):
        found = _aliases_of(repo, config)
        if found is not None:
            break
    if found is None and directory:
        found = _path_aliases(repo, posixpath.dirname(directory))
    memo[directory] = found
    return found


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
    config it extends by relative path (`../../tsconfig.base.json`), nearest first."""
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
    """The directory of the nearest package.json above `path` ("" for the root's), None when none."""
    directory = posixpath.dirname(path)
    packages = repo.packages
    while directory not in packages:
        if not directory:
            return None
        directory = posixpath.dirname(directory)
    return directory


def package_name(specifier: str) -> str:
    """The package a bare specifier names: `@acme/logger` of `@acme/logger/child`, `shared` of `shared/x`."""
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def declares(repo: Repo, directory: str, package: str) -> bool:
    """Whether the package.json of `directory` declares `package` among its dependencies (of any kind)."""
    manifest = repo.packages.get(directory) or {}
    return any(isinstance(manifest.get(key), dict) and package in manifest[key] for key in DEPENDENCY_KEYS)


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
        repo.derived["logger/conventions"] = configured if configured is not None else votes.conventions()
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
    to_create = bool(configured.get("create")) and bool(CODE_PATH.search(module))
    target = module if repo.exists(module) or to_create else None
    imported = configured.get("import", "logger")
    local = configured.get("name", "logger" if imported == "default" else imported)
    return {None: LoggerImport(module, imported, local, target, "", 0)}


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


def votes_of(source_file: SourceFile) -> FileVotes:
    """The file's logger imports, relative modules resolved (so it depends on which files
    exist: gather it with `structural="files"`)."""
    if source_file.kind not in CODE_KINDS or not may_import_logger(source_file.data):
        return FileVotes()  # no import or require mentions a log: no need to parse
    repo = source_file.repo
    imports = []
    for seen in logger_imports_in(source_file):
        target = resolve_module(repo, source_file.path, seen.module)
        if seen.module.startswith(".") and target is None:
            continue
        module = seen.module if target is None else target
        imported, local = seen.imported, seen.local
        if seen.commonjs and not seen.equals and imported == "default":
            member = namespace_member(source_file.data, local)
            if member == "":
                continue  # the whole module, used only as `x.default.…` (Babel's output): no vote
            if member is not None:  # `_logger.logger.info(…)`: the logger is the module's `logger`
                imported, local = member, member
        key = (module, imported, target, spelling(seen.module, target), seen.equals)
        imports.append((key, local))
    factories = tuple(_factories_of(source_file)) if b"Logger(" in source_file.data else ()
    return FileVotes(tuple(imports), factories)


VOTES = FactsSpec("logger/votes", votes_of, CODE_KINDS, (b"log", b"Log"), version=5,
                  structural="files")  # 3: no request-logging middleware; 4: `import x = require('m')`;
# 5: a whole-module `require` used as `x.logger.…` votes for the module's `logger`

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
            for each in {scope, None}:
                self.votes.setdefault(each, Counter())[key] += 1
                self.typescript_votes[each, key] += typescript_file
                self.equals_used[each, key] += equals
            self.locals_used.setdefault(key, Counter())[local] += 1
            self.voters.setdefault(key, path)
        for key in cast.factories:
            self.factories.setdefault(scope, Counter())[key] += 1

    def conventions(self) -> dict[str | None, LoggerImport]:
        conventions = {}
        scopes = None  # read once, and only when some convention is import-equals
        for scope, counter in self.votes.items():
            # (a name like a logger's that the repository's module exports as a function is none)
            # (and the whole of a module that exports its logger by name is no logger: `exports.logger = …`)
            # (nor a module of tests or tooling, `src/test/fixtures/no-logger.js`, `scripts/lib/log.js`: the
            # service's code would import a test double or a script's helper, and log through it in production)
            ranked = [kv for kv in sorted(counter.items(), key=lambda kv: (-kv[1], tuple(str(k) for k in kv[0])))
                      if kv[0][2] is None or not (not_service_code(kv[0][2])
                                                  or exported_as_function(self.repo, kv[0][2], kv[0][1]) or (
                          kv[0][1] == "default" and whole_is_namespace(self.repo, kv[0][2])))]
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
        if not conventions and self.repo.config.logger.get("create"):
            path = default_module_path(self.repo)
            conventions[None] = LoggerImport(path, "logger", "logger", path, "", 0)
        return conventions


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


def module_to_create(repo: Repo, conventions: dict[str | None, LoggerImport]) -> tuple[str, str] | None:
    """(path, text) of the logger module `[logger] create = true` adds: when the convention
    points at a repository file that does not exist yet."""
    convention = conventions.get(None)
    if not repo.config.logger.get("create") or convention is None or convention.target is None:
        return None
    if repo.exists(convention.target):
        return None
    commonjs = convention.target.endswith((".js", ".cjs"))
    text = _COMMONJS_MODULE if commonjs else _TYPESCRIPT_MODULE
    kind = "js" if commonjs or convention.target.endswith((".mjs",)) else "ts"
    if typescript.env_brackets_required(convention.target, kind, dict(repo.env_bracket_projects())):
        text = text.replace("process.env.NODE_ENV", "process.env['NODE_ENV']").replace(
            "process.env.LOG_LEVEL", "process.env['LOG_LEVEL']")  # (TS4111 under noPropertyAccessFromIndexSignature)
    return convention.target, text


_LOGGER_BODY = """// The shared logger: JSON lines on stdout in production, colored and readable in
// development; the level comes from LOG_LEVEL (default "info").
const isProduction = process.env.NODE_ENV === 'production';

// Errors logged as meta ({ error }) keep their name, message and stack.
const errorsInMeta = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (value instanceof Error) {
      info[key] = { name: value.name, message: value.message, stack: value.stack };
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
_COMMONJS_MODULE = ("'use strict';\n\nconst winston = require('winston');\n\n" + _LOGGER_BODY.replace("{export}", "")
                    + "\nmodule.exports = { logger };\n")


def convention_for(repo: Repo, path: str, conventions: dict[str | None, LoggerImport]) -> LoggerImport | None:
    """The convention that applies to a file: its service's, else the repository's when reachable."""
    service = repo.service_for(path)
    own = conventions.get(service.dir if service else None)
    if own is not None:
        return own
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
    return fallback


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
        if seen.imported == "*" or (seen.imported == "default" and target is not None
                                    and whole_is_namespace(source_file.repo, target)):
            wholes.append((seen, target, module))  # (a module that exports only names: `x.logger`)
        elif module in names:
            if _the_conventions_logger(seen, module, names):
                if _bound_before_logging(source_file, seen):
                    return _child_of(source_file, seen.local) or seen.local
            elif seen.equals:
                wholes.append((seen, target, module))
        elif is_logger_import(seen) and (LOGGER_MODULE.search(seen.module) or "logger" in (seen.imported, seen.local)) \
                and (seen.imported != "default" or LOGGER_NAME.match(seen.local)):
            if _bound_before_logging(source_file, seen):
                return _child_of(source_file, seen.local) or seen.local
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


def exported_as_function(repo: Repo, path: str, name: str) -> bool:
    """Whether the repository module at `path` plainly exports `name` ("default": its default
    export) as a function: `log.warn(…)` on it is TS2339 and a TypeError (`export function
    log(): Console`, `export const log = (level, …args) => …`, `export function
    instantiateDefaultLogger(…)`). Read from its text, comments blanked; remembered per run."""
    key = f"logger/function-export:{path}:{name}"
    if key not in repo.derived:
        code = _code_of(repo, path)
        found = False
        if code is not None:
            locals_ = _exported_locals(code, name)  # export { log }, export { made as log }
            if name == "default":
                patterns = [rb"\bexport\s+default\s+" + _FUNCTION_VALUE, rb"\bmodule\s*\.\s*exports\s*=\s*" + _FUNCTION_VALUE]
                locals_ |= set(_DEFAULT_LOCAL.findall(code))  # `export default requestLogger;` of an arrow
            else:
                word = re.escape(name.encode())
                patterns = [rb"\bexport\s+(?:async\s+)?function\s*\*?\s*" + word + rb"\s*[<(]",
                            rb"\bexport\s+(?:const|let|var)\s+" + word + rb"\s*(?::[^=;]*)?=\s*" + _FUNCTION_VALUE,
                            rb"\bexports\s*\.\s*" + word + rb"\s*=\s*" + _FUNCTION_VALUE]
            for local in locals_:
                # (declared at the module's top level, at the start of a line: not a helper of
                # that name inside a function body)
                local_word = re.escape(local)
                patterns += [rb"(?m)^(?:async\s+)?function\s*\*?\s*" + local_word + rb"\s*[<(]",
                             rb"(?m)^(?:const|let|var)\s+" + local_word + rb"\s*(?::[^=;]*)?=\s*" + _FUNCTION_VALUE]
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
                and not _exports_default_by_name(code)
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
    if _first_top_level_console(source_file.tree.root_node) is None:
        return True  # nothing logs as the module loads: any binding is there in time
    path = source_file.path
    for node in source_file.tree.root_node.named_children:
        if (node.type == "import_statement" and seen in _esm_import(path, node)) or (
                node.type in ("lexical_declaration", "variable_declaration") and seen in _require(path, node)):
            return _runs_before_logging(source_file, node)
    return False


def _runs_before_logging(source_file: SourceFile, node: Node) -> bool:
    """Whether the top-level statement holding `node` runs before the first top-level statement
    that may log as the module loads (`_first_top_level_console`), or nothing does."""
    while node.parent is not None and node.parent.type != "program":
        node = node.parent
    first = _first_top_level_console(source_file.tree.root_node)
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
        return FileLogger(binding, None)
    convention = convention_for(source_file.repo, source_file.path, conventions)
    if convention is None:
        return FileLogger(None, None, no_logger_reason(source_file.repo, source_file.path))
    if convention.target == source_file.path:
        return FileLogger(None, None, "this file is the logger module itself")
    if convention.target is not None and _requires_an_es_module(source_file, convention.target):
        return FileLogger(None, None, f"the logger module {convention.target} is an ES module, which this CommonJS file "
                                      "cannot `require()` on every Node 20 (ERR_REQUIRE_ESM before 20.19; from there `require()` "
                                      "returns the module namespace" + (", not its default export" if convention.imported
                                                                         == "default" else "") +
                                      "): import it with `await import()` where it is used, or make this file an ES module")
    convention, refusal = _through_workspace_package(source_file, convention)
    if refusal is not None:
        return FileLogger(None, None, refusal)
    local = convention.local
    if local.encode() in source_file.data and _bound(source_file, local):  # (a loop variable, `log => …` too)
        local = next(n for n in ("appLogger", "serviceLogger", "fixerLogger") if not _bound(source_file, n))
    return FileLogger(local, import_edit(source_file, convention, local))


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
            or declares(repo, own, name) or declares(repo, "", name):
        return convention, None
    manifest = f"{own}/package.json" if own else "package.json"
    return convention, (f"the logger is the workspace package `{name}`, which {manifest} does not declare, and pnpm "
                        f"links only what a package declares (the import would fail at run time): add "
                        f"`\"{name}\": \"workspace:*\"` to its dependencies, run `pnpm install`, and rerun fixer")


def _requires_an_es_module(source_file: SourceFile, target: str) -> bool:
    """Whether the file is CommonJS JavaScript (`.cjs`, a `.js` of a CommonJS package) and the
    logger module an ES module (`.mjs`, a `.js` of a `"type": "module"` package). `require()` of
    an ES module throws ERR_REQUIRE_ESM before Node 20.19/22.12 (and with
    --no-experimental-require-module), and from there returns the module namespace, so its default
    export is `require(…).default`. No import is written then, whatever the package's `engines`
    say: `engines` is advice Node does not enforce, a `.default` the convention's other files do
    not write would be one more shape to get right, and a module with a top-level await cannot be
    required at all (ERR_REQUIRE_ASYNC_MODULE). The file's console calls are reported, saying what
    to do: `await import()` or an ES module. TypeScript is left to its compiler (what it emits
    depends on tsconfig)."""
    if not source_file.path.endswith((".js", ".cjs")) or not is_commonjs(source_file):
        return False
    if target.endswith(".mjs"):
        return True
    return target.endswith(".js") and source_file.repo.package_type(target) == "module"


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
        return "no logger is imported anywhere in this service; set [logger] in .fixer.toml"
    module, name, files = made
    return (f"this service's code gets its logger by calling `{name}()` of {module} ({files} file(s)), which fixer "
            "cannot import as a logger: rewrite it by hand, or name a module that exports the logger itself under "
            "[logger] in .fixer.toml")


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
        if convention.imported == "default":
            line = f"const {local} = require({module}){semi}"
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
                    first_use = _first_top_level_console(source_file.tree.root_node) or source_file.tree.root_node
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
                    first_use = _first_top_level_console(source_file.tree.root_node) or source_file.tree.root_node
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
    # (`const` is not there before it runs)
    first_use = _first_top_level_console(root) \
        if is_commonjs(source_file) or not hoisted or _may_compile_to_commonjs(source_file) else None
    for node in root.named_children:
        if first_use is not None and node.start_byte >= first_use.start_byte:
            break
        if node.type == "import_statement" or (
            node.type in ("lexical_declaration", "variable_declaration") and any(True for _ in _require(source_file.path, node))
        ):
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


def _first_top_level_console(root: Node) -> Node | None:
    """The first top-level statement that may log through console as the module loads: one
    that mentions console (not a function or class declaration), or names a top-level function
    or class that does, directly or through another one (`function boot() { console.log(…) }
    boot();`)."""
    declared = {}
    for node in root.named_children:
        if node.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
            name = node.child_by_field_name("name")
            if name is not None and name.text:
                declared[name.text] = node.text or b""
    logging = {name for name, text in declared.items() if b"console" in text}
    while True:  # and those that call them
        more = {name for name, text in declared.items() if name not in logging
                and any(_names(text, other) for other in logging)}
        if not more:
            break
        logging |= more
    for node in root.named_children:
        if node.type in _RUNS_LATER:
            continue
        text = node.text or b""
        if b"console" in text or any(_names(text, name) for name in logging):
            return node
    return None


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
    return source_file.path.endswith(".js") and not is_commonjs(source_file) and \
        source_file.repo.package_type(source_file.path) == "module"


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


def _makes_logger(source_file: SourceFile) -> bool | None:
    """None when the file makes no logger; else whether the one it makes takes pino's order,
    `(fields, message)`, errors under `err`: pino's (`pino(…)`, no winston `createLogger`) or
    bunyan's (`makes_bunyan`)."""
    data = source_file.data
    if makes_bunyan(data):
        return True
    if re.search(rb"\bcreateLogger\s*\(", data):
        return False
    return True if re.search(rb"\bpino\s*\(", data) else None


IMPLEMENTATIONS = FactsSpec("logger/implementations", _makes_logger, CODE_KINDS, (b"createLogger", b"pino"),
                            version=2)  # 2: bunyan's takes pino's order


def is_pino_for(repo: Repo, path: str | SourceFile, implementations: dict[str, bool] | None = None,
                found: FileLogger | None = None) -> bool:
    """Whether the logger the file at `path` logs through is pino's, so new calls take pino's
    `(meta, message)` order, not winston's `(message, meta)`: decided per file, as a repository
    may hold winston and pino services side by side (see `implementations_behind`).
    `implementations`: path -> is it pino's, of the modules that make the repository's loggers
    (default: those calling `createLogger(`/`pino(`); `found`: the file's logger, if known. `path`
    may be the file itself, read already (so it is not read and parsed again)."""
    if implementations is None:
        implementations = {p: pino for p, pino in repo.facts_of(IMPLEMENTATIONS).items() if pino is not None}
    kinds = set(implementations.values())
    if len(kinds) < 2:  # all pino's, all winston's, or none: no file to follow (most repositories)
        return kinds == {True}
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
