"""Separate development and production configuration: per-environment env files and a compose override.

## What it does

In the base compose file (`docker-compose.yml`, `compose.yaml`, …) every service's
`env_file: .env` — string, block or flow list, `./.env`, per-service
`services/x/.env`, the long `- path: .env` form — becomes `.env.${ENV:-production}`;
so does an `env_file: .env.production` of the base (dotenv-flow keeps `.env.development` and
`.env.production`, no `.env`): compose appends the override's env files to the base's and
cannot drop one, so development would read production's values. The override's
`.env.development` beside it is `required: false` unless it is committed. A `.env` read
before the `.env.production` of its directory (`[.env, .env.production]`, dotenv-flow's
layers) is what every environment shares: it stays.
A hardcoded `NODE_ENV: production` stays as it is: the base is production, and the
override sets development. A base that sets `NODE_ENV: development`, or
`${NODE_ENV:-production}` (which takes NODE_ENV from the shell or the project's `.env`
when the base is read alone), is reported, not changed; so is an `env_file` that
services share through a YAML anchor (`<<: *defaults`), with the change to make there.
A service that reads `.env` before other env files (`[.env, ./services/api/api.env]`)
is reported, not changed: compose appends the override's files, so `.env.development`
would come last and beat the files that used to beat `.env`.

The development override beside it (`docker-compose.override.yml`, which
`docker compose up` merges over the base) gets `NODE_ENV: development` and
`env_file: .env.development` for every service that reads an env file or sets `NODE_ENV`,
itself or through `extends:` (of the same file, or of another: `extends: {file: compose/common.yml, service: base}`,
whose env file paths are relative to that file; compose resolves `extends` within each
file, so the parent's entry would not reach its children). An existing override gets only what it lacks, by surgical edits, in the
form the user wrote (`KEY: value` or `- KEY=value`, block or flow lists), with
`.env.development` before the override's own env files (`.env.local` still wins);
nothing is dropped or reordered, and an override that already sets the development
environment is left alone. A `.env.development` is `required: false` when the base's
`.env` had it, and also where the base keeps reading `.env` (its entry is left for a
human: an anchor, a file only `extends:` reads) and the file is not committed: nobody has
it yet, and a required one would stop a `docker compose up` that worked, and a fresh
clone's. When there is no override and `.gitignore` ignores its path
(each developer keeps their own), it is not created and the base is not changed: the
finding says what to add by hand.

From the env template of each env file's directory (`.env.example`, `env.template`,
`.env.sample`, …; the committed `.env` itself when there is none) it creates
`.env.development.example` and `.env.production.example`: every key of the template,
comments kept (but those about the template itself, such as `# Copy to .env for local
development`: a header says how to use the new one, and which compose file reads it, or,
when its entry is left for a human, what to change first), `NODE_ENV` and `LOG_LEVEL` set
per environment. A value is copied only
when it is a placeholder or a plain setting (a port, a host, a word); anything that is or
may be a credential becomes a placeholder (`your-jwt-secret`,
`postgresql://your-user:your-password@your-host:5432/db`), and so do localhost values in
the production template. A value built from references to other keys and plain text
(dotenv-expand's `postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/db`) is copied as it
is: the keys it names are filled in, and it follows them; references stay in a placeholder
too, and a reference's default is a value like any other (`${JWT_SECRET:-your-jwt-secret}`).
From a committed `.env` (real values, not a template) only what is clearly a plain
setting is copied — a number, true/false, a log level, words, a host, a path, a URL
without credentials — and everything else becomes a placeholder; comments that
hold credentials (a URL with a password, `db_password=…`) are dropped, and a multi-line
value (a private key) is never copied. Existing templates get only the keys they lack.

Compose interpolates `${VAR}` (`${VAR:-default}`, `$VAR`, …; `$$` is a dollar) in the
compose file from the shell and the project's `.env` (or `--env-file`), never from a
service's `env_file:`: an operator who keeps such a key only in `.env.production`, as its
template says, runs production with it unset. The keys of the templates that the compose
files beside them interpolate are named in a finding and in the new templates' header:
run compose with `--env-file .env.production` (`.env.development` in development), or
keep them in `.env` too.

`.gitignore` gets the lines it lacks of `.env`, `.env.*` and `!.env.*.example` (plus a
`!` line for a template such as `.env.example` that `.env.*` would hide). No line it writes
hides an env file the repository commits: where it commits `.env.<environment>` files
(dotenv-flow, Create React App, Next.js and Vite keep shared defaults in `.env.development`,
`.env.test`, …), `.env.*` would keep every package's out of git, a new package's too. There it
gets `.env.local` and `.env.*.local` (private in each of these conventions), `.env` unless that
hides a committed one (then the defaults every environment shares, not reported), and each env
file compose reads that the repository does not commit by its own anchored path
(`/services/api/.env.production`); the new template of an environment whose file is committed
says to add the keys it lacks to that file, not to copy over it.

Other compose files: `docker-compose.prod.yml` reads `.env.production`,
`docker-compose.dev.yml` / `.local.yml` read `.env.development`; any other
(`compose.ci.yaml`), every file pulled in with `include:` (which gets no override) and
every file that only `extends: file:` reads (the `.env` of a service others extend:
changed there, it would change for every file extending it) is reported with what to
change by hand.

## Why

The audit found one `.env` for every environment and `NODE_ENV=production` hardcoded in
`docker-compose.yml`: development secrets leak into production, production settings
break development, and nobody can run a production-like configuration locally. With the
base file production by default and the override (loaded only by a plain
`docker compose up`) development, `docker compose -f docker-compose.yml up` is
production and cannot pick up a developer's settings.

## Example

```diff
   api-gateway:
-    env_file: .env
+    env_file: .env.${ENV:-production}
     environment:
       NODE_ENV: production
```

and a new `docker-compose.override.yml`:

```yaml
services:
  api-gateway:
    env_file:
      - .env.development
    environment:
      NODE_ENV: development
```

## Fix safety

Safe. Production (the base file alone) keeps its literal `NODE_ENV=production`, whatever
the shell or the project's `.env` says, and now reads `.env.production`; development
gets `NODE_ENV=development` from the override. Compose
appends `env_file` lists when it merges files, so in development it reads
`.env.${ENV:-production}` and then `.env.development` (the later file wins): create both
from the templates, or run with `ENV=development` (the env file's name follows `ENV` from
the shell or the project's `.env`: a production machine must not set it to development).
Nobody's `.env` is moved or deleted:
copy it to `.env.development` once. No real value is written to a template. What the
compose file interpolates still comes from the shell and `.env` (or `--env-file`), as
before: the finding and the templates' header say which keys.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import textwrap
from dataclasses import dataclass
from typing import Iterator

from fixer import envtemplate, report
from fixer.errors import ParseError
from fixer.gitignore import is_ignored, path_rule
from fixer.model import Edit, Finding, FixInfo, NewFile
from fixer.parsing import compose_edit, envfile, yamlfile
from fixer.parsing.compose_edit import ServiceWants
from fixer.repo import Repo, SourceFile, extended_service

INFO = FixInfo(
    id="env-separation",
    title="Separate development and production environment files",
    audit="Fix 4",
    week=2,
    order=5,
    severity="high",
    safety="safe",
    kinds=frozenset({"compose"}),
    prefilter=(b"env_file", b"NODE_ENV"),
    version=8,  # 8: a repo committing .env.<env> files (dotenv-flow) keeps them in git (.env.local, .env.*.local, uncommitted files by path), findings grouped by settings; 7: a base .env.production separated like .env (dotenv-flow), values built from references kept in templates; 6: a .env.development beside a .env the base keeps is optional, the template header says what is left when its entry is left for a human, comments about the template itself are not copied; 5: services extending one of another compose file (extends: file:); 4: a production localhost value is a placeholder whatever its password, an empty value before a comment stays empty; 3: the keys compose interpolates are named (a finding, the new templates' header: --env-file); 2: reports instead of guessing (git-ignored override, env file order, …); NODE_ENV stays literal
)

SEPARATED = ".env.${ENV:-production}"
TARGETS = {"base": SEPARATED, "production": ".env.production", "development": ".env.development"}
TEMPLATE_NAMES = (".env.example", "env.template", ".env.template", ".env.sample", "env.example", "env.sample",
                  ".env.dist", ".env.defaults")
ENVIRONMENTS = (("development", "debug"), ("production", "info"))


@dataclass(frozen=True)
class Context:
    roles: tuple[tuple[str, str], ...]  # compose file -> role (see compose_edit.role)
    included: frozenset[str]  # compose files pulled in by another one's `include:`
    extended: frozenset[str] = frozenset()  # compose files named like none that only `extends: file:` reads


def prepare(repo: Repo, options: dict) -> Context:
    roles = tuple((path, compose_edit.role(path)) for path in repo.paths_of({"compose"}))
    files = repo.compose_files
    return Context(roles, frozenset(p for p, found in files.items() if found.included),
                   frozenset(p for p, found in files.items() if not found.runs))


def describe(context: Context) -> list[str]:
    bases = [p for p, r in context.roles if r == "base" and p not in context.included and p not in context.extended]
    return [f"base compose files (production by default): {', '.join(bases) or 'none'}"]


# --- compose files ----------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    role = dict(context.roles).get(source_file.path, "other")
    if role == "override":
        return
    done: set[int] = set()
    blocked = _read_after(source_file) if role in TARGETS else {}
    included = source_file.path in context.included
    # (a base's .env.production is pointed at one environment's file only where the override applies)
    own_role = "other" if included or source_file.path in context.extended else role
    layers = _layers(source_file) if own_role == "base" else set()
    for name, _key, service in compose_edit.services(source_file):
        for scalar, flow in env_file_scalars(yamlfile.get(service, "env_file")):
            if id(scalar) not in done and _separable(str(scalar.value), own_role):
                done.add(id(scalar))
                value = str(scalar.value)
                if id(scalar) in layers:
                    continue  # `[.env, .env.production]`: shared by every environment, under each one's own file
                if compose_edit.shared(service, "env_file"):
                    yield _anchor_finding(source_file, scalar, name, "env_file",
                                          f"{value} -> {_separated(value, role)}")
                elif id(scalar) in blocked and not included and role == "base":
                    reader, later = blocked[id(scalar)]
                    in_base = f"in the base {_separated(value, 'production')}, " if _is_env(value) else ""
                    yield _finding(source_file, scalar, f"{reader} reads {value} and then {', '.join(later)} "
                                   "(the later file wins): the override's .env.development would come after them in "
                                   f"development and beat them, so this is not changed; by hand: {in_base}in the "
                                   f"override `env_file: !override` with the whole list, .env.development in its place "
                                   "(Compose 2.24.4 or later)")
                else:
                    yield _env_file_finding(source_file, context, role, name, scalar, flow)
        if role == "base" or included:
            yield from _node_env_findings(source_file, name, yamlfile.get(service, "environment"), done,
                                          compose_edit.shared(service, "environment"), included)


def _is_env(value: str) -> bool:
    return posixpath.basename(value) == ".env"


def _separable(value: str, role: str) -> bool:
    """An env file entry that this fix points at one environment's file: `.env`, every
    environment's; in the base file also `.env.production`: compose merges the override's
    env files after the base's and cannot drop one, so development would read production's
    values (its keys, its DATABASE_URL) and the `.env.development` beside it would go unused."""
    return _is_env(value) or (posixpath.basename(value) == ".env.production" and role == "base")


def _separated(value: str, role: str) -> str:
    """`services/api/.env` -> `services/api/.env.${ENV:-production}` (the base's; another role's file)."""
    return value[: len(value) - len(posixpath.basename(value))] + TARGETS.get(role, SEPARATED)


def _anchor_finding(source_file: SourceFile, node: yamlfile.Node, name: str, key: str, change: str) -> Finding:
    # fixer checks that an edit changes only the data under it; it cannot yet follow YAML anchors
    return _finding(source_file, node, f"{name} reads its {key} through a YAML anchor shared with other services: "
                    f"change it there by hand ({change})")


def env_file_scalars(node: yamlfile.Node | None) -> Iterator[tuple[yamlfile.ScalarNode, bool]]:
    """Every path of `env_file` (string, list, long `- path:` form), with whether it sits in a flow collection."""
    if isinstance(node, yamlfile.ScalarNode) and not compose_edit.is_null(node):
        yield node, False
    for item in node.value if isinstance(node, yamlfile.SequenceNode) else []:
        path = yamlfile.get(item, "path") if isinstance(item, yamlfile.MappingNode) else item
        if isinstance(path, yamlfile.ScalarNode):
            yield path, bool(node.flow_style) or bool(getattr(item, "flow_style", False))


def _env_file_finding(source_file: SourceFile, context: Context, role: str, name: str,
                      scalar: yamlfile.ScalarNode, flow: bool) -> Finding:
    value = str(scalar.value)
    if source_file.path in context.extended:
        # (compose appends an extending service's env files to those it inherits: each one reads this)
        users = [c for c in source_file.repo.compose_services if (source_file.path, name) in c.extends] \
            if source_file.repo is not None else []
        who = ", ".join(f"{c.name} ({c.file})" for c in users) or "none of the compose files' services"
        return _finding(source_file, scalar, f"{name} reads {value} in every environment, and so does each service "
                        f"that extends it: {who}; fixer does not change a file that "
                        "services of other compose files extend: point it at one environment's file by hand (the "
                        "development override gives them .env.development)")
    if source_file.path in context.included:
        return _finding(source_file, scalar, f"{name} reads {value} in every environment, and compose reads no "
                        "override for a file pulled in with `include:`: point it at one environment's file by hand")
    if role not in TARGETS:
        return _finding(source_file, scalar, f"{name} reads {value} in every environment: point it at the env file "
                        "of this file's environment (.env.development or .env.production)")
    new = _separated(value, role)
    edit = compose_edit.replace_scalar(source_file, scalar, new, flow)
    if not _is_env(value):  # the base's .env.production
        return _finding(source_file, scalar, f"{name} reads {value} in development too (the development override adds "
                        f"its env files after the base's, it cannot drop one): now {new}, and the development override "
                        f"reads {_separated(value, 'development')} after it", edit)
    return _finding(source_file, scalar, f"{name} reads {value} in every environment: now {new}", edit)


def _node_env_findings(source_file: SourceFile, name: str, environment: yamlfile.Node | None,
                       done: set[int], shared: bool, included: bool) -> Iterator[Finding]:
    """Reports only: a literal `NODE_ENV: production` stays (the base is production; the
    override sets development), and `${NODE_ENV:-production}` would let the project's `.env`
    (often `NODE_ENV=development`) decide production's mode through interpolation.
    `shared`: the environment comes from a YAML anchor other services use too."""
    for entry in compose_edit.env_entries(environment):
        if entry.key != "NODE_ENV" or entry.value is None or id(entry.node) in done:
            continue
        done.add(id(entry.node))
        value = entry.value.strip()
        through = " (through a YAML anchor shared with other services)" if shared else ""
        if value == "production" and included:
            yield _finding(source_file, entry.node, f"{name} sets NODE_ENV=production in every environment, and "
                           "compose reads no override for a file pulled in with `include:`: set NODE_ENV=development "
                           "for it in development's compose file by hand")
        elif value == "development":
            yield _finding(source_file, entry.node, f"{name} sets NODE_ENV=development in the base file{through}, so "
                           "production runs in development mode: make it production and set development in the "
                           "override")
        elif re.fullmatch(r"\$\{NODE_ENV:?-production\}", value):
            yield _finding(source_file, entry.node, f"{name} sets NODE_ENV={value}{through}: compose takes NODE_ENV "
                           "from the shell or the project's .env (often NODE_ENV=development) when it reads the base "
                           "file alone, so production may run in development mode: make it production (the override "
                           "sets development)")


def _finding(source_file: SourceFile, node: yamlfile.Node, message: str, *changes: Edit) -> Finding:
    return Finding(INFO.id, source_file.path, yamlfile.line(node), yamlfile.column(node), message, tuple(changes))


# --- across files: the override, the templates, .gitignore ------------------------------


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    env_dirs: dict[str, str] = {}  # directory of a separated env file -> the compose file naming it
    plain: set[str] = set()  # directories whose `.env` a compose file beside it still reads (this run separates it)
    overridden: set[str] = set()  # directories whose override is planned (compose reads one base per directory)
    read: set[tuple[str, str]] = set()  # (directory, environment): a compose file reads that env file after this run
    named: dict[str, set[str]] = {}  # directory -> the env files of it that compose files read
    for path, role in context.roles:
        if path in context.included or path in context.extended or role not in TARGETS:
            continue
        source_file = repo.read(path)
        if source_file is None:
            continue
        reads: set[tuple[str, str, bool]] = set()
        try:
            wants = list(_service_wants(source_file, env_dirs, reads, named))
        except ParseError:
            continue
        if any(item.path == posixpath.join(source_file.dir, ".env") for items, _ in _effective(source_file).values()
               for item in items):
            plain.add(source_file.dir)
        unwritten = False
        if role == "base" and wants and source_file.dir not in overridden:
            overridden.add(source_file.dir)
            base_edits = tuple(c for f in findings for c in f.changes if c.path == source_file.path)
            for finding in _override_findings(repo, source_file, wants):
                if finding.changes:  # the base file's edits go with it: neither is made without the other
                    finding.changes += base_edits
                elif finding.message.startswith(compose_edit.UNWRITTEN):
                    override = compose_edit.override_path(frozenset(repo.paths()), source_file.path)[0]
                    compose_edit.withdraw(findings, source_file.path, override)
                    unwritten = True
                yield finding
            if not unwritten:
                read |= {(posixpath.dirname(posixpath.normpath(posixpath.join(source_file.dir, str(
                    f["path"] if isinstance(f, dict) else f)))), "development") for w in wants for f in w.env_file}
        read |= {(directory, environment) for directory, environment, by_edit in reads if not (by_edit and unwritten)}
    for directory, compose_path in sorted(env_dirs.items()):
        substituted = _substituted(repo, context, directory)
        written = list(_template_findings(repo, directory, compose_path, substituted, read,
                                          sorted(named.get(directory, ()))))
        yield from written
        if any(f.changes for f in written) or directory in plain:
            yield from _interpolation_findings(repo, directory, compose_path, substituted)
    if env_dirs:
        yield from _gitignore_findings(repo, sorted(env_dirs))


@dataclass(frozen=True)
class EnvFileItem:
    scalar: yamlfile.ScalarNode
    required: bool  # False: the long form's `required: false`
    directory: str = ""  # the directory of the compose file that names it (what its relative path is from)

    @property
    def path(self) -> str:
        """The env file's path from the repository root."""
        found = posixpath.normpath(posixpath.join(self.directory, str(self.scalar.value)))
        return "" if found == "." else found


def _env_file_items(service: yamlfile.Node | None, directory: str = "") -> list[EnvFileItem]:
    node = yamlfile.get(service, "env_file") if isinstance(service, yamlfile.MappingNode) else None
    items = []
    for item in node.value if isinstance(node, yamlfile.SequenceNode) else [node]:
        path = yamlfile.get(item, "path") if isinstance(item, yamlfile.MappingNode) else item
        if isinstance(path, yamlfile.ScalarNode) and not compose_edit.is_null(path):
            required = yamlfile.get(item, "required") if isinstance(item, yamlfile.MappingNode) else None
            optional = isinstance(required, yamlfile.ScalarNode) and str(required.value).lower() == "false"
            items.append(EnvFileItem(path, not optional, directory))
    return items


def _effective(source_file: SourceFile) -> dict[str, tuple[list[EnvFileItem], bool]]:
    """Each service's env files (those it inherits with `extends:` first, as compose
    merges them: from this file or another, `extends: {file: …}`, each path from the directory
    of the file that names it) and whether it sets NODE_ENV, itself or through `extends:`."""
    nodes = {name: node for name, _key, node in compose_edit.services(source_file)
             if isinstance(node, yamlfile.MappingNode)}
    here = source_file.path
    repo = source_file.repo
    definitions = dict(repo.compose_definitions) if repo is not None else {}
    definitions.update(((here, name), node) for name, node in nodes.items())  # (this file's as parsed here)
    found: dict[tuple[str, str], tuple[list[EnvFileItem], bool]] = {}

    def resolve(at: tuple[str, str], seen: tuple[tuple[str, str], ...]) -> tuple[list[EnvFileItem], bool]:
        if at in found:
            return found[at]
        node = definitions[at]
        parent = extended_service(at[0], node)
        items, node_env = [], False
        if parent in definitions and parent not in seen and parent != at:
            items, node_env = resolve(parent, seen + (at,))
        own = _env_file_items(node, posixpath.dirname(at[0]))
        items = list(items) + [i for i in own if not any(i.scalar is j.scalar for j in items)]
        node_env = node_env or any(e.key == "NODE_ENV" for e in compose_edit.env_entries(yamlfile.get(node, "environment")))
        found[at] = (items, node_env)
        return found[at]

    return {name: resolve((here, name), ()) for name in nodes}


def _read_after(source_file: SourceFile) -> dict[int, tuple[str, list[str]]]:
    """`.env` entries that a service reads before other env files (id of the scalar -> the
    service, the later files): appended last, .env.development would beat those files."""
    blocked: dict[int, tuple[str, list[str]]] = {}
    separated = (".env", SEPARATED)
    role = compose_edit.role(source_file.path)
    layers = _layers(source_file)
    for name, (items, _node_env) in _effective(source_file).items():
        # later `.env` files that are separated too keep their order: their development files follow
        later: list[str] = []
        free = True  # every later file is a `.env` whose development file is appended after this one's
        for item in reversed(items):
            value = str(item.scalar.value)
            if (posixpath.basename(value) in separated or _separable(value, role)) and not free \
                    and id(item.scalar) not in layers:
                blocked.setdefault(id(item.scalar), (name, list(reversed(later))))
            free = free and posixpath.basename(value) in separated and id(item.scalar) not in blocked.keys() | layers
            later.append(value)
    return blocked


def _layers(source_file: SourceFile) -> set[int]:
    """`.env` entries that a service of a base file reads before a production file of the same
    directory (`[.env, .env.production]`, `[.env, .env.${ENV:-production}]`): the layer every
    environment shares under each one's own file (as dotenv-flow reads them). It stays as it is
    (pointed at one environment's file, production would lose the shared values); the production
    file's entry is the one pointed at one environment's file."""
    if compose_edit.role(source_file.path) != "base":
        return set()
    layers: set[int] = set()
    for items, _node_env in _effective(source_file).values():
        for index, item in enumerate(items):
            if _is_env(str(item.scalar.value)) and any(
                    posixpath.basename(str(later.scalar.value)) in (".env.production", SEPARATED)
                    and posixpath.dirname(later.path) == posixpath.dirname(item.path) for later in items[index + 1:]):
                layers.add(id(item.scalar))
    return layers


def _left_by_hand(source_file: SourceFile, blocked: dict[int, tuple[str, list[str]]]) -> set[int]:
    """The `.env` scalars of a compose file that `scan` reports without pointing them at one
    environment's file (a YAML anchor shared with other services, a file read before others)."""
    left: set[int] = set()
    done: set[int] = set()
    role = compose_edit.role(source_file.path)
    layers = _layers(source_file)
    for _name, _key, service in compose_edit.services(source_file):
        for scalar, _flow in env_file_scalars(yamlfile.get(service, "env_file")):
            if id(scalar) not in done and _separable(str(scalar.value), role):
                done.add(id(scalar))
                if compose_edit.shared(service, "env_file") or id(scalar) in blocked or id(scalar) in layers:
                    left.add(id(scalar))
    return left


def _service_wants(source_file: SourceFile, env_dirs: dict[str, str],
                   reads: set[tuple[str, str, bool]] | None = None,
                   named: dict[str, set[str]] | None = None) -> Iterator[ServiceWants]:
    """What each service needs in the override; records the directories of its env files (in
    `named`, directory -> the env files of it that compose reads), and in `reads` which
    environment's file of a directory this compose file reads after this run (directory,
    environment, whether only through this run's edit of it).

    A `.env.development` the override names is required (the short form) only where its base
    entry was required and the developer needs that file anyway: a required base entry of its
    directory is (or is now) `.env.${ENV:-production}`, or the file is committed. Beside a
    `.env` the base keeps (left for a human, or inherited from a file fixer does not change) a
    required new file would break the `docker compose up` that worked, and a fresh clone's: it
    is `required: false`; so is one beside a base's `.env.production` (pointed at one
    environment's file now) unless it is committed: the base needed no development file before."""
    blocked = _read_after(source_file)
    left = _left_by_hand(source_file, blocked)
    here = {id(scalar) for _name, _key, service in compose_edit.services(source_file)
            for scalar, _flow in env_file_scalars(yamlfile.get(service, "env_file"))}
    environment_of = {"base": "production", "production": "production", "development": "development"}.get(
        compose_edit.role(source_file.path))
    nodes = {name: node for name, _key, node in compose_edit.services(source_file)}
    effective = _effective(source_file)
    role = compose_edit.role(source_file.path)
    separating = {id(item.scalar) for items, _node_env in effective.values() for item in items  # by this run
                  if _separable(str(item.scalar.value), role) and id(item.scalar) in here and id(item.scalar) not in left}
    required: set[str] = set()  # the development files a separated (or committed) required entry names
    for items, _node_env in effective.values():
        for item in items:
            base = posixpath.basename(str(item.scalar.value))
            separated = base == SEPARATED or id(item.scalar) in separating
            development = posixpath.join(posixpath.dirname(item.path), ".env.development")
            committed = source_file.repo is not None and source_file.repo.exists(development)
            if item.required and (base in (".env", SEPARATED) or separated) and (
                    separated and base != ".env.production" or committed):
                required.add(development)
            if reads is not None and environment_of and (separated or base in (".env.production", ".env.development")):
                environment = base[len(".env."):] if base in (".env.production", ".env.development") else environment_of
                reads.add((posixpath.dirname(item.path), environment, base == ".env"))
    for name, (items, sets_node_env) in effective.items():
        service = nodes[name]
        env_files: list = []
        for item in items:
            value = str(item.scalar.value)
            base = posixpath.basename(value)
            if base in (".env", SEPARATED, ".env.production", ".env.development"):
                where = posixpath.dirname(item.path)
                env_dirs.setdefault(where, source_file.path)
                if named is not None:
                    named.setdefault(where, set()).update(
                        [posixpath.join(where, f".env.{e}") for e, _ in ENVIRONMENTS] if base == SEPARATED else [item.path])
                if (base in (".env", SEPARATED) or _separable(value, role) and id(item.scalar) in here) \
                        and id(item.scalar) not in blocked:  # (a base's .env.production too, even one left by hand)
                    # (as written, from the override's directory, the base's: an inherited `../.env` of
                    # compose/common.yml is `.env`)
                    if item.directory == source_file.dir:
                        directory = posixpath.dirname(value)
                    else:
                        directory = "" if where == source_file.dir else posixpath.relpath(where or ".", source_file.dir or ".")
                    path = posixpath.join(directory, ".env.development") if directory else ".env.development"
                    needed = item.required and posixpath.join(where, ".env.development") in required
                    if not any(path in (f, f.get("path") if isinstance(f, dict) else None) for f in env_files):
                        env_files.append(path if needed else {"path": path, "required": False})
        if not env_files and not sets_node_env:
            continue
        environment = yamlfile.get(service, "environment")
        order = _key_order(source_file, name)
        yield ServiceWants(name, [("NODE_ENV", "development")], compose_edit.env_form(environment), env_files,
                           order=order)


def _key_order(source_file: SourceFile, name: str) -> tuple[str, ...]:
    """A service's key order, then that of the services it extends (for its new block)."""
    definitions = dict(source_file.repo.compose_definitions) if source_file.repo is not None else {}
    definitions.update(((source_file.path, n), node) for n, _key, node in compose_edit.services(source_file))
    order: list[str] = []
    seen: set[tuple[str, str]] = set()
    at: tuple[str, str] | None = (source_file.path, name)
    while at is not None and at in definitions and at not in seen and isinstance(definitions[at], yamlfile.MappingNode):
        seen.add(at)
        order += [str(k.value) for k, _ in definitions[at].value if isinstance(k, yamlfile.ScalarNode)]
        at = extended_service(at[0], definitions[at])
    return tuple(order)


_DEV_NOTE = ("in development compose reads .env.${ENV:-production} and then .env.development (the later wins): "
             "create both from the templates, or run with ENV=development")


def _override_findings(repo: Repo, base: SourceFile, wants: list[ServiceWants]) -> Iterator[Finding]:
    path, exists = compose_edit.override_path(frozenset(repo.paths()), base.path)
    names = _few([w.name for w in wants], counted="services")
    summary = _grouped([(w.name, ": NODE_ENV=development" + (
        f", env_file {', '.join(compose_edit.item_text(f) for f in w.env_file)}" if w.env_file else "")) for w in wants])
    local = compose_edit.kept_local(repo, path, exists)
    if local is not None:
        files = sorted({posixpath.basename(str(scalar.value)) for _name, _key, service in compose_edit.services(base)
                        for scalar, _flow in env_file_scalars(yamlfile.get(service, "env_file"))
                        if _separable(str(scalar.value), "base")}) or [".env"]
        yield Finding(INFO.id, base.path, 1, 1, f"{local}, so it is not created and {base.name} is not changed: once every developer's has "
                      f"{summary}, change {' and '.join(files)} to .env.${{ENV:-production}} in {base.name} by hand")
        return
    if not exists:
        text = compose_edit.new_override(base, wants)
        # (on the base file: the override does not exist yet, and a report points at a line that does)
        yield Finding(INFO.id, base.path, 1, 1, f"no development override: {path} created ({summary})",
                      (NewFile(path, text),),
                      note=_DEV_NOTE if any(w.env_file for w in wants) else None)
        return
    override = repo.read(path)
    if override is None:
        yield Finding(INFO.id, path, 1, 1, f"{compose_edit.UNWRITTEN} is skipped ({repo.skips.get(path)}): add NODE_ENV="
                      f"development and env_file .env.development for {names} by hand")
        return
    try:
        edits, added = compose_edit.extend_override(override, wants, compose_edit.style_of(override))
    except (ParseError, ValueError) as error:
        yield Finding(INFO.id, path, 1, 1, f"{compose_edit.UNWRITTEN} cannot be extended ({error}): add NODE_ENV=development and "
                      f"env_file .env.development for {names} by hand")
        return
    if edits:
        yield Finding(INFO.id, path, 1, 1, f"the development override lacks {_grouped(_named(added, wants))}: added",
                      tuple(edits), note=_DEV_NOTE)


def _few(names: list[str], limit: int = 3, counted: str = "") -> str:
    """`a, b, c` — past `limit`, the first ones and `… N more` (`200 services (a, b, c, … 197 more)`
    with `counted`): a finding stays readable at any number of services."""
    if len(names) <= limit + 1:  # (never `… 1 more`)
        return ", ".join(names)
    shown = report.few(names, limit)
    return f"{len(names)} {counted} ({shown})" if counted else shown


def _grouped(settings: list[tuple[str, str]], limit: int = 3) -> str:
    """Services with what each gets (`(name, ": NODE_ENV=development")`), those with the same text
    in one entry (`api, web: NODE_ENV=development`, `50 services (a, b, c, … 47 more): …`); past
    `limit` entries, a count of the services left (the file the finding names lists them all)."""
    groups: dict[str, list[str]] = {}
    for name, what in settings:
        groups.setdefault(what, []).append(name)
    entries = list(groups.items())
    parts = [f"{_few(names, limit, 'services')}{what}" for what, names in entries[:limit]]
    left = sum(len(names) for _what, names in entries[limit:])
    if left:
        parts.append(f"… {left} more service{'s' if left > 1 else ''} with settings of their own")
    return "; ".join(parts)


def _named(added: list[str], wants: list[ServiceWants]) -> list[tuple[str, str]]:
    """`extend_override`'s `api: NODE_ENV, env_file …` / `worker (new: environment)` as (name, the rest)."""
    found = []
    for text in added:
        name = next((w.name for w in wants if text.startswith((w.name + ": ", w.name + " ("))), "")
        found.append((name, text[len(name):]) if name else (text, ""))
    return found


# --- templates ------------------------------------------------------------------------------


def _template_findings(repo: Repo, directory: str, compose_path: str,
                       substituted: dict[str, tuple[str, yamlfile.ScalarNode]],
                       read: set[tuple[str, str]] = frozenset(), named: list[str] = ()) -> Iterator[Finding]:
    """`read`: (directory, environment) whose env file a compose file reads after this run
    (else the new template's header says what is left to change by hand); `named`: the env
    files of the directory that compose files read (what a finding names)."""
    source = _template_source(repo, directory)
    if source is None:
        where = ", ".join(named) or (posixpath.join(directory, ".env") if directory else ".env")
        yield Finding(INFO.id, compose_path, 1, 1, f"no template lists the keys of {where}: create "
                      f".env.development.example and .env.production.example beside {'them' if len(named) > 1 else 'it'} "
                      "by hand")
        return
    entries = envfile.parse(source.data)
    real = not envtemplate.is_template(source.path)
    for environment, level in ENVIRONMENTS:
        target = posixpath.join(directory, f".env.{environment}.example")
        existing = repo.read(target) if repo.exists(target) else None
        if repo.exists(target) and existing is None:
            continue
        if existing is None:
            keys = {e.key for e in entries} | {"NODE_ENV", "LOG_LEVEL"}
            notice = _interpolation_notice(substituted, keys, posixpath.basename(target)[: -len(".example")])
            text, replaced = template_text(source, environment, level, real, notice,
                                           (directory, environment) in read,
                                           _committed(repo, target[: -len(".example")]))
            yield Finding(INFO.id, source.path, 1, 1, f"{source.name} serves every environment: {target} created from "
                          f"it ({len(entries)} keys, {replaced} values replaced by placeholders)", (NewFile(target, text),))
            continue
        have = {e.key for e in envfile.parse(existing.data)}
        lines = [f"{e.key}={template_value(e.key, e.value, environment, level, real)}" for e in entries
                 if e.key not in have]
        if lines:
            at = len(existing.data)
            text = "\n".join(lines) + "\n"
            if existing.data and not existing.data.endswith(b"\n"):  # it keeps ending without a line break
                text = "\n" + text.rstrip("\n")
            yield Finding(INFO.id, target, 1, 1, f"lacks {len(lines)} keys of {source.name}: added with placeholders",
                          (Edit(target, at, at, text),))


# --- compose interpolation -------------------------------------------------------------------

# compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR:+other}`, `$VAR`;
# `$$` is a literal dollar. A default may hold another reference (`${A:-${B}}`): the scan goes on
# inside it. Names as compose reads them (letters in either case, digits, `_`).
_REFERENCE = re.compile(r"\$(?:\$|(?P<named>[_A-Za-z][_A-Za-z0-9]*)|\{(?P<braced>[_A-Za-z][_A-Za-z0-9]*)(?=[}:?+-]))")
# reported on its own (`_node_env_findings`: make it production), never again here
_NODE_ENV_REFERENCE = re.compile(r"\$\{NODE_ENV:?-production\}")


def interpolated(document: yamlfile.Node | None) -> Iterator[tuple[str, yamlfile.ScalarNode]]:
    """Each variable compose substitutes in a compose document, with the value that names it
    (in document order). Compose substitutes in values, never in keys or comments, from the
    shell and the project's `.env` (or `--env-file`), never from a service's `env_file:`."""
    seen: set[int] = set()
    stack = [document] if document is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:  # (an alias is the node it names)
            continue
        seen.add(id(node))
        if isinstance(node, yamlfile.ScalarNode):
            for match in _REFERENCE.finditer(str(node.value)):
                if name := match.group("named") or match.group("braced"):
                    yield name, node
        elif isinstance(node, yamlfile.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yamlfile.MappingNode):
            stack.extend(value for _key, value in reversed(node.value))


def _substituted(repo: Repo, context: Context, directory: str) -> dict[str, tuple[str, yamlfile.ScalarNode]]:
    """The variables the compose files of a directory (one compose project: its `.env` is the
    one compose reads for interpolation) substitute: name -> (the first file, the value)."""
    found: dict[str, tuple[str, yamlfile.ScalarNode]] = {}
    for path, _role in context.roles:
        source_file = repo.read(path) if posixpath.dirname(path) == directory else None
        if source_file is None:
            continue
        try:
            document = compose_edit.main_document(source_file)
        except ParseError:
            continue
        for name, node in interpolated(document):
            if not _NODE_ENV_REFERENCE.fullmatch(str(node.value).strip()):
                found.setdefault(name, (path, node))
    return found


def _interpolated_keys(substituted: dict[str, tuple[str, yamlfile.ScalarNode]], keys: set[str]) -> list[str]:
    return sorted(key for key in keys if key in substituted)


def _interpolating(substituted: dict[str, tuple[str, yamlfile.ScalarNode]], shown: list[str]) -> str:
    """`docker-compose.yml interpolates ${A}, ${B}`; with several files, each key's file."""
    files: dict[str, list[str]] = {}
    for key in shown:
        files.setdefault(posixpath.basename(substituted[key][0]), []).append(f"${{{key}}}")
    if len(files) == 1:
        [(name, references)] = files.items()
        return f"{name} interpolates {', '.join(references)}"
    return "the compose files interpolate " + ", ".join(
        f"{', '.join(references)} ({name})" for name, references in sorted(files.items()))


def _interpolation_notice(substituted: dict[str, tuple[str, yamlfile.ScalarNode]], keys: set[str],
                          name: str) -> str:
    """Comment lines for a new template of `name` (`.env.production`) beside the compose files:
    which of its keys compose interpolates, and how to make compose read them from it."""
    shown = _interpolated_keys(substituted, keys)
    if not shown:
        return ""
    them = "it" if len(shown) == 1 else "them"
    text = (f"{_interpolating(substituted, shown)} from the shell or the project's .env, never from {name}: "
            f"run compose with `--env-file\0{name}`, or keep {them} in .env too.")  # (\0: the command stays on one line)
    text = text[0].upper() + text[1:] if text.startswith("the ") else text
    return textwrap.fill(text, 100, initial_indent="# ", subsequent_indent="# ", break_long_words=False,
                         break_on_hyphens=False).replace("\0", " ") + "\n"


def _interpolation_findings(repo: Repo, directory: str, compose_path: str,
                            substituted: dict[str, tuple[str, yamlfile.ScalarNode]]) -> Iterator[Finding]:
    """Keys the per-environment templates hold that compose interpolates in the compose files
    themselves: an operator who keeps them only in .env.production (no .env) runs without them."""
    keys = {"NODE_ENV", "LOG_LEVEL"}
    for source in [_template_source(repo, directory)] + [
            repo.read(p) if repo.exists(p) else None
            for p in (posixpath.join(directory, f".env.{e}.example") for e, _ in ENVIRONMENTS)]:
        if source is not None:
            keys |= {e.key for e in envfile.parse(source.data)}
    shown = _interpolated_keys(substituted, keys)
    if not shown:
        return
    path, node = min((substituted[key] for key in shown),
                     key=lambda found: (found[0] != compose_path, found[0], yamlfile.line(found[1])))
    production, development = (posixpath.join(directory, f".env.{e}") for e, _ in ENVIRONMENTS[::-1])
    them = "it" if len(shown) == 1 else "them"
    yield Finding(INFO.id, path, yamlfile.line(node), yamlfile.column(node),
                  f"{_interpolating(substituted, shown)} from the shell or the project's .env, never from an env_file: "
                  f"kept only in {production} (as its template has {them}), compose does not see {them} (it substitutes an empty value, or the file's own default): run compose "
                  f"with `--env-file {production}` (`--env-file {development}` in development), or keep {them} in "
                  f"{posixpath.join(directory, '.env')} too")


def _template_source(repo: Repo, directory: str) -> SourceFile | None:
    for name in TEMPLATE_NAMES + (".env",):
        path = posixpath.join(directory, name) if directory else name
        source = repo.read(path) if repo.exists(path) else None
        if source is not None:
            return source
    return None


# names that envfile's secret names miss; under them a word or a number is a credential too
# (`SMTP_PW=qwertyuiopasdfgh`, `ADMIN_PIN=4821`): only a placeholder or true/false is copied
_CREDENTIAL_NAME = re.compile(r"(?:^|_)(?:PW|PWD|PIN|PASSCODE|PASSPHRASE|CREDENTIALS?|OTP|CVV)$", re.I)


def template_value(key: str, value: str, environment: str, level: str, real: bool = False) -> str:
    """What a template may say for a key: never a real credential. `real`: the value comes
    from a real env file, so only a clearly plain setting is copied."""
    if key == "NODE_ENV":
        return environment
    if key == "LOG_LEVEL":
        return level
    if "\n" in value:  # a multi-line value (a private key): never copied
        return envfile.placeholder_for(key)
    if environment == "production" and re.search(r"\b(localhost|127\.0\.0\.1)\b", value):
        # whatever else the value holds (`postgres://app:changeme@localhost/app`: a placeholder
        # password does not make a localhost database a production setting)
        return envfile.placeholder_for(key, value)
    if envfile.is_placeholder(value):
        return value
    credential_named = _CREDENTIAL_NAME.search(key) and value.strip().lower() not in ("true", "false")
    if envfile.built_from_references(key, value, bool(credential_named)):
        return value  # `postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}/db`: the keys it names are filled in
    if envfile.may_be_secret(key, value) or credential_named or (real and not envfile.is_plain_setting(value)):
        return envfile.placeholder_for(key, value)
    return value


_HEADER = {
    "development": "# Development settings, read by the development override (`docker compose up`).\n",
    "production": "# Production settings, read by the base compose file alone (env_file: .env.${ENV:-production}).\n",
}
# when no compose file reads it after this run (its entry is left for a human: see the findings)
_UNREAD_HEADER = {
    "development": "# Development settings, for the development override (`docker compose up`) once its env_file\n"
                   "# names .env.development: fixer could not write that (see its findings).\n",
    "production": "# Production settings, for the base compose file alone once its env_file names\n"
                  "# .env.${ENV:-production}: it still names .env there, to change by hand (see fixer's findings).\n",
}


def template_text(source: SourceFile, environment: str, level: str, real: bool = False,
                  notice: str = "", read: bool = True, committed: bool = False) -> tuple[str, int]:
    """The template for one environment: the source's lines with safe values, and how many
    values became placeholders. The source's leading comment block (about copying it to
    `.env`) gives way to a header that says how to use this one (and `notice`, comment
    lines, after it); so do the source's comment lines about itself (`# Copy to .env for local
    development`) above its first key. `real`: the source is a real env file (see
    `template_value`). `read`: a compose file reads this environment's file (else the header
    says that it is for one once changed by hand). `committed`: the repository commits this
    environment's file (dotenv-flow's shared defaults): the header says to add what it lacks."""
    eol = source.text.eol
    name = f".env.{environment}"
    out = [(_HEADER if read else _UNREAD_HEADER)[environment],
           f"# Copy to {name} and fill in the values: cp {name}.example {name}\n",
           f"# {name} itself holds secrets and stays out of git.\n", notice, "\n"]
    if committed:
        out[1:3] = [f"# {name} is committed with the shared defaults: add the keys it lacks from here, and keep\n",
                    "# secrets out of it.\n"]
    keys = {e.key for e in envfile.parse(source.data)}
    out += [f"{key}={value}\n" for key, value in (("NODE_ENV", environment), ("LOG_LEVEL", level)) if key not in keys]
    if len(out) > 5:
        out.append("\n")
    live = {e.line: e for e in envfile.parse(source.data)}
    inside = {n for e in live.values() for n in range(e.line + 1, e.last_line + 1)}  # a multi-line value's lines
    commented = {e.line: e for e in envfile.commented(source.data) if re.fullmatch(r"[A-Z_][A-Z0-9_]*", e.key)}
    replaced = 0
    lines = [source.text.line_text(n) for n in range(1, len(source.text.line_starts) + 1)]
    if lines and lines[-1] == "":
        lines.pop()
    skip_header = _header_length(lines)
    keyed = False  # a key was copied
    for number, line in enumerate(lines, start=1):
        if number <= skip_header or number in inside:
            continue
        line = line.lstrip("\ufeff")
        entry = live.get(number) or commented.get(number)
        if entry is None:
            if not keyed and _about_the_file(line):  # (above the first key: about the source)
                continue
            if line.strip() and not line.lstrip().startswith("#"):
                continue  # a continuation of a multi-line value: never copied
            if line.lstrip().startswith("#") and envfile.comment_may_hold_secret(line):
                continue  # a comment that holds a credential
            out.append(line + "\n")
            continue
        new = template_value(entry.key, entry.value, environment, level, real)
        if new != entry.value:
            replaced += entry.key not in ("NODE_ENV", "LOG_LEVEL") and number in live
            start, _ = source.text.line_span(number)
            raw = source.data[start : entry.value_start].decode().lstrip("\ufeff")
            quote = entry.quote
            rest = source.data[entry.value_end : source.text.line_span(entry.last_line)[1]].decode()
            line = f"{raw}{quote if quote else ''}{new}{quote}{rest}"
        keyed = True
        out.append(line + "\n")
    return "".join(out).replace("\n", eol), replaced


# a comment about the env file itself, not about a key (`# Copy to .env for local development`,
# `# Local environment - used by docker compose (env_file: .env)`): it names the file
_ABOUT_THE_FILE = re.compile(r"(?<![\w/-])\.env\b|\benv_file\b|\bthis file\b", re.I)


def _about_the_file(line: str) -> bool:
    return line.lstrip().startswith("#") and bool(_ABOUT_THE_FILE.search(line))


def _header_length(lines: list[str]) -> int:
    """Lines of a leading comment block that stands alone (followed by a blank line)."""
    count = 0
    while count < len(lines) and lines[count].lstrip("\ufeff").startswith("#"):
        count += 1
    return count + 1 if count and count < len(lines) and not lines[count].strip() else 0


# --- .gitignore -----------------------------------------------------------------------------


def _gitignore_findings(repo: Repo, env_dirs: list[str]) -> Iterator[Finding]:
    path = ".gitignore"
    existing = repo.read(path) if repo.exists(path) else None
    if repo.exists(path) and existing is None:
        return
    rules = existing.decoded if existing else ""
    patterns = rules.splitlines()
    templates = sorted({posixpath.basename(p) for p in repo.paths() if posixpath.basename(p) in TEMPLATE_NAMES})
    # env files the repository commits (and no rule ignores): a new line must leave them in git
    kept = [p for p in repo.paths() if posixpath.basename(p).startswith(".env") and _committed(repo, p)
            and not envtemplate.is_template(p) and not is_ignored(p, rules)]
    layers = [p for p in kept if _LAYER.fullmatch(posixpath.basename(p))]  # .env.development, .env.test, …
    # (a committed .env: the env file of every environment this fix separates, unless the repo commits
    # its layers, dotenv-flow's convention, where .env holds the defaults every environment shares)
    guarded = [p for p in kept if not _PRIVATE.fullmatch(posixpath.basename(p))
               and (layers or posixpath.basename(p) != ".env")]
    lines: list[str] = []
    if layers:
        lines = _layered_lines(repo, rules, env_dirs, guarded)
    else:
        wanted = [(".env", True), (".env.production", True), (".env.production.example", False),
                  (".env.development.example", False)] + [(name, False) for name in templates]
        for name, ignore in wanted:
            if ignored(patterns + lines, name) == ignore:
                continue
            line = {".env": ".env", ".env.production": ".env.*"}.get(name) or (
                "!.env.*.example" if name.endswith(".example") and name.count(".") >= 3 else f"!{name}")
            lines.append(line)
    tracked = [p for p in kept if posixpath.basename(p) == ".env"] if not layers else []
    if tracked:
        yield Finding(INFO.id, tracked[0], 1, 1, f"{_few(tracked)} committed: .gitignore does not untrack it; "
                      "remove it from git (`git rm --cached`, the `secrets` fix does) and rotate what it holds")
    if not lines:
        return
    if layers:
        shown = _few(layers, 2, counted="env files")
        paths = [line for line in lines if line.startswith("/")]
        added = ", ".join(lines) if len(paths) <= 6 else ", ".join(
            [line for line in lines if line not in paths] + [_few(paths, 2, counted="env files by their own paths")])
        header = ("# private environment files: the committed .env.<environment> files hold shared defaults, "
                  "secrets go in these")
        message = (f"env files are not ignored: adds {added} (the repository commits {shown}, as "
                   "dotenv-flow does: `.env.*` would hide such files)")
    else:
        header = "# environment files hold secrets: only the *.example templates are committed"
        message = f"env files are not ignored: adds {', '.join(lines)}"
    block = "\n".join([header] + lines) + "\n"
    if existing is None:
        yield Finding(INFO.id, path, 1, 1, message, (NewFile(path, block),))
        return
    data = existing.data
    lead = "\n" if data.strip() else ""
    if data and not data.endswith(b"\n"):  # the file keeps ending without a line break
        lead, block = "\n" + lead, block.rstrip("\n")
    yield Finding(INFO.id, path, existing.text.last_line, 1, message, (Edit(path, len(data), len(data), lead + block),))


# `.env.development`, `.env.test`, `.env.production`: a layer a repository may commit (dotenv-flow, Create
# React App, Next.js, Vite keep shared defaults there); `.env.local`, `.env.*.local`: never committed
_LAYER = re.compile(r"\.env\.(?!.*\.local$)[^.]+")
_PRIVATE = re.compile(r"\.env(\..+)?\.local")


def _committed(repo: Repo, path: str) -> bool:
    """In git (a commit's files all are; the working tree's, per file). In a plain directory every file
    counts, as for the override's `.env.development` (`_service_wants`): whether the repository means to
    commit it cannot be told, and a rule that hides it may keep it out of git."""
    if getattr(repo.source, "label", "") == "working tree":
        entry = repo.entry(path)
        return entry is not None and entry.tracked
    return repo.exists(path)


def _layered_lines(repo: Repo, rules: str, env_dirs: list[str], guarded: list[str]) -> list[str]:
    """The `.gitignore` lines of a repository that commits its `.env.<environment>` files: `.env.local`
    and `.env.*.local` by name (private in every such convention), and each env file this fix has compose
    read (`.env`, `.env.production`, `.env.development` of each directory) that the repository does not
    commit by its own anchored path. `.env` by name where that hides no committed one. No line ignores
    a committed file (`guarded`), so none of a template either."""
    lines: list[str] = []

    def hides(line: str) -> bool:
        text = rules + "\n" + "\n".join(lines + [line])
        return any(is_ignored(p, text) for p in guarded)

    for line, sample in ((".env", ".env"), (".env.local", ".env.local"), (".env.*.local", ".env.development.local")):
        if not is_ignored(sample, rules + "\n" + "\n".join(lines)) and not hides(line):
            lines.append(line)
    for directory in env_dirs:
        for name in (".env", ".env.production", ".env.development"):
            target = posixpath.join(directory, name) if directory else name
            if not _committed(repo, target) and not is_ignored(target, rules + "\n" + "\n".join(lines)):
                lines.append(path_rule(target))
    return lines


def ignored(patterns: list[str], name: str) -> bool:
    """Whether git ignores a file called `name` at the root under these .gitignore lines
    (last match wins; enough of gitignore(5) for env file names)."""
    result = False
    for raw in patterns:
        line = raw.rstrip("\r")
        line = re.sub(r"(?<!\\)\s+$", "", line)
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        line = line[1:] if negate else line
        if line.endswith("/"):
            continue
        line = line.lstrip("/").replace("**/", "")
        if fnmatch.fnmatchcase(name, line):
            result = not negate
    return result
