"""env-separation beyond the fixture harness: what `docker compose` makes of the result.

Every compose file the fix writes or edits validates against the Compose
Specification, and the base + override merge (tests/compose_merge.py) gives each
service production values with the base file alone and development values with the
override, on the fixtures and on the sample monorepo, whether or not kafka-listeners
ran first. Templates never carry a value of the template they come from that is or may
be a secret.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import compose_merge
from fixer.parsing import envfile
from harness import FIXTURES, all_cases, read_tree, run_on_tree, write_changes
from transforms import env_separation

SAMPLE = FIXTURES / "sample-monorepo"
APP_SERVICES = ["api-gateway", "student-service", "course-service", "booking-service", "admin-service",
                "student-auth-service"]
CASES = [c for c in all_cases() if c.fix_id == "env-separation" and c.after]


def changed_compose_files(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(p for p, data in after.items()
                  if before.get(p) != data and Path(p).name.endswith((".yml", ".yaml")))


COMPOSE_CASES = [c for c in CASES if changed_compose_files(read_tree(c.before), read_tree(c.after))]


def test_most_cases_change_compose_files() -> None:
    # templates-lack-keys adds template keys only; ignored-override leaves compose alone on purpose
    assert len(COMPOSE_CASES) >= len(CASES) - 2


@pytest.mark.parametrize("case", COMPOSE_CASES, ids=[c.name for c in COMPOSE_CASES])
def test_every_compose_file_written_or_edited_validates_against_the_compose_schema(case) -> None:
    before, after = read_tree(case.before), read_tree(case.after)
    for path in changed_compose_files(before, after):
        assert compose_merge.schema_errors(after[path]) == [], path


def test_the_schema_check_can_fail() -> None:
    assert compose_merge.schema_errors(b"services:\n  api:\n    env_file: [{path: .env, requred: true}]\n")
    assert compose_merge.schema_errors(b"services:\n  api:\n    ports: ~\n")


def _files(tree: dict[str, bytes], base: str, with_override: bool) -> list[dict]:
    override = base.replace("docker-compose.yml", "docker-compose.override.yml")
    names = [base] + ([override] if with_override and override in tree else [])
    return [compose_merge.load(tree[name]) for name in names]


@pytest.mark.parametrize("name", ["audit-shapes", "existing-override", "override-from-kafka-fix",
                                  "per-service-env-files", "crlf-bom-comments"])
def test_fixture_merge_gives_production_alone_and_development_with_the_override(name: str) -> None:
    tree = read_tree(FIXTURES / "env-separation" / name / "after")
    production = compose_merge.resolve(_files(tree, "docker-compose.yml", False))
    development = compose_merge.resolve(_files(tree, "docker-compose.yml", True), {"ENV": "development"})
    before = compose_merge.resolve(_files(read_tree(FIXTURES / "env-separation" / name / "before"),
                                          "docker-compose.yml", False))
    for service, spec in before.items():
        reads_env = any(Path(f["path"]).name == ".env" for f in spec.get("env_file", []))
        if not reads_env:
            continue
        assert {Path(f["path"]).name for f in production[service]["env_file"]} >= {".env.production"}, service
        assert ".env" not in {Path(f["path"]).name for f in production[service]["env_file"]}, service
        assert {Path(f["path"]).name for f in development[service]["env_file"]} >= {".env.development"}, service
        assert ".env.production" not in {Path(f["path"]).name for f in development[service]["env_file"]}, service
        assert development[service]["environment"]["NODE_ENV"] == "development", service
        if "NODE_ENV" in (spec.get("environment") or {}):
            assert production[service]["environment"]["NODE_ENV"] == "production", service


def _user_copies_templates(tree: Path) -> None:
    """What the commit message tells a developer to do: fill in the env files from the templates."""
    for template in tree.rglob(".env.*.example"):
        shutil.copy(template, template.with_name(template.name.removesuffix(".example")))


def _environments(tree: Path, shell: dict[str, str]) -> tuple[dict, dict]:
    base = (tree / "docker-compose.yml").read_bytes()
    override = (tree / "docker-compose.override.yml").read_bytes()

    def read(path: str) -> str | None:
        target = tree / path
        return target.read_text() if target.is_file() else None

    production = compose_merge.resolve([compose_merge.load(base)], shell)
    development = compose_merge.resolve([compose_merge.load(base), compose_merge.load(override)], shell)
    return ({name: compose_merge.environment(spec, read) for name, spec in production.items()},
            {name: compose_merge.environment(spec, read) for name, spec in development.items()})


def test_on_the_sample_each_service_gets_production_alone_and_development_with_the_override(tmp_path: Path) -> None:
    tree = tmp_path / "sample"
    shutil.copytree(SAMPLE, tree, ignore=shutil.ignore_patterns("node_modules"))
    _, run = run_on_tree("env-separation", tree)
    assert not run.problems, run.problems
    write_changes(tree, run)
    for path in run.changes:
        if path.endswith((".yml", ".yaml")):
            assert compose_merge.schema_errors((tree / path).read_bytes()) == [], path
    _user_copies_templates(tree)
    (tree / ".env").unlink()  # nothing may still depend on the single shared file

    production, development = _environments(tree, {})
    for service in APP_SERVICES:
        assert production[service]["NODE_ENV"] == "production", service
        assert production[service]["LOG_LEVEL"] == "info", service
        assert development[service]["NODE_ENV"] == "development", service
        assert development[service]["LOG_LEVEL"] == "debug", service  # .env.development wins over .env.production
        assert development[service]["CORS_ORIGIN"].startswith("http://localhost"), service
        assert production[service]["CORS_ORIGIN"] == "your-cors-origin", service
    assert development["api-gateway"]["PORT"] == "3000"  # what the override does not set is the base's

    # with ENV=development the base itself reads .env.development: no production file needed
    (tree / ".env.production").unlink()
    _, development = _environments(tree, {"ENV": "development"})
    assert all(development[s]["NODE_ENV"] == "development" for s in APP_SERVICES)
    with pytest.raises(FileNotFoundError):
        _environments(tree, {})  # and without it compose would stop on the missing file


def test_sample_templates_hold_every_key_and_no_secret_of_the_template() -> None:
    template = (SAMPLE / "env.template").read_bytes()
    entries = envfile.parse(template)
    real = entries + envfile.parse((SAMPLE / ".env").read_bytes())
    secrets = {e.value for e in real if envfile.may_be_secret(e.key, e.value) and len(e.value) >= 12}
    assert len(secrets) >= 6  # the sample's fake credentials (URLs with passwords, JWT secret, Razorpay keys)
    _, run = run_on_tree("env-separation", SAMPLE)
    for environment in ("development", "production"):
        change = run.changes[f".env.{environment}.example"]
        assert change.before is None and change.after is not None
        written = envfile.parse(change.after)
        assert [e.key for e in written] == [e.key for e in entries]
        assert {e.key: e.value for e in written}["NODE_ENV"] == environment
        for entry in written:
            assert not envfile.may_be_secret(entry.key, entry.value) or envfile.is_placeholder(entry.value), entry.key
        text = change.after.decode()
        assert not [s for s in secrets if s in text]


def test_on_the_sample_production_stays_production_whatever_the_projects_env_says(tmp_path: Path) -> None:
    """Compose interpolates the base file with the shell and the project's `.env`, which the fix
    leaves in place and which says NODE_ENV=development on the sample: `docker compose -f
    docker-compose.yml` must still run production (a literal in the base, development in the
    override)."""
    tree = tmp_path / "sample"
    shutil.copytree(SAMPLE, tree, ignore=shutil.ignore_patterns("node_modules"))
    _, run = run_on_tree("env-separation", tree)
    write_changes(tree, run)
    project_env = {e.key: e.value for e in envfile.parse((SAMPLE / ".env").read_bytes())}
    assert project_env["NODE_ENV"] == "development"
    base = compose_merge.load((tree / "docker-compose.yml").read_bytes())
    override = compose_merge.load((tree / "docker-compose.override.yml").read_bytes())
    production = compose_merge.resolve([base], project_env)
    development = compose_merge.resolve([base, override], project_env)
    before = compose_merge.resolve([compose_merge.load((SAMPLE / "docker-compose.yml").read_bytes())], project_env)
    for service in APP_SERVICES:
        if "NODE_ENV" in before[service].get("environment", {}):
            assert production[service]["environment"]["NODE_ENV"] == "production", service
        assert development[service]["environment"]["NODE_ENV"] == "development", service
    assert not any("NODE_ENV" in f.message for f in run.findings if f.changes and f.path == "docker-compose.yml"
                   and "override" not in f.message)


@pytest.mark.parametrize("first", ["kafka-listeners", "env-separation"])
def test_both_compose_fixes_in_either_order_keep_each_others_additions(first: str, tmp_path: Path) -> None:
    tree = tmp_path / "sample"
    shutil.copytree(SAMPLE, tree, ignore=shutil.ignore_patterns("node_modules"))
    second = "env-separation" if first == "kafka-listeners" else "kafka-listeners"
    for fix_id in (first, second):
        _, run = run_on_tree(fix_id, tree)
        assert not run.problems, run.problems
        assert "docker-compose.override.yml" in run.changes, fix_id
        write_changes(tree, run)
    override = (tree / "docker-compose.override.yml").read_bytes()
    assert compose_merge.schema_errors(override) == []
    base = compose_merge.load((tree / "docker-compose.yml").read_bytes())
    merged = compose_merge.resolve([base, compose_merge.load(override)])
    production = compose_merge.resolve([base])
    assert "localhost" in merged["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert "localhost" not in production["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert all(merged[s]["environment"]["NODE_ENV"] == "development" for s in APP_SERVICES)
    assert all(production[s]["environment"]["NODE_ENV"] == "production" for s in APP_SERVICES)
    for fix_id in (first, second):  # and neither wants anything more
        _, again = run_on_tree(fix_id, tree)
        assert not again.changes, fix_id


@pytest.mark.parametrize(("lines", "name", "expected"), [
    ([".env"], ".env", True),
    ([".env"], ".env.production", False),
    ([".env*"], ".env.production.example", True),
    ([".env*", "!.env.*.example"], ".env.production.example", False),
    ([".env.*", "!.env.*.example"], ".env.example", True),
    (["/.env", "# .env.*"], ".env.production", False),
    (["*.example", "!.env.*.example", ".env.*"], ".env.production.example", True),  # the last match wins
])
def test_gitignore_matching(lines: list[str], name: str, expected: bool) -> None:
    assert env_separation.ignored(lines, name) is expected


@pytest.mark.parametrize(("key", "value", "environment", "expected"), [
    ("NODE_ENV", "development", "production", "production"),
    ("LOG_LEVEL", "info", "development", "debug"),
    ("DB_POOL_MAX", "10", "production", "10"),
    ("JWT_SECRET", "d7589cca5932e631ae62f1cce8c6cefe", "development", "your-jwt-secret"),
    ("POSTGRES_PASSWORD", "postgres", "development", "your-postgres-password"),
    ("RAZORPAY_KEY_ID", "rzp_test_C0TzEK6NDbHi4I", "development", "your-razorpay-key-id"),
    ("REDIS_URL", "rediss://default:AZbWnXWgoGDcFaNMooCb2yV00k@h.upstash.io:6379", "development",
     "rediss://your-user:your-password@your-host:6379"),
    ("SOME_SETTING", "AZbWnXWgoGDcFaNMooCb2yV00kCSUarb", "development", "your-some-setting"),
    ("CORS_ORIGIN", "http://localhost:5173", "production", "your-cors-origin"),
    ("CORS_ORIGIN", "http://localhost:5173", "development", "http://localhost:5173"),
    ("API_KEY", "your-api-key", "production", "your-api-key"),
    ("AWS_SECRET_ACCESS_KEY", "${AWS_SECRET_ACCESS_KEY}", "production", "${AWS_SECRET_ACCESS_KEY}"),
    ("SERVICE_URL", "http://student-auth-service:3005", "production", "http://student-auth-service:3005"),
    ("ENABLE_AUTH", "true", "production", "true"),  # a secret-ish name, but a switch
    ("SMTP_PASS", "false", "development", "false"),
])
def test_template_values_are_placeholders_or_plain_settings(key, value, environment, expected) -> None:
    level = "debug" if environment == "development" else "info"
    assert env_separation.template_value(key, value, environment, level) == expected
    if expected != value:  # what a template may not copy, a real env file may not either
        assert env_separation.template_value(key, value, environment, level, real=True) == expected


@pytest.mark.parametrize(("key", "value", "expected"), [
    # from a real env file (a committed .env): secret names the template rules missed
    ("DB_PASS", "Tr0ub4dorx9Qm", "your-db-pass"),
    ("SMTP_PASS", "mailPw-x9Qm77", "your-smtp-pass"),
    ("REDIS_AUTH", "x9QmTr0ub4dor", "your-redis-auth"),
    # anything not clearly a plain setting: a whitelist
    ("LEGACY_ID", "Zx81Qw7Er5", "your-legacy-id"),
    ("WEBHOOK_URL", "https://hooks.example.com/in?sig=q7Wm2Xp9", "your-webhook-url"),
    ("SENTRY_DSN", "https://k3y9Qm@o1.ingest.example.io/5", "https://your-user:your-password@your-host/5"),
    ("SUPPORT_EMAIL", "ops@example.com", "your-support-email"),
    ("ALERT_HOOK", "https://hooks.example.com/services/T0A1/B4E5/Qx8Lm2Zt9Kp4", "your-alert-hook"),
    ("CRON", "*/5 * * * *", "your-cron"),
    ("PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAxy9Zl\n-----END RSA PRIVATE KEY-----",
     "your-private-key"),
    # a credential's name decides even when its value looks like a word or a number
    ("SMTP_PW", "qwertyuiopasdfgh", "your-smtp-pw"),
    ("ADMIN_PIN", "4821", "your-admin-pin"),
    ("VAULT_PASSCODE", "1234", "your-vault-passcode"),
    ("GCP_CREDENTIALS", "serviceaccount", "your-gcp-credentials"),
    ("REQUIRE_OTP", "false", "false"),
    # plain settings are copied as they are
    ("PORT", "3000", "3000"),
    ("CACHE_TTL", "15m", "15m"),
    ("FEATURE_SIGNUP", "true", "true"),
    ("TZ", "Asia/Kolkata", "Asia/Kolkata"),
    ("KAFKA_BROKERS", "kafka:29092,kafka-2:29092", "kafka:29092,kafka-2:29092"),
    ("AUTH_SERVICE_URL", "http://auth-service:3005/v1?region=eu", "http://auth-service:3005/v1?region=eu"),
    ("UPLOAD_DIR", "./data/uploads", "./data/uploads"),
    ("KAFKA_CLIENT_ID", "kc-backend-2024", "kc-backend-2024"),
    ("DB_HOST", "db.internal", "db.internal"),
])
def test_a_real_env_file_gives_only_plain_settings(key, value, expected) -> None:
    assert env_separation.template_value(key, value, "development", "debug", real=True) == expected


@pytest.mark.parametrize(("line", "dropped"), [
    ("# prod database: postgres://admin:Tr0ub4dorx9Qm@prod-db.internal:5432/app", True),
    ("#   see amqp://svc:Mn4Bv7Cx@rabbit/kc for the queue", True),
    ("# db_password=Tr0ub4dor!", True),
    ("# api_key: 'Xr7Kp2Lm9Qz4Tb8N'", True),
    ("# -----BEGIN RSA PRIVATE KEY-----", True),
    ("# Razorpay test key rzp_test_C0TzEK6NDbHi4I", True),
    ("# PostgreSQL", False),
    ("# password: your-password", False),
    ("# Copy to .env and fill in the values", False),
])
def test_comments_that_hold_credentials_are_dropped(line, dropped) -> None:
    assert envfile.comment_may_hold_secret(line) is dropped


def test_dry_run_on_the_sample_shows_the_separation(tmp_path: Path) -> None:
    from gitrepo import fixer, make_repo

    repo = make_repo(tmp_path / "sample", read_tree(SAMPLE))
    result = fixer("apply", "--fix", "env-separation", "--dry-run", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    diff = result.stdout.decode()
    for line in ("-    env_file: .env\n", "+    env_file: .env.${ENV:-production}\n", "+      - .env.${ENV:-production}\n",
                 "+++ b/docker-compose.override.yml\n", "+++ b/.env.development.example\n",
                 "+++ b/.env.production.example\n", "+!.env.*.example\n"):
        assert line in diff, line
    assert "${NODE_ENV" not in diff and "-      NODE_ENV: production\n" not in diff  # the base stays production
    assert diff.count("+      NODE_ENV: development\n") == 5 and "+      - NODE_ENV=development\n" in diff



def _development_environment(tree: dict[str, bytes], base: str, env_files: dict[str, str], shell: dict) -> dict:
    """Each service's environment in `docker compose up` (base + override), with `env_files`
    on disk; `extends:` within the base file is resolved first."""
    override = base.replace(".y", ".override.y")
    documents = [compose_merge.load(tree[base])] + ([compose_merge.load(tree[override])] if override in tree else [])
    services = documents[0].get("services") or {}
    for name, spec in list(services.items()):
        parent = spec.get("extends")
        parent = parent.get("service") if isinstance(parent, dict) else parent
        if parent:
            own = compose_merge.normalize({k: v for k, v in spec.items() if k != "extends"})
            services[name] = compose_merge.merge(compose_merge.normalize(services[parent]), own)
    resolved = compose_merge.resolve(documents, shell)
    return {name: compose_merge.environment(spec, lambda p: env_files.get(p.removeprefix("./")))
            for name, spec in resolved.items()}


@pytest.mark.parametrize(("name", "base", "env_files"), [
    # api.env's values beat .env's before; so did web's own .env.local
    ("env-file-order", "docker-compose.yml", {".env": "PORT=3000\nDB_NAME=app\n", "services/api/api.env": "PORT=4000\n",
                                              ".env.local": "PORT=5000\n"}),
    # no env file at all: the stack started, as `required: false` allowed
    ("optional-env-file", "compose.yaml", {}),
    ("extends", "docker-compose.yml", {".env": "PORT=3000\n"}),
])
def test_development_configures_each_service_as_before(name: str, base: str, env_files: dict) -> None:
    """A developer who copied .env to .env.development (and filled .env.production from its
    template) gets in `docker compose up`, with or without ENV=development, what they got
    before, NODE_ENV=development apart."""
    case = FIXTURES / "env-separation" / name
    then = _development_environment(read_tree(case / "before"), base, env_files, {})
    now_files = dict(env_files)
    if ".env" in env_files:
        now_files[".env.development"] = env_files[".env"]
        now_files[".env.production"] = "".join(f"{line.split('=')[0]}=production-value\n"
                                               for line in env_files[".env"].splitlines())
    for shell in ({}, {"ENV": "development"}):
        now = _development_environment(read_tree(case / "after"), base, now_files, shell)
        for service, values in then.items():
            assert {k: v for k, v in now[service].items() if k != "NODE_ENV"} == \
                {k: v for k, v in values.items() if k != "NODE_ENV"}, (service, shell)
            if "NODE_ENV" in values:
                assert now[service]["NODE_ENV"] == "development", (service, shell)


# --- compose interpolation: ${VAR} comes from the shell and the project's .env, never from env_file ---


def _interpolation_findings(run) -> list:
    return [f for f in run.findings if "interpolate" in f.message]


def _write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def test_interpolated_names_what_compose_substitutes() -> None:
    from fixer.parsing import yamlfile

    document = yamlfile.compose_all(
        b"# ${IN_A_COMMENT}\n"
        b"x: &x {a: '${ANCHORED}'}\n"
        b"services:\n"
        b"  api:\n"
        b"    image: 'r/api:${TAG:-latest}'\n"
        b"    command: echo $$LITERAL $${ALSO_LITERAL} $$$AFTER_DOLLAR ${NESTED:-${INNER}} $lower_case\n"
        b"    environment:\n"
        b"      ${KEY_NAME}: ${A-d} ${B:?err} ${C:+set} $D\n"
        b"      <<: *x\n")[0]
    names = [name for name, _node in env_separation.interpolated(document)]
    assert names == ["ANCHORED", "TAG", "AFTER_DOLLAR", "NESTED", "INNER", "lower_case", "A", "B", "C", "D"]


def test_interpolated_keys_are_reported_when_the_templates_already_exist(tmp_path: Path) -> None:
    """The base still reads .env (this run separates it), the templates already hold the key:
    the operator is told, though no template is written."""
    root = _write(tmp_path, {
        "docker-compose.yml": "services:\n  db:\n    image: postgres\n    env_file: .env\n"
                              "    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n",
        ".env.example": "POSTGRES_PASSWORD=your-password\n",
        ".env.production.example": "POSTGRES_PASSWORD=your-password\nNODE_ENV=production\nLOG_LEVEL=info\n",
        ".env.development.example": "POSTGRES_PASSWORD=your-password\nNODE_ENV=development\nLOG_LEVEL=debug\n",
        ".gitignore": ".env\n.env.*\n!.env.*.example\n!.env.example\n",
    })
    _repo, run = run_on_tree("env-separation", root)
    [finding] = _interpolation_findings(run)
    assert (finding.path, finding.line) == ("docker-compose.yml", 6) and not finding.changes
    assert "docker-compose.yml interpolates ${POSTGRES_PASSWORD}" in finding.message
    assert "`--env-file .env.production`" in finding.message
    write_changes(root, run)
    _repo, second = run_on_tree("env-separation", root)  # separated, templates complete: said once, in the run
    assert not _interpolation_findings(second) and not second.changes


def test_keys_of_a_service_env_file_were_never_interpolated(tmp_path: Path) -> None:
    """services/api/.env never fed compose's interpolation (the project's .env is beside the
    compose file): its templates say nothing about it, and nothing is reported."""
    root = _write(tmp_path, {
        "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n    env_file: services/api/.env\n"
                              "    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n",
        "services/api/.env.example": "DB_PASSWORD=your-password\n",
    })
    _repo, run = run_on_tree("env-separation", root)
    assert not _interpolation_findings(run)
    template = run.changes["services/api/.env.production.example"].after
    assert b"interpolate" not in template and b"DB_PASSWORD=" in template


def test_a_template_that_follows_its_header_gets_the_interpolated_keys_with_env_file(tmp_path: Path) -> None:
    """What the new template says works: with `--env-file .env.production` compose
    interpolates the keys from the file the operator made from the template; without it
    (no .env) they are unset."""
    case = FIXTURES / "env-separation" / "compose-interpolation"
    after = read_tree(case / "after")
    template = after[".env.production.example"].decode()
    assert "`--env-file .env.production`" in template and "${POSTGRES_PASSWORD}" in template
    production = {e.key: e.value for e in envfile.parse(template.encode())}
    service = compose_merge.resolve([compose_merge.load(after["docker-compose.yml"])], production)["postgres"]
    assert service["environment"]["POSTGRES_PASSWORD"] == production["POSTGRES_PASSWORD"]


@pytest.mark.parametrize("value, production", [
    ("postgres://app:changeme@localhost:5432/app", "postgres://your-user:your-password@your-host:5432/app"),
    ("redis://:your-redis-password@127.0.0.1:6379", "redis://your-user:your-password@your-host:6379"),
    ("your-host-or-localhost", "your-database-url"),
])
def test_a_localhost_value_is_a_placeholder_in_production_whatever_its_password(value: str, production: str) -> None:
    """A placeholder password does not make a localhost database a production setting."""
    assert env_separation.template_value("DATABASE_URL", value, "production", "info") == production
    assert env_separation.template_value("DATABASE_URL", value, "development", "debug") == value


def test_a_service_extending_one_of_another_file_in_another_directory_gets_its_override_entry(tmp_path: Path) -> None:
    """deploy/docker-compose.yml's worker extends compose/common.yml's node-base, which extends compose/base.yml's
    root (`env_file: ../.env`, relative to compose/): worker reads the root .env and, through node-base, sets
    NODE_ENV. Its override entry names .env.development from deploy/ (`../.env.development`); the file only
    `extends:` reads is reported, not changed. Before, a compose file named like none was plain YAML and worker
    was left out of the override with no finding."""
    root = _write(tmp_path / "t", {
        "compose/base.yml": "services:\n  root:\n    env_file: ../.env\n",
        "compose/common.yml": "services:\n  node-base:\n    extends: {file: base.yml, service: root}\n"
                              "    environment:\n      NODE_ENV: production\n",
        "deploy/docker-compose.yml": "services:\n  worker:\n    extends:\n      file: ../compose/common.yml\n"
                                     "      service: node-base\n    build: ../services/worker\n",
        ".env.example": "A=1\n",
    })
    _, run = run_on_tree("env-separation", root)
    override = next(c.after for path, c in run.changes.items() if path == "deploy/docker-compose.override.yml")
    # (optional: the root .env stays what the base reads, so nobody has a .env.development yet)
    assert b"  worker:\n" in override and b"- path: ../.env.development\n" in override \
        and b"required: false" in override and b"NODE_ENV: development" in override
    reported = [f for f in run.findings if f.path == "compose/base.yml"]
    assert len(reported) == 1 and not reported[0].changes and "worker (deploy/docker-compose.yml)" in reported[0].message
    assert "compose/base.yml" not in run.changes and "compose/common.yml" not in run.changes


# --- session 19 (hB): the templates' headers and comments, how required the override's files are ------------


def _override_of(run, path: str = "docker-compose.override.yml") -> bytes:
    return next(c.after for p, c in run.changes.items() if p == path)


def test_an_optional_base_entry_keeps_its_development_file_optional_beside_a_required_one(tmp_path: Path) -> None:
    """api's `.env` is required, web's `required: false`; both are separated. api's .env.development is
    required like its .env; web's stays `required: false` (it never needed the file)."""
    root = _write(tmp_path / "t", {
        "docker-compose.yml": "services:\n  api:\n    env_file: .env\n  web:\n    env_file:\n"
                              "      - path: .env\n        required: false\n",
        ".env.example": "A=1\n",
    })
    _, run = run_on_tree("env-separation", root)
    override = _override_of(run).decode()
    api, web = override.split("  web:\n")
    assert "      - .env.development\n" in api
    assert "      - path: .env.development\n        required: false\n" in web


def test_a_committed_development_file_stays_required_beside_a_base_entry_left_by_hand(tmp_path: Path) -> None:
    """The base's `.env` comes through an anchor (left for a human); .env.development is committed, so a
    fresh clone has it: the override's entry keeps the short (required) form of the base's."""
    files = {
        "docker-compose.yml": "x-node: &node\n  env_file: .env\nservices:\n  api:\n    <<: *node\n  web:\n    <<: *node\n",
        ".env.example": "A=1\n",
        ".env.development": "A=2\n",
    }
    _, run = run_on_tree("env-separation", _write(tmp_path / "committed", files))
    assert b"      - .env.development\n" in _override_of(run)
    del files[".env.development"]
    _, run = run_on_tree("env-separation", _write(tmp_path / "absent", files))
    assert b"      - path: .env.development\n        required: false\n" in _override_of(run)


def test_a_production_file_read_by_the_production_compose_file_has_the_read_header(tmp_path: Path) -> None:
    """docker-compose.prod.yml's `.env` becomes `.env.production`, while the base's comes through an anchor
    (left): a compose file does read .env.production, so the header is not the "change by hand" one."""
    root = _write(tmp_path / "t", {
        "docker-compose.yml": "x-node: &node\n  env_file: .env\nservices:\n  api:\n    <<: *node\n  web:\n    <<: *node\n",
        "docker-compose.prod.yml": "services:\n  api:\n    env_file: .env\n",
        ".env.example": "A=1\n",
    })
    _, run = run_on_tree("env-separation", root)
    production = run.changes[".env.production.example"].after
    assert production.startswith(b"# Production settings, read by ") and b"by hand" not in production


def test_only_comments_about_the_template_itself_above_its_first_key_are_dropped(tmp_path: Path) -> None:
    """Above the first key, a comment that names the env file is about the file (its old use), not a key;
    the other comments, and every comment below the first key, are copied."""
    root = _write(tmp_path / "t", {
        "docker-compose.yml": "services:\n  api:\n    env_file: .env\n",
        ".env.example": "# ---------\n# Local environment - used by docker compose (env_file: .env)\n# ---------\n"
                        "# the port (copy it into the proxy's config too)\nPORT=3000\n# not .env.local: this one\n"
                        "HOST=app\n",
    })
    _, run = run_on_tree("env-separation", root)
    for environment in ("development", "production"):
        out = run.changes[f".env.{environment}.example"].after.decode()
        assert "Local environment" not in out and "# ---------\n# ---------\n" in out
        assert "# the port (copy it into the proxy's config too)\nPORT=3000\n# not .env.local: this one\n" in out


# --- session 19 (H8): a base's .env.production; values built from references -------------------


def test_a_base_production_env_file_gives_development_its_own_file(tmp_path: Path) -> None:
    """dotenv-flow keeps .env.development and .env.production (no .env); the base names
    .env.production. Compose appends the override's env files to the base's, so the override
    cannot drop it: the base now names .env.${ENV:-production} (production alone: the same file)
    and the override adds the .env.development beside it, which wins (and with ENV=development
    replaces production's file)."""
    root = _write(tmp_path / "t", {
        "docker-compose.yml": "services:\n  orders:\n    build: ./svc\n    env_file: ./svc/.env.production\n"
                              "    environment:\n      NODE_ENV: production\n",
        "svc/.env.development": "PORT=3001\nDATABASE_URL=postgres://postgres:postgres@localhost:5432/orders\n",
        "svc/.env.production": "PORT=3001\nDATABASE_URL=postgres://orders:${DB_PASSWORD}@orders-db.prod:5432/orders\n"
                               "STRIPE_KEY=from-production\n",
    })
    _, run = run_on_tree("env-separation", root)
    assert not run.problems, run.problems
    write_changes(root, run)
    for path in run.changes:
        if path.endswith(".yml"):
            assert compose_merge.schema_errors((root / path).read_bytes()) == [], path
    assert b"env_file: ./svc/.env.${ENV:-production}\n" in (root / "docker-compose.yml").read_bytes()
    assert b"      - ./svc/.env.development\n" in (root / "docker-compose.override.yml").read_bytes()  # committed
    production, development = _environments(root, {})
    assert production["orders"]["DATABASE_URL"].endswith("@orders-db.prod:5432/orders")
    assert development["orders"]["DATABASE_URL"].endswith("@localhost:5432/orders")
    assert development["orders"]["NODE_ENV"] == "development"
    _, development = _environments(root, {"ENV": "development"})
    assert "STRIPE_KEY" not in development["orders"]  # nothing of production's file
    # the finding about templates names the file compose reads (there is no svc/.env)
    assert any(f.message.startswith("no template lists the keys of svc/.env.production:") for f in run.findings)


def test_a_development_file_beside_a_base_production_file_is_optional_unless_committed(tmp_path: Path) -> None:
    """The base needed no development file before: a required one would stop a `docker compose up`
    that worked (and a fresh clone's)."""
    root = _write(tmp_path / "t", {
        "docker-compose.yml": "services:\n  api:\n    env_file: [api/.env.production]\n",
        "api/.env.production": "A=1\n",
    })
    _, run = run_on_tree("env-separation", root)
    assert b"      - path: api/.env.development\n        required: false\n" in _override_of(run)


def test_production_env_files_of_other_compose_files_are_left_alone(tmp_path: Path) -> None:
    """Only the base is read in development with the override: docker-compose.prod.yml's
    .env.production is right as it is, and so is a file pulled in with `include:`."""
    root = _write(tmp_path / "t", {
        "docker-compose.yml": "include:\n  - other/compose.yaml\nservices:\n  api:\n    env_file: .env\n",
        "docker-compose.prod.yml": "services:\n  api:\n    env_file: .env.production\n",
        "other/compose.yaml": "services:\n  worker:\n    env_file: .env.production\n",
        ".env.example": "A=1\n",
    })
    _, run = run_on_tree("env-separation", root)
    assert "docker-compose.prod.yml" not in run.changes and "other/compose.yaml" not in run.changes
    assert not any(".env.production in development" in f.message for f in run.findings)


@pytest.mark.parametrize(("key", "value", "environment", "expected"), [
    # made of references (dotenv-expand's, as its README shows) and plain text: kept
    ("DATABASE_URL", "postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/shipping", "production",
     "postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/shipping"),
    ("DATABASE_URL", "postgres://$DB_USER:$DB_PASSWORD@$DB_HOST:5432/x", "development",
     "postgres://$DB_USER:$DB_PASSWORD@$DB_HOST:5432/x"),
    ("DATABASE_URL", "postgres://app:${DB_PASSWORD}@db.internal:5432/x", "production",
     "postgres://app:${DB_PASSWORD}@db.internal:5432/x"),
    ("API_URL", "http://${API_HOST}:${PORT:-3000}/v1", "production", "http://${API_HOST}:${PORT:-3000}/v1"),
    ("LOG_DIR", "/var/log/${APP_NAME}", "production", "/var/log/${APP_NAME}"),
    ("PORT", "${PORT:-3000}", "production", "${PORT:-3000}"),
    ("SESSION_SECRET", "${A}${B}", "production", "${A}${B}"),
    ("REDIS_URL", "redis://:${REDIS_PASSWORD}@${REDIS_HOST}:6379/0", "production",
     "redis://:${REDIS_PASSWORD}@${REDIS_HOST}:6379/0"),
    # a literal credential beside references: a placeholder, the references kept
    ("DATABASE_URL", "postgres://app:Xk9vQ2mZ7pLw4@${DB_HOST}:5432/x", "development",
     "postgres://your-user:your-password@${DB_HOST}:5432/x"),
    ("DATABASE_URL", "postgres://${DB_USER}:${DB_PASSWORD}@localhost:5432/x", "production",
     "postgres://${DB_USER}:${DB_PASSWORD}@your-host:5432/x"),
    ("SENTRY_DSN", "https://${SENTRY_KEY}@o1.ingest.example.io/5", "development", "https://${SENTRY_KEY}@your-host/5"),
    ("API_URL", "http://${API_HOST}/v1?token=Qm8rT2vX9kLp4NwZ", "development", "your-api-url"),
    # a reference's default is a value
    ("SESSION_SECRET", "${SESSION_SECRET:-Qm8rT2vX9kLp4NwZ7cHs3JdF6yBg1AeU}", "development",
     "${SESSION_SECRET:-your-session-secret}"),
    ("DATABASE_URL", "postgres://${DB_USER}:${DB_PASSWORD:-hunter2}@${DB_HOST}/x", "development",
     "postgres://${DB_USER}:your-password@${DB_HOST}/x"),
    ("DB_HOST", "${DB_HOST:-localhost}", "production", "${DB_HOST:-your-db-host}"),
    # under a credential's name, literal text beside a reference may be part of the secret
    ("JWT_SECRET", "${PREFIX}-hunter", "development", "your-jwt-secret"),
    ("ADMIN_PIN", "${PIN}1234", "development", "your-admin-pin"),
    # a `$` inside a word is a literal one
    ("LEGACY_ID", "pa$SWORD", "development", "your-legacy-id"),
    ("LEGACY_ID", "abc$Xyz9Qm7Lp2", "development", "your-legacy-id"),
])
def test_values_built_from_references_keep_them(key: str, value: str, environment: str, expected: str) -> None:
    level = "debug" if environment == "development" else "info"
    assert env_separation.template_value(key, value, environment, level, real=True) == expected


def test_a_reference_default_is_a_placeholder_only_when_it_is_one() -> None:
    assert envfile.is_placeholder("${JWT_SECRET}") and envfile.is_placeholder("${JWT_SECRET:-}")
    assert envfile.is_placeholder("${JWT_SECRET:-your-jwt-secret}") and envfile.is_placeholder("${A:?set it}")
    assert not envfile.is_placeholder("${JWT_SECRET:-Qm8rT2vX9kLp4NwZ7cHs3JdF6yBg1AeU}")
    assert envfile.may_be_secret("JWT_SECRET", "${JWT_SECRET:-Qm8rT2vX9kLp4NwZ7cHs3JdF6yBg1AeU}")


def test_a_git_ignored_override_beside_a_base_production_file_says_which_file_to_change(tmp_path: Path) -> None:
    """The override is kept per developer: nothing is changed, and the finding names the base's
    .env.production (not a `.env` it does not have); its entry is withdrawn, not left half-done."""
    root = _write(tmp_path / "t", {
        ".gitignore": "docker-compose.override.yml\n",
        "docker-compose.yml": "services:\n  api:\n    env_file: api/.env.production\n",
        "api/.env.production": "A=1\n",
    })
    _, run = run_on_tree("env-separation", root)
    assert "docker-compose.yml" not in run.changes and "docker-compose.override.yml" not in run.changes
    [local] = [f for f in run.findings if "git-ignored" in f.message]
    assert "change .env.production to .env.${ENV:-production} in docker-compose.yml by hand" in local.message
    [entry] = [f for f in run.findings if f.line == 3]
    assert entry.message.endswith("not changed, as docker-compose.override.yml cannot be written (see there)")


def test_a_shared_env_layer_under_a_base_production_file_stays(tmp_path: Path) -> None:
    """`[.env, .env.production]` (dotenv-flow's layers): .env is what every environment shares,
    so it stays (pointed at one environment's file, production would lose it); .env.production
    is the one pointed at one environment's file, and .env.development comes last in development."""
    root = _write(tmp_path / "t", {
        "docker-compose.yml": "services:\n  api:\n    env_file: [.env, .env.production]\n"
                              "    environment:\n      NODE_ENV: production\n",
        ".env.example": "SHARED=1\nLEVEL=info\n",
        ".env": "SHARED=1\nLEVEL=info\n",
        ".env.production": "LEVEL=warn\n",
        ".env.development": "LEVEL=debug\n",
    })
    _, run = run_on_tree("env-separation", root)
    assert not run.problems, run.problems
    assert not [f for f in run.findings if f.line == 3 and f.message.startswith("api reads .env ")]
    write_changes(root, run)
    assert b"env_file: [.env, \".env.${ENV:-production}\"]\n" in (root / "docker-compose.yml").read_bytes()
    production, development = _environments(root, {})
    assert (production["api"]["SHARED"], production["api"]["LEVEL"]) == ("1", "warn")
    assert (development["api"]["SHARED"], development["api"]["LEVEL"]) == ("1", "debug")


def _many_services(count: int, env_file: str, override: bool = False, own_dirs: bool = False) -> dict[str, str]:
    base = "services:\n" + "".join(
        f"  svc-{i:03d}:\n    image: node:20\n    env_file: "
        f"{f'./services/svc-{i:03d}/{env_file}' if own_dirs and i % 2 else env_file}\n"
        f"    environment:\n      NODE_ENV: production\n" for i in range(count))
    files = {"docker-compose.yml": base, "env.template": "PORT=3000\n"}
    if override:
        files["docker-compose.override.yml"] = "services:\n" + "".join(
            f"  svc-{i:03d}:\n    ports:\n      - \"{3000 + i}:3000\"\n" for i in range(count))
    if own_dirs:  # a dotenv-flow repository: every other service commits its .env.development
        files.update({f"services/svc-{i:03d}/.env.development": "PORT=3000\n" for i in range(1, count, 2)})
    return files


@pytest.mark.parametrize("shape", ["new override", "existing override", "dotenv-flow, per-service env files"])
def test_env_separation_findings_stay_readable_at_200_services(tmp_path: Path, shape: str) -> None:
    """Services with the same settings are one entry (`200 services (a, b, c, … 197 more): …`), and
    a list of services or paths is cut after a few names: no finding grows with the services."""
    files = _many_services(200, ".env", override=shape == "existing override", own_dirs=shape.startswith("dotenv"))
    _repo, run = run_on_tree("env-separation", _write(tmp_path, files), verify=False)
    long = [f"{f.path}:{f.line}: {f.message}" for f in run.findings if len(f.message) > 400]
    assert not long, long
    messages = " | ".join(f.message for f in run.findings)
    if shape == "new override":
        assert ("created (200 services (svc-000, svc-001, svc-002, … 197 more): NODE_ENV=development, "
                "env_file .env.development)") in messages
    elif shape == "existing override":
        assert ("lacks 200 services (svc-000, svc-001, svc-002, … 197 more): NODE_ENV, env_file .env.development: "
                "added") in messages
    else:
        assert "; … 98 more services with settings of their own)" in messages
