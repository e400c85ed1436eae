"""fixer.probes (session 20, H1): a Kubernetes exec probe's command written as a YAML block scalar or a flow list
over several lines; a node probe script written by a `COPY <<EOF` heredoc; a probe's script copied from another
stage (`COPY --from=build /app /app`) or from another image."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import open_tree

PACKAGE = '{ "name": "api", "main": "src/main.js", "dependencies": { "express": "^4.19.2" } }\n'
MAIN = "const app = require('express')();\napp.get('/healthz', (q, s) => s.send('ok'));\napp.listen(3000);\n"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def _k8s(command: str) -> str:
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: api\n          image: registry.example.com/api:1\n"
            "          readinessProbe:\n            exec:\n" + command + "            periodSeconds: 5\n")


@pytest.mark.parametrize("command, lines", [
    # a literal block scalar: its text is the lines below the `- |` item
    ("              command:\n                - sh\n                - -c\n                - |\n"
     "                  wget -qO- http://localhost:3000/healthz\n", [14, 15, 16, 17]),
    # folded, over several lines, items at the key's indentation
    ("              command:\n              - sh\n              - -c\n              - >-\n                set -e\n\n"
     "                curl -fsS http://localhost:3000/healthz\n", [14, 15, 16, 17, 19]),
    # a comment between items is no item's text
    ("              command:\n                - sh\n                # localhost:3000/\n                - -c\n"
     "                - wget -qO- http://localhost:3000/healthz\n", [14, 16, 17]),
    # a plain scalar over two lines
    ("              command:\n                - sh\n                - -c\n                - wget -qO-\n"
     "                  http://localhost:3000/healthz\n", [14, 15, 16, 17]),
    # a flow list over two lines, up to its closing bracket (not the key after it)
    ('              command: ["sh", "-c", # a comment ]\n                "wget -qO- http://localhost:3000/healthz"]\n',
     [13, 14]),
])
def test_h1_a_kubernetes_exec_command_is_read_on_every_line_it_holds(tmp_path: Path, command: str, lines: list[int]) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/main.js": MAIN,
                                      "k8s/api.yaml": _k8s(command)}))
    [probe] = all_probes(repo)
    source = repo.read("k8s/api.yaml")
    assert (probe.source, probe.host, probe.url_path, probe.service) == ("k8s-exec", "localhost", "/healthz", "services/api")
    assert [source.line_col(start)[0] for start, _end in probe.spans] == lines
    assert "periodSeconds" not in probe.text(source)


def test_h1_an_exec_command_of_no_url_in_a_block_scalar_is_no_http_probe(tmp_path: Path) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/main.js": MAIN,
                                      "k8s/api.yaml": _k8s("              command:\n                - sh\n"
                                                           "                - -c\n                - |\n"
                                                           "                  test -f /tmp/ready\n")}))
    assert all_probes(repo) == []


HEREDOC = ("# syntax=docker/dockerfile:1.7\nFROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCOPY <<EOF {target}\n{body}EOF\n"
           "HEALTHCHECK CMD {command}\n")


@pytest.mark.parametrize("body, target, command, host, paths", [
    ("require('http').get('http://localhost:3000/healthz', (r) => process.exit(0));\n", "/app/healthcheck.js",
     '["/nodejs/bin/node", "/app/healthcheck.js"]', "localhost", ("/healthz",)),
    # request options; a path put together from pieces: every path its strings name is one it may call
    ("const http = require('http');\nhttp.get({ hostname: 'localhost', port: 3000, path: base + '/healthz' });\n",
     "healthcheck.js", "node healthcheck.js", "localhost", ("/healthz",)),
    ("// http://localhost:9/old\nfetch('http://127.0.0.1:3000/' + 'health');\n", "/srv/probe.mjs",
     "node /srv/probe.mjs", "127.0.0.1", ("/",)),
])
def test_h1_a_node_script_a_copy_heredoc_writes_is_read_as_what_the_probe_runs(
        tmp_path: Path, body: str, target: str, command: str, host: str, paths: tuple[str, ...]) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/main.js": MAIN,
                                      "services/api/Dockerfile": HEREDOC.format(target=target, body=body, command=command)}))
    [probe] = all_probes(repo)
    assert probe.script is None  # (no file of the repository: nothing a fix edits)
    assert probe.runs == "the heredoc at services/api/Dockerfile:5"
    assert (probe.host, probe.runs_paths) == (host, paths)


def test_h1_a_package_script_running_a_node_heredoc_is_read(tmp_path: Path) -> None:
    from fixer.probes import all_probes

    package = '{ "name": "api", "main": "src/main.js", "scripts": { "healthcheck": "node hc.js" } }\n'
    repo = open_tree(_tree(tmp_path, {"services/api/package.json": package, "services/api/src/main.js": MAIN,
                                      "services/api/Dockerfile": HEREDOC.format(
                                          target="hc.js", body="fetch('http://localhost:3000/healthz');\n",
                                          command="npm run healthcheck")}))
    [probe] = all_probes(repo)
    assert (probe.runs, probe.host, probe.url_path, probe.runs_paths) == (
        "the heredoc at services/api/Dockerfile:5", "localhost", "/healthz", ("/healthz",))


SCRIPT = "require('http').get('http://localhost:3000/healthz', (r) => process.exit(0));\n"


@pytest.mark.parametrize("dockerfile, script, runs", [
    # distroless: the final stage copies the build stage's WORKDIR whole
    ("FROM node:20 AS build\nWORKDIR /app\nCOPY healthcheck.js ./\nFROM gcr.io/distroless/nodejs20-debian12\nWORKDIR /app\n"
     "COPY --from=build /app /app\nHEALTHCHECK CMD [\"/nodejs/bin/node\", \"healthcheck.js\"]\n", "services/api/healthcheck.js", ""),
    # by the stage's index, one file into a directory; the stage's files through the stage it is built FROM
    ("FROM node:20 AS base\nWORKDIR /src\nCOPY . .\nFROM base\nRUN npm ci\nFROM node:20-slim\n"
     "COPY --from=1 /src/healthcheck.js /usr/local/lib/\nHEALTHCHECK CMD node /usr/local/lib/healthcheck.js\n",
     "services/api/healthcheck.js", ""),
    # a stage built FROM another has its WORKDIR and files
    ("FROM node:20 AS base\nWORKDIR /app\nCOPY . .\nFROM base AS final\nHEALTHCHECK CMD node healthcheck.js\n",
     "services/api/healthcheck.js", ""),
    # a later COPY --from of files (names with an extension) or of another directory writes no healthcheck.js
    ("FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nCOPY healthcheck.js ./\n"
     "COPY --from=build /app/package.json /app/server.js ./\nCOPY --from=node:20 /usr/local/bin/node /usr/local/bin/\n"
     "COPY --from=build /app/dist ./dist\nHEALTHCHECK CMD node healthcheck.js\n", "services/api/healthcheck.js", ""),
    # the last COPY that writes the file is what the image holds
    ("FROM node:20 AS build\nWORKDIR /app\nCOPY healthcheck.js ./\nFROM node:20\nWORKDIR /app\nCOPY . .\n"
     "COPY --from=probes:1 /hc.js ./healthcheck.js\nHEALTHCHECK CMD node healthcheck.js\n", None,
     "healthcheck.js (copied from the image probes:1)"),
    # a stage that makes it with a RUN: fixer does not see what writes it
    ("FROM node:20 AS build\nWORKDIR /app\nRUN echo x > healthcheck.js\nFROM node:20\nWORKDIR /app\n"
     "COPY --from=build /app/healthcheck.js ./\nHEALTHCHECK CMD node healthcheck.js\n", None,
     "healthcheck.js"),
])
def test_h1_a_probe_script_copied_from_another_stage_is_followed_there(tmp_path: Path, dockerfile: str,
                                                                      script: str | None, runs: str) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {"services/api/package.json": PACKAGE, "services/api/src/main.js": MAIN,
                                      "services/api/healthcheck.js": SCRIPT, "services/api/Dockerfile": dockerfile}))
    [probe] = all_probes(repo)
    assert (probe.script, probe.runs) == (script, runs)
    assert (probe.host, probe.url_path) == (("localhost", "/healthz") if script else (None, None))
    assert probe.runs_paths == (() if script else None)  # (unread: it may call any path)


def test_h1_a_compose_healthcheck_runs_the_script_its_image_copies_from_a_build_stage(tmp_path: Path) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {
        "services/api/package.json": PACKAGE, "services/api/src/main.js": MAIN, "services/api/healthcheck.js": SCRIPT,
        "services/api/Dockerfile": "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nFROM gcr.io/distroless/nodejs20-debian12\n"
                                   "WORKDIR /app\nCOPY --from=build /app /app\nCMD [\"src/main.js\"]\n",
        "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n    healthcheck:\n"
                              "      test: [\"CMD\", \"/nodejs/bin/node\", \"healthcheck.js\"]\n",
    }))
    [probe] = [p for p in all_probes(repo) if p.source == "compose"]
    assert (probe.script, probe.host, probe.url_path, probe.runs) == ("services/api/healthcheck.js", "localhost", "/healthz", "")
