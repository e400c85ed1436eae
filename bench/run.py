"""The benchmark: numbers, printed. Never a timed assertion in a test.

    python bench/run.py                      # 5,000 files; fixer vs jscodeshift and ast-grep
    python bench/run.py --files 5000 20000   # the monorepo-scale run (issue: all fixes, cached)
    python bench/run.py --no-tools           # fixer only (no npm / pip installs)

For each generated monorepo (bench/generate.py, deterministic) it measures, as
separate processes, wall time and peak memory (PSS summed over the process tree,
so forked workers sharing pages are not counted twice):

  console dry run   fixer apply --fix console-to-logger --dry-run, empty cache
  jscodeshift       the same rewrite with bench/jscodeshift-console.js (--dry, all cores)
  ast-grep rename   one rename rule, no import insertion (`ast-grep run -p … -r …`)
  audit cold        fixer audit, every registered fix, empty cache
  audit warm        the same again (cache filled by the cold run: the whole answer is remembered)
  audit 1 edited    the same with one file edited in the working tree (per-file cache)
  ast-grep scan     one rule for console.$M($$$)
  plain parse pass  the floor: list, read, and parse the files holding `console` over all cores,
                    nothing else (bench/plain_pass.py; the issue expects ~0.2 of ast-grep scan)
  plain rename pass the plain parse pass plus the least a console fix must do to the files it
                    changes: rename, one import line, incremental re-parse, diff (--rename)
  fixer import      what every fixer command pays before it reads a file: start Python, import
                    the CLI, the checklist and the registered fixes
  plan dry run      fixer plan --dry-run (when the plan command exists), empty cache
  slowest fix       the slowest single `apply --fix ID --dry-run`, empty cache

and the ratios the issues set targets for. Tools are installed on first use into
bench/out/tools (npm registry, PyPI). Output: a plain-text report (also written to
bench/out/report-<files>.txt).
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
TOOLS = OUT / "tools"
PYTHON = sys.executable


@dataclass
class Measure:
    label: str
    wall: float
    peak_mb: float
    code: int

    def line(self, files: int) -> str:
        rate = files / self.wall if self.wall else 0
        return f"  {self.label:<18} {self.wall:8.2f} s  {rate:9.0f} files/s  {self.peak_mb:7.0f} MB  (exit {self.code})"


def _tree(pid: int) -> list[int]:
    """The process and its descendants (through /proc/<pid>/task/<tid>/children)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(label: str, command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Measure:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})}, cwd=cwd)
    ended: list[float] = []
    waiter = threading.Thread(target=lambda: (process.wait(), ended.append(time.perf_counter())))
    waiter.start()  # the end time to the millisecond, not to the next memory sample
    peak = 0
    while waiter.is_alive():
        peak = max(peak, sum(_pss_kb(p) for p in _tree(process.pid)))
        # sampling costs CPU the measured run needs; often at first, or a warm audit (0.2 s)
        # ends before its second sample and shows the first, taken as it starts: 0 MB
        waiter.join(0.02 if time.perf_counter() - start < 0.5 else 0.2)
    return Measure(label, ended[0] - start, peak / 1024, process.returncode)


def generated(files: int, services: int) -> Path:
    """The generated tree, committed; made again when the generator changed (a stamp in
    .git holds a digest of generate.py and the arguments)."""
    tree = OUT / f"mono-{files}"
    stamp = hashlib.sha256((HERE / "generate.py").read_bytes() + f"{files} {services}".encode()).hexdigest()
    if not (tree / ".git").is_dir() or not (tree / ".git" / "bench-stamp").is_file() or \
            (tree / ".git" / "bench-stamp").read_text() != stamp:
        shutil.rmtree(tree, ignore_errors=True)
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(tree), "--files", str(files), "--services", str(services)],
                       check=True, stdout=subprocess.DEVNULL)
        for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "bench"]):
            subprocess.run(command, cwd=tree, check=True, env={**os.environ, "GIT_AUTHOR_NAME": "bench",
                           "GIT_AUTHOR_EMAIL": "bench@localhost", "GIT_COMMITTER_NAME": "bench",
                           "GIT_COMMITTER_EMAIL": "bench@localhost"})
        (tree / ".git" / "bench-stamp").write_text(stamp)
    return tree


def jscodeshift() -> list[str] | None:
    binary = TOOLS / "node" / "node_modules" / ".bin" / "jscodeshift"
    if not binary.exists():
        (TOOLS / "node").mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "jscodeshift@17"], cwd=TOOLS / "node",
                                capture_output=True)
        if result.returncode != 0:
            print("  (jscodeshift not installable here; skipped)")
            return None
    return [str(binary)]


def ast_grep() -> list[str] | None:
    target = TOOLS / "py"
    binary = target / "bin" / "ast-grep"
    if not binary.exists():
        result = subprocess.run([PYTHON, "-m", "pip", "install", "-q", "--target", str(target), "ast-grep-cli"],
                                capture_output=True)
        if result.returncode != 0 or not binary.exists():
            print("  (ast-grep not installable here; skipped)")
            return None
    return [str(binary)]


def fixer_ids() -> list[str]:
    listing = subprocess.run([PYTHON, "-m", "fixer", "list", "--json"], capture_output=True, text=True, cwd=ROOT)
    return [entry["id"] for entry in json.loads(listing.stdout)]


# What every fixer command imports before it reads a file (the CLI, the checklist, the registered fixes).
IMPORT_ALL = "import fixer.cli, fixer.checklist, fixer.runner; from transforms import registry; registry()"


def _sum(a: Measure | None, b: Measure | None) -> Measure | None:
    return Measure(f"{a.label} + {b.label}", a.wall + b.wall, max(a.peak_mb, b.peak_mb), a.code or b.code) if a and b else None


def ratio(a: Measure | None, b: Measure | None) -> str:
    if a is None or b is None or not b.wall:
        return "n/a"
    return f"{a.wall / b.wall:.2f}"


def warm_up(tree: Path) -> None:
    """Read the tree and its git objects once, and import fixer once, untimed, so that the first
    command measured does not pay for a cold page cache or stale bytecode that the later ones
    (the other tools included) do not."""
    for path in tree.rglob("*"):
        if path.is_file():
            path.read_bytes()
    subprocess.run(["git", "-C", str(tree), "cat-file", "--batch-all-objects", "--batch"], stdout=subprocess.DEVNULL,
                   check=True)
    subprocess.run([PYTHON, "-m", "fixer", "list"], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)  # bytecode compiled


def bench(files: int, services: int, tools: bool) -> str:
    tree = generated(files, services)
    warm_up(tree)
    ts_files = sum(1 for p in tree.rglob("*.ts"))
    ids = fixer_ids()
    services = sum(1 for p in (tree / "services").iterdir() if p.is_dir())  # what the tree has (it may be reused)
    lines = [f"monorepo: {ts_files} TypeScript files, {services} services ({tree})",
             f"machine: {os.cpu_count()} cores; fixer fixes registered: {len(ids)}", ""]
    fresh = lambda: {"FIXER_CACHE_DIR": tempfile.mkdtemp(prefix="fixer-bench-cache-")}  # noqa: E731
    fixer = [PYTHON, "-m", "fixer"]
    results: dict[str, Measure] = {}
    if "console-to-logger" in ids:
        results["console"] = measure("console dry run", fixer + ["apply", "--fix", "console-to-logger", "--dry-run", str(tree)], fresh())
    if tools:
        js = jscodeshift()
        if js:
            results["jscodeshift"] = measure("jscodeshift", js + ["--dry", "--silent", f"--cpus={os.cpu_count()}", "--parser=ts",
                                                                  "--extensions=ts", "-t", str(HERE / "jscodeshift-console.js"), str(tree)])
        sg = ast_grep()
        if sg:
            results["sg-rename"] = measure("ast-grep rename", sg + ["run", "--lang", "ts", "--pattern", "console.log($$$A)",
                                                                    "--rewrite", "logger.info($$$A)", str(tree)])
            rule = json.dumps({"id": "console", "language": "TypeScript", "rule": {"pattern": "console.$M($$$)"}})
            results["sg-scan"] = measure("ast-grep scan", sg + ["scan", "--inline-rules", rule, str(tree)])
    results["plain"] = measure("plain parse pass", [PYTHON, str(HERE / "plain_pass.py"), str(tree)])
    results["rename"] = measure("plain rename pass", [PYTHON, str(HERE / "plain_pass.py"), str(tree), "--rename"])
    results["import"] = measure("fixer import", [PYTHON, "-c", IMPORT_ALL])
    cache = fresh()
    results["cold"] = measure("audit cold", fixer + ["audit", str(tree)], cache)
    results["warm"] = measure("audit warm", fixer + ["audit", str(tree)], cache)
    touched = next(iter(sorted(tree.glob("services/*/src/*.ts"))))  # one file edited: the per-file cache answers
    original = touched.read_bytes()
    try:
        touched.write_bytes(original + b"// edited\n")
        results["edited"] = measure("audit 1 edited", fixer + ["audit", str(tree)], cache)
    finally:
        touched.write_bytes(original)
    plan_help = subprocess.run(fixer + ["plan", "--help"], capture_output=True, cwd=ROOT)
    if plan_help.returncode == 0:
        results["plan"] = measure("plan dry run", fixer + ["plan", "--dry-run", "--include-review", str(tree)], fresh())
        singles = [measure(f"dry run {i}", fixer + ["apply", "--fix", i, "--dry-run", str(tree)], fresh()) for i in ids]
        slowest = max(singles, key=lambda m: m.wall)
        slowest.label = "slowest fix"
        results["slowest"] = slowest
        lines.append(f"  (slowest single fix: {max(zip(singles, ids), key=lambda s: s[0].wall)[1]})")
    lines += [m.line(ts_files) for m in results.values()]
    lines += [
        "",
        "ratios (lower is better for fixer):",
        f"  console dry run / jscodeshift   {ratio(results.get('console'), results.get('jscodeshift'))}   (target <= 0.05)",
        f"  console dry run / ast-grep run  {ratio(results.get('console'), results.get('sg-rename'))}   (target < 1.0)",
        f"  audit cold / ast-grep scan      {ratio(results.get('cold'), results.get('sg-scan'))}   (target <= 0.5)",
        f"  audit warm / audit cold         {ratio(results.get('warm'), results.get('cold'))}   (target <= 0.1)",
        f"  audit 1 edited / audit cold     {ratio(results.get('edited'), results.get('cold'))}   (no target: warm, one file changed)",
        f"  plan dry run / slowest fix      {ratio(results.get('plan'), results.get('slowest'))}   (target <= 2.0)",
        "the floor (no target: parsing the files with `console`, nothing else; bench/plain_pass.py):",
        f"  plain parse pass / ast-grep scan {ratio(results.get('plain'), results.get('sg-scan'))}   (the console issue expects ~0.2)",
        f"  console dry run / plain pass    {ratio(results.get('console'), results.get('plain'))}",
        f"  audit cold / plain pass         {ratio(results.get('cold'), results.get('plain'))}",
        "  the least any console fix in Python can take (no target: the plain pass plus rename, one import line,",
        "  incremental re-parse, diff; no inference, meta, skips or checks; bench/plain_pass.py --rename):",
        f"  plain rename pass / ast-grep run {ratio(results.get('rename'), results.get('sg-rename'))}   (against the console target of < 1.0)",
        f"  console dry run / plain rename  {ratio(results.get('console'), results.get('rename'))}",
        "  what any fixer command pays before its first file (no target: start Python, import fixer and its fixes):",
        f"  fixer import / ast-grep scan    {ratio(results.get('import'), results.get('sg-scan'))}",
        f"  (fixer import + plain pass) / ast-grep scan {ratio(_sum(results.get('import'), results.get('plain')), results.get('sg-scan'))}"
        "   (the least a cold audit can take, against its target of 0.5)",
    ]
    report = "\n".join(lines) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"report-{files}.txt").write_text(report)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, nargs="+", default=[5000])
    parser.add_argument("--services", type=int, help="services per tree (default: one per 100 files)")
    parser.add_argument("--no-tools", action="store_true", help="measure fixer only")
    args = parser.parse_args()
    # byte-compile fixer as an installed package is: with PYTHONDONTWRITEBYTECODE set (this
    # sandbox sets it), every command would compile each module edited since its last .pyc
    for package in ("fixer", "transforms"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    for files in args.files:
        print(bench(files, args.services or max(1, files // 100), not args.no_tools), flush=True)


if __name__ == "__main__":
    main()
