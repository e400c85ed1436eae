"""Checks run on every changed file, on every apply and dry run (not only in tests).

  reparse   the file parses at least as well as before (TS: no new ERROR/MISSING
            nodes; YAML, Dockerfile, JSON: still loads if it loaded before)
  outside   every byte outside the edits is where it was
  meaning   YAML, env and Dockerfiles mean the same except where the edits are

Each returns None when the file passes, else a one-line reason.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from fixer import edits as edit_ops
from fixer.model import Edit
from fixer.parsing import dockerfile as dockerfile_parser
from fixer.parsing import envfile, typescript, yamlfile
from fixer.parsing.text import Text, normalize_newlines
from fixer.repo import classify


def check(path: str, before: bytes | None, after: bytes, edits: list[Edit], errors_before: int | None = None,
          errors_after: int | None = None, kind: str | None = None) -> str | None:
    """`errors_before`, `errors_after`: the ERROR/MISSING counts of the original and of the
    edited file when already known (so neither is parsed again); `kind`: the file's
    (`Repo.kind`: a `bin/www` a service runs is JavaScript), by default its name's."""
    kind = kind or classify(path)
    if before is None:  # a new file: it must parse
        return _parses(kind, after)
    outside = outside_problem(before, edits, after)
    if outside is None and kind == "yaml" and b"{{" in before and _parses(kind, before) is not None:
        return _template_problem(before, after, edits)  # a Helm chart template: YAML once its actions are blanked
    return (
        outside
        or reparse_problem(kind, before, after, errors_before, errors_after)
        or meaning_problem(kind, before, after, edits)
    )


def _template_problem(before: bytes, after: bytes, edits: list[Edit]) -> str | None:
    """A Go-templated YAML file (a Helm chart's): no edit may touch a template action, and with
    the actions blanked in place (`yamlfile.blank_template_actions`), the edited file must parse
    and mean the same except where the edits are, as plain YAML must."""
    for start, end in yamlfile.template_actions(before):
        if any(edit.start < end and start < edit.end for edit in edits):
            return "the edit touches a template action"
    try:
        blanked = [yamlfile.blank_template_actions(data.decode("utf-8")).encode("utf-8") for data in (before, after)]
    except UnicodeDecodeError:
        return None  # (not text: its reparse would have failed before the edit too)
    if len(blanked[0]) != len(before):
        return None  # (an action held a multi-byte character: offsets no longer line up; nothing to compare)
    return reparse_problem("yaml", *blanked) or meaning_problem("yaml", *blanked, edits)


def _parses(kind: str, data: bytes) -> str | None:
    try:
        if kind in typescript.LANGUAGE_OF_KIND:
            if typescript.error_count(typescript.parse(data, kind)):
                return "the new file does not parse"
        elif kind in ("yaml", "compose"):
            _load_yaml(data)
        elif kind == "dockerfile":
            dockerfile_parser.parse(data)
        elif kind == "json":
            json.loads(data)
    except (ValueError, yamlfile.YamlError, dockerfile_parser.DockerfileError) as error:
        return f"the new file does not parse ({str(error)[:120]})"
    return None


def reparse_problem(kind: str, before: bytes, after: bytes, errors_before: int | None = None,
                    errors_after: int | None = None) -> str | None:
    if kind in typescript.LANGUAGE_OF_KIND:
        old = errors_before if errors_before is not None else typescript.error_count(typescript.parse(before, kind))
        new = errors_after if errors_after is not None else typescript.error_count(typescript.parse(after, kind))
        if new > old:
            return f"the edit adds parse errors ({old} -> {new} ERROR/MISSING nodes)"
        return None
    if kind in ("yaml", "compose", "dockerfile", "json"):
        if _parses(kind, before) is None and _parses(kind, after) is not None:
            return "the edited file no longer parses"
    return None


def after_spans(edits: list[Edit], size: int, eol: str, data: bytes | None = None) -> list[tuple[Edit, int, int]]:
    """Where each edit's new text lands in the edited file. With the original `data`, the
    edits as `edits.apply` places them (`edits.settle`: a block added at the end of a line
    goes after that line's own ending): pass it whenever the file may mix line endings."""
    placed = []
    shift = 0
    for edit in (edit_ops.settle(data, edits, eol) if data is not None else edit_ops.ordered(edits, size)):
        length = len(normalize_newlines(edit.text, eol).encode("utf-8"))
        placed.append((edit, edit.start + shift, edit.start + shift + length))
        shift += length - (edit.end - edit.start)
    return placed


def outside_problem(before: bytes, edits: list[Edit], after: bytes) -> str | None:
    eol = Text(before).eol
    placed = after_spans(edits, len(before), eol, before)
    cursor_before = cursor_after = 0
    for edit, new_start, new_end in placed:
        if before[cursor_before : edit.start] != after[cursor_after:new_start]:
            return f"bytes outside the edits changed near offset {cursor_before}"
        cursor_before, cursor_after = edit.end, new_end
    if before[cursor_before:] != after[cursor_after:]:
        return f"bytes outside the edits changed near offset {cursor_before}"
    return None


# --- meaning ------------------------------------------------------------------------


def meaning_problem(kind: str, before: bytes, after: bytes, edits: list[Edit]) -> str | None:
    if kind in ("yaml", "compose"):
        return _yaml_meaning(before, after, edits)
    if kind == "env":
        return _env_meaning(before, after, edits)
    if kind == "dockerfile":
        return _dockerfile_meaning(before, after, edits)
    return None


def _yaml_meaning(before: bytes, after: bytes, edits: list[Edit]) -> str | None:
    try:
        documents = yamlfile.compose_all(before)
        old, new = _load_yaml(before), _load_yaml(after)
    except yamlfile.YamlError:
        return None  # did not load before: nothing to compare (reparse covers the rest)
    if len(old) != len(new):
        return "the edit changes the number of YAML documents"
    text = Text(before)
    allowed: list[tuple[int, tuple[Any, ...]]] = []
    for edit in edits:
        for index, document in enumerate(documents):
            node = _deepest_collection(text, document, edit)
            if node is not None:
                # an anchored node means the same at every place an alias or `<<:` merges it
                allowed += [(index, path) for path in _data_paths(document).get(id(node), [()])]
    for index, (old_doc, new_doc) in enumerate(zip(old, new)):
        for path in _differences(old_doc, new_doc, ()):
            if not any(doc == index and path[: len(prefix)] == prefix for doc, prefix in allowed):
                where = ".".join(str(p) for p in path) or "(document)"
                return f"the edit changes YAML data outside the edited keys (at {where})"
    return None


@lru_cache(maxsize=8)
def _load_yaml(data: bytes) -> list[Any]:
    """`yamlfile.load_all`, once per content: checking one edit loads the file before and
    after for both the reparse and the meaning check, and ruamel is slow (a 50-service
    compose file: ~0.1 s a load). The data is only compared here, never modified. A
    failure is not remembered (it raises again)."""
    return yamlfile.load_all(data)


def _deepest_collection(text: Text, node: Any, edit: Edit) -> Any:
    """The innermost mapping or sequence whose text strictly contains the edit."""
    start, end = yamlfile.span(text, node)
    if not (start <= edit.start and edit.end <= end):
        return None
    children: list[Any] = []
    if isinstance(node, yamlfile.MappingNode):
        children = [v for k, v in node.value if isinstance(k, yamlfile.ScalarNode)]
    elif isinstance(node, yamlfile.SequenceNode):
        children = list(node.value)
    for child in children:
        if isinstance(child, (yamlfile.MappingNode, yamlfile.SequenceNode)):
            child_start, child_end = yamlfile.span(text, child)
            content_end = _content_end(text, child_start, child_end)
            inside = child_start < edit.start and edit.end <= content_end
            if inside and edit.start == edit.end == content_end and edit.text[:1] in ("\n", "\r"):
                # (new lines appended right after its last line, the file ending there: the collection's own
                # keys when indented as they are, else its parent's)
                inside = _indent(edit.text.lstrip("\r\n")) >= _column(text, child_start)
            if inside or _in_blank_tail(text, child_start, child_end, edit):
                deeper = _deepest_collection(text, child, edit)
                if deeper is not None:
                    return deeper
    return node


def _content_end(text: Text, start: int, end: int) -> int:
    """Where a collection's own text ends: a block collection's span runs on over the line break and
    indentation up to where the next key starts."""
    while end > start and text.data[end - 1] in b" \t\r\n":
        end -= 1
    return end


def _in_blank_tail(text: Text, start: int, end: int, edit: Edit) -> bool:
    """An insertion after a block collection's last line, before the next key, is the collection's
    when it is indented like the collection's own keys (`    env_file:` after `api:`'s last block
    is a key of `api`), else its parent's."""
    if edit.start != edit.end or not (_content_end(text, start, end) < edit.start <= end):
        return False
    return _indent(edit.text) >= _column(text, start)


def _column(text: Text, start: int) -> int:
    return start - (text.data.rfind(b"\n", 0, start) + 1)


def _indent(inserted: str) -> int:
    return len(inserted) - len(inserted.lstrip(" "))


def _data_paths(document: Any) -> dict[int, list[tuple[Any, ...]]]:
    """Every data path at which each collection node appears (aliases and `<<` merges included)."""
    paths: dict[int, list[tuple[Any, ...]]] = {}

    def visit(node: Any, path: tuple[Any, ...], depth: int) -> None:
        if depth > 64 or not isinstance(node, (yamlfile.MappingNode, yamlfile.SequenceNode)):
            return
        paths.setdefault(id(node), []).append(path)
        if isinstance(node, yamlfile.SequenceNode):
            for index, child in enumerate(node.value):
                visit(child, path + (index,), depth + 1)
            return
        for key, child in node.value:
            if not isinstance(key, yamlfile.ScalarNode):
                continue
            if key.value == "<<":  # merged keys land at this mapping's own path
                for merged in child.value if isinstance(child, yamlfile.SequenceNode) else [child]:
                    visit(merged, path, depth + 1)
            else:
                visit(child, path + (key.value,), depth + 1)

    visit(document, (), 0)
    return paths


def _differences(old: Any, new: Any, path: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in set(old) | set(new):
            if key not in old or key not in new:
                found.append(path + (key,))
            else:
                found += _differences(old[key], new[key], path + (key,))
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        found = []
        for index, (a, b) in enumerate(zip(old, new)):
            found += _differences(a, b, path + (index,))
        return found
    return [] if old == new else [path]


def _env_meaning(before: bytes, after: bytes, edits: list[Edit]) -> str | None:
    old_lines, new_lines = envfile.parse(before), envfile.parse(after)
    old_text, new_text = Text(before), Text(after)
    touched_old = set()
    for edit in edits:
        first, last = old_text.line_of(edit.start), old_text.line_of(max(edit.start, edit.end - 1))
        touched_old.update(range(first, last + 1))
    touched_new = set()
    for _edit, start, end in after_spans(edits, len(before), old_text.eol, before):
        first, last = new_text.line_of(start), new_text.line_of(max(start, end - 1))
        touched_new.update(range(first, last + 1))
    allowed = {e.key for e in old_lines if e.line in touched_old} | {e.key for e in new_lines if e.line in touched_new}
    old_map = {e.key: e.value for e in old_lines}
    new_map = {e.key: e.value for e in new_lines}
    for key in set(old_map) | set(new_map):
        if old_map.get(key) != new_map.get(key) and key not in allowed:
            return f"the edit changes env key {key} that it did not touch"
    return None


def _dockerfile_meaning(before: bytes, after: bytes, edits: list[Edit]) -> str | None:
    try:
        old, new = dockerfile_parser.parse(before), dockerfile_parser.parse(after)
    except dockerfile_parser.DockerfileError:
        return None
    old_text, new_text = Text(before), Text(after)
    old_lines = set()
    for edit in edits:
        old_lines.update(range(old_text.line_of(edit.start), old_text.line_of(max(edit.start, edit.end - 1)) + 1))
    new_lines = set()
    for _edit, start, end in after_spans(edits, len(before), old_text.eol, before):
        new_lines.update(range(new_text.line_of(start), new_text.line_of(max(start, end - 1)) + 1))

    def untouched(instructions: list[dockerfile_parser.Instruction], lines: set[int]) -> list[tuple[Any, ...]]:
        return [
            (i.cmd, i.value, i.flags)
            for i in instructions
            if not lines.intersection(range(i.start_line, i.end_line + 1))
        ]

    if untouched(old, old_lines) != untouched(new, new_lines):
        return "the edit changes Dockerfile instructions it does not own"
    return None
