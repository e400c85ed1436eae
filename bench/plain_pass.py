"""The floor under the console fix's speed targets, measured in the same run as the rest.

    python bench/plain_pass.py TREE

What the console-to-logger issue calls "a plain tree-sitter pass in Python with a byte
prefilter over two processes": list the tree's TypeScript files (`git ls-files`), read
each, and parse the ones that hold `console` with the same grammar fixer uses, in a pool
of forked processes (one per core). Nothing else: no facts, no rewrite, no verification,
no diff, no cache. The issue expects it to take about a fifth of `ast-grep scan`; the
benchmark prints the ratio it does take, so the targets can be read against it.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

from tree_sitter import Language, Parser
import tree_sitter_typescript

_root = ""


def _parse(paths: list[str]) -> int:
    parsers = {False: Parser(Language(tree_sitter_typescript.language_typescript())),
               True: Parser(Language(tree_sitter_typescript.language_tsx()))}
    parsed = 0
    for path in paths:
        with open(os.path.join(_root, path), "rb") as handle:
            data = handle.read()
        if b"console" in data:
            parsers[path.endswith(".tsx")].parse(data)
            parsed += 1
    return parsed


def main() -> None:
    global _root
    _root = sys.argv[1]
    listed = subprocess.run(["git", "ls-files", "-z", "--", "*.ts", "*.tsx"], cwd=_root, capture_output=True,
                            check=True).stdout
    paths = [path.decode() for path in listed.split(b"\0") if path]
    chunks = [paths[start : start + 256] for start in range(0, len(paths), 256)]
    with multiprocessing.get_context("fork").Pool(len(os.sched_getaffinity(0))) as pool:
        parsed = sum(pool.imap_unordered(_parse, chunks))
    print(f"{parsed} of {len(paths)} files parsed")


if __name__ == "__main__":
    main()
