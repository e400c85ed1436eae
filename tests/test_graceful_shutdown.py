"""graceful-shutdown: what `fixer apply --dry-run` shows on the sample monorepo, and the
detection rules the fixture cases lean on, one small case each."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from gitrepo import fixer, make_repo
from harness import ROOT, open_tree, read_tree, run_on_tree
from fixer.parsing import typescript
from transforms import graceful_shutdown

SAMPLE = ROOT / "fixtures" / "sample-monorepo"
ENTRY_POINTS = [
    "services/admin-service/src/index.ts",
    "services/booking-service/src/index.ts",
    "services/course-service/src/index.ts",
    "services/student-auth-service/src/index.ts",
]


def _sample_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "kc", read_tree(SAMPLE))


def test_the_dry_run_on_the_sample_shows_every_entry_point_and_the_worker(tmp_path: Path) -> None:
    result = fixer("apply", "--fix", "graceful-shutdown", "--dry-run", str(_sample_repo(tmp_path)))
    assert result.returncode == 0, result.stderr.decode()
    diff = result.stdout.decode()
    changed = re.findall(r"^\+\+\+ b/(\S+)", diff, re.M)
    assert sorted(changed) == sorted(ENTRY_POINTS + [
        "env.template",  # SHUTDOWN_TIMEOUT_MS documented
        "services/admin-service/src/workers/notification.consumer.ts",
        "services/api-gateway/src/index.ts",
        "services/student-service/index.js",
    ])
    # the four `app.listen(PORT, cb)` statements keep their server; student-service already did
    assert diff.count("+const server = app.listen(PORT, () => {") == 4
    registered = re.findall(r"""^\+\s*process\.on\((['"])SIGTERM\1, \(\) => gracefulShutdown""", diff, re.M)
    assert sorted(registered) == ['"'] + ["'"] * 6  # student-auth-service writes double quotes
    # the gateway closes Socket.IO with its HTTP server and gets the shared logger
    assert "+    io.close();" in diff and "+import { logger } from '@kc/shared';" in diff
    # the worker disconnects its consumer, inside its `require.main === module` block (tabs)
    assert "+\t\t\tawait consumer.disconnect();" in diff
    # student-auth-service logs through the logger it creates
    assert "+  log.info(`Received ${signal}, shutting down gracefully`);" in diff
    assert "+SHUTDOWN_TIMEOUT_MS=8000" in diff  # (the sample's compose sets no stop_grace_period: under Docker's 10 s)
    assert b"graceful-shutdown: 8 finding(s), 8 fixed" in result.stderr


def test_applying_it_commits_one_branch(tmp_path: Path) -> None:
    repo = _sample_repo(tmp_path)
    result = fixer("apply", "--fix", "graceful-shutdown", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    files = subprocess.run(["git", "show", "--name-only", "--format=", "fixer/graceful-shutdown"], cwd=repo,
                           capture_output=True, text=True).stdout.split()
    assert len(files) == 8 and set(ENTRY_POINTS) <= set(files) and "env.template" in files


def _found_listeners(source: str, kind: str = "ts") -> list[graceful_shutdown.Listener]:
    tree = typescript.parse(source.encode(), kind)

    class File:  # what find_listeners reads
        path = f"src/index.{kind}"
        data = source.encode()

    File.tree, File.kind = tree, kind  # type: ignore[attr-defined]
    table = typescript.import_table(tree.root_node)
    return list(graceful_shutdown.find_listeners(File, table))  # type: ignore[arg-type]


def _listeners(source: str, kind: str = "ts") -> list[tuple[str, str | None]]:
    return [(l.kind, l.name) for l in _found_listeners(source, kind)]


def test_what_listen_is_called_on_decides_how_it_closes() -> None:
    # Express: listen() returns the server, which is kept under a free name
    assert _listeners("import express from 'express';\nconst server = 1;\nexpress().listen(3000);\n") == [("http", "httpServer")]
    # an http server closes itself
    assert _listeners("import { createServer } from 'http';\nconst s = createServer();\ns.listen(3000);\n") == [("http", "s")]
    # Fastify under any name, or anything whose listen() is awaited, closes with `await x.close()`
    assert _listeners("import Fastify from 'fastify';\nconst api = Fastify();\napi.listen({ port: 1 });\n") == [("fastify", "api")]
    assert _listeners("async function main() {\n  const app = await build();\n  await app.listen({ port: 1 });\n}\nmain();\n") == [("fastify", "app")]
    # Fastify's listen(options, (err, address) => …) of an app from a factory: not Express's (whose listen() it
    # would take for the server: undefined); options alone may be an http.Server's listen(options): reported
    assert _listeners("const app = buildApp();\napp.listen({ port: 1 }, (err, address) => {});\n", "js") == [("fastify", "app")]
    [listener] = _found_listeners("const app = buildApp();\napp.listen({ port: 1 });\n", "js")
    assert listener.name is None and "is given an options object" in listener.problem
    # the body of an `if` or `else` without a block: no `const server =` there, no handler after the `if`
    for code in ("const app = require('express')();\nif (process.env.NODE_ENV !== 'test') app.listen(1);\n",
                 "const app = require('express')();\nif (require.main === module) app.listen(1);\nelse app.listen(2);\n",
                 "const s = require('http').createServer();\nif (require.main !== module) ;\nelse s.listen(1);\n"):
        listeners = _found_listeners(code, "js")
        assert listeners and all(l.name is None and "without a block" in l.problem for l in listeners), code
    # not servers: Socket.IO's own listen, a router's history.listen(fn)
    assert _listeners("import { Server } from 'socket.io';\nconst io = new Server();\nio.listen(3000);\n") == []
    assert _listeners("history.listen((location) => track(location));\n", "tsx") == []


def test_only_process_on_a_signal_is_a_handler() -> None:
    # a signal sent to a child, a child's kill signal, a compared exit signal, a comment: no handler
    tree = typescript.parse(b"child.kill('SIGTERM');\nprocess.on('SIGINT', stop);\n// process.on('SIGTERM', stop)\n"
                            b"execFile('x', [], { killSignal: 'SIGTERM' }, done);\n"
                            b"child.on('exit', (code, signal) => signal === 'SIGTERM');\n", "ts")
    assert sorted(graceful_shutdown.signal_handlers(tree.root_node)) == ["SIGINT"]
    # the signal named by a loop's variable is
    tree = typescript.parse(b"const SIGNALS = ['SIGTERM'];\nfor (const s of SIGNALS) process.once(s, stop);\n", "ts")
    assert sorted(graceful_shutdown.signal_handlers(tree.root_node)) == ["SIGTERM"]
    # and so is the parameter of a helper the file calls with the signal's name (not one it never calls so)
    tree = typescript.parse(b"function onSignal(signal) {\n  process.on(signal, () => stop(signal));\n}\n"
                            b"onSignal('SIGTERM');\nconst listen = (_n, s) => process.once(s, stop);\nlisten(1, 'SIGINT');\n"
                            b"function never(signal) { process.on(signal, stop); }\nnever(name);\n", "js")
    assert {k: len(v) for k, v in graceful_shutdown.signal_handlers(tree.root_node).items()} == {"SIGTERM": 1, "SIGINT": 1}


def test_a_worker_that_is_no_entry_point_is_left_to_its_importer(tmp_path: Path) -> None:
    files = {
        "package.json": '{ "name": "svc", "main": "dist/index.js" }\n',
        "src/index.ts": "import { start } from './consumer';\nstart();\n",
        "src/consumer.ts": "import { Kafka } from 'kafkajs';\nconst consumer = new Kafka({ brokers: [] }).consumer({ groupId: 'g' });\n"
                           "export const start = () => consumer.run({ eachMessage: async () => undefined });\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    assert not run.changes
    assert [(f.path, f.fixable) for f in run.findings] == [("src/index.ts", False)]


def test_an_awaited_express_listen_still_returns_the_server() -> None:
    code = "import express from 'express';\nconst app = express();\nasync function main() {\n  await app.listen(3000);\n}\nmain();\n"
    assert _listeners(code) == [("http", "server")]


def test_servers_without_close_idle_connections_are_reported() -> None:
    # net, tls and HTTP/2 servers have no closeIdleConnections() (TS2339, a TypeError at shutdown)
    assert _listeners("import net from 'net';\nconst srv = net.createServer();\nsrv.listen(4000);\n") == [("net", None)]
    assert _listeners("import * as tls from 'node:tls';\nconst s = new tls.Server({});\ns.listen(1);\n") == [("net", None)]
    assert _listeners("import http2 from 'http2';\nconst s = http2.createSecureServer({});\ns.listen(1);\n") == [("http2", None)]
    # made and started in one expression, too
    assert _listeners("import { createServer } from 'http2';\ncreateServer().listen(1);\n") == [("http2", None)]
    # an https server has them, like an http one
    assert _listeners("import https from 'https';\nconst s = https.createServer({});\ns.listen(1);\n") == [("http", "s")]


def test_a_listen_in_a_function_runs_once_when_its_one_call_does() -> None:
    def problem(code: str, kind: str = "ts") -> str:
        [listener] = _found_listeners("import express from 'express';\nconst app = express();\n" + code, kind)
        return listener.problem
    listen = "function start() {\n  const server = app.listen(1);\n}\n"
    # a local of the same name elsewhere is not the function, nor is `typeof start` in a type
    assert problem("app.use((req, res, next) => { const start = Date.now(); next(); });\n" + listen + "start();\n") == ""
    assert problem(listen + "start();\nexport type Start = typeof start;\n") == ""
    # exported, it runs once where its one call is under the file's main-module guard; CommonJS exports too
    assert problem("export " + listen + "if (require.main === module) {\n  start();\n}\n") == ""
    assert problem(listen + "module.exports = { start };\nif (require.main === module) start();\n", "js") == ""
    # exported and called where importing runs it too, or not called at all: importers decide how often
    assert "which is exported" in problem("export " + listen + "start();\n")
    assert "which is exported" in problem(listen + "export default start;\n")
    assert "called or passed on 2 times" in problem(listen + "if (require.main === module) { start(); start(); }\n")


def test_an_untyped_let_is_no_place_for_the_server_in_typescript() -> None:
    # `let server;` (or `= null`) is an implicit any to the handler's closures: TS7034
    for declaration in ("let server;", "let server = null;", "let server = undefined;"):
        code = f"import express from 'express';\n{declaration}\nfunction main() {{\n  server = express().listen(1);\n}}\nmain();\n"
        [listener] = _found_listeners(code)
        assert listener.name is None and "declared without a type" in listener.problem, declaration
    # with a type it is reachable; in JavaScript the untyped one is fine
    assert _listeners("import express from 'express';\nimport type { Server } from 'http';\nlet server: Server;\n"
                      "function main() {\n  server = express().listen(1);\n}\nmain();\n") == [("http", "server")]
    assert _listeners("const express = require('express');\nlet server;\nserver = express().listen(1);\n", "js") == [("http", "server")]


def test_an_awaited_listen_of_an_app_made_elsewhere() -> None:
    # its value used as an http.Server: an Express app, whose server closes (Fastify's resolves to a string)
    code = "async function main() {\n  const app = createApp();\n  const server = await app.listen(3000);\n  server.address();\n}\nmain();\n"
    assert _listeners(code) == [("http", "server")]
    # nothing to tell Express from Fastify or Nest: reported, not `await app.close()` (TS2339 on Express)
    [listener] = _found_listeners("async function main() {\n  const app = createApp();\n  await app.listen(3000);\n}\nmain();\n")
    assert listener.name is None and "cannot tell whether it is a Fastify/Nest instance" in listener.problem
    # Nest's factory says what it is
    assert _listeners("import { NestFactory } from '@nestjs/core';\nasync function main() {\n"
                      "  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nmain();\n") == [("nest", "app")]


def test_tsconfig_with_comments_trailing_commas_and_relative_extends() -> None:
    """Which projects forbid `process.env.X` (noPropertyAccessFromIndexSignature, TS4111): the nearest
    tsconfig.json decides, over the configs it extends by relative path (a published preset only when
    it is known to set the option: @tsconfig/strictest)."""
    files = {
        "tsconfig.base.json": b'\xef\xbb\xbf{\n  // "//" in a string is no comment\n  "compilerOptions": {\n'
                              b'    "baseUrl": "http://x//y", /* on */ "noPropertyAccessFromIndexSignature": true,\n  },\n}\n',
        "services/a/tsconfig.json": b'{ "extends": "../../tsconfig.base" }',  # `.json` added, as tsc does
        "services/b/tsconfig.json": b'{ "extends": ["../../tsconfig.base.json"], "compilerOptions": '
                                    b'{ "noPropertyAccessFromIndexSignature": false } }',
        "services/c/tsconfig.json": b'{ "extends": "@tsconfig/strictest/tsconfig.json" }',
        "services/d/tsconfig.json": b'{ "extends": "./tsconfig.json" }',  # a cycle: nothing learned
        "services/a/tools/tsconfig.json": b'{ "extends": "../tsconfig.json", "compilerOptions": { "checkJs": true } }',
    }
    projects = typescript.env_bracket_projects(files, files.get)
    assert projects["services/a"] == ("ts", "tsx") and projects["services/a/tools"] == ("ts", "tsx", "js")
    assert projects["services/b"] == projects["services/d"] == () and projects["services/c"] == ("ts", "tsx")
    required = [(path, kind) for path, kind in [("services/a/src/index.ts", "ts"), ("services/a/src/index.js", "js"),
                                                ("services/a/tools/seed.js", "js"), ("services/b/src/index.ts", "ts"),
                                                ("services/e/src/index.ts", "ts"), ("index.ts", "ts")]
                if typescript.env_brackets_required(path, kind, projects)]
    assert required == [("services/a/src/index.ts", "ts"), ("services/a/tools/seed.js", "js")]
    assert typescript.jsonc_loads(b'{ "a": [1, 2,], }') == {"a": [1, 2]} and typescript.jsonc_loads(b"{") is None


def _write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


ENTRY = ("const express = require('express')\nconst app = express()\n{listen}\nmodule.exports = app\n")
LOADS_THE_ENTRY = ("const http = require('http')\nconst app = require('./server')\n"
                   "http.createServer(app).listen(8080)\n")


def test_a_module_that_loads_the_entry_point_gets_no_second_handler(tmp_path: Path) -> None:
    """server.js (package.json's main) registers its handler when loaded; admin.js requires it, so
    `node admin.js` already runs that handler: a second one in admin.js would exit under it (or it
    under the second one) mid-drain. admin.js is reported, and server.js's finding points at it."""
    _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n',
                      "server.js": ENTRY.format(listen="app.listen(3000)"), "admin.js": LOADS_THE_ENTRY})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    assert sorted(run.changes) == ["server.js"]
    findings = {f.path: f for f in run.findings}
    assert not findings["admin.js"].fixable and "loads server.js" in findings["admin.js"].message
    assert "it does not close what admin.js starts when that loads this file" in findings["server.js"].message


def test_an_entry_point_that_listens_only_as_the_main_module_leaves_its_importer_a_handler(tmp_path: Path) -> None:
    """Under `require.main === module` the entry's server and handler stay off when another file
    loads it: that file's process has no handler but its own, so it gets one."""
    _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n',
                      "server.js": ENTRY.format(listen="if (require.main === module) {\n  app.listen(3000)\n}"),
                      "admin.js": LOADS_THE_ENTRY})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    assert sorted(run.changes) == ["admin.js", "server.js"]


def test_a_module_that_loads_an_entry_point_already_handled_is_reported_not_taken_as_handled(tmp_path: Path) -> None:
    """The second run of the case above: server.js's own handler closes only server.js's servers,
    so admin.js, which loads it, is not handled by it (its server would be cut): reported."""
    handled = ENTRY.format(listen="const server = app.listen(3000)\n"
                                  "process.on('SIGTERM', () => server.close(() => process.exit(0)))")
    _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n', "server.js": handled,
                      "admin.js": LOADS_THE_ENTRY})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    assert not run.changes
    assert [(f.path, f.fixable) for f in run.findings] == [("admin.js", False)]
    assert "SIGTERM handler at server.js:4 has to close" in run.findings[0].message


WORKER_LOADING_THE_ENTRY = ("const { Kafka } = require('kafkajs')\nconst app = require('./server')\n"
                            "const consumer = new Kafka({ brokers: [] }).consumer({ groupId: 'g' })\n"
                            "consumer.run({ eachMessage: async () => undefined })\n")


def test_a_worker_run_on_its_own_that_loads_the_entry_point_gets_no_second_handler(tmp_path: Path) -> None:
    """worker.js (a package.json script) requires server.js, the entry, whose handler it then runs
    too: a second handler in worker.js would race it. Reported, on the first run and the second."""
    _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js", "scripts": { "worker": "node worker.js" } }\n',
                      "server.js": ENTRY.format(listen="app.listen(3000)"), "worker.js": WORKER_LOADING_THE_ENTRY})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    assert sorted(run.changes) == ["server.js"]
    (worker,) = [f for f in run.findings if f.path == "worker.js"]
    assert not worker.fixable and "runs Kafka consumer consumer and loads server.js" in worker.message
    (tmp_path / "server.js").write_bytes(run.changes["server.js"].after)
    _, second = run_on_tree("graceful-shutdown", tmp_path)
    assert not second.changes
    assert [(f.path, f.fixable) for f in second.findings] == [("worker.js", False)]
    assert "SIGTERM handler at server.js:" in second.findings[0].message


def test_a_listen_on_an_object_it_cannot_place_starts_a_server_only_when_given_a_port(tmp_path: Path) -> None:
    """`bus.listen()`, `bus.listen('feature-created')` of an object made elsewhere subscribe; given a port,
    a `port` member or listen options by name (`config.listen`), the same call starts a server."""
    for listen, server in (("service.listen()", False), ("service.listen('feature-created')", False),
                           ("service.listen(config.listen, () => undefined)", True), ("service.listen(reporter)", False),
                           ("service.listen(config.httpPort)", True), ("service.listen(8080)", True),
                           ("new Lifecycle().listen()", False), ("new Lifecycle().listen(process.env.PORT)", True)):
        code = ("const { make, Lifecycle } = require('@acme/services')\nconst config = {}\n"
                f"const service = make()\n{listen}\n")
        _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n', "server.js": code})
        _, run = run_on_tree("graceful-shutdown", tmp_path)
        assert bool(run.findings) is server, listen


def test_a_handler_closing_what_a_class_listen_returns_is_found_through_a_named_function(tmp_path: Path) -> None:
    """`process.on('SIGTERM', shutdown)` whose `shutdown` closes `server = new App().listen()`: App's
    module (`./app`, `@/app`) is credited; a class of a package is not one of the repository's."""
    code = ("import App from '@/app'\nimport { Other } from 'other'\n\nconst server = new App().listen()\n"
            "const other = new Other().listen()\n\nfunction shutdown() {\n  server.close()\n  other.close()\n}\n"
            "process.on('SIGTERM', shutdown)\n")
    _write(tmp_path, {"package.json": '{ "name": "api" }\n', "src/server.ts": code,
                      "tsconfig.json": '{ "compilerOptions": { "baseUrl": "src", "paths": { "@/*": ["*"] } } }\n'})
    source = open_tree(tmp_path).file("src/server.ts")
    facts = graceful_shutdown.sigterm_facts(source)
    assert facts[5] == (("@/app", "default"), ("other", "Other"))
    repo = open_tree(tmp_path)
    assert graceful_shutdown.resolve_specifier(repo, "src/server.ts", "@/app") is None  # no src/app.ts yet
    (tmp_path / "src" / "app.ts").write_text("export default class App {}\n")
    repo = open_tree(tmp_path)
    assert graceful_shutdown.resolve_specifier(repo, "src/server.ts", "@/app") == "src/app.ts"
    assert graceful_shutdown.resolve_specifier(repo, "src/server.ts", "app") == "src/app.ts"  # baseUrl
    assert graceful_shutdown.resolve_specifier(repo, "src/server.ts", "./app") == "src/app.ts"
    assert graceful_shutdown.resolve_specifier(repo, "src/server.ts", "other") is None


def test_a_class_whose_own_handler_closes_the_server_it_listens_with_drains_it(tmp_path: Path) -> None:
    """A handler registered in a class's method is credited when it closes the class's listening server,
    itself or through the class's methods it calls (`this.stop.bind(this)`, `() => this.destroy()`);
    not when it closes something else, nor when the method it calls closes nothing."""
    body = ("  httpServer = createServer()\n  other = createServer()\n"
            "  listen() {{\n    process.on('SIGTERM', {handler})\n    this.httpServer.listen(3000)\n  }}\n"
            "  stop() {{ this.httpServer.close() }}\n  flush() {{ this.other.close() }}\n"
            "  destroy() {{ return this.stop() }}\n")
    for handler, drains in (("() => this.httpServer.close()", True), ("this.stop.bind(this)", True),
                            ("async () => { await this.destroy() }", True), ("this.flush", False),
                            ("() => this.other.close()", False), ("() => process.exit(0)", False)):
        code = ("import { createServer } from 'http'\nexport default class App {\n" + body.format(handler=handler)
                + "}\n")
        _write(tmp_path, {"package.json": '{ "name": "api" }\n', "src/app.ts": code})
        facts = graceful_shutdown.sigterm_facts(open_tree(tmp_path).file("src/app.ts"))
        assert facts[6] == (("App", "default") if drains else ()), handler


def test_a_fastify_instance_made_with_a_logger_logs_through_it_where_the_repository_has_none(tmp_path: Path) -> None:
    """`app.log` is Fastify's pino logger when the `logger` (or `loggerInstance`) option is set to
    one; `logger: false`, no option, or a value fixer cannot see (a parameter) leave console: there
    `app.log` may be the no-op logger, which would drop the messages."""
    for options, declared, log in (("{ logger: true }", "", "app.log"),
                                   ("{ logger: { level: 'info' } }", "", "app.log"),
                                   ("{ logger }", "const logger = { level: 'warn' }\n", "app.log"),
                                   ("{ logger: config }", "const config = true\n", "app.log"),
                                   ("{ loggerInstance: pino() }", "const pino = require('pino')\n", "app.log"),
                                   ("{ logger: logging }", "const { logging } = require('./options')\n", "app.log"),
                                   ("{ logger: false }", "", "console"), ("", "", "console"),
                                   ("{ logger: quiet }", "const quiet = false\n", "console"),
                                   ("{ trustProxy: true }", "", "console")):
        code = (f"const Fastify = require('fastify')\n{declared}const app = Fastify({options})\n"
                "app.listen({ port: 3000 }, (err) => { if (err) process.exit(1) })\n")
        _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n', "server.js": code})
        _, run = run_on_tree("graceful-shutdown", tmp_path)
        after = run.changes["server.js"].after.decode()
        assert f"  {log}.info(`Received ${{signal}}" in after and f"    {log}.error(" in after, options
        assert ("console." in after) is (log == "console"), options


def test_a_logger_of_the_repository_comes_before_the_instance_logger(tmp_path: Path) -> None:
    code = ("const Fastify = require('fastify')\nconst logger = require('./logger')\n"
            "const app = Fastify({ logger: true })\nlogger.info('up')\n"
            "app.listen({ port: 3000 }, (err) => { if (err) process.exit(1) })\n")
    _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n', "server.js": code,
                      "logger.js": "module.exports = require('pino')()\n"})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    after = run.changes["server.js"].after.decode()
    assert "  logger.info(`Received ${signal}" in after and "app.log.info" not in after


def _listeners_in_service(source: str, dependencies: dict[str, str], kind: str = "ts") -> list[tuple[str, str | None, str]]:
    """find_listeners on `source` in a service whose package.json has `dependencies`: (kind, name, problem)."""
    tree = typescript.parse(source.encode(), kind)

    class Service:
        dir, package = "services/api", {"dependencies": dependencies}

    class File:  # what find_listeners reads
        path = f"services/api/src/index.{kind}"
        data = source.encode()
        service = Service

    File.tree, File.kind = tree, kind  # type: ignore[attr-defined]
    table = typescript.import_table(tree.root_node)
    return [(l.kind, l.name, l.problem) for l in graceful_shutdown.find_listeners(File, table)]  # type: ignore[arg-type]


def test_an_app_s_kind_comes_from_what_the_file_imports_or_the_service_depends_on() -> None:
    """`.listen(port).then(…)` was taken for Fastify whatever the app: a Feathers 5 app got `await app.close()`,
    which it has no (TypeError on SIGTERM, exit 1 without draining). The kind comes from evidence."""
    then = "import { app } from './app'\napp.listen(3030).then(() => console.log('up'))\n"
    # nothing shows whose promise it is: reported, not guessed
    [(kind, name, problem)] = _listeners_in_service(then, {})
    assert name is None and "returns a promise, but fixer cannot tell whose" in problem, kind
    # the service's dependencies say: Feathers 5 closes with teardown(), Fastify and Nest with close()
    assert _listeners_in_service(then, {"@feathersjs/express": "^5.0.31"}) == [("feathers", "app", "")]
    assert _listeners_in_service(then, {"fastify": "^4.0.0"}) == [("fastify", "app", "")]
    assert _listeners_in_service(then, {"@nestjs/core": "^10.0.0", "fastify": "^4.0.0"}) == [("nest", "app", "")]
    # Feathers next to another framework: which one `app` is is not known
    assert _listeners_in_service(then, {"@feathersjs/express": "^5.0.0", "fastify": "^4.0.0"})[0][1] is None
    # what the file imports comes first
    typed = "import type { FastifyInstance } from 'fastify'\n" + then
    assert _listeners_in_service(typed, {"@feathersjs/express": "^5.0.0"})[0][:2] == ("fastify", "app")
    assert _listeners_in_service(typed, {})[0][:2] == ("fastify", "app")
    # an app made in the file by @feathersjs/express: its version is the service's
    made = ("import { feathers } from '@feathersjs/feathers'\nimport express from '@feathersjs/express'\n"
            "const app = express(feathers())\napp.listen(3030).then(() => console.log('up'))\n")
    assert _listeners_in_service(made, {"@feathersjs/feathers": "^5.0.31", "@feathersjs/express": "file:./express"}) \
        == [("feathers", "app", "")]
    [(_kind, name, problem)] = _listeners_in_service(made, {})
    assert name is None and "whose version its service's package.json does not show" in problem
    # Feathers 4's listen() returns the http.Server, as Express's and Koa's do
    four = made.replace(".then(() => console.log('up'))", "")
    assert _listeners_in_service(four, {"@feathersjs/express": "^4.5.15"}) == [("http", "server", "")]
    koa = "import Koa from 'koa'\nconst app = new Koa()\napp.listen(3000)\n"
    assert _listeners_in_service(koa, {"koa": "^2.0.0"}) == [("http", "server", "")]
    # `x.listen(port)` of something made in another module of a Feathers 5 service: its app (kept as a server, the
    # promise's `server.on` was a TypeError) or an http.Server: reported
    [(_kind, name, problem)] = _listeners_in_service("import { app } from './app'\napp.listen(3030)\n",
                                                     {"@feathersjs/express": "^5.0.0"})
    assert name is None and "may be its service's Feathers app" in problem
    # a Feathers Koa app: reported
    koa_feathers = made.replace("@feathersjs/express", "@feathersjs/koa").replace("express(", "koa(").replace(
        "import express", "import koa")
    [(_kind, name, problem)] = _listeners_in_service(koa_feathers, {"@feathersjs/koa": "^5.0.0"})
    assert name is None and "Feathers Koa app" in problem


def _handed_on_finding(tmp_path: Path, body: str) -> tuple[list[str], str]:
    head = "const http = require('http')\nconst express = require('express')\nconst app = express()\n"
    _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n', "server.js": head + body})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    [finding] = [f for f in run.findings if f.path == "server.js"]
    return sorted(run.changes), finding.message


def test_a_server_handed_to_another_module_s_function_is_reported_with_the_callee(tmp_path: Path) -> None:
    """A server given to a call that may attach to it (ParseServer's LiveQuery, a WebSocket server by
    `{ server }`, `attach(server)`) got a handler closing the server alone: the upgraded sockets held its
    close() open until the forced exit (exit 1 on every SIGTERM with a client connected). Reported, the
    callee named; the server's own methods, logging, `events.once` and Socket.IO's `new Server(server)`
    (which the handler closes with `io.close()`) still get the handler."""
    listen = "const server = http.createServer(app)\nserver.listen(3000)\n"
    for i, (attach, callee) in enumerate([
            ("const { attach } = require('live')\nattach(server)\n", "attach()"),
            ("const Primus = require('primus')\nconst primus = new Primus(server, {})\n", "new Primus()"),
            ("const { SubscriptionServer } = require('subscriptions-transport-ws')\n"
             "SubscriptionServer.create({ schema: 1 }, { server: server, path: '/gql' })\n", "SubscriptionServer.create()"),
            ("require('./sockets')([server])\n", "require('./sockets')()"),
            ("const io = require('socket.io')\nio.listen(server).on('connection', () => {})\n", "io.listen()"),
    ]):
        changes, message = _handed_on_finding(tmp_path / str(i), listen + attach)
        assert changes == [] and f"the server server is handed to {callee} on line {5 + attach.count(chr(10))}" in message, (attach, message)
    harmless = ("const { once } = require('events')\nconst { Server } = require('socket.io')\n"
                "const io = new Server(server)\nconsole.log('up', server)\nserver.on('error', (e) => console.error(e))\n"
                "once(server, 'listening').then(() => console.info(server.address()))\n")
    changes, message = _handed_on_finding(tmp_path / "harmless", listen + harmless)
    assert changes == ["server.js"] and "closes server, io" in message, message
    # a same-named variable in another function is another server
    other = "function log(server) { report(server) }\n"
    changes, _ = _handed_on_finding(tmp_path / "other", "function boot() {\n  " + listen.replace("\n", "\n  ") + "}\nboot()\n" + other)
    assert changes == ["server.js"]


def test_a_hapi_server_composed_by_glue_is_a_hapi_server() -> None:
    """`await Glue.compose(manifest, options)` of @hapi/glue (the documented manifest layout) resolves to a hapi
    Server, but only `Hapi.server(…)` was taken for one: no finding, no edit, no reason. What a `then()` callback's
    parameter is comes from the promise it is given to; a started server a handler could not follow is reported."""
    awaited = ("const Glue = require('@hapi/glue')\nasync function main() {\n  const server = await Glue.compose({})\n"
               "  await server.start()\n}\nmain()\n")
    assert _listeners_in_service(awaited, {}, "js") == [("hapi", "server", "")]
    then = ("import { compose } from '@hapi/glue'\nimport type { Server } from '@hapi/hapi'\n"
            "compose({}).then(async (srv: Server) => {\n  await srv.start()\n})\n")
    assert _listeners_in_service(then, {}) == [("hapi", "srv", "")]
    legacy = "const Glue = require('glue')\nGlue.compose({}).then((server) => {\n  server.start()\n})\n"
    assert _listeners_in_service(legacy, {}, "js") == [("hapi", "server", "")]
    # a parameter of another function is not what the promise resolves to; nor is a Glue call other than compose()
    inner = ("const Glue = require('@hapi/glue')\nGlue.compose({}).then(async (server) => {\n"
             "  function run(server) {\n    server.start()\n  }\n  run(other)\n})\n")
    assert _listeners_in_service(inner, {}, "js") == []
    assert _listeners_in_service("const Glue = require('@hapi/glue')\nconst x = Glue.other({})\nx.start()\n", {}, "js") == []
    assert _listeners_in_service("load({}).then((server) => {\n  server.start()\n})\n", {}, "js") == []
    # no block in the callback: reported with what to write
    [(kind, name, problem)] = _listeners_in_service(
        "const Glue = require('@hapi/glue')\nGlue.compose({}).then((server) => server.start())\n", {}, "js")
    assert (kind, name) == ("hapi", None) and "`{ await server.start(); }` in an async callback" in problem
    # a server started by a `return`: the handler went after it, where it is never registered
    returned = ("const Glue = require('@hapi/glue')\nGlue.compose({}).then(function (server) {\n"
                "  return server.start()\n})\n")
    [(kind, name, problem)] = _listeners_in_service(returned, {}, "js")
    assert (kind, name) == ("hapi", None) and "is started by a `return` statement" in problem
    http = ("const http = require('http')\nfunction start() {\n  const server = http.createServer()\n"
            "  return server.listen(3000)\n}\nstart()\n")
    [(kind, name, problem)] = _listeners_in_service(http, {}, "js")
    assert (kind, name) == ("http", None) and "is started by a `return` statement" in problem


def test_a_registration_chained_on_process_is_a_handler() -> None:
    """Ghost registers `process.removeAllListeners('SIGINT').on('SIGINT', fn).removeAllListeners('SIGTERM')
    .on('SIGTERM', fn)`: on/once/removeAllListeners/off/setMaxListeners return process, so a registration on
    such a chain is one on process; the object was required to be the bare `process` and a second handler
    was inserted. A chain rooted at another emitter (or at something that only looks like process) is not."""
    def handled(source: str) -> list[str]:
        tree = typescript.parse(source.encode(), "ts")
        return sorted(graceful_shutdown.signal_handlers(tree.root_node))

    assert handled("process\n  .removeAllListeners('SIGINT').on('SIGINT', stop)\n"
                   "  .removeAllListeners('SIGTERM').on('SIGTERM', stop);\n") == ["SIGINT", "SIGTERM"]
    assert handled("process.on('SIGINT', stop).once('SIGTERM', stop);\n") == ["SIGINT", "SIGTERM"]
    assert handled("(process as NodeJS.Process).setMaxListeners(0).prependOnceListener('SIGTERM', stop);\n") == ["SIGTERM"]
    assert handled("globalThis.process.on('SIGTERM', stop);\nglobal.process.on('SIGINT', stop);\n") == ["SIGINT", "SIGTERM"]
    assert handled("require('node:process').off('SIGTERM', old).on('SIGTERM', stop);\n") == ["SIGTERM"]
    # not process: another emitter, a property named process, a call that returns something else
    assert handled("child.on('exit', done).on('SIGTERM', stop);\n") == []
    assert handled("worker.process.on('SIGTERM', stop);\n") == []
    assert handled("process.emit('x').on('SIGTERM', stop);\nprocess.nextTick(f).on('SIGTERM', stop);\n") == []
    assert handled("require('events').on('SIGTERM', stop);\n") == []


def test_a_hook_that_only_re_sends_the_signal_is_no_handler() -> None:
    """node-media-server's store flushes, removes its hook and re-sends the signal: it drains nothing and was taken
    for the service's shutdown handler (advice: close the HTTP server in that flush hook). A hook that re-sends the
    signal synchronously and removes no other handler is none; one that re-sends it once something closed
    (in a callback, after an await), or that removes every handler first, still counts."""
    def handled(source: str) -> list[str]:
        tree = typescript.parse(source.encode(), "js")
        return sorted(graceful_shutdown.signal_handlers(tree.root_node))

    store = ("class Store {\n  constructor() {\n    this.onSignal = (signal) => {\n      this.flushSync();\n"
             "      process.removeListener('SIGTERM', this.onSignal);\n      process.kill(process.pid, signal);\n    };\n"
             "  }\n  open() {\n    process.on('SIGINT', this.onSignal);\n    process.on('SIGTERM', this.onSignal);\n  }\n}\n")
    assert handled(store) == []
    assert handled("function reraise(s) { flush(); process.kill(process.pid, s) }\nprocess.once('SIGTERM', reraise);\n") == []
    assert handled("process.once('SIGTERM', (s) => process.kill(process.pid, s));\n") == []
    # drains first: a shutdown handler
    assert handled("process.once('SIGTERM', (s) => { server.close(() => process.kill(process.pid, s)) });\n") == ["SIGTERM"]
    assert handled("process.once('SIGTERM', async (s) => { await db.end(); process.kill(process.pid, s) });\n") == ["SIGTERM"]
    # removes the others' handlers too: the re-sent signal kills the process, nothing beside it can drain
    assert handled("process.on('SIGTERM', (s) => { process.removeAllListeners(s); process.kill(process.pid, s) });\n") == ["SIGTERM"]
    # signals another process: a handler
    assert handled("process.on('SIGTERM', (s) => { child.kill(s); process.kill(child.pid, s) });\n") == ["SIGTERM"]


def test_what_listen_returns_is_the_server_only_where_it_is_known_to_be() -> None:
    """tRPC 10's `createHTTPServer(…).listen(3000)` returns `{ port }` and polka's listen() the app: kept as the
    server (`const server = ….listen(3000); server.on(…)`), the service crashed at start-up."""
    trpc = ("import { createHTTPServer } from '@trpc/server/adapters/standalone'\n"
            "createHTTPServer({ router }).listen(3000)\n")
    [(kind, name, problem)] = _listeners_in_service(trpc, {"@trpc/server": "^10.45.2"})
    assert (kind, name) == ("trpc-10", None) and "returns `{ port }`" in problem
    [(kind, name, problem)] = _listeners_in_service(trpc, {})
    assert (kind, name) == ("trpc-version", None) and "does not show" in problem
    [(kind, name, _problem)] = _listeners_in_service(trpc, {"@trpc/server": "^11.0.0"})
    assert (kind, name) == ("http", "server")  # 11's listen() returns the http.Server: kept
    held = ("import { createHTTPServer } from '@trpc/server/adapters/standalone'\n"
            "const server = createHTTPServer({ router })\nserver.listen(3000)\n")
    assert _listeners_in_service(held, {"@trpc/server": "~11.1.0"}) == [("http", "server", "")]
    polka = "const polka = require('polka')\npolka().get('/', h).listen(3000)\n"
    [(kind, name, problem)] = _listeners_in_service(polka, {}, "js")
    assert (kind, name) == ("polka", None) and "`app.server`" in problem
    made = "const makeApp = require('./app')\nconst app = makeApp()\napp.listen(PORT)\n"
    [(kind, name, problem)] = _listeners_in_service(made, {"polka": "^0.5.2"}, "js")
    assert (kind, name) == ("unknown-listen:polka", None) and "uses polka" in problem
    assert _listeners_in_service(made, {"express": "^4.19.0"}, "js") == [("http", "server", "")]


def test_hono_s_serve_starts_a_server() -> None:
    """@hono/node-server's `serve({ fetch, port })` returns the http.Server it listens on: a server start,
    not only `.listen(`; another library's `serve()` is none."""
    kept = "const { serve } = require('@hono/node-server')\nconst server = serve({ fetch: app.fetch, port: 3000 })\n"
    assert _listeners_in_service(kept, {}, "js") == [("http", "server", "")]
    spaced = "import * as node from '@hono/node-server'\nnode.serve({ fetch: app.fetch, port: 3000 })\n"
    assert _listeners_in_service(spaced, {}, "js") == [("http", "server", "")]
    assert _listeners_in_service("import { serve } from 'bun'\nserve({ fetch, port: 3000 })\nstatic.serve(dir)\n", {}) == []
    typed = "import { serve, type ServerType } from '@hono/node-server'\nconst server: ServerType = serve(app)\n"
    [(kind, name, problem)] = _listeners_in_service(typed, {})
    assert (kind, name) == ("http", None) and "union of http and HTTP/2 servers" in problem


def test_which_services_may_run_a_node_without_close_idle_connections(tmp_path: Path) -> None:
    """closeIdleConnections() is Node 18.2+ (and @types/node 18+): an image `FROM node:16`, engines below 18, an
    .nvmrc naming an older Node or an older @types/node make the handler call it only where it exists."""
    ranges = {">=10": (10, 0), "^16.18.126": (16, 18), "14 || 16 || 18": (14, 0), "14 - 20": (14, 0), "<20": (0, 0),
              ">=18.20.4": (18, 20), "latest": (99, 0), "*": (0, 0)}
    assert {r: graceful_shutdown._lowest(r) for r in ranges} == ranges
    tags = {"16-alpine": True, "18.1.0": True, "gallium": True, "18": False, "20-slim": False, "hydrogen": False, "": False}
    assert {t: graceful_shutdown._too_old(t) for t in tags} == tags
    files = {
        "services/a/package.json": '{"name": "a", "engines": {"node": ">=18"}, "devDependencies": {"@types/node": "^20.0.0"}}\n',
        "services/a/.nvmrc": "v16.20.2\n",
        "services/b/package.json": '{"name": "b", "devDependencies": {"@types/node": "16.18.0"}}\n',
        "services/c/package.json": '{"name": "c", "engines": {"node": ">=18.0.0"}}\n',
        "services/c/Dockerfile": "FROM node:16 AS build\nRUN npm ci\nFROM node:20-alpine\nCOPY --from=build /app /app\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    found = graceful_shutdown.old_node(open_tree(tmp_path))
    assert found == (("services/a", "services/a/.nvmrc names Node v16.20.2", ""),
                     ("services/b", "", "its @types/node is 16.18.0")), found


def test_an_amqplib_consumer_beside_a_server_is_closed_channel_first_and_named(tmp_path: Path) -> None:
    """amqplib (the promise API) in a file that runs a server: the channel, then its connection, after the server; the
    finding says close() requeues the message in progress. A channel only published on is no consumer."""
    _write(tmp_path, {"package.json": '{ "name": "api", "main": "server.js" }\n', "server.js": (
        "const express = require('express')\nconst amqp = require('amqplib')\n\nasync function main() {\n"
        "  const connection = await amqp.connect(process.env.AMQP_URL)\n  const channel = await connection.createChannel()\n"
        "  await channel.consume('mail', (message) => channel.ack(message))\n"
        "  const app = express()\n  const server = app.listen(3000)\n}\n\nmain()\n")})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    [finding] = run.findings
    after = run.changes["server.js"].after.decode()
    assert after.index("await channel.close()") < after.index("await connection.close()"), after
    assert "it closes the amqplib consumer channel (created in main()) without letting its work in progress" in finding.message
    assert "close() alone requeues a message in progress" in finding.message


def test_a_typescript_bullmq_worker_under_a_main_guard_closes_its_workers_before_their_connection(tmp_path: Path) -> None:
    """A BullMQ worker entry in TypeScript: the handler goes inside the main-module guard and closes the Worker and
    QueueEvents before the ioredis connection they were given (BullMQ does not close a connection it was given)."""
    _write(tmp_path, {"package.json": '{ "name": "jobs", "main": "dist/worker.js" }\n', "src/worker.ts": (
        "import { Worker, QueueEvents } from 'bullmq';\nimport IORedis from 'ioredis';\n\n"
        "const connection = new IORedis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });\n"
        "const events = new QueueEvents('emails', { connection });\n\n"
        "if (require.main === module) {\n  const worker = new Worker('emails', async () => 1, { connection });\n"
        "  worker.on('failed', () => undefined);\n}\n")})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    assert [f.fixable for f in run.findings] == [False], [f.message for f in run.findings]
    assert "BullMQ worker worker (created in" not in run.findings[0].message  # (an if block is no function)
    assert "worker: await its close()" in run.findings[0].message
    top = ("import { Worker, QueueEvents } from 'bullmq';\nimport IORedis from 'ioredis';\n\n"
           "const connection = new IORedis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });\n"
           "const events = new QueueEvents('emails', { connection });\n"
           "const worker = new Worker('emails', async () => 1, { connection });\n\n"
           "if (require.main === module) {\n  worker.on('failed', () => undefined);\n}\n")
    _write(tmp_path, {"src/worker.ts": top})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    [finding] = run.findings
    assert finding.fixable and "closes worker, events, connection" in finding.message, finding.message
    after = run.changes["src/worker.ts"].after.decode()
    guard = after.index("if (require.main === module) {")
    assert guard < after.index("process.on('SIGTERM'"), after
    assert after.index("await worker.close();") < after.index("await events.close();") < after.index("await connection.quit();")


# --- session 18 (r10): frameworks that trap the signals, servers that are not http.Servers ---------------------------


def test_the_notes_name_a_sigterm_handler_a_framework_registers(tmp_path: Path) -> None:
    """The commit body's "files that already register a SIGTERM handler" named none where Nest's
    `app.enableShutdownHooks()` (or a Moleculer ServiceBroker) registers one: it names them, with whose."""
    _write(tmp_path, {
        "services/orders/package.json": '{ "name": "orders", "main": "dist/main.js", "dependencies": '
                                        '{ "@nestjs/core": "^10.4.15", "moleculer": "^0.14.35" } }\n',
        "services/orders/src/main.ts": (
            "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\n"
            "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n"
            "  app.enableShutdownHooks();\n  await app.listen(3000);\n}\nbootstrap();\n"),
        "services/orders/src/broker.ts": "import { ServiceBroker } from 'moleculer';\n\nexport const broker = new ServiceBroker();\n",
        "services/orders/src/app.module.ts": "export class AppModule {}\n"})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    assert not run.findings, [f.message for f in run.findings]
    [handled] = [note for note in run.notes if note.startswith("files that already register a SIGTERM handler")]
    assert "services/orders/src/main.ts:6 (Nest's enableShutdownHooks())" in handled, handled
    assert "services/orders/src/broker.ts:3 (Moleculer's ServiceBroker)" in handled, handled


def test_a_broker_that_traps_nothing_is_stopped_by_the_handler_and_one_that_traps_is_the_handler(tmp_path: Path) -> None:
    """`skipProcessEventRegistration: true`: the broker registers no handler, the file gets one that stops it (each
    service's stopped()) after its server; an option fixer cannot read is taken to trap (reported, no second handler)."""
    index = ("const { ServiceBroker } = require('moleculer')\nconst express = require('express')\n\n"
             "const broker = new ServiceBroker({OPTIONS})\nconst app = express()\nconst server = app.listen(3000)\n"
             "broker.start()\n")
    package = '{ "name": "gw", "main": "index.js", "dependencies": { "moleculer": "^0.14.35", "express": "^4.21.0" } }\n'
    _write(tmp_path, {"package.json": package, "index.js": index.replace("{OPTIONS}", "{ skipProcessEventRegistration: true }")})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    [finding] = run.findings
    after = run.changes["index.js"].after.decode()
    assert finding.fixable and after.index("await closing") < after.index("await broker.stop()"), after
    _write(tmp_path, {"index.js": index.replace("{OPTIONS}", "{ skipProcessEventRegistration: process.env.SKIP === '1' }")})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    [finding] = run.findings
    assert not finding.fixable and "the Moleculer ServiceBroker made at index.js:4 does not close" in finding.message


def test_the_checklist_credits_a_moleculer_broker_and_moleculer_runner(tmp_path: Path) -> None:
    """The readiness checklist's SIGTERM item: a service run by `moleculer-runner`, or whose code makes a ServiceBroker
    that traps the signals, handles SIGTERM (it said ❌ "no SIGTERM handler"); `skipProcessEventRegistration: true`
    registers none."""
    from fixer import checklist, config as config_mod
    from fixer.repo import DirectorySource, Repo
    from fixer.runner import run_fixes
    from transforms import registry

    def item(root: Path, files: dict[str, str]) -> checklist.Item:
        _write(root, files)
        modules = registry()
        repo = Repo(root, DirectorySource(root), config_mod.load(root, modules))
        runs = run_fixes(repo, [(modules["graceful-shutdown"], {})], findings_only=True)
        return checklist.build(repo, runs, {"graceful-shutdown"}).item("res.shutdown")

    dockerfile = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]\n"
    runner = item(tmp_path / "runner", {
        "services/gateway/package.json": '{ "name": "gateway", "scripts": { "start": "moleculer-runner" }, '
                                         '"dependencies": { "moleculer": "^0.14.35" } }\n',
        "services/gateway/Dockerfile": dockerfile,
        "services/gateway/services/metrics.service.js": (
            "const http = require('http')\nmodule.exports = {\n  name: 'metrics',\n  async started() {\n"
            "    this.server = http.createServer((req, res) => res.end('up'))\n"
            "    await new Promise((resolve) => this.server.listen(9100, resolve))\n  },\n"
            "  async stopped() {\n    await new Promise((resolve) => this.server.close(resolve))\n  },\n}\n")})
    assert runner.status == checklist.PASS, (runner.summary, [e.text for e in runner.evidence])
    broker = ("const { ServiceBroker } = require('moleculer')\nconst broker = new ServiceBroker({OPTIONS})\n"
              "broker.loadServices('./services')\nbroker.start()\n")
    files = {"services/gw/package.json": '{ "name": "gw", "main": "index.js", "dependencies": { "moleculer": "^0.14.35" } }\n',
             "services/gw/Dockerfile": dockerfile.replace('"npm", "start"', '"node", "index.js"')}
    trapped = item(tmp_path / "broker", {**files, "services/gw/index.js": broker.replace("{OPTIONS}", "")})
    assert trapped.status == checklist.PASS and "Moleculer's ServiceBroker" in trapped.evidence[0].text, trapped.summary
    untrapped = item(tmp_path / "untrapped", {**files, "services/gw/index.js": broker.replace(
        "{OPTIONS}", "{ skipProcessEventRegistration: true }")})
    assert untrapped.status == checklist.FAIL, untrapped.summary


# --- session 19 (H14): the handler of the processes that load the file, not any handler of the service ------------


def test_a_server_loaded_by_another_process_is_not_sent_to_a_handler_no_process_loads(tmp_path: Path) -> None:
    """A module the `worker` script's process loads (not the entry point's) starts a server: it was told to close it in
    "its service's SIGTERM handler" at a vendored CLI action that no process of the service loads (any handler of the
    service counted once the file was out of the entry point's reach); the handler that counts is one in a file a
    process that loads it loads: the worker's has none, so it is told to add one, naming no other file's."""
    _write(tmp_path, {
        "package.json": '{ "name": "jobs", "main": "src/server.js", "scripts": { "start": "node src/server.js", '
                        '"worker": "node src/worker.js" }, "dependencies": { "express": "^4.21.0" } }\n',
        "src/server.js": "const http = require('http');\nconst server = http.createServer((req, res) => res.end('ok'));\n"
                         "server.listen(3000);\nprocess.on('SIGTERM', () => server.close(() => process.exit(0)));\n",
        "src/worker.js": "const { startMetrics } = require('./lib/metrics');\nstartMetrics();\n",
        "src/lib/metrics.js": "const http = require('http');\nfunction startMetrics() {\n"
                              "  const metrics = http.createServer((req, res) => res.end('m'));\n  metrics.listen(9100);\n"
                              "  return metrics;\n}\nmodule.exports = { startMetrics };\n",
        "src/actions/start.js": "function start(child) {\n  const signalHandler = () => child.kill('SIGTERM');\n"
                                "  process.on('SIGTERM', signalHandler);\n}\nmodule.exports = { start };\n"})
    _, run = run_on_tree("graceful-shutdown", tmp_path)
    [finding] = run.findings
    assert finding.path == "src/lib/metrics.js" and not finding.fixable, finding
    assert "src/actions/start.js" not in finding.message and "src/server.js" not in finding.message, finding.message
