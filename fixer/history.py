"""Where a secret value appears in git history: which commits added it, at which paths.

Removing a secret from the latest commit leaves it in every earlier one, so the fix that
removes it reports where it still is. Values never reach a git command line (where
`ps` would show them): git lists which blobs each commit added (`git log --raw`), the
blobs are read through `git cat-file --batch` on stdin, and searched here in Python.
A commit added a value at a path when its blob there holds the value and the blob its
parent had there does not (for a merge: none of its parents' blobs): a commit that only
edits other lines of the file, or carries the file over (fixer's own commits, a stash
made on one of them), added nothing.
Every line this module writes shows a value only as its first 4 characters and its
length (`fixer.redact.mask`).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from fixer import __version__
from fixer.cache import stable_digest
from fixer.errors import FixerError
from fixer.redact import mask

if TYPE_CHECKING:  # pragma: no cover
    from fixer.gitops import GitRepo
    from fixer.repo import Repo
    from fixer.runner import FixRun

MAX_BLOB = 10 * 1024 * 1024  # bigger blobs (media, dumps) are not searched
MAX_TOTAL = 2 * 1024 * 1024 * 1024  # stop reading after this much; the report says so
SHOWN_COMMITS = 5
_NO_BLOB = "0" * 40
_GITLINK = b"160000"  # a tree entry's mode for a submodule
# git >= 2.44 then never fetches a missing object from a promisor remote (older git ignores it: `search`
# asks a partial clone for the objects it has only)
_NO_LAZY_FETCH = {"GIT_NO_LAZY_FETCH": "1"}


@dataclass(frozen=True)
class Sighting:
    commit: str
    date: str  # YYYY-MM-DD (committer date)
    path: str
    age: int = 0  # position in `git log --topo-order` (bigger is older): sorts equal dates right


@dataclass
class Search:
    found: dict[str, list[Sighting]] = field(default_factory=dict)  # value -> commits that added it
    complete: bool = True
    skipped_blobs: int = 0  # over MAX_BLOB
    shallow: bool = False
    missing_blobs: int = 0  # not in the object store: a partial clone's blobs never downloaded, or lost ones
    partial: bool = False  # a partial clone (`git clone --filter=…`): what it never downloaded is not fetched
    unsearched: str = ""  # why history was not searched at all (then `found` says nothing)
    hunted: set[str] = field(default_factory=set)  # values `hunt` found (not among those asked for)


@dataclass(frozen=True)
class Hunt:
    """What `search` also looks for in the blobs it reads: the values `find` gives for a blob's bytes,
    in the blobs added at a path `where` accepts (a lockfile, an image: never read for it alone)."""
    find: Callable[[bytes], Iterable[str]]
    where: Callable[[str], bool]


def search(git: "GitRepo", values: Iterable[str], local: Callable[[str], bytes | None] | None = None,
           hunt: Hunt | None = None) -> Search:
    """Every commit (on any ref) that added a blob containing one of `values`. `local`: the
    bytes of a blob when they are at hand (in memory, or a checked-out file that hashes to
    it), else None; only the others are read from the object store. `hunt`: in the same pass,
    the values it finds too (a secret deleted since: no file of the tree names it)."""
    wanted = sorted({v for v in values if v})
    result = Search({v: [] for v in wanted})
    if not wanted and hunt is None:
        return result
    result.shallow = git.text("rev-parse", "--is-shallow-repository") == "true"
    result.partial = is_partial(git)
    present: dict[str, int] | None = None
    if result.partial:
        if _trees_missing(git):
            result.unsearched = ("this is a partial clone without all of its commits' trees (`git clone --filter=tree:…`); "
                                 "history was not searched (git would download every old tree and file, one request each)")
            return result
        present = _present_blobs(git)
    introduced = _introduced_blobs(git)
    hunted_blobs: set[str] = set()
    if hunt is not None:
        hunted_blobs = {blob for blob, sightings in introduced.items() if any(hunt.where(s.path) for s, _ in sightings)}
        if not wanted:  # (only what the hunt reads)
            introduced = {blob: introduced[blob] for blob in hunted_blobs}
    needles = [(value, value.encode("utf-8")) for value in wanted]
    held: dict[str, frozenset[str]] = {}  # blob -> the wanted values it holds (blobs holding one only)
    total = 0
    for blob, data in _local_then_git(git, introduced, local, result, present):
        total += len(data)
        if total > MAX_TOTAL:
            result.complete = False
            break
        holds = frozenset(value for value, needle in needles if needle in data)
        if hunt is not None and blob in hunted_blobs:
            more = frozenset(hunt.find(data)) - holds
            result.hunted |= more - set(wanted)
            holds |= more
        if holds:
            held[blob] = holds
    # a parent's blob is one some older commit added (read above): a blob not read (over MAX_BLOB,
    # past the budget: the report says so) counts as not holding the value, never hides a commit
    for blob, holds in held.items():
        for sighting, parents in introduced.get(blob, ()):
            for value in holds:
                if not any(value in held.get(parent, ()) for parent in parents):
                    result.found.setdefault(value, []).append(sighting)
    for sightings in result.found.values():
        sightings.sort(key=lambda s: (-s.age, s.path))
    return result


def _local_then_git(git: "GitRepo", introduced: dict[str, list[tuple[Sighting, tuple[str, ...]]]],
                    local: Callable[[str], bytes | None] | None, result: Search,
                    present: dict[str, int] | None = None) -> Iterator[tuple[str, bytes]]:
    """(blob id, bytes) of every introduced blob, one at a time (a big history is never in
    memory at once): those at hand first, then the rest from git. `present`: a partial clone's
    blobs that are in its object store, with their sizes (`_present_blobs`); only those are read."""
    rest: dict[str, list[tuple[Sighting, tuple[str, ...]]]] = {}
    for blob, sightings in introduced.items():
        data = local(blob) if local is not None else None
        if data is None:
            rest[blob] = sightings
        else:
            yield blob, data
    yield from _read_blobs(git, rest, result, present)


def _introduced_blobs(git: "GitRepo") -> dict[str, list[tuple[Sighting, tuple[str, ...]]]]:
    """blob id -> the commits (and paths) whose diff against their parents has it, each with the
    blobs its parents had at that path (a merge: one per parent; `_NO_BLOB` where one had none).
    A merge is listed at the paths where it differs from every parent (`git log -c`): one that
    takes a parent's file as it is added nothing there."""
    # fixer's own branches are left out: their commits only carry over what their base holds (and a
    # search that reads fewer commits is quicker); any other ref reaching them (a stash, a branch
    # made from one) is harmless: none of their blobs holds a value its parent's blob did not
    output = git.run("log", "--exclude=refs/heads/fixer/*", "--exclude=refs/remotes/*/fixer/*", "--all",
                     "--topo-order", "-c", "--no-renames", "--raw", "--no-abbrev", "-z",
                     "--date=short", "--format=%x01%H %cd", env=_NO_LAZY_FETCH)
    introduced: dict[str, list[tuple[Sighting, tuple[str, ...]]]] = {}
    commit = date = ""
    age = 0
    fields = output.split(b"\0")
    index = 0
    while index < len(fields):
        item = fields[index].lstrip(b"\n")
        index += 1
        if item.startswith(b"\x01"):
            header, _, rest = item[1:].partition(b"\n")
            commit, _, date = header.decode().partition(" ")
            age += 1
            item = rest.lstrip(b"\n")
        if not item.startswith(b":"):
            continue
        parents = len(item) - len(item.lstrip(b":"))  # `::` (a merge of two): one mode and blob per parent
        meta = item[parents:].split()  # parents' modes, new mode, parents' blobs, new blob, status
        path = fields[index].decode("utf-8", "surrogateescape") if index < len(fields) else ""
        index += 1
        if len(meta) < 2 * parents + 3:
            continue
        old = tuple(blob.decode() for blob in meta[parents + 1:2 * parents + 1])
        new, status = meta[2 * parents + 1].decode(), meta[2 * parents + 2]
        if meta[parents] == _GITLINK:  # a submodule: the id is a commit of another repository, no blob here
            continue
        if new != _NO_BLOB and any(code in b"AMTC" for code in status.rstrip(b"0123456789")):
            entry = (Sighting(commit, date, path, age), old)
            bucket = introduced.setdefault(new, [])
            if entry not in bucket:
                bucket.append(entry)
    return introduced


def _read_blobs(git: "GitRepo", blobs: dict[str, list[Sighting]], result: Search,
               present: dict[str, int] | None = None):
    """(blob id, bytes) for every blob no bigger than MAX_BLOB, streamed through one
    `git cat-file --batch` (ids on stdin). `present`: the sizes of the blobs a partial clone
    has (git is never asked about another: it would fetch it from the remote)."""
    sizes = _sizes(git, list(blobs)) if present is None else present
    small = [blob for blob in blobs if sizes.get(blob, MAX_BLOB + 1) <= MAX_BLOB]
    result.missing_blobs = sum(1 for blob in blobs if blob not in sizes)
    result.skipped_blobs = len(blobs) - len(small) - result.missing_blobs
    if not small:
        return
    process = subprocess.Popen(
        ["git", "--no-optional-locks", "-C", str(git.root), "cat-file", "--batch"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **_NO_LAZY_FETCH},
    )
    assert process.stdin is not None and process.stdout is not None
    writer = threading.Thread(target=_feed, args=(process.stdin, small), daemon=True)
    writer.start()
    try:
        for _ in small:
            header = process.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                continue
            data = process.stdout.read(int(header[2]) + 1)[:-1]
            yield header[0].decode(), data
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        writer.join(timeout=5)


def _feed(stream, blobs: list[str]) -> None:
    try:
        for blob in blobs:
            stream.write(blob.encode() + b"\n")
        stream.close()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the reader stopped early (a budget, an error): nothing left to say


def _sizes(git: "GitRepo", blobs: list[str]) -> dict[str, int]:
    """The size of each blob the object store has (a missing one is left out)."""
    output = git.run("cat-file", "--batch-check=%(objectname) %(objectsize)", input="".join(f"{b}\n" for b in blobs).encode(),
                     env=_NO_LAZY_FETCH)
    sizes = {}
    for line in output.decode().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def is_partial(git: "GitRepo") -> bool:
    """A partial clone (`git clone --filter=…`): objects it lacks, git fetches from a promisor remote
    one by one as soon as any command asks for them (a network request each, a credential prompt)."""
    found = subprocess.run(["git", "-C", str(git.root), "config", "--get-regexp",
                            r"^(extensions\.partialclone|remote\..*\.promisor)$"], capture_output=True, text=True)
    for line in found.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name.lower() == "extensions.partialclone" or value.strip().lower() in ("true", "yes", "on", "1"):
            return True
    return False


def _trees_missing(git: "GitRepo") -> bool:
    """Whether a partial clone lacks a tree some commit has (`--filter=tree:0`): `git log --raw`
    would fetch each. `rev-list --missing=print` never fetches; it stops at the first missing one."""
    process = subprocess.Popen(
        ["git", "--no-optional-locks", "-C", str(git.root), "rev-list", "--objects", "--all", "--no-object-names",
         "--filter=blob:none", "--missing=print"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **_NO_LAZY_FETCH},
    )
    assert process.stdout is not None
    try:
        missing = any(line.startswith(b"?") for line in process.stdout)
    finally:
        process.stdout.close()
        process.kill()
        returncode = process.wait()
    return missing or returncode not in (0, -9)


def _present_blobs(git: "GitRepo") -> dict[str, int]:
    """blob id -> size, of every blob the object store has (`--batch-all-objects` lists what is
    there and never fetches anything)."""
    output = git.run("cat-file", "--batch-all-objects", "--unordered",
                     "--batch-check=%(objecttype) %(objectname) %(objectsize)", env=_NO_LAZY_FETCH)
    sizes = {}
    for line in output.split(b"\n"):
        if line.startswith(b"blob "):
            _kind, name, size = line.split()
            sizes[name.decode()] = int(size)
    return sizes


# --- what the user reads ----------------------------------------------------------------


def annotate(run: "FixRun", repo: "Repo") -> list[str]:
    """Look up every secret of a run's findings in git history and add what was found to
    `run.notes` (shown in the dry-run summary, the audit, JSON and the commit body).
    Returns the lines added."""
    located: dict[str, tuple[str, int, int]] = {}
    spellings: dict[str, tuple[str, ...]] = {}
    for number, finding in enumerate(run.findings):
        for value, spelled in _named(finding.secrets, _file_data(repo, finding.path)):
            # (a key's body lines: one finding, one history line)
            located.setdefault(value, (finding.path, finding.line, number))
            spellings[value] = tuple(dict.fromkeys(spellings.get(value, ()) + spelled))
    hunt = _deleted_secrets_hunt(run)
    if not located and (hunt is None or repo.git is None):
        return []
    if repo.git is None:
        lines = [f"git history: {repo.root} is no git repository; if these values were ever committed or shared "
                 "anywhere, rotate them"]
    else:
        lines = _cached_report(repo, located, spellings, hunt)
    run.notes.extend(lines)
    return lines


# the start of a note on a secret no file of the tree holds now that history does (`deleted_secret_notes`)
DELETED_SINCE = "git history: a secret deleted since"


def deleted_secret_notes(notes: Iterable[str]) -> list[str]:
    """The notes `annotate` added on secrets that only history holds (the checklist's ❌)."""
    return [note for note in notes if note.startswith(DELETED_SINCE)]


def _deleted_secrets_hunt(run: "FixRun") -> Hunt | None:
    """For the secrets fix: the live credentials (a token prefix its issuer gives only those) that any
    commit added, in the same pass over history as the values the tree holds (a secret deleted
    since is in every clone, and no finding names it)."""
    if run.info.id != "secrets":
        return None
    from transforms.secrets import history_path, history_tokens  # (the fix's own judgement of a value)

    return Hunt(history_tokens, history_path)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _still_held(repo: "Repo", hunt: Hunt, digest: str, paths: list[str]) -> bool:
    """Whether a file of the tree still holds the value (by its digest) where a commit added it: then
    the tree's scan judged it there (a value fixer let pass, or one a finding names)."""
    for path in paths:
        data = _file_data(repo, path) if repo.exists(path) else None
        if data is not None and any(_digest(value) == digest for value in hunt.find(data)):
            return True
    return False


def deleted_candidates(found: Search) -> list[tuple[str, str, list[str]]]:
    """(value, line, paths) for each value `search`'s hunt found (the commits that added it, the paths
    they added it at): a note for those no file holds now (`_still_held`)."""
    lines = []
    for value in sorted(found.hunted):
        sightings = sorted(dict.fromkeys(found.found.get(value, [])), key=lambda s: (-s.age, s.path))
        if not sightings:
            continue
        commits = list(dict.fromkeys(s.commit for s in sightings))
        shown = "; ".join(f"{commit[:10]} {next(s.date for s in sightings if s.commit == commit)} "
                          f"({', '.join(sorted({s.path for s in sightings if s.commit == commit}))})"
                          for commit in commits[:SHOWN_COMMITS])
        more = f"; and {len(commits) - SHOWN_COMMITS} more" if len(commits) > SHOWN_COMMITS else ""
        lines.append((value, f"{DELETED_SINCE}, {mask(value)}, was committed in {len(commits)} commit(s): {shown}{more}; "
                      "no file holds it now, yet every clone does: rotate it (a history rewrite does not reach existing "
                      "clones and forks)", sorted({s.path for s in sightings})))
    return lines


MIN_SPELLING = 8  # a shorter part of a value split over lines would be found in unrelated files


def _file_data(repo: "Repo", path: str) -> bytes | None:
    try:
        return repo.read(path).data
    except Exception:  # (not readable: every value is looked for as it is)
        return None


def _named(values: tuple[str, ...], data: bytes | None) -> list[tuple[str, tuple[str, ...]]]:
    """A finding's secrets, each with the other spellings of it that its file holds. A value the
    file does not hold as it is was read from an escaped spelling (`\\"`, YAML's `''`, `\\x41`) or
    one over several lines (a line continuation): the finding names that spelling too (its lines,
    one by one), and it is what git history holds. Such a spelling is no secret of its own, and
    the value is one line of the report, not two ("in no commit" for the value as read)."""
    if data is None:
        return [(value, ()) for value in values]
    hidden = [value for value in values if value.encode("utf-8", "surrogatepass") not in data]
    spelled = {value: [hid for hid in hidden if _spells(value, hid)] for value in values if value not in hidden}
    return [(value, tuple(s for s, names in spelled.items() if value in names and len(s) >= MIN_SPELLING))
            for value in values if value in hidden or not spelled[value]]


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def _spells(spelling: str, value: str) -> bool:
    """Whether `spelling` (as a file holds it) is `value` with escapes, or holds it (a URL around a
    password), or is a part of it (one line of a value over several)."""
    read = _ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) > 1 else
                       _ESCAPED.get(m.group(1), m.group(1)), spelling)
    return any(value in form or form in value for form in {spelling, read, read.replace("''", "'")})


def _cached_report(repo: "Repo", located: dict[str, tuple[str, int, int]],
                   spellings: dict[str, tuple[str, ...]], hunt: Hunt | None = None) -> list[str]:
    """The report, from the results cache while no ref moved (the lines hold masked values only;
    the key holds digests of the values, never the values)."""
    assert repo.git is not None
    refs = repo.git.run("for-each-ref", "--format=%(objectname) %(refname)")
    try:
        refs += repo.git.run("rev-parse", "--verify", "-q", "HEAD")
    except FixerError:
        refs += b"no HEAD"  # a repository without a commit yet (a pre-commit hook's first commit)
    if is_partial(repo.git):  # (the blobs it has change without a ref moving: `git fetch --refetch`, a checkout)
        refs += repo.git.run("count-objects", "-v")

    def digest(value: str) -> str:
        return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()

    key = stable_digest(("history", 4, __version__, hashlib.sha256(refs).hexdigest(), hunt is not None,
                         sorted((digest(v), where, sorted(map(digest, spellings.get(v, ()))))
                                for v, where in located.items())))
    # (the values history alone holds: by digest, and whether the tree still holds one is decided
    # here each time: a working tree changes without a ref moving)
    cached = repo.cache.get_many([key]).get(key)
    if isinstance(cached, tuple) and len(cached) == 2:
        lines, candidates = list(cached[0]), list(cached[1])
    else:
        wanted = [*located, *(s for spelled in spellings.values() for s in spelled)]
        found = search(repo.git, wanted, repo.local_blob, hunt)
        lines = report_lines(found, located, spellings)
        candidates = [(line, paths, _digest(value)) for value, line, paths in deleted_candidates(found)]
        repo.cache.put_many({key: (lines, candidates)})
    deleted = [line for line, paths, digest in candidates if hunt is None or not _still_held(repo, hunt, digest, paths)]
    return deleted + lines if located or deleted else []


def report_lines(found: Search, located: dict[str, tuple],
                 spellings: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """One line per value (where it is now; the commits that added it, paths from the git
    top level), then what to do. `located`: value -> (path, line), or (path, line, finding
    number). Values of one finding that the same commits added share a line: a private key's
    values are the lines of its block, and one key is one line, not one per line. `spellings`:
    value -> the other spellings of it that were looked for (`_named`): the commits that added
    any of them added the value."""
    if found.unsearched:
        return [f"git history: {found.unsearched}; if these values were ever committed or shared anywhere, rotate them"]
    groups: dict[tuple, list[str]] = {}
    for value, where in located.items():  # in the caller's order: a key's first line first
        sightings = [s for v in (value, *(spellings or {}).get(value, ())) for s in found.found.get(v, [])]
        sightings = sorted(dict.fromkeys(sightings), key=lambda s: (-s.age, s.path))
        groups.setdefault((where, tuple(sightings)), []).append(value)
    from fixer.report import printable_path  # (a name's control characters: git's quoting)

    lines = []
    in_history = 0
    for (where, sightings), values in sorted(groups.items(), key=lambda item: item[0][0]):  # one place: caller's order
        one = len(values) == 1
        what = f"{mask(values[0])}{'' if one else f' and {len(values) - 1} more value(s)'} ({printable_path(where[0])}:{where[1]})"
        if not sightings:
            searched = " searched" if found.missing_blobs or found.skipped_blobs or not found.complete else ""
            lines.append(f"git history: {what} is in no commit{searched}; if it was shared anywhere else, rotate it" if one
                         else f"git history: {what} are in no commit{searched}; if they were shared anywhere else, rotate them")
            continue
        in_history += len(values)
        commits = list(dict.fromkeys(s.commit for s in sightings))
        shown = "; ".join(
            f"{commit[:10]} {next(s.date for s in sightings if s.commit == commit)} "
            f"({', '.join(sorted({printable_path(s.path) for s in sightings if s.commit == commit}))})"
            for commit in commits[:SHOWN_COMMITS]
        )
        more = f"; and {len(commits) - SHOWN_COMMITS} more" if len(commits) > SHOWN_COMMITS else ""
        lines.append(f"git history: {what} {'was' if one else 'were'} committed in {len(commits)} commit(s): "
                     f"{shown}{more}")
    if in_history:
        lines.append(f"git history: {in_history} of these value(s) stay in git history whatever the latest commit "
                     "says: rotate every one (a history rewrite does not reach existing clones and forks)")
    if found.shallow:
        lines.append("git history: this is a shallow clone; older commits were not searched")
    if found.missing_blobs and found.partial:
        lines.append(f"git history: this is a partial clone; {found.missing_blobs} blob(s) it never downloaded were "
                     "not searched (git would fetch each from the remote, one request each), so older commits than those "
                     "named may hold these values: search a full clone to know them all")
    elif found.missing_blobs:
        lines.append(f"git history: {found.missing_blobs} blob(s) missing from the object store were not searched "
                     "(`git fsck` says why)")
    if not found.complete or found.skipped_blobs:
        lines.append(f"git history: search incomplete ({found.skipped_blobs} blob(s) over "
                     f"{MAX_BLOB // (1024 * 1024)} MB skipped" + ("; stopped at the size budget" if not found.complete else "") + ")")
    return lines
