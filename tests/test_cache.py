"""The results cache and the parallel scan: same answers, less work, never stale."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from fixer import cache as cache_mod
from fixer import config as config_mod
from fixer import parallel
from fixer.cache import Cache, CacheWriteError, stable_digest
from fixer.repo import DirectorySource, Repo, WorkingTreeSource, open_repo
from fixer.runner import run_fixes
from gitrepo import SMALL_REPO, fixer, git, make_repo
from transforms import registry


def _all_fixes() -> list:
    return [(m, config_mod.options_for(m.INFO, config_mod.Config())) for m in registry().values()]


def _findings(runs: list) -> list[tuple]:
    return [(r.info.id, f.path, f.line, f.col, f.message, f.changes) for r in runs for f in r.findings]


@dataclasses.dataclass(frozen=True)
class _Context:
    names: frozenset
    table: tuple


def test_stable_digest_is_the_same_in_every_process() -> None:
    value = _Context(frozenset({"booking-service", "admin-service", "x" * 40}), (("a", 1), ("b", None)))
    here = stable_digest(value)
    code = (
        "import sys, dataclasses; sys.path[:0] = ['.', 'tests']\n"
        "from test_cache import _Context\nfrom fixer.cache import stable_digest\n"
        "print(stable_digest(_Context(frozenset({'booking-service', 'admin-service', 'x' * 40}), (('a', 1), ('b', None)))))"
    )
    root = Path(__file__).resolve().parent.parent
    for seed in ("1", "2", "3"):
        other = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                               env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        assert other.stdout.strip() == here, other.stderr
    with pytest.raises(TypeError):
        stable_digest(object())


def test_blob_id_is_gits() -> None:
    data = b"console.log('x');\r\n"
    expected = subprocess.run(["git", "hash-object", "--stdin"], input=data, capture_output=True).stdout.decode().strip()
    assert cache_mod.blob_id(data) == expected


def test_results_pickled_by_field_values_come_back_equal() -> None:
    """What workers send and the cache stores (`pickled_by_fields`): every field survives,
    a finding changed after it was made included."""
    import pickle

    from fixer.checklist import CodeFacts
    from fixer.logger import FileVotes, ImportSeen
    from fixer.model import Edit, Finding
    from transforms.console_to_logger import FileFacts

    finding = Finding("f", "a.ts", 3, 4, "m", (Edit("a.ts", 1, 2, "x"),), note="n", secrets=("s",))
    finding.severity = "high"
    values = [finding, Edit("a.ts", 0, 0, "y"), CodeFacts(env_reads=(("A", 1, 2),), sql_constant=3),
              ImportSeen("a.ts", "./log", "default", "log", True), FileVotes(((("m", "d", None, False), "l"),)),
              FileFacts(True, False, "test file", 2, (("svc", 1),))]
    for value in values:
        again = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(again) is type(value) and again == value
    assert pickle.loads(pickle.dumps(finding)).severity == "high"


def _recording_runs(monkeypatch: pytest.MonkeyPatch, repo_dir: Path, results_cache: Cache, jobs: list,
                    owner: object, name: str, path_of: Any) -> Any:
    """A findings-only run of `jobs` on the working tree with `results_cache`, as often as
    called: each returns the runs and the paths `owner.name` was called for (`path_of` its
    arguments), in order."""
    def run() -> tuple[list, list[str]]:
        seen: list[str] = []
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *args: seen.append(path_of(*args)) or real(*args))
        repo = open_repo(repo_dir, config_mod.Config(), working_tree=True)
        repo.cache = results_cache
        runs = run_fixes(repo, jobs, findings_only=True)
        monkeypatch.undo()
        results_cache.flush()
        return runs, seen
    return run


def test_a_warm_run_reads_no_source_file_and_gives_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        "services/booking-service/src/extra.ts": "console.log('x');\napp.get('/healthz', h, h);\n",
    })
    run = _recording_runs(monkeypatch, repo_dir, Cache(tmp_path / "cache.sqlite"), _all_fixes(),
                          WorkingTreeSource, "read", lambda self, entry: entry.path)

    def audit() -> tuple[list, list[str]]:
        runs, reads = run()
        return _findings(runs), reads

    cold, cold_reads = audit()
    warm, warm_reads = audit()
    assert warm == cold and cold
    code = [p for p in warm_reads if p.endswith(".ts")]
    assert "services/booking-service/src/extra.ts" in cold_reads and code == [], warm_reads

    # change one file without changing what the fixes infer: only it is read again, and
    # its findings are the new ones
    (repo_dir / "services/booking-service/src/extra.ts").write_text("// moved\nconsole.log('x');\napp.get('/healthz', h, h);\n")
    changed, changed_reads = audit()
    assert {p for p in changed_reads if p.endswith(".ts")} == {"services/booking-service/src/extra.ts"}
    assert {f[2] for f in changed if f[1] == "services/booking-service/src/extra.ts"} == \
        {line + 1 for line in {f[2] for f in cold if f[1] == "services/booking-service/src/extra.ts"}}


def test_a_finding_with_a_secret_is_cached_without_it_and_the_value_read_back_from_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Secret values never reach the cache, yet a file with one is not scanned again (in a
    pre-commit audit that meant loading detect-secrets every time): its findings are
    stored without their values, and the values are read from the file's bytes, where
    the row (keyed by the content) says they are. A value the bytes do not hold as it is
    (an escape in it) keeps the old way: not cached, scanned every time."""
    import secrets as random_source
    import string

    from transforms import secrets as secrets_fix

    alphabet = string.ascii_letters + string.digits
    made_up = "".join(random_source.choice(alphabet) for _ in range(24)) + "7q"  # the shape of a key
    escaped = "".join(random_source.choice(alphabet) for _ in range(30)) + "9Z"
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        "env.template": f"PORT=3000\nSTRIPE_SECRET_KEY=sk_live_{made_up}\n",
        "deploy/api.yaml": ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n"
                            f"  SESSION_SECRET: \"{escaped[:10]}\\x41{escaped[10:]}\"\n"),
    })
    options = config_mod.options_for(secrets_fix.INFO, config_mod.Config())
    run = _recording_runs(monkeypatch, repo_dir, Cache(tmp_path / "cache.sqlite"), [(secrets_fix, options)],
                          secrets_fix, "scan", lambda source_file, context: source_file.path)

    def audit() -> tuple[list, list[str]]:
        runs, scanned = run()
        return [(f.path, f.line, f.message, f.changes, f.secrets) for r in runs for f in r.findings], scanned

    cold, cold_scanned = audit()
    assert ("env.template", f"sk_live_{made_up}") in {(f[0], s) for f in cold for s in f[4]}
    assert "deploy/api.yaml" in {f[0] for f in cold if f[4]}  # found, its value unescaped
    warm, warm_scanned = audit()
    assert warm == cold
    assert "env.template" in cold_scanned and "env.template" not in warm_scanned
    assert "deploy/api.yaml" in warm_scanned  # not cached: scanned again
    stored = (tmp_path / "cache.sqlite").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("cache.sqlite-*"))
    assert made_up.encode() not in stored and escaped[10:].encode() not in stored

    # an edited file is scanned again (a row is its content's), with the same findings
    (repo_dir / "env.template").write_text(f"PORT=3001\nSTRIPE_SECRET_KEY=sk_live_{made_up}\n")
    moved, moved_scanned = audit()
    assert "env.template" in moved_scanned
    assert [f for f in moved if f[0] == "env.template"] == [f for f in cold if f[0] == "env.template"]

    # edited after the listing took its blob id from the index (git said unmodified): the
    # row of that blob is found, but the bytes read now are not its content, so the values
    # are not sliced out of them at the old spans: the file is scanned again
    git(repo_dir, "commit", "-qam", "env")
    other = "".join(random_source.choice(alphabet) for _ in range(24)) + "8w"
    jobs = [(secrets_fix, options)]
    repo = open_repo(repo_dir, config_mod.Config(), working_tree=True)
    repo.cache = Cache(tmp_path / "cache.sqlite")
    assert run_fixes(repo, jobs, findings_only=True)  # the committed content's row
    repo.cache.close()
    raced = open_repo(repo_dir, config_mod.Config(), working_tree=True)
    raced.cache = Cache(tmp_path / "cache.sqlite")
    (repo_dir / "env.template").write_text(f"# rotated on 2026-11-27, see the runbook\nSTRIPE_SECRET_KEY=sk_live_{other}\n")
    runs = run_fixes(raced, jobs, findings_only=True)
    assert {s for r in runs for f in r.findings if f.path == "env.template" for s in f.secrets} == {f"sk_live_{other}"}


def test_after_a_batch_one_fix_reads_no_file_and_a_compose_change_keeps_the_logger_votes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan warms the cache with all its fixes at once, then runs them one by one: which
    prefilter needles a file holds is one cached answer for every batch, so a single fix
    reads no file the batch looked at. Logger votes depend on the file list only: an
    overlay that changes a compose file (services may differ) keeps them."""
    from fixer import logger

    monkeypatch.setenv("FIXER_JOBS", "1")
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        "services/booking-service/src/log.ts": "import { logger } from './logger';\nlogger.info('x');\n",
        "services/booking-service/src/logger.ts": "export const logger = console;\n",
        "docker-compose.yml": "services:\n  booking:\n    build: ./services/booking-service\n",
    })
    results_cache = Cache(tmp_path / "cache.sqlite")
    batch = open_repo(repo_dir, config_mod.Config())
    batch.cache = results_cache
    run_fixes(batch, _all_fixes(), findings_only=True)
    results_cache.flush()

    reads: list[str] = []
    real_read = type(batch.source).read
    monkeypatch.setattr(type(batch.source), "read", lambda self, entry: reads.append(entry.path) or real_read(self, entry))
    single = open_repo(repo_dir, config_mod.Config())
    single.cache = results_cache
    console = registry()["console-to-logger"]
    run_fixes(single, [(console, config_mod.options_for(console.INFO, config_mod.Config()))], findings_only=True)
    # only the logger module, which `prepare` reads (is it pino's?); no file for the scan
    assert [path for path in reads if path.endswith(".ts")] == ["services/booking-service/src/logger.ts"]

    votes = single.facts_of(logger.VOTES)
    assert "services/booking-service/src/log.ts" in votes
    compose = single.file("docker-compose.yml").data
    changed = single.overlay({"docker-compose.yml": compose + b"  web:\n    image: nginx\n"})
    assert changed.structure_digest != single.structure_digest
    assert changed._facts_from_base(logger.VOTES) == single._facts_memo[logger.VOTES.key][1]
    added = single.overlay({"services/booking-service/src/new.ts": b"export {};\n"})
    assert added._facts_from_base(logger.VOTES) is None  # a new file: relative imports may resolve otherwise


def test_a_scan_is_cached_by_the_part_of_the_structure_it_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fix's cached scan results are keyed by the part of the repository structure its
    scan reads (`FixInfo.structural`): a compose change (what env-separation makes in a
    plan) keeps db-degradation's ("files") and graceful-shutdown's ("services"), not
    console-to-logger's (the whole structure); a service's new entry point (a package.json:
    a manifest is part of module resolution, so of the file level too) drops all three, as
    does a new code file. Findings are always a fresh run's."""
    monkeypatch.setenv("FIXER_JOBS", "1")
    fixes = registry()
    chosen = {name: fixes[name] for name in ("db-degradation", "graceful-shutdown", "console-to-logger")}
    assert [m.INFO.structural for m in chosen.values()] == ["files", "services", True]
    jobs = [(m, config_mod.options_for(m.INFO, config_mod.Config())) for m in chosen.values()]
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        "services/booking-service/src/index.ts": (
            "import { app } from './app';\nimport { Pool } from 'pg';\nconst pool = new Pool();\n"
            "export async function initDb() { await pool.connect(); }\nconsole.log('up');\n"
            "app.listen(3000);\n"),
        "docker-compose.yml": "services:\n  booking:\n    build: ./services/booking-service\n",
    })
    results_cache = Cache(tmp_path / "cache.sqlite")
    base = open_repo(repo_dir, config_mod.Config())
    base.cache = results_cache
    run_fixes(base, jobs, findings_only=True)

    scanned: dict[str, int] = {}
    for name, module in chosen.items():
        real = module.scan
        monkeypatch.setattr(module, "scan", lambda f, c, real=real, name=name: (
            scanned.__setitem__(name, scanned.get(name, 0) + 1), real(f, c))[1])

    def rescanned(changes: dict[str, bytes]) -> set[str]:
        scanned.clear()
        overlay = base.overlay(changes)
        runs = run_fixes(overlay, jobs, findings_only=True)
        fresh = base.overlay(changes)
        fresh.cache = Cache(tmp_path / f"fresh-{len(changes)}-{sorted(changes)[0].replace('/', '_')}.sqlite")
        assert _findings(runs) == _findings(run_fixes(fresh, jobs, findings_only=True))
        return {name for name in chosen if scanned.get(name)}

    compose = base.file("docker-compose.yml").data
    web = {"docker-compose.yml": compose + b"  web:\n    image: nginx\n"}
    assert base.overlay(web).structure_digest != base.structure_digest
    assert rescanned(web) == {"console-to-logger"}
    entry = {"services/booking-service/package.json": b'{"name": "booking-service", "main": "dist/app.js"}\n'}
    assert base.overlay(entry).services_digest != base.services_digest  # src/app.ts is the entry now
    assert base.overlay(entry).listing_digest != base.listing_digest  # (a manifest's `type`, `main`, `exports`)
    assert rescanned(entry) == set(chosen)
    assert rescanned({"services/booking-service/src/extra.ts": b"export {};\n"}) == set(chosen)


def test_the_cache_never_serves_a_result_for_other_repository_structure(tmp_path: Path) -> None:
    """Same file bytes, but the service it belongs to changed: results are recomputed."""
    results_cache = Cache(tmp_path / "cache.sqlite")
    first = make_repo(tmp_path / "a", SMALL_REPO)
    repo = open_repo(first, config_mod.Config())
    repo.cache = results_cache
    before = _findings(run_fixes(repo, _all_fixes(), findings_only=True))
    git(first, "mv", "services/course-service/package.json", "services/course-service/package.jsn")
    git(first, "commit", "-q", "-m", "no longer a service")
    repo = open_repo(first, config_mod.Config())
    repo.cache = results_cache
    after = _findings(run_fixes(repo, _all_fixes(), findings_only=True))
    fresh = open_repo(first, config_mod.Config())
    assert after == _findings(run_fixes(fresh, _all_fixes(), findings_only=True))
    assert before  # and the comparison above was against a real run


def test_parallel_and_in_process_runs_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(SMALL_REPO)
    for index in range(40):
        files[f"services/booking-service/src/gen/file{index}.ts"] = (
            f"console.log('n{index}');\napp.get('/healthz', (_r, s) => s.json({{}}));\n" if index % 3 == 0
            else f"export const v{index} = {index};\n"
        )
    repo_dir = make_repo(tmp_path / "r", files)
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)
    monkeypatch.setenv("FIXER_JOBS", "2")
    pooled = run_fixes(open_repo(repo_dir, config_mod.Config()), _all_fixes())
    monkeypatch.setenv("FIXER_JOBS", "1")
    alone = run_fixes(open_repo(repo_dir, config_mod.Config()), _all_fixes())
    assert _findings(pooled) == _findings(alone)
    assert [sorted(r.changes) for r in pooled] == [sorted(r.changes) for r in alone]
    assert [[c.after for c in r.changes.values()] for r in pooled] == [[c.after for c in r.changes.values()] for r in alone]


def _collector_state(repo: object, path: str) -> tuple[bool, int]:
    import gc

    return gc.isenabled(), os.getpid()


def test_the_collector_pauses_for_bulk_loads_and_workers_collect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows read and results gathered are made with the collector off and frozen after (they
    live on); the state before is restored, whatever happens inside; and the workers of a
    pass over the files run with it on (they make a lot of garbage)."""
    import gc

    gc.unfreeze()
    frozen = gc.get_freeze_count()
    with cache_mod.collector_paused():
        assert not gc.isenabled()
        kept = [[index] for index in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(kept)
    gc.disable()
    try:
        with pytest.raises(KeyError), cache_mod.collector_paused():
            raise KeyError("inside")
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
        gc.unfreeze()

    repo_dir = make_repo(tmp_path / "r", {f"f{index}.ts": "x\n" for index in range(8)})
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)
    monkeypatch.setenv("FIXER_JOBS", "2")
    states = parallel.map_paths(open_repo(repo_dir, config_mod.Config()), [f"f{i}.ts" for i in range(8)],
                                _collector_state)
    assert {pid for _, pid in states.values()} - {os.getpid()}  # run by workers
    assert all(enabled for enabled, _ in states.values())
    assert gc.isenabled() and gc.get_freeze_count() == 0  # (each pass unfreezes what it froze)


def _sigint_handler(repo: object, path: str) -> tuple[bool, int]:
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN, os.getpid()


def test_workers_leave_a_ctrl_c_to_the_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a worker that took its own KeyboardInterrupt printed a traceback and could die holding the
    # pool's queue lock (the parent then waited forever): workers ignore SIGINT, the parent does not
    repo_dir = make_repo(tmp_path / "r", {f"f{index}.ts": "x\n" for index in range(8)})
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)
    monkeypatch.setenv("FIXER_JOBS", "2")
    before = signal.getsignal(signal.SIGINT)
    states = parallel.map_paths(open_repo(repo_dir, config_mod.Config()), [f"f{i}.ts" for i in range(8)],
                                _sigint_handler)
    assert {pid for _, pid in states.values()} - {os.getpid()}  # run by workers
    assert all(ignored for ignored, _ in states.values())
    assert signal.getsignal(signal.SIGINT) == before != signal.SIG_IGN


def test_cache_is_bounded_and_safe_for_concurrent_runs(tmp_path: Path) -> None:
    small = Cache(tmp_path / "c.sqlite", max_bytes=20_000)
    small.put_many({f"k{i}": b"x" * 1000 for i in range(100)})
    small.flush()  # writes are buffered until then (or close)
    small.prune()
    kept = small.get_many(f"k{i}" for i in range(100))
    assert 0 < len(kept) <= 20 and "k99" in kept  # the newest stay
    small.close()

    repo_dir = make_repo(tmp_path / "r", SMALL_REPO)
    env = {"FIXER_CACHE_DIR": str(tmp_path / "shared-cache")}
    runs = [subprocess.Popen([sys.executable, "-m", "fixer", "audit", str(repo_dir)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**__import__("os").environ, **env}) for _ in range(4)]
    outputs = [r.communicate() for r in runs]
    assert [r.returncode for r in runs] == [1, 1, 1, 1], [o[1] for o in outputs]
    assert len({o[0] for o in outputs}) == 1
    # what the four wrote (each audit writes through a forked process) is whole and answers a fifth
    with sqlite3.connect(tmp_path / "shared-cache" / "cache.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = subprocess.run([sys.executable, "-m", "fixer", "audit", str(repo_dir)], capture_output=True,
                           env={**__import__("os").environ, **env})
    assert again.returncode == 1 and again.stdout == outputs[0][0]


def test_a_closed_cache_misses_and_drops_writes(tmp_path: Path) -> None:
    results = Cache(tmp_path / "c.sqlite")
    results.put_many({"a": 1})
    results.close()
    assert results.get_many(["a"]) == {} and results.put_many({"b": 2}) is None
    reopened = Cache(tmp_path / "c.sqlite")
    assert reopened.get_many(["a", "b"]) == {"a": 1}  # what was pending at close was written


def test_a_write_is_one_transaction_all_or_nothing(tmp_path: Path) -> None:
    """A write that fails partway (here: its last row does not pickle) leaves none of its
    rows behind: one transaction, not a commit per row (which was also 7x slower)."""
    results = Cache(tmp_path / "c.sqlite")
    results.put_many({"a": 1, "b": 2})
    results.close()
    broken = Cache(tmp_path / "c.sqlite")
    broken.put_many({"c": 3, "d": 4, "zz": lambda: None})  # written in key order: "zz" last
    with pytest.raises(Exception, match="pickle|lambda"):
        broken.flush()
    assert not broken._db.in_transaction
    broken.put_many({"e": 5})  # the connection is usable again
    broken.flush()
    assert Cache(tmp_path / "c.sqlite").get_many(["a", "b", "c", "d", "e"]) == {"a": 1, "b": 2, "e": 5}


def test_writing_in_the_background_loses_nothing_and_a_refused_write_fails_nothing(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    results = Cache(tmp_path / "c.sqlite")
    results.put_many({f"k{i}": ("row", i) for i in range(2000)})
    results.flush_in_background()
    assert results._writer is not None  # (2,000 rows: a writer process)
    results.put_many({"later": 1})  # while it writes: kept for the next write
    assert results.get_many(["k0", "k1999", "later"]) == {"k0": ("row", 0), "k1999": ("row", 1999), "later": 1}
    results.close()
    assert len(Cache(tmp_path / "c.sqlite").get_many([f"k{i}" for i in range(2000)] + ["later"])) == 2001
    assert not list(tmp_path.glob("*.spool"))  # (the rows it was handed are gone with it)

    # a few rows are written at once, by this process
    few = Cache(tmp_path / "few.sqlite")
    few.put_many({"a": 1})
    few.flush_in_background()
    assert few._writer is None and Cache(tmp_path / "few.sqlite").get_many(["a"]) == {"a": 1}

    # a disk that refuses the write never fails the run: the cache turns itself off
    monkeypatch.setattr(Cache, "BACKGROUND_FROM", 1)
    broken = Cache(tmp_path / "d.sqlite")
    broken.put_many({"a": 1})
    broken.path = tmp_path / "gone" / "d.sqlite"  # (where the writer process cannot open it)
    broken.flush_in_background()
    broken.put_many({"b": 2})
    broken.close()
    assert not broken.enabled and broken.get_many(["a", "b"]) == {}
    assert not list(tmp_path.glob("*.spool"))

    full = Cache(tmp_path / "e.sqlite")
    full.put_many({"a": 1})
    refuse = lambda self, pending: (_ for _ in ()).throw(sqlite3.OperationalError("disk I/O error"))  # noqa: E731
    monkeypatch.setattr(Cache, "_write", refuse)
    full.close()  # the synchronous write refused too: no exception
    assert not full.enabled

    # a result that does not pickle is a bug, and is reported as one (pickled before the writer starts)
    monkeypatch.undo()
    monkeypatch.setattr(Cache, "BACKGROUND_FROM", 1)
    buggy = Cache(tmp_path / "f.sqlite")
    buggy.put_many({"a": 1, "b": lambda: None})
    with pytest.raises(CacheWriteError, match="pickle|lambda"):
        buggy.flush_in_background()
    assert not list(tmp_path.glob("*.spool"))

    # and so is a writer that fails other than by the disk's refusal: its last word is the message
    failing = tmp_path / "failing.py"
    failing.write_text("raise RuntimeError('the writer broke')\n")
    monkeypatch.setattr(cache_mod.cachewrite, "__file__", str(failing))
    bug = Cache(tmp_path / "g.sqlite")
    bug.put_many({"a": 1})
    bug.flush_in_background()
    with pytest.raises(CacheWriteError, match="RuntimeError: the writer broke"):
        bug.close()
    assert not list(tmp_path.glob("*.spool"))


def test_lookups_during_a_background_write_do_not_wait_for_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The background writer is a process of its own: while it writes (here: while another
    run holds the database's write lock), lookups answer from what it is writing and from
    what is on disk, without waiting; it loses nothing."""
    import time

    monkeypatch.setattr(Cache, "BACKGROUND_FROM", 1)
    results = Cache(tmp_path / "c.sqlite")
    results.put_many({"old": 1})
    results.flush()
    other = sqlite3.connect(tmp_path / "c.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another run writing: the writer waits for it
    results.put_many({f"k{i}": i for i in range(100)})
    results.flush_in_background()
    results.put_many({"later": 2})
    assert results.get_many(["old", "k7", "later", "missing"]) == {"old": 1, "k7": 7, "later": 2}
    time.sleep(0.3)
    assert results._writer is not None and results._writer[0].poll() is None  # still writing
    other.execute("COMMIT")
    results.close()
    assert Cache(tmp_path / "c.sqlite").get_many(["old", "k0", "k99", "later"]) == {"old": 1, "k0": 0, "k99": 99, "later": 2}


def test_a_damaged_cache_file_is_a_run_without_cache_not_an_error(tmp_path: Path) -> None:
    """A database file whose pages are damaged (its header intact: it opens) fails its lookups
    ("database disk image is malformed"): the run goes on uncached and says the same."""
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO)
    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    first = fixer("audit", str(repo_dir), env=env)
    assert first.returncode == 1
    database = tmp_path / "cache" / "cache.sqlite"
    with sqlite3.connect(database) as db:  # (the writer's WAL folded in, so the pages are in the file)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = database.stat().st_size
    assert size > 8192
    with open(database, "r+b") as damaged:
        for offset in range(4096, size, 4096):
            damaged.seek(offset)
            damaged.write(bytes((offset * 7 + i) % 251 for i in range(3000)))
    for run in range(2):
        again = fixer("audit", str(repo_dir), env=env)
        assert again.returncode == 1 and again.stdout == first.stdout, again.stderr.decode()
        assert b"internal error" not in again.stderr


@pytest.mark.parametrize("flag", ["--skip-worktree", "--assume-unchanged"])
def test_a_file_git_is_told_not_to_look_at_is_read_for_what_it_holds(tmp_path: Path, flag: str) -> None:
    """`git update-index --skip-worktree` (or `--assume-unchanged`) hides a file's edits from
    `git diff-files`: its results were cached under the index's blob id, and once the edit was
    undone the cached audit, plan and apply used them (a branch missing a rename, exit 0)."""
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO)
    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    app = "services/booking-service/src/app.ts"
    truth = fixer("--no-cache", "audit", str(repo_dir)).stdout
    git(repo_dir, "update-index", flag, app)
    (repo_dir / app).write_text((repo_dir / app).read_text().replace("'/healthz'", "'/health'"))
    edited = fixer("audit", str(repo_dir), env=env)
    assert edited.stdout != truth  # (what the working tree holds: the route is /health there)
    git(repo_dir, "update-index", flag.replace("--", "--no-", 1), app)
    git(repo_dir, "checkout", "--", app)
    assert fixer("audit", str(repo_dir), env=env).stdout == truth
    dry = fixer("apply", "--fix", "health-endpoints", "--dry-run", str(repo_dir), env=env)
    assert f"+++ b/{app}".encode() in dry.stdout, dry.stderr.decode()


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO)
    for args in (["--no-cache", "audit"], ["audit", "--no-cache"]):  # (where users put it, too)
        result = fixer(*args, str(repo_dir), env={"FIXER_CACHE_DIR": str(tmp_path / "cache")})
        assert result.returncode == 1, result.stderr.decode()
        assert not (tmp_path / "cache").exists()


def test_gather_facts_must_not_depend_on_the_repository(tmp_path: Path) -> None:
    """repo.facts caches by content: the same bytes at the same path give the cached value."""
    calls: list[str] = []

    def gather(source_file):  # type: ignore[no-untyped-def]
        calls.append(source_file.path)
        return len(source_file.data)

    root = tmp_path / "plain"
    (root / "a").mkdir(parents=True)
    (root / "a" / "x.ts").write_text("console.log(1)\n")
    (root / "a" / "y.ts").write_text("nothing here\n")
    results_cache = Cache(tmp_path / "c.sqlite")
    for _ in range(2):
        repo = Repo(root, DirectorySource(root))
        repo.cache = results_cache
        assert repo.facts("test/size", gather, {"ts"}, (b"console",)) == {"a/x.ts": 15}
    assert calls == ["a/x.ts"]


def test_dockerfiles_are_never_parsed_in_a_forked_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dockerfile parser is Go: after a fork its runtime can deadlock, so only the parent
    process may call it (a 20,000-file benchmark hung for good before this rule)."""
    import os

    from fixer.parsing import dockerfile as dockerfile_parser

    files = dict(SMALL_REPO)
    for index in range(30):
        files[f"services/s{index}/package.json"] = "{}"
        files[f"services/s{index}/Dockerfile"] = "FROM node:20\nHEALTHCHECK CMD curl -f http://localhost:3000/healthz\n"
        files[f"services/s{index}/app.ts"] = "app.get('/healthz', (_r, s) => s.json({}));\n"
    repo_dir = make_repo(tmp_path / "r", files)
    parent = os.getpid()
    calls = tmp_path / "calls"
    real_parse = dockerfile_parser.parse

    def recording_parse(data: bytes):  # type: ignore[no-untyped-def]
        with open(calls, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real_parse(data)

    monkeypatch.setattr(dockerfile_parser, "parse", recording_parse)
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)
    monkeypatch.setenv("FIXER_JOBS", "2")
    runs = run_fixes(open_repo(repo_dir, config_mod.Config()), _all_fixes())
    assert any(r.findings for r in runs)
    assert set(calls.read_text().split()) == {str(parent)}


def test_the_same_dockerfile_bytes_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services model, the checklist and the probes each ask for every Dockerfile: the
    same bytes are parsed by BuildKit's parser once, and each caller gets its own list."""
    import uuid

    from fixer.parsing import dockerfile as dockerfile_parser

    calls: list[str] = []
    real = dockerfile_parser.buildkit.parse_string
    monkeypatch.setattr(dockerfile_parser.buildkit, "parse_string", lambda text: calls.append(text) or real(text))
    data = f"FROM node:20\nLABEL test={uuid.uuid4().hex}\nHEALTHCHECK CMD curl -f http://localhost/\n".encode()
    first = dockerfile_parser.parse(data)
    first.append(first[0])  # a caller's own list
    second = dockerfile_parser.parse(data)
    assert len(calls) == 1 and [i.cmd for i in second] == ["FROM", "LABEL", "HEALTHCHECK"]
    assert dockerfile_parser.parse(data + b"EXPOSE 3000\n")[-1].cmd == "EXPOSE" and len(calls) == 2


def test_a_parse_that_fails_is_not_remembered() -> None:
    from fixer.parsing.text import parsed_once

    calls: list[bytes] = []

    @parsed_once(2)
    def parse(data: bytes) -> list[bytes]:
        calls.append(data)
        if data == b"bad":
            raise ValueError("no")
        return data.split()

    for _ in range(2):
        with pytest.raises(ValueError):
            parse(b"bad")
    assert parse(b"a b") == [b"a", b"b"] and parse(b"a b") == [b"a", b"b"]
    parse(b"c")
    parse(b"d")  # over the limit: "a b" (least recently used) goes
    parse(b"a b")
    assert calls == [b"bad", b"bad", b"a b", b"c", b"d", b"a b"]


def test_an_unchanged_repository_gets_the_remembered_audit_and_any_change_recomputes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from fixer import cli

    repo_dir = make_repo(tmp_path / "r", SMALL_REPO)
    monkeypatch.setenv("FIXER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(repo_dir)
    computed: list[int] = []
    reads: list[str] = []
    real_run, real_read = cli.run_fixes, WorkingTreeSource.read
    monkeypatch.setattr(cli, "run_fixes", lambda *a, **k: computed.append(1) or real_run(*a, **k))
    monkeypatch.setattr(WorkingTreeSource, "read", lambda self, entry: reads.append(entry.path) or real_read(self, entry))

    def audit(*args: str) -> tuple[int, str, bool, list[str]]:
        computed.clear()
        reads.clear()
        result = CliRunner().invoke(cli.app, ["audit", *args])
        return result.exit_code, result.stdout, bool(computed), list(reads)

    code, out, ran, _ = audit()
    assert ran and code == 1 and "/healthz" in out
    assert audit() == (code, out, False, [])  # remembered: no fix runs, no file is read
    json_code, json_out, ran, _ = audit("--format", "json")
    assert ran and json_out.startswith("{")  # other options: their own answer
    assert audit("--format", "json")[:3] == (json_code, json_out, False)

    app_ts = repo_dir / "services/course-service/src/app.ts"
    app_ts.write_text(app_ts.read_text() + "console.log('boot');\n")  # a tracked file modified
    code2, out2, ran, _ = audit()
    assert ran and "console-to-logger" in out2 and out2 != out
    assert audit()[:3] == (code2, out2, False)

    (repo_dir / "services/course-service/src/extra.ts").write_text("app.get('/healthz', h);\n")  # untracked
    code3, out3, ran, _ = audit()
    assert ran and "extra.ts" in out3

    (repo_dir / ".fixer.toml").write_text('exclude = ["services/course-service/**"]\n')  # configuration
    code4, out4, ran, _ = audit()
    assert ran and "extra.ts" not in out4
    (repo_dir / ".fixer.toml").write_text('exclude = ["services/course-service/**"]\n\n'
                                          '[fix.console-to-logger]\nskip-bootstrap = false\n')
    assert audit()[2]  # a fix's option: the same files, another answer (checked before any fix is loaded)
    monkeypatch.setattr(cli, "_plugins", lambda: [("extra-fix", "extra_fix:module", "1.0")])
    assert audit()[2]  # a plug-in fix installed
    assert not audit()[2]
    git(repo_dir, "add", "-A")
    git(repo_dir, "commit", "-q", "-m", "more")  # the same files, but the refs moved: history may differ
    assert audit()[2]
    assert not audit()[2]

    # a run that failed is never remembered: the failure is tried again
    module = registry()["cors-validation"]
    monkeypatch.setattr(module, "prepare", lambda repo, options: 1 / 0)
    (repo_dir / "README.md").write_text("# changed\n")
    assert audit()[0] == 3
    assert audit()[0] == 3 and computed


@pytest.mark.parametrize("write_ahead", [False, True])
def test_a_dry_run_is_remembered_by_its_background_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          write_ahead: bool) -> None:
    """A dry run writes its cache rows from a writer process while it prints the diff (and,
    after a pass that read many files, from the scan pass's end on: `WRITE_AHEAD_ROWS`):
    the next dry run gets them (no file scanned again) and prints the same diff and summary."""
    from typer.testing import CliRunner

    from fixer import cli, runner

    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        "services/booking-service/src/logger.ts": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "services/booking-service/src/boot.ts": "import { logger } from './logger';\nlogger.info('up');\nconsole.log('ready', port);\n",
    })
    monkeypatch.setenv("FIXER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(Cache, "BACKGROUND_FROM", 1)  # (a writer process however few the rows)
    if write_ahead:
        monkeypatch.setattr(runner, "WRITE_AHEAD_ROWS", 1)
    module = registry()["console-to-logger"]
    scanned: list[str] = []
    real_scan = module.scan
    monkeypatch.setattr(module, "scan", lambda source_file, context: scanned.append(source_file.path)
                        or real_scan(source_file, context))
    writes: list[tuple[int, bool]] = []  # (rows pending, a writer process started)

    def flush(self: Cache) -> None:
        rows = self.pending_rows()
        real_flush(self)
        writes.append((rows, self._writer is not None))

    real_flush = Cache.flush_in_background
    monkeypatch.setattr(Cache, "flush_in_background", flush)

    def dry_run() -> tuple[int, bytes, str, list[str]]:
        scanned.clear()
        writes.clear()
        result = CliRunner().invoke(cli.app, ["apply", "--fix", "console-to-logger", "--dry-run", str(repo_dir)])
        return result.exit_code, result.stdout_bytes, result.stderr, list(scanned)

    code, diff, summary, cold = dry_run()
    assert code == 0 and b"logger.info" in diff and cold
    assert len(writes) == (2 if write_ahead else 1)
    assert all(rows > 0 and started for rows, started in writes)  # (the first write has the passes' rows, the second the check's)
    assert dry_run() == (code, diff, summary, [])
    if write_ahead:  # a plan's steps rewrite their rows: they stay buffered, written once at the end of the plan
        writes.clear()
        assert CliRunner().invoke(cli.app, ["plan", "--dry-run", str(repo_dir)]).exit_code == 0
        assert len(writes) == 1


def test_a_cached_row_keeps_its_newest_slots(tmp_path: Path) -> None:
    """Each file's row keeps the ROW_SLOTS most recently stored slots (a slot stored again
    counts as new); older ones are dropped, so rows stay small over many fix contexts."""
    from fixer.repo import ROW_SLOTS

    repo_dir = make_repo(tmp_path / "r", {"a.ts": "x\n"})
    repo = open_repo(repo_dir, config_mod.Config())
    repo.cache = Cache(tmp_path / "cache.sqlite")
    for number in range(ROW_SLOTS + 10):
        repo.store_rows({"a.ts": {f"slot-{number}": ("ok", number)}})
    repo.store_rows({"a.ts": {"slot-20": ("ok", "again")}})
    repo.cache.flush()
    fresh = open_repo(repo_dir, config_mod.Config())
    fresh.cache = repo.cache
    row = fresh.file_rows(["a.ts"])["a.ts"]
    assert len(row) == ROW_SLOTS and list(row)[-1] == "slot-20" and row["slot-20"] == ("ok", "again")
    assert list(row)[:-1] == [f"slot-{n}" for n in range(10, ROW_SLOTS + 10) if n != 20]


def test_rows_hold_no_outcome_that_the_needles_tell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A facts spec's "filtered" outcome is not stored: the row's needle slot (one packed
    set of the needles tested, one of those held) tells it, and a warm run still reads no
    file for it."""
    from fixer.repo import NEEDLES_SLOT

    monkeypatch.setenv("FIXER_JOBS", "1")
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO)
    results_cache = Cache(tmp_path / "cache.sqlite")
    repo = open_repo(repo_dir, config_mod.Config(), working_tree=True)
    repo.cache = results_cache
    run_fixes(repo, _all_fixes(), findings_only=True)
    rows = [row for row in repo._rows.values() if NEEDLES_SLOT in row]
    assert rows and all(("filtered",) not in row.values() for row in rows)
    assert all(isinstance(part, bytes) for row in rows if row[NEEDLES_SLOT][0] == "present"
               for part in row[NEEDLES_SLOT][1:])


def test_rows_share_one_object_per_needle_slot_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files holding the same needles share one needle-slot object, in a cold run's rows and in
    rows read back from the cache (each row held its own copy of the same few hundred bytes of
    tested needles: 10 MB at 20,000 files, and the workers forked after copied its pages)."""
    from fixer.repo import NEEDLES_SLOT

    monkeypatch.setenv("FIXER_JOBS", "1")
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        f"services/booking-service/src/util{n}.ts": f"export const a{n} = {n};\n" for n in range(6)})
    results_cache = Cache(tmp_path / "cache.sqlite")
    repo = open_repo(repo_dir, config_mod.Config(), working_tree=True)
    repo.cache = results_cache
    run_fixes(repo, _all_fixes(), findings_only=True)

    def distinct(rows: list[dict]) -> tuple[int, int, int]:
        return len(rows), len({row[NEEDLES_SLOT] for row in rows}), len({id(row[NEEDLES_SLOT]) for row in rows})

    rows = [row for row in repo._rows.values() if NEEDLES_SLOT in row]
    count, values, objects = distinct(rows)
    assert values == objects and count >= values + 5
    results_cache.flush()
    again = open_repo(repo_dir, config_mod.Config(), working_tree=True)
    again.cache = results_cache
    assert distinct([row for row in again.file_rows(again.paths()).values() if NEEDLES_SLOT in row]) == (count, values, values)


def test_a_prefilter_that_depends_on_the_context_rules_files_out_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """db-degradation has no fixed prefilter (its callers are found by the init functions'
    names): its `needles(context)` let the engine rule out, from the bytes, a file that
    neither connects nor calls one, so scan() only sees the others."""
    monkeypatch.setenv("FIXER_JOBS", "1")
    module = registry()["db-degradation"]
    assert not module.INFO.prefilter
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        "services/booking-service/src/db.ts": (
            "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function initDb() {\n"
            "  for (let i = 0; i < 3; i++) { try { await pool.connect(); return pool; } catch (e) {} }\n"
            "  throw new Error('database unreachable');\n}\n"),
        "services/booking-service/src/index.ts": "import { initDb } from './db';\ninitDb();\n",
    })
    scanned: list[str] = []
    real = module.scan
    monkeypatch.setattr(module, "scan", lambda f, c: scanned.append(f.path) or real(f, c))
    repo = open_repo(repo_dir, config_mod.Config())
    runs = run_fixes(repo, [(module, config_mod.options_for(module.INFO, config_mod.Config()))], findings_only=True)
    assert "services/booking-service/src/db.ts" in {f.path for f in runs[0].findings}
    assert sorted(scanned) == ["services/booking-service/src/db.ts", "services/booking-service/src/index.ts"]


def _as_a_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], watched: str):
    """A repository of SMALL_REPO and `files`, run in this process the way a worker runs
    (nothing read is kept for the next pass), counting each file's reads and the files the
    `watched` fix scans: (repo, reads, scanned)."""
    from collections import Counter

    monkeypatch.setenv("FIXER_JOBS", "1")
    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | files)
    reads: Counter = Counter()
    real = WorkingTreeSource.read
    monkeypatch.setattr(WorkingTreeSource, "read", lambda self, entry: reads.update([entry.path]) or real(self, entry))
    repo = open_repo(repo_dir, config_mod.Config(), working_tree=True)
    repo.cache = Cache(tmp_path / "cache.sqlite")
    repo.keeps_bytes = False
    monkeypatch.setattr("fixer.repo.FILES_IN_MEMORY", 0)
    module = registry()[watched]
    scanned: list[str] = []
    real_scan = module.scan
    monkeypatch.setattr(module, "scan", lambda f, c: scanned.append(f.path) or real_scan(f, c))
    return repo, reads, scanned


def test_the_facts_pass_tests_the_scans_needles_so_the_scan_pass_reads_only_their_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """console-to-logger's facts pass reads every code file anyway: it also tests each for
    the scan's prefilter, so the scan pass reads only the files holding `console`, and a
    file without it is read once."""
    files = {f"services/booking-service/src/quiet{n}.ts": f"export const q{n} = {n};\n" for n in range(6)}
    files["services/booking-service/src/loud.ts"] = "export function f() {\n  console.log('hi');\n}\n"
    repo, reads, scanned = _as_a_worker(tmp_path, monkeypatch, files, "console-to-logger")
    module = registry()["console-to-logger"]
    run = run_fixes(repo, [(module, config_mod.options_for(module.INFO, config_mod.Config()))], findings_only=True)[0]
    assert [f.path for f in run.findings] == ["services/booking-service/src/loud.ts"]
    assert all(b"console" in (repo.root / path).read_bytes() for path in scanned)
    code = {path: count for path, count in reads.items() if path.endswith(".ts")}
    assert all(code[path] == 1 for path in files if path != "services/booking-service/src/loud.ts"), code


def test_a_cold_audit_reads_a_file_no_fix_wants_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checklist's facts are gathered in the facts pass, which also tests the scans'
    prefilters and gathers secrets' GATE: a code file that no prefilter lets through and
    that holds nothing like a secret is read once, by the facts pass; one that may hold a
    secret is read and scanned again."""
    from fixer import checklist

    quiet = {f"services/booking-service/src/quiet{n}.ts": f"export const q{n} = {n};\n" for n in range(6)}
    token = "Qm8rT2vX9kLp4" + "NwZ7cHs3JdF6yBg1AeU"  # fake, built at test time
    suspect = {"services/booking-service/src/keys.ts": f"export const apiToken = '{token}';\n"}
    repo, reads, scanned = _as_a_worker(tmp_path, monkeypatch, quiet | suspect, "secrets")
    runs = run_fixes(repo, _all_fixes(), findings_only=True, also_gather=checklist.FACTS)
    assert {path: reads[path] for path in quiet} == dict.fromkeys(quiet, 1)
    assert reads["services/booking-service/src/keys.ts"] == 2
    assert not set(quiet) & set(scanned) and "services/booking-service/src/keys.ts" in scanned
    assert "services/booking-service/src/keys.ts" in {f.path for r in runs if r.info.id == "secrets" for f in r.findings}


def test_a_package_json_change_reaches_cached_results_that_read_it(tmp_path: Path) -> None:
    """A .js file without imports is CommonJS or an ES module by its nearest package.json's
    `type` (Node's rule): the file is unchanged, its package.json is not, and the cached
    scan of the file must not answer for the new `type`."""
    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    repo = make_repo(tmp_path / "r", {
        "services/jobs/package.json": '{"name": "jobs"}\n',
        "services/jobs/src/run.js": "console.log('started');\n",
        "services/jobs/src/logger.js": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "services/jobs/src/other.js": "import { logger } from './logger.js';\nlogger.info('x');\n",
    })
    first = fixer("apply", "--fix", "console-to-logger", "--dry-run", str(repo), env=env)
    assert b"+const { logger } = require('./logger.js');" in first.stdout, first.stdout.decode()
    (repo / "services/jobs/package.json").write_text('{"name": "jobs", "type": "module"}\n')
    git(repo, "commit", "-q", "-am", "ESM now")
    second = fixer("apply", "--fix", "console-to-logger", "--dry-run", str(repo), env=env)
    assert b"require(" not in second.stdout.split(b"run.js")[-1], second.stdout.decode()
    assert b"+import { logger } from './logger.js';" in second.stdout, second.stdout.decode()


def _tree_files(root: Path, under: str = "") -> dict[str, bytes]:
    return {under + path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}


def test_the_worker_pool_agrees_with_one_process_on_every_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool is used only from IN_PROCESS_BELOW files, which no fixture reaches: a crash only
    there (a facts lookup inside a worker starting a pool of its own) passed every other test
    once. Here the sample monorepo and every fixture's `before/` tree, laid side by side in one
    repository with the cache off, are run by forked workers and in one process, with every fix
    at once and the checklist's facts (an audit), and each fix alone (an apply): the same
    findings, changes, problems and skips every way."""
    from fixer import checklist

    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    files = _tree_files(fixtures / "sample-monorepo")
    for before in sorted(fixtures.glob("*/*/before")):
        files.update(_tree_files(before, f"cases/{before.parent.parent.name}/{before.parent.name}/"))
    repo_dir = make_repo(tmp_path / "r", files)
    monkeypatch.setenv("FIXER_NO_CACHE", "1")  # (every fact computed in this run, many inside the workers)

    def outcome(runs: list) -> list:
        return [(_findings([r]), sorted((p, c.after) for p, c in r.changes.items()),
                 sorted((p.path, p.message) for p in r.problems), sorted((s.path, s.reason) for s in r.skips))
                for r in runs]

    results = []
    for jobs, below in (("2", 1), ("1", parallel.IN_PROCESS_BELOW)):
        monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", below)
        monkeypatch.setenv("FIXER_JOBS", jobs)
        results.append(outcome(run_fixes(open_repo(repo_dir, config_mod.Config()), _all_fixes(),
                                         findings_only=True, also_gather=checklist.FACTS)))
    pooled, alone = results
    assert sum(len(each[0]) for each in pooled) > 500  # (the fixtures' findings: a real run)
    assert pooled == alone
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)
    monkeypatch.setenv("FIXER_JOBS", "2")
    for job, together in zip(_all_fixes(), pooled):
        assert outcome(run_fixes(open_repo(repo_dir, config_mod.Config()), [job]))[0][:1] == together[:1], job[0].INFO.id


def _dockerfile_in_worker(repo: object, path: str) -> tuple[str, int]:
    """What a worker gets for a Dockerfile: its instructions' commands, or the error (never a hang)."""
    from fixer.parsing import dockerfile as dockerfile_parser

    source_file = repo.read("services/api/Dockerfile.healthcheck")  # type: ignore[attr-defined]
    try:
        return " ".join(i.cmd for i in source_file.instructions), os.getpid()
    except Exception as error:  # (a ParseError: what a scan would skip)
        return f"error: {error}", os.getpid()
    finally:
        assert dockerfile_parser.IN_FORKED_WORKER


def test_a_worker_never_runs_the_dockerfile_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BuildKit's parser is Go, not fork-safe: a worker that parsed a Dockerfile the parent had not (a compose
    healthcheck's image, `probes._compose_script`) could hang for good (it hung CI once). The parent parses
    every Dockerfile before it forks; in a worker the parser answers only from those, else raises."""
    from fixer.parsing import dockerfile as dockerfile_parser

    files = {f"services/api/src/f{index}.ts": "x\n" for index in range(8)}
    files["services/api/Dockerfile.healthcheck"] = "FROM node:20-alpine\nWORKDIR /app\nCOPY hc.js .\n"
    repo_dir = make_repo(tmp_path / "r", files)
    monkeypatch.setattr(parallel, "IN_PROCESS_BELOW", 1)
    monkeypatch.setenv("FIXER_JOBS", "2")
    results = parallel.map_paths(open_repo(repo_dir, config_mod.Config()), sorted(p for p in files if p.endswith(".ts")),
                                 _dockerfile_in_worker)
    assert {pid for _, pid in results.values()} - {os.getpid()}  # run by workers
    assert {text for text, _ in results.values()} == {"FROM WORKDIR COPY"}  # (parsed by the parent first)
    assert not dockerfile_parser.IN_FORKED_WORKER  # (the parent's flag)
    monkeypatch.setattr(dockerfile_parser, "IN_FORKED_WORKER", True)
    with pytest.raises(dockerfile_parser.DockerfileError, match="not fork-safe"):
        dockerfile_parser.parse(b"FROM node:20\nRUN echo never parsed before\n")



def test_a_lower_size_limit_is_never_answered_from_rows_read_under_a_higher_one(tmp_path: Path) -> None:
    """A row says what a file's bytes hold; under a lower `max-file-size` the file is not read at all,
    so a cached run must not use its facts (it did: the row key had no limit in it, and the sample's
    health-endpoints found a route in a file it said it had not read)."""
    import shutil
    from nodeenv import SAMPLE_MONOREPO
    root = tmp_path / "r"
    shutil.copytree(SAMPLE_MONOREPO, root, ignore=shutil.ignore_patterns("node_modules"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    assert fixer("audit", cwd=root, env=env).returncode in (0, 1)  # the rows are filled
    (root / ".fixer.toml").write_text("max-file-size = 1100\n")
    git(root, "add", ".fixer.toml")  # (apply reads the .fixer.toml committed at its base)
    git(root, "commit", "-q", "-m", "limit")
    command = ("apply", "--fix", "health-endpoints", "--dry-run")
    cached = fixer(*command, cwd=root, env=env)
    fresh = fixer("--no-cache", *command, cwd=root, env=env)
    assert cached.returncode == fresh.returncode == 0, cached.stderr
    assert (cached.stdout, cached.stderr) == (fresh.stdout, fresh.stderr)
    assert b"over the size limit" in fresh.stdout + fresh.stderr


def test_logger_call_facts_are_not_gathered_again_after_a_compose_change(tmp_path: Path) -> None:
    """`logger.LOGGER_CALLS` resolves relative imports (which files exist) and reads nothing of
    the compose model: a plan step after one that adds a compose override (env-separation)
    finds them all still good. Keyed by the whole structure, they were gathered again for every
    code file of the repository (0.7 s of a 5,000-file plan, for a fix with nothing to do)."""
    from fixer import logger

    repo_dir = make_repo(tmp_path / "r", SMALL_REPO | {
        "services/booking-service/src/log.ts": "import winston from 'winston';\nexport const logger = winston.createLogger({});\n",
        "services/booking-service/src/index.ts": "import { logger } from './log';\nlogger.info('up', { port: 3000 });\n",
        "docker-compose.yml": "services:\n  booking:\n    build: ./services/booking-service\n",
    })
    base = open_repo(repo_dir, config_mod.Config())
    base.cache = Cache(tmp_path / "cache.sqlite")
    gathered = base.facts_of(logger.LOGGER_CALLS)
    assert gathered["services/booking-service/src/index.ts"].logger_calls  # (`logger.info('up', { port })`: a shape)
    overlay = base.overlay({"docker-compose.override.yml": b"services:\n  booking:\n    environment:\n      LOG_LEVEL: info\n"})
    assert overlay.structure_digest != base.structure_digest  # the compose model changed
    pending = overlay.facts_pending([logger.LOGGER_CALLS])
    assert not pending.missing
    assert overlay.facts_of(logger.LOGGER_CALLS) == gathered


@pytest.mark.parametrize("setup", ["autocrlf", "eol-attribute"])
def test_a_file_git_converts_on_checkout_is_keyed_by_its_own_bytes(tmp_path: Path, setup: str) -> None:
    """With `core.autocrlf=true` or `* text eol=crlf`, git checks out CRLF bytes of an LF blob and
    calls the file unmodified: its index blob id is not the id of what is on disk. Results computed
    on the CRLF text were cached under the LF blob's id, and a later run reading the blob (a plan
    step, `apply`) spliced their byte offsets into the LF text: broken code, committed (r12). A
    converted file is keyed by its own bytes, as an untracked one is; an audit and then an apply
    make the branch a run with no cache makes."""
    source = {"services/booking-service/src/app.ts": "import { Pool } from 'pg';\nconst pool = new Pool();\n"
              "export async function initDb() {\n  await pool.connect();\n  await pool.query('select 1');\n}\n"
              "console.log('booking up');\nconsole.log('ready');\n",
              "services/booking-service/src/logger.ts": "import winston from 'winston';\n"
              "export const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\n",
              "services/booking-service/src/jobs.ts": "import { logger } from './logger';\n"
              "export function run() {\n  logger.info('run');\n}\n"}
    origin = make_repo(tmp_path / "origin", SMALL_REPO | source | (
        {".gitattributes": "* text eol=crlf\n"} if setup == "eol-attribute" else {}))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", *(["-c", "core.autocrlf=true"] if setup == "autocrlf" else []), str(origin), str(clone))
    path = "services/booking-service/src/app.ts"
    on_disk = (clone / path).read_bytes()
    assert b"\r\n" in on_disk and git(clone, "status", "--porcelain").strip() == ""  # converted, and clean to git
    repo = open_repo(clone, config_mod.Config(), working_tree=True)  # (what `audit` reads)
    assert repo.blob(path) == cache_mod.blob_id(on_disk) != git(clone, "rev-parse", f"HEAD:{path}").strip()

    env = {"FIXER_CACHE_DIR": str(tmp_path / "cache")}
    assert fixer("audit", "--fix", "console-to-logger", cwd=clone, env=env).returncode == 1
    for _ in range(100):  # (the audit's rows are written by a process of their own)
        if not list((tmp_path / "cache").glob("**/rows-*")):
            break
        time.sleep(0.1)
    cached = fixer("apply", "--fix", "console-to-logger", "--dry-run", cwd=clone, env=env)
    fresh = fixer("--no-cache", "apply", "--fix", "console-to-logger", "--dry-run", cwd=clone, env=env)
    assert cached.returncode == fresh.returncode == 0, cached.stderr
    assert cached.stdout == fresh.stdout and b"+logger.info('booking up')" in fresh.stdout.replace(b"\r", b"")
