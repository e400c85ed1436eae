"""Fix -> findings -> edits -> verified file changes. The one place a fix's output meets bytes.

Nothing here writes a file or runs a mutating git command: `apply` hands the
verified changes to `fixer.gitops`, `--dry-run` to the diff printer.
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fixer import edits as edit_ops
from fixer import verify
from fixer.errors import ParseError
from fixer.model import Edit, Finding, FixInfo, NewFile, Skip, Untrack, describe, finish, prepare
from fixer.repo import Repo, SkipFile


@dataclass(frozen=True)
class Problem:
    """Something that went wrong for one file (or the whole fix when path is "")."""

    path: str
    message: str
    detail: str = ""  # a traceback, shown with --debug


@dataclass
class FileChange:
    path: str
    before: bytes | None  # None: a new file
    after: bytes | None  # None: removed from version control (kept on disk)
    mode: str = "100644"

    @property
    def kind(self) -> str:
        if self.before is None:
            return "new"
        if self.after is None:
            return "untracked"
        return "modified"


@dataclass
class FixRun:
    info: FixInfo
    options: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    changes: dict[str, FileChange] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)  # paths whose changes failed verification
    notes: list[str] = field(default_factory=list)  # what the fix inferred; facts a reviewer needs

    def is_fixed(self, finding: Finding) -> bool:
        return finding.fixable and not any(change.path in self.dropped for change in finding.changes)

    @property
    def fixed(self) -> list[Finding]:
        return [f for f in self.findings if self.is_fixed(f)]

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    @property
    def secrets(self) -> set[str]:
        return {value for finding in self.findings for value in finding.secrets}


def run_fix(repo: Repo, fix: Any, options: dict[str, Any], *, verify_changes: bool = True) -> FixRun:
    """Run one fix over the repository; with `verify_changes`, also prove its edits are
    sound (re-parse, bytes outside edits, meaning) and idempotent."""
    run = FixRun(fix.INFO, options)
    try:
        context = prepare(fix, repo, options)
        run.notes = describe(fix, context)
        run.findings = _collect(repo, fix, context, run, None)
    except Exception as error:  # a bug in the fix: report it, keep the run alive
        run.problems.append(_internal(fix.INFO.id, "", error))
        run.skips = repo.skips_for(fix.INFO.kinds)
        return run
    run.changes = _materialize(repo, run)
    if verify_changes and run.changes:
        _check_idempotent(repo, fix, options, context, run)
    run.skips = repo.skips_for(fix.INFO.kinds)
    return run


def _collect(repo: Repo, fix: Any, context: Any, run: FixRun, only: set[str] | None) -> list[Finding]:
    findings: list[Finding] = []
    for source_file in repo.candidates(fix.INFO):
        if only is not None and source_file.path not in only:
            continue
        try:
            findings.extend(fix.scan(source_file, context))
        except ParseError as reason:
            repo.skips[source_file.path] = str(reason)
        except SkipFile as reason:
            repo.skips[source_file.path] = str(reason)
        except Exception as error:
            run.problems.append(_internal(fix.INFO.id, source_file.path, error))
    findings.extend(finish(fix, repo, context, findings))
    for finding in findings:
        finding.severity = finding.severity or fix.INFO.severity
    findings.sort(key=lambda f: (f.path, f.line, f.col))
    return findings


def _internal(fix_id: str, path: str, error: Exception) -> Problem:
    where = f" on {path}" if path else ""
    message = f"internal error in {fix_id}{where}: {type(error).__name__}: {error}"
    return Problem(path, message, traceback.format_exc())


def _materialize(repo: Repo, run: FixRun) -> dict[str, FileChange]:
    by_path: dict[str, list[Any]] = defaultdict(list)
    for finding in run.findings:
        for change in finding.changes:
            by_path[change.path].append(change)
    changes: dict[str, FileChange] = {}
    for path, items in sorted(by_path.items()):
        try:
            change = _file_change(repo, path, items)
        except _Rejected as reason:
            run.problems.append(Problem(path, f"{run.info.id}: {reason}; no change made to this file"))
            run.dropped.add(path)
            continue
        if change is not None:
            changes[path] = change
    return changes


class _Rejected(Exception):
    pass


def _file_change(repo: Repo, path: str, items: list[Any]) -> FileChange | None:
    kinds = {type(item) for item in items}
    if len(kinds) > 1:
        raise _Rejected("conflicting changes (a file can be edited, created or untracked, not several)")
    if kinds == {Untrack}:
        entry = repo.entry(path)
        if entry is None:
            raise _Rejected("cannot untrack a file that is not in the repository")
        return FileChange(path, repo.file(path).data if repo.read(path) else b"", None, entry.mode)
    if kinds == {NewFile}:
        texts = {item.text for item in items}
        if len(texts) > 1:
            raise _Rejected("two different contents proposed for one new file")
        if repo.exists(path):
            raise _Rejected("would overwrite an existing file")
        data = texts.pop().encode("utf-8")
        problem = verify.check(path, None, data, [])
        if problem:
            raise _Rejected(problem)
        return FileChange(path, None, data, "100755" if items[0].executable else "100644")
    try:
        source_file = repo.file(path)
    except SkipFile as reason:
        raise _Rejected(f"file is skipped ({reason})") from None
    edit_list: list[Edit] = items
    try:
        after = edit_ops.apply(source_file.data, edit_list)
    except edit_ops.Conflict as conflict:
        raise _Rejected(str(conflict)) from None
    if after == source_file.data:
        return None
    problem = verify.check(path, source_file.data, after, edit_list)
    if problem:
        raise _Rejected(problem)
    entry = repo.entry(path)
    return FileChange(path, source_file.data, after, entry.mode if entry else "100644")


def _check_idempotent(repo: Repo, fix: Any, options: dict[str, Any], context: Any, run: FixRun) -> None:
    """Run the fix again on its own output: it must want to change nothing."""
    fixed = repo.overlay({path: change.after for path, change in run.changes.items()})
    second = FixRun(run.info, options)
    try:
        context_again = prepare(fix, fixed, options)
        try:
            same_context = bool(context_again == context)
        except Exception:
            same_context = False
        only = {p for p, c in run.changes.items() if c.after is not None} if same_context else None
        findings = _collect(fixed, fix, context_again, second, only)
    except Exception as error:
        run.problems.append(_internal(run.info.id, "", error))
        return
    second.findings = findings
    again = sorted(_materialize(fixed, second))
    run.problems.extend(second.problems)
    for path in again:
        run.problems.append(
            Problem(path, f"internal error in {run.info.id}: not idempotent (a second run would change "
                          f"{path} again); no change made to this file")
        )
        if path in run.changes:
            del run.changes[path]
            run.dropped.add(path)


def exit_code(runs: list[FixRun]) -> int:
    return 3 if any(run.failed for run in runs) else 0
