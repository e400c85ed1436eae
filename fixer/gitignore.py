"""Whether git ignores a path, from the repository's `.gitignore` files.

Enough of gitignore(5) for the files fixes create (env files, compose overrides): the
root `.gitignore` and the `.gitignore` of each directory above the path, last match wins,
`!` negates, a leading or inner `/` anchors a pattern to its file's directory, a trailing
`/` matches directories only. Not read: `.git/info/exclude` and the user's global
excludes file (they differ per machine, and a fix must not depend on them).
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from fixer.repo import glob_match

if TYPE_CHECKING:  # pragma: no cover
    from fixer.repo import Repo

GITIGNORE = ".gitignore"


def is_ignored(path: str, rules: str) -> bool:
    """Whether the `.gitignore` text `rules` ignores `path` (relative to that file's
    directory; git's rules, last match wins)."""
    ignored = False
    parts = path.split("/")
    for raw in rules.splitlines():
        rule = raw.strip()
        if not rule or rule.startswith("#"):
            continue
        negate = rule.startswith("!")
        rule = rule[1:] if negate else rule
        directory = rule.endswith("/")
        rule = rule.rstrip("/")
        anchored = "/" in rule
        rule = re.sub(r"\\(.)", r"\1", rule.lstrip("/"))  # (`\[`: a literal `[`, as `path_rule` writes it)
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts) - (1 if directory else 0))]
        if not anchored:
            candidates = [c.rsplit("/", 1)[-1] for c in candidates]
        if any(glob_match(candidate, rule) for candidate in candidates):
            ignored = not negate
    return ignored


def path_rule(path: str) -> str:
    """The root `.gitignore`'s line for `path` alone (`/services/orders/.env.development`): the leading
    `/` anchors it to the root, a character git reads as a pattern's (`*`, `?`, `[`, `\\`, a trailing
    space) is escaped."""
    escaped = re.sub(r"([\\*?\[])", r"\\\1", path)
    body = escaped.rstrip(" ")
    return "/" + body + "\\ " * (len(escaped) - len(body))


def ignored_in(repo: "Repo", path: str) -> bool:
    """Whether the repository's `.gitignore` files (the root one and those of the
    directories above `path`) ignore `path`; a deeper file's match wins."""
    verdict = False
    directory = posixpath.dirname(path)
    parts = directory.split("/") if directory else []
    levels = [""] + ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for level in levels:
        rules_path = posixpath.join(level, GITIGNORE) if level else GITIGNORE
        source = repo.read(rules_path) if repo.exists(rules_path) else None
        if source is None:
            continue
        relative = posixpath.relpath(path, level) if level else path
        if any(_matches(relative, line) for line in source.decoded.splitlines()):
            verdict = is_ignored(relative, source.decoded)
    return verdict


def _matches(path: str, line: str) -> bool:
    """Whether one `.gitignore` line speaks about `path` (ignoring or un-ignoring it)."""
    rule = line.strip()
    if not rule or rule.startswith("#"):
        return False
    return is_ignored(path, rule.lstrip("!"))
