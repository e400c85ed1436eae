"""Session 20, W1: db-degradation and cors-validation pick the logger their new lines log through by the one rule
(`logger.writing_logger`: the repository's logger, else a Fastify instance's `app.log`, else console, said in the
finding): in a Fastify service made with a logger they wrote `console.warn`/`console.error`, which a re-audit's
console-to-logger then reported as fixer's own console lines (Fix 3, critical)."""

from __future__ import annotations

import shutil
from pathlib import Path

from gitrepo import write_tree
from harness import read_tree, run_on_tree, tree_after

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _fixed(fix: str, case: str, tmp_path: Path) -> tuple[dict[str, bytes], list]:
    """The case's before/ fixed by `fix`, written to tmp_path/after, and the findings."""
    before = read_tree(FIXTURES / fix / case / "before")
    _repo, run = run_on_tree(fix, FIXTURES / fix / case / "before")
    after = tree_after(before, run)
    write_tree(tmp_path / "after", {path: data.decode() for path, data in after.items()})
    return after, run.findings


def _console_findings_on(root: Path, path: str, needle: str) -> list[str]:
    """console-to-logger's findings on the lines of `path` that hold `needle` (the lines fixer wrote)."""
    data = read_tree(root)[path].decode().split("\n")
    lines = {n for n, text in enumerate(data, 1) if needle in text}
    assert lines, needle
    _repo, run = run_on_tree("console-to-logger", root)
    return [f"{f.path}:{f.line}: {f.message}" for f in run.findings if f.path == path and f.line in lines]


def test_db_degradation_warns_through_the_fastify_instance_logger(tmp_path: Path) -> None:
    after, findings = _fixed("db-degradation", "w1-fastify-instance-logger", tmp_path)
    api = after["services/api/src/server.js"].decode()
    worker = after["services/worker/src/server.js"].decode()
    # pino's (meta, message) order: `app.log.warn({ error }, 'Starting in degraded mode: …')`
    assert "app.log.warn({ error: error instanceof Error ? error.message : String(error) }, 'Starting in degraded" in api
    assert "app.log.warn({ error: lastError instanceof Error" in worker
    assert "console." not in api and "console." not in worker
    for path in ("services/api/src/server.js", "services/worker/src/server.js"):
        assert not _console_findings_on(tmp_path / "after", path, "Starting in degraded mode"), path


def test_db_degradation_says_why_it_warns_with_console(tmp_path: Path) -> None:
    after, findings = _fixed("db-degradation", "w1-fastify-instance-logger", tmp_path)
    assert "console.warn('Starting in degraded mode" in after["services/quiet/src/server.js"].decode()  # `Fastify()`
    [quiet] = [f for f in findings if f.path == "services/quiet/src/server.js"]
    assert "The warning uses console.warn: no logger was found for this file" in (quiet.note or "")


def test_cors_validation_logs_through_the_fastify_instance_logger(tmp_path: Path) -> None:
    after, findings = _fixed("cors-validation", "w1-fastify-instance-logger", tmp_path)
    api = after["services/api/src/server.js"].decode()
    assert "app.log.error('CORS_ORIGIN must be set in production');" in api and "console." not in api
    assert not _console_findings_on(tmp_path / "after", "services/api/src/server.js", "must be set in production")
    # `Fastify({ logger: false })`: `server.log` drops what it is given: console, and the finding says why
    assert "console.error('CORS_ORIGIN must be set in production')" in after["services/quiet/src/server.ts"].decode()
    [quiet] = [f for f in findings if f.path == "services/quiet/src/server.ts"]
    assert "(logs with console: " in quiet.message


def test_cors_check_above_the_instance_logs_with_console(tmp_path: Path) -> None:
    # the check goes above the statement that uses the list: an instance made below it is not there yet
    code = ("const Fastify = require('fastify');\nconst cors = require('@fastify/cors');\n\n"
            "const origins = process.env.CORS_ORIGIN ? process.env.CORS_ORIGIN.split(',') : ['http://localhost:5173'];\n"
            "const app = Fastify({ logger: true });\n\napp.register(cors, { origin: origins });\n\n"
            "app.listen({ port: 3000 });\n")
    shutil.copytree(FIXTURES / "cors-validation" / "w1-fastify-instance-logger" / "before", tmp_path / "repo")
    write_tree(tmp_path / "repo", {"services/api/src/server.js": code})
    _repo, run = run_on_tree("cors-validation", tmp_path / "repo")
    text = run.changes["services/api/src/server.js"].after.decode()
    assert "console.error('CORS_ORIGIN must be set in production')" in text and "app.log." not in text
    [api] = [f for f in run.findings if f.path == "services/api/src/server.js"]
    assert "(logs with console: " in api.message
