"""db-degradation (session 20, D2): node-redis v4 connects that never settle, NestJS init hooks, and the
connect of a project module's client not counted as a server start."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import run_on_tree

EXPRESS_REDIS = """const express = require('express');
const { createClient } = require('redis');

const redis = createClient(%s);
redis.on('error', (err) => console.error('redis', err.message));

const app = express();
app.get('/health', (req, res) => res.json({ ok: true }));

async function main() {
  await redis.connect();
  app.listen(3000);
}
main();
"""


def _service(tmp_path: Path, dependencies: dict[str, str], code: str) -> list[str]:
    root = tmp_path / "repo"
    (root / "services/api/src").mkdir(parents=True)
    (root / "services/api/package.json").write_text(json.dumps(
        {"name": "api", "main": "src/server.js", "scripts": {"start": "node src/server.js"},
         "dependencies": {"express": "^4.19.2", **dependencies}}))
    (root / "services/api/src/server.js").write_text(code)
    _, run = run_on_tree("db-degradation", root)
    assert not run.problems
    return [f"{f.path}:{f.line}: {f.message}" for f in run.findings]


def test_d2_node_redis_v4_connect_awaited_before_listen_is_a_hang(tmp_path: Path) -> None:
    found = _service(tmp_path, {"redis": "^4.7.0"}, EXPRESS_REDIS % "{ url: process.env.REDIS_URL }")
    assert len(found) == 1 and found[0].startswith("services/api/src/server.js:11: hangs at start-up when Redis")
    assert "reconnectStrategy" in found[0] and "without awaiting connect()" in found[0]


@pytest.mark.parametrize("dependencies, options", [
    ({"redis": "^5.0.0"}, "{ url: process.env.REDIS_URL }"),  # not the release known to hang
    ({}, "{ url: process.env.REDIS_URL }"),  # no declared version: not known
    ({"redis": "^4.7.0"}, "options"),  # options made elsewhere: may hold a reconnectStrategy
    ({"redis": "^4.7.0"}, "{ socket: { reconnectStrategy: (n) => (n > 3 ? new Error('down') : 100) } }"),
])
def test_d2_no_hang_claimed_when_not_known(tmp_path: Path, dependencies: dict[str, str], options: str) -> None:
    code = EXPRESS_REDIS % options
    if options == "options":
        code = code.replace("const redis =", "const options = require('./options');\nconst redis =")
    assert not [f for f in _service(tmp_path, dependencies, code) if "hangs" in f]


def test_d2_connect_in_a_route_handler_is_no_start_up_hang(tmp_path: Path) -> None:
    code = (EXPRESS_REDIS % "").replace("async function main() {\n  await redis.connect();\n  app.listen(3000);\n}\nmain();",
                                        "app.post('/reconnect', async (req, res) => { await redis.connect(); res.end(); });\n"
                                        "app.listen(3000);")
    assert not _service(tmp_path, {"redis": "^4.7.0"}, code)


NODE_MODULES = Path("/tmp/s20/reader_r19/mono/node_modules")


@pytest.mark.skipif(not (NODE_MODULES / "redis").is_dir() or shutil.which("node") is None,
                    reason="needs node and the redis package")
def test_d2_the_advice_works_with_node_redis_v4_and_no_server(tmp_path: Path) -> None:
    """The hang is real, and the advised reconnectStrategy makes connect() reject (a catch can degrade)."""
    script = tmp_path / "probe.js"
    script.write_text(f"""
const {{ createClient }} = require({json.dumps(str(NODE_MODULES / 'redis'))});
const strategy = process.argv[2] === 'strategy';
const options = {{ url: 'redis://127.0.0.1:9' }};
if (strategy) options.socket = {{ reconnectStrategy: (retries) => retries > 5 ? new Error('Redis unreachable') : 50 }};
const client = createClient(options);
client.on('error', () => {{}});
setTimeout(() => {{ console.log('pending'); process.exit(0); }}, 3000);
client.connect().then(() => console.log('connected'), (e) => {{ console.log('rejected'); process.exit(0); }});
""")
    run = lambda *a: subprocess.run(["node", str(script), *a], capture_output=True, text=True, timeout=20).stdout.strip()
    assert run() == "pending"
    assert run("strategy") == "rejected"


def test_d2_nest_hook_that_handles_the_failure_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "services/api/src").mkdir(parents=True)
    (root / "services/api/package.json").write_text(json.dumps(
        {"name": "api", "main": "dist/main.js", "dependencies": {"@nestjs/common": "^10.3.10", "@prisma/client": "^5.22.0"}}))
    (root / "services/api/src/prisma.service.ts").write_text("""import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit {
  async onModuleInit() {
    await this.$connect().catch((err) => console.warn('database down', err));
  }
}

@Injectable()
export class FlaggedService extends PrismaClient implements OnModuleInit {
  async onModuleInit() {
    if (process.env.ALLOW_DEGRADED_MODE === 'true') return;
    await this.$connect();
  }
}

@Injectable()
export class Producer implements OnModuleInit {
  constructor(private readonly kafkaProducer: { connect(): Promise<void> }) {}
  async onModuleInit() {
    await this.kafkaProducer.connect();
  }
}
""")
    _, run = run_on_tree("db-degradation", root)
    assert not run.problems and not run.findings
