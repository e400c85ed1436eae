"""Real git repositories in temp dirs, and the real `fixer` command run against them."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test User",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test User",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, input: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, input=input, capture_output=True, env={**os.environ, **GIT_ENV}
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr.decode()}"
    return result.stdout.decode()


def write_tree(root: Path, files: dict[str, bytes | str]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)


def make_repo(root: Path, files: dict[str, bytes | str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_tree(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def fixer(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "fixer", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, .git included (minus lock-free noise git itself never writes here)."""
    files = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            full = Path(dirpath) / name
            files[full.relative_to(root).as_posix()] = full.read_bytes() if not full.is_symlink() else b"->"
    return files


# A small two-service repository with the audit's /healthz defect.
SMALL_REPO: dict[str, bytes | str] = {
    "services/booking-service/package.json": '{"name": "booking-service", "main": "dist/index.js"}\n',
    "services/booking-service/src/app.ts": (
        "import express from 'express';\n"
        "export const app = express();\n"
        "\n"
        "app.get('/healthz', (_req, res) => {\n"
        "  res.json({ status: 'ok', service: 'booking' });\n"
        "});\n"
    ),
    "services/booking-service/Dockerfile": (
        "FROM node:20-alpine\n"
        "HEALTHCHECK --interval=30s \\\n"
        "  CMD node -e \"require('http').get('http://localhost:3003/health', (r) => process.exit(r.statusCode === 200 ? 0 : 1))\"\n"
    ),
    "services/course-service/package.json": '{"name": "course-service"}\n',
    "services/course-service/src/app.ts": "app.get('/health', (_req, res) => res.json({ ok: true }));\n",
    "README.md": "# demo\n",
}


def make_repo_with_remote(root: Path, files: dict[str, bytes | str]) -> Path:
    """A repository (`root / "repo"`) whose main branch is pushed to a bare `origin` (`root / "remote.git"`)."""
    repo = make_repo(root / "repo", files)
    bare = root / "remote.git"
    git(root, "init", "-q", "--bare", "-b", "main", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "origin", "main")
    return repo


GIT_STATE = (("status", "--porcelain"), ("stash", "list"), ("diff", "--cached"))


def dirty_checkout(repo: Path) -> tuple[dict[str, bytes], list[str]]:
    """Give SMALL_REPO's checkout a stash, a staged and an unstaged change and an untracked
    file; return the snapshot and the git state (`GIT_STATE`) a fixer run must leave as is."""
    (repo / "README.md").write_text("# stashed change\n")
    git(repo, "stash", "-q")
    (repo / "services/course-service/src/app.ts").write_text("// staged\n")
    git(repo, "add", "services/course-service/src/app.ts")
    (repo / "services/booking-service/src/app.ts").write_text("// dirty, unstaged\n")
    (repo / "untracked.txt").write_text("mine\n")
    return snapshot(repo), [git(repo, *args) for args in GIT_STATE]


def fixer_on_terminal(args: list[str], cwd: Path, stream: str = "stdout", env: dict[str, str] | None = None) -> bytes:
    """Run fixer with `stream` (stdout or stderr) on a pseudo-terminal; what it printed there."""
    main, secondary = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | GIT_ENV | (env or {})
    targets = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: secondary}
    process = subprocess.Popen([sys.executable, "-m", "fixer", *args], cwd=cwd, stdout=targets["stdout"],
                               stderr=targets["stderr"], env=full_env)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait()
    os.close(main)
    return output


def amend_in_the_same_second(repo: Path, branch: str, files: dict[str, bytes | str], amend: list[str],
                             monkeypatch: Any) -> None:
    """Amend `files` into the tip of `branch` (trailers kept), with the tip's own author date
    for both dates, as an amend within the same second leaves them; back on main after."""
    when = git(repo, "log", "-1", "--format=%ad", "--date=raw", branch).strip()
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)
    git(repo, "checkout", "-q", branch)
    write_tree(repo, files)
    git(repo, "commit", "-q", "-a", "--amend", *amend)
    git(repo, "checkout", "-q", "main")
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
