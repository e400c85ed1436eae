"""The nouns every fix and the engine share: what a fix is, what it finds, what it changes."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Iterable, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from fixer.repo import Repo, SourceFile

def pickled_by_fields(cls: type) -> type:
    """Pickle the (dataclass) instances as their class and field values, in order.

    A slotted dataclass's own pickling goes through its generated __getstate__ and
    __setstate__, which made pickling the bulk of sending a big repository's findings and
    facts from the workers and to the cache; this is about twice as fast both ways, and
    smaller. Every field must be an __init__ argument and __init__ must do nothing more."""
    names = [f.name for f in fields(cls)]
    assert all(f.init for f in fields(cls)) and not hasattr(cls, "__post_init__"), cls
    values = operator.attrgetter(*names)
    if len(names) == 1:
        cls.__reduce__ = lambda self: (cls, (values(self),))  # type: ignore[method-assign]
    else:
        cls.__reduce__ = lambda self: (cls, values(self))  # type: ignore[method-assign]
    return cls


SEVERITIES = ("critical", "high", "medium", "low", "info")
SAFETIES = ("safe", "review")


@dataclass(frozen=True)
class Option:
    """One per-fix option, settable in `.fixer.toml` ([fix.<id>]) or with `--option id.key=value`."""

    default: Any
    help: str

    @property
    def type(self) -> type:
        return type(self.default)


@dataclass(frozen=True)
class FixInfo:
    id: str
    title: str  # "Serve health checks on /health": capitalised, no period
    audit: str  # the audit section it implements, e.g. "Fix 2"
    week: int
    order: int  # position in the audit's priority order
    severity: str
    safety: str
    kinds: frozenset[str]  # file kinds the fix reads (see fixer.repo.KINDS)
    # Byte strings of which at least one must occur in a file for the fix to look at it.
    # Empty means every file of the right kind.
    prefilter: tuple[bytes, ...] = ()
    options: dict[str, Option] = field(default_factory=dict)
    version: int = 1  # bump when the fix's output changes (keys caches)
    # What of the repository `scan` reads besides the file and the context (keys its cached
    # results, see `Repo.structure_at`): "files" (`exists`, module resolution, the service
    # directory of a file), "services" (also a service's name, entry point, port), or True
    # (also the compose model). A wrong level serves stale results: lower it only when
    # every repository access of the scan is checked.
    structural: bool | str = True

    def __post_init__(self) -> None:
        assert self.severity in SEVERITIES, self.severity
        assert self.safety in SAFETIES, self.safety


@pickled_by_fields
@dataclass(frozen=True, slots=True)  # many of them: no __dict__ each
class Edit:
    """Replace bytes [start, end) of `path` with `text`.

    `text` is written with "\\n" line breaks; the engine converts them to the
    file's own line ending. `start == end` is an insertion.
    """

    path: str
    start: int
    end: int
    text: str

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class NewFile:
    """Create `path` (which must not exist) with `text` ("\\n" line breaks, kept as written)."""

    path: str
    text: str
    executable: bool = False


@dataclass(frozen=True)
class Untrack:
    """Remove `path` from version control (`git rm --cached`): the checkout fixer runs in keeps the
    file, but git deletes it from any checkout that checks the commit out or merges it."""

    path: str


Change = Edit | NewFile | Untrack


@pickled_by_fields
@dataclass(slots=True)
class Finding:
    fix: str
    path: str
    line: int  # 1-based
    col: int  # 1-based, in characters
    message: str
    changes: tuple[Change, ...] = ()
    severity: str | None = None  # defaults to the fix's severity
    # Text safe to show a reviewer (never a secret's value): why this needs a human.
    note: str | None = None
    # Secret values this finding is about: every output is redacted against them.
    secrets: tuple[str, ...] = ()

    @property
    def fixable(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class Skip:
    path: str
    reason: str


@runtime_checkable
class Fix(Protocol):
    """What a module in `transforms/` provides (see docs/writing-a-fix.md).

    Optional module attributes:
      prepare(repo, options) -> context   once per run, before any scan
      finish(repo, context, findings) -> Iterable[Finding]   cross-file findings
      describe(context) -> list[str]   what the fix inferred about this repository
                                       (shown in summaries, commit bodies, `fixer show ID PATH`)
    """

    INFO: FixInfo

    def scan(self, file: "SourceFile", context: Any) -> Iterable[Finding]: ...


def prepare(fix: Any, repo: "Repo", options: dict[str, Any]) -> Any:
    hook = getattr(fix, "prepare", None)
    return hook(repo, options) if hook else options


def finish(fix: Any, repo: "Repo", context: Any, findings: list[Finding]) -> Iterable[Finding]:
    hook = getattr(fix, "finish", None)
    return hook(repo, context, findings) if hook else ()


def facts_specs(fix: Any, options: dict[str, Any]) -> list[Any]:
    """The per-file facts a fix's `prepare` will ask for (module attribute `FACTS`: a list of
    `fixer.repo.FactsSpec`, or a function of the options returning one), so the engine can
    gather them for all fixes in one pass over the files."""
    specs = getattr(fix, "FACTS", ())
    return list(specs(options) if callable(specs) else specs)


def describe(fix: Any, context: Any) -> list[str]:
    hook = getattr(fix, "describe", None)
    return list(hook(context)) if hook else []
