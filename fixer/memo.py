"""A whole command's output, remembered for a repository that has not changed.

The per-file cache (`fixer.cache`) makes a second run cheap: nothing is parsed again,
but every file's row is still read and every repository-wide decision made again.
This makes it nearly free: `fixer audit` on an unchanged working tree prints what it
printed last time, after listing the files and nothing else.

The key is everything the output depends on: every file's path, mode and blob id (the
modified and untracked ones hashed), the git refs (the report of secrets in history),
the configuration (`.fixer.toml`'s bytes), the command's options, the current
directory (paths are printed relative to it), fixer's own code (its version and the
installed modules' sizes and modification times, so an edited checkout never replays
an old answer; the built-in fixes are among them) and the plug-in fixes installed. It
is computed before any fix is imported: a remembered answer loads none.

Only output is stored, and only output with secret values already redacted; a run
that failed (exit 3) is never stored, so a failure is tried again next time.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from fixer import __version__
from fixer.cache import stable_digest
from fixer.errors import FixerError


@lru_cache(maxsize=1)
def code_digest() -> str:
    """fixer's version and the state of its installed modules (cheap: a stat per module)."""
    from importlib.util import find_spec

    seen = []
    for package in ("fixer", "transforms"):  # found, not imported: a remembered answer needs no fix loaded
        spec = find_spec(package)
        if spec is None or spec.origin is None:
            continue
        base = Path(spec.origin).parent
        for path in sorted(base.rglob("*.py")):
            info = path.stat()
            seen.append((str(path.relative_to(base.parent)), info.st_size, info.st_mtime_ns))
    return stable_digest((__version__, seen))


def repository_digest(repo: Any) -> str:
    """Every file's path, mode and content id, and (in git) where every ref points."""
    hasher = hashlib.sha256()
    for path in repo.paths():
        entry = repo.entry(path)
        if entry.mode in ("120000", "160000"):
            content = entry.blob or _link_target(repo.root / path)
        elif entry.blob is None and entry.size is not None and entry.size > repo.config.max_file_size:
            content = f"size {entry.size}"  # skipped for its size, whatever it holds: not read to hash it
        else:
            content = repo.blob(path)
        hasher.update(f"{path}\0{entry.mode}\0{content}\0{entry.tracked}\n".encode("utf-8", "surrogateescape"))
    if repo.git is not None:
        try:
            hasher.update(repo.git.run("for-each-ref", "--format=%(objectname) %(refname)"))
            hasher.update(repo.git.run("rev-parse", "--verify", "-q", "HEAD"))
        except FixerError:
            hasher.update(b"no HEAD")  # a repository without a commit yet
    return hasher.hexdigest()


def _link_target(path: Path) -> str:
    try:
        return "link:" + os.readlink(path)
    except OSError:
        return "link:?"


def key(command: str, repo: Any, options: Any) -> str | None:
    """The memo key of `command` with these options on this repository (None: never memoized)."""
    try:
        return stable_digest(("memo", command, code_digest(), repository_digest(repo), str(Path.cwd()),
                              str(repo.root), repo.config, options))
    except (TypeError, OSError):
        return None  # an option or configuration we cannot key: run it
