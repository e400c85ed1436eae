"""What the user reads: findings, diffs, summaries, commit messages, JSON."""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import shlex
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from fixer import __version__, docs
from fixer import diffs
from fixer.diffs import file_diff
from fixer import edits as edit_ops
from fixer.parsing import envfile
from fixer.parsing.text import Text
from fixer.redact import VISIBLE, mask, redact
from fixer.model import Edit, Finding
from fixer.repo import Repo, classify
from fixer.runner import FileChange, FixRun

# --- diffs --------------------------------------------------------------------------

_RED, _GREEN, _CYAN, _BOLD, _RESET = b"\x1b[31m", b"\x1b[32m", b"\x1b[36m", b"\x1b[1m", b"\x1b[0m"


def colorize(diff: bytes) -> bytes:
    out = []
    for line in diff.splitlines(keepends=True):
        body = line.rstrip(b"\r\n")
        end = line[len(body):]
        if line.startswith((b"diff --git", b"--- ", b"+++ ", b"new file", b"deleted file")):
            out.append(_BOLD + body + _RESET + end)
        elif line.startswith(b"@@"):
            out.append(_CYAN + body + _RESET + end)
        elif line.startswith(b"-"):
            out.append(_RED + body + _RESET + end)
        elif line.startswith(b"+"):
            out.append(_GREEN + body + _RESET + end)
        else:
            out.append(line)
    return b"".join(out)


def run_diff(run: FixRun, repo: Repo, show_secrets: bool = False) -> bytes:
    """The diff of a whole run, paths relative to the git top level (so it applies with `git apply`).
    Secret values are redacted unless `show_secrets` (then it is the raw, applicable diff)."""
    if not show_secrets:
        shown = {path: _values_masked(path, change) for path, change in sorted(run.changes.items())}
        return redact(b"".join(change.diff if change.diff is not None else file_diff(repo.git_path(path), change)
                               for path, change in shown.items()), run.secrets)
    return b"".join(change.diff if change.diff is not None else file_diff(repo.git_path(path), change)
                    for path, change in sorted(run.changes.items()))


def masked_patch(data: bytes, run: FixRun, repo: Repo) -> bytes:
    """A `git format-patch` of a run's commit as the redacted diff shows it: the env files it
    removes from git have every line masked (`_values_masked`), as in a dry run, and the
    run's secret values are redacted everywhere else."""
    for path, change in run.changes.items():
        masked = _values_masked(path, change)
        if masked is change:
            continue
        git_path = repo.git_path(path)
        headers = [b"diff --git %s %s\n" % tuple(diffs.quoted_name(prefix + git_path, quote_8bit) for prefix in ("a/", "b/"))
                   for quote_8bit in (False, True)]  # (git quotes non-ASCII names unless core.quotePath is off)
        start = next((at for header in headers if (at := data.find(header)) >= 0), -1)
        if start < 0:  # fail closed: a patch whose .env lines cannot be masked is not written
            raise ValueError(f"cannot find {path} in the patch to mask its lines")
        hunk = data.find(b"\n@@ ", start)
        end = data.find(b"\ndiff --git ", hunk + 1)
        trailer = data.find(b"\n-- \n", hunk + 1)  # format-patch's signature line ends the last file
        end = min(at for at in (end, trailer, len(data)) if at >= 0)
        shown = file_diff(git_path, masked)
        data = data[: hunk + 1] + shown[shown.find(b"@@ "):].rstrip(b"\n") + data[end:]
    return redact(data, run.secrets)


# A key is a name: short, and words with digits only at their ends (`S3_BUCKET`, `OAUTH2_ID`,
# `apiKey`); `dGhpc2lz…=`, `sk_live_…=` or `AKIA…:` before a separator are values, not keys.
_NAME = rb"[_.-]*[A-Za-z]+[0-9]*(?:[_.-]+(?:[A-Za-z]+[0-9]*|[0-9]+))*[_.-]*"
_LINE_LEAD = re.compile(rb"(?:\xef\xbb\xbf)?[ \t]*(?:#+[ \t]*)?(?:(?:export[ \t]+)?(?=[A-Za-z0-9_.-]{1,64}[ \t]*[:=])"
                        + _NAME + rb"[ \t]*[:=][ \t]*)?")


def _values_masked(path: str, change: FileChange) -> FileChange:
    """An env file that leaves git (`.env`: it holds a deployment's values) as the redacted diff
    shows it: its lines as they are, every value that is or might be a secret masked (the secrets
    fix's `masked_in_a_diff`: not only those it knew for secrets) inside its quotes, and a comment
    that might hold one after its `# `. A line that is neither an assignment nor a comment
    (`KEY: value`, a bare value) is masked after its lead (`KEY: `, where KEY is a name) and
    first few characters: fail closed."""
    if change.kind != "untracked" or classify(path) != "env" or not change.before:
        return change
    from transforms.secrets import masked_in_a_diff  # (the secrets fix's verdict: guarantee 8)

    data = change.before
    entries = [e for e in [*envfile.parse(data), *envfile.commented(data)] if len(e.key) <= 64 and re.fullmatch(_NAME, e.key.encode())]
    edits = [_masked_value(path, data, e.value_start, e.value_end, e.value, shown) for e in entries
             if len(e.value) > VISIBLE and (shown := masked_in_a_diff(e.key, e.value)) is not None]
    text = Text(data)
    covered = {n for e in entries for n in range(e.line, e.last_line + 1)}
    for number in range(1, len(text.line_starts) + 1):
        start, end = text.line_span(number)
        at = _LINE_LEAD.match(data, start, end).end()  # type: ignore[union-attr]
        rest = data[at:end].decode("utf-8", "replace")
        if number in covered or len(rest) <= VISIBLE:
            continue
        if _COMMENT_LINE.fullmatch(data, start, end) and masked_in_a_diff(None, rest, comment=True) is None:
            continue
        edits.append(Edit(path, at, end, mask(rest)))
    return dataclasses.replace(change, before=edit_ops.apply(data, edits), diff=None)


_COMMENT_LINE = re.compile(rb"(?:\xef\xbb\xbf)?[ \t]*#[^\r\n]*")


def _masked_value(path: str, data: bytes, start: int, end: int, value: str, shown: str) -> Edit:
    """A value as `shown` inside its quotes (`GITHUB_TOKEN="ghp_…(40 chars)"`: the line as it is);
    one the file spells otherwise (escapes, several lines) masked whole."""
    raw = data[start:end]
    if len(raw) >= 2 and raw[:1] in (b'"', b"'", b"`") and raw[-1:] == raw[:1]:
        start, end, raw = start + 1, end - 1, raw[1:-1]
    inner = raw.decode("utf-8", "replace")
    return Edit(path, start, end, shown if inner.strip() == value.strip() else mask(inner))


# --- paths --------------------------------------------------------------------------


def printable_path(path: str) -> str:
    """A path as a person reads it (text, markdown, commit messages: never JSON or SARIF), quoted
    as git quotes it (`diffs.quoted_name`): as it is when printable, else C-style in double quotes
    (`"api/new\\nline.js"`), so a name can neither split a line of the report nor drive the
    terminal (an escape sequence that hides or fakes lines). A name with a character no terminal
    shows as itself (a C1 control, a bidi override, a byte that is not UTF-8) has all its
    non-ASCII bytes escaped, as git's default `core.quotePath` does."""
    shown = path.isprintable()  # (False too for a name git listed that is not UTF-8: its surrogate escapes)
    return diffs.quoted_name(path, quote_8bit=not shown).decode("utf-8", "backslashreplace")


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable_text(text: str) -> str:
    """One line of a report (a finding's message, a checklist item's evidence) with any control
    character escaped (`\\n`, `\\x1b`, `\\u202e`): the text quotes what a repository holds (a
    path, a value), and no name may split the line or drive the terminal (`printable_path`)."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)


def markdown_code(text: str) -> str:
    """`text` as a markdown code span: fenced by more backticks than it holds in a row, padded
    with a space when it starts or ends with one (CommonMark strips one space each side)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def display_path(repo: Repo, path: str) -> str:
    """A path the user can click: relative to the current directory when below it (`printable_path`)."""
    return printable_path(_display_path(str(repo.root), path, os.getcwd()))


@lru_cache(maxsize=65536)  # an audit shows thousands of findings in a few hundred files
def _display_path(root: str, path: str, cwd: str) -> str:
    if root == cwd:
        return path  # (a repository path is normalized already: what relpath would make of it)
    full = Path(root) / path
    try:
        return os.path.relpath(full, cwd) if str(full).startswith(cwd) else str(full)
    except ValueError:
        return str(full)


# --- findings -----------------------------------------------------------------------


def findings_text(runs: list[FixRun], repo: Repo) -> str:
    lines = []
    for run in runs:
        if not run.findings and not run.problems:
            continue
        info = run.info
        lines.append(f"{info.id} — {info.title} ({info.audit}, week {info.week}, {info.severity})")
        reasons = Counter(_subject_and_reason(finding.message)[1] for finding in run.findings)
        told: dict[str, str] = {}  # a reason many places share, printed in full at its first place only
        for finding in run.findings:
            where = f"{display_path(repo, finding.path)}:{finding.line}:{finding.col}"
            mark = "" if finding.fixable else "  [needs a human]"
            message = finding.message
            subject, reason = _subject_and_reason(message)
            if reasons[reason] >= GROUPED_AT and len(reason) > TOLD_ONCE_PAST:
                if reason in told:
                    gist = re.split(r" \(|: |; |, ", reason, maxsplit=1)[0][:100]  # its first clause
                    message = (f"{subject}: " if subject else "") + f"{gist} … (as given at {told[reason]})"
                else:
                    told[reason] = f"{printable_path(finding.path)}:{finding.line}"
            lines.append(f"  {where}  {info.id}  {printable_text(message)}{mark}")
        for problem in run.problems:
            lines.append(f"  error: {problem.text}")
        lines.append("")
    return redact("\n".join(lines), {s for run in runs for s in run.secrets})


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "fix": finding.fix,
        "path": finding.path,
        "line": finding.line,
        "col": finding.col,
        "message": finding.message,
        "severity": finding.severity,
        "fixable": finding.fixable,
        "files": sorted({change.path for change in finding.changes}),
    }


def run_json(run: FixRun) -> dict[str, Any]:
    return {
        "fix": run.info.id,
        "title": run.info.title,
        "audit": run.info.audit,
        "week": run.info.week,
        "severity": run.info.severity,
        "safety": run.info.safety,
        "findings": [finding_json(f) for f in run.findings],
        "fixed": len(run.fixed),
        "files_changed": [{"path": p, "change": c.kind} for p, c in sorted(run.changes.items())],
        "skipped": [{"path": s.path, "reason": s.reason} for s in run.skips],
        "errors": [{"path": p.path, "message": p.message} for p in run.problems],
        "notes": run.notes,
    }


def audit_json(runs: list[FixRun], repo: Repo) -> str:
    document = {
        "fixer": __version__,
        "root": str(repo.root),
        "source": repo.source.label,
        "findings": [finding_json(f) for run in runs for f in run.findings],
        "fixes": [run_json(run) for run in runs],
    }
    return redact(json.dumps(document, indent=2, ensure_ascii=False), {s for run in runs for s in run.secrets})


def audit_report(runs: list[FixRun], repo: Repo, checklist: Any, history: list[str], fail_on: str,
                 failing: int, exit_code: int) -> str:
    """`fixer audit --format json`: audit_json's document plus the summary, the suppressed
    findings, the git history notes, the readiness checklist and the service table
    (documented field by field in docs/audit.md)."""
    from fixer.checklist import to_json

    findings = [f for run in runs for f in run.findings]
    severities = Counter(f.severity for f in findings)
    document = {
        "fixer": __version__,
        "root": str(repo.root),
        "source": repo.source.label,
        "summary": {
            "findings": len(findings),
            "by_severity": {s: severities[s] for s in ("critical", "high", "medium", "low", "info") if severities[s]},
            "fixable": sum(run.is_fixed(f) for run in runs for f in run.findings),
            "ignored": sum(len(run.ignored) for run in runs),
            "fail_on": fail_on,
            "failing": failing,
            "exit_code": exit_code,
        },
        "findings": [finding_json(f) for f in findings],
        "ignored": [finding_json(f) for run in runs for f in run.ignored],
        "fixes": [{**run_json(run), "ignored": len(run.ignored)} for run in runs],
        "history": history,
    }
    if checklist is not None:
        part = to_json(checklist)
        document["checklist"] = {"counts": part["counts"], "decided_nothing": part["decided_nothing"],
                                 "sections": part["sections"]}
        document["services"] = part["services"]
    secrets = {s for run in runs for s in run.secrets}
    return redact(json.dumps(document, indent=2, ensure_ascii=False), secrets)


# --- summaries ----------------------------------------------------------------------


def few(items: list[str], limit: int = 3) -> str:
    """`a, b, c`; past `limit`, the first ones and how many more (`a, b, c, … 47 more`; never "… 1 more")."""
    if len(items) <= limit + 1:
        return ", ".join(items)
    return f"{', '.join(items[:limit])}, … {len(items) - limit} more"


def left_lines(findings: Iterable[Finding], limit: int = 8) -> list[str]:
    """Findings left for a human, one line each ("path:line: message") — but a reason that stands
    for many places is told once, with the places after it (`limit` of them): the same reason, word
    for word, under a subject of its own at each place ("console.log: no logger fixer can log through
    (…)" on 800 calls of 17 services) would otherwise fill a screen per service, and a pull request
    body past GitHub's limit before its "How to verify" section."""
    groups: dict[str, list[tuple[Finding, str]]] = {}
    for finding in findings:
        subject, reason = _subject_and_reason(finding.message)
        groups.setdefault(reason, []).append((finding, subject))
    lines = []
    for reason, members in groups.items():
        if len(members) < GROUPED_AT:
            lines += [f"{printable_path(f.path)}:{f.line}: {f.message}" for f, _subject in members]
            continue
        places = [f"{printable_path(f.path)}:{f.line}" + (f" ({subject})" if subject else "")
                  for f, subject in members[:limit]]
        more = f", … {len(members) - limit} more" if len(members) > limit else ""
        lines.append(f"{len(members)} places: {reason} — at {', '.join(places)}{more}")
    return lines


GROUPED_AT = 3  # places sharing one reason before it is told once
TOLD_ONCE_PAST = 200  # the audit's line per finding: a reason longer than this is told at its first place only
# (what a finding did, "HEALTHCHECK calls localhost; now 127.0.0.1 (…)", stays on every line)


def _subject_and_reason(message: str) -> tuple[str, str]:
    """("console.log", "no logger …") of "console.log: no logger …": a leading word (code, a variable's
    name) before ": " is what the place is about; the rest is why. ("", message) for any other message."""
    head, colon, rest = message.partition(": ")
    if colon and rest and head and len(head) <= 60 and not any(c.isspace() for c in head):
        return head, rest
    return "", message


def summarize_skips(skips: Iterable[Any], limit: int = 8) -> list[str]:
    """Skipped files, grouped by reason, a few examples each."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for skip in skips:
        by_reason[skip.reason].append(printable_path(skip.path))
    lines = []
    for reason, paths in sorted(by_reason.items(), key=lambda item: -len(item[1])):
        lines.append(f"{len(paths)} skipped: {reason} — {few(paths, limit)}")
    return lines


UNTRACKED_LABEL = ("removed from git (`git rm --cached`): checking out or merging this commit deletes it from "
                   "the working tree, so copy it aside first and back after (it is ignored from then on)")


def run_summary(run: FixRun) -> str:
    changed = Counter(change.kind for change in run.changes.values())
    left = [f for f in run.findings if not run.is_fixed(f)]
    lines = [
        f"{run.info.id}: {len(run.findings)} finding(s), {len(run.fixed)} fixed; "
        f"{len(run.changes)} file(s) changed"
        + (" (" + ", ".join(f"{n} {kind}" for kind, n in sorted(changed.items())) + ")" if changed else "")
    ]
    lines += [f"  {note}" for note in run.notes]
    untracked = sorted(printable_path(path) for path, change in run.changes.items() if change.kind == "untracked")
    if untracked:
        lines.append(f"  {', '.join(untracked)}: {UNTRACKED_LABEL}; `git apply` of this diff deletes "
                     f"{'them' if len(untracked) > 1 else 'it'} too")
    lines += [f"  not fixed: {line}" for line in left_lines(left)]
    for problem in run.problems:
        lines.append(f"  error: {problem.text}")
    lines += ["  " + line for line in summarize_skips(run.skips)]
    return redact("\n".join(lines), run.secrets)


# --- commit messages ----------------------------------------------------------------


def commit_message(run: FixRun, module: Any, extra_trailers: dict[str, str] | None = None) -> str:
    info = run.info
    sections = docs.sections(module)
    per_file: dict[str, list[str]] = defaultdict(list)
    fixed = run.fixed
    shared = Counter(change for finding in fixed for change in set(finding.changes))
    for finding in fixed:
        # under the files of its own changes: a change it carries only to stand or fall with another
        # finding's (a compose file's edits beside the override that takes them) is told there
        own = {change.path for change in finding.changes if shared[change] == 1}
        for path in sorted(own or {change.path for change in finding.changes}):
            if path in run.changes:
                per_file[path].append(finding.message)
    body = [f"{info.id}: {info.title}", ""]
    body.append(f"Implements the production-readiness audit, {info.audit} (week {info.week}, {info.severity}, {info.safety} fix).")
    body.append("")
    why = sections.get("Why", "").strip()
    if why:
        body += ["Why:", why, ""]
    body.append("What changed:")
    for path, change in sorted(run.changes.items()):
        messages = Counter(per_file.get(path, []))
        detail = "; ".join(f"{m}" + (f" (x{n})" if n > 1 else "") for m, n in messages.items())
        label = {"new": "new file", "untracked": UNTRACKED_LABEL, "modified": ""}[change.kind]
        prefix = f"{printable_path(path)} ({label})" if label else printable_path(path)
        body.append(f"- {prefix}: {detail}" if detail else f"- {prefix}")
    if run.notes:
        body += ["", "Notes:"] + [f"- {note}" for note in run.notes]
    notes = [f"- {printable_path(f.path)}:{f.line}: {f.note}" for f in run.fixed if f.note]
    if notes:
        body += ["", "What to review:"] + notes
    left = [f for f in run.findings if not run.is_fixed(f)]
    if left:
        body += ["", "Left for a human (no automatic change):"]
        body += [f"- {line}" for line in left_lines(left, limit=20)]
    if run.problems:
        body += ["", "Errors (these files were not changed):"]
        body += [f"- {p.text}" for p in run.problems]
    skips = summarize_skips(run.skips, limit=5)
    if skips:
        body += ["", "Skipped:"] + [f"- {line}" for line in skips]
    body += ["", f"Fixer-Fix: {info.id}", f"Fixer-Version: {__version__}"]
    for key, value in (extra_trailers or {}).items():
        body.append(f"{key}: {value}")
    # A name git listed that is not UTF-8 (a skipped file's) is shown escaped, as Python shows it
    text = "\n".join(body).encode("utf-8", "backslashreplace").decode("utf-8")
    return redact(text + "\n", run.secrets)


# --- fixer plan: one step's commit message and pull request ---------------------------


def plan_part_line(part: int, total: int, stacked: bool, based_on: str, shared: dict[str, list[str]] | None = None) -> str:
    """Where a step sits in the plan: "Part 2 of 5 of the fixer plan, stacked: based on fixer/secrets; …"."""
    if stacked:
        line = f"Part {part} of {total} of the fixer plan, stacked: based on {based_on}"
        return line + ("; merge that first." if part > 1 else ".")
    line = f"Part {part} of {total} of the fixer plan, independent: based on {based_on}."
    if shared:
        line += ("\nOther branches of the plan change some of the same files: merge one, then re-run "
                 "`fixer plan --independent` to rebuild the other.")
        line += "".join(f"\n- {branch}: {', '.join(map(printable_path, paths))}" for branch, paths in sorted(shared.items()))
    return line


def verify_commands(run: FixRun, repo: Repo, branch: str, compare_to: str, limit: int = 5) -> list[str]:
    """Commands a reviewer can run to check a step's branch (paths from the git top level)."""
    from fixer.repo import classify

    paths = sorted(path for path, change in run.changes.items() if change.after is not None)
    commands = [f"git diff {compare_to}...{branch}"]
    projects = sorted({_tsconfig_of(repo, path) or "" for path in paths if classify(path) in ("ts", "tsx")})
    commands += _capped([f"npx tsc --noEmit -p {_shell_path(p)}" if p else "npx tsc --noEmit" for p in projects], limit)
    commands += _capped([f"node --check {_shell_path(repo.git_path(p))}" for p in paths if repo.kind(p) == "js"], limit)
    contexts = {c.dockerfile: c.context for c in repo.compose_services if c.dockerfile and c.context is not None}
    commands += _capped([f"docker build -f {_shell_path(repo.git_path(p))} "
                          f"{_shell_path(repo.git_path(contexts.get(p, posixpath.dirname(p))) or '.')}"
                         for p in paths if classify(p) == "dockerfile"], limit)
    composes = []
    for path in [p for p in paths if classify(p) == "compose" or p in repo.compose_files]:
        if classify(path) != "compose":  # (`include:`d or extended: checked as the files that pull it in read it)
            composes += [f"docker compose -f {_shell_path(repo.git_path(root))} config --quiet"
                         for root in repo.compose_roots(path)]
            continue
        files = [path]
        if "override" in posixpath.basename(path):
            siblings = (posixpath.join(posixpath.dirname(path), name) for name in
                        ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"))
            main = next((sibling for sibling in siblings if repo.exists(sibling)), None)
            files = [main, path] if main else files
        composes.append("docker compose " + " ".join(f"-f {_shell_path(repo.git_path(f))}" for f in files) + " config --quiet")
    commands += _capped(list(dict.fromkeys(composes)), limit)
    where = repo.prefix.rstrip("/") or "."
    commands.append(f"fixer apply --fix {run.info.id} --dry-run --base {branch} {where}   # no diff: nothing left to fix")
    return commands


def _shell_path(path: str) -> str:
    """A path as one shell word a reviewer can paste: as it is when plain, single-quoted when it
    holds a space or a shell character, and in bash's `$'…'` with C escapes when it holds what
    no terminal shows (`printable_path`)."""
    if not path.isprintable():
        inner = diffs.quoted_name(path, quote_8bit=True).decode("ascii")[1:-1]
        return "$'" + inner.replace("'", "\\'") + "'"
    return shlex.quote(path)


def _capped(commands: list[str], limit: int) -> list[str]:
    if len(commands) <= limit:
        return commands
    return commands[:limit] + [f"… and {len(commands) - limit} more like these"]


def _tsconfig_of(repo: Repo, path: str) -> str | None:
    """The nearest tsconfig.json above a file (its TypeScript project)."""
    directory = posixpath.dirname(path)
    while True:
        candidate = posixpath.join(directory, "tsconfig.json")
        if repo.exists(candidate):
            return repo.git_path(candidate)
        if not directory:
            return None
        directory = posixpath.dirname(directory)


def plan_commit_message(run: FixRun, module: Any, *, part_line: str, verify: list[str],
                        extra_trailers: dict[str, str] | None = None) -> str:
    """`commit_message` for one step of `fixer plan`: the plan's part line after the audit line,
    change counts, the fix-safety text for review fixes, and how to verify before the trailers.
    The same text (without the trailers) is the step's pull request body."""
    message = commit_message(run, module, extra_trailers)
    head, marker, trailers = message.rpartition(f"\n\n{TRAILER_PREFIX}")
    if not marker:
        head, trailers = message.rstrip("\n"), ""
    subject, _, rest = head.partition("\n\n")
    audit_line, _, rest = rest.partition("\n\n")
    kinds = Counter(change.kind for change in run.changes.values())
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    rest = rest.replace("What changed:\n", f"What changed ({len(run.fixed)} finding(s) fixed in "
                                           f"{len(run.changes)} file(s): {counts}):\n", 1)
    sections = [subject, audit_line, part_line, rest]
    if run.info.safety == "review":
        safety = docs.sections(module).get("Fix safety", "").strip()
        if safety:
            sections.append("Review fix — what the reviewer owns:\n" + safety)
    sections.append("How to verify:\n" + "\n".join(f"- {command}" for command in verify))
    text = "\n\n".join(section for section in sections if section)
    if trailers:
        text += f"\n\n{TRAILER_PREFIX}{trailers}"
    return redact(text.rstrip("\n") + "\n", run.secrets)


TRAILER_PREFIX = "Fixer-Fix: "
PULL_REQUEST_BODY_LIMIT = 60_000  # GitHub refuses bodies over 65,536 characters


def pull_request(message: str, secrets: Iterable[str] = ()) -> tuple[str, str]:
    """(title, body) of a step's pull request: the commit's subject, and its body without the
    trailers (GitHub links "based on fixer/x" to that branch's pull request once it knows it)."""
    subject, _, body = message.partition("\n\n")
    head, marker, _trailers = body.rpartition(f"\n\n{TRAILER_PREFIX}")
    body = head if marker else body
    if len(body) > PULL_REQUEST_BODY_LIMIT:
        cut = body.rfind("\n", 0, PULL_REQUEST_BODY_LIMIT)
        body = body[:cut] + "\n\n… (cut to fit GitHub's limit: the commit message has the full text)"
    body = body.rstrip("\n") + (
        f"\n\n---\nMade by `fixer plan` (fixer {__version__}). Re-running the plan updates this branch and pull "
        "request as long as only fixer has committed to the branch; push a commit here and fixer leaves it alone.\n"
    )
    return redact(subject.strip(), secrets), redact(body, secrets)
