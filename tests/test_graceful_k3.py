"""graceful-shutdown's forced exit comes before the SIGKILL: the SHUTDOWN_TIMEOUT_MS default it writes is under the
grace period of where the service runs (compose `stop_grace_period`, Docker's 10 s where none is set, a Kubernetes
workload's `terminationGracePeriodSeconds`, 30 s where none is set; 8000 ms where fixer reads none), the finding
names that grace period and where it is read; a stop signal other than SIGTERM/SIGINT (compose `stop_signal`, a
Dockerfile's STOPSIGNAL) is reported: `docker stop` sends it, and the handler is not registered for it. The last test
runs a fixed server with real Node: with a request that never ends, it exits by itself (1) before a 10 s grace period."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from gitrepo import write_tree
from harness import run_on_tree, write_changes

SERVER = ("const http = require('http');\n\nconst server = http.createServer((req, res) => {\n"
          "  if (req.url === '/hang') return; // never answers\n  res.end('ok');\n});\n\n"
          "server.listen(Number(process.env.PORT) || 3000);\n")
PACKAGE = json.dumps({"name": "api", "version": "1.0.0", "main": "src/index.js", "scripts": {"start": "node src/index.js"}})
DOCKERFILE = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/index.js"]\n'


def _run(root: Path, files: dict[str, str]):
    write_tree(root, {"services/api/package.json": PACKAGE, "services/api/src/index.js": SERVER,
                      "services/api/Dockerfile": DOCKERFILE, **files})
    _repo, run = run_on_tree("graceful-shutdown", root)
    assert not run.problems, [p.message for p in run.problems]
    return run


def _written_timeout(run) -> str:
    after = run.changes["services/api/src/index.js"].after.decode()
    return after.split("Number(process.env.SHUTDOWN_TIMEOUT_MS) || ")[1].split(")")[0]


def _message(run, path: str) -> str:
    found = [f.message for f in run.findings if f.path == path]
    assert len(found) == 1, [(f.path, f.message) for f in run.findings]
    return found[0]


def test_no_grace_period_found_writes_a_default_under_dockers_10_s(tmp_path: Path) -> None:
    run = _run(tmp_path, {})
    assert _written_timeout(run) == "8000"
    assert "(default 8 s)" in run.changes["services/api/src/index.js"].after.decode()
    assert "default 8000 ms: under Docker's default 10 s stop timeout" in _message(run, "services/api/src/index.js")


@pytest.mark.parametrize("grace, timeout", [("20s", "16000"), ("1m30s", "72000"), ("5", "4000"), ("2500ms", "2000")])
def test_a_compose_stop_grace_period_sets_the_default(tmp_path: Path, grace: str, timeout: str) -> None:
    run = _run(tmp_path, {"docker-compose.yml": f"services:\n  api:\n    build: ./services/api\n    stop_grace_period: {grace}\n"})
    assert _written_timeout(run) == timeout
    assert f"stop_grace_period `{grace}` at docker-compose.yml:4" in _message(run, "services/api/src/index.js")


def test_a_compose_service_without_one_runs_under_dockers_default(tmp_path: Path) -> None:
    run = _run(tmp_path, {"docker-compose.yml": "services:\n  api:\n    build: ./services/api\n"})
    assert _written_timeout(run) == "8000"
    assert "compose service api of docker-compose.yml sets no stop_grace_period" in _message(run, "services/api/src/index.js")


def test_the_shortest_grace_period_wins(tmp_path: Path) -> None:
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
                "      terminationGracePeriodSeconds: 45\n      containers:\n        - name: api\n          image: api:1\n")
    run = _run(tmp_path, {"services/api/k8s/deployment.yaml": manifest})
    assert _written_timeout(run) == "36000"
    assert "45 s from SIGTERM to SIGKILL set by terminationGracePeriodSeconds at services/api/k8s/deployment.yaml:8" in \
        _message(run, "services/api/src/index.js")
    run = _run(tmp_path, {"docker-compose.yml": "services:\n  api:\n    build: ./services/api\n    stop_grace_period: 15s\n"})
    assert _written_timeout(run) == "12000"


def test_a_kubernetes_workload_without_one_runs_under_30_s(tmp_path: Path) -> None:
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
                "      containers:\n        - name: api\n          image: registry/api:1\n")
    run = _run(tmp_path, {"deploy/k8s/api.yaml": manifest})
    assert _written_timeout(run) == "24000"
    assert "Kubernetes' default terminationGracePeriodSeconds (deploy/k8s/api.yaml:2 sets none)" in \
        _message(run, "services/api/src/index.js")


def test_a_helm_templates_value_is_read_from_the_charts_values(tmp_path: Path) -> None:
    template = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
                "      terminationGracePeriodSeconds: {{ .Values.grace }}\n      containers:\n        - name: api\n")
    run = _run(tmp_path, {"deploy/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
                          "deploy/api/values.yaml": "grace: 60\n", "deploy/api/templates/deployment.yaml": template})
    assert _written_timeout(run) == "48000"
    assert "deploy/api/values.yaml:1 (.Values.grace, read at deploy/api/templates/deployment.yaml:8)" in \
        _message(run, "services/api/src/index.js")


def test_an_unreadable_grace_period_is_named(tmp_path: Path) -> None:
    run = _run(tmp_path, {"docker-compose.yml": "services:\n  api:\n    build: ./services/api\n"
                                                "    stop_grace_period: ${GRACE}\n"})
    assert _written_timeout(run) == "8000"
    assert "fixer cannot time stop_grace_period `${GRACE}` at docker-compose.yml:4: set SHUTDOWN_TIMEOUT_MS below what it leaves" in \
        _message(run, "services/api/src/index.js")


@pytest.mark.parametrize("signal_name", ["SIGQUIT", "SIGKILL", "SIGUSR2"])
def test_a_compose_stop_signal_the_handler_is_not_for_is_reported(tmp_path: Path, signal_name: str) -> None:
    run = _run(tmp_path, {"docker-compose.yml": f"services:\n  api:\n    build: ./services/api\n    stop_signal: {signal_name}\n"})
    assert f"stop_signal {signal_name}: `docker stop` sends {signal_name}, not SIGTERM" in _message(run, "docker-compose.yml")
    assert "the handler never runs" in _message(run, "services/api/src/index.js")
    assert "services/api/src/index.js" in run.changes  # (the handler is still written: Ctrl-C, other runtimes)


def test_a_dockerfile_stopsignal_the_handler_is_not_for_is_reported(tmp_path: Path) -> None:
    run = _run(tmp_path, {"services/api/Dockerfile": DOCKERFILE.replace("CMD", "STOPSIGNAL SIGQUIT\nCMD")})
    assert "STOPSIGNAL SIGQUIT: `docker stop` sends SIGQUIT" in _message(run, "services/api/Dockerfile")
    assert _message(run, "services/api/Dockerfile").startswith("STOPSIGNAL SIGQUIT")


@pytest.mark.parametrize("said", ["stop_signal: SIGTERM", "stop_signal: SIGINT", "stop_signal: TERM", "stop_signal: 15"])
def test_sigterm_or_sigint_as_the_stop_signal_is_fine(tmp_path: Path, said: str) -> None:
    run = _run(tmp_path, {"docker-compose.yml": f"services:\n  api:\n    build: ./services/api\n    {said}\n",
                          "services/api/Dockerfile": DOCKERFILE.replace("CMD", "STOPSIGNAL SIGINT\nCMD")})
    assert [f.path for f in run.findings] == ["services/api/src/index.js"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not shutil.which("node") or os.environ.get("FIXER_SKIP_NODE"), reason="needs node")
def test_real_node_exits_by_itself_before_dockers_grace_period_when_a_request_hangs(tmp_path: Path) -> None:
    """`docker stop` with Docker's default 10 s: SIGTERM, then SIGKILL 10 s later. The fixed server, with a request
    that never ends, forces its own exit (code 1, its log line written) before then."""
    run = _run(tmp_path, {"docker-compose.yml": "services:\n  api:\n    build: ./services/api\n"})
    write_changes(tmp_path, run)
    port = _free_port()
    app = tmp_path / "services/api"
    proc = subprocess.Popen(["node", "src/index.js"], cwd=app, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={k: v for k, v in os.environ.items() if k != "SHUTDOWN_TIMEOUT_MS"} | {"PORT": str(port)})
    hanging = None
    try:
        for _ in range(100):
            try:
                hanging = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        assert hanging is not None
        hanging.sendall(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)
        signalled = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=10)  # the grace period: after it, docker stop sends SIGKILL
        except subprocess.TimeoutExpired:
            code = None
        took = time.monotonic() - signalled
    finally:
        if hanging is not None:
            hanging.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = proc.stdout.read().decode()
    assert code == 1, (code, output)
    assert 7.5 < took < 9.5, took
    assert "Graceful shutdown timed out, forcing exit" in output


def test_a_prestop_hooks_sleep_is_taken_from_the_grace_period(tmp_path: Path) -> None:
    """Kubernetes runs a preStop hook before the SIGTERM, within the grace period: what is left is the handler's."""
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
                "      terminationGracePeriodSeconds: 45\n      containers:\n        - name: api\n          lifecycle:\n"
                "            preStop:\n              exec:\n                command: [\"sh\", \"-c\", \"sleep 15\"]\n"
                "          env:\n            - name: X\n              value: sleep 99\n")
    run = _run(tmp_path, {"services/api/k8s/deployment.yaml": manifest})
    assert _written_timeout(run) == "24000"
    assert "under the 30 s from SIGTERM to SIGKILL set by terminationGracePeriodSeconds at services/api/k8s/deployment.yaml:8, " \
           "less the preStop hook's sleep 15 s at services/api/k8s/deployment.yaml:12" in _message(run, "services/api/src/index.js")
