"""`fixer demo`: the newcomer's first run, on the sample monorepo shipped with the package."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from gitrepo import fixer


def test_demo_audits_and_dry_runs_a_fresh_git_copy_of_the_sample() -> None:
    result = fixer("demo")
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "== fixer audit" in out and "== fixer apply --fix health-endpoints --dry-run" in out
    assert "services/booking-service/src/app.ts:39:10  health-endpoints" in out
    assert "+app.get('/health', (_req, res) => {" in out
    match = re.search(r"The sample is a git repository at (\S+)", out)
    assert match, out
    copy = Path(match.group(1))
    try:
        assert (copy / "docker-compose.yml").is_file()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=copy, capture_output=True, text=True)
        assert status.returncode == 0 and status.stdout == ""  # the demo wrote nothing into its copy
        log = subprocess.run(["git", "log", "--oneline"], cwd=copy, capture_output=True, text=True).stdout
        assert len(log.splitlines()) == 1
        applied = fixer("apply", "--fix", "health-endpoints", cwd=copy)
        assert applied.returncode == 0 and b"created branch fixer/health-endpoints" in applied.stdout
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
