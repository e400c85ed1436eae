"""Keep Kafka's localhost listener out of production: move it into the development override.

## What it does

Finds the Kafka brokers of the base compose file (`confluentinc/cp-kafka`,
`bitnami/kafka`, `apache/kafka`, `wurstmeister/kafka`, or any service with a
`KAFKA_ADVERTISED_LISTENERS` / bitnami `KAFKA_CFG_ADVERTISED_LISTENERS`, mapping or list
form, plain, quoted or folded over lines with `>-`) and the listeners they advertise on
`localhost`/`127.0.0.1`, whatever they are called (`PLAINTEXT_HOST`, `EXTERNAL`,
`PLAINTEXT`).

When the broker also advertises an in-network listener, the localhost one moves into
the development override (`docker-compose.override.yml`, created or extended): the base
keeps only the in-network listeners in `ADVERTISED_LISTENERS`, `LISTENERS` and the
`LISTENER_SECURITY_PROTOCOL_MAP`, and loses the host port mapping of the localhost
listener; the override sets those variables to their full development values and
publishes the port again. When the localhost listener was the implicit inter-broker
listener (named `PLAINTEXT`, no `INTER_BROKER_LISTENER_NAME`), the base names the
in-network one explicitly. ZooKeeper and KRaft setups, several brokers, and an existing
override (only what it lacks is added; nothing the user wrote is dropped or reordered)
are handled.

When localhost is the only advertised listener, other containers cannot reach the
broker at all: it is rewritten to the compose service name (`PLAINTEXT://kafka:9092`),
with no development override, and the finding says that clients on the host (on the
published port, `9092:9092`) can no longer use the broker and need a second listener
advertised as localhost, which fixer does not add (a `PLAINTEXT_HOST://localhost:29092`
listener with its `LISTENERS` and protocol-map entries and its port, in the override).

The broker's health check then calls the in-network listener (`kafka:9092`) instead of
`localhost`; a call to another port of the container (`nc -z localhost 9101`, JMX) keeps
`localhost`. When that listener speaks another security protocol (`INTERNAL:SASL_PLAINTEXT`
beside a `PLAINTEXT` localhost one), or the check comes from a YAML anchor other services
share, the check cannot simply follow, and the broker is reported instead of changed. An edited value written as a block scalar (`>-`) becomes a one-line scalar.
Two advertised listeners on one port with no explicit `LISTENERS` (the broker cannot
bind both) are reported. Brokers in `docker-compose.prod.yml` that advertise localhost
are reported; development files and overrides are left alone. Also reported, not
changed: a broker whose localhost listener is the inter-broker one through
`SECURITY_INTER_BROKER_PROTOCOL` (Kafka refuses `INTER_BROKER_LISTENER_NAME` beside it,
and an override cannot remove it); a broker with `network_mode: host` (or `service:…`,
`container:…`), where localhost is the right address and its service name resolves
nowhere; a broker in a file pulled in with `include:`, which gets no override of its
own; and every broker of a base whose override does not exist and is git-ignored (each
developer keeps their own: a committed one would replace theirs on checkout).
A broker that takes `INTER_BROKER_LISTENER_NAME` or `SECURITY_INTER_BROKER_PROTOCOL` from a
YAML anchor (`<<: *kafka-env`) is reported; one that takes `LISTENERS` or the protocol
map from one keeps the host listener bound there in production, and the finding says so.
A long-form port (`target:`, `published:`, `host_ip:`) moves as written.
A broker (by image, or built by compose from a Dockerfile `FROM` a Kafka image) that takes its
advertised listeners from its `env_file:` is reported with the env file and line that advertise
localhost and what to change there (fixer edits no env file, which other services or compose files
may read); so is one whose value is an interpolation whose default advertises localhost
(`${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT_HOST://localhost:9092}`: the value wherever the variable is
unset, in production too). With the advertised listeners in `environment:`, the other settings are
read from the env file where `environment:` does not set them: a `LISTENERS` there keeps binding the
localhost listener in production (not advertised, its port not published), so the protocol map keeps
its entry and the finding says how to stop it; a `SECURITY_INTER_BROKER_PROTOCOL` there is reported
as one in `environment:` is.

## Why

The audit found `PLAINTEXT_HOST://localhost:9092` advertised in `docker-compose.yml`:
a client that bootstraps from such a broker is told to reconnect to `localhost:9092`,
which only works on the developer's machine; in production the listener is useless at
best and a misdirection at worst, and the health check depends on it. The host listener
belongs to local development, which is what the override is for.

## Example

```diff
     ports:
-      - "9092:9092"
       - "9101:9101"
     environment:
-      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT
-      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:29092,PLAINTEXT_HOST://localhost:9092
+      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: PLAINTEXT:PLAINTEXT
+      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:29092
     healthcheck:
-      test: ["CMD-SHELL", "kafka-broker-api-versions --bootstrap-server localhost:9092"]
+      test: ["CMD-SHELL", "kafka-broker-api-versions --bootstrap-server kafka:29092"]
```

and in `docker-compose.override.yml`:

```yaml
services:
  kafka:
    ports:
      - "9092:9092"
    environment:
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:29092,PLAINTEXT_HOST://localhost:9092
```

## Fix safety

Safe. `docker compose up` (base + override) configures the broker exactly as before;
`docker compose -f docker-compose.yml up` (production) no longer advertises localhost or
publishes its port. Compose merges `environment` by key, so the override carries the
whole development value of each variable it sets. Rewriting a localhost-only listener to
the service name fixes every client in the compose network and breaks clients on the
host that relied on it: the finding says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from fixer.errors import ParseError
from fixer.model import Edit, Finding, FixInfo, NewFile
from fixer.parsing import compose_edit, yamlfile
from fixer.parsing import dockerfile as dockerfile_parser
from fixer.parsing.compose_edit import EnvEntry, ServiceWants, unset
from fixer.probes import env_file_entries
from fixer.repo import ComposeService, FactsSpec, Repo, SourceFile

INFO = FixInfo(
    id="kafka-listeners",
    title="Keep the Kafka localhost listener in the development override",
    audit='Section 2 "Kafka localhost"',
    week=3,
    order=11,
    severity="medium",
    safety="safe",
    kinds=frozenset({"compose"}),
    prefilter=(b"ADVERTISED", b"env_file"),
    version=5,  # 5: a broker's other listener settings read from its env_file beside environment:, brokers built from a Kafka image; 4: advertised listeners read from a broker's env_file and from compose defaults (${X:-…}); 3: a localhost-only listener's finding says host clients lose the broker; 2: reports inter-broker protocol, host networking, include:, git-ignored override; long ports
)

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_LISTENER = re.compile(r"^(?P<name>[A-Za-z0-9_]+)://(?P<host>\[[^\]]*\]|[^:/]*)(?::(?P<port>\d+))?$")
_PROTOCOLS = frozenset({"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"})
# the broker images (`confluentinc/cp-kafka`, `bitnami/kafka`, `apache/kafka-native`, `wurstmeister/kafka`)
_BROKER_IMAGE = re.compile(r"(?:^|/)(?:cp-kafka|cp-server|kafka(?:-native)?)(?::|@|$)")
_LOOPBACK_CALL = re.compile(r"(?<![\w.-])(?:localhost|127\.0\.0\.1)(?P<sep>:|\s+)(?P<port>\d+)\b")


@dataclass(frozen=True)
class Listener:
    name: str
    host: str
    port: str
    text: str

    @property
    def local(self) -> bool:
        return self.host.lower() in LOOPBACK


def parse_listeners(value: str) -> list[Listener]:
    found = []
    for text in (part.strip() for part in value.split(",")):
        match = _LISTENER.match(text)
        if match:
            found.append(Listener(match.group("name").upper(), match.group("host"), match.group("port") or "", text))
    return found


def without(value: str, drop: set[str], sep_pattern: str = r"\s*,\s*") -> str:
    """A comma list without the items in `drop`, joined the way it was written."""
    parts = [p for p in re.split(sep_pattern, value.strip()) if p]
    separator = ", " if ", " in value else ","
    return separator.join(p for p in parts if p not in drop)


@dataclass
class Plan:
    """One broker: the edits to its base file and what the development override must add."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    wants: ServiceWants | None = None


# (compose file, service) -> the broker settings its `env_file:` files give it, as (key, value, env file, line) in
# the order compose reads them, each key once (the last file that sets it wins)
EnvFiles = tuple[tuple[tuple[str, str], tuple[tuple[str, str, str, int], ...]], ...]
# the settings read there: what the listeners, the protocol map and the listener between brokers are
_SETTINGS = frozenset(prefix + suffix for prefix in ("KAFKA_CFG_", "KAFKA_") for suffix in (
    "ADVERTISED_LISTENERS", "LISTENERS", "LISTENER_SECURITY_PROTOCOL_MAP", "INTER_BROKER_LISTENER_NAME",
    "SECURITY_INTER_BROKER_PROTOCOL", "CONTROLLER_LISTENER_NAMES", "ADVERTISED_PORT"))


@dataclass(frozen=True)
class Context:
    roles: tuple[tuple[str, str], ...]
    included: frozenset[str] = frozenset()  # compose files pulled in by another one's `include:`
    env_files: EnvFiles = ()


def prepare(repo: Repo, options: dict) -> Context:
    roles = tuple((path, compose_edit.role(path)) for path in repo.paths_of({"compose"}))
    return Context(roles, compose_edit.included_files(repo), _env_file_settings(repo))


def _env_file_settings(repo: Repo) -> EnvFiles:
    """The broker settings each broker's `env_file:` files give it: part of the context, so a scan's cached
    result goes with the env files' content (and a built broker's Dockerfile)."""
    found = {}
    for compose in repo.compose_services:
        if yamlfile.get(compose.node, "env_file") is None or not _is_broker(repo, compose):
            continue  # (an app's env file shared with the broker names its listeners too: only a broker advertises)
        settings: dict[str, tuple[str, str, str, int]] = {}
        for path, entry in env_file_entries(repo, compose):
            if entry.key in _SETTINGS:
                settings.pop(entry.key, None)  # (in the order of the last file and line that set each)
                settings[entry.key] = (entry.key, entry.value, path, entry.line)
        if settings:
            found[compose.file, compose.name] = tuple(settings.values())
    return tuple(sorted(found.items()))


def _is_broker(repo: Repo, compose: ComposeService) -> bool:
    """A Kafka broker: by its image, by the image its Dockerfile builds on (`build:` of a Dockerfile `FROM
    confluentinc/cp-kafka`), or by the advertised listeners its `environment:` sets."""
    if _BROKER_IMAGE.search(compose.image or ""):
        return True
    environment = yamlfile.get(compose.node, "environment")
    if any(entry.key.endswith("ADVERTISED_LISTENERS") or entry.key == "KAFKA_ADVERTISED_HOST_NAME"
           for entry in compose_edit.env_entries(environment)):
        return True
    return bool(compose.dockerfile and repo.facts_of(BROKER_DOCKERFILES).get(compose.dockerfile))


def _builds_a_broker(source_file: SourceFile) -> bool:
    """Whether a Dockerfile builds on a Kafka image (through its stages: `FROM cp-kafka AS base` … `FROM base`)."""
    try:
        return bool(_BROKER_IMAGE.search(dockerfile_parser.base_image(source_file.instructions)))
    except ParseError:
        return False


BROKER_DOCKERFILES = FactsSpec("kafka-listeners/broker-dockerfiles", _builds_a_broker, frozenset({"dockerfile"}),
                               (b"kafka", b"cp-server"))
FACTS = [BROKER_DOCKERFILES]  # gathered ahead, in the engine's one pass over the files


def _role(context: Context, path: str) -> str:
    """A file pulled in with `include:` gets no override of its own: "included"."""
    role = dict(context.roles).get(path, "other")
    return "included" if role == "base" and path in context.included else role


# --- one compose file -------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    for plan in plans(source_file, _role(context, source_file.path), context.env_files):
        yield from plan.findings


def plans(source_file: SourceFile, role: str, env_files: EnvFiles = ()) -> Iterator[Plan]:
    if role not in ("base", "production", "included"):
        return
    from_files = dict(env_files)
    for name, _key, service in compose_edit.services(source_file):
        given = {key: (value, path, line) for key, value, path, line in from_files.get((source_file.path, name), ())}
        broker = Broker.find(source_file, name, service, given)
        if broker is None and given:
            plan = _env_file_plan(source_file, name, service, role, given)
            if plan is not None:
                yield plan
            continue
        if broker is None or not broker.local:
            continue
        if broker.interpolated:
            # compose substitutes the default when the variable is unset: production advertises it too
            plan = Plan(name)
            value = broker.advertised.value or ""
            names = _variables(value)
            plan.findings.append(broker.finding(broker.advertised.node, f"{name}'s {broker.advertised.key} is "
                                 f"`{value}`: wherever {' and '.join(names)} {'is' if len(names) == 1 else 'are'} unset (production too), "
                                 f"it advertises {broker.local_text}, which only clients on the host can use; "
                                 "make the default the in-network listeners only and give the localhost one to "
                                 "local development by hand (set the variable in the development .env or "
                                 "docker-compose.override.yml)"))
            yield plan
            continue
        shared = [key for key in ("environment", "ports") if compose_edit.shared(service, key)]
        network = yamlfile.get(service, "network_mode")
        network_mode = str(network.value) if isinstance(network, yamlfile.ScalarNode) else ""
        if network_mode == "host" or network_mode.startswith(("service:", "container:")):
            # no compose DNS there: localhost is how clients on that network reach the broker
            plan = Plan(name)
            plan.findings.append(broker.finding(broker.advertised.node, f"{name} advertises {broker.local_text} with "
                                 f"network_mode: {network_mode}, where localhost is the way to reach it and its "
                                 "service name resolves nowhere: left alone; if production runs it on another "
                                 "network, give production its own advertised listeners by hand"))
            yield plan
        elif role == "included":
            plan = Plan(name)
            plan.findings.append(broker.finding(broker.advertised.node, f"{name} advertises {broker.local_text}, which "
                                 "only clients on the host can use, in a file pulled in with `include:`, which gets no "
                                 "override of its own: move the listener (and its port) into the override of the "
                                 "file that includes it by hand"))
            yield plan
        elif shared:
            # the anchor's one text serves every service that uses it
            plan = Plan(name)
            plan.findings.append(broker.finding(broker.advertised.node, f"{name} advertises {broker.local_text} "
                                 f"and takes its {' and '.join(shared)} from a YAML anchor shared with other "
                                 "services: move the listener to the development override by hand"))
            yield plan
        elif role == "production":
            plan = Plan(name)
            plan.findings.append(broker.finding(broker.advertised.node, f"{name} advertises "
                                 f"{broker.local_text}, which only clients on the host can use: remove it from "
                                 "this production file"))
            yield plan
        elif broker.remote:
            yield broker.move()
        else:
            yield broker.rewrite()


@dataclass
class Broker:
    source_file: SourceFile
    name: str
    service: yamlfile.MappingNode
    environment: yamlfile.Node
    prefix: str  # "KAFKA_" or bitnami's "KAFKA_CFG_"
    entries: dict[str, EnvEntry]
    advertised: EnvEntry
    listeners: list[Listener]
    interpolated: bool = False  # the advertised value names a variable compose substitutes (`${X:-…}`)
    given: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # its env_file's: key -> (value, file, line)

    @staticmethod
    def find(source_file: SourceFile, name: str, service: yamlfile.Node,
             given: dict[str, tuple[str, str, int]] | None = None) -> "Broker | None":
        """The broker a service is, when its `environment:` advertises listeners; `given`: the settings its
        `env_file:` gives it, read where `environment:` does not set them (it wins over env_file)."""
        if not isinstance(service, yamlfile.MappingNode):
            return None
        environment = yamlfile.get(service, "environment")
        entries = {e.key: e for e in compose_edit.env_entries(environment)}
        given = {key: found for key, found in (given or {}).items() if key not in entries}
        for prefix in ("KAFKA_CFG_", "KAFKA_"):
            advertised = entries.get(prefix + "ADVERTISED_LISTENERS")
            if advertised is not None and advertised.value:
                assert environment is not None
                return Broker(source_file, name, service, environment, prefix, entries, advertised,
                              parse_listeners(unset(advertised.value)), bool(_variables(advertised.value)), given)
        legacy = entries.get("KAFKA_ADVERTISED_HOST_NAME")  # wurstmeister's older single-listener form
        if legacy is not None and legacy.value:
            assert environment is not None
            broker = Broker(source_file, name, service, environment, "KAFKA_", entries, legacy, [], given=given)
            port = broker.value("ADVERTISED_PORT") or ""
            broker.listeners = [Listener("PLAINTEXT", legacy.value.strip(), port, legacy.value.strip())]
            return broker
        return None

    @property
    def local(self) -> list[Listener]:
        return [listener for listener in self.listeners if listener.local]

    @property
    def remote(self) -> list[Listener]:
        return [listener for listener in self.listeners if not listener.local]

    @property
    def local_text(self) -> str:
        return ", ".join(listener.text for listener in self.local)

    def entry(self, suffix: str) -> EnvEntry | None:
        """The setting as `environment:` holds it (what this fix can edit)."""
        return self.entries.get(self.prefix + suffix)

    def value(self, suffix: str) -> str | None:
        """The setting's value as the broker gets it: from `environment:`, else from its `env_file:`."""
        entry = self.entry(suffix)
        if entry is not None:
            return entry.value
        given = self.given.get(self.prefix + suffix)
        return given[0] if given is not None else None

    def in_env_file(self, suffix: str) -> str | None:
        """Where the broker's `env_file:` sets the setting (`kafka/broker.env:3`), when `environment:` does not."""
        given = self.given.get(self.prefix + suffix) if self.entry(suffix) is None else None
        return f"{given[1]}:{given[2]}" if given is not None else None

    def finding(self, node: yamlfile.Node, message: str, *changes: Edit, note: str | None = None) -> Finding:
        return Finding(INFO.id, self.source_file.path, yamlfile.line(node), yamlfile.column(node), message,
                       tuple(changes), note=note)

    def set_value(self, entry: EnvEntry, value: str) -> Edit:
        text = value if entry.form == "map" else f"{entry.key}={value}"
        flow = bool(getattr(self.environment, "flow_style", False))
        return compose_edit.replace_scalar(self.source_file, entry.node, text, flow)

    # --- the localhost listener moves to the override -----------------------------------

    def move(self) -> Plan:
        plan = Plan(self.name)
        names = {listener.name for listener in self.local}
        merged = self._merged("INTER_BROKER_LISTENER_NAME", "SECURITY_INTER_BROKER_PROTOCOL")
        if merged:
            # the listener between brokers is decided in the anchor, which this fix does not read
            plan.findings.append(self.finding(self.advertised.node, f"{self.name} advertises {self.local_text} and takes "
                                 f"{', '.join(merged)} from a YAML anchor (`<<:`): which listener carries traffic "
                                 "between brokers is decided there; move the localhost listener to the override by "
                                 "hand"))
            return plan
        inter_broker = self._inter_broker(names)
        protocol = self._security_protocol()
        if isinstance(inter_broker, str) and protocol is not None:
            # Kafka refuses INTER_BROKER_LISTENER_NAME beside SECURITY_INTER_BROKER_PROTOCOL, and an
            # override cannot remove the protocol from development
            key, value, where = protocol
            there = f" (in {where}, its env_file)" if where else " in the base"
            plan.findings.append(self.finding(self.advertised.node, f"{self.name} advertises {self.local_text}, which "
                                 f"{key}={value} makes the listener between brokers: Kafka "
                                 "accepts only one of SECURITY_INTER_BROKER_PROTOCOL and INTER_BROKER_LISTENER_NAME, "
                                 f"so move it by hand: replace {key}{there} with {self.prefix}"
                                 f"INTER_BROKER_LISTENER_NAME={inter_broker}, then move the localhost "
                                 "listener to the override"))
            return plan
        if inter_broker is None:
            where = self.in_env_file("INTER_BROKER_LISTENER_NAME")
            named = f" ({self.prefix}INTER_BROKER_LISTENER_NAME in {where}, its env_file)" if where else ""
            plan.findings.append(self.finding(self.advertised.node, f"{self.name} advertises {self.local_text} and "
                                 f"uses it between brokers{named}: move it to the override by hand after naming an "
                                 "in-network INTER_BROKER_LISTENER_NAME"))
            return plan
        checks = self._health_check(self.remote)
        if any(not check.changes for check in checks):
            # production would keep a health check on a listener it no longer has
            plan.findings.append(self.finding(self.advertised.node, f"{self.name} advertises {self.local_text}, which "
                                 "only clients on the host can use, and its health check cannot follow it to the "
                                 "listener production keeps: move both by hand"))
            plan.findings += checks
            return plan
        edits = [self.set_value(self.advertised, without(self.advertised.value or "", {l.text for l in self.local}))]
        moved: list[tuple[str, str]] = [(self.advertised.key, self._original(self.advertised))]
        for suffix, drop in (("LISTENERS", self._bound_items), ("LISTENER_SECURITY_PROTOCOL_MAP", self._map_items)):
            entry = self.entry(suffix)
            if entry is None or not entry.value:
                continue
            dropped = drop(entry.value, names)
            if dropped:
                edits.append(self.set_value(entry, without(entry.value, dropped)))
                moved.append((entry.key, self._original(entry)))
        if inter_broker is not True:
            edits.append(self._add_env(self.prefix + "INTER_BROKER_LISTENER_NAME", inter_broker))
        ports, port_edits = self._host_ports()
        edits += port_edits
        rank = {key: index for index, key in enumerate(self.entries)}
        moved.sort(key=lambda item: rank.get(item[0], len(rank)))  # the base file's order
        order = tuple(str(k.value) for k, _ in self.service.value if isinstance(k, yamlfile.ScalarNode))
        plan.wants = ServiceWants(self.name, moved, compose_edit.env_form(self.environment), ports=ports, order=order)
        kept = ", ".join(listener.text for listener in self.remote)
        published = f", port {', '.join(compose_edit.item_text(p) for p in ports)}" if ports else ""
        named = f"; {self.prefix}INTER_BROKER_LISTENER_NAME={inter_broker} (it was the localhost one)" \
            if inter_broker is not True else ""
        plan.findings.append(self.finding(self.advertised.node, f"{self.name} advertises {self.local_text}, which only "
                             f"clients on the host can use: moved to the development override ({', '.join(k for k, _ in moved)}"
                             f"{published}); production keeps {kept}{named}", *edits))
        plan.findings += checks
        plan.findings += self._port_clash()
        plan.findings += self._bound_in_env_file(names)
        anchored = [key for key in self._merged("LISTENERS", "LISTENER_SECURITY_PROTOCOL_MAP")
                    if any(item.split(":")[0].strip().upper() in names
                           for item in str(getattr(yamlfile.get(self.environment, key), "value", "")).split(","))]
        if anchored:
            plan.findings.append(self.finding(self.advertised.node, f"{self.name} takes {', '.join(anchored)} from a YAML "
                                 f"anchor (`<<:`) shared with other services: production still binds "
                                 f"{', '.join(sorted(names))} (not advertised, port not published); remove it there by "
                                 "hand once every broker that uses the anchor has its host listener in the override"))
        return plan

    def _bound_in_env_file(self, names: set[str]) -> list[Finding]:
        """When the broker's env_file binds the localhost listener (`LISTENERS`), which this fix does not edit (other
        services or compose files may read the file): production keeps binding it, and the protocol map keeps its
        entry (`_map_items`: a bound listener with none stops the broker); what a human does about it."""
        where = self.in_env_file("LISTENERS")
        value = self.value("LISTENERS") or ""
        bound = [l.text for l in parse_listeners(value) if l.name in names] if where else []
        if not bound:
            return []
        key, items = self.prefix + "LISTENERS", ", ".join(bound)
        return [self.finding(self.advertised.node, f"{self.name} takes {key} from its env_file ({where}), which "
                             "fixer does not edit (other services or compose files may read it): production still "
                             f"binds {items} (no longer advertised, its port not published); to stop that, drop {items} "
                             f"from {key} there by hand, and set `{key}: {value}` in the development override's "
                             "`environment:` (it wins over env_file) of each service that reads that file")]

    def _merged(self, *suffixes: str) -> list[str]:
        """The variables of these names (either prefix) that the environment takes from a `<<:` merge."""
        if not isinstance(self.environment, yamlfile.MappingNode):
            return []
        keys = [prefix + suffix for suffix in suffixes for prefix in ("KAFKA_CFG_", "KAFKA_")]
        return [key for key in keys if yamlfile.inherited(self.environment, key)]

    def _original(self, entry: EnvEntry) -> str:
        value = entry.value or ""
        if entry.form == "map":
            source = compose_edit.verbatim(self.source_file, entry.node)
            return source if str(source) == value else value
        return value

    def _inter_broker(self, moving: set[str]) -> str | bool | None:
        """True when the inter-broker listener stays; a remote listener's name when it must be
        named explicitly; None when the localhost listener is named as the inter-broker one."""
        explicit = self.value("INTER_BROKER_LISTENER_NAME")
        if explicit:
            return None if explicit.strip().upper() in moving else True
        implicit = (self.value("SECURITY_INTER_BROKER_PROTOCOL") or "PLAINTEXT").strip().upper()
        if implicit not in moving:
            return True
        controllers = {n.strip().upper() for n in (self.value("CONTROLLER_LISTENER_NAMES") or "").split(",")}
        candidates = [l.name for l in self.remote if l.name not in controllers]
        return candidates[0] if candidates else None

    def _security_protocol(self) -> tuple[str, str, str] | None:
        """`SECURITY_INTER_BROKER_PROTOCOL`, in either spelling (`KAFKA_`, bitnami's `KAFKA_CFG_`): (key, value, where
        its env_file sets it or "" in `environment:`)."""
        for key in ("KAFKA_CFG_SECURITY_INTER_BROKER_PROTOCOL", "KAFKA_SECURITY_INTER_BROKER_PROTOCOL"):
            entry = self.entries.get(key)
            if entry is not None and entry.value:
                return key, entry.value, ""
        for key in ("KAFKA_CFG_SECURITY_INTER_BROKER_PROTOCOL", "KAFKA_SECURITY_INTER_BROKER_PROTOCOL"):
            given = self.given.get(key)
            if given is not None and given[0]:
                return key, given[0], f"{given[1]}:{given[2]}"
        return None

    def _bound_items(self, value: str, names: set[str]) -> set[str]:
        return {l.text for l in parse_listeners(value) if l.name in names}

    def _map_items(self, value: str, names: set[str]) -> set[str]:
        # what production still binds keeps its protocol: all of LISTENERS when it comes from the env file
        moved = names if self.entry("LISTENERS") is not None else set()
        keep = {l.name for l in self.remote} | {l.name for l in parse_listeners(self.value("LISTENERS") or "")
                                                 if l.name not in moved}
        return {item.strip() for item in value.split(",") if item.split(":")[0].strip().upper() in names - keep}

    def _add_env(self, key: str, value: str) -> Edit:
        node = self.environment
        style = compose_edit.style_of(self.source_file)
        if isinstance(node, yamlfile.MappingNode):
            return compose_edit.add_to_mapping(self.source_file, node, {key: value}, style)
        assert isinstance(node, yamlfile.SequenceNode)
        return compose_edit.add_to_sequence(self.source_file, node, [f"{key}={value}"], style)

    def _host_ports(self) -> tuple[list, list[Edit]]:
        """The port mappings that publish a localhost listener's port (the long form as a
        mapping, `host_ip` and all), and their removal."""
        node = yamlfile.get(self.service, "ports")
        if not isinstance(node, yamlfile.SequenceNode):
            return [], []
        wanted = {listener.port for listener in self.local if listener.port}
        matched = []
        for item in node.value:
            value = _port_text(item)
            if value is not None and compose_edit.published_port(value) in wanted:
                matched.append((item, compose_edit.verbatim(self.source_file, item) if isinstance(item, yamlfile.ScalarNode)
                                else _long_port(self.source_file, item)))
        if not matched:
            return [], []
        if len(matched) == len(node.value):
            edit = compose_edit.remove_key(self.source_file, self.service, "ports")
            return [value for _, value in matched], [edit] if edit else []
        edits = [compose_edit.remove_item(self.source_file, node, item) for item, _ in matched]
        return [value for _, value in matched], [e for e in edits if e is not None]

    # --- the only advertised listener is localhost --------------------------------------

    def rewrite(self) -> Plan:
        plan = Plan(self.name)
        value = self.advertised.value or ""
        legacy = self.advertised.key.endswith("ADVERTISED_HOST_NAME")
        renamed = [Listener(l.name, self.name, l.port, self.name if legacy else
                            f"{l.name}://{self.name}" + (f":{l.port}" if l.port else "")) for l in self.local]
        for old, new in zip(self.local, renamed):
            value = new.text if legacy else value.replace(old.text, new.text)
        now = ", ".join(l.text for l in renamed)
        # clients on the host bootstrap through the published port and are now sent to a name only
        # the compose network resolves: the finding says so (a second listener is theirs to add)
        published = self._published(self.local)
        port = f" (published port {', '.join(published)})" if published else ""
        host = f"clients on the host{port} lose the broker, which now sends them to {self.name}: add a second " \
            "listener advertised as localhost for them in docker-compose.override.yml (e.g. " \
            "PLAINTEXT_HOST://localhost:29092 with its LISTENERS and protocol-map entries and port 29092 published)"
        note = (f"{self.name} advertised only {self.local_text}, so clients in other containers were sent to their "
                f"own localhost and could never reach the broker; it now advertises {now}. "
                f"{host[0].upper()}{host[1:]}")
        plan.findings.append(self.finding(self.advertised.node, f"{self.name} advertises only {self.local_text}: "
                             f"other containers cannot reach the broker; now {now}; {host}",
                             self.set_value(self.advertised, value), note=note))
        plan.findings += self._health_check(renamed)
        return plan

    def _published(self, listeners: list[Listener]) -> list[str]:
        """The host ports of the service's port mappings that publish these listeners' ports."""
        node = yamlfile.get(self.service, "ports")
        wanted = {listener.port for listener in listeners if listener.port}
        values = [_port_text(item) for item in node.value] if isinstance(node, yamlfile.SequenceNode) else []
        return list(dict.fromkeys(port for port in (compose_edit.published_port(v) for v in values if v is not None)
                                  if port in wanted))

    # --- health check, port clash --------------------------------------------------------

    def _health_check(self, targets: list[Listener]) -> list[Finding]:
        healthcheck = yamlfile.get(self.service, "healthcheck")
        test = yamlfile.get(healthcheck, "test")
        if test is None or not targets:
            return []
        target = next((l for l in targets if l.name == self.value("INTER_BROKER_LISTENER_NAME")), targets[0])
        host = target.host or self.name
        # only calls to a listener move: `nc -z localhost 9101` (JMX) checks another port of the container
        ports = self._listener_ports()
        found = []
        flow = bool(getattr(test, "flow_style", False))
        scalars = list(yamlfile.scalars(test))
        for index, scalar in enumerate(scalars):
            value = str(scalar.value)
            if value.strip().lower() in LOOPBACK:  # exec form: ["CMD", "nc", "-z", "localhost", "9092"]
                following = scalars[index + 1] if index + 1 < len(scalars) else None
                port = str(following.value) if following is not None and str(following.value).isdigit() else None
                if port is not None and port not in ports:
                    continue
                edits = [compose_edit.replace_scalar(self.source_file, scalar, host, flow)]
                if following is not None and port is not None and target.port:
                    edits.append(compose_edit.replace_scalar(self.source_file, following, target.port, flow))
                found.append(self._retarget(scalar, value, port, target, f"{host}{' ' + target.port if target.port else ''}",
                                            edits, healthcheck))
                continue
            calls = [call for call in _LOOPBACK_CALL.finditer(value) if call.group("port") in ports]
            if not calls:
                continue
            new = _LOOPBACK_CALL.sub(lambda m: f"{host}{m.group('sep')}{target.port or m.group('port')}"
                                     if m.group("port") in ports else m.group(0), value)
            found.append(self._retarget(scalar, calls[0].group(0), calls[0].group("port"), target, f"{host}:{target.port}",
                                        [compose_edit.replace_scalar(self.source_file, scalar, new, flow)], healthcheck))
        return found

    def _retarget(self, scalar: yamlfile.ScalarNode, call: str, port: str | None, target: Listener, new: str,
                  edits: list[Edit], healthcheck: yamlfile.Node | None) -> Finding:
        """The finding for one health check call to a localhost listener: moved to `target`, or
        why it cannot be."""
        called = self._protocol(self._listener_on(port)) if port else self._protocol(self.local[0].name)
        wanted = self._protocol(target.name)
        where = f"{self.name}'s health check calls {call}"
        if called is None or called != wanted:
            return self.finding(scalar, f"{where}, a {called or 'unknown'} listener, and the listener production "
                                f"keeps ({target.name}) speaks {wanted or 'an unknown protocol'}: give the check the "
                                "client settings that listener needs, then point it there by hand")
        if compose_edit.shared(self.service, "healthcheck") or compose_edit.shared(healthcheck, "test"):
            return self.finding(scalar, f"{where} through a YAML anchor shared with other services: point it at "
                                f"{new} there by hand")
        return self.finding(scalar, f"{where}: now {new}, the listener production keeps", *edits)

    def _listener_on(self, port: str) -> str | None:
        bound = parse_listeners(self.value("LISTENERS") or "")
        return next((l.name for l in self.local + bound + self.listeners if l.port == port), None)

    def _protocol(self, listener: str | None) -> str | None:
        """A listener's security protocol: its entry in the protocol map, else its name when
        that is a protocol (Kafka's default map); None when unknown."""
        if listener is None:
            return None
        mapped = self.value("LISTENER_SECURITY_PROTOCOL_MAP") or ""
        for item in mapped.split(","):
            name, _, protocol = item.strip().partition(":")
            if name.strip().upper() == listener.upper() and protocol.strip():
                return protocol.strip().upper()
        return listener.upper() if listener.upper() in _PROTOCOLS else None

    def _listener_ports(self) -> set[str]:
        bound = parse_listeners(self.value("LISTENERS") or "")
        return {listener.port for listener in self.listeners + bound if listener.port}

    def _port_clash(self) -> list[Finding]:
        if self.entry("LISTENERS") is not None or self.in_env_file("LISTENERS"):
            return []
        ports: dict[str, list[str]] = {}
        for listener in self.listeners:
            ports.setdefault(listener.port, []).append(listener.name)
        return [self.finding(self.advertised.node, f"{' and '.join(names)} both advertise port {port} and no "
                             f"{self.prefix}LISTENERS binds them apart: the broker cannot bind one port twice; give "
                             "the host listener its own port (and LISTENERS, port mapping) in the override")
                for port, names in ports.items() if port and len(names) > 1]


def _env_file_plan(source_file: SourceFile, name: str, service: yamlfile.Node, role: str,
                   given: dict[str, tuple[str, str, int]]) -> Plan | None:
    """A broker whose advertised listeners come from its `env_file:`: reported with where the value lives (fixer
    does not edit env files: one may serve other services or other compose files)."""
    advertised = [key for key in given if key.endswith("ADVERTISED_LISTENERS") and given[key][0]]
    if not advertised:
        return None
    key = advertised[-1]  # (the last file and line that set one)
    value, path, line = given[key]
    listeners = parse_listeners(unset(value))
    local = [listener for listener in listeners if listener.local]
    environment = yamlfile.get(service, "environment")
    network = yamlfile.get(service, "network_mode")
    network_mode = str(network.value) if isinstance(network, yamlfile.ScalarNode) else ""
    if not local or any(e.key == key for e in compose_edit.env_entries(environment)) or network_mode == "host" \
            or network_mode.startswith(("service:", "container:")):
        return None  # (`environment:` wins over env_file; on the host's network localhost is right)
    node = yamlfile.get(service, "env_file") if isinstance(service, yamlfile.MappingNode) else None
    text = ", ".join(listener.text for listener in local)
    checks = yamlfile.get(yamlfile.get(service, "healthcheck"), "test")
    check = "; its health check calls localhost: point it at the listener production keeps" if any(
        _LOOPBACK_CALL.search(str(s.value)) or str(s.value).strip().lower() in LOOPBACK for s in yamlfile.scalars(checks)) else ""
    where = f"{name} advertises {text} ({key} in {path}:{line}, its env_file)"
    if role == "production":
        todo = f"remove it from {path}"
    elif len(local) == len(listeners):
        todo = (f"other containers cannot reach the broker: advertise it as {name} in {path}, and add a listener "
                "advertised as localhost for clients on the host in docker-compose.override.yml")
    else:
        todo = (f"move it to local development by hand: drop it from {path} (with its LISTENERS and protocol-map "
                f"entries) and its port mapping from {source_file.name}, then set the full development values in "
                "docker-compose.override.yml's `environment:`, which wins over env_file")
    finding = Finding(INFO.id, source_file.path, yamlfile.line(node or service), yamlfile.column(node or service),
                      f"{where}, which only clients on the host can use: {todo}{check}")
    plan = Plan(name)
    plan.findings.append(finding)
    return plan


def _variables(value: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", value.replace("$$", ""))))


def _long_port(source_file: SourceFile, item: yamlfile.Node) -> dict | str:
    """A long-form port as a mapping of its keys, each value as written."""
    if not isinstance(item, yamlfile.MappingNode):
        return _port_text(item) or ""
    found: dict = {}
    for key, value in item.value:
        if not isinstance(key, yamlfile.ScalarNode) or not isinstance(value, yamlfile.ScalarNode):
            return _port_text(item) or ""
        found[str(key.value)] = compose_edit.verbatim(source_file, value)
    return found


def _port_text(item: yamlfile.Node) -> str | None:
    if isinstance(item, yamlfile.ScalarNode):
        return str(item.value)
    published, target = yamlfile.get(item, "published"), yamlfile.get(item, "target")
    if isinstance(published, yamlfile.ScalarNode) and isinstance(target, yamlfile.ScalarNode):
        return f"{published.value}:{target.value}"
    return None


# --- across files: the development override ------------------------------------------------


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    paths = frozenset(repo.paths())
    for path, role in context.roles:
        if role != "base" or path in context.included:
            continue
        source_file = repo.read(path)
        if source_file is None:
            continue
        try:
            wants = [plan.wants for plan in plans(source_file, role, context.env_files) if plan.wants is not None]
        except ParseError:
            continue
        if wants:
            finding = _override_finding(repo, paths, source_file, wants)
            if finding.changes:  # the base file's edits go with it: neither is made without the other
                finding.changes += tuple(c for f in findings for c in f.changes if c.path == source_file.path)
            elif finding.message.startswith(compose_edit.UNWRITTEN):
                compose_edit.withdraw(findings, source_file.path, compose_edit.override_path(paths, source_file.path)[0])
            yield finding



def _override_finding(repo: Repo, paths: frozenset[str], base: SourceFile, wants: list[ServiceWants]) -> Finding:
    path, exists = compose_edit.override_path(paths, base.path)
    what = "; ".join(f"{w.name}: {', '.join(k for k, _ in w.environment)}" + (
        f", ports {', '.join(compose_edit.item_text(p) for p in w.ports)}" if w.ports else "") for w in wants)
    local = compose_edit.kept_local(repo, path, exists)
    if local is not None:
        return Finding(INFO.id, base.path, 1, 1, f"{local}, so it is not created and {base.name} is not changed: every developer adds the host "
                       f"listeners ({what}) to theirs, then they are removed from {base.name} by hand")
    if not exists:
        # (on the base file: the override does not exist yet, and a report points at a line that does)
        return Finding(INFO.id, base.path, 1, 1, f"the host listeners for local development ({what}): {path} created",
                       (NewFile(path, compose_edit.new_override(base, wants)),))
    override = repo.read(path)
    if override is None:
        return Finding(INFO.id, path, 1, 1, f"{compose_edit.UNWRITTEN} is skipped ({repo.skips.get(path)}): add {what} by hand")
    try:
        edits, added = compose_edit.extend_override(override, wants, compose_edit.style_of(override))
    except (ParseError, ValueError) as error:
        return Finding(INFO.id, path, 1, 1, f"{compose_edit.UNWRITTEN} cannot be extended ({error}): add {what} by hand")
    if not edits:
        return Finding(INFO.id, path, 1, 1, "the override already sets the host listeners for local development")
    return Finding(INFO.id, path, 1, 1, f"the host listeners for local development: adds {'; '.join(added)}",
                   tuple(edits))
