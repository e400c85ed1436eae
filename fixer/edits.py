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


def settle(data: bytes, edits: list[Edit], eol: str | None = None) -> list[Edit]:
    """`ordered`, with each block added at the end of a line moved past that line's own ending.

    New line breaks take the file's dominant ending; an edit whose text starts with a line
    break, placed after text on a line and before that line's break, would otherwise give
    the line the new block's first break and hand its own (a CRLF in a mostly-LF file, or
    the reverse) to the block's last line. Moved past the break (its text's leading break
    becoming a trailing one), every untouched line keeps its own ending; the bytes written
    are otherwise the same. A replacement that does so becomes a deletion and an insertion.
    Settling settled edits changes nothing (they start a line).
    """
    edits = ordered(edits, len(data))
    written = (eol or Text(data).eol).encode()  # (`eol`: the file's, when the caller has it)
    moves = [False] * len(edits)
    for index in range(len(edits) - 1, -1, -1):  # (from the last: a block moves only if those after it at its point do)
        edit = edits[index]
        brk = b"\r\n" if data.startswith(b"\r\n", edit.end) else b"\n" if data.startswith(b"\n", edit.end) else b""
        following = edits[index + 1] if index + 1 < len(edits) else None
        moves[index] = bool(
            edit.text.replace("\r\n", "\n").startswith("\n") and brk and brk != written
            and edit.start > 0 and data[edit.start - 1 : edit.start] not in (b"\n", b"\r")
            and (following is None or following.start >= edit.end + len(brk)
                 or (following.start == following.end == edit.end and moves[index + 1])))
    settled: list[Edit] = []
    for edit, move in zip(edits, moves):
        if not move:
            settled.append(edit)
            continue
        if edit.end > edit.start:
            settled.append(Edit(edit.path, edit.start, edit.end, ""))
        at = edit.end + (2 if data.startswith(b"\r\n", edit.end) else 1)
        # (still in order: what follows starts after the break, or moves there too)
        settled.append(Edit(edit.path, at, at, edit.text.replace("\r\n", "\n")[1:] + "\n"))
    return settled


def apply(data: bytes, edits: list[Edit]) -> bytes:
    """Splice the edits into `data` (as `settle` places them). New line breaks take the
    file's own (dominant) line ending."""
    eol = Text(data).eol
    out = []
    cursor = 0
    for edit in settle(data, edits, eol):
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
