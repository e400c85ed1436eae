"""A persistent cache of per-file results (facts and findings), so a second run on an
unchanged repository reads and parses nothing it does not have to.

Keys are digests of everything a result depends on: fixer's version, the fix (id and
version), its options and context, the repository structure a scan may consult, the
file's path and its git blob id (for tracked files the blob id comes free from git;
other files hash their bytes the way git does). Values are pickled results.

Stored in SQLite under the user's cache directory (`platformdirs`): safe against
concurrent runs (SQLite locking, WAL), bounded in size (least recently used entries
go first), and bypassed with `--no-cache` (or `FIXER_NO_CACHE=1`).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from fixer import cachewrite

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def blob_id(data: bytes) -> str:
    """The git blob id of these bytes (what `git hash-object` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def slot_key(value: Any) -> str:
    """The name of one kind of result within a file's row: a digest short enough to repeat
    in every row (80 bits; a row holds a few dozen slots at most, which never collide)."""
    return stable_digest(value)[:20]


def stable_digest(value: Any) -> str:
    """A digest of a value that is the same in every process (sets are sorted; no hash seeds)."""
    hasher = hashlib.sha256()
    _feed(hasher, value)
    return hasher.hexdigest()


def _feed(hasher: Any, value: Any) -> None:
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        hasher.update(repr((type(value).__name__, value)).encode("utf-8", "surrogateescape"))
    elif isinstance(value, (list, tuple)):
        hasher.update(b"[%d" % len(value))
        for item in value:
            _feed(hasher, item)
        hasher.update(b"]")
    elif isinstance(value, (set, frozenset)):
        hasher.update(b"{%d" % len(value))
        for digest in sorted(stable_digest(item) for item in value):
            hasher.update(digest.encode())
        hasher.update(b"}")
    elif isinstance(value, dict):
        hasher.update(b"<%d" % len(value))
        for digest in sorted(stable_digest(item) for item in value.items()):
            hasher.update(digest.encode())
        hasher.update(b">")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        hasher.update(type(value).__qualname__.encode())  # fields with compare=False are not identity
        _feed(hasher, tuple((f.name, getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare))
    elif isinstance(value, Path):
        _feed(hasher, str(value))
    else:
        raise TypeError(f"cannot digest a {type(value).__name__} (keep fix contexts to plain data)")


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside, and what lives at the end is never walked by it
    again (`gc.freeze`: until a `gc.unfreeze`, which `fixer.parallel` makes after each pass
    over the files): for loops that make many objects that all live on (rows read,
    results gathered). The collector would walk each young generation full of them, and
    walk them again as they age, to find no garbage: reading 20,000 cache rows took twice
    as long with it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def file_key(base: str, path: str, blob: str | None) -> str:
    """The key of one file's result: a digest of everything else (`base`), the path and the blob."""
    return hashlib.sha256(f"{base}\0{path}\0{blob}".encode("utf-8", "surrogateescape")).hexdigest()


def default_path() -> Path:
    override = os.environ.get("FIXER_CACHE_DIR")
    if override:
        return Path(override) / "cache.sqlite"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("fixer")) / "cache.sqlite"


STORAGE_ERRORS = (sqlite3.Error, OSError)  # a cache that cannot be written never fails a run


class CacheWriteError(Exception):
    """A result that cannot be stored (it does not pickle): a bug in fixer or a fix."""


class NoCache:
    """The cache when there is none (`--no-cache`): every lookup misses, nothing is stored."""

    enabled = False

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        return {}

    def put_many(self, items: dict[str, Any]) -> None:
        pass

    def pending_rows(self) -> int:
        return 0

    def flush_in_background(self) -> None:
        pass

    def close(self) -> None:
        pass


class Cache:
    """SQLite-backed. Writes are buffered and go to disk in one transaction when the cache
    is closed (or the buffer is big): a stacked plan rewrites the same rows many times."""

    enabled = True

    BACKGROUND_FROM = 1000  # rows: fewer are written at once (faster than starting a writer)

    def __init__(self, path: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES):
        self.path = path or default_path()
        self.max_bytes = max_bytes
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = cachewrite.connect(self.path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL, "
            "size INTEGER NOT NULL, used INTEGER NOT NULL)"
        )
        self._pending: dict[str, Any] = {}
        self._writer: tuple[subprocess.Popen[bytes], str] | None = None  # the background writer and its spool
        self._writing: dict[str, Any] = {}  # what it writes

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The stored results of these keys (those not found are missing). A background
        writer is not waited for: what it writes is looked up in memory (WAL: reading the
        database never waits for a writer)."""
        if not self.enabled:
            return {}
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {key: self._pending[key] for key in wanted if key in self._pending}
        found.update((key, self._writing[key]) for key in wanted if key not in found and key in self._writing)
        wanted = [key for key in wanted if key not in found]
        stale: list[str] = []
        day_ago = int(time.time()) - 86400
        try:
            with collector_paused():
                for start in range(0, len(wanted), 900):
                    batch = wanted[start : start + 900]
                    marks = ",".join("?" * len(batch))
                    for key, value, used in self._db.execute(
                        f"SELECT key, value, used FROM results WHERE key IN ({marks})", batch
                    ):
                        try:
                            found[key] = pickle.loads(value)
                        except Exception:
                            continue  # a result from an incompatible version: recompute it
                        if used < day_ago:
                            stale.append(key)
        except STORAGE_ERRORS:  # a damaged database file ("disk image is malformed"): this run goes uncached
            self.enabled = False
        if stale and self._writer is None:  # least-recently-used order, at a day's resolution: reads rarely write
            now = int(time.time())
            try:
                with cachewrite.transaction(self._db):
                    for start in range(0, len(stale), 900):
                        batch = stale[start : start + 900]
                        self._db.execute(
                            f"UPDATE results SET used = ? WHERE key IN ({','.join('?' * len(batch))})", [now, *batch]
                        )
            except STORAGE_ERRORS:
                pass  # a read-only or busy cache: the entries stay, their age is only less exact
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        if not self.enabled or not items:
            return
        self._pending.update(items)
        if len(self._pending) > 50_000:
            self.flush()

    def pending_rows(self) -> int:
        """Rows stored since the last write began (not written yet)."""
        return len(self._pending)

    def flush(self) -> None:
        self._wait()
        pending, self._pending = self._pending, {}
        try:
            self._write(pending)
        except STORAGE_ERRORS:
            self.enabled = False  # the disk refused (full, read-only, locked): the rest of the run is uncached

    def flush_in_background(self) -> None:
        """Start writing what is pending while the caller goes on; a later write or `close`
        waits for it. The rows are pickled here, into a spool file beside the database, and
        written by a process of its own (`fixer.cachewrite`) on another core: this process
        holds nothing more meanwhile, and lookups answer without waiting (from what is
        being written, and the database). A few rows are written at once instead."""
        self._wait()
        if not self.enabled or not self._pending:
            return
        if len(self._pending) < self.BACKGROUND_FROM:
            self.flush()
            return
        pending, self._pending = self._pending, {}
        try:
            fd, spool = tempfile.mkstemp(prefix="rows-", suffix=".spool", dir=self.path.parent)
        except OSError:
            self.enabled = False  # the disk refused: the rest of the run is uncached
            return
        try:
            with os.fdopen(fd, "wb") as out:
                cachewrite.spool(out, self._pickled(pending))
            writer = subprocess.Popen(
                [sys.executable, "-I", "-S", cachewrite.__file__, str(self.path), spool, str(int(time.time()))],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True,  # a ^C at the terminal stops the run, never a write halfway
            )
        except BaseException as error:
            _remove(spool)
            if isinstance(error, OSError):  # a full disk, or no process to be had: written here, now
                self._pending = {**pending, **self._pending}
                self.flush()
                return
            raise
        self._writing, self._writer = pending, (writer, spool)

    def _pickled(self, pending: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
        """The rows pickled one at a time (never all in memory), in key order."""
        for key in sorted(pending):
            try:
                yield key, pickle.dumps(pending[key], protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as error:  # a result that does not pickle: a bug, reported as one
                raise CacheWriteError(
                    f"the results cache could not be written: {type(error).__name__}: {error}") from None

    def _wait(self) -> None:
        """Wait for the background writer, if any: a refused write turns the cache off; a
        bug in the writer is raised as one."""
        writer, self._writer, self._writing = self._writer, None, {}
        if writer is not None:
            process, spool = writer
            _, message = process.communicate()
            _remove(spool)  # (the writer removes it, unless it was killed)
            if process.returncode == cachewrite.STORAGE_REFUSED or process.returncode < 0:  # (or it was killed)
                self.enabled = False  # lookups miss and writes are dropped from here on
            elif process.returncode != 0:  # a bug in the writer: its traceback's last line
                last = (message.decode("utf-8", "replace").strip().splitlines() or ["(no message)"])[-1]
                raise CacheWriteError(f"the results cache could not be written: {last}")

    def _write(self, pending: dict[str, Any]) -> None:
        if pending:
            cachewrite.insert(self._db, self._pickled(pending), int(time.time()))

    def prune(self) -> None:
        """Drop the least recently used entries until the cache fits its size bound."""
        self._wait()
        total = self._db.execute("SELECT COALESCE(SUM(size), 0) FROM results").fetchone()[0]
        if total <= self.max_bytes:
            return
        excess = total - int(self.max_bytes * 0.8)
        with cachewrite.transaction(self._db):
            self._db.execute(
                "DELETE FROM results WHERE key IN (SELECT key FROM "
                "(SELECT key, SUM(size) OVER (ORDER BY used, key) AS running FROM results) WHERE running <= ?)",
                (excess,),
            )

    def close(self) -> None:
        """Write what is pending, prune, close; afterwards lookups miss and writes are dropped."""
        if not self.enabled:
            self._wait()  # (the writer of a cache turned off meanwhile: its write ends, nothing more)
            return
        try:
            self.flush()
            if self.enabled:
                self.prune()
        except STORAGE_ERRORS:
            pass  # the results are computed and shown; only remembering them failed
        finally:
            self._db.close()
            self.enabled = False


def open_cache(enabled: bool = True) -> Cache | NoCache:
    if not enabled or os.environ.get("FIXER_NO_CACHE", "").lower() in ("1", "true", "yes"):
        return NoCache()
    try:
        return Cache()
    except (sqlite3.Error, OSError):
        return NoCache()  # a read-only home or a broken cache file must not stop a run


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
