"""kafka-listeners beyond the fixture harness: what `docker compose` makes of the result.

Production (the base file alone) advertises no loopback listener and publishes no host
port for one; development (base + override, merged by tests/compose_merge.py) configures
each broker exactly as before; both are consistent Kafka configurations (every
advertised listener bound and mapped to a protocol, the inter-broker listener
advertised); every compose file written or edited validates against the Compose schema.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import compose_merge
from harness import FIXTURES, all_cases, read_tree, run_on_tree, write_changes
from transforms.kafka_listeners import parse_listeners

CASES = [c for c in all_cases() if c.fix_id == "kafka-listeners" and c.after]
LOOPBACK = ("localhost", "127.0.0.1")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_compose_file_written_or_edited_validates_against_the_compose_schema(case) -> None:
    before, after = read_tree(case.before), read_tree(case.after)
    changed = [p for p, data in after.items() if before.get(p) != data and p.endswith((".yml", ".yaml"))]
    assert changed
    for path in changed:
        assert compose_merge.schema_errors(after[path]) == [], path


def brokers(services: dict) -> dict[str, tuple[str, dict]]:
    found = {}
    for name, spec in services.items():
        environment = {k: "" if v is None else str(v) for k, v in (spec.get("environment") or {}).items()}
        for prefix in ("KAFKA_CFG_", "KAFKA_"):
            if prefix + "ADVERTISED_LISTENERS" in environment:
                found[name] = (prefix, environment)
                break
    return found


def configuration_problems(prefix: str, environment: dict[str, str]) -> list[str]:
    """What would stop a broker with this environment from starting (the listener rules)."""
    advertised = {l.name for l in parse_listeners(environment[prefix + "ADVERTISED_LISTENERS"])}
    problems = []
    if prefix + "LISTENERS" in environment:
        bound = {l.name for l in parse_listeners(environment[prefix + "LISTENERS"])}
        problems += [f"{name} advertised but not bound" for name in advertised - bound]
    else:
        bound = advertised
        ports = [l.port for l in parse_listeners(environment[prefix + "ADVERTISED_LISTENERS"])]
        problems += ["two listeners on one port"] if len(ports) != len(set(ports)) else []
    if prefix + "LISTENER_SECURITY_PROTOCOL_MAP" in environment:
        mapped = {item.split(":")[0].strip() for item in environment[prefix + "LISTENER_SECURITY_PROTOCOL_MAP"].split(",")}
        problems += [f"{name} has no security protocol" for name in (bound | advertised) - mapped]
    if prefix + "INTER_BROKER_LISTENER_NAME" in environment and prefix + "SECURITY_INTER_BROKER_PROTOCOL" in environment:
        problems.append("only one of inter.broker.listener.name and security.inter.broker.protocol may be set")
    inter = environment.get(prefix + "INTER_BROKER_LISTENER_NAME") or environment.get(
        prefix + "SECURITY_INTER_BROKER_PROTOCOL", "PLAINTEXT")
    if inter not in advertised:
        problems.append(f"inter-broker listener {inter} is not advertised")
    return problems


def published(spec: dict) -> set[str]:
    return {str(p).split("/")[0].rsplit(":", 2)[-2] for p in spec.get("ports", []) if ":" in str(p)}


def _resolve(tree: dict[str, bytes], with_override: bool) -> dict:
    files = [compose_merge.load(tree["docker-compose.yml"])]
    if with_override and "docker-compose.override.yml" in tree:
        files.append(compose_merge.load(tree["docker-compose.override.yml"]))
    return compose_merge.resolve(files)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_host_listener_is_there_in_development_and_not_in_production(case) -> None:
    before_tree, after_tree = read_tree(case.before), read_tree(case.after)
    before = _resolve(before_tree, True)
    production, development = _resolve(after_tree, False), _resolve(after_tree, True)
    for name, (prefix, old) in brokers(before).items():
        if brokers(production)[name][1] == old:
            continue  # reported, not changed (the findings say why; the fixture pins them)
        host_ports = {l.port for l in parse_listeners(old[prefix + "ADVERTISED_LISTENERS"]) if l.host in LOOPBACK}
        _, prod = brokers(production)[name]
        _, dev = brokers(development)[name]
        assert not [l for l in parse_listeners(prod[prefix + "ADVERTISED_LISTENERS"]) if l.host in LOOPBACK], name
        healthcheck = " ".join(map(str, (production[name].get("healthcheck") or {}).get("test") or []))
        # the health check calls no listener on loopback; another port of the container (JMX) may stay
        listener_ports = {l.port for key in ("ADVERTISED_LISTENERS", "LISTENERS")
                          for l in parse_listeners(old.get(prefix + key, ""))}
        loopback_calls = re.findall(r"(?:localhost|127\.0\.0\.1)(?:(?::|\s+)(\d+))?", healthcheck)
        assert not [port for port in loopback_calls if not port or port in listener_ports], (name, healthcheck)
        if not [l for l in parse_listeners(old[prefix + "ADVERTISED_LISTENERS"]) if l.host not in LOOPBACK]:
            continue  # localhost was the only listener: rewritten to the service name, no override
        assert not published(production[name]) & host_ports, name
        for key in (prefix + "ADVERTISED_LISTENERS", prefix + "LISTENERS", prefix + "LISTENER_SECURITY_PROTOCOL_MAP"):
            assert dev.get(key) == old.get(key), (name, key)  # development: as the user had it
        assert published(development[name]) >= host_ports, name
        assert configuration_problems(prefix, prod) == [], (name, "production")
        assert configuration_problems(prefix, dev) == [], (name, "development")


def test_the_configuration_check_can_fail() -> None:
    broken = {"KAFKA_ADVERTISED_LISTENERS": "PLAINTEXT://kafka:9092,PLAINTEXT_HOST://localhost:9093",
              "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "PLAINTEXT:PLAINTEXT"}
    assert configuration_problems("KAFKA_", broken) == ["PLAINTEXT_HOST has no security protocol"]
    assert configuration_problems("KAFKA_", {"KAFKA_ADVERTISED_LISTENERS": "INTERNAL://kafka:29092"}) == [
        "inter-broker listener PLAINTEXT is not advertised"]
    both = {"KAFKA_ADVERTISED_LISTENERS": "DOCKER://kafka:29092", "KAFKA_INTER_BROKER_LISTENER_NAME": "DOCKER",
            "KAFKA_SECURITY_INTER_BROKER_PROTOCOL": "PLAINTEXT"}  # Kafka's ConfigException at startup
    assert configuration_problems("KAFKA_", both) == [
        "only one of inter.broker.listener.name and security.inter.broker.protocol may be set"]


def test_localhost_as_the_only_listener_becomes_the_service_name() -> None:
    tree = read_tree(FIXTURES / "kafka-listeners" / "localhost-only" / "after")
    services = _resolve(tree, True)
    assert services["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    assert services["kafka-legacy"]["environment"]["KAFKA_ADVERTISED_HOST_NAME"] == "kafka-legacy"
    _, run = run_on_tree("kafka-listeners", FIXTURES / "kafka-listeners" / "localhost-only" / "before")
    notes = [f.note for f in run.findings if f.note]
    assert len(notes) == 2 and all("Clients on the host" in n and "lose the broker" in n for n in notes)
    # the finding itself says it (the docstring's promise), not only the review note: host clients on
    # the published port are sent to the service name, and need a second listener advertised as localhost
    rewritten = [f.message for f in run.findings if "advertises only" in f.message]
    assert len(rewritten) == 2 and all("clients on the host" in m and "advertised as localhost" in m for m in rewritten)
    assert "clients on the host (published port 9092) lose the broker" in rewritten[0]


def test_on_the_sample_kafka_advertises_localhost_in_development_only(tmp_path: Path) -> None:
    tree = tmp_path / "sample"
    shutil.copytree(FIXTURES / "sample-monorepo", tree, ignore=shutil.ignore_patterns("node_modules"))
    _, run = run_on_tree("kafka-listeners", tree)
    assert not run.problems, run.problems
    assert sorted(run.changes) == ["docker-compose.override.yml", "docker-compose.yml"]
    write_changes(tree, run)
    files = read_tree(tree)
    for path in run.changes:
        assert compose_merge.schema_errors(files[path]) == [], path
    production, development = _resolve(files, False), _resolve(files, True)
    assert production["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    assert "ports" not in production["kafka"]
    assert production["kafka"]["healthcheck"]["test"][1].endswith("--bootstrap-server kafka:9092")
    assert development["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"] == \
        "PLAINTEXT://kafka:9092,PLAINTEXT_HOST://localhost:9092"
    assert development["kafka"]["ports"] == ["9092:9092"]
    # the rest of the stack is the same in both
    assert {k: v for k, v in production.items() if k != "kafka"} == {k: v for k, v in development.items() if k != "kafka"}
    clash = [f for f in run.findings if "cannot bind one port twice" in f.message]
    assert len(clash) == 1 and not clash[0].changes  # the sample's two listeners on 9092 are reported


def test_dry_run_on_the_sample_shows_the_move(tmp_path: Path) -> None:
    from gitrepo import fixer, make_repo

    repo = make_repo(tmp_path / "sample", read_tree(FIXTURES / "sample-monorepo"))
    result = fixer("apply", "--fix", "kafka-listeners", "--dry-run", str(repo))
    assert result.returncode == 0, result.stderr.decode()
    diff = result.stdout.decode()
    assert "-      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092,PLAINTEXT_HOST://localhost:9092\n" in diff
    assert "+      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092\n" in diff
    assert "+++ b/docker-compose.override.yml" in diff and '+      - "9092:9092"\n' in diff
    assert "+      test: [\"CMD-SHELL\", \"kafka-broker-api-versions --bootstrap-server kafka:9092\"]\n" in diff


@pytest.mark.parametrize("fix_id", ["kafka-listeners", "env-separation"])
def test_an_override_of_the_users_that_git_ignores_is_never_committed_over(tmp_path: Path, fix_id: str) -> None:
    """Teams keep `docker-compose.override.yml` local (ignored): a branch that adds one would replace
    theirs on checkout, and git deletes it on the way back. The fix refuses, and the base file's
    edits that go with the override are not made either (production without the host listener,
    development without it too, is worse than no change)."""
    from gitrepo import fixer, git, make_repo

    files = read_tree(FIXTURES / "sample-monorepo")
    files[".gitignore"] = files.get(".gitignore", b"") + b"\ndocker-compose.override.yml\n"
    repo = make_repo(tmp_path / "sample", files)
    local = b'services:\n  kafka:\n    environment:\n      MY_LOCAL_SETTING: "keep me"\n'
    (repo / "docker-compose.override.yml").write_bytes(local)
    status = git(repo, "status", "--porcelain=v2", "--ignored")
    result = fixer("apply", "--fix", fix_id, str(repo))
    assert result.returncode == 3, result.stderr.decode()
    message = result.stderr.decode()
    assert f"error: docker-compose.override.yml: {fix_id}: your checkout has a file there that git ignores or " \
           "does not track" in message  # (the line names the file)
    assert f"error: docker-compose.yml: {fix_id}: goes with the change to docker-compose.override.yml" in message
    branch = git(repo, "branch", "--list", f"fixer/{fix_id}").strip()
    if branch:  # what does not go with the override may land; the compose file and the override do not
        changed = git(repo, "diff", "--name-only", "HEAD", f"fixer/{fix_id}").split()
        assert "docker-compose.yml" not in changed and "docker-compose.override.yml" not in changed
    assert (repo / "docker-compose.override.yml").read_bytes() == local
    assert git(repo, "status", "--porcelain=v2", "--ignored") == status


def test_the_commit_message_tells_each_change_under_its_own_file(tmp_path: Path) -> None:
    """The override's finding carries the base file's edits (they stand or fall together), but
    its line belongs under the override: under docker-compose.yml it said the base gained what it lost."""
    from gitrepo import fixer, git, make_repo

    repo = make_repo(tmp_path / "sample", read_tree(FIXTURES / "sample-monorepo"))
    assert fixer("apply", "--fix", "kafka-listeners", str(repo)).returncode == 0
    message = git(repo, "log", "-1", "--format=%B", "fixer/kafka-listeners")
    lines = [line for line in message.splitlines() if line.startswith("- docker-compose")]
    assert any(line.startswith("- docker-compose.override.yml (new file):") and "created" in line for line in lines)
    assert not any(line.startswith("- docker-compose.yml:") and "created" in line for line in lines), lines


# --- session 17 (hE): listeners from an env_file or an interpolation default ------------------------


@pytest.mark.parametrize("value, expected", [
    ("${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT://kafka:29092,PLAINTEXT_HOST://localhost:9092}",
     "PLAINTEXT://kafka:29092,PLAINTEXT_HOST://localhost:9092"),
    ("PLAINTEXT://${HOST-localhost}:9092", "PLAINTEXT://localhost:9092"),
    ("PLAINTEXT://${A:-${B:-localhost}}:9092", "PLAINTEXT://localhost:9092"),
    ("PLAINTEXT://${HOST}:9092", "PLAINTEXT://:9092"),
    ("PLAINTEXT://$HOST:9092", "PLAINTEXT://:9092"),
    ("PLAINTEXT://${HOST:?set HOST}:9092", "PLAINTEXT://:9092"),
    ("PLAINTEXT://kafka${SUFFIX:+-x}:9092", "PLAINTEXT://kafka:9092"),
    ("PLAINTEXT://localhost:9092", "PLAINTEXT://localhost:9092"),
])
def test_a_value_is_read_as_compose_makes_it_where_its_variables_are_unset(value: str, expected: str) -> None:
    from transforms.kafka_listeners import unset

    assert unset(value) == expected


def test_a_cached_scan_follows_the_broker_env_file(tmp_path: Path) -> None:
    """The env file's listeners are part of the context: a warm run sees the env file's new content."""
    from gitrepo import fixer, git, make_repo

    compose = ("services:\n  kafka:\n    image: confluentinc/cp-kafka:7.5.0\n    env_file: ./kafka/broker.env\n"
               "    ports:\n      - \"9092:9092\"\n")
    local = "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka:29092,PLAINTEXT_HOST://localhost:9092\n"
    repo = make_repo(tmp_path / "repo", {"docker-compose.yml": compose, "kafka/broker.env": "KAFKA_BROKER_ID=1\n"})
    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    first = fixer("apply", "--dry-run", "--fix", "kafka-listeners", str(repo), env=env)
    assert b"0 finding(s)" in first.stdout + first.stderr
    (repo / "kafka/broker.env").write_text(local)
    git(repo, "commit", "-qam", "advertise localhost")
    second = fixer("apply", "--dry-run", "--fix", "kafka-listeners", str(repo), env=env)
    out = (second.stdout + second.stderr).decode()
    assert "1 finding(s)" in out and "kafka/broker.env:1, its env_file" in out, out


# --- session 18 (hB): settings in a broker's env_file beside `environment:`, built brokers, compose_edit.unset ---


def _effective(tree: dict[str, bytes], with_override: bool) -> dict[str, dict[str, str | None]]:
    """Each service's environment as compose gives it: its env files (a later one wins), then `environment`."""
    import posixpath

    def read(path: str) -> str:
        return tree.get(posixpath.normpath(path), b"").decode()  # (one the tree lacks: set on the machine)

    return {name: compose_merge.environment(spec, read) for name, spec in _resolve(tree, with_override).items()}


ENV_FILE_CASES = [c for c in all_cases() if c.fix_id == "kafka-listeners" and b"env_file" in
                  read_tree(c.before).get("docker-compose.yml", b"")]


@pytest.mark.parametrize("case", ENV_FILE_CASES, ids=[c.name for c in ENV_FILE_CASES])
def test_a_broker_that_reads_an_env_file_stays_a_consistent_kafka_configuration(case) -> None:
    """With its env files read too (the settings `environment:` does not override), every broker the fix
    changes is a configuration Kafka starts with, in production and in development, and development is
    as before. Before, a protocol map in `environment:` lost the host listener that the env file's
    LISTENERS still binds (`No security protocol defined for listener PLAINTEXT_HOST`), and
    INTER_BROKER_LISTENER_NAME was added beside the env file's SECURITY_INTER_BROKER_PROTOCOL."""
    from harness import tree_after

    before_tree = read_tree(case.before)
    _, run = run_on_tree("kafka-listeners", case.before)
    after_tree = tree_after(before_tree, run)
    before = _effective(before_tree, True)
    production, development = _effective(after_tree, False), _effective(after_tree, True)
    checked = 0
    for name, old in before.items():
        prefix = next((p for p in ("KAFKA_CFG_", "KAFKA_") if old.get(p + "ADVERTISED_LISTENERS")), None)
        if prefix is None or production[name] == old:
            continue  # no broker, or reported and not changed
        old = {k: v or "" for k, v in old.items()}
        prod = {k: v or "" for k, v in production[name].items()}
        dev = {k: v or "" for k, v in development[name].items()}
        if configuration_problems(prefix, old):
            continue
        checked += 1
        assert configuration_problems(prefix, prod) == [], (name, "production", prod)
        assert configuration_problems(prefix, dev) == [], (name, "development", dev)
        assert not [l for l in parse_listeners(prod[prefix + "ADVERTISED_LISTENERS"]) if l.host in LOOPBACK], name
        if [l for l in parse_listeners(old[prefix + "ADVERTISED_LISTENERS"]) if l.host not in LOOPBACK]:
            for key in ("ADVERTISED_LISTENERS", "LISTENERS", "LISTENER_SECURITY_PROTOCOL_MAP",
                        "INTER_BROKER_LISTENER_NAME", "SECURITY_INTER_BROKER_PROTOCOL"):
                assert dev.get(prefix + key) == old.get(prefix + key), (name, key)
    assert checked or case.after is None


def test_the_env_file_settings_of_a_broker_are_read_beside_its_environment() -> None:
    case = FIXTURES / "kafka-listeners" / "settings-in-an-env-file-beside-environment"
    _, run = run_on_tree("kafka-listeners", case / "before")
    production = _effective(tree_after(read_tree(case / "before"), run), False)
    # the env file's LISTENERS binds PLAINTEXT_HOST: its protocol stays in the map `environment:` holds
    assert production["kafka"]["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] == "PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT"
    assert production["kafka"]["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:29092"
    # the env file's SECURITY_INTER_BROKER_PROTOCOL: no INTER_BROKER_LISTENER_NAME beside it, nothing changed
    assert "KAFKA_INTER_BROKER_LISTENER_NAME" not in production["kafka-protocol-in-file"]
    assert "localhost:9094" in production["kafka-protocol-in-file"]["KAFKA_ADVERTISED_LISTENERS"]


def tree_after(before: dict[str, bytes], run) -> dict[str, bytes]:
    from harness import tree_after as after

    return after(before, run)


def test_a_broker_built_from_a_kafka_image_is_known_by_its_dockerfile(tmp_path: Path) -> None:
    """A compose `build:` whose Dockerfile is FROM a Kafka image is a broker; the cached result follows the
    Dockerfile (part of the context, as the env file is)."""
    from gitrepo import fixer, git, make_repo

    compose = "services:\n  kafka:\n    build: ./kafka\n    env_file: ./kafka/broker.env\n"
    files = {"docker-compose.yml": compose, "kafka/Dockerfile": "FROM node:20-alpine\n",
             "kafka/broker.env": "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://localhost:9092\n"}
    repo = make_repo(tmp_path / "repo", files)
    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    first = fixer("apply", "--dry-run", "--fix", "kafka-listeners", str(repo), env=env)
    assert b"0 finding(s)" in first.stdout + first.stderr  # an app that reads a broker's env file is no broker
    (repo / "kafka/Dockerfile").write_text("ARG TAG=7.5.0\nFROM confluentinc/cp-kafka:7.5.0 AS broker\nFROM broker\n")
    git(repo, "commit", "-qam", "a broker image")
    second = fixer("apply", "--dry-run", "--fix", "kafka-listeners", str(repo), env=env)
    out = (second.stdout + second.stderr).decode()
    assert "1 finding(s)" in out and "kafka/broker.env:1, its env_file" in out, out


@pytest.mark.parametrize("value, unknown, expected", [
    ("${PASSWORD:-pa$$word}", "", "pa$word"),  # `$$` is compose's `$`
    ("${A:-${B:-x}}-$$HOME-${C}", "", "x-$HOME-"),
    ("PLAINTEXT://${HOST:?required}:9092", "?", "PLAINTEXT://?:9092"),
])
def test_compose_interpolation_with_its_variables_unset_is_a_shared_reader(value: str, unknown: str, expected: str) -> None:
    from fixer.parsing.compose_edit import unset

    assert unset(value, unknown) == expected
