"""The engine under each fix: edits, verification, skips, config, and the runner's guarantees.

Fake fixes here are tiny modules built in the test, so each guarantee is checked
against a fix that breaks it on purpose.
"""

from __future__ import annotations

import os
import types
from pathlib import Path
from typing import Any, Iterator

import pytest

from fixer import config as config_mod
from fixer import diffs, edits, verify
from fixer.errors import UsageError
from fixer.model import Edit, Finding, FixInfo, NewFile
from fixer.parsing import envfile
from fixer.parsing.text import Text
from fixer.repo import DirectorySource, Repo, SkipFile, open_repo
from fixer.runner import run_fix
from gitrepo import fixer, git, make_repo, write_tree
from harness import run_on_tree
from transforms import registry

# --- edits --------------------------------------------------------------------------


def test_insertion_at_a_replaced_start_keeps_both() -> None:
    """The naive-engine bug: an import inserted before a first statement that is itself rewritten."""
    data = b"console.log(1);\n"
    out = edits.apply(data, [Edit("f", 0, 15, "logger.info(1);"), Edit("f", 0, 0, "import x;\n")])
    assert out == b"import x;\nlogger.info(1);\n"


def test_overlapping_edits_are_a_conflict_not_a_silent_drop() -> None:
    with pytest.raises(edits.Conflict):
        edits.apply(b"abcdef", [Edit("f", 0, 3, "x"), Edit("f", 2, 4, "y")])
    with pytest.raises(edits.Conflict):
        edits.apply(b"abcdef", [Edit("f", 0, 4, "x"), Edit("f", 2, 2, "y")])


def test_identical_edits_count_once_and_adjacent_edits_both_apply() -> None:
    assert edits.apply(b"abc", [Edit("f", 0, 1, "X"), Edit("f", 0, 1, "X"), Edit("f", 1, 2, "Y")]) == b"XYc"


def test_new_lines_take_the_files_line_ending() -> None:
    data = b"a\r\nb\r\n"
    assert edits.apply(data, [Edit("f", 3, 3, "x\ny\n")]) == b"a\r\nx\r\ny\r\nb\r\n"
    assert edits.apply(b"a\nb\n", [Edit("f", 2, 2, "x\r\n")]) == b"a\nx\nb\n"


# --- text ---------------------------------------------------------------------------


def test_text_facts() -> None:
    text = Text("\ufeffa\r\n\tb = 'é'\r\nc".encode())
    assert text.eol == "\r\n"
    assert text.line_col(text.data.index(b"a")) == (1, 1)
    assert text.line_col(text.data.index(b"'")) == (2, 6)
    assert text.line_text(2) == "\tb = 'é'"
    assert Text(b"if x:\n\tif y:\n\t\tz\n").indent_unit == "\t"
    assert Text(b"a {\n    b {\n        c\n    }\n}\n").indent_unit == "    "
    assert Text(b"a\nb").line_span(2) == (2, 3)


def test_envfile_line_model() -> None:
    data = b'# comment\nexport A=1\nB="two # not a comment" # real comment\nC=three # note\nD=\nBAD LINE\n'
    entries = {e.key: e for e in envfile.parse(data)}
    assert set(entries) == {"A", "B", "C", "D"}
    assert entries["B"].value == "two # not a comment" and entries["B"].quote == '"'
    assert entries["B"].comment == "# real comment"
    assert data[entries["C"].value_start : entries["C"].value_end] == b"three"
    assert entries["D"].value == ""


def test_an_empty_value_followed_by_a_comment_is_empty() -> None:
    """`SENTRY_DSN=            # optional` (typescript-express-starter's .env.example): dotenv and compose
    read it as empty, the blanks before `#` making it a comment; the empty value sits right after `=`, so
    a value written there keeps the blanks before the comment. `KEY=#x` (no blank) is compose's value `#x`."""
    data = b"SENTRY_DSN=            # Sentry DSN (optional)\nTAB=\t# tab\nHASH=#x\n"
    entries = {e.key: e for e in envfile.parse(data)}
    assert (entries["SENTRY_DSN"].value, entries["SENTRY_DSN"].comment) == ("", "# Sentry DSN (optional)")
    assert entries["SENTRY_DSN"].value_start == entries["SENTRY_DSN"].value_end == len(b"SENTRY_DSN=")
    assert (entries["TAB"].value, entries["TAB"].comment) == ("", "# tab")
    assert (entries["HASH"].value, entries["HASH"].comment) == ("#x", "")


# --- verification -------------------------------------------------------------------


def test_yaml_meaning_check_catches_a_change_outside_the_edit() -> None:
    before = b"a:\n  x: 1\nb:\n  y: 2\n"
    good = b"a:\n  x: 9\nb:\n  y: 2\n"
    bad = b"a:\n  x: 9\nb:\n  y: 3\n"
    edit = [Edit("c.yml", 8, 9, "9")]
    assert verify.meaning_problem("compose", before, good, edit) is None
    assert verify.meaning_problem("compose", before, bad, edit) is not None


def test_a_key_added_after_a_block_belongs_to_the_mapping_that_holds_the_block() -> None:
    # a block collection's span runs on to the next key's indentation: an insertion at the start of
    # that line is a new key of the service, not an edit inside its `environment:` block
    before = b'services:\n  api:\n    environment:\n      DEBUG: "1"\n  db:\n    image: postgres\n'
    at = before.index(b"  db:")
    added = b"    env_file:\n      - .env.development\n"
    edit = [Edit("docker-compose.override.yml", at, at, added.decode())]
    after = before[:at] + added + before[at:]
    assert verify.meaning_problem("compose", before, after, edit) is None
    moved = before[:at] + added + before[at:].replace(b"postgres", b"mysql")  # (and nothing else may change)
    assert verify.meaning_problem("compose", before, moved, edit) is not None


def test_a_helm_templates_edits_are_verified_with_its_actions_blanked() -> None:
    before = (b"spec:\n  {{- with .Values.resources }}\n  resources: {{- toYaml . | nindent 4 }}\n  {{- end }}\n"
              b"  env:\n    - name: A\n      value: old-value\n    - name: B\n      value: keep\n")
    at = before.index(b"old-value")
    edit = [Edit("charts/api/templates/deployment.yaml", at, at + len(b"old-value"), "new-value")]
    after = before.replace(b"old-value", b"new-value")
    assert verify.check("charts/api/templates/deployment.yaml", before, after, edit) is None
    worse = after.replace(b"value: keep", b"value: kept")  # outside the edit: the byte check says so
    assert verify.check("charts/api/templates/deployment.yaml", before, worse, edit) is not None
    action = before.index(b".Values.resources")
    into = [Edit("charts/api/templates/deployment.yaml", action, action + 7, ".Chart")]
    touched = before.replace(b".Values.resources", b".Chart.resources")
    assert verify.check("charts/api/templates/deployment.yaml", before, touched, into) == \
        "the edit touches a template action"
    broken_at = before.index(b"keep")
    breaks = [Edit("charts/api/templates/deployment.yaml", broken_at, broken_at + 4, "[unclosed")]
    assert verify.check("charts/api/templates/deployment.yaml", before, before.replace(b"keep", b"[unclosed"),
                        breaks) == "the edited file no longer parses"


def test_dockerfile_meaning_check_only_allows_edited_instructions() -> None:
    before = b"FROM node:20\nRUN a\nCMD b\n"
    edit = [Edit("Dockerfile", 17, 18, "z")]  # RUN a -> RUN z
    assert verify.meaning_problem("dockerfile", before, b"FROM node:20\nRUN z\nCMD b\n", edit) is None
    assert verify.meaning_problem("dockerfile", before, b"FROM node:20\nRUN z\nCMD c\n", edit) is not None


def test_typescript_reparse_counts_new_errors_only() -> None:
    valid_ts5 = b"export type * from './a';\n"  # the grammar rejects this valid TS 5 syntax
    assert verify.reparse_problem("ts", valid_ts5, valid_ts5 + b"const a = 1;\n") is None
    assert verify.reparse_problem("ts", b"const a = 1;\n", b"const a = (1;\n") is not None


# --- files the engine never rewrites -------------------------------------------------


def test_skip_reasons(tmp_path: Path) -> None:
    outside = tmp_path / "outside.ts"
    outside.write_text("app.get('/healthz', h, h);\n")
    root = tmp_path / "r"
    write_tree(root, {
        "a.ts": "ok();\n",
        "bin.ts": b"\x00\x01binary",
        "latin1.ts": "caf\xe9".encode("latin-1"),
        "big.ts": "x" * 300 + "\n",
        "node_modules/pkg/index.js": "console.log(1)\n",
        "dist/index.js": "console.log(1)\n",
        "gen.ts": "// @generated by protoc\nconsole.log(1)\n",
    })
    os.symlink(outside, root / "link.ts")
    config = config_mod.Config(max_file_size=200)
    repo = Repo(root, DirectorySource(root), config)
    reasons = {}
    for path in ("bin.ts", "latin1.ts", "big.ts", "dist/index.js", "gen.ts", "link.ts"):
        with pytest.raises(SkipFile) as skipped:
            repo.file(path)
        reasons[path] = str(skipped.value)
    assert reasons == {
        "bin.ts": "binary",
        "latin1.ts": "not UTF-8",
        "big.ts": "over the size limit (301 > 200 bytes)",
        "dist/index.js": "build output (dist/)",
        "gen.ts": 'generated (its header says "@generated by protoc": change what generates it)',
        "link.ts": "symlink (never followed)",
    }
    assert not repo.exists("node_modules/pkg/index.js")
    assert "node_modules/" in {s.path for s in repo.skips_for({"ts", "js"})}
    assert [f.path for f in repo.files({"ts"})] == ["a.ts"]


def test_minified_and_bundled_scripts_are_skipped(tmp_path: Path) -> None:
    """A bundle committed to be loaded as text and run in a sandbox without `require`
    (`lib.ivm.bundle.js`): an import added to it breaks it, and nobody reviews its diff."""
    root = tmp_path / "r"
    write_tree(root, {
        "services/a/package.json": '{"name": "a", "dependencies": {"winston": "3"}}',
        "services/a/src/logger.js": "const winston = require('winston');\n"
                                    "module.exports = winston.createLogger({ transports: [new winston.transports.Console()] });\n",
        "services/a/src/app.js": "const logger = require('./logger');\nlogger.info('up');\nconsole.log('app');\n",
        "services/a/src/lib.ivm.bundle.js": '(()=>{typeof console<"u"&&console.error("x")})();\n',
        "services/a/src/vendor.js": "var a=1;" * 400 + "\nconsole.log(a);\n",  # 3,200 bytes on two lines
        "services/a/src/rows.js": ("const rows = [" + "1, " * 200 + "];\n") * 3 + "console.log(rows);\n",
        "services/a/src/compiled.js": "'use strict';\nconsole.log('compiled');\n"  # tsc's output with its map inline
                                      "//# sourceMappingURL=data:application/json;base64," + "QUFBQSxTQUFTQTs" * 400 + "\n",
    })
    repo = Repo(root, DirectorySource(root), config_mod.Config())
    for path in ("services/a/src/lib.ivm.bundle.js", "services/a/src/vendor.js"):
        with pytest.raises(SkipFile, match=r"^minified or bundled \(a build's output: change its source\)$"):
            repo.file(path)
    assert repo.file("services/a/src/rows.js").data.startswith(b"const rows")  # long lines, no minified file's
    run = run_on_tree("console-to-logger", root)[1]
    assert sorted(run.changes) == ["services/a/src/app.js", "services/a/src/compiled.js", "services/a/src/rows.js"]
    assert {s.path: s.reason for s in run.skips}.get("services/a/src/vendor.js", "").startswith("minified")


def test_submodules_are_skipped(tmp_path: Path) -> None:
    sub = make_repo(tmp_path / "sub", {"x.ts": "app.get('/healthz', h, h);\n"})
    main = make_repo(tmp_path / "main", {"a.ts": "x\n"})
    git(main, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor/sub")
    git(main, "commit", "-q", "-m", "sub")
    repo = open_repo(main, config_mod.Config())
    assert repo.skip_reason("vendor/sub").startswith("submodule")
    assert all(not p.startswith("vendor/sub/") for p in repo.paths())
    # reported by every fix's run, whatever its kinds: what it holds is not read (the README says so)
    assert [s.reason for s in repo.skips_for({"ts"}) if s.path == "vendor/sub"] == [
        "submodule (its files are not read: run fixer in it)"]
    dry = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(main))
    assert b"vendor/sub" in dry.stderr and b"submodule" in dry.stderr, dry.stderr


def test_a_commit_is_read_from_its_checkout_only_where_the_bytes_are_the_commits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HEAD's files come from the working tree when they hash to HEAD's blob ids; a file
    edited, deleted or replaced on disk comes from the object store, as does any other commit."""
    from fixer.gitops import GitRepo

    main = make_repo(tmp_path / "main", {"same.ts": "a\n", "edited.ts": "b\n", "gone.ts": "c\n", "dir.ts": "d\n",
                                         "pipe.ts": "p\n"})
    (main / "edited.ts").write_text("edited on disk\n")
    (main / "gone.ts").unlink()
    (main / "dir.ts").unlink()
    (main / "dir.ts").mkdir()
    (main / "pipe.ts").unlink()
    os.mkfifo(main / "pipe.ts")  # reading it would block for good
    from_store: list[str] = []
    real = GitRepo.read_blob
    monkeypatch.setattr(GitRepo, "read_blob", lambda self, blob: from_store.append(blob) or real(self, blob))
    repo = open_repo(main, config_mod.Config())
    assert {path: repo.file(path).data for path in ("same.ts", "edited.ts", "gone.ts", "dir.ts", "pipe.ts")} == {
        "same.ts": b"a\n", "edited.ts": b"b\n", "gone.ts": b"c\n", "dir.ts": b"d\n", "pipe.ts": b"p\n"}
    assert len(from_store) == 4  # all but same.ts
    first = git(main, "rev-parse", "HEAD").strip()
    (main / "pipe.ts").unlink()
    (main / "same.ts").write_text("a2\n")
    git(main, "commit", "-qam", "second")
    (main / "same.ts").write_text("a\n")  # the first commit's bytes, but not HEAD's
    older = open_repo(main, config_mod.Config(), base=first)
    assert older.source.checkout is None
    assert older.file("same.ts").data == b"a\n" and older.file("edited.ts").data == b"b\n"


def test_files_are_read_whole_whatever_their_size(tmp_path: Path) -> None:
    """Reading with plain system calls: an empty file, one of many reads' length, and one
    that is longer than the size the reader was told (it grew after the stat)."""
    from fixer.cache import blob_id
    from fixer.repo import Entry, _read_all, read_checked_out, read_file

    contents = {"empty.ts": b"", "small.ts": b"a\r\nb", "big.ts": bytes(range(256)) * 1000 + b"end"}
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
        assert read_file(tmp_path, name) == data
        assert read_checked_out(str(tmp_path), Entry(name, "100644", blob_id(data), len(data), tracked=True)) == data
        assert read_checked_out(str(tmp_path), Entry(name, "100644", blob_id(data + b"x"), None, tracked=True)) is None
        descriptor = os.open(tmp_path / name, os.O_RDONLY)
        try:
            assert _read_all(descriptor, 1) == data  # told 1 byte: still all of it
        finally:
            os.close(descriptor)
    with pytest.raises(OSError):
        read_file(tmp_path, "missing.ts")


def test_the_size_limit_holds_for_a_commit_read_from_its_checkout_and_from_the_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HEAD's listing has no sizes (git would read every object's header for them): a big
    file is ruled out once read. Another commit's listing has them: a big blob is ruled
    out before it is read."""
    from fixer.gitops import GitRepo

    main = make_repo(tmp_path / "main", {"big.ts": "x" * 300 + "\n", "small.ts": "y\n"})
    first = git(main, "rev-parse", "HEAD").strip()
    (main / "small.ts").write_text("y2\n")
    git(main, "commit", "-qam", "second")
    config = config_mod.Config(max_file_size=200)
    head = open_repo(main, config)
    assert head.entry("big.ts").size is None
    with pytest.raises(SkipFile, match=r"over the size limit \(301 > 200 bytes\)"):
        head.file("big.ts")
    read: list[str] = []
    real = GitRepo.read_blob
    monkeypatch.setattr(GitRepo, "read_blob", lambda self, blob: read.append(blob) or real(self, blob))
    older = open_repo(main, config, base=first)
    assert older.skip_reason("big.ts") == "over the size limit (301 > 200 bytes)"
    with pytest.raises(SkipFile, match="over the size limit"):
        older.file("big.ts")
    assert older.file("small.ts").data == b"y\n"
    assert read == [older.entry("small.ts").blob]  # the big blob was never read

# --- config -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ("[fix.no-such-fix]\nx = 1\n", "unknown fix [fix.no-such-fix]"),
        ("[fix.health-endpoints]\nkeep_alias = true\n", "unknown option 'keep_alias'"),
        ("[fix.health-endpoints]\nkeep-alias = 'yes'\n", "must be true or false"),
        ("max-file-size = -1\n", "positive integer"),
        ("include = 'services'\n", "list of glob strings"),
        ("not toml at all [\n", "not valid TOML"),
    ],
)
def test_config_errors_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".fixer.toml").write_text(text)
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        config_mod.load(tmp_path, registry())


def test_config_and_flags(tmp_path: Path) -> None:
    (tmp_path / ".fixer.toml").write_text('exclude = ["legacy/**"]\n[fix.health-endpoints]\nkeep-alias = true\n')
    config = config_mod.load(tmp_path, registry())
    info = registry()["health-endpoints"].INFO
    assert config_mod.options_for(info, config) == {"keep-alias": True}
    assert config_mod.options_for(info, config, {"keep-alias": False}) == {"keep-alias": False}
    assert config_mod.parse_cli_option("health-endpoints.keep-alias=false", registry())[2] is False


# --- the runner's guarantees, against fixes that break them on purpose ----------------


def _fake_fix(scan: Any, **info: Any) -> types.ModuleType:
    module = types.ModuleType("fake_fix")
    module.INFO = FixInfo(  # type: ignore[attr-defined]
        id="fake", title="Fake", audit="test", week=1, order=1, severity="low", safety="safe",
        kinds=frozenset(info.pop("kinds", {"ts"})), **info,
    )
    module.scan = scan  # type: ignore[attr-defined]
    return module


def _tree(tmp_path: Path, files: dict[str, str]) -> Repo:
    write_tree(tmp_path, files)
    return Repo(tmp_path, DirectorySource(tmp_path))


def test_one_files_failure_does_not_stop_the_run(tmp_path: Path) -> None:
    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        if f.path == "b.ts":
            raise RuntimeError("boom")
        if f.data.startswith(b"x"):
            yield Finding("fake", f.path, 1, 1, "rename", (Edit(f.path, 0, 1, "y"),))

    run = run_fix(_tree(tmp_path, {"a.ts": "x;\n", "b.ts": "x;\n", "c.ts": "x;\n"}), _fake_fix(scan), {})
    assert sorted(run.changes) == ["a.ts", "c.ts"]
    assert [p.path for p in run.problems] == ["b.ts"]
    assert "RuntimeError" in run.problems[0].message and "boom" not in run.problems[0].message  # text can quote a file
    assert "boom" in run.problems[0].detail  # for --debug


def test_an_edit_that_breaks_parsing_is_rolled_back_for_that_file(tmp_path: Path) -> None:
    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        text = "(" if f.path == "bad.ts" else "let "
        if not f.data.startswith(b"let"):
            yield Finding("fake", f.path, 1, 1, "edit", (Edit(f.path, 0, 0, text),))

    run = run_fix(_tree(tmp_path, {"bad.ts": "x = 1;\n", "good.ts": "x = 1;\n"}), _fake_fix(scan), {})
    assert list(run.changes) == ["good.ts"]
    assert "parse errors" in run.problems[0].message and run.dropped == {"bad.ts"}
    assert not run.is_fixed(next(f for f in run.findings if f.path == "bad.ts"))


def test_a_fix_that_is_not_idempotent_is_caught(tmp_path: Path) -> None:
    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:  # appends forever
        yield Finding("fake", f.path, 1, 1, "again", (Edit(f.path, len(f.data), len(f.data), "x;\n"),))

    run = run_fix(_tree(tmp_path, {"a.ts": "x;\n"}), _fake_fix(scan), {})
    assert not run.changes
    assert "not idempotent" in run.problems[0].message


def test_conflicting_edits_from_two_findings_are_an_error(tmp_path: Path) -> None:
    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        yield Finding("fake", f.path, 1, 1, "one", (Edit(f.path, 0, 3, "aaa"),))
        yield Finding("fake", f.path, 1, 2, "two", (Edit(f.path, 1, 4, "bbb"),))

    run = run_fix(_tree(tmp_path, {"a.ts": "xxxxx;\n"}), _fake_fix(scan), {})
    assert not run.changes and "overlapping edits" in run.problems[0].message


def test_new_files_never_overwrite(tmp_path: Path) -> None:
    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        yield Finding("fake", f.path, 1, 1, "create", (NewFile("a.ts", "overwritten\n"), NewFile("new.ts", "ok;\n")))

    run = run_fix(_tree(tmp_path, {"a.ts": "x;\n"}), _fake_fix(scan), {})
    assert "overwrite" in run.problems[0].message
    # a finding's changes stand or fall together: its other new file is not made either
    assert list(run.changes) == [] and "goes with the change to a.ts" in run.problems[1].message


def test_a_new_file_never_replaces_one_git_does_not_track(tmp_path: Path) -> None:
    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        yield Finding("fake", f.path, 1, 1, "create", (NewFile("local.ts", "ours;\n"),))
        yield Finding("fake", f.path, 1, 1, "edit", (Edit(f.path, 0, 1, "y"),))

    repo = _tree(tmp_path, {"a.ts": "x;\n"})
    (tmp_path / "local.ts").write_text("theirs;\n")  # (not in the listing: ignored, say)
    run = run_fix(repo, _fake_fix(scan), {})
    assert list(run.changes) == ["a.ts"] and "git ignores or does not track" in run.problems[0].message


def test_prefilter_means_files_without_the_needle_are_never_scanned(tmp_path: Path) -> None:
    seen = []

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        seen.append(f.path)
        return iter(())

    repo = _tree(tmp_path, {"a.ts": "console.log(1)\n", "b.ts": "x\n"})
    run_fix(repo, _fake_fix(scan, prefilter=(b"console",)), {})
    assert seen == ["a.ts"]


def _gate_of_x(f: Any) -> bool:
    return b"x" in f.data


def _broken_gate(f: Any) -> bool:
    raise RuntimeError("broken gate")


def test_a_gate_rules_files_out_of_the_scan_and_a_broken_gate_rules_out_nothing(tmp_path: Path) -> None:
    from fixer.repo import FactsSpec

    seen: list[str] = []

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        seen.append(f.path)
        yield Finding("fake", f.path, 1, 1, "found")

    repo = _tree(tmp_path, {"a.ts": "x\n", "b.ts": "y\n", "c.ts": "yx\n"})
    fix = _fake_fix(scan)
    fix.GATE = FactsSpec("fake/gate", _gate_of_x, frozenset({"ts"}))  # type: ignore[attr-defined]
    run = run_fix(repo, fix, {})
    assert sorted(seen) == ["a.ts", "c.ts"] and sorted(f.path for f in run.findings) == ["a.ts", "c.ts"]
    seen.clear()
    fix.GATE = FactsSpec("fake/broken-gate", _broken_gate, frozenset({"ts"}))  # type: ignore[attr-defined]
    run = run_fix(_tree(tmp_path / "again", {"a.ts": "x\n", "b.ts": "y\n"}), fix, {})
    assert sorted(seen) == ["a.ts", "b.ts"] and not run.problems


def test_secrets_are_redacted_everywhere_a_run_is_reported(tmp_path: Path) -> None:
    from fixer import report

    secret = "sk_live_" + "Q9x7Lm2Vt8Rb4Kc6Np3Zs5Hd"  # fake, built at test time

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        start = f.data.index(secret.encode())
        yield Finding("fake", f.path, 1, 1, f"secret {secret} in {f.path}",
                      (Edit(f.path, start, start + len(secret), "your-stripe-key"),), secrets=(secret,))

    repo = _tree(tmp_path, {"a.ts": f"const key = '{secret}';\n"})
    module = _fake_fix(scan)
    module.__doc__ = f"Fake.\n\n## Why\n\nBecause {secret}.\n"
    run = run_fix(repo, module, {})
    assert run.changes
    outputs = [
        report.run_diff(run, repo).decode(),
        report.run_summary(run),
        report.findings_text([run], repo),
        report.audit_json([run], repo),
        report.commit_message(run, module),
    ]
    for text in outputs:
        assert secret not in text
    assert "sk_l…(32 chars)" in outputs[2]
    assert secret.encode() in report.run_diff(run, repo, show_secrets=True)


def test_services_of_the_sample_monorepo() -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures" / "sample-monorepo"
    repo = Repo(root, DirectorySource(root))
    table = {s.name: (s.dir, s.entry, s.port, s.dockerfiles) for s in repo.services}
    assert table["booking-service"] == ("services/booking-service", "services/booking-service/src/index.ts", 3003,
                                        ["services/booking-service/Dockerfile"])
    assert table["student-service"][1:3] == ("services/student-service/index.js", 3001)  # CommonJS, no src/
    assert table["kc-backend"][0] == ""  # the root package
    assert len(table) == 7
    assert repo.service_for("services/admin-service/src/app.ts").name == "admin-service"
    assert repo.service_for("shared/src/config/logger.ts").name == "kc-backend"
    compose = {c.name: repo.service_of_compose(c) for c in repo.compose_services}
    assert compose["booking-service"].name == "booking-service" and compose["kafka"] is None


def test_an_image_names_the_entry_point_package_json_does_not(tmp_path: Path) -> None:
    """`"main": "index.js"` (npm's default, no such file) and no start script: the Dockerfile's CMD
    is the entry point (a kafkajs worker run only by `CMD ["node", "src/worker.mjs"]` had none)."""
    worker = '{"name": "worker", "main": "index.js"}'
    repo = _tree(tmp_path, {
        "services/worker/package.json": worker,
        "services/worker/Dockerfile": 'FROM node:20\nCMD ["node", "src/worker.mjs"]\n',
        "services/worker/src/worker.mjs": "await run();\n",
        "services/built/package.json": '{"name": "built"}',
        "services/built/Dockerfile": "FROM node:20 AS build\nCMD node x.js\nFROM node:20\nENTRYPOINT [\"tini\", \"--\"]\n"
                                     "CMD node dist/jobs/worker.js\n",
        "services/built/src/jobs/worker.ts": "run();\n",
        "services/built/src/index.ts": "listen();\n",
        "services/npm/package.json": '{"name": "npm", "scripts": {"serve:prod": "node dist/api.js"}}',
        "services/npm/Dockerfile": 'FROM node:20\nCMD ["npm", "run", "serve:prod"]\n',
        "services/npm/src/api.ts": "listen();\n",
        "services/npm/src/index.ts": "listen();\n",
        "services/main/package.json": '{"name": "main", "main": "lib/app.js", "scripts": {"start": "node lib/app.js"}}',
        "services/main/Dockerfile": 'FROM node:20\nCMD ["node", "other.js"]\n',
        "services/main/lib/app.js": "listen();\n",
        "services/main/other.js": "listen();\n",
    })
    entries = {s.name: s.entry for s in repo.services}
    assert entries == {
        "worker": "services/worker/src/worker.mjs",
        "built": "services/built/src/jobs/worker.ts",  # the final stage's command, compiled from src/
        "npm": "services/npm/src/api.ts",  # the script the image runs, not the src/index.ts guess
        "main": "services/main/lib/app.js",  # package.json naming an existing file still wins
    }


def test_ignore_comments_need_a_reason_and_unused_ones_are_reported(tmp_path: Path) -> None:
    files = {
        "a.ts": "x(); // fixer-ignore fake: generated by our CLI tool\n",
        "b.ts": "// fixer-ignore fake\nx();\n",
        "c.ts": "/* fixer-ignore other, fake: vendored copy */\nx();\n",
        "d.ts": "y(); // fixer-ignore fake: nothing here\n",
        "e.ts": "x();\n",
    }

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        if b"x()" in f.data:
            line = f.data.split(b"\n").index(next(l for l in f.data.split(b"\n") if b"x()" in l)) + 1
            yield Finding("fake", f.path, line, 1, "x is bad", (Edit(f.path, f.data.index(b"x()"), f.data.index(b"x()") + 1, "z"),))

    run = run_fix(_tree(tmp_path, files), _fake_fix(scan), {})
    kept = {(f.path, f.message.split(":")[0]) for f in run.findings}
    assert {f.path for f in run.ignored} == {"a.ts", "c.ts"}
    assert kept == {("b.ts", "x is bad"), ("b.ts", "fixer-ignore fake has no reason, so it is not honoured"),
                    ("d.ts", "unused fixer-ignore fake"), ("e.ts", "x is bad")}
    assert sorted(run.changes) == ["b.ts", "e.ts"]  # ignored findings are not fixed either


def test_file_level_ignores_in_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {"legacy/a.ts": "x();\n", "new/b.ts": "x();\n",
                          ".fixer.toml": '[[ignore]]\npath = "legacy/**"\nfixes = ["health-endpoints"]\nreason = "old"\n'})
    config = config_mod.load(tmp_path, registry())
    assert config.ignores == [{"path": "legacy/**", "fixes": ["health-endpoints"], "reason": "old"}]
    (tmp_path / ".fixer.toml").write_text('[[ignore]]\npath = "legacy/**"\nfixes = ["health-endpoints"]\n')
    with pytest.raises(UsageError, match="needs a 'reason'"):
        config_mod.load(tmp_path, registry())


def test_yaml_meaning_follows_anchors_and_merge_keys() -> None:
    before = b"x: &d\n  env_file: .env\nservices:\n  api:\n    <<: *d\n  db:\n    image: postgres\n"
    start = before.index(b".env")
    after = before[:start] + b".env.${ENV:-production}" + before[start + 4:]
    edit = [Edit("docker-compose.yml", start, start + 4, ".env.${ENV:-production}")]
    assert verify.meaning_problem("compose", before, after, edit) is None
    sneaky = after.replace(b"postgres", b"mysql")
    assert verify.meaning_problem("compose", before, sneaky, edit) is not None


def test_a_file_one_fix_leaves_alone_is_not_skipped_for_the_others(tmp_path: Path) -> None:
    from fixer.runner import run_fixes

    def shy(f: Any, _ctx: Any) -> Iterator[Finding]:
        raise SkipFile("a test file")
        yield  # pragma: no cover

    def bold(f: Any, _ctx: Any) -> Iterator[Finding]:
        yield Finding("fake", f.path, 1, 1, "seen")

    repo = _tree(tmp_path, {"a.test.ts": "x;\n"})
    first, second = run_fixes(repo, [(_fake_fix(shy), {}), (_fake_fix(bold), {})])
    assert [(s.path, s.reason) for s in first.skips] == [("a.test.ts", "a test file")]
    assert second.skips == [] and [f.message for f in second.findings] == ["seen"]


def test_new_variables_are_documented_in_the_env_templates_once(tmp_path: Path) -> None:
    from fixer import envtemplate

    repo = _tree(tmp_path, {
        "env.template": "# Ports\r\nPORT=3000\r\n",
        "services/a/package.json": "{}",
        "services/a/.env.example": "A=1",  # no final newline: kept that way
        "services/a/index.ts": "x;\n",
        "services/b/package.json": "{}",
        "services/b/index.ts": "x;\n",
        ".env": "PORT=1\n",  # a real env file, never a template
    })
    edits_a = envtemplate.document(repo, ["services/a/index.ts"], "SHUTDOWN_TIMEOUT_MS", "30000", "why")
    assert [(e.path, e.text) for e in edits_a] == [("services/a/.env.example", "\n\n# why\nSHUTDOWN_TIMEOUT_MS=30000")]
    edits_b = envtemplate.document(repo, ["services/b/index.ts"], "SHUTDOWN_TIMEOUT_MS", "30000", "why")
    assert [e.path for e in edits_b] == ["env.template"]
    both = envtemplate.document(repo, ["services/b/index.ts", "services/a/index.ts", "services/a/x.ts"], "K", "1", "why")
    assert [e.path for e in both] == ["env.template", "services/a/.env.example"]  # every service's, once
    assert edits.apply(repo.file("env.template").data, edits_b) == b"# Ports\r\nPORT=3000\r\n\r\n# why\r\nSHUTDOWN_TIMEOUT_MS=30000\r\n"
    assert envtemplate.documented(b"# SHUTDOWN_TIMEOUT_MS=30000\n", "SHUTDOWN_TIMEOUT_MS")


# --- one parse per changed file -------------------------------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_incremental_reparse_gives_the_fresh_parse_and_leaves_the_old_tree_alone(eol: str) -> None:
    from fixer.parsing import typescript

    before = eol.join([
        "import { a } from './a';", "", "export function f(x: number) {", "\tconsole.log(`v ${x}`, x);",
        "  if (x) { console.error('no'); }", "}", "const g = () => console.log('é');", "",
    ]).encode()
    edits = [Edit("f.ts", 0, 0, "import { logger } from './logger';\n")]
    for needle, text in ((b"console.log(`", "logger.info(`"), (b"console.error(", "logger.error(\n  "),
                         (b"console.log('", "logger.info('")):
        start = before.index(needle)
        edits.append(Edit("f.ts", start, start + len(needle), text))
    after = edits_apply = edits and __import__("fixer.edits", fromlist=["apply"]).apply(before, edits)
    old = typescript.parse(before, "ts")
    old_shape = str(old.root_node)
    spans = [(e.start, e.end, s, t) for e, s, t in verify.after_spans(edits, len(before), Text(before).eol)]
    new = typescript.reparse(old, before, after, spans, "ts")
    assert str(new.root_node) == str(typescript.parse(edits_apply, "ts").root_node)
    assert new.root_node.end_byte == len(after) and new.root_node.text == after
    assert str(old.root_node) == old_shape and old.root_node.end_byte == len(before)


def test_a_dry_run_parses_each_changed_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scan, verification and the idempotency check share the scan's parse (the edited file
    is re-parsed incrementally, never from scratch)."""
    from fixer.parsing import typescript

    files = {"package.json": '{"name": "svc"}\n', "src/logger.ts": "import winston from 'winston';\n"
             "export const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\n"}
    for index in range(6):
        files[f"src/m{index}.ts"] = (f"import {{ logger }} from './logger';\nexport function f{index}(id: string) {{\n"
                                     f"  console.log('m{index}', id);\n  logger.info('done');\n}}\n")
    monkeypatch.setenv("FIXER_JOBS", "1")
    parsed: list[bytes] = []
    real = typescript.parse
    monkeypatch.setattr(typescript, "parse", lambda data, kind: parsed.append(data) or real(data, kind))
    fix = registry()["console-to-logger"]
    run = run_fix(_tree(tmp_path, files), fix, config_mod.options_for(fix.INFO, config_mod.Config()))
    assert sorted(run.changes) == [f"src/m{index}.ts" for index in range(6)] and not run.problems
    for change in run.changes.values():
        assert b"logger.info('m" in change.after
        assert parsed.count(change.before) == 1 and parsed.count(change.after) == 0


def test_edits_changed_after_the_scan_are_applied_as_they_end_up(tmp_path: Path) -> None:
    """The scan's worker applies a file's edits ahead; when an ignore comment (or `finish`)
    changes them, what it did is not used."""
    files = {"a.ts": "x();\nx(); // fixer-ignore fake: kept on purpose\n", "b.ts": "x();\nx();\n"}

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        for line, text in enumerate(f.data.split(b"\n")):
            if text.startswith(b"x()"):
                start = sum(len(part) + 1 for part in f.data.split(b"\n")[:line])
                yield Finding("fake", f.path, line + 1, 1, "x is bad", (Edit(f.path, start, start + 1, "z"),))

    run = run_fix(_tree(tmp_path, files), _fake_fix(scan), {})
    assert run.changes["a.ts"].after == b"z();\nx(); // fixer-ignore fake: kept on purpose\n"
    assert run.changes["b.ts"].after == b"z();\nz();\n"


def test_an_audit_parses_each_code_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checklist's facts are gathered in the scan pass, on the parse the scans use (the
    first pass reads only what the fixes' `prepare` needs: here a logger import's head; a
    file holding what a fix's facts look for — a `listen(`, a database connect — is parsed
    in both passes)."""
    from fixer import checklist, repo as repo_mod
    from fixer.parsing import typescript
    from fixer.runner import run_fixes

    files = {"package.json": '{"name": "svc"}\n', "src/logger.ts": "import winston from 'winston';\n"
             "export const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\n"}
    for index in range(8):
        files[f"src/m{index}.ts"] = (f"import {{ logger }} from './logger';\nimport {{ cache }} from './cache';\n"
                                     f"import type {{ Request }} from 'express';\n\n"  # (a framework named: no app made)
                                     f"export async function f{index}(id: string) {{\n  console.log('m{index}', id);\n"
                                     f"  logger.info('done', {{ id }});\n  return cache.get(id);\n}}\n"
                                     f"export const port{index} = process.env.PORT;\n")  # (a fix's facts read env style)
    monkeypatch.setattr(repo_mod, "FILES_IN_MEMORY", 1)  # no parse survives from one pass to the next
    monkeypatch.setenv("FIXER_JOBS", "1")
    parsed: list[bytes] = []
    real = typescript.parse
    monkeypatch.setattr(typescript, "parse", lambda data, kind: parsed.append(data) or real(data, kind))
    repo = _tree(tmp_path, files)
    jobs = [(module, config_mod.options_for(module.INFO, config_mod.Config())) for module in registry().values()]
    runs = run_fixes(repo, jobs, findings_only=True, also_gather=checklist.FACTS)
    assert any(run.findings for run in runs) and repo.facts_of(checklist.CODE_FACTS)["src/m0.ts"].console
    for path, text in files.items():
        if path.endswith(".ts"):
            assert parsed.count(text.encode()) == 1, path  # whole-file parses; heads are shorter


def test_the_diff_made_beside_the_edits_is_the_diff_of_the_change(tmp_path: Path) -> None:
    """A changed file's diff is made by the worker that edited it (`runner._follow_through`):
    the same bytes `diffs.file_diff` gives for the change, with the path git knows it by."""
    import dataclasses

    from fixer import report

    repo_dir = make_repo(tmp_path / "r", {
        "svc/src/logger.ts": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "svc/src/a.ts": "import { logger } from './logger';\r\nlogger.info('up');\r\nconsole.log('ready', port);",
        "svc/src/b.ts": "import { logger } from './logger';\n\nexport function f() {\n  console.error('no', code);\n}\n",
    })
    repo = open_repo(repo_dir / "svc", config_mod.Config())  # a subdirectory: git's paths differ from the repo's
    module = registry()["console-to-logger"]
    run = run_fix(repo, module, config_mod.options_for(module.INFO, config_mod.Config()))
    assert sorted(run.changes) == ["src/a.ts", "src/b.ts"]
    for path, change in run.changes.items():
        assert change.diff is not None and change.diff.startswith(f"diff --git a/svc/{path} b/svc/{path}\n".encode())
        assert change.diff == diffs.file_diff(repo.git_path(path), dataclasses.replace(change, diff=None))
    assert b"\\ No newline at end of file" in run.changes["src/a.ts"].diff
    assert report.run_diff(run, repo) == run.changes["src/a.ts"].diff + run.changes["src/b.ts"].diff


def test_diff_opcodes_cover_both_files_and_equal_runs_are_equal() -> None:
    """The dry run's line matching (`diffs._opcodes`) on random edits: contiguous on both
    sides, `equal` only where the lines are, and as small as difflib's on single-line edits."""
    import difflib
    import random

    rng = random.Random(7)
    pool = [b"}\n", b"\n", b"  return x;\n", b"a\n", b"b\n", b"console.log(x);\n", b"logger.info(x);\n"]
    for _ in range(400):
        old = [rng.choice(pool) for _ in range(rng.randrange(0, 40))]
        new = list(old)
        for _ in range(rng.randrange(0, 6)):
            at = rng.randrange(0, len(new) + 1)
            action = rng.randrange(3)
            if action == 0:
                new[at:at] = [rng.choice(pool) for _ in range(rng.randrange(1, 60))]
            elif action == 1:
                del new[at : at + rng.randrange(1, 4)]
            elif at < len(new):
                new[at] = rng.choice(pool)
        codes = diffs._opcodes(old, new)
        i = j = 0
        for tag, i1, i2, j1, j2 in codes:
            assert (i1, j1) == (i, j) and (i2 > i1 or j2 > j1)
            assert (tag == "equal") == (old[i1:i2] == new[j1:j2] and i2 - i1 == j2 - j1)
            i, j = i2, j2
        assert (i, j) == (len(old), len(new))
    old = [b"line %d\n" % n for n in range(50)]
    new = list(old)
    new[10], new[30] = b"changed\n", b"changed too\n"
    new[40:40] = [b"inserted\n"]
    changed = lambda codes: sum(i2 - i1 + j2 - j1 for tag, i1, i2, j1, j2 in codes if tag != "equal")  # noqa: E731
    assert changed(diffs._opcodes(old, new)) == changed(difflib.SequenceMatcher(None, old, new).get_opcodes()) == 5
    # two changed lines around one that stays (a compose service's env_file and NODE_ENV)
    old = [b"  a:\n", b"    env_file: .env\n", b"    environment:\n", b"      NODE_ENV: production\n", b"    ports:\n",
           b"      - 1\n"]
    new = [old[0], b"    env_file: .env.${ENV}\n", old[2], b"      NODE_ENV: ${NODE_ENV}\n", *old[4:]]
    assert diffs._opcodes(old, new) == difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


@pytest.mark.parametrize("name", ['say "hi".ts', "tab\there.ts", "back\\slash.ts", "plain name.ts", "ünï.ts"])
def test_a_diff_names_the_file_as_git_does_and_git_apply_takes_it(tmp_path: Path, name: str) -> None:
    """Names with a quote, a backslash or a control character are C-quoted, as in git's own
    diff (without that `git apply` misreads them); one with a space ends in a tab."""
    repo = make_repo(tmp_path / "r", {f"src/{name}": "one\ntwo\n"})
    (repo / "src" / name).write_text("one\n2\n")
    ours = diffs.file_diff(f"src/{name}", types.SimpleNamespace(before=b"one\ntwo\n", after=b"one\n2\n", mode="100644"))
    theirs = git(repo, "-c", "core.quotePath=false", "diff", "--", f"src/{name}")
    header = lambda text: [line for line in text.splitlines() if line.startswith(("diff --git", "---", "+++"))]  # noqa: E731
    assert header(ours.decode()) == header(theirs)
    git(repo, "checkout", "--", ".")
    git(repo, "apply", "--check", input=ours)


def test_tsconfig_settings_come_through_workspace_packages_and_known_presets() -> None:
    """`extends` of a workspace package's config (the Turborepo/Nx layout) and of a published
    preset known to set `noPropertyAccessFromIndexSignature`; a package the repository does
    not hold is not followed."""
    from fixer.parsing import typescript

    files = {
        "packages/tsconfig/package.json": b'{"name": "@kc/tsconfig"}',
        "packages/tsconfig/base.json": b'{ "compilerOptions": { "noPropertyAccessFromIndexSignature": true } }',
        "packages/tsconfig/tsconfig.json": b'{ "compilerOptions": { "noPropertyAccessFromIndexSignature": true } }',
        "services/a/tsconfig.json": b'{ "extends": "@kc/tsconfig/base.json" }',
        "services/b/tsconfig.json": b'{ "extends": "@kc/tsconfig/base" }',
        "services/c/tsconfig.json": b'{ "extends": "@kc/tsconfig" }',
        "services/d/tsconfig.json": b'{ "extends": "@tsconfig/strictest/tsconfig.json" }',
        "services/e/tsconfig.json": b'{ "extends": "@tsconfig/node20/tsconfig.json" }',
        "services/f/tsconfig.json": b'{ "extends": "@kc/tsconfig/base.json", "compilerOptions": {'
                                    b' "noPropertyAccessFromIndexSignature": false } }',
    }
    projects = typescript.env_bracket_projects(files, files.get)
    assert {d: bool(kinds) for d, kinds in projects.items() if d.startswith("services/")} == {
        "services/a": True, "services/b": True, "services/c": True, "services/d": True,
        "services/e": False, "services/f": False}


def test_every_module_compiles_without_a_warning() -> None:
    """An invalid escape in a docstring (`\\.` outside a raw string) is only a warning today
    and a syntax error in a later Python: every module compiles with warnings as errors."""
    import warnings

    root = Path(__file__).resolve().parent.parent
    for path in sorted([*root.glob("fixer/**/*.py"), *root.glob("transforms/*.py")]):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_a_directory_built_as_an_image_is_a_service_wherever_it_is(tmp_path: Path) -> None:
    """The MERN layout: `server/` (a compose service's build context) and `client/` (beside its
    Dockerfile) are services as `services/*` are; a package nothing builds (`tools/`) is not."""
    repo = make_repo(tmp_path / "r", {
        "docker-compose.yml": "services:\n  api:\n    build: ./server\n  web:\n    build:\n      context: client\n",
        "server/package.json": '{"name": "server"}\n',
        "server/index.js": "require('express')().listen(5000);\n",
        "client/package.json": '{"name": "client"}\n',
        "client/Dockerfile": "FROM nginx:alpine\n",
        "tools/package.json": '{"name": "tools"}\n',
        "worker/package.json": '{"name": "worker"}\n',
        "worker/Dockerfile": "FROM node:20-alpine\n",
    })
    services = {s.dir: s for s in open_repo(repo, config_mod.Config()).services}
    assert sorted(services) == ["client", "server", "worker"]
    assert "api" in services["server"].aliases and "web" in services["client"].aliases


def test_an_image_built_from_the_root_is_the_service_its_dockerfile_or_compose_name_tells(tmp_path: Path) -> None:
    """`context: .` with a Dockerfile outside every service's directory builds the service the
    Dockerfile runs, builds or copies, or the one the compose service is named after; a library it
    copies for that service is not it; a Dockerfile naming two apps, or none, stays the root's."""
    generic = "FROM node:20-alpine\nARG APP\nCOPY . .\nRUN npm ci\nCMD node apps/${APP}/dist/index.js\n"
    repo = make_repo(tmp_path / "r", {
        "package.json": '{"name": "acme", "workspaces": ["apps/*", "packages/*"]}\n',
        "packages/logger/package.json": '{"name": "@acme/logger"}\n',
        "apps/booking/package.json": '{"name": "@acme/booking", "dependencies": {"@acme/logger": "workspace:*"}}\n',
        "apps/payments/package.json": '{"name": "@acme/payments"}\n',
        "apps/notify/package.json": '{"name": "@acme/notify"}\n',
        "docker/booking.Dockerfile": "FROM node:20-alpine\nCOPY packages/logger packages/logger\n"
                                     "COPY apps/booking apps/booking\nRUN npm ci\nCMD npm start\n",
        "docker/app.Dockerfile": generic,
        "docker/notify.Dockerfile": "FROM node:20-alpine AS prune\nCOPY . .\nRUN npx turbo prune @acme/notify --docker\n"
                                    "FROM node:20-alpine\nCOPY --from=prune /out .\nCMD node dist/index.js\n",
        "docker/both.Dockerfile": "FROM node:20-alpine\nCOPY apps/booking apps/booking\nCOPY apps/payments apps/payments\n",
        "app/package.json": '{"name": "app"}\n',  # (a service: its Dockerfile is beside it)
        "app/Dockerfile": "FROM node:20-alpine\n",
        "docker/worker.Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD node /app/dist/worker.js\n",
        "docker-compose.yml": "services:\n"
                              "  booking:\n    build: {context: ., dockerfile: docker/booking.Dockerfile}\n"
                              "  payments:\n    build: {context: ., dockerfile: docker/app.Dockerfile}\n"
                              "  web:\n    build: {context: ., dockerfile: docker/app.Dockerfile}\n",
    })
    opened = open_repo(repo, config_mod.Config())
    built = {c.name: getattr(opened.service_of_compose(c), "dir", None) for c in opened.compose_services}
    assert built == {"booking": "apps/booking", "payments": "apps/payments", "web": ""}
    dockerfiles = {path: getattr(opened.service_of_dockerfile(path), "dir", None)
                   for path in ("docker/booking.Dockerfile", "docker/notify.Dockerfile", "docker/both.Dockerfile",
                                "docker/worker.Dockerfile")}
    # (`/app` is a path in the image, not the repository's app/)
    assert dockerfiles == {"docker/booking.Dockerfile": "apps/booking", "docker/notify.Dockerfile": "apps/notify",
                           "docker/both.Dockerfile": None, "docker/worker.Dockerfile": None}
    assert "booking" in opened.service_named("booking").aliases and "booking" not in opened.service_named("acme").aliases


def test_structure_tokens_walk_one_bracket_level_with_strings_skipped() -> None:
    from fixer.parsing.typescript import structure_tokens

    data = b"call('a,(b', { x: [1, 2], 'y': `c}${d}` }, f(g)) + rest(1)"
    tokens = [(chr(char), depth) for _at, char, depth in structure_tokens(data, data.index(b"(") + 1)]
    assert tokens == [(",", 0), ("{", 0), (":", 1), ("[", 1), (",", 2), ("]", 1), (",", 1), (":", 1), ("}", 0),
                      (",", 0), ("(", 0), (")", 0), (")", -1)]  # (nothing after the call's own end)
    assert list(structure_tokens(b"f('unterminated, x)", 2)) == []  # no end in sight: nothing claimed


def test_a_facts_lookup_inside_a_worker_runs_there(tmp_path: Path) -> None:
    """A scan in a forked worker that asks for facts nobody gathered ahead (`repo.facts_of`) reached
    `map_paths`, which tried to start a pool inside the worker: `internal error: KeyError` on every
    repository big enough for the pool, whenever the cache was off or could not answer."""
    files = {"services/api/package.json": '{"name": "api", "main": "src/index.js", "dependencies": {"pg": "8.11.0"}}\n',
             "services/api/src/index.js": (
                 "const http = require('http');\nconst { Pool } = require('pg');\n"
                 "const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n\n"
                 "async function start() {\n  try {\n    await pool.connect();\n  } catch (err) {\n"
                 "    console.error('db down', err);\n    process.exit(1);\n  }\n"
                 "  http.createServer((req, res) => res.end('ok')).listen(3000);\n}\nstart();\n")}
    files.update({f"services/api/src/lib/m{i}.js": f"module.exports.f{i} = (a) => a + {i};\n" for i in range(300)})
    repo = make_repo(tmp_path / "r", files)
    for args in (["--no-cache", "apply", "--fix", "db-degradation", "--dry-run"], ["--no-cache", "audit"]):
        result = fixer(*args, str(repo), env={"FIXER_JOBS": "2"})
        assert b"internal error" not in result.stderr + result.stdout, (args, result.stderr.decode())
        assert result.returncode in (0, 1), (args, result.returncode, result.stderr.decode())


def test_a_package_inside_a_service_is_a_service_only_when_built_as_one(tmp_path: Path) -> None:
    """Ghost ships its themes as packages inside the server's directory
    (`services/ghost/content/themes/casper/package.json`): not services of their own (the
    checklist asked each for /health and a SIGTERM handler). One with its own image is."""
    repo = _tree(tmp_path, {
        "services/ghost/package.json": '{"name": "ghost", "main": "index.js"}',
        "services/ghost/index.js": "require('./core/server').listen(2368);\n",
        "services/ghost/content/themes/casper/package.json": '{"name": "casper", "engines": {"ghost": ">=5"}}',
        "services/ghost/content/themes/casper/gulpfile.js": "exports.default = () => {};\n",
        "services/pay/package.json": '{"name": "pay"}',
        "services/pay/worker/package.json": '{"name": "pay-worker", "main": "index.js"}',
        "services/pay/worker/Dockerfile": 'FROM node:20\nCMD ["node", "index.js"]\n',
        "services/pay/worker/index.js": "run();\n",
        "apps/web/package.json": '{"name": "web"}',
    })
    assert sorted(s.dir for s in repo.services) == ["apps/web", "services/ghost", "services/pay", "services/pay/worker"]


def test_the_apps_of_a_nest_cli_monorepo_are_services(tmp_path: Path) -> None:
    """`nest generate app billing`: one package.json at the root, the apps listed in nest-cli.json.
    Each app is a process and an image of its own: a service, whose entry is the project's
    `<sourceRoot>/<entryFile>.ts`, with the root's dependencies and module type but not its
    scripts (their paths are the root's). A library project is no service."""
    repo = make_repo(tmp_path / "r", {
        "package.json": '{"name": "acme", "type": "commonjs", "scripts": {"start:prod": "node dist/apps/gateway/main"},'
                        ' "dependencies": {"@nestjs/core": "^10.0.0"}}\n',
        "nest-cli.json": '{"monorepo": true, "root": "apps/gateway", "sourceRoot": "apps/gateway/src", "projects": {'
                         '"gateway": {"type": "application", "root": "apps/gateway", "sourceRoot": "apps/gateway/src"},'
                         '"billing": {"type": "application", "root": "apps/billing", "entryFile": "bootstrap",'
                         ' "sourceRoot": "apps/billing/src"},'
                         '"shared": {"type": "library", "root": "libs/shared", "sourceRoot": "libs/shared/src"}}}\n',
        "apps/gateway/src/main.ts": "bootstrap();\n",
        "apps/billing/src/bootstrap.ts": "bootstrap();\n",
        "apps/billing/src/main.ts": "export {};\n",
        "libs/shared/src/index.ts": "export const x = 1;\n",
    })
    services = {s.dir: s for s in open_repo(repo, config_mod.Config()).services}
    assert sorted(services) == ["", "apps/billing", "apps/gateway"]
    assert services["apps/billing"].entry == "apps/billing/src/bootstrap.ts"
    assert services["apps/gateway"].entry == "apps/gateway/src/main.ts"
    assert services["apps/billing"].name == "billing"
    assert services["apps/billing"].package == {"type": "commonjs", "dependencies": {"@nestjs/core": "^10.0.0"}}


def test_an_nx_application_on_node_is_a_service_its_e2e_and_browser_apps_are_not(tmp_path: Path) -> None:
    """Nx's integrated layout: apps with a project.json and no package.json. A Node app (a
    `@nx/js:node` serve, a build for the node target, or an image built from its directory) is a
    service with the entry its build names (paths from the workspace root, where nx.json is);
    its `-e2e` project and a browser app are not; an app with its own package.json is one service."""
    repo = make_repo(tmp_path / "r", {
        "package.json": '{"name": "@shop/source", "dependencies": {"express": "^4.0.0"}}\n',
        "nx.json": "{}\n",
        "apps/api/project.json": '{"name": "api", "projectType": "application", "targets": {'
                                 '"build": {"executor": "@nx/webpack:webpack", "options": {"target": "node",'
                                 ' "main": "apps/api/src/server.ts"}},'
                                 '"serve": {"executor": "@nx/js:node", "options": {"buildTarget": "api:build"}}}}\n',
        "apps/api/src/server.ts": "import express from 'express';\nexpress().listen(3000);\n",
        "apps/api-e2e/project.json": '{"name": "api-e2e", "projectType": "application", "targets": {'
                                     '"e2e": {"executor": "@nx/jest:jest"}, "serve": {"executor": "@nx/js:node"}}}\n',
        "apps/web/project.json": '{"name": "web", "projectType": "application", "targets": {'
                                 '"build": {"executor": "@nx/vite:build"}}}\n',
        "apps/web/src/main.tsx": "export {};\n",
        "apps/worker/project.json": '{"name": "worker", "projectType": "application", "targets": {}}\n',
        "apps/worker/Dockerfile": "FROM node:20-alpine\nCMD [\"node\", \"dist/main.js\"]\n",
        "apps/worker/src/main.ts": "setInterval(() => {}, 1000);\n",
        "apps/orders/project.json": '{"name": "orders", "projectType": "application", "targets": {'
                                    '"serve": {"executor": "@nx/js:node"}}}\n',
        "apps/orders/package.json": '{"name": "@shop/orders", "main": "src/index.ts"}\n',
        "apps/orders/src/index.ts": "export {};\n",
    })
    services = {s.dir: s for s in open_repo(repo, config_mod.Config()).services}
    assert sorted(services) == ["", "apps/api", "apps/orders", "apps/worker"]
    assert services["apps/api"].entry == "apps/api/src/server.ts"
    assert services["apps/worker"].entry == "apps/worker/src/main.ts"
    assert services["apps/orders"].package["name"] == "@shop/orders"


def test_yarn_berrys_own_files_are_never_service_code(tmp_path: Path) -> None:
    """Yarn Berry commits `.yarn/` (its release, a 2.8 MB .cjs; the editor SDKs; the cache) and
    writes `.pnp.cjs` / `.pnp.loader.mjs` on every install: the resolver a PnP app needs before any
    require, which a logger import at its top would break. None of it is read as the service's
    code (nor does it make the checklist's items unknown, being too big to read)."""
    repo = make_repo(tmp_path / "r", {
        "services/svc/package.json": '{"name": "svc", "packageManager": "yarn@4.0.0"}\n',
        "services/svc/app.js": "console.log('up');\n",
        "services/svc/.pnp.cjs": "#!/usr/bin/env node\nconsole.log('resolver');\n",
        "services/svc/.pnp.loader.mjs": "console.log('loader');\n",
        "services/svc/.yarn/sdks/typescript/lib/tsserver.js": "console.log('sdk');\n",
        "services/svc/.yarn/releases/yarn-4.0.0.cjs": "console.log('yarn');\n",
    })
    opened = open_repo(repo, config_mod.Config())
    assert opened.skip_reason("services/svc/app.js") is None
    assert opened.skip_reason("services/svc/.pnp.cjs").startswith("generated (.pnp.cjs")
    assert opened.skip_reason("services/svc/.pnp.loader.mjs").startswith("generated (")
    assert opened.skip_reason("services/svc/.yarn/sdks/typescript/lib/tsserver.js") == "vendored (.yarn/)"
    assert opened.skip_reason("services/svc/.yarn/releases/yarn-4.0.0.cjs") == "vendored (.yarn/)"


def test_a_dockerfile_symlinked_into_a_service_is_that_services(tmp_path: Path) -> None:
    """`services/api/Dockerfile -> ../../docker/api.Dockerfile`: the build reads the target, so the target is the
    service's Dockerfile (its probe checked against the service's listen), read and edited there, in the working
    tree and in a commit (plan) alike. Before, the target was "not a Node service of this repository"."""
    root = make_repo(tmp_path / "r", {
        "services/api/package.json": '{"name": "api", "main": "index.js", "dependencies": {"express": "^4"}}\n',
        "services/api/index.js": "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
        "docker/api.Dockerfile": "FROM node:20\nCOPY . .\nHEALTHCHECK CMD curl -f http://localhost:3000/health\n"
                                 'CMD ["node", "index.js"]\n',
        "docker-compose.yml": "services:\n  api:\n    build: services/api\n",
    })
    os.symlink("../../docker/api.Dockerfile", root / "services/api/Dockerfile")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "link")
    for command in (("audit", "--fix", "healthcheck-loopback"), ("plan", "--dry-run", "--only", "healthcheck-loopback")):
        result = fixer(*command, "--no-cache", cwd=root)
        out = result.stdout.decode()
        assert "docker/api.Dockerfile" in out and "127.0.0.1" in out, (command, out, result.stderr.decode())
        assert "not a Node service" not in out, command
    audit = fixer("audit", "--fix", "healthcheck-loopback", "--no-cache", cwd=root).stdout.decode()
    assert "(the service listens on every interface)" in audit, audit


def test_files_a_compose_file_pulls_in_are_compose_files(tmp_path: Path) -> None:
    """A YAML file a compose file pulls in — `include:` (short and long syntax, `project_directory`, not its
    `env_file`), `extends: file:`, transitively, from the including file's directory — is a compose file to every
    fix: its kind, `paths_of`, the compose model (an included file's services are the project's; those of a file
    only `extends:` reads are not, and a service inherits the build of the one it extends). Only compose files
    are read to find them, never every YAML file. Before, a compose file was known by its name only."""
    files = {
        "docker-compose.yml": "include:\n  - compose/infra.yml\n  - path: [ops/a.yml]\n    project_directory: ops/project\n"
                              "    env_file: ops/a.env\n"
                              "services:\n  api:\n    extends:\n      file: compose/common.yml\n      service: base\n",
        "compose/infra.yml": "include:\n  - ../deep/more.yml\nservices:\n  redis:\n    image: redis:7\n",
        "deep/more.yml": "services:\n  queue:\n    image: nats:2\n",
        "ops/a.yml": "services:\n  admin:\n    build: admin\n",
        "ops/a.env": "X=1\n",
        "compose/common.yml": "services:\n  base:\n    build: ../services/api\n  other:\n    image: busybox\n",
        "services/api/package.json": '{"name": "api"}\n',
    }
    files.update({f"k8s/m{i}.yaml": "apiVersion: v1\nkind: ConfigMap\n" for i in range(20)})
    repo = _tree(tmp_path, files)
    read: list[str] = []
    original = repo.source.read
    repo.source.read = lambda entry: read.append(entry.path) or original(entry)  # type: ignore[method-assign]
    assert repo.kind("k8s/m0.yaml") == "yaml"
    assert not any(path.startswith("k8s/") or path.endswith(".env") for path in read), read
    for path in ("compose/infra.yml", "deep/more.yml", "ops/a.yml", "compose/common.yml"):
        assert repo.kind(path) == "compose", path
        assert repo.read(path).kind == "compose", path
    assert repo.kind("ops/a.env") == "env"
    assert repo.paths_of({"compose"}) == ["compose/common.yml", "compose/infra.yml", "deep/more.yml",
                                          "docker-compose.yml", "ops/a.yml"]
    files_ = repo.compose_files
    assert files_["compose/infra.yml"].included and files_["deep/more.yml"].included
    assert files_["compose/common.yml"].extended and not files_["compose/common.yml"].runs
    assert files_["ops/a.yml"].project == "ops/project"
    services = {(c.file, c.name): c for c in repo.compose_services}
    assert set(services) == {("docker-compose.yml", "api"), ("compose/infra.yml", "redis"), ("deep/more.yml", "queue"),
                             ("ops/a.yml", "admin")}
    api = services[("docker-compose.yml", "api")]
    assert api.extends == (("compose/common.yml", "base"),) and api.context == "services/api"
    assert services[("ops/a.yml", "admin")].context == "ops/project/admin"
    assert repo.compose_value(api, "build")[:2] == ("compose/common.yml", "base")
    assert [c.name for c in repo.compose_users("compose/common.yml", "base", "build")] == ["api"]
    # the same bytes read as plain YAML and as a compose file are cached apart
    plain = _tree(tmp_path / "plain", {"compose/common.yml": files["compose/common.yml"]})
    assert plain._row_keys(["compose/common.yml"]) != repo._row_keys(["compose/common.yml"])
    # an overlay that drops the reference makes it plain YAML again
    changed = repo.overlay({"docker-compose.yml": b"services:\n  api:\n    build: services/api\n"})
    assert changed.kind("compose/common.yml") == "yaml" and changed.kind("compose/infra.yml") == "yaml"
    assert changed.paths_of({"compose"}) == ["docker-compose.yml"]


# --- generated files, Git LFS pointers, sparse checkouts (what the engine reads) -------


def test_generated_files_are_skipped_as_their_generators_mark_them(tmp_path: Path) -> None:
    """Real generators' markers, in any case, in the comments a file starts with (OpenAPI
    Generator, Prisma, kustomize), their folders and names (graphql-codegen's __generated__/,
    hey-api's *.gen.ts) and .gitattributes' linguist-generated: an edit there is reverted by the
    next generation and mixes generated churn into the fix. Hand-written files that merely
    mention the words are read."""
    root = tmp_path / "r"
    write_tree(root, {
        "src/api.ts": "/* tslint:disable */\n/**\n * Booking API\n *\n * NOTE: This class is auto generated by OpenAPI "
                      "Generator (https://openapi-generator.tech).\n * Do not edit the class manually.\n */\nconsole.log(1);\n",
        "src/auto.ts": "/**\n * THIS FILE IS AUTOGENERATED. DO NOT MODIFY.\n */\nconsole.log(1);\n",
        "src/prisma.js": "'use strict';\n/* !!! This is code generated by Prisma. Do not edit directly. !!! */\nconsole.log(1);\n",
        "src/types.gen.ts": "export type A = string;\nconsole.log(1);\n",
        "src/__generated__/graphql.ts": "/* eslint-disable */\nconsole.log(1);\n",
        "src/client/index.ts": "console.log(1);\n",
        "src/client/own.ts": "console.log(1);\n",
        "sub/.gitattributes": "*.ts linguist-generated\n",
        "sub/x.ts": "console.log(1);\n",
        "deploy/app.yaml": "# Code generated by kustomize build; DO NOT EDIT.\napiVersion: v1\nkind: ConfigMap\n",
        ".gitattributes": "* text=auto\nsrc/client/** linguist-generated=true\nsrc/client/own.ts -linguist-generated\n"
                          "src/scaffold.ts linguist-generated=false\n",
        # a scaffold's file, hand-edited since: .gitattributes unmarks it, as for GitHub's linguist
        "src/scaffold.ts": "// Generated by generator-acme, edited by hand since.\nconsole.log(1);\n",
        # hand-written: the words in code, a comment that says what something else generates, a marker below code
        "src/ids.ts": "// Order numbers are generated by the database sequence.\nconst DO_NOT_EDIT = 'do not edit';\n"
                      "console.log('auto-generated');\n",
        "src/late.ts": "console.log(1);\n// @generated ids below\n",
        "src/generator.ts": "export function generate() { return 'generated code'; }\n",
        # doc comments that say what something else generates (Parse Server's; a regression run caught both)
        "src/keycloak.js": "/**\n * Keycloak adapter.\n *\n * Ensure the `keycloak.json` configuration file is generated from "
                           "Keycloak's settings.\n */\nconsole.log(1);\n",
        "src/deprecations.js": "/**\n * The deprecations. The key is the option; the instruction must not include the "
                               "deprecation warning which is auto-generated.\n */\nconsole.log(1);\n",
        # a generator's own words below a long description are not looked for (its "do not edit" is)
        "src/long.ts": "/**\n * " + "A long description of the API. " * 40 + "\n * This file was generated by a tool.\n */\n"
                       "console.log(1);\n",
    })
    repo = Repo(root, DirectorySource(root), config_mod.Config())
    generated = ["src/api.ts", "src/auto.ts", "src/prisma.js", "src/types.gen.ts", "src/__generated__/graphql.ts",
                 "src/client/index.ts", "sub/x.ts", "deploy/app.yaml"]
    for path in generated:
        with pytest.raises(SkipFile) as skipped:
            repo.file(path)
        assert str(skipped.value).startswith("generated ("), (path, str(skipped.value))
    assert 'header says "NOTE: This class is auto generated by OpenAPI Generator' in str(
        pytest.raises(SkipFile, repo.file, "src/api.ts").value)
    for path in ("src/client/own.ts", "src/ids.ts", "src/late.ts", "src/generator.ts", "src/scaffold.ts",
                 "src/keycloak.js", "src/deprecations.js", "src/long.ts"):
        assert repo.file(path).path == path
    assert not repo.unread()  # (left out on purpose, not files fixer failed to read)


def test_a_git_lfs_pointer_is_skipped_with_a_reason_never_read_as_code(tmp_path: Path) -> None:
    """An LFS file not fetched (GIT_LFS_SKIP_SMUDGE=1 clones) is three lines of pointer: read as the
    service's entry, every answer about that service came from code fixer never saw."""
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"4d" * 32 + b"\nsize 2612\n"
    root = make_repo(tmp_path / "r", {"src/index.ts": pointer, "src/other.ts": "console.log(1);\n"})
    on_disk = open_repo(root, config_mod.Config(), working_tree=True)
    assert on_disk.read("src/index.ts") is None
    assert on_disk.unread() == {"src/index.ts": "a Git LFS pointer (its content was never fetched: run git lfs pull)"}
    committed = open_repo(root, config_mod.Config())
    assert committed.read("src/index.ts") is None and "Git LFS pointer" in committed.skips["src/index.ts"]
    assert committed.read("src/other.ts") is not None


def test_audit_in_a_sparse_checkout_reads_the_files_outside_the_cone_from_git(tmp_path: Path) -> None:
    """A sparse checkout holds a few services on disk; the others are still the commit's, and
    plan reads them: audit must read the same files, not call them "not in the repository"."""
    root = make_repo(tmp_path / "r", {"services/a/index.ts": "console.log('a');\n",
                                      "services/b/index.ts": "console.log('b');\n",
                                      "services/a/gone.ts": "console.log('gone');\n"})
    git(root, "sparse-checkout", "set", "--no-cone", "/services/a/")
    git(root, "update-index", "--assume-unchanged", "services/a/gone.ts")
    (root / "services/a/gone.ts").unlink()  # (assume-unchanged, then deleted: gone, not kept out by git)
    assert not (root / "services/b/index.ts").exists()
    repo = open_repo(root, config_mod.Config(), working_tree=True)
    assert repo.skip_reason("services/b/index.ts") is None
    assert repo.file("services/b/index.ts").data == b"console.log('b');\n"
    assert repo.file("services/a/index.ts").data == b"console.log('a');\n"
    assert not repo.exists("services/a/gone.ts")


def test_a_config_module_the_services_runner_loads_is_service_code(tmp_path: Path) -> None:
    """moleculer-runner (`"start": "moleculer-runner"`) loads moleculer.config.js into the service's
    process, where its broker hooks run: service code, though named like a build tool's
    `*.config.js`; `--config`/`-c` names another. A build tool's config stays tooling."""
    root = tmp_path / "r"
    write_tree(root, {
        "package.json": '{"private": true, "workspaces": ["services/*"]}',
        "services/gateway/package.json": '{"name": "gateway", "scripts": {"start": "moleculer-runner", '
                                         '"test": "jest"}, "dependencies": {"moleculer": "0.14"}}',
        "services/gateway/moleculer.config.js": "module.exports = { started() { console.log('up'); } };\n",
        "services/gateway/jest.config.js": "module.exports = {};\n",
        "services/orders/package.json": '{"name": "orders", "scripts": {"start": "NODE_ENV=production '
                                        'moleculer-runner -c ./moleculer.prod.config.js services"}}',
        "services/orders/moleculer.prod.config.js": "module.exports = {};\n",
        "services/orders/moleculer.config.js": "module.exports = {};\n",
    })
    repo = Repo(root, DirectorySource(root), config_mod.Config())
    assert repo.runtime_configs == {"services/gateway/moleculer.config.js", "services/orders/moleculer.prod.config.js"}
    assert repo.is_production_code("services/gateway/moleculer.config.js")
    assert repo.is_production_code("services/orders/moleculer.prod.config.js")
    assert not repo.is_production_code("services/orders/moleculer.config.js")  # (not the one it loads)
    assert not repo.is_production_code("services/gateway/jest.config.js")


def test_a_dockerfile_a_scaffolder_says_it_generated_is_read_as_the_teams_own(tmp_path: Path) -> None:
    """`nx g @nx/node:setup-docker` writes "This file is generated by Nx." at the top of a Dockerfile the team
    then edits (its comments invite it) and no build writes again: skipped as generated, its localhost probe
    went unfixed and health-endpoints said to "change what generates it". A Dockerfile that says not to edit
    it is still generated."""
    root = tmp_path / "r"
    write_tree(root, {
        "apps/api/Dockerfile": "# This file is generated by Nx.\n#\n# Build the docker image with `npx nx docker-build api`.\n"
                               "FROM docker.io/node:lts-alpine\nHEALTHCHECK CMD wget -qO- http://localhost:3333/ || exit 1\n",
        "apps/web/Dockerfile": "# Code generated by acme-deploy. DO NOT EDIT.\nFROM node:20\n",
    })
    repo = Repo(root, DirectorySource(root), config_mod.Config())
    assert repo.file("apps/api/Dockerfile").kind == "dockerfile"
    with pytest.raises(SkipFile, match="generated"):
        repo.file("apps/web/Dockerfile")


def test_a_reason_many_places_share_is_told_once_in_summaries_and_the_audit(tmp_path: Path) -> None:
    """800 console calls of 17 services not fixed for one long reason per service printed that reason
    800 times (1.1 MB on stderr of a 5,000-file dry run; a pull request body cut before "How to verify"):
    the summary, the commit message and the audit tell it once per reason, with the places after it."""
    from fixer import report

    reason = "no logger fixer can log through (" + "the service's image does not hold the logger; " * 4 + ")"

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        for line, method in enumerate(("log", "error", "warn", "info"), start=1):
            yield Finding("fake", f.path, line, 1, f"console.{method}: {reason}")
        yield Finding("fake", f.path, 9, 1, "console.table: a table has no logger method")  # told on its own

    files = {f"s{n:02}.ts": "x\n" for n in range(12)}
    repo = _tree(tmp_path, files)
    module = _fake_fix(scan)
    module.__doc__ = "Fake.\n\n## Why\n\nBecause.\n"
    run = run_fix(repo, module, {})
    assert len(run.findings) == 60
    summary = report.run_summary(run)
    assert summary.count(reason) == 1, summary
    grouped = next(line for line in summary.splitlines() if reason in line)
    assert grouped.startswith("  not fixed: 48 places: no logger") and "s00.ts:1 (console.log)" in grouped
    assert "s00.ts:2 (console.error)" in grouped and grouped.endswith("… 40 more")
    # a reason fewer places share keeps a line per place (12 here: the table calls are grouped too)
    assert "not fixed: 12 places: a table has no logger method — at s00.ts:9 (console.table)" in summary
    message = report.commit_message(run, module)
    assert message.count(reason) == 1 and "… 28 more" in message
    audit = report.findings_text([run], repo)
    assert audit.count(reason) == 1
    assert audit.count("console.warn: no logger fixer can log through … (as given at s00.ts:1)") == 12
    assert "s00.ts:1:1  fake  console.log: " + reason in audit  # the first place has it whole
    assert audit.count("console.table: a table has no logger method") == 12  # short reasons stay on every line


def test_few_places_sharing_a_reason_keep_their_own_lines(tmp_path: Path) -> None:
    from fixer import report

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        yield Finding("fake", f.path, 1, 1, "console.log: no logger fixer can log through (one service)")

    run = run_fix(_tree(tmp_path, {"a.ts": "x\n", "b.ts": "x\n"}), _fake_fix(scan), {})
    assert report.run_summary(run).splitlines()[1:] == [
        "  not fixed: a.ts:1: console.log: no logger fixer can log through (one service)",
        "  not fixed: b.ts:1: console.log: no logger fixer can log through (one service)",
    ]


def test_a_short_message_many_places_share_stays_on_every_audit_line(tmp_path: Path) -> None:
    from fixer import report

    message = "HEALTHCHECK calls localhost; now 127.0.0.1 (the service listens on every interface)"

    def scan(f: Any, _ctx: Any) -> Iterator[Finding]:
        yield Finding("fake", f.path, 1, 1, message, (Edit(f.path, 0, 1, "y"),))

    repo = _tree(tmp_path, {f"s{n}.ts": "x\n" for n in range(5)})
    audit = report.findings_text([run_fix(repo, _fake_fix(scan), {})], repo)
    assert audit.count(message) == 5 and "as given at" not in audit
