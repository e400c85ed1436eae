"""console-to-logger: what the fixtures don't pin — key derivation one case at a time, the
notes a run and `fixer show console-to-logger PATH` give, config, and a few one-line cases."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from fixer import config as config_mod
from fixer import logger as logger_mod
from fixer import report
from fixer.errors import UsageError
from fixer.repo import SkipFile
from fixer.parsing import logcall, typescript
from fixer.parsing.comments import blank, comment_ranges
from gitrepo import write_tree
from harness import ROOT, open_tree, run_on_tree, tree_after, read_tree
from transforms import console_to_logger, registry

SAMPLE = ROOT / "fixtures" / "sample-monorepo"
SERVICE = {"services/orders/package.json": '{ "name": "orders" }\n',
           "services/orders/src/index.ts": "import { logger } from '@acme/shared';\n\nlogger.info('up', { port: 3000 });\n"}


def _fixed(tmp_path: Path, path: str, source: str, extra: dict[str, str] | None = None) -> str:
    """The file's text after the fix, in a small service whose logger is `@acme/shared`'s."""
    write_tree(tmp_path, {**SERVICE, **(extra or {}), path: source})
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.problems, [p.message for p in run.problems]
    return tree_after(read_tree(tmp_path), run)[path].decode()


# --- keys: one case each --------------------------------------------------------------


@pytest.mark.parametrize("expression, key", [
    ("user.id", "userId"),  # a member path, camelCased
    ("req.params.id", "reqParamsId"),
    ("process.env.NODE_ENV", "processEnvNodeEnv"),  # SCREAMING_CASE parts are camelCased too
    ("this.timer", "timer"),  # `this` adds nothing
    ("order.items[0]", "orderItems0"),
    ("getUser()", "user"),  # a getter names its value
    ("JSON.stringify(order)", "order"),  # pass-through calls name their argument
    ("order.total.toFixed(2)", "orderTotal"),  # a method call on a value names the value
    ("new Date()", "date"),
    ("await loadProfile(id)", "profile"),
    ("(user as Admin).email", None),  # not a plain path: a label or `detail` instead
    ("a + b", None),
])
def test_derived_keys(expression: str, key: str | None) -> None:
    tree = typescript.parse(f"f({expression});".encode(), "ts")
    call = tree.root_node.named_children[0].named_children[0]
    argument = typescript.list_items(call.child_by_field_name("arguments"))[0]
    assert logcall.derived_key(argument) == key


# --- one-line cases ---------------------------------------------------------------------


def test_console_in_strings_and_comments_is_not_a_call(tmp_path: Path) -> None:
    source = "// console.log('old')\nexport const hint = \"console.log('x')\";\nconsole.log('real');\n"
    assert _fixed(tmp_path, "services/orders/src/a.ts", source) == (
        "import { logger } from '@acme/shared';\n\n// console.log('old')\n"
        "export const hint = \"console.log('x')\";\nlogger.info('real');\n"
    )


def test_an_esm_mjs_file_without_imports_gets_an_import_not_a_require(tmp_path: Path) -> None:
    source = "export const run = () => console.log('run');\n"
    assert _fixed(tmp_path, "services/orders/src/run.mjs", source) == (
        "import { logger } from '@acme/shared';\n\nexport const run = () => void logger.info('run');\n"
    )


def test_a_file_without_semicolons_gets_an_import_without_one(tmp_path: Path) -> None:
    source = "import a from 'a'\n\nconsole.log('x', a)\n"
    assert _fixed(tmp_path, "services/orders/src/a.ts", source) == (
        "import a from 'a'\nimport { logger } from '@acme/shared'\n\nlogger.info('x', { a })\n"
    )


def test_a_catch_binding_and_a_typed_error_parameter_go_under_error(tmp_path: Path) -> None:
    source = ("try { run(); } catch (problem) { console.error('failed', problem); }\n"
              "export const onError = (cause2: TypeError) => console.warn('odd', cause2);\n"
              "declare function run(): void;\n")
    text = _fixed(tmp_path, "services/orders/src/a.ts", source)
    assert "logger.error('failed', { error: problem });" in text
    assert "logger.warn('odd', { error: cause2 })" in text


def test_an_on_error_handler_parameter_goes_under_error(tmp_path: Path) -> None:
    source = "import { EventEmitter } from 'events';\nnew EventEmitter().on('error', (boom) => console.error('emitter', boom));\n"
    assert "logger.error('emitter', { error: boom })" in _fixed(tmp_path, "services/orders/src/a.ts", source)


def test_a_non_error_parameter_named_like_data_keeps_its_name(tmp_path: Path) -> None:
    source = "export const show = (row: { id: string }) => console.log('row', row);\n"
    assert "logger.info('row', { row })" in _fixed(tmp_path, "services/orders/src/a.ts", source)


# --- a call's arguments, one call at a time (logcall.arguments_edits) --------------------


def _arguments(call: str, service: str | None = None, pino: bool = False) -> str:
    """`call` (one console call, with the declarations it needs before it) with its
    arguments rewritten as the logger's, the callee left as it is."""
    from fixer import edits as edit_ops
    from fixer.repo import SourceFile

    source_file = SourceFile("a.ts", call.encode(), None)  # type: ignore[arg-type]
    [node] = [n for n in typescript.descendants(source_file.tree.root_node, "call_expression")
              if (n.child_by_field_name("function").text or b"").startswith(b"console.")]
    return edit_ops.apply(source_file.data, logcall.arguments_edits(source_file, node, service, "'", pino)).decode()


@pytest.mark.parametrize("call, expected", [
    # a `%s` value that would print `[object Object]` goes to meta wherever it stands in the format (between
    # words, its name in meta in braces takes its place: no gap in the sentence)
    ("console.log('user %s logged in at %s', user, time);", "console.log(`user {user} logged in at ${time}`, { user });"),
    ("console.log('%s: saved %s', order, name);", "console.log(`saved ${name}`, { order });"),
    # what only framed it goes with it, escaped quotes too (an escaped quote alone stays escaped)
    ("console.log('saved [%s] by %s', order, name);", "console.log(`saved {order} by ${name}`, { order });"),
    ("console.log('a \\'%s\\' b %s', order, name);", "console.log(`a {order} b ${name}`, { order });"),
    ("console.log('saved \\'%s\\' ok', order);", "console.log('saved {order} ok', { order });"),
    ("console.log('it\\'s %s [%s]', name, order);", "console.log(`it\\'s ${name}`, { order });"),
    # the meta of a value moved out of the middle, with the values after the format
    ("console.log('a %s b %s', order, name, extra);", "console.log(`a {order} b ${name}`, { order, extra });"),
    ("console.log('a %s b %s', { id: 1 }, name);", "console.log(`a {id} b ${name}`, { id: 1 });"),
    # a `%c` value (CSS) prints nothing
    ("console.log('%cbold %s', css, order);", "console.log(`bold`, { order });"),
])
def test_format_values(call: str, expected: str) -> None:
    assert _arguments(call) == expected


def test_a_service_name_goes_into_the_meta_of_a_format_call() -> None:
    assert _arguments("console.log('user %s', name);", "orders") == "console.log(`user ${name}`, { service: 'orders' });"
    assert _arguments("console.log('a %s b %s', order, name);", "orders") == (
        "console.log(`a {order} b ${name}`, { order, service: 'orders' });")
    assert _arguments("console.log('a %s b %s', { id: 1 }, name);", "orders") == (
        "console.log(`a {id} b ${name}`, { id: 1, service: 'orders' });")


def test_a_message_winston_would_read_as_a_format_gets_no_service_name() -> None:
    """winston logs no meta with a message holding /%[scdjifoO%]/: a specifier console printed
    as it is stays, without the service's name (which would be lost anyway)."""
    assert _arguments("console.log('%s %s', name);", "orders") == "console.log(`${name} %s`);"
    assert _arguments("console.log('Payload %o');", "orders") == "console.log('Payload %o');"
    assert _arguments("console.log('100%% done');", "orders") == "console.log('100%% done');"
    assert _arguments("console.log(`%o for ${name}`, order);", "orders") == (
        "console.log(`for ${name}`, { order, service: 'orders' });")
    # pino prints such a message as it is when no values follow it
    assert _arguments("console.log('Payload %o');", "api", pino=True) == "console.log({ service: 'api' }, 'Payload %o');"
    assert _arguments("console.log('only %s', ip);", "api", pino=True) == "console.log({ service: 'api' }, 'only %s', ip);"


@pytest.mark.parametrize("call, pino, why", [
    ("console.log('Took %d ms for ' + name, ms);", False, "winston would take for a format of its own"),
    ("console.log('Took %d ms for ' + name, ms);", True, "which pino would print as it is"),
    ("console.log('%s and %s', ...args);", False, "winston would drop the values"),
    ("console.log('%s and %s', name, ...args);", True, "pino's types need the values one by one"),
    ("console.log('%%s literal', name);", False, "its message would keep `%s`"),
    ("console.log('%s %s %s', name, order);", False, "its message would keep `%s`"),
])
def test_a_call_whose_values_the_logger_would_drop_is_not_rewritten(call: str, pino: bool, why: str) -> None:
    with pytest.raises(logcall.NotRewritten) as raised:
        _arguments(call, pino=pino)
    assert why in str(raised.value)


@pytest.mark.parametrize("call, expected", [
    # a template literal's specifiers are console's too
    # (`%d` of a value not known to be a number: console printed Number(ms), a template ms as it is)
    ("console.log(`Took %d ms for ${name}`, ms);", "console.log(`Took {ms} ms for ${name}`, { ms });"),
    ("const ms = Date.now() - t0;\nconsole.log(`Took %d ms for ${name}`, ms);",
     "const ms = Date.now() - t0;\nconsole.log(`Took ${ms} ms for ${name}`);"),
    ("console.log(`%j at ${name}: %s`, order, id);", "console.log(`at ${name}: ${id}`, { order });"),
    # `\%` is `%`
    ("console.log('100\\%s', 'x');", "console.log(`100${'x'}`);"),
    # `||`, `??`: what either side prints; a process error handler's first parameter is an error
    ("console.log('config %s', cfg || {});", "console.log('config', { cfg: cfg || {} });"),
    ("console.log('hello %s', name ?? 'anonymous');", "console.log(`hello ${name ?? 'anonymous'}`);"),
    ("process.on('unhandledRejection', (reason) => console.error('failed: %s', reason));",
     "process.on('unhandledRejection', (reason) => console.error('failed', { error: reason }));"),
])
def test_format_messages_and_values(call: str, expected: str) -> None:
    assert _arguments(call) == expected


@pytest.mark.parametrize("call, expected", [
    # pino's types take `%d` of a number only, and no `%i`, `%f`, `%c` (which pino prints as it is)
    ("console.log('%s:%d', host, port);", "console.log({ port }, '%s', host);"),  # (port: not known to be a number)
    ("console.log('%s:%d', host, 80);", "console.log('%s:%d', host, 80);"),
    ("console.log('%c%s', css, name);", "console.log(`${name}`);"),
    ("console.log('config %j', cfg, name);", "console.log({ cfg, name }, 'config');"),
    ("console.log(`T %s ${host}`, port, extra);", "console.log({ extra }, `T ${port} ${host}`);"),
])
def test_pino_format_strings_its_types_take(call: str, expected: str) -> None:
    assert _arguments(call, pino=True) == expected


def test_line_comments_among_the_values_go_before_the_template() -> None:
    assert _arguments("f(() => {\n  console.log('a %s',\n    // why\n    name);\n});\n") == (
        "f(() => {\n  console.log(\n    // why\n    `a ${name}`);\n});\n")
    # a comment inside a value goes with the value, once
    assert _arguments("console.log('a %s', String(/* c */ name));") == "console.log(`a ${String(/* c */ name)}`);"


@pytest.mark.parametrize("call, expected", [
    # pino's `%s` prints `[object Object]` and an error without its stack: into meta
    ("console.log('user %s from %s', user, ip);", "console.log({ user }, 'user {user} from %s', ip);"),
    ("console.error('failed: %s', err);", "console.error({ err }, 'failed');"),
    ("console.error('%s', err);", "console.error({ err }, 'error');"),
    ("console.log('from %s: %s', ip, user, extra);", "console.log({ user, extra }, 'from %s', ip);"),
    # pino takes any `%` and the character after it for a specifier
    ("console.log('50% of %s', ip);", "console.log('50%% of %s', ip);"),
    ("console.log('only %s', ip);", "console.log('only %s', ip);"),
    # a comment between the message and the values: the message goes after the meta object
    ("console.log('a %s', ip, /* b */ b);", "console.log(/* b */ { b }, 'a %s', ip);"),
    ("console.log('a',\n  // b\n  b);", "console.log(\n  // b\n  { b }, 'a');"),
])
def test_pino_format_values(call: str, expected: str) -> None:
    assert _arguments(call, pino=True) == expected


# --- what a run says about the repository ----------------------------------------------


def test_the_dry_run_summary_says_what_was_inferred_and_from_how_many_files() -> None:
    _, run = run_on_tree("console-to-logger", SAMPLE)
    summary = report.run_summary(run)
    # 40 calls fixed; the two winston loggers whose format would print errors in meta as {} get the format
    # that keeps them (`errorsInMeta`)
    assert "console-to-logger: 42 finding(s), 42 fixed; 13 file(s) changed" in summary
    assert "logger (inferred): `logger` of `@kc/shared` as `logger` (8 file(s))" in summary
    assert "logger in services/admin-service: default export of `@kc/shared` as `logger` (3 file(s))" in summary
    assert ("logger in services/student-service: default export of `services/student-service/logger.js` "
            "as `logger` (3 file(s))") in summary
    assert ("logger in services/student-auth-service: `log` made with "
            "`createServiceLogger(\"student-auth-service\")` of `@kc/shared` (2 file(s))") in summary
    assert ("4 services under their directory's name (services/admin-service, services/api-gateway, "
            "services/booking-service, services/course-service)") in summary
    assert "services/student-service (" not in summary  # its logger stamps the name itself
    # (the logger modules are left alone, but hold no console call: the notes do not list them)
    assert "left alone (the logger implementation itself)" not in summary


def test_fixer_show_with_a_path_describes_the_repository() -> None:
    shown = subprocess.run([sys.executable, "-m", "fixer", "show", "console-to-logger", str(SAMPLE)],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert shown.startswith("# console-to-logger — Log through the service logger, not console")
    assert f"## In {SAMPLE}" in shown
    assert "- logger (inferred): `logger` of `@kc/shared` as `logger` (8 file(s))" in shown


def test_a_repository_without_a_logger_is_told_how_to_get_one(tmp_path: Path) -> None:
    write_tree(tmp_path, {"services/a/package.json": "{}", "services/a/x.ts": "console.log('x');\n"})
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.changes
    assert any("create = true" in note for note in run.notes)
    [finding] = run.findings
    assert "no logger fixer can log through" in finding.message and not finding.fixable


@pytest.mark.parametrize("declared_by, told", [
    ("services/api/package.json", True),  # a sibling's winston is not in this package's build
    ("package.json", True),  # nor the workspace root's: a build of one service sees its own package.json
    ("services/collab/package.json", False),
])
def test_a_created_logger_needs_winston_in_the_package_that_builds_it(tmp_path: Path, declared_by: str,
                                                                       told: bool) -> None:
    manifests = {"package.json": '{ "name": "root", "private": true, "workspaces": ["services/*"] }\n',
                 "services/api/package.json": '{ "name": "api" }\n',
                 "services/collab/package.json": '{ "name": "collab" }\n'}
    manifests[declared_by] = manifests[declared_by].replace(" }", ', "dependencies": { "winston": "3.17.0" } }')
    write_tree(tmp_path, {**manifests, ".fixer.toml": '[logger]\nmodule = "services/collab/src/logger.ts"\ncreate = true\n',
                          "services/collab/src/index.ts": "console.log('up');\n"})
    _, run = run_on_tree("console-to-logger", tmp_path)
    undeclared = [f.message for f in run.findings if "winston is not a dependency" in f.message]
    assert undeclared == ([] if not told else [
        "winston is not a dependency of services/collab/package.json, the package that builds "
        "services/collab/src/logger.ts: declare it there (`npm install winston` in services/collab; a build of "
        "that package alone installs only what its package.json declares)"])


@pytest.mark.parametrize("arguments, meta", [
    ("'GitHub URL:', u.trim()", "{ url: u.trim() }"),  # an acronym lowercased whole (not uRL)
    ("'API_URL:', String(u)", "{ apiUrl: String(u) }"),
    ("'GitHub URL:', url, errMsg", "{ url, errMsg }"),  # the label names the value after the message only
    ("'GitHub URL:', normalise(u), url", "{ normalise: normalise(u), url }"),  # ... unless another has that name
])
def test_a_label_names_one_value(tmp_path: Path, arguments: str, meta: str) -> None:
    source = f"declare const u: string, url: string, errMsg: string, normalise: (s: string) => string;\nconsole.log({arguments});\n"
    fixed = _fixed(tmp_path, "services/orders/src/x.ts", source)
    assert f"{meta});" in fixed


# --- config --------------------------------------------------------------------------


def test_logger_create_is_a_boolean_and_needs_no_module() -> None:
    modules = registry()
    assert config_mod.parse({"logger": {"create": True}}, modules).logger == {"create": True}
    with pytest.raises(UsageError, match="create must be true or false"):
        config_mod.parse({"logger": {"create": "yes"}}, modules)
    with pytest.raises(UsageError, match="needs 'module'"):
        config_mod.parse({"logger": {"name": "log"}}, modules)


def test_logger_shape_is_winston_or_pino_of_a_module() -> None:
    # `[logger] shape` says what an external logger takes: winston's or pino's, beside its module
    modules = registry()
    parsed = config_mod.parse({"logger": {"module": "@company/logger", "shape": "winston"}}, modules)
    assert parsed.logger["shape"] == "winston"
    with pytest.raises(UsageError, match="shape must be"):
        config_mod.parse({"logger": {"module": "@company/logger", "shape": "bunyan"}}, modules)
    with pytest.raises(UsageError, match="shape needs 'module'"):
        config_mod.parse({"logger": {"create": True, "shape": "pino"}}, modules)


def test_scope_options_are_lists_of_globs() -> None:
    modules = registry()
    parsed = config_mod.parse({"fix": {"console-to-logger": {"skip-scripts": ["tools/**"]}}}, modules)
    assert parsed.fixes["console-to-logger"]["skip-scripts"] == ["tools/**"]
    with pytest.raises(UsageError, match="must be a list"):
        config_mod.parse({"fix": {"console-to-logger": {"skip-tests": "none"}}}, modules)


def test_a_local_name_that_shadows_the_logger_is_not_called(tmp_path: Path) -> None:
    source = ("import { logger } from '@acme/shared';\n\n"
              "export function handle(logger: { write(m: string): void }): void {\n"
              "  console.log('inside');\n}\n"
              "console.log('outside');\n")
    text = _fixed(tmp_path, "services/orders/src/a.ts", source)
    assert "  console.log('inside');" in text and "logger.info('outside');" in text


def test_a_request_logging_middleware_named_logger_is_no_wrapper(tmp_path: Path) -> None:
    source = ("import type { NextFunction, Request, Response } from 'express';\n\n"
              "export const logger = (req: Request, _res: Response, next: NextFunction) => {\n"
              "  console.log(`${req.method} ${req.url}`);\n  next();\n};\n")
    text = _fixed(tmp_path, "services/orders/src/middleware.ts", source)
    assert "import { logger as appLogger } from '@acme/shared';" in text
    assert "  appLogger.info(`${req.method} ${req.url}`);" in text


# --- the gate -------------------------------------------------------------------------


def _findings_of(run) -> list[tuple]:
    return [(f.path, f.line, f.col, f.message, f.changes) for f in run.findings]


def test_the_gate_rules_out_only_files_whose_console_is_in_comments(tmp_path: Path, monkeypatch) -> None:
    """A file whose only `console` is in comments is not scanned; every fixture case and the
    sample give the same findings with the gate as without it."""
    module = registry()["console-to-logger"]
    write_tree(tmp_path / "small", {**SERVICE,
                                    "services/orders/src/quiet.ts": "// console.log('debug');\n/* console.warn(x) */\nexport {};\n",
                                    "services/orders/src/loud.ts": "/* console */ console.log('x');\n"})
    scanned: list[str] = []
    real_scan = module.scan
    monkeypatch.setattr(module, "scan", lambda f, c: scanned.append(f.path) or real_scan(f, c))
    _, run = run_on_tree("console-to-logger", tmp_path / "small")
    assert "services/orders/src/quiet.ts" not in scanned and "services/orders/src/loud.ts" in scanned
    assert [f.path for f in run.findings] == ["services/orders/src/loud.ts"]
    monkeypatch.undo()

    roots = [case for case in sorted((ROOT / "fixtures" / "console-to-logger").iterdir()) if case.is_dir()]
    assert all((case / "before").is_dir() for case in roots) and len(roots) > 25
    total = 0
    for root in [SAMPLE, *(case / "before" for case in roots)]:
        _, gated = run_on_tree("console-to-logger", root, verify=False)
        with monkeypatch.context() as patch:
            patch.delattr(module, "GATE")
            _, ungated = run_on_tree("console-to-logger", root, verify=False)
        assert _findings_of(gated) == _findings_of(ungated), root
        total += len(gated.findings)
    assert total > 100


@pytest.mark.parametrize("source, in_code", [
    ("console.log(1);\n", True),
    ("  if (x) console.warn(x);\r\n", True),
    ("// console.log(1);\nexport {};\n", False),
    ("x(); // console.log(1)\n", False),
    ("/**\n * console.log(x) prints it\n */\nexport {};\n", False),
    ("/* console */ export {};\n", False),
    ("const s = 'a/b'; console.log(s);\n", True),  # a `/` before it: the comments decide
    ("const s = '// console';\n", True),  # in a string: no comment, so scanned (finds nothing)
    ("/*\n  console.log(x)\n*/\n", True),  # a block comment's bare line: taken as code, scanned for nothing
    ("no mention\n", False),
])
def test_the_gate_reads_a_bare_line_as_code_and_asks_the_comments_otherwise(source: str, in_code: bool) -> None:
    module = registry()["console-to-logger"]
    repo = open_tree(SAMPLE)
    assert module.console_in_code(repo.file_of("src/a.ts", source.encode())) is in_code
    exact = repo.file_of("src/a.ts", source.encode())
    exact.comment_ranges  # noqa: B018 (known comments: the gate uses them, never the shortcut)
    assert module.console_in_code(exact) is (in_code and "console" in _code_of(source))


def _code_of(source: str) -> str:
    return blank(source.encode(), comment_ranges(source.encode())).decode()


def test_the_gate_never_rules_out_a_file_with_console_in_code() -> None:
    """On every fixture file: where `console` is in the code (comments blanked), the gate says
    so; where it says no, no `console` is in the code."""
    module = registry()["console-to-logger"]
    repo = open_tree(SAMPLE)
    checked = 0
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.suffix not in (".ts", ".tsx", ".js", ".mjs", ".cjs") or not path.is_file():
            continue
        data = path.read_bytes()
        if b"console" not in data:
            continue
        comments = comment_ranges(data)
        exact = comments is None or b"console" in blank(data, comments)
        try:
            source_file = repo.file_of("src/a" + path.suffix, data)
        except SkipFile:
            continue  # (a file no fix reads: generated code, a Git LFS pointer)
        gated = module.console_in_code(source_file)
        assert gated or not exact, path
        checked += 1
    assert checked > 100


def test_an_exported_logger_object_is_told_from_a_function_named_logger() -> None:
    """What makes a module the logger implementation (`exported_loggers`): an object, an
    instance or a class it exports under a logger's name; not a function, not a creation
    (that is IMPLEMENTS_LOGGER's)."""
    from transforms.console_to_logger import exported_loggers

    cases = {
        b"export const logger = { info: (m: string) => write(m) };": ("logger",),
        b"export const logger: Logger = new Logger();": ("logger",),
        b"export class appLogger {}\nexport const log = {};": ("appLogger", "log"),
        b"exports.logger = { info() {} };": ("logger",),
        b"module.exports.log = new Console(process.stdout);": ("log",),
        b"export const logger = (req, res, next) => next();": (),
        b"export function logger() {}": (),
        b"export const logger = winston.createLogger({});": (),
        b"myexports.logger = {};": (),
    }
    for data, expected in cases.items():
        assert exported_loggers(data) == expected, data


def test_an_error_interpolated_in_a_template_is_not_an_error_in_meta() -> None:
    """The warning about errors in meta (winston prints them as {}) is for meta, not for
    `${err}` in a message."""
    from transforms.console_to_logger import ERROR_META

    for text, meta in {"{ error: err }": True, ", { err }": True, ", error": True, "{ error }": True,
                       "`connect failed: ${err}`": False, "`${error.message}`": False, "errors": False}.items():
        assert bool(ERROR_META.search(text)) == meta, text


@pytest.mark.parametrize("source, expected", [
    ("export const f = (): void => console.log('x');\n", "(): void => void logger.info('x')"),
    ("export function f(ok: boolean): void {\n  if (!ok) return console.error('no');\n}\n", "return void logger.error('no')"),
    ("export const x = `${console.log('x')}`;\n", "${void logger.info('x')}"),
    ("export const g = (a: boolean, b: () => void): void => { console.log('a') || b(); };\n",
     "void logger.info('a') || b()"),
    ("export function f(p: Promise<void>): Promise<void> {\n  return p.catch((err) => console.error('failed', err));\n}\n",
     "(err) => void logger.error('failed', { error: err })"),
    ("export function f(a: boolean): void {\n  a && console.log('a');\n}\n", "  a && logger.info('a');"),
    ("export function f(xs: string[]): void {\n  xs.forEach((x) => console.log('x', x));\n}\n", "(x) => logger.info('x', { x })"),
    ("export function f(p: Promise<void>): void {\n  p.then(() => console.log('done'));\n}\n", "() => logger.info('done')"),
    ("export function f(): void {\n  void console.log('v');\n}\n", "  void logger.info('v');"),
])
def test_a_used_value_of_the_call_stays_undefined(tmp_path: Path, source: str, expected: str) -> None:
    """console's methods return undefined, winston's the logger (TS2322 under `: void`, a
    different `||`, an object rendered in JSX): where the value is used, `void` keeps it."""
    fixed = _fixed(tmp_path, "services/orders/src/f.ts", source)
    assert expected in fixed, fixed
    assert "void void" not in fixed


def test_a_use_client_module_is_browser_code() -> None:
    """`'use client'` (after comments, a BOM or 'use strict') marks a module the browser runs;
    the words elsewhere (a comment, a string) do not."""
    from transforms.console_to_logger import _is_client_module

    cases = {
        b"'use client';\nconsole.log(1);": True,
        b'/* a comment naming \'use client\' */\n"use client"\nconsole.log(1);': True,
        b"\xef\xbb\xbf// header\n'use strict';\n'use client';\n": True,
        b"const hint = 'use client';\n": False,
        b"// 'use client'\nconsole.log(1);\n": False,
        b"x();\n'use client';\n": False,
    }
    for data, expected in cases.items():
        assert _is_client_module(data) is expected, data


@pytest.mark.parametrize("source, expected", [
    ("console.log('100%% done', n);\n", "log.info({ n }, '100% done');"),  # pino formats nothing: console's % kept
    ("console.log('%s%% of %s', name, 'x', extra);\n", "log.info({ extra }, '%s%% of %s', name, 'x');"),  # pino formats it
    ("console.log('100%% done');\n", "log.info('100%% done');"),  # console alone does not format either
])
def test_pino_prints_a_percent_sign_as_console_did(tmp_path: Path, source: str, expected: str) -> None:
    files = {"services/api/package.json": '{ "name": "api" }\n',
             "services/api/src/utils/logger.ts": "import pino from 'pino';\n\nexport const log = pino();\n",
             "services/api/src/a.ts": "import { log } from './utils/logger';\n\nlog.info('a');\n",
             "services/api/src/b.ts": "import { log } from './utils/logger';\n\nlog.info('b');\n"}
    fixed = _fixed(tmp_path, "services/api/src/f.ts",
                   "import { log } from './utils/logger';\n\nconst n = 1, extra = 2, name = 'n';\n" + source, files)
    assert expected in fixed, fixed


def test_a_trailing_specifier_is_no_label(tmp_path: Path) -> None:
    """`'user %s:', name, getUser()`: the `s` of `%s:` is no word naming the value after it."""
    fixed = _fixed(tmp_path, "services/orders/src/f.ts",
                   "export function f(name: string, getUser: () => object): void {\n"
                   "  console.log('user %s:', name, getUser());\n}\n")
    assert "{ user: getUser() }" in fixed, fixed


def test_an_outer_edit_takes_the_inner_calls_rewrite_only_where_its_text_is_there_once() -> None:
    from fixer.model import Edit
    from transforms.console_to_logger import _merged

    data = b"log(`${f(() => inner(1))}`)"
    inner_at = data.index(b"inner(1)")
    inner_end = inner_at + len(b"inner(1)")
    inner = [Edit("a.ts", inner_at, inner_at + 5, "logger.info")]
    outer = Edit("a.ts", 0, len(data), "logger.info(`${f(() => inner(1))}`)")
    merged = _merged([outer], inner, data, inner_at, inner_end)
    assert merged == Edit("a.ts", 0, len(data), "logger.info(`${f(() => logger.info(1))}`)")
    twice = Edit("a.ts", 0, len(data), "inner(1) inner(1)")
    assert _merged([twice], inner, data, inner_at, inner_end) is None  # where would it go: both reported
    partial = Edit("a.ts", inner_at + 2, len(data), "x")  # starts inside the inner call
    assert _merged([partial], inner, data, inner_at, inner_end) is None


def test_a_service_the_repositorys_logger_cannot_reach_is_not_said_to_use_it(tmp_path: Path) -> None:
    # the repository's logger is service a's private module: service c gets none (its call is
    # reported "no logger to log through"), so the notes must not say it uses the repository's
    winston = "import winston from 'winston';\nexport const logger = winston.createLogger({});\n"
    write_tree(tmp_path, {
        "services/a/package.json": '{"name":"a"}', "services/a/src/logger.ts": winston,
        "services/a/src/index.ts": "import { logger } from './logger';\nlogger.info('a up');\nconsole.log('a');\n",
        "services/c/package.json": '{"name":"c"}', "services/c/src/index.ts": "console.log('c up');\n",
    })
    _, run = run_on_tree("console-to-logger", tmp_path)
    [reported] = [f for f in run.findings if f.path == "services/c/src/index.ts"]
    assert "no logger fixer can log through" in reported.message
    assert not any("use the repository's" in note for note in run.notes), run.notes


def test_the_notes_name_the_pino_loggers_and_the_stdio_servers_left_alone() -> None:
    _, run = run_on_tree("console-to-logger", ROOT / "fixtures" / "console-to-logger" / "winston-and-pino-services" / "before")
    assert ("new calls through a pino or bunyan logger are `logger.info({ meta }, 'message')`, errors under `err`: "
            "services/b/src/logger.ts") in run.notes
    assert not any(note.startswith("the logger is pino") for note in run.notes)
    _, run = run_on_tree("console-to-logger", ROOT / "fixtures" / "console-to-logger" / "stdio-server-left-alone" / "before")
    assert ("left alone (a stdio server: its stdout carries the protocol, console.error writes to stderr on purpose "
            "and a logger on stdout would corrupt it): services/mcp/src/index.ts, services/mcp/src/tools.ts") in run.notes


@pytest.mark.parametrize("source, signal", [
    ("const t = new StdioServerTransport();", "uses StdioServerTransport"),
    ("await server.connect(new mcp.StdioServerTransport());", "uses StdioServerTransport"),
    ("new StreamMessageWriter(process.stdout);", "uses StreamMessageWriter"),
    ("import { createConnection } from 'vscode-languageserver/node';", "imports vscode-languageserver"),
    ("const t = new StdioClientTransport({ command: 'x' });", None),  # a client: its own stdout is free
    ("// new StdioServerTransport() is for stdio servers", None),  # (`new` in a comment: still no call after it)
    ("new StreamMessageWriter(socket);", None),
])
def test_what_makes_a_file_a_stdio_server(source: str, signal: str | None) -> None:
    assert console_to_logger._stdio_server(source.encode()) == signal


def test_the_pino_decision_is_the_logger_each_file_logs_through(tmp_path: Path) -> None:
    # (`logger.is_pino_for`, shared with the other fixes that write logger calls)
    from fixer import logger as logger_mod
    write_tree(tmp_path, {
        "services/a/package.json": '{"name":"a"}',
        "services/a/src/logger.ts": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "services/a/src/index.ts": "import { logger } from './logger';\nlogger.info('a');\n",
        "services/b/package.json": '{"name":"b"}',
        "services/b/src/pino.ts": "import pino from 'pino';\nexport const base = pino();\n",
        "services/b/src/logger.ts": "export { base as logger } from './pino';\n",  # a re-export: what it imports
        "services/b/src/index.ts": "import { logger } from './logger';\nlogger.info('b');\n",
        "services/b/src/worker.ts": "export const x = 1;\n",  # gets b's convention
    })
    repo = open_tree(tmp_path)
    assert not logger_mod.is_pino_for(repo, "services/a/src/index.ts")
    assert logger_mod.is_pino_for(repo, "services/b/src/index.ts")
    assert logger_mod.is_pino_for(repo, "services/b/src/worker.ts")


# --- what the logger's calls take (winston's (message, meta) or not) --------------------


@pytest.mark.parametrize("source, shape", [
    (b"class Logger { info(module, msg) { w(module, msg); } }", console_to_logger.TAGGED),  # uptime-kuma
    (b"class L { info(module: string, msg: string): void { w(msg); } }", console_to_logger.TAGGED),
    (b"export const logger = { info: (message: string, meta?: Record<string, unknown>) => w(message, meta) };",
     console_to_logger.STRUCTURED),
    (b"const log = { info(msg, ...args) { console.log(msg, ...args); } };", console_to_logger.STRUCTURED),
    (b"exports.log = { info: function (msg) { w(msg); }, error: function (msg) { w(msg); } };", console_to_logger.ONE),
    (b"function handle(a, b) { return a + b; }", None),  # no level method
    # a NestJS LoggerService's `context` is a string (`warn(message, context?)`), not meta
    (b"class L { warn(message: string, context?: string) { w(message); } }", None),
    (b"try { x(); } catch (error) { y(error); }", None),  # `catch (error) {` defines nothing
])
def test_what_a_files_level_methods_take(source: bytes, shape: str | None) -> None:
    assert console_to_logger.level_signature(source) == shape


@pytest.mark.parametrize("call, shape", [
    (b"log.info('a loaded');", "one"),
    (b"log.info(\"server\", \"starting\");", "strings"),  # a tag and a message
    (b"logger.info('Saved', { id, total: f(1, 2) });", "meta"),
    (b"logger.info({ id }, 'Saved');", "fields"),  # pino's and bunyan's order
    (b"logger.info('Saved %s', 'x');", "other"),  # a format and its value: no tag
    (b"logger.error('failed', err);", "other"),
    (b"logger.info();", None),
])
def test_how_an_existing_logger_call_passes_its_arguments(call: bytes, shape: str | None) -> None:
    assert console_to_logger._arguments_shape(call, call.index(b"(") + 1) == shape


@pytest.mark.parametrize("source, member", [
    (b'var _logger = require("./logger");\n_logger.logger.info("up");\n', "logger"),  # Babel's output
    (b'var _logger = require("./logger");\n_logger.default.warn("up");\n', ""),  # through `default` only
    (b'const log = require("./logger");\nlog.info("up");\n', None),  # the logger itself
    (b'const log = require("./logger");\nlog.stream.write("x");\nlog.info("up");\n', None),
    (b'const log = require("./logger");\nmodule.exports = log;\n', None),  # not called at all
])
def test_how_a_file_uses_a_whole_module_require(source: bytes, member: str | None) -> None:
    assert logger_mod.namespace_member(source, source.split(b" ")[1].decode()) == member


def test_a_logger_nothing_shows_takes_meta_gets_only_calls_of_one_text_argument(tmp_path: Path) -> None:
    """`@acme/util` is outside the repository and its calls pass one argument: a meta object it may
    ignore would lose the values, so only a call of one text argument is rewritten, as it is."""
    write_tree(tmp_path, {"services/api/package.json": '{ "name": "api" }\n',
                          "services/api/src/a.ts": "import { log } from '@acme/util';\n\nlog.info('a loaded');\n",
                          "services/api/src/b.ts": "export function b(err: Error, id: string): void {\n"
                                                   "  console.log(err.stack);\n  console.log('saved', id);\n}\n"})
    _, run = run_on_tree("console-to-logger", tmp_path)
    fixed = tree_after(read_tree(tmp_path), run)["services/api/src/b.ts"].decode()
    assert "log.info(err.stack);" in fixed and "console.log('saved', id);" in fixed, fixed
    assert any("not known to take winston's (message, meta)" in f.message for f in run.findings if f.line == 3)


def test_a_child_of_the_imported_logger_takes_what_its_parent_takes(tmp_path: Path) -> None:
    """The service's calls pass `@acme/shared`'s logger (message, meta): so does a child of it."""
    fixed = _fixed(tmp_path, "services/orders/src/child.ts",
                   "import { logger } from '@acme/shared';\n\nconst log = logger.child({ module: 'child' });\n\n"
                   "export function f(id: string): void {\n  console.log('saved', id);\n}\n")
    assert "log.info('saved', { id });" in fixed, fixed


def test_the_level_methods_a_file_defines() -> None:
    # a NestJS LoggerService wrapper defines `log`, no `info`; a file with no info/warn/error/debug
    # definition defines none (a `log()` helper alone is no logger's)
    nest = (b"class W implements LoggerService {\n  log(message: string, context?: string) { w.info(message); }\n"
            b"  error(message: string, trace?: string) { w.error(message); }\n}\n")
    assert console_to_logger.defined_levels(nest) == ("error", "log")
    assert console_to_logger.defined_levels(b"function log(m) { return m; }\nlogger.info('x');\n") == ()


def test_a_tsconfig_path_alias_names_a_repository_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "services/api/package.json": '{"name":"api"}',
        "services/api/tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}}}',
        "services/api/src/lib/logger.ts": "export const logger = 1;\n",
        "services/api/src/index.ts": "import { logger } from '@/lib/logger';\n",
    })
    repo = open_tree(tmp_path)
    assert console_to_logger.alias_target(repo, "services/api/src/index.ts", "@/lib/logger") == "services/api/src/lib/logger.ts"
    assert console_to_logger.alias_target(repo, "services/api/src/index.ts", "src/lib/logger") == "services/api/src/lib/logger.ts"
    assert console_to_logger.alias_target(repo, "services/api/src/index.ts", "@/lib/missing") is None
    assert console_to_logger.alias_target(repo, "services/api/src/index.ts", "./lib/logger") is None


def test_the_methods_a_file_calls_on_its_logger_include_nests_log(tmp_path: Path) -> None:
    # NestJS's Logger is called with `.log(…)`: that is all the repository shows it has
    write_tree(tmp_path, {
        "services/api/package.json": '{"name":"api"}',
        "services/api/src/logger.ts": "import { Logger } from '@nestjs/common';\nexport const logger = new Logger('App');\n",
        "services/api/src/main.ts": "import { logger } from './logger';\nlogger.log('up');\n",
    })
    repo = open_tree(tmp_path)
    assert console_to_logger._called_methods(repo.read("services/api/src/main.ts")) == (
        ("services/api/src/logger.ts", "logger", "log"),)


# --- what the reader of real servers found ------------------------------------------------


@pytest.mark.parametrize("call, pino, expected", [
    # an error's message is the error's text, not what the message's last word names (`order`)
    ("try {} catch (err) { console.error('Failed to create order:', (err as Error).message); }", False,
     "try {} catch (err) { console.error('Failed to create order', { errorMessage: (err as Error).message }); }"),
    ("console.error('Failed:', e.stack);", False, "console.error('Failed', { errorStack: e.stack });"),
    # a label names the value right after it: a string after a value is text of its own, not error2
    ("console.error('Error:', err, 'for user', userId);", False,
     "console.error('Error', { error: err, detail: 'for user', userId });"),
    ("console.error('Error:', err, 'for user', userId);", True,
     "console.error({ err, detail: 'for user', userId }, 'Error');"),
    # an error's text alone: 'error', not its key, as the message (the stack may be undefined: it stays meta)
    ("console.error(err.stack);", False, "console.error('error', { errorStack: err.stack });"),
    ("console.log('%s', err.stack);", False, "console.log('error', { errorStack: err.stack });"),
])
def test_keys_and_messages_of_an_errors_text_and_of_strings_after_values(call: str, pino: bool, expected: str) -> None:
    assert _arguments(call, pino=pino) == expected


@pytest.mark.parametrize("source, directive", [
    (b"/* eslint-disable no-console */\nconsole.log(1);\n", "/* eslint-disable no-console */"),
    (b"#!/usr/bin/env node\n'use strict';\n// eslint-disable no-console, no-process-exit -- the CLI's output\n",
     "// eslint-disable no-console, no-process-exit -- the CLI's output"),
    (b"/**\n * Licence\n */\n/* eslint no-console: \"off\" */\n", '/* eslint no-console: "off" */'),
    (b"\xef\xbb\xbf/* eslint-disable\n  no-console,\n  no-process-exit\n*/\n", "/* eslint-disable no-console, no-process-exit */"),
    (b"/* eslint-disable */\n", None),  # every rule (a generated file's): it says nothing of console
    (b"// eslint-disable-next-line no-console\nconsole.log(1);\n", None),  # one call's, not the file's
    (b"import x from 'y';\n/* eslint-disable no-console */\n", None),  # not at the top
    (b"/* eslint no-console: 2 */\n", None),
])
def test_what_says_console_is_a_files_output(source: bytes, directive: str | None) -> None:
    assert console_to_logger.console_is_output(source) == directive


def test_the_notes_of_a_logger_through_a_path_alias_and_of_what_it_imports(tmp_path: Path) -> None:
    """users-service's `@utils/logger` is winston's (its module calls createLogger): the notes
    say nothing of "not known to take (message, meta)", and list, of what the logger module
    imports, only files with console calls."""
    tsconfig = '{ "compilerOptions": { "baseUrl": "src", "paths": { "@utils/*": ["utils/*"], "@config/*": ["config/*"] } } }'
    write_tree(tmp_path, {
        "svc/package.json": "{}", "svc/tsconfig.json": tsconfig,
        "svc/src/utils/logger.ts": "import winston from 'winston';\nimport { LEVEL } from '@config/level';\n"
                                   "import { exit } from '@config/env';\n"
                                   "export const logger = winston.createLogger({ level: LEVEL });\n",
        "svc/src/config/level.ts": "export const LEVEL = 'info';\n",
        "svc/src/config/env.ts": "export const exit = () => { console.error('bad env'); process.exit(1); };\n",
        "svc/src/index.ts": "import { logger } from '@utils/logger';\nlogger.info('up');\n",
        "svc/src/a.ts": "console.log('a', 1);\n",
    })
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not any("not known" in note for note in run.notes), run.notes
    assert "left alone (runs before the logger exists): svc/src/config/env.ts" in run.notes
    [finding] = run.findings
    assert finding.path == "svc/src/a.ts" and finding.fixable


def test_the_notes_of_a_logger_got_from_a_function(tmp_path: Path) -> None:
    """directus's `useLogger()`: the notes say what the code does, and no "the logger is pino"
    beside "none found"."""
    write_tree(tmp_path, {
        "svc/package.json": '{ "type": "module", "dependencies": { "pino": "9" } }',
        "svc/src/logger/index.js": "import { pino } from 'pino';\nlet cached;\n"
                                   "export const useLogger = () => (cached ??= pino());\n",
        "svc/src/a.js": "import { useLogger } from './logger/index.js';\nexport const a = () => useLogger().info('a');\n",
        "svc/src/b.js": "import { useLogger } from './logger/index.js';\nexport const b = () => console.warn('slow', 3);\n",
    })
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert run.notes[0].startswith("logger: none that fixer can import; the code gets its logger by calling "
                                   "`useLogger()` of svc/src/logger/index.js (2 file(s))"), run.notes
    assert not any("pino" in note for note in run.notes), run.notes
    [finding] = run.findings
    assert "calling `useLogger()`" in finding.message and "no logger is imported anywhere" not in finding.message


@pytest.mark.parametrize("source, meant", [
    (b"a();\n  // eslint-disable-next-line no-console\n  console.error(e);\n", True),  # directus's cli/run.js
    (b"x;\r\n/* eslint-disable-next-line no-console, no-process-exit */\r\nconsole.error(e);\r\n", True),
    (b"console.log(1); // eslint-disable-line no-console -- the report\n", True),
    (b"// eslint-disable-next-line no-console\nx();\nconsole.log(2);\n", False),  # the line below only
    (b"// eslint-disable-next-line no-process-exit\nconsole.log(3);\n", False),
    (b"console.log(4);\n", False),
])
def test_a_call_whose_line_turns_no_console_off(source: bytes, meant: bool) -> None:
    assert (console_to_logger.console_meant_here(source, source.rindex(b"console.")) is not None) == meant


def test_the_notes_name_the_loggers_fixer_does_not_call() -> None:
    """No file imports a logger module, but the services hold loggers (NestJS's Logger, a bunyan
    module nothing imports yet): the notes say where they are, not "none found in this repository"."""
    _, run = run_on_tree("console-to-logger", ROOT / "fixtures" / "console-to-logger"
                         / "loggers-fixer-does-not-call-said-where-they-are" / "before")
    assert run.notes[0] == (
        "logger: no file imports a logger module in this repository; loggers its code holds: "
        "services/koa/src/utils/logger.ts:3, services/nest-static/src/main.ts:2 (NestJS's Logger), "
        "services/nest/src/main.ts:5 (NestJS's Logger); the console calls of a file with no logger of its own "
        "are reported (name the logger's module under [logger] in .fixer.toml)"), run.notes
    assert not any("none found" in note for note in run.notes), run.notes


def test_the_notes_name_a_service_run_from_its_own_directory(tmp_path: Path) -> None:
    """Run from services/admin-service of a repository that declares no workspace above it, the
    service is the root of what fixer reads (its directory is ""): the notes printed a blank where
    it should be. (Where a workspace is declared, fixer reads the workspace's root: test_plan.)"""
    from gitrepo import fixer, make_repo

    tree = read_tree(SAMPLE)
    tree["package.json"] = re.sub(rb'"workspaces": \[[^\]]*\],', b"", tree["package.json"])
    repo = make_repo(tmp_path / "sample", tree)
    result = fixer("--no-cache", "apply", "--fix", "console-to-logger", "--dry-run", cwd=repo / "services/admin-service")
    assert result.returncode == 0, result.stderr.decode()
    assert "where the service's logger calls do: . ('admin-service')" in result.stderr.decode()


# --- scope: browser code, eslint blocks (session 13) ---


def test_scope_the_notes_say_why_browser_code_and_what_it_loads_is_left_alone() -> None:
    """Browser code is told by what it uses (jQuery's `$`, `document`) or by its folder when it
    imports nothing of Node's; a file it loads is left alone too, and the reason names the loader."""
    _, run = run_on_tree("console-to-logger", ROOT / "fixtures" / "console-to-logger"
                         / "browser-code-by-what-it-uses-and-what-loads-it" / "before")
    assert ("left alone (browser code): src/assets/client_plugins.js, src/lib/util.js, src/public/boot.js, "
            "src/static/js/chat.js, src/static/js/pluginfw/hooks.js") in run.notes, run.notes
    repo = open_tree(ROOT / "fixtures" / "console-to-logger" / "browser-code-by-what-it-uses-and-what-loads-it" / "before")
    left = dict(console_to_logger.prepare(repo, config_mod.options_for(console_to_logger.INFO, repo.config)).left_alone)
    assert left["src/lib/util.js"] == \
        "browser code (loaded by browser code too: src/assets/client_plugins.js imports it)"
    assert left["src/static/js/chat.js"] == "browser code (uses jQuery's `$`; detect-browser)"
    assert left["src/static/js/pluginfw/hooks.js"] == "browser code (skip-browser: **/static/**)"


@pytest.mark.parametrize("source, browser", [
    (b"$('#chatbox').addClass('on');\n", True),
    (b"$.ajax({ url: '/x' });\n", True),
    (b"jQuery(document).ready(() => {});\n", True),
    (b"#!/usr/bin/env zx\nawait $`ls`;\n$.verbose = false;\n", False),  # zx's global `$`
    (b"await $`ls`;\n", False),  # a tagged template: not jQuery
    (b"const $ = require('cheerio').load('<p>');\n$('p').text();\n", False),  # a local `$`
    (b"const price = `$${n}`;\n", False),
])
def test_scope_jquery_is_browser_code(tmp_path: Path, source: bytes, browser: bool) -> None:
    (tmp_path / "a.js").write_bytes(source)
    repo = open_tree(tmp_path)
    assert (console_to_logger._browser_usage(repo.read("a.js")) is not None) == browser


@pytest.mark.parametrize("source, meant", [
    (b"/* eslint-disable no-console */\nconsole.log(1);\n", True),
    (b"x();\n/* eslint-disable no-console */\nf();\nconsole.log(1);\n", True),  # to the end of the file
    (b"/* eslint-disable no-console */\n/* eslint-enable no-console */\nconsole.log(1);\n", False),
    (b"/* eslint-disable no-console */\n/* eslint-enable */\nconsole.log(1);\n", False),  # a bare enable: every rule
    (b"/* eslint-disable no-console */\n/* eslint-enable no-alert */\nconsole.log(1);\n", True),
    (b"/* eslint-disable no-alert */\nconsole.log(1);\n", False),
    (b"/* eslint-disable */\nconsole.log(1);\n", False),  # every rule: a generated file's, says nothing of console
    (b"/* eslint-disable-next-line no-alert */\nconsole.log(1);\n", False),
])
def test_scope_a_call_inside_an_eslint_disable_no_console_block(source: bytes, meant: bool) -> None:
    assert (console_to_logger.console_meant_here(source, source.rindex(b"console.")) is not None) == meant


def test_scope_a_top_eslint_disable_turned_on_again_is_a_block_not_the_file() -> None:
    assert console_to_logger.console_is_output(b"/* eslint-disable no-console */\nconsole.log(1);\n")
    assert console_to_logger.console_is_output(
        b"/* eslint-disable no-console */\nconsole.log(1);\n/* eslint-enable no-console */\nconsole.log(2);\n") is None


# --- session 13: a value someone reads stays undefined; console's number conversions; keys of getters ---


@pytest.mark.parametrize("expression, key", [
    ("mailer.getTestMessageUrl(info)", "testMessageUrl"),  # what a getter gets, not its module
    ("this.getUser()", "user"),
    ("config.get('db')", "config"),  # no name after `get`: the value it is called on
])
def test_a_getter_method_names_what_it_gets(expression: str, key: str) -> None:
    tree = typescript.parse(f"f({expression});".encode(), "ts")
    call = tree.root_node.named_children[0].named_children[0]
    argument = typescript.list_items(call.child_by_field_name("arguments"))[0]
    assert logcall.derived_key(argument) == key


@pytest.mark.parametrize("source, expected", [
    ("export const f = (p: Promise<string | null>) => p.then((v) => v || console.log('miss')).then((v) => v);\n",
     "(v) => v || void logger.info('miss')"),  # the next `.then` reads it
    ("export function f(use: (f: () => void) => void): void {\n  use(() => console.log('x'));\n}\n",
     "use(() => void logger.info('x'))"),  # a function fixer knows nothing of may read it
    ("export function f(p: Promise<void>): Promise<void> {\n  return p.finally(() => console.log('done'));\n}\n",
     "p.finally(() => logger.info('done'))"),  # `.finally` ignores it
    ("export function f(): void {\n  setTimeout(() => console.log('t'), 5);\n}\n", "setTimeout(() => logger.info('t'), 5)"),
])
def test_a_callbacks_value_is_void_unless_known_to_be_ignored(tmp_path: Path, source: str, expected: str) -> None:
    fixed = _fixed(tmp_path, "services/orders/src/f.ts", source)
    assert expected in fixed, fixed


@pytest.mark.parametrize("source, expected", [
    ("export function f(port: string): void {\n  console.log('on %d', port);\n}\n", "logger.info('on', { port })"),
    ("export function f(n: number): void {\n  console.log('%d of %i', n, 3);\n}\n", "logger.info(`${n} of ${3}`)"),
    ("export function f(n: number): void {\n  console.log('rate %i%% of %d', n, 2);\n}\n",
     "logger.info(`rate {n}% of ${2}`, { n })"),
    ("export function f(): void {\n  console.log('%d', 10n);\n}\n", "logger.info('detail', { detail: 10n })"),
])
def test_printf_numbers_a_template_would_print_otherwise_go_into_meta(tmp_path: Path, source: str, expected: str) -> None:
    """console's `%d`/`%i`/`%f` printed Number(x), parseInt(x), parseFloat(x)."""
    fixed = _fixed(tmp_path, "services/orders/src/f.ts", source)
    assert expected in fixed, fixed


# --- where the repository's logger package resolves, and where a new require may go (session 13) ------------


@pytest.mark.parametrize("dockerfile, imported", [
    (None, True),  # no image: the root's node_modules is the service's too
    ("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", False),  # `docker build services/api`: no root there
    ("FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY services/api/ ./\nRUN npm ci\n", True),  # built from the root
])
def test_imports_a_root_declared_logger_package_only_where_the_image_holds_the_root(
        tmp_path: Path, dockerfile: str | None, imported: bool) -> None:
    files = {"package.json": '{ "name": "r", "private": true, "dependencies": { "@tryghost/logging": "2.4.23" } }\n',
             "services/blog/package.json": '{ "name": "blog" }\n',
             "services/blog/src/index.js": "const logging = require('@tryghost/logging');\nlogging.info('up');\n",
             "services/api/package.json": '{ "name": "api" }\n',
             "services/api/src/index.js": "console.log('api up');\n"}
    if dockerfile is not None:
        files["services/api/Dockerfile"] = dockerfile
    write_tree(tmp_path, files)
    _, run = run_on_tree("console-to-logger", tmp_path)
    [finding] = [f for f in run.findings if f.path == "services/api/src/index.js"]
    assert finding.fixable == imported, finding.message
    assert imported or "is not a dependency this file can load" in finding.message


def test_a_require_goes_below_the_set_up_and_what_runs_before_it_is_reported(tmp_path: Path) -> None:
    """A `require` of the logger never goes above code the file runs before a module it loads
    after it; a console call before that code is reported, one after it gets the logger."""
    source = ("'use strict';\nconst path = require('path');\nconsole.log('first');\n"
              "process.env.ROOT = path.resolve('.');\nconsole.log('second');\nrequire('./server');\n")
    write_tree(tmp_path, {"services/a/package.json": '{ "name": "a" }\n',
                          "services/a/src/other.js": "const logger = require('./logger');\nlogger.info('x');\n",
                          "services/a/src/logger.js": "module.exports = require('winston').createLogger();\n",
                          "services/a/src/server.js": "module.exports = {};\n",
                          "services/a/src/index.js": source})
    _, run = run_on_tree("console-to-logger", tmp_path)
    after = tree_after(read_tree(tmp_path), run)["services/a/src/index.js"].decode()
    assert after == ("'use strict';\nconst path = require('path');\nconsole.log('first');\n"
                     "process.env.ROOT = path.resolve('.');\nconst logger = require('./logger');\n"
                     "logger.info('second');\nrequire('./server');\n")
    [early] = [f for f in run.findings if f.path == "services/a/src/index.js" and not f.fixable]
    assert early.line == 3 and "left as it is: it runs as the module loads" in early.message


def test_the_created_logger_note_names_only_the_modules_the_diff_adds(tmp_path: Path) -> None:
    """The repo of a-created-logger-is-an-es-module-in-a-module-package: only the service's own
    logger module is added (its image holds no shared/); the note names it, not shared/logger.js."""
    case = ROOT / "fixtures/console-to-logger/a-created-logger-is-an-es-module-in-a-module-package/before"
    _, run = run_on_tree("console-to-logger", case)
    [note] = [n for n in run.notes if n.startswith("logger:")]
    assert "adds the winston logger module services/api/src/logger.js " in note and "shared/" not in note, note


def test_an_entry_that_makes_its_logger_in_place_is_no_logger_module(tmp_path: Path) -> None:
    """An Express entry that makes its logger in place (`const log = pino()`) and imports the app:
    what it imports runs long after the logger exists (request handlers), so the route's call is
    not "left alone (runs before the logger exists)", even where a test imports the entry or a
    file imports other names from it; a file that imports a logger from it makes it a logger
    module again, whose imports (the config it reads) stay."""
    files = {
        "services/api/package.json": '{ "main": "src/server.ts", "dependencies": { "pino": "9", "express": "4" } }',
        "services/api/src/server.ts": "import pino from 'pino';\nimport express from 'express';\nimport { routes } from './routes';\n"
                             "export const app = express();\nconst log = pino();\napp.use(routes);\n"
                             "app.listen(3000, () => log.info('up'));\n",
        "services/api/src/routes.ts": "import { Router } from 'express';\nexport const routes = Router();\n"
                             "routes.get('/', (req, res) => { console.log('hit'); res.end(); });\n",
        "services/api/src/worker.ts": "import { app } from './server';\nexport const port = () => app.get('port');\n",
        "services/api/test/server.test.ts": "import { app } from '../src/server';\nconsole.log(app);\n",
    }
    write_tree(tmp_path / "entry", files)
    _, run = run_on_tree("console-to-logger", tmp_path / "entry")
    assert not any("runs before the logger exists" in note for note in run.notes), run.notes
    [finding] = run.findings
    assert finding.path == "services/api/src/routes.ts" and "no logger fixer can log through" in finding.message
    files["services/api/src/worker.ts"] = "import { log } from './server';\nexport const hi = () => log.info('hi');\n"
    files["services/api/src/server.ts"] = files["services/api/src/server.ts"].replace("const log", "export const log")
    write_tree(tmp_path / "module", files)
    _, run = run_on_tree("console-to-logger", tmp_path / "module")
    assert "left alone (runs before the logger exists): services/api/src/routes.ts" in run.notes, run.notes
    assert not run.findings


# --- winston's default logger, proven with real winston, TypeScript and Node -----------------------


@pytest.mark.node
def test_calls_of_winstons_default_logger_type_check_and_run(tmp_path: Path, node_modules: Path) -> None:
    """A service on winston's default logger (`winston.info(…)` after `winston.add(…)`, NodeBB's
    way) in each kind of file: CommonJS (the file's own `require` and an added one), TypeScript
    that compiles to CommonJS (`import * as winston`, as its files import it: no esModuleInterop)
    and an ES module (the default import: `import * as winston` has no `.info` under Node). The
    fixed code type-checks, runs and logs through winston's default logger."""
    import shutil

    from nodeenv import tsc

    write_tree(tmp_path, {
        "tsconfig.json": '{ "compilerOptions": { "module": "commonjs", "target": "es2020", "strict": true, '
                         '"skipLibCheck": true, "types": ["node"], "outDir": "dist" }, "include": ["services/api/src/**/*.ts"] }\n',
        "services/api/package.json": '{ "name": "api", "dependencies": { "winston": "3.17.0" } }\n',
        "services/api/src/main.ts": ("import * as winston from 'winston';\nimport { start } from './server';\n\n"
                                     "winston.add(new winston.transports.Console({ format: winston.format.json() }));\n"
                                     "winston.info('api starting');\nstart(3000);\n"),
        "services/api/src/server.ts": ("import { format } from 'winston';\n\nexport const plain = format.simple();\n\n"
                                       "export function start(port: number): void {\n  console.log('api listening on', port);\n}\n"),
        "services/forum/package.json": '{ "name": "forum", "main": "app.js", "dependencies": { "winston": "3.17.0" } }\n',
        "services/forum/app.js": ("var winston = require('winston');\nvar upgrade = require('./src/upgrade');\n"
                                  "var hook = require('./src/hook');\n\n"
                                  "winston.add(new winston.transports.Console({ format: winston.format.json() }));\n"
                                  "upgrade([7]);\nhook(new Error('boom'));\n"),
        "services/forum/src/upgrade.js": ("var winston = require('winston');\n\nmodule.exports = function upgrade(ids) {\n"
                                          "\twinston.info('upgrading');\n\tids.forEach(function (id) {\n"
                                          "\t\tconsole.log('processing uid ' + id);\n\t});\n};\n"),
        "services/forum/src/hook.js": "module.exports = function hook(err) {\n\tconsole.warn('hook failed:', err.message);\n};\n",
        "services/web/package.json": '{ "name": "web", "type": "module", "dependencies": { "winston": "3.17.0" } }\n',
        "services/web/src/index.js": ("import winston from 'winston';\nimport { render } from './render.js';\n\n"
                                      "winston.add(new winston.transports.Console({ format: winston.format.json() }));\n"
                                      "winston.info('web up');\nrender('home');\n"),
        "services/web/src/render.js": "export function render(page) {\n  console.log('rendering', page);\n}\n",
    })
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.problems, [p.message for p in run.problems]
    assert sorted(f"{f.path}:{f.line}" for f in run.findings if run.is_fixed(f)) == [
        "services/api/src/server.ts:6", "services/forum/src/hook.js:2", "services/forum/src/upgrade.js:6",
        "services/web/src/render.js:2"]
    after = tree_after(read_tree(tmp_path), run)
    assert after["services/api/src/server.ts"].startswith(b"import { format } from 'winston';\nimport * as winston from 'winston';\n")
    assert after["services/forum/src/hook.js"].startswith(b"const winston = require('winston');\n")
    assert after["services/web/src/render.js"].startswith(b"import winston from 'winston';\n")
    for path, text in after.items():
        if path.startswith("services/"):
            (tmp_path / path).write_bytes(text)
    assert tsc(tmp_path) == []
    node = shutil.which("node")
    assert node is not None
    subprocess.run([node, str(tmp_path / "node_modules/typescript/bin/tsc"), "-p", str(tmp_path / "tsconfig.json")],
                   cwd=tmp_path, check=True, capture_output=True, timeout=300)
    env = {"PATH": "/usr/bin:/bin", "NODE_ENV": "production"}
    for directory, main, logged in [
        ("dist", "main.js", ['"level":"info","message":"api listening on","port":3000']),
        ("services/forum", "app.js", ['"level":"info","message":"processing uid 7"',
                                      '"errorMessage":"boom","level":"warn","message":"hook failed"']),
        ("services/web", "src/index.js", ['"level":"info","message":"rendering","page":"home"']),
    ]:
        ran = subprocess.run([node, main], cwd=tmp_path / directory, capture_output=True, text=True, timeout=60, env=env)
        assert ran.returncode == 0, ran.stderr
        for line in logged:
            assert line in ran.stdout, ran.stdout


# --- the "errors in meta" note: every logger whose new calls pass an error ------------------------------


def test_the_errors_in_meta_note_is_given_for_a_shorthand_error_too(tmp_path: Path) -> None:
    """`console.error('failed', error)` becomes `{ error }`, whose `error` is the file's own text (only the
    braces are new): the note is given for it as for `{ error: err }`, at each service's own logger."""
    made = "import winston from 'winston';\n\nexport const logger = winston.createLogger({ format: winston.format.json() });\n"
    files = {}
    for service, caught in (("orders", "err"), ("users", "error")):
        files[f"services/{service}/package.json"] = f'{{ "name": "{service}" }}\n'
        files[f"services/{service}/src/logger.ts"] = made
        files[f"services/{service}/src/app.ts"] = (
            f"import {{ logger }} from './logger';\n\ntry {{\n  logger.info('up');\n}} catch ({caught}) {{\n"
            f"  console.error('start failed', {caught});\n}}\n")
    write_tree(tmp_path, files)
    _, run = run_on_tree("console-to-logger", tmp_path)
    notes = sorted(f.path for f in run.findings if "pass errors as meta" in f.message)
    assert notes == ["services/orders/src/logger.ts", "services/users/src/logger.ts"]


# --- full-stack monorepos: Edge runtime, Server Actions, browser packages, middleware, bootstrap (session 17) ---


def _fullstack_left_alone(case: str) -> dict[str, str]:
    repo = open_tree(ROOT / "fixtures" / "console-to-logger" / case / "before")
    return dict(console_to_logger.prepare(repo, config_mod.options_for(console_to_logger.INFO, repo.config)).left_alone)


def test_fullstack_edge_runtime_code_is_left_alone_with_the_reason() -> None:
    """Next.js middleware and instrumentation, a route of `export const runtime = "edge"` and what
    they import statically run on the Edge runtime, where a Node logger cannot load."""
    left = _fullstack_left_alone("next-edge-runtime-code-gets-no-node-logger")
    assert left["web/src/middleware.ts"] == ("Edge runtime code (a Next.js middleware, which runs on the Edge runtime; "
                                             "a Node logger cannot load there)")
    assert left["web/src/instrumentation.ts"].startswith("Edge runtime code (a Next.js instrumentation file, compiled for "
                                                         "the Edge runtime too: import Node-only code inside")
    assert left["web/src/app/api/geo/route.ts"] == \
        "Edge runtime code (`export const runtime = \"edge\"`; a Node logger cannot load there)"
    assert left["web/src/lib/session.ts"] == ("Edge runtime code (loaded by Edge runtime code: web/src/middleware.ts "
                                              "imports it; a Node logger cannot load there)")
    for path in ("web/src/lib/types.ts", "web/src/lib/orders.ts", "web/src/instrumentation.node.ts",
                 "web/src/app/api/ping/route.ts"):
        assert path not in left, path


def test_fullstack_a_middleware_its_config_runs_on_node_is_server_code(tmp_path: Path) -> None:
    """Next 15.5's Node.js middleware (`runtime: 'nodejs'` in its config) may load a Node logger;
    a middleware outside a Next.js app (no `next` dependency) is no Edge code either. (Each package is a
    service, built as an image, with a logger module of its own: neither imports the other's.)"""
    write_tree(tmp_path, {
        "web/Dockerfile": "FROM node:20\nCOPY . .\nCMD [\"npm\", \"start\"]\n",
        "api/Dockerfile": "FROM node:20\nCOPY . .\nCMD [\"node\", \"middleware.js\"]\n",
        "web/package.json": '{ "name": "web", "dependencies": { "next": "15.5.0", "pino": "^9" } }\n',
        "web/lib/logger.ts": "import pino from 'pino';\n\nexport const logger = pino();\n",
        "web/app/route.ts": "import { logger } from '../lib/logger';\n\nexport function GET() { logger.info('get'); }\n",
        "web/middleware.ts": "export function middleware() {\n  console.log('mw');\n}\n\n"
                             "export const config = { runtime: 'nodejs' };\n",
        "api/package.json": '{ "name": "api", "dependencies": { "express": "^4", "pino": "^9" } }\n',
        "api/lib/logger.ts": "import pino from 'pino';\n\nexport const logger = pino();\n",
        "api/middleware.ts": "import { logger } from './lib/logger';\n\nlogger.info('x');\nconsole.log('api mw');\n",
    })
    _, run = run_on_tree("console-to-logger", tmp_path)
    fixed = sorted(f.path for f in run.findings if f.fixable)
    assert fixed == ["api/middleware.ts", "web/middleware.ts"], [(f.path, f.message) for f in run.findings]


def test_fullstack_browser_packages_are_left_alone_as_a_whole() -> None:
    left = _fullstack_left_alone("fullstack-react-ui-library-and-vite-app-are-browser-code")
    assert left["packages/ui/src/format.ts"] == ("browser code (packages/ui is a React component library (react is a "
                                                 "peer dependency: a client's bundle loads it); detect-browser)")
    assert left["apps/admin/src/api/client.ts"] == ("browser code (apps/admin is a Vite app (vite, index.html: bundled "
                                                    "for the browser); detect-browser)")
    assert "apps/shop/src/server.ts" not in left


@pytest.mark.parametrize("data, expected", [
    (b'"use server";\n\nexport async function a() {}\n', True),
    (b"// actions\n'use strict';\n'use server'\nexport async function a() {}\n", True),
    (b"/* 'use server' */\nexport async function a() {}\n", False),
    (b"export async function a() {\n  'use server';\n}\n", False),  # an inline action: the module is not one
    (b"import x from 'y';\n'use server';\n", False),  # no directive after a statement
])
def test_fullstack_a_use_server_module_is_told_by_its_directive(data: bytes, expected: bool) -> None:
    assert console_to_logger._is_directive_module(data, b"use server") is expected


@pytest.mark.parametrize("source, function", [
    ("import type { RequestHandler } from 'express';\n\nexport const requestLogger: RequestHandler = make();\n", True),
    ("import express from 'express';\n\nexport const requestLogger: express.RequestHandler = (q, s, n) => n();\n", True),
    ("import morgan from 'morgan';\n\nexport const requestLogger = morgan('combined');\n", True),
    ("const pinoHttp = require('pino-http');\n\nexports.requestLogger = pinoHttp({ level: 'info' });\n", True),
    ("exports.requestLogger = require('morgan')('dev');\n", True),
    ("import expressWinston from 'express-winston';\n\nexport const requestLogger = expressWinston.logger({});\n", True),
    ("import { logger as honoLogger } from 'hono/logger';\n\nconst requestLogger = honoLogger();\n\n"
     "export { requestLogger };\n", True),
    ("import pino from 'pino';\n\nexport const requestLogger = pino({ name: 'http' });\n", False),
    ("import morgan from 'morgan';\nimport pino from 'pino';\n\nexport const requestLogger = pino();\n", False),
])
def test_fullstack_a_request_logging_middleware_is_exported_as_a_function(tmp_path: Path, source: str,
                                                                           function: bool) -> None:
    write_tree(tmp_path, {"src/middleware.ts": source})
    repo = open_tree(tmp_path)
    assert logger_mod.exported_as_function(repo, "src/middleware.ts", "requestLogger") is function


def test_fullstack_a_module_the_logger_imports_by_a_workspace_subpath_is_bootstrap() -> None:
    left = _fullstack_left_alone("fullstack-bootstrap-through-a-workspace-package-subpath")
    assert left["packages/config/src/env.ts"] == "runs before the logger exists (the logger module imports it)"


# --- session 19 (hC): a string expression logged alone is the message ----------------------------------------


@pytest.mark.parametrize("expression, string", [
    ("String(rows.length)", True),
    ("String(a.b)", True),
    ("`${x}`", True),
    ("x.toString()", True),
    ("buf.toString('hex')", True),
    ("names.join(', ')", True),
    ("names.join()", True),
    ("n.toFixed(2)", True),
    ("new Date().toISOString()", True),
    ("String(n).padStart(4)", True),
    ("(n + ' rows')", True),
    ("x!.toString()", True),
    ("s?.toString()", False),  # string | undefined
    ("a?.b.toString()", False),
    ("JSON.stringify(obj)", False),  # undefined for an undefined value; a JSON line's record
    ("query.join('orders', 'orders.id', 'o.id')", False),  # knex: a query, not a string
    ("names.join(sep)", False),
    ("value.trim()", False),  # a string's method of a value not known to be one
    ("String(...parts)", False),
    ("rows.length", False),
    ("n + 1", False),
])
def test_a_string_expression_is_known_by_its_form(expression: str, string: bool) -> None:
    tree = typescript.parse(f"f({expression});".encode(), "ts")
    call = tree.root_node.named_children[0].named_children[0]
    argument = typescript.list_items(call.child_by_field_name("arguments"))[0]
    assert logcall.string_expression(argument) is string


@pytest.mark.parametrize("call, expected", [
    ("console.log(String(rows.length));", "console.log(String(rows.length));"),
    ("console.log(names.join(', '));", "console.log(names.join(', '));"),
    ("console.log(n.toFixed(2));", "console.log(n.toFixed(2));"),
    ("const count = String(n);\nconsole.log(count);", "const count = String(n);\nconsole.log(count);"),
    ("console.log(s?.toString());", "console.log('s', { s: s?.toString() });"),
    ("console.log(JSON.stringify(event));", "console.log('event', { event: JSON.stringify(event) });"),
    ("console.log(rows.length);", "console.log('rowsLength', { rowsLength: rows.length });"),
    # followed by values, console formatted it: not a message as it is
    ("console.log(String(n), id);", "console.log('n', { n: String(n), id });"),
])
def test_a_string_expression_alone_is_the_message(call: str, expected: str) -> None:
    assert _arguments(call) == expected


def test_a_string_expression_alone_is_one_text_argument_for_a_one_argument_logger(tmp_path: Path) -> None:
    # a logger not known to take (message, meta) gets a call of one text argument as it is
    write_tree(tmp_path, {
        "services/api/package.json": '{"name":"api","main":"src/index.js","dependencies":{"@acme/util":"1.0.0"}}',
        "services/api/src/a.js": 'const { log } = require("@acme/util");\nlog.info("a loaded");\n',
        "services/api/src/index.js": 'require("./a");\n\nfunction report(rows) {\n    console.log(String(rows.length));\n'
                                     '    console.log(rows.length.toFixed(1));\n}\n\nmodule.exports = report;\n',
    })
    _, run = run_on_tree("console-to-logger", tmp_path)
    assert not run.problems
    after = tree_after(read_tree(tmp_path), run)["services/api/src/index.js"].decode()
    assert "log.info(String(rows.length));" in after and "log.info(rows.length.toFixed(1));" in after, after


# --- h3: session 19's readers (r13, r14) -------------------------------------------------


@pytest.mark.parametrize("written, method, begun", [
    ("process.stdout.write(name + ' | ');", "log", True),  # a prefix: console.log ends its line
    ("process.stdout.write(`${n} files`);", "info", True),
    ("process.stdout.write(buffer);", "log", True),  # not shown to end in a line break
    ("process.stdout.write('done\\n');", "log", False),
    ("process.stdout.write(`rows: ${n}\\n`);", "log", False),
    ("process.stdout.write('total' + os.EOL);", "log", False),
    ("process.stderr.write('warning: ');", "log", False),  # another stream: console.log begins its own line
    ("process.stderr.write('warning: ');", "error", True),
])
def test_h3_a_console_call_ending_a_line_a_write_began(written: str, method: str, begun: bool) -> None:
    tree = typescript.parse(f"function f(n, name, buffer) {{\n  {written}\n  console.{method}(n);\n}}\n".encode(), "ts")
    call = next(node for node in typescript.descendants(tree.root_node, "call_expression")
                if node.text.startswith(b"console."))
    assert (console_to_logger._line_begun_before(call, method) is not None) == begun


@pytest.mark.parametrize("module, lost", [
    ("class L { write(m, meta) { process.stdout.write(JSON.stringify({ m, ...meta }) + '\\n'); } "
     "info(m, meta) { this.write(m, meta); } error(m, meta) { this.write(m, meta); } }\nmodule.exports = new L();\n",
     True),
    # it keeps an Error's text itself: not reported
    ("const plain = (v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v);\n"
     "class L { info(m, meta) { console.log(JSON.stringify({ m, error: plain(meta.error) })); } "
     "error(m, meta) { this.info(m, meta); } }\n"
     "module.exports = new L();\n", False),
    ("const util = require('util');\nclass L { info(m, meta) { console.log(m, util.inspect(meta), "
     "JSON.stringify(m)); } error(m, meta) { this.info(m, meta); } }\nmodule.exports = new L();\n", False),
])
def test_h3_a_hand_written_json_logger_reports_the_calls_that_pass_an_error(tmp_path: Path, module: str,
                                                                            lost: bool) -> None:
    write_tree(tmp_path, {
        "svc/package.json": '{ "name": "notify" }\n',
        "svc/src/logger.js": module,
        "svc/src/mailer.js": "const logger = require('./logger');\nlogger.info('queued', { to: 1 });\n"
                             "function f(err) {\n  console.error('send failed', err);\n}\nmodule.exports = { f };\n",
    })
    _, run = run_on_tree("console-to-logger", tmp_path)
    finding = next(f for f in run.findings if f.path == "svc/src/mailer.js")
    assert ("writes with JSON.stringify (svc/src/logger.js:" in finding.message) == lost
    assert finding.fixable != lost


# --- h2: session 19's readers (r13, r14): what the meta keeps, per logger ------------------------------------


def _h2_arguments(call: str, pino: bool = False, bunyan: bool = False, service: str | None = None) -> str:
    """`_arguments` with the file's colour bindings `chalk` and `red`, and a bunyan logger if `bunyan`."""
    from fixer import edits as edit_ops
    from fixer.repo import SourceFile

    source_file = SourceFile("a.ts", call.encode(), None)  # type: ignore[arg-type]
    [node] = [n for n in typescript.descendants(source_file.tree.root_node, "call_expression")
              if (n.child_by_field_name("function").text or b"").startswith(b"console.")]
    edits = logcall.arguments_edits(source_file, node, service, "'", pino, frozenset({"chalk", "red"}),
                                    **({"bunyan": True} if bunyan else {}))
    return edit_ops.apply(source_file.data, edits).decode()


@pytest.mark.parametrize("call", [
    "console.error(`Invalid command: ${red`%s`}`, args.join(' '));",  # (@nestjs/cli's command.loader)
    "console.error(`Invalid command: ${chalk.red('%s')}`, args.join(' '));",
    "console.error('Invalid command: ' + chalk.red('%s'), args.join(' '));",
    "console.error(ok ? 'fine' : 'bad: ' + chalk.red('%d'), n);",
])
def test_h2_a_format_token_in_a_text_the_message_is_made_of_is_reported(call: str) -> None:
    # console filled it in; winston keeps a message holding `%s` with no meta (the value lost), pino prints it
    for pino in (False, True):
        with pytest.raises(logcall.NotRewritten, match="console filled in the `%[sd]`"):
            _h2_arguments(call, pino=pino)


def test_h2_a_format_token_a_substitution_gives_takes_no_service_meta() -> None:
    # alone, console printed it as it is; winston would drop the meta beside it
    assert _h2_arguments("console.log(`${red`%s`} done`);", service="api") == "console.log(`${red`%s`} done`);"


@pytest.mark.parametrize("call, expected", [
    # a spread argument named like a key winston reads: renamed as a name is (`...message` appended
    # `[object Object]` to the message, `...level` vanished)
    ("console.info(label, ...message);", "console.info('label', { label, detail: message });"),
    ("console.log('[app]', ...message);", "console.log('[app]', { detail: message });"),
    ("console.log('[lvl]', ...level);", "console.log('[lvl]', { levelValue: level });"),
    # an object literal whose keys the text does not show goes whole under a key
    ("console.log('event', { ...evt });", "console.log('event', { detail: { ...evt } });"),
    ("console.log('user', { ...user }, { id });", "console.log('user', { detail: { ...user }, ...{ id } });"),
    ("console.log('set', { [name]: value });", "console.log('set', { detail: { [name]: value } });"),
    ("console.log('saved', { id, name });", "console.log('saved', { id, name });"),  # (keys it shows: spread in)
])
def test_h2_meta_keys_never_clash_with_what_winston_reads(call: str, expected: str) -> None:
    assert _h2_arguments(call) == expected


@pytest.mark.parametrize("call, expected", [
    # an object literal that would go whole under `detail` keeps its error at the top level: its reserved keys renamed
    ("try { f(); } catch (err) { console.error({ message: reason, error: err, orderId: order.id }); }",
     "try { f(); } catch (err) { console.error('detail', { detail: reason, error: err, orderId: order.id }); }"),
    ("try { f(); } catch (err) { console.error('Payment failed', { message, err }); }",
     "try { f(); } catch (err) { console.error('Payment failed', { detail: message, err }); }"),
    ("try { f(); } catch (e) { console.error('x', id, { level, error: e }); }",
     "try { f(); } catch (e) { console.error('x', { id, ...{ levelValue: level, error: e } }); }"),
    ("try { f(); } catch (err) { console.error('Payment %s failed', id, { level, err }); }",
     "try { f(); } catch (err) { console.error(`Payment ${id} failed`, { levelValue: level, err }); }"),
])
def test_h2_an_error_stays_at_the_top_level_of_meta(call: str, expected: str) -> None:
    assert _h2_arguments(call) == expected


@pytest.mark.parametrize("call", [
    "try { f(); } catch (err) { console.error('Payment failed', [err]); }",
    "try { f(); } catch (err) { console.error('Payment failed', { ...ctx, err }); }",  # (keys it does not show)
    "try { f(); } catch (err) { console.error('Payment failed', { message: 1, detail: 2, err }); }",
    "try { f(); } catch (err) { console.error('x', id, { id, err }); }",  # (a key another value has)
])
def test_h2_an_error_the_meta_would_hold_nested_is_reported(call: str) -> None:
    # winston's errors format and pino's `err` serializer read only meta's top-level values: `{}`
    with pytest.raises(logcall.NotRewritten, match="error"):
        _h2_arguments(call)


@pytest.mark.parametrize("call, pino, bunyan, expected", [
    ("console.log('got', msg);", True, False, "console.log({ msgValue: msg }, 'got');"),
    ("console.log('took', time, pid, hostname);", True, False,
     "console.log({ timeValue: time, pidValue: pid, hostnameValue: hostname }, 'took');"),
    ("console.log('created user', name);", True, False, "console.log({ name }, 'created user');"),  # (pino: none)
    ("console.log('created user', name, v);", True, True, "console.log({ nameValue: name, vValue: v }, 'created user');"),
    ("console.log('x', { msg: 1, a });", True, False, "console.log({ detail: { msg: 1, a } }, 'x');"),
    ("console.log('took %d ms', time, pid);", True, False, "console.log({ timeValue: time, pidValue: pid }, 'took {timeValue} ms');"),
    ("console.log('got', msg, name);", False, False, "console.log('got', { msg, name });"),  # (winston: its own)
])
def test_h2_pino_and_bunyan_record_fields_are_no_meta_keys(call: str, pino: bool, bunyan: bool, expected: str) -> None:
    assert _h2_arguments(call, pino=pino, bunyan=bunyan) == expected


@pytest.mark.parametrize("expression, key", [
    ("req.header('x-user')", "xUser"),  # the value a request method returns, by the name it is looked up by
    ("req.get('user-agent')", "userAgent"),
    ("res.get('Content-Type')", "contentType"),
    ("req.get(name)", "reqGet"),  # not the request's own key (`req`: pino-http's, bunyan's request object)
    ("err.toString()", "errToString"),
    ("config.get('db')", "config"),  # (any other receiver: named as before)
    ("req", "req"),
])
def test_h2_a_value_a_request_method_returns_is_not_named_req(expression: str, key: str) -> None:
    tree = typescript.parse(f"f({expression});".encode(), "ts")
    call = tree.root_node.named_children[0].named_children[0]
    argument = typescript.list_items(call.child_by_field_name("arguments"))[0]
    assert logcall.derived_key(argument) == key


@pytest.mark.parametrize("call", [
    "console.log(JSON.stringify({ ...evt, at: 1 }));",
    "console.log(JSON.stringify({ metric: 'x', [dim]: 1 }));",
])
def test_h2_a_json_line_with_fields_its_text_does_not_show_is_reported(call: str) -> None:
    # its fields were the line's top-level ones; a spread one may be `level` (winston's own): neither nested nor spread
    with pytest.raises(logcall.NotRewritten, match="fields its text does not show"):
        _h2_arguments(call)


@pytest.mark.parametrize("call, pino, expected", [
    # an object logged alone whose own `message` is a string or a template literal: that is the message
    ("try { f(); } catch (err) { console.error({ message: 'Payment failed', error: err, orderId }); }", False,
     "try { f(); } catch (err) { console.error('Payment failed', { error: err, orderId }); }"),
    # pino's and bunyan's order, the error under `err` (the one key their serializer reads)
    ("try { f(); } catch (err) { console.error({ message: 'Payment failed', error: err, orderId }); }", True,
     "try { f(); } catch (err) { console.error({ err, orderId }, 'Payment failed'); }"),
    ("try { f(); } catch (e) { console.error({ message: 'Payment failed', cause: e }); }", True,
     "try { f(); } catch (e) { console.error({ err: e }, 'Payment failed'); }"),
    ("console.log({ message: `order ${id} paid`, id });", False, "console.log(`order ${id} paid`, { id });"),
    ("console.log({ message: `order ${id} paid`, id });", True, "console.log({ id }, `order ${id} paid`);"),
    ("console.log({ message: 'only' });", False, "console.log('only');"),
    ("console.log({ message: 'only' });", True, "console.log('only');"),
    ("console.log({ id, 'message': 'last' });", False, "console.log('last', { id });"),
    ("console.log({ message: 'lvl', level });", False, "console.log('lvl', { levelValue: level });"),
    ("console.log({\n  message: 'multi',\n  id,\n  name,\n});", False, "console.log('multi', {\n  id,\n  name,\n});"),
    # not a literal message, a format token, a comment, a spread, a clash once renamed: under `detail`, as before
    ("console.log({ message: reason, id });", False, "console.log('detail', { detail: { message: reason, id } });"),
    ("console.log({ message: 'took %d ms', ms });", False, "console.log('detail', { detail: { message: 'took %d ms', ms } });"),
    ("console.log({ message: 'x', /* why */ id });", False, "console.log('detail', { detail: { message: 'x', /* why */ id } });"),
    ("console.log({ message: 'x', ...ctx });", False, "console.log('detail', { detail: { message: 'x', ...ctx } });"),
    ("console.log({ message: 'x', level, levelValue });", False,
     "console.log('detail', { detail: { message: 'x', level, levelValue } });"),
])
def test_h12_an_objects_own_message_is_the_message(call: str, pino: bool, expected: str) -> None:
    assert _h2_arguments(call, pino=pino) == expected


@pytest.mark.parametrize("call, pino, expected", [
    ("console.log({ message: 'x' });", False, "console.log('x', { service: 'api' });"),
    ("console.log({ message: 'x' });", True, "console.log({ service: 'api' }, 'x');"),
    ("console.log({ id, message: 'x' });", True, "console.log({ id, service: 'api' }, 'x');"),
    ("console.log({\n  id,\n  message: 'x'\n});", False, "console.log('x', {\n  id,\n  service: 'api'\n});"),
    ("console.log({ message: 'x', service });", False, "console.log('x', { service });"),  # (its own)
])
def test_h12_an_objects_own_message_leaves_its_place_to_the_service_name(call: str, pino: bool, expected: str) -> None:
    assert _h2_arguments(call, pino=pino, service="api") == expected


# --- f1: session 20 (closing19's "Left"): own colour modules, printf gaps, consola, the call's whole span -------------


def _f1_arguments(call: str, pino: bool = False, own: frozenset[str] = frozenset(), service: str | None = None) -> str:
    """`_arguments` with the file's own colour module imported as `own`."""
    from fixer import edits as edit_ops
    from fixer.repo import SourceFile

    source_file = SourceFile("a.ts", call.encode(), None)  # type: ignore[arg-type]
    [node] = [n for n in typescript.descendants(source_file.tree.root_node, "call_expression")
              if (n.child_by_field_name("function").text or b"").startswith(b"console.")]
    edits = logcall.arguments_edits(source_file, node, service, "'", pino, own_colours=own)
    return edit_ops.apply(source_file.data, edits).decode()


@pytest.mark.parametrize("call, pino, service, expected", [
    ("console.log(chalk.green('Server started'));", False, None, "console.log('Server started');"),
    ("console.log(chalk.green('Server started'));", False, "api", "console.log('Server started', { service: 'api' });"),
    ("console.log(chalk.red.bold(`port ${port}`), port);", False, None, "console.log(`port ${port}`, { port });"),
    ("console.log(chalk.bgRed.whiteBright('Listening'), port);", True, None, "console.log({ port }, 'Listening');"),
    ("console.log(chalk.green('Listening'),\n  // the port\n  port);", True, None,
     "console.log(\n  // the port\n  { port }, 'Listening');"),
    ("console.log(green('done ' + n));", False, None, "console.log('done ' + n);"),
    # no colour or style name, a format token, a comment in the call: the call stays the message, as a library's
    ("console.log(chalk.link('docs'));", False, None, "console.log(chalk.link('docs'));"),
    ("console.log(chalk.green('100%d'));", False, None, "console.log(chalk.green('100%d'));"),
    ("console.log(chalk.green(/* why */ 'up'));", False, None, "console.log(chalk.green(/* why */ 'up'));"),
])
def test_f1_a_colour_call_of_the_files_own_colour_module_is_its_text(call: str, pino: bool, service: str | None,
                                                                     expected: str) -> None:
    assert _f1_arguments(call, pino, frozenset({"chalk", "green"}), service) == expected


def test_f1_colour_and_style_names() -> None:
    assert all(logcall.colour_style(name) for name in ("green", "bold", "bgRed", "redBright", "bgBlueBright", "grey"))
    assert not any(logcall.colour_style(name) for name in ("primary", "bg", "link", "Green", "bgred", "log"))


@pytest.mark.parametrize("call, expected", [
    ("console.log(theme.bold('Resources'));", "console.log('Resources', { theme: theme.bold('Resources') });"),
    # a text that would need escaping, or a format token: the key as before
    ("console.log(theme.bold(\"it's\"));", "console.log('theme', { theme: theme.bold(\"it's\") });"),
    ("console.log(theme.bold('100%'));", "console.log('theme', { theme: theme.bold('100%') });"),
    ("console.log(theme.render('Resources'));", "console.log('theme', { theme: theme.render('Resources') });"),
])
def test_f1_a_style_call_of_no_colour_module_logged_alone_is_named_by_its_text(call: str, expected: str) -> None:
    assert _f1_arguments(call) == expected


def test_f1_an_own_colour_module_by_its_name_or_the_name_it_is_imported_under(tmp_path: Path) -> None:
    from fixer.repo import SourceFile

    source = (b"import chalk from './chalk';\nimport paint from '../lib/colors/index';\nimport pc from 'picocolors';\n"
              b"import term from './terminal';\nimport { red } from './colours.js';\nconst theme = require('./theme');\n")
    source_file = SourceFile("src/a.ts", source, None)  # type: ignore[arg-type]
    assert console_to_logger.own_colour_bindings(source_file) == frozenset({"chalk", "paint", "red"})


@pytest.mark.parametrize("call, expected", [
    ("console.log('Process %s restarted %d times', proc, count);",
     "console.log('Process {proc} restarted {count} times', { proc, count });"),
    ("console.log('Process %s restarted %d times', name, count);",
     "console.log(`Process ${name} restarted {count} times`, { count });"),
    ("console.log(`${id}: job %s done`, job);", "console.log(`${id}: job {job} done`, { job });"),
    ("console.log('rate %i%% today', share);", "console.log('rate {share}% today', { share });"),
    # one that starts or ends what the message prints goes, as before
    ("console.log('%s: restarted', proc);", "console.log('restarted', { proc });"),
    ("console.log('restarted [%s]', proc);", "console.log('restarted', { proc });"),
    # a `$` right before it: `${` would be a substitution in a template literal, so it goes
    ("console.log('cost $%d per %s', amount, name);", "console.log(`cost $ per ${name}`, { amount });"),
])
def test_f1_a_value_in_meta_between_words_is_named_in_the_message(call: str, expected: str) -> None:
    assert _f1_arguments(call) == expected


def test_f1_a_value_in_meta_between_words_is_named_in_pinos_format_too() -> None:
    assert _f1_arguments("console.log('Process %s restarted %d times', proc, 3);", pino=True) == (
        "console.log({ proc }, 'Process {proc} restarted %d times', 3);")


@pytest.mark.parametrize("value, expected", [
    ("createConsola({ level: 4 })", "consola"),
    ("consola.withTag('api')", "consola"),
    ("consola.create({})", "consola"),
    ("consola", "consola"),
    ("instance", "consola"),
    ("instance.withTag('jobs');", "consola"),
    ("ns.createConsola()", "consola"),
    ("ns.consola", "consola"),
    ("consola.info('x')", None),  # (a call of a level method: no logger)
    ("consola.options", None),
    ("createConsola", None),
    ("other.withTag('x')", None),
])
def test_f1_a_logger_consola_makes(value: str, expected: str | None) -> None:
    from fixer.repo import SourceFile

    source = (b"import { createConsola, consola } from 'consola';\nimport instance from 'consola';\n"
              b"import * as ns from 'consola';\nimport other from 'signale';\n")
    source_file = SourceFile("src/log.ts", source, None)  # type: ignore[arg-type]
    assert console_to_logger._console_library_value(source_file, value.encode()) == expected


def test_f1_the_end_of_a_call_is_read_from_the_bytes() -> None:
    from fixer.repo import SourceFile

    data = b"f();\nconsole.log(')', /\\)/, g(x) /* ) */, `${h(')')}`); // )\nk(1);\n"
    source_file = SourceFile("a.ts", data, None)  # type: ignore[arg-type]
    start = data.index(b"console")
    assert data[start:console_to_logger._call_end(source_file, start)] == \
        b"console.log(')', /\\)/, g(x) /* ) */, `${h(')')}`)"
    assert console_to_logger._call_end(SourceFile("b.ts", b"console.log('x'", None), 0) is None  # type: ignore[arg-type]
    data = b"(console as any).info('a)', \"(\", f(b)); x();\n"  # (only strings: read without a parse)
    assert console_to_logger._call_end(SourceFile("c.ts", data, None), 0) == data.index(b";")  # type: ignore[arg-type]


@pytest.mark.parametrize("text, expected", [
    ("logger.error('failed', { error: err })", True),
    ("logger.error({ err }, 'failed')", True),
    ("void logger.error('failed', { 'error': e, id })", True),
    ("logger.info('Retrying, error count', { count })", False),  # a word of the message
    ("logger.info(`failed: ${err}`)", False),
    ("logger.info('failed', { detail: { error: err } })", False),  # (nested: no format reads it there)
    ("logger.info('failed', { errorMessage: err.message })", False),
    ("", False),
])
def test_f1_an_error_as_meta_is_a_key_of_the_new_calls_meta(text: str, expected: bool) -> None:
    assert console_to_logger._meta_holds_an_error("ts", text) == expected


def test_f1_the_new_call_text_runs_from_the_console_the_finding_points_at_to_the_calls_end() -> None:
    """Not from the first edit on the call's line (an import inserted at the line's start, before `foo()`),
    nor only to the last edit (`{ error: err }` is left as it is)."""
    from fixer.model import Edit, Finding
    from fixer.repo import SourceFile

    data = b"foo(); console.error('x', { error: err }); bar();\n"
    source_file = SourceFile("a.js", data, None)  # type: ignore[arg-type]
    at = data.index(b"console")
    finding = Finding("console-to-logger", "a.js", 1, at + 1, "console.error -> logger.error",
                      (Edit("a.js", 0, 0, "const { logger } = require('./logger');\n"), Edit("a.js", at, at + 7, "logger")))
    text = console_to_logger._new_call_text(source_file, finding)
    assert text.endswith("foo(); logger.error('x', { error: err })"), text
    assert console_to_logger._meta_holds_an_error("js", text)


def test_the_service_name_note_stays_one_short_line_at_many_services(tmp_path: Path) -> None:
    """A service whose logger calls pass its directory's name is told by the directory (past three, counted):
    a 200-service monorepo's note was one 6 KB line. A service passing another name keeps it beside its directory."""
    files = {}
    names = [f"svc-{n:03}" for n in range(40)] + ["billing"]
    for directory in names:
        stamp = "payments" if directory == "billing" else directory
        files[f"services/{directory}/package.json"] = f'{{ "name": "{directory}" }}\n'
        files[f"services/{directory}/src/index.ts"] = (
            "import { logger } from '@acme/shared';\n\n"
            f"logger.info('started', {{ service: '{stamp}' }});\nconsole.log('ready');\n")
    write_tree(tmp_path, files)
    _, run = run_on_tree("console-to-logger", tmp_path)
    note = next(note for note in run.notes if note.startswith("new calls pass { service }"))
    assert note == ("new calls pass { service } where the service's logger calls do: 40 services under their "
                    "directory's name (services/svc-000, services/svc-001, services/svc-002, … 37 more), "
                    "services/billing ('payments')"), note
