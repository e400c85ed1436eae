"""eager-init on the sample monorepo, proven with real Node and a real PostgreSQL.

Each service starts while its database is unreachable: /health is 200 from the start,
/ready and the API answer 503 (quickly, without crashing or hanging) and the process
keeps running and retrying. Then a real PostgreSQL comes up on the port the service was
pointed at: /ready turns 200 and the same API request gets its normal answer.

Why a real PostgreSQL: the services' `initializeServices()` runs `SELECT 1` and
`CREATE TABLE IF NOT EXISTS` through `pg`; only a real server makes that succeed
honestly, and starting it late is exactly the audit's "database not there yet at
start-up". The binaries come with Debian's postgresql package (/usr/lib/postgresql/*/bin);
as root, the server runs as the `postgres` user (it refuses to run as root).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from harness import run_on_tree, write_changes
import nodeenv
from nodeenv import RunningService, prepare_tree, start_service, tsc

READY_TIMEOUT_S = 45.0


# --- a throw-away PostgreSQL ----------------------------------------------------------


def postgres_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser: PostgreSQL refuses to run as root")
    return [runuser, "-u", "postgres", "--"]


@contextlib.contextmanager
def postgres_server(port: int) -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1:`port` (trust auth, user postgres), its data in a
    fresh temporary directory; yields its URL (database `postgres`). Stopped through its
    own pid file, and the directory removed, when the block ends."""
    initdb, pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed: apt-get install postgresql")
    prefix = _as_postgres_user()
    workdir = Path(tempfile.mkdtemp(prefix="fixer-pg-"))
    if prefix:
        shutil.chown(workdir, "postgres")
    data = workdir / "data"
    try:
        subprocess.run(prefix + [initdb, "-D", str(data), "--auth=trust", "-U", "postgres", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(prefix + [pg_ctl, "-D", str(data), "-o", options, "-l", str(workdir / "server.log"), "-w", "start"],
                       check=True, capture_output=True, timeout=60)
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(prefix + [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- the checks -----------------------------------------------------------------------


def wait_ready(service: RunningService, timeout: float = READY_TIMEOUT_S) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert service.alive(), service.output()
        if service.get("/ready")[0] == 200:
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"/ready never turned 200 within {timeout}s:\n{service.output()}")


def check_eager_start(tree: Path, service_name: str, api: str, create: dict) -> None:
    port = closed_port()
    env = {
        "NODE_ENV": "development",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{port}/postgres",
        "DB_MAX_RETRIES": "1",
        "DB_RETRY_DELAY_MS": "50",
    }
    with start_service(tree, service_name, env=env) as service:
        # the database is down: alive, not ready, and requests are refused fast
        assert service.get("/health")[0] == 200, service.output()
        status, body = service.get("/ready")
        assert status == 503 and json.loads(body)["status"] == "not ready", body
        started = time.monotonic()
        status, body = service.get(api, timeout=5)
        assert status == 503, body
        assert time.monotonic() - started < 2, "a request before ready must be refused, not wait for the database"
        assert "error" in json.loads(body)
        time.sleep(2.5)  # a few start-up attempts fail meanwhile
        assert service.alive(), service.output()
        assert service.get("/ready")[0] == 503
        assert service.get("/health")[0] == 200
        assert "initialization failed, retrying" in service.output()

        # the database comes up: the service gets ready by itself and serves the same request
        with postgres_server(port):
            wait_ready(service)
            assert json.loads(service.get("/ready")[1])["status"] == "ready"
            status, body = service.get(api)
            assert status == 200, body
            assert json.loads(body)["data"] == []
            status, body = service.request("POST", api, body=create)
            assert status == 201, body
            status, body = service.get(api + "?all=true")
            assert status == 200 and len(json.loads(body)["data"]) == 1, body
            assert service.get("/health")[0] == 200


@pytest.mark.node
def test_course_service_starts_eagerly_and_reports_readiness(sample_tree: Path) -> None:
    _, run = run_on_tree("eager-init", sample_tree)
    assert not run.problems, run.problems
    assert "services/course-service/src/app.ts" in run.changes
    write_changes(sample_tree, run)
    assert tsc(sample_tree) == []
    check_eager_start(sample_tree, "course-service", "/api/courses",
                      {"title": "Rust for services", "level": "beginner", "pricePaise": 0})


@pytest.mark.node
def test_commonjs_student_service_starts_eagerly_and_reports_readiness(sample_tree: Path) -> None:
    _, run = run_on_tree("eager-init", sample_tree)
    assert "services/student-service/app.js" in run.changes
    write_changes(sample_tree, run)
    check_eager_start(sample_tree, "student-service", "/api/students",
                      {"name": "Asha", "email": "asha@example.com"})


@pytest.mark.node
def test_before_the_fix_there_is_no_readiness_and_the_first_request_initialises(sample_tree: Path) -> None:
    """The control: on the unfixed sample the same checks fail: there is no /ready (the
    lazy middleware answers it with its own 503 error body, then 404 once connected)."""
    with pytest.raises((AssertionError, KeyError)):
        check_eager_start(sample_tree, "course-service", "/api/courses", {"title": "x"})


STRICT_MIDDLEWARE = """\
import express, { Request, Response, NextFunction } from 'express';

export const strictApp = express();
let cacheReady = false;

async function initCache(): Promise<void> {}

strictApp.use(async (req: Request, res: Response, next: NextFunction) => {
  if (!cacheReady) {
    try {
      await initCache();
      cacheReady = true;
    } catch (error) {
      res.status(503).json({ error: 'starting' });
      return;
    }
  }
  next();
});
"""


@pytest.mark.node
def test_the_rewritten_guard_still_compiles_under_no_implicit_returns(sample_tree: Path) -> None:
    """A middleware whose paths all return nothing must not get a `return res.status(503)…`
    beside its bare `next()`: that is TS7030 under noImplicitReturns, which the original passed."""
    path = "services/course-service/src/strict-guard.ts"
    (sample_tree / path).write_text(STRICT_MIDDLEWARE)
    config = sample_tree / "tsconfig.base.json"
    settings = json.loads(config.read_text())
    settings["compilerOptions"]["noImplicitReturns"] = True
    config.write_text(json.dumps(settings))
    assert [d for d in tsc(sample_tree) if d.startswith(path)] == []

    _, run = run_on_tree("eager-init", sample_tree)
    assert "res.status(503)" in run.changes[path].after.decode()
    write_changes(sample_tree, run)
    assert [d for d in tsc(sample_tree) if d.startswith(path)] == []


NAMED_LAZY_MIDDLEWARE = """\
const fs = require('fs');
const express = require('express');

const app = express();
let booted = false;

// the database is "up" once the test creates this file
async function connectDb() {
  if (!fs.existsSync(process.env.DB_UP_FILE)) throw new Error('connection refused');
}

// Lazy initialization: connect on the first request
const lazyConnect = async (req, res, next) => {
  if (!booted) {
    try {
      await connectDb();
      booted = true;
    } catch (error) {
      return res.status(503).json({ error: 'Service unavailable' });
    }
  }
  next();
};

app.use(lazyConnect);
app.get('/health', (req, res) => res.json({ status: 'ok' }));
app.get('/api/items', (req, res) => res.json({ data: [] }));

app.listen(process.env.PORT);
"""


@pytest.mark.node
def test_a_named_middleware_with_a_flag_of_any_name_starts_eagerly(tmp_path: Path, node_modules: Path) -> None:
    """`app.use(lazyConnect)` with a flag called `booted` (no init/ready-like name in the file):
    rewritten in place; /health answers at once, the API and /ready answer 503 until the
    database is up, then the start-up loop connects by itself and both answer 200."""
    _check_starts_eagerly(tmp_path, NAMED_LAZY_MIDDLEWARE)


# min8: the guard keeps the init's promise beside its flag, and forgets a rejected one
FLAG_AND_PROMISE_MIDDLEWARE = NAMED_LAZY_MIDDLEWARE.replace("let booted = false;\n", "let booted = false;\nlet connecting = null;\n") \
    .replace("      await connectDb();\n", "      if (!connecting) connecting = connectDb();\n      await connecting;\n") \
    .replace("    } catch (error) {\n", "    } catch (error) {\n      connecting = null;\n")


@pytest.mark.node
def test_a_guard_keeping_the_promise_beside_its_flag_starts_eagerly(tmp_path: Path, node_modules: Path) -> None:
    """`if (!connecting) connecting = connectDb(); await connecting; booted = true`: the start-up loop
    runs `await connectDb()` one attempt at a time and sets the flag, so the promise goes; the
    service answers 503 until the database is up, then 200, and it still runs."""
    assert "await connecting;" in FLAG_AND_PROMISE_MIDDLEWARE and "connecting = null;" in FLAG_AND_PROMISE_MIDDLEWARE
    after = _check_starts_eagerly(tmp_path, FLAG_AND_PROMISE_MIDDLEWARE)
    assert "connecting" not in after


# min7: the flag lives in the init function, which the middleware awaits on every request
FLAG_IN_THE_INIT_FUNCTION = """\
const fs = require('fs');
const express = require('express');

const app = express();
let initialized = false;

async function initialize() {
  if (initialized) return;
  if (!fs.existsSync(process.env.DB_UP_FILE)) throw new Error('connection refused');
  initialized = true;
}

app.use(async (req, res, next) => {
  try {
    await initialize();
  } catch (err) {
    return res.status(503).json({ error: 'Service unavailable' });
  }
  next();
});

app.get('/health', (req, res) => res.json({ status: 'ok' }));
app.get('/api/items', (req, res) => res.json({ data: [] }));

app.listen(process.env.PORT);
"""


@pytest.mark.node
def test_a_flag_kept_inside_the_init_function_starts_eagerly(tmp_path: Path, node_modules: Path) -> None:
    """`async function initialize() { if (initialized) return; …; initialized = true }`, awaited by the
    middleware on every request, was not found: /health answered 503 while the database was down."""
    after = _check_starts_eagerly(tmp_path, FLAG_IN_THE_INIT_FUNCTION)
    assert "await initialize();\n      initialized = true;" in after


KOA_VERSION = "2.15.3"
KOA_ROUTER_VERSION = "13.1.0"


@pytest.fixture(scope="session")
def koa_modules() -> Path:
    """koa and @koa/router, installed once per machine next to the sample's node_modules (the sample has no Koa)."""
    return nodeenv.extra_packages({"koa": KOA_VERSION, "@koa/router": KOA_ROUTER_VERSION})


# min6: Koa's guard answers with `ctx.status = 503; ctx.body = …; return`
KOA_LAZY_MIDDLEWARE = """\
'use strict';
const fs = require('fs');
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();

let servicesInitialized = false;

async function initializeServices() {
  if (!fs.existsSync(process.env.DB_UP_FILE)) throw new Error('connection refused');
}

app.use(async (ctx, next) => {
  if (!servicesInitialized) {
    try {
      await initializeServices();
      servicesInitialized = true;
    } catch (err) {
      console.error('init failed', err);
      ctx.status = 503;
      ctx.body = { error: 'Service initializing' };
      return;
    }
  }
  await next();
});

router.get('/health', (ctx) => { ctx.body = { status: 'ok' }; });
router.get('/api/items', (ctx) => { ctx.body = { data: [] }; });
app.use(router.routes());

app.listen(process.env.PORT);
"""

# koa-gateway: the flag in the init function, the answer in `ctx`
KOA_FLAG_IN_THE_INIT_FUNCTION = KOA_LAZY_MIDDLEWARE.replace(
    "async function initializeServices() {\n", "async function initializeServices() {\n  if (servicesInitialized) return;\n"
).replace("  servicesInitialized = true;\n}\n", "").replace(
    "throw new Error('connection refused');\n}\n", "throw new Error('connection refused');\n  servicesInitialized = true;\n}\n"
).replace("""  if (!servicesInitialized) {
    try {
      await initializeServices();
      servicesInitialized = true;
    } catch (err) {
      console.error('init failed', err);
      ctx.status = 503;
      ctx.body = { error: 'Service initializing' };
      return;
    }
  }
""", """  try {
    await initializeServices();
  } catch (err) {
    console.error('init failed', err);
    ctx.status = 503;
    ctx.body = { error: 'Service initializing' };
    return;
  }
""")


@pytest.mark.node
@pytest.mark.parametrize("code", [KOA_LAZY_MIDDLEWARE, KOA_FLAG_IN_THE_INIT_FUNCTION], ids=["flag-guard", "flag-in-init"])
def test_a_koa_guard_answering_through_ctx_starts_eagerly(tmp_path: Path, koa_modules: Path, code: str) -> None:
    """Koa's `ctx.status = 503; ctx.body = …; return` answers the request like Express's `res.status(503)`: the
    guard was reported ("its catch does more…"). Rewritten, with real Koa: /health at once, /ready and the API
    503 with the service's own body until the database is up, then 200."""
    assert "if (servicesInitialized) return;" in code or "if (!servicesInitialized) {" in code
    after = _check_starts_eagerly(tmp_path, code, koa_modules)
    assert "ctx.body = { error: 'Service initializing' };" in after and "app.get(" not in after


def _check_starts_eagerly(tmp_path: Path, code: str, modules: Path | None = None) -> str:
    """The service rewritten and run: /health at once, 503 until the database is up, 200 after. Its new code.
    `modules`: the node_modules to run with (the sample's by default)."""
    tree = tmp_path / "tree"
    (tree / "services" / "api").mkdir(parents=True)
    (tree / "package.json").write_text('{ "name": "acme", "private": true }\n')
    (tree / "services" / "api" / "package.json").write_text('{ "name": "api", "main": "server.js" }\n')
    (tree / "services" / "api" / "server.js").write_text(code)
    if modules is None:
        prepare_tree(tree)
    else:
        (tree / "node_modules").symlink_to(modules, target_is_directory=True)
    _, run = run_on_tree("eager-init", tree)
    assert sorted(run.changes) == ["services/api/server.js"], [f.message for f in run.findings]
    write_changes(tree, run)
    up = tmp_path / "db-up"
    with start_service(tree, "api", env={"DB_UP_FILE": str(up)}) as service:
        assert service.get("/health")[0] == 200, service.output()
        assert service.get("/ready")[0] == 503
        status, body = service.get("/api/items")
        assert status == 503 and "error" in json.loads(body), body
        up.write_text("")
        wait_ready(service, timeout=10)  # the loop's second attempt comes 1 s after the first
        assert service.get("/api/items") == (200, '{"data":[]}')
        assert service.alive() and "api initialized" in service.output(), service.output()
    return run.changes["services/api/server.js"].after.decode()
