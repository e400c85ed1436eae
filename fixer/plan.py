"""`fixer plan`: every fix as its own branch (and pull request), in the audit's weekly order.

A plan runs in four phases, and only the second writes anything:

1. compute — independent: every selected fix in one batch over the base commit
   (`run_fixes`: each file read and parsed once for all of them). Stacked: first one
   findings-only batch over the base fills the results cache (each file parsed once for
   all fixes); then fix k runs on the base plus the changes of fixes 1..k-1
   (`Repo.overlay`, nothing written), where the cache answers for every file the
   earlier fixes did not change, so only changed files are parsed again.
2. write — first every branch name the plan may write is checked (a valid name, no
   branch `a` beside `a/b`): a problem is a usage error before anything is written. Then
   per step, in order: a branch `fixer/<id>` that is missing is created; one fixer made
   and nobody touched since (`GitRepo.not_fixers`) is rebuilt when its parent, content or
   message changed (the name it gives the base aside: `up_to_date`) and left as it is when
   not; a branch with anyone else's commits is
   kept and reported, and (stacked) the steps above it are held. The commit is built in
   a private index (`GitRepo.commit_tree_with`), the ref moved last with its expected old
   value, with Ctrl-C held off for that moment: a branch is there whole or not at all.
   A failure or Ctrl-C stops the plan and puts back every branch this run wrote (each
   only while it is still where this run put it): the run writes all its branches or none.
3. push (`--push`), patches (`--patches`), pull requests (`--open-prs`), each per
   branch, each failure reported without touching the branches. With `--open-prs` the
   pull requests are read before the push: a declined fix's branch is not pushed.
4. report — a table (or `--json`).

The user's checkout, index and stash are never touched; no worktree is ever made.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from fixer import __version__, config as config_mod, github, history, report
from fixer.cache import blob_id, open_cache
from fixer.errors import FixerError, GitError, UsageError
from fixer.gitops import UNSIGNED_NOTE, GitRepo, TreeChange, signs_commits, trailer_value, with_tree_trailer
from fixer.redact import redact
from fixer.repo import Repo, open_repo, refuse_git_internals
from fixer.runner import FixRun, run_fix, run_fixes

BRANCH_PREFIX = "fixer/"

# step statuses
CREATED, REBUILT, UP_TO_DATE = "created", "rebuilt", "up to date"
KEPT, HELD, NOTHING, FAILED, NOT_REACHED = "kept", "held", "nothing to fix", "failed", "not reached"
REVIEW = "to review by hand"  # findings, all of them for a human: no edit, so no branch
UNDONE = "undone"  # written by this run, then put back because the plan stopped
# Stands for the plan's base in a step's message template: how the base was reached (master, a detached
# HEAD's commit, --base origin/main) is the only part of a message that is not what the plan is
BASE_NAME = "\x00base\x00"
WRITTEN = (CREATED, REBUILT, UP_TO_DATE)


@dataclass
class Request:
    root: Path
    base: str | None = None
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    include_review: bool = False
    independent: bool = False
    dry_run: bool = False
    push: str | None = None
    open_prs: bool = False
    patches: Path | None = None
    options: list[str] = field(default_factory=list)  # FIX.KEY=VALUE
    show_secrets: bool = False
    cache: bool = True
    as_json: bool = False
    color: bool = False


@dataclass
class Step:
    module: Any
    options: dict[str, Any]
    run: FixRun | None = None
    part: int = 0  # N of "part N of M"; 0 when the fix has nothing to change
    previous: "Step | None" = None  # stacked: the step this branch starts from
    status: str = ""
    detail: str = ""
    parent: str | None = None
    commit: str | None = None  # the branch's commit once written (or found up to date)
    old_tip: str | None = None
    message: str = ""
    template: str = ""  # the message with BASE_NAME where it names the plan's base (`up_to_date`)
    shared: dict[str, list[str]] = field(default_factory=dict)  # independent: other branch -> same files
    push: str = ""
    pull: github.Outcome | None = None
    patch: Path | None = None
    diff: bytes = b""

    @property
    def info(self) -> Any:
        return self.module.INFO

    @property
    def branch(self) -> str:
        return BRANCH_PREFIX + self.info.id

    @property
    def changes(self) -> bool:
        return bool(self.run and self.run.changes)


@dataclass
class Plan:
    request: Request
    repo: Repo
    steps: list[Step]
    not_run: list[tuple[Any, str]]
    base_commit: str | None
    base_label: str
    pr_base: str | None = None
    conflicts: list[tuple[str, str, list[str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stale_patches: list[str] = field(default_factory=list)  # other `NNNN-*.patch` files in the --patches directory
    interrupted: bool = False
    write_stopped: bool = False  # the write phase stopped part-way (a failure, Ctrl-C)
    not_put_back: list[str] = field(default_factory=list)  # branches undo could not put back
    config_note: str | None = None  # the checkout's .fixer.toml is not the committed one the plan used (`config_note`)

    @property
    def stacked(self) -> bool:
        return not self.request.independent

    @property
    def parts(self) -> list[Step]:
        return [step for step in self.steps if step.part]

    @property
    def secrets(self) -> set[str]:
        """Every secret value of every step (`FixRun.secrets`: those of ignored findings and
        those in the files a step changes too, which its diff's context lines can show)."""
        return {value for step in self.steps if step.run for value in step.run.secrets}

    @property
    def stopped(self) -> bool:
        """Ctrl-C, or writing a branch failed: later branches were not reached."""
        return self.interrupted or self.write_stopped or any(step.status == FAILED and step.changes for step in self.steps)

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(step.status == FAILED or (step.run and step.run.failed) for step in self.steps)


# --- selecting the fixes --------------------------------------------------------------


def _ids(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def select(modules: dict[str, Any], only: list[str], skip: list[str], include_review: bool) -> tuple[list[Any], list[tuple[Any, str]]]:
    """The fixes to run, in the registry's (priority) order, and the ones left out with why."""
    only_ids, skip_ids = _ids(only), _ids(skip)
    unknown = [fix_id for fix_id in only_ids + skip_ids if fix_id not in modules]
    if unknown:
        raise UsageError(f"unknown fix {', '.join(map(repr, unknown))}; known fixes: {', '.join(modules)}")
    chosen, left = [], []
    for fix_id, module in modules.items():
        if only_ids and fix_id not in only_ids:
            continue
        if fix_id in skip_ids:
            left.append((module, "--skip"))
        elif module.INFO.safety == "review" and not include_review and fix_id not in only_ids:
            left.append((module, "review fix: add --include-review, or name it in --only"))
        else:
            chosen.append(module)
    if not chosen:
        raise UsageError("no fix selected (check --only and --skip)")
    return chosen, left


def _options(modules: dict[str, Any], chosen: list[Any], raw: list[str], config: config_mod.Config) -> dict[str, dict[str, Any]]:
    overrides: dict[str, dict[str, Any]] = {}
    for text in raw:
        fix_id, key, value = config_mod.parse_cli_option(text, modules)
        overrides.setdefault(fix_id, {})[key] = value
    return {m.INFO.id: config_mod.options_for(m.INFO, config, overrides.get(m.INFO.id)) for m in chosen}


# --- 1. compute -----------------------------------------------------------------------


def compute(plan: Plan) -> None:
    """Every step's run: independent, one batch over the base; stacked, each fix on the output of the ones before."""
    repo, steps = plan.repo, plan.steps
    if not plan.stacked:
        for step, run in zip(steps, run_fixes(repo, [(step.module, step.options) for step in steps])):
            step.run = run
    else:
        _warm(repo, steps)
        current = repo
        for step in steps:
            step.run = run_fix(current, step.module, step.options)
            if step.run.changes:
                current = current.overlay({path: change.after for path, change in step.run.changes.items()})
        repo.follow_ups.clear()  # what no step could use (an earlier one changed the structure)
    for step in steps:
        assert step.run is not None
        history.annotate(step.run, repo)  # secrets: where the removed values stay in git history
    _number(plan)


def _warm(repo: Repo, steps: list[Step]) -> None:
    """One findings-only pass of these fixes over `repo`: every file they want is read and
    parsed once for all of them, and their per-file results (and facts) land in the results
    cache, where each fix's own run (one at a time, with verification) finds them; each
    file's edits are applied, verified and checked again on that same parse, kept for the
    fix's own run where no earlier step changed the file. Without a cache it would be work
    thrown away, so then it is not done."""
    if steps and repo.cache.enabled:
        run_fixes(repo, [(step.module, step.options) for step in steps], findings_only=True, follow_ahead=True)


def _number(plan: Plan) -> None:
    previous = None
    for step in plan.steps:
        if not step.changes:
            continue
        step.part = len(plan.parts) + 1
        step.previous = previous if plan.stacked else None
        previous = step
    if not plan.stacked:
        for index, one in enumerate(plan.parts):
            for other in plan.parts[index + 1:]:
                same = sorted(set(_git_paths(plan.repo, one)) & set(_git_paths(plan.repo, other)))
                if same:
                    plan.conflicts.append((one.branch, other.branch, same))
                    one.shared[other.branch] = same
                    other.shared[one.branch] = same
    total = len(plan.parts)
    for step in plan.parts:
        assert step.run is not None
        based_on = step.previous.branch if step.previous else BASE_NAME
        part_line = report.plan_part_line(step.part, total, plan.stacked, based_on, step.shared)
        verify = report.verify_commands(step.run, plan.repo, step.branch, based_on)
        message = report.plan_commit_message(step.run, step.module, part_line=part_line, verify=verify,
                                             extra_trailers=root_trailers(plan.repo.prefix))
        step.template = redact(message, plan.secrets)
        step.message = step.template.replace(BASE_NAME, plan.base_label)


def _git_paths(repo: Repo, step: Step) -> list[str]:
    assert step.run is not None
    return [repo.git_path(path) for path in step.run.changes]


def _tree_changes(repo: Repo, run: FixRun) -> dict[str, TreeChange]:
    return {repo.git_path(path): TreeChange(change.after, change.mode) for path, change in run.changes.items()}


# --- 2. write -------------------------------------------------------------------------


def write(plan: Plan, *, dry_run: bool = False, progress: Any = None) -> None:
    """Create, rebuild or keep each step's branch, in order (dry_run: only say what would happen)."""
    git = plan.repo.git
    if git is None:
        for step in plan.steps:
            step.status = "would create" if step.changes else _idle_status(step)
        return
    git.check_branch_names([step.branch for step in plan.steps if step.changes])
    checked_out = git.checked_out_branches()
    blocked: Step | None = None
    failed = False
    try:
        for step in plan.steps:
            try:
                _write_step(plan, git, step, blocked, checked_out, dry_run)
            except KeyboardInterrupt:
                plan.interrupted = True
                if step.status not in WRITTEN:
                    step.status, step.detail = FAILED, "interrupted (Ctrl-C) before its branch was written"
            except (FixerError, OSError) as error:
                failed = step.changes  # (a step with nothing to change writes nothing: the plan goes on)
                if step.status in (CREATED, REBUILT):  # git moved the ref, then reported a failure
                    step.detail = str(error)
                    plan.errors.append(f"{step.branch}: {error}")
                else:
                    step.status, step.detail = FAILED, f"{error}; no branch written for this fix"
            _progress(progress, plan, step)
            if plan.interrupted or failed:
                break
            if step.status in (KEPT, HELD, "would keep", "would hold") and plan.stacked:
                blocked = blocked or step
    except KeyboardInterrupt:  # between two steps
        plan.interrupted = True
    if not (plan.interrupted or failed):
        return
    plan.write_stopped = True
    for later in plan.steps:
        if not later.status:
            later.status = NOT_REACHED if later.changes else _idle_status(later)
    if not dry_run:
        undo(plan, git, progress)


def undo(plan: Plan, git: GitRepo, progress: Any = None) -> None:
    """Put back every branch this run created or moved, the last first (guarantee 6: a run
    that fails part-way leaves no new branches). Each ref moves back with compare-and-swap
    (`git update-ref <ref> <old> <new>`, `-d <ref> <new>`): only while it still is where
    this run put it; one someone moved since is left and reported. Ctrl-C is held off
    until all are back."""
    interrupted = False
    try:
        with interrupts_deferred():
            for step in reversed(plan.steps):
                if step.status not in (CREATED, REBUILT) or step.commit is None:
                    continue
                written = step.commit
                try:
                    git.restore_branch(step.branch, step.old_tip, written)
                except (FixerError, OSError) as error:
                    try:
                        now = git.branch_tip(step.branch)
                    except (FixerError, OSError):
                        now = None
                    where = ("it is gone" if now is None else f"it stays at {now[:10]}" if now == written else
                             f"someone moved it to {now[:10]} meanwhile, left there")
                    step.detail = f"could not be put back ({error}); {where}"
                    plan.errors.append(f"{step.branch}: {step.detail}")
                    plan.not_put_back.append(step.branch)
                else:
                    step.status, step.commit = UNDONE, step.old_tip
                    step.detail = ("written, then deleted again because the plan stopped" if step.old_tip is None else
                                   f"rebuilt, then put back at {step.old_tip[:10]} because the plan stopped")
                _progress(progress, plan, step)
    except KeyboardInterrupt:
        interrupted = True
    plan.interrupted = plan.interrupted or interrupted


def _idle_status(step: Step) -> str:
    """A step that changes nothing: failed, findings only a human can act on, or nothing found."""
    if step.run and step.run.problems:
        return FAILED
    return REVIEW if step.run and step.run.findings else NOTHING


def _write_step(plan: Plan, git: GitRepo, step: Step, blocked: Step | None, checked_out: set[str], dry_run: bool) -> None:
    assert step.run is not None
    tip = git.branch_tip(step.branch)
    step.old_tip = tip
    if not step.changes:
        step.status = _idle_status(step)
        if tip is not None:
            step.detail = f"branch {step.branch} exists and is left as it is (merged already?)"
        return
    if blocked is not None:
        step.status = "would hold" if dry_run else HELD
        what = ("is checked out in a worktree; switch away from it" if blocked.branch in checked_out else
                "fixer cannot update; merge or delete it")
        step.detail = f"stacked on {blocked.branch}, which {what}, then re-run"
        return
    if step.previous is not None and step.previous.commit is None:
        step.parent = None  # the step below will get a new commit: this one will too
    else:
        step.parent = step.previous.commit if step.previous else plan.base_commit
    changes = _tree_changes(plan.repo, step.run)
    if tip is not None:
        reason = not_fixers(git, tip, step.info.id, step.branch)
        if reason:
            step.status, step.detail = ("would keep" if dry_run else KEPT), f"{step.branch} {reason}; left alone"
            return
        committed = up_to_date(git, tip, step.parent, changes, step.template) if step.parent else None
        if committed is not None:  # (its message, for its pull request: the base's name it has stays)
            step.status, step.commit, step.message = UP_TO_DATE, tip, committed
            return
    if step.branch in checked_out:  # (an unborn branch, `git checkout --orphan`, too: it has no tip yet)
        step.status = "would keep" if dry_run else KEPT
        step.detail = f"{step.branch} is checked out in a worktree; switch away from it and re-run"
        return
    if dry_run:
        step.status = "would create" if tip is None else "would rebuild"
        return
    assert step.parent is not None
    commit = git.commit_tree_with(step.parent, changes, step.message)
    with interrupts_deferred():
        try:
            git.set_branch(step.branch, commit, tip)
        except GitError:
            # git refused (update-ref is all or nothing): the branch is not this run's, even at the same
            # commit — a run started in the same second makes byte-identical commits, and undoing
            # "ours" deleted the other run's branch
            raise
        except BaseException:
            if git.branch_tip(step.branch) == commit:  # git moved it, then we were interrupted: ours to undo
                step.status, step.commit = (CREATED if tip is None else REBUILT), commit
            raise
        step.status, step.commit = (CREATED if tip is None else REBUILT), commit


ROOT_TRAILER = "Fixer-Root"


def root_trailers(prefix: str) -> dict[str, str]:
    """The trailer of a fix commit that says which directory fixer read, as a path inside the git
    repository (`Repo.prefix`); none for the repository's top, where the commits of older
    fixers, which had no such trailer, were made."""
    return {ROOT_TRAILER: prefix.rstrip("/")} if prefix else {}


def other_root(git: GitRepo, commit: str, fix_id: str, prefix: str) -> Path | None:
    """The directory fixer read to make `commit` (a commit of `fix_id`'s, see `root_trailers`)
    when it is not the one at `prefix`, or None. Its branch must not be rebuilt from here: a
    plan of an app's directory would drop the edits the monorepo's plan made in every other
    app (and the reverse would add edits its author never planned). A commit fixer did not
    make is kept as it is anyway (`not_fixers`)."""
    message = git.raw_message(commit)
    if trailer_value(message) != fix_id:
        return None
    built = trailer_value(message, ROOT_TRAILER) or ""
    if built == prefix.rstrip("/"):
        return None
    return git.root / built if built else git.root


def refuse_other_roots(git: GitRepo, root: Path, prefix: str, branches: list[tuple[str, str]]) -> None:
    """A usage error, before anything is computed or written, when a fix branch of this run
    (`(branch, fix id)`) was made by fixer reading another directory of this repository."""
    others: dict[Path, list[str]] = {}
    for branch, fix_id in branches:
        tip = git.branch_tip(branch)
        built = other_root(git, tip, fix_id, prefix) if tip is not None else None
        if built is not None:
            others.setdefault(built, []).append(branch)
    for built, names in others.items():
        listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        was, it = ("was", "it") if len(names) == 1 else ("were", "them")
        raise UsageError(f"{listed} {was} made by fixer reading {built}, not {root}: run fixer there "
                         f"(`fixer plan {built}`), or delete {it} (`git branch -D {' '.join(names)}`) to make {it} "
                         f"from {root} alone; nothing was written")


def not_fixers(git: GitRepo, commit: str, fix_id: str, branch: str,
               other_refs: tuple[str, ...] = ()) -> str | None:
    """Why `commit`, the tip of `branch`, is not a commit fixer made for `fix_id` and nobody
    touched since, or None (the rule, the same for `apply --force`: `GitRepo.not_fixers`)."""
    return git.not_fixers(commit, fix_id, branch, other_refs)


def up_to_date(git: GitRepo, tip: str, parent: str, changes: dict[str, TreeChange], template: str) -> str | None:
    """The message of the branch's tip (without its `Fixer-Tree` line) when the branch already is
    this step, else None (read-only check): same parent, same changes, and the message this step
    writes (`Step.template`) with its `Fixer-Tree` trailer, tree and digest — a commit of an older
    fixer, without one or with the tree alone, is rebuilt once to get it. The base may have any one
    name in it: the parent is the base commit already, and a checkout of master and a detached one of
    the same commit (CI's) must not rewrite, force-push and re-title every branch in turn."""
    if git.parents(tip) != [parent]:
        return None
    wanted = {path: None if change.data is None else (change.mode, blob_id(change.data)) for path, change in changes.items()}
    if git.changed_paths(parent, tip) != wanted:
        return None
    committed = git.raw_message(tip)
    name = _base_name_in(committed, template)
    if name is None:
        return None
    message = template.replace(BASE_NAME, name)
    return message if committed == with_tree_trailer(message, git.tree_of(tip)) else None


def _base_name_in(committed: str, template: str) -> str | None:
    """The name `committed` gives the base where `template` has `BASE_NAME` (the same one at each
    place; "" when the template names no base), or None when it is not that template's text."""
    first, *rest = template.split(BASE_NAME)
    if not rest:
        return ""
    pattern = re.escape(first) + r"(?P<name>\S+)" + re.escape(rest[0]) + "".join(r"(?P=name)" + re.escape(piece) for piece in rest[1:])
    found = re.match(pattern, committed)
    return found["name"] if found else None


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block is done, then raise it: a ref update is never cut
    in half (a killed `git update-ref` would leave its lock file behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and previous is not signal.SIG_IGN:
            raise KeyboardInterrupt


COMMIT_HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit")  # what `git commit` runs


def commit_hooks(git: GitRepo) -> tuple[str, list[str]]:
    """The hooks `git commit` would run here (core.hooksPath, else .git/hooks; a `.sample` is
    not one) and where they are, as a command names them: fixer's commits (`git commit-tree`)
    run none. Husky 9 puts a stub for every hook in `.husky/_` (core.hooksPath) that runs
    `.husky/<hook>` when there is one: a stub counts only then, named by that file."""
    try:
        where = git.text("rev-parse", "--git-path", "hooks")
    except GitError:
        return "", []
    hooks = git.root / where
    if not hooks.is_dir():
        return "", []
    shown = os.path.relpath(hooks, git.root) if hooks.resolve().is_relative_to(git.root.resolve()) else str(hooks)
    found = []
    for name in COMMIT_HOOKS:
        hook = hooks / name
        if not hook.is_file() or not os.access(hook, os.X_OK):
            continue
        try:
            stub = hook.stat().st_size < 200 and b'/h"' in hook.read_bytes() and (hooks / "h").is_file()
        except OSError:
            continue
        if stub:
            if not (hooks.parent / name).is_file():
                continue
            shown = os.path.relpath(hooks.parent, git.root)
        found.append(name)
    return shown, found


def commit_hooks_note(git: GitRepo, branch: str) -> str | None:
    """The one-line note that fixer's commits skipped the repository's commit hooks, and how to
    run them (a hook that checks the staged files, as lint-staged does, sees nothing on a clean
    checkout: the commit is made again, through them)."""
    where, names = commit_hooks(git)
    if not names:
        return None
    return (f"fixer's commits do not run this repository's commit hooks ({', '.join(names)} in {where}): "
            f"`git commit-tree` runs none. Run them before merging: `git checkout {branch} && git reset --soft HEAD~ "
            "&& git commit -C ORIG_HEAD` makes the commit again through them (the branch is then yours: a re-run "
            "keeps it), or let CI run the same checks")


def _progress(stream: Any, plan: Plan, step: Step) -> None:
    if stream is None or not step.changes:
        return
    commit = f" ({step.commit[:10]})" if step.commit else ""
    line = f"{step.branch}: {step.status}{commit}" + (f" — {step.detail}" if step.detail else "")
    print(redact(line, plan.secrets), file=stream, flush=True)


# --- 3. push, patches, pull requests ----------------------------------------------------


def push(plan: Plan, remote: str) -> None:
    """Push every branch the plan wrote and nothing held back (`withhold_declined`); never over a
    remote branch with commits fixer did not make."""
    git = plan.repo.git
    assert git is not None
    ready = [step for step in plan.parts if step.commit and step.status in WRITTEN]
    try:
        remote_heads = git.remote_branches(remote)
        missing = [s.branch for s in ready if remote_heads.get(s.branch) and not git.has_commit(remote_heads[s.branch])]
        git.fetch_objects(remote, missing)
    except GitError as error:
        for step in ready:
            step.push = step.push or f"failed: {error}"
        plan.errors.append(f"push to {remote}: {error}")
        return
    blocked: Step | None = None
    for step in ready:
        assert step.commit is not None
        there = remote_heads.get(step.branch)
        if step.push:  # held back before the push (`withhold_declined`): declined, or that was not known
            blocked = blocked or step
            continue
        if blocked is not None and plan.stacked:
            step.push = f"held: stacked on {blocked.branch}, which was not pushed"
            plan.errors.append(f"push {step.branch}: {step.push}")
            continue
        if there == step.commit:
            step.push = "up to date"
            continue
        if there and not git.is_ancestor(there, step.commit):
            reason = not_fixers(git, there, step.info.id, step.branch,
                                (f"refs/remotes/{remote}/{BRANCH_PREFIX}*", f"refs/remotes/{remote}/{step.branch}"))
            if reason:
                step.push = (f"refused: {remote}/{step.branch} {reason}; fixer never pushes over it: bring it up to "
                             f"date by hand, or delete it (`git push {remote} --delete {step.branch}`; on GitHub that "
                             "closes its pull request) and re-run to push fixer's")
                plan.errors.append(f"push {step.branch}: {step.push}")
                blocked = step
                continue
        try:
            with interrupts_deferred():
                git.push_branch(remote, step.commit, step.branch, there)
            step.push = "pushed"
        except GitError as error:
            step.push = f"failed: {error}"
            plan.errors.append(f"push {step.branch}: {error}")
            blocked = step


def write_patches(plan: Plan, directory: Path) -> None:
    """One `git format-patch` file per branch, numbered in plan order (secrets redacted unless --show-secrets)."""
    git = plan.repo.git
    assert git is not None and plan.base_commit is not None
    for step in plan.parts:
        if not step.commit:
            continue
        assert step.run is not None
        target = directory / f"{step.part:04d}-{step.info.id}.patch"
        try:
            data = git.format_patch(step.commit, plan.base_commit)
            directory.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data if plan.request.show_secrets else
                               redact(report.masked_patch(data, step.run, plan.repo), plan.secrets))
        except (GitError, OSError, ValueError) as error:
            plan.errors.append(f"patch {target}: {error}")
            step.detail = f"no patch written ({error})"
            continue
        step.patch = target
    written = {step.patch.name for step in plan.parts if step.patch}
    if directory.is_dir():  # never deleted (they may be someone's): said, since `git am DIR/*.patch` takes them too
        plan.stale_patches = sorted(p.name for p in directory.glob("[0-9][0-9][0-9][0-9]-*.patch") if p.name not in written)


def withhold_declined(plan: Plan, client: github.GitHub) -> tuple[str, github.Standing] | None:
    """Before anything is pushed: read the pull requests of the branches the plan wrote
    (`github.standing`) and hold back the ones that must not go out — a fix whose pull request was
    declined (the user said no: nothing of it is pushed, not even a force-update of its old branch),
    one stacked on it, one whose closed pull requests could not be read — each with its pull request
    outcome. When the pull requests cannot be listed at all, no branch is pushed (any could be a
    declined one). Returns (the first pull request's base, the standing), or None when there is none."""
    ready = [step for step in plan.parts if step.commit and step.status in WRITTEN]
    if not ready:
        return None
    try:
        base = plan.pr_base or client.default_branch()
        known = github.standing(client, _wanted(plan, ready, base))
    except github.GitHubError as error:
        plan.errors.append(str(error))
        for step in ready:
            step.push = "held: the pull requests could not be read, and a declined fix is never pushed; re-run"
            step.pull = github.Outcome(step.branch, "failed", error=str(error))
        return None
    for step in ready:
        outcome = known.stopped.get(step.branch)
        if outcome is None:
            continue
        step.pull = outcome
        why = known.why[step.branch]
        step.push = (f"held: stacked on {step.previous.branch}, {why}" if outcome.action == "held" and step.previous
                     else f"held: {why}")
        if outcome.action == "failed":
            plan.errors.append(f"pull request for {step.branch}: {outcome.error}")
    return base, known


def _wanted(plan: Plan, steps: list[Step], base: str) -> list[github.Wanted]:
    wanted = []
    for step in steps:
        title, body = report.pull_request(step.message, plan.secrets)
        wanted.append(github.Wanted(step.branch, step.previous.branch if step.previous else base, title, body))
    return wanted


def open_pull_requests(plan: Plan, client: github.GitHub, base: str, known: github.Standing) -> None:
    """Open or update the pull requests of the branches pushed (`known`: what `withhold_declined` read)."""
    pushed = [s for s in plan.parts if s.push in ("pushed", "up to date")]
    for step, outcome in zip(pushed, github.sync(client, _wanted(plan, pushed, base), known=known)):
        step.pull = outcome
        if outcome.action == "failed":
            plan.errors.append(f"pull request for {step.branch}: {outcome.error}")


# --- the command ------------------------------------------------------------------------


def main(request: Request, modules: dict[str, Any]) -> int:
    """Run `fixer plan`; returns the exit code (0 done, 3 something failed, 130 Ctrl-C)."""
    plan, client = _prepare(request, modules)
    try:
        try:
            compute(plan)
        except KeyboardInterrupt:
            print("fixer: interrupted while computing the plan; no branch was written", file=sys.stderr)
            return 130
        plan.repo.cache.flush_in_background()  # written while the branches are made or the patches printed
        if request.dry_run:
            write(plan, dry_run=True)
            _print_dry_run(plan)
            return 3 if plan.failed else 0
        write(plan, progress=None if request.as_json else sys.stderr)
        if not plan.stopped:
            _publish(plan, client)
        _print(plan)
        if plan.interrupted:
            if plan.not_put_back:
                done = (f"{len(plan.not_put_back)} branch(es) this run wrote could not be put back: "
                        f"{', '.join(plan.not_put_back)} (see above); the others were")
            elif plan.write_stopped:
                done = "the branches this run wrote were put back"
            else:
                done = "the branches are written; the pushes and pull requests listed as done are done"
            print("fixer: interrupted; " + done, file=sys.stderr)
            return 130
        return 3 if plan.failed else 0
    finally:
        plan.repo.cache.close()


def _prepare(request: Request, modules: dict[str, Any]) -> tuple[Plan, github.GitHub | None]:
    root = request.root
    if not root.is_dir():
        raise UsageError(f"{root}: no such directory")
    root = root.resolve()
    if request.dry_run and (request.push or request.open_prs or request.patches):
        raise UsageError("--dry-run writes nothing: it cannot be combined with --push, --open-prs or --patches")
    if request.open_prs and not request.push:
        raise UsageError("--open-prs needs --push REMOTE: the pull requests are opened for the branches pushed there")
    if request.patches is not None:
        check_patches_directory(request.patches)
    chosen, left = select(modules, request.only, request.skip, request.include_review)
    git = GitRepo.discover(root)
    config, config_state = base_config(git, root, request.base, modules)
    options = _options(modules, chosen, request.options, config)
    if git is None:
        refuse_git_internals(root)  # (a bare repository is a git repository: say what it is)
    if git is None and not request.dry_run:
        raise UsageError(f"{root} is not a git repository, and plan makes branches; run `git init && git add -A && "
                         "git commit -m initial` there first, or use --dry-run")
    if git is None and request.base:
        raise UsageError("--base needs a git repository")
    client = None
    if request.push:
        assert git is not None
        url = git.remote_url(request.push)
        if url is None:
            raise UsageError(f"no git remote named {request.push!r} (see `git remote -v`)")
        if request.open_prs:
            api, full_name = github.locate(url)
            client = github.GitHub(api, full_name, github.token())
    repo = open_repo(root, config, base=request.base)
    if git is not None:
        refuse_other_roots(git, root, repo.prefix, [(BRANCH_PREFIX + module.INFO.id, module.INFO.id) for module in chosen])
    base_commit = getattr(repo.source, "commit", None)
    label, pr_base = _base_names(git, request.base, base_commit)
    if request.push and git is not None and base_commit and pr_base:
        refuse_stale_base(git, request.push, label, pr_base, base_commit)
    repo.cache = open_cache(request.cache)
    steps = [Step(module, options[module.INFO.id]) for module in chosen]
    plan = Plan(request, repo, steps, left, base_commit, label, pr_base)
    plan.config_note = config_note(config_state, label)
    return plan, client


def base_config(git: GitRepo | None, root: Path, base: str | None,
                modules: dict[str, Any]) -> tuple[config_mod.Config, str | None]:
    """The `.fixer.toml` a plan (and `fixer apply`) uses, and how the checkout's differs from it:
    None (it does not), "not committed", "differs" or "deleted" (`config_note` says it). A branch
    is made of the base commit, its settings too: the `.fixer.toml` committed there, so the
    branches are what the next run (a teammate's, CI's, `apply` or `plan`) makes again, and an
    uncommitted edit of it is left out like any other. Not a git repository (or no commit yet, or
    the file a link): the one on disk."""
    on_disk = lambda: config_mod.load(root, modules)  # noqa: E731
    if git is None:
        return on_disk(), None
    try:
        commit = git.resolve(base or "HEAD")
        prefix = os.path.relpath(root, git.root).replace(os.sep, "/")
        path = ("" if prefix == "." else prefix + "/") + config_mod.FILENAME
        listed = git.text("ls-tree", "-z", commit, "--", path).rstrip("\0")
    except (GitError, UsageError):
        return on_disk(), None
    if not listed:
        return config_mod.Config(), "not committed" if os.path.lexists(root / config_mod.FILENAME) else None
    mode, kind, blob = listed.split("\t", 1)[0].split()
    if kind != "blob" or mode == "120000":
        return on_disk(), None
    data = git.read_blob(blob)
    committed = config_mod.loads(data, modules, f"{config_mod.FILENAME} (committed at {base or 'HEAD'})")
    try:
        state = None if (root / config_mod.FILENAME).read_bytes() == data else "differs"
    except OSError:
        state = "differs" if os.path.lexists(root / config_mod.FILENAME) else "deleted"
    return committed, state


def config_note(state: str | None, label: str) -> str | None:
    """What `base_config`'s `state` means for the branches made from `label`: none of them
    used the checkout's `.fixer.toml` (`fixer audit`, which reads the working tree, does)."""
    name, why = config_mod.FILENAME, "branches are made of the base commit, settings too: the next run, yours or CI's, makes the same"
    if state == "not committed":
        return f"your {name} is not committed at {label}: it was not used, the defaults were ({why}); commit it to use it"
    if state == "differs":
        return f"your {name} differs from the one committed at {label}: the committed one was used ({why}); commit yours to use it"
    if state == "deleted":
        return f"your {name} is deleted in your checkout but committed at {label}: the committed one was used ({why})"
    return None


def check_patches_directory(directory: Path) -> None:
    """A usage error, before anything is computed or written, when `--patches DIR` cannot hold the
    patches: DIR or a directory above it is a file (or a link to nothing), or the nearest existing
    one is not writable. A missing DIR is fine: it is made when the first patch is written."""
    for place in (directory.absolute(), *directory.absolute().parents):
        if place.is_dir():
            if not os.access(place, os.W_OK | os.X_OK):
                raise UsageError(f"--patches {directory}: {place} is not writable; nothing was written")
            return
        if os.path.lexists(place):
            what = "it is" if place == directory.absolute() else f"{place} is"
            kind = "a link to nothing" if place.is_symlink() else "a file"
            raise UsageError(f"--patches {directory}: {what} {kind}, not a directory; give a directory "
                             "(made when missing) for the patches; nothing was written")


def _base_names(git: GitRepo | None, base: str | None, commit: str | None) -> tuple[str, str | None]:
    """(how the plan names its base, the branch the first pull request targets when known)."""
    if git is None or commit is None:
        return "the working directory", None
    if base is None:
        branch = git.current_branch()
        if branch and branch.startswith(BRANCH_PREFIX):
            raise UsageError(f"HEAD is {branch}, one of fixer's own branches, and a plan starts from the branch the "
                             "fixes are for: switch to it (`git switch main`) or pass it with --base (`--base main`); "
                             "nothing was written")
        return (branch, branch) if branch else (commit[:10], None)
    if git.branch_tip(base) is not None:
        return base, base
    for remote in git.text("remote").split():
        if base.startswith(remote + "/") and git.has_commit(f"refs/remotes/{base}"):
            return base, base[len(remote) + 1:]
    return commit[:10], None  # a tag or an expression: name the commit itself


def refuse_stale_base(git: GitRepo, remote: str, label: str, branch: str, base_commit: str) -> None:
    """A usage error, before anything is computed or written, when the remote's branch the plan's
    pull requests target (`branch`, the base's name there) has commits the base does not: built on a
    stale base, the plan would re-push the branches of fixes merged (and deleted) there since, and
    find the remote's own merge commits below fixer's branches. A remote that cannot be listed is
    left to the push, which reports it."""
    try:
        there = git.remote_branches(remote).get(branch)
    except GitError:
        return
    if there is None or there == base_commit or (git.has_commit(there) and git.is_ancestor(there, base_commit)):
        return
    how = (f"`git fetch {remote}`" if label.startswith(remote + "/") else f"`git pull {remote} {branch}`")
    state = ("has diverged from" if git.has_commit(there) and not git.is_ancestor(base_commit, there) else "is behind")
    raise UsageError(f"your {label} ({base_commit[:10]}) {state} {remote}/{branch} ({there[:10]}): pull first ({how}) "
                     f"and re-run, or the plan would re-push the branches of fixes merged there since; nothing was written")


def _publish(plan: Plan, client: github.GitHub | None) -> None:
    request = plan.request
    try:
        # (the pull requests are read first: a declined fix's branch is not pushed)
        checked = withhold_declined(plan, client) if client is not None else None
        if request.push:
            push(plan, request.push)
        if request.patches:
            write_patches(plan, request.patches)
        if checked is not None and client is not None:
            open_pull_requests(plan, client, *checked)
    except KeyboardInterrupt:
        plan.interrupted = True


# --- 4. report ----------------------------------------------------------------------------


def _print_dry_run(plan: Plan) -> None:
    out = sys.stdout.buffer
    for step in plan.parts:
        assert step.run is not None
        based_on = step.previous.branch if step.previous else plan.base_label
        step.diff = report.run_diff(step.run, plan.repo, plan.request.show_secrets)
        if not plan.request.show_secrets:
            step.diff = redact(step.diff, plan.secrets)
        if plan.request.as_json:
            continue
        header = f"# fixer plan, part {step.part} of {len(plan.parts)}: {step.info.id} -> {step.branch} (based on {based_on})\n"
        out.write(header.encode())
        out.write(report.colorize(step.diff) if plan.request.color else step.diff)
        out.flush()
        print(report.run_summary(step.run), file=sys.stderr, flush=True)
    if plan.request.as_json:
        print(plan_json(plan))
    else:
        sys.stdout.flush()
        print(f"dry run, nothing written (based on {plan.base_label})\n" + table(plan), file=sys.stderr, flush=True)


def _print(plan: Plan) -> None:
    if plan.request.as_json:
        print(plan_json(plan))
    else:
        print(table(plan))


def table(plan: Plan) -> str:
    """The plan as a table, then what needs a human: kept, held, failed, not run, conflicts."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    grid = Table(box=None, pad_edge=False)
    columns = ["#", "week", "fix", "fixed", "files", "branch", "status"]
    columns += ["pushed"] if plan.request.push else []
    columns += ["pull request"] if plan.request.open_prs else []
    for column in columns:
        grid.add_column(column)
    for step in plan.steps:
        run = step.run
        row = [str(step.part or "-"), str(step.info.week), step.info.id,
               f"{len(run.fixed)}/{len(run.findings)}" if run else "", str(len(run.changes)) if run else "",
               step.branch if step.changes else "", step.status]
        if plan.request.push:
            row.append(step.push.split(":")[0])
        if plan.request.open_prs:
            row.append(_pull_cell(step))
        grid.add_row(*row)
    buffer = StringIO()
    Console(file=buffer, width=200, no_color=True, highlight=False).print(grid)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    lines += _notes(plan)
    return redact("\n".join(lines), plan.secrets)


def _pull_cell(step: Step) -> str:
    if step.pull is None:
        return ""
    if step.pull.pull is not None and step.pull.action != "failed":
        return f"#{step.pull.pull.number} {step.pull.action}"
    return step.pull.action


def _notes(plan: Plan) -> list[str]:
    lines = []
    for step in plan.steps:
        if step.detail:
            lines.append(f"{step.info.id}: {step.detail}")
        if step.run:
            lines += [f"{step.info.id}: error: {problem.text}" for problem in step.run.problems]
        if step.push and step.push not in ("pushed", "up to date"):
            lines.append(f"{step.info.id}: push {step.push}")
        if step.pull and step.pull.action == "failed":
            lines.append(f"{step.info.id}: pull request failed: {step.pull.error}")
        elif step.pull and step.pull.note:  # declined, held above a declined one, merged before
            lines.append(f"{step.info.id}: pull request {step.pull.action}: {step.pull.note}"
                         + (f" ({step.pull.pull.url})" if step.pull.pull and step.pull.pull.url else ""))
        elif step.pull and step.pull.pull:
            lines.append(f"{step.info.id}: pull request {step.pull.action}: {step.pull.pull.url}")
        if step.patch:
            lines.append(f"{step.info.id}: patch {step.patch}")
        if step.status == REVIEW and step.run:
            lines.append(f"{step.info.id}: {len(step.run.findings)} finding(s) to review by hand, nothing fixed "
                         f"automatically (`fixer audit --fix {step.info.id}` lists them)")
    for module, reason in plan.not_run:
        lines.append(f"{module.INFO.id}: not run ({reason})")
    for one, other, paths in plan.conflicts:
        lines.append(f"{one} and {other} both change {', '.join(paths)}: merge one, then re-run the plan to rebuild the other")
    unreached = [step.info.id for step in plan.steps if step.status == NOT_REACHED]
    if unreached:
        lines.append(f"not reached (the plan stopped): {', '.join(unreached)}; their branches are as they were")
    wrote = any(step.status in (CREATED, REBUILT) for step in plan.steps)
    if wrote and plan.repo.git is not None and signs_commits(plan.repo.git):
        lines.append(UNSIGNED_NOTE)
    hooks_note = commit_hooks_note(plan.repo.git, f"{BRANCH_PREFIX}<id>") if wrote and plan.repo.git is not None else None
    if hooks_note:
        lines.append(f"note: {hooks_note}")
    if any(step.patch for step in plan.parts):  # (plain `git am` strips a CRLF file's line ends: its patch fails)
        lines.append(f"apply the patches with `git am --keep-cr {plan.request.patches}/*.patch` on the base")
    if plan.stale_patches:
        lines.append(f"{plan.request.patches} also holds {', '.join(plan.stale_patches)} (not this run's): "
                     "`git am` of every patch there would apply them too; remove them, or give --patches an empty directory")
    undone = [step.info.id for step in plan.steps if step.status == UNDONE]
    if undone:
        lines.append(f"undone (the plan stopped): {', '.join(undone)}; their branches were put back as they were")
    git = plan.repo.git
    if git is not None and plan.base_commit and git.is_dirty():
        lines.append(f"note: based on {plan.base_label} ({plan.base_commit[:10]}); uncommitted changes in your working tree are not included")
    if plan.config_note:
        lines.append(f"note: {plan.config_note}")
    total = len(plan.parts)
    counts = {}
    for step in plan.parts:
        counts[step.status] = counts.get(step.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    review = sum(len(step.run.findings) for step in plan.steps if step.status == REVIEW and step.run)
    if review:  # no branch for them, but they are not nothing
        summary += f"{'; ' if summary else ''}{review} finding(s) to review by hand, nothing fixed automatically"
    pushes: dict[str, int] = {}
    for step in plan.parts:
        if step.push:
            pushes[step.push.split(":")[0]] = pushes.get(step.push.split(":")[0], 0) + 1
    if pushes:  # (a branch not pushed leaves its pull request showing the old commits: not a quiet success)
        summary += f"; push to {plan.request.push}: " + ", ".join(f"{n} {status}" for status, n in pushes.items())
    lines.append(f"{total} branch(es) in the plan ({'stacked' if plan.stacked else 'independent'}, based on "
                 f"{plan.base_label})" + (f": {summary}" if summary else "; nothing to fix"))
    return lines


def plan_json(plan: Plan) -> str:
    steps = []
    for step in plan.steps:
        item = report.run_json(step.run) if step.run else {"fix": step.info.id}
        item.update({
            "part": step.part or None,
            "of": len(plan.parts),
            "order": step.info.order,
            "branch": step.branch if step.changes else None,
            "based_on": (step.previous.branch if step.previous else plan.base_label) if step.changes else None,
            "status": step.status,
            "detail": step.detail or None,
            "parent": step.parent,
            "commit": step.commit,
            "previous_commit": step.old_tip,
            "shares_files_with": step.shared or None,
            "push": step.push or None,
            "pull_request": None if step.pull is None else {
                "action": step.pull.action, "error": step.pull.error or None, "note": step.pull.note or None,
                "number": step.pull.pull.number if step.pull.pull else None,
                "url": step.pull.pull.url if step.pull.pull else None,
            },
            "patch": str(step.patch) if step.patch else None,
        })
        if plan.request.dry_run and step.changes:
            item["diff"] = step.diff.decode("utf-8", "replace")
        steps.append(item)
    document = {
        "fixer": __version__,
        "root": str(plan.repo.root),
        "base": {"ref": plan.base_label, "commit": plan.base_commit},
        "mode": "stacked" if plan.stacked else "independent",
        "dry_run": plan.request.dry_run,
        "steps": steps,
        "not_run": [{"fix": m.INFO.id, "reason": reason} for m, reason in plan.not_run],
        "conflicts": [{"branches": [a, b], "files": paths} for a, b, paths in plan.conflicts],
        "errors": plan.errors,
        "interrupted": plan.interrupted,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return text if plan.request.show_secrets and plan.request.dry_run else redact(text, plan.secrets)
