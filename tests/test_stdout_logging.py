"""stdout-logging: the removal helpers it relies on, its result on the sample monorepo,
and (with real Node) that the fixed services no longer create log files."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fixer.parsing import typescript as ts
from harness import run_on_tree, write_changes
from nodeenv import SAMPLE_MONOREPO, start_service, tsc


def _array(source: bytes):
    tree = ts.parse(source, "ts")
    return next(ts.descendants(tree.root_node, "array"))


def _cut(source: bytes, spans: list[tuple[int, int]]) -> bytes:
    for start, end in sorted(spans, reverse=True):
        source = source[:start] + source[end:]
    return source


def test_last_element_of_a_list_without_trailing_comma_takes_the_previous_comma() -> None:
    source = b"const a = [\n  one,\n  two\n];\n"
    array = _array(source)
    two = ts.list_items(array)[1]
    assert _cut(source, ts.list_removal_spans(source, array, [two])) == b"const a = [\n  one\n];\n"


def test_element_lines_go_with_the_comment_above_and_the_comment_after() -> None:
    source = b"const a = [\r\n\tone, // keep\r\n\t// the file\r\n\ttwo, /* x */\r\n\tthree,\r\n];\r\n"
    array = _array(source)
    two = ts.list_items(array)[1]
    assert _cut(source, ts.list_removal_spans(source, array, [two])) == \
        b"const a = [\r\n\tone, // keep\r\n\tthree,\r\n];\r\n"


def test_inline_elements_lose_their_separator_only() -> None:
    source = b"f([one, two, three]);\n"
    array = _array(source)
    one, two, three = ts.list_items(array)
    assert _cut(source, ts.list_removal_spans(source, array, [one])) == b"f([two, three]);\n"
    assert _cut(source, ts.list_removal_spans(source, array, [three])) == b"f([one, two]);\n"
    assert _cut(source, ts.list_removal_spans(source, array, [two, three])) == b"f([one]);\n"


def test_a_statement_between_blank_lines_takes_one_of_them() -> None:
    source = b"a();\n\nif (x) {\n  b();\n}\n\nc();\n"
    statement = ts.parse(source, "ts").root_node.named_children[1]
    assert _cut(source, [ts.statement_removal_span(source, statement)]) == b"a();\n\nc();\n"


def test_the_sample_loses_exactly_its_file_transports() -> None:
    _, run = run_on_tree("stdout-logging", SAMPLE_MONOREPO)
    assert not run.problems
    assert sorted(run.changes) == ["services/student-service/logger.js", "shared/src/config/logger.ts"]
    shared = run.changes["shared/src/config/logger.ts"].after.decode()
    assert "transports.File" not in shared and "fileFormat" not in shared
    assert shared.count("new winston.transports.Console(") == 3  # transports, exceptionHandlers, rejectionHandlers
    assert "File(" not in run.changes["services/student-service/logger.js"].after.decode()
    assert all(f.fixable for f in run.findings) and len(run.findings) == 6


def test_an_edit_that_would_not_parse_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # bring back the old mistake (an `if … else` branch deleted, leaving `if (c)` without a
    # statement): the engine's verification refuses the file (guarantee 2), and says why
    from transforms import stdout_logging
    monkeypatch.setattr(stdout_logging, "_other_branch", lambda statement: None)
    monkeypatch.setattr(stdout_logging, "STATEMENT_LISTS", stdout_logging.STATEMENT_LISTS | {"if_statement"})
    monkeypatch.setattr(stdout_logging, "console_conflicts", lambda *args: {})  # it would refuse first
    (tmp_path / "logger.ts").write_text(
        "import winston from 'winston';\n"
        "const transports: winston.transport[] = []; // parse safety net\n"
        "if (process.env.LOG_FILE) transports.push(new winston.transports.File({ filename: 'a.log' }));\n"
        "else transports.push(new winston.transports.Console());\n"
        "export const logger = winston.createLogger({ transports });\n")
    _, run = run_on_tree("stdout-logging", tmp_path)
    assert not run.changes
    assert [p.path for p in run.problems] == ["logger.ts"] and "parse error" in run.problems[0].message


def _wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.node
@pytest.mark.parametrize("service", ["course-service", "student-service"])
def test_fixed_services_log_json_to_stdout_and_write_no_log_files(sample_tree: Path, service: str) -> None:
    env = {"NODE_ENV": "production", "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/none", "DB_MAX_RETRIES": "1"}
    logs = sample_tree / "services" / service / "logs"
    with start_service(sample_tree, service, env=env) as running:  # before: production writes logs/
        assert _wait_for(logs.is_dir), running.output()
    _, run = run_on_tree("stdout-logging", sample_tree)
    write_changes(sample_tree, run)
    for leftover in sorted(logs.iterdir(), reverse=True):
        leftover.unlink()
    logs.rmdir()

    with start_service(sample_tree, service, env=env) as running:
        assert running.get("/health")[0] == 200
        assert _wait_for(lambda: "listening on port" in running.output()), running.output()
        lines = [json.loads(line) for line in running.output().splitlines() if line.startswith("{")]
        assert any("listening on port" in line.get("message", "") for line in lines), running.output()
    assert not logs.exists()
    assert tsc(sample_tree) == []


def test_the_local_names_of_winston_transports() -> None:
    from transforms import stdout_logging

    def names(source: str) -> set[str]:
        return stdout_logging.winston_transports_names(ts.parse(source.encode(), "ts").root_node)

    assert names("import { transports as t, format } from 'winston';\n") == {"t"}
    assert names("import { transports } from 'winston';\n") == {"transports"}
    assert names("const { createLogger, transports: tr } = require('winston');\n") == {"tr"}
    assert names("import winston from 'winston';\nconst { transports: a } = winston;\nconst b = winston.transports;\n") == {"a", "b"}
    assert names("const c = require('winston').transports;\n") == {"c"}
    # not winston's
    assert names("import { transports as t } from 'pino';\nconst u = other.transports;\n") == set()


FIXED_LOGGERS = [  # (fixture case, file): loggers that had no transport of their own before the fix
    ("logger-created-without-transports", "src/transport-in-a-variable.js"),
    ("logger-created-without-transports", "src/no-options.js"),
    ("logger-created-without-transports", "src/empty-transports.js"),
    ("logger-created-without-transports", "src/uneven-branches.js"),
    ("logger-created-without-transports", "src/crlf-tabs-comments.js"),
    ("pushed-onto-an-empty-list", "src/added-logger.js"),
    ("pushed-onto-an-empty-list", "src/logger.js"),
    ("winston-stream-to-a-file", "src/stdout-stream.js"),  # its file stream gone: a Console where PRETTY_LOGS is unset
]


@pytest.mark.node
@pytest.mark.parametrize(("case", "path"), FIXED_LOGGERS)
def test_a_fixed_logger_without_transports_logs_each_line_once_in_every_environment(
        tmp_path: Path, case: str, path: str) -> None:
    # before the fix the file logged to disk in production and nowhere in development; after
    # it, one Console transport on every path: each line once on stdout, no file, no winston
    # "Attempt to write logs with no transports"
    import os
    import shutil
    import subprocess

    from nodeenv import node_modules_dir
    from harness import ROOT

    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "fixtures" / "stdout-logging" / case / "after", tree)
    (tree / "node_modules").symlink_to(node_modules_dir())
    for environment in ("production", "development"):
        cwd = tmp_path / environment
        cwd.mkdir()
        script = f"require({json.dumps(str(tree / path))}).info('HELLO-LINE')"
        result = subprocess.run(["node", "-e", script], cwd=cwd, capture_output=True, timeout=60,
                                env={**os.environ, "NODE_ENV": environment})
        assert result.returncode == 0, result.stderr.decode()
        assert result.stdout.decode().count("HELLO-LINE") == 1, (environment, result.stdout, result.stderr)
        assert b"no transports" not in result.stderr, (environment, result.stderr)
        assert list(cwd.rglob("*")) == [], environment


@pytest.mark.parametrize(("guarded", "outside_production"), [
    ("if (process.env.NODE_ENV !== 'production') { logger.add(SINK); }", True),
    ("if (process.env.NODE_ENV === 'production') { logger.add(SINK); }", False),
    ("if (process.env.NODE_ENV === 'production') {} else { logger.add(SINK); }", True),
    ("process.env.NODE_ENV === 'development' && logger.add(SINK);", True),
    ("const isProd = process.env.NODE_ENV === 'production';\nif (!isProd) logger.add(SINK);", True),
    ("const t = process.env.NODE_ENV !== 'production' ? [SINK] : [];", True),
    ("function dev() { return process.env['NODE_ENV'] !== 'production'; }\n"
     "function attach() {\n  if (!dev()) return;\n  logger.add(SINK);\n}", True),
    # an opt-in variable decides, whatever NODE_ENV says: production may set it
    ("if (process.env.LOG_FILE) { logger.add(SINK); }", False),
    # off in production unless a variable turns it on: NODE_ENV decides by default (the variable is named)
    ("if (process.env.LOG_FILE === '1' || process.env.NODE_ENV !== 'production') { logger.add(SINK); }", True),
    # an early return that is unknown in production leaves the file reachable
    ("function attach(o) {\n  if (o.off) return;\n  logger.add(SINK);\n}", False),
])
def test_a_file_transport_attached_outside_production_only(guarded: str, outside_production: bool) -> None:
    """stdout-logging notes such a transport (severity info) and leaves it: production never
    writes that file. The checklist's fallback uses the same rule."""
    from transforms.stdout_logging import development_only

    source = guarded.replace("SINK", "new winston.transports.File({ filename: 'dev.log' })").encode()
    tree = ts.parse(source, "ts")
    sink = next(n for n in ts.descendants(tree.root_node, "new_expression"))

    class File:
        path, data = "x.ts", source

        def __init__(self) -> None:
            self.tree = tree

        def line_col(self, offset: int) -> tuple[int, int]:
            return source[:offset].count(b"\n") + 1, 1

    assert (development_only(File(), sink) is not None) == outside_production  # type: ignore[arg-type]


LOG4JS_VERSION = "6.9.1"


@pytest.fixture(scope="session")
def log4js_modules() -> Path:
    """log4js, installed once per machine next to the sample's node_modules (the sample logs with winston)."""
    import nodeenv

    return nodeenv.extra_packages({"log4js": LOG4JS_VERSION})


@pytest.mark.node
@pytest.mark.parametrize("service", ["a", "b", "d"])
def test_fixed_log4js_configurations_log_to_stdout_and_create_no_file(
        tmp_path: Path, log4js_modules: Path, service: str) -> None:
    # before the fix each wrote logs/… (a: beside stdout; b, d: only there, d in production only);
    # after it, real log4js accepts the configuration in both environments, every line reaches
    # stdout once, and no file or directory is created
    import os
    import shutil
    import subprocess

    from harness import ROOT

    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "fixtures" / "stdout-logging" / "log4js-file-appenders" / "after", tree)
    (tree / "node_modules").symlink_to(log4js_modules, target_is_directory=True)
    logger = tree / "services" / service / "src" / "logger.js"
    for environment in ("production", "development"):
        cwd = tmp_path / environment
        cwd.mkdir()
        script = (f"const logger = require({json.dumps(str(logger))}); logger.info('HELLO-LINE'); "
                  f"logger.error('ERROR-LINE'); require(require.resolve('log4js', {{ paths: [{json.dumps(str(logger.parent))}] }}))"
                  ".shutdown(() => {});")
        result = subprocess.run(["node", "-e", script], cwd=cwd, capture_output=True, timeout=60,
                                env={**os.environ, "NODE_ENV": environment})
        assert result.returncode == 0, result.stderr.decode()
        out = result.stdout.decode()
        assert out.count("HELLO-LINE") == 1 and out.count("ERROR-LINE") == 1, (environment, out, result.stderr)
        assert list(cwd.rglob("*")) == [], environment
    assert not list((tree / "services" / service).rglob("*.log")) and not (tree / "services" / service / "logs").exists()
