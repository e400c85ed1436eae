"""What package.json scripts run, and which files are the service's own process (fixer/scripts.py):
the one answer db-degradation, graceful-shutdown, console-to-logger and the checklist share."""

from __future__ import annotations

import json
from pathlib import Path

from fixer import scripts
from gitrepo import write_tree
from harness import open_tree


def test_files_run_are_the_programs_runners_are_given() -> None:
    assert scripts.files_run("tsc && node dist/migrate.js") == ["dist/migrate.js"]
    assert scripts.files_run("node -r dotenv/config ./src/seed.js") == ["src/seed.js"]
    assert scripts.files_run("cross-env NODE_ENV=production npx tsx watch src/x.ts") == ["src/x.ts"]
    assert scripts.files_run("nodemon --exec ts-node src/worker.ts") == ["src/worker.ts"]
    assert scripts.files_run("pm2 start dist/app.js --name api") == ["dist/app.js"]
    assert scripts.files_run("bun run src/load.ts") == ["src/load.ts"]
    for tool in ("node --check app.js", "eslint src/api.js", "tsc src/index.ts", "typedoc src/index.ts",
                 "node -e \"require('./x.js')\""):
        assert scripts.files_run(tool) == [], tool


def test_files_only_a_script_that_is_not_the_services_process_runs_are_scripts(tmp_path: Path) -> None:
    """`load`, `seed`: scripts; `start`, `dev`, `worker`, `admin`, `main`, the entry point and what the
    image or a compose command runs are the service's processes; a file a tool is given is not run."""
    package = {"name": "api", "main": "dist/main.js", "scripts": {
        "start": "node src/index.js", "load": "tsx src/bench/load.js", "seed": "node -r dotenv/config src/seed.js",
        "worker": "nodemon --exec ts-node src/worker.js", "lint": "eslint src/api.js", "admin:dev": "node src/admin.js",
        "docs": "typedoc src/index.js", "sync": "node dist/sync.js", "cron-ish": "node src/nightly.js",
        "report": "node src/report.js", "main-too": "node dist/main.js"}}
    files = {"services/api/package.json": json.dumps(package),
             "services/api/Dockerfile": 'FROM node:20\nCMD ["npm", "run", "sync"]\n',
             "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n"
                                   "  nightly:\n    build: ./services/api\n    command: [\"npm\", \"run\", \"cron-ish\"]\n"}
    files.update({f"services/api/src/{name}.js": "" for name in
                  ("index", "bench/load", "seed", "worker", "api", "admin", "sync", "nightly", "report", "main")})
    write_tree(tmp_path, files)
    repo = open_tree(tmp_path)
    left = scripts.all_script_files(repo)
    assert sorted(left) == ["services/api/src/bench/load.js", "services/api/src/report.js", "services/api/src/seed.js"]
    assert left["services/api/src/bench/load.js"] == \
        "run by the `load` script of services/api/package.json, not by the service's start"
    service = next(s for s in repo.services if s.dir == "services/api")
    runs = scripts.runs_of(repo, service)
    assert runs.scripts["services/api/src/worker.js"] == ("worker",)
    assert {"services/api/src/sync.js", "services/api/src/nightly.js", "services/api/src/main.js",
            "services/api/src/index.js"} <= runs.process
