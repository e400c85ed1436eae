"""The repository as the fixes see it: its files, their kinds, services, and cached parses.

Files come from one of three sources:
  GitTreeSource       a commit (what `apply` and `--dry-run` change: the base)
  WorkingTreeSource   tracked + untracked-not-ignored files on disk (what `audit` reads; the files
                      a sparse checkout leaves out, from git)
  DirectorySource     a plain directory walk, when the path is not in a git repository

Paths are posix and relative to the repository root the user named (which may be a
sub-directory of a git repository; `Repo.git_path` maps back).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import stat
import subprocess
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from tree_sitter import Tree

from fixer.cache import Cache, NoCache, blob_id, file_key, slot_key, stable_digest
from fixer.config import Config
from fixer.errors import GitError, ParseError, UsageError
from fixer.gitops import GitRepo
from fixer.memo import code_digest
from fixer.model import Skip
from fixer.parsing import dockerfile as dockerfile_parser
from fixer.parsing import comments, envfile, typescript, yamlfile
from fixer.parallel import map_paths
from fixer.parsing.text import Text

# The slot of a file's cache row saying which prefilter needles the file holds, among all
# those ever tested on it: ("present", held, tested) or ("skip", why it cannot be read).
# Not keyed by needles or structure: any batch of fixes (a plan step, an audit) and any
# facts spec whose needles were tested settles "not for me" from it without reading.
# The needle sets are stored as one bytes value each (NUL-separated): every row holds the
# same tested set, and unpickling twenty bytes objects per row was a third of reading
# a big repository's rows.
NEEDLES_SLOT = slot_key(("needles", 3))


@lru_cache(maxsize=4096)
def _needle_set(packed: bytes) -> frozenset[bytes]:
    return frozenset(packed.split(b"\0")) if packed else frozenset()


def _packed(needles: Iterable[bytes]) -> bytes:
    return b"\0".join(sorted(needles))


def known_presence(row: dict[str, Any], needles: Iterable[bytes]) -> tuple | None:
    """("present", held needles) or ("skip", reason) from a cache row, if it knows about
    all these needles; else None."""
    value = row.get(NEEDLES_SLOT)
    if value is None or value[0] == "skip":
        return value
    return ("present", _needle_set(value[1])) if _needle_set(value[2]).issuperset(needles) else None


def merged_presence(row: dict[str, Any], found: tuple, needles: Iterable[bytes]) -> tuple:
    """What to store in NEEDLES_SLOT after testing `needles` (`found`: ("present", held) or
    ("skip", reason)), keeping what the row knew of other needles."""
    if found[0] != "present":
        return found
    old = row.get(NEEDLES_SLOT)
    if old is not None and old[0] == "present":
        return _one_copy(("present", _packed(_needle_set(old[1]) | found[1]), _packed(_needle_set(old[2]).union(needles))))
    return _one_copy(("present", _packed(found[1]), _packed(needles)))


_PRESENCES: dict[tuple, tuple] = {}


def _one_copy(presence: tuple) -> tuple:
    """One object for each NEEDLES_SLOT value in this process: every file's row holds the
    same tested set, a few hundred bytes (10 MB of rows at 20,000 files when each had its own)."""
    return _PRESENCES.setdefault(presence, presence)


FILES_IN_MEMORY = 128  # files (with their parses) a Repo keeps; older ones are read again if needed
STRUCTURE_KINDS = frozenset({"ts", "tsx", "js", "json"})  # files whose existence a scan may depend on
ROW_SLOTS = 48  # results kept per file in the cache (facts specs, or fix contexts)
BYTES_IN_MEMORY = 96 * 1024 * 1024  # file contents kept for later passes (parses are not kept)

# --- file kinds ---------------------------------------------------------------------

SUBMODULE_SKIP = "submodule (its files are not read: run fixer in it)"
# how a Git LFS pointer file starts (the spec's URL, and the one it had before it was renamed)
LFS_POINTER = (b"version https://git-lfs.github.com/spec/v1\n", b"version https://hawser.github.com/spec/v1\n")

KINDS = ("ts", "tsx", "js", "dockerfile", "compose", "env", "yaml", "json", "other")
CODE_KINDS = frozenset({"ts", "tsx", "js"})

_COMPOSE = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_ENV_NAMES = re.compile(
    r"^(\.env(\..+)?|env\.(template|example|sample|dist)|.+\.env(\.(template|example|sample))?)$"
)


@lru_cache(maxsize=65536)
def classify(path: str) -> str:
    name = posixpath.basename(path).lower()
    stem, ext = posixpath.splitext(name)
    if ext in (".ts", ".mts", ".cts"):
        return "ts"
    if ext == ".tsx":
        return "tsx"
    if ext in (".js", ".mjs", ".cjs", ".jsx"):
        return "js"
    if name in ("dockerfile", "containerfile") or name.startswith("dockerfile.") or ext == ".dockerfile":
        return "dockerfile"
    if _COMPOSE.match(name):
        return "compose"
    if _ENV_NAMES.match(name):
        return "env"
    if ext in (".yaml", ".yml"):
        return "yaml"
    if ext == ".json":
        return "json"
    return "other"


_VENDORED = {"node_modules", "bower_components", "jspm_packages", ".yarn"}  # (.yarn: Yarn's releases, cache, SDKs, PnP)
# files a package manager writes on every install: Yarn Plug'n'Play's resolver and loader
_PACKAGE_MANAGER_FILES = {".pnp.cjs", ".pnp.js", ".pnp.loader.mjs"}
_BUILD_OUTPUT = {"dist", "build", ".next", ".nuxt", "coverage", ".turbo"}


_TEST_PATH = re.compile(r"(^|/)(tests?|__tests__|__mocks__|e2e|spec|fixtures?)/|\.(test|spec|e2e)\.[cm]?[jt]sx?$")
_TEST_NEEDLES = ("test", "__mocks__", "e2e", "spec", "fixture")  # one is in every match: a cheap test first


def is_test(path: str) -> bool:
    """A test, mock or fixture file (`__tests__/`, `*.spec.ts`, `e2e/`, `fixtures/`)."""
    return any(needle in path for needle in _TEST_NEEDLES) and bool(_TEST_PATH.search(path))


_TOOLING_PATH = re.compile(r"(^|/)(scripts?|seeds?|seeders|migrations?|bin|tools|examples?|docs?|benchmarks?|bench)/|(^|/)[^/]*\.config\.[cm]?[jt]s$"
                           r"|(^|/)([Gg]ulpfile|[Gg]runtfile)(\.[\w.]+)?$|(^|/)(webpack|rollup)\.[^/]+\.[cm]?[jt]s$"
                           r"|(^|/)\.(eslintrc|babelrc|mocharc|prettierrc)\.[cm]?[jt]s$")
# runners that load a configuration module of the service into its process (`Repo.runtime_configs`):
# runner -> (the options naming another module, the module it loads by default, without its extension)
_RUNTIME_CONFIG_RUNNERS = {"moleculer-runner": (("--config", "-c"), "moleculer.config")}
_TOOLING_NEEDLES = ("script", "seed", "migration", "bin/", "tools/", "example", "doc", ".config.", "ulpfile", "runtfile",
                    "webpack", "rollup", "rc.", "bench")


def is_production_code(path: str) -> bool:
    """Neither a test nor tooling (`scripts/`, seeds, migrations, `bin/`, `tools/`, examples,
    docs, benchmarks (`benchmarks/`, `bench/`), `*.config.ts`, a build tool's file: gulpfile, Gruntfile, webpack/rollup configs, rc
    files): code the deployed service runs."""
    return not is_test(path) and not (any(needle in path for needle in _TOOLING_NEEDLES)
                                      and _TOOLING_PATH.search(path))


def path_skip_reason(path: str) -> str | None:
    """Why a path is never rewritten, judged from its name alone."""
    if not path.isascii():
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:  # (listed with surrogateescape) no diff, commit or report can name it
            return "file name is not UTF-8"
    parts = path.split("/")
    for part in parts[:-1]:
        if part in _VENDORED:
            return f"vendored ({part}/)"
        if part in _BUILD_OUTPUT:
            return f"build output ({part}/)"
    if parts[-1] in _PACKAGE_MANAGER_FILES:
        return f"generated ({parts[-1]}: Yarn Plug'n'Play writes it on every install)"
    return None


_BUNDLE_NAME = re.compile(r"[.-](?:min|bundle)\.[cm]?jsx?$")


def minified(path: str, data: bytes) -> bool:
    """A minified or bundled script (`vendor.min.js`, `lib.ivm.bundle.js`, or lines of ~300
    bytes on average): a build's output, often loaded as text and run elsewhere (a browser, a
    sandbox without `require`), which an edit would break; nobody reviews a diff of it."""
    if _BUNDLE_NAME.search(posixpath.basename(path).lower()):
        return True
    at = max(data.rfind(b"//# sourceMappingURL="), data.rfind(b"//@ sourceMappingURL="))
    code = data[:at] if at >= 0 else data  # (compiled code's inline source map is one long line of data)
    return len(code) >= 2000 and len(code) > 300 * (code.count(b"\n") + 1)


# --- generated files ----------------------------------------------------------------
# What generators write in the comments a file starts with (tested lowered). Anywhere in them:
# "@generated", "DO NOT EDIT" / "Do not modify" (OpenAPI Generator puts its note after the API's
# description). In their first lines only (`GENERATED_EARLY`), and only where it says so of the file:
# "This file/code/class is (auto-)generated", "Auto-generated file", "Autogenerated by …", "Code
# generated by …", a line or sentence that starts "Generated by …". Not "generated" after any word:
# "ids are generated by the database", "a warning which is auto-generated", "the config file is
# generated from the server's settings" are hand-written doc comments.
_GENERATED_MARK = re.compile(rb"@generated\b|\bdo(?: not|n't) (?:edit|modify)\b|\bshould not be (?:edited|modified)\b")
_GENERATED_SAID = re.compile(
    rb"\b(?:this|the) (?:file|code|class|module|types?)(?: (?:is|was|are|were|has been|have been))? "
    rb"(?:auto[ -]?|automatically )?generated\b"
    rb"|\b(?:auto[ -]?|automatically )generated (?:file|code|module|types?|by|from|with|using|via)\b"
    rb"|\bcode generated by\b|(?:^|[^\w\s])[ \t]*(?:auto[ -]?)?generated (?:by|with|via|from|using)\b", re.M)
GENERATED_EARLY = 1024  # bytes of the leading comments where a generator says that it made the file
# the comments (and directives) a file starts with: code's `//` and `/* */` (one cut off by the
# head's end too), or `#` lines (YAML, Dockerfiles, env files)
_CODE_HEAD = re.compile(rb"(?:\s+|//[^\r\n]*|/\*(?:.*?\*/|.*\Z)|(['\"])use strict\1;?|#![^\r\n]*)*", re.S)
_HASH_HEAD = re.compile(rb"(?:\s+|#[^\r\n]*)*")
GENERATED_HEAD = 8192  # bytes of a file where its header comment is looked for (OpenAPI's holds the API's description)
# a folder or a name generators use for their output (graphql-codegen's and Relay's `__generated__/`,
# hey-api's `*.gen.ts`); a hand-written file is not put there. Not `generated/`: a scaffolded app
# (LoopBack's `lb4`) lives in one, and a generator's output there says so in its header
_GENERATED_NAME = re.compile(r"(?:^|/)(__generated__)/|[^/]\.(gen|generated)\.[cm]?[jt]sx?$")


def generated_header(kind: str, data: bytes) -> str | None:
    """The line of the comments a file starts with that marks it generated (`_GENERATED_MARK`, `_GENERATED_SAID`),
    without its comment punctuation; None when they do not. Only the leading comments count: a
    hand-written file that names the words in its code is no generated file. A file of a kind
    without comments (JSON) counts as marked by an exact `@generated` or `DO NOT EDIT` near its start."""
    head = data[:GENERATED_HEAD].removeprefix(b"\xef\xbb\xbf")
    scanner = _CODE_HEAD if kind in CODE_KINDS else _HASH_HEAD if kind in ("dockerfile", "compose", "env", "yaml") else None
    if scanner is None:
        start = head[:400]
        return next((mark for mark in ("@generated", "DO NOT EDIT") if mark.encode() in start), None)
    comments = head[:scanner.match(head).end()]
    lowered = comments.lower()
    # (a Dockerfile that says a generator made it is a scaffold the team then owns: `nx g @nx/node:setup-docker`
    # writes "This file is generated by Nx." above steps its comments invite editing; no build writes it again.
    # Only a "do not edit" marks one)
    said = _GENERATED_SAID.search(lowered, 0, GENERATED_EARLY) if kind != "dockerfile" else None
    marks = [found for found in (_GENERATED_MARK.search(lowered), said) if found is not None]
    if not marks:
        return None
    found = min(marks, key=lambda mark: mark.start())
    line_start = comments.rfind(b"\n", 0, found.start()) + 1
    line_end = comments.find(b"\n", found.end())
    line = comments[line_start:len(comments) if line_end < 0 else line_end].strip(b" \t\r/*#-!=").strip()
    text = line.decode("utf-8", "replace")
    return text if len(text) <= 80 else text[:77] + "..."


def gitattributes_rule(directory: str, pattern: str) -> re.Pattern[str] | None:
    """A `.gitattributes` pattern of the file in `directory` as a regex to fullmatch paths: one
    without a `/` matches a name at any depth below, one with a `/` is relative to the directory.
    None for a directory's pattern (`dir/`: git never applies it to the files inside)."""
    if not pattern or pattern.endswith("/"):
        return None
    base = re.escape(directory + "/") if directory else ""
    if "/" not in pattern:
        return re.compile(base + "(?:.*/)?" + _translate_glob(pattern))
    return re.compile(base + _translate_glob(pattern.lstrip("/")))


def glob_match(path: str, pattern: str) -> bool:
    """Glob match with `**` spanning directories and a trailing `/` meaning the whole directory."""
    return compile_glob(pattern).fullmatch(path) is not None


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A glob as a compiled regex (`fullmatch` it against a posix path)."""
    if pattern.endswith("/"):
        pattern += "**"
    return re.compile(_translate_glob(pattern))


def _translate_glob(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


# --- sources ------------------------------------------------------------------------

SYMLINK, SUBMODULE = "120000", "160000"


@dataclass(frozen=True)
class Entry:
    path: str
    mode: str  # git modes: 100644, 100755, 120000 symlink, 160000 submodule
    blob: str | None = None  # git blob id when known (for caching)
    size: int | None = None
    tracked: bool = False  # in git (the index or the commit), as opposed to untracked or a plain directory


class DirectorySource:
    """A plain directory (not a git repository): every file, pruning vendored directories."""

    label = "directory"

    def __init__(self, root: Path, plain: bool = False):
        self.root = root
        # True: the user's directory, which git does not hold (nothing in it can leave git).
        # False: a tree standing for a commit's files (the fixture trees of the tests)
        self.plain = plain
        self.pruned: list[Skip] = []

    def entries(self) -> list[Entry]:
        entries = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            rel_dir = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir + "/"
            keep = []
            for name in sorted(dirnames):
                full = os.path.join(dirpath, name)
                if name == ".git":
                    continue
                if os.path.islink(full):
                    entries.append(Entry(rel_dir + name, SYMLINK))
                elif name in _VENDORED:
                    self.pruned.append(Skip(rel_dir + name + "/", f"vendored ({name}/)"))
                else:
                    keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                info = os.lstat(full)
                if stat.S_ISLNK(info.st_mode):
                    entries.append(Entry(rel_dir + name, SYMLINK))
                elif stat.S_ISREG(info.st_mode):
                    mode = "100755" if info.st_mode & 0o111 else "100644"
                    entries.append(Entry(rel_dir + name, mode, None, info.st_size))
        return entries

    def read(self, entry: Entry) -> bytes:
        return read_file(self.root, entry.path)

    def link_target(self, entry: Entry) -> str:
        return os.readlink(os.path.join(self.root, entry.path))


class WorkingTreeSource:
    """Tracked files (as on disk) and untracked files that are not ignored."""

    label = "working tree"

    def __init__(self, git: GitRepo, prefix: str, root: Path):
        self.git, self.prefix, self.root = git, prefix, root
        self.pruned: list[Skip] = []
        self.in_git: set[str] = set()  # files outside a sparse checkout's cone: read from git

    def entries(self) -> list[Entry]:
        entries = []
        untracked: list[Any] = []  # git walks the directories for these meanwhile (a thread waiting on it)
        walker = threading.Thread(target=_collect, args=(untracked, self.git.ls_untracked, self.prefix))
        walker.start()
        modified = set(self.git.modified(self.prefix))
        root = str(self.root) + os.sep
        index = self.git.ls_index(self.prefix)
        # (a file git converts on checkout — CRLF, LFS, ident — is unmodified to git with other bytes
        # than its blob's: its id is its bytes', hashed like an untracked file's, or a result cached
        # under the blob's id would be applied to the other bytes)
        converted = self.git.converted([item.path for item in index if item.mode not in (SYMLINK, SUBMODULE)])
        outside: list[str] = []
        for item in index:
            path = item.path[len(self.prefix):]
            if item.mode not in (SYMLINK, SUBMODULE):
                try:
                    info = os.lstat(root + path)
                except OSError:
                    if item.blob == "unvouched":
                        outside.append(path)  # (a sparse checkout's: git keeps it out of the working tree)
                    continue  # deleted in the working tree
                if not stat.S_ISREG(info.st_mode):
                    continue  # replaced by a link or a directory
                # the index's blob id is the file's only while the file is unmodified
                blob = None if item.blob in ("unmerged", "unvouched") or item.path in modified \
                    or item.path in converted else item.blob
                entries.append(Entry(path, item.mode, blob, info.st_size, tracked=True))
            else:
                entries.append(Entry(path, item.mode, item.blob, tracked=True))
        if outside:
            entries += self._outside_the_checkout(outside)
        walker.join()
        if untracked and isinstance(untracked[0], BaseException):
            raise untracked[0]
        for name in untracked:
            path = name[len(self.prefix):]
            try:
                info = os.lstat(root + path)
            except OSError:
                continue
            if stat.S_ISLNK(info.st_mode):
                entries.append(Entry(path, SYMLINK))
            elif stat.S_ISREG(info.st_mode):
                entries.append(Entry(path, "100644", None, info.st_size))
        return entries

    def _outside_the_checkout(self, paths: list[str]) -> list[Entry]:
        """Of these tracked files missing from the working tree, those a sparse checkout keeps out of
        it (skip-worktree), as the index has them: read from git (`read`), as `plan` reads the same
        commit. Not a file marked assume-unchanged and deleted since: that one is gone."""
        wanted = set(paths)
        found = []
        for record in self.git.run("ls-files", "-s", "-v", "-z", *(["--", self.prefix] if self.prefix else [])).split(b"\0"):
            if not record:
                continue
            meta, name = record.split(b"\t", 1)
            tag, mode, blob, stage = meta.split()
            path = name.decode("utf-8", "surrogateescape")[len(self.prefix):]
            if tag in (b"S", b"s") and stage == b"0" and path in wanted:
                found.append(Entry(path, mode.decode(), blob.decode(), None, tracked=True))
                self.in_git.add(path)
        return found

    def read(self, entry: Entry) -> bytes:
        if entry.path in self.in_git:
            assert entry.blob
            return self.git.read_blob(entry.blob)
        return read_file(self.root, entry.path)

    def link_target(self, entry: Entry) -> str:
        return os.readlink(os.path.join(self.root, entry.path))


def _collect(into: list[Any], produce: Callable[[str], list[str]], prefix: str) -> None:
    """`into` gets what `produce(prefix)` returns, or (first) the exception it raised."""
    try:
        into.extend(produce(prefix))
    except BaseException as error:  # re-raised by the caller, in its own thread
        into.insert(0, error)


class GitTreeSource:
    """The files of one commit.

    With a `checkout` (the directory where this commit's files are checked out: the working
    tree when the commit is HEAD), a file is read from there when its bytes hash to the
    commit's blob id, which proves they are the commit's; anything else (a modified file, a
    missing one) is read from the object store. Reading a checked-out file in a worker is
    several times cheaper than asking git for the object."""

    label = "commit"

    def __init__(self, git: GitRepo, commit: str, prefix: str, checkout: Path | None = None):
        self.git, self.commit, self.prefix = git, commit, prefix
        self.checkout = str(checkout) if checkout is not None else None
        self.pruned: list[Skip] = []

    def entries(self) -> list[Entry]:
        # Read from a checkout, a file's size is known once read (`Repo.file_of` checks it);
        # read from the object store, the size rules a big blob out before it is read.
        return [
            Entry(item.path[len(self.prefix):], item.mode, item.blob, item.size, tracked=True)
            for item in self.git.ls_tree(self.commit, self.prefix, sizes=self.checkout is None)
        ]

    def read(self, entry: Entry) -> bytes:
        assert entry.blob
        data = read_checked_out(self.checkout, entry) if self.checkout is not None else None
        return data if data is not None else self.git.read_blob(entry.blob)

    def link_target(self, entry: Entry) -> str:
        assert entry.blob
        return self.git.read_blob(entry.blob).decode("utf-8", "surrogateescape")


def read_file(directory: Path | str, path: str) -> bytes:
    """A file's bytes (os.path, not pathlib: this runs for every file of a big repository)."""
    descriptor = os.open(os.path.join(directory, path), os.O_RDONLY)
    try:
        return _read_all(descriptor, os.fstat(descriptor).st_size)
    finally:
        os.close(descriptor)


def _read_all(descriptor: int, size: int) -> bytes:
    """Everything left to read from an open file of about `size` bytes, in as few system
    calls as it takes (a Python file object adds a stat, a tty check and a seek to each
    file: half the cost of reading a small one)."""
    chunks = [os.read(descriptor, size + 1)]  # one byte more: a file that grew is read whole
    while chunks[-1]:
        chunks.append(os.read(descriptor, max(size, 1 << 16)))
    return chunks[0] if len(chunks) == 2 else b"".join(chunks)


def read_checked_out(directory: str, entry: Entry) -> bytes | None:
    """The entry's file under `directory` if its bytes are the entry's blob (hashed), else None.
    Only a regular file is read: whatever else stands there now (a pipe would block the
    read for good, a directory cannot be read) means "ask git"."""
    try:
        descriptor = os.open(os.path.join(directory, entry.path), os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return None
        data = _read_all(descriptor, info.st_size)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if (entry.size is None or len(data) == entry.size) and blob_id(data) == entry.blob:
        return data
    return None


Source = DirectorySource | WorkingTreeSource | GitTreeSource


# --- files --------------------------------------------------------------------------


# The skip reasons of files left out on purpose: out of scope, not unread (`Repo.unread`).
ON_PURPOSE = ("vendored (", "build output (", "minified or bundled (", "generated (", "not in .fixer.toml include",
              "excluded by .fixer.toml", "submodule", "symlink (")


class SkipFile(Exception):
    """This file is not to be read or rewritten; the message is the reason."""


# What `words_of` keeps: the bytes of identifiers (and of `-`, `$`); every other byte
# separates two words.
_WORD_BYTES = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$-"
_SEPARATE = bytes(byte if byte in _WORD_BYTES else ord(" ") for byte in range(256))


@lru_cache(maxsize=1024)
def _by_words(needles: tuple[bytes, ...] | frozenset[bytes]) -> tuple[tuple[bytes, ...], tuple[tuple[bytes, list[bytes]], ...]]:
    """The needles that are one word, and the others with their words."""
    plain = tuple(needle for needle in needles if needle and not needle.translate(None, _WORD_BYTES))
    split = tuple((needle, needle.translate(_SEPARATE).split()) for needle in needles if needle not in plain)
    return plain, split


def words_of(data: bytes) -> bytes:
    """Each word of `data` (a run of identifier bytes, `$` and `-`: `_WORD_BYTES`) once,
    joined by spaces. A needle that is one word is in `data` exactly when it is in this:
    any occurrence lies inside one run, and no such needle can span a joining space. Code
    repeats its words, so this is a fraction of the size (a quarter on the benchmark),
    and dozens of needle tests on it take less than half the time, building it included
    (tested)."""
    return b" ".join(set(data.translate(_SEPARATE).split()))


def needles_in(data: bytes, words: bytes, needles: tuple[bytes, ...] | frozenset[bytes]) -> frozenset[bytes]:
    """Which of `needles` occur in `data`, with `words` = `words_of(data)` (or both lowered)."""
    plain, split = _by_words(needles)
    found = [needle for needle in plain if needle in words]
    for needle, parts in split:  # every word of it is in the words first, or it cannot be in the data
        if all(part in words for part in parts) and needle in data:
            found.append(needle)
    return frozenset(found)


class SourceFile:
    """One file's bytes and its parses, each computed at most once."""

    def __init__(self, path: str, data: bytes, repo: "Repo"):
        self.path = path
        self.data = data
        self.kind = classify(path) if repo is None else repo.kind(path)  # (a file of no repository: its name's)
        self.repo = repo
        self.text = Text(data)

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r})"

    @cached_property
    def decoded(self) -> str:
        return self.data.decode("utf-8")

    @cached_property
    def comment_ranges(self) -> list[tuple[int, int]] | None:
        """Where its comments are, from the bytes alone (`fixer.parsing.comments`); None
        when only the parse can tell."""
        return comments.comment_ranges(self.data)

    @cached_property
    def words(self) -> bytes:
        """`words_of(data)`: where to test for many needles at once (`needles_in`)."""
        return words_of(self.data)

    def holds(self, needles: tuple[bytes, ...] | frozenset[bytes]) -> frozenset[bytes]:
        """Which of these needles the file's bytes contain (tested on its words when they
        pay: building them costs about as much as 30 needle tests on the bytes)."""
        if len(needles) < 30 and "words" not in self.__dict__:
            return frozenset(needle for needle in needles if needle in self.data)
        return needles_in(self.data, self.words, needles)

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def dir(self) -> str:
        return posixpath.dirname(self.path)

    @cached_property
    def tree(self) -> Tree:
        if self.kind not in CODE_KINDS:
            raise ParseError(f"{self.path} is not TypeScript or JavaScript")
        return typescript.parse(self.data, self.kind)

    @cached_property
    def yaml_documents(self) -> list[yamlfile.Node]:
        try:
            return yamlfile.compose_all(self.data)
        except yamlfile.YamlError as error:
            raise ParseError(f"YAML does not parse: {error}") from None

    @cached_property
    def instructions(self) -> list[dockerfile_parser.Instruction]:
        try:
            return dockerfile_parser.parse(self.data)
        except dockerfile_parser.DockerfileError as error:
            raise ParseError(f"Dockerfile does not parse: {error}") from None

    @cached_property
    def env_lines(self) -> list[envfile.EnvLine]:
        return envfile.parse(self.data)

    @cached_property
    def is_k8s_manifest(self) -> bool:
        return self.kind == "yaml" and b"apiVersion:" in self.data and b"kind:" in self.data

    @property
    def service(self) -> "Service | None":
        return self.repo.service_for(self.path)

    def line_col(self, offset: int) -> tuple[int, int]:
        return self.text.line_col(offset)


# --- services -----------------------------------------------------------------------

_SERVICE_PARENTS = ("services/", "apps/", "packages/")
# a package.json script a command runs: `npm start`, `npm run serve`, `yarn worker`, `pnpm run health:check` (group 1)
RUN_SCRIPT = re.compile(r"\b(?:npm|yarn|pnpm|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)")
# The files that say what the services are: package manifests, and the project files of monorepo
# tools that list applications without one (`Repo._project_apps`)
PROJECT_FILES = ("package.json", "nest-cli.json", "project.json")


@dataclass(frozen=True)
class ProjectApp:
    """An application a monorepo tool's project file lists (`Repo._project_apps`)."""
    name: str
    dir: str
    entry: str | None  # relative to the repository root


def _governing(manifest: dict[str, Any]) -> dict[str, Any]:
    """What of the package.json above an app without its own governs the app: its module type
    and dependencies; not its name, `main` or scripts (theirs are the workspace's, with paths
    from its directory)."""
    return {key: manifest[key] for key in ("type", "dependencies", "devDependencies", "peerDependencies",
                                           "optionalDependencies") if key in manifest}


_NODE_EXECUTOR = re.compile(r"^@(?:nx|nrwl)/(?:node|js):(?:node|execute)$|^@(?:nx|nrwl)/node:")


def _runs_on_node(targets: dict[str, Any]) -> bool:
    """Whether an Nx project's targets run or build it for Node."""
    for target in targets.values():
        if not isinstance(target, dict):
            continue
        if isinstance(target.get("executor"), str) and _NODE_EXECUTOR.search(target["executor"]):
            return True
        options = target.get("options")
        if isinstance(options, dict) and "node" in (options.get("target"), options.get("platform")):
            return True
    return False


def _inside_another(directory: str, packages: dict[str, str]) -> bool:
    """Whether a package directory lies inside another package's under a service parent
    (`services/ghost/content/themes/casper` inside `services/ghost`)."""
    parent = posixpath.dirname(directory)
    while parent and parent.startswith(_SERVICE_PARENTS):
        if parent in packages:
            return True
        parent = posixpath.dirname(parent)
    return False
_ENTRY_CANDIDATES = (
    "src/index.ts", "src/server.ts", "src/main.ts", "index.ts", "server.ts", "main.ts",
    "src/index.js", "src/server.js", "index.js", "server.js", "main.js",
)
# `PORT || 3000`, `PORT ?? '3000'` (group 1); else a literal port in a listen() call: `app.listen(3000)`,
# `listen({ host, port: 4567 })` (group 2)
_PORT_DEFAULT = re.compile(rb"\bPORT\b[^\n;]{0,40}?(?:\|\||\?\?)\s*['\"]?(\d{2,5})"
                           rb"|\.listen\(\s*(?:\{[^{}()]{0,80}?\bport\s*:\s*)?['\"]?(\d{2,5})\b")


@dataclass
class Service:
    name: str
    dir: str  # "" for the repository root
    package: dict[str, Any]
    dockerfiles: list[str] = field(default_factory=list)
    entry: str | None = None
    port: int | None = None
    aliases: set[str] = field(default_factory=set)  # names others use for it (compose services, package)

    def contains(self, path: str) -> bool:
        return not self.dir or path == self.dir or path.startswith(self.dir + "/")


@dataclass(frozen=True)
class ComposeService:
    file: str  # the compose file
    name: str
    node: yamlfile.MappingNode
    # build context, relative to the repository root (its own, else the one it extends, else its base's: `bases`)
    context: str | None
    dockerfile: str | None  # resolved Dockerfile path, relative to the repository root
    image: str | None
    # the services whose definitions it inherits with `extends:` ((file, name), nearest first; a file of
    # the repository, or the same one): compose merges theirs under its own
    extends: tuple[tuple[str, str], ...] = ()
    # the same-named services of the files its file is layered on (`Repo.compose_layered_on`: the base
    # beside an override or a `docker-compose.prod.yml`): one container, compose merges its entry over theirs
    bases: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ComposeFile:
    """A compose file of the repository (`Repo.compose_files`): named like one (`docker-compose*.yml`,
    `compose*.yaml`), or a YAML file a compose file pulls in — with `include:` (its services are the
    project's) or by `extends: file:` (services of it are what others extend)."""

    path: str
    named: bool  # compose by its own name
    included: bool  # a compose file's `include:` names it
    extended: bool  # a compose service's `extends: file:` names it
    project: str  # the directory its relative paths resolve from: its own, or an include's `project_directory`
    pulled_by: tuple[str, ...] = ()  # the compose files whose `include:` or `extends: file:` name it

    @property
    def runs(self) -> bool:
        """Whether compose runs its services (named like a compose file, or included), not only
        reads those other services extend."""
        return self.named or self.included


def _referenced(directory: str, node: yamlfile.Node | None) -> str | None:
    """The path (from the repository root) a compose file in `directory` names with this scalar:
    relative ones from that directory; none that names a variable or a URL, or leaves the repository."""
    value = str(node.value) if isinstance(node, yamlfile.ScalarNode) and node.value else ""
    if not value or "$" in value or "://" in value or value.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(directory, value))
    return None if target in ("..", ".") or target.startswith("../") else target


def compose_references(path: str, documents: list[yamlfile.Node]) -> Iterator[tuple[str, str, str]]:
    """The files a compose file at `path` pulls in: ("include", file, its project directory) for each
    path of `include:` (`- x.yml`, `- path: x.yml` or a list of them, `project_directory:`; not its
    `env_file:`), ("extends", file, its directory) for each service's `extends: file:`. Paths from the
    repository root (`_referenced`)."""
    directory = posixpath.dirname(path)
    for document in documents:
        entries = yamlfile.get(document, "include")
        for entry in entries.value if isinstance(entries, yamlfile.SequenceNode) else ():
            long = isinstance(entry, yamlfile.MappingNode)
            paths = yamlfile.get(entry, "path") if long else entry
            project = _referenced(directory, yamlfile.get(entry, "project_directory")) if long else None
            for node in paths.value if isinstance(paths, yamlfile.SequenceNode) else [paths]:
                target = _referenced(directory, node)
                if target is not None:
                    yield "include", target, project if project is not None else posixpath.dirname(target)
        for _name, service in yamlfile.items(yamlfile.get(document, "services")):
            extended = extended_service(path, service)
            if extended is not None and extended[0] != path:
                yield "extends", extended[0], posixpath.dirname(extended[0])


def extended_service(path: str, node: yamlfile.Node | None) -> tuple[str, str] | None:
    """The service (file, name) a compose service of the file at `path` extends: `extends: base`,
    `extends: {service: base}` (the same file) or `extends: {file: common.yml, service: base}`
    (relative to the file's directory). None: it extends none, or one fixer cannot tell."""
    extends = yamlfile.get(node, "extends") if isinstance(node, yamlfile.MappingNode) else None
    if isinstance(extends, yamlfile.ScalarNode):
        return (path, str(extends.value)) if extends.value and not extends.tag.endswith(":null") else None
    if not isinstance(extends, yamlfile.MappingNode):
        return None
    service, file = yamlfile.get(extends, "service"), yamlfile.get(extends, "file")
    if not isinstance(service, yamlfile.ScalarNode) or not service.value:
        return None
    if file is None:
        return path, str(service.value)
    target = _referenced(posixpath.dirname(path), file)
    return (target, str(service.value)) if target is not None else None


# --- the repository -----------------------------------------------------------------


class Repo:
    def __init__(
        self,
        root: Path,
        source: Source,
        config: Config | None = None,
        git: GitRepo | None = None,
        prefix: str = "",
    ):
        self.root = root
        self.source = source
        self.config = config or Config()
        self.git = git
        self.prefix = prefix  # the root's path inside the git repository ("" or "a/b/")
        self._entries = {entry.path: entry for entry in source.entries()}
        self._files: OrderedDict[str, SourceFile] = OrderedDict()
        self._overlay: dict[str, bytes | None] = {}
        self.skips: dict[str, str] = {skip.path: skip.reason for skip in source.pruned}
        self.cache: Cache | NoCache = NoCache()
        self._overlay_base: Repo | None = None  # for an overlay: the repository it was made from
        self._changed_from_base: frozenset[str] = frozenset()  # for an overlay: the files it changed
        self.errors_before: dict[str, int] = {}  # parse-error counts the scan saw, for verification
        self._rows: dict[str, dict[str, Any]] = {}  # cache rows read or written, shared with overlays
        self._row_key_memo: dict[tuple, str] = {}  # (path, blob[, "compose"]) -> row key, shared too
        self._data: dict[str, bytes] = {}  # file bytes read so far (bounded), shared with overlays
        self._data_size = [0]
        self.seeded: dict[str, dict[tuple, tuple]] = {}  # path -> facts outcomes already computed (overlays)
        self.follow_ups: dict[tuple, dict[str, tuple]] = {}  # kept by a warm-up pass, shared with overlays
        self.keeps_bytes = True  # False in a worker process: what it reads it needs once
        self._keep_lock = threading.Lock()
        self._preloader: threading.Thread | None = None  # see preload_soon
        self._finding_services = False
        self._declared_entries: dict[str, str] = {}  # service dir -> the entry its project file names

    # --- files ---

    def paths(self) -> list[str]:
        return self._sorted_paths

    @cached_property
    def _sorted_paths(self) -> list[str]:
        return sorted(self._entries)

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        """Paths by the kind their names tell (`classify`)."""
        grouped: dict[str, list[str]] = {}
        for path in self.paths():
            grouped.setdefault(classify(path), []).append(path)
        return grouped

    @cached_property
    def _by_kind(self) -> dict[str, list[str]]:
        """Paths by kind (`kind`, but for what a service runs with node: see `paths_of`)."""
        referenced = self._compose_by_reference
        if not referenced:
            return self._by_name
        grouped = dict(self._by_name)
        grouped["yaml"] = [path for path in grouped.get("yaml", ()) if path not in referenced]
        grouped["compose"] = sorted([*grouped.get("compose", ()), *referenced])
        return grouped

    def paths_of(self, kinds: Iterable[str]) -> list[str]:
        """Paths of the given kinds, sorted."""
        kinds = set(kinds)
        found = [path for kind in kinds for path in self._by_kind.get(kind, ())]
        if "js" in kinds:
            found += self.run_by_node
        return sorted(found)

    def exists(self, path: str) -> bool:
        return path in self._entries

    def untracked_on_disk(self, path: str) -> bool:
        """Whether the checkout holds a file at `path` that git does not track (ignored or untracked):
        a new file of a fix would be committed over it, and checking the branch out would replace it.
        One the checkout's index tracks (a `--base` other than the checked-out branch, which has that
        file) is git's to switch, as for any branch: not the user's loose file."""
        if not os.path.lexists(os.path.join(self.root, *path.split("/"))):
            return False
        if self.git is None:
            return True
        git_path = self.git_path(path)
        try:
            return all(entry.path != git_path for entry in self.git.ls_index(":(literal)" + git_path))
        except GitError:
            return True

    def entry(self, path: str) -> Entry | None:
        return self._entries.get(path)

    def followed(self, path: str) -> str:
        """The file a symbolic link of the repository points at, when that is a file of the repository of
        the same kind (`services/api/Dockerfile` -> `docker/api.Dockerfile`: the file a build reads, and
        the one fixer reads and edits; the link itself is never followed); else `path`."""
        entry = self._entries.get(path)
        if entry is None or entry.mode != SYMLINK:
            return path
        try:
            target = self.source.link_target(entry)
        except (OSError, ValueError, AssertionError):
            return path
        if target.startswith("/"):
            return path
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        found = self._entries.get(resolved)
        if found is None or found.mode in (SYMLINK, SUBMODULE) or resolved.startswith("../") \
                or classify(resolved) != classify(path):
            return path
        return resolved

    def git_path(self, path: str) -> str:
        return self.prefix + path

    def kind(self, path: str) -> str:
        """`classify(path)`, except that a file a service runs with node is JavaScript whatever its
        name (`run_by_node`), and a YAML file a compose file pulls in is a compose file
        (`compose_files`)."""
        kind = classify(path)
        if kind == "yaml":
            return "compose" if path in self._compose_by_reference else kind
        return "js" if kind == "other" and path in self.run_by_node else kind

    @cached_property
    def run_by_node(self) -> frozenset[str]:
        """The files without a code extension that a service runs with node: its entry point, or
        what its package.json scripts or its image run (express- and koa-generator's `bin/www`:
        `"start": "node ./bin/www"`, `CMD ["node", "bin/www"]`). Node loads them as `.js` files."""
        if self._finding_services:
            raise AssertionError("a file's kind was asked while the services are being found")
        return frozenset(path for service in self.services for runs in [self.runs[service.dir]]
                         for path in (service.entry, *runs.process, *runs.scripts) if path and classify(path) == "other")

    @cached_property
    def runs(self) -> dict[str, Any]:
        """Service directory -> what its package.json scripts and image run (`scripts.runs_of`)."""
        from fixer.scripts import runs_of  # (fixer.scripts reads the services this module builds)

        return {service.dir: runs_of(self, service) for service in self.services}

    def skip_reason(self, path: str) -> str | None:
        """Why this file is never read or rewritten, if it is not."""
        memo = self._skip_memo
        if path not in memo:
            memo[path] = self._skip_reason(path)
        return memo[path]

    @cached_property
    def _skip_memo(self) -> dict[str, str | None]:
        return {}

    @cached_property
    def _linguist_generated(self) -> list[tuple[re.Pattern[str], bool]]:
        """The `linguist-generated` rules of the repository's `.gitattributes` files, in the order
        git applies them (a file's own lines in order, a deeper file's after): (paths, set or unset)."""
        found = []
        for path in sorted((p for p in self._entries if p == ".gitattributes" or p.endswith("/.gitattributes")),
                           key=lambda p: (p.count("/"), p)):
            try:
                data = self._overlay[path] if path in self._overlay else self._read_source(path)
            except (OSError, GitError, KeyError, AssertionError):
                continue
            if data is None or b"linguist-generated" not in data:
                continue
            directory = posixpath.dirname(path)
            for line in data.decode("utf-8", "replace").splitlines():
                words = line.split()
                if not words or words[0].startswith(("#", "[attr]")):
                    continue
                for word in words[1:]:
                    name, _, value = word.lstrip("-!").partition("=")
                    if name == "linguist-generated":
                        rule = gitattributes_rule(directory, words[0])
                        if rule is not None:
                            found.append((rule, not word.startswith(("-", "!")) and value not in ("false", "0")))
        return found

    def generated_attribute(self, path: str) -> bool | None:
        """What `.gitattributes` says of `path`: generated (`linguist-generated`), not generated
        (`-linguist-generated`, `linguist-generated=false`: what GitHub's linguist is told of a file
        it would take for generated, and fixer too: its name or header is then no mark), or None."""
        return next((setting for rule, setting in reversed(self._linguist_generated) if rule.fullmatch(path)), None)

    @cached_property
    def _submodules(self) -> list[str]:
        return [path for path, entry in self._entries.items() if entry.mode == SUBMODULE]

    def _skip_reason(self, path: str) -> str | None:
        entry = self._entries.get(path)
        if entry is None:
            return "not in the repository"
        if entry.mode == SYMLINK:
            target = self.followed(path)
            return f"symlink (to {target}, read there)" if target != path else "symlink (never followed)"
        if entry.mode == SUBMODULE:
            return SUBMODULE_SKIP
        reason = path_skip_reason(path)
        if reason:
            return reason
        if self.config.include and not any(glob_match(path, g) for g in self.config.include):
            return "not in .fixer.toml include"
        if any(glob_match(path, g) for g in self.config.exclude):
            return "excluded by .fixer.toml"
        attribute = self.generated_attribute(path)
        if attribute:
            return "generated (.gitattributes marks it linguist-generated: change what generates it)"
        named = _GENERATED_NAME.search(path)
        if named and attribute is None:
            where = f"in a {named.group(1)}/ folder" if named.group(1) else f"a *.{named.group(2)}.* file"
            return f"generated ({where}: change what generates it)"
        if entry.size is not None and entry.size > self.config.max_file_size:
            return f"over the size limit ({entry.size:,} > {self.config.max_file_size:,} bytes)"
        return None

    def file(self, path: str) -> SourceFile:
        """The file, read once; raises SkipFile with the reason for files never to be touched.

        The most recently used files stay in memory with their parses; older ones are
        dropped (and read again if asked for), so memory stays flat on big repositories."""
        cached = self._files.get(path)
        if cached is not None:
            self._files.move_to_end(path)
            return cached
        reason = self.skip_reason(path)
        if reason:
            raise SkipFile(reason)
        if path in self._overlay:
            data = self._overlay[path]
            assert data is not None
        else:
            data = self._read_source(path)
        source_file = self.file_of(path, data)
        self._files[path] = source_file
        if len(self._files) > FILES_IN_MEMORY:
            self._files.popitem(last=False)
        return source_file

    def file_of(self, path: str, data: bytes) -> SourceFile:
        """These bytes as the file at `path` (not remembered); raises SkipFile like `file`."""
        if len(data) > self.config.max_file_size:
            raise SkipFile(f"over the size limit ({len(data):,} > {self.config.max_file_size:,} bytes)")
        if data.startswith(LFS_POINTER) and len(data) < 1024:
            raise SkipFile(self._lfs_skip)
        if b"\0" in data[:8192]:
            raise SkipFile("binary")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise SkipFile("not UTF-8") from None
        header = generated_header(self.kind(path), data) if self.generated_attribute(path) is None else None
        if header:
            raise SkipFile(f'generated (its header says "{header}": change what generates it)')
        if self.kind(path) == "js" and minified(path, data):
            raise SkipFile("minified or bundled (a build's output: change its source)")
        return SourceFile(path, data, self)

    @property
    def _lfs_skip(self) -> str:
        """Why a Git LFS pointer is not read: in a commit it is all git holds of the file (the
        content is in LFS storage); on disk, the file was never fetched."""
        if isinstance(self.source, GitTreeSource):
            return "a Git LFS pointer (the commit holds only the pointer; its content is in LFS storage, " \
                   "which fixer neither reads nor changes)"
        return "a Git LFS pointer (its content was never fetched: run git lfs pull)"

    def undecoded(self, path: str) -> bytes | None:
        """The bytes of a file skipped (`file_of`) only for not being UTF-8, for a fix that can still
        read them for findings (secrets reads an env file or a Dockerfile as Latin-1: a stray byte in a
        comment hides no secret); None for any other file. No fix edits such a file."""
        if self.skips.get(path) != "not UTF-8":
            return None
        return self._overlay[path] if path in self._overlay else self._read_source(path)

    def _read_source(self, path: str) -> bytes:
        data = self._data.get(path)
        if data is None:
            data = self.source.read(self._entries[path])
            self._keep(path, data)
        return data

    def _keep(self, path: str, data: bytes) -> None:
        if not self.keeps_bytes:
            return
        with self._keep_lock:  # the preloading thread keeps bytes too
            if path not in self._data and self._data_size[0] + len(data) <= BYTES_IN_MEMORY:
                self._data[path] = data
                self._data_size[0] += len(data)

    def preload_soon(self) -> None:
        """Start preloading (see `preload`) every file a run may read, in a thread, so that
        reading overlaps what comes before the first pass (services, the compose model,
        configuration); `preload` waits for it."""
        if not isinstance(self.source, GitTreeSource) or self.source.checkout is not None or self.git is None \
                or self._preloader is not None:
            return
        paths = [p for p in self.paths() if classify(p) != "other" and not path_skip_reason(p)]
        self._preloader = threading.Thread(target=self._preload_quietly, args=(paths,), name="fixer-preload",
                                           daemon=True)
        self._preloader.start()

    def _preload_quietly(self, paths: list[str]) -> None:
        try:
            self._preload(paths)
        except Exception:
            pass  # whatever it did not read is read later, where a failure is reported properly

    def preload(self, paths: Iterable[str]) -> None:
        """Read these files' bytes now, in one go (before forking workers, which then share
        them). Only for a commit that is not checked out: git objects are read much faster in
        one batch here than one by one in the workers, while a file on disk is as cheap to read
        in a worker (and then this process need not hold every file of a big repository)."""
        if self._preloader is not None:
            self._preloader.join()  # never fork while it reads
            self._preloader = None
        self._preload(paths)

    def _preload(self, paths: Iterable[str]) -> None:
        if not isinstance(self.source, GitTreeSource) or self.source.checkout is not None or self.git is None:
            return
        wanted = [p for p in paths if p not in self._data and p not in self._overlay and p in self._entries
                  and self._entries[p].mode not in (SYMLINK, SUBMODULE)
                  and (self._entries[p].size or 0) <= self.config.max_file_size]
        by_blob = {self._entries[p].blob: p for p in wanted if self._entries[p].blob}
        for blob, data in self.git.read_blobs(list(by_blob)).items():
            self._keep(by_blob[blob], data)
            if self._data_size[0] >= BYTES_IN_MEMORY:
                return

    def unchanged(self, path: str) -> bool:
        """The file is as the source has it (no overlay changed it)."""
        return path not in self._overlay

    def bytes_in_memory(self, path: str) -> bytes | None:
        """The file's bytes if this process holds them (None: it would have to read them)."""
        return self._overlay[path] if path in self._overlay else self._data.get(path)

    def local_blob(self, blob: str) -> bytes | None:
        """A git blob's bytes when a file of this repository has them at hand: held in memory,
        or on disk (working tree or checkout) hashing to that id. None: ask git."""
        path = self._paths_by_blob.get(blob)
        if path is None:
            return None
        if path in self._data:
            return self._data[path]
        directory = self.source.checkout if isinstance(self.source, GitTreeSource) else \
            str(self.root) if isinstance(self.source, WorkingTreeSource) else None
        return read_checked_out(directory, self._entries[path]) if directory is not None else None

    @cached_property
    def _paths_by_blob(self) -> dict[str, str]:
        return {entry.blob: path for path, entry in self._entries.items()
                if entry.blob and path not in self._overlay and entry.mode not in (SYMLINK, SUBMODULE)}

    def forget(self) -> None:
        """Drop every file kept in memory (their parses included)."""
        self._files.clear()

    def blob(self, path: str) -> str | None:
        """The file's git blob id: free for committed and unmodified tracked files, hashed otherwise."""
        entry = self._entries.get(path)
        if entry is None:
            return None
        if entry.blob and path not in self._overlay:
            return entry.blob
        memo = self._blob_memo
        if path not in memo:
            try:
                data = self._overlay[path] if path in self._overlay else self._read_source(path)
            except OSError:
                return None
            memo[path] = blob_id(data) if data is not None else None
        return memo[path]

    @cached_property
    def _blob_memo(self) -> dict[str, str | None]:
        return {}

    def read(self, path: str) -> SourceFile | None:
        """The file, or None (recording why) if it is skipped."""
        try:
            return self.file(path)
        except SkipFile as reason:
            self.skips[path] = str(reason)
            return None

    def package_type(self, path: str) -> str | None:
        """The `type` of the nearest package.json above `path` (Node's rule for a .js file:
        "module" makes it an ES module), None when it has none. Remembered per directory for
        the run (an overlay that changes a package.json forgets it)."""
        directory = posixpath.dirname(path)
        memo = self._package_type_memo
        if directory not in memo:
            at = directory
            while True:
                manifest = posixpath.join(at, "package.json") if at else "package.json"
                if self.exists(manifest):
                    kind = self._package(manifest).get("type")
                    memo[directory] = kind if isinstance(kind, str) else None
                    break
                if not at:
                    memo[directory] = None
                    break
                at = posixpath.dirname(at)
        return memo[directory]

    @cached_property
    def _package_type_memo(self) -> dict[str, str | None]:
        return {}

    def env_bracket_projects(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Where code must read `process.env['X']`, not `process.env.X`: each tsconfig.json's
        directory and the kinds of file it says so for (`typescript.env_bracket_projects`;
        a fix's context holds it, so it is part of the cache key)."""
        def data(path: str) -> bytes | None:
            source_file = self.read(path) if self.exists(path) else None
            return source_file.data if source_file is not None else None

        return tuple(sorted(typescript.env_bracket_projects(self.paths_of({"json"}), data).items()))

    def files(self, kinds: Iterable[str] | None = None, prefilter: Iterable[bytes] = ()) -> Iterator[SourceFile]:
        """Readable files of the given kinds that contain at least one prefilter needle."""
        needles = tuple(prefilter)
        for path in self.paths() if kinds is None else self.paths_of(kinds):
            source_file = self.read(path)
            if source_file is None:
                continue
            if needles and not any(needle in source_file.data for needle in needles):
                continue
            yield source_file

    def skips_for(self, kinds: Iterable[str]) -> list[Skip]:
        """Files of these kinds that are never read or rewritten, with the reason; pruned
        vendored directories count once each."""
        result = {path: reason for path, reason in self.skips.items() if path.endswith("/")}
        result.update((path, SUBMODULE_SKIP) for path in self._submodules)  # (of every kind: what is in them)
        for path in self.paths_of(kinds):
            reason = self.skips.get(path) or self.skip_reason(path)
            if reason:
                result[path] = reason
        return [Skip(path, reason) for path, reason in sorted(result.items())]

    def unread(self) -> dict[str, str]:
        """The files fixer would have read and could not (not UTF-8, too big, a parse failure),
        with the reason: what they hold is missing from its answers. Not files left out on
        purpose (`ON_PURPOSE`), nor ones of a kind no fix reads (a font, an image)."""
        return {path: reason for path, reason in sorted(self.skips.items())
                if not path.endswith("/") and classify(path) != "other" and not reason.startswith(ON_PURPOSE)}

    # --- changes ---

    def overlay(self, changes: dict[str, bytes | None]) -> "Repo":
        """This repository with some files replaced (None: removed). Parses of unchanged files are shared."""
        clone = object.__new__(Repo)
        clone.__dict__.update(self.__dict__)
        clone._entries = dict(self._entries)
        clone._overlay = {**self._overlay, **changes}
        clone._overlay_base = self
        clone._changed_from_base = frozenset(changes)
        clone.errors_before = {}
        clone._files = OrderedDict()  # SourceFile objects belong to one Repo
        clone.skips = dict(self.skips)
        clone.seeded = {}
        for path, data in changes.items():
            if data is None:
                clone._entries.pop(path, None)
            else:
                old = self._entries.get(path)
                clone._entries[path] = Entry(path, old.mode if old else "100644", None, len(data),
                                             tracked=old.tracked if old else False)
        listing = any(p not in self._entries or data is None for p, data in changes.items())
        structural = listing or any(posixpath.basename(p) in PROJECT_FILES or classify(p) in ("compose", "dockerfile")
                                    or p in self._compose_by_reference for p in changes)
        # skip reasons hang on sizes: those of the changed files are decided again
        clone.__dict__["_skip_memo"] = {p: r for p, r in self._skip_memo.items() if p not in changes}
        dropped = ["_facts_memo", "_blob_memo", "derived"]  # contents changed
        if listing:  # a new or removed file: the file list differs
            dropped += ["_sorted_paths", "_by_name", "_by_kind", "listing_digest"]
        if structural:  # … or a package.json, compose file or Dockerfile: services may differ (and the
            # listing digest holds the manifests' blob ids; a manifest's `type` is remembered per directory)
            dropped += ["services", "runs", "run_by_node", "processes", "runtime_configs", "packages", "compose_services", "_services_by_dir",
                        "compose_files", "_compose_by_reference", "_by_kind", "_compose_nodes", "compose_definitions", "_service_memo", "structure_digest",
                        "services_digest", "listing_digest", "_package_type_memo"]
        for name in dropped:
            clone.__dict__.pop(name, None)
        return clone

    # --- per-file facts, computed once per file content ---

    @cached_property
    def structure_digest(self) -> str:
        """What a per-file result may depend on besides the file itself: the file list, the
        services and the compose model. Part of every cache key."""
        return stable_digest((
            self.listing_digest,
            [(s.name, s.dir, sorted(s.aliases), s.dockerfiles, s.entry, s.port) for s in self.services],
            [(c.file, c.name, c.context, c.dockerfile, c.image, c.extends) for c in self.compose_services],
            # (what a compose file's services extend from another file is read with them: its bytes)
            [(p, self.blob(p)) for p, found in self.compose_files.items() if found.extended],
            self.config.include, self.config.exclude, self.config.max_file_size,
        ))

    @cached_property
    def listing_digest(self) -> str:
        """The part of `structure_digest` that is the file list and the package manifests'
        contents: what module resolution sees (a package.json's `type` makes a .js file an
        ES module or CommonJS, its `exports` and `main` where an import goes)."""
        visible = "\0".join(p for p in self.paths() if classify(p) in STRUCTURE_KINDS)
        manifests = "\0".join(f"{p}:{self.blob(p)}" for p in self.paths()  # (.gitattributes: which files are generated)
                              if posixpath.basename(p) in (*PROJECT_FILES, ".gitattributes") and not path_skip_reason(p))
        return hashlib.sha256(f"{visible}\1{manifests}".encode("utf-8", "surrogateescape")).hexdigest()

    @cached_property
    def services_digest(self) -> str:
        """The part of `structure_digest` that is the file list and what each service is
        apart from the compose model (its name, directory, entry point and port)."""
        return stable_digest((self.listing_digest, [(s.name, s.dir, s.entry, s.port) for s in self.services]))

    def structure_at(self, level: bool | str) -> str | None:
        """What of the repository a per-file result at this level depends on besides the
        file: nothing (False), the file list ("files": `exists`, module resolution, which
        service directory a file is in), also each service's name, entry point and port
        ("services"), or the whole structure (True: also compose aliases and Dockerfiles)."""
        if not level:
            return None
        if level == "files":
            return self.listing_digest
        if level == "services":
            return self.services_digest
        return self.structure_digest

    def _structure_of(self, spec: "FactsSpec") -> str | None:
        """What of the repository a spec's outcomes depend on, besides the file (see FactsSpec)."""
        return self.structure_at(spec.structural)

    def facts(self, name: str, gather: Callable[[SourceFile], Any], kinds: Iterable[str],
              prefilter: Iterable[bytes] = (), version: int = 1, structural: bool | str = False) -> dict[str, Any]:
        """`gather(file)` for every readable file of `kinds` that contains a prefilter needle,
        by path. `gather` must depend on the file's path and bytes only — or, with
        `structural`, also on the repository's file list and services (`repo.exists`,
        `repo.service_for`): results are cached by blob id across runs (and by the
        repository structure when `structural`) and computed on all cores. Specs gathered
        ahead in one pass (`gather_all`) are answered from memory."""
        return self.facts_of(FactsSpec(name, gather, frozenset(kinds), tuple(prefilter), version, structural))

    def facts_of(self, spec: "FactsSpec") -> dict[str, Any]:
        return self.gather_all([spec])[spec.key]

    def gather_all(self, specs: list["FactsSpec"], needles: Iterable[bytes] = ()) -> dict[tuple, dict[str, Any]]:
        """Several facts in one pass over the files: each file is read and parsed once for all.
        `needles`: more needles to test in every file this pass reads (the prefilters of the
        scans that follow): remembered in its row, they rule files out of a later pass unread."""
        pending = self.facts_pending(specs)
        pending.needles = tuple(sorted(set(needles)))
        computed = map_paths(self, sorted(pending.missing), partial(
            _gather_many, specs=pending.todo, wanted=pending.missing, also=pending.needles))
        return self.facts_done(pending, computed)

    def facts_pending(self, specs: list["FactsSpec"]) -> "PendingFacts":
        """What gathering these specs takes: the answers already in memory, in an overlay's
        base or in the results cache, and by file what is left to compute (`missing`: path ->
        indexes into `todo`). Compute those with `gather_file` (in any pass over the files),
        then hand them to `facts_done`."""
        pending = PendingFacts()
        for spec in specs:
            if spec.key in self._facts_memo:
                pending.answers[spec.key] = dict(self._facts_memo[spec.key][0])
            elif spec.key not in {s.key for s in pending.todo}:
                pending.todo.append(spec)
        if not pending.todo:
            return pending
        todo, results = pending.todo, pending.results
        wanted: dict[str, list[int]] = {}
        pending.slots = [slot_key((spec.key, self._structure_of(spec))) for spec in todo]
        groups: dict[frozenset[str], list[int]] = {}  # specs by the file kinds they want
        for index, spec in enumerate(todo):
            groups.setdefault(spec.kinds, []).append(index)
        for kinds, indexes in groups.items():  # (a big repository: each file's bookkeeping once per group)
            paths = [p for p in self.paths_of(kinds) if not self.skip_reason(p)]
            inherited = {index: self._facts_from_base(todo[index]) or {} for index in indexes}
            for index in indexes:
                results[todo[index].key] = dict.fromkeys(paths)  # type: ignore[arg-type]
            if not self.seeded and not any(inherited.values()):
                for path in paths:
                    wanted.setdefault(path, []).extend(indexes)
                continue
            for index in indexes:
                spec = todo[index]
                for path in paths:
                    if path in inherited[index]:
                        results[spec.key][path] = inherited[index][path]
                    elif spec.key in self.seeded.get(path, {}):  # computed already, by whoever made this overlay
                        pending.seeded.setdefault(path, {})[index] = self.seeded[path][spec.key]
                    else:
                        wanted.setdefault(path, []).append(index)
        # one cache row per file holds every spec's outcome for it (few rows: inserts are slow)
        pending.rows = self.file_rows(wanted)
        for path, indexes in wanted.items():
            row = pending.rows.get(path, {})
            for index in indexes:
                if pending.slots[index] in row:
                    results[todo[index].key][path] = row[pending.slots[index]]
                else:
                    pending.missing.setdefault(path, []).append(index)
        for path in list(pending.missing):
            self._settle_without_reading(path, pending)
        return pending

    def _settle_without_reading(self, path: str, pending: "PendingFacts") -> None:
        """Settle, with no worker, the specs whose prefilter the file fails, when that is known
        without reading it: from its row's NEEDLES_SLOT (a plan step after a structural change
        asks again for every file; a warm run, for every file some spec's prefilter ruled
        out), or from its bytes when this process holds them (a plan's later steps ask about
        every file an earlier one changed)."""
        indexes = pending.missing[path]
        specs = pending.todo
        value = pending.rows.get(path, {}).get(NEEDLES_SLOT)  # what the row knows of the file's needles
        data = self.bytes_in_memory(path)
        settled: dict[int, tuple] = {}
        if value is not None and value[0] == "skip":
            if any(specs[index].prefilter for index in indexes):
                settled = dict.fromkeys(indexes, value)
        elif data is None:
            if value is not None:
                settled = dict.fromkeys(_filtered_by_record(value, indexes, pending), ("filtered",))
        else:
            held, tested = (_needle_set(value[1]), _needle_set(value[2])) if value is not None else (None, None)
            for index in indexes:
                needles = specs[index].prefilter
                if not needles:
                    continue
                if tested is not None and tested.issuperset(needles):
                    if held.isdisjoint(needles):  # type: ignore[union-attr]
                        settled[index] = ("filtered",)
                elif not any(needle in data for needle in needles):
                    settled[index] = ("filtered",)
            if settled:
                try:
                    self.file_of(path, data)
                except SkipFile as reason:
                    settled = {index: ("skip", str(reason)) for index in indexes}
        if not settled:
            return
        for index, outcome in settled.items():  # answers, not stored: they follow from the row or the bytes
            pending.results[specs[index].key][path] = outcome
        rest = [index for index in indexes if index not in settled]
        if rest:
            pending.missing[path] = rest
        else:
            del pending.missing[path]

    def facts_done(self, pending: "PendingFacts", computed: dict[str, dict[int, tuple]]) -> dict[tuple, dict[str, Any]]:
        """Finish what `facts_pending` started: remember and cache the computed outcomes and
        answer every spec. Raises for a spec that failed on some file (the others are
        remembered; asking for the broken one raises again)."""
        todo, results, answers = pending.todo, pending.results, pending.answers
        if not todo:
            return answers
        computed = dict(computed)
        for path, per_spec in pending.seeded.items():
            computed.setdefault(path, {}).update(per_spec)
        fresh: dict[str, dict[str, tuple]] = {}
        for path, per_spec in computed.items():
            held = per_spec.get(HELD)
            needles = {needle for index in per_spec if index != HELD for needle in todo[index].prefilter}
            if held is not None:
                needles.update(pending.needles)  # tested too (`gather_all`)
            if held is not None and needles:  # remembered: "filtered" outcomes follow from them
                fresh[path] = {NEEDLES_SLOT: merged_presence(pending.rows.get(path, {}), held, needles)}
            else:
                held = None
            for index, outcome in per_spec.items():
                if index == HELD:
                    continue
                results[todo[index].key][path] = outcome
                if outcome[0] != "error" and not (held is not None and outcome[0] == "filtered"):
                    fresh.setdefault(path, {})[pending.slots[index]] = outcome
        self.store_rows(fresh)
        failure = None
        for spec in todo:
            facts = {}
            for path, outcome in results[spec.key].items():
                if outcome is None:
                    continue  # not computed (the pass that was to compute it stopped)
                if outcome[0] == "ok":
                    facts[path] = outcome[1]
                elif outcome[0] == "skip":
                    self.skips[path] = outcome[1]
                elif outcome[0] == "error":
                    failure = failure or RuntimeError(f"{spec.name} on {path}: {outcome[1]}")
                    break
            else:
                self._facts_memo[spec.key] = (facts, results[spec.key])
                answers[spec.key] = dict(facts)
        if failure is not None:
            raise failure
        return answers

    # --- per-file rows of the results cache ---

    def _row_keys(self, paths: Iterable[str]) -> dict[str, str]:
        # (the size limit too: a row of a file read under a higher one holds facts of a file now not read)
        # (and a YAML file a compose file pulls in is read as a compose file: its results are not those
        # of the same bytes read as plain YAML, before a compose file named it or after it stops)
        base, memo, keys = _row_base(self.config.max_file_size), self._row_key_memo, {}
        composed = self._compose_by_reference
        for path in paths:
            blob = self.blob(path)
            key = memo.get((path, blob) if path not in composed else (path, blob, "compose"))
            if key is None:
                if path in composed:
                    key = memo[(path, blob, "compose")] = file_key(base + ":compose", path, blob)
                else:
                    key = memo[(path, blob)] = file_key(base, path, blob)
            keys[path] = key
        return keys

    def file_rows(self, paths: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Each file's cached results (slot -> outcome: its facts, which prefilter needles it
        holds, each fix's scan), read in one go (and kept in memory for the overlays of a
        plan, which ask again for the files they did not change). One row per file content:
        fewer rows to read and write than one per kind of result."""
        if not self.cache.enabled:
            return {}
        keys = self._row_keys(paths)
        memo = self._rows
        found = self.cache.get_many(key for key in keys.values() if key not in memo)
        for row in found.values():
            if isinstance(row, dict) and NEEDLES_SLOT in row:
                row[NEEDLES_SLOT] = _one_copy(row[NEEDLES_SLOT])
        memo.update((key, row) for key, row in found.items() if isinstance(row, dict))
        return {path: memo[key] for path, key in keys.items() if key in memo}

    def store_rows(self, new: dict[str, dict[str, Any]]) -> None:
        """Merge new slots into the files' rows as they stand (read by `file_rows` or stored
        since); old slots beyond a few dozen are dropped."""
        if not self.cache.enabled or not new:
            return
        keys = self._row_keys(new)
        merged = {}
        for path, slots in new.items():
            row = dict(self._rows.get(keys[path], ()))
            for slot in slots:
                row.pop(slot, None)  # a slot stored again counts as the newest
            row.update(slots)
            if len(row) > ROW_SLOTS:
                row = dict(list(row.items())[-ROW_SLOTS:])
            merged[keys[path]] = row
        self.cache.put_many(merged)
        self._rows.update(merged)

    def _facts_from_base(self, spec: "FactsSpec") -> dict[str, tuple] | None:
        """For an overlay: the outcomes its base repository computed for files it did not change."""
        base = self._overlay_base
        if base is None or spec.key not in base._facts_memo:
            return None
        if base._structure_of(spec) != self._structure_of(spec):
            return None
        changed = self._changed_from_base  # the files this overlay made differ from its base
        return {p: outcome for p, outcome in base._facts_memo[spec.key][1].items() if p not in changed}

    @cached_property
    def _facts_memo(self) -> dict[tuple, dict[str, Any]]:
        return {}

    @cached_property
    def derived(self) -> dict[str, Any]:
        """Repository-wide answers computed from its facts (`logger.infer`), once per
        repository; an overlay starts without them, as without the facts."""
        return {}

    # --- services ---

    @cached_property
    def services(self) -> list[Service]:
        """Directories with a package.json under services/, apps/ or packages/, or that are built
        as an image (a compose service's build context, or beside a Dockerfile: the MERN layout's
        `server/` and `client/`), the root, and the applications a monorepo tool's project files
        list without a package.json of their own (`_project_apps`)."""
        self._finding_services = True  # (what a file is may hang on them: `run_by_node`)
        try:
            return self._find_services()
        finally:
            self._finding_services = False

    def _find_services(self) -> list[Service]:
        found = []
        built: set[str] | None = None
        manifests = {posixpath.dirname(path): path for path in self.paths()
                     if posixpath.basename(path) == "package.json" and not path_skip_reason(path)}
        for directory, path in manifests.items():
            # under services/ (apps/, packages/) a package is a service, unless it sits inside another
            # one (a Ghost theme in `services/ghost/content/themes/casper`): then, as anywhere else,
            # only when it is built as an image of its own
            inside = directory.startswith(_SERVICE_PARENTS) and _inside_another(directory, manifests)
            if directory and (inside or not directory.startswith(_SERVICE_PARENTS)):
                if built is None:
                    built = self._image_dirs()
                if directory not in built:
                    continue
            package = self._package(path)
            name = posixpath.basename(directory) if directory else str(package.get("name") or self.root.name)
            found.append(Service(name=name, dir=directory, package=package))
        self._declared_entries = {}
        for app in self._project_apps():
            if app.dir in manifests or any(s.dir == app.dir for s in found):
                continue
            outer = _holder({d: d for d in manifests}, posixpath.dirname(app.dir))
            found.append(Service(name=app.name, dir=app.dir, package=_governing(self._package(manifests[outer]))
                                 if outer is not None else {}))
            if app.entry:
                self._declared_entries[app.dir] = app.entry
        for service in found:
            self._describe(service)
        self._link_compose(found)
        return sorted(found, key=lambda s: (-len(s.dir), s.dir))

    def _project_apps(self) -> list["ProjectApp"]:
        """The applications a monorepo tool lists whose directories have no package.json: each
        `"type": "application"` project of a Nest CLI monorepo (`nest generate app billing`:
        nest-cli.json `projects`, entry `<sourceRoot>/<entryFile>.ts`) and each Nx project.json
        with `"projectType": "application"` that runs on Node (a `:node`/`:execute` serve executor,
        a build for the `node` target or platform, or an image built from its directory), never an
        `-e2e` project. Each is a process and an image of its own, as a package would be."""
        apps = []
        files = [p for p in self.paths() if posixpath.basename(p) in ("nest-cli.json", "project.json", "nx.json")]
        workspaces = {posixpath.dirname(p): posixpath.dirname(p) for p in files if p.endswith("nx.json")}
        for path in files:
            name = posixpath.basename(path)
            if name == "nx.json" or path_skip_reason(path):
                continue
            data = self._package(path)  # (a JSON object, or {})
            base = posixpath.dirname(path)
            if name == "nest-cli.json":
                projects = data.get("projects")
                for key, project in (projects.items() if isinstance(projects, dict) else ()):
                    root = project.get("root") if isinstance(project, dict) else None
                    if not isinstance(root, str) or not root.strip("./") or project.get("type") != "application":
                        continue
                    source_root, entry = project.get("sourceRoot"), project.get("entryFile") or "main"
                    entry_path = posixpath.normpath(posixpath.join(base, source_root, f"{entry}.ts")) \
                        if isinstance(source_root, str) and isinstance(entry, str) else None
                    apps.append(ProjectApp(str(key), posixpath.normpath(posixpath.join(base, root)), entry_path))
            elif data.get("projectType") == "application" and base and not base.endswith("-e2e") \
                    and not str(data.get("name") or "").endswith("-e2e"):
                targets = data.get("targets")
                targets = targets if isinstance(targets, dict) else {}
                if not (_runs_on_node(targets) or base in self._image_dirs()):
                    continue
                build = targets.get("build") if isinstance(targets.get("build"), dict) else {}
                main = (build.get("options") or {}).get("main") if isinstance(build.get("options"), dict) else None
                workspace = _holder(workspaces, base)
                entry_path = posixpath.normpath(posixpath.join(workspace or "", main)) if isinstance(main, str) else None
                apps.append(ProjectApp(str(data.get("name") or posixpath.basename(base)), base, entry_path))
        return [app for app in apps if not path_skip_reason(app.dir + "/")]

    def _image_dirs(self) -> set[str]:
        """The directories built as images: a compose service's build context, a Dockerfile's."""
        return {c.context for c in self.compose_services if c.context} | {
            posixpath.dirname(p) for p in self.paths_of({"dockerfile"})}

    @cached_property
    def packages(self) -> dict[str, dict[str, Any]]:
        """Every package of the repository, services or not (`shared/`, `libs/x`): the
        directory of each package.json (vendored and skipped ones aside) -> its manifest."""
        return {posixpath.dirname(path): self._package(path) for path in self.paths()
                if posixpath.basename(path) == "package.json" and not path_skip_reason(path)}

    def _package(self, path: str) -> dict[str, Any]:
        source_file = self.read(path)
        if source_file is None:
            return {}
        try:
            data = json.loads(source_file.data)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _describe(self, service: Service) -> None:
        base = service.dir + "/" if service.dir else ""
        service.aliases.add(service.name)
        package_name = str(service.package.get("name") or "")
        if package_name:
            service.aliases.add(package_name.split("/")[-1])
        service.dockerfiles = list(dict.fromkeys(
            self.followed(path) for path in self.paths_of({"dockerfile"}) if posixpath.dirname(path) == service.dir))
        service.entry = self._entry_point(service, base)
        service.port = self._port(service)

    def _entry_point(self, service: Service, base: str) -> str | None:
        from fixer.scripts import files_run  # (fixer.scripts reads the services this module builds)

        declared = self._declared_entries.get(service.dir)  # (from the repository's root)
        if declared and self.exists(declared) and not path_skip_reason(declared):
            return declared
        hints = []
        main = service.package.get("main")
        if isinstance(main, str):
            hints.append(main)
        scripts = service.package.get("scripts") or {}
        for script in ("start", "dev", "start:dev", "serve"):
            command = scripts.get(script) if isinstance(scripts, dict) else None
            if isinstance(command, str):
                hints += re.findall(r"[\w./-]+\.(?:ts|js|mjs|cjs)\b", command) or files_run(command)
        hints += self.image_runs(service)
        for hint in hints:
            hint = posixpath.normpath(hint.removeprefix("./"))
            options = [hint]
            stem = re.sub(r"\.(c|m)?js$", "", hint)
            for prefix in ("dist/", "build/", "lib/", "out/"):
                if stem.startswith(prefix):
                    options += [f"src/{stem[len(prefix):]}.ts", f"{stem[len(prefix):]}.ts"]
            options += [stem + ".ts", stem + ".js"]
            for option in options:
                if self.exists(base + option) and not path_skip_reason(base + option):
                    return base + option
        for candidate in _ENTRY_CANDIDATES:
            if self.exists(base + candidate):
                return base + candidate
        return None

    def image_runs(self, service: Service) -> list[str]:
        """The files the service's image runs, relative to its directory: its Dockerfiles' ENTRYPOINT
        and CMD (`CMD ["node", "src/worker.mjs"]`, `node dist/worker.js`), the package.json script
        they name (`npm start`, `npm run serve`), or what a shell script of the repository they run
        does (`_shell_scripts_run`)."""
        from fixer.scripts import files_run  # (fixer.scripts reads the services this module builds)

        scripts = service.package.get("scripts") if isinstance(service.package, dict) else None
        scripts = scripts if isinstance(scripts, dict) else {}
        found = []
        for dockerfile, instructions in self._images(service):
            last = {i.cmd: " ".join(i.value) for i in instructions if i.cmd in ("ENTRYPOINT", "CMD")}
            command = " ".join(last[key] for key in ("ENTRYPOINT", "CMD") if key in last)
            # (`ENTRYPOINT ["tini", "--"]` before `CMD node dist/x.js`: a CMD run by an init)
            commands = [command] + self._shell_scripts_run(service, dockerfile, instructions, command)
            for each in commands:
                found += files_run(each) or (files_run(last.get("CMD", "")) if each is command else [])
                for match in RUN_SCRIPT.finditer(each):
                    script = scripts.get(match.group(1))
                    if isinstance(script, str):
                        found += files_run(script) or re.findall(r"[\w./-]+\.(?:ts|js|mjs|cjs)\b", script)
        return found

    def _shell_scripts_run(self, service: Service, dockerfile: SourceFile, stage: list[Any], command: str) -> list[str]:
        """The lines of the shell scripts of the repository a command runs (`CMD
        ["/app/docker/entrypoint.sh"]` whose `exec node ./bin/server "$@"` starts redis-commander),
        found in the image as a probe's script is (`probes._written_at`: against the stage's WORKDIR,
        through its COPY from the service's directory, a `COPY --from` build stage's, a `COPY <<EOF`
        heredoc), with paths under the WORKDIR made relative to it (where the image's commands run)."""
        from fixer.probes import _written_at
        from fixer.scripts import stage_copies

        workdir = stage_copies(stage)[0]
        lines = []
        for word in command.split():
            word = word.strip("'\"[],")
            if not word.endswith(".sh"):
                continue
            written = _written_at(self, stage, [service.dir], posixpath.normpath(posixpath.join(workdir, word)), dockerfile)
            path = written.file if written is not None else None
            if written is None or written.unread or path is not None and path_skip_reason(path):
                continue
            data = written.text.encode("utf-8") if path is None else \
                self._overlay[path] if path in self._overlay else self._read_source(path)
            text = (data or b"").decode("utf-8", "replace")
            for line in text.splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    lines.append(line.replace(workdir.rstrip("/") + "/", "") if workdir != "/" else line)
        return lines

    def _images(self, service: Service) -> Iterator[tuple[SourceFile, list[Any]]]:
        """Each of the service's Dockerfiles that parses, and the instructions of the image it builds: its
        final stage's, after those of the stages it is built `FROM` (`dockerfile.stage_chain`)."""
        for path in service.dockerfiles:
            source_file = self.read(path)
            if source_file is None:
                continue
            try:
                chain = dockerfile_parser.stage_chain(source_file.instructions)
                yield source_file, [i for i in source_file.instructions if i.stage in chain]
            except ParseError:
                continue

    def _final_stages(self, service: Service) -> Iterator[list[Any]]:
        """The instructions of the final stage of each of the service's Dockerfiles that parses."""
        for path in service.dockerfiles:
            source_file = self.read(path)
            if source_file is None:
                continue
            try:
                yield dockerfile_parser.final_stage(source_file.instructions)
            except ParseError:
                continue

    def _port(self, service: Service) -> int | None:
        """The port the service listens on: its image's `ENV PORT=…` (what the code's `PORT || 3000`
        reads in the container), else a default or literal port in its entry point, else its image's
        EXPOSE."""
        for instructions in self._final_stages(service):
            set_port = [value for i in instructions if i.cmd == "ENV"
                        for key, value in zip(i.value[::2], i.value[1::2]) if key == "PORT"]
            if set_port and re.fullmatch(r"\d{2,5}", set_port[-1].strip()):
                return int(set_port[-1].strip())
        if service.entry and not self.skip_reason(service.entry):
            # (its bytes, not `read`: what kind of file it is may hang on the services being found)
            data = self._overlay.get(service.entry) or self._read_source(service.entry)
            found = [match.groups() for match in _PORT_DEFAULT.finditer(data)]  # (a `PORT ||` default first)
            port = next((default for default, _ in found if default), None) or next((n for _, n in found if n), None)
            if port:
                return int(port)
        for instructions in self._final_stages(service):
            for instruction in instructions:
                if instruction.cmd == "EXPOSE" and instruction.value:
                    digits = re.match(r"\d+", instruction.value[0])
                    if digits:
                        return int(digits.group(0))
        return None

    def is_production_code(self, path: str) -> bool:
        """`is_production_code`, judged inside the file's service and true of what the service runs:
        the service's own directory name is not a folder of its code (`services/bench/src/x.ts` is
        the bench service's code, not a benchmark; `examples/demo/`, a service under examples/, is
        still an example), and a file the service runs as its process is its code whatever its
        folder (express-generator's `bin/www`: `scripts.runs_of`), and so is a configuration module its
        framework's runner loads into that process (`runtime_configs`: moleculer.config.js)."""
        service = self.service_for(path)
        if service is None or not service.dir:
            return is_production_code(path) or path in self.processes or path in self.runtime_configs
        outer = posixpath.dirname(service.dir)
        return is_production_code(posixpath.join(outer, path[len(service.dir) + 1:])) or \
            ((path in self.processes or path in self.runtime_configs) and is_production_code(outer + "/"))

    @cached_property
    def runtime_configs(self) -> frozenset[str]:
        """The configuration modules a framework's runner loads into the service's own process when the
        service starts (`"start": "moleculer-runner"` loads moleculer.config.js: its broker's started(),
        stopped() and errorHandler run in the service): service code, though named like a build tool's
        `*.config.js`. Found from the scripts that run the service (`scripts.SERVICE_SCRIPT`)."""
        from fixer.scripts import SERVICE_SCRIPT  # (fixer.scripts reads the services this module builds)

        found = set()
        for service in self.services:
            scripts = service.package.get("scripts") if isinstance(service.package, dict) else None
            base = service.dir + "/" if service.dir else ""
            for name, command in scripts.items() if isinstance(scripts, dict) else ():
                if not isinstance(command, str) or not SERVICE_SCRIPT.search(str(name)):
                    continue
                for runner, (options, default) in _RUNTIME_CONFIG_RUNNERS.items():
                    for used in re.finditer(r"(?:^|[\s/])" + re.escape(runner) + r"(?![\w-])([^&|;]*)", command):
                        words = [w.strip("'\"") for w in used.group(1).split()]
                        named = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in options), None)
                        candidates = [named] if named else [default + ext for ext in (".js", ".ts", ".cjs", ".mjs")]
                        found.update(posixpath.normpath(base + c.removeprefix("./")) for c in candidates
                                     if self.exists(posixpath.normpath(base + c.removeprefix("./"))))
        return frozenset(found)

    @cached_property
    def processes(self) -> frozenset[str]:
        """What each service runs as its own process (`scripts.runs_of`): its entry point, `main`,
        what its start scripts and its image run."""
        return frozenset(path for runs in self.runs.values() for path in runs.process)

    def service_for(self, path: str) -> Service | None:
        """The deepest service whose directory contains `path`."""
        memo = self._service_memo
        if path in memo:
            return memo[path]
        by_dir = self._services_by_dir
        directory = path
        while directory not in by_dir and directory:
            directory = directory.rpartition("/")[0]
        memo[path] = by_dir.get(directory)
        return memo[path]

    @cached_property
    def _service_memo(self) -> dict[str, Service | None]:
        return {}

    @cached_property
    def _services_by_dir(self) -> dict[str, Service]:
        return {service.dir: service for service in self.services}

    def service_named(self, name: str) -> Service | None:
        for service in self.services:
            if name in service.aliases:
                return service
        return None

    # --- compose ---

    @cached_property
    def compose_files(self) -> dict[str, ComposeFile]:
        """Every compose file (path -> `ComposeFile`): each file named like one, and each YAML file of
        the repository that one of them pulls in — with `include:` or by `extends: file:` —, and those
        pull in, and so on (`compose_references`). Only compose files are read for references, never
        every YAML file; one that cannot be read or parsed pulls in nothing (it is reported where it
        is read)."""
        found: dict[str, dict[str, Any]] = {path: {"named": True, "included": False, "extended": False,
                                                   "project": posixpath.dirname(path)}
                                            for path in self._by_name.get("compose", ())}
        todo = sorted(found, reverse=True)
        done: set[str] = set()
        while todo:
            path = todo.pop()
            if path in done:
                continue
            done.add(path)
            for how, target, project in compose_references(path, self._compose_documents(path)):
                if target not in found:
                    if target not in self._entries or classify(target) != "yaml":
                        continue  # (not in the repository, or no YAML file: a JSON compose file is not read as one)
                    found[target] = {"named": False, "included": False, "extended": False, "project": project,
                                     "pulled_by": ()}
                    todo.append(target)
                fields = found[target]
                if path not in fields.setdefault("pulled_by", ()):
                    fields["pulled_by"] += (path,)
                if how == "include":
                    if not fields["included"] and not fields["named"]:
                        fields["project"] = project  # (an include's project_directory: its relative paths' base)
                    fields["included"] = True
                else:
                    fields["extended"] = True
        return {path: ComposeFile(path, **fields) for path, fields in sorted(found.items())}

    def compose_roots(self, path: str) -> list[str]:
        """The compose files named like one that pull in the compose file at `path` (through
        `include:` or `extends: file:`, directly or through others): those `docker compose -f`
        reads it with. [path] for one named like a compose file; [] for a file no compose file names."""
        roots, seen, todo = [], set(), [path]
        while todo:
            current = todo.pop()
            found = self.compose_files.get(current)
            if found is None or current in seen:
                continue
            seen.add(current)
            if found.named:
                roots.append(current)
            else:
                todo.extend(found.pulled_by)
        return sorted(roots)

    @cached_property
    def _compose_by_reference(self) -> frozenset[str]:
        """The compose files named like none (`compose_files`): YAML files by their names."""
        return frozenset(path for path, found in self.compose_files.items() if not found.named)

    def _compose_documents(self, path: str) -> list[yamlfile.Node]:
        """A compose file's YAML documents, read for what it pulls in ([] when it cannot be read or
        does not parse). A file named like none is parsed from its bytes: made a `SourceFile` now, it
        would ask its kind, which this decides."""
        if classify(path) == "compose":
            source_file = self.read(path)
            try:
                return source_file.yaml_documents if source_file is not None else []
            except ParseError:
                return []
        entry = self._entries.get(path)
        if entry is None or entry.mode in (SYMLINK, SUBMODULE) or self.skip_reason(path):
            return []
        try:
            data = self._overlay[path] if path in self._overlay else self._read_source(path)
            if data is None or len(data) > self.config.max_file_size or b"\0" in data[:8192]:
                return []
            return yamlfile.compose_all(data)
        except (OSError, ValueError):  # (YamlError, UnicodeDecodeError: it is reported where it is read)
            return []

    @cached_property
    def _compose_nodes(self) -> list[tuple[str, str, yamlfile.MappingNode]]:
        """(file, name, node) of each service of each compose file that parses, in order; those of a
        file only `extends:` reads too."""
        found = []
        for source_file in self.files({"compose"}):
            try:
                documents = source_file.yaml_documents
            except ParseError as problem:  # (said where skips are: no fix reads it, whatever it holds)
                self.skips.setdefault(source_file.path, str(problem))
                continue
            for document in documents:
                for name, node in yamlfile.items(yamlfile.get(document, "services")):
                    if isinstance(node, yamlfile.MappingNode):
                        found.append((source_file.path, name, node))
        return found

    @cached_property
    def compose_definitions(self) -> dict[tuple[str, str], yamlfile.MappingNode]:
        """(file, name) -> the node of every service definition of the compose files (`_compose_nodes`),
        those other services only extend included: what `extends:` names."""
        found: dict[tuple[str, str], yamlfile.MappingNode] = {}
        for path, name, node in self._compose_nodes:
            found.setdefault((path, name), node)
        return found

    @cached_property
    def compose_services(self) -> list[ComposeService]:
        """The services of the compose files compose runs (`ComposeFile.runs`: named like a compose
        file, or pulled in with `include:`; each file's services apart, a base's and its override's
        alike), each with the services it extends (`extends:`, resolved across files) and its build
        and image, its own or else the nearest of those it extends (a relative path from the
        directory of the file that says it, or an include's `project_directory`), else those of the
        same-named service of the files its file is layered on (`bases`: an override's or a
        `docker-compose.prod.yml`'s `search:` that sets only a healthcheck runs the base's
        `search:` build). The services of a file that `extends: file:` only reads are no services of
        their own: see `compose_definitions`, `compose_value`."""
        found = []
        files = self.compose_files
        for path, name, node in self._compose_nodes:
            if path in files and not files[path].runs:
                continue
            chain = self._extends_chain(path, name, node)
            definitions = [(path, node)] + [(at[0], self.compose_definitions[at]) for at in chain]
            build = next(((f, n) for f, n in definitions if yamlfile.get(n, "build") is not None), None)
            context, dockerfile = _build_paths(self._compose_project(build[0]), yamlfile.get(build[1], "build")) \
                if build is not None else (None, None)
            dockerfile = self.followed(dockerfile) if dockerfile else dockerfile
            image = next((i for _, n in definitions if (i := yamlfile.get(n, "image")) is not None), None)
            found.append(
                ComposeService(
                    path, name, node, context, dockerfile,
                    image.value if isinstance(image, yamlfile.ScalarNode) else None, tuple(chain),
                )
            )
        return self._layered(found)

    def _layered(self, found: list[ComposeService]) -> list[ComposeService]:
        """Each compose service joined to the same-named services of the files its file is layered on
        (`compose_layered_on`), taking the build and the image it lacks from the first that has them
        (compose merges the files key by key: one container)."""
        by_key = {(compose.file, compose.name): compose for compose in found}
        layered_on = {path: self.compose_layered_on(path) for path in {compose.file for compose in found}}
        joined = []
        for compose in found:
            bases = [by_key[path, compose.name] for path in layered_on[compose.file] if (path, compose.name) in by_key]
            if bases:
                built = compose if compose.context is not None else next((b for b in bases if b.context is not None), compose)
                image = compose.image or next((b.image for b in bases if b.image), None)
                compose = ComposeService(compose.file, compose.name, compose.node, built.context, built.dockerfile,
                                         image, compose.extends, tuple((b.file, b.name) for b in bases))
            joined.append(compose)
        return joined

    def compose_layered_on(self, path: str) -> list[str]:
        """The compose files compose merges the compose file at `path` over (its services override
        their same-named ones key by key): for a file named like a compose file that is no base — an
        override (`docker-compose.override.yml`, read by default beside the base), a
        `docker-compose.prod.yml`, `compose.ci.yaml` (read with `-f docker-compose.yml -f …`) —, the
        base files beside it (`compose.yaml`, `docker-compose.yml`, …, in compose's order) and the files
        they pull in with `include:` (whose services are the base's project's). [] for a base, and for
        a file pulled in (an included file gets no override; an extended one runs nothing)."""
        from fixer.parsing import compose_edit  # (compose_edit reads nothing of this module)

        files = self.compose_files
        found = files.get(path)
        if found is None or not found.named or found.included or compose_edit.role(path) == "base":
            return []
        directory = posixpath.dirname(path)
        bases = [base for name in compose_edit.BASE_NAMES
                 if (base := posixpath.join(directory, name)) in files and files[base].named]
        pulled = [other for other, compose_file in files.items()
                  if compose_file.included and other not in bases and set(self.compose_roots(other)) & set(bases)]
        return bases + pulled

    def compose_bases(self, compose: ComposeService) -> list[ComposeService]:
        """The same-named services of the files the file of a compose service is layered on (`bases`),
        as `compose_services` has them."""
        if not compose.bases:
            return []
        by_key = {(other.file, other.name): other for other in self.compose_services}
        return [by_key[at] for at in compose.bases if at in by_key]

    def _compose_project(self, path: str) -> str:
        found = self.compose_files.get(path)
        return found.project if found is not None else posixpath.dirname(path)

    def _extends_chain(self, path: str, name: str, node: yamlfile.MappingNode) -> list[tuple[str, str]]:
        """The services (file, name) a compose service extends, nearest first (`extended_service`),
        as far as they are found (a cycle, or a service no compose file defines, ends it)."""
        chain: list[tuple[str, str]] = []
        at = extended_service(path, node)
        while at is not None and at in self.compose_definitions and at != (path, name) and at not in chain:
            chain.append(at)
            at = extended_service(at[0], self.compose_definitions[at])
        return chain

    def compose_value(self, compose: ComposeService, *keys: str) -> tuple[str, str, yamlfile.Node] | None:
        """(file, service name, node) of the value at `keys` (`"healthcheck", "test"`) that a compose
        service runs with: its own, else that of the nearest service it extends (compose merges
        theirs under its own, key by key). None: neither sets it."""
        for file, name in ((compose.file, compose.name), *compose.extends):
            node = compose.node if (file, name) == (compose.file, compose.name) else self.compose_definitions.get((file, name))
            value = yamlfile.get_path(node, *keys)
            if value is not None:
                return file, name, value
        return None

    def compose_users(self, file: str, name: str, *keys: str) -> list[ComposeService]:
        """The compose services that run with the value at `keys` of service `name` of `file`
        (`compose_value`): that service, when compose runs it, and each that extends it (itself or
        through others) without setting the value itself."""
        return [compose for compose in self.compose_services
                if ((compose.file, compose.name) == (file, name) or (file, name) in compose.extends)
                and (found := self.compose_value(compose, *keys)) is not None and found[:2] == (file, name)]

    def _link_compose(self, services: list[Service]) -> None:
        """Each compose service's service (its aliases and Dockerfile), then each Dockerfile no
        compose file names that is in no service's directory but the root's (`docker/booking.Dockerfile`,
        built with `docker build -f … .`): the service it builds, as the Dockerfile tells."""
        by_dir = {service.dir: service for service in services}
        links: dict[tuple[str, str], Service | None] = {}
        for compose in self.compose_services:
            service = self._service_of_build(by_dir, compose)
            if service is None and compose.context is None and compose.image:
                # built elsewhere (CI pushes it): `registry/kc/booking-service:${TAG}`
                name = image_name(compose.image)
                service = next((s for s in services if s.dir and name in s.aliases), None)
            links[(compose.file, compose.name)] = service
            if service is None:
                continue
            service.aliases.add(compose.name)
            if compose.dockerfile and compose.dockerfile not in service.dockerfiles:
                service.dockerfiles.append(compose.dockerfile)
                self._unlink_from_context(by_dir, service, compose.context or "", compose.dockerfile)
        named = {compose.dockerfile for compose in self.compose_services if compose.dockerfile}
        for path in self.paths_of({"dockerfile"}):
            holder = _holder(by_dir, posixpath.dirname(path))
            if path in named or path_skip_reason(path) or (holder is not None and holder.dir):
                continue
            service = self._built_by(by_dir, path, "", None)
            if service is not None and path not in service.dockerfiles:
                service.dockerfiles.append(path)
                self._unlink_from_context(by_dir, service, "", path)
        self.__dict__["_compose_links"] = links  # (rewritten whenever the services are found again)

    @staticmethod
    def _unlink_from_context(by_dir: dict[str, Service], service: Service, context: str, dockerfile: str) -> None:
        """A Dockerfile at the root of a build context that builds a service below it (`COPY
        apps/booking …`) is that service's, not the context's."""
        outer = by_dir.get(context)
        if outer is not None and outer is not service and dockerfile in outer.dockerfiles:
            outer.dockerfiles.remove(dockerfile)

    def service_of_compose(self, compose: ComposeService) -> Service | None:
        """The service a compose service runs: by its Dockerfile and build context, else by image name."""
        self.services  # (finding the services links each compose service to its own)
        links = self.__dict__.get("_compose_links", {})
        if (compose.file, compose.name) in links:
            return links[(compose.file, compose.name)]
        if compose.context is not None:
            return self._service_of_build(self._services_by_dir, compose)
        if compose.image:
            name = image_name(compose.image)
            return next((s for s in self.services if s.dir and name in s.aliases), None)
        return None

    def _service_of_build(self, by_dir: dict[str, Service], compose: ComposeService) -> Service | None:
        """The service a compose build builds: the service directory that holds its Dockerfile
        (`context: .`, `dockerfile: services/api/Dockerfile` builds services/api, not the
        workspace root); else, when a service lies below the build context, the one the
        Dockerfile or the compose service's name tells (`context: .`, `dockerfile:
        docker/booking.Dockerfile` that copies, builds or runs apps/booking); else the context."""
        if compose.context is None:
            return None
        directory = posixpath.dirname(compose.dockerfile or "")
        while directory not in by_dir and directory != compose.context and directory:
            directory = posixpath.dirname(directory)
        # a Dockerfile outside the context says nothing of what it builds (COPY reads the context)
        within = not compose.context or directory == compose.context or directory.startswith(compose.context + "/")
        if within and directory != compose.context and directory in by_dir:
            return by_dir[directory]
        built = self._built_by(by_dir, compose.dockerfile, compose.context, compose.name) if compose.dockerfile else None
        return built or by_dir.get(directory if within else compose.context)

    def _built_by(self, by_dir: dict[str, Service], dockerfile: str, context: str, name: str | None) -> Service | None:
        """The service below the build context `context` that the Dockerfile builds, None when it
        tells none or several. What the image runs says it first (`CMD ["node",
        "apps/booking/dist/index.js"]`, a `WORKDIR` in it, a `--filter`/`--workspace` in the command
        or the script it runs), then the compose service's name (`booking`: a package's directory or
        name), then what it builds (`turbo prune @acme/booking`, `pnpm --filter @acme/booking… build`,
        `npm run build --workspace apps/booking`), then what it copies (`COPY apps/booking …`, beside
        the context's own code if it has any). Of several, a package another depends on is only
        built for it (`@acme/logger` for `@acme/booking`)."""
        below = [s for s in by_dir.values() if s.dir != context and (not context or s.dir.startswith(context + "/"))]
        if not below:
            return None
        instructions = self._dockerfile_instructions(dockerfile)
        last = max((i.stage for i in instructions), default=-1)
        outer = by_dir.get(context)
        scripts = outer.package.get("scripts") if outer is not None else None
        runs, builds, copies = [], [], []
        for instruction in instructions:
            text = " ".join(instruction.value)
            if instruction.cmd in ("CMD", "ENTRYPOINT") and instruction.stage == last:
                runs.append(text)
                for match in RUN_SCRIPT.finditer(text):
                    script = scripts.get(match.group(1)) if isinstance(scripts, dict) else None
                    if isinstance(script, str):  # `CMD ["npm", "start"]`: the context's start script
                        runs.append(script)
            elif instruction.cmd == "WORKDIR":
                (runs if instruction.stage == last else builds).append(text)
            elif instruction.cmd == "RUN":
                builds.append(text)
            elif instruction.cmd in ("COPY", "ADD"):
                copies.append(" ".join(instruction.value[:-1]))  # (the sources: the last is the destination)
        own = [outer] if outer is not None and outer.entry is not None else []  # (the context's own code)
        tiers: list[list[Service]] = [
            _named_in(runs, below, context),
            [s for s in below if name and name in _package_names(s, context) | {s.name}],
            _named_in(builds, below, context),
            _named_in(copies, below, context) + (own if copies else []),
        ]
        for found in tiers:
            found = self._not_dependencies(found)
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def _dockerfile_instructions(self, path: str) -> list[dockerfile_parser.Instruction]:
        source_file = self.read(path) if self.exists(path) else None
        if source_file is None or source_file.kind != "dockerfile":
            return []
        try:
            return source_file.instructions
        except ParseError:  # (what it builds is unknown: the context's, as without a Dockerfile)
            return []

    def _not_dependencies(self, services: list[Service]) -> list[Service]:
        """The services no other of them depends on, directly or through workspace packages."""
        unique = list({s.dir: s for s in services}.values())
        if len(unique) < 2:
            return unique
        by_name = {str(m.get("name")): d for d, m in self.packages.items() if m.get("name")}

        def uses(directory: str) -> set[str]:
            manifest = self.packages.get(directory, {})
            return {by_name[n] for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
                    if isinstance(manifest.get(key), dict) for n in manifest[key] if n in by_name} - {directory}

        reached: set[str] = set()
        for service in unique:
            todo = list(uses(service.dir))
            seen: set[str] = set()
            while todo:
                package = todo.pop()
                if package not in seen:
                    seen.add(package)
                    todo += uses(package)
            reached |= seen
        return [s for s in unique if s.dir not in reached]

    def service_of_dockerfile(self, path: str) -> Service | None:
        for service in self.services:
            if path in service.dockerfiles:
                return service
        return None


@lru_cache(maxsize=None)
def _row_base(max_file_size: int) -> str:
    """What every cached row depends on: fixer's code, not only its version (a fix changed
    without a new version, as on a development install, must not answer from old rows), and
    the size limit of the files it reads (a file's row says what its bytes hold, or that they
    are over the limit)."""
    return stable_digest(("row", code_digest(), max_file_size))


@dataclass
class PendingFacts:
    """Facts being gathered (see `Repo.facts_pending`)."""

    answers: dict[tuple, dict[str, Any]] = field(default_factory=dict)  # spec key -> facts, known already
    todo: list["FactsSpec"] = field(default_factory=list)  # the specs still to answer
    results: dict[tuple, dict[str, Any]] = field(default_factory=dict)  # spec key -> path -> outcome
    slots: list[str] = field(default_factory=list)  # each todo spec's slot in a file's cache row
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # the cache rows read
    missing: dict[str, list[int]] = field(default_factory=dict)  # path -> indexes into todo, to compute
    seeded: dict[str, dict[int, tuple]] = field(default_factory=dict)  # computed by whoever made the overlay
    needles: tuple[bytes, ...] = ()  # more needles each file read is tested for (`gather_all`)
    settled_by_record: dict[tuple, tuple[int, ...]] = field(default_factory=dict)  # (`_settle_without_reading`)


@dataclass(frozen=True)
class FactsSpec:
    """What `Repo.facts` gathers: a name, a `gather(file)` function, the file kinds and
    prefilter needles it wants, a version, and what else of the repository `gather` looks
    at (`structural`): nothing (False), which files exist ("files": `repo.exists`), also the
    services apart from compose ("services"), or the whole structure (True: also the
    compose model). See `Repo.structure_at`. Outcomes are cached and reused for as long as
    that stays the same."""

    name: str
    gather: Callable[["SourceFile"], Any] = field(compare=False)
    kinds: frozenset[str] = frozenset()
    prefilter: tuple[bytes, ...] = ()
    version: int = 1
    structural: bool | str = False  # False, "files", "services" or True

    @cached_property
    def key(self) -> tuple:
        return (self.name, self.version, self.prefilter, self.structural, tuple(sorted(self.kinds)))


# The modules a code file names in an import, a `require` or an `import()`, read from its bytes (no
# parse: one in a comment counts too, where a walk over the import graph errs on the side of reach)
_IMPORTED = re.compile(rb"""(?:\bfrom|\brequire\(|\bimport\()\s*['"]([^'"\n]+)['"]""")


def _imported_modules(source_file: "SourceFile") -> tuple[str, ...]:
    return tuple(sorted({m.group(1).decode("utf-8", "replace") for m in _IMPORTED.finditer(source_file.data)}))


IMPORTED_MODULES = FactsSpec("repo/imported-modules", _imported_modules, CODE_KINDS, (b"from", b"require", b"import"))


def _filtered_by_record(value: tuple, indexes: list[int], pending: PendingFacts) -> tuple[int, ...]:
    """The specs (of `indexes`) a file's needle record says its bytes rule out. The same for
    every file with the same record, and most files of a big repository share a few:
    decided once per record."""
    key = (value[1], value[2], tuple(indexes))
    found = pending.settled_by_record.get(key)
    if found is None:
        held, tested = _needle_set(value[1]), _needle_set(value[2])
        found = pending.settled_by_record[key] = tuple(
            index for index in indexes if (needles := pending.todo[index].prefilter)
            and tested.issuperset(needles) and held.isdisjoint(needles))
    return found


HELD = -1  # in `_gather_many`'s outcomes: which of the specs' prefilter needles the file holds


def _gather_many(repo: Repo, path: str, specs: list[FactsSpec], wanted: dict[str, list[int]],
                 also: tuple[bytes, ...] = ()) -> dict[int, tuple]:
    """One file, every spec that wants it: read (and parse) once. Under HELD, which of
    their prefilter needles (and of `also`) the file holds (for NEEDLES_SLOT: then a
    "filtered" outcome need not be stored, it follows from that)."""
    indexes = wanted[path]
    try:
        source_file = repo.file(path)
    except SkipFile as reason:
        return {index: ("skip", str(reason)) for index in indexes}
    needles = frozenset({needle for index in indexes for needle in specs[index].prefilter}.union(also))
    held = source_file.holds(needles)  # each needle tested once, for every spec
    outcomes = gather_file(source_file, [specs[index] for index in indexes], indexes, held)
    outcomes[HELD] = ("present", held)
    return outcomes


def gather_file(source_file: SourceFile, specs: list[FactsSpec], keys: list[Any],
                held: frozenset[bytes] | None = None) -> dict[Any, tuple]:
    """Every spec's outcome on one file, under the given keys: ("ok", facts), ("filtered",),
    ("skip", reason) or ("error", message). `held`: which of the specs' prefilter needles
    the file holds, when known."""
    outcomes: dict[Any, tuple] = {}
    for index, spec in zip(keys, specs):
        if spec.prefilter and (held.isdisjoint(spec.prefilter) if held is not None else
                               not any(needle in source_file.data for needle in spec.prefilter)):
            outcomes[index] = ("filtered",)
            continue
        try:
            outcomes[index] = ("ok", spec.gather(source_file))
        except ParseError as reason:
            outcomes[index] = ("skip", str(reason))
        except Exception as error:  # reported by the caller as the fix's internal error
            outcomes[index] = ("error", f"{type(error).__name__}: {error}")
    return outcomes


def _holder(by_dir: dict[str, Service], directory: str) -> Service | None:
    """The deepest service whose directory holds `directory`."""
    while directory not in by_dir and directory:
        directory = posixpath.dirname(directory)
    return by_dir.get(directory)


_PACKAGE_FLAG = re.compile(r"""(?:--filter|-F|--workspace|-w|--scope|--project|\bprune|\bworkspace|\bfocus)(?:=|\s+)["']?([^\s"';&|]+)""")


def _package_names(service: Service, context: str) -> set[str]:
    """What a command names the package of `service` by: its name, without its scope (pnpm's
    `--filter booking`), its directory below the build context."""
    names = {service.dir[len(context) + 1:] if context else service.dir}
    full = str(service.package.get("name") or "")
    if full:
        names |= {full, full.rsplit("/", 1)[-1]}
    return names


def _named_in(texts: list[str], services: list[Service], context: str) -> list[Service]:
    """The services the instruction texts name: by a package selector (`--filter @acme/booking...`,
    `--workspace=apps/booking`, `turbo prune @acme/booking`), or by a path through their directory
    below the build context (`apps/booking/dist/index.js`, `/app/apps/booking`)."""
    found = []
    for text in texts:
        selected = {_selector(m.group(1)) for m in _PACKAGE_FLAG.finditer(text)}
        tokens = [t for t in re.split(r"[\s\"'=,;:{}()\[\]]+", text) if t and not t.startswith(("@", "-", "$"))]
        # (a path in the image, `/usr/src/app`, names a directory of the repository only by
        # more than one segment: `/app/apps/booking`)
        paths = [(t.startswith("/"), "/" + "/".join(p for p in t.split("/") if p not in ("", ".")) + "/") for t in tokens]
        for service in services:
            relative = service.dir[len(context) + 1:] if context else service.dir
            if selected & _package_names(service, context) or \
                    any(f"/{relative}/" in path and (not absolute or "/" in relative) for absolute, path in paths):
                found.append(service)
    return found


def _selector(value: str) -> str:
    """pnpm's `@acme/booking...`, `...^@acme/booking`, `{./apps/booking}`, `!x`: the package it names."""
    value = value.strip("!{}").removeprefix("...").removeprefix("^").removesuffix("...").removesuffix("^")
    value = value.strip("{}").removeprefix("./").rstrip("/")
    return value


def image_name(image: str) -> str:
    """`registry.example.com/kc/booking-service:1.2` -> `booking-service`."""
    return re.split(r"[:@]", image.rsplit("/", 1)[-1], maxsplit=1)[0]


def _build_paths(base: str, build: yamlfile.Node | None) -> tuple[str | None, str | None]:
    if isinstance(build, yamlfile.ScalarNode):
        context, dockerfile = str(build.value), "Dockerfile"
    elif isinstance(build, yamlfile.MappingNode):
        context_node = yamlfile.get(build, "context")
        dockerfile_node = yamlfile.get(build, "dockerfile")
        context = str(context_node.value) if isinstance(context_node, yamlfile.ScalarNode) else "."
        dockerfile = str(dockerfile_node.value) if isinstance(dockerfile_node, yamlfile.ScalarNode) else "Dockerfile"
    else:
        return None, None
    if "://" in context or context.startswith("$"):
        return None, None
    resolved = posixpath.normpath(posixpath.join(base, context))
    if resolved.startswith(".."):
        return None, None
    resolved = "" if resolved == "." else resolved
    return resolved, posixpath.normpath(posixpath.join(resolved, dockerfile))


def open_repo(path: Path, config: Config, *, base: str | None = None, working_tree: bool = False) -> Repo:
    """The repository at `path`: a commit (`base`), the working tree, or a plain directory."""
    root = path.resolve()
    git = GitRepo.discover(root)
    if git is None:
        refuse_git_internals(root)
        return Repo(root, DirectorySource(root, plain=True), config)
    prefix = os.path.relpath(root, git.root).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    if working_tree:
        return Repo(root, WorkingTreeSource(git, prefix, root), config, git, prefix)
    commit = git.resolve(base or "HEAD")
    checkout = root if base is None or commit == git.head() else None  # (an orphan branch: no HEAD commit)
    repo = Repo(root, GitTreeSource(git, commit, prefix, checkout), config, git, prefix)
    repo.preload_soon()
    return repo


def refuse_git_internals(root: Path) -> None:
    """A bare repository, or a directory inside `.git`, is no plain directory of files: read
    as one, it would hold no source and the audit would report nothing to fix."""
    if shutil.which("git") is None:
        return
    result = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-bare-repository", "--is-inside-git-dir"],
                            capture_output=True, text=True)
    if result.returncode == 0 and "true" in result.stdout.split():
        raise UsageError(f"{root} is a bare git repository or inside one's git directory; fixer reads a checkout "
                         "(clone it, or give the clone's directory)")
