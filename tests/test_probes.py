"""fixer.probes: the listen() calls a service makes and the probes that call it; `Repo._port`, the
port the Services table shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import open_tree


def _tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


@pytest.mark.parametrize("code, port", [
    ("app.listen(3000);\n", 3000),
    ("app.listen('8080', () => {});\n", 8080),
    ("app.listen({ port: 4567, host: '0.0.0.0' });\n", 4567),
    ("app.listen({ host: '0.0.0.0', port: 4567 });\n", 4567),
    ("const port = process.env.PORT || 5000;\nmetrics.listen(9100);\napp.listen(port);\n", 5000),  # the default first
    ("app.listen(port);\n", None),
])
def test_the_port_of_a_service_is_read_from_a_literal_in_its_listen_call(tmp_path: Path, code: str, port: int | None) -> None:
    repo = open_tree(_tree(tmp_path, {
        "services/a/package.json": '{ "name": "a", "main": "index.js" }\n',
        "services/a/index.js": "const app = require('express')();\n" + code,
    }))
    assert repo.services[0].port == port


SCRIPT = "require('http').get({ host: 'localhost', port: 3000, path: '/healthz' }, (r) => process.exit(0));\n"


@pytest.mark.parametrize("dockerfile, script", [
    ('FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD node healthcheck.js\n', "services/a/healthcheck.js"),
    ('FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD ["node", "./healthcheck.js"]\n', "services/a/healthcheck.js"),
    ('FROM node:20\nCOPY healthcheck.js /usr/local/bin/hc.js\nHEALTHCHECK CMD node /usr/local/bin/hc.js || exit 1\n',
     "services/a/healthcheck.js"),
    ('FROM node:20\nWORKDIR /app\nCOPY --from=build /src/healthcheck.js ./\nHEALTHCHECK CMD node healthcheck.js\n', None),
    ('FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD node -e "require(\'./healthcheck.js\')"\n', None),
])
def test_a_healthcheck_that_runs_a_node_script_probes_what_the_script_requests(tmp_path: Path, dockerfile: str,
                                                                             script: str | None) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {
        "services/a/package.json": '{ "name": "a", "main": "index.js" }\n',
        "services/a/index.js": "require('express')().listen(3000);\n",
        "services/a/healthcheck.js": SCRIPT,
        "services/a/Dockerfile": dockerfile,
    }))
    [probe] = all_probes(repo)
    assert probe.script == script
    assert (probe.host, probe.url_path) == (("localhost", "/healthz") if script else (None, None))


def test_socketio_given_the_server_and_options_is_no_listen_and_hosts_are_quoted_on_one_line(tmp_path: Path) -> None:
    from fixer.probes import listen_calls

    repo = open_tree(_tree(tmp_path, {
        "services/a/package.json": '{ "name": "a", "main": "index.js" }\n',
        "services/a/index.js": "const server = require('http').createServer();\n"
                               "require('socket.io')().listen(server, {\n  // no cookie\n  cookie: false,\n});\n"
                               "server.listen(3000, pick({\n  fallback: process.env.HOST, // the default\n"
                               "  allowed: ['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1'],\n}));\n",
    }))
    [listen] = listen_calls(repo, "services/a")
    assert listen.line == 6 and listen.host == "?"
    assert listen.expression == "pick({ fallback: process.env.HOST, allowed: ['0.0.0.0', '::…"


@pytest.mark.parametrize("code, host", [
    ("await util.promisify(exports.server.listen).bind(exports.server)(settings.port, '0.0.0.0');\n", "0.0.0.0"),
    ("promisify(server.listen.bind(server))(9000, '::1');\n", "::1"),
    ("const listen = promisify(server.listen).bind(server);\nlisten(7000);\n", "?"),
])
def test_a_listen_run_through_promisify_is_read(tmp_path: Path, code: str, host: str) -> None:
    from fixer.probes import listen_calls

    repo = open_tree(_tree(tmp_path, {
        "services/a/package.json": '{ "name": "a", "main": "index.js" }\n',
        "services/a/index.js": "const util = require('util');\nconst { promisify } = util;\n"
                               "const server = exports.server = require('http').createServer();\n" + code,
    }))
    [listen] = listen_calls(repo, "services/a")
    assert (listen.line, listen.host) == (4, host)


@pytest.mark.parametrize("dockerfile, port", [
    ("FROM node:20\nENV PORT=3003\nEXPOSE 3003\nCMD [\"node\", \"bin/www\"]\n", 3003),  # the image sets what the code reads
    ("FROM node:20\nENV NODE_ENV=production PORT=4000\nCMD node bin/www\n", 4000),
    ("FROM node:20 AS build\nENV PORT=9999\nFROM node:20\nEXPOSE 3003\nCMD node bin/www\n", 3000),  # (another stage's)
    ("FROM node:20\nENV PORT=${PORT}\nCMD node bin/www\n", 3000),  # (a value fixer cannot read)
])
def test_the_images_env_port_is_the_port_over_the_codes_fallback(tmp_path: Path, dockerfile: str, port: int) -> None:
    repo = open_tree(_tree(tmp_path, {
        "services/web/package.json": '{"name": "web", "scripts": {"start": "node ./bin/www"}}\n',
        "services/web/Dockerfile": dockerfile,
        "services/web/bin/www": "var port = process.env.PORT || '3000';\nrequire('http').createServer().listen(port);\n",
    }))
    assert [(s.entry, s.port) for s in repo.services] == [("services/web/bin/www", port)]


def test_a_listen_given_only_a_callback_is_no_server_listen(tmp_path: Path) -> None:
    """NodeBB's `webserver.listen(next)` is its module's own listen() handed async's callback (the server's
    `server.listen(port, host)` is in that module): not a listen on a host fixer cannot read. A listen of a
    value that may be options (`app.listen(config)`) still is."""
    from fixer import probes

    repo = open_tree(_tree(tmp_path, {
        "services/web/package.json": '{"name": "web", "main": "app.js"}\n',
        "services/web/app.js": "function start(next) { webserver.listen(next); }\nfunction run(config) { app.listen(config); }\n",
    }))
    listens = probes.listen_calls(repo, "services/web")
    assert [(listen.line, listen.host) for listen in listens] == [(2, "?")]


def test_a_listen_run_through_apply_is_a_listen_on_a_host_fixer_cannot_read(tmp_path: Path) -> None:
    """NodeBB's `server.listen.apply(server, args)`: a server's listen whose arguments fixer cannot line up."""
    from fixer import probes

    repo = open_tree(_tree(tmp_path, {
        "services/web/package.json": '{"name": "web", "main": "app.js"}\n',
        "services/web/app.js": "var args = [port, host];\nserver.listen.apply(server, args);\nserver.listen.call(server, 80);\n",
    }))
    listens = probes.listen_calls(repo, "services/web")
    assert [(listen.line, listen.host, listen.options) for listen in listens] == [(2, "?", True), (3, "?", True)]


@pytest.mark.parametrize("compose, files, host", [
    ("    environment:\n      - HOST=0.0.0.0\n", {}, "0.0.0.0"),
    ("    environment:\n      - HOST\n", {}, "?"),  # the shell's, passed through
    ("    env_file: [.env.api]\n", {"services/api/.env.api": "# the api\nexport HOST='0.0.0.0'\n"}, "0.0.0.0"),
    ("    env_file:\n      - path: ./.env.missing\n        required: false\n", {}, "localhost"),  # (the code's)
    ("    environment:\n      HOST: 127.0.0.1\n", {"services/api/Dockerfile": "FROM node:20\nENV HOST=0.0.0.0\n"}, "127.0.0.1"),
])
def test_a_host_read_from_the_environment_is_what_the_services_containers_set(tmp_path: Path, compose: str,
                                                                              files: dict[str, str], host: str) -> None:
    from fixer.probes import listen_calls

    repo = open_tree(_tree(tmp_path, {
        "services/api/package.json": '{ "name": "api", "main": "index.js" }\n',
        "services/api/index.js": "require('http').createServer().listen(3000, process.env.HOST || 'localhost');\n",
        "services/api/docker-compose.yml": "services:\n  api:\n    build: .\n" + compose,
        "services/api/Dockerfile": "FROM node:20\n",
        **files,
    }))
    [listen] = listen_calls(repo, "services/api")
    assert (listen.env, listen.host) == ("HOST", host)


# --- a probe that runs a shell script or a program (session 16, h8) ---------------------------------

_SHELL_APP = {"api/package.json": '{ "name": "api", "main": "index.js" }\n', "api/index.js": "app.listen(3000);\n"}


@pytest.mark.parametrize("files, runs, paths, target", [
    # the repository's script, copied into the WORKDIR: its URL is the probe's
    ({"api/hc.sh": "#!/bin/sh\n# not http://x/y\nwget -qO- http://127.0.0.1:3000/healthz || exit 1\n",
      "api/Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD ./hc.sh\n"},
     "api/hc.sh", ("/healthz",), ("127.0.0.1", "/healthz")),
    # run through `sh -c` (exec form)
    ({"api/hc.sh": "wget -qO- http://127.0.0.1:3000/healthz\n",
      "api/Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY hc.sh ./\nHEALTHCHECK CMD [\"sh\", \"-c\", \"./hc.sh || exit 1\"]\n"},
     "api/hc.sh", ("/healthz",), ("127.0.0.1", "/healthz")),
    # copied to a directory of the PATH, run by bash
    ({"api/docker/hc.sh": "curl -f http://localhost:3000/health\n",
      "api/Dockerfile": "FROM node:20\nCOPY docker/hc.sh /usr/local/bin/\nHEALTHCHECK CMD bash /usr/local/bin/hc.sh\n"},
     "api/docker/hc.sh", ("/health",), ("localhost", "/health")),
    # written by a heredoc of the Dockerfile, which a later COPY does not overwrite
    ({"api/Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY <<EOT /app/hc.sh\nwget -qO- http://127.0.0.1:3000/healthz\nEOT\n"
                        "COPY . .\nHEALTHCHECK CMD sh /app/hc.sh\n"},
     "the heredoc at api/Dockerfile:3", ("/healthz",), ("127.0.0.1", "/healthz")),
    # one of the base image's, another stage's, a program on the PATH: unread
    ({"api/Dockerfile": "FROM node:20\nHEALTHCHECK CMD [\"/usr/local/bin/healthcheck.sh\"]\n"},
     "/usr/local/bin/healthcheck.sh", None, None),
    ({"api/hc.sh": "wget http://127.0.0.1:3000/health\n",
      "api/Dockerfile": "FROM node:20 AS b\nFROM node:20\nWORKDIR /app\nCOPY . .\nCOPY --from=b /x /app\n"
                        "HEALTHCHECK CMD ./hc.sh\n"},
     "./hc.sh", None, None),
    ({"api/Dockerfile": "FROM node:20\nHEALTHCHECK CMD probe-http --port 3000\n"}, "probe-http", None, None),
    # what fixer reads where it is, and tools that make no HTTP request: nothing
    ({"api/Dockerfile": "FROM node:20\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/healthz || exit 1\n"}, "", (), None),
    ({"api/Dockerfile": "FROM node:20\nHEALTHCHECK CMD nc -z localhost 3000 && pgrep node\n"}, "", (), None),
    ({"api/Dockerfile": "FROM node:20\nHEALTHCHECK CMD [\"node\", \"-e\", \"require('http').get('http://localhost:3000/"
                        "healthz', r => process.exit(r.statusCode === 200 ? 0 : 1))\"]\n"}, "", (), ("localhost", "/healthz")),
    ({"api/Dockerfile": "FROM node:20\nHEALTHCHECK CMD node -e \"require('http').get('http://localhost:3000/healthz', "
                        "(r) => process.exit(r.statusCode === 200 ? 0 : 1))\"\n"}, "", (), ("localhost", "/healthz")),
])
def test_a_probe_that_runs_a_shell_script_is_read_through_the_image_or_is_unread(
        tmp_path: Path, files: dict[str, str], runs: str, paths: tuple[str, ...] | None,
        target: tuple[str, str] | None) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {**_SHELL_APP, **files}))
    [probe] = all_probes(repo)
    assert (probe.runs, probe.runs_paths) == (runs, paths)
    if target is not None:
        assert (probe.host, probe.url_path) == target


def test_a_compose_healthcheck_that_runs_a_shell_script_reads_it_in_its_image(tmp_path: Path) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {**_SHELL_APP,
                                      "api/hc.sh": "wget -qO- http://127.0.0.1:3000/healthz\n",
                                      "api/Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\n",
                                      "docker-compose.yml": "services:\n  api:\n    build: ./api\n    healthcheck:\n"
                                                            "      test: [\"CMD\", \"./hc.sh\"]\n"}))
    [probe] = [p for p in all_probes(repo) if p.source == "compose"]
    assert (probe.runs, probe.runs_paths, probe.url_path, probe.service) == ("api/hc.sh", ("/healthz",), "/healthz", "api")


@pytest.mark.parametrize("test", ['["CMD", "node", "-e", "require(\'http\').get(\'http://localhost:3000/healthz\', (r) => 0)"]',
                                  "!reset null", '["CMD-SHELL", "wget -qO- http://127.0.0.1:3000/healthz || exit 1"]'])
def test_a_compose_healthcheck_running_no_script_runs_nothing_fixer_does_not_follow(tmp_path: Path, test: str) -> None:
    from fixer.probes import all_probes

    repo = open_tree(_tree(tmp_path, {**_SHELL_APP, "api/Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\n",
                                      "docker-compose.yml": f"services:\n  api:\n    build: ./api\n    healthcheck:\n"
                                                            f"      test: {test}\n"}))
    assert [(p.runs, p.runs_paths) for p in all_probes(repo) if p.source == "compose"] == [("", ())]


# --- session 18 (H4): callbacks, node by its path, grpc_health_probe ---


@pytest.mark.parametrize("code, host", [
    ("await new Promise((resolve) => server.listen(PORT, resolve));\n", None),  # a Promise executor's parameter
    ("new Promise(ok => server.listen(3000, ok));\n", None),
    ("function start(port, done) { server.listen(port, done); }\n", None),  # a callback's usual name
    ("function start(port, bindTo) { server.listen(port, bindTo); }\n", "?"),  # a parameter fixer cannot tell
    ("function start(port, host, ready) { server.listen(port, host, ready); }\n", "?"),  # three arguments: a host
])
def test_a_function_given_as_listens_second_argument_is_its_callback(tmp_path: Path, code: str, host: str | None) -> None:
    from fixer.probes import listen_calls

    repo = open_tree(_tree(tmp_path, {
        "services/a/package.json": '{ "name": "a", "main": "index.js" }\n',
        "services/a/index.js": "const server = require('http').createServer();\nconst PORT = 3000;\n" + code,
    }))
    assert [listen.host for listen in listen_calls(repo, "services/a")] == [host]


def test_a_grpc_server_binds_the_host_of_its_address(tmp_path: Path) -> None:
    from fixer.probes import listen_calls

    repo = open_tree(_tree(tmp_path, {
        "services/a/package.json": '{ "name": "a", "main": "index.js" }\n',
        "services/a/index.js": ("const grpc = require('@grpc/grpc-js');\nconst s = new grpc.Server();\n"
                                "s.bindAsync('localhost:50051', creds, () => {});\ns.bindAsync(`[::]:${port}`, creds, cb);\n"
                                "s.bindAsync(address, creds, cb);\n"),
    }))
    listens = listen_calls(repo, "services/a")
    assert [(listen.host, listen.framework) for listen in listens] == [("localhost", "grpc"), ("::", "grpc"), ("?", "grpc")]
    assert [listen.reaches_ipv4_loopback for listen in listens] == [True, True, None]  # grpc-js binds each address of a name


@pytest.mark.parametrize("command, target", [
    ("/bin/grpc_health_probe -addr=localhost:50051", ("localhost", None)),
    ("grpc_health_probe -addr 127.0.0.1:50051 -connect-timeout 2s", ("127.0.0.1", None)),
    ('["/bin/grpc_health_probe", "-addr=[::1]:50051"]', ("[::1]", None)),
    ("curl -f http://localhost:3000/health", ("localhost", "/health")),
])
def test_the_target_of_a_probe_command(command: str, target: tuple) -> None:
    from fixer.probes import parse_target

    assert parse_target(command) == target


def test_node_run_by_its_path_is_node(tmp_path: Path) -> None:
    """Distroless images run node as /nodejs/bin/node: its `-e` code and its script are read like `node`'s."""
    from fixer.probes import probes_in

    repo = open_tree(_tree(tmp_path, {
        "services/a/package.json": '{ "name": "a", "main": "index.js" }\n',
        "services/a/index.js": "require('http').createServer().listen(3000);\n",
        "services/a/health.js": "require('http').get('http://localhost:3000/healthz', () => {});\n",
        "services/a/Dockerfile": ('FROM gcr.io/distroless/nodejs20-debian12\nWORKDIR /app\nCOPY . .\n'
                                  'HEALTHCHECK CMD ["/nodejs/bin/node", "health.js"]\nCMD ["index.js"]\n'),
        "services/b/package.json": '{ "name": "b", "main": "index.js" }\n',
        "services/b/index.js": "require('http').createServer().listen(3000);\n",
        "services/b/Dockerfile": ('FROM gcr.io/distroless/nodejs20-debian12\nWORKDIR /app\nCOPY . .\n'
                                  'HEALTHCHECK CMD ["/nodejs/bin/node", "-e", "fetch(\'http://localhost:3000/healthz\')"]\n'),
    }))
    a = probes_in(repo.read("services/a/Dockerfile"))[0]
    assert (a.script, a.host, a.url_path, a.runs) == ("services/a/health.js", "localhost", "/healthz", "")
    b = probes_in(repo.read("services/b/Dockerfile"))[0]
    assert (b.host, b.url_path, b.runs, b.runs_paths) == ("localhost", "/healthz", "", ())
