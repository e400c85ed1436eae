"""healthcheck-loopback on the sample monorepo, proven with real Node: the fixed HEALTHCHECK
command passes against the service bound to IPv4 only, and the localhost command the fix
replaces is the one that fails where containers resolve localhost to ::1 first.

A container's resolver is reproduced with a private mount namespace (`unshare -m`) whose
/etc/hosts lists `::1 localhost` before `127.0.0.1 localhost`, as Docker writes it; this
machine's own /etc/hosts is never touched."""

from __future__ import annotations

import os
import time
import re
import shlex
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from fixer.parsing import dockerfile
from harness import run_on_tree, write_changes
from nodeenv import start_service

SERVICE = "course-service"
CONTAINER_HOSTS = "::1 localhost ip6-localhost ip6-loopback\n127.0.0.1 localhost\n"


def _healthcheck_command(tree: Path, service: str, port: int) -> str:
    """The service's Dockerfile HEALTHCHECK command, pointed at the test port."""
    data = (tree / "services" / service / "Dockerfile").read_bytes()
    check = next(i for i in dockerfile.parse(data) if i.cmd == "HEALTHCHECK")
    return re.sub(r"(localhost|127\.0\.0\.1):\d+", rf"\g<1>:{port}", check.value[1])


def _no_infra_env() -> dict[str, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    return {"NODE_ENV": "development", "DATABASE_URL": f"postgresql://postgres:postgres@127.0.0.1:{closed}/kc",
            "DB_MAX_RETRIES": "1", "DB_RETRY_DELAY_MS": "50"}


def _probe(command: str, hosts: Path | None = None, node_options: str = "") -> int:
    """Run a HEALTHCHECK command as Docker does (`sh -c`), optionally with a container's /etc/hosts."""
    env = {**os.environ, "NODE_OPTIONS": node_options}
    if hosts is None:
        return subprocess.run(["sh", "-c", command], env=env, timeout=30, capture_output=True).returncode
    script = f"mount --bind {shlex.quote(str(hosts))} /etc/hosts && exec sh -c {shlex.quote(command)}"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, timeout=30, capture_output=True).returncode


@pytest.fixture
def container_hosts(tmp_path: Path) -> Path:
    hosts = tmp_path / "hosts"
    hosts.write_text(CONTAINER_HOSTS)
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed: cannot reproduce a container's /etc/hosts")
    check = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind {hosts} /etc/hosts && "
                            "node -e \"require('dns').lookup('localhost', (e, a) => console.log(a))\""],
                           capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        pytest.skip(f"no private mount namespace here (needs root): {check.stderr.strip()[:200]}")
    assert check.stdout.strip() == "::1", "the namespace does not resolve localhost like a container"
    return hosts


@pytest.mark.node
def test_the_fixed_healthcheck_passes_against_a_service_bound_to_ipv4(sample_tree: Path, container_hosts: Path) -> None:
    # the audit's case: the service binds 0.0.0.0 (IPv4 only)
    index = sample_tree / "services" / SERVICE / "src" / "index.ts"
    source = index.read_text()
    assert "app.listen(PORT, () =>" in source
    index.write_text(source.replace("app.listen(PORT, () =>", "app.listen(Number(PORT), '0.0.0.0', () =>"))

    _, run = run_on_tree("healthcheck-loopback", sample_tree)
    assert not run.problems, run.problems
    assert f"services/{SERVICE}/Dockerfile" in run.changes
    write_changes(sample_tree, run)

    with start_service(sample_tree, SERVICE, env=_no_infra_env()) as service:
        fixed = _healthcheck_command(sample_tree, SERVICE, service.port)
        assert fixed.startswith("node -e ") and "127.0.0.1" in fixed and "localhost" not in fixed
        before = fixed.replace("127.0.0.1", "localhost")  # what the fix replaced

        # the fixed probe passes, with the container's resolver or without, whatever Node does with localhost
        assert _probe(fixed) == 0, service.output()
        assert _probe(fixed, container_hosts) == 0
        assert _probe(fixed, container_hosts, "--no-network-family-autoselection") == 0

        # what Node 20 really does with the old probe: ::1 is refused, and its happy-eyeballs
        # fallback (autoSelectFamily, on by default since Node 20) then reaches 127.0.0.1 ...
        assert _probe(before, container_hosts) == 0
        # ... while Node 17-19, or Node 20 with that fallback off, fail: the container goes unhealthy
        assert _probe(before, container_hosts, "--no-network-family-autoselection") == 1


@pytest.mark.node
def test_a_service_bound_to_ipv6_loopback_keeps_its_probe(sample_tree: Path, container_hosts: Path) -> None:
    """The binding check is real: against a service on ::1 only, 127.0.0.1 fails and localhost
    passes, so the fix must leave the probe alone (and say why)."""
    index = sample_tree / "services" / SERVICE / "src" / "index.ts"
    index.write_text(index.read_text().replace("app.listen(PORT, () =>", "app.listen(Number(PORT), '::1', () =>"))

    _, run = run_on_tree("healthcheck-loopback", sample_tree)
    assert f"services/{SERVICE}/Dockerfile" not in run.changes
    [finding] = [f for f in run.findings if f.path == f"services/{SERVICE}/Dockerfile"]
    assert "listens on '::1' only" in finding.message and not finding.changes

    port = _free_port()
    server = subprocess.Popen(["node", "-e", "require('http').createServer((q, r) => r.end('ok'))"
                               f".listen({port}, '::1')"], start_new_session=True)
    try:
        _wait_for(port)
        kept = _healthcheck_command(sample_tree, SERVICE, port)
        assert _probe(kept, container_hosts) == 0
        assert _probe(kept.replace("localhost", "127.0.0.1"), container_hosts) == 1
    finally:
        os.killpg(server.pid, 9)
        server.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET6) as sock:
        sock.bind(("::1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("::1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on [::1]:{port}")


@pytest.mark.node
def test_a_service_bound_to_every_ipv6_address_is_probed_on_ipv4_loopback(sample_tree: Path,
                                                                          container_hosts: Path) -> None:
    """`listen(PORT, '::')`: Node binds it dual-stack (libuv turns IPV6_V6ONLY off unless ipv6Only),
    so the rewritten probe on 127.0.0.1 passes against it, as the fix claims."""
    index = sample_tree / "services" / SERVICE / "src" / "index.ts"
    index.write_text(index.read_text().replace("app.listen(PORT, () =>", "app.listen(Number(PORT), '::', () =>"))

    _, run = run_on_tree("healthcheck-loopback", sample_tree)
    assert f"services/{SERVICE}/Dockerfile" in run.changes
    write_changes(sample_tree, run)

    port = _free_port()
    server = subprocess.Popen(["node", "-e", "require('http').createServer((q, r) => r.end('ok'))"
                               f".listen({port}, '::')"], start_new_session=True)
    try:
        _wait_for(port)
        fixed = _healthcheck_command(sample_tree, SERVICE, port)
        assert "127.0.0.1" in fixed and _probe(fixed, container_hosts) == 0
    finally:
        os.killpg(server.pid, 9)
        server.wait()


HEALTHCHECK_SCRIPT = """const http = require('http');

const options = {
  host: 'localhost',
  port: process.env.PORT || 3000,
  path: '/health',
  timeout: 2000,
};

const request = http.request(options, (res) => {
  process.exit(res.statusCode === 200 ? 0 : 1);
});

request.on('error', () => process.exit(1));
request.end();
"""


@pytest.mark.node
def test_a_healthcheck_script_is_pointed_at_ipv4_loopback(tmp_path: Path, container_hosts: Path) -> None:
    """`HEALTHCHECK CMD node healthcheck.js`: the script's `host: 'localhost'` is the probe's host. Rewritten
    to 127.0.0.1 it passes against the service bound to 0.0.0.0 with a container's resolver; the old script
    fails there without Node's IPv4 fallback."""
    service = tmp_path / "services" / "api"
    service.mkdir(parents=True)
    (service / "package.json").write_text('{"name":"api","version":"1.0.0","main":"index.js"}\n')
    (service / "index.js").write_text("require('http').createServer((q, r) => { r.statusCode = q.url === '/health' ? 200 : 404;"
                                      " r.end('ok'); }).listen(Number(process.env.PORT) || 3000, '0.0.0.0');\n")
    (service / "healthcheck.js").write_text(HEALTHCHECK_SCRIPT)
    (service / "Dockerfile").write_text('FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\n'
                                        'HEALTHCHECK --interval=12s --timeout=12s CMD node healthcheck.js\n'
                                        'CMD ["node", "index.js"]\n')
    _, run = run_on_tree("healthcheck-loopback", tmp_path)
    assert not run.problems, run.problems
    assert sorted(run.changes) == ["services/api/healthcheck.js"]
    write_changes(tmp_path, run)
    fixed = (service / "healthcheck.js").read_text()
    assert fixed == HEALTHCHECK_SCRIPT.replace("host: 'localhost'", "host: '127.0.0.1'")
    (service / "old.js").write_text(HEALTHCHECK_SCRIPT)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(["node", "index.js"], cwd=service, env={**os.environ, "PORT": str(port)},
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["node", "healthcheck.js"], cwd=service, env={**os.environ, "PORT": str(port)},
                             timeout=30).returncode != 0:
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.1)
        for script, passes in (("healthcheck.js", 0), ("old.js", 1)):
            command = f"cd {shlex.quote(str(service))} && PORT={port} node {script}"
            assert _probe(command, container_hosts, "--no-network-family-autoselection") == passes, script
        assert _probe(f"cd {shlex.quote(str(service))} && PORT={port} node healthcheck.js", container_hosts) == 0
    finally:
        os.killpg(server.pid, 9)
        server.wait()
