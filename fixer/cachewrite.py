"""Writing the results cache: the connection's settings, one transaction per write, and the
background writer, a small process of its own (`python -I -S cachewrite.py DB SPOOL`) that
writes rows the caller spooled to a file (`spool`) while the caller goes on.

Standard library only, and nothing of fixer imported: the writer starts in a few tens of
milliseconds and holds only its own memory. (It used to be a fork of the caller, which was
free to start but kept the caller's whole heap as it stood: every page the caller touched
afterwards, refcounts included, was copied, so at 20,000 files a cold audit's writer added
140 MB to the peak; a thread held the interpreter while it pickled.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import struct
import sys
from contextlib import contextmanager
from typing import IO, Iterable, Iterator

_HEADER = struct.Struct(">IQ")  # a spooled row: the key's length, the value's length, then both

STORAGE_REFUSED = 75  # the writer's exit code when the disk refused (any other failure is a bug: a traceback)


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One transaction for the statements inside. The connection is in autocommit mode
    (`isolation_level=None`), where `with connection:` only commits and opens nothing:
    each row written would be a transaction of its own, with its own locking and WAL
    frames (7x slower for a few thousand rows), and a reader could see half a write.
    IMMEDIATE takes the write lock up front, waiting (the connection's timeout) for
    another run's write to end, rather than failing halfway."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:  # (SQLite may have rolled it back already: a full disk)
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def insert(db: sqlite3.Connection, rows: Iterable[tuple[str, bytes]], now: int) -> None:
    """Store pickled rows (in key order, the B-tree fills page by page: several times faster)."""
    with transaction(db):
        db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                       ((key, value, len(value), now) for key, value in rows))


def spool(out: IO[bytes], rows: Iterable[tuple[str, bytes]]) -> None:
    for key, value in rows:
        encoded = key.encode("utf-8", "surrogateescape")
        out.write(_HEADER.pack(len(encoded), len(value)))
        out.write(encoded)
        out.write(value)


def _spooled(source: IO[bytes]) -> Iterator[tuple[str, bytes]]:
    while True:
        header = source.read(_HEADER.size)
        if not header:
            return
        if len(header) < _HEADER.size:
            raise OSError("the spooled rows end early")
        key_size, value_size = _HEADER.unpack(header)
        key, value = source.read(key_size), source.read(value_size)
        if len(value) < value_size:
            raise OSError("the spooled rows end early")
        yield key.decode("utf-8", "surrogateescape"), value


def main(arguments: list[str]) -> int:
    """Write the rows spooled in a file into the database, and remove the file."""
    database, path, now = arguments
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # (a session of its own; and a ^C never leaves half a write)
    try:
        with open(path, "rb") as source:
            db = connect(database)
            try:
                insert(db, _spooled(source), int(now))
            finally:
                db.close()
        return 0
    except (sqlite3.Error, OSError):
        return STORAGE_REFUSED
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
