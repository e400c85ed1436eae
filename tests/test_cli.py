"""The `fixer` command as a user meets it: output, exit codes, errors, help, docs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixer import docs
from gitrepo import SMALL_REPO, fixer, fixer_on_terminal, git, make_repo, write_tree
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


def test_a_file_name_that_is_not_utf8_is_skipped_and_named_escaped(tmp_path: Path) -> None:
    """git lists names as bytes; one that is not UTF-8 cannot go into a diff, a commit message
    or a report as it is. The file is skipped with that reason and the run goes on."""
    odd = "services/booking-service/src/a\udcffb.ts"  # the bytes a\xffb.ts, as Python lists them
    files = dict(SMALL_REPO)
    files[odd] = "app.get('/healthz', (_req, res) => res.json({}));\n"
    repo = tmp_path / "r"
    (repo / "services/booking-service/src").mkdir(parents=True)
    (repo / "services/booking-service/src").joinpath(odd.rsplit("/", 1)[1]).write_text(files.pop(odd))
    make_repo(repo, files)
    dry = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo))
    assert dry.returncode == 0, dry.stderr.decode()
    assert b"diff --git a/services/booking-service/src/app.ts" in dry.stdout
    assert 'file name is not UTF-8 — "services/booking-service/src/a\\377b.ts"' in dry.stderr.decode()  # as git quotes it
    real = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert real.returncode == 0, real.stderr.decode()
    message = git(repo, "log", "-1", "--format=%B", "fixer/health-endpoints")
    assert 'file name is not UTF-8 — "services/booking-service/src/a\\377b.ts"' in message
    audit = fixer("audit", "--format", "json", str(repo))
    assert audit.returncode == 1 and b"internal error" not in audit.stderr + audit.stdout
    assert json.loads(audit.stdout)["checklist"]["decided_nothing"] is False  # (its items decided)


def test_the_json_audit_says_when_its_checklist_decided_nothing(tmp_path: Path) -> None:
    """A repository whose service code cannot be read (not UTF-8) decides no checklist item:
    the JSON says so (`decided_nothing`), beside an exit code that only findings decide."""
    repo = make_repo(tmp_path / "r", {"services/api/package.json": '{"name": "api"}\n',
                                      "services/api/src/index.js": "// caf\xe9\n"})
    (repo / "services/api/src/index.js").write_bytes(b"const s = 'caf\xe9';\nrequire('http').createServer().listen(3000);\n")
    git(repo, "commit", "-qam", "latin-1")
    audit = fixer("audit", "--format", "json", str(repo))
    assert json.loads(audit.stdout)["checklist"]["decided_nothing"] is True, audit.stdout.decode()[:400]


def test_options_that_would_be_silently_wrong_are_errors_or_do_what_they_say(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    branches = git(repo, "branch", "--list")
    for args, message in [
        (["apply", "--fix", "secrets", "--fix", "health-endpoints"], "apply takes one --fix"),
        (["apply", "--fix", "health-endpoints", "--show-secrets"], "--show-secrets changes what --dry-run prints"),
        (["plan", "--show-secrets"], "--show-secrets changes what --dry-run and --patches write"),
        (["plan", "--only", ""], "no fix named"),  # an empty variable in a script: never the whole plan
        (["plan", "--only", ","], "no fix named"),
        (["audit", "--fix", ""], "no fix named"),
    ]:
        result = fixer(*args, str(repo))
        assert result.returncode == 2, args
        assert result.stderr.decode().startswith("fixer: ") and message in result.stderr.decode(), args
    assert git(repo, "branch", "--list") == branches  # nothing written
    unknown = fixer("apply", "--fix", "health-endpoints", "--dry-run", "-o", "health-endpoints.nokey=1", str(repo))
    assert unknown.returncode == 2 and unknown.stderr.decode().startswith(
        "fixer: --option 'health-endpoints.nokey=1': unknown option 'nokey'"), unknown.stderr  # (not .fixer.toml's)
    for broken in ("directory", "link"):
        config = repo / ".fixer.toml"
        config.mkdir() if broken == "directory" else config.symlink_to(tmp_path / "nowhere.toml")
        result = fixer("audit", str(repo))
        assert result.returncode == 2 and b".fixer.toml: not a readable file" in result.stderr, broken
        config.rmdir() if broken == "directory" else config.unlink()
    once = fixer("audit", "--json", "--fix", "health-endpoints", str(repo))
    listed = fixer("audit", "--json", "--fix", "health-endpoints,secrets", "--fix", "health-endpoints", str(repo))
    assert json.loads(listed.stdout)["findings"] == json.loads(once.stdout)["findings"] != []
    assert [run["fix"] for run in json.loads(listed.stdout)["fixes"]] == ["secrets", "health-endpoints"]


def test_an_output_that_cannot_encode_a_character_gets_an_escape_not_an_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    result = fixer("audit", "--fix", "health-endpoints", str(repo), env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1, result.stderr.decode()
    assert b"\\u2014" in result.stdout and b"internal error" not in result.stderr  # the title's dash


def test_a_bare_repository_is_refused_not_read_as_an_empty_directory(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(tmp_path / "bare.git"))
    for target in (tmp_path / "bare.git", repo / ".git"):
        for args in (["audit"], ["apply", "--fix", "health-endpoints", "--dry-run"], ["plan", "--dry-run"],
                     ["apply", "--fix", "health-endpoints"], ["plan"]):
            result = fixer(*args, str(target))
            assert result.returncode == 2, (args, target)
            assert b"bare git repository or inside one's git directory" in result.stderr
            assert result.stdout == b""


def test_a_subdirectory_of_a_monorepo_is_read_as_given_with_a_note(tmp_path: Path) -> None:
    """PATH is the monorepo's root (the sample lives in a subdirectory of fixer's own
    repository). One that is a subdirectory of something that looks like a monorepo gets a
    note saying where its root likely is; the monorepo's own root and the sample get none."""
    repo = make_repo(tmp_path / "r", {**SMALL_REPO, "package.json": '{"name": "mono", "private": true}\n'})
    inner = fixer("audit", "-q", str(repo / "services"))
    assert f"note: reading {repo / 'services'} as the monorepo's root; {repo} above it has package.json" \
        in inner.stderr.decode()
    assert b"note: reading" not in fixer("audit", "-q", str(repo)).stderr
    (repo / "package.json").unlink()  # a shared tsconfig a service's `extends` reaches above PATH
    (repo / "tsconfig.base.json").write_text('{ "compilerOptions": { "strict": true } }\n')
    assert f"{repo} above it has tsconfig.base.json" in fixer("audit", "-q", str(repo / "services")).stderr.decode()
    sample = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(ROOT / "fixtures" / "sample-monorepo"))
    assert sample.returncode == 0 and b"note: reading" not in sample.stderr


def test_a_dry_run_says_what_the_real_run_would_meet_on_its_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    fresh = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo))
    assert fresh.returncode == 0 and b"exists (" not in fresh.stderr
    assert fixer("apply", "--fix", "health-endpoints", str(repo)).returncode == 0
    again = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo))
    tip = git(repo, "rev-parse", "fixer/health-endpoints").strip()
    assert f"branch fixer/health-endpoints exists ({tip[:10]}): a real run reports it up to date" \
        in again.stderr.decode()
    refused = fixer("apply", "--fix", "health-endpoints", "--dry-run", "--branch", "@", str(repo))
    assert refused.returncode == 2 and refused.stderr.decode().startswith("fixer: '@' is not a valid branch name")


def test_ctrl_c_while_the_modules_load_is_a_quiet_exit() -> None:
    """The interrupt arrives in the middle of importing the CLI (made to, with an import
    hook): one line and 130, as for Ctrl-C later, no traceback."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "class Stop:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'fixer.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Stop())\n"
        "import fixer\n"
        "fixer.main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code, "list"], capture_output=True)
    assert result.returncode == 130
    assert result.stderr == b"fixer: interrupted\n"


def test_a_ctrl_c_says_so_once(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """typer turns a KeyboardInterrupt into a silent exit 130: fixer says it was interrupted
    (once: `plan` says itself what became of its branches)."""
    import typer

    from fixer import cli

    def interrupted(**_kwargs: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:  # (what typer's core does with one)
            raise SystemExit(130) from typer.Exit(130)

    monkeypatch.setattr(cli, "app", interrupted)
    monkeypatch.setitem(cli._state, "interrupt_said", False)
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 130 and capsys.readouterr().err == "fixer: interrupted\n"
    monkeypatch.setitem(cli._state, "interrupt_said", True)
    with pytest.raises(SystemExit):
        cli.main()
    assert capsys.readouterr().err == ""


# Files fixer skips on purpose, or of a kind no fix reads: none is "not read" (what fixer would find
# in them is not missing). A real repository's fonts and a theme's minified libraries were listed.
LEFT_OUT_ON_PURPOSE = {
    "services/booking-service/public/js/vendor.min.js": "var a=1;" * 10 + "\n",
    "services/booking-service/public/js/bundle.js": "var a=1;" * 400 + "\n",
    "services/booking-service/public/font/sans.woff2": b"wOF2\x00\x01\x00\x00binary\x00",
    "services/booking-service/src/gen/types.ts": "// Code generated by protoc. DO NOT EDIT.\nexport type A = 1;\n",
}


def test_a_file_that_does_not_parse_is_named_in_the_audit_and_by_apply(tmp_path: Path) -> None:
    """A docker-compose.yml that does not parse: no fix read it, so "No findings." (and apply's
    "nothing to fix") said nothing of it; the reason was only in --json."""
    files = dict(SMALL_REPO)
    files["docker-compose.yml"] = ("services:\n  api:\n    image: node:20\n    environment:\n      NODE_ENV: development\n"
                                   "    ports: [\n")
    repo = make_repo(tmp_path / "r", files)
    audit = fixer("audit", "--fix", "env-separation,kafka-listeners", str(repo))
    out = audit.stdout.decode()
    assert "Not read (what fixer would find in them is missing):" in out
    assert "1 skipped: YAML does not parse" in out and out.rstrip().endswith("No findings.")
    assert "Not read" not in fixer("audit", "--fix", "env-separation,kafka-listeners", str(
        make_repo(tmp_path / "on-purpose", {**SMALL_REPO, **LEFT_OUT_ON_PURPOSE}))).stdout.decode()
    apply = fixer("apply", "--fix", "env-separation", str(repo))
    assert apply.returncode == 0 and "not read: 1 skipped: YAML does not parse" in apply.stderr.decode()
    assert "docker-compose.yml" in apply.stderr.decode()
    # one that holds nothing a fix's prefilter looks for is named too (the compose model could not read it)
    (repo / "docker-compose.yml").write_text("services:\n  api:\n    ports: [\n")
    git(repo, "commit", "-qam", "broken again")
    for args in (["audit"], ["audit", "--fix", "healthcheck-loopback"]):
        assert "1 skipped: YAML does not parse" in fixer(*args, str(repo)).stdout.decode(), args


def test_a_directory_inside_a_declared_workspace_reads_the_workspaces_root(tmp_path: Path) -> None:
    """The nearest directory above PATH, in PATH's git repository, whose configuration declares
    a workspace (nest-cli.json `monorepo`, nx.json, a package.json with `workspaces`, …) is read
    instead of PATH; a turbo.json of one package (`extends`), a workspace root given as PATH, a
    nested git repository and a directory outside any git repository are read as given."""
    apps = {"apps/a/src/app.ts": "app.get('/healthz', h);\n", "apps/b/src/app.ts": "app.get('/healthz', h);\n"}
    repo = make_repo(tmp_path / "r", {**apps, "nest-cli.json": '{ "monorepo": true, "root": "apps/a" }\n'})

    def found(**where: Path) -> set[str]:
        document = json.loads(fixer("audit", "--fix", "health-endpoints", "--json", *where.get("args", ()),
                                    cwd=where.get("cwd")).stdout)
        return {f["path"] for f in document["findings"]}

    both = {"apps/a/src/app.ts", "apps/b/src/app.ts"}
    assert found(cwd=repo / "apps" / "b" / "src") == both
    assert found(args=(str(repo / "apps" / "b"),)) == both  # PATH as an argument too
    note = fixer("audit", "-q", cwd=repo / "apps" / "b").stderr.decode()
    assert f"note: reading {repo.resolve()}, the monorepo's root (its nest-cli.json has 'monorepo')" in note
    assert found(cwd=repo) == both and b"note:" not in fixer("audit", "-q", cwd=repo).stderr
    (repo / "nest-cli.json").unlink()
    (repo / "apps/b/turbo.json").write_text('{ "extends": ["//"], "tasks": {} }\n')
    assert found(cwd=repo / "apps" / "b") == {"src/app.ts"}
    (repo / "apps/b/turbo.json").unlink()
    (repo / "turbo.json").write_text('{ "tasks": { "build": {} } }\n')
    assert found(cwd=repo / "apps" / "b") == both
    (repo / "apps/b/nx.json").write_text("{}\n")  # PATH is a workspace's root itself
    assert found(cwd=repo / "apps" / "b") == {"src/app.ts"}
    (repo / "apps/b/nx.json").unlink()
    git(repo / "apps" / "b", "init", "-q")  # a repository of its own inside the monorepo's
    assert found(cwd=repo / "apps" / "b") == {"src/app.ts"}
    plain = tmp_path / "plain"  # no git repository says where the project ends
    write_tree(plain, {**apps, "pnpm-workspace.yaml": "packages: ['apps/*']\n"})
    assert found(cwd=plain / "apps" / "b") == {"src/app.ts"}


def test_show_without_an_id_lists_the_fixes() -> None:
    """`fixer show` alone is `fixer list` (it was an error: 'Missing argument ID')."""
    shown = fixer("show")
    assert shown.returncode == 0, shown.stderr.decode()
    assert shown.stdout == fixer("list").stdout
    assert all(fix_id in shown.stdout.decode() for fix_id in registry())


ODD_NAMES = {"newline": "api/src/new\nline.js", "escape": "api/src/x\x1b[2K\x1b[31mFAKE\x1b[0m.js",
             "backtick": "api/src/x`y`.js"}


def test_odd_file_names_are_quoted_as_git_quotes_them_in_text_and_markdown(tmp_path: Path) -> None:
    """A name with a newline or a terminal escape sequence neither splits a finding's line nor
    reaches the terminal raw (C-style quoted, as git quotes it); a backtick in a name gets a
    longer markdown code span; JSON keeps the name as it is."""
    files = {"api/package.json": '{"name":"api","main":"src/index.js"}\n',
             "api/src/index.js": "require('http').createServer(() => {}).listen(3000);\n"}
    files.update({name: 'console.log("x");\n' for name in ODD_NAMES.values()})
    repo = make_repo(tmp_path / "r", files)
    text = fixer("audit", "-q", "--fix", "console-to-logger", str(repo), cwd=repo).stdout.decode()
    assert b"\x1b" not in text.encode()
    assert '  "api/src/new\\nline.js":1:1  console-to-logger  ' in text
    assert '  "api/src/x\\033[2K\\033[31mFAKE\\033[0m.js":1:1  console-to-logger  ' in text
    assert "  api/src/x`y`.js:1:1  console-to-logger  " in text
    assert not any(line.startswith("line.js") for line in text.splitlines())
    markdown = fixer("audit", "--format", "markdown", "--fix", "console-to-logger", str(repo), cwd=repo).stdout.decode()
    assert b"\x1b" not in markdown.encode()
    assert '- `"api/src/new\\nline.js":1` console.log' in markdown
    assert "- ``api/src/x`y`.js:1`` console.log" in markdown
    document = json.loads(fixer("audit", "--format", "json", "--fix", "console-to-logger", str(repo), cwd=repo).stdout)
    assert set(ODD_NAMES.values()) <= {f["path"] for f in document["findings"]}


def test_printable_path_markdown_code_and_shell_words() -> None:
    from fixer.report import _shell_path, markdown_code, printable_path, printable_text

    assert printable_path("api/a b.js") == "api/a b.js" and printable_path("café.js") == "café.js"
    assert printable_path("a\tb.js") == '"a\\tb.js"' and printable_path('q"t.js') == '"q\\"t.js"'
    assert printable_path("a\u202eb.js") == '"a\\342\\200\\256b.js"'  # a bidi override: every non-ASCII byte, as git
    assert printable_path("a\udcffb.js") == '"a\\377b.js"'  # not UTF-8
    assert markdown_code("a.js") == "`a.js`" and markdown_code("a``b") == "```a``b```" and markdown_code("`a") == "`` `a ``"
    assert printable_text("x\ny\x1b[0m") == "x\\ny\\x1b[0m"
    assert _shell_path("a b.js") == "'a b.js'" and _shell_path("a\nb'.js") == "$'a\\nb\\'.js'"


@pytest.mark.parametrize("columns", ["120", "80", "40"])
def test_list_on_a_narrow_terminal_never_cuts_a_fix_id(tmp_path: Path, columns: str) -> None:
    """r12: `fixer list` at 80 columns printed `health-endpoin…` (rich shrank the id column like
    any other): the ids, what `--fix` takes, stay whole; the title wraps, lesser columns go."""
    import re

    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", fixer_on_terminal(["list"], tmp_path, env={"COLUMNS": columns}).decode())
    assert "…" not in text, text
    firsts = [line.split() for line in text.splitlines() if line.strip()]
    for fix_id in registry():
        assert any(fix_id in words for words in firsts), (fix_id, text)
    assert all(len(line.rstrip()) <= int(columns) for line in text.splitlines()), text


def test_apply_says_that_its_commit_skipped_the_commit_hooks(tmp_path: Path) -> None:
    """r12: `apply` commits with `git commit-tree`: the hooks of core.hooksPath (or .git/hooks)
    that `git commit` would run did not, and nothing said so. A note names them and says what to
    run; a disabled hooks path (/dev/null) or sample hooks alone give none."""
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    result = fixer("apply", "--fix", "health-endpoints", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    err = result.stderr.decode()
    assert err.count("note: fixer's commits do not run this repository's commit hooks (commit-msg in .git/hooks)") == 1, err
    assert "git checkout fixer/health-endpoints && git reset --soft HEAD~ && git commit -C ORIG_HEAD" in err, err
    git(repo, "config", "core.hooksPath", "/dev/null")
    result = fixer("apply", "--fix", "health-endpoints", "--branch", "fixer/other", str(repo))
    assert result.returncode == 0 and "hook" not in result.stderr.decode(), result.stderr.decode()
