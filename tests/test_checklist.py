"""`fixer audit`'s readiness checklist on small repositories: each static decision, the
output formats, --fail-on, --quiet, the progress bar, ignore comments and redaction."""

from __future__ import annotations

import json
from pathlib import Path

from fixer import checklist, config as config_mod
from fixer.repo import DirectorySource, Repo
from fixer.runner import run_fixes
from gitrepo import SMALL_REPO, fixer, fixer_on_terminal, make_repo, write_tree
from transforms import registry


def decide(root: Path, files: dict[str, str], fixes: tuple[str, ...] = ()) -> checklist.Checklist:
    """The checklist of a tree, with only `fixes` run (none: every item decided statically)."""
    write_tree(root, files)
    modules = registry()
    repo = Repo(root, DirectorySource(root), config_mod.load(root, modules))
    selected = [modules[f] for f in fixes]
    runs = run_fixes(repo, [(m, config_mod.options_for(m.INFO, repo.config)) for m in selected], findings_only=True)
    return checklist.build(repo, runs, set(fixes))


SERVICE = {
    "services/api/package.json": '{"name": "api", "main": "dist/index.js", "dependencies": {"express-rate-limit": "7.0.0", "zod": "3.0.0"}}\n',
    "services/api/src/index.ts": (
        "import express from 'express';\n"
        "import rateLimit from 'express-rate-limit';\n"
        "import { z } from 'zod';\n"
        "const app = express();\n"
        "app.use(rateLimit({ windowMs: 60000, max: 100 }));\n"
        "app.get('/health', (_req, res) => res.json({ status: 'ok' }));\n"
        "app.get('/ready', (_req, res) => res.json({ status: 'ready' }));\n"
        "app.post('/things', (req, res) => res.json(z.object({}).parse(req.body)));\n"
        "const server = app.listen(process.env.PORT || 3000);\n"
        "process.on('SIGTERM', () => server.close());\n"
        "process.on('unhandledRejection', () => process.exit(1));\n"
    ),
    "services/api/Dockerfile": (
        "FROM node:20-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
        "FROM node:20-alpine\nWORKDIR /app\nCOPY --from=builder /app/dist ./dist\nRUN npm ci --omit=dev\n"
        "USER node\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/health || exit 1\nCMD [\"node\", \"dist/index.js\"]\n"
    ),
    "env.template": "PORT=3000\n",
}


def test_a_healthy_service_passes_the_static_items(tmp_path: Path) -> None:
    result = decide(tmp_path, SERVICE)
    status = {item.key: item.status for item in result.items()}
    for key in ("health.health", "health.ready", "health.loopback", "res.shutdown", "res.rejections",
                "sec.rate_limit", "sec.validation", "docker.user", "docker.healthcheck", "docker.minimal",
                "docker.multistage", "doc.env"):
        assert status[key] == checklist.PASS, (key, result.item(key).summary)
    for key in ("db.pool", "db.retry", "db.timeout", "res.retry", "docker.limits", "test.redis", "env.cors"):
        assert status[key] == checklist.NA, key  # no database, no compose, no Redis, no CORS
    evidence = result.item("health.ready").evidence
    assert [e.where() for e in evidence] == ["services/api/src/index.ts:7"]


def test_items_whose_fix_did_not_run_are_decided_statically_or_unknown(tmp_path: Path) -> None:
    result = decide(tmp_path, {**SERVICE, "services/api/src/log.ts": "console.log('x');\n"})
    assert result.item("log.console").status == checklist.FAIL
    assert result.item("log.console").fixes == ()  # console-to-logger is not registered in this audit
    assert result.item("env.secrets").status == checklist.UNKNOWN
    assert "--fix secrets" in result.item("env.secrets").check


def test_dockerfile_defects(tmp_path: Path) -> None:
    files = {**SERVICE, "services/api/Dockerfile": "FROM node:20\nRUN apt-get install -y build-essential git\nRUN npm install\nCMD node x.js\n"}
    result = decide(tmp_path, files)
    messages = {key: [e.text for e in result.item(key).evidence] for key in
                ("docker.user", "docker.healthcheck", "docker.minimal", "docker.multistage")}
    assert messages["docker.user"] == ["final stage runs as root (no USER)"]
    assert messages["docker.healthcheck"] == ["final stage has no HEALTHCHECK"]
    assert messages["docker.minimal"] == ["final stage installs build-essential, git"]
    assert messages["docker.multistage"] == ["single stage"]
    assert all(result.item(k).status == checklist.FAIL for k in messages)


def test_compose_limits_scaling_and_production_readiness(tmp_path: Path) -> None:
    compose = (
        "services:\n"
        "  api:\n    build: ./services/api\n    container_name: api\n    ports:\n      - \"3000:3000\"\n"
        "  worker:\n    build: ./services/api\n    restart: always\n"
        "    deploy:\n      resources:\n        limits:\n          memory: 256M\n"
    )
    result = decide(tmp_path, {**SERVICE, "docker-compose.yml": compose})
    limits = result.item("docker.limits")
    assert limits.status == checklist.FAIL
    assert [e.text for e in limits.evidence] == ["api: no deploy.resources.limits or mem_limit", "worker: limits"]
    assert [e.where() for e in result.item("ind.scale").evidence] == ["docker-compose.yml:4", "docker-compose.yml:6"]
    gaps = [e.text for e in result.item("docker.compose").evidence]
    assert gaps == ["api: no resource limits", "api: no restart policy"]
    assert result.item("env.override").status == checklist.FAIL


def test_a_compose_file_that_does_not_parse_decides_nothing(tmp_path: Path) -> None:
    """It said ✅ "docker-compose.yml production-ready" and ➖ "no compose service" for a file
    no fix and no check could read."""
    result = decide(tmp_path, {**SERVICE, "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n    ports: [\n"})
    for key in ("docker.compose", "docker.limits"):
        item = result.item(key)
        assert item.status == checklist.UNKNOWN, (key, item.status, item.summary)
        assert item.summary == "1 compose file(s) fixer could not read"
        assert [e.path for e in item.evidence] == ["docker-compose.yml"]
        assert item.evidence[0].text.startswith("YAML does not parse")


def test_a_dev_compose_file_is_no_override_compose_merges(tmp_path: Path) -> None:
    """`docker compose up` merges docker-compose.override.yml, never docker-compose.dev.yml:
    beside a .dev.yml only, the override is still missing (and the fix's finding says it
    creates one)."""
    compose = "services:\n  api:\n    build: ./services/api\n    env_file: .env\n"
    dev = "services:\n  api:\n    environment:\n      NODE_ENV: development\n"
    files = {**SERVICE, "docker-compose.yml": compose, "docker-compose.dev.yml": dev}
    for fixes in ((), ("env-separation",)):
        item = decide(tmp_path / "-".join(fixes or ("static",)), files, fixes).item("env.override")
        assert item.status == checklist.FAIL, (fixes, item.summary)
        texts = {e.where(): e.text for e in item.evidence}
        assert texts["docker-compose.yml:1"] == "no docker-compose.override.yml beside it"
        assert "not merged automatically" in texts["docker-compose.dev.yml"]
    assert texts["docker-compose.yml:1"] == "no docker-compose.override.yml beside it"
    fixed = [e.text for e in item.evidence if e.text.startswith("no development override: docker-compose.override.yml created")]
    assert [e.where() for e in item.evidence if e.text in fixed] == ["docker-compose.yml:1"]  # a line that exists

    files["docker-compose.override.yml"] = dev
    item = decide(tmp_path / "fixed", files, ("env-separation",)).item("env.override")
    assert item.status == checklist.PASS, item.summary


def test_env_variables_documented_both_ways(tmp_path: Path) -> None:
    files = {**SERVICE,
             "services/api/src/config.ts": "export const url = process.env.REDIS_URL;\nconst { JWT_SECRET, ...rest } = process.env;\n",
             "env.template": "PORT=3000\nJWT_SECRET=your-secret\nLEGACY_FLAG=1\n"}
    item = decide(tmp_path, files).item("doc.env")
    assert item.status == checklist.FAIL
    assert [e.text for e in item.evidence] == [
        "REDIS_URL is read here but missing from env.template",
        "note: LEGACY_FLAG is documented but no code, compose file, Dockerfile or Prisma schema reads it",
    ]
    assert item.evidence[0].where() == "services/api/src/config.ts:1"


def test_localhost_fallbacks_and_guards(tmp_path: Path) -> None:
    code = (
        "const db = process.env.DB_HOST || 'localhost';\n"  # a fallback production could take
        "const cache = process.env.NODE_ENV === 'production' ? process.env.CACHE : 'redis://localhost:6379';\n"
        "if (!process.env.ORIGINS) {\n  if (process.env.NODE_ENV === 'production') { process.exit(1); }\n"
        "  origins.push('http://localhost:5173');\n}\n"  # unreachable in production
        "const url = 'postgres://app:hunter2-pass@localhost:5432/db';\n"  # hardcoded, password masked
        "logger.warn('falling back to localhost:5432');\n"  # a message, not a host
        "const local = new URL(url).hostname === 'localhost' || host.startsWith('127.0.0.1');\n"  # tests for it
        "switch (host) {\n  case 'localhost':\n    break;\n}\n"
    )
    item = decide(tmp_path, {**SERVICE, "services/api/src/hosts.ts": code}).item("env.localhost")
    assert item.status == checklist.FAIL
    assert [(e.line, e.text) for e in item.evidence] == [
        (1, "localhost (fallback when the variable is unset)"),
        (7, "postgres://app:…@localhost:5432/db (hardcoded)"),
    ]


def test_cors_wildcard_and_validation(tmp_path: Path) -> None:
    wildcard = decide(tmp_path / "a", {**SERVICE, "services/api/src/cors.ts": "app.use(cors({ origin: '*' }));\n"})
    assert wildcard.item("sec.cors").status == checklist.FAIL
    assert wildcard.item("env.cors").status == checklist.FAIL
    validated = decide(tmp_path / "b", {**SERVICE, "services/api/src/cors.ts": (
        "const origins = (process.env.CORS_ORIGIN || '').split(',').filter(Boolean);\n"
        "if (process.env.NODE_ENV === 'production' && origins.length === 0) {\n  throw new Error('CORS_ORIGIN');\n}\n"
        "app.use(cors({ origin: origins }));\n")})
    assert validated.item("env.cors").status == validated.item("sec.cors").status == checklist.PASS


def test_database_items(tmp_path: Path) -> None:
    code = (
        "import { Pool } from 'pg';\n"
        "const pool = new Pool({ max: 5, connectionTimeoutMillis: 2000 });\n"
        "export async function find(id: string) { return pool.query(`SELECT * FROM t WHERE id = ${id}`); }\n"
        "export async function tx() { await pool.query('BEGIN'); await pool.query('COMMIT'); }\n"
    )
    result = decide(tmp_path, {**SERVICE, "services/api/src/db.ts": code})
    assert result.item("db.pool").status == result.item("db.timeout").status == checklist.PASS
    assert result.item("db.retry").status == result.item("res.retry").status == checklist.FAIL
    assert [e.where() for e in result.item("sec.sql").evidence] == ["services/api/src/db.ts:3"]
    assert result.item("db.rollback").status == checklist.FAIL
    assert result.item("health.ready_db").status == checklist.UNKNOWN  # has /ready: a human reads it
    assert result.item("db.backup").status == checklist.UNKNOWN
    esm = code.replace("import { Pool } from 'pg';", "import pg from 'pg';").replace("new Pool(", "new pg.Pool(")
    result = decide(tmp_path / "esm", {**SERVICE, "services/api/src/db.ts": esm})  # (pg's usual ESM form)
    assert result.item("db.pool").status == result.item("db.timeout").status == checklist.PASS


def test_commented_out_handlers_do_not_count(tmp_path: Path) -> None:
    code = SERVICE["services/api/src/index.ts"].replace("process.on('SIGTERM'", "// process.on('SIGTERM'")
    item = decide(tmp_path, {**SERVICE, "services/api/src/index.ts": code}).item("res.shutdown")
    assert item.status == checklist.FAIL
    assert [e.text for e in item.evidence] == ["api: no SIGTERM handler"]


# --- the command ---------------------------------------------------------------------------


def test_formats_exit_codes_and_fail_on(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    text = fixer("audit", str(repo))
    assert text.returncode == 1
    out = text.stdout.decode()
    assert "Readiness checklist (audit Section 5):" in out and "  ❌ All services expose `/health` endpoint" in out
    markdown = fixer("audit", "--format", "markdown", str(repo)).stdout.decode()
    assert "## Section 5: 🧭 Clear Checklist That Signals \"Ready for AWS\"" in markdown
    assert "### Health Checks & Readiness ✅/❌" in markdown
    assert "- [ ] ❌ All services expose `/health` endpoint (standardized)" in markdown
    assert "  - `services/booking-service/src/app.ts:4` serves /healthz; route renamed to /health (`health-endpoints`, fixable)" in markdown
    assert "**Fix:** `fixer apply --fix health-endpoints`" in markdown
    document = json.loads(fixer("audit", "--format", "json", str(repo)).stdout)
    assert document == json.loads(fixer("audit", "--json", str(repo)).stdout) | {}
    assert document["summary"]["exit_code"] == 1 and document["summary"]["fail_on"] == "any"
    items = {i["id"]: i for s in document["checklist"]["sections"] for i in s["items"]}
    assert items["health.health"]["status"] == "fail" and items["health.health"]["fixes"] == ["health-endpoints"]
    assert [row["name"] for row in document["services"]] == ["booking-service"]  # course-service: no Dockerfile, no listen()
    # health-endpoints and healthcheck-loopback are critical: only --fail-on decides the exit
    only_medium = fixer("audit", "--fix", "graceful-shutdown", "--fail-on", "high", str(repo))
    assert only_medium.returncode == 0, only_medium.stdout.decode()
    assert fixer("audit", "--fix", "health-endpoints", "--fail-on", "critical", str(repo)).returncode == 1
    bad = fixer("audit", "--fail-on", "severe", str(repo))
    assert bad.returncode == 2 and b"unknown --fail-on 'severe'" in bad.stderr


def test_fail_on_counts_only_findings_at_that_severity(tmp_path: Path) -> None:
    files = {"services/api/package.json": '{"name": "api"}\n',
             "services/api/src/index.ts": "import express from 'express';\nconst app = express();\napp.listen(3000);\n"}
    repo = make_repo(tmp_path / "r", files)
    medium = fixer("audit", "--fix", "graceful-shutdown", "--format", "json", str(repo))
    assert medium.returncode == 1
    assert json.loads(medium.stdout)["summary"]["by_severity"] == {"medium": 1}
    assert fixer("audit", "--fix", "graceful-shutdown", "--fail-on", "medium", str(repo)).returncode == 1
    assert fixer("audit", "--fix", "graceful-shutdown", "--fail-on", "high", str(repo)).returncode == 0


def test_quiet_prints_the_findings_only(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    quiet = fixer("audit", "--quiet", str(repo))
    out = quiet.stdout.decode()
    assert quiet.returncode == 1 and "health-endpoints" in out
    assert "Readiness checklist" not in out and "Services" not in out and quiet.stderr == b""


def _stderr_on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> bytes:
    return fixer_on_terminal(args, cwd, "stderr", env)


def test_progress_bar_on_a_terminal_for_big_repositories_only(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    shown = _stderr_on_terminal(["audit", "."], repo, {"FIXER_PROGRESS_MIN_FILES": "1"})
    assert b"fixer audit: running" in shown
    assert _stderr_on_terminal(["audit", "--quiet", "."], repo, {"FIXER_PROGRESS_MIN_FILES": "1"}) == b""
    assert _stderr_on_terminal(["audit", "."], repo, {}) == b""  # a small repository: no bar
    piped = fixer("audit", str(repo), env={"FIXER_PROGRESS_MIN_FILES": "1"})
    assert piped.stderr == b""  # not a terminal


IGNORED = {
    **SMALL_REPO,
    "services/booking-service/src/app.ts": (
        "import express from 'express';\n"
        "export const app = express();\n"
        "\n"
        "// fixer-ignore health-endpoints: the old load balancer still probes /healthz\n"
        "app.get('/healthz', (_req, res) => {\n"
        "  res.json({ status: 'ok', service: 'booking' });\n"
        "});\n"
        "console.log('up'); // fixer-ignore console-to-logger\n"
        "// fixer-ignore graceful-shutdown: nothing to ignore here\n"
    ),
}


def test_ignore_comments_in_every_format(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", IGNORED)
    args = ["--fix", "health-endpoints", "--fix", "console-to-logger", "--fix", "graceful-shutdown", str(repo)]
    text = fixer("audit", *args).stdout.decode()
    assert "ignored by fixer-ignore)" in text
    assert "fixer-ignore console-to-logger has no reason, so it is not honoured" in text
    assert "unused fixer-ignore graceful-shutdown" in text
    document = json.loads(fixer("audit", "--format", "json", *args).stdout)
    assert document["summary"]["ignored"] == len(document["ignored"]) >= 1
    assert {f["path"] for f in document["ignored"]} == {"services/booking-service/src/app.ts"}
    assert {f["fix"]: f["ignored"] for f in document["fixes"]}["health-endpoints"] >= 1
    markdown = fixer("audit", "--format", "markdown", *args).stdout.decode()
    assert "### Ignore comments that need attention" in markdown
    assert "`services/booking-service/src/app.ts:9` unused fixer-ignore graceful-shutdown" in markdown
    sarif = json.loads(fixer("audit", "--format", "sarif", *args).stdout)
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed and all(r["ruleId"] == "health-endpoints" for r in suppressed)
    assert suppressed[0]["suppressions"][0]["justification"] == "the old load balancer still probes /healthz"


SECRET = "sk_live_" + "Zq8Xw3Vt6Yb1Nm4Kp7Rs0Lc2"
JWT = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"


def test_no_secret_value_in_any_format(tmp_path: Path) -> None:
    files = {**SMALL_REPO, "env.template": f"STRIPE_SECRET_KEY={SECRET}\nJWT_SECRET={JWT}\n",
             "services/course-service/src/pay.ts": "export const key = process.env.STRIPE_SECRET_KEY;\n"}
    repo = make_repo(tmp_path / "r", files)
    for output_format in ("text", "markdown", "json", "sarif"):
        result = fixer("audit", "--format", output_format, str(repo))
        shown = result.stdout + result.stderr
        assert SECRET.encode() not in shown and JWT.encode() not in shown, output_format
        assert b"sk_l\xe2\x80\xa6(32 chars)" in shown, output_format


def test_docs_describe_every_item_and_json_field(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "audit.md").read_text(encoding="utf-8")
    for _title, rows in checklist.SECTIONS:
        for key, _item_title, _targets, _decide in rows:
            assert f"`{key}`" in page, key
    repo = make_repo(tmp_path / "r", SMALL_REPO)
    document = json.loads(fixer("audit", "--format", "json", str(repo)).stdout)
    item = document["checklist"]["sections"][0]["items"][0]
    evidence = next(i for s in document["checklist"]["sections"] for i in s["items"] if i["evidence"])["evidence"][0]
    fields = ([f"`{k}`" for k in document if k not in ("checklist", "services", "summary")]
              + [f"`summary.{k}`" for k in document["summary"]] + [f"`checklist.{k}`" for k in ("counts", "sections[]")]
              + [f"`…items[].{k}`" for k in item if k != "icon"] + [f"`{k}`" for k in evidence]
              + [f"`{k}`" for k in document["services"][0]])
    missing = [f for f in fields if f not in page and f"{f[:-1]}[]`" not in page]  # `findings[]` for arrays
    assert missing == []


# --- the per-file facts are the same whether or not the file is parsed ----------------------

TRICKY = {  # each file opens one gate only, so a gate that misses its case fails the test
    "comments.ts": (
        "// console.log('commented out'); process.on('SIGTERM', stop);\n"
        "/* process.env.HIDDEN */ const a = process.env.SHOWN;\n"
        "console/* between */.log('joined once the comment is blank');\n"
        "const url = 'http://x.test/'; // a URL in a string is not a comment\n"
        "const re = /\\/\\/not-a-comment/; const t = `// ${a /* inner */}`;\n"
    ),
    "line-comment.ts": "// console.log('commented out')\nexport {};\n",
    "block-comment.ts": "/* process.env.HIDDEN */ export const a = process.env.SHOWN;\n",
    "logger-comment.ts": "/* createLogger({}) */ export const b = 1;\n",
    "routes.ts": "app.get('/health', h);\napp['post']('/x', h);\napp.route({ method: 'PUT', url: '/r' });\n",
    "escaped-route.ts": "app.get('\\/escaped', handler);\n",
    "template-route.ts": "app.get(`/t`, handler);\n",
    "raw-route.ts": 'if (req.url == "/raw") {}\n',
    "listen.ts": "server.listen(port);\n",
    "sql.ts": "await pool.query(`SELECT * FROM t WHERE id = ${id}`);\nawait pool.query(sql);\n",
    "localhost.ts": "const db = process.env.DB_HOST || 'localhost';\n",
    "loopback.ts": "const u = `http://127.0.0.1:${port}`;\n",
    "plain.ts": "import { logger } from '@acme/shared';\nexport const f = (x: number) => x * 2;\n",
    "crlf.ts": "// header\r\nimport winston from 'winston';\r\nexport const logger = winston.createLogger({ level: 'info' });\r\n",
    "new-logger.ts": "export const log = new winston.Logger ({ transports: [] });\n",  # only its cased needle
    "doc-comment.ts": "/**\n * Doc.\n */\nexport const two = 2;\n/*****/\n",  # `**` only in comment markers
    "power.ts": "/** Doc. */\nexport const wait = (attempt: number) => 2 ** attempt;\n",
    "power-after-comment.ts": "export const wait = (n: number) => 2 /* base */** n;\n",
    "power-in-comment.ts": "/**\n * 2 ** n, said in a comment\n */\nexport const n = 1;\n",
    "nest.ts": "@Controller({ path: 'orders' })\nexport class Orders {\n  @Post()\n  create() {}\n  @Put(':id')\n  put() {}\n}\n",
}


def _all_code_files() -> list[tuple[str, bytes]]:
    root = Path(__file__).parent.parent / "fixtures"
    found = [(str(p.relative_to(root)), p.read_bytes()) for p in sorted(root.rglob("*"))
             if p.suffix in (".ts", ".tsx", ".js", ".mjs", ".cjs") and p.is_file()]
    return found + [(name, text.encode()) for name, text in TRICKY.items()]


def test_code_facts_do_not_depend_on_the_parse_gates(tmp_path: Path, monkeypatch) -> None:
    """`gather_code` parses a file only when its bytes say a question needs the tree, and
    runs a pattern only when the file holds one of its needles. Both are shortcuts: on every
    fixture file and the tricky cases, the facts equal those of the ungated gathering (every
    file parsed, comments found by a query, every pattern run)."""
    from fixer.parsing import typescript
    from fixer.repo import SourceFile
    repo = Repo(tmp_path, DirectorySource(tmp_path), config_mod.load(tmp_path, registry()))
    files = _all_code_files()
    assert len(files) > 300
    gated = {}
    parsed = 0
    for path, data in files:
        source_file = SourceFile(path, data, repo)
        gated[path] = checklist.gather_code(source_file)
        parsed += "tree" in source_file.__dict__
    assert parsed < len(files)  # the gates do spare parses

    everything = checklist._Wants(comments=True, calls=True, binaries=True, strings=True, nest=True)
    monkeypatch.setattr(checklist, "_wants", lambda data, present: everything)
    monkeypatch.setattr(checklist, "_NEEDLES", {})
    monkeypatch.setattr(checklist, "_comments", lambda source_file: [(n.start_byte, n.end_byte) for n in typescript.captures(
        source_file.kind, "(comment) @c", source_file.tree.root_node).get("c", [])])
    for path, data in files:
        assert checklist.gather_code(SourceFile(path, data, repo)) == gated[path], path

    facts = gated["comments.ts"]
    assert facts.signals == () and [name for name, *_ in facts.env_reads] == ["SHOWN"]
    assert facts.console == (3,)  # `console/* between */.log(` is a call; the line-1 comment is not
    assert gated["line-comment.ts"].console == () and gated["logger-comment.ts"].logger_factories == ()
    assert [name for name, *_ in gated["block-comment.ts"].env_reads] == ["SHOWN"]
    assert [r[1] for r in gated["routes.ts"].routes] == ["/health", "/x", "/r"]
    assert [r[1] for name in ("escaped-route.ts", "template-route.ts", "raw-route.ts")
            for r in gated[name].routes] == ["/escaped", "/t", "/raw"]
    assert gated["listen.ts"].listens == (1,)
    assert gated["nest.ts"].routes == (("post", "/orders", 3, 3), ("put", "/orders/:id", 5, 3))
    assert gated["power.ts"].backoff == (2,) and gated["power-after-comment.ts"].backoff == (1,)
    assert gated["doc-comment.ts"].backoff == () and gated["power-in-comment.ts"].backoff == ()
    assert gated["sql.ts"].sql_built == (1,) and gated["sql.ts"].sql_dynamic == (2,)
    assert [kind for name in ("localhost.ts", "loopback.ts") for *_, kind in gated[name].localhost] == [
        "localhost (fallback when the variable is unset)", "http://127.0.0.1:${port} (hardcoded)"]


def test_path_classes_gated_by_substrings_answer_as_their_patterns(tmp_path: Path) -> None:
    """is_test, is_production_code and is_load_test test a few substrings before their
    regex: on every fixture path and 3,000 generated ones, the answer is the regex's."""
    import random
    import re

    root = Path(__file__).parent.parent / "fixtures"
    paths = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]
    parts = ["src", "test", "tests", "__tests__", "__mocks__", "e2e", "spec", "fixtures", "scripts", "seeds", "seeders",
             "migrations", "bin", "tools", "examples", "docs", "k6", "artillery", "locust", "load-tests", "loadtest",
             "perf", "Perf", "LOCUST", "a.test.ts", "b.spec.tsx", "c.e2e.mjs", "jest.config.ts", "x.jmx", "run.yml",
             "index.ts", "K6", "perf-suite.js", "bin2", "tools.ts", "doc"]
    rng = random.Random(11)
    paths += ["/".join(rng.choice(parts) for _ in range(rng.randrange(1, 5))) for _ in range(3000)]
    from fixer import repo as repo_mod

    tooling = re.compile(repo_mod._TOOLING_PATH.pattern)
    for path in paths:
        test = bool(repo_mod._TEST_PATH.search(path))
        assert checklist.is_test(path) == test, path
        assert repo_mod.is_production_code(path) == (not test and not tooling.search(path)), path
        assert checklist.is_load_test(path) == bool(checklist._LOAD_TEST.search(path)), path
    assert sum(map(checklist.is_load_test, paths)) > 50 and sum(map(checklist.is_test, paths)) > 500


# --- files fixer could not read, and the items that depend on them ----------------------------


def test_a_file_fixer_could_not_read_makes_what_it_may_hold_unknown(tmp_path: Path) -> None:
    """A secret or a console.log in a file that is not UTF-8 is never seen: "no secret in 4
    file(s)" would be a false ✅. The items that say something is nowhere are ❓ and name
    the file; a test file (out of scope) that is not UTF-8 changes nothing."""
    latin1 = {".env.example": b"# caf\xf3\nSTRIPE_SECRET_KEY=" + SECRET.encode() + b"\n",
              "services/api/src/legacy.ts": b"// caf\xf3\nconsole.log('hidden');\n"}
    result = decide(tmp_path / "latin1", {**SERVICE, **latin1}, ("secrets", "console-to-logger"))
    for key in ("log.console", "env.localhost", "log.files"):
        item = result.item(key)
        assert item.status == checklist.UNKNOWN, (key, item.summary)
        assert "could not be read" in item.summary
    assert "services/api/src/legacy.ts not read: not UTF-8" in checklist.render_text(result)
    # an env file that is not UTF-8 is still read for its secrets (as Latin-1), never edited
    secrets = result.item("env.secrets")
    assert secrets.status == checklist.FAIL, secrets.summary
    assert [(e.where(), "does not edit: it is not UTF-8" in e.text) for e in secrets.evidence[:1]] == [(".env.example:2", True)]

    in_a_test = {"services/api/src/legacy.test.ts": latin1["services/api/src/legacy.ts"]}
    result = decide(tmp_path / "test", {**SERVICE, **in_a_test}, ("console-to-logger",))
    assert result.item("log.console").status == checklist.PASS


def test_an_exit_on_production_and_something_else_guards_nothing_after_it(tmp_path: Path) -> None:
    """`if (production && origins.length === 0) exit` stops production only when the origins
    are unset: the localhost default after it is what production uses otherwise. An exit
    on production alone does guard what follows (only development gets there)."""
    code = (
        "export function load() {\n"
        "  const origins = (process.env.CORS_ORIGIN || '').split(',');\n"
        "  if (process.env.NODE_ENV === 'production' && origins.length === 0) {\n"
        "    logger.error('CORS_ORIGIN is required');\n    process.exit(1);\n  }\n"
        "  const redisUrl = process.env.REDIS_URL || 'redis://localhost:6379';\n"
        "  return { origins, redisUrl };\n}\n"
        "export function dev() {\n"
        "  if (process.env.NODE_ENV === 'production') return;\n"
        "  seed('http://localhost:5173');\n}\n"
    )
    item = decide(tmp_path, {**SERVICE, "services/api/src/config.ts": code}).item("env.localhost")
    assert item.status == checklist.FAIL
    assert [(e.line, e.text) for e in item.evidence] == [(7, "redis://localhost:6379 (fallback when the variable is unset)")]


def test_mysql2_execute_is_a_query_and_literals_joined_by_plus_are_constant(tmp_path: Path) -> None:
    """mysql2's `pool.execute` runs SQL as `.query` does: a `${}` in it is an injection
    even beside a constant `.query('SELECT 1')`. SQL split over lines by `+` between
    literals is constant; `.execute` of something that is not SQL text is not a query."""
    code = (
        "import mysql from 'mysql2/promise';\n"
        "const pool = mysql.createPool({ connectionLimit: 5 });\n"
        "export const ping = () => pool.query('SELECT 1');\n"
        "export const byEmail = (email: string) => pool.execute(`SELECT * FROM users WHERE email = '${email}'`);\n"
        "export const byId = (id: number) => pool.query('SELECT a ' +\n  'FROM t WHERE id = ?', [id]);\n"
        "export const run = (command: Command) => command.execute(args);\n"
    )
    item = decide(tmp_path / "a", {**SERVICE, "services/api/src/db.ts": code}).item("sec.sql")
    assert item.status == checklist.FAIL
    assert [e.where() for e in item.evidence] == ["services/api/src/db.ts:4"]
    constant = code.replace("pool.execute(`SELECT * FROM users WHERE email = '${email}'`)",
                            "pool.execute('SELECT * FROM users WHERE email = ?', [email])")
    item = decide(tmp_path / "b", {**SERVICE, "services/api/src/db.ts": constant}).item("sec.sql")
    assert item.status == checklist.PASS and item.summary.startswith("3 query(ies)"), item.summary


def test_a_sigterm_handler_must_drain_and_may_be_registered_in_a_loop(tmp_path: Path) -> None:
    """Audit Section 2, "No Graceful Shutdown": a handler that only exits cuts in-flight
    requests off as surely as none. A draining handler registered for each of a list of
    signal names handles SIGTERM."""
    index = SERVICE["services/api/src/index.ts"]
    exits = index.replace("process.on('SIGTERM', () => server.close());",
                          "process.on('SIGTERM', () => {\n  logger.info('bye');\n  process.exit(0);\n});")
    item = decide(tmp_path / "exits", {**SERVICE, "services/api/src/index.ts": exits}).item("res.shutdown")
    assert item.status == checklist.FAIL
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("services/api/src/index.ts:10", "api: SIGTERM handler exits without closing the server")]
    loops = {
        "for": "for (const signal of ['SIGTERM', 'SIGINT'] as const) {\n"
               "  process.on(signal, () => server.close(() => process.exit(0)));\n}",
        "forEach": "const SIGNALS = ['SIGTERM', 'SIGINT'];\nSIGNALS.forEach((s) => process.on(s, () => server.close()));",
    }
    for name, handler in loops.items():
        code = index.replace("process.on('SIGTERM', () => server.close());", handler)
        result = decide(tmp_path / name, {**SERVICE, "services/api/src/index.ts": code})
        assert result.item("res.shutdown").status == checklist.PASS, (name, result.item("res.shutdown").summary)
        assert result.services[0].shutdown is not None, name


def test_cors_validation_is_an_exit_in_a_production_branch_about_the_origins(tmp_path: Path) -> None:
    """A production test that logs, then an exit about something else, validates no CORS
    origin. And a ❌ found without the cors-validation fix names it only when it did not
    run: having run, it found nothing to change."""
    code = (
        "const origins = (process.env.CORS_ORIGIN || '').split(',').filter(Boolean);\n"
        "if (process.env.NODE_ENV === 'production') logger.info('starting');\n"
        "if (!process.env.JWT_SECRET) throw new Error('JWT_SECRET is required');\n"
        "app.use(cors({ origin: origins }));\n"
    )
    files = {**SERVICE, "services/api/src/cors.ts": code}
    item = decide(tmp_path / "a", files).item("env.cors")
    assert item.status == checklist.FAIL and item.fixes == ()
    nested = code.replace("logger.info('starting');", "{\n  if (origins.length === 0) process.exit(1);\n}")
    item = decide(tmp_path / "b", {**SERVICE, "services/api/src/cors.ts": nested}).item("env.cors")
    assert item.status == checklist.PASS and item.evidence[0].line == 2, item.summary

    # a throw in the CORS `origin` callback rejects one request; it validates nothing at start-up
    per_request = code.replace("logger.info('starting');", "{}").replace(
        "app.use(cors({ origin: origins }));",
        "app.use(cors({\n  origin(origin, callback) {\n    if (process.env.NODE_ENV === 'production' && !origins.includes(origin)) {\n"
        "      throw new Error('origin not allowed');\n    }\n    callback(null, true);\n  },\n}));")
    item = decide(tmp_path / "d", {**SERVICE, "services/api/src/cors.ts": per_request}).item("env.cors")
    assert item.status == checklist.FAIL, item.summary

    registered = decide(tmp_path / "c", files, ("cors-validation",))  # it runs, and finds nothing here
    assert registered.item("env.cors").status == checklist.FAIL and registered.item("env.cors").fixes == ()
    assert "--fix cors-validation" not in checklist.render_text(registered)


def test_a_stack_trace_sent_in_development_only_is_what_the_item_asks_for(tmp_path: Path) -> None:
    handler = (
        "export function onError(err: Error, _req: Request, res: Response) {\n"
        "  res.status(500).json({ error: 'internal', stack: process.env.NODE_ENV === 'development' ? err.stack : undefined });\n"
        "  if (process.env.NODE_ENV !== 'production') { res.json({ stack: err.stack }); }\n"
        "  if (process.env.NODE_ENV === 'production') { res.json({ error: 'internal' }); } else { res.send(err.stack); }\n"
        "  res.json({ error: 'internal', ...(isDev && { stack: err.stack }) });\n"
        "  res.json({ stack: process.env.NODE_ENV === 'production' ? err.stack : undefined });\n"  # the wrong way round
        "}\n"
    )
    result = decide(tmp_path, {**SERVICE, "services/api/src/errors.ts": handler})
    for key in ("log.stack", "res.errors"):
        assert [e.line for e in result.item(key).evidence] == [6], key


def test_dockerfile_items_judge_the_runtime_image_as_docker_builds_it(tmp_path: Path) -> None:
    """The final stage inherits USER, ENV and packages from the stage it is built FROM;
    distroless `:nonroot` runs as nonroot; NODE_ENV=production makes `npm ci` skip
    devDependencies; build tools removed in the same layer are not in the image; and a
    development container is not a production image."""
    base = (
        "FROM node:20-alpine AS base\nWORKDIR /app\nUSER node\nENV NODE_ENV=production\n"
        "FROM base AS build\nCOPY . .\nRUN npm run build\n"
        "FROM base\nCOPY --from=build /app/dist ./dist\n"
        "RUN apk add --no-cache --virtual .build-deps python3 make g++ && npm ci && apk del .build-deps\n"
        "RUN apt-get install -y make && make && apt-get purge -y make\n"
        "HEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/health || exit 1\nCMD [\"node\", \"dist/index.js\"]\n"
    )
    distroless = ("FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n"
                  "FROM gcr.io/distroless/nodejs20-debian12:nonroot\nCOPY --from=build /app /app\n"
                  "HEALTHCHECK CMD [\"/nodejs/bin/node\", \"/app/health.js\"]\nCMD [\"/app/index.js\"]\n")
    dev = "FROM node:20\nRUN apt-get install -y make git\nRUN npm install\n"
    files = {**SERVICE, "services/api/Dockerfile": base, "services/web/Dockerfile": distroless,
             ".devcontainer/Dockerfile": dev, "services/api/Dockerfile.dev": dev}
    result = decide(tmp_path, files)
    for key in ("docker.user", "docker.healthcheck", "docker.minimal", "docker.multistage"):
        item = result.item(key)
        assert item.status == checklist.PASS, (key, [e.text for e in item.evidence])
        assert {e.path for e in item.evidence} == {"services/api/Dockerfile", "services/web/Dockerfile"}, key
    assert [e.text for e in result.item("docker.user").evidence] == [
        "USER node", "FROM gcr.io/distroless/nodejs20-debian12:nonroot runs as nonroot"]


def test_compose_merge_keys_and_every_way_of_fixing_a_host_port(tmp_path: Path) -> None:
    """`<<: *app` brings restart and limits from an x- anchor; a host port given through
    a variable with a default, or by the long syntax's `published`, binds once as well."""
    compose = (
        "x-app: &app\n  restart: unless-stopped\n  deploy:\n    resources:\n      limits:\n        memory: 256M\n"
        "services:\n  api:\n    <<: *app\n    build: ./services/api\n    ports:\n      - \"${API_PORT:-3000}:3000\"\n"
        "  worker:\n    <<: *app\n    build: ./services/api\n    ports:\n      - target: 3001\n        published: 3001\n"
        "      - \"3100-3105:3100\"\n"
    )
    result = decide(tmp_path, {**SERVICE, "docker-compose.yml": compose})
    assert result.item("docker.limits").status == checklist.PASS
    assert result.item("docker.compose").status == checklist.PASS, result.item("docker.compose").summary
    assert [e.text for e in result.item("ind.scale").evidence] == [
        "api: host port ${API_PORT:-3000}:3000 binds once", "worker: host port 3001 binds once"]


def test_a_route_path_in_a_constant_and_a_fastify_schema(tmp_path: Path) -> None:
    index = SERVICE["services/api/src/index.ts"].replace(
        "app.get('/health',", "const HEALTH_PATH = '/health';\napp.get(HEALTH_PATH,").replace(
        "import { z } from 'zod';\n", "").replace(
        "app.post('/things', (req, res) => res.json(z.object({}).parse(req.body)));",
        "app.post('/orders', { schema: { body: { type: 'object', required: ['sku'] } } }, handler);")
    result = decide(tmp_path, {**SERVICE, "services/api/src/index.ts": index})
    assert result.item("health.health").status == checklist.PASS, result.item("health.health").summary
    assert [e.where() for e in result.item("health.health").evidence] == ["services/api/src/index.ts:6"]
    validation = result.item("sec.validation")
    assert validation.status == checklist.PASS, validation.summary
    assert [e.text for e in validation.evidence] == ["api: route schema"]


def test_an_exit_inside_a_callback_of_a_production_branch_guards_nothing_after_it(tmp_path: Path) -> None:
    """The `return` of a middleware registered in production runs per request: production
    goes on past the `if`, to the localhost fallback; so it does past a `throw` under a
    condition of its own. Only the branch's own statements leave it (a `throw` or
    `process.exit` there, or a `return` from the function around the `if`)."""
    code = (
        "const app = express();\n"
        "if (process.env.NODE_ENV === 'production') {\n"
        "  app.use((req, res, next) => {\n"
        "    if (req.headers['x-forwarded-proto'] !== 'https') return res.redirect(301, 'https://' + req.headers.host);\n"
        "    next();\n  });\n}\n"
        "const redis = new Redis(process.env.REDIS_URL || 'redis://localhost:6379');\n"
        "if (process.env.NODE_ENV === 'production') {\n  if (!process.env.JWT_SECRET) throw new Error('JWT_SECRET');\n}\n"
        "const queue = process.env.AMQP_URL || 'amqp://localhost';\n"
        "export function dev() {\n"
        "  if (process.env.NODE_ENV === 'production') {\n    logger.info('no seed');\n    return;\n  }\n"
        "  seed('http://localhost:5173');\n}\n"
    )
    item = decide(tmp_path, {**SERVICE, "services/api/src/config.ts": code}).item("env.localhost")
    assert item.status == checklist.FAIL
    assert [(e.line, e.text) for e in item.evidence] == [
        (8, "redis://localhost:6379 (fallback when the variable is unset)"),
        (12, "amqp://localhost (fallback when the variable is unset)"),
    ]


def test_a_stack_trace_after_a_production_exit_is_guarded_as_a_localhost_url_is(tmp_path: Path) -> None:
    """Production returns before the response with the stack: only development sends it.
    The same early-exit reasoning decides `env.localhost`, so the same code gets one verdict;
    and `'prod'` names production as `'production'` does."""
    handler = (
        "export function onError(err: Error, _req: Request, res: Response) {\n"
        "  if (process.env.NODE_ENV === 'production') {\n"
        "    return res.status(500).json({ message: 'Internal error' });\n  }\n"
        "  res.status(500).json({ message: err.message, stack: err.stack });\n}\n"
        "export function onMiss(err: Error, _req: Request, res: Response) {\n"
        "  res.status(404).json({ stack: config.env !== 'prod' ? err.stack : undefined });\n"
        "  res.status(404).json({ stack: config.env === 'prod' ? err.stack : undefined });\n"  # the wrong way round
        "}\n"
    )
    result = decide(tmp_path, {**SERVICE, "services/api/src/errors.ts": handler})
    for key in ("log.stack", "res.errors"):
        assert [e.line for e in result.item(key).evidence] == [9], key


def test_dev_dependencies_asked_for_and_a_purged_metapackage_stay_in_the_image(tmp_path: Path) -> None:
    """`npm ci --include=dev` installs devDependencies whatever NODE_ENV says, and
    `apt-get purge build-essential` removes the metapackage alone: gcc, g++ and make stay
    unless apt removes what nothing needs any more. Tools purged by name are gone."""
    final = ("FROM node:20-bookworm-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
             "FROM node:20-bookworm-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\n"
             "{run}\nUSER node\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/health || exit 1\n"
             "CMD [\"node\", \"dist/index.js\"]\n")
    purge = "RUN apt-get update && apt-get install -y build-essential python3 && apt-get purge -y build-essential python3"
    cases = {
        "npm ci --include=dev": False, "npm ci --production=false": False, "npm install --also=dev": False,
        "NODE_ENV=development npm ci": False, "npm ci --include=dev && npm run build && npm prune --omit=dev": True,
        "npm ci": True, purge: False, purge + " && apt-get autoremove -y": True,
        purge.replace("purge -y", "purge -y --auto-remove"): True,
        "apt-get install -y make g++ && make && apt-get purge -y make g++": True,
        "apk add --no-cache --virtual=.gyp make g++ python3 && npm ci && apk del .gyp": True,
    }
    for n, (run, minimal) in enumerate(cases.items()):
        files = {**SERVICE, "services/api/Dockerfile": final.format(run="RUN " + run.removeprefix("RUN "))}
        item = decide(tmp_path / str(n), files).item("docker.minimal")
        assert (item.status == checklist.PASS) is minimal, (run, [e.text for e in item.evidence])
    assert [e.text for e in item.evidence] == ["final stage FROM node:20-bookworm-slim, no build tools"]


def test_a_symlinked_file_is_out_of_scope_not_unread(tmp_path: Path) -> None:
    """A symlink is never followed on purpose: its target in the repository is audited
    where it is, and no item turns ❓ asking to make the link readable."""
    linked = tmp_path / "linked"
    (linked / "services/worker").mkdir(parents=True)
    (linked / "services/worker/Dockerfile").symlink_to("../api/Dockerfile")
    (linked / "services/worker/.env.example").symlink_to("../../env.template")
    result = decide(linked, SERVICE)
    assert result.counts()[checklist.UNKNOWN] == decide(tmp_path / "plain", SERVICE).counts()[checklist.UNKNOWN]
    for key in ("docker.user", "docker.healthcheck", "docker.minimal"):
        item = result.item(key)
        assert item.status == checklist.PASS, (key, item.summary)
        assert [e.path for e in item.evidence] == ["services/api/Dockerfile"], key
    assert "readable" not in checklist.render_text(result)


def test_a_digest_after_the_nonroot_tag_is_no_tag(tmp_path: Path) -> None:
    """`image:nonroot@sha256:…` pins the distroless :nonroot image: it runs as nonroot."""
    distroless = ("FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n"
                  "FROM gcr.io/distroless/nodejs20-debian12:nonroot@sha256:" + "0a4e" * 16 + "\n"
                  "COPY --from=build /app /app\nCMD [\"/app/index.js\"]\n")
    item = decide(tmp_path, {**SERVICE, "services/api/Dockerfile": distroless}).item("docker.user")
    assert item.status == checklist.PASS, [e.text for e in item.evidence]


def test_a_secret_in_a_committed_json_config_file_fails_both_secrets_items(tmp_path: Path) -> None:
    """node-config's `config/production.json` holding a live Stripe key is a secret in version
    control and in a config file: ❌, not ✅. Without one, the files counted as checked are the
    ones the fix read: the JSON config file, not package.json, the lockfile or tsconfig."""
    config = {
        "services/api/config/production.json": '{\n  "port": 3000,\n  "stripe": { "secretKey": '
                                               '"sk_live_Zq8Wm3Kd7Tn2Yv5Rb9Xc4Lp6" }\n}\n',  # fake
        "services/api/package-lock.json": '{"name": "api", "lockfileVersion": 3, "packages": {}}\n',
        "services/api/tsconfig.json": '{ "compilerOptions": { "strict": true } }\n',
    }
    leaked = decide(tmp_path / "leaked", {**SERVICE, **config}, ("secrets",))
    for key in ("env.secrets", "sec.secrets"):
        item = leaked.item(key)
        assert item.status == checklist.FAIL, (key, item.summary)
        assert any(e.path == "services/api/config/production.json" for e in item.evidence), key
    clean = decide(tmp_path / "clean", {**SERVICE, **config, "services/api/config/production.json":
                                        '{ "stripe": { "secretKey": "your-stripe-secret-key" } }\n'}, ("secrets",))
    for key in ("env.secrets", "sec.secrets"):
        item = clean.item(key)
        # (Dockerfile, env.template, index.ts, production.json)
        assert item.status == checklist.PASS and item.summary == "the secrets fix found no secret value in 4 file(s)"


def test_shutdown_libraries_handle_sigterm_and_a_bracketed_env_sets_the_level(tmp_path: Path) -> None:
    """What graceful-shutdown counts as handling SIGTERM (close-with-grace, terminus, Nest's hooks…)
    is a handler here too (close-with-grace also handles rejections); `level:
    process.env['LOG_LEVEL']` (the spelling `noPropertyAccessFromIndexSignature` requires, and
    fixer's own) reads the level from the environment."""
    from transforms.graceful_shutdown import SHUTDOWN_LIBRARIES

    index = SERVICE["services/api/src/index.ts"]
    without = index.replace("process.on('SIGTERM', () => server.close());\n", "").replace(
        "process.on('unhandledRejection', () => process.exit(1));\n", "")
    grace = ("import closeWithGrace from 'close-with-grace';\n" + without +
             "closeWithGrace({ delay: 500 }, async () => { server.close(); });\n")
    logger = ("import winston from 'winston';\nexport const logger = winston.createLogger({\n"
              "  level: process.env['LOG_LEVEL'] || 'info',\n  transports: [new winston.transports.Console()],\n});\n")
    result = decide(tmp_path / "grace", {**SERVICE, "services/api/src/index.ts": grace,
                                         "services/api/src/logger.ts": logger})
    for key in ("res.shutdown", "res.rejections", "log.level"):
        assert result.item(key).status == checklist.PASS, (key, result.item(key).summary)
    for library in sorted(SHUTDOWN_LIBRARIES):  # the two lists agree
        code = f"const shutdown = require('{library}');\n" + without
        item = decide(tmp_path / library.replace("/", "_"), {**SERVICE, "services/api/src/index.ts": code}).item(
            "res.shutdown")
        assert item.status == checklist.PASS, (library, item.summary)


# --- the second reader's report (s11/chk) ---------------------------------------------------

NEST = {
    "services/api/package.json": '{"name": "api", "dependencies": {"@nestjs/core": "10.0.0", "@nestjs/throttler": "5.0.0"}}\n',
    "services/api/src/main.ts": (
        "import { NestFactory } from '@nestjs/core';\n"
        "import { AppModule } from './app.module';\n"
        "async function bootstrap() {\n"
        "  const app = await NestFactory.create(AppModule);\n"
        "  app.enableShutdownHooks();\n"
        "  await app.listen(3000);\n"
        "}\n"
        "bootstrap();\n"
    ),
    "services/api/src/app.controller.ts": (
        "import { Body, Controller, Get, Post } from '@nestjs/common';\n"
        "import { IsString } from 'class-validator';\n"
        "class CreateOrder { @IsString() name!: string; }\n"
        "@Controller('health')\n"
        "export class HealthController {\n"
        "  @Get()\n"
        "  check() { return { ok: true }; }\n"
        "}\n"
        "@Controller('api')\n"
        "export class OrdersController {\n"
        "  @Get('ready')\n"
        "  ready() { return { ok: true }; }\n"
        "\n"
        "  @Post('orders')\n"
        "  create(@Body() body: CreateOrder) { return body; }\n"
        "}\n"
    ),
}


def test_nestjs_controller_routes_are_routes_as_health_endpoints_sees_them(tmp_path: Path) -> None:
    """`@Controller('health')` + `@Get()` serves /health: the health items read the routes
    health-endpoints reads (which finds nothing to say here), and a `@Post()` handler takes
    a body, so input validation applies (class-validator DTOs)."""
    result = decide(tmp_path / "a", NEST, ("health-endpoints",))
    health = result.item("health.health")
    assert health.status == checklist.PASS, health.summary
    assert [(e.where(), e.text) for e in health.evidence] == [
        ("services/api/src/app.controller.ts:4", "api: GET /health (NestJS controller)")]
    assert result.item("health.ready").status == checklist.FAIL  # /api/ready is no /ready
    validation = result.item("sec.validation")
    assert validation.status == checklist.PASS, validation.summary
    assert [e.text for e in validation.evidence] == ["api: class-validator"]
    row = result.services[0]
    assert row.health is not None and row.health.text == "api: GET /health (NestJS controller)"
    assert [e.text for e in row.routes] == ["GET /health (NestJS controller)", "GET /api/ready (NestJS controller)",
                                            "POST /api/orders"]

    unvalidated = NEST["services/api/src/app.controller.ts"].replace("import { IsString } from 'class-validator';\n", "").replace(
        "@IsString() ", "").replace("@Controller('api')", "@Controller()")
    result = decide(tmp_path / "b", {**NEST, "services/api/src/app.controller.ts": unvalidated})
    assert result.item("health.ready").status == checklist.PASS
    validation = result.item("sec.validation")
    assert validation.status == checklist.FAIL
    assert [(e.where(), e.text) for e in validation.evidence] == [
        ("services/api/src/app.controller.ts:13", "api: POST /orders (1 body-taking route(s)) without a validation library")]


def test_a_stack_sent_after_fastify_code_or_a_computed_status_is_sent(tmp_path: Path) -> None:
    """Fastify's `reply.code(500)`, a status computed by a call (`statusOf(err)`) and headers
    set on the way all end in a response that carries the stack."""
    handler = (
        "export function onError(err: Error, _req: Request, res: Response) {\n"
        "  res.status(statusOf(err)).json({ message: err.message, stack: err.stack });\n"
        "}\n"
        "fastify.setErrorHandler((err, request, reply) => {\n"
        "  reply.code(500).send({ message: err.message, stack: err.stack });\n"
        "  reply.code(500).header('content-type', 'application/json').send({ stack: err.stack });\n"
        "  reply.code(500).send({ message: err.message });\n"
        "});\n"
    )
    result = decide(tmp_path, {**SERVICE, "services/api/src/errors.ts": handler})
    for key in ("log.stack", "res.errors"):
        item = result.item(key)
        assert item.status == checklist.FAIL, (key, item.summary)
        assert [e.line for e in item.evidence] == [2, 5, 6], key


def test_kubernetes_probes_reach_the_pod_without_a_host(tmp_path: Path) -> None:
    """The kubelet makes a Kubernetes httpGet probe from the node: without `host:` it calls
    the pod's IP; `host: localhost` (or 127.0.0.1) is the node itself, never the pod."""
    manifest = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          image: api:1.0.0\n"
        "          livenessProbe:\n            httpGet:\n              path: /health\n              port: 3000\n"
        "              host: localhost\n"
        "          readinessProbe:\n            httpGet:\n              host: '10.0.0.7'\n              path: /ready\n"
        "              port: 3000\n"
        "          startupProbe:\n            httpGet:\n              path: /health\n              port: 3000\n"
        "              httpHeaders:\n                - name: host\n                  value: api.local\n"
    )
    result = decide(tmp_path / "a", {**SERVICE, "k8s/api.yaml": manifest})
    item = result.item("health.loopback")
    assert item.status == checklist.FAIL, item.summary
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("k8s/api.yaml:13", "livenessProbe calls host: localhost, which for the kubelet is the node, not the pod"),
        ("k8s/api.yaml:19", "readinessProbe calls host: 10.0.0.7, not the pod's IP")]
    assert "drop `host:`" in item.check
    assert "livenessProbe /health on localhost (k8s/api.yaml:13)" in result.services[0].probes

    without = manifest.replace("              host: localhost\n", "").replace("              host: '10.0.0.7'\n", "")
    item = decide(tmp_path / "b", {**SERVICE, "k8s/api.yaml": without}).item("health.loopback")
    assert item.status == checklist.PASS, item.summary
    assert [e.text for e in item.evidence] == [
        "HEALTHCHECK calls 127.0.0.1/health", "livenessProbe calls the pod's IP/health",
        "readinessProbe calls the pod's IP/ready", "startupProbe calls the pod's IP/health"]
    alone = {k: v for k, v in SERVICE.items() if k != "services/api/Dockerfile"}
    item = decide(tmp_path / "c", {**alone, "k8s/api.yaml": without}).item("health.loopback")
    assert item.status == checklist.PASS, item.summary  # Kubernetes probes alone: not "no HTTP health check"

    templated = without.replace("              port: 3000\n          readinessProbe", "              port: 3000\n"
                                "              host: {{ .Values.probeHost }}\n          readinessProbe")
    item = decide(tmp_path / "e", {**SERVICE, "k8s/api.yaml": templated}).item("health.loopback")
    assert item.status == checklist.UNKNOWN and item.summary.endswith("1 Kubernetes probe host(s) set by a chart's values")

    # a host is read in its own httpGet block only, not in the next container's
    two = ("spec:\n  containers:\n    - name: api\n      livenessProbe:\n        httpGet:\n          path: /health\n"
           "          port: 3000\n    - name: sidecar\n      livenessProbe:\n        httpGet:\n          port: 9000\n"
           "          path: /healthz\n          host: localhost\n")
    item = decide(tmp_path / "d", {**SERVICE, "k8s/api.yaml": two}).item("health.loopback")
    assert [e.where() for e in item.evidence] == ["k8s/api.yaml:12"], [e.text for e in item.evidence]


def test_a_fix_is_named_only_when_it_repairs_a_finding_of_the_item(tmp_path: Path) -> None:
    """console-to-logger reports console calls it cannot replace (no logger in the repository):
    `fixer apply --fix console-to-logger` would change nothing, so no output names it, as
    SARIF does not (`fix: null`)."""
    index = SERVICE["services/api/src/index.ts"].replace("const server = app.listen(process.env.PORT || 3000);",
                                                         "const server = app.listen(3000, () => console.log('up'));")
    result = decide(tmp_path, {**SERVICE, "services/api/src/index.ts": index}, ("console-to-logger",))
    item = result.item("log.console")
    assert item.status == checklist.FAIL and item.evidence and not any(e.fixable for e in item.evidence)
    assert item.fixes == ()
    assert "none fixed automatically" in item.summary
    text = checklist.render_text(result)
    assert "fixer apply --fix console-to-logger" not in text
    assert "      no automatic fix\n      check: each finding above says what to change by hand" in text
    document = checklist.to_json(result)
    assert next(i for s in document["sections"] for i in s["items"] if i["id"] == "log.console")["fixes"] == []


def test_a_database_connected_through_a_nestjs_module_is_a_database(tmp_path: Path) -> None:
    """`TypeOrmModule.forRoot(…)` from `@nestjs/typeorm` connects the database: the database
    items apply. Its module retries by itself (retryAttempts) at a fixed delay; whether the
    service starts with the database down is not what the db-degradation fix reads: ❓."""
    module = (
        "import { Module } from '@nestjs/common';\n"
        "import { TypeOrmModule } from '@nestjs/typeorm';\n"
        "@Module({\n"
        "  imports: [TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL })],\n"
        "})\n"
        "export class AppModule {}\n"
    )
    result = decide(tmp_path / "a", {**NEST, "services/api/src/app.module.ts": module}, ("db-degradation", "eager-init"))
    status = {item.key: item.status for item in result.items()}
    assert status["res.db"] == status["res.degraded"] == checklist.UNKNOWN, result.item("res.db").summary
    assert status["db.pool"] == status["db.timeout"] == status["res.retry"] == checklist.FAIL
    assert status["db.retry"] == checklist.PASS
    assert [e.text for e in result.item("res.retry").evidence] == [
        "TypeOrmModule.forRoot retries at a fixed delay (retryDelay): no exponential backoff"]
    assert status["test.db"] == checklist.UNKNOWN and status["health.ready_db"] == checklist.FAIL
    assert status["db.backup"] == checklist.UNKNOWN
    assert decide(tmp_path / "b", SERVICE).item("test.db").summary == "no database client in the code"


def test_node_env_is_set_by_the_deployment_not_documented_in_the_template(tmp_path: Path) -> None:
    """cors-validation's own fix reads NODE_ENV: the variable every Node deployment sets is no
    application setting the env template must list."""
    code = "export const production = process.env.NODE_ENV === 'production';\n"
    item = decide(tmp_path, {**SERVICE, "services/api/src/env.ts": code}).item("doc.env")
    assert item.status == checklist.PASS, [e.text for e in item.evidence]


def test_services_that_run_no_node_or_serve_no_http_are_left_out(tmp_path: Path) -> None:
    """An SPA built with Node but served by nginx runs no Node process: the Node items do
    not apply to it. A queue worker serves no HTTP: it needs no rate limiter."""
    web = {
        "services/web/package.json": '{"name": "web", "dependencies": {"react": "18.2.0"}}\n',
        "services/web/Dockerfile": ("FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
                                    "FROM nginx:1.25-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n"
                                    "HEALTHCHECK CMD wget -qO- http://127.0.0.1/ || exit 1\n"),
    }
    result = decide(tmp_path / "web", {**SERVICE, **web})
    for key in ("health.health", "health.ready", "res.shutdown", "res.rejections", "sec.rate_limit"):
        item = result.item(key)
        assert item.status == checklist.PASS, (key, item.summary)
        assert item.evidence[-1].text == "web: its image runs nginx:1.25-alpine, not Node", key
    alone = decide(tmp_path / "alone", web).item("res.shutdown")
    assert alone.status == checklist.NA and alone.summary == "web: its image runs nginx:1.25-alpine, not Node"

    worker = {
        "services/worker/package.json": '{"name": "worker", "dependencies": {"kafkajs": "2.2.4"}}\n',
        "services/worker/src/index.ts": (
            "import { Kafka } from 'kafkajs';\n"
            "const consumer = new Kafka({ brokers: [process.env.KAFKA_BROKER!] }).consumer({ groupId: 'w' });\n"
            "consumer.run({ eachMessage: async () => {} });\n"
        ),
        "services/worker/Dockerfile": SERVICE["services/api/Dockerfile"],
    }
    item = decide(tmp_path / "worker", {**SERVICE, **worker}).item("sec.rate_limit")
    assert item.status == checklist.PASS, item.summary
    assert [e.text for e in item.evidence] == ["express-rate-limit", "worker: serves no HTTP (no listen() or route)"]


def test_node_modules_copied_from_a_builder_that_installed_dev_dependencies(tmp_path: Path) -> None:
    """The runtime image holds what it copies: node_modules (or the directory holding them)
    from a stage whose full `npm ci`/`yarn` installed devDependencies ships typescript and
    jest. A builder that prunes, installs for production, or a separate production-deps
    stage is fine; a global tool install is no dependency install."""
    dockerfile = ("FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\n{build}\n"
                  "FROM node:20-alpine\nWORKDIR /app\nENV NODE_ENV=production\n{copy}\n"
                  "USER node\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/health || exit 1\nCMD [\"node\", \"dist/index.js\"]\n")
    modules = "COPY --from=build /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist"
    cases = [
        ("RUN npm ci\nRUN npm run build", modules, False),
        ("RUN yarn --frozen-lockfile && yarn build", "COPY --from=build /app /app", False),
        ("RUN npm install && npm run build", "COPY --from=build /app/node_modules/ node_modules/", False),
        ("RUN npm ci && npm run build && npm prune --omit=dev", modules, True),
        ("RUN npm ci && npm run build\nRUN npm prune --production", modules, True),
        ("RUN npm ci --omit=dev", modules, True),
        ("ENV NODE_ENV=production\nRUN npm ci", modules, True),
        ("RUN yarn install --production", "COPY --from=build /app /app", True),
        ("RUN npm ci && npm run build", "COPY --from=build /app/dist ./dist\nRUN npm ci --omit=dev", True),
        ("RUN npm ci && npm run build", modules + "\nRUN npm prune --omit=dev", True),
        ("RUN npm ci --omit=dev", modules + "\nRUN npm install -g pm2", True),
    ]
    for n, (build, copy, minimal) in enumerate(cases):
        files = {**SERVICE, "services/api/Dockerfile": dockerfile.format(build=build, copy=copy)}
        item = decide(tmp_path / str(n), files).item("docker.minimal")
        assert (item.status == checklist.PASS) is minimal, (build, copy, [e.text for e in item.evidence])
    item = decide(tmp_path / "first", {**SERVICE, "services/api/Dockerfile": dockerfile.format(
        build=cases[0][0], copy=cases[0][1])}).item("docker.minimal")
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("services/api/Dockerfile:9", "final stage copies node_modules from stage `build`, where line 4 installs devDependencies")]

    stages = ("FROM node:20-alpine AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n"
              "FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
              "FROM node:20-alpine\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\n"
              "COPY --from=build /app/dist ./dist\nUSER node\nCMD [\"node\", \"dist/index.js\"]\n")
    item = decide(tmp_path / "deps", {**SERVICE, "services/api/Dockerfile": stages}).item("docker.minimal")
    assert item.status == checklist.PASS, [e.text for e in item.evidence]
    through = stages.replace("COPY --from=build /app/dist ./dist\n", "").replace(
        "RUN npm ci && npm run build\n", "COPY --from=deps /app/node_modules ./node_modules\nRUN npm install\n").replace(
        "--from=deps /app/node_modules ./node_modules\nUSER", "--from=build /app/node_modules ./node_modules\nUSER")
    item = decide(tmp_path / "through", {**SERVICE, "services/api/Dockerfile": through}).item("docker.minimal")
    assert item.status == checklist.FAIL, [e.text for e in item.evidence]


def test_a_variable_a_prisma_schema_reads_is_read(tmp_path: Path) -> None:
    """`url = env("DATABASE_URL")` in schema.prisma: Prisma reads the variable, so the
    template documents it for a reason (and must, when it does not)."""
    schema = ('datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n'
              '  // directUrl = env("COMMENTED_OUT")\n}\n')
    files = {**SERVICE, "services/api/prisma/schema.prisma": schema,
             "env.template": "PORT=3000\nDATABASE_URL=postgresql://user:password@localhost:5432/app\n"}
    item = decide(tmp_path / "a", files).item("doc.env")
    assert item.status == checklist.PASS and not any("DATABASE_URL" in e.text for e in item.evidence), \
        [e.text for e in item.evidence]
    item = decide(tmp_path / "b", {**files, "env.template": "PORT=3000\n"}).item("doc.env")
    assert item.status == checklist.FAIL
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("services/api/prisma/schema.prisma:3", "DATABASE_URL is read here but missing from env.template")]


def test_file_sinks_of_pino_roll_and_bunyan_and_a_winston_logger_with_no_transport(tmp_path: Path) -> None:
    """stdout-logging finds neither pino-roll nor a bunyan `path` stream: the static check must,
    and a winston logger with no transport logs nowhere, not "to stdout/stderr"."""
    pino_roll = ("const pino = require('pino');\nconst transport = pino.transport({ target: 'pino-roll', "
                 "options: { file: 'logs/app', frequency: 'daily', mkdir: true } });\nmodule.exports = pino(transport);\n")
    bunyan = ("const bunyan = require('bunyan');\nmodule.exports = bunyan.createLogger({ name: 'svc', streams: [\n"
              "  { level: 'info', stream: process.stdout },\n  { level: 'error', path: '/var/log/svc-error.log' },\n] });\n")
    for name, code, where, text in (("roll", pino_roll, 2, "pino-roll"), ("bunyan", bunyan, 4, "bunyan stream to a file (path)")):
        item = decide(tmp_path / name, {**SERVICE, "services/api/src/logger.js": code}).item("log.files")
        assert item.status == checklist.FAIL, (name, item.summary)
        assert [(e.where(), e.text) for e in item.evidence] == [(f"services/api/src/logger.js:{where}", text)]

    stdout = "const bunyan = require('bunyan');\nmodule.exports = bunyan.createLogger({ name: 'svc', streams: [{ stream: process.stdout }] });\n"
    assert decide(tmp_path / "stdout", {**SERVICE, "services/api/src/logger.js": stdout}).item("log.files").status == checklist.PASS

    for name, options in (("none", ""), ("options", "{ level: 'info' }"), ("empty", "{ level: 'info', transports: [] }")):
        code = f"const winston = require('winston');\n\nconst logger = winston.createLogger({options});\n\nmodule.exports = logger;\n"
        item = decide(tmp_path / name, {**SERVICE, "services/api/src/logger.js": code}).item("log.files")
        assert item.status == checklist.UNKNOWN, (name, item.summary)
        assert [e.where() for e in item.evidence] == ["services/api/src/logger.js:3"]
        assert "logs nowhere" in item.evidence[0].text and "stdout" not in item.summary
    added = ("const winston = require('winston');\nconst logger = winston.createLogger({ level: 'info' });\n"
             "logger.add(new winston.transports.Console());\nmodule.exports = logger;\n")
    assert decide(tmp_path / "added", {**SERVICE, "services/api/src/logger.js": added}).item("log.files").status == checklist.PASS


def test_fastify_autoload_directory_names_are_route_prefixes(tmp_path: Path) -> None:
    """The fastify-cli template: @fastify/autoload serves `routes/healthz/index.js`'s `fastify.get('/')`
    on /healthz (its options' prefix before it), so a HEALTHCHECK on /healthz is served, not
    "a path api does not serve"; a plugin naming its own `autoPrefix` answers where fixer cannot tell (❓)."""
    def tree(options: str, route: str = "") -> dict[str, str]:
        return {
            "services/api/package.json": '{"name": "api", "main": "app.js", "scripts": {"start": "node server.js"}, '
                                         '"dependencies": {"fastify": "4.28.0", "@fastify/autoload": "5.10.0"}}\n',
            "services/api/Dockerfile": "FROM node:20\nCOPY . .\nHEALTHCHECK CMD curl -f http://127.0.0.1:3000/healthz || exit 1\n"
                                       'CMD ["node", "server.js"]\n',
            "services/api/server.js": "const app = require('fastify')();\napp.register(require('./app'));\n"
                                      "app.listen({ port: 3000, host: '0.0.0.0' });\n",
            "services/api/app.js": "const path = require('node:path');\nconst AutoLoad = require('@fastify/autoload');\n"
                                   "module.exports = async function (fastify, opts) {\n"
                                   f"  fastify.register(AutoLoad, {{ dir: path.join(__dirname, 'routes'), options: {options} }});\n}};\n",
            "services/api/routes/healthz/index.js": "module.exports = async function (fastify) {\n"
                                                    "  fastify.get('/', async () => ({ status: 'ok' }));\n};\n" + route,
        }
    item = decide(tmp_path / "plain", tree("Object.assign({}, opts)")).item("health.loopback")
    assert item.status == checklist.PASS, (item.summary, [e.text for e in item.evidence])
    item = decide(tmp_path / "prefix", tree("{ prefix: '/api' }")).item("health.loopback")
    assert item.status == checklist.FAIL, item.summary
    assert any("calls /healthz, which api does not serve" in e.text for e in item.evidence)
    item = decide(tmp_path / "own", tree("{}", "module.exports.autoPrefix = '/v1';\n")).item("health.loopback")
    assert item.status == checklist.UNKNOWN, item.summary


def test_log4js_is_a_logger_and_its_file_appenders_are_file_logging(tmp_path: Path) -> None:
    """log4js.configure({ appenders }) sets up a logger: a `file`, `dateFile`, `fileSync` or
    `multiFile` appender writes to a file (❌, not "✅ no file transport" nor "no logger library");
    `stdout`/`console` appenders are stdout."""
    def logger(appender: str) -> str:
        return ("'use strict';\nconst log4js = require('log4js');\n\nlog4js.configure({\n  appenders: {\n"
                f"    out: {{ type: 'stdout' }},\n    app: {appender}\n  }},\n"
                "  categories: { default: { appenders: ['out', 'app'], level: 'info' } }\n});\n\n"
                "module.exports = log4js.getLogger('a');\n")
    for kind in ("file", "dateFile", "fileSync", "multiFile"):
        code = logger(f"{{ type: '{kind}', filename: 'logs/app.log' }}")
        result = decide(tmp_path / kind, {**SERVICE, "services/api/src/logger.js": code})
        item = result.item("log.files")
        assert item.status == checklist.FAIL, (kind, item.summary)
        assert [(e.where(), e.text) for e in item.evidence] == [
            ("services/api/src/logger.js:7", f"log4js {kind} appender (type: '{kind}')")]
        assert "no logger library" not in result.item("log.level").summary
    code = logger("{ type: 'console' }")
    result = decide(tmp_path / "stdout", {**SERVICE, "services/api/src/logger.js": code})
    item = result.item("log.files")
    assert item.status == checklist.PASS, item.summary
    assert [(e.where(), e.text) for e in item.evidence][0] == ("services/api/src/logger.js:4", "logger without a file transport")
    assert result.item("log.level").status == checklist.FAIL  # `level: 'info'`, fixed in the code


def test_a_winston_logger_with_no_format_writes_json(tmp_path: Path) -> None:
    """winston 3's default format is JSON (`{"level":"info","message":"x"}`): no `format`
    anywhere is JSON; a transport's own `format: simple()` is not."""
    code = ("const winston = require('winston');\nconst logger = winston.createLogger({\n"
            "  level: process.env.LOG_LEVEL || 'info',\n  transports: [new winston.transports.Console(%s)],\n});\n"
            "module.exports = logger;\n")
    item = decide(tmp_path / "default", {**SERVICE, "services/api/src/logger.js": code % ""}).item("log.json")
    assert item.status == checklist.PASS, item.summary
    assert [e.where() for e in item.evidence] == ["services/api/src/logger.js:2"]
    simple = code % "{ format: winston.format.simple() }"
    assert decide(tmp_path / "simple", {**SERVICE, "services/api/src/logger.js": simple}).item("log.json").status == checklist.FAIL
    destructured = ("const { createLogger, format, transports } = require('winston');\n"
                    "module.exports = createLogger({ transports: [new transports.Console()] });\n")
    item = decide(tmp_path / "destructured", {**SERVICE, "services/api/src/logger.js": destructured}).item("log.json")
    assert item.status == checklist.PASS, item.summary
    formatted = ("const { createLogger, format, transports } = require('winston');\nconst { simple } = format;\n"
                 "module.exports = createLogger({ format: simple(), transports: [new transports.Console()] });\n")
    assert decide(tmp_path / "formatted", {**SERVICE, "services/api/src/logger.js": formatted}).item("log.json").status == checklist.FAIL


def test_origin_true_in_a_branch_on_the_origin_allows_the_listed_origins_only(tmp_path: Path) -> None:
    """The cors README's `corsOptionsDelegate`: `{ origin: true }` for allow-listed origins is
    no "allows every origin" (the item still fails: nothing checks the list in production)."""
    code = ("const cors = require('cors');\n"
            "const allowlist = (process.env.ALLOWLIST || 'http://localhost:3000').split(',');\n"
            "const corsOptionsDelegate = function (req, callback) {\n  let corsOptions;\n"
            "  if (allowlist.indexOf(req.header('Origin')) !== -1) {\n    corsOptions = { origin: true };\n"
            "  } else {\n    corsOptions = { origin: false };\n  }\n  callback(null, corsOptions);\n};\n"
            "const ternary = (req, cb) => cb(null, allowlist.includes(req.header('Origin')) ? { origin: true } : { origin: false });\n"
            "app.use(cors(corsOptionsDelegate));\n")
    item = decide(tmp_path / "delegate", {**SERVICE, "services/api/src/cors.js": code}).item("sec.cors")
    assert item.status == checklist.FAIL
    assert not any("every origin" in text for text in [item.summary] + [e.text for e in item.evidence])
    anywhere = "if (process.env.CORS_ORIGIN_ANY) {\n  app.use(cors({ origin: true }));\n}\n"  # no request's origin
    item = decide(tmp_path / "open", {**SERVICE, "services/api/src/cors.js": anywhere}).item("sec.cors")
    assert [(e.where(), e.text) for e in item.evidence][:1] == [("services/api/src/cors.js:2", "allows every origin")]


_BASE = "services:\n  api:\n    build: ./services/api\n    environment:\n      NODE_ENV: %s\n"
_DEV_OVERRIDE = "services:\n  api:\n    environment:\n      NODE_ENV: development\n"


def test_an_included_compose_file_needs_no_override_and_a_git_ignored_one_is_each_developers(tmp_path: Path) -> None:
    """compose reads no override beside a file pulled in with `include:`; an override path
    .gitignore ignores is each developer's own, not a missing one."""
    files = {**SERVICE, "docker-compose.yml": "include:\n  - kafka/compose.yml\n" + _BASE % "production",
             "kafka/compose.yml": "services:\n  broker:\n    image: bitnami/kafka\n", "docker-compose.override.yml": _DEV_OVERRIDE}
    item = decide(tmp_path / "include", files).item("env.override")
    assert item.status == checklist.PASS, [e.text for e in item.evidence]

    files = {**SERVICE, "docker-compose.yml": _BASE % "production", ".gitignore": "docker-compose.override.yml\n"}
    for fixes in ((), ("env-separation",)):
        item = decide(tmp_path / ("ignored" + "-".join(fixes)), files, fixes).item("env.override")
        assert item.status == checklist.UNKNOWN, (fixes, item.summary)
        assert [(e.where(), e.text) for e in item.evidence] == [
            ("docker-compose.yml", "docker-compose.override.yml is git-ignored: each developer keeps their own")]
        assert "no docker-compose.override.yml" not in item.summary


def test_node_env_that_holds_in_every_environment_is_read_from_the_compose_files(tmp_path: Path) -> None:
    """env-separation keeps a literal `NODE_ENV: production` in the base (the override sets
    development) and reports, without "hardcodes", a base that sets development: the item
    reads the compose files, and env.separation takes no NODE_ENV report as its gap."""
    templates = {".env.development.example": "PORT=3000\n", ".env.production.example": "PORT=3000\n"}
    cases = {
        "no-override": ({"docker-compose.yml": _BASE % "production"}, "NODE_ENV=production in every environment"),
        "development": ({"docker-compose.yml": _BASE % "development", "docker-compose.override.yml": _DEV_OVERRIDE},
                        "NODE_ENV=development in a file production reads"),
        "default": ({"docker-compose.yml": _BASE % "${NODE_ENV:-production}", "docker-compose.override.yml": _DEV_OVERRIDE},
                    "NODE_ENV=${NODE_ENV:-production} takes the shell's"),
        "separated": ({"docker-compose.yml": _BASE % "production", "docker-compose.override.yml": _DEV_OVERRIDE}, None),
        "prod-file": ({"docker-compose.prod.yml": _BASE % "production", "docker-compose.yml": _BASE % "production",
                       "docker-compose.override.yml": _DEV_OVERRIDE}, None),
    }
    for name, (compose, gap) in cases.items():
        for fixes in ((), ("env-separation",)):
            result = decide(tmp_path / (name + "-".join(fixes)), {**SERVICE, **templates, **compose}, fixes)
            item = result.item("env.hardcoded")
            if gap is None:
                assert item.status == checklist.UNKNOWN, (name, fixes, item.summary)
            else:
                assert item.status == checklist.FAIL, (name, fixes, item.summary)
                assert [e.where() for e in item.evidence] == ["docker-compose.yml:5"]
                assert gap in item.evidence[0].text, item.evidence[0].text
            if name != "no-override":
                separation = result.item("env.separation")
                assert separation.status == checklist.PASS, (name, fixes, [e.text for e in separation.evidence])


def test_an_options_objects_last_entry_counts_whatever_its_form() -> None:
    """`createLogger({ level, transports })` and `{ ...base }` as the last entry: a shorthand is a key
    (a list built before), a spread is unknown; neither may read as "no transports"."""
    keys = checklist._top_level_keys
    code = b"createLogger({ level: 'info', transports })"
    assert keys(code, code.index(b"(") + 1) == {b"level": b"'info'", b"transports": b"?"}
    code = b"createLogger({ level: 'info', ...base })"
    assert keys(code, code.index(b"(") + 1) is None
    code = b"createLogger({ 'transports': [ ], format: json() })"
    assert keys(code, code.index(b"(") + 1) == {b"transports": b"[]", b"format": b"json()"}
    code = b"createLogger()"
    assert keys(code, code.index(b"(") + 1) == {}


ROUTER_SERVICE = {k: v for k, v in SERVICE.items() if k != "services/api/src/index.ts"}


def _router_service(tmp_path: Path, name: str, files: dict[str, str]) -> checklist.Checklist:
    return decide(tmp_path / name, {**ROUTER_SERVICE, **files})


def test_routes_of_a_mounted_router_answer_under_its_prefix(tmp_path: Path) -> None:
    """`app.use('/api', router)` with `router.get('/health', …)` serves /api/health, not /health:
    in the same file, or through an imported router module; the HEALTHCHECK on /health misses it."""
    same_file = ("import express from 'express';\nconst app = express();\nconst router = express.Router();\n"
                 "router.get('/health', (_q, s) => s.json({ ok: true }));\nrouter.get('/ready', (_q, s) => s.json({}));\n"
                 "app.use('/api', router);\nconst server = app.listen(3000);\n")
    result = _router_service(tmp_path, "same", {"services/api/src/index.ts": same_file})
    health = result.item("health.health")
    assert health.status == checklist.FAIL, health.summary
    assert [e.text for e in health.evidence] == ["api: no /health route: GET /api/health (`router` /health, mounted under /api)"]
    assert result.item("health.ready").status == checklist.FAIL
    loopback = result.item("health.loopback")  # the Dockerfile's HEALTHCHECK calls 127.0.0.1:3000/health
    assert loopback.status == checklist.FAIL, loopback.summary
    assert "HEALTHCHECK calls /health, which api does not serve: it serves GET /api/health" in loopback.evidence[0].text
    assert [e.text for e in result.services[0].routes] == [
        "GET /api/health (`router` /health, mounted under /api)", "GET /api/ready (`router` /ready, mounted under /api)"]

    routes = {"services/api/src/routes/health.ts": (
        "import { Router } from 'express';\nconst router = Router();\nrouter.get('/health', (_q, s) => s.send('ok'));\n"
        "router.get('/ready', (_q, s) => s.send('ok'));\nexport default router;\n")}
    imported = "import express from 'express';\nimport health from './routes/health';\nconst app = express();\n" \
               "app.use(%s, health);\nconst server = app.listen(3000);\n"
    result = _router_service(tmp_path, "api", {**routes, "services/api/src/index.ts": imported % "'/api'"})
    assert result.item("health.health").status == checklist.FAIL
    assert result.item("health.health").evidence[0].where() == "services/api/src/routes/health.ts:3"
    assert result.item("health.loopback").status == checklist.FAIL

    for name, prefix in (("root", "'/'"), ("constant", "ROOT")):  # mounted at the root: /health it is
        index = imported % prefix if name == "root" else "const ROOT = '/';\n" + imported % prefix
        result = _router_service(tmp_path, name, {**routes, "services/api/src/index.ts": index})
        assert result.item("health.health").status == checklist.PASS, (name, result.item("health.health").summary)
        assert result.item("health.loopback").status == checklist.PASS, result.item("health.loopback").summary

    # mounted with no path, through a require, a router made and returned by a function
    common = {"services/api/src/routes.js": (
        "const express = require('express');\nfunction healthRouter() {\n  const r = express.Router();\n"
        "  r.get('/health', (q, s) => s.send('ok'));\n  r.get('/ready', (q, s) => s.send('ok'));\n  return r;\n}\n"
        "module.exports = { healthRouter };\n"),
        "services/api/src/index.ts": ("const { healthRouter } = require('./routes');\nconst app = require('express')();\n"
                                      "app.use('/v1', healthRouter());\napp.listen(3000);\n")}
    result = _router_service(tmp_path, "function", common)
    assert result.item("health.health").evidence[0].text == \
        "api: no /health route: GET /v1/health (`r` /health, mounted under /v1)"
    nested = {**common, "services/api/src/index.ts": (
        "const { healthRouter } = require('./routes');\nconst express = require('express');\nconst app = express();\n"
        "const api = express.Router();\napi.use(healthRouter());\napp.use(api);\napp.listen(3000);\n")}
    assert _router_service(tmp_path, "nested", nested).item("health.health").status == checklist.PASS
    handler = {"services/api/src/check.ts": "export function check(_q, s) { s.send('ok'); }\n",
               "services/api/src/index.ts": ("import express from 'express';\nimport { check } from './check';\n"
                                             "const app = express();\napp.use('/health', check);\napp.use('/ready', check);\n"
                                             "app.listen(3000);\n")}
    assert _router_service(tmp_path, "handler", handler).item("health.health").status == checklist.PASS  # a handler, no router
    fastify = {"services/api/src/index.ts": (  # a Fastify plugin registered with a prefix (health-endpoints' reading)
        "import Fastify from 'fastify';\nconst app = Fastify();\napp.register(async (f) => {\n"
        "  f.get('/health', async () => ({ ok: true }));\n}, { prefix: '/api' });\napp.listen({ port: 3000 });\n")}
    result = _router_service(tmp_path, "fastify", fastify)
    assert result.item("health.health").evidence[0].text == "api: no /health route: GET /api/health (`f` /health, mounted under /api)"
    assert result.item("health.loopback").status == checklist.FAIL


def test_a_router_whose_mount_cannot_be_seen_is_unknown_not_a_pass(tmp_path: Path) -> None:
    files = {"services/api/src/routes/health.ts": ("import { Router } from 'express';\nexport const router = Router();\n"
                                                   "router.get('/health', (_q, s) => s.send('ok'));\n"),
             "services/api/src/index.ts": "import express from 'express';\nconst app = express();\napp.listen(3000);\n"}
    result = _router_service(tmp_path, "unseen", files)
    health = result.item("health.health")
    assert health.status == checklist.UNKNOWN, health.summary
    assert "a router fixer cannot see mounted" in health.evidence[0].text
    assert "app.use('/prefix', router)" in health.check
    loopback = result.item("health.loopback")
    assert loopback.status == checklist.UNKNOWN and "cannot match to a route" in loopback.summary


def test_the_default_winston_logger_is_a_logger(tmp_path: Path) -> None:
    """`winston.info(…)` with no logger made: the default logger, JSON, level 'info', and no
    transport until `winston.add`; `winston.configure(…)` sets it up as createLogger does."""
    def items(name: str, files: dict[str, str]) -> dict[str, checklist.Item]:
        result = decide(tmp_path / name, {**SERVICE, **files})
        return {key: result.item(key) for key in ("log.files", "log.json", "log.level", "log.sensitive")}

    bare = items("bare", {"services/api/src/log.ts": "import winston from 'winston';\nwinston.info('started');\n"})
    assert bare["log.files"].status == checklist.UNKNOWN  # it writes nowhere: not "logs go to stdout"
    assert "default logger used, no transport added" in bare["log.files"].evidence[0].text
    assert bare["log.json"].status == checklist.PASS
    assert bare["log.level"].status == checklist.FAIL
    assert bare["log.level"].evidence[0].text == "winston's default logger: level not read from the environment"

    pino = {"services/api/src/logger.ts": "import pino from 'pino';\nexport const logger = pino({ level: process.env.LOG_LEVEL });\n"}
    added = items("added", {**pino, "services/api/src/log.ts": (
        "import winston from 'winston';\nwinston.add(new winston.transports.Console());\n"
        "winston.warn('password reset for', user);\n")})
    assert added["log.files"].status == checklist.PASS
    assert added["log.level"].status == checklist.FAIL  # pino reads LOG_LEVEL, winston's default logger does not
    assert [e.where() for e in added["log.sensitive"].evidence] == ["services/api/src/log.ts:3"]

    configured = items("configured", {**pino, "services/api/src/log.ts": (
        "import winston from 'winston';\nwinston.configure({ format: winston.format.simple(), "
        "transports: [new winston.transports.Console()] });\nwinston.info('x');\n")})
    assert configured["log.json"].status == checklist.FAIL
    assert [e.where() for e in configured["log.json"].evidence] == ["services/api/src/log.ts:2"]
    assert configured["log.level"].status == checklist.FAIL

    from_env = items("env", {"services/api/src/log.ts": (
        "import winston from 'winston';\nwinston.add(new winston.transports.Console());\n"
        "winston.level = process.env.LOG_LEVEL || 'info';\nwinston.info('x');\n")})
    assert [from_env[key].status for key in ("log.files", "log.json", "log.level")] == [checklist.PASS] * 3


def test_an_audit_that_checked_nothing_says_so(tmp_path: Path) -> None:
    """No file checked is no ✅ ("nothing in 0 files"); code that could not be read leaves a
    service's items ❓, not ❌ or ➖; a checklist with no ✅ and no ❌ says it decided nothing."""
    empty = decide(tmp_path / "empty", {})
    assert empty.counts()[checklist.PASS] == 0, [i.key for i in empty.items() if i.status == checklist.PASS]
    assert empty.item("env.localhost").status == checklist.NA
    assert empty.decided_nothing() and checklist.NOTHING_DECIDED in checklist.render_text(empty)
    assert checklist.to_json(empty)["decided_nothing"] is True
    ran = decide(tmp_path / "ran", {}, ("secrets", "console-to-logger"))
    assert [ran.item(key).status for key in ("env.secrets", "log.console")] == [checklist.NA] * 2  # no "0 file(s) checked" ✅

    write_tree(tmp_path / "unread", {
        "services/a/package.json": '{"name": "a"}',
        "services/a/Dockerfile": "FROM node:20-alpine\nCMD [\"node\", \"index.js\"]\n"})
    (tmp_path / "unread/services/a/index.js").write_bytes(b"const x = '\xe9';\nrequire('express')().listen(3000);\n")
    repo = Repo(tmp_path / "unread", DirectorySource(tmp_path / "unread"), config_mod.load(tmp_path / "unread", registry()))
    result = checklist.build(repo, [], set())
    for key in ("health.health", "health.ready", "res.shutdown", "res.rejections", "sec.rate_limit"):
        item = result.item(key)
        assert item.status == checklist.UNKNOWN, (key, item.status, item.summary)
        assert item.evidence[0].text == "a: not read: not UTF-8", key


def test_a_level_is_followed_to_its_variable_and_an_env_object_it_cannot_see_is_unknown(tmp_path: Path) -> None:
    """`const logLevel = process.env.LOG_LEVEL || 'info'; pino({ level: logLevel })` reads the level
    from the environment (it was ❌); directus's `level: env['LOG_LEVEL']` with `env = useEnv()`
    from a package, or a level imported from a config module, is ❓, not ❌; an `env` object built
    from `process.env` in the file is ✅; a choice made in the code (`isProd ? …`) stays ❌."""
    cases = {
        "variable": ("import pino from 'pino';\nconst logLevel = process.env.LOG_LEVEL || 'info';\n"
                     "export const logger = pino({ level: logLevel });\n", checklist.PASS, 3),
        "env-object": ("import pino from 'pino';\nconst env = { ...process.env };\n"
                       "export const logger = pino({ level: env['LOG_LEVEL'] || 'info' });\n", checklist.PASS, 3),
        "config-object": ("import pino from 'pino';\nconst config = {\n  port: 3000,\n  logLevel: process.env.LOG_LEVEL,\n};\n"
                          "export const logger = pino({ level: config.logLevel });\n", checklist.PASS, 6),
        "use-env": ("import { useEnv } from '@directus/env';\nimport { pino } from 'pino';\nexport const createLogger = () => {\n"
                    "  const env = useEnv();\n  return pino({ level: env['LOG_LEVEL'] || 'info' });\n};\n", checklist.UNKNOWN, 5),
        "imported": ("import pino from 'pino';\nimport { LOG_LEVEL } from '@config/env';\nconst logLevel = LOG_LEVEL || 'info';\n"
                     "export const logger = pino({ level: logLevel });\n", checklist.UNKNOWN, 4),
        "chosen": ("import pino from 'pino';\nconst isProd = process.env.NODE_ENV === 'production';\n"
                   "export const logger = pino({ level: isProd ? 'info' : 'debug' });\n", checklist.FAIL, 3),
        "format-callback": ("import winston from 'winston';\nexport const logger = winston.createLogger({ level: 'info', format: "
                            "winston.format.printf((info) => JSON.stringify({ level: info.level })) });\n", checklist.FAIL, 2),
    }
    for name, (code, status, line) in cases.items():
        item = decide(tmp_path / name, {**SERVICE, "services/api/src/logger.ts": code}).item("log.level")
        assert item.status == status, (name, item.summary)
        assert item.evidence[0].where() == f"services/api/src/logger.ts:{line}", (name, item.evidence)
    item = decide(tmp_path / "why", {**SERVICE, "services/api/src/logger.ts": cases["use-env"][0]}).item("log.level")
    assert "useEnv" in item.evidence[0].text and "@directus/env" in item.evidence[0].text


def test_managed_transactions_roll_back_by_themselves(tmp_path: Path) -> None:
    """knex `db.transaction(async trx => …)` (directus, unleash), Sequelize, Prisma, TypeORM and
    mongoose's `withTransaction` roll back when the callback throws: no ROLLBACK is needed. A
    transaction opened by hand in the same file still needs one."""
    managed = {
        "knex": "await this.db.transaction(async (trx) => {\n  await trx('t').insert({});\n});\n",
        "knex-short": "return knex.transaction((trx) => handler(trx));\n",
        "sequelize": "await sequelize.transaction({ isolationLevel: 'x' }, async (t: Transaction) => {});\n",
        "prisma": "await prisma.$transaction(async (tx) => { await tx.user.create({ data: {} }); });\n",
        "prisma-list": "await prisma.$transaction([prisma.a.create({ data: {} }), prisma.b.delete({ where: {} })]);\n",
        "typeorm": "await dataSource.manager.transaction('SERIALIZABLE', async (manager) => {});\n",
        "mongoose": "const session = await mongoose.startSession();\nawait session.withTransaction(async () => {});\n",
    }
    for name, code in managed.items():
        item = decide(tmp_path / name, {**SERVICE, "services/api/src/store.ts": code}).item("db.rollback")
        assert item.status == checklist.PASS, (name, item.summary)
        assert "rolled back when its callback throws" in item.evidence[0].text
    for name, code in (("by-hand", "const trx = await knex.transaction();\nawait trx('t').insert({});\nawait trx.commit();\n"),
                       ("mixed", "await knex.transaction(async (trx) => {});\nawait client.query('BEGIN');\n")):
        item = decide(tmp_path / name, {**SERVICE, "services/api/src/store.ts": code}).item("db.rollback")
        assert item.status == checklist.FAIL, (name, item.summary)
        assert item.evidence[0].text == "transaction without ROLLBACK"


def test_json_logging_is_what_reaches_stdout_in_production(tmp_path: Path) -> None:
    """`import pino` alone was ✅. pino writes JSON unless pino-pretty is on the production path
    (❌), chosen by a setting fixer cannot see (directus's `LOG_STYLE`: ❓), or the logger writes
    files (users-service's pino-roll: ❓); pino-pretty in development only is JSON in production."""
    users = ("import pino from 'pino';\nconst isProd = process.env.NODE_ENV === 'production';\n"
             "const transport = pino.transport({\n  targets: isProd\n"
             "    ? [{ target: 'pino-roll', options: { file: 'logs/app', frequency: 'daily' } }]\n"
             "    : [{ target: 'pino-pretty', options: { colorize: true } }],\n});\n"
             "export const logger = pino({ level: process.env.LOG_LEVEL }, pino.destination({ dest: 1 }));\n"
             "export const other = pino({}, transport);\n")
    cases = {
        "pretty-always": ("import pino from 'pino';\nexport const logger = pino({ transport: { target: 'pino-pretty' } });\n",
                          checklist.FAIL, 2, "pino-pretty on the production path"),
        "pretty-in-production": ("import pino from 'pino';\nconst isProd = process.env.NODE_ENV === 'production';\n"
                                 "export const logger = pino(isProd ? { prettyPrint: true } : {});\n", checklist.FAIL, 3,
                                 "pino-pretty on the production path"),
        "pretty-in-development": ("import pino from 'pino';\nexport const logger = pino({\n  transport: process.env.NODE_ENV "
                                  "!== 'production' ? { target: 'pino-pretty' } : undefined,\n});\n", checklist.PASS, 1,
                                  "JSON format"),
        "log-style": ("import { pino } from 'pino';\nimport { build as pinoPretty } from 'pino-pretty';\n"
                      "const streams = [];\nif (env['LOG_STYLE'] !== 'raw') {\n  streams.push({ stream: pinoPretty({ sync: true }) });\n"
                      "} else {\n  streams.push({ stream: process.stdout });\n}\n"
                      "export const logger = pino({}, pino.multistream(streams));\n", checklist.UNKNOWN, 5, "chosen at run time"),
        "pino-roll": (users, checklist.UNKNOWN, 5, "pino writes to a file (pino-roll)"),
        "plain": ("import pino from 'pino';\nexport const logger = pino({ level: 'info' });\n", checklist.PASS, 1, "JSON format"),
    }
    for name, (code, status, line, text) in cases.items():
        item = decide(tmp_path / name, {**SERVICE, "services/api/src/logger.ts": code}).item("log.json")
        assert item.status == status, (name, item.summary)
        assert (item.evidence[0].where(), text in item.evidence[0].text) == (f"services/api/src/logger.ts:{line}", True), \
            (name, item.evidence)
    # `pino.destination({ dest: 1 })` is stdout, not a file
    item = decide(tmp_path / "files", {**SERVICE, "services/api/src/logger.ts": users}).item("log.files")
    assert [e.where() for e in item.evidence] == ["services/api/src/logger.ts:5"]


def test_a_projects_own_rate_limiter_is_a_question_never_a_failure(tmp_path: Path) -> None:
    """terreno's `app.use(createRateLimitMiddleware(store, options))` (its own limiter, no
    express-rate-limit): fixer cannot tell that it limits every entry point, but it is no
    missing rate limiter either: ❓ with where it is mounted."""
    package = '{"name": "api", "main": "dist/index.js", "dependencies": {"zod": "3.0.0"}}\n'
    index = SERVICE["services/api/src/index.ts"].replace("import rateLimit from 'express-rate-limit';\n", "").replace(
        "app.use(rateLimit({ windowMs: 60000, max: 100 }));\n",
        "import { createRateLimitMiddleware } from './rateLimit/middleware';\n"
        "if (process.env.RATE_LIMIT) {\n  app.use(createRateLimitMiddleware({ max: 100 }));\n}\n")
    files = {**SERVICE, "services/api/package.json": package, "services/api/src/index.ts": index,
             "services/api/src/rateLimit/middleware.ts": "export const createRateLimitMiddleware = (o: object) => o;\n"}
    item = decide(tmp_path / "own", files).item("sec.rate_limit")
    assert item.status == checklist.UNKNOWN, item.summary
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("services/api/src/index.ts:6", "api: its own rate limiter `createRateLimitMiddleware` given to .use(…)")]
    assert "limits every public entry point" in item.check
    none = {**files, "services/api/src/index.ts": index.replace("  app.use(createRateLimitMiddleware({ max: 100 }));\n", "")}
    assert decide(tmp_path / "none", none).item("sec.rate_limit").status == checklist.FAIL


def test_create_connection_is_a_database_client_only_from_a_database_module(tmp_path: Path) -> None:
    """Hocuspocus's `private createConnection(connection, document)` (and its calls) make a
    WebSocket connection, terreno's `new Client()` a Cloud Tasks client: no database client to
    want a retry, a timeout or a pool size. `createConnection` from mysql2 (or typeorm) is one."""
    socket = ("export class ClientConnection {\n"
              "  private createConnection(connection: WebSocket, document: object) {\n"
              "    return { connection, document };\n  }\n}\n")
    tasks = ("export const enqueue = async () => {\n  const mod = await import('@google-cloud/tasks');\n"
             "  const Client = mod.CloudTasksClient;\n  return new Client();\n};\n")
    result = decide(tmp_path / "ws", {**SERVICE, "services/api/src/ClientConnection.ts": socket,
                                      "services/api/src/audit/cloudTasks.ts": tasks})
    for key in ("db.pool", "db.retry", "db.timeout"):
        assert result.item(key).status == checklist.NA, (key, result.item(key).summary)
    mysql = "import { createConnection } from 'mysql2/promise';\nexport const db = createConnection({ host: 'db' });\n"
    result = decide(tmp_path / "mysql", {**SERVICE, "services/api/src/db.ts": mysql})
    assert [e.where() for e in result.item("db.pool").evidence] == ["services/api/src/db.ts:2"]


def test_a_server_a_package_script_starts_is_not_the_services_listener(tmp_path: Path) -> None:
    """terreno's load harness (`"load": "bun src/sync/loadHarness.ts"`) starts an http server
    of its own: it is a script, so a missing /ready or rate limiter is the service's, at the
    service's own listen(), never at the harness's."""
    harness = ("import { createServer } from 'node:http';\nimport express from 'express';\n"
               "const httpServer = createServer(express());\nhttpServer.listen(0);\n")
    package = ('{"name": "api", "main": "dist/index.js", "scripts": {"start": "node dist/index.js", '
               '"load": "bun src/bench/loadHarness.ts"}, "dependencies": {"express": "4.0.0"}}\n')
    index = SERVICE["services/api/src/index.ts"].replace("app.get('/ready', (_req, res) => res.json({ status: 'ready' }));\n", "")
    index = index.replace("import rateLimit from 'express-rate-limit';\n", "").replace(
        "app.use(rateLimit({ windowMs: 60000, max: 100 }));\n", "")
    files = {**SERVICE, "services/api/package.json": package, "services/api/src/index.ts": index,
             "services/api/src/bench/loadHarness.ts": harness}
    result = decide(tmp_path, files)
    for key in ("health.ready", "sec.rate_limit"):
        item = result.item(key)
        assert item.status == checklist.FAIL, (key, item.summary)
        assert [e.where() for e in item.evidence] == ["services/api/src/index.ts:6"], key


def test_a_file_transport_production_never_attaches_is_no_file_logging(tmp_path: Path) -> None:
    """terreno's dev JSONL file: attached after `if (!shouldAttach()) return;`, where
    `shouldAttach()` returns `NODE_ENV !== 'production'`. Production writes no file: ✅,
    with stdout-logging's note; a file attached in production is still ❌."""
    logger = ("import winston from 'winston';\n"
              "const shouldAttach = (): boolean => process.env.NODE_ENV !== 'production';\n"
              "export const logger = winston.createLogger({ transports: [new winston.transports.Console()] });\n"
              "const attach = (target: winston.Logger): void => {\n"
              "  if (!shouldAttach()) {\n    return;\n  }\n"
              "  target.add(new winston.transports.File({ filename: 'dev.log' }));\n"
              "};\nattach(logger);\n")
    files = {**SERVICE, "services/api/src/logger.ts": logger}
    for fixes in ((), ("stdout-logging",)):
        item = decide(tmp_path / str(len(fixes)), files, fixes).item("log.files")
        assert item.status == checklist.PASS, (fixes, item.summary, [e.text for e in item.evidence])
    assert any(e.text.startswith("note: writes logs to 'dev.log' only outside production") for e in item.evidence)
    always = {**SERVICE, "services/api/src/logger.ts": logger.replace("  if (!shouldAttach()) {\n    return;\n  }\n", "")}
    assert decide(tmp_path / "always", always).item("log.files").status == checklist.FAIL


def _db_service(package_extra: str, files: dict[str, str]) -> dict[str, str]:
    package = ('{"name": "api", "main": "dist/index.js", "scripts": {"start": "node dist/index.js"%s}, '
               '"dependencies": {"express": "4.0.0", "typeorm": "0.3.20", "pg": "8.0.0"}}\n') % package_extra
    index = SERVICE["services/api/src/index.ts"] + (
        "import { DataSource } from 'typeorm';\n"
        "export const ds = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, entities: [] });\n")
    return {**SERVICE, "services/api/package.json": package, "services/api/src/index.ts": index, **files}


def test_an_orm_in_the_dependencies_is_no_migration(tmp_path: Path) -> None:
    """min2: typeorm in the dependencies was ✅. Migrations are a folder, a package.json script that
    runs them or an ORM told to; `synchronize: true` rewrites the schema on every start (❌); else ❓."""
    item = decide(tmp_path / "orm", _db_service("", {})).item("db.migrations")
    assert item.status == checklist.UNKNOWN, item.summary
    assert "typeorm" in item.check
    synchronized = _db_service("", {})
    synchronized["services/api/src/index.ts"] = synchronized["services/api/src/index.ts"].replace(
        "entities: []", "synchronize: true, entities: []")
    item = decide(tmp_path / "sync", synchronized).item("db.migrations")
    assert item.status == checklist.FAIL and [e.where() for e in item.evidence] == ["services/api/src/index.ts:13"]
    for name, extra, files in (
            ("script", ', "migrate": "typeorm migration:run -d dist/data-source.js"', {}),
            ("knex", ', "db:up": "knex migrate:latest"', {}),
            ("folder", "", {"services/api/src/migrations/1700000000000-init.ts": "export class Init1700000000000 {}\n"}),
            ("config", "", {"services/api/src/data-source.ts": "import { DataSource } from 'typeorm';\nexport default new "
                            "DataSource({ type: 'postgres', migrationsRun: true, migrations: ['dist/migrations/*.js'] });\n"})):
        item = decide(tmp_path / name, _db_service(extra, files)).item("db.migrations")
        assert item.status == checklist.PASS, (name, item.summary)


def test_a_healthcheck_whose_tool_the_image_lacks_cannot_pass(tmp_path: Path) -> None:
    """min1: `FROM node:20-alpine` + `HEALTHCHECK CMD curl …` never installed: the probe always
    fails. Alpine has busybox wget, debian-based node has curl, slim has neither; a RUN that installs
    the tool, or a `node -e` probe, is fine."""
    def dockerfile(base: str, check: str, run: str = "") -> dict[str, str]:
        text = SERVICE["services/api/Dockerfile"].replace("FROM node:20-alpine\n", f"FROM {base}\n{run}").replace(
            "HEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/health || exit 1", f"HEALTHCHECK --interval=30s CMD {check}")
        return {**SERVICE, "services/api/Dockerfile": text}
    curl = "curl -f http://127.0.0.1:3000/health || exit 1"
    cases = {
        "alpine-curl": (dockerfile("node:20-alpine", curl), checklist.FAIL),
        "slim-wget": (dockerfile("node:20-slim", "wget -qO- http://127.0.0.1:3000/health || exit 1"), checklist.FAIL),
        "alpine-wget": (dockerfile("node:20-alpine", "wget -qO- http://127.0.0.1:3000/health || exit 1"), checklist.PASS),
        "debian-curl": (dockerfile("node:20", curl), checklist.PASS),
        "installed": (dockerfile("node:20-alpine", curl, "RUN apk add --no-cache curl\n"), checklist.PASS),
        "node": (dockerfile("node:20-slim", "node -e \"fetch('http://127.0.0.1:3000/health')"
                            ".then(r => process.exit(r.ok ? 0 : 1))\""), checklist.PASS),
    }
    for name, (files, expected) in cases.items():
        result = decide(tmp_path / name, files)
        for key in ("docker.healthcheck", "health.loopback"):
            item = result.item(key)
            assert item.status == expected, (name, key, item.summary)
            if expected == checklist.FAIL:
                assert any("which the image" in e.text and e.where() == "services/api/Dockerfile:10"
                           for e in item.evidence), (name, key, [e.text for e in item.evidence])


def test_zod_that_only_parses_the_environment_validates_no_request(tmp_path: Path) -> None:
    """min10: zod in config/env.js (`z.object(…).parse(process.env)`) made sec.validation ✅.
    Evidence is a library used where requests go: a route file or a module it imports."""
    index = SERVICE["services/api/src/index.ts"].replace("import { z } from 'zod';\n", "import { env } from './config/env';\n")
    index = index.replace("res.json(z.object({}).parse(req.body))", "res.json(req.body)")
    env = "import { z } from 'zod';\nexport const env = z.object({ PORT: z.string() }).parse(process.env);\n"
    files = {**SERVICE, "services/api/src/index.ts": index, "services/api/src/config/env.ts": env}
    item = decide(tmp_path / "env", files).item("sec.validation")
    assert item.status == checklist.FAIL, item.summary
    middleware = ("import { z } from 'zod';\nexport const validate = (schema: z.ZodTypeAny) => "
                  "(req: any, _res: any, next: any) => { schema.parse(req.body); next(); };\n")
    imported = {**files, "services/api/src/index.ts": "import { validate } from './middleware/validate';\n" + index,
                "services/api/src/middleware/validate.ts": middleware}
    item = decide(tmp_path / "middleware", imported).item("sec.validation")
    assert item.status == checklist.PASS and item.evidence[0].path == "services/api/src/middleware/validate.ts", item.summary


def test_a_database_only_a_package_script_connects_is_not_the_services(tmp_path: Path) -> None:
    """min11: a load harness (`"load": "node src/loadHarness.js"`) that calls mongoose.connect made
    res.db/res.degraded ✅ and health.ready_db/res.retry/db.pool/db.retry/db.timeout ❌."""
    package = ('{"name": "api", "main": "dist/index.js", "scripts": {"start": "node dist/index.js", '
               '"load": "node src/loadHarness.js"}, "dependencies": {"express": "4.0.0", "mongoose": "8.0.0"}}\n')
    harness = ("const mongoose = require('mongoose');\nasync function main() {\n"
               "  await mongoose.connect(process.env.LOAD_MONGO_URI);\n  await mongoose.disconnect();\n}\nmain();\n")
    result = decide(tmp_path, {**SERVICE, "services/api/package.json": package, "services/api/src/loadHarness.js": harness})
    for key in ("res.db", "res.degraded", "health.ready_db", "res.retry", "db.pool", "db.retry", "db.timeout"):
        item = result.item(key)
        assert item.status == checklist.NA, (key, item.summary)
        assert not any("loadHarness" in e.path for e in item.evidence), key


def test_a_stack_in_a_koa_body_or_a_variable_sent_is_sent(tmp_path: Path) -> None:
    """min8, min9: Koa's `ctx.body = { stack: err.stack }` and Express's `const body = { stack:
    err.stack }; res.status(500).json(body)` were ❓ "no response sends err.stack"."""
    koa = ("export async function onError(ctx: any, next: any) {\n  try {\n    await next();\n  } catch (err: any) {\n"
           "    ctx.status = 500;\n    ctx.body = { error: err.message, stack: err.stack };\n  }\n}\n")
    express = ("export function onError(err: Error, _req: any, res: any, _next: any) {\n"
               "  const body = { message: err.message, stack: err.stack };\n  res.status(500).json(body);\n}\n"
               "export function devOnly(err: Error, _req: any, res: any, _next: any) {\n"
               "  const body: any = { message: 'internal' };\n"
               "  if (process.env.NODE_ENV === 'development') { body.stack = err.stack; }\n  res.status(500).json(body);\n}\n"
               "export function always(err: Error, _req: any, res: any, _next: any) {\n"
               "  const body: any = { message: 'internal' };\n  body.stack = err.stack;\n  res.json(body);\n}\n")
    result = decide(tmp_path, {**SERVICE, "services/api/src/koa.ts": koa, "services/api/src/errors.ts": express})
    for key in ("log.stack", "res.errors"):
        item = result.item(key)
        assert item.status == checklist.FAIL, (key, item.summary)
        assert [e.where() for e in item.evidence] == ["services/api/src/errors.ts:3", "services/api/src/errors.ts:13",
                                                      "services/api/src/koa.ts:6"], key


def test_a_test_that_only_mentions_health_requests_nothing(tmp_path: Path) -> None:
    """min3: `assert.ok(isPublic('/health'))` made test.health ✅: a test must request /health."""
    mention = ("const test = require('node:test');\nconst assert = require('node:assert');\n"
               "const { isPublic } = require('./paths');\ntest('public', () => { assert.ok(isPublic('/health')); });\n")
    item = decide(tmp_path / "mention", {**SERVICE, "services/api/src/paths.test.js": mention}).item("test.health")
    assert item.status == checklist.UNKNOWN, item.summary
    other = "test('report', async () => {\n  await app.request.get('/api/admin/projects/x/health-report').expect(200);\n});\n"
    item = decide(tmp_path / "other", {**SERVICE, "services/api/src/report.test.js": other}).item("test.health")
    assert item.status == checklist.UNKNOWN, item.summary  # (unleash: another route whose path holds "/health")
    served = "test('limits', async () => {\n  app.get('/health', (_req, res) => res.json({ ok: true }));\n});\n"
    item = decide(tmp_path / "served", {**SERVICE, "services/api/src/limit.test.js": served}).item("test.health")
    assert item.status == checklist.UNKNOWN, item.summary  # (terreno: a route the test registers, no request)
    for name, request in (("supertest", "const res = await request(app)\n    .get('/health');"),
                          ("fetch", "const res = await fetch(`${base}/health`);"),
                          ("inject", "const res = await app.inject({ method: 'GET', url: '/health' });"),
                          ("axios", "const res = await axios.get('http://127.0.0.1:3000/health');")):
        test = f"test('health', async () => {{\n  {request}\n  assert.equal(res.status, 200);\n}});\n"
        item = decide(tmp_path / name, {**SERVICE, "services/api/src/health.test.js": test}).item("test.health")
        assert item.status == checklist.PASS, (name, item.summary)


def test_a_route_a_controller_class_registers_on_itself_answers_where_its_instance_is_mounted(tmp_path: Path) -> None:
    """min7 (unleash): `this.route({ path: '/health' })` in a controller mounted with
    `this.use('/api/frontend', new FrontendController().router)` answers elsewhere: ❓, never ✅."""
    controller = ("const { Router } = require('express');\nclass Controller {\n"
                  "  constructor() { this.router = Router(); }\n"
                  "  route({ method, path, handler }) { this.router[method](path, handler); }\n"
                  "  use(path, router) { this.router.use(path, router); }\n}\nmodule.exports = Controller;\n")
    frontend = ("const Controller = require('./controller');\nclass FrontendController extends Controller {\n"
                "  constructor() {\n    super();\n"
                "    this.route({ method: 'get', path: '/health', handler: (req, res) => res.status(501).end() });\n"
                "  }\n}\nmodule.exports = FrontendController;\n")
    index = ("const express = require('express');\nconst Controller = require('./controller');\n"
             "const FrontendController = require('./frontend');\nclass IndexRouter extends Controller {\n"
             "  constructor() {\n    super();\n    this.use('/api/frontend', new FrontendController().router);\n  }\n}\n"
             "const app = express();\napp.use('/', new IndexRouter().router);\napp.listen(process.env.PORT || 3000);\n")
    package = '{"name": "api", "main": "src/index.js", "dependencies": {"express": "4.0.0"}}\n'
    files = {"services/api/package.json": package, "services/api/src/index.js": index, "services/api/src/frontend.js": frontend,
             "services/api/src/controller.js": controller, "services/api/Dockerfile": SERVICE["services/api/Dockerfile"]}
    item = decide(tmp_path, files).item("health.health")
    assert item.status == checklist.UNKNOWN, item.summary
    assert [e.where() for e in item.evidence] == ["services/api/src/frontend.js:5"]


def test_imported_specifiers_are_every_import_form() -> None:
    """(From the bytes, no parse: `x.import('y')` counts, a bare `import 'x'` only at a line's start.)"""
    data = (b"import express from 'express';\nimport 'reflect-metadata';\n  import  \"./side\";\n"
            b"const { Pool } = require( 'pg' );\nconst lazy = await import('./lazy.js');\n"
            b"export * from \"./all\";\nconst s = 'from here';\nreport(from, 'x');\nx.import('y');\n"
            b"const t = `import 'no'`;\nimportant('z');\nfrom\n  './multiline';\n")
    assert checklist.imported_specifiers(data) == (
        "express", "reflect-metadata", "./side", "pg", "./lazy.js", "./all", "y", "./multiline")


def test_a_minified_bundle_is_build_output_not_unread(tmp_path: Path) -> None:
    """A committed browser bundle (`public/js/bundle.js`, lines of thousands of bytes) is a
    build's output, skipped as such: out of scope like `dist/`, so no item turns ❓ asking
    to read it (thelounge's /health row said "not read: minified")."""
    bundle = "var a=1;" * 400 + "\nfetch('/x').then(function(r){return r.json()});\n"
    result = decide(tmp_path / "bundled", {**SERVICE, "services/api/public/js/bundle.js": bundle})
    assert result.counts()[checklist.UNKNOWN] == decide(tmp_path / "plain", SERVICE).counts()[checklist.UNKNOWN]
    assert result.item("health.health").status == checklist.PASS
    assert "minified" not in checklist.render_text(result)


def test_a_build_tools_listen_is_not_the_services_server(tmp_path: Path) -> None:
    """A Ghost theme's gulpfile (`livereload.listen()`) inside the service's directory is a build
    tool's file, not the server: the items cite where the service listens."""
    files = {
        "services/blog/package.json": '{"name": "blog", "main": "src/index.js", "dependencies": {"express": "4", "pg": "8"}}',
        "services/blog/src/index.js": (
            "const express = require('express');\nconst { Pool } = require('pg');\n"
            "const pool = new Pool({ connectionString: process.env.DATABASE_URL });\nconst app = express();\n"
            "app.get('/health', (req, res) => res.send('ok'));\n"
            "app.get('/posts', async (req, res) => res.json((await pool.query('SELECT 1')).rows));\n"
            "app.listen(process.env.PORT || 2368);\n"),
        "services/blog/content/themes/casper/package.json": '{"name": "casper"}',
        "services/blog/content/themes/casper/gulpfile.js": (
            "const livereload = require('gulp-livereload');\nfunction serve(done) {\n  livereload.listen();\n"
            "  done();\n}\nexports.default = serve;\n"),
    }
    item = decide(tmp_path, files).item("health.ready")
    assert [(e.path, e.line) for e in item.evidence] == [("services/blog/src/index.js", 7)], item.evidence


def test_a_stack_production_removes_before_the_send_is_development_only(tmp_path: Path) -> None:
    """s14: @feathersjs/express's errorHandler deletes `output.stack` when NODE_ENV is production
    before `res.json(output)`, and was ❌ "stack traces are sent to clients" (in code without
    semicolons, the match for `const output = …` also ran on to the `delete output.stack`)."""
    removed = ("export function feathers(err: any, _req: any, res: any) {\n"
               "  const output = Object.assign({}, err.toJSON())\n\n"
               "  if (process.env.NODE_ENV === 'production') {\n    delete output.stack\n  }\n\n"
               "  res.set('Content-Type', 'application/json')\n  res.json(output)\n}\n"
               "export function deleted(err: any, _req: any, res: any) {\n"
               "  const output = { name: err.name, message: err.message, stack: err.stack };\n"
               "  if (process.env.NODE_ENV === 'production') delete output['stack'];\n  res.status(500).json(output);\n}\n"
               "export function undefinedInProduction(err: any, _req: any, res: any) {\n"
               "  const body: any = { message: err.message, stack: err.stack };\n"
               "  if (process.env.NODE_ENV !== 'development') { body.stack = undefined; }\n  res.json(body);\n}\n"
               "export function alwaysRemoved(err: any, _req: any, res: any) {\n"
               "  const body = { message: err.message, stack: err.stack };\n  delete body.stack;\n  res.json(body);\n}\n"
               "export function spread(err: any, _req: any, res: any) {\n"
               "  const output = { message: err.message, stack: err.stack };\n"
               "  const { stack, ...rest } = output;\n  res.json(rest);\n}\n"
               "export function devOnly(err: any, _req: any, res: any) {\n"
               "  const body: any = { message: err.message };\n"
               "  if (process.env.NODE_ENV !== 'production') body.stack = err.stack\n  res.json(body)\n}\n")
    item = decide(tmp_path / "removed", {**SERVICE, "services/api/src/errors.ts": removed}).item("log.stack")
    assert item.status != checklist.FAIL and item.evidence == [], (item.summary, item.evidence)


def test_a_stack_removed_only_sometimes_or_too_late_is_still_sent(tmp_path: Path) -> None:
    """The other direction: a removal that production does not surely make (under another
    condition, in development only, in a callback, after the send), or a stack set again after
    it, leaves the stack in the response; a send in code without semicolons still counts."""
    sent = ("export function notFoundOnly(err: any, _req: any, res: any) {\n"
            "  const body = { message: err.message, stack: err.stack };\n"
            "  if (err.code === 404) delete body.stack;\n  res.json(body);\n}\n"
            "export function wrongWayRound(err: any, _req: any, res: any) {\n"
            "  const body = { message: err.message, stack: err.stack };\n"
            "  if (process.env.NODE_ENV === 'development') { delete body.stack; }\n  res.json(body);\n}\n"
            "export function inACallback(err: any, _req: any, res: any) {\n"
            "  const body = { message: err.message, stack: err.stack };\n"
            "  setTimeout(() => { delete body.stack; });\n  res.json(body);\n}\n"
            "export function setAgain(err: any, _req: any, res: any) {\n"
            "  const body: any = { message: err.message };\n  delete body.stack;\n  body.stack = err.stack;\n"
            "  res.json(body);\n}\n"
            "export function noSemicolons(err: any, _req: any, res: any) {\n"
            "  const output = { message: err.message, stack: err.stack }\n"
            "  res.status(500)\n  res.json(output)\n}\n"
            "export function always(err: any, _req: any, res: any) {\n"
            "  res.status(500).json({ message: err.message, stack: err.stack })\n}\n")
    item = decide(tmp_path / "sent", {**SERVICE, "services/api/src/errors.ts": sent}).item("log.stack")
    assert item.status == checklist.FAIL, item.summary
    assert [e.line for e in item.evidence] == [4, 9, 14, 20, 25, 28], item.evidence


def test_an_exit_after_a_retry_loop_is_no_degraded_mode(tmp_path: Path) -> None:
    """s14: a mongoose `connectDB()` that retries in a loop and calls `process.exit(1)` after it (not
    in a catch) got no db-degradation finding, and res.degraded said ✅."""
    db = ("const mongoose = require('mongoose');\n\nconst connectDB = async (retries = 5) => {\n  while (retries) {\n"
          "    try {\n      await mongoose.connect(process.env.MONGO_URI);\n      return;\n    } catch (err) {\n"
          "      retries -= 1;\n    }\n  }\n  console.error('Could not connect to MongoDB, exiting');\n  process.exit(1);\n};\n\n"
          "module.exports = connectDB;\n")
    files = {"services/api/package.json": '{"name": "api", "main": "src/index.js", "dependencies": {"mongoose": "8.0.0"}}\n',
             "services/api/src/index.js": ("const express = require('express');\nconst connectDB = require('./db');\n"
                                          "const app = express();\nconnectDB().then(() => app.listen(3000));\n"),
             "services/api/src/db.js": db}
    result = decide(tmp_path, files, ("db-degradation", "eager-init"))
    for key in ("res.db", "res.degraded"):
        item = result.item(key)
        assert item.status == checklist.FAIL, (key, item.summary)
        assert [e.where() for e in item.evidence] == ["services/api/src/db.js:13"], key


def test_the_entry_evidence_is_the_services_tcp_server_and_a_handler_counts_where_the_entry_loads_it(tmp_path: Path) -> None:
    """A unix-socket IPC server (`server.listen(sockPath)`) is no place to say 'no /ready'; a SIGTERM
    handler in a file the entry point never loads (a CLI's `lib/standalone.js`) is not the service's.
    Where fixer cannot tell what the entry loads (a `require(name)`), any handler counts as before."""
    ipc = ("const net = require('net');\nmodule.exports = function open(sockPath) {\n"
           "  const server = net.createServer((s) => s.end());\n  server.listen(sockPath, () => {});\n  return server;\n};\n")
    standalone = ("function configureListeners(instance) {\n  process.on('SIGTERM', () => instance.close());\n}\n"
                  "module.exports = { configureListeners };\n")
    files = {"services/api/package.json": '{"name": "api", "main": "server.js", "dependencies": {"express": "4.0.0"}}\n',
             "services/api/server.js": ("const express = require('express');\nconst app = express();\n"
                                        "app.get('/health', (req, res) => res.json({}));\n"
                                        "const server = app.listen(process.env.PORT || 3000);\n"),
             "services/api/lib/ipc.js": ipc, "services/api/lib/standalone.js": standalone,
             "services/api/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"}
    result = decide(tmp_path / "reach", files)
    for key in ("health.ready", "res.rejections"):
        assert [e.where() for e in result.item(key).evidence] == ["services/api/server.js:4"], key
    shutdown = result.item("res.shutdown")
    assert shutdown.status == checklist.FAIL, shutdown.summary
    assert [(e.where(), e.text) for e in shutdown.evidence] == [("services/api/server.js:4", "api: no SIGTERM handler")]

    loaded = {**files, "services/api/server.js": files["services/api/server.js"] + "require('./lib/standalone');\n"}
    assert decide(tmp_path / "loaded", loaded).item("res.shutdown").status == checklist.PASS
    unknown = {**files, "services/api/server.js": files["services/api/server.js"] + "require(process.env.PLUGIN);\n"}
    assert decide(tmp_path / "unknown", unknown).item("res.shutdown").status == checklist.PASS  # reach unknown: as before
    # node-red's shape: package.json's `main` is a library that loads none of the servers the service
    # starts (`npm start` runs another file): what it reaches says nothing of the process
    library = {**files, "services/api/package.json": '{"name": "api", "main": "lib/ipc.js", "scripts": {"start": "node server.js"}}\n',
               "services/api/server.js": files["services/api/server.js"] + "process.on('SIGTERM', () => server.close());\n"}
    assert decide(tmp_path / "library", library).item("res.shutdown").status == checklist.PASS


def test_the_secrets_pass_names_registry_configs_and_one_it_could_not_read(tmp_path: Path) -> None:
    """The secrets fix reads `.npmrc` and `.yarnrc.yml`: the ✅ says so, and one it could not read makes it ❓."""
    rc = {"services/api/.npmrc": "registry=https://registry.npmjs.org/\n",
          "services/api/.yarnrc.yml": "nodeLinker: node-modules\n"}
    result = decide(tmp_path / "read", {**SERVICE, **rc}, ("secrets",))
    secrets = result.item("env.secrets")
    assert secrets.status == checklist.PASS, secrets.summary
    assert ".npmrc/.yarnrc.yml" in secrets.evidence[0].text
    write_tree(tmp_path / "unread", {**SERVICE, **rc})
    (tmp_path / "unread" / "services/api/.npmrc").write_bytes(b"//registry.npmjs.org/:_authToken=\xff\xfe\n")
    secrets = decide(tmp_path / "unread", {}, ("secrets",)).item("env.secrets")
    assert secrets.status == checklist.UNKNOWN, secrets.summary
    assert "services/api/.npmrc" in [e.where() for e in secrets.evidence]


def test_a_sub_app_a_factory_makes_and_a_prefix_mounts_is_no_root_route(tmp_path: Path) -> None:
    """parse-server's shape: `app.use('/parse', createApi())` where `createApi()` makes an express()
    app with `api.use('/health', …)`: that answers /parse/health, not /health (`fixer.mounts`)."""
    files = {"services/api/package.json": '{"name": "api", "main": "index.js", "dependencies": {"express": "4.0.0"}}\n',
             "services/api/lib/apiServer.js": ("const express = require('express');\nfunction createApi() {\n"
                                               "  const api = express();\n  api.use('/health', (req, res) => res.json({}));\n"
                                               "  return api;\n}\nmodule.exports = { createApi };\n"),
             "services/api/index.js": ("const express = require('express');\nconst { createApi } = require('./lib/apiServer');\n"
                                       "const app = express();\napp.use('/parse', createApi());\n"
                                       "app.listen(process.env.PORT || 1337);\n"),
             "services/api/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"index.js\"]\n"}
    health = decide(tmp_path, files).item("health.health")
    assert health.status == checklist.FAIL, health.summary
    assert "1 of 1 service(s) without /health route" in health.summary
    assert [e.text for e in health.evidence] == ["api: no /health route: USE /parse/health (`api` /health, mounted under /parse)"]


def _zod_env_service(env_ts: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"services/api/package.json": '{"name": "api", "dependencies": {"express": "5.1.0", "zod": "3.23.8"}}\n',
            "services/api/src/config/env.ts": env_ts,
            "services/api/src/server.ts": ("import express from 'express';\nimport { PORT } from './config/env';\n"
                                           "const app = express();\napp.listen(PORT);\n"),
            "services/api/Dockerfile": "FROM node:20-alpine\nCOPY . .\nCMD [\"node\", \"dist/server.js\"]\n",
            "services/api/.env.example": "PORT=3000\nLOG_LEVEL=debug\nJWT_EXPIRES_IN=24h\n", **(extra or {})}


def test_the_keys_of_a_schema_validated_against_process_env_are_read(tmp_path: Path) -> None:
    """typescript-express-starter's env.ts: `EnvSchema.safeParse(process.env)` with a zod object
    reads each of its keys: no template key is "documented but no code reads it" (so with envalid's
    `cleanEnv`, joi's `validate`, t3-env's `createEnv`), and a key missing from the template is read."""
    zod = ("import { z } from 'zod';\nconst EnvSchema = z\n  .object({\n    PORT: z.coerce.number().default(3000),\n"
           "    LOG_LEVEL: z.string().min(1),\n    JWT_EXPIRES_IN: z.string().default('24h'),\n  })\n  .strip()\n  .refine((env) => !!env, { message: 'bad' });\n"
           "const parsed = EnvSchema.safeParse(process.env);\nexport const { PORT, LOG_LEVEL, JWT_EXPIRES_IN } = parsed.data!;\n")
    envalid = ("import { cleanEnv, port, str } from 'envalid';\n"
               "export const { PORT } = cleanEnv(process.env, { PORT: port(), LOG_LEVEL: str(), JWT_EXPIRES_IN: str() });\n")
    joi = ("import Joi from 'joi';\nconst base = { PORT: Joi.number() };\n"
           "const schema = Joi.object().keys({ ...base, LOG_LEVEL: Joi.string(), 'JWT_EXPIRES_IN': Joi.string() });\n"
           "const { value } = schema.validate(process.env);\nexport const PORT = value.PORT;\n")
    t3 = ("import { createEnv } from '@t3-oss/env-core';\nimport { z } from 'zod';\n"
          "export const env = createEnv({ runtimeEnv: process.env, server: { PORT: z.string(), LOG_LEVEL: z.string() },\n"
          "  shared: { JWT_EXPIRES_IN: z.string() } });\nexport const PORT = env.PORT;\n")
    for name, env_ts in (("zod", zod), ("envalid", envalid), ("joi", joi), ("t3", t3)):
        item = decide(tmp_path / name, _zod_env_service(env_ts)).item("doc.env")
        assert item.status == checklist.PASS, (name, item.summary)
        assert not any("documented but no code" in e.text for e in item.evidence), (name, [e.text for e in item.evidence])
    item = decide(tmp_path / "missing", {**_zod_env_service(zod), "services/api/.env.example": "PORT=3000\nLOG_LEVEL=debug\n"}).item("doc.env")
    assert item.status == checklist.FAIL
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("services/api/src/config/env.ts:6", "JWT_EXPIRES_IN is read here but missing from services/api/.env.example")]


def test_a_schema_imported_from_a_module_is_followed_and_one_fixer_cannot_read_claims_nothing(tmp_path: Path) -> None:
    schema = ("import { z } from 'zod';\nconst Base = z.object({ PORT: z.coerce.number() });\n"
              "export const EnvSchema = Base.extend({ LOG_LEVEL: z.string(), JWT_EXPIRES_IN: z.string() });\n")
    env_ts = "import { EnvSchema } from './schema';\nexport const { PORT } = EnvSchema.parse(process.env);\n"
    item = decide(tmp_path / "a", _zod_env_service(env_ts, {"services/api/src/config/schema.ts": schema})).item("doc.env")
    assert item.status == checklist.PASS, item.summary
    assert not any("documented but no code" in e.text for e in item.evidence), [e.text for e in item.evidence]
    # a package's schema, a parameter: keys unknown, so no key is called unused (and the note says why)
    for name, env_ts in (("package", "import { EnvSchema } from '@acme/config';\nexport const env = EnvSchema.parse(process.env);\n"),
                         ("parameter", "export function load(schema: any) { return schema.validate(process.env); }\n"),
                         ("factory", "const schema = makeSchema();\nexport const env = schema.parse(process.env);\n")):
        item = decide(tmp_path / name, _zod_env_service(env_ts)).item("doc.env")
        assert not any("documented but no code" in e.text for e in item.evidence), (name, [e.text for e in item.evidence])
        assert [e.where() for e in item.evidence if "whose keys" in e.text] == ["services/api/src/config/env.ts:1"
                                                                                if name == "parameter" else "services/api/src/config/env.ts:2"]
    # no schema: the note stays
    item = decide(tmp_path / "none", _zod_env_service("export const PORT = process.env.PORT;\n")).item("doc.env")
    assert [e.text for e in item.evidence if "documented but no code" in e.text] == [
        "note: LOG_LEVEL is documented but no code, compose file, Dockerfile or Prisma schema reads it",
        "note: JWT_EXPIRES_IN is documented but no code, compose file, Dockerfile or Prisma schema reads it"]


def test_node_env_the_code_reads_is_not_documented_for_nothing(tmp_path: Path) -> None:
    files = {**_zod_env_service("export const PORT = process.env.PORT;\nexport const ENV = process.env.NODE_ENV;\n"),
             "services/api/.env.example": "NODE_ENV=development\nPORT=3000\n"}
    item = decide(tmp_path, files).item("doc.env")
    assert item.status == checklist.PASS and not any("NODE_ENV" in e.text for e in item.evidence), [e.text for e in item.evidence]


LOOPBACK = {
    "services/todo/package.json": '{"name": "todo", "main": "dist/index.js", "dependencies": {"@loopback/rest": "14.0.0", "@loopback/core": "6.0.0"}}\n',
    "services/todo/src/application.ts": ("import {BootMixin} from '@loopback/boot';\nimport {RestApplication} from '@loopback/rest';\n"
                                         "export class TodoListApplication extends BootMixin(RestApplication) {\n"
                                         "  constructor(options = {}) { super(options); this.projectRoot = __dirname; }\n}\n"),
    "services/todo/src/controllers/todo.controller.ts": ("import {get, post, requestBody} from '@loopback/rest';\n"
                                                         "export class TodoController {\n  @post('/todos')\n"
                                                         "  async create(@requestBody() todo: object) { return todo; }\n"
                                                         "  @get('/todos/count')\n  async count() { return {count: 0}; }\n}\n"),
    "services/todo/src/index.ts": ("import {TodoListApplication} from './application';\n"
                                   "export async function main(options = {}) {\n  const app = new TodoListApplication(options);\n"
                                   "  await app.boot();\n  await app.start();\n  return app;\n}\n"
                                   "if (require.main === module) {\n  main({rest: {port: +(process.env.PORT ?? 3000)}});\n}\n"),
    "services/todo/Dockerfile": "FROM node:20-alpine\nCOPY . .\nCMD [\"node\", \"dist/index.js\"]\n",
}


def test_a_loopback_rest_application_serves_http_and_handles_sigterm_itself(tmp_path: Path) -> None:
    """@loopback/example-todo: routes are `@get`/`@post` decorators served by a RestApplication's
    `app.start()`, which also traps SIGTERM (`shutdown.signals`, default ['SIGTERM']), stops the app
    and re-raises the signal: no "serves no HTTP", no "shutdown: none"."""
    result = decide(tmp_path / "a", LOOPBACK)
    rate = result.item("sec.rate_limit")
    assert not any("serves no HTTP" in e.text for e in rate.evidence), [e.text for e in rate.evidence]
    assert [e.text for e in rate.evidence if e.path.startswith("services/todo")] == [
        "todo: no rate limiter (express-rate-limit, @fastify/rate-limit)"]
    shutdown = result.item("res.shutdown")
    assert shutdown.status == checklist.PASS, shutdown.summary
    row = result.services[0]
    assert row.shutdown is not None and row.shutdown.where() == "services/todo/src/application.ts:3"
    assert "shutdown: SIGTERM (LoopBack's Application: app.start() traps it, stops the app, then re-raises it) " \
           "(services/todo/src/application.ts:3)" in checklist.render_text(result)
    # `shutdown: { signals: [...] }` without SIGTERM (or from a variable): LoopBack traps no SIGTERM fixer can see
    for name, option in (("none", "[]"), ("variable", "SIGNALS")):
        index = LOOPBACK["services/todo/src/index.ts"].replace("{rest: {", "{shutdown: {signals: " + option + "}, rest: {")
        result = decide(tmp_path / name, {**LOOPBACK, "services/todo/src/index.ts": index})
        assert result.services[0].shutdown is None and result.item("res.shutdown").status == checklist.FAIL, name


def test_a_sub_app_a_function_makes_and_mounts_nowhere_seen_is_no_root(tmp_path: Path) -> None:
    """Ghost's shape: `function setupApiApp() { const apiApp = express(); apiApp.use(routes()); return apiApp }`,
    mounted by Ghost's own `lazyUse('/admin/', …)`, which fixer does not read: its routes answer under a
    prefix fixer cannot tell, not at the root (the route table said `GET /health`, and /health passed).
    The same factory in a file that also listens on its app is the application: its routes stay at the root."""
    routes = ("const express = require('express');\nmodule.exports = function apiRoutes() {\n"
              "  const router = express.Router();\n  router.get('/health', (q, s) => s.json({}));\n  return router;\n};\n")
    app = ("const express = require('express');\nconst routes = require('./routes');\n"
           "module.exports = function setupApiApp() {\n  const apiApp = express();\n  apiApp.use(routes());\n"
           "  return apiApp;\n};\n")
    index = ("const express = require('express');\nconst app = express();\n"
             "app.lazyUse('/admin/', require('./admin/app'));\napp.listen(3000);\n")
    result = _router_service(tmp_path, "lazy", {"services/api/src/admin/routes.js": routes,
                                                 "services/api/src/admin/app.js": app, "services/api/src/index.ts": index})
    assert [e.text for e in result.services[0].routes] == ["GET /health on `router`, mounted where fixer cannot see"]
    assert result.item("health.health").status != checklist.PASS, result.item("health.health").summary
    assert result.item("health.loopback").status == checklist.UNKNOWN, result.item("health.loopback").summary

    listening = app.replace("  return apiApp;\n", "  apiApp.listen(3000);\n  return apiApp;\n")
    result = _router_service(tmp_path, "app", {"services/api/src/admin/routes.js": routes,
                                                "services/api/src/admin/app.js": listening, "services/api/src/index.ts": index})
    assert [e.text for e in result.services[0].routes] == ["GET /health"]
    assert result.item("health.health").status == checklist.PASS, result.item("health.health").summary


def test_a_mount_seen_with_a_prefix_fixer_cannot_read_says_so(tmp_path: Path) -> None:
    """`app.use(basePath, router)` with `basePath` a parameter (defaulting to '/rbac'): the mount is seen,
    only its prefix is unread; the route table says where, not "mounted where fixer cannot see"."""
    plugin = ("import express from 'express';\nexport const rbacRouter = ({ basePath = '/rbac' }) => ({\n"
              "  register: (app: express.Application): void => {\n    const router = express.Router();\n"
              "    router.get('/statements', (_q, s) => s.json({}));\n    app.use(basePath, router);\n  },\n});\n")
    index = ("import express from 'express';\nimport { rbacRouter } from './rbac';\nconst app = express();\n"
             "rbacRouter({}).register(app);\napp.get('/health', (_q, s) => s.json({}));\napp.listen(3000);\n")
    result = _router_service(tmp_path, "rbac", {"services/api/src/rbac.ts": plugin, "services/api/src/index.ts": index})
    assert [e.text for e in result.services[0].routes] == [
        "GET /health",
        "GET /statements on `router`, mounted under a prefix fixer cannot read "
        "(`app.use(basePath, router)` at services/api/src/rbac.ts:6)"]


def test_an_app_a_factory_makes_and_an_importer_starts_is_the_application(tmp_path: Path) -> None:
    """directus: `export default async function createApp() { const app = express(); app.use('/server', router) … return app }`,
    `http.createServer(await createApp())` in server.js: the factory's app is the application (its routes answer at
    the root), not a sub-app mounted where fixer cannot see."""
    app = ("import express from 'express';\nexport default async function createApp() {\n  const app = express();\n"
           "  const router = express.Router();\n  router.get('/health', (_q, s) => s.json({}));\n"
           "  app.use('/server', router);\n  return app;\n}\n")
    for name, start in (("inline", "const server = http.createServer(await createApp());\nserver.listen(3000);\n"),
                        ("variable", "const app = await createApp();\napp.listen(3000);\n")):
        server = "import http from 'node:http';\nimport createApp from './app';\n" + start
        result = _router_service(tmp_path, name, {"services/api/src/app.ts": app, "services/api/src/index.ts": server})
        assert [e.text for e in result.services[0].routes] == ["GET /server/health (`router` /health, mounted under /server)"], name


def test_a_hapi_plugin_glue_registers_under_a_prefix_serves_the_probed_path(tmp_path: Path) -> None:
    """@hapi/glue's manifest registers `./lib/items` with `routes: { prefix: '/api' }`: its '/items' answers
    /api/items, which the HEALTHCHECK calls (the checklist said "which hapi does not serve"); a plugin whose
    prefix fixer cannot read is said to be mounted under one."""
    manifest = ("module.exports = {\n    server: { port: 8000, host: '0.0.0.0' },\n    register: { plugins: [\n"
                "        { plugin: './lib/items', routes: { prefix: '/api' } },\n"
                "        { plugin: './lib/other', routes: { prefix: process.env.PREFIX } }\n    ] }\n};\n")
    items = ("'use strict';\nexports.plugin = { name: 'items', register: async (server) => {\n"
             "    server.route({ method: 'GET', path: '/items', handler: () => [] });\n} };\n")
    files = {"services/hapi/package.json": '{"name": "hapi", "main": "server.js", "dependencies": {"@hapi/glue": "^9", "@hapi/hapi": "^21"}}\n',
             "services/hapi/Dockerfile": "FROM node:20-alpine\nCOPY . .\nHEALTHCHECK CMD wget -qO- "
                                         "http://127.0.0.1:8000/api/items || exit 1\nCMD [\"node\", \"server.js\"]\n",
             "services/hapi/server.js": "'use strict';\nconst Glue = require('@hapi/glue');\nconst manifest = require('./manifest');\n"
                                        "Glue.compose(manifest, { relativeTo: __dirname }).then((server) => server.start());\n",
             "services/hapi/manifest.js": manifest, "services/hapi/lib/items.js": items,
             "services/hapi/lib/other.js": items.replace("/items", "/other")}
    result = decide(tmp_path, files)
    loopback = result.item("health.loopback")
    assert not any("does not serve" in e.text for e in loopback.evidence), [e.text for e in loopback.evidence]
    assert [e.text for e in result.services[0].routes] == [
        "GET /api/items (`server` /items, mounted under /api)",
        "GET /other on `server`, mounted under a prefix fixer cannot read (services/hapi/manifest.js:5)"]


# --- session 15 round 2: the checklist's answers on real servers (r1 report, Section 5) -----------------------------

def _express_service(name: str, files: dict[str, str], dependencies: str = '"express": "^4.18.0"',
                     package_extra: str = "") -> dict[str, str]:
    return {f"services/{name}/package.json": f'{{"name": "{name}", "main": "app.js", {package_extra}"dependencies": {{{dependencies}}}}}\n',
            **{f"services/{name}/{path}": text for path, text in files.items()}}


def test_a_signal_handler_on_a_chain_of_process_methods_is_a_handler(tmp_path: Path) -> None:
    """Ghost: `process.removeAllListeners('SIGINT').on('SIGINT', …).removeAllListeners('SIGTERM').on('SIGTERM', …)`
    (each listener method returns process): both signals are handled (the checklist said "no SIGTERM handler")."""
    app = ("const express = require('express');\nconst app = express();\nconst server = app.listen(2368);\n"
           "process\n  .removeAllListeners('SIGINT').on('SIGINT', () => self.shutdown(server.close()))\n"
           "  .removeAllListeners('SIGTERM').on('SIGTERM', () => self.shutdown(server.close()));\n")
    result = decide(tmp_path, _express_service("blog", {"app.js": app}))
    assert result.item("res.shutdown").status == checklist.PASS, result.item("res.shutdown").summary
    facts = checklist.gather_code(Repo(tmp_path, DirectorySource(tmp_path), config_mod.load(tmp_path, registry())).read("services/blog/app.js"))
    assert sorted(signal for signal, _ in facts.signals if signal in ("SIGINT", "SIGTERM")) == ["SIGINT", "SIGTERM"]


def test_fastify_start_traps_sigterm_and_unhandled_rejections(tmp_path: Path) -> None:
    """fastify-cli's `fastify start` wraps the app in close-with-grace (fastify-cli 8.0.2 start.js:10,187): the
    scaffold, whose app is a plugin with no listen() and no handler, handles SIGTERM and unhandled rejections;
    a fastify-cli older than 2.8.0 (no close-with-grace) or a start script that runs node does not."""
    def service(start: str, version: str = "^7.0.0") -> dict[str, str]:
        return {"services/api/package.json": '{"name": "api", "main": "app.ts", "scripts": {"build:ts": "tsc", "start": "'
                + start + '"}, "dependencies": {"fastify": "^5.0.0", "fastify-cli": "' + version + '"}}\n',
                "services/api/src/app.ts": "import { FastifyPluginAsync } from 'fastify'\nconst app: FastifyPluginAsync = async "
                "(fastify) => {\n  fastify.get('/health', async () => ({ status: 'ok' }))\n}\nexport default app\n",
                "services/api/Dockerfile": "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nHEALTHCHECK CMD wget -qO- "
                "http://127.0.0.1:3000/health || exit 1\nCMD [\"npm\", \"start\"]\n"}
    result = decide(tmp_path / "cli", service("npm run build:ts && fastify start -l info dist/app.js"))
    for key in ("res.shutdown", "res.rejections"):
        item = result.item(key)
        assert item.status == checklist.PASS, (key, item.summary)
        assert item.evidence[0].where() == "services/api/package.json:1" and "fastify start" in item.evidence[0].text
    assert result.services[0].shutdown is not None
    for name, start, version in (("old", "fastify start dist/app.js", "^2.5.0"), ("node", "node dist/server.js", "^7.0.0")):
        result = decide(tmp_path / name, service(start, version))
        assert result.item("res.shutdown").status == checklist.FAIL, name


def test_a_transaction_given_a_function_by_name_is_managed(tmp_path: Path) -> None:
    """better-sqlite3's `this.db.transaction(fn)()` (Actual's db.js), bookshelf's `ghostBookshelf.transaction(fn)`:
    the library rolls back when fn throws; knex's `transaction(undefined, { … })` and Sequelize's
    `transaction(options)` are not (the code commits or rolls back)."""
    db = ("import Database from 'better-sqlite3';\nexport class Wrapped {\n  constructor(db) { this.db = db; }\n"
          "  transaction(fn) {\n    return this.db.transaction(fn)();\n  }\n}\n")
    result = decide(tmp_path / "named", _express_service("sync", {"app.js": "require('express')().listen(1);\n", "db.js": db},
                                                           '"express": "^4", "better-sqlite3": "^11"'))
    assert result.item("db.rollback").status == checklist.PASS, result.item("db.rollback").summary
    manual = "const knex = require('knex')({ client: 'pg' });\nasync function f() {\n  const trx = await knex.transaction(undefined, { doNotRejectOnRollback: false });\n  await trx.commit();\n}\n"
    result = decide(tmp_path / "manual", _express_service("sync", {"app.js": "require('express')().listen(1);\n", "db.js": manual},
                                                            '"express": "^4", "knex": "^3"'))
    assert result.item("db.rollback").status == checklist.FAIL


def test_a_knex_query_is_no_database_client_and_acquire_connection_timeout_is_a_timeout(tmp_path: Path) -> None:
    """Ghost: `knex('members').select(…)` on an instance named knex is a query, not a new client (8 "clients" of
    1); the client is the factory imported from 'knex' called with its config, and its acquireConnectionTimeout
    is a connection timeout."""
    db = ("const knex = require('knex');\nconst db = knex({\n  client: 'pg',\n  connection: process.env.DATABASE_URL,\n"
          "  pool: { min: 2, max: 10 },\n  acquireConnectionTimeout: 10000,\n});\nmodule.exports = db;\n")
    stats = ("class Stats {\n  constructor({ knex }) { this.knex = knex; }\n  async count() {\n    const knex = this.knex;\n"
             "    return knex('members').select('status');\n  }\n}\nmodule.exports = Stats;\n")
    direct = "import { knex as makeKnex } from 'knex';\nexport const other = makeKnex(config);\nexport const rows = makeKnex('t');\n"
    result = decide(tmp_path, _express_service("blog", {"app.js": "require('express')().listen(2368);\n", "db.js": db,
                                                         "stats.js": stats, "other.ts": direct},
                                                '"express": "^4", "knex": "^3", "pg": "^8"'))
    pool = result.item("db.pool")
    assert sorted(e.where() for e in pool.evidence) == ["services/blog/db.js:5", "services/blog/other.ts:2"], pool.evidence
    timeout = result.item("db.timeout")
    assert "services/blog/db.js:6" in [e.where() for e in timeout.evidence]


def test_a_probe_on_a_path_a_static_middleware_serves_is_served(tmp_path: Path) -> None:
    """express.static(path.join(__dirname, 'public')) with public/index.html serves `/` (the checklist said "calls /,
    which site does not serve"); a static directory not in the repository (built: thelounge's `public`) may: ❓;
    one that holds no such file does not serve it."""
    app = ("const express = require('express');\nconst path = require('path');\nconst app = express();\n"
           "app.use(express.static(path.join(__dirname, 'public')));\napp.get('/api/items', (req, res) => res.json([]));\n"
           "app.listen(3000);\n")
    dockerfile = ("FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/ || exit 1\n"
                  "CMD [\"node\", \"app.js\"]\n")
    files = _express_service("site", {"app.js": app, "Dockerfile": dockerfile, "public/index.html": "<html>hi</html>\n"})
    assert decide(tmp_path / "served", files).item("health.loopback").status == checklist.PASS
    built = {**files, "services/site/app.js": app.replace("path.join(__dirname, 'public')", "'dist/public'")}
    del built["services/site/public/index.html"]
    item = decide(tmp_path / "built", built).item("health.loopback")
    assert item.status == checklist.UNKNOWN and "not in the repository" in item.evidence[-1].text, item.evidence
    other = {**files, "services/site/public/style.css": "a {}\n"}
    del other["services/site/public/index.html"]
    assert decide(tmp_path / "missing", other).item("health.loopback").status == checklist.FAIL
    route = {**built, "services/site/Dockerfile": dockerfile.replace("3000/", "3000/health")}  # a route's path, no file's
    assert decide(tmp_path / "route", route).item("health.loopback").status == checklist.FAIL


def test_every_full_node_image_tag_is_not_minimal() -> None:
    """node:iron, node:24-trixie, node:10-stretch, node:4-onbuild (real NodeBB 1.4.0), node:lts are the full
    buildpack-deps images: only slim and alpine tags (and distroless) are minimal."""
    for image in ("node", "node:20", "node:iron", "node:lts-iron", "node:24-trixie", "node:10-stretch", "node:4-onbuild",
                  "node:lts", "node:20@sha256:abc", "docker.io/library/node:22-bookworm"):
        assert checklist._FULL_NODE.match(image), image
    for image in ("node:20-slim", "node:20-alpine3.19", "node:lts-slim", "node:20-bookworm-slim", "node:${NODE_VERSION}",
                  "gcr.io/distroless/nodejs20-debian12", "bitnami/node:20"):
        assert not checklist._FULL_NODE.match(image), image


def test_winston_2s_default_logger_prints_text_and_takes_its_transports_level(tmp_path: Path) -> None:
    """NodeBB 1.4.0: winston ^2, `winston.add(winston.transports.Console, { level: process.env.LOG_LEVEL || 'info',
    json: false })`: not JSON (winston 2's Console prints `info: msg`), its level from the environment. With
    `json: true` it is JSON; winston 3's default logger is JSON whatever `json:` says."""
    app = ("const express = require('express');\nconst winston = require('winston');\nwinston.remove(winston.transports.Console);\n"
           "winston.add(winston.transports.Console, {\n  colorize: true,\n  level: process.env.LOG_LEVEL || 'info',\n  json: false,\n});\n"
           "const app = express();\napp.listen(4567, () => winston.info('listening'));\n")
    result = decide(tmp_path / "two", _express_service("forum", {"app.js": app}, '"express": "^4", "winston": "^2.1.0"'))
    assert result.item("log.json").status == checklist.FAIL
    assert result.item("log.level").status == checklist.PASS, result.item("log.level").summary
    result = decide(tmp_path / "json", _express_service("forum", {"app.js": app.replace("json: false", "json: true")},
                                                         '"express": "^4", "winston": "^2.1.0"'))
    assert result.item("log.json").status == checklist.PASS
    result = decide(tmp_path / "three", _express_service("forum", {"app.js": app}, '"express": "^4", "winston": "^3.8.0"'))
    assert result.item("log.json").status == checklist.PASS


def test_a_method_of_process_env_and_a_variable_the_code_sets_are_no_reads(tmp_path: Path) -> None:
    """NodeBB: `process.env.hasOwnProperty(i)` (a method) and `process.env.isPrimary = 'true'` (set for the processes
    it forks) are not variables a deployer provides; `process.env.X = process.env.X || 'a'` reads X."""
    app = ("const express = require('express');\nconst app = express();\nfor (const i in req) {\n"
           "  if (!process.env.hasOwnProperty(i)) process.env[i] = req[i];\n}\nprocess.env.isPrimary = 'true';\n"
           "if (process.env.isPrimary === 'true') {}\nprocess.env.HOST = process.env.HOST || '0.0.0.0';\n"
           "app.listen(process.env.PORT);\n")
    result = decide(tmp_path, {**_express_service("forum", {"app.js": app}), ".env.example": "PORT=4567\n"})
    item = result.item("doc.env")
    assert item.status == checklist.FAIL and [e.text.split()[0] for e in item.evidence if "missing" in e.text] == ["HOST"]


def test_a_changelog_is_no_deployment_guide(tmp_path: Path) -> None:
    """thelounge's CHANGELOG.md headings `## v2.6.0-rc.4 - 2017-11-12 [Pre-release]` are no deployment procedure;
    a README section on deploying is."""
    changelog = "# Change Log\n\n## v2.6.0-rc.4 - 2017-11-12 [Pre-release]\n\n- fix\n\n## Deploy script fixed\n"
    files = {**_express_service("chat", {"app.js": "require('express')().listen(9000);\n", "CHANGELOG.md": changelog}),
             "docs/RELEASE_NOTES.md": "# Release 2\n"}
    assert decide(tmp_path / "changelog", files).item("doc.deploy").status == checklist.UNKNOWN
    readme = {**files, "README.md": "# Chat\n\n## Deploying to production\n\nRun the image.\n"}
    item = decide(tmp_path / "readme", readme).item("doc.deploy")
    assert item.status == checklist.PASS and [e.where() for e in item.evidence] == ["README.md:3"]


def test_winston_2s_options_chosen_at_run_time_cannot_be_told(tmp_path: Path) -> None:
    """Real NodeBB 1.4.0 app.js:36-46: `json: (!!nconf.get('json-logging'))`, `level: nconf.get('log-level') || …`:
    JSON and the level are chosen where fixer cannot see (❓ for both, not ✅ nor ❌)."""
    app = ("const winston = require('winston');\nconst nconf = require('nconf');\nwinston.add(winston.transports.Console, {\n"
           "  level: nconf.get('log-level') || 'info',\n  json: (!!nconf.get('json-logging')),\n});\n"
           "require('express')().listen(4567, () => winston.info('listening'));\n")
    result = decide(tmp_path, _express_service("forum", {"app.js": app}, '"express": "^4", "nconf": "^0.8", "winston": "^2.1.0"'))
    for key in ("log.json", "log.level"):
        assert result.item(key).status == checklist.UNKNOWN, (key, result.item(key).summary)


def test_sequelize_made_from_its_default_import_and_a_connect_imported_by_name_are_database_clients(tmp_path: Path) -> None:
    """typescript-express-starter: `new Sequelize.Sequelize(…)` (default import of 'sequelize') and
    `import { connect } from 'mongoose'; connect(url)` are clients (the retry item counted neither: ✅ "connection
    retried" for a corpus whose mongoose and sequelize services never retry); a table query is none."""
    sequelize = ("import Sequelize from 'sequelize';\nconst sequelize = new Sequelize.Sequelize('db', 'app', process.env.DB_PASSWORD, "
                 "{ dialect: 'mysql' });\nexport default sequelize;\n")
    mongo = ("import express from 'express';\nimport { connect as open, set } from 'mongoose';\nset('debug', false);\n"
             "open(process.env.MONGO_URL).then(() => express().listen(3000));\n")
    retried = ("import { createConnection } from 'typeorm';\nexport async function start() {\n"
               "  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await createConnection(options); }\n"
               "    catch { await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt)); }\n  }\n}\n")
    result = decide(tmp_path, {**_express_service("billing", {"app.js": "require('express')().listen(3001);\n", "db.ts": sequelize},
                                                   '"express": "^4", "sequelize": "^6"'),
                               **_express_service("users", {"app.ts": mongo}, '"express": "^4", "mongoose": "^7"'),
                               **_express_service("orders", {"app.js": "require('express')().listen(3002);\n", "db.ts": retried},
                                                  '"express": "^4", "typeorm": "^0.3"')})
    item = result.item("db.retry")
    assert item.status == checklist.FAIL, item.summary
    assert sorted((e.where(), e.text) for e in item.evidence) == [
        ("services/billing/db.ts:2", "Sequelize: no connection retry"),
        ("services/orders/db.ts:3", "connection retried"),
        ("services/users/app.ts:4", "mongoose connect: no connection retry")], item.evidence


def test_write_routes_count_whatever_their_path_argument(tmp_path: Path) -> None:
    """typescript-express-starter's `this.router.post(`${this.path}`, …)`, express-generator-typescript's
    `userRouter.put(Paths.Users.Update, UserRoutes.update)` and `router.route(path).patch(handler)` take bodies (the item
    said ➖ "no POST/PUT/PATCH route found"); an HTTP client's `http.post(url, body)` is no route."""
    app = ("import express, { Router } from 'express';\nconst Paths = { Users: { Update: '/users/:id' } };\n"
           "class UsersRoute {\n  public path = '/users';\n  public router = Router();\n"
           "  constructor() { this.router.post(`${this.path}`, this.create); }\n  create(req, res) { res.json(req.body); }\n}\n"
           "const userRouter = Router();\nuserRouter.put(Paths.Users.Update, UserRoutes.update);\n"
           "const api = express();\napi.route(Paths.Users.Update).patch(UserRoutes.update);\napi.route('/items').post(createItem);\n"
           "const app = express();\napp.use('/', new UsersRoute().router);\napp.use('/api', userRouter);\napp.use(api);\napp.listen(3000);\n")
    result = decide(tmp_path / "routes", _express_service("users", {"app.ts": app}))
    item = result.item("sec.validation")
    assert item.status == checklist.FAIL and "(4 body-taking route(s))" in item.evidence[0].text, item.evidence
    client = ("import express from 'express';\nimport axios from 'axios';\nconst http = axios.create();\nconst payload = {};\n"
              "http.post(`${process.env.BASE}/x`, payload);\nexpress().get('/x', (req, res) => res.end()).listen(3000);\n")
    assert decide(tmp_path / "client", _express_service("users", {"app.ts": client})).item("sec.validation").status == checklist.NA


def test_sails_and_egg_apps_serve_http_and_their_frameworks_trap_sigterm(tmp_path: Path) -> None:
    """`sails new`'s app.js `sails.lift(rc('sails'))` (routes in config/routes.js) and an Egg app started by
    `eggctl start` (tegg's @HTTPController) are HTTP servers (the rate-limit item said "serves no HTTP"); Sails'
    lift traps SIGTERM and lowers the app (sails 1.5 lib/app/private/initialize.js:60-61), Egg's cluster master
    traps it and stops its workers (egg-cluster lib/master.js:157): no "no SIGTERM handler", and neither handles
    unhandled rejections."""
    sails = {"app.js": "process.chdir(__dirname);\nvar sails = require('sails');\nvar rc = require('sails/accessible/rc');\n"
                       "sails.lift(rc('sails'));\n",
             "config/routes.js": "module.exports.routes = {\n  // 'PUT /example': 'ExampleController.update',\n"
                                 "  'POST /orders': 'OrderController.create',\n};\n",
             "Dockerfile": "FROM node:20-slim\nCOPY . .\nCMD [\"node\", \"app.js\"]\n"}
    egg = {"app/module/bar/controller/home.ts": "import { HTTPController, HTTPMethod, HTTPMethodEnum } from '@eggjs/tegg';\n"
                                                "@HTTPController({ path: '/' })\nexport class HomeController {\n"
                                                "  @HTTPMethod({ method: HTTPMethodEnum.GET, path: '/' })\n  async index() { return 'hi'; }\n"
                                                "  @HTTPMethod({\n    method: HTTPMethodEnum.POST,\n    path: 'user',\n  })\n"
                                                "  async create() { return 'ok'; }\n}\n",
           "Dockerfile": "FROM node:20-alpine\nCOPY . .\nCMD [\"npx\", \"eggctl\", \"start\", \"--port=7001\"]\n"}
    files = {**_express_service("kiosk", sails, '"sails": "^1.5.18"'), **_express_service("portal", egg, '"egg": "^4.0.0"')}
    result = decide(tmp_path / "lift", files)
    limit = result.item("sec.rate_limit")
    assert not any("serves no HTTP" in e.text for e in limit.evidence), limit.evidence
    assert sorted(e.text.split(":")[0] for e in limit.evidence if "no rate limiter" in e.text) == ["kiosk", "portal"]
    shutdown = result.item("res.shutdown")
    assert shutdown.status == checklist.PASS, (shutdown.summary, shutdown.evidence)
    assert {e.where() for e in shutdown.evidence} == {"services/kiosk/app.js:4", "services/portal/Dockerfile:3"}
    assert result.item("res.rejections").status == checklist.FAIL
    validation = result.item("sec.validation")  # (Sails' config/routes.js keys, tegg's @HTTPMethod: not a comment's example)
    assert sorted(e.text for e in validation.evidence) == [
        "kiosk: POST /orders (1 body-taking route(s)) without a validation library",
        "portal: POST user (1 body-taking route(s)) without a validation library"], validation.evidence
    # a Sails app whose lift fixer cannot see (`sails lift` of the CLI is not its start command): its routes file
    files["services/kiosk/app.js"] = "console.log('started by the CLI');\n"
    limit = decide(tmp_path / "routes-file", files).item("sec.rate_limit")
    assert not any("serves no HTTP" in e.text for e in limit.evidence), limit.evidence


def test_node_env_production_everywhere_links_to_env_separations_override(tmp_path: Path) -> None:
    """env-separation creates docker-compose.override.yml with `api: NODE_ENV=development`: the gap it repairs is
    fixable by it (the item said "no automatic fix" when the fix ran)."""
    templates = {".env.development.example": "PORT=3000\n", ".env.production.example": "PORT=3000\n"}
    result = decide(tmp_path, {**SERVICE, **templates, "docker-compose.yml": _BASE % "production"}, ("env-separation",))
    item = result.item("env.hardcoded")
    assert item.status == checklist.FAIL and item.fixes == ("env-separation",), (item.fixes, item.evidence)
    assert item.evidence[0].fixable and "the fix sets it in docker-compose.override.yml" in item.evidence[0].text


def test_a_knex_client_made_through_the_modules_default_is_a_database_client(tmp_path: Path) -> None:
    """`knex.default(config)` (ESM interop: Directus) and `const { knex } = knexpkg; knex(config)` (Unleash)
    make knex clients; `knex('items')` queries do not (regression reader: the services had dropped out)."""
    from fixer import checklist

    cases = {
        b"import knex from 'knex';\nexport const db = knex.default({ client: 'pg' });\n": 1,
        b"import knexpkg from 'knex';\nconst { knex } = knexpkg;\nexport const db = knex({ client: 'pg' });\n": 1,
        b"import knex from 'knex';\nexport const db = knex({ client: 'pg' });\nexport const q = () => knex('items');\n": 1,
        b"export async function list(knex) { return knex('items').select('*'); }\n": 0,
    }
    for code, count in cases.items():
        assert len(checklist._knex_clients(code)) == count, code


def test_a_compose_files_variables_are_what_compose_substitutes(tmp_path: Path) -> None:
    """`$$PRICE` is a dollar and a comment is no value: neither makes a documented key "used"
    (the text's regex counted both); `${A:-${B}}` names both."""
    from fixer import checklist
    from harness import open_tree

    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  api:\n    image: node:20\n    # ${COMMENTED}\n    environment:\n"
        "      PRICE: $$PRICE\n      URL: ${A:-${B}}\n      PORT: $PORT\n")
    (tmp_path / "broken.compose.yml").write_text("services: [\n  ${FROM_TEXT}\n")
    repo = open_tree(tmp_path)
    assert checklist.gather_var_refs(repo.read("docker-compose.yml")) == ("A", "B", "PORT")
    assert checklist.gather_var_refs(repo.read("broken.compose.yml")) == ("FROM_TEXT",)  # (no parse: the text)


def test_the_script_a_health_check_runs_makes_no_localhost_assumption(tmp_path: Path) -> None:
    """A HEALTHCHECK's script (`npm run healthcheck`: `node dist/healthcheck.js`, built from
    src/healthcheck.ts) calls its own container on the loopback, as it must: not a localhost
    assumption of production code. The same URL in the service's code is one."""
    files = {
        "services/api/package.json": '{"name": "api", "main": "dist/index.js", "scripts": {"healthcheck": "node dist/healthcheck.js"}}\n',
        "services/api/src/index.ts": "import http from 'http';\nhttp.createServer((q, s) => s.end('ok')).listen(3000);\n",
        "services/api/src/healthcheck.ts": "import http from 'http';\n"
                                           "http.get('http://127.0.0.1:3000/health', (res) => process.exit(res.statusCode === 200 ? 0 : 1));\n",
        "services/api/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
                                   "HEALTHCHECK CMD npm run healthcheck\nCMD [\"node\", \"dist/index.js\"]\n",
    }
    item = decide(tmp_path / "a", files).item("env.localhost")
    assert item.status == checklist.PASS, item.summary
    files["services/api/src/peer.ts"] = "export const peer = 'http://127.0.0.1:3000/health';\n"
    item = decide(tmp_path / "b", files).item("env.localhost")
    assert item.status == checklist.FAIL and [e.path for e in item.evidence] == ["services/api/src/peer.ts"]


def test_apollo_server_traps_sigterm_and_its_standalone_server_serves_http(tmp_path: Path) -> None:
    """Apollo Server (`@apollo/server` 4, `apollo-server*` 3) traps SIGTERM and SIGINT itself unless
    `stopOnTerminationSignals` is false: the service has a SIGTERM handler (as a LoopBack app has);
    `startStandaloneServer` listens, so the service serves HTTP and needs a rate limiter."""
    code = (
        "import { ApolloServer } from '@apollo/server';\n"
        "import { startStandaloneServer } from '@apollo/server/standalone';\n"
        "const typeDefs = `type Query { hello: String }`;\n"
        "const server = new ApolloServer({ typeDefs, resolvers: { Query: { hello: () => 'world' } } });\n"
        "const { url } = await startStandaloneServer(server, { listen: { port: 4000 } });\n"
        "console.log(url);\n"
    )
    files = {
        "services/gql/package.json": '{"name": "gql", "type": "module", "main": "dist/index.js", '
                                     '"dependencies": {"@apollo/server": "^4.11.0", "graphql": "^16.9.0"}}\n',
        "services/gql/src/index.ts": code,
        "services/gql/Dockerfile": 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nEXPOSE 4000\nCMD ["node", "dist/index.js"]\n',
    }
    result = decide(tmp_path / "a", files)
    shutdown = result.item("res.shutdown")
    assert shutdown.status == checklist.PASS, shutdown.summary
    assert any("Apollo Server traps SIGTERM and SIGINT" in e.text and e.line == 4 for e in shutdown.evidence), shutdown.evidence
    rate = result.item("sec.rate_limit")
    assert rate.status == checklist.FAIL, rate.summary
    assert not any("serves no HTTP" in e.text for e in rate.evidence), rate.evidence
    # `stopOnTerminationSignals: false` (or a value fixer cannot read): Apollo traps nothing
    for value in ("false", "process.env.NODE_ENV === 'production'"):
        untrapped = {**files, "services/gql/src/index.ts": code.replace("typeDefs, resolvers", f"typeDefs, stopOnTerminationSignals: {value}, resolvers")}
        item = decide(tmp_path / f"off-{len(value)}", untrapped).item("res.shutdown")
        assert item.status == checklist.FAIL, (value, item.summary)


def test_the_mongodb_drivers_static_connect_is_a_database_client(tmp_path: Path) -> None:
    """mongo-express: `mongodb.MongoClient.connect(url, options)` (default import), `MongoClient.connect(url, options,
    callback)` of `const { MongoClient } = require('mongodb')` and `await mongo.MongoClient.connect(url)` of a namespace
    import are clients (the retry, timeout and pool items said ➖ "no database client in the code", or ✅ on another
    service's behalf); `mongoose.connect(uri)` still is, and a redis client's `connect()` is none."""
    express = ("import mongodb from 'mongodb';\nexport default async function connect(config) {\n"
               "  const client = await mongodb.MongoClient.connect(config.url, config.options);\n  return client.db();\n}\n")
    callback = ("const { MongoClient: Mongo } = require('mongodb');\nconst app = require('express')();\n"
                "Mongo.connect(process.env.MONGO_URL, {}, (err, client) => { if (err) throw err; app.listen(3000); });\n")
    namespace = "import * as mongo from 'mongodb';\nexport const client = await mongo.MongoClient\n  .connect(process.env.MONGO_URL);\n"
    users = "import mongoose from 'mongoose';\nawait mongoose.connect(process.env.MONGO_URL);\n"
    cache = "import { createClient } from 'redis';\nconst redis = createClient();\nawait redis.connect();\n"
    result = decide(tmp_path, {
        **_express_service("ui", {"app.js": "require('express')().listen(8081);\n", "lib/db.js": express},
                           '"express": "^4", "mongodb": "^4"'),
        **_express_service("legacy", {"app.js": callback}, '"express": "^4", "mongodb": "^3"'),
        **_express_service("ns", {"app.js": "require('express')().listen(3002);\n", "db.mjs": namespace},
                           '"express": "^4", "mongodb": "^6"'),
        **_express_service("users", {"app.js": "require('express')().listen(3003);\n", "db.mjs": users},
                           '"express": "^4", "mongoose": "^7"'),
        **_express_service("cache", {"app.js": "require('express')().listen(3004);\n", "cache.mjs": cache},
                           '"express": "^4", "redis": "^4"')})
    item = result.item("db.retry")
    assert item.status == checklist.FAIL, item.summary
    assert sorted((e.where(), e.text) for e in item.evidence) == [
        ("services/legacy/app.js:3", "mongodb connect: no connection retry"),
        ("services/ns/db.mjs:2", "mongodb connect: no connection retry"),
        ("services/ui/lib/db.js:3", "mongodb connect: no connection retry"),
        ("services/users/db.mjs:2", "mongoose connect: no connection retry")], item.evidence
    for key in ("db.timeout", "db.pool"):
        assert result.item(key).status == checklist.FAIL, (key, result.item(key).summary)


def test_a_health_route_in_a_route_table_or_a_trpc_procedure_is_served(tmp_path: Path) -> None:
    """TypeORM-init's route table (`{ method: 'get', route: '/health', … }` registered in a loop) and
    a tRPC `health` procedure of a standalone server are routes the service serves: the /health item
    and the Services section name them (they said 'no /health route' / 'health route: none')."""
    files = {
        "services/orm/package.json": '{"name": "orm", "main": "src/index.ts", "dependencies": {"express": "4.0.0"}}\n',
        "services/orm/src/routes.ts": "export const Routes = [\n"
                                      "  { method: 'get', route: '/health', controller: HealthController, action: 'check' },\n];\n"
                                      "class HealthController { check() { return 'ok'; } }\n",
        "services/orm/src/index.ts": "import express from 'express';\nimport { Routes } from './routes';\n\nconst app = express();\n"
                                     "Routes.forEach((route) => {\n  app[route.method](route.route, (req, res) => res.send('ok'));\n});\n"
                                     "app.listen(3000);\n",
        "services/rpc/package.json": '{"name": "rpc", "main": "src/index.ts", "dependencies": {"@trpc/server": "11.0.0"}}\n',
        "services/rpc/src/index.ts": "import { initTRPC } from '@trpc/server';\n"
                                     "import { createHTTPServer } from '@trpc/server/adapters/standalone';\n\n"
                                     "const t = initTRPC.create();\n"
                                     "const appRouter = t.router({\n  health: t.procedure.query(() => 'ok'),\n});\n"
                                     "createHTTPServer({ router: appRouter }).listen(3001);\n",
    }
    result = decide(tmp_path, files)
    item = result.item("health.health")
    assert item.status == checklist.PASS, (item.summary, [e.text for e in item.evidence])
    assert {e.text for e in item.evidence} >= {"orm: GET /health (an entry of a route table)", "rpc: /health (a tRPC procedure)"}


def test_a_hook_that_re_sends_the_signal_is_no_shutdown_handler(tmp_path: Path) -> None:
    """node-media-server's store: a SIGTERM hook that flushes, removes itself and sends the signal again
    drains nothing (graceful-shutdown's `passes_on`): the service has no SIGTERM handler, as that fix says."""
    index = SERVICE["services/api/src/index.ts"]
    hook = ("const onSignal = (signal: NodeJS.Signals) => {\n  flushSync();\n"
            "  process.removeListener('SIGTERM', onSignal);\n  process.kill(process.pid, signal);\n};\n"
            "process.on('SIGTERM', onSignal);")
    code = index.replace("process.on('SIGTERM', () => server.close());", hook)
    item = decide(tmp_path / "hook", {**SERVICE, "services/api/src/index.ts": code}).item("res.shutdown")
    assert item.status == checklist.FAIL, item.summary
    assert [e.text for e in item.evidence] == ["api: no SIGTERM handler"]
    both = index.replace("process.on('SIGTERM', () => server.close());",
                         hook + "\nprocess.on('SIGTERM', () => server.close());")
    item = decide(tmp_path / "both", {**SERVICE, "services/api/src/index.ts": both}).item("res.shutdown")
    assert item.status == checklist.PASS, item.summary


def test_nextjs_env_local_configs_item_credits_no_override_to_env_separation(tmp_path: Path) -> None:
    """`env_file: .env.local` (the Next.js convention) with one .env.example: env-separation only creates
    docker-compose.override.yml, which separates no env file. The env-specific configs item said "1 fixed
    automatically by `fixer apply`" before the run and ❌ "no automatic fix" after it: it must not take the
    override's finding (env.override's) for its own."""
    compose = "services:\n  api:\n    build: ./services/api\n    env_file:\n      - .env.local\n    environment:\n      NODE_ENV: production\n"
    files = {**SERVICE, ".env.example": "NODE_ENV=development\nLOG_LEVEL=info\n", "docker-compose.yml": compose}
    before = decide(tmp_path / "before", files, ("env-separation",))
    item = before.item("env.separation")
    assert item.status == checklist.FAIL and item.fixes == (), (item.summary, item.fixes)
    assert not any("override" in e.text for e in item.evidence), [e.text for e in item.evidence]
    assert "fixed automatically" not in item.summary, item.summary
    assert before.item("env.override").fixes == ("env-separation",)  # (the override is that item's repair)
    override = "services:\n  api:\n    environment:\n      NODE_ENV: development\n"
    after = decide(tmp_path / "after", {**files, "docker-compose.override.yml": override}, ("env-separation",)).item("env.separation")
    assert (after.status, after.summary, after.fixes) == (item.status, item.summary, item.fixes)


_NEXT_README = ("This is a [Next.js](https://nextjs.org) project bootstrapped with [`create-next-app`](https://nextjs.org/docs/app/api-reference/cli/create-next-app).\n\n"
                "## Getting Started\n\nFirst, run the development server:\n\n```bash\nnpm run dev\n```\n\n## Deploy on Vercel\n\n"
                "The easiest way to deploy your Next.js app is to use the [Vercel Platform](https://vercel.com/new) from the creators of Next.js.\n\n"
                "Check out our [Next.js deployment documentation](https://nextjs.org/docs/app/building-your-application/deploying) for more details.\n")
_NEXT_APP = {
    "web/package.json": '{"name": "web", "scripts": {"start": "next start"}, "dependencies": {"next": "14.2.35", "react": "^18"}}\n',
    "web/src/app/api/orders/route.ts": "export async function POST(request: Request) {\n  const body = await request.json();\n"
                                       "  return Response.json(body);\n}\n",
    "web/src/app/actions.ts": '"use server";\n\nexport async function subscribe(formData: FormData) {\n  return formData.get("email");\n}\n',
    "web/src/app/page.tsx": "export default function Page() {\n  return <main />;\n}\n",
    "web/README.md": _NEXT_README,
    "web/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nUSER node\nCMD [\"npm\", \"start\"]\n",
    "docker-compose.yml": "services:\n  web:\n    build: web\n",
}


def test_nextjs_app_serves_http_its_route_handlers_and_actions_take_bodies(tmp_path: Path) -> None:
    """A Next.js App Router app run by `next start`: its route handler's `export async function POST` and its
    'use server' action are body-taking endpoints (it said ➖ "no POST/PUT/PATCH route found"), it serves HTTP
    (➖ "web: serves no HTTP"), and create-next-app's "Deploy on Vercel" section is no deployment guide (✅)."""
    result = decide(tmp_path, _NEXT_APP)
    validation = result.item("sec.validation")
    assert validation.status == checklist.FAIL, validation.summary
    assert [(e.where(), e.text) for e in validation.evidence] == [
        ("web/src/app/actions.ts:3", "web: POST subscribe (a server action) (2 body-taking route(s)) without a validation library")]
    rate = result.item("sec.rate_limit")
    assert rate.status == checklist.FAIL and "serves no HTTP" not in " ".join(e.text for e in rate.evidence), rate.summary
    deploy = result.item("doc.deploy")
    assert deploy.status == checklist.UNKNOWN and not deploy.evidence, (deploy.summary, [e.text for e in deploy.evidence])
    written = dict(_NEXT_APP, **{"web/README.md": _NEXT_README + "\n## Deploying to production\n\nRun `docker compose up -d web`.\n"})
    deploy = decide(tmp_path / "written", written).item("doc.deploy")
    assert deploy.status == checklist.PASS and [e.text for e in deploy.evidence] == ["Deploying to production"]


def test_nextjs_write_routes_of_route_handlers_api_routes_and_server_actions() -> None:
    from fixer.repo import SourceFile
    line = lambda at: at  # noqa: E731  (offsets stand for lines)
    routes = lambda path, code: [(m, r) for m, r, _ in checklist._next_write_routes(SourceFile(path, code, None), line)]  # noqa: E731
    code = b"export const PUT = handler;\nexport { handler as PATCH };\nexport function GET() {}\n// export function POST() {}\n"
    assert routes("apps/web/app/(shop)/orders/:id/route.ts", code) == [("put", "/orders/:id"), ("patch", "/orders/:id")]
    assert routes("apps/web/app/orders/handler.ts", code) == []  # (not a route.ts)
    api = b"export default function handler(req, res) {\n  if (req.method === 'POST') { res.json(req.body); }\n}\n"
    assert routes("web/pages/api/users/index.ts", api) == [("post", "/api/users")]
    assert routes("web/pages/users.tsx", api) == []  # (a page, not an API route)
    inline = b"export default function Page() {\n  async function save(data: FormData) {\n    'use server';\n  }\n}\n"
    assert routes("web/app/page.tsx", inline) == [("post", "(a server action)")]
    assert routes("web/app/load.ts", b"'use client';\nexport async function load() {}\n") == []
    module = b"// the sign-up form's actions\n'use server';\n\nexport const join = async (data: FormData) => data;\n"
    assert routes("web/app/actions.ts", module) == [("post", "join (a server action)")]


def test_graphql_yogas_built_in_health_check_is_a_health_route(tmp_path: Path) -> None:
    """createYoga serves /health itself (graphql-yoga 5: `healthCheckEndpoint`, '/health' by default): given to
    createServer it answers at the root (the checklist said "graph: no /health route"); mounted with
    `app.use('/graphql', yoga)` it answers /graphql/health, which is no /health."""
    def service(name: str, code: str) -> dict[str, str]:
        return {f"services/{name}/package.json": f'{{"name": "{name}", "main": "src/main.ts", '
                '"dependencies": {"graphql": "^16.9.0", "graphql-yoga": "^5.10.4", "express": "^4.21.0"}}\n',
                f"services/{name}/src/main.ts": code}
    served = ("import { createServer } from 'node:http';\nimport { createSchema, createYoga } from 'graphql-yoga';\n\n"
              "const yoga = createYoga({\n  maskedErrors: true,\n  schema: createSchema({ typeDefs: 'type Query { a: String }' }),\n"
              "});\n\nconst server = createServer(yoga);\nserver.listen(4000);\n")
    item = decide(tmp_path / "root", service("graph", served)).item("health.health")
    assert item.status == checklist.PASS, (item.summary, [e.text for e in item.evidence])
    assert [e.text for e in item.evidence] == ["graph: GET /health (GraphQL Yoga's health check)"]
    mounted = ("import express from 'express';\nimport { createYoga } from 'graphql-yoga';\nimport { schema } from './schema';\n\n"
               "const app = express();\napp.use('/graphql', createYoga({ schema }));\napp.listen(4000);\n")
    item = decide(tmp_path / "mounted", service("graph", mounted)).item("health.health")
    assert item.status == checklist.FAIL, item.summary


def test_unhandled_rejection_registered_in_a_loop_over_event_names_is_a_handler(tmp_path: Path) -> None:
    """kafkajs's documented consumer registers `unhandledRejection` and `uncaughtException` with
    `errorTypes.forEach(type => process.on(type, …))`, as it does its signals: both are handlers (the
    checklist said "consumer: no unhandledRejection handler" while it read the signal loop)."""
    worker = ("const { Kafka } = require('kafkajs')\nconst kafka = new Kafka({ clientId: 'a', brokers: ['b:9092'] })\n"
              "const consumer = kafka.consumer({ groupId: 'g' })\n"
              "const errorTypes = ['unhandledRejection', 'uncaughtException']\n\n"
              "errorTypes.forEach(type => {\n  process.on(type, async e => {\n    await consumer.disconnect()\n"
              "    process.exit(1)\n  })\n})\n")
    files = {"services/consumer/package.json": '{"name": "consumer", "main": "src/worker.js", "dependencies": {"kafkajs": "^2.2.4"}}\n',
             "services/consumer/src/worker.js": worker,
             "services/consumer/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"src/worker.js\"]\n"}
    item = decide(tmp_path, files).item("res.rejections")
    assert item.status == checklist.PASS, item.summary
    assert [e.where() for e in item.evidence] == ["services/consumer/src/worker.js:7"]
    facts = checklist.gather_code(Repo(tmp_path, DirectorySource(tmp_path), config_mod.load(tmp_path, registry()))
                                  .read("services/consumer/src/worker.js"))
    assert sorted(facts.signals) == [("uncaughtException", 7), ("unhandledRejection", 7)]


def test_a_worker_serving_no_http_is_asked_for_a_liveness_check_not_http_routes(tmp_path: Path) -> None:
    """A node-cron scheduler using a database serves no HTTP (no listen(), no route): the /health, /ready and
    readiness-database items leave it out, as the rate-limit item does, and the Dockerfile item asks for a
    HEALTHCHECK that proves the process alive, not one calling its /health on 127.0.0.1 (what it said)."""
    files = {
        **SERVICE,
        "services/scheduler/package.json": '{"name": "scheduler", "main": "src/index.js", '
                                           '"dependencies": {"node-cron": "^3.0.3", "pg": "^8.13.1"}}\n',
        "services/scheduler/src/index.js": "const cron = require('node-cron');\nconst { Pool } = require('pg');\n"
                                           "const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n"
                                           "cron.schedule('*/5 * * * *', async () => {\n  await pool.query('SELECT 1');\n});\n",
        "services/scheduler/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"src/index.js\"]\n",
    }
    result = decide(tmp_path, files)
    for key in ("health.health", "health.ready"):
        item = result.item(key)
        assert item.status == checklist.PASS, (key, item.summary)
        assert "1 left out" in item.summary and "scheduler: serves no HTTP (no listen() or route)" in [e.text for e in item.evidence]
    item = result.item("health.ready_db")
    assert item.status == checklist.NA and "scheduler: serves no HTTP" in item.summary, item.summary
    item = result.item("docker.healthcheck")
    assert item.status == checklist.FAIL
    assert [e.text for e in item.evidence if "no HEALTHCHECK" in e.text] == [
        "final stage has no HEALTHCHECK (scheduler serves no HTTP: check that the process is alive, not a route)"]
    assert "/health on 127.0.0.1" not in item.check and "heartbeat" in item.check, item.check
    # a worker whose health check calls a path of it says something there answers: it is asked for the route
    probed = {**files, "services/scheduler/Dockerfile": files["services/scheduler/Dockerfile"].replace(
        "CMD", "HEALTHCHECK CMD wget -qO- http://127.0.0.1:8080/health || exit 1\nCMD")}
    item = decide(tmp_path / "probed", probed).item("health.health")
    assert item.status == checklist.FAIL and [e.text for e in item.evidence] == ["scheduler: no /health route"], item.summary


def test_nextjs_t3_env_object_cors_origins_checked_at_start_up(tmp_path: Path) -> None:
    """cors-validation's list read through a validated env object (`(env.CORS_ORIGIN || '')`, env made by
    t3-env's createEnv from process.env) exits in production when it is empty: CORS_ORIGIN is checked (it
    said ❌ "nothing fails fast" after the fix, reading only `process.env.CORS_ORIGIN`)."""
    index = ("import express from 'express';\nimport cors from 'cors';\nimport { env } from './env';\n\nconst app = express();\n"
             "const corsOrigins = (env.CORS_ORIGIN || '')\n  .split(',')\n  .map((origin) => origin.trim())\n  .filter(Boolean);\n"
             "if (corsOrigins.length === 0) {\n  if (process.env.NODE_ENV === 'production') {\n"
             "    console.error('CORS_ORIGIN must be set in production');\n    process.exit(1);\n  }\n"
             "  corsOrigins.push('http://localhost:3000');\n}\n\napp.use(cors({ origin: corsOrigins }));\napp.listen(3000);\n")
    env = ("import { createEnv } from '@t3-oss/env-core';\nimport { z } from 'zod';\n\nexport const env = createEnv({\n"
           "  server: { CORS_ORIGIN: z.string().optional() },\n  runtimeEnv: process.env,\n});\n")
    files = {**SERVICE, "services/api/src/cors.ts": index, "services/api/src/env.ts": env}
    item = decide(tmp_path, files).item("env.cors")
    assert item.status == checklist.PASS, (item.summary, [e.text for e in item.evidence])
    assert [e.where() for e in item.evidence][0] == "services/api/src/cors.ts:11"


def test_an_override_wiring_env_development_is_an_env_specific_config(tmp_path: Path) -> None:
    """The other side of the test above: where the services read `.env` and env-separation's override gives them
    `env_file: .env.development`, that override does separate the environments' configs: the item credits it."""
    compose = "services:\n  api:\n    build: ./services/api\n    env_file: .env\n    environment:\n      NODE_ENV: production\n"
    files = {**SERVICE, ".env.example": "NODE_ENV=development\nLOG_LEVEL=info\n", "docker-compose.yml": compose}
    item = decide(tmp_path, files, ("env-separation",)).item("env.separation")
    assert any("override" in e.text and "env_file .env.development" in e.text for e in item.evidence), \
        [e.text for e in item.evidence]
    assert item.fixes == ("env-separation",), item.fixes


def test_a_service_that_runs_build_output_is_not_said_to_serve_no_http(tmp_path: Path) -> None:
    """A published server's tarball holds only its build (`build/app.js`, which fixer does not read): what it
    serves is unknown, not nothing. It was "serves no HTTP", and so left out of the /health and /ready items."""
    files = {
        "services/sync/package.json": '{"name": "sync", "type": "module", "dependencies": {"express": "4.0.0"}}\n',
        "services/sync/build/app.js": "import express from 'express';\nconst app = express();\napp.listen(5006);\n",
        "services/sync/Dockerfile": 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "build/app.js"]\n',
    }
    result = decide(tmp_path, files)
    for key in ("health.health", "health.ready", "sec.rate_limit"):
        item = result.item(key)
        assert not any("serves no HTTP" in e.text for e in item.evidence), (key, [e.text for e in item.evidence])


def test_a_worker_inheriting_the_images_http_healthcheck_fails_the_dockerfile_item(tmp_path: Path) -> None:
    """A compose service that runs a worker of the API's image (`command: sh -c "node src/worker.js"`, or as the
    compose `entrypoint:`) inherits its HTTP HEALTHCHECK, which it can never pass: the Dockerfile item fails there,
    by healthcheck-loopback's rule (`probes.idle_probed`), as the fix reports it (it passed: "HEALTHCHECK")."""
    files = {
        **SERVICE,
        "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n  api-worker:\n    build: ./services/api\n"
                              "    command: sh -c \"node dist/worker.js\"\n",
        "services/api/src/worker.ts": "import { Worker } from 'bullmq';\nnew Worker('jobs', async () => {});\n",
    }
    item = decide(tmp_path, files).item("docker.healthcheck")
    assert item.status == checklist.FAIL, item.summary
    assert [(e.where(), e.text) for e in item.evidence] == [(
        "docker-compose.yml:6", "HEALTHCHECK (services/api/Dockerfile:10) calls HTTP, yet api-worker runs a process that "
        "starts no server (serves no HTTP): the probe is refused and the container is unhealthy forever")]
    assert "api-worker" in item.check and "heartbeat" in item.check, item.check
    entrypoint = {**files, "docker-compose.yml": files["docker-compose.yml"].replace(
        'command: sh -c "node dist/worker.js"', 'entrypoint: ["node", "dist/worker.js"]')}
    assert decide(tmp_path / "entrypoint", entrypoint).item("docker.healthcheck").status == checklist.FAIL
    # the API itself, run by compose as its image runs it: passes
    assert decide(tmp_path / "api", {**SERVICE, "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n"}
                  ).item("docker.healthcheck").status == checklist.PASS


def test_each_process_of_a_service_is_judged_on_its_own_sigterm_handler(tmp_path: Path) -> None:
    """A worker the API's image runs through a compose `command:` is a process of its own, stopped with SIGTERM
    on its own: the API's handler does not cover it (the item passed once any file the entry reaches had one)."""
    worker = "import { Worker } from 'bullmq';\nconst worker = new Worker('jobs', async () => {});\n"
    files = {
        **SERVICE,
        "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n  api-worker:\n    build: ./services/api\n"
                              "    command: [\"sh\", \"-c\", \"node dist/worker.js\"]\n",
        "services/api/src/worker.ts": worker,
    }
    item = decide(tmp_path, files).item("res.shutdown")
    assert item.status == checklist.FAIL, item.summary
    assert [(e.where(), e.text) for e in item.evidence] == [(
        "docker-compose.yml:6", "api: api-worker runs `sh -c 'node dist/worker.js'` (services/api/src/worker.ts), "
        "which loads no SIGTERM handler")]
    handled = {**files, "services/api/src/worker.ts": worker + "process.on('SIGTERM', async () => { await worker.close(); "
                                                               "process.exit(0); });\n"}
    item = decide(tmp_path / "handled", handled).item("res.shutdown")
    assert item.status == checklist.PASS, (item.summary, [e.text for e in item.evidence])


# --- AWS Lambda services (hG, session 18): one consistent picture of a serverless service ---

LAMBDA_SERVICE = {
    "services/payments/package.json": '{"name": "payments", "main": "dist/app.js", "dependencies": {"mongodb": "^6.10.0"}}\n',
    "services/payments/serverless.yml": ("service: payments\nprovider: { name: aws, runtime: nodejs20.x }\nfunctions:\n"
                                         "  api:\n    handler: dist/app.handler\n    events:\n      - httpApi: '*'\n"),
    "services/payments/src/app.ts": (
        "import { MongoClient } from 'mongodb';\n"
        "const client = new MongoClient(process.env.MONGODB_URI as string);\n"
        "export const handler = async (event: { id: string }) => {\n"
        "  const p = await client.db().collection('p').findOne({ ref: event.id });\n"
        "  return { statusCode: p ? 200 : 404, body: JSON.stringify(p) };\n};\n"
    ),
}


def test_a_lambda_service_is_a_service_whose_probes_and_sigterm_do_not_apply(tmp_path: Path) -> None:
    """A service deployed by serverless.yml (no Dockerfile, no listen()) is a service of its own kind: it
    is listed, and the items about a long-running server (health and readiness routes and probes, SIGTERM,
    rate limiting in code) say it runs on Lambda, rather than "no service uses a database" beside "1 of 1
    database client(s)" for the same client."""
    result = decide(tmp_path, LAMBDA_SERVICE)
    assert [row.name for row in result.services] == ["payments"]
    assert result.services[0].runtime == "AWS Lambda (services/payments/serverless.yml)"
    for key in ("health.health", "health.ready", "health.ready_db", "res.shutdown", "sec.rate_limit"):
        item = result.item(key)
        assert item.status == checklist.NA, (key, item.summary)
        assert "payments: runs on AWS Lambda (the Serverless Framework, serverless.yml)" in item.summary, (key, item.summary)
    assert result.item("db.retry").status == checklist.FAIL  # the client is there all the same
    text = checklist.render_text(result)
    assert "payments (AWS Lambda (services/payments/serverless.yml), services/payments/src/app.ts)" in text, text
    assert "ready route: none needed (AWS Lambda)" in text and "Services: none found" not in text


def test_a_sam_template_above_the_service_that_names_it_makes_it_a_lambda_service(tmp_path: Path) -> None:
    sam = {k: v for k, v in LAMBDA_SERVICE.items() if not k.endswith("serverless.yml")}
    template = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n"
                "    Properties:\n      CodeUri: services/payments\n      Handler: dist/app.handler\n")
    result = decide(tmp_path, {**sam, "template.yaml": template})
    assert [row.runtime for row in result.services] == ["AWS Lambda (template.yaml)"]
    assert "an AWS SAM template" in result.item("health.ready_db").summary
    # a template of something else (CloudFormation without SAM), or one naming other code: no Lambda service
    other = template.replace("AWS::Serverless", "AWS::Lambda")
    assert decide(tmp_path / "other", {**sam, "template.yaml": other}).services == []
    elsewhere = template.replace("services/payments", "services/billing")
    assert decide(tmp_path / "elsewhere", {**sam, "template.yaml": elsewhere}).services == []


def test_no_deployable_service_is_the_readiness_reason_when_database_clients_exist(tmp_path: Path) -> None:
    """Without any service, the database item does not claim "no service uses a database" while the
    connection items count the same client."""
    files = {k: v for k, v in LAMBDA_SERVICE.items() if not k.endswith("serverless.yml")}
    result = decide(tmp_path, files)
    assert result.services == []
    assert result.item("health.ready_db").summary == result.item("health.health").summary, \
        result.item("health.ready_db").summary
    assert "no deployable service found" in result.item("health.ready_db").summary


def test_a_lambda_template_beside_a_production_image_leaves_the_service_a_server(tmp_path: Path) -> None:
    """A service also built as an image may run as a server too (the template may deploy only a cron
    function of it): it is judged as a server, its probes and SIGTERM asked for as before."""
    files = {**LAMBDA_SERVICE, "services/payments/Dockerfile": "FROM node:20-alpine\nCOPY . .\nCMD [\"node\", \"dist/app.js\"]\n"}
    result = decide(tmp_path, files)
    assert [row.runtime for row in result.services] == [""]
    assert "AWS Lambda" not in result.item("res.shutdown").summary, result.item("res.shutdown").summary


def test_the_json_services_say_where_a_lambda_service_runs(tmp_path: Path) -> None:
    """`services[].runtime` in `--format json` (docs/audit.md): the Lambda template for a Lambda
    service, null for a server of its own."""
    result = decide(tmp_path, LAMBDA_SERVICE)
    assert [s["runtime"] for s in checklist.to_json(result)["services"]] == ["AWS Lambda (services/payments/serverless.yml)"]
    assert {s["runtime"] for s in checklist.to_json(decide(tmp_path / "small", SMALL_REPO))["services"]} == {None}


# --- probes read as healthcheck-loopback reads them (session 18, H4) ---


def test_a_compose_healthcheck_running_a_tool_its_image_lacks_fails_like_a_dockerfile_one(tmp_path: Path) -> None:
    """A compose `healthcheck.test` replaces the image's HEALTHCHECK: curl on a node:alpine image (busybox has
    only wget) always fails, judged by the one rule of the Dockerfile's (`_tool_missing`)."""
    compose = ("services:\n  api:\n    build: services/api\n    healthcheck:\n"
               "      test: [\"CMD-SHELL\", \"curl -fsS http://127.0.0.1:3000/health || exit 1\"]\n")
    result = decide(tmp_path, {**SERVICE, "docker-compose.yml": compose})
    item = result.item("docker.healthcheck")
    assert item.status == checklist.FAIL, item.summary
    assert any(e.where() == "docker-compose.yml:5" and "compose healthcheck of api runs curl, which the image "
               "(node:20-alpine) has not" in e.text for e in item.evidence), [e.text for e in item.evidence]
    loopback = result.item("health.loopback")
    assert loopback.status == checklist.FAIL and "run by a tool their image lacks (1)" in loopback.summary, loopback.summary
    # the same test with wget, which busybox has, passes
    passing = decide(tmp_path / "wget", {**SERVICE, "docker-compose.yml": compose.replace("curl -fsS", "wget -qO-")})
    assert passing.item("docker.healthcheck").status == checklist.PASS, passing.item("docker.healthcheck").summary


def test_a_grpc_health_probe_is_judged_by_its_host(tmp_path: Path) -> None:
    """`grpc_health_probe -addr=localhost:50051` has a host and no HTTP path: "Health checks use 127.0.0.1" judges it."""
    grpc = {
        "services/inv/package.json": '{"name": "inv", "main": "src/server.js", "dependencies": {"@grpc/grpc-js": "^1.14.0"}}\n',
        "services/inv/src/server.js": ("const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\n"
                                       "server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => {});\n"),
        "services/inv/Dockerfile": ("FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\n"
                                    "HEALTHCHECK CMD [\"/bin/grpc_health_probe\", \"-addr=localhost:50051\"]\n"
                                    "CMD [\"node\", \"src/server.js\"]\n"),
    }
    item = decide(tmp_path, grpc).item("health.loopback")
    assert item.status == checklist.FAIL, item.summary
    assert any("HEALTHCHECK calls localhost" in e.text for e in item.evidence), [e.text for e in item.evidence]
    fixed = {**grpc, "services/inv/Dockerfile": grpc["services/inv/Dockerfile"].replace("localhost", "127.0.0.1")}
    item = decide(tmp_path / "fixed", fixed).item("health.loopback")
    assert item.status == checklist.PASS, item.summary


def test_a_helm_probe_path_from_values_is_one_probe(tmp_path: Path) -> None:
    """`path: {{ .Values.probes.path }}` is the template's probe, with the values file's path; the values file's text
    (where a rename edits it) is no second probe."""
    chart = {
        "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
        "charts/api/values.yaml": "probes:\n  path: /health\n",
        "charts/api/templates/deployment.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: api\n          livenessProbe:\n            httpGet:\n"
            "              path: {{ .Values.probes.path }}\n              port: 3000\n"),
    }
    result = decide(tmp_path, {**SERVICE, **chart})
    item = result.item("health.loopback")
    assert "1 Kubernetes probe(s) call the pod's IP" in item.summary, item.summary
    assert any(e.where() == "charts/api/templates/deployment.yaml:12" and e.text == "livenessProbe calls the pod's IP/health"
               for e in item.evidence), [(e.where(), e.text) for e in item.evidence]


def test_a_raw_http2_route_on_the_path_header_is_the_services_health_route(tmp_path: Path) -> None:
    """An http2 'stream' handler routes on `headers[':path']`: the checklist reads raw routes with
    health-endpoints' own test (`is_request_url`), so its /healthz is the service's health route, not
    "a probe calls /healthz, which edge does not serve" (r10)."""
    files = {
        "services/edge/package.json": '{"name": "edge", "main": "src/index.js"}\n',
        "services/edge/src/index.js": (
            "const http2 = require('node:http2');\nconst server = http2.createServer();\n"
            "server.on('stream', (stream, headers) => {\n"
            "  if (headers[':path'] === '/healthz') { stream.respond({ ':status': 200 }); stream.end('ok'); return; }\n"
            "  stream.respond({ ':status': 404 }); stream.end();\n});\nserver.listen(8443);\n"),
        "services/edge/Dockerfile": "FROM node:20-alpine\nCOPY . .\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:8443/healthz || exit 1\n"
                                    "CMD [\"node\", \"src/index.js\"]\n",
    }
    result = decide(tmp_path, files)
    assert "      health route: raw http /healthz (services/edge/src/index.js:4)" in checklist.render_text(result).splitlines()


# --- servers no listen() names: gRPC and ws (session 19, hD) ---

GRPC_AND_WS = {
    "services/inv/package.json": '{"name": "inv", "main": "src/server.js", "dependencies": {"@grpc/grpc-js": "^1.14.0"}}\n',
    "services/inv/src/server.js": ("const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\n"
                                   "server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => {});\n"),
    "services/sock/package.json": '{"name": "sock", "main": "src/index.js", "dependencies": {"ws": "^8.18.0"}}\n',
    "services/sock/src/index.js": ("const { WebSocketServer } = require('ws');\n\n"
                                   "const wss = new WebSocketServer({ port: 8080 });\n"
                                   "wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));\n"),
}


def test_a_grpc_or_ws_server_without_a_dockerfile_is_a_deployable_service(tmp_path: Path) -> None:
    """A @grpc/grpc-js `bindAsync()` and a ws `new WebSocketServer({ port })` start servers no listen() names, as
    graceful-shutdown finds them: each service is deployable (not "no deployable service found" beside
    graceful-shutdown's finding for it), and its health items say what applies, not "serves no HTTP" (r10)."""
    result = decide(tmp_path, GRPC_AND_WS, ("graceful-shutdown",))
    assert [row.name for row in result.services] == ["inv", "sock"]
    shutdown = result.item("res.shutdown")
    assert shutdown.status == checklist.FAIL and "2 of 2 service(s)" in shutdown.summary, shutdown.summary
    for key in ("health.health", "health.ready"):
        item = result.item(key)
        texts = {e.where(): e.text for e in item.evidence}
        assert item.status == checklist.NA and checklist._NO_SERVICE not in item.summary, item.summary
        assert "serves no HTTP" not in item.summary, item.summary
        assert texts["services/inv/src/server.js:3"].startswith("inv: a gRPC server (bindAsync), no HTTP route: its health "
                                                                "and readiness are the gRPC health checking protocol's"), texts
        assert "check it with grpc_health_probe -addr=127.0.0.1:50051" in texts["services/inv/src/server.js:3"], texts
        assert texts["services/sock/src/index.js:3"].startswith("sock: a ws WebSocketServer on a port of its own"), texts
        assert "`new WebSocketServer({ server })`" in texts["services/sock/src/index.js:3"], texts
    rate = result.item("sec.rate_limit")
    assert rate.status == checklist.NA and "inv: a gRPC server (bindAsync), no HTTP server or route" in rate.summary, rate.summary
    markdown = checklist.render_markdown(result, [], Repo(tmp_path, DirectorySource(tmp_path), config_mod.load(tmp_path, registry())))
    assert "No deployable service found." not in markdown


def test_a_grpc_service_is_told_to_check_its_health_with_grpc_health_probe(tmp_path: Path) -> None:
    """A gRPC service's image without a HEALTHCHECK is told of grpc_health_probe, not of a worker's heartbeat file; one
    that serves grpc-health-check and is probed by grpc_health_probe says so."""
    files = {**{k: v for k, v in GRPC_AND_WS.items() if k.startswith("services/inv/")},
             "services/inv/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"src/server.js\"]\n"}
    item = decide(tmp_path, files).item("docker.healthcheck")
    assert item.status == checklist.FAIL, item.summary
    assert [e.text for e in item.evidence] == ["final stage has no HEALTHCHECK (inv serves gRPC, not HTTP: check it with "
                                               "grpc_health_probe)"]
    assert "grpc_health_probe" in item.check and "heartbeat" not in item.check and "/health on" not in item.check, item.check
    probed = {**files,
              "services/inv/package.json": files["services/inv/package.json"].replace(
                  '"dependencies": {', '"dependencies": {"grpc-health-check": "^2.1.0", '),
              "services/inv/Dockerfile": files["services/inv/Dockerfile"].replace(
                  "USER node\n", "USER node\nHEALTHCHECK CMD [\"/bin/grpc_health_probe\", \"-addr=127.0.0.1:50051\"]\n")}
    result = decide(tmp_path / "probed", probed)
    assert result.item("docker.healthcheck").status == checklist.PASS, result.item("docker.healthcheck").summary
    health = result.item("health.health")
    assert health.status == checklist.NA, health.summary
    assert [e.text for e in health.evidence] == [
        "inv: a gRPC server (bindAsync), no HTTP route: its health and readiness are the gRPC health checking protocol's "
        "(grpc-health-check serves it; grpc_health_probe checks it: services/inv/Dockerfile:5)"]


def test_a_grpc_server_beside_an_http_server_still_needs_health_routes(tmp_path: Path) -> None:
    """A gRPC server beside an Express side-car serves HTTP: its /health is asked for as any HTTP service's."""
    files = {**{k: v for k, v in GRPC_AND_WS.items() if k.startswith("services/inv/")}}
    files["services/inv/src/server.js"] += "const app = require('express')();\napp.get('/x', (req, res) => res.send('x'));\napp.listen(8080);\n"
    item = decide(tmp_path, files).item("health.health")
    assert item.status == checklist.FAIL, item.summary
    assert [e.text for e in item.evidence] == ["inv: no /health route"], [e.text for e in item.evidence]


# --- session 19, r14's logging and configuration ecosystems ---------------------------------------------


def _r14_service(name: str, deps: str, files: dict[str, str]) -> dict[str, str]:
    tree = {f"services/{name}/package.json": f'{{"name": "{name}", "main": "src/index.js", "dependencies": {{{deps}}}}}\n'}
    tree.update({f"services/{name}/{path}": text for path, text in files.items()})
    return tree


def test_envalid_dev_and_test_defaults_are_no_localhost_assumption(tmp_path: Path) -> None:
    env = ("const { cleanEnv, str, url, testOnly } = require('envalid');\n"
           "module.exports = cleanEnv(process.env, {\n"
           "  DATABASE_URL: url({ devDefault: 'postgres://report:report@localhost:5432/reports' }),\n"
           "  CACHE_URL: url({ devDefault: testOnly('redis://localhost:6379') }),\n"
           "  QUEUE_URL: url({ testDefault: 'amqp://localhost' }),\n"
           "});\n")
    result = decide(tmp_path, _r14_service("reports", '"envalid": "^8.0.0"', {"src/env.js": env}))
    assert result.item("env.localhost").status == checklist.PASS, result.item("env.localhost").evidence
    # (a `default:` is used in production: still an assumption)
    env = env.replace("QUEUE_URL: url({ testDefault:", "QUEUE_URL: url({ default:")
    result = decide(tmp_path, _r14_service("reports", '"envalid": "^8.0.0"', {"src/env.js": env}))
    assert result.item("env.localhost").status == checklist.FAIL
    assert [e.where() for e in result.item("env.localhost").evidence] == ["services/reports/src/env.js:5"]


def test_a_level_from_a_required_config_module_names_the_module_not_require(tmp_path: Path) -> None:
    result = decide(tmp_path, _r14_service("a", '"pino": "^9.0.0"', {
        "src/logger.js": "const pino = require('pino');\nconst config = require('./config');\n"
                         "module.exports = pino({ level: config.logLevel });\n",
        "src/config.js": "module.exports = { logLevel: 'info' };\n",
    }))
    item = result.item("log.level")
    assert item.status == checklist.UNKNOWN
    assert "`config` is imported from './config'" in item.summary and "`require`" not in item.summary, item.summary
    # a config module reading the level from the environment (env-var, convict): followed
    for logger, config in (
            ("module.exports = pino({ level: config.logLevel });\n",
             "const env = require('env-var');\nmodule.exports = { logLevel: env.get('LOG_LEVEL').default('info').asString() };\n"),
            ("module.exports = pino({ level: config.get('logLevel') });\n",
             "const convict = require('convict');\nmodule.exports = convict({\n"
             "  logLevel: { doc: 'level', format: String, default: 'info', env: 'LOG_LEVEL' },\n});\n")):
        result = decide(tmp_path, _r14_service("a", '"pino": "^9.0.0"', {
            "src/logger.js": "const pino = require('pino');\nconst config = require('./config');\n" + logger,
            "src/config.js": config}))
        item = result.item("log.level")
        assert item.status == checklist.PASS, item.summary
        assert [e.text for e in item.evidence] == ["level from services/a/src/config.js, which reads LOG_LEVEL from the "
                                                   "environment"]
    # node-config: its custom-environment-variables.json names the variable of `log.level`
    files = _r14_service("b", '"bunyan": "^1.8.15", "config": "^3.3.9"', {
        "src/log.js": "const bunyan = require('bunyan');\nconst config = require('config');\n"
                      "module.exports = bunyan.createLogger({ name: 'b', level: config.get('log.level') });\n",
        "config/custom-environment-variables.json": '{ "log": { "level": "LOG_LEVEL" } }\n'})
    item = decide(tmp_path / "b", files).item("log.level")
    assert item.status == checklist.PASS, item.summary
    assert [e.text for e in item.evidence] == ["level from services/b/config/custom-environment-variables.json, which "
                                               "reads LOG_LEVEL from the environment"]


def test_variables_read_through_env_var_convict_and_node_config_are_documented_or_missing(tmp_path: Path) -> None:
    config = ("const env = require('env-var');\nconst { get } = require('env-var');\nconst convict = require('convict');\n"
              "const fromEnv = env.from(process.env);\n"
              "const schema = convict({\n"
              "  logDir: { doc: 'Log directory', format: String, default: 'logs', env: 'LOG_DIR' },\n"
              "  nested: { doc: 'no env', format: String, default: 'x' },\n"
              "});\n"
              "module.exports = {\n"
              "  port: Number(process.env.PORT || 3005),\n"
              "  redisUrl: env.get('REDIS_URL').required().asUrlString(),\n"
              "  apiKey: get('CATALOG_API_KEY').required().asString(),\n"
              "  region: fromEnv.get('AWS_REGION').asString(),\n"
              "  logDir: schema.get('logDir'),\n"
              "  other: new Map().get('NOT_A_VARIABLE'),\n"
              "};\n")
    files = _r14_service("catalog", '"env-var": "^7.5.0", "convict": "^6.2.4", "config": "^3.3.9"', {
        "src/config.js": config,
        "config/custom-environment-variables.json": '{\n  "db": { "url": "DATABASE_URL" },\n'
                                                    '  "features": { "__name": "FEATURES", "__format": "json" }\n}\n',
    })
    files[".env.example"] = "PORT=3005\n"
    item = decide(tmp_path, files).item("doc.env")
    assert item.status == checklist.FAIL
    missing = sorted(e.text.split()[0] for e in item.evidence if "missing from" in e.text)
    assert missing == ["AWS_REGION", "CATALOG_API_KEY", "DATABASE_URL", "FEATURES", "LOG_DIR", "REDIS_URL"], item.evidence
    where = {e.text.split()[0]: e.where() for e in item.evidence}
    assert where["DATABASE_URL"] == "services/catalog/config/custom-environment-variables.json:2"
    assert where["LOG_DIR"] == "services/catalog/src/config.js:6"
    files[".env.example"] = "PORT=\nREDIS_URL=\nCATALOG_API_KEY=\nAWS_REGION=\nLOG_DIR=\nDATABASE_URL=\nFEATURES=\n"
    item = decide(tmp_path, files).item("doc.env")
    assert item.status == checklist.PASS, item.evidence
    assert not [e for e in item.evidence if "documented but no code" in e.text]  # (each key is read)


def test_tslog_json_type_is_structured_json_logging(tmp_path: Path) -> None:
    def judged(options: str) -> checklist.Item:
        return decide(tmp_path, _r14_service("billing", '"tslog": "^4.9.2"', {
            "src/logger.js": f"const {{ Logger }} = require('tslog');\nmodule.exports = new Logger({options});\n"})).item("log.json")
    assert judged("{ name: 'billing', type: 'json' }").status == checklist.PASS
    assert judged("{ type: process.env.NODE_ENV === 'production' ? 'json' : 'pretty' }").status == checklist.PASS
    assert judged("{ type: process.env.NODE_ENV !== 'production' ? 'json' : 'pretty' }").status == checklist.FAIL
    assert judged("{ name: 'billing' }").status == checklist.FAIL  # (tslog's default: pretty text)
    unknown = judged("{ type: process.env.LOG_TYPE }")
    assert unknown.status == checklist.UNKNOWN and "chosen at run time" in unknown.summary


def test_tslog_min_level_from_the_environment_is_a_configurable_level(tmp_path: Path) -> None:
    result = decide(tmp_path, _r14_service("billing", '"tslog": "^4.9.2"', {
        "src/logger.js": "const { Logger } = require('tslog');\n"
                         "module.exports = new Logger({ type: 'json', minLevel: Number(process.env.LOG_LEVEL || 3) });\n"}))
    assert result.item("log.level").status == checklist.PASS


def test_nest_loggers_are_the_apps_logger_a_custom_logger_service_is_its_own(tmp_path: Path) -> None:
    main = ("import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n"
            "import { JsonLogger } from './json-logger.service';\n"
            "async function bootstrap() {\n"
            "  const app = await NestFactory.create(AppModule, { bufferLogs: true });\n"
            "  app.useLogger(app.get(JsonLogger));\n"
            "  await app.listen(3010);\n}\nbootstrap();\n")
    service = ("import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class AppService {\n"
               "  private readonly logger = new Logger(AppService.name);\n  hello() { this.logger.log('hi'); }\n}\n")
    files = _r14_service("nest", '"@nestjs/core": "^10.0.0", "@nestjs/common": "^10.0.0"',
                         {"src/main.ts": main, "src/app.service.ts": service})
    item = decide(tmp_path, files).item("log.json")
    assert item.status == checklist.UNKNOWN, (item.summary, item.evidence)
    assert [e.where() for e in item.evidence] == ["services/nest/src/main.ts:6"]
    assert "LoggerService of its own" in item.summary
    # Nest's own ConsoleLogger prints text; with `json: true` JSON
    files["services/nest/src/main.ts"] = main.replace("  app.useLogger(app.get(JsonLogger));\n", "")
    item = decide(tmp_path, files).item("log.json")
    assert item.status == checklist.FAIL and [e.where() for e in item.evidence] == ["services/nest/src/main.ts:5"]
    files["services/nest/src/main.ts"] = main.replace("import { NestFactory }", "import { ConsoleLogger } from '@nestjs/common';\n"
                                                      "import { NestFactory }").replace(
        "{ bufferLogs: true }", "{ logger: new ConsoleLogger({ json: true }) }").replace("  app.useLogger(app.get(JsonLogger));\n", "")
    assert decide(tmp_path, files).item("log.json").status == checklist.PASS


def test_consola_prints_text_unless_its_reporters_print_json(tmp_path: Path) -> None:
    def judged(options: str) -> checklist.Checklist:
        return decide(tmp_path, _r14_service("catalog", '"consola": "^3.4.2"', {
            "src/logger.mjs": f"import {{ createConsola }} from 'consola';\nexport const logger = createConsola({options});\n"}))
    result = judged("{ level: 3 }")
    assert result.item("log.json").status == checklist.FAIL
    assert [e.where() for e in result.item("log.json").evidence] == ["services/catalog/src/logger.mjs:2"]
    result = judged("{ reporters: [{ log: (o) => process.stdout.write(JSON.stringify(o) + '\\n') }] }")
    assert result.item("log.json").status == checklist.PASS
    assert result.item("log.level").status == checklist.PASS  # (consola reads CONSOLA_LEVEL when given no level)


def test_file_logging_keeps_bunyan_streams_and_sinks_no_finding_names_beside_stdout_logging_findings(tmp_path: Path) -> None:
    files = {
        **_r14_service("users", '"bunyan": "^1.8.15"', {
            "src/log.js": "const bunyan = require('bunyan');\nmodule.exports = bunyan.createLogger({\n  name: 'users',\n"
                          "  streams: [\n    { level: 'info', stream: process.stdout },\n"
                          "    { type: 'rotating-file', path: '/var/log/users.log', period: '1d', count: 3 },\n  ],\n});\n"}),
        **_r14_service("ship", '"winston": "^3.13.0"', {
            "src/logger.js": "const winston = require('winston');\nmodule.exports = winston.createLogger({ transports: "
                             "[new winston.transports.Console(), new winston.transports.File({ filename: 'logs/app.log' })] });\n"}),
        **_r14_service("web", '"morgan": "^1.10.0"', {
            "src/app.js": "const fs = require('fs');\nconst morgan = require('morgan');\nconst app = require('express')();\n"
                          "app.use(morgan('combined', { stream: fs.createWriteStream('logs/access.log', { flags: 'a' }) }));\n"}),
    }
    item = decide(tmp_path, files, ("stdout-logging",)).item("log.files")
    assert item.status == checklist.FAIL
    where = [e.where() for e in item.evidence]
    assert "services/users/src/log.js:6" in where and "services/ship/src/logger.js:2" in where, where
    access = [e for e in item.evidence if e.path == "services/web/src/app.js"]
    assert [e.line for e in access] == [4] and "not handled by stdout-logging" in access[0].text, item.evidence


# --- session 20 (F5): consola's default instance, the project's own Logger class, gRPC ports, sink labels ---------


def test_consolas_default_instance_prints_text_unless_given_json_reporters(tmp_path: Path) -> None:
    """consola's default instance (`import consola from 'consola'`, `const { consola } = require('consola')`) is
    `createConsola()` with no options (consola 3.4.2's dist/index.mjs): its FancyReporter prints text (`ℹ listening`;
    BasicReporter's `[info] listening` in CI), never JSON, TTY or not, and CONSOLA_LEVEL sets its level. Judged once
    per service, at its first use."""
    files = _r14_service("cat", '"consola": "^3.4.2", "express": "^4.21.0"', {
        "src/index.mjs": "import express from 'express';\nimport consola from 'consola';\nconst app = express();\n"
                         "app.get('/health', (req, res) => res.json({ ok: true }));\n"
                         "app.listen(3001, () => consola.info('listening'));\n",
        "src/jobs.js": "const { consola } = require('consola');\nmodule.exports = () => consola.withTag('jobs').start('run');\n"})
    result = decide(tmp_path, files)
    item = result.item("log.json")
    assert item.status == checklist.FAIL, item.summary
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("services/cat/src/index.mjs:5", "consola's default instance: logger without a JSON format")]
    level = result.item("log.level")
    assert level.status == checklist.PASS, level.summary
    assert [e.text for e in level.evidence] == ["consola's default instance: level from CONSOLA_LEVEL (consola reads it)"]
    assert [row.logger for row in result.services] == ["consola's default instance (services/cat/src/index.mjs:5)"]
    # reporters that print JSON, set in another file of the service; a level fixed by the code
    files["services/cat/src/setup.js"] = ("const { consola } = require('consola');\n"
                                          "consola.setReporters([{ log: (o) => process.stdout.write(JSON.stringify(o) + '\\n') }]);\n"
                                          "consola.level = 4;\n")
    result = decide(tmp_path, files)
    assert result.item("log.json").status == checklist.PASS, result.item("log.json").summary
    assert [e.where() for e in result.item("log.json").evidence] == ["services/cat/src/setup.js:2"]
    assert result.item("log.level").status == checklist.FAIL
    files["services/cat/src/setup.js"] = files["services/cat/src/setup.js"].replace(
        "consola.level = 4;", "consola.level = Number(process.env.LOG_LEVEL || 3);").replace("setReporters", "addReporter")
    result = decide(tmp_path, files)
    assert result.item("log.level").status == checklist.PASS, result.item("log.level").summary
    item = result.item("log.json")  # (addReporter keeps the text reporter: fixer cannot tell)
    assert item.status == checklist.UNKNOWN and "reporters of its own" in item.summary, item.summary
    # a module that only makes its own instance (`consola.create`) uses no default instance
    only = _r14_service("cat", '"consola": "^3.4.2"', {
        "src/index.js": "const { consola } = require('consola');\nmodule.exports = consola.create({ level: 3 });\n"})
    result = decide(tmp_path / "only", only)
    assert [e.text for e in result.item("log.json").evidence] == ["logger without a JSON format"]


def test_the_projects_own_logger_class_is_judged_by_what_it_prints(tmp_path: Path) -> None:
    """`new Logger()` of the project's own class (declared in the file, imported from a relative module or from a
    workspace package) makes no library's logger; the class itself is judged: text or JSON on stdout, its level."""
    text_class = ("class Logger {\n  constructor(name) { this.name = name; }\n"
                  "  info(msg) { console.log(`[${this.name}] ${msg}`); }\n"
                  "  error(msg) { console.error(`[${this.name}] ${msg}`); }\n}\nmodule.exports = { Logger };\n")
    files = _r14_service("own", '"express": "^4.21.0"', {
        "src/logger.js": text_class,
        "src/index.js": "const express = require('express');\nconst { Logger } = require('./logger');\n"
                        "const log = new Logger('own');\nconst app = express();\n"
                        "app.listen(process.env.PORT || 3002, () => log.info('listening'));\n"})
    result = decide(tmp_path, files)
    item = result.item("log.json")
    assert item.status == checklist.FAIL
    assert [(e.where(), e.text) for e in item.evidence] == [
        ("services/own/src/logger.js:1", "class `Logger` prints text, not JSON: `console.log(`[${this.name}] ${msg}`)` "
                                         "(line 3)")]
    assert [e.where() for e in result.item("log.level").evidence] == ["services/own/src/logger.js:1"]
    assert [row.logger for row in result.services] == ["own logger (services/own/src/logger.js:1)"]
    # JSON lines on stdout, its level from the environment (a development branch printing text aside)
    files["services/own/src/logger.js"] = (
        "class Logger {\n  constructor(name) { this.name = name; this.level = process.env.LOG_LEVEL || 'info'; }\n"
        "  write(level, msg) {\n"
        "    if (process.env.NODE_ENV !== 'production') { console.log(`${level} ${msg}`); return; }\n"
        "    const line = JSON.stringify({ level, msg, name: this.name });\n    process.stdout.write(`${line}\\n`);\n  }\n"
        "  info(msg) { this.write('info', msg); }\n}\nmodule.exports = { Logger };\n")
    result = decide(tmp_path, files)
    assert result.item("log.json").status == checklist.PASS, result.item("log.json").evidence
    assert result.item("log.level").status == checklist.PASS, result.item("log.level").evidence
    # a class that makes a library's logger inside it: that logger is judged, its `new Logger()` users are not
    files["services/own/src/logger.js"] = (
        "const winston = require('winston');\nclass Logger {\n"
        "  constructor() { this.logger = winston.createLogger({ transports: [new winston.transports.Console()] }); }\n"
        "  info(msg) { this.logger.info(msg); }\n}\nmodule.exports = { Logger };\n")
    result = decide(tmp_path, files)
    assert result.item("log.json").status == checklist.PASS, result.item("log.json").evidence  # (winston's default format)
    assert [e.where() for e in result.item("log.json").evidence] == ["services/own/src/logger.js:3"]
    # a workspace package's class, `new Logger()` of it in a service: judged in the package only
    workspace = {
        "package.json": '{"name": "root", "private": true, "workspaces": ["packages/*", "services/*"]}\n',
        "packages/log/package.json": '{"name": "@acme/log", "main": "src/index.js"}\n',
        "packages/log/src/index.js": text_class,
        **_r14_service("own", '"@acme/log": "*", "express": "^4.21.0"', {
            "src/index.js": "const express = require('express');\nconst { Logger } = require('@acme/log');\n"
                            "const log = new Logger('own');\nexpress().listen(3002, () => log.info('up'));\n"})}
    item = decide(tmp_path / "workspace", workspace).item("log.json")
    assert [e.where() for e in item.evidence] == ["packages/log/src/index.js:1"], item.evidence
    # winston 2's Logger is a library's
    winston2 = _r14_service("w", '"winston": "^2.4.0"', {
        "src/log.js": "const { Logger, transports } = require('winston');\n"
                      "module.exports = new Logger({ transports: [new transports.Console()] });\n"})
    item = decide(tmp_path / "winston2", winston2).item("log.level")
    assert [e.where() for e in item.evidence] == ["services/w/src/log.js:2"], item.evidence


def test_a_grpc_service_without_a_dockerfile_shows_the_port_it_binds(tmp_path: Path) -> None:
    """The Services table's port of a gRPC server no listen() names: its bind address's (`'0.0.0.0:50051'`, a
    template whose port variable has a default), else the container port its compose service publishes."""
    result = decide(tmp_path, GRPC_AND_WS)
    assert {row.name: row.port for row in result.services}["inv"] == 50051
    files = {**{k: v for k, v in GRPC_AND_WS.items() if k.startswith("services/inv/")},
             "services/inv/src/server.js": "const grpc = require('@grpc/grpc-js');\n"
                                           "const port = process.env.GRPC_PORT ?? '50061';\nconst server = new grpc.Server();\n"
                                           "server.bindAsync(`0.0.0.0:${port}`, grpc.ServerCredentials.createInsecure(), () => {});\n"}
    assert [row.port for row in decide(tmp_path / "template", files).services] == [50061]
    files["services/inv/src/server.js"] = files["services/inv/src/server.js"].replace(" ?? '50061'", "")
    files["docker-compose.yml"] = "services:\n  inv:\n    image: acme/inv:1.0\n    ports:\n      - \"${GRPC_PORT:-50071}:50071\"\n"
    assert [row.port for row in decide(tmp_path / "compose", files).services] == [50071]


def test_a_file_sinks_label_is_its_whole_first_argument_not_where_the_pattern_stopped(tmp_path: Path) -> None:
    files = _r14_service("bb", '"express": "^4.21.0", "pino": "^9.0.0"', {
        "src/index.js": "const fs = require('fs');\nconst path = require('path');\nconst value = process.env.LOG_DIR;\n"
                        "const stream = fs.createWriteStream(path.join(value, 'nodebb.log'), { flags: 'a' });\n"
                        "const pino = require('pino');\n"
                        "module.exports = pino(pino.destination(path.join(__dirname, '..', 'logs', 'service-with-a-long-name', "
                        "'application-output.log')));\n"})
    item = decide(tmp_path, files).item("log.files")
    assert [e.text for e in item.evidence] == [
        "createWriteStream(path.join(value, 'nodebb.log'), …)",
        "pino.destination(path.join(__dirname, …, 'application-output.log'))"], item.evidence
