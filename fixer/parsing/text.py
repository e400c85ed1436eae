"""Byte-level facts about a file that every parser and fix needs: lines, line endings, indentation."""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Callable, TypeVar

T = TypeVar("T")

BOM = b"\xef\xbb\xbf"


def parsed_once(limit: int) -> Callable[[Callable[[bytes], list[T]]], Callable[[bytes], list[T]]]:
    """For a parser of whole files (bytes -> list of immutable or never-modified items): the
    same bytes give the same items without a second parse, each caller its own list; the
    `limit` most recently used contents are kept. A parse that raises is not remembered.
    A file's parses are not kept between passes, and several parts of a run (the services
    model, the checklist, the probes, a plan's steps) ask for the same Dockerfile or
    compose file again."""
    def decorate(parse: Callable[[bytes], list[T]]) -> Callable[[bytes], list[T]]:
        kept: OrderedDict[bytes, tuple[T, ...]] = OrderedDict()

        @functools.wraps(parse)
        def parse_once(data: bytes) -> list[T]:
            key = hashlib.sha256(data).digest()
            if key in kept:
                kept.move_to_end(key)
                return list(kept[key])
            items = parse(data)
            kept[key] = tuple(items)
            if len(kept) > limit:
                kept.popitem(last=False)
            return list(items)

        return parse_once
    return decorate


@dataclass
class Text:
    """A file's bytes with line/column lookups. Offsets are byte offsets into `data`."""

    data: bytes

    @cached_property
    def line_starts(self) -> list[int]:
        # each line starts one past the end of the one before (summed at C speed)
        return list(accumulate(map((1).__add__, map(len, self.data.split(b"\n")[:-1])), initial=0))

    @cached_property
    def eol(self) -> str:
        """The file's dominant line ending; new lines are written with it."""
        crlf = self.data.count(b"\r\n")
        lf = self.data.count(b"\n") - crlf
        return "\r\n" if crlf > lf else "\n"

    @cached_property
    def indent_unit(self) -> str:
        """One level of indentation as the file writes it: a tab, or the most common step in spaces."""
        tabs = spaces = 0
        steps: Counter[int] = Counter()
        previous = 0
        for raw in self.data.splitlines():
            stripped = raw.lstrip(b" \t")
            if not stripped:
                continue
            lead = raw[: len(raw) - len(stripped)]
            if lead.startswith(b"\t"):
                tabs += 1
                continue
            width = len(lead)
            if width:
                spaces += 1
            if width > previous:
                steps[width - previous] += 1
            previous = width
        if tabs > spaces:
            return "\t"
        common = [step for step, _ in steps.most_common() if step in (2, 4, 8, 3)]
        return " " * (common[0] if common else 2)

    def line_of(self, offset: int) -> int:
        """1-based line number of a byte offset."""
        return bisect.bisect_right(self.line_starts, offset)

    @property
    def last_line(self) -> int:
        """The number of the file's last line (1 for an empty file): where a finding about
        text appended to it points, since the line the text will be on does not exist yet."""
        return self.line_of(max(len(self.data) - 1, 0))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column in characters."""
        line = self.line_of(offset)
        start = self.line_starts[line - 1]
        prefix = self.data[start:offset]
        if line == 1 and prefix.startswith(BOM):
            prefix = prefix[len(BOM):]
        return line, len(prefix.decode("utf-8", errors="replace")) + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Byte span of a 1-based line, without its line ending."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.data)
        if end > start and self.data[end - 1 : end] == b"\n":
            end -= 1
            if end > start and self.data[end - 1 : end] == b"\r":
                end -= 1
        return start, end

    def line_text(self, line: int) -> str:
        start, end = self.line_span(line)
        return self.data[start:end].decode("utf-8", errors="replace")

    def indent_at(self, offset: int) -> str:
        """The leading whitespace of the line containing `offset`."""
        start = self.line_starts[self.line_of(offset) - 1]
        match = re.match(rb"[ \t]*", self.data[start:])
        return match.group(0).decode() if match else ""

    @cached_property
    def _char_to_byte(self) -> list[int] | None:
        text = self.data.decode("utf-8", errors="replace")
        if len(text) == len(self.data):
            return None  # ASCII: character index == byte offset
        table = [0] * (len(text) + 1)
        offset = 0
        for index, char in enumerate(text):
            table[index] = offset
            offset += len(char.encode("utf-8", errors="replace"))
        table[len(text)] = offset
        return table

    def byte_offset(self, char_index: int) -> int:
        """Byte offset of a character index into the decoded text (as YAML marks give)."""
        table = self._char_to_byte
        return char_index if table is None else table[char_index]

    @property
    def ends_with_newline(self) -> bool:
        return self.data.endswith(b"\n")


def normalize_newlines(text: str, eol: str) -> str:
    """Write `text`'s line breaks as `eol`."""
    text = text.replace("\r\n", "\n")
    return text if eol == "\n" else text.replace("\n", eol)
