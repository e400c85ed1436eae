"""Session 20, D1: the one rule that picks what a fix's new log lines log through (`logger.writing_logger`: the
repository's logger, else a Fastify instance's `app.log`, else console, said in the finding), used by eager-init and
graceful-shutdown alike; graceful-shutdown closing the database clients whose close call is certain (knex, Kysely,
MongoClient) and naming those it cannot close (a client another module makes that this file connects)."""

from __future__ import annotations

import json
from pathlib import Path

from fixer import logger
from gitrepo import write_tree
from harness import open_tree, run_on_tree

PACKAGE = json.dumps({"name": "api", "main": "src/server.js", "dependencies": {"fastify": "^4.28.1", "pg": "^8.12.0"}})
LAZY = ("const { Pool } = require('pg');\n\nconst pool = new Pool();\n{app}\n\nlet ready = false;\n"
        "async function initDb() {\n  await pool.query('select 1');\n}\n\n"
        "app.addHook('preHandler', async (request, reply) => {\n  if (!ready) {\n    try {\n      await initDb();\n"
        "      ready = true;\n    } catch (err) {\n      return reply.code(503).send({ error: 'Service unavailable' });\n"
        "    }\n  }\n});\n\napp.get('/health', async () => ({ status: 'ok' }));\n\napp.listen({ port: 3000 });\n")


def _chosen(root: Path, app: str, extra: dict[str, str] | None = None) -> logger.FileLogger:
    write_tree(root, {"services/api/package.json": PACKAGE, "services/api/src/server.js": LAZY.replace("{app}", app),
                      **(extra or {})})
    repo = open_tree(root)
    source_file = repo.read("services/api/src/server.js")
    at = source_file.tree.root_node.named_children[-1]  # `app.listen(…)`
    return logger.writing_logger(source_file, logger.infer(repo), at)


def test_fastify_instance_with_a_logger_is_the_files_logger(tmp_path: Path) -> None:
    found = _chosen(tmp_path, "const Fastify = require('fastify');\nconst app = Fastify({ logger: true });")
    assert (found.binding, found.edit, found.instance) == ("app.log", None, "pino")


def test_fastify_logger_forms(tmp_path: Path) -> None:
    cases = {
        "const app = require('fastify')({ logger: { level: 'info' } });": ("app.log", "pino"),
        "import { fastify } from 'fastify';\nimport pino from 'pino';\nconst app = fastify({ loggerInstance: pino() });":
            ("app.log", "pino"),
        "const Fastify = require('fastify');\nconst app = Fastify({ logger: false });": (None, ""),
        "const Fastify = require('fastify');\nconst app = Fastify();": (None, ""),
        "const Fastify = require('fastify');\nconst options = false;\nconst app = Fastify({ logger: options });": (None, ""),
    }
    for i, (app, expected) in enumerate(cases.items()):
        found = _chosen(tmp_path / str(i), app)
        assert (found.binding, found.instance) == expected, app
        if found.binding is None:
            assert found.reason  # what the finding says of console


def test_the_repositorys_logger_comes_before_the_instances(tmp_path: Path) -> None:
    found = _chosen(tmp_path, "const Fastify = require('fastify');\nconst logger = require('./logger');\n"
                              "const app = Fastify({ logger: true });",
                    {"services/api/src/logger.js": "const winston = require('winston');\n"
                                                   "module.exports = winston.createLogger({});\n"})
    assert found.binding == "logger" and found.instance == ""


def test_pino_order_and_shape_of_the_instance_logger(tmp_path: Path) -> None:
    write_tree(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/server.js": LAZY.replace(
        "{app}", "const Fastify = require('fastify');\nconst app = Fastify({ logger: true });")})
    repo = open_tree(tmp_path)
    source_file = repo.read("services/api/src/server.js")
    found = logger.FileLogger("app.log", None, instance="pino")
    assert logger.is_pino_for(repo, source_file, {}, found)
    assert logger.call_form(source_file, found, {}, ()) == (None, True)
    assert logger.unfit_levels(source_file, found, {}, (), ("info", "error")) == ((), "")
    given = logger.FileLogger("app.log", None, instance="given")
    assert not logger.is_pino_for(repo, source_file, {}, given)
    assert logger.call_form(source_file, given, {}, ()) == (None, False)  # one message


def test_eager_init_and_graceful_shutdown_log_alike_in_a_fastify_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/server.js": LAZY.replace(
        "{app}", "const Fastify = require('fastify');\nconst app = Fastify({ logger: true });")})
    for fix in ("eager-init", "graceful-shutdown"):
        _repo, run = run_on_tree(fix, tmp_path)
        after = run.changes["services/api/src/server.js"].after.decode()
        assert "app.log.info(" in after and "app.log.error(" in after, fix
        assert "console." not in after, fix


def test_eager_init_says_it_logs_with_console(tmp_path: Path) -> None:
    write_tree(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/server.js": LAZY.replace(
        "{app}", "const Fastify = require('fastify');\nconst app = Fastify();")})
    _repo, run = run_on_tree("eager-init", tmp_path)
    [finding] = run.findings
    assert "(the start-up loop logs with console: " in finding.message
    assert "console.info(" in run.changes["services/api/src/server.js"].after.decode()


EXPRESS = json.dumps({"name": "api", "main": "src/index.js", "dependencies": {
    "express": "^4.19.2", "redis": "^4.7.0", "knex": "^3.1.0", "mongodb": "^6.8.0", "pg": "^8.12.0"}})


def _shutdown(root: Path, code: str, extra: dict[str, str] | None = None):
    write_tree(root, {"services/api/package.json": EXPRESS, "services/api/src/index.js": code, **(extra or {})})
    _repo, run = run_on_tree("graceful-shutdown", root)
    change = run.changes.get("services/api/src/index.js")
    return run.findings, change.after.decode() if change is not None else ""


def test_knex_and_mongo_clients_are_closed_after_the_server(tmp_path: Path) -> None:
    findings, after = _shutdown(tmp_path, (
        "const express = require('express');\nconst knex = require('knex');\nconst { MongoClient } = require('mongodb');\n\n"
        "const db = knex({ client: 'pg' });\nconst mongo = new MongoClient(process.env.MONGO_URL);\n"
        "const app = express();\n\nmongo.connect().then(() => {\n  app.listen(3000);\n});\n"))
    assert "closes server, db, mongo" in findings[0].message
    assert after.index("await closing") < after.index("await db.destroy();") < after.index("await mongo.close();")


def test_a_client_made_elsewhere_and_connected_here_is_named(tmp_path: Path) -> None:
    findings, after = _shutdown(tmp_path, (
        "const express = require('express');\nconst { redis } = require('./client');\n\nconst app = express();\n\n"
        "async function main() {\n  await redis.connect();\n  app.listen(3000);\n}\nmain();\n"),
        {"services/api/src/client.js": "const { createClient } = require('redis');\n"
                                       "exports.redis = createClient();\n"})
    assert "it does not close redis, which this file connects (`redis.connect()`) but another module makes" \
        in findings[0].message
    assert "redis.quit()" not in after  # (what it is is decided in ./client)


def test_a_package_connect_is_not_a_client_left_open(tmp_path: Path) -> None:
    findings, _after = _shutdown(tmp_path, (
        "const express = require('express');\nconst mongoose = require('mongoose');\n\nconst app = express();\n\n"
        "mongoose.connect(process.env.MONGO_URL).then(() => app.listen(3000));\n"))
    assert all("does not close" not in f.message for f in findings)
