"""Node.js / TypeScript helpers for tests that run the sample monorepo.

Loaded as a pytest plugin by ``tests/conftest.py`` (``pytest_plugins = ["nodeenv"]``),
so its fixtures are available to every test; the helpers can also be imported
directly (``from nodeenv import tsc, start_service``).

Public API (kept small on purpose):

* :data:`SAMPLE_MONOREPO` - path of ``fixtures/sample-monorepo``.
* :func:`node_modules_dir` - install (once per machine) the npm packages the
  sample monorepo declares; returns the cached ``node_modules`` directory.
* :func:`prepare_tree` - make a copy of the sample runnable and type-checkable.
* :func:`tsc` - type-check a tree, returning normalised diagnostics.
* :func:`start_service` - run one service on a free port (:class:`RunningService`).
* fixtures ``node_modules`` (session) and ``sample_tree`` (function).

Environment variables:

* ``FIXER_TEST_CACHE`` - directory holding the npm cache installs
  (default ``~/.cache/fixer-tests``); each dependency set gets its own
  ``node-<hash>`` sub-directory.
* ``FIXER_SKIP_NODE=1`` - skip every test that needs Node instead of failing
  (for machines without node/npm or without registry access).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_MONOREPO = REPO_ROOT / "fixtures" / "sample-monorepo"

MIN_NODE_VERSION = (20, 6)  # `node --import` (used to load tsx) needs 20.6+
NPM_INSTALL_TIMEOUT_S = 900
START_TIMEOUT_S = 20.0

__all__ = [
    "SAMPLE_MONOREPO",
    "NodeUnavailable",
    "RunningService",
    "declared_dependencies",
    "node_modules_dir",
    "prepare_tree",
    "start_service",
    "tsc",
]


class NodeUnavailable(RuntimeError):
    """node/npm are missing, too old, or the npm install failed."""


# ---------------------------------------------------------------------------
# node / npm discovery
# ---------------------------------------------------------------------------

def _skip_requested() -> bool:
    return os.environ.get("FIXER_SKIP_NODE", "").strip().lower() in {"1", "true", "yes"}


@functools.lru_cache(maxsize=None)
def _node_info() -> tuple[str, str, int]:
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        missing = " and ".join(name for name, exe in (("node", node), ("npm", npm)) if not exe)
        raise NodeUnavailable(
            f"{missing} not found on PATH. These tests run the sample monorepo with "
            f"Node.js >= {MIN_NODE_VERSION[0]}.{MIN_NODE_VERSION[1]}; install Node.js/npm, or set FIXER_SKIP_NODE=1 "
            "to skip them."
        )
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    match = re.match(r"v(\d+)\.(\d+)\.", version)
    if not match or (int(match.group(1)), int(match.group(2))) < MIN_NODE_VERSION:
        raise NodeUnavailable(
            "Node.js >= %d.%d is required, found %s at %s" % (*MIN_NODE_VERSION, version or "unknown", node)
        )
    return node, npm, int(match.group(1))


def _require_node() -> tuple[str, str]:
    """Return (node, npm) executables; skip the test when FIXER_SKIP_NODE=1,
    raise NodeUnavailable when they are missing or too old."""
    if _skip_requested():
        pytest.skip("FIXER_SKIP_NODE=1: tests that need Node.js are skipped")
    node, npm, _ = _node_info()
    return node, npm


# ---------------------------------------------------------------------------
# dependency installation (cached per machine)
# ---------------------------------------------------------------------------

def _package_json_files(root: Path) -> list[Path]:
    files = [root / "package.json", root / "shared" / "package.json"]
    files += sorted((root / "services").glob("*/package.json"))
    return [f for f in files if f.is_file()]


def declared_dependencies(root: Path = SAMPLE_MONOREPO) -> dict[str, str]:
    """Union of ``dependencies`` and ``devDependencies`` of every package.json
    in the monorepo at *root* (root, ``shared/``, ``services/*``).

    Workspace packages (e.g. ``@kc/shared``) are left out. Two different
    versions of the same package raise ``ValueError``: the sample pins every
    dependency to one exact version.
    """
    manifests = [json.loads(p.read_text(encoding="utf-8-sig")) for p in _package_json_files(root)]
    workspace_names = {m.get("name") for m in manifests}
    union: dict[str, str] = {}
    for path, manifest in zip(_package_json_files(root), manifests):
        for section in ("dependencies", "devDependencies"):
            for name, version in (manifest.get(section) or {}).items():
                if name in workspace_names:
                    continue
                if union.get(name, version) != version:
                    raise ValueError(
                        f"{path}: {name}@{version} conflicts with {name}@{union[name]} "
                        "declared by another package.json"
                    )
                union[name] = version
    return dict(sorted(union.items()))


def _cache_base() -> Path:
    configured = os.environ.get("FIXER_TEST_CACHE")
    base = Path(configured).expanduser() if configured else Path.home() / ".cache" / "fixer-tests"
    base.mkdir(parents=True, exist_ok=True)
    return base


_NODE_MODULES: dict[str, Path] = {}


def node_modules_dir() -> Path:
    """Return a ``node_modules`` directory holding every npm package that the
    sample monorepo declares (exact pinned versions).

    Installed once per machine into ``$FIXER_TEST_CACHE/node-<hash>`` (default
    ``~/.cache/fixer-tests/node-<hash>``), where the hash covers the dependency
    set and the Node.js major version. Concurrent callers (pytest-xdist
    workers, parallel runs) serialise on a file lock; the install happens in a
    temporary directory that is renamed into place only when complete, so a
    half-finished install is never used.

    Skips the calling test when ``FIXER_SKIP_NODE=1``; raises
    :class:`NodeUnavailable` when node/npm are missing or ``npm install`` fails.
    """
    _, npm = _require_node()
    deps = declared_dependencies()
    key_material = json.dumps({"deps": deps, "node": _node_info()[2]}, sort_keys=True)
    digest = hashlib.sha256(key_material.encode()).hexdigest()[:16]
    if digest in _NODE_MODULES:
        return _NODE_MODULES[digest]

    base = _cache_base()
    final = base / f"node-{digest}"
    marker = final / ".fixer-complete"
    if not marker.is_file():
        with open(base / f"node-{digest}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not marker.is_file():
                    _install(npm, deps, base, final, digest)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    result = final / "node_modules"
    _NODE_MODULES[digest] = result
    return result


def _install(npm: str, deps: dict[str, str], base: Path, final: Path, digest: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".node-{digest}-", dir=base))
    try:
        manifest = {
            "name": "fixer-sample-monorepo-deps",
            "version": "0.0.0",
            "private": True,
            "description": "Dependencies of fixtures/sample-monorepo, installed for fixer's tests",
            "dependencies": deps,
        }
        (tmp / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
        started = time.monotonic()
        proc = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error"],
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=NPM_INSTALL_TIMEOUT_S,
            env={**os.environ, "npm_config_update_notifier": "false"},
        )
        if proc.returncode != 0:
            raise NodeUnavailable(
                f"npm install of the sample monorepo's dependencies failed (exit {proc.returncode}) "
                f"in {tmp}:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
            )
        (tmp / ".fixer-complete").write_text(
            json.dumps({"seconds": round(time.monotonic() - started, 1), "deps": deps}, indent=2) + "\n"
        )
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the cache may be shared
        if final.exists():  # an incomplete leftover (no marker): replace it
            shutil.rmtree(final)
        os.rename(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------
# trees
# ---------------------------------------------------------------------------

def extra_packages(packages: dict[str, str]) -> Path:
    """npm packages the sample does not depend on (what a Fastify, Hapi, Koa or log4js service
    needs), installed once per machine in the test cache; their node_modules."""
    _node, npm = _require_node()
    base = _cache_base()
    label = "-".join(f"{name.lstrip('@').replace('/', '-')}-{version}" for name, version in sorted(packages.items()))
    final = base / label
    if not (final / ".fixer-complete").exists():
        _install(npm, packages, base, final, label.split("-")[0])
    return final / "node_modules"


def prepare_tree(root: Path) -> None:
    """Make the monorepo copy at *root* runnable and type-checkable.

    Creates ``root/node_modules`` as a symlink to :func:`node_modules_dir`, so
    Node's resolution from any file under *root* (including the CommonJS
    ``student-service``) finds the packages, and ``tsc``/``tsx`` find
    TypeScript, tsx and the ``@types``. ``@kc/shared`` is resolved by the
    ``paths`` mapping in ``tsconfig.base.json`` (honoured by tsc and tsx).
    Idempotent.
    """
    root = Path(root)
    target = node_modules_dir()
    link = root / "node_modules"
    if link.is_symlink():
        if Path(os.readlink(link)) == target:
            return
        link.unlink()
    elif link.exists():
        raise FileExistsError(f"{link} exists and is not a symlink; refusing to replace it")
    link.symlink_to(target, target_is_directory=True)


# ---------------------------------------------------------------------------
# tsc
# ---------------------------------------------------------------------------

_DIAG_RE = re.compile(r"^(?P<path>.+?)\((?P<line>\d+),(?P<col>\d+)\): (?P<rest>(?:error|warning) TS\d+: .*)$")


def tsc(root: Path) -> list[str]:
    """Type-check *root* with ``tsc --noEmit -p root/tsconfig.json``.

    Uses the TypeScript from ``root/node_modules`` (call :func:`prepare_tree`
    first). Returns one string per diagnostic,
    ``path(line,col): error TSxxxx: message``, with *path* relative to *root*
    (``/`` separators) and continuation lines of a message folded into it,
    separated by single spaces. Returns ``[]`` when the tree is clean.
    """
    node, _ = _require_node()
    root = Path(root).resolve()
    tsc_js = root / "node_modules" / "typescript" / "bin" / "tsc"
    if not tsc_js.exists():
        raise FileNotFoundError(f"{tsc_js} not found: call prepare_tree({root}) first")
    proc = subprocess.run(
        [node, str(tsc_js), "--noEmit", "--pretty", "false", "-p", str(root / "tsconfig.json")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    diagnostics: list[str] = []
    for raw in proc.stdout.splitlines():
        if not raw.strip():
            continue
        match = _DIAG_RE.match(raw)
        if match:
            diagnostics.append(
                f"{_relative(match.group('path'), root)}({match.group('line')},{match.group('col')}): "
                f"{match.group('rest')}"
            )
        elif raw.startswith((" ", "\t")) and diagnostics:
            diagnostics[-1] += " " + raw.strip()
        else:  # global diagnostics such as "error TS5083: Cannot read file ..."
            diagnostics.append(raw.strip())
    if proc.returncode != 0 and not diagnostics:
        raise RuntimeError(f"tsc failed (exit {proc.returncode}) without diagnostics:\n{proc.stdout}\n{proc.stderr}")
    return diagnostics


def _relative(path: str, root: Path) -> str:
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = root / candidate
    try:
        return Path(os.path.normpath(candidate)).relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.normpath(candidate)).as_posix()


# ---------------------------------------------------------------------------
# running services
# ---------------------------------------------------------------------------

_RUNNING: set["RunningService"] = set()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


class RunningService:
    """A service process started by :func:`start_service`.

    Attributes: ``name``, ``port``, ``proc`` (the :class:`subprocess.Popen` of
    the node process; it leads its own process group). Use as a context
    manager, or call :meth:`stop`; both always kill the whole process group.
    """

    def __init__(self, name: str, port: int, proc: subprocess.Popen, log_path: Path) -> None:
        self.name = name
        self.port = port
        self.proc = proc
        self._log_path = log_path
        self._final_output: str | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | dict | list | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> tuple[int, str]:
        """Send an HTTP request to the service; returns ``(status, body text)``.

        A dict/list *body* is sent as JSON. HTTP error statuses are returned,
        not raised.
        """
        headers = dict(headers or {})
        data: bytes | None
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body
        req = urllib.request.Request(self.base_url + path, data=data, method=method.upper(), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, str]:
        """``GET path``; returns ``(status, body text)``."""
        return self.request("GET", path, timeout=timeout)

    def output(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        if self._final_output is not None:
            return self._final_output
        try:
            return self._log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        """Kill the process group (SIGKILL) and wait for it. Idempotent;
        :meth:`output` keeps working afterwards."""
        if self._final_output is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self._final_output = self._log_path.read_text(encoding="utf-8", errors="replace") if self._log_path.exists() else ""
        with contextlib.suppress(OSError):
            self._log_path.unlink()
        _RUNNING.discard(self)

    def __enter__(self) -> "RunningService":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.alive() else f"exited({self.proc.returncode})"
        return f"<RunningService {self.name} port={self.port} pid={self.proc.pid} {state}>"


def _service_command(node: str, service_dir: Path) -> list[str]:
    """TypeScript services run ``src/index.ts`` through tsx's loader in a
    single node process (``node --import tsx``); plain-JS services run their
    package.json ``main`` with node."""
    ts_entry = service_dir / "src" / "index.ts"
    if ts_entry.is_file():
        return [node, "--import", "tsx", "src/index.ts"]
    manifest = json.loads((service_dir / "package.json").read_text(encoding="utf-8-sig"))
    main = manifest.get("main") or "index.js"
    return [node, main]


def start_service(root: Path, service: str, env: dict[str, str] | None = None,
                  argv: list[str] | None = None) -> RunningService:
    """Start ``root/services/<service>`` and wait until its port accepts connections.

    The service runs with ``cwd=root/services/<service>`` in its own process
    group, on a free 127.0.0.1 port passed as ``PORT`` (an explicit ``PORT``
    in *env* wins). The environment is ``os.environ`` plus *env*. TypeScript
    services run with tsx (which honours the tsconfig ``paths``), the CommonJS
    ``student-service`` with node; *argv*, when given, is what node runs
    instead (``["bin/www"]``). stdout and stderr go to a temp file, read
    with :meth:`RunningService.output`.

    Raises ``RuntimeError`` (with the captured output) if the process exits or
    the port does not open within 20 s; the process group is killed then.
    """
    node, _ = _require_node()
    root = Path(root).resolve()
    service_dir = root / "services" / service
    if not service_dir.is_dir():
        raise FileNotFoundError(f"no such service: {service_dir}")
    if not (root / "node_modules").exists():
        raise FileNotFoundError(f"{root / 'node_modules'} missing: call prepare_tree({root}) first")

    full_env = dict(os.environ)
    full_env.pop("NODE_OPTIONS", None)
    full_env.update(env or {})
    port = int(full_env["PORT"]) if env and "PORT" in env else _free_port()
    full_env["PORT"] = str(port)

    fd, log_name = tempfile.mkstemp(prefix=f"fixer-{service}-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(fd, "wb") as log_file:
        proc = subprocess.Popen(
            [node, *argv] if argv else _service_command(node, service_dir),
            cwd=service_dir,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = RunningService(service, port, proc, log_path)
    _RUNNING.add(running)

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            running.stop()
            raise RuntimeError(
                f"{service} exited with code {proc.returncode} before listening on port {port}:\n"
                f"{running.output()}"
            )
        if _port_open(port):
            return running
        if time.monotonic() > deadline:
            running.stop()
            raise RuntimeError(
                f"{service} did not open port {port} within {START_TIMEOUT_S:.0f}s:\n{running.output()}"
            )
        time.sleep(0.1)


@atexit.register
def _kill_leftovers() -> None:
    for running in list(_RUNNING):
        running.stop()


# ---------------------------------------------------------------------------
# pytest fixtures
# ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def node_modules() -> Path:
    """Session-wide cached ``node_modules`` (see :func:`node_modules_dir`)."""
    return node_modules_dir()


@pytest.fixture
def sample_tree(tmp_path: Path, node_modules: Path) -> Iterator[Path]:
    """A fresh copy of ``fixtures/sample-monorepo`` under ``tmp_path``,
    prepared with :func:`prepare_tree`; services started from it are killed
    when the test ends."""
    tree = tmp_path / "sample-monorepo"
    shutil.copytree(SAMPLE_MONOREPO, tree, symlinks=True, ignore=shutil.ignore_patterns("node_modules"))
    prepare_tree(tree)
    before = set(_RUNNING)
    yield tree
    for running in list(_RUNNING - before):
        running.stop()
