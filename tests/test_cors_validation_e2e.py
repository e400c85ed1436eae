"""cors-validation on the sample gateway, proven with real Node: production without
CORS_ORIGIN stops at start-up with the message; with it set, CORS preflights from the
listed origins are allowed and others are not; in development the localhost defaults work."""

from __future__ import annotations

import http.client
import json
import signal
from pathlib import Path

import pytest

from harness import run_on_tree, write_changes
from nodeenv import RunningService, start_service, tsc

MESSAGE = "CORS_ORIGIN must be set in production"


@pytest.fixture(autouse=True)
def _no_cors_origin_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CORS_ORIGIN", "NODE_ENV"):
        monkeypatch.delenv(name, raising=False)


def _fix(tree: Path) -> None:
    _, run = run_on_tree("cors-validation", tree)
    assert not run.problems, [p.message for p in run.problems]
    assert list(run.changes) == ["services/api-gateway/src/index.ts"]
    write_changes(tree, run)


def _allowed_origin(service: RunningService, origin: str, preflight: bool = True) -> str | None:
    """Access-Control-Allow-Origin of a browser's preflight for a GET from `origin`, or
    (`preflight=False`) of the GET itself (a refused origin is an error response)."""
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    try:
        if preflight:
            connection.request("OPTIONS", "/api/courses", headers={
                "Origin": origin, "Access-Control-Request-Method": "GET",
            })
        else:
            connection.request("GET", "/api/courses", headers={"Origin": origin})
        response = connection.getresponse()
        response.read()
        assert not preflight or response.status in (200, 204), response.status
        return response.getheader("Access-Control-Allow-Origin")
    finally:
        connection.close()


@pytest.mark.node
def test_before_the_fix_production_starts_with_the_localhost_default(sample_tree: Path) -> None:
    with start_service(sample_tree, "api-gateway", env={"NODE_ENV": "production"}) as service:
        assert _allowed_origin(service, "http://localhost:5173") == "http://localhost:5173"


@pytest.mark.node
def test_production_without_cors_origin_exits_1_with_the_message(sample_tree: Path) -> None:
    _fix(sample_tree)
    assert tsc(sample_tree) == []
    with pytest.raises(RuntimeError, match="exited with code 1 before listening") as failure:
        start_service(sample_tree, "api-gateway", env={"NODE_ENV": "production"})
    assert MESSAGE in str(failure.value)
    with pytest.raises(RuntimeError, match="exited with code 1") as blank:
        start_service(sample_tree, "api-gateway", env={"NODE_ENV": "production", "CORS_ORIGIN": " , "})
    assert MESSAGE in str(blank.value)


@pytest.mark.node
def test_production_with_cors_origin_allows_exactly_the_listed_origins(sample_tree: Path) -> None:
    _fix(sample_tree)
    env = {"NODE_ENV": "production", "CORS_ORIGIN": "https://app.example.com, https://admin.example.com"}
    with start_service(sample_tree, "api-gateway", env=env) as service:
        assert _allowed_origin(service, "https://app.example.com") == "https://app.example.com"
        assert _allowed_origin(service, "https://admin.example.com") == "https://admin.example.com"  # trimmed
        assert _allowed_origin(service, "https://evil.example.com") is None
        assert _allowed_origin(service, "http://localhost:5173") is None
        assert MESSAGE not in service.output()


@pytest.mark.node
def test_development_keeps_the_localhost_defaults(sample_tree: Path) -> None:
    _fix(sample_tree)
    with start_service(sample_tree, "api-gateway", env={"NODE_ENV": "development"}) as service:
        assert _allowed_origin(service, "http://localhost:5173") == "http://localhost:5173"
        assert _allowed_origin(service, "http://localhost:3000") == "http://localhost:3000"
        assert _allowed_origin(service, "https://evil.example.com") is None


@pytest.mark.node
def test_stacked_on_graceful_shutdown_both_still_work(sample_tree: Path) -> None:
    _, first = run_on_tree("graceful-shutdown", sample_tree)
    write_changes(sample_tree, first)
    _fix(sample_tree)
    assert tsc(sample_tree) == []
    with pytest.raises(RuntimeError, match="exited with code 1") as failure:
        start_service(sample_tree, "api-gateway", env={"NODE_ENV": "production"})
    assert MESSAGE in str(failure.value)
    env = {"NODE_ENV": "production", "CORS_ORIGIN": "https://app.example.com"}
    with start_service(sample_tree, "api-gateway", env=env) as service:
        assert _allowed_origin(service, "https://app.example.com") == "https://app.example.com"
        service.proc.send_signal(signal.SIGTERM)
        assert service.proc.wait(timeout=10) == 0, service.output()


FACTORY_INDEX = """import { readFileSync } from 'fs';
import { createApp } from './app';

// what dotenv.config() does: the service's .env, read when index.ts runs (after app.ts has loaded)
for (const line of readFileSync('.env', 'utf8').split('\\n')) {
  const [key, ...value] = line.trim().split('=');
  if (key && !(key in process.env)) process.env[key] = value.join('=');
}
const app = createApp();
app.listen(Number(process.env.PORT) || 3000, () => console.log('listening'));
"""

FACTORY_APP = """import express from 'express';
import cors from 'cors';

export function createApp() {
  const app = express();
  app.use(cors({ origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173'] }));
  app.get('/api/courses', (_req, res) => { res.send('ok'); });
  return app;
}
"""


def _factory_service(tree: Path, dotenv: str) -> None:
    """A service whose list is read inside createApp(), called after its .env is loaded."""
    service = tree / "services" / "cors-factory"
    (service / "src").mkdir(parents=True)
    (service / "package.json").write_text('{ "name": "cors-factory", "private": true }\n')
    (service / ".env").write_text(dotenv)
    (service / "src" / "index.ts").write_text(FACTORY_INDEX)
    (service / "src" / "app.ts").write_text(FACTORY_APP)
    config = json.loads((tree / "tsconfig.json").read_text())
    config["include"].append("services/cors-factory/src")
    (tree / "tsconfig.json").write_text(json.dumps(config))


@pytest.mark.node
def test_a_list_read_inside_a_function_is_checked_when_the_function_runs_after_the_env_is_loaded(
        sample_tree: Path) -> None:
    """Hoisted to app.ts's top level, the list would be read before index.ts loads the .env: the
    localhost default in production, and no exit either."""
    _factory_service(sample_tree, "NODE_ENV=production\nCORS_ORIGIN=https://app.example.com\n")
    _, run = run_on_tree("cors-validation", sample_tree)
    assert not run.problems, [p.message for p in run.problems]
    assert "services/cors-factory/src/app.ts" in run.changes
    write_changes(sample_tree, run)
    text = (sample_tree / "services" / "cors-factory" / "src" / "app.ts").read_text()
    assert text.index("export function createApp() {") < text.index("const corsOrigins = ")
    assert tsc(sample_tree) == []
    with start_service(sample_tree, "cors-factory") as service:
        assert _allowed_origin(service, "https://app.example.com") == "https://app.example.com"
        assert _allowed_origin(service, "http://localhost:5173") is None
        assert MESSAGE not in service.output()
    (sample_tree / "services" / "cors-factory" / ".env").write_text("NODE_ENV=production\n")
    with pytest.raises(RuntimeError, match="exited with code 1 before listening") as failure:
        start_service(sample_tree, "cors-factory")
    assert MESSAGE in str(failure.value)


WHITELIST_INDEX = """const express = require('express');
const cors = require('cors');
const logger = require('./logger');

const app = express();
const whitelist = (process.env.CORS_WHITELIST || 'http://localhost:3000,http://localhost:5173').split(',');
const corsOptions = {
  origin: (origin, callback) => {
    if (!origin || whitelist.includes(origin)) return callback(null, true);
    return callback(new Error('Not allowed by CORS'));
  },
};
app.use(cors(corsOptions));
app.get('/api/courses', (_req, res) => { res.send('ok'); });
app.listen(Number(process.env.PORT) || 3000, () => logger.info('listening'));
"""


def _origin_callback_service(tree: Path) -> None:
    """The MERN shape: a list the origin callback checks with `includes(origin)`, not `origin: list`."""
    service = tree / "services" / "cors-whitelist"
    service.mkdir(parents=True)
    (service / "package.json").write_text('{ "name": "cors-whitelist", "private": true, "main": "index.js" }\n')
    (service / "index.js").write_text(WHITELIST_INDEX)
    (service / "logger.js").write_text("module.exports = require('winston').createLogger({\n"
                                       "  transports: [new (require('winston').transports.Console)()],\n});\n")


@pytest.mark.node
def test_a_list_the_origin_callback_checks_is_validated_like_a_cors_origin(sample_tree: Path) -> None:
    _origin_callback_service(sample_tree)
    with start_service(sample_tree, "cors-whitelist", env={"NODE_ENV": "production"}) as service:
        assert _allowed_origin(service, "http://localhost:5173", preflight=False) == "http://localhost:5173"  # the defect
    _, run = run_on_tree("cors-validation", sample_tree)
    assert not run.problems, [p.message for p in run.problems]
    assert "services/cors-whitelist/index.js" in run.changes
    write_changes(sample_tree, run)
    message = "CORS_WHITELIST must be set in production"
    with pytest.raises(RuntimeError, match="exited with code 1 before listening") as failure:
        start_service(sample_tree, "cors-whitelist", env={"NODE_ENV": "production"})
    assert message in str(failure.value)
    env = {"NODE_ENV": "production", "CORS_WHITELIST": "https://app.example.com, https://admin.example.com"}
    with start_service(sample_tree, "cors-whitelist", env=env) as service:
        assert _allowed_origin(service, "https://admin.example.com", preflight=False) == "https://admin.example.com"
        assert _allowed_origin(service, "http://localhost:5173", preflight=False) is None
    with start_service(sample_tree, "cors-whitelist", env={"NODE_ENV": "development"}) as service:
        assert _allowed_origin(service, "http://localhost:3000", preflight=False) == "http://localhost:3000"
        assert _allowed_origin(service, "https://evil.example.com", preflight=False) is None
