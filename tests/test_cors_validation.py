"""cors-validation: what `fixer apply --dry-run` shows on the sample monorepo, which
expressions count as an origin list with a localhost default, and stacking with
graceful-shutdown (both edit the gateway's src/index.ts) in either order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fixer.parsing import typescript
from gitrepo import fixer, make_repo
from harness import ROOT, read_tree, run_on_tree, write_changes
from transforms import cors_validation

SAMPLE = ROOT / "fixtures" / "sample-monorepo"
GATEWAY = "services/api-gateway/src/index.ts"


def test_the_dry_run_on_the_sample_changes_the_gateway_only(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "kc", read_tree(SAMPLE))
    result = fixer("apply", "--fix", "cors-validation", "--dry-run", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    diff = result.stdout.decode()
    assert re.findall(r"^\+\+\+ b/(\S+)", diff, re.M) == [GATEWAY]
    assert diff.count("-    origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173', 'http://localhost:3000'],") == 1
    assert diff.count("-  origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173', 'http://localhost:3000'],") == 1
    assert diff.count("+    origin: corsOrigins,") == 1 and diff.count("+  origin: corsOrigins,") == 1
    assert diff.count("+const corsOrigins = (process.env.CORS_ORIGIN || '')") == 1
    assert "+    logger.error('CORS_ORIGIN must be set in production');" in diff
    assert "+  corsOrigins.push('http://localhost:5173', 'http://localhost:3000');" in diff
    assert "+import { logger } from '@kc/shared';" in diff


def _sources(code: str) -> list[tuple[str, str, tuple[str, ...], bool]]:
    tree = typescript.parse(code.encode(), "ts")
    return [((s.node.text or b"").decode(), s.env, s.defaults, s.is_list) for s in cors_validation.find_sources(tree.root_node)]


@pytest.mark.parametrize(("code", "expected"), [
    # the audit's line
    ("x = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173', 'http://localhost:3000'];",
     ("process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173', 'http://localhost:3000']", "CORS_ORIGIN",
      ("http://localhost:5173", "http://localhost:3000"), True)),
    # default before the split, a trim chain after it, bracket access, `??`
    ("x = (process.env['CORS_ORIGIN'] ?? 'http://localhost:3000, http://localhost:4200').split(',').map((o) => o.trim());",
     ("(process.env['CORS_ORIGIN'] ?? 'http://localhost:3000, http://localhost:4200').split(',').map((o) => o.trim())",
      "CORS_ORIGIN", ("http://localhost:3000", "http://localhost:4200"), True)),
    # ternaries, on the variable or on NODE_ENV
    ("x = process.env.CORS_ORIGINS ? process.env.CORS_ORIGINS.split(',') : ['http://localhost:3000'];",
     ("process.env.CORS_ORIGINS ? process.env.CORS_ORIGINS.split(',') : ['http://localhost:3000']", "CORS_ORIGINS",
      ("http://localhost:3000",), True)),
    ("x = process.env.NODE_ENV === 'production' ? process.env.CORS_ORIGIN!.split(',') : ['http://localhost:3000'];",
     ("process.env.NODE_ENV === 'production' ? process.env.CORS_ORIGIN!.split(',') : ['http://localhost:3000']",
      "CORS_ORIGIN", ("http://localhost:3000",), True)),
    ("x = isProduction ? process.env.CORS_ORIGIN!.split(',') : ['http://localhost:3000'];",
     ("isProduction ? process.env.CORS_ORIGIN!.split(',') : ['http://localhost:3000']",
      "CORS_ORIGIN", ("http://localhost:3000",), True)),
    # one origin as a string; trimming it keeps it one
    ("x = (process.env.CORS_ORIGIN || 'http://localhost:3000').trim();",
     ("(process.env.CORS_ORIGIN || 'http://localhost:3000').trim()", "CORS_ORIGIN", ("http://localhost:3000",), False)),
    ("x = process.env.FRONTEND_URL || 'http://localhost:3000';",
     ("process.env.FRONTEND_URL || 'http://localhost:3000'", "FRONTEND_URL", ("http://localhost:3000",), False)),
])
def test_origin_lists_with_a_default(code: str, expected: tuple) -> None:
    assert _sources(code) == [expected]


@pytest.mark.parametrize("code", [
    "x = process.env.CORS_ORIGIN?.split(',') || [];",  # no default: the audit's own fixed form
    "x = (process.env.CORS_ORIGIN || '').split(',');",  # fixer's own output
    "x = corsOrigins.length > 0 ? corsOrigins : ['http://localhost:3000'];",  # no environment read
    "x = process.env.CORS_ORIGIN?.split(',');",
    "// x = process.env.CORS_ORIGIN || 'http://localhost:3000';",
])
def test_not_an_origin_list_with_a_default(code: str) -> None:
    assert _sources(code) == []


@pytest.mark.parametrize("order", [("graceful-shutdown", "cors-validation"), ("cors-validation", "graceful-shutdown")])
def test_stacked_with_graceful_shutdown_in_either_order(tmp_path: Path, order: tuple[str, str]) -> None:
    tree = tmp_path / "kc"
    shutil.copytree(SAMPLE, tree, ignore=shutil.ignore_patterns("node_modules"))
    for fix_id in order:
        _, run = run_on_tree(fix_id, tree)
        assert not run.problems, [p.message for p in run.problems]
        assert GATEWAY in run.changes, f"{fix_id} found nothing to do after {order[0]}"
        write_changes(tree, run)
    text = (tree / GATEWAY).read_text()
    assert text.count("import { logger } from '@kc/shared';") == 1
    assert text.count("origin: corsOrigins,") == 2 and text.count("process.on('SIGTERM'") == 1
    # the same file whichever ran first
    other = tmp_path / "other"
    shutil.copytree(SAMPLE, other, ignore=shutil.ignore_patterns("node_modules"))
    for fix_id in reversed(order):
        write_changes(other, run_on_tree(fix_id, other)[1])
    assert (other / GATEWAY).read_text() == text


def test_a_constant_declared_after_another_use_is_not_reused(tmp_path: Path) -> None:
    """Reusing it would put a use before its declaration (a ReferenceError at start-up)."""
    (tmp_path / "app.ts").write_text(
        "import cors from 'cors';\n"
        "export const early = cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] });\n"
        "export const allowed = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    )
    _, run = run_on_tree("cors-validation", tmp_path)
    text = run.changes["app.ts"].after.decode()
    assert text.index("const corsOrigins = ") < text.index("export const early = cors({ origin: corsOrigins })")
    assert "export const allowed = corsOrigins;" in text


def test_a_readonly_constant_gets_the_list_instead_of_holding_it(tmp_path: Path) -> None:
    """The check pushes the localhost defaults: a `readonly string[]` constant cannot take them."""
    (tmp_path / "app.ts").write_text(
        "export const allowed: readonly string[] = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    )
    _, run = run_on_tree("cors-validation", tmp_path)
    text = run.changes["app.ts"].after.decode()
    assert text.startswith("const corsOrigins = (process.env.CORS_ORIGIN || '')")
    assert text.endswith("export const allowed: readonly string[] = corsOrigins;\n")


def _run(tmp_path: Path, code: str):
    (tmp_path / "app.ts").write_text("import express from 'express';\nimport cors from 'cors';\n"
                                     "const app = express();\n" + code)
    return run_on_tree("cors-validation", tmp_path)[1]


@pytest.mark.parametrize("code", [
    "if (useCors) {} else {\n  app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] }));\n}\n",
    "switch (mode) {\n  case 'web':\n    app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] }));\n}\n",
    "useCors && app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] }));\n",
    "app.use(useCors ? cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] }) : noop);\n",
    "export function setup() {\n  if (process.env.NODE_ENV !== 'production') {\n"
    "    app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] }));\n  }\n}\n",
])
def test_a_list_read_only_under_a_condition_is_reported_not_hoisted(tmp_path: Path, code: str) -> None:
    """An exit hoisted to start-up would stop production deployments that never take the branch."""
    run = _run(tmp_path, code)
    assert not run.changes
    assert [f.message for f in run.findings if "under the condition on line" in f.message] != []


def test_a_condition_does_not_hold_back_a_list_that_is_also_read_unconditionally(tmp_path: Path) -> None:
    """The unconditional read needs the start-up check anyway; the conditional one shares its list."""
    run = _run(tmp_path, "if (useSockets) {\n  io({ cors: { origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] } });\n}\n"
                         "app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] }));\n")
    text = run.changes["app.ts"].after.decode()
    assert "io({ cors: { origin: corsOrigins } });" in text and "app.use(cors({ origin: corsOrigins }));" in text
    assert text.index("const corsOrigins") < text.index("if (useSockets)")


def test_one_origin_string_beside_the_rewritten_list_is_left_alone_and_not_reported(tmp_path: Path) -> None:
    """The list's start-up check covers the variable; a link needs the string, not a list."""
    run = _run(tmp_path, "app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'] }));\n"
                         "app.get('/login', (_req, res) => res.redirect(`${process.env.CORS_ORIGIN || 'http://localhost:3000'}/login`));\n")
    text = run.changes["app.ts"].after.decode()
    assert "res.redirect(`${process.env.CORS_ORIGIN || 'http://localhost:3000'}/login`)" in text
    assert len(run.findings) == 1
    write_changes(tmp_path, run)
    _, second = run_on_tree("cors-validation", tmp_path)
    assert not second.changes and not second.findings  # the check on corsOrigins counts as checking CORS_ORIGIN


def test_a_constant_kept_for_its_text_uses_is_not_reported_on_the_next_run(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "fixtures" / "cors-validation" / "trim-keeps-one-origin-string" / "after", tmp_path / "t")
    _, run = run_on_tree("cors-validation", tmp_path / "t")
    assert not run.changes and not run.findings


def test_bracket_access_only_where_the_file_reads_the_environment_with_brackets_only(tmp_path: Path) -> None:
    run = _run(tmp_path, "app.listen(process.env.PORT);\n"
                         "app.use(cors({ origin: process.env['CORS_ORIGIN']?.split(',') ?? ['http://localhost:3000'] }));\n")
    text = run.changes["app.ts"].after.decode()
    assert "(process.env.CORS_ORIGIN || '')" in text and "process.env.NODE_ENV === 'production'" in text


def test_a_condition_inside_the_origin_callback_is_per_request_and_does_not_hold_back_the_fix(tmp_path: Path) -> None:
    run = _run(tmp_path, "app.use(cors({ origin: (origin, callback) => callback(null, !origin || "
                         "(process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000']).includes(origin)) }));\n")
    text = run.changes["app.ts"].after.decode()
    assert "callback(null, !origin || corsOrigins.includes(origin))" in text


@pytest.mark.parametrize("code", [
    "const allowedOrigins = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    "if (useCors) {\n  app.use(cors({ origin: allowedOrigins }));\n}\n",
    "const ORIGIN = process.env.CORS_ORIGIN || 'http://localhost:3000';\nconsole.log(`links go to ${ORIGIN}`);\n"
    "useCors && app.use(cors({ origin: ORIGIN }));\n",
    "const allowedOrigins = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    "export function setup() {\n  if (process.env.ENABLE_CORS === 'true') {\n    app.use(cors({ origin: allowedOrigins }));\n  }\n}\n",
    # a hand-made CORS middleware registered only under a condition
    "const allowedOrigins = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    "if (useCors) {\n  app.use((req, res, next) => {\n    if (allowedOrigins.includes(req.headers.origin)) res.set('x', 'y');\n"
    "    next();\n  });\n}\n",
])
def test_a_constant_used_only_under_a_condition_is_reported_not_hoisted(tmp_path: Path, code: str) -> None:
    """The constant is read at the top level, but CORS is set up only under the condition: the same as
    a list read there (a use that is no origin list, the log line, does not count)."""
    run = _run(tmp_path, code)
    assert not run.changes
    [finding] = run.findings
    assert "is used only under the condition on line" in finding.message and not finding.fixable


@pytest.mark.parametrize("code", [
    # one use outside a condition: the CORS set-up always runs
    "const allowedOrigins = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    "if (useCors) {\n  app.use(cors({ origin: allowedOrigins }));\n}\nio({ cors: { origin: allowedOrigins } });\n",
    # conditions inside an origin callback or a CORS middleware choose per request
    "const allowedOrigins = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    "function checkOrigin(origin, callback) {\n  if (!origin || allowedOrigins.includes(origin)) return callback(null, true);\n"
    "  callback(new Error('blocked'));\n}\napp.use(cors({ origin: checkOrigin }));\n",
    "const allowedOrigins = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    "app.use((req, res, next) => {\n  const origin = req.headers.origin;\n"
    "  if (origin && allowedOrigins.includes(origin)) res.set('Access-Control-Allow-Origin', origin);\n  next();\n});\n",
    # exported: other modules may use it unconditionally
    "export const allowedOrigins = process.env.CORS_ORIGIN?.split(',') || ['http://localhost:3000'];\n"
    "if (useCors) {\n  app.use(cors({ origin: allowedOrigins }));\n}\n",
])
def test_a_constant_also_used_unconditionally_or_exported_gets_the_start_up_check(tmp_path: Path, code: str) -> None:
    text = _run(tmp_path, code).changes["app.ts"].after.decode()
    assert "if (allowedOrigins.length === 0) {" in text


def test_brackets_where_the_nearest_tsconfig_forbids_a_dot(tmp_path: Path) -> None:
    """noPropertyAccessFromIndexSignature, through a relative `extends`: a dot that compiles reads a
    declared variable; the new reads use brackets whatever the file does."""
    (tmp_path / "tsconfig.base.json").write_text('{\n  // shared\n  "compilerOptions": { "noPropertyAccessFromIndexSignature": true, },\n}\n')
    (tmp_path / "tsconfig.json").write_text('{ "extends": "./tsconfig.base" }\n')
    run = _run(tmp_path, "app.listen(process.env.NODE_ENV === 'test' ? 0 : 3000);\n"
                         "app.use(cors({ origin: process.env['CORS_ORIGIN']?.split(',') ?? ['http://localhost:3000'] }));\n")
    text = run.changes["app.ts"].after.decode()
    assert "(process.env['CORS_ORIGIN'] || '')" in text and "process.env['NODE_ENV'] === 'production'" in text


# --- a lone `*` in a variable the origin took as one string (session 14) ------------------------------

_STAR_CASE = ROOT / "fixtures" / "cors-validation" / "one-origin-string-keeps-a-lone-star"
_STAR_PROBE = """
const Module = require('module');  // @fastify/cors (not installed) is only registered in a function never called
const load = Module._load;
Module._load = function (request, ...rest) { return request === '@fastify/cors' ? () => {} : load.call(this, request, ...rest); };
const server = require('./services/api/src/index.js');
const { once } = require('events');
(async () => {
  if (!server.listening) await once(server, 'listening');
  const port = server.address().port;
  const out = {};
  for (const origin of ['https://app.example.com', 'http://localhost:3000']) {
    const r = await fetch(`http://127.0.0.1:${port}/health`, { headers: { Origin: origin } });
    out[origin] = r.headers.get('access-control-allow-origin');
  }
  const io = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`,
                         { headers: { Origin: 'https://app.example.com' } });
  out.io = io.headers.get('access-control-allow-origin');
  console.log(JSON.stringify(out));
  server.io.close(); server.close(); process.exit(0);
})();
"""


def _node_probe(tree: Path, script: str, env: dict[str, str]) -> tuple[int, dict | str]:
    """`script` run by node in `tree` (CORS_ORIGIN and NODE_ENV only as `env` sets them): (0, what it
    printed last, as JSON), or (its exit code, its stderr)."""
    import json
    import os
    import subprocess
    base = {k: v for k, v in os.environ.items() if k not in ("CORS_ORIGIN", "NODE_ENV")}
    done = subprocess.run(["node", "-e", script], cwd=tree, env={**base, "PORT": "0", **env},
                          capture_output=True, timeout=60)
    if done.returncode != 0:
        return done.returncode, done.stderr.decode()
    return 0, json.loads(done.stdout.decode().strip().splitlines()[-1])


def _star_probe(tree: Path, cors_origin: str) -> dict:
    code, out = _node_probe(tree, _STAR_PROBE, {"CORS_ORIGIN": cors_origin, "NODE_ENV": "production"})
    assert code == 0, out
    assert isinstance(out, dict)
    return out


@pytest.mark.node
def test_a_lone_star_still_allows_every_origin_after_the_fix_with_real_node(tmp_path: Path) -> None:
    """`origin: process.env.CORS_ORIGIN || '…'` with CORS_ORIGIN=* (the env template's value):
    `cors` and Socket.IO answer `*`; given the list ['*'] they match no origin (the old edit:
    Access-Control-Allow-Origin absent, every browser origin refused). A listed origin is
    still answered exactly."""
    import nodeenv
    tree = tmp_path / "tree"
    shutil.copytree(_STAR_CASE / "before", tree)
    (tree / "node_modules").symlink_to(nodeenv.node_modules_dir(), target_is_directory=True)
    before = _star_probe(tree, "*")
    assert before["https://app.example.com"] == "*" and before["io"] == "*"
    _, run = run_on_tree("cors-validation", _STAR_CASE / "before")
    write_changes(tree, run)
    assert _star_probe(tree, "*") == before
    listed = _star_probe(tree, "https://app.example.com")
    assert listed == {"https://app.example.com": "https://app.example.com", "http://localhost:3000": None,
                      "io": "https://app.example.com"}


def test_the_kept_lone_star_is_not_taken_for_a_fallback_on_the_next_run() -> None:
    """`corsOrigins.length === 1 && corsOrigins[0] === '*' ? '*' : corsOrigins` is a ternary with a
    default, but `*` is no localhost fallback: the next run neither changes nor reports it."""
    _, run = run_on_tree("cors-validation", _STAR_CASE / "after")
    assert not run.changes and not run.findings, [f.message for f in run.findings]


# --- an origin that falls back to every origin: '*' or `true` (session 15) ----------------------------

_ANY_CASE = ROOT / "fixtures" / "cors-validation" / "origin-falls-back-to-star-or-true"


def _any_probe(tree: Path, env: dict[str, str]) -> tuple[int, dict | str]:
    return _node_probe(tree, _STAR_PROBE, env)


def test_a_star_or_true_default_keeps_its_value_at_the_cors_site_and_pushes_nothing() -> None:
    """`origin: process.env.CORS_ORIGIN ?? '*'` used to get no finding at all: an unset variable
    silently opened CORS to every origin in production. Now production exits, and the default
    stays the site's value for an empty list (a list cannot hold `true`; `['*']` matches no origin
    in `cors`), while the check pushes no origin."""
    _, run = run_on_tree("cors-validation", _ANY_CASE / "before")
    index = run.changes["services/api/src/index.js"].after.decode()
    assert "corsOrigins.push" not in index
    assert "if (corsOrigins.length === 0 && process.env.NODE_ENV === 'production') {" in index
    assert "origin: corsOrigins.length === 0 ? '*' : corsOrigins.length === 1 && corsOrigins[0] === '*' ? '*' " \
           ": corsOrigins, credentials: true" in index  # one string: a lone `*` set in the variable is kept too
    assert "{ cors: { origin: corsOrigins.length === 0 ? '*' : corsOrigins } }" in index  # split: `*` as before
    reflect = run.changes["services/api/src/reflect.js"].after.decode()
    assert "origin: ORIGINS.length === 0 ? true : ORIGINS, credentials: true" in reflect


def test_a_star_default_is_not_taken_for_a_fallback_on_the_next_run() -> None:
    _, run = run_on_tree("cors-validation", _ANY_CASE / "after")
    assert not run.changes and not run.findings, [f.message for f in run.findings]


@pytest.mark.parametrize("code", [
    "origin: process.env.CORS_ORIGIN || 'https://app.example.com'",  # a production origin: left alone
    "origin: process.env.CORS_ORIGIN || 'true'",  # a string 'true' is no origin fixer reads
    "origin: process.env.CORS_ORIGIN || false",  # CORS off when unset: nothing opens
])
def test_defaults_that_open_nothing_are_left_alone(tmp_path: Path, code: str) -> None:
    run = _run(tmp_path, f"app.use(cors({{ {code} }}));\n")
    assert not run.changes and not run.findings, [f.message for f in run.findings]


@pytest.mark.node
def test_a_star_default_still_answers_every_origin_outside_production_with_real_node(tmp_path: Path) -> None:
    """Unset outside production: `*` from `cors` (and `*` from Socket.IO) as before the fix; unset
    in production: exit 1 with the message; CORS_ORIGIN=* in production: as before."""
    import nodeenv
    trees = {}
    for side in ("before", "after"):
        trees[side] = tmp_path / side
        shutil.copytree(_ANY_CASE / side, trees[side])
        (trees[side] / "node_modules").symlink_to(nodeenv.node_modules_dir(), target_is_directory=True)
    dev = _any_probe(trees["before"], {})
    assert dev == (0, {"https://app.example.com": "*", "http://localhost:3000": "*", "io": "*"})
    assert _any_probe(trees["after"], {}) == dev
    assert _any_probe(trees["after"], {"NODE_ENV": "development"}) == dev
    code, err = _any_probe(trees["after"], {"NODE_ENV": "production"})
    assert code == 1 and "CORS_ORIGIN must be set in production" in err
    star = {"NODE_ENV": "production", "CORS_ORIGIN": "*"}
    assert _any_probe(trees["after"], star) == _any_probe(trees["before"], star)
    listed = {"NODE_ENV": "production", "CORS_ORIGIN": "https://app.example.com"}
    assert _any_probe(trees["after"], listed) == (0, {"https://app.example.com": "https://app.example.com",
                                                      "http://localhost:3000": None, "io": "https://app.example.com"})


@pytest.mark.parametrize("code, fallback", [
    ("process.env.CORS_ORIGIN ?? '*'", "'*'"),
    ("process.env.CORS_ORIGIN?.split(',') || true", "true"),
    ("(process.env.CORS_ORIGIN || '*').split(',')", "['*']"),  # the value the site got: the default split
    ("process.env.CORS_ORIGIN ? process.env.CORS_ORIGIN.split(',') : ['*']", "['*']"),
    ("process.env.CORS_ORIGIN === '*' ? '*' : process.env.CORS_ORIGIN?.split(',')", None),  # the variable's own `*`
])
def test_the_value_a_permissive_default_gave_the_site(code: str, fallback: str | None) -> None:
    tree = typescript.parse(f"cors({{ origin: {code} }});\n".encode(), "ts")
    found = [(s.defaults, s.fallback) for s in cors_validation.find_sources(tree.root_node)]
    assert found == ([] if fallback is None else [((fallback.strip("[]'"),), fallback)])


# --- a localhost default held in a constant of the file (session 15, round 2) -----------------------------

_CONST_CASE = ROOT / "fixtures" / "cors-validation" / "default-held-in-a-constant"
_CONST_PROBE = """
const server = require('./services/api/index.js');
const { once } = require('events');
(async () => {
  if (!server.listening) await once(server, 'listening');
  const port = server.address().port;
  const out = {};
  for (const origin of ['https://app.example.com', 'http://localhost:3000', 'http://localhost:5173']) {
    const r = await fetch(`http://127.0.0.1:${port}/health`, { headers: { Origin: origin } });
    out[origin] = r.headers.get('access-control-allow-origin');
  }
  console.log(JSON.stringify(out));
  server.close(); process.exit(0);
})();
"""


def _const_probe(tree: Path, env: dict[str, str]) -> tuple[int, dict | str]:
    return _node_probe(tree, _CONST_PROBE, env)


@pytest.mark.parametrize("code, pushed", [
    ("const D = ['http://localhost:3000'];\ncors({ origin: process.env.CORS_ORIGIN?.split(',') || D });\n", "...D"),
    ("const D = 'http://localhost:3000';\ncors({ origin: process.env.CORS_ORIGIN || D });\n", "D"),
    ("const D = ['http://localhost:3000'] as const;\ncors({ origin: process.env.CORS_ORIGIN ? process.env.CORS_ORIGIN.split(',') : D });\n", "...D"),
    # not the module's constant: a parameter shadows it; a let may change; a string of two origins
    ("const D = ['http://localhost:3000'];\nfunction f(D) { cors({ origin: process.env.CORS_ORIGIN?.split(',') || D }); }\n", None),
    ("let D = ['http://localhost:3000'];\ncors({ origin: process.env.CORS_ORIGIN?.split(',') || D });\n", None),
    ("const D = 'http://localhost:3000,http://localhost:5173';\ncors({ origin: process.env.CORS_ORIGIN || D });\n", None),
])
def test_a_default_held_in_a_constant_of_the_file_is_read_like_one_written_there(code: str, pushed: str | None) -> None:
    tree = typescript.parse(code.encode(), "ts")
    found = cors_validation.find_sources(tree.root_node)
    if pushed is None:
        assert found == []
        return
    assert [(s.defaults, s.default_name) for s in found] == [(("http://localhost:3000",), "D")]
    assert pushed.lstrip(".") == found[0].default_name


def test_the_check_pushes_the_constant_holding_the_defaults_and_the_next_run_finds_nothing() -> None:
    """`process.env.CORS_ORIGIN ? process.env.CORS_ORIGIN.split(',') : DEFAULT_ORIGINS` was not
    reported (the inline list was fixed): the check pushes `...DEFAULT_ORIGINS`, so the constant stays
    in use (noUnusedLocals) and the one place the origins are written."""
    _, run = run_on_tree("cors-validation", _CONST_CASE / "before")
    assert "corsOrigins.push(...DEFAULT_ORIGINS);" in run.changes["services/api/index.js"].after.decode()
    assert "corsOrigins.push(DEV_ORIGIN);" in run.changes["services/chat/server.js"].after.decode()
    assert "    corsOrigins.push(...DEV_ORIGINS);" in run.changes["services/web/src/index.ts"].after.decode()
    _, again = run_on_tree("cors-validation", _CONST_CASE / "after")
    assert not again.changes and not again.findings, [f.message for f in again.findings]


@pytest.mark.node
def test_a_default_held_in_a_constant_serves_outside_production_only_with_real_node(tmp_path: Path) -> None:
    """After the fix: development answers the constant's origins as before; production without
    CORS_ORIGIN exits 1 with the message; production with it answers exactly the listed origins."""
    import nodeenv
    trees = {}
    for side in ("before", "after"):
        trees[side] = tmp_path / side
        shutil.copytree(_CONST_CASE / side, trees[side])
        (trees[side] / "node_modules").symlink_to(nodeenv.node_modules_dir(), target_is_directory=True)
    dev = _const_probe(trees["before"], {})
    assert dev == (0, {"https://app.example.com": None, "http://localhost:3000": "http://localhost:3000",
                       "http://localhost:5173": "http://localhost:5173"})
    assert _const_probe(trees["after"], {}) == dev
    code, err = _const_probe(trees["after"], {"NODE_ENV": "production"})
    assert code == 1 and "CORS_ORIGIN must be set in production" in err
    listed = {"NODE_ENV": "production", "CORS_ORIGIN": "https://app.example.com"}
    assert _const_probe(trees["after"], listed) == (0, {"https://app.example.com": "https://app.example.com",
                                                        "http://localhost:3000": None, "http://localhost:5173": None})


def test_a_ternary_on_a_name_looks_for_its_scopes_only_when_a_top_level_constant_has_that_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ternary's branch names a possible default (`: DEFAULT_ORIGINS`); looking for where a name is
    bound searches the whole file, so asking it for every ternary of a bundle (`t?r:t` a thousand times)
    took minutes. It is asked only for a name a top-level constant holds (the work counted, not timed)."""
    calls = []
    real = typescript.local_binding_scopes
    monkeypatch.setattr(typescript, "local_binding_scopes", lambda *args: calls.append(args) or real(*args))
    helpers = "var E=process.env.NODE_ENV;" + "".join(f"function f{i}(t,r){{return t?r:t}}\n" for i in range(300))
    (tmp_path / "services/api/src").mkdir(parents=True)
    (tmp_path / "services/api/package.json").write_text('{"name": "api", "dependencies": {"cors": "^2.8.5"}}\n')
    (tmp_path / "services/api/src/helpers.js").write_text(helpers + "module.exports = f1;\n")
    (tmp_path / "services/api/src/index.js").write_text(
        "const cors = require('cors');\nconst DEFAULT_ORIGINS = ['http://localhost:3000'];\n"
        "module.exports = cors({ origin: process.env.CORS_ORIGIN ? process.env.CORS_ORIGIN.split(',') : DEFAULT_ORIGINS });\n")
    _, run = run_on_tree("cors-validation", tmp_path)
    assert [f.path for f in run.findings] == ["services/api/src/index.js"]
    assert len(calls) <= 5, len(calls)


# --- NestFactory.create's and Hapi's own `cors` option (session 17) ---------------------------------------


@pytest.mark.parametrize("code", [
    # Serverless's `http` event has `method`, `path` and `cors` but no Hapi route options
    "export const functions = { hello: { handler: 'h.hello', events: [{ http: { method: 'get', path: 'hello', "
    "cors: true } }] } };\n",
    # an object with `method` and `path` but no handler is no Hapi route
    "export const link = { method: 'GET', path: '/x', options: { cors: true } };\n",
    # a `create` of something else than @nestjs/core's NestFactory, a `server` of another module
    "import { NestFactory } from './factory';\nNestFactory.create(AppModule, { cors: true });\n",
    "import { server } from './hapi-like';\nserver({ routes: { cors: true } });\n",
    # Hapi CORS off, or given origins (wildcards are patterns, not every origin)
    "import Hapi from '@hapi/hapi';\nHapi.server({ routes: { cors: false } });\n"
    "Hapi.server({ routes: { cors: { origin: ['https://*.example.com', 'https://app.example.com'] } } });\n",
])
def test_framework_cors_options_that_do_not_open_every_origin_are_not_reported(tmp_path: Path, code: str) -> None:
    (tmp_path / "cors.ts").write_text(code)
    run = run_on_tree("cors-validation", tmp_path)[1]
    assert not run.changes and not run.findings, [f.message for f in run.findings]


@pytest.mark.parametrize("code, shown", [
    ("import { NestFactory } from '@nestjs/core';\nNestFactory.create(AppModule, { cors: true });\n", "`cors: true`"),
    ("import * as Hapi from '@hapi/hapi';\nnew Hapi.Server({ routes: { cors: {} } });\n", "`cors: {}`"),
    ("import Hapi from 'hapi';\nHapi.server({ routes: { cors: { origin: ['*'] } } });\n", "`origin: ['*']`"),
    ("import { Server } from '@hapi/hapi';\nnew Server({ routes: { cors: { origin: 'ignore' } } });\n",
     "`origin: 'ignore'`"),
])
def test_framework_cors_options_that_open_every_origin_are_reported_not_fixed(tmp_path: Path, code: str,
                                                                               shown: str) -> None:
    (tmp_path / "main.ts").write_text(code)
    run = run_on_tree("cors-validation", tmp_path)[1]
    assert not run.changes and [f.message.split(" (", 1)[1].startswith(shown) for f in run.findings] == [True], \
        [f.message for f in run.findings]


_ZOD_ENV = "import { z } from 'zod';\n\nexport const env = z.object({ CORS_ORIGINS: z.string().optional() }).parse(process.env);\n"
_T3_ENV = ("import { createEnv } from '@t3-oss/env-core';\nimport { z } from 'zod';\n\n"
           "export const env = createEnv({\n  server: { CORS_ORIGINS: z.string().optional() },\n  runtimeEnv: process.env,\n});\n")
_CORS_OF_ENV = ("import express from 'express';\nimport cors from 'cors';\nimport { env } from './env';\n\n"
                "const app = express();\napp.use(cors({ origin: (env.CORS_ORIGINS || 'http://localhost:3000').split(',') }));\n"
                "app.listen(3000);\n")


@pytest.mark.parametrize("env_ts", [_ZOD_ENV, _T3_ENV], ids=["zod-parse", "t3-create-env"])
def test_a_validated_env_objects_member_is_the_variable_it_reads(tmp_path: Path, env_ts: str) -> None:
    """`env.CORS_ORIGINS`, env made by validating process.env (zod's `.parse`, t3-env's `createEnv`) with the
    key optional: the audit's Fix 10 defect, fixed as with `process.env.CORS_ORIGINS`, the new list reading it
    through the object (what the schema made of it: a string or undefined, as `.split` on it already said)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src/env.ts").write_text(env_ts)
    (tmp_path / "src/index.ts").write_text(_CORS_OF_ENV)
    run = run_on_tree("cors-validation", tmp_path)[1]
    assert list(run.changes) == ["src/index.ts"], [f.message for f in run.findings]
    after = run.changes["src/index.ts"].after.decode()
    assert "const corsOrigins = (env.CORS_ORIGINS || '')\n" in after and "process.env.CORS_ORIGINS" not in after
    assert "app.use(cors({ origin: corsOrigins }));" in after and "corsOrigins.push('http://localhost:3000');" in after


@pytest.mark.parametrize("index_ts", [
    # already checked, through the object
    _CORS_OF_ENV.replace("const app", "if (!env.CORS_ORIGINS && process.env.NODE_ENV === 'production') {\n"
                                      "  throw new Error('CORS_ORIGINS');\n}\nconst app"),
    # the same name, a local of another kind
    _CORS_OF_ENV.replace("import { env } from './env';\n", "const env = { CORS_ORIGINS: process.argv[2] };\n"),
])
def test_a_validated_env_object_checked_or_shadowed_is_left_alone(tmp_path: Path, index_ts: str) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src/env.ts").write_text(_ZOD_ENV)
    (tmp_path / "src/index.ts").write_text(index_ts)
    run = run_on_tree("cors-validation", tmp_path)[1]
    assert not run.changes and not run.findings, [f.message for f in run.findings]


def test_a_validated_env_object_made_in_the_file_itself(tmp_path: Path) -> None:
    """`const env = schema.parse(process.env)` beside the CORS set-up: the list goes below it (above the first use)."""
    code = _ZOD_ENV.replace("export const", "const") + _CORS_OF_ENV.replace("import { env } from './env';\n", "")
    (tmp_path / "index.ts").write_text(code)
    run = run_on_tree("cors-validation", tmp_path)[1]
    after = run.changes["index.ts"].after.decode()
    assert after.index("const env = z.object(") < after.index("const corsOrigins = (env.CORS_ORIGINS || '')")
    safe = code.replace(".parse(process.env)", ".safeParse(process.env)")  # (`{ success, data }`: no env object)
    (tmp_path / "index.ts").write_text(safe)
    assert not run_on_tree("cors-validation", tmp_path)[1].changes


_SAFE_PARSE_ENV = """import { z } from 'zod';

const EnvSchema = z.object({
  DATABASE_URL: z.string().url(),
  CORS_ORIGINS: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

function parseEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error('Invalid environment variables', parsed.error.flatten().fieldErrors);
    throw new Error('Invalid environment variables');
  }
  return parsed.data;
}

export const env = parseEnv();
"""


def test_a_validated_env_object_returned_by_a_function_of_its_module(tmp_path: Path) -> None:
    """The turborepo config package's form: `export const env = parseEnv()`, parseEnv returning the
    `.data` of `EnvSchema.safeParse(process.env)` (and throwing when it failed), re-exported by the
    package's index (`export { env, type Env } from './env.js'`)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src/env.ts").write_text(_SAFE_PARSE_ENV)
    (tmp_path / "src/config.ts").write_text("export { env, type Env } from './env.js';\n")
    (tmp_path / "src/index.ts").write_text(_CORS_OF_ENV.replace("'./env'", "'./config.js'"))
    run = run_on_tree("cors-validation", tmp_path)[1]
    assert list(run.changes) == ["src/index.ts"], [f.message for f in run.findings]
    assert "const corsOrigins = (env.CORS_ORIGINS || '')\n" in run.changes["src/index.ts"].after.decode()
    # a function that may return something else (`{}` on failure) makes no certain env object
    (tmp_path / "src/env.ts").write_text(_SAFE_PARSE_ENV.replace("throw new Error('Invalid environment variables');",
                                                                 "return {} as Env;"))
    run = run_on_tree("cors-validation", tmp_path)[1]
    assert not run.changes and not run.findings, [f.message for f in run.findings]


_CORS_APP = """import express from 'express';
import cors from 'cors';

const app = express();
app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173'] }));
app.listen(3000);
"""


def _compose_findings(tmp_path: Path, files: dict[str, str]) -> list[str]:
    (tmp_path / "api/src").mkdir(parents=True)
    (tmp_path / "package.json").write_text('{ "name": "shop", "private": true, "workspaces": ["api"] }\n')
    (tmp_path / "api/package.json").write_text('{ "name": "api", "dependencies": { "cors": "^2.8.5" } }\n')
    (tmp_path / "api/src/index.ts").write_text(_CORS_APP)
    (tmp_path / "api/Dockerfile").write_text('FROM node:20-alpine\nCOPY . .\nCMD ["node", "dist/index.js"]\n')
    for path, text in files.items():
        (tmp_path / path).write_text(text)
    run = run_on_tree("cors-validation", tmp_path)[1]
    assert list(run.changes) == ["api/src/index.ts"], [f.message for f in run.findings]
    return sorted(f"{f.path}:{f.line}: {f.message}" for f in run.findings if not f.fixable)


def test_a_compose_file_that_sets_the_variable_empty_is_told_where(tmp_path: Path) -> None:
    """`CORS_ORIGIN: ""` is no origin: the new check stops the service as if it were unset; the
    finding points at that entry and says to fill it (fixer cannot know the origins)."""
    found = _compose_findings(tmp_path, {"docker-compose.yml": (
        "services:\n  api:\n    build: ./api\n    environment:\n      NODE_ENV: production\n      CORS_ORIGIN: \"\"\n")})
    assert found == ["docker-compose.yml:6: api runs with NODE_ENV=production and CORS_ORIGIN empty: "
                     "api/src/index.ts exits 1 at start-up in production without CORS_ORIGIN: api stops where "
                     "docker-compose.yml runs it; set it to <the origins browsers call it from, comma-separated> at "
                     "docker-compose.yml:6 (fixer cannot know the origins)"], found


def test_a_compose_file_outside_production_is_not_told(tmp_path: Path) -> None:
    """NODE_ENV that is not production (a compose default of development, a development file, an
    override), or that fixer cannot read (passed through from the shell): the localhost defaults
    still serve there, nothing to say."""
    found = _compose_findings(tmp_path, {
        "docker-compose.yml": "services:\n  api:\n    build: ./api\n    environment:\n      - NODE_ENV=${NODE_ENV:-development}\n",
        "docker-compose.dev.yml": "services:\n  api:\n    build: ./api\n    environment:\n      NODE_ENV: production\n",
        "docker-compose.override.yml": "services:\n  api:\n    environment:\n      NODE_ENV: production\n",
        "compose.ci.yaml": "services:\n  api:\n    build: ./api\n    environment:\n      - NODE_ENV\n",
    })
    assert found == [], found


def test_a_compose_file_is_still_told_once_the_check_is_merged(tmp_path: Path) -> None:
    """After the branch is merged the code has nothing left to fix, but the base compose file still runs the
    service in production without the variable: the audit keeps saying so (the check is read from the
    file's bytes, as the fix writes it: its `.error('… must be set in production')` and the exit)."""
    compose = "services:\n  api:\n    build: ./api\n    environment:\n      NODE_ENV: production\n"
    _compose_findings(tmp_path / "before", {"docker-compose.yml": compose})
    run = run_on_tree("cors-validation", tmp_path / "before")[1]
    write_changes(tmp_path / "before", run)
    again = run_on_tree("cors-validation", tmp_path / "before")[1]
    assert not again.changes
    assert [(f.path, f.line, f.fixable) for f in again.findings] == [("docker-compose.yml", 5, False)], \
        [f.message for f in again.findings]
    assert "api runs with NODE_ENV=production and no CORS_ORIGIN: api/src/index.ts exits 1" in again.findings[0].message
    # another variable's hand-written throw is no check of this fix's: nothing said of it
    (tmp_path / "before/api/src/db.ts").write_text(
        "if (!process.env.DATABASE_URL) {\n  throw new Error('DATABASE_URL must be set in production');\n}\n")
    assert len(run_on_tree("cors-validation", tmp_path / "before")[1].findings) == 1
