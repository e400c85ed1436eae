"""eager-init on the sample monorepo without Node: what changes and what the reviewer
is told (the behaviour itself is proven in test_eager_init_e2e.py)."""

from __future__ import annotations

from pathlib import Path

from fixer import report
from harness import run_on_tree
from nodeenv import SAMPLE_MONOREPO
from transforms import eager_init, registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eager-init"


def test_both_lazy_services_are_rewritten_and_the_note_says_what_to_check() -> None:
    _, run = run_on_tree("eager-init", SAMPLE_MONOREPO)
    assert not run.problems
    assert sorted(run.changes) == ["services/course-service/src/app.ts", "services/student-service/app.js"]
    for change in run.changes.values():
        text = change.after.decode()
        assert text.count("await initializeServices()") == 1  # only the start-up loop initialises now
        assert "app.get('/ready'" in text and "!servicesInitialized; attempt++" in text
        assert text.index("app.get('/ready'") < text.index("app.use(async")  # the probe is not behind the guard
    assert all(f.note and "/ready" in f.note and "/health" in f.note for f in run.findings)
    message = report.commit_message(run, registry()["eager-init"])
    assert "What to review:" in message and "Start-up order changed" in message


def test_it_is_a_review_fix_in_the_audits_order() -> None:
    assert (eager_init.INFO.safety, eager_init.INFO.week, eager_init.INFO.order) == ("review", 2, 7)


def test_a_guard_that_does_more_than_init_is_reported_not_rewritten() -> None:
    """Moving only the init call would drop a second call, a local, a clean-up or the request."""
    case = FIXTURES / "guard-does-more" / "before"
    _, run = run_on_tree("eager-init", case)
    assert not run.changes and len(run.findings) == 4
    assert all(not f.changes and f.message.endswith("move it to start-up by hand") for f in run.findings)


def test_a_503_body_that_read_the_caught_error_is_replaced_and_the_note_says_so() -> None:
    _, run = run_on_tree("eager-init", FIXTURES / "assigned-module-variable" / "before")
    (finding,) = run.findings
    after = run.changes["services/api/src/app.ts"].after.decode()
    assert "error as Error" not in after and "services = await createServices(" in after
    assert finding.note and "read the caught error" in finding.note


def test_a_guard_on_a_router_is_reported_and_the_note_says_ready_belongs_on_the_app() -> None:
    """A /ready added to a router mounted at /api would answer at /api/ready, never at /ready."""
    _, run = run_on_tree("eager-init", FIXTURES / "guard-on-router" / "before")
    (finding,) = run.findings
    assert not run.changes and not finding.changes
    assert "`router` is not the app" in finding.message and "/api/ready" in finding.message
    assert finding.note and "to the app that mounts the router" in finding.note


def test_a_start_up_call_in_a_function_or_under_an_if_is_reported_not_doubled() -> None:
    """A second start-up loop beside `startServer()` or an `if (NODE_ENV !== 'test')` IIFE would
    initialise twice at once (and the opt-out would be lost)."""
    _, run = run_on_tree("eager-init", FIXTURES / "startup-call-in-function-or-if" / "before")
    assert not run.changes and len(run.findings) == 2
    assert all("initialise twice beside the start-up call" in (f.note or "") for f in run.findings)


def _tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


LAZY_EXPRESS = """import express from 'express';
{imports}
const app = express();
let initialized = false;

async function initServices(): Promise<void> {{}}

app.use(async (_req, _res, next) => {{
  if (!initialized) {{
    await initServices();
    initialized = true;
  }}
  next();
}});

app.listen(3000, () => {logger}.info('up'));
"""


def test_a_child_of_a_pino_logger_logs_in_pinos_order(tmp_path: Path) -> None:
    """`const log = logger.child(…)` of a pino logger is pino too: `(meta, message)`."""
    code = LAZY_EXPRESS.format(imports="import { logger } from './logger';\n\nconst log = logger.child({ module: 'app' });",
                               logger="log")
    tree = _tree(tmp_path, {"services/api/package.json": '{"name": "api"}\n',
                            "services/api/src/logger.ts": "import pino from 'pino';\n\nexport const logger = pino();\n",
                            "services/api/src/server.ts": code})
    _, run = run_on_tree("eager-init", tree)
    after = run.changes["services/api/src/server.ts"].after.decode()
    assert "log.info({ attempt }, 'api initialized');" in after
    assert "String(error) }, 'api initialization failed, retrying');" in after


def test_a_winston_logger_beside_a_pino_import_keeps_winstons_order(tmp_path: Path) -> None:
    """The logger the loop calls decides, not whether pino is somewhere in the file or the repository."""
    code = LAZY_EXPRESS.format(imports="import { logger } from './logger';\nimport { audit } from './audit';\n",
                               logger="logger")
    tree = _tree(tmp_path, {"services/api/package.json": '{"name": "api"}\n',
                            "services/api/src/audit.ts": "import pino from 'pino';\n\nexport const audit = pino();\n",
                            "services/api/src/logger.ts": "import winston from 'winston';\n\n"
                            "export const logger = winston.createLogger({ transports: [] });\n",
                            "services/api/src/server.ts": code})
    _, run = run_on_tree("eager-init", tree)
    assert "logger.info('api initialized', { attempt });" in run.changes["services/api/src/server.ts"].after.decode()


def test_a_parameterless_hook_whose_body_already_uses_reply_is_reported(tmp_path: Path) -> None:
    """Adding a `reply` parameter would hide the module's `reply` the hook reads: reported, not rewritten."""
    code = """import Fastify from 'fastify';

const server = Fastify();
const reply = { sent: 0 };
let ready = false;

async function initServices(): Promise<void> {}

server.addHook('onRequest', async () => {
  if (!ready) {
    await initServices();
    ready = true;
  }
  reply.sent++;
});

server.listen({ port: 3000 });
"""
    tree = _tree(tmp_path, {"services/api/package.json": '{"name": "api"}\n', "services/api/src/server.ts": code})
    _, run = run_on_tree("eager-init", tree)
    (finding,) = run.findings
    assert not run.changes and not finding.changes
    assert "no `reply` parameter" in finding.message and finding.message.endswith("move it to start-up by hand")


def test_a_hook_inside_a_plugin_is_reported_and_the_note_says_where_ready_belongs() -> None:
    _, run = run_on_tree("eager-init", FIXTURES / "fastify-hook-in-plugin" / "before")
    assert not run.changes and len(run.findings) == 2
    assert all(f.note and "to the root instance" in f.note and "reply.code(503)" in f.note for f in run.findings)


def test_a_kept_init_promise_is_reported_and_the_note_says_a_flag_is_needed() -> None:
    """`ready ??= init(); await ready` has no flag the start-up loop could set: reported, with what to do."""
    _, run = run_on_tree("eager-init", FIXTURES / "init-promise-kept" / "before")
    assert not run.changes and len(run.findings) == 2
    for finding in run.findings:
        assert not finding.changes and finding.message.endswith("move it to start-up by hand")
        assert finding.note and "set a boolean flag" in finding.note
    notes = {f.path: f.note or "" for f in run.findings}
    assert "rejected promise stays there" in notes["services/api/src/app.ts"]  # `ready ??= …` never forgets a failure
    assert "rejected promise" not in notes["services/billing/app.js"]  # its catch resets `initPromise`


def test_express_middleware_added_in_a_function_is_reported_and_the_note_says_where_ready_belongs() -> None:
    _, run = run_on_tree("eager-init", FIXTURES / "middleware-added-in-a-function" / "before")
    assert not run.changes and len(run.findings) == 3
    assert all(f.note and "where the app is created and listens" in f.note for f in run.findings)


def test_the_prefilter_needs_no_init_or_ready_like_name() -> None:
    """The needles are the registrations every lazy guard goes through, not the flag's name."""
    assert set(eager_init.INFO.prefilter) == {b".use(", b"addHook"}
    for path in (FIXTURES / "flag-of-any-name" / "before").rglob("*.ts"):
        data = path.read_bytes()
        assert not any(word in data for word in (b"init", b"Init", b"ready", b"Ready")), path
        assert any(needle in data for needle in eager_init.INFO.prefilter), path


FLAG_AND_PROMISE = """const express = require('express');

const app = express();
let servicesInitialized = false;
let initPromise = null;

async function initializeServices() {{}}

app.use(async (req, res, next) => {{
  if (!servicesInitialized) {{
    try {{
      {keep}
      await initPromise;
      servicesInitialized = true;
    }} catch (error) {{
      {reset}
      return res.status(503).json({{ error: 'Service initializing' }});
    }}
  }}
  next();
}});

app.listen(3000);
"""


def test_a_guard_keeping_the_promise_beside_its_flag_is_rewritten_in_every_spelling(tmp_path: Path) -> None:
    """`if (!p) p = init()`, `p ??= init()`, `p = p || init()`, a catch that forgets `p`: the loop runs
    `await init()` and sets the flag, and the promise's declaration goes with the guard."""
    for i, keep in enumerate(("if (!initPromise) initPromise = initializeServices();",
                              "if (initPromise === null) { initPromise = initializeServices(); }",
                              "initPromise ??= initializeServices();", "initPromise = initPromise || initializeServices();")):
        code = FLAG_AND_PROMISE.format(keep=keep, reset="initPromise = null;" if i % 2 else "")
        tree = _tree(tmp_path / str(i), {"services/api/package.json": '{"name": "api"}\n', "services/api/app.js": code})
        _, run = run_on_tree("eager-init", tree)
        after = run.changes["services/api/app.js"].after.decode()
        assert "initPromise" not in after, keep
        assert "      await initializeServices();\n      servicesInitialized = true;" in after, keep


def test_a_guard_keeping_the_promise_that_does_more_is_reported_with_its_flag() -> None:
    """Another statement beside the kept promise, or a catch that does more than forget it: reported,
    and the message names the flag (there is one), not a missing flag."""
    for keep, reset, why in (("if (!initPromise) initPromise = initializeServices(); audit();", "",
                              "the guard does more than keep the init's promise in `initPromise`"),
                             ("if (!initPromise) initPromise = initializeServices();", "initPromise = undefined; retry();",
                              "its `catch` does more than log")):
        code = FLAG_AND_PROMISE.format(keep=keep, reset=reset)
        lazies = list(eager_init.find_lazy_inits(_parsed(code)))  # type: ignore[arg-type]
        assert len(lazies) == 1 and lazies[0].flag == "servicesInitialized" and not lazies[0].memo
        assert (lazies[0].not_moved or "").startswith(why), lazies[0].not_moved


def _parsed(code: str) -> object:
    """What `find_lazy_inits` reads of a source file: its tree."""
    from fixer.parsing import typescript

    class Parsed:
        tree = typescript.parse(code.encode(), "js")
    return Parsed()


def test_an_init_function_keeping_its_attempt_in_a_promise_is_reported_with_what_to_do() -> None:
    """`if (initialized) return; if (!p) p = (async () => { await init(); initialized = true })(); await p`:
    a start-up loop awaiting that function would await the first rejected attempt forever (never retry),
    so the flag form's edit does not fit: reported, the note says to run the init itself at start-up."""
    _, run = run_on_tree("eager-init", FIXTURES / "flag-set-in-kept-iife" / "before")
    assert not run.changes and len(run.findings) == 3
    notes = {f.path: f.note or "" for f in run.findings}
    note = notes["services/booking/src/app.ts"]
    assert "rejects on every call without trying again" in note and "`initDatabase()`" in note
    # the IIFE in the middleware itself: the note names the flag it has, not a missing one
    for path in ("services/checkout/src/index.ts", "services/orders/app.js"):
        assert "set `initialized` after a successful attempt" in notes[path] and "boolean flag" not in notes[path]
    assert "rejected promise stays there" in notes["services/orders/app.js"]  # no catch forgets it


INIT_SETS_FLAG_NESTED = """const express = require('express');

const app = express();
let initialized = false;

async function connect() {}

async function initialize() {
  if (initialized) return;
  await connect().then(() => { initialized = true; });
}

app.use(async (req, res, next) => {
  await initialize();
  next();
});

app.listen(3000);
"""


def test_an_init_function_setting_its_flag_only_in_nested_code_is_reported() -> None:
    (lazy,) = eager_init.find_lazy_inits(_parsed(INIT_SETS_FLAG_NESTED))  # type: ignore[arg-type]
    assert lazy.flag == "initialized" and (lazy.not_moved or "").startswith(
        "`initialize()` sets `initialized` only inside nested code")


# --- why the start-up loop logs with console (session 14: `logger.unfit_levels`) ------------------------


def test_the_note_says_a_logger_taking_a_tag_first_is_why_console_logs() -> None:
    """The logger has `info` and `error`, but takes a tag before the message: the note said
    "no logger was found for this file"."""
    _, run = run_on_tree("eager-init", FIXTURES / "a-logger-that-takes-a-tag-first" / "before")
    (finding,) = run.findings
    assert "no logger was found" not in finding.note
    assert "the start-up loop logs with console: `logger` takes a tag before the message, which a call with the " \
           "message alone does not fit: its calls pass a tag and a message" in finding.note


def test_the_note_names_the_level_a_logger_lacks(tmp_path: Path) -> None:
    """A logger with `info` only: the loop's `info` goes through it, its `error` through console,
    and the note says so (it said nothing)."""
    before = FIXTURES / "a-logger-that-takes-a-tag-first" / "before"
    for path in before.rglob("*"):
        if path.is_file():
            target = tmp_path / path.relative_to(before)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (tmp_path / "services/api/src/logger.js").write_text(
        "class Logger {\n  info(message) {\n    process.stdout.write(`${message}\\n`);\n  }\n}\n\nmodule.exports = new Logger();\n")
    app = tmp_path / "services/api/src/app.js"
    app.write_text(app.read_text().replace("logger.info('api', 'listening on port 3001')",
                                           "logger.info('listening on port 3001')"))
    _, run = run_on_tree("eager-init", tmp_path)
    (finding,) = run.findings
    text = run.changes["services/api/src/app.js"].after.decode()
    assert "logger.info(`api initialized" in text and "console.error('api initialization failed" in text
    assert "the start-up loop logs with console.error: `logger` has no `error` method that fixer can see" in finding.note


# --- session 19 (reader r15): a flag another module keeps; Hono apps ------------------------------------

IMPORTED_GETTER = """\
import express from 'express';
import { initializeServices, isReady } from './db.js';
import * as cache from './cache.js';

const app = express();

app.use(async (_req, res, next) => {
  if (!isReady()) {
    try {
      await initializeServices();
    } catch (err) {
      return res.status(503).json({ error: 'Service initializing' });
    }
  }
  next();
});

app.use(async (req, res, next) => {
  if (!cache.warm) {
    await cache.load(req.path);
  }
  next();
});

app.use(async (req, res, next) => {
  if (!cache.has(req.path)) {
    await cache.fill();
  }
  next();
});

app.listen(4000);
"""


def test_a_guard_on_a_flag_another_module_keeps_is_reported() -> None:
    """`if (!isReady()) { await initializeServices() }` with `let ready = false` in db.js: no finding at
    all ("eager-init 0/0 nothing to fix"). Reported, saying what to do; a guard whose init call uses the
    request, or whose state is read with arguments (`cache.has(req.path)`), is no lazy init."""
    (lazy,) = eager_init.find_lazy_inits(_parsed(IMPORTED_GETTER))  # type: ignore[arg-type]
    assert lazy.flag == "isReady()" and lazy.init_call == "initializeServices()"
    assert (lazy.not_moved or "").startswith("`isReady()` is state another module keeps (`./db.js`)")
    assert "Run `initializeServices()` at start-up" in lazy.note and "503 while `!isReady()`" in lazy.note


HONO_NOT_SERVED = """\
import { Hono } from 'hono';

const app = new Hono();
let initialized = false;

async function initialize() {}

app.use('*', async (c, next) => {
  if (!initialized) {
    await initialize();
    initialized = true;
  }
  await next();
});

export default app;
"""


def test_a_hono_app_is_not_taken_for_a_router() -> None:
    """A Hono app was "not the app … `/api/ready` when mounted with `app.use('/api', app)`". Not served
    here (Bun, Workers, a sub-app): reported as a Hono app; served by @hono/node-server: rewritten."""
    (lazy,) = eager_init.find_lazy_inits(_parsed(HONO_NOT_SERVED))  # type: ignore[arg-type]
    assert not lazy.on_router and lazy.hono and "is not the app" not in (lazy.not_moved or "")
    assert (lazy.not_moved or "").startswith("`app` is a Hono app that this module does not start with")
    served = HONO_NOT_SERVED.replace("import { Hono } from 'hono';\n",
                                     "import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';\n")
    from fixer.repo import SourceFile
    code = served + "serve({ fetch: app.fetch, port: 3000 });\n"
    (lazy,) = eager_init.find_lazy_inits(SourceFile("services/h/src/index.js", code.encode(), None))  # type: ignore[arg-type]
    assert lazy.not_moved is None and lazy.hono and not lazy.mounted  # `app.use('*', …)`: every path


import pytest  # noqa: E402  (this file's tests above need no marks)

HONO_VERSION = "4.6.14"
HONO_NODE_SERVER_VERSION = "1.13.7"

HONO_LAZY_MIDDLEWARE = """\
'use strict';
const fs = require('fs');
const { serve } = require('@hono/node-server');
const { Hono } = require('hono');

const app = new Hono();
let initialized = false;

async function initialize() {
  if (!fs.existsSync(process.env.DB_UP_FILE)) throw new Error('connection refused');
}

app.use('*', async (c, next) => {
  if (!initialized) {
    try {
      await initialize();
      initialized = true;
    } catch (err) {
      return c.json({ error: 'Service unavailable' }, 503);
    }
  }
  await next();
});

app.get('/health', (c) => c.json({ status: 'ok' }));
app.get('/api/items', (c) => c.json({ data: [] }));

serve({ fetch: app.fetch, port: Number(process.env.PORT) });
"""


@pytest.mark.node
def test_a_hono_guard_starts_eagerly_with_real_hono(tmp_path: Path) -> None:
    """Rewritten in Hono's idiom and run with real Hono on @hono/node-server: /health at once (registered
    after the guard: let through by `c.req.path`), /ready and the API 503 with the service's own body until
    the database is up, then 200."""
    import nodeenv
    from test_eager_init_e2e import _check_starts_eagerly

    modules = nodeenv.extra_packages({"hono": HONO_VERSION, "@hono/node-server": HONO_NODE_SERVER_VERSION})
    after = _check_starts_eagerly(tmp_path, HONO_LAZY_MIDDLEWARE, modules)
    assert "if (!initialized && c.req.path !== '/health' && c.req.path !== '/ready') {\n" \
           "    return c.json({ error: 'Service unavailable' }, 503);\n  }" in after
    assert "app.get('/ready', (c) => {" in after and "app.use('/api'" not in after


# --- F4, session 20: an imported init keeping its flag; Hono sub-apps and createMiddleware ----------------

IMPORTED_INIT_DB = """\
'use strict';
const fs = require('fs');

let initialized = false;

async function initDb() {
  if (initialized) return;
  if (!fs.existsSync(process.env.DB_UP_FILE)) throw new Error('connection refused');
  initialized = true;
}

module.exports = { initDb };
"""

IMPORTED_INIT_APP = """\
'use strict';
const express = require('express');
const { initDb } = require('./db');

const app = express();

app.use(async (req, res, next) => {
  try {
    await initDb();
  } catch (err) {
    return res.status(503).json({ error: 'Database unavailable' });
  }
  next();
});

app.get('/health', (req, res) => res.json({ status: 'ok' }));
app.get('/api/items', (req, res) => res.json({ data: [] }));

app.listen(process.env.PORT);
"""

HONO_SUB_APP = """\
import fs from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';

let connected = false;

async function connect() {
  if (!fs.existsSync(process.env.DB_UP_FILE)) throw new Error('connection refused');
}

const api = new Hono();
api.use(createMiddleware(async (c, next) => {
  if (!connected) {
    try {
      await connect();
      connected = true;
    } catch (err) {
      return c.json({ error: 'Service unavailable' }, 503);
    }
  }
  await next();
}));
api.get('/items', (c) => c.json({ data: [] }));

const app = new Hono();
app.get('/health', (c) => c.json({ status: 'ok' }));
app.route('/api', api);

serve({ fetch: app.fetch, port: Number(process.env.PORT) });
"""


def test_an_imported_init_keeping_its_flag_is_found_and_gets_a_flag_of_this_module(tmp_path: Path) -> None:
    """`await initDb()` in the middleware, `initDb` of ./db checking and setting `initialized` itself: not seen
    before ("No findings"). The start-up loop sets a flag of this module, which the guard and /ready test."""
    tree = _tree(tmp_path, {"services/api/package.json": '{"name": "api", "main": "server.js"}\n',
                            "services/api/server.js": IMPORTED_INIT_APP, "services/api/db.js": IMPORTED_INIT_DB})
    _, run = run_on_tree("eager-init", tree)
    (finding,) = run.findings
    assert finding.message.startswith("`initDb()` runs on the first request while `initialized` (in `./db`) is false")
    assert sorted(run.changes) == ["services/api/server.js"]
    after = run.changes["services/api/server.js"].after.decode()
    assert "const { initDb } = require('./db');\n\n// `initDb()` keeps its own flag in ./db" in after
    assert "let initDbDone = false;\n" in after and "if (!initDbDone && req.path !== '/health'" in after
    assert "      await initDb();\n      initDbDone = true;" in after and "await initDb();\n  } catch" not in after


def test_an_imported_init_also_started_elsewhere_is_reported(tmp_path: Path) -> None:
    """Another module runs the init at start-up too: a second start-up caller would race it (no promise kept)."""
    server = "'use strict';\nconst { initDb } = require('./db');\ninitDb().then(() => require('./app'));\n"
    tree = _tree(tmp_path, {"services/api/package.json": '{"name": "api", "main": "server.js"}\n',
                            "services/api/app.js": IMPORTED_INIT_APP, "services/api/db.js": IMPORTED_INIT_DB,
                            "services/api/server.js": server})
    _, run = run_on_tree("eager-init", tree)
    (finding,) = run.findings
    assert not run.changes and "is also called in services/api/server.js" in finding.message, finding.message


def test_the_flag_keeping_inits_fact_reads_every_export_form() -> None:
    from fixer.repo import SourceFile

    body = "{\n  if (ready) return;\n  await connect();\n  ready = true;\n}\n"
    for code, name in ((f"let ready = false;\nexport async function initDb() {body}", "initDb"),
                       (f"let ready = false;\nexport default async function initDb() {body}", "default"),
                       (f"let ready = false;\nasync function f() {body}export {{ f as boot }};\n", "boot"),
                       (f"let ready = false;\nconst f = async () => {body};\nexport default f;\n", "default"),
                       (f"let ready = false;\nasync function f() {body}module.exports = {{ start: f }};\n", "start"),
                       (f"let ready = false;\nexports.warm = async function () {body};\n", "warm"),
                       (f"let ready = false;\nasync function f() {body}module.exports = f;\n", "default")):
        found = eager_init.flag_keeping_inits(SourceFile("db.js", code.encode(), None))  # type: ignore[arg-type]
        assert found == ((name, "ready", "", ""),), code
    # no `if (flag) return` in the bytes: no parse
    assert eager_init.flag_keeping_inits(SourceFile("x.js", b"let a = false; a = true;", None)) == ()  # type: ignore[arg-type]


def test_a_hono_sub_app_mounted_on_the_served_app_gets_ready_on_the_served_app() -> None:
    from fixer.repo import SourceFile

    (lazy,) = eager_init.find_lazy_inits(SourceFile("services/h/src/index.js", HONO_SUB_APP.encode(), None))  # type: ignore[arg-type]
    assert lazy.not_moved is None and lazy.hono and lazy.app == "api" and lazy.root == "app" and lazy.mounted


@pytest.mark.node
def test_an_imported_init_keeping_its_flag_starts_eagerly_with_real_express(tmp_path: Path, node_modules: Path) -> None:
    """Rewritten and run with real Express: /health at once, /ready and the API 503 until the database is up,
    then /ready turns 200 without any API request (the init ran at start-up), then the API answers."""
    after = _run_twice_files(tmp_path, {"server.js": IMPORTED_INIT_APP, "db.js": IMPORTED_INIT_DB}, node_modules)
    assert "let initDbDone = false;" in after


@pytest.mark.node
def test_a_hono_sub_app_with_create_middleware_starts_eagerly_with_real_hono(tmp_path: Path) -> None:
    """A sub-app mounted at /api with `createMiddleware` of hono/factory, run with real Hono on @hono/node-server."""
    import nodeenv

    modules = nodeenv.extra_packages({"hono": HONO_VERSION, "@hono/node-server": HONO_NODE_SERVER_VERSION})
    after = _run_twice_files(tmp_path, {"server.js": HONO_SUB_APP}, modules, module=True)
    assert "app.get('/ready', (c) => {" in after and "api.get('/ready'" not in after


def _run_twice_files(tmp_path: Path, files: dict[str, str], modules: Path, module: bool = False) -> str:
    """services/api of `files` (run: server.js) rewritten and run: /health 200 at once, /ready and /api/items 503;
    once the database is up, /ready 200 with no API request in between, then /api/items 200. server.js after."""
    import json

    from harness import write_changes
    from nodeenv import start_service
    from test_eager_init_e2e import wait_ready

    manifest = {"name": "api", "main": "server.js", **({"type": "module"} if module else {})}
    tree = _tree(tmp_path / "tree", {"package.json": '{ "name": "acme", "private": true }\n',
                            "services/api/package.json": json.dumps(manifest) + "\n",
                            **{f"services/api/{name}": code for name, code in files.items()}})
    (tree / "node_modules").symlink_to(modules, target_is_directory=True)
    _, run = run_on_tree("eager-init", tree)
    assert sorted(run.changes) == ["services/api/server.js"], [f.message for f in run.findings]
    write_changes(tree, run)
    up = tmp_path / "db-up"
    with start_service(tree, "api", env={"DB_UP_FILE": str(up)}) as service:
        assert service.get("/health")[0] == 200, service.output()
        assert service.get("/ready")[0] == 503
        assert service.get("/api/items")[0] == 503
        up.write_text("")
        wait_ready(service, timeout=10)  # only /ready asked: the start-up loop initialised
        assert service.get("/api/items") == (200, '{"data":[]}')
        assert service.alive() and "api initialized" in service.output(), service.output()
    return run.changes["services/api/server.js"].after.decode()
