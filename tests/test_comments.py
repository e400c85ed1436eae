"""`fixer.parsing.comments`: comment ranges from the bytes alone equal tree-sitter's comment
nodes whenever the scanner answers, and it declines where the grammar decides."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fixer.parsing import typescript
from fixer.parsing.comments import comment_ranges
from fixer.repo import CODE_KINDS, classify


def _parsed(data: bytes, kind: str = "ts") -> tuple[bool, list[tuple[int, int]]]:
    tree = typescript.parse(data, kind)
    nodes = typescript.captures(kind, "(comment) @c", tree.root_node).get("c", [])
    return tree.root_node.has_error, sorted((n.start_byte, n.end_byte) for n in nodes)


def test_every_fixture_file_gets_the_parsers_comments() -> None:
    root = Path(__file__).parent.parent / "fixtures"
    answered = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or classify(path.name) not in CODE_KINDS:
            continue
        data = path.read_bytes()
        got = comment_ranges(data)
        if got is not None:
            answered += 1
            assert got == _parsed(data, classify(path.name))[1], path
    assert answered > 300


@pytest.mark.parametrize("source, expected", [
    (b"const u = 'http://x/y'; // c\r\nlet a = 1; /* b */\n", [(24, 28), (41, 48)]),
    (b"#!/usr/bin/env node\n// first\nmain();\n", [(20, 28)]),
    (b"const r = /\\/\\/not/; const s = /[/*]x/g; const t = a / b / c; // end\n", [(62, 68)]),
    (b"const t = `a // ${f({ k: '}' /* in */ })} b /* no */ ${`${x}`}`;\n", [(29, 37)]),
    (b"return /a'b/.test(x) /* c */\n", [(21, 28)]),
    (b"x = y.return / 2 // d\n", [(17, 21)]),
    (b"const s = 'a\\\nb // still a string';\n", []),
    (b"const a = 1; // c\rconst b = 2; // d\n", [(13, 17), (31, 35)]),  # a lone CR ends a line comment
    (b"// x\xe2\x80\xa8y = 1;\n", [(0, 4)]),  # so does U+2028
])
def test_certain_cases(source: bytes, expected: list[tuple[int, int]]) -> None:
    assert comment_ranges(source) == expected == _parsed(source)[1]


@pytest.mark.parametrize("source", [
    b"if (ok) /re/.test(s); // which?\n",  # `)` then `/`: division or a regex, as the grammar says
    b"a++ / 2;\n",
    b"const x = {} / 2;\n",
    b"const r = /a/ / 2;\n",
    b"const el = <div>it's // text</div>;\n",  # JSX text is no code
    b"const s = 'unterminated\n",
    b"x = 1; <!-- html comment\n",
    b"const t = `open ${a\n",
])
def test_doubtful_cases_are_left_to_the_parser(source: bytes) -> None:
    assert comment_ranges(source) is None


def _generated(rng: random.Random) -> bytes:
    def atom(depth: int) -> str:
        choice = rng.random()
        if choice < 0.25:
            return rng.choice(["a", "$b", "_c", "ofx", "value", "x.return"])
        if choice < 0.35:
            return str(rng.randint(0, 99))
        if choice < 0.5:
            quote = rng.choice("'\"")
            return quote + rng.choice(["", "//", "/*", "*/", "\\" + quote, "`", "${x}", "http://h/p"]) + quote
        if choice < 0.6:
            return rng.choice(["/ab+c/g", "/\\/\\//", "/[/]x/", "/a\\/b/i", "/[\\]/]/"])
        if choice < 0.75:
            inner = "".join(rng.choice(["t", "//", "/*", "'", "\\`", "{", "}", "a/b"]) if rng.random() < 0.6 or depth > 1
                            else "${" + expr(depth + 1) + "}" for _ in range(rng.randint(0, 3)))
            return "`" + inner + "`"
        if choice < 0.85 and depth < 3:
            return "(" + expr(depth + 1) + ")"
        if depth < 3:
            return "{ k: " + expr(depth + 1) + " }"
        return "[a]"

    def expr(depth: int = 0) -> str:
        out = atom(depth)
        for _ in range(rng.randint(0, 3)):
            gap = rng.choice(["", " ", " /* c ' */ "])
            out += gap + rng.choice([" / ", "/", " + ", " * ", " , ", " === ", " ? x : "]) + atom(depth)
        return out

    statements = [rng.choice([
        lambda: "// c ' \" `\n", lambda: "/** doc `x` // */", lambda: "return " + expr() + ";\n",
        lambda: "if (" + expr() + ") { " + expr() + "; }\n", lambda: "const v = " + expr() + "; // tail\n",
        lambda: "const w = " + expr() + ";\r\n",
    ])() for _ in range(rng.randint(1, 6))]
    return "".join(statements).encode()


def test_generated_code_gets_the_parsers_comments_whenever_answered() -> None:
    rng = random.Random(20261126)
    answered = 0
    for _ in range(2000):
        source = _generated(rng)
        has_error, expected = _parsed(source)
        got = comment_ranges(source)
        if has_error or got is None:
            continue
        answered += 1
        assert got == expected, source
    assert answered > 500
