"""The floor under the console fix's speed targets, measured in the same run as the rest.

    python bench/plain_pass.py TREE            # list, read, parse the files holding `console`
    python bench/plain_pass.py TREE --rename   # ... and the least a console fix must do on top

What the console-to-logger issue calls "a plain tree-sitter pass in Python with a byte
prefilter over two processes": list the tree's TypeScript files (`git ls-files`), read
each, and parse the ones that hold `console` with the same grammar fixer uses, in a pool
of forked processes (one per core). Nothing else: no facts, no rewrite, no verification,
no diff, no cache. The issue expects it to take about a fifth of `ast-grep scan`; the
benchmark prints the ratio it does take, so the targets can be read against it.

`--rename` adds what any fix of the issue must do to the files it changes, and nothing it
must do beyond: rename `console.M(` to `logger.M'(` (ast-grep's rename rule, for all six
methods), add one fixed import line after the last top-level import, re-parse each changed
file incrementally (the no-new-parse-errors guarantee) and print a unified diff with three
lines of context, made from the edits' own lines (no line matching). No logger inference,
no meta objects, no skips, no service model, no idempotency check: the least a Python fix
over tree-sitter can take, against the target of < 1.0 of `ast-grep run`'s rename.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

from tree_sitter import Language, Parser, Query, QueryCursor
import tree_sitter_typescript

_root = ""
_rename = False
LEVELS = {b"log": b"info", b"info": b"info", b"warn": b"warn", b"error": b"error", b"debug": b"debug", b"trace": b"debug"}
IMPORT = b"import { logger } from '@bench/shared';\n"
CALLS = ('(call_expression function: (member_expression object: (identifier) @object property: (property_identifier) '
         '@method) (#eq? @object "console"))')


def _work(paths: list[str]) -> tuple[int, bytes]:
    languages = {False: Language(tree_sitter_typescript.language_typescript()),
                 True: Language(tree_sitter_typescript.language_tsx())}
    parsers = {tsx: Parser(language) for tsx, language in languages.items()}
    queries = {tsx: Query(language, CALLS) for tsx, language in languages.items()}
    parsed = 0
    out = []
    for path in paths:
        with open(os.path.join(_root, path), "rb") as handle:
            data = handle.read()
        if b"console" in data:
            tsx = path.endswith(".tsx")
            tree = parsers[tsx].parse(data)
            parsed += 1
            if _rename:
                out.append(_renamed(path, data, tree, parsers[tsx], queries[tsx]))
    return parsed, b"".join(out)


def _renamed(path: str, data: bytes, tree, parser: Parser, query: Query) -> bytes:
    methods = QueryCursor(query).captures(tree.root_node).get("method", [])
    edits = [(node.start_byte - len(b"console."), node.end_byte, b"logger." + LEVELS[node.text])
             for node in methods if node.text in LEVELS]
    if not edits:
        return b""
    after = max((child.end_byte for child in tree.root_node.children if child.type == "import_statement"), default=-1)
    at = data.find(b"\n", after) + 1 if after >= 0 else 0
    edits.append((at, at, IMPORT))
    edits.sort()
    new = bytearray(data)
    for start, end, text in reversed(edits):
        new[start:end] = text
        tree.edit(start_byte=start, old_end_byte=end, new_end_byte=start + len(text), start_point=_point(data, start),
                  old_end_point=_point(data, end), new_end_point=_point(text, len(text), _point(data, start)))
    if parser.parse(bytes(new), tree).root_node.has_error and not tree.root_node.has_error:
        return b""  # the rename made a parse error: not written
    return _diff(path, data, bytes(new), edits)


def _point(data: bytes, offset: int, base: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    rows = data.count(b"\n", 0, offset)
    column = offset - (data.rfind(b"\n", 0, offset) + 1)
    return (base[0] + rows, column) if rows else (base[0], base[1] + column)


def _diff(path: str, data: bytes, new: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Hunks with three lines of context, from the rows the edits touch (each edit stays on its
    line but the import, a whole new line)."""
    old_lines, new_lines = data.splitlines(True), new.splitlines(True)
    inserted = data.count(b"\n", 0, edits[0][0]) if edits[0][2] == IMPORT else None
    changed = sorted({data.count(b"\n", 0, start) for start, _end, text in edits if text != IMPORT}
                     | ({inserted} if inserted is not None else set()))
    out = [b"--- a/" + path.encode() + b"\n+++ b/" + path.encode() + b"\n"]
    groups: list[list[int]] = []
    for row in changed:
        if groups and row - groups[-1][-1] <= 6:
            groups[-1].append(row)
        else:
            groups.append([row])
    for rows in groups:
        first, last = max(0, rows[0] - 3), min(len(old_lines), rows[-1] + 4)
        shift = 1 if inserted is not None and inserted < first else 0
        body, added = [], 0
        for row in range(first, last):
            if row == inserted:
                body.append(b"+" + IMPORT)
                added = 1
            if row in rows and row != inserted:
                body += [b"-" + old_lines[row], b"+" + new_lines[row + shift + added]]
            else:
                body.append(b" " + old_lines[row])
        out.append(b"@@ -%d,%d +%d,%d @@\n" % (first + 1, last - first, first + 1 + shift, last - first + added))
        out += body
    return b"".join(out)


def main() -> None:
    global _root, _rename
    _root = sys.argv[1]
    _rename = "--rename" in sys.argv[2:]
    listed = subprocess.run(["git", "ls-files", "-z", "--", "*.ts", "*.tsx"], cwd=_root, capture_output=True,
                            check=True).stdout
    paths = [path.decode() for path in listed.split(b"\0") if path]
    chunks = [paths[start : start + 256] for start in range(0, len(paths), 256)]
    parsed = 0
    with multiprocessing.get_context("fork").Pool(len(os.sched_getaffinity(0))) as pool:
        for count, diff in pool.imap(_work, chunks):
            parsed += count
            sys.stdout.buffer.write(diff)
    print(f"{parsed} of {len(paths)} files parsed", file=sys.stderr)


if __name__ == "__main__":
    main()
