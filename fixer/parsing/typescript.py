"""TypeScript, TSX and JavaScript through tree-sitter (>= 0.25 API).

`.ts/.mts/.cts` use the TypeScript grammar; `.tsx` and every JavaScript flavour
use the TSX grammar (JS is a subset, and `.js` files often carry JSX).

The grammar rejects some valid TypeScript 5 syntax (`export type * from`), so
callers compare error counts before and after an edit instead of demanding none.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Mapping

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

LANGUAGE_OF_KIND = {"ts": "typescript", "tsx": "tsx", "js": "tsx"}


@lru_cache(maxsize=None)
def language(name: str) -> Language:
    if name == "typescript":
        return Language(tree_sitter_typescript.language_typescript())
    return Language(tree_sitter_typescript.language_tsx())


@lru_cache(maxsize=None)
def _parser(name: str) -> Parser:
    return Parser(language(name))


# The kind each parsed tree's root was parsed as, so `descendants` can pick the grammar's
# compiled query from any node (a node does not know its language).
_ROOT_KIND: dict[int, str] = {}


def parse(data: bytes, kind: str) -> Tree:
    tree = _parser(LANGUAGE_OF_KIND[kind]).parse(data)
    if len(_ROOT_KIND) > 100_000:
        _ROOT_KIND.clear()
    _ROOT_KIND[tree.root_node.id] = kind
    return tree


def reparse(tree: Tree, before: bytes, after: bytes, spans: list[tuple[int, int, int, int]], kind: str) -> Tree:
    """The parse of `after`, made from `tree` (the parse of `before`) by tree-sitter's
    incremental parsing: only what the edits touched is parsed again (same tree as a
    fresh parse, several times faster). `spans`: (start, end) in `before` and (start,
    end) of the new bytes in `after` of every edit, in order. `tree` is left as it was."""
    edited = tree.copy()
    for start, end, new_start, new_end in reversed(spans):  # last first: earlier offsets stay valid
        row, col = _point(before, start)
        inserted = after[new_start:new_end]
        breaks = inserted.count(b"\n")
        end_point = (row + breaks, len(inserted) - inserted.rfind(b"\n") - 1) if breaks else (row, col + len(inserted))
        edited.edit(start_byte=start, old_end_byte=end, new_end_byte=start + len(inserted),
                    start_point=(row, col), old_end_point=_point(before, end), new_end_point=end_point)
    new = _parser(LANGUAGE_OF_KIND[kind]).parse(after, edited)
    _ROOT_KIND[new.root_node.id] = kind
    return new


def _point(data: bytes, offset: int) -> tuple[int, int]:
    """tree-sitter's (row, byte column) of an offset."""
    return data.count(b"\n", 0, offset), offset - data.rfind(b"\n", 0, offset) - 1


@lru_cache(maxsize=None)
def query(kind: str, source: str) -> Query:
    """A compiled query, cached per grammar; share query text between fixes through this module."""
    return Query(language(LANGUAGE_OF_KIND[kind]), source)


def captures(kind: str, source: str, node: Node) -> dict[str, list[Node]]:
    return QueryCursor(query(kind, source)).captures(node)


def matches(kind: str, source: str, node: Node) -> list[tuple[int, dict[str, list[Node]]]]:
    return QueryCursor(query(kind, source)).matches(node)


def error_count(tree: Tree) -> int:
    """ERROR and MISSING nodes in the tree (only subtrees that contain errors are walked)."""
    count = 0
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    return count


def walk(node: Node) -> Iterator[Node]:
    """Every named and anonymous descendant of `node` (itself included), in document order."""
    cursor = node.walk()
    descending = True
    while True:
        if descending:
            yield cursor.node  # type: ignore[misc]
            if cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            descending = True
        elif cursor.goto_parent():
            descending = False
        else:
            return


def descendants(node: Node, *types: str) -> Iterator[Node]:
    """Nodes of the given types at or below `node`, in document order (parents first).
    Runs as a tree-sitter query (in C) when the node's grammar is known."""
    query_ = _descendants_query(_kind_of(node), tuple(sorted(set(types))))
    if query_ is None:
        wanted = set(types)
        yield from (child for child in walk(node) if child.type in wanted)
        return
    found = QueryCursor(query_).captures(node).get("n", [])
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    yield from found


def _kind_of(node: Node) -> str | None:
    root = node
    while root.parent is not None:
        root = root.parent
    return _ROOT_KIND.get(root.id)


@lru_cache(maxsize=None)
def _descendants_query(kind: str | None, types: tuple[str, ...]) -> Query | None:
    if kind is None or not all(re.fullmatch(r"[a-z_]+", t) for t in types):
        return None
    try:
        return query(kind, "[" + " ".join(f"({t})" for t in types) + "] @n")
    except Exception:  # a type the grammar does not have
        return None


# --- strings ------------------------------------------------------------------------


@dataclass(frozen=True)
class StringLiteral:
    node: Node  # a `string` or `template_string` node
    quote: str  # ', " or `
    start: int  # byte span of the contents, quotes excluded
    end: int
    value: str | None  # the literal's value; None when a template has substitutions

    @property
    def is_template(self) -> bool:
        return self.quote == "`"


def string_literal(node: Node) -> StringLiteral | None:
    if node.type not in ("string", "template_string"):
        return None
    text = node.text or b""
    quote = text[:1].decode()
    has_substitution = any(child.type == "template_substitution" for child in node.children)
    value = None if has_substitution else _unescape(text[1:-1].decode("utf-8", errors="replace"))
    return StringLiteral(node, quote, node.start_byte + 1, node.end_byte - 1, value)


def node_text(node: Node | None) -> str:
    """A node's source text ("" for no node); bytes that are not UTF-8 become U+FFFD, never an error."""
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def one_line(text: bytes | str | None, width: int = 60) -> str:
    """Source text as a message quotes it: on one line (comments dropped, whitespace collapsed),
    clipped to `width` characters (`{ cookie: false, … }` of a 20-line options object)."""
    if isinstance(text, bytes) or text is None:
        text = (text or b"").decode("utf-8", "replace")
    if "\n" in text:  # (not the `//` of a URL)
        text = re.sub(r"/\*.*?\*/|(?<![:\w'\"`/])//[^\n]*", " ", text, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def string_value(node: Node | None) -> str | None:
    """The value of a string literal (or substitution-free template), else None."""
    literal = string_literal(node) if node is not None else None
    return literal.value if literal else None


def iter_string_literals(root: Node) -> Iterator[StringLiteral]:
    for node in descendants(root, "string", "template_string"):
        literal = string_literal(node)
        if literal:
            yield literal


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "'": "'", '"': '"', "\\": "\\", "`": "`", "0": "\0"}


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw, flags=re.S)


# --- calls --------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberCall:
    """`object.method(args)`, `object?.method(args)` or `object['method'](args)`."""

    call: Node
    object: Node
    method: str
    method_node: Node  # the property_identifier, or the string inside [ ]
    arguments: Node

    @property
    def args(self) -> list[Node]:
        return [child for child in self.arguments.named_children if child.type != "comment"]


def member_call(call: Node) -> MemberCall | None:
    if call.type != "call_expression":
        return None
    callee = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if callee is None or arguments is None or arguments.type != "arguments":
        return None
    if callee.type == "member_expression":
        obj = callee.child_by_field_name("object")
        prop = callee.child_by_field_name("property")
        if obj is None or prop is None:
            return None
        return MemberCall(call, obj, (prop.text or b"").decode(), prop, arguments)
    if callee.type == "subscript_expression":
        obj = callee.child_by_field_name("object")
        index = callee.child_by_field_name("index")
        name = string_value(index)
        if obj is None or index is None or name is None:
            return None
        return MemberCall(call, obj, name, index, arguments)
    return None


def called_function(call: Node) -> Node | None:
    """The function a call calls. tree-sitter-typescript parses `await f<T>(x)` as a call
    whose function is `await f` (the call then includes the `await`): this returns `f` there."""
    callee = call.child_by_field_name("function")
    if callee is not None and callee.type == "await_expression" and callee.named_children and \
            call.child_by_field_name("type_arguments") is not None:
        return callee.named_children[0]
    return callee


def iter_member_calls(root: Node) -> Iterator[MemberCall]:
    for node in descendants(root, "call_expression"):
        call = member_call(node)
        if call:
            yield call


def object_property(obj: Node, key: str) -> Node | None:
    """The value node of `key` in an object literal (`{ key: value }`), if present."""
    pair = object_pair(obj, key)
    return pair.child_by_field_name("value") if pair is not None else None


def key_name(key: Node) -> str | None:
    """The name an object key spells: `format`, `'format'` (None for a string fixer cannot read)."""
    return string_value(key) if key.type == "string" else (key.text or b"").decode("utf-8", "replace")


def object_pair(obj: Node | None, key: str) -> Node | None:
    """The `key: value` pair of an object literal (`key` written plain or quoted), if present."""
    if obj is None or obj.type != "object":
        return None
    for pair in obj.named_children:
        if pair.type != "pair":
            continue
        name = pair.child_by_field_name("key")
        if name is None:
            continue
        if key_name(name) == key:
            return pair
    return None


def imports_module(root: Node, pattern: re.Pattern[str]) -> bool:
    """Whether the file imports or requires a module whose name matches `pattern`."""
    for node in root.named_children:
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
            if string_value(source) and pattern.search(string_value(source) or ""):
                return True
    for call in descendants(root, "call_expression"):
        callee = call.child_by_field_name("function")
        if callee is not None and callee.text in (b"require", b"import"):
            args = call.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            value = string_value(first)
            if value and pattern.search(value):
                return True
    return False


# --- structure: enclosing nodes, list elements, bindings ----------------------------

FUNCTION_TYPES = frozenset({"arrow_function", "function_expression", "function", "function_declaration",
                            "method_definition", "generator_function", "generator_function_declaration"})
_BLOCK_PARENTS = frozenset({"program", "statement_block", "switch_case", "switch_default"})


def enclosing(node: Node, *types: str) -> Node | None:
    """The nearest proper ancestor of one of `types`."""
    parent = node.parent
    while parent is not None and parent.type not in types:
        parent = parent.parent
    return parent


def enclosing_function(node: Node) -> Node | None:
    return enclosing(node, *FUNCTION_TYPES)


def enclosing_statement(node: Node) -> Node:
    """The statement (a child of the program, a block or a case) that contains `node`."""
    while node.parent is not None and node.parent.type not in _BLOCK_PARENTS:
        node = node.parent
    return node


def outer_parens(node: Node) -> Node:
    """`node`, or the outermost parenthesized expression that wraps only it."""
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def inner_parens(node: Node) -> Node:
    """The expression inside any number of parentheses."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def list_items(parent: Node) -> list[Node]:
    """The elements of a comma-separated list node (array, arguments, object, named
    imports, object pattern, declaration), comments left out."""
    return [child for child in parent.named_children if child.type != "comment"]


def identifier_references(root: Node, name: str) -> list[Node]:
    """Every identifier in `root` spelled `name`, shorthand properties (`{ name }`) and
    type positions (`let t: Name`) included; the caller leaves out the declaring one.
    Scopes are not resolved, so a shadowing local counts as a use (which only makes
    callers more careful)."""
    wanted = name.encode()
    return [node for node in descendants(root, "identifier", "shorthand_property_identifier", "type_identifier")
            if node.text == wanted]


# --- removing code cleanly ------------------------------------------------------------
#
# Spans that delete a list element or a statement together with what belongs to it:
# its comma, the comment lines directly above it, a comment after it on its last line,
# its whole lines when it owns them, and one of the blank lines around it when
# removing it would leave two in a row. Offsets are bytes; a span ends after the line
# break, so LF and CRLF files both stay whole.


def line_start(data: bytes, offset: int) -> int:
    """Where the line holding `offset` starts."""
    return data.rfind(b"\n", 0, offset) + 1


def next_line_start(data: bytes, offset: int) -> int:
    """Where the line after the one holding `offset` starts (the end of the data, on the last)."""
    newline = data.find(b"\n", offset)
    return len(data) if newline == -1 else newline + 1



def _starts_line(data: bytes, offset: int) -> bool:
    return data[line_start(data, offset) : offset].strip(b" \t") == b""


def _ends_line(data: bytes, offset: int) -> bool:
    """Only blanks or one comment follow `offset` on its line."""
    rest = data[offset : next_line_start(data, offset)].strip()
    return rest == b"" or rest.startswith(b"//") or (rest.startswith(b"/*") and rest.endswith(b"*/") and b"*/" not in rest[2:-2])


def _blank_line_at(data: bytes, offset: int) -> bool:
    return offset < len(data) and data[offset : next_line_start(data, offset)].strip() == b""


def _attached_comments_start(data: bytes, node: Node, floor: int) -> int:
    """Where the comment lines directly above `node` (no blank line between) begin."""
    start = node.start_byte
    sibling = node.prev_sibling
    while sibling is not None and sibling.type == "comment" and sibling.start_byte >= floor:
        gap = data[sibling.end_byte : line_start(data, start)]
        if gap.strip() != b"" or gap.count(b"\n") != 1 or not _starts_line(data, sibling.start_byte):
            break
        start = sibling.start_byte
        sibling = sibling.prev_sibling
    return start


def comma_after(node: Node) -> Node | None:
    sibling = node.next_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_sibling
    return sibling if sibling is not None and sibling.type == "," else None


def list_removal_spans(data: bytes, parent: Node, removed: list[Node]) -> list[tuple[int, int]]:
    """Spans deleting `removed` elements of the list `parent` with their commas, keeping
    the list's own style: one element per line loses its lines (and the comments on and
    directly above them); inline elements lose their `, `; a list without a trailing
    comma gets none. At least one element must stay (the caller decides what an emptied
    list becomes)."""
    items = list_items(parent)
    gone = {node.id for node in removed}
    assert any(item.id not in gone for item in items), "list_removal_spans: every element removed"
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(items):
        if items[index].id not in gone:
            index += 1
            continue
        first = index
        while index + 1 < len(items) and items[index + 1].id in gone:
            index += 1
        spans.extend(_run_span(data, parent, items, first, index))
        index += 1
    return spans


def _run_span(data: bytes, parent: Node, items: list[Node], i: int, j: int) -> list[tuple[int, int]]:
    first, last = items[i], items[j]
    comma = comma_after(last)
    end = comma.end_byte if comma is not None else last.end_byte
    is_tail = j == len(items) - 1
    previous_comma = comma_after(items[i - 1]) if i > 0 else None
    if _starts_line(data, first.start_byte) and _ends_line(data, end):
        floor = items[i - 1].end_byte if i > 0 else parent.start_byte
        start = line_start(data, _attached_comments_start(data, first, floor))
        spans = [(start, next_line_start(data, end))]
        if is_tail and comma is None and previous_comma is not None:
            spans.insert(0, (previous_comma.start_byte, previous_comma.end_byte))  # the list had no trailing comma
        return spans
    if not is_tail:
        return [(first.start_byte, items[j + 1].start_byte)]
    start = previous_comma.start_byte if previous_comma is not None else items[i - 1].end_byte
    return [(start, last.end_byte)]


def statement_removal_span(data: bytes, node: Node) -> tuple[int, int]:
    """The span deleting statement `node`: its whole lines when it owns them (with the
    comment lines directly above it and a comment after it), plus one blank line when it
    stood between two blank lines (or a blank line and the start/end of its block)."""
    start, end = node.start_byte, node.end_byte
    if not (_starts_line(data, start) and _ends_line(data, end)):
        while end < len(data) and data[end : end + 1] in (b" ", b"\t"):
            end += 1
        return start, end
    previous = node.prev_named_sibling
    while previous is not None and previous.type == "comment":
        previous = previous.prev_named_sibling
    floor = previous.end_byte if previous is not None else (node.parent.start_byte if node.parent else 0)
    start = line_start(data, _attached_comments_start(data, node, floor))
    end = next_line_start(data, end)
    above = line_start(data, start - 1) if start > 0 else None
    blank_above = above is None or data[above:start].strip() == b"" or data[above:start].rstrip().endswith(b"{")
    if _blank_line_at(data, end) and blank_above:
        end = next_line_start(data, end)
    elif above is not None and data[above:start].strip() == b"" and (
        end >= len(data) or data[end : next_line_start(data, end)].lstrip().startswith(b"}")
    ):
        start = above
    return start, end


def removable_statement(node: Node) -> Node:
    """The statement to delete so that `node` goes: `node` itself, or the `if` (without an
    `else`) whose only statement it is — `if (isProd) { logger.add(file); }` goes whole."""
    while True:
        parent = node.parent
        if parent is not None and parent.type == "statement_block" and len(list_items(parent)) == 1:
            holder = parent.parent
            if holder is not None and holder.type == "if_statement" and \
                    holder.child_by_field_name("consequence") == parent and holder.child_by_field_name("alternative") is None:
                node = holder
                continue
        if parent is not None and parent.type == "if_statement" and parent.child_by_field_name("consequence") == node \
                and parent.child_by_field_name("alternative") is None:
            node = parent
            continue
        return node


@dataclass(frozen=True)
class Binding:
    """A top-level name: an import, a `require`, or a `const/let/var` declarator."""

    name: str
    node: Node  # the declaring identifier
    element: Node  # what goes when the binding goes: specifier, declarator, pattern element
    holder: Node  # the statement that holds it
    exported: bool = False


def top_level_bindings(root: Node) -> list[Binding]:
    found: list[Binding] = []
    for statement in root.named_children:
        exported = statement.type == "export_statement"
        declaration = statement.child_by_field_name("declaration") if exported else statement
        if declaration is None:
            continue
        if declaration.type == "import_statement":
            found.extend(_import_bindings(declaration))
        elif declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in list_items(declaration):
                name = declarator.child_by_field_name("name")
                if name is None:
                    continue
                if name.type == "identifier":
                    found.append(Binding((name.text or b"").decode(), name, declarator, statement, exported))
                elif name.type == "object_pattern":
                    for element in list_items(name):
                        local = element if element.type == "shorthand_property_identifier_pattern" else element.child_by_field_name("value")
                        if local is not None and local.type in ("identifier", "shorthand_property_identifier_pattern"):
                            found.append(Binding((local.text or b"").decode(), local, element, statement, exported))
        elif declaration.type in ("function_declaration", "class_declaration"):
            name = declaration.child_by_field_name("name")
            if name is not None:
                found.append(Binding((name.text or b"").decode(), name, declaration, statement, exported))
    return found


def _import_bindings(statement: Node) -> Iterator[Binding]:
    clause = next((child for child in statement.named_children if child.type == "import_clause"), None)
    if clause is None:
        return
    for part in clause.named_children:
        if part.type == "identifier":
            yield Binding((part.text or b"").decode(), part, part, statement)
        elif part.type == "namespace_import":
            name = next((c for c in part.named_children if c.type == "identifier"), None)
            if name is not None:
                yield Binding((name.text or b"").decode(), name, part, statement)
        elif part.type == "named_imports":
            for spec in list_items(part):
                names = [c for c in spec.named_children if c.type == "identifier"]
                if names:
                    yield Binding((names[-1].text or b"").decode(), names[-1], spec, statement)


def binding_references(root: Node, binding: Binding) -> list[Node]:
    return [node for node in identifier_references(root, binding.name) if node.id != binding.node.id]


def binding_removal_spans(data: bytes, bindings: list[Binding]) -> list[tuple[int, int]]:
    """Spans deleting these bindings: a statement whose every binding goes is deleted
    whole; otherwise only the specifiers/declarators/pattern elements, commas included
    (`import winston, { format }` losing `winston` keeps `import { format }`)."""
    spans: list[tuple[int, int]] = []
    by_holder: dict[int, list[Binding]] = {}
    for binding in bindings:
        by_holder.setdefault(binding.holder.id, []).append(binding)
    for group in by_holder.values():
        holder = group[0].holder
        everyone = [b for b in _bindings_of(holder)]
        if {b.element.id for b in everyone} <= {b.element.id for b in group}:
            spans.append(statement_removal_span(data, holder))
            continue
        by_list: dict[int, list[Node]] = {}
        lists: dict[int, Node] = {}
        for binding in group:
            parent = binding.element.parent
            assert parent is not None
            if parent.type == "import_clause":  # the default import beside named imports
                spans.append(_import_clause_part_span(parent, binding.element))
                continue
            by_list.setdefault(parent.id, []).append(binding.element)
            lists[parent.id] = parent
        for key, elements in by_list.items():
            parent = lists[key]
            if len(elements) == len(list_items(parent)):
                holder_part = parent.parent  # `{ a }` of `import x, { a }` / `const { a } = …, b`
                if holder_part is not None and holder_part.type == "import_clause":
                    spans.append(_import_clause_part_span(holder_part, parent))
                elif holder_part is not None and holder_part.type == "variable_declarator" and holder_part.parent is not None:
                    spans.extend(list_removal_spans(data, holder_part.parent, [holder_part]))
                continue
            spans.extend(list_removal_spans(data, parent, elements))
    return spans


def _bindings_of(holder: Node) -> list[Binding]:
    root = holder
    while root.parent is not None:
        root = root.parent
    return [b for b in top_level_bindings(root) if b.holder.id == holder.id]


def _import_clause_part_span(clause: Node, part: Node) -> tuple[int, int]:
    parts = clause.named_children
    index = next(i for i, p in enumerate(parts) if p.id == part.id)
    if index == 0 and len(parts) > 1:
        return part.start_byte, parts[1].start_byte
    return parts[index - 1].end_byte, part.end_byte


# --- scopes, imports, environment reads, insertion points ------------------------------

_WRAPPERS = frozenset({"await_expression", "parenthesized_expression", "as_expression",
                       "non_null_expression", "satisfies_expression"})


def unwrap(node: Node | None) -> Node | None:
    """The expression under `await`, parentheses, `as T`, `x!` and `satisfies T`."""
    while node is not None and node.type in _WRAPPERS:
        inner = [child for child in node.named_children if child.type != "comment"]
        node = inner[0] if inner else None
    return node


_CASTS = frozenset({"parenthesized_expression", "as_expression", "non_null_expression", "satisfies_expression",
                    "type_assertion"})


def uncast(node: Node | None) -> Node | None:
    """The expression under parentheses and TypeScript's casts: `x as T`, `<T>x`, `x!`, `x satisfies T`."""
    while node is not None and node.type in _CASTS:
        inner = [child for child in node.named_children if child.type not in ("comment", "type_arguments")]
        node = inner[0] if inner else None
    return node


def path_text(node: Node | None) -> str:
    """A name or a member chain as written without the casts around any of its links
    (`(winston.transports as any).File`, `(<any>winston.transports).File` -> `winston.transports.File`);
    anything else: its text."""
    node = uncast(node)
    if node is not None and node.type == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        if obj is not None and prop is not None and prop.type == "property_identifier":
            return f"{path_text(obj)}.{node_text(prop)}"
    return node_text(node)


@dataclass(frozen=True)
class Imported:
    module: str
    name: str  # "default", "*" (a namespace import) or the exported name; a whole `require('m')` is "default"


def import_table(root: Node) -> dict[str, Imported]:
    """Local name -> what it imports, for top-level ESM imports and `require`s
    (`const x = require('m')`, `const { a: b } = require('m')`, `const y = require('m').y`)."""
    table: dict[str, Imported] = {}
    for statement in root.named_children:
        if statement.type == "import_statement":
            module = string_value(statement.child_by_field_name("source"))
            for binding in _import_bindings(statement):
                if module is None:
                    continue
                element = binding.element
                if element.type == "namespace_import":
                    table[binding.name] = Imported(module, "*")
                elif element.type == "import_specifier":
                    table[binding.name] = Imported(module, (element.named_children[0].text or b"").decode())
                else:
                    table[binding.name] = Imported(module, "default")
        elif statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in list_items(statement):
                _required_names(declarator, table)
    return table


def _required_names(declarator: Node, table: dict[str, Imported]) -> None:
    name, value = declarator.child_by_field_name("name"), unwrap(declarator.child_by_field_name("value"))
    member = None
    if value is not None and value.type == "member_expression":
        member = (value.child_by_field_name("property").text or b"").decode()
        value = value.child_by_field_name("object")
    module = required_module(value)
    if module is None or name is None:
        return
    if name.type == "identifier":
        table[(name.text or b"").decode()] = Imported(module, member or "default")
    elif name.type == "object_pattern" and member is None:
        for element in list_items(name):
            if element.type == "shorthand_property_identifier_pattern":
                table[(element.text or b"").decode()] = Imported(module, (element.text or b"").decode())
            elif element.type == "pair_pattern":
                key, local = element.child_by_field_name("key"), element.child_by_field_name("value")
                if key is not None and local is not None and local.type == "identifier":
                    table[(local.text or b"").decode()] = Imported(module, (key.text or b"").decode())


def required_module(node: Node | None) -> str | None:
    """`require('m')` -> 'm'."""
    node = unwrap(node)
    if node is None or node.type != "call_expression":
        return None
    callee, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if callee is None or callee.text != b"require" or arguments is None or not list_items(arguments):
        return None
    return string_value(list_items(arguments)[0])


def declarator_in_scope(name: str, at: Node) -> Node | None:
    """The `variable_declarator` declaring `name` as seen from `at`: the blocks around `at`
    are searched outwards to the program (a declaration anywhere in a block counts)."""
    wanted = name.encode()
    scope = at.parent
    while scope is not None:
        if scope.type in ("program", "statement_block"):
            for statement in scope.named_children:
                declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
                if declaration is None or declaration.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                for declarator in list_items(declaration):
                    declared = declarator.child_by_field_name("name")
                    if declared is not None and declared.type == "identifier" and declared.text == wanted:
                        return declarator
        scope = scope.parent
    return None


def free_name(root: Node, candidates: tuple[str, ...]) -> str:
    """The first candidate no identifier in the file is spelled as (else the first, numbered)."""
    used = {node.text for node in descendants(root, "identifier", "shorthand_property_identifier",
                                               "shorthand_property_identifier_pattern", "type_identifier")}
    for candidate in candidates:
        if candidate.encode() not in used:
            return candidate
    number = 2
    while f"{candidates[0]}{number}".encode() in used:
        number += 1
    return f"{candidates[0]}{number}"


def env_name(node: Node | None) -> str | None:
    """`process.env.NAME`, `process.env?.NAME` or `process.env['NAME']` -> 'NAME'."""
    node = unwrap(node)
    if node is None or node.type not in ("member_expression", "subscript_expression"):
        return None
    holder = unwrap(node.child_by_field_name("object"))
    if holder is None or holder.type != "member_expression":
        return None
    root, env = holder.child_by_field_name("object"), holder.child_by_field_name("property")
    if root is None or root.text != b"process" or env is None or env.text != b"env":
        return None
    if node.type == "subscript_expression":
        return string_value(node.child_by_field_name("index"))
    prop = node.child_by_field_name("property")
    return (prop.text or b"").decode() if prop is not None and prop.type == "property_identifier" else None


_STRUCTURE = re.compile(rb"""['"`(\[{)\]},:]""")
_STRING_REST = {quote: re.compile(rb"(?:[^%c\\]|\\.)*%c" % (quote, quote), re.S) for quote in b"'\"`"}
_OPENERS = frozenset(b"([{")


def structure_tokens(data: bytes, start: int, limit: int = 4000) -> Iterator[tuple[int, int, int]]:
    """The brackets, commas and colons of the code from `start` (just inside an opening bracket)
    to the bracket that closes it, from the bytes (no parse), strings and template literals
    skipped whole: (offset, byte, depth), depth 0 being the level of the bracket's own items (an
    opening bracket at the depth it stands at, a closing one at the depth it returns to); the
    closing bracket comes last, at depth -1. It stops without it at an unterminated string or
    after `limit` bytes. What an argument list or an object literal is made of, cheaply: the
    shape of a logger call's arguments, an options object's keys."""
    depth, index, end = 0, start, min(len(data), start + limit)
    while True:
        token = _STRUCTURE.search(data, index, end)
        if token is None:
            return
        index = token.start()
        char = data[index]
        if char in _STRING_REST:
            rest = _STRING_REST[char].match(data, index + 1)
            if rest is None:
                return
            index = rest.end()
            continue
        if char in _OPENERS:
            yield index, char, depth
            depth += 1
        elif char in (ord(","), ord(":")):
            yield index, char, depth
        else:
            depth -= 1
            yield index, char, depth
            if depth < 0:
                return
        index += 1


def env_access_style(data: bytes) -> str | None:
    """How the code reads `process.env`: "brackets" when only as `process.env['X']` (what
    `noPropertyAccessFromIndexSignature` demands: a dot is TS4111), "dots" when it uses a
    dot, None when it does not read it. From the bytes (a fact gathered ahead must not
    parse); new code reading the environment follows it."""
    if b"process.env" not in data:
        return None
    brackets, dots = _ENV_BRACKETS.search(data) is not None, _ENV_DOT.search(data) is not None
    return None if not (brackets or dots) else "brackets" if brackets and not dots else "dots"


_ENV_BRACKETS = re.compile(rb"\bprocess\.env\s*\[")
_ENV_DOT = re.compile(rb"\bprocess\.env\s*\??\.\s*[A-Za-z_$]")


def env_bracket_projects(paths: Iterable[str], read: Callable[[str], bytes | None]) -> dict[str, tuple[str, ...]]:
    """Directory of each tsconfig.json among `paths` -> the kinds of file ("ts", "tsx", and
    "js" under `checkJs`) that must read `process.env['X']` there, because its compilerOptions
    set `noPropertyAccessFromIndexSignature` (a dot is TS4111), directly or through configs it
    `extends` (the nearest setting wins): by relative path, from a workspace package of the
    repository (`@acme/tsconfig/base.json`), or a published preset known to set it
    (`@tsconfig/strictest`). `read(path)`: a file's bytes, None when there is none. Reads
    tsconfig files (JSON with comments and trailing commas), and the package.json files
    only when a config extends a package."""
    paths = list(paths)
    projects = {}
    packages = _WorkspacePackages(paths, read)
    for path in paths:
        if posixpath.basename(path) == "tsconfig.json":
            options = tsconfig_options(path, read, packages=packages)
            kinds = ("ts", "tsx", "js") if options.get("checkJs") is True else ("ts", "tsx")
            projects[posixpath.dirname(path)] = kinds if options.get("noPropertyAccessFromIndexSignature") is True else ()
    return projects


def env_brackets_required(path: str, kind: str, projects: Mapping[str, tuple[str, ...]]) -> bool:
    """The nearest tsconfig.json above `path` (`env_bracket_projects`) wants `process.env['X']`."""
    directory = posixpath.dirname(path)
    while directory not in projects:
        if not directory:
            return False
        directory = posixpath.dirname(directory)
    return kind in projects[directory]


# Published presets (in node_modules, which fixer does not read) and what they set that matters here
KNOWN_TSCONFIG_PRESETS = {"@tsconfig/strictest": {"noPropertyAccessFromIndexSignature": True}}


class _WorkspacePackages:
    """The repository's packages by name (their package.json `name`): directory. Read on first use."""

    def __init__(self, paths: list[str], read: Callable[[str], bytes | None]):
        self.paths, self.read, self._found = paths, read, None

    def directory(self, name: str) -> str | None:
        if self._found is None:
            self._found = {}
            for path in self.paths:
                if posixpath.basename(path) == "package.json":
                    data = self.read(path)
                    package = jsonc_loads(data) if data is not None else None
                    if isinstance(package, dict) and isinstance(package.get("name"), str):
                        self._found.setdefault(package["name"], posixpath.dirname(path))
        return self._found.get(name)


def tsconfig_options(path: str, read: Callable[[str], bytes | None], chain: tuple[str, ...] = (),
                      packages: _WorkspacePackages | None = None) -> dict[str, Any]:
    """A tsconfig's compilerOptions over those of the configs it extends: by relative path, or
    (`packages`) a workspace package's config or a known published preset."""
    data = read(path) if path not in chain else None  # a cycle: tsc refuses it, nothing to learn
    config = jsonc_loads(data) if data is not None else None
    if not isinstance(config, dict):
        return {}
    options: dict[str, Any] = {}
    bases = config.get("extends")
    for base in [bases] if isinstance(bases, str) else bases if isinstance(bases, list) else []:
        if not isinstance(base, str):
            continue
        if base.startswith(("./", "../")):
            target: str | None = posixpath.normpath(posixpath.join(posixpath.dirname(path), base))
        else:
            name = "/".join(base.split("/")[: 2 if base.startswith("@") else 1])
            if name in KNOWN_TSCONFIG_PRESETS:
                options.update(KNOWN_TSCONFIG_PRESETS[name])
                continue
            directory = packages.directory(name) if packages is not None else None
            if directory is None:
                continue  # a package the repository does not hold: not followed
            target = posixpath.join(directory, base[len(name):].lstrip("/") or "tsconfig.json")
        if read(target) is None and not target.endswith(".json"):
            target += ".json"  # `"extends": "./tsconfig.base"`, as tsc resolves it
        options.update(tsconfig_options(target, read, chain + (path,), packages))
    compiler = config.get("compilerOptions")
    options.update(compiler if isinstance(compiler, dict) else {})
    return options


def jsonc_loads(data: bytes) -> Any:
    """JSON with comments and trailing commas (tsconfig.json); None when it does not load."""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    text = _JSONC_COMMENT.sub(lambda m: m.group(0) if m.group(0).startswith('"') else " ", text)
    text = _JSONC_TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(0), text)
    try:
        return json.loads(text)
    except ValueError:
        return None


_JSONC_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
_JSONC_TRAILING_COMMA = re.compile(r'"(?:[^"\\\n]|\\.)*"|,(\s*[}\]])')


def after_statement(data: bytes, node: Node) -> int:
    """Where text goes after statement `node`: the end of its last line when only blanks or
    a comment follow it there (the comment stays with the statement), else its end."""
    if _ends_line(data, node.end_byte):
        end = next_line_start(data, node.end_byte)
        if end > node.end_byte and data[end - 1 : end] == b"\n":
            end -= 1
            if end > node.end_byte and data[end - 1 : end] == b"\r":
                end -= 1
        return end
    return node.end_byte


# --- globals: references that are not shadowed by a local binding ---------------------

_NAME_TYPES = frozenset({"identifier", "shorthand_property_identifier_pattern", "shorthand_property_identifier"})
_PARAMETER_PARENTS = frozenset({"required_parameter", "optional_parameter", "formal_parameters", "assignment_pattern",
                                "rest_pattern"})
_SCOPE_BLOCKS = frozenset({"statement_block", "program", "switch_case", "switch_default", "class_body",
                           "for_statement", "for_in_statement"})


def _spelled(root: Node, name: str) -> Iterator[Node]:
    """The smallest node at each place the bytes of `name` stand as a whole token, in
    document order: found with a byte search and a descent to that range, which costs far
    less than a query that tests every identifier of the file."""
    source, base = root.text or b"", root.start_byte
    needle = name.encode()
    offset = source.find(needle)
    while offset >= 0:
        start = base + offset
        node = root.descendant_for_byte_range(start, start + len(needle))
        if node is not None and node.start_byte == start and node.end_byte == start + len(needle):
            yield node
        offset = source.find(needle, offset + 1)


_CLASS_TYPES = frozenset({"class", "class_declaration", "abstract_class_declaration"})


def _names(root: Node, name: str) -> list[Node]:
    """Identifiers spelled `name` (shorthand properties and patterns included, and a class's
    name: a value too)."""
    return [node for node in _spelled(root, name) if node.type in _NAME_TYPES or (
        node.type == "type_identifier" and node.parent is not None and node.parent.type in _CLASS_TYPES
        and node.parent.child_by_field_name("name") == node)]


def global_references(kind: str, root: Node, name: str, global_objects: frozenset[bytes] = frozenset()) -> list[Node]:
    """References to the global `name` in document order: identifiers spelled `name` that are
    not declarations and not inside the scope of a local binding of `name` (a parameter, a
    variable, an import, a catch binding), plus `globalThis.name`-style members when
    `global_objects` names the objects (`globalThis`, `global`, …)."""
    found = _names(root, name)
    scopes = [scope for node in found if (scope := _declaration_scope(node)) is not None]
    references = [node for node in found if node.type != "shorthand_property_identifier_pattern"
                  and _declaration_scope(node) is None
                  and not any(s.start_byte <= node.start_byte < s.end_byte for s in scopes)]
    source = root.text or b""
    if any(obj in source for obj in global_objects):
        for prop in _spelled(root, name):
            member = prop.parent
            if prop.type != "property_identifier" or member is None or member.type != "member_expression":
                continue
            obj = member.child_by_field_name("object")
            if member.child_by_field_name("property") == prop and obj is not None and obj.type == "identifier" \
                    and obj.text in global_objects:
                references.append(member)
        references.sort(key=lambda n: n.start_byte)
    return references


def parameter_named(function: Node, name: str) -> Node | None:
    """The parameter of a function that binds `name` as a plain identifier: an arrow function's bare
    parameter (`resolve => …`), or a `required_parameter`/`optional_parameter` whose pattern is the name
    (`(resolve: () => void)`); None when none does (a destructured one binds it some other way)."""
    single = function.child_by_field_name("parameter")
    if single is not None:
        return single if node_text(single) == name else None
    parameters = function.child_by_field_name("parameters")
    for parameter in list_items(parameters) if parameters is not None else []:
        pattern = parameter.child_by_field_name("pattern") or parameter
        if pattern.type == "identifier" and node_text(pattern) == name:
            return parameter
    return None


def declares(root: Node, name: str) -> bool:
    """Whether anything in the tree binds `name`: a declaration, import, parameter, pattern,
    loop variable, catch binding, or a function, class or enum name."""
    return any(_declaration_scope(node) is not None for node in _names(root, name))


def local_binding_scopes(kind: str, root: Node, name: str) -> list[Node]:
    """The scopes in which `name` is bound by something other than a top-level declaration
    (a parameter, a block's variable, a catch binding): there it is not the module's `name`."""
    return [scope for node in _names(root, name) if (scope := _declaration_scope(node)) is not None
            and scope.type != "program"]


def _declaration_scope(node: Node) -> Node | None:
    """The scope a binding occurrence of an identifier declares it in; None for a reference."""
    parent = node.parent
    if parent is None:
        return None
    field = _field_of(parent, node)
    declares = (
        node.type == "shorthand_property_identifier_pattern"
        or (parent.type == "variable_declarator" and field == "name")
        or (parent.type in ("required_parameter", "optional_parameter") and field == "pattern")
        or parent.type in ("formal_parameters", "rest_pattern", "array_pattern", "import_specifier", "import_clause",
                           "namespace_import")
        or (parent.type == "assignment_pattern" and field == "left")
        or (parent.type == "pair_pattern" and field == "value")
        or (parent.type == "arrow_function" and field == "parameter")
        or (parent.type == "catch_clause" and field == "parameter")
        or (parent.type in ("function_declaration", "class_declaration", "abstract_class_declaration",
                            "generator_function_declaration", "enum_declaration") and field == "name")
        or (parent.type == "for_in_statement" and field == "left" and parent.child_by_field_name("kind") is not None)
        or (parent.type in ("function_expression", "function", "generator_function", "class") and field == "name")
    )
    if not declares:
        return None
    if parent.type in ("catch_clause", "arrow_function", "for_in_statement", "function_expression", "function",
                       "generator_function", "class"):
        return parent  # (a function or class expression's name is bound inside it only)
    ancestor = parent
    is_var = False
    while ancestor is not None:
        if ancestor.type == "formal_parameters":
            return ancestor.parent
        if ancestor.type == "catch_clause":  # `catch ({ code })`: a pattern binds in the clause only
            return ancestor
        if ancestor.type == "variable_declaration":
            is_var = True
        if is_var and (ancestor.type in FUNCTION_TYPES or ancestor.type == "program"):
            return ancestor
        if not is_var and ancestor.type in _SCOPE_BLOCKS and ancestor is not parent:
            return ancestor
        ancestor = ancestor.parent
    return None


def _field_of(parent: Node, child: Node) -> str | None:
    for index, candidate in enumerate(parent.children):
        if candidate.id == child.id:
            return parent.field_name_for_child(index)
    return None


def imported_modules(kind: str, root: Node) -> list[str]:
    """The module specifiers a file imports, re-exports or requires (string literals only)."""
    query = """
    (import_statement source: (string) @module)
    (export_statement source: (string) @module)
    (call_expression function: [(identifier) (import)] @callee arguments: (arguments . (string) @module))
    """
    modules = []
    for node in sorted(captures(kind, query, root).get("module", []), key=lambda n: n.start_byte):
        call = node.parent.parent if node.parent is not None and node.parent.type == "arguments" else None
        if call is not None:
            callee = call.child_by_field_name("function")
            if callee is None or callee.text not in (b"require", b"import"):
                continue
        value = string_value(node)
        if value is not None:
            modules.append(value)
    return modules


def leading_comments_start(data: bytes, node: Node) -> int:
    """Where the comment lines directly above `node` (no blank line between) begin, else
    its start: text inserted before a statement goes there, so comments stay with it."""
    return _attached_comments_start(data, node, 0)


# --- signal handlers ---------------------------------------------------------------------

# process.on(signal, handler)
_REGISTERS = frozenset({"on", "once", "addListener", "prependListener", "prependOnceListener"})
# what returns the emitter itself, so that a chain goes on registering on `process`
_CHAINS = _REGISTERS | {"off", "removeListener", "removeAllListeners", "setMaxListeners"}


def signal_registrations(calls: Iterable[MemberCall]) -> Iterator[tuple[str, MemberCall]]:
    """(signal, call) for each `process.on('SIGTERM', handler)` among `calls` (`once`,
    `addListener`, `prependListener`, `prependOnceListener` too; on `globalThis.process`, or on
    a chain of such calls, which return `process`: `process.removeAllListeners('SIGTERM')
    .on('SIGTERM', shutdown)`), the signal named directly or by the variable of a
    loop over signal names (`for (const s of ['SIGTERM', 'SIGINT'])`, `[…].forEach((s) => …)`)
    or the parameter of a helper the file calls with the names (`function onSignal(s) {
    process.on(s, …) }; onSignal('SIGTERM')`): once per signal a call registers. A signal named
    anywhere else handles nothing (`child.kill('SIGTERM')`, `{ killSignal: 'SIGTERM' }`,
    `if (signal === 'SIGTERM')`)."""
    for call in calls:
        if call.method not in _REGISTERS or not is_process_object(call.object) or len(call.args) < 2:
            continue
        signal = call.args[0]
        named = (loop_values(signal) or parameter_values(signal)) if signal.type == "identifier" \
            else [string_value(signal)]
        for name in dict.fromkeys(n for n in named if n is not None):
            yield name, call


def is_process_object(node: Node | None) -> bool:
    """Whether `node` is Node's `process`: the global (`process`, `globalThis.process`, `global.process`,
    `require('process')`) or what a chain of listener calls on it returns (`process.on(…)`,
    `process.removeAllListeners(…)`: the emitter itself)."""
    node = unwrap(node)
    while node is not None and node.type == "call_expression":
        call = member_call(node)
        if call is None:
            return required_module(node) in ("process", "node:process")
        if call.method not in _CHAINS:
            return False
        node = unwrap(call.object)
    if node is not None and node.type == "member_expression":
        base = node.child_by_field_name("object")
        return base is not None and base.text in (b"globalThis", b"global") and \
            getattr(node.child_by_field_name("property"), "text", None) == b"process"
    return node is not None and node.text == b"process"


def loop_values(variable: Node) -> list[str]:
    """The strings a loop variable takes: `for (const v of [...])` or `[...].forEach((v) => …)`
    around it (the array written there, or a const naming one)."""
    name = variable.text
    node = variable.parent
    while node is not None:
        items = None
        if node.type == "for_in_statement" and getattr(node.child_by_field_name("left"), "text", None) == name:
            items = node.child_by_field_name("right")
        elif node.type in ("arrow_function", "function_expression") and name in _parameter_names(node):
            call = node.parent.parent if node.parent is not None and node.parent.type == "arguments" else None
            loop = member_call(call) if call is not None else None
            items = loop.object if loop is not None and loop.method == "forEach" else None
        if items is not None:
            return _array_strings(items)
        node = node.parent
    return []


def parameter_values(variable: Node) -> list[str]:
    """The strings a function's parameter takes where the file calls the function by name
    (`function onSignal(signal) { … }` and `onSignal('SIGTERM')`; also `const onSignal = (signal)
    => …`). The nearest function that binds the name decides; other arguments give nothing."""
    name = variable.text
    function = enclosing_function(variable)
    while function is not None and name not in _parameter_names(function):
        function = enclosing_function(function)
    if function is None:
        return []
    index = _parameter_names(function).index(name)
    holder = function.parent
    label = function.child_by_field_name("name")
    if label is None and holder is not None and holder.type == "variable_declarator":
        label = holder.child_by_field_name("name")
    if label is None or label.type != "identifier":
        return []
    root = function
    while root.parent is not None:
        root = root.parent
    values = []
    for call in descendants(root, "call_expression"):
        callee, arguments = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if callee is None or callee.type != "identifier" or callee.text != label.text or arguments is None:
            continue
        items = [a for a in arguments.named_children if a.type != "comment"]
        value = string_value(items[index]) if index < len(items) else None
        if value is not None:
            values.append(value)
    return values


def _parameter_names(function: Node) -> list[bytes]:
    single = function.child_by_field_name("parameter")
    if single is not None:
        return [single.text]
    parameters = function.child_by_field_name("parameters")
    return [p.child_by_field_name("pattern").text for p in (parameters.named_children if parameters else [])
            if p.child_by_field_name("pattern") is not None]


def _array_strings(node: Node) -> list[str]:
    while node.type in ("as_expression", "satisfies_expression", "parenthesized_expression") and node.named_children:
        node = node.named_children[0]
    if node.type == "identifier":
        declarator = declarator_in_scope(node.text.decode("utf-8", "replace"), node)
        value = declarator.child_by_field_name("value") if declarator is not None else None
        return _array_strings(value) if value is not None and value.type != "identifier" else []
    if node.type != "array":
        return []
    return [value for item in node.named_children if (value := string_value(item)) is not None]


@dataclass(frozen=True)
class NestHandler:
    """A NestJS handler decorator (`@Post('orders')`) in a `@Controller('api')` class."""

    decorator: Node  # the `@Post(…)` decorator
    method: bytes  # its name, one of the `methods` asked for (b"Post")
    arguments: Node  # the handler decorator's arguments: `('orders')`
    controller: Node  # the class's `@Controller(…)` arguments: `('api')`


def nest_handlers(root: Node, methods: Iterable[bytes]) -> Iterator[NestHandler]:
    """Every `@Method(…)` decorator of a class member, for the names in `methods`, whose
    class (or the export around it) carries `@Controller(…)`: the first one found."""
    wanted = frozenset(methods)
    for decorator in descendants(root, "decorator"):
        method, arguments = _decorator_call(decorator)
        body = decorator.parent
        if method not in wanted or arguments is None or body is None or body.type != "class_body" \
                or body.parent is None:
            continue
        holders = [body.parent] + ([body.parent.parent] if body.parent.parent is not None else [])
        controller = next((args for holder in holders for d in holder.children if d.type == "decorator"
                           for name, args in [_decorator_call(d)] if name == b"Controller" and args is not None), None)
        if controller is not None:
            yield NestHandler(decorator, method, arguments, controller)


def _decorator_call(decorator: Node) -> tuple[bytes | None, Node | None]:
    """`@Name(…)`: the name and the arguments node."""
    call = decorator.named_children[0] if decorator.named_children else None
    function = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    return (function.text, call.child_by_field_name("arguments")) if function is not None else (None, None)
