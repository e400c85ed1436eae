"""Run one fix on a fixture tree, in memory, the way `apply --dry-run` does."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fixer import config as config_mod
from fixer.model import Edit
from fixer.repo import DirectorySource, Repo
from fixer.runner import FixRun, run_fix
from transforms import registry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def read_tree(root: Path) -> dict[str, bytes]:
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in (".git", "node_modules")]
        for name in filenames:
            full = Path(dirpath) / name
            if full.is_symlink():
                continue
            files[full.relative_to(root).as_posix()] = full.read_bytes()
    return files


def open_tree(root: Path) -> Repo:
    modules = registry()
    return Repo(root, DirectorySource(root), config_mod.load(root, modules))


def run_on_tree(fix_id: str, root: Path, *, verify: bool = True) -> tuple[Repo, FixRun]:
    modules = registry()
    repo = open_tree(root)
    options = config_mod.options_for(modules[fix_id].INFO, repo.config)
    return repo, run_fix(repo, modules[fix_id], options, verify_changes=verify)


def tree_after(before: dict[str, bytes], run: FixRun) -> dict[str, bytes]:
    after = dict(before)
    for path, change in run.changes.items():
        if change.after is None:
            after.pop(path, None)
        else:
            after[path] = change.after
    return after


def edits_by_path(run: FixRun) -> dict[str, list[Edit]]:
    found: dict[str, list[Edit]] = {}
    for finding in run.findings:
        for change in finding.changes:
            if isinstance(change, Edit):
                found.setdefault(change.path, []).append(change)
    return found


@dataclass(frozen=True)
class Case:
    fix_id: str
    path: Path

    @property
    def name(self) -> str:
        return f"{self.fix_id}/{self.path.name}"

    @property
    def before(self) -> Path:
        return self.path / "before"

    @property
    def after(self) -> Path | None:
        after = self.path / "after"
        return after if after.is_dir() else None

    def expected_findings(self) -> list[tuple[str, int, str]] | None:
        """findings.txt: one `path:line: message fragment` per finding, `#` comments."""
        listing = self.path / "findings.txt"
        if not listing.is_file():
            return None
        expected = []
        for raw in listing.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            location, _, fragment = raw.partition(": ")
            path, _, line = location.rpartition(":")
            expected.append((path, int(line), fragment.strip()))
        return expected


def all_cases() -> list[Case]:
    cases = []
    for fix_id in registry():
        folder = FIXTURES / fix_id
        if not folder.is_dir():
            continue
        for case in sorted(p for p in folder.iterdir() if p.is_dir()):
            cases.append(Case(fix_id, case))
    return cases


def write_changes(root: Path, run: FixRun) -> None:
    """Write a run's verified changes into a tree on disk (tests only; fixer itself never does)."""
    for path, change in run.changes.items():
        target = root / path
        if change.after is None:
            continue  # untracked: the file stays on disk
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(change.after)
