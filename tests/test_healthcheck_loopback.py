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


# --- session 19 (H6): Hono's serve() and fastify-cli's `fastify start` bind as listen() does -------------------


def test_hono_serve_binds_its_hostname(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fixer import config as config_mod
    from fixer.probes import LISTENS
    from fixer.repo import open_repo
    from gitrepo import make_repo

    files = {
        "a.js": "import { serve } from '@hono/node-server'\nserve({ fetch: app.fetch, port: 3000, hostname: '::1' })\n",
        "b.js": "const { serve } = require('@hono/node-server')\nconst hostname = pick()\nserve({ fetch: app.fetch, hostname })\n",
        "c.ts": "import { serve } from '@hono/node-server'\nserve({ fetch: app.fetch, ...options })\nserve(options)\n",
        "d.js": "import { serve } from './serve.js'\nserve({ hostname: '::1' }) // '@hono/node-server' in a comment\n",
        "e.js": "import hono from '@hono/node-server'\nhono.serve({ fetch: app.fetch })\n",
    }
    repo = open_repo(make_repo(tmp_path / "repo", files), config_mod.Config(), working_tree=True)
    listens = repo.facts_of(LISTENS)
    assert [(x.line, x.host, x.framework) for x in listens["a.js"]] == [(2, "::1", "hono")]
    assert [(x.host, x.expression) for x in listens["b.js"]] == [("?", "hostname")]
    assert [(x.host, x.options) for x in listens["c.ts"]] == [("?", True), ("?", True)]
    assert not listens.get("d.js")  # (another module's serve())
    assert [(x.host, x.framework) for x in listens["e.js"]] == [(None, "hono")]  # (no hostname: every interface)


def test_fastify_start_address_is_read_from_its_command_line() -> None:
    from transforms.healthcheck_loopback import _fastify_address

    def host(arguments: str) -> tuple[str | None, bool, str] | None:
        found = _fastify_address("Dockerfile", 3, "fastify start" + arguments, arguments)
        return (found.host, found.options, found.env) if found is not None else None

    assert host(" -a 0.0.0.0 -l info app.js") == ("0.0.0.0", False, "")
    assert host(" --address=::1 app.js") == ("::1", False, "")
    assert host(" --address '[::]' app.js") == ("::", False, "")
    assert host(" -a $HOST app.js") == ("?", False, "")
    assert host(" -c fastify.config.js app.js") == ("?", True, "")  # (a config file may say)
    assert host(" --socket /tmp/app.sock app.js") is None  # (no TCP server)
    assert host(" --socket /tmp/app.sock -a 0.0.0.0 app.js") == ("0.0.0.0", False, "")  # (the address wins)
    assert host(" -l info app.js") == ("0.0.0.0", False, "FASTIFY_ADDRESS")  # (in a container; unless its env says)
