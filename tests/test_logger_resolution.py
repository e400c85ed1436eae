"""fixer.logger: what a logger import's specifier loads — `.cts`/`.mts` behind `.cjs`/`.mjs`, package.json
`imports` (`#logger`), Node's and TypeScript's picks of a package's `exports`, a `{ "type": "module" }`
marker — and the refusals that hang on it (a TypeScript module for JavaScript Node runs as it is)."""

from __future__ import annotations

from pathlib import Path

from fixer import config as config_mod
from fixer import edits, logger
from fixer.repo import DirectorySource, Repo
from gitrepo import write_tree
from transforms import registry


def _repo(root: Path, files: dict[str, str]) -> Repo:
    write_tree(root, files)
    return Repo(root, DirectorySource(root), config_mod.load(root, registry()))


def _found(repo: Repo, path: str) -> logger.FileLogger:
    return logger.logger_for(repo.file(path), logger.infer(repo))


def _added(repo: Repo, path: str) -> str:
    """The file's text with the logger's import added (as console-to-logger adds it), or its reason."""
    found = _found(repo, path)
    if found.edit is None:
        return found.reason or ""
    return edits.apply(repo.file(path).data, [found.edit]).decode()


_WINSTON_ESM = "import winston from 'winston';\n\nexport const logger = winston.createLogger({});\n"
_WINSTON_CJS = "const winston = require('winston');\n\nexports.logger = winston.createLogger({});\n"


# --- bug r16/7: `./logger.cjs` names logger.cts ---------------------------------------------------


def test_a_cjs_or_mjs_specifier_names_the_cts_or_mts_file_before_a_ts_one(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"src/logger.cts": "export = 1;\n", "src/logger.ts": "export {};\n",
                            "src/other.mts": "export {};\n", "src/other.ts": "export {};\n", "src/x.ts": ""})
    assert logger.resolve_module(repo, "src/x.ts", "./logger.cjs") == "src/logger.cts"
    assert logger.resolve_module(repo, "src/x.ts", "./other.mjs") == "src/other.mts"
    assert logger.resolve_module(repo, "src/x.ts", "./logger.js") == "src/logger.ts"
    assert logger.resolve_module(repo, "src/x.ts", "./logger") == "src/logger.ts"


def test_a_cts_logger_imported_as_cjs_is_the_services_logger(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/svc/package.json": '{ "name": "svc", "type": "module", "dependencies": { "winston": "3" } }',
        "services/svc/tsconfig.json": '{ "compilerOptions": { "module": "NodeNext", "outDir": "dist" } }',
        "services/svc/src/logger.cts": ("import winston = require('winston');\n\nconst logger = winston.createLogger({});\n\n"
                                        "export = logger;\n"),
        "services/svc/src/index.ts": "import logger from './logger.cjs';\n\nlogger.info('up');\n",
        "services/svc/src/lib/work.ts": "export const work = () => 1;\n",
    })
    assert logger.infer(repo)["services/svc"].target == "services/svc/src/logger.cts"
    assert _added(repo, "services/svc/src/lib/work.ts").startswith("import logger from '../logger.cjs';\n")


# --- bug r16/5: package.json `imports` ------------------------------------------------------------


def test_a_hash_specifier_is_resolved_by_the_nearest_package_jsons_imports(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "package.json": ('{ "name": "a", "imports": { "#logger": "./src/log.js", "#lib/*": "./src/lib/*.js",'
                         ' "#lib/deep/*": "./src/deep/*.js", "#dual": { "require": "./src/dual.cjs", "default": "./src/dual.mjs" },'
                         ' "#built": "./dist/built.js", "#pkg": "some-package" } }'),
        "src/log.js": "", "src/lib/util.js": "", "src/deep/x.js": "", "src/dual.cjs": "", "src/dual.mjs": "",
        "src/built.ts": "", "src/a.js": "", "src/b.mjs": "",
        "src/esm/package.json": '{ "type": "module" }', "src/esm/c.js": "",
    })
    assert logger.resolve_import(repo, "src/a.js", "#logger") == "src/log.js"
    assert logger.resolve_import(repo, "src/a.js", "#lib/util") == "src/lib/util.js"
    assert logger.resolve_import(repo, "src/a.js", "#lib/deep/x") == "src/deep/x.js"  # (the longest pattern)
    assert logger.resolve_import(repo, "src/a.js", "#dual") == "src/dual.cjs"  # (CommonJS: `require`)
    assert logger.resolve_import(repo, "src/b.mjs", "#dual") == "src/dual.mjs"  # (an ES module: `default`)
    assert logger.resolve_import(repo, "src/a.js", "#built") == "src/built.ts"  # (a built file: its source)
    assert logger.resolve_import(repo, "src/a.js", "#pkg") is None  # (a package, not a repository file)
    assert logger.resolve_import(repo, "src/a.js", "#nope") is None
    assert logger.resolve_import(repo, "src/esm/c.js", "#logger") is None  # (the marker's scope: no `imports`)
    assert logger.imports_entries(repo, "src/b.mjs", "#dual", require=True) == ("", ["./src/dual.cjs"])


def _orders(tmp_path: Path, extra: dict[str, str] | None = None) -> Repo:
    return _repo(tmp_path, {
        "services/orders/package.json": ('{ "name": "orders", "type": "module", "imports": { "#logger": "./src/log.js" },'
                                         ' "dependencies": { "winston": "3" } }'),
        "services/orders/src/log.js": _WINSTON_ESM,
        "services/orders/src/server.js": "import { logger } from '#logger';\n\nlogger.info('up');\n",
        "services/orders/src/audit.cjs": "'use strict';\n\nexports.audit = (url) => url;\n",
        "services/orders/src/other.js": "export const f = (url) => url;\n",
        **(extra or {}),
    })


def test_a_commonjs_file_gets_no_require_of_an_es_module_through_a_hash_specifier(tmp_path: Path) -> None:
    repo = _orders(tmp_path)
    convention = logger.infer(repo)["services/orders"]
    assert convention.module == "#logger" and convention.aliased == "services/orders/src/log.js"
    found = _found(repo, "services/orders/src/audit.cjs")
    assert found.edit is None and found.reason.startswith(
        "the logger module `#logger` is an ES module (`require()` of it loads services/orders/src/log.js, "), found.reason
    assert "ERR_REQUIRE_ESM" in found.reason and "`await import()`" in found.reason
    assert _added(repo, "services/orders/src/other.js").startswith("import { logger } from '#logger';\n")


def test_the_logger_a_hash_specifier_names_is_winstons(tmp_path: Path) -> None:
    """`#logger` is src/log.js, whose logger winston makes: its calls take (message, meta)."""
    repo = _orders(tmp_path)
    shapes = {(module, name): shape for module, name, shape, _why, _methods in logger.logger_shapes(repo)}
    assert shapes.get(("services/orders/src/log.js", "logger")) == "structured", shapes


def test_a_hash_specifier_its_files_package_json_does_not_define_is_not_imported(tmp_path: Path) -> None:
    """A `{ "type": "commonjs" }` marker with no `imports` is the package scope Node reads `#logger` from."""
    repo = _orders(tmp_path, {"services/orders/src/legacy/package.json": '{ "type": "commonjs" }',
                              "services/orders/src/legacy/old.js": "exports.old = 1;\n"})
    found = _found(repo, "services/orders/src/legacy/old.js")
    assert found.edit is None and "ERR_PACKAGE_IMPORT_NOT_DEFINED" in found.reason \
        and "services/orders/src/legacy/package.json" in found.reason, found.reason


def test_a_hash_pattern_with_a_require_condition_is_required(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/billing/package.json": ('{ "name": "billing", "imports": { "#log/*": { "require": "./src/log/*.cjs",'
                                          ' "default": "./src/log/*.mjs" } }, "dependencies": { "winston": "3" } }'),
        "services/billing/src/log/main.cjs": _WINSTON_CJS,
        "services/billing/src/log/main.mjs": _WINSTON_ESM,
        "services/billing/src/index.js": "const { logger } = require('#log/main');\n\nlogger.info('up');\n",
        "services/billing/src/charge.cjs": "module.exports = { charge: (n) => n };\n",
        "services/billing/src/job.mjs": "export const job = () => 1;\n",
    })
    assert _added(repo, "services/billing/src/charge.cjs").startswith("const { logger } = require('#log/main');\n")
    assert _added(repo, "services/billing/src/job.mjs").startswith("import { logger } from '#log/main';\n")


# --- bug r16/6 and r16/9: Node's pick for what Node runs; the subpath as imported ------------------


def _workspace(tmp_path: Path, exports: str, service: dict[str, str]) -> Repo:
    return _repo(tmp_path, {
        "package.json": '{ "name": "root", "private": true, "workspaces": ["packages/*", "services/*"] }',
        "packages/logger/package.json": ('{ "name": "@acme/logger", "type": "module", "exports": %s, '
                                         '"dependencies": { "winston": "3" } }' % exports),
        "packages/logger/src/index.js": _WINSTON_ESM,
        "packages/logger/src/index.cjs": _WINSTON_CJS,
        "packages/logger/src/pretty.js": _WINSTON_ESM,
        "packages/logger/src/index.d.ts": "export declare const logger: any;\n",
        **service,
    })


def test_require_loads_nodes_pick_not_the_types_condition(tmp_path: Path) -> None:
    repo = _workspace(tmp_path, '{ ".": { "types": "./src/index.d.ts", "import": "./src/index.js", '
                                '"require": "./src/index.cjs" } }', {
        "services/billing/package.json": '{ "name": "@acme/billing", "dependencies": { "@acme/logger": "1.0.0" } }',
        "services/billing/src/index.js": "const { logger } = require('@acme/logger');\n\nlogger.info('up');\n",
        "services/billing/src/charge.js": "module.exports = { charge: (n) => n };\n",
    })
    assert _added(repo, "services/billing/src/charge.js").startswith("const { logger } = require('@acme/logger');\n")
    manifest = repo.packages["packages/logger"]
    assert logger._required_entries(manifest, ".", checked=False) == ["./src/index.cjs"]
    assert logger._required_entries(manifest, ".") == ["./src/index.cjs", "./src/index.d.ts"]
    convention = logger.infer(repo)["services/billing"]
    assert logger._es_module_loaded(repo, convention, checked=False) is None
    said = logger._es_module_loaded(repo, convention)  # (what tsc under node16 checks: the types)
    assert said is not None and "tsc resolves its `require()` to packages/logger/src/index.d.ts" in said, said
    assert "loads packages/logger/src/index.d.ts" not in said


def test_the_reason_names_the_subpath_imported(tmp_path: Path) -> None:
    repo = _workspace(tmp_path, '{ ".": { "import": "./src/index.js", "require": "./src/index.cjs" }, '
                                '"./pretty": { "import": "./src/pretty.js" } }', {
        "services/api/package.json": ('{ "name": "@acme/api", "type": "module", "dependencies": '
                                      '{ "@acme/logger": "1.0.0" } }'),
        "services/api/src/index.js": "import { logger } from '@acme/logger/pretty';\n\nlogger.info('up');\n",
        "services/api/src/audit.cjs": "exports.audit = (url) => url;\n",
    })
    found = _found(repo, "services/api/src/audit.cjs")
    assert found.edit is None and found.reason.startswith(
        "the logger package entry `@acme/logger/pretty` is an ES module (the `exports` of `@acme/logger` give "
        "`require()` no entry for `./pretty`)"), found.reason


# --- bug r16/8: a `{ "type": "module" }` marker is no package -------------------------------------


def test_a_type_marker_package_json_is_no_package(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/svc/package.json": '{ "name": "svc", "dependencies": { "winston": "3" } }',
        "services/svc/src/esm/package.json": '{ "type": "module" }',
        "services/svc/src/logger.js": _WINSTON_CJS,
        "services/svc/src/index.js": "const { logger } = require('./logger');\n\nlogger.info('up');\n",
        "services/svc/src/esm/job.js": "export const job = () => 1;\n",
        "lone/package.json": '{ "type": "module" }', "lone/x.js": "",
        "named/package.json": '{ "name": "named" }', "named/sub/package.json": '{ "type": "module" }', "named/sub/y.js": "",
    })
    assert logger.package_of(repo, "services/svc/src/esm/job.js") == "services/svc"
    assert logger.package_of(repo, "lone/x.js") == "lone"  # (no package above it: the marker's directory)
    assert logger.package_of(repo, "named/sub/y.js") == "named"
    assert _added(repo, "services/svc/src/esm/job.js").startswith("import { logger } from '../logger.js';\n")


# --- bug r16/4: JavaScript that Node runs as it is gets no TypeScript module ----------------------


def _typescript_service(tmp_path: Path, package: str, tsconfig: str, extra: dict[str, str] | None = None) -> Repo:
    return _repo(tmp_path, {
        "services/api/package.json": package,
        "services/api/tsconfig.json": tsconfig,
        "services/api/src/lib/logger.ts": _WINSTON_ESM,
        "services/api/src/index.ts": "import { logger } from './lib/logger';\n\nlogger.info('up');\n",
        "services/api/src/worker.mjs": "export const tick = () => 1;\n",
        "services/api/src/job.js": "export const job = () => 1;\n",
        **(extra or {}),
    })


_BUNDLED = ('{ "name": "api", "type": "module", "scripts": { "build": "tsup src/index.ts", "worker": "node src/worker.mjs" },'
            ' "dependencies": { "winston": "3" } }')
_NO_EMIT = '{ "compilerOptions": { "module": "ESNext", "moduleResolution": "Bundler", "noEmit": true }, "include": ["src"] }'


def test_javascript_node_runs_gets_no_import_of_a_typescript_module(tmp_path: Path) -> None:
    repo = _typescript_service(tmp_path, _BUNDLED, _NO_EMIT)
    for path in ("services/api/src/worker.mjs", "services/api/src/job.js"):
        found = _found(repo, path)
        assert found.edit is None and found.reason.startswith(
            "the logger module services/api/src/lib/logger.ts is TypeScript, which this JavaScript file, run by Node as "
            "it is, cannot load"), (path, found.reason)


def test_javascript_a_typescript_runtime_or_tsc_runs_imports_a_typescript_module(tmp_path: Path) -> None:
    with_tsx = _BUNDLED.replace('"winston": "3"', '"winston": "3", "tsx": "4"')
    repo = _typescript_service(tmp_path / "tsx", with_tsx, _NO_EMIT)
    assert _added(repo, "services/api/src/worker.mjs").startswith("import { logger } from './lib/logger.js';\n")
    compiled = '{ "compilerOptions": { "module": "NodeNext", "allowJs": true, "outDir": "dist" }, "include": ["src"] }'
    repo = _typescript_service(tmp_path / "tsc", _BUNDLED, compiled)
    assert _added(repo, "services/api/src/worker.mjs").startswith("import { logger } from './lib/logger.js';\n")
    checked_only = compiled.replace('"outDir": "dist"', '"noEmit": true')
    repo = _typescript_service(tmp_path / "checked", _BUNDLED, checked_only)
    assert _found(repo, "services/api/src/worker.mjs").edit is None
    repo = _typescript_service(tmp_path / "built", _BUNDLED, _NO_EMIT,  # (a JavaScript file of its name beside it)
                               {"services/api/src/lib/logger.js": _WINSTON_ESM})
    assert _found(repo, "services/api/src/worker.mjs").edit is not None


def test_javascript_node_runs_gets_no_hash_specifier_of_a_typescript_module(tmp_path: Path) -> None:
    package = _BUNDLED.replace('"type": "module",', '"type": "module", "imports": { "#logger": "./src/lib/logger.ts" },')
    repo = _typescript_service(tmp_path, package, _NO_EMIT, {
        "services/api/src/index.ts": "import { logger } from '#logger';\n\nlogger.info('up');\n"})
    found = _found(repo, "services/api/src/worker.mjs")
    assert found.edit is None and found.reason.startswith(
        "the logger module `#logger` is TypeScript (the `imports` of services/api/package.json give Node "
        "services/api/src/lib/logger.ts)"), found.reason
