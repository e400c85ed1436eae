"""The repository's env templates (`env.template`, `.env.example`, `.env.*.example`, …), and
documenting there the environment variables a fix introduces (`ALLOW_DEGRADED_MODE`,
`SHUTDOWN_TIMEOUT_MS`): a variable the code reads and no template mentions is a defect
the readiness checklist reports."""

from __future__ import annotations

import posixpath
import re
from typing import Iterable

from fixer.model import Edit
from fixer.parsing import envfile
from fixer.repo import Repo

TEMPLATE_WORD = re.compile(r"(^|[._-])(template|example|sample|dist|defaults?|tpl|skeleton)([._-]|$)", re.I)
_COMMENTED_KEY = re.compile(rb"^[ \t]*#[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=", re.M)


def is_template(path: str) -> bool:
    """A template or example meant to be committed (not a file holding a deployment's values)."""
    return bool(TEMPLATE_WORD.search(posixpath.basename(path)))


def templates_for(repo: Repo, path: str) -> list[str]:
    """The templates that document variables read by `path`: its service's own, else the root's."""
    found = [p for p in repo.paths_of({"env"}) if is_template(p) and not repo.skip_reason(p)]
    service = repo.service_for(path)
    if service is not None and service.dir:
        own = [p for p in found if p.startswith(service.dir + "/")]
        if own:
            return own
    return [p for p in found if "/" not in p]


def documented(data: bytes, key: str) -> bool:
    """The key is assigned in the file, or mentioned as a commented-out assignment."""
    if any(entry.key == key for entry in envfile.parse(data)):
        return True
    return any(match.group(1).decode() == key for match in _COMMENTED_KEY.finditer(data))


def document(repo: Repo, paths: Iterable[str], key: str, value: str, why: str) -> list[Edit]:
    """Edits that append `# why` and `KEY=value` to each template that lacks the key, of
    every service whose files (`paths`) now read it."""
    edits = []
    for template in sorted({template for path in paths for template in templates_for(repo, path)}):
        source_file = repo.read(template)
        if source_file is None or documented(source_file.data, key):
            continue
        data = source_file.data
        if data and not data.endswith(b"\n"):  # keep the file's missing final newline missing
            edits.append(Edit(template, len(data), len(data), f"\n\n# {why}\n{key}={value}"))
            continue
        gap = "" if not data or data.endswith((b"\n\n", b"\r\n\r\n")) else "\n"
        edits.append(Edit(template, len(data), len(data), f"{gap}# {why}\n{key}={value}\n"))
    return edits


def findings(repo: Repo, fix_id: str, paths: Iterable[str], key: str, value: str, why: str) -> list:
    """One finding per template that gains the key (for a fix's `finish`; `paths`: the files
    its changes make read the key)."""
    from fixer.model import Finding

    found = []
    for edit in document(repo, paths, key, value, why):
        line = repo.file(edit.path).text.last_line
        found.append(Finding(fix_id, edit.path, line, 1, f"documents {key} in the env template ({why})", (edit,)))
    return found
