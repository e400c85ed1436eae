"""`fixer.repo.needles_in`: many needles tested on a file's distinct words give exactly the
needles its bytes contain."""

from __future__ import annotations

import random
from pathlib import Path

from fixer import checklist
from fixer.repo import needles_in, words_of
from transforms import registry
from transforms import secrets

_WHITESPACE = b" \t\n\r\x0b\x0c"


def _every_needle_we_test() -> set[bytes]:
    found = set(checklist._ALL_NEEDLES) | set(secrets._SECRET_WORDS) | set(secrets._TOKEN_PREFIXES)
    for module in registry().values():
        found |= set(module.INFO.prefilter)
        for spec in getattr(module, "FACTS", []) if not callable(getattr(module, "FACTS", None)) else []:
            found |= set(spec.prefilter)
    return found


def _check(data: bytes, needles: frozenset[bytes]) -> None:
    assert needles_in(data, words_of(data), needles) == {n for n in needles if n in data}, data[:200]
    lowered = {n.lower() for n in needles}
    assert needles_in(data.lower(), words_of(data).lower(), frozenset(lowered)) == \
        {n for n in lowered if n in data.lower()}


def test_every_fixture_file_gives_the_needles_its_bytes_hold() -> None:
    needles = frozenset(_every_needle_we_test())
    assert any(set(n) & set(_WHITESPACE) for n in needles)  # the spaced ones are covered too
    root = Path(__file__).parent.parent / "fixtures"
    files = [path for path in sorted(root.rglob("*")) if path.is_file()]
    assert len(files) > 300
    for path in files:
        _check(path.read_bytes(), needles)


def test_generated_bytes_and_needles() -> None:
    """Needles cut from the data itself (so many are present), with whitespace of every
    kind inside and around them, on data full of runs of whitespace."""
    rng = random.Random(20261127)
    alphabet = b"abA$(/.-_;\xc3" + _WHITESPACE
    for _ in range(2000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        needles = set()
        for _ in range(rng.randrange(1, 8)):
            if data and rng.random() < 0.7:
                start = rng.randrange(len(data))
                needles.add(data[start : start + rng.randrange(1, 6)])
            else:
                needles.add(bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 5))))
        _check(data, frozenset(needles))


def test_a_needle_never_spans_two_words() -> None:
    data = b"const a = b;\nlet c\t= d;"
    words = words_of(data)
    assert needles_in(data, words, frozenset({b"b;let", b"= d", b"a =", b"c\t=", b"=\nd", b"const"})) == {
        b"= d", b"a =", b"c\t=", b"const"}


def test_a_file_holds_the_same_needles_whether_or_not_its_words_are_built(tmp_path: Path) -> None:
    from fixer.repo import DirectorySource, Repo, SourceFile

    repo = Repo(tmp_path, DirectorySource(tmp_path))
    data = b"import { logger } from '@x/log';\nconsole.log('json( x', a ** 2);\n"
    many = frozenset(_every_needle_we_test())
    few = frozenset({b"console", b"logger", b"json( ", b"nothere"})
    expected = {needles: {n for n in needles if n in data} for needles in (many, few)}
    fresh = SourceFile("a.ts", data, repo)
    assert fresh.holds(few) == expected[few] and "words" not in fresh.__dict__  # a few: on the bytes
    assert fresh.holds(many) == expected[many] and "words" in fresh.__dict__
    assert fresh.holds(few) == expected[few]  # on the words, now that they are there
