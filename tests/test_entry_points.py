"""Files a service runs whatever they are called: an extensionless `bin/www` that a script or the
image runs with node is JavaScript (`Repo.kind`), and what a service runs as its process is its
code even under a folder whose name says scripts (`Repo.is_production_code`); a service's own
directory name is no folder of its code (`services/bench/`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import open_tree, run_on_tree, write_changes
from nodeenv import start_service
from test_graceful_shutdown_e2e import _drains_and_exits_0

WWW = """#!/usr/bin/env node
var http = require('http');
var port = process.env.PORT || '3000';
var server = http.createServer(function (req, res) {
  if (req.url === '/slow') {
    setTimeout(function () { res.end('slow done'); }, 700);
    return;
  }
  res.end('ok');
});
server.listen(port);
"""


def _tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def _web(root: Path, scripts: str, dockerfile: str | None = None) -> Path:
    files = {"services/web/package.json": '{ "name": "web", "scripts": {' + scripts + '} }\n',
             "services/web/bin/www": WWW, "services/web/bin/sweep": "#!/usr/bin/env node\nconsole.log('x')\n",
             "services/web/LICENSE": "MIT\n"}
    if dockerfile is not None:
        files["services/web/Dockerfile"] = dockerfile
    return _tree(root, files)


@pytest.mark.parametrize("scripts, dockerfile", [
    ('"start": "node ./bin/www"', None),
    ('"dev": "cross-env DEBUG=web:* nodemon -r dotenv/config bin/www"', None),
    ('"serve": "pm2 start bin/www --name web"', None),
    ("", 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "bin/www"]\n'),
    ("", 'FROM node:20-alpine\nCOPY . .\nCMD node ./bin/www\n'),
])
def test_an_extensionless_file_a_service_runs_with_node_is_javascript(tmp_path: Path, scripts: str,
                                                                      dockerfile: str | None) -> None:
    repo = open_tree(_web(tmp_path, scripts, dockerfile))
    assert repo.kind("services/web/bin/www") == "js"
    assert repo.read("services/web/bin/www").kind == "js"
    assert "services/web/bin/www" in repo.paths_of({"js"})
    assert repo.services[0].entry == "services/web/bin/www"
    assert repo.is_production_code("services/web/bin/www")  # (the service's process, under bin/)
    assert repo.kind("services/web/LICENSE") == "other"
    assert repo.kind("services/web/bin/sweep") == "other"  # (nothing runs it)
    assert "services/web/LICENSE" not in repo.paths_of({"js", "ts"})


def test_a_file_another_script_runs_is_javascript_and_still_a_script(tmp_path: Path) -> None:
    repo = open_tree(_web(tmp_path, '"start": "node bin/www", "sweep": "node bin/sweep"'))
    assert repo.kind("services/web/bin/sweep") == "js"
    assert not repo.is_production_code("services/web/bin/sweep")
    assert repo.is_production_code("services/web/bin/www")


def test_a_node_option_value_is_not_the_program(tmp_path: Path) -> None:
    from fixer.scripts import files_run

    assert files_run("node -r dotenv/config bin/www") == ["bin/www"]
    assert files_run("node -r ts-node/register src/x.ts") == ["src/x.ts"]
    assert files_run("node --watch bin/www") == ["bin/www"]
    assert files_run("eslint bin/www") == []
    assert files_run("node --check bin/www") == []
    assert files_run("node server") == []  # (a bare name: no path, never guessed)


def test_a_services_own_directory_name_is_no_folder_of_its_code(tmp_path: Path) -> None:
    repo = open_tree(_tree(tmp_path, {
        "services/bench/package.json": '{ "name": "bench", "main": "src/index.js" }\n',
        "services/bench/src/index.js": "require('http').createServer().listen(3000)\n",
        "services/bench/scripts/load.js": "console.log('load')\n",
        "examples/demo/package.json": '{ "name": "demo" }\n',
        "examples/demo/Dockerfile": "FROM node:20\n",
        "examples/demo/src/index.js": "require('http').createServer().listen(3000)\n",
    }))
    assert {s.dir for s in repo.services} >= {"services/bench", "examples/demo"}
    assert repo.is_production_code("services/bench/src/index.js")
    assert not repo.is_production_code("services/bench/scripts/load.js")
    assert not repo.is_production_code("examples/demo/src/index.js")  # (a service under examples/ is an example)


def test_an_edit_of_an_extensionless_file_is_verified_as_javascript(tmp_path: Path) -> None:
    from fixer import verify
    from fixer.model import Edit

    path, before = "services/web/bin/www", WWW.encode()
    at = before.index(b"server.listen(port);")
    edit = Edit(path, at, at + len(b"server.listen(port);"), "server.listen(port;")
    broken = before[:at] + b"server.listen(port;" + before[edit.end:]
    assert verify.check(path, before, broken, [edit]) is None  # (by its name alone: a file of no kind, not parsed)
    assert verify.check(path, before, broken, [edit], kind="js") is not None
    fine = Edit(path, at, edit.end, "server.listen(port); // ok")
    assert verify.check(path, before, before[:at] + b"server.listen(port); // ok" + before[edit.end:], [fine], kind="js") is None


@pytest.mark.node
def test_a_bin_www_server_drains_and_exits_0_after_the_fix(tmp_path: Path) -> None:
    tree = _web(tmp_path / "tree", '"start": "node ./bin/www"')
    (tree / "node_modules").mkdir()
    _, run = run_on_tree("graceful-shutdown", tree)
    assert sorted(run.changes) == ["services/web/bin/www"], [f.message for f in run.findings]
    write_changes(tree, run)
    with start_service(tree, "web", argv=["bin/www"]) as service:
        output = _drains_and_exits_0(service, "slow done")
    assert "Received SIGTERM" in output


@pytest.mark.parametrize("script", ['exec node ./bin/server "$@"', "exec node /app/bin/server.js"])
def test_what_the_images_entrypoint_script_runs_is_the_services_process(tmp_path: Path, script: str) -> None:
    """redis-commander: `main` is an app factory (lib/app.js, the entry), the image runs
    docker/entrypoint.sh, whose `exec node ./bin/server` starts the server: bin/server.js is a
    process of the service (its code, though under bin/), found through the image's WORKDIR and
    COPY, by a path relative to the WORKDIR or absolute in the image; a script nothing runs is not."""
    root = _tree(tmp_path, {
        "services/svc/package.json": '{ "name": "svc", "main": "lib/app.js", "bin": { "svc": "./bin/server.js" } }\n',
        "services/svc/lib/app.js": "module.exports = () => require('http').createServer((q, s) => s.end('ok'));\n",
        "services/svc/bin/server.js": "#!/usr/bin/env node\nrequire('../lib/app')().listen(8081);\n",
        "services/svc/bin/cleanup.js": "#!/usr/bin/env node\nconsole.log('cleanup');\n",
        "services/svc/docker/entrypoint.sh": f"#!/bin/sh\n# start the server\n{script}\n",
        "services/svc/Dockerfile": 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["/app/docker/entrypoint.sh"]\n',
    })
    repo = open_tree(root)
    assert repo.services[0].entry == "services/svc/lib/app.js"
    assert "services/svc/bin/server.js" in repo.processes
    assert repo.is_production_code("services/svc/bin/server.js")
    assert not repo.is_production_code("services/svc/bin/cleanup.js")
