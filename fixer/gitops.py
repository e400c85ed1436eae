"""Git, done so that the user's checkout is never touched.

A fix's commit is built with plumbing: the base tree is read into a private
temporary index (`GIT_INDEX_FILE`), the changed blobs are written to the object
store, and `commit-tree` makes the commit. The branch ref is created last, with
an expected old value, so a failure at any earlier step leaves no branch, and a
concurrent change to the branch is never overwritten. The user's working tree,
index, stash and HEAD are never read for writing, let alone changed.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # gitpython is imported on first use: most runs never need it
    from git import Repo as _GitPythonRepo

from fixer.errors import GitError, UsageError

TRAILER = "Fixer-Fix"
TREE_TRAILER = "Fixer-Tree"
ZERO = "0" * 40
# the attributes under which git's working-tree bytes of a file may differ from its blob's (`GitRepo.converted`)
_CONVERTING = ("text", "eol", "filter", "ident", "working-tree-encoding")
RESERVED_BRANCH_NAMES = ("@", "HEAD")  # valid ref names that `git branch` refuses (`@` means HEAD)


@dataclass(frozen=True)
class GitEntry:
    path: str  # relative to the top level, posix
    mode: str  # 100644, 100755, 120000 (symlink), 160000 (submodule)
    blob: str
    size: int | None


@dataclass(frozen=True)
class TreeChange:
    """The new state of one path in a commit: bytes (written with `mode`), or None to remove it."""

    data: bytes | None
    mode: str = "100644"


class GitRepo:
    def __init__(self, root: Path):
        self.root = root
        self._gp: "_GitPythonRepo | None" = None

    @classmethod
    def discover(cls, path: Path) -> "GitRepo | None":
        """The repository `path` is in; None when it is in none (a plain directory), or when it is
        a bare repository or inside a git directory (the caller's `refuse_git_internals` says so).
        A repository git refuses to open (`safe.directory`'s "dubious ownership", a `.git` file
        pointing nowhere, a broken GIT_DIR) or cannot be opened without git on PATH is a
        UsageError with git's own reason and advice: read as a plain directory it would be
        reported and fixed wrongly (a tracked file called untracked, no history searched)."""
        if shutil.which("git") is None:
            marker = _git_marker(path)
            if marker is not None:
                raise UsageError(f"{path} is in a git repository ({marker}), but git is not on PATH; fixer needs git "
                                 "to read it: install git (or add it to PATH), then re-run")
            return None
        result = subprocess.run(  # (C locale: git's reason is matched below, and shown as git says it in English)
            ["git", "-C", str(path), "rev-parse", "--show-toplevel", "--show-object-format"],
            capture_output=True, text=True, env={**os.environ, "LC_ALL": "C", "LANGUAGE": "C"},
        )
        if result.returncode != 0:
            reason = result.stderr
            if ("not a git repository (or any" in reason  # (…of the parent directories / …parent up to mount point)
                    or "must be run in a work tree" in reason):  # a bare repository, a git directory
                return None
            raise UsageError(f"git refuses {path}: {_refusal(reason) or f'git rev-parse exited {result.returncode}'}")
        top, _, object_format = result.stdout.strip().partition("\n")
        if object_format.strip() not in ("", "sha1"):
            raise UsageError(f"{top}: a {object_format.strip()} repository (`git init --object-format="
                             f"{object_format.strip()}`); fixer works only with sha1 repositories, nothing was written")
        return cls(Path(top).resolve())

    # --- running git ---------------------------------------------------------------

    def run(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            own_session: bool = False) -> bytes:
        """`own_session`: git runs in a session of its own, so a Ctrl-C at the terminal (sent
        to the whole foreground process group) reaches fixer alone, which holds it off
        (`plan.interrupts_deferred`) until the ref is written: for the commands that write
        refs and objects, never for one that may need the terminal (`git push`)."""
        full_env = {**os.environ, **env} if env else None
        # --no-optional-locks: never refresh (write) the user's index while only reading
        result = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(self.root), *args], input=input, capture_output=True, env=full_env,
            start_new_session=own_session,
        )
        if result.returncode != 0:
            raise GitError(f"git {args[0]} failed: {_git_reason(result.stderr) or result.returncode}")
        return result.stdout

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8", errors="replace").strip()

    @property
    def _odb(self) -> "_GitPythonRepo":
        """gitpython's persistent `cat-file` for single blob reads and writes."""
        if self._gp is None:
            from git import Repo
            from git.db import GitCmdObjectDB

            self._gp = Repo(self.root, odbt=GitCmdObjectDB)
        return self._gp

    def close(self) -> None:
        if self._gp is not None:
            self._gp.close()
            self._gp = None

    # --- reading ---------------------------------------------------------------------

    def has_commits(self) -> bool:
        return subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--verify", "-q", "HEAD"], capture_output=True
        ).returncode == 0

    def resolve(self, ref: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--verify", "-q", f"{ref}^{{commit}}"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            if ref == "HEAD" and not self.has_commits():
                if self.text("for-each-ref", "--count=1", "--format=%(refname)"):  # (other branches have commits)
                    branch = self.current_branch()
                    raise UsageError(f"{self.root}: the current branch{f' {branch!r}' if branch else ''} has no commits "
                                     "yet (other refs have): switch to a branch that has, or pass --base REF")
                raise UsageError(f"{self.root}: the repository has no commits yet; commit first, then run fixer")
            raise UsageError(f"unknown revision {ref!r}: not a commit in {self.root}")
        return result.stdout.strip()

    def head(self) -> str | None:
        """The commit HEAD is at; None on a branch with no commit yet (a new repository, an orphan branch)."""
        result = subprocess.run(["git", "-C", str(self.root), "rev-parse", "--verify", "-q", "HEAD^{commit}"],
                                capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else None

    def is_dirty(self) -> bool:
        return bool(self.run("status", "--porcelain", "--untracked-files=no").strip())

    def ls_tree(self, commit: str, prefix: str = "", sizes: bool = True) -> list[GitEntry]:
        """The commit's files. `sizes`: also each blob's size (git then reads every object's
        header: ~0.1 s for 5,000 loose objects, against 0.01 s without); else sizes are None."""
        args = ["ls-tree", "-r", *(["-l"] if sizes else []), "-z", "--full-tree", commit]
        if prefix:
            args += ["--", prefix]
        entries = []
        for record in self.run(*args).split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            mode, _type, blob, *size = meta.split()
            entries.append(
                GitEntry(path.decode("utf-8", "surrogateescape"), mode.decode(), blob.decode(),
                         None if not size or size[0] == b"-" else int(size[0]))
            )
        return entries

    def ls_index(self, prefix: str = "") -> list[GitEntry]:
        """The index's entries. The blob id is "unmerged" for a conflicted path, and "unvouched"
        for one git is told not to look at (`--assume-unchanged`, `--skip-worktree`: `diff-files`
        never lists it, whatever its working-tree bytes hold)."""
        args = ["ls-files", "-s", "-v", "-z"]
        if prefix:
            args += ["--", prefix]
        entries: dict[str, GitEntry] = {}
        for record in self.run(*args).split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            tag, mode, blob, stage = meta.split()
            name = path.decode("utf-8", "surrogateescape")
            if stage != b"0":
                blob = b"unmerged"
            elif tag.islower() or tag == b"S":
                blob = b"unvouched"
            entries[name] = GitEntry(name, mode.decode(), blob.decode(), None)
        return list(entries.values())

    def modified(self, prefix: str = "") -> list[str]:
        """Tracked files whose working-tree content may differ from the index (stat-dirty included)."""
        args = ["diff-files", "--name-only", "-z"]
        if prefix:
            args += ["--", prefix]
        return [p.decode("utf-8", "surrogateescape") for p in self.run(*args).split(b"\0") if p]

    def converted(self, paths: list[str]) -> frozenset[str]:
        """Which of these tracked paths (from the repository's root) git may write to the working
        tree as other bytes than their blob's: end-of-line conversion (`core.autocrlf`, the `text`
        and `eol` attributes), a `filter` (Git LFS), `ident`, a `working-tree-encoding`. `diff-files`
        calls such a file unmodified when its converted bytes match, so its index blob id is not
        the id of the bytes on disk. Attributes are asked of git only where some attributes file
        may set them (most repositories have none: no extra process)."""
        autocrlf = subprocess.run(["git", "-C", str(self.root), "config", "core.autocrlf"],
                                  capture_output=True, text=True).stdout.strip().lower()
        if autocrlf in ("true", "input", "yes", "on", "1"):
            return frozenset(paths)
        if not paths or not self._has_attributes(paths):
            return frozenset()
        output = self.run("check-attr", "-z", "--stdin", *_CONVERTING, input=b"\0".join(
            p.encode("utf-8", "surrogateescape") for p in paths) + b"\0")
        fields = output.split(b"\0")
        found = set()
        for at in range(0, len(fields) - 2, 3):
            if fields[at + 2] not in (b"unspecified", b"unset"):
                found.add(fields[at].decode("utf-8", "surrogateescape"))
        return frozenset(found)

    def _has_attributes(self, paths: list[str]) -> bool:
        """Whether any attributes file may apply: a tracked `.gitattributes`, the repository's
        `info/attributes`, `core.attributesFile` or the user's global attributes file."""
        if any(p == ".gitattributes" or p.endswith("/.gitattributes") for p in paths):
            return True
        above = posixpath.dirname(paths[0])  # (paths under a subdirectory: the files of the directories above it)
        while above:
            if (self.root / above / ".gitattributes").is_file():
                return True
            above = posixpath.dirname(above)
        if (self.root / ".gitattributes").is_file():
            return True
        info = subprocess.run(["git", "-C", str(self.root), "rev-parse", "--git-path", "info/attributes"],
                              capture_output=True, text=True).stdout.strip()
        if info and (self.root / info if not os.path.isabs(info) else Path(info)).is_file():
            return True
        configured = subprocess.run(["git", "-C", str(self.root), "config", "core.attributesFile"],
                                    capture_output=True, text=True).stdout.strip()
        home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        return bool(configured) or os.path.isfile(os.path.join(home, "git", "attributes"))

    def ls_untracked(self, prefix: str = "") -> list[str]:
        args = ["ls-files", "-o", "--exclude-standard", "-z"]
        if prefix:
            args += ["--", prefix]
        return [p.decode("utf-8", "surrogateescape") for p in self.run(*args).split(b"\0") if p]

    def read_blob(self, blob: str) -> bytes:
        from gitdb.util import hex_to_bin

        return self._odb.odb.stream(hex_to_bin(blob)).read()

    def read_blobs(self, blobs: list[str], batch: int = 2000) -> dict[str, bytes]:
        """Many blobs through `git cat-file --batch`, a few thousand per process: the ids go
        in, the output comes back in one read and is split here (much faster than one read
        per blob, and the output in memory at once stays bounded)."""
        found: dict[str, bytes] = {}
        for first in range(0, len(blobs), batch):
            wanted = blobs[first : first + batch]
            request = "".join(blob + "\n" for blob in wanted).encode()
            output = subprocess.run(["git", "-C", str(self.root), "cat-file", "--batch"], input=request,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
            at = 0
            for blob in wanted:
                end = output.find(b"\n", at)
                if end < 0:
                    break  # cut short: what is missing is read one by one later
                header = output[at:end].split()
                at = end + 1
                if len(header) < 3:  # "<id> missing"
                    continue
                size = int(header[2])
                found[blob] = output[at : at + size]
                at += size + 1  # the contents, then a newline
        return found

    def write_blob(self, data: bytes) -> str:
        from gitdb import IStream
        from gitdb.util import bin_to_hex

        stream = self._odb.odb.store(IStream(b"blob", len(data), BytesIO(data)))
        return bin_to_hex(stream.binsha).decode()

    def tree_of(self, commit: str) -> str:
        return self.text("rev-parse", f"{commit}^{{tree}}")

    def parents(self, commit: str) -> list[str]:
        return self.text("rev-list", "--parents", "-n", "1", commit).split()[1:]

    def branch_tip(self, branch: str) -> str | None:
        result = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() if result.returncode == 0 else None

    def trailer(self, commit: str, key: str = TRAILER) -> str | None:
        return trailer_value(self.run("log", "-1", "--format=%B", commit).decode("utf-8", "replace"), key)

    def not_fixers(self, commit: str, fix_id: str, branch: str | None = None,
                   other_refs: tuple[str, ...] = ()) -> str | None:
        """Why `commit` (the tip of `branch`) is not a commit fixer made for `fix_id` and
        nobody changed since, or None (then fixer may replace it: `apply --force`, a re-run
        of `plan`, a push).

        What fixer committed is recorded in the commit itself: `commit_tree_with` adds the
        trailer `Fixer-Tree: <the tree it wrote> <digest of the message>`. Any change to the
        files, an amend that keeps every trailer (`--amend --no-edit`, `--reset-author`, in
        the same second or not), a rebase, a commit squashed in, gives the commit another
        tree, so a recorded tree that differs from the commit's own means someone's work is
        in it; a reworded message no longer matches its digest. The trailer was chosen over
        re-running the fix on the tip's parent and comparing trees: that would depend on the
        fix's version, options and configuration (any of which may have changed since), and
        costs a whole fix run per branch; the record is exact and costs one `rev-parse`.

        fixer never makes an empty commit, so a tip with its parent's tree is someone's
        (`git commit --fixup=reword:HEAD` copies the trailers, keeps the tree). The committer
        date must also equal the author date (`commit-tree` sets both at once; an amend,
        rebase or cherry-pick sets a new committer date). A commit of an older fixer has a
        `Fixer-Tree` without the digest (only its tree is checked), or none at all (only the
        date rule is left); a re-run that rebuilds such a branch gives it the full trailer.

        Not only the tip: every commit below it that no other ref reaches (only fixer's
        branches: `refs/heads/fixer/*`, `branch` and `other_refs` are left out) would be
        lost with it, so each must be an untouched fixer commit too (one of a branch below
        in a stack); else someone's commit is in the branch."""
        message = self.raw_message(commit)
        if trailer_value(message) != fix_id:
            return f"has commits fixer did not make (its tip {commit[:10]} has no '{TRAILER}: {fix_id}' trailer)"
        parents = self.parents(commit)
        if len(parents) != 1:
            return f"has a merge commit at its tip ({commit[:10]})"
        author, committer = self.commit_dates(commit)
        reason = _changed_since(message, self.tree_of(commit), self.tree_of(parents[0]), author, committer)
        if reason:
            return f"{reason} (its tip {commit[:10]})"
        excludes = ["--exclude=refs/heads/fixer/*", *(f"--exclude={ref}" for ref in other_refs)]
        if branch:
            excludes.append(f"--exclude=refs/heads/{branch}")
        log = self.run("log", "-z", "--date=raw", "--format=%H%x1f%T%x1f%P%x1f%ad%x1f%cd%x1f%B", f"{commit}^",
                       "--not", *excludes, "--all", "--")
        for record in log.decode("utf-8", "replace").split("\0"):
            if not record.strip():
                continue
            below, tree, parent_ids, author, committer, message = record.lstrip("\n").split("\x1f", 5)
            parent_list = parent_ids.split()
            reason = None
            if trailer_value(message) is None:
                reason = f"has no '{TRAILER}' trailer"
            elif len(parent_list) != 1:
                reason = "is a merge commit"
            else:
                reason = _changed_since(message, tree, self.tree_of(parent_list[0]), author, committer)
            if reason:
                return f"has commits fixer did not make below its tip ({below[:10]}, on no other branch, {reason})"
        return None

    def checked_out_branches(self) -> set[str]:
        branches = set()
        for line in self.text("worktree", "list", "--porcelain").splitlines():
            if line.startswith("branch refs/heads/"):
                branches.add(line[len("branch refs/heads/"):])
        return branches

    def worktrees(self) -> list[str]:
        return [
            line[len("worktree "):]
            for line in self.text("worktree", "list", "--porcelain").splitlines()
            if line.startswith("worktree ")
        ]

    def diffstat(self, old: str, new: str) -> str:
        return self.run("diff", "--stat", "--no-color", "--no-renames", old, new).decode("utf-8", "replace")

    def check_branch_name(self, branch: str) -> None:
        """`branch` can be created (or already is a branch): see `check_branch_names`."""
        self.check_branch_names([branch])

    def check_branch_names(self, branches: list[str]) -> None:
        """Every name a valid branch name that can live beside the existing branches and each
        other; else a UsageError naming every problem (one line), before anything is written.

        Valid: `git check-ref-format refs/heads/<name>`, and not `@`, `HEAD` or `-…`, which
        git accepts as ref names but `git branch` refuses. (`check-ref-format --branch`
        expands `@` and `@{-1}` to another branch's name first and checks that instead.)
        Beside: git keeps branch `a` and branch `a/b` apart only as a file and a directory
        of that name, so neither can be made while the other exists."""
        for branch in branches:
            if (branch in RESERVED_BRANCH_NAMES or branch.startswith("-") or subprocess.run(
                    ["git", "check-ref-format", f"refs/heads/{branch}"], capture_output=True).returncode != 0):
                raise UsageError(f"{branch!r} is not a valid branch name")
        existing = [ref[len("refs/heads/"):] for ref in
                    self.text("for-each-ref", "--format=%(refname)", "refs/heads/").splitlines()]
        clashes = []
        for index, branch in enumerate(branches):
            others = [(other, "exists") for other in existing]
            others += [(other, "is in this run too") for other in branches[:index]]
            for other, where in others:
                if other != branch and (other.startswith(branch + "/") or branch.startswith(other + "/")):
                    clashes.append(f"branch {branch!r} cannot be made because branch {other!r} {where}")
                    break
        if clashes:
            raise UsageError("; ".join(clashes) + " (git cannot have a branch 'a' and a branch 'a/b' at once): "
                             "rename or delete one, then re-run; nothing was written")

    # --- writing (never the user's index or working tree) -----------------------------

    def commit_tree_with(self, base: str, changes: dict[str, TreeChange], message: str, *,
                         record_tree: bool = True) -> str:
        """A new commit whose parent is `base` and whose tree is base's tree with `changes`;
        `record_tree`: the message gets the trailer `Fixer-Tree: <that tree> <digest>` (see
        `not_fixers`). Author and committer date are the same (a user's exported
        GIT_COMMITTER_DATE, else GIT_AUTHOR_DATE, else now): `not_fixers` relies on it."""
        tmp = None
        try:
            tmp = tempfile.mkdtemp(prefix="fixer-index-")
            env = {"GIT_INDEX_FILE": os.path.join(tmp, "index")}
            env.update(_identity_fallback(self))
            date = os.environ.get("GIT_COMMITTER_DATE") or os.environ.get("GIT_AUTHOR_DATE") or f"{int(time.time())} {time.strftime('%z')}"
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
            self.run("read-tree", base, env=env)
            lines = []
            for path, change in sorted(changes.items()):
                if change.data is None:
                    lines.append(f"0 {ZERO}\t{path}")
                else:
                    lines.append(f"{change.mode} {self.write_blob(change.data)}\t{path}")
            records = b"".join(line.encode("utf-8", "surrogateescape") + b"\0" for line in lines)
            self.run("update-index", "-z", "--index-info", input=records, env=env)
            tree = self.run("write-tree", env=env).decode().strip()
            if record_tree:
                message = with_tree_trailer(message, tree)
            return self.run("commit-tree", tree, "-p", base, input=message.encode(), env=env,
                            own_session=True).decode().strip()
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)

    def set_branch(self, branch: str, commit: str, expected_old: str | None) -> None:
        """Point `branch` at `commit`, only if it is still at `expected_old` (None: must not exist)."""
        self.run("update-ref", "-m", "fixer", f"refs/heads/{branch}", commit, expected_old or ZERO, own_session=True)

    def restore_branch(self, branch: str, old: str | None, written: str) -> None:
        """Undo `set_branch(branch, written, old)`: back to `old` (None: delete the branch), only
        while the branch is still at `written` (a branch someone moved since is left alone)."""
        if old is None:
            self.run("update-ref", "-m", "fixer: undo", "-d", f"refs/heads/{branch}", written, own_session=True)
        else:
            self.run("update-ref", "-m", "fixer: undo", f"refs/heads/{branch}", old, written, own_session=True)

    # --- for `fixer plan`: reading commits, remotes, patches ----------------------------

    def raw_message(self, commit: str) -> str:
        """The commit's message exactly as stored (what `commit-tree` was given)."""
        _headers, _, message = self.run("cat-file", "commit", commit).partition(b"\n\n")
        return message.decode("utf-8", "replace")

    def commit_dates(self, commit: str) -> tuple[str, str]:
        """(author date, committer date), raw (`1700000000 +0100`)."""
        author, _, committer = self.text("log", "-1", "--format=%ad%x00%cd", "--date=raw", commit).partition("\0")
        return author, committer

    def changed_paths(self, old: str, new: str) -> dict[str, tuple[str, str] | None]:
        """Paths that differ between two commits: path -> (mode, blob) in `new`, None where removed."""
        fields = self.run("diff-tree", "-r", "-z", "--no-renames", "--no-commit-id", old, new).split(b"\0")
        changed: dict[str, tuple[str, str] | None] = {}
        for meta, path in zip(fields[0::2], fields[1::2]):
            if not meta.startswith(b":"):
                continue
            _old_mode, new_mode, _old_blob, new_blob, status = meta[1:].decode().split()
            name = path.decode("utf-8", "surrogateescape")
            changed[name] = None if status == "D" else (new_mode, new_blob)
        return changed

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return subprocess.run(
            ["git", "-C", str(self.root), "merge-base", "--is-ancestor", ancestor, descendant], capture_output=True
        ).returncode == 0

    def has_commit(self, commit: str) -> bool:
        return subprocess.run(
            ["git", "-C", str(self.root), "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True
        ).returncode == 0

    def current_branch(self) -> str | None:
        """The branch HEAD is on, or None when HEAD is detached."""
        result = subprocess.run(["git", "-C", str(self.root), "symbolic-ref", "-q", "--short", "HEAD"],
                                capture_output=True, text=True)
        return (result.stdout.strip() or None) if result.returncode == 0 else None

    def remote_url(self, remote: str) -> str | None:
        result = subprocess.run(["git", "-C", str(self.root), "remote", "get-url", remote], capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else None

    def remote_branches(self, remote: str) -> dict[str, str]:
        """Branch name -> commit on the remote (`git ls-remote --heads`)."""
        heads = {}
        for line in self.text("ls-remote", "--heads", remote).splitlines():
            commit, _, ref = line.partition("\t")
            if ref.startswith("refs/heads/"):
                heads[ref[len("refs/heads/"):]] = commit
        return heads

    def fetch_objects(self, remote: str, branches: list[str]) -> None:
        """Fetch the commits of some remote branches without writing FETCH_HEAD or any local branch."""
        if branches:
            self.run("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", remote,
                     *[f"refs/heads/{branch}" for branch in branches])

    def push_branch(self, remote: str, commit: str, branch: str, expected: str | None) -> None:
        """Push `commit` to the remote's `branch` only while that branch is at `expected` (None: absent).
        A remote branch that moved in between is never overwritten (`--force-with-lease`)."""
        lease = f"--force-with-lease=refs/heads/{branch}:{expected or ''}"
        result = subprocess.run(
            ["git", "-C", str(self.root), "push", "--porcelain", lease, remote,
             f"{commit}:refs/heads/{branch}"],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            lines = [line for line in (result.stdout + "\n" + result.stderr).splitlines()
                     if line.startswith("!") or line.startswith(("error:", "fatal:", "remote:"))]
            reason = lines[0].split("\t")[-1] if lines and lines[0].startswith("!") else (lines[-1] if lines else "")
            said = _remote_says(result.stderr)  # why the server refused (a hook's, GitHub's GH006/GH013 message)
            if said and reason.startswith("remote:"):
                reason = ""
            reason = "; ".join(part for part in (reason.strip(), f"remote: {said}" if said else "") if part)
            raise GitError(f"git push {branch} failed: {reason or result.returncode}")

    def format_patch(self, commit: str, base: str) -> bytes:
        """`git format-patch` of one commit, with `base-commit:` (and the prerequisite patches) for `git am`."""
        return self.run("format-patch", "-1", "--stdout", "--no-color", f"--base={base}", commit)


def _git_reason(stderr: bytes) -> str:
    """What went wrong, from git's stderr: its last `fatal:`/`error:` line (the one that names the ref
    or the file: "Unable to create '<…>.lock': File exists."), then, when git's advice follows on a
    last line of its own ("remove the file manually to continue."), that too; "" for no output."""
    lines = [line.strip() for line in stderr.decode("utf-8", errors="replace").splitlines() if line.strip()]
    if not lines:
        return ""
    diagnosed = [line for line in lines if line.startswith(("fatal:", "error:"))]
    reason, last = (diagnosed[-1] if diagnosed else lines[-1]), lines[-1]
    return reason if last == reason or last.startswith("hint:") else f"{reason} ({last})"


_REMOTE_SHOWN = 600  # characters of the server's message kept in the one-line error
_PROGRESS = re.compile(r"^[\w ]+:\s+\d+% \(\d+/\d+\)")  # "Resolving deltas: 100% (2/2)"
_CREDENTIALS = re.compile(r"(?<=://)([^/@\s:]*):([^/@\s]+)@")  # https://user:token@host: the token masked


def _remote_says(stderr: str) -> str:
    """The server's own `remote:` lines, on one line: what a pre-receive hook or the host printed
    about the push (GitHub's "GH013: Repository rule violations found … Push cannot contain
    secrets"), without progress, rules and blank lines, a password in a URL masked (`redact.mask`;
    the caller redacts the fix's secrets like any other output), cut at `_REMOTE_SHOWN`."""
    from fixer.redact import mask

    kept: list[str] = []
    for line in stderr.splitlines():
        if not line.startswith("remote:"):
            continue
        text = line[len("remote:"):].strip()
        if not any(ch.isalnum() for ch in text) or _PROGRESS.match(text):
            continue
        text = _CREDENTIALS.sub(lambda m: f"{m.group(1)}:{mask(m.group(2))}@", text)
        if text not in kept:
            kept.append(text)
    said = " / ".join(kept)
    return said if len(said) <= _REMOTE_SHOWN else said[:_REMOTE_SHOWN - 1] + "…"


def _refusal(stderr: str) -> str:
    """Why git will not open a repository, on one line, with the advice git gives on the lines
    after it: "detected dubious ownership in repository at '/r'; to add an exception for this
    directory, call: `git config --global --add safe.directory /r`"."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    parts: list[str] = []
    for line in lines:
        text = line.strip()
        for prefix in ("fatal:", "error:", "hint:", "warning:"):
            if text.startswith(prefix):
                text = text[len(prefix):].strip()
        if not text:
            continue
        if line[:1] in ("\t", " ") and text.startswith("git "):  # the command git advises
            parts.append(f"`{text}`")
        else:
            parts.append(text[0].lower() + text[1:] if parts else text)
    return "; ".join(parts).replace(":; `", ": `")


def _git_marker(path: Path) -> str | None:
    """The `.git` (or GIT_DIR) that makes `path` part of a git repository, found without git."""
    if os.environ.get("GIT_DIR"):
        return f"GIT_DIR={os.environ['GIT_DIR']}"
    at = Path(os.path.abspath(path))
    for directory in (at, *at.parents):
        if os.path.lexists(directory / ".git"):
            return str(directory / ".git")
    return None


def trailer_value(message: str, key: str = TRAILER) -> str | None:
    """The value of the last `key: value` line of a commit message, or None."""
    for line in reversed(message.strip().splitlines()):
        name, sep, value = line.partition(":")
        if sep and name.strip() == key:
            return value.strip()
    return None


def with_tree_trailer(message: str, tree: str) -> str:
    """`message` with `Fixer-Tree: <tree> <digest>` as its last trailer (what `commit_tree_with`
    commits): the tree fixer wrote and `message_digest` of the message."""
    if message and not message.endswith("\n"):
        message += "\n"
    return f"{message}{TREE_TRAILER}: {tree} {message_digest(message)}\n"


def message_digest(message: str) -> str:
    """12 hex digits of the message without its `Fixer-Tree` line (ends trimmed)."""
    kept = [line for line in message.splitlines() if line.partition(":")[0].strip() != TREE_TRAILER]
    return hashlib.sha256("\n".join(kept).strip().encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _changed_since(message: str, tree: str, parent_tree: str, author: str, committer: str) -> str | None:
    """Why a commit with this message, tree, parent tree and dates is not as fixer made it, or None."""
    if tree == parent_tree:
        return "has a commit that changes no file, which fixer never makes"
    recorded = (trailer_value(message, TREE_TRAILER) or "").split()
    if recorded and recorded[0] != tree:
        return (f"has commits fixer did not make (a commit was changed after fixer made it: its files are not "
                f"the tree fixer committed, {TREE_TRAILER}: {recorded[0][:10]})")
    if len(recorded) > 1 and recorded[1] != message_digest(message):
        return "has a commit whose message was changed after fixer made it"
    if author != committer:
        return "was rewritten after fixer made it (a commit was amended, rebased or cherry-picked)"
    return None


UNSIGNED_NOTE = ("commit.gpgsign is set, but fixer's commits are not signed (git commit-tree makes them, in a "
                 "private index, without a terminal for a passphrase): sign them when you merge or rebase them")


def signs_commits(git: GitRepo) -> bool:
    """The user's git signs every commit (`commit.gpgsign`): fixer's are not, and says so."""
    configured = subprocess.run(["git", "-C", str(git.root), "config", "--bool", "commit.gpgsign"],
                                capture_output=True, text=True)
    return configured.returncode == 0 and configured.stdout.strip() == "true"


def _identity_fallback(git: GitRepo) -> dict[str, str]:
    """Commit as the user; fall back to a fixer identity only where git has none configured."""
    env: dict[str, str] = {}
    for var, key, default in (
        ("GIT_AUTHOR_NAME", "user.name", "fixer"),
        ("GIT_AUTHOR_EMAIL", "user.email", "fixer@localhost"),
    ):
        if os.environ.get(var):
            continue
        configured = subprocess.run(["git", "-C", str(git.root), "config", key], capture_output=True)
        if configured.returncode != 0:
            env[var] = default
            env[var.replace("AUTHOR", "COMMITTER")] = default
    return env
