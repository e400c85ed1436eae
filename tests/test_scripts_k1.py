"""Which files are a service's process (`scripts.runs_of`): only what its containers run (`scripts.containers`, the
one reader of a container's words, which `probes.container_processes` reads too), not a file its Dockerfile copies,
a RUN runs at build time or a HEALTHCHECK probes with; and what an image's shell script runs, found in the image as
a probe's script is (`Repo.image_runs`: a `COPY --from` build stage's, a stage built `FROM` another, a heredoc's)."""

from __future__ import annotations

import json
from pathlib import Path

from fixer import scripts
from fixer.probes import container_processes
from gitrepo import write_tree
from harness import open_tree


def _service(repo, directory: str = "services/api"):
    return next(s for s in repo.services if s.dir == directory)


def test_a_file_a_dockerfile_copies_or_a_build_step_runs_is_no_process(tmp_path: Path) -> None:
    """`COPY healthcheck.js ./`, `RUN npm run seed` and a HEALTHCHECK's `npm run healthcheck` name files the container
    never runs as its process: they stay scripts; what a CMD, a compose `command:` or a shell they run through
    `npm run` runs is a process."""
    package = {"name": "api", "version": "1.0.0", "scripts": {
        "start": "node src/index.js", "healthcheck": "node healthcheck.js", "seed": "node src/seed.js",
        "sync": "node src/sync.js", "nightly": "node src/nightly.js", "report": "node src/report.js"}}
    files = {"services/api/package.json": json.dumps(package),
             "services/api/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCOPY healthcheck.js ./\n"
                                        "RUN npm run seed && node src/report.js\n"
                                        "HEALTHCHECK CMD npm run healthcheck\nCMD [\"npm\", \"run\", \"sync\"]\n",
             "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n"
                                   "  nightly:\n    build: ./services/api\n    command: sh -c \"npm run nightly\"\n"}
    files.update({f"services/api/{name}.js": "" for name in
                  ("src/index", "healthcheck", "src/seed", "src/sync", "src/nightly", "src/report")})
    write_tree(tmp_path, files)
    repo = open_tree(tmp_path)
    runs = scripts.runs_of(repo, _service(repo))
    assert {"services/api/src/index.js", "services/api/src/sync.js", "services/api/src/nightly.js"} <= runs.process
    assert not {"services/api/healthcheck.js", "services/api/src/seed.js", "services/api/src/report.js"} & runs.process
    assert scripts.script_files(repo, _service(repo)) == {
        "services/api/healthcheck.js": "healthcheck", "services/api/src/seed.js": "seed", "services/api/src/report.js": "report"}


def test_the_distroless_probe_script_of_a_build_stage_is_no_process(tmp_path: Path) -> None:
    """The reader corpus's orders: a distroless image whose build stage copies healthcheck.js, which a `healthcheck`
    script also runs."""
    package = {"name": "orders", "main": "src/server.js",
               "scripts": {"start": "node src/server.js", "healthcheck": "node healthcheck.js"}}
    files = {"services/orders/package.json": json.dumps(package), "services/orders/src/server.js": "",
             "services/orders/healthcheck.js": "",
             "services/orders/Dockerfile": "FROM node:20-bookworm-slim AS build\nWORKDIR /app\nCOPY package*.json ./\n"
                                           "RUN npm ci --omit=dev\nCOPY src ./src\nCOPY healthcheck.js ./\n\n"
                                           "FROM gcr.io/distroless/nodejs20-debian12\nWORKDIR /app\n"
                                           "COPY --from=build /app /app\n"
                                           "HEALTHCHECK CMD [\"/nodejs/bin/node\", \"healthcheck.js\"]\n"
                                           "CMD [\"src/server.js\"]\n"}
    write_tree(tmp_path, files)
    repo = open_tree(tmp_path)
    assert "services/orders/healthcheck.js" not in repo.processes
    assert "services/orders/src/server.js" in repo.processes


def test_what_an_image_runs_through_a_shell_script_copied_from_a_build_stage(tmp_path: Path) -> None:
    """`CMD ["/app/docker/entrypoint.sh"]` whose script the final stage copies from a build stage (`COPY --from=build
    /app /app`), one a stage built `FROM` that stage copies, one a `COPY <<EOF` heredoc writes: its `exec node …`
    is what the image runs (the service's entry point when nothing else names one)."""
    entrypoint = "#!/bin/sh\nexec node ./bin/server \"$@\"\n"
    dockerfiles = {
        "from-a-build-stage": "FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\n\n"
                              "FROM node:20-alpine\nWORKDIR /app\nCOPY --from=build /app /app\n"
                              "CMD [\"/app/docker/entrypoint.sh\"]\n",
        "by-index-into-a-subdirectory": "FROM node:20-alpine\nWORKDIR /src\nCOPY . .\n\n"
                                        "FROM node:20-alpine\nWORKDIR /app\nCOPY --from=0 /src/docker ./docker\n"
                                        "COPY --from=0 /src/bin ./bin\nENTRYPOINT [\"./docker/entrypoint.sh\"]\n",
        "built-from-a-stage": "FROM node:20-alpine AS base\nWORKDIR /app\nCOPY docker ./docker\nCOPY bin ./bin\n\n"
                              "FROM base AS runtime\nUSER node\nCMD [\"./docker/entrypoint.sh\"]\n",
        "a-heredoc": "FROM node:20-alpine\nWORKDIR /app\nCOPY bin ./bin\nCOPY <<EOF /app/start.sh\n#!/bin/sh\n"
                     "exec node bin/server \"$@\"\nEOF\nCMD [\"sh\", \"/app/start.sh\"]\n",
    }
    for name, dockerfile in dockerfiles.items():
        root = tmp_path / name
        write_tree(root, {"services/svc/package.json": json.dumps({"name": "svc", "version": "1.0.0"}),
                          "services/svc/bin/server.js": "require('http').createServer().listen(8080);\n",
                          "services/svc/docker/entrypoint.sh": entrypoint, "services/svc/Dockerfile": dockerfile})
        repo = open_tree(root)
        service = _service(repo, "services/svc")
        assert repo.image_runs(service) == ["bin/server"], name
        assert service.entry == "services/svc/bin/server.js", name
        assert "services/svc/bin/server.js" in repo.processes, name


def test_an_image_from_another_image_or_a_glob_runs_nothing_fixer_reads(tmp_path: Path) -> None:
    """A script copied from another image (`--from=ghcr.io/…`) is not the repository's file of the same path."""
    write_tree(tmp_path, {"services/svc/package.json": json.dumps({"name": "svc", "version": "1.0.0"}),
                          "services/svc/bin/server.js": "", "services/svc/docker/entrypoint.sh": "exec node bin/server\n",
                          "services/svc/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY bin ./bin\n"
                                                     "COPY --from=ghcr.io/acme/tools:1 /docker /app/docker\n"
                                                     "CMD [\"/app/docker/entrypoint.sh\"]\n"})
    repo = open_tree(tmp_path)
    assert repo.image_runs(_service(repo, "services/svc")) == []


def test_runs_and_container_processes_read_the_same_containers(tmp_path: Path) -> None:
    """One reader of what a container runs: `probes.container_processes` is `scripts.containers` with the HEALTHCHECK
    each inherits, and the files `runs_of` counts as the service's process are those each runs; an image built
    from a Dockerfile below the service's directory (`docker/Dockerfile`) is read by both."""
    package = {"name": "api", "version": "1.0.0", "scripts": {"start": "node src/index.js", "migrate": "node src/migrate.js"}}
    write_tree(tmp_path, {
        "services/api/package.json": json.dumps(package),
        **{f"services/api/src/{name}.js": "" for name in ("index", "worker", "consumer", "migrate", "debugger")},
        "services/api/Dockerfile": "FROM node:20-slim AS base\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD curl -f "
                                   "http://localhost:3000/health\nCMD [\"node\", \"src/index.js\"]\n\n"
                                   "FROM base AS debug\nCMD [\"node\", \"--inspect\", \"src/debugger.js\"]\n\n"
                                   "FROM base\nENTRYPOINT [\"node\"]\nCMD [\"src/index.js\"]\n",
        "services/api/docker/Dockerfile": "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD node /app/src/consumer.js\n",
        "docker-compose.yml": "services:\n  api:\n    build: ./services/api\n"
                              "  worker:\n    build: ./services/api\n    command: [\"src/worker.js\"]\n"
                              "  debug:\n    build:\n      context: ./services/api\n      target: debug\n"
                              "  migrate:\n    build: ./services/api\n    entrypoint: npm run migrate\n"
                              "    healthcheck:\n      disable: true\n"})
    repo = open_tree(tmp_path)
    found = scripts.containers(repo)
    processes = container_processes(repo)
    assert [(c.file, c.line, c.name, c.command) for c in found] == [(p.file, p.line, p.name, p.command) for p in processes]
    assert [(p.name, p.command, p.paths, p.probe is not None, p.compose) for p in processes] == [
        ("services/api/Dockerfile", "node src/index.js", ("services/api/src/index.js",), True, False),
        ("services/api/docker/Dockerfile", "/bin/sh -c 'node /app/src/consumer.js'", ("services/api/src/consumer.js",),
         False, False),
        ("worker", "node src/worker.js", ("services/api/src/worker.js",), True, True),
        ("debug", "node --inspect src/debugger.js", ("services/api/src/debugger.js",), True, True),
        ("migrate", "npm run migrate", ("services/api/src/migrate.js",), False, True)]
    runs = scripts.runs_of(repo, _service(repo))
    assert {path for p in processes for path in p.paths or ()} <= runs.process
