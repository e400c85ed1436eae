"""health-endpoints on the sample monorepo, proven with real Node: after the fix every
service answers /health, and each Dockerfile's own HEALTHCHECK command passes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from fixer.parsing import dockerfile
from harness import run_on_tree, write_changes
from nodeenv import start_service, tsc

HEALTHZ_SERVICES = ["booking-service", "admin-service", "student-auth-service"]


def _healthcheck_command(tree: Path, service: str, port: int) -> str:
    """The service's Dockerfile HEALTHCHECK command, pointed at the test port."""
    data = (tree / "services" / service / "Dockerfile").read_bytes()
    check = next(i for i in dockerfile.parse(data) if i.cmd == "HEALTHCHECK")
    command = check.value[1]
    return re.sub(r"(localhost|127\.0\.0\.1):\d+", rf"\g<1>:{port}", command)


@pytest.mark.node
def test_the_audits_health_check_mismatch_is_fixed_on_running_services(sample_tree: Path) -> None:
    # before: the Dockerfile probes /health, the service answers only /healthz
    with start_service(sample_tree, "booking-service") as service:
        probe = subprocess.run(["sh", "-c", _healthcheck_command(sample_tree, "booking-service", service.port)], timeout=20)
        assert probe.returncode == 1

    _, run = run_on_tree("health-endpoints", sample_tree)
    assert not run.problems, run.problems
    assert {p.split("/")[1] for p in run.changes} == set(HEALTHZ_SERVICES)
    write_changes(sample_tree, run)

    for name in HEALTHZ_SERVICES:
        with start_service(sample_tree, name) as service:
            assert service.get("/health")[0] == 200, service.output()
            assert service.get("/healthz")[0] == 404
            probe = subprocess.run(["sh", "-c", _healthcheck_command(sample_tree, name, service.port)], timeout=20)
            assert probe.returncode == 0, f"{name}: the Dockerfile HEALTHCHECK still fails"
    assert tsc(sample_tree) == []
