"""`fixer audit --format sarif`: SARIF 2.1.0 for GitHub code scanning and other viewers.

One run; one rule per registered fix (rule id = fix id, help = the fix's doc page from
`fixer.docs`); one result per finding, located relative to the git top level so that
code scanning puts it on the right line. Findings suppressed by `fixer-ignore`
comments or `[[ignore]]` rules are results with a `suppressions` entry carrying the
reason (viewers hide them, and the count stays visible). The readiness checklist and
the service table ride along in the run's property bag. Every string is redacted
against the secrets the findings carry.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fixer import __version__, docs, ignores
from fixer.checklist import Checklist, to_json
from fixer.model import Finding, FixInfo
from fixer.redact import redact
from fixer.repo import KINDS, Repo, glob_match
from fixer.runner import FixRun

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub ranks security alerts by this (0-10): critical >= 9, high 7-8.9, medium 4-6.9, low < 4
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}


def document(runs: list[FixRun], repo: Repo, modules: dict[str, Any], checklist: Checklist | None = None) -> dict[str, Any]:
    rules = [_rule(module) for module in modules.values()]
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    for run in runs:  # a fix that is not in the registry (a test double): still a rule
        if run.info.id not in index:
            index[run.info.id] = len(rules)
            rules.append(_rule_from_info(run.info))
    reasons = _Reasons(repo)
    results = []
    for run in runs:
        results += [_result(f, run.info, index, repo) for f in run.findings]
        results += [_result(f, run.info, index, repo, reasons.of(run.info.id, f)) for f in run.ignored]
    problems = [p for run in runs for p in run.problems]
    sarif_run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "fixer", "version": __version__, "semanticVersion": __version__, "rules": rules,
        }},
        "automationDetails": {"id": "fixer/audit/"},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{
            "executionSuccessful": not problems,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": problem.message},
                 **({"locations": [_location(problem.path, 0, 0, repo)]} if problem.path else {})}
                for problem in problems
            ],
        }],
    }
    if checklist is not None:
        sarif_run["properties"] = {"checklist": to_json(checklist)}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]}


def render(runs: list[FixRun], repo: Repo, modules: dict[str, Any], checklist: Checklist | None = None) -> str:
    secrets = {s for run in runs for s in run.secrets}
    return redact(json.dumps(document(runs, repo, modules, checklist), indent=2, ensure_ascii=False), secrets) + "\n"


def _rule(module: Any) -> dict[str, Any]:
    info = module.INFO
    rule = _rule_from_info(info)
    sections = docs.sections(module)
    summary = sections.get("summary") or info.title
    rule["fullDescription"] = {"text": summary}
    page = docs.render_markdown(module)
    rule["help"] = {"text": page, "markdown": page}
    return rule


def _rule_from_info(info: FixInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.split("-")),
        "shortDescription": {"text": info.title},
        "defaultConfiguration": {"level": LEVELS.get(info.severity, "warning")},
        "properties": {
            "tags": ["production-readiness", f"week-{info.week}", info.safety],
            "security-severity": SECURITY_SEVERITY.get(info.severity, "5.5"),
            "audit": info.audit, "severity": info.severity, "safety": info.safety, "order": info.order,
        },
    }


def _location(path: str, line: int, col: int, repo: Repo) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(repo.git_path(path)), "uriBaseId": "%SRCROOT%"}}
    if line > 0:
        physical["region"] = {"startLine": line, "startColumn": max(col, 1)}
    return {"physicalLocation": physical}


def _uri(path: str) -> str:
    """A relative URI reference: percent-encode what a path may hold but a URI may not."""
    from urllib.parse import quote

    return quote(path, safe="/-._~!$&'()*+,;=:@")


def _result(finding: Finding, info: FixInfo, index: dict[str, int], repo: Repo,
            suppression: dict[str, Any] | None = None) -> dict[str, Any]:
    severity = finding.severity or info.severity
    result: dict[str, Any] = {
        "ruleId": info.id,
        "ruleIndex": index[info.id],
        "level": LEVELS.get(severity, "warning"),
        "message": {"text": finding.message + ("" if finding.fixable else " (needs a human)")},
        "locations": [_location(finding.path, finding.line, finding.col, repo)],
        "partialFingerprints": {"fixerFinding/v1": _fingerprint(info.id, finding)},
        "properties": {"severity": severity, "fixable": finding.fixable,
                       "fix": f"fixer apply --fix {info.id}" if finding.fixable else None},
    }
    if finding.note:
        result["properties"]["reviewNote"] = finding.note
    if suppression is not None:
        result["suppressions"] = [suppression]
    return result


def _fingerprint(fix_id: str, finding: Finding) -> str:
    """Stable across unrelated edits above the finding: fix, file and message, not the line."""
    return hashlib.sha256(f"{fix_id}\0{finding.path}\0{finding.message}".encode()).hexdigest()[:32]


class _Reasons:
    """Why a suppressed finding is suppressed: the fixer-ignore comment's reason, or the
    `[[ignore]]` rule's."""

    def __init__(self, repo: Repo):
        self.repo = repo
        self.directives = repo.facts("fixer/ignores", ignores.directives_in, KINDS, (ignores.MARKER,))

    def of(self, fix_id: str, finding: Finding) -> dict[str, Any]:
        for rule in self.repo.config.ignores:
            if fix_id in rule["fixes"] and glob_match(finding.path, rule["path"]):
                return {"kind": "external", "status": "accepted",
                        "justification": f".fixer.toml [[ignore]] {rule['path']}: {rule.get('reason', '')}"}
        for directive in self.directives.get(finding.path, ()):
            if fix_id in directive.fixes and directive.line in (finding.line, finding.line - 1):
                return {"kind": "inSource", "status": "accepted", "justification": directive.reason,
                        "location": _location(finding.path, directive.line, 1, self.repo)}
        return {"kind": "inSource", "status": "accepted", "justification": "fixer-ignore"}
