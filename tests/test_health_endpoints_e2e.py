"""health-endpoints on the sample monorepo, proven with real Node: after the fix every
service answers /health, and each Dockerfile's own HEALTHCHECK command passes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fixer.parsing import dockerfile
from gitrepo import fixer, git, make_repo
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


# --- real git repositories: what `fixer apply` commits and says ------------------------

_KOA_ROUTE = """import Router from '@koa/router';

export const health = new Router();

health.get('/healthz', (ctx) => {
  ctx.body = { status: 'ok' };
});
"""


def test_a_route_whose_healthcheck_is_in_a_dockerfile_that_does_not_parse_is_not_renamed(tmp_path: Path) -> None:
    # the HEALTHCHECK sits in a Dockerfile fixer cannot read (an unterminated heredoc): renaming the
    # route alone would leave the container's health check on a 404, and nothing would say so
    dockerfile_text = ("FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\n"
                       "HEALTHCHECK CMD curl -f http://localhost:3000/healthz || exit 1\n"
                       "CMD [\"node\", \"dist/index.js\"]\nRUN <<EOF\necho hi\n")
    repo = make_repo(tmp_path / "repo", {
        "services/koa-gateway/package.json": '{ "name": "koa-gateway", "main": "dist/index.js" }\n',
        "services/koa-gateway/src/routes/health.ts": _KOA_ROUTE,
        "services/koa-gateway/Dockerfile": dockerfile_text,
    })
    result = fixer("apply", "--fix", "health-endpoints", str(repo), cwd=repo)
    output = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, output
    assert "fixer/health-endpoints" not in git(repo, "branch", "--list", "fixer/health-endpoints"), output
    assert "services/koa-gateway/src/routes/health.ts:5: serves /healthz, but services/koa-gateway/Dockerfile" in output
    assert "could not be read (Dockerfile does not parse" in output


def test_the_note_names_the_service_renamed_when_run_in_its_directory(tmp_path: Path) -> None:
    # in services/admin-service of a repository that declares no workspace above it, the service is
    # the root of what fixer reads: its directory is "" there, and the note said "none" while the
    # diff renamed its route (in a declared workspace fixer reads the workspace's root: test_plan)
    sample = Path(__file__).resolve().parent.parent / "fixtures" / "sample-monorepo"
    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    manifest = repo / "package.json"
    manifest.write_text(re.sub(r'"workspaces": \[[^\]]*\],', "", manifest.read_text()))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    result = fixer("apply", "--fix", "health-endpoints", "--dry-run", cwd=repo / "services" / "admin-service")
    output = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, output
    assert "+app.get('/health'," in output
    assert "services whose /healthz routes become /health: .\n" in output, output
