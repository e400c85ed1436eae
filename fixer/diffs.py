"""Unified diffs of a file's bytes, as git prints them (and `git apply` takes them).

Pure functions of bytes: the dry run's workers make each changed file's diff beside
its edits (`runner._follow_through`), and `report` makes the rest."""

from __future__ import annotations

import difflib
from typing import Iterable, Protocol


class Change(Protocol):
    before: bytes | None  # None: a new file
    after: bytes | None  # None: the file goes
    mode: str


def _lines(data: bytes) -> list[bytes]:
    """Lines with their endings kept; only "\\n" ends a line (as in git)."""
    if not data:
        return []
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


_C_ESCAPES = {0x07: b"\\a", 0x08: b"\\b", 0x09: b"\\t", 0x0A: b"\\n", 0x0B: b"\\v", 0x0C: b"\\f", 0x0D: b"\\r",
              0x22: b'\\"', 0x5C: b"\\\\"}


def _name(prefix: str, path: str) -> bytes:
    """`a/<path>` as git writes it in a diff: in C-style quotes when the name holds a quote,
    a backslash or a control character (which `git apply` would otherwise misread)."""
    return quoted_name(prefix + path)


def quoted_name(name: str, quote_8bit: bool = False) -> bytes:
    """A name as git writes it: C-style quoted when it holds a quote, a backslash or a
    control character, and with `quote_8bit` (git's `core.quotePath`, on by default) when
    it holds a non-ASCII byte too, as an octal escape."""
    raw = name.encode("utf-8", "surrogateescape")

    def special(byte: int) -> bool:
        return byte < 0x20 or byte in (0x22, 0x5C, 0x7F) or (quote_8bit and byte >= 0x80)

    if not any(special(byte) for byte in raw):
        return raw
    return b'"' + b"".join(_C_ESCAPES.get(byte) or (b"\\%03o" % byte if special(byte) else bytes((byte,)))
                           for byte in raw) + b'"'


def file_diff(path: str, change: Change, context: int = 3) -> bytes:
    """A git-style unified diff of one change that `git apply` accepts."""
    old_name, new_name = _name("a/", path), _name("b/", path)
    out = [b"diff --git " + old_name + b" " + new_name + b"\n"]
    if b" " in old_name:  # git ends a ---/+++ name that holds a space with a tab
        old_name, new_name = old_name + b"\t", new_name + b"\t"
    before = change.before or b""
    after = change.after or b""
    if change.before is None:
        out.append(f"new file mode {change.mode}\n".encode())
        out += [b"--- /dev/null\n", b"+++ " + new_name + b"\n"]
    elif change.after is None:
        out.append(f"deleted file mode {change.mode}\n".encode())
        out += [b"--- " + old_name + b"\n", b"+++ /dev/null\n"]
    else:
        out += [b"--- " + old_name + b"\n", b"+++ " + new_name + b"\n"]
    old, new = _lines(before), _lines(after)
    for group in _grouped_opcodes(old, new, context):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n".encode())
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [_diff_line(b" ", line) for line in old[i1:i2]]
                continue
            out += [_diff_line(b"-", line) for line in old[i1:i2]]
            out += [_diff_line(b"+", line) for line in new[j1:j2]]
    return b"".join(out)


def _grouped_opcodes(old: list[bytes], new: list[bytes], context: int) -> Iterable[list[tuple]]:
    """difflib's hunks over `_opcodes` (cheaper than difflib's own matching, which on a file
    with a few edits spread through it was the bulk of a dry run's diff)."""
    whole = difflib.SequenceMatcher(None, (), ())
    whole.opcodes = _opcodes(old, new) or [("equal", 0, 0, 0, 0)]
    return whole.get_grouped_opcodes(context)


RESYNC_WINDOW = 48  # lines skipped, on both sides together, looking for where two files agree again


def _opcodes(old: list[bytes], new: list[bytes]) -> list[tuple[str, int, int, int, int]]:
    """The files as runs of equal and changed lines: equal lines are taken as they come;
    after a difference, the two sides agree again at the nearest pair of lines (fewest lines
    skipped on both sides together, at most RESYNC_WINDOW) that match and are followed by
    a matching line or by both ends; difflib matches the lines skipped when both sides
    skipped several, and decides for the rest of the file past the window.
    A fix changes a few lines here and there: this finds what difflib would, in a fraction
    of the time."""
    codes: list[tuple[str, int, int, int, int]] = []
    n, m = len(old), len(new)
    i = j = 0
    while i < n or j < m:
        start_i, start_j = i, j
        while i < n and j < m and old[i] == new[j]:
            i, j = i + 1, j + 1
        if i > start_i:
            codes.append(("equal", start_i, i, start_j, j))
        if i == n or j == m:
            if i < n or j < m:
                codes.append(("delete" if j == m else "insert" if i == n else "replace", i, n, j, m))
            break
        found = _resync(old, new, i, j)
        if found is None:  # far apart: difflib matches the rest
            rest = difflib.SequenceMatcher(None, old[i:], new[j:], autojunk=False).get_opcodes()
            codes += [(tag, a1 + i, a2 + i, b1 + j, b2 + j) for tag, a1, a2, b1, b2 in rest]
            break
        a, b = found
        if a - i > 1 and b - j > 1:  # lines in between may still match one by one: difflib says which
            refined = difflib.SequenceMatcher(None, old[i:a], new[j:b], autojunk=False).get_opcodes()
            codes += [(tag, a1 + i, a2 + i, b1 + j, b2 + j) for tag, a1, a2, b1, b2 in refined]
        else:
            codes.append(("delete" if b == j else "insert" if a == i else "replace", i, a, j, b))
        i, j = a, b
    return codes


def _resync(old: list[bytes], new: list[bytes], i: int, j: int) -> tuple[int, int] | None:
    """The nearest (a, b) past (i, j), by a - i + b - j, where the files agree again."""
    n, m = len(old), len(new)
    for skipped in range(1, RESYNC_WINDOW + 1):
        for a in range(max(i, i + skipped - (m - j - 1)), min(n, i + skipped + 1)):
            b = j + skipped - (a - i)
            if old[a] == new[b] and (a + 1 == n and b + 1 == m or a + 1 < n and b + 1 < m and old[a + 1] == new[b + 1]):
                return a, b
    return None


def _diff_line(prefix: bytes, line: bytes) -> bytes:
    if line.endswith(b"\n"):
        return prefix + line
    return prefix + line + b"\n\\ No newline at end of file\n"
