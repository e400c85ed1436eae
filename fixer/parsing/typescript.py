"""TypeScript, TSX and JavaScript through tree-sitter (>= 0.25 API).

`.ts/.mts/.cts` use the TypeScript grammar; `.tsx` and every JavaScript flavour
use the TSX grammar (JS is a subset, and `.js` files often carry JSX).

The grammar rejects some valid TypeScript 5 syntax (`export type * from`), so
callers compare error counts before and after an edit instead of demanding none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

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


def parse(data: bytes, kind: str) -> Tree:
    return _parser(LANGUAGE_OF_KIND[kind]).parse(data)


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
    wanted = set(types)
    for child in walk(node):
        if child.type in wanted:
            yield child


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


def iter_member_calls(root: Node) -> Iterator[MemberCall]:
    for node in descendants(root, "call_expression"):
        call = member_call(node)
        if call:
            yield call


def object_property(obj: Node, key: str) -> Node | None:
    """The value node of `key` in an object literal (`{ key: value }`), if present."""
    if obj.type != "object":
        return None
    for pair in obj.named_children:
        if pair.type != "pair":
            continue
        name = pair.child_by_field_name("key")
        if name is None:
            continue
        text = string_value(name) if name.type == "string" else (name.text or b"").decode()
        if text == key:
            return pair.child_by_field_name("value")
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
