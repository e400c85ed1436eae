"""`fixer audit --format sarif` is SARIF 2.1.0 that validates against the OASIS schema,
with one rule per fix (help from its doc page) and one result per finding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from fixer import docs
from gitrepo import SMALL_REPO, fixer, git, make_repo
from transforms import registry

SCHEMA_FILE = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"  # copied from the shared schemas
SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample-monorepo"


def validator() -> jsonschema.Draft7Validator:
    """The schema file keeps the log's top-level rules under definitions/Root (its root object
    constrains nothing): validate against that, else every document would pass."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    if "properties" not in schema and "Root" in schema.get("definitions", {}):
        schema = {**schema, "$ref": "#/definitions/Root"}
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(document: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]


def test_the_validator_rejects_invalid_logs() -> None:
    """A validator that passes everything proves nothing."""
    assert errors({"version": "2.1.0", "runs": []}) == []
    assert errors({"runs": []})  # version missing
    assert errors({"version": "2.0.0", "runs": []})
    assert errors({"version": "2.1.0", "runs": [{"tool": {}}]})  # driver missing
    assert errors({"version": "2.1.0", "runs": [], "extra": 1})  # no additional properties
    bad_region = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}
    assert errors(bad_region)


@pytest.fixture(scope="module")
def sample_sarif(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("sarif") / "sample"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("node_modules"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample")
    result = fixer("audit", "--format", "sarif", str(root))
    assert result.returncode == 1, result.stderr.decode()
    return json.loads(result.stdout)


def test_sample_sarif_validates(sample_sarif: dict) -> None:
    assert errors(sample_sarif) == []
    assert sample_sarif["version"] == "2.1.0" and len(sample_sarif["runs"]) == 1


def test_rules_are_the_fixes_with_their_docs(sample_sarif: dict) -> None:
    modules = registry()
    rules = sample_sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(modules)
    for rule in rules:
        module = modules[rule["id"]]
        assert rule["shortDescription"]["text"] == module.INFO.title
        assert rule["help"]["markdown"] == docs.render_markdown(module)
        assert "## Fix safety" in rule["help"]["text"]


def test_results_point_at_findings(sample_sarif: dict) -> None:
    run = sample_sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {rule["id"] for rule in rules}  # every fix finds something here
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1
    healthz = [r for r in results if r["ruleId"] == "health-endpoints"
               and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "services/booking-service/src/app.ts"]
    assert healthz and healthz[0]["level"] == "error" and healthz[0]["properties"]["fixable"] is True
    counts = run["properties"]["checklist"]["counts"]
    assert counts["fail"] > 0 and sum(counts.values()) == 58


def test_sarif_never_holds_a_secret(sample_sarif: dict) -> None:
    text = json.dumps(sample_sarif, ensure_ascii=False)
    template = (SAMPLE / "env.template").read_text()
    for line in template.splitlines():
        if line.startswith(("REDIS_URL=", "RAZORPAY_KEY_SECRET=", "JWT_SECRET=", "DATABASE_URL=")):
            value = line.split("=", 1)[1].split("://")[-1].split("@")[0].split(":")[-1]
            assert value not in text, line.split("=")[0]


def test_paths_are_relative_to_the_git_top_level(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {f"backend/{path}": content for path, content in SMALL_REPO.items()})
    document = json.loads(fixer("audit", "--format", "sarif", "--fix", "health-endpoints", str(repo / "backend")).stdout)
    assert errors(document) == []
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert "backend/services/booking-service/src/app.ts" in uris
