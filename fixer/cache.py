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
import signal
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

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


@dataclasses.dataclass(frozen=True)
class _Pickled:
    """A row's value already pickled (for a forked writer: see `_fork_writer`)."""

    data: bytes


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

    def flush_in_background(self, fork: bool = False) -> None:
        pass

    def close(self) -> None:
        pass


class Cache:
    """SQLite-backed. Writes are buffered and go to disk in one transaction when the cache
    is closed (or the buffer is big): a stacked plan rewrites the same rows many times."""

    enabled = True

    def __init__(self, path: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES):
        self.path = path or default_path()
        self.max_bytes = max_bytes
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._connect()
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL, "
            "size INTEGER NOT NULL, used INTEGER NOT NULL)"
        )
        self._pending: dict[str, Any] = {}
        # the background writer: a thread, or a forked process's pid and the pipe of its report
        self._writer: threading.Thread | tuple[int, int] | None = None
        self._writing: dict[str, Any] = {}  # what a forked writer writes
        self._write_error: BaseException | None = None

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False: a writer thread writes through it (never while this thread uses it)
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction for the statements inside. The connection is in autocommit mode
        (`isolation_level=None`), where `with connection:` only commits and opens nothing:
        each row written would be a transaction of its own, with its own locking and WAL
        frames (7x slower for a few thousand rows), and a reader could see half a write.
        IMMEDIATE takes the write lock up front, waiting (the connection's timeout) for
        another run's write to end, rather than failing halfway."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # (SQLite may have rolled it back already: a full disk)
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The stored results of these keys (those not found are missing). A forked
        writer is not waited for: what it writes is looked up in memory (WAL: reading the
        database never waits for a writer); a writer thread is (it uses the connection)."""
        if isinstance(self._writer, threading.Thread):
            self._wait()
        if not self.enabled:
            return {}
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {key: self._pending[key] for key in wanted if key in self._pending}
        found.update((key, pickle.loads(self._writing[key].data)) for key in wanted  # (pickled for the writer)
                     if key not in found and key in self._writing)
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
                with self._transaction():
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

    def flush_in_background(self, fork: bool = False) -> None:
        """Start writing what is pending while the caller goes on; a later write or `close`
        waits for it. In a thread: pickling the rows (most of the work) holds the
        interpreter, so only SQLite's part overlaps the caller, and lookups wait for it.
        With `fork`, in a forked process on another core: nothing is held and lookups read
        the database and what is being written without waiting, but every page either
        side touches meanwhile is copied, so only for a caller whose next work touches
        little (the audit's history search and report: +15 MB of peak memory at 20,000
        files; a plan writing its branches: +100 MB). With a thread, call it only when no
        worker process is forked before the write ends (forking while a thread writes is
        not safe); a forked writer has no such limit."""
        self._wait()
        if not self.enabled or not self._pending:
            return
        pending, self._pending = self._pending, {}
        if fork and hasattr(os, "fork"):
            self._fork_writer(pending)
        else:
            writer = threading.Thread(target=self._write_quietly, args=(pending,), name="fixer-cache-writer")
            writer.start()
            self._writer = writer

    def _fork_writer(self, pending: dict[str, Any]) -> None:
        # pickled here, before the fork: walking the rows' objects to pickle them writes their
        # reference counts, so a writer that pickled them got a copy of every page holding one
        # (+170 MB of peak memory at 20,000 files); bytes it only reads stay shared
        try:
            pending = {key: _Pickled(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in pending.items()}
        except Exception as error:  # a result that does not pickle: a bug, reported as one
            raise CacheWriteError(f"the results cache could not be written: {type(error).__name__}: {error}") from None
        read_end, write_end = os.pipe()
        self._db.close()  # no connection may be open across a fork (SQLite keeps per-process lock state)
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            self._db = self._connect()
            self._pending = pending
            self.flush()
            return
        if pid == 0:  # the writer, with its own connection; it never returns into the caller's code
            code = 2
            try:
                os.close(read_end)
                code = self._write_in_child(pending, write_end)
            finally:
                os._exit(code)
        os.close(write_end)
        self._writing, self._writer = pending, (pid, read_end)
        try:
            self._db = self._connect()
        except STORAGE_ERRORS:
            self._db, self.enabled = sqlite3.connect(":memory:"), False  # the writer still writes; this run reads no more

    def _write_in_child(self, pending: dict[str, Any], report: int) -> int:
        """0: written; 1: the disk refused; 2: a bug (its message goes to `report`)."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a ^C stops the run, not a half-done write
        gc.disable()  # it exits as soon as it is done
        try:
            self._db = self._connect()
            self._write(pending)
            self._db.close()
            return 0
        except STORAGE_ERRORS:
            return 1
        except BaseException as error:  # noqa: BLE001 (anything else is a bug: the parent raises it)
            os.write(report, f"{type(error).__name__}: {error}".encode("utf-8", "replace")[:4000])
            return 2

    def _write_quietly(self, pending: dict[str, Any]) -> None:
        try:
            self._write(pending)
        except BaseException as error:  # dealt with by the next use of the database
            self._write_error = error

    def _wait(self) -> None:
        """Wait for the background writer, if any: a refused write turns the cache off; a
        bug (a result that does not pickle) is raised as one."""
        writer, self._writer, self._writing = self._writer, None, {}
        if isinstance(writer, threading.Thread):
            writer.join()
        elif writer is not None:
            pid, report = writer
            with os.fdopen(report, "rb") as pipe:
                try:
                    _, status = os.waitpid(pid, 0)
                    message = pipe.read().decode("utf-8", "replace")
                except ChildProcessError:  # reaped by someone else: what it wrote is unknown
                    status, message = 1 << 8, ""
            code = os.waitstatus_to_exitcode(status)
            if code == 2:
                raise CacheWriteError(f"the results cache could not be written: {message}")
            if code != 0:
                self._write_error = sqlite3.OperationalError("the cache writer failed")
        if self._write_error is not None:
            error, self._write_error = self._write_error, None
            if not isinstance(error, STORAGE_ERRORS):
                raise error  # a bug (a result that does not pickle): reported as one
            self.enabled = False  # the disk refused: lookups miss and writes are dropped from here on

    def _write(self, pending: dict[str, Any]) -> None:
        if not pending:
            return
        now = int(time.time())

        def rows() -> Iterator[tuple[str, bytes, int, int]]:  # pickled one at a time: never all in memory
            for key in sorted(pending):  # in key order, the B-tree fills page by page: several times faster
                value = pending[key]
                blob = value.data if isinstance(value, _Pickled) else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                yield key, blob, len(blob), now

        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", rows())

    def prune(self) -> None:
        """Drop the least recently used entries until the cache fits its size bound."""
        self._wait()
        total = self._db.execute("SELECT COALESCE(SUM(size), 0) FROM results").fetchone()[0]
        if total <= self.max_bytes:
            return
        excess = total - int(self.max_bytes * 0.8)
        with self._transaction():
            self._db.execute(
                "DELETE FROM results WHERE key IN (SELECT key FROM "
                "(SELECT key, SUM(size) OVER (ORDER BY used, key) AS running FROM results) WHERE running <= ?)",
                (excess,),
            )

    def close(self) -> None:
        """Write what is pending, prune, close; afterwards lookups miss and writes are dropped."""
        if not self.enabled:
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
