"""Fix -> findings -> edits -> verified file changes. The one place a fix's output meets bytes.

Nothing here writes a file or runs a mutating git command: `apply` hands the
verified changes to `fixer.gitops`, `--dry-run` to the diff printer.
"""

from __future__ import annotations

import pickle
import traceback
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Sequence

from fixer import edits as edit_ops
from fixer import ignores, verify
from fixer.diffs import file_diff
from fixer.cache import blob_id, slot_key, stable_digest
from fixer.errors import ParseError
from fixer.model import Edit, Finding, FixInfo, NewFile, Skip, Untrack, describe, facts_specs, finish, prepare
from fixer.parallel import map_paths
from fixer.parsing import typescript
from fixer.repo import CODE_KINDS, NEEDLES_SLOT, Repo, SkipFile, SourceFile, gather_file, known_presence, merged_presence


@dataclass(frozen=True)
class Problem:
    """Something that went wrong for one file (or the whole fix when path is "")."""

    path: str
    message: str
    detail: str = ""  # a traceback, shown with --debug

    @property
    def text(self) -> str:
        """The message as shown: naming its file, when it does not already."""
        from fixer.report import printable_path  # (report imports this module)

        return self.message if not self.path or self.path in self.message else f"{printable_path(self.path)}: {self.message}"


@dataclass
class FileChange:
    path: str
    before: bytes | None  # None: a new file
    after: bytes | None  # None: removed from version control (`git rm --cached`)
    mode: str = "100644"
    diff: bytes | None = field(default=None, compare=False, repr=False)  # made by the scan's worker, if it was

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
    ignored: list[Finding] = field(default_factory=list)  # suppressed by fixer-ignore comments / [[ignore]]
    left_alone: dict[str, str] = field(default_factory=dict)  # files this fix chose not to touch, and why
    notes: list[str] = field(default_factory=list)  # what the fix inferred; facts a reviewer needs
    # secret values in the files it changes, found by the secrets fix whichever fixes ran:
    # a diff shows lines next to its edits, and one may hold a value no finding of this run names
    nearby_secrets: set[str] = field(default_factory=set)

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
        """Every secret value this run saw (ignored findings included: their lines can still
        show up as diff context) and those in the files it changes (`nearby_secrets`)."""
        return {value for finding in [*self.findings, *self.ignored] for value in finding.secrets} | self.nearby_secrets


def run_fix(repo: Repo, fix: Any, options: dict[str, Any], *, verify_changes: bool = True,
            write_ahead: bool = False) -> FixRun:
    """Run one fix over the repository (see `run_fixes`). `write_ahead`: the run's cache
    rows are final (an `apply`; a plan's later steps rewrite theirs): after a pass that
    read many files, a writer process writes them while the run verifies its changes."""
    return run_fixes(repo, [(fix, options)], verify_changes=verify_changes, write_ahead=write_ahead)[0]


def run_fixes(
    repo: Repo, jobs: list[tuple[Any, dict[str, Any]]], *, verify_changes: bool = True, findings_only: bool = False,
    also_gather: list[Any] = (),  # type: ignore[assignment]
    follow_ahead: bool = False, write_ahead: bool = False,
) -> list[FixRun]:
    """Run several fixes over one repository, reading and parsing each file at most once
    for all of them, on all cores, with per-file results cached across runs.

    With `verify_changes`, also prove each fix's edits sound (re-parse, bytes outside the
    edits, meaning) and idempotent. `findings_only` stops after the findings (audit).
    `also_gather`: more per-file facts (`FactsSpec`) that no fix's `prepare` needs (the
    checklist's): gathered in the same pass as the fixes' facts. `follow_ahead`
    (with `findings_only`: a plan's warm-up pass): the scan's workers also apply, verify and
    re-check each file's edits, and the repository keeps that for the run of each fix that
    follows on it or an overlay of it (`_FollowUp`, `Repo.follow_ups`). `write_ahead`: see
    `run_fix`."""
    batch: list[_Job] = []
    runs = []
    _gather_ahead(repo, jobs, also_gather)
    for fix, options in jobs:
        run = FixRun(fix.INFO, options)
        runs.append(run)
        try:
            context = prepare(fix, repo, options)
            run.notes = describe(fix, context)
        except Exception as error:  # a bug in the fix: report it, keep the others going
            run.problems.append(_internal(fix.INFO.id, "", error))
            continue
        batch.append(_Job(fix, options, context, run, _inherited_follow_ups(repo, fix, options, context)))
    _scan(repo, batch, None, follow=follow_ahead or (verify_changes and not findings_only))
    if write_ahead and repo.cache.pending_rows() >= WRITE_AHEAD_ROWS:
        repo.cache.flush_in_background()  # written while the changes are verified and shown
    if follow_ahead and findings_only:
        _keep_follow_ups(repo, batch)
    for job in batch:
        try:
            job.run.findings.extend(finish(job.fix, repo, job.context, job.run.findings))
            kept, job.run.ignored, about = ignores.apply(repo, job.fix.INFO.id, job.run.findings)
            job.run.findings = kept + about
        except Exception as error:
            job.run.problems.append(_internal(job.fix.INFO.id, "", error))
        _settle(job.run)
        if not findings_only:
            job.run.changes = _materialize(repo, job.run, job.follow)
            job.run.nearby_secrets = _nearby_secrets(repo, job.run, job.follow)
            if verify_changes and job.run.changes:
                _check_idempotent(repo, job)
    for run in runs:
        skipped = {skip.path: skip.reason for skip in repo.skips_for(run.info.kinds)}
        skipped.update(run.left_alone)
        run.skips = [Skip(path, reason) for path, reason in sorted(skipped.items())]
    return runs


def _nearby_secrets(repo: Repo, run: FixRun, follow: dict[str, "_FollowUp"]) -> set[str]:
    """The secret values in the files the run changes (`FixRun.nearby_secrets`): from the
    scan's worker where it followed the change through (`_FollowUp.secrets`), else read here."""
    found: set[str] = set()
    for path, change in run.changes.items():
        follow_up = follow.get(path)
        if follow_up is not None and follow_up.after == change.after:
            found |= follow_up.secrets
        elif change.before is not None or change.after is not None:
            try:
                source_file = repo.file(path) if change.before is not None else repo.file_of(path, change.after)
            except SkipFile:
                continue
            found |= secrets_in(source_file)
    return found


def secrets_in(source_file: SourceFile) -> frozenset[str]:
    """The secret values the secrets fix finds in this file, whichever fix is running: what a
    diff of it must redact (a compose file's context lines can show a key next to the
    healthcheck another fix edits). A file it cannot read holds none it can name."""
    from transforms import secrets as secrets_fix  # (the engine's one use of a fix: guarantee 8)

    # a known token shape anywhere (a Dockerfile RUN line, a compose label): no finding, but no diff shows it
    tokens = secrets_fix.token_values(source_file.decoded)
    if source_file.kind not in secrets_fix.INFO.kinds or (
            source_file.kind in CODE_KINDS and not secrets_fix.may_hold_secrets(source_file)):
        return frozenset(tokens)  # (the fix's own gate: most code files, from their bytes alone)
    try:
        found = secrets_fix.scan(source_file, secrets_fix.Context(frozenset(), frozenset()))
        return frozenset(tokens.union(value for finding in found for value in finding.secrets))
    except Exception:  # (not readable or parseable: then not changed either; the run says why)
        return frozenset(tokens)


def _follow_up_key(repo: Repo, fix: Any, options: dict[str, Any], context: Any) -> tuple | None:
    digest = _digest_or_none((context, options))
    return None if digest is None else (fix.INFO.id, fix.INFO.version, digest, repo.structure_at(fix.INFO.structural))


def _keep_follow_ups(repo: Repo, batch: list["_Job"]) -> None:
    """Keep the batch's follow-ups on the repository (shared with its overlays), each with
    the blob id of the file it started from: valid for a later run of the same fix, with
    the same context and structure, on a file no step has changed since."""
    for job in batch:
        key = _follow_up_key(repo, job.fix, job.options, job.context)
        if key is not None and job.follow:
            repo.follow_ups[key] = {path: (repo.blob(path), follow_up) for path, follow_up in job.follow.items()
                                    if repo.unchanged(path)}


def _inherited_follow_ups(repo: Repo, fix: Any, options: dict[str, Any], context: Any) -> dict[str, "_FollowUp"]:
    """The follow-ups a warm-up pass kept for this fix (taken: each is used once) that still
    hold on this repository (see `_keep_follow_ups`)."""
    key = _follow_up_key(repo, fix, options, context)
    kept = repo.follow_ups.pop(key, {}) if key is not None else {}
    return {path: follow_up for path, (blob, follow_up) in kept.items()
            if repo.unchanged(path) and repo.blob(path) == blob}


def _gather_ahead(repo: Repo, jobs: list[tuple[Any, dict[str, Any]]], also: Sequence[Any] = ()) -> None:
    """Every fix's declared per-file facts (and the ignore comments, and the `also` specs)
    in one pass over the files, which also tests each file it reads for the fixed
    prefilters of the scans to come: the scan pass then reads no file they (or a fix's
    GATE) rule out."""
    specs = list(also)
    for fix, options in jobs:
        specs += _specs_of(fix, options)
    needles = {needle for fix, _ in jobs if not hasattr(fix, "needles") for needle in fix.INFO.prefilter}
    try:
        repo.gather_all(specs, needles)
    except Exception:
        pass  # the broken spec is asked for again by its fix, whose run reports it


def _specs_of(fix: Any, options: dict[str, Any]) -> list[Any]:
    """The per-file facts a fix's run reads: its own, its GATE and the ignore comments."""
    try:
        return [ignores.DIRECTIVES, *facts_specs(fix, options), *([fix.GATE] if hasattr(fix, "GATE") else [])]
    except Exception:
        return [ignores.DIRECTIVES]  # its prepare will ask for them and report the error as its own


@dataclass
class _Job:
    fix: Any
    options: dict[str, Any]
    context: Any
    run: FixRun
    follow: dict[str, "_FollowUp"] = field(default_factory=dict)  # what the scan's worker did with the edits


@dataclass(frozen=True)
class _FollowUp:
    """A file's own edits, applied, verified and checked again by the worker that scanned
    it, on the parse it already had (tree-sitter re-parses only what the edits touched):
    with a dry run or an apply, a changed file is parsed once, not three times. Used only
    when the run's final edits for the file are exactly these (`finish` and the ignore
    rules can change them) and, for the rest, when the fixed repository has the same
    structure and the fix the same context."""

    edits: tuple[Edit, ...]  # exactly the edits applied, in order
    after: bytes
    problem: str | None  # verification's verdict on the edited file
    facts: dict[tuple, tuple]  # the fix's facts specs (and the ignore comments) on the edited file
    again: tuple | None  # the fix's scan of the edited file with the same context, if it ran
    diff: bytes | None  # the change's unified diff (what a dry run prints), when it verified
    secrets: frozenset[str]  # the secret values in the file (`secrets_in`): what that diff must redact


def _settle(run: FixRun) -> None:
    for finding in run.findings:
        finding.severity = finding.severity or run.info.severity
    run.findings.sort(key=lambda f: (f.path, f.line, f.col))


# A pass that read this many files leaves rows worth writing in the background while the run
# goes on (`write_ahead`; see `Cache.flush_in_background`).
WRITE_AHEAD_ROWS = 2000
PRESENCE = -1  # the outcome slot holding which prefilter needles a file contains
FOLLOW = -2  # the slot holding the follow-ups (by fix index) of a file's edits
STORED = -3  # the slot holding, by fix index, the cache's form of outcomes with secrets (`_without_secrets`)
SECRETS_AT = "ok, secrets at"  # that form's tag, in a cache row


def _scan(repo: Repo, batch: list[_Job], only: set[str] | None, follow: bool = False) -> None:
    """Every job's `scan` on every candidate file; results land in each job's run.

    Cached in one row per file: which prefilter needles the file contains (`NEEDLES_SLOT`,
    shared by every batch: one whose needles were all tested reads no file to rule it
    out), and each fix's outcome (by fix version, options and context) where its prefilter let
    the file through, and its GATE (a per-file fact) too. With `follow`, the worker also
    applies, verifies and re-checks each file's own edits (see `_FollowUp`); that is never
    cached. An outcome whose findings carry secret values is cached without them, with
    where they are in the file (`_without_secrets`), or not at all."""
    prefilters = [prefilter_of(job.fix, job.context) for job in batch]
    gates = {index: gate_of(repo, job.fix) for index, job in enumerate(batch) if hasattr(job.fix, "GATE")}
    needles = tuple(sorted({needle for prefilter in prefilters for needle in prefilter}))
    slots: list[str | None] = []
    wanted: dict[str, list[int]] = defaultdict(list)
    for index, job in enumerate(batch):
        info = job.fix.INFO
        context_digest = _digest_or_none((job.context, job.options))
        slots.append(slot_key(("scan", info.id, info.version, prefilters[index], context_digest,
                                repo.structure_at(info.structural))) if context_digest else None)
        gate = gates.get(index, {})
        for path in repo.paths_of(info.kinds):
            if (only is None or path in only) and not repo.skip_reason(path) and gate.get(path, True):
                wanted[path].append(index)
    rows = repo.file_rows(wanted)
    outcomes: dict[str, dict[int, tuple]] = defaultdict(dict)  # "filtered" ones are left out: they say nothing
    missing: dict[str, list[int]] = {}
    fresh: dict[str, dict[str, tuple]] = {}
    empty: dict[str, Any] = {}
    for path, indexes in wanted.items():  # every file of a big repository, for every plan step: kept lean
        row = rows.get(path, empty)
        present = known_presence(row, needles)
        if present is None and (data := repo.bytes_in_memory(path)) is not None:
            present = _presence(repo, path, data, needles)  # here: no worker needed for a file no fix wants
            fresh.setdefault(path, {})[NEEDLES_SLOT] = merged_presence(row, present, needles)
        if present is not None:
            if present[0] == "skip":
                outcomes[path].update((index, present) for index in indexes)
                continue
            held = present[1]
            indexes = [index for index in indexes if not prefilters[index] or not held.isdisjoint(prefilters[index])]
        for index in indexes:
            cached = row.get(slots[index]) if slots[index] is not None else None
            if cached is not None and cached[0] == SECRETS_AT:
                cached = _with_secrets(repo, path, cached)
            if cached is not None:
                outcomes[path][index] = cached
            else:
                missing.setdefault(path, []).append(index)
    fixes = [(job.fix, job.context) for job in batch]
    specs = [_specs_of(job.fix, job.options) for job in batch] if follow else None
    computed = map_paths(repo, sorted(missing), partial(
        _scan_one, fixes=fixes, wanted=missing, needles=needles, follow=specs))
    for path, per_fix in computed.items():
        for index, follow_up in per_fix.pop(FOLLOW, {}).items():
            batch[index].follow[path] = follow_up
        found = per_fix.pop(PRESENCE)
        stored = per_fix.pop(STORED, {})
        if found[0] in ("present", "skip"):
            fresh.setdefault(path, {})[NEEDLES_SLOT] = merged_presence(rows.get(path, {}), found, needles)
        for index, outcome in per_fix.items():
            outcomes[path][index] = outcome
            slot = slots[index]
            if slot is not None and outcome[0] not in ("error", "filtered", "skip"):
                kept = stored.get(index) if _carries_secrets(outcome) else outcome
                if kept is not None:
                    fresh.setdefault(path, {})[slot] = kept
    repo.store_rows(fresh)
    for path in sorted(outcomes):
        for index, outcome in outcomes[path].items():
            run = batch[index].run
            if outcome[0] == "ok":
                run.findings.extend(outcome[1])
                if len(outcome) > 2 and outcome[2] is not None:
                    repo.errors_before[path] = outcome[2]
            elif outcome[0] == "skip":
                repo.skips[path] = outcome[1]  # the file itself cannot be read or parsed
            elif outcome[0] == "left-alone":
                run.left_alone[path] = outcome[1]  # this fix's own choice
            elif outcome[0] == "error":
                run.problems.append(Problem(path, outcome[1], outcome[2]))


def prefilter_of(fix: Any, context: Any) -> tuple[bytes, ...]:
    """The needles one of which a file must hold for the fix to scan it: `INFO.prefilter`,
    or, for a fix whose needles depend on what `prepare` found, its `needles(context)`
    (db-degradation: connect calls and the names of the init functions). A file without
    any is ruled out from its bytes, or from the cached record of its needles, unread."""
    needles = getattr(fix, "needles", None)
    return tuple(needles(context)) if needles is not None else fix.INFO.prefilter


def gate_of(repo: Repo, fix: Any) -> dict[str, bool]:
    """A fix's GATE (a `FactsSpec` whose gather says whether `scan` can find anything in a
    file, from its bytes: a prefilter no needle can express) by path: a file it says False
    of is not scanned. Gathered ahead with the facts, so the scan pass reads no such file."""
    try:
        return repo.facts_of(fix.GATE)
    except Exception:
        return {}  # a broken gate rules nothing out: the scans run (and report what breaks)


def _presence(repo: Repo, path: str, data: bytes, needles: tuple[bytes, ...]) -> tuple:
    """A file's presence outcome: which needles it holds, or why it is skipped."""
    try:
        source_file = repo.file_of(path, data)
    except SkipFile as reason:
        return ("skip", str(reason))
    return ("present", source_file.holds(needles))


def _carries_secrets(outcome: tuple) -> bool:
    """Secret values never reach the on-disk cache."""
    return outcome[0] == "ok" and any(finding.secrets for finding in outcome[1])


def _without_secrets(outcome: tuple, data: bytes) -> tuple | None:
    """The form of an "ok" outcome whose findings carry secret values that the cache may
    hold: the findings without those values, and for each the byte span in the file where
    the value is (`_with_secrets` reads them from there again: the row is the file's
    content's). None, and the outcome is not cached, when a value is not in the bytes as it
    is (an escape in it) or the rest of the outcome still holds one."""
    findings, spans, values = [], [], set()
    for finding in outcome[1]:
        where = []
        for value in finding.secrets:
            try:
                raw = value.encode("utf-8")
            except UnicodeError:
                return None
            start = data.find(raw) if raw else -1
            if start < 0:
                return None
            where.append((start, start + len(raw)))
            values.add(raw)
        findings.append(replace(finding, secrets=()))
        spans.append(tuple(where))
    stored = (SECRETS_AT, findings, tuple(spans), outcome[2])
    held = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)  # (strings pickle as their UTF-8)
    return None if any(raw in held for raw in values) else stored


def _with_secrets(repo: Repo, path: str, stored: tuple) -> tuple | None:
    """The outcome `_without_secrets` stored, its secret values read from the file again;
    None when they cannot be (the outcome is then computed again), or when the bytes read
    are not the content the row is for (the file changed on disk since it was listed)."""
    try:
        data = repo.file(path).data
        if blob_id(data) != repo.blob(path):
            return None
        findings = [replace(finding, secrets=tuple(data[start:end].decode("utf-8") for start, end in where))
                    for finding, where in zip(stored[1], stored[2], strict=True)
                    if all(end <= len(data) for _, end in where)]
    except (SkipFile, UnicodeError, ValueError):
        return None
    return ("ok", findings, stored[3]) if len(findings) == len(stored[1]) else None


def _digest_or_none(value: Any) -> str | None:
    try:
        return stable_digest(value)
    except TypeError:
        return None  # a context we cannot key: computed every time, never cached


def _scan_one(repo: Repo, path: str, fixes: list[tuple[Any, Any]], wanted: dict[str, list[int]],
              needles: tuple[bytes, ...] = (), follow: list[list[Any]] | None = None) -> dict[int, Any]:
    """One file, every fix that wants it: read and parse once. Slot PRESENCE says which
    prefilter needles the file holds (or why it cannot be read); slot FOLLOW, with
    `follow` (each fix's facts specs), what became of each fix's edits of the file."""
    indexes = wanted[path]
    try:
        source_file = repo.file(path)
    except SkipFile as reason:
        skipped = ("skip", str(reason))
        return {PRESENCE: skipped, **{index: skipped for index in indexes}}
    present = source_file.holds(needles)
    results: dict[int, tuple] = {PRESENCE: ("present", present)}
    for index in indexes:
        fix, context = fixes[index]
        prefilter = prefilter_of(fix, context)
        if prefilter and present.isdisjoint(prefilter):
            results[index] = ("filtered",)
            continue
        try:
            found = list(fix.scan(source_file, context))
            # the parse-error count before editing, so verification need not parse it again
            errors = typescript.error_count(source_file.tree) if source_file.kind in CODE_KINDS and any(
                change.path == path for finding in found for change in finding.changes) else None
            results[index] = ("ok", found, errors)
            if _carries_secrets(results[index]):
                results.setdefault(STORED, {})[index] = _without_secrets(results[index], source_file.data)
        except ParseError as reason:
            results[index] = ("skip", str(reason))
        except SkipFile as reason:  # raised by the fix: it leaves this file alone, others may not
            results[index] = ("left-alone", str(reason))
        except Exception as error:
            problem = _internal(fix.INFO.id, path, error)
            results[index] = ("error", problem.message, problem.detail)
    if follow is not None:
        follow_ups = {}
        for index in indexes:
            if results[index][0] == "ok" and results[index][2] is not None:
                follow_up = _follow_through(source_file, *fixes[index], results[index], follow[index])
                if follow_up is not None:
                    follow_ups[index] = follow_up
        results[FOLLOW] = follow_ups
    return results


def _follow_through(source_file: Any, fix: Any, context: Any, outcome: tuple, specs: list[Any]) -> _FollowUp | None:
    """Apply the fix's edits of this file, verify them on an incremental re-parse, and on
    that parse gather the fix's facts and scan the edited file again (as the idempotency
    check will want). None when the file's changes are not plain edits or do not apply
    (the usual path reports that)."""
    path = source_file.path
    found = sorted(outcome[1], key=lambda finding: (finding.line, finding.col))  # the run's order (_settle)
    edits = [change for finding in found for change in finding.changes if change.path == path]
    if not edits or not all(isinstance(edit, Edit) for edit in edits):
        return None
    try:
        after = edit_ops.apply(source_file.data, edits)
        fixed = source_file.repo.file_of(path, after)
    except (edit_ops.Conflict, SkipFile):
        return None
    if after == source_file.data:
        return None
    placed = verify.after_spans(edits, len(source_file.data), source_file.text.eol, source_file.data)
    spans = [(edit.start, edit.end, start, end) for edit, start, end in placed]
    fixed.__dict__["tree"] = typescript.reparse(source_file.tree, source_file.data, after, spans, source_file.kind)
    problem = verify.check(path, source_file.data, after, edits, outcome[2], typescript.error_count(fixed.tree),
                           source_file.kind)
    facts = gather_file(fixed, specs, [spec.key for spec in specs])
    again = None
    if problem is None:
        prefilter = prefilter_of(fix, context)
        if prefilter and not any(needle in after for needle in prefilter):
            again = ("filtered",)
        else:
            try:
                again = ("ok", list(fix.scan(fixed, context)))
            except Exception:
                again = None  # the idempotency check scans it again and reports what happens
    diff = None
    if problem is None:  # made here, on all cores, not one by one as the dry run prints
        entry = source_file.repo.entry(path)
        change = FileChange(path, source_file.data, after, entry.mode if entry else "100644")
        diff = file_diff(source_file.repo.git_path(path), change)
    return _FollowUp(tuple(edits), after, problem, facts, again, diff, secrets_in(source_file))


def _internal(fix_id: str, path: str, error: Exception) -> Problem:
    """An exception in a fix. Its text can quote the file (a secret, even), so only its type
    is in the message; the text and traceback are in `detail`, shown with --debug."""
    where = f" on {path}" if path else ""
    message = f"internal error in {fix_id}{where}: {type(error).__name__} (run with --debug for details)"
    return Problem(path, message, traceback.format_exc())


def _materialize(repo: Repo, run: FixRun, follow: dict[str, _FollowUp] | None = None) -> dict[str, FileChange]:
    by_path: dict[str, list[Any]] = defaultdict(list)
    for finding in run.findings:
        for change in finding.changes:
            by_path[change.path].append(change)
    outcomes: dict[str, FileChange | str | None] = {}
    for path, items in by_path.items():
        follow_up = (follow or {}).get(path)
        if follow_up is not None and follow_up.edits == tuple(items):  # done already, by the scan's worker
            entry = repo.entry(path)
            outcomes[path] = follow_up.problem or FileChange(path, repo.file(path).data, follow_up.after,
                                                              entry.mode if entry else "100644", follow_up.diff)
    rest = sorted(path for path in by_path if path not in outcomes)
    outcomes.update(map_paths(repo, rest, partial(_change_one, by_path=by_path)))
    changes: dict[str, FileChange] = {}
    for path in sorted(outcomes):
        outcome = outcomes[path]
        if isinstance(outcome, str):
            run.problems.append(Problem(path, f"{run.info.id}: {outcome}; no change made to this file"))
            run.dropped.add(path)
        elif outcome is not None:
            changes[path] = outcome
    _withdraw_partners(run, changes)
    return changes


def _withdraw_partners(run: FixRun, changes: dict[str, FileChange]) -> None:
    """A finding's changes stand or fall together, across files too: where one of its files
    could not be changed, its other files are not changed either (a base compose file losing
    the settings its new override would have held), and so on for the findings sharing those."""
    while True:
        partners = {change.path: {c.path for c in finding.changes if c.path in run.dropped}
                    for finding in run.findings if any(c.path in run.dropped for c in finding.changes)
                    for change in finding.changes if change.path not in run.dropped}
        if not partners:
            return
        for path, failed in sorted(partners.items()):
            run.problems.append(Problem(path, f"{run.info.id}: goes with the change to {', '.join(sorted(failed))}, "
                                              "which could not be made; no change made to this file"))
            run.dropped.add(path)
            changes.pop(path, None)


def _change_one(repo: Repo, path: str, by_path: dict[str, list[Any]]) -> FileChange | str | None:
    try:
        return _file_change(repo, path, by_path[path])
    except _Rejected as reason:
        return str(reason)
    except Exception as error:  # verification itself failed: never write what we could not check
        return f"could not verify the change ({type(error).__name__}: {error})"


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
        if repo.untracked_on_disk(path):  # (git replaces an ignored file when the branch is checked out, and deletes it after)
            raise _Rejected("your checkout has a file there that git ignores or does not track: the commit would "
                            "replace it when the branch is checked out; move it aside or merge it by hand")
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
    problem = verify.check(path, source_file.data, after, edit_list, repo.errors_before.get(path), kind=source_file.kind)
    if problem:
        raise _Rejected(problem)
    entry = repo.entry(path)
    return FileChange(path, source_file.data, after, entry.mode if entry else "100644")


def _check_idempotent(repo: Repo, job: _Job) -> None:
    """Run the fix again on its own output: it must want to change nothing."""
    run = job.run
    fixed = repo.overlay({path: change.after for path, change in run.changes.items()})
    second = FixRun(run.info, job.options)
    done = {path: follow_up for path, follow_up in job.follow.items()
            if path in run.changes and run.changes[path].after == follow_up.after}
    if done and fixed.structure_digest == repo.structure_digest:  # what the scan's worker saw still holds
        fixed.seeded = {path: follow_up.facts for path, follow_up in done.items()}
    else:
        done = {}
    try:
        _gather_ahead(fixed, [(job.fix, job.options)])
        context_again = prepare(job.fix, fixed, job.options)
        try:
            same_context = bool(context_again == job.context)
        except Exception:
            same_context = False
        only = {p for p, c in run.changes.items() if c.after is not None} if same_context else None
        again_job = _Job(job.fix, job.options, context_again, second)
        if only is not None:
            for path, follow_up in done.items():
                if follow_up.again is not None:
                    only.discard(path)
                    second.findings.extend(follow_up.again[1] if follow_up.again[0] == "ok" else [])
        _scan(fixed, [again_job], only)
        second.findings.extend(finish(job.fix, fixed, context_again, second.findings))
        second.findings = ignores.apply(fixed, job.fix.INFO.id, second.findings)[0]  # as the first run did
    except Exception as error:
        run.problems.append(_internal(run.info.id, "", error))
        return
    again = sorted(_materialize(fixed, second))
    run.problems.extend(p for p in second.problems if p not in run.problems)  # (the same refusal, met again)
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
