"""Whether `docker stop`'s SIGTERM reaches the node a container runs (`scripts.sigterm_blocked`): shell-form
`CMD npm start` on node:20-slim is dash as PID 1, which ignores it; npm's `sh -c "node …"` on dash dies of it;
busybox sh (alpine) and `exec` hand off to node. graceful-shutdown reports it where the container is started,
and the checklist's "Graceful shutdown handlers implemented" is ❌ there. The rules were measured by running the
processes as PID 1 of a PID namespace (`unshare --pid`); the last test measures the two simplest again."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from fixer import checklist, scripts
from fixer.probes import container_processes
from gitrepo import write_tree
from harness import open_tree
from test_checklist import decide

PACKAGE = {"name": "api", "version": "1.0.0", "scripts": {"start": "node src/index.js", "worker": "node src/worker.js"}}
SERVER = ("const http = require('http');\nconst server = http.createServer((req, res) => res.end('ok'));\n"
          "server.listen(process.env.PORT || 3000);\nprocess.on('SIGTERM', () => server.close(() => process.exit(0)));\n")


def verdicts(root: Path, dockerfile: str, package: dict | None = None, compose: str = "") -> dict[str, str | None]:
    """(where the process is said -> `sigterm_blocked`) of a one-service tree."""
    files = {"services/api/package.json": json.dumps(package or PACKAGE), "services/api/src/index.js": SERVER,
             "services/api/src/worker.js": SERVER, "services/api/Dockerfile": dockerfile}
    if compose:
        files["docker-compose.yml"] = compose
    write_tree(root, files)
    repo = open_tree(root)
    return {f"{p.file}:{p.line}": scripts.sigterm_blocked(repo, p) for p in container_processes(repo)}


def only(root: Path, dockerfile: str, package: dict | None = None) -> str | None:
    found = verdicts(root, dockerfile, package)
    assert list(found) == ["services/api/Dockerfile:" + str(dockerfile.count("\n"))], found
    return next(iter(found.values()))


def test_a_shell_or_npm_on_a_debian_image_keeps_sigterm_from_node(tmp_path: Path) -> None:
    slim = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\n"
    why = only(tmp_path / "shell", slim + "CMD npm start\n")
    assert why is not None and "`/bin/sh -c 'npm start'` is PID 1" in why and "node:20-slim's /bin/sh: dash" in why
    assert 'start node itself as PID 1: `CMD ["node", "src/index.js"]`' in why
    # dash runs even a single command as its child
    assert only(tmp_path / "node", slim + "CMD node src/index.js\n") is not None
    # exec form: npm is PID 1, its `sh -c "node src/index.js"` is dash, which dies of the SIGTERM npm passes on
    why = only(tmp_path / "npm", slim + 'CMD ["npm", "start"]\n')
    assert why is not None and "npm passes SIGTERM to the `sh -c` (node:20-slim's /bin/sh: dash)" in why
    # an init before them does not help; the image's tag from an ARG's default
    why = only(tmp_path / "tini", 'ARG TAG=20-bookworm\nFROM node:${TAG}\nWORKDIR /app\nCOPY . .\n'
               'ENTRYPOINT ["tini", "--"]\nCMD ["npm", "start"]\n')
    assert why is not None and "`tini -- npm start`: npm passes SIGTERM" in why
    assert only(tmp_path / "dumb", "FROM node:20\n" + 'ENTRYPOINT ["dumb-init", "--"]\nCMD /bin/sh -c "npm start"\n')
    # yarn 1 exits at once, whatever the script's shell does
    yarn = only(tmp_path / "yarn", "FROM node:20-alpine\nCMD [\"yarn\", \"start\"]\n")
    assert yarn is not None and "yarn 1" in yarn and '`CMD ["node", "src/index.js"]`' in yarn
    # a start script that is not one plain command: the advice names the forms, not a command
    package = {**PACKAGE, "scripts": {"start": "npm run build && node dist/index.js"}}
    why = only(tmp_path / "built", slim + "CMD npm start\n", package)
    assert why is not None and "the exec form of CMD (`[\"node\", \"<file>\"]`), or `exec node …`" in why


def test_node_as_pid_1_or_a_shell_that_hands_off_gets_sigterm(tmp_path: Path) -> None:
    slim = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\n"
    alpine = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\n"
    for name, dockerfile in {
        "exec-form": slim + 'CMD ["node", "src/index.js"]\n',
        "tini-node": slim + 'ENTRYPOINT ["tini", "--"]\nCMD ["node", "src/index.js"]\n',
        "shell-exec": slim + "CMD exec node src/index.js\n",
        "cd-exec": slim + "CMD cd /app && exec node src/index.js\n",
        # busybox sh execs a single command, or the last of `a && b`: npm's child is node, which it waits for
        "alpine-npm": alpine + 'CMD ["npm", "start"]\n',
        "alpine-shell": alpine + "CMD npm start\n",
        "alpine-and": alpine + "CMD cd /app && node src/index.js\n",
        "bash": slim + 'CMD ["bash", "-c", "node src/index.js"]\n',
    }.items():
        assert only(tmp_path / name, dockerfile) is None, name
    # what fixer does not know is not judged: another publisher's image, a tag an ARG without a default sets, a
    # runner not measured, busybox after a pipe
    for name, dockerfile in {
        "vendor": "FROM acme/node:20\nCMD npm start\n",
        "arg": "ARG TAG\nFROM node:${TAG}\nCMD npm start\n",
        "pnpm": slim + 'CMD ["pnpm", "start"]\n',
        "pipe": alpine + "CMD node src/index.js | tee /tmp/log\n",
    }.items():
        assert only(tmp_path / name, dockerfile) is None, name
    # busybox does not hand off after `;`: as PID 1 it ignores SIGTERM
    assert only(tmp_path / "alpine-seq", alpine + "CMD node src/index.js; echo done\n") is not None


def test_a_compose_command_is_judged_and_advised_as_compose_writes_it(tmp_path: Path) -> None:
    compose = ("services:\n  api:\n    build: ./services/api\n  worker:\n    build: ./services/api\n"
               "    command: npm run worker\n  fine:\n    build: ./services/api\n    command: [\"node\", \"src/worker.js\"]\n")
    found = verdicts(tmp_path, 'FROM node:20-slim\nCMD ["node", "src/index.js"]\n', compose=compose)
    assert found["services/api/Dockerfile:2"] is None and found["docker-compose.yml:9"] is None
    assert '`command: ["node", "src/worker.js"]`' in (found["docker-compose.yml:6"] or "")


def test_a_compose_command_runs_a_process_of_the_service(tmp_path: Path) -> None:
    """`command: node src/consumer.js` (no package.json script names it) is one of the service's processes:
    `Repo.processes` has it, as every fix and the checklist ask."""
    write_tree(tmp_path, {"services/api/package.json": json.dumps({"name": "api", "main": "src/index.js"}),
                          "services/api/src/index.js": SERVER, "services/api/src/consumer.js": "",
                          "services/api/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"src/index.js\"]\n",
                          "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n  consumer:\n"
                                                "    build: ./services/api\n    command: node src/consumer.js\n"})
    repo = open_tree(tmp_path)
    assert "services/api/src/consumer.js" in repo.processes
    assert "services/api/src/consumer.js" not in scripts.all_script_files(repo)
    # a compose `build.target` stage's CMD, and a CMD naming its file under the image's WORKDIR
    write_tree(tmp_path / "more", {
        "services/api/package.json": json.dumps({"name": "api"}), "services/api/src/index.js": SERVER,
        "services/api/src/cron.js": "", "services/api/src/consumer.js": "",
        "services/api/Dockerfile": "FROM node:20-alpine AS base\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"/app/src/index.js\"]\n"
                                   "FROM base AS cron\nCMD [\"node\", \"src/cron.js\"]\nFROM base\n",
        "docker-compose.yml": "services:\n  cron:\n    build:\n      context: ./services/api\n      target: cron\n"})
    processes = open_tree(tmp_path / "more").processes
    assert {"services/api/src/index.js", "services/api/src/cron.js"} <= processes
    assert "services/api/src/consumer.js" not in processes


def test_the_checklist_fails_a_handler_sigterm_cannot_reach(tmp_path: Path) -> None:
    """A draining handler is ✅ only where the container's node gets the signal (the fix not run: the item's own
    judgement)."""
    files = {"services/api/package.json": json.dumps(PACKAGE), "services/api/src/index.js": SERVER,
             "services/api/Dockerfile": "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD npm start\n"}
    item = decide(tmp_path / "slim", files).item("res.shutdown")
    assert item.status == checklist.FAIL, item.summary
    assert [e.where() for e in item.evidence] == ["services/api/Dockerfile:4"]
    assert "api: SIGTERM does not reach node" in item.evidence[0].text
    assert item.summary.endswith("(in 1 of them a container's command keeps SIGTERM from node)"), item.summary
    alpine = {**files, "services/api/Dockerfile": files["services/api/Dockerfile"].replace("20-slim", "20-alpine")}
    assert decide(tmp_path / "alpine", alpine).item("res.shutdown").status == checklist.PASS
    # with the fix run, its finding at the CMD says it (the handler exists: nothing to add)
    item = decide(tmp_path / "fix", files, ("graceful-shutdown",)).item("res.shutdown")
    assert item.status == checklist.FAIL and [e.where() for e in item.evidence][:1] == ["services/api/Dockerfile:4"]


# --- the measurement the rules rest on -------------------------------------------------------


def _as_pid_1(app: Path, argv: list[str], port: int) -> tuple[bool, str]:
    """Run `argv` as PID 1 of a new PID namespace in `app`, start a slow request, send PID 1 SIGTERM as `docker
    stop` does: (whether node's handler ran, the slow response — "" when node was killed mid-request)."""
    log = app / f"out-{port}.log"
    with open(log, "wb") as out:
        outer = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", *argv], cwd=app,
                                 stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PORT": str(port)})
    try:
        for _ in range(50):  # (node listening)
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        pid1 = int(subprocess.run(["pgrep", "-P", str(outer.pid)], capture_output=True, text=True).stdout.split()[0])
        slow: list[str] = []

        def request() -> None:
            try:
                slow.append(urllib.request.urlopen(f"http://127.0.0.1:{port}/slow", timeout=5).read().decode())
            except OSError:
                slow.append("")
        thread = threading.Thread(target=request)
        thread.start()
        time.sleep(0.3)
        os.kill(pid1, signal.SIGTERM)
        thread.join()
        return "Received SIGTERM" in log.read_text(), slow[0]
    finally:
        outer.kill()
        outer.wait()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("node")
                    or not os.path.realpath("/bin/sh").endswith("dash"), reason="needs root, unshare, node, dash /bin/sh")
def test_measured_dash_as_pid_1_ignores_sigterm_and_exec_hands_off(tmp_path: Path) -> None:
    server = ("const http = require('http');\nconst server = http.createServer((req, res) => {\n"
              "  if (req.url === '/health') return res.end('ok');\n  setTimeout(() => res.end('slow done'), 1000);\n});\n"
              "server.listen(Number(process.env.PORT));\nprocess.on('SIGTERM', () => {\n  console.log('Received SIGTERM');\n"
              "  server.close(() => process.exit(0));\n});\n")
    write_tree(tmp_path, {"index.js": server})
    port = 20000 + os.getpid() % 20000
    assert _as_pid_1(tmp_path, ["/bin/sh", "-c", "node index.js"], port) == (False, "slow done")  # (SIGKILL later)
    assert _as_pid_1(tmp_path, ["/bin/sh", "-c", "exec node index.js"], port + 1) == (True, "slow done")
