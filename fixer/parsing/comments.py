"""Where a TS/JS file's comments are, from its bytes, without a parse (when that is certain).

The audit's checklist blanks comments before running its patterns (a commented-out
`process.on('SIGTERM', …)` handles nothing), and a parse costs ~0.4 ms a file. This
scanner walks the file's strings, template literals (with their `${…}` code), regex
literals and comments the way the language does, and answers None ("parse it") whenever
the bytes leave a doubt: a `/` after `)`, `}`, `/` or `++`/`--` (division or a regex literal
depends on the grammar), an unterminated literal, HTML-like comments, JSX. The ranges it
does return are tree-sitter's comment nodes (tested on every fixture file and on
generated cases).
"""

from __future__ import annotations

import re

_CODE = re.compile(rb"[/'\"`{}]")  # inside a `${…}`: its braces are counted
_CODE_OUTSIDE = re.compile(rb"[/'\"`]")  # outside any template: braces do not matter
_TEMPLATE = re.compile(rb"[`\\]|\$\{")
_STRING = {ord("'"): re.compile(rb"'(?:[^'\\\r\n]|\\(?:\r\n|[\s\S]))*'"),
           ord('"'): re.compile(rb'"(?:[^"\\\r\n]|\\(?:\r\n|[\s\S]))*"')}
_REGEX = re.compile(rb"/(?:[^/\\\[\r\n]|\\[^\r\n]|\[(?:[^\]\\\r\n]|\\[^\r\n])*\])+/[A-Za-z]*")
_LINE_END = re.compile(rb"[\r\n]|\xe2\x80[\xa8\xa9]")
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$")
_SPACE = b" \t\r\n\x0b\x0c"
# after these words a `/` starts a regex literal; after any other word or a number, it divides
_KEYWORDS = frozenset({b"return", b"typeof", b"instanceof", b"in", b"of", b"new", b"delete", b"void", b"throw",
                       b"case", b"do", b"else", b"yield", b"await"})


def comment_ranges(data: bytes) -> list[tuple[int, int]] | None:
    """(start, end) of every comment, in order; None when the bytes alone cannot tell."""
    if b"<!--" in data or b"-->" in data or b"</" in data or b"/>" in data:
        return None  # HTML-like comments (Annex B), or JSX (its text is no code): leave them to the parser
    found: list[tuple[int, int]] = []
    braces: list[int] = []  # per open `${`: the depth of `{` inside it
    pos = 0
    if data.startswith(b"#!"):
        end = data.find(b"\n")
        pos = len(data) if end < 0 else end
    size = len(data)
    while pos < size:
        match = (_CODE if braces else _CODE_OUTSIDE).search(data, pos)
        if match is None:
            return found if not braces else None
        at = match.start()
        char = data[at]
        if char == ord("/"):
            following = data[at + 1 : at + 2]
            if following == b"/":
                line_end = _LINE_END.search(data, at)  # CR alone, and U+2028/9, end it too
                end = size if line_end is None else line_end.start()
                found.append((at, end))
                pos = end
            elif following == b"*":
                end = data.find(b"*/", at + 2)
                if end < 0:
                    return None
                found.append((at, end + 2))
                pos = end + 2
            else:
                kind = _slash_kind(data, at, found)
                if kind is None:
                    return None
                if kind == "divide":
                    pos = at + 1
                else:
                    literal = _REGEX.match(data, at)
                    if literal is None:
                        return None
                    pos = literal.end()
        elif char in _STRING:
            literal = _STRING[char].match(data, at)
            if literal is None:
                return None
            pos = literal.end()
        elif char == ord("`"):
            pos = _template_end(data, at + 1, braces)
            if pos < 0:
                return None
        elif char == ord("{"):
            if braces:
                braces[-1] += 1
            pos = at + 1
        else:  # "}"
            if braces and braces[-1] == 0:  # the end of a `${…}`: back in its template
                braces.pop()
                pos = _template_end(data, at + 1, braces)
                if pos < 0:
                    return None
            else:
                if braces:
                    braces[-1] -= 1
                pos = at + 1
    return found if not braces else None


def blank(data: bytes, comments: list[tuple[int, int]]) -> bytes:
    """`data` with every comment range blanked: same length, line breaks kept (offsets and
    line numbers stay valid; a commented-out `process.on('SIGTERM', …)` handles nothing)."""
    out = bytearray(data)
    for start, end in comments:
        out[start:end] = data[start:end].translate(_BLANKED)
    return bytes(out)


_BLANKED = bytes(byte if byte in b"\r\n" else ord(" ") for byte in range(256))


def _template_end(data: bytes, pos: int, braces: list[int]) -> int:
    """From inside a template literal: the offset after its closing backtick, or (entering a
    `${`) after the `${`, with a new brace counter pushed; -1 when unterminated."""
    while True:
        match = _TEMPLATE.search(data, pos)
        if match is None:
            return -1
        token = match.group()
        if token == b"\\":
            pos = match.end() + 1
        elif token == b"`":
            return match.end()
        else:
            braces.append(0)
            return match.end()


def _slash_kind(data: bytes, at: int, comments: list[tuple[int, int]]) -> str | None:
    """Whether the `/` at `at` divides or starts a regex literal, from what precedes it;
    None when that takes the grammar."""
    pos = at
    while True:
        while pos > 0 and data[pos - 1] in _SPACE:
            pos -= 1
        if comments and comments[-1][1] == pos:
            pos = comments[-1][0]
            continue
        break
    if pos == 0:
        return "regex"
    before = data[pos - 1]
    if before in b")}/":
        return None  # `(a) / b` or `if (a) /re/`; `/re/ / b` or `a / /re/`
    if before in b"+-" and pos > 1 and data[pos - 2] == before:
        return None  # `a++ / b` or `++/re/`
    if before == ord("]") or before in b"'\"`":
        return "divide"
    start = pos
    while start > 0 and data[start - 1] in _WORD:
        start -= 1
    if start < pos:
        if data[start:pos] in _KEYWORDS and (start == 0 or data[start - 1] != ord(".")):
            return "regex"
        return "divide"
    if before >= 0x80:
        return None  # a non-ASCII identifier character, say
    return "regex"
