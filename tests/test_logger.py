"""fixer.logger: finding the repository's logger and adding its import the way the repo does."""

from __future__ import annotations

from pathlib import Path

from fixer import config as config_mod
from fixer import edits, logger
from fixer.repo import DirectorySource, Repo
from gitrepo import write_tree
from transforms import registry


def _repo(root: Path, files: dict[str, str], toml: str = "") -> Repo:
    write_tree(root, files)
    if toml:
        (root / ".fixer.toml").write_text(toml)
    return Repo(root, DirectorySource(root), config_mod.load(root, registry()))


def _conventions(repo: Repo) -> dict:
    """The conventions console-to-logger logs through: the repository's, and the modules `create = true` adds."""
    conventions = logger.infer(repo)
    return {**conventions, **logger.created_for_services(repo, conventions)}


def _added(repo: Repo, path: str) -> tuple[str | None, str]:
    """The binding to use in `path` and the file's text with the import added (as console-to-logger adds it)."""
    conventions = _conventions(repo)
    found = logger.logger_for(repo.file(path), conventions)
    data = repo.file(path).data
    if found.edit:
        data = edits.apply(data, [found.edit])
    return found.binding, data.decode()


def test_named_import_from_a_workspace_package_is_the_convention(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/src/x.ts": "import { logger } from '@scope/shared';\nlogger.info('x');\n",
        "services/a/src/y.ts": "import { logger } from '@scope/shared';\n",
        "services/a/src/z.ts": 'import express from "express"\nconst app = express()\n',
    })
    binding, text = _added(repo, "services/a/src/z.ts")
    assert binding == "logger"
    assert text == 'import express from "express"\nimport { logger } from "@scope/shared"\nconst app = express()\n'


def test_relative_module_is_recomputed_from_the_new_file_with_esm_js_extension(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/src/utils/logger.ts": "export const log = makeIt();\n",
        "services/a/src/x.ts": "import { log } from './utils/logger.js';\n",
        "services/a/src/y.ts": "import { log } from './utils/logger.js';\n",
        "services/a/src/routes/deep/z.ts": "export const z = 1;\n",
    })
    binding, text = _added(repo, "services/a/src/routes/deep/z.ts")
    assert binding == "log"
    assert text.startswith("import { log } from '../../utils/logger.js';\n")


def test_commonjs_files_get_a_require(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/s/package.json": "{}",
        "services/s/logger.js": "module.exports = require('winston').createLogger();\n",
        "services/s/a.js": "const logger = require('./logger');\n",
        "services/s/lib/b.js": "'use strict';\nconst fs = require('fs');\n\nfs.readFileSync('x');\n",
    })
    binding, text = _added(repo, "services/s/lib/b.js")
    assert binding == "logger"
    assert text == "'use strict';\nconst fs = require('fs');\nconst logger = require('../logger');\n\nfs.readFileSync('x');\n"


def test_an_existing_logger_under_another_name_is_used(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        "services/a/y.ts": "import { logger as appLog } from '@s/shared';\nconsole.log(1);\n",
        "services/a/z.ts": "import winston from 'winston';\nconst log = winston.createLogger({});\n",
        "services/a/w.ts": "const log = createServiceLogger('a');\n",
    })
    conventions = logger.infer(repo)
    assert logger.logger_for(repo.file("services/a/y.ts"), conventions) == logger.FileLogger("appLog", None)
    assert logger.logger_for(repo.file("services/a/z.ts"), conventions).binding == "log"
    assert logger.logger_for(repo.file("services/a/w.ts"), conventions).binding == "log"


def test_a_local_logger_that_is_not_a_logger_gets_an_alias(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        "services/a/y.ts": "const logger = { log: (m: string) => console.log(m) };\n",
    })
    binding, text = _added(repo, "services/a/y.ts")
    assert binding == "appLogger"
    assert text.startswith("import { logger as appLogger } from '@s/shared';\n\nconst logger = {")


def test_import_goes_after_the_shebang_never_into_it(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        "services/a/cli.ts": "#!/usr/bin/env node\nconsole.log('hi');\n",
    })
    _, text = _added(repo, "services/a/cli.ts")
    assert text == "#!/usr/bin/env node\nimport { logger } from '@s/shared';\n\nconsole.log('hi');\n"


def test_crlf_files_get_a_crlf_import(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        "services/a/y.ts": "import a from 'a';\r\nconsole.log(a);\r\n",
    })
    _, text = _added(repo, "services/a/y.ts")
    assert text == "import a from 'a';\r\nimport { logger } from '@s/shared';\r\nconsole.log(a);\r\n"


def test_no_logger_anywhere_is_a_reason_not_a_guess(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"services/a/package.json": "{}", "services/a/y.ts": "console.log(1);\n"})
    found = logger.logger_for(repo.file("services/a/y.ts"), logger.infer(repo))
    assert found.binding is None and found.edit is None and "no logger" in found.reason


def test_another_services_private_logger_is_never_imported(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/logger.ts": "export const logger = pino();\n",
        "services/a/x.ts": "import { logger } from './logger';\n",
        "services/b/package.json": "{}",
        "services/b/y.ts": "console.log(1);\n",
    })
    assert logger.logger_for(repo.file("services/b/y.ts"), logger.infer(repo)).binding is None


def test_config_sets_the_logger(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/y.ts": "console.log(1);\n",
    }, toml='[logger]\nmodule = "@acme/log"\nimport = "default"\nname = "log"\n')
    binding, text = _added(repo, "services/a/y.ts")
    assert binding == "log" and text.startswith("import log from '@acme/log';\n")


def test_the_sample_monorepos_conventions() -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures" / "sample-monorepo"
    repo = Repo(root, DirectorySource(root))
    conventions = logger.infer(repo)
    assert conventions["services/admin-service"].imported == "default"
    assert conventions["services/booking-service"].imported == "logger"
    assert conventions["services/student-service"].target == "services/student-service/logger.js"
    assert logger.logger_for(repo.file("services/student-auth-service/src/app.ts"), conventions).binding == "log"


def test_the_logger_joins_an_import_of_the_same_module(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        "services/a/y.ts": "import { isAppError } from '@s/shared';\nimport b from 'b';\n",
        "services/a/z.js": "const { isAppError } = require('@s/shared');\n",
    })
    _, text = _added(repo, "services/a/y.ts")
    assert text == "import { isAppError, logger } from '@s/shared';\nimport b from 'b';\n"
    _, text = _added(repo, "services/a/z.js")
    assert text == "const { isAppError, logger } = require('@s/shared');\n"


def test_a_default_logger_joins_named_imports_in_front(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import logger from '@s/shared';\n",
        "services/a/y.ts": "import type { T } from '@s/shared';\nimport { isAppError } from '@s/shared';\n",
    })
    _, text = _added(repo, "services/a/y.ts")
    assert text == "import type { T } from '@s/shared';\nimport logger, { isAppError } from '@s/shared';\n"


def test_create_without_a_logger_plans_a_shared_module(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/src/y.ts": "console.log(1);\n",
        "shared/src/index.ts": "export const x = 1;\n",
    }, toml="[logger]\ncreate = true\n")
    assert None not in logger.infer(repo)  # (the other fixes log with console until console-to-logger adds it)
    conventions = _conventions(repo)
    assert conventions[None].target == "shared/src/logger.ts"
    path, text = logger.module_to_create(repo, conventions)
    assert path == "shared/src/logger.ts" and "winston.createLogger" in text and "LOG_LEVEL" in text
    binding, fixed = _added(repo, "services/a/src/y.ts")
    assert binding == "logger" and fixed.startswith("import { logger } from '../../../shared/src/logger';\n\n")


def test_a_created_module_reads_the_environment_as_the_tsconfig_requires(tmp_path: Path) -> None:
    """Under `noPropertyAccessFromIndexSignature` (here through a relative `extends`),
    `process.env.NODE_ENV` is TS4111: the new module reads `process.env['NODE_ENV']`."""
    files = {
        "services/a/package.json": "{}",
        "services/a/src/y.ts": "console.log(1);\n",
        "shared/src/index.ts": "export const x = 1;\n",
    }
    strict = _repo(tmp_path / "strict", {
        **files, "tsconfig.base.json": '{ "compilerOptions": { "noPropertyAccessFromIndexSignature": true, }, }\n',
        "tsconfig.json": '{ "extends": "./tsconfig.base", // shared\n "include": ["shared", "services"] }\n',
    }, toml="[logger]\ncreate = true\n")
    _, text = logger.module_to_create(strict, _conventions(strict))
    assert "process.env['NODE_ENV'] === 'production'" in text and "process.env['LOG_LEVEL'] || 'info'" in text
    assert "process.env." not in text
    plain = _repo(tmp_path / "plain", files, toml="[logger]\ncreate = true\n")
    _, text = logger.module_to_create(plain, _conventions(plain))
    assert "process.env.NODE_ENV === 'production'" in text


def test_create_is_not_needed_when_a_logger_exists(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
    }, toml="[logger]\ncreate = true\n")
    assert logger.module_to_create(repo, logger.infer(repo)) is None


def test_every_kind_of_binding_takes_the_name(tmp_path: Path) -> None:
    """A name a new import would clash with, or whose calls would reach a local value."""
    from fixer.parsing import typescript

    bound = {
        "class logger {}": "logger", "function f(appLogger: string) {}": "appLogger",
        "const { serviceLogger } = o;": "serviceLogger", "function log() {}": "log",
        "xs.forEach(log => f(log));": "log", "for (const log of logs) f(log);": "log",
        "for (let [log] of pairs) f(log);": "log", "function g(...log: string[]) {}": "log",
        "const h = function log(n: number) { return n; };": "log", "const K = class log {};": "log",
        "enum log { A }": "log", "try { f(); } catch (log) { f(log); }": "log", "import { x as log } from 'm';": "log",
    }
    not_bound = {"log.info('x');": "log", "for (log in o) {}": "log", "o.log = 1;": "log", "const a = { log: 1 };": "log"}
    for text, name in {**bound, **not_bound}.items():
        root = typescript.parse(text.encode(), "ts").root_node
        assert typescript.declares(root, name) == (text in bound), text


def test_a_pattern_a_catch_clause_binds_is_bound_in_the_clause_only() -> None:
    """`catch ({ logger })` binds `logger` in the catch clause, not in the block around the
    try: the calls after it reach the module's logger."""
    from fixer.parsing import typescript

    text = b"const logger = make();\ntry { f(); } catch ({ logger }) { logger.warn('x'); }\nlogger.info('after');\n"
    [scope] = typescript.local_binding_scopes("ts", typescript.parse(text, "ts").root_node, "logger")
    assert scope.type == "catch_clause" and scope.end_point[0] == 1


def test_a_service_that_makes_its_logger_with_a_factory_gets_the_same(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { createServiceLogger } from '@s/shared';\n\nconst log = createServiceLogger('a');\n",
        "services/a/y.ts": "import b from 'b';\n\nb();\n",
        "services/c/package.json": "{}",
        "services/c/x.ts": "import { logger } from '@s/shared';\n",
    })
    conventions = logger.infer(repo)
    assert conventions["services/a"].factory_args == "('a')"
    binding, text = _added(repo, "services/a/y.ts")
    assert binding == "log"
    assert text == ("import b from 'b';\nimport { createServiceLogger } from '@s/shared';\n\n"
                    "const log = createServiceLogger('a');\n\nb();\n")
    assert conventions["services/c"].factory_args is None


# --- reading the logger imports of a file's head without a parse ----------------------------


def _imports_by_parse(source_file) -> list:
    """What the parse of the head (or the file) says: the path `_simple_head_imports` skips."""
    from fixer.repo import SourceFile
    fresh = SourceFile(source_file.path, source_file.data, source_file.repo)
    root = logger._head_root(fresh) or fresh.tree.root_node
    found = []
    for node in root.named_children:
        if not logger._MENTIONS_LOG.search(fresh.data, node.start_byte, node.end_byte):
            continue
        if node.type == "import_statement":
            found.extend(logger._esm_import(fresh.path, node))
        elif node.type in ("lexical_declaration", "variable_declaration"):
            found.extend(logger._require(fresh.path, node))
    return found


def test_plain_import_lines_are_read_as_the_parser_reads_them(tmp_path: Path) -> None:
    """A head of plain one-line imports, comments and blank lines is read without a parse;
    whenever that answers, it answers what the parse does (every fixture file, and generated
    heads mixing every import form with comments, CRLF and shebangs); anything else is parsed."""
    import random

    from fixer.repo import CODE_KINDS, SourceFile, classify
    repo = Repo(tmp_path, DirectorySource(tmp_path), config_mod.Config())
    cases: list[tuple[str, bytes]] = []
    fixtures = Path(__file__).parent.parent / "fixtures"
    cases += [(str(p), p.read_bytes()) for p in sorted(fixtures.rglob("*")) if p.is_file() and classify(p.name) in CODE_KINDS]
    rng = random.Random(7)
    lines = [
        "import { logger } from '@acme/shared';", "import logger from './logger';", "import winston, { format } from 'winston';",
        "import { a as log, type Logger, b } from \"../log\";", "import type { Logger } from 'winston';",
        "import * as winston from 'winston';", "import log, * as all from './log.js';", "import { default as logger } from './logger';",
        "import './log-setup';", "const { logger } = require('./logger');", "import {} from './logger';",
        "  import { logger as appLog, } from '@acme/log' ;  ", "import type from './log-type';",
        "// import { fake } from './logger';", "/* a block\n   import { hidden } from './logger'; */", "/* one */",
        "/* x */ import { x } from './log';", "#!/usr/bin/env node", "", "export { logger } from './logger';",
        "import { logger } from './logger' // no semicolon", "import {\n  logger,\n} from './logger';",
        "/* multi\n */ import { tail } from './logger';", "// a comment\rimport { afterCr } from './logger';",
        "import { tail } from './logger'; // trailing", "import /* log */ { quiet } from './q';",
        "import { a /* c */, log } from './logger';", "import { q } from './quiet'; // log",
        # TypeScript's import-equals, and namespace imports
        "import logger = require('./lib/logger');", "import log=require(\"@acme/shared/logger\") ;",
        "import type Log = require('./log');", "import logger = require('./logger')", "import type = require('./log');",
        "import * as log from './log';", "import logging, * as all from './logging';", "import log = Foo.log;",
        "import logger = require(`./logger`);", "import logger = require ( './logger' ) ;",
    ]
    for _ in range(600):
        head = [rng.choice(lines) for _ in range(rng.randint(1, 6))]
        eol = rng.choice(["\n", "\r\n"])
        body = eol.join(head) + eol + "export function f() {" + eol + "  logger.info('x');" + eol + "}" + eol * 12
        cases.append((f"gen-{len(cases)}.ts", body.encode()))
    answered = 0
    for path, data in cases:
        if not logger.MAY_IMPORT_LOGGER.search(data):
            continue
        source_file = SourceFile(path, data, repo)
        simple = logger._simple_head_imports(source_file, logger._MENTIONS_LOG)
        if simple is None:
            continue
        answered += 1
        assert list(simple) == _imports_by_parse(source_file), (path, data[:300])
    assert answered > 150


def test_the_import_window_finds_what_the_whole_file_holds() -> None:
    """MAY_IMPORT_LOGGER is run only up to `_import_window` (411 bytes past the last
    `import`/`require`): the same matches as over the whole file, on every fixture file and
    on generated byte soup made of the pattern's pieces."""
    import random

    def spans(data: bytes, end: int) -> list[tuple[int, int]]:
        return [m.span() for m in logger.MAY_IMPORT_LOGGER.finditer(data, 0, end)]

    fixtures = Path(__file__).parent.parent / "fixtures"
    samples = [p.read_bytes() for p in sorted(fixtures.rglob("*.[tj]s")) if p.is_file()]
    rng = random.Random(3)
    pieces = [b"import", b"require", b" ", b"log", b"Log", b"x", b";", b"=", b"}", b"\n", b"a" * 50, b"(", b"'m'",
              b"d", b"ant", b"_", b"$", b"\xc3\xa9"]  # "required", "important", `require_x`, `import$`, non-ASCII
    samples += [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    for data in samples:
        assert spans(data, len(data)) == spans(data, logger._import_window(data)), data[:200]


def test_a_commonjs_require_goes_before_what_logs_as_the_module_loads(tmp_path: Path) -> None:
    """A require runs where it stands: not merged into one after the first console call, and
    placed before a top-level call of a function (or class) that logs, directly or not."""
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/src/lib/logger.js": "module.exports = { logger: console, LEVEL: 'info' };\n",
        "services/a/src/x.js": "const { logger } = require('./lib/logger');\nlogger.info('x');\n",
        "services/a/src/y.js": "console.log('y');\nconst { LEVEL } = require('./lib/logger');\n",
        "services/a/src/z.js": ("const os = require('os');\nfunction log() { console.log(os.EOL); }\n"
                                "function boot() { log(); }\nboot();\nconst fs = require('fs');\n"),
    })
    binding, text = _added(repo, "services/a/src/y.js")
    assert binding == "logger"
    assert text.startswith("const { logger } = require('./lib/logger');\n\nconsole.log('y');\n"
                           "const { LEVEL } = require('./lib/logger');\n"), text
    binding, text = _added(repo, "services/a/src/z.js")
    assert text.startswith("const os = require('os');\nconst { logger } = require('./lib/logger');\nfunction log()"), text


def test_a_child_of_the_required_logger_is_the_files_logger(tmp_path: Path) -> None:
    """`const log = require('./lib/logger').child({ mod })` is the logger this file logs
    through: no second require, and the child's fields stay on every call."""
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/lib/logger.js": "module.exports = require('winston').createLogger({});\n",
        "services/a/x.js": "const logger = require('./lib/logger');\nlogger.info('x');\n",
        "services/a/e.js": "const log = require('./lib/logger').child({ mod: 'e' });\nconsole.log('e');\n",
        "services/a/f.js": "const log = require('./lib/logger').logger.child({ mod: 'f' });\nconsole.log('f');\n",
    })
    conventions = logger.infer(repo)
    for path in ("services/a/e.js", "services/a/f.js"):
        found = logger.logger_for(repo.file(path), conventions)
        assert (found.binding, found.edit) == ("log", None), path


import pytest  # noqa: E402  (used by the tests below)


@pytest.mark.parametrize("module, imported, local, expected", [
    ("morgan", "default", "logger", False),  # express-generator's `var logger = require('morgan')`
    ("hono/logger", "logger", "logger", False),  # Hono's request-logging middleware
    ("koa-logger", "default", "logger", False),
    ("./lib/logger", "logger", "logger", True),
    ("@acme/logger", "default", "logger", True),
])
def test_request_logging_middleware_is_no_logger_import(module, imported, local, expected):
    from fixer.logger import ImportSeen, is_logger_import
    assert is_logger_import(ImportSeen("src/app.ts", module, imported, local, False)) is expected


# --- TypeScript's import-equals and namespace imports ----------------------------------------


def test_import_equals_is_the_convention_read_without_a_parse(tmp_path: Path) -> None:
    """`import logger = require('./lib/logger')` votes (from the head's lines: no parse), and
    new imports in the service's TypeScript files are written the same way; a `.mts` file
    (always an ES module: TS1202) and a CommonJS file get their own kind."""
    from fixer.repo import SourceFile
    repo = _repo(tmp_path, {  # (ts-node: it runs c.js, whose `require()` then finds lib/logger.ts)
        "services/a/package.json": '{ "devDependencies": { "ts-node": "10.9.2" } }',
        "services/a/src/lib/logger.ts": "import winston = require('winston');\nexport = winston.createLogger({});\n",
        "services/a/src/x.ts": "import logger = require('./lib/logger');\n\nlogger.info('x');\n",
        "services/a/src/y.ts": ("import express = require('express');\nimport logger = require('./lib/logger');\n\n"
                                "export const app = express();\n" + "app.get('/', (_req, res) => res.send('y'));\n" * 3),
        "services/a/src/routes/z.ts": "import { Router } from 'express';\n\nexport const r = Router();\n",
        "services/a/src/m.mts": "import { Router } from 'express';\n\nexport const r = Router();\n",
        "services/a/src/c.js": "const os = require('os');\n\nmodule.exports = os.EOL;\n",
    })
    fresh = SourceFile("services/a/src/y.ts", repo.file("services/a/src/y.ts").data, repo)
    assert logger.votes_of(fresh).imports == ((("services/a/src/lib/logger.ts", "default", "services/a/src/lib/logger.ts",
                                                "", True), "logger"),)
    assert "tree" not in fresh.__dict__  # read from the plain import lines
    conventions = logger.infer(repo)
    assert conventions["services/a"].equals and conventions["services/a"].imported == "default"
    binding, text = _added(repo, "services/a/src/routes/z.ts")
    assert binding == "logger"
    assert text.startswith("import { Router } from 'express';\nimport logger = require('../lib/logger');\n\n")
    _, text = _added(repo, "services/a/src/m.mts")
    assert text.startswith("import { Router } from 'express';\nimport logger from './lib/logger.js';\n\n")
    _, text = _added(repo, "services/a/src/c.js")
    assert text.startswith("const os = require('os');\nconst logger = require('./lib/logger');\n")


def test_import_equals_is_the_convention_where_most_typescript_files_write_it(tmp_path: Path) -> None:
    """Counted among the TypeScript files (a JavaScript file cannot write it): beside more
    `import logger from`, not; beside more CommonJS requires in `.js` files, it is."""
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/logger.ts": "export default makeIt();\n",
        "services/a/x.ts": "import logger from './logger';\n",
        "services/a/y.ts": "import logger from './logger';\n",
        "services/a/w.ts": "import logger = require('./logger');\n",
        "services/a/z.ts": "export const z = 1;\n",
        "services/b/package.json": "{}",
        "services/b/logger.js": "module.exports = makeIt();\n",
        **{f"services/b/j{n}.js": "const logger = require('./logger');\n" for n in range(3)},
        "services/b/x.ts": "import logger = require('./logger');\n",
        "services/b/y.ts": "import logger = require('./logger');\n",
        "services/b/z.ts": "export const z = 1;\n",
    })
    conventions = logger.infer(repo)
    assert conventions["services/a"].files == 3 and not conventions["services/a"].equals
    _, text = _added(repo, "services/a/z.ts")
    assert text.startswith("import logger from './logger';\n")
    assert conventions["services/b"].files == 5 and conventions["services/b"].equals
    _, text = _added(repo, "services/b/z.ts")
    assert text.startswith("import logger = require('./logger');\n")


def test_an_import_equals_is_the_files_logger_and_its_name_is_taken(tmp_path: Path) -> None:
    """Beside a repository that imports `{ logger }`: `import log = require('@s/shared/logger')`
    is the file's logger (no second import); `import log = require('./math')` is no logger but
    binds `log`, so the new import takes another name."""
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { log } from '@s/shared';\n",
        "services/a/y.ts": "import log = require('@s/shared/logger');\nconsole.log(1);\n",
        "services/a/w.ts": "import log = require('./math');\nconsole.log(log.sqrt(2));\n",
        "services/a/math.ts": "export const sqrt = Math.sqrt;\n",
    })
    conventions = logger.infer(repo)
    assert logger.logger_for(repo.file("services/a/y.ts"), conventions) == logger.FileLogger("log", None)
    binding, text = _added(repo, "services/a/w.ts")
    assert binding == "appLogger"
    assert text.startswith("import log = require('./math');\nimport { log as appLogger } from '@s/shared';\n")


def test_the_whole_module_under_a_name_gives_its_logger(tmp_path: Path) -> None:
    """`import * as shared` (or `import shared = require(…)`) of the convention's module logs
    through `shared.logger`; not of a module the convention imports the default of, nor of
    another module; and not an import-equals that runs after the first top-level log."""
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        "services/a/ns.ts": "import * as shared from '@s/shared';\nconsole.log(shared.x);\n",
        "services/a/both.ts": "import shared, * as all from '@s/shared';\nconsole.log(shared);\n",
        "services/a/eq.ts": "import shared = require('@s/shared');\nconsole.log(1);\n",
        "services/a/late.ts": "console.log(1);\nimport shared = require('@s/shared');\n",
        "services/a/other.ts": "import * as utils from '@s/utils';\nconsole.log(utils);\n",
        "services/b/package.json": "{}",
        "services/b/logger.ts": "export default makeIt();\nexport const logger = 1;\n",
        "services/b/x.ts": "import logger from './logger';\n",
        "services/b/ns.ts": "import * as L from './logger';\nconsole.log(1);\n",
    })
    conventions = logger.infer(repo)
    for path, binding in (("services/a/ns.ts", "shared.logger"), ("services/a/both.ts", "all.logger"),
                          ("services/a/eq.ts", "shared.logger")):
        assert logger.logger_for(repo.file(path), conventions) == logger.FileLogger(binding, None), path
    for path in ("services/a/late.ts", "services/a/other.ts", "services/b/ns.ts"):
        found = logger.logger_for(repo.file(path), conventions)
        assert found.edit is not None and "." not in (found.binding or ""), path


def test_a_namespace_of_another_logger_module_gives_the_logger_it_exports(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        "services/a/audit/logging.ts": "import { logger as base } from '@s/shared';\n\nexport const logger = base.child({});\n",
        "services/a/audit/log.ts": "const made = make();\n// export const logger = made;\nexport { made as auditLog };\n",
        "services/a/audit/trail.ts": "import * as logging from './logging';\nconsole.log(1);\n",
        "services/a/audit/other.ts": "import * as log from './log';\nconsole.log(1);\n",
    })
    conventions = logger.infer(repo)
    assert logger.logger_for(repo.file("services/a/audit/trail.ts"), conventions).binding == "logging.logger"
    found = logger.logger_for(repo.file("services/a/audit/other.ts"), conventions)  # exports no `logger`/`log`
    assert found.binding == "logger" and found.edit is not None


# --- a binding made after what logs; a namespace's logger object; where import-equals goes ---------


def test_a_logger_bound_after_a_top_level_log_is_not_used_for_it(tmp_path: Path) -> None:
    """A `require`, an import-equals or a logger made here runs where it stands: after the
    first top-level statement that logs as the module loads it is not there yet (TDZ), so the
    file gets the convention's logger under a free name, before that statement. An ES
    import is hoisted: used wherever it stands."""
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/lib/logger.ts": "import w = require('winston');\nexport = w.createLogger({});\n",
        "services/a/x.ts": "import log = require('./lib/logger');\n",
        "services/a/y.ts": "import log = require('./lib/logger');\n",
        "services/a/late.ts": ("import fs = require('fs');\nconsole.log(fs.EOL);\n"
                               "import log = require('./lib/logger');\n"),
        "services/a/early.ts": "import log = require('./lib/logger');\nconsole.log(1);\n",
        "services/b/package.json": "{}",
        "services/b/x.js": "const { logger } = require('@s/shared');\n",
        "services/b/late.js": "'use strict';\n\nconsole.log(1);\nconst { logger, db } = require('@s/shared');\n",
        "services/b/child.js": "console.log(1);\nconst log = require('./lib/logger').child({ m: 1 });\n",
        "services/c/package.json": "{}",
        "services/c/x.ts": "import { logger } from '@s/shared';\n",
        "services/c/esm.ts": "console.log(1);\nimport { logger } from '@s/shared';\n",
        "services/c/esm.mts": "console.log(1);\nimport { logger } from '@s/shared';\n",
        "services/e/package.json": '{"type": "module"}',
        "services/e/x.ts": "import { logger } from '@s/shared';\n",
        "services/e/esm.ts": "console.log(1);\nimport { logger } from '@s/shared';\n",
        "services/d/package.json": "{}",
        "services/d/x.ts": "import { createServiceLogger } from '@s/log';\n\nconst log = createServiceLogger('d');\n",
        "services/d/late.ts": ("import { createServiceLogger } from '@s/log';\n\nconsole.log(1);\n"
                               "const log = createServiceLogger('d');\n"),
    })
    binding, text = _added(repo, "services/a/late.ts")
    assert binding == "appLogger"
    assert text == ("import fs = require('fs');\nimport appLogger = require('./lib/logger');\nconsole.log(fs.EOL);\n"
                    "import log = require('./lib/logger');\n")
    assert logger.logger_for(repo.file("services/a/early.ts"), logger.infer(repo)) == logger.FileLogger("log", None)
    binding, text = _added(repo, "services/b/late.js")
    assert binding == "appLogger"
    assert text == ("'use strict';\n\nconst { logger: appLogger } = require('@s/shared');\n\nconsole.log(1);\n"
                    "const { logger, db } = require('@s/shared');\n")
    binding, text = _added(repo, "services/b/child.js")
    assert binding == "logger"
    assert text.startswith("const { logger } = require('@s/shared');\n\nconsole.log(1);\n")
    # tsc's CommonJS output does not hoist an ES import: it is a `require` where it stands
    binding, text = _added(repo, "services/c/esm.ts")
    assert binding == "appLogger"
    assert text == ("import { logger as appLogger } from '@s/shared';\n\nconsole.log(1);\n"
                    "import { logger } from '@s/shared';\n")
    # an ES module package's TypeScript (and .mts) imports are hoisted: the import is used
    assert logger.logger_for(repo.file("services/e/esm.ts"), logger.infer(repo)) == logger.FileLogger("logger", None)
    assert logger.logger_for(repo.file("services/c/esm.mts"), logger.infer(repo)) == logger.FileLogger("logger", None)
    binding, text = _added(repo, "services/d/late.ts")
    assert binding == "appLogger"
    assert text == ("import { createServiceLogger } from '@s/log';\n\nconst appLogger = createServiceLogger('d');\n\n"
                    "console.log(1);\nconst log = createServiceLogger('d');\n")


def test_a_namespace_import_gives_only_a_logger_object(tmp_path: Path) -> None:
    """`ns.<name>` of a module imported whole only when <name> is a logger object: made by a
    logging library or a factory, a child of one, or the convention's logger re-exported;
    not a function (`export const log = (m) => console.log(m)`: no `.warn`)."""
    logger_module = {
        "fn": "export const log = (msg: string): void => {\n  console.log(msg);\n};\n",
        "function": "export const logger = function (msg: string) { console.log(msg); };\n",
        "declared": "export function log(msg: string) { console.log(msg); }\n",
        "made": "import winston from 'winston';\nconst made = winston.createLogger({});\nexport { made as logger };\n",
        "typed": "import { logger as base } from '@s/shared';\nexport const logger: Logger = base.child({ m: 1 });\n",
        "pino": "const pino = require('pino');\nconst logger = pino();\nmodule.exports = { logger, level: 'info' };\n",
        "child": "exports.log = require('@s/shared').logger.child({ m: 1 });\n",
        "reexport": ("import { logger } from '@s/shared';\nexport function log(m: string) { logger.info(m); }\n"
                     "export { logger };\n"),
        "alias": "import { logger as base } from '@s/shared';\nexport const logger = base;\n",
        "other": "import { logger as base } from './wrapper';\nexport const logger = base;\n",
    }
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/x.ts": "import { logger } from '@s/shared';\n",
        **{f"services/a/{name}/logger.ts": text for name, text in logger_module.items()},
        **{f"services/a/{name}/use.ts": "import * as L from './logger';\nconsole.warn(1);\n" for name in logger_module},
    })
    conventions = logger.infer(repo)
    found = {name: logger.logger_for(repo.file(f"services/a/{name}/use.ts"), conventions).binding
             for name in logger_module}
    assert found == {"fn": "logger", "function": "logger", "declared": "logger", "made": "L.logger",
                     "typed": "L.logger", "pino": "L.logger", "child": "L.log", "reexport": "L.logger",
                     "alias": "L.logger", "other": "logger"}


def test_import_equals_only_where_typescript_compiles_to_commonjs(tmp_path: Path) -> None:
    """The import-equals convention is written only in TypeScript that compiles to CommonJS:
    not in a `.ts`/`.tsx` file under a package.json with `"type": "module"` (the nearest one
    decides) or a tsconfig.json whose `module` (or that of a config it extends) is an ES one;
    an ES import there, its relative specifier naming its file as ESM wants (`.js`); a `.cts`
    file always takes it. Where nothing is an ES module, the convention carries no scopes."""
    files = {
        "services/a/package.json": '{ "type": "module" }',
        "services/a/lib/logger.ts": "import w = require('winston');\nexport = w.createLogger({});\n",
        "services/a/x.ts": "import logger = require('./lib/logger');\n",
        "services/a/y.ts": "import logger = require('./lib/logger');\n",
        "services/a/z.ts": "export const z = 1;\n",
        "services/a/v.tsx": "export const v = 1;\n",
        "services/a/c.cts": "export const c = 1;\n",
        "services/a/es/tsconfig.base.json": '{ "compilerOptions": { "module": "ESNext", }, // ES modules\n}\n',
        "services/a/es/tsconfig.json": '{ "extends": "./tsconfig.base" }\n',
        "services/a/es/cjs/tsconfig.json": '{ "compilerOptions": { "module": "commonjs" } }\n',
        "services/a/es/cjs/e.ts": "export const e = 1;\n",
    }
    repo = _repo(tmp_path, files)
    _, text = _added(repo, "services/a/z.ts")
    assert text.startswith("import logger from './lib/logger.js';\n")
    convention = logger.infer(repo)["services/a"]
    assert convention.equals and convention.esm_scopes
    _, text = _added(repo, "services/a/v.tsx")
    assert text.startswith("import logger from './lib/logger.js';\n")
    _, text = _added(repo, "services/a/c.cts")
    assert text.startswith("import logger = require('./lib/logger');\n")
    _, text = _added(repo, "services/a/es/cjs/e.ts")  # its package is an ES module one all the same
    assert text.startswith("import logger from '../../lib/logger.js';\n")
    repo = _repo(tmp_path / "commonjs", {**files, "services/a/package.json": "{}",
                                         "services/a/es/tsconfig.base.json": "{}"})
    convention = logger.infer(repo)["services/a"]
    assert convention.equals and convention.esm_scopes == ()
    _, text = _added(repo, "services/a/z.ts")
    assert text.startswith("import logger = require('./lib/logger');\n")
    # the nearest package.json decides, as Node's does
    scopes = (("", "package", True), ("services/b", "package", False), ("services/b/es", "tsconfig", True))
    assert logger._in_es_module_scope("services/a/x.ts", scopes)
    assert not logger._in_es_module_scope("services/b/x.ts", scopes)
    assert logger._in_es_module_scope("services/b/es/x.ts", scopes)


def test_a_js_es_module_names_the_file_it_imports_whatever_the_conventions_spelling(tmp_path: Path) -> None:
    """Under `"type": "module"` Node resolves `./logger` to nothing (ERR_MODULE_NOT_FOUND):
    the convention, read from CommonJS files' `require('./logger')`, gets the `.js` there;
    a CommonJS package's file keeps the convention's spelling."""
    files = {
        "services/a/src/logger.js": "const winston = require('winston');\nmodule.exports = { logger: winston.createLogger({}) };\n",
        "services/a/src/x.js": "const { logger } = require('./logger');\nlogger.info('x');\n",
        "services/a/src/run.js": "console.log('started');\n",
    }
    esm = _repo(tmp_path / "esm", {**files, "services/a/package.json": '{"type": "module"}\n'})
    _, text = _added(esm, "services/a/src/run.js")
    assert text.startswith("import { logger } from './logger.js';\n")
    cjs = _repo(tmp_path / "cjs", {**files, "services/a/package.json": "{}\n"})
    _, text = _added(cjs, "services/a/src/run.js")
    assert text.startswith("const { logger } = require('./logger');\n")


def test_a_name_exported_from_a_list_is_a_function_by_its_local_top_level_declaration(tmp_path: Path) -> None:
    """`export { x as log }` exports x: its declaration decides, and only one at the top level
    (a helper `log` inside a function body is no export)."""
    repo = _repo(tmp_path, {
        "src/renamed.ts": "const logger = make();\nfunction run() {\n  const log = (o: string) => o;\n}\nexport { logger as log };\n",
        "src/function.ts": "function made(): Console {\n  return console;\n}\nexport { made as log };\n",
        "src/plain.ts": "export const log = (level: string) => level;\nexport { log as other };\n",
    })
    assert not logger.exported_as_function(repo, "src/renamed.ts", "log")
    assert logger.exported_as_function(repo, "src/function.ts", "log")
    assert logger.exported_as_function(repo, "src/plain.ts", "log")
    assert not logger.exported_as_function(repo, "src/plain.ts", "other")


def test_a_tests_import_has_no_say_and_a_test_module_is_never_the_logger(tmp_path: Path) -> None:
    """Three tests import a silent test double (unleash's `test/fixtures/no-logger.js`): it is
    not the service's logger, and service code never imports from test/ (its logs would go nowhere)."""
    double = "const noLogger = { info() {}, warn() {}, error() {} };\nexport default noLogger;\n"
    test = "import noLogger from '../test/fixtures/no-logger.js';\nnoLogger.info('x');\n"
    files = {"services/a/package.json": '{ "type": "module" }',
             "services/a/src/test/fixtures/no-logger.js": double,
             **{f"services/a/src/lib/t{n}.test.js": test for n in range(3)},
             "services/a/src/lib/server.js": "console.log('up');\n"}
    assert logger.infer(_repo(tmp_path / "one", files)) == {}
    # (and a module under test/ loses even where service code imports it)
    files["services/a/src/lib/boot.js"] = test
    assert logger.infer(_repo(tmp_path / "two", files)) == {}
    files["services/a/src/lib/log.js"] = "export const logger = makeIt();\n"
    files["services/a/src/lib/orders.js"] = "import { logger } from './log.js';\n"
    conventions = logger.infer(_repo(tmp_path / "three", files))
    assert {c.target for c in conventions.values()} == {"services/a/src/lib/log.js"}


def test_a_logger_imported_through_a_path_alias_is_no_other_services(tmp_path: Path) -> None:
    """`@utils/logger` names users' src/utils/logger.ts through users' tsconfig only: a service
    whose tsconfig does not say so gets no import of it (it would not resolve there)."""
    tsconfig = '{ "compilerOptions": { "baseUrl": "src", "paths": { "@utils/*": ["utils/*"] } } }'
    repo = _repo(tmp_path, {
        "services/users/package.json": "{}", "services/users/tsconfig.json": tsconfig,
        "services/users/src/utils/logger.ts": "export const logger = makeIt();\n",
        "services/users/src/a.ts": "import { logger } from '@utils/logger';\n",
        "services/users/src/b.ts": "console.log('b');\n",
        "services/auth/package.json": "{}", "services/auth/src/c.ts": "console.log('c');\n",
    })
    conventions = logger.infer(repo)
    assert conventions[None].aliased == "services/users/src/utils/logger.ts"
    assert logger.convention_for(repo, "services/users/src/b.ts", conventions) == conventions[None]
    assert logger.convention_for(repo, "services/auth/src/c.ts", conventions) is None
    assert logger.resolve_import(repo, "services/users/src/b.ts", "@utils/logger") == "services/users/src/utils/logger.ts"


def test_a_default_export_of_a_function_by_its_name_is_no_logger(tmp_path: Path) -> None:
    """unleash's `const requestLogger = (config) => …; export default requestLogger;`: a
    request-logging middleware, whose `.warn` is undefined."""
    repo = _repo(tmp_path, {
        "services/a/package.json": "{}",
        "services/a/src/middleware/request-logger.js":
            "const requestLogger = (config) => (req, res, next) => next();\nexport default requestLogger;\n",
        "services/a/src/app.js": "import requestLogger from './middleware/request-logger.js';\n",
    })
    assert logger.exported_as_function(repo, "services/a/src/middleware/request-logger.js", "default")
    assert logger.infer(repo) == {}


def test_a_logger_got_from_a_function_is_said_so(tmp_path: Path) -> None:
    """directus: `import { useLogger } from '../logger/index.js'`, `useLogger().info(…)` — no
    logger to import, but not "no logger is imported anywhere"."""
    module = "let cached;\nexport const useLogger = () => (cached ??= pino());\n"
    repo = _repo(tmp_path, {
        "services/d/package.json": '{ "type": "module" }',
        "services/d/src/logger/index.js": module,
        "services/d/src/a.js": "import { useLogger } from './logger/index.js';\nuseLogger().info('a');\n",
        "services/d/src/b.js": "import { useLogger } from './logger/index.js';\nconsole.log('b');\n",
    })
    assert logger.infer(repo) == {}
    assert logger.logger_functions(repo) == {"services/d": ("services/d/src/logger/index.js", "useLogger", 2),
                                             None: ("services/d/src/logger/index.js", "useLogger", 2)}
    found = logger.logger_for(repo.file("services/d/src/b.js"), {})
    assert found.binding is None and "calling `useLogger()` of services/d/src/logger/index.js (2 file(s))" in found.reason


def test_a_file_that_names_its_imports_files_names_the_loggers_too(tmp_path: Path) -> None:
    """A convention spelled with no extension (`./logger`, from files of a bundler build) is
    written as the file spells its own relative imports: `./logger.js` beside `./util.js`
    (NodeNext: TS2835 without it), `./logger.ts` beside `./types.ts`; type-only imports, erased,
    have no say, and a file that spells none keeps the convention's."""
    repo = _repo(tmp_path, {
        "services/a/package.json": '{"type": "module"}\n',
        "services/a/src/logger.ts": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "services/a/src/util.ts": "export const util = 1;\n",
        "services/a/src/x.ts": "import { logger } from './logger';\nlogger.info('x');\n",
        "services/a/src/compiled.ts": "import { util } from './util.js';\n",
        "services/a/src/source.ts": "import { util } from './util.ts';\n",
        "services/a/src/typed.ts": "import type { util } from './util.ts';\nimport { x } from './util';\n",
    })
    assert _added(repo, "services/a/src/compiled.ts")[1].endswith("import { logger } from './logger.js';\n")
    assert _added(repo, "services/a/src/source.ts")[1].endswith("import { logger } from './logger.ts';\n")
    assert _added(repo, "services/a/src/typed.ts")[1].endswith("import { logger } from './logger';\n")


def test_the_compiled_spelling_of_a_module_is_its_output_files() -> None:
    for target, spelled in (("src/logger.mts", "./logger.mjs"), ("src/logger.cts", "./logger.cjs"),
                            ("src/logger/index.ts", "./logger/index.js")):
        convention = logger.LoggerImport(target, "logger", "logger", target)
        assert logger.specifier(convention, "src/x.ts", habit="compiled") == spelled
        assert logger.specifier(convention, "src/x.ts", habit="source") == "./" + target[len("src/"):]


@pytest.mark.parametrize("source, bunyan", [
    (b"const bunyan = require('bunyan');\nmodule.exports = bunyan.createLogger({ name: 'api' });\n", True),
    (b"import Bunyan from 'bunyan';\nexport const log = Bunyan.createLogger({ name: 'api' });\n", True),
    (b"import { createLogger } from 'bunyan';\nexport const log = createLogger({ name: 'api' });\n", True),
    (b"module.exports = require('bunyan').createLogger({ name: 'api' });\n", True),
    (b"import winston from 'winston';\nimport bunyan from 'bunyan';\nexport const log = winston.createLogger({});\n", False),
    (b"import winston from 'winston';\nexport const log = winston.createLogger({});\n", False),
])
def test_a_bunyan_logger_takes_pinos_order(source: bytes, bunyan: bool) -> None:
    assert logger.makes_bunyan(source) is bunyan


def test_commonjs_never_requires_an_es_module_logger(tmp_path: Path) -> None:
    """A CommonJS file cannot `require()` an ES module on every Node 20: no import is written,
    the reason says what to do; a CommonJS logger module is required as before."""
    repo = _repo(tmp_path, {
        "services/a/package.json": '{ "name": "a" }',
        "services/a/src/logger.mjs": "import winston from 'winston';\nexport default winston.createLogger({});\n",
        "services/a/src/index.mjs": "import logger from './logger.mjs';\nlogger.info('up');\n",
        "services/a/src/legacy.js": "module.exports = () => console.log('x');\n",
        "services/b/package.json": '{ "name": "b", "type": "module" }',
        "services/b/src/logger.cjs": "const winston = require('winston');\nmodule.exports = winston.createLogger({});\n",
        "services/b/src/index.js": "import logger from './logger.cjs';\nlogger.info('up');\n",
        "services/b/src/legacy.cjs": "module.exports = () => console.log('x');\n",
    })
    conventions = logger.infer(repo)
    found = logger.logger_for(repo.file("services/a/src/legacy.js"), conventions)
    assert found.binding is None and found.edit is None
    assert found.reason.startswith("the logger module services/a/src/logger.mjs is an ES module, which this CommonJS "
                                   "file cannot `require()` on every Node 20"), found.reason
    found = logger.logger_for(repo.file("services/b/src/legacy.cjs"), conventions)
    assert found.binding == "logger" and "require('./logger.cjs')" in found.edit.text


def test_a_workspace_packages_entry_is_read_from_its_exports(tmp_path: Path) -> None:
    """`exports` as a string, `exports["."]` as a string or conditions (nested too), a subpath's,
    each built file mapped to its source; `main` as before; declaration files are no entry."""
    repo = _repo(tmp_path, {
        "package.json": '{ "name": "root", "workspaces": ["libs/*"] }',
        "libs/a/package.json": '{ "name": "@x/a", "exports": "./dist/index.js" }',
        "libs/a/src/index.ts": "export const logger = 1;\n",
        "libs/b/package.json": '{ "name": "@x/b", "exports": { ".": "./dist/logger.mjs", "./child": "./dist/child.cjs" } }',
        "libs/b/src/logger.ts": "export const logger = 1;\n",
        "libs/b/src/child.ts": "export const child = 1;\n",
        "libs/c/package.json": '{ "name": "@x/c", "exports": { ".": { "import": { "types": "./dist/log.d.mts", '
                               '"default": "./dist/log.mjs" }, "require": "./dist/log.cjs" } } }',
        "libs/c/src/log.ts": "export const logger = 1;\n",
        "libs/d/package.json": '{ "name": "@x/d", "exports": { "types": "./dist/main.d.ts", "default": "./dist/main.js" } }',
        "libs/d/src/main.ts": "export const logger = 1;\n",
        "libs/e/package.json": '{ "name": "@x/e", "main": "./build/e.js" }',
        "libs/e/src/e.ts": "export const logger = 1;\n",
    })
    assert logger.package_entry(repo, "@x/a") == "libs/a/src/index.ts"
    assert logger.package_entry(repo, "@x/b") == "libs/b/src/logger.ts"
    assert logger.package_entry(repo, "@x/b/child") == "libs/b/src/child.ts"
    assert logger.package_entry(repo, "@x/c") == "libs/c/src/log.ts"
    assert logger.package_entry(repo, "@x/d") == "libs/d/src/main.ts"
    assert logger.package_entry(repo, "@x/e") == "libs/e/src/e.ts"
    assert logger.workspace_packages(repo) == {f"@x/{n}": f"libs/{n}" for n in "abcde"}


def test_a_path_alias_of_a_tsconfig_named_otherwise(tmp_path: Path) -> None:
    """`paths` in tsconfig.base.json, extended by an app's tsconfig.app.json (no tsconfig.json):
    the alias resolves, from the app's files and from the root's."""
    repo = _repo(tmp_path, {
        "tsconfig.base.json": '{ "compilerOptions": { "baseUrl": ".", "paths": { "@acme/*": ["libs/*/src"] } } }',
        "apps/api/tsconfig.app.json": '{ "extends": "../../tsconfig.base.json" }',
        "apps/api/tsconfig.spec.json": '{ "compilerOptions": { "paths": {} } }',
        "apps/api/src/main.ts": "console.log('x');\n",
        "libs/logger/src/index.ts": "export const logger = 1;\n",
    })
    assert logger.alias_target(repo, "apps/api/src/main.ts", "@acme/logger") == "libs/logger/src/index.ts"
    assert logger.alias_target(repo, "main.ts", "@acme/logger") == "libs/logger/src/index.ts"


def test_pnpm_never_imports_an_undeclared_workspace_package(tmp_path: Path) -> None:
    """Under pnpm (`packageManager`, no pnpm-workspace.yaml here) a workspace package the file's
    package does not declare is not imported: the reason says what to declare."""
    repo = _repo(tmp_path, {
        "package.json": '{ "name": "root", "packageManager": "pnpm@9.15.9" }',
        "libs/logger/package.json": '{ "name": "@acme/logger", "main": "src/index.ts" }',
        "libs/logger/src/index.ts": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "services/a/package.json": '{ "name": "a", "dependencies": { "@acme/logger": "workspace:*" } }',
        "services/a/src/index.ts": "import { logger } from '@acme/logger';\nlogger.info('up');\n",
        "services/b/package.json": '{ "name": "b" }',
        "services/b/src/index.ts": "console.log('x');\n",
    })
    found = logger.logger_for(repo.file("services/b/src/index.ts"), logger.infer(repo))
    assert found.binding is None and found.edit is None
    assert '`"@acme/logger": "workspace:*"`' in found.reason and "services/b/package.json" in found.reason


# --- winston's default logger (`winston.info(…)`), NodeBB's way -----------------------------------

_MORGAN_WRAPPER = ("'use strict';\n\nvar morgan = require('morgan');\n\nvar Logger = module.exports;\n\n"
                   "Logger.init = function (app) {\n\tapp.use(morgan('combined'));\n};\n")


def test_winstons_default_logger_is_the_convention_over_a_module_named_logger_with_no_level_method(tmp_path: Path) -> None:
    """NodeBB: `winston.info(…)` in its files, and src/logger.js, a morgan wrapper imported as
    `logger` (`logger.init(app)`), here by more files than log through winston: the wrapper has no
    `.info`, so it is never the convention, nor a file's logger; winston's default logger is."""
    repo = _repo(tmp_path, {
        "services/forum/package.json": '{ "name": "forum", "dependencies": { "winston": "^2.4.0", "morgan": "1" } }',
        "services/forum/src/logger.js": _MORGAN_WRAPPER,
        "services/forum/src/a.js": "var logger = require('./logger');\nlogger.init(app);\n",
        "services/forum/src/b.js": "var logger = require('./logger');\nlogger.init(app);\n",
        "services/forum/src/c.js": "var logger = require('./logger');\nvar winston = require('winston');\n\n"
                                   "logger.init(app);\nwinston.info('up');\nconsole.log('x');\n",
        "services/forum/src/d.js": "'use strict';\n\nvar logger = require('./logger');\n\nlogger.init(app);\nconsole.log('y');\n",
    })
    conventions = logger.infer(repo)
    convention = conventions["services/forum"]
    assert (convention.module, convention.local, convention.target) == ("winston", "winston", None)
    assert convention.describe() == "winston's default logger, `winston.info(…)` of `winston` (1 file(s))"
    assert _added(repo, "services/forum/src/c.js") == ("winston", repo.file("services/forum/src/c.js").data.decode())
    binding, text = _added(repo, "services/forum/src/d.js")
    assert binding == "winston"
    assert text == "'use strict';\n\nvar logger = require('./logger');\nconst winston = require('winston');\n\n" \
                   "logger.init(app);\nconsole.log('y');\n"


def test_a_few_winston_default_logger_calls_do_not_outvote_the_services_logger_module(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "services/api/package.json": '{ "name": "api", "dependencies": { "winston": "3" } }',
        "services/api/src/logger.js": "const winston = require('winston');\n"
                                      "module.exports = winston.createLogger({ transports: [new winston.transports.Console()] });\n",
        "services/api/src/a.js": "const logger = require('./logger');\nlogger.info('a');\n",
        "services/api/src/b.js": "const logger = require('./logger');\nlogger.info('b');\n",
        "services/api/src/c.js": "const winston = require('winston');\nwinston.info('c');\n",
    })
    assert logger.infer(repo)["services/api"].target == "services/api/src/logger.js"
    assert not logger.exports_no_logger(repo, "services/api/src/logger.js")


def test_configuring_winstons_default_logger_is_no_vote_and_its_changed_levels_are_those_called(tmp_path: Path) -> None:
    """`winston.add(…)` alone logs nothing: no vote. `winston.configure({ levels })` (winston 3) may
    take `warn` away while `winston.warn` stays exported (a TypeError then): the level methods
    fixer may write are those the repository calls on it."""
    files = {
        "services/a/package.json": '{ "name": "a", "dependencies": { "winston": "3" } }',
        "services/a/src/app.js": "const winston = require('winston');\nwinston.add(new winston.transports.Console());\n",
    }
    assert logger.infer(_repo(tmp_path / "one", files)) == {}
    files["services/a/src/app.js"] += ("winston.configure({\n  levels: winston.config.syslog.levels,\n"
                                       "  transports: [new winston.transports.Console()],\n});\nwinston.info('up');\n"
                                       "winston.error('down');\n")
    repo = _repo(tmp_path / "two", files)
    assert logger.infer(repo)["services/a"].module == "winston"
    assert ("winston", "*", "structured", "winston's default logger", ("error", "info")) in logger.logger_shapes(repo)


@pytest.mark.parametrize("code, none", [
    (_MORGAN_WRAPPER, True),  # NodeBB's src/logger.js
    ("var L = {};\nL.init = function () {};\nL.monitorConfig = function () {};\nmodule.exports = L;\n", True),
    ("exports.init = function () {};\nmodule.exports.io = function () {};\n", True),
    ("var L = module.exports;\nL.init = function () {};\nL.info = function (m) { console.log(m); };\n", False),
    ("var L = module.exports;\nL.stream = { write: function () {} };\n", False),  # morgan's stream of a logger
    ("exports.logger = require('./winston');\n", False),  # the logger, by name
    ("module.exports = require('winston').createLogger({});\nmodule.exports.init = function () {};\n", False),
    ("module.exports = { init: function () {} };\n", False),  # (an object literal: not read)
    ("export function init() {}\n", False),
])
def test_a_module_that_plainly_exports_no_level_method(tmp_path: Path, code: str, none: bool) -> None:
    repo = _repo(tmp_path, {"src/logger.js": code})
    assert logger.exports_no_logger(repo, "src/logger.js") is none


@pytest.mark.parametrize("code, votes", [
    ("var winston = require('winston');\nwinston.info('up');\n", [(("winston", "default", None, "", False), "winston")]),
    ("import * as log from 'winston';\nlog . warn('x');\n", [(("winston", "*", None, "", False), "log")]),
    ("import winston, { format } from 'winston';\nwinston.error('x');\n", [(("winston", "default", None, "", False), "winston")]),
    ("import winston = require('winston');\nwinston.debug('x');\n", [(("winston", "default", None, "", True), "winston")]),
    ("const winston = require('winston');\nmodule.exports = winston.createLogger({});\n", []),  # makes a logger
    ("const { info } = require('winston');\ninfo('x');\n", []),  # (not the module: not read)
])
def test_the_files_that_log_through_winstons_default_logger(tmp_path: Path, code: str, votes: list) -> None:
    repo = _repo(tmp_path, {"src/a.ts": code})
    assert list(logger.votes_of(repo.file("src/a.ts")).imports) == votes


# --- a winston format that prints no meta (`meta_dropped`) --------------------------------------------


@pytest.mark.parametrize("code, dropped", [
    # typescript-express-starter's logger: the fields it names, and nothing else of the info object
    ("const f = winston.format.printf(({ timestamp, level, message }) => `${timestamp} ${level}: ${message}`);\n",
     (1, ("level", "message", "timestamp"), True)),
    ("const f = format.printf((info) => `${info.level}: ${info.message}`);\n", (1, ("level", "message"), True)),
    ("const f = format.printf(function ({ level, message, stack }) { return `${level}: ${stack || message}`; });\n",
     (1, ("level", "message", "stack"), True)),
    # beside a format that prints meta (production's json): it drops meta only where it is used
    ("const f = isProduction ? format.json() : format.printf(({ level, message }: any) => `${level}: ${message}`);\n",
     (1, ("level", "message"), False)),
    # the rest, or the whole info object, may print: nothing is said
    ("const f = format.printf(({ level, message, ...meta }) => `${level}: ${message} ${JSON.stringify(meta)}`);\n", None),
    ("const f = format.printf((info) => `${info.level}: ${JSON.stringify(info)}`);\n", None),
    ("const f = format.printf(({ level, message, [SPLAT]: rest }) => `${level}: ${message}`);\n", None),
    ("const f = format.printf(lineOf);\n", None),  # (a callback fixer cannot read)
    ("const f = format.combine(format.timestamp(), format.json());\n", None),
])
def test_a_printf_format_that_prints_only_the_fields_it_names(tmp_path: Path, code: str, dropped: tuple | None) -> None:
    repo = _repo(tmp_path, {"src/logger.ts": "import winston, { format } from 'winston';\n" + code})
    found = logger.meta_dropped(repo.file("src/logger.ts"))
    assert (found if found is None else (found.line - 1, found.fields, found.only)) == dropped


# --- a CommonJS file and an ES module logger package (TypeScript's `module`, a package's `exports`) ---------


_NX_LOGGER = ('{ "name": "@nx/logger", "type": "module", "main": "./dist/index.js", "types": "./dist/index.d.ts", '
              '"exports": { ".": { "development": "./src/index.ts", "types": "./dist/index.d.ts", '
              '"import": "./dist/index.js", "default": "./dist/index.js" } } }')


def _nx_workspace(tmp_path: Path, module: str, logger_package: str = _NX_LOGGER, extra: dict | None = None) -> Repo:
    """An Nx-style npm workspace: an ES module app that imports the logger package, a CommonJS app
    (no "type") that declares it, both compiled with `module` as given by tsconfig.base.json."""
    return _repo(tmp_path, {
        "package.json": '{ "name": "@nx/source", "private": true, "workspaces": ["apps/*", "libs/*"] }',
        "tsconfig.base.json": '{ "compilerOptions": { "module": "%s", "target": "es2022", "strict": true } }' % module,
        "libs/logger/package.json": logger_package,
        "libs/logger/tsconfig.json": '{ "extends": "../../tsconfig.base.json", "include": ["src/**/*.ts"] }',
        "libs/logger/src/index.ts": "import { pino } from 'pino';\n\nexport const logger = pino();\n",
        "apps/orders/package.json": '{ "name": "@nx/orders", "type": "module", "dependencies": { "@nx/logger": "*" } }',
        "apps/orders/tsconfig.json": '{ "extends": "../../tsconfig.base.json", "include": ["src/**/*.ts"] }',
        "apps/orders/src/main.ts": "import { logger } from '@nx/logger';\n\nlogger.info('orders up');\n",
        "apps/orders/src/routes.ts": "export const route = () => console.log('route');\n",
        "apps/inventory/package.json": '{ "name": "@nx/inventory", "dependencies": { "@nx/logger": "*" } }',
        "apps/inventory/tsconfig.json": '{ "extends": "../../tsconfig.base.json", "include": ["src/**/*.ts"] }',
        "apps/inventory/src/main.ts": "console.log('inventory up');\n",
        **(extra or {}),
    })


def test_a_commonjs_typescript_file_under_nodenext_gets_no_import_of_an_es_module_package(tmp_path: Path) -> None:
    """Nx's layout: the lib is `"type": "module"` and exports no CommonJS entry, the node app is
    CommonJS (no "type"), `module: nodenext`: tsc fails with TS1479 on the import (and Node before
    20.19 with ERR_REQUIRE_ESM), so the app's file is reported, saying what to do; the ES module
    app still gets the import, and so do a .mts file of the CommonJS app and a .js file there."""
    repo = _nx_workspace(tmp_path, "nodenext", extra={
        "apps/inventory/src/worker.mts": "console.log('worker');\n",
        "apps/inventory/src/legacy.cts": "console.log('legacy');\n",
        "apps/inventory/src/old.js": "const x = require('./x');\nconsole.log(x);\n",
    })
    conventions = logger.infer(repo)
    found = logger.logger_for(repo.file("apps/inventory/src/main.ts"), conventions)
    assert found.binding is None and found.edit is None
    assert found.reason.startswith("the logger package `@nx/logger` is an ES module (`require()` of it loads "
                                   "libs/logger/dist/index.js"), found.reason
    assert "TS1479" in found.reason and "`await import()`" in found.reason and ".mts" in found.reason, found.reason
    for path in ("apps/inventory/src/legacy.cts", "apps/inventory/src/old.js"):
        found = logger.logger_for(repo.file(path), conventions)
        assert found.edit is None and "is an ES module" in found.reason, (path, found.reason)
    assert _added(repo, "apps/orders/src/routes.ts")[1].startswith("import { logger } from '@nx/logger';\n")
    assert _added(repo, "apps/inventory/src/worker.mts")[1].startswith("import { logger } from '@nx/logger';\n")


def test_what_tsc_compiles_a_commonjs_file_to_decides_the_es_module_logger_package(tmp_path: Path) -> None:
    """`module: commonjs`: tsc says nothing, but its `require()` cannot load the ES module on every
    Node 20: reported, advising a CommonJS entry (`await import()` compiles to `require()` there).
    `module: esnext` (a bundler): the file is compiled to ES imports, so it gets the import."""
    repo = _nx_workspace(tmp_path / "commonjs", "commonjs")
    found = logger.logger_for(repo.file("apps/inventory/src/main.ts"), logger.infer(repo))
    assert found.edit is None and "tsc (`module` commonjs) compiles its import to a `require()`" in found.reason \
        and "a CommonJS entry" in found.reason, found.reason
    repo = _nx_workspace(tmp_path / "esnext", "esnext")
    assert _added(repo, "apps/inventory/src/main.ts")[1].startswith("import { logger } from '@nx/logger';\n")


def test_a_logger_package_with_a_commonjs_entry_is_imported_by_commonjs_files(tmp_path: Path) -> None:
    """A `"type": "module"` package whose `exports` give `require()` a .cjs (types .d.cts too), and a
    CommonJS package: a CommonJS file under nodenext imports either (tsc: no error). One whose
    `types` comes first for `require()` too (a .d.ts of the `"type": "module"` package: TS1479,
    "masquerading as ESM"), or whose exports have no entry for `require()`, is reported."""
    dual = ('{ "name": "@nx/logger", "type": "module", "exports": { ".": { "import": { "types": "./dist/index.d.ts", '
            '"default": "./dist/index.js" }, "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" } } } }')
    commonjs = '{ "name": "@nx/logger", "main": "./dist/index.js", "types": "./dist/index.d.ts" }'
    for name, package in (("dual", dual), ("commonjs", commonjs)):
        repo = _nx_workspace(tmp_path / name, "nodenext", package)
        assert _added(repo, "apps/inventory/src/main.ts")[1].startswith("import { logger } from '@nx/logger';\n"), name
    types_first = ('{ "name": "@nx/logger", "type": "module", "exports": { ".": { "types": "./dist/index.d.ts", '
                   '"import": "./dist/index.js", "require": "./dist/index.cjs" } } }')
    import_only = '{ "name": "@nx/logger", "exports": { ".": { "types": "./dist/index.d.ts", "import": "./dist/index.js" } } }'
    for name, package, said in (("types-first", types_first, "tsc resolves its `require()` to libs/logger/dist/index.d.ts"),
                                ("import-only", import_only, "its `exports` give `require()` no entry")):
        repo = _nx_workspace(tmp_path / name, "nodenext", package)
        found = logger.logger_for(repo.file("apps/inventory/src/main.ts"), logger.infer(repo))
        assert found.edit is None and said in found.reason, (name, found.reason)


def test_the_tsconfig_module_kinds_are_in_the_convention_only_for_an_es_module_logger(tmp_path: Path) -> None:
    """What tsc compiles each directory's TypeScript to is part of the convention (a fix's context, so
    a changed tsconfig recomputes): for an ES module logger package only; a solution config
    (`"files": []`) and a test config compile nothing that counts."""
    repo = _nx_workspace(tmp_path / "esm", "nodenext", extra={
        "apps/inventory/tsconfig.spec.json": '{ "compilerOptions": { "module": "commonjs" } }',
        "tsconfig.json": '{ "files": [], "references": [{ "path": "apps/orders" }] }',
    })
    kinds = logger.infer(repo)[None].module_kinds
    assert dict(kinds) == {"": "node", "apps/inventory": "node", "apps/orders": "node", "libs/logger": "node"}, kinds
    repo = _nx_workspace(tmp_path / "cjs", "nodenext", '{ "name": "@nx/logger", "main": "./dist/index.js" }')
    assert logger.infer(repo)[None].module_kinds == ()


# --- errorsInMeta into a logger module that reads winston's format through its members (hC, session 17) ---


def _errors_in_meta_result(path: str, text: str) -> tuple[str | None, str | None]:
    from fixer.repo import SourceFile
    source_file = SourceFile(path, text.encode(), None)
    found, why = logger.errors_in_meta_edits(source_file)
    return (edits.apply(source_file.data, list(found)).decode() if found else None), why


def test_errors_in_meta_into_a_logger_that_reads_winstons_format_only_through_its_members() -> None:
    required = ("const { createLogger } = require('winston');\nconst { combine, json } = require('winston').format;\n\n"
                "module.exports = createLogger({ format: combine(json()) });\n")
    after, why = _errors_in_meta_result("logger.js", required)
    assert why is None and after is not None
    assert "const errorsInMeta = require('winston').format((info) => {" in after
    assert "format: combine(errorsInMeta(), json())" in after
    nested = ('const { createLogger, format: { combine, json } } = require("winston");\n\n'
              'module.exports = createLogger({ level: "info" });\n')
    after, why = _errors_in_meta_result("logger.js", nested)  # (no format: its own combine and json, not the require's)
    assert why is None and after is not None and "format: combine(errorsInMeta(), json()), level" in after
    aliased = ("const winston = require('winston');\nconst fmt = winston.format;\n\n"
               "module.exports = winston.createLogger({ format: fmt.combine(fmt.timestamp(), fmt.json()) });\n")
    after, why = _errors_in_meta_result("logger.js", aliased)
    assert why is None and after is not None and "fmt.combine(fmt.timestamp(), errorsInMeta(), fmt.json())" in after
    # TypeScript: `require(…)` is untyped there, so the added format's `(info) =>` would be an implicit any
    after, why = _errors_in_meta_result("logger.ts", required)
    assert after is None and why and "untyped" in why


def test_a_path_alias_applies_only_to_what_its_tsconfig_compiles(tmp_path: Path) -> None:
    # (the root tsconfig's `paths` alias `@acme/shared`, under `include` of two folders and no allowJs: a plain-JS
    # service Node runs as it is, outside `include`, resolves the name in node_modules, not through the alias)
    repo = _repo(tmp_path, {
        "tsconfig.base.json": '{ "compilerOptions": { "baseUrl": ".", "paths": { "@acme/shared": ["shared/src/index.ts"] } } }\n',
        "tsconfig.json": '{ "extends": "./tsconfig.base.json", "include": ["shared/src", "services/api/src"] }\n',
        "shared/src/index.ts": "export const x = 1;\n",
        "services/api/src/index.ts": "import { x } from '@acme/shared';\n",
        "services/api/scripts/seed.ts": "import { x } from '@acme/shared';\n",
        "services/legacy/index.js": "const { x } = require('@acme/shared');\n",
        "apps/web/tsconfig.json": '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }] }\n',
        "apps/web/tsconfig.app.json": '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "allowJs": true }, '
                                      '"include": ["src/**/*.js"], "exclude": ["src/legacy"] }\n',
        "apps/web/src/main.js": "import { x } from '@acme/shared';\n",
        "apps/web/src/legacy/old.js": "import { x } from '@acme/shared';\n",
    })
    assert logger.alias_target(repo, "services/api/src/index.ts", "@acme/shared") == "shared/src/index.ts"
    assert logger.alias_target(repo, "services/api/scripts/seed.ts", "@acme/shared") == "shared/src/index.ts"  # (base: `**/*`)
    assert logger.alias_target(repo, "services/legacy/index.js", "@acme/shared") is None  # (JavaScript: no allowJs)
    # (a solution config compiles nothing; its tsconfig.app.json compiles src/**/*.js, allowJs, less src/legacy)
    assert logger.alias_target(repo, "apps/web/src/main.js", "@acme/shared") == "shared/src/index.ts"
    assert logger.alias_target(repo, "apps/web/src/legacy/old.js", "@acme/shared") is None


def test_create_gives_a_service_without_a_usable_logger_its_own_for_console_to_logger_only(tmp_path: Path) -> None:
    # (`[logger] create = true` beside another service's private logger: the worker gets a module of its own to add;
    # `infer`, which every fix reads, does not name it: another fix's branch would import a module not there)
    repo = _repo(tmp_path, {
        "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n  worker:\n    build: ./services/worker\n",
        "services/api/package.json": '{ "name": "api", "main": "src/index.js", "dependencies": { "express": "4" } }\n',
        "services/api/src/logger.js": "const winston = require('winston');\nmodule.exports = winston.createLogger({});\n",
        "services/api/src/index.js": "const express = require('express');\nconst logger = require('./logger');\n"
                                     "express().listen(3000, () => logger.info('up'));\n",
        "services/worker/package.json": '{ "name": "worker", "main": "src/worker.js" }\n',
        "services/worker/src/worker.js": "console.log('tick');\n",
    }, toml="[logger]\ncreate = true\n")
    conventions = logger.infer(repo)
    assert "services/worker" not in conventions
    created = logger.created_for_services(repo, conventions)
    assert {scope: c.target for scope, c in created.items()} == {"services/worker": "services/worker/src/logger.js"}
    (tmp_path / ".fixer.toml").unlink()  # (without `create = true`: none)
    plain = _repo(tmp_path, {})
    assert logger.created_for_services(plain, logger.infer(plain)) == {}


def test_plain_js_gets_no_import_of_a_package_whose_entry_is_typescript(tmp_path: Path) -> None:
    # (`"main": "src/index.ts"`: `node index.js` would crash at start; the root's tsx is no runtime of the
    # legacy service, whose image has none of the root's packages; its own tsx is)
    files = {
        "package.json": '{ "name": "root", "private": true, "workspaces": ["shared", "services/*"], '
                        '"devDependencies": { "tsx": "4" } }\n',
        "shared/package.json": '{ "name": "@acme/shared", "main": "src/index.ts" }\n',
        "shared/src/index.ts": "import * as winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "services/legacy/package.json": '{ "name": "legacy", "main": "index.js", "dependencies": { "@acme/shared": "*" } }\n',
        "services/legacy/index.js": "const express = require('express');\nconsole.log('up');\n",
    }
    repo = _repo(tmp_path / "a", files, toml='[logger]\nmodule = "@acme/shared"\nimport = "logger"\n')
    found = logger.logger_for(repo.file("services/legacy/index.js"), logger.infer(repo))
    assert found.edit is None and "gives Node a TypeScript entry (shared/src/index.ts)" in (found.reason or "")
    files["services/legacy/package.json"] = ('{ "name": "legacy", "main": "index.js", "scripts": { "start": "tsx index.js" }, '
                                             '"dependencies": { "@acme/shared": "*", "tsx": "4" } }\n')
    repo = _repo(tmp_path / "b", files, toml='[logger]\nmodule = "@acme/shared"\nimport = "logger"\n')
    binding, text = _added(repo, "services/legacy/index.js")
    assert binding == "logger" and "require('@acme/shared')" in text


def test_a_workspace_logger_package_outside_a_services_image_is_not_its_logger(tmp_path: Path) -> None:
    # (compose `build: ./services/orders`: no install puts packages/logger in that image, and `npm ci` there would
    # fetch a registry package of that name; `_out_of_reach` returned early for a workspace package's name, so
    # `[logger] create = true` gave the service no module of its own either)
    files = {
        "package.json": '{ "name": "acme", "private": true, "workspaces": ["packages/*", "services/*"] }\n',
        "packages/logger/package.json": '{ "name": "@acme/logger", "version": "1.0.0", "main": "index.js" }\n',
        "packages/logger/index.js": "const winston = require('winston');\nexports.logger = winston.createLogger({});\n",
        "services/inventory/package.json": '{ "name": "inventory", "main": "src/index.js", '
                                           '"dependencies": { "@acme/logger": "1.0.0" } }\n',
        "services/inventory/src/index.js": "const { logger } = require('@acme/logger');\nlogger.info('up');\n",
        "services/orders/package.json": '{ "name": "orders", "main": "src/index.js" }\n',
        "services/orders/src/index.js": "console.log('up');\n",
        "services/web/package.json": '{ "name": "web", "main": "src/index.js" }\n',
        "services/web/src/index.js": "console.log('up');\n",
        "shared/logger.js": "const winston = require('winston');\nmodule.exports = winston.createLogger({});\n",
        "docker-compose.yml": "services:\n  orders:\n    build: ./services/orders\n  inventory:\n    build: ./services/inventory\n"
                              "  web:\n    build:\n      context: .\n      dockerfile: services/web/Dockerfile\n",
        "services/web/Dockerfile": "FROM node:20\nCOPY . .\nCMD [\"node\", \"services/web/src/index.js\"]\n",
    }
    repo = _repo(tmp_path / "a", files)
    conventions = logger.infer(repo)
    assert logger.convention_for(repo, "services/orders/src/index.js", conventions) is None
    assert logger.convention_for(repo, "services/web/src/index.js", conventions) is not None  # (built from the root)
    found = logger.logger_for(repo.file("services/orders/src/index.js"), conventions)
    assert found.edit is None and "is outside the image of this service" in (found.reason or "") \
        and "npm install" not in (found.reason or "")
    created = _repo(tmp_path / "b", files, toml="[logger]\ncreate = true\n")
    assert {scope: c.target for scope, c in logger.created_for_services(created, logger.infer(created)).items()} \
        == {"services/orders": "services/orders/src/logger.js"}
    # (a repository module reached by a relative path is held by no image built from the service's directory either)
    relative = dict(files, **{"services/inventory/src/index.js": "const logger = require('../../../shared/logger');\n"
                                                                 "logger.info('up');\n"})
    repo = _repo(tmp_path / "c", relative)
    conventions = logger.infer(repo)
    assert conventions[None].target == "shared/logger.js"
    assert logger.convention_for(repo, "services/orders/src/index.js", conventions) is None
    assert logger.convention_for(repo, "services/web/src/index.js", conventions) is not None


def test_a_file_with_no_logger_is_told_what_its_package_declares(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {
        "package.json": '{ "name": "acme", "private": true, "workspaces": ["packages/*", "services/*"] }\n',
        "packages/logger/package.json": '{ "name": "@acme/logger", "main": "index.js" }\n',
        "packages/logger/index.js": "const winston = require('winston');\nexports.logger = winston.createLogger({});\n",
        "services/a/package.json": '{ "name": "a", "main": "index.js", "dependencies": { "@acme/logger": "*" } }\n',
        "services/a/index.js": "console.log('up');\n",
        "services/b/package.json": '{ "name": "b", "main": "index.js", "dependencies": { "@nestjs/core": "10" } }\n',
        "services/b/index.js": "console.log('up');\n",
        "services/c/package.json": '{ "name": "c", "main": "index.js", "dependencies": { "moleculer": "0.14" } }\n',
        "services/c/index.js": "console.log('up');\n",
        "services/d/package.json": '{ "name": "d", "main": "index.js", "devDependencies": { "winston": "3" } }\n',
        "services/d/index.js": "console.log('up');\n",
    })
    assert logger.no_logger_reason(repo, "services/a/index.js") == logger.NONE_IMPORTED
    assert "declares `@acme/logger` (packages/logger), whose packages/logger/index.js:2 makes a logger" in \
        (logger.declared_logger(repo, "services/a/index.js") or "")
    assert "NestJS app" in (logger.declared_logger(repo, "services/b/index.js") or "")
    assert "`this.logger`" in (logger.declared_logger(repo, "services/c/index.js") or "")
    assert logger.declared_logger(repo, "services/d/index.js") is None  # (a dev dependency: not in the image)


def test_the_calls_a_fix_adds_leave_every_fix_context_as_it_was(tmp_path: Path) -> None:
    """What a logger takes, as the contexts of the fixes that write logger calls keep it, does not
    name a file whose calls showed it: console-to-logger's new calls in a file that sorts first
    would name that one, and the fix's idempotency check (and every later step of a plan) then
    found a context unlike the first run's and scanned every file again."""
    from fixer.runner import run_fix

    files = {
        "package.json": '{"name": "api", "dependencies": {"winston": "^3.11.0"}}\n',
        "src/logger.ts": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "src/z-orders.ts": "import { logger } from './logger';\nexport function f(id: string) {\n"
                           "  logger.info('order', { id });\n}\n",
        "src/a-users.ts": "import { logger } from './logger';\nexport function g(id: string) {\n"
                          "  logger.info('user');\n  console.log('user', id);\n}\n",
    }
    repo = _repo(tmp_path, files)
    fix = registry()["console-to-logger"]
    options = config_mod.options_for(fix.INFO, repo.config)
    run = run_fix(repo, fix, options)
    assert [p for p in run.changes] == ["src/a-users.ts"] and not run.problems
    assert b"logger.info('user', { id })" in run.changes["src/a-users.ts"].after
    fixed = repo.overlay({path: change.after for path, change in run.changes.items()})
    before, after = fix.prepare(repo, options), fix.prepare(fixed, options)
    assert before.shapes == after.shapes and before == after


def test_h1_a_class_a_module_exports_is_no_logger_unless_it_logs_itself(tmp_path: Path) -> None:
    """A class (`Logger.info(…)` on it is a TypeError) is exported as a default or by name in any
    of the ways modules write it; a class with a static level method may log itself."""
    repo = _repo(tmp_path, {
        "src/a.js": "class Logger {\n  info(m) { return m; }\n}\nexport default Logger;\n",
        "src/b.js": "module.exports = class Log extends Base {\n  info() {}\n};\n",
        "src/c.ts": "export default abstract class Log<T> implements Sink {\n  info(): void {}\n}\n",
        "src/d.ts": "class Log {}\nexport = Log;\n",
        "src/e.ts": "export class log {}\nexport const logger = new log();\n",
        "src/f.js": "class Log {}\nexport { Log as default };\n",
        "src/static.ts": "export default class Log {\n  static info(m: string): void {}\n}\n",
        "src/instance.js": "class Logger {}\nconst logger = new Logger();\nexport default logger;\n",
        "src/function.js": "export default function log(m) { return m; }\n",
    })
    for path in ("src/a.js", "src/b.js", "src/c.ts", "src/d.ts", "src/f.js"):
        assert logger.exported_as_class(repo, path, "default"), path
    assert logger.exported_as_class(repo, "src/e.ts", "log")
    assert not logger.exported_as_class(repo, "src/e.ts", "logger")
    assert not logger.exported_as_class(repo, "src/static.ts", "default")
    assert not logger.exported_as_class(repo, "src/instance.js", "default")
    assert not logger.exported_as_class(repo, "src/function.js", "default")


def test_h1_what_a_statement_only_keeps_or_loads_later_is_no_load_order(tmp_path: Path) -> None:
    """`load_order`: a lazy `require` in a function declaration, a type's `typeof import(…)` and a JSON
    file are no module loaded as the file loads; a function kept under a name (`module.exports = {
    run }`, `const debug = (…) => console.log(…)`) is not called by that; a call of it is."""
    cases = {
        "lazy.js": "module.exports = { run };\nfunction run() { console.log('x'); }\n"
                   "function later() { return require('semver'); }\n",
        "kept.js": "const debug = (...a) => console.log(...a);\nmodule.exports = { debug };\n"
                   "process.env.X = '1';\nrequire('./server');\n",
        "json.js": "Error.stackTraceLimit = 50;\nconst version = require('./package.json').version;\n"
                   "console.log(version);\n",
        "typed.ts": "Error.stackTraceLimit = 50;\nexport interface S { r: typeof import('./r') }\n"
                    "export const f = () => console.log('x');\n",
        "called.js": "const debug = (...a) => console.log(...a);\ndebug('boot');\n"
                     "process.env.X = '1';\nrequire('./server');\n",
        "passed.js": "function tick() { console.log('tick'); }\nprocess.env.X = '1';\n"
                     "[1, 2].forEach(tick);\nrequire('./server');\n",
    }
    repo = _repo(tmp_path, {f"src/{name}": text for name, text in cases.items()})
    orders = {name: logger.load_order(repo.file(f"src/{name}"), imports_in_place=True) for name in cases}
    for name in ("lazy.js", "kept.js", "json.js", "typed.ts"):
        assert orders[name].early == (), name
    assert orders["kept.js"].set_up == 3 and orders["kept.js"].first is None
    assert orders["json.js"].set_up == 0 and orders["typed.ts"].set_up == 0
    data = repo.file("src/called.js").data
    console = data.index(b"console")
    assert any(start <= console < end for start, end in orders["called.js"].early)
    data = repo.file("src/passed.js").data
    assert any(start <= data.index(b"console") < end for start, end in orders["passed.js"].early)


def test_h1_a_function_reached_through_what_holds_it_still_logs_as_the_module_loads(tmp_path: Path) -> None:
    """What `load_order` cannot follow counts as a call (when unsure, it may run): a member called by
    its name (`module.exports.gen()`), a name kept under another (`const g = gen; g()`), a method of
    an object called (`o.run()`), a class made there (`new (class {…})()`), a function assigned
    elsewhere (`exports.x = () => gen()`); an object kept under a name and not called is not."""
    tail = "process.env.X = '1';\nrequire('./s');\n"
    gen = "function gen() { console.log('g'); }\n"
    cases = {
        "member.js": gen + "module.exports = { gen };\nmodule.exports.gen();\n",
        "alias.js": gen + "const g = gen;\ng();\n",
        "method.js": "const o = { run() { console.log('x'); } };\no.run();\n",
        "made.js": gen + "new (class { constructor() { gen(); } })();\n",
        "assigned.js": gen + "exports.x = () => gen();\n",
        "kept.js": "const o = { run() { console.log('x'); } };\nmodule.exports = o;\n",
    }
    repo = _repo(tmp_path, {f"src/{name}": text + tail for name, text in cases.items()})
    for name in cases:
        data = repo.file(f"src/{name}").data
        order = logger.load_order(repo.file(f"src/{name}"), imports_in_place=True)
        assert any(start <= data.index(b"console") < end for start, end in order.early) == (name != "kept.js"), name


@pytest.mark.parametrize("source, pino", [
    (b"module.exports = require('pino')({ level: process.env.LOG_LEVEL || 'info' });\n", True),
    (b"const logger = require(\"pino\")();\nmodule.exports = logger;\n", True),
    (b"const log = require('pino').pino({ name: 'api' });\nexports.log = log;\n", True),
    (b"import pino from 'pino';\nexport const logger = pino();\n", True),
    (b"module.exports = require('bunyan').createLogger({ name: 'users' });\n", True),
    (b"module.exports = require('winston').createLogger({});\n", False),
    (b"const pinoHttp = require('pino-http')();\nmodule.exports = pinoHttp;\n", None),  # (a request logger: none made)
])
def test_h12_a_logger_made_where_its_library_is_required(source: bytes, pino: bool | None) -> None:
    # `require('pino')(…)` makes pino's logger: the implementations a file's logger comes from held it not, so a pino
    # service beside a bunyan one got bunyan's renames (`{ nameValue: name }`)
    from fixer.repo import SourceFile
    assert logger.IMPLEMENTATIONS.gather(SourceFile("src/logger.js", source, None)) is pino  # type: ignore[arg-type]


def test_g1_a_binding_called_to_make_a_value_is_a_factory_not_a_logger(tmp_path: Path) -> None:
    # `export const log = childLogger('catalog')`: childLogger (named like a logger) is the factory; it
    # was the service's convention, and the fixes wrote `childLogger.info(…)` (TS2339, a TypeError)
    repo = _repo(tmp_path, {
        "svc/package.json": "{}",
        "svc/src/logging/logger.ts": "import { childLogger } from '@acme/logger/child';\n\nexport const log = childLogger('catalog');\n",
        "svc/src/arrow.ts": "import { appLogger } from '@acme/logger/app';\nexport const get = () => appLogger('x');\n",
        "svc/src/returned.js": "const { baseLogger } = require('@acme/logger/base');\nfunction f() {\n  return baseLogger('y');\n}\n",
        "svc/src/server.ts": "import { log } from './logging/logger.js';\nlog.info('up');\n",
        "svc/src/child.ts": "import { log } from './logging/logger.js';\nexport const l = log.child({ a: 1 });\n",
        "svc/src/x.ts": "export function f(): void {\n  console.log('x');\n}\n",
    })
    for path in ("svc/src/logging/logger.ts", "svc/src/arrow.ts", "svc/src/returned.js"):
        assert logger.votes_of(repo.file(path)).imports == (), path
    assert [local for _key, local in logger.votes_of(repo.file("svc/src/server.ts")).imports] == ["log"]
    assert [local for _key, local in logger.votes_of(repo.file("svc/src/child.ts")).imports] == ["log"]  # (`.child(`: a logger)
    binding, text = _added(repo, "svc/src/x.ts")
    assert binding == "log" and "import { log } from './logging/logger.js';" in text


def test_g1_a_require_of_a_modules_default_member_keeps_it(tmp_path: Path) -> None:
    # `require('./logger').default` of compiled CommonJS (`exports.default = logger`) and a whole `require('./logger')`
    # were both "default": a new CommonJS import dropped the `.default` (`logger.info is not a function`)
    compiled = ("\"use strict\";\nObject.defineProperty(exports, \"__esModule\", { value: true });\n"
                "const logger = { info: () => {} };\nexports.default = logger;\n")
    repo = _repo(tmp_path, {
        "svc/package.json": "{}",
        "svc/src/logger.js": compiled,
        "svc/src/index.js": "const logger = require('./logger').default;\nlogger.info('up');\n",
        "svc/src/a.js": "function f() {\n  console.log('a');\n}\nmodule.exports = { f };\n",
        "svc/src/b.mjs": "export function g() {\n  console.log('b');\n}\n",
        "svc/src/c.js": "const whole = require('./logger');\nfunction h() {\n  whole.default.info('c');\n}\n",
    })
    seen = next(logger.imports_in(repo.file("svc/src/index.js")))
    assert (seen.imported, seen.member) == ("default", True)
    assert next(logger.imports_in(repo.file("svc/src/c.js"))).member is False
    assert logger.default_in_exports_default(repo, "svc/src/logger.js")
    binding, text = _added(repo, "svc/src/a.js")
    assert binding == "logger" and "const logger = require('./logger').default;\n" in text
    binding, text = _added(repo, "svc/src/b.mjs")  # (an ES module's default import of CommonJS: its module.exports)
    assert binding == "logger.default" and "import logger from './logger.js';\n" in text
    assert _added(repo, "svc/src/c.js") == ("whole.default", repo.file("svc/src/c.js").data.decode())


def test_g1_a_default_export_is_a_member_only_of_commonjs(tmp_path: Path) -> None:
    # what `default_in_exports_default` says of each module: `module.exports = logger` and TypeScript's `export =`
    # are the whole module; `export default` is `exports.default` only where tsc compiles it to CommonJS
    repo = _repo(tmp_path, {
        "cjs/package.json": "{}",
        "cjs/tsconfig.json": '{ "compilerOptions": { "module": "Node16" } }',
        "cjs/src/logger.ts": "const logger = {};\nexport default logger;\n",
        "cjs/src/equals.ts": "const logger = {};\nexport = logger;\n",
        "cjs/src/whole.js": "const logger = {};\nmodule.exports = logger;\n",
        "esm/package.json": "{}",
        "esm/tsconfig.json": '{ "compilerOptions": { "module": "ESNext" } }',
        "esm/src/logger.ts": "const logger = {};\nexport default logger;\n",
        "mod/package.json": '{ "type": "module" }',
        "mod/tsconfig.json": '{ "compilerOptions": { "module": "Node16" } }',
        "mod/src/logger.ts": "const logger = {};\nexport default logger;\n",
        "mod/src/logger.cts": "const logger = {};\nexport default logger;\n",
    })
    found = {path: logger.default_in_exports_default(repo, path) for path in (
        "cjs/src/logger.ts", "cjs/src/equals.ts", "cjs/src/whole.js", "esm/src/logger.ts", "mod/src/logger.ts",
        "mod/src/logger.cts")}
    assert found == {"cjs/src/logger.ts": True, "cjs/src/equals.ts": False, "cjs/src/whole.js": False,
                     "esm/src/logger.ts": False, "mod/src/logger.ts": False, "mod/src/logger.cts": True}


def test_g1_an_es_module_tsc_types_otherwise_is_reported(tmp_path: Path) -> None:
    # a `.mts` under `module` commonjs: tsc emits an ES module, whose default import of the CommonJS logger Node
    # makes the whole `module.exports` while tsc types it as the default export: no form both compiles and runs
    repo = _repo(tmp_path, {
        "package.json": "{}",
        "tsconfig.json": '{ "compilerOptions": { "module": "commonjs", "esModuleInterop": true } }',
        "src/logger.ts": "const logger = { info: (m: string) => m };\nexport default logger;\n",
        "src/index.ts": "import logger from './logger';\nlogger.info('i');\n",
        "src/c.mts": "export function t(): void {\n  console.log('t');\n}\n",
        "src/eq.ts": "import logger = require('./logger');\nlogger.default.info('e');\n",
    })
    found = logger.logger_for(repo.file("src/c.mts"), _conventions(repo))
    assert found.binding is None and "under tsc's `module` commonjs" in found.reason
    # (TypeScript's import-equals of it is the whole module too)
    assert logger.existing_binding(repo.file("src/eq.ts"), _conventions(repo)) == "logger.default"
