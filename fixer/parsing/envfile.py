"""A line model for dotenv files and env templates: every assignment with exact byte spans.

Understands `export KEY=value`, single/double/back-quoted values, inline
comments after unquoted values (` # …`), blank and comment lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fixer.parsing.text import BOM, Text

_ASSIGNMENT = re.compile(rb"^([ \t]*)(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*")


@dataclass(frozen=True)
class EnvLine:
    line: int  # 1-based
    key: str
    value: str  # unquoted value
    quote: str  # "", "'", '"' or "`"
    value_start: int  # byte span of the raw value, quotes included
    value_end: int
    comment: str  # an inline comment after the value, with its "#"

    @property
    def inner_span(self) -> tuple[int, int]:
        """Byte span of the value without its quotes."""
        if self.quote:
            return self.value_start + 1, self.value_end - 1
        return self.value_start, self.value_end


def parse(data: bytes) -> list[EnvLine]:
    text = Text(data)
    entries: list[EnvLine] = []
    for number in range(1, len(text.line_starts) + 1):
        start, end = text.line_span(number)
        raw = data[start:end]
        offset = start
        if number == 1 and raw.startswith(BOM):
            raw, offset = raw[len(BOM):], start + len(BOM)
        match = _ASSIGNMENT.match(raw)
        if not match:
            continue
        entry = _value(raw, match.end(), offset)
        if entry is None:
            continue
        value, quote, value_start, value_end, comment = entry
        entries.append(EnvLine(number, match.group(3).decode(), value, quote, value_start, value_end, comment))
    return entries


def _value(raw: bytes, at: int, offset: int) -> tuple[str, str, int, int, str] | None:
    rest = raw[at:]
    if rest[:1] in (b"'", b'"', b"`"):
        quote = rest[:1]
        close = _closing_quote(rest, quote)
        if close is None:
            return None  # an unterminated (or multi-line) quoted value: leave it alone
        inner = rest[1:close].decode("utf-8", errors="replace")
        if quote == b'"':
            inner = inner.replace('\\"', '"').replace("\\n", "\n")
        comment = rest[close + 1 :].strip().decode("utf-8", errors="replace")
        return inner, quote.decode(), offset + at, offset + at + close + 1, comment
    comment_at = re.search(rb"[ \t]#", rest)
    value = rest[: comment_at.start()] if comment_at else rest
    comment = rest[comment_at.start() :].strip().decode("utf-8", errors="replace") if comment_at else ""
    value = value.rstrip(b" \t")
    return value.decode("utf-8", errors="replace"), "", offset + at, offset + at + len(value), comment


def _closing_quote(rest: bytes, quote: bytes) -> int | None:
    index = 1
    while index < len(rest):
        char = rest[index : index + 1]
        if char == b"\\" and quote == b'"':
            index += 2
            continue
        if char == quote:
            return index
        index += 1
    return None


def as_dict(data: bytes) -> dict[str, str]:
    return {entry.key: entry.value for entry in parse(data)}
