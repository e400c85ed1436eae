"""Compose files layered on a base (`Repo.compose_layered_on`): an override's or a production file's service
is the base's service of the same name; and cors-validation's compose values with a localhost default."""

from __future__ import annotations

from pathlib import Path

from fixer import checklist, config as config_mod
from fixer.repo import DirectorySource, Repo
from fixer.runner import run_fixes
from gitrepo import write_tree
from transforms import cors_validation, registry

DOCKERFILE = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/main.js"]\n'


def _service(name: str) -> dict[str, str]:
    return {
        f"services/{name}/package.json": f'{{ "name": "{name}", "version": "1.0.0", "dependencies": {{ "express": "^4.19.2" }} }}\n',
        f"services/{name}/src/main.js": "const app = require('express')();\napp.listen(7000);\n",
        f"services/{name}/Dockerfile": DOCKERFILE,
    }


def _repo(root: Path, files: dict[str, str]) -> Repo:
    write_tree(root, files)
    return Repo(root, DirectorySource(root), config_mod.load(root, registry()))


LAYERED = {
    **_service("search"), **_service("catalog"), **_service("billing"),
    "docker-compose.yml": "include:\n  - deploy/catalog.yml\nservices:\n  search:\n    build: ./services/search\n"
                          "  billing:\n    image: acme/billing\n",
    "deploy/catalog.yml": "services:\n  catalog:\n    build: ../services/catalog\n",
    "docker-compose.override.yml": "services:\n  search:\n    healthcheck:\n      test: wget -qO- http://localhost:7000/health\n"
                                   "  catalog:\n    restart: always\n  mailhog:\n    image: mailhog/mailhog\n",
    "compose.staging.yaml": "services:\n  search:\n    image: registry.example/search:staging\n"
                            "  billing:\n    build: ./services/search\n",
    "docker-compose.prod.yml": "services:\n  search:\n    restart: always\n",
    "deploy/docker-compose.prod.yml": "services:\n  search:\n    restart: always\n",
}


def test_h2_which_compose_files_a_file_is_layered_on(tmp_path: Path) -> None:
    repo = _repo(tmp_path, LAYERED)
    base = ["docker-compose.yml", "deploy/catalog.yml"]
    assert repo.compose_layered_on("docker-compose.override.yml") == base
    assert repo.compose_layered_on("docker-compose.prod.yml") == base
    assert repo.compose_layered_on("compose.staging.yaml") == base
    assert repo.compose_layered_on("docker-compose.yml") == []  # (a base is layered on nothing)
    assert repo.compose_layered_on("deploy/catalog.yml") == []  # (an included file gets no override)
    assert repo.compose_layered_on("deploy/docker-compose.prod.yml") == []  # (no base beside it: fixer cannot tell)
    assert repo.compose_layered_on("no/such.yml") == []


def test_h2_an_overlay_service_is_the_base_service_of_its_name(tmp_path: Path) -> None:
    repo = _repo(tmp_path, LAYERED)
    composes = {(c.file, c.name): c for c in repo.compose_services}
    owner = {at: getattr(repo.service_of_compose(c), "dir", None) for at, c in composes.items()}
    override = composes["docker-compose.override.yml", "search"]
    assert (override.context, override.dockerfile, override.bases) == \
        ("services/search", "services/search/Dockerfile", (("docker-compose.yml", "search"),))
    assert repo.compose_bases(override) == [composes["docker-compose.yml", "search"]]
    assert owner["docker-compose.override.yml", "search"] == owner["docker-compose.prod.yml", "search"] == "services/search"
    # a service of the file the base includes
    assert composes["docker-compose.override.yml", "catalog"].bases == (("deploy/catalog.yml", "catalog"),)
    assert owner["docker-compose.override.yml", "catalog"] == "services/catalog"
    # an image of its own, the base's build; a build of its own wins over the base's image
    staging = composes["compose.staging.yaml", "search"]
    assert (staging.context, staging.image) == ("services/search", "registry.example/search:staging")
    billing = composes["compose.staging.yaml", "billing"]
    assert (billing.context, billing.image) == ("services/search", "acme/billing")
    # no base of that name, or no base beside it: as before
    assert composes["docker-compose.override.yml", "mailhog"].bases == ()
    assert composes["deploy/docker-compose.prod.yml", "search"].bases == ()
    assert owner["deploy/docker-compose.prod.yml", "search"] is None
    assert repo.compose_bases(composes["docker-compose.yml", "search"]) == []


def test_h2_compose_values_that_are_localhost_where_the_shell_sets_nothing() -> None:
    local = cors_validation._localhost_only
    assert local("${CORS_ORIGIN:-http://localhost:3000}")
    assert local("${CORS_ORIGIN-http://127.0.0.1:5173,http://localhost:3000}")
    assert local("http://localhost:3000")
    assert local("${A:-${B:-http://localhost:3000}}")
    assert not local("${CORS_ORIGIN}")  # (the deployment's to set)
    assert not local("${CORS_ORIGIN:-}")
    assert not local("${CORS_ORIGIN:?set it}")
    assert not local("${CORS_ORIGIN:-https://app.example.com,http://localhost:3000}")  # (a production origin)
    assert not local("${CORS_ORIGIN:+http://localhost:3000}")  # (empty where unset)
    assert not local("https://app.example.com")


def test_h2_the_checklist_fails_while_compose_fills_in_a_localhost_default(tmp_path: Path) -> None:
    code = ("const express = require('express');\nconst cors = require('cors');\nconst app = express();\n"
            "const corsOrigins = (process.env.CORS_ORIGIN || '').split(',').filter(Boolean);\n"
            "if (corsOrigins.length === 0) {\n  if (process.env.NODE_ENV === 'production') {\n"
            "    console.error('CORS_ORIGIN must be set in production');\n    process.exit(1);\n  }\n"
            "  corsOrigins.push('http://localhost:3000');\n}\n"
            "app.use(cors({ origin: corsOrigins }));\napp.listen(3000);\n")
    compose = ("services:\n  api:\n    build: ./services/api\n    environment:\n      NODE_ENV: production\n"
               "      CORS_ORIGIN: {value}\n")
    files = {**_service("api"), "services/api/src/main.js": code, ".env.example": "CORS_ORIGIN=\n"}
    statuses = {}
    for name, value in (("default", "${CORS_ORIGIN:-http://localhost:3000}"), ("shell", "${CORS_ORIGIN}")):
        root = tmp_path / name
        write_tree(root, {**files, "docker-compose.yml": compose.format(value=value)})
        modules = registry()
        repo = Repo(root, DirectorySource(root), config_mod.load(root, modules))
        module = modules["cors-validation"]
        runs = run_fixes(repo, [(module, config_mod.options_for(module.INFO, repo.config))], findings_only=True)
        built = checklist.build(repo, runs, {"cors-validation"})
        statuses[name] = [built.item(key).status for key in ("env.cors", "sec.cors", "env.localhost")]
    assert statuses["default"] == [checklist.FAIL] * 3
    assert statuses["shell"] == [checklist.PASS] * 3


def test_h2_the_checklist_counts_a_layered_service_once(tmp_path: Path) -> None:
    """A production file's entry that only adds to the base's (no build or image of its own) is the base's
    container: counted there, not as a second service without limits."""
    files = {**_service("search"),
             "docker-compose.yml": "services:\n  search:\n    build: ./services/search\n",
             "docker-compose.prod.yml": "services:\n  search:\n    healthcheck:\n      test: wget -qO- http://127.0.0.1:7000/health\n"
                                        "  extra:\n    build: ./services/search\n"}
    root = tmp_path / "tree"
    write_tree(root, files)
    repo = Repo(root, DirectorySource(root), config_mod.load(root, registry()))
    built = checklist.build(repo, run_fixes(repo, [], findings_only=True), set())
    limits = built.item("docker.limits")
    assert sorted((e.path, e.text) for e in limits.evidence) == [
        ("docker-compose.prod.yml", "extra: no deploy.resources.limits or mem_limit"),
        ("docker-compose.yml", "search: no deploy.resources.limits or mem_limit"),
    ]
