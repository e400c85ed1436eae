"""Ignore comments: a team's way to say "we know, and here is why".

    app.get('/healthz', h);  // fixer-ignore health-endpoints: the load balancer still probes it
    # fixer-ignore healthcheck-loopback: this image only has IPv6 loopback
    /* fixer-ignore console-to-logger, cors-validation: CLI output, not service logs */

A comment on the finding's line or on the line before suppresses that fix's findings
there (and their edits). A reason after the colon is required: an ignore without one
is not honoured and is reported. An ignore that suppresses nothing is reported as
unused. File-level ignores live in `.fixer.toml`:

    [[ignore]]
    path = "services/legacy/**"
    fixes = ["console-to-logger"]
    reason = "replaced in Q3"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fixer.config import FILENAME as CONFIG_FILE
from fixer.model import Finding
from fixer.repo import KINDS, FactsSpec, Repo, SourceFile, glob_match

MARKER = b"fixer-ignore"
_DIRECTIVE = re.compile(
    r"(?://|/\*|#)\s*fixer-ignore\s+(?P<ids>[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?::\s*(?P<reason>[^*\n]*?))?\s*(?:\*/)?\s*$"
)


@dataclass(frozen=True)
class Directive:
    line: int
    fixes: tuple[str, ...]
    reason: str


def directives_in(source_file: SourceFile) -> tuple[Directive, ...]:
    """Every fixer-ignore comment of a file (depends on its bytes alone: cacheable)."""
    found = []
    for number, text in enumerate(source_file.decoded.splitlines(), start=1):
        if "fixer-ignore" not in text:
            continue
        match = _DIRECTIVE.search(text)
        if match:
            ids = tuple(part.strip() for part in match.group("ids").split(","))
            found.append(Directive(number, ids, (match.group("reason") or "").strip()))
    return tuple(found)


DIRECTIVES = FactsSpec("fixer/ignores", directives_in, frozenset(KINDS), (MARKER,))


def apply(repo: Repo, fix_id: str, findings: list[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(kept findings, ignored findings, findings about the ignores themselves)."""
    directives = repo.facts_of(DIRECTIVES)
    file_rules = [rule for rule in repo.config.ignores if fix_id in rule["fixes"]]
    kept, ignored, about = [], [], []
    used: set[tuple[str, int]] = set()
    rules_used: set[int] = set()
    for finding in findings:
        matching = [index for index, rule in enumerate(file_rules) if glob_match(finding.path, rule["path"])]
        if matching:
            rules_used.update(matching)
            ignored.append(finding)
            continue
        hit = None
        for directive in directives.get(finding.path, ()):
            if fix_id in directive.fixes and directive.line in (finding.line, finding.line - 1):
                hit = directive
                break
        if hit is None:
            kept.append(finding)
        elif not hit.reason:
            kept.append(finding)
            used.add((finding.path, hit.line))
        else:
            ignored.append(finding)
            used.add((finding.path, hit.line))
    for path, file_directives in sorted(directives.items()):
        for directive in file_directives:
            if fix_id not in directive.fixes:
                continue
            if not directive.reason:
                about.append(Finding(fix_id, path, directive.line, 1,
                                     f"fixer-ignore {fix_id} has no reason, so it is not honoured: "
                                     f"add one after a colon (`fixer-ignore {fix_id}: why`)", severity="low"))
            elif (path, directive.line) not in used:
                about.append(Finding(fix_id, path, directive.line, 1,
                                     f"unused fixer-ignore {fix_id}: nothing to ignore here any more; remove it",
                                     severity="low"))
    for index, rule in enumerate(file_rules):  # (the file form is reported as the comment form is)
        if index not in rules_used:
            about.append(Finding(fix_id, CONFIG_FILE, 1, 1,
                                 f"unused [[ignore]] of {fix_id} for path {rule['path']!r}: {fix_id} finds nothing "
                                 f"there any more; remove {fix_id} from that rule's fixes, or the rule", severity="low"))
    return kept, ignored, about
