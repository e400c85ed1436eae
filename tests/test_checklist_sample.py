"""The readiness checklist on the sample monorepo: the audit's ❌ items with evidence before,
and after applying every registered fix in priority order (as a stacked `fixer plan`
merged in order would), exactly the items the fixes target are ✅."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import harness
from fixer import checklist, config as config_mod
from fixer.repo import DirectorySource, Repo
from fixer.runner import run_fixes
from transforms import registry

SAMPLE = harness.FIXTURES / "sample-monorepo"

# Items a fix targets that stay ❌ after every fix, and why: what is left needs a human.
LEFT_FOR_A_HUMAN = {
    # services/student-auth-service/src/config/jwt.ts hardcodes a JWT secret: the secrets fix
    # reports it (read it from the environment, rotate it) but cannot invent the deployment's value.
    "env.secrets": "services/student-auth-service/src/config/jwt.ts",
    "sec.secrets": "services/student-auth-service/src/config/jwt.ts",
}

# What applying every fix makes ✅ (items a fix targets, minus the ones above).
FIXED_BY_THE_FIXES = [
    "env.separation", "env.override", "env.cors",
    "health.health", "health.loopback",
    "log.console", "log.files",
    "res.db", "res.degraded", "res.shutdown",
    "sec.cors",
]

# The sample's Section 2 defects, as the checklist shows them before any fix: item -> (fix, evidence).
EXPECTED_BEFORE = {
    "env.secrets": ("secrets", "env.template:40"),
    "env.separation": ("env-separation", "docker-compose.yml:76"),
    "env.override": ("env-separation", "docker-compose.yml:1"),
    "env.cors": ("cors-validation", "services/api-gateway/src/index.ts:17"),
    "env.localhost": ("kafka-listeners", "docker-compose.yml:57"),
    "health.health": ("health-endpoints", "services/booking-service/src/app.ts:39"),
    "health.loopback": ("healthcheck-loopback", "services/api-gateway/Dockerfile:31"),
    "log.console": ("console-to-logger", "services/api-gateway/src/index.ts:33"),
    "log.files": ("stdout-logging", "shared/src/config/logger.ts:66"),
    "res.db": ("db-degradation", "services/course-service/src/config/database.ts:31"),
    "res.degraded": ("db-degradation", "services/student-service/config/database.js:28"),
    "res.shutdown": ("graceful-shutdown", "services/api-gateway/src/index.ts:62"),
    "sec.cors": ("cors-validation", "services/api-gateway/src/index.ts:17"),
}


def audit(root: Path) -> checklist.Checklist:
    modules = registry()
    repo = Repo(root, DirectorySource(root), config_mod.load(root, modules))
    runs = run_fixes(repo, [(m, config_mod.options_for(m.INFO, repo.config)) for m in modules.values()], findings_only=True)
    return checklist.build(repo, runs, modules)


def apply_every_fix(tree: Path) -> None:
    """Each registered fix (review fixes included) on the result of the ones before it."""
    for fix_id in registry():
        _repo, run = harness.run_on_tree(fix_id, tree)
        assert not run.problems, (fix_id, [p.message for p in run.problems])
        harness.write_changes(tree, run)
        for path, change in run.changes.items():
            if change.after is None:  # untracked by the fix: not in the branch's tree
                (tree / path).unlink()


@pytest.fixture(scope="module")
def before() -> checklist.Checklist:
    return audit(SAMPLE)


@pytest.fixture(scope="module")
def after(tmp_path_factory: pytest.TempPathFactory) -> checklist.Checklist:
    tree = tmp_path_factory.mktemp("fixed") / "sample"
    shutil.copytree(SAMPLE, tree, symlinks=True, ignore=shutil.ignore_patterns("node_modules"))
    apply_every_fix(tree)
    return audit(tree)


def test_every_section_and_item_of_the_audit_in_order(before: checklist.Checklist) -> None:
    assert [s.title for s in before.sections] == [
        "Environment & Configuration", "Health Checks & Readiness", "Logging & Observability",
        "Resilience & Error Handling", "Service Independence", "Security", "Docker & Deployment",
        "Database & Connections", "Testing & Validation", "Documentation",
    ]
    assert [len(s.items) for s in before.sections] == [6, 6, 6, 6, 5, 6, 6, 6, 6, 5]
    assert before.item("health.ready").title == "All services expose `/ready` endpoint (readiness probe)"


def test_expected_failures_before_with_evidence_and_fix(before: checklist.Checklist) -> None:
    for key, (fix, where) in EXPECTED_BEFORE.items():
        item = before.item(key)
        assert item.status == checklist.FAIL, (key, item.summary)
        assert fix in item.fixes, (key, item.fixes)
        assert any(e.where() == where for e in item.evidence), (key, [e.where() for e in item.evidence])


def test_static_decisions_before(before: checklist.Checklist) -> None:
    status = {item.key: item.status for item in before.items()}
    assert status["docker.user"] == status["docker.healthcheck"] == status["docker.multistage"] == checklist.PASS
    assert status["docker.limits"] == checklist.FAIL  # no deploy.resources.limits / mem_limit in compose
    assert status["sec.rate_limit"] == status["sec.validation"] == checklist.FAIL
    assert status["ind.scale"] == checklist.FAIL  # container_name on every service
    assert status["res.retry"] == status["db.retry"] == checklist.FAIL  # booking-service: a pool, no retry
    assert [e.where() for e in before.item("res.retry").evidence] == ["services/booking-service/src/config/database.ts:6"]
    assert status["res.rejections"] == checklist.FAIL  # student-service's own logger has no rejection handlers
    assert status["doc.env"] == checklist.PASS  # every process.env.X the services read is in env.template
    assert status["ind.start"] == status["db.backup"] == checklist.UNKNOWN
    for item in before.items():
        if item.status == checklist.PASS:
            assert item.evidence, item.key  # never ✅ without evidence
        if item.status == checklist.UNKNOWN:
            assert item.check, item.key  # ❓ says what to check by hand


def test_service_table(before: checklist.Checklist) -> None:
    rows = {row.name: row for row in before.services}
    assert sorted(rows) == ["admin-service", "api-gateway", "booking-service", "course-service",
                            "student-auth-service", "student-service"]
    gateway = rows["api-gateway"]
    assert (gateway.port, gateway.entry) == (3000, "services/api-gateway/src/index.ts")
    assert gateway.health is not None and gateway.health.where() == "services/api-gateway/src/index.ts:35"
    assert gateway.ready is None and gateway.shutdown is None
    assert any("HEALTHCHECK /health on localhost" in probe for probe in gateway.probes)
    assert rows["booking-service"].health.text.endswith("/healthz")
    assert rows["student-service"].logger.startswith("own logger (services/student-service/logger.js")
    assert rows["admin-service"].logger.startswith("`logger` from @kc/shared")


def test_after_every_fix_exactly_the_targeted_items_pass(after: checklist.Checklist) -> None:
    targeted = [item for item in after.items() if item.targets]
    passing = [item.key for item in targeted if item.status == checklist.PASS]
    assert passing == FIXED_BY_THE_FIXES
    for item in targeted:
        if item.key in LEFT_FOR_A_HUMAN:
            assert item.status == checklist.FAIL
            assert [e.path for e in item.evidence] == [LEFT_FOR_A_HUMAN[item.key]]
            assert not any(e.fixable for e in item.evidence)
    assert {i.key for i in targeted} == set(FIXED_BY_THE_FIXES) | set(LEFT_FOR_A_HUMAN)


def test_after_the_service_table_shows_the_fixes(after: checklist.Checklist) -> None:
    for row in after.services:
        assert row.health is not None and row.health.text.endswith("GET /health"), row.name
        assert row.shutdown is not None, row.name
        assert all(" on 127.0.0.1 " in probe for probe in row.probes), row.probes
    rows = {row.name: row for row in after.services}
    assert rows["course-service"].ready is not None and rows["student-service"].ready is not None


def test_markdown_shows_the_failures_with_evidence_and_fixes(before: checklist.Checklist) -> None:
    modules = registry()
    repo = Repo(SAMPLE, DirectorySource(SAMPLE), config_mod.load(SAMPLE, modules))
    runs = run_fixes(repo, [(m, config_mod.options_for(m.INFO, repo.config)) for m in modules.values()], findings_only=True)
    text = checklist.render_markdown(before, runs, repo)
    blocks = {block.split("\n", 1)[0]: block for block in text.split("\n- [")}
    for key, (fix, _where) in EXPECTED_BEFORE.items():
        item = before.item(key)
        block = blocks.get(f" ] ❌ {item.title}" + (f" — {item.summary}" if item.summary else ""))
        assert block is not None, key
        evidence = [line for line in block.splitlines()[1:] if line.startswith("  - `")]
        assert evidence and any(f"(`{fix}`" in line for line in evidence), (key, block)
        assert f"`fixer apply --fix {fix}`" in block, key
    assert "| booking-service | 3003 | services/booking-service/src/index.ts | GET /healthz (services/booking-service/src/app.ts:39) |" in text
    assert before.secrets and not any(secret in text for secret in before.secrets)  # (no value in a failure message)


def test_node_env_production_evidence_is_tied_to_the_override_that_repairs_it(before: checklist.Checklist) -> None:
    """The sample's six services get NODE_ENV=development in the override env-separation creates; its finding
    names them grouped past a few ("6 services (api-gateway, …, … 3 more)"): the checklist reads which services
    the override sets from what the fix writes, not from the message, and ties each gap to the fix."""
    gaps = [e for item in before.items() for e in item.evidence if "NODE_ENV=production in every environment" in e.text]
    assert len(gaps) == 6, [e.where() for e in gaps]
    for evidence in gaps:
        assert "the fix sets it in docker-compose.override.yml" in evidence.text, evidence.text
        assert evidence.fix == "env-separation" and evidence.fixable, evidence
