"""graceful-shutdown on the sample gateway, proven with real Node: SIGTERM lets an in-flight
request finish, refuses new connections, and exits 0 promptly even with idle keep-alive
sockets open; a connection that never finishes makes it exit 1 after SHUTDOWN_TIMEOUT_MS."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from harness import FIXTURES, run_on_tree, write_changes
import nodeenv
from nodeenv import RunningService, prepare_tree, start_service, tsc


def _fix(tree: Path) -> None:
    _, run = run_on_tree("graceful-shutdown", tree)
    assert not run.problems, [p.message for p in run.problems]
    assert "services/api-gateway/src/index.ts" in run.changes
    write_changes(tree, run)


def _slow_request(service: RunningService, result: dict) -> threading.Thread:
    """GET /slow on a keep-alive (HTTP/1.1) connection, in the background. Like a client's
    connection pool, it keeps the connection open after the response (`result["connection"]`;
    the caller closes it), so the server has to close it."""
    def run() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
        result["connection"] = connection
        try:
            connection.request("GET", "/slow")
            response = connection.getresponse()
            result["status"], result["body"] = response.status, response.read().decode()
        except OSError as error:
            result["error"] = repr(error)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _idle_keep_alive(service: RunningService, path: str = "/health") -> http.client.HTTPConnection:
    """A connection that made one request and stays open, idle (keep-alive)."""
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    assert not response.will_close, response.status
    return connection


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def _sigterm_during_a_request(service: RunningService) -> tuple[dict, bool, int | None, float, str]:
    """SIGTERM while a slow request is in its handler and an idle keep-alive connection is open:
    the request's result, whether new connections were refused during the drain, the exit code,
    the seconds from the signal to the exit, and the service's output."""
    idle = _idle_keep_alive(service)
    result: dict = {}
    thread = _slow_request(service, result)
    time.sleep(0.3)  # the request is in the handler now
    signalled = time.monotonic()
    service.proc.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    refused = _refused(service.port)
    code = _wait(service, 15)
    elapsed = time.monotonic() - signalled
    thread.join(10)
    idle.close()
    result["connection"].close()
    return result, refused, code, elapsed, service.output()


def _drains_and_exits_0(service: RunningService, body: str | None = None) -> str:
    """SIGTERM while /slow is in flight: it still answers (with `body`), new connections are refused, the
    process exits 0 well before the forced-exit timeout (an idle keep-alive socket must not hold the exit
    until its keep-alive timeout), saying the server closed. The service's output."""
    result, refused, code, elapsed, output = _sigterm_during_a_request(service)
    assert result.get("status") == 200 and (body is None or result.get("body") == body), (result, output)
    assert refused, "new connections are still accepted during shutdown"
    assert code == 0, output
    assert elapsed < 3.0, f"exit took {elapsed:.2f}s"
    assert "HTTP server closed" in output
    return output


def _one_service_tree(tmp_path: Path, modules: Path, files: dict[str, str]) -> Path:
    """A repository of one service, `services/api` (`main`: server.js) holding `files`, whose
    node_modules are `modules`, with graceful-shutdown's changes written into it."""
    tree = tmp_path / "tree"
    service_dir = tree / "services" / "api"
    service_dir.mkdir(parents=True)
    (tree / "package.json").write_text('{ "name": "acme", "private": true }\n')
    (service_dir / "package.json").write_text('{ "name": "api", "main": "server.js" }\n')
    for name, text in files.items():
        (service_dir / name).write_text(text)
    (tree / "node_modules").symlink_to(modules, target_is_directory=True)
    _, run = run_on_tree("graceful-shutdown", tree)
    assert sorted(run.changes) == ["services/api/server.js"]
    write_changes(tree, run)
    return tree


def _wait(service: RunningService, timeout: float) -> int | None:
    try:
        return service.proc.wait(timeout=timeout)
    except Exception:
        return None


@pytest.mark.node
def test_sigterm_before_the_fix_kills_the_in_flight_request(sample_tree: Path) -> None:
    with start_service(sample_tree, "api-gateway") as service:
        result: dict = {}
        thread = _slow_request(service, result)
        time.sleep(0.3)
        service.proc.send_signal(signal.SIGTERM)
        code = _wait(service, 10)
        thread.join(10)
        result["connection"].close()
    assert code == -signal.SIGTERM, service.output()
    assert "status" not in result, result


@pytest.mark.node
def test_sigterm_drains_the_in_flight_request_and_exits_0(sample_tree: Path) -> None:
    _fix(sample_tree)
    assert tsc(sample_tree) == []
    with start_service(sample_tree, "api-gateway") as service:  # (/slow answers ~0.7 s after the signal)
        output = _drains_and_exits_0(service)
    assert "Received SIGTERM, shutting down gracefully" in output


@pytest.mark.node
def test_a_connection_that_never_finishes_forces_exit_1_after_the_timeout(sample_tree: Path) -> None:
    _fix(sample_tree)
    with start_service(sample_tree, "api-gateway", env={"SHUTDOWN_TIMEOUT_MS": "500"}) as service:
        stuck = socket.create_connection(("127.0.0.1", service.port), timeout=5)
        stuck.sendall(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never end
        time.sleep(0.3)
        signalled = time.monotonic()
        service.proc.send_signal(signal.SIGTERM)
        code = _wait(service, 10)
        elapsed = time.monotonic() - signalled
        stuck.close()
        output = service.output()
    assert code == 1, output
    assert 0.4 <= elapsed < 2.0, f"forced exit after {elapsed:.2f}s"
    assert "Graceful shutdown timed out, forcing exit" in output


@pytest.mark.node
def test_a_second_signal_does_not_start_a_second_shutdown(sample_tree: Path) -> None:
    _fix(sample_tree)
    with start_service(sample_tree, "api-gateway") as service:
        result: dict = {}
        thread = _slow_request(service, result)
        time.sleep(0.3)
        service.proc.send_signal(signal.SIGTERM)
        time.sleep(0.1)
        service.proc.send_signal(signal.SIGINT)
        code = _wait(service, 15)
        thread.join(10)
        result["connection"].close()
        output = service.output()
    assert code == 0 and result.get("status") == 200, (result, output)
    assert output.count("shutting down gracefully") == 1, output


@pytest.mark.node
@pytest.mark.parametrize("name", ["booking-service", "course-service", "admin-service", "student-auth-service",
                                  "student-service"])
def test_every_other_service_exits_0_on_sigterm(sample_tree: Path, name: str) -> None:
    _fix(sample_tree)
    with start_service(sample_tree, name) as service:
        idle = _idle_keep_alive(service, "/no-such-route")  # some still serve /healthz: any answer will do
        signalled = time.monotonic()
        service.proc.send_signal(signal.SIGTERM)
        code = _wait(service, 15)
        elapsed = time.monotonic() - signalled
        idle.close()
        output = service.output()
    assert code == 0, output
    assert elapsed < 3.0, f"{name}: exit took {elapsed:.2f}s"
    assert "Received SIGTERM, shutting down gracefully" in output


def _start_worker(tree: Path) -> subprocess.Popen:
    """The admin notification worker (a kafkajs consumer; no broker is reachable, so it keeps retrying)."""
    env = {**os.environ, "KAFKA_BROKERS": "127.0.0.1:1"}
    env.pop("NODE_OPTIONS", None)
    return subprocess.Popen(["node", "--import", "tsx", "src/workers/notification.consumer.ts"],
                            cwd=tree / "services" / "admin-service", env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def _stop_worker(worker: subprocess.Popen) -> tuple[int | None, str]:
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        output, _ = worker.communicate()
        return None, output.decode("utf-8", "replace")
    return worker.returncode, output.decode("utf-8", "replace")


@pytest.mark.node
@pytest.mark.parametrize("fixed", [False, True])
def test_the_kafka_worker_disconnects_and_exits_0_on_sigterm(sample_tree: Path, fixed: bool) -> None:
    if fixed:
        _, run = run_on_tree("graceful-shutdown", sample_tree)
        assert "services/admin-service/src/workers/notification.consumer.ts" in run.changes
        write_changes(sample_tree, run)
    worker = _start_worker(sample_tree)
    time.sleep(3)  # loaded, and retrying its broker connection
    assert worker.poll() is None
    worker.send_signal(signal.SIGTERM)
    code, output = _stop_worker(worker)
    if not fixed:
        assert code == -signal.SIGTERM, output
        return
    assert code == 0, output
    assert "Received SIGTERM, shutting down gracefully" in output


# Each compiled under `strict` before the fix (some with noPropertyAccessFromIndexSignature, or JavaScript
# checked too); the handler must not break that: an implicit any, closeIdleConnections() on a net/tls/HTTP/2
# server, close() on an Express app, `process.env.X` (TS4111), `server.on` on what a class's own listen()
# returns (void: TS2339), a bare resolve() of JavaScript's `new Promise` (TS2810).
CHECK_JS = {"allowJs": True, "checkJs": True}
STILL_COMPILES = {"untyped-let-server": {}, "non-http1-servers": {}, "awaited-listen-of-a-factory-app": {},
                  "env-read-with-brackets": {"noPropertyAccessFromIndexSignature": True},
                  "listen-of-a-class-instance": {}, "javascript-checked-by-tsc": CHECK_JS,
                  "exported-start-run-under-a-main-guard": CHECK_JS}


@pytest.mark.node
@pytest.mark.parametrize("case", sorted(STILL_COMPILES))
def test_what_it_writes_or_leaves_compiles_under_strict(tmp_path: Path, node_modules: Path, case: str) -> None:
    tree = tmp_path / case
    shutil.copytree(FIXTURES / "graceful-shutdown" / case / "before", tree)
    (tree / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"target": "ES2022", "module": "commonjs", "strict": True, "esModuleInterop": True,
                            "skipLibCheck": True, "types": ["node"], "noEmit": True, **STILL_COMPILES[case]},
        "include": ["services/*/src"],
    }))
    prepare_tree(tree)
    assert tsc(tree) == []
    _, run = run_on_tree("graceful-shutdown", tree)
    assert not run.problems, [p.message for p in run.problems]
    assert run.findings
    write_changes(tree, run)
    assert tsc(tree) == []


@pytest.mark.node
def test_the_timeout_read_compiles_under_each_services_own_tsconfig(tmp_path: Path, node_modules: Path) -> None:
    """Each service type-checked with its own tsconfig.json: two extend a base (JSON with comments and
    trailing commas) that sets noPropertyAccessFromIndexSignature, one of them reading its declared
    NODE_ENV with a dot; the third turns the option off. `process.env.SHUTDOWN_TIMEOUT_MS` would be
    TS4111 in the first two."""
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "graceful-shutdown" / "tsconfig-forbids-env-dot-access" / "before", tree)
    services = ["admin", "api", "web"]
    for service in services:
        prepare_tree(tree / "services" / service)
        assert tsc(tree / "services" / service) == [], service
    _, run = run_on_tree("graceful-shutdown", tree)
    assert not run.problems, [p.message for p in run.problems]
    assert sorted(run.changes) == [f"services/{service}/src/index.ts" for service in services]
    write_changes(tree, run)
    for service in services:
        assert tsc(tree / "services" / service) == [], service
    assert "process.env.SHUTDOWN_TIMEOUT_MS" in (tree / "services/web/src/index.ts").read_text()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.node
def test_a_drain_registered_two_imports_up_is_not_cut_short(tmp_path: Path, node_modules: Path) -> None:
    """index.ts drains (close, then a 0.5 s flushQueues, then exit 0); metrics.ts, loaded two imports
    down, starts a second server. A handler added there would exit as soon as that one closed."""
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "graceful-shutdown" / "sigterm-handled-two-imports-up" / "before", tree)
    prepare_tree(tree)
    _, run = run_on_tree("graceful-shutdown", tree)
    assert not run.problems, [p.message for p in run.problems]
    assert "services/api/src/metrics.ts" not in run.changes
    write_changes(tree, run)
    with start_service(tree, "api", env={"METRICS_PORT": str(_free_port())}) as service:
        service.proc.send_signal(signal.SIGTERM)
        code = _wait(service, 10)
        output = service.output()
    assert code == 0, output
    assert "queues flushed" in output, output


FAILING_CLOSE = """\
const http = require('http');

// /maintenance stops taking connections; the stats timer keeps the process running
const server = http.createServer((req, res) => {
  if (req.url === '/maintenance') server.close();
  res.end('ok');
});
server.listen(process.env.PORT);
setInterval(() => {}, 1000);
"""


@pytest.mark.node
def test_a_close_that_fails_exits_1(tmp_path: Path, node_modules: Path) -> None:
    """server.close() hands its error to the callback: the handler must not take that for success."""
    tree = tmp_path / "tree"
    (tree / "services" / "api").mkdir(parents=True)
    (tree / "package.json").write_text('{ "name": "acme", "private": true }\n')
    (tree / "services" / "api" / "package.json").write_text('{ "name": "api", "main": "index.js" }\n')
    (tree / "services" / "api" / "index.js").write_text(FAILING_CLOSE)
    prepare_tree(tree)
    _, run = run_on_tree("graceful-shutdown", tree)
    assert "services/api/index.js" in run.changes
    write_changes(tree, run)
    with start_service(tree, "api") as service:
        assert service.request("GET", "/maintenance", headers={"Connection": "close"})[0] == 200
        time.sleep(0.3)  # closed: the port no longer answers
        service.proc.send_signal(signal.SIGTERM)
        code = _wait(service, 10)
        output = service.output()
    assert code == 1, output
    assert "Graceful shutdown failed" in output and "ERR_SERVER_NOT_RUNNING" in output, output


METRICS = """\
const express = require('express');

const metricsApp = express();
metricsApp.get('/metrics', (req, res) => res.send('# metrics'));
metricsApp.listen(Number(process.env.METRICS_PORT) || 9100);
"""
API_LOADING_METRICS = """\
const express = require('express');
require('./metrics');

const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.get('/slow', (req, res) => setTimeout(() => res.send('done'), 1000));
app.listen(process.env.PORT || 3000);
"""


@pytest.mark.node
def test_one_handler_for_a_process_whose_module_starts_a_second_server(tmp_path: Path, node_modules: Path) -> None:
    """index.js loads metrics.js, which listens too. With a handler in each, the metrics one exited as soon as its
    idle server closed and reset the request in flight on the main port (ECONNRESET, exit 0)."""
    tree = tmp_path / "tree"
    (tree / "services" / "api").mkdir(parents=True)
    (tree / "package.json").write_text('{ "name": "acme", "private": true }\n')
    (tree / "services" / "api" / "package.json").write_text('{ "name": "api", "main": "index.js" }\n')
    (tree / "services" / "api" / "index.js").write_text(API_LOADING_METRICS)
    (tree / "services" / "api" / "metrics.js").write_text(METRICS)
    prepare_tree(tree)
    _, run = run_on_tree("graceful-shutdown", tree)
    assert sorted(run.changes) == ["services/api/index.js"]
    write_changes(tree, run)
    with start_service(tree, "api", env={"METRICS_PORT": str(_free_port())}) as service:
        idle = _idle_keep_alive(service)
        result: dict = {}
        thread = _slow_request(service, result)
        time.sleep(0.3)
        service.proc.send_signal(signal.SIGTERM)
        code = _wait(service, 10)
        thread.join(10)
        idle.close()
        result["connection"].close()
        output = service.output()
    assert result.get("status") == 200, (result, output)
    assert code == 0, output


FASTIFY_VERSION = "4.29.1"
FASTIFY_APP = """\
const Fastify = require('fastify');

module.exports = function buildApp() {
  const app = Fastify();
  app.get('/health', async () => 'ok');
  app.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return 'done';
  });
  return app;
};
"""
FASTIFY_SERVER = """\
const buildApp = require('./app');

const app = buildApp();
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }, (err, address) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`listening on ${address}`);
});
"""


@pytest.fixture(scope="session")
def fastify_modules() -> Path:
    """fastify, installed once per machine next to the sample's node_modules (the sample has no Fastify service)."""
    return nodeenv.extra_packages({"fastify": FASTIFY_VERSION})


# the instance made in the file, started in an async start()
FASTIFY_INLINE = """\
const fastify = require('./app')();

const start = async () => {
  await fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  console.log('listening');
};
start();
"""


@pytest.mark.node
@pytest.mark.parametrize("server", [FASTIFY_SERVER, FASTIFY_INLINE], ids=["factory-callback", "awaited"])
def test_fastify_drains_a_keep_alive_request_and_exits_0(tmp_path: Path, fastify_modules: Path, server: str) -> None:
    """`await app.close()` alone waited for the keep-alive socket that was busy at SIGTERM until Fastify's 72 s
    keep-alive timeout: past SHUTDOWN_TIMEOUT_MS, exit 1. The socket closes once its response is sent. And
    `buildApp().listen({ port }, cb)` is Fastify (kept as Express, `server.on` was a TypeError at start-up)."""
    tree = _one_service_tree(tmp_path, fastify_modules, {"app.js": FASTIFY_APP, "server.js": server})
    with start_service(tree, "api", env={"SHUTDOWN_TIMEOUT_MS": "8000"}) as service:
        _drains_and_exits_0(service, "done")


HAPI_VERSION = "21.4.10"


@pytest.fixture(scope="session")
def hapi_modules() -> Path:
    """@hapi/hapi, installed once per machine next to the sample's node_modules (the sample has no Hapi service)."""
    return nodeenv.extra_packages({"@hapi/hapi": HAPI_VERSION})


HAPI_SERVER = """\
'use strict';

const Hapi = require('@hapi/hapi');

const init = async () => {
  const server = Hapi.server({ port: Number(process.env.PORT), host: '127.0.0.1' });
  server.route({ method: 'GET', path: '/health', handler: () => ({ status: 'ok' }) });
  server.route({
    method: 'GET',
    path: '/slow',
    handler: async () => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      return 'done';
    },
  });
  await server.start();
  console.log(`listening on ${server.info.uri}`);
};

init();
"""


@pytest.mark.node
def test_hapi_drains_the_in_flight_request_and_exits_0(tmp_path: Path, hapi_modules: Path) -> None:
    """A Hapi server is started by `await server.start()`, not listen(): it got no handler, and SIGTERM
    killed the request in flight. `await server.stop({ timeout })` lets it finish, ends the idle keep-alive
    connection and refuses new ones."""
    tree = _one_service_tree(tmp_path, hapi_modules, {"server.js": HAPI_SERVER})
    assert "await closing" in (tree / "services/api/server.js").read_text()
    with start_service(tree, "api", env={"SHUTDOWN_TIMEOUT_MS": "8000"}) as service:
        _drains_and_exits_0(service, "done")


FEATHERS_VERSION = "5.0.50"


@pytest.fixture(scope="session")
def feathers_modules() -> Path:
    """@feathersjs/feathers and @feathersjs/express, installed once per machine (the sample has no Feathers service)."""
    return nodeenv.extra_packages({"@feathersjs/feathers": FEATHERS_VERSION, "@feathersjs/express": FEATHERS_VERSION})


# the Feathers 5 CLI's entry point: `app.listen(port).then(…)`, the app made in ./app; a service with a teardown()
FEATHERS_APP = """\
const { feathers } = require('@feathersjs/feathers');
const express = require('@feathersjs/express');

const app = express.default(feathers());
app.use(express.json());
app.use('messages', {
  async find() { return []; },
  async teardown() { console.log('messages service torn down'); },
});
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/slow', (_req, res) => setTimeout(() => res.send('done'), 700));

module.exports = { app };
"""
FEATHERS_INDEX = """\
const { app } = require('./app');

const port = process.env.PORT || 3030;

app.listen(port).then(() => {
  console.log(`Feathers app listening on http://127.0.0.1:${port}`);
});
"""


@pytest.mark.node
def test_a_feathers_5_app_tears_down_drains_and_exits_0(tmp_path: Path, feathers_modules: Path) -> None:
    """`app.listen(port).then(…)` was taken for Fastify: `await app.close()` on a Feathers app, which has none
    (TypeError: exit 1, nothing drained). Feathers 5's `await app.teardown()` runs the services' teardown and
    closes app.server; the in-flight request finishes, the idle keep-alive socket does not hold the exit."""
    tree = tmp_path / "tree"
    service_dir = tree / "services" / "api"
    service_dir.mkdir(parents=True)
    (tree / "package.json").write_text('{ "name": "acme", "private": true }\n')
    (service_dir / "package.json").write_text(json.dumps({
        "name": "api", "main": "index.js",
        "dependencies": {"@feathersjs/feathers": f"^{FEATHERS_VERSION}", "@feathersjs/express": f"^{FEATHERS_VERSION}"}}))
    (service_dir / "app.js").write_text(FEATHERS_APP)
    (service_dir / "index.js").write_text(FEATHERS_INDEX)
    (tree / "node_modules").symlink_to(feathers_modules, target_is_directory=True)
    _, run = run_on_tree("graceful-shutdown", tree)
    assert sorted(run.changes) == ["services/api/index.js"]
    write_changes(tree, run)
    with start_service(tree, "api", env={"SHUTDOWN_TIMEOUT_MS": "8000"}) as service:
        output = _drains_and_exits_0(service, "done")
    assert "messages service torn down" in output
    assert "app.teardown()" in (service_dir / "index.js").read_text()


@pytest.mark.node
def test_a_feathers_5_entry_point_compiles_under_strict(tmp_path: Path, node_modules: Path, feathers_modules: Path) -> None:
    """The Fastify template on a Feathers app: `app.close()` (TS2339: no such property) and `app.server.on`
    (TS18048: `server?: http.Server`). `app.teardown()` and `app.server?.` compile under strict."""
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "graceful-shutdown" / "feathers-app-listen-then" / "before", tree)
    (tree / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"target": "ES2022", "module": "commonjs", "strict": True, "esModuleInterop": True,
                            "skipLibCheck": True, "types": ["node"], "noEmit": True},
        "include": ["services/chat/src"],
    }))
    prepare_tree(tree)
    (tree / "services" / "chat" / "node_modules").symlink_to(feathers_modules, target_is_directory=True)
    assert tsc(tree) == []
    _, run = run_on_tree("graceful-shutdown", tree)
    write_changes(tree, run)
    assert tsc(tree) == []
    assert "app.teardown()" in (tree / "services/chat/src/index.ts").read_text()


GLUE_VERSION = "9.0.1"


@pytest.fixture(scope="session")
def glue_modules() -> Path:
    """@hapi/glue and the @hapi/hapi it composes (its peer dependency), installed once per machine."""
    return nodeenv.extra_packages({"@hapi/hapi": HAPI_VERSION, "@hapi/glue": GLUE_VERSION})


# @hapi/glue's manifest layout: the routes come from a plugin the manifest names relative to the service
GLUE_ROUTES = """\
'use strict';

exports.plugin = {
  name: 'routes',
  register(server) {
    server.route({ method: 'GET', path: '/health', handler: () => ({ status: 'ok' }) });
    server.route({
      method: 'GET',
      path: '/slow',
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 700));
        return 'done';
      },
    });
  },
};
"""
GLUE_MANIFEST = """\
'use strict';

module.exports = {
  server: { port: Number(process.env.PORT), host: '127.0.0.1' },
  register: { plugins: [{ plugin: './routes' }] },
};
"""
GLUE_AWAITED = """\
'use strict';

const Glue = require('@hapi/glue');
const Manifest = require('./manifest');

const startServer = async function () {
  try {
    const server = await Glue.compose(Manifest, { relativeTo: __dirname });
    await server.start();
    console.log(`listening on ${server.info.uri}`);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
};

startServer();
"""
GLUE_THEN = """\
'use strict';

const Glue = require('@hapi/glue');
const Manifest = require('./manifest');

Glue.compose(Manifest, { relativeTo: __dirname })
  .then(async (server) => {
    await server.start();
    console.log(`listening on ${server.info.uri}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
"""


@pytest.mark.node
@pytest.mark.parametrize("server", [GLUE_AWAITED, GLUE_THEN], ids=["awaited", "then"])
def test_a_hapi_server_composed_by_glue_drains_and_exits_0(tmp_path: Path, glue_modules: Path, server: str) -> None:
    """`await Glue.compose(manifest, options)` (and `.then((server) => …)`) makes a hapi Server, but only
    `Hapi.server(…)` was known: no handler, and SIGTERM killed the request in flight. The hapi handler,
    `await server.stop({ timeout })`, lets it finish and exits 0."""
    tree = _one_service_tree(tmp_path, glue_modules, {
        "routes.js": GLUE_ROUTES, "manifest.js": GLUE_MANIFEST, "server.js": server})
    assert "server.stop({ timeout: 6000 })" in (tree / "services/api/server.js").read_text()
    with start_service(tree, "api", env={"SHUTDOWN_TIMEOUT_MS": "8000"}) as service:
        _drains_and_exits_0(service, "done")


def _service_with(tmp_path: Path, modules: Path, server: str, dependencies: dict[str, str]) -> tuple[Path, dict]:
    """A repository of one service, `services/api` (`main`: server.js, its package.json depending on
    `dependencies`), whose node_modules are `modules`, with graceful-shutdown's changes written into it; and the
    changes."""
    tree = tmp_path / "tree"
    service_dir = tree / "services" / "api"
    service_dir.mkdir(parents=True)
    (tree / "package.json").write_text('{ "name": "acme", "private": true }\n')
    (service_dir / "package.json").write_text(json.dumps({"name": "api", "main": "server.js", "dependencies": dependencies}))
    (service_dir / "server.js").write_text(server)
    (tree / "node_modules").symlink_to(modules, target_is_directory=True)
    _, run = run_on_tree("graceful-shutdown", tree)
    write_changes(tree, run)
    return tree, run.changes


# tRPC's standalone quick start: `createHTTPServer({ router }).listen(port)`
TRPC_SERVER = """\
const { initTRPC } = require('@trpc/server');
const { createHTTPServer } = require('@trpc/server/adapters/standalone');

const t = initTRPC.create();
const appRouter = t.router({
  health: t.procedure.query(() => 'ok'),
  slow: t.procedure.query(() => new Promise((resolve) => setTimeout(() => resolve('done'), 700))),
});

createHTTPServer({ router: appRouter }).listen(Number(process.env.PORT));
"""
# polka's README: `polka().get(…).listen(port, cb)`
POLKA_SERVER = """\
const polka = require('polka');

polka()
  .get('/health', (req, res) => res.end('ok'))
  .listen(Number(process.env.PORT), (err) => {
    if (err) throw err;
    console.log('listening');
  });
"""


@pytest.mark.node
@pytest.mark.parametrize("name", ["trpc-10", "polka"])
def test_a_listen_that_returns_no_server_is_reported_and_the_service_still_starts(tmp_path: Path, name: str) -> None:
    """tRPC 10's listen() returns `{ port }`, polka's the app: kept as the server (`const server = ….listen(…)`,
    then `server.on('request', …)`), the service died at start-up with a TypeError. Now reported, left as is."""
    packages = {"@trpc/server": "10.45.2"} if name == "trpc-10" else {"polka": "0.5.2"}
    modules = nodeenv.extra_packages(packages)
    server = TRPC_SERVER if name == "trpc-10" else POLKA_SERVER
    tree, changes = _service_with(tmp_path, modules, server, {k: f"^{v}" for k, v in packages.items()})
    assert changes == {}
    with start_service(tree, "api") as service:
        connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
        connection.request("GET", "/health")
        assert connection.getresponse().status == 200, service.output()


@pytest.mark.node
def test_trpc_11_s_server_drains_and_exits_0(tmp_path: Path) -> None:
    """tRPC 11's createHTTPServer() is the http.Server, which its listen() returns: kept, and drained."""
    modules = nodeenv.extra_packages({"@trpc/server": "11.0.0"})
    tree, changes = _service_with(tmp_path, modules, TRPC_SERVER, {"@trpc/server": "^11.0.0"})
    assert "const server = createHTTPServer(" in (tree / "services/api/server.js").read_text(), changes
    with start_service(tree, "api", env={"SHUTDOWN_TIMEOUT_MS": "8000"}) as service:
        _drains_and_exits_0(service)


HONO_SERVER = """\
const { serve } = require('@hono/node-server');
const { Hono } = require('hono');

const app = new Hono();
app.get('/health', (c) => c.text('ok'));
app.get('/slow', async (c) => {
  await new Promise((resolve) => setTimeout(resolve, 700));
  return c.text('done');
});

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on ${info.port}`);
});
"""


@pytest.mark.node
def test_a_hono_server_drains_and_exits_0(tmp_path: Path) -> None:
    """@hono/node-server's `serve({ fetch, port })` starts the server without a `.listen(`: it got no handler,
    and SIGTERM killed the request in flight. Kept (`const server = serve(…)`), it drains and exits 0."""
    modules = nodeenv.extra_packages({"hono": "4.6.14", "@hono/node-server": "1.13.7"})
    tree, _changes = _service_with(tmp_path, modules, HONO_SERVER, {"hono": "^4.6.14", "@hono/node-server": "^1.13.7"})
    assert "const server = serve(" in (tree / "services/api/server.js").read_text()
    with start_service(tree, "api", env={"SHUTDOWN_TIMEOUT_MS": "8000"}) as service:
        _drains_and_exits_0(service, "done")


# An API that queues jobs and runs their BullMQ Worker in the same process, on one ioredis connection
BULLMQ_SERVER = """\
const express = require('express');
const IORedis = require('ioredis');
const { Queue, Worker } = require('bullmq');

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const queue = new Queue('emails', { connection });
const worker = new Worker('emails', async (job) => {
  console.log(`job ${job.id} started`);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log(`job ${job.id} finished`);
  return { sent: true };
}, { connection });

const app = express();
app.post('/jobs', async (_req, res) => {
  const job = await queue.add('send', {});
  res.status(202).json({ id: job.id });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
"""


@pytest.mark.node
def test_a_bullmq_worker_beside_a_server_finishes_its_job_before_the_connection_closes(tmp_path: Path) -> None:
    """The handler closed the server, then quit the ioredis connection under the Worker: the job in progress was
    cut (left active in Redis, retried later as stalled) and the process exited 0. Now `await worker.close()` (which
    waits for the active job) and `queue.close()` come before `connection.quit()`: the job finishes, then exit 0."""
    redis = shutil.which("redis-server")
    if redis is None:
        pytest.skip("redis-server is not installed")
    modules = nodeenv.extra_packages({"bullmq": "5.34.0", "ioredis": "5.4.1", "express": "4.21.2"})
    tree, _changes = _service_with(tmp_path, modules, BULLMQ_SERVER,
                                   {"bullmq": "^5.34.0", "ioredis": "^5.4.1", "express": "^4.21.2"})
    text = (tree / "services/api/server.js").read_text()
    assert text.index("await worker.close()") < text.index("await queue.close()") < text.index("await connection.quit()")
    port = _free_port()
    store = subprocess.Popen([redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while _refused(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        with start_service(tree, "api", env={"REDIS_URL": f"redis://127.0.0.1:{port}", "SHUTDOWN_TIMEOUT_MS": "8000"}) \
                as service:
            assert service.request("POST", "/jobs")[0] == 202, service.output()
            deadline = time.monotonic() + 10
            while "job 1 started" not in service.output() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "job 1 started" in service.output(), service.output()
            service.proc.send_signal(signal.SIGTERM)
            code = _wait(service, 15)
            output = service.output()
        assert code == 0 and "job 1 finished" in output, output
        assert output.index("job 1 finished") > output.index("HTTP server closed"), output
    finally:
        store.terminate()
        store.wait(timeout=10)
