"""Every fixture case of every registered fix: fixtures/<id>/<case>/before/ (+ after/).

For each case: the result equals after/ byte for byte (no after/: nothing changes);
the fix reports no errors; a second run on after/ wants no change (idempotent);
every changed file parses at least as well as before; every byte outside the edits
is unchanged; the dry-run diff applied with `git apply` to before/ gives after/; and,
when the case lists them in findings.txt, exactly the expected findings.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fixer import report, verify
from fixer.repo import classify
from harness import Case, all_cases, edits_by_path, read_tree, run_on_tree, tree_after
from transforms import registry

CASES = all_cases()


def _show_difference(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    lines = []
    for path in sorted(set(expected) | set(actual)):
        if expected.get(path) != actual.get(path):
            lines.append(f"--- {path}\nexpected: {expected.get(path)!r}\nactual:   {actual.get(path)!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_case(case: Case, tmp_path: Path) -> None:
    before = read_tree(case.before)
    repo, run = run_on_tree(case.fix_id, case.before)

    assert not run.problems, [p.message for p in run.problems]
    expected = read_tree(case.after) if case.after else before
    actual = tree_after(before, run)
    assert actual == expected, _show_difference(expected, actual)
    if case.after is None:
        assert not run.changes

    # every finding points at a line its file has (SARIF viewers anchor nothing else), or at
    # line 1 of a file the run adds
    for finding in run.findings:
        data = before.get(finding.path)
        lines = data.count(b"\n") + (not data.endswith(b"\n")) if data else 1
        assert 1 <= finding.line <= lines, (finding.path, finding.line, finding.message)

    # every changed file re-parses, and no byte outside the edits moved
    edits = edits_by_path(run)
    for path, change in run.changes.items():
        if change.before is None or change.after is None:
            continue
        assert verify.reparse_problem(classify(path), change.before, change.after) is None, path
        assert verify.outside_problem(change.before, edits[path], change.after) is None, path

    # idempotent: running on the expected result changes nothing
    if case.after:
        _, second = run_on_tree(case.fix_id, case.after)
        assert not second.changes, f"second run changes {sorted(second.changes)}"
        assert not any(f.fixable for f in second.findings)

    # the dry-run diff applies with `git apply` and gives after/
    diff = report.run_diff(run, repo, show_secrets=True)  # the raw diff: redacted values would not apply
    if diff:
        work = tmp_path / "work"
        shutil.copytree(case.before, work)
        applied = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], input=diff, cwd=work, capture_output=True)
        assert applied.returncode == 0, applied.stderr.decode()
        assert read_tree(work) == expected

    listed = case.expected_findings()
    if listed is not None:
        found = sorted((f.path, f.line, f.message) for f in run.findings)
        assert len(found) == len(listed), "\n".join(f"{p}:{l}: {m}" for p, l, m in found)
        for path, line, fragment in listed:
            assert any(p == path and l == line and fragment in m for p, l, m in found), (
                f"expected {path}:{line}: {fragment}\nfound:\n" + "\n".join(f"{p}:{l}: {m}" for p, l, m in found)
            )


def test_every_fix_has_the_required_kinds_of_case() -> None:
    """House rule 4: a case that changes something, one that must change nothing."""
    for fix_id in registry():
        cases = [c for c in CASES if c.fix_id == fix_id]
        assert any(c.after for c in cases), f"{fix_id}: no case that changes something"
        assert any(c.after is None for c in cases), f"{fix_id}: no case that must change nothing"


def test_no_fixture_file_is_left_out_of_git_by_a_fixtures_own_gitignore() -> None:
    """Fixture trees carry .gitignore files (they are repositories); `git add fixtures/` then
    silently leaves out the very .env files they test. Force-add them (`git add -f`)."""
    from harness import ROOT

    listed = subprocess.run(["git", "ls-files", "-o", "--ignored", "--exclude-standard", "fixtures"],
                            cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    assert listed.stdout.split() == [], "ignored but needed: git add -f " + " ".join(listed.stdout.split())
