"""Byte-range edits: ordering, conflicts, and applying them so that every byte outside
an edit stays exactly as it was."""

from __future__ import annotations

from fixer.model import Edit
from fixer.parsing.text import Text, normalize_newlines


class Conflict(ValueError):
    pass


def ordered(edits: list[Edit], size: int) -> list[Edit]:
    """Edits sorted by position, exact duplicates dropped; overlapping edits are a Conflict.

    An insertion at the start of a replaced range goes before it, one at its end after
    it (so an import inserted before a first statement that is itself rewritten keeps
    both). Insertions at the same point keep the order they were given in.
    """
    unique: list[Edit] = []
    seen: set[tuple[int, int, str]] = set()
    for edit in edits:
        key = (edit.start, edit.end, edit.text)
        if key in seen:
            continue
        seen.add(key)
        if not 0 <= edit.start <= edit.end <= size:
            raise Conflict(f"edit [{edit.start}, {edit.end}) is outside the file (size {size})")
        unique.append(edit)
    unique.sort(key=lambda e: (e.start, e.end))  # stable: same-point insertions keep their order
    for before, after in zip(unique, unique[1:]):
        if after.start < before.end:
            raise Conflict(
                f"overlapping edits at bytes {before.start}-{before.end} and {after.start}-{after.end}"
            )
    return unique


def apply(data: bytes, edits: list[Edit]) -> bytes:
    """Splice the edits into `data`. New line breaks take the file's own line ending."""
    eol = Text(data).eol
    out = []
    cursor = 0
    for edit in ordered(edits, len(data)):
        out.append(data[cursor : edit.start])
        out.append(normalize_newlines(edit.text, eol).encode("utf-8"))
        cursor = edit.end
    out.append(data[cursor:])
    return b"".join(out)


def untouched_spans(edits: list[Edit], size: int) -> list[tuple[int, int]]:
    """The byte ranges of the original that no edit owns."""
    spans = []
    cursor = 0
    for edit in ordered(edits, size):
        if edit.start > cursor:
            spans.append((cursor, edit.start))
        cursor = max(cursor, edit.end)
    if cursor < size:
        spans.append((cursor, size))
    return spans
