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
