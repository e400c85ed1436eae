"""The `fixer` command as a user meets it: output, exit codes, errors, help, docs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixer import docs
from gitrepo import SMALL_REPO, fixer, fixer_on_terminal, make_repo, write_tree
from transforms import registry

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["list", "show", "audit", "apply", "plan", "demo"]


def test_version_and_help_on_every_command() -> None:
    version = fixer("--version")
    assert version.returncode == 0 and version.stdout.decode().startswith("fixer ")
    for command in COMMANDS:
        result = fixer(command, "--help")
        assert result.returncode == 0, command
        assert b"Usage: " in result.stdout, command


def test_list_in_priority_order_and_as_json() -> None:
    text = fixer("list").stdout.decode()
    ids = list(registry())
    assert all(i in text for i in ids)
    entries = json.loads(fixer("list", "--json").stdout)
    assert [e["id"] for e in entries] == ids
    assert [(e["week"], e["order"]) for e in entries] == sorted((e["week"], e["order"]) for e in entries)
    assert set(entries[0]) == {"order", "id", "audit", "week", "severity", "safety", "title"}


@pytest.mark.parametrize("fix_id", list(registry()))
def test_show_is_the_doc_page_and_the_doc_is_complete(fix_id: str) -> None:
    module = registry()[fix_id]
    assert docs.missing_sections(module) == [], f"{fix_id}: docstring lacks sections"
    page = ROOT / "docs" / "fixes" / f"{fix_id}.md"
    assert page.is_file(), f"missing {page}; run: fixer show --markdown {fix_id} > {page}"
    shown = fixer("show", fix_id).stdout.decode()
    assert shown == page.read_text(encoding="utf-8"), f"{page} is out of date: fixer show --markdown {fix_id} > {page}"
    for section in docs.SECTIONS:
        assert f"## {section}" in shown


def test_audit_exit_codes_and_output(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    found = fixer("audit", str(repo))
    assert found.returncode == 1
    lines = found.stdout.decode().splitlines()
    assert any(line.strip().startswith(str(repo / "services/booking-service/src/app.ts") + ":4:10")
               and "health-endpoints" in line for line in lines), lines
    document = json.loads(fixer("audit", "--json", str(repo)).stdout)
    first = document["findings"][0]
    assert {"fix", "path", "line", "col", "message", "severity", "fixable"} <= set(first)
    clean = make_repo(tmp_path / "clean", {"services/a/package.json": "{}", "services/a/app.ts": "app.get('/health', h);\n"})
    ok = fixer("audit", str(clean))
    assert ok.returncode == 0 and b"No findings" in ok.stdout


def test_audit_reads_the_working_tree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    (repo / "services/booking-service/src/app.ts").write_text("app.get('/health', h);\n")
    (repo / "services/booking-service/src/extra.ts").write_text("app.get('/healthz', h);\n")  # untracked
    document = json.loads(fixer("audit", "--fix", "health-endpoints", "--json", str(repo)).stdout)
    assert {f["path"] for f in document["findings"]} == {"services/booking-service/src/extra.ts"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["apply", "--fix", "no-such-fix", "."],
         f"unknown fix 'no-such-fix'; known fixes: {', '.join(registry())}".encode()),
        (["audit", "/no/such/dir"], b"no such directory"),
        (["show", "nope"], b"unknown fix 'nope'"),
        (["apply", "--fix", "health-endpoints", "--option", "keep-alias", "."], b"expected FIX.KEY=VALUE"),
        (["apply", "--fix", "health-endpoints", "--option", "health-endpoints.nope=1", "."], b"unknown option 'nope'"),
        (["apply", "--fix", "health-endpoints", "--dry-run", "--base", "no-such-ref", "."], b"unknown revision"),
        (["apply", "--fix", "health-endpoints", "--branch", "bad..name", "."], b"not a valid branch name"),
    ],
)
def test_user_mistakes_are_one_clear_line_and_exit_2(tmp_path: Path, args: list[str], message: bytes) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    result = fixer(*args, cwd=repo)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {**SMALL_REPO, ".fixer.toml": "[fix.health-endpoints]\nkeep_alias = true\n"})
    result = fixer("audit", str(repo))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "fixer: .fixer.toml: unknown option 'keep_alias' for fix health-endpoints (known: keep-alias)"
    )


def test_config_file_options_and_flags_win(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {**SMALL_REPO, ".fixer.toml": "[fix.health-endpoints]\nkeep-alias = true\n"})
    aliased = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo)).stdout
    assert b"app.get(['/health', '/healthz']," in aliased
    plain = fixer("apply", "--fix", "health-endpoints", "--dry-run", "-o", "health-endpoints.keep-alias=false", str(repo))
    assert b"+app.get('/health'," in plain.stdout


def test_excluded_paths_are_skipped_with_a_reason(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {**SMALL_REPO, ".fixer.toml": 'exclude = ["services/booking-service/**"]\n'})
    result = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo))
    assert result.returncode == 0 and result.stdout == b""
    assert b"excluded by .fixer.toml" in result.stderr


def test_diff_is_colored_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    colored = fixer_on_terminal(["apply", "--fix", "health-endpoints", "--dry-run", "."], repo)
    assert b"\x1b[31m-app.get('/healthz'," in colored and b"\x1b[32m+app.get('/health'," in colored
    plain = fixer_on_terminal(["apply", "--fix", "health-endpoints", "--dry-run", "--no-color", "."], repo)
    assert b"\x1b[" not in plain and b"+app.get('/health'," in plain


def test_dry_run_reports_skipped_files_and_why(tmp_path: Path) -> None:
    files = dict(SMALL_REPO)
    files["services/booking-service/src/legacy.ts"] = b"app.get('/healthz', h, h);\n\xff\xfe"
    repo = make_repo(tmp_path / "r", files)
    result = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo))
    assert b"1 skipped: not UTF-8" in result.stderr and b"legacy.ts" in result.stderr


def test_internal_errors_are_one_line_without_debug(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    write_tree(repo, {"a.ts": "x\n"})
    result = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo / "a.ts"))
    assert result.returncode == 2 and b"not a directory" in result.stderr


def test_display_paths_are_relative_to_the_current_directory(tmp_path: Path) -> None:
    import os

    from fixer.report import _display_path

    root = str(tmp_path / "repo")
    for path in ("a.ts", "services/x/src/index.ts", ".env", "services/x/.env.production"):
        full = os.path.join(root, path)
        assert _display_path(root, path, root) == os.path.relpath(full, root) == path
        assert _display_path(root, path, str(tmp_path)) == os.path.join("repo", path)
    assert _display_path(root, "services/x/src/index.ts", os.path.join(root, "services")) == "x/src/index.ts"
    assert _display_path(root, "a.ts", "/elsewhere") == os.path.join(root, "a.ts")
