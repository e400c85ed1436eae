"""The CI integrations: the `fixer-audit` pre-commit hook run by the real `pre-commit`
package in a test repository, and the GitHub Action's audit step run with bash."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest
from ruamel.yaml import YAML

from gitrepo import GIT_ENV, SMALL_REPO, git, make_repo
from test_sarif import errors as sarif_errors

ROOT = Path(__file__).resolve().parent.parent


def manifest_hook() -> dict:
    [hook] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))  # pre-commit's own schema check
    return hook


def test_manifest_declares_the_fixer_audit_hook() -> None:
    hook = manifest_hook()
    assert hook["id"] == "fixer-audit"
    assert hook["entry"].split()[:2] == ["fixer", "audit"]
    assert hook["language"] == "python"  # pre-commit installs this repository (pip) for remote use
    assert hook["pass_filenames"] is False and hook["always_run"] is True


def local_config(repo: Path) -> None:
    """The manifest's hook as a `repo: local` hook running this checkout's fixer: what works
    offline (a remote `repo:` would pip-install fixer into pre-commit's own environment)."""
    hook = manifest_hook()
    entry = f"{shlex.quote(sys.executable)} -m fixer {hook['entry'].split(' ', 1)[1]}"
    config = {"repos": [{"repo": "local", "hooks": [{
        "id": hook["id"], "name": hook["name"], "entry": entry, "language": "system",
        "pass_filenames": hook["pass_filenames"], "always_run": hook["always_run"],
    }]}]}
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=2) + "\n")


def pre_commit(repo: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, capture_output=True, text=True, env=env)


def test_hook_fails_on_findings_and_passes_when_fixed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    local_config(repo)
    git(repo, "add", ".pre-commit-config.yaml")
    failing = pre_commit(repo, "run", "--all-files", home=tmp_path / "home")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "fixer audit (production readiness)" in failing.stdout and "Failed" in failing.stdout
    assert "services/booking-service/src/app.ts:4:10  health-endpoints" in failing.stdout
    assert "Readiness checklist" not in failing.stdout  # --quiet: findings only
    (repo / "services/booking-service/src/app.ts").write_text(
        SMALL_REPO["services/booking-service/src/app.ts"].replace("/healthz", "/health"))
    (repo / "services/booking-service/Dockerfile").write_text(
        SMALL_REPO["services/booking-service/Dockerfile"].replace("localhost", "127.0.0.1"))
    (repo / "services/booking-service/src/index.ts").write_text(
        "import { app } from './app';\nconst server = app.listen(3003);\n"
        "process.on('SIGTERM', () => server.close());\n")
    passing = pre_commit(repo, "run", "--all-files", home=tmp_path / "home")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


def test_installed_hook_blocks_a_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    local_config(repo)
    git(repo, "add", ".pre-commit-config.yaml")
    installed = pre_commit(repo, "install", home=tmp_path / "home")
    assert installed.returncode == 0, installed.stderr
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    commit = subprocess.run(["git", "commit", "-m", "add hook"], cwd=repo, capture_output=True, text=True, env=env)
    assert commit.returncode != 0 and "health-endpoints" in commit.stdout + commit.stderr
    assert git(repo, "log", "--format=%s").splitlines() == ["initial"]


# --- the GitHub Action -----------------------------------------------------------------------


def action() -> dict:
    return YAML(typ="safe", pure=True).load((ROOT / "action.yml").read_text())


def test_action_installs_audits_and_uploads_sarif() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert set(spec["inputs"]) >= {"path", "fail-on", "sarif-file", "upload-sarif"}
    steps = spec["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "pip install" in steps[1]["run"] and "github.action_path" in steps[1]["run"]
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "always()" in upload["if"]  # findings make the audit fail; the upload must still happen


def _run_step(step: dict, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **env, **{k: v for k, v in step.get("env", {}).items() if "${{" not in v}})


MEDIUM_ONLY = {  # one finding: a server without a SIGTERM handler (graceful-shutdown, medium)
    "services/api/package.json": '{"name": "api"}\n',
    "services/api/src/index.ts": "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
}


@pytest.mark.parametrize("files, fail_on, expected", [(SMALL_REPO, "any", "1"), (MEDIUM_ONLY, "high", "0"),
                                                      (MEDIUM_ONLY, "medium", "1")])
def test_action_audit_and_gate_steps(tmp_path: Path, files: dict, fail_on: str, expected: str) -> None:
    repo = make_repo(tmp_path / "r", files)
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "fixer").write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m fixer \"$@\"\n")
    (shims / "fixer").chmod(0o755)
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    env = {"PATH": f"{shims}:{os.environ['PATH']}", "PYTHONPATH": str(ROOT), "GITHUB_OUTPUT": str(output),
           "GITHUB_STEP_SUMMARY": str(summary), "FIXER_PATH": ".", "FIXER_FAIL_ON": fail_on, "FIXER_SARIF": "fixer.sarif"}
    steps = {step.get("id") or step.get("name"): step for step in action()["runs"]["steps"]}
    audited = _run_step(steps["audit"], repo, env)
    assert audited.returncode == 0, audited.stderr  # the step records the exit code, the gate fails later
    assert output.read_text().strip() == f"exit-code={expected}"
    assert sarif_errors(json.loads((repo / "fixer.sarif").read_text())) == []
    assert "## Section 5" in summary.read_text()
    gate = _run_step(steps["Gate"], repo, {**env, "FIXER_EXIT": expected})
    assert gate.returncode == int(expected)
