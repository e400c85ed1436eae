"""Surgical edits to compose files: ruamel's marks say where, the original text stays.

The compose fixes (env-separation, kafka-listeners) change a base file and create or
extend its development override. Nothing here re-dumps YAML: every function returns
`Edit`s on the original bytes (or the text of a new file), and new YAML is written in
the file's own indentation, sequence style and line ending. Positions are character
indexes into `file.decoded` (what ruamel's marks count); `_edit` turns them into bytes.

Compose's own rules that matter here (compose-go's loader):
- `docker compose` with no `-f` reads the first of compose.yaml, compose.yml,
  docker-compose.yml, docker-compose.yaml in the directory, then the first of
  compose.override.yml, compose.override.yaml, docker-compose.override.yml,
  docker-compose.override.yaml beside it. `-f` (production) reads only what it names.
- A file pulled in with `include:` gets no override of its own.
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import lru_cache
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, Union

from fixer.model import Edit, Finding
from fixer.parsing import yamlfile
from fixer.parsing.yamlfile import MappingNode, Node, ScalarNode, SequenceNode

if TYPE_CHECKING:  # pragma: no cover
    from fixer.repo import Repo, SourceFile

BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_NAMES = (
    "compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml",
)
_ENVIRONMENT_FILE = re.compile(r"^(?:docker-)?compose[.-](?P<env>.+)\.ya?ml$")
_PRODUCTION = frozenset({"prod", "production", "live"})
_DEVELOPMENT = frozenset({"dev", "development", "local"})

# new YAML is described as a tree: a mapping (dict), a block list (of scalars, or of
# one-level mappings: the long `- path: .env` / `- target: 9092` forms), or a scalar
# (a str, or a bool written `true`/`false`)
Tree = Union[dict, list, str, bool]


# --- which compose file is which --------------------------------------------------------


def role(path: str) -> str:
    """"base", "override", "production" (`docker-compose.prod.yml`), "development"
    (`docker-compose.dev.yml`, `.local.yml`) or "other" (`compose.ci.yaml`)."""
    name = posixpath.basename(path).lower()
    if name in BASE_NAMES:
        return "base"
    if name in OVERRIDE_NAMES:
        return "override"
    match = _ENVIRONMENT_FILE.match(name)
    words = set(re.split(r"[.\-_]", match.group("env"))) if match else set()
    if words & _PRODUCTION:
        return "production"
    if words & _DEVELOPMENT:
        return "development"
    return "other"


def override_path(paths: set[str] | frozenset[str], base: str) -> tuple[str, bool]:
    """The override compose reads beside `base` (and whether it exists); the name to create
    follows the base's (`docker-compose.yml` -> `docker-compose.override.yml`)."""
    directory = posixpath.dirname(base)
    for name in OVERRIDE_NAMES:
        candidate = posixpath.join(directory, name)
        if candidate in paths:
            return candidate, True
    stem, ext = posixpath.splitext(posixpath.basename(base))
    return posixpath.join(directory, f"{stem}.override{ext}"), False


def included_files(repo: "Repo") -> frozenset[str]:
    """Every compose file that compose reads only as a part of another, never beside an override of its
    own: one a compose file pulls in with `include:` (directly or through another), or one named like no
    compose file that only `extends: file:` reads (`Repo.compose_files`)."""
    return frozenset(path for path, found in repo.compose_files.items() if found.included or not found.runs)


# --- reading ------------------------------------------------------------------------


def main_document(source_file: "SourceFile") -> MappingNode | None:
    """The document that holds `services:` (else the first mapping document)."""
    mappings = [d for d in source_file.yaml_documents if isinstance(d, MappingNode)]
    for document in mappings:
        if yamlfile.get(document, "services") is not None:
            return document
    return mappings[0] if mappings else None


def services(source_file: "SourceFile") -> Iterator[tuple[str, ScalarNode, Node]]:
    """(name, key node, service node) for every service of the file."""
    node = yamlfile.get(main_document(source_file), "services")
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.tag != yamlfile.MERGE_TAG:
                yield str(key.value), key, value


def shared(node: Node | None, key: str) -> bool:
    """Whether `key` of a mapping comes through an anchor (`<<: *defaults`, `key: *anchor`):
    its text is shared with every other user of the anchor. (Read it with `yamlfile.get`,
    which follows merge keys.)"""
    if not isinstance(node, MappingNode):
        return False
    own = yamlfile.key_node(node, key)
    if own is None:
        return yamlfile.inherited(node, key)
    value = yamlfile.get(node, key)
    return value is not None and is_alias(own, value)


def is_null(node: Node | None) -> bool:
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")


@dataclass(frozen=True)
class EnvEntry:
    key: str
    value: str | None  # None: `KEY:` / `- KEY` (taken from the shell)
    node: ScalarNode  # the value (mapping form) or the whole `KEY=value` item (list form)
    form: str  # "map" or "list"


def env_entries(node: Node | None) -> list[EnvEntry]:
    """`environment:` in either form: `KEY: value` or `- KEY=value`."""
    found = []
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and isinstance(value, ScalarNode) and key.tag != yamlfile.MERGE_TAG:
                found.append(EnvEntry(str(key.value), None if is_null(value) else str(value.value), value, "map"))
    elif isinstance(node, SequenceNode):
        for item in node.value:
            if isinstance(item, ScalarNode):
                key, sep, value = str(item.value).partition("=")
                found.append(EnvEntry(key.strip(), value if sep else None, item, "list"))
    return found


def env_form(node: Node | None) -> str:
    return "list" if isinstance(node, SequenceNode) else "map"


def unset(value: str, unknown: str = "") -> str:
    """A compose value as compose makes it where the variables it names are unset: `${X:-default}` and
    `${X-default}` are their default, `${X:+alt}` empty, `$$` a `$`, and a variable with no default
    (`$X`, `${X}`, `${X:?error}`) `unknown`."""
    out, at = [], 0
    while at < len(value):
        char = value[at]
        if char != "$":
            out.append(char)
            at += 1
        elif value.startswith("$$", at):
            out.append("$")
            at += 2
        elif value.startswith("${", at):
            depth, end = 1, at + 2
            while end < len(value) and depth:  # (a default may name variables too: `${A:-${B:-x}}`)
                opened = value.startswith("${", end)
                depth += 1 if opened else -1 if value[end] == "}" else 0
                end += 2 if opened else 1
            inner = value[at + 2 : end - 1] if depth == 0 else value[at + 2 :]
            match = re.match(r"[A-Za-z_][A-Za-z0-9_]*(?P<op>:?[-+?])?", inner)
            op = match.group("op") if match else None
            rest = inner[match.end():] if match else ""
            out.append(unset(rest, unknown) if op in ("-", ":-") else "" if op in ("+", ":+") else unknown)
            at = end
        else:
            match = re.match(r"\$[A-Za-z_][A-Za-z0-9_]*", value[at:])
            out.append(unknown if match else "$")
            at += len(match.group(0)) if match else 1
    return "".join(out)


def is_alias(key: Node, value: Node) -> bool:
    """`key: *anchor`: ruamel hands back the anchored node, which sits elsewhere in the file."""
    return value.start_mark.index < key.end_mark.index


# --- the file's own style -------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    unit: str  # one level of indentation
    seq_indent: str  # between a key's column and its block list's dashes ("" = flush)
    eol: str


def style_of(source_file: "SourceFile") -> Style:
    unit = source_file.text.indent_unit
    seq_indent = None
    document = main_document(source_file)
    services_node = yamlfile.get(document, "services")
    if isinstance(services_node, MappingNode) and not services_node.flow_style and services_node.value:
        column = services_node.value[0][0].start_mark.column
        unit = " " * column if column else unit
    for key, value in _key_values(document):
        if isinstance(value, SequenceNode) and not value.flow_style and value.value and not is_alias(key, value):
            dash = _dash_column(source_file, value)
            if dash is not None and value.start_mark.line > key.start_mark.line:
                seq_indent = " " * max(0, dash - key.start_mark.column)
                break
    return Style(unit, unit if seq_indent is None else seq_indent, source_file.text.eol)


def _key_values(node: Node | None) -> Iterator[tuple[Node, Node]]:
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, MappingNode):
            for key, value in current.value:
                yield key, value
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)


def _dash_column(source_file: "SourceFile", sequence: SequenceNode) -> int | None:
    text = source_file.decoded
    first = sequence.value[0]
    prefix = text[_line_start(text, first.start_mark.index) : first.start_mark.index]
    return prefix.find("-") if "-" in prefix else None


# --- rendering new YAML -----------------------------------------------------------------

_YAML11_SPECIAL = re.compile(r"^(?:[-+0-9.:_eE]+|y|n|yes|no|on|off|true|false|null|~)$", re.I)


class Verbatim(str):
    """A value that keeps the text it was written with (`"9092:9092"`, quotes and all), for
    moving it from one file to another unchanged."""

    source: str

    def __new__(cls, value: str, source: str) -> "Verbatim":
        made = super().__new__(cls, value)
        made.source = source
        return made


def verbatim(source_file: "SourceFile", node: ScalarNode) -> str:
    """A scalar's value, carrying its source text when it is on one line."""
    text = source_file.decoded[node.start_mark.index : node.end_mark.index]
    return Verbatim(str(node.value), text) if "\n" not in text else str(node.value)


def render_scalar(value: str, flow: bool = False) -> str:
    """`value` as a YAML scalar: as written when it is a `Verbatim` (in flow context too when
    the text holds no flow indicator), plain
    when that reads back as the same string in YAML 1.1 and 1.2 (and in flow context when
    `flow`), else double-quoted."""
    if isinstance(value, Verbatim) and (not flow or not any(c in value.source for c in ",[]{}#")):
        return value.source
    if _plain_ok(value, flow):
        return value
    return json.dumps(value, ensure_ascii=False)


_WORDLIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")  # letters first, no YAML indicator: always a plain string


@lru_cache(maxsize=4096)
def _plain_ok(value: str, flow: bool) -> bool:
    if _WORDLIKE.fullmatch(value) and not _YAML11_SPECIAL.match(value):
        return True  # the common case, decided without loading a probe document
    if not value or value != value.strip() or any(c in value for c in "\n\r\t"):
        return False
    if value[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in value or " #" in value or value.endswith(":"):
        return False
    if _YAML11_SPECIAL.match(value) or (flow and any(c in value for c in ",[]{}")):
        return False
    probe = f"[{value}]" if flow else f"k: {value}"
    try:
        loaded = yamlfile.load_all(probe.encode())
    except yamlfile.YamlError:
        return False
    return loaded == ([[value]] if flow else [{"k": value}])


def render_block(tree: dict, indent: str, style: Style) -> str:
    """A block mapping, every line ending in "\\n"."""
    out = []
    for key, value in tree.items():
        name = render_scalar(str(key))
        if isinstance(value, dict):
            out.append(f"{indent}{name}:\n{render_block(value, indent + style.unit, style)}")
        elif isinstance(value, list):
            items = "".join(render_item(v, f"{indent}{style.seq_indent}", " ") for v in value)
            out.append(f"{indent}{name}:\n{items}")
        else:
            out.append(f"{indent}{name}: {_render_value(value)}\n")
    return "".join(out)


def render_item(value: Tree, lead: str, gap: str) -> str:
    """One block list item (`{lead}-{gap}value`); a mapping item's further keys line up
    under its first."""
    if not isinstance(value, dict):
        return f"{lead}-{gap}{_render_value(value)}\n"
    under = re.sub(r"[^\t]", " ", f"{lead}-{gap}")
    return "".join(f"{under if i else f'{lead}-{gap}'}{render_scalar(str(k))}: {_render_value(v)}\n"
                   for i, (k, v) in enumerate(value.items()))


def _render_value(value: Tree, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return render_flow(value) if isinstance(value, (dict, list)) else render_scalar(value, flow)


def render_flow(tree: Tree) -> str:
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{render_scalar(str(k), True)}: {render_flow(v)}" for k, v in tree.items()) + "}"
    if isinstance(tree, list):
        return "[" + ", ".join(render_flow(v) for v in tree) + "]"
    return _render_value(tree, True)


def item_text(value: Tree) -> str:
    """A list item for a message: a path, a port mapping (`127.0.0.1:9092:9092`), …"""
    if isinstance(value, dict):
        if "path" in value:
            return str(value["path"])
        host = f"{value['host_ip']}:" if value.get("host_ip") else ""
        return f"{host}{value.get('published', '')}:{value.get('target', '')}"
    return str(value)


# --- positions ----------------------------------------------------------------------


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    """Just past the line break of the line that `index` is on (a line start stays put)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found == -1 else found + 1


def content_end(node: Node) -> int:
    """Where a node's own text ends: a scalar's last character, a flow collection's
    bracket, a block collection's last descendant (not the comments after it)."""
    if isinstance(node, ScalarNode) or node.flow_style or not node.value:
        return node.end_mark.index
    if isinstance(node, MappingNode):
        key, value = node.value[-1]
        if is_alias(key, value) or (is_null(value) and value.start_mark.index == value.end_mark.index):
            return key.end_mark.index
        return content_end(value)
    last = node.value[-1]
    if last.start_mark.index < node.start_mark.index:  # `- *alias`
        return _line_start_of_mark(node)
    return content_end(last)


def _line_start_of_mark(node: Node) -> int:
    return node.end_mark.index - node.end_mark.column


def indent_of(source_file: "SourceFile", node: Node) -> str:
    """Spaces up to a node's column (`- ` of a list item counts as indentation)."""
    text = source_file.decoded
    prefix = text[_line_start(text, node.start_mark.index) : node.start_mark.index].replace("\ufeff", "")
    return re.sub(r"[^\t]", " ", prefix)


def _edit(source_file: "SourceFile", start: int, end: int, text: str) -> Edit:
    byte = source_file.text.byte_offset
    return Edit(source_file.path, byte(start), byte(end), text)


def insert_lines(source_file: "SourceFile", at: int, lines: str) -> Edit:
    """Insert whole lines at a line start; at the end of a file without a final newline the
    lines go after a new line break and the file still ends without one."""
    text = source_file.decoded
    if at == len(text) and text and not text.endswith("\n"):
        lines = "\n" + lines.rstrip("\n")
    return _edit(source_file, at, at, lines)


# --- edits --------------------------------------------------------------------------


def replace_scalar(source_file: "SourceFile", node: ScalarNode, value: str, flow: bool = False) -> Edit:
    """Replace a scalar's text, keeping its quotes ('…', "…", plain when still valid); a block
    scalar (`>-`, `|` and their lines) becomes a one-line scalar in its place, its text up
    to its last line break (which stays)."""
    if node.style in (">", "|"):
        start, end = node.start_mark.index, node.end_mark.index
        breaks = re.search(r"\n[ \t\n]*\Z", source_file.decoded[start:end])
        return _edit(source_file, start, end, render_scalar(value, flow) + (breaks.group(0) if breaks else ""))
    if node.style == "'" and "\n" not in value:
        text = "'" + value.replace("'", "''") + "'"
    elif node.style is None:
        text = render_scalar(value, flow)
    else:
        text = json.dumps(value, ensure_ascii=False)
    return _edit(source_file, node.start_mark.index, node.end_mark.index, text)


def remove_item(source_file: "SourceFile", sequence: SequenceNode, item: Node) -> Edit | None:
    """Remove one item of a list (its whole line(s) in block style, the item and a comma in
    flow style). None when it is the only item: remove the key instead."""
    items = sequence.value
    index = next(i for i, candidate in enumerate(items) if candidate is item)
    if len(items) == 1:
        return None
    text = source_file.decoded
    if sequence.flow_style:
        if index < len(items) - 1:
            return _edit(source_file, item.start_mark.index, items[index + 1].start_mark.index, "")
        return _edit(source_file, content_end(items[index - 1]), item.end_mark.index, "")
    start = _line_start(text, item.start_mark.index)
    return _edit(source_file, start, _after_line(text, content_end(item)), "")


def remove_key(source_file: "SourceFile", mapping: MappingNode, key: str) -> Edit | None:
    """Remove `key: value` from a block mapping, comments on its lines included."""
    if mapping.flow_style:
        return None
    for key_node, value in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            text = source_file.decoded
            end = key_node.end_mark.index if is_alias(key_node, value) else content_end(value)
            return _edit(source_file, _line_start(text, key_node.start_mark.index), _after_line(text, end), "")
    return None


def add_to_mapping(source_file: "SourceFile", mapping: MappingNode, tree: dict, style: Style) -> Edit:
    """Add keys after a mapping's last entry, at its keys' column (or inside `{…}`)."""
    if mapping.flow_style:
        entries = ", ".join(f"{render_scalar(str(k), True)}: {render_flow(v)}" for k, v in tree.items())
        if mapping.value:
            at = content_end(mapping.value[-1][1])
            return _edit(source_file, at, at, ", " + entries)
        return _edit(source_file, mapping.start_mark.index + 1, mapping.start_mark.index + 1, entries)
    indent = indent_of(source_file, mapping.value[0][0])
    at = _after_line(source_file.decoded, content_end(mapping))
    return insert_lines(source_file, at, render_block(tree, indent, style))


def add_to_sequence(source_file: "SourceFile", sequence: SequenceNode, values: list, style: Style,
                    first: bool = False) -> Edit:
    """Append items to a list (before its first item when `first`): a line per item with
    the list's own dash column, or `, x` inside `[…]`."""
    if sequence.flow_style:
        items = ", ".join(render_flow(v) for v in values)
        if sequence.value and first:
            at = sequence.value[0].start_mark.index
            return _edit(source_file, at, at, items + ", ")
        if sequence.value:
            at = content_end(sequence.value[-1])
            return _edit(source_file, at, at, ", " + items)
        return _edit(source_file, sequence.start_mark.index + 1, sequence.start_mark.index + 1, items)
    text = source_file.decoded
    head = sequence.value[0]
    prefix = text[_line_start(text, head.start_mark.index) : head.start_mark.index].replace("\ufeff", "")
    dash = prefix.find("-")
    lead, gap = re.sub(r"[^\t]", " ", prefix[:dash]), prefix[dash + 1 :]
    lines = "".join(render_item(v, lead, gap or " ") for v in values)
    if first:
        return _edit(source_file, _line_start(text, head.start_mark.index), _line_start(text, head.start_mark.index), lines)
    return insert_lines(source_file, _after_line(text, content_end(sequence)), lines)


def fill_null(source_file: "SourceFile", key: ScalarNode, value: ScalarNode, tree: Tree, style: Style) -> list[Edit]:
    """`key:` or `key: ~` becomes `key:` with a block under it."""
    text = source_file.decoded
    indent = indent_of(source_file, key) + style.unit
    if isinstance(tree, dict):
        block = render_block(tree, indent, style)
    else:
        seq = indent_of(source_file, key) + style.seq_indent
        block = "".join(f"{seq}- {render_scalar(v)}\n" for v in tree)
    edits = []
    if value.end_mark.index > value.start_mark.index:  # an explicit `~` / `null`
        colon = text.rfind(":", key.end_mark.index, value.start_mark.index)
        edits.append(_edit(source_file, colon + 1, value.end_mark.index, ""))
    edits.append(insert_lines(source_file, _after_line(text, key.end_mark.index), block))
    return edits


# --- the development override ---------------------------------------------------------


@dataclass
class ServiceWants:
    """What one service needs in the development override (added only where missing)."""

    name: str
    environment: list[tuple[str, str]] = field(default_factory=list)  # (key, value)
    env_form: str = "map"  # the form of a new `environment:` (the base service's)
    env_file: list = field(default_factory=list)  # paths, or {"path": …, "required": False}
    ports: list = field(default_factory=list)  # "9092:9092", or a long-form {"target": …, "host_ip": …}
    order: tuple[str, ...] = ()  # the base service's key order, for a new block

    def tree(self, form: str | None = None) -> dict:
        parts: dict[str, Tree] = {}
        form = form or self.env_form
        if self.environment:
            parts["environment"] = (
                {k: v for k, v in self.environment} if form == "map" else [f"{k}={v}" for k, v in self.environment]
            )
        if self.env_file:
            parts["env_file"] = list(self.env_file)
        if self.ports:
            parts["ports"] = list(self.ports)
        rank = {key: index for index, key in enumerate(self.order)}
        return dict(sorted(parts.items(), key=lambda kv: rank.get(kv[0], len(rank))))


UNWRITTEN = "the development override"  # how every finding that cannot write it begins


def kept_local(repo: "Repo", path: str, exists: bool) -> str | None:
    """The start of the finding for an override the repository's `.gitignore` keeps local (each
    developer has their own: a committed one would replace theirs on checkout), or None. One on
    disk here is not "kept local" for this: the runner refuses to write over it, and says so."""
    from fixer import gitignore

    if exists or not gitignore.ignored_in(repo, path) or repo.untracked_on_disk(path):
        return None
    return f"{UNWRITTEN} {path} is git-ignored (each developer keeps their own)"


def withdraw(findings: list[Finding], base: str, override: str) -> None:
    """The base file's edits are not made when its override cannot be written (git-ignored,
    skipped, or not extendable): what moves out of the base would be lost to development."""
    for index, finding in enumerate(findings):
        if finding.changes and all(c.path == base for c in finding.changes):
            kept = re.split(r": now |: moved to ", finding.message)[0]
            findings[index] = replace(finding, changes=(), message=f"{kept}: not changed, as {override} cannot be "
                                      "written (see there)")


def new_override(base: "SourceFile", wants: list[ServiceWants]) -> str:
    """The text of a new override for `base`, in the base's style and line ending. A
    `version:` line is copied from the base (Compose v1 refuses files of mixed versions)."""
    style = style_of(base)
    name = base.name
    lines = [
        f"# Local development: `docker compose up` merges this file over {name}.\n",
        f"# Production runs {name} alone: docker compose -f {name} up -d\n",
    ]
    version = yamlfile.key_node(main_document(base), "version")
    if version is not None:
        text = base.decoded
        start = _line_start(text, version.start_mark.index)
        lines.append(text[start : _after_line(text, version.end_mark.index)].rstrip("\r\n").lstrip("\ufeff") + "\n")
    lines.append("services:\n")
    lines.append(render_block({w.name: w.tree() for w in wants}, style.unit, style))
    return "".join(lines).replace("\n", style.eol)


def extend_override(override: "SourceFile", wants: list[ServiceWants], style: Style) -> tuple[list[Edit], list[str]]:
    """Edits that add to an existing override only what it lacks, and what they add
    (`"api-gateway: NODE_ENV"`, …). What the user wrote is never dropped or reordered."""
    document = main_document(override)
    services_node = yamlfile.get(document, "services")
    edits: list[Edit] = []
    added: list[str] = []
    new_services: dict[str, Tree] = {}
    for want in wants:
        node = yamlfile.get(services_node, want.name)
        key = yamlfile.key_node(services_node, want.name)
        if node is None or key is None:
            new_services[want.name] = want.tree()
            added.append(f"{want.name} (new: {', '.join(want.tree())})")
            continue
        more, what = _extend_service(override, key, node, want, style)
        edits += more
        if what:
            added.append(f"{want.name}: {', '.join(what)}")
    if new_services:
        edits += _add_services(override, document, services_node, new_services, style)
    return edits, added


def _add_services(override: "SourceFile", document: MappingNode | None, services_node: Node | None,
                  new_services: dict, style: Style) -> list[Edit]:
    if isinstance(services_node, MappingNode) and services_node.value:
        return [add_to_mapping(override, services_node, new_services, style)]
    key = yamlfile.key_node(document, "services")
    if key is not None and is_null(services_node):
        return fill_null(override, key, services_node, new_services, style)
    block = "services:\n" + render_block(new_services, style.unit, style)
    return [insert_lines(override, len(override.decoded), block)]


def _extend_service(override: "SourceFile", key: ScalarNode, node: Node, want: ServiceWants,
                    style: Style) -> tuple[list[Edit], list[str]]:
    if is_null(node):
        return fill_null(override, key, node, want.tree(), style), [", ".join(want.tree())]
    if not isinstance(node, MappingNode):
        return [], []
    edits: list[Edit] = []
    what: list[str] = []
    missing: dict[str, Tree] = {}
    environment = yamlfile.get(node, "environment")
    present = {entry.key for entry in env_entries(environment)}
    todo = ServiceWants(want.name, [(k, v) for k, v in want.environment if k not in present],
                        env_form(environment) if environment is not None and not is_null(environment) else want.env_form)
    if todo.environment:
        what.append(", ".join(k for k, _ in todo.environment))
        edits += _extend_key(override, node, "environment", environment, todo.tree()["environment"], style, missing)
    for name, values, same in (("env_file", want.env_file, _same_path), ("ports", want.ports, _same_port)):
        existing = yamlfile.get(node, name)
        have = _list_values(existing)
        todo_values = [v for v in values if not any(same(item_text(v), h) for h in have)]
        if todo_values:
            if name == "ports" and existing is not None and existing.tag == "!override":
                raise ValueError(f"{override.path}: {want.name} replaces its ports on purpose (`!override`): add "
                                 f"{', '.join(item_text(v) for v in todo_values)} there by hand if development needs it")
            what.append(f"{name} {', '.join(item_text(v) for v in todo_values)}")
            # the override's own env files come after the development one: the later file wins
            edits += _extend_key(override, node, name, existing, todo_values, style, missing, first=name == "env_file")
    if missing:
        rank = {k: i for i, k in enumerate(want.order)}
        edits.append(add_to_mapping(override, node, dict(sorted(missing.items(), key=lambda kv: rank.get(kv[0], 99))), style))
    return edits, what


def _extend_key(override: "SourceFile", service: MappingNode, name: str, existing: Node | None, tree: Tree,
                style: Style, missing: dict, first: bool = False) -> list[Edit]:
    """Add `tree` to `service[name]`, whatever form the user wrote it in."""
    if existing is None:
        missing[name] = tree
        return []
    if shared(service, name):
        raise ValueError(f"{override.path}: `{name}` of a service comes from a YAML anchor: extend it by hand")
    key = yamlfile.key_node(service, name)
    assert key is not None
    if is_null(existing):
        return fill_null(override, key, existing, tree, style)
    if isinstance(existing, MappingNode) and isinstance(tree, dict):
        return [add_to_mapping(override, existing, tree, style)]
    if isinstance(existing, SequenceNode) and isinstance(tree, list):
        return [add_to_sequence(override, existing, tree, style, first)]
    if isinstance(existing, ScalarNode) and isinstance(tree, list):  # `env_file: .env.local`
        old = override.decoded[existing.start_mark.index : existing.end_mark.index]
        if "\n" in old:
            raise ValueError(f"{override.path}: cannot add to `{name}` of this form")
        new = [render_flow(v) for v in tree]
        items = new + [old] if first else [old] + new
        return [_edit(override, existing.start_mark.index, existing.end_mark.index, "[" + ", ".join(items) + "]")]
    raise ValueError(f"{override.path}: cannot add to `{name}` of this form")


def _list_values(node: Node | None) -> list[str]:
    if isinstance(node, ScalarNode) and not is_null(node):
        return [str(node.value)]
    values = []
    for item in node.value if isinstance(node, SequenceNode) else []:
        if isinstance(item, ScalarNode):
            values.append(str(item.value))
        elif isinstance(item, MappingNode):  # long syntax: {path: …} / {target: …, published: …}
            path = yamlfile.get(item, "path")
            if isinstance(path, ScalarNode):
                values.append(str(path.value))
            published, target = yamlfile.get(item, "published"), yamlfile.get(item, "target")
            if isinstance(published, ScalarNode) and isinstance(target, ScalarNode):
                values.append(f"{published.value}:{target.value}")
    return values


def _same_path(a: str, b: str) -> bool:
    return posixpath.normpath(a) == posixpath.normpath(b)


def _same_port(a: str, b: str) -> bool:
    return published_port(a) == published_port(b) and published_port(a) is not None


def published_port(mapping: str) -> str | None:
    """The host side of a port mapping (`127.0.0.1:9092:9092/tcp` -> `9092`); None if none."""
    parts = str(mapping).split("/")[0].rsplit(":", 2)
    return parts[-2] if len(parts) >= 2 else None
