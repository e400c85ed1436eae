"""The `fixer` command: parse arguments, call the runner, print. No fix logic lives here.

Exit codes: 0 success (audit: no findings); 1 audit found something; 2 usage error
(unknown fix, missing path, not a repository, existing branch…); 3 some file or fix
failed (reported; the rest of the run went on).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any, Optional

import typer

from fixer import __version__, config as config_mod, docs, history, memo, report
from fixer.errors import FixerError, UsageError
from fixer.redact import redact
from fixer.gitops import UNSIGNED_NOTE, GitRepo, TreeChange, _identity_fallback, signs_commits
from fixer.model import Skip, describe, prepare
from fixer.repo import Repo, open_repo, refuse_git_internals
from fixer.cache import open_cache
from fixer.runner import FixRun, run_fix, run_fixes

app = typer.Typer(
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Find and fix the production-readiness defects of a Node.js/TypeScript microservice monorepo, "
    "one reviewable git branch per fix, in the audit's priority order.",
)

_state: dict[str, Any] = {"debug": False}


def _registry() -> dict[str, Any]:
    from transforms import registry

    return registry()


def _split_ids(values: list[str]) -> list[str]:
    """Ids from repeated and comma-separated options; an option that names none is an error
    (`--fix "$EMPTY"` in a script must not mean every fix)."""
    ids = [item.strip() for value in values for item in value.split(",") if item.strip()]
    if not ids:
        raise UsageError("no fix named; give one or more ids (`fixer list` shows them)")
    return ids


def _module(fix_id: str) -> Any:
    modules = _registry()
    if fix_id not in modules:
        raise UsageError(f"unknown fix {fix_id!r}; known fixes: {', '.join(modules)}")
    return modules[fix_id]


def _root(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"{path}: no such directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory (give the repository's root directory)")
    root = path.resolve()
    workspace = _workspace_root(root)
    if workspace is not None:
        _err(f"fixer: note: reading {workspace[0]}, the monorepo's root ({workspace[1]}), not only {root}: "
             "its services, compose files and .fixer.toml, and the fix branches hold every app's edits")
        return workspace[0]
    enclosing = _enclosing_monorepo(root)
    if enclosing is not None:
        _err(f"fixer: note: reading {path} as the monorepo's root; {enclosing[0]} above it has {enclosing[1]}: "
             "give that directory to read the whole monorepo (its services, compose files and .fixer.toml)")
    return root


MONOREPO_MARKERS = ("package.json", "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml",
                    ".fixer.toml", "tsconfig.json", "tsconfig.base.json", "pnpm-workspace.yaml", "turbo.json", "nx.json",
                    "lerna.json")


def _workspace_root(root: Path) -> tuple[Path, str] | None:
    """The directory fixer reads instead of PATH: the nearest one above PATH, in PATH's own git
    repository (no `.git` between them), whose configuration declares a workspace of several
    projects — `pnpm-workspace.yaml`, `nx.json`, `lerna.json`, `rush.json`, a `turbo.json` that
    extends no other, a `package.json` with `workspaces`, a `nest-cli.json` with `monorepo` or
    `projects` — with what says so; None when PATH itself is one (or is the git repository's
    top), or none is found. In such a monorepo an app directory is not a root of its own (a
    NestJS or Nx app often has no package.json): read alone, the services, compose files and
    path aliases it shares are missing, and `plan` would make the branches of the whole
    repository from that partial view. Outside a git repository nothing is climbed (no
    repository says where the project ends); a plain `package.json`, a compose file or a
    shared tsconfig above PATH only gets a note (`_enclosing_monorepo`): a service may be read
    on its own."""
    if (root / ".git").exists() or _declares_workspace(root):
        return None
    top = next((directory for directory in root.parents if (directory / ".git").exists()), None)
    if top is None:
        return None
    for directory in root.parents:
        marker = _declares_workspace(directory)
        if marker is not None:
            return directory, marker
        if directory == top:
            return None
    return None


def _declares_workspace(directory: Path) -> str | None:
    """What in `directory` declares a workspace of several projects (see `_workspace_root`), or None."""
    for name in ("pnpm-workspace.yaml", "nx.json", "lerna.json", "rush.json"):
        if (directory / name).is_file():
            return f"it has {name}"
    turbo = _read_text(directory / "turbo.json")
    if turbo is not None and '"extends"' not in turbo:  # (a package's own turbo.json extends the root's)
        return "it has turbo.json"
    for name, keys in (("package.json", ("workspaces",)), ("nest-cli.json", ("monorepo", "projects"))):
        try:
            document = json.loads(_read_text(directory / name) or "null")
        except ValueError:
            continue
        if isinstance(document, dict) and any(document.get(key) for key in keys):
            key = next(key for key in keys if document.get(key))
            return f"its {name} has {key!r}"
    return None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    except OSError:
        return None


def _enclosing_monorepo(root: Path) -> tuple[Path, str] | None:
    """A directory between `root` and the top of its git repository that looks like a
    monorepo's root (PATH is then likely one of its subdirectories, and services, compose
    files and configuration above PATH are not read). A monorepo kept in a subdirectory of
    a bigger repository (the sample in fixer's own) has none above it."""
    if (root / ".git").exists():
        return None
    for directory in root.parents:
        marker = next((name for name in MONOREPO_MARKERS if (directory / name).is_file()), None)
        if marker is not None:
            return directory, marker
        if (directory / ".git").exists():
            return None
    return None


def _use_color(no_color: bool, stream: Any = None) -> bool:
    stream = stream or sys.stdout
    return not no_color and "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _err(text: str) -> None:
    sys.stdout.flush()
    print(text, file=sys.stderr, flush=True)


def _out_bytes(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _version(value: bool) -> None:
    if value:
        print(f"fixer {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for internal errors."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the per-file results cache."),
) -> None:
    _state["debug"] = debug
    _state["no_cache"] = no_cache


def _open(root: Path, config: config_mod.Config, **kwargs: Any) -> Repo:
    """The repository, with the results cache unless --no-cache."""
    repo = open_repo(root, config, **kwargs)
    repo.cache = open_cache(not _state.get("no_cache", False))
    return repo


# --- list / show --------------------------------------------------------------------


@app.command("list")
def list_fixes(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Every registered fix, in the audit's priority order."""
    modules = _registry()
    rows = [m.INFO for m in modules.values()]
    if as_json:
        print(json.dumps([
            {"order": i.order, "id": i.id, "audit": i.audit, "week": i.week, "severity": i.severity,
             "safety": i.safety, "title": i.title} for i in rows
        ], indent=2))
        return
    from rich.console import Console  # imported where used: rich costs 30 ms, every command would pay it
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200)
    cells = {"order": [str(i.order) for i in rows], "id": [i.id for i in rows], "audit": [i.audit for i in rows],
             "week": [str(i.week) for i in rows], "severity": [i.severity for i in rows],
             "safety": [i.safety for i in rows], "title": [i.title for i in rows]}
    # The id is what `--fix` takes: never cut or broken. The title (and the audit reference)
    # wrap; on a terminal too narrow for the short columns and a readable title, the least
    # needed columns are left out (audit, week, safety, severity, order: `--json` has them all).
    shown = list(cells)
    for dropped in ("audit", "week", "safety", "severity", "order"):
        fixed = sum(max(len(name), *map(len, cells[name])) + 2 for name in shown if name not in ("audit", "title"))
        if fixed + ("audit" in shown) * 12 + 24 <= console.width:
            break
        shown.remove(dropped)
    table = Table(box=None, pad_edge=False)
    for name in shown:
        wraps = name in ("audit", "title")
        table.add_column(name, no_wrap=not wraps, overflow="fold" if wraps else "ellipsis",
                         min_width=None if wraps else max(len(name), *map(len, cells[name])))
    for index in range(len(rows)):
        table.add_row(*(cells[name][index] for name in shown))
    console.print(table)


@app.command()
def show(
    fix_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="A fix id from `fixer list` (none: list them)."),
    path: Optional[Path] = typer.Argument(None, help="A repository: also show what the fix infers about it."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the raw Markdown (the doc page's text)."),
) -> None:
    """What a fix does, why, an example, and how safe it is (and, given PATH, what it infers there);
    without ID, the fixes (as `fixer list`)."""
    if fix_id is None:
        list_fixes(as_json=False)
        return
    module = _module(fix_id)
    text = docs.render_markdown(module)
    if path is not None:
        root = _root(path)
        config = config_mod.load(root, _registry())
        repo = _open(root, config, working_tree=True)
        context = prepare(module, repo, config_mod.options_for(module.INFO, config))
        notes = describe(module, context) or ["nothing to infer"]
        text += f"\n## In {root}\n\n" + "\n".join(f"- {note}" for note in notes) + "\n"
    if markdown or not sys.stdout.isatty():
        sys.stdout.write(text)
    else:
        from rich.console import Console
        from rich.markdown import Markdown  # only here: it is slow to import

        Console().print(Markdown(text))


# --- audit --------------------------------------------------------------------------


AUDIT_FORMATS = ("text", "markdown", "json", "sarif")
FAIL_ON = {"critical": ("critical",), "high": ("critical", "high"), "medium": ("critical", "high", "medium"), "any": None}
PROGRESS_MIN_FILES = 2000  # a progress bar for repositories at least this big (FIXER_PROGRESS_MIN_FILES overrides)


@app.command()
def audit(
    path: Path = typer.Argument(Path("."), help="The repository (default: the current directory)."),
    fixes: Optional[list[str]] = typer.Option(None, "--fix", metavar="ID,...", help="Only these fixes (repeatable, or comma-separated)."),
    output_format: str = typer.Option("text", "--format", "-f", metavar="FORMAT",
                                      help="text, markdown (Section 5 of the audit, for an issue or PR), json or sarif."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    fail_on: str = typer.Option("any", "--fail-on", metavar="LEVEL",
                                help="Exit 1 only for findings this severe: critical, high, medium or any (default)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar; text format: the findings only."),
) -> None:
    """Findings of every fix (or --fix ones), and the audit's Section 5 readiness checklist.

    Reads the working tree as it is on disk (tracked files and untracked ones that
    are not ignored). Exit 0 when no finding reaches --fail-on, 1 when one does,
    2 on a usage error, 3 when a file or fix failed. See docs/audit.md."""
    output_format = "json" if as_json else output_format.lower()
    if output_format not in AUDIT_FORMATS:
        raise UsageError(f"unknown --format {output_format!r}; choose one of {', '.join(AUDIT_FORMATS)}")
    if fail_on.lower() not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {fail_on!r}; choose one of {', '.join(FAIL_ON)}")
    root = _root(path)
    repo, key = _remembered("audit", root, (list(fixes or []), output_format, fail_on.lower(), quiet))
    remembered = repo.cache.get_many([key]).get(key) if repo is not None and key else None
    if remembered is not None:  # an unchanged repository: the same answer as last time
        repo.cache.close()
        sys.stdout.write(remembered[1])
        raise typer.Exit(remembered[0])
    modules = _registry()
    selected = list(modules.values())
    if fixes:
        wanted = {_module(fix_id).INFO.id for fix_id in _split_ids(fixes)}  # (unknown ids: a usage error)
        selected = [module for module in selected if module.INFO.id in wanted]
    config = config_mod.load(root, modules)
    if repo is not None and (repo.config.include, repo.config.exclude, repo.config.max_file_size) == (
            config.include, config.exclude, config.max_file_size):
        repo.config = config  # the same files: the listing stands
    else:
        if repo is not None:
            repo.cache.close()
        repo, key = _open(root, config, working_tree=True), None
    from fixer import checklist as checklist_mod, sarif  # not needed for a remembered answer

    with _AuditProgress(len(repo.paths()), quiet) as progress:
        progress.step(f"running {len(selected)} fix(es) over {len(repo.paths()):,} files")
        needs_checklist = not (quiet and output_format == "text")
        runs = run_fixes(repo, [(m, config_mod.options_for(m.INFO, config)) for m in selected], findings_only=True,
                         also_gather=checklist_mod.FACTS if needs_checklist else [])
        # written while history is searched, the checklist decided and the report rendered, by a
        # writer process on the other core (see `flush_in_background`)
        repo.cache.flush_in_background()
        progress.step("looking up the secrets found in git history")
        past = [line for run in runs for line in history.annotate(run, repo)]  # the commits that hold the secrets found
        checklist = None
        if needs_checklist:
            progress.step("deciding the readiness checklist")
            checklist = checklist_mod.build(repo, runs, modules)
    secrets = {s for run in runs for s in run.secrets}
    past = [redact(line, secrets) for line in past]
    gating = FAIL_ON[fail_on.lower()]
    failing = [f for r in runs for f in r.findings if gating is None or (f.severity or r.info.severity) in gating]
    code = 3 if any(r.failed for r in runs) else 1 if failing else 0
    if output_format == "json":
        out = report.audit_report(runs, repo, checklist, past, fail_on.lower(), len(failing), code) + "\n"
    elif output_format == "sarif":
        out = sarif.render(runs, repo, modules, checklist)
    elif output_format == "markdown":
        assert checklist is not None
        text = checklist_mod.render_markdown(checklist, runs, repo)
        if past:
            text += "\n## Secrets in git history\n\n" + "".join(f"- {line}\n" for line in past)
        out = redact(text, secrets)
    else:
        out = _audit_text(runs, repo, checklist, past, quiet, len(failing), fail_on.lower())
    if key and code != 3:  # output only, secret values already redacted; a failed run is tried again
        repo.cache.put_many({key: (code, out)})
    repo.cache.close()
    sys.stdout.write(out)
    _debug_details(runs)
    raise typer.Exit(code)


def _remembered(command: str, root: Path, options: Any) -> tuple[Repo | None, str | None]:
    """The repository (listed with what `.fixer.toml` says about its files) and the memo key
    of the command's output on it, taken before importing any fix: a remembered answer
    (`fixer/memo.py`) is printed without them. The key holds fixer's code (the built-in
    fixes are part of it), the installed plug-in fixes, the raw `.fixer.toml`, the options
    and every file. (None, None) when the configuration does not even list files."""
    listed = config_mod.listing(root)
    if listed is None:
        return None, None  # `load` reports the problem
    repo = _open(root, listed[0], working_tree=True)
    if _state.get("debug") or not repo.cache.enabled:
        return repo, None
    return repo, memo.key(command, repo, (options, hashlib.sha256(listed[1]).hexdigest(), _plugins()))


def _plugins() -> list[tuple[str, str, str | None]]:
    """The fixes installed through the `fixer.transforms` entry points, with their versions."""
    from importlib.metadata import entry_points

    return sorted((e.name, e.value, e.dist.version if e.dist else None) for e in entry_points(group="fixer.transforms"))


def _audit_text(runs: list[FixRun], repo: Repo, checklist: Any, past: list[str], quiet: bool, failing: int,
                fail_on: str) -> str:
    from fixer import checklist as checklist_mod

    out = [report.findings_text(runs, repo)]
    if past and not quiet:
        out.append("\n".join(past) + "\n\n")
    if checklist is not None:
        out.append(checklist_mod.render_text(checklist) + "\n")
    unread = [Skip(path, reason) for path, reason in repo.unread().items()]
    if unread:  # (a compose file that does not parse: no fix read it, and "No findings." would say nothing of it)
        out.append("Not read (what fixer would find in them is missing):\n"
                   + "".join(f"  {line}\n" for line in report.summarize_skips(unread)) + "\n")
    total = sum(len(r.findings) for r in runs)
    ignored = sum(len(r.ignored) for r in runs)
    summary = f"{total} finding(s) from {len(runs)} fix(es)" if total else "No findings."
    if ignored:
        summary += f" ({ignored} ignored by fixer-ignore)"
    if total and FAIL_ON[fail_on] is not None:
        summary += f"; {failing} at --fail-on {fail_on}"
    return "".join(out) + summary + "\n"


class _AuditProgress:
    """A transient progress bar on stderr, for big repositories when stderr is a terminal."""

    def __init__(self, files: int, quiet: bool):
        threshold = os.environ.get("FIXER_PROGRESS_MIN_FILES", "")
        minimum = int(threshold) if threshold.isdigit() else PROGRESS_MIN_FILES
        self.enabled = not quiet and files >= minimum and sys.stderr.isatty()
        self.progress: Any = None
        self.task: Any = None

    def __enter__(self) -> "_AuditProgress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(SpinnerColumn(), TextColumn("fixer audit: {task.description}"), BarColumn(),
                                     TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=True)
            self.progress.start()
        return self

    def step(self, description: str) -> None:
        if self.progress is None:
            return
        if self.task is None:
            self.task = self.progress.add_task(description, total=3)
        else:
            self.progress.update(self.task, description=description, advance=1)
        self.progress.refresh()  # draw every phase, however quick

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            if self.task is not None:
                self.progress.update(self.task, completed=3)
            self.progress.stop()


# --- apply --------------------------------------------------------------------------


@app.command()
def apply(
    fix_ids: list[str] = typer.Option(..., "--fix", metavar="ID", help="The fix to apply (see `fixer list`); one per branch."),
    path: Path = typer.Argument(Path("."), help="The repository (default: the current directory)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the diff a real run would commit; write nothing."),
    base: Optional[str] = typer.Option(None, "--base", metavar="REF", help="Start the branch from REF (default HEAD)."),
    branch: Optional[str] = typer.Option(None, "--branch", metavar="NAME", help="Branch name (default fixer/<id>)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing branch, only if fixer made it and nobody committed on it since."),
    keep_alias: bool = typer.Option(False, "--keep-alias", help="health-endpoints: serve both /health and /healthz."),
    option: Optional[list[str]] = typer.Option(None, "--option", "-o", metavar="FIX.KEY=VALUE", help="Set a fix option (repeatable)."),
    no_color: bool = typer.Option(False, "--no-color", help="Plain diff even on a terminal."),
    show_secrets: bool = typer.Option(False, "--show-secrets", help="--dry-run: print secret values in the diff unredacted (e.g. to pipe to `git apply`)."),
) -> None:
    """Apply one fix as one commit on its own branch (fixer/<id>), or --dry-run to see the diff.

    The branch is built from the base commit in a private index: your checkout, index,
    stash and working tree are never touched, even when they have uncommitted changes."""
    if len(set(fix_ids)) > 1:
        raise UsageError("apply takes one --fix (one fix, one branch); for several, `fixer plan --only "
                         + ",".join(dict.fromkeys(fix_ids)) + "`")
    fix_id = fix_ids[0]
    if show_secrets and not dry_run:
        raise UsageError("--show-secrets changes what --dry-run prints; a real run commits the values as they are")
    module = _module(fix_id)
    root = _root(path)
    modules = _registry()
    git = GitRepo.discover(root)
    from fixer import plan as plan_module

    # the .fixer.toml committed at the base, as `fixer plan` reads it: the same branch either way
    config, config_state = plan_module.base_config(git, root, base, modules)
    config_note = plan_module.config_note(config_state, base or "HEAD")
    overrides = _overrides(fix_id, option or [], keep_alias, modules)
    options = config_mod.options_for(module.INFO, config, overrides)
    if git is None:
        refuse_git_internals(root)  # (a bare repository is a git repository: say what it is)
        if not dry_run:
            raise UsageError(
                f"{root} is not a git repository, and apply makes a branch. Run `git init && git add -A && "
                "git commit -m 'initial'` there first, or use --dry-run and apply the diff with `git apply`."
            )
        if base:
            raise UsageError("--base needs a git repository")
    repo = _open(root, config, base=base)
    run = run_fix(repo, module, options, write_ahead=True)
    history.annotate(run, repo)  # where the secrets it removes stay in git history: summary and commit body
    repo.cache.flush_in_background()  # written while the diff is printed or the branch made
    try:
        if dry_run:
            notes = [_branch_note(run, repo, branch or f"fixer/{fix_id}"), config_note and f"  note: {config_note}"]
            _print_dry_run(run, repo, no_color, show_secrets, "\n".join(filter(None, notes)) or None)
            raise typer.Exit(3 if run.failed else 0)
        assert repo.git is not None
        _commit(run, repo, module, branch or f"fixer/{fix_id}", force, base or "HEAD", config_note)
    finally:
        repo.cache.close()


def _overrides(fix_id: str, raw: list[str], keep_alias: bool, modules: dict[str, Any]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for text in raw:
        target, key, value = config_mod.parse_cli_option(text, modules)
        if target != fix_id:
            raise UsageError(f"--option {text!r} is for {target}, but this run applies {fix_id}")
        overrides[key] = value
    if keep_alias:
        if "keep-alias" not in modules[fix_id].INFO.options:
            raise UsageError(f"--keep-alias is an option of health-endpoints, not of {fix_id}")
        overrides["keep-alias"] = True
    return overrides


def _base_note(repo: Repo) -> str | None:
    source = repo.source
    commit = getattr(source, "commit", None)
    if repo.git is None or commit is None:
        return None
    note = f"based on commit {commit[:10]}"
    if repo.git.is_dirty():
        note += "; uncommitted changes in your working tree are not included"
    return note


def _branch_note(run: FixRun, repo: Repo, branch: str) -> str | None:
    """What a real run would meet: a branch name it refuses (an error now, as then), or a
    branch that exists already."""
    if repo.git is None or not run.changes:
        return None
    repo.git.check_branch_name(branch)
    tip = repo.git.branch_tip(branch)
    if tip is None:
        return None
    return (f"  branch {branch} exists ({tip[:10]}): a real run reports it up to date when it already holds this "
            "change, else replaces it only with --force, and only when fixer made it and nobody changed it since")


def _print_dry_run(run: FixRun, repo: Repo, no_color: bool, show_secrets: bool = False,
                   branch_note: str | None = None) -> None:
    diff = report.run_diff(run, repo, show_secrets)
    if diff:
        _out_bytes(report.colorize(diff) if _use_color(no_color) else diff)
    summary = report.run_summary(run) + (f"\n{branch_note}" if branch_note else "")
    note = _base_note(repo)
    _err(("dry run, nothing written" + (f" ({note})" if note else "")) + "\n" + summary)
    _debug_details([run])


def _commit(run: FixRun, repo: Repo, module: Any, branch: str, force: bool, base_ref: str,
            config_note: str | None = None) -> None:
    git = repo.git
    assert git is not None
    info = module.INFO
    if not run.changes:
        if run.findings:  # all of them for a human: not "nothing"
            _err(f"{info.id}: {len(run.findings)} finding(s) to review by hand, nothing fixed automatically; "
                 "no branch created.")
        else:
            _err(f"{info.id}: nothing to fix; no branch created.")
        if config_note:
            _err(f"note: {config_note}")
        _report_leftovers(run, repo)
        raise typer.Exit(3 if run.failed else 0)
    git.check_branch_name(branch)
    base = repo.source.commit  # type: ignore[union-attr]
    from fixer import plan as plan_module

    message = report.commit_message(run, module, plan_module.root_trailers(repo.prefix))
    tree_changes = {
        repo.git_path(path): TreeChange(change.after, change.mode) for path, change in run.changes.items()
    }
    commit = git.commit_tree_with(base, tree_changes, message)
    tip = git.branch_tip(branch)
    if tip is not None:
        if git.parents(tip) == [base] and git.tree_of(tip) == git.tree_of(commit) and git.trailer(tip) == info.id:
            print(f"branch {branch} is up to date: it already has this fix on {base_ref} ({base[:10]}); nothing new to fix")
            return
        if not force:
            raise UsageError(
                f"branch {branch} already exists; delete it, choose another name with --branch, "
                "or use --force to replace it (only when fixer made it and nobody committed on it since)"
            )
        reason = git.not_fixers(tip, info.id, branch)  # amended, rebased or committed on: not fixer's
        if reason:
            raise UsageError(f"branch {branch} {reason}; refusing to replace it")
        plan_module.refuse_other_roots(git, repo.root, repo.prefix, [(branch, info.id)])
    if branch in git.checked_out_branches():  # an unborn one (`checkout --orphan`) too
        raise UsageError(f"branch {branch} is checked out in a worktree; switch away from it first")
    git.set_branch(branch, commit, tip)
    print(f"{'replaced' if tip else 'created'} branch {branch} ({commit[:10]}) from {base_ref} ({base[:10]}): "
          f"{len(run.fixed)} finding(s) fixed in {len(run.changes)} file(s)")
    if signs_commits(git):
        _err(f"note: {UNSIGNED_NOTE}")
    hooks_note = plan_module.commit_hooks_note(git, branch)
    if hooks_note:
        _err(f"note: {hooks_note}")
    if config_note:
        _err(f"note: {config_note}")
    print(git.diffstat(base, commit).rstrip())
    note = _base_note(repo)
    if note and "uncommitted" in note:
        _err("note: your working tree has uncommitted changes; they are not in the branch's base")
    _report_leftovers(run, repo)
    if run.failed:
        raise typer.Exit(3)


def _report_leftovers(run: FixRun, repo: Repo | None = None) -> None:
    lines = [f"  not fixed: {line}" for line in report.left_lines(f for f in run.findings if not run.is_fixed(f))]
    lines += [f"  error: {p.text}" for p in run.problems]
    missing = repo.unread() if repo is not None else {}
    unread = [skip for skip in run.skips if skip.path in missing]
    lines += [f"  not read: {line}" for line in report.summarize_skips(unread)]  # (a compose file that does not parse)
    if lines:
        _err(redact("\n".join(lines), run.secrets))
    _debug_details([run])


def _debug_details(runs: list[FixRun]) -> None:
    """With --debug: the tracebacks behind internal errors (redacted like everything else)."""
    if not _state.get("debug"):
        return
    for run in runs:
        for problem in run.problems:
            if problem.detail:
                _err(redact(f"--- {problem.message}\n{problem.detail}", run.secrets))


# --- plan (the logic is fixer/plan.py; docs/plan.md) ----------------------------------


@app.command("plan")
def plan_command(
    path: Path = typer.Argument(Path("."), help="The repository (default: the current directory)."),
    base: Optional[str] = typer.Option(None, "--base", metavar="REF", help="Start from REF (default HEAD)."),
    only: Optional[list[str]] = typer.Option(None, "--only", metavar="ID,...", help="Only these fixes (review fixes included)."),
    skip: Optional[list[str]] = typer.Option(None, "--skip", metavar="ID,...", help="Leave these fixes out."),
    include_review: bool = typer.Option(False, "--include-review", help="Also run the review fixes."),
    independent: bool = typer.Option(False, "--independent", help="Start every branch from the base instead of stacking them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print every fix's diff (secrets redacted); write nothing."),
    push: Optional[str] = typer.Option(None, "--push", metavar="REMOTE", help="Push the branches to REMOTE (never over others' commits)."),
    open_prs: bool = typer.Option(False, "--open-prs", help="Open or update one GitHub pull request per branch (needs --push)."),
    patches: Optional[Path] = typer.Option(None, "--patches", metavar="DIR", help="Write one format-patch file per fix to DIR."),
    option: Optional[list[str]] = typer.Option(None, "--option", "-o", metavar="FIX.KEY=VALUE", help="Set a fix option (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    show_secrets: bool = typer.Option(False, "--show-secrets", help="--dry-run and --patches: keep secret values (applicable diffs)."),
    no_color: bool = typer.Option(False, "--no-color", help="Plain diffs even on a terminal."),
) -> None:
    """Every fix as its own branch fixer/<id>, one commit each, in the audit's weekly order.

    Stacked by default (each branch starts from the previous fix's branch, so they merge
    in order). Your checkout, index and stash are never touched. See docs/plan.md."""
    from fixer import plan as plan_module

    root = _root(path)
    if only is not None:
        _split_ids(only)  # `--only "$EMPTY"` in a script: an error, never the whole plan
    if show_secrets and not (dry_run or patches):
        raise UsageError("--show-secrets changes what --dry-run and --patches write; without them it does nothing")
    request = plan_module.Request(
        root=root, base=base, only=only or [], skip=skip or [], include_review=include_review,
        independent=independent, dry_run=dry_run, push=push, open_prs=open_prs, patches=patches,
        options=option or [], show_secrets=show_secrets, cache=not _state.get("no_cache", False),
        as_json=as_json, color=_use_color(no_color),
    )
    code = plan_module.main(request, _registry())
    _state["interrupt_said"] = code == 130  # (the plan says what became of its branches)
    raise typer.Exit(code)


# --- demo ---------------------------------------------------------------------------


def sample_monorepo() -> Path:
    """The sample monorepo: shipped inside the package, or the source tree's fixtures/."""
    packaged = Path(__file__).parent / "data" / "sample-monorepo"
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parent.parent / "fixtures" / "sample-monorepo"
    if source.is_dir():
        return source
    raise FixerError("the sample monorepo is missing from this installation")


@app.command()
def demo(no_color: bool = typer.Option(False, "--no-color", help="Plain diffs even on a terminal.")) -> None:
    """Copy the sample monorepo into a fresh git repository, audit it, and dry-run every fix."""
    target = Path(tempfile.mkdtemp(prefix="fixer-demo-")) / "sample-monorepo"
    shutil.copytree(sample_monorepo(), target, symlinks=True, ignore=shutil.ignore_patterns("node_modules"))
    git_env = {**os.environ, **_identity_fallback(GitRepo(target))}
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "sample monorepo"]):
        subprocess.run(command, cwd=target, check=True, env=git_env, capture_output=True)
    modules = _registry()
    config = config_mod.Config()
    print(f"== fixer audit {target}\n")
    repo = _open(target, config, working_tree=True)
    runs = run_fixes(repo, [(m, config_mod.options_for(m.INFO, config)) for m in modules.values()], findings_only=True)
    print(report.findings_text(runs, repo))
    base_repo = _open(target, config)
    for module in modules.values():
        print(f"== fixer apply --fix {module.INFO.id} --dry-run\n", flush=True)
        run = run_fix(base_repo, module, config_mod.options_for(module.INFO, config))
        history.annotate(run, base_repo)
        diff = report.run_diff(run, base_repo)
        _out_bytes(report.colorize(diff) if _use_color(no_color) else diff)
        print(report.run_summary(run) + "\n", flush=True)
    repo.cache.close()
    base_repo.cache.close()
    if shutil.which("fixer"):
        command = "fixer"
    elif sys.argv[0].endswith("__main__.py"):
        command = f"{sys.executable} -m fixer"
    else:
        command = str(Path(sys.argv[0]).resolve())
    print(f"The sample is a git repository at {target}\nTry a real run there:\n"
          f"  cd {target}\n  {command} apply --fix health-endpoints\n  git log --stat -1 fixer/health-endpoints")


# --- entry point --------------------------------------------------------------------


# The collector's first generation is collected after this many new objects, not 700: a
# run makes millions of small objects that live to its end (cache rows, facts, findings),
# and at the default every young generation full of them is walked again and again. At
# 20,000 files, reading the cache rows took 0.9 s with the default and 0.37 s with this.
GC_YOUNG = 10_000


def main() -> None:
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    for stream in (sys.stdout, sys.stderr):  # a terminal or pipe that cannot show "—" or "…" gets escapes
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    if "--no-cache" in sys.argv[2:] and "--" not in sys.argv[1:sys.argv.index("--no-cache")]:
        sys.argv.remove("--no-cache")  # `fixer audit --no-cache` as well as `fixer --no-cache audit`
        sys.argv.insert(1, "--no-cache")
    try:
        app(standalone_mode=True)
    except SystemExit as done:  # typer turns a Ctrl-C into a silent exit 130
        if done.code == 130 and not _state.get("interrupt_said"):
            print("fixer: interrupted", file=sys.stderr)
        raise
    except FixerError as error:
        print(f"fixer: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("fixer: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # a bug: one line, the traceback only with --debug
        if _state["debug"] or "--debug" in sys.argv:
            traceback.print_exc()
        print(f"fixer: internal error: {type(error).__name__}: {error} (run with --debug for the traceback)",
              file=sys.stderr)
        sys.exit(3)
