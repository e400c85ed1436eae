"""Session 20, L1: TypeScript casts around winston's transports (stdout-logging), and a health probe whose program its
image lacks (healthcheck-loopback, with the checklist's one rule `dockerfile.tool_missing`)."""

from __future__ import annotations

from fixer.parsing import dockerfile, typescript
from fixer.probes import missing_tool_advice


def _constructor(source: str, kind: str = "ts") -> str:
    tree = typescript.parse(source.encode(), kind)
    node = next(typescript.descendants(tree.root_node, "new_expression"))
    return typescript.path_text(node.child_by_field_name("constructor"))


def test_path_text_reads_through_casts() -> None:
    assert _constructor("new (winston.transports as any).DailyRotateFile({});") == "winston.transports.DailyRotateFile"
    assert _constructor("new (<any>winston.transports).File();") == "winston.transports.File"
    assert _constructor("new (winston!.transports satisfies object).File();") == "winston.transports.File"
    assert _constructor("new ((winston.transports as unknown) as any).File();") == "winston.transports.File"
    assert _constructor("new winston.transports.Console();", "js") == "winston.transports.Console"
    assert _constructor("new (pick() as any).File();") == "pick().File"  # (a call stays as written)


def test_tool_missing_is_the_image_rule() -> None:
    probe = "curl -fsS http://127.0.0.1:3000/health || exit 1"
    assert dockerfile.tool_missing([], probe, "node:20-alpine", shell=True) == "curl"
    assert dockerfile.tool_missing([], probe, "alpine:3.20", shell=True) == "curl"
    assert dockerfile.tool_missing([], probe, "node:20-slim", shell=True) == "curl"
    assert dockerfile.tool_missing([], probe, "node:20", shell=True) is None
    assert dockerfile.tool_missing([], "wget -qO- http://127.0.0.1:3000/health", "node:20-alpine", shell=True) is None
    # nginx's alpine image has curl (its Dockerfile installs it), another image's tools are not known here
    assert dockerfile.tool_missing([], probe, "nginx:1.25-alpine", shell=True) is None
    assert dockerfile.tool_missing([], probe, "redis:7-alpine", shell=True) is None
    assert dockerfile.tool_missing([], probe, "gcr.io/distroless/nodejs20-debian12", shell=True) == "/bin/sh"


def test_missing_tool_advice() -> None:
    assert "wget -qO- http://127.0.0.1:<port>/health` (busybox)" in missing_tool_advice("curl", "node:20-alpine")
    assert "busybox" not in missing_tool_advice("curl", "node:20-slim")
    assert "exec form" in missing_tool_advice("curl", "gcr.io/distroless/nodejs20-debian12")
