"""Session 20, D3: the checklist's Database & Connections and Resilience items: every client's connection timeout
option (`connectTimeoutMS` of TypeORM, MongoClient and mongoose, mssql's `connectionTimeout`); a start-up retry in
the file that calls a database module's `initDb()` counts for that module's client; mongoose's `connectWithRetry`
(a function that schedules itself again from its catch) is a connection retry."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixer import checklist
from test_checklist import decide

PACKAGE = ('{"name": "api", "main": "src/server.js", "scripts": {"start": "node src/server.js"}, '
           '"dependencies": {"express": "4.19.2", "pg": "8.12.0", "mongoose": "8.5.1", "mongodb": "6.8.0", '
           '"typeorm": "0.3.20", "mssql": "11.0.0", "redis": "4.6.0", "ioredis": "5.4.0"}}\n')
SERVER = ("const express = require('express');\nconst app = express();\n"
          "app.get('/health', (req, res) => res.json({ ok: true }));\napp.listen(3000);\n")


def _texts(result: checklist.Checklist, key: str) -> list[str]:
    return [f"{e.path}:{e.line} {e.text}" for e in result.item(key).evidence]


@pytest.mark.parametrize("option", [
    "connectTimeoutMS", "connectionTimeoutMillis", "connectTimeout", "connectionTimeout", "serverSelectionTimeoutMS",
    "acquireConnectionTimeout", "socketTimeoutMS"])
def test_each_clients_connection_timeout_option_is_a_timeout(option: str) -> None:
    assert checklist._DB_TIMEOUT.search(f"const c = new X({{ {option}: 5000 }});".encode()), option
    assert checklist._DB_TIMEOUT.search(f"const url = 'mongodb://h/db?{option}=5000';".encode()), option


def test_connect_timeout_ms_of_typeorm_mongodb_and_mssql_is_a_connection_timeout(tmp_path: Path) -> None:
    """TypeORM's DataSource and MongoClient take `connectTimeoutMS` (`\\bconnectTimeout\\b` missed it: no word
    boundary before "MS"); mssql takes `connectionTimeout`. A client given none is still ❌."""
    files = {
        "services/api/package.json": PACKAGE,
        "services/api/src/server.js": SERVER,
        "services/api/src/db.ts": ("import { DataSource } from 'typeorm';\n\nexport const AppDataSource = new DataSource({\n"
                                   "  type: 'postgres',\n  url: process.env.DATABASE_URL,\n  poolSize: 10,\n"
                                   "  connectTimeoutMS: 5000,\n});\n"),
        "services/api/src/mongo.ts": ("import { MongoClient } from 'mongodb';\n\nexport const mongo = new MongoClient("
                                      "process.env.MONGO_URL!, { maxPoolSize: 10, connectTimeoutMS: 5000 });\n"),
        "services/api/src/sql.js": ("const sql = require('mssql');\nconst pool = new sql.ConnectionPool({ server: 'db', "
                                    "pool: { max: 10 }, connectionTimeout: 5000 });\nmodule.exports = pool;\n"),
    }
    result = decide(tmp_path / "set", files)
    assert result.item("db.timeout").status == checklist.PASS, _texts(result, "db.timeout")
    files["services/api/src/mongo.ts"] = files["services/api/src/mongo.ts"].replace(", connectTimeoutMS: 5000", "")
    result = decide(tmp_path / "unset", files)
    assert result.item("db.timeout").status == checklist.FAIL
    assert [t for t in _texts(result, "db.timeout") if "no connection timeout" in t] == [
        "services/api/src/mongo.ts:3 MongoClient: no connection timeout"], _texts(result, "db.timeout")


DB_JS = ("const { Pool } = require('pg');\n\n"
         "const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });\n\n"
         "async function initDb() {\n  await pool.query('SELECT 1');\n}\n\nmodule.exports = { pool, initDb };\n")
RETRYING_SERVER = (
    "const express = require('express');\nconst { initDb } = require('./db');\n\nconst app = express();\n"
    "app.get('/health', (req, res) => res.json({ ok: true }));\n\n"
    "async function start() {\n"
    "  for (let attempt = 1; ; attempt++) {\n"
    "    try {\n      await initDb();\n      break;\n    } catch (err) {\n"
    "      if (attempt >= 5) throw err;\n"
    "      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** (attempt - 1), 30000)));\n"
    "    }\n  }\n  app.listen(3000);\n}\nstart();\n")


def test_a_start_up_retry_of_the_database_modules_init_counts_for_its_client(tmp_path: Path) -> None:
    """db.js makes the Pool and exports initDb(); the entry point retries initDb() with exponential backoff (the loop
    eager-init writes): both retry items pass for db.js's Pool, naming the retry's place."""
    result = decide(tmp_path / "retried", {"services/api/package.json": PACKAGE, "services/api/src/db.js": DB_JS,
                                            "services/api/src/server.js": RETRYING_SERVER})
    assert result.item("db.retry").status == checklist.PASS, _texts(result, "db.retry")
    assert _texts(result, "db.retry") == ["services/api/src/db.js:3 connection retried by services/api/src/server.js:8"]
    assert result.item("res.retry").status == checklist.PASS, _texts(result, "res.retry")
    assert _texts(result, "res.retry") == [
        "services/api/src/server.js:14 exponential backoff (retrying services/api/src/db.js)"]


def test_a_retry_helper_given_the_init_of_a_typescript_module_counts(tmp_path: Path) -> None:
    """`await withRetry(() => initDb())` of `import { initDb } from './db'`: the helper's arguments call it."""
    server = ("import express from 'express';\nimport { initDb } from './db';\nimport { withRetry } from './retry';\n"
              "const app = express();\napp.get('/health', (_req, res) => res.json({ ok: true }));\n"
              "await withRetry(() => initDb());\napp.listen(3000);\n")
    retry = ("export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {\n"
             "  for (let attempt = 1; ; attempt++) {\n    try { return await fn(); } catch (err) {\n"
             "      if (attempt >= attempts) throw err;\n"
             "      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));\n    }\n  }\n}\n")
    result = decide(tmp_path, {"services/api/package.json": PACKAGE.replace("src/server.js", "dist/server.js"),
                               "services/api/src/db.ts": DB_JS.replace("module.exports = { pool, initDb };", "export { pool, initDb };"),
                               "services/api/src/retry.ts": retry, "services/api/src/server.ts": server})
    assert result.item("db.retry").status == checklist.PASS, _texts(result, "db.retry")
    assert _texts(result, "db.retry") == ["services/api/src/db.ts:3 connection retried by services/api/src/server.ts:6"]


def test_a_retry_loop_around_something_else_is_no_retry_of_the_client(tmp_path: Path) -> None:
    """The importer's retry loop calls no function of db.js (it fetches a config): db.js's Pool is still not retried."""
    server = RETRYING_SERVER.replace("const { initDb } = require('./db');", "const { initDb } = require('./db');\n"
                                     "const { loadConfig } = require('./config');").replace(
        "      await initDb();\n", "      await loadConfig();\n").replace("start();\n", "start().then(initDb);\n")
    result = decide(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/db.js": DB_JS,
                               "services/api/src/config.js": "module.exports = { loadConfig: async () => ({}) };\n",
                               "services/api/src/server.js": server})
    assert result.item("db.retry").status == checklist.FAIL, _texts(result, "db.retry")
    assert result.item("res.retry").status == checklist.FAIL, _texts(result, "res.retry")


MONGOOSE = ("const express = require('express');\nconst mongoose = require('mongoose');\n\n"
            "const connectWithRetry = () => {\n"
            "  mongoose.connect(process.env.MONGO_URI).catch((err) => {\n"
            "    console.error('Mongo connection failed, retrying in 5 s', err.message);\n"
            "    setTimeout(connectWithRetry, 5000);\n  });\n};\nconnectWithRetry();\n\n"
            "const app = express();\napp.get('/health', (req, res) => res.json({ ok: true }));\napp.listen(3000);\n")


@pytest.mark.parametrize("name", ["connectWithRetry", "connect"])
def test_a_function_that_schedules_itself_from_its_catch_is_a_connection_retry(tmp_path: Path, name: str) -> None:
    """mongoose's documented `connectWithRetry`: by its name, and (named `connect`) by the self-call through
    setTimeout from the `.catch`. The backoff item stays ❌: the delay is constant."""
    result = decide(tmp_path, {"services/cat/package.json": PACKAGE.replace("api", "cat").replace("server", "index"),
                               "services/cat/src/index.js": MONGOOSE.replace("connectWithRetry", name)})
    assert result.item("db.retry").status == checklist.PASS, _texts(result, "db.retry")
    assert result.item("res.retry").status == checklist.FAIL, _texts(result, "res.retry")


def test_a_self_retry_in_a_class_method_and_a_function_declaration(tmp_path: Path) -> None:
    method = ("const { MongoClient } = require('mongodb');\nclass Db {\n  async connect() {\n    try {\n"
              "      this.client = await MongoClient.connect(process.env.MONGO_URL);\n    } catch (err) {\n"
              "      setTimeout(() => this.connect(), 5000);\n    }\n  }\n}\nmodule.exports = new Db();\n")
    declared = ("const mongoose = require('mongoose');\nfunction connect() {\n"
                "  return mongoose.connect(process.env.MONGO_URI).catch(function () { setTimeout(connect, 5000); });\n}\n"
                "connect();\n")
    for name, code in (("method", method), ("declared", declared)):
        result = decide(tmp_path / name, {"services/cat/package.json": PACKAGE.replace("api", "cat").replace("server", "index"),
                                          "services/cat/src/index.js": SERVER, "services/cat/src/db.js": code})
        assert result.item("db.retry").status == checklist.PASS, (name, _texts(result, "db.retry"))


def test_a_poller_that_schedules_itself_without_a_catch_is_no_retry(tmp_path: Path) -> None:
    poller = ("const mongoose = require('mongoose');\nmongoose.connect(process.env.MONGO_URI);\n"
              "function poll() {\n  mongoose.connection.db.admin().ping();\n  setTimeout(poll, 5000);\n}\npoll();\n")
    result = decide(tmp_path, {"services/cat/package.json": PACKAGE.replace("api", "cat").replace("server", "index"),
                               "services/cat/src/index.js": SERVER, "services/cat/src/db.js": poller})
    assert result.item("db.retry").status == checklist.FAIL, _texts(result, "db.retry")
