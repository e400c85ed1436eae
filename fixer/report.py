"""What the user reads: findings, diffs, summaries, commit messages, JSON."""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from fixer import __version__, docs
from fixer.redact import redact
from fixer.model import Finding
from fixer.repo import Repo
from fixer.runner import FileChange, FixRun

# --- diffs --------------------------------------------------------------------------

_RED, _GREEN, _CYAN, _BOLD, _RESET = b"\x1b[31m", b"\x1b[32m", b"\x1b[36m", b"\x1b[1m", b"\x1b[0m"


def _lines(data: bytes) -> list[bytes]:
    """Lines with their endings kept; only "\\n" ends a line (as in git)."""
    if not data:
        return []
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def file_diff(path: str, change: FileChange, context: int = 3) -> bytes:
    """A git-style unified diff of one change that `git apply` accepts."""
    quoted = path
    out = [f"diff --git a/{quoted} b/{quoted}\n".encode()]
    before = change.before or b""
    after = change.after or b""
    if change.before is None:
        out.append(f"new file mode {change.mode}\n".encode())
        out += [b"--- /dev/null\n", f"+++ b/{quoted}\n".encode()]
    elif change.after is None:
        out.append(f"deleted file mode {change.mode}\n".encode())
        out += [f"--- a/{quoted}\n".encode(), b"+++ /dev/null\n"]
    else:
        out += [f"--- a/{quoted}\n".encode(), f"+++ b/{quoted}\n".encode()]
    old, new = _lines(before), _lines(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n".encode())
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [_diff_line(b" ", line) for line in old[i1:i2]]
                continue
            out += [_diff_line(b"-", line) for line in old[i1:i2]]
            out += [_diff_line(b"+", line) for line in new[j1:j2]]
    return b"".join(out)


def _diff_line(prefix: bytes, line: bytes) -> bytes:
    if line.endswith(b"\n"):
        return prefix + line
    return prefix + line + b"\n\\ No newline at end of file\n"


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
    diff = b"".join(file_diff(repo.git_path(path), change) for path, change in sorted(run.changes.items()))
    return diff if show_secrets else redact(diff, run.secrets)


# --- paths --------------------------------------------------------------------------


def display_path(repo: Repo, path: str) -> str:
    """A path the user can click: relative to the current directory when below it."""
    full = repo.root / path
    try:
        return os.path.relpath(full, Path.cwd()) if str(full).startswith(str(Path.cwd())) else str(full)
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
        for finding in run.findings:
            where = f"{display_path(repo, finding.path)}:{finding.line}:{finding.col}"
            mark = "" if finding.fixable else "  [needs a human]"
            lines.append(f"  {where}  {info.id}  {finding.message}{mark}")
        for problem in run.problems:
            lines.append(f"  error: {problem.message}")
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


# --- summaries ----------------------------------------------------------------------


def summarize_skips(skips: Iterable[Any], limit: int = 8) -> list[str]:
    """Skipped files, grouped by reason, a few examples each."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for skip in skips:
        by_reason[skip.reason].append(skip.path)
    lines = []
    for reason, paths in sorted(by_reason.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(paths[:limit]) + (f", … {len(paths) - limit} more" if len(paths) > limit else "")
        lines.append(f"{len(paths)} skipped: {reason} — {shown}")
    return lines


def run_summary(run: FixRun) -> str:
    changed = Counter(change.kind for change in run.changes.values())
    left = [f for f in run.findings if not run.is_fixed(f)]
    lines = [
        f"{run.info.id}: {len(run.findings)} finding(s), {len(run.fixed)} fixed; "
        f"{len(run.changes)} file(s) changed"
        + (" (" + ", ".join(f"{n} {kind}" for kind, n in sorted(changed.items())) + ")" if changed else "")
    ]
    lines += [f"  {note}" for note in run.notes]
    for finding in left:
        lines.append(f"  not fixed: {finding.path}:{finding.line}: {finding.message}")
    for problem in run.problems:
        lines.append(f"  error: {problem.message}")
    lines += ["  " + line for line in summarize_skips(run.skips)]
    return redact("\n".join(lines), run.secrets)


# --- commit messages ----------------------------------------------------------------


def commit_message(run: FixRun, module: Any, extra_trailers: dict[str, str] | None = None) -> str:
    info = run.info
    sections = docs.sections(module)
    per_file: dict[str, list[str]] = defaultdict(list)
    for finding in run.fixed:
        for path in sorted({change.path for change in finding.changes}):
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
        label = {"new": "new file", "untracked": "removed from git, kept on disk", "modified": ""}[change.kind]
        prefix = f"{path} ({label})" if label else path
        body.append(f"- {prefix}: {detail}" if detail else f"- {prefix}")
    if run.notes:
        body += ["", "Notes:"] + [f"- {note}" for note in run.notes]
    notes = [f"- {f.path}:{f.line}: {f.note}" for f in run.fixed if f.note]
    if notes:
        body += ["", "What to review:"] + notes
    left = [f for f in run.findings if not run.is_fixed(f)]
    if left:
        body += ["", "Left for a human (no automatic change):"]
        body += [f"- {f.path}:{f.line}: {f.message}" for f in left]
    if run.problems:
        body += ["", "Errors (these files were not changed):"]
        body += [f"- {p.message}" for p in run.problems]
    skips = summarize_skips(run.skips, limit=5)
    if skips:
        body += ["", "Skipped:"] + [f"- {line}" for line in skips]
    body += ["", f"Fixer-Fix: {info.id}", f"Fixer-Version: {__version__}"]
    for key, value in (extra_trailers or {}).items():
        body.append(f"{key}: {value}")
    return redact("\n".join(body) + "\n", run.secrets)
