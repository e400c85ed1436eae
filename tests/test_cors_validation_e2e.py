"""cors-validation on the sample gateway, proven with real Node: production without
CORS_ORIGIN stops at start-up with the message; with it set, CORS preflights from the
listed origins are allowed and others are not; in development the localhost defaults work."""

from __future__ import annotations

import http.client
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


def _allowed_origin(service: RunningService, origin: str) -> str | None:
    """Access-Control-Allow-Origin of a browser's preflight for a GET from `origin`."""
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    try:
        connection.request("OPTIONS", "/api/courses", headers={
            "Origin": origin, "Access-Control-Request-Method": "GET",
        })
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 204), response.status
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
