"""console-to-logger on the sample monorepo, proven with real TypeScript and Node: the
fixed tree type-checks exactly as before, the only console calls left are the ones the
scope rules keep, and fixed services still start, answer and log through winston
(so the inserted imports resolve at run time, the CommonJS student-service included)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from harness import run_on_tree, write_changes
from gitrepo import write_tree
from nodeenv import start_service, tsc

CONSOLE_CALL = re.compile(r"\bconsole\s*(?:\?\.)?\s*(?:\.\s*\w+|\[\s*['\"]\w+['\"]\s*\])\s*(?:\?\.)?\s*\(")

# Files added to the copy before the fix, one per scope rule: their console calls must stay.
KEPT = {
    "services/booking-service/src/booking.test.ts": "console.log('a test may print');\n",
    "services/booking-service/scripts/seed.ts": "console.log('seeding bookings');\n",
    "services/api-gateway/public/status.js": "console.log(document.title);\n",
    "services/course-service/src/utils/debug.ts": (
        "export const log = { debug: (message: string) => console.debug(message) };\n"
    ),
}


def _console_calls(root: Path) -> list[str]:
    """`path:line` of every console call left in service and shared code."""
    found = []
    for base in (root / "services", root / "shared"):
        for path in sorted(base.rglob("*")):
            if path.suffix not in {".ts", ".tsx", ".js", ".mjs", ".cjs"} or "node_modules" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
                if CONSOLE_CALL.search(line):
                    found.append(f"{path.relative_to(root).as_posix()}:{number}")
    return found


def _no_infra_env() -> dict[str, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    return {
        "NODE_ENV": "development",
        "DATABASE_URL": f"postgresql://postgres:postgres@127.0.0.1:{closed}/kodingcaravan",
        "DB_MAX_RETRIES": "1",
        "DB_RETRY_DELAY_MS": "10",
    }


@pytest.mark.node
def test_the_fixed_sample_type_checks_as_before_and_keeps_only_out_of_scope_console_calls(sample_tree: Path) -> None:
    for rel, text in KEPT.items():
        (sample_tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (sample_tree / rel).write_text(text)
    before = tsc(sample_tree)
    assert len(_console_calls(sample_tree)) > 40  # the audit's defect is there to fix

    _, run = run_on_tree("console-to-logger", sample_tree)
    assert not run.problems, [p.message for p in run.problems]
    write_changes(sample_tree, run)

    assert tsc(sample_tree) == before == []
    assert _console_calls(sample_tree) == [
        "services/api-gateway/public/status.js:1",
        "services/booking-service/scripts/seed.ts:1",
        "services/booking-service/src/booking.test.ts:1",
        "services/course-service/src/utils/debug.ts:1",
    ]
    left = sorted(f"{f.path}:{f.line}" for f in run.findings if not run.is_fixed(f))
    assert left == [
        "services/course-service/src/utils/debug.ts:1",  # the wrapper is reported
    ]
    # both winston loggers would print errors in meta as {}: they get the format that keeps them
    assert sorted(f"{f.path}:{f.line}" for f in run.findings if run.is_fixed(f) and "errorsInMeta" in f.message) == [
        "services/student-service/logger.js:5", "shared/src/config/logger.ts:56"]


@pytest.mark.node
@pytest.mark.parametrize("service, path, status, logged", [
    ("student-service", "/api/students", 503, "Student Service initialization failed"),  # CommonJS require
    ("course-service", "/api/courses", 503, "Failed to initialize Course Service"),  # merged named import
    ("student-auth-service", "/healthz", 200, None),  # `const log = createServiceLogger(…)` added
])
def test_fixed_services_start_answer_and_log_through_winston(sample_tree: Path, service: str, path: str,
                                                              status: int, logged: str | None) -> None:
    _, run = run_on_tree("console-to-logger", sample_tree)
    assert not run.problems, [p.message for p in run.problems]
    assert any(p.startswith(f"services/{service}/") for p in run.changes)
    write_changes(sample_tree, run)

    with start_service(sample_tree, service, env=_no_infra_env()) as svc:
        assert svc.get(path)[0] == status, svc.output()  # no database: the lazy initialisation fails and logs it
        assert svc.alive(), svc.output()
    if logged is None:
        return
    output = svc.output()
    lines = [line for line in output.splitlines() if logged in line]
    assert lines, output
    # winston's format, not console's: a level label and the meta object
    assert all(re.search(r"error", line) and "{" in line for line in lines), lines


@pytest.mark.node
def test_a_created_logger_module_type_checks_and_logs_errors_in_full(sample_tree: Path) -> None:
    (sample_tree / ".fixer.toml").write_text('[logger]\nmodule = "shared/src/app-logger.ts"\ncreate = true\n')
    _, run = run_on_tree("console-to-logger", sample_tree)
    assert not run.problems, [p.message for p in run.problems]
    assert run.changes["shared/src/app-logger.ts"].kind == "new"
    app = run.changes["services/course-service/src/app.ts"].after.decode()
    assert "import { logger } from '../../../shared/src/app-logger';" in app
    write_changes(sample_tree, run)
    assert tsc(sample_tree) == []

    with start_service(sample_tree, "course-service", env=_no_infra_env()) as svc:
        assert svc.get("/api/courses")[0] == 503
    failed = [line for line in svc.output().splitlines() if "Failed to initialize Course Service" in line]
    assert failed, svc.output()
    # the Error under `error` keeps its message (winston alone would print `{}`)
    assert "ECONNREFUSED" in failed[0] and '"message"' in failed[0], failed[0]


@pytest.mark.node
def test_a_created_logger_in_an_es_module_package_builds_and_runs_under_node(tmp_path: Path, node_modules: Path) -> None:
    """A `"type": "module"` package under NodeNext: the created module's import names its file
    as the package's own imports do (`./logger.js`; `./logger` is TS2835, and Node's ESM loader
    finds no such file), a choice of strings stays the message, and `URL:` names its value url."""
    write_tree(tmp_path, {
        ".fixer.toml": '[logger]\nmodule = "services/collab/src/logger.ts"\ncreate = true\n',
        "services/collab/package.json": '{ "name": "collab", "type": "module", "dependencies": { "winston": "3.17.0" } }\n',
        "tsconfig.json": '{ "compilerOptions": { "module": "nodenext", "target": "es2022", "strict": true, "skipLibCheck": true, '
                         '"types": ["node"], "rootDir": "services/collab/src", "outDir": "services/collab/dist" }, '
                         '"include": ["services/collab/src/**/*.ts"] }\n',
        "services/collab/src/util.ts": "export const tooBig = (n: number): boolean => n > 2;\n",
        "services/collab/src/check.ts": ('import { tooBig } from "./util.js";\n\nexport function check(n: number) {\n'
                                         '  console.warn(tooBig(n) ? `closing: size ${n}` : `closing: length ${n}`);\n}\n'),
        "services/collab/src/main.ts": 'import { check } from "./check.js";\n\ncheck(5);\nconsole.log("GitHub URL:", String(5));\n',
    })
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.problems, [p.message for p in run.problems]
    assert 'import { logger } from "./logger.js";' in run.changes["services/collab/src/check.ts"].after.decode()
    write_changes(tmp_path, run)
    assert tsc(tmp_path) == []
    node = shutil.which("node")
    assert node is not None
    subprocess.run([node, str(tmp_path / "node_modules/typescript/bin/tsc"), "-p", str(tmp_path / "tsconfig.json")],
                   cwd=tmp_path, check=True, capture_output=True, timeout=300)
    ran = subprocess.run([node, "dist/main.js"], cwd=tmp_path / "services/collab", capture_output=True, text=True,
                         timeout=60, env={"PATH": "/usr/bin:/bin", "NODE_ENV": "production"})
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert '"message":"closing: size 5"' in lines[0] and '"level":"warn"' in lines[0], lines
    assert '"message":"GitHub URL"' in lines[1] and '"url":"5"' in lines[1], lines


@pytest.mark.node
def test_a_created_javascript_logger_in_an_es_module_package_loads_under_node(tmp_path: Path, node_modules: Path) -> None:
    """A `"type": "module"` package of JavaScript: the created `logger.js` is an ES module, as Node
    loads a .js there (CommonJS text: `require is not defined in ES module scope`, and the
    importer's `import { logger }` finds no such export), and the rewritten file runs and logs."""
    write_tree(tmp_path, {
        ".fixer.toml": "[logger]\ncreate = true\n",
        "package.json": '{ "name": "r", "private": true, "type": "module", "dependencies": { "winston": "3.17.0" } }\n',
        "services/api/package.json": '{ "name": "api", "type": "module", "dependencies": { "winston": "3.17.0" } }\n',
        "services/api/src/index.js": "import { hostname } from 'node:os';\n\nconsole.warn('starting on', typeof hostname());\n",
    })
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.problems, [p.message for p in run.problems]
    write_changes(tmp_path, run)
    node = shutil.which("node")
    assert node is not None
    ran = subprocess.run([node, "src/index.js"], cwd=tmp_path / "services/api", capture_output=True, text=True,
                         timeout=60, env={"PATH": "/usr/bin:/bin", "NODE_ENV": "production"})
    assert ran.returncode == 0, ran.stderr
    assert '"level":"warn"' in ran.stdout and '"message":"starting on"' in ran.stdout, ran.stdout


@pytest.mark.node
def test_a_commonjs_app_of_an_nx_workspace_gets_no_import_of_its_es_module_logger_lib(tmp_path: Path,
                                                                                       node_modules: Path) -> None:
    """Nx's layout under `module: nodenext`: the logger lib is `"type": "module"` (no CommonJS entry),
    the node app `inventory` CommonJS (no "type"): an import of the lib there is TS1479 (and
    ERR_REQUIRE_ESM before Node 20.19), so its console call is reported and left; the ES module app
    `orders` gets the import, and the workspace type-checks as before."""
    write_tree(tmp_path, {
        "package.json": '{ "name": "@nxshop/source", "private": true, "workspaces": ["apps/*", "libs/*"] }\n',
        "tsconfig.json": '{ "compilerOptions": { "module": "nodenext", "target": "es2022", "strict": true, "noEmit": true, '
                         '"skipLibCheck": true, "types": ["node"], "customConditions": ["development"] }, '
                         '"include": ["apps/*/src/**/*.ts", "libs/*/src/**/*.ts"] }\n',
        "libs/logger/package.json": '{ "name": "@nxshop/logger", "type": "module", "exports": { ".": { "development": '
                                    '"./src/index.ts", "types": "./dist/index.d.ts", "default": "./dist/index.js" } } }\n',
        "libs/logger/src/index.ts": "export const logger = { info: (message: string) => process.stdout.write(`${message}\\n`) };\n",
        "apps/orders/package.json": '{ "name": "@nxshop/orders", "type": "module", "dependencies": { "@nxshop/logger": "*" } }\n',
        "apps/orders/src/main.ts": "import { logger } from '@nxshop/logger';\n\nlogger.info('orders up');\n",
        "apps/orders/src/ship.ts": "export function ship(): void {\n  console.log('shipping');\n}\n",
        "apps/inventory/package.json": '{ "name": "@nxshop/inventory", "dependencies": { "@nxshop/logger": "*" } }\n',
        "apps/inventory/src/main.ts": "export function count(): void {\n  console.log('counting');\n}\n",
    })
    (tmp_path / "node_modules/@nxshop").mkdir(parents=True)
    (tmp_path / "node_modules/@nxshop/logger").symlink_to(tmp_path / "libs/logger", target_is_directory=True)
    for name in ("typescript", "@types"):
        (tmp_path / "node_modules" / name).symlink_to(node_modules / name, target_is_directory=True)
    assert tsc(tmp_path) == []
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.problems, [p.message for p in run.problems]
    assert sorted(run.changes) == ["apps/orders/src/ship.ts"], sorted(run.changes)
    assert any(f.path == "apps/inventory/src/main.ts" and "TS1479" in f.message for f in run.findings), run.findings
    write_changes(tmp_path, run)
    assert tsc(tmp_path) == []


@pytest.mark.node
def test_errors_passed_as_meta_keep_their_message_and_stack_through_the_format_added_to_the_logger(
        tmp_path: Path, node_modules: Path) -> None:
    """`console.error(err)` becomes `logger.error('error', { error: err })`, which winston's json() alone
    prints as `{"error":{}}`: the logger modules the calls go through get `errorsInMeta` (into a TypeScript
    logger's `combine(…)`; as the `format` of a CommonJS one that has none, winston's default json()), and
    under node the error's message, stack and own fields (Prisma's `code`) are printed; it type-checks."""
    write_tree(tmp_path, {
        "tsconfig.json": '{ "compilerOptions": { "module": "commonjs", "target": "es2022", "strict": true, '
                         '"esModuleInterop": true, "skipLibCheck": true, "types": ["node"], "rootDir": "services/api/src", '
                         '"outDir": "services/api/dist" }, "include": ["services/api/src/**/*.ts"] }\n',
        "services/api/package.json": '{ "name": "api", "main": "dist/main.js", "dependencies": { "winston": "3.17.0" } }\n',
        "services/api/src/logger.ts": ("import { createLogger, format, transports } from 'winston';\n\n"
                                       "const { combine, timestamp, json } = format;\n\n"
                                       "export const logger = createLogger({\n  format: combine(timestamp(), json()),\n"
                                       "  transports: [new transports.Console()],\n});\n"),
        "services/api/src/main.ts": ("import { logger } from './logger';\n\nasync function connect(): Promise<void> {\n"
                                     "  const error: Error & { code?: string } = new Error(\"Can't reach database server\");\n"
                                     "  error.code = 'P1001';\n  throw error;\n}\n\n"
                                     "connect().then(() => logger.info('up')).catch((err) => {\n  console.error(err);\n});\n"),
        "services/jobs/package.json": '{ "name": "jobs", "main": "worker.js", "dependencies": { "winston": "3.17.0" } }\n',
        "services/jobs/logger.js": ("const winston = require('winston')\n\nmodule.exports = winston.createLogger({\n"
                                    "\ttransports: [new winston.transports.Console()]\n})\n"),
        "services/jobs/worker.js": ("const logger = require('./logger')\n\ntry {\n\tthrow new Error('job exploded')\n"
                                    "} catch (err) {\n\tconsole.error('job failed', err)\n}\nlogger.info('done')\n"),
    })
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.problems, [p.message for p in run.problems]
    assert "errorsInMeta(), json()" in run.changes["services/api/src/logger.ts"].after.decode()
    assert "logger.error('error', { error: err })" in run.changes["services/api/src/main.ts"].after.decode()
    assert "errorsInMeta" in run.changes["services/jobs/logger.js"].after.decode()
    write_changes(tmp_path, run)
    assert tsc(tmp_path) == []
    node = shutil.which("node")
    assert node is not None
    subprocess.run([node, str(tmp_path / "node_modules/typescript/bin/tsc"), "-p", str(tmp_path / "tsconfig.json")],
                   cwd=tmp_path, check=True, capture_output=True, timeout=300)
    env = {"PATH": "/usr/bin:/bin"}
    api = subprocess.run([node, "dist/main.js"], cwd=tmp_path / "services/api", capture_output=True, text=True,
                         timeout=60, env=env)
    failed = [line for line in api.stdout.splitlines() if '"level":"error"' in line]
    assert failed and "Can't reach database server" in failed[0] and '"stack":"Error: ' in failed[0] \
        and '"code":"P1001"' in failed[0], api.stdout + api.stderr
    jobs = subprocess.run([node, "worker.js"], cwd=tmp_path / "services/jobs", capture_output=True, text=True,
                          timeout=60, env=env)
    failed = [line for line in jobs.stdout.splitlines() if '"message":"job failed"' in line]
    assert failed and '"message":"job exploded"' in failed[0] and '"stack":"Error: job exploded' in failed[0], \
        jobs.stdout + jobs.stderr
