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


_COMMENT_LEAD = re.compile(rb"^[ \t]*#+[ \t]*")


def commented(data: bytes) -> list[EnvLine]:
    """Assignments inside comment lines (`# KEY=value`: a setting commented out), with the
    same spans as `parse` gives live ones."""
    text = Text(data)
    entries: list[EnvLine] = []
    for number in range(1, len(text.line_starts) + 1):
        start, end = text.line_span(number)
        raw = data[start:end]
        if number == 1 and raw.startswith(BOM):
            raw, start = raw[len(BOM):], start + len(BOM)
        lead = _COMMENT_LEAD.match(raw)
        if not lead:
            continue
        rest, offset = raw[lead.end():], start + lead.end()
        match = _ASSIGNMENT.match(rest)
        if not match:
            continue
        entry = _value(rest, match.end(), offset)
        if entry is None:
            continue
        value, quote, value_start, value_end, comment = entry
        entries.append(EnvLine(number, match.group(3).decode(), value, quote, value_start, value_end, comment))
    return entries


# --- placeholders: what may be copied into a template ------------------------------------

_PLACEHOLDER = re.compile(
    r"""^(?:
        | <[^<>]*> | \[[^\[\]]*\] | \$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\} | \$[A-Za-z_][A-Za-z0-9_]*
        | (?:your|my|change|replace|set|enter|insert|put|add)[-_ ].* | .*(?:change[-_]?me|placeholder).*
        | x{3,} | \*{3,} | (?:todo|tbd|fixme|redacted|secret|password|token|key|dummy|fake)
    )$""",
    re.I | re.X,
)
_SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|PRIVATE|CREDENTIAL|ACCESS_KEY|SESSION_KEY|SIGNING|SALT|DSN"
    r"|(^|_)KEY(_ID)?$)", re.I,
)
_URL_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^:@/\s]*)(?::(?P<password>[^/?#\s]*))?@"
                           r"(?P<host>[^:/?#@\s]*)(?P<rest>.*)$")  # (the password runs to the last `@`)
_TOKEN = re.compile(r"[A-Za-z0-9+/_=-]{16,}")
_KNOWN_PREFIX = re.compile(r"\b(rzp_(test|live)_|sk_(live|test)_|pk_live_|AKIA|ASIA|ghp_|gho_|github_pat_|xox[abpr]-|AIza)")


def is_placeholder(value: str) -> bool:
    """`your-api-key`, `change-me`, `<password>`, `${AWS_SECRET}`, empty: says what goes there, holds nothing."""
    return _PLACEHOLDER.match(value.strip()) is not None


def may_be_secret(key: str, value: str) -> bool:
    """Whether a value could be a credential (judged so that anything doubtful is): a secret
    name with a value that is not a placeholder, credentials in a URL, a token-like run of
    characters, or a well-known key prefix. Plain settings (ports, hosts, words) are not."""
    if is_placeholder(value):
        return False
    if _SECRET_NAME.search(key):
        return True
    url = _URL_USERINFO.match(value)
    if url and url.group("password") and not is_placeholder(url.group("password")):
        return True
    if _KNOWN_PREFIX.search(value):
        return True
    for run in _TOKEN.findall(value):
        pieces = [p for p in re.split(r"[_=.:/+-]", run) if p]
        if all(p.isalpha() or p.isdigit() or len(p) <= 6 for p in pieces):
            continue  # words and numbers: `student-service=3001`, `kc-internal`
        if sum(bool(re.search(p, run)) for p in ("[a-z]", "[A-Z]", "[0-9]")) >= 2:
            return True
    return False


def placeholder_for(key: str, value: str = "") -> str:
    """A placeholder with the value's shape: credentials in a URL become `your-user:your-password@your-host`
    (scheme, port, path kept); anything else `your-<key>`."""
    url = _URL_USERINFO.match(value)
    if url:
        return f"{url.group('scheme')}://your-user:your-password@your-host{url.group('rest')}"
    return "your-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
