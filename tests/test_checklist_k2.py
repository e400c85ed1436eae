"""Session 20, K2: the checklist's RUN scanners read heredoc RUNs (`dockerfile.run_script`); one rule of images
without a shell shared by the checklist and healthcheck-loopback (`dockerfile.bare_image`); the Services section's
logger is the one console-to-logger's inference chose; a ws server's port and a gRPC server's port in the advice."""

from __future__ import annotations

from pathlib import Path

from fixer import checklist, config as config_mod
from fixer import logger as logger_mod
from fixer.repo import DirectorySource, Repo
from test_checklist import SERVICE, decide
from transforms import registry


def _texts(result: checklist.Checklist, key: str) -> list[str]:
    return [e.text for e in result.item(key).evidence]


def test_build_tools_installed_by_a_run_heredoc_are_left_in_the_image(tmp_path: Path) -> None:
    """`_build_tools_left` reads the script of a `RUN <<EOF` (its value is only the `<<EOF` marker): make and g++
    installed there and never removed are in the runtime image; removed in the same script they are not."""
    left = ("# syntax=docker/dockerfile:1.7\nFROM node:20-alpine\nWORKDIR /app\nCOPY . .\n"
            "RUN <<EOF\nset -e\napk add --no-cache make \\\n  g++\nnpm ci --omit=dev\nEOF\nUSER node\n"
            "CMD [\"node\", \"dist/index.js\"]\n")
    result = decide(tmp_path / "left", {**SERVICE, "services/api/Dockerfile": left})
    assert result.item("docker.minimal").status == checklist.FAIL, _texts(result, "docker.minimal")
    assert any("final stage installs g++, make" in t for t in _texts(result, "docker.minimal")), \
        _texts(result, "docker.minimal")
    removed = left.replace("npm ci --omit=dev\n", "npm ci --omit=dev\napk del make g++\n")
    result = decide(tmp_path / "removed", {**SERVICE, "services/api/Dockerfile": removed})
    assert not any("installs g++" in t for t in _texts(result, "docker.minimal")), _texts(result, "docker.minimal")


def test_dev_dependencies_installed_by_a_run_heredoc_are_seen(tmp_path: Path) -> None:
    """`_after_run` reads the script of a `RUN <<EOF`: an `npm ci` there leaves devDependencies in the final stage
    (the finding names that line, not `<<EOF`); a `npm prune --omit=dev` on a later line of it removes them."""
    dev = ("# syntax=docker/dockerfile:1.7\nFROM node:20-alpine\nWORKDIR /app\nCOPY . .\n"
           "RUN <<EOF\nset -e\nnpm ci\nnpm run build\nEOF\nUSER node\nCMD [\"node\", \"dist/index.js\"]\n")
    result = decide(tmp_path / "dev", {**SERVICE, "services/api/Dockerfile": dev})
    texts = _texts(result, "docker.minimal")
    assert result.item("docker.minimal").status == checklist.FAIL, texts
    assert any(t == "final stage installs devDependencies: npm ci" for t in texts), texts
    pruned = dev.replace("npm run build\n", "npm run build\nnpm prune --omit=dev\n")
    result = decide(tmp_path / "pruned", {**SERVICE, "services/api/Dockerfile": pruned})
    assert not any("devDependencies" in t for t in _texts(result, "docker.minimal")), _texts(result, "docker.minimal")


GRPC = {
    "services/inv/package.json": '{"name": "inv", "main": "src/server.js", "dependencies": {"@grpc/grpc-js": "^1.14.0"}}\n',
    "services/inv/src/server.js": ("const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\n"
                                   "const port = process.env.GRPC_PORT || 50051;\n"
                                   "server.bindAsync(`0.0.0.0:${port}`, grpc.ServerCredentials.createInsecure(), () => {});\n"),
    "services/inv/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"src/server.js\"]\n",
}


def test_a_ws_server_on_its_own_port_shows_its_port(tmp_path: Path) -> None:
    """A ws `new WebSocketServer({ port: 8080 })` (or `{ port }` of a `const port = … || 8081`) binds that port: the
    Services table shows it, not `port ?`."""
    for name, code in (("literal", "const wss = new WebSocketServer({ port: 8080 });\n"),
                       ("shorthand", "const port = Number(process.env.WS_PORT) || 8081;\nconst wss = new WebSocketServer({ port });\n")):
        files = {"services/sock/package.json": '{"name": "sock", "main": "src/index.js", "dependencies": {"ws": "^8.18.0"}}\n',
                 "services/sock/src/index.js": "const { WebSocketServer } = require('ws');\n" + code +
                 "wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));\n"}
        result = decide(tmp_path / name, files)
        assert [(row.name, row.port) for row in result.services] == [("sock", 8080 if name == "literal" else 8081)], name


def test_the_grpc_health_advice_names_the_port_the_server_binds(tmp_path: Path) -> None:
    """grpc_health_probe's `-addr=127.0.0.1:<port>` is written with the port the gRPC server binds when fixer reads it
    (`Listen.port`): in the health items and in the HEALTHCHECK to add."""
    result = decide(tmp_path, GRPC)
    health = [e.text for e in result.item("health.health").evidence]
    assert any("check it with grpc_health_probe -addr=127.0.0.1:50051)" in t for t in health), health
    check = result.item("docker.healthcheck").check
    assert '`HEALTHCHECK CMD ["grpc_health_probe", "-addr=127.0.0.1:50051"]`' in check, check
    assert "<port>" not in check, check


def test_the_services_logger_is_the_one_console_to_logger_infers(tmp_path: Path) -> None:
    """One file imports `base` from the shared package, one `logger` from the service's '#logger' (a package.json
    import): a tie, which `logger.Votes.conventions` breaks by its own order. The Services section names the logger
    the fix logs through (`logger.infer`), not one it counted itself (G2's orders: `base` from @acme/logger)."""
    files = {
        "package.json": '{"name": "mono", "private": true, "workspaces": ["packages/*", "services/*"]}\n',
        "packages/logger/package.json": '{"name": "@acme/logger", "version": "1.0.0", "main": "src/index.js", '
                                        '"dependencies": {"winston": "^3.17.0"}}\n',
        "packages/logger/src/index.js": ("const winston = require('winston');\n"
                                         "exports.logger = winston.createLogger({ transports: [new winston.transports.Console()] });\n"),
        "services/orders/package.json": ('{"name": "@acme/orders", "main": "src/server.js", "imports": {"#logger": "./src/log.js"}, '
                                         '"dependencies": {"@acme/logger": "1.0.0"}}\n'),
        "services/orders/src/log.js": ("const { logger: base } = require('@acme/logger');\n"
                                       "exports.logger = base.child({ service: 'orders' });\nbase.info('ready');\n"),
        "services/orders/src/server.js": ("const { logger } = require('#logger');\nconst http = require('http');\n"
                                          "http.createServer((req, res) => res.end('ok')).listen(3001);\nlogger.info('up');\n"),
    }
    result = decide(tmp_path, files)
    repo = Repo(tmp_path, DirectorySource(tmp_path), config_mod.load(tmp_path, registry()))
    chosen = logger_mod.infer(repo)["services/orders"]
    assert (chosen.local, chosen.module) == ("logger", "#logger"), chosen
    assert [(row.name, row.logger) for row in result.services] == [("orders", "`logger` from #logger (1 file(s))")], \
        [(row.name, row.logger) for row in result.services]
