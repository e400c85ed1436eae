"""Git, done so that the user's checkout is never touched.

A fix's commit is built with plumbing: the base tree is read into a private
temporary index (`GIT_INDEX_FILE`), the changed blobs are written to the object
store, and `commit-tree` makes the commit. The branch ref is created last, with
an expected old value, so a failure at any earlier step leaves no branch, and a
concurrent change to the branch is never overwritten. The user's working tree,
index, stash and HEAD are never read for writing, let alone changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from git import Repo as _GitPythonRepo  # gitpython: a persistent cat-file for blob reads and writes
from git.db import GitCmdObjectDB
from gitdb import IStream
from gitdb.util import bin_to_hex, hex_to_bin

from fixer.errors import GitError, UsageError

TRAILER = "Fixer-Fix"
ZERO = "0" * 40


@dataclass(frozen=True)
class GitEntry:
    path: str  # relative to the top level, posix
    mode: str  # 100644, 100755, 120000 (symlink), 160000 (submodule)
    blob: str
    size: int | None


@dataclass(frozen=True)
class TreeChange:
    """The new state of one path in a commit: bytes (written with `mode`), or None to remove it."""

    data: bytes | None
    mode: str = "100644"


class GitRepo:
    def __init__(self, root: Path):
        self.root = root
        self._gp: _GitPythonRepo | None = None

    @classmethod
    def discover(cls, path: Path) -> "GitRepo | None":
        if shutil.which("git") is None:
            return None
        result = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True
        )
        if result.returncode != 0:
            return None
        return cls(Path(result.stdout.strip()).resolve())

    # --- running git ---------------------------------------------------------------

    def run(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
        full_env = {**os.environ, **env} if env else None
        # --no-optional-locks: never refresh (write) the user's index while only reading
        result = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(self.root), *args], input=input, capture_output=True, env=full_env
        )
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {message[-1] if message else result.returncode}")
        return result.stdout

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8", errors="replace").strip()

    @property
    def _odb(self) -> _GitPythonRepo:
        if self._gp is None:
            self._gp = _GitPythonRepo(self.root, odbt=GitCmdObjectDB)
        return self._gp

    def close(self) -> None:
        if self._gp is not None:
            self._gp.close()
            self._gp = None

    # --- reading ---------------------------------------------------------------------

    def has_commits(self) -> bool:
        return subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--verify", "-q", "HEAD"], capture_output=True
        ).returncode == 0

    def resolve(self, ref: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--verify", "-q", f"{ref}^{{commit}}"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            if ref == "HEAD" and not self.has_commits():
                raise UsageError(f"{self.root}: the repository has no commits yet; commit first, then run fixer")
            raise UsageError(f"unknown revision {ref!r}: not a commit in {self.root}")
        return result.stdout.strip()

    def is_dirty(self) -> bool:
        return bool(self.run("status", "--porcelain", "--untracked-files=no").strip())

    def ls_tree(self, commit: str, prefix: str = "") -> list[GitEntry]:
        args = ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]
        if prefix:
            args += ["--", prefix]
        entries = []
        for record in self.run(*args).split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            mode, _type, blob, size = meta.split()
            entries.append(
                GitEntry(path.decode("utf-8", "surrogateescape"), mode.decode(), blob.decode(),
                         None if size == b"-" else int(size))
            )
        return entries

    def ls_index(self, prefix: str = "") -> list[GitEntry]:
        args = ["ls-files", "-s", "-z"]
        if prefix:
            args += ["--", prefix]
        entries: dict[str, GitEntry] = {}
        for record in self.run(*args).split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            mode, blob, stage = meta.split()
            name = path.decode("utf-8", "surrogateescape")
            if stage != b"0":
                blob = b"unmerged"
            entries[name] = GitEntry(name, mode.decode(), blob.decode(), None)
        return list(entries.values())

    def modified(self, prefix: str = "") -> list[str]:
        """Tracked files whose working-tree content may differ from the index (stat-dirty included)."""
        args = ["diff-files", "--name-only", "-z"]
        if prefix:
            args += ["--", prefix]
        return [p.decode("utf-8", "surrogateescape") for p in self.run(*args).split(b"\0") if p]

    def ls_untracked(self, prefix: str = "") -> list[str]:
        args = ["ls-files", "-o", "--exclude-standard", "-z"]
        if prefix:
            args += ["--", prefix]
        return [p.decode("utf-8", "surrogateescape") for p in self.run(*args).split(b"\0") if p]

    def read_blob(self, blob: str) -> bytes:
        return self._odb.odb.stream(hex_to_bin(blob)).read()

    def write_blob(self, data: bytes) -> str:
        stream = self._odb.odb.store(IStream(b"blob", len(data), BytesIO(data)))
        return bin_to_hex(stream.binsha).decode()

    def tree_of(self, commit: str) -> str:
        return self.text("rev-parse", f"{commit}^{{tree}}")

    def parents(self, commit: str) -> list[str]:
        return self.text("rev-list", "--parents", "-n", "1", commit).split()[1:]

    def branch_tip(self, branch: str) -> str | None:
        result = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() if result.returncode == 0 else None

    def trailer(self, commit: str, key: str = TRAILER) -> str | None:
        message = self.run("log", "-1", "--format=%B", commit).decode("utf-8", "replace")
        for line in reversed(message.strip().splitlines()):
            name, sep, value = line.partition(":")
            if sep and name.strip() == key:
                return value.strip()
        return None

    def checked_out_branches(self) -> set[str]:
        branches = set()
        for line in self.text("worktree", "list", "--porcelain").splitlines():
            if line.startswith("branch refs/heads/"):
                branches.add(line[len("branch refs/heads/"):])
        return branches

    def worktrees(self) -> list[str]:
        return [
            line[len("worktree "):]
            for line in self.text("worktree", "list", "--porcelain").splitlines()
            if line.startswith("worktree ")
        ]

    def diffstat(self, old: str, new: str) -> str:
        return self.run("diff", "--stat", "--no-color", "--no-renames", old, new).decode("utf-8", "replace")

    def check_branch_name(self, branch: str) -> None:
        result = subprocess.run(["git", "check-ref-format", "--branch", branch], capture_output=True)
        if result.returncode != 0:
            raise UsageError(f"{branch!r} is not a valid branch name")

    # --- writing (never the user's index or working tree) -----------------------------

    def commit_tree_with(self, base: str, changes: dict[str, TreeChange], message: str) -> str:
        """A new commit whose parent is `base` and whose tree is base's tree with `changes`."""
        tmp = tempfile.mkdtemp(prefix="fixer-index-")
        env = {"GIT_INDEX_FILE": os.path.join(tmp, "index")}
        env.update(_identity_fallback(self))
        try:
            self.run("read-tree", base, env=env)
            lines = []
            for path, change in sorted(changes.items()):
                if change.data is None:
                    lines.append(f"0 {ZERO}\t{path}")
                else:
                    lines.append(f"{change.mode} {self.write_blob(change.data)}\t{path}")
            records = b"".join(line.encode("utf-8", "surrogateescape") + b"\0" for line in lines)
            self.run("update-index", "-z", "--index-info", input=records, env=env)
            tree = self.run("write-tree", env=env).decode().strip()
            return self.run("commit-tree", tree, "-p", base, input=message.encode(), env=env).decode().strip()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def set_branch(self, branch: str, commit: str, expected_old: str | None) -> None:
        """Point `branch` at `commit`, only if it is still at `expected_old` (None: must not exist)."""
        self.run("update-ref", "-m", "fixer", f"refs/heads/{branch}", commit, expected_old or ZERO)


def _identity_fallback(git: GitRepo) -> dict[str, str]:
    """Commit as the user; fall back to a fixer identity only where git has none configured."""
    env: dict[str, str] = {}
    for var, key, default in (
        ("GIT_AUTHOR_NAME", "user.name", "fixer"),
        ("GIT_AUTHOR_EMAIL", "user.email", "fixer@localhost"),
    ):
        if os.environ.get(var):
            continue
        configured = subprocess.run(["git", "-C", str(git.root), "config", key], capture_output=True)
        if configured.returncode != 0:
            env[var] = default
            env[var.replace("AUTHOR", "COMMITTER")] = default
    return env
