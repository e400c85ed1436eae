"""No fix creates work for another: after a stacked `fixer plan` of every fix (review fixes
included), `fixer audit` on the plan's top branch finds nothing more to fix — no finding with
an edit. Each fix is idempotent on its own output (DESIGN.md); this is the same guarantee for
the stack: a fix must not leave alone what a later fix's edit makes fixable (console-to-logger
left `console.warn` alone on a log4js logger whose `warn` nobody called, until db-degradation
added the first `logger.warn(…)`).

Run on the sample monorepo and on fixture trees where several fixes apply (a Dockerfile, a
compose file, server code; a log4js service), each copied into a fresh git repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gitrepo import fixer, git, write_tree
from harness import ROOT

FIXTURES = ROOT / "fixtures"
TREES = [
    "sample-monorepo",
    "console-to-logger/a-log4js-logger-has-all-its-level-methods/before",
    "eager-init/commonjs-student-service/before",  # console-to-logger, eager-init, stdout-logging, graceful-shutdown
    "health-endpoints/compose-and-dockerfile-healthchecks/before",  # health-endpoints, healthcheck-loopback, graceful-…
    "db-degradation/class-method-returning-nothing/before",  # console-to-logger, db-degradation, graceful-shutdown
    "db-degradation/worker-run-by-compose-command/before",  # a compose command: db-degradation, graceful-shutdown
    "secrets/commented-out-secrets/before",  # a compose file: env-separation, graceful-shutdown
    # Fixes that add calls on the repository's logger (graceful-shutdown's `logger.info`, db-degradation's
    # `logger.warn`) call only the level methods it is shown to have (`logger.level_methods`, as console-to-logger
    # does; for a logger of a package outside the repository, those its calls call): a first call of a method
    # would make console-to-logger trust it on the next run (and may itself be a TypeError).
    # `logger` of @kc/shared (not in the tree), only `.error` called: graceful-shutdown's `info` goes to console
    "graceful-shutdown/cors-validation-applied-first/before",
    # `logger` of @acme/log (outside the repository), only `.error`/`.info` called: db-degradation warns with console
    "inline:external-logger-without-warn",
]
INLINE: dict[str, dict[str, str]] = {
    "external-logger-without-warn": {
        "services/orders/package.json": '{"name":"orders","version":"1.0.0","main":"src/index.js","dependencies":'
                                        '{"express":"^4.19.2","@acme/log":"^1.0.0","pg":"^8.11.0"}}\n',
        "services/orders/src/index.js": (
            "const express = require('express');\n"
            "const { Pool } = require('pg');\n"
            "const logger = require('@acme/log');\n"
            "\n"
            "const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n"
            "const app = express();\n"
            "\n"
            "app.get('/orders', async (req, res) => {\n"
            "  const { rows } = await pool.query('SELECT id FROM orders');\n"
            "  if (rows.length === 0) {\n"
            "    console.warn('no orders yet');\n"
            "  }\n"
            "  res.json(rows);\n"
            "});\n"
            "\n"
            "async function validateDatabaseConnection() {\n"
            "  try {\n"
            "    await pool.query('SELECT 1');\n"
            "  } catch (error) {\n"
            "    logger.error('PostgreSQL unreachable', error);\n"
            "    process.exit(1);\n"
            "  }\n"
            "}\n"
            "\n"
            "validateDatabaseConnection().then(() => {\n"
            "  app.listen(3000, () => logger.info('listening on 3000'));\n"
            "});\n"
        ),
    },
}


def _repo_of(tree: str, where: Path) -> Path:
    if tree.startswith("inline:"):
        write_tree(where, INLINE[tree.removeprefix("inline:")])
    else:
        shutil.copytree(FIXTURES / tree, where, symlinks=True, ignore=shutil.ignore_patterns("node_modules"))
    git(where, "init", "-q", "-b", "main")
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", "before")
    return where


@pytest.mark.parametrize("tree", TREES)
def test_no_fix_leaves_work_for_another_after_a_stacked_plan(tree: str, tmp_path: Path) -> None:
    repo = _repo_of(tree, tmp_path / "repo")
    planned = fixer("plan", "--include-review", "--json", str(repo))
    assert planned.returncode == 0, planned.stderr.decode()
    steps = json.loads(planned.stdout)["steps"]
    assert not [s for s in steps if s["status"] == "failed"], steps
    parts = [s for s in steps if s["part"]]
    assert parts, f"{tree}: no fix had anything to do (pick a tree where several apply)"
    git(repo, "checkout", "-q", parts[-1]["branch"])

    audited = fixer("audit", "--format", "json", "--quiet", str(repo))
    assert audited.returncode in (0, 1), audited.stderr.decode()  # (1: findings left for a human)
    document = json.loads(audited.stdout)
    left = [f"{f['fix']}: {f['path']}:{f['line']}: {f['message']}" for f in document["findings"] if f["fixable"]]
    assert not left, (f"after the plan ({', '.join(s['fix'] for s in parts)}), fixes still find work on "
                      f"{parts[-1]['branch']}:\n" + "\n".join(left))
    assert document["summary"]["fixable"] == 0
    assert not [e for run in document["fixes"] for e in run["errors"]]


# The rule behind the log4js case (fixer/logger.py): a logger a logging library makes has that
# library's level methods, unless its options replace the library's levels.
MADE_BY = [
    ("const log4js = require('log4js');\nconst logger = log4js.getLogger('a');\n", "a.js", "log4js"),
    ("import { getLogger } from 'log4js';\nconst logger = getLogger('b');\n", "b.mjs", "log4js"),
    ("const logger = require('log4js').getLogger('c');\n", "c.js", "log4js"),
    ("import * as log4js from 'log4js';\nexport const logger = log4js.getLogger();\n", "d.ts", "log4js"),
    ("import log4js = require('log4js');\nconst logger = log4js.getLogger('e');\n", "e.ts", "log4js"),
    ("const winston = require('winston');\nconst logger = winston.createLogger({ level: 'info' });\n", "f.js", "winston"),
    ("const winston = require('winston');\nconst logger = winston.createLogger({ levels: winston.config.syslog.levels });\n",
     "g.js", None),  # syslog's levels: no `warn`
    ("const winston = require('winston');\nconst logger = winston.createLogger({ ...options });\n", "h.js", None),
    ("const pino = require('pino');\nconst logger = pino({ customLevels: { audit: 35 }, useOnlyCustomLevels: true });\n",
     "i.js", None),
    ("const logger = require('pino')();\n", "j.js", "pino"),
    ("const bunyan = require('bunyan');\nconst logger = bunyan.createLogger({ name: 'k' });\n", "k.js", "bunyan"),
    ("const { getLogger } = require('./logger');\nconst logger = getLogger('l');\n", "l.js", None),  # the repository's
    ("const log4js = require('log4js');\nconst logger = log4js.configure({}).getLogger('m');\n", "m.js", None),
]


@pytest.mark.parametrize("text,path,library", MADE_BY, ids=[path for _, path, _ in MADE_BY])
def test_the_library_that_makes_a_logger(text: str, path: str, library: str | None, tmp_path: Path) -> None:
    from fixer import config, logger
    from fixer.repo import DirectorySource, Repo

    write_tree(tmp_path, {path: text})
    repo = Repo(tmp_path, DirectorySource(tmp_path), config.Config())
    assert logger.library_of_binding(repo.read(path), "logger") == library
    if library is not None:
        assert {"info", "warn", "error", "debug"} <= logger.LIBRARY_LEVELS[library]


def test_a_library_factory_seen_by_name_only() -> None:
    from fixer import logger

    assert logger.library_factory("log4js", "getLogger") == "log4js"
    assert logger.library_factory("winston", "createLogger") is None  # (its options, unseen, may replace its levels)
    assert logger.library_factory("./logger", "getLogger") is None
    assert logger.library_factory("log4js", "configure") is None
