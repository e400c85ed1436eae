"""A line model for dotenv files and env templates: every assignment with exact byte spans.

Understands `export KEY=value`, single/double/back-quoted values, inline
comments after unquoted values (` # …`, also after an empty one: `KEY=   # optional`),
blank and comment lines. A quoted value
may span lines, as dotenv reads it (a PEM key in double quotes): it is one entry, and
the lines inside it are never read as assignments or comments.
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
    end_line: int = 0  # the line the value ends on (0: `line`); a quoted value may span lines

    @property
    def last_line(self) -> int:
        return self.end_line or self.line

    @property
    def inner_span(self) -> tuple[int, int]:
        """Byte span of the value without its quotes."""
        if self.quote:
            return self.value_start + 1, self.value_end - 1
        return self.value_start, self.value_end


def parse(data: bytes) -> list[EnvLine]:
    text = Text(data)
    entries: list[EnvLine] = []
    number, last = 1, len(text.line_starts)
    while number <= last:
        start, end = text.line_span(number)
        raw = data[start:end]
        offset = start
        if number == 1 and raw.startswith(BOM):
            raw, offset = raw[len(BOM):], start + len(BOM)
        match = _ASSIGNMENT.match(raw)
        entry = _value(raw, match.end(), offset) if match else None
        if match and entry is None:
            entry = _multi_line_value(data, offset + match.end())
        if entry is None:
            number += 1
            continue
        value, quote, value_start, value_end, comment = entry
        end_line = text.line_of(value_end - 1)
        entries.append(EnvLine(number, match.group(3).decode(), value, quote, value_start, value_end, comment,
                               end_line if end_line > number else 0))
        number = max(end_line, number) + 1  # the lines inside a multi-line value are the value's
    return entries


def _multi_line_value(data: bytes, at: int) -> tuple[str, str, int, int, str] | None:
    """A quoted value whose closing quote is on a later line (dotenv reads it as one value,
    its line breaks as newlines); None when the quote never closes."""
    quote = data[at : at + 1]
    if quote not in (b"'", b'"', b"`"):
        return None
    close = _closing_quote(data[at:], quote)
    if close is None:
        return None
    line_end = data.find(b"\n", at + close)
    after = data[at + close + 1 : len(data) if line_end < 0 else line_end]
    inner = data[at + 1 : at + close].decode("utf-8", errors="replace")
    inner = re.sub(r"\r\n?", "\n", inner)
    if quote == b'"':
        inner = inner.replace('\\"', '"').replace("\\n", "\n")
    comment = after.strip().decode("utf-8", errors="replace")
    return inner, quote.decode(), at, at + close + 1, comment


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
    if rest[:1] == b"#" and at and raw[at - 1 : at] in (b" ", b"\t"):  # `KEY=   # why`: empty, with a comment
        equals = len(raw[:at].rstrip(b" \t"))  # (the empty value is right after `=`: a value written there
        return "", "", offset + equals, offset + equals, rest.strip().decode("utf-8", errors="replace")  # keeps the blanks)
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
    inside = {n for e in parse(data) for n in range(e.line + 1, e.last_line + 1)}  # a multi-line value's lines
    for number in range(1, len(text.line_starts) + 1):
        start, end = text.line_span(number)
        raw = data[start:end]
        if number == 1 and raw.startswith(BOM):
            raw, start = raw[len(BOM):], start + len(BOM)
        lead = _COMMENT_LEAD.match(raw) if number not in inside else None
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
    r"|(^|_)KEY(_ID)?$|(^|_)(PASS|AUTH|PASSPHRASE)$)", re.I,
)
_BOOLEAN = re.compile(r"true|false|yes|no|on|off", re.I)
_URL_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^:@/\s]*)(?::(?P<password>[^/?#\s]*))?@"
                           r"(?P<host>[^:/?#@\s]*)(?P<rest>.*)$")  # (the password runs to the last `@`)
_TOKEN = re.compile(r"[A-Za-z0-9+/_=-]{16,}")
_KNOWN_PREFIX = re.compile(r"\b(rzp_(test|live)_|sk_(live|test)_|pk_live_|AKIA|ASIA|ghp_|gho_|github_pat_|xox[abpr]-|AIza)")


def is_placeholder(value: str) -> bool:
    """`your-api-key`, `change-me`, `<password>`, `${AWS_SECRET}`, empty: says what goes there, holds nothing.
    A reference's default is a value (`${JWT_SECRET:-Qm8r…}`): a placeholder only when it is one."""
    value = value.strip()
    reference = _REFERENCE.fullmatch(value)
    if reference and _literal(reference):
        return is_placeholder(_literal(reference))
    return _PLACEHOLDER.match(value) is not None


# a reference to another key, as dotenv-expand (and compose, in an env_file) expands it: `${NAME}`,
# `${NAME:-default}` (`-`, `=`, `?`, `+`, with or without `:`), `$NAME` (not inside a word: the `$`
# of `pa$Sword` is a literal one); `\$` is a dollar
_REFERENCE = re.compile(r"(?<!\\)\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-=?+])(?P<default>[^{}$]*))?\}"
                        r"|(?<![\\\w$])\$(?P<named>[A-Za-z_][A-Za-z0-9_]*)")


def _literal(reference: re.Match) -> str:
    """The literal text a reference holds: its default (or alternative); `${X:?message}`'s message is none."""
    return "" if (reference.group("operator") or "").endswith("?") else reference.group("default") or ""


def _bare(text: str) -> bool:
    """Text made only of references whose defaults are placeholders (or none): `${DB_PASSWORD}`."""
    return bool(text) and not _REFERENCE.sub("", text) and all(
        not _literal(m) or is_placeholder(_literal(m)) for m in _REFERENCE.finditer(text))


def built_from_references(key: str, value: str, credential: bool = False) -> bool:
    """A value made of references to other keys and literal text that holds no credential, as
    dotenv-expand's README builds one: `postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/app`,
    `http://${API_HOST}:${PORT:-3000}/v1`. It holds no secret (the keys it names do), and filling
    them in reaches it: a template keeps it as it is. A reference's default is literal text; a
    URL's password is references only; under a credential's name (`credential`, or a secret's
    name) no literal letter or digit may appear (it may be part of a secret)."""
    value = value.strip()
    if "\n" in value or not _REFERENCE.search(value):
        return False
    if credential or _SECRET_NAME.search(key):
        return not re.search(r"[A-Za-z0-9]", _REFERENCE.sub("", value)) and all(
            not _literal(m) or is_placeholder(_literal(m)) for m in _REFERENCE.finditer(value))
    url = _URL_USERINFO.match(value)
    if url:
        user, password = url.group("user"), url.group("password") or ""
        if user and not (_bare(user) or _words(user)) or password and not _bare(password):
            return False
        value = f"{url.group('scheme')}://{url.group('host')}{url.group('rest')}"
    # (a reference stands for a plain value: its default, else a number, which fits wherever a word, a
    # host or a port does)
    return is_plain_setting(_REFERENCE.sub(lambda m: _literal(m) or "1", value))


def may_be_secret(key: str, value: str) -> bool:
    """Whether a value could be a credential (judged so that anything doubtful is): a secret
    name with a value that is not a placeholder, credentials in a URL, a token-like run of
    characters, or a well-known key prefix. Plain settings (ports, hosts, words) are not."""
    if is_placeholder(value):
        return False
    if _SECRET_NAME.search(key):
        return not _BOOLEAN.fullmatch(value.strip())  # `ENABLE_AUTH=true`, `SMTP_PASS_REQUIRED=false`: a switch
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


# --- a real env file's values: copied only when clearly a plain setting -----------------

_NUMBER = re.compile(r"-?\d+(?:\.\d+)*(?:ms|s|m|h|d|w|y|k|kb|mb|gb|%)?", re.I)  # 3000, 1.5, 7d, 512mb, 1.2.3
_BOOLEAN_OR_LEVEL = re.compile(r"true|false|yes|no|on|off|trace|debug|info|warn|warning|error|fatal|silent", re.I)
_WORD = re.compile(r"[a-z]+\d{0,2}|[A-Z]+\d{0,2}|[A-Z][a-z]+|\d{1,4}")  # `kafka`, `UTC`, `Asia`, `v1`, `2024`
_HOST = re.compile(r"(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(?::\d{1,5})?")  # `redis`, `db.internal:5432`, `10.0.0.7`
_PLAIN_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?P<host>[^\s@/?#]+)(?P<path>/[^\s?#@]*)?(?:\?(?P<query>[^\s#@]*))?")
_PATH = re.compile(r"(?:\.{0,2}/)?[\w.-]+(?:/[\w.-]+)+/?|/")  # `./keys/jwt.pub`, `/var/log/app`


def is_plain_setting(value: str) -> bool:
    """A value that is clearly not a credential: a number, a boolean, a log level, words,
    a host, a path, or a URL without credentials (and no token or secret-named parameter in
    it); a comma-separated list of those. A whitelist: anything else may be a secret."""
    value = value.strip()
    if not value or "\n" in value:
        return False
    return all(_plain_item(item.strip()) for item in value.split(","))


def _plain_item(item: str) -> bool:
    if not item:
        return True
    if _NUMBER.fullmatch(item) or _BOOLEAN_OR_LEVEL.fullmatch(item) or _words(item):
        return True
    if may_be_secret("", item):
        return False
    if _HOST.fullmatch(item) and all(_words(p) for p in re.split(r"[.:]", item) if not p.isdigit()):
        return True
    url = _PLAIN_URL.fullmatch(item)
    if url:
        host = url.group("host")
        params = [p.partition("=") for p in (url.group("query") or "").split("&") if p]
        path = url.group("path") or ""
        if not all(_words(p) for p in re.split(r"[/.]", path) if p):
            return False  # `/services/T0A1/B4E5/Qx8Lm2Zt9Kp4`: a token in the path
        return (_HOST.fullmatch(host) is not None or host.startswith("[")) and not any(
            _SECRET_NAME.search(name) or re.search(r"sig|auth|pass|cred", name, re.I) or not _plain_value(v)
            for name, _, v in params)
    if _PATH.fullmatch(item):
        return all(_words(p) for p in re.split(r"[/.]", item) if p)
    return False


def _plain_value(value: str) -> bool:
    return not value or bool(_NUMBER.fullmatch(value) or _BOOLEAN_OR_LEVEL.fullmatch(value) or _words(value))


def _words(item: str) -> bool:
    """`production`, `kc-backend-2024`, `en_US`, `Asia/Kolkata`: words and short numbers."""
    pieces = re.split(r"[-_ /]+", item)
    return all(_WORD.fullmatch(p) for p in pieces if p) and any(pieces)


_COMMENT_URL_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/@'\"]*@")
_COMMENT_SETTING = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:][ \t]*(['\"]?)(\S+)")


def comment_may_hold_secret(line: str) -> bool:
    """A comment line that may hold a credential: a URL with user info anywhere, a
    `key=value` or `key: value` with a secret-ish key, a private key, a token-like run."""
    if _COMMENT_URL_USERINFO.search(line) or "PRIVATE KEY" in line:
        return True
    for match in _COMMENT_SETTING.finditer(line):
        if _SECRET_NAME.search(match.group(1)) and not is_placeholder(match.group(3).strip("'\"")):
            return True
    return may_be_secret("", line)


def placeholder_for(key: str, value: str = "") -> str:
    """A placeholder with the value's shape: credentials in a URL become `your-user:your-password@your-host`
    (scheme, port, path kept); anything else `your-<key>`. References to other keys stay (filling
    those in must still reach the value): `postgres://${DB_USER}:your-password@your-host:5432/db`, and
    of `${JWT_SECRET:-…}` only the default is replaced."""
    reference = _REFERENCE.fullmatch(value.strip())
    if reference and reference.group("braced") and _literal(reference):
        return f"${{{reference.group('braced')}{reference.group('operator')}{placeholder_for(key, _literal(reference))}}}"
    url = _URL_USERINFO.match(value)
    if url:
        user, password, host = (part if _bare(part or "") else placeholder for part, placeholder in (
            (url.group("user"), "your-user"), (url.group("password"), "your-password"), (url.group("host"), "your-host")))
        userinfo = user if url.group("password") is None and user != "your-user" else f"{user}:{password}"
        return f"{url.group('scheme')}://{userinfo}@{host}{url.group('rest')}"  # (`${SENTRY_KEY}@`: no password)
    return "your-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
