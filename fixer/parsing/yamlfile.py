"""YAML files located with ruamel.yaml, edited as text.

A ruamel round-trip re-dump is byte-identical for only a minority of real
compose files, so nothing here ever dumps: `compose_all` gives a node graph
whose marks locate every scalar exactly, fixes edit the original bytes there,
and `load_all` checks that the edited text still means what was intended.
"""

from __future__ import annotations

import io
import re
from typing import Any, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fixer.parsing.text import Text, parsed_once

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "YamlError"]


class YamlError(ValueError):
    pass


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


@parsed_once(32)  # a plan's every step and the verification of each edit ask again; ruamel is slow
def compose_all(data: bytes) -> list[Node]:
    """The documents of a YAML file as nodes (marks index the decoded text, BOM included).
    The nodes are shared between callers: never modify them."""
    try:
        documents = [doc for doc in _yaml().compose_all(io.StringIO(data.decode("utf-8"))) if doc is not None]
    except YAMLError as error:
        raise YamlError(_one_line(error)) from None
    for document in documents:
        _check_and_unmark(document)
    return documents


def _check_and_unmark(root: Node, duplicates: bool = True) -> None:
    """Refuse a mapping that defines a key twice, when `duplicates` (the composer keeps both; Docker Compose and every
    strict loader refuse the file, and an edit of one copy would be an edit of a value nothing
    reads). And unmark folds: the round-trip composer marks each fold of a `>` block scalar with
    `\a` (to fold it again when dumping, which nothing here does): the value a loader sees has none."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.style == ">" and isinstance(node.value, str) and "\a" in node.value:
                node.value = node.value.replace("\a", "")
        elif isinstance(node, MappingNode):
            first: dict[str, Node] = {}
            for key, _ in node.value if duplicates else ():
                if isinstance(key, ScalarNode) and key.tag != MERGE_TAG:
                    earlier = first.setdefault(key.value, key)
                    if earlier is not key:
                        raise YamlError(f"mapping key {key.value!r} already defined at line "
                                        f"{earlier.start_mark.line + 1} (again at line {key.start_mark.line + 1})")
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


class Tagged(tuple):
    """A value under a tag YAML does not define (`!Ref DbPassword`, `!Sub '…'`, `!reset`): (tag, value), so a
    loaded document still says what the tag said, and `!Ref X` is not `X`."""


class _TaggedConstructor(SafeConstructor):
    """The safe constructor, with any `!tag` it does not know loaded as `Tagged` (CloudFormation and SAM
    templates, compose's `!reset`/`!override`), not refused: the safe loader alone cannot load one."""


def _tagged(constructor: SafeConstructor, suffix: str, node: Node) -> Tagged:
    if isinstance(node, ScalarNode):
        value: Any = constructor.construct_scalar(node)
    elif isinstance(node, SequenceNode):
        value = tuple(constructor.construct_object(child, deep=True) for child in node.value)
    else:
        value = tuple((constructor.construct_object(key, deep=True), constructor.construct_object(item, deep=True))
                      for key, item in node.value)
    return Tagged(("!" + suffix, value))


_TaggedConstructor.add_multi_constructor("!", _tagged)


def load_all(data: bytes) -> list[Any]:
    """Plain Python data of every document (for checking what an edit means); a value under a tag YAML does
    not define is `Tagged`."""
    try:
        yaml = YAML(typ="safe", pure=True)
        yaml.Constructor = _TaggedConstructor
        return list(yaml.load_all(io.StringIO(data.decode("utf-8"))))
    except YAMLError as error:
        raise YamlError(_one_line(error)) from None


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:200]


MERGE_TAG = "tag:yaml.org,2002:merge"  # a plain `<<` key; a quoted "<<" is an ordinary key


def get(node: Node | None, key: str) -> Node | None:
    """The value node of `key` in a mapping node, as a loader sees it: the mapping's own key,
    else the first of the mappings merged in (`<<: *defaults`, `<<: [*a, *b]`) that has it.
    A merged value lives in the anchor, shared with its other users: to edit, find the key
    with `key_node` (own keys only) or ask `inherited`."""
    if not isinstance(node, MappingNode):
        return None
    for key_node_, value_node in node.value:
        if isinstance(key_node_, ScalarNode) and key_node_.value == key:
            return value_node
    for source in merged(node):
        found = get(source, key)
        if found is not None:
            return found
    return None


def merged(node: Node | None) -> list[MappingNode]:
    """The mappings a mapping merges in with `<<`, the one that wins first."""
    if not isinstance(node, MappingNode):
        return []
    for key_node_, value_node in node.value:
        if isinstance(key_node_, ScalarNode) and key_node_.tag == MERGE_TAG:
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            return [source for source in sources if isinstance(source, MappingNode)]
    return []


def inherited(node: Node | None, key: str) -> bool:
    """Whether `key` of a mapping comes from a merged mapping (it has no key of its own)."""
    return key_node(node, key) is None and get(node, key) is not None


def get_path(node: Node | None, *keys: str) -> Node | None:
    for key in keys:
        node = get(node, key)
    return node


def key_node(node: Node | None, key: str) -> Node | None:
    """The key node of `key` written in the mapping itself (merged keys have none here)."""
    if not isinstance(node, MappingNode):
        return None
    for key_node_, _ in node.value:
        if isinstance(key_node_, ScalarNode) and key_node_.value == key:
            return key_node_
    return None


def items(node: Node | None) -> Iterator[tuple[str, Node]]:
    """A mapping's keys and values as a loader sees them: its own, then the merged ones it
    does not override (the merge key `<<` itself is none)."""
    seen = set()
    for key_node_, value_node in node.value if isinstance(node, MappingNode) else []:
        if isinstance(key_node_, ScalarNode) and key_node_.tag != MERGE_TAG:
            seen.add(str(key_node_.value))
            yield str(key_node_.value), value_node
    for source in merged(node):
        for key, value_node in items(source):
            if key not in seen:
                seen.add(key)
                yield key, value_node


def scalars(node: Node | None) -> Iterator[ScalarNode]:
    """Every scalar at or below `node`."""
    if node is None:
        return
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ScalarNode):
            yield current
        elif isinstance(current, SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, MappingNode):
            for key_node_, value_node in reversed(current.value):
                stack.append(value_node)
                stack.append(key_node_)


def span(text: Text, node: Node) -> tuple[int, int]:
    """Byte span of a node in the original file (exact for scalars: quotes included)."""
    return text.byte_offset(node.start_mark.index), text.byte_offset(node.end_mark.index)


def line(node: Node) -> int:
    return node.start_mark.line + 1


def column(node: Node) -> int:
    return node.start_mark.column + 1


# --- Helm chart templates --------------------------------------------------------------

# A Go-template action: `{{ .Values.x }}`, `{{- if … }}`, `{{/* a comment */}}`; it may run
# over lines. (A `}}` inside an action's string literal ends it early: charts hardly write one.)
_TEMPLATE_ACTION = re.compile(r"\{\{.*?\}\}", re.S)
_TEMPLATE_ACTION_BYTES = re.compile(rb"\{\{.*?\}\}", re.S)
TEMPLATE_FILLER = "_"  # an action inside a line's text: one plain-scalar character per character


def template_actions(data: bytes) -> list[tuple[int, int]]:
    """The byte spans of a Helm template's Go-template actions (`{{ … }}`)."""
    return [match.span() for match in _TEMPLATE_ACTION_BYTES.finditer(data)] if b"{{" in data else []


def blank_template_actions(text: str) -> str:
    """The text with every Go-template action blanked character for character (line breaks kept),
    so each character index (and each line and column) of the YAML around them stays what it
    is in the template: a line that holds only actions becomes spaces (`{{- with .Values.x }}`,
    `{{- toYaml . | nindent 12 }}`: no YAML of its own), an action among a line's text becomes
    `_` characters, a plain scalar (`name: {{ .Release.Name }}` -> `name: ____…`, `image:
    {{ .Values.repo }}:{{ .Values.tag }}`), so the text around it keeps its YAML meaning."""
    actions = [match.span() for match in _TEMPLATE_ACTION.finditer(text)]
    if not actions:
        return text
    chars = list(text)
    for start, end in actions:
        for at in range(start, end):
            if chars[at] not in "\r\n":
                chars[at] = "\0"  # (space or filler: decided per line, below)
    lines = re.split(r"(?<=\n)", "".join(chars))
    return "".join(line.replace("\0", " " if not line.replace("\0", "").strip() else TEMPLATE_FILLER)
                   for line in lines)


@parsed_once(32)
def compose_template(data: bytes) -> list[Node]:
    """The documents of a Helm chart template (YAML with Go-template actions, which does not
    parse as it is) as nodes, read with its actions blanked (`blank_template_actions`): marks
    index the template's own decoded text, so `span` gives the template's exact bytes. A
    scalar an action was blanked in holds `_` characters there: compare its span with
    `template_actions` (its text in the template is the value a chart writes). Raises
    YamlError when even the blanked text is no YAML (an action that opens a YAML construct
    another one closes)."""
    try:
        text = blank_template_actions(data.decode("utf-8"))
        documents = [doc for doc in _yaml().compose_all(io.StringIO(text)) if doc is not None]
    except YAMLError as error:
        raise YamlError(_one_line(error)) from None
    for document in documents:  # (a key twice is no error here: `{{ if }}a: 1{{ else }}a: 2{{ end }}` blanked)
        _check_and_unmark(document, duplicates=False)
    return documents
