"""Unit tests of what a container runs (`probes.run_lines`, `dockerfile.run_argv`), the reader behind
healthcheck-loopback's worker-inherits-the-image's-HEALTHCHECK finding and the checklist's health-check and
SIGTERM items."""

from __future__ import annotations

from fixer.parsing import dockerfile as dockerfile_parser
from fixer.probes import run_lines


def test_run_lines_read_through_shells_and_inits() -> None:
    assert run_lines(["sh", "-c", "node dist/worker.js"]) == ["node dist/worker.js"]
    assert run_lines(["/bin/bash", "-lc", "cd /app && exec node dist/worker.js"]) == ["cd /app", "exec node dist/worker.js"]
    assert run_lines(["tini", "--", "/bin/sh", "-c", "sh -c 'node a.js'; node b.js"]) == ["node a.js", "node b.js"]
    assert run_lines(["dumb-init", "node", "dist/x.js"]) == ["node dist/x.js"]
    assert run_lines(["sh", "./start.sh"]) == ["sh ./start.sh"]  # (a shell script: not read here)
    assert run_lines(["sh", "-c"]) == [] and run_lines([]) == []


def _argv(text: str, stage: str | None = None) -> tuple[list[str], list[str]]:
    instructions = dockerfile_parser.parse(text.encode())
    index = dockerfile_parser.stage_named(instructions, stage) if stage else None
    entry, cmd, _said = dockerfile_parser.run_argv(instructions, dockerfile_parser.stage_chain(instructions, index))
    return entry, cmd


def test_run_argv_follows_dockers_rules_for_entrypoint_and_cmd() -> None:
    base = 'FROM node:20 AS base\nCMD ["node", "api.js"]\nFROM base AS worker\nENTRYPOINT ["node", "worker.js"]\nFROM base\n'
    assert _argv(base) == ([], ["node", "api.js"])  # (inherited from the stage it is built FROM)
    assert _argv(base, "worker") == (["node", "worker.js"], [])  # (a later ENTRYPOINT resets the base's CMD)
    assert _argv('FROM node:20\nENTRYPOINT ["node"]\nCMD ["api.js"]\n') == (["node"], ["api.js"])
    assert _argv("FROM node:20\nENTRYPOINT node worker.js\nCMD [\"api.js\"]\n") == (["/bin/sh", "-c", "node worker.js"], [])
    assert _argv('FROM node:20\nENTRYPOINT ["tini", "--"]\nCMD node api.js\n') == (["tini", "--"], ["/bin/sh", "-c", "node api.js"])
    assert _argv("FROM node:20\nRUN true\n") == ([], [])
