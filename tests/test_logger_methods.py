"""Which level methods the repository's logger has, and what its level methods take: one answer
(`logger.level_methods`, `logger.logger_shape`) for every fix that writes `<logger>.<method>(…)`
(console-to-logger, graceful-shutdown, db-degradation, cors-validation, eager-init), from facts
gathered once per run (`logger.LOGGER_CALLS`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixer import logger
from gitrepo import write_tree
from harness import open_tree, read_tree, run_on_tree, tree_after
from transforms import console_to_logger, cors_validation, db_degradation, eager_init, graceful_shutdown

FIXES = [console_to_logger, graceful_shutdown, db_degradation, cors_validation, eager_init]


def _facts(module) -> list:
    if not callable(module.FACTS):
        return module.FACTS
    return module.FACTS({name: option.default for name, option in module.INFO.options.items()})


@pytest.mark.parametrize("module", FIXES, ids=[m.INFO.id for m in FIXES])
def test_every_fix_that_writes_logger_calls_gathers_the_shared_facts(module) -> None:
    # (one spec, one name: the engine gathers it once for all of them)
    assert logger.LOGGER_CALLS in _facts(module)


# an outside logger (`@acme/log`, not in the repository) is shown to have what the repository calls on it
OUTSIDE = {
    "package.json": '{"name":"m","private":true,"workspaces":["services/*"]}\n',
    "services/api/package.json": '{"name":"api","main":"src/index.js","dependencies":{"express":"^4.19.2",'
                                 '"@acme/log":"^1.0.0"}}\n',
    "services/api/src/index.js": "const express = require('express');\nconst logger = require('@acme/log');\n\n"
                                 "const app = express();\napp.get('/', (req, res) => { logger.error('nope'); "
                                 "res.end(); });\nconst server = app.listen(3000, () => logger.info('up'));\n",
}


def test_an_outside_loggers_methods_are_those_the_repository_calls(tmp_path: Path) -> None:
    write_tree(tmp_path, OUTSIDE)
    repo = open_tree(tmp_path)
    conventions = logger.infer(repo)
    source_file = repo.read("services/api/src/index.js")
    found = logger.logger_for(source_file, conventions)
    methods = logger.level_methods(source_file, found, conventions, logger.logger_shapes(repo))
    assert methods == ("error", "info")
    assert not logger.has_level(methods, "warn") and logger.has_level(methods, "error")
    assert logger.has_level(None, "warn")  # (None: a winston or pino logger, all its levels)


def test_graceful_shutdown_logs_a_level_the_logger_lacks_with_console(tmp_path: Path) -> None:
    write_tree(tmp_path, {**OUTSIDE, "services/api/src/index.js": OUTSIDE["services/api/src/index.js"].replace(
        "logger.error('nope'); ", "")})  # only `info` is called: the handler's errors go to console
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    text = tree_after(read_tree(tmp_path), run)["services/api/src/index.js"].decode()
    assert "logger.info(`Received ${signal}, shutting down gracefully`)" in text
    assert "console.error('Graceful shutdown timed out, forcing exit')" in text
    assert "logger.error" not in text
    assert any("logs with console.error: `logger` has no `error` method" in f.message for f in run.findings)


def test_eager_init_logs_a_level_the_logger_lacks_with_console(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "services/api/package.json": '{"name":"api","main":"src/app.js","dependencies":{"express":"^4.19.2",'
                                     '"@acme/log":"^1.0.0"}}\n',
        "services/api/src/app.js": (
            "const express = require('express');\n"
            "const logger = require('@acme/log');\n"
            "const { connect } = require('./db');\n"
            "\n"
            "const app = express();\n"
            "let initialized = false;\n"
            "\n"
            "app.use(async (req, res, next) => {\n"
            "  if (!initialized) {\n"
            "    await connect();\n"
            "    initialized = true;\n"
            "  }\n"
            "  next();\n"
            "});\n"
            "\n"
            "app.get('/health', (req, res) => res.json({ status: 'ok' }));\n"
            "app.listen(3000, () => logger.info('listening'));\n"
        ),
        "services/api/src/db.js": "exports.connect = async () => {};\n",
    })
    _, run = run_on_tree("eager-init", tmp_path)
    text = tree_after(read_tree(tmp_path), run)["services/api/src/app.js"].decode()
    # (and one message: nothing shows `@acme/log` takes (message, meta))
    assert "logger.info(`api initialized (attempt ${attempt})`)" in text
    assert "console.error('api initialization failed, retrying'" in text and "logger.error" not in text


@pytest.mark.parametrize("text,closed", [
    (b"export interface LogMeta { requestId?: string; durationMs?: number }\n"
     b"export const logger = { info(message: string, meta?: LogMeta): void {} };\n",
     "`LogMeta`, whose keys are requestId, durationMs"),
    (b"type M = { a: string; b?: number };\nexport const logger = { info(message: string, meta?: M): void {} };\n",
     "`M` (`{ a, b }`)"),
    (b"export const logger = { info(message: string, meta?: { id: string }): void {} };\n", "`{ id }`"),
    (b"export class L { warn(message: string, context?: string) {} }\n", "`string`"),
    # open: any keys fit
    (b"export const logger = { info(message: string, meta?: Record<string, unknown>): void {} };\n", None),
    (b"export const logger = { info(message: string, meta?: { [key: string]: unknown }): void {} };\n", None),
    (b"interface M { a: string; [key: string]: unknown }\nexport const logger = { info(m: string, meta?: M) {} };\n", None),
    (b"type M = Record<string, unknown>;\nexport const logger = { info(message: string, meta?: M): void {} };\n", None),
    (b"export const logger = { info(message: string, meta: object = {}): void {} };\n", None),
    (b"export const logger = { info(message: string, ...rest: unknown[]): void {} };\n", None),
    # not read as closed: imported, extended, generic, merged
    (b"import { M } from './types';\nexport const logger = { info(message: string, meta?: M): void {} };\n", None),
    (b"interface M extends Base { a: string }\nexport const logger = { info(message: string, meta?: M) {} };\n", None),
    (b"export const logger = { info(message: string, meta?: Partial<Meta>): void {} };\n", None),
    (b"interface M { a: string }\ninterface M { b: string }\nexport const logger = { info(m: string, meta?: M) {} };\n",
     None),
    (b"export const logger = { info(message, meta) {} };\n", None),
], ids=range(15))
def test_a_closed_meta_type(text: bytes, closed: str | None) -> None:
    assert logger.closed_meta_type(text) == closed


@pytest.mark.parametrize("text,levels", [
    (b"module.exports = { info: console.log, warn: console.warn, error: console.error };\n", ("error", "info", "warn")),
    (b"exports.info = function () { console.log.apply(console, arguments); };\nexports.error = function () {};\n",
     ("error", "info")),
    (b"export const logger = { info: (m) => console.log(m), warn(m) {} };\n", ("info", "warn")),
    (b"const levels = { error: 0, warn: 1, info: 2 };\n", ()),  # winston's levels, not methods
    (b"const colors = { info: 'blue', warn: 'yellow' };\n", ()),
    (b"interface Meta { info: string; error: number }\n", ()),
], ids=range(6))
def test_level_methods_given_as_values(text: bytes, levels: tuple[str, ...]) -> None:
    assert logger.defined_levels(text) == levels


THELOUNGE_LOG = (
    '"use strict";\n\nfunction timestamp(type, messageArgs) {\n'
    "\tArray.prototype.unshift.call(messageArgs, new Date().toISOString(), type);\n\treturn messageArgs;\n}\n\n"
    'exports.error = function() {\n\tconsole.error.apply(console, timestamp("[ERROR]", arguments));\n};\n\n'
    'exports.info = function() {\n\tconsole.log.apply(console, timestamp("[INFO]", arguments));\n};\n'
)


def test_a_module_exporting_level_functions_is_the_logger(tmp_path: Path) -> None:
    """thelounge's src/log.js: required whole, it is the repository's logger and its implementation."""
    write_tree(tmp_path, {
        "package.json": '{"name":"lounge","main":"src/server.js","dependencies":{"winston":"^3.11.0"}}\n',
        "src/log.js": THELOUNGE_LOG,
        "src/server.js": '"use strict";\nconst log = require("./log");\nlog.info("The Lounge is now running");\n'
                         'exports.stop = () => log.error("stopping");\n',
    })
    repo = open_tree(tmp_path)
    assert logger.exported_levels(THELOUNGE_LOG.encode()) == ("error", "info")
    assert not logger.whole_is_namespace(repo, "src/log.js")
    convention = logger.infer(repo)[None]
    assert (convention.target, convention.imported, convention.local) == ("src/log.js", "default", "log")
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.findings  # its own console calls: the implementation, left alone (no "used as a value")
    options = {name: option.default for name, option in console_to_logger.INFO.options.items()}
    notes = console_to_logger.describe(console_to_logger.prepare(repo, options))
    assert "logger (inferred): default export of `src/log.js` as `log` (1 file(s))" in notes
    assert "left alone (the logger implementation itself): src/log.js" in notes


DB_SERVICE = {
    "services/orders/package.json": '{"name":"orders","main":"src/index.js","dependencies":{"express":"^4.19.2",'
                                    '"@prisma/client":"^5.14.0"}}\n',
    "services/orders/src/index.js": (
        "const express = require('express');\n"
        "const { PrismaClient } = require('@prisma/client');\n"
        "const log = require('./log');\n"
        "\n"
        "const prisma = new PrismaClient();\n"
        "const app = express();\n"
        "\n"
        "const start = async () => {\n"
        "  await prisma.$connect();\n"
        "  app.listen(3000, () => log.info('listening on 3000'));\n"
        "};\n"
        "\n"
        "void start();\n"
    ),
}


@pytest.mark.parametrize("definitions,warning", [
    # one argument: one string, the error's message in it
    ("info(message) { console.log(message); },\n  warn(message) { console.warn(message); },",
     "log.warn(`Starting in degraded mode: database unavailable (ALLOW_DEGRADED_MODE=true): ${error instanceof Error"),
    # (message, meta): the meta object
    ("info(message, meta) { console.log(message, meta); },\n  warn(message, meta) { console.warn(message, meta); },",
     "log.warn('Starting in degraded mode: database unavailable (ALLOW_DEGRADED_MODE=true)', { error:"),
    # a tag first: no call of fixer's fits, console warns
    ("info(module, msg) { console.log(module, msg); },\n  warn(module, msg) { console.warn(module, msg); },",
     "console.warn('Starting in degraded mode: database unavailable (ALLOW_DEGRADED_MODE=true)'"),
    # no `warn`: console warns
    ("info(message, meta) { console.log(message, meta); },\n  error(message, meta) { console.error(message, meta); },",
     "console.warn('Starting in degraded mode: database unavailable (ALLOW_DEGRADED_MODE=true)'"),
], ids=["one", "structured", "tagged", "no-warn"])
def test_db_degradation_warns_in_the_form_the_logger_takes(definitions: str, warning: str, tmp_path: Path) -> None:
    write_tree(tmp_path, {**DB_SERVICE, "services/orders/src/log.js": f"module.exports = {{\n  {definitions}\n}};\n"})
    _, run = run_on_tree("db-degradation", tmp_path)
    text = tree_after(read_tree(tmp_path), run)["services/orders/src/index.js"].decode()
    assert warning in text, text
