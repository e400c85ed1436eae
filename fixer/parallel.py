"""Per-file work on all cores.

`map_paths(repo, paths, task)` runs `task(repo, path)` for every path and returns the
results by path. Small jobs run in this process; bigger ones in a pool of forked
workers that inherit the repository (services, compose model, contexts: everything
computed before the fork), in chunks sized so that start-up does not dominate.
`task` must be a module-level function and catch its own exceptions.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from typing import Any, Callable, TypeVar

from fixer.cache import collector_paused
from fixer.errors import ParseError
from fixer.parsing import dockerfile as dockerfile_parser

T = TypeVar("T")

IN_PROCESS_BELOW = 256  # files; below this a pool costs more than it saves

_state: dict[str, Any] = {}


def jobs() -> int:
    configured = os.environ.get("FIXER_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


# Kinds parsed by code that must never run in a forked child: the `dockerfile` package is
# Go (cgo), and a Go runtime started in the parent is not fork-safe (a worker can hang for
# good inside the parser). There are few such files; the parent does them itself.
PARENT_ONLY_KINDS = frozenset({"dockerfile"})


def map_paths(repo: Any, paths: list[str], task: Callable[[Any, str], T], workers: int | None = None) -> dict[str, T]:
    """`task(repo, path)` for every path, over forked workers (in-process for a few paths, and
    inside a worker: a facts lookup a scan makes there, `repo.facts_of`, may land here, and a
    worker can start no pool of its own)."""
    workers = workers or jobs()
    if workers <= 1 or len(paths) < IN_PROCESS_BELOW or _state.get("in_worker") \
            or "fork" not in multiprocessing.get_all_start_methods():
        return {path: task(repo, path) for path in paths}
    results: dict[str, T] = {path: task(repo, path) for path in paths if repo.kind(path) in PARENT_ONLY_KINDS}
    paths = [path for path in paths if path not in results]
    repo.services, repo.compose_services  # noqa: B018 (computed here, so no worker parses a Dockerfile for them)
    _parse_dockerfiles(repo)
    repo.preload(paths)  # read once here; the forked workers share the bytes
    _state["repo"], _state["task"] = repo, task
    chunk = max(16, min(256, len(paths) // (workers * 4) or 1))
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    # Everything the workers inherit goes to the collector's permanent generation: a worker's
    # collections then never walk (and so never copy, page by page) the parent's objects,
    # which on a big repository made workers slower and bigger the more the parent held.
    gc.freeze()
    try:
        # (the workers forked, the results unpickled here as they come all live on: no
        # collection meanwhile)
        with _pool(workers) as pool, collector_paused():
            for part in pool.imap_unordered(_run_chunk, chunks):
                results.update(part)
    finally:
        gc.unfreeze()
        _state.clear()
    return results


def _pool(workers: int) -> Any:
    """The forked workers, born ignoring SIGINT: a ^C is the parent's to handle (it stops the
    run and terminates them). A worker that took its own KeyboardInterrupt printed a
    traceback and could die holding the pool's queue lock: the parent then waited forever."""
    context = multiprocessing.get_context("fork")
    if threading.current_thread() is not threading.main_thread():  # (only the main thread sets handlers)
        return context.Pool(workers, initializer=_worker_init)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return context.Pool(workers, initializer=_worker_init)
    finally:
        signal.signal(signal.SIGINT, previous)


def _parse_dockerfiles(repo: Any) -> None:
    """Every Dockerfile a worker's scan may look into (a compose healthcheck's image), parsed here
    first: in a worker, `dockerfile.parse` answers only what the parent parsed."""
    for path in repo.paths_of({"dockerfile"}):
        source_file = repo.read(path)
        try:
            source_file.instructions if source_file is not None else None  # noqa: B018
        except ParseError:
            pass


def _worker_init() -> None:
    _state["in_worker"] = True
    dockerfile_parser.IN_FORKED_WORKER = True
    repo = _state["repo"]
    repo.keeps_bytes = False  # a worker's files are read, used and dropped
    git = getattr(repo, "git", None)
    if git is not None:
        git._gp = None  # never share the parent's cat-file pipe: open our own on first read


def _run_chunk(paths: list[str]) -> list[tuple[str, Any]]:
    repo, task = _state["repo"], _state["task"]
    out = [(path, task(repo, path)) for path in paths]
    repo.forget()  # memory stays flat: no trees kept once a chunk's results are out
    return out
