"""db-degradation on the sample monorepo: what a reviewer is told, that the result
type-checks, and (with real Node) that degraded mode starts a service whose database is
down while the old behaviour stays when the flag is not set."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from fixer import report
from harness import run_on_tree, write_changes
from nodeenv import SAMPLE_MONOREPO, prepare_tree, start_service, tsc
from transforms import db_degradation, registry

DOWN = {
    "NODE_ENV": "development",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/none",  # port 9 (discard): nothing listens
    "DB_MAX_RETRIES": "2",
    "DB_RETRY_DELAY_MS": "50",
}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "db-degradation"


def test_every_caller_is_in_the_reviewers_note() -> None:
    _, run = run_on_tree("db-degradation", SAMPLE_MONOREPO)
    assert not run.problems
    assert sorted(run.changes) == [
        "env.template",  # ALLOW_DEGRADED_MODE documented
        "services/course-service/src/app.ts", "services/course-service/src/config/database.ts",
        "services/student-service/app.js", "services/student-service/config/database.js",
    ]
    assert run.changes["env.template"].after.endswith(b"ALLOW_DEGRADED_MODE=false\n")
    course = next(f for f in run.findings if f.path == "services/course-service/src/config/database.ts")
    assert course.note and "services/course-service/src/app.ts:22 (`if (!pool) return;` added" in course.note
    student = next(f for f in run.findings if f.path == "services/student-service/config/database.js")
    assert "services/student-service/app.js:14" in student.note and "services/student-service/index.js:18 (result unused)" in student.note
    message = report.commit_message(run, registry()["db-degradation"])
    assert "What to review:" in message and "ALLOW_DEGRADED_MODE" in message
    assert "Promise<Pool | null>" in run.changes["services/course-service/src/config/database.ts"].after.decode()


def test_it_is_a_review_fix() -> None:
    assert db_degradation.INFO.safety == "review"


def _wait_exit(service, timeout: float = 10.0) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = service.proc.poll()
        if code is not None:
            return code
        time.sleep(0.1)
    return None


def _exit_code(tree: Path, name: str, env: dict[str, str]) -> int | None:
    """How the service ends within 10 s (None: still running), whether it exits before or
    after opening its port."""
    try:
        service = start_service(tree, name, env=env)
    except RuntimeError as exited:
        assert "exited with code" in str(exited), exited
        return int(str(exited).split("exited with code ")[1].split()[0])
    with service:
        return _wait_exit(service)


def _degrades(tree: Path, name: str, health: int) -> Any:
    """With its database down the service exits 1 before the fix and, without the flag, still
    after it; with ALLOW_DEGRADED_MODE=true it stays up, says so, and /health answers `health`.
    Returns the fix's run."""
    assert _exit_code(tree, name, DOWN) == 1
    _, run = run_on_tree("db-degradation", tree)
    write_changes(tree, run)
    assert _exit_code(tree, name, DOWN) == 1
    with start_service(tree, name, env={**DOWN, "ALLOW_DEGRADED_MODE": "true"}) as service:
        assert _wait_exit(service, timeout=3) is None, service.output()
        assert "Starting in degraded mode: PostgreSQL unavailable" in service.output()
        assert service.get("/health")[0] == health
    return run


@pytest.mark.node
def test_degraded_mode_keeps_a_service_up_without_its_database(sample_tree: Path) -> None:
    connect_on_start = {**DOWN, "DB_CONNECT_ON_START": "true"}
    # before: student-service exits when PostgreSQL is down at start-up
    assert _exit_code(sample_tree, "student-service", connect_on_start) == 1

    _, run = run_on_tree("db-degradation", sample_tree)
    write_changes(sample_tree, run)
    assert tsc(sample_tree) == []
    for name in ("services/student-service/config/database.js", "services/student-service/app.js"):
        subprocess.run(["node", "--check", str(sample_tree / name)], check=True)

    # the flag unset: exactly the old behaviour
    assert _exit_code(sample_tree, "student-service", connect_on_start) == 1

    # the flag set: it stays up, says so, and serves its probes
    with start_service(sample_tree, "student-service", env={**connect_on_start, "ALLOW_DEGRADED_MODE": "true"}) as service:
        assert _wait_exit(service, timeout=3) is None, service.output()
        assert "Starting in degraded mode: PostgreSQL unavailable" in service.output()
        assert service.get("/health")[0] == 200

    # course-service: its lazy init no longer fails in degraded mode; without the flag it still answers 503
    with start_service(sample_tree, "course-service", env=DOWN) as service:
        assert service.get("/api/courses")[0] == 503
    with start_service(sample_tree, "course-service", env={**DOWN, "ALLOW_DEGRADED_MODE": "true"}) as service:
        status, _body = service.get("/api/courses")
        assert status == 500, "degraded: the request reaches the route and fails there (getPool), not in init"
        assert "Starting in degraded mode" in service.output()
        assert service.alive()


@pytest.mark.node
def test_the_week_two_code_fixes_together_still_type_check(sample_tree: Path) -> None:
    for fix_id in ("db-degradation", "eager-init", "stdout-logging"):
        _, run = run_on_tree(fix_id, sample_tree)
        assert not run.problems, (fix_id, run.problems)
        write_changes(sample_tree, run)
    assert tsc(sample_tree) == []


def _type_check_fixture(case: str, tmp_path: Path) -> list[str]:
    """tsc --strict over a db-degradation fixture's `after/` tree (only pg, express and the
    node types are needed)."""
    tree = tmp_path / case
    shutil.copytree(FIXTURES / case / "after", tree)
    (tree / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"strict": True, "noEmit": True, "target": "ES2022", "module": "commonjs",
                            "esModuleInterop": True, "skipLibCheck": True, "types": ["node"]},
        "include": ["services/**/*.ts"],
    }))
    prepare_tree(tree)
    return tsc(tree)


@pytest.mark.node
def test_a_caller_with_a_declared_type_still_type_checks(tmp_path: Path) -> None:
    """`const pool: Pool = await initPostgres()` would be TS2322 once the function may return null."""
    assert _type_check_fixture("annotated-caller", tmp_path) == []


@pytest.mark.node
def test_only_the_caller_listed_for_review_fails_to_type_check(tmp_path: Path) -> None:
    """start() (uses wrapped in `if (pool)`) type-checks; startAdmin(), listed for the reviewer, does not."""
    diagnostics = _type_check_fixture("caller-starts-server", tmp_path)
    assert len(diagnostics) == 1 and diagnostics[0].startswith("services/api/src/index.ts(27,"), diagnostics


def test_a_caller_that_starts_the_server_never_returns_before_it() -> None:
    _, run = run_on_tree("db-degradation", FIXTURES / "caller-starts-server" / "before")
    after = run.changes["services/api/src/index.ts"].after.decode()
    start = after[after.index("async function start()"):after.index("export async function startAdmin")]
    assert "return" not in start and start.index("if (pool) {") < start.index("app.listen(")
    reviewed = next(f for f in run.findings if f.line == 24)
    assert not reviewed.changes and "guard its uses by hand" in reviewed.message


def test_a_then_callback_that_reads_the_value_is_listed_for_review() -> None:
    """connectDB() exits from its catch and now returns null: `.then((conn) => conn.…)` would
    throw there (TS18047 under strict), so the reviewer is told where; a `.then(() => …)`
    that ignores the value is listed as unused."""
    _, run = run_on_tree("db-degradation", FIXTURES / "then-caller" / "before")
    degraded = next(f for f in run.findings if f.path == "services/api/src/db.ts")
    assert "services/api/src/index.ts:6 (`conn` in its `.then` callback may be null" in degraded.note
    assert "services/api/src/worker.ts:4 (result unused" in degraded.note
    message = report.commit_message(run, registry()["db-degradation"])
    assert "services/api/src/index.ts:6" in message.split("What to review:")[1]


def test_an_exit_that_skips_starting_the_server_is_never_degraded_with_a_return() -> None:
    """With a `return` in the catch, degraded mode would end start-up without listening."""
    for case in ("listen-in-connect-block", "wrapper-exit"):
        _, run = run_on_tree("db-degradation", FIXTURES / case / "before")
        assert run.findings and not run.changes, case
        assert all("not degraded" in f.message for f in run.findings), case


def test_a_server_start_the_exit_could_skip_indirectly_is_reported() -> None:
    """A function passed to `.then` by name, an 'open' handler, an imported or aliased start
    after the `try`, a value read from `await connect().catch(exit)`: never degraded."""
    _, run = run_on_tree("db-degradation", FIXTURES / "indirect-server-start" / "before")
    assert not run.changes and len(run.findings) == 6
    assert all("not degraded" in f.message for f in run.findings)


def test_a_guard_never_skips_an_imported_server_start() -> None:
    """main() awaits the local ensureSchema(pool) then calls the imported startServer(): only the
    use is wrapped, and no `return` comes before startServer()."""
    _, run = run_on_tree("db-degradation", FIXTURES / "caller-starts-server-indirectly" / "before")
    after = run.changes["services/api/src/index.js"].after.decode()
    main = after[after.index("async function main()"):]
    assert "return" not in main and main.index("if (pool) {") < main.index("startServer();")
    assert "services/api/src/worker.js" not in run.changes


def test_a_listen_before_the_connect_is_degraded() -> None:
    _, run = run_on_tree("db-degradation", FIXTURES / "listen-before-connect" / "before")
    assert "ALLOW_DEGRADED_MODE" in run.changes["services/api/src/index.js"].after.decode()


def test_a_default_exported_init_function_lists_its_callers() -> None:
    """`module.exports = connectDB` is called through a default import: the note names that
    caller instead of "none found in this repository"."""
    _, run = run_on_tree("db-degradation", FIXTURES / "default-export-caller" / "before")
    exit_finding = next(f for f in run.findings if f.path == "services/api/src/config/db.js")
    assert "check every caller: services/api/src/server.js:8 (" in (exit_finding.note or "")


@pytest.mark.node
def test_only_the_callers_whose_handlers_close_over_the_pool_fail_to_type_check(tmp_path: Path) -> None:
    """The guarded caller (a `.map` callback after `if (!pool) return;`) type-checks; the two left
    for review (route handlers closing over `pool`) fail until edited, as their findings say."""
    diagnostics = _type_check_fixture("route-handlers-close-over-pool", tmp_path)
    files = sorted({d.split("(")[0] for d in diagnostics})
    assert files == ["services/api/src/admin.ts", "services/api/src/index.ts"], diagnostics
    assert all("TS18047" in d for d in diagnostics), diagnostics



def test_an_exit_after_an_imported_connect_fails_the_degraded_mode_items() -> None:
    """`connect().then(() => app.listen()).catch(() => process.exit(1))` with `connect` from
    ./db exits at start-up when the database is down: reported (never edited), so the
    checklist's database items are ❌, not ✅ "connects lazily"."""
    from fixer import checklist, config as config_mod
    from fixer.repo import DirectorySource, Repo
    from fixer.runner import run_fixes

    root = FIXTURES / "imported-connect-exit" / "before"
    modules = {fix_id: registry()[fix_id] for fix_id in ("db-degradation", "eager-init")}
    repo = Repo(root, DirectorySource(root), config_mod.load(root, modules))
    runs = run_fixes(repo, [(m, config_mod.options_for(m.INFO, repo.config)) for m in modules.values()],
                     findings_only=True)
    entry = next(f for run in runs for f in run.findings if f.path == "services/api/src/index.js")
    assert not entry.fixable and "let connect() degrade itself" in entry.message
    built = checklist.build(repo, runs, modules)
    for key in ("res.db", "res.degraded"):
        item = built.item(key)
        assert item.status == checklist.FAIL, (key, item.summary)
        assert any(e.where() == "services/api/src/index.js:14" for e in item.evidence)
        assert not any("lazily" in e.text for e in item.evidence)


def test_a_router_factory_given_the_pool_is_never_skipped() -> None:
    """`app.use(makeRouter(pool))` and `const routes = createRoutes(pool); app.use('/api', routes)`:
    skipping them in degraded mode would take the routes (and a /health among them) away, so the
    callers are reported, not wrapped or guarded; `app.use(express.json())` is never skipped."""
    _, run = run_on_tree("db-degradation", FIXTURES / "router-factory-given-the-pool" / "before")
    assert "services/api/src/index.ts" not in run.changes and "services/api/src/courses.ts" not in run.changes
    status = run.changes["services/api/src/status.ts"].after.decode()
    assert "return" not in status and status.index("if (pool) {") < status.index("app.get('/status'")
    reported = [f for f in run.findings if f.path in ("services/api/src/index.ts", "services/api/src/courses.ts")]
    assert len(reported) == 2 and all("handed to a route registration" in f.message and not f.changes for f in reported)


def _service_tree(tmp_path: Path, case: str) -> Path:
    tree = tmp_path / case
    shutil.copytree(FIXTURES / case / "before", tree)
    prepare_tree(tree)
    return tree


PROBE_SERVICE = """\
const express = require("express");
const { Pool } = require("pg");

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();
app.get("/health", (req, res) => res.json({ status: "ok" }));

pool.query("SELECT 1").then(() => console.log("database ready"));

app.listen(process.env.PORT || 3000, () => console.log("listening"));
"""


@pytest.mark.node
def test_an_uncaught_connect_at_start_up_no_longer_ends_a_degraded_service(tmp_path: Path) -> None:
    """A top-level probe with no `.catch` (as `mongoose.connect(uri);`): the unhandled rejection
    ends the process when the database is down, even after it listens. With the `.catch` added,
    the flag unset still exits 1; set, the service stays up and /health answers."""
    tree = tmp_path / "tree"
    (tree / "services" / "probe" / "src").mkdir(parents=True)
    (tree / "services" / "probe" / "package.json").write_text(
        '{"name":"probe","main":"src/server.js","dependencies":{"express":"4.21.2","pg":"8.13.1"}}')
    (tree / "services" / "probe" / "src" / "server.js").write_text(PROBE_SERVICE)
    prepare_tree(tree)
    assert "services/probe/src/server.js" in _degrades(tree, "probe", 200).changes


@pytest.mark.node
def test_routes_built_from_a_null_pool_still_exist_in_degraded_mode(tmp_path: Path) -> None:
    """The /health of a router built by `makeRouter(pool)` answers in degraded mode (an error from
    the unchecked null pool, for the reviewer to turn into a 503), never 404, and the process lives."""
    tree = _service_tree(tmp_path, "router-factory-given-the-pool")
    _, run = run_on_tree("db-degradation", tree)
    write_changes(tree, run)
    with start_service(tree, "api", env={**DOWN, "ALLOW_DEGRADED_MODE": "true"}) as service:
        assert _wait_exit(service, timeout=3) is None, service.output()
        assert service.get("/health")[0] == 500
        assert service.alive()


@pytest.mark.node
def test_a_class_method_that_returns_nothing_degrades(tmp_path: Path) -> None:
    """`await db.connect()` then `app.listen()`: with the flag the service starts and its /health
    says the database is down; without it, it still exits 1."""
    _degrades(_service_tree(tmp_path, "class-method-returning-nothing"), "api", 503)


@pytest.mark.node
def test_only_the_callers_handing_the_pool_to_a_router_fail_to_type_check(tmp_path: Path) -> None:
    """status.ts (uses wrapped) and schema.ts (guarded) type-check; the two callers reported for
    handing `pool` to a router factory fail until edited, as their findings say."""
    diagnostics = _type_check_fixture("router-factory-given-the-pool", tmp_path)
    assert sorted(d.split("(")[0] for d in diagnostics) == ["services/api/src/courses.ts", "services/api/src/index.ts"]


START_FUNCTION_SERVICE = """\
const express = require("express");
const { Pool } = require("pg");

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();
app.get("/health", async (req, res) => {
  try {
    await pool.query("SELECT 1");
    res.json({ status: "ok" });
  } catch {
    res.status(503).json({ status: "degraded" });
  }
});

async function main() {
  await pool.query("SELECT 1");
  app.listen(process.env.PORT || 3000, () => console.log("listening"));
}

main();
"""


def _one_service(tmp_path: Path, source: str) -> Path:
    tree = tmp_path / "tree"
    (tree / "services" / "probe" / "src").mkdir(parents=True)
    (tree / "services" / "probe" / "package.json").write_text(
        '{"name":"probe","main":"src/server.js","dependencies":{"express":"4.21.2","pg":"8.13.1"}}')
    (tree / "services" / "probe" / "src" / "server.js").write_text(source)
    prepare_tree(tree)
    return tree


@pytest.mark.node
def test_a_connect_in_a_start_function_whose_call_catches_nothing_degrades(tmp_path: Path) -> None:
    """`async function main() { await pool.query('SELECT 1'); app.listen(…) } main();`: the
    rejection of main() is unhandled and ends the process before it listens. The `.catch` goes
    on the connect inside main(), so a degraded start still reaches the listen: with the flag
    the service stays up and /health answers 503; without it, it still exits 1."""
    run = _degrades(_one_service(tmp_path, START_FUNCTION_SERVICE), "probe", 503)
    after = run.changes["services/probe/src/server.js"].after.decode()
    assert after.index('await pool.query("SELECT 1").catch((error) => {') < after.index("app.listen(")


@pytest.mark.node
def test_an_unhandled_rejection_handler_that_logs_keeps_the_service_up_and_nothing_is_found(tmp_path: Path) -> None:
    """With `process.on('unhandledRejection', log)` an uncaught top-level probe does not end the
    process (checked with real Node), so it is no start-up crash: no finding, no change."""
    source = PROBE_SERVICE.replace(
        'const app = express();',
        'process.on("unhandledRejection", (reason) => console.error("unhandled", reason));\nconst app = express();')
    tree = _one_service(tmp_path, source)
    with start_service(tree, "probe", env=DOWN) as service:
        assert _wait_exit(service, timeout=3) is None, service.output()
        assert "unhandled" in service.output()
        assert service.get("/health")[0] == 200
    _, run = run_on_tree("db-degradation", tree)
    assert not run.findings and not run.changes


BOOTSTRAP_CATCH_SERVICE = START_FUNCTION_SERVICE.replace("main();", """\
main().catch((error) => {
  console.error("start-up failed", error);
  process.exit(1);
});""")


@pytest.mark.node
def test_an_exit_after_a_start_function_that_connects_degrades_the_connect_inside(tmp_path: Path) -> None:
    """`main().catch((error) => { …; process.exit(1) })` where main() awaits the connect and then
    listens (graceful-shutdown's async-bootstrap shape): the exit stays for every other failure,
    and the `.catch` goes on the connect inside main(). Without the flag it still exits 1; with
    it the service starts, logs the degraded start, and /health answers 503."""
    run = _degrades(_one_service(tmp_path, BOOTSTRAP_CATCH_SERVICE), "probe", 503)
    after = run.changes["services/probe/src/server.js"].after.decode()
    assert after.index('await pool.query("SELECT 1").catch((error) => {') < after.index("app.listen(")
    assert after.endswith(BOOTSTRAP_CATCH_SERVICE[BOOTSTRAP_CATCH_SERVICE.index("main().catch("):])  # exit kept


def test_every_message_is_one_line() -> None:
    """A message quoting code quotes one line of it (the first, shortened): the @directus/api
    finding quoted a three-line `database.on('query', …)` chain."""
    for case in sorted(p for p in FIXTURES.iterdir() if (p / "before").is_dir()):
        _, run = run_on_tree("db-degradation", case / "before", verify=False)
        for finding in run.findings:
            assert "\n" not in finding.message, (case.name, finding.message)


def test_a_retry_function_warns_through_its_log_parameter_in_one_string(tmp_path: Path) -> None:
    """connectWithRetry(log) already calls `log.warn(…)`: the degraded-mode warning before its final
    `throw error` goes there, with the error's message inside the one string (no console.warn for
    console-to-logger to flag, no second argument a pino-like logger would take for a format value)."""
    db = tmp_path / "services" / "api" / "src" / "db.js"
    db.parent.mkdir(parents=True)
    (tmp_path / "services" / "api" / "package.json").write_text('{"name":"api","main":"src/index.js","dependencies":{"pg":"^8.11.0"}}\n')
    db.write_text("const { Pool } = require('pg');\n\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL });\n\n"
                  "async function connectWithRetry(log, attempts = 5) {\n  for (let attempt = 1; ; attempt++) {\n    try {\n"
                  "      await pool.query('SELECT 1');\n      return;\n    } catch (error) {\n"
                  "      log.warn(`attempt ${attempt} failed`);\n      if (attempt >= attempts) throw error;\n"
                  "      await new Promise((resolve) => setTimeout(resolve, 1000));\n    }\n  }\n}\n\n"
                  "module.exports = { connectWithRetry };\n")
    _, run = run_on_tree("db-degradation", tmp_path)
    after = run.changes["services/api/src/db.js"].after.decode()
    assert "log.warn(`Starting in degraded mode: PostgreSQL unavailable (ALLOW_DEGRADED_MODE=true): ${error instanceof " \
           "Error ? error.message : String(error)}`);" in after
    assert "console." not in after


def test_one_string_escapes_what_a_template_literal_would_read() -> None:
    line = db_degradation._one_string("log", "a `b` ${c} \\d", "error", ";")
    assert line == "log.warn(`a \\`b\\` \\${c} \\\\d: ${error instanceof Error ? error.message : String(error)}`);"


def test_a_logger_not_shown_to_have_warn_gets_console_and_the_note_says_why() -> None:
    """A logger of a kind fixer does not know whose calls are only `.error(…)` (a local `const logger =
    makeThing()`, a `log` parameter, an imported object) may have no `warn`: the degraded-mode warning
    uses console.warn (a `logger.warn(…)` would throw a TypeError just when the database is down), and
    the note says why rather than "available at this point" alone."""
    _, run = run_on_tree("db-degradation", FIXTURES / "local-logger-without-warn" / "before", verify=False)
    notes = {finding.path.split("/")[1]: finding.note for finding in run.findings}
    assert "console.warn: `logger`, which this code logs through, has no `warn` method that fixer can see" in notes["api"]
    assert "console.warn: `logger`, which this code logs through" in notes["billing"]
    assert "console.warn: `log`, which this code logs through" in notes["jobs"]
    assert "console.warn: the file's logger `logger` has no `warn` method that fixer can see" in notes["orders"]
    assert "console.warn" not in notes["reports"]
    after = run.changes["services/api/src/index.js"].after.decode()
    assert "logger.warn(" not in after and "console.warn('Starting in degraded mode" in after


@pytest.mark.node
def test_the_code_written_for_connects_imported_by_name_and_imported_clients_parses(tmp_path: Path) -> None:
    """The degraded code written for a connect imported by name (`const { connect } = require('mongoose')`),
    a retry loop on a client of the project's own module (`db.pool.connect()`, `import pool from './db'`)
    and a connect whose client's schema step catches its failure: node --check, and strict tsc for the
    TypeScript service whose packages the test environment has (pg, express, winston)."""
    for case, name in (("connect-imported-by-name", "services/legacy/src/server.js"),
                       ("retry-loop-client-from-project-module", "services/ledger/src/index.js"),
                       ("schema-step-on-the-same-client", "services/payments/src/db.js")):
        subprocess.run(["node", "--check", str(FIXTURES / case / "after" / name)], check=True)
    assert _type_check_fixture("retry-loop-client-from-project-module", tmp_path) == []


def test_a_named_connect_is_told_from_a_function_of_the_same_name_of_another_module(tmp_path: Path) -> None:
    """`connect` is a database connect only when a database module exports it: amqplib's `connect`,
    or the file's own `connect()` that wraps `mongoose.connect`, is none (this one finding is the
    wrapped mongoose connect's, through main())."""
    service = tmp_path / "services" / "api"
    (service / "src").mkdir(parents=True)
    (service / "package.json").write_text('{"name":"api","main":"src/server.js"}\n')
    (service / "src" / "server.js").write_text(
        "const http = require('http');\nconst mongoose = require('mongoose');\nconst { connect: amqp } = require('amqplib');\n\n"
        "async function connect() {\n  await mongoose.connect(process.env.MONGO_URL);\n}\n\n"
        "async function main() {\n  await amqp(process.env.AMQP_URL);\n  await connect();\n"
        "  http.createServer((req, res) => res.end('ok')).listen(3000);\n}\n\nmain();\n")
    _, run = run_on_tree("db-degradation", tmp_path)
    assert [(f.line, f.message.split(":")[0]) for f in run.findings] == [
        (6, "mongoose.connect(), run at start-up by main() (line 15), catches nothing, nor does that call")]
    after = run.changes["services/api/src/server.js"].after.decode()
    assert "await amqp(process.env.AMQP_URL);\n" in after and "await connect();\n" in after


def test_sql_drivers_clients_are_database_clients_for_the_checklist() -> None:
    """mysql's and mariadb's `createPool(cfg)`, mssql's `sql.connect(cfg)` and `new sql.ConnectionPool(cfg)`
    (also imported by name) and oracledb's `createPool(cfg)` make database clients: the checklist counted
    none of them (its items said "no database client in the code")."""
    from fixer.checklist import _named_connects
    code = (b"const mysql = require('mysql');\nconst pool = mysql.createPool({ connectionLimit: 10 });\n"
            b"const mariadb = require('mariadb');\nconst mpool = mariadb.createPool({ host: 'db' });\n"
            b"const sql = require('mssql');\nconst { ConnectionPool } = require('mssql');\n"
            b"sql.connect(config);\nconst apool = new sql.ConnectionPool(config).connect();\n"
            b"const bpool = new ConnectionPool(config);\n"
            b"const oracledb = require('oracledb');\nawait oracledb.createPool({ poolMax: 4 });\n")
    found = sorted(name for _, name in _named_connects(code))
    assert found == ["mariadb createPool", "mssql ConnectionPool", "mssql ConnectionPool", "mssql connect",
                     "mysql createPool", "oracledb createPool"]


def test_typeorm_get_connection_is_no_connect() -> None:
    """`getConnection` connects on a pool (`await pool.getConnection()` of mariadb), but typeorm's
    `getConnection()`, imported by name, returns a connection made already and no promise: no `.catch` on it."""
    assert "getConnection" in db_degradation.CONNECT_METHODS
    assert "getConnection" not in db_degradation.NAMED_CONNECTS


def test_mysql_and_mariadb_pools_connect_lazily_but_oracledb_create_pool_connects(tmp_path: Path) -> None:
    """`await mysql.createPool(cfg)` is no connect (the pool is made at once; mysql has no promises at all),
    `await oracledb.createPool(cfg)` is one (it opens the pool's sessions and rejects when the database is down)."""
    for name, module in (("mysqlsvc", "mysql"), ("mariasvc", "mariadb"), ("oraclesvc", "oracledb")):
        service = tmp_path / "services" / name
        (service / "src").mkdir(parents=True)
        (service / "package.json").write_text(f'{{"name":"{name}","main":"src/server.js"}}\n')
        (service / "src" / "server.js").write_text(
            f"const http = require('http');\nconst db = require('{module}');\n\nasync function init() {{\n  try {{\n"
            "    await db.createPool({ host: process.env.DB_HOST });\n  } catch (err) {\n    process.exit(1);\n  }\n}\n\n"
            "init();\nhttp.createServer((req, res) => res.end('ok')).listen(3000);\n")
    _, run = run_on_tree("db-degradation", tmp_path)
    assert [(f.path, f.line) for f in run.findings] == [("services/oraclesvc/src/server.js", 8)]


# --- per-request callers (hG, session 18): a getter only handlers call is no start-up code ---


def _lambda_handler_names(code: str, kind: str = "ts") -> list[str]:
    from fixer.parsing import typescript as ts
    root = ts.parse(code.encode(), kind).root_node
    return sorted(db_degradation.lambda_handlers(root).values())


def test_lambda_handlers_are_what_lambda_invokes() -> None:
    assert _lambda_handler_names("export const handler = async (event) => event;\n") == ["handler"]
    assert _lambda_handler_names("export async function handler(event) { return event; }\n") == ["handler"]
    assert _lambda_handler_names("exports.handler = async (event) => event;\n", "js") == ["handler"]
    assert _lambda_handler_names("async function run(e) { return e; }\nmodule.exports = { handler: run };\n", "js") == ["handler"]
    assert _lambda_handler_names("async function handler(e) { return e; }\nmodule.exports = { handler };\n", "js") == ["handler"]
    # typed by aws-lambda, whatever the export's name
    assert _lambda_handler_names("import type { SQSEvent } from 'aws-lambda';\n"
                                 "export const consume = async (event: SQSEvent) => event;\n") == ["consume"]
    assert _lambda_handler_names("import { Handler } from 'aws-lambda';\nexport const main: Handler = async (e) => e;\n") == ["main"]
    # neither exported as `handler` nor typed: may be anything
    assert _lambda_handler_names("export async function start() {}\nconst handler = async () => {};\n") == []


def test_a_getter_called_at_start_up_and_per_request_is_still_degraded(tmp_path: Path) -> None:
    """Only a function every caller of which runs per request is left alone: one that start-up calls
    too is degraded as before, and its per-request caller is still listed for the reviewer."""
    service = tmp_path / "services" / "orders"
    (service / "src").mkdir(parents=True)
    (service / "package.json").write_text('{"name": "orders", "main": "src/server.js", "dependencies": {"pg": "^8"}}')
    (service / "src" / "db.js").write_text(
        "const { Pool } = require('pg');\nlet pool = null;\n"
        "async function getPool() {\n  if (pool) return pool;\n  const candidate = new Pool();\n"
        "  for (let attempt = 1; attempt <= 3; attempt++) {\n    try {\n      await candidate.query('SELECT 1');\n"
        "      pool = candidate;\n      return pool;\n    } catch (err) {\n      if (attempt === 3) throw err;\n    }\n  }\n}\n"
        "module.exports = { getPool };\n")
    (service / "src" / "server.js").write_text(
        "const express = require('express');\nconst { getPool } = require('./db');\nconst app = express();\n"
        "app.get('/orders', async (req, res) => {\n  const pool = await getPool();\n"
        "  res.json((await pool.query('SELECT 1')).rows);\n});\n"
        "getPool().then(() => app.listen(3000));\n")
    _, run = run_on_tree("db-degradation", tmp_path, verify=False)
    assert "services/orders/src/db.js" in run.changes
    finding = next(f for f in run.findings if f.path == "services/orders/src/db.js")
    assert "services/orders/src/server.js:5" in (finding.note or "")


def test_an_exit_in_a_lambda_handler_or_a_function_only_it_calls_is_no_start_up_exit() -> None:
    from fixer.parsing import typescript as ts
    code = ("import mongoose from 'mongoose';\n"
            "async function connect() {\n  try { await mongoose.connect(process.env.URI); } catch (e) { process.exit(1); }\n}\n"
            "export const handler = async (event) => {\n  await connect();\n"
            "  try { await mongoose.connect(process.env.URI); } catch (e) { process.exit(1); }\n  return event;\n};\n")
    root = ts.parse(code.encode(), "ts").root_node
    assert list(db_degradation.startup_exits(root, "services/a/src/app.ts")) == []
    # the same function called as the module loads is start-up
    started = ts.parse((code + "connect();\n").encode(), "ts").root_node
    assert [e.statement.start_point[0] + 1 for e in db_degradation.startup_exits(started, "services/a/src/app.ts")] == [3]


def test_a_readiness_mark_the_degraded_caller_would_reach_is_listed_for_review(tmp_path: Path) -> None:
    """`const pool = await initDb(); isReady = true;` (pool unused), and a wrapped use followed by
    `health.setStatus('', 'SERVING')` before listen: the mark ran only once connected, and would now
    report ready with no database; `already = true` and `notReady = true` mark nothing."""
    service = tmp_path / "services" / "api"
    (service / "src").mkdir(parents=True)
    (service / "package.json").write_text('{"name": "api", "main": "src/index.js", "dependencies": {"pg": "^8"}}')
    (service / "src" / "db.js").write_text(
        "const { Pool } = require('pg');\n"
        "async function initDb() {\n  const pool = new Pool();\n  for (let attempt = 1; ; attempt++) {\n    try {\n"
        "      await pool.query('SELECT 1');\n      return pool;\n    } catch (err) {\n      if (attempt === 3) throw err;\n"
        "    }\n  }\n}\nmodule.exports = { initDb };\n")
    (service / "src" / "index.js").write_text(
        "const express = require('express');\nconst { initDb } = require('./db');\nconst app = express();\n"
        "let isReady = false;\nlet already = false;\nlet notReady = false;\n"
        "async function one() {\n  const pool = await initDb();\n  isReady = true;\n}\n"
        "async function two() {\n  const pool = await initDb();\n  app.locals.pool = pool;\n"
        "  health.setStatus('', 'SERVING');\n  app.listen(3000);\n}\n"
        "async function three() {\n  const pool = await initDb();\n  already = true;\n  notReady = true;\n}\n"
        "one();\ntwo();\nthree();\n")
    _, run = run_on_tree("db-degradation", tmp_path, verify=False)
    finding = next(f for f in run.findings if f.path == "services/api/src/db.js")
    assert "services/api/src/index.js:8 (the code after it marks the service ready (`isReady = true`)" in finding.note
    assert ("services/api/src/index.js:12 (the code after the uses of `pool` marks the service ready "
            "(`health.setStatus('', 'SERVING')`)") in finding.note
    assert "services/api/src/index.js:18 (`pool` unused)" in finding.note, finding.note


def test_a_request_listener_given_to_create_server_runs_per_request(tmp_path: Path) -> None:
    """`http.createServer(async (req, res) => { … pool.query(…) … })` inside `main()`: the listener
    runs per request, so `pool` is a use in a function that runs later (a per-request check by hand),
    not one "before the server starts" whose uses call createServer()."""
    from fixer.parsing import typescript as ts
    service = tmp_path / "services" / "db"
    (service / "src").mkdir(parents=True)
    (service / "package.json").write_text('{"name": "db", "type": "module", "dependencies": {"pg": "^8"}}')
    shutil.copy(FIXTURES / "top-level-await-caller" / "before" / "services" / "db" / "src" / "database.ts",
                service / "src" / "database.ts")
    (service / "src" / "index.ts").write_text(
        "import http from 'node:http'\nimport { initPostgres } from './database.js'\n\n"
        "async function main() {\n  const pool = await initPostgres()\n\n"
        "  const server = http.createServer(async (_req, res) => {\n"
        "    const { rows } = await pool.query('SELECT now()')\n    res.end(JSON.stringify(rows[0]))\n  })\n"
        "  server.listen(Number(process.env.PORT ?? 3000))\n}\nmain()\n")
    _, run = run_on_tree("db-degradation", tmp_path, verify=False)
    caller = next(f for f in run.findings if f.path == "services/db/src/index.ts")
    assert "`pool` is used in a function that runs later (line 8, such as a route handler)" in caller.message
    assert not caller.fixable
    root = ts.parse((service / "src" / "index.ts").read_bytes(), "ts").root_node
    query = next(c for c in ts.descendants(root, "call_expression") if ts.node_text(c).startswith("pool.query"))
    assert db_degradation.per_request(query) == "a callback given to createServer(…), which runs per request or event"


# (helper H4, session 19: a test of fixer/checklist.py's `sec_validation`, kept here as the test file this task
# owns; it belongs with tests/test_checklist.py)
def test_checklist_input_validation_reads_feathers_services(tmp_path: Path) -> None:
    """`app.use('messages', service)` registers a Feathers service: its create/update/patch are served as
    POST/PUT/PATCH with the request body, so "Input validation" is no ➖ (no write route): ❌ when the
    service's class is in the file and has create()/patch(), ❓ when its class is in another file, ✅ with
    Feathers' own validation (@feathersjs/schema hooks); a service with only find() and a middleware given a
    path (`app.use('/static', serveStatic(…))`) take no body."""
    from fixer import checklist, config as config_mod
    from fixer.repo import DirectorySource, Repo
    from gitrepo import write_tree

    def decide(root: Path, files: dict[str, str]) -> checklist.Item:
        write_tree(root, files)
        repo = Repo(root, DirectorySource(root), config_mod.load(root, registry()))
        return next(i for i in checklist.build(repo, {}, set()).items() if i.title == "Input validation on all endpoints")

    package = '{"name": "chat", "dependencies": {"@feathersjs/feathers": "^5.0.31", "@feathersjs/koa": "^5.0.31"}}\n'
    service = ("class MessageService {\n  async find() { return [] }\n"
               "  async create(data: { text: string }) { return data }\n"
               "  async patch(id: number, data: { text: string }) { return data }\n}\n")
    app = ("import { feathers } from '@feathersjs/feathers'\nimport { koa, rest, bodyParser } from '@feathersjs/koa'\n"
           "{classes}const app = koa(feathers())\napp.use(bodyParser())\napp.configure(rest())\n"
           "app.use('messages', new MessageService())\napp.use('/static', serveStatic('public'))\n"
           "app.listen(3030)\n")
    files = {"services/chat/package.json": package, "services/chat/src/app.ts": app.replace("{classes}", service)}
    item = decide(tmp_path / "a", files)
    assert item.status == checklist.FAIL, item.summary
    assert [e.where() for e in item.evidence] == ["services/chat/src/app.ts:11"]
    assert "POST /messages (a Feathers service's create())" in item.evidence[0].text, item.evidence[0].text

    imported = {"services/chat/package.json": package,
                "services/chat/src/app.ts": app.replace("{classes}", "import { MessageService } from './messages.class'\n"),
                "services/chat/src/messages.class.ts": "export " + service}
    item = decide(tmp_path / "b", imported)
    assert item.status == checklist.UNKNOWN, item.summary
    assert "whose methods are not in this file" in item.evidence[0].text

    validated = dict(imported)
    validated["services/chat/src/app.ts"] = "import { hooks as schemaHooks } from '@feathersjs/schema'\n" + \
        imported["services/chat/src/app.ts"]
    assert decide(tmp_path / "c", validated).status == checklist.PASS

    # Feathers 5 serves only the methods its `methods` option lists
    listed = {**files, "services/chat/src/app.ts": files["services/chat/src/app.ts"].replace(
        "new MessageService())", "new MessageService(), { methods: ['find'] })")}
    assert decide(tmp_path / "d", listed).status == checklist.NA
    reading = {**files, "services/chat/src/app.ts": app.replace(
        "{classes}", "const messages = { async find() { return [] } }\n").replace("new MessageService()", "messages")}
    assert decide(tmp_path / "e", reading).status == checklist.NA


def test_checklist_input_validation_reads_feathers_adapter_services(tmp_path: Path) -> None:
    """A Feathers database adapter's service (`new KnexService(…)`, a class extending it, Feathers 4's
    `createService(options)` of feathers-nedb) has create, update and patch: POST/PUT/PATCH routes."""
    from fixer import checklist, config as config_mod
    from fixer.repo import DirectorySource, Repo
    from gitrepo import write_tree

    def item(root: Path, code: str) -> checklist.Item:
        write_tree(root, {"services/chat/package.json": '{"name": "chat", "dependencies": {"@feathersjs/feathers": "5"}}\n',
                          "services/chat/src/app.js": code})
        repo = Repo(root, DirectorySource(root), config_mod.load(root, registry()))
        return next(i for i in checklist.build(repo, {}, set()).items() if i.title == "Input validation on all endpoints")

    head = "const { feathers } = require('@feathersjs/feathers')\nconst app = feathers()\n"
    knex = item(tmp_path / "a", head + "const { KnexService } = require('@feathersjs/knex')\n"
                "class Messages extends KnexService {}\napp.use('messages', new Messages({ Model: db }))\napp.listen(3030)\n")
    assert knex.status == checklist.FAIL and "POST /messages (a Feathers service's create())" in knex.evidence[0].text
    nedb = item(tmp_path / "b", head + "const createService = require('feathers-nedb')\n"
                "app.use('/messages', createService({ Model }), { methods: ['find', 'patch'] })\napp.listen(3030)\n")
    assert nedb.status == checklist.FAIL and "PATCH /messages (a Feathers service's patch())" in nedb.evidence[0].text
    local = item(tmp_path / "c", head + "const { Base } = require('./base')\n"
                 "class Messages extends Base { find() { return [] } }\napp.use('messages', new Messages())\napp.listen(3030)\n")
    assert local.status == checklist.UNKNOWN, local.summary
